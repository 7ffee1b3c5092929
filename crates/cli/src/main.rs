//! `why401` in a terminal: the page's engine (`why401-core`) on a URL it fetches itself, an
//! exchange on standard input (`curl -sv URL 2>&1 | why401`), a copied cURL, PowerShell or fetch
//! command, a HAR file, or a report or share link someone sent. It prints the report step by step,
//! or the page's JSON report with `--json`, or a link that opens the report in the page with
//! `--share`; its exit code says what it found.

mod input;
mod page;
mod render;
mod send;

use std::io::{IsTerminal as _, Read as _};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use why401_core::evidence::{Caller, Evidence, PageContext};
use why401_core::explain::AdviceBook;
use why401_core::report::{Redaction, Report, redact};

use crate::input::read_subject;

const EXIT_CODES: &str = "\
Exit codes:
  0  the request is answered and nothing is wrong with it
  1  a cause was found, or the request is refused (401, 403, 407) for a reason not found
  2  the input or the options cannot be read
  3  no answer came (name resolution, connection, TLS, the time limit)

Examples:
  why401 https://api.example.com/v1/me -H 'Authorization: Bearer eyJ…'
  curl -sv https://api.example.com/v1/me 2>&1 | why401
  pbpaste | why401            (a command copied with DevTools' Copy as cURL)
  why401 session.har --entry 7
  why401 --json https://api.example.com/v1/me > report.json";

#[derive(Debug, Clone, Parser)]
#[command(
    name = "why401",
    version,
    about = "Why does this request get 401 Unauthorized? The why401 page's engine in a terminal.",
    after_help = EXIT_CODES
)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "command-line switches, each independent"
)]
#[expect(
    clippy::doc_markdown,
    reason = "these comments are --help's text, where backticks would show"
)]
struct Args {
    /// A URL to send a request to; or a file holding what `curl -v` printed, a copied command
    /// (cURL, PowerShell, fetch), a HAR file or a why401 report; or `-` for standard input (the
    /// default when something is piped in). A why401 share link opens the report it carries.
    input: Option<String>,
    /// The method, as curl's -X.
    #[arg(short = 'X', long = "request", value_name = "METHOD")]
    method: Option<String>,
    /// A header to send, `Name: value`, as curl's -H (repeat it).
    #[arg(short = 'H', long = "header", value_name = "HEADER")]
    headers: Vec<String>,
    /// A body to send (a POST unless -X says otherwise), as curl's -d.
    #[arg(short = 'd', long = "data", value_name = "BODY")]
    data: Option<String>,
    /// Basic credentials, `user:password`, as curl's -u.
    #[arg(short = 'u', long = "user", value_name = "USER:PASSWORD")]
    user: Option<String>,
    /// The request is made by a web page at this origin (`https://app.example.com`): `Origin` is
    /// sent with it and the answer is judged as that page's browser would. Without it the caller
    /// is taken to be outside a browser, where CORS does not apply.
    #[arg(long, value_name = "ORIGIN")]
    origin: Option<String>,
    /// With --origin: the page's fetch() credentials mode (include, same-origin, omit). Default:
    /// include when a Cookie header is given — it stands for the cookies the browser holds.
    #[arg(long, value_enum, value_name = "MODE", requires = "origin")]
    credentials: Option<Credentials>,
    /// Which entry of a HAR file to diagnose, by its number in the list printed (default: the
    /// first that failed).
    #[arg(long, value_name = "N")]
    entry: Option<usize>,
    /// Stop at the first redirect instead of following it as a page's fetch() does.
    #[arg(long)]
    no_follow: bool,
    /// Accept any TLS certificate, as curl's -k.
    #[arg(short = 'k', long)]
    insecure: bool,
    /// Seconds to wait for the whole exchange.
    #[arg(long, default_value_t = 15, value_name = "SECONDS")]
    timeout: u64,
    /// Print the report as JSON (the page's `why401-report` schema), secrets masked.
    #[arg(long, conflicts_with = "share")]
    json: bool,
    /// Print a link that opens this report in the why401 page, secrets masked.
    #[arg(long)]
    share: bool,
    /// Where the why401 page is hosted, for --share.
    #[arg(
        long,
        env = "WHY401_PAGE",
        default_value = "http://127.0.0.1:8080/",
        value_name = "URL"
    )]
    page: String,
    /// Keep secrets in --json and --share output as they are.
    #[arg(long)]
    show_secrets: bool,
    /// Colour: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value_t = Colour::Auto, value_name = "WHEN")]
    color: Colour,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Credentials {
    Include,
    SameOrigin,
    Omit,
}

impl Credentials {
    fn mode(self) -> why401_core::cors::CredentialsMode {
        use why401_core::cors::CredentialsMode;
        match self {
            Credentials::Include => CredentialsMode::Include,
            Credentials::SameOrigin => CredentialsMode::SameOrigin,
            Credentials::Omit => CredentialsMode::Omit,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Colour {
    Auto,
    Always,
    Never,
}

/// Why there is no report.
enum Stop {
    /// Exit 2: the input or an option.
    Input(String),
    /// Exit 3: no answer came.
    Unreachable(send::Unreachable),
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(code) => code,
        Err(Stop::Input(message)) => {
            eprintln!("why401: {message}");
            ExitCode::from(2)
        }
        Err(Stop::Unreachable(unreachable)) => {
            eprintln!("why401: {unreachable}");
            if !unreachable.transcript.is_empty() {
                eprintln!(
                    "\nWhat came back before:\n{}",
                    render::clean(&unreachable.transcript)
                );
            }
            ExitCode::from(3)
        }
    }
}

fn run(args: &Args) -> Result<ExitCode, Stop> {
    let text = match args.input.as_deref() {
        Some(url) if input::is_url(url) => None,
        Some("-") => Some(read_stdin()?),
        None if !std::io::stdin().is_terminal() => Some(read_stdin()?),
        None => {
            return Err(Stop::Input(
                "give a URL, a file, or pipe an exchange in (why401 --help shows how)".to_owned(),
            ));
        }
        Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
            // `api.example.com/v1/me`: a URL without its scheme, most likely.
            let host = path.split('/').next().unwrap_or_default();
            let host_like = e.kind() == std::io::ErrorKind::NotFound
                && host.contains('.')
                && !host.starts_with('.')
                && !path.contains(char::is_whitespace)
                && !std::path::Path::new(path)
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| {
                        ["har", "json", "txt", "log", "sh", "ps1", "cmd"].contains(&e)
                    });
            Stop::Input(if host_like {
                format!("{path}: no such file; for a URL, give its scheme: https://{path}")
            } else {
                format!("{path}: {e}")
            })
        })?),
    };
    let subject = read_subject(args, text.as_deref())?;
    let colour = match args.color {
        Colour::Always => true,
        Colour::Never => false,
        Colour::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let Some(evidence) = subject.evidence else {
        // A HAR file with nothing that failed: what its entries show together may still count.
        print!("{}", render::preamble(&subject.notes, colour));
        return Ok(if subject.found_apart {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    };
    let report = Report::of(evidence);
    let failed = refused(&report);
    let code = if report.diagnosis.findings.is_empty() && !failed && !subject.found_apart {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    if args.json || args.share {
        let redacted = if args.show_secrets {
            report.evidence.clone()
        } else {
            redact(&report.evidence, &Redaction::standard())
        };
        if args.json {
            // The findings as the terminal shows them: masking a value (a header named like a
            // secret) must not change the verdict a script reads.
            println!(
                "{}",
                why401_core::export::json(&redacted, &report.diagnosis)
            );
        } else {
            println!("{}", share_link(&args.page, &redacted)?);
        }
        return Ok(code);
    }
    let book = AdviceBook::from_json(why401_core::explain::advice_json().as_bytes()).ok();
    print!("{}", render::preamble(&subject.notes, colour));
    print!("{}", render::report(&report, book.as_ref(), colour));
    Ok(code)
}

fn read_stdin() -> Result<String, Stop> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Stop::Input(format!("standard input: {e}")))?;
    Ok(text)
}

/// Whether the answer refused the request, though no cause was found for it: the exchange as
/// the diagnosis already read it.
fn refused(report: &Report) -> bool {
    report
        .diagnosis
        .reading
        .pasted()
        .and_then(|pasted| pasted.answer().and_then(|a| a.status))
        .is_some_and(|status| matches!(status, 401 | 403 | 407))
}

/// The page's address with the evidence in its fragment.
fn share_link(page: &str, redacted: &Evidence) -> Result<String, Stop> {
    let base = url::Url::parse(page).map_err(|e| Stop::Input(format!("--page {page}: {e}")))?;
    let mut link = base;
    link.set_fragment(None);
    Ok(format!("{link}#{}", why401_core::share::encode(redacted)))
}

/// The evidence of an exchange nobody sent from a page: the caller is outside a browser unless
/// `--origin` names the page.
fn evidence_of(
    args: &Args,
    request: why401_core::request::RequestSpec,
    target: &why401_core::TargetUrl,
    transcript: String,
) -> Evidence {
    let origin = args.origin.clone();
    let context = PageContext::at(
        origin.as_deref().unwrap_or(&args.page),
        target.secure,
        target.address_class,
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let mut evidence = Evidence::pasted_only(request, context, now, transcript);
    evidence.caller = Some(match origin {
        Some(origin) => Caller::Page {
            origin: Some(origin),
        },
        None => Caller::Outside,
    });
    evidence
}

fn timeout(args: &Args) -> Duration {
    Duration::from_secs(args.timeout.max(1))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    #[test]
    fn the_options_hold_together() {
        super::Args::command().debug_assert();
    }
}
