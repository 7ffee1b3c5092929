//! Sharing: a result shared as a link opens in another browser profile as the same report
//! without a request; no secret leaves in a link or an export unless the user reveals it; a
//! damaged or hostile link gets a sentence, never a panic.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use why401_core::share::{decode, encode};

use crate::harness::{Harness, Tab, origin};

/// The part of a link after `#`.
fn fragment_of(link: &str) -> &str {
    link.split_once('#').map_or("", |(_, fragment)| fragment)
}

/// The text a download link of the share panel carries.
async fn download(app: &Tab, selector: &str) -> String {
    app.js(&format!(
        "decodeURIComponent(document.querySelector({}).href.split(',').slice(1).join(','))",
        serde_json::Value::from(selector)
    ))
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// Waits for a page opened on a link to show a report or a refusal.
async fn wait_for_opened(tab: &Tab) {
    tab.wait_for_js(
        "the shared report",
        "['done', 'link-refused'].includes(document.querySelector('#report')?.dataset.state)",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_link_opens_the_same_report_elsewhere_without_a_request() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    let other = harness.fresh_profile().await;
    for name in ["bearer-expired-token", "no-cors-at-all"] {
        let url = harness.scenario_url(name, "share");
        app.inspect(&url).await;
        if app.js("document.querySelector('#console') !== null").await == true {
            let line = app.console_line(&url).await;
            app.paste_into("#console", &line).await;
        }
        let top = app.data("#verdict", "cause").await;
        assert!(top.is_some(), "{name}: no verdict to share");
        let link = app.share_link().await;
        assert!(link.starts_with(&harness.app), "{link}");
        assert!(
            link.len() < why401_core::share::LONG_LINK_CHARS,
            "{name}: a typical link is {} characters",
            link.len()
        );
        eprintln!("{name}: a share link of {} characters", link.len());

        let tab = other.open(&link).await;
        wait_for_opened(&tab).await;
        assert_eq!(tab.data("#verdict", "cause").await, top, "{name}");
        let banner = tab.text("#shared-banner").await.unwrap_or_default();
        assert!(
            banner.contains(origin(&harness.app).as_str()) && banner.contains("ago"),
            "{banner}"
        );
        // The evidence the recipient's page re-read is the one the link carries.
        assert_eq!(
            decode(fragment_of(&link)).ok().map(|e| e.request.url),
            Some(url.clone())
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
        let requested = tab.requested_urls();
        assert!(
            requested.iter().all(|u| origin(u) == origin(&harness.app)),
            "{name}: opening the link sent {requested:#?}"
        );
        // Live only when asked: the request goes out, the banner and the fragment go.
        tab.js("document.querySelector('#rerun').click()").await;
        tab.wait_for_js(
            "the live re-run",
            "document.querySelector('#shared-banner') === null && \
             document.querySelector('#report')?.dataset.state === 'done' && location.hash === ''",
        )
        .await;
        assert!(
            tab.requested_urls().contains(&url),
            "{name}: the re-run did not send {url}"
        );
    }
    drop(app);
    harness.stop().await;
}

/// An exchange pasted on the first screen, nothing sent: a real answer of Notion's API to a
/// wrong token (the corpus's `notion-01`) is diagnosed from the paste alone, and its link opens
/// the same report elsewhere, again without a request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exchange_pasted_alone_is_diagnosed_and_shared_without_a_request() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    let other = harness.fresh_profile().await;
    app.diagnose_paste(include_str!(
        "../../crates/core/tests/corpus/notion-01.http"
    ))
    .await;
    assert_eq!(
        app.data("#verdict", "cause").await.as_deref(),
        Some("invalid-credentials")
    );
    let reason = app.text("#verdict-reason").await.unwrap_or_default();
    assert!(reason.contains("API token is invalid"), "{reason}");
    assert!(app.text("#nothing-sent").await.is_some());
    // The form now holds the pasted request: Inspect would send it for real.
    assert_eq!(
        app.js("document.querySelector('#url').value").await,
        "https://api.notion.com/v1/users"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let requested = app.requested_urls();
    assert!(
        requested.iter().all(|u| origin(u) == origin(&harness.app)),
        "diagnosing a paste sent {requested:#?}"
    );
    let link = app.share_link().await;
    let tab = other.open(&link).await;
    wait_for_opened(&tab).await;
    assert_eq!(
        tab.data("#verdict", "cause").await.as_deref(),
        Some("invalid-credentials")
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let requested = tab.requested_urls();
    assert!(
        requested.iter().all(|u| origin(u) == origin(&harness.app)),
        "opening the link sent {requested:#?}"
    );
    // What the user can tell the page: a paste with no URL in it and none typed.
    let blank = harness.open_app().await;
    blank
        .paste_into("#exchange", "HTTP/1.1 401 Unauthorized\n\n")
        .await;
    blank
        .js("document.querySelector('#diagnose-paste').click()")
        .await;
    blank
        .wait_for_js(
            "the refusal",
            "document.querySelector('#report')?.dataset.state === 'invalid'",
        )
        .await;
    drop((app, tab, blank));
    harness.stop().await;
}

/// A JWT whose signature is a canary; its claims (no secret) expired an hour before the lab's
/// clock.
fn canary_token() -> String {
    let part = |json: &str| URL_SAFE_NO_PAD.encode(json);
    format!(
        "{}.{}.{}",
        part(r#"{"alg":"HS256","typ":"JWT"}"#),
        part(r#"{"sub":"ann","exp":1700000000}"#),
        URL_SAFE_NO_PAD.encode("SIGCANARYsignature")
    )
}

/// Sends a POST with a canary in its token's signature, a header, the query and the body, and
/// pastes an answer with canaries in its cookies.
async fn send_canaries(harness: &Harness, app: &Tab, token: &str) {
    app.open_options().await;
    app.paste_into(
        "#headers",
        &format!(
            "Authorization: Bearer {token}\nX-Api-Key: KEYCANARY\nContent-Type: application/json"
        ),
    )
    .await;
    app.choose("#method", "POST").await;
    app.paste_into("#body", r#"{"user":"ann","password":"PWCANARY"}"#)
        .await;
    let url = format!(
        "{}&token=QUERYCANARY",
        harness.scenario_url("bearer-expired-token", "canary")
    );
    app.inspect(&url).await;
    app.click_and_wait("#confirm-send").await;
    app.paste_into(
        "#pasted",
        &format!(
            "> POST /s/bearer-expired-token HTTP/1.1\n> Authorization: Bearer {token}\n> Cookie: sid=COOKIECANARY; theme=dark\n>\n< HTTP/1.1 401 Unauthorized\n< Set-Cookie: sid=SETCOOKIECANARY; Path=/; HttpOnly; SameSite=Lax\n< WWW-Authenticate: Bearer error=\"invalid_token\"\n<\n"
        ),
    )
    .await;
    app.wait_for_js(
        "the pasted answer's verdict",
        "document.querySelector('#pasted-verdict') !== null",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_canary_leaves_in_a_link_or_an_export_unless_revealed() {
    let token = canary_token();
    let signature = token.rsplit('.').next().unwrap_or_default().to_owned();
    let canaries = [
        signature.as_str(),
        "KEYCANARY",
        "QUERYCANARY",
        "PWCANARY",
        "COOKIECANARY",
        "SETCOOKIECANARY",
    ];
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    send_canaries(&harness, &app, &token).await;

    let link = app.share_link().await;
    let shared = decode(fragment_of(&link))
        .unwrap_or_else(|e| panic!("the page's link does not decode: {e}"))
        .to_json();
    // What the preview shows is what the link carries.
    let preview = app.text("#share-preview pre").await.unwrap_or_default();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&preview).ok(),
        serde_json::from_str::<serde_json::Value>(&shared).ok()
    );
    let markdown = download(&app, "#download-markdown").await;
    let json = download(&app, "#download-json").await;
    let curl = app.text("#reproduce-curl").await.unwrap_or_default();
    assert!(
        markdown.contains("# ") && json.contains("\"why401-report\"") && curl.starts_with("curl"),
        "{markdown}\n{json}\n{curl}"
    );
    for (what, text) in [
        ("link", &link),
        ("evidence in the link", &shared),
        ("Markdown", &markdown),
        ("JSON", &json),
        ("curl", &curl),
    ] {
        for canary in canaries {
            assert!(!text.contains(canary), "{canary} in the {what}: {text}");
        }
    }
    // Each secret is listed; one revealed on purpose goes as it is, and only that one.
    let listed = app
        .js("[...document.querySelectorAll('#share-secrets [data-secret]')].map(e => e.dataset.secret)")
        .await;
    for id in [
        "authorization",
        "header:x-api-key",
        "query:token",
        "field:password",
        "cookie:sid",
    ] {
        assert!(
            listed.as_array().is_some_and(|l| l.iter().any(|i| i == id)),
            "{id} not listed: {listed}"
        );
    }
    app.js("document.querySelector('[data-secret=\"query:token\"] input').click()")
        .await;
    app.wait_for_js(
        "the revealed parameter",
        "document.querySelector('[data-secret=\"query:token\"]').dataset.revealed === 'true'",
    )
    .await;
    let revealed = decode(fragment_of(&app.share_link().await))
        .map(|e| e.to_json())
        .unwrap_or_default();
    assert!(revealed.contains("QUERYCANARY"), "{revealed}");
    assert!(!revealed.contains("KEYCANARY") && !revealed.contains(signature.as_str()));
    // Copy as cURL carries the secrets only when the user opts in.
    app.js("document.querySelector('#curl-secrets').click()")
        .await;
    app.wait_for_js(
        "the command with secrets",
        "document.querySelector('#reproduce-curl').textContent.includes('KEYCANARY')",
    )
    .await;
    let elsewhere = app.requested_outside(&[origin(&harness.app), origin(&harness.lab)]);
    assert!(
        elsewhere.is_empty(),
        "requests to other hosts: {elsewhere:#?}"
    );
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_or_hostile_link_gets_a_sentence_and_runs_nothing() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    app.inspect(&harness.scenario_url("basic-challenge", "hostile-link"))
        .await;
    let link = app.share_link().await;
    let (address, fragment) = link
        .split_once('#')
        .unwrap_or_else(|| panic!("no fragment in {link}"));
    let mut evidence = decode(fragment).unwrap_or_else(|e| panic!("{e}"));
    drop(app);

    let zlib = |bytes: &[u8]| {
        format!(
            "1.{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec_zlib(bytes, 9))
        )
    };
    let mut tampered = fragment.as_bytes().to_vec();
    if let Some(b) = tampered.get_mut(fragment.len() / 2) {
        *b = if *b == b'A' { b'B' } else { b'A' };
    }
    let cases = [
        ("hello".to_owned(), "not-a-link"),
        (fragment[..fragment.len() / 2].to_owned(), "damaged"),
        (String::from_utf8(tampered).unwrap_or_default(), "damaged"),
        ("9.eJwDAAAAAAE".to_owned(), "future-format"),
        (zlib(br#"{"version":9}"#), "future-version"),
        (zlib(br#"{"version":1,"probes":"<img>"}"#), "malformed"),
        (zlib(&vec![b' '; 8 << 20]), "too-large"),
        (format!("1.{}", "A".repeat(70_000)), "oversized"),
    ];
    for (fragment, kind) in &cases {
        let tab = harness.open(&format!("{address}#{fragment}")).await;
        wait_for_opened(&tab).await;
        let seen = tab.data("#link-problem", "linkError").await;
        // A cut may fall where base64 itself is invalid.
        let expected = if *kind == "damaged" && seen.as_deref() == Some("not-base64") {
            "not-base64"
        } else {
            kind
        };
        assert_eq!(seen.as_deref(), Some(expected), "#{fragment:.40}");
        assert!(
            tab.text("#link-problem")
                .await
                .is_some_and(|t| t.len() > 20),
            "{kind}: no sentence"
        );
        // The page still works: the form is there to inspect by hand.
        assert_eq!(
            tab.js("document.querySelector('#inspect') !== null").await,
            true
        );
    }

    // Markup in a link's strings shows as text.
    evidence.pasted =
        Some("HTTP/1.1 401 <img src=x onerror=window.pwned=1>\nWWW-Authenticate: Basic realm=\"<script>window.pwned=2</script>\"\n\n<iframe src=javascript:window.pwned=3>".into());
    evidence.console_line = Some("<img src=x onerror=window.pwned=4>".into());
    let tab = harness
        .open(&format!("{address}#{}", encode(&evidence)))
        .await;
    wait_for_opened(&tab).await;
    let report = tab.text("#report").await.unwrap_or_default();
    assert!(
        report.contains("<img src=x onerror=window.pwned=1>"),
        "{report}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        tab.js("window.pwned ?? null").await,
        serde_json::Value::Null
    );
    assert_eq!(
        tab.js("document.querySelectorAll('#report :is(img, script, iframe)').length")
            .await,
        serde_json::Value::from(0)
    );
    // A fragment changed under an open page is read too.
    tab.js("location.hash = '#7.x'").await;
    tab.wait_for_js(
        "the new fragment's refusal",
        "document.querySelector('#link-problem')?.dataset.linkError === 'future-format'",
    )
    .await;
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_link_is_flagged_and_copying_says_what_happened() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    app.inspect(&harness.scenario_url("basic-challenge", "long-link"))
        .await;
    // An answer whose body does not compress: the link grows past what chat tools keep.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let noise: String = (0..3000)
        .map(|_| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            char::from(alphabet[usize::try_from(seed >> 58).unwrap_or_default() % alphabet.len()])
        })
        .collect();
    app.paste_into(
        "#pasted",
        &format!("HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic realm=\"lab\"\n\n{noise}"),
    )
    .await;
    let link = app.share_link().await;
    assert!(
        link.len() > why401_core::share::LONG_LINK_CHARS,
        "{} characters",
        link.len()
    );
    let warning = app.text("#share-long").await.unwrap_or_default();
    assert!(warning.contains("JSON"), "{warning}");
    assert_eq!(
        decode(fragment_of(&link))
            .ok()
            .and_then(|e| e.pasted)
            .map(|p| p.contains(&noise)),
        Some(true)
    );
    // Whether the browser lets the page write to the clipboard or not, the user is told.
    app.js("document.querySelector('#copy-link').click()").await;
    app.wait_for_js(
        "a word on the copy",
        "document.querySelector('#share-status').textContent.length > 0",
    )
    .await;
    // The next report starts with the panel closed and nothing chosen to share as it is.
    app.inspect(&harness.scenario_url("basic-challenge", "long-link-again"))
        .await;
    assert_eq!(app.data("#share", "open").await.as_deref(), Some("false"));
    harness.stop().await;
}

/// Chooses a file with `text` in the page's "open a report" input.
async fn choose_report(tab: &Tab, text: &str) {
    let chosen = tab
        .js(&format!(
            "(() => {{ const input = document.querySelector('#open-report'); if (!input) return false; \
             const files = new DataTransfer(); \
             files.items.add(new File([{}], 'why401-report.json', {{ type: 'application/json' }})); \
             input.files = files.files; input.dispatchEvent(new Event('change', {{ bubbles: true }})); \
             return true; }})()",
            serde_json::Value::from(text)
        ))
        .await;
    assert_eq!(chosen, true, "no #open-report input");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_report_opens_elsewhere_as_the_same_report_without_a_request() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    app.inspect(&harness.scenario_url("bearer-expired-token", "json-report"))
        .await;
    let top = app.data("#verdict", "cause").await;
    app.share_link().await;
    let report = download(&app, "#download-json").await;

    let other = harness.fresh_profile().await;
    let tab = other.open(&harness.app).await;
    tab.wait_for_js("the app", "document.querySelector('#open-report') !== null")
        .await;
    choose_report(&tab, &report).await;
    wait_for_opened(&tab).await;
    assert_eq!(tab.data("#verdict", "cause").await, top);
    assert!(tab.text("#shared-banner").await.is_some());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let elsewhere = tab.requested_outside(&[origin(&harness.app)]);
    assert!(
        elsewhere.is_empty(),
        "opening the report sent {elsewhere:#?}"
    );

    for (text, kind) in [
        ("not json at all", "not-a-report"),
        (r#"{"schema":"why401-report","version":3}"#, "future-report"),
    ] {
        choose_report(&tab, text).await;
        tab.wait_for_js(
            "the refusal",
            &format!(
                "document.querySelector('#link-problem')?.dataset.linkError === {}",
                serde_json::Value::from(kind)
            ),
        )
        .await;
    }
    harness.stop().await;
}
