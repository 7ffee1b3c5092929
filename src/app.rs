//! The page: one reducer, a form and a report.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::AbortController;
use why401_core::AddressClass;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::components::{InspectForm, OpenReport, ReportView};
use crate::state::{Action, Advice, Field, InspectState, Phase, Plan};
use crate::{packing, probe};
use why401_core::explain::AdviceBook;
use why401_core::form::Sending;

/// The advice asset, next to `index.html`.
const ADVICE_ASSET: &str = "advice.json";
/// The Public Suffix List, next to `index.html`: sites and cookie domains are judged with it once
/// it is in.
const PUBLIC_SUFFIXES_ASSET: &str = "public-suffixes.txt";

/// Checks the form and, when it may be sent, runs every planned probe concurrently; each result
/// is dispatched as it arrives. A share link's fragment leaves the address: it no longer says
/// what the page shows. Once all are back, the Local Network Access permission is read
/// for a local target. `stopper` receives the controller that stops this inspection.
fn inspect(
    state: &UseReducerHandle<InspectState>,
    stopper: &Rc<RefCell<Option<AbortController>>>,
    unsafe_confirmed: bool,
) {
    // In a frame of another origin a click may be someone else's: nothing is sent.
    if probe::framed_by_another_origin() {
        return;
    }
    match state.plan(unsafe_confirmed) {
        Plan::Refuse(problems) => state.dispatch(Action::Refused(problems)),
        Plan::Confirm { target, spec } => state.dispatch(Action::AskConfirmation {
            sending: Sending::of(&spec, &target, &probe::page_origin()),
        }),
        Plan::Send {
            target,
            spec,
            probes,
        } => {
            forget_fragment();
            // The run this inspection will be, once `Started` is reduced.
            let run = state.run.wrapping_add(1);
            let timeout_ms = spec.timeout_ms;
            let requests: Vec<_> = probes.iter().map(|p| p.request.clone()).collect();
            probe::mark(probe::MARK_INSPECT);
            let context = probe::page_context(&target);
            let address = target.address_class;
            let controller = AbortController::new().ok();
            let stop = controller.as_ref().map(AbortController::signal);
            if let Some(previous) = stopper.replace(controller) {
                previous.abort();
            }
            let remaining = Rc::new(Cell::new(requests.len()));
            state.dispatch(Action::Started {
                target,
                spec,
                context,
                started_at: probe::now_seconds(),
                probes,
            });
            for (index, request) in requests.into_iter().enumerate() {
                let state = state.clone();
                let stop = stop.clone();
                let remaining = Rc::clone(&remaining);
                spawn_local(async move {
                    let result = probe::run_probe(&request, timeout_ms, stop.as_ref()).await;
                    state.dispatch(Action::ProbeFinished { run, index, result });
                    remaining.set(remaining.get().saturating_sub(1));
                    if remaining.get() == 0 && address != AddressClass::Public {
                        let permission = probe::local_network_permission(address).await;
                        state.dispatch(Action::PermissionRead {
                            run,
                            state: permission,
                        });
                    }
                });
            }
        }
    }
}

/// Diagnoses the exchange pasted on the first screen as it is: nothing is sent.
fn diagnose_paste(state: &UseReducerHandle<InspectState>) {
    match state.paste_plan() {
        Ok((target, spec)) => {
            forget_fragment();
            let context = probe::page_context(&target);
            state.dispatch(Action::PastedOnly {
                target,
                spec,
                context,
                captured_at: probe::now_seconds(),
            });
        }
        Err(refusal) => state.dispatch(Action::Refused(vec![refusal])),
    }
}

/// The page's fragment, without `#`.
fn fragment() -> String {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    hash.trim_start_matches('#').to_owned()
}

/// Opens the result the page's fragment carries, if it has one.
fn open_shared(state: &UseReducerHandle<InspectState>) {
    let fragment = fragment();
    if !fragment.is_empty() {
        let state = state.clone();
        spawn_local(async move {
            let opened = packing::open(&fragment).await.map_err(Into::into);
            state.dispatch(Action::OpenShared(opened));
        });
    }
}

/// Takes the fragment off the address (a reload then shows the live page, not the link).
fn forget_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if fragment().is_empty() {
        return;
    }
    let location = window.location();
    let address = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address));
    }
}

/// Said instead of sending anything when another origin frames the page.
fn framed_notice() -> Html {
    let here = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    html! {
        <div class="problem framed" id="framed" role="alert">
            <p>{ "This page is shown inside another site's frame, where a click may not be yours: \
                  it sends nothing from here." }</p>
            <p><a href={here} target="_blank" rel="noopener noreferrer">{ "Open why401 in a tab of its own" }</a></p>
        </div>
    }
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(InspectState::default);
    // The fixes are fetched after the first paint: they would weigh a third of the bundle.
    let advice = use_state(|| Advice::Loading);
    {
        let advice = advice.clone();
        use_effect_with((), move |()| {
            spawn_local(async move {
                let book = probe::fetch_asset(ADVICE_ASSET)
                    .await
                    .and_then(|bytes| AdviceBook::from_json(&bytes).ok());
                advice.set(book.map_or(Advice::Failed, |b| Advice::Ready(Rc::new(b))));
                // Until the list is in, a short built-in approximation judges sites.
                if let Some(bytes) = probe::fetch_asset(PUBLIC_SUFFIXES_ASSET).await {
                    let text = String::from_utf8_lossy(&bytes);
                    why401_core::cookie::install_public_suffixes(
                        why401_core::cookie::PublicSuffixes::parse(&text),
                    );
                }
            });
        });
    }
    // A share link opens its result without sending anything, at load and when the fragment
    // changes under an open page.
    {
        let state = state.clone();
        use_effect_with((), move |()| {
            open_shared(&state);
            let listener = Closure::<dyn Fn()>::new(move || open_shared(&state));
            let window = web_sys::window();
            if let Some(window) = &window {
                window.set_onhashchange(Some(listener.as_ref().unchecked_ref()));
            }
            move || {
                if let Some(window) = &window {
                    window.set_onhashchange(None);
                }
                drop(listener);
            }
        });
    }
    // Read once: a page does not move between frames.
    let framed = *use_state(probe::framed_by_another_origin);
    // What Re-run sends, as the form now says, for the words beside it.
    // Planned only under a shared result: not on every keystroke elsewhere.
    let rerun = match &state.phase {
        Phase::Inspecting(inspection) if inspection.shared => match state.plan(true) {
            Plan::Send { target, spec, .. } => {
                Some(Sending::of(&spec, &target, &probe::page_origin()))
            }
            Plan::Confirm { .. } | Plan::Refuse(_) => None,
        },
        _ => None,
    };
    let stopper = use_mut_ref(|| None::<AbortController>);
    // Marks the moment a complete report has been rendered, for the Inspect-to-report benchmark.
    let complete_run = match &state.phase {
        Phase::Inspecting(inspection) if inspection.is_complete() => Some(state.run),
        _ => None,
    };
    use_effect_with(complete_run, |run| {
        if run.is_some() {
            probe::mark(probe::MARK_REPORT);
        }
    });

    let on_edit = {
        let state = state.clone();
        Callback::from(move |field: Field| state.dispatch(Action::Edit(field)))
    };
    let on_inspect = {
        let (state, stopper) = (state.clone(), stopper.clone());
        Callback::from(move |()| inspect(&state, &stopper, false))
    };
    let on_diagnose_paste = {
        let state = state.clone();
        Callback::from(move |()| diagnose_paste(&state))
    };
    let on_open_report = {
        let state = state.clone();
        Callback::from(move |opened| {
            forget_fragment();
            state.dispatch(Action::OpenShared(opened));
        })
    };
    let on_confirm = {
        let (state, stopper) = (state.clone(), stopper.clone());
        Callback::from(move |()| inspect(&state, &stopper, true))
    };
    let on_stop = {
        let state = state.clone();
        Callback::from(move |()| {
            if let Some(controller) = stopper.borrow().as_ref() {
                controller.abort();
            }
            state.dispatch(Action::Stop);
        })
    };
    let on_cancel = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(Action::Reset))
    };

    html! {
        <>
            if framed {
                { framed_notice() }
            }
            <main>
                <InspectForm
                    form={state.form.request.clone()}
                    busy={state.is_running()}
                    {framed}
                    pasted={state.form.pasted.clone()}
                    command={state.form.command.clone()}
                    har={state.form.har.clone()}
                    caller={state.form.caller.clone()}
                    on_edit={on_edit.clone()}
                    on_inspect={on_inspect.clone()}
                    {on_diagnose_paste}
                />
                <OpenReport on_open={on_open_report} />
                <ReportView phase={state.phase.clone()} advice={(*advice).clone()} {on_confirm} {on_cancel} {on_stop} on_rerun={on_inspect} {rerun} {framed}
                    console={state.form.console.clone()} pasted={state.form.pasted.clone()} on_paste={on_edit.clone()}
                    caller={state.form.caller.clone()} />
            </main>
            <footer class="colophon">
                <p>{ "No server of ours sees your request: it goes from this page straight to your endpoint." }</p>
            </footer>
        </>
    }
}
