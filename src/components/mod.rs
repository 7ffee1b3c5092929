//! One component per file. Components get plain data and `on_<event>` callbacks; they never call
//! `fetch`.

mod decoded;
mod inspect_form;
mod report_view;

pub use decoded::{Decoded, DecodedProps};
pub use inspect_form::{InspectForm, InspectFormProps};
pub use report_view::{ReportView, ReportViewProps};
