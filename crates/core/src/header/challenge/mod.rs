//! `WWW-Authenticate` and `Proxy-Authenticate` (RFC 9110 §11.6.1, §11.7.1), and
//! `Authentication-Info` (§11.6.3).
//!
//! # ABNF
//! ```text
//! WWW-Authenticate = #challenge
//! challenge        = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
//! auth-param       = token BWS "=" BWS ( token / quoted-string )
//! token68          = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
//! ```
//! Commas separate both challenges and their parameters, which is why splitting on commas is
//! wrong: an element of the form `name=value` continues the current challenge, anything else
//! starts a new one.
//!
//! # Example values
//! `Basic realm="simple", Newauth realm="apps", type=1, title="Login to \"apps\""` (RFC 9110) is two
//! challenges: `Basic` with one parameter and `Newauth` with three.

use std::fmt;
use std::ops::Range;

use super::Problem;

mod parse;

pub use parse::{parse_auth_params, parse_www_authenticate};

/// One `name=value` parameter of a challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthParam {
    /// As sent; compare with `eq_ignore_ascii_case`.
    pub name: String,
    /// Unquoted and unescaped.
    pub value: String,
    pub quoted: bool,
    pub span: Range<usize>,
}

/// One challenge: a scheme and either a token68 or parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// As sent (`Bearer`, `bearer`, …).
    pub scheme: String,
    pub token68: Option<String>,
    pub params: Vec<AuthParam>,
    pub span: Range<usize>,
}

/// The registered schemes we know (IANA HTTP Authentication Scheme Registry) and a few common
/// ones that are not registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    Basic,
    Bearer,
    Digest,
    DPoP,
    Negotiate,
    Ntlm,
    Hoba,
    Mutual,
    ScramSha1,
    ScramSha256,
    Aws4HmacSha256,
    Concealed,
    PrivateToken,
    Gnap,
    Vapid,
    Other,
}

impl AuthScheme {
    pub fn from_name(name: &str) -> AuthScheme {
        const KNOWN: &[(&str, AuthScheme)] = &[
            ("Basic", AuthScheme::Basic),
            ("Bearer", AuthScheme::Bearer),
            ("Digest", AuthScheme::Digest),
            ("DPoP", AuthScheme::DPoP),
            ("Negotiate", AuthScheme::Negotiate),
            ("NTLM", AuthScheme::Ntlm),
            ("HOBA", AuthScheme::Hoba),
            ("Mutual", AuthScheme::Mutual),
            ("SCRAM-SHA-1", AuthScheme::ScramSha1),
            ("SCRAM-SHA-256", AuthScheme::ScramSha256),
            ("AWS4-HMAC-SHA256", AuthScheme::Aws4HmacSha256),
            ("Concealed", AuthScheme::Concealed),
            ("PrivateToken", AuthScheme::PrivateToken),
            ("GNAP", AuthScheme::Gnap),
            ("vapid", AuthScheme::Vapid),
        ];
        KNOWN
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map_or(AuthScheme::Other, |(_, scheme)| *scheme)
    }
}

/// `Basic` (RFC 7617).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasicChallenge {
    pub realm: Option<String>,
    pub charset: Option<String>,
}

/// An `error` code of a Bearer (RFC 6750 §3.1) or DPoP (RFC 9449 §7.1) challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BearerError {
    InvalidRequest,
    InvalidToken,
    InsufficientScope,
    /// DPoP only.
    InvalidDpopProof,
    /// DPoP only: retry with the nonce in `DPoP-Nonce`.
    UseDpopNonce,
    Other(String),
}

impl BearerError {
    pub fn from_code(code: &str) -> BearerError {
        match code {
            "invalid_request" => BearerError::InvalidRequest,
            "invalid_token" => BearerError::InvalidToken,
            "insufficient_scope" => BearerError::InsufficientScope,
            "invalid_dpop_proof" => BearerError::InvalidDpopProof,
            "use_dpop_nonce" => BearerError::UseDpopNonce,
            other => BearerError::Other(other.to_owned()),
        }
    }

    pub fn code(&self) -> &str {
        match self {
            BearerError::InvalidRequest => "invalid_request",
            BearerError::InvalidToken => "invalid_token",
            BearerError::InsufficientScope => "insufficient_scope",
            BearerError::InvalidDpopProof => "invalid_dpop_proof",
            BearerError::UseDpopNonce => "use_dpop_nonce",
            BearerError::Other(code) => code,
        }
    }

    /// The status the RFC pairs with this code.
    pub fn expected_status(&self) -> Option<u16> {
        match self {
            BearerError::InvalidRequest => Some(400),
            BearerError::InvalidToken
            | BearerError::InvalidDpopProof
            | BearerError::UseDpopNonce => Some(401),
            BearerError::InsufficientScope => Some(403),
            BearerError::Other(_) => None,
        }
    }
}

/// `Bearer` (RFC 6750 §3, RFC 9728 `resource_metadata`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BearerChallenge {
    pub realm: Option<String>,
    /// Space-separated in the header.
    pub scope: Vec<String>,
    pub error: Option<BearerError>,
    pub error_description: Option<String>,
    pub error_uri: Option<String>,
    pub resource_metadata: Option<String>,
}

/// A Digest `algorithm` (RFC 7616 §3.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestAlgorithm {
    /// As sent.
    pub name: String,
    /// `MD5`, `SHA-256` or `SHA-512-256`, upper-cased; `None` when unknown.
    pub hash: Option<&'static str>,
    /// The `-sess` variant.
    pub session: bool,
}

/// `Digest` (RFC 7616 §3.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestChallenge {
    pub realm: Option<String>,
    pub domain: Vec<String>,
    pub nonce: Option<String>,
    pub opaque: Option<String>,
    pub stale: Option<bool>,
    pub algorithm: DigestAlgorithm,
    pub qop: Vec<String>,
    pub charset: Option<String>,
    pub userhash: Option<bool>,
}

/// `DPoP` (RFC 9449 §7.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DpopChallenge {
    pub realm: Option<String>,
    pub scope: Vec<String>,
    /// Space-separated JWS algorithms the server accepts for proofs.
    pub algs: Vec<String>,
    pub error: Option<BearerError>,
    pub error_description: Option<String>,
}

impl Challenge {
    pub fn auth_scheme(&self) -> AuthScheme {
        AuthScheme::from_name(&self.scheme)
    }

    /// The token68 as a base64 decoder reads it: padding beyond what its length needs dropped,
    /// as Chromium's tokenizer does for NTLM and Negotiate tokens.
    pub fn token68_padded(&self) -> Option<String> {
        let token = self.token68.as_deref()?;
        let bare = token.trim_end_matches('=');
        let needed = (4 - bare.len() % 4) % 4;
        let kept = (token.len() - bare.len()).min(needed);
        Some(format!("{bare}{}", "=".repeat(kept)))
    }

    /// The first parameter with this name (case-insensitive).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| p.value.as_str())
    }

    fn owned(&self, name: &str) -> Option<String> {
        self.param(name).map(str::to_owned)
    }

    fn words(&self, name: &str) -> Vec<String> {
        self.param(name)
            .map(|v| v.split_ascii_whitespace().map(str::to_owned).collect())
            .unwrap_or_default()
    }

    fn flag(&self, name: &str) -> Option<bool> {
        self.param(name).and_then(|v| {
            if v.eq_ignore_ascii_case("true") {
                Some(true)
            } else if v.eq_ignore_ascii_case("false") {
                Some(false)
            } else {
                None
            }
        })
    }

    pub fn basic(&self) -> Option<BasicChallenge> {
        (self.auth_scheme() == AuthScheme::Basic).then(|| BasicChallenge {
            realm: self.owned("realm"),
            charset: self.owned("charset"),
        })
    }

    pub fn bearer(&self) -> Option<BearerChallenge> {
        (self.auth_scheme() == AuthScheme::Bearer).then(|| BearerChallenge {
            realm: self.owned("realm"),
            scope: self.words("scope"),
            error: self.param("error").map(BearerError::from_code),
            error_description: self.owned("error_description"),
            error_uri: self.owned("error_uri"),
            resource_metadata: self.owned("resource_metadata"),
        })
    }

    pub fn digest(&self) -> Option<DigestChallenge> {
        (self.auth_scheme() == AuthScheme::Digest).then(|| {
            let name = self.param("algorithm").unwrap_or("MD5").to_owned();
            let upper = name.to_ascii_uppercase();
            let (base, session) = match upper.strip_suffix("-SESS") {
                Some(base) => (base.to_owned(), true),
                None => (upper, false),
            };
            let hash = ["MD5", "SHA-256", "SHA-512-256"]
                .into_iter()
                .find(|known| *known == base);
            DigestChallenge {
                realm: self.owned("realm"),
                domain: self.words("domain"),
                nonce: self.owned("nonce"),
                opaque: self.owned("opaque"),
                stale: self.flag("stale"),
                algorithm: DigestAlgorithm {
                    name,
                    hash,
                    session,
                },
                qop: self
                    .param("qop")
                    .map(|v| {
                        v.split(',')
                            .map(str::trim)
                            .filter(|q| !q.is_empty())
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
                charset: self.owned("charset"),
                userhash: self.flag("userhash"),
            }
        })
    }

    pub fn dpop(&self) -> Option<DpopChallenge> {
        (self.auth_scheme() == AuthScheme::DPoP).then(|| DpopChallenge {
            realm: self.owned("realm"),
            scope: self.words("scope"),
            algs: self.words("algs"),
            error: self.param("error").map(BearerError::from_code),
            error_description: self.owned("error_description"),
        })
    }

    /// The `error` code of a Bearer or DPoP challenge.
    pub fn error(&self) -> Option<BearerError> {
        match self.auth_scheme() {
            AuthScheme::Bearer | AuthScheme::DPoP => {
                self.param("error").map(BearerError::from_code)
            }
            _ => None,
        }
    }
}

/// What can be wrong with a challenge header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChallengeProblem {
    /// A 401 without `WWW-Authenticate`, or a 407 without `Proxy-Authenticate`.
    MissingChallenge {
        status: u16,
    },
    /// The field is present but holds no challenge.
    Empty,
    /// Something that is not a scheme name where one was expected.
    InvalidScheme,
    /// `Basic; realm="x"`.
    SemicolonAfterScheme,
    /// `Basic"x"` or `Bearer=x`: no space between the scheme and what follows.
    MissingSpaceAfterScheme,
    /// `realm=my realm`: a value with spaces must be quoted.
    UnquotedSpace {
        name: String,
    },
    /// `realm="a" error="b"`: parameters must be separated by commas.
    MissingComma,
    UnterminatedQuote,
    /// `realm=` with nothing after it.
    MissingValue {
        name: String,
    },
    /// `error_uri=https://x`: characters that a bare token may not hold.
    ValueNeedsQuotes {
        name: String,
    },
    DuplicateParam {
        name: String,
    },
    /// Text that fits nowhere in the grammar and was skipped.
    UnexpectedText,
    /// `Basic, realm="x"` or `Other abc==, realm=x`: parameters after the comma that ends a
    /// scheme alone or its token68 belong to no challenge.
    ParamsOutsideChallenge {
        after_token68: bool,
    },
    /// `Basic , realm="x"`: a comma between the scheme and its parameters, which RFC 9110 does
    /// not allow and browsers read through.
    CommaBeforeParams,
    /// A token68 with more `=` padding than its length needs.
    SurplusPadding,
    /// Basic and Digest challenges must carry a realm.
    MissingRealm {
        scheme: String,
    },
    /// Basic's `charset` may only be `UTF-8` (RFC 7617 §2.1).
    BasicCharsetNotUtf8 {
        charset: String,
    },
    /// A Bearer or DPoP `error` sent with a status the RFC does not pair it with.
    ErrorWrongStatus {
        error: String,
        status: u16,
        expected: u16,
    },
    /// An `error` code no RFC defines.
    UnknownError {
        error: String,
    },
    DigestMissingNonce,
    DigestUnknownAlgorithm {
        algorithm: String,
    },
    /// `stale` or `userhash` that is neither `true` nor `false`.
    NotBoolean {
        name: String,
    },
}

impl fmt::Display for ChallengeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChallengeProblem::MissingChallenge { status } => {
                let header = if *status == 407 { "Proxy-Authenticate" } else { "WWW-Authenticate" };
                write!(
                    f,
                    "A {status} must say how to authenticate in a {header} header (RFC 9110 §15.5.{}); this one has none.",
                    if *status == 407 { 8 } else { 2 }
                )
            }
            ChallengeProblem::Empty => f.write_str("The header is present but empty: it names no authentication scheme."),
            ChallengeProblem::InvalidScheme => f.write_str("An authentication scheme name was expected here (a token such as Basic or Bearer)."),
            ChallengeProblem::SemicolonAfterScheme => f.write_str(
                "A semicolon follows the scheme name; a challenge separates the scheme from its parameters with a space, and parameters from each other with commas.",
            ),
            ChallengeProblem::MissingSpaceAfterScheme => f.write_str("The scheme name must be followed by a space before its parameters."),
            ChallengeProblem::UnquotedSpace { name } => write!(
                f,
                "The value of {name} contains a space but is not quoted; clients read only its first word. Put it in double quotes."
            ),
            ChallengeProblem::MissingComma => f.write_str("Parameters must be separated by commas; a comma is missing here."),
            ChallengeProblem::UnterminatedQuote => f.write_str("This quoted string has no closing double quote."),
            ChallengeProblem::MissingValue { name } => write!(f, "The parameter {name} has no value after “=”."),
            ChallengeProblem::ValueNeedsQuotes { name } => write!(
                f,
                "The value of {name} has characters that are only allowed inside double quotes."
            ),
            ChallengeProblem::DuplicateParam { name } => write!(
                f,
                "The parameter {name} appears more than once in the same challenge; each may appear only once (RFC 9110 §11.2)."
            ),
            ChallengeProblem::UnexpectedText => f.write_str("This text fits nowhere in the challenge syntax and was skipped."),
            ChallengeProblem::ParamsOutsideChallenge { after_token68: false } => f.write_str("A comma right after the scheme ends the challenge, so these parameters belong to no challenge (RFC 9110 §11.6.1), and browsers ignore it: write the scheme, a space, then the parameters (Basic realm=\"x\")."),
            ChallengeProblem::ParamsOutsideChallenge { after_token68: true } => f.write_str("A challenge carries either a token68 or parameters, not both (RFC 9110 §11.6.1): these parameters after the token68 belong to no challenge."),
            ChallengeProblem::CommaBeforeParams => f.write_str("A comma stands between the scheme and its parameters. Browsers read the parameters anyway, but RFC 9110 does not, and strict clients find no parameters: drop the comma."),
            ChallengeProblem::SurplusPadding => f.write_str("The token68 carries more “=” padding than its length needs; browsers drop the surplus before decoding it."),
            ChallengeProblem::MissingRealm { scheme } => write!(f, "A {scheme} challenge must carry a realm parameter."),
            ChallengeProblem::BasicCharsetNotUtf8 { charset } => write!(
                f,
                "Basic allows only charset=\"UTF-8\" (RFC 7617 §2.1), not “{charset}”."
            ),
            ChallengeProblem::ErrorWrongStatus { error, status, expected } => write!(
                f,
                "error=\"{error}\" belongs with a {expected} response (RFC 6750 §3.1), but this response is a {status}."
            ),
            ChallengeProblem::UnknownError { error } => write!(f, "“{error}” is not an error code defined for this scheme."),
            ChallengeProblem::DigestMissingNonce => f.write_str("A Digest challenge must carry a nonce (RFC 7616 §3.3)."),
            ChallengeProblem::DigestUnknownAlgorithm { algorithm } => write!(
                f,
                "“{algorithm}” is not a Digest algorithm (MD5, SHA-256, SHA-512-256, each with or without -sess)."
            ),
            ChallengeProblem::NotBoolean { name } => write!(f, "{name} must be true or false."),
        }
    }
}

/// The parsed value of one or more `WWW-Authenticate` (or `Proxy-Authenticate`) fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenges {
    /// The fields joined with `", "`, as HTTP combines them; spans index into it.
    pub value: String,
    pub challenges: Vec<Challenge>,
    pub problems: Vec<Problem<ChallengeProblem>>,
}

impl Challenges {
    /// The first challenge of this scheme.
    pub fn find(&self, scheme: AuthScheme) -> Option<&Challenge> {
        self.challenges.iter().find(|c| c.auth_scheme() == scheme)
    }

    /// Problems that depend on the response's status: a 401 without a challenge, and error codes
    /// the RFCs pair with another status (`insufficient_scope` belongs with 403,
    /// `invalid_request` with 400).
    pub fn check_status(&self, status: u16) -> Vec<Problem<ChallengeProblem>> {
        let mut problems = Vec::new();
        if matches!(status, 401 | 407) && self.challenges.is_empty() {
            problems.push(Problem::new(
                ChallengeProblem::MissingChallenge { status },
                0..0,
            ));
        }
        for challenge in &self.challenges {
            let Some(error) = challenge.error() else {
                continue;
            };
            let span = challenge
                .params
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case("error"))
                .map_or_else(|| challenge.span.clone(), |p| p.span.clone());
            if let Some(expected) = error.expected_status()
                && expected != status
            {
                problems.push(Problem::new(
                    ChallengeProblem::ErrorWrongStatus {
                        error: error.code().to_owned(),
                        status,
                        expected,
                    },
                    span,
                ));
            }
        }
        problems
    }
}
