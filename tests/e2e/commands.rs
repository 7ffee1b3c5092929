//! What tools give users, pasted in the exchange box: a copied command fills the form, says what a
//! page will do otherwise, and Inspect then sends it for real; a HAR file lists its failed
//! entries, and the one picked is diagnosed with nothing sent.

use std::fmt::Write as _;

use crate::harness::{Harness, Tab};

/// Pastes a copied command in the exchange box, waits for the page to say it read it as `tool`,
/// and checks the form's URL is the command's.
async fn paste_command(app: &Tab, command: &str, tool: &str, url: &str) {
    app.paste_into("#exchange", command).await;
    app.wait_for_js(
        &format!("the command read as {tool}"),
        &format!(
            "document.querySelector('#command-read')?.textContent.includes({}) === true",
            serde_json::Value::from(tool)
        ),
    )
    .await;
    assert_eq!(app.js("document.querySelector('#url').value").await, url);
}

/// Clicks Inspect, waits for the report, and gives its top `data-cause`.
async fn top_cause_after_inspect(app: &Tab) -> Option<String> {
    app.click_and_wait("#inspect").await;
    app.data("#verdict", "cause").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copied_curl_command_fills_the_form_and_is_sent_for_real() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    let url = harness.scenario_url("basic-challenge", "command");
    // As DevTools' "Copy as cURL (bash)" writes it.
    let command = format!(
        "curl '{url}' \\\n  -H 'accept: */*' \\\n  -H 'authorization: Basic d3Jvbmc6cGFzcw==' \\\n  -b 'sid=1; theme=dark' \\\n  --compressed"
    );
    paste_command(&app, &command, "curl command", &url).await;
    assert_eq!(
        app.js("document.querySelector('#credentials').value").await,
        "include"
    );
    let headers = app.js("document.querySelector('#headers').value").await;
    assert!(
        headers
            .as_str()
            .is_some_and(|h| h.contains("authorization: Basic d3Jvbmc6cGFzcw==")),
        "{headers}"
    );
    let said = app.text("#command-read").await.unwrap_or_default();
    assert!(
        said.contains("curl command") && said.contains("2 cookies"),
        "{said}"
    );
    assert!(!said.contains("sid=1"), "{said}");
    assert_eq!(
        app.js("document.querySelector('#exchange').value").await,
        ""
    );
    app.click_and_wait("#inspect").await;
    assert!(
        app.requested_urls().iter().any(|u| u.starts_with(&url)),
        "Inspect did not send the pasted request"
    );
    // The copy carries cookies, so the page sends credentials, and the lab's answers to this
    // endpoint do not allow them (no `Access-Control-Allow-Credentials`). From the page, a
    // missing header and a `*` one look alike; the report leads with one and says how to tell.
    let top = app.data("#verdict", "cause").await.unwrap_or_default();
    assert!(
        [
            "cors-missing-allow-credentials",
            "cors-wildcard-with-credentials"
        ]
        .contains(&top.as_str()),
        "{top}"
    );
    let verdicts = app
        .chromium_verdicts(&url, std::time::Duration::from_secs(5))
        .await;
    assert!(
        format!("{verdicts:?}").contains("AllowCredentials"),
        "Chromium says {verdicts:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pasted_har_file_lists_its_failures_and_diagnoses_the_one_picked() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    let har = r#"{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[
      {"startedDateTime":"2026-01-01T00:00:00Z","request":{"method":"GET","url":"https://app.example/","headers":[]},
       "response":{"status":200,"statusText":"OK","headers":[],"redirectURL":"","content":{"size":0}}},
      {"startedDateTime":"2026-01-01T00:00:01Z","request":{"method":"GET","url":"https://api.example/v1/me","headers":[{"name":"accept","value":"application/json"}]},
       "response":{"status":401,"statusText":"Unauthorized","headers":[{"name":"www-authenticate","value":"Bearer realm=\"api\""},{"name":"content-type","value":"application/json"}],"redirectURL":"","content":{"size":28,"mimeType":"application/json","text":"{\"message\":\"Bad credentials\"}"}}}
    ]}}"#;
    app.paste_into("#exchange", har).await;
    app.wait_for_js(
        "the HAR file read",
        "document.querySelector('#har-read') !== null",
    )
    .await;
    let said = app.text("#har-read").await.unwrap_or_default();
    assert!(said.contains("2 requests, 1 of them failed"), "{said}");
    assert!(app.text("#har-sanitized").await.is_some(), "{said}");
    app.js("document.querySelector('.har-entry[data-entry=\"2\"]').click()")
        .await;
    // Saved sanitized: the exchange says so first, and the diagnosis does not conclude that
    // nothing was sent.
    app.wait_for_js(
        "the entry's exchange in the box",
        "document.querySelector('#exchange').value.startsWith('* Saved without credentials') \
         && document.querySelector('#exchange').value.includes('\\nGET https://api.example/v1/me')",
    )
    .await;
    app.js("document.querySelector('#diagnose-paste').click()")
        .await;
    app.wait_for_js(
        "the report of the picked entry",
        "document.querySelector('#report')?.dataset.state === 'done'",
    )
    .await;
    assert!(app.data("#verdict", "cause").await.is_some());
    assert!(app.text("#nothing-sent").await.is_some());
}

/// DevTools' "Copy as cURL (cmd)" and "Copy as fetch" fill the form as the bash copy does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cmd_and_fetch_copies_fill_the_form_too() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    let url = harness.scenario_url("basic-challenge", "cmd");
    // As Chrome writes it for Windows' cmd: carets before quotes and line ends.
    let cmd = format!(
        "curl ^\"{url}^\" ^\n  -H ^\"accept: application/json^\" ^\n  -H ^\"authorization: Bearer t0k^\""
    );
    paste_command(&app, &cmd, "cmd", &url).await;
    let headers = app.js("document.querySelector('#headers').value").await;
    assert_eq!(
        headers, "accept: application/json\nauthorization: Bearer t0k",
        "{headers}"
    );
    // A Bearer token where the server asks for Basic.
    assert_eq!(
        top_cause_after_inspect(&app).await.as_deref(),
        Some("wrong-scheme")
    );
    let url = harness.scenario_url("basic-challenge", "fetch");
    let fetch = format!(
        "fetch(\"{url}\", {{\n  \"headers\": {{\n    \"accept\": \"*/*\",\n    // All sec-* headers are set by the browser\n  }},\n  \"body\": null,\n  \"method\": \"GET\",\n  \"mode\": \"cors\",\n  \"credentials\": \"omit\"\n}});"
    );
    paste_command(&app, &fetch, "fetch()", &url).await;
    assert_eq!(
        app.js("document.querySelector('#credentials').value").await,
        "omit"
    );
    // No credentials at all.
    assert_eq!(
        top_cause_after_inspect(&app).await.as_deref(),
        Some("missing-credentials")
    );
}

/// `samples/session.har`, as DevTools saves one: a sign-in on `auth.example.com` that sets a
/// host-only session cookie, an API call from the app that goes without it and is refused, two
/// refreshes racing with one refresh token — with `padding` ordinary entries with bodies added, to
/// make the file as large as a real one.
fn har_file(padding: usize) -> String {
    let base = include_str!("samples/session.har");
    let body = "x".repeat(2000);
    let mut extra = String::new();
    for n in 0..padding {
        let _ = write!(
            extra,
            r#",{{"startedDateTime":"2026-11-30T10:01:00.000Z","request":{{"method":"GET","url":"https://app.example.com/static/{n}.js","headers":[]}},"response":{{"status":200,"statusText":"OK","headers":[],"redirectURL":"","content":{{"size":2000,"mimeType":"application/javascript","text":"{body}"}}}}}}"#
        );
    }
    // Before the closing `]` of the entries.
    let end = base.rfind(']').unwrap_or(base.len());
    format!(
        "{}{extra}{}",
        base.get(..end).unwrap_or_default().trim_end(),
        base.get(end..).unwrap_or_default()
    )
}

/// Gives `text` to the page as a file named `name`: chosen in the exchange box's file input, or
/// dropped on the box.
async fn give_file(app: &Tab, name: &str, text: &str, drop: bool) {
    let given = app
        .js(&format!(
            "(() => {{ const files = new DataTransfer(); \
             files.items.add(new File([{}], {}, {{ type: 'application/json' }})); \
             if ({drop}) {{ const zone = document.querySelector('#exchange-drop'); if (!zone) return false; \
               zone.dispatchEvent(new DragEvent('dragover', {{ bubbles: true, cancelable: true, dataTransfer: files }})); \
               zone.dispatchEvent(new DragEvent('drop', {{ bubbles: true, cancelable: true, dataTransfer: files }})); \
               return true; }} \
             const input = document.querySelector('#exchange-file'); if (!input) return false; \
             input.files = files.files; input.dispatchEvent(new Event('change', {{ bubbles: true }})); \
             return true; }})()",
            serde_json::Value::from(text),
            serde_json::Value::from(name)
        ))
        .await;
    assert_eq!(given, true, "no file input or drop zone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_har_file_opened_or_dropped_lists_its_failures_and_follows_its_cookies() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    // Large enough to be read in slices, with progress.
    let large = har_file(400);
    assert!(large.len() > 600 * 1024, "{}", large.len());
    give_file(&app, "session.har", &large, false).await;
    app.wait_for_js(
        "the large file read",
        &format!(
            "document.querySelector('#file-read')?.dataset.bytes === '{}'",
            large.len()
        ),
    )
    .await;
    let said = app.text("#har-read").await.unwrap_or_default();
    assert!(said.contains("404 requests, 1 of them failed"), "{said}");
    for cause in ["missing-credentials", "refresh-token-race"] {
        assert!(
            app.js(&format!(
                "document.querySelector('.har-trail[data-cause=\"{cause}\"]') !== null"
            ))
            .await
                == true,
            "no {cause} in {said}"
        );
    }
    let trail = app.text("#har-trail").await.unwrap_or_default();
    assert!(
        trail.contains("The cookie sid set by the answer to entry 1 (POST https://auth.example.com/login) is not sent to entry 2 (GET https://api.example.com/v1/me). The cookie belongs to another host or domain."),
        "{trail}"
    );
    app.js("document.querySelector('.har-entry[data-entry=\"2\"]').click()")
        .await;
    app.wait_for_js(
        "the entry's exchange in the box",
        "document.querySelector('#exchange').value.startsWith('GET https://api.example.com/v1/me')",
    )
    .await;
    app.js("document.querySelector('#diagnose-paste').click()")
        .await;
    app.wait_for_js(
        "the report of the picked entry",
        "document.querySelector('#report')?.dataset.state === 'done'",
    )
    .await;
    assert_eq!(
        app.data("#verdict", "cause").await.as_deref(),
        Some("token-expired")
    );
    // A small file dropped on the box goes in as text, and is read the same way.
    let app = harness.open_app().await;
    give_file(&app, "small.har", &har_file(0), true).await;
    app.wait_for_js(
        "the dropped file read",
        "document.querySelector('.har-entry[data-entry=\"2\"]') !== null",
    )
    .await;
    assert!(
        app.js("document.querySelector('.har-trail[data-cause=\"refresh-token-race\"]') !== null")
            .await
            == true
    );
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_file_shows_its_progress_and_stops_when_asked() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    // 96 MB made in the page itself.
    app.js("(() => { const entry = '{\"request\":{\"method\":\"GET\",\"url\":\"https://a.example/\"},\"response\":{\"status\":200,\"content\":{\"text\":\"' + 'x'.repeat(4000) + '\"}}}'; \
            const text = '{\"log\":{\"entries\":[' + Array(24000).fill(entry).join(',') + ']}}'; \
            const files = new DataTransfer(); files.items.add(new File([text], 'big.har')); \
            const input = document.querySelector('#exchange-file'); input.files = files.files; \
            input.dispatchEvent(new Event('change', { bubbles: true })); return true; })()")
        .await;
    app.wait_for_js(
        "the progress and its Stop",
        "document.querySelector('#file-progress progress') !== null && document.querySelector('#file-stop') !== null",
    )
    .await;
    app.js("document.querySelector('#file-stop').click()").await;
    app.wait_for_js(
        "the file stopped",
        "document.querySelector('#file-stopped') !== null",
    )
    .await;
    assert!(app.text("#har-read").await.is_none());
    harness.stop().await;
}

/// DevTools' "Copy as PowerShell" fills the form, and Inspect finds the cause for real.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_powershell_copy_is_sent_and_diagnosed() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    let url = harness.scenario_url("bearer-expired-token", "powershell");
    // As Chrome writes it.
    let command = format!(
        "$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession\n$session.UserAgent = \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36\"\nInvoke-WebRequest -UseBasicParsing -Uri \"{url}\" `\n-WebSession $session `\n-Headers @{{\n\"Accept\"=\"*/*\"\n  \"Authorization\"=\"Bearer expired-token\"\n}}"
    );
    paste_command(&app, &command, "PowerShell", &url).await;
    assert_eq!(
        top_cause_after_inspect(&app).await.as_deref(),
        Some("token-expired")
    );
    harness.stop().await;
}

/// A HAR entry the browser blocked: picking it puts its request in the form, and Inspect sends it
/// again from the page, which finds why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_har_entry_with_no_answer_is_sent_again_from_the_form() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    let url = harness.scenario_url("no-cors-at-all", "har-blocked");
    let har = format!(
        r#"{{"log":{{"version":"1.2","creator":{{"name":"WebInspector","version":"537.36"}},"entries":[
          {{"startedDateTime":"2026-01-01T00:00:00Z","request":{{"method":"GET","url":"{url}","headers":[{{"name":"Origin","value":"https://app.example.com"}},{{"name":"Accept","value":"application/json"}}]}},
           "response":{{"status":0,"statusText":"","headers":[],"redirectURL":"","content":{{"size":0}}}},"_error":"net::ERR_FAILED"}}
        ]}}}}"#
    );
    app.paste_into("#exchange", &har).await;
    app.wait_for_js(
        "the HAR file read",
        "document.querySelector('.har-entry[data-entry=\"1\"]') !== null",
    )
    .await;
    app.js("document.querySelector('.har-entry[data-entry=\"1\"]').click()")
        .await;
    app.wait_for_js(
        "the request in the form",
        "document.querySelector('#command-read')?.textContent.includes('net::ERR_FAILED') === true",
    )
    .await;
    assert_eq!(app.js("document.querySelector('#url').value").await, url);
    assert_eq!(
        top_cause_after_inspect(&app).await.as_deref(),
        Some("cors-missing-allow-origin")
    );
    harness.stop().await;
}
