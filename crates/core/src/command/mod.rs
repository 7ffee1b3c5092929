//! Requests as tools copy them: a curl command line — as DevTools copies it for bash or for
//! Windows' cmd (caret escapes), or as written by hand — PowerShell's `Invoke-WebRequest`, and
//! DevTools' "Copy as fetch". Each reads into a [`CopiedRequest`], with a sentence for what it
//! could not read.

mod curl;
mod fetch;
mod powershell;
mod words;

use std::fmt;

pub use words::Dialect;

/// Which tool the text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// A curl command line, split as this shell splits it.
    Curl(Dialect),
    PowerShell,
    Fetch,
}

/// A request as a copied command describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "curl's switches, each a fact about the command"
)]
pub struct CopiedRequest {
    pub method: String,
    pub url: String,
    /// In the order given; `-u`, `-b`, `-A`, `-e` and `--json` add theirs.
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    /// `-L`: follow redirects.
    pub follow_redirects: bool,
    /// `--location-trusted`: send credentials to other hosts on redirects too.
    pub location_trusted: bool,
    /// `-k`: accept any TLS certificate.
    pub insecure: bool,
    /// `--compressed`.
    pub compressed: bool,
    /// fetch's `credentials`, when the copy names it.
    pub credentials: Option<String>,
    /// fetch's `mode`, when the copy names it.
    pub mode: Option<String>,
    /// Options read but of no weight to the request (`-s`, `-v`, `--connect-timeout 5` …).
    pub ignored: Vec<String>,
    /// Options this reader does not know, kept to be named.
    pub unknown: Vec<String>,
}

/// What could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandProblem {
    /// Neither `curl`, `Invoke-WebRequest` / `Invoke-RestMethod`, nor `fetch(`.
    NotACommand,
    /// A quote opened and never closed.
    UnterminatedQuote { quote: char },
    /// An option that takes a value came last.
    MissingValue { option: String },
    /// No URL anywhere.
    NoUrl,
    /// The argument of `fetch(…)` is not the object DevTools writes.
    FetchOptions { detail: String },
}

impl fmt::Display for CommandProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandProblem::NotACommand => f.write_str(
                "This is not a command this page reads: paste a curl command, an Invoke-WebRequest, or DevTools' Copy as fetch.",
            ),
            CommandProblem::UnterminatedQuote { quote } => write!(
                f,
                "A {quote} quote is opened and never closed; the command may have been cut short when it was copied."
            ),
            CommandProblem::MissingValue { option } => {
                write!(f, "{option} needs a value, and the command ends there.")
            }
            CommandProblem::NoUrl => f.write_str("The command names no URL."),
            CommandProblem::FetchOptions { detail } => write!(
                f,
                "The options of fetch(…) could not be read as DevTools writes them: {detail}."
            ),
        }
    }
}

/// Reads a copied request: the tool is told from the text.
///
/// # Errors
/// What could not be read.
pub fn parse_command(text: &str) -> Result<(Tool, CopiedRequest), CommandProblem> {
    let trimmed = text.trim_start();
    let first = trimmed
        .split(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or_default();
    let first = first.trim_start_matches(['$', '>', ' ']);
    if first.eq_ignore_ascii_case("fetch") || first.eq_ignore_ascii_case("await") {
        return fetch::parse(trimmed).map(|r| (Tool::Fetch, r));
    }
    if trimmed.contains("Invoke-WebRequest") || trimmed.contains("Invoke-RestMethod") {
        return powershell::parse(trimmed).map(|r| (Tool::PowerShell, r));
    }
    let dialect = Dialect::of(trimmed);
    let words = words::split(trimmed, dialect)?;
    let start = words
        .iter()
        .position(|w| {
            let name = w.rsplit(['/', '\\']).next().unwrap_or_default();
            name.eq_ignore_ascii_case("curl") || name.eq_ignore_ascii_case("curl.exe")
        })
        .ok_or(CommandProblem::NotACommand)?;
    let rest = words.get(start + 1..).unwrap_or_default();
    curl::parse(rest).map(|r| (Tool::Curl(dialect), r))
}
