//! What the user gave, made into evidence: a URL sent for real, a copied command sent for real, an
//! exchange read as pasted, an entry of a HAR file, or a report or share link opened as it is.

use why401_core::command::{CopiedRequest, Tool, parse_command};
use why401_core::cors::CredentialsMode;
use why401_core::evidence::{Caller, Evidence};
use why401_core::form::RequestForm;
use why401_core::har::{Har, parse_har};
use why401_core::observation::field_value;

use crate::send::{Outgoing, send};
use crate::{Args, Stop, evidence_of, timeout};

/// The evidence to diagnose (none when a HAR file holds nothing that failed), and what to say
/// before the report.
pub struct Subject {
    pub evidence: Option<Evidence>,
    pub notes: Vec<String>,
    /// Something was found besides the evidence: a HAR's cookie trail or a refresh race.
    pub found_apart: bool,
}

pub fn is_url(text: &str) -> bool {
    let lower = text
        .trim_start()
        .get(..8)
        .unwrap_or_default()
        .to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// What `text` (a file's or standard input's), or else the URL argument, holds.
pub fn read_subject(args: &Args, text: Option<&str>) -> Result<Subject, Stop> {
    let Some(text) = text else {
        let url = args.input.clone().unwrap_or_default();
        if let Some(subject) = shared(&url) {
            return subject;
        }
        return sent(args, outgoing_of_args(args, url)?, Vec::new());
    };
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(Stop::Input("the input is empty".to_owned()));
    }
    if trimmed.starts_with('{') {
        if trimmed.contains("\"why401-report\"") {
            let evidence = why401_core::export::read_report(trimmed)
                .map_err(|e| Stop::Input(e.to_string()))?;
            return Ok(Subject {
                evidence: Some(evidence),
                notes: vec!["A why401 report, as it was saved.".to_owned()],
                found_apart: false,
            });
        }
        let har = parse_har(trimmed).map_err(|e| Stop::Input(e.to_string()))?;
        return har_subject(args, &har);
    }
    if is_url(trimmed)
        && !trimmed.contains(char::is_whitespace)
        && let Some(subject) = shared(trimmed)
    {
        return subject;
    }
    match parse_command(trimmed) {
        Ok((tool, copied)) => {
            let note = format!(
                "{}, sent as it says.",
                match tool {
                    Tool::Curl(_) => "A curl command",
                    Tool::PowerShell => "A PowerShell command",
                    Tool::Fetch => "A fetch() call",
                }
            );
            let mut notes = vec![note];
            if !copied.unknown.is_empty() {
                notes.push(format!(
                    "Not read: {} — the request may differ there.",
                    copied.unknown.join(", ")
                ));
            }
            sent(args, outgoing_of_command(args, &copied), notes)
        }
        Err(why401_core::command::CommandProblem::NotACommand) => exchange(args, trimmed),
        Err(problem) => Err(Stop::Input(problem.to_string())),
    }
}

/// A share link's report, when `url` is one.
fn shared(url: &str) -> Option<Result<Subject, Stop>> {
    let (_, fragment) = url.split_once('#')?;
    if fragment.is_empty() {
        return None;
    }
    Some(
        why401_core::share::decode(fragment)
            .map(|evidence| Subject {
                evidence: Some(evidence),
                notes: vec!["The report a why401 link carries; nothing was sent.".to_owned()],
                found_apart: false,
            })
            .map_err(|e| Stop::Input(e.to_string())),
    )
}

fn outgoing_of_args(args: &Args, url: String) -> Result<Outgoing, Stop> {
    let mut headers = Vec::new();
    for line in &args.headers {
        let (name, value) = line
            .split_once(':')
            .filter(|(name, _)| !name.trim().is_empty())
            .ok_or_else(|| Stop::Input(format!("-H {line:?} is not `Name: value`")))?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    if let Some(user) = &args.user {
        use why401_core::request::basic_credentials;
        headers.push(("Authorization".to_owned(), basic_credentials(user)));
    }
    let method = args
        .method
        .clone()
        .unwrap_or_else(|| if args.data.is_some() { "POST" } else { "GET" }.to_owned());
    Ok(Outgoing {
        method,
        url,
        headers,
        body: args.data.clone(),
        follow: !args.no_follow,
        location_trusted: false,
        insecure: args.insecure,
        timeout: timeout(args),
    })
}

fn outgoing_of_command(args: &Args, copied: &CopiedRequest) -> Outgoing {
    Outgoing {
        method: if copied.method.is_empty() {
            "GET".to_owned()
        } else {
            copied.method.to_ascii_uppercase()
        },
        url: copied.url.clone(),
        headers: copied.headers.clone(),
        body: copied.body.clone(),
        follow: !args.no_follow,
        location_trusted: copied.location_trusted,
        insecure: copied.insecure || args.insecure,
        timeout: timeout(args),
    }
}

/// Sends `outgoing` (with `Origin` when the caller is a page) and reads what came back.
fn sent(args: &Args, mut outgoing: Outgoing, mut notes: Vec<String>) -> Result<Subject, Stop> {
    if let Some(origin) = &args.origin
        && field_value(&outgoing.headers, "origin").is_none()
    {
        outgoing.headers.push(("Origin".to_owned(), origin.clone()));
    }
    let reading = form_of(&outgoing, None, |_, _| true).read();
    let target = reading
        .target
        .map_err(|problem| Stop::Input(format!("{}: {problem}", outgoing.url)))?;
    outgoing.url.clone_from(&target.url);
    let exchange = send(&outgoing).map_err(Stop::Unreachable)?;
    notes.push(format!(
        "Sent {} {}: {} in {} ms{}.",
        outgoing.method,
        target.url,
        exchange.status,
        exchange.elapsed.as_millis(),
        match exchange.hops {
            0 | 1 => String::new(),
            2 => ", after a redirect".to_owned(),
            hops => format!(", after {} redirects", hops - 1),
        }
    ));
    let mut spec = reading.spec;
    spec.url.clone_from(&target.url);
    let mut evidence = evidence_of(args, spec, &target, exchange.transcript);
    if let Some(origin) = &args.origin {
        // The page's own probes, sent for real and seen as Chromium would let the page see them.
        let page_spec = page_request(&outgoing, args.credentials);
        let cookie = field_value(&outgoing.headers, "cookie");
        evidence.probes = crate::page::probes(&page_spec, origin, cookie, &outgoing);
        notes.push(format!(
            "Sent the {} requests a page at {origin} would send, and judged each as Chromium would.",
            evidence.probes.len()
        ));
        evidence.request = page_spec;
    }
    Ok(Subject {
        evidence: Some(evidence),
        notes,
        found_apart: false,
    })
}

/// An entry that got no answer: nothing to read, so it is sent again from here — as the page
/// that made it, at the origin its request names — when it changes nothing on the server or was
/// asked for by number.
fn resent(
    args: &Args,
    at: usize,
    entry: &why401_core::har::HarEntry,
    mut notes: Vec<String>,
) -> Result<Subject, Stop> {
    let safe = ["GET", "HEAD", "OPTIONS"].contains(&entry.method.to_ascii_uppercase().as_str());
    if !safe && args.entry != Some(at + 1) {
        return Err(Stop::Input(format!(
            "entry #{} ({} {}) got no answer, and sending it again may change data on the server: ask for it with --entry {} to send it from here",
            at + 1,
            entry.method,
            entry.url,
            at + 1
        )));
    }
    let origin = args
        .origin
        .clone()
        .or_else(|| entry.origin().map(str::to_owned));
    notes.push(format!(
        "Entry #{}: {} {} got no answer when it was recorded ({}); sent again from here{}.",
        at + 1,
        entry.method,
        entry.url,
        entry.error.as_deref().unwrap_or("no error recorded"),
        origin
            .as_deref()
            .map_or_else(String::new, |o| format!(", as the page at {o} would"))
    ));
    let copied = entry.request();
    let args = Args {
        origin,
        ..args.clone()
    };
    sent(&args, outgoing_of_command(&args, &copied), notes)
}

/// `outgoing` as the form holds a request: the headers `keep` lets through, and credentials
/// `include` when it carries a `Cookie` header, unless `credentials` says otherwise.
fn form_of(
    outgoing: &Outgoing,
    credentials: Option<CredentialsMode>,
    keep: impl Fn(&str, &str) -> bool,
) -> RequestForm {
    let cookies = field_value(&outgoing.headers, "cookie").is_some();
    RequestForm {
        url: outgoing.url.clone(),
        method: outgoing.method.clone(),
        headers: outgoing
            .headers
            .iter()
            .filter(|(n, v)| keep(n, v))
            .map(|(n, v)| format!("{n}: {v}"))
            .collect::<Vec<_>>()
            .join("\n"),
        body: outgoing.body.clone().unwrap_or_default(),
        credentials: match credentials {
            Some(mode) => mode,
            None if cookies => CredentialsMode::Include,
            None => CredentialsMode::SameOrigin,
        },
        ..RequestForm::default()
    }
}

/// The request as a page's `fetch()` makes it: the headers a page may set (the browser adds
/// `Origin`, `Cookie` and the rest itself), cookies included when the user gave some.
fn page_request(
    outgoing: &Outgoing,
    credentials: Option<crate::Credentials>,
) -> why401_core::request::RequestSpec {
    let form = form_of(
        outgoing,
        credentials.map(crate::Credentials::mode),
        |n, v| {
            why401_core::request::forbidden_request_header(n, v).is_none()
                && !n.eq_ignore_ascii_case("origin")
        },
    );
    let mut spec = form.read().spec;
    outgoing.url.clone_into(&mut spec.url);
    spec
}

/// An exchange as `curl -v` or `curl -i` printed it, or as DevTools shows it.
fn exchange(args: &Args, text: &str) -> Result<Subject, Stop> {
    let pasted = why401_core::pasted::parse_pasted(text).map_err(|p| Stop::Input(p.to_string()))?;
    let (target, spec) = why401_core::form::request_from_paste(&pasted, &RequestForm::default())
        .ok_or_else(|| {
            Stop::Input(
                "the exchange has no request line with a Host, so it does not say where the request went: pipe in what curl -v prints, which shows it".to_owned(),
            )
        })?;
    Ok(Subject {
        evidence: Some(evidence_of(args, spec, &target, text.to_owned())),
        notes: vec!["An exchange as it was printed; nothing was sent.".to_owned()],
        found_apart: false,
    })
}

/// The failed entries of a HAR file, and the chosen one (the first that failed) diagnosed.
fn har_subject(args: &Args, har: &Har) -> Result<Subject, Stop> {
    let failures = har.failures();
    let mut notes = vec![format!(
        "A HAR file{}: {} entries, {} failed.",
        if har.creator.is_empty() {
            String::new()
        } else {
            format!(" saved by {}", har.creator)
        },
        har.entries.len(),
        failures.len()
    )];
    for (at, failure) in &failures {
        if let Some(entry) = har.entries.get(*at) {
            notes.push(format!(
                "  #{:<4} {} {}  {failure}",
                at + 1,
                entry.method,
                entry.url
            ));
        }
    }
    let trail: Vec<_> = har
        .cookie_trail()
        .into_iter()
        .chain(har.refresh_races())
        .collect();
    let found_apart = !trail.is_empty();
    if found_apart {
        notes.push("Across the entries, in the order the browser made them:".to_owned());
        for note in trail {
            notes.push(format!(
                "  #{:<4} [{}] {}",
                note.entry + 1,
                note.cause.as_str(),
                note.sentence
            ));
        }
    }
    if har.looks_sanitized() {
        notes.push("The file holds no Authorization, Cookie or Set-Cookie header anywhere: it was most likely saved sanitized (Chrome's default since version 130), so it cannot show whether credentials were sent. Save it with “Export HAR (with sensitive data)” to see them.".to_owned());
    }
    let chosen = match args.entry {
        Some(n) => Some(
            n.checked_sub(1)
                .filter(|i| *i < har.entries.len())
                .ok_or_else(|| {
                    Stop::Input(format!(
                        "--entry {n}: the file has entries 1 to {}",
                        har.entries.len()
                    ))
                })?,
        ),
        None => failures.first().map(|(at, _)| *at),
    };
    let Some((at, entry)) = chosen.and_then(|at| har.entries.get(at).map(|e| (at, e))) else {
        notes.push(
            "Nothing to diagnose: no entry was refused, blocked or sent to sign in.".to_owned(),
        );
        return Ok(Subject {
            evidence: None,
            notes,
            found_apart,
        });
    };
    if entry.status == 0 {
        return resent(args, at, entry, notes).map(|subject| Subject {
            found_apart: subject.found_apart || found_apart,
            ..subject
        });
    }
    let text = har.exchange(at).unwrap_or_else(|| entry.exchange());
    let pasted =
        why401_core::pasted::parse_pasted(&text).map_err(|p| Stop::Input(p.to_string()))?;
    let (target, spec) = why401_core::form::request_from_paste(&pasted, &RequestForm::default())
        .ok_or_else(|| Stop::Input(format!("entry #{} names no URL", at + 1)))?;
    notes.push(format!("Entry #{}: {} {}", at + 1, entry.method, entry.url));
    let mut evidence = evidence_of(args, spec, &target, text);
    // A HAR comes from a browser: the page is the caller, at the origin its request names.
    if args.origin.is_none() {
        evidence.caller = Some(Caller::Page {
            origin: entry.origin().map(str::to_owned),
        });
    }
    Ok(Subject {
        evidence: Some(evidence),
        notes,
        found_apart,
    })
}
