//! Untrusted text as it is, with what does not show made visible: each zero-width, bidirectional
//! or control character becomes a marked `U+202E`, so that a name never reads as another.

use why401_core::text::{Piece, code_point, has_hidden, hidden_char, hidden_names, pieces, reveal};

/// The most hidden characters one text draws as marks.
const MARKS_AT_MOST: usize = 64;
use yew::prelude::*;

/// `text` as a text node, or, when it holds hidden characters, text nodes with each hidden
/// character drawn as a `<mark>` naming its code point.
pub fn shown(text: &str) -> Html {
    if !has_hidden(text) {
        return html! { { text.to_owned() } };
    }
    // Past a few marks, one text node with `⟨U+200B⟩` written out: a text full of hidden
    // characters must not become a node each.
    if text
        .chars()
        .filter(|c| hidden_char(*c).is_some())
        .nth(MARKS_AT_MOST)
        .is_some()
    {
        return html! { { reveal(text).into_owned() } };
    }
    html! {
        <>
            { for pieces(text).into_iter().map(|piece| match piece {
                Piece::Shown(part) => html! { { part.to_owned() } },
                Piece::Hidden(c) => {
                    let point = code_point(c);
                    html! {
                        <mark class="hidden-char" data-code-point={point.clone()}
                              title={format!("{point} {}: invisible", hidden_char(c).unwrap_or_default())}>
                            { point }
                        </mark>
                    }
                }
            }) }
        </>
    }
}

/// A note under a text box that holds hidden characters (a box cannot mark them itself).
pub fn hidden_note(field: &'static str, text: &str) -> Html {
    if !has_hidden(text) {
        return Html::default();
    }
    html! {
        <p class="hint hidden-note" role="note" data-hidden-in={field}>
            { format!(
                "This box holds characters that do not show: {}. They are marked where the text is shown below.",
                hidden_names(text).join(", ")
            ) }
        </p>
    }
}
