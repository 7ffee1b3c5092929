//! Across a HAR file's entries, in the order the browser made them: the cookies each answer set,
//! kept in a browser's store ([`Jar`]), and whether the requests that failed later carried them —
//! "the session cookie set by the login (entry 3) is not sent to the API (entry 5) because …" —
//! and token refreshes that raced each other with one refresh token.

use serde_json::Value;

use super::{Har, HarEntry};
use crate::cause::CauseId;
use crate::cookie::{
    CookieRequest, Jar, NotSent, NotStored, parse_set_cookie, same_site, sendability, site_of,
};
use crate::cors::CredentialsMode;
use crate::target::{TargetUrl, parse_target_url, path_of};

/// One thing the trail found, on one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailNote {
    /// The entry it is about (0-based): a request that went without a cookie, or the answer
    /// whose cookie the browser refused.
    pub entry: usize,
    pub cause: CauseId,
    pub sentence: String,
}

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

/// `2026-01-01T10:00:00.123Z` or `…+02:00` (Firefox writes the local offset) in milliseconds
/// since the epoch.
pub(super) fn har_time_ms(text: &str) -> Option<i64> {
    let (date, time) = text.trim().split_once('T')?;
    let day = crate::time::parse_iso_time(date)?;
    let (clock, offset) = match time.find(['Z', 'z', '+', '-']) {
        Some(at) => (time.get(..at)?, time.get(at..)?),
        None => (time, ""),
    };
    let (whole, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut parts = whole.split(':').map(|p| p.parse::<i64>().ok());
    let (hour, minute, second) = (parts.next()??, parts.next()??, parts.next()??);
    let millis = format!("{fraction:0<3}")
        .get(..3)
        .and_then(|m| m.parse::<i64>().ok())
        .unwrap_or(0);
    let offset_s = match offset.get(..1) {
        Some(sign @ ("+" | "-")) => {
            let digits: String = offset.chars().filter(char::is_ascii_digit).collect();
            let hours = digits.get(..2)?.parse::<i64>().ok()?;
            let minutes = digits
                .get(2..4)
                .and_then(|m| m.parse::<i64>().ok())
                .unwrap_or(0);
            let seconds = hours * 3600 + minutes * 60;
            if sign == "+" { seconds } else { -seconds }
        }
        _ => 0,
    };
    Some((day + hour * 3600 + minute * 60 + second - offset_s) * 1000 + millis)
}

fn header_values<'a>(headers: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect()
}

/// The names of the cookies a request carried.
fn cookies_sent(entry: &HarEntry) -> Vec<String> {
    header_values(&entry.request_headers, "cookie")
        .iter()
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.split_once('=').map(|(n, _)| n.trim().to_owned()))
        .collect()
}

/// The origin of the page that made the request: its `Origin`, else its `Referer`'s, else its
/// own (a navigation).
fn page_of(entry: &HarEntry, target: &TargetUrl) -> TargetUrl {
    header_values(&entry.request_headers, "origin")
        .into_iter()
        .chain(header_values(&entry.request_headers, "referer"))
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
            for line in header_values(&entry.response_headers, "set-cookie") {
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

    /// Token refreshes that raced: several made with one refresh token (or, when the token is
    /// not in the file, to one endpoint within two seconds), of which some succeeded and the
    /// others were refused.
    pub fn refresh_races(&self) -> Vec<TrailNote> {
        let refreshes: Vec<Refresh> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(at, entry)| Refresh::of(at, entry))
            .collect();
        let mut groups: Vec<Vec<&Refresh>> = Vec::new();
        for refresh in &refreshes {
            let joins = groups.iter_mut().find(|group| {
                group
                    .first()
                    .is_some_and(|first| match (&first.token, &refresh.token) {
                        (Some(a), Some(b)) => a == b,
                        (None, None) => {
                            first.url == refresh.url
                                && group
                                    .last()
                                    .is_some_and(|last| refresh.at_ms - last.at_ms <= 2000)
                        }
                        _ => false,
                    })
            });
            match joins {
                Some(group) => group.push(refresh),
                None => groups.push(vec![refresh]),
            }
        }
        groups
            .into_iter()
            .filter(|group| {
                group.len() > 1 && group.iter().any(|r| r.won()) && group.iter().any(|r| r.lost())
            })
            .filter_map(|group| race(&group))
            .collect()
    }
}

/// A race, named.
fn race(group: &[&Refresh]) -> Option<TrailNote> {
    let first = group.first()?;
    let latest = group.last()?;
    let numbered = |refreshes: Vec<&&Refresh>| {
        refreshes
            .iter()
            .map(|r| format!("{} ({})", r.entry + 1, r.outcome))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let winners = numbered(group.iter().filter(|r| r.won()).collect());
    let losers = numbered(group.iter().filter(|r| r.lost()).collect());
    let mut sentence = format!(
        "Entries {} refresh the session {} within {} ms: {winners} succeeded, {losers} {} refused.",
        in_words(
            &group
                .iter()
                .map(|r| (r.entry + 1).to_string())
                .collect::<Vec<_>>()
        ),
        if first.token.is_some() {
            "with the same refresh token"
        } else {
            "at the same endpoint"
        },
        latest.at_ms - first.at_ms,
        if group.iter().filter(|r| r.lost()).count() == 1 {
            "was"
        } else {
            "were"
        },
    );
    sentence.push_str(" The server rotates refresh tokens, so only the first refresh of a token wins; the requests that used the others get 401s, or sign the user out.");
    Some(TrailNote {
        entry: latest.entry,
        cause: CauseId::RefreshTokenRace,
        sentence,
    })
}

fn same_host(a: &str, b: &str) -> bool {
    match (parse_target_url(a), parse_target_url(b)) {
        (Ok(a), Ok(b)) => a.host == b.host,
        _ => false,
    }
}

/// `1, 2 and 3`.
fn in_words(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => items.join(""),
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

/// A token refresh: `grant_type=refresh_token` (OAuth 2.0, RFC 6749 §6) in a form or JSON body,
/// or a `POST` to a path that says refresh.
struct Refresh {
    entry: usize,
    url: String,
    token: Option<String>,
    at_ms: i64,
    status: u16,
    /// `200`, `400 invalid_grant` …
    outcome: String,
}

impl Refresh {
    fn of(entry: usize, har_entry: &HarEntry) -> Option<Refresh> {
        if !har_entry.method.eq_ignore_ascii_case("POST") {
            return None;
        }
        let body = har_entry.request_body.as_deref().unwrap_or_default();
        let json: Option<Value> = serde_json::from_str(body.trim()).ok();
        let form_value = |name: &str| {
            body.split('&').find_map(|pair| {
                let (n, v) = pair.split_once('=')?;
                (n.trim() == name).then(|| v.trim().to_owned())
            })
        };
        let json_value = |name: &str| {
            json.as_ref()
                .and_then(|j| j.get(name))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let grant = form_value("grant_type").or_else(|| json_value("grant_type"));
        let token = form_value("refresh_token")
            .or_else(|| json_value("refresh_token"))
            .or_else(|| json_value("refreshToken"));
        let path = path_of(har_entry.url.trim()).to_ascii_lowercase();
        let refresh = grant.as_deref() == Some("refresh_token")
            || token.is_some()
            || path.contains("refresh");
        if !refresh {
            return None;
        }
        let error = har_entry
            .body
            .as_deref()
            .and_then(|b| serde_json::from_str::<Value>(b.trim()).ok())
            .and_then(|b| b.get("error").and_then(Value::as_str).map(str::to_owned));
        Some(Refresh {
            entry,
            url: har_entry.url.clone(),
            token,
            at_ms: har_time_ms(&har_entry.started).unwrap_or(0),
            status: har_entry.status,
            outcome: match error {
                Some(error) => format!("{} {error}", har_entry.status),
                None => har_entry.status.to_string(),
            },
        })
    }

    fn won(&self) -> bool {
        (200..300).contains(&self.status)
    }

    fn lost(&self) -> bool {
        matches!(self.status, 400 | 401 | 403)
    }
}

#[cfg(test)]
mod tests {
    use super::har_time_ms;
    use crate::cause::CauseId;
    use crate::har::parse_har;

    /// A HAR of `(time, method, url, request headers, request body, status, response headers,
    /// response body)`, as DevTools writes one.
    type Row<'a> = (
        &'a str,
        &'a str,
        &'a str,
        &'a [(&'a str, &'a str)],
        &'a str,
        u16,
        &'a [(&'a str, &'a str)],
        &'a str,
    );

    fn har(rows: &[Row<'_>]) -> crate::har::Har {
        let pairs = |headers: &[(&str, &str)]| {
            serde_json::Value::Array(
                headers
                    .iter()
                    .map(|(n, v)| serde_json::json!({"name": n, "value": v}))
                    .collect(),
            )
        };
        let entries: Vec<serde_json::Value> = rows
            .iter()
            .map(|(time, method, url, sent, body, status, answer, text)| {
                serde_json::json!({
                    "startedDateTime": time,
                    "request": {"method": method, "url": url, "headers": pairs(sent),
                                "postData": {"mimeType": "application/x-www-form-urlencoded", "text": body}},
                    "response": {"status": status, "statusText": "", "headers": pairs(answer),
                                 "redirectURL": "", "content": {"size": text.len(), "text": text}}
                })
            })
            .collect();
        let file = serde_json::json!({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": entries}});
        parse_har(&file.to_string()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn trail(rows: &[Row<'_>]) -> Vec<(usize, CauseId, String)> {
        har(rows)
            .cookie_trail()
            .into_iter()
            .map(|n| (n.entry, n.cause, n.sentence))
            .collect()
    }

    const APP: (&str, &str) = ("Origin", "https://app.example.com");

    #[test]
    fn times_as_browsers_write_them() {
        assert_eq!(har_time_ms("1970-01-01T00:00:01.5Z"), Some(1500));
        assert_eq!(har_time_ms("1970-01-01T02:00:00.250+02:00"), Some(250));
        assert_eq!(har_time_ms("1970-01-01T00:00:00-01:30"), Some(5_400_000));
        assert_eq!(har_time_ms("yesterday"), None);
    }

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

    #[test]
    fn refreshes_racing_with_one_refresh_token() {
        let token = "https://id.example.com/oauth/token";
        let races = har(&[
            (
                "2026-01-01T00:00:00.000Z",
                "POST",
                token,
                &[],
                "grant_type=refresh_token&refresh_token=r1",
                200,
                &[],
                r#"{"access_token":"a2","refresh_token":"r2"}"#,
            ),
            (
                "2026-01-01T00:00:00.040Z",
                "POST",
                token,
                &[],
                "grant_type=refresh_token&refresh_token=r1",
                400,
                &[],
                r#"{"error":"invalid_grant"}"#,
            ),
            (
                "2026-01-01T00:00:00.090Z",
                "POST",
                token,
                &[],
                "grant_type=refresh_token&refresh_token=r1",
                400,
                &[],
                r#"{"error":"invalid_grant"}"#,
            ),
            (
                "2026-01-01T00:00:05.000Z",
                "POST",
                token,
                &[],
                "grant_type=refresh_token&refresh_token=r2",
                200,
                &[],
                "{}",
            ),
        ])
        .refresh_races();
        assert_eq!(races.len(), 1, "{races:?}");
        assert_eq!(
            (races[0].entry, races[0].cause),
            (2, CauseId::RefreshTokenRace)
        );
        assert!(races[0].sentence.starts_with("Entries 1, 2 and 3 refresh the session with the same refresh token within 90 ms: 1 (200) succeeded, 2 (400 invalid_grant), 3 (400 invalid_grant) were refused."), "{}", races[0].sentence);
        // One after the other, each with its own token: no race.
        assert!(
            har(&[
                (
                    "2026-01-01T00:00:00Z",
                    "POST",
                    token,
                    &[],
                    "grant_type=refresh_token&refresh_token=r1",
                    200,
                    &[],
                    "{}"
                ),
                (
                    "2026-01-01T00:10:00Z",
                    "POST",
                    token,
                    &[],
                    "grant_type=refresh_token&refresh_token=r2",
                    400,
                    &[],
                    "{}"
                ),
            ])
            .refresh_races()
            .is_empty()
        );
    }

    #[test]
    fn refreshes_racing_at_one_endpoint() {
        // Without the token in the file, one endpoint hit twice at once, one refused.
        let json = har(&[
            (
                "2026-01-01T00:00:00.000Z",
                "POST",
                "https://example.com/api/auth/refresh",
                &[],
                "",
                200,
                &[],
                "{}",
            ),
            (
                "2026-01-01T00:00:00.010Z",
                "POST",
                "https://example.com/api/auth/refresh",
                &[],
                "",
                401,
                &[],
                "{}",
            ),
        ])
        .refresh_races();
        assert!(
            json[0]
                .sentence
                .contains("at the same endpoint within 10 ms"),
            "{json:?}"
        );
    }
}
