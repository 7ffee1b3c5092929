//! CORS: Chromium's names for CORS failures, the Fetch standard's safelists, the forward model
//! (`model`) that predicts what a browser does with a request and a server's answers, and the
//! declared servers (`server`) the lab serves and the inference reasons about.

use std::fmt;

mod cache;
pub(crate) mod fetch;
mod model;
pub mod server;

pub use cache::{
    CHROMIUM_MAX_AGE_SECONDS, DEFAULT_MAX_AGE_SECONDS, PreflightCache, max_age_seconds,
};
pub use fetch::{
    FetchError, FetchOutcome, Fetched, HopAnswer, HopRequest, PageRequest, REQUEST_BODY_HEADERS,
    RedirectMode, RequestMode, ResponseKind, fetch, fetch_with_cache, redirect_location_problem,
    redirected_method,
};
pub use model::{
    CorsFailure, CorsRequest, CorsVerdict, CredentialsMode, Engine, LatentProblem, PreflightReason,
    ServerReply, check_preflight, check_response, cors_unsafe_not_forbidden_request_header_names,
    cors_unsafe_request_header_names, is_no_cors_safelisted_header_name,
    is_no_cors_safelisted_request_header, is_redirect_status, is_safelisted_method,
    is_safelisted_request_header, preflight_reason, readable_headers, simulate,
};

macro_rules! cors_errors {
    ($($variant:ident,)*) => {
        /// A CORS failure as Chromium names it (`network::mojom::CorsError`, CDP `Network.CorsError`).
        ///
        /// These are the names the DevTools protocol reports in `Network.loadingFailed.corsErrorStatus`,
        /// which makes Chromium the oracle for our tests.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum CorsError {
            $($variant,)*
        }

        impl CorsError {
            /// Every CORS error name we know.
            pub const ALL: &'static [CorsError] = &[$(CorsError::$variant,)*];

            /// The name exactly as Chromium spells it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(CorsError::$variant => stringify!($variant),)*
                }
            }

            /// The error with this Chromium name, if we know it.
            pub fn from_name(name: &str) -> Option<CorsError> {
                match name {
                    $(stringify!($variant) => Some(CorsError::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

cors_errors! {
    DisallowedByMode,
    InvalidResponse,
    WildcardOriginNotAllowed,
    MissingAllowOriginHeader,
    MultipleAllowOriginValues,
    InvalidAllowOriginValue,
    AllowOriginMismatch,
    InvalidAllowCredentials,
    CorsDisabledScheme,
    PreflightInvalidStatus,
    PreflightDisallowedRedirect,
    PreflightWildcardOriginNotAllowed,
    PreflightMissingAllowOriginHeader,
    PreflightMultipleAllowOriginValues,
    PreflightInvalidAllowOriginValue,
    PreflightAllowOriginMismatch,
    PreflightInvalidAllowCredentials,
    PreflightMissingAllowExternal,
    PreflightInvalidAllowExternal,
    PreflightMissingAllowPrivateNetwork,
    PreflightInvalidAllowPrivateNetwork,
    InvalidAllowMethodsPreflightResponse,
    InvalidAllowHeadersPreflightResponse,
    MethodDisallowedByPreflightResponse,
    HeaderDisallowedByPreflightResponse,
    RedirectContainsCredentials,
    InsecurePrivateNetwork,
    InvalidPrivateNetworkAccess,
    UnexpectedPrivateNetworkAccess,
    NoCorsRedirectModeNotFollow,
    PreflightMissingPrivateNetworkAccessId,
    PreflightMissingPrivateNetworkAccessName,
    PrivateNetworkAccessPermissionUnavailable,
    PrivateNetworkAccessPermissionDenied,
    LocalNetworkAccessPermissionDenied,
    InsecureLocalNetwork,
    InvalidLocalNetworkAccess,
    UnexpectedLocalNetworkAccess,
}

impl fmt::Display for CorsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The response headers a cross-origin page can always read, whatever
/// `Access-Control-Expose-Headers` says (Fetch, "CORS-safelisted response-header name").
pub const SAFELISTED_RESPONSE_HEADERS: &[&str] = &[
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
];

/// Whether a cross-origin page can read this response header without it being exposed.
pub fn is_safelisted_response_header(name: &str) -> bool {
    SAFELISTED_RESPONSE_HEADERS
        .iter()
        .any(|safe| safe.eq_ignore_ascii_case(name))
}

/// Response headers that matter to the diagnosis of a response with this status, and that a
/// cross-origin page reads only when the server lists them in `Access-Control-Expose-Headers`.
/// When one is missing from what the page could read, it is hidden *or* absent: the page cannot
/// tell which.
pub fn diagnostic_response_headers(status: u16) -> &'static [&'static str] {
    match status {
        // A Bearer `insufficient_scope` challenge comes with a 403.
        401 | 403 => &["www-authenticate"],
        407 => &["proxy-authenticate"],
        400 => &["dpop-nonce"],
        429 | 503 => &["retry-after"],
        300..=399 => &["location"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cors_error_names_round_trip() {
        for &error in CorsError::ALL {
            assert_eq!(CorsError::from_name(error.as_str()), Some(error));
        }
        assert_eq!(
            CorsError::from_name("MissingAllowOriginHeader"),
            Some(CorsError::MissingAllowOriginHeader)
        );
        assert_eq!(CorsError::from_name("missingalloworiginheader"), None);
    }

    #[test]
    fn safelisted_response_header_ignores_case() {
        assert!(is_safelisted_response_header("Content-Type"));
        assert!(is_safelisted_response_header("CACHE-CONTROL"));
        assert!(!is_safelisted_response_header("WWW-Authenticate"));
        assert!(!is_safelisted_response_header("Set-Cookie"));
    }

    #[test]
    fn diagnostic_headers_are_never_safelisted() {
        for status in 100..600 {
            for name in diagnostic_response_headers(status) {
                assert!(!is_safelisted_response_header(name), "{name}");
            }
        }
    }

    #[test]
    fn diagnostic_headers_follow_the_status() {
        assert_eq!(diagnostic_response_headers(401), ["www-authenticate"]);
        assert_eq!(diagnostic_response_headers(407), ["proxy-authenticate"]);
        assert_eq!(diagnostic_response_headers(302), ["location"]);
        assert!(diagnostic_response_headers(404).is_empty());
    }
}
