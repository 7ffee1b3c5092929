//! What no loopback server can answer, answered over the DevTools `Fetch` domain: the lab's
//! `https` URLs and the app at its `https` address.

use std::path::PathBuf;

use chromiumoxide::Page;
use futures::StreamExt;
use tokio::task::JoinHandle;

use super::{HTTPS_APP, LAB_HOST, http10};

/// Answers, over the DevTools `Fetch` domain, what no loopback server can: the `https` URLs of
/// the lab's own name ([`LAB_HOST`]), passed on to the lab over plain `http` and marked so, and,
/// with `dist`, the app at [`HTTPS_APP`] from that folder.
pub(super) async fn serve_over_devtools(page: &Page, dist: Option<PathBuf>) -> JoinHandle<()> {
    use base64::Engine as _;
    use chromiumoxide::cdp::browser_protocol::fetch::{
        self, EventRequestPaused, FulfillRequestParams, HeaderEntry, RequestPattern, RequestStage,
    };
    let mut paused = page
        .event_listener::<EventRequestPaused>()
        .await
        .unwrap_or_else(|e| panic!("listen: {e}"));
    let lab_https = format!("https://{LAB_HOST}:");
    let mut patterns = vec![
        RequestPattern::builder()
            .url_pattern(format!("{lab_https}*"))
            .request_stage(RequestStage::Request)
            .build(),
    ];
    if dist.is_some() {
        patterns.push(
            RequestPattern::builder()
                .url_pattern(format!("{HTTPS_APP}*"))
                .request_stage(RequestStage::Request)
                .build(),
        );
    }
    page.execute(fetch::EnableParams::builder().patterns(patterns).build())
        .await
        .unwrap_or_else(|e| panic!("enable the Fetch domain: {e}"));
    let page = page.clone();
    tokio::spawn(async move {
        while let Some(event) = paused.next().await {
            let url = event.request.url.clone();
            let (status, headers, body) = match (url.strip_prefix(&lab_https), &dist) {
                (Some(rest), _) => forward_to_lab(&event.request, rest).await,
                (None, Some(dist)) => from_dist(dist, &url),
                (None, None) => (404, Vec::new(), b"not found".to_vec()),
            };
            let mut reply = FulfillRequestParams::builder()
                .request_id(event.request_id.clone())
                .response_code(status)
                .body(base64::engine::general_purpose::STANDARD.encode(body));
            for (name, value) in headers {
                reply = reply.response_header(HeaderEntry::new(name, value));
            }
            let reply = reply.build().unwrap_or_else(|e| panic!("fulfil: {e}"));
            if page.execute(reply).await.is_err() {
                break;
            }
        }
    })
}

/// A file of `dist` for a URL under [`HTTPS_APP`].
fn from_dist(dist: &std::path::Path, url: &str) -> (i64, Vec<(String, String)>, Vec<u8>) {
    let path = url
        .strip_prefix(HTTPS_APP)
        .unwrap_or_default()
        .split(['?', '#'])
        .next()
        .unwrap_or_default();
    let file = dist.join(if path.is_empty() { "index.html" } else { path });
    let (status, body) = match std::fs::read(&file) {
        Ok(body) if !path.contains("..") => (200, body),
        _ => (404, b"not found".to_vec()),
    };
    let content_type = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    (
        status,
        vec![("Content-Type".to_owned(), content_type.to_owned())],
        body,
    )
}

/// The lab's answer to a request the browser sent to its `https` URL (`rest` is what follows
/// `https://lab.why401.test:`), asked over plain `http` with the lab's mark.
async fn forward_to_lab(
    request: &chromiumoxide::cdp::browser_protocol::network::Request,
    rest: &str,
) -> (i64, Vec<(String, String)>, Vec<u8>) {
    let (port, target) = rest.split_once('/').unwrap_or((rest, ""));
    let authority = format!("{LAB_HOST}:{port}");
    let mut fields: Vec<String> = request
        .headers
        .inner()
        .as_object()
        .map(|headers| {
            headers
                .iter()
                .filter(|(name, _)| !name.eq_ignore_ascii_case("host"))
                .map(|(name, value)| format!("{name}: {}", value.as_str().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    fields.push(format!("{}: 1", why401_lab::FORWARDED_HTTPS));
    // No body is passed on: the scenarios sent there carry none.
    let answer = http10(
        &authority,
        &request.method,
        &format!("/{target}"),
        &fields,
        &[],
    )
    .await;
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(answer.len());
    let head = String::from_utf8_lossy(answer.get(..split).unwrap_or_default()).into_owned();
    let body = answer.get(split + 4..).unwrap_or_default().to_vec();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or(502);
    let headers = lines
        .filter_map(|line| line.split_once(": "))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    (status, headers, body)
}
