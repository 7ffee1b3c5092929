//! The pasted server answer, read into the inference: the preflight's answer keeps the
//! explanations it fits (and a refused one is authentication on the preflight); the request's
//! own answer is the diagnosis's to read.

use super::{Explanation, Hypothesis, PasteVerdict, preflight_only};
use crate::pasted::{PasteProblem, Pasted};

/// Whether a preflight answered with `status` fits `hypothesis`; `refused` when the answer is an
/// authentication refusal (401, 407 or a challenge).
fn fits_preflight_answer(hypothesis: Hypothesis, status: u16, refused: bool) -> bool {
    match hypothesis {
        Hypothesis::AuthOnPreflight => refused,
        // A 304, or a 3xx without somewhere to go, is a failed status rather than a redirect.
        Hypothesis::PreflightStatus => {
            !(200..300).contains(&status) && !crate::cors::is_redirect_status(status) && !refused
        }
        Hypothesis::PreflightRedirect => crate::cors::is_redirect_status(status),
        _ => (200..300).contains(&status),
    }
}

/// Reads the pasted server answer: the preflight's (its request line says `OPTIONS`, or the
/// report asked for the preflight), which keeps the explanations it fits; or the request's own.
pub(super) fn read_paste(
    pasted: Result<&Pasted, &PasteProblem>,
    explanations: &mut Vec<Explanation>,
) -> PasteVerdict {
    let pasted = match pasted {
        Ok(pasted) => pasted,
        Err(problem) => return PasteVerdict::Unreadable(*problem),
    };
    let answer = pasted.answer();
    let status = answer.and_then(|a| a.status);
    let preflight = match pasted.method() {
        // A preflight never carries credentials; an OPTIONS request with its Authorization (an
        // SDK's own) is a request like any other.
        Some(method) if !method.is_empty() => {
            method.eq_ignore_ascii_case("OPTIONS")
                && pasted.request.as_ref().is_none_or(|r| {
                    !r.headers
                        .iter()
                        .any(|(n, _)| n.eq_ignore_ascii_case("authorization"))
                })
        }
        // The report showed the `OPTIONS` command when every explanation fails the preflight.
        _ => preflight_only(explanations),
    };
    if !preflight {
        return PasteVerdict::Answer { status };
    }
    let challenged = answer.is_some_and(|a| {
        !a.header_values("www-authenticate").is_empty()
            || !a.header_values("proxy-authenticate").is_empty()
    });
    // An auth layer that refuses the preflight may add CORS headers to its 401: Chromium then
    // reports the status, as for any failing preflight, and the answer shows it is auth.
    let refused = status.is_some_and(|s| matches!(s, 401 | 407)) || challenged;
    let mut relabelled = false;
    if refused
        && !explanations
            .iter()
            .any(|e| e.hypothesis == Hypothesis::AuthOnPreflight)
        && let Some(status_only) = explanations
            .iter_mut()
            .find(|e| e.hypothesis == Hypothesis::PreflightStatus)
    {
        status_only.hypothesis = Hypothesis::AuthOnPreflight;
        relabelled = true;
    }
    let fits = |e: &Explanation| {
        status.is_none_or(|status| fits_preflight_answer(e.hypothesis, status, refused))
    };
    let settled = explanations.iter().any(fits) && !explanations.iter().all(fits);
    if settled {
        explanations.retain(fits);
    }
    PasteVerdict::Preflight {
        status,
        settled: settled || relabelled,
    }
}
