//! The page: one reducer, a form and a report.

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::components::{InspectForm, ReportView};
use crate::probe;
use crate::state::{Action, Field, InspectState, Phase, Plan};

/// Checks the form and, when it may be sent, runs every planned probe concurrently; each result
/// is dispatched as it arrives.
fn inspect(state: &UseReducerHandle<InspectState>, unsafe_confirmed: bool) {
    match state.plan(unsafe_confirmed) {
        Plan::Refuse(problems) => state.dispatch(Action::Refused(problems)),
        Plan::Confirm { method } => state.dispatch(Action::AskConfirmation { method }),
        Plan::Send {
            target,
            spec,
            probes,
        } => {
            // The run this inspection will be, once `Started` is reduced.
            let run = state.run.wrapping_add(1);
            let timeout_ms = spec.timeout_ms;
            let requests: Vec<_> = probes.iter().map(|p| p.request.clone()).collect();
            probe::mark(probe::MARK_INSPECT);
            let context = probe::page_context(&target);
            state.dispatch(Action::Started {
                target,
                spec,
                context,
                started_at: probe::now_seconds(),
                probes,
            });
            for (index, request) in requests.into_iter().enumerate() {
                let state = state.clone();
                spawn_local(async move {
                    let result = probe::run_probe(&request, timeout_ms).await;
                    state.dispatch(Action::ProbeFinished { run, index, result });
                });
            }
        }
    }
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(InspectState::default);
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
        let state = state.clone();
        Callback::from(move |()| inspect(&state, false))
    };
    let on_confirm = {
        let state = state.clone();
        Callback::from(move |()| inspect(&state, true))
    };
    let on_cancel = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(Action::Reset))
    };

    html! {
        <>
            <header class="masthead">
                <h1>{ "why401" }</h1>
                <p class="tagline">
                    { "Paste the URL of a request that fails with 401 Unauthorized. \
                       Your browser sends it, and a few variants of it, and shows what came back." }
                </p>
            </header>
            <main>
                <InspectForm
                    form={state.form.clone()}
                    busy={state.is_running()}
                    {on_edit}
                    {on_inspect}
                />
                <ReportView phase={state.phase.clone()} {on_confirm} {on_cancel} />
            </main>
            <footer class="colophon">
                <p>{ "No server of ours sees your request: it goes from this page straight to your endpoint." }</p>
            </footer>
        </>
    }
}
