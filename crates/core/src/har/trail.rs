//! Across a HAR file's entries, in the order the browser made them: the cookies each answer set,
//! kept in a browser's store ([`Jar`]), and whether the requests that failed later carried them —
//! "the session cookie set by the login (entry 3) is not sent to the API (entry 5) because …".

use super::{Har, HarEntry, TrailNote, har_time_ms};
use crate::cause::CauseId;
use crate::cookie::{
    CookieRequest, Jar, NotSent, NotStored, parse_set_cookie, same_site, sendability, site_of,
};
use crate::cors::CredentialsMode;
use crate::observation::field_values;
use crate::target::{TargetUrl, parse_target_url, path_of};

/// A cookie as an answer set it: which entry, when, the line itself.
struct Setter {
    entry: usize,
    name: String,
    line: String,
    url: String,
    /// Milliseconds since the epoch.
    at_ms: i64,
    /// The entry whose answer deleted it, if one did.
    deleted_by: Option<usize>,
}

/// The names of the cookies a request carried.
fn cookies_sent(entry: &HarEntry) -> Vec<String> {
    field_values(&entry.request_headers, "cookie")
        .iter()
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.split_once('=').map(|(n, _)| n.trim().to_owned()))
        .collect()
}

/// The origin of the page that made the request: its `Origin`, else its `Referer`'s, else its
/// own (a navigation).
fn page_of(entry: &HarEntry, target: &TargetUrl) -> TargetUrl {
    field_values(&entry.request_headers, "origin")
        .into_iter()
        .chain(field_values(&entry.request_headers, "referer"))
        .find_map(|url| parse_target_url(url).ok())
        .unwrap_or_else(|| target.clone())
}

fn described(entry: usize, har: &Har) -> String {
    har.entries.get(entry).map_or_else(String::new, |e| {
        format!("entry {} ({} {})", entry + 1, e.method, e.url)
    })
}

fn refused(reason: &NotStored) -> (CauseId, String) {
    match reason {
        NotStored::BadUrl => (
            CauseId::MissingCredentials,
            "the answer's URL is not one a cookie can belong to".to_owned(),
        ),
        NotStored::Rejected => (
            CauseId::CookieInsecure,
            "the browser rejects the Set-Cookie line itself (SameSite=None or Partitioned without Secure, or a __Secure-/__Host- prefix whose rules it breaks)".to_owned(),
        ),
        NotStored::DomainRefused { domain } => (
            CauseId::MissingCredentials,
            format!("Domain={domain} does not cover the host that set it, or is a public suffix"),
        ),
        NotStored::SecureOverHttp => (
            CauseId::CookieInsecure,
            "it is Secure (or would replace a Secure cookie) and came over plain http".to_owned(),
        ),
        NotStored::Expired => (
            CauseId::SessionExpired,
            "its expiry is already past: it deletes the cookie instead".to_owned(),
        ),
    }
}

impl Har {
    /// The cookie store replayed over the entries: every `Set-Cookie` the browser refused, and
    /// for each request that failed, the cookies of its site set earlier that it went without,
    /// with why. Empty for a file saved without cookies ([`Har::looks_sanitized`]), which cannot
    /// tell.
    pub fn cookie_trail(&self) -> Vec<TrailNote> {
        let mut notes = Vec::new();
        if self.looks_sanitized() {
            return notes;
        }
        let mut jar = Jar::new();
        let mut setters: Vec<Setter> = Vec::new();
        let mut last_ms = 0;
        for (at, entry) in self.entries.iter().enumerate() {
            let now_ms = har_time_ms(&entry.started).unwrap_or(last_ms);
            last_ms = now_ms;
            if entry.failure().is_some() {
                self.went_without(at, entry, &setters, now_ms, &mut notes);
            }
            for line in field_values(&entry.response_headers, "set-cookie") {
                let name = parse_set_cookie(line, now_ms / 1000).name;
                match jar.store(line, &entry.url, now_ms / 1000) {
                    Ok(()) => {
                        setters.retain(|s| s.name != name || !same_host(&s.url, &entry.url));
                        setters.push(Setter {
                            entry: at,
                            name,
                            line: line.to_owned(),
                            url: entry.url.clone(),
                            at_ms: now_ms,
                            deleted_by: None,
                        });
                    }
                    Err(NotStored::Expired) => {
                        for setter in setters
                            .iter_mut()
                            .filter(|s| s.name == name && same_host(&s.url, &entry.url))
                        {
                            setter.deleted_by = Some(at);
                        }
                    }
                    Err(reason) => {
                        let (cause, why) = refused(&reason);
                        notes.push(TrailNote {
                            entry: at,
                            cause,
                            sentence: format!(
                                "The browser did not store the cookie {name} that the answer to {} set: {why}.",
                                described(at, self)
                            ),
                        });
                    }
                }
            }
        }
        notes
    }

    /// The cookies of `entry`'s site set before it that it did not carry.
    fn went_without(
        &self,
        at: usize,
        entry: &HarEntry,
        setters: &[Setter],
        now_ms: i64,
        notes: &mut Vec<TrailNote>,
    ) {
        let Ok(target) = parse_target_url(&entry.url) else {
            return;
        };
        let sent = cookies_sent(entry);
        let page = page_of(entry, &target);
        let page_site = site_of(page.secure, &page.host);
        let request_path = path_of(entry.url.trim());
        let has_cookie_header = !sent.is_empty();
        let same_origin = page.origin() == target.origin();
        for setter in setters {
            let Ok(set_by) = parse_target_url(&setter.url) else {
                continue;
            };
            // Cookies of other sites are not this request's business (http or https alike:
            // cookies do not keep to a scheme).
            if site_of(true, &set_by.host).domain != site_of(true, &target.host).domain
                || sent.contains(&setter.name)
            {
                continue;
            }
            let whose = format!(
                "The cookie {} set by the answer to {}",
                setter.name,
                described(setter.entry, self)
            );
            if let Some(deleter) = setter.deleted_by {
                notes.push(TrailNote {
                    entry: at,
                    cause: CauseId::SessionExpired,
                    sentence: format!(
                        "{whose} was deleted by the answer to {} (an expiry in the past), so {} went without it: the server ended the session.",
                        described(deleter, self),
                        described(at, self)
                    ),
                });
                continue;
            }
            let cookie = parse_set_cookie(&setter.line, setter.at_ms / 1000);
            let request = CookieRequest {
                host: &target.host,
                secure: target.secure
                    || target.address_class == crate::target::AddressClass::Loopback,
                https: target.secure,
                path: request_path,
                page: &page_site,
                same_origin,
                // A HAR does not keep fetch()'s credentials mode: a request that carried any
                // cookie had them included; one that carried none, cross-origin, likely not.
                credentials: if has_cookie_header {
                    CredentialsMode::Include
                } else {
                    CredentialsMode::SameOrigin
                },
                set_by_host: &set_by.host,
                set_by_path: path_of(setter.url.trim()),
                now: now_ms / 1000,
                third_party_cookies_blocked: false,
            };
            let reasons = sendability(&cookie, &request);
            let (cause, why) = match reasons.first() {
                Some(first) => (first.cause(), because(&reasons)),
                None => (
                    if same_site(&site_of(target.secure, &target.host), &page_site) {
                        CauseId::MissingCredentials
                    } else {
                        CauseId::CookieNotSentThirdParty
                    },
                    "A browser would send it, yet the request did not carry it: the browser blocks third-party cookies here, or an extension or the saved file left it out.".to_owned(),
                ),
            };
            notes.push(TrailNote {
                entry: at,
                cause,
                sentence: format!("{whose} is not sent to {}. {why}", described(at, self)),
            });
        }
    }
}

fn same_host(a: &str, b: &str) -> bool {
    match (parse_target_url(a), parse_target_url(b)) {
        (Ok(a), Ok(b)) => a.host == b.host,
        _ => false,
    }
}

/// Every reason, as one clause.
fn because(reasons: &[NotSent]) -> String {
    reasons
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::fixture::trail;
    use crate::cause::CauseId;

    const APP: (&str, &str) = ("Origin", "https://app.example.com");

    #[test]
    fn a_host_only_session_cookie_does_not_reach_the_api() {
        let notes = trail(&[
            (
                "2026-01-01T00:00:00Z",
                "POST",
                "https://auth.example.com/login",
                &[APP],
                "user=a",
                200,
                &[("set-cookie", "sid=s1; Secure; HttpOnly; SameSite=None")],
                "",
            ),
            (
                "2026-01-01T00:00:01Z",
                "GET",
                "https://api.example.com/v1/me",
                &[APP, ("cookie", "theme=dark")],
                "",
                401,
                &[("www-authenticate", "Cookie")],
                "",
            ),
        ]);
        assert_eq!(notes.len(), 1, "{notes:?}");
        let (entry, cause, sentence) = &notes[0];
        assert_eq!((*entry, *cause), (1, CauseId::MissingCredentials));
        assert!(sentence.starts_with("The cookie sid set by the answer to entry 1 (POST https://auth.example.com/login) is not sent to entry 2 (GET https://api.example.com/v1/me). The cookie belongs to another host or domain."), "{sentence}");
    }

    #[test]
    fn path_secure_samesite_and_deletion() {
        let path = trail(&[
            (
                "2026-01-01T00:00:00Z",
                "POST",
                "https://example.com/auth/login",
                &[],
                "",
                302,
                &[("set-cookie", "sid=s1; Path=/auth; Secure; HttpOnly")],
                "",
            ),
            (
                "2026-01-01T00:00:01Z",
                "GET",
                "https://example.com/api/me",
                &[("cookie", "a=b")],
                "",
                401,
                &[],
                "",
            ),
        ]);
        assert!(path[0].2.contains("only for paths under /auth"), "{path:?}");
        let insecure = trail(&[
            (
                "2026-01-01T00:00:00Z",
                "POST",
                "https://example.com/login",
                &[],
                "",
                200,
                &[("set-cookie", "sid=s1; Path=/; Secure")],
                "",
            ),
            (
                "2026-01-01T00:00:01Z",
                "GET",
                "http://example.com/api/me",
                &[("cookie", "a=b")],
                "",
                401,
                &[],
                "",
            ),
        ]);
        assert_eq!(insecure[0].1, CauseId::CookieInsecure, "{insecure:?}");
    }

    #[test]
    fn a_cookie_kept_off_a_cross_site_request() {
        // A page on another site calls the API: no SameSite means Lax, which keeps it off.
        let cross_site = trail(&[
            (
                "2026-01-01T00:00:00Z",
                "POST",
                "https://api.example.net/login",
                &[],
                "",
                200,
                &[("set-cookie", "sid=s1; Path=/; Secure")],
                "",
            ),
            (
                "2026-01-01T00:00:01Z",
                "GET",
                "https://api.example.net/me",
                &[APP, ("cookie", "a=b")],
                "",
                401,
                &[],
                "",
            ),
        ]);
        assert_eq!(
            cross_site[0].1,
            CauseId::CookieSamesiteBlocked,
            "{cross_site:?}"
        );
    }

    #[test]
    fn a_session_deleted_by_a_logout() {
        let deleted = trail(&[
            (
                "2026-01-01T00:00:00Z",
                "POST",
                "https://example.com/login",
                &[],
                "",
                200,
                &[("set-cookie", "sid=s1; Path=/; Secure")],
                "",
            ),
            (
                "2026-01-01T00:00:05Z",
                "POST",
                "https://example.com/logout",
                &[("cookie", "sid=s1")],
                "",
                200,
                &[("set-cookie", "sid=; Path=/; Max-Age=0")],
                "",
            ),
            (
                "2026-01-01T00:00:09Z",
                "GET",
                "https://example.com/api/me",
                &[("cookie", "a=b")],
                "",
                401,
                &[],
                "",
            ),
        ]);
        assert_eq!(deleted.len(), 1, "{deleted:?}");
        assert_eq!((deleted[0].0, deleted[0].1), (2, CauseId::SessionExpired));
        assert!(
            deleted[0]
                .2
                .contains("deleted by the answer to entry 2 (POST https://example.com/logout)"),
            "{deleted:?}"
        );
        // The cookie that was carried is no finding.
        assert!(
            trail(&[
                (
                    "2026-01-01T00:00:00Z",
                    "POST",
                    "https://example.com/login",
                    &[],
                    "",
                    200,
                    &[("set-cookie", "sid=s1; Path=/; Secure")],
                    ""
                ),
                (
                    "2026-01-01T00:00:01Z",
                    "GET",
                    "https://example.com/api/me",
                    &[("cookie", "sid=s1")],
                    "",
                    401,
                    &[],
                    ""
                ),
            ])
            .is_empty()
        );
    }

    #[test]
    fn a_cookie_the_browser_refuses_to_store() {
        let notes = trail(&[
            (
                "2026-01-01T00:00:00Z",
                "POST",
                "https://example.com/login",
                &[],
                "",
                200,
                &[("set-cookie", "sid=s1; SameSite=None")],
                "",
            ),
            (
                "2026-01-01T00:00:01Z",
                "GET",
                "https://example.com/api/me",
                &[("cookie", "a=b")],
                "",
                401,
                &[],
                "",
            ),
        ]);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!((notes[0].0, notes[0].1), (0, CauseId::CookieInsecure));
        assert!(notes[0].2.starts_with("The browser did not store the cookie sid that the answer to entry 1 (POST https://example.com/login) set"), "{notes:?}");
    }

    #[test]
    fn a_sanitized_file_cannot_tell() {
        assert!(
            trail(&[
                (
                    "2026-01-01T00:00:00Z",
                    "POST",
                    "https://auth.example.com/login",
                    &[],
                    "",
                    200,
                    &[],
                    ""
                ),
                (
                    "2026-01-01T00:00:01Z",
                    "GET",
                    "https://api.example.com/v1/me",
                    &[],
                    "",
                    401,
                    &[],
                    ""
                ),
            ])
            .is_empty()
        );
    }
}
