//! What stops a request before any server answers, through the real app in headless Chromium:
//! Local Network Access, mixed content, a closed port, a server too slow for the time limit, and
//! the user's own Stop.

use std::time::{Duration, Instant};

use why401_lab::{Condition, NETWORK_SCENARIOS, NetworkExpect};

use crate::harness::{HTTPS_APP, Harness, LAB_HOST, Network, Tab};

/// A network scenario of the lab through the app: the condition set up, the request inspected,
/// Chromium's verdict compared with the declaration, and the app's top finding with its cause.
/// Returns the harness, the tab and the inspected URL for further checks.
pub async fn inspect_under(name: &str) -> (Harness, Tab, String) {
    let scenario = NETWORK_SCENARIOS
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no network scenario {name}"));
    let harness = Harness::start_with(match scenario.condition {
        Condition::PublicPageToLoopback => Network::AppIsPublic,
        Condition::HttpsPageToHttpApi => Network::AppOverHttps,
        Condition::ClosedPort | Condition::SlowerThanTimeLimit => Network::AllLoopback,
    })
    .await;
    let app = harness.open_app().await;
    let lab_port = harness
        .lab
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_owned();
    let url = match scenario.condition {
        Condition::ClosedPort => {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .unwrap_or_else(|e| panic!("bind: {e}"));
            let closed = listener
                .local_addr()
                .unwrap_or_else(|e| panic!("address: {e}"));
            format!("http://{closed}/api/me")
        }
        Condition::SlowerThanTimeLimit => {
            app.open_options().await;
            app.type_into("#timeout", "1").await;
            format!("{}/delay/5000", harness.lab)
        }
        Condition::PublicPageToLoopback => harness.scenario_url("token-ok", name),
        Condition::HttpsPageToHttpApi => format!("http://{LAB_HOST}:{lab_port}/s/token-ok"),
    };
    let started = Instant::now();
    app.inspect(&url).await;
    let chromium = app.chromium_verdict(&url, crate::VERDICT_WAIT).await;
    match scenario.expect {
        NetworkExpect::NetError(text) => {
            assert_eq!(chromium.map(|v| v.error_text).as_deref(), Some(text));
        }
        NetworkExpect::TimeLimit => {
            assert!(
                started.elapsed() < Duration::from_secs(4),
                "{:?}",
                started.elapsed()
            );
            assert_eq!(
                app.data(".outcome", "failure").await.as_deref(),
                Some("timeout")
            );
        }
        NetworkExpect::Cors(error) => {
            assert_eq!(
                chromium.and_then(|v| v.cors_error).as_deref(),
                Some(error.as_str())
            );
            assert_eq!(
                app.data("[data-rank='1']", "implied").await.as_deref(),
                Some(error.as_str())
            );
        }
        NetworkExpect::BlockedReason(reason) => {
            assert_eq!(
                chromium.and_then(|v| v.blocked_reason).as_deref(),
                Some(reason)
            );
        }
    }
    assert_eq!(
        app.data("[data-rank='1']", "cause").await.as_deref(),
        Some(scenario.cause.as_str()),
        "{name}"
    );
    assert_eq!(
        app.data("#findings", "confidence").await.as_deref(),
        Some("high"),
        "{name}"
    );
    (harness, app, url)
}

/// The app's page counts as public (as a hosted why401 does) and the lab stays on loopback:
/// Chromium refuses every probe for want of the Local Network Access permission. The page reads
/// the permission (`denied`), names the cause as Chromium does, and the console line agrees.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_names_local_network_access_like_chromium() {
    let (harness, app, url) = inspect_under("local-network-access").await;
    let line = app.console_line(&url).await;
    app.paste_into("#console", &line).await;
    app.wait_for_js(
        "the console line's verdict",
        "document.querySelector('#console-verdict')?.dataset.console === 'settled'",
    )
    .await;
    harness.stop().await;
}

/// An `http` API called from the app served over `https`: Chromium blocks every probe as mixed
/// content before it leaves, and the report says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_names_mixed_content_like_chromium() {
    let (harness, app, _) = inspect_under("mixed-content").await;
    assert_eq!(
        app.js("window.isSecureContext && location.origin").await,
        serde_json::Value::from(HTTPS_APP.trim_end_matches('/'))
    );
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
