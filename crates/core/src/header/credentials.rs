//! `Authorization` and `Proxy-Authorization` (RFC 9110 §11.6.2, §11.7.2): what the client sent,
//! decoded, with the shape mistakes that make servers answer 401.
//!
//! # ABNF
//! ```text
//! Authorization = credentials
//! credentials   = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
//! ```
//!
//! # Example values
//! `Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==` (RFC 7617: `Aladdin` / `open sesame`),
//! `Bearer mF_9.B5f-4.1JqM` (RFC 6750).

use std::fmt;

use base64::Engine as _;

use super::Problem;
use super::challenge::{AuthScheme, Challenges};
use super::syntax::{is_tchar, is_token68_char};
use crate::encoding::BASE64_LENIENT;

/// A decoded `Basic` credential. The password itself is not kept: only its length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasicCredentials {
    pub user: String,
    pub password_len: usize,
}

/// What the credentials are, by scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialsKind {
    /// Decoded when possible.
    Basic(Option<BasicCredentials>),
    Bearer {
        token: String,
        /// Three dot-separated base64url parts: probably a JWT.
        looks_like_jwt: bool,
    },
    DPoP {
        token: String,
    },
    Digest(super::digest::DigestCredentials),
    Negotiate,
    Ntlm,
    Aws4HmacSha256,
    /// A scheme seen in the wild but not registered: `Token`, `JWT`, `ApiKey`, `Api-Key`.
    NonStandard,
    /// `key=value` with no scheme at all.
    KeyValue {
        name: String,
    },
    /// A bare token with no scheme in front.
    BareToken,
    /// The whole value is a redaction mark (`[REDACTED]`, `<ACCESS_TOKEN>`): what it was is unknown.
    Hidden,
    Other,
    Empty,
}

/// The parsed value of an `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The value as given; spans index into it.
    pub value: String,
    /// The scheme as sent, if there is one.
    pub scheme: Option<String>,
    pub kind: CredentialsKind,
    pub problems: Vec<Problem<CredentialsProblem>>,
    /// The value, or the token after its scheme, is a redaction mark put there by whoever copied
    /// it (`[REDACTED]`, `Basic login_and_password_removed`, `Bearer <ACCESS_TOKEN>`, `***`):
    /// something was sent, but its form cannot be judged, so no problem is claimed.
    pub hidden: bool,
}

/// What can be wrong with credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialsProblem {
    Empty,
    /// Spaces or a line break before or after the value (often from a copied token).
    SurroundingWhitespace,
    /// A line break inside the value: browsers refuse to send it at all.
    ContainsLineBreak,
    /// A token with no scheme in front of it.
    MissingScheme,
    /// `Bearer Bearer …`.
    DoubledScheme {
        scheme: String,
    },
    /// The scheme is there but the token after it is not.
    MissingToken {
        scheme: String,
    },
    /// `Bearer "abc"`: the quotes are sent as part of the token.
    QuotedToken,
    /// White space inside the token.
    WhitespaceInToken,
    /// `Bearer undefined`, `Bearer null`, `Bearer [object Object]`, `Bearer ${token}` …
    PlaceholderToken {
        token: String,
    },
    /// Characters a token68 may not hold.
    InvalidTokenCharacters,
    /// More than one space between the scheme and the token; some servers split on one.
    ExtraSpaces,
    BasicNotBase64,
    /// The decoded Basic credentials have no `:` between user-id and password.
    BasicMissingColon,
    /// The decoded Basic credentials are not UTF-8 (sent without `charset="UTF-8"` negotiation).
    BasicNotUtf8,
    BasicEmptyUser,
    /// Base64url (`-`, `_`) where Basic needs standard base64.
    BasicUrlSafeAlphabet,
    /// A scheme that is not registered: the server must expect exactly this spelling.
    NonStandardScheme {
        scheme: String,
    },
    /// The scheme differs only in case from the usual spelling; legal, but some servers compare
    /// it case-sensitively.
    SchemeCase {
        sent: String,
        usual: String,
    },
    /// A parameter RFC 7616 §3.4 requires in a Digest response is missing.
    DigestMissingParam {
        name: &'static str,
    },
    /// `qop` is given without the `nc` and `cnonce` that must come with it.
    DigestQopWithoutCount,
    /// `nc` is not eight hexadecimal digits.
    DigestBadCount {
        nc: String,
    },
    /// The parameter list does not follow the grammar (the challenge's words for it).
    DigestSyntax {
        detail: String,
    },
    /// The server challenged with other schemes than the one sent.
    SchemeNotOffered {
        sent: String,
        offered: Vec<String>,
    },
}

impl fmt::Display for CredentialsProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsProblem::Empty => f.write_str("The Authorization header is empty."),
            CredentialsProblem::SurroundingWhitespace => f.write_str(
                "The value starts or ends with white space or a line break, usually copied along with the token; remove it.",
            ),
            CredentialsProblem::ContainsLineBreak => f.write_str(
                "The value contains a line break; browsers refuse to send such a header and fetch() throws.",
            ),
            CredentialsProblem::MissingScheme => f.write_str(
                "The token is sent without a scheme; servers expect a scheme first, e.g. “Bearer <token>”.",
            ),
            CredentialsProblem::DoubledScheme { scheme } => write!(
                f,
                "The scheme appears twice (“{scheme} {scheme} …”): the code adds “{scheme} ” to a value that already has it."
            ),
            CredentialsProblem::MissingToken { scheme } => {
                write!(f, "“{scheme}” is followed by no token.")
            }
            CredentialsProblem::QuotedToken => f.write_str(
                "The token is wrapped in quotes, which are then sent as part of it; remove them.",
            ),
            CredentialsProblem::WhitespaceInToken => {
                f.write_str("The token contains white space; tokens never do.")
            }
            CredentialsProblem::PlaceholderToken { token } => write!(
                f,
                "The token is “{token}”: the code sent a placeholder or an unset variable instead of a real token."
            ),
            CredentialsProblem::InvalidTokenCharacters => f.write_str(
                "The token contains characters a token may not hold (only letters, digits and - . _ ~ + / =).",
            ),
            CredentialsProblem::ExtraSpaces => f.write_str(
                "More than one space separates the scheme from the token; some servers split on a single space.",
            ),
            CredentialsProblem::BasicNotBase64 => {
                f.write_str("Basic credentials must be base64 of “user:password”; this is not valid base64.")
            }
            CredentialsProblem::BasicMissingColon => f.write_str(
                "The decoded Basic credentials have no “:” between the user name and the password.",
            ),
            CredentialsProblem::BasicNotUtf8 => f.write_str(
                "The decoded Basic credentials are not UTF-8; servers that do not announce charset=\"UTF-8\" may decode them differently.",
            ),
            CredentialsProblem::BasicEmptyUser => {
                f.write_str("The decoded Basic credentials have an empty user name.")
            }
            CredentialsProblem::BasicUrlSafeAlphabet => f.write_str(
                "This is base64url (with - or _); Basic needs standard base64 (with + and /).",
            ),
            CredentialsProblem::NonStandardScheme { scheme } => write!(
                f,
                "“{scheme}” is not a registered scheme; it works only if the server expects exactly this word (Django REST framework's TokenAuthentication wants “Token”, OAuth servers want “Bearer”)."
            ),
            CredentialsProblem::SchemeCase { sent, usual } => write!(
                f,
                "The scheme is written “{sent}”; schemes are case-insensitive, but some servers only accept “{usual}”."
            ),
            CredentialsProblem::DigestMissingParam { name } => write!(
                f,
                "The Digest credentials lack {name}, which every Digest response carries (RFC 7616 §3.4)."
            ),
            CredentialsProblem::DigestQopWithoutCount => f.write_str(
                "The Digest credentials name a qop but not both nc and cnonce, which must come with it.",
            ),
            CredentialsProblem::DigestBadCount { nc } => write!(
                f,
                "nc is “{nc}”; it must be exactly eight hexadecimal digits (00000001)."
            ),
            CredentialsProblem::DigestSyntax { detail } => {
                write!(f, "The Digest parameters do not parse: {detail}")
            }
            CredentialsProblem::SchemeNotOffered { sent, offered } => write!(
                f,
                "The request sent {sent} credentials, but the server asks for {}.",
                offered.join(" or ")
            ),
        }
    }
}

/// Non-registered schemes seen in the wild, in their usual spelling.
const NON_STANDARD_SCHEMES: &[&str] =
    &["Token", "JWT", "ApiKey", "Api-Key", "Key", "OAuth", "SSWS"];

/// Values that are placeholders or unset variables, not tokens.
const PLACEHOLDERS: &[&str] = &[
    "undefined",
    "null",
    "none",
    "nil",
    "[object Object]",
    "NaN",
    "token",
    "your_token",
    "YOUR_TOKEN",
    "YOUR_API_KEY",
    "${token}",
    "{{token}}",
];

pub(super) type Span = std::ops::Range<usize>;

/// Parses an `Authorization` (or `Proxy-Authorization`) value.
pub fn parse_authorization(value: &str) -> Credentials {
    let mut problems = Vec::new();
    let mut push = |kind, span: Span| problems.push(Problem::new(kind, span));
    let trimmed = value.trim_matches(|c: char| c.is_ascii_whitespace());
    let offset = value.len()
        - value
            .trim_start_matches(|c: char| c.is_ascii_whitespace())
            .len();
    let (scheme, kind) = if trimmed.is_empty() {
        push(CredentialsProblem::Empty, 0..value.len());
        (None, CredentialsKind::Empty)
    } else {
        if trimmed.len() != value.len() {
            push(CredentialsProblem::SurroundingWhitespace, 0..value.len());
        }
        if let Some(at) = trimmed.find(['\r', '\n']) {
            push(
                CredentialsProblem::ContainsLineBreak,
                offset + at..offset + at + 1,
            );
        }
        let parts = split_scheme(trimmed, offset, &mut push);
        if is_schemeless(&parts) {
            (None, schemeless_kind(&parts, &mut push))
        } else {
            let kind = scheme_kind(&parts, &mut push);
            (Some(parts.scheme.to_owned()), kind)
        }
    };
    // A redaction mark says nothing about the form of what was sent.
    // `[REDACTED]`, `<dropped by the recorder>`: a bracketed mark may hold spaces.
    let bracketed = (trimmed.starts_with('<') && trimmed.ends_with('>'))
        || (trimmed.starts_with('[') && trimmed.ends_with(']'));
    let whole = (bracketed || !trimmed.contains([' ', '\t'])) && is_redaction_mark(trimmed);
    let hidden = whole
        || trimmed
            .split_once([' ', '\t'])
            .is_some_and(|(scheme, rest)| scheme.bytes().all(is_tchar) && is_redaction_mark(rest));
    if hidden {
        problems.clear();
    }
    let (scheme, kind) = if whole {
        (None, CredentialsKind::Hidden)
    } else {
        (scheme, kind)
    };
    Credentials {
        value: value.to_owned(),
        scheme,
        kind,
        problems,
        hidden,
    }
}

/// Words recorders and people put where a secret was: `[REDACTED]`, `**FILTERED**`,
/// `login_and_password_removed`, `<ACCESS_TOKEN>`, `***`, `XXXX`.
const REDACTION_WORDS: &[&str] = &[
    "redacted",
    "filtered",
    "removed",
    "masked",
    "scrubbed",
    "sanitized",
    "obfuscated",
    "censored",
    "hidden",
    "omitted",
    "dummy",
];

/// Whether `text` is a redaction mark rather than a credential.
pub fn is_redaction_mark(text: &str) -> bool {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    let bracketed = text.len() > 2 && text.starts_with('<') && text.ends_with('>');
    let masked = text.len() >= 3
        && text
            .chars()
            .all(|c| matches!(c, '*' | 'x' | 'X' | '•' | '.'));
    // `AUTHORIZATION-XXX`, as some recorders write every header they hide; `eyJhbGci…`, cut
    // short by whoever copied it.
    let suffixed = text.ends_with("-XXX")
        || text.ends_with("_XXX")
        || text.ends_with("...")
        || text.ends_with('…');
    bracketed || masked || suffixed || REDACTION_WORDS.iter().any(|w| lower.contains(w))
}

/// A trimmed value split at its first space: the scheme and what follows, with their spans.
struct Parts<'a> {
    scheme: &'a str,
    scheme_span: Span,
    rest: &'a str,
    rest_span: Span,
}

fn split_scheme<'a>(
    trimmed: &'a str,
    offset: usize,
    push: &mut impl FnMut(CredentialsProblem, Span),
) -> Parts<'a> {
    let (scheme, rest) = match trimmed.find([' ', '\t']) {
        Some(space) => {
            let after = trimmed.get(space..).unwrap_or_default();
            let rest = after.trim_start_matches([' ', '\t']);
            if after.len() - rest.len() > 1 {
                push(
                    CredentialsProblem::ExtraSpaces,
                    offset + space..offset + trimmed.len() - rest.len(),
                );
            }
            (trimmed.get(..space).unwrap_or_default(), rest)
        }
        None => (trimmed, ""),
    };
    let rest_at = offset + trimmed.len() - rest.len();
    Parts {
        scheme,
        scheme_span: offset..offset + scheme.len(),
        rest,
        rest_span: rest_at..rest_at + rest.len(),
    }
}

/// `key=value`, or a token with no scheme before it.
fn is_schemeless(parts: &Parts<'_>) -> bool {
    !parts.scheme.bytes().all(is_tchar)
        || (parts.rest.is_empty() && looks_like_bare_token(parts.scheme))
}

fn schemeless_kind(
    parts: &Parts<'_>,
    push: &mut impl FnMut(CredentialsProblem, Span),
) -> CredentialsKind {
    push(
        CredentialsProblem::MissingScheme,
        parts.scheme_span.start..parts.rest_span.end.max(parts.scheme_span.end),
    );
    match parts.scheme.split_once('=') {
        Some((name, _))
            if parts.rest.is_empty() && !name.is_empty() && name.bytes().all(is_tchar) =>
        {
            CredentialsKind::KeyValue {
                name: name.to_owned(),
            }
        }
        _ => CredentialsKind::BareToken,
    }
}

fn scheme_kind(
    parts: &Parts<'_>,
    push: &mut impl FnMut(CredentialsProblem, Span),
) -> CredentialsKind {
    let Parts {
        scheme,
        scheme_span,
        rest,
        rest_span,
    } = parts;
    let auth_scheme = AuthScheme::from_name(scheme);
    if let Some(usual) = usual_spelling(scheme, auth_scheme)
        && usual != *scheme
    {
        push(
            CredentialsProblem::SchemeCase {
                sent: (*scheme).to_owned(),
                usual: usual.to_owned(),
            },
            scheme_span.clone(),
        );
    }
    if rest.is_empty() && auth_scheme != AuthScheme::Other {
        push(
            CredentialsProblem::MissingToken {
                scheme: (*scheme).to_owned(),
            },
            scheme_span.clone(),
        );
    }
    // `Bearer Bearer abc`
    let first_word = rest.split([' ', '\t']).next().unwrap_or_default();
    if !first_word.is_empty() && first_word.eq_ignore_ascii_case(scheme) {
        push(
            CredentialsProblem::DoubledScheme {
                scheme: (*scheme).to_owned(),
            },
            rest_span.start..rest_span.start + first_word.len(),
        );
    }
    match auth_scheme {
        AuthScheme::Basic => CredentialsKind::Basic(decode_basic(rest, rest_span, push)),
        AuthScheme::Bearer => {
            let token = check_token(rest, rest_span, push);
            CredentialsKind::Bearer {
                looks_like_jwt: looks_like_jwt(&token),
                token,
            }
        }
        AuthScheme::DPoP => CredentialsKind::DPoP {
            token: check_token(rest, rest_span, push),
        },
        AuthScheme::Digest => {
            CredentialsKind::Digest(super::digest::parse_digest(rest, rest_span, push))
        }
        AuthScheme::Negotiate => CredentialsKind::Negotiate,
        AuthScheme::Ntlm => CredentialsKind::Ntlm,
        AuthScheme::Aws4HmacSha256 => CredentialsKind::Aws4HmacSha256,
        _ if NON_STANDARD_SCHEMES
            .iter()
            .any(|s| s.eq_ignore_ascii_case(scheme)) =>
        {
            push(
                CredentialsProblem::NonStandardScheme {
                    scheme: (*scheme).to_owned(),
                },
                scheme_span.clone(),
            );
            if !rest.is_empty() {
                check_token(rest, rest_span, push);
            }
            CredentialsKind::NonStandard
        }
        _ => CredentialsKind::Other,
    }
}

impl Credentials {
    pub fn auth_scheme(&self) -> Option<AuthScheme> {
        self.scheme.as_deref().map(AuthScheme::from_name)
    }

    /// Whether the sent scheme is one the server offered; a problem when it is not.
    pub fn check_offered(&self, challenges: &Challenges) -> Option<Problem<CredentialsProblem>> {
        let sent = self.scheme.as_ref()?;
        if challenges.challenges.is_empty()
            || challenges
                .challenges
                .iter()
                .any(|c| c.scheme.eq_ignore_ascii_case(sent))
        {
            return None;
        }
        let mut offered: Vec<String> = Vec::new();
        for challenge in &challenges.challenges {
            if !offered
                .iter()
                .any(|o| o.eq_ignore_ascii_case(&challenge.scheme))
            {
                offered.push(challenge.scheme.clone());
            }
        }
        let start = self.value.len() - self.value.trim_start().len();
        Some(Problem::new(
            CredentialsProblem::SchemeNotOffered {
                sent: sent.clone(),
                offered,
            },
            start..start + sent.len(),
        ))
    }
}

fn usual_spelling(scheme: &str, auth_scheme: AuthScheme) -> Option<&'static str> {
    const USUAL: &[(AuthScheme, &str)] = &[
        (AuthScheme::Basic, "Basic"),
        (AuthScheme::Bearer, "Bearer"),
        (AuthScheme::Digest, "Digest"),
        (AuthScheme::DPoP, "DPoP"),
        (AuthScheme::Negotiate, "Negotiate"),
        (AuthScheme::Ntlm, "NTLM"),
    ];
    USUAL
        .iter()
        .find(|(s, _)| *s == auth_scheme)
        .map(|(_, usual)| *usual)
        .or_else(|| {
            NON_STANDARD_SCHEMES
                .iter()
                .copied()
                .find(|s| s.eq_ignore_ascii_case(scheme))
        })
}

/// A long single word that is no scheme we know: a token pasted without `Bearer `.
fn looks_like_bare_token(word: &str) -> bool {
    AuthScheme::from_name(word) == AuthScheme::Other
        && !NON_STANDARD_SCHEMES
            .iter()
            .any(|s| s.eq_ignore_ascii_case(word))
        && (word.len() >= 20 || looks_like_jwt(word))
}

fn looks_like_jwt(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() == 3
        && parts.iter().take(2).all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        && token.starts_with("eyJ")
}

/// Checks a Bearer-like token's shape and returns it as it will be compared (quotes kept).
fn check_token(rest: &str, span: &Span, push: &mut impl FnMut(CredentialsProblem, Span)) -> String {
    let token = rest.trim_end();
    if token.is_empty() {
        return String::new();
    }
    let unquoted = token.trim_matches(['"', '\'']);
    if unquoted.len() != token.len() {
        push(CredentialsProblem::QuotedToken, span.clone());
    }
    let last_word = unquoted
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or_default();
    let has_whitespace = unquoted.contains(char::is_whitespace);
    if has_whitespace {
        push(CredentialsProblem::WhitespaceInToken, span.clone());
    }
    if PLACEHOLDERS
        .iter()
        .any(|p| p.eq_ignore_ascii_case(last_word) || p.eq_ignore_ascii_case(unquoted))
    {
        push(
            CredentialsProblem::PlaceholderToken {
                token: unquoted.to_owned(),
            },
            span.clone(),
        );
    } else if !has_whitespace && !unquoted.trim_end_matches('=').bytes().all(is_token68_char) {
        push(CredentialsProblem::InvalidTokenCharacters, span.clone());
    }
    token.to_owned()
}

fn decode_basic(
    rest: &str,
    span: &Span,
    push: &mut impl FnMut(CredentialsProblem, Span),
) -> Option<BasicCredentials> {
    let encoded = rest.trim_end();
    if encoded.is_empty() {
        return None;
    }
    let decoded = if let Ok(bytes) = BASE64_LENIENT.decode(encoded) {
        bytes
    } else {
        let url_safe = encoded.contains(['-', '_']);
        let retry = encoded.replace('-', "+").replace('_', "/");
        if let (true, Ok(bytes)) = (url_safe, BASE64_LENIENT.decode(retry)) {
            push(CredentialsProblem::BasicUrlSafeAlphabet, span.clone());
            bytes
        } else {
            push(CredentialsProblem::BasicNotBase64, span.clone());
            return None;
        }
    };
    let text = if let Ok(text) = String::from_utf8(decoded.clone()) {
        text
    } else {
        push(CredentialsProblem::BasicNotUtf8, span.clone());
        // Latin-1, as servers without charset negotiation often read it.
        decoded.iter().map(|&b| char::from(b)).collect()
    };
    let Some((user, password)) = text.split_once(':') else {
        push(CredentialsProblem::BasicMissingColon, span.clone());
        return Some(BasicCredentials {
            user: text,
            password_len: 0,
        });
    };
    if user.is_empty() {
        push(CredentialsProblem::BasicEmptyUser, span.clone());
    }
    Some(BasicCredentials {
        user: user.to_owned(),
        password_len: password.chars().count(),
    })
}
