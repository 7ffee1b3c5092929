//! The one door between the page and the engine: the evidence goes in, a [`Report`] of plain data
//! comes out — the verdict, the findings with the exchange behind each in steps, the timeline,
//! what was decoded (in the diagnosis's [`Reading`]), the curl command that asks the server what
//! the browser hid, and the exchange as text. The page renders it and computes nothing of its own;
//! its components import the types below and little else.

use crate::cause::CauseId;
pub use crate::diagnose::{Diagnosis, diagnose};
pub use crate::evidence::{Caller, Evidence};
use crate::explain::{TimelineStep, curl_command, raw, steps, timeline};
pub use crate::infer::Confidence;
use crate::infer::preflight_only;

pub use crate::console::ConsoleLine;
pub use crate::cookie::SameSite;
pub use crate::diagnose::{CookieVerdict, Finding, Reading, TokenReading};
pub use crate::explain::{AdviceBook, AdviceText, StepState, credentials_shape, curl_reproduce};
pub use crate::header::{Challenges, Credentials};
pub use crate::infer::{ConsoleVerdict, Explanation, Hypothesis, PasteVerdict, SeparatingStep};
pub use crate::observation::{Failure, FailureKind, ProbeOutcome, ResponseSeen};
pub use crate::redact::{Redaction, Secret, SecretId, redact, secrets};
pub use crate::share::LONG_LINK_CHARS;
pub use crate::token::{DecodedToken, Jwt, TokenFinding, human_duration};

/// The report's headline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The top finding's cause, if anything was found.
    pub cause: Option<CauseId>,
    pub title: &'static str,
    pub confidence: Confidence,
}

impl Verdict {
    pub fn of(diagnosis: &Diagnosis) -> Verdict {
        match diagnosis.top() {
            Some(finding) => Verdict {
                cause: Some(finding.cause),
                title: finding.cause.title(),
                confidence: finding.confidence,
            },
            // An exchange read alone, answered: there is no page to speak of.
            None if diagnosis
                .pasted_answer()
                .is_some_and(|seen| (200..400).contains(&seen.status)) =>
            {
                Verdict {
                    cause: None,
                    title: "Nothing wrong found: the server answered the request",
                    confidence: Confidence::High,
                }
            }
            None if diagnosis.inference.confidence == Confidence::None => Verdict {
                cause: None,
                title: "No explanation we know fits what the probes saw",
                confidence: Confidence::None,
            },
            None => Verdict {
                cause: None,
                title: "Nothing wrong found: the request works from this page",
                confidence: Confidence::High,
            },
        }
    }
}

/// The report's second question, answered apart from why the server refuses: can a web page send
/// this request and read the answer?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageAccess {
    /// The page's own request came back readable: CORS is not in the way.
    Readable,
    /// The browser kept the answer from the page; the first CORS or network explanation, when
    /// one is found.
    Blocked { because: Option<&'static str> },
    /// Nothing was sent from the page: only the probes can tell.
    Unknown,
}

impl PageAccess {
    pub fn of(evidence: &Evidence, diagnosis: &Diagnosis) -> PageAccess {
        if evidence.nothing_sent() {
            return PageAccess::Unknown;
        }
        match evidence
            .probe(crate::plan::ProbeKind::AsGiven)
            .map(|p| &p.outcome)
        {
            Some(ProbeOutcome::Response(seen)) if seen.status != 0 => PageAccess::Readable,
            Some(_) => PageAccess::Blocked {
                because: diagnosis
                    .findings
                    .iter()
                    .find(|f| f.hypothesis.is_some() || f.cause == CauseId::CorsBlocksPagesOnly)
                    .map(|f| f.cause.title()),
            },
            None => PageAccess::Unknown,
        }
    }

    /// A stable name for the page's `data-access`.
    pub fn as_str(self) -> &'static str {
        match self {
            PageAccess::Readable => "readable",
            PageAccess::Blocked { .. } => "blocked",
            PageAccess::Unknown => "unknown",
        }
    }
}

/// The curl command the report asks the user to run and paste the answer of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Curl {
    /// The preflight's `OPTIONS` (where every explanation fails), or the request itself.
    pub preflight: bool,
    pub command: String,
}

/// One piece of the exchange as text, for the raw view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPart {
    /// What it is: the probe's kinds (`as-given reachability`), `console-line` or `pasted`.
    pub what: String,
    pub text: String,
}

/// Everything the page shows of a finished inspection.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub evidence: Evidence,
    pub diagnosis: Diagnosis,
    pub verdict: Verdict,
    /// Whether a web page can send the request and read the answer.
    pub page_access: PageAccess,
    /// The exchange as the browser ran it: preflight, request, redirect, response.
    pub timeline: Vec<TimelineStep>,
    /// For each finding, in its rank, the exchange behind it in numbered steps.
    pub steps: Vec<Vec<String>>,
    pub curl: Curl,
    pub raw: Vec<RawPart>,
}

impl Report {
    /// Diagnoses `evidence` and lays out all the page shows of it.
    pub fn of(evidence: Evidence) -> Report {
        let diagnosis = diagnose(&evidence);
        let verdict = Verdict::of(&diagnosis);
        let page_access = PageAccess::of(&evidence, &diagnosis);
        let timeline = timeline(&evidence, &diagnosis);
        let steps = diagnosis
            .findings
            .iter()
            .map(|finding| steps(&evidence, &diagnosis, finding))
            .collect();
        let preflight = preflight_only(&diagnosis.inference.explanations);
        let curl = Curl {
            preflight,
            command: curl_command(&evidence, preflight),
        };
        let mut raw_parts: Vec<RawPart> = evidence
            .probes
            .iter()
            .map(|record| RawPart {
                what: record
                    .kinds
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                text: raw(record),
            })
            .collect();
        for (what, text) in [
            ("console-line", &evidence.console_line),
            ("pasted", &evidence.pasted),
        ] {
            if let Some(text) = text {
                raw_parts.push(RawPart {
                    what: what.to_owned(),
                    text: text.clone(),
                });
            }
        }
        Report {
            evidence,
            diagnosis,
            verdict,
            page_access,
            timeline,
            steps,
            curl,
            raw: raw_parts,
        }
    }

    /// Whether the evidence holds a secret (a shared one had them masked): it walks every
    /// pasted line.
    pub fn has_secrets(&self) -> bool {
        !crate::redact::secrets(&self.evidence).is_empty()
    }

    /// Each finding with its steps, in rank order.
    pub fn findings(&self) -> impl Iterator<Item = (&Finding, &[String])> {
        self.diagnosis
            .findings
            .iter()
            .zip(self.steps.iter().map(Vec::as_slice))
    }
}

/// A report as it leaves: the evidence redacted with the user's choices, then these, made from
/// it and its own diagnosis ([`diagnose`]) — the steps are apart so that the page may take one
/// per task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exports {
    /// The redacted evidence, compact: what a link packs.
    pub json: String,
    /// The same, indented: what the user reads before sharing.
    pub preview: String,
    /// For a tracker or a chat ([`crate::export::markdown`]).
    pub markdown: String,
    /// The JSON report ([`crate::export::json`]).
    pub report: String,
}

impl Exports {
    pub fn of(redacted: &Evidence, diagnosis: &Diagnosis, book: Option<&AdviceBook>) -> Exports {
        Exports {
            json: redacted.to_json(),
            preview: redacted.to_pretty_json(),
            markdown: crate::export::markdown(redacted, diagnosis, book),
            report: crate::export::json(redacted, diagnosis),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cors::CredentialsMode;
    use crate::evidence::PageContext;
    use crate::observation::ResponseType;
    use crate::plan::ProbeKind;
    use crate::request::RequestSpec;
    use crate::target::AddressClass;

    fn evidence(status: u16) -> Evidence {
        let mut spec = RequestSpec::get("https://api.example.com/v1/me");
        spec.credentials = CredentialsMode::SameOrigin;
        let context = PageContext::at("https://why401.example.org", true, AddressClass::Public);
        Evidence::planned(&spec, &spec, context, 0, |planned| {
            ProbeOutcome::Response(if planned.kinds.contains(&ProbeKind::Reachability) {
                ResponseSeen::opaque()
            } else {
                ResponseSeen {
                    response_type: ResponseType::Cors,
                    status,
                    status_text: String::new(),
                    url: "https://api.example.com/v1/me".to_owned(),
                    redirected: false,
                    headers: Vec::new(),
                    body_excerpt: Some(String::new()),
                }
            })
        })
    }

    #[test]
    fn the_report_lays_out_the_diagnosis() {
        let report = Report::of(evidence(401));
        assert_eq!(
            report.verdict.cause,
            report.diagnosis.top().map(|f| f.cause)
        );
        assert_eq!(report.steps.len(), report.diagnosis.findings.len());
        assert!(report.findings().all(|(_, steps)| steps.len() >= 3));
        assert!(report.curl.command.starts_with("curl -i"));
        assert_eq!(report.raw.len(), report.evidence.probes.len());
        assert!(!report.timeline.is_empty());
    }

    #[test]
    fn a_request_that_works_says_so() {
        let report = Report::of(evidence(200));
        assert_eq!(report.verdict.cause, None);
        assert!(report.verdict.title.starts_with("Nothing wrong found"));
        let spec = RequestSpec::get("https://api.example.com/v1/me");
        let context = PageContext::at("https://why401.example.org", true, AddressClass::Public);
        let pasted = |status: &str| {
            Report::of(Evidence::pasted_only(
                spec.clone(),
                context.clone(),
                0,
                format!(
                    "> GET /v1/me HTTP/1.1\n> Host: api.example.com\n>\n< HTTP/1.1 {status}\n<\n"
                ),
            ))
            .verdict
        };
        assert_eq!(pasted("200 OK").confidence, Confidence::High);
        assert!(pasted("200 OK").title.starts_with("Nothing wrong found"));
        assert_ne!(pasted("401 Unauthorized").title, pasted("200 OK").title);
    }
}
