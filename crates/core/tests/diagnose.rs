//! The diagnosis on evidence tables: the user's request, what its own probe saw, and the top cause.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use why401_core::cause::CauseId;
use why401_core::cors::CredentialsMode;
use why401_core::diagnose::{Diagnosis, NOT_DETECTABLE, diagnose};
use why401_core::evidence::{Evidence, PageContext};
use why401_core::infer::Confidence;
use why401_core::plan::ProbeKind;
use why401_core::request::RequestSpec;
use why401_core::target::AddressClass;
use why401_core::{Failure, FailureKind, ProbeOutcome, ResponseSeen, ResponseType};

const URL: &str = "https://api.example.com/v1/me";
/// 2026-11-24T00:00:00Z, when the probes ran.
const NOW: i64 = 1_795_478_400;

/// What the user's own request got: status, readable headers, body; the other probes agree
/// (readable, the no-cors one answered).
pub(crate) struct Answer {
    status: u16,
    headers: &'static [(&'static str, &'static str)],
    body: &'static str,
    url: &'static str,
    redirected: bool,
}

const fn answer(status: u16, headers: &'static [(&'static str, &'static str)]) -> Answer {
    Answer {
        status,
        headers,
        body: "",
        url: URL,
        redirected: false,
    }
}

pub(crate) fn spec(headers: &[(&str, &str)], credentials: CredentialsMode) -> RequestSpec {
    let mut spec = RequestSpec::get(URL);
    spec.headers = headers
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    spec.credentials = credentials;
    spec
}

pub(crate) fn evidence(spec: &RequestSpec, answer: Option<&Answer>) -> Evidence {
    let context = PageContext::at("https://why401.example.org", true, AddressClass::Public);
    Evidence::planned(spec, spec, context, NOW, |planned| {
        if planned.kinds.contains(&ProbeKind::Reachability) {
            ProbeOutcome::Response(ResponseSeen::opaque())
        } else if let Some(a) = answer {
            ProbeOutcome::Response(ResponseSeen {
                response_type: ResponseType::Cors,
                status: a.status,
                status_text: String::new(),
                url: a.url.to_owned(),
                redirected: a.redirected,
                headers: a
                    .headers
                    .iter()
                    .map(|(n, v)| (n.to_ascii_lowercase(), (*v).to_owned()))
                    .collect(),
                body_excerpt: Some(a.body.to_owned()),
            })
        } else {
            ProbeOutcome::Failed(Failure::failed_to_fetch())
        }
    })
}

fn causes(diagnosis: &Diagnosis) -> Vec<CauseId> {
    diagnosis.findings.iter().map(|f| f.cause).collect()
}

fn top(diagnosis: &Diagnosis) -> Option<CauseId> {
    diagnosis.top().map(|f| f.cause)
}

/// A signed-looking JWT with these claims (the signature is not checked by anyone here).
fn jwt(claims: &str) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
    let claims = URL_SAFE_NO_PAD.encode(claims.as_bytes());
    format!("{header}.{claims}.c2lnbmF0dXJl")
}

/// Exposed headers every readable answer below carries.
const EXPOSE: (&str, &str) = ("content-type", "application/json");

/// Readable answers to requests sent without cookies, and the cause each shows first.
const NONE: &[(&str, &str)] = &[];
const BEARER: &[(&str, &str)] = &[("Authorization", "Bearer 8f14e45fceea167a")];
const BASIC: &[(&str, &str)] = &[("Authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l")];

/// Request headers as sent.
type Sent = &'static [(&'static str, &'static str)];

const CASES: &[(&str, Sent, Answer, CauseId)] = &[
    (
        "Basic challenge, nothing sent",
        NONE,
        answer(401, &[("WWW-Authenticate", "Basic realm=\"api\""), EXPOSE]),
        CauseId::MissingCredentials,
    ),
    (
        "Bearer invalid_token saying expired",
        BEARER,
        answer(
            401,
            &[(
                "WWW-Authenticate",
                "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token expired\"",
            )],
        ),
        CauseId::TokenExpired,
    ),
    (
        "Bearer invalid_token",
        BEARER,
        answer(
            401,
            &[("WWW-Authenticate", "Bearer error=\"invalid_token\"")],
        ),
        CauseId::InvalidCredentials,
    ),
    (
        "Bearer sent, only Basic offered",
        BEARER,
        answer(401, &[("WWW-Authenticate", "Basic realm=\"api\"")]),
        CauseId::WrongScheme,
    ),
    (
        "Basic sent and offered, refused",
        BASIC,
        answer(401, &[("WWW-Authenticate", "Basic realm=\"api\"")]),
        CauseId::InvalidCredentials,
    ),
    (
        "insufficient_scope on a 403",
        BEARER,
        answer(
            403,
            &[(
                "WWW-Authenticate",
                "Bearer error=\"insufficient_scope\", scope=\"admin\"",
            )],
        ),
        CauseId::InsufficientScope,
    ),
    (
        "insufficient_scope on a 401",
        BEARER,
        answer(
            401,
            &[(
                "WWW-Authenticate",
                "Bearer error=\"insufficient_scope\", scope=\"admin\"",
            )],
        ),
        CauseId::InsufficientScope,
    ),
    (
        "invalid_request on a 400",
        BEARER,
        answer(
            400,
            &[("WWW-Authenticate", "Bearer error=\"invalid_request\"")],
        ),
        CauseId::InvalidRequest,
    ),
    (
        "invalid_request",
        BEARER,
        answer(
            401,
            &[("WWW-Authenticate", "Bearer error=\"invalid_request\"")],
        ),
        CauseId::InvalidRequest,
    ),
    (
        "403 to a request with credentials",
        BEARER,
        answer(403, &[EXPOSE]),
        CauseId::ForbiddenNotUnauthorized,
    ),
    (
        "403 without credentials (DRF session auth): send them first",
        NONE,
        Answer {
            body: "{\"detail\":\"Authentication credentials were not provided.\"}",
            ..answer(403, &[EXPOSE])
        },
        CauseId::MissingCredentials,
    ),
    (
        "429",
        BEARER,
        answer(429, &[("Retry-After", "30")]),
        CauseId::RateLimited,
    ),
    (
        "403 that is a rate limit",
        BEARER,
        answer(403, &[("X-RateLimit-Remaining", "0"), EXPOSE]),
        CauseId::RateLimited,
    ),
    (
        "407",
        NONE,
        answer(407, &[("Proxy-Authenticate", "Basic realm=\"proxy\"")]),
        CauseId::ProxyAuthRequired,
    ),
    (
        "Negotiate only",
        NONE,
        answer(
            401,
            &[
                ("WWW-Authenticate", "Negotiate"),
                ("WWW-Authenticate", "NTLM"),
            ],
        ),
        CauseId::NegotiateUnsupported,
    ),
    (
        "Digest stale",
        &[(
            "Authorization",
            "Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"/\", response=\"x\"",
        )],
        answer(
            401,
            &[(
                "WWW-Authenticate",
                "Digest realm=\"r\", nonce=\"m\", stale=true, algorithm=SHA-256, qop=\"auth\"",
            )],
        ),
        CauseId::DigestStale,
    ),
    (
        "DPoP nonce",
        &[("Authorization", "DPoP 8f14e45fceea167a")],
        answer(
            401,
            &[
                (
                    "WWW-Authenticate",
                    "DPoP error=\"use_dpop_nonce\", algs=\"ES256\"",
                ),
                ("DPoP-Nonce", "eyJ7S"),
            ],
        ),
        CauseId::DpopNonceRequired,
    ),
    (
        "DPoP proof refused",
        &[("Authorization", "DPoP 8f14e45fceea167a")],
        answer(
            401,
            &[(
                "WWW-Authenticate",
                "DPoP error=\"invalid_dpop_proof\", algs=\"ES256\"",
            )],
        ),
        CauseId::DpopProofInvalid,
    ),
    (
        "one-time code",
        BASIC,
        answer(
            401,
            &[
                ("WWW-Authenticate", "Basic realm=\"GitHub\""),
                ("X-GitHub-OTP", "required; app"),
            ],
        ),
        CauseId::SecondFactorRequired,
    ),
    (
        "credentials stripped on the way",
        BEARER,
        Answer {
            body: "{\"detail\":\"Authentication credentials were not provided.\"}",
            ..answer(401, &[("WWW-Authenticate", "Bearer realm=\"api\"")])
        },
        CauseId::CredentialsStrippedInTransit,
    ),
    (
        "a login page after a redirect",
        NONE,
        Answer {
            body: "<form><input name=user><input type=\"password\" name=pass></form>",
            url: "https://api.example.com/accounts/login/?next=/v1/me",
            redirected: true,
            ..answer(200, &[("Content-Type", "text/html; charset=utf-8")])
        },
        CauseId::LoginRedirect,
    ),
    (
        "a malformed challenge",
        NONE,
        answer(401, &[("WWW-Authenticate", "Basic; realm=\"api\"")]),
        CauseId::ChallengeMalformed,
    ),
];

#[test]
fn diagnose_names_the_cause_of_each_readable_answer() {
    let mut wrong = Vec::new();
    for (name, sent, answer, expected) in CASES {
        let diagnosis = diagnose(&evidence(&spec(sent, CredentialsMode::Omit), Some(answer)));
        if !causes(&diagnosis).contains(expected) {
            wrong.push(format!(
                "{name}: {:?}, expected {expected}",
                causes(&diagnosis)
            ));
        } else if *expected != CauseId::ChallengeMalformed && top(&diagnosis) != Some(*expected) {
            wrong.push(format!(
                "{name}: top {:?}, expected {expected}",
                causes(&diagnosis)
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn diagnose_reads_the_token_that_was_sent() {
    let expired = jwt(&format!("{{\"sub\":\"u\",\"exp\":{}}}", NOW - 3 * 3600));
    let request = spec(
        &[("Authorization", &format!("Bearer {expired}"))],
        CredentialsMode::Omit,
    );
    let refused = answer(
        401,
        &[("WWW-Authenticate", "Bearer error=\"invalid_token\"")],
    );
    let diagnosis = diagnose(&evidence(&request, Some(&refused)));
    assert_eq!(top(&diagnosis), Some(CauseId::TokenExpired));
    let finding = diagnosis.top().unwrap();
    assert_eq!(finding.confidence, Confidence::High);
    assert!(
        finding
            .because
            .iter()
            .any(|b| b.contains("expired 3 h ago")),
        "{:?}",
        finding.because
    );
    // Milliseconds, a future nbf, a damaged token, a placeholder.
    for (token, cause) in [
        (
            jwt(&format!("{{\"exp\":{}}}", (NOW + 3600) * 1000)),
            CauseId::TokenExpInMilliseconds,
        ),
        (
            jwt(&format!(
                "{{\"nbf\":{},\"exp\":{}}}",
                NOW + 7200,
                NOW + 9000
            )),
            CauseId::TokenNotYetValid,
        ),
        (
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIi.c2ln".to_owned(),
            CauseId::TokenMalformed,
        ),
        ("undefined".to_owned(), CauseId::MalformedCredentials),
    ] {
        let request = spec(
            &[("Authorization", &format!("Bearer {token}"))],
            CredentialsMode::Omit,
        );
        let diagnosis = diagnose(&evidence(&request, Some(&refused)));
        assert!(
            causes(&diagnosis).contains(&cause),
            "{token}: {:?}",
            causes(&diagnosis)
        );
    }
}

#[test]
fn diagnose_puts_what_the_browser_blocked_first() {
    let request = spec(
        &[("Authorization", "Bearer undefined")],
        CredentialsMode::Omit,
    );
    let diagnosis = diagnose(&evidence(&request, None));
    let top = diagnosis.top().unwrap();
    assert!(top.hypothesis.is_some(), "{:?}", causes(&diagnosis));
    assert!(top.implied.is_some());
    // What was wrong with the request stays in the list, after.
    assert!(causes(&diagnosis).contains(&CauseId::MalformedCredentials));
}

#[test]
fn diagnose_keeps_unreadable_challenges_ambiguous() {
    let request = spec(&[], CredentialsMode::Omit);
    let diagnosis = diagnose(&evidence(&request, Some(&answer(401, &[EXPOSE]))));
    let found = causes(&diagnosis);
    assert!(
        found.contains(&CauseId::CorsChallengeNotExposed),
        "{found:?}"
    );
    assert!(found.contains(&CauseId::ChallengeMissing), "{found:?}");
    assert!(
        diagnosis
            .findings
            .iter()
            .all(|f| f.confidence < Confidence::High || f.cause == CauseId::MissingCredentials),
        "{:?}",
        diagnosis.findings
    );
}

#[test]
fn diagnose_a_pasted_answer_tells_hidden_from_absent() {
    let request = spec(&[], CredentialsMode::Omit);
    let mut absent = evidence(&request, Some(&answer(401, &[EXPOSE])));
    absent.pasted =
        Some("HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\n\r\n{}".into());
    let diagnosis = diagnose(&absent);
    // No credentials were sent: that leads, and the missing challenge is a note.
    assert_eq!(top(&diagnosis), Some(CauseId::MissingCredentials));
    assert!(causes(&diagnosis).contains(&CauseId::ChallengeMissing));
    assert!(!causes(&diagnosis).contains(&CauseId::CorsChallengeNotExposed));

    let mut hidden = absent;
    hidden.pasted = Some("HTTP/2 401\nwww-authenticate: Bearer realm=\"api\"\n\n".into());
    let diagnosis = diagnose(&hidden);
    assert!(causes(&diagnosis).contains(&CauseId::CorsChallengeNotExposed));
    assert!(!causes(&diagnosis).contains(&CauseId::ChallengeMissing));
    // The challenge read from the paste is diagnosed like a readable one, and asks for
    // credentials first.
    assert_eq!(top(&diagnosis), Some(CauseId::MissingCredentials));
}

#[test]
fn diagnose_reads_the_audience_from_the_error_description() {
    let request = spec(BEARER, CredentialsMode::Omit);
    let mut blocked = evidence(&request, None);
    blocked.pasted = Some(
        "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"The audience 'api://billing' is invalid\"\n".into(),
    );
    let diagnosis = diagnose(&blocked);
    // Why the server refused leads: it refuses wherever the request comes from. What the
    // browser blocked is still listed.
    assert_eq!(
        top(&diagnosis),
        Some(CauseId::TokenAudienceMismatch),
        "{:?}",
        causes(&diagnosis)
    );
    assert!(diagnosis.findings.iter().any(|f| f.hypothesis.is_some()));
}

#[test]
fn diagnose_a_pasted_preflight_answer_names_auth_on_the_preflight() {
    let request = spec(BEARER, CredentialsMode::Omit);
    // The anonymous GET is readable; every request with Authorization fails at its preflight.
    let mut blocked = evidence(&request, Some(&answer(401, &[EXPOSE])));
    for probe in &mut blocked.probes {
        if probe.sent.authorization().is_some() {
            probe.outcome = ProbeOutcome::Failed(Failure {
                kind: FailureKind::Network,
                error_name: "TypeError".into(),
                message: "Failed to fetch".into(),
            });
        }
    }
    assert_eq!(
        causes(&diagnose(&blocked)).get(..2),
        Some(&[CauseId::AuthOnPreflight, CauseId::CorsPreflightStatus][..])
    );
    blocked.pasted = Some(
        "> OPTIONS /v1/me HTTP/1.1\n> Origin: https://why401.example.org\n>\n< HTTP/1.1 401 Unauthorized\n< WWW-Authenticate: Bearer\n<\n".into(),
    );
    let diagnosis = diagnose(&blocked);
    assert_eq!(
        top(&diagnosis),
        Some(CauseId::AuthOnPreflight),
        "{:?}",
        causes(&diagnosis)
    );
    blocked.pasted = Some(
        "> OPTIONS /v1/me HTTP/1.1\n>\n< HTTP/1.1 405 Method Not Allowed\n< Allow: GET\n<\n".into(),
    );
    let diagnosis = diagnose(&blocked);
    assert_eq!(
        top(&diagnosis),
        Some(CauseId::CorsPreflightStatus),
        "{:?}",
        causes(&diagnosis)
    );
    // Without a request line, the answer is the one the report asked for: the preflight's.
    blocked.pasted = Some("HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer\n".into());
    let diagnosis = diagnose(&blocked);
    assert_eq!(causes(&diagnosis), [CauseId::AuthOnPreflight]);
}

#[test]
fn diagnose_reads_pasted_cookies() {
    let request = spec(&[], CredentialsMode::Include);
    let refused = answer(401, &[EXPOSE, ("www-authenticate", "Cookie realm=\"app\"")]);
    let cases: &[(&str, Option<CauseId>)] = &[
        (
            "HTTP/1.1 200 OK\nSet-Cookie: sid=31d4; Path=/; HttpOnly\n",
            Some(CauseId::CookieSamesiteBlocked),
        ),
        (
            "HTTP/1.1 200 OK\nSet-Cookie: sid=31d4; Path=/; SameSite=Strict; Secure\n",
            Some(CauseId::CookieSamesiteBlocked),
        ),
        (
            "HTTP/1.1 200 OK\nSet-Cookie: sid=31d4; Path=/; SameSite=None\n",
            Some(CauseId::CookieInsecure),
        ),
        (
            "HTTP/1.1 401 Unauthorized\nSet-Cookie: sid=; Path=/; Max-Age=0\n",
            Some(CauseId::SessionExpired),
        ),
        (
            "HTTP/1.1 200 OK\nSet-Cookie: sid=31d4; Path=/; SameSite=None; Secure\n",
            Some(CauseId::CookieNotSentThirdParty),
        ),
        (
            "Set-Cookie: sid=31d4; Path=/admin; SameSite=None; Secure\n",
            Some(CauseId::MissingCredentials),
        ),
    ];
    for (pasted, expected) in cases {
        let mut e = evidence(&request, Some(&refused));
        e.pasted = Some((*pasted).to_owned());
        let found = causes(&diagnose(&e));
        assert!(
            expected.is_none_or(|c| found.contains(&c)),
            "{pasted}: {found:?}"
        );
    }
    // Sent with credentials omitted, no cookie rides at all.
    let mut e = evidence(&spec(&[], CredentialsMode::Omit), Some(&refused));
    e.pasted = Some("Set-Cookie: sid=31d4; Path=/; SameSite=None; Secure".into());
    let diagnosis = diagnose(&e);
    assert!(diagnosis.findings.iter().any(|f| {
        f.cause == CauseId::MissingCredentials
            && f.because
                .iter()
                .any(|b| b.contains("credentials: 'include'"))
    }));
}

#[test]
fn diagnose_a_pasted_407_explains_a_network_failure() {
    let request = spec(&[], CredentialsMode::Omit);
    let mut e = evidence(&request, None);
    e.pasted = Some(
        "HTTP/1.1 407 Proxy Authentication Required\nProxy-Authenticate: Basic realm=\"corp\"\n"
            .into(),
    );
    assert_eq!(top(&diagnose(&e)), Some(CauseId::ProxyAuthRequired));
}

#[test]
fn diagnose_flags_a_cacheable_refusal() {
    let request = spec(&[], CredentialsMode::Omit);
    let cached = answer(
        401,
        &[
            ("WWW-Authenticate", "Basic realm=\"api\""),
            ("Cache-Control", "public, max-age=600"),
        ],
    );
    assert!(
        causes(&diagnose(&evidence(&request, Some(&cached))))
            .contains(&CauseId::CacheableAuthResponse)
    );
    let private = answer(
        401,
        &[
            ("WWW-Authenticate", "Basic realm=\"api\""),
            ("Cache-Control", "no-store"),
        ],
    );
    assert!(
        !causes(&diagnose(&evidence(&request, Some(&private))))
            .contains(&CauseId::CacheableAuthResponse)
    );
}

#[test]
fn diagnose_lists_what_a_browser_cannot_see_apart() {
    let request = spec(&[], CredentialsMode::Omit);
    let diagnosis = diagnose(&evidence(
        &request,
        Some(&answer(401, &[("WWW-Authenticate", "Basic realm=\"api\"")])),
    ));
    assert_eq!(diagnosis.other_possibilities, NOT_DETECTABLE);
    for cause in NOT_DETECTABLE {
        assert!(!causes(&diagnosis).contains(cause));
    }
}

#[test]
fn diagnose_names_a_required_header_from_the_body() {
    let request = spec(&[], CredentialsMode::Omit);
    let required = Answer {
        body: "{\"message\":\"The User-Agent header is required\"}",
        ..answer(403, &[EXPOSE])
    };
    assert!(
        causes(&diagnose(&evidence(&request, Some(&required))))
            .contains(&CauseId::MissingRequiredHeader)
    );
}

#[test]
fn every_cause_has_advice_for_each_audience() {
    use why401_core::explain::advice;
    for &cause in CauseId::ALL {
        let a = advice(cause);
        for (who, text) in [
            ("end user", a.end_user),
            ("consumer", a.consumer),
            ("owner", a.owner),
        ] {
            assert!(
                text.len() > 10 && text.ends_with('.'),
                "{cause} {who}: {text:?}"
            );
        }
        for snippet in a.snippets {
            assert!(
                !snippet.code.trim().is_empty(),
                "{cause}: {}",
                snippet.server
            );
        }
        assert!(!cause.title().is_empty());
    }
    // The CORS fix is given for every server the house style names, where they differ.
    let servers: Vec<&str> = advice(CauseId::CorsNoHeadersOnError)
        .snippets
        .iter()
        .map(|s| s.server)
        .collect();
    for server in [
        "nginx",
        "Apache httpd",
        "Express",
        "Django REST framework",
        "FastAPI",
        "Spring Security",
        "ASP.NET Core",
    ] {
        assert!(servers.contains(&server), "{server}: {servers:?}");
    }
}

#[test]
fn steps_tell_the_exchange_without_the_secret() {
    use why401_core::explain::steps;
    let token = jwt(&format!("{{\"sub\":\"u\",\"exp\":{}}}", NOW - 3 * 3600));
    let request = spec(
        &[
            ("Authorization", &format!("Bearer {token}")),
            ("X-Trace", "1"),
        ],
        CredentialsMode::Omit,
    );
    // Blocked: the preflight is named, with the headers that caused it.
    let evidence = evidence(&request, None);
    let diagnosis = diagnose(&evidence);
    let told = steps(&evidence, &diagnosis, diagnosis.top().unwrap());
    let all = told.join("\n");
    assert!(all.contains("preflight"), "{all}");
    assert!(all.contains("authorization, x-trace"), "{all}");
    assert!(all.contains("a JWT of"), "{all}");
    assert!(all.contains("Failed to fetch"), "{all}");
    assert!(
        !all.contains(&token),
        "the token itself must not be repeated: {all}"
    );
    // Readable: the status and challenge are named, then the reasons.
    let refused = answer(
        401,
        &[("WWW-Authenticate", "Bearer error=\"invalid_token\"")],
    );
    let evidence = self::evidence(&request, Some(&refused));
    let diagnosis = diagnose(&evidence);
    let told = steps(&evidence, &diagnosis, diagnosis.top().unwrap()).join("\n");
    assert!(
        told.contains("401, with WWW-Authenticate: Bearer error=\"invalid_token\""),
        "{told}"
    );
    assert!(told.contains("expired 3 h ago"), "{told}");
}

#[test]
fn timeline_marks_each_step_of_the_exchange() {
    use why401_core::explain::{StepState, timeline};
    let marks = |spec: &RequestSpec, answer: Option<&Answer>| -> Vec<(&'static str, StepState)> {
        let evidence = evidence(spec, answer);
        timeline(&evidence, &diagnose(&evidence))
            .into_iter()
            .map(|s| (s.name, s.state))
            .collect()
    };
    // A simple GET whose answer the browser withholds: sent, answered, not readable.
    assert_eq!(
        marks(&spec(&[], CredentialsMode::Omit), None),
        [("request", StepState::Ok), ("response", StepState::Failed)]
    );
    // A preflighted request refused at the preflight (as the console line settles it).
    let mut evidence = evidence(&spec(BEARER, CredentialsMode::Omit), None);
    evidence.console_line = Some(
        "Access to fetch at 'https://api.example.com/v1/me' from origin 'https://why401.example.org' has been blocked by CORS policy: Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response.".into(),
    );
    let steps: Vec<_> = timeline(&evidence, &diagnose(&evidence))
        .into_iter()
        .map(|s| (s.name, s.state))
        .collect();
    assert_eq!(
        steps,
        [
            ("preflight", StepState::Failed),
            ("request", StepState::Skipped),
            ("response", StepState::Skipped)
        ]
    );
    // A readable 401 after a preflight.
    assert_eq!(
        marks(
            &spec(BEARER, CredentialsMode::Omit),
            Some(&answer(
                401,
                &[("WWW-Authenticate", "Bearer error=\"invalid_token\"")]
            ))
        ),
        [
            ("preflight", StepState::Ok),
            ("request", StepState::Ok),
            ("response", StepState::Failed)
        ]
    );
    // A redirect followed to a login page.
    let login = Answer {
        body: "<input type=\"password\">",
        url: "https://api.example.com/login",
        redirected: true,
        ..answer(200, &[("Content-Type", "text/html")])
    };
    assert_eq!(
        marks(&spec(&[], CredentialsMode::Omit), Some(&login)),
        [
            ("request", StepState::Ok),
            ("redirect", StepState::Failed),
            ("response", StepState::Ok)
        ]
    );
}

/// The page loads its advice from `static/advice.json`; it must say what [`advice`] says.
/// `make advice` (which sets `WHY401_WRITE_ADVICE`) rewrites it.
#[test]
fn advice_asset_is_up_to_date() {
    use why401_core::explain::{AdviceBook, advice, advice_json};
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../static/advice.json");
    let written = advice_json();
    if std::env::var_os("WHY401_WRITE_ADVICE").is_some() {
        std::fs::write(path, &written).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == written,
        "static/advice.json is out of date: run `make advice`"
    );
    let book = AdviceBook::from_json(on_disk.as_bytes()).unwrap();
    for &cause in CauseId::ALL {
        let read = book.get(cause).unwrap();
        let table = advice(cause);
        assert_eq!(read.owner, table.owner, "{cause}");
        assert_eq!(read.snippets.len(), table.snippets.len(), "{cause}");
        assert_eq!(read.references.len(), table.references.len(), "{cause}");
    }
    assert!(AdviceBook::from_json(b"[1]").is_err());
    assert!(
        AdviceBook::from_json(b"{\"no-such-cause\":{}}")
            .is_ok_and(|b| b.get(CauseId::Timeout).is_none())
    );
}

#[test]
fn diagnose_login_redirect_whatever_the_api_path_says() {
    // An API path that happens to contain "login" still counts when it redirects to a login page…
    let mut request = RequestSpec::get("https://api.example.com/login-history");
    request.credentials = CredentialsMode::Omit;
    let login = Answer {
        body: "<form><input type=\"password\"></form>",
        url: "https://api.example.com/accounts/login/",
        redirected: true,
        ..answer(200, &[("Content-Type", "text/html")])
    };
    assert_eq!(
        top(&diagnose(&evidence(&request, Some(&login)))),
        Some(CauseId::LoginRedirect)
    );
    // … while asking for a login page and getting it is nothing wrong.
    let page = RequestSpec::get("https://api.example.com/accounts/login/");
    let direct = Answer {
        url: "https://api.example.com/accounts/login/",
        redirected: false,
        ..login
    };
    assert_eq!(top(&diagnose(&evidence(&page, Some(&direct)))), None);
}

#[test]
fn curl_commands_ask_what_the_browser_hid_without_the_secret() {
    let request = spec(
        &[
            ("Authorization", "Bearer s3cr3t-t0ken"),
            ("X-Trace", "it's"),
        ],
        CredentialsMode::Include,
    );
    let e = evidence(&request, None);
    let own = why401_core::explain::curl_command(&e, false);
    assert_eq!(
        own,
        "curl -i \\\n  https://api.example.com/v1/me \\\n  -H 'Origin: https://why401.example.org' \\\n  -H 'Authorization: Bearer <credentials>' \\\n  -H 'X-Trace: it'\\''s' \\\n  -H 'Cookie: <your cookies for this site>'"
    );
    let preflight = why401_core::explain::curl_command(&e, true);
    assert!(preflight.contains("-X OPTIONS"), "{preflight}");
    assert!(
        preflight.contains("-H 'Access-Control-Request-Headers: authorization,x-trace'"),
        "{preflight}"
    );
    assert!(!preflight.contains("s3cr3t") && !own.contains("s3cr3t"));
    // Copy as cURL: the same request; its secrets only when the user asks for them.
    let mut secret_query = e;
    secret_query.request.url = format!("{URL}?api_key=QUERYSECRET&page=2");
    let without = why401_core::explain::curl_reproduce(&secret_query, false);
    assert!(
        without.contains("-H 'Authorization: Bearer <credentials>'")
            && without.contains("?api_key=xxxxxxxxxxx&page=2")
            && !without.contains("s3cr3t"),
        "{without}"
    );
    let with = why401_core::explain::curl_reproduce(&secret_query, true);
    assert!(
        with.contains("-H 'Authorization: Bearer s3cr3t-t0ken'") && with.contains("QUERYSECRET"),
        "{with}"
    );
}

#[test]
fn diagnose_names_the_scheme_of_a_redirect_that_dropped_authorization() {
    let request = spec(BEARER, CredentialsMode::Omit);
    let downgraded = Answer {
        url: "http://api.example.com/v1/me",
        redirected: true,
        ..answer(401, &[EXPOSE])
    };
    let diagnosis = diagnose(&evidence(&request, Some(&downgraded)));
    let found = causes(&diagnosis);
    assert_eq!(
        found.first(),
        Some(&CauseId::RedirectToOtherScheme),
        "{found:?}"
    );
    assert!(
        found.contains(&CauseId::RedirectDroppedAuthorization),
        "{found:?}"
    );
}

#[test]
fn share_link_carries_the_evidence_and_nothing_else_reads_as_one() {
    use why401_core::share::{LONG_LINK_CHARS, ShareError, decode, encode};
    let token = jwt(r#"{"sub":"lab","aud":"api://billing","exp":1795474800,"scope":"read"}"#);
    let request = spec(
        &[("Authorization", &format!("Bearer {token}"))],
        CredentialsMode::Include,
    );
    let refused = Answer {
        body: "{\"error\":\"invalid_token\",\"error_description\":\"The access token expired\"}",
        ..answer(
            401,
            &[
                EXPOSE,
                (
                    "www-authenticate",
                    "Bearer realm=\"api\", error=\"invalid_token\"",
                ),
            ],
        )
    };
    let mut shared = evidence(&request, Some(&refused));
    shared.console_line = Some("Access to fetch at 'https://api.example.com/v1/me' from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.".into());
    let link = encode(&shared);
    println!(
        "share link: {} characters for {} probes",
        link.len() + 1,
        shared.probes.len()
    );
    assert!(link.len() < LONG_LINK_CHARS, "{}", link.len());
    let opened = decode(&format!("#{link}")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(opened, shared);
    assert_eq!(top(&diagnose(&opened)), top(&diagnose(&shared)));
    // Cut short, or one character changed: refused, never misread.
    let cut = link.get(..link.len() / 2).unwrap_or_default();
    assert!(decode(cut).is_err());
    for at in (2..link.len()).step_by(7) {
        let mut changed = link.clone().into_bytes();
        if let Some(b) = changed.get_mut(at) {
            *b = if *b == b'A' { b'B' } else { b'A' };
        }
        let changed = String::from_utf8(changed).unwrap_or_default();
        match decode(&changed) {
            Err(ShareError::Damaged | ShareError::NotBase64 | ShareError::Evidence(_)) => {}
            other => panic!("a changed character at {at} read as {other:?}"),
        }
    }
}

#[test]
fn redaction_removes_every_canary_and_keeps_the_diagnosis() {
    use why401_core::redact::{Redaction, redact, secrets};
    use why401_core::share::{decode, encode};
    let token = format!(
        "{}.c2lnQ0FOQVJZc2lnbmF0dXJl",
        jwt(r#"{"sub":"CLAIMCANARY","exp":1795474800}"#)
            .rsplit_once('.')
            .map_or_else(String::new, |(head, _)| head.to_owned())
    );
    let mut request = spec(
        &[
            ("Authorization", &format!("Bearer {token}")),
            ("X-Api-Key", "KEYCANARY"),
        ],
        CredentialsMode::Include,
    );
    request.url = format!("{URL}?token=QUERYCANARY&page=2");
    let refused = Answer {
        body: r#"{"error":"invalid_token","access_token":"BODYCANARY"}"#,
        ..answer(
            401,
            &[
                EXPOSE,
                ("www-authenticate", "Bearer error=\"invalid_token\""),
            ],
        )
    };
    let mut e = evidence(&request, Some(&refused));
    e.console_line = Some("Access to fetch at 'https://api.example.com/v1/me?token=QUERYCANARY' from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.".into());
    e.pasted = Some(format!(
        "> GET /v1/me?token=QUERYCANARY HTTP/1.1\n> Authorization: Bearer {token}\n> Cookie: sid=COOKIECANARY; theme=dark\n>\n< HTTP/1.1 401 Unauthorized\n< Set-Cookie: sid=SETCOOKIECANARY; Path=/; Secure; HttpOnly; SameSite=Lax\n< WWW-Authenticate: Bearer error=\"invalid_token\"\n<\n{{\"password\": \"PWCANARY\", \"user\": \"ann\"}}\n"
    ));
    let canaries = [
        "c2lnQ0FOQVJZc2lnbmF0dXJl",
        "KEYCANARY",
        "QUERYCANARY",
        "BODYCANARY",
        "COOKIECANARY",
        "SETCOOKIECANARY",
        "PWCANARY",
    ];
    let shared = redact(&e, &Redaction::standard());
    let link = encode(&shared);
    let opened = decode(&link).unwrap_or_else(|err| panic!("{err}"));
    let text = opened.to_json();
    for canary in canaries {
        assert!(!text.contains(canary), "{canary} in {text}");
    }
    // The claims stay by default (the diagnosis reads them), and so does what is no secret.
    assert!(text.contains(&URL_SAFE_NO_PAD.encode(br#"{"sub":"CLAIMCANARY","exp":1795474800}"#)));
    assert!(
        text.contains("theme=xxxx") && text.contains("page=2"),
        "{text}"
    );
    assert_eq!(causes(&diagnose(&opened)), causes(&diagnose(&e)));
    let without_claims = redact(
        &e,
        &Redaction {
            keep_token_claims: false,
            reveal: Vec::new(),
        },
    )
    .to_json();
    assert!(
        !without_claims
            .contains(&URL_SAFE_NO_PAD.encode(br#"{"sub":"CLAIMCANARY","exp":1795474800}"#))
    );
    // The preview lists each secret once; one revealed on purpose is shared as it is.
    let ids: Vec<String> = secrets(&e).into_iter().map(|s| s.id).collect();
    for id in [
        "authorization",
        "header:x-api-key",
        "query:token",
        "field:access_token",
        "cookie:sid",
        "field:password",
    ] {
        assert!(ids.iter().any(|i| i == id), "{id} not in {ids:?}");
    }
    // The exports of the redacted evidence hold no canary either.
    let diagnosis = diagnose(&shared);
    let book =
        why401_core::explain::AdviceBook::from_json(why401_core::explain::advice_json().as_bytes())
            .unwrap_or_else(|err| panic!("{err}"));
    let markdown = why401_core::export::markdown(&shared, &diagnosis, Some(&book));
    let json = why401_core::export::json(&shared, &diagnosis);
    // A JSON report opens again as the evidence it was made from.
    assert_eq!(why401_core::export::read_report(&json), Ok(shared));
    for canary in canaries {
        assert!(!markdown.contains(canary), "{canary} in {markdown}");
        assert!(!json.contains(canary), "{canary} in the JSON export");
    }
    let revealed = redact(
        &e,
        &Redaction {
            keep_token_claims: true,
            reveal: vec!["query:token".to_owned()],
        },
    )
    .to_json();
    assert!(revealed.contains("QUERYCANARY") && !revealed.contains("KEYCANARY"));
}

#[test]
fn redaction_keeps_the_shape_the_diagnosis_reads() {
    use why401_core::redact::{Redaction, redact};
    for (authorization, kept) in [
        ("Bearer undefined", "Bearer undefined"),
        (
            "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
            "Basic YWxhZGRpbjp4eHh4eHh4eHh4",
        ),
        ("Bearer 8f14e45fceea167a", "Bearer xxxxxxxxxxxxxxxx"),
        ("Token abc123", "Token xxxxxx"),
    ] {
        let request = spec(&[("Authorization", authorization)], CredentialsMode::Omit);
        let e = evidence(
            &request,
            Some(&answer(401, &[EXPOSE, BASIC_CHALLENGE_FIELD])),
        );
        let shared = redact(&e, &Redaction::standard());
        assert_eq!(
            shared.request.authorization(),
            Some(kept),
            "{authorization}"
        );
        assert_eq!(
            top(&diagnose(&shared)),
            top(&diagnose(&e)),
            "{authorization}"
        );
    }
}

const BASIC_CHALLENGE_FIELD: (&str, &str) = ("www-authenticate", "Basic realm=\"api\"");

#[test]
fn exports_tell_the_report_in_markdown_and_json() {
    use why401_core::export::{REPORT_SCHEMA, REPORT_VERSION, json, markdown};
    let request = spec(BEARER, CredentialsMode::Omit);
    let hostile = Answer {
        body: "```\n# <script>alert(1)</script> [x](javascript:y)",
        ..answer(
            401,
            &[
                EXPOSE,
                ("www-authenticate", "Bearer error=\"invalid_token\""),
            ],
        )
    };
    let e = evidence(&request, Some(&hostile));
    let diagnosis = diagnose(&e);
    let text = markdown(&e, &diagnosis, None);
    assert!(text.starts_with("## why401: "), "{text}");
    assert!(
        text.contains("### Findings") && text.contains("### Step by step"),
        "{text}"
    );
    // The body's backticks cannot close the exchange's fence.
    assert!(text.contains("````text\n"), "{text}");
    let report: serde_json::Value =
        serde_json::from_str(&json(&e, &diagnosis)).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(report["schema"], REPORT_SCHEMA);
    assert_eq!(report["version"], REPORT_VERSION);
    assert_eq!(
        report["verdict"]["cause"],
        diagnosis
            .top()
            .map(|f| f.cause.as_str())
            .unwrap_or_default()
    );
    assert_eq!(
        report["findings"].as_array().map(Vec::len),
        Some(diagnosis.findings.len())
    );
    let evidence = serde_json::to_string(&report["evidence"]).unwrap_or_default();
    assert_eq!(Evidence::from_json(&evidence), Ok(e));
}

#[test]
fn the_markdown_says_how_to_check_what_a_browser_cannot_see() {
    use why401_core::explain::{AdviceBook, advice_json};
    use why401_core::export::markdown;
    let e = evidence(
        &spec(BEARER, CredentialsMode::Omit),
        Some(&answer(401, &[])),
    );
    let diagnosis = diagnose(&e);
    assert!(diagnosis.other_possibilities.contains(&CauseId::IpBlocked));
    let book = AdviceBook::from_json(advice_json().as_bytes()).unwrap_or_default();
    let text = markdown(&e, &diagnosis, Some(&book));
    let line = format!(
        "- {} (`ip-blocked`): {}",
        CauseId::IpBlocked.title(),
        CauseId::IpBlocked.check()
    );
    assert!(text.contains(&line), "{text}");
    // Without the advice loaded, the cause is named alone.
    let bare = markdown(&e, &diagnosis, None);
    assert!(bare.contains("(`ip-blocked`)\n"), "{bare}");
}

#[test]
fn diagnose_names_names_that_are_not_what_they_look_like() {
    let mut evidence = evidence(
        &spec(
            &[("Authorization", "Basic YW5uOnB3")],
            CredentialsMode::Include,
        ),
        Some(&answer(401, &[])),
    );
    evidence.pasted = Some(
        "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic realm=\"invoice-\u{202E}gnp.exe\"\nSet-Cookie: s\u{200B}id=1; Path=/; Secure; SameSite=None\n\n"
            .into(),
    );
    let diagnosis = diagnose(&evidence);
    let found: Vec<(&str, &str)> = diagnosis
        .lookalikes
        .iter()
        .map(|l| (l.what, l.revealed.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("cookie name", "s⟨U+200B⟩id"),
            ("challenge parameter", "invoice-⟨U+202E⟩gnp.exe")
        ]
    );
    // Nothing hidden, nothing said.
    evidence.pasted = Some("HTTP/1.1 401 Unauthorized\nSet-Cookie: sid=1\n\n".into());
    assert!(diagnose(&evidence).lookalikes.is_empty());
}

#[test]
fn report_answers_whether_a_page_may_read_the_answer_apart() {
    use why401_core::report::{PageAccess, Report};
    let request = spec(&[("Authorization", "Bearer abc")], CredentialsMode::Omit);
    let readable = Report::of(evidence(&request, Some(&answer(401, &[EXPOSE]))));
    assert_eq!(readable.page_access, PageAccess::Readable);
    let blocked = Report::of(evidence(&request, None));
    assert!(
        matches!(
            blocked.page_access,
            PageAccess::Blocked { because: Some(_) }
        ),
        "{:?}",
        blocked.page_access
    );
    let alone = Evidence::pasted_only(
        request,
        blocked.evidence.context,
        NOW,
        "HTTP/1.1 401 Unauthorized\n\n".to_owned(),
    );
    assert_eq!(Report::of(alone).page_access, PageAccess::Unknown);
}

#[test]
fn markdown_says_when_nothing_was_sent_and_where_the_request_runs() {
    let request = spec(&[("Authorization", "Bearer abc")], CredentialsMode::Omit);
    let context = why401_core::evidence::PageContext::at(
        "https://why401.example.org",
        true,
        AddressClass::Public,
    );
    let mut alone = Evidence::pasted_only(
        request,
        context,
        NOW,
        "HTTP/1.1 401 Unauthorized\ncontent-type: application/json\n\n{\"message\":\"Bad credentials\"}"
            .to_owned(),
    );
    alone.caller = Some(why401_core::evidence::Caller::Outside);
    let text = why401_core::export::markdown(&alone, &diagnose(&alone), None);
    assert!(text.contains("as pasted: nothing was sent"), "{text}");
    assert!(text.contains("outside a browser"), "{text}");
    assert!(text.contains("invalid-credentials"), "{text}");
}

/// What `curl -sv -L` printed (curl 7.88.1, against the lab's `login-redirect` and
/// `cross-origin-redirect`), pasted alone: every hop, curl's `*` notes, its `{ [24 bytes data]`.
#[test]
fn curl_transcripts_that_follow_redirects() {
    use why401_core::evidence::PageContext;
    use why401_core::pasted::parse_pasted;
    for (text, url, cause) in [
        (
            include_str!("samples/curl-7.88-L-v-login-redirect.txt"),
            "http://127.0.0.1:8081/s/login-redirect",
            CauseId::LoginRedirect,
        ),
        (
            include_str!("samples/curl-7.88-L-v-cross-origin-redirect.txt"),
            "http://127.0.0.1:8081/s/cross-origin-redirect",
            CauseId::RedirectDroppedAuthorization,
        ),
    ] {
        let pasted = parse_pasted(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            pasted.tls,
            Some(false),
            "curl said it connected, and no TLS"
        );
        let (target, spec) = why401_core::form::request_from_paste(
            &pasted,
            &why401_core::form::RequestForm::default(),
        )
        .unwrap_or_else(|| panic!("no request in {text}"));
        assert_eq!(target.url, url, "the user's request is the first hop");
        let evidence = Evidence::pasted_only(
            spec,
            PageContext::at("https://why401.example.org", true, AddressClass::Public),
            NOW,
            text.to_owned(),
        );
        let diagnosis = diagnose(&evidence);
        assert_eq!(
            diagnosis.top().map(|f| f.cause),
            Some(cause),
            "{url}: {diagnosis:#?}"
        );
        let body = diagnosis
            .pasted_answer()
            .and_then(|a| a.body_excerpt.clone())
            .unwrap_or_default();
        assert!(!body.contains("bytes data"), "{body}");
    }
}

/// An entry of a HAR file saved sanitized: no credentials in it says nothing of what was sent.
#[test]
fn a_sanitized_har_entry_does_not_conclude_nothing_was_sent() {
    use why401_core::evidence::PageContext;
    let exchange = |note: bool| {
        format!(
            "{}GET https://api.example.com/v1/me HTTP/1.1\naccept: application/json\n\nHTTP/1.1 401 Unauthorized\nwww-authenticate: Bearer realm=\"api\"\n\n",
            if note {
                format!("* {}\n", why401_core::pasted::SANITIZED_NOTE)
            } else {
                String::new()
            }
        )
    };
    let diagnosis = |note: bool| {
        let evidence = Evidence::pasted_only(
            RequestSpec::get("https://api.example.com/v1/me"),
            PageContext::at("https://why401.example.org", true, AddressClass::Public),
            NOW,
            exchange(note),
        );
        diagnose(&evidence)
    };
    let plain = diagnosis(false);
    let plain_top = plain.top().unwrap_or_else(|| panic!("{plain:#?}"));
    assert_eq!(
        (plain_top.cause, plain_top.confidence),
        (CauseId::MissingCredentials, Confidence::High)
    );
    let sanitized = diagnosis(true);
    let finding = sanitized
        .findings
        .iter()
        .find(|f| f.cause == CauseId::MissingCredentials)
        .unwrap_or_else(|| panic!("{sanitized:#?}"));
    assert_eq!(finding.confidence, Confidence::Low);
    assert!(
        finding.because[0].contains("saved without credentials"),
        "{finding:?}"
    );
}
