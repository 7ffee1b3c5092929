//! why401-lab: a loopback server with one endpoint per cause of a failing authenticated request.
//!
//! `GET /` lists the scenarios; `/s/<name>` serves one. The lab is meant to run on a different
//! origin (port) from the app, so that every request the app makes to it is cross-origin, as it
//! is for real users. It can also serve the built app (`dist/`) on a second port, so that the
//! end-to-end tests need one process.

pub mod scenario;

use std::fmt::Write as _;
use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use axum::extract::Path;
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{any, get};
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

use scenario::{Allowed, Cors, GOOD_SESSION, GOOD_TOKEN, Location, Reply};
pub use scenario::{
    COOKIE_VERDICTS, Condition, Expect, LabHost, NETWORK_SCENARIOS, NetworkExpect, NetworkScenario,
    SCENARIOS, Scenario,
};

/// The lab's routes: the scenario list, `/health`, `/s/<name>`, `/delay/<ms>` and `/hostile`.
pub fn lab_router() -> Router {
    Router::new()
        .route("/", get(index))
        .route("/health", get(|| async { "ok" }))
        .route("/s/{name}", any(serve_scenario))
        .route("/delay/{ms}", any(delay))
        .route("/hostile", any(hostile))
}

/// Markup and script where text belongs, for the test that nothing a server sends can run in
/// the page: each payload sets `window.pwned` if it ever executes.
pub const HOSTILE_CHALLENGE: &str = "Bearer realm=\"<img src=x onerror=window.pwned=1>\", error=\"<script>window.pwned=2</script>\"";
pub const HOSTILE_BODY: &str = "<script>window.pwned=3</script><img src=x onerror=\"window.pwned=4\"><a href=\"javascript:window.pwned=5\">x</a><style>body{display:none}</style>";

/// A readable 401 whose challenge, extra header and body are hostile markup.
async fn hostile(headers: HeaderMap) -> Response {
    let mut response = Response::new(Body::from(HOSTILE_BODY));
    *response.status_mut() = StatusCode::UNAUTHORIZED;
    let out = response.headers_mut();
    add_cors(
        out,
        &Cors {
            allow_methods: Some(Allowed::Only("GET, HEAD, OPTIONS")),
            allow_headers: Some(Allowed::Only("Authorization")),
            expose_headers: Some("WWW-Authenticate, X-Why401-Note"),
            ..Cors::ECHO
        },
        &headers,
    );
    out.insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(HOSTILE_CHALLENGE),
    );
    out.insert(
        "x-why401-note",
        HeaderValue::from_static("<iframe src=javascript:window.pwned=6>"),
    );
    out.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    response
}

/// Serves a built app directory (Trunk's `dist/`), with `index.html` for unknown paths.
/// Deliberately without COOP/COEP headers: a cross-origin isolated page would break `no-cors`
/// probes. Gzipped when the browser asks.
pub fn app_router(dist: impl Into<PathBuf>) -> Router {
    let dist = dist.into();
    let index = dist.join("index.html");
    // Compressed as every static host does it (the wasm is a third of its size gzipped).
    Router::new()
        .fallback_service(ServeDir::new(dist).fallback(ServeFile::new(index)))
        .layer(CompressionLayer::new())
}

/// Serves `router` on `listener` until the task is dropped or the process ends.
pub async fn serve(listener: TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(listener, router).await
}

async fn index() -> Html<String> {
    let mut page = String::from(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <title>why401 lab</title><h1>why401 lab</h1>\
         <p>One endpoint per cause. Every endpoint answers any method; the token \
         <code>Bearer lab-good-token</code> is the only one accepted. \
         <code>/delay/MS</code> answers after MS milliseconds; <code>/hostile</code> is a readable \
         401 whose challenge, headers and body are markup and script, which must show as text.</p>\
         <table><tr><th>endpoint</th><th>what it does</th><th>cause</th>\
         <th>request that shows it</th><th>Chromium reports</th></tr>",
    );
    for s in SCENARIOS {
        let headers: Vec<String> = s
            .request
            .headers
            .iter()
            .map(|(n, v)| format!("{n}: {v}"))
            .collect();
        let _ = write!(
            page,
            "<tr><td><a href=\"/s/{name}\">/s/{name}</a></td><td>{title}</td><td>{cause}</td>\
             <td>{method} {headers} (credentials: {credentials})</td><td>{cors}</td></tr>",
            name = escape(s.name),
            title = escape(s.title),
            cause = s.cause.map_or("none (healthy)", |c| c.as_str()),
            method = s.request.method,
            headers = escape(&headers.join("; ")),
            credentials = s.request.credentials.as_str(),
            cors = match s.expect {
                Expect::Readable(status) => format!("no CORS error; the page reads {status}"),
                Expect::Blocked(error) => error.as_str().to_owned(),
                Expect::Failed(text) => format!("the browser refuses the answer: {text}"),
            },
        );
    }
    page.push_str(
        "</table><h2>Conditions around the lab</h2>\
         <p>Causes no server makes: the tests set them up with a closed port, a slow endpoint or \
         Chromium flags.</p><table><tr><th>name</th><th>what happens</th><th>cause</th>\
         <th>Chromium reports</th></tr>",
    );
    for s in NETWORK_SCENARIOS {
        let _ = write!(
            page,
            "<tr><td>{name}</td><td>{title}</td><td>{cause}</td><td>{expect}</td></tr>",
            name = s.name,
            title = escape(s.title),
            cause = s.cause.as_str(),
            expect = match s.expect {
                NetworkExpect::NetError(text) => text.to_owned(),
                NetworkExpect::TimeLimit =>
                    "nothing: the page's time limit aborts first".to_owned(),
                NetworkExpect::Cors(error) => error.as_str().to_owned(),
                NetworkExpect::BlockedReason(reason) => format!("blocked: {reason}"),
            },
        );
    }
    page.push_str("</table></html>");
    Html(page)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Answers `200` after `ms` milliseconds (at most 60 s), with CORS allowed: for timeout tests.
async fn delay(Path(ms): Path<u64>, headers: HeaderMap) -> Response {
    tokio::time::sleep(std::time::Duration::from_millis(ms.min(60_000))).await;
    let mut response = Response::new(Body::from("{\"delayed\":true}"));
    add_cors(response.headers_mut(), &Cors::ECHO, &headers);
    response
}

async fn serve_scenario(Path(name): Path<String>, method: Method, headers: HeaderMap) -> Response {
    match scenario::find(&name) {
        Some(scenario) => respond(scenario, &method, &headers),
        None => (
            StatusCode::NOT_FOUND,
            "no such scenario; GET / lists them\n",
        )
            .into_response(),
    }
}

/// The scenario's answer to one request: the preflight reply, the authorized reply for the good
/// token or session cookie, or the plain reply.
pub fn respond(scenario: &Scenario, method: &Method, headers: &HeaderMap) -> Response {
    let is_preflight =
        method == Method::OPTIONS && headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let authorized = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        == Some(GOOD_TOKEN)
        || headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.split("; ").any(|c| c == GOOD_SESSION));
    let reply = if is_preflight {
        &scenario.preflight
    } else if authorized {
        scenario.authorized.as_ref().unwrap_or(&scenario.response)
    } else {
        &scenario.response
    };
    build_response(reply, headers, method)
}

fn build_response(reply: &Reply, request: &HeaderMap, method: &Method) -> Response {
    let mut response = Response::new(if *method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(reply.body)
    });
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
    let out = response.headers_mut();
    if !reply
        .headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("cache-control"))
    {
        out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    for (name, value) in reply.headers {
        if let Ok(name) = HeaderName::from_bytes(name.as_bytes()) {
            out.append(name, HeaderValue::from_static(value));
        }
    }
    add_cors(out, &reply.cors, request);
    let host = request
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    match reply.location {
        Some(Location::OtherOrigin(path)) => {
            if let Ok(value) =
                HeaderValue::from_str(&format!("http://{}{path}", other_origin(host)))
            {
                out.insert(header::LOCATION, value);
            }
        }
        Some(Location::SameOrigin(path)) => {
            out.insert(header::LOCATION, HeaderValue::from_static(path));
        }
        Some(Location::OtherScheme(path)) => {
            // A request the browser sent over https arrives here marked by the test harness.
            let scheme = if request.contains_key(FORWARDED_HTTPS) {
                "http"
            } else {
                "https"
            };
            if let Ok(value) = HeaderValue::from_str(&format!("{scheme}://{host}{path}")) {
                out.insert(header::LOCATION, value);
            }
        }
        None => {}
    }
    response
}

/// The declared CORS headers, written for this request (its `Origin`, and what a preflight asks
/// for).
fn add_cors(out: &mut HeaderMap, cors: &Cors, request: &HeaderMap) {
    let text = |name| {
        request
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let fields = cors.fields(
        text(header::ORIGIN),
        text(header::ACCESS_CONTROL_REQUEST_METHOD).unwrap_or_default(),
        text(header::ACCESS_CONTROL_REQUEST_HEADERS).unwrap_or_default(),
    );
    let mut written: Vec<HeaderName> = Vec::new();
    for (name, value) in fields {
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) else {
            continue;
        };
        // A name written twice is two fields (EchoTwice); otherwise it replaces.
        if written.contains(&name) {
            out.append(name, value);
        } else {
            written.push(name.clone());
            out.insert(name, value);
        }
    }
}

/// Marks a request that reached the browser's `https` URL and was passed on to the lab over
/// plain `http` (by the end-to-end tests, through the DevTools protocol).
pub const FORWARDED_HTTPS: &str = "x-why401-forwarded-https";

/// `127.0.0.1:PORT` ↔ `localhost:PORT`: the same server, another origin.
fn other_origin(host: &str) -> String {
    match host.split_once(':') {
        Some(("localhost", port)) => format!("127.0.0.1:{port}"),
        Some((_, port)) => format!("localhost:{port}"),
        None if host == "localhost" => "127.0.0.1".to_owned(),
        None => "localhost".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use why401_core::cors::{CorsRequest, CorsVerdict, Engine, ServerReply, simulate};
    use why401_core::evidence::{Evidence, PageContext};
    use why401_core::infer::{Hypothesis, infer};
    use why401_core::plan::{FetchMode, ProbeRequest};
    use why401_core::request::RequestSpec;
    use why401_core::{
        AddressClass, Failure, FailureKind, ProbeOutcome, ResponseSeen, ResponseType,
    };

    const ORIGIN: &str = "http://127.0.0.1:8080";

    fn to_reply(response: &Response) -> ServerReply {
        ServerReply {
            status: response.status().as_u16(),
            headers: response
                .headers()
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
        }
    }

    /// What the forward model says the browser does with `request` sent to `scenario`, given the
    /// lab's real answers to the preflight and to the request.
    fn verdict(scenario: &Scenario, request: &ProbeRequest) -> (CorsVerdict, ServerReply) {
        let mut headers = HeaderMap::new();
        headers.insert(header::ORIGIN, HeaderValue::from_static(ORIGIN));
        for (name, value) in &request.headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                headers.insert(name, value);
            }
        }
        let mut preflight = headers.clone();
        preflight.insert(
            header::ACCESS_CONTROL_REQUEST_METHOD,
            HeaderValue::from_static("GET"),
        );
        let method = Method::from_bytes(request.method.as_bytes()).unwrap_or(Method::GET);
        let cors = CorsRequest {
            origin: ORIGIN.to_owned(),
            method: request.method.clone(),
            headers: request.headers.clone(),
            credentials: request.credentials.cross_origin(),
        };
        let response = to_reply(&respond(scenario, &method, &headers));
        let preflight = to_reply(&respond(scenario, &Method::OPTIONS, &preflight));
        (
            simulate(&cors, Some(&preflight), &response, Engine::Chromium),
            response,
        )
    }

    fn spec_of(scenario: &Scenario) -> RequestSpec {
        let mut spec = RequestSpec::get(&format!("http://127.0.0.1:8081/s/{}", scenario.name));
        spec.headers = scenario
            .request
            .headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        spec.method = scenario.request.method.to_owned();
        spec.credentials = scenario.request.credentials;
        spec
    }

    /// What a page would have seen for one probe, as the forward model predicts it.
    fn observed(scenario: &Scenario, probe: &ProbeRequest) -> ProbeOutcome {
        let seen = |response_type, status| {
            ProbeOutcome::Response(ResponseSeen {
                response_type,
                status,
                status_text: String::new(),
                url: String::new(),
                redirected: false,
                headers: Vec::new(),
                body_excerpt: None,
            })
        };
        if probe.mode == FetchMode::NoCors {
            return seen(ResponseType::Opaque, 0);
        }
        match verdict(scenario, probe) {
            (CorsVerdict::Blocked(_), _) => ProbeOutcome::Failed(Failure {
                kind: FailureKind::Network,
                error_name: "TypeError".to_owned(),
                message: "Failed to fetch".to_owned(),
            }),
            (_, response) => seen(ResponseType::Cors, response.status),
        }
    }

    /// The CORS forward model of why401-core predicts every scenario as the scenario declares it —
    /// and the end-to-end test checks each declaration against Chromium itself.
    #[test]
    fn cors_model_predicts_every_scenario() {
        let mut wrong = Vec::new();
        for scenario in SCENARIOS {
            let spec = spec_of(scenario);
            let request = ProbeRequest {
                url: spec.url.clone(),
                method: scenario.request.method.to_owned(),
                headers: spec.headers.clone(),
                body: None,
                mode: FetchMode::Cors,
                credentials: spec.credentials,
                redirect: why401_core::plan::RedirectMode::Follow,
            };
            let (verdict, _) = verdict(scenario, &request);
            let agrees = match (&verdict, scenario.expect) {
                // Refused before any CORS check: the model has no say.
                (CorsVerdict::Allowed { .. }, Expect::Readable(_)) | (_, Expect::Failed(_)) => true,
                (CorsVerdict::Blocked(failure), Expect::Blocked(error)) => failure.error == error,
                _ => false,
            };
            if !agrees {
                wrong.push(format!(
                    "{}: expected {:?}, model says {verdict:?}",
                    scenario.name, scenario.expect
                ));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    /// The inference of why401-core, fed the probes a page would have seen from each scenario (as
    /// the forward model predicts them), keeps Chromium's verdict for the scenario's own request
    /// among its explanations — and needs a further step whenever it cannot pick one.
    /// Every behaviour the inference can name is shown by some scenario or condition of the lab:
    /// as the scenario's cause, or — for a cause the catalogue ranks below another, such as an
    /// unexposed challenge below the refused credentials — by a scenario named after it.
    #[test]
    fn every_hypothesis_has_a_scenario() {
        let shown: Vec<why401_core::CauseId> = SCENARIOS
            .iter()
            .filter_map(|s| s.cause)
            .chain(NETWORK_SCENARIOS.iter().map(|s| s.cause))
            .collect();
        for hypothesis in Hypothesis::ALL.iter().chain(Hypothesis::FROM_ANSWER) {
            if let Some(cause) = hypothesis.cause() {
                let secondary = why401_core::CauseId::ALL
                    .iter()
                    .any(|c| c.outranks().contains(&cause))
                    && SCENARIOS.iter().any(|s| s.name == hypothesis.as_str());
                assert!(
                    shown.contains(&cause) || secondary,
                    "no lab scenario shows {} ({cause})",
                    hypothesis.as_str()
                );
            }
        }
        assert!(
            SCENARIOS.iter().any(|s| s.cause.is_none()),
            "a healthy endpoint shows the CORS-fine case"
        );
    }

    #[test]
    fn inference_explains_every_scenario() {
        let mut top_agrees = 0;
        let mut wrong = Vec::new();
        for scenario in SCENARIOS {
            let spec = spec_of(scenario);
            let context = PageContext::at(ORIGIN, false, AddressClass::Loopback);
            let evidence = Evidence::planned(&spec, &spec, context, 0, |planned| {
                observed(scenario, &planned.request)
            });
            let inference = infer(&evidence);
            let implied: Vec<_> = inference
                .explanations
                .iter()
                .map(|e| e.implied.as_ref().map(|f| f.error))
                .collect();
            let (fits, agrees) = match scenario.expect {
                Expect::Readable(_) => {
                    // CORS lets it through; what the answer itself shows may come first.
                    let fine = inference
                        .explanations
                        .iter()
                        .any(|e| e.hypothesis == Hypothesis::CorsFine)
                        && implied.first() == Some(&None);
                    (fine, fine)
                }
                Expect::Blocked(error) => (
                    implied.contains(&Some(error))
                        && (inference.explanations.len() == 1 || inference.next_step.is_some()),
                    implied.first() == Some(&Some(error)),
                ),
                // The forward model does not predict a refused answer; the end-to-end tests
                // check what the page makes of it.
                Expect::Failed(_) => (true, false),
            };
            top_agrees += usize::from(agrees);
            if !fits {
                wrong.push(format!(
                    "{}: expected {:?}, inferred {implied:?}",
                    scenario.name, scenario.expect
                ));
            }
        }
        println!(
            "inference: {top_agrees}/{} scenarios' top explanation is Chromium's verdict",
            SCENARIOS.len()
        );
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn other_origin_swaps_loopback_names() {
        assert_eq!(other_origin("127.0.0.1:8081"), "localhost:8081");
        assert_eq!(other_origin("localhost:8081"), "127.0.0.1:8081");
        assert_eq!(other_origin("localhost"), "127.0.0.1");
        assert_eq!(other_origin("127.0.0.1"), "localhost");
    }

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape("<a href=\"x\">&</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }

    /// A request from `origin`.
    fn from(origin: &HeaderValue) -> HeaderMap {
        let mut request = HeaderMap::new();
        request.insert(header::ORIGIN, origin.clone());
        request
    }

    #[test]
    fn cors_echo_mirrors_origin_and_varies() {
        let mut out = HeaderMap::new();
        let origin = HeaderValue::from_static("http://127.0.0.1:8080");
        add_cors(&mut out, &Cors::ECHO_EXPOSED, &from(&origin));
        assert_eq!(out.get(header::ACCESS_CONTROL_ALLOW_ORIGIN), Some(&origin));
        assert_eq!(
            out.get(header::VARY).map(HeaderValue::as_bytes),
            Some(&b"Origin"[..])
        );
        assert_eq!(
            out.get(header::ACCESS_CONTROL_EXPOSE_HEADERS)
                .map(HeaderValue::as_bytes),
            Some(&b"WWW-Authenticate"[..])
        );
    }

    #[test]
    fn cors_echo_twice_sends_two_fields() {
        let mut out = HeaderMap::new();
        let cors = Cors {
            allow_origin: scenario::AllowOrigin::EchoTwice,
            ..Cors::NONE
        };
        add_cors(
            &mut out,
            &cors,
            &from(&HeaderValue::from_static("http://a")),
        );
        assert_eq!(
            out.get_all(header::ACCESS_CONTROL_ALLOW_ORIGIN)
                .iter()
                .count(),
            2
        );
    }

    #[test]
    fn cors_absent_adds_nothing() {
        let mut out = HeaderMap::new();
        add_cors(
            &mut out,
            &Cors::NONE,
            &from(&HeaderValue::from_static("http://a")),
        );
        assert!(out.is_empty());
    }
}
