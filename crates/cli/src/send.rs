//! The one part that touches the network: sends the request as given — no browser, so no CORS and
//! no header a page may not set — follows redirects the way curl's `-L` does, and writes the
//! exchange down as `curl -v` prints it, which the engine reads as a pasted exchange.

use std::fmt::Write as _;
use std::io::Read as _;
use std::time::{Duration, Instant};

use url::Url;

/// The most of a body the transcript keeps: the engine reads an excerpt of it.
const BODY_BYTES: u64 = 64 * 1024;
/// As curl's `--max-redirs` default for a browser-like client: Chromium stops at 20.
const MAX_HOPS: usize = 20;

/// A request to send.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    /// Follow redirects (the default, as a page's `fetch()` does); `--no-follow` stops at the first.
    pub follow: bool,
    /// curl's `--location-trusted`: keep `Authorization` and `Cookie` on a redirect to another host.
    pub location_trusted: bool,
    /// curl's `-k`: any TLS certificate.
    pub insecure: bool,
    pub timeout: Duration,
}

/// What went back and forth.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// Every hop as `curl -v` prints it: `> ` lines sent, `< ` lines received, then the body.
    pub transcript: String,
    /// The last answer's status.
    pub status: u16,
    pub hops: usize,
    pub elapsed: Duration,
}

/// Why no answer came.
#[derive(Debug)]
pub struct Unreachable {
    pub url: String,
    pub detail: String,
    /// What was exchanged before (redirects that came back), if anything.
    pub transcript: String,
}

impl std::fmt::Display for Unreachable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "No answer from {}: {}.", self.url, self.detail)
    }
}

pub fn agent(outgoing: &Outgoing) -> ureq::Agent {
    let tls = ureq::tls::TlsConfig::builder()
        .disable_verification(outgoing.insecure)
        .build();
    ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .allow_non_standard_methods(true)
        .timeout_global(Some(outgoing.timeout))
        .tls_config(tls)
        .build()
        .into()
}

/// The headers sent to `url`: the given ones, a `User-Agent` and `Accept` unless given (so that
/// the transcript shows all that was sent), never the `Host` the URL names.
fn headers_for(given: &[(String, String)]) -> Vec<(String, String)> {
    let has = |name: &str| given.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    let mut headers: Vec<(String, String)> = given
        .iter()
        .filter(|(n, _)| !n.eq_ignore_ascii_case("host") && !n.starts_with(':'))
        .cloned()
        .collect();
    if !has("user-agent") {
        headers.push((
            "User-Agent".to_owned(),
            concat!("why401/", env!("CARGO_PKG_VERSION")).to_owned(),
        ));
    }
    if !has("accept") {
        headers.push(("Accept".to_owned(), "*/*".to_owned()));
    }
    headers
}

/// Sends `outgoing`, hop by hop.
///
/// # Errors
/// The URL cannot be read, or no answer came (name resolution, connection, TLS, time limit).
pub fn send(outgoing: &Outgoing) -> Result<Exchange, Unreachable> {
    let agent = agent(outgoing);
    let started = Instant::now();
    let mut transcript = String::new();
    let mut url = Url::parse(outgoing.url.trim()).map_err(|e| Unreachable {
        url: outgoing.url.clone(),
        detail: format!("the URL cannot be read ({e})"),
        transcript: String::new(),
    })?;
    let mut method = outgoing.method.clone();
    let mut headers = headers_for(&outgoing.headers);
    let mut body = outgoing.body.clone();
    for hop in 1..=MAX_HOPS {
        write_request(&mut transcript, &method, &url, &headers, body.as_deref());
        let answer = exchange(&agent, &method, &url, &headers, body.as_deref()).map_err(|e| {
            Unreachable {
                url: url.to_string(),
                detail: e,
                transcript: transcript.clone(),
            }
        })?;
        write_response(&mut transcript, &answer);
        let location = why401_core::observation::field_value(&answer.headers, "location")
            .and_then(|v| url.join(v.trim()).ok());
        let next = location.filter(|_| {
            outgoing.follow
                && why401_core::cors::is_redirect_status(answer.status)
                && hop < MAX_HOPS
        });
        let Some(next) = next else {
            return Ok(Exchange {
                transcript,
                status: answer.status,
                hops: hop,
                elapsed: started.elapsed(),
            });
        };
        // As curl -L (and the Fetch standard): 303, and 301/302 after a POST, become a GET
        // without a body; a redirect to another host drops the credentials unless trusted.
        if let Some(changed) = why401_core::cors::redirected_method(answer.status, &method) {
            changed.clone_into(&mut method);
            body = None;
            headers.retain(|(n, _)| {
                !n.eq_ignore_ascii_case("content-length")
                    && !why401_core::cors::REQUEST_BODY_HEADERS
                        .iter()
                        .any(|h| h.eq_ignore_ascii_case(n))
            });
        }
        if next.origin() != url.origin() && !outgoing.location_trusted {
            headers.retain(|(n, _)| {
                !n.eq_ignore_ascii_case("authorization") && !n.eq_ignore_ascii_case("cookie")
            });
        }
        url = next;
    }
    Err(Unreachable {
        url: url.to_string(),
        detail: format!("more than {MAX_HOPS} redirects"),
        transcript,
    })
}

/// One answer, as it came.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    pub status: u16,
    pub reason: String,
    pub version: &'static str,
    pub headers: Vec<(String, String)>,
    /// At most [`BODY_BYTES`] of it.
    pub body: String,
}

/// Sends one request, following nothing.
///
/// # Errors
/// The URL cannot be read, or no answer came.
pub fn one_hop(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: Option<&str>,
) -> Result<Answer, String> {
    let url = Url::parse(url).map_err(|e| format!("the URL cannot be read ({e})"))?;
    exchange(agent, method, &url, headers, body)
}

fn exchange(
    agent: &ureq::Agent,
    method: &str,
    url: &Url,
    headers: &[(String, String)],
    body: Option<&str>,
) -> Result<Answer, String> {
    let mut request = ureq::http::Request::builder()
        .method(method)
        .uri(url.as_str());
    for (name, value) in headers {
        request = request.header(name.as_str(), value.as_str());
    }
    let request = request
        .body(body.unwrap_or_default().as_bytes().to_vec())
        .map_err(|e| format!("the request cannot be made ({e})"))?;
    let mut response = agent.run(request).map_err(|e| describe(&e))?;
    let status = response.status();
    let version = match response.version() {
        ureq::http::Version::HTTP_10 => "HTTP/1.0",
        ureq::http::Version::HTTP_2 => "HTTP/2",
        _ => "HTTP/1.1",
    };
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut bytes = Vec::new();
    // A body cut short (the time limit, a dropped connection) still tells what came.
    let _ = response
        .body_mut()
        .as_reader()
        .take(BODY_BYTES)
        .read_to_end(&mut bytes);
    Ok(Answer {
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or_default().to_owned(),
        version,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

/// A sentence for what kept the answer away.
fn describe(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(_) => "no answer within the time limit (--timeout)".to_owned(),
        ureq::Error::HostNotFound => "the host name does not resolve".to_owned(),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "the connection was refused: nothing listens on that port".to_owned()
        }
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => format!(
            "the TLS handshake failed ({error}); -k accepts any certificate, to see whether that is all"
        ),
        other => other.to_string(),
    }
}

fn write_request(
    out: &mut String,
    method: &str,
    url: &Url,
    headers: &[(String, String)],
    body: Option<&str>,
) {
    let target = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let _ = writeln!(out, "> {method} {target} HTTP/1.1");
    if let Some(host) = url.host_str() {
        match url.port() {
            Some(port) => {
                let _ = writeln!(out, "> Host: {host}:{port}");
            }
            None => {
                let _ = writeln!(out, "> Host: {host}");
            }
        }
    }
    for (name, value) in headers {
        let _ = writeln!(out, "> {name}: {value}");
    }
    if let Some(body) = body.filter(|b| !b.is_empty()) {
        let _ = writeln!(out, "> Content-Length: {}", body.len());
    }
    out.push_str(">\n");
}

fn write_response(out: &mut String, answer: &Answer) {
    let _ = writeln!(
        out,
        "< {} {} {}",
        answer.version, answer.status, answer.reason
    );
    for (name, value) in &answer.headers {
        let _ = writeln!(out, "< {name}: {value}");
    }
    out.push_str("<\n");
    if !answer.body.is_empty() {
        out.push_str(&answer.body);
        if !answer.body.ends_with('\n') {
            out.push('\n');
        }
    }
}
