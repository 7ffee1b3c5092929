use why401_core::CorsError;
use why401_core::cors::{
    CorsRequest, CorsVerdict, CredentialsMode, Engine, LatentProblem, PreflightReason, ServerReply,
    is_safelisted_request_header, preflight_reason, readable_headers, simulate,
};

const ORIGIN: &str = "https://app.example.com";

fn request(method: &str, headers: &[(&str, &str)], credentials: CredentialsMode) -> CorsRequest {
    CorsRequest {
        origin: ORIGIN.into(),
        method: method.into(),
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).into(), (*v).into()))
            .collect(),
        credentials,
    }
}

fn reply(status: u16, headers: &[(&str, &str)]) -> ServerReply {
    ServerReply {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).into(), (*v).into()))
            .collect(),
    }
}

const GET: (&str, &[(&str, &str)], CredentialsMode) = ("GET", &[], CredentialsMode::Omit);
const GET_AUTH: (&str, &[(&str, &str)], CredentialsMode) = (
    "GET",
    &[("Authorization", "Bearer x")],
    CredentialsMode::Omit,
);
const GET_COOKIES: (&str, &[(&str, &str)], CredentialsMode) =
    ("GET", &[], CredentialsMode::Include);

const ECHO: (&str, &str) = ("Access-Control-Allow-Origin", ORIGIN);
const ALLOW_AUTH: (&str, &str) = ("Access-Control-Allow-Headers", "Authorization");
const ACAC: (&str, &str) = ("Access-Control-Allow-Credentials", "true");

/// `None` for the expected failure means the browser allows the request.
#[track_caller]
fn check(
    req: (&str, &[(&str, &str)], CredentialsMode),
    preflight: &[(&str, &str)],
    preflight_status: u16,
    response: &[(&str, &str)],
    expected: Option<(CorsError, &str)>,
) {
    let request = request(req.0, req.1, req.2);
    let verdict = simulate(
        &request,
        Some(&reply(preflight_status, preflight)),
        &reply(401, response),
        Engine::Chromium,
    );
    match (verdict, expected) {
        (CorsVerdict::Allowed { .. }, None) => {}
        (CorsVerdict::Blocked(failure), Some((error, parameter))) => {
            assert_eq!(
                (failure.error, failure.parameter.as_str()),
                (error, parameter),
                "{request:?}"
            );
            assert!(failure.to_string().ends_with('.'));
        }
        (verdict, expected) => panic!("{request:?}: expected {expected:?}, got {verdict:?}"),
    }
}

#[test]
fn cors_simple_request_allowed_with_echo_or_wildcard() {
    check(GET, &[], 204, &[ECHO], None);
    check(GET, &[], 204, &[("Access-Control-Allow-Origin", "*")], None);
}

#[test]
fn cors_missing_allow_origin() {
    check(
        GET,
        &[],
        204,
        &[],
        Some((CorsError::MissingAllowOriginHeader, "")),
    );
}

#[test]
fn cors_allow_origin_mismatch_and_invalid() {
    check(
        GET,
        &[],
        204,
        &[("Access-Control-Allow-Origin", "https://other.example.com")],
        Some((CorsError::AllowOriginMismatch, "https://other.example.com")),
    );
    check(
        GET,
        &[],
        204,
        &[("Access-Control-Allow-Origin", "app.example.com")],
        Some((CorsError::InvalidAllowOriginValue, "app.example.com")),
    );
    // Verified in Chromium 156 (lab scenario allow-origin-trailing-slash): a mismatch, not invalid.
    check(
        GET,
        &[],
        204,
        &[("Access-Control-Allow-Origin", "https://app.example.com/")],
        Some((CorsError::AllowOriginMismatch, "https://app.example.com/")),
    );
}

#[test]
fn cors_multiple_allow_origin_values() {
    check(
        GET,
        &[],
        204,
        &[ECHO, ECHO],
        Some((
            CorsError::MultipleAllowOriginValues,
            "https://app.example.com, https://app.example.com",
        )),
    );
    check(
        GET,
        &[],
        204,
        &[(
            "Access-Control-Allow-Origin",
            "https://a.com https://app.example.com",
        )],
        Some((
            CorsError::MultipleAllowOriginValues,
            "https://a.com https://app.example.com",
        )),
    );
}

#[test]
fn cors_wildcard_with_credentials() {
    check(
        GET_COOKIES,
        &[],
        204,
        &[("Access-Control-Allow-Origin", "*"), ACAC],
        Some((CorsError::WildcardOriginNotAllowed, "")),
    );
}

#[test]
fn cors_allow_credentials_must_be_exactly_true() {
    check(
        GET_COOKIES,
        &[],
        204,
        &[ECHO],
        Some((CorsError::InvalidAllowCredentials, "")),
    );
    check(
        GET_COOKIES,
        &[],
        204,
        &[ECHO, ("Access-Control-Allow-Credentials", "True")],
        Some((CorsError::InvalidAllowCredentials, "True")),
    );
    check(GET_COOKIES, &[], 204, &[ECHO, ACAC], None);
}

#[test]
fn cors_preflight_failures() {
    check(
        GET_AUTH,
        &[],
        401,
        &[ECHO],
        Some((CorsError::PreflightMissingAllowOriginHeader, "")),
    );
    check(
        GET_AUTH,
        &[ECHO, ALLOW_AUTH],
        401,
        &[ECHO],
        Some((CorsError::PreflightInvalidStatus, "401")),
    );
    check(
        GET_AUTH,
        &[ECHO, ALLOW_AUTH, ("Location", "/login")],
        302,
        &[ECHO],
        Some((CorsError::PreflightDisallowedRedirect, "")),
    );
    // A 3xx with nowhere to go, or a 304, is a failed status, not a redirect.
    check(
        GET_AUTH,
        &[ECHO, ALLOW_AUTH],
        302,
        &[ECHO],
        Some((CorsError::PreflightInvalidStatus, "302")),
    );
    check(
        GET_AUTH,
        &[ECHO, ALLOW_AUTH],
        304,
        &[ECHO],
        Some((CorsError::PreflightInvalidStatus, "304")),
    );
    check(
        GET_AUTH,
        &[("Access-Control-Allow-Origin", "*")],
        204,
        &[ECHO],
        Some((
            CorsError::HeaderDisallowedByPreflightResponse,
            "authorization",
        )),
    );
    check(
        GET_AUTH,
        &[ECHO, ("Access-Control-Allow-Headers", "Content-Type")],
        204,
        &[ECHO],
        Some((
            CorsError::HeaderDisallowedByPreflightResponse,
            "authorization",
        )),
    );
    check(
        GET_AUTH,
        &[ECHO, ("Access-Control-Allow-Headers", "a b")],
        204,
        &[ECHO],
        Some((CorsError::InvalidAllowHeadersPreflightResponse, "a b")),
    );
}

#[test]
fn cors_preflight_method_and_credential_failures() {
    check(
        ("DELETE", &[], CredentialsMode::Omit),
        &[ECHO, ("Access-Control-Allow-Methods", "GET, POST")],
        204,
        &[ECHO],
        Some((CorsError::MethodDisallowedByPreflightResponse, "DELETE")),
    );
    check(
        ("delete", &[], CredentialsMode::Omit),
        &[ECHO, ("Access-Control-Allow-Methods", "GET, DELETE")],
        204,
        &[ECHO],
        None,
    );
    check(
        ("PATCH", &[], CredentialsMode::Omit),
        &[ECHO, ("Access-Control-Allow-Methods", "patch")],
        204,
        &[ECHO],
        Some((CorsError::MethodDisallowedByPreflightResponse, "PATCH")),
    );
    check(
        ("PUT", &[], CredentialsMode::Omit),
        &[ECHO, ("Access-Control-Allow-Methods", "GET; PUT")],
        204,
        &[ECHO],
        Some((CorsError::InvalidAllowMethodsPreflightResponse, "GET; PUT")),
    );
    check(
        ("PUT", &[], CredentialsMode::Omit),
        &[ECHO, ("Access-Control-Allow-Methods", "*")],
        204,
        &[ECHO],
        None,
    );
    check(
        ("PUT", &[], CredentialsMode::Include),
        &[ECHO, ACAC, ("Access-Control-Allow-Methods", "*")],
        204,
        &[ECHO, ACAC],
        Some((CorsError::MethodDisallowedByPreflightResponse, "PUT")),
    );
    check(
        ("GET", &[("Authorization", "x")], CredentialsMode::Include),
        &[("Access-Control-Allow-Origin", "*"), ALLOW_AUTH],
        204,
        &[ECHO, ACAC],
        Some((CorsError::PreflightWildcardOriginNotAllowed, "")),
    );
    check(
        ("GET", &[("Authorization", "x")], CredentialsMode::Include),
        &[ECHO, ALLOW_AUTH],
        204,
        &[ECHO, ACAC],
        Some((CorsError::PreflightInvalidAllowCredentials, "")),
    );
    check(
        GET_AUTH,
        &[("Access-Control-Allow-Origin", "https://x.com")],
        204,
        &[ECHO],
        Some((CorsError::PreflightAllowOriginMismatch, "https://x.com")),
    );
}

#[test]
fn cors_preflight_passes_then_response_checked() {
    check(GET_AUTH, &[ECHO, ALLOW_AUTH], 204, &[ECHO], None);
    check(
        GET_AUTH,
        &[
            ECHO,
            (
                "Access-Control-Allow-Headers",
                "authorization, content-type",
            ),
        ],
        200,
        &[],
        Some((CorsError::MissingAllowOriginHeader, "")),
    );
}

#[test]
fn cors_wildcard_allow_headers_and_authorization_by_engine() {
    let request = request(
        "GET",
        &[("Authorization", "Bearer x"), ("X-Trace", "1")],
        CredentialsMode::Omit,
    );
    let preflight = reply(204, &[ECHO, ("Access-Control-Allow-Headers", "*")]);
    let response = reply(200, &[ECHO, ("Vary", "Origin")]);
    match simulate(&request, Some(&preflight), &response, Engine::Chromium) {
        CorsVerdict::Allowed { latent, .. } => {
            assert_eq!(latent, [LatentProblem::WildcardCoversAuthorization]);
        }
        other => panic!("{other:?}"),
    }
    match simulate(&request, Some(&preflight), &response, Engine::Standard) {
        CorsVerdict::Blocked(failure) => {
            assert_eq!(
                failure.error,
                CorsError::HeaderDisallowedByPreflightResponse
            );
            assert_eq!(failure.parameter, "authorization");
        }
        other => panic!("{other:?}"),
    }
    // With credentials `*` is a literal name and covers nothing.
    let request = self::request("GET", &[("X-Trace", "1")], CredentialsMode::Include);
    let preflight = reply(204, &[ECHO, ACAC, ("Access-Control-Allow-Headers", "*")]);
    assert!(matches!(
        simulate(&request, Some(&preflight), &response, Engine::Chromium),
        CorsVerdict::Blocked(f) if f.error == CorsError::HeaderDisallowedByPreflightResponse && f.parameter == "x-trace"
    ));
}

#[test]
fn cors_echo_without_vary_is_latent() {
    let request = request("GET", &[], CredentialsMode::Omit);
    match simulate(&request, None, &reply(200, &[ECHO]), Engine::Chromium) {
        CorsVerdict::Allowed { latent, .. } => {
            assert_eq!(latent, [LatentProblem::EchoedOriginWithoutVary]);
        }
        other => panic!("{other:?}"),
    }
    match simulate(
        &request,
        None,
        &reply(200, &[ECHO, ("Vary", "Accept-Encoding, Origin")]),
        Engine::Chromium,
    ) {
        CorsVerdict::Allowed { latent, .. } => assert!(latent.is_empty()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn cors_needs_preflight_reply_when_not_given() {
    let request = request("GET", &[("Authorization", "x")], CredentialsMode::Omit);
    assert_eq!(
        simulate(&request, None, &reply(200, &[ECHO]), Engine::Chromium),
        CorsVerdict::NeedsPreflightReply(PreflightReason::Headers(vec!["authorization".into()]))
    );
}

#[test]
fn cors_preflight_reasons() {
    let r = |method: &str, headers: &[(&str, &str)]| {
        preflight_reason(&request(method, headers, CredentialsMode::Omit))
    };
    assert_eq!(r("GET", &[]), None);
    assert_eq!(
        r("post", &[("Content-Type", "text/plain;charset=UTF-8")]),
        None
    );
    assert_eq!(
        r("POST", &[("Content-Type", "application/json")]),
        Some(PreflightReason::Headers(vec!["content-type".into()]))
    );
    assert_eq!(r("PUT", &[]), Some(PreflightReason::Method("PUT".into())));
    assert_eq!(
        r(
            "PATCH",
            &[("X-B", "1"), ("Authorization", "x"), ("x-b", "2")]
        ),
        Some(PreflightReason::Both {
            method: "PATCH".into(),
            headers: vec!["authorization".into(), "x-b".into()]
        })
    );
    assert_eq!(
        r(
            "GET",
            &[("Accept", "application/json"), ("Range", "bytes=0-99")]
        ),
        None
    );
    let long = "a".repeat(129);
    assert_eq!(
        r("GET", &[("Accept", &long)]),
        Some(PreflightReason::Headers(vec!["accept".into()]))
    );
    let big = "a".repeat(100);
    let many: Vec<(&str, &str)> = (0..11).map(|_| ("Accept", big.as_str())).collect();
    assert!(
        r("GET", &many).is_some(),
        "over 1024 bytes of safelisted values need a preflight"
    );
}

#[test]
fn cors_safelisted_request_headers() {
    assert!(is_safelisted_request_header("accept", "*/*"));
    assert!(!is_safelisted_request_header("accept", "a(b)"));
    assert!(is_safelisted_request_header(
        "Accept-Language",
        "en-US,en;q=0.9"
    ));
    assert!(!is_safelisted_request_header("Accept-Language", "en/US"));
    assert!(is_safelisted_request_header(
        "Content-Type",
        "multipart/form-data; boundary=x"
    ));
    assert!(!is_safelisted_request_header(
        "Content-Type",
        "application/json"
    ));
    assert!(!is_safelisted_request_header("Range", "bytes=-5"));
    assert!(!is_safelisted_request_header("Authorization", "x"));
}

#[test]
fn cors_readable_headers() {
    let response = reply(
        401,
        &[
            ECHO,
            ("Content-Type", "application/json"),
            ("WWW-Authenticate", "Bearer"),
            ("X-Request-Id", "1"),
            ("Set-Cookie", "a=b"),
            ("Access-Control-Expose-Headers", "www-authenticate"),
        ],
    );
    let omit = request("GET", &[], CredentialsMode::Omit);
    assert_eq!(
        readable_headers(&omit, &response),
        ["content-type", "www-authenticate"]
    );
    let mut star = response;
    star.headers
        .push(("Access-Control-Expose-Headers".into(), "*".into()));
    assert_eq!(
        readable_headers(&omit, &star),
        [
            "access-control-allow-origin",
            "content-type",
            "www-authenticate",
            "x-request-id",
            "access-control-expose-headers"
        ]
    );
    let include = request("GET", &[], CredentialsMode::Include);
    assert_eq!(
        readable_headers(&include, &star),
        ["content-type", "www-authenticate"]
    );
}
