//! The diagnosis: from the evidence to ranked findings, each a catalogue cause with a confidence
//! and the observations it rests on.
//!
//! The evidence is read once ([`Reading`]); then each rule — one file per kind of evidence —
//! returns its findings, and [`rank`] orders them by the precedence declared in one place (the
//! catalogue's `outranks`, and what stops a request in the browser first). The CORS and network
//! causes come from the inference ([`crate::infer`]); the rest are read from what the user sent
//! (credentials, tokens) and from the user's own answer when the page could read it or the user
//! pasted it (status, challenge, headers, redirects, cookies, body). Causes no browser can see
//! are never findings: they are listed apart as other possibilities.

mod caching;
mod challenge;
mod cookies;
mod cors;
mod credentials;
mod keys;
mod names;
mod rank;
mod reading;
mod redirect;
mod said;
mod scopes;
mod signed;
mod status;
mod token;

use crate::cause::CauseId;
use crate::evidence::{Evidence, ProbeRecord};
use crate::infer::{Confidence, Hypothesis, Inference, infer_with};
use crate::observation::ResponseSeen;
use crate::plan::ProbeKind;
use crate::text::Lookalike;

pub use cookies::{CookieVerdict, MAX_COOKIES_JUDGED};
pub use reading::{CLOCK_SKEW_SECONDS, Reading, TokenReading, read_pasted};

/// One cause found in the evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub cause: CauseId,
    pub confidence: Confidence,
    /// The observations it rests on, one sentence each.
    pub because: Vec<String>,
    /// The CORS inference's explanation, when the finding is one.
    pub hypothesis: Option<Hypothesis>,
    /// The error Chromium reports for the user's request under that explanation.
    pub implied: Option<crate::cors::CorsFailure>,
}

impl Finding {
    fn new(cause: CauseId, confidence: Confidence, because: impl Into<String>) -> Finding {
        Finding {
            cause,
            confidence,
            because: vec![because.into()],
            hypothesis: None,
            implied: None,
        }
    }

    /// A finding resting on several observations.
    fn with_reasons(cause: CauseId, confidence: Confidence, because: Vec<String>) -> Finding {
        Finding {
            because,
            ..Finding::new(cause, confidence, "")
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnosis {
    /// Most likely first.
    pub findings: Vec<Finding>,
    /// Causes a browser cannot see, worth checking when nothing above settles it.
    pub other_possibilities: Vec<CauseId>,
    /// The CORS inference the findings include.
    pub inference: Inference,
    /// The pasted cookies, judged against the user's request sent from `calling_page`: the
    /// first [`MAX_COOKIES_JUDGED`].
    pub cookies: Vec<CookieVerdict>,
    /// The pasted header fields left unread: past [`crate::pasted::MAX_FIELDS`] in a message,
    /// or `Set-Cookie` fields past [`MAX_COOKIES_JUDGED`].
    pub fields_unread: usize,
    /// The origin of the page the cookies were judged from: the user's app when the console
    /// line names it, else this page.
    pub calling_page: String,
    /// Names in the exchange that are not what they look like (hidden characters in a cookie
    /// or header name, a challenge's scheme or realm).
    pub lookalikes: Vec<Lookalike>,
    /// The evidence as read for this diagnosis: what the explanation and the decoded panels
    /// show.
    pub reading: Reading,
}

impl Diagnosis {
    pub fn top(&self) -> Option<&Finding> {
        self.findings.first()
    }

    /// The user's answer as pasted from curl, when it is the answer to the user's request.
    pub fn pasted_answer(&self) -> Option<&ResponseSeen> {
        self.reading.pasted_answer.as_ref()
    }
}

/// Causes no page can observe: the catalogue's [`Family::NotDetectable`].
pub const NOT_DETECTABLE: &[CauseId] = &[
    CauseId::IpBlocked,
    CauseId::FirewallOrProxy,
    CauseId::ServerPluginOrAppBug,
];

/// The user's request as it left: the page's own probe, or — when nothing was sent from the page
/// and the user pasted the exchange — the request as given.
#[derive(Clone, Copy)]
struct Sent<'a> {
    url: &'a str,
    headers: &'a [(String, String)],
}

/// What every rule is given: the evidence, its reading, the answers and the judged cookies.
struct Case<'a> {
    evidence: &'a Evidence,
    reading: &'a Reading,
    /// The user's own request, as the page sent it.
    own: Option<&'a ProbeRecord>,
    /// The user's request, sent by the page or only pasted.
    sent: Option<Sent<'a>>,
    /// The answer to it the page could read.
    answer: Option<&'a ResponseSeen>,
    /// What the page read, or better, the whole answer the user pasted.
    full: Option<&'a ResponseSeen>,
    /// The pasted cookies, judged.
    cookies: &'a [CookieVerdict],
    calling_page: &'a str,
    /// What the server said in words (the `said` rule), read once: other rules ask whether it
    /// named a reason.
    said: std::cell::OnceCell<Vec<Finding>>,
}

impl<'a> Case<'a> {
    fn new(
        evidence: &'a Evidence,
        reading: &'a Reading,
        cookies: &'a [CookieVerdict],
        calling_page: &'a str,
    ) -> Case<'a> {
        let own = evidence.probe(ProbeKind::AsGiven);
        let answer = reading::page_answer(own);
        Case {
            evidence,
            reading,
            own,
            sent: match own {
                Some(record) => Some(Sent {
                    url: &record.sent.url,
                    headers: &record.sent.headers,
                }),
                None if evidence.probes.is_empty() => Some(Sent {
                    url: &evidence.request.url,
                    headers: &evidence.request.headers,
                }),
                None => None,
            },
            answer,
            full: reading.pasted_answer.as_ref().or(answer),
            cookies,
            calling_page,
            said: std::cell::OnceCell::new(),
        }
    }

    /// What the server said in words, read once.
    fn said(&self) -> &[Finding] {
        self.said.get_or_init(|| said::read(self))
    }

    /// The fullest answer refuses the request (401 or 403).
    fn refused(&self) -> bool {
        self.full.is_some_and(|s| matches!(s.status, 401 | 403))
    }

    /// `High` when the server refuses the request, else `Medium`: a fault that may be why.
    fn if_refused(&self) -> Confidence {
        Confidence::High.lowered_if(!self.refused())
    }
}

/// A rule: the findings one kind of evidence gives.
type Rule = fn(&Case) -> Vec<Finding>;

/// Every rule but the inference's, in the order their findings are listed before ranking.
const RULES: &[Rule] = &[
    cookies::rule,
    said::rule,
    signed::rule,
    scopes::rule,
    keys::rule,
    status::rule,
    challenge::rule,
    caching::rule,
    redirect::rule,
    credentials::rule,
    token::rule,
];

/// Diagnoses `evidence`, judging tokens and signatures by the server's clock (the answer's `Date`)
/// or, without one, the clock at capture time.
pub fn diagnose(evidence: &Evidence) -> Diagnosis {
    let pasted = read_pasted(evidence);
    let inference = infer_with(evidence, pasted.as_ref());
    let reading = Reading::of(evidence, pasted, &inference);
    let (calling_page, cookies) = cookies::judge(evidence, &inference, reading.pasted());
    let given = Case::new(evidence, &reading, &cookies, &calling_page);
    let inferred = cors::for_caller(
        cors::findings(&inference, reading.pasted_answer.as_ref()),
        evidence.caller.as_ref(),
    );
    let read: Vec<Finding> = RULES.iter().flat_map(|rule| rule(&given)).collect();
    let answered = reading.pasted_answer.is_some();
    let findings = rank::rank(inferred, read, given.answer.is_none(), answered);
    // Worth naming when the server refuses, or when nothing explains a failure; not for a
    // request that works.
    let unexplained = findings.is_empty() && given.full.is_none_or(|s| s.status >= 400);
    let other_possibilities = if given.refused() || unexplained {
        NOT_DETECTABLE.to_vec()
    } else {
        Vec::new()
    };
    let lookalikes = names::lookalikes(&reading, &cookies);
    let fields_unread = reading.pasted().map_or(0, |p| {
        p.unread_fields + p.set_cookies().count().saturating_sub(MAX_COOKIES_JUDGED)
    });
    Diagnosis {
        findings,
        other_possibilities,
        inference,
        cookies,
        fields_unread,
        calling_page,
        lookalikes,
        reading,
    }
}

/// Evidence for the rules' tests: one builder, next to the rules.
#[cfg(test)]
mod fixture {
    use super::{Case, CauseId, Rule, diagnose};
    use crate::cors::CredentialsMode;
    use crate::evidence::{Evidence, PageContext};
    use crate::observation::{ProbeOutcome, ResponseSeen, ResponseType};
    use crate::plan::ProbeKind;
    use crate::request::RequestSpec;
    use crate::target::AddressClass;

    pub const URL: &str = "https://api.example.com/v1/me";
    /// 2026-11-24T00:00:00Z, when the probes ran.
    pub const NOW: i64 = 1_795_478_400;

    /// A GET of [`URL`] with `headers` from `https://why401.example.org`, whose own probe read
    /// `status` with `answer` headers and `body` (no answer for status 0: blocked).
    pub fn evidence(
        headers: &[(&str, &str)],
        credentials: CredentialsMode,
        status: u16,
        answer: &[(&str, &str)],
        body: &str,
    ) -> Evidence {
        let mut spec = RequestSpec::get(URL);
        spec.headers = pairs(headers);
        spec.credentials = credentials;
        let context = PageContext::at("https://why401.example.org", true, AddressClass::Public);
        Evidence::planned(&spec, &spec, context, NOW, |planned| {
            if planned.kinds.contains(&ProbeKind::Reachability) {
                ProbeOutcome::Response(ResponseSeen::opaque())
            } else if status == 0 {
                ProbeOutcome::Failed(crate::Failure::failed_to_fetch())
            } else {
                ProbeOutcome::Response(ResponseSeen {
                    response_type: ResponseType::Cors,
                    status,
                    status_text: String::new(),
                    url: URL.to_owned(),
                    redirected: false,
                    headers: pairs(answer),
                    body_excerpt: Some(body.to_owned()),
                })
            }
        })
    }

    /// A request with `headers` (no cookies) answered `status`.
    pub fn answered(headers: &[(&str, &str)], status: u16, answer: &[(&str, &str)]) -> Evidence {
        evidence(headers, CredentialsMode::SameOrigin, status, answer, "")
    }

    /// The causes `rule` finds in `evidence`, in its order.
    pub fn found(rule: Rule, evidence: &Evidence) -> Vec<CauseId> {
        let d = diagnose(evidence);
        let given = Case::new(evidence, &d.reading, &d.cookies, &d.calling_page);
        rule(&given).into_iter().map(|f| f.cause).collect()
    }

    fn pairs(headers: &[(&str, &str)]) -> Vec<(String, String)> {
        headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cause::Family;

    #[test]
    fn not_detectable_is_the_catalogue_family() {
        let family: Vec<CauseId> = CauseId::ALL
            .iter()
            .copied()
            .filter(|c| c.family() == Family::NotDetectable)
            .collect();
        assert_eq!(family, NOT_DETECTABLE);
    }
}
