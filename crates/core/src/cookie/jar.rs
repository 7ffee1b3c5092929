//! A cookie store as browsers keep one (RFC 6265bis §5.7 storage, §5.8.3 retrieval): cookies
//! replaced by name, domain, host-only flag and path, host-only and domain cookies, path
//! matching, expiry, and the order of the `Cookie` header. It follows cookies across several
//! exchanges (a login that sets a session, the API call that should carry it).

use super::sendability::{default_path, domain_match, is_public_suffix, path_match};
use super::set_cookie::{SameSite, parse_set_cookie};
use crate::target::parse_target_url;

/// One stored cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCookie {
    pub name: String,
    pub value: String,
    /// The host that set it (host-only) or the `Domain` it covers, lower-cased.
    pub domain: String,
    pub host_only: bool,
    pub path: String,
    /// Seconds since the epoch; `None` until the session ends.
    pub expires_at: Option<i64>,
    pub secure: bool,
    pub http_only: bool,
    pub same_site: SameSite,
    /// Order of creation, kept across replacements: the `Cookie` header's tie-break.
    created: u64,
}

impl StoredCookie {
    /// The cookie as a `Cookie` header lists it: `name=value`, or the value alone for a cookie
    /// without a name.
    pub fn pair(&self) -> String {
        if self.name.is_empty() {
            self.value.clone()
        } else {
            format!("{}={}", self.name, self.value)
        }
    }
}

/// Why a `Set-Cookie` was not stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotStored {
    /// The URL it came from is not an `http(s)` URL with a host.
    BadUrl,
    /// The browser rejects the line itself (see [`super::CookieNote::rejects`]).
    Rejected,
    /// `Domain` does not cover the host that set it, or is a public suffix other than the host.
    DomainRefused { domain: String },
    /// A `Secure` cookie, or one that would replace a `Secure` cookie, set over `http`.
    SecureOverHttp,
    /// Already expired: it deletes the cookie it replaces, if any.
    Expired,
}

/// The cookies a browser holds.
#[derive(Debug, Clone, Default)]
pub struct Jar {
    cookies: Vec<StoredCookie>,
    next: u64,
}

/// The URL parts cookies care about: `http(s)`, host, path.
struct Place {
    secure: bool,
    host: String,
    path: String,
}

fn place(url: &str) -> Option<Place> {
    let target = parse_target_url(url).ok()?;
    let path = crate::target::path_of(url.trim());
    // Loopback counts as secure for `Secure` cookies, as in browsers.
    let loopback = matches!(target.address_class, crate::target::AddressClass::Loopback);
    Some(Place {
        secure: target.secure || loopback,
        host: target.host.trim_end_matches('.').to_owned(),
        path: path.to_owned(),
    })
}

impl Jar {
    pub fn new() -> Self {
        Self::default()
    }

    /// The cookies held, in the order they were first created.
    pub fn cookies(&self) -> &[StoredCookie] {
        &self.cookies
    }

    /// Stores one `Set-Cookie` value received from `url` at `now` (seconds since the epoch).
    ///
    /// # Errors
    /// Why the browser would not store it.
    pub fn store(&mut self, line: &str, url: &str, now: i64) -> Result<(), NotStored> {
        let place = place(url).ok_or(NotStored::BadUrl)?;
        let parsed = parse_set_cookie(line, now);
        if parsed.notes.iter().any(super::CookieNote::rejects) {
            return Err(NotStored::Rejected);
        }
        let (domain, host_only) = match parsed.domain {
            Some(domain) if is_public_suffix(&domain) && domain != place.host => {
                return Err(NotStored::DomainRefused { domain });
            }
            // A `Domain` naming the host itself still covers its subdomains.
            Some(domain) if domain_match(&place.host, &domain) => (domain, false),
            Some(domain) => return Err(NotStored::DomainRefused { domain }),
            None => (place.host.clone(), true),
        };
        if parsed.secure && !place.secure {
            return Err(NotStored::SecureOverHttp);
        }
        let path = parsed
            .path
            .unwrap_or_else(|| default_path(&place.path).to_owned());
        // A cookie set over http may not replace (or shadow) a Secure one (§5.7, step 20).
        if !place.secure
            && self.cookies.iter().any(|c| {
                c.secure
                    && c.name == parsed.name
                    && (domain_match(&domain, &c.domain) || domain_match(&c.domain, &domain))
                    && path_match(&path, &c.path)
            })
        {
            return Err(NotStored::SecureOverHttp);
        }
        let old = self.cookies.iter().position(|c| {
            c.name == parsed.name
                && c.domain == domain
                && c.host_only == host_only
                && c.path == path
        });
        let created = old
            .and_then(|at| self.cookies.get(at))
            .map_or(self.next, |c| c.created);
        if let Some(at) = old {
            self.cookies.remove(at);
        }
        if parsed.expires_at.is_some_and(|at| at <= now) {
            return Err(NotStored::Expired);
        }
        self.next += 1;
        let cookie = StoredCookie {
            name: parsed.name,
            value: parsed.value,
            domain,
            host_only,
            path,
            expires_at: parsed.expires_at,
            secure: parsed.secure,
            http_only: parsed.http_only,
            same_site: parsed.same_site,
            created,
        };
        // Kept in creation order, so that the header's tie-break is the order held.
        let at = self
            .cookies
            .iter()
            .position(|c| c.created > created)
            .unwrap_or(self.cookies.len());
        self.cookies.insert(at, cookie);
        Ok(())
    }

    /// The cookies a request to `url` at `now` carries, in the `Cookie` header's order: longer
    /// paths first, then the earlier created (a same-site navigation: `SameSite` does not hold
    /// any back).
    pub fn for_request(&self, url: &str, now: i64) -> Vec<&StoredCookie> {
        let Some(place) = place(url) else {
            return Vec::new();
        };
        let mut found: Vec<&StoredCookie> = self
            .cookies
            .iter()
            .filter(|c| {
                let host = if c.host_only {
                    place.host == c.domain
                } else {
                    domain_match(&place.host, &c.domain)
                };
                host && path_match(&place.path, &c.path)
                    && (!c.secure || place.secure)
                    && c.expires_at.is_none_or(|at| at > now)
            })
            .collect();
        // Stable: equal paths keep the order of creation.
        found.sort_by_key(|c| std::cmp::Reverse(c.path.len()));
        found
    }

    /// The `Cookie` header a request to `url` at `now` carries; empty when none.
    pub fn cookie_header(&self, url: &str, now: i64) -> String {
        self.for_request(url, now)
            .iter()
            .map(|c| c.pair())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::{Jar, NotStored};

    const NOW: i64 = 1_700_000_000;

    #[test]
    fn a_cookie_is_replaced_by_name_domain_and_path_and_keeps_its_place() {
        let mut jar = Jar::new();
        let url = "https://app.example.com/login";
        for line in ["a=1; Path=/", "b=2; Path=/", "a=3; Path=/"] {
            assert_eq!(jar.store(line, url, NOW), Ok(()));
        }
        assert_eq!(
            jar.cookie_header("https://app.example.com/x", NOW),
            "a=3; b=2"
        );
        // Another path is another cookie; the longer path comes first.
        assert_eq!(jar.store("a=4; Path=/api", url, NOW), Ok(()));
        assert_eq!(
            jar.cookie_header("https://app.example.com/api/me", NOW),
            "a=4; a=3; b=2"
        );
        // An expired one deletes it.
        assert_eq!(
            jar.store("b=; Max-Age=0; Path=/", url, NOW),
            Err(NotStored::Expired)
        );
        assert_eq!(jar.cookie_header("https://app.example.com/", NOW), "a=3");
    }

    #[test]
    fn host_only_and_domain_cookies() {
        let mut jar = Jar::new();
        let url = "https://login.example.com/";
        assert_eq!(jar.store("host=1", url, NOW), Ok(()));
        assert_eq!(jar.store("wide=2; Domain=.example.com", url, NOW), Ok(()));
        assert_eq!(jar.cookie_header("https://api.example.com/", NOW), "wide=2");
        assert_eq!(
            jar.cookie_header("https://login.example.com/", NOW),
            "host=1; wide=2"
        );
        assert_eq!(
            jar.store("x=1; Domain=other.com", url, NOW),
            Err(NotStored::DomainRefused {
                domain: "other.com".into()
            })
        );
        assert_eq!(
            jar.store("x=1; Domain=com", url, NOW),
            Err(NotStored::DomainRefused {
                domain: "com".into()
            })
        );
    }

    #[test]
    fn secure_cookies_need_https() {
        let mut jar = Jar::new();
        assert_eq!(
            jar.store("s=1; Secure", "http://example.com/", NOW),
            Err(NotStored::SecureOverHttp)
        );
        assert_eq!(
            jar.store("s=1; Secure", "https://example.com/", NOW),
            Ok(())
        );
        assert_eq!(jar.cookie_header("http://example.com/", NOW), "");
        assert_eq!(
            jar.store("s=2", "http://example.com/", NOW),
            Err(NotStored::SecureOverHttp)
        );
        assert_eq!(jar.cookie_header("https://example.com/", NOW), "s=1");
    }
}
