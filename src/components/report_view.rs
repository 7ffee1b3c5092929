use why401_core::{Failure, ProbeOutcome, ResponseSeen, TargetUrl};
use yew::prelude::*;

use crate::probe::ProbeResult;
use crate::state::Phase;

#[derive(Properties, PartialEq)]
pub struct ReportViewProps {
    pub phase: Phase,
}

/// The report area: nothing yet, a refusal, progress, or what the probe saw.
/// Every string from the user or the server is rendered as text.
#[component]
pub fn ReportView(props: &ReportViewProps) -> Html {
    let body = match &props.phase {
        Phase::Idle => {
            return html! { <section id="report" data-state="idle" aria-live="polite" /> };
        }
        Phase::Invalid(problem) => html! {
            <p class="problem" role="alert">{ problem.to_string() }</p>
        },
        Phase::Running { target } => html! {
            <p class="progress">{ format!("Sending GET {} …", target.url) }</p>
        },
        Phase::Done { target, result } => {
            html! { <Outcome target={target.clone()} result={result.clone()} /> }
        }
    };
    let state = match &props.phase {
        Phase::Idle => "idle",
        Phase::Invalid(_) => "invalid",
        Phase::Running { .. } => "running",
        Phase::Done { .. } => "done",
    };
    html! {
        <section id="report" data-state={state} aria-live="polite">{ body }</section>
    }
}

#[derive(Properties, PartialEq)]
struct OutcomeProps {
    target: TargetUrl,
    result: ProbeResult,
}

#[component]
fn Outcome(props: &OutcomeProps) -> Html {
    let elapsed = format!("{:.0} ms", props.result.elapsed_ms);
    match &props.result.outcome {
        ProbeOutcome::Response(seen) => response_view(&props.target, seen, &elapsed),
        ProbeOutcome::Failed(failure) => failure_view(&props.target, failure, &elapsed),
    }
}

fn response_view(target: &TargetUrl, seen: &ResponseSeen, elapsed: &str) -> Html {
    let headline = if seen.status_text.is_empty() {
        seen.status.to_string()
    } else {
        format!("{} {}", seen.status, seen.status_text)
    };
    let hidden = seen.hidden_diagnostic_headers();
    html! {
        <article class="outcome" data-outcome="response" data-status={seen.status.to_string()}
                 data-response-type={seen.response_type.as_str()}>
            <h2 class={classes!("verdict", status_class(seen.status))}>{ headline }</h2>
            <p>{ seen.response_type.meaning() }</p>
            <dl class="facts">
                <dt>{ "Request" }</dt><dd><code>{ format!("GET {}", target.url) }</code></dd>
                <dt>{ "Response type" }</dt><dd><code>{ seen.response_type.as_str() }</code></dd>
                <dt>{ "Final URL" }</dt>
                <dd><code>{ if seen.url.is_empty() { "(hidden)" } else { seen.url.as_str() } }</code></dd>
                <dt>{ "Redirected" }</dt><dd>{ if seen.redirected { "yes" } else { "no" } }</dd>
                <dt>{ "Time" }</dt><dd>{ elapsed }</dd>
            </dl>
            <h3>{ "Headers the page could read" }</h3>
            if seen.headers.is_empty() {
                <p>{ "None." }</p>
            } else {
                <table class="headers" id="readable-headers">
                    <thead><tr><th scope="col">{ "Name" }</th><th scope="col">{ "Value" }</th></tr></thead>
                    <tbody>
                    { for seen.headers.iter().map(|(name, value)| html! {
                        <tr data-header={name.clone()}><td><code>{ name }</code></td><td><code>{ value }</code></td></tr>
                    }) }
                    </tbody>
                </table>
            }
            if !hidden.is_empty() {
                <h3>{ "Not readable by the page" }</h3>
                <p>{ "Each of these is either absent or not listed in Access-Control-Expose-Headers; \
                      a page cannot tell which." }</p>
                <ul class="hidden-headers" id="hidden-headers">
                    { for hidden.iter().map(|name| html! { <li data-hidden={*name}><code>{ *name }</code></li> }) }
                </ul>
            }
            if let Some(body) = &seen.body_excerpt {
                <h3>{ "Body" }</h3>
                if body.is_empty() { <p>{ "Empty." }</p> } else { <pre class="body">{ body }</pre> }
            }
        </article>
    }
}

fn failure_view(target: &TargetUrl, failure: &Failure, elapsed: &str) -> Html {
    let words = if failure.message.is_empty() {
        failure.error_name.clone()
    } else {
        format!("{}: {}", failure.error_name, failure.message)
    };
    html! {
        <article class="outcome" data-outcome="failed" data-failure={failure_kind(failure)}>
            <h2 class="verdict failed">{ "No readable response" }</h2>
            <p>{ failure.meaning() }</p>
            <dl class="facts">
                <dt>{ "Request" }</dt><dd><code>{ format!("GET {}", target.url) }</code></dd>
                <dt>{ "The browser said" }</dt><dd><code class="error-words">{ words }</code></dd>
                <dt>{ "Time" }</dt><dd>{ elapsed }</dd>
            </dl>
            <p>{ "The browser knows the exact reason and writes it in the DevTools console of this \
                  page (press F12): a line that starts with “Access to fetch … has been blocked by \
                  CORS policy” names the rule the server broke." }</p>
        </article>
    }
}

fn failure_kind(failure: &Failure) -> &'static str {
    match failure.kind {
        why401_core::FailureKind::Rejected => "rejected",
        why401_core::FailureKind::Network => "network",
        why401_core::FailureKind::Timeout => "timeout",
        why401_core::FailureKind::Aborted => "aborted",
    }
}

fn status_class(status: u16) -> &'static str {
    match status {
        200..=299 => "ok",
        0 => "opaque",
        _ => "failed",
    }
}
