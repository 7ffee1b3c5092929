use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct InspectFormProps {
    pub url: String,
    pub busy: bool,
    pub on_edit: Callback<String>,
    pub on_inspect: Callback<()>,
}

/// The URL box and the Inspect button. Enter in the box inspects (it is a form).
#[component]
pub fn InspectForm(props: &InspectFormProps) -> Html {
    let oninput = props
        .on_edit
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
    let onsubmit = props
        .on_inspect
        .reform(|e: SubmitEvent| e.prevent_default());
    html! {
        <form class="inspect" {onsubmit} novalidate=true>
            <label for="url">{ "URL of the failing request" }</label>
            <div class="inspect-row">
                <input
                    id="url"
                    name="url"
                    type="url"
                    inputmode="url"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="https://api.example.com/v1/me"
                    value={props.url.clone()}
                    {oninput}
                />
                <button id="inspect" type="submit" disabled={props.busy}>
                    { if props.busy { "Inspecting…" } else { "Inspect" } }
                </button>
            </div>
        </form>
    }
}
