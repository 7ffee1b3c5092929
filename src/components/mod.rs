//! One component per file. Components get plain data and `on_<event>` callbacks; they never call
//! `fetch`.

mod decoded;
mod file_drop;
mod inspect_form;
mod open_report;
mod report_view;
mod share_view;
mod shown;

pub use decoded::{Decoded, DecodedProps};
pub use file_drop::{FileDrop, FileDropProps};
pub use inspect_form::{InspectForm, InspectFormProps};
pub use open_report::{OpenReport, OpenReportProps};
pub use report_view::{ReportView, ReportViewProps};
pub use share_view::{ShareView, ShareViewProps};
pub use shown::{hidden_note, shown};

use std::ops::Deref;
use std::rc::Rc;

/// A value the components of one render share: passed without copying and compared by identity
/// (a report is built once per change of what it rests on), which also keeps a deep comparison
/// and copy of it out of the bundle.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Shared<T> {
        Shared(Rc::new(value))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
