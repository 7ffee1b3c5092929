//! A link from someone else is untrusted. Links here are built natively to the published format
//! (`#1.<base64url(zlib(JSON))>`), as an attacker would: what the page shows is what Re-run
//! sends, a header never splits into two, hidden characters are shown, a huge link keeps the
//! page responsive, a frame of another origin sends nothing, and every click that sends says
//! what it sends.

use std::fmt::Write as _;
use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::page::{CreateIsolatedWorldParams, GetFrameTreeParams};
use chromiumoxide::cdp::js_protocol::runtime::EvaluateParams;
use why401_core::cors::CredentialsMode;
use why401_core::evidence::{Evidence, PageContext};
use why401_core::plan::ProbeKind;
use why401_core::request::RequestSpec;
use why401_core::share::{MAX_EVIDENCE_BYTES, MAX_FRAGMENT_CHARS, encode};
use why401_core::target::AddressClass;
use why401_core::{Failure, ProbeOutcome, ResponseSeen};

use crate::harness::{Harness, Tab, origin, wait_for};

/// Evidence of `shown` whose probes are the ones `recorded` plans: every cross-origin probe
/// failed as CORS failures do, the `no-cors` one answered.
fn evidence(shown: &RequestSpec, recorded: &RequestSpec) -> Evidence {
    let context = PageContext::at("https://why401.example.org", false, AddressClass::Loopback);
    Evidence::planned(shown, recorded, context, 1_795_478_400, |planned| {
        if planned.kinds.contains(&ProbeKind::Reachability) {
            ProbeOutcome::Response(ResponseSeen::opaque())
        } else {
            ProbeOutcome::Failed(Failure::failed_to_fetch())
        }
    })
}

fn request(url: &str, credentials: CredentialsMode) -> RequestSpec {
    let mut spec = RequestSpec::get(url);
    spec.credentials = credentials;
    spec
}

/// The app's address with `evidence` as its fragment.
fn link(harness: &Harness, evidence: &Evidence) -> String {
    format!("{}#{}", harness.app, encode(evidence))
}

async fn opened(tab: &Tab) {
    tab.wait_for_js(
        "the shared report",
        "['done', 'link-refused'].includes(document.querySelector('#report')?.dataset.state)",
    )
    .await;
}

/// Whether any request went to `url`'s origin.
fn sent_to(tab: &Tab, url: &str) -> bool {
    tab.requested_urls()
        .iter()
        .any(|u| origin(u) == origin(url))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_shows_what_rerun_sends_or_is_refused() {
    let harness = Harness::start().await;
    let url = harness.scenario_url("basic-challenge", "shown-is-sent");
    let include = request(&url, CredentialsMode::Include);
    let omit = request(&url, CredentialsMode::Omit);

    // The request says include, its recorded probes omit: refused, nothing sent, form empty.
    let tab = harness
        .open(&link(&harness, &evidence(&include, &omit)))
        .await;
    opened(&tab).await;
    assert_eq!(
        tab.data("#link-problem", "linkError").await.as_deref(),
        Some("contradiction")
    );
    let sentence = tab.text("#link-problem").await.unwrap_or_default();
    assert!(sentence.contains("credentials"), "{sentence}");
    assert_eq!(
        tab.js("document.querySelector('#url').value").await,
        serde_json::Value::from("")
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!sent_to(&tab, &url), "{:#?}", tab.requested_urls());

    // A consistent one: the form, the probes and the words beside Re-run say include, and
    // Re-run sends exactly that.
    let tab = harness
        .open(&link(&harness, &evidence(&include, &include)))
        .await;
    opened(&tab).await;
    assert_eq!(
        tab.js("document.querySelector('#credentials').value").await,
        serde_json::Value::from("include")
    );
    let host = origin(&url).trim_start_matches("http://").to_owned();
    for (key, value) in [
        ("method", "GET"),
        ("host", host.as_str()),
        ("credentials", "include"),
        ("cookies", "sent"),
    ] {
        assert_eq!(
            tab.data("#rerun-sending", key).await.as_deref(),
            Some(value),
            "{key}"
        );
    }
    let words = tab.text("#rerun-sending").await.unwrap_or_default();
    assert!(
        words.contains(&host)
            && words.contains("credentials: include")
            && words.contains("cookies"),
        "{words}"
    );
    let as_given = tab
        .text("#probes [data-probe^='as-given'] .probe-sent")
        .await
        .unwrap_or_default();
    assert!(as_given.contains("credentials include"), "{as_given}");
    tab.js("document.querySelector('#rerun').click()").await;
    tab.wait_for_js(
        "the live re-run",
        "document.querySelector('#shared-banner') === null && \
         document.querySelector('#report')?.dataset.state === 'done'",
    )
    .await;
    assert!(sent_to(&tab, &url), "the re-run sent nothing to {url}");

    // An unsafe method: the confirmation names method, host, credentials and cookies.
    let mut post = request(&url, CredentialsMode::Omit);
    post.method = "POST".into();
    let tab = harness.open(&link(&harness, &evidence(&post, &post))).await;
    opened(&tab).await;
    tab.js("document.querySelector('#rerun').click()").await;
    tab.wait_for_js(
        "the confirmation",
        "document.querySelector('#report')?.dataset.state === 'confirm'",
    )
    .await;
    assert_eq!(
        tab.data("#confirm-sending", "cookies").await.as_deref(),
        Some("not-sent")
    );
    let button = tab.text("#confirm-send").await.unwrap_or_default();
    assert!(
        button.contains("POST") && button.contains(&host),
        "{button}"
    );
    let words = tab.text("#confirm-sending").await.unwrap_or_default();
    assert!(words.contains("credentials: omit"), "{words}");
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_header_never_splits_into_two() {
    let harness = Harness::start().await;
    let url = harness.scenario_url("basic-challenge", "smuggle");
    let mut smuggled = request(&url, CredentialsMode::Omit);
    smuggled.headers = vec![("X-Trace".into(), "a\r\nX-Injected: yes".into())];
    let tab = harness
        .open(&link(&harness, &evidence(&smuggled, &smuggled)))
        .await;
    opened(&tab).await;
    assert_eq!(
        tab.data("#link-problem", "linkError").await.as_deref(),
        Some("control-in-header")
    );
    let sentence = tab.text("#link-problem").await.unwrap_or_default();
    assert!(
        sentence.contains("X-Trace") && sentence.contains("U+000D"),
        "{sentence}"
    );
    let headers = tab.js("document.querySelector('#headers').value").await;
    assert!(
        !headers.as_str().unwrap_or_default().contains("X-Injected"),
        "{headers}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!sent_to(&tab, &url));

    // The form refuses a control character too, naming the header.
    let app = harness.open_app().await;
    app.open_options().await;
    app.paste_into("#headers", "X-Trace: a\u{1}b").await;
    app.inspect(&url).await;
    assert_eq!(
        app.data("#report", "state").await.as_deref(),
        Some("invalid")
    );
    let refusal = app.text("#report").await.unwrap_or_default();
    assert!(
        refusal.contains("X-Trace") && refusal.contains("U+0001"),
        "{refusal}"
    );
    // A blob: URL is named for its scheme.
    app.inspect("blob:https://example.com/3b1c").await;
    let refusal = app.text("#report").await.unwrap_or_default();
    assert!(refusal.contains("“blob:”"), "{refusal}");
    harness.stop().await;
}

/// The text of `#report` outside text boxes, with no hidden character in it.
const VISIBLE_TEXT: &str = "(() => { const walk = document.createTreeWalker(document.querySelector('#report'), NodeFilter.SHOW_TEXT); \
     let text = ''; while (walk.nextNode()) { if (walk.currentNode.parentElement.closest('textarea')) continue; text += walk.currentNode.data; } \
     return text; })()";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hidden_characters_are_shown_and_named() {
    let harness = Harness::start().await;
    let url = harness.scenario_url("basic-challenge", "spoof");
    let mut evidence = evidence(
        &request(&url, CredentialsMode::Omit),
        &request(&url, CredentialsMode::Omit),
    );
    evidence.pasted = Some(
        "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic realm=\"invoice-\u{202E}gnp.exe\"\nSet-Cookie: s\u{200B}id=1; Path=/; HttpOnly\n\n"
            .into(),
    );
    evidence.console_line = Some(format!(
        "Access to fetch at '{url}' from origin 'http://ev\u{2066}il.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
    ));
    let tab = harness.open(&link(&harness, &evidence)).await;
    opened(&tab).await;
    assert_eq!(tab.data("#report", "state").await.as_deref(), Some("done"));
    let text = tab.js(VISIBLE_TEXT).await;
    let text = text.as_str().unwrap_or_default();
    for hidden in ['\u{202E}', '\u{200B}', '\u{2066}'] {
        assert!(!text.contains(hidden), "{hidden:?} shown raw");
    }
    for (selector, point) in [
        ("#decoded-cookies", "U+200B"),
        ("#decoded-challenge", "U+202E"),
        ("#raw [data-probe='console-line']", "U+2066"),
    ] {
        let marks = tab
            .js(&format!(
                "document.querySelectorAll({}).length",
                serde_json::Value::from(format!(
                    "{selector} mark.hidden-char[data-code-point='{point}']"
                ))
            ))
            .await;
        assert!(
            marks.as_u64().unwrap_or(0) >= 1,
            "{selector}: no {point} mark"
        );
    }
    // The cookie that reads "sid" is named as another name.
    let note = tab
        .text("#lookalikes [data-lookalike='cookie name']")
        .await
        .unwrap_or_default();
    assert!(note.contains("reads “sid”"), "{note}");
    assert!(
        tab.js("document.querySelector('[data-hidden-in=\"pasted\"]') !== null")
            .await
            == serde_json::Value::Bool(true)
    );
    harness.stop().await;
}

/// Starts recording the page's long tasks (over 50 ms) into `window.longTasks`.
const RECORD_LONG_TASKS: &str = "(() => { window.longTasks = []; new PerformanceObserver(list => { \
     for (const e of list.getEntries()) window.longTasks.push(e.duration); }).observe({ type: 'longtask' }); return true; })()";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_link_keeps_the_page_responsive() {
    // Tasks are timed by the clock: no other test's browser may share the cores meanwhile.
    let harness = Harness::start_alone().await;
    let url = harness.scenario_url("basic-challenge", "huge");
    let mut evidence = evidence(
        &request(&url, CredentialsMode::Include),
        &request(&url, CredentialsMode::Include),
    );
    // 20,000 Set-Cookie lines, just under the 1 MB an unpacked link may hold.
    let mut pasted =
        String::from("HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic realm=\"lab\"\n");
    for i in 0..20_000 {
        let _ = writeln!(
            pasted,
            "Set-Cookie: c{}=v; Path=/; SameSite=None; Secure",
            i % 500
        );
    }
    pasted.push('\n');
    evidence.pasted = Some(pasted);
    let json = evidence.to_json();
    assert!(json.len() < MAX_EVIDENCE_BYTES, "{} bytes", json.len());
    let fragment = encode(&evidence);
    assert!(
        fragment.len() < MAX_FRAGMENT_CHARS,
        "{} characters",
        fragment.len()
    );

    let run = open_huge(&harness, &fragment).await;
    eprintln!(
        "a link of {} characters carrying 20,000 Set-Cookie lines ({} bytes of JSON): the longest main-thread task {:.0} ms (long tasks {:?} ms), {} elements in the report, {} cookies drawn",
        fragment.len(),
        json.len(),
        run.longest,
        run.tasks,
        run.elements,
        run.cookies
    );
    assert!(
        run.cookies > 0 && run.cookies < 1_000,
        "{} cookies drawn",
        run.cookies
    );
    assert!(
        run.elements < 10_000,
        "{} elements in the report",
        run.elements
    );
    assert!(run.longest < 200.0, "a task of {:.0} ms", run.longest);
    harness.stop().await;
}

/// What opening the huge link cost one tab.
struct HugeRun {
    /// The longest task by the page's `longtask` observer, in ms.
    longest: f64,
    tasks: Vec<f64>,
    elements: u64,
    cookies: u64,
}

/// Opens `fragment` in a fresh tab of the app (as a fragment changed under an open page, so
/// that the long tasks are recorded from before), draws every cookie, opens the raw view and
/// the share panel, and reads the long tasks.
async fn open_huge(harness: &Harness, fragment: &str) -> HugeRun {
    let app = harness.open_app().await;
    assert_eq!(
        app.js(RECORD_LONG_TASKS).await,
        serde_json::Value::Bool(true)
    );
    app.js(&format!(
        "location.hash = {}",
        serde_json::Value::from(format!("#{fragment}"))
    ))
    .await;
    opened(&app).await;
    assert_eq!(app.data("#report", "state").await.as_deref(), Some("done"));
    app.js("document.querySelector('#raw summary').click()")
        .await;
    // The first 50 cookies, the rest on "Show all", and a word on the lines left unread.
    let drawn = "document.querySelectorAll('#decoded-cookies li[data-cookie]').length";
    assert_eq!(app.js(drawn).await, serde_json::Value::from(50));
    assert!(app.text("#fields-unread").await.is_some());
    app.js("document.querySelector('#show-more-cookies').click()")
        .await;
    app.wait_for_js(
        "every cookie drawn",
        &format!("{drawn} === Number(document.querySelector('#decoded-cookies').dataset.cookies)"),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let elements = app
        .js("document.querySelectorAll('#report *').length")
        .await
        .as_u64()
        .unwrap_or(u64::MAX);
    let cookies = app
        .js("document.querySelectorAll('#decoded-cookies li[data-cookie]').length")
        .await
        .as_u64()
        .unwrap_or(0);
    // Sharing it again: the secrets, the redaction, the exports and the link.
    app.js("document.querySelector('#share-open').click()")
        .await;
    app.wait_for_js(
        "the share panel's link",
        "document.querySelector('#share-link') !== null",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let tasks: Vec<f64> = app
        .js("window.longTasks")
        .await
        .as_array()
        .map(|tasks| tasks.iter().filter_map(serde_json::Value::as_f64).collect())
        .unwrap_or_default();
    HugeRun {
        longest: tasks.iter().copied().fold(0.0, f64::max),
        tasks,
        elements,
        cookies,
    }
}

/// Evaluates `expression` in the app's frame inside `tab` (an isolated world shares its DOM);
/// `None` while there is no such frame.
async fn frame_js(tab: &Tab, app: &str, expression: &str) -> Option<serde_json::Value> {
    let tree = tab
        .page
        .execute(GetFrameTreeParams::default())
        .await
        .unwrap_or_else(|e| panic!("frame tree: {e}"));
    let frame = tree
        .result
        .frame_tree
        .child_frames
        .unwrap_or_default()
        .into_iter()
        .find(|f| f.frame.url.starts_with(app))?;
    let world = tab
        .page
        .execute(CreateIsolatedWorldParams::new(frame.frame.id.clone()))
        .await
        .ok()?;
    let params = EvaluateParams::builder()
        .expression(expression)
        .context_id(world.result.execution_context_id)
        .return_by_value(true)
        .await_promise(true)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let evaluated = tab.page.execute(params).await.ok()?;
    evaluated.result.result.value
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frame_of_another_origin_sends_nothing() {
    let harness = Harness::start().await;
    let url = harness.scenario_url("basic-challenge", "framed");
    let shared = link(
        &harness,
        &evidence(
            &request(&url, CredentialsMode::Include),
            &request(&url, CredentialsMode::Include),
        ),
    );
    // A decoy page on the lab's origin frames the app with a link, nearly transparent.
    let tab = harness.open(&format!("{}/health", harness.lab)).await;
    tab.js(&format!(
        "(() => {{ const f = document.createElement('iframe'); f.src = {}; f.style.opacity = '0.01'; \
         f.width = 800; f.height = 600; document.body.append(f); return true; }})()",
        serde_json::Value::from(shared.as_str())
    ))
    .await;
    let app = harness.app.clone();
    wait_for("the framed app", Duration::from_secs(15), || async {
        let state = frame_js(
            &tab,
            &app,
            "document.querySelector('#report')?.dataset.state ?? null",
        )
        .await?;
        (state == "done").then_some(())
    })
    .await;
    let state = frame_js(
        &tab,
        &app,
        "({ notice: document.querySelector('#framed')?.textContent ?? '', \
           link: document.querySelector('#framed a')?.target ?? '', \
           rerun: document.querySelector('#rerun')?.disabled, \
           inspect: document.querySelector('#inspect')?.disabled })",
    )
    .await
    .unwrap_or_default();
    assert!(
        state["notice"]
            .as_str()
            .is_some_and(|n| n.contains("frame")),
        "{state}"
    );
    assert_eq!(state["link"], "_blank", "{state}");
    assert_eq!(state["rerun"], true, "{state}");
    assert_eq!(state["inspect"], true, "{state}");
    // A click that gets through anyway sends nothing.
    frame_js(
        &tab,
        &app,
        "document.querySelector('#rerun').disabled = false; document.querySelector('#rerun').click(); \
         document.querySelector('#inspect').disabled = false; document.querySelector('#inspect').click(); true",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !tab.requested_urls().iter().any(|u| u.contains("framed")),
        "{:#?}",
        tab.requested_urls()
    );
    // The same app in a tab of its own works.
    let own = harness.open(&shared).await;
    opened(&own).await;
    assert_eq!(
        own.js("document.querySelector('#framed') === null && !document.querySelector('#rerun').disabled")
            .await,
        serde_json::Value::Bool(true)
    );
    harness.stop().await;
}
