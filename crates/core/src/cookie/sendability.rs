//! Will the browser attach this cookie to this `fetch()`? The model follows RFC 6265bis §5.8.3
//! (retrieval), with the choices Chrome ships: unspecified `SameSite` behaves as `Lax`, and
//! cross-site cookies are dropped when the user blocks third-party cookies.
//!
//! Sites are computed with the Public Suffix List once the page has loaded it
//! ([`super::install_public_suffixes`]); until then, the registrable domain is the last two
//! labels, or three under common second-level suffixes (`co.uk`, `com.au` …) and shared hosting
//! suffixes (`github.io`, `vercel.app` …).

use std::fmt;
use std::net::IpAddr;

use super::set_cookie::{SameSite, SetCookie};
use crate::cors::CredentialsMode;

/// A schemeful site: scheme and registrable domain (or IP address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub secure: bool,
    pub domain: String,
}

/// Second-level labels under a two-letter country code that form a public suffix
/// (`example.co.uk`).
const SECOND_LEVEL: &[&str] = &[
    "co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go",
];
/// Hosting suffixes where each subdomain is its own site.
const SHARED_SUFFIXES: &[&str] = &[
    "github.io",
    "gitlab.io",
    "vercel.app",
    "netlify.app",
    "pages.dev",
    "workers.dev",
    "web.app",
    "firebaseapp.com",
    "herokuapp.com",
    "azurewebsites.net",
    "cloudfront.net",
    "appspot.com",
    "onrender.com",
    "fly.dev",
    "ngrok.io",
    "ngrok-free.app",
];

/// The site of a host reached over `https` (`secure`) or `http`.
pub fn site_of(secure: bool, host: &str) -> Site {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.parse::<IpAddr>().is_ok() {
        return Site {
            secure,
            domain: host,
        };
    }
    let labels: Vec<&str> = host.split('.').collect();
    let take = |n: usize| {
        labels
            .get(labels.len().saturating_sub(n)..)
            .unwrap_or_default()
            .join(".")
    };
    Site {
        secure,
        domain: take(suffix_labels(&host, &labels) + 1),
    }
}

/// How many of a host's last labels form its public suffix.
fn suffix_labels(host: &str, labels: &[&str]) -> usize {
    if let Some(list) = super::public_suffixes() {
        return list.public_suffix(host).split('.').count();
    }
    let shared = SHARED_SUFFIXES
        .iter()
        .find(|s| host == **s || host.ends_with(&format!(".{s}")));
    match (shared, labels) {
        (Some(suffix), _) => suffix.split('.').count(),
        (None, [.., second, tld]) if tld.len() == 2 && SECOND_LEVEL.contains(second) => 2,
        _ => 1,
    }
}

/// Whether a (lower-cased) domain is a public suffix, under which no cookie may be set for all.
pub(super) fn is_public_suffix(domain: &str) -> bool {
    let domain = domain.trim_end_matches('.');
    if domain.parse::<IpAddr>().is_ok() {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() <= suffix_labels(domain, &labels)
}

/// Schemeful same-site: same scheme class and same registrable domain.
pub fn same_site(a: &Site, b: &Site) -> bool {
    a == b
}

/// The request a cookie may or may not ride on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "four independent facts about the request, each named"
)]
pub struct CookieRequest<'a> {
    /// The request URL's host, lower-cased.
    pub host: &'a str,
    /// `https`, or a loopback host (which browsers treat as secure for `Secure` cookies).
    pub secure: bool,
    /// `https` itself: the scheme half of the request's schemeful site (an `http` loopback
    /// request is secure for `Secure` cookies, yet same-site with an `http` page only).
    pub https: bool,
    /// The request URL's path (`/v1/me`).
    pub path: &'a str,
    /// The site of the page that calls `fetch()`.
    pub page: &'a Site,
    /// Whether the request is same-origin with the page.
    pub same_origin: bool,
    pub credentials: CredentialsMode,
    /// The host and path of the response that set the cookie.
    pub set_by_host: &'a str,
    pub set_by_path: &'a str,
    /// Seconds since the epoch.
    pub now: i64,
    /// The user blocks third-party cookies (Safari always; Chrome in Incognito or by setting).
    pub third_party_cookies_blocked: bool,
}

/// Why a cookie is not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotSent {
    /// The browser rejected the `Set-Cookie` itself (see its notes).
    Rejected,
    /// `Domain` does not cover the host that set it, so it was never stored.
    DomainNotOfSetter {
        domain: String,
    },
    /// `credentials: 'omit'`, or `'same-origin'` on a cross-origin request.
    CredentialsNotIncluded,
    Expired,
    /// A `Secure` cookie on an `http` request.
    InsecureRequest,
    /// Host-only cookie, other host; or `Domain` that does not cover the host.
    DomainMismatch,
    PathMismatch {
        cookie_path: String,
    },
    /// `SameSite=Strict` or `Lax` on a cross-site request.
    SameSite {
        same_site: SameSite,
    },
    /// No `SameSite`: Chrome treats it as `Lax`.
    LaxByDefault,
    /// A cross-site cookie while the user blocks third-party cookies.
    ThirdPartyBlocked,
}

impl fmt::Display for NotSent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotSent::Rejected => f.write_str("The browser never stored this cookie: it rejected the Set-Cookie."),
            NotSent::DomainNotOfSetter { domain } => write!(f, "Domain={domain} does not cover the host that set the cookie, so the browser never stored it."),
            NotSent::CredentialsNotIncluded => f.write_str("The request does not include credentials; use credentials: 'include' to send cookies cross-origin."),
            NotSent::Expired => f.write_str("The cookie has expired."),
            NotSent::InsecureRequest => f.write_str("The cookie is Secure and the request is not https."),
            NotSent::DomainMismatch => f.write_str("The cookie belongs to another host or domain."),
            NotSent::PathMismatch { cookie_path } => write!(f, "The cookie is only for paths under {cookie_path}."),
            NotSent::SameSite { same_site } => write!(f, "The cookie is SameSite={}, and this request is cross-site.", if *same_site == SameSite::Strict { "Strict" } else { "Lax" }),
            NotSent::LaxByDefault => f.write_str("The cookie has no SameSite attribute, so Chrome treats it as Lax and keeps it off this cross-site request."),
            NotSent::ThirdPartyBlocked => f.write_str("This is a third-party cookie here, and the browser blocks third-party cookies."),
        }
    }
}

impl NotSent {
    /// The cause a cookie kept off for this reason stands for.
    pub fn cause(&self) -> crate::cause::CauseId {
        use crate::cause::CauseId;
        match self {
            NotSent::InsecureRequest => CauseId::CookieInsecure,
            NotSent::SameSite { .. } | NotSent::LaxByDefault => CauseId::CookieSamesiteBlocked,
            NotSent::ThirdPartyBlocked => CauseId::CookieNotSentThirdParty,
            NotSent::Expired => CauseId::SessionExpired,
            NotSent::Rejected
            | NotSent::DomainNotOfSetter { .. }
            | NotSent::CredentialsNotIncluded
            | NotSent::DomainMismatch
            | NotSent::PathMismatch { .. } => CauseId::MissingCredentials,
        }
    }
}

pub(super) fn domain_match(host: &str, domain: &str) -> bool {
    host == domain
        || (host.ends_with(domain)
            && host.len() > domain.len()
            && host.as_bytes().get(host.len() - domain.len() - 1) == Some(&b'.')
            && host.parse::<IpAddr>().is_err())
}

/// The default path (RFC 6265bis §5.1.4): the request path up to its last `/`.
pub(super) fn default_path(path: &str) -> &str {
    if !path.starts_with('/') {
        return "/";
    }
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => path.get(..i).unwrap_or("/"),
    }
}

pub(super) fn path_match(request_path: &str, cookie_path: &str) -> bool {
    request_path == cookie_path
        || (request_path.starts_with(cookie_path)
            && (cookie_path.ends_with('/')
                || request_path.as_bytes().get(cookie_path.len()) == Some(&b'/')))
}

/// Every reason the browser does not attach `cookie` to `request`; empty when it does.
pub fn sendability(cookie: &SetCookie, request: &CookieRequest<'_>) -> Vec<NotSent> {
    let mut reasons = Vec::new();
    if cookie.notes.iter().any(super::CookieNote::rejects) {
        reasons.push(NotSent::Rejected);
    }
    if let Some(domain) = &cookie.domain
        && !domain_match(request.set_by_host, domain)
    {
        reasons.push(NotSent::DomainNotOfSetter {
            domain: domain.clone(),
        });
    }
    match request.credentials {
        CredentialsMode::Include => {}
        CredentialsMode::SameOrigin if request.same_origin => {}
        _ => reasons.push(NotSent::CredentialsNotIncluded),
    }
    if cookie.expires_at.is_some_and(|at| at <= request.now) {
        reasons.push(NotSent::Expired);
    }
    if cookie.secure && !request.secure {
        reasons.push(NotSent::InsecureRequest);
    }
    let domain_ok = match &cookie.domain {
        Some(domain) => domain_match(request.host, domain),
        None => request.host == request.set_by_host,
    };
    if !domain_ok {
        reasons.push(NotSent::DomainMismatch);
    }
    let cookie_path = cookie
        .path
        .clone()
        .unwrap_or_else(|| default_path(request.set_by_path).to_owned());
    if !path_match(request.path, &cookie_path) {
        reasons.push(NotSent::PathMismatch { cookie_path });
    }
    let cross_site = !same_site(&site_of(request.https, request.host), request.page);
    if cross_site {
        match cookie.same_site {
            SameSite::Strict | SameSite::Lax => reasons.push(NotSent::SameSite {
                same_site: cookie.same_site,
            }),
            SameSite::Unspecified => reasons.push(NotSent::LaxByDefault),
            SameSite::None => {}
        }
        if request.third_party_cookies_blocked {
            reasons.push(NotSent::ThirdPartyBlocked);
        }
    }
    reasons
}
