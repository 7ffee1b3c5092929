//! The CORS forward model: given a request and a server's answers, what does the browser do?
//! It follows the Fetch standard (`#cors-preflight-fetch`, `#concept-cors-check`,
//! `#cors-safelisted-request-header`) and knows where Chromium ships something else, so that it
//! predicts Chromium (our test oracle) and reports the difference as a latent problem.
//!
//! Verified against Chromium 156 with the lab: the preflight's CORS check runs before its status
//! check (a 401 preflight without `Access-Control-Allow-Origin` is
//! `PreflightMissingAllowOriginHeader`, with one it is `PreflightInvalidStatus`), and two
//! `Access-Control-Allow-Origin` fields are `MultipleAllowOriginValues`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{CorsError, is_safelisted_response_header};
use crate::request::normalize_method;

/// `fetch()`'s credentials mode. For a cross-origin request only `Include` sends credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CredentialsMode {
    Omit,
    SameOrigin,
    Include,
}

impl CredentialsMode {
    /// The value as `fetch()` spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            CredentialsMode::Omit => "omit",
            CredentialsMode::SameOrigin => "same-origin",
            CredentialsMode::Include => "include",
        }
    }

    /// What the mode means for a cross-origin request: `same-origin` sends no credentials there,
    /// exactly like `omit`.
    #[must_use]
    pub const fn cross_origin(self) -> CredentialsMode {
        match self {
            CredentialsMode::Include => CredentialsMode::Include,
            CredentialsMode::Omit | CredentialsMode::SameOrigin => CredentialsMode::Omit,
        }
    }
}

/// Whose rules to apply where engines differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// What Chromium 156 ships.
    Chromium,
    /// The Fetch standard as written.
    Standard,
}

/// A cross-origin request as the page makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorsRequest {
    /// The page's origin, serialized (`https://app.example.com`).
    pub origin: String,
    /// As given to `fetch()`; the browser upper-cases the standard methods.
    pub method: String,
    /// Names as given; values as given.
    pub headers: Vec<(String, String)>,
    pub credentials: CredentialsMode,
}

/// What one server answer carried: its status and every header field (names in any case; a
/// header sent twice appears twice).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerReply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
}

impl ServerReply {
    /// Every field of this name.
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The fields of this name combined as HTTP does (`a, b`), or `None` when absent.
    pub fn combined(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self.all(name).collect();
        (!values.is_empty()).then(|| values.join(", "))
    }
}

/// Why a request needs a preflight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreflightReason {
    /// Not GET, HEAD or POST.
    Method(String),
    /// Headers that are not CORS-safelisted, lower-cased and sorted, as in
    /// `Access-Control-Request-Headers`.
    Headers(Vec<String>),
    Both {
        method: String,
        headers: Vec<String>,
    },
}

/// A CORS failure: Chromium's name for it and the value it blames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorsFailure {
    pub error: CorsError,
    /// What Chromium reports as `failedParameter`: the offending value, header or method.
    pub parameter: String,
}

impl fmt::Display for CorsFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.parameter;
        match self.error {
            CorsError::MissingAllowOriginHeader => f.write_str("The response has no Access-Control-Allow-Origin header."),
            CorsError::PreflightMissingAllowOriginHeader => f.write_str("The preflight response has no Access-Control-Allow-Origin header."),
            CorsError::MultipleAllowOriginValues | CorsError::PreflightMultipleAllowOriginValues => write!(
                f,
                "Access-Control-Allow-Origin holds several values (“{p}”); it must hold exactly one."
            ),
            CorsError::InvalidAllowOriginValue | CorsError::PreflightInvalidAllowOriginValue => {
                write!(f, "Access-Control-Allow-Origin is “{p}”, which is not an origin.")
            }
            CorsError::AllowOriginMismatch | CorsError::PreflightAllowOriginMismatch => write!(
                f,
                "Access-Control-Allow-Origin is “{p}”, which is not this page's origin."
            ),
            CorsError::WildcardOriginNotAllowed | CorsError::PreflightWildcardOriginNotAllowed => f.write_str(
                "Access-Control-Allow-Origin is “*”, which browsers refuse for a request with credentials.",
            ),
            CorsError::InvalidAllowCredentials | CorsError::PreflightInvalidAllowCredentials => write!(
                f,
                "The request has credentials, so Access-Control-Allow-Credentials must be exactly “true”; it is “{p}”."
            ),
            CorsError::PreflightInvalidStatus => write!(
                f,
                "The preflight (OPTIONS) got status {p}; a preflight must succeed with a 2xx status."
            ),
            CorsError::PreflightDisallowedRedirect => f.write_str("The preflight (OPTIONS) was redirected; preflights may not be."),
            CorsError::InvalidAllowMethodsPreflightResponse => write!(f, "Access-Control-Allow-Methods “{p}” cannot be parsed."),
            CorsError::InvalidAllowHeadersPreflightResponse => write!(f, "Access-Control-Allow-Headers “{p}” cannot be parsed."),
            CorsError::MethodDisallowedByPreflightResponse => write!(
                f,
                "The preflight response does not allow the method {p} (Access-Control-Allow-Methods)."
            ),
            CorsError::HeaderDisallowedByPreflightResponse => write!(
                f,
                "The preflight response does not allow the request header “{p}” (Access-Control-Allow-Headers)."
            ),
            other => write!(f, "CORS failure {other} ({p})."),
        }
    }
}

/// Something that works in Chromium today but is wrong by the standard or in other browsers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LatentProblem {
    /// `Access-Control-Allow-Headers: *` covers `Authorization` in Chromium and Safari, but not by
    /// the Fetch standard nor in Firefox with its pref on.
    WildcardCoversAuthorization,
    /// The origin is echoed without `Vary: Origin`: a shared cache may serve one origin's answer to
    /// another.
    EchoedOriginWithoutVary,
}

impl fmt::Display for LatentProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LatentProblem::WildcardCoversAuthorization => f.write_str(
                "Access-Control-Allow-Headers: * lets Authorization through in Chromium and Safari only; by the Fetch standard (and in Firefox with its pref on) Authorization must be listed by name.",
            ),
            LatentProblem::EchoedOriginWithoutVary => f.write_str(
                "The server echoes the Origin in Access-Control-Allow-Origin without Vary: Origin, so a cache can serve one site's answer to another.",
            ),
        }
    }
}

/// What the browser does with the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsVerdict {
    /// The page gets the response; these header names (lower case) are readable.
    Allowed {
        readable: Vec<String>,
        latent: Vec<LatentProblem>,
    },
    Blocked(CorsFailure),
    /// A preflight is needed but its answer was not given.
    NeedsPreflightReply(PreflightReason),
}

const SIMPLE_METHODS: &[&str] = &["GET", "HEAD", "POST"];
/// A CORS-unsafe request-header byte (Fetch).
fn is_cors_unsafe_byte(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f || b"\"():<>?@[\\]{}".contains(&b)
}

/// Whether a request header is CORS-safelisted (Fetch `#cors-safelisted-request-header`), so that
/// it needs no preflight. The 1024-byte total is checked by [`preflight_reason`].
pub fn is_safelisted_request_header(name: &str, value: &str) -> bool {
    if value.len() > 128 {
        return false;
    }
    let name = name.to_ascii_lowercase();
    match name.as_str() {
        "accept" => !value.bytes().any(is_cors_unsafe_byte),
        "accept-language" | "content-language" => value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" *,-.;=".contains(&b)),
        "content-type" => {
            if value.bytes().any(is_cors_unsafe_byte) {
                return false;
            }
            let essence = value
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            matches!(
                essence.as_str(),
                "application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain"
            )
        }
        "range" => value
            .strip_prefix("bytes=")
            .and_then(|r| r.split_once('-'))
            .is_some_and(|(start, end)| {
                !start.is_empty()
                    && start.bytes().all(|b| b.is_ascii_digit())
                    && end.bytes().all(|b| b.is_ascii_digit())
            }),
        _ => false,
    }
}

/// Why this request needs a preflight, or `None` when it is a simple request.
pub fn preflight_reason(request: &CorsRequest) -> Option<PreflightReason> {
    let method = normalize_method(&request.method);
    let method_needs = !SIMPLE_METHODS.contains(&method.as_str());
    let safelisted_total: usize = request
        .headers
        .iter()
        .filter(|(n, v)| is_safelisted_request_header(n, v))
        .map(|(_, v)| v.len())
        .sum();
    // Sorted and without duplicates, built by insertion (a few names; no sort routine needed).
    let mut headers: Vec<String> = Vec::new();
    for (name, value) in &request.headers {
        if safelisted_total > 1024 || !is_safelisted_request_header(name, value) {
            let name = name.to_ascii_lowercase();
            if let Err(at) = headers.binary_search(&name) {
                headers.insert(at, name);
            }
        }
    }
    match (method_needs, headers.is_empty()) {
        (false, true) => None,
        (true, true) => Some(PreflightReason::Method(method)),
        (false, false) => Some(PreflightReason::Headers(headers)),
        (true, false) => Some(PreflightReason::Both { method, headers }),
    }
}

fn fail(error: CorsError, parameter: impl Into<String>) -> Result<(), CorsFailure> {
    Err(CorsFailure {
        error,
        parameter: parameter.into(),
    })
}

/// Whether Chromium reads an `Access-Control-Allow-Origin` value as a URL at all: `null`, or
/// `scheme://host…`. A value that is a URL but not this origin (`https://app.example.com/` with
/// its trailing slash, verified) is a mismatch; anything else is an invalid value.
fn is_url_like(value: &str) -> bool {
    if value == "null" {
        return true;
    }
    let Some((scheme, rest)) = value.split_once("://") else {
        return false;
    };
    let mut scheme_bytes = scheme.bytes();
    scheme_bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && scheme_bytes.all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        && rest
            .split(['/', '?', '#'])
            .next()
            .is_some_and(|host| !host.is_empty())
}

/// The CORS check (Fetch `#concept-cors-check`) on a response or, with `preflight`, on a
/// preflight response; errors use Chromium's names.
pub fn check_response(
    request: &CorsRequest,
    reply: &ServerReply,
    preflight: bool,
) -> Result<(), CorsFailure> {
    let pick = |plain: CorsError, pre: CorsError| if preflight { pre } else { plain };
    let Some(allow_origin) = reply.combined("access-control-allow-origin") else {
        return fail(
            pick(
                CorsError::MissingAllowOriginHeader,
                CorsError::PreflightMissingAllowOriginHeader,
            ),
            "",
        );
    };
    if reply.all("access-control-allow-origin").count() > 1 || allow_origin.contains([',', ' ']) {
        return fail(
            pick(
                CorsError::MultipleAllowOriginValues,
                CorsError::PreflightMultipleAllowOriginValues,
            ),
            allow_origin,
        );
    }
    let credentialed = request.credentials == CredentialsMode::Include;
    if allow_origin == "*" {
        if credentialed {
            return fail(
                pick(
                    CorsError::WildcardOriginNotAllowed,
                    CorsError::PreflightWildcardOriginNotAllowed,
                ),
                "",
            );
        }
        return Ok(());
    }
    if allow_origin != request.origin {
        let error = if is_url_like(&allow_origin) {
            pick(
                CorsError::AllowOriginMismatch,
                CorsError::PreflightAllowOriginMismatch,
            )
        } else {
            pick(
                CorsError::InvalidAllowOriginValue,
                CorsError::PreflightInvalidAllowOriginValue,
            )
        };
        return fail(error, allow_origin);
    }
    if credentialed {
        let allow_credentials = reply
            .combined("access-control-allow-credentials")
            .unwrap_or_default();
        if allow_credentials != "true" {
            return fail(
                pick(
                    CorsError::InvalidAllowCredentials,
                    CorsError::PreflightInvalidAllowCredentials,
                ),
                allow_credentials,
            );
        }
    }
    Ok(())
}

/// Splits a `#token` list header; `None` when an element is not a token.
fn parse_token_list(value: &str) -> Option<Vec<String>> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.bytes()
                .all(crate::header::is_tchar)
                .then(|| item.to_owned())
        })
        .collect()
}

/// The checks on a preflight answer (Fetch `#cors-preflight-fetch`), in Chromium's order.
/// `Ok` carries what works only in Chromium.
pub fn check_preflight(
    request: &CorsRequest,
    reply: &ServerReply,
    engine: Engine,
) -> Result<Vec<LatentProblem>, CorsFailure> {
    check_response(request, reply, true)?;
    if (300..400).contains(&reply.status) {
        fail(CorsError::PreflightDisallowedRedirect, "")?;
    }
    if !(200..300).contains(&reply.status) {
        fail(CorsError::PreflightInvalidStatus, reply.status.to_string())?;
    }
    let credentialed = request.credentials == CredentialsMode::Include;
    let allow_methods = reply
        .combined("access-control-allow-methods")
        .unwrap_or_default();
    let Some(methods) = parse_token_list(&allow_methods) else {
        return Err(CorsFailure {
            error: CorsError::InvalidAllowMethodsPreflightResponse,
            parameter: allow_methods,
        });
    };
    let allow_headers = reply
        .combined("access-control-allow-headers")
        .unwrap_or_default();
    let Some(headers) = parse_token_list(&allow_headers) else {
        return Err(CorsFailure {
            error: CorsError::InvalidAllowHeadersPreflightResponse,
            parameter: allow_headers,
        });
    };
    let method = normalize_method(&request.method);
    let method_allowed = SIMPLE_METHODS.contains(&method.as_str())
        || methods.contains(&method)
        || (!credentialed && methods.iter().any(|m| m == "*"));
    if !method_allowed {
        fail(CorsError::MethodDisallowedByPreflightResponse, method)?;
    }
    let mut latent = Vec::new();
    let wildcard = !credentialed && headers.iter().any(|h| h == "*");
    let needed = match preflight_reason(request) {
        Some(PreflightReason::Headers(h) | PreflightReason::Both { headers: h, .. }) => h,
        _ => Vec::new(),
    };
    for name in needed {
        if headers.iter().any(|h| h.eq_ignore_ascii_case(&name)) {
            continue;
        }
        if wildcard && name == "authorization" {
            // The only "CORS non-wildcard request-header name".
            match engine {
                Engine::Chromium => {
                    latent.push(LatentProblem::WildcardCoversAuthorization);
                    continue;
                }
                Engine::Standard => {}
            }
        } else if wildcard {
            continue;
        }
        fail(CorsError::HeaderDisallowedByPreflightResponse, name)?;
    }
    Ok(latent)
}

/// The response headers the page can read: the safelisted ones and those named in
/// `Access-Control-Expose-Headers` (`*` counts only without credentials). Lower case, in the
/// response's order.
pub fn readable_headers(request: &CorsRequest, reply: &ServerReply) -> Vec<String> {
    let exposed: Vec<String> = reply
        .combined("access-control-expose-headers")
        .map(|v| {
            v.split(',')
                .map(|s| s.trim().to_ascii_lowercase())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let wildcard =
        request.credentials != CredentialsMode::Include && exposed.iter().any(|e| e == "*");
    let mut readable: Vec<String> = Vec::new();
    for (name, _) in &reply.headers {
        let name = name.to_ascii_lowercase();
        let allowed = is_safelisted_response_header(&name)
            || exposed.contains(&name)
            || (wildcard && name != "set-cookie");
        if allowed && name != "set-cookie" && !readable.contains(&name) {
            readable.push(name);
        }
    }
    readable
}

/// What the browser does with `request`, given the server's answer to the preflight (when one is
/// needed) and to the request itself.
pub fn simulate(
    request: &CorsRequest,
    preflight: Option<&ServerReply>,
    response: &ServerReply,
    engine: Engine,
) -> CorsVerdict {
    let mut latent = Vec::new();
    if let Some(reason) = preflight_reason(request) {
        let Some(preflight) = preflight else {
            return CorsVerdict::NeedsPreflightReply(reason);
        };
        match check_preflight(request, preflight, engine) {
            Ok(found) => latent.extend(found),
            Err(failure) => return CorsVerdict::Blocked(failure),
        }
    }
    if let Err(failure) = check_response(request, response, false) {
        return CorsVerdict::Blocked(failure);
    }
    let echoed = response
        .combined("access-control-allow-origin")
        .is_some_and(|v| v != "*");
    let varies = response.combined("vary").is_some_and(|v| {
        v.split(',')
            .any(|s| s.trim().eq_ignore_ascii_case("origin") || s.trim() == "*")
    });
    if echoed && !varies {
        latent.push(LatentProblem::EchoedOriginWithoutVary);
    }
    CorsVerdict::Allowed {
        readable: readable_headers(request, response),
        latent,
    }
}
