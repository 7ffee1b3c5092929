//! Requests pasted the way tools copy them: the exchange box reads a command into the form, says
//! what a page will do otherwise, and Inspect then sends it for real.

use crate::harness::Harness;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copied_curl_command_fills_the_form_and_is_sent_for_real() {
    let harness = Harness::start().await;
    let app = harness.open_app().await;
    let url = harness.scenario_url("basic-challenge", "command");
    // As DevTools' "Copy as cURL (bash)" writes it.
    let command = format!(
        "curl '{url}' \\\n  -H 'accept: */*' \\\n  -H 'authorization: Basic d3Jvbmc6cGFzcw==' \\\n  -b 'sid=1; theme=dark' \\\n  --compressed"
    );
    app.paste_into("#exchange", &command).await;
    app.wait_for_js(
        "the command read into the form",
        "document.querySelector('#command-read') !== null",
    )
    .await;
    assert_eq!(
        app.js("document.querySelector('#url').value").await,
        url.as_str()
    );
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
