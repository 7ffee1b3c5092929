//! Rule: what the status and the answer's own signals say besides authentication: a proxy's
//! 407, a 403 (a missing scope, or refused whoever asks), a failed CSRF check, a rate limit, a
//! header the API requires, a one-time code it wants.

use super::{Case, Finding};
use crate::cause::CauseId;
use crate::cors::CredentialsMode;
use crate::header::{BearerError, Challenge, Challenges};
use crate::infer::Confidence;
use crate::observation::ResponseSeen;

pub(super) fn rule(given: &Case) -> Vec<Finding> {
    let (Some(_), Some(seen)) = (given.sent, given.full) else {
        return Vec::new();
    };
    let reading = given.reading;
    let mut found = signals(seen, &reading.body_lower);
    match seen.status {
        407 => found.push(Finding::new(
            CauseId::ProxyAuthRequired,
            Confidence::High,
            "The answer is 407 Proxy Authentication Required: a proxy between you and the server wants credentials of its own (Proxy-Authorization), which a page cannot send.",
        )),
        403 if !found
            .iter()
            .any(|f| matches!(f.cause, CauseId::RateLimited | CauseId::MissingRequiredHeader)) =>
        {
            let cookies = given.evidence.request.credentials == CredentialsMode::Include;
            found.push(
                key_refused(given).unwrap_or_else(|| {
                    forbidden(
                        reading.challenges.as_ref(),
                        &reading.body_lower,
                        reading.sent_credentials(),
                        cookies,
                    )
                }),
            );
        }
        _ => {}
    }
    found
}

/// What an answer says besides authentication: a header the API requires, a rate limit, a
/// one-time code it wants.
fn signals(seen: &ResponseSeen, body_lower: &str) -> Vec<Finding> {
    let mut found = Vec::new();
    let status = seen.status;
    let required = required_header(body_lower);
    if let Some(header) = required {
        found.push(Finding::new(
            CauseId::MissingRequiredHeader,
            Confidence::High,
            format!("The body says the API requires a {header} header."),
        ));
    }
    if matches!(status, 403 | 419) && body_lower.contains("csrf") {
        // Django: "CSRF Failed: CSRF token missing."; Laravel (419): "CSRF token mismatch.";
        // Express csurf: "invalid csrf token".
        found.push(Finding::new(
            CauseId::CsrfTokenMissing,
            Confidence::High,
            format!("The answer is {status} and its body names a failed CSRF check: the request changes data, and the server wants the CSRF token of the session beside its cookie."),
        ));
    }
    if rate_limited(seen, body_lower) {
        found.push(Finding::new(
            CauseId::RateLimited,
            Confidence::High,
            format!("The answer is {status} with signs of a rate or abuse limit (Retry-After, X-RateLimit-*, or the body says so)."),
        ));
    }
    if let Some(otp) = seen
        .headers
        .iter()
        .find(|(n, v)| n.ends_with("-otp") && v.to_ascii_lowercase().contains("required"))
    {
        found.push(Finding::new(
            CauseId::SecondFactorRequired,
            Confidence::High,
            format!("{}: {} asks for a one-time code.", otp.0, otp.1),
        ));
    }
    found
}

/// A bare 403 — no reason beyond "Forbidden" — to a request whose one credential is an API key
/// in a key header: the way API gateways refuse a missing or wrong key (AWS API Gateway's
/// `INVALID_API_KEY` is a 403 Forbidden), so the key is what to check first.
fn key_refused(given: &Case) -> Option<Finding> {
    let reading = given.reading;
    let place = reading.credential_elsewhere.as_deref()?;
    if reading.credentials.is_some() || !place.starts_with("the header ") {
        return None;
    }
    let bare = reading
        .body_lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .all(|word| ["", "message", "error", "forbidden", "403"].contains(&word));
    bare.then(|| {
        Finding::new(
            CauseId::InvalidCredentials,
            Confidence::Medium,
            format!("The answer is a bare 403 Forbidden, and the request's one credential is the API key in {}: API gateways refuse a missing or wrong key this way (AWS API Gateway answers an invalid x-api-key with 403 Forbidden). Check the key first; if it is right, the key is not allowed this API (its usage plan, an allowed list).", place.trim_start_matches("the header ")),
        )
    })
}

/// A 403 that is not a rate limit: a missing scope, or refused whoever you are.
fn forbidden(
    challenges: Option<&Challenges>,
    body_lower: &str,
    sent_credentials: bool,
    cookies: bool,
) -> Finding {
    let scope = challenges.and_then(|c| c.challenges.iter().find_map(Challenge::error))
        == Some(BearerError::InsufficientScope);
    if scope {
        return Finding::new(
            CauseId::InsufficientScope,
            Confidence::High,
            "The 403 carries a Bearer challenge with error=\"insufficient_scope\": the token is valid but lacks a scope.",
        );
    }
    // Words that say no one was recognised, not what this caller may not do.
    let anonymous = [
        "access denied",
        "accessdenied",
        "not provided",
        "not authenticated",
        "unauthenticated",
        "authentication required",
        "login required",
    ]
    .iter()
    .any(|w| body_lower.contains(w))
        && !["permission", "does not have"]
            .iter()
            .any(|w| body_lower.contains(w));
    if !sent_credentials && !cookies && anonymous {
        return Finding::new(
            CauseId::MissingCredentials,
            Confidence::Medium,
            "The answer is 403 Forbidden to a request that carried no credentials at all, and it does not name a permission: many servers (S3, Spring Security, Django REST framework) answer 403 rather than 401 when no one is authenticated. Send the credentials first.",
        );
    }
    Finding::new(
        CauseId::ForbiddenNotUnauthorized,
        Confidence::High.lowered_if(!sent_credentials),
        if sent_credentials {
            "The answer is 403 Forbidden to a request with credentials: the server knows who you are and refuses this request anyway (permissions, or a server that answers 403 where 401 belongs)."
        } else {
            "The answer is 403 Forbidden to a request that carried no Authorization, only cookies: some frameworks (Django REST framework with session authentication, Spring Security by default) answer 403 instead of 401 when no one is logged in."
        },
    )
}

fn rate_limited(seen: &ResponseSeen, body_lower: &str) -> bool {
    if seen.status == 429 {
        return true;
    }
    let header_says = seen.headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("retry-after")
            || (n.to_ascii_lowercase().contains("ratelimit-remaining") && v.trim() == "0")
    });
    let body_says = [
        "rate limit",
        "too many requests",
        "rate-limit",
        "throttl",
        "too many attempts",
    ]
    .iter()
    .any(|w| body_lower.contains(w));
    matches!(seen.status, 401 | 403 | 503) && (header_says || body_says)
}

/// `User-Agent` in "User-Agent header is required"-like bodies.
fn required_header(body_lower: &str) -> Option<&'static str> {
    const HEADERS: &[&str] = &[
        "user-agent",
        "x-api-key",
        "api-key",
        "x-requested-with",
        "accept",
        "content-type",
    ];
    if !(body_lower.contains("required") || body_lower.contains("missing")) {
        return None;
    }
    HEADERS.iter().copied().find(|h| {
        body_lower.contains(&format!("{h} header"))
            || body_lower.contains(&format!("header {h}"))
            || body_lower.contains(&format!("'{h}'"))
            || body_lower.contains(&format!("\"{h}\""))
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{answered, evidence, found};
    use crate::cause::CauseId;
    use crate::cors::CredentialsMode;

    #[test]
    fn a_403_to_no_one_asks_for_credentials_unless_it_names_a_refusal() {
        // S3's anonymous AccessDenied, DRF's "not provided": send credentials first.
        for body in [
            "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>",
            r#"{"detail":"Authentication credentials were not provided."}"#,
        ] {
            let e = evidence(&[], CredentialsMode::SameOrigin, 403, &[], body);
            assert_eq!(
                found(super::rule, &e),
                [CauseId::MissingCredentials],
                "{body}"
            );
        }
        // A body that names what is refused: the server knew enough to refuse this request.
        for body in ["", r#"{"message":"Cannot delete a default locale"}"#] {
            let e = evidence(&[], CredentialsMode::SameOrigin, 403, &[], body);
            assert_eq!(
                found(super::rule, &e),
                [CauseId::ForbiddenNotUnauthorized],
                "{body}"
            );
        }
        // Cookies may have said who asks.
        let body = "Access Denied";
        let e = evidence(&[], CredentialsMode::Include, 403, &[], body);
        assert_eq!(found(super::rule, &e), [CauseId::ForbiddenNotUnauthorized]);
    }

    #[test]
    fn a_bare_403_to_an_api_key_alone_says_check_the_key() {
        let key = [("X-API-Key", "k-123")];
        for body in ["Forbidden", r#"{"message":"Forbidden"}"#, ""] {
            let e = evidence(&key, CredentialsMode::SameOrigin, 403, &[], body);
            assert_eq!(
                found(super::rule, &e),
                [CauseId::InvalidCredentials],
                "{body}"
            );
        }
        // A reason, or a bearer token beside the key: the server's refusal stands.
        let e = evidence(
            &key,
            CredentialsMode::SameOrigin,
            403,
            &[],
            r#"{"message":"User is not authorized to access this resource"}"#,
        );
        assert_eq!(found(super::rule, &e), [CauseId::ForbiddenNotUnauthorized]);
        let both = [("X-API-Key", "k-123"), ("Authorization", "Bearer abc")];
        let e = evidence(&both, CredentialsMode::SameOrigin, 403, &[], "Forbidden");
        assert_eq!(found(super::rule, &e), [CauseId::ForbiddenNotUnauthorized]);
    }

    #[test]
    fn a_403_with_credentials_is_forbidden_and_with_a_scope_challenge_insufficient_scope() {
        let bearer = [("Authorization", "Bearer abc")];
        assert_eq!(
            found(super::rule, &answered(&bearer, 403, &[])),
            [CauseId::ForbiddenNotUnauthorized]
        );
        let scope = [(
            "www-authenticate",
            "Bearer error=\"insufficient_scope\", scope=\"repo\"",
        )];
        assert_eq!(
            found(super::rule, &answered(&bearer, 403, &scope)),
            [CauseId::InsufficientScope]
        );
    }

    #[test]
    fn a_rate_limit_is_not_a_refusal() {
        let e = answered(&[], 403, &[("retry-after", "30")]);
        assert_eq!(found(super::rule, &e), [CauseId::RateLimited]);
        assert_eq!(
            found(super::rule, &answered(&[], 429, &[])),
            [CauseId::RateLimited]
        );
    }

    #[test]
    fn the_body_names_a_required_header() {
        let e = evidence(
            &[],
            CredentialsMode::SameOrigin,
            403,
            &[],
            "{\"message\":\"The User-Agent header is required\"}",
        );
        assert_eq!(found(super::rule, &e), [CauseId::MissingRequiredHeader]);
    }

    #[test]
    fn a_failed_csrf_check_is_named() {
        for (status, body) in [
            (403, "{\"detail\":\"CSRF Failed: CSRF token missing.\"}"),
            (419, "{\"message\":\"CSRF token mismatch.\"}"),
            (403, "ForbiddenError: invalid csrf token"),
        ] {
            let e = evidence(&[], CredentialsMode::Include, status, &[], body);
            assert_eq!(
                found(super::rule, &e).first(),
                Some(&CauseId::CsrfTokenMissing),
                "{body}"
            );
        }
        let e = evidence(
            &[],
            CredentialsMode::Include,
            403,
            &[],
            "{\"detail\":\"Forbidden\"}",
        );
        assert!(!found(super::rule, &e).contains(&CauseId::CsrfTokenMissing));
    }

    #[test]
    fn a_one_time_code_is_asked_for() {
        let e = answered(&[], 401, &[("x-github-otp", "required; app")]);
        assert_eq!(found(super::rule, &e), [CauseId::SecondFactorRequired]);
    }
}
