//! Rule: the challenge. A 401's `WWW-Authenticate` against what was sent — the `error` codes of
//! Bearer and DPoP, a stale Digest nonce, a scheme no script can use, a scheme the credentials do
//! not match, credentials lost on the way or refused — and a challenge that breaks its grammar.

use super::{Case, Finding, credentials};
use crate::cause::CauseId;
use crate::cors::CredentialsMode;
use crate::header::{AuthScheme, BearerError, Challenge, Challenges, Credentials};
use crate::infer::Confidence;
use crate::observation::ResponseSeen;
use crate::token::TokenFinding;

pub(super) fn rule(given: &Case) -> Vec<Finding> {
    let (Some(_), Some(seen)) = (given.sent, given.full) else {
        return Vec::new();
    };
    let challenges = given.reading.challenges.as_ref();
    let mut found = match (seen.status, challenges) {
        (401, _) => from_401(given, seen),
        // RFC 6750 pairs invalid_request with 400.
        (400, Some(challenges)) => from_error_codes(given, challenges),
        _ => Vec::new(),
    };
    if let Some(challenges) = challenges
        && !challenges.problems.is_empty()
    {
        let problems = challenges
            .problems
            .iter()
            .map(|p| p.kind.to_string())
            .collect();
        found.push(Finding::with_reasons(
            CauseId::ChallengeMalformed,
            Confidence::High,
            problems,
        ));
    }
    found
}

/// The `error` codes of Bearer and DPoP challenges (RFC 6750 §3.1, RFC 9449 §7.1).
fn from_error_codes(given: &Case, challenges: &Challenges) -> Vec<Finding> {
    let mut found = Vec::new();
    for challenge in &challenges.challenges {
        let Some(error) = challenge.error() else {
            continue;
        };
        let description = challenge.param("error_description").unwrap_or_default();
        let said = if description.is_empty() {
            format!("The server says error=\"{}\".", error.code())
        } else {
            format!(
                "The server says error=\"{}\": “{description}”.",
                error.code()
            )
        };
        let cause = match error {
            BearerError::InvalidToken => {
                let description = description.to_ascii_lowercase();
                if description.contains("expired") || sent_token_expired(given) {
                    CauseId::TokenExpired
                } else if description.contains("audience") {
                    // ASP.NET Core: "The audience 'api://x' is invalid".
                    CauseId::TokenAudienceMismatch
                } else if !given.reading.sent_credentials() {
                    // Docker registries say invalid_token to a request that sent none.
                    CauseId::MissingCredentials
                } else {
                    CauseId::InvalidCredentials
                }
            }
            BearerError::InsufficientScope => CauseId::InsufficientScope,
            BearerError::InvalidRequest => CauseId::InvalidRequest,
            BearerError::UseDpopNonce => CauseId::DpopNonceRequired,
            BearerError::InvalidDpopProof => CauseId::DpopProofInvalid,
            BearerError::Other(_) => CauseId::InvalidCredentials,
        };
        found.push(Finding::new(cause, Confidence::High, said));
    }
    found
}

/// A 401's own words: the challenge against what was sent.
fn from_401(given: &Case, seen: &ResponseSeen) -> Vec<Finding> {
    let mut found = Vec::new();
    let evidence = given.evidence;
    let authorization = given.reading.credentials.as_ref();
    let challenges = given.reading.challenges.as_ref();
    let Some(challenges) = challenges.filter(|c| !c.challenges.is_empty()) else {
        // The page cannot read a challenge: hidden by CORS (the inference says so) or absent.
        if seen.hidden_diagnostic_headers().is_empty() {
            // A session API commonly refuses without a challenge: a flaw, rarely the cause.
            let session =
                authorization.is_none() && evidence.request.credentials == CredentialsMode::Include;
            found.push(Finding::new(
                CauseId::ChallengeMissing,
                Confidence::High.lowered_if(session),
                "The 401 carries no WWW-Authenticate header: the client is not told how to authenticate (RFC 9110 §15.5.2).",
            ));
        } else {
            found.push(Finding::new(
                CauseId::ChallengeMissing,
                Confidence::Low,
                "The page cannot read a WWW-Authenticate on this 401: either the server sends none, or it does not expose it (curl -i tells which).",
            ));
        }
        found.extend(match authorization {
            None if given.reading.credential_elsewhere.is_some() => elsewhere_refused(given),
            None => Some(credentials::missing(given)),
            // Credentials went, and the server refused them without naming another way.
            Some(credentials) => sent_but_refused(given, credentials, None),
        });
        return found;
    };
    found.extend(from_error_codes(given, challenges));
    if challenges
        .find(AuthScheme::Digest)
        .and_then(Challenge::digest)
        .and_then(|d| d.stale)
        == Some(true)
    {
        found.push(Finding::new(
            CauseId::DigestStale,
            Confidence::High,
            "The Digest challenge says stale=true: the credentials were right but the nonce expired; retry with the new nonce.",
        ));
    }
    let offered: Vec<AuthScheme> = challenges
        .challenges
        .iter()
        .map(Challenge::auth_scheme)
        .collect();
    if offered
        .iter()
        .all(|s| matches!(s, AuthScheme::Negotiate | AuthScheme::Ntlm))
    {
        found.push(Finding::new(
            CauseId::NegotiateUnsupported,
            Confidence::High,
            format!(
                "The server offers only {}: Windows/Kerberos sign-on, which the browser does itself for pages it trusts, and which no script can send.",
                challenges.value
            ),
        ));
    }
    match authorization {
        None if given.reading.credential_elsewhere.is_some() => {
            found.extend(elsewhere_refused(given));
        }
        None => found.push(credentials::missing(given)),
        Some(credentials)
            if found.is_empty() || credentials.check_offered(challenges).is_some() =>
        {
            found.extend(sent_but_refused(given, credentials, Some(challenges)));
        }
        Some(_) => {}
    }
    found
}

/// Whether the request carried a JWT whose `exp` had passed when the probes ran.
fn sent_token_expired(given: &Case) -> bool {
    given.reading.token.as_ref().is_some_and(|t| {
        t.findings
            .iter()
            .any(|f| matches!(f, TokenFinding::Expired { .. }))
    })
}

/// How sure a refusal with no reason given is about the credentials: sure when the whole answer
/// was pasted (nothing else in it names a reason), a guess when the page read only what CORS
/// let through; and nothing when the server's own words name the reason (the `said` table).
fn refusal(given: &Case) -> Option<Confidence> {
    if !given.said().is_empty() {
        return None;
    }
    Some(if given.reading.pasted_answer.is_some() {
        Confidence::High
    } else {
        Confidence::Medium
    })
}

/// Credentials were sent and a 401 came back with no error code (or no challenge at all): a
/// scheme the server does not offer, credentials lost on the way, or credentials it does not
/// accept.
fn sent_but_refused(
    given: &Case,
    credentials: &Credentials,
    challenges: Option<&Challenges>,
) -> Option<Finding> {
    let body_lower = &given.reading.body_lower;
    if let Some(problem) = challenges.and_then(|c| credentials.check_offered(c)) {
        return Some(Finding::new(
            CauseId::WrongScheme,
            Confidence::High,
            problem.kind.to_string(),
        ));
    }
    let stripped = ["not provided", "no credentials", "missing", "not present"]
        .iter()
        .any(|w| body_lower.contains(w));
    if stripped {
        let mut finding = Finding::new(
            CauseId::CredentialsStrippedInTransit,
            Confidence::Medium,
            "The request carried credentials in the scheme the server offers, yet the body says none were provided: a proxy, load balancer or CGI/FastCGI layer may have removed Authorization.",
        );
        if let Some(fix) = given.full.and_then(stripping_layer) {
            finding.because.push(fix.to_owned());
        }
        return Some(finding);
    }
    Some(Finding::new(
        CauseId::InvalidCredentials,
        refusal(given)?,
        format!(
            "The request carried {} credentials, which the server offers, and it still answered 401: it does not accept these.",
            credentials.scheme.as_deref().unwrap_or("the")
        ),
    ))
}

/// The layer the answer's own headers name, and how it is told to pass `Authorization` on.
fn stripping_layer(seen: &ResponseSeen) -> Option<&'static str> {
    let has = |name: &str, word: &str| {
        seen.header(name)
            .is_some_and(|v| v.to_ascii_lowercase().contains(word))
    };
    let php = has("x-powered-by", "php");
    if seen.header("x-amz-cf-id").is_some() || has("via", "cloudfront") {
        Some(
            "The answer came through CloudFront, which forwards Authorization to the origin only when the distribution's origin request policy (or cache policy) includes it: add it there.",
        )
    } else if has("server", "apache") && php {
        Some(
            "Apache runs PHP as CGI/FastCGI here (Server, X-Powered-By), which does not pass Authorization on: add “CGIPassAuth On” (Apache 2.4.13+) where the app is served, or “SetEnvIf Authorization \"(.*)\" HTTP_AUTHORIZATION=$1”.",
        )
    } else if has("server", "apache") {
        Some(
            "Apache (Server) does not pass Authorization to CGI/FastCGI or mod_wsgi applications by default: “CGIPassAuth On”, or “WSGIPassAuthorization On” for a Python app under mod_wsgi.",
        )
    } else if has("server", "nginx") && php {
        Some(
            "nginx with PHP-FPM (Server, X-Powered-By) passes Authorization only when told: “fastcgi_param HTTP_AUTHORIZATION $http_authorization;” in the PHP location.",
        )
    } else if php {
        Some(
            "PHP (X-Powered-By) sees Authorization only when the web server passes it: Apache “CGIPassAuth On”, nginx “fastcgi_param HTTP_AUTHORIZATION $http_authorization;”.",
        )
    } else {
        None
    }
}

/// A 401 to a request whose credential rode in a key header or the query: the server does not
/// accept it there, or does not accept it at all.
fn elsewhere_refused(given: &Case) -> Option<Finding> {
    let place = given
        .reading
        .credential_elsewhere
        .as_deref()
        .unwrap_or("the request");
    Some(Finding::new(
        CauseId::InvalidCredentials,
        refusal(given)?,
        format!(
            "The request carried a credential in {place}, and the server answered 401: it does not accept this one, or does not read it there."
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{answered, evidence, found};
    use crate::cause::CauseId;
    use crate::cors::CredentialsMode;

    const BEARER: [(&str, &str); 1] = [("Authorization", "Bearer abc.def")];

    fn challenged(value: &'static str) -> [(&'static str, &'static str); 1] {
        [("www-authenticate", value)]
    }

    #[test]
    fn the_error_code_names_the_cause() {
        for (value, cause) in [
            (
                "Bearer error=\"invalid_token\", error_description=\"The token expired\"",
                CauseId::TokenExpired,
            ),
            (
                "Bearer error=\"invalid_token\", error_description=\"The audience 'api://x' is invalid\"",
                CauseId::TokenAudienceMismatch,
            ),
            (
                "Bearer error=\"invalid_token\"",
                CauseId::InvalidCredentials,
            ),
            ("DPoP error=\"use_dpop_nonce\"", CauseId::DpopNonceRequired),
            (
                "DPoP error=\"invalid_dpop_proof\"",
                CauseId::DpopProofInvalid,
            ),
        ] {
            let e = answered(&BEARER, 401, &challenged(value));
            assert_eq!(found(super::rule, &e).first(), Some(&cause), "{value}");
        }
        let e = answered(
            &BEARER,
            400,
            &challenged("Bearer error=\"invalid_request\""),
        );
        assert_eq!(found(super::rule, &e), [CauseId::InvalidRequest]);
    }

    #[test]
    fn credentials_in_a_scheme_not_offered_are_the_wrong_scheme() {
        let e = answered(&BEARER, 401, &challenged("Basic realm=\"api\""));
        assert_eq!(found(super::rule, &e), [CauseId::WrongScheme]);
    }

    #[test]
    fn a_401_without_challenge_or_credentials() {
        let e = answered(&[], 401, &[]);
        assert_eq!(
            found(super::rule, &e),
            [CauseId::ChallengeMissing, CauseId::MissingCredentials]
        );
    }

    #[test]
    fn credentials_refused_without_a_challenge_are_invalid_wherever_they_rode() {
        // The missing challenge is found too; the catalogue ranks it after.
        let e = answered(&BEARER, 401, &[]);
        assert_eq!(
            found(super::rule, &e),
            [CauseId::ChallengeMissing, CauseId::InvalidCredentials]
        );
        let key = [("X-API-Key", "k-123")];
        let e = answered(&key, 401, &[]);
        assert_eq!(
            found(super::rule, &e),
            [CauseId::ChallengeMissing, CauseId::InvalidCredentials]
        );
        let e = answered(&key, 401, &challenged("Bearer realm=\"api\""));
        assert_eq!(found(super::rule, &e), [CauseId::InvalidCredentials]);
        // A registry's invalid_token to a request that sent nothing.
        let e = answered(
            &[],
            401,
            &challenged("Bearer realm=\"r\", error=\"invalid_token\""),
        );
        assert_eq!(
            found(super::rule, &e).first(),
            Some(&CauseId::MissingCredentials)
        );
    }

    #[test]
    fn offered_credentials_the_body_says_never_arrived_were_stripped() {
        let e = evidence(
            &BEARER,
            CredentialsMode::SameOrigin,
            401,
            &challenged("Bearer realm=\"api\""),
            "{\"detail\":\"Authentication credentials were not provided.\"}",
        );
        assert_eq!(
            found(super::rule, &e),
            [CauseId::CredentialsStrippedInTransit]
        );
        // The layer that stripped them, named from the answer's headers, with its setting.
        let e = evidence(
            &BEARER,
            CredentialsMode::SameOrigin,
            401,
            &[
                ("www-authenticate", "Bearer realm=\"api\""),
                ("server", "Apache/2.4.57 (Debian)"),
                ("x-powered-by", "PHP/8.2.7"),
            ],
            "{\"message\":\"Token not provided\"}",
        );
        let d = super::super::diagnose(&e);
        let because = d
            .findings
            .iter()
            .find(|f| f.cause == CauseId::CredentialsStrippedInTransit)
            .map(|f| f.because.join(" "))
            .unwrap_or_default();
        assert!(because.contains("CGIPassAuth On"), "{because}");
    }

    #[test]
    fn windows_sign_on_and_stale_digest() {
        let e = answered(&[], 401, &challenged("Negotiate, NTLM"));
        assert_eq!(
            found(super::rule, &e),
            [CauseId::NegotiateUnsupported, CauseId::MissingCredentials]
        );
        let e = answered(
            &[],
            401,
            &challenged("Digest realm=\"a\", nonce=\"n\", stale=true"),
        );
        assert_eq!(found(super::rule, &e).first(), Some(&CauseId::DigestStale));
    }

    #[test]
    fn a_broken_challenge_is_named() {
        let e = answered(&BEARER, 401, &challenged("Bearer realm=\"unterminated"));
        assert!(found(super::rule, &e).contains(&CauseId::ChallengeMalformed));
    }
}
