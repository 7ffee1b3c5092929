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
//! ones it does not know and refuses a `version` above the one it reads.

use std::fmt::Write as _;

use serde::Serialize;

use crate::diagnose::Diagnosis;
use crate::evidence::Evidence;
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

/// The report as Markdown: the verdict, the findings with what each rests on, the top one step by
/// step with what to change (when the advice is at hand), the causes a browser cannot see, and
/// the exchange. Text from servers and users is escaped, and the exchange sits in a fence no
/// backtick in it can close.
pub fn markdown(evidence: &Evidence, diagnosis: &Diagnosis, advice: Option<&AdviceBook>) -> String {
    let mut out = String::new();
    let request = &evidence.request;
    let verdict = diagnosis.top().map_or(
        "Nothing wrong found: the request works from this page",
        |f| f.cause.title(),
    );
    let _ = write!(out, "## why401: {}\n\n", escape(verdict));
    let _ = write!(
        out,
        "`{} {}` with credentials `{}`, probed from `{}`.\n\n",
        request.normalized_method(),
        code_span_text(&request.url),
        request.credentials.as_str(),
        code_span_text(&evidence.context.origin),
    );
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
        for (n, step) in steps(evidence, top).iter().enumerate() {
            let _ = writeln!(out, "{}. {}", n + 1, escape(step));
        }
        out.push('\n');
        if let Some(text) = advice.and_then(|book| book.get(top.cause)) {
            out.push_str("### What to change\n\n");
            for (who, what) in [
                ("If you use the app", &text.end_user),
                ("If you write the code that calls the API", &text.consumer),
                ("If you run the server", &text.owner),
            ] {
                let _ = writeln!(out, "- **{who}:** {}", escape(what));
            }
            out.push('\n');
        }
    }
    if !diagnosis.other_possibilities.is_empty() {
        out.push_str("### Other possibilities a browser cannot see\n\n");
        for cause in &diagnosis.other_possibilities {
            let _ = writeln!(out, "- {} (`{}`)", escape(cause.title()), cause.as_str());
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
    let exchange = exchange.join("\n\n");
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
    let text = text.replace(['\n', '\r'], " ");
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
    text.replace('`', "'").replace(['\n', '\r'], " ")
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
    }
}
