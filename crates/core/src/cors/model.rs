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

/// Whether a request header is CORS-safelisted, so that it needs no preflight: the Fetch
/// standard's list (`#cors-safelisted-request-header`) and the names Chromium adds — its
/// `Intervention` header and the client hints, each with the values Chromium accepts
/// (`services/network/public/cpp/cors/cors.cc`, `IsCorsSafelistedHeader`). The 1024-byte total
/// is [`cors_unsafe_request_header_names`]'s.
pub fn is_safelisted_request_header(name: &str, value: &str) -> bool {
    if value.len() > 128 {
        return false;
    }
    let name = name.to_ascii_lowercase();
    let lower = value.to_ascii_lowercase();
    match name.as_str() {
        "accept" => !value.bytes().any(is_cors_unsafe_byte),
        "accept-language" | "content-language" => value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" *,-.;=".contains(&b)),
        "content-type" => {
            if value.bytes().any(is_cors_unsafe_byte) {
                return false;
            }
            let essence = lower.split(';').next().unwrap_or_default().trim();
            matches!(
                essence,
                "application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain"
            )
        }
        "range" => is_simple_range(&lower),
        "device-memory" | "dpr" | "downlink" => is_decimal(value),
        "width" | "viewport-width" | "rtt" => {
            !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())
        }
        "ect" => ["slow-2g", "2g", "3g", "4g"].contains(&value),
        "save-data" => lower == "on",
        "intervention" => true,
        _ => CLIENT_HINTS.contains(&name.as_str()),
    }
}

/// Whether a status is a redirect status (Fetch: 301, 302, 303, 307, 308).
pub fn is_redirect_status(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// Whether a method is CORS-safelisted (GET, HEAD, POST, in any case).
pub fn is_safelisted_method(method: &str) -> bool {
    SIMPLE_METHODS
        .iter()
        .any(|m| m.eq_ignore_ascii_case(method))
}

/// The four names a `no-cors` request may carry (Fetch `#no-cors-safelisted-request-header-name`).
pub fn is_no_cors_safelisted_header_name(name: &str) -> bool {
    [
        "accept",
        "accept-language",
        "content-language",
        "content-type",
    ]
    .iter()
    .any(|n| n.eq_ignore_ascii_case(name))
}

/// Whether a `no-cors` request keeps this header (Fetch `#no-cors-safelisted-request-header`):
/// a no-cors name with a CORS-safelisted value; the browser drops any other.
pub fn is_no_cors_safelisted_request_header(name: &str, value: &str) -> bool {
    is_no_cors_safelisted_header_name(name) && is_safelisted_request_header(name, value)
}

/// The `Sec-CH-` client hints Chromium safelists whatever their value (a page cannot set a
/// `Sec-` header; the browser adds them).
const CLIENT_HINTS: &[&str] = &[
    "sec-ch-ua",
    "sec-ch-ua-arch",
    "sec-ch-ua-platform",
    "sec-ch-ua-model",
    "sec-ch-ua-mobile",
    "sec-ch-ua-full-version",
    "sec-ch-ua-platform-version",
    "sec-ch-prefers-color-scheme",
    "sec-ch-ua-bitness",
    "sec-ch-viewport-height",
    "sec-ch-device-memory",
    "sec-ch-dpr",
    "sec-ch-width",
    "sec-ch-viewport-width",
    "sec-ch-ua-full-version-list",
    "sec-ch-ua-wow64",
    "sec-ch-prefers-reduced-motion",
    "sec-ch-ua-form-factors",
    "sec-ch-prefers-reduced-transparency",
];

/// `1*DIGIT [ "." 1*DIGIT ]`.
fn is_decimal(value: &str) -> bool {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

/// A simple range (Fetch `#simple-range-header-value`): `bytes=` one range, its start given and
/// not after its end, no white space.
fn is_simple_range(lower: &str) -> bool {
    let Some((start, end)) = lower.strip_prefix("bytes=").and_then(|r| r.split_once('-')) else {
        return false;
    };
    let number = |s: &str| {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u128>().ok())
    };
    match (number(start), end) {
        (Some(Some(_)), "") => true,
        (Some(Some(first)), end) => {
            number(end).is_some_and(|last| last.is_some_and(|l| first <= l))
        }
        _ => false,
    }
}

/// The request headers that make a request need a preflight, lower-cased, in Chromium's order
/// (`CorsUnsafeRequestHeaderNames`): the unsafe ones as they come, then — when the safelisted
/// values add up to more than 1024 bytes — the safelisted ones too.
pub fn cors_unsafe_request_header_names(headers: &[(String, String)]) -> Vec<String> {
    unsafe_names(headers, |_, _| false)
}

/// The same, without the headers a page may not set at all (the browser drops or sets them), as
/// the preflight asks for them (`CorsUnsafeNotForbiddenRequestHeaderNames`).
pub fn cors_unsafe_not_forbidden_request_header_names(headers: &[(String, String)]) -> Vec<String> {
    unsafe_names(headers, |name, value| {
        crate::request::forbidden_request_header(name, value).is_some()
    })
}

fn unsafe_names(headers: &[(String, String)], skip: impl Fn(&str, &str) -> bool) -> Vec<String> {
    let headers = headers.iter().filter(|(name, value)| !skip(name, value));
    let mut unsafe_names = Vec::new();
    let mut safe_names = Vec::new();
    let mut safe_bytes = 0;
    for (name, value) in headers {
        if is_safelisted_request_header(name, value) {
            safe_names.push(name.to_ascii_lowercase());
            safe_bytes += value.len();
        } else {
            unsafe_names.push(name.to_ascii_lowercase());
        }
    }
    if safe_bytes > 1024 {
        unsafe_names.extend(safe_names);
    }
    unsafe_names
}

/// Why this request needs a preflight, or `None` when it is a simple request.
pub fn preflight_reason(request: &CorsRequest) -> Option<PreflightReason> {
    let method = normalize_method(&request.method);
    let method_needs = !is_safelisted_method(&method);
    // Sorted and without duplicates, built by insertion (a few names; no sort routine needed).
    let mut headers: Vec<String> = Vec::new();
    for name in cors_unsafe_not_forbidden_request_header_names(&request.headers) {
        if let Err(at) = headers.binary_search(&name) {
            headers.insert(at, name);
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
    // A redirect status with somewhere to go; a 304 or a 3xx without `Location` is only a status
    // that is not 2xx.
    let redirect = is_redirect_status(reply.status) && reply.combined("location").is_some();
    if redirect {
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
    let method_allowed = is_safelisted_method(&method)
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
