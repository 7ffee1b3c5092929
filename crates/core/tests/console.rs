use why401_core::CorsError;
use why401_core::console::{Browser, ConsoleProblem, parse_console_line};

const APP: &str = "http://127.0.0.1:44269";

/// Lines as Chromium 156 printed them for the lab's scenarios, and as users paste them from
/// Chrome, Edge and Firefox: `(line, error, quoted parameter)`.
const LINES: &[(&str, CorsError, Option<&str>)] = &[
    (
        "Access to fetch at 'http://127.0.0.1:46175/s/no-cors-at-all?t=x' from origin 'http://127.0.0.1:44101' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        CorsError::MissingAllowOriginHeader,
        None,
    ),
    (
        "Access to fetch at 'http://127.0.0.1:36995/s/auth-on-preflight-bare?t=x' from origin 'http://127.0.0.1:44269' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        CorsError::PreflightMissingAllowOriginHeader,
        None,
    ),
    (
        "Access to fetch at 'http://127.0.0.1:36995/s/preflight-not-found?t=x' from origin 'http://127.0.0.1:44269' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
        CorsError::PreflightInvalidStatus,
        None,
    ),
    (
        "Access to fetch at 'http://127.0.0.1:46175/s/header-not-allowed?t=x' from origin 'http://127.0.0.1:44101' has been blocked by CORS policy: Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response.",
        CorsError::HeaderDisallowedByPreflightResponse,
        Some("authorization"),
    ),
    (
        "Access to fetch at 'http://127.0.0.1:46175/s/allow-origin-mismatch?t=x' from origin 'http://127.0.0.1:44101' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://app.example.com' that is not equal to the supplied origin. Have the server send the header with a valid value.",
        CorsError::AllowOriginMismatch,
        Some("https://app.example.com"),
    ),
    (
        "Access to fetch at 'http://127.0.0.1:46175/s/multiple-allow-origin?t=x' from origin 'http://127.0.0.1:44101' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains multiple values 'http://127.0.0.1:44101, http://127.0.0.1:44101', but only one is allowed. Have the server send the header with a valid value.",
        CorsError::MultipleAllowOriginValues,
        Some("http://127.0.0.1:44101, http://127.0.0.1:44101"),
    ),
    (
        "Access to fetch at 'http://127.0.0.1:46175/s/wildcard-with-credentials?t=x' from origin 'http://127.0.0.1:44101' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
        CorsError::WildcardOriginNotAllowed,
        Some("*"),
    ),
    (
        "Access to fetch at 'http://127.0.0.1:46175/s/missing-allow-credentials?t=x' from origin 'http://127.0.0.1:44101' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
        CorsError::InvalidAllowCredentials,
        Some(""),
    ),
    (
        "Access to fetch at 'http://127.0.0.1:46175/s/method-not-allowed?t=x' from origin 'http://127.0.0.1:44101' has been blocked by CORS policy: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
        CorsError::MethodDisallowedByPreflightResponse,
        Some("PUT"),
    ),
    (
        "Access to fetch at 'http://127.0.0.1:37625/s/token-ok?t=b' from origin 'http://127.0.0.1:33107' has been blocked by CORS policy: Permission was denied for this request to access the `loopback` address space.",
        CorsError::LocalNetworkAccessPermissionDenied,
        Some("loopback"),
    ),
    (
        "Access to XMLHttpRequest at 'https://api.example.com/login' from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request.",
        CorsError::PreflightDisallowedRedirect,
        None,
    ),
    (
        "Access to fetch at 'https://api.example.com/me' from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
        CorsError::PreflightWildcardOriginNotAllowed,
        Some("*"),
    ),
];

#[test]
fn chromium_lines_name_chromium_errors() {
    for &(line, error, parameter) in LINES {
        let read = parse_console_line(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(read.browser, Browser::Chromium, "{line}");
        assert_eq!(read.error, error, "{line}");
        assert_eq!(read.parameter.as_deref(), parameter, "{line}");
        assert!(read.matches(error));
    }
}

#[test]
fn chromium_line_gives_url_and_origin() {
    let read = parse_console_line(
        "Access to fetch at 'https://api.example.com/v2/me' (redirected from 'https://api.example.com/me') from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource. If an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled.",
    )
    .unwrap();
    assert_eq!(read.url.as_deref(), Some("https://api.example.com/v2/me"));
    assert_eq!(read.origin.as_deref(), Some("https://app.example.com"));
}

#[test]
fn pasted_noise_and_wrapping_are_ignored() {
    // As copied from the console: source link first, the message wrapped, the network line after.
    let pasted = format!(
        "app.js:12 \n Access to fetch at 'http://localhost:8000/api' from origin '{APP}' has been\n  blocked by CORS policy: Request header field\n x-api-key is not allowed by Access-Control-Allow-Headers in preflight response.\napp.js:12  GET http://localhost:8000/api net::ERR_FAILED"
    );
    let read = parse_console_line(&pasted).unwrap();
    assert_eq!(read.error, CorsError::HeaderDisallowedByPreflightResponse);
    assert_eq!(read.parameter.as_deref(), Some("x-api-key"));
    assert_eq!(read.origin.as_deref(), Some(APP));
}

#[test]
fn firefox_lines_name_the_same_errors() {
    let cases: &[(&str, CorsError)] = &[
        (
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/me. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 401.",
            CorsError::MissingAllowOriginHeader,
        ),
        (
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/me. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘https://other.example’).",
            CorsError::AllowOriginMismatch,
        ),
        (
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/me. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).",
            CorsError::WildcardOriginNotAllowed,
        ),
        (
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/me. (Reason: CORS preflight response did not succeed). Status code: 401.",
            CorsError::PreflightInvalidStatus,
        ),
        (
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/me. (Reason: header ‘authorization’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).",
            CorsError::HeaderDisallowedByPreflightResponse,
        ),
        (
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/me. (Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).",
            CorsError::MethodDisallowedByPreflightResponse,
        ),
    ];
    for &(line, error) in cases {
        let read = parse_console_line(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(read.browser, Browser::Firefox);
        assert_eq!(read.error, error, "{line}");
        assert_eq!(read.url.as_deref(), Some("https://api.example.com/me"));
    }
    // Firefox does not say whether the preflight failed the check: either twin matches.
    let read = parse_console_line(cases[0].0).unwrap();
    assert!(read.matches(CorsError::PreflightMissingAllowOriginHeader));
    assert!(!read.matches(CorsError::PreflightInvalidStatus));
}

#[test]
fn chromium_response_error_does_not_match_its_preflight_twin() {
    let read = parse_console_line(LINES[0].0).unwrap();
    assert!(!read.matches(CorsError::PreflightMissingAllowOriginHeader));
}

#[test]
fn other_text_is_refused_with_a_reason() {
    assert_eq!(parse_console_line("  \n "), Err(ConsoleProblem::Empty));
    assert_eq!(
        parse_console_line("TypeError: Failed to fetch"),
        Err(ConsoleProblem::NotACorsLine)
    );
    assert_eq!(
        parse_console_line(
            "Access to fetch at 'x' from origin 'y' has been blocked by CORS policy: Something new."
        ),
        Err(ConsoleProblem::UnknownReason)
    );
    for text in [
        "has been blocked by CORS policy:",
        "Cross-Origin Request Blocked:",
        "Access to fetch at '",
    ] {
        assert!(parse_console_line(text).is_err(), "{text}");
    }
}
