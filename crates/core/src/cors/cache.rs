//! The CORS-preflight cache (Fetch `#concept-cache`): a successful preflight lets later requests
//! to the same URL from the same origin skip theirs until its `Access-Control-Max-Age` runs out —
//! which is why a fix to a preflight answer may seem to do nothing for a while, and why a request
//! may pass once and fail later.

use super::model::{
    CorsRequest, CredentialsMode, ServerReply, cors_unsafe_not_forbidden_request_header_names,
    is_safelisted_method,
};
use crate::request::normalize_method;

/// How long a preflight is kept without `Access-Control-Max-Age` (Fetch: 5 seconds).
pub const DEFAULT_MAX_AGE_SECONDS: i64 = 5;
/// Chromium keeps a preflight two hours at the most (`kMaxCacheDuration` in its
/// `preflight_result.cc`), whatever the server asks.
pub const CHROMIUM_MAX_AGE_SECONDS: i64 = 7200;

/// How many seconds a preflight answer with this `Access-Control-Max-Age` is kept: the default
/// without one, none for a value that is not a number or is negative, two hours at the most.
pub fn max_age_seconds(value: Option<&str>) -> i64 {
    match value.map(str::trim) {
        None | Some("") => DEFAULT_MAX_AGE_SECONDS,
        Some(value) => value
            .parse::<i64>()
            .map_or(0, |seconds| seconds.clamp(0, CHROMIUM_MAX_AGE_SECONDS)),
    }
}

/// What one successful preflight allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cached {
    origin: String,
    url: String,
    /// Made for a request with credentials: it serves requests with or without them; one made
    /// without serves only requests without.
    credentials: bool,
    methods: Vec<String>,
    /// Lower case.
    headers: Vec<String>,
    expires_at: i64,
}

/// The preflight answers a browser keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreflightCache {
    entries: Vec<Cached>,
}

fn list(value: Option<String>) -> Vec<String> {
    value
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

impl PreflightCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps what a successful preflight for `request` to `url` allowed, as of `now` (seconds).
    pub fn store(&mut self, request: &CorsRequest, url: &str, reply: &ServerReply, now: i64) {
        let max_age = max_age_seconds(reply.combined("access-control-max-age").as_deref());
        let credentials = request.credentials == CredentialsMode::Include;
        self.entries.retain(|c| {
            !(c.origin == request.origin && c.url == url && c.credentials == credentials)
        });
        if max_age == 0 {
            return;
        }
        let mut methods = list(reply.combined("access-control-allow-methods"));
        if methods.is_empty() {
            methods.push(normalize_method(&request.method));
        }
        let headers = list(reply.combined("access-control-allow-headers"))
            .into_iter()
            .map(|h| h.to_ascii_lowercase())
            .collect();
        self.entries.push(Cached {
            origin: request.origin.clone(),
            url: url.to_owned(),
            credentials,
            methods,
            headers,
            expires_at: now.saturating_add(max_age),
        });
    }

    /// Whether a kept preflight answer lets `request` to `url` go without a preflight at `now`.
    pub fn covers(&self, request: &CorsRequest, url: &str, now: i64) -> bool {
        let credentialed = request.credentials == CredentialsMode::Include;
        let method = normalize_method(&request.method);
        let unsafe_headers = cors_unsafe_not_forbidden_request_header_names(&request.headers);
        self.entries.iter().any(|c| {
            c.origin == request.origin
                && c.url == url
                && c.expires_at > now
                && (c.credentials || !credentialed)
                && (is_safelisted_method(&method)
                    || c.methods.contains(&method)
                    || (!credentialed && c.methods.iter().any(|m| m == "*")))
                && unsafe_headers.iter().all(|name| {
                    c.headers.contains(name)
                        || (!credentialed
                            && name != "authorization"
                            && c.headers.iter().any(|h| h == "*"))
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, credentials: CredentialsMode) -> CorsRequest {
        CorsRequest {
            origin: "https://app.example".to_owned(),
            method: method.to_owned(),
            headers: vec![("X-Test".to_owned(), "1".to_owned())],
            credentials,
        }
    }

    #[test]
    fn max_age_defaults_to_five_seconds_and_chromium_caps_it_at_two_hours() {
        assert_eq!(max_age_seconds(None), 5);
        assert_eq!(max_age_seconds(Some("573")), 573);
        assert_eq!(max_age_seconds(Some("-765")), 0);
        assert_eq!(max_age_seconds(Some("86400")), 7200);
        assert_eq!(max_age_seconds(Some("soon")), 0);
    }

    #[test]
    fn a_kept_answer_serves_the_same_url_and_origin_until_it_expires() {
        let url = "https://api.example/x";
        let reply = ServerReply {
            status: 204,
            headers: vec![
                ("Access-Control-Allow-Methods".to_owned(), "PUT".to_owned()),
                (
                    "Access-Control-Allow-Headers".to_owned(),
                    "x-test".to_owned(),
                ),
                ("Access-Control-Max-Age".to_owned(), "60".to_owned()),
            ],
        };
        let mut cache = PreflightCache::new();
        let put = request("PUT", CredentialsMode::Omit);
        cache.store(&put, url, &reply, 1000);
        assert!(cache.covers(&put, url, 1059));
        assert!(!cache.covers(&put, url, 1060));
        assert!(!cache.covers(&put, "https://api.example/y", 1001));
        assert!(!cache.covers(&request("DELETE", CredentialsMode::Omit), url, 1001));
        // Made without credentials, it does not serve a request with them.
        assert!(!cache.covers(&request("PUT", CredentialsMode::Include), url, 1001));
    }
}
