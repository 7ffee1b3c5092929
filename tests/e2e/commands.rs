//! What tools give users, pasted in the exchange box: a copied command fills the form, says what a
//! page will do otherwise, and Inspect then sends it for real; a HAR file lists its failed
//! entries, and the one picked is diagnosed with nothing sent.

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
    assert!(app.data("#verdict", "cause").await.is_some());
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
    app.wait_for_js(
        "the entry's exchange in the box",
        "document.querySelector('#exchange').value.startsWith('GET https://api.example/v1/me')",
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
    let url = harness.scenario_url("basic-challenge", "fetch");
    let fetch = format!(
        "fetch(\"{url}\", {{\n  \"headers\": {{\n    \"accept\": \"*/*\",\n    // All sec-* headers are set by the browser\n  }},\n  \"body\": null,\n  \"method\": \"GET\",\n  \"mode\": \"cors\",\n  \"credentials\": \"omit\"\n}});"
    );
    paste_command(&app, &fetch, "fetch()", &url).await;
    assert_eq!(
        app.js("document.querySelector('#credentials').value").await,
        "omit"
    );
}
