//! The request as the user describes it in the form — method, a "Headers" box with one
//! `Name: value` per line, a body, the credentials mode and a time limit — and the checks a
//! browser would make before sending it, so that the form can say what is wrong in a sentence.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::cors::CredentialsMode;
use crate::header::is_tchar;

/// The default time limit of one probe.
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;

/// The request to inspect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestSpec {
    pub url: String,
    pub method: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub credentials: CredentialsMode,
    pub timeout_ms: u32,
}

/// `Basic` credentials for `user:password`, as curl's `-u` sends them.
pub fn basic_credentials(user_password: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(user_password.as_bytes())
    )
}

impl RequestSpec {
    /// A plain `GET` of `url` with the browser's defaults.
    pub fn get(url: &str) -> RequestSpec {
        RequestSpec {
            url: url.to_owned(),
            method: "GET".to_owned(),
            headers: Vec::new(),
            body: None,
            credentials: CredentialsMode::SameOrigin,
            timeout_ms: DEFAULT_TIMEOUT_MS,
        }
    }

    /// The method as the browser sends it: the standard methods upper-cased.
    pub fn normalized_method(&self) -> String {
        normalize_method(&self.method)
    }

    /// The `Authorization` header's value, if the request carries one.
    pub fn authorization(&self) -> Option<&str> {
        authorization(&self.headers)
    }

    /// The request as the CORS model sees it when this page's `origin` sends it.
    pub fn cors_request(&self, origin: &str) -> crate::cors::CorsRequest {
        crate::cors::CorsRequest {
            origin: origin.to_owned(),
            method: self.normalized_method(),
            headers: self.headers.clone(),
            credentials: self.credentials.cross_origin(),
        }
    }

    /// Whether sending this request could change something on the server: anything but
    /// `GET`, `HEAD` and `OPTIONS`. Such requests are sent only after the user confirms.
    pub fn is_unsafe(&self) -> bool {
        !matches!(
            self.normalized_method().as_str(),
            "GET" | "HEAD" | "OPTIONS"
        )
    }
}

/// The value of the `Authorization` header in a header list (names in any case).
pub fn authorization(headers: &[(String, String)]) -> Option<&str> {
    headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .map(|(_, value)| value.as_str())
}

/// `DELETE`, `GET`, `HEAD`, `OPTIONS`, `POST` and `PUT` are upper-cased by `fetch()` (Fetch,
/// "normalize a method"); every other method is sent exactly as written.
pub fn normalize_method(method: &str) -> String {
    ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]
        .iter()
        .find(|m| m.eq_ignore_ascii_case(method))
        .map_or_else(|| method.to_owned(), |m| (*m).to_owned())
}

/// What is wrong with a line of the Headers box, or with the method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestProblem {
    /// A line without `:`.
    MissingColon { line: usize },
    /// A header name that is not a token.
    InvalidName { line: usize, name: String },
    /// A name scripts may not set (Fetch "forbidden request-header"); the browser silently drops
    /// it or sets it itself.
    Forbidden {
        line: usize,
        name: String,
        why: &'static str,
    },
    /// A value with a control character (`U+000D`): `fetch()` throws at NUL, CR and LF; the
    /// others would be sent unseen. Never split into lines of its own.
    InvalidValue {
        line: usize,
        name: String,
        code_point: String,
    },
    /// A character above U+00FF: `fetch()` throws ("String contains non ISO-8859-1 code point").
    NonLatin1Value { line: usize, name: String },
    /// A method that is not a token.
    InvalidMethod { method: String },
    /// `CONNECT`, `TRACE` or `TRACK`: `fetch()` throws.
    ForbiddenMethod { method: String },
    /// `GET` and `HEAD` cannot have a body: `fetch()` throws.
    BodyNotAllowed { method: String },
    /// A time limit of zero or more than ten minutes.
    InvalidTimeout,
}

impl fmt::Display for RequestProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestProblem::MissingColon { line } => {
                write!(
                    f,
                    "Line {line} of Headers has no “:”; write one header per line as Name: value."
                )
            }
            RequestProblem::InvalidName { line, name } => write!(
                f,
                "Line {line} of Headers: “{name}” is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)."
            ),
            RequestProblem::Forbidden { line, name, why } => write!(
                f,
                "Line {line} of Headers: browsers do not let a page set {name}; {why}."
            ),
            RequestProblem::InvalidValue {
                line,
                name,
                code_point,
            } => write!(
                f,
                "Line {line} of Headers: the value of {name} holds a control character ({code_point}), which could break it into another header or hide what is sent; remove it."
            ),
            RequestProblem::NonLatin1Value { line, name } => write!(
                f,
                "Line {line} of Headers: the value of {name} has a character beyond ISO-8859-1 (often a pasted “smart” quote or dash), which browsers refuse to send."
            ),
            RequestProblem::InvalidMethod { method } => {
                write!(f, "“{method}” is not a valid HTTP method.")
            }
            RequestProblem::ForbiddenMethod { method } => {
                write!(f, "Browsers refuse to send {method} requests from a page.")
            }
            RequestProblem::BodyNotAllowed { method } => write!(
                f,
                "A {method} request cannot have a body in a browser; remove the body or use POST."
            ),
            RequestProblem::InvalidTimeout => {
                f.write_str("The time limit must be between 1 ms and 10 minutes.")
            }
        }
    }
}

/// Forbidden request-header names besides the ones with their own reason.
const OTHER_FORBIDDEN: &[&str] = &[
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "date",
    "dnt",
    "expect",
    "keep-alive",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

/// Why a page may not set this header, if it may not: a Fetch forbidden request-header
/// (`#forbidden-request-header`), `User-Agent` (forbidden in Chromium, though no longer by the
/// standard), or a method-override header naming a forbidden method.
pub fn forbidden_request_header(name: &str, value: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    if [
        "x-http-method",
        "x-http-method-override",
        "x-method-override",
    ]
    .contains(&lower.as_str())
        && split_list(value)
            .iter()
            .any(|method| is_forbidden_method(method))
    {
        return Some("it asks for a method browsers never send (CONNECT, TRACE, TRACK)");
    }
    if lower == "user-agent" {
        return Some(
            "Chromium keeps the browser's own (the Fetch standard allows it; Firefox sends it)",
        );
    }
    forbidden_reason(&lower)
}

/// CONNECT, TRACE and TRACK, which browsers refuse to send (Fetch `#forbidden-method`).
pub fn is_forbidden_method(method: &str) -> bool {
    ["CONNECT", "TRACE", "TRACK"]
        .iter()
        .any(|m| m.eq_ignore_ascii_case(method))
}

/// A header value split at its commas as Fetch's "get, decode, and split" does: a comma inside
/// a quoted string splits nothing, and each element is trimmed of white space.
fn split_list(value: &str) -> Vec<&str> {
    let mut elements = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (at, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                elements.push(value.get(start..at).unwrap_or_default());
                start = at + 1;
            }
            _ => {}
        }
    }
    elements.push(value.get(start..).unwrap_or_default());
    elements
        .into_iter()
        .map(|e| e.trim_matches([' ', '\t']))
        .collect()
}

/// Why a header name is forbidden whatever its value, if it is.
fn forbidden_reason(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    if lower == "cookie" || lower == "cookie2" {
        return Some(
            "the browser sends the cookies it holds for the API itself, and only with credentials: include",
        );
    }
    if lower == "origin" || lower == "referer" || lower == "host" {
        return Some("the browser sets it itself");
    }
    if lower.starts_with("proxy-") || lower.starts_with("sec-") {
        return Some("names starting with Proxy- or Sec- are reserved to the browser");
    }
    OTHER_FORBIDDEN
        .contains(&lower.as_str())
        .then_some("the browser controls it")
}

/// Reads the Headers box: one `Name: value` per line; blank lines and lines starting with `#`
/// are skipped. Returns the headers the browser would send and the problems, line numbers from 1.
pub fn parse_header_lines(text: &str) -> (Vec<(String, String)>, Vec<RequestProblem>) {
    let mut headers = Vec::new();
    let mut problems = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((name, value)) = trimmed.split_once(':') else {
            problems.push(RequestProblem::MissingColon { line });
            continue;
        };
        let name = name.trim();
        // Fetch normalizes values by stripping leading and trailing white space.
        let value = value.trim_matches([' ', '\t']);
        if name.is_empty() || !name.bytes().all(is_tchar) {
            problems.push(RequestProblem::InvalidName {
                line,
                name: name.to_owned(),
            });
            continue;
        }
        if let Some(why) = forbidden_request_header(name, value) {
            problems.push(RequestProblem::Forbidden {
                line,
                name: name.to_owned(),
                why,
            });
            continue;
        }
        if let Some(control) = control_character(value) {
            problems.push(RequestProblem::InvalidValue {
                line,
                name: name.to_owned(),
                code_point: crate::text::code_point(control),
            });
            continue;
        }
        if value.chars().any(|c| u32::from(c) > 0xFF) {
            problems.push(RequestProblem::NonLatin1Value {
                line,
                name: name.to_owned(),
            });
            continue;
        }
        headers.push((name.to_owned(), value.to_owned()));
    }
    (headers, problems)
}

/// The first control character of a header value (a tab is white space, not a control).
pub fn control_character(value: &str) -> Option<char> {
    value.chars().find(|c| c.is_control() && *c != '\t')
}

/// Checks the method, the body and the time limit as `fetch()` would.
pub fn check_request(spec: &RequestSpec) -> Vec<RequestProblem> {
    let mut problems = Vec::new();
    let method = spec.normalized_method();
    if method.is_empty() || !method.bytes().all(is_tchar) {
        problems.push(RequestProblem::InvalidMethod {
            method: spec.method.clone(),
        });
    } else if is_forbidden_method(&method) {
        problems.push(RequestProblem::ForbiddenMethod {
            method: method.clone(),
        });
    }
    if spec.body.as_deref().is_some_and(|b| !b.is_empty())
        && matches!(method.as_str(), "GET" | "HEAD")
    {
        problems.push(RequestProblem::BodyNotAllowed { method });
    }
    if spec.timeout_ms == 0 || spec.timeout_ms > 600_000 {
        problems.push(RequestProblem::InvalidTimeout);
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lines_parse_and_trim() {
        let (headers, problems) = parse_header_lines(
            "Authorization: Bearer abc\n\n# a comment\n  Accept:application/json  \nX-Empty:",
        );
        assert_eq!(
            headers,
            [
                ("Authorization".to_owned(), "Bearer abc".to_owned()),
                ("Accept".to_owned(), "application/json".to_owned()),
                ("X-Empty".to_owned(), String::new()),
            ]
        );
        assert!(problems.is_empty());
    }

    #[test]
    fn header_lines_name_each_problem_with_its_line() {
        let (headers, problems) = parse_header_lines(
            "Cookie: sid=1\nno colon here\nBad Name: x\nOrigin: https://x\nProxy-Authorization: Basic x\nSec-Fetch-Mode: cors\nX-Quote: “smart”\nAuthorization: ok",
        );
        assert_eq!(headers, [("Authorization".to_owned(), "ok".to_owned())]);
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(
            matches!(problems[0], RequestProblem::Forbidden { line: 1, .. }),
            "{lines:?}"
        );
        assert!(lines[0].contains("credentials: include"), "{lines:?}");
        assert_eq!(problems[1], RequestProblem::MissingColon { line: 2 });
        assert_eq!(
            problems[2],
            RequestProblem::InvalidName {
                line: 3,
                name: "Bad Name".into()
            }
        );
        assert!(matches!(
            problems[3],
            RequestProblem::Forbidden { line: 4, .. }
        ));
        assert!(matches!(
            problems[4],
            RequestProblem::Forbidden { line: 5, .. }
        ));
        assert!(matches!(
            problems[5],
            RequestProblem::Forbidden { line: 6, .. }
        ));
        assert_eq!(
            problems[6],
            RequestProblem::NonLatin1Value {
                line: 7,
                name: "X-Quote".into()
            }
        );
        assert!(lines.iter().all(|l| l.ends_with('.')), "{lines:?}");
    }

    #[test]
    fn request_checks_method_body_and_timeout() {
        let mut spec = RequestSpec::get("https://api.example.com/");
        assert!(check_request(&spec).is_empty());
        assert!(!spec.is_unsafe());
        spec.body = Some("{}".into());
        assert_eq!(
            check_request(&spec),
            [RequestProblem::BodyNotAllowed {
                method: "GET".into()
            }]
        );
        spec.method = "post".into();
        assert!(check_request(&spec).is_empty());
        assert!(spec.is_unsafe());
        assert_eq!(spec.normalized_method(), "POST");
        spec.method = "trace".into();
        assert_eq!(
            check_request(&spec),
            [RequestProblem::ForbiddenMethod {
                method: "trace".into()
            }]
        );
        spec.method = "GE T".into();
        spec.timeout_ms = 0;
        assert_eq!(
            check_request(&spec),
            [
                RequestProblem::InvalidMethod {
                    method: "GE T".into()
                },
                RequestProblem::InvalidTimeout
            ]
        );
    }

    #[test]
    fn method_normalization_keeps_unknown_methods() {
        assert_eq!(normalize_method("delete"), "DELETE");
        assert_eq!(normalize_method("patch"), "patch");
        let mut spec = RequestSpec::get("https://x/");
        spec.method = "Options".into();
        assert!(!spec.is_unsafe());
    }
}
