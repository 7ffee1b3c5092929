//! A page's `fetch()` across redirects, as the Fetch standard runs it: main fetch (basic, `cors`
//! or opaque tainting; `same-origin` and `no-cors` modes), the CORS-preflight fetch, the CORS
//! check on every response (redirects included), and HTTP-redirect fetch — the redirect mode,
//! twenty redirects at most, credentials in a `Location`, the method a 301/302/303 turns into
//! GET, `Authorization` dropped on a cross-origin redirect, and the tainted origin that makes
//! the `Origin` header `null`. The server is asked for its answers hop by hop, since they may
//! depend on what the browser sent (an echoed `Origin`).

use super::CorsError;
use super::cache::PreflightCache;
use super::model::{
    CorsFailure, CorsRequest, CredentialsMode, Engine, ServerReply, check_preflight,
    check_response, preflight_reason, readable_headers,
};
use crate::request::normalize_method;

/// `fetch()`'s request mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestMode {
    SameOrigin,
    NoCors,
    Cors,
}

/// `fetch()`'s redirect mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectMode {
    Follow,
    Error,
    Manual,
}

/// A page's request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// The page's origin, serialized.
    pub origin: String,
    pub url: String,
    pub method: String,
    pub headers: Vec<(String, String)>,
    pub mode: RequestMode,
    pub credentials: CredentialsMode,
    pub redirect: RedirectMode,
}

/// What the browser sends to one URL on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HopRequest {
    pub url: String,
    pub method: String,
    pub headers: Vec<(String, String)>,
    /// The `Origin` header, when one is sent (`null` once the origin is tainted).
    pub origin: Option<String>,
    /// Whether a preflight goes first.
    pub preflight: bool,
    /// Whether cookies and HTTP authentication go with it.
    pub credentials: bool,
}

/// A server's answers at one URL: to the preflight (when one is sent) and to the request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HopAnswer {
    pub preflight: Option<ServerReply>,
    pub response: ServerReply,
}

/// The response type the page gets (Fetch's filtered responses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseKind {
    Basic,
    Cors,
    Opaque,
    OpaqueRedirect,
}

/// Why the fetch is a network error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// A CORS check failed, on a preflight or a response (redirects included).
    Cors(CorsFailure),
    /// `mode: "same-origin"` and the request left the page's origin.
    CrossOriginInSameOriginMode,
    /// `mode: "no-cors"` takes only GET, HEAD and POST.
    MethodNotAllowedInNoCors,
    /// `redirect: "error"` met a redirect, or `no-cors` with another redirect mode than follow.
    RedirectNotAllowed,
    TooManyRedirects,
    /// A redirect to something that is not `http(s)`.
    RedirectToOtherScheme,
    /// CONNECT, TRACE or TRACK: `fetch()` throws before anything is sent.
    ForbiddenMethod,
    /// The answer a preflight needs was not given.
    NoPreflightAnswer,
}

/// What the page gets, and what went over the wire hop by hop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchOutcome {
    pub result: Result<Fetched, FetchError>,
    pub hops: Vec<HopRequest>,
}

/// A response the page receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub url: String,
    /// 0 for an opaque response.
    pub status: u16,
    pub kind: ResponseKind,
    /// Response headers the page can read (lower case).
    pub readable: Vec<String>,
}

/// A URL's serialized origin (`None` for an opaque one, such as `data:`) and whether it carries
/// a user name or password.
fn origin_of(url: &str) -> Option<(String, bool)> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((user, host)) => (Some(user), host),
        None => (None, authority),
    };
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || host_port.starts_with('[') => (host, port),
        _ => (host_port, ""),
    };
    let host = host.to_ascii_lowercase();
    let origin = if port.is_empty() || port == default_port {
        format!("{scheme}://{host}")
    } else {
        format!("{scheme}://{host}:{port}")
    };
    Some((origin, userinfo.is_some_and(|u| !u.is_empty())))
}

/// The problem with a redirect's `Location`, as Fetch's HTTP-redirect fetch checks it: a user name
/// or password in it when the request is under CORS (`cors_flag`), or in `cors` mode to another
/// origin than the page's.
pub fn redirect_location_problem(
    page_origin: &str,
    location: &str,
    mode: RequestMode,
    cors_flag: bool,
) -> Option<CorsError> {
    let (origin, credentials) = origin_of(location)?;
    let cross = origin != page_origin;
    (credentials && (cors_flag || (mode == RequestMode::Cors && cross)))
        .then_some(CorsError::RedirectContainsCredentials)
}

/// A URL with its path's `.` and `..` segments resolved, as the URL parser leaves it.
fn normalize(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let after = rest.get(authority.len()..).unwrap_or_default();
    let end = after.find(['?', '#']).unwrap_or(after.len());
    let (path, tail) = after.split_at(end);
    let mut segments: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    for (at, segment) in parts.iter().enumerate() {
        let last = at + 1 == parts.len();
        match *segment {
            "." | ".." => {
                if *segment == ".." {
                    segments.pop();
                }
                if last {
                    segments.push("");
                }
            }
            other => segments.push(other),
        }
    }
    format!("{scheme}://{authority}/{}{tail}", segments.join("/"))
}

/// The headers that describe a request's body, which go with it when a redirect drops it
/// (Fetch's "request-body-header name").
pub const REQUEST_BODY_HEADERS: &[&str] = &[
    "content-encoding",
    "content-language",
    "content-location",
    "content-type",
];

/// The method a redirect of this status turns `method` into, when it changes it — a 301 or 302
/// after a POST, a 303 after anything but GET or HEAD, become a GET without a body (Fetch's
/// HTTP-redirect fetch, as curl `-L` does too).
pub fn redirected_method(status: u16, method: &str) -> Option<&'static str> {
    let post_to_get = matches!(status, 301 | 302) && method == "POST";
    let see_other = status == 303 && !matches!(method, "GET" | "HEAD");
    (post_to_get || see_other).then_some("GET")
}

/// Resolves `location` against `base`: absolute, scheme-relative, path-absolute or relative.
pub(crate) fn resolve(base: &str, location: &str) -> String {
    normalize(&join(base, location))
}

fn join(base: &str, location: &str) -> String {
    let location = location.trim();
    if location.contains("://") || location.starts_with("data:") {
        return location.to_owned();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("http", base));
    if let Some(net) = location.strip_prefix("//") {
        return format!("{scheme}://{net}");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if location.starts_with('/') {
        return format!("{scheme}://{authority}{location}");
    }
    let path = rest.get(authority.len()..).unwrap_or_default();
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let dir = path
        .rfind('/')
        .map_or("/", |at| path.get(..=at).unwrap_or("/"));
    format!("{scheme}://{authority}{dir}{location}")
}

/// Runs the page's request with nothing cached: `answer` gives the server's answers to each
/// request the browser sends (at most 21, the request and twenty redirects).
pub fn fetch(
    request: &PageRequest,
    engine: Engine,
    answer: impl FnMut(&HopRequest) -> HopAnswer,
) -> FetchOutcome {
    fetch_with_cache(request, engine, &mut PreflightCache::new(), 0, answer)
}

/// The same, with the preflight answers the browser keeps: a kept one spares a hop its
/// preflight, and a successful preflight is kept (as of `now`, in seconds).
pub fn fetch_with_cache(
    request: &PageRequest,
    engine: Engine,
    cache: &mut PreflightCache,
    now: i64,
    mut answer: impl FnMut(&HopRequest) -> HopAnswer,
) -> FetchOutcome {
    let mut hops = Vec::new();
    let mut kept = Kept { cache, now };
    let result = run(request, engine, &mut kept, &mut answer, &mut hops);
    FetchOutcome { result, hops }
}

/// The preflight cache and the time it is read at.
struct Kept<'a> {
    cache: &'a mut PreflightCache,
    now: i64,
}

/// Where the request stands between hops.
struct Way {
    url: String,
    method: String,
    headers: Vec<(String, String)>,
    /// The origin is `null` from here on.
    tainted: bool,
    /// Fetch's response tainting: basic until the request leaves the page's origin, then `cors`
    /// or opaque for the rest of the way.
    cors: bool,
    opaque: bool,
    redirects: usize,
}

fn run(
    request: &PageRequest,
    engine: Engine,
    kept: &mut Kept<'_>,
    answer: &mut impl FnMut(&HopRequest) -> HopAnswer,
    hops: &mut Vec<HopRequest>,
) -> Result<Fetched, FetchError> {
    let mut way = Way {
        url: normalize(&request.url),
        method: normalize_method(&request.method),
        headers: request.headers.clone(),
        tainted: false,
        cors: false,
        opaque: false,
        redirects: 0,
    };
    if crate::request::is_forbidden_method(&way.method) {
        return Err(FetchError::ForbiddenMethod);
    }
    if request.mode == RequestMode::NoCors {
        if !super::is_safelisted_method(&way.method) {
            return Err(FetchError::MethodNotAllowedInNoCors);
        }
        if request.redirect != RedirectMode::Follow {
            return Err(FetchError::RedirectNotAllowed);
        }
    }
    loop {
        let here = origin_of(&way.url).map(|(o, _)| o);
        if here.as_deref() != Some(request.origin.as_str()) || way.cors || way.opaque {
            match request.mode {
                RequestMode::SameOrigin => return Err(FetchError::CrossOriginInSameOriginMode),
                RequestMode::Cors => way.cors = true,
                RequestMode::NoCors => way.opaque = true,
            }
        }
        let cors_request = CorsRequest {
            origin: if way.tainted {
                "null".to_owned()
            } else {
                request.origin.clone()
            },
            method: way.method.clone(),
            headers: way.headers.clone(),
            credentials: if way.cors {
                request.credentials.cross_origin()
            } else {
                request.credentials
            },
        };
        let mut hop = hop_request(request, &way, &cors_request);
        hop.preflight = hop.preflight && !kept.cache.covers(&cors_request, &way.url, kept.now);
        let preflight = hop.preflight;
        let answers = answer(&hop);
        hops.push(hop);
        if preflight {
            let reply = answers
                .preflight
                .as_ref()
                .ok_or(FetchError::NoPreflightAnswer)?;
            check_preflight(&cors_request, reply, engine).map_err(FetchError::Cors)?;
            kept.cache.store(&cors_request, &way.url, reply, kept.now);
        }
        let response = &answers.response;
        if way.cors {
            check_response(&cors_request, response, false).map_err(FetchError::Cors)?;
        }
        let redirect = super::is_redirect_status(response.status);
        let Some(location) = response.combined("location").filter(|_| redirect) else {
            return Ok(received(&way, &cors_request, response));
        };
        match request.redirect {
            RedirectMode::Error => return Err(FetchError::RedirectNotAllowed),
            RedirectMode::Manual => {
                return Ok(Fetched {
                    url: way.url,
                    status: 0,
                    kind: ResponseKind::OpaqueRedirect,
                    readable: Vec::new(),
                });
            }
            RedirectMode::Follow => follow(request, &mut way, response.status, &location)?,
        }
    }
}

/// What the browser sends at this hop.
fn hop_request(request: &PageRequest, way: &Way, cors_request: &CorsRequest) -> HopRequest {
    let sends_origin = way.cors || !matches!(way.method.as_str(), "GET" | "HEAD");
    HopRequest {
        url: way.url.clone(),
        method: way.method.clone(),
        headers: way.headers.clone(),
        origin: sends_origin.then(|| cors_request.origin.clone()),
        preflight: way.cors && preflight_reason(cors_request).is_some(),
        credentials: match request.credentials {
            CredentialsMode::Include => true,
            CredentialsMode::SameOrigin => !way.cors && !way.opaque,
            CredentialsMode::Omit => false,
        },
    }
}

/// The response the page gets, filtered by the tainting.
fn received(way: &Way, cors_request: &CorsRequest, response: &ServerReply) -> Fetched {
    let (status, kind, readable) = if way.opaque {
        (0, ResponseKind::Opaque, Vec::new())
    } else if way.cors {
        (
            response.status,
            ResponseKind::Cors,
            readable_headers(cors_request, response),
        )
    } else {
        let all = response
            .headers
            .iter()
            .map(|(n, _)| n.to_ascii_lowercase())
            .filter(|n| n != "set-cookie")
            .collect();
        (response.status, ResponseKind::Basic, all)
    };
    Fetched {
        url: way.url.clone(),
        status,
        kind,
        readable,
    }
}

/// HTTP-redirect fetch: where the request goes next, and how it changes on the way.
fn follow(
    request: &PageRequest,
    way: &mut Way,
    status: u16,
    location: &str,
) -> Result<(), FetchError> {
    way.redirects += 1;
    if way.redirects > 20 {
        return Err(FetchError::TooManyRedirects);
    }
    let next = resolve(&way.url, location);
    let Some((next_origin, _)) = origin_of(&next) else {
        return Err(FetchError::RedirectToOtherScheme);
    };
    if let Some(error) = redirect_location_problem(&request.origin, &next, request.mode, way.cors) {
        return Err(FetchError::Cors(CorsFailure {
            error,
            parameter: next,
        }));
    }
    if let Some(method) = redirected_method(status, &way.method) {
        method.clone_into(&mut way.method);
        way.headers.retain(|(n, _)| {
            !REQUEST_BODY_HEADERS
                .iter()
                .any(|h| h.eq_ignore_ascii_case(n))
        });
    }
    let here = origin_of(&way.url).map(|(o, _)| o);
    if here.as_deref() != Some(next_origin.as_str()) {
        way.headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
        if here.as_deref() != Some(request.origin.as_str()) {
            way.tainted = true;
        }
    }
    way.url = next;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(url: &str, mode: RequestMode) -> PageRequest {
        PageRequest {
            origin: "https://app.example".to_owned(),
            url: url.to_owned(),
            method: "GET".to_owned(),
            headers: Vec::new(),
            mode,
            credentials: CredentialsMode::SameOrigin,
            redirect: RedirectMode::Follow,
        }
    }

    fn reply(status: u16, headers: &[(&str, &str)]) -> HopAnswer {
        HopAnswer {
            preflight: None,
            response: ServerReply {
                status,
                headers: headers
                    .iter()
                    .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                    .collect(),
            },
        }
    }

    #[test]
    fn a_cross_origin_hop_taints_the_origin_and_drops_authorization() {
        let mut request = page("https://api.example/a", RequestMode::Cors);
        request.headers = vec![("Authorization".to_owned(), "Bearer x".to_owned())];
        let outcome = fetch(&request, Engine::Chromium, |hop| {
            if hop.url.ends_with("/a") {
                let mut a = reply(
                    302,
                    &[
                        ("Access-Control-Allow-Origin", "https://app.example"),
                        ("Location", "https://other.example/b"),
                    ],
                );
                a.preflight = Some(ServerReply {
                    status: 204,
                    headers: vec![
                        (
                            "Access-Control-Allow-Origin".to_owned(),
                            "https://app.example".to_owned(),
                        ),
                        (
                            "Access-Control-Allow-Headers".to_owned(),
                            "Authorization".to_owned(),
                        ),
                    ],
                });
                a
            } else {
                reply(200, &[("Access-Control-Allow-Origin", "*")])
            }
        });
        assert_eq!(outcome.result.map(|f| f.kind), Ok(ResponseKind::Cors));
        let last = outcome
            .hops
            .last()
            .cloned()
            .unwrap_or_else(|| unreachable!());
        assert_eq!(last.origin.as_deref(), Some("null"));
        assert!(last.headers.is_empty());
        assert!(!last.preflight);
    }

    #[test]
    fn urls_resolve_as_the_url_parser_resolves_them() {
        assert_eq!(
            resolve("https://a.example/x/y/z?q", "../b?c"),
            "https://a.example/x/b?c"
        );
        assert_eq!(
            normalize("https://a.example/a/./b/../c/"),
            "https://a.example/a/c/"
        );
        assert_eq!(normalize("https://a.example"), "https://a.example/");
        assert_eq!(
            resolve("https://a.example/x", "//b.example/y"),
            "https://b.example/y"
        );
    }

    #[test]
    fn redirect_modes_and_credentials_in_location() {
        let mut request = page("https://api.example/a", RequestMode::Cors);
        let to = |location: &'static str| {
            move |_: &HopRequest| {
                reply(
                    301,
                    &[("Access-Control-Allow-Origin", "*"), ("Location", location)],
                )
            }
        };
        request.redirect = RedirectMode::Error;
        assert_eq!(
            fetch(&request, Engine::Chromium, to("/b")).result,
            Err(FetchError::RedirectNotAllowed)
        );
        request.redirect = RedirectMode::Follow;
        assert!(matches!(
            fetch(&request, Engine::Chromium, to("https://u:p@api.example/b")).result,
            Err(FetchError::Cors(CorsFailure {
                error: CorsError::RedirectContainsCredentials,
                ..
            }))
        ));
        assert_eq!(
            fetch(&request, Engine::Chromium, to("/again")).result,
            Err(FetchError::TooManyRedirects)
        );
        assert_eq!(
            redirect_location_problem(
                "http://example.com",
                "http://yukari@example.com/",
                RequestMode::Cors,
                false
            ),
            None
        );
    }
}
