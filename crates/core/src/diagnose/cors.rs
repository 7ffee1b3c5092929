//! Rule: the CORS and network inference's explanations, as findings. The pasted answer settles
//! a challenge the page could not read.

use super::Finding;
use crate::infer::{Confidence, Hypothesis, Inference};
use crate::observation::ResponseSeen;

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
}
