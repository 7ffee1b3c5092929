use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use why401_core::cors::CredentialsMode;
use why401_core::report::Caller;
use yew::prelude::*;

use crate::components::{FileDrop, hidden_note, shown};
use why401_core::form::RequestForm;

use crate::state::{CommandRead, Field, HarRead};

#[derive(Properties, PartialEq)]
pub struct InspectFormProps {
    /// The request part of the form.
    pub form: RequestForm,
    pub busy: bool,
    /// The page sits in a frame of another origin: nothing may be sent from it.
    pub framed: bool,
    /// The exchange pasted instead of sending anything.
    pub pasted: String,
    /// A command pasted into the exchange box and read into the form.
    pub command: Option<CommandRead>,
    /// A HAR file pasted into the exchange box.
    pub har: Option<HarRead>,
    /// Where the user's own request runs, when the user said.
    pub caller: Option<Caller>,
    pub on_edit: Callback<Field>,
    pub on_inspect: Callback<()>,
    pub on_diagnose_paste: Callback<()>,
}

const METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/// Each credentials mode and what it means for the user's cookies.
const CREDENTIALS: &[(CredentialsMode, &str)] = &[
    (
        CredentialsMode::SameOrigin,
        "the default: cookies only to this page's own origin, so none to your API",
    ),
    (
        CredentialsMode::Include,
        "send the cookies your browser holds for the API (third-party cookies: often blocked)",
    ),
    (CredentialsMode::Omit, "never send cookies"),
];

/// The request form: method, URL and Inspect on one line (Enter in the URL box inspects), and
/// the headers, body, credentials mode and time limit below.
#[component]
pub fn InspectForm(props: &InspectFormProps) -> Html {
    let edit = |make: fn(String) -> Field| {
        props.on_edit.reform(move |e: InputEvent| {
            make(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let edit_text = |make: fn(String) -> Field| {
        props.on_edit.reform(move |e: InputEvent| {
            make(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let on_method = props
        .on_edit
        .reform(|e: Event| Field::Method(e.target_unchecked_into::<HtmlSelectElement>().value()));
    let on_credentials = props.on_edit.reform(|e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        Field::Credentials(
            CREDENTIALS
                .iter()
                .find(|(mode, _)| mode.as_str() == value)
                .map_or(CredentialsMode::SameOrigin, |(mode, _)| *mode),
        )
    });
    let onsubmit = props
        .on_inspect
        .reform(|e: SubmitEvent| e.prevent_default());
    let form = &props.form;
    let credentials_help = CREDENTIALS
        .iter()
        .find(|(mode, _)| *mode == form.credentials)
        .map_or("", |(_, help)| help);
    let has_body = !matches!(form.method.as_str(), "GET" | "HEAD");
    let on_caller = props
        .on_edit
        .reform(|e: Event| Field::Caller(e.target_unchecked_into::<HtmlSelectElement>().value()));
    let (caller_kind, caller_origin) = match &props.caller {
        Some(Caller::Page { origin }) => ("page", origin.clone().unwrap_or_default()),
        Some(Caller::Outside) => ("outside", String::new()),
        None => ("", String::new()),
    };
    html! {
        <form class="inspect" {onsubmit} novalidate=true>
            <label for="url">{ "URL of the failing request" }</label>
            <div class="inspect-row">
                <select id="method" aria-label="Method" onchange={on_method}>
                    { for METHODS.iter().map(|m| html! {
                        <option value={*m} selected={form.method == *m}>{ *m }</option>
                    }) }
                    // A method from a link that the list lacks is shown as it is, never as GET.
                    if !METHODS.contains(&form.method.as_str()) {
                        <option value={form.method.clone()} selected=true>{ form.method.clone() }</option>
                    }
                </select>
                <input
                    id="url"
                    name="url"
                    type="url"
                    inputmode="url"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="https://api.example.com/v1/me"
                    value={form.url.clone()}
                    oninput={edit(Field::Url)}
                />
                <button id="inspect" type="submit" disabled={props.busy || props.framed}>
                    { if props.busy { "Inspecting…" } else { "Inspect" } }
                </button>
            </div>
            { hidden_note("url", &form.url) }
            <div class="caller-row">
                <label for="caller">{ "Your own request runs in" }</label>
                <select id="caller" onchange={on_caller} aria-describedby="caller-help">
                    <option value="" selected={caller_kind.is_empty()}>{ "not said" }</option>
                    <option value="page" selected={caller_kind == "page"}>{ "a web page: my app" }</option>
                    <option value="outside" selected={caller_kind == "outside"}>{ "a server, script, mobile app, Postman or curl" }</option>
                </select>
                if caller_kind == "page" {
                    <input id="caller-origin" type="url" inputmode="url" autocomplete="off" spellcheck="false"
                        aria-label="Your app's origin" placeholder="https://app.example.com"
                        value={caller_origin} oninput={edit(Field::CallerOrigin)} />
                }
                <p id="caller-help" class="hint">
                    { match caller_kind {
                        "outside" => "CORS binds web pages only: what blocks this page is not your failure, and the report says why the server refuses.",
                        "page" => "CORS binds your app as it binds this page; cookies are judged as sent from your app's origin.",
                        _ => "Say it, and the report answers for your client: CORS binds web pages only.",
                    } }
                </p>
            </div>
            <details class="options" open={!form.headers.is_empty() || has_body || form.credentials != CredentialsMode::SameOrigin}>
                <summary>{ "Headers, body, credentials, time limit" }</summary>
                <label for="headers">{ "Headers" }<span class="hint">{ " — one Name: value per line" }</span></label>
                <textarea
                    id="headers"
                    rows="3"
                    spellcheck="false"
                    placeholder="Authorization: Bearer eyJhbGciOi…"
                    value={form.headers.clone()}
                    oninput={edit_text(Field::Headers)}
                />
                { hidden_note("headers", &form.headers) }
                if has_body {
                    <label for="body">{ "Body" }</label>
                    <textarea
                        id="body"
                        rows="3"
                        spellcheck="false"
                        value={form.body.clone()}
                        oninput={edit_text(Field::Body)}
                    />
                    { hidden_note("body", &form.body) }
                }
                <div class="option-row">
                    <div>
                        <label for="credentials">{ "Credentials" }</label>
                        <select id="credentials" onchange={on_credentials} aria-describedby="credentials-help">
                            { for CREDENTIALS.iter().map(|(mode, _)| html! {
                                <option value={mode.as_str()} selected={form.credentials == *mode}>{ mode.as_str() }</option>
                            }) }
                        </select>
                        <p id="credentials-help" class="hint">{ credentials_help }</p>
                    </div>
                    <div>
                        <label for="timeout">{ "Time limit (s)" }</label>
                        <input id="timeout" type="number" min="0.1" max="600" step="any" inputmode="decimal"
                               value={form.timeout.clone()} oninput={edit(Field::Timeout)} />
                    </div>
                </div>
            </details>
            <div class="paste-only">
                <label for="exchange">{ "Or paste the exchange instead — nothing is sent" }</label>
                <p class="hint" id="exchange-hint">
                    { "For an API this page cannot reach (a server-to-server API, a private network): what \
                       curl -v or curl -i printed, a raw HTTP request and response, or DevTools' request and \
                       response headers. Without a request line, the URL above says where it went." }
                </p>
                <FileDrop on_text={props.on_edit.reform(Field::Pasted)} on_har={props.on_edit.reform(Field::HarFile)}>
                    <textarea id="exchange" rows="4" spellcheck="false" aria-describedby="exchange-hint"
                        placeholder={"> GET /v1/me HTTP/1.1\n> Host: api.example.com\n> Authorization: Bearer …\n< HTTP/1.1 401 Unauthorized\n< WWW-Authenticate: Bearer error=\"invalid_token\""}
                        value={props.pasted.clone()} oninput={edit_text(Field::Pasted)} />
                </FileDrop>
                { hidden_note("exchange", &props.pasted) }
                if let Some(har) = &props.har {
                    <div id="har-read" class="hint" role="status">
                        <p>{ format!("Read as a HAR file{}: {} requests, {} of them failed. Pick one: its exchange goes in the box, and Diagnose the paste reads it.",
                            if har.creator.is_empty() { String::new() } else { format!(" saved by {}", har.creator) },
                            har.entries, har.failed.len()) }</p>
                        if har.sanitized {
                            <p id="har-sanitized">{ "The file holds no Authorization, Cookie or Set-Cookie at all, though requests were refused: it was likely saved sanitized (Chrome's default since version 130), so it cannot show whether credentials were sent. Save it with sensitive data to see them." }</p>
                        }
                        <ul>{ for har.failed.iter().map(|(number, line, _)| {
                            let number = *number;
                            let pick = props.on_edit.reform(move |_| Field::HarEntry(number));
                            html! { <li><button type="button" class="har-entry secondary" data-entry={number.to_string()} onclick={pick}>{ shown(&format!("{number}. {line}")) }</button></li> }
                        }) }</ul>
                        if !har.trail.is_empty() {
                            <p>{ "Across the entries, in the order the browser made them:" }</p>
                            <ul id="har-trail">{ for har.trail.iter().map(|(number, cause, sentence)| html! {
                                <li class="har-trail" data-cause={*cause} data-entry={number.to_string()}>{ shown(sentence) }</li>
                            }) }</ul>
                        }
                    </div>
                }
                if let Some(command) = &props.command {
                    <div id="command-read" class="hint" role="status">
                        <p>{ format!("Read as {}: the request is in the form above, and Inspect sends it from this page.", command.tool) }</p>
                        if !command.notes.is_empty() {
                            <ul>{ for command.notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
                        }
                    </div>
                }
                <button id="diagnose-paste" type="button" class="secondary"
                    disabled={props.pasted.trim().is_empty()} onclick={props.on_diagnose_paste.reform(|_| ())}>
                    { "Diagnose the paste" }
                </button>
            </div>
        </form>
    }
}
