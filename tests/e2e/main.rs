//! End-to-end tests: the built app in real headless Chromium against the real lab on a second
//! origin. Needs `dist/` (make dist) and Chromium (make test installs both).
#![cfg(not(target_arch = "wasm32"))]

mod commands;
mod harness;
mod network;
mod quality;
mod security;
mod share;

use std::time::Duration;

use harness::{Harness, Tab};
use why401_core::infer::Hypothesis;
use why401_lab::scenario::CookieVerdict;
use why401_lab::scenario::{Expect, Scenario};
use why401_lab::{COOKIE_VERDICTS, LabHost, SCENARIOS};

/// How long Chromium may take to report a failure after the page's fetch rejected.
const VERDICT_WAIT: Duration = Duration::from_secs(3);

fn scenario(name: &str) -> &'static Scenario {
    SCENARIOS
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no lab scenario {name}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_shows_a_readable_401_and_its_exposed_challenge() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    let url = harness.scenario_url("basic-challenge", "readable");

    app.inspect(&url).await;

    assert_eq!(
        app.data("#report .outcome", "outcome").await.as_deref(),
        Some("response")
    );
    assert_eq!(
        app.data("#report .outcome", "status").await.as_deref(),
        Some("401")
    );
    assert_eq!(
        app.data("#report .outcome", "responseType")
            .await
            .as_deref(),
        Some("cors")
    );
    assert_eq!(
        app.text(".verdict").await.as_deref(),
        Some("401 Unauthorized")
    );
    let challenge = app
        .text("tr[data-header='www-authenticate'] td:last-child")
        .await;
    assert_eq!(
        challenge.as_deref(),
        Some("Basic realm=\"why401 lab\", charset=\"UTF-8\""),
        "the exposed challenge is shown as sent"
    );
    assert!(
        app.text("pre.body")
            .await
            .is_some_and(|b| b.contains("unauthorized")),
        "the 401's body is shown"
    );
    // Other probes of the same URL may end `net::ERR_ABORTED` (an opaque body nobody reads);
    // none may fail CORS.
    let verdicts = app
        .chromium_verdicts(&url, Duration::from_millis(300))
        .await;
    assert!(
        verdicts.iter().all(|v| v.cors_error.is_none()),
        "Chromium must report no CORS failure for a readable 401: {verdicts:?}"
    );
    drop(app);
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_lists_an_unexposed_challenge_as_not_readable() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    let url = harness.scenario_url("challenge-not-exposed", "hidden");

    app.inspect(&url).await;

    assert_eq!(
        app.data("#report .outcome", "status").await.as_deref(),
        Some("401")
    );
    assert!(
        app.text("tr[data-header='www-authenticate']")
            .await
            .is_none()
    );
    assert_eq!(
        app.data("#hidden-headers [data-hidden='www-authenticate']", "hidden")
            .await
            .as_deref(),
        Some("www-authenticate"),
        "a challenge hidden by CORS is recorded as not readable, not silently absent"
    );
    drop(app);
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_reports_a_cors_failure_that_chromium_names() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    let name = "no-cors-at-all";
    let url = harness.scenario_url(name, "blocked");

    app.inspect(&url).await;

    assert_eq!(
        app.data("#report .outcome", "outcome").await.as_deref(),
        Some("failed")
    );
    assert_eq!(
        app.data("#report .outcome", "failure").await.as_deref(),
        Some("network")
    );
    assert_eq!(
        app.text(".error-words").await.as_deref(),
        Some("TypeError: Failed to fetch"),
        "the engine's own words are shown"
    );
    let verdict = app
        .chromium_verdict(&url, VERDICT_WAIT)
        .await
        .unwrap_or_else(|| panic!("Chromium reported no failure for {url}"));
    let Expect::Blocked(expected) = scenario(name).expect else {
        panic!("{name} is declared readable");
    };
    assert_eq!(
        verdict.cors_error.as_deref(),
        Some(expected.as_str()),
        "{verdict:?}"
    );
    drop(app);
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_refuses_bad_urls_with_a_sentence_and_sends_nothing() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    let foreign_requests = "performance.getEntriesByType('resource')\
        .filter(e => !e.name.startsWith(location.origin)).length";

    for (input, expected) in [
        ("", "Enter the URL"),
        ("ftp://example.com/file", "“ftp:” URLs cannot be fetched"),
        ("api.example.com/v1", "has no scheme"),
        ("https://user:secret@example.com/", "user name or password"),
    ] {
        app.inspect(input).await;
        assert_eq!(
            app.data("#report", "state").await.as_deref(),
            Some("invalid"),
            "{input}"
        );
        let message = app.text("#report .problem").await.unwrap_or_default();
        assert!(message.contains(expected), "{input:?}: {message:?}");
        let cause = app
            .text("#report .problem [data-cause='invalid-url']")
            .await
            .unwrap_or_default();
        assert!(
            cause.contains(expected),
            "{input:?} is refused as invalid-url: {cause:?}"
        );
    }
    assert_eq!(
        app.js(foreign_requests).await,
        serde_json::Value::from(0),
        "a refused URL must not be fetched"
    );
    drop(app);
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_sends_the_headers_box_and_runs_every_probe() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    let url = harness.scenario_url("token-ok", "headers");
    app.open_options().await;
    app.type_into("#headers", "Authorization: Bearer lab-good-token")
        .await;

    app.inspect(&url).await;

    assert_eq!(app.data("#report", "state").await.as_deref(), Some("done"));
    assert_eq!(
        app.data("#report .outcome", "status").await.as_deref(),
        Some("200"),
        "the token was sent"
    );
    let probes = app
        .js("[...document.querySelectorAll('#probes li')].map(li => [li.dataset.probe, li.dataset.state])")
        .await;
    assert_eq!(
        probes,
        serde_json::json!([
            ["as-given preflighted-without-credentials", "response"],
            ["reachability", "response"],
            ["simple", "response"],
            ["redirect-check", "response"],
        ]),
        "every probe of the plan ran once"
    );
    let reach = app
        .text("#probes li[data-probe='reachability'] .probe-result")
        .await
        .unwrap_or_default();
    assert!(reach.starts_with("answered (opaque)"), "{reach}");
    let simple = app
        .text("#probes li[data-probe='simple'] .probe-result")
        .await
        .unwrap_or_default();
    assert!(
        simple.starts_with("401 (cors)"),
        "without the token the lab says 401: {simple}"
    );
    drop(app);
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_refuses_forbidden_headers_and_asks_before_unsafe_methods() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    let url = harness.scenario_url("token-ok", "unsafe");
    app.open_options().await;
    app.type_into("#headers", "Cookie: sid=1").await;
    app.inspect(&url).await;
    assert_eq!(
        app.data("#report", "state").await.as_deref(),
        Some("invalid")
    );
    let message = app.text("#report .problem").await.unwrap_or_default();
    assert!(
        message.contains("browsers do not let a page set Cookie"),
        "{message}"
    );

    app.type_into("#headers", "Authorization: Bearer lab-good-token")
        .await;
    app.choose("#method", "DELETE").await;
    app.click_and_wait("#inspect").await;
    assert_eq!(
        app.data("#report", "state").await.as_deref(),
        Some("confirm")
    );
    let lab_requests =
        "performance.getEntriesByType('resource').filter(e => e.name.includes('t=unsafe')).length";
    assert_eq!(
        app.js(lab_requests).await,
        serde_json::Value::from(0),
        "nothing is sent before the yes"
    );

    app.click_and_wait("#confirm-send").await;
    app.wait_for_js(
        "every probe",
        "document.querySelector('#report')?.dataset.state === 'done'",
    )
    .await;
    // The lab's preflight allows GET, HEAD and OPTIONS only: Chromium blocks the DELETE.
    assert_eq!(
        app.data("#report .outcome", "outcome").await.as_deref(),
        Some("failed")
    );
    let methods = app
        .js("[...document.querySelectorAll('#probes .probe-sent')].map(c => c.textContent.split(' ')[0])")
        .await;
    let deletes = methods
        .as_array()
        .map_or(0, |m| m.iter().filter(|v| *v == "DELETE").count());
    assert_eq!(
        deletes, 1,
        "only the as-given probe sends DELETE: {methods}"
    );
    drop(app);
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn release_build_works_under_a_sub_path() {
    let harness = Harness::start().await;
    let url = format!("{}{}", harness.app.trim_end_matches('/'), harness::SUB_PATH);
    let app = harness.open_app_at(&url).await;

    app.inspect(&harness.scenario_url("token-ok", "sub-path"))
        .await;

    assert_eq!(
        app.data("#report .outcome", "status").await.as_deref(),
        Some("401")
    );
    let loaded_outside = app
        .js(
            "performance.getEntriesByType('resource').map(e => new URL(e.name))\
             .filter(u => u.origin === location.origin && !u.pathname.startsWith('/some/path/'))\
             .map(u => u.pathname)",
        )
        .await;
    assert_eq!(
        loaded_outside,
        serde_json::json!([]),
        "every asset must load from under the sub-path"
    );
    // What a chat tool shows for a pasted link.
    let preview = app
        .js("['og:title', 'og:description', 'og:type'].map(p => document.querySelector(`meta[property=\"${p}\"]`)?.content ?? null)")
        .await;
    assert!(
        preview.as_array().is_some_and(|tags| tags
            .iter()
            .all(|t| t.as_str().is_some_and(|t| !t.is_empty()))),
        "{preview}"
    );
    drop(app);
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lab_index_lists_every_scenario_with_its_cause() {
    let harness = Harness::start().await;
    let app = harness.open(&format!("{}/", harness.lab)).await;
    app.wait_for_js(
        "the scenario list",
        "document.querySelector('table') !== null",
    )
    .await;
    for scenario in SCENARIOS {
        let row = app
            .text(&format!("a[href='/s/{}']", scenario.name))
            .await
            .unwrap_or_else(|| panic!("GET / does not link {}", scenario.name));
        assert_eq!(row, format!("/s/{}", scenario.name));
    }
    let listed = app
        .js("document.querySelectorAll('a[href^=\"/s/\"]').length")
        .await;
    assert_eq!(listed, serde_json::Value::from(SCENARIOS.len()));
    let page = app.text("table").await.unwrap_or_default();
    for cause in SCENARIOS.iter().filter_map(|s| s.cause) {
        assert!(page.contains(cause.as_str()), "GET / does not name {cause}");
    }
    let page = app.text("body").await.unwrap_or_default();
    for scenario in why401_lab::NETWORK_SCENARIOS {
        assert!(
            page.contains(scenario.title) && page.contains(scenario.cause.as_str()),
            "GET / does not list the condition {}",
            scenario.name
        );
    }
    drop(app);
    harness.stop().await;
}

/// The lab's own contract: every scenario's request, sent from the app's origin, gets exactly the
/// verdict the scenario declares — checked against Chromium's `corsErrorStatus`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lab_scenarios_behave_in_chromium_as_declared() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    let mut agree = 0;
    let mut disagreements = Vec::new();
    for scenario in SCENARIOS {
        let url = harness.url_of(scenario, "oracle");
        if scenario.needs_third_party_cookies_blocked() {
            app.block_third_party_cookies(true).await;
        }
        if scenario.request.host == LabHost::Named {
            app.answer_lab_over_https().await;
        }
        let seen = send_scenario_request(&app, scenario, &url).await;
        let verdict = app.chromium_verdict(&url, verdict_wait(&seen)).await;
        let observed = match (&seen["ok"], &verdict) {
            (serde_json::Value::Bool(true), None) => {
                format!(
                    "readable {} (redirected: {})",
                    seen["status"], seen["redirected"]
                )
            }
            (_, Some(v)) => match &v.cors_error {
                Some(error) => format!(
                    "blocked {error}{}",
                    parameter(v.failed_parameter.as_deref())
                ),
                None => format!("failed {}", v.error_text),
            },
            (_, None) => format!("failed without a Chromium verdict: {seen}"),
        };
        let expected = match scenario.expect {
            Expect::Readable(status) => {
                let redirected = scenario.response.location.is_some();
                format!("readable {status} (redirected: {redirected})")
            }
            Expect::Blocked(error) => format!(
                "blocked {error}{}",
                parameter(verdict.as_ref().and_then(|v| v.failed_parameter.as_deref()))
            ),
            Expect::Failed(text) => format!("failed {text}"),
        };
        // What Chromium made of the cookie the answer set, where the scenario is about one.
        let cookie_verdict = COOKIE_VERDICTS.iter().find(|v| v.scenario == scenario.name);
        let (expected, observed) = match cookie_verdict {
            Some(&CookieVerdict { reason, .. }) => {
                let blocked = app.blocked_cookies(&url, Duration::ZERO).await;
                (
                    format!("{expected}, cookie {reason}"),
                    format!("{observed}, cookie {}", blocked.join(" ")),
                )
            }
            None => (expected, observed),
        };
        println!(
            "{:<28} expected {expected:<50} observed {observed}",
            scenario.name
        );
        if observed == expected {
            agree += 1;
        } else {
            disagreements.push(format!(
                "{}: expected {expected}, observed {observed}",
                scenario.name
            ));
        }
    }
    println!(
        "{agree}/{} lab scenarios behave in Chromium as declared",
        SCENARIOS.len()
    );
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    drop(app);
    harness.stop().await;
}

/// The answer first: above the response, the verdict, the line it rests on, the first thing to
/// change once the fixes are loaded, and whether a web page may read the answer; when the probes
/// cannot settle it, the one step that would.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_puts_the_answer_first() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    app.inspect(&harness.scenario_url("basic-challenge", "answer"))
        .await;
    let above = app
        .js("!!(document.querySelector('#answer').compareDocumentPosition(document.querySelector('#report .outcome')) & Node.DOCUMENT_POSITION_FOLLOWING)")
        .await;
    assert_eq!(above, true, "the answer sits above the response");
    assert!(app.text("#verdict-reason").await.is_some());
    assert_eq!(
        app.data("#page-access", "access").await.as_deref(),
        Some("readable")
    );
    app.wait_for_js(
        "the fix for the user's code",
        "document.querySelector('#first-fix')?.textContent.includes('Send the credentials the challenge asks for')",
    )
    .await;
    assert!(app.text("#deciding-step").await.is_none());
    app.inspect(&harness.scenario_url("no-cors-at-all", "answer"))
        .await;
    assert_eq!(
        app.data("#page-access", "access").await.as_deref(),
        Some("blocked")
    );
    assert!(
        app.text("#deciding-step")
            .await
            .is_some_and(|s| s.contains("one step decides")),
        "an unsettled verdict names the step that settles it"
    );
    drop(app);
    harness.stop().await;
}

/// A request the user says runs outside a browser: this page being refused the answer is not the
/// user's failure, and the report says so instead of asking for CORS headers; once the user
/// pastes what curl printed, the server's own reason leads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_does_not_blame_cors_for_a_request_that_runs_outside_a_browser() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    let scenario = SCENARIOS
        .iter()
        .find(|s| s.name == "no-cors-on-401")
        .unwrap_or_else(|| panic!("no scenario no-cors-on-401"));
    app.choose("#caller", "outside").await;
    app.type_request(scenario).await;
    app.inspect(&harness.scenario_url(scenario.name, "outside"))
        .await;
    assert_eq!(
        app.data("#verdict", "cause").await.as_deref(),
        Some("cors-blocks-pages-only")
    );
    let causes = app
        .js("[...document.querySelectorAll('#findings li[data-cause]')].map(li => li.dataset.cause).join(' ')")
        .await;
    assert!(
        !causes
            .as_str()
            .unwrap_or_default()
            .contains("cors-no-headers-on-error"),
        "{causes}"
    );
    let authorization = scenario
        .request
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .map(|(_, value)| *value);
    app.paste_curl(authorization).await;
    let top = app.data("#verdict", "cause").await.unwrap_or_default();
    assert!(!top.starts_with("cors-"), "after curl the verdict is {top}");
    drop(app);
    harness.stop().await;
}

/// Chromium's failed parameter, shown but not compared: it echoes the scenario's own values.
fn parameter(failed: Option<&str>) -> String {
    match failed {
        Some(p) if !p.is_empty() => format!(" [{p}]"),
        _ => String::new(),
    }
}

/// Every lab scenario through the real app: its own request typed into the form, the probes run
/// by Chromium, and the app's top explanation compared with Chromium's verdict on that request
/// (which `lab_scenarios_behave_in_chromium_as_declared` checks, and which is also read from the
/// DevTools protocol here). Where the two differ, Chromium's verdict must be among the app's
/// explanations and the app must show the step that separates them. Then the user's part: the
/// request is sent once more as the user's own app would send it, the console line Chromium
/// writes about it is pasted into the report, and the top explanation must now be Chromium's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_inference_agrees_with_chromium() {
    let harness = Harness::start().await;
    let mut tally = Tally::default();
    for scenario in SCENARIOS {
        let app = harness.open_app().await;
        check_scenario(&harness, &app, scenario, &mut tally).await;
        drop(app);
    }
    let Tally {
        agree,
        agree_with_console,
        with_curl,
        wrong,
        mut named,
        unnamed,
    } = tally;
    println!(
        "{agree}/{} scenarios agree from the probes alone",
        SCENARIOS.len()
    );
    println!(
        "{agree_with_console}/{} scenarios agree with the console line pasted",
        SCENARIOS.len()
    );
    println!(
        "{with_curl}/{} scenarios name their cause first only with what curl -i printed pasted",
        SCENARIOS.len()
    );
    harness.stop().await;
    // The conditions no server makes, each under its own browser set-up.
    for scenario in why401_lab::NETWORK_SCENARIOS {
        let (harness, _, _) = network::inspect_under(scenario.name).await;
        named.push(scenario.cause);
        harness.stop().await;
    }
    // A URL no browser can request is refused before anything is sent, under its cause.
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    app.inspect("ftp://user:secret@example.com/x").await;
    if app
        .text("#report [data-cause='invalid-url']")
        .await
        .is_some()
    {
        named.push(why401_core::CauseId::InvalidUrl);
    }
    drop(app);
    harness.stop().await;
    named.sort_unstable();
    named.dedup();
    println!(
        "{}/{} causes covered (a lab scenario shows it and the report names it first)",
        named.len(),
        why401_core::CauseId::ALL.len()
    );
    println!("scenarios whose cause is not named first: {unnamed:#?}");
    assert!(wrong.is_empty(), "{wrong:#?}");
    let unexpected: Vec<&String> = unnamed
        .iter()
        .filter(|line| {
            !UNDECIDABLE
                .iter()
                .any(|name| line.starts_with(&format!("{name}:")))
        })
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}");
}

/// The only scenario whose cause may miss the top, even with the console line and curl's output
/// pasted: Allow-Headers: * without credentials works in Chromium, so it is named as latent.
const UNDECIDABLE: &[&str] = &["wildcard-allow-headers"];

/// What `app_inference_agrees_with_chromium` counts.
#[derive(Default)]
struct Tally {
    agree: usize,
    agree_with_console: usize,
    /// Scenarios whose cause came first only after pasting what curl printed.
    with_curl: usize,
    wrong: Vec<String>,
    /// Causes a scenario shows and the report names first.
    named: Vec<why401_core::CauseId>,
    unnamed: Vec<String>,
}

/// One scenario through the app: Chromium's verdict against the top explanation, the console
/// line pasted when the probes cannot decide, and the scenario's cause against the top finding.
async fn check_scenario(harness: &Harness, app: &Tab, scenario: &Scenario, tally: &mut Tally) {
    let url = harness.url_of(scenario, "agree");
    if scenario.needs_third_party_cookies_blocked() {
        app.block_third_party_cookies(true).await;
    }
    if scenario.request.host == LabHost::Named {
        app.answer_lab_over_https().await;
    }
    inspect_scenario(app, scenario, &url).await;
    let top_cause = app.data("[data-rank='1']", "cause").await;
    let top_implied = app.data("[data-rank='1']", "implied").await;
    let implied = app
        .js("[...document.querySelectorAll('#findings li[data-cause]')].map(li => li.dataset.implied ?? null)")
        .await;
    let has_next_step = app.text("#next-step").await.is_some();
    let observed = match scenario.expect {
        Expect::Readable(_) => {
            // A problem Chromium lets through must still be named: seen in the answer, or latent.
            let named_cause = scenario.cause.filter(|cause| {
                Hypothesis::ALL
                    .iter()
                    .chain(Hypothesis::FROM_ANSWER)
                    .any(|h| h.cause() == Some(*cause))
            });
            if let Some(cause) = named_cause {
                let selector = format!(
                    "#findings [data-cause='{0}'], #latent [data-cause='{0}']",
                    cause.as_str()
                );
                if app.text(&selector).await.is_none() {
                    tally.wrong.push(format!(
                        "{}: readable in Chromium, but {cause} is not named",
                        scenario.name
                    ));
                }
            }
            // Chromium reports no CORS error: nor may the top finding (there may be none:
            // nothing wrong).
            no_cors_error(scenario, "readable", top_implied.as_deref(), tally);
            format!("top {top_cause:?}")
        }
        Expect::Failed(text) => {
            refused_in_chromium(app, scenario, &url, text, top_implied.as_deref(), tally).await;
            format!("top {top_cause:?}")
        }
        Expect::Blocked(error) => {
            let chromium = app
                .chromium_verdicts(&url, Duration::from_millis(300))
                .await;
            assert!(
                chromium
                    .iter()
                    .any(|v| v.cors_error.as_deref() == Some(error.as_str())),
                "{}: Chromium did not report {error} for the app's probes: {chromium:?}",
                scenario.name
            );
            let listed = implied
                .as_array()
                .is_some_and(|all| all.iter().any(|v| v == error.as_str()));
            if top_implied.as_deref() == Some(error.as_str()) {
                tally.agree += 1;
                tally.agree_with_console += 1;
                format!("top {top_implied:?}, all {implied}")
            } else {
                if !(listed && has_next_step) {
                    tally.wrong.push(format!(
                        "{}: Chromium says {error}, app lists {implied} (next step shown: {has_next_step})",
                        scenario.name
                    ));
                }
                let own_url = harness.url_of(scenario, "own-app");
                let (verdict, settled) = paste_console_line(app, scenario, &own_url).await;
                if settled.as_deref() == Some(error.as_str()) {
                    tally.agree_with_console += 1;
                } else {
                    tally.wrong.push(format!(
                        "{}: with Chromium's console line the app says {settled:?} ({verdict:?}), Chromium {error}",
                        scenario.name
                    ));
                }
                format!(
                    "top {top_implied:?}, all {implied}; console line: {verdict:?}, top {settled:?}"
                )
            }
        }
    };
    // The cause the scenario shows must be the report's top finding, once the user has done what
    // the report asked (pasted the console line, then what curl -i prints).
    let mut observed = observed;
    if let Some(note) = paste_curl_when_unnamed(app, scenario, tally).await {
        observed = format!("{observed}; {note}");
    }
    let top_cause = app.data("[data-rank='1']", "cause").await;
    if let Some(cause) = scenario.cause {
        if top_cause.as_deref() == Some(cause.as_str()) {
            tally.named.push(cause);
        } else {
            tally
                .unnamed
                .push(format!("{}: {cause}, top {top_cause:?}", scenario.name));
        }
    }
    println!("{:<28} {observed}; top cause {top_cause:?}", scenario.name);
}

/// A scenario whose answer Chromium refuses before any CORS check: Chromium must say so, and the
/// app's top finding may imply no CORS error.
async fn refused_in_chromium(
    app: &Tab,
    scenario: &Scenario,
    url: &str,
    text: &str,
    top_implied: Option<&str>,
    tally: &mut Tally,
) {
    let chromium = app.chromium_verdicts(url, Duration::from_millis(300)).await;
    assert!(
        chromium.iter().any(|v| v.error_text == text),
        "{}: Chromium did not report {text} for the app's probes: {chromium:?}",
        scenario.name
    );
    no_cors_error(scenario, text, top_implied, tally);
}

/// Chromium reported no CORS error for the scenario (`what` it did instead): the app's top
/// finding agrees when it implies none either.
fn no_cors_error(scenario: &Scenario, what: &str, top_implied: Option<&str>, tally: &mut Tally) {
    if top_implied.is_none() {
        tally.agree += 1;
        tally.agree_with_console += 1;
    } else {
        tally.wrong.push(format!(
            "{}: {what} in Chromium, the app implies {top_implied:?}",
            scenario.name
        ));
    }
}

/// The user's last part when the top finding is not yet the scenario's cause: what curl -i
/// prints for the command the report shows, pasted into the report. Returns a note on it.
async fn paste_curl_when_unnamed(
    app: &Tab,
    scenario: &Scenario,
    tally: &mut Tally,
) -> Option<String> {
    let top_cause = app.data("[data-rank='1']", "cause").await;
    let cause = scenario.cause?;
    if top_cause.as_deref() == Some(cause.as_str()) {
        return None;
    }
    let authorization = scenario
        .request
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .map(|(_, value)| *value);
    let verdict = app.paste_curl(authorization).await;
    if let Expect::Blocked(error) = scenario.expect {
        // What Chromium reported stays what the top finding implies.
        let implied = app.data("[data-rank='1']", "implied").await;
        if implied.as_deref() != Some(error.as_str()) {
            tally.wrong.push(format!(
                "{}: after pasting curl the app implies {implied:?}, Chromium {error}",
                scenario.name
            ));
        }
    }
    tally.with_curl += 1;
    Some(format!("curl: {verdict:?}"))
}

/// The user's part when the probes cannot decide: the scenario's request sent once more, as the
/// user's own app would send it, and the console line Chromium writes about it pasted into the
/// report. Returns what the report made of the line and its new top `CorsError`.
async fn paste_console_line(
    app: &Tab,
    scenario: &Scenario,
    url: &str,
) -> (Option<String>, Option<String>) {
    send_scenario_request(app, scenario, url).await;
    let line = app.console_line(url).await;
    app.paste_into("#console", &line).await;
    app.wait_for_js(
        "the console line's verdict",
        "document.querySelector('#console-verdict') !== null",
    )
    .await;
    (
        app.data("#console-verdict", "console").await,
        app.data("[data-rank='1']", "implied").await,
    )
}

/// Types a scenario's request into the app's form, inspects `url` (confirming an unsafe method)
/// and waits for the complete report.
async fn inspect_scenario(app: &Tab, scenario: &Scenario, url: &str) {
    app.type_request(scenario).await;
    app.inspect(url).await;
    if app.data("#report", "state").await.as_deref() == Some("confirm") {
        app.click_and_wait("#confirm-send").await;
    }
    app.wait_for_js(
        "every probe",
        "document.querySelector('#report')?.dataset.state === 'done'",
    )
    .await;
}

/// A rejected fetch gets time for Chromium's report to arrive; a readable one only a moment, to
/// catch a stray failure report.
fn verdict_wait(seen: &serde_json::Value) -> Duration {
    if seen["ok"] == serde_json::Value::Bool(true) {
        Duration::from_millis(200)
    } else {
        VERDICT_WAIT
    }
}

/// Sends a scenario's request with `fetch()` from the app's page, outside the app's UI, and
/// returns what the page saw.
async fn send_scenario_request(app: &Tab, scenario: &Scenario, url: &str) -> serde_json::Value {
    let headers: serde_json::Map<String, serde_json::Value> = scenario
        .request
        .headers
        .iter()
        .map(|(n, v)| ((*n).to_owned(), serde_json::Value::from(*v)))
        .collect();
    let init = serde_json::json!({
        "method": scenario.request.method,
        "headers": headers,
        "credentials": scenario.request.credentials.as_str(),
        "cache": "no-store",
    });
    let expression = format!(
        "(async () => {{ try {{ const r = await fetch({url}, {init}); \
         return {{ ok: true, status: r.status, type: r.type, redirected: r.redirected, url: r.url }}; \
         }} catch (e) {{ return {{ ok: false, name: e.name, message: e.message }}; }} }})()",
        url = serde_json::Value::from(url),
    );
    app.js(&expression).await
}
