//! Exports of a report: Markdown for an issue tracker or a chat, and
//! JSON for tools. Both are made from evidence already redacted ([`crate::redact`]) and its
//! diagnosis, so they hold no more than a share link does.
//!
//! # The JSON schema, version 1
//! ```text
//! {
//!   "schema": "why401-report", "version": 1,
//!   "verdict": { "cause": "<id>", "title": "…", "confidence": "high|medium|low|none" } | null,
//!   "findings": [ { "cause": "<id>", "title": "…", "confidence": "…",
//!                   "because": ["…"], "chromium_error": "<CorsError>" | null } ],   // ranked
//!   "other_possibilities": ["<id>"],
//!   "evidence": { … }   // the evidence model, with its own "version"
//! }
//! ```
//! Cause ids are the catalogue's stable ids. Fields are only ever added; a reader ignores the
//! ones it does not know and refuses a `version` above the one it reads. The page opens such a
//! file again from its evidence ([`read_report`]), as it opens a link.

use std::fmt;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::diagnose::Diagnosis;
use crate::evidence::{EVIDENCE_VERSION, Evidence, EvidenceError};
use crate::explain::{AdviceBook, raw, steps};

/// The `schema` field of a JSON report.
pub const REPORT_SCHEMA: &str = "why401-report";
/// The JSON report's version.
pub const REPORT_VERSION: u32 = 1;

/// The JSON report, field by field in the schema's order.
#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    version: u32,
    verdict: Option<Verdict>,
    findings: Vec<FindingOut<'a>>,
    other_possibilities: Vec<&'static str>,
    evidence: &'a Evidence,
}

#[derive(Serialize)]
struct Verdict {
    cause: &'static str,
    title: &'static str,
    confidence: &'static str,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    cause: &'static str,
    title: &'static str,
    confidence: &'static str,
    because: &'a [String],
    chromium_error: Option<&'static str>,
}

/// The report as JSON (see the module's schema).
pub fn json(evidence: &Evidence, diagnosis: &Diagnosis) -> String {
    let report = Report {
        schema: REPORT_SCHEMA,
        version: REPORT_VERSION,
        verdict: diagnosis.top().map(|f| Verdict {
            cause: f.cause.as_str(),
            title: f.cause.title(),
            confidence: f.confidence.as_str(),
        }),
        findings: diagnosis
            .findings
            .iter()
            .map(|f| FindingOut {
                cause: f.cause.as_str(),
                title: f.cause.title(),
                confidence: f.confidence.as_str(),
                because: &f.because,
                chromium_error: f.implied.as_ref().map(|i| i.error.as_str()),
            })
            .collect(),
        other_possibilities: diagnosis
            .other_possibilities
            .iter()
            .map(|c| c.as_str())
            .collect(),
        evidence,
    };
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

/// Larger files are refused unread: a report is a few kilobytes, and one that carries as much
/// evidence as a link may (1 MB) stays well under this, indented.
pub const MAX_REPORT_BYTES: usize = 2 * 1024 * 1024;

/// Why a file is not a JSON report this build can open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportError {
    /// Not JSON, or JSON without `"schema": "why401-report"`.
    NotAReport,
    /// A report version newer than [`REPORT_VERSION`].
    FutureVersion { version: u32 },
    /// Over [`MAX_REPORT_BYTES`].
    TooLarge,
    /// Its evidence is over what a link may carry ([`crate::share::MAX_EVIDENCE_BYTES`]): the
    /// page reads no more from a file than from a link.
    EvidenceTooLarge,
    /// A report, but its evidence cannot be read.
    Evidence(EvidenceError),
}

impl ReportError {
    /// A stable name for the page's `data-link-error`.
    pub fn kind(&self) -> &'static str {
        match self {
            ReportError::NotAReport => "not-a-report",
            ReportError::FutureVersion { .. } => "future-report",
            ReportError::TooLarge | ReportError::EvidenceTooLarge => "too-large",
            ReportError::Evidence(error) => error.kind(),
        }
    }
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::NotAReport => f.write_str(
                "This file is not a why401 report: open the why401-report.json that “Download JSON” saves.",
            ),
            ReportError::FutureVersion { version } => write!(
                f,
                "This report was made by a newer why401 (report version {version}; this page reads up to {REPORT_VERSION}). Reload the page to get the latest version."
            ),
            ReportError::TooLarge => {
                f.write_str("This file is far larger than any why401 report: it is not opened.")
            }
            ReportError::EvidenceTooLarge => f.write_str(
                "This report carries more than a link may (over 1 MB of evidence): it is not opened.",
            ),
            ReportError::Evidence(error) => write!(f, "{error}"),
        }
    }
}

/// The evidence of a JSON report ([`json`]), refusing other files and newer versions before
/// reading the rest. The conclusions in the file are not read: the engine draws its own.
pub fn read_report(text: &str) -> Result<Evidence, ReportError> {
    #[derive(Deserialize)]
    struct Head {
        schema: String,
        version: u32,
    }
    #[derive(Deserialize)]
    struct Version {
        version: u32,
    }
    #[derive(Deserialize)]
    struct EvidenceHead {
        evidence: Version,
    }
    #[derive(Deserialize)]
    struct Body {
        schema: String,
        version: u32,
        evidence: Evidence,
    }
    if text.len() > MAX_REPORT_BYTES {
        return Err(ReportError::TooLarge);
    }
    let bytes = text.as_bytes();
    // One pass when it reads: the checks below only name what is wrong with a file that does not.
    if let Ok(body) = serde_json::from_slice::<Body>(bytes)
        && body.schema == REPORT_SCHEMA
        && body.version <= REPORT_VERSION
        && body.evidence.version <= EVIDENCE_VERSION
    {
        return within_a_link(body.evidence);
    }
    let head: Head = serde_json::from_slice(bytes).map_err(|_| ReportError::NotAReport)?;
    if head.schema != REPORT_SCHEMA {
        return Err(ReportError::NotAReport);
    }
    if head.version > REPORT_VERSION {
        return Err(ReportError::FutureVersion {
            version: head.version,
        });
    }
    let malformed = |e: serde_json::Error| {
        ReportError::Evidence(EvidenceError::Malformed {
            detail: e.to_string(),
        })
    };
    let EvidenceHead {
        evidence: Version { version },
    } = serde_json::from_slice(bytes).map_err(malformed)?;
    if version > EVIDENCE_VERSION {
        return Err(ReportError::Evidence(EvidenceError::FutureVersion {
            version,
        }));
    }
    let Body { evidence, .. } = serde_json::from_slice(bytes).map_err(malformed)?;
    within_a_link(evidence)
}

/// `evidence`, unless it is more than a link may carry.
fn within_a_link(evidence: Evidence) -> Result<Evidence, ReportError> {
    if evidence.to_json().len() > crate::share::MAX_EVIDENCE_BYTES {
        return Err(ReportError::EvidenceTooLarge);
    }
    Ok(evidence)
}

/// The report as Markdown: the verdict, the findings with what each rests on, the top one step by
/// step with what to change (when the advice is at hand), the causes a browser cannot see, and
/// the exchange. Text from servers and users is escaped, and the exchange sits in a fence no
/// backtick in it can close.
pub fn markdown(evidence: &Evidence, diagnosis: &Diagnosis, advice: Option<&AdviceBook>) -> String {
    let mut out = String::new();
    let request = &evidence.request;
    let verdict = crate::report::Verdict::of(diagnosis).title;
    let _ = write!(out, "## why401: {}\n\n", escape(verdict));
    if evidence.nothing_sent() {
        let _ = write!(
            out,
            "`{} {}` as pasted: nothing was sent.\n\n",
            request.normalized_method(),
            code_span_text(&request.url),
        );
    } else {
        let _ = write!(
            out,
            "`{} {}` with credentials `{}`, probed from `{}`.\n\n",
            request.normalized_method(),
            code_span_text(&request.url),
            request.credentials.as_str(),
            code_span_text(&evidence.context.origin),
        );
    }
    if evidence.caller == Some(crate::evidence::Caller::Outside) {
        out.push_str(
            "The request runs outside a browser (a server, a script, an app, Postman or curl): CORS does not bind it.\n\n",
        );
    }
    if !diagnosis.findings.is_empty() {
        out.push_str("### Findings\n\n");
        for (rank, finding) in diagnosis.findings.iter().enumerate() {
            let _ = writeln!(
                out,
                "{}. **{}** (`{}`, {} confidence)",
                rank + 1,
                escape(finding.cause.title()),
                finding.cause.as_str(),
                finding.confidence.as_str()
            );
            for reason in &finding.because {
                let _ = writeln!(out, "   - {}", escape(reason));
            }
            if let Some(implied) = &finding.implied {
                let _ = writeln!(
                    out,
                    "   - Chromium reports `{}` for this request.",
                    implied.error.as_str()
                );
            }
        }
        out.push('\n');
    }
    if let Some(top) = diagnosis.top() {
        out.push_str("### Step by step\n\n");
        for (n, step) in steps(evidence, diagnosis, top).iter().enumerate() {
            let _ = writeln!(out, "{}. {}", n + 1, escape(step));
        }
        out.push('\n');
        if let Some(text) = advice.and_then(|book| book.get(top.cause)) {
            out.push_str("### What to change\n\n");
            for (who, what) in text.by_audience() {
                let _ = writeln!(out, "- **{who}:** {}", escape(what));
            }
            out.push('\n');
        }
    }
    if !diagnosis.other_possibilities.is_empty() {
        out.push_str("### Other possibilities a browser cannot see\n\n");
        for cause in &diagnosis.other_possibilities {
            let _ = write!(out, "- {} (`{}`)", escape(cause.title()), cause.as_str());
            match advice.and_then(|book| book.get(*cause)) {
                Some(text) => {
                    let _ = writeln!(out, ": {}", escape(&text.check));
                }
                None => out.push('\n'),
            }
        }
        out.push('\n');
    }
    let mut exchange: Vec<String> = evidence.probes.iter().map(raw).collect();
    if let Some(line) = &evidence.console_line {
        exchange.push(format!("Console line:\n{line}"));
    }
    if let Some(text) = &evidence.pasted {
        exchange.push(format!("Pasted answer:\n{text}"));
    }
    // Hidden characters written out: in an issue tracker they would spoof what they hide.
    let exchange = crate::text::reveal(&exchange.join("\n\n")).into_owned();
    let fence = "`".repeat(longest_backtick_run(&exchange).max(2) + 1);
    let _ = writeln!(
        out,
        "### The exchange (secrets redacted)\n\n{fence}text\n{exchange}\n{fence}"
    );
    out
}

/// Inline text with the characters that make Markdown or HTML backslash-escaped (the
/// `CommonMark` spec lets any ASCII punctuation be escaped) — emphasis, code, links, tags, tables,
/// and a heading or list marker at the start — so a server's words render as words.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let text = crate::text::reveal(&text.replace(['\n', '\r'], " ")).into_owned();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    for (i, c) in text.chars().enumerate() {
        let leading = i == 0 && "#+-=".contains(c);
        let list_number = i == digits && digits > 0 && ".)".contains(c);
        if leading || list_number || "\\`*_[]<>|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text for a one-backtick code span: backticks and line breaks cannot end or break it.
fn code_span_text(text: &str) -> String {
    crate::text::reveal(&text.replace('`', "'").replace(['\n', '\r'], " ")).into_owned()
}

fn longest_backtick_run(text: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_escapes_and_fences() {
        assert_eq!(escape("<img src=x>"), "\\<img src=x\\>");
        assert_eq!(escape("a_b*c (x-y)"), "a\\_b\\*c (x-y)");
        assert_eq!(escape("# title"), "\\# title");
        assert_eq!(escape("12. item"), "12\\. item");
        assert_eq!(longest_backtick_run("a ``` b ````"), 4);
        assert_eq!(code_span_text("a`b\nc"), "a'b c");
        assert_eq!(escape("s\u{200B}id"), "s⟨U+200B⟩id");
    }

    #[test]
    fn export_refuses_what_is_not_a_report_it_reads() {
        assert_eq!(read_report("hello"), Err(ReportError::NotAReport));
        assert_eq!(read_report("{}"), Err(ReportError::NotAReport));
        assert_eq!(
            read_report(r#"{"schema":"other","version":1}"#),
            Err(ReportError::NotAReport)
        );
        assert_eq!(
            read_report(r#"{"schema":"why401-report","version":7}"#),
            Err(ReportError::FutureVersion { version: 7 })
        );
        assert_eq!(
            read_report(r#"{"schema":"why401-report","version":1,"evidence":{"version":9}}"#),
            Err(ReportError::Evidence(EvidenceError::FutureVersion {
                version: 9
            }))
        );
        assert_eq!(
            read_report(r#"{"schema":"why401-report","version":1,"evidence":{"version":1}}"#)
                .map_err(|e| e.kind()),
            Err("malformed")
        );
        let huge = format!("{{\"schema\":\"{}\"}}", " ".repeat(MAX_REPORT_BYTES));
        assert_eq!(read_report(&huge), Err(ReportError::TooLarge));
        for error in [
            ReportError::NotAReport,
            ReportError::TooLarge,
            ReportError::EvidenceTooLarge,
        ] {
            assert!(error.to_string().len() > 20);
        }
    }
}
