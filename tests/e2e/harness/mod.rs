//! The end-to-end harness: the lab and the built app served in-process on two loopback origins,
//! and a real headless Chromium driven over the DevTools protocol. Chromium's own verdict on every
//! failed request (`Network.loadingFailed`, with its typed `corsErrorStatus`) is recorded, so the
//! tests can compare what the page shows with what the browser knows.

mod curl;
mod devtools;
mod tab;

pub use curl::curl_i;
use curl::http10;
use devtools::serve_over_devtools;
use tab::RequestLog;
pub use tab::Tab;

use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chromiumoxide::cdp::browser_protocol::log::{EnableParams, EventEntryAdded};
use chromiumoxide::cdp::browser_protocol::network::{
    EventLoadingFailed, EventRequestWillBeSent, EventResponseReceivedExtraInfo, ResourceType,
};
use chromiumoxide::{Browser, BrowserConfig};
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
        let mut sent = listen::<EventRequestWillBeSent>(&page).await;
        let mut failed = listen::<EventLoadingFailed>(&page).await;
        // Why Chromium refused to store a response's cookies.
        let mut extra = listen::<EventResponseReceivedExtraInfo>(&page).await;
        // The console's lines, as a user would copy them from DevTools.
        let mut console = listen::<EventEntryAdded>(&page).await;
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

/// Every event of kind `T` the tab reports from now on.
async fn listen<T: chromiumoxide::cdp::IntoEventKind>(
    page: &chromiumoxide::Page,
) -> chromiumoxide::listeners::EventStream<T> {
    page.event_listener::<T>()
        .await
        .unwrap_or_else(|e| panic!("listen: {e}"))
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
