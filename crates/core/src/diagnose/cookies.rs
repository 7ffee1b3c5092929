//! Rule: the cookies. The pasted `Set-Cookie` fields, judged as the browser would store them and
//! against the user's request sent from the calling page: a session ended, a cookie kept off the
//! request (`SameSite`, `Secure`, third-party blocking).

use super::{Case, Finding};
use crate::cause::CauseId;
use crate::cookie::{
    CookieNote, CookieRequest, NotSent, SetCookie, Site, parse_set_cookie, same_site, sendability,
    site_of,
};
use crate::cors::CredentialsMode;
use crate::evidence::Evidence;
use crate::header::is_redaction_mark;
use crate::infer::{Confidence, ConsoleVerdict, Inference};
use crate::pasted::Pasted;
use crate::target::{AddressClass, parse_target_url};

/// How many pasted `Set-Cookie` fields are judged: browsers keep about 180 cookies per site
/// (Chromium's limit), so more says nothing, and a paste of thousands must not stall the page.
pub const MAX_COOKIES_JUDGED: usize = 300;

/// A pasted `Set-Cookie`, read as the browser would store it, and whether it rides on the user's
/// request from the calling page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieVerdict {
    pub cookie: SetCookie,
    /// Empty when the browser sends it.
    pub not_sent: Vec<NotSent>,
    /// A third-party cookie on this request: sent by default in Chrome, not everywhere.
    pub third_party: bool,
}

/// The pasted cookies, judged against the user's request sent from the page the console line
/// names (the user's app), or else from this page, whose origin comes back too.
pub(super) fn judge(
    evidence: &Evidence,
    inference: &Inference,
    pasted: Option<&Pasted>,
) -> (String, Vec<CookieVerdict>) {
    let (page_origin, page) = calling_page(evidence, inference);
    let url = evidence.request.url.as_str();
    let (Some(pasted), Ok(target)) = (pasted, parse_target_url(url)) else {
        return (page_origin, Vec::new());
    };
    let path = crate::target::path_of(url);
    let request = CookieRequest {
        host: &target.host,
        secure: target.secure || target.address_class == AddressClass::Loopback,
        https: target.secure,
        path,
        page: &page,
        same_origin: target.origin() == page_origin,
        credentials: evidence.request.credentials,
        set_by_host: &target.host,
        set_by_path: path,
        now: evidence.captured_at,
        third_party_cookies_blocked: false,
    };
    let cross_site = !same_site(&site_of(target.secure, &target.host), &page);
    let verdicts = pasted
        .set_cookies()
        // `Set-Cookie: [REDACTED]`: hidden where it was copied from, nothing to judge.
        .filter(|line| !is_redaction_mark(line))
        .take(MAX_COOKIES_JUDGED)
        .map(|line| {
            let cookie = parse_set_cookie(line, evidence.captured_at);
            let not_sent = sendability(&cookie, &request);
            let third_party = not_sent.is_empty() && cross_site;
            CookieVerdict {
                cookie,
                not_sent,
                third_party,
            }
        })
        .collect();
    (page_origin, verdicts)
}

/// What the pasted `Set-Cookie` fields say about the cookies of the user's request.
pub(super) fn rule(given: &Case) -> Vec<Finding> {
    let mut found = Vec::new();
    let page_origin = given.calling_page;
    let refused = given.refused();
    let confidence = given.if_refused();
    // A request that carried an Authorization or a key, or that sends no cookies at all, was not
    // relying on cookies: a cookie that stays behind is worth knowing, not why it was refused.
    let relies_on_cookies = given.evidence.request.credentials == CredentialsMode::Include;
    let kept_off = if given.reading.sent_credentials() || !relies_on_cookies {
        Confidence::Low
    } else {
        confidence
    };
    for CookieVerdict {
        cookie,
        not_sent: reasons,
        third_party,
    } in given.cookies
    {
        let name = &cookie.name;
        let deleted = cookie
            .notes
            .iter()
            .any(|n| matches!(n, CookieNote::MaxAgeDeletes | CookieNote::ExpiresInPast))
            || reasons.contains(&NotSent::Expired);
        if deleted {
            found.push(Finding::new(
                CauseId::SessionExpired,
                kept_off,
                format!("The answer deletes the cookie {name} (an expiry in the past): the server ended this session; sign in again."),
            ));
            continue;
        }
        for reason in reasons {
            let cause = match reason {
                NotSent::Rejected => {
                    let insecure: Vec<String> = cookie
                        .notes
                        .iter()
                        .filter(|n| {
                            matches!(
                                n,
                                CookieNote::RejectedSameSiteNoneInsecure
                                    | CookieNote::RejectedPartitionedInsecure
                                    | CookieNote::RejectedPrefix { .. }
                            )
                        })
                        .map(|n| format!("{name}: {n}"))
                        .collect();
                    if !insecure.is_empty() {
                        found.push(Finding::with_reasons(
                            CauseId::CookieInsecure,
                            confidence,
                            insecure,
                        ));
                    }
                    continue;
                }
                // An expired cookie is the session's end, found above.
                NotSent::Expired => CauseId::MissingCredentials,
                other => other.cause(),
            };
            found.push(Finding::new(
                cause,
                kept_off,
                format!("{name} is not sent from {page_origin}: {reason}"),
            ));
        }
        if *third_party {
            found.push(Finding::new(
                CauseId::CookieNotSentThirdParty,
                Confidence::Medium.lowered_if(!refused),
                format!("{name} is SameSite=None; Secure and the request is cross-site from {page_origin}: a third-party cookie, which Chrome sends by default but Safari, Firefox's strict mode, Brave, private windows and users who block third-party cookies do not."),
            ));
        }
    }
    found
}

/// The page that sends the request: the user's app as the console line names it, or else this
/// page; its origin and site.
fn calling_page(evidence: &Evidence, inference: &Inference) -> (String, Site) {
    let console_origin = match &inference.console {
        Some(ConsoleVerdict::Settled(line) | ConsoleVerdict::Unexplained(line)) => {
            line.origin.clone()
        }
        _ => None,
    };
    // The user's app, as the console line names it or as the user said.
    let caller_origin = match &evidence.caller {
        Some(crate::evidence::Caller::Page { origin }) => origin.clone().filter(|o| !o.is_empty()),
        _ => None,
    };
    let origin = console_origin
        .or(caller_origin)
        .unwrap_or_else(|| evidence.context.origin.clone());
    let site = match parse_target_url(&origin) {
        Ok(page) => site_of(page.secure, &page.host),
        // Not a URL (a console line's origin is whatever was pasted): a site of its own.
        Err(_) => site_of(false, &origin),
    };
    (origin, site)
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{evidence, found};
    use crate::cause::CauseId;
    use crate::cors::CredentialsMode;

    fn with_paste(set_cookie: &str) -> crate::evidence::Evidence {
        let mut e = evidence(&[], CredentialsMode::Include, 401, &[], "");
        e.pasted = Some(format!(
            "HTTP/1.1 401 Unauthorized\r\nSet-Cookie: {set_cookie}\r\n\r\n"
        ));
        e
    }

    #[test]
    fn a_deleted_cookie_is_an_ended_session() {
        let e = with_paste("sid=; Max-Age=0; Path=/; Secure; SameSite=None");
        assert_eq!(found(super::rule, &e), [CauseId::SessionExpired]);
    }

    #[test]
    fn a_lax_cookie_stays_off_a_cross_site_request() {
        let e = with_paste("sid=abc; Path=/; Secure; SameSite=Lax");
        assert_eq!(found(super::rule, &e), [CauseId::CookieSamesiteBlocked]);
    }

    #[test]
    fn a_hidden_cookie_is_not_judged_and_a_token_does_not_rely_on_cookies() {
        assert!(found(super::rule, &with_paste("[REDACTED]")).is_empty());
        let bearer = [("Authorization", "Bearer abc")];
        let mut e = evidence(&bearer, CredentialsMode::Include, 401, &[], "");
        e.pasted = with_paste("sid=abc; Path=/; Secure; SameSite=Lax").pasted;
        let d = super::super::diagnose(&e);
        assert!(
            d.findings
                .iter()
                .filter(|f| f.cause == CauseId::CookieSamesiteBlocked)
                .all(|f| f.confidence == crate::infer::Confidence::Low),
            "{:?}",
            d.findings
        );
    }

    #[test]
    fn no_paste_no_cookie_findings() {
        let e = evidence(&[], CredentialsMode::Include, 401, &[], "");
        assert!(found(super::rule, &e).is_empty());
    }
}
