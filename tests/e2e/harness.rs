//! The end-to-end harness: the lab and the built app served in-process on two loopback origins,
//! and a real headless Chromium driven over the DevTools protocol. Chromium's own verdict on every
//! failed request (`Network.loadingFailed`, with its typed `corsErrorStatus`) is recorded, so the
//! tests can compare what the page shows with what the browser knows.

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chromiumoxide::cdp::browser_protocol::log::{EnableParams, EventEntryAdded};
use chromiumoxide::cdp::browser_protocol::network::{
    EventLoadingFailed, EventRequestWillBeSent, EventResponseReceivedExtraInfo, RequestId,
    ResourceType, SetCookieControlsParams,
};
use chromiumoxide::{Browser, BrowserConfig, Page};
use futures::StreamExt;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// `scheme://host:port` of a URL.
pub fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    format!(
        "{scheme}://{}",
        rest.split(['/', '?', '#']).next().unwrap_or_default()
    )
}

/// Flags that keep Chromium quiet and self-contained on a machine without internet. Written
/// without the leading `--`, which chromiumoxide adds.
const CHROMIUM_FLAGS: &[&str] = &[
    "disable-gpu",
    "disable-quic",
    "no-first-run",
    "disable-background-networking",
    "disable-component-update",
    "disable-sync",
];

/// How long Chromium may take to report on a failed request.
pub const VERDICT_TIMEOUT: Duration = Duration::from_secs(5);

/// Chromium's verdict on one failed request.
#[derive(Debug, Clone)]
pub struct LoadingFailed {
    pub error_text: String,
    /// The `CorsError` name, when the CORS check failed.
    pub cors_error: Option<String>,
    pub failed_parameter: Option<String>,
    /// Why Chromium refused to send it at all (`mixed-content`, …).
    pub blocked_reason: Option<String>,
}

/// Where Chromium places the app's origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Network {
    /// Both origins are loopback, as they are.
    AllLoopback,
    /// The app's `127.0.0.1:PORT` counts as a public address
    /// (`--ip-address-space-overrides`), so its requests to the loopback lab are Local Network
    /// Access requests, as from a hosted why401 to a developer's `localhost`.
    AppIsPublic,
    /// The app is served to Chromium as `https://app.why401.test/` (each of its requests answered
    /// from `dist/` over the DevTools protocol, so no certificate is needed), and the lab is also
    /// reachable as `http://lab.why401.test:PORT` (resolved to loopback): an `http` API called from
    /// an `https` page, which mixed-content rules block.
    AppOverHttps,
}

/// Where [`Network::AppOverHttps`] serves the app.
pub const HTTPS_APP: &str = "https://app.why401.test/";
/// The lab's name under [`Network::AppOverHttps`] (with the lab's port).
pub const LAB_HOST: &str = "lab.why401.test";

pub struct Harness {
    profile: Profile,
    servers: Vec<JoinHandle<std::io::Result<()>>>,
    /// `http://127.0.0.1:PORT` of the lab.
    pub lab: String,
    /// `http://127.0.0.1:PORT/` of the app (or [`HTTPS_APP`]).
    pub app: String,
    /// Set under [`Network::AppOverHttps`]: the folder the app's requests are answered from.
    https_dist: Option<PathBuf>,
    /// Last, so dropped last: the turn ends once the browser and the servers are gone.
    _turn: Turn,
}

/// The app is also served under this path, as a static host would serve it from a sub-folder.
pub const SUB_PATH: &str = "/some/path/";

/// Tests take turns on the machine's two cores: most share it; one that measures how long the
/// page's tasks take has it alone, so that another test's browser does not lengthen them.
static TURNS: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

/// A test's turn, held as long as its harness lives.
enum Turn {
    Shared(
        #[expect(dead_code, reason = "held, not read")] tokio::sync::RwLockReadGuard<'static, ()>,
    ),
    Alone(
        #[expect(dead_code, reason = "held, not read")] tokio::sync::RwLockWriteGuard<'static, ()>,
    ),
}

impl Harness {
    /// Serves the lab and `dist/` on two free loopback ports and launches headless Chromium.
    pub async fn start() -> Harness {
        Harness::start_with(Network::AllLoopback).await
    }

    /// As [`Harness::start`], once every other test's harness is gone, and none starts until
    /// this one is: for a test that times the page.
    pub async fn start_alone() -> Harness {
        Harness::launch(Network::AllLoopback, Turn::Alone(TURNS.write().await)).await
    }

    /// As [`Harness::start`], with the app's origin placed in `network`.
    pub async fn start_with(network: Network) -> Harness {
        Harness::launch(network, Turn::Shared(TURNS.read().await)).await
    }

    async fn launch(network: Network, turn: Turn) -> Harness {
        let dist = std::env::var_os("WHY401_DIST").map_or_else(
            || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/dist")),
            PathBuf::from,
        );
        assert!(
            dist.join("index.html").is_file(),
            "{} has no index.html: build the app first (make dist)",
            dist.display()
        );
        let lab_listener = bind().await;
        let app_listener = bind().await;
        let lab = format!("http://{}", local_addr(&lab_listener));
        let app_addr = local_addr(&app_listener);
        let app = format!("http://{app_addr}/");
        let servers = vec![
            tokio::spawn(why401_lab::serve(lab_listener, why401_lab::lab_router())),
            tokio::spawn(why401_lab::serve(
                app_listener,
                why401_lab::app_router(&dist).nest_service(
                    SUB_PATH.trim_end_matches('/'),
                    tower_http::services::ServeDir::new(&dist),
                ),
            )),
        ];

        let extra = (network == Network::AppIsPublic)
            .then(|| format!("ip-address-space-overrides={app_addr}=public"));
        let profile = Profile::launch(extra).await;
        Harness {
            profile,
            servers,
            lab,
            app: if network == Network::AppOverHttps {
                HTTPS_APP.to_owned()
            } else {
                app
            },
            https_dist: (network == Network::AppOverHttps).then_some(dist),
            _turn: turn,
        }
    }

    /// A lab scenario's URL, made unique with `tag` so that Chromium's verdicts cannot mix.
    pub fn scenario_url(&self, name: &str, tag: &str) -> String {
        format!("{}/s/{name}?t={tag}", self.lab)
    }

    /// As [`Harness::scenario_url`], under the name the scenario's request gives the lab:
    /// `localhost` for another site than the app's `127.0.0.1`, [`LAB_HOST`] for one whose
    /// `https` URLs this harness answers too.
    pub fn url_of(&self, scenario: &why401_lab::Scenario, tag: &str) -> String {
        let url = self.scenario_url(scenario.name, tag);
        match scenario.request.host {
            why401_lab::LabHost::Loopback => url,
            why401_lab::LabHost::OtherSite => url.replacen("://127.0.0.1:", "://localhost:", 1),
            why401_lab::LabHost::Named => {
                url.replacen("://127.0.0.1:", &format!("://{LAB_HOST}:"), 1)
            }
        }
    }

    /// Opens the app in a new tab, recording every failed request, and waits until it has rendered.
    pub async fn open_app(&self) -> Tab {
        self.open_app_at(&self.app).await
    }

    /// Opens the app served at `url`, as [`Harness::open_app`] does.
    pub async fn open_app_at(&self, url: &str) -> Tab {
        let tab = self.open(url).await;
        tab.wait_for_js(
            "the app to render its form",
            "document.querySelector('#inspect') !== null",
        )
        .await;
        tab
    }

    /// Opens `url` in a new tab that records every failed request.
    pub async fn open(&self, url: &str) -> Tab {
        open_tab(&self.profile.browser, self.https_dist.clone(), url).await
    }

    /// Another Chromium with a profile of its own: no cookie, cache or storage in common with
    /// the harness's.
    pub async fn fresh_profile(&self) -> Profile {
        Profile::launch(None).await
    }

    /// Closes the browser and stops the servers.
    pub async fn stop(mut self) {
        self.profile.close().await;
        for server in &self.servers {
            server.abort();
        }
    }
}

/// A headless Chromium and its own temporary profile.
pub struct Profile {
    browser: Browser,
    events: JoinHandle<()>,
    _dir: tempfile::TempDir,
}

impl Profile {
    /// Launches Chromium on a new profile, with [`CHROMIUM_FLAGS`] and `extra_flag`.
    async fn launch(extra_flag: Option<String>) -> Profile {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp profile: {e}"));
        // Third-party cookies allowed, as in Chrome's default settings (a fresh profile of this
        // headless Chromium blocks them): a test that wants them blocked says so per tab.
        let default = dir.path().join("Default");
        std::fs::create_dir_all(&default).unwrap_or_else(|e| panic!("profile: {e}"));
        std::fs::write(
            default.join("Preferences"),
            r#"{"profile":{"cookie_controls_mode":0,"block_third_party_cookies":false}}"#,
        )
        .unwrap_or_else(|e| panic!("profile preferences: {e}"));
        let executable = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let mut flags: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| (*f).to_owned()).collect();
        flags.extend(extra_flag);
        // `*.why401.test` names loopback: the https app, and the lab under its own name.
        flags.push("host-resolver-rules=MAP *.why401.test 127.0.0.1".to_owned());
        let config = BrowserConfig::builder()
            .chrome_executable(&executable)
            .no_sandbox()
            .user_data_dir(dir.path())
            .args(flags)
            .build()
            .unwrap_or_else(|e| panic!("browser config: {e}"));
        let (browser, mut handler) = Browser::launch(config)
            .await
            .unwrap_or_else(|e| panic!("cannot launch {executable}: {e}"));
        let events = tokio::spawn(async move { while handler.next().await.is_some() {} });
        Profile {
            browser,
            events,
            _dir: dir,
        }
    }

    /// Opens `url` in a new tab of this profile that records every request.
    pub async fn open(&self, url: &str) -> Tab {
        open_tab(&self.browser, None, url).await
    }

    /// Closes the browser.
    pub async fn close(&mut self) {
        let _ = self.browser.close().await;
        let _ = self.browser.wait().await;
        self.events.abort();
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        self.events.abort();
    }
}

/// Opens `url` in a new tab of `browser` that records every request; with `https_dist`, answers
/// the app's `https` address from that folder.
async fn open_tab(browser: &Browser, https_dist: Option<PathBuf>, url: &str) -> Tab {
    {
        let page = browser
            .new_page("about:blank")
            .await
            .unwrap_or_else(|e| panic!("new tab: {e}"));
        let log = Arc::new(Mutex::new(RequestLog::default()));
        let server = match https_dist {
            Some(dist) => Some(serve_over_devtools(&page, Some(dist)).await),
            None => None,
        };
        let mut sent = page
            .event_listener::<EventRequestWillBeSent>()
            .await
            .unwrap_or_else(|e| panic!("listen: {e}"));
        let mut failed = page
            .event_listener::<EventLoadingFailed>()
            .await
            .unwrap_or_else(|e| panic!("listen: {e}"));
        // Why Chromium refused to store a response's cookies.
        let mut extra = page
            .event_listener::<EventResponseReceivedExtraInfo>()
            .await
            .unwrap_or_else(|e| panic!("listen: {e}"));
        // The console's lines, as a user would copy them from DevTools.
        let mut console = page
            .event_listener::<EventEntryAdded>()
            .await
            .unwrap_or_else(|e| panic!("listen: {e}"));
        page.execute(EnableParams::default())
            .await
            .unwrap_or_else(|e| panic!("enable the Log domain: {e}"));
        // The two event streams are independent: a failure may be read before the request that
        // it ends, so URLs are joined to failures when a test asks, not when events arrive.
        let recorder = {
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                loop {
                    tokio::select! {
                        Some(event) = sent.next() => {
                            if let Ok(mut log) = log.lock() {
                                // A redirect re-sends the same request id: keep the first URL.
                                log.urls
                                    .entry(event.request_id.clone())
                                    .or_insert_with(|| event.request.url.clone());
                            }
                        }
                        Some(event) = failed.next() => {
                            if event.r#type == ResourceType::Preflight {
                                continue;
                            }
                            let status = event.cors_error_status.as_ref();
                            let record = LoadingFailed {
                                error_text: event.error_text.clone(),
                                cors_error: status.map(|s| s.cors_error.as_ref().to_owned()),
                                failed_parameter: status.map(|s| s.failed_parameter.clone()),
                                blocked_reason: event.blocked_reason.as_ref().map(|r| r.as_ref().to_owned()),
                            };
                            if let Ok(mut log) = log.lock() {
                                log.failures.push((event.request_id.clone(), record));
                            }
                        }
                        Some(event) = extra.next() => {
                            if let Ok(mut log) = log.lock() {
                                for blocked in &event.blocked_cookies {
                                    for reason in &blocked.blocked_reasons {
                                        log.blocked_cookies.push((event.request_id.clone(), reason.as_ref().to_owned()));
                                    }
                                }
                            }
                        }
                        Some(event) = console.next() => {
                            if let Ok(mut log) = log.lock() {
                                log.console.push(event.entry.text.clone());
                            }
                        }
                        else => break,
                    }
                }
            })
        };
        page.goto(url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
        Tab {
            page,
            log,
            recorder,
            server,
        }
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        // Reached on a failed assertion too: the servers must not outlive the test, and the
        // browser process is killed when `Browser` drops.
        for server in &self.servers {
            server.abort();
        }
    }
}

/// Answers, over the DevTools `Fetch` domain, what no loopback server can: the `https` URLs of
/// the lab's own name ([`LAB_HOST`]), passed on to the lab over plain `http` and marked so, and,
/// with `dist`, the app at [`HTTPS_APP`] from that folder.
async fn serve_over_devtools(page: &Page, dist: Option<PathBuf>) -> JoinHandle<()> {
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

/// What the DevTools protocol said about a tab's requests.
#[derive(Default)]
struct RequestLog {
    urls: HashMap<RequestId, String>,
    failures: Vec<(RequestId, LoadingFailed)>,
    /// Chromium's reasons (`SameSiteLax`, `ThirdPartyPhaseout` …) for each `Set-Cookie` it
    /// refused to store.
    blocked_cookies: Vec<(RequestId, String)>,
    console: Vec<String>,
}

impl RequestLog {
    fn failures_of(&self, url: &str) -> Vec<LoadingFailed> {
        self.failures
            .iter()
            .filter(|(id, _)| self.urls.get(id).is_some_and(|u| u == url))
            .map(|(_, failure)| failure.clone())
            .collect()
    }
}

/// A browser tab and what Chromium reported about its requests.
pub struct Tab {
    pub page: Page,
    log: Arc<Mutex<RequestLog>>,
    recorder: JoinHandle<()>,
    /// Answers the app's requests under [`Network::AppOverHttps`].
    server: Option<JoinHandle<()>>,
}

impl Drop for Tab {
    fn drop(&mut self) {
        self.recorder.abort();
        if let Some(server) = &self.server {
            server.abort();
        }
    }
}

impl Tab {
    /// Evaluates a JavaScript expression (promises are awaited) and returns its JSON value.
    pub async fn js(&self, expression: &str) -> serde_json::Value {
        self.page
            .evaluate(expression)
            .await
            .unwrap_or_else(|e| panic!("evaluate {expression}: {e}"))
            .value()
            .cloned()
            .unwrap_or(serde_json::Value::Null)
    }

    /// Waits until a JavaScript expression is true.
    pub async fn wait_for_js(&self, what: &str, expression: &str) {
        wait_for(what, Duration::from_secs(15), || async {
            (self.js(expression).await == serde_json::Value::Bool(true)).then_some(())
        })
        .await;
    }

    /// Opens the form's "Headers, body, credentials, time limit" section.
    pub async fn open_options(&self) {
        self.js("document.querySelector('details.options').open = true")
            .await;
    }

    /// Replaces the URL box's text, as a user would type it.
    pub async fn type_url(&self, url: &str) {
        let input = self
            .page
            .find_element("#url")
            .await
            .unwrap_or_else(|e| panic!("#url: {e}"));
        input
            .click()
            .await
            .unwrap_or_else(|e| panic!("click #url: {e}"));
        self.js("document.querySelector('#url').select()").await;
        input
            .type_str(url)
            .await
            .unwrap_or_else(|e| panic!("type into #url: {e}"));
    }

    /// Replaces the text of a form field (`#headers`, `#body`, `#timeout`) as a user would.
    pub async fn type_into(&self, selector: &str, text: &str) {
        self.js(&format!(
            "document.querySelector({}).select()",
            serde_json::Value::from(selector)
        ))
        .await;
        self.page
            .find_element(selector)
            .await
            .unwrap_or_else(|e| panic!("{selector}: {e}"))
            .type_str(text)
            .await
            .unwrap_or_else(|e| panic!("type into {selector}: {e}"));
    }

    /// Pastes `text` into a text field: its value replaced and one `input` event, as a paste is.
    pub async fn paste_into(&self, selector: &str, text: &str) {
        let pasted = self
            .js(&format!(
                "(() => {{ const f = document.querySelector({}); if (!f) return false; f.focus(); \
                 f.value = {}; f.dispatchEvent(new InputEvent('input', {{ bubbles: true, \
                 inputType: 'insertFromPaste' }})); return true; }})()",
                serde_json::Value::from(selector),
                serde_json::Value::from(text)
            ))
            .await;
        assert_eq!(
            pasted,
            serde_json::Value::Bool(true),
            "no {selector} to paste into"
        );
    }

    /// Chooses an option of a `<select>` and fires `change`, as a user's pick does.
    pub async fn choose(&self, selector: &str, value: &str) {
        let script = format!(
            "(() => {{ const s = document.querySelector({}); s.value = {}; \
             s.dispatchEvent(new Event('change', {{ bubbles: true }})); return s.value; }})()",
            serde_json::Value::from(selector),
            serde_json::Value::from(value)
        );
        assert_eq!(
            self.js(&script).await,
            serde_json::Value::from(value),
            "{selector}"
        );
    }

    /// Clicks an element and waits for the report to settle.
    pub async fn click_and_wait(&self, selector: &str) {
        self.page
            .find_element(selector)
            .await
            .unwrap_or_else(|e| panic!("{selector}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {selector}: {e}"));
        self.wait_for_js(
            &format!("the report after clicking {selector}"),
            "['done', 'invalid', 'confirm'].includes(document.querySelector('#report')?.dataset.state)",
        )
        .await;
    }

    /// Types `url`, clicks Inspect and waits for the report.
    pub async fn inspect(&self, url: &str) {
        self.type_url(url).await;
        self.page
            .find_element("#inspect")
            .await
            .unwrap_or_else(|e| panic!("#inspect: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("click #inspect: {e}"));
        self.wait_for_js(
            &format!("the report on {url}"),
            "['done', 'invalid', 'confirm'].includes(document.querySelector('#report')?.dataset.state)",
        )
        .await;
    }

    /// A `data-*` attribute of the first element matching `selector`, or `None`.
    pub async fn data(&self, selector: &str, key: &str) -> Option<String> {
        let expression = format!(
            "document.querySelector({})?.dataset[{}] ?? null",
            serde_json::Value::from(selector),
            serde_json::Value::from(key)
        );
        self.js(&expression).await.as_str().map(str::to_owned)
    }

    /// The text of the first element matching `selector`, or `None`.
    pub async fn text(&self, selector: &str) -> Option<String> {
        let expression = format!(
            "document.querySelector({})?.textContent ?? null",
            serde_json::Value::from(selector)
        );
        self.js(&expression).await.as_str().map(str::to_owned)
    }

    /// Chromium's verdict on `url`, waiting up to `within` for it to arrive.
    pub async fn chromium_verdict(&self, url: &str, within: Duration) -> Option<LoadingFailed> {
        let deadline = Instant::now() + within;
        loop {
            let found = self
                .log
                .lock()
                .ok()
                .and_then(|log| log.failures_of(url).into_iter().next());
            if found.is_some() || Instant::now() >= deadline {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Tab {
    /// Runs axe-core (npm, installed by `scripts/setup.sh --test`; `WHY401_AXE` names the file) on
    /// the page as it is, and returns its violations as `id (impact): selectors` lines.
    pub async fn axe_violations(&self) -> Vec<String> {
        let path = std::env::var("WHY401_AXE").unwrap_or_else(|_| {
            let home = std::env::var("HOME").unwrap_or_default();
            let tools = std::env::var("WHY401_TOOLS").unwrap_or(format!("{home}/.cache/why401"));
            format!("{tools}/npm/node_modules/axe-core/axe.min.js")
        });
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{path}: {e} (scripts/setup.sh --test installs axe-core)"));
        self.js(&format!("{source};true")).await;
        let found = self
            .js(
                "(async () => (await axe.run(document, { resultTypes: ['violations'] })).violations\
                 .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).join(', ')}`))()",
            )
            .await;
        let Some(all) = found.as_array() else {
            panic!("axe did not run: {found}");
        };
        all.iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    }

    /// Shows the page at `width` × `height` CSS pixels (a phone below 500) in the `light` or
    /// `dark` colour scheme.
    pub async fn emulate(&self, width: i64, height: i64, scheme: &str) {
        use chromiumoxide::cdp::browser_protocol::emulation::{
            MediaFeature, SetDeviceMetricsOverrideParams, SetEmulatedMediaParams,
        };
        self.page
            .execute(SetDeviceMetricsOverrideParams::new(
                width,
                height,
                1.0,
                width < 500,
            ))
            .await
            .unwrap_or_else(|e| panic!("viewport: {e}"));
        self.page
            .execute(
                SetEmulatedMediaParams::builder()
                    .features(vec![MediaFeature::new("prefers-color-scheme", scheme)])
                    .build(),
            )
            .await
            .unwrap_or_else(|e| panic!("color scheme: {e}"));
    }

    /// Every line the console has shown so far.
    pub fn console_lines(&self) -> Vec<String> {
        self.log
            .lock()
            .map(|log| log.console.clone())
            .unwrap_or_default()
    }

    /// The URLs this tab requested from any origin but `allowed` ([`origin`]s).
    pub fn requested_outside(&self, allowed: &[String]) -> Vec<String> {
        self.requested_urls()
            .into_iter()
            .filter(|u| !allowed.contains(&origin(u)))
            .collect()
    }

    /// Opens the share panel of a finished report and reads its link, once packed.
    pub async fn share_link(&self) -> String {
        if self.data("#share", "open").await.as_deref() != Some("true") {
            self.js("document.querySelector('#share-open').click()")
                .await;
        }
        self.wait_for_js(
            "the share panel's link",
            "document.querySelector('#share-link') !== null",
        )
        .await;
        self.js("document.querySelector('#share-link').value")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Every URL the tab has requested so far (redirects count once, by their first URL).
    pub fn requested_urls(&self) -> Vec<String> {
        self.log
            .lock()
            .map(|log| log.urls.values().cloned().collect())
            .unwrap_or_default()
    }

    /// The CORS error line Chromium wrote in the console about a request to `url`.
    pub async fn console_line(&self, url: &str) -> String {
        let quoted = format!("at '{url}'");
        wait_for(
            &format!("a console line about {url}"),
            VERDICT_TIMEOUT,
            || async {
                self.log.lock().ok().and_then(|log| {
                    log.console
                        .iter()
                        .find(|line| {
                            line.contains(&quoted) && line.contains("blocked by CORS policy")
                        })
                        .cloned()
                })
            },
        )
        .await
    }

    /// The user's part when the report asks for the server's own answer: runs the command the
    /// report shows (`#curl-command`) as curl would, with `authorization` put in for its
    /// placeholder, pastes everything it prints into the report and waits for the verdict on
    /// it, which it returns (`answer`, `preflight`, `other`, `unreadable`).
    pub async fn paste_curl(&self, authorization: Option<&str>) -> Option<String> {
        let command = self
            .text("#curl-command")
            .await
            .unwrap_or_else(|| panic!("the report shows no curl command"));
        let printed = curl_i(&command, authorization).await;
        self.paste_into("#pasted", &printed).await;
        self.wait_for_js(
            "the pasted answer's verdict",
            "document.querySelector('#pasted-verdict') !== null",
        )
        .await;
        self.data("#pasted-verdict", "pasted").await
    }

    /// Blocks third-party cookies in this tab, as Safari, Firefox's strict mode and private
    /// windows do, or lets them through again, and reloads the app (the setting applies from
    /// the next page load).
    pub async fn block_third_party_cookies(&self, blocked: bool) {
        self.page
            .execute(SetCookieControlsParams::new(blocked, true, true))
            .await
            .unwrap_or_else(|e| panic!("third-party cookie controls: {e}"));
        self.page
            .reload()
            .await
            .unwrap_or_else(|e| panic!("reload: {e}"));
        self.wait_for_js(
            "the app to render its form",
            "document.querySelector('#inspect') !== null",
        )
        .await;
    }

    /// From now on this tab's requests to the `https` URLs of [`LAB_HOST`] are answered by the
    /// lab (the Fetch domain stays off otherwise: it changes how Chromium reports some failures).
    pub async fn answer_lab_over_https(&self) {
        drop(serve_over_devtools(&self.page, None).await);
    }

    /// Opens the form's options and types a scenario's request into them: its headers,
    /// credentials mode and method.
    pub async fn type_request(&self, scenario: &why401_lab::Scenario) {
        self.open_options().await;
        let headers: Vec<String> = scenario
            .request
            .headers
            .iter()
            .map(|(n, v)| format!("{n}: {v}"))
            .collect();
        if !headers.is_empty() {
            self.type_into("#headers", &headers.join("\n")).await;
        }
        self.choose("#credentials", scenario.request.credentials.as_str())
            .await;
        self.choose("#method", scenario.request.method).await;
    }

    /// Why Chromium refused the cookies that the answers for `url` set, after `within`.
    pub async fn blocked_cookies(&self, url: &str, within: Duration) -> Vec<String> {
        tokio::time::sleep(within).await;
        self.log
            .lock()
            .map(|log| {
                log.blocked_cookies
                    .iter()
                    .filter(|(id, _)| log.urls.get(id).is_some_and(|u| u == url))
                    .map(|(_, reason)| reason.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every failure Chromium reported for `url` within `within`.
    pub async fn chromium_verdicts(&self, url: &str, within: Duration) -> Vec<LoadingFailed> {
        tokio::time::sleep(within).await;
        self.log
            .lock()
            .map(|log| log.failures_of(url))
            .unwrap_or_default()
    }
}

/// Polls `probe` until it returns `Some`, or fails the test naming `what` it waited for.
pub async fn wait_for<T, F, Fut>(what: &str, timeout: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn bind() -> TcpListener {
    TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind a loopback port: {e}"))
}

fn local_addr(listener: &TcpListener) -> std::net::SocketAddr {
    listener
        .local_addr()
        .unwrap_or_else(|e| panic!("local address: {e}"))
}

/// Words of a shell command line as the report prints it: `\\` line continuations, words in
/// single quotes (with `'\\''` for a quote) or bare.
fn shell_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = command
        .replace("\\\n", " ")
        .chars()
        .collect::<Vec<_>>()
        .into_iter();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    word.push(q);
                }
            }
            '\\' => {
                in_word = true;
                if let Some(next) = chars.next() {
                    word.push(next);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// What `curl -i` prints for `command` (a `curl -i URL -X … -H … --data-raw …` line) against a
/// loopback server: the request sent as HTTP/1.0 (so that the body is not chunked, as curl
/// shows it decoded), the raw status line, header fields and body read back. `authorization`
/// takes the place of `<credentials>`; a `Cookie` placeholder is left out (the lab keeps none).
pub async fn curl_i(command: &str, authorization: Option<&str>) -> String {
    let words = shell_words(command);
    assert_eq!(
        words.get(..2),
        Some(&["curl".to_owned(), "-i".to_owned()][..]),
        "{command}"
    );
    let mut url = String::new();
    let mut method = "GET".to_owned();
    let mut headers: Vec<String> = Vec::new();
    let mut body = String::new();
    let mut rest = words.into_iter().skip(2);
    while let Some(word) = rest.next() {
        match word.as_str() {
            "-X" => method = rest.next().unwrap_or_default(),
            "-H" => {
                let header = rest.next().unwrap_or_default();
                if header.to_ascii_lowercase().starts_with("cookie:") {
                    continue;
                }
                match (header.split_once(": "), authorization) {
                    (Some((name, value)), Some(real)) if value.ends_with("<credentials>") => {
                        headers.push(format!("{name}: {real}"));
                    }
                    _ => headers.push(header),
                }
            }
            "--data-raw" => body = rest.next().unwrap_or_default(),
            other => other.clone_into(&mut url),
        }
    }
    let rest = url
        .strip_prefix("http://")
        .unwrap_or_else(|| panic!("not http: {url}"));
    let (authority, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_owned()), |(a, p)| (a, format!("/{p}")));
    let mut fields = vec![format!("User-Agent: curl/8.11.1"), "Accept: */*".to_owned()];
    fields.extend(headers);
    let printed = http10(authority, &method, &path, &fields, body.as_bytes()).await;
    String::from_utf8_lossy(&printed).into_owned()
}

/// One HTTP/1.0 exchange with a loopback server (any host name in `authority` reaches
/// `127.0.0.1` on its port): `fields` are `Name: value` lines. Returns the raw answer, status line
/// to body (HTTP/1.0, so the body is not chunked).
async fn http10(
    authority: &str,
    method: &str,
    target: &str,
    fields: &[String],
    body: &[u8],
) -> Vec<u8> {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let port = authority.rsplit_once(':').map_or("80", |(_, port)| port);
    let mut stream = tokio::net::TcpStream::connect(format!("127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|e| panic!("connect to {authority}: {e}"));
    let mut request = format!("{method} {target} HTTP/1.0\r\nHost: {authority}\r\n");
    for field in fields {
        request.push_str(field);
        request.push_str("\r\n");
    }
    if !body.is_empty() {
        request = format!("{request}Content-Length: {}\r\n", body.len());
    }
    request.push_str("\r\n");
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(body);
    stream
        .write_all(&bytes)
        .await
        .unwrap_or_else(|e| panic!("send to {authority}: {e}"));
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .await
        .unwrap_or_else(|e| panic!("read from {authority}: {e}"));
    answer
}
