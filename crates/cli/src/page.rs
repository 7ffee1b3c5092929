//! `--origin`: what a page at that origin would see. Every probe the page would send (the core's
//! plan) is sent for real, hop by hop — the preflight too — and run through the core's model of
//! Chromium's `fetch()` (`cors::fetch`: preflights, the CORS check on every response, redirects,
//! what a page may read). What the model lets the page see becomes the probe's outcome, as the
//! page would have recorded it; the terminal's own full view of the answer goes with it, as a
//! user pastes what curl printed.

use std::time::Instant;

use why401_core::cors::{
    Engine, FetchError, HopAnswer, HopRequest, PageRequest, RedirectMode, RequestMode,
    ResponseKind, ServerReply, cors_unsafe_not_forbidden_request_header_names, fetch,
};
use why401_core::evidence::ProbeRecord;
use why401_core::observation::{
    Failure, FailureKind, ProbeOutcome, ResponseSeen, ResponseType, body_excerpt,
};
use why401_core::plan::{FetchMode, PlannedProbe, plan_probes};
use why401_core::request::RequestSpec;

use crate::send::{Answer, Outgoing, agent, one_hop};

/// The last real answer of a probe's hops, and whether a hop got none.
#[derive(Default)]
struct Seen {
    last: Option<Answer>,
    unreachable: bool,
}

/// What the user gave that a page's request does not carry itself.
struct Requested<'a> {
    body: Option<&'a str>,
    /// The `Cookie` header given, standing for the browser's cookies.
    cookie: Option<&'a str>,
}

/// The probes a page at `origin` would send for `spec` (whose headers a page may set), each sent
/// for real and seen through the model of Chromium's `fetch()`; `cookie` stands for the cookies
/// the browser holds for the API.
pub fn probes(
    spec: &RequestSpec,
    origin: &str,
    cookie: Option<&str>,
    outgoing: &Outgoing,
) -> Vec<ProbeRecord> {
    let agent = agent(outgoing);
    plan_probes(spec, true)
        .unwrap_or_default()
        .into_iter()
        .map(|planned| probe(&agent, origin, &planned, cookie))
        .collect()
}

fn probe(
    agent: &ureq::Agent,
    origin: &str,
    planned: &PlannedProbe,
    cookie: Option<&str>,
) -> ProbeRecord {
    let started = Instant::now();
    let sent = &planned.request;
    let request = PageRequest {
        origin: origin.to_owned(),
        url: sent.url.clone(),
        method: sent.method.clone(),
        headers: sent.headers.clone(),
        mode: match sent.mode {
            FetchMode::Cors => RequestMode::Cors,
            FetchMode::NoCors => RequestMode::NoCors,
        },
        credentials: sent.credentials,
        redirect: match sent.redirect {
            why401_core::plan::RedirectMode::Follow => RedirectMode::Follow,
            why401_core::plan::RedirectMode::Manual => RedirectMode::Manual,
        },
    };
    let mut seen = Seen::default();
    let requested = Requested {
        body: sent.body.as_deref(),
        cookie,
    };
    let outcome = fetch(&request, Engine::Chromium, |hop| {
        answer(agent, hop, &requested, &mut seen)
    });
    let outcome = if seen.unreachable {
        ProbeOutcome::Failed(Failure::failed_to_fetch())
    } else {
        match outcome.result {
            Ok(fetched) => {
                let last = seen.last.unwrap_or_default();
                let response_type = match fetched.kind {
                    ResponseKind::Basic => ResponseType::Basic,
                    ResponseKind::Cors => ResponseType::Cors,
                    ResponseKind::Opaque => ResponseType::Opaque,
                    ResponseKind::OpaqueRedirect => ResponseType::OpaqueRedirect,
                };
                ResponseProbe {
                    response_type,
                    fetched_url: fetched.url,
                    status: fetched.status,
                    names: fetched.readable,
                    redirected: outcome.hops.len() > 1,
                }
                .seen(&last)
            }
            Err(FetchError::ForbiddenMethod) => ProbeOutcome::Failed(Failure {
                kind: FailureKind::Rejected,
                error_name: "TypeError".to_owned(),
                message: "Failed to execute 'fetch' on 'Window': forbidden method.".to_owned(),
            }),
            Err(_) => ProbeOutcome::Failed(Failure::failed_to_fetch()),
        }
    };
    ProbeRecord {
        kinds: planned.kinds.clone(),
        sent: planned.request.clone(),
        outcome,
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
    }
}

/// What the model let the page have of the last answer.
struct ResponseProbe {
    response_type: ResponseType,
    fetched_url: String,
    status: u16,
    names: Vec<String>,
    redirected: bool,
}

impl ResponseProbe {
    fn seen(self, last: &Answer) -> ProbeOutcome {
        // Only a basic or CORS response lets the page read anything.
        if !matches!(self.response_type, ResponseType::Basic | ResponseType::Cors) {
            return ProbeOutcome::Response(ResponseSeen {
                response_type: self.response_type,
                ..ResponseSeen::opaque()
            });
        }
        let headers = last
            .headers
            .iter()
            .filter(|(n, _)| self.names.iter().any(|r| r.eq_ignore_ascii_case(n)))
            .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
            .collect();
        ProbeOutcome::Response(ResponseSeen {
            response_type: self.response_type,
            status: self.status,
            status_text: last.reason.clone(),
            url: self.fetched_url,
            redirected: self.redirected,
            headers,
            body_excerpt: Some(body_excerpt(&last.body)),
        })
    }
}

/// The server's answers to one hop: its preflight, sent first when the model asks for one, and
/// the request itself.
fn answer(
    agent: &ureq::Agent,
    hop: &HopRequest,
    request: &Requested<'_>,
    seen: &mut Seen,
) -> HopAnswer {
    let with_origin = |mut headers: Vec<(String, String)>| {
        if let Some(origin) = &hop.origin {
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case("origin"));
            headers.push(("Origin".to_owned(), origin.clone()));
        }
        headers
    };
    let preflight = hop.preflight.then(|| {
        let mut headers = vec![(
            "Access-Control-Request-Method".to_owned(),
            hop.method.clone(),
        )];
        let names = cors_unsafe_not_forbidden_request_header_names(&hop.headers);
        if !names.is_empty() {
            headers.push(("Access-Control-Request-Headers".to_owned(), names.join(",")));
        }
        reply(
            one_hop(agent, "OPTIONS", &hop.url, &with_origin(headers), None),
            seen,
        )
    });
    let mut headers = with_origin(hop.headers.clone());
    // The cookies the user gave stand for the ones the browser holds: they go where it would
    // send cookies.
    if hop.credentials
        && let Some(cookie) = request.cookie
    {
        headers.push(("Cookie".to_owned(), cookie.to_owned()));
    }
    let response = reply(
        one_hop(agent, &hop.method, &hop.url, &headers, request.body),
        seen,
    );
    HopAnswer {
        preflight,
        response,
    }
}

fn reply(answer: Result<Answer, String>, seen: &mut Seen) -> ServerReply {
    let Ok(answer) = answer else {
        seen.unreachable = true;
        return ServerReply::default();
    };
    let reply = ServerReply {
        status: answer.status,
        headers: answer.headers.clone(),
    };
    seen.last = Some(answer);
    reply
}
