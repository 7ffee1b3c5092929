//! JWT / JWS compact serialization (RFC 7519, RFC 7515), decoded for diagnosis only.
//!
//! # Example values
//! `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`

use std::fmt;

use base64::Engine as _;
use serde_json::{Map, Value};

use crate::encoding::{BASE64_LENIENT, BASE64URL_LENIENT};

/// A timestamp claim as sent, and in seconds since the epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NumericDate {
    /// The claim's value as a number.
    pub raw: f64,
    /// Seconds since the epoch; a value that only makes sense in milliseconds is divided by 1000.
    pub seconds: i64,
    /// The value was in milliseconds (it lies after the year 5138 read as seconds).
    pub milliseconds: bool,
}

/// Above this, a `NumericDate` is taken to be milliseconds: 10^11 s is the year 5138, while 10^11 ms
/// is 1973.
const MILLISECONDS_THRESHOLD: f64 = 1e11;

impl NumericDate {
    fn from_value(value: &Value) -> Option<NumericDate> {
        let raw = value.as_f64()?;
        if !raw.is_finite() {
            return None;
        }
        let milliseconds = raw.abs() >= MILLISECONDS_THRESHOLD;
        let seconds = if milliseconds { raw / 1000.0 } else { raw };
        #[expect(
            clippy::cast_possible_truncation,
            reason = "clamped to the i64 range first"
        )]
        let seconds = seconds.clamp(-9.0e18, 9.0e18).floor() as i64;
        Some(NumericDate {
            raw,
            seconds,
            milliseconds,
        })
    }
}

/// A decoded JWS: header and claims as JSON objects.
#[derive(Debug, Clone, PartialEq)]
pub struct Jwt {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    /// Bytes of the signature part as sent (0 for `alg: none` tokens).
    pub signature_len: usize,
}

/// What a token turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum DecodedToken {
    Jws(Jwt),
    /// Five parts: an encrypted JWT, whose claims only the recipient can read.
    Jwe {
        header: Option<Map<String, Value>>,
    },
    /// Not a JWT: a reference token only the issuer can look up.
    Opaque,
}

/// Why a token could not be decoded as the JWT it looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenProblem {
    /// A JWT part that is not base64url.
    NotBase64Url {
        part: &'static str,
    },
    /// Standard base64 (`+`, `/`) where a JWT needs base64url.
    StandardBase64 {
        part: &'static str,
    },
    NotJson {
        part: &'static str,
    },
    NotObject {
        part: &'static str,
    },
    /// Two dots but an empty part.
    EmptyPart {
        part: &'static str,
    },
    /// Dots, but neither three parts (JWS) nor five (JWE).
    WrongPartCount {
        parts: usize,
    },
    /// A registered claim of the wrong JSON type (`exp` as a string …).
    ClaimType {
        claim: &'static str,
        expected: &'static str,
    },
}

impl fmt::Display for TokenProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenProblem::NotBase64Url { part } => write!(f, "The JWT's {part} is not base64url."),
            TokenProblem::StandardBase64 { part } => write!(
                f,
                "The JWT's {part} uses standard base64 (+ and /); JWTs use base64url (- and _), and strict servers reject it."
            ),
            TokenProblem::NotJson { part } => {
                write!(f, "The JWT's {part} does not decode to JSON.")
            }
            TokenProblem::NotObject { part } => {
                write!(f, "The JWT's {part} is JSON but not an object.")
            }
            TokenProblem::EmptyPart { part } => write!(f, "The JWT's {part} is empty."),
            TokenProblem::WrongPartCount { parts } => write!(
                f,
                "The token has {parts} dot-separated parts; a signed JWT has 3 and an encrypted one 5: it was probably cut short or joined with something else."
            ),
            TokenProblem::ClaimType { claim, expected } => {
                write!(f, "The claim “{claim}” should be {expected}.")
            }
        }
    }
}

/// What the claims say about the token's validity at a given time, or its use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenFinding {
    /// `exp` is in the past (beyond the skew).
    Expired { seconds_ago: i64 },
    /// `nbf` is in the future (beyond the skew).
    NotYetValid { seconds_ahead: i64 },
    /// `iat` is in the future (beyond the skew): a clock is wrong somewhere.
    IssuedInFuture { seconds_ahead: i64 },
    /// A timestamp claim written in milliseconds instead of seconds.
    MillisecondTimestamp { claim: &'static str },
    /// No `exp`: valid forever, which many servers refuse.
    NoExpiry,
    /// `alg: none`: unsigned, refused by every sane server (RFC 8725 §3.1).
    AlgNone,
    /// The expected audience is not among `aud`.
    AudienceMismatch {
        expected: String,
        audience: Vec<String>,
    },
    /// `nonce` in the claims, or `typ: ID` (Keycloak), `token_use: id` (Cognito): an OpenID
    /// Connect ID token, meant for the client, not the API.
    IdToken,
    /// `typ: Refresh` (Keycloak) or `token_use: refresh`: a refresh token, meant for the token
    /// endpoint only.
    RefreshToken,
    /// `cnf.jkt`: a DPoP-bound token, which must be sent with `Authorization: DPoP` and a proof.
    DpopBound,
}

impl fmt::Display for TokenFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenFinding::Expired { seconds_ago } => {
                write!(f, "The token expired {} ago.", human_duration(*seconds_ago))
            }
            TokenFinding::NotYetValid { seconds_ahead } => write!(
                f,
                "The token is not valid for another {} (nbf).",
                human_duration(*seconds_ahead)
            ),
            TokenFinding::IssuedInFuture { seconds_ahead } => write!(
                f,
                "The token says it was issued {} in the future: the issuer's clock or this computer's is wrong.",
                human_duration(*seconds_ahead)
            ),
            TokenFinding::MillisecondTimestamp { claim } => write!(
                f,
                "“{claim}” is in milliseconds; JWT times are in seconds since 1970 (RFC 7519 §2), so servers read it as a date thousands of years away."
            ),
            TokenFinding::NoExpiry => f.write_str("The token has no expiry (exp); many servers refuse such tokens."),
            TokenFinding::AlgNone => f.write_str(
                "The token is unsigned (alg: none); servers must refuse it (RFC 8725 §3.1).",
            ),
            TokenFinding::AudienceMismatch { expected, audience } => write!(
                f,
                "The token is for {}, not for {expected} (aud).",
                if audience.is_empty() { "no audience".to_owned() } else { audience.join(", ") }
            ),
            TokenFinding::IdToken => f.write_str(
                "This is an OpenID Connect ID token (a nonce, or typ or token_use says so): it proves who logged in to the client, and APIs expect the access token instead.",
            ),
            TokenFinding::RefreshToken => f.write_str(
                "This is a refresh token (typ or token_use says so): it is for the token endpoint, to get a new access token, never for the API.",
            ),
            TokenFinding::DpopBound => f.write_str(
                "The token is bound to a DPoP key (cnf.jkt): send it as “Authorization: DPoP …” with a DPoP proof header, not as Bearer.",
            ),
        }
    }
}

/// A duration in words: `45 s`, `3 min`, `2 h`, `5 days`.
pub fn human_duration(seconds: i64) -> String {
    let s = seconds.unsigned_abs();
    match s {
        0..=89 => format!("{s} s"),
        90..=5_399 => format!("{} min", (s + 30) / 60),
        5_400..=172_799 => format!("{} h", (s + 1_800) / 3_600),
        _ => format!("{} days", (s + 43_200) / 86_400),
    }
}

/// Decodes a token: a JWS's header and claims, a JWE's header, or nothing for an opaque token.
/// Problems come back beside the best reading.
pub fn decode_token(token: &str) -> (DecodedToken, Vec<TokenProblem>) {
    let token = token.trim();
    let parts: Vec<&str> = token.split('.').collect();
    let mut problems = Vec::new();
    match parts.as_slice() {
        [header, claims, signature] if header.starts_with("eyJ") || claims.starts_with("eyJ") => {
            let header = decode_part(header, "header", &mut problems);
            let claims = decode_part(claims, "claims", &mut problems);
            let jwt = Jwt {
                header: header.unwrap_or_default(),
                claims: claims.unwrap_or_default(),
                signature_len: signature.len(),
            };
            jwt.check_types(&mut problems);
            (DecodedToken::Jws(jwt), problems)
        }
        [header, _, _, _, _] if header.starts_with("eyJ") => {
            let header = decode_part(header, "header", &mut problems);
            (DecodedToken::Jwe { header }, problems)
        }
        _ if token.starts_with("eyJ") && parts.len() > 1 => {
            problems.push(TokenProblem::WrongPartCount { parts: parts.len() });
            (DecodedToken::Opaque, problems)
        }
        _ => (DecodedToken::Opaque, problems),
    }
}

fn decode_part(
    part: &str,
    name: &'static str,
    problems: &mut Vec<TokenProblem>,
) -> Option<Map<String, Value>> {
    if part.is_empty() {
        problems.push(TokenProblem::EmptyPart { part: name });
        return None;
    }
    let bytes = match BASE64URL_LENIENT.decode(part) {
        Ok(bytes) => bytes,
        Err(_) => {
            if let Ok(bytes) = BASE64_LENIENT.decode(part) {
                problems.push(TokenProblem::StandardBase64 { part: name });
                bytes
            } else {
                problems.push(TokenProblem::NotBase64Url { part: name });
                return None;
            }
        }
    };
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Some(map),
        Ok(_) => {
            problems.push(TokenProblem::NotObject { part: name });
            None
        }
        Err(_) => {
            problems.push(TokenProblem::NotJson { part: name });
            None
        }
    }
}

impl Jwt {
    fn string(map: &Map<String, Value>, key: &str) -> Option<String> {
        map.get(key).and_then(Value::as_str).map(str::to_owned)
    }

    pub fn alg(&self) -> Option<String> {
        Self::string(&self.header, "alg")
    }

    pub fn typ(&self) -> Option<String> {
        Self::string(&self.header, "typ")
    }

    pub fn claim_str(&self, claim: &str) -> Option<String> {
        Self::string(&self.claims, claim)
    }

    pub fn exp(&self) -> Option<NumericDate> {
        self.claims.get("exp").and_then(NumericDate::from_value)
    }

    pub fn nbf(&self) -> Option<NumericDate> {
        self.claims.get("nbf").and_then(NumericDate::from_value)
    }

    pub fn iat(&self) -> Option<NumericDate> {
        self.claims.get("iat").and_then(NumericDate::from_value)
    }

    /// `aud`, a string or an array of strings.
    pub fn audience(&self) -> Vec<String> {
        match self.claims.get("aud") {
            Some(Value::String(aud)) => vec![aud.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Scopes from `scope` (space-separated, RFC 8693) or `scp` (an array or a string, as Azure AD
    /// and Okta send it).
    pub fn scopes(&self) -> Vec<String> {
        let mut scopes = Vec::new();
        for key in ["scope", "scp"] {
            match self.claims.get(key) {
                Some(Value::String(s)) => {
                    scopes.extend(s.split_ascii_whitespace().map(str::to_owned));
                }
                Some(Value::Array(items)) => {
                    scopes.extend(items.iter().filter_map(Value::as_str).map(str::to_owned));
                }
                _ => {}
            }
        }
        scopes
    }

    /// The DPoP key thumbprint (`cnf.jkt`, RFC 9449 §6).
    pub fn dpop_thumbprint(&self) -> Option<String> {
        self.claims
            .get("cnf")
            .and_then(|cnf| cnf.get("jkt"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    }

    fn check_types(&self, problems: &mut Vec<TokenProblem>) {
        for claim in ["exp", "nbf", "iat"] {
            if self.claims.get(claim).is_some_and(|v| !v.is_number()) {
                problems.push(TokenProblem::ClaimType {
                    claim,
                    expected: "a number of seconds since 1970",
                });
            }
        }
        for claim in ["iss", "sub"] {
            if self.claims.get(claim).is_some_and(|v| !v.is_string()) {
                problems.push(TokenProblem::ClaimType {
                    claim,
                    expected: "a string",
                });
            }
        }
        if self.claims.get("aud").is_some_and(|v| {
            !(v.is_string() || v.as_array().is_some_and(|a| a.iter().all(Value::is_string)))
        }) {
            problems.push(TokenProblem::ClaimType {
                claim: "aud",
                expected: "a string or an array of strings",
            });
        }
    }

    /// Every claim as `(name, text)`, in the token's order; `exp`, `nbf`, `iat` and `auth_time`
    /// also relative to `now` (`1795467600 (3 h ago)`). Fractions are not printed: a number that
    /// is not whole is said to be one.
    pub fn claims_as_text(&self, now: i64) -> Vec<(String, String)> {
        self.claims
            .iter()
            .map(|(name, value)| (name.clone(), claim_text(name, value, now)))
            .collect()
    }

    /// What the claims say at `now` (seconds since the epoch), allowing `skew` seconds of clock
    /// difference, for an API that expects `audience` (when known).
    pub fn check(&self, now: i64, skew: i64, audience: Option<&str>) -> Vec<TokenFinding> {
        let mut findings = Vec::new();
        if self
            .alg()
            .is_some_and(|alg| alg.eq_ignore_ascii_case("none"))
        {
            findings.push(TokenFinding::AlgNone);
        }
        for (claim, date) in [
            ("exp", self.exp()),
            ("nbf", self.nbf()),
            ("iat", self.iat()),
        ] {
            if date.is_some_and(|d| d.milliseconds) {
                findings.push(TokenFinding::MillisecondTimestamp { claim });
            }
        }
        match self.exp() {
            Some(exp) if now.saturating_sub(exp.seconds) > skew => {
                findings.push(TokenFinding::Expired {
                    seconds_ago: now.saturating_sub(exp.seconds),
                });
            }
            Some(_) => {}
            None => findings.push(TokenFinding::NoExpiry),
        }
        if let Some(nbf) = self.nbf()
            && nbf.seconds.saturating_sub(now) > skew
        {
            findings.push(TokenFinding::NotYetValid {
                seconds_ahead: nbf.seconds.saturating_sub(now),
            });
        }
        if let Some(iat) = self.iat()
            && iat.seconds.saturating_sub(now) > skew
        {
            findings.push(TokenFinding::IssuedInFuture {
                seconds_ahead: iat.seconds.saturating_sub(now),
            });
        }
        if let Some(expected) = audience {
            let aud = self.audience();
            if !aud.iter().any(|a| a == expected) {
                findings.push(TokenFinding::AudienceMismatch {
                    expected: expected.to_owned(),
                    audience: aud,
                });
            }
        }
        let kind = ["typ", "token_use"]
            .iter()
            .filter_map(|c| self.claims.get(*c).and_then(Value::as_str))
            .map(str::to_ascii_lowercase)
            .find(|k| matches!(k.as_str(), "id" | "refresh"));
        if self.claims.contains_key("nonce") || kind.as_deref() == Some("id") {
            findings.push(TokenFinding::IdToken);
        } else if kind.as_deref() == Some("refresh") {
            findings.push(TokenFinding::RefreshToken);
        }
        if self.dpop_thumbprint().is_some() {
            findings.push(TokenFinding::DpopBound);
        }
        findings
    }
}

fn claim_text(name: &str, value: &Value, now: i64) -> String {
    let plain = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n
            .as_i64()
            .map_or_else(|| "a fractional number".to_owned(), |i| i.to_string()),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map_or_else(|| "…".to_owned(), str::to_owned))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(map) => format!("{{{} fields}}", map.len()),
    };
    let time_claim = matches!(name, "exp" | "nbf" | "iat" | "auth_time");
    let Some(seconds) = value.as_i64().filter(|_| time_claim) else {
        return plain;
    };
    // A value only milliseconds make sense of is read as such, as the checks do.
    let seconds = if seconds > 100_000_000_000 {
        seconds / 1000
    } else {
        seconds
    };
    let delta = seconds.saturating_sub(now);
    if delta >= 0 {
        format!("{plain} (in {})", human_duration(delta))
    } else {
        format!("{plain} ({} ago)", human_duration(delta.saturating_neg()))
    }
}
