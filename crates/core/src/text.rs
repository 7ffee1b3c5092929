//! Characters that do not show: zero-width characters, bidirectional controls and other control
//! characters. A string from a link, a server, a paste or the form may hold them to look like
//! something it is not — a cookie named `s\u{200B}id` reads as `sid`, a realm `gnp.exe` after a
//! right-to-left override reads as `exe.png` — so every place that shows untrusted text shows
//! them as a visible mark instead (`U+202E`), and the diagnosis says when a name is not what it
//! looks like.
//!
//! # Background
//! Unicode Technical Standard #39 §4 ("Confusable Detection") and Unicode Technical Report #36
//! §2.1 ("Bidirectional Text Spoofing"); the bidirectional controls are those of UAX #9 §2
//! (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), the invisible ones those with the
//! property `Default_Ignorable_Code_Point` that no legitimate name needs.

use std::borrow::Cow;

/// The name of a character that does not show as itself, or `None` for one that does. Line
/// breaks (`\r\n` from curl among them) and tabs show as what they are and are not listed.
pub fn hidden_char(c: char) -> Option<&'static str> {
    Some(match c {
        '\n' | '\r' | '\t' => return None,
        '\u{0}'..='\u{1F}' | '\u{7F}' => "a control character",
        '\u{80}'..='\u{9F}' => "a C1 control character",
        '\u{AD}' => "SOFT HYPHEN",
        '\u{34F}' => "COMBINING GRAPHEME JOINER",
        '\u{61C}' => "ARABIC LETTER MARK",
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' => "a HANGUL FILLER",
        '\u{17B4}' | '\u{17B5}' => "a KHMER INHERENT VOWEL",
        '\u{180E}' => "MONGOLIAN VOWEL SEPARATOR",
        '\u{200B}' => "ZERO WIDTH SPACE",
        '\u{200C}' => "ZERO WIDTH NON-JOINER",
        '\u{200D}' => "ZERO WIDTH JOINER",
        '\u{200E}' => "LEFT-TO-RIGHT MARK",
        '\u{200F}' => "RIGHT-TO-LEFT MARK",
        '\u{2028}' => "LINE SEPARATOR",
        '\u{2029}' => "PARAGRAPH SEPARATOR",
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2060}' => "WORD JOINER",
        '\u{2061}'..='\u{2064}' => "an invisible operator",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        '\u{206A}'..='\u{206F}' => "a deprecated format character",
        '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE (byte order mark)",
        '\u{FFF9}'..='\u{FFFB}' => "an interlinear annotation character",
        '\u{E0000}'..='\u{E007F}' => "a TAG character",
        _ => return None,
    })
}

/// `U+202E`: how a hidden character is shown.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// Whether `text` holds a character that does not show as itself.
pub fn has_hidden(text: &str) -> bool {
    text.chars().any(|c| hidden_char(c).is_some())
}

/// A piece of text to show: visible text as it is, or one hidden character to mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Shown(&'a str),
    Hidden(char),
}

/// `text` cut into what shows as itself and the hidden characters between, in order.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (at, c) in text.char_indices() {
        if hidden_char(c).is_some() {
            if let Some(shown) = text.get(start..at).filter(|s| !s.is_empty()) {
                pieces.push(Piece::Shown(shown));
            }
            pieces.push(Piece::Hidden(c));
            start = at + c.len_utf8();
        }
    }
    if let Some(shown) = text.get(start..).filter(|s| !s.is_empty()) {
        pieces.push(Piece::Shown(shown));
    }
    pieces
}

/// `text` with every hidden character written as `⟨U+202E⟩`: for plain text (an export, a
/// sentence), where no mark can be drawn.
pub fn reveal(text: &str) -> Cow<'_, str> {
    if !has_hidden(text) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden_char(c).is_some() {
            shown.push('⟨');
            shown.push_str(&code_point(c));
            shown.push('⟩');
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

/// What `text` looks like on screen: without its hidden characters.
pub fn looks_like(text: &str) -> String {
    text.chars().filter(|c| hidden_char(*c).is_none()).collect()
}

/// The hidden characters of `text`, each once, in order of appearance, with their names:
/// `U+200B ZERO WIDTH SPACE`.
pub fn hidden_names(text: &str) -> Vec<String> {
    let mut seen: Vec<char> = Vec::new();
    for c in text.chars() {
        if hidden_char(c).is_some() && !seen.contains(&c) {
            seen.push(c);
        }
    }
    seen.into_iter()
        .map(|c| format!("{} {}", code_point(c), hidden_char(c).unwrap_or_default()))
        .collect()
}

/// A name that is not what it looks like: it holds characters that do not show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookalike {
    /// What the name is, in words: `cookie name`, `header name`, `challenge parameter`.
    pub what: &'static str,
    /// The name with its hidden characters written out (`s⟨U+200B⟩id`).
    pub revealed: String,
    /// What it shows as once the invisible ones are dropped (`sid`); bidirectional controls
    /// reorder what follows them, so this is how it reads only when there are none.
    pub looks_like: String,
    /// `U+200B ZERO WIDTH SPACE`, each once.
    pub hidden: Vec<String>,
    /// A bidirectional control is among them: the text reads in another order than it is.
    pub reorders: bool,
}

impl Lookalike {
    /// `Some` when `name` holds a hidden character.
    pub fn of(what: &'static str, name: &str) -> Option<Lookalike> {
        has_hidden(name).then(|| Lookalike {
            what,
            revealed: reveal(name).into_owned(),
            looks_like: looks_like(name),
            hidden: hidden_names(name),
            reorders: name.chars().any(is_bidi_control),
        })
    }
}

impl std::fmt::Display for Lookalike {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "The {} “{}” holds characters that do not show ({})",
            self.what,
            self.revealed,
            self.hidden.join(", ")
        )?;
        if self.reorders {
            f.write_str(
                ": on screen it reads in another order than it is sent, so it is not the name it seems.",
            )
        } else {
            write!(
                f,
                ": on screen it reads “{}”, yet it is another name — code that looks for “{}” does not find it.",
                self.looks_like, self.looks_like
            )
        }
    }
}

/// The bidirectional controls of UAX #9 §2.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{61C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_hidden_characters_are_named() {
        assert_eq!(hidden_char('\u{202E}'), Some("RIGHT-TO-LEFT OVERRIDE"));
        assert_eq!(hidden_char('\u{200B}'), Some("ZERO WIDTH SPACE"));
        assert_eq!(hidden_char('\u{1b}'), Some("a control character"));
        assert_eq!(hidden_char('\r'), None);
        assert_eq!(hidden_char('\u{E0041}'), Some("a TAG character"));
        for shown in ['a', ' ', '\n', '\t', 'é', '→', '\u{A0}', '😀'] {
            assert_eq!(hidden_char(shown), None, "{shown:?}");
        }
    }

    #[test]
    fn text_pieces_keep_every_character_in_order() {
        assert_eq!(
            pieces("s\u{200B}id"),
            [
                Piece::Shown("s"),
                Piece::Hidden('\u{200B}'),
                Piece::Shown("id")
            ]
        );
        assert_eq!(
            pieces("\u{202E}\u{2066}"),
            [Piece::Hidden('\u{202E}'), Piece::Hidden('\u{2066}')]
        );
        assert_eq!(pieces("plain"), [Piece::Shown("plain")]);
        assert!(pieces("").is_empty());
    }

    #[test]
    fn text_lookalike_names_what_does_not_show() {
        let cookie = Lookalike::of("cookie name", "s\u{200B}id").map(|l| l.to_string());
        assert_eq!(
            cookie.as_deref(),
            Some(
                "The cookie name “s⟨U+200B⟩id” holds characters that do not show (U+200B ZERO WIDTH SPACE): on screen it reads “sid”, yet it is another name — code that looks for “sid” does not find it."
            )
        );
        let realm = Lookalike::of("realm", "invoice-\u{202E}gnp.exe");
        assert!(realm.is_some_and(|l| l.reorders && l.to_string().contains("another order")));
        assert_eq!(Lookalike::of("realm", "api"), None);
    }

    #[test]
    fn text_reveal_marks_and_looks_like_strips() {
        let realm = "invoice-\u{202E}gnp.exe";
        assert_eq!(reveal(realm), "invoice-⟨U+202E⟩gnp.exe");
        assert_eq!(looks_like("s\u{200B}id"), "sid");
        assert!(matches!(reveal("sid"), Cow::Borrowed("sid")));
        assert_eq!(
            hidden_names("a\u{200B}b\u{200B}\u{202E}"),
            ["U+200B ZERO WIDTH SPACE", "U+202E RIGHT-TO-LEFT OVERRIDE"]
        );
    }
}
