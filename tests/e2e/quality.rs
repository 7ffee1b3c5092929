//! The page's own hygiene: a strict Content-Security-Policy it works under, untrusted strings
//! rendered as text, and no request to any host but the target.

use std::time::Duration;

use crate::harness::{Harness, origin};

/// The policy forbids inline and `eval`ed script (WebAssembly compilation aside), and the app
/// works under it: the loader is a file of its own, and nothing the app does is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_works_under_a_strict_content_security_policy() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    let policy = app
        .js("document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]')?.content ?? ''")
        .await;
    let policy = policy.as_str().unwrap_or_default();
    let script_src = policy
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap_or_else(|| panic!("no script-src in {policy:?}"));
    assert!(!script_src.contains("unsafe-inline"), "{script_src}");
    assert!(!script_src.contains("'unsafe-eval'"), "{script_src}");
    assert!(policy.starts_with("default-src 'none'"), "{policy}");
    app.inspect(&harness.scenario_url("basic-challenge", "csp"))
        .await;
    app.inspect(&harness.scenario_url("no-cors-at-all", "csp"))
        .await;
    let refused: Vec<String> = app
        .console_lines()
        .into_iter()
        .filter(|line| line.contains("Content Security Policy"))
        .collect();
    assert!(refused.is_empty(), "{refused:#?}");
    // The Public Suffix List came in after the first paint, from the page's own origin, once.
    let suffixes = app
        .js("performance.getEntriesByType('resource').filter(e => e.name.endsWith('/public-suffixes.txt')).map(e => e.responseStatus)")
        .await;
    assert_eq!(suffixes, serde_json::json!([200]));
    // The policy is in force: an inline script does not run, and Chromium says why.
    let ran = app
        .js("(() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = true'; document.body.append(s); return window.inlineRan === true; })()")
        .await;
    assert_eq!(ran, serde_json::Value::Bool(false));
    crate::harness::wait_for("the CSP report", Duration::from_secs(5), || async {
        app.console_lines()
            .iter()
            .any(|line| line.contains("Content Security Policy"))
            .then_some(())
    })
    .await;
    harness.stop().await;
}

/// A server whose challenge, headers and body are markup and script, a URL, a console line and
/// a pasted answer that carry some too: everything shows as text, nothing runs, nothing new lands in the DOM —
/// and the page contacts no host but its own and the target.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_strings_show_as_text_and_nothing_runs() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    let url = format!(
        "{}/hostile?q=<img src=x onerror=window.pwned=7>",
        harness.lab
    );
    app.inspect(&url).await;
    let report = app.text("#report").await.unwrap_or_default();
    assert!(report.contains(why401_lab::HOSTILE_BODY), "{report}");
    assert!(report.contains(why401_lab::HOSTILE_CHALLENGE), "{report}");
    assert!(
        report.contains("<iframe src=javascript:window.pwned=6>"),
        "{report}"
    );
    // A console line with markup in every quoted part.
    app.inspect(&harness.scenario_url("no-cors-at-all", "hostile"))
        .await;
    app.paste_into(
        "#console",
        "Access to fetch at '<img src=x onerror=window.pwned=8>' from origin '<b>x</b>' has been blocked by CORS policy: Request header field <img src=x onerror=window.pwned=9> is not allowed by Access-Control-Allow-Headers in preflight response.",
    )
    .await;
    app.wait_for_js(
        "the console line's verdict",
        "document.querySelector('#console-verdict') !== null",
    )
    .await;
    let verdict = app.text("#console-verdict").await.unwrap_or_default();
    assert!(
        verdict.contains("<img src=x onerror=window.pwned=9>"),
        "{verdict}"
    );
    // A pasted answer with markup in its status, challenge, cookie and body.
    app.paste_into(
        "#pasted",
        "HTTP/1.1 401 <img src=x onerror=window.pwned=10>\nWWW-Authenticate: Bearer realm=\"<script>window.pwned=11</script>\"\nSet-Cookie: <img src=x onerror=window.pwned=12>=1; SameSite=Lax\n\n<iframe src=javascript:window.pwned=13>",
    )
    .await;
    app.wait_for_js(
        "the pasted answer's verdict",
        "document.querySelector('#pasted-verdict') !== null",
    )
    .await;
    // Read as browsers read it: the name ends at the first `=`.
    let decoded = app.text("#decoded-cookies").await.unwrap_or_default();
    assert!(decoded.contains("<img src:"), "{decoded}");
    let verdict = app.text("#pasted-verdict").await.unwrap_or_default();
    assert!(verdict.contains("401"), "{verdict}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        app.js("window.pwned ?? null").await,
        serde_json::Value::Null
    );
    assert_eq!(
        app.js("document.querySelectorAll('#report :is(img, script, iframe, style, b, a[href^=\"javascript\"])').length")
            .await,
        serde_json::Value::from(0)
    );
    let allowed = [origin(&harness.app), origin(&harness.lab)];
    let requested = app.requested_urls();
    for expected in &allowed {
        assert!(
            requested.iter().any(|u| origin(u) == *expected),
            "no request to {expected} recorded: {requested:#?}"
        );
    }
    let elsewhere = app.requested_outside(&allowed);
    assert!(
        elsewhere.is_empty(),
        "requests to other hosts: {elsewhere:#?}"
    );
    harness.stop().await;
}

/// axe-core finds nothing to fault on the page's states — empty, a readable 401 with the
/// options open, a blocked request with its findings, console box and a pasted line, a pasted
/// answer with its cookies decoded and one refused, the share panel, a result opened from a link
/// and a link refused, the Stop button while probes run — in light and dark, at desktop and
/// phone widths.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_violations() {
    let harness = Harness::start().await;
    let mut faults = Vec::new();
    // Of the other tabs (a link opened), while `check` holds `faults`.
    let mut elsewhere = Vec::new();
    for (scheme, width) in [("light", 1280), ("dark", 360)] {
        let app = harness.open_app().await;
        app.emulate(width, 800, scheme).await;
        let mut check = async |state: &str| {
            for violation in app.axe_violations().await {
                faults.push(format!("{scheme} {width}px, {state}: {violation}"));
            }
        };
        check("empty").await;
        app.open_options().await;
        app.inspect(&harness.scenario_url("basic-challenge", "axe"))
            .await;
        check("readable 401, options open").await;
        app.inspect(&harness.scenario_url("no-cors-at-all", "axe"))
            .await;
        check("blocked, findings and console box").await;
        app.paste_into("#console", "not a console line").await;
        check("console line refused").await;
        app.inspect(&harness.scenario_url("wildcard-allow-headers", "axe"))
            .await;
        check("latent note").await;
        let session = why401_lab::SCENARIOS
            .iter()
            .find(|s| s.name == "session-cookie-lax")
            .unwrap_or_else(|| panic!("no session-cookie-lax scenario"));
        app.choose("#credentials", "include").await;
        app.inspect(&harness.url_of(session, "axe")).await;
        app.paste_curl(None).await;
        check("pasted answer, cookies decoded").await;
        app.paste_into("#pasted", "not an answer").await;
        check("pasted text refused").await;
        let link = app.share_link().await;
        app.js("document.querySelector('#share-preview').open = true")
            .await;
        check("share panel, preview open").await;
        let address = link.split('#').next().unwrap_or_default();
        for (state, url) in [
            ("shared result", link.clone()),
            ("link refused", format!("{address}#1.damaged")),
        ] {
            let tab = harness.open(&url).await;
            tab.emulate(width, 800, scheme).await;
            tab.wait_for_js(
                "the shared report",
                "['done', 'link-refused'].includes(document.querySelector('#report')?.dataset.state)",
            )
            .await;
            for violation in tab.axe_violations().await {
                elsewhere.push(format!("{scheme} {width}px, {state}: {violation}"));
            }
            let _ = tab.page.clone().close().await;
        }
        // A tab in the background gets no animation frames, which axe waits for.
        let _ = app.page.bring_to_front().await;
        app.choose("#credentials", "same-origin").await;
        app.type_url(&format!("{}/delay/3000", harness.lab)).await;
        app.js("document.querySelector('#inspect').click()").await;
        app.wait_for_js(
            "the Stop button",
            "document.querySelector('#stop') !== null",
        )
        .await;
        check("probes running").await;
    }
    faults.extend(elsewhere);
    assert!(faults.is_empty(), "{faults:#?}");
    harness.stop().await;
}

/// The report around a finding: the exchange as a timeline, the challenge, credentials and token
/// decoded (times relative to the capture), the steps and fixes, and the raw view.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_decodes_the_exchange_and_explains_the_top_finding() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    app.open_options().await;
    let token = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJsYWIiLCJleHAiOjQxMDI0NDQ4MDAwMDB9.c2lnbmF0dXJl";
    app.type_into("#headers", &format!("Authorization: Bearer {token}"))
        .await;
    app.inspect(&harness.scenario_url("token-in-milliseconds", "report"))
        .await;
    let state = |step: &str| format!("#timeline li[data-step='{step}']");
    for (step, expected) in [
        ("preflight", "ok"),
        ("request", "ok"),
        ("response", "failed"),
    ] {
        assert_eq!(
            app.data(&state(step), "state").await.as_deref(),
            Some(expected),
            "{step}"
        );
    }
    assert_eq!(
        app.data("#verdict", "cause").await.as_deref(),
        Some("token-exp-in-milliseconds")
    );
    assert!(
        app.text("#decoded-challenge [data-scheme='Bearer']")
            .await
            .is_some_and(|t| t.contains("error = invalid_token"))
    );
    let exp = app
        .text("#decoded-token [data-claim='exp']")
        .await
        .unwrap_or_default();
    assert!(exp.contains("4102444800000 (in "), "{exp}");
    let top = app
        .text("[data-rank='1'] .explain")
        .await
        .unwrap_or_default();
    assert!(top.contains("preflight"), "{top}");
    assert!(top.contains("If you run the server"), "{top}");
    let raw = app.text("#raw").await.unwrap_or_default();
    assert!(raw.contains("www-authenticate: Bearer"), "{raw}");
    harness.stop().await;
}
