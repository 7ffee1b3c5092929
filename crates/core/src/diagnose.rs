//! The diagnosis: from the evidence to ranked findings, each a catalogue cause with a confidence
//! and the observations it rests on. The CORS and network causes come from the inference
//! ([`crate::infer`]); the rest are read from what the user sent (credentials, tokens) and from the
//! user's own answer when the page could read it (status, challenge, headers, redirects, body).
//! Causes no browser can see are never findings: they are listed apart as other possibilities.

use crate::cause::CauseId;
use crate::cookie::{
    CookieNote, CookieRequest, NotSent, SetCookie, Site, parse_set_cookie, same_site, sendability,
    site_of,
};
use crate::cors::CredentialsMode;
use crate::evidence::{Evidence, ProbeRecord};
use crate::header::{
    AuthScheme, BearerError, Challenge, Challenges, CredentialsKind, CredentialsProblem,
    parse_authorization, parse_www_authenticate,
};
use crate::infer::{Confidence, ConsoleVerdict, Hypothesis, Inference, PasteVerdict, infer};
use crate::observation::{ProbeOutcome, ResponseSeen};
use crate::pasted::{Pasted, parse_pasted};
use crate::plan::ProbeKind;
use crate::target::{AddressClass, parse_target_url};
use crate::text::Lookalike;
use crate::token::{DecodedToken, TokenFinding, decode_token};

/// Clock difference allowed between this computer and the token's issuer.
const CLOCK_SKEW_SECONDS: i64 = 60;

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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    /// Most likely first.
    pub findings: Vec<Finding>,
    /// Causes a browser cannot see, worth checking when nothing above settles it.
    pub other_possibilities: Vec<CauseId>,
    /// The CORS inference the findings include.
    pub inference: Inference,
    /// The user's answer as pasted from curl, when it is the answer to the user's request.
    pub pasted_answer: Option<ResponseSeen>,
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
}

impl Diagnosis {
    pub fn top(&self) -> Option<&Finding> {
        self.findings.first()
    }
}

/// Causes no page can observe.
pub const NOT_DETECTABLE: &[CauseId] = &[
    CauseId::IpBlocked,
    CauseId::FirewallOrProxy,
    CauseId::ServerPluginOrAppBug,
];

/// Diagnoses `evidence`, judging tokens by the clock at capture time.
pub fn diagnose(evidence: &Evidence) -> Diagnosis {
    let inference = infer(evidence);
    let own = evidence.probe(ProbeKind::AsGiven);
    let answer = own.and_then(|record| match &record.outcome {
        ProbeOutcome::Response(seen) if seen.status != 0 => Some(seen),
        _ => None,
    });
    // The server's full answer, pasted from curl: nothing hidden, Set-Cookie included. (The
    // inference read it too, for what it says of the preflight.)
    let pasted = evidence
        .pasted
        .as_deref()
        .and_then(|text| parse_pasted(text).ok());
    let pasted_answer = match (&inference.pasted, &pasted, own) {
        (Some(PasteVerdict::Answer { .. }), Some(pasted), Some(record)) => {
            // Another exchange (a login, a retry that worked) lends its cookies, not its status.
            pasted
                .answer()
                .map(|a| a.seen(&record.sent.url))
                .filter(|p| answer.is_none_or(|a| a.status == p.status))
        }
        _ => None,
    };
    let cookies = cookie_verdicts(evidence, &inference, pasted.as_ref());
    let mut findings = from_inference(&inference, pasted_answer.as_ref());
    // What the page read, or better, the whole answer the user pasted.
    let full = pasted_answer.as_ref().or(answer);
    // What stops the request in the browser comes first: nothing else matters until it is fixed.
    // Otherwise the surest reading of the answer leads.
    let blocked = answer.is_none();
    let mut rest = Vec::new();
    // The cookies first: for a request that relies on them, they are who the caller is.
    let refused = full.is_some_and(|s| matches!(s.status, 401 | 403));
    rest.extend(from_cookies(&cookies.0, &cookies.1, refused));
    if let (Some(record), Some(seen)) = (own, full) {
        rest.extend(from_answer(evidence, record, seen));
    }
    if let Some(record) = own {
        rest.extend(from_request(evidence, record, full));
    }
    if blocked {
        findings.extend(surest_first(rest));
    } else {
        findings.extend(rest);
        findings = surest_first(findings);
    }
    dedupe(&mut findings);
    // A redirect between http and https drops Authorization because it changes the origin: the
    // scheme is the specific reason.
    let at = |cause| findings.iter().position(|f| f.cause == cause);
    if let (Some(scheme), Some(dropped)) = (
        at(CauseId::RedirectToOtherScheme),
        at(CauseId::RedirectDroppedAuthorization),
    ) && scheme > dropped
    {
        let specific = findings.remove(scheme);
        findings.insert(dropped, specific);
    }
    // A proxy that wants its own credentials stops the request before the server sees it: in a
    // browser that shows as a network failure.
    if blocked
        && let Some(at) = findings
            .iter()
            .position(|f| f.cause == CauseId::ProxyAuthRequired)
    {
        let proxy = findings.remove(at);
        findings.insert(0, proxy);
    }
    // "The server rejects the credentials" is what a more specific finding about them explains.
    let specific = findings.iter().any(|f| {
        matches!(
            f.cause,
            CauseId::TokenExpired
                | CauseId::TokenExpInMilliseconds
                | CauseId::TokenNotYetValid
                | CauseId::TokenMalformed
                | CauseId::TokenAudienceMismatch
                | CauseId::MalformedCredentials
        )
    });
    if specific
        && let Some(at) = findings
            .iter()
            .position(|f| f.cause == CauseId::InvalidCredentials)
    {
        let generic = findings.remove(at);
        findings.push(Finding {
            confidence: Confidence::Low,
            ..generic
        });
    }
    // Worth naming when the server refuses, or when nothing explains a failure; not for a
    // request that works.
    let unexplained = findings.is_empty() && full.is_none_or(|s| s.status >= 400);
    let other_possibilities = if refused || unexplained {
        NOT_DETECTABLE.to_vec()
    } else {
        Vec::new()
    };
    let lookalikes = lookalikes(pasted.as_ref(), full, &cookies.1);
    let fields_unread = pasted.as_ref().map_or(0, |p| {
        p.unread_fields + p.set_cookies().count().saturating_sub(MAX_COOKIES_JUDGED)
    });
    Diagnosis {
        findings,
        other_possibilities,
        inference,
        pasted_answer,
        cookies: cookies.1,
        fields_unread,
        calling_page: cookies.0,
        lookalikes,
    }
}

/// Every name of the exchange that holds a hidden character, each once: the pasted request's
/// and answers' header names and cookie names, and the challenge's schemes and parameters.
fn lookalikes(
    pasted: Option<&Pasted>,
    answer: Option<&ResponseSeen>,
    cookies: &[CookieVerdict],
) -> Vec<Lookalike> {
    let mut found: Vec<Lookalike> = Vec::new();
    // A set beside the list: a paste may hold thousands of names.
    let mut seen = std::collections::HashSet::new();
    let mut add = |what, name: &str| {
        if let Some(l) = Lookalike::of(what, name)
            && seen.insert((what, l.revealed.clone()))
        {
            found.push(l);
        }
    };
    for verdict in cookies {
        add("cookie name", &verdict.cookie.name);
    }
    if let Some(pasted) = pasted {
        let requests = pasted.request.iter().map(|r| &r.headers);
        for headers in requests.chain(pasted.responses.iter().map(|r| &r.headers)) {
            for (name, value) in headers {
                add("header name", name);
                if name.eq_ignore_ascii_case("cookie") {
                    for pair in value.split(';') {
                        add(
                            "cookie name",
                            pair.split('=').next().unwrap_or_default().trim(),
                        );
                    }
                }
            }
        }
    }
    if let Some(answer) = answer {
        let fields = answer.header_values("www-authenticate");
        for challenge in parse_www_authenticate(&fields).challenges {
            add("challenge scheme", &challenge.scheme);
            for param in &challenge.params {
                add("challenge parameter", &param.value);
            }
        }
    }
    found
}

/// The inference's explanations as findings; the pasted answer settles a hidden challenge.
fn from_inference(inference: &Inference, pasted_answer: Option<&ResponseSeen>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for explanation in &inference.explanations {
        let Some(cause) = explanation.hypothesis.cause() else {
            continue;
        };
        let mut because = vec![explanation.hypothesis.summary().to_owned()];
        // Hidden and absent look alike from a page; the pasted answer tells them apart.
        let confidence = if explanation.hypothesis == Hypothesis::ChallengeNotExposed {
            match pasted_answer
                .as_ref()
                .map(|a| a.header_values("www-authenticate"))
            {
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

/// What the user's own readable answer says.
fn from_answer(evidence: &Evidence, record: &ProbeRecord, seen: &ResponseSeen) -> Vec<Finding> {
    let status = seen.status;
    let body = seen.body_excerpt.as_deref().unwrap_or_default();
    let body_lower = body.to_ascii_lowercase();
    let fields = seen.header_values("www-authenticate");
    let challenges = (!fields.is_empty()).then(|| parse_www_authenticate(&fields));
    let authorization = record.sent.authorization();

    let mut found = signals(seen, &body_lower);
    match status {
        407 => found.push(Finding::new(
            CauseId::ProxyAuthRequired,
            Confidence::High,
            "The answer is 407 Proxy Authentication Required: a proxy between you and the server wants credentials of its own (Proxy-Authorization), which a page cannot send.",
        )),
        403 if !found
            .iter()
            .any(|f| matches!(f.cause, CauseId::RateLimited | CauseId::MissingRequiredHeader)) =>
        {
            found.push(forbidden(challenges.as_ref(), authorization.is_some()));
        }
        401 => found.extend(from_401(evidence, record, seen, challenges.as_ref(), &body_lower)),
        // RFC 6750 pairs invalid_request with 400.
        400 => {
            if let Some(challenges) = &challenges {
                found.extend(from_error_codes(evidence, record, challenges));
            }
        }
        _ => {}
    }
    if let Some(challenges) = &challenges
        && !challenges.problems.is_empty()
    {
        let problems: Vec<String> = challenges
            .problems
            .iter()
            .map(|p| p.kind.to_string())
            .collect();
        found.push(Finding {
            cause: CauseId::ChallengeMalformed,
            confidence: Confidence::High,
            because: problems,
            hypothesis: None,
            implied: None,
        });
    }
    if login_page(evidence, seen, &body_lower) {
        found.push(Finding::new(
            CauseId::LoginRedirect,
            Confidence::High,
            format!(
                "Instead of a 401 the server sent a login page ({} {}{}): an API client gets HTML it cannot use, and no challenge.",
                status,
                seen.url,
                if seen.redirected { ", after a redirect" } else { "" }
            ),
        ));
    }
    if matches!(status, 401 | 403)
        && let Some((reason, shared)) = cacheable(seen)
    {
        // Marked for shared caches: a good request may get this refusal back.
        let confidence = if shared {
            Confidence::High
        } else {
            Confidence::Medium
        };
        found.push(Finding::new(
            CauseId::CacheableAuthResponse,
            confidence,
            reason,
        ));
    }
    if seen.redirected && scheme_of(&seen.url) != scheme_of(&record.sent.url) {
        found.push(Finding::new(
            CauseId::RedirectToOtherScheme,
            Confidence::High,
            format!(
                "The request to {} ended at {}: a redirect between http and https crosses origins, so the browser dropped Authorization.",
                record.sent.url, seen.url
            ),
        ));
    }
    found
}

/// What an answer says besides authentication: a header the API requires, a rate limit, a
/// one-time code it wants.
fn signals(seen: &ResponseSeen, body_lower: &str) -> Vec<Finding> {
    let mut found = Vec::new();
    let status = seen.status;
    let required = required_header(body_lower);
    if let Some(header) = required {
        found.push(Finding::new(
            CauseId::MissingRequiredHeader,
            Confidence::High,
            format!("The body says the API requires a {header} header."),
        ));
    }
    if rate_limited(seen, body_lower) {
        found.push(Finding::new(
            CauseId::RateLimited,
            Confidence::High,
            format!("The answer is {status} with signs of a rate or abuse limit (Retry-After, X-RateLimit-*, or the body says so)."),
        ));
    }
    if let Some(otp) = seen
        .headers
        .iter()
        .find(|(n, v)| n.ends_with("-otp") && v.to_ascii_lowercase().contains("required"))
    {
        found.push(Finding::new(
            CauseId::SecondFactorRequired,
            Confidence::High,
            format!("{}: {} asks for a one-time code.", otp.0, otp.1),
        ));
    }
    found
}

/// A 403 that is not a rate limit: a missing scope, or refused whoever you are.
fn forbidden(challenges: Option<&Challenges>, sent_credentials: bool) -> Finding {
    let scope = challenges.and_then(|c| c.challenges.iter().find_map(Challenge::error))
        == Some(BearerError::InsufficientScope);
    if scope {
        return Finding::new(
            CauseId::InsufficientScope,
            Confidence::High,
            "The 403 carries a Bearer challenge with error=\"insufficient_scope\": the token is valid but lacks a scope.",
        );
    }
    Finding::new(
        CauseId::ForbiddenNotUnauthorized,
        if sent_credentials {
            Confidence::High
        } else {
            Confidence::Medium
        },
        if sent_credentials {
            "The answer is 403 Forbidden to a request with credentials: the server knows who you are and refuses this request anyway (permissions, or a server that answers 403 where 401 belongs)."
        } else {
            "The answer is 403 Forbidden to a request without credentials: some frameworks (Django REST framework with session authentication, Spring Security by default) answer 403 instead of 401 when no one is logged in."
        },
    )
}

/// The `error` codes of Bearer and DPoP challenges (RFC 6750 §3.1, RFC 9449 §7.1).
fn from_error_codes(
    evidence: &Evidence,
    record: &ProbeRecord,
    challenges: &Challenges,
) -> Vec<Finding> {
    let mut found = Vec::new();
    for challenge in &challenges.challenges {
        let Some(error) = challenge.error() else {
            continue;
        };
        let description = challenge.param("error_description").unwrap_or_default();
        let said = if description.is_empty() {
            format!("The server says error=\"{}\".", error.code())
        } else {
            format!(
                "The server says error=\"{}\": “{description}”.",
                error.code()
            )
        };
        let cause = match error {
            BearerError::InvalidToken => {
                let description = description.to_ascii_lowercase();
                if description.contains("expired") || sent_token_expired(evidence, record) {
                    CauseId::TokenExpired
                } else if description.contains("audience") {
                    // ASP.NET Core: "The audience 'api://x' is invalid".
                    CauseId::TokenAudienceMismatch
                } else {
                    CauseId::InvalidCredentials
                }
            }
            BearerError::InsufficientScope => CauseId::InsufficientScope,
            BearerError::InvalidRequest => CauseId::InvalidRequest,
            BearerError::UseDpopNonce => CauseId::DpopNonceRequired,
            BearerError::InvalidDpopProof => CauseId::DpopProofInvalid,
            BearerError::Other(_) => CauseId::InvalidCredentials,
        };
        found.push(Finding::new(cause, Confidence::High, said));
    }
    found
}

/// A 401's own words: the challenge against what was sent.
fn from_401(
    evidence: &Evidence,
    record: &ProbeRecord,
    seen: &ResponseSeen,
    challenges: Option<&Challenges>,
    body_lower: &str,
) -> Vec<Finding> {
    let mut found = Vec::new();
    let authorization = record.sent.authorization();
    let Some(challenges) = challenges.filter(|c| !c.challenges.is_empty()) else {
        // The page cannot read a challenge: hidden by CORS (the inference says so) or absent.
        if seen.hidden_diagnostic_headers().is_empty() {
            // A session API commonly refuses without a challenge: a flaw, rarely the cause.
            let session =
                authorization.is_none() && evidence.request.credentials == CredentialsMode::Include;
            found.push(Finding::new(
                CauseId::ChallengeMissing,
                if session {
                    Confidence::Medium
                } else {
                    Confidence::High
                },
                "The 401 carries no WWW-Authenticate header: the client is not told how to authenticate (RFC 9110 §15.5.2).",
            ));
        } else {
            found.push(Finding::new(
                CauseId::ChallengeMissing,
                Confidence::Low,
                "The page cannot read a WWW-Authenticate on this 401: either the server sends none, or it does not expose it (curl -i tells which).",
            ));
        }
        if authorization.is_none() {
            found.push(missing_credentials(evidence));
        }
        return found;
    };
    found.extend(from_error_codes(evidence, record, challenges));
    if challenges
        .find(AuthScheme::Digest)
        .and_then(Challenge::digest)
        .and_then(|d| d.stale)
        == Some(true)
    {
        found.push(Finding::new(
            CauseId::DigestStale,
            Confidence::High,
            "The Digest challenge says stale=true: the credentials were right but the nonce expired; retry with the new nonce.",
        ));
    }
    let offered: Vec<AuthScheme> = challenges
        .challenges
        .iter()
        .map(Challenge::auth_scheme)
        .collect();
    if offered
        .iter()
        .all(|s| matches!(s, AuthScheme::Negotiate | AuthScheme::Ntlm))
    {
        found.push(Finding::new(
            CauseId::NegotiateUnsupported,
            Confidence::High,
            format!(
                "The server offers only {}: Windows/Kerberos sign-on, which the browser does itself for pages it trusts, and which no script can send.",
                challenges.value
            ),
        ));
    }
    match authorization {
        None => found.push(missing_credentials(evidence)),
        Some(value) if found.is_empty() || !offers(challenges, value) => {
            found.push(sent_but_refused(value, challenges, body_lower));
        }
        Some(_) => {}
    }
    found
}

/// Whether the request carried a JWT whose `exp` had passed when the probes ran.
fn sent_token_expired(evidence: &Evidence, record: &ProbeRecord) -> bool {
    let Some(value) = record.sent.authorization() else {
        return false;
    };
    let (CredentialsKind::Bearer { token, .. } | CredentialsKind::DPoP { token }) =
        parse_authorization(value).kind
    else {
        return false;
    };
    match decode_token(&token).0 {
        DecodedToken::Jws(jwt) => jwt
            .check(evidence.captured_at, CLOCK_SKEW_SECONDS, None)
            .iter()
            .any(|f| matches!(f, TokenFinding::Expired { .. })),
        _ => false,
    }
}

/// Whether the server offers the scheme of the credentials sent.
fn offers(challenges: &Challenges, authorization: &str) -> bool {
    parse_authorization(authorization)
        .check_offered(challenges)
        .is_none()
}

/// Credentials were sent and a 401 came back with no error code: a scheme the server does not
/// offer, credentials lost on the way, or credentials it does not accept.
fn sent_but_refused(authorization: &str, challenges: &Challenges, body_lower: &str) -> Finding {
    let credentials = parse_authorization(authorization);
    if let Some(problem) = credentials.check_offered(challenges) {
        return Finding::new(
            CauseId::WrongScheme,
            Confidence::High,
            problem.kind.to_string(),
        );
    }
    let stripped = ["not provided", "no credentials", "missing", "not present"]
        .iter()
        .any(|w| body_lower.contains(w));
    if stripped {
        return Finding::new(
            CauseId::CredentialsStrippedInTransit,
            Confidence::Medium,
            "The request carried credentials in the scheme the server offers, yet the body says none were provided: a proxy, load balancer or CGI/FastCGI layer may have removed Authorization.",
        );
    }
    Finding::new(
        CauseId::InvalidCredentials,
        Confidence::Medium,
        format!(
            "The request carried {} credentials, which the server offers, and it still answered 401: it does not accept these.",
            credentials.scheme.as_deref().unwrap_or("the")
        ),
    )
}

fn missing_credentials(evidence: &Evidence) -> Finding {
    let cookies = evidence.request.credentials == CredentialsMode::Include;
    let mut finding = Finding::new(
        CauseId::MissingCredentials,
        if cookies {
            Confidence::Medium
        } else {
            Confidence::High
        },
        if cookies {
            "The request carried no Authorization header; only cookies could have identified you."
        } else {
            "The request carried no Authorization header and no cookies: the server has nothing to identify you by."
        },
    );
    if cookies && evidence.context.target_address != AddressClass::Loopback {
        finding.because.push(
            "From this page your cookies for the API are third-party cookies: SameSite=Lax or Strict ones are never sent, and browsers that block third-party cookies send none.".to_owned(),
        );
    }
    finding
}

/// What the user's own request carried: the credentials and the token inside them.
fn from_request(
    evidence: &Evidence,
    record: &ProbeRecord,
    answer: Option<&ResponseSeen>,
) -> Vec<Finding> {
    let mut found = Vec::new();
    let refused = answer.is_some_and(|s| matches!(s.status, 401 | 403));
    if evidence.request.credentials == CredentialsMode::Include
        && refused
        && record.sent.authorization().is_none()
        && evidence.context.target_address != AddressClass::Loopback
    {
        found.push(Finding::new(
            CauseId::CookieNotSentThirdParty,
            Confidence::Low,
            "The request relies on cookies, and from this page they are third-party: SameSite=Lax/Strict cookies stay behind, and third-party cookie blocking drops the rest.",
        ));
    }
    let Some(value) = record.sent.authorization() else {
        return found;
    };
    let credentials = parse_authorization(value);
    let malformed: Vec<String> = credentials
        .problems
        .iter()
        .filter(|p| !matches!(p.kind, CredentialsProblem::SchemeNotOffered { .. }))
        .map(|p| p.kind.to_string())
        .collect();
    if !malformed.is_empty() {
        found.push(Finding {
            cause: CauseId::MalformedCredentials,
            confidence: if refused {
                Confidence::High
            } else {
                Confidence::Medium
            },
            because: malformed,
            hypothesis: None,
            implied: None,
        });
    }
    let (CredentialsKind::Bearer { token, .. } | CredentialsKind::DPoP { token }) =
        &credentials.kind
    else {
        return found;
    };
    let (decoded, problems) = decode_token(token);
    if !problems.is_empty() {
        found.push(Finding {
            cause: CauseId::TokenMalformed,
            confidence: if refused {
                Confidence::High
            } else {
                Confidence::Medium
            },
            because: problems.iter().map(ToString::to_string).collect(),
            hypothesis: None,
            implied: None,
        });
    }
    if let DecodedToken::Jws(jwt) = decoded {
        for finding in jwt.check(evidence.captured_at, CLOCK_SKEW_SECONDS, None) {
            let cause = match finding {
                TokenFinding::Expired { .. } => CauseId::TokenExpired,
                TokenFinding::NotYetValid { .. } | TokenFinding::IssuedInFuture { .. } => {
                    CauseId::TokenNotYetValid
                }
                TokenFinding::MillisecondTimestamp { .. } => CauseId::TokenExpInMilliseconds,
                TokenFinding::AudienceMismatch { .. } => CauseId::TokenAudienceMismatch,
                TokenFinding::AlgNone | TokenFinding::IdToken => CauseId::InvalidCredentials,
                TokenFinding::DpopBound => CauseId::WrongScheme,
                TokenFinding::NoExpiry => continue,
            };
            let confidence = if refused {
                Confidence::High
            } else {
                Confidence::Medium
            };
            found.push(Finding::new(cause, confidence, finding.to_string()));
        }
    }
    found
}

fn rate_limited(seen: &ResponseSeen, body_lower: &str) -> bool {
    if seen.status == 429 {
        return true;
    }
    let header_says = seen.headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("retry-after")
            || (n.to_ascii_lowercase().contains("ratelimit-remaining") && v.trim() == "0")
    });
    let body_says = ["rate limit", "too many requests", "rate-limit", "throttl"]
        .iter()
        .any(|w| body_lower.contains(w));
    matches!(seen.status, 401 | 403 | 503) && (header_says || body_says)
}

/// A login page where an API answer belongs: a redirect to a login URL, or HTML with a password
/// field.
fn login_page(evidence: &Evidence, seen: &ResponseSeen, body_lower: &str) -> bool {
    let is_login = |url: &str| {
        let url = url.to_ascii_lowercase();
        ["login", "signin", "sign-in", "sign_in", "/auth", "sso"]
            .iter()
            .any(|w| url.contains(w))
    };
    let html = seen
        .header("content-type")
        .is_some_and(|t| t.contains("text/html"));
    let password_form =
        body_lower.contains("type=\"password\"") || body_lower.contains("type=password");
    let form = html && password_form && seen.status < 400;
    if seen.redirected && seen.url != evidence.request.url {
        return is_login(&seen.url) || form;
    }
    // Asking for a login page and getting one is no finding.
    form && !is_login(&evidence.request.url)
}

/// Why a 401/403 may be stored by a cache, if it may, and whether shared caches may keep it.
fn cacheable(seen: &ResponseSeen) -> Option<(String, bool)> {
    let cache_control = seen
        .header("cache-control")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let forbids = ["no-store", "private", "no-cache"]
        .iter()
        .any(|d| cache_control.contains(d));
    if forbids {
        return None;
    }
    let allows = cache_control.contains("public")
        || cache_control
            .split(',')
            .filter_map(|d| d.trim().strip_prefix("max-age="))
            .chain(
                cache_control
                    .split(',')
                    .filter_map(|d| d.trim().strip_prefix("s-maxage=")),
            )
            .any(|age| age.trim().parse::<u64>().is_ok_and(|s| s > 0));
    let expires = seen.header("expires").is_some();
    let shared = cache_control.contains("public") || cache_control.contains("s-maxage");
    (allows || expires).then(|| {
        let reason = format!(
            "The {} says Cache-Control: {}{}: a cache may serve this refusal to later requests, even with good credentials.",
            seen.status,
            if cache_control.is_empty() { "(none)" } else { cache_control.as_str() },
            if expires { ", with Expires" } else { "" }
        );
        (reason, shared)
    })
}

/// `User-Agent` in "User-Agent header is required"-like bodies.
fn required_header(body_lower: &str) -> Option<&'static str> {
    const HEADERS: &[&str] = &[
        "user-agent",
        "x-api-key",
        "api-key",
        "x-requested-with",
        "accept",
        "content-type",
    ];
    if !(body_lower.contains("required") || body_lower.contains("missing")) {
        return None;
    }
    HEADERS.iter().copied().find(|h| {
        body_lower.contains(&format!("{h} header"))
            || body_lower.contains(&format!("header {h}"))
            || body_lower.contains(&format!("'{h}'"))
            || body_lower.contains(&format!("\"{h}\""))
    })
}

fn scheme_of(url: &str) -> &str {
    url.split_once("://").map_or("", |(scheme, _)| scheme)
}

/// How many pasted `Set-Cookie` fields are judged: browsers keep about 180 cookies per site
/// (Chromium's limit), so more says nothing, and a paste of thousands must not stall the page.
pub const MAX_COOKIES_JUDGED: usize = 300;

/// A pasted `Set-Cookie`, read as the browser would store it, and whether it rides on the user's
/// request from the calling page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieVerdict {
    pub cookie: SetCookie,
    /// Empty when the browser sends it.
    pub not_sent: Vec<NotSent>,
    /// A third-party cookie on this request: sent by default in Chrome, not everywhere.
    pub third_party: bool,
}

/// The pasted cookies, judged against the user's request sent from the page the console line
/// names (the user's app), or else from this page, whose origin comes back too.
fn cookie_verdicts(
    evidence: &Evidence,
    inference: &Inference,
    pasted: Option<&Pasted>,
) -> (String, Vec<CookieVerdict>) {
    let (page_origin, page) = calling_page(evidence, inference);
    let url = evidence.request.url.as_str();
    let (Some(pasted), Ok(target)) = (pasted, parse_target_url(url)) else {
        return (page_origin, Vec::new());
    };
    let path = path_of(url);
    let request = CookieRequest {
        host: &target.host,
        secure: target.secure || target.address_class == AddressClass::Loopback,
        https: target.secure,
        path,
        page: &page,
        same_origin: target.origin() == page_origin,
        credentials: evidence.request.credentials,
        set_by_host: &target.host,
        set_by_path: path,
        now: evidence.captured_at,
        third_party_cookies_blocked: false,
    };
    let cross_site = !same_site(&site_of(target.secure, &target.host), &page);
    let verdicts = pasted
        .set_cookies()
        .take(MAX_COOKIES_JUDGED)
        .map(|line| {
            let cookie = parse_set_cookie(line, evidence.captured_at);
            let not_sent = sendability(&cookie, &request);
            let third_party = not_sent.is_empty() && cross_site;
            CookieVerdict {
                cookie,
                not_sent,
                third_party,
            }
        })
        .collect();
    (page_origin, verdicts)
}

/// What the pasted `Set-Cookie` fields say about the cookies of the user's request.
fn from_cookies(page_origin: &str, verdicts: &[CookieVerdict], refused: bool) -> Vec<Finding> {
    let mut found = Vec::new();
    let confidence = if refused {
        Confidence::High
    } else {
        Confidence::Medium
    };
    for CookieVerdict {
        cookie,
        not_sent: reasons,
        third_party,
    } in verdicts
    {
        let name = &cookie.name;
        let deleted = cookie
            .notes
            .iter()
            .any(|n| matches!(n, CookieNote::MaxAgeDeletes | CookieNote::ExpiresInPast))
            || reasons.contains(&NotSent::Expired);
        if deleted {
            found.push(Finding::new(
                CauseId::SessionExpired,
                confidence,
                format!("The answer deletes the cookie {name} (an expiry in the past): the server ended this session; sign in again."),
            ));
            continue;
        }
        for reason in reasons {
            let cause = match reason {
                NotSent::Rejected => {
                    let insecure: Vec<String> = cookie
                        .notes
                        .iter()
                        .filter(|n| {
                            matches!(
                                n,
                                CookieNote::RejectedSameSiteNoneInsecure
                                    | CookieNote::RejectedPartitionedInsecure
                                    | CookieNote::RejectedPrefix { .. }
                            )
                        })
                        .map(|n| format!("{name}: {n}"))
                        .collect();
                    if !insecure.is_empty() {
                        found.push(Finding {
                            because: insecure,
                            ..Finding::new(CauseId::CookieInsecure, confidence, "")
                        });
                    }
                    continue;
                }
                NotSent::InsecureRequest => CauseId::CookieInsecure,
                NotSent::SameSite { .. } | NotSent::LaxByDefault => CauseId::CookieSamesiteBlocked,
                NotSent::ThirdPartyBlocked => CauseId::CookieNotSentThirdParty,
                _ => CauseId::MissingCredentials,
            };
            found.push(Finding::new(
                cause,
                confidence,
                format!("{name} is not sent from {page_origin}: {reason}"),
            ));
        }
        if *third_party {
            found.push(Finding::new(
                CauseId::CookieNotSentThirdParty,
                if refused {
                    Confidence::Medium
                } else {
                    Confidence::Low
                },
                format!("{name} is SameSite=None; Secure and the request is cross-site from {page_origin}: a third-party cookie, which Chrome sends by default but Safari, Firefox's strict mode, Brave, private windows and users who block third-party cookies do not."),
            ));
        }
    }
    found
}

/// The page that sends the request: the user's app as the console line names it, or else this
/// page; its origin and site.
fn calling_page(evidence: &Evidence, inference: &Inference) -> (String, Site) {
    let console_origin = match &inference.console {
        Some(ConsoleVerdict::Settled(line) | ConsoleVerdict::Unexplained(line)) => {
            line.origin.clone()
        }
        _ => None,
    };
    let origin = console_origin.unwrap_or_else(|| evidence.context.origin.clone());
    let site = match parse_target_url(&origin) {
        Ok(page) => site_of(page.secure, &page.host),
        // Not a URL (a console line's origin is whatever was pasted): a site of its own.
        Err(_) => site_of(false, &origin),
    };
    (origin, site)
}

/// The path of an absolute URL, without query or fragment; `/` when it has none.
fn path_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    match rest.find('/') {
        Some(at) => rest.get(at..).unwrap_or("/"),
        None => "/",
    }
}
