//! why401's pure knowledge. No I/O, no browser: everything here is a function of its inputs,
//! tested natively.
//!
//! Parsers never give up on user or server data: they return a value or a problem with a human
//! sentence, never a panic.
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

pub mod cause;
pub mod command;
pub mod console;
pub mod cookie;
pub mod cors;
pub mod diagnose;
mod encoding;
pub mod evidence;
pub mod explain;
pub mod export;
pub mod form;
pub mod har;
pub mod header;
pub mod infer;
pub mod observation;
pub mod pasted;
pub mod plan;
pub mod redact;
pub mod report;
pub mod request;
pub mod share;
pub mod target;
pub mod text;
pub mod time;
pub mod token;

pub use cause::CauseId;
pub use cors::CorsError;
pub use observation::{
    Failure, FailureKind, ProbeOutcome, ResponseSeen, ResponseType, body_excerpt,
};
pub use target::{AddressClass, TargetUrl, UrlProblem, parse_target_url};
