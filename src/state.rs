//! The page's state and its transitions: pure, so it is tested natively.

use std::rc::Rc;

use why401_core::cors::CredentialsMode;
use why401_core::evidence::{Caller, EVIDENCE_VERSION, Evidence, PageContext, ProbeRecord};
use why401_core::explain::AdviceBook;
use why401_core::export::ReportError;
use why401_core::form::{FormReading, RequestForm, Sending, check_evidence};
use why401_core::plan::{PlanRefusal, PlannedProbe, ProbeKind, plan_probes};
use why401_core::request::RequestSpec;
use why401_core::share::ShareError;
use why401_core::{AddressClass, CauseId, TargetUrl};
use yew::Reducible;

use crate::probe::ProbeResult;

/// The form as typed: the request, and what was pasted beside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    pub request: RequestForm,
    /// The browser console's CORS error line, as pasted.
    pub console: String,
    /// The server's answer as `curl -i` (or DevTools) shows it, as pasted.
    pub pasted: String,
    /// Where the user's own request runs, when the user said.
    pub caller: Option<Caller>,
    /// The last command pasted into the exchange box, read into the form: which tool, and what
    /// the page will do otherwise than the command.
    pub command: Option<CommandRead>,
    /// The last HAR file pasted into the exchange box: its failed entries to pick from.
    pub har: Option<HarRead>,
}

/// A HAR file read from the exchange box.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HarRead {
    /// Who saved it.
    pub creator: String,
    pub entries: usize,
    /// It holds no credentials at all, though requests were refused: saved sanitized.
    pub sanitized: bool,
    /// Each failed entry: its number (from 1), a line naming it, and its exchange.
    pub failed: Vec<(usize, String, String)>,
    /// The failed entries that got no answer, by number: their request, to send again from the
    /// form, and why no answer came.
    pub unanswered: Vec<(usize, why401_core::command::CopiedRequest, String)>,
    /// What follows the entries in order: cookies stored and not sent, refreshes that raced.
    /// Each with the entry's number, the cause id, and its sentence.
    pub trail: Vec<(usize, &'static str, String)>,
}

/// A copied command the form now holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandRead {
    pub tool: &'static str,
    pub notes: Vec<String>,
}

impl Form {
    /// One edit of the form.
    fn edit(&mut self, field: Field) {
        match field {
            Field::Url(url) => self.request.url = url,
            Field::Method(method) => self.request.method = method,
            Field::Headers(headers) => self.request.headers = headers,
            Field::Body(body) => self.request.body = body,
            Field::Credentials(mode) => self.request.credentials = mode,
            Field::Timeout(timeout) => self.request.timeout = timeout,
            Field::Console(text) => self.console = text,
            Field::Pasted(text) => {
                // A copied command is a request to send: it fills the form, and the box is
                // free again for an exchange.
                if let Ok((tool, copied)) = why401_core::command::parse_command(&text) {
                    let (request, notes) = why401_core::command::to_form(&copied);
                    self.request = RequestForm {
                        timeout: self.request.timeout.clone(),
                        ..request
                    };
                    self.pasted = String::new();
                    self.command = Some(CommandRead {
                        tool: tool_name(tool),
                        notes,
                    });
                } else if let Some(har) = har_text(&text) {
                    self.har = Some(har);
                    self.pasted = String::new();
                    self.command = None;
                } else {
                    self.pasted = text;
                    self.command = None;
                }
            }
            Field::HarFile(har) => {
                self.har = Some(har);
                self.pasted = String::new();
                self.command = None;
            }
            Field::HarEntry(number) => {
                let unanswered = self
                    .har
                    .as_ref()
                    .and_then(|h| h.unanswered.iter().find(|(n, _, _)| *n == number));
                if let Some((_, copied, error)) = unanswered {
                    // Nothing came back to diagnose: the request goes in the form, for Inspect
                    // to send it again and see why.
                    let (request, mut notes) = why401_core::command::to_form(copied);
                    notes.insert(
                        0,
                        format!("No answer reached the page when it was recorded ({error})."),
                    );
                    self.request = RequestForm {
                        timeout: self.request.timeout.clone(),
                        ..request
                    };
                    self.pasted = String::new();
                    self.command = Some(CommandRead {
                        tool: "a request the HAR file recorded with no answer",
                        notes,
                    });
                } else if let Some((_, _, exchange)) = self
                    .har
                    .as_ref()
                    .and_then(|h| h.failed.iter().find(|(n, _, _)| *n == number))
                {
                    self.pasted = exchange.clone();
                }
            }
            Field::Caller(kind) => {
                let origin = match &self.caller {
                    Some(Caller::Page { origin }) => origin.clone(),
                    _ => None,
                };
                self.caller = match kind.as_str() {
                    "page" => Some(Caller::Page { origin }),
                    "outside" => Some(Caller::Outside),
                    _ => None,
                };
            }
            Field::CallerOrigin(text) => {
                self.caller = Some(Caller::Page {
                    origin: Some(text).filter(|t| !t.trim().is_empty()),
                });
            }
        }
    }

    /// The form that sends `request` again, with what was pasted beside it.
    fn from_evidence(evidence: &Evidence) -> Form {
        Form {
            request: RequestForm::from_spec(&evidence.request),
            console: evidence.console_line.clone().unwrap_or_default(),
            pasted: evidence.pasted.clone().unwrap_or_default(),
            caller: evidence.caller.clone(),
            command: None,
            har: None,
        }
    }
}

/// A HAR file's failed entries, when `text` is one.
fn har_text(text: &str) -> Option<HarRead> {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('{') || !trimmed.contains("\"log\"") {
        return None;
    }
    why401_core::har::parse_har(text)
        .ok()
        .map(|har| har_read(&har))
}

/// What the page shows of a HAR file: its failed entries, and what follows across them.
pub fn har_read(har: &why401_core::har::Har) -> HarRead {
    let failed = har
        .failures()
        .into_iter()
        .filter_map(|(at, failure)| {
            let entry = har.entries.get(at)?;
            let line = format!("{} {} — {failure}", entry.method, entry.url);
            Some((at + 1, line, har.exchange(at)?))
        })
        .collect();
    let unanswered = har
        .failures()
        .into_iter()
        .filter_map(|(at, failure)| match failure {
            why401_core::har::EntryFailure::NoAnswer(error) => {
                Some((at + 1, har.entries.get(at)?.request(), error))
            }
            _ => None,
        })
        .collect();
    let trail = har
        .cookie_trail()
        .into_iter()
        .chain(har.refresh_races())
        .map(|note| (note.entry + 1, note.cause.as_str(), note.sentence))
        .collect();
    HarRead {
        creator: har.creator.clone(),
        entries: har.entries.len(),
        sanitized: har.looks_sanitized(),
        failed,
        unanswered,
        trail,
    }
}

/// The tool a command came from, in words.
fn tool_name(tool: why401_core::command::Tool) -> &'static str {
    use why401_core::command::{Dialect, Tool};
    match tool {
        Tool::Curl(Dialect::Posix) => "a curl command",
        Tool::Curl(Dialect::Cmd) => "a curl command for Windows' cmd",
        Tool::PowerShell => "a PowerShell Invoke-WebRequest",
        Tool::Fetch => "a fetch() call",
    }
}

/// One edit of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// A failed entry of the pasted HAR file, by its number: its exchange goes in the box.
    HarEntry(usize),
    /// A HAR file opened from disk, read.
    HarFile(HarRead),
    Url(String),
    Method(String),
    Headers(String),
    Body(String),
    Credentials(CredentialsMode),
    Timeout(String),
    Console(String),
    Pasted(String),
    /// `page`, `outside`, or anything else for not said.
    Caller(String),
    /// The origin of the user's web app.
    CallerOrigin(String),
}

/// One row of the probe list: a probe still out, or what it saw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Slot<'a> {
    Waiting(&'a PlannedProbe),
    Back(&'a ProbeRecord),
}

/// An inspection under way or finished: the evidence itself, as the probes come back.
#[derive(Debug, Clone, PartialEq)]
pub struct Inspection {
    pub target: TargetUrl,
    /// The request, the page, when the probes were sent (`captured_at`), and the probes back
    /// so far, in the order of the plan. What was pasted is the form's, added when it is read.
    pub evidence: Evidence,
    /// The probes still out, each with its place in the plan.
    pub waiting: Vec<(usize, PlannedProbe)>,
    /// The Local Network Access permission is read once the probes are back (a refused request
    /// turns it to `denied`); until then the evidence is incomplete.
    pub permission_pending: bool,
    /// The user stopped the probes.
    pub stopped: bool,
    /// Read from a share link: nothing was sent from this page.
    pub shared: bool,
    /// Which inspection of this page this is ([`InspectState::run`]): what is chosen for one
    /// report (a secret to share as it is) must not carry over to the next.
    pub run: u32,
}

impl Inspection {
    /// The finished inspection a share link carries, when it shows what a re-run sends.
    fn from_evidence(evidence: Evidence, run: u32) -> Result<Inspection, Unopened> {
        let target = check_evidence(&evidence).map_err(|contradiction| Unopened {
            kind: contradiction.kind(),
            message: contradiction.to_string(),
        })?;
        Ok(Inspection {
            target,
            // What was pasted lives in the form (which the report reads it from), not twice.
            evidence: Evidence {
                console_line: None,
                pasted: None,
                caller: None,
                ..evidence
            },
            waiting: Vec::new(),
            permission_pending: false,
            stopped: false,
            shared: true,
            run,
        })
    }

    pub fn is_complete(&self) -> bool {
        !self.permission_pending && self.probes_back()
    }

    pub fn probes_back(&self) -> bool {
        self.waiting.is_empty()
    }

    /// The evidence, once every probe is back, with the console line and the server's answer the
    /// user pasted (the form's; the report follows them as they are edited).
    pub fn evidence(&self, console_line: &str, pasted: &str) -> Option<Evidence> {
        if !self.probes_back() {
            return None;
        }
        Some(Evidence {
            console_line: Some(console_line.to_owned()).filter(|t| !t.trim().is_empty()),
            pasted: Some(pasted.to_owned()).filter(|t| !t.trim().is_empty()),
            ..self.evidence.clone()
        })
    }

    /// What the probes (and what was pasted) say, once every probe is back.
    #[cfg(test)]
    pub fn inference(
        &self,
        console_line: &str,
        pasted: &str,
    ) -> Option<why401_core::infer::Inference> {
        self.evidence(console_line, pasted)
            .map(|evidence| why401_core::infer::infer(&evidence))
    }

    /// What the user's own request saw, once it is back.
    pub fn as_given(&self) -> Option<&ProbeRecord> {
        self.evidence.probe(ProbeKind::AsGiven)
    }

    /// Every probe of the plan, in its order: out, or back with what it saw.
    pub fn slots(&self) -> Vec<Slot<'_>> {
        let mut back = self.evidence.probes.iter();
        let total = self.evidence.probes.len() + self.waiting.len();
        (0..total)
            .filter_map(
                |index| match self.waiting.iter().find(|(at, _)| *at == index) {
                    Some((_, planned)) => Some(Slot::Waiting(planned)),
                    None => back.next().map(Slot::Back),
                },
            )
            .collect()
    }

    /// Records the result of the probe at `index` of the plan; false when it is not out.
    fn finish(&mut self, index: usize, result: ProbeResult) -> bool {
        let Some(at) = self.waiting.iter().position(|(i, _)| *i == index) else {
            return false;
        };
        // The records before it in the plan: every earlier index not still out.
        let before = index - self.waiting.iter().filter(|(i, _)| *i < index).count();
        let (_, planned) = self.waiting.remove(at);
        let record = ProbeRecord {
            kinds: planned.kinds,
            sent: planned.request,
            outcome: result.outcome,
            elapsed_ms: result.elapsed_ms,
        };
        self.evidence
            .probes
            .insert(before.min(self.evidence.probes.len()), record);
        true
    }
}

/// The fixes, loaded after the first paint.
#[derive(Debug, Clone)]
pub enum Advice {
    Loading,
    Ready(Rc<AdviceBook>),
    Failed,
}

impl PartialEq for Advice {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Advice::Ready(a), Advice::Ready(b)) => Rc::ptr_eq(a, b),
            (Advice::Loading, Advice::Loading) | (Advice::Failed, Advice::Failed) => true,
            _ => false,
        }
    }
}

/// Why the form cannot be sent: a sentence, and the catalogue cause when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub cause: Option<CauseId>,
    pub message: String,
}

impl Refusal {
    fn of(message: &impl ToString) -> Refusal {
        Refusal {
            cause: None,
            message: message.to_string(),
        }
    }
}

/// Where the page stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Idle,
    /// The form was refused before anything was sent; one sentence per problem.
    Invalid(Vec<Refusal>),
    /// An unsafe method waits for the user's explicit yes, told what it sends.
    Confirm {
        sending: Sending,
    },
    Inspecting(Box<Inspection>),
    /// A link or a report file that is not a result the page can show.
    LinkRefused(Unopened),
}

/// Why a shared result was not opened: a sentence, and a stable name for `data-link-error`
/// ([`ShareError::kind`], [`ReportError::kind`], or `request` when the request inside cannot be
/// read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unopened {
    pub kind: &'static str,
    pub message: String,
}

impl From<ShareError> for Unopened {
    fn from(error: ShareError) -> Unopened {
        Unopened {
            kind: error.kind(),
            message: error.to_string(),
        }
    }
}

impl From<ReportError> for Unopened {
    fn from(error: ReportError) -> Unopened {
        Unopened {
            kind: error.kind(),
            message: error.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct InspectState {
    pub form: Form,
    pub phase: Phase,
    /// Counts inspections, so that a late result of an earlier one is ignored.
    pub run: u32,
}

impl Default for InspectState {
    fn default() -> Self {
        InspectState {
            form: Form::default(),
            phase: Phase::Idle,
            run: 0,
        }
    }
}

/// What Inspect should do with the form.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    Send {
        target: TargetUrl,
        spec: RequestSpec,
        probes: Vec<PlannedProbe>,
    },
    /// An unsafe method: the user confirms before it is sent.
    Confirm {
        target: TargetUrl,
        spec: RequestSpec,
    },
    Refuse(Vec<Refusal>),
}

impl InspectState {
    pub fn is_running(&self) -> bool {
        matches!(&self.phase, Phase::Inspecting(inspection) if !inspection.is_complete())
    }

    /// Checks the form and plans the probes; `unsafe_confirmed` is the user's yes to sending an
    /// unsafe method once.
    pub fn plan(&self, unsafe_confirmed: bool) -> Plan {
        let FormReading {
            target,
            spec,
            problems,
        } = self.form.request.read();
        let mut refusals = Vec::new();
        if let Err(problem) = &target {
            refusals.push(Refusal {
                cause: Some(CauseId::InvalidUrl),
                message: problem.to_string(),
            });
        }
        refusals.extend(problems.iter().map(Refusal::of));
        let Ok(target) = target else {
            return Plan::Refuse(refusals);
        };
        if !refusals.is_empty() {
            return Plan::Refuse(refusals);
        }
        match plan_probes(&spec, unsafe_confirmed) {
            Ok(probes) => Plan::Send {
                target,
                spec,
                probes,
            },
            Err(PlanRefusal::NeedsConfirmation { .. }) => Plan::Confirm { target, spec },
        }
    }
}

/// Why a pasted exchange cannot be diagnosed alone.
const NO_PASTE: &str = "Paste what curl -v or curl -i printed, a raw HTTP request and response, or DevTools' request and response headers.";
const NO_URL: &str = "The paste has no request line with a Host, so it does not say where the request went: type the URL above, or paste what curl -v printed, which shows it.";

impl InspectState {
    /// Shows the exchange pasted on the first screen as a report of its own, nothing sent.
    fn open_pasted(
        &mut self,
        target: TargetUrl,
        spec: RequestSpec,
        context: PageContext,
        captured_at: i64,
    ) {
        self.run = self.run.wrapping_add(1);
        // The form now shows the pasted request: Inspect sends it for real.
        self.form.request = RequestForm::from_spec(&spec);
        self.phase = Phase::Inspecting(Box::new(Inspection {
            target,
            // What was pasted lives in the form, which the report reads it from.
            evidence: Evidence {
                pasted: None,
                ..Evidence::pasted_only(spec, context, captured_at, String::new())
            },
            waiting: Vec::new(),
            permission_pending: false,
            stopped: false,
            shared: false,
            run: self.run,
        }));
    }

    /// The request and target of the exchange pasted on the first screen, or why there is none.
    pub fn paste_plan(&self) -> Result<(TargetUrl, RequestSpec), Refusal> {
        let pasted =
            why401_core::pasted::parse_pasted(&self.form.pasted).map_err(
                |problem| match problem {
                    why401_core::pasted::PasteProblem::Empty => {
                        Refusal::of(&format!("{problem} {NO_PASTE}"))
                    }
                    other @ why401_core::pasted::PasteProblem::NoResponse => Refusal::of(&other),
                },
            )?;
        why401_core::form::request_from_paste(&pasted, &self.form.request)
            .ok_or_else(|| Refusal::of(&NO_URL))
    }
}

pub enum Action {
    Edit(Field),
    Refused(Vec<Refusal>),
    AskConfirmation {
        sending: Sending,
    },
    /// Back to an empty report (the user declined to send an unsafe method).
    Reset,
    Started {
        target: TargetUrl,
        spec: RequestSpec,
        context: PageContext,
        started_at: i64,
        probes: Vec<PlannedProbe>,
    },
    ProbeFinished {
        run: u32,
        index: usize,
        result: ProbeResult,
    },
    /// The Local Network Access permission as the page reads it after the probes.
    PermissionRead {
        run: u32,
        state: Option<String>,
    },
    /// The user asked to stop the probes; their results arrive as aborted.
    Stop,
    /// A share link (the page's fragment) or a JSON report was opened: what it carries.
    OpenShared(Result<Evidence, Unopened>),
    /// The exchange pasted on the first screen is diagnosed as it is, nothing sent.
    PastedOnly {
        target: TargetUrl,
        spec: RequestSpec,
        context: PageContext,
        captured_at: i64,
    },
}

impl Reducible for InspectState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edit(field) => next.form.edit(field),
            Action::Refused(problems) => next.phase = Phase::Invalid(problems),
            Action::AskConfirmation { sending } => next.phase = Phase::Confirm { sending },
            Action::Reset => next.phase = Phase::Idle,
            Action::Started {
                target,
                spec,
                context,
                started_at,
                probes,
            } => {
                next.run = next.run.wrapping_add(1);
                next.phase = Phase::Inspecting(Box::new(Inspection {
                    permission_pending: target.address_class != AddressClass::Public,
                    stopped: false,
                    shared: false,
                    run: next.run,
                    target,
                    evidence: Evidence {
                        version: EVIDENCE_VERSION,
                        captured_at: started_at,
                        request: spec,
                        context,
                        probes: Vec::new(),
                        console_line: None,
                        pasted: None,
                        caller: None,
                    },
                    waiting: probes.into_iter().enumerate().collect(),
                }));
            }
            Action::ProbeFinished { run, index, result } => {
                let Phase::Inspecting(inspection) = &mut next.phase else {
                    return self;
                };
                if run != next.run || !inspection.finish(index, result) {
                    return self;
                }
            }
            Action::PermissionRead { run, state } => {
                let Phase::Inspecting(inspection) = &mut next.phase else {
                    return self;
                };
                if run != next.run || !inspection.permission_pending {
                    return self;
                }
                inspection.evidence.context.local_network_permission = state;
                inspection.permission_pending = false;
            }
            Action::Stop => {
                let Phase::Inspecting(inspection) = &mut next.phase else {
                    return self;
                };
                if inspection.probes_back() {
                    return self;
                }
                inspection.stopped = true;
            }
            Action::PastedOnly {
                target,
                spec,
                context,
                captured_at,
            } => next.open_pasted(target, spec, context, captured_at),
            Action::OpenShared(Err(unopened)) => next.phase = Phase::LinkRefused(unopened),
            Action::OpenShared(Ok(evidence)) => {
                let form = Form::from_evidence(&evidence);
                // Results of a live run still under way are ignored from here on.
                let run = next.run.wrapping_add(1);
                match Inspection::from_evidence(evidence, run) {
                    Ok(inspection) => {
                        next.run = run;
                        next.form = form;
                        next.phase = Phase::Inspecting(Box::new(inspection));
                    }
                    Err(unopened) => next.phase = Phase::LinkRefused(unopened),
                }
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use why401_core::{Failure, FailureKind, ProbeOutcome, UrlProblem};

    fn result() -> ProbeResult {
        ProbeResult {
            outcome: ProbeOutcome::Failed(Failure {
                kind: FailureKind::Network,
                error_name: "TypeError".into(),
                message: "Failed to fetch".into(),
            }),
            elapsed_ms: 3.0,
        }
    }

    fn with_form(edit: impl FnOnce(&mut Form)) -> InspectState {
        let mut state = InspectState::default();
        state.form.request.url = "http://127.0.0.1:8081/s/x".into();
        edit(&mut state.form);
        state
    }

    fn started(state: InspectState) -> Rc<InspectState> {
        let Plan::Send {
            target,
            spec,
            probes,
        } = state.plan(false)
        else {
            panic!("expected a plan");
        };
        let context = PageContext {
            origin: "http://127.0.0.1:8080".into(),
            secure_context: true,
            cookies_enabled: true,
            target_secure: target.secure,
            target_address: target.address_class,
            local_network_permission: None,
            user_agent: String::new(),
        };
        Rc::new(state).reduce(Action::Started {
            target,
            spec,
            context,
            started_at: 0,
            probes,
        })
    }

    /// `state` once every probe of its inspection came back (failed).
    fn probes_back(mut state: Rc<InspectState>) -> Rc<InspectState> {
        let (run, count) = match &state.phase {
            Phase::Inspecting(i) => (state.run, i.waiting.len()),
            other => panic!("{other:?}"),
        };
        for index in 0..count {
            state = state.reduce(Action::ProbeFinished {
                run,
                index,
                result: result(),
            });
        }
        state
    }

    #[test]
    fn state_plan_refuses_empty_url() {
        let state = InspectState::default();
        assert_eq!(
            state.plan(false),
            Plan::Refuse(vec![Refusal {
                cause: Some(CauseId::InvalidUrl),
                message: UrlProblem::Empty.to_string()
            }])
        );
    }

    #[test]
    fn state_plan_lists_every_form_problem() {
        let state = with_form(|f| {
            f.request.headers = "Cookie: a=b\nnope".into();
            f.request.timeout = "0".into();
        });
        let Plan::Refuse(problems) = state.plan(false) else {
            panic!("expected a refusal");
        };
        assert_eq!(problems.len(), 3, "{problems:?}");
    }

    #[test]
    fn state_plan_asks_before_an_unsafe_method() {
        let state = with_form(|f| f.request.method = "DELETE".into());
        assert!(
            matches!(state.plan(false), Plan::Confirm { spec, target } if spec.method == "DELETE" && target.host == "127.0.0.1")
        );
        assert!(matches!(state.plan(true), Plan::Send { .. }));
    }

    #[test]
    fn state_plan_carries_headers_credentials_and_timeout() {
        let state = with_form(|f| {
            f.request.headers = "Authorization: Bearer abc".into();
            f.request.credentials = CredentialsMode::Include;
            f.request.timeout = "2.5".into();
        });
        let Plan::Send { spec, probes, .. } = state.plan(false) else {
            panic!("expected a plan");
        };
        assert_eq!(spec.timeout_ms, 2500);
        assert_eq!(
            spec.headers,
            [("Authorization".to_owned(), "Bearer abc".to_owned())]
        );
        assert!(probes.len() >= 5);
    }

    #[test]
    fn state_completes_when_every_probe_is_back() {
        let state = started(with_form(|_| {}));
        assert!(state.is_running());
        let state = probes_back(state);
        let run = state.run;
        // A loopback target: the permission is read after the probes.
        assert!(state.is_running());
        let late = state.clone().reduce(Action::PermissionRead {
            run: run.wrapping_sub(1),
            state: None,
        });
        assert!(late.is_running());
        let denied = state.clone().reduce(Action::PermissionRead {
            run,
            state: Some("denied".into()),
        });
        let state = state.reduce(Action::PermissionRead {
            run,
            state: Some("prompt".into()),
        });
        assert!(!state.is_running());
        let hypotheses = |state: &InspectState| {
            let Phase::Inspecting(inspection) = &state.phase else {
                panic!("inspecting");
            };
            assert!(inspection.is_complete());
            inspection.inference("", "").map(|i| {
                i.explanations
                    .iter()
                    .map(|x| x.hypothesis)
                    .collect::<Vec<_>>()
            })
        };
        // Every probe failed, the no-cors one too: nothing answered …
        assert_eq!(
            hypotheses(&state),
            Some(vec![why401_core::infer::Hypothesis::Unreachable])
        );
        // … unless the browser refused to let the requests out.
        assert_eq!(
            hypotheses(&denied),
            Some(vec![why401_core::infer::Hypothesis::LocalNetworkAccess])
        );
    }

    #[test]
    fn state_a_har_entry_that_got_no_answer_fills_the_form() {
        let har = r#"{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[
          {"startedDateTime":"2026-01-01T00:00:00Z","request":{"method":"GET","url":"https://api.example/v1/me","headers":[{"name":"Origin","value":"https://app.example"},{"name":"Authorization","value":"Bearer t"}]},
           "response":{"status":0,"statusText":"","headers":[],"redirectURL":"","content":{"size":0}},"_error":"net::ERR_FAILED"},
          {"startedDateTime":"2026-01-01T00:00:01Z","request":{"method":"GET","url":"https://api.example/v1/you","headers":[{"name":"Authorization","value":"Bearer t"}]},
           "response":{"status":401,"statusText":"Unauthorized","headers":[],"redirectURL":"","content":{"size":0}}}
        ]}}"#;
        let state =
            Rc::new(InspectState::default()).reduce(Action::Edit(Field::Pasted(har.into())));
        let state = state.reduce(Action::Edit(Field::HarEntry(1)));
        assert_eq!(state.form.request.url, "https://api.example/v1/me");
        assert_eq!(state.form.request.headers, "Authorization: Bearer t");
        assert!(state.form.pasted.is_empty());
        let notes = state.form.command.as_ref().map(|c| c.notes.clone());
        assert!(
            notes
                .as_ref()
                .and_then(|n| n.first())
                .is_some_and(|n| n.contains("net::ERR_FAILED")),
            "{notes:?}"
        );
        // An entry that was answered goes in the box, to be diagnosed as pasted.
        let state = state.reduce(Action::Edit(Field::HarEntry(2)));
        assert!(
            state
                .form
                .pasted
                .starts_with("GET https://api.example/v1/you")
        );
    }

    #[test]
    fn state_a_pasted_command_fills_the_form() {
        let state = Rc::new(InspectState::default()).reduce(Action::Edit(Field::Pasted(
            "curl 'https://api.example/v1/me' -X PUT -H 'Authorization: Bearer t' --data-raw 'x=1'"
                .into(),
        )));
        assert_eq!(state.form.request.url, "https://api.example/v1/me");
        assert_eq!(state.form.request.method, "PUT");
        assert_eq!(
            state.form.request.headers,
            "Authorization: Bearer t\nContent-Type: application/x-www-form-urlencoded"
        );
        assert_eq!(state.form.request.body, "x=1");
        assert!(state.form.pasted.is_empty());
        assert_eq!(
            state.form.command.as_ref().map(|c| c.tool),
            Some("a curl command")
        );
        // An exchange stays an exchange.
        let state = state.reduce(Action::Edit(Field::Pasted("HTTP/1.1 401".into())));
        assert_eq!(state.form.pasted, "HTTP/1.1 401");
        assert_eq!(state.form.command, None);
        assert_eq!(state.form.request.url, "https://api.example/v1/me");
    }

    #[test]
    fn state_pasted_text_follows_the_form_into_the_report() {
        let state = probes_back(started(with_form(|_| {})));
        let line = |state: &InspectState| {
            let Phase::Inspecting(inspection) = &state.phase else {
                panic!("inspecting");
            };
            inspection
                .evidence(&state.form.console, &state.form.pasted)
                .map(|e| (e.console_line, e.pasted))
        };
        let state = state.reduce(Action::Edit(Field::Console("Access to fetch".into())));
        assert_eq!(line(&state), Some((Some("Access to fetch".into()), None)));
        let state = state.reduce(Action::Edit(Field::Pasted("HTTP/1.1 401".into())));
        assert_eq!(
            line(&state),
            Some((Some("Access to fetch".into()), Some("HTTP/1.1 401".into())))
        );
        let state = state.reduce(Action::Edit(Field::Console(" \n".into())));
        let state = state.reduce(Action::Edit(Field::Pasted(String::new())));
        assert_eq!(line(&state), Some((None, None)));
    }

    #[test]
    fn state_opens_a_shared_result_as_it_was_captured() {
        let state = probes_back(started(with_form(|f| {
            f.request.headers = "Authorization: Bearer abc\nX-Trace: 1".into();
            f.request.timeout = "2.5".into();
        })));
        let run = state.run;
        let state = state.reduce(Action::PermissionRead { run, state: None });
        let Phase::Inspecting(inspection) = &state.phase else {
            panic!("inspecting");
        };
        let evidence = inspection
            .evidence("Access to fetch at 'x'", "HTTP/1.1 401")
            .unwrap_or_else(|| panic!("complete"));
        let opened =
            Rc::new(InspectState::default()).reduce(Action::OpenShared(Ok(evidence.clone())));
        let Phase::Inspecting(shared) = &opened.phase else {
            panic!("{:?}", opened.phase);
        };
        assert!(shared.shared && shared.is_complete() && !opened.is_running());
        assert_eq!(
            shared.evidence(&opened.form.console, &opened.form.pasted),
            Some(evidence)
        );
        // The form sends the same request again.
        assert_eq!(opened.form.request.headers, state.form.request.headers);
        assert_eq!(opened.form.request.timeout, "2.5");
        assert!(
            matches!(opened.plan(false), Plan::Send { spec, .. } if spec == shared.evidence.request)
        );
    }

    #[test]
    fn state_refuses_a_link_that_shows_one_request_and_sends_another() {
        let state = probes_back(started(with_form(|f| {
            f.request.credentials = CredentialsMode::Omit;
        })));
        let Phase::Inspecting(inspection) = &state.phase else {
            panic!("inspecting");
        };
        let mut evidence = inspection
            .evidence("", "")
            .unwrap_or_else(|| panic!("complete"));
        evidence.request.credentials = CredentialsMode::Include;
        let opened = Rc::new(InspectState::default()).reduce(Action::OpenShared(Ok(evidence)));
        let Phase::LinkRefused(unopened) = &opened.phase else {
            panic!("{:?}", opened.phase);
        };
        assert_eq!(unopened.kind, "contradiction");
        assert!(
            unopened.message.contains("credentials"),
            "{}",
            unopened.message
        );
        // The form keeps what it had: nothing of the link reaches Re-run.
        assert_eq!(opened.form, Form::default());
    }

    #[test]
    fn state_names_a_link_it_cannot_open() {
        let state = Rc::new(InspectState::default())
            .reduce(Action::OpenShared(Err(ShareError::Damaged.into())));
        assert_eq!(
            state.phase,
            Phase::LinkRefused(Unopened {
                kind: "damaged",
                message: ShareError::Damaged.to_string()
            })
        );
    }

    #[test]
    fn state_stop_marks_a_running_inspection_only() {
        let state = started(with_form(|_| {}));
        let state = state.reduce(Action::Stop);
        assert!(matches!(&state.phase, Phase::Inspecting(i) if i.stopped));
        assert_eq!(
            Rc::new(InspectState::default()).reduce(Action::Stop).phase,
            Phase::Idle
        );
    }

    #[test]
    fn state_incomplete_inspection_has_no_inference_yet() {
        let state = started(with_form(|_| {}));
        let Phase::Inspecting(inspection) = &state.phase else {
            panic!("inspecting");
        };
        assert!(inspection.evidence("", "").is_none());
        assert!(inspection.inference("", "").is_none());
    }

    #[test]
    fn state_probes_back_in_any_order_are_kept_in_the_plan_order() {
        let state = started(with_form(|_| {}));
        let (run, planned) = match &state.phase {
            Phase::Inspecting(i) => (
                state.run,
                i.waiting
                    .iter()
                    .map(|(_, p)| p.kinds.clone())
                    .collect::<Vec<_>>(),
            ),
            other => panic!("{other:?}"),
        };
        assert!(planned.len() > 2, "{planned:?}");
        let mut state = state;
        for index in (0..planned.len()).rev() {
            state = state.reduce(Action::ProbeFinished {
                run,
                index,
                result: result(),
            });
            let Phase::Inspecting(inspection) = &state.phase else {
                panic!("inspecting");
            };
            // Every row stays in its place, out or back.
            let rows: Vec<_> = inspection
                .slots()
                .into_iter()
                .map(|slot| match slot {
                    Slot::Waiting(p) => p.kinds.clone(),
                    Slot::Back(r) => r.kinds.clone(),
                })
                .collect();
            assert_eq!(rows, planned);
        }
        let Phase::Inspecting(inspection) = &state.phase else {
            panic!("inspecting");
        };
        let back: Vec<_> = inspection
            .evidence
            .probes
            .iter()
            .map(|r| r.kinds.clone())
            .collect();
        assert_eq!(back, planned);
        // A result for a probe already back changes nothing.
        let again = state.clone().reduce(Action::ProbeFinished {
            run,
            index: 0,
            result: result(),
        });
        assert!(Rc::ptr_eq(&again, &state));
    }

    #[test]
    fn state_stale_result_is_ignored() {
        let first = started(with_form(|_| {}));
        let second = started((*first).clone());
        let state = second.reduce(Action::ProbeFinished {
            run: first.run,
            index: 0,
            result: result(),
        });
        let Phase::Inspecting(inspection) = &state.phase else {
            panic!("inspecting");
        };
        assert!(inspection.evidence.probes.is_empty());
    }
}
