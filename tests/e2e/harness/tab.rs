//! A browser tab: driving the app as a user would, and what Chromium reported about its
//! requests.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::network::{RequestId, SetCookieControlsParams};
use tokio::task::JoinHandle;

use super::{LoadingFailed, VERDICT_TIMEOUT, curl_i, origin, serve_over_devtools, wait_for};

/// What the DevTools protocol said about a tab's requests.
#[derive(Default)]
pub(super) struct RequestLog {
    pub(super) urls: HashMap<RequestId, String>,
    pub(super) failures: Vec<(RequestId, LoadingFailed)>,
    /// Chromium's reasons (`SameSiteLax`, `ThirdPartyPhaseout` …) for each `Set-Cookie` it
    /// refused to store.
    pub(super) blocked_cookies: Vec<(RequestId, String)>,
    pub(super) console: Vec<String>,
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
    pub(super) log: Arc<Mutex<RequestLog>>,
    pub(super) recorder: JoinHandle<()>,
    /// Answers the app's requests under [`Network::AppOverHttps`].
    pub(super) server: Option<JoinHandle<()>>,
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

    /// Pastes a corpus exchange (`crates/core/tests/corpus/*.http`) on the first screen, as a user
    /// pastes what curl printed — the file's `#` lines say where it comes from and stay out —, and
    /// waits for **Diagnose the paste** to give its report.
    pub async fn diagnose_paste(&self, corpus_file: &str) {
        let exchange: Vec<&str> = corpus_file
            .lines()
            .filter(|l| !l.starts_with("# "))
            .collect();
        self.paste_into("#exchange", &exchange.join("\n")).await;
        self.js("document.querySelector('#diagnose-paste').click()")
            .await;
        self.wait_for_js(
            "the report of the pasted exchange",
            "document.querySelector('#report')?.dataset.state === 'done'",
        )
        .await;
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
