//! The page's state and its transitions: pure, so it is tested natively.

use std::rc::Rc;

use why401_core::{TargetUrl, UrlProblem, parse_target_url};
use yew::Reducible;

use crate::probe::ProbeResult;

/// Where an inspection stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Idle,
    /// The URL was refused before anything was sent.
    Invalid(UrlProblem),
    Running {
        target: TargetUrl,
    },
    Done {
        target: TargetUrl,
        result: ProbeResult,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct InspectState {
    /// The URL box as typed.
    pub url: String,
    pub phase: Phase,
    /// Counts inspections, so that a late result of an earlier one is ignored.
    pub run: u32,
}

impl Default for InspectState {
    fn default() -> Self {
        InspectState {
            url: String::new(),
            phase: Phase::Idle,
            run: 0,
        }
    }
}

impl InspectState {
    pub fn is_running(&self) -> bool {
        matches!(self.phase, Phase::Running { .. })
    }

    /// What Inspect should do now: the checked target to probe, or the problem to show.
    pub fn plan(&self) -> Result<TargetUrl, UrlProblem> {
        parse_target_url(&self.url)
    }
}

pub enum Action {
    Edit(String),
    Refused(UrlProblem),
    Started(TargetUrl),
    Finished { run: u32, result: ProbeResult },
}

impl Reducible for InspectState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edit(url) => next.url = url,
            Action::Refused(problem) => next.phase = Phase::Invalid(problem),
            Action::Started(target) => {
                next.run = next.run.wrapping_add(1);
                next.phase = Phase::Running { target };
            }
            Action::Finished { run, result } => match next.phase {
                Phase::Running { target } if run == next.run => {
                    next.phase = Phase::Done { target, result };
                }
                _ => return self,
            },
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use why401_core::{Failure, FailureKind, ProbeOutcome};

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

    fn target() -> TargetUrl {
        parse_target_url("http://127.0.0.1:8081/s/x").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn state_plan_refuses_empty_url() {
        let state = InspectState::default();
        assert_eq!(state.plan(), Err(UrlProblem::Empty));
    }

    #[test]
    fn state_result_of_current_run_completes_it() {
        let state = Rc::new(InspectState::default()).reduce(Action::Started(target()));
        assert!(state.is_running());
        let run = state.run;
        let state = state.reduce(Action::Finished {
            run,
            result: result(),
        });
        assert!(matches!(state.phase, Phase::Done { .. }));
    }

    #[test]
    fn state_stale_result_is_ignored() {
        let state = Rc::new(InspectState::default())
            .reduce(Action::Started(target()))
            .reduce(Action::Started(target()));
        let state = state.reduce(Action::Finished {
            run: 1,
            result: result(),
        });
        assert!(
            state.is_running(),
            "the first run's result must not finish the second"
        );
    }

    #[test]
    fn state_refusal_replaces_previous_report() {
        let state =
            Rc::new(InspectState::default()).reduce(Action::Refused(UrlProblem::MissingHost));
        assert_eq!(state.phase, Phase::Invalid(UrlProblem::MissingHost));
    }
}
