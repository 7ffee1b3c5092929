//! The probe layer in real headless Chromium (wasm-bindgen-test) against the lab on a second
//! origin. `WHY401_LAB_URL` names the running lab at build time; `make test` starts it.
//! Run with `WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1`: an isolated page breaks `no-cors` probes.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use why401::probe::{ProbeResult, fetch_get, run_probe};
use why401_core::cors::CredentialsMode;
use why401_core::plan::{FetchMode, ProbeRequest, RedirectMode};
use why401_core::{FailureKind, ProbeOutcome, ResponseSeen, ResponseType};

wasm_bindgen_test_configure!(run_in_browser);

fn lab(path: &str) -> String {
    let base = option_env!("WHY401_LAB_URL").unwrap_or("http://127.0.0.1:8081");
    format!("{base}{path}")
}

fn response(result: &ProbeResult) -> &ResponseSeen {
    match &result.outcome {
        ProbeOutcome::Response(seen) => seen,
        ProbeOutcome::Failed(failure) => panic!("expected a response, got {failure:?}"),
    }
}

fn failure_kind(result: &ProbeResult) -> FailureKind {
    match &result.outcome {
        ProbeOutcome::Failed(failure) => failure.kind,
        ProbeOutcome::Response(seen) => panic!("expected a failure, got {seen:?}"),
    }
}

#[wasm_bindgen_test]
async fn probe_reads_cors_401_with_exposed_challenge_only() {
    let result = fetch_get(&lab("/s/basic-challenge"), 5_000).await;
    let seen = response(&result);
    assert_eq!(seen.response_type, ResponseType::Cors);
    assert_eq!(seen.status, 401);
    assert_eq!(
        seen.header("www-authenticate"),
        Some("Basic realm=\"why401 lab\", charset=\"UTF-8\"")
    );
    assert_eq!(seen.header("content-type"), Some("application/json"));
    // Sent by the lab but neither safelisted nor exposed: the browser filters them out.
    assert_eq!(seen.header("vary"), None);
    assert_eq!(seen.header("date"), None);
    assert_eq!(
        seen.body_excerpt.as_deref(),
        Some("{\"error\":\"unauthorized\"}")
    );
    assert!(!seen.redirected);
}

#[wasm_bindgen_test]
async fn probe_filters_unexposed_challenge() {
    let result = fetch_get(&lab("/s/challenge-not-exposed"), 5_000).await;
    let seen = response(&result);
    assert_eq!(seen.status, 401);
    assert_eq!(seen.header("www-authenticate"), None);
    assert!(
        seen.hidden_diagnostic_headers()
            .contains(&"www-authenticate")
    );
}

#[wasm_bindgen_test]
async fn probe_reports_cors_rejection_as_network_failure() {
    let result = fetch_get(&lab("/s/no-cors-at-all"), 5_000).await;
    assert_eq!(failure_kind(&result), FailureKind::Network);
    let ProbeOutcome::Failed(failure) = &result.outcome else {
        unreachable!()
    };
    assert_eq!(failure.error_name, "TypeError");
}

#[wasm_bindgen_test]
async fn probe_detects_cross_origin_redirect() {
    let result = fetch_get(&lab("/s/cross-origin-redirect"), 5_000).await;
    let seen = response(&result);
    assert!(seen.redirected, "{seen:?}");
    assert!(
        seen.url.contains("//localhost:"),
        "final URL on the other origin: {}",
        seen.url
    );
    assert_eq!(seen.status, 401);
}

#[wasm_bindgen_test]
async fn probe_stops_when_the_user_stops_it() {
    let controller = web_sys::AbortController::new().unwrap();
    let signal = controller.signal();
    let request = ProbeRequest {
        url: lab("/delay/3000"),
        method: "GET".into(),
        headers: Vec::new(),
        body: None,
        mode: FetchMode::Cors,
        credentials: CredentialsMode::Omit,
        redirect: RedirectMode::Follow,
    };
    // The user presses Stop while the server is still thinking.
    {
        let controller = controller.clone();
        wasm_bindgen_futures::spawn_local(async move {
            sleep_ms(100).await;
            controller.abort();
        });
    }
    let result = run_probe(&request, 10_000, Some(&signal)).await;
    assert_eq!(failure_kind(&result), FailureKind::Aborted);
    assert!(
        result.elapsed_ms < 2_000.0,
        "stopping must not wait for the server: {} ms",
        result.elapsed_ms
    );
    // A signal that was already stopped sends nothing at all.
    let result = run_probe(&request, 10_000, Some(&signal)).await;
    assert_eq!(failure_kind(&result), FailureKind::Aborted);
}

/// Resolves after `ms` milliseconds (`setTimeout`).
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn probe_times_out_and_aborts() {
    let result = fetch_get(&lab("/delay/3000"), 200).await;
    assert_eq!(failure_kind(&result), FailureKind::Timeout);
    assert!(
        result.elapsed_ms < 2_000.0,
        "the abort must not wait for the server: {} ms",
        result.elapsed_ms
    );
}

#[wasm_bindgen_test]
async fn probe_within_time_limit_is_not_aborted() {
    let result = fetch_get(&lab("/delay/50"), 5_000).await;
    assert_eq!(response(&result).status, 200);
}

#[wasm_bindgen_test]
async fn probe_refuses_url_with_credentials_before_sending() {
    let url = lab("/s/token-ok").replacen("http://", "http://user:pass@", 1);
    let result = fetch_get(&url, 5_000).await;
    assert_eq!(failure_kind(&result), FailureKind::Rejected);
}

#[wasm_bindgen_test]
async fn probe_reports_refused_connection_as_network_failure() {
    // Port 9 (discard) is on the Fetch standard's bad-port list, so use an unused high port.
    let result = fetch_get("http://127.0.0.1:1/", 5_000).await;
    assert_eq!(failure_kind(&result), FailureKind::Network);
}

fn probe(path: &str, edit: impl FnOnce(&mut ProbeRequest)) -> ProbeRequest {
    let mut request = ProbeRequest {
        url: lab(path),
        method: "GET".to_owned(),
        headers: Vec::new(),
        body: None,
        mode: FetchMode::Cors,
        credentials: CredentialsMode::Omit,
        redirect: RedirectMode::Follow,
    };
    edit(&mut request);
    request
}

#[wasm_bindgen_test]
async fn probe_no_cors_reaches_a_server_that_fails_cors() {
    let request = probe("/s/no-cors-at-all", |r| r.mode = FetchMode::NoCors);
    let result = run_probe(&request, 5_000, None).await;
    let seen = response(&result);
    assert_eq!(seen.response_type, ResponseType::Opaque);
    assert_eq!(seen.status, 0);
    assert!(seen.headers.is_empty());
}

#[wasm_bindgen_test]
async fn probe_manual_redirect_is_opaqueredirect() {
    let request = probe("/s/cross-origin-redirect", |r| {
        r.redirect = RedirectMode::Manual;
    });
    let result = run_probe(&request, 5_000, None).await;
    assert_eq!(
        response(&result).response_type,
        ResponseType::OpaqueRedirect
    );
}

#[wasm_bindgen_test]
async fn probe_sends_headers_and_credentials_mode() {
    let with_token = probe("/s/token-ok", |r| {
        r.headers = vec![(
            "Authorization".to_owned(),
            "Bearer lab-good-token".to_owned(),
        )];
    });
    assert_eq!(
        response(&run_probe(&with_token, 5_000, None).await).status,
        200
    );
    let credentialed = probe("/s/wildcard-with-credentials", |r| {
        r.credentials = CredentialsMode::Include;
    });
    assert_eq!(
        failure_kind(&run_probe(&credentialed, 5_000, None).await),
        FailureKind::Network
    );
    let anonymous = probe("/s/wildcard-with-credentials", |_| {});
    assert_eq!(
        response(&run_probe(&anonymous, 5_000, None).await).status,
        401
    );
}

#[wasm_bindgen_test]
async fn probe_refuses_invalid_header_value_before_sending() {
    let request = probe("/s/token-ok", |r| {
        r.headers = vec![("Authorization".to_owned(), "Bearer a\nb".to_owned())];
    });
    assert_eq!(
        failure_kind(&run_probe(&request, 5_000, None).await),
        FailureKind::Rejected
    );
}
