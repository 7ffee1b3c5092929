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
    // What a terminal printed — `$ curl -v …` and then the exchange with its status line — is an
    // exchange to read, not a command to send.
    if crate::pasted::parse_pasted(text)
        .is_ok_and(|pasted| pasted.responses.iter().any(|r| r.status.is_some()))
    {
        return Err(CommandProblem::NotACommand);
    }
    let trimmed = text.trim_start();
    let first = trimmed
        .split(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or_default();
    let first = first.trim_start_matches(['$', '>', ' ']);
    let fetch_call = trimmed.contains("fetch(") && !trimmed.contains("curl ");
    if first.eq_ignore_ascii_case("fetch") || first.eq_ignore_ascii_case("await") || fetch_call {
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

/// A copied request as the form holds it, and what the page will do otherwise than the command:
/// headers a page may not set (each with what the browser does instead), curl's switches a
/// browser does not have, options this reader skipped.
pub fn to_form(copied: &CopiedRequest) -> (crate::form::RequestForm, Vec<String>) {
    use crate::cors::CredentialsMode;
    let mut notes = Vec::new();
    let mut headers = Vec::new();
    let mut cookies = false;
    for (name, value) in &copied.headers {
        if name.starts_with(':') {
            continue;
        }
        if name.eq_ignore_ascii_case("cookie") {
            cookies = true;
            let count = value.split(';').filter(|c| c.contains('=')).count();
            notes.push(format!(
                "The command sends {count} cookie{} in a Cookie header. A page cannot set it: with credentials “include” (set below) your browser sends the cookies it holds for the API instead — sign in there first.",
                if count == 1 { "" } else { "s" }
            ));
        } else if let Some(why) = crate::request::forbidden_request_header(name, value) {
            notes.push(format!(
                "The command sends {name}; a page cannot, because {why}."
            ));
        } else {
            headers.push(format!("{name}: {value}"));
        }
    }
    let credentials = match copied.credentials.as_deref() {
        Some("include") => CredentialsMode::Include,
        Some("omit") => CredentialsMode::Omit,
        None if cookies => CredentialsMode::Include,
        _ => CredentialsMode::SameOrigin,
    };
    if copied.insecure {
        notes.push("curl's -k accepts any TLS certificate; a browser does not, so a certificate it does not trust fails the page's request.".to_owned());
    }
    if copied.mode.is_none() && !copied.follow_redirects {
        notes
            .push("Without -L curl stops at a redirect; the page's fetch() follows it.".to_owned());
    }
    if copied.location_trusted {
        notes.push("--location-trusted sends the credentials on to other hosts; a browser drops Authorization on a redirect to another origin.".to_owned());
    }
    if !copied.unknown.is_empty() {
        notes.push(format!(
            "Not read: {} — the request may differ there.",
            copied.unknown.join(", ")
        ));
    }
    let form = crate::form::RequestForm {
        url: copied.url.clone(),
        method: copied.method.to_ascii_uppercase(),
        headers: headers.join("\n"),
        body: copied.body.clone().unwrap_or_default(),
        credentials,
        ..crate::form::RequestForm::default()
    };
    (form, notes)
}

#[cfg(test)]
mod tests {
    use super::{parse_command, to_form};
    use crate::cors::CredentialsMode;

    #[test]
    fn a_terminal_transcript_is_an_exchange_not_a_command() {
        let transcript = "$ curl -v https://api.example/v1/me -H 'Authorization: Bearer t'\n> GET /v1/me HTTP/1.1\n> Host: api.example\n>\n< HTTP/1.1 401 Unauthorized\n< WWW-Authenticate: Bearer\n<\n";
        assert_eq!(
            parse_command(transcript).map(|_| ()),
            Err(super::CommandProblem::NotACommand)
        );
        assert!(parse_command("curl https://api.example/v1/me").is_ok());
    }

    #[test]
    fn a_copied_request_fills_the_form_and_says_what_a_page_cannot_send() {
        let (_, copied) = parse_command(
            "curl 'https://api.example/v1/me' -H 'authorization: Bearer t' -H 'user-agent: x' -b 'sid=1; theme=dark' -k",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let (form, notes) = to_form(&copied);
        assert_eq!(form.url, "https://api.example/v1/me");
        assert_eq!(form.headers, "authorization: Bearer t");
        assert_eq!(form.credentials, CredentialsMode::Include);
        assert_eq!(notes.len(), 4, "{notes:#?}");
        assert!(notes.iter().any(|n| n.contains("2 cookies")));
        assert!(notes.iter().all(|n| !n.contains("sid=1")));
    }
}
