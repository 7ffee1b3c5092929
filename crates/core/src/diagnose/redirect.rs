//! Rule: where the request ended — a login page instead of a 401, or across http and https, which
//! drops `Authorization` on the way. (A redirect to another origin that drops it is the
//! inference's.)

use super::{Case, Finding};
use crate::cause::CauseId;
use crate::evidence::Evidence;
use crate::infer::Confidence;
use crate::observation::ResponseSeen;

pub(super) fn rule(given: &Case) -> Vec<Finding> {
    let mut found = Vec::new();
    let (Some(sent), Some(seen)) = (given.sent, given.full) else {
        return found;
    };
    if login_page(given.evidence, seen, &given.reading.body_lower) {
        found.push(Finding::new(
            CauseId::LoginRedirect,
            Confidence::High,
            format!(
                "Instead of a 401 the server sent a login page ({} {}{}): an API client gets HTML it cannot use, and no challenge.",
                seen.status,
                seen.url,
                if seen.redirected { ", after a redirect" } else { "" }
            ),
        ));
    }
    if let Some(finding) = dropped_on_the_way(given, seen) {
        found.push(finding);
    }
    if seen.redirected && scheme_of(&seen.url) != scheme_of(sent.url) {
        found.push(Finding::new(
            CauseId::RedirectToOtherScheme,
            Confidence::High,
            format!(
                "The request to {} ended at {}: a redirect between http and https crosses origins, so the browser dropped Authorization.",
                sent.url, seen.url
            ),
        ));
    }
    found
}

/// A pasted exchange (`curl -L -v`, the terminal's own) whose request carried `Authorization`,
/// was redirected to another origin, and was refused there without it: curl, like browsers,
/// drops it across origins. (For the page's own requests the inference says so.)
fn dropped_on_the_way(given: &Case, seen: &ResponseSeen) -> Option<Finding> {
    let pasted = given.reading.pasted.as_ref()?.as_ref().ok()?;
    pasted.redirected_from.as_ref()?;
    let last = pasted.request.as_ref()?;
    let first_authorized = given.evidence.request.authorization().is_some();
    let last_authorized = last
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("authorization"));
    let crossed = crate::target::parse_target_url(&seen.url)
        .ok()
        .zip(crate::target::parse_target_url(&given.evidence.request.url).ok())
        .is_some_and(|(to, from)| to.origin() != from.origin());
    (seen.redirected
        && crossed
        && first_authorized
        && !last_authorized
        && scheme_of(&seen.url) == scheme_of(&given.evidence.request.url)
        && matches!(seen.status, 401 | 403))
        .then(|| {
            Finding::new(
                CauseId::RedirectDroppedAuthorization,
                Confidence::High,
                format!(
                    "The request carried Authorization to {}, was redirected to {} on another origin, and arrived there without it: {} came back.",
                    given.evidence.request.url, seen.url, seen.status
                ),
            )
        })
}

/// A login page where an API answer belongs: a redirect to a login URL, or HTML with a password
/// field.
fn login_page(evidence: &Evidence, seen: &ResponseSeen, body_lower: &str) -> bool {
    let is_login = |url: &str| {
        let url = url.to_ascii_lowercase();
        ["login", "signin", "sign-in", "sign_in", "/auth", "sso"]
            .iter()
            .any(|w| url.contains(w))
    };
    let html = seen
        .header("content-type")
        .is_some_and(|t| t.contains("text/html"));
    let password_form =
        body_lower.contains("type=\"password\"") || body_lower.contains("type=password");
    // A login form, whether it came with a 200, or with the 401 or 403 itself.
    let form = html && password_form && matches!(seen.status, 200..=299 | 401 | 403);
    if seen.redirected && seen.url != evidence.request.url {
        return is_login(&seen.url) || form;
    }
    // Asking for a login page and getting one is no finding.
    form && !is_login(&evidence.request.url)
}

fn scheme_of(url: &str) -> &str {
    url.split_once("://").map_or("", |(scheme, _)| scheme)
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{URL, answered, evidence, found};
    use crate::cause::CauseId;
    use crate::cors::CredentialsMode;
    use crate::evidence::ProbeRecord;
    use crate::observation::ProbeOutcome;

    /// `e` with the user's own answer ending at `url` after a redirect.
    fn redirected_to(mut e: crate::evidence::Evidence, url: &str) -> crate::evidence::Evidence {
        for ProbeRecord { outcome, .. } in &mut e.probes {
            if let ProbeOutcome::Response(seen) = outcome
                && seen.status != 0
            {
                seen.url = url.to_owned();
                seen.redirected = true;
            }
        }
        e
    }

    #[test]
    fn a_redirect_to_a_login_page() {
        let e = redirected_to(
            answered(&[], 200, &[]),
            "https://api.example.com/login?next=/v1/me",
        );
        assert_eq!(found(super::rule, &e), [CauseId::LoginRedirect]);
        let form = evidence(
            &[],
            CredentialsMode::SameOrigin,
            200,
            &[("content-type", "text/html")],
            "<form><input type=\"password\"></form>",
        );
        assert_eq!(found(super::rule, &form), [CauseId::LoginRedirect]);
        // The login form sent with the 401 itself.
        let refused = evidence(
            &[],
            CredentialsMode::SameOrigin,
            401,
            &[("content-type", "text/html; charset=utf-8")],
            "<html><form action=\"/login\"><input type=password name=pw></form></html>",
        );
        assert_eq!(found(super::rule, &refused), [CauseId::LoginRedirect]);
        assert!(found(super::rule, &answered(&[], 200, &[])).is_empty());
    }

    #[test]
    fn a_pasted_redirect_that_dropped_authorization() {
        use crate::evidence::{Evidence, PageContext};
        let transcript = |trusted: bool| {
            format!(
                "> GET /v1/me HTTP/1.1\n> Host: api.example.com\n> Authorization: Bearer t\n>\n< HTTP/1.1 307 Temporary Redirect\n< Location: https://eu.api.example.com/v1/me\n<\n> GET /v1/me HTTP/1.1\n> Host: eu.api.example.com\n{}>\n< HTTP/1.1 401 Unauthorized\n< WWW-Authenticate: Bearer\n<\n",
                if trusted {
                    "> Authorization: Bearer t\n"
                } else {
                    ""
                }
            )
        };
        let mut request = crate::request::RequestSpec::get(URL);
        request.headers = vec![("Authorization".into(), "Bearer t".into())];
        let context = PageContext::at(
            "https://why401.example.org",
            true,
            crate::target::AddressClass::Public,
        );
        let pasted = |trusted| {
            Evidence::pasted_only(request.clone(), context.clone(), 0, transcript(trusted))
        };
        assert_eq!(
            found(super::rule, &pasted(false)),
            [CauseId::RedirectDroppedAuthorization]
        );
        // curl --location-trusted kept it: the refusal is the other host's own.
        assert!(found(super::rule, &pasted(true)).is_empty());
    }

    #[test]
    fn a_redirect_across_schemes() {
        let http = URL.replacen("https", "http", 1);
        let e = redirected_to(answered(&[], 401, &[]), &http);
        assert_eq!(found(super::rule, &e), [CauseId::RedirectToOtherScheme]);
    }
}
