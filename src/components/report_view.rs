use std::time::Duration;

use why401_core::CauseId;
use why401_core::TargetUrl;
use why401_core::form::Sending;
use why401_core::report::{
    Caller, Confidence, ConsoleLine, ConsoleVerdict, Evidence, Explanation, Failure, FailureKind,
    Finding, Hypothesis, PageAccess, PasteVerdict, ProbeOutcome, Report, ResponseSeen,
    SeparatingStep, StepState, human_duration,
};
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

use crate::components::{Decoded, ShareView, Shared, hidden_note, shown};
use crate::probe::now_seconds;
use crate::state::{Advice, Field, Inspection, Phase, Slot};

#[derive(Properties, PartialEq)]
pub struct ReportViewProps {
    pub phase: Phase,
    /// The fixes, once loaded.
    pub advice: Advice,
    pub on_confirm: Callback<()>,
    pub on_cancel: Callback<()>,
    pub on_stop: Callback<()>,
    /// Sends the form's request live (a shared result's, unless the user changed it).
    pub on_rerun: Callback<()>,
    /// What Re-run sends, as the form now says; `None` when the form would be refused.
    pub rerun: Option<Sending>,
    /// The page sits in a frame of another origin: nothing may be sent from it.
    pub framed: bool,
    /// The console line and the server's answer as pasted, and where edits of them go.
    pub console: String,
    pub pasted: String,
    pub on_paste: Callback<Field>,
    /// Where the user's own request runs, as the form says.
    pub caller: Option<Caller>,
}

/// The report area: nothing yet, the refusals, a confirmation, or the probes and what the
/// user's own request saw. Every string from the user or the server is rendered as text.
#[component]
pub fn ReportView(props: &ReportViewProps) -> Html {
    let inspection = match &props.phase {
        Phase::Inspecting(inspection) => Some(&**inspection),
        _ => None,
    };
    let (read, reading) = use_read(
        inspection,
        &props.console,
        &props.pasted,
        props.caller.as_ref(),
    );
    let (state, body) = match &props.phase {
        Phase::Idle => ("idle", Html::default()),
        Phase::Invalid(problems) => (
            "invalid",
            html! {
                <div class="problem" role="alert">
                    { for problems.iter().map(|p| html! {
                        <p data-cause={p.cause.map(CauseId::as_str)}>{ shown(&p.message) }</p>
                    }) }
                </div>
            },
        ),
        Phase::LinkRefused(unopened) => (
            "link-refused",
            html! {
                <div class="problem" role="alert" id="link-problem" data-link-error={unopened.kind}>
                    <p>{ shown(&unopened.message) }</p>
                    <p>{ "Nothing was sent. To inspect the request yourself, paste its URL above." }</p>
                </div>
            },
        ),
        Phase::Confirm { sending } => (
            "confirm",
            html! {
                <div class="confirm" role="alert">
                    <p>{ format!(
                        "{} can change data on the server. why401 sends it once, exactly as \
                         you wrote it; every other probe uses GET.", sending.method
                    ) }</p>
                    { sending_words("confirm-sending", sending) }
                    <button id="confirm-send" type="button" disabled={props.framed} onclick={props.on_confirm.reform(|_| ())}>
                        { format!("Send {} to {} once", sending.method, sending.host) }
                    </button>
                    <button id="confirm-cancel" type="button" class="secondary" onclick={props.on_cancel.reform(|_| ())}>
                        { "Cancel" }
                    </button>
                </div>
            },
        ),
        Phase::Inspecting(inspection) => (
            if !inspection.is_complete() {
                "running"
            } else if reading {
                "reading"
            } else {
                "done"
            },
            html! {
                <InspectionView inspection={(**inspection).clone()} {read} advice={props.advice.clone()} on_stop={props.on_stop.clone()}
                    on_rerun={props.on_rerun.clone()} rerun={props.rerun.clone()} framed={props.framed} console={props.console.clone()} pasted={props.pasted.clone()} on_paste={props.on_paste.clone()} />
            },
        ),
    };
    html! {
        <section id="report" data-state={state} aria-live="polite">{ body }</section>
    }
}

/// The report of a finished inspection.
type Read = Shared<Report>;

/// What the console line and the pasted answer together may weigh before they are read in a
/// task of their own: a megabyte of pasted answer takes longer to diagnose than a frame.
const READ_IN_PLACE_BYTES: usize = 64 * 1024;

/// What an inspection rests on: which run, whether it is complete or stopped, what was pasted.
type ReadKey = (u32, bool, bool, Option<Caller>, String, String);

/// The evidence and diagnosis of `inspection` with what was pasted, read once per change of
/// what they rest on (not on every render), and whether a reading is still under way. Small
/// inputs are read at once; large ones in a task of their own after the report is drawn.
/// `None` while the probes are out, or once stopped.
#[hook]
fn use_read(
    inspection: Option<&Inspection>,
    console: &str,
    pasted: &str,
    caller: Option<&Caller>,
) -> (Option<Read>, bool) {
    let key: Option<ReadKey> = inspection.map(|i| {
        (
            i.run,
            i.is_complete(),
            i.stopped,
            caller.cloned(),
            console.to_owned(),
            pasted.to_owned(),
        )
    });
    let large = console.len() + pasted.len() > READ_IN_PLACE_BYTES;
    let read = move |inspection: &Inspection,
                     caller: &Option<Caller>,
                     console: &str,
                     pasted: &str|
          -> Option<Read> {
        let evidence = inspection
            .evidence(console, pasted)
            .filter(|_| !inspection.stopped)?;
        Some(Shared::new(Report::of(Evidence {
            caller: caller.clone(),
            ..evidence
        })))
    };
    let in_place = {
        let inspection = inspection.cloned();
        use_memo(key.clone(), move |key| {
            let (Some(inspection), Some((.., caller, console, pasted))) = (inspection, key) else {
                return None;
            };
            (!large).then(|| read(&inspection, caller, console, pasted))
        })
    };
    let later = use_state(|| None::<(ReadKey, Option<Read>)>);
    {
        let later = later.setter();
        let inspection = inspection.cloned();
        use_effect_with(key.clone(), move |key| {
            if let (true, Some(inspection), Some(key)) = (large, inspection, key.clone()) {
                spawn_local(async move {
                    // The report is drawn first; the reading follows in a task of its own.
                    sleep(Duration::ZERO).await;
                    let (.., caller, console, pasted) = &key;
                    let done = read(&inspection, caller, console, pasted);
                    // Drawn in a task of its own too.
                    sleep(Duration::ZERO).await;
                    later.set(Some((key, done)));
                });
            }
        });
    }
    if large {
        // While a new reading is under way, the last one stays on screen (a text box being
        // typed into keeps its place), marked as being read again.
        match (&*later, &key) {
            (Some((read_key, done)), Some(key)) if read_key.0 == key.0 => {
                (done.clone(), read_key != key)
            }
            _ => (None, true),
        }
    } else {
        ((*in_place).clone().flatten(), false)
    }
}

#[derive(Properties, PartialEq)]
struct InspectionViewProps {
    inspection: Inspection,
    /// The evidence and its diagnosis, once every probe is back and they are read.
    read: Option<Read>,
    advice: Advice,
    on_stop: Callback<()>,
    on_rerun: Callback<()>,
    rerun: Option<Sending>,
    framed: bool,
    console: String,
    pasted: String,
    on_paste: Callback<Field>,
}

#[component]
fn InspectionView(props: &InspectionViewProps) -> Html {
    let inspection = &props.inspection;
    let method = inspection.evidence.request.normalized_method();
    let own = inspection.as_given();
    let progress = if own.is_some() {
        "Waiting for the other probes …".to_owned()
    } else {
        format!("Sending {method} {} …", inspection.target.url)
    };
    let own_blocked = own.is_some_and(
        |r| matches!(&r.outcome, ProbeOutcome::Failed(f) if f.kind == FailureKind::Network),
    );
    let report = props.read.clone();
    // Whether a shared result's secrets were masked: looked for in a task of its own, after
    // the report is drawn (it walks every pasted line).
    let masked = use_state(|| false);
    {
        let masked = masked.setter();
        let shared = inspection.shared;
        use_effect_with(report.clone(), move |report| {
            masked.set(false);
            if let (true, Some(report)) = (shared, report.clone()) {
                spawn_local(async move {
                    sleep(Duration::ZERO).await;
                    masked.set(report.has_secrets());
                });
            }
        });
    }
    let masked = *masked;
    let text = |e: InputEvent| {
        e.target_unchecked_into::<web_sys::HtmlTextAreaElement>()
            .value()
    };
    let on_console = props
        .on_paste
        .reform(move |e: InputEvent| Field::Console(text(e)));
    let on_pasted = props
        .on_paste
        .reform(move |e: InputEvent| Field::Pasted(text(e)));
    html! {
        <>
            if inspection.shared {
                { shared_banner(inspection, masked, props.rerun.as_ref(), props.framed, &props.on_rerun) }
            }
            if let Some(report) = &report {
                <Answer report={report.clone()} advice={props.advice.clone()} />
            } else {
                <h2 class="progress">{ progress }</h2>
            }
            if !inspection.probes_back() && !inspection.stopped {
                <button id="stop" type="button" class="secondary" onclick={props.on_stop.reform(|_| ())}>
                    { "Stop" }
                </button>
            }
            if inspection.stopped {
                <p class="stopped" id="stopped">
                    { "Stopped: the probes that had not answered yet were cancelled, and say nothing about the server." }
                </p>
            }
            if let Some(report) = &report {
                <Findings report={report.clone()} advice={props.advice.clone()} />
            }
            if let Some(result) = own {
                <Outcome target={inspection.target.clone()} {method} outcome={result.outcome.clone()} elapsed_ms={result.elapsed_ms} />
            } else if let Some(seen) = report.as_ref().and_then(|r| r.diagnosis.pasted_answer().cloned()) {
                { response_view(&format!("{method} {}", inspection.target.url), &seen, "not sent", true) }
            }
            if let Some(report) = &report {
                <Decoded report={report.clone()} />
                <ShareView key={inspection.run} report={report.clone()} advice={props.advice.clone()} />
            }
            if own_blocked {
                <div class="console-box">
                    <label for="console">{ "The browser console's line about this request" }</label>
                    <p class="hint" id="console-hint">
                        { "Press F12 on this page (or on your own app), copy the red line that starts with \
                           “Access to fetch at …” and paste it here: it names the reason the page cannot see." }
                    </p>
                    <textarea id="console" rows="3" spellcheck="false" aria-describedby="console-hint"
                        value={props.console.clone()} oninput={on_console} />
                    { hidden_note("console", &props.console) }
                </div>
            }
            if let Some(report) = &report {
                <div class="console-box paste-box" id="paste-box">
                    <label for="pasted">{ "The server's answer, as curl shows it" }</label>
                    <p class="hint" id="pasted-hint">
                        { "A page never sees Set-Cookie, nor the headers the server does not expose. \
                           Run this in a terminal (put in your credentials), then paste everything it prints — \
                           or the response headers from DevTools' Network tab:" }
                    </p>
                    <pre class="command" id="curl-command" tabindex="0" data-preflight={report.curl.preflight.to_string()}>
                        { shown(&report.curl.command) }
                    </pre>
                    <textarea id="pasted" rows="5" spellcheck="false" aria-describedby="pasted-hint"
                        value={props.pasted.clone()} oninput={on_pasted} />
                    { hidden_note("pasted", &props.pasted) }
                    if let Some(verdict) = &report.diagnosis.inference.pasted {
                        { paste_verdict(verdict, report) }
                    }
                </div>
            }
            <h3>{ "Probes" }</h3>
            if inspection.evidence.nothing_sent() && inspection.waiting.is_empty() {
                <p id="probes" class="hint">{ "None: nothing was sent. Inspect sends them." }</p>
            } else {
                <ol class="probes" id="probes">
                    { for inspection.slots().into_iter().map(probe_row) }
                </ol>
            }
            if let Some(report) = &report {
                <details class="raw" id="raw">
                    <summary>{ "Everything observed, raw" }</summary>
                    { for report.raw.iter().map(|part| html! {
                        <pre data-probe={part.what.clone()}>{ shown(&part.text) }</pre>
                    }) }
                </details>
            }
        </>
    }
}

/// What a result opened from a link is: when and from which page it was captured, that nothing
/// was sent, and the button that sends the request live.
fn shared_banner(
    inspection: &Inspection,
    masked: bool,
    rerun: Option<&Sending>,
    framed: bool,
    on_rerun: &Callback<()>,
) -> Html {
    let age = now_seconds().saturating_sub(inspection.evidence.captured_at);
    let when = if (0..60).contains(&age) {
        "less than a minute ago".to_owned()
    } else if age >= 0 {
        format!("{} ago", human_duration(age))
    } else {
        format!("{} ahead of this computer's clock", human_duration(age))
    };
    html! {
        <div class="shared-banner" id="shared-banner" role="note"
             data-captured-at={inspection.evidence.captured_at.to_string()}>
            <p>
                { format!("A shared result, captured {when} from a page at ") }
                <code>{ shown(&inspection.evidence.context.origin) }</code>
                { ". Nothing has been sent from this page: the report is re-read from what was shared." }
            </p>
            if masked {
                <p class="hint">{ "Its secrets were masked before it was shared: a re-run sends them \
                      masked unless you put real ones in the form above." }</p>
            }
            if let Some(sending) = rerun {
                { sending_words("rerun-sending", sending) }
            }
            <button id="rerun" type="button" disabled={framed} onclick={on_rerun.reform(|_| ())}>{ "Re-run live from this browser" }</button>
        </div>
    }
}

/// The most names-that-are-not-what-they-look-like listed.
const LOOKALIKES_AT_MOST: usize = 20;

/// What a click sends, in plain words, with the facts as data for tests.
fn sending_words(id: &'static str, sending: &Sending) -> Html {
    html! {
        <p class="sending" {id} data-method={sending.method.clone()} data-host={sending.host.clone()}
           data-credentials={sending.credentials.as_str()} data-cookies={sending.cookies.as_str()}>
            { sending.to_string() }
        </p>
    }
}

#[derive(Properties, PartialEq)]
struct FindingsProps {
    report: Shared<Report>,
    advice: Advice,
}

#[derive(Properties, PartialEq)]
struct AnswerProps {
    report: Read,
    advice: Advice,
}

/// The answer first: the verdict, the one line of evidence it rests on, and the first thing to
/// change; when nothing settles it, the one step that would. For an exchange pasted alone, that
/// nothing was sent, and what only the probes can tell.
#[component]
fn Answer(props: &AnswerProps) -> Html {
    let report = &props.report;
    let verdict = &report.verdict;
    let top = report.diagnosis.top();
    let reason = top.and_then(|f| f.because.first()).cloned();
    let first = verdict.cause.map(|cause| match &props.advice {
        Advice::Ready(book) => book
            .get(cause)
            .map_or_else(|| cause.summary().to_owned(), |a| a.consumer.clone()),
        _ => cause.summary().to_owned(),
    });
    let step = report.diagnosis.inference.next_step;
    let nothing_sent = report.evidence.nothing_sent();
    let outside = report.evidence.caller == Some(Caller::Outside);
    let access = match report.page_access {
        PageAccess::Readable => Some(
            "From a web page: the browser let this page read the answer, so CORS is not in the way.".to_owned(),
        ),
        PageAccess::Blocked { because } => Some(format!(
            "From a web page: the browser keeps the answer from this page{}.{}",
            because.map(|b| format!(" ({b})")).unwrap_or_default(),
            if outside {
                " Your client is not a web page, so this is not what fails for you."
            } else {
                ""
            }
        )),
        PageAccess::Unknown => None,
    };
    html! {
        <section class="answer" id="answer" aria-labelledby="verdict" data-confidence={verdict.confidence.as_str()}>
            <h2 id="verdict" class="verdict-line" data-cause={verdict.cause.map(CauseId::as_str)}>
                <span class="verdict-label">{ "Verdict: " }</span>{ verdict.title }
            </h2>
            if let Some(reason) = reason {
                <p class="verdict-reason" id="verdict-reason">{ shown(&reason) }</p>
            }
            if let Some(first) = first {
                <p class="first-fix" id="first-fix"><strong>{ "First: " }</strong>{ shown(&first) }</p>
            }
            if verdict.confidence == Confidence::Low && let Some(step) = step {
                <p class="deciding-step" id="deciding-step"><strong>{ "Not settled — one step decides: " }</strong>{ step.instruction() }</p>
            }
            if let Some(access) = access {
                <p class="page-access" id="page-access" data-access={report.page_access.as_str()}>{ access }</p>
            }
            if nothing_sent {
                <p class="nothing-sent" id="nothing-sent">
                    { "Nothing was sent: this is read from the exchange you pasted. Whether a web page can \
                       send this request and read the answer only the probes tell — Inspect sends them." }
                </p>
            }
        </section>
    }
}

/// The diagnosis: a verdict line, every finding ranked (the first marked `data-rank="1"`), each
/// with what it rests on and, for what the browser blocked, the error Chromium reports; then what
/// works here but not everywhere, the console line's effect, the step that separates the
/// explanations, and the causes a browser cannot see.
#[component]
fn Findings(props: &FindingsProps) -> Html {
    let report = &props.report;
    let diagnosis = &report.diagnosis;
    let inference = &diagnosis.inference;
    let verdict = &report.verdict;
    html! {
        <section class="findings" id="findings" data-confidence={verdict.confidence.as_str()} aria-labelledby="findings-heading">
            <h3 id="findings-heading">{ "Step by step, and every explanation" }</h3>
            <ol class="timeline" id="timeline" aria-label="The exchange, step by step">
                { for report.timeline.iter().map(|step| html! {
                    <li data-step={step.name} data-state={step.state.as_str()}>
                        <span class="step-name">{ step.name }</span>
                        <span class="step-state">{ step_mark(step.state) }</span>
                        <span class="step-detail">{ shown(&step.detail) }</span>
                    </li>
                }) }
            </ol>
            <ol>
                { for report.findings().enumerate().map(|(rank, (f, steps))| finding_item(steps, &props.advice, f, rank == 0)) }
            </ol>
            if !diagnosis.lookalikes.is_empty() {
                <div class="lookalikes" id="lookalikes" role="note">
                    <h4>{ "Names that are not what they look like" }</h4>
                    <ul>
                        { for diagnosis.lookalikes.iter().take(LOOKALIKES_AT_MOST).map(|l| html! {
                            <li data-lookalike={l.what}>{ l.to_string() }</li>
                        }) }
                    </ul>
                    if diagnosis.lookalikes.len() > LOOKALIKES_AT_MOST {
                        <p class="hint">{ format!("And {} more such names.", diagnosis.lookalikes.len() - LOOKALIKES_AT_MOST) }</p>
                    }
                </div>
            }
            if !inference.latent.is_empty() {
                <div class="latent" id="latent">
                    <h4>{ "Works in this browser, but maybe not in others" }</h4>
                    <p>{ "The probes cannot rule these out. Each lets this request through in Chromium, \
                          yet breaks it by the Fetch standard, which Firefox follows:" }</p>
                    <ul>
                        { for inference.latent.iter().map(latent_item) }
                    </ul>
                    <p><strong>{ "To check: " }</strong>{ SeparatingStep::PastePreflightCurl.instruction() }</p>
                </div>
            }
            if let Some(console) = &inference.console {
                { console_verdict(console, &report.evidence.context.origin) }
            }
            if let Some(step) = inference.next_step {
                <p class="next-step" id="next-step" data-step={step.as_str()}>
                    <strong>{ "To tell them apart: " }</strong>{ step.instruction() }
                </p>
            }
            if !diagnosis.other_possibilities.is_empty() {
                <details class="others" id="other-possibilities">
                    <summary>{ "Other possibilities a browser cannot see" }</summary>
                    <ul>
                        { for diagnosis.other_possibilities.iter().map(|cause| html! {
                            <li data-cause={cause.as_str()}>
                                <strong>{ cause.title() }</strong>
                                if let Advice::Ready(book) = &props.advice
                                    && let Some(advice) = book.get(*cause)
                                {
                                    { " — " }{ advice.check.clone() }
                                }
                            </li>
                        }) }
                    </ul>
                </details>
            }
        </section>
    }
}

/// A state in a symbol and a word, so that colour is never the only signal.
fn step_mark(state: StepState) -> &'static str {
    match state {
        StepState::Ok => "✓ ok",
        StepState::Failed => "✗ failed",
        StepState::Skipped => "– not reached",
        StepState::Unknown => "? unknown",
    }
}

/// One finding: the cause in plain words and what it rests on; for what the browser blocked, the
/// error Chromium reports (its parameter would be the model's made-up value: the error alone).
fn finding_item(steps: &[String], advice: &Advice, finding: &Finding, top: bool) -> Html {
    html! {
        <li data-cause={finding.cause.as_str()}
            data-rank={top.then_some("1")}
            data-confidence={finding.confidence.as_str()}
            data-hypothesis={finding.hypothesis.map(Hypothesis::as_str)}
            data-implied={finding.implied.as_ref().map(|f| f.error.as_str())}>
            <p class="finding-title">{ finding.cause.title() }</p>
            <ul class="because">
                { for finding.because.iter().map(|reason| html! { <li>{ shown(reason) }</li> }) }
            </ul>
            if let Some(failure) = &finding.implied {
                <p class="implied">{ "Chromium would report " }<code>{ failure.error.as_str() }</code></p>
            }
            <details class="explain" open={top}>
                <summary>{ "Step by step, and what to change" }</summary>
                <ol class="steps">
                    { for steps.iter().map(|step| html! { <li>{ shown(step) }</li> }) }
                </ol>
                <h4>{ "What to change" }</h4>
                { fixes(advice, finding.cause) }
            </details>
        </li>
    }
}

/// What to change for `cause`, from the advice asset.
fn fixes(advice: &Advice, cause: CauseId) -> Html {
    let text = match advice {
        Advice::Ready(book) => book.get(cause),
        Advice::Loading => return html! { <p class="hint">{ "Loading the fixes…" }</p> },
        Advice::Failed => None,
    };
    let Some(advice) = text else {
        return html! {
            <p class="hint">{ "The fixes could not be loaded (advice.json); reload the page to try again." }</p>
        };
    };
    html! {
        <>
            <dl class="fixes">
                { for advice.by_audience().into_iter().map(|(who, what)| html! {
                    <><dt>{ who }</dt><dd>{ what.to_owned() }</dd></>
                }) }
            </dl>
            { for advice.snippets.iter().map(|snippet| html! {
                <details class="snippet" data-server={snippet.server.clone()}>
                    <summary>{ snippet.server.clone() }</summary>
                    <pre><code data-language={snippet.language.clone()}>{ snippet.code.clone() }</code></pre>
                </details>
            }) }
            if !advice.references.is_empty() {
                <p class="refs">{ "Standards: " }{ advice.references.join("; ") }</p>
            }
        </>
    }
}

/// A behaviour that works in Chromium only, with the standard's failure.
fn latent_item(e: &Explanation) -> Html {
    html! {
        <li data-hypothesis={e.hypothesis.as_str()}
            data-cause={e.hypothesis.cause().map(CauseId::as_str)}
            data-implied={e.implied.as_ref().map(|f| f.error.as_str())}>
            <p>{ e.hypothesis.summary() }</p>
            if let Some(failure) = &e.implied {
                <p class="implied">{ "By the standard: " }<code>{ failure.error.as_str() }</code></p>
            }
        </li>
    }
}

/// What the pasted server answer did to the findings.
fn paste_verdict(verdict: &PasteVerdict, report: &Report) -> Html {
    let diagnosis = &report.diagnosis;
    let status = |status: &Option<u16>| {
        status.map_or_else(|| "no status line".to_owned(), |s| s.to_string())
    };
    let (kind, text) = match verdict {
        PasteVerdict::Unreadable(problem) => ("unreadable", problem.to_string()),
        PasteVerdict::Preflight { status: s, settled } => (
            "preflight",
            format!(
                "Read as the answer to the preflight (OPTIONS): {}. {}",
                status(s),
                if *settled {
                    "The explanations it contradicts are gone from the findings."
                } else {
                    "It does not tell the explanations above apart."
                }
            ),
        ),
        PasteVerdict::Answer { status: s } if diagnosis.pasted_answer().is_some() => (
            "answer",
            format!(
                "Read as the server's answer to your request: {}, with every header the page could not see.",
                status(s)
            ),
        ),
        PasteVerdict::Answer { status: s } => (
            "other",
            format!(
                "Read for its cookies only: its status ({}) is not the one this page got, so it answers another request.",
                status(s)
            ),
        ),
    };
    let cookies = !diagnosis.cookies.is_empty();
    html! {
        <p class="console-verdict" id="pasted-verdict" data-pasted={kind}
           role={(kind == "unreadable").then_some("alert")}>
            { shown(&text) }
            if cookies {
                { format!(" {} Set-Cookie read: see “Decoded”.", diagnosis.cookies.len()) }
            }
        </p>
    }
}

/// What the pasted console line did to the findings.
fn console_verdict(verdict: &ConsoleVerdict, page_origin: &str) -> Html {
    let named = |line: &ConsoleLine| {
        html! {
            <>
                <code>{ line.error.as_str() }</code>
                if let Some(parameter) = line.parameter.as_deref().filter(|p| !p.is_empty()) {
                    { " (" }<code>{ shown(parameter) }</code>{ ")" }
                }
            </>
        }
    };
    match verdict {
        ConsoleVerdict::Settled(line) => html! {
            <p class="console-verdict" id="console-verdict" data-console="settled"
               data-console-error={line.error.as_str()}>
                { "The console line names " }{ named(line) }{ ": the explanations above are the ones that fit it." }
            </p>
        },
        ConsoleVerdict::Unexplained(line) => {
            let elsewhere = line.origin.as_deref().filter(|o| *o != page_origin);
            html! {
                <p class="console-verdict" id="console-verdict" data-console="unexplained"
                   data-console-error={line.error.as_str()}>
                    { "The console line names " }{ named(line) }
                    { ", which none of the explanations that fit the probes predicts for this page's request." }
                    if let Some(origin) = elsewhere {
                        { " It comes from a request of " }<code>{ shown(origin) }</code>
                        { ": the server may answer that origin differently (an allow-list of origins), \
                           so inspect from that page's point of view with curl -i and its Origin header." }
                    } else {
                        { " Was it copied from a request to this URL?" }
                    }
                </p>
            }
        }
        ConsoleVerdict::Unreadable(problem) => html! {
            <p class="console-verdict" id="console-verdict" data-console="unreadable" role="alert">
                { shown(&problem.to_string()) }
            </p>
        },
    }
}

fn probe_row(slot: Slot) -> Html {
    let (kinds, request, back) = match slot {
        Slot::Waiting(planned) => (&planned.kinds, &planned.request, None),
        Slot::Back(record) => (&record.kinds, &record.sent, Some(record)),
    };
    let purpose = kinds.first().map_or("", |k| k.purpose());
    let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    let sent = format!(
        "{} · {} · credentials {} · redirect {}",
        request.method,
        request.mode.as_str(),
        request.credentials.as_str(),
        request.redirect.as_str(),
    );
    let (state, result) = match back {
        None => ("running", "…".to_owned()),
        Some(result) => (
            match result.outcome {
                ProbeOutcome::Response(_) => "response",
                ProbeOutcome::Failed(_) => "failed",
            },
            format!(
                "{} · {}",
                result.outcome.summary(),
                milliseconds(result.elapsed_ms)
            ),
        ),
    };
    html! {
        <li data-probe={kinds.join(" ")} data-state={state}>
            <span class="probe-name">{ kinds.join(" + ") }</span>
            <span class="probe-purpose">{ purpose }</span>
            <code class="probe-sent">{ shown(&sent) }</code>
            <span class="probe-result">{ shown(&result) }</span>
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct OutcomeProps {
    target: TargetUrl,
    method: String,
    outcome: ProbeOutcome,
    elapsed_ms: f64,
}

#[component]
fn Outcome(props: &OutcomeProps) -> Html {
    let elapsed = milliseconds(props.elapsed_ms);
    let request = format!("{} {}", props.method, props.target.url);
    match &props.outcome {
        ProbeOutcome::Response(seen) => response_view(&request, seen, &elapsed, false),
        ProbeOutcome::Failed(failure) => failure_view(&request, failure, &elapsed),
    }
}

/// The answer the page read — or, `pasted`, the answer of an exchange pasted alone, every header
/// as the server sent it.
fn response_view(request: &str, seen: &ResponseSeen, elapsed: &str, pasted: bool) -> Html {
    let headline = if seen.status_text.is_empty() {
        seen.status.to_string()
    } else {
        format!("{} {}", seen.status, seen.status_text)
    };
    let hidden = seen.hidden_diagnostic_headers();
    html! {
        <article class="outcome" data-outcome="response" data-status={seen.status.to_string()}
                 data-response-type={seen.response_type.as_str()}>
            <h3 class={classes!("verdict", status_class(seen.status))}>{ shown(&headline) }</h3>
            if pasted {
                <p>{ "As you pasted it: every header as the server sent it. Nothing was sent from this page." }</p>
            } else {
                <p>{ seen.response_type.meaning() }</p>
            }
            <dl class="facts">
                <dt>{ "Request" }</dt><dd><code>{ shown(request) }</code></dd>
                if !pasted {
                    <dt>{ "Response type" }</dt><dd><code>{ seen.response_type.as_str() }</code></dd>
                }
                <dt>{ "Final URL" }</dt>
                <dd><code>{ shown(if seen.url.is_empty() { "(hidden)" } else { seen.url.as_str() }) }</code></dd>
                <dt>{ "Redirected" }</dt><dd>{ if seen.redirected { "yes" } else { "no" } }</dd>
                <dt>{ "Time" }</dt><dd>{ elapsed }</dd>
            </dl>
            <h4>{ if pasted { "Headers" } else { "Headers the page could read" } }</h4>
            if seen.headers.is_empty() {
                <p>{ "None." }</p>
            } else {
                <table class="headers" id="readable-headers">
                    <thead><tr><th scope="col">{ "Name" }</th><th scope="col">{ "Value" }</th></tr></thead>
                    <tbody>
                    { for seen.headers.iter().map(|(name, value)| html! {
                        <tr data-header={name.clone()}><td><code>{ shown(name) }</code></td><td><code>{ shown(value) }</code></td></tr>
                    }) }
                    </tbody>
                </table>
            }
            if !hidden.is_empty() {
                <h4>{ "Not readable by the page" }</h4>
                <p>{ "Each of these is either absent or not listed in Access-Control-Expose-Headers; \
                      a page cannot tell which." }</p>
                <ul class="hidden-headers" id="hidden-headers">
                    { for hidden.iter().map(|name| html! { <li data-hidden={*name}><code>{ *name }</code></li> }) }
                </ul>
            }
            if let Some(body) = &seen.body_excerpt {
                <h4>{ "Body" }</h4>
                if body.is_empty() { <p>{ "Empty." }</p> } else { <pre class="body">{ shown(body) }</pre> }
            }
        </article>
    }
}

fn failure_view(request: &str, failure: &Failure, elapsed: &str) -> Html {
    let words = if failure.message.is_empty() {
        failure.error_name.clone()
    } else {
        format!("{}: {}", failure.error_name, failure.message)
    };
    html! {
        <article class="outcome" data-outcome="failed" data-failure={failure.kind.as_str()}>
            <h3 class="verdict failed">{ "No readable response" }</h3>
            <p>{ failure.meaning() }</p>
            <dl class="facts">
                <dt>{ "Request" }</dt><dd><code>{ shown(request) }</code></dd>
                <dt>{ "The browser said" }</dt><dd><code class="error-words">{ shown(&words) }</code></dd>
                <dt>{ "Time" }</dt><dd>{ elapsed }</dd>
            </dl>
            <p>{ "The browser knows the exact reason: see the console box below the findings." }</p>
        </article>
    }
}

/// `12 ms`. Rounded to an integer first: formatting an `f64` would pull Rust's float printing
/// (some 10 KB) into the bundle for one number.
fn milliseconds(ms: f64) -> String {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a probe's duration: non-negative, far below u32::MAX ms"
    )]
    let whole = ms.max(0.0).round() as u32;
    format!("{whole} ms")
}

fn status_class(status: u16) -> &'static str {
    match status {
        200..=299 => "ok",
        0 => "opaque",
        _ => "failed",
    }
}
