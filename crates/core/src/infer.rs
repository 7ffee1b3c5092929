//! Inference: which server behaviours explain what the probes saw?
//!
//! Each hypothesis is a small model of a server. For every probe that was sent, the CORS forward
//! model predicts what the browser would have done with that server's answers; a hypothesis that
//! predicts something the probes did not see is dropped. What survives explains the evidence. When
//! several survive and imply different failures of the user's own request, the report names the
//! one further step that tells them apart — it never guesses.

use crate::cause::CauseId;
use crate::console::{ConsoleLine, ConsoleProblem, parse_console_line};
use crate::cors::{
    CorsError, CorsFailure, CorsRequest, CorsVerdict, Engine, ServerReply, simulate,
};
use crate::evidence::{Evidence, ProbeRecord};
use crate::observation::{FailureKind, ProbeOutcome, ResponseType};
use crate::pasted::{PasteProblem, Pasted};
use crate::plan::{FetchMode, ProbeRequest};
use crate::target::AddressClass;

/// A candidate server (or network) behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hypothesis {
    /// CORS is set up right for this request.
    CorsFine,
    /// No CORS headers on any response.
    NoCorsHeaders,
    /// CORS headers on the preflight and on success, none on the 401.
    NoCorsOnErrors,
    /// `Access-Control-Allow-Origin` names another origin (a fixed allow-list entry).
    AllowOriginMismatch,
    /// Two `Access-Control-Allow-Origin` values (a proxy and the app both add one).
    MultipleAllowOrigin,
    /// `Access-Control-Allow-Origin: *` on every answer.
    WildcardOrigin,
    /// The origin is echoed but `Access-Control-Allow-Credentials: true` is missing.
    MissingAllowCredentials,
    /// The preflight is rejected with 401 by an auth layer that adds no CORS headers.
    AuthOnPreflight,
    /// The preflight gets a non-2xx status (404, 405, 401) with CORS headers.
    PreflightStatus,
    /// The preflight is answered with a redirect (to a login page, or http → https).
    PreflightRedirect,
    /// The preflight answer does not list the request's headers.
    HeaderNotAllowed,
    /// `Access-Control-Allow-Headers: *`: covers `Authorization` in Chromium only without
    /// credentials.
    WildcardAllowHeaders,
    /// The preflight answer does not list the method.
    MethodNotAllowed,
    /// Nothing answers: DNS, refused connection, TLS.
    Unreachable,
    /// Nothing answers within the time limit: a slow server, or packets dropped on the way.
    TimedOut,
    /// An `http` target from an `https` page: blocked before the network.
    MixedContent,
    /// A local or loopback target from a public page without the permission.
    LocalNetworkAccess,
    /// Read from the user's own readable answer, not predicted by the forward model: a 401 whose
    /// challenge the page cannot read (not in `Access-Control-Expose-Headers`, or not sent).
    ChallengeNotExposed,
    /// Read from the user's own readable answer: a redirect to another origin, which drops the
    /// request's `Authorization` header on the way.
    RedirectDroppedAuthorization,
}

impl Hypothesis {
    pub const ALL: &'static [Hypothesis] = &[
        Hypothesis::CorsFine,
        Hypothesis::NoCorsHeaders,
        Hypothesis::NoCorsOnErrors,
        Hypothesis::AllowOriginMismatch,
        Hypothesis::MultipleAllowOrigin,
        Hypothesis::WildcardOrigin,
        Hypothesis::MissingAllowCredentials,
        Hypothesis::AuthOnPreflight,
        Hypothesis::PreflightStatus,
        Hypothesis::PreflightRedirect,
        Hypothesis::HeaderNotAllowed,
        Hypothesis::WildcardAllowHeaders,
        Hypothesis::MethodNotAllowed,
        Hypothesis::Unreachable,
        Hypothesis::TimedOut,
        Hypothesis::MixedContent,
        Hypothesis::LocalNetworkAccess,
    ];

    /// The behaviours read from the user's own readable answer rather than predicted.
    pub const FROM_ANSWER: &'static [Hypothesis] = &[
        Hypothesis::ChallengeNotExposed,
        Hypothesis::RedirectDroppedAuthorization,
    ];

    /// The catalogue cause this behaviour is, if it is a problem.
    pub const fn cause(self) -> Option<CauseId> {
        Some(match self {
            Hypothesis::CorsFine => return None,
            Hypothesis::NoCorsHeaders => CauseId::CorsMissingAllowOrigin,
            Hypothesis::NoCorsOnErrors => CauseId::CorsNoHeadersOnError,
            Hypothesis::AllowOriginMismatch => CauseId::CorsAllowOriginMismatch,
            Hypothesis::MultipleAllowOrigin => CauseId::CorsMultipleAllowOrigin,
            Hypothesis::WildcardOrigin => CauseId::CorsWildcardWithCredentials,
            Hypothesis::MissingAllowCredentials => CauseId::CorsMissingAllowCredentials,
            Hypothesis::AuthOnPreflight => CauseId::AuthOnPreflight,
            Hypothesis::PreflightStatus => CauseId::CorsPreflightStatus,
            Hypothesis::PreflightRedirect => CauseId::CorsPreflightRedirect,
            Hypothesis::HeaderNotAllowed => CauseId::CorsHeaderNotAllowed,
            Hypothesis::WildcardAllowHeaders => CauseId::CorsWildcardDoesNotCoverAuthorization,
            Hypothesis::MethodNotAllowed => CauseId::CorsMethodNotAllowed,
            Hypothesis::Unreachable => CauseId::Unreachable,
            Hypothesis::TimedOut => CauseId::Timeout,
            Hypothesis::MixedContent => CauseId::MixedContent,
            Hypothesis::LocalNetworkAccess => CauseId::LocalNetworkAccess,
            Hypothesis::ChallengeNotExposed => CauseId::CorsChallengeNotExposed,
            Hypothesis::RedirectDroppedAuthorization => CauseId::RedirectDroppedAuthorization,
        })
    }

    /// A stable name for the DOM (`data-hypothesis`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Hypothesis::CorsFine => "cors-fine",
            Hypothesis::NoCorsHeaders => "no-cors-headers",
            Hypothesis::NoCorsOnErrors => "no-cors-on-errors",
            Hypothesis::AllowOriginMismatch => "allow-origin-mismatch",
            Hypothesis::MultipleAllowOrigin => "multiple-allow-origin",
            Hypothesis::WildcardOrigin => "wildcard-origin",
            Hypothesis::MissingAllowCredentials => "missing-allow-credentials",
            Hypothesis::AuthOnPreflight => "auth-on-preflight",
            Hypothesis::PreflightStatus => "preflight-status",
            Hypothesis::PreflightRedirect => "preflight-redirect",
            Hypothesis::HeaderNotAllowed => "header-not-allowed",
            Hypothesis::WildcardAllowHeaders => "wildcard-allow-headers",
            Hypothesis::MethodNotAllowed => "method-not-allowed",
            Hypothesis::Unreachable => "unreachable",
            Hypothesis::TimedOut => "timed-out",
            Hypothesis::MixedContent => "mixed-content",
            Hypothesis::LocalNetworkAccess => "local-network-access",
            Hypothesis::ChallengeNotExposed => "challenge-not-exposed",
            Hypothesis::RedirectDroppedAuthorization => "redirect-dropped-authorization",
        }
    }

    /// The server behaviour in one sentence: its cause's summary.
    pub const fn summary(self) -> &'static str {
        match self.cause() {
            Some(cause) => cause.summary(),
            None => "The CORS exchange lets this request through; the answer is the server's own.",
        }
    }

    /// Whether the browser stops the request before any server can answer.
    fn blocks_before_network(self) -> bool {
        matches!(
            self,
            Hypothesis::Unreachable | Hypothesis::MixedContent | Hypothesis::LocalNetworkAccess
        )
    }
}

/// The answers a server with this behaviour gives to one request: the preflight's and the
/// response's.
fn server(hypothesis: Hypothesis, request: &CorsRequest) -> (ServerReply, ServerReply) {
    let origin = request.origin.as_str();
    let names: Vec<&str> = request.headers.iter().map(|(n, _)| n.as_str()).collect();
    let all_headers = if names.is_empty() {
        "Content-Type".to_owned()
    } else {
        names.join(", ")
    };
    let echo = |extra: &[(&str, &str)]| {
        let mut headers = vec![
            ("Access-Control-Allow-Origin".to_owned(), origin.to_owned()),
            (
                "Access-Control-Allow-Credentials".to_owned(),
                "true".to_owned(),
            ),
            ("Vary".to_owned(), "Origin".to_owned()),
        ];
        headers.extend(
            extra
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
        );
        headers
    };
    let reply = |status, headers| ServerReply { status, headers };
    let allowing = |methods: &str, headers: &str| {
        reply(
            204,
            echo(&[
                ("Access-Control-Allow-Methods", methods),
                ("Access-Control-Allow-Headers", headers),
            ]),
        )
    };
    let good_preflight = allowing(&request.method, &all_headers);
    let good_response = reply(
        401,
        echo(&[("Access-Control-Expose-Headers", "WWW-Authenticate")]),
    );
    match hypothesis {
        Hypothesis::NoCorsHeaders => (reply(204, Vec::new()), reply(401, Vec::new())),
        Hypothesis::NoCorsOnErrors => (good_preflight, reply(401, Vec::new())),
        Hypothesis::AllowOriginMismatch | Hypothesis::MultipleAllowOrigin => {
            let wrong: &[&str] = if hypothesis == Hypothesis::AllowOriginMismatch {
                &["https://allowed.example"]
            } else {
                &[origin, origin]
            };
            (
                reply(204, with_allow_origin(good_preflight.headers, wrong)),
                reply(401, with_allow_origin(good_response.headers, wrong)),
            )
        }
        Hypothesis::WildcardOrigin => {
            let star = vec![
                ("Access-Control-Allow-Origin".to_owned(), "*".to_owned()),
                ("Access-Control-Allow-Methods".to_owned(), "*".to_owned()),
                ("Access-Control-Allow-Headers".to_owned(), all_headers),
            ];
            (reply(204, star.clone()), reply(401, star))
        }
        Hypothesis::MissingAllowCredentials => (
            reply(
                204,
                without(good_preflight.headers, "Access-Control-Allow-Credentials"),
            ),
            reply(
                401,
                without(good_response.headers, "Access-Control-Allow-Credentials"),
            ),
        ),
        Hypothesis::AuthOnPreflight => (reply(401, Vec::new()), good_response),
        Hypothesis::PreflightStatus => (reply(405, good_preflight.headers), good_response),
        Hypothesis::PreflightRedirect => (reply(301, good_preflight.headers), good_response),
        Hypothesis::HeaderNotAllowed => (allowing(&request.method, "Content-Type"), good_response),
        Hypothesis::WildcardAllowHeaders => (allowing(&request.method, "*"), good_response),
        Hypothesis::MethodNotAllowed => (allowing("GET, HEAD, POST", &all_headers), good_response),
        Hypothesis::CorsFine
        | Hypothesis::Unreachable
        | Hypothesis::TimedOut
        | Hypothesis::MixedContent
        | Hypothesis::LocalNetworkAccess
        | Hypothesis::ChallengeNotExposed
        | Hypothesis::RedirectDroppedAuthorization => (good_preflight, good_response),
    }
}

fn without(headers: Vec<(String, String)>, name: &str) -> Vec<(String, String)> {
    headers.into_iter().filter(|(n, _)| n != name).collect()
}

/// The headers with `Access-Control-Allow-Origin` replaced by `values`, one field each.
fn with_allow_origin(headers: Vec<(String, String)>, values: &[&str]) -> Vec<(String, String)> {
    let mut out = without(headers, "Access-Control-Allow-Origin");
    out.extend(
        values
            .iter()
            .map(|v| ("Access-Control-Allow-Origin".to_owned(), (*v).to_owned())),
    );
    out
}

/// What the page sees, reduced to what every engine reports the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// A readable (or opaque-redirect) response.
    Readable,
    /// A `no-cors` probe resolved: something answered.
    Answered,
    /// `TypeError`: blocked by CORS or by the network.
    Blocked,
    /// Our time limit ran out first.
    TimedOut,
}

fn observed(record: &ProbeRecord) -> Option<Seen> {
    match &record.outcome {
        ProbeOutcome::Response(seen) => Some(match seen.response_type {
            ResponseType::Opaque => Seen::Answered,
            _ => Seen::Readable,
        }),
        ProbeOutcome::Failed(failure) => match failure.kind {
            FailureKind::Network => Some(Seen::Blocked),
            FailureKind::Timeout => Some(Seen::TimedOut),
            // An abort or a request the browser refused to build says nothing about the server.
            FailureKind::Aborted | FailureKind::Rejected => None,
        },
    }
}

fn cors_request(origin: &str, probe: &ProbeRequest) -> CorsRequest {
    CorsRequest {
        origin: origin.to_owned(),
        method: probe.method.clone(),
        headers: probe.headers.clone(),
        credentials: probe.credentials.cross_origin(),
    }
}

/// What `hypothesis` predicts for one probe: the page's view, and the failure when blocked by CORS.
fn predict(
    hypothesis: Hypothesis,
    origin: &str,
    probe: &ProbeRequest,
) -> (Seen, Option<CorsFailure>) {
    predict_in(hypothesis, origin, probe, Engine::Chromium)
}

/// As [`predict`], by `engine`'s rules.
fn predict_in(
    hypothesis: Hypothesis,
    origin: &str,
    probe: &ProbeRequest,
    engine: Engine,
) -> (Seen, Option<CorsFailure>) {
    if hypothesis == Hypothesis::TimedOut {
        return (Seen::TimedOut, None);
    }
    if hypothesis == Hypothesis::LocalNetworkAccess {
        // Chromium reports the permission check as a CORS error, with an empty parameter.
        let failure = CorsFailure {
            error: CorsError::LocalNetworkAccessPermissionDenied,
            parameter: String::new(),
        };
        return (Seen::Blocked, Some(failure));
    }
    if hypothesis.blocks_before_network() {
        return (Seen::Blocked, None);
    }
    if probe.mode == FetchMode::NoCors {
        return (Seen::Answered, None);
    }
    let request = cors_request(origin, probe);
    let (preflight, response) = server(hypothesis, &request);
    match simulate(&request, Some(&preflight), &response, engine) {
        CorsVerdict::Allowed { .. } | CorsVerdict::NeedsPreflightReply(_) => (Seen::Readable, None),
        CorsVerdict::Blocked(failure) => (Seen::Blocked, Some(failure)),
    }
}

/// The survivors when the user's own request was readable: what its answer shows, then CORS
/// being fine; and apart, the behaviours under which it works in Chromium only (`latent`), each
/// with the standard's failure.
fn when_readable(
    explanations: Vec<Explanation>,
    own: &ProbeRecord,
    origin: &str,
) -> (Vec<Explanation>, Vec<Explanation>) {
    let (fine, others): (Vec<_>, Vec<_>) = explanations
        .into_iter()
        .partition(|e| e.hypothesis == Hypothesis::CorsFine);
    // The answer's own facts count when the CORS models fit at all.
    let seen = if fine.is_empty() {
        Vec::new()
    } else {
        read_from_answer(own)
    };
    let explanations = seen
        .into_iter()
        .map(|hypothesis| Explanation {
            hypothesis,
            implied: None,
        })
        .chain(fine)
        .collect();
    let latent = others
        .into_iter()
        .filter_map(|e| {
            let failure = predict_in(e.hypothesis, origin, &own.sent, Engine::Standard).1?;
            Some(Explanation {
                hypothesis: e.hypothesis,
                implied: Some(failure),
            })
        })
        .collect();
    (explanations, latent)
}

/// What the user's own readable answer shows by itself: an unreadable challenge on a 401, a
/// redirect to another origin that took `Authorization` away.
fn read_from_answer(record: &ProbeRecord) -> Vec<Hypothesis> {
    let ProbeOutcome::Response(seen) = &record.outcome else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if seen.redirected
        && record.sent.authorization().is_some()
        && origin_of(&seen.url) != origin_of(&record.sent.url)
    {
        found.push(Hypothesis::RedirectDroppedAuthorization);
    }
    if matches!(seen.status, 401 | 407) && !seen.hidden_diagnostic_headers().is_empty() {
        found.push(Hypothesis::ChallengeNotExposed);
    }
    found
}

/// `scheme://host:port` of an absolute URL, lower-cased.
fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    format!("{scheme}://{authority}").to_ascii_lowercase()
}

/// Whether the page context makes a before-the-network block possible at all.
fn possible(hypothesis: Hypothesis, evidence: &Evidence, console: Option<&ConsoleLine>) -> bool {
    let context = &evidence.context;
    // An `https` page may not fetch `http`. A loopback target is exempt, and a private address
    // literal meets the Local Network Access permission instead, which relaxes mixed content.
    let mixed_content = context.origin.starts_with("https:")
        && !context.target_secure
        && context.target_address == AddressClass::Public;
    let page_public = !(context.origin.contains("://localhost")
        || context.origin.contains("://127.")
        || context.origin.contains("://[::1]"));
    match hypothesis {
        Hypothesis::MixedContent => mixed_content,
        Hypothesis::LocalNetworkAccess => {
            // The page cannot see its own address space (a loopback page may count as public),
            // but a denied permission or the console's word shows the check ran.
            let checked = page_public
                || context.local_network_permission.as_deref() == Some("denied")
                || console
                    .is_some_and(|c| c.error == CorsError::LocalNetworkAccessPermissionDenied);
            checked
                && context.target_address != AddressClass::Public
                && context.local_network_permission.as_deref() != Some("granted")
        }
        // A denied permission stops a request to a local address before it leaves: whether
        // anything listens there cannot be seen, and is not why the request fails.
        // Mixed content is blocked before the network, every time: the same.
        Hypothesis::Unreachable => {
            !mixed_content
                && (context.target_address == AddressClass::Public
                    || context.local_network_permission.as_deref() != Some("denied"))
        }
        _ => true,
    }
}

/// One explanation that fits every probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub hypothesis: Hypothesis,
    /// What Chromium reports for the user's own request under this explanation.
    pub implied: Option<CorsFailure>,
}

/// The one step that tells the survivors apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeparatingStep {
    /// Open the URL in a new tab: did the server answer, and with what?
    OpenInNewTab,
    /// Paste the red CORS line from the DevTools console: it names Chromium's reason.
    PasteConsoleLine,
    /// Paste the output of `curl -i -X OPTIONS` with the preflight's headers.
    PastePreflightCurl,
    /// Paste `curl -i` of the request with valid credentials: do successful answers carry CORS
    /// headers when errors do not?
    PasteCurl,
}

impl SeparatingStep {
    /// What the user should do, in one sentence.
    pub const fn instruction(self) -> &'static str {
        match self {
            SeparatingStep::OpenInNewTab => {
                "Open the URL in a new tab: if a page or an error from the server appears, the server is reachable and the block is in the browser."
            }
            SeparatingStep::PasteConsoleLine => {
                "Open DevTools (F12) on this page, copy the red line “Access to fetch … has been blocked by CORS policy” and paste it in the box below: it names which of these it is."
            }
            SeparatingStep::PastePreflightCurl => {
                "Run curl -i -X OPTIONS with Origin, Access-Control-Request-Method and Access-Control-Request-Headers set as the browser sends them, and look at the status and the Access-Control-* headers."
            }
            SeparatingStep::PasteCurl => {
                "Run curl -i on the URL with valid credentials and without: if the success carries Access-Control-Allow-Origin and the 401 does not, the server adds CORS headers to successes only."
            }
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            SeparatingStep::OpenInNewTab => "open-in-new-tab",
            SeparatingStep::PasteConsoleLine => "console-line",
            SeparatingStep::PastePreflightCurl => "curl-preflight",
            SeparatingStep::PasteCurl => "curl",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    /// Nothing fits: the evidence contradicts every model.
    None,
    Low,
    Medium,
    High,
}

impl Confidence {
    pub const fn as_str(self) -> &'static str {
        match self {
            Confidence::None => "none",
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// What the pasted console line did to the inference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsoleVerdict {
    /// It names the failure of some explanations: only those are kept.
    Settled(ConsoleLine),
    /// It names a failure no explanation predicts for this page's request (often: it came from
    /// another page, whose origin the server treats differently).
    Unexplained(ConsoleLine),
    /// It could not be read.
    Unreadable(ConsoleProblem),
}

/// What the pasted server answer did to the inference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasteVerdict {
    /// The preflight's answer; `settled` when it ruled some explanations out.
    Preflight {
        status: Option<u16>,
        settled: bool,
    },
    /// The answer to the request itself, read by the diagnosis.
    Answer {
        status: Option<u16>,
    },
    Unreadable(PasteProblem),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inference {
    /// Survivors, most specific first.
    pub explanations: Vec<Explanation>,
    pub confidence: Confidence,
    pub next_step: Option<SeparatingStep>,
    /// What became of the console line, when one was pasted.
    pub console: Option<ConsoleVerdict>,
    /// What became of the pasted server answer, when there is one.
    pub pasted: Option<PasteVerdict>,
    /// When the user's request worked here: behaviours the probes cannot rule out under which
    /// it works in Chromium yet fails by the Fetch standard (Firefox), each with that failure.
    pub latent: Vec<Explanation>,
}

/// Runs every hypothesis against every probe of `evidence`.
pub fn infer(evidence: &Evidence) -> Inference {
    infer_with(evidence, crate::diagnose::read_pasted(evidence).as_ref())
}

/// As [`infer`], with the paste already parsed (`None` when nothing was pasted).
pub fn infer_with(evidence: &Evidence, pasted: Option<&Result<Pasted, PasteProblem>>) -> Inference {
    let origin = evidence.context.origin.as_str();
    let as_given = evidence
        .probes
        .iter()
        .find(|p| p.kinds.contains(&crate::plan::ProbeKind::AsGiven));
    let console_line = evidence
        .console_line
        .as_deref()
        .filter(|text| !text.trim().is_empty())
        .map(parse_console_line);
    let line = console_line.as_ref().and_then(|read| read.as_ref().ok());
    let mut explanations: Vec<Explanation> = Hypothesis::ALL
        .iter()
        .copied()
        .filter(|h| possible(*h, evidence, line))
        .filter(|h| {
            evidence.probes.iter().all(|probe| {
                observed(probe).is_none_or(|seen| {
                    // Any server may be slow: a timeout contradicts only the model that
                    // predicts one for every probe.
                    (seen == Seen::TimedOut && *h != Hypothesis::TimedOut)
                        || predict(*h, origin, &probe.sent).0 == seen
                })
            })
        })
        .map(|hypothesis| Explanation {
            hypothesis,
            implied: as_given.and_then(|p| predict(hypothesis, origin, &p.sent).1),
        })
        .collect();
    // When the user's own request was readable, no CORS problem stands in its way: the other
    // survivors would only matter to a different request, so they are not findings here.
    let own_readable = as_given.and_then(observed) == Some(Seen::Readable);
    let mut latent = Vec::new();
    if let Some(own) = as_given.filter(|_| own_readable) {
        (explanations, latent) = when_readable(explanations, own, origin);
    }
    // When every probe ran out of time, that is what stops the request, whatever else the
    // server would have done.
    if explanations
        .iter()
        .any(|e| e.hypothesis == Hypothesis::TimedOut)
    {
        explanations.retain(|e| e.hypothesis == Hypothesis::TimedOut);
    }
    let console = console_line.map(|read| match read {
        Err(problem) => ConsoleVerdict::Unreadable(problem),
        Ok(line) => {
            let named = |e: &Explanation| e.implied.as_ref().is_some_and(|f| line.matches(f.error));
            if explanations.iter().any(named) {
                explanations.retain(named);
                ConsoleVerdict::Settled(line)
            } else {
                ConsoleVerdict::Unexplained(line)
            }
        }
    });
    let pasted = pasted.map(|read| read_paste(read.as_ref(), &mut explanations));
    let distinct_implications = {
        let mut seen: Vec<Option<crate::cors::CorsError>> = Vec::new();
        for e in &explanations {
            let error = e.implied.as_ref().map(|f| f.error);
            if !seen.contains(&error) {
                seen.push(error);
            }
        }
        seen.len()
    };
    let confidence = match explanations.len() {
        0 => Confidence::None,
        // What a readable answer shows is seen, not inferred.
        1 => Confidence::High,
        _ if own_readable => Confidence::High,
        _ if distinct_implications == 1 => Confidence::Medium,
        _ => Confidence::Low,
    };
    let next_step = (explanations.len() > 1 && !own_readable)
        .then(|| separating_step(&explanations, distinct_implications));
    Inference {
        explanations,
        confidence,
        next_step,
        console,
        pasted,
        latent,
    }
}

fn separating_step(explanations: &[Explanation], distinct_implications: usize) -> SeparatingStep {
    let before_network = explanations
        .iter()
        .filter(|e| e.hypothesis.blocks_before_network())
        .count();
    if before_network > 0 && before_network < explanations.len() {
        return SeparatingStep::OpenInNewTab;
    }
    if distinct_implications > 1 {
        // The console line names which.
        SeparatingStep::PasteConsoleLine
    } else if preflight_only(explanations) {
        // Chromium names them alike: the preflight's own answer tells them apart.
        SeparatingStep::PastePreflightCurl
    } else {
        // Chromium would say the same for each: only the server's own answers tell them apart.
        SeparatingStep::PasteCurl
    }
}

/// Whether every explanation fails the user's request at its preflight.
pub fn preflight_only(explanations: &[Explanation]) -> bool {
    !explanations.is_empty()
        && explanations.iter().all(|e| {
            e.implied.as_ref().is_some_and(|f| {
                f.error.as_str().starts_with("Preflight")
                    || matches!(
                        f.error,
                        CorsError::HeaderDisallowedByPreflightResponse
                            | CorsError::MethodDisallowedByPreflightResponse
                    )
            })
        })
}

/// Whether a preflight answered with `status` fits `hypothesis`; `refused` when the answer is an
/// authentication refusal (401, 407 or a challenge).
fn fits_preflight_answer(hypothesis: Hypothesis, status: u16, refused: bool) -> bool {
    match hypothesis {
        Hypothesis::AuthOnPreflight => refused,
        Hypothesis::PreflightStatus => !(200..400).contains(&status) && !refused,
        Hypothesis::PreflightRedirect => (300..400).contains(&status),
        _ => (200..300).contains(&status),
    }
}

/// Reads the pasted server answer: the preflight's (its request line says `OPTIONS`, or the
/// report asked for the preflight), which keeps the explanations it fits; or the request's own.
fn read_paste(
    pasted: Result<&Pasted, &PasteProblem>,
    explanations: &mut Vec<Explanation>,
) -> PasteVerdict {
    let pasted = match pasted {
        Ok(pasted) => pasted,
        Err(problem) => return PasteVerdict::Unreadable(*problem),
    };
    let answer = pasted.answer();
    let status = answer.and_then(|a| a.status);
    let preflight = match pasted.method() {
        Some(method) if !method.is_empty() => method.eq_ignore_ascii_case("OPTIONS"),
        // The report showed the `OPTIONS` command when every explanation fails the preflight.
        _ => preflight_only(explanations),
    };
    if !preflight {
        return PasteVerdict::Answer { status };
    }
    let challenged = answer.is_some_and(|a| {
        !a.header_values("www-authenticate").is_empty()
            || !a.header_values("proxy-authenticate").is_empty()
    });
    // An auth layer that refuses the preflight may add CORS headers to its 401: Chromium then
    // reports the status, as for any failing preflight, and the answer shows it is auth.
    let refused = status.is_some_and(|s| matches!(s, 401 | 407)) || challenged;
    let mut relabelled = false;
    if refused
        && !explanations
            .iter()
            .any(|e| e.hypothesis == Hypothesis::AuthOnPreflight)
        && let Some(status_only) = explanations
            .iter_mut()
            .find(|e| e.hypothesis == Hypothesis::PreflightStatus)
    {
        status_only.hypothesis = Hypothesis::AuthOnPreflight;
        relabelled = true;
    }
    let fits = |e: &Explanation| {
        status.is_none_or(|status| fits_preflight_answer(e.hypothesis, status, refused))
    };
    let settled = explanations.iter().any(fits) && !explanations.iter().all(fits);
    if settled {
        explanations.retain(fits);
    }
    PasteVerdict::Preflight {
        status,
        settled: settled || relabelled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cors::{CorsError, CredentialsMode};
    use crate::evidence::{EVIDENCE_VERSION, PageContext};
    use crate::observation::{Failure, ResponseSeen};
    use crate::plan::{ProbeKind, plan_probes};
    use crate::request::RequestSpec;

    const ORIGIN: &str = "https://why401.example.org";

    /// Evidence for `spec`'s plan where each probe saw `see(kinds)`.
    fn evidence(spec: &RequestSpec, see: impl Fn(&[ProbeKind]) -> Option<Seen>) -> Evidence {
        let probes = plan_probes(spec, true)
            .unwrap_or_default()
            .into_iter()
            .map(|p| {
                let outcome = match see(&p.kinds) {
                    Some(Seen::Readable) => ProbeOutcome::Response(ResponseSeen {
                        response_type: ResponseType::Cors,
                        status: 401,
                        status_text: String::new(),
                        url: spec.url.clone(),
                        redirected: false,
                        headers: vec![("www-authenticate".into(), "Bearer".into())],
                        body_excerpt: None,
                    }),
                    Some(Seen::Answered) => ProbeOutcome::Response(ResponseSeen::opaque()),
                    Some(Seen::Blocked) => ProbeOutcome::Failed(Failure::failed_to_fetch()),
                    Some(Seen::TimedOut) | None => ProbeOutcome::Failed(Failure {
                        kind: FailureKind::Timeout,
                        error_name: "TimeoutError".into(),
                        message: String::new(),
                    }),
                };
                ProbeRecord {
                    kinds: p.kinds,
                    sent: p.request,
                    outcome,
                    elapsed_ms: 1.0,
                }
            })
            .collect();
        Evidence {
            version: EVIDENCE_VERSION,
            captured_at: 0,
            request: spec.clone(),
            context: PageContext {
                origin: ORIGIN.into(),
                secure_context: true,
                cookies_enabled: true,
                target_secure: true,
                target_address: AddressClass::Public,
                local_network_permission: None,
                user_agent: String::new(),
            },
            probes,
            console_line: None,
            pasted: None,
        }
    }

    fn implied(inference: &Inference) -> Vec<Option<CorsError>> {
        inference
            .explanations
            .iter()
            .map(|e| e.implied.as_ref().map(|f| f.error))
            .collect()
    }

    fn survivors(inference: &Inference) -> Vec<Hypothesis> {
        inference
            .explanations
            .iter()
            .map(|e| e.hypothesis)
            .collect()
    }

    fn bearer(credentials: CredentialsMode) -> RequestSpec {
        let mut spec = RequestSpec::get("https://api.example.com/me");
        spec.headers = vec![("Authorization".into(), "Bearer abc".into())];
        spec.credentials = credentials;
        spec
    }

    /// A plain GET that Chromium blocked, though something answered the no-cors probe.
    fn blocked_but_answered(console_line: Option<&str>) -> Inference {
        let spec = RequestSpec::get("https://api.example.com/me");
        let mut evidence = evidence(&spec, |kinds| {
            Some(if kinds.contains(&ProbeKind::Reachability) {
                Seen::Answered
            } else {
                Seen::Blocked
            })
        });
        evidence.console_line = console_line.map(str::to_owned);
        infer(&evidence)
    }

    #[test]
    fn infer_console_line_settles_what_the_probes_cannot() {
        let inference = blocked_but_answered(Some(
            "Access to fetch at 'https://api.example.com/me' from origin 'https://why401.example.org' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://app.example.com' that is not equal to the supplied origin.",
        ));
        assert_eq!(survivors(&inference), [Hypothesis::AllowOriginMismatch]);
        assert_eq!(inference.confidence, Confidence::High);
        assert_eq!(inference.next_step, None);
        assert!(matches!(
            inference.console,
            Some(ConsoleVerdict::Settled(_))
        ));

        // Two behaviours Chromium names alike stay together, with the step that separates them.
        let inference = blocked_but_answered(Some(
            "Access to fetch at 'https://api.example.com/me' from origin 'https://why401.example.org' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        ));
        assert_eq!(
            survivors(&inference),
            [Hypothesis::NoCorsHeaders, Hypothesis::NoCorsOnErrors]
        );
        assert_eq!(inference.confidence, Confidence::Medium);
        assert_eq!(inference.next_step, Some(SeparatingStep::PasteCurl));
    }

    #[test]
    fn infer_console_line_that_fits_nothing_leaves_the_probes_verdict() {
        let probes_only = blocked_but_answered(None);
        assert_eq!(probes_only.console, None);
        // A preflight failure, for a request that needs no preflight: from another page.
        let inference = blocked_but_answered(Some(
            "Access to fetch at 'https://api.example.com/me' from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
        ));
        assert_eq!(inference.explanations, probes_only.explanations);
        assert!(matches!(
            inference.console,
            Some(ConsoleVerdict::Unexplained(ref line)) if line.origin.as_deref() == Some("https://app.example.com")
        ));
        let inference = blocked_but_answered(Some("TypeError: Failed to fetch"));
        assert_eq!(inference.explanations, probes_only.explanations);
        assert_eq!(
            inference.console,
            Some(ConsoleVerdict::Unreadable(ConsoleProblem::NotACorsLine))
        );
        assert_eq!(blocked_but_answered(Some("  ")).console, None);
    }

    /// Every probe of a GET to a loopback target blocked, from a loopback page whose Local
    /// Network Access permission is `permission`.
    fn loopback_all_blocked(permission: Option<&str>) -> Inference {
        let spec = RequestSpec::get("http://127.0.0.1:9000/me");
        let mut evidence = evidence(&spec, |_| Some(Seen::Blocked));
        evidence.context.origin = "http://127.0.0.1:8080".into();
        evidence.context.target_secure = false;
        evidence.context.target_address = AddressClass::Loopback;
        evidence.context.local_network_permission = permission.map(str::to_owned);
        infer(&evidence)
    }

    /// Every probe of `spec` answered and readable.
    fn all_readable(spec: &RequestSpec) -> Inference {
        infer(&evidence(spec, |kinds| {
            Some(if kinds.contains(&ProbeKind::Reachability) {
                Seen::Answered
            } else {
                Seen::Readable
            })
        }))
    }

    #[test]
    fn infer_readable_authorization_may_rest_on_a_wildcard_only_chromium_honours() {
        let inference = all_readable(&bearer(CredentialsMode::Omit));
        assert_eq!(survivors(&inference), [Hypothesis::CorsFine]);
        let latent: Vec<_> = inference
            .latent
            .iter()
            .map(|e| (e.hypothesis, e.implied.as_ref().map(|f| f.error)))
            .collect();
        assert_eq!(
            latent,
            [(
                Hypothesis::WildcardAllowHeaders,
                Some(CorsError::HeaderDisallowedByPreflightResponse)
            )]
        );
        // With credentials Chromium refuses the wildcard too, so it cannot be what let it through;
        // without an Authorization header it does not matter.
        assert!(
            all_readable(&bearer(CredentialsMode::Include))
                .latent
                .is_empty()
        );
        assert!(
            all_readable(&RequestSpec::get("https://api.example.com/me"))
                .latent
                .is_empty()
        );
    }

    /// `all_readable`, with the user's own answer changed by `edit`.
    fn own_answer(spec: &RequestSpec, edit: impl Fn(&mut ResponseSeen)) -> Inference {
        let mut evidence = evidence(spec, |kinds| {
            Some(if kinds.contains(&ProbeKind::Reachability) {
                Seen::Answered
            } else {
                Seen::Readable
            })
        });
        for probe in &mut evidence.probes {
            if let (true, ProbeOutcome::Response(seen)) = (
                probe.kinds.contains(&ProbeKind::AsGiven),
                &mut probe.outcome,
            ) {
                edit(seen);
            }
        }
        infer(&evidence)
    }

    #[test]
    fn infer_readable_answer_shows_an_unexposed_challenge() {
        let spec = RequestSpec::get("https://api.example.com/me");
        let inference = own_answer(&spec, |seen| seen.headers.clear());
        assert_eq!(
            survivors(&inference),
            [Hypothesis::ChallengeNotExposed, Hypothesis::CorsFine]
        );
        assert_eq!(implied(&inference), [None, None]);
        assert_eq!(inference.confidence, Confidence::High);
        assert_eq!(inference.next_step, None);
        // A 200 has no challenge to show.
        let inference = own_answer(&spec, |seen| {
            seen.headers.clear();
            seen.status = 200;
        });
        assert_eq!(survivors(&inference), [Hypothesis::CorsFine]);
    }

    #[test]
    fn infer_readable_answer_shows_a_cross_origin_redirect_that_dropped_authorization() {
        let moved = |seen: &mut ResponseSeen| {
            seen.redirected = true;
            seen.url = "https://login.example.com/me".into();
        };
        let inference = own_answer(&bearer(CredentialsMode::Omit), moved);
        assert_eq!(
            survivors(&inference)[0],
            Hypothesis::RedirectDroppedAuthorization
        );
        // Without Authorization nothing was dropped; a same-origin redirect keeps it.
        let plain = RequestSpec::get("https://api.example.com/me");
        assert_eq!(
            survivors(&own_answer(&plain, moved)),
            [Hypothesis::CorsFine]
        );
        let same_origin = |seen: &mut ResponseSeen| {
            seen.redirected = true;
            seen.url = "https://API.example.com/v2/me".into();
        };
        assert_eq!(
            survivors(&own_answer(&bearer(CredentialsMode::Omit), same_origin))[0],
            Hypothesis::CorsFine
        );
    }

    #[test]
    fn infer_every_probe_timed_out_is_a_timeout() {
        let spec = bearer(CredentialsMode::Omit);
        let inference = infer(&evidence(&spec, |_| Some(Seen::TimedOut)));
        assert_eq!(survivors(&inference), [Hypothesis::TimedOut]);
        assert_eq!(inference.confidence, Confidence::High);
        // One slow probe among answers says nothing about CORS.
        let inference = infer(&evidence(&spec, |kinds| {
            if kinds.contains(&ProbeKind::Reachability) {
                None
            } else {
                Some(Seen::Readable)
            }
        }));
        assert_eq!(survivors(&inference), [Hypothesis::CorsFine]);
    }

    #[test]
    fn infer_denied_permission_names_local_network_access() {
        let inference = loopback_all_blocked(Some("denied"));
        assert_eq!(survivors(&inference), [Hypothesis::LocalNetworkAccess]);
        assert_eq!(
            implied(&inference),
            [Some(CorsError::LocalNetworkAccessPermissionDenied)]
        );
        assert_eq!(inference.confidence, Confidence::High);
        // A loopback page that was never refused: nothing listens.
        for permission in [None, Some("prompt"), Some("granted")] {
            assert_eq!(
                survivors(&loopback_all_blocked(permission)),
                [Hypothesis::Unreachable],
                "{permission:?}"
            );
        }
    }

    #[test]
    fn infer_plain_get_blocked_but_answered_is_a_response_cors_problem() {
        let spec = RequestSpec::get("https://api.example.com/me");
        let inference = infer(&evidence(&spec, |kinds| {
            Some(if kinds.contains(&ProbeKind::Reachability) {
                Seen::Answered
            } else {
                Seen::Blocked
            })
        }));
        assert_eq!(
            survivors(&inference),
            [
                Hypothesis::NoCorsHeaders,
                Hypothesis::NoCorsOnErrors,
                Hypothesis::AllowOriginMismatch,
                Hypothesis::MultipleAllowOrigin,
            ]
        );
        assert_eq!(
            implied(&inference),
            [
                Some(CorsError::MissingAllowOriginHeader),
                Some(CorsError::MissingAllowOriginHeader),
                Some(CorsError::AllowOriginMismatch),
                Some(CorsError::MultipleAllowOriginValues),
            ]
        );
        assert_eq!(inference.confidence, Confidence::Low);
        assert_eq!(inference.next_step, Some(SeparatingStep::PasteConsoleLine));
    }

    fn read_text(text: &str, explanations: &mut Vec<Explanation>) -> PasteVerdict {
        read_paste(crate::pasted::parse_pasted(text).as_ref(), explanations)
    }

    #[test]
    fn infer_a_preflight_refused_with_cors_headers_is_auth_on_the_preflight() {
        let mut explanations = vec![Explanation {
            hypothesis: Hypothesis::PreflightStatus,
            implied: Some(CorsFailure {
                error: CorsError::PreflightInvalidStatus,
                parameter: "401".into(),
            }),
        }];
        let verdict = read_text(
            "> OPTIONS /x HTTP/1.1\n>\n< HTTP/1.1 401 Unauthorized\n< Access-Control-Allow-Origin: https://why401.example.org\n<\n",
            &mut explanations,
        );
        assert_eq!(
            verdict,
            PasteVerdict::Preflight {
                status: Some(401),
                settled: true
            }
        );
        assert_eq!(
            explanations.first().map(|e| e.hypothesis),
            Some(Hypothesis::AuthOnPreflight)
        );
        // The error Chromium reports stays the one it reported.
        assert_eq!(
            explanations
                .first()
                .and_then(|e| e.implied.as_ref())
                .map(|f| f.error),
            Some(CorsError::PreflightInvalidStatus)
        );
        let mut unreadable = Vec::new();
        assert_eq!(
            read_text("<html>", &mut unreadable),
            PasteVerdict::Unreadable(PasteProblem::NoResponse)
        );
    }

    #[test]
    fn infer_same_implication_asks_for_the_servers_own_answers() {
        let survivors = [
            Explanation {
                hypothesis: Hypothesis::NoCorsHeaders,
                implied: None,
            },
            Explanation {
                hypothesis: Hypothesis::NoCorsOnErrors,
                implied: None,
            },
        ];
        assert_eq!(separating_step(&survivors, 1), SeparatingStep::PasteCurl);
    }

    #[test]
    fn infer_bearer_blocked_while_anonymous_get_is_readable_points_at_the_preflight() {
        let spec = bearer(CredentialsMode::SameOrigin);
        let inference = infer(&evidence(&spec, |kinds| {
            Some(if kinds.contains(&ProbeKind::AsGiven) {
                Seen::Blocked
            } else if kinds.contains(&ProbeKind::Reachability) {
                Seen::Answered
            } else {
                Seen::Readable
            })
        }));
        assert_eq!(
            survivors(&inference),
            [
                Hypothesis::AuthOnPreflight,
                Hypothesis::PreflightStatus,
                Hypothesis::PreflightRedirect,
                Hypothesis::HeaderNotAllowed
            ]
        );
        assert_eq!(
            implied(&inference),
            [
                Some(CorsError::PreflightMissingAllowOriginHeader),
                Some(CorsError::PreflightInvalidStatus),
                Some(CorsError::PreflightDisallowedRedirect),
                Some(CorsError::HeaderDisallowedByPreflightResponse),
            ]
        );
        assert_eq!(inference.confidence, Confidence::Low);
        assert_eq!(inference.next_step, Some(SeparatingStep::PasteConsoleLine));
    }

    #[test]
    fn infer_credentialed_request_blocked_points_at_credentials_headers() {
        let spec = RequestSpec {
            credentials: CredentialsMode::Include,
            ..RequestSpec::get("https://api.example.com/me")
        };
        let inference = infer(&evidence(&spec, |kinds| {
            Some(if kinds.contains(&ProbeKind::AsGiven) {
                Seen::Blocked
            } else if kinds.contains(&ProbeKind::Reachability) {
                Seen::Answered
            } else {
                Seen::Readable
            })
        }));
        assert_eq!(
            survivors(&inference),
            [
                Hypothesis::WildcardOrigin,
                Hypothesis::MissingAllowCredentials
            ]
        );
        assert_eq!(inference.next_step, Some(SeparatingStep::PasteConsoleLine));
    }

    #[test]
    fn infer_nothing_answers_is_unreachable() {
        let spec = RequestSpec::get("https://api.example.com/me");
        let inference = infer(&evidence(&spec, |_| Some(Seen::Blocked)));
        assert_eq!(survivors(&inference), [Hypothesis::Unreachable]);
        assert_eq!(inference.confidence, Confidence::High);
        assert_eq!(inference.next_step, None);
    }

    #[test]
    fn infer_http_api_from_https_page_is_mixed_content() {
        let spec = RequestSpec::get("http://api.example.com/me");
        let mut evidence = evidence(&spec, |_| Some(Seen::Blocked));
        evidence.context.target_secure = false;
        let inference = infer(&evidence);
        assert_eq!(survivors(&inference), [Hypothesis::MixedContent]);
        assert_eq!(inference.confidence, Confidence::High);
        // From an http page the same blocks mean nothing answered.
        evidence.context.origin = "http://why401.example.org".into();
        assert_eq!(survivors(&infer(&evidence)), [Hypothesis::Unreachable]);
    }

    #[test]
    fn infer_local_target_from_public_page_adds_local_network_access() {
        let spec = RequestSpec::get("http://192.168.1.10:8000/me");
        let mut evidence = evidence(&spec, |_| Some(Seen::Blocked));
        evidence.context.target_address = AddressClass::Private;
        evidence.context.target_secure = false;
        let inference = infer(&evidence);
        assert_eq!(
            survivors(&inference),
            [Hypothesis::Unreachable, Hypothesis::LocalNetworkAccess]
        );
        assert_eq!(inference.next_step, Some(SeparatingStep::PasteConsoleLine));
        evidence.context.local_network_permission = Some("granted".into());
        evidence.context.origin = "http://localhost:8080".into();
        assert_eq!(survivors(&infer(&evidence)), [Hypothesis::Unreachable]);
    }

    #[test]
    fn infer_readable_request_keeps_only_what_lets_it_through() {
        let spec = bearer(CredentialsMode::SameOrigin);
        let inference = infer(&evidence(&spec, |kinds| {
            Some(if kinds.contains(&ProbeKind::Reachability) {
                Seen::Answered
            } else {
                Seen::Readable
            })
        }));
        assert_eq!(survivors(&inference), [Hypothesis::CorsFine]);
        assert_eq!(inference.confidence, Confidence::High);
        assert_eq!(inference.next_step, None);
    }

    #[test]
    fn infer_contradiction_leaves_nothing() {
        // Readable without CORS while no-cors found nothing: no model predicts that.
        let spec = RequestSpec::get("https://api.example.com/me");
        let inference = infer(&evidence(&spec, |kinds| {
            Some(if kinds.contains(&ProbeKind::Reachability) {
                Seen::Blocked
            } else {
                Seen::Readable
            })
        }));
        assert_eq!(inference.confidence, Confidence::None);
        assert!(inference.explanations.is_empty());
    }

    #[test]
    fn every_hypothesis_but_fine_names_a_cause() {
        for h in Hypothesis::ALL {
            assert_eq!(h.cause().is_none(), *h == Hypothesis::CorsFine, "{h:?}");
            assert!(h.summary().ends_with('.'), "{h:?}");
        }
        let mut names: Vec<&str> = Hypothesis::ALL.iter().map(|h| h.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Hypothesis::ALL.len());
    }
}
