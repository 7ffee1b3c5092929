//! The cause catalogue. Each cause is one record in [`catalogue`](self) — id, family, title,
//! summary, how to check it, advice by audience, what it outranks — and everything else reads it
//! through [`CauseId`]'s accessors. The ids are stable kebab-case, shared by rules, lab scenarios,
//! tests and the DOM (`data-cause`): they may be added, never renamed.
//!
//! Each accessor is a function of its own, so the page carries only what it calls: the advice
//! (a third of the text) goes to `static/advice.json`, loaded after the first paint.

use std::fmt;

/// One server's way of doing the fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snippet {
    pub server: &'static str,
    /// For syntax colouring and the code block's label: `nginx`, `apache`, `js`, `python`, …
    pub language: &'static str,
    pub code: &'static str,
}

/// What to change, by audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Advice {
    /// The person in front of the browser.
    pub end_user: &'static str,
    /// The developer whose code makes the request.
    pub consumer: &'static str,
    /// Whoever runs the server.
    pub owner: &'static str,
    pub snippets: &'static [Snippet],
    /// RFCs and specifications, last.
    pub references: &'static [&'static str],
}

/// The catalogue's groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    Credentials,
    Tokens,
    Cookies,
    /// Server configuration.
    Server,
    Cors,
    Redirects,
    /// The network and the page's context.
    Network,
    /// Status codes that are not about authentication.
    Status,
    /// What no browser can see: offered as other possibilities, never found.
    NotDetectable,
}

/// Accessors of [`CauseId`], one `match` each: a function per field, so that the page carries only
/// the fields it reads.
macro_rules! accessors {
    ($($(#[$doc:meta])* $name:ident -> $ty:ty { $($variant:ident => $value:expr),* })*) => {
        $(
            $(#[$doc])*
            pub const fn $name(self) -> $ty {
                match self {
                    $(CauseId::$variant => $value,)*
                }
            }
        )*
    };
}

macro_rules! causes {
    ($(
        $variant:ident {
            id: $id:literal, family: $family:ident,
            title: $title:literal,
            summary: $summary:literal,
            check: $check:literal,
            end_user: $end_user:literal,
            consumer: $consumer:literal,
            owner: $owner:literal,
            snippets: $snippets:expr, references: [$($reference:expr),* $(,)?],
            $(outranks: [$($outranked:ident),* $(,)?],)?
        }
    )*) => {
        /// One cause of a failing authenticated request.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum CauseId {
            $($variant,)*
        }

        impl CauseId {
            /// Every cause, in catalogue order.
            pub const ALL: &'static [CauseId] = &[$(CauseId::$variant,)*];

            accessors! {
                /// The stable id, as written in `data-cause`.
                as_str -> &'static str { $($variant => $id),* }
                /// The cause in a few plain words, for a heading.
                title -> &'static str { $($variant => $title),* }
                family -> super::Family { $($variant => super::Family::$family),* }
                /// What goes wrong, in one sentence.
                summary -> &'static str { $($variant => $summary),* }
                /// How to make sure, beyond what a page can see.
                check -> &'static str { $($variant => $check),* }
                /// What to change, by audience.
                advice -> super::Advice { $($variant => super::Advice {
                    end_user: $end_user,
                    consumer: $consumer,
                    owner: $owner,
                    snippets: $snippets,
                    references: &[$($reference),*],
                }),* }
                /// The causes this one explains when both are found: they rank after it.
                outranks -> &'static [CauseId] {
                    $($variant => &[$($(CauseId::$outranked),*)?]),*
                }
            }

            /// The cause with this id, if there is one.
            pub fn from_id(id: &str) -> Option<CauseId> {
                match id {
                    $($id => Some(CauseId::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

mod catalogue;
mod snippets;

pub use catalogue::CauseId;

impl fmt::Display for CauseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::CauseId;

    #[test]
    fn cause_ids_round_trip_and_are_kebab_case() {
        for &cause in CauseId::ALL {
            let id = cause.as_str();
            assert_eq!(CauseId::from_id(id), Some(cause), "{id}");
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{id} is not kebab-case"
            );
        }
    }

    #[test]
    fn cause_ids_are_unique() {
        let mut ids: Vec<&str> = CauseId::ALL.iter().map(|c| c.as_str()).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len());
    }

    #[test]
    fn every_record_is_whole() {
        for &cause in CauseId::ALL {
            for (what, text) in [("summary", cause.summary()), ("check", cause.check())] {
                assert!(
                    text.len() > 20 && text.ends_with('.'),
                    "{cause} {what}: {text:?}"
                );
            }
            let outranks = cause.outranks();
            assert!(!outranks.contains(&cause), "{cause} outranks itself");
            for other in outranks {
                assert!(
                    !other.outranks().contains(&cause),
                    "{cause} and {other} outrank each other"
                );
            }
        }
    }

    #[test]
    fn cause_from_unknown_id_is_none() {
        assert_eq!(CauseId::from_id("Missing-Credentials"), None);
        assert_eq!(CauseId::from_id(""), None);
    }
}
