//! Rule: the CORS and network inference's explanations, as findings. The pasted answer settles
//! a challenge the page could not read.

use super::Finding;
use crate::cause::{CauseId, Family};
use crate::evidence::Caller;
use crate::infer::{Confidence, Hypothesis, Inference};
use crate::observation::ResponseSeen;

/// The CORS findings for a request the user says runs outside a browser: this page was refused
/// the answer, which says nothing about the user's own client — one finding that says so, in
/// place of the explanations of why a page is refused.
pub(super) fn for_caller(findings: Vec<Finding>, caller: Option<&Caller>) -> Vec<Finding> {
    if caller != Some(&Caller::Outside) {
        return findings;
    }
    let (cors, others): (Vec<Finding>, Vec<Finding>) = findings
        .into_iter()
        .partition(|f| f.cause.family() == Family::Cors);
    let mut findings = others;
    if let Some(first) = cors.first() {
        findings.push(Finding::with_reasons(
            CauseId::CorsBlocksPagesOnly,
            Confidence::Medium,
            vec![
                format!(
                    "This page may not read the answer ({}): the API does not let a web page of another origin read it, which is usual for an API called from servers.",
                    first.cause.title()
                ),
                "Your request runs outside a browser, where CORS does not apply: the curl command shows the answer it gets, and the server's reason.".to_owned(),
            ],
        ));
    }
    findings
}

pub(super) fn findings(
    inference: &Inference,
    pasted_answer: Option<&ResponseSeen>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for explanation in &inference.explanations {
        let Some(cause) = explanation.hypothesis.cause() else {
            continue;
        };
        let mut because = vec![explanation.hypothesis.summary().to_owned()];
        // Hidden and absent look alike from a page; the pasted answer tells them apart.
        let confidence = if explanation.hypothesis == Hypothesis::ChallengeNotExposed {
            match pasted_answer.map(|a| a.header_values("www-authenticate")) {
                None => Confidence::Medium,
                Some(fields) if fields.is_empty() => continue,
                Some(fields) => {
                    because.push(format!(
                        "The pasted answer carries WWW-Authenticate: {}, which the page could not read.",
                        fields.join(", ")
                    ));
                    Confidence::High
                }
            }
        } else {
            inference.confidence
        };
        findings.push(Finding {
            cause,
            confidence,
            because,
            hypothesis: Some(explanation.hypothesis),
            implied: explanation.implied.clone(),
        });
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::super::diagnose;
    use super::super::fixture::evidence;
    use crate::cause::CauseId;
    use crate::cors::CredentialsMode;

    #[test]
    fn a_blocked_request_is_explained_by_the_inference() {
        let e = evidence(
            &[("Authorization", "Bearer abc")],
            CredentialsMode::SameOrigin,
            0,
            &[],
            "",
        );
        let d = diagnose(&e);
        let found = super::findings(&d.inference, None);
        assert!(!found.is_empty());
        assert!(found.iter().all(|f| f.hypothesis.is_some()));
        assert!(
            found
                .iter()
                .any(|f| f.cause == CauseId::CorsMissingAllowOrigin)
        );
    }

    #[test]
    fn a_request_that_runs_outside_a_browser_is_not_told_about_cors() {
        let mut e = evidence(
            &[("Authorization", "Bearer abc")],
            CredentialsMode::SameOrigin,
            0,
            &[],
            "",
        );
        e.caller = Some(crate::evidence::Caller::Outside);
        let d = diagnose(&e);
        assert_eq!(d.top().map(|f| f.cause), Some(CauseId::CorsBlocksPagesOnly));
        assert!(
            d.findings
                .iter()
                .all(|f| f.cause.family() != crate::cause::Family::Cors),
            "{:?}",
            d.findings
        );
        // With the answer curl printed, the server's reason leads.
        e.pasted = Some(
            "HTTP/1.1 401 Unauthorized\ncontent-type: application/json\n\n{\"message\":\"Bad credentials\"}"
                .into(),
        );
        let d = diagnose(&e);
        assert_eq!(d.top().map(|f| f.cause), Some(CauseId::InvalidCredentials));
        // A web page is told why it is refused.
        e.caller = Some(crate::evidence::Caller::Page { origin: None });
        e.pasted = None;
        let d = diagnose(&e);
        assert_ne!(d.top().map(|f| f.cause), Some(CauseId::CorsBlocksPagesOnly));
    }
}
