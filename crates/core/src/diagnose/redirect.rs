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
    fn a_redirect_across_schemes() {
        let http = URL.replacen("https", "http", 1);
        let e = redirected_to(answered(&[], 401, &[]), &http);
        assert_eq!(found(super::rule, &e), [CauseId::RedirectToOtherScheme]);
    }
}
