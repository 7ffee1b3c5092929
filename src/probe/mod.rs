//! The probe layer: the only code that calls `fetch()` or touches `JsValue`s. It turns what the
//! browser hands back into `why401_core` data at once.

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, Headers, Request, RequestCache, RequestCredentials, RequestInit, RequestMode,
    RequestRedirect, Response,
};
use why401_core::cors::CredentialsMode;
use why401_core::observation::body_excerpt;
use why401_core::plan::{FetchMode, ProbeRequest, RedirectMode};
use why401_core::{AddressClass, Failure, FailureKind, ProbeOutcome, ResponseSeen, ResponseType};

pub use why401_core::request::DEFAULT_TIMEOUT_MS;

/// One probe's result and how long it took.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeResult {
    pub outcome: ProbeOutcome,
    pub elapsed_ms: f64,
}

/// Sends one plain `GET` of `url` the way a page's script would (`mode: 'cors'`, the default
/// credentials mode), with `cache: 'no-store'` and a time limit, and reports what the page saw.
pub async fn fetch_get(url: &str, timeout_ms: u32) -> ProbeResult {
    let request = ProbeRequest {
        url: url.to_owned(),
        method: "GET".to_owned(),
        headers: Vec::new(),
        body: None,
        mode: FetchMode::Cors,
        credentials: CredentialsMode::SameOrigin,
        redirect: RedirectMode::Follow,
    };
    run_probe(&request, timeout_ms, None).await
}

/// Sends `request` exactly as described, with `cache: 'no-store'` and a time limit, and reports
/// what the page saw. `stop`, when it aborts, ends the request early (an `Aborted` failure).
pub async fn run_probe(
    request: &ProbeRequest,
    timeout_ms: u32,
    stop: Option<&AbortSignal>,
) -> ProbeResult {
    let started = now_ms();
    let outcome = match send(request, timeout_ms, stop).await {
        Ok(response) => ProbeOutcome::Response(read_response(&response).await),
        Err(SendError::Build(error)) => {
            ProbeOutcome::Failed(failure(FailureKind::Rejected, &error))
        }
        Err(SendError::Fetch(error)) => {
            ProbeOutcome::Failed(failure(classify_fetch_error(&error), &error))
        }
    };
    ProbeResult {
        outcome,
        elapsed_ms: now_ms() - started,
    }
}

/// Where a request failed: the browser refused to build it, or `fetch()` rejected.
enum SendError {
    Build(JsValue),
    Fetch(JsValue),
}

fn build_request(
    probe: &ProbeRequest,
    timeout_ms: u32,
    stop: Option<&AbortSignal>,
) -> Result<Request, JsValue> {
    let init = RequestInit::new();
    init.set_method(&probe.method);
    init.set_mode(match probe.mode {
        FetchMode::Cors => RequestMode::Cors,
        FetchMode::NoCors => RequestMode::NoCors,
    });
    init.set_credentials(match probe.credentials {
        CredentialsMode::Omit => RequestCredentials::Omit,
        CredentialsMode::SameOrigin => RequestCredentials::SameOrigin,
        CredentialsMode::Include => RequestCredentials::Include,
    });
    init.set_redirect(match probe.redirect {
        RedirectMode::Follow => RequestRedirect::Follow,
        RedirectMode::Manual => RequestRedirect::Manual,
    });
    init.set_cache(RequestCache::NoStore);
    let timeout = AbortSignal::timeout_with_u32(timeout_ms);
    let signal = match stop {
        Some(stop) => AbortSignal::any(&Array::of2(&timeout, stop)),
        None => timeout,
    };
    init.set_signal(Some(&signal));
    let headers = Headers::new()?;
    for (name, value) in &probe.headers {
        headers.append(name, value)?;
    }
    init.set_headers(&headers);
    if let Some(body) = &probe.body {
        init.set_body(&JsValue::from_str(body));
    }
    Request::new_with_str_and_init(&probe.url, &init)
}

async fn send(
    probe: &ProbeRequest,
    timeout_ms: u32,
    stop: Option<&AbortSignal>,
) -> Result<Response, SendError> {
    let window =
        web_sys::window().ok_or_else(|| SendError::Build(JsValue::from_str("no window")))?;
    let request = build_request(probe, timeout_ms, stop).map_err(SendError::Build)?;
    JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(SendError::Fetch)?
        .dyn_into::<Response>()
        .map_err(SendError::Fetch)
}
async fn read_response(response: &Response) -> ResponseSeen {
    let response_type = match response.type_() {
        web_sys::ResponseType::Basic => ResponseType::Basic,
        web_sys::ResponseType::Cors => ResponseType::Cors,
        web_sys::ResponseType::Opaque => ResponseType::Opaque,
        web_sys::ResponseType::Opaqueredirect => ResponseType::OpaqueRedirect,
        web_sys::ResponseType::Error => ResponseType::Error,
        _ => ResponseType::Default,
    };
    let body_excerpt = match response_type {
        ResponseType::Opaque | ResponseType::OpaqueRedirect => None,
        _ => read_text(response).await.map(|body| body_excerpt(&body)),
    };
    ResponseSeen {
        response_type,
        status: response.status(),
        status_text: response.status_text(),
        url: response.url(),
        redirected: response.redirected(),
        headers: readable_headers(response),
        body_excerpt,
    }
}

async fn read_text(response: &Response) -> Option<String> {
    let promise = response.text().ok()?;
    JsFuture::from(promise).await.ok()?.as_string()
}

/// The headers the browser lets the page read: for a CORS response, the safelisted ones and those
/// in `Access-Control-Expose-Headers`.
fn readable_headers(response: &Response) -> Vec<(String, String)> {
    let Ok(Some(entries)) = js_sys::try_iter(&response.headers()) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let pair: Array = entry.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// A rejected `fetch()`: our time limit (`TimeoutError`), another abort, or the `TypeError` that
/// stands for every network and CORS failure. Decided by the exception's type, never its message.
fn classify_fetch_error(error: &JsValue) -> FailureKind {
    if error.is_instance_of::<web_sys::DomException>() {
        match string_property(error, "name").as_deref() {
            Some("TimeoutError") => FailureKind::Timeout,
            _ => FailureKind::Aborted,
        }
    } else {
        FailureKind::Network
    }
}

fn failure(kind: FailureKind, error: &JsValue) -> Failure {
    Failure {
        kind,
        error_name: string_property(error, "name").unwrap_or_else(|| "Error".to_owned()),
        message: string_property(error, "message")
            .or_else(|| error.as_string())
            .unwrap_or_default(),
    }
}

fn string_property(value: &JsValue, name: &str) -> Option<String> {
    Reflect::get(value, &JsValue::from_str(name))
        .ok()?
        .as_string()
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Where the probes run: this page's origin, whether it is a secure context, cookies, the
/// browser, and the target's scheme and address class.
pub fn page_context(target: &why401_core::TargetUrl) -> why401_core::evidence::PageContext {
    let window = web_sys::window();
    let navigator = window.as_ref().map(web_sys::Window::navigator);
    why401_core::evidence::PageContext {
        origin: window
            .as_ref()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default(),
        secure_context: window
            .as_ref()
            .is_some_and(web_sys::Window::is_secure_context),
        cookies_enabled: navigator.as_ref().is_some_and(|n| {
            Reflect::get(n, &JsValue::from_str("cookieEnabled"))
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false)
        }),
        target_secure: target.secure,
        target_address: target.address_class,
        local_network_permission: None,
        user_agent: navigator
            .and_then(|n| n.user_agent().ok())
            .unwrap_or_default(),
    }
}

/// The Local Network Access permission for requests to `address` (`granted`, `denied`,
/// `prompt`), as `navigator.permissions` answers it; `None` for a public address or in a browser
/// without the feature (there the query throws).
pub async fn local_network_permission(address: AddressClass) -> Option<String> {
    let name = match address {
        AddressClass::Loopback => "loopback-network",
        AddressClass::Private => "local-network",
        AddressClass::Public => return None,
    };
    let permissions = Reflect::get(&web_sys::window()?.navigator(), &"permissions".into()).ok()?;
    let query: js_sys::Function = Reflect::get(&permissions, &"query".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let descriptor = js_sys::Object::new();
    Reflect::set(&descriptor, &"name".into(), &name.into()).ok()?;
    let promise: js_sys::Promise = query
        .call1(&permissions, &descriptor)
        .ok()?
        .dyn_into()
        .ok()?;
    let status = JsFuture::from(promise).await.ok()?;
    string_property(&status, "state")
}

/// One of the app's own files (a relative URL, resolved against the page), as bytes: the advice
/// the report loads after its first paint. `None` when it cannot be had.
pub async fn fetch_asset(path: &str) -> Option<Vec<u8>> {
    let window = web_sys::window()?;
    let response: Response = JsFuture::from(window.fetch_with_str(path))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !response.ok() {
        return None;
    }
    read_text(&response).await.map(String::into_bytes)
}

/// Seconds since the epoch, by this computer's clock.
pub fn now_seconds() -> i64 {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "milliseconds since 1970 fit in i64"
    )]
    let seconds = (js_sys::Date::now() / 1000.0).floor() as i64;
    seconds
}

/// Performance marks around an inspection: `make bench` measures from one to the other.
pub const MARK_INSPECT: &str = "why401:inspect";
pub const MARK_REPORT: &str = "why401:report";

/// Sets a User Timing mark (`performance.mark`), if the page has a Performance object.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// This page's origin (`https://why401.example.org`).
pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Whether a frame of another origin holds this page (clickjacking: a nearly transparent frame
/// over a decoy button). Walks up to the top window; reading a cross-origin window's origin
/// throws, which is the answer.
pub fn framed_by_another_origin() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let own = page_origin();
    let mut current = window;
    // A frame tree is shallow; the bound keeps a hostile one from looping.
    for _ in 0..64 {
        let parent = match current.parent() {
            Ok(Some(parent)) => parent,
            Ok(None) => return false,
            Err(_) => return true,
        };
        if JsValue::from(&parent) == JsValue::from(&current) {
            return false;
        }
        match parent.location().origin() {
            Ok(origin) if origin == own => current = parent,
            _ => return true,
        }
    }
    true
}
