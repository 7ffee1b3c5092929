//! Precedence, declared in one place: what stops the request in the browser comes first (nothing
//! else matters until it is fixed) unless the user pasted the answer and it says why the server
//! refuses; otherwise the surest reading of the answer leads. Then each cause found once, and a
//! cause another finding outranks (the catalogue's `outranks`: the other one explains it) moves
//! to the end at low confidence.

use super::Finding;
use crate::infer::Confidence;

/// The findings in the order the report shows them: `inferred` are the inference's, `read` the
/// rules', `blocked` whether the page could not read the answer to the user's request, and
/// `answered` whether the user pasted that answer: then the server's own reasons for refusing
/// (what the rules read in it, but their low-confidence guesses) lead — the request fails on
/// them wherever it is sent from, and settling CORS alone would not make it pass.
pub(super) fn rank(
    inferred: Vec<Finding>,
    read: Vec<Finding>,
    blocked: bool,
    answered: bool,
) -> Vec<Finding> {
    let mut findings = if blocked && answered {
        let (said, guessed): (Vec<Finding>, Vec<Finding>) = read
            .into_iter()
            .partition(|f| f.confidence >= Confidence::Medium);
        let mut findings = surest_first(said);
        findings.extend(inferred);
        findings.extend(surest_first(guessed));
        findings
    } else if blocked {
        let mut findings = inferred;
        findings.extend(surest_first(read));
        findings
    } else {
        let mut findings = inferred;
        findings.extend(read);
        surest_first(findings)
    };
    dedupe(&mut findings);
    outranked_last(findings)
}

/// The findings by confidence, highest first, in their order within each level.
fn surest_first(findings: Vec<Finding>) -> Vec<Finding> {
    let mut ordered: Vec<Finding> = Vec::with_capacity(findings.len());
    for finding in findings {
        let at = ordered.partition_point(|f| f.confidence >= finding.confidence);
        ordered.insert(at, finding);
    }
    ordered
}

/// Keeps the first finding of each cause, merging the reasons of later ones into it.
fn dedupe(findings: &mut Vec<Finding>) {
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    for finding in findings.drain(..) {
        if let Some(first) = kept.iter_mut().find(|k| k.cause == finding.cause) {
            for reason in finding.because {
                if !first.because.contains(&reason) {
                    first.because.push(reason);
                }
            }
            first.confidence = first.confidence.max(finding.confidence);
        } else {
            kept.push(finding);
        }
    }
    *findings = kept;
}

/// A finding another one outranks goes last, at low confidence: the other explains it — unless
/// the other is a weaker guess (a generic refusal does not bury what the server said).
fn outranked_last(findings: Vec<Finding>) -> Vec<Finding> {
    let outranked: Vec<bool> = findings
        .iter()
        .map(|f| {
            findings
                .iter()
                .any(|o| o.cause.outranks().contains(&f.cause) && o.confidence >= f.confidence)
        })
        .collect();
    let (mut kept, mut last) = (Vec::new(), Vec::new());
    for (finding, outranked) in findings.into_iter().zip(outranked) {
        if outranked {
            last.push(Finding {
                confidence: Confidence::Low,
                ..finding
            });
        } else {
            kept.push(finding);
        }
    }
    kept.extend(last);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cause::CauseId;

    fn finding(cause: CauseId, confidence: Confidence) -> Finding {
        Finding::new(cause, confidence, cause.summary())
    }

    fn causes(findings: &[Finding]) -> Vec<(CauseId, Confidence)> {
        findings.iter().map(|f| (f.cause, f.confidence)).collect()
    }

    #[test]
    fn a_blocked_request_lists_what_blocked_it_first() {
        let inferred = vec![finding(CauseId::CorsMissingAllowOrigin, Confidence::Medium)];
        let read = vec![finding(CauseId::MissingCredentials, Confidence::High)];
        let blocked = rank(inferred.clone(), read.clone(), true, false);
        assert_eq!(blocked[0].cause, CauseId::CorsMissingAllowOrigin);
        let readable = rank(inferred.clone(), read.clone(), false, false);
        assert_eq!(readable[0].cause, CauseId::MissingCredentials);
        // The user pasted the answer the page could not read: the server's reason leads.
        let pasted = rank(inferred, read, true, true);
        assert_eq!(pasted[0].cause, CauseId::MissingCredentials);
        assert_eq!(pasted[1].cause, CauseId::CorsMissingAllowOrigin);
    }

    #[test]
    fn the_outranked_finding_goes_last_at_low_confidence() {
        let read = vec![
            finding(CauseId::InvalidCredentials, Confidence::High),
            finding(CauseId::CacheableAuthResponse, Confidence::Medium),
            finding(CauseId::TokenExpired, Confidence::High),
        ];
        assert_eq!(
            causes(&rank(Vec::new(), read, false, false)),
            [
                (CauseId::TokenExpired, Confidence::High),
                (CauseId::CacheableAuthResponse, Confidence::Medium),
                (CauseId::InvalidCredentials, Confidence::Low),
            ]
        );
    }

    #[test]
    fn a_cause_found_twice_is_listed_once_with_both_reasons() {
        let read = vec![
            finding(CauseId::TokenExpired, Confidence::Medium),
            Finding::new(CauseId::TokenExpired, Confidence::High, "exp passed"),
        ];
        let ranked = rank(Vec::new(), read, false, false);
        assert_eq!(ranked.len(), 1);
        assert_eq!(ranked[0].confidence, Confidence::High);
        assert_eq!(ranked[0].because.len(), 2);
    }
}
