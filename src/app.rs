//! The page: one reducer, a form and a report.

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::components::{InspectForm, ReportView};
use crate::probe::{self, DEFAULT_TIMEOUT_MS};
use crate::state::{Action, InspectState};

#[component]
pub fn App() -> Html {
    let state = use_reducer(InspectState::default);

    let on_edit = {
        let state = state.clone();
        Callback::from(move |url: String| state.dispatch(Action::Edit(url)))
    };
    let on_inspect = {
        let state = state.clone();
        Callback::from(move |()| match state.plan() {
            Err(problem) => state.dispatch(Action::Refused(problem)),
            Ok(target) => {
                // The run this inspection will be, once `Started` is reduced.
                let run = state.run.wrapping_add(1);
                state.dispatch(Action::Started(target.clone()));
                let state = state.clone();
                spawn_local(async move {
                    let result = probe::fetch_get(&target.url, DEFAULT_TIMEOUT_MS).await;
                    state.dispatch(Action::Finished { run, result });
                });
            }
        })
    };

    html! {
        <>
            <header class="masthead">
                <h1>{ "why401" }</h1>
                <p class="tagline">
                    { "Paste the URL of a request that fails with 401 Unauthorized. \
                       Your browser sends the request itself and shows what it got back." }
                </p>
            </header>
            <main>
                <InspectForm
                    url={state.url.clone()}
                    busy={state.is_running()}
                    {on_edit}
                    {on_inspect}
                />
                <ReportView phase={state.phase.clone()} />
            </main>
            <footer class="colophon">
                <p>{ "No server of ours sees your request: it goes from this page straight to your endpoint." }</p>
            </footer>
        </>
    }
}
