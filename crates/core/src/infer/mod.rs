//! Inference: which server behaviours explain what the probes saw?
//!
//! Each hypothesis is a small model of a server. For every probe that was sent, the CORS forward
//! model predicts what the browser would have done with that server's answers; a hypothesis that
//! predicts something the probes did not see is dropped. What survives explains the evidence. When
//! several survive and imply different failures of the user's own request, the report names the
//! one further step that tells them apart — it never guesses.

use crate::console::{ConsoleLine, ConsoleProblem, parse_console_line};
use crate::cors::{CorsError, CorsFailure, CorsRequest, CorsVerdict, Engine, simulate};
use crate::evidence::{Evidence, ProbeRecord};
use crate::observation::{FailureKind, ProbeOutcome, ResponseType};
use crate::pasted::{PasteProblem, Pasted};
use crate::plan::{FetchMode, ProbeRequest};
use crate::target::AddressClass;

mod hypothesis;
mod paste;
#[cfg(test)]
mod tests;

pub use hypothesis::Hypothesis;
use paste::read_paste;

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
    let (preflight, response) = hypothesis.server();
    let (preflight, response) = (preflight.reply(&request), response.reply(&request));
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

    /// One level lower when `weaker` holds (`Low` stays `Low`).
    #[must_use]
    pub const fn lowered_if(self, weaker: bool) -> Confidence {
        match (self, weaker) {
            (Confidence::High, true) => Confidence::Medium,
            (Confidence::Medium | Confidence::Low, true) => Confidence::Low,
            (confidence, _) => confidence,
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
    // Nothing sent from the page (a pasted exchange alone): no probe speaks for or against any
    // explanation, so none is offered; whether a page may send the request is left to the probes.
    if evidence.probes.is_empty() {
        explanations.clear();
    }
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
