//! Decoded panels: the challenge the server sent, the credentials and the token the request
//! carried, each read as the browser and the server read them. Everything is text.

use std::time::Duration;
use why401_core::report::{
    Challenges, CookieVerdict, Credentials, DecodedToken, Jwt, Report, SameSite, TokenFinding,
    TokenReading, credentials_shape, human_duration,
};

use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

use super::{Shared, shown};

#[derive(Properties, PartialEq)]
pub struct DecodedProps {
    pub report: Shared<Report>,
}

/// The panels that apply to this evidence, from the diagnosis's reading of it; nothing when
/// there is nothing to decode.
#[component]
pub fn Decoded(props: &DecodedProps) -> Html {
    let now = props.report.evidence.captured_at;
    let diagnosis = &props.report.diagnosis;
    // The pasted answer has every header; the page's own has the exposed ones.
    let reading = &diagnosis.reading;
    if reading.credentials.is_none() && reading.challenges.is_none() && diagnosis.cookies.is_empty()
    {
        return Html::default();
    }
    html! {
        <section class="decoded" id="decoded" aria-labelledby="decoded-heading">
            <h3 id="decoded-heading">{ "Decoded" }</h3>
            if let Some(challenges) = &reading.challenges {
                { challenge_panel(challenges) }
            }
            if let Some(credentials) = &reading.credentials {
                { credentials_panel(credentials) }
            }
            if let Some(token) = &reading.token {
                { token_panel(token, now) }
            }
            if !diagnosis.cookies.is_empty() {
                <CookiesPanel report={props.report.clone()} {now} />
            }
        </section>
    }
}

fn challenge_panel(parsed: &Challenges) -> Html {
    html! {
        <div class="panel" id="decoded-challenge">
            <h4>{ "The challenge (WWW-Authenticate)" }</h4>
            <ul>
                { for parsed.challenges.iter().map(|c| {
                    let params: Vec<String> =
                        c.params.iter().map(|p| format!("{} = {}", p.name, p.value)).collect();
                    let text = if params.is_empty() {
                        c.scheme.clone()
                    } else {
                        format!("{}: {}", c.scheme, params.join("; "))
                    };
                    html! { <li data-scheme={c.scheme.clone()}><code>{ shown(&text) }</code></li> }
                }) }
            </ul>
            { problems(parsed.problems.iter().map(|p| p.annotate(&parsed.value))) }
        </div>
    }
}

fn credentials_panel(credentials: &Credentials) -> Html {
    let scheme = credentials.scheme.as_deref().unwrap_or("(none)");
    let what = credentials_shape(credentials);
    html! {
        <div class="panel" id="decoded-credentials">
            <h4>{ "The credentials (Authorization)" }</h4>
            <p>{ "Scheme " }<code>{ shown(scheme) }</code>{ ": " }{ shown(&what) }</p>
            { problems(credentials.problems.iter().map(|p| p.annotate(&credentials.value))) }
        </div>
    }
}

fn token_panel(token: &TokenReading, now: i64) -> Html {
    let body = match &token.decoded {
        DecodedToken::Jws(jwt) => claims_table(jwt, &token.findings, now),
        DecodedToken::Jwe { .. } => html! {
            <p>{ "An encrypted JWT (JWE): only the API can read its claims." }</p>
        },
        DecodedToken::Opaque => html! {
            <p>{ "An opaque token: a reference only its issuer can look up (not a JWT)." }</p>
        },
    };
    html! {
        <div class="panel" id="decoded-token">
            <h4>{ "The token" }</h4>
            { body }
            { problems(token.problems.iter().map(ToString::to_string)) }
        </div>
    }
}

/// The claims, times relative to when the probes ran, and what they say then.
fn claims_table(jwt: &Jwt, findings: &[TokenFinding], now: i64) -> Html {
    html! {
        <>
            <p>
                { "A signed JWT (" }<code>{ jwt.alg().unwrap_or_else(|| "no alg".to_owned()) }</code>
                { "), decoded here without its key: the signature is not checked." }
            </p>
            <ul class="claims" id="claims">
                { for jwt.claims_as_text(now).into_iter().map(|(name, value)| html! {
                    <li data-claim={name.clone()}><code>{ shown(&format!("{name}: {value}")) }</code></li>
                }) }
            </ul>
            if !findings.is_empty() {
                <ul class="token-findings">
                    { for findings.iter().map(|f| html! { <li>{ shown(&f.to_string()) }</li> }) }
                </ul>
            }
        </>
    }
}

/// How many cookies are drawn at once: a pasted answer may hold thousands, and each is a dozen
/// nodes. The rest come on request, a chunk per task, so the page keeps answering.
const COOKIES_AT_ONCE: usize = 50;
/// How many cookies one task draws while "Show all" fills the list.
const COOKIES_PER_TASK: usize = 500;

#[derive(Properties, PartialEq)]
struct CookiesPanelProps {
    report: Shared<Report>,
    now: i64,
}

/// The pasted cookies: attributes, lifetime relative to when the probes ran, what the browser
/// makes of them, and whether each rides on the request from the calling page. Values are never
/// shown, only their length. The first [`COOKIES_AT_ONCE`], then all on request.
#[component]
fn CookiesPanel(props: &CookiesPanelProps) -> Html {
    let drawn = use_state(|| COOKIES_AT_ONCE);
    let total = props.report.diagnosis.cookies.len();
    let on_show_all = {
        let drawn = drawn.clone();
        Callback::from(move |_: MouseEvent| {
            let drawn = drawn.clone();
            spawn_local(async move {
                let mut count = *drawn;
                while count < total {
                    count = count.saturating_add(COOKIES_PER_TASK).min(total);
                    drawn.set(count);
                    // Yields to the browser between chunks: clicks and paints go on.
                    sleep(Duration::from_millis(16)).await;
                }
            });
        })
    };
    let chunks = (0..(*drawn).min(total)).step_by(COOKIES_PER_TASK);
    html! {
        <div class="panel" id="decoded-cookies" data-cookies={total.to_string()}>
            <h4>{ "The cookies (Set-Cookie)" }</h4>
            <ul>
                { for chunks.map(|start| html! {
                    <CookieChunk key={start} report={props.report.clone()} now={props.now}
                        {start} end={(start + COOKIES_PER_TASK).min(*drawn).min(total)} />
                }) }
            </ul>
            if props.report.diagnosis.fields_unread > 0 {
                <p class="hint" id="fields-unread">
                    { format!(
                        "{} more header lines of the pasted answer were not read: a real answer has a few dozen, and a browser keeps about 180 cookies per site.",
                        props.report.diagnosis.fields_unread
                    ) }
                </p>
            }
            if *drawn < total {
                <p class="more">
                    { format!("{} of {total} cookies shown. ", (*drawn).min(total)) }
                    <button id="show-more-cookies" type="button" class="secondary" onclick={on_show_all}>
                        { format!("Show all {total}") }
                    </button>
                </p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct CookieChunkProps {
    report: Shared<Report>,
    now: i64,
    start: usize,
    end: usize,
}

/// Cookies `start..end`: a chunk drawn once, untouched while later chunks are added.
#[component]
fn CookieChunk(props: &CookieChunkProps) -> Html {
    let diagnosis = &props.report.diagnosis;
    let verdicts = diagnosis
        .cookies
        .get(props.start..props.end)
        .unwrap_or_default();
    html! {
        { for verdicts.iter().map(|v| cookie_item(v, &diagnosis.calling_page, props.now)) }
    }
}

fn cookie_item(v: &CookieVerdict, page: &str, now: i64) -> Html {
    let c = &v.cookie;
    let mut attributes = vec![format!("{} characters", c.value.chars().count())];
    attributes.push(match c.expires_at {
        None => "session cookie".to_owned(),
        Some(at) if at <= now => format!("expired {} ago", human_duration(now - at)),
        Some(at) => format!("expires in {}", human_duration(at - now)),
    });
    if let Some(domain) = &c.domain {
        attributes.push(format!("Domain={domain}"));
    }
    if let Some(path) = &c.path {
        attributes.push(format!("Path={path}"));
    }
    attributes.push(match c.same_site {
        SameSite::Strict => "SameSite=Strict".to_owned(),
        SameSite::Lax => "SameSite=Lax".to_owned(),
        SameSite::None => "SameSite=None".to_owned(),
        SameSite::Unspecified => "no SameSite".to_owned(),
    });
    for (on, name) in [
        (c.secure, "Secure"),
        (c.http_only, "HttpOnly"),
        (c.partitioned, "Partitioned"),
    ] {
        if on {
            attributes.push(name.to_owned());
        }
    }
    let sent = if v.not_sent.is_empty() {
        if v.third_party {
            format!("Sent from {page}, as a third-party cookie: not by browsers that block those.")
        } else {
            format!("Sent from {page}.")
        }
    } else {
        format!("Not sent from {page}.")
    };
    html! {
        <li data-cookie={c.name.clone()} data-sent={v.not_sent.is_empty().to_string()}>
            <code>{ shown(&c.name) }</code>{ ": " }{ shown(&attributes.join(", ")) }
            <p>{ shown(&sent) }</p>
            { problems(c.notes.iter().map(ToString::to_string).chain(v.not_sent.iter().map(ToString::to_string))) }
        </li>
    }
}

fn problems(lines: impl Iterator<Item = String>) -> Html {
    let lines: Vec<String> = lines.collect();
    if lines.is_empty() {
        return Html::default();
    }
    html! {
        <ul class="problems">
            { for lines.into_iter().map(|line| html! { <li><pre>{ shown(&line) }</pre></li> }) }
        </ul>
    }
}
