//! Opening a JSON report someone shared (what “Download JSON” saves): read in this page, never
//! uploaded anywhere, and shown as a link would show it.

use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use why401_core::evidence::Evidence;
use why401_core::export::{MAX_REPORT_BYTES, ReportError, read_report};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::state::Unopened;

#[derive(Properties, PartialEq)]
pub struct OpenReportProps {
    /// The evidence of the chosen report, or why it cannot be opened.
    pub on_open: Callback<Result<Evidence, Unopened>>,
}

#[component]
pub fn OpenReport(props: &OpenReportProps) -> Html {
    let onchange = {
        let on_open = props.on_open.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            // The same file chosen again is read again.
            input.set_value("");
            let limit = u32::try_from(MAX_REPORT_BYTES).map_or(f64::MAX, f64::from);
            if file.size() > limit {
                on_open.emit(Err(ReportError::TooLarge.into()));
                return;
            }
            let on_open = on_open.clone();
            spawn_local(async move {
                let text = JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|text| text.as_string());
                on_open.emit(match text {
                    Some(text) => read_report(&text).map_err(Into::into),
                    None => Err(Unopened {
                        kind: "unreadable",
                        message: "This file could not be read.".to_owned(),
                    }),
                });
            });
        })
    };
    html! {
        <p class="open-report">
            <label for="open-report">
                { "Got a why401 report (.json)? Open it here — it stays in this browser: " }
            </label>
            <input id="open-report" type="file" accept=".json,application/json" {onchange} />
        </p>
    }
}
