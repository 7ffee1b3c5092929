//! The inference on probe tables.

use super::*;
use crate::cors::{CorsError, CredentialsMode};
use crate::evidence::PageContext;
use crate::observation::{Failure, ResponseSeen};
use crate::plan::ProbeKind;
use crate::request::RequestSpec;

const ORIGIN: &str = "https://why401.example.org";

/// Evidence for `spec`'s plan where each probe saw `see(kinds)`.
fn evidence(spec: &RequestSpec, see: impl Fn(&[ProbeKind]) -> Option<Seen>) -> Evidence {
    let context = PageContext::at(ORIGIN, true, AddressClass::Public);
    Evidence::planned(
        spec,
        spec,
        context,
        0,
        |planned| match see(&planned.kinds) {
            Some(Seen::Readable) => ProbeOutcome::Response(ResponseSeen {
                response_type: ResponseType::Cors,
                status: 401,
                status_text: String::new(),
                url: spec.url.clone(),
                redirected: false,
                headers: vec![("www-authenticate".into(), "Bearer".into())],
                body_excerpt: None,
            }),
            Some(Seen::Answered) => ProbeOutcome::Response(ResponseSeen::opaque()),
            Some(Seen::Blocked) => ProbeOutcome::Failed(Failure::failed_to_fetch()),
            Some(Seen::TimedOut) | None => ProbeOutcome::Failed(Failure {
                kind: FailureKind::Timeout,
                error_name: "TimeoutError".into(),
                message: String::new(),
            }),
        },
    )
}

fn implied(inference: &Inference) -> Vec<Option<CorsError>> {
    inference
        .explanations
        .iter()
        .map(|e| e.implied.as_ref().map(|f| f.error))
        .collect()
}

fn survivors(inference: &Inference) -> Vec<Hypothesis> {
    inference
        .explanations
        .iter()
        .map(|e| e.hypothesis)
        .collect()
}

fn bearer(credentials: CredentialsMode) -> RequestSpec {
    let mut spec = RequestSpec::get("https://api.example.com/me");
    spec.headers = vec![("Authorization".into(), "Bearer abc".into())];
    spec.credentials = credentials;
    spec
}

/// A plain GET that Chromium blocked, though something answered the no-cors probe.
fn blocked_but_answered(console_line: Option<&str>) -> Inference {
    let spec = RequestSpec::get("https://api.example.com/me");
    let mut evidence = evidence(&spec, |kinds| {
        Some(if kinds.contains(&ProbeKind::Reachability) {
            Seen::Answered
        } else {
            Seen::Blocked
        })
    });
    evidence.console_line = console_line.map(str::to_owned);
    infer(&evidence)
}

#[test]
fn infer_console_line_settles_what_the_probes_cannot() {
    let inference = blocked_but_answered(Some(
        "Access to fetch at 'https://api.example.com/me' from origin 'https://why401.example.org' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://app.example.com' that is not equal to the supplied origin.",
    ));
    assert_eq!(survivors(&inference), [Hypothesis::AllowOriginMismatch]);
    assert_eq!(inference.confidence, Confidence::High);
    assert_eq!(inference.next_step, None);
    assert!(matches!(
        inference.console,
        Some(ConsoleVerdict::Settled(_))
    ));

    // Two behaviours Chromium names alike stay together, with the step that separates them.
    let inference = blocked_but_answered(Some(
        "Access to fetch at 'https://api.example.com/me' from origin 'https://why401.example.org' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    ));
    assert_eq!(
        survivors(&inference),
        [Hypothesis::NoCorsHeaders, Hypothesis::NoCorsOnErrors]
    );
    assert_eq!(inference.confidence, Confidence::Medium);
    assert_eq!(inference.next_step, Some(SeparatingStep::PasteCurl));
}

#[test]
fn infer_console_line_that_fits_nothing_leaves_the_probes_verdict() {
    let probes_only = blocked_but_answered(None);
    assert_eq!(probes_only.console, None);
    // A preflight failure, for a request that needs no preflight: from another page.
    let inference = blocked_but_answered(Some(
        "Access to fetch at 'https://api.example.com/me' from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
    ));
    assert_eq!(inference.explanations, probes_only.explanations);
    assert!(matches!(
        inference.console,
        Some(ConsoleVerdict::Unexplained(ref line)) if line.origin.as_deref() == Some("https://app.example.com")
    ));
    let inference = blocked_but_answered(Some("TypeError: Failed to fetch"));
    assert_eq!(inference.explanations, probes_only.explanations);
    assert_eq!(
        inference.console,
        Some(ConsoleVerdict::Unreadable(ConsoleProblem::NotACorsLine))
    );
    assert_eq!(blocked_but_answered(Some("  ")).console, None);
}

/// Every probe of a GET to a loopback target blocked, from a loopback page whose Local
/// Network Access permission is `permission`.
fn loopback_all_blocked(permission: Option<&str>) -> Inference {
    let spec = RequestSpec::get("http://127.0.0.1:9000/me");
    let mut evidence = evidence(&spec, |_| Some(Seen::Blocked));
    evidence.context.origin = "http://127.0.0.1:8080".into();
    evidence.context.target_secure = false;
    evidence.context.target_address = AddressClass::Loopback;
    evidence.context.local_network_permission = permission.map(str::to_owned);
    infer(&evidence)
}

/// Every probe of `spec` answered and readable.
fn all_readable(spec: &RequestSpec) -> Inference {
    infer(&evidence(spec, |kinds| {
        Some(if kinds.contains(&ProbeKind::Reachability) {
            Seen::Answered
        } else {
            Seen::Readable
        })
    }))
}

#[test]
fn infer_readable_authorization_may_rest_on_a_wildcard_only_chromium_honours() {
    let inference = all_readable(&bearer(CredentialsMode::Omit));
    assert_eq!(survivors(&inference), [Hypothesis::CorsFine]);
    let latent: Vec<_> = inference
        .latent
        .iter()
        .map(|e| (e.hypothesis, e.implied.as_ref().map(|f| f.error)))
        .collect();
    assert_eq!(
        latent,
        [(
            Hypothesis::WildcardAllowHeaders,
            Some(CorsError::HeaderDisallowedByPreflightResponse)
        )]
    );
    // With credentials Chromium refuses the wildcard too, so it cannot be what let it through;
    // without an Authorization header it does not matter.
    assert!(
        all_readable(&bearer(CredentialsMode::Include))
            .latent
            .is_empty()
    );
    assert!(
        all_readable(&RequestSpec::get("https://api.example.com/me"))
            .latent
            .is_empty()
    );
}

/// `all_readable`, with the user's own answer changed by `edit`.
fn own_answer(spec: &RequestSpec, edit: impl Fn(&mut ResponseSeen)) -> Inference {
    let mut evidence = evidence(spec, |kinds| {
        Some(if kinds.contains(&ProbeKind::Reachability) {
            Seen::Answered
        } else {
            Seen::Readable
        })
    });
    for probe in &mut evidence.probes {
        if let (true, ProbeOutcome::Response(seen)) = (
            probe.kinds.contains(&ProbeKind::AsGiven),
            &mut probe.outcome,
        ) {
            edit(seen);
        }
    }
    infer(&evidence)
}

#[test]
fn infer_readable_answer_shows_an_unexposed_challenge() {
    let spec = RequestSpec::get("https://api.example.com/me");
    let inference = own_answer(&spec, |seen| seen.headers.clear());
    assert_eq!(
        survivors(&inference),
        [Hypothesis::ChallengeNotExposed, Hypothesis::CorsFine]
    );
    assert_eq!(implied(&inference), [None, None]);
    assert_eq!(inference.confidence, Confidence::High);
    assert_eq!(inference.next_step, None);
    // A 200 has no challenge to show.
    let inference = own_answer(&spec, |seen| {
        seen.headers.clear();
        seen.status = 200;
    });
    assert_eq!(survivors(&inference), [Hypothesis::CorsFine]);
}

#[test]
fn infer_readable_answer_shows_a_cross_origin_redirect_that_dropped_authorization() {
    let moved = |seen: &mut ResponseSeen| {
        seen.redirected = true;
        seen.url = "https://login.example.com/me".into();
    };
    let inference = own_answer(&bearer(CredentialsMode::Omit), moved);
    assert_eq!(
        survivors(&inference)[0],
        Hypothesis::RedirectDroppedAuthorization
    );
    // Without Authorization nothing was dropped; a same-origin redirect keeps it.
    let plain = RequestSpec::get("https://api.example.com/me");
    assert_eq!(
        survivors(&own_answer(&plain, moved)),
        [Hypothesis::CorsFine]
    );
    let same_origin = |seen: &mut ResponseSeen| {
        seen.redirected = true;
        seen.url = "https://API.example.com/v2/me".into();
    };
    assert_eq!(
        survivors(&own_answer(&bearer(CredentialsMode::Omit), same_origin))[0],
        Hypothesis::CorsFine
    );
}

#[test]
fn infer_every_probe_timed_out_is_a_timeout() {
    let spec = bearer(CredentialsMode::Omit);
    let inference = infer(&evidence(&spec, |_| Some(Seen::TimedOut)));
    assert_eq!(survivors(&inference), [Hypothesis::TimedOut]);
    assert_eq!(inference.confidence, Confidence::High);
    // One slow probe among answers says nothing about CORS.
    let inference = infer(&evidence(&spec, |kinds| {
        if kinds.contains(&ProbeKind::Reachability) {
            None
        } else {
            Some(Seen::Readable)
        }
    }));
    assert_eq!(survivors(&inference), [Hypothesis::CorsFine]);
}

#[test]
fn infer_denied_permission_names_local_network_access() {
    let inference = loopback_all_blocked(Some("denied"));
    assert_eq!(survivors(&inference), [Hypothesis::LocalNetworkAccess]);
    assert_eq!(
        implied(&inference),
        [Some(CorsError::LocalNetworkAccessPermissionDenied)]
    );
    assert_eq!(inference.confidence, Confidence::High);
    // A loopback page that was never refused: nothing listens.
    for permission in [None, Some("prompt"), Some("granted")] {
        assert_eq!(
            survivors(&loopback_all_blocked(permission)),
            [Hypothesis::Unreachable],
            "{permission:?}"
        );
    }
}

#[test]
fn infer_plain_get_blocked_but_answered_is_a_response_cors_problem() {
    let spec = RequestSpec::get("https://api.example.com/me");
    let inference = infer(&evidence(&spec, |kinds| {
        Some(if kinds.contains(&ProbeKind::Reachability) {
            Seen::Answered
        } else {
            Seen::Blocked
        })
    }));
    assert_eq!(
        survivors(&inference),
        [
            Hypothesis::NoCorsHeaders,
            Hypothesis::NoCorsOnErrors,
            Hypothesis::AllowOriginMismatch,
            Hypothesis::MultipleAllowOrigin,
        ]
    );
    assert_eq!(
        implied(&inference),
        [
            Some(CorsError::MissingAllowOriginHeader),
            Some(CorsError::MissingAllowOriginHeader),
            Some(CorsError::AllowOriginMismatch),
            Some(CorsError::MultipleAllowOriginValues),
        ]
    );
    assert_eq!(inference.confidence, Confidence::Low);
    assert_eq!(inference.next_step, Some(SeparatingStep::PasteConsoleLine));
}

fn read_text(text: &str, explanations: &mut Vec<Explanation>) -> PasteVerdict {
    read_paste(crate::pasted::parse_pasted(text).as_ref(), explanations)
}

#[test]
fn infer_a_preflight_refused_with_cors_headers_is_auth_on_the_preflight() {
    let mut explanations = vec![Explanation {
        hypothesis: Hypothesis::PreflightStatus,
        implied: Some(CorsFailure {
            error: CorsError::PreflightInvalidStatus,
            parameter: "401".into(),
        }),
    }];
    let verdict = read_text(
        "> OPTIONS /x HTTP/1.1\n>\n< HTTP/1.1 401 Unauthorized\n< Access-Control-Allow-Origin: https://why401.example.org\n<\n",
        &mut explanations,
    );
    assert_eq!(
        verdict,
        PasteVerdict::Preflight {
            status: Some(401),
            settled: true
        }
    );
    assert_eq!(
        explanations.first().map(|e| e.hypothesis),
        Some(Hypothesis::AuthOnPreflight)
    );
    // The error Chromium reports stays the one it reported.
    assert_eq!(
        explanations
            .first()
            .and_then(|e| e.implied.as_ref())
            .map(|f| f.error),
        Some(CorsError::PreflightInvalidStatus)
    );
    let mut unreadable = Vec::new();
    assert_eq!(
        read_text("<html>", &mut unreadable),
        PasteVerdict::Unreadable(PasteProblem::NoResponse)
    );
}

#[test]
fn infer_same_implication_asks_for_the_servers_own_answers() {
    let survivors = [
        Explanation {
            hypothesis: Hypothesis::NoCorsHeaders,
            implied: None,
        },
        Explanation {
            hypothesis: Hypothesis::NoCorsOnErrors,
            implied: None,
        },
    ];
    assert_eq!(separating_step(&survivors, 1), SeparatingStep::PasteCurl);
}

#[test]
fn infer_bearer_blocked_while_anonymous_get_is_readable_points_at_the_preflight() {
    let spec = bearer(CredentialsMode::SameOrigin);
    let inference = infer(&evidence(&spec, |kinds| {
        Some(if kinds.contains(&ProbeKind::AsGiven) {
            Seen::Blocked
        } else if kinds.contains(&ProbeKind::Reachability) {
            Seen::Answered
        } else {
            Seen::Readable
        })
    }));
    assert_eq!(
        survivors(&inference),
        [
            Hypothesis::AuthOnPreflight,
            Hypothesis::PreflightStatus,
            Hypothesis::PreflightRedirect,
            Hypothesis::HeaderNotAllowed
        ]
    );
    assert_eq!(
        implied(&inference),
        [
            Some(CorsError::PreflightMissingAllowOriginHeader),
            Some(CorsError::PreflightInvalidStatus),
            Some(CorsError::PreflightDisallowedRedirect),
            Some(CorsError::HeaderDisallowedByPreflightResponse),
        ]
    );
    assert_eq!(inference.confidence, Confidence::Low);
    assert_eq!(inference.next_step, Some(SeparatingStep::PasteConsoleLine));
}

#[test]
fn infer_credentialed_request_blocked_points_at_credentials_headers() {
    let spec = RequestSpec {
        credentials: CredentialsMode::Include,
        ..RequestSpec::get("https://api.example.com/me")
    };
    let inference = infer(&evidence(&spec, |kinds| {
        Some(if kinds.contains(&ProbeKind::AsGiven) {
            Seen::Blocked
        } else if kinds.contains(&ProbeKind::Reachability) {
            Seen::Answered
        } else {
            Seen::Readable
        })
    }));
    assert_eq!(
        survivors(&inference),
        [
            Hypothesis::WildcardOrigin,
            Hypothesis::MissingAllowCredentials
        ]
    );
    assert_eq!(inference.next_step, Some(SeparatingStep::PasteConsoleLine));
}

#[test]
fn infer_nothing_answers_is_unreachable() {
    let spec = RequestSpec::get("https://api.example.com/me");
    let inference = infer(&evidence(&spec, |_| Some(Seen::Blocked)));
    assert_eq!(survivors(&inference), [Hypothesis::Unreachable]);
    assert_eq!(inference.confidence, Confidence::High);
    assert_eq!(inference.next_step, None);
}

#[test]
fn infer_http_api_from_https_page_is_mixed_content() {
    let spec = RequestSpec::get("http://api.example.com/me");
    let mut evidence = evidence(&spec, |_| Some(Seen::Blocked));
    evidence.context.target_secure = false;
    let inference = infer(&evidence);
    assert_eq!(survivors(&inference), [Hypothesis::MixedContent]);
    assert_eq!(inference.confidence, Confidence::High);
    // From an http page the same blocks mean nothing answered.
    evidence.context.origin = "http://why401.example.org".into();
    assert_eq!(survivors(&infer(&evidence)), [Hypothesis::Unreachable]);
}

#[test]
fn infer_local_target_from_public_page_adds_local_network_access() {
    let spec = RequestSpec::get("http://192.168.1.10:8000/me");
    let mut evidence = evidence(&spec, |_| Some(Seen::Blocked));
    evidence.context.target_address = AddressClass::Private;
    evidence.context.target_secure = false;
    let inference = infer(&evidence);
    assert_eq!(
        survivors(&inference),
        [Hypothesis::Unreachable, Hypothesis::LocalNetworkAccess]
    );
    assert_eq!(inference.next_step, Some(SeparatingStep::PasteConsoleLine));
    evidence.context.local_network_permission = Some("granted".into());
    evidence.context.origin = "http://localhost:8080".into();
    assert_eq!(survivors(&infer(&evidence)), [Hypothesis::Unreachable]);
}

#[test]
fn infer_readable_request_keeps_only_what_lets_it_through() {
    let spec = bearer(CredentialsMode::SameOrigin);
    let inference = infer(&evidence(&spec, |kinds| {
        Some(if kinds.contains(&ProbeKind::Reachability) {
            Seen::Answered
        } else {
            Seen::Readable
        })
    }));
    assert_eq!(survivors(&inference), [Hypothesis::CorsFine]);
    assert_eq!(inference.confidence, Confidence::High);
    assert_eq!(inference.next_step, None);
}

#[test]
fn infer_contradiction_leaves_nothing() {
    // Readable without CORS while no-cors found nothing: no model predicts that.
    let spec = RequestSpec::get("https://api.example.com/me");
    let inference = infer(&evidence(&spec, |kinds| {
        Some(if kinds.contains(&ProbeKind::Reachability) {
            Seen::Blocked
        } else {
            Seen::Readable
        })
    }));
    assert_eq!(inference.confidence, Confidence::None);
    assert!(inference.explanations.is_empty());
}

#[test]
fn every_hypothesis_but_fine_names_a_cause() {
    for h in Hypothesis::ALL {
        assert_eq!(h.cause().is_none(), *h == Hypothesis::CorsFine, "{h:?}");
        assert!(h.summary().ends_with('.'), "{h:?}");
    }
    let mut names: Vec<&str> = Hypothesis::ALL.iter().map(|h| h.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), Hypothesis::ALL.len());
}
