//! Explanations: for a finding, the exchange in numbered steps (what was sent, what the browser
//! did, what came back, what it means), then what to change — for the person using the page, the
//! developer calling the API and the server's owner — with configuration for the servers where
//! they differ, and the standards last.

use crate::cause::CauseId;
use crate::cors::{CredentialsMode, PreflightReason, preflight_reason};
use crate::diagnose::{Diagnosis, Finding};
use crate::evidence::Evidence;
use crate::header::{Credentials, CredentialsKind};
use crate::observation::{ProbeOutcome, ResponseSeen, ResponseType};
use crate::plan::ProbeKind;

pub use crate::cause::{Advice, Snippet};

/// What to change for `cause`: its record's advice.
pub const fn advice(cause: CauseId) -> Advice {
    cause.advice()
}

/// The exchange behind a finding, as numbered steps.
pub fn steps(evidence: &Evidence, diagnosis: &Diagnosis, finding: &Finding) -> Vec<String> {
    let mut steps = Vec::new();
    let request = &evidence.request;
    let method = request.normalized_method();
    let authorization = diagnosis
        .reading
        .credentials
        .as_ref()
        .map(describe_credentials);
    let others: Vec<&str> = request
        .headers
        .iter()
        .filter(|(n, _)| !n.eq_ignore_ascii_case("authorization"))
        .map(|(n, _)| n.as_str())
        .collect();
    let with = match (&authorization, others.is_empty()) {
        (Some(credentials), true) => credentials.clone(),
        (Some(credentials), false) => format!("{credentials} and {}", others.join(", ")),
        (None, false) => others.join(", "),
        (None, true) => "no credentials in its headers".to_owned(),
    };
    if evidence.nothing_sent() {
        // An exchange pasted alone: what it shows, and nothing about a browser.
        steps.push(format!(
            "The request, as the exchange shows it: {method} {} with {with}.",
            request.url
        ));
        if let Some(seen) = diagnosis.pasted_answer() {
            steps.push(format!("The server answered {}.", answered(seen)));
        }
        steps.extend(finding.because.iter().cloned());
        return steps;
    }
    let cookies = match request.credentials.cross_origin() {
        CredentialsMode::Include => "cookies for the API could ride along (credentials: include)",
        _ => "no cookies (a cross-origin request without credentials: include carries none)",
    };
    steps.push(format!(
        "The page sent {method} {} with {with}; {cookies}.",
        request.url
    ));

    let because = match preflight_reason(&request.cors_request(&evidence.context.origin)) {
        None => None,
        Some(PreflightReason::Method(method)) => Some(format!("{method} is not GET, HEAD or POST")),
        Some(PreflightReason::Headers(headers)) => Some(format!(
            "{} may not be sent without asking",
            headers.join(", ")
        )),
        Some(PreflightReason::Both { method, headers }) => Some(format!(
            "{method} is not GET, HEAD or POST and {} may not be sent without asking",
            headers.join(", ")
        )),
    };
    steps.push(match because {
        None => "The browser sent it directly: it needs no preflight (a simple request).".to_owned(),
        Some(because) => format!(
            "The browser first asked permission with a preflight (OPTIONS, which never carries credentials), because {because}."
        ),
    });

    let own = evidence.probe(ProbeKind::AsGiven).map(|p| &p.outcome);
    steps.push(match own {
        Some(ProbeOutcome::Response(seen)) => {
            format!("The page could read the answer: {}.", answered(seen))
        }
        Some(ProbeOutcome::Failed(failure)) => format!(
            "Nothing readable came back: fetch() failed with {}{}. {}",
            failure.error_name,
            if failure.message.is_empty() {
                String::new()
            } else {
                format!(" ({})", failure.message)
            },
            failure.meaning()
        ),
        None => "The request was not sent.".to_owned(),
    });
    for reason in &finding.because {
        steps.push(reason.clone());
    }
    steps
}

/// `401 Unauthorized, with WWW-Authenticate: Basic realm="api"`: an answer in a few words.
fn answered(seen: &crate::observation::ResponseSeen) -> String {
    let mut parts = vec![
        format!("{} {}", seen.status, seen.status_text)
            .trim_end()
            .to_owned(),
    ];
    if seen.redirected {
        parts.push(format!("after a redirect to {}", seen.url));
    }
    if let Some(challenge) = seen.header("www-authenticate") {
        parts.push(format!("with WWW-Authenticate: {challenge}"));
    }
    parts.join(", ")
}

/// `Bearer (a JWT of 3 parts, 812 characters)`: the scheme and the shape, never the secret.
fn describe_credentials(credentials: &Credentials) -> String {
    let scheme = credentials.scheme.as_deref().unwrap_or("no scheme");
    format!(
        "Authorization: {scheme} ({})",
        credentials_shape(credentials)
    )
}

/// What credentials are, without the secret: Basic's user and the password's length, or a token's
/// kind and length.
pub fn credentials_shape(credentials: &Credentials) -> String {
    if credentials.hidden {
        return "hidden where it was copied from".to_owned();
    }
    match &credentials.kind {
        CredentialsKind::Basic(Some(basic)) => format!(
            "user “{}” and a password of {} characters",
            basic.user, basic.password_len
        ),
        CredentialsKind::Bearer {
            token,
            looks_like_jwt: true,
        } => format!("a JWT of {} characters", token.len()),
        CredentialsKind::Bearer { token, .. } | CredentialsKind::DPoP { token } => {
            format!("a token of {} characters", token.len())
        }
        _ => format!("{} characters", credentials.value.len()),
    }
}

/// How one step of the exchange went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    Ok,
    Failed,
    /// Never happened, because an earlier step failed.
    Skipped,
    /// The page cannot tell.
    Unknown,
}

impl StepState {
    pub const fn as_str(self) -> &'static str {
        match self {
            StepState::Ok => "ok",
            StepState::Failed => "failed",
            StepState::Skipped => "skipped",
            StepState::Unknown => "unknown",
        }
    }
}

/// One step of the exchange: `preflight`, `request`, `redirect` or `response`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineStep {
    pub name: &'static str,
    pub state: StepState,
    pub detail: String,
}

/// What the timeline is drawn from.
struct Reading<'a> {
    method: String,
    preflighted: bool,
    readable: Option<&'a ResponseSeen>,
    /// The top finding's `CorsError`, when the browser blocked the request.
    implied: Option<&'static str>,
    /// The top finding stops the request before any server sees it.
    before_network: bool,
    preflight_failed: bool,
    top_title: &'static str,
}

fn step(name: &'static str, state: StepState, detail: impl Into<String>) -> TimelineStep {
    TimelineStep {
        name,
        state,
        detail: detail.into(),
    }
}

/// The exchange as the browser ran it — preflight, request, redirect, response — each marked,
/// from the probes and the top finding.
pub fn timeline(evidence: &Evidence, diagnosis: &Diagnosis) -> Vec<TimelineStep> {
    let request = &evidence.request;
    if evidence.nothing_sent() {
        // An exchange pasted alone: its request and its answer, as pasted.
        let method = request.normalized_method();
        let mut steps = vec![step(
            "request",
            StepState::Ok,
            format!("{method} sent (as pasted)"),
        )];
        if let Some(seen) = diagnosis.pasted_answer() {
            steps.push(step(
                "response",
                if (200..300).contains(&seen.status) {
                    StepState::Ok
                } else {
                    StepState::Failed
                },
                format!(
                    "{} (as pasted)",
                    format!("{} {}", seen.status, seen.status_text).trim_end()
                ),
            ));
        }
        return steps;
    }
    let top = diagnosis.top();
    let implied = top
        .and_then(|f| f.implied.as_ref())
        .map(|f| f.error.as_str());
    let reading = Reading {
        method: request.normalized_method(),
        preflighted: preflight_reason(&request.cors_request(&evidence.context.origin)).is_some(),
        readable: match evidence.probe(ProbeKind::AsGiven).map(|p| &p.outcome) {
            Some(ProbeOutcome::Response(seen)) => Some(seen),
            _ => None,
        },
        implied,
        before_network: top.is_some_and(|f| {
            matches!(
                f.cause,
                CauseId::Unreachable
                    | CauseId::MixedContent
                    | CauseId::LocalNetworkAccess
                    | CauseId::Timeout
            )
        }),
        preflight_failed: implied
            .is_some_and(|e| e.starts_with("Preflight") || e.contains("PreflightResponse")),
        top_title: top.map_or("", |f| f.cause.title()),
    };
    let mut steps = Vec::new();
    if reading.preflighted {
        steps.push(preflight_step(&reading));
    }
    steps.push(request_step(&reading));
    if let Some(redirect) = redirect_step(evidence, diagnosis, &reading) {
        steps.push(redirect);
    }
    steps.push(response_step(&reading));
    steps
}

fn preflight_step(r: &Reading) -> TimelineStep {
    if r.readable.is_some() || (r.implied.is_some() && !r.preflight_failed && !r.before_network) {
        step("preflight", StepState::Ok, "OPTIONS allowed the request")
    } else if r.before_network {
        step("preflight", StepState::Failed, "never reached the server")
    } else if let Some(error) = r.implied.filter(|_| r.preflight_failed) {
        step("preflight", StepState::Failed, format!("refused: {error}"))
    } else {
        step("preflight", StepState::Unknown, "the page cannot tell")
    }
}

fn request_step(r: &Reading) -> TimelineStep {
    let method = &r.method;
    if r.before_network {
        step("request", StepState::Failed, r.top_title)
    } else if r.readable.is_some() || (r.implied.is_some() && !r.preflight_failed) {
        step("request", StepState::Ok, format!("{method} sent"))
    } else if r.preflight_failed {
        step(
            "request",
            StepState::Skipped,
            format!("{method} never sent: the preflight failed"),
        )
    } else {
        step("request", StepState::Unknown, "the page cannot tell")
    }
}

fn redirect_step(evidence: &Evidence, diagnosis: &Diagnosis, r: &Reading) -> Option<TimelineStep> {
    let manual_saw_one = evidence.probe(ProbeKind::RedirectCheck).is_some_and(|p| {
        matches!(&p.outcome, ProbeOutcome::Response(seen) if seen.response_type == ResponseType::OpaqueRedirect)
    });
    let followed = r.readable.filter(|seen| seen.redirected);
    if !manual_saw_one && followed.is_none() {
        return None;
    }
    let dropped = diagnosis.findings.iter().any(|f| {
        matches!(
            f.cause,
            CauseId::RedirectDroppedAuthorization
                | CauseId::RedirectToOtherScheme
                | CauseId::LoginRedirect
        )
    });
    let to = followed.map_or_else(
        || "to a URL the page cannot see".to_owned(),
        |seen| format!("to {}", seen.url),
    );
    Some(step(
        "redirect",
        if dropped {
            StepState::Failed
        } else {
            StepState::Ok
        },
        to,
    ))
}

fn response_step(r: &Reading) -> TimelineStep {
    match r.readable {
        Some(seen) => step(
            "response",
            if (200..300).contains(&seen.status) {
                StepState::Ok
            } else {
                StepState::Failed
            },
            format!("{} {}", seen.status, seen.status_text).trim_end(),
        ),
        None => match r
            .implied
            .filter(|_| !r.preflight_failed && !r.before_network)
        {
            Some(error) => step(
                "response",
                StepState::Failed,
                format!("answered, but the page may not read it: {error}"),
            ),
            None => step("response", StepState::Skipped, "none readable"),
        },
    }
}

/// The `curl` command that asks the server what the browser hid: the user's request as this
/// page sent it (with its `Origin`), or with `preflight` the `OPTIONS` request the browser sent
/// first. Credentials and cookies become placeholders: the command is shown on screen.
pub fn curl_command(evidence: &Evidence, preflight: bool) -> String {
    curl(evidence, preflight, false)
}

/// "Copy as cURL": the exact request that reproduces the failure, with `Origin`. Unless the user
/// opts in with `with_secrets`, the credentials are placeholders and every other secret is
/// redacted as a share link redacts it ([`crate::redact`]); cookies are always placeholders (a
/// page never sees their values).
pub fn curl_reproduce(evidence: &Evidence, with_secrets: bool) -> String {
    if with_secrets {
        curl(evidence, false, true)
    } else {
        let redacted = crate::redact::redact(evidence, &crate::redact::Redaction::standard());
        curl(&redacted, false, false)
    }
}

fn curl(evidence: &Evidence, preflight: bool, with_secrets: bool) -> String {
    let request = &evidence.request;
    let origin = &evidence.context.origin;
    let mut command = String::from("curl -i");
    let mut arg = |flag: &str, value: &str| {
        command.push_str(" \\\n  ");
        if !flag.is_empty() {
            command.push_str(flag);
            command.push(' ');
        }
        command.push_str(&shell_quote(value));
    };
    arg("", &request.url);
    arg("-H", &format!("Origin: {origin}"));
    if preflight {
        let cors = request.cors_request(origin);
        arg("-X", "OPTIONS");
        arg(
            "-H",
            &format!("Access-Control-Request-Method: {}", cors.method),
        );
        let headers = match preflight_reason(&cors) {
            Some(PreflightReason::Headers(headers) | PreflightReason::Both { headers, .. }) => {
                headers
            }
            _ => Vec::new(),
        };
        if !headers.is_empty() {
            arg(
                "-H",
                &format!("Access-Control-Request-Headers: {}", headers.join(",")),
            );
        }
        return command;
    }
    let method = request.normalized_method();
    if method != "GET" {
        arg("-X", &method);
    }
    for (name, value) in &request.headers {
        let shown = if with_secrets {
            value.clone()
        } else if name.eq_ignore_ascii_case("authorization") {
            match value.split_once(' ') {
                Some((scheme, _)) => format!("{scheme} <credentials>"),
                None => "<credentials>".to_owned(),
            }
        } else if name.eq_ignore_ascii_case("cookie") {
            "<cookies>".to_owned()
        } else {
            value.clone()
        };
        arg("-H", &format!("{name}: {shown}"));
    }
    if request.credentials == CredentialsMode::Include {
        arg("-H", "Cookie: <your cookies for this site>");
    }
    if let Some(body) = &request.body {
        arg("--data-raw", body);
    }
    command
}

/// One shell word: as it is when nothing in it is special, else in single quotes.
fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:@%+=,".contains(&b));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Everything one probe sent and saw, as plain text for the raw view.
pub fn raw(record: &crate::evidence::ProbeRecord) -> String {
    let sent = &record.sent;
    let mut lines = vec![
        format!("{} {}", sent.method, sent.url),
        format!(
            "mode: {}, credentials: {}, redirect: {}, cache: no-store",
            sent.mode.as_str(),
            sent.credentials.as_str(),
            sent.redirect.as_str(),
        ),
    ];
    lines.extend(sent.headers.iter().map(|(n, v)| format!("{n}: {v}")));
    if let Some(body) = &sent.body {
        lines.push(format!("(body: {} characters)", body.chars().count()));
    }
    lines.push(String::new());
    match &record.outcome {
        ProbeOutcome::Response(seen) => {
            lines.push(
                format!(
                    "→ {} {} (response type {}{})",
                    seen.status,
                    seen.status_text,
                    seen.response_type.as_str(),
                    if seen.redirected { ", redirected" } else { "" }
                )
                .replace("  ", " "),
            );
            if !seen.url.is_empty() {
                lines.push(format!("url: {}", seen.url));
            }
            lines.extend(seen.headers.iter().map(|(n, v)| format!("{n}: {v}")));
            if let Some(body) = &seen.body_excerpt {
                lines.push(String::new());
                lines.push(body.clone());
            }
        }
        ProbeOutcome::Failed(failure) => {
            lines.push(format!("→ {}: {}", failure.error_name, failure.message));
        }
    }
    lines.join("\n")
}

/// A server's fix, as read from the advice asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnippetText {
    pub server: String,
    pub language: String,
    pub code: String,
}

/// [`Advice`] as read from the advice asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdviceText {
    /// How to make sure, beyond what a page can see.
    pub check: String,
    pub end_user: String,
    pub consumer: String,
    pub owner: String,
    pub snippets: Vec<SnippetText>,
    pub references: Vec<String>,
}

impl AdviceText {
    /// What to change, for each audience in the order a report lists them, with its heading.
    pub fn by_audience(&self) -> [(&'static str, &str); 3] {
        [
            ("If you use the app", &self.end_user),
            ("If you write the code that calls the API", &self.consumer),
            ("If you run the server", &self.owner),
        ]
    }
}

/// The advice for every cause, and how to check it, as the app loads it. The texts and server configurations are a
/// third of the bundle's weight, so the page fetches them (`advice.json`, written from
/// [`advice`] by [`advice_json`]) after its first paint instead of carrying them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AdviceBook {
    entries: Vec<(CauseId, AdviceText)>,
}

impl AdviceBook {
    pub fn get(&self, cause: CauseId) -> Option<&AdviceText> {
        self.entries
            .iter()
            .find(|(c, _)| *c == cause)
            .map(|(_, advice)| advice)
    }

    /// Reads the asset; a cause it does not know (written by a newer build) is skipped.
    pub fn from_json(bytes: &[u8]) -> Result<AdviceBook, String> {
        use serde_json::Value;
        let value: Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        let object = value
            .as_object()
            .ok_or_else(|| "not a JSON object".to_owned())?;
        let text = |v: &Value, name: &str| -> Result<String, String> {
            v.get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("{name} is missing"))
        };
        let mut entries = Vec::new();
        for (id, entry) in object {
            let Some(cause) = CauseId::from_id(id) else {
                continue;
            };
            let mut snippets = Vec::new();
            for snippet in entry
                .get("snippets")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice)
            {
                snippets.push(SnippetText {
                    server: text(snippet, "server")?,
                    language: text(snippet, "language")?,
                    code: text(snippet, "code")?,
                });
            }
            let references = entry
                .get("references")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .filter_map(|r| r.as_str().map(str::to_owned))
                .collect();
            entries.push((
                cause,
                AdviceText {
                    check: text(entry, "check")?,
                    end_user: text(entry, "end_user")?,
                    consumer: text(entry, "consumer")?,
                    owner: text(entry, "owner")?,
                    snippets,
                    references,
                },
            ));
        }
        Ok(AdviceBook { entries })
    }
}

/// The advice asset: [`advice`] for every cause, as pretty JSON keyed by cause id.
pub fn advice_json() -> String {
    use serde_json::{Map, Value, json};
    let mut book = Map::new();
    for &cause in CauseId::ALL {
        let a = advice(cause);
        book.insert(
            cause.as_str().to_owned(),
            json!({
                "check": cause.check(),
                "end_user": a.end_user,
                "consumer": a.consumer,
                "owner": a.owner,
                "snippets": a.snippets.iter().map(|s| json!({
                    "server": s.server,
                    "language": s.language,
                    "code": s.code,
                })).collect::<Vec<_>>(),
                "references": a.references,
            }),
        );
    }
    let mut text = serde_json::to_string_pretty(&Value::Object(book)).unwrap_or_default();
    text.push('\n');
    text
}
