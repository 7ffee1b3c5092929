//! Rule: the scopes an API says it wants beside those the token has — GitHub's and Linode's
//! `X-Accepted-OAuth-Scopes` (any one suffices) against `X-OAuth-Scopes` (the token's), GitHub
//! Apps' `X-Accepted-GitHub-Permissions`, and `X-GitHub-SSO` (the organisation's single sign-on
//! has not authorised the token). GitHub answers 404, not 403, for what a token may not see, so a
//! 404 counts too.

use super::{Case, Finding};
use crate::cause::CauseId;
use crate::infer::Confidence;

/// APIs that answer 404 for what the caller may not see.
const HIDE_AS_404: &[&str] = &["api.github.com", "gitlab.com"];

/// Where each of [`HIDE_AS_404`] says so (kept out of the page's bundle).
#[cfg(test)]
const HIDE_AS_404_SOURCES: &[&str] = &[
    "docs.github.com/rest/authentication/authenticating-to-the-rest-api (“may return 404 Not Found instead of 403 Forbidden”)",
    "docs.gitlab.com/ee/api/rest (404 for resources the user may not access)",
];

pub(super) fn rule(given: &Case) -> Vec<Finding> {
    let (Some(sent), Some(seen)) = (given.sent, given.full) else {
        return Vec::new();
    };
    if !matches!(seen.status, 401 | 403 | 404) {
        return Vec::new();
    }
    let mut found = Vec::new();
    let host = crate::target::parse_target_url(sent.url).map(|t| t.host);
    if seen.status == 404
        && let Ok(host) = &host
        && HIDE_AS_404.contains(&host.as_str())
    {
        let sent_any = given.reading.sent_credentials();
        found.push(Finding::new(
            CauseId::AuthFailureAs404,
            if sent_any {
                Confidence::Medium
            } else {
                Confidence::High
            },
            if sent_any {
                format!("{host} answers 404 for what the token may not see: the token may lack the scope or the access, not the URL.")
            } else {
                format!("{host} answers 404, not 401, for a private resource asked for without credentials: send them first.")
            },
        ));
    }
    if let Some(sso) = seen
        .header("x-github-sso")
        .filter(|v| v.to_ascii_lowercase().starts_with("required"))
    {
        found.push(Finding::new(
            CauseId::SsoAuthorizationRequired,
            Confidence::High,
            format!("X-GitHub-SSO: {sso}: the organisation enforces single sign-on, and this token has not been authorised for it."),
        ));
    }
    let accepted = seen.header("x-accepted-oauth-scopes").map(scopes);
    let held = seen.header("x-oauth-scopes").map(scopes);
    if let (Some(accepted), Some(held)) = (accepted, held)
        && !accepted.is_empty()
        && !held.iter().any(|h| h == "*")
        && !accepted.iter().any(|a| held.iter().any(|h| covers(h, a)))
    {
        found.push(Finding::new(
            CauseId::InsufficientScope,
            Confidence::High,
            format!(
                "The endpoint accepts any of the scopes {} (X-Accepted-OAuth-Scopes), and the token has {} (X-OAuth-Scopes): none of them.",
                accepted.join(", "),
                if held.is_empty() { "none".to_owned() } else { held.join(", ") }
            ),
        ));
    } else if let Some(permissions) = seen
        .header("x-accepted-github-permissions")
        .filter(|p| !p.trim().is_empty())
        && seen.status != 401
    {
        found.push(Finding::new(
            CauseId::InsufficientScope,
            Confidence::Medium,
            format!("The endpoint needs the GitHub App permissions {permissions} (X-Accepted-GitHub-Permissions): the app, or its installation, may not have them."),
        ));
    }
    found
}

fn scopes(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether holding `held` grants `wanted`: the same scope, or its parent (`repo` covers
/// `repo:status` and `public_repo`; `admin:org` covers `write:org` and `read:org`).
fn covers(held: &str, wanted: &str) -> bool {
    if held == wanted || wanted.starts_with(&format!("{held}:")) {
        return true;
    }
    let resource = |scope: &str| scope.split_once(':').map(|(_, r)| r.to_owned());
    match (held.split_once(':'), resource(wanted)) {
        // admin:x ⊇ write:x ⊇ read:x
        (Some(("admin", r)), Some(w)) => r == w,
        (Some(("write", r)), Some(w)) => r == w && wanted.starts_with("read:"),
        _ => held == "repo" && wanted == "public_repo",
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{answered, found};
    use super::covers;
    use crate::cause::CauseId;

    const TOKEN: [(&str, &str); 1] = [("Authorization", "token ghp_x")];

    #[test]
    fn a_token_without_any_accepted_scope_is_named() {
        let e = answered(
            &TOKEN,
            404,
            &[
                ("x-accepted-oauth-scopes", "repo"),
                ("x-oauth-scopes", "gist, read:org"),
            ],
        );
        assert_eq!(found(super::rule, &e), [CauseId::InsufficientScope]);
        // One accepted scope held, or a parent of it, or all of them: not the scopes.
        for held in ["repo", "repo, gist", "*"] {
            let e = answered(
                &TOKEN,
                403,
                &[
                    ("x-accepted-oauth-scopes", "repo:status, repo"),
                    ("x-oauth-scopes", held),
                ],
            );
            assert!(found(super::rule, &e).is_empty(), "{held}");
        }
        // No scope required (X-Accepted-OAuth-Scopes empty): the scopes are not why.
        let e = answered(
            &TOKEN,
            403,
            &[("x-accepted-oauth-scopes", ""), ("x-oauth-scopes", "")],
        );
        assert!(found(super::rule, &e).is_empty());
    }

    #[test]
    fn a_404_from_an_api_that_hides_what_you_may_not_see() {
        let mut e = answered(&[], 404, &[]);
        let url = "https://api.github.com/repos/octo/private";
        e.request.url = url.into();
        for probe in &mut e.probes {
            probe.sent.url = url.into();
        }
        assert_eq!(found(super::rule, &e), [CauseId::AuthFailureAs404]);
        let elsewhere = answered(&[], 404, &[]);
        assert!(found(super::rule, &elsewhere).is_empty());
        assert_eq!(super::HIDE_AS_404.len(), super::HIDE_AS_404_SOURCES.len());
    }

    #[test]
    fn parents_cover_their_scopes() {
        assert!(covers("repo", "repo:status"));
        assert!(covers("repo", "public_repo"));
        assert!(covers("admin:org", "read:org"));
        assert!(covers("write:org", "read:org"));
        assert!(!covers("read:org", "write:org"));
        assert!(!covers("gist", "repo"));
    }

    #[test]
    fn single_sign_on_names_itself() {
        let e = answered(
            &TOKEN,
            403,
            &[(
                "x-github-sso",
                "required; url=https://github.com/orgs/o/sso?authorization_request=A",
            )],
        );
        assert_eq!(found(super::rule, &e), [CauseId::SsoAuthorizationRequired]);
        let e = answered(
            &TOKEN,
            403,
            &[("x-github-sso", "partial-results; organizations=1")],
        );
        assert!(found(super::rule, &e).is_empty());
    }
}
