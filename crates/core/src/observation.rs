//! What one `fetch()` probe observed, in plain data: the probe layer converts the browser's
//! objects into these types at once, and everything after it is pure.

use serde::{Deserialize, Serialize};

use crate::cors::diagnostic_response_headers;

/// `Response.type` as the Fetch standard defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResponseType {
    Basic,
    Cors,
    Default,
    Error,
    Opaque,
    OpaqueRedirect,
}

impl ResponseType {
    pub const fn as_str(self) -> &'static str {
        match self {
            ResponseType::Basic => "basic",
            ResponseType::Cors => "cors",
            ResponseType::Default => "default",
            ResponseType::Error => "error",
            ResponseType::Opaque => "opaque",
            ResponseType::OpaqueRedirect => "opaqueredirect",
        }
    }

    /// What this response type means for the page, in one sentence.
    pub const fn meaning(self) -> &'static str {
        match self {
            ResponseType::Basic => "Same-origin response: everything is readable.",
            ResponseType::Cors => {
                "The CORS check passed: the status, the body and the exposed headers are readable."
            }
            ResponseType::Default => "A response the page built itself.",
            ResponseType::Error => "A network error response.",
            ResponseType::Opaque => {
                "Something answered, but the browser hides the status, headers and body (no-cors)."
            }
            ResponseType::OpaqueRedirect => {
                "The server answered with a redirect; the browser hides where it points."
            }
        }
    }
}

/// A response the page received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseSeen {
    pub response_type: ResponseType,
    pub status: u16,
    pub status_text: String,
    /// The final URL (after redirects); empty for opaque responses.
    pub url: String,
    pub redirected: bool,
    /// The headers the browser let the page read, names lower-cased, in the browser's order.
    pub headers: Vec<(String, String)>,
    /// The start of the body as text, at most [`BODY_EXCERPT_CHARS`] characters; `None` when the
    /// page cannot read the body (opaque responses) or reading it failed.
    pub body_excerpt: Option<String>,
}

impl ResponseSeen {
    /// What a `no-cors` probe sees of any answer: an opaque response, status 0, nothing
    /// readable.
    pub fn opaque() -> ResponseSeen {
        ResponseSeen {
            response_type: ResponseType::Opaque,
            status: 0,
            status_text: String::new(),
            url: String::new(),
            redirected: false,
            headers: Vec::new(),
            body_excerpt: None,
        }
    }
}

/// Every value of the fields named `name` (any case), in order.
pub fn field_values<'a>(fields: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    fields
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect()
}

/// The first value of a field named `name` (any case).
pub fn field_value<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// How much of a response body the report keeps.
pub const BODY_EXCERPT_CHARS: usize = 4096;

/// Cuts a body to [`BODY_EXCERPT_CHARS`] characters, on a character boundary.
pub fn body_excerpt(body: &str) -> String {
    match body.char_indices().nth(BODY_EXCERPT_CHARS) {
        Some((end, _)) => format!("{}…", body.get(..end).unwrap_or_default()),
        None => body.to_owned(),
    }
}

impl ResponseSeen {
    /// The value of a readable header, if the page could read it.
    pub fn header(&self, name: &str) -> Option<&str> {
        field_value(&self.headers, name)
    }

    /// Every readable field of this name (a challenge may be split across several).
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        field_values(&self.headers, name)
    }

    /// Headers that matter to this status's diagnosis but that the page could not read: for a cross-origin
    /// response each is either absent or not listed in `Access-Control-Expose-Headers` — the page
    /// cannot tell which. Same-origin responses hide nothing but `Set-Cookie`, so none are listed.
    pub fn hidden_diagnostic_headers(&self) -> Vec<&'static str> {
        if self.response_type != ResponseType::Cors {
            return Vec::new();
        }
        diagnostic_response_headers(self.status)
            .iter()
            .copied()
            .filter(|name| self.header(name).is_none())
            .collect()
    }
}

/// How a probe failed before a response was readable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// The browser refused to build the request (bad URL, forbidden header value, …).
    Rejected,
    /// `TypeError` from `fetch()`: a CORS failure, a network error, mixed content or Local
    /// Network Access — the page is not told which.
    Network,
    /// Our own time limit ran out and the request was aborted.
    Timeout,
    /// Aborted for another reason.
    Aborted,
}

impl FailureKind {
    /// Its name, as serialized and as in the DOM's `data-failure`.
    pub const fn as_str(self) -> &'static str {
        match self {
            FailureKind::Rejected => "rejected",
            FailureKind::Network => "network",
            FailureKind::Timeout => "timeout",
            FailureKind::Aborted => "aborted",
        }
    }
}

/// A probe that produced no readable response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub kind: FailureKind,
    /// The exception's name (`TypeError`, `TimeoutError`, …).
    pub error_name: String,
    /// The engine's own words (`Failed to fetch`): shown to the user, never used for logic.
    pub message: String,
}

impl Failure {
    /// What Chromium's `fetch()` rejects with when the network or CORS refuses a request.
    pub fn failed_to_fetch() -> Failure {
        Failure {
            kind: FailureKind::Network,
            error_name: "TypeError".into(),
            message: "Failed to fetch".into(),
        }
    }

    /// What this failure means, in one sentence.
    pub fn meaning(&self) -> &'static str {
        match self.kind {
            FailureKind::Rejected => "The browser refused to send this request at all.",
            FailureKind::Network => {
                "The browser blocked the response or could not reach the server. Pages are not \
                 told why: a CORS rejection, a refused connection, DNS, TLS, mixed content and \
                 local-network blocking all look the same from here."
            }
            FailureKind::Timeout => "No response arrived before the time limit.",
            FailureKind::Aborted => "The request was cancelled.",
        }
    }
}

/// What one probe ended with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProbeOutcome {
    Response(ResponseSeen),
    Failed(Failure),
}

impl ProbeOutcome {
    /// A few words for a list of probes: `401 (cors)`, `answered (opaque)`,
    /// `TypeError: Failed to fetch`, `timed out`.
    pub fn summary(&self) -> String {
        match self {
            ProbeOutcome::Response(seen) => match seen.response_type {
                ResponseType::Opaque => "answered (opaque)".to_owned(),
                ResponseType::OpaqueRedirect => "redirect (opaqueredirect)".to_owned(),
                other => format!("{} ({})", seen.status, other.as_str()),
            },
            ProbeOutcome::Failed(failure) => match failure.kind {
                FailureKind::Timeout => "timed out".to_owned(),
                FailureKind::Aborted => "aborted".to_owned(),
                FailureKind::Network | FailureKind::Rejected if failure.message.is_empty() => {
                    failure.error_name.clone()
                }
                FailureKind::Network | FailureKind::Rejected => {
                    format!("{}: {}", failure.error_name, failure.message)
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(response_type: ResponseType, headers: &[(&str, &str)]) -> ResponseSeen {
        ResponseSeen {
            response_type,
            status: 401,
            status_text: "Unauthorized".into(),
            url: "http://127.0.0.1:1/x".into(),
            redirected: false,
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body_excerpt: None,
        }
    }

    #[test]
    fn outcome_summaries() {
        let cors = ProbeOutcome::Response(response(ResponseType::Cors, &[]));
        assert_eq!(cors.summary(), "401 (cors)");
        let opaque = ProbeOutcome::Response(response(ResponseType::Opaque, &[]));
        assert_eq!(opaque.summary(), "answered (opaque)");
        let failed = |kind| {
            ProbeOutcome::Failed(Failure {
                kind,
                error_name: "TypeError".into(),
                message: "Failed to fetch".into(),
            })
        };
        assert_eq!(
            failed(FailureKind::Network).summary(),
            "TypeError: Failed to fetch"
        );
        assert_eq!(failed(FailureKind::Timeout).summary(), "timed out");
    }

    #[test]
    fn body_excerpt_cuts_on_char_boundary() {
        assert_eq!(body_excerpt("short"), "short");
        let long = "é".repeat(BODY_EXCERPT_CHARS + 10);
        let cut = body_excerpt(&long);
        assert_eq!(cut.chars().count(), BODY_EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn hidden_headers_list_unexposed_challenge_on_cors_response() {
        let seen = response(ResponseType::Cors, &[("content-type", "text/plain")]);
        let hidden = seen.hidden_diagnostic_headers();
        assert!(hidden.contains(&"www-authenticate"));
    }

    #[test]
    fn hidden_headers_omit_exposed_challenge() {
        let seen = response(
            ResponseType::Cors,
            &[("www-authenticate", "Basic realm=\"x\"")],
        );
        assert!(
            !seen
                .hidden_diagnostic_headers()
                .contains(&"www-authenticate")
        );
        assert_eq!(seen.header("WWW-Authenticate"), Some("Basic realm=\"x\""));
    }

    #[test]
    fn hidden_headers_empty_for_same_origin_and_opaque() {
        assert!(
            response(ResponseType::Basic, &[])
                .hidden_diagnostic_headers()
                .is_empty()
        );
        assert!(
            response(ResponseType::Opaque, &[])
                .hidden_diagnostic_headers()
                .is_empty()
        );
    }
}
