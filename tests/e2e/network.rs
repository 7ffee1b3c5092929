//! What stops a request before any server answers, through the real app in headless Chromium:
//! Local Network Access, a closed port, a server too slow for the time limit, and the user's
//! own Stop.

use std::time::{Duration, Instant};

use crate::harness::{Harness, Network, Tab};

/// The top finding's `data-*` attributes: hypothesis, cause, implied `CorsError` (empty when
/// absent).
async fn top(app: &Tab) -> [String; 3] {
    let mut out = [String::new(), String::new(), String::new()];
    for (slot, key) in out.iter_mut().zip(["hypothesis", "cause", "implied"]) {
        *slot = app.data("[data-rank='1']", key).await.unwrap_or_default();
    }
    out
}

/// The app's page counts as public (as a hosted why401 does) and the lab stays on loopback:
/// Chromium refuses every probe for want of the Local Network Access permission. The page reads
/// the permission (`denied`) and names the cause as Chromium does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_names_local_network_access_like_chromium() {
    let harness = Harness::start_with(Network::AppIsPublic).await;
    let app = harness.open_app().await;
    let url = harness.scenario_url("token-ok", "lna");
    app.inspect(&url).await;
    let chromium = app.chromium_verdict(&url, crate::VERDICT_WAIT).await;
    assert_eq!(
        chromium.and_then(|v| v.cors_error).as_deref(),
        Some("LocalNetworkAccessPermissionDenied")
    );
    assert_eq!(
        top(&app).await,
        [
            "local-network-access",
            "local-network-access",
            "LocalNetworkAccessPermissionDenied"
        ]
    );
    assert_eq!(
        app.data("#findings", "confidence").await.as_deref(),
        Some("high")
    );
    // The console line agrees.
    let line = app.console_line(&url).await;
    app.paste_into("#console", &line).await;
    app.wait_for_js(
        "the console line's verdict",
        "document.querySelector('#console-verdict')?.dataset.console === 'settled'",
    )
    .await;
    harness.stop().await;
}

/// A port nothing listens on: every probe fails, the `no-cors` one too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_names_an_unreachable_server() {
    let harness = Harness::start().await;
    let closed = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        listener
            .local_addr()
            .unwrap_or_else(|e| panic!("address: {e}"))
    };
    let url = format!("http://{closed}/api/me");
    let app = harness.open_app().await;
    app.inspect(&url).await;
    let chromium = app.chromium_verdict(&url, crate::VERDICT_WAIT).await;
    assert_eq!(
        chromium.map(|v| v.error_text).as_deref(),
        Some("net::ERR_CONNECTION_REFUSED")
    );
    assert_eq!(top(&app).await, ["unreachable", "unreachable", ""]);
    harness.stop().await;
}

/// A server slower than the time limit: every probe runs out of time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_names_a_timeout() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    app.js("document.querySelector('details.options').open = true")
        .await;
    app.type_into("#timeout", "1").await;
    let started = Instant::now();
    app.inspect(&format!("{}/delay/5000", harness.lab)).await;
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        app.data(".outcome", "failure").await.as_deref(),
        Some("timeout")
    );
    assert_eq!(top(&app).await, ["timed-out", "timeout", ""]);
    harness.stop().await;
}

/// Stop ends every probe at once; the report says so and offers no explanation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_stops_the_probes_when_asked() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    app.type_url(&format!("{}/delay/8000", harness.lab)).await;
    let started = Instant::now();
    app.js("document.querySelector('#inspect').click()").await;
    app.wait_for_js(
        "the Stop button",
        "document.querySelector('#stop') !== null",
    )
    .await;
    app.click_and_wait("#stop").await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(app.text("#stopped").await.is_some());
    assert_eq!(app.text("#findings").await, None);
    assert_eq!(
        app.data(".outcome", "failure").await.as_deref(),
        Some("aborted")
    );
    let states = app
        .js("[...document.querySelectorAll('#probes li')].map(li => li.dataset.state)")
        .await;
    assert!(
        states
            .as_array()
            .is_some_and(|all| !all.is_empty() && all.iter().all(|s| s == "failed")),
        "{states}"
    );
    // The form works again.
    assert_eq!(
        app.js("document.querySelector('#inspect').disabled").await,
        serde_json::Value::Bool(false)
    );
    harness.stop().await;
}

/// An `http` API called from the app served over `https`: Chromium blocks every probe as mixed
/// content before it leaves, and the report says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_names_mixed_content_like_chromium() {
    let harness = Harness::start_with(Network::AppOverHttps).await;
    let app = harness.open_app().await;
    assert_eq!(
        app.js("window.isSecureContext && location.origin").await,
        serde_json::Value::from(crate::harness::HTTPS_APP.trim_end_matches('/'))
    );
    let port = harness.lab.rsplit(':').next().unwrap_or_default();
    let url = format!("http://{}:{port}/s/token-ok", crate::harness::LAB_HOST);
    app.inspect(&url).await;
    let chromium = app.chromium_verdict(&url, crate::VERDICT_WAIT).await;
    assert_eq!(
        chromium.and_then(|v| v.blocked_reason).as_deref(),
        Some("mixed-content")
    );
    assert_eq!(top(&app).await, ["mixed-content", "mixed-content", ""]);
    harness.stop().await;
}
