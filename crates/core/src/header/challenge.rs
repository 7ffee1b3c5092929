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
use super::syntax::{Cursor, is_token68_char};

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

/// Parses `WWW-Authenticate` or `Proxy-Authenticate`, given every field of that name in the
/// response (HTTP allows the list to be split across fields).
pub fn parse_www_authenticate(fields: &[&str]) -> Challenges {
    let value = fields.join(", ");
    let mut problems = Vec::new();
    let challenges = parse_challenges(&value, &mut problems);
    if challenges.is_empty() && problems.is_empty() && !fields.is_empty() {
        problems.push(Problem::new(ChallengeProblem::Empty, 0..value.len()));
    }
    for challenge in &challenges {
        lint_duplicates(&challenge.params, &mut problems);
        lint_scheme(challenge, &mut problems);
    }
    // In the order they occur; a stable insertion keeps the bundle free of a sort routine.
    let mut ordered: Vec<Problem<ChallengeProblem>> = Vec::with_capacity(problems.len());
    for problem in problems {
        let at = ordered.partition_point(|q| q.span.start <= problem.span.start);
        ordered.insert(at, problem);
    }
    let problems = ordered;
    Challenges {
        value,
        challenges,
        problems,
    }
}

/// Parses a bare `#auth-param` list, as in `Authentication-Info` and `Proxy-Authentication-Info`.
pub fn parse_auth_params(value: &str) -> (Vec<AuthParam>, Vec<Problem<ChallengeProblem>>) {
    let mut problems = Vec::new();
    let mut cursor = Cursor::new(value);
    let mut params = Vec::new();
    loop {
        skip_separators(&mut cursor);
        if cursor.at_end() {
            break;
        }
        if cursor.looks_like_param() {
            parse_param_list(&mut cursor, &mut params, &mut problems);
        } else {
            let start = cursor.pos;
            cursor.skip_to_comma();
            problems.push(Problem::new(
                ChallengeProblem::UnexpectedText,
                start..cursor.pos,
            ));
        }
    }
    lint_duplicates(&params, &mut problems);
    (params, problems)
}

fn skip_separators(cursor: &mut Cursor<'_>) {
    loop {
        cursor.skip_ws();
        if !cursor.eat(b',') {
            break;
        }
    }
}

fn parse_challenges(value: &str, problems: &mut Vec<Problem<ChallengeProblem>>) -> Vec<Challenge> {
    let mut cursor = Cursor::new(value);
    let mut challenges = Vec::new();
    loop {
        skip_separators(&mut cursor);
        if cursor.at_end() {
            break;
        }
        let start = cursor.pos;
        let scheme = cursor.token();
        if scheme.is_empty() {
            cursor.skip_to_comma();
            problems.push(Problem::new(
                ChallengeProblem::InvalidScheme,
                start..cursor.pos.max(start + 1),
            ));
            continue;
        }
        let mut challenge = Challenge {
            scheme: scheme.to_owned(),
            token68: None,
            params: Vec::new(),
            span: start..cursor.pos,
        };
        if cursor.peek() == Some(b';') {
            problems.push(Problem::new(
                ChallengeProblem::SemicolonAfterScheme,
                cursor.pos..cursor.pos + 1,
            ));
            cursor.pos += 1;
        } else if matches!(cursor.peek(), Some(b'"' | b'=')) {
            problems.push(Problem::new(
                ChallengeProblem::MissingSpaceAfterScheme,
                cursor.pos..cursor.pos + 1,
            ));
        }
        cursor.skip_ws();
        if !cursor.at_end() && cursor.peek() != Some(b',') {
            parse_challenge_body(&mut cursor, &mut challenge, problems);
        }
        // `Basic, realm="x"`: parameters after a comma still belong to this challenge.
        let mark = cursor.pos;
        skip_separators(&mut cursor);
        if !cursor.at_end() && cursor.looks_like_param() {
            parse_param_list(&mut cursor, &mut challenge.params, problems);
        } else {
            cursor.pos = mark;
        }
        challenge.span.end = cursor.pos;
        challenges.push(challenge);
    }
    challenges
}

/// Schemes whose challenges carry parameters, never a token68.
fn takes_params(scheme: AuthScheme) -> bool {
    !matches!(
        scheme,
        AuthScheme::Negotiate | AuthScheme::Ntlm | AuthScheme::Other
    )
}

/// After `scheme SP`: a token68 or the first auth-params.
fn parse_challenge_body(
    cursor: &mut Cursor<'_>,
    challenge: &mut Challenge,
    problems: &mut Vec<Problem<ChallengeProblem>>,
) {
    let start = cursor.pos;
    // `abc==` reads like the parameter `abc` with the value `=`; a whole element of token68
    // characters and trailing `=` is a token68, except `realm=` (an empty value) in a scheme that
    // takes parameters.
    let mut probe = Cursor {
        text: cursor.text,
        pos: cursor.pos,
    };
    if let Some(token68) = read_token68(&mut probe) {
        let empty_param = token68.matches('=').count() == 1 && token68.ends_with('=');
        if !(empty_param && takes_params(challenge.auth_scheme())) {
            challenge.token68 = Some(token68);
            cursor.pos = probe.pos;
            return;
        }
    }
    if cursor.looks_like_param() {
        parse_param_list(cursor, &mut challenge.params, problems);
        return;
    }
    cursor.skip_to_comma();
    problems.push(Problem::new(
        ChallengeProblem::UnexpectedText,
        start..cursor.pos.max(start + 1),
    ));
}

/// Reads `token68` if the cursor is at one that ends at white space, a comma or the end.
fn read_token68(cursor: &mut Cursor<'_>) -> Option<String> {
    let start = cursor.pos;
    if cursor.take_while(is_token68_char).is_empty() {
        return None;
    }
    cursor.take_while(|b| b == b'=');
    let token68 = cursor.slice(start).to_owned();
    let mut probe = Cursor {
        text: cursor.text,
        pos: cursor.pos,
    };
    probe.skip_ws();
    if probe.at_end() || probe.peek() == Some(b',') {
        Some(token68)
    } else {
        cursor.pos = start;
        None
    }
}

/// Moves past `OWS "," OWS` to the next parameter and says so; stays put (and says no) when what
/// follows is the end or a new challenge.
fn next_param(cursor: &mut Cursor<'_>) -> bool {
    let mark = cursor.pos;
    skip_separators(cursor);
    if !cursor.at_end() && cursor.looks_like_param() {
        true
    } else {
        cursor.pos = mark;
        false
    }
}

/// Reads `auth-param *( OWS "," OWS auth-param )` from a cursor at a parameter, stopping before
/// an element that is not one (a new challenge). Missing commas and unquoted spaces are read
/// through, and reported.
fn parse_param_list(
    cursor: &mut Cursor<'_>,
    params: &mut Vec<AuthParam>,
    problems: &mut Vec<Problem<ChallengeProblem>>,
) {
    loop {
        let start = cursor.pos;
        let name = cursor.token().to_owned();
        cursor.skip_ws();
        if name.is_empty() || !cursor.eat(b'=') {
            cursor.pos = start;
            return;
        }
        cursor.skip_ws();
        let (value, quoted) = parse_param_value(cursor, &name, problems);
        params.push(AuthParam {
            name,
            value,
            quoted,
            span: start..cursor.pos,
        });
        let after_value = cursor.pos;
        let spaces = cursor.skip_ws();
        if cursor.at_end() {
            return;
        }
        if cursor.peek() == Some(b',') {
            cursor.pos = after_value;
        } else {
            if cursor.looks_like_param() {
                problems.push(Problem::new(
                    ChallengeProblem::MissingComma,
                    after_value..cursor.pos.max(after_value + 1),
                ));
                continue;
            }
            let rest_start = cursor.pos;
            cursor.skip_to_comma();
            let rest = cursor
                .text
                .get(rest_start..cursor.pos)
                .unwrap_or_default()
                .trim_end();
            match params.last_mut() {
                // `realm=my realm`: the rest of the element belongs to the value.
                Some(param) if spaces > 0 && !quoted => {
                    param.value.push(' ');
                    param.value.push_str(rest);
                    param.span.end = rest_start + rest.len();
                    problems.push(Problem::new(
                        ChallengeProblem::UnquotedSpace {
                            name: param.name.clone(),
                        },
                        param.span.clone(),
                    ));
                }
                _ => problems.push(Problem::new(
                    ChallengeProblem::UnexpectedText,
                    rest_start..cursor.pos.max(rest_start + 1),
                )),
            }
        }
        if !next_param(cursor) {
            return;
        }
    }
}

fn parse_param_value(
    cursor: &mut Cursor<'_>,
    name: &str,
    problems: &mut Vec<Problem<ChallengeProblem>>,
) -> (String, bool) {
    let start = cursor.pos;
    if cursor.peek() == Some(b'"') {
        return match cursor.quoted() {
            Ok(value) => (value, true),
            Err(value) => {
                problems.push(Problem::new(
                    ChallengeProblem::UnterminatedQuote,
                    start..cursor.pos,
                ));
                (value, true)
            }
        };
    }
    cursor.token();
    // Lenient: characters a token may not hold (`:`, `/`, `=` …) are read up to white space or a
    // comma, and reported.
    let extra = cursor.take_while(|b| !matches!(b, b',' | b' ' | b'\t'));
    let value = cursor.slice(start).to_owned();
    if value.is_empty() {
        problems.push(Problem::new(
            ChallengeProblem::MissingValue {
                name: name.to_owned(),
            },
            start.saturating_sub(1)..start,
        ));
    } else if !extra.is_empty() {
        problems.push(Problem::new(
            ChallengeProblem::ValueNeedsQuotes {
                name: name.to_owned(),
            },
            start..cursor.pos,
        ));
    }
    (value, false)
}

fn lint_duplicates(params: &[AuthParam], problems: &mut Vec<Problem<ChallengeProblem>>) {
    for (i, param) in params.iter().enumerate() {
        if params
            .iter()
            .take(i)
            .any(|earlier| earlier.name.eq_ignore_ascii_case(&param.name))
        {
            problems.push(Problem::new(
                ChallengeProblem::DuplicateParam {
                    name: param.name.clone(),
                },
                param.span.clone(),
            ));
        }
    }
}

fn param_span(challenge: &Challenge, name: &str) -> Range<usize> {
    challenge
        .params
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
        .map_or_else(|| challenge.span.clone(), |p| p.span.clone())
}

fn lint_scheme(challenge: &Challenge, problems: &mut Vec<Problem<ChallengeProblem>>) {
    let mut push = |kind, span| problems.push(Problem::new(kind, span));
    match challenge.auth_scheme() {
        AuthScheme::Basic => {
            if challenge.param("realm").is_none() {
                push(
                    ChallengeProblem::MissingRealm {
                        scheme: challenge.scheme.clone(),
                    },
                    challenge.span.clone(),
                );
            }
            if let Some(charset) = challenge.param("charset")
                && !charset.eq_ignore_ascii_case("UTF-8")
            {
                push(
                    ChallengeProblem::BasicCharsetNotUtf8 {
                        charset: charset.to_owned(),
                    },
                    param_span(challenge, "charset"),
                );
            }
        }
        AuthScheme::Digest => {
            if challenge.param("realm").is_none() {
                push(
                    ChallengeProblem::MissingRealm {
                        scheme: challenge.scheme.clone(),
                    },
                    challenge.span.clone(),
                );
            }
            if challenge.param("nonce").is_none() {
                push(ChallengeProblem::DigestMissingNonce, challenge.span.clone());
            }
            if let Some(digest) = challenge.digest()
                && digest.algorithm.hash.is_none()
            {
                push(
                    ChallengeProblem::DigestUnknownAlgorithm {
                        algorithm: digest.algorithm.name,
                    },
                    param_span(challenge, "algorithm"),
                );
            }
            for flag in ["stale", "userhash"] {
                if challenge.param(flag).is_some() && challenge.flag(flag).is_none() {
                    push(
                        ChallengeProblem::NotBoolean {
                            name: flag.to_owned(),
                        },
                        param_span(challenge, flag),
                    );
                }
            }
        }
        AuthScheme::Bearer | AuthScheme::DPoP => {
            if let Some(BearerError::Other(error)) = challenge.error() {
                push(
                    ChallengeProblem::UnknownError { error },
                    param_span(challenge, "error"),
                );
            } else if challenge.auth_scheme() == AuthScheme::Bearer
                && matches!(
                    challenge.error(),
                    Some(BearerError::InvalidDpopProof | BearerError::UseDpopNonce)
                )
            {
                let error = challenge
                    .error()
                    .map(|e| e.code().to_owned())
                    .unwrap_or_default();
                push(
                    ChallengeProblem::UnknownError { error },
                    param_span(challenge, "error"),
                );
            }
        }
        _ => {}
    }
}
