//! Sharing and exporting a finished report. Every secret the evidence holds is listed, masked by
//! default and revealed only one by one on purpose; the user reads exactly what the link carries
//! before copying it. Then the link, the Markdown and JSON reports (redacted the same way) and
//! copy as cURL. Nothing here is computed until the user opens it.

use std::rc::Rc;
use std::time::Duration;

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use why401_core::report::{
    AdviceBook, Diagnosis, Evidence, Exports, LONG_LINK_CHARS, Redaction, Report, Secret, SecretId,
    curl_reproduce, diagnose, redact, secrets,
};
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

use super::{Shared, shown};
use crate::packing;
use crate::state::Advice;

#[derive(Properties, PartialEq)]
pub struct ShareViewProps {
    pub report: Shared<Report>,
    /// The fixes, for the Markdown report once they are loaded.
    pub advice: Advice,
}

/// A "Share or export" button; once pressed, the redaction choices, the preview, the link and the
/// exports.
#[component]
pub fn ShareView(props: &ShareViewProps) -> Html {
    let open = use_state(|| false);
    let choice = use_state(Redaction::standard);
    let curl_secrets = use_state(|| false);
    let status = use_state(String::new);
    // The link is packed asynchronously: the JSON it was packed from, and the fragment (`None`
    // when the browser cannot pack).
    let packed = use_state(|| None::<(String, Option<String>)>);
    // The JSON asked for last: a slower, older packing must not replace its link.
    let wanted = use_mut_ref(|| None::<String>);
    let book = match &props.advice {
        Advice::Ready(book) => Some(Rc::clone(book)),
        Advice::Loading | Advice::Failed => None,
    };
    let prepared = use_prepared(&props.report, *open, &choice, book);
    let json = prepared.as_ref().map(|p| p.exports.json.clone());
    {
        let packed = packed.clone();
        use_effect_with(json.clone(), move |json| {
            if let Some(json) = json.clone() {
                wanted.replace(Some(json.clone()));
                spawn_local(async move {
                    let fragment = packing::fragment(&json).await;
                    if wanted.borrow().as_ref() == Some(&json) {
                        packed.set(Some((json, fragment)));
                    }
                });
            }
        });
    }
    if !*open {
        let onclick = Callback::from(move |_| open.set(true));
        return html! {
            <section class="share" id="share" data-open="false" aria-label="Share or export">
                <button id="share-open" type="button" class="secondary" {onclick}>
                    { "Share or export this result" }
                </button>
            </section>
        };
    }
    let Some(prepared) = prepared else {
        return html! {
            <section class="share" id="share" data-open="true" aria-label="Share or export">
                <p class="hint" id="share-preparing">{ "Masking the secrets and writing the reports…" }</p>
            </section>
        };
    };
    let evidence = &props.report.evidence;
    let found = &prepared.found;
    // Shown once packed from what is chosen now.
    let link = match &*packed {
        Some((from, fragment)) if json.as_ref() == Some(from) => Some(
            fragment
                .as_ref()
                .map(|fragment| format!("{}#{fragment}", page_address())),
        ),
        _ => None,
    };
    let markdown = &prepared.exports.markdown;
    let curl = curl_reproduce(evidence, *curl_secrets);

    let on_claims = {
        let choice = choice.clone();
        Callback::from(move |e: Event| {
            let mut next = (*choice).clone();
            next.keep_token_claims = checked(&e);
            choice.set(next);
        })
    };
    let reveal = |id: SecretId| {
        let choice = choice.clone();
        Callback::from(move |e: Event| {
            let mut next = (*choice).clone();
            next.reveal.retain(|r| *r != id);
            if checked(&e) {
                next.reveal.push(id.clone());
            }
            choice.set(next);
        })
    };
    let on_curl_secrets = {
        let curl_secrets = curl_secrets.clone();
        Callback::from(move |e: Event| curl_secrets.set(checked(&e)))
    };
    let copy_button = |id: &'static str, label: &'static str, text: &str, done: &'static str| {
        let (text, status) = (text.to_owned(), status.clone());
        html! {
            <button {id} type="button" onclick={Callback::from(move |_| copy(text.clone(), done, status.clone()))}>
                { label }
            </button>
        }
    };
    html! {
        <section class="share" id="share" data-open="true" aria-labelledby="share-heading">
            <h3 id="share-heading">{ "Share or export this result" }</h3>
            <p>{ "A link carries what the probes saw, not our conclusions: the page that opens it \
                  re-reads the evidence. It sits after the # of the address, which browsers never send \
                  to any server. Secrets are masked, keeping their shape so that the report stays the same." }</p>
            <fieldset class="secrets" id="share-secrets">
                <legend>{ if found.is_empty() { "No secrets found" } else { "Masked before sharing" } }</legend>
                <ul>
                    { for found.iter().take(SECRETS_AT_MOST).map(|secret| {
                        let revealed = choice.reveal.contains(&secret.id);
                        html! {
                            <li data-secret={secret.id.clone()} data-revealed={revealed.to_string()}>
                                <label>
                                    <input type="checkbox" class="reveal" checked={revealed} onchange={reveal(secret.id.clone())} />
                                    { "Share " }<code>{ shown(&secret.id) }</code>{ " as it is" }
                                </label>
                                <span class="hint">{ shown(&format!(" — in {}", secret.place)) }</span>
                            </li>
                        }
                    }) }
                </ul>
                if found.len() > SECRETS_AT_MOST {
                    <p class="hint">{ format!("And {} more, masked too.", found.len() - SECRETS_AT_MOST) }</p>
                }
                <label>
                    <input type="checkbox" id="keep-claims" checked={choice.keep_token_claims} onchange={on_claims} />
                    { "Keep a JWT's claims (exp, aud, scope …); its signature is never shared" }
                </label>
            </fieldset>
            <details class="raw" id="share-preview">
                <summary>{ "Exactly what the link carries" }</summary>
                <pre tabindex="0">{ shown(&prepared.exports.preview) }</pre>
            </details>
            { match link {
                None => html! { <p class="hint" id="share-packing">{ "Packing the link…" }</p> },
                Some(None) => html! {
                    <p class="problem" id="share-unsupported">
                        { "This browser cannot pack links (it lacks Compression Streams): download the JSON report below instead." }
                    </p>
                },
                Some(Some(link)) => link_box(&link, copy_button("copy-link", "Copy link", &link, "Link copied.")),
            } }
            <h4>{ "Reports" }</h4>
            <p class="exports">
                { copy_button("copy-markdown", "Copy as Markdown", markdown, "Markdown copied.") }
                <a id="download-markdown" class="button" download="why401-report.md"
                   href={prepared.markdown_url.clone()}>{ "Download Markdown" }</a>
                <a id="download-json" class="button" download="why401-report.json"
                   href={prepared.report_url.clone()}>{ "Download JSON" }</a>
            </p>
            <h4>{ "Reproduce with curl" }</h4>
            <label>
                <input type="checkbox" id="curl-secrets" checked={*curl_secrets} onchange={on_curl_secrets} />
                { "Put my credentials and secrets into the command (for my own terminal only)" }
            </label>
            <pre class="command" id="reproduce-curl" tabindex="0">{ shown(&curl) }</pre>
            { copy_button("copy-curl", "Copy as cURL", &curl, "Command copied.") }
            <p id="share-status" role="status">{ (*status).clone() }</p>
        </section>
    }
}

/// The most secrets listed one by one; the rest are counted (and masked all the same).
const SECRETS_AT_MOST: usize = 50;

/// What sharing a result with the user's choices takes, computed once per choice: the redacted
/// evidence's secrets and JSON (for the link), the preview, and the exports as text and as
/// download URLs.
#[derive(Debug)]
struct Prepared {
    found: Vec<Secret>,
    exports: Exports,
    markdown_url: String,
    report_url: String,
}

/// The redaction's choices and whether the fixes are in the Markdown: what [`Prepared`] rests on.
type PreparedKey = (Redaction, bool);

/// Evidence past this size (what was pasted) is prepared over several tasks, each short.
const PREPARE_IN_PLACE_BYTES: usize = 64 * 1024;

/// [`Prepared`] for `evidence` once `open`: at once for a small result, over several tasks for
/// a large one (`None` meanwhile).
#[hook]
fn use_prepared(
    report: &Shared<Report>,
    open: bool,
    choice: &Redaction,
    book: Option<Rc<AdviceBook>>,
) -> Option<Rc<Prepared>> {
    let size = report.evidence.pasted.as_ref().map_or(0, String::len)
        + report.evidence.console_line.as_ref().map_or(0, String::len);
    let large = size > PREPARE_IN_PLACE_BYTES;
    let key: Option<PreparedKey> = open.then(|| (choice.clone(), book.is_some()));
    let in_place = {
        let (report, book) = (report.clone(), book.clone());
        use_memo(key.clone(), move |key| {
            let (choice, _) = key.as_ref().filter(|_| !large)?;
            let evidence = &report.evidence;
            let redacted = redact(evidence, choice);
            let diagnosis = diagnose(&redacted);
            Some(Rc::new(finish(
                secrets(evidence),
                &redacted,
                &diagnosis,
                book.as_deref(),
            )))
        })
    };
    let later = use_state(|| None::<(PreparedKey, Rc<Prepared>)>);
    {
        let later = later.setter();
        let report = report.clone();
        use_effect_with(key.clone(), move |key| {
            if let (true, Some(key)) = (large, key.clone()) {
                spawn_local(async move {
                    // One step per task: the page answers between them.
                    sleep(Duration::ZERO).await;
                    let found = secrets(&report.evidence);
                    sleep(Duration::ZERO).await;
                    let redacted = redact(&report.evidence, &key.0);
                    sleep(Duration::ZERO).await;
                    let diagnosis = diagnose(&redacted);
                    sleep(Duration::ZERO).await;
                    let prepared = finish(found, &redacted, &diagnosis, book.as_deref());
                    sleep(Duration::ZERO).await;
                    later.set(Some((key, Rc::new(prepared))));
                });
            }
        });
    }
    if large {
        match (&*later, &key) {
            (Some((done_key, prepared)), Some(key)) if done_key == key => Some(Rc::clone(prepared)),
            _ => None,
        }
    } else {
        (*in_place).clone()
    }
}

/// The exports and the link's JSON of the redacted evidence and its own diagnosis.
fn finish(
    found: Vec<Secret>,
    redacted: &Evidence,
    diagnosis: &Diagnosis,
    book: Option<&AdviceBook>,
) -> Prepared {
    let exports = Exports::of(redacted, diagnosis, book);
    Prepared {
        found,
        markdown_url: data_url("text/markdown", &exports.markdown),
        report_url: data_url("application/json", &exports.report),
        exports,
    }
}

/// The link, its length, the button that copies it, and a warning when it is long.
fn link_box(link: &str, copy: Html) -> Html {
    let length = link.chars().count();
    html! {
        <>
            <label for="share-link">{ format!("Link ({length} characters)") }</label>
            <input id="share-link" type="text" readonly=true value={link.to_owned()} data-length={length.to_string()} />
            { copy }
            if length > LONG_LINK_CHARS {
                <p class="problem" id="share-long">
                    { format!("Links over {LONG_LINK_CHARS} characters are cut by some chat tools, trackers \
                               and servers. Download the JSON report below and attach it instead.") }
                </p>
            }
        </>
    }
}

fn checked(e: &Event) -> bool {
    e.target_unchecked_into::<web_sys::HtmlInputElement>()
        .checked()
}

/// This page's address without its fragment.
fn page_address() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    match href.split_once('#') {
        Some((address, _)) => address.to_owned(),
        None => href,
    }
}

/// A `data:` URL the browser downloads: no object URL to revoke, nothing sent anywhere.
fn data_url(media_type: &str, text: &str) -> String {
    format!(
        "data:{media_type};charset=utf-8,{}",
        js_sys::encode_uri_component(text)
    )
}

/// Copies `text`; says whether it worked. The clipboard is missing outside secure contexts and
/// may be refused: the text is on the page to copy by hand.
fn copy(text: String, done: &'static str, status: UseStateHandle<String>) {
    let clipboard = web_sys::window()
        .and_then(|w| Reflect::get(&w.navigator(), &JsValue::from_str("clipboard")).ok())
        .filter(|c| !c.is_undefined() && !c.is_null())
        .map(JsCast::unchecked_into::<web_sys::Clipboard>);
    let refused =
        "This browser does not let the page use the clipboard: select the text and copy it.";
    let Some(clipboard) = clipboard else {
        status.set(refused.to_owned());
        return;
    };
    spawn_local(async move {
        let copied = JsFuture::from(clipboard.write_text(&text)).await.is_ok();
        status.set(if copied { done } else { refused }.to_owned());
    });
}
