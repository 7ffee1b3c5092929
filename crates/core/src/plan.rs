//! The probe plan (DESIGN.md): from the user's request, the small set of `fetch()` variants whose
//! differences tell what the browser hides.
//!
//! | probe | what it isolates |
//! |---|---|
//! | as given | the user's request exactly |
//! | reachability | `no-cors`: did anything answer at all? |
//! | simple | does the server speak CORS, and what does it tell an anonymous caller? |
//! | simple with credentials | `*` / `Allow-Credentials` problems, and cookies |
//! | preflighted without credentials | preflight problems, without cookies in the way |
//! | redirect check | `redirect: 'manual'`: does the first answer redirect? |
//!
//! Unsafe methods are sent only after the user confirms, and only by the as-given probe: the
//! variants use `GET` instead.
//!
//! The credentialed variant runs only when the user's own request includes credentials: a
//! credentialed request answered by a `Basic` challenge can open the browser's login dialog (seen
//! in headless Chromium 156: the probe hangs until its time limit), which must never happen
//! behind the user's back — and without credentials in the user's request, `*` and
//! `Allow-Credentials` problems do not apply to it anyway.

use serde::{Deserialize, Serialize};

use crate::cors::{CorsRequest, CredentialsMode, preflight_reason};
use crate::request::RequestSpec;

/// Which probe of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProbeKind {
    AsGiven,
    Reachability,
    Simple,
    SimpleWithCredentials,
    PreflightedWithoutCredentials,
    RedirectCheck,
}

impl ProbeKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            ProbeKind::AsGiven => "as-given",
            ProbeKind::Reachability => "reachability",
            ProbeKind::Simple => "simple",
            ProbeKind::SimpleWithCredentials => "simple-with-credentials",
            ProbeKind::PreflightedWithoutCredentials => "preflighted-without-credentials",
            ProbeKind::RedirectCheck => "redirect-check",
        }
    }

    /// What the probe is for, in one line for the progress list.
    pub const fn purpose(self) -> &'static str {
        match self {
            ProbeKind::AsGiven => "your request, exactly as given",
            ProbeKind::Reachability => "does anything answer at all (no-cors)?",
            ProbeKind::Simple => "does the server answer CORS to an anonymous GET?",
            ProbeKind::SimpleWithCredentials => "the same GET with cookies (credentials: include)",
            ProbeKind::PreflightedWithoutCredentials => {
                "your headers without cookies: does the preflight pass?"
            }
            ProbeKind::RedirectCheck => "does the first answer redirect (redirect: manual)?",
        }
    }
}

/// `fetch()`'s `mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FetchMode {
    Cors,
    NoCors,
}

impl FetchMode {
    /// As `fetch()` spells it: `cors`, `no-cors`.
    pub const fn as_str(self) -> &'static str {
        match self {
            FetchMode::Cors => "cors",
            FetchMode::NoCors => "no-cors",
        }
    }
}

/// `fetch()`'s `redirect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RedirectMode {
    Follow,
    Manual,
}

impl RedirectMode {
    /// As `fetch()` spells it: `follow`, `manual`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RedirectMode::Follow => "follow",
            RedirectMode::Manual => "manual",
        }
    }
}

/// Exactly what one probe sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeRequest {
    pub url: String,
    pub method: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub mode: FetchMode,
    pub credentials: CredentialsMode,
    pub redirect: RedirectMode,
}

impl ProbeRequest {
    /// The `Authorization` header's value, if the probe carries one.
    pub fn authorization(&self) -> Option<&str> {
        crate::request::authorization(&self.headers)
    }
}

/// One request to send, and every plan entry it answers (a plain `GET` as given is also the
/// simple probe, so it is sent once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedProbe {
    pub kinds: Vec<ProbeKind>,
    pub request: ProbeRequest,
}

/// Why the plan cannot be sent yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanRefusal {
    /// The method may change data on the server: the user must confirm before it is sent.
    NeedsConfirmation { method: String },
}

/// The probes for `spec`. `unsafe_confirmed` is the user's explicit yes to sending an unsafe
/// method once.
pub fn plan_probes(
    spec: &RequestSpec,
    unsafe_confirmed: bool,
) -> Result<Vec<PlannedProbe>, PlanRefusal> {
    let method = spec.normalized_method();
    if spec.is_unsafe() && !unsafe_confirmed {
        return Err(PlanRefusal::NeedsConfirmation { method });
    }
    let get = |headers: Vec<(String, String)>, mode, credentials, redirect| ProbeRequest {
        url: spec.url.clone(),
        method: "GET".to_owned(),
        headers,
        body: None,
        mode,
        credentials,
        redirect,
    };
    let as_given = ProbeRequest {
        url: spec.url.clone(),
        method: method.clone(),
        headers: spec.headers.clone(),
        body: spec.body.clone(),
        mode: FetchMode::Cors,
        credentials: spec.credentials,
        redirect: RedirectMode::Follow,
    };
    // Variants replay only safe methods.
    let variant_method = if spec.is_unsafe() {
        "GET".to_owned()
    } else {
        method
    };
    let preflighted = ProbeRequest {
        method: variant_method,
        body: None,
        credentials: CredentialsMode::Omit,
        ..as_given.clone()
    };
    let needs_preflight = preflight_reason(&CorsRequest {
        origin: String::new(),
        method: preflighted.method.clone(),
        headers: preflighted.headers.clone(),
        credentials: CredentialsMode::Omit,
    })
    .is_some();
    let mut candidates = vec![
        (ProbeKind::AsGiven, as_given),
        (
            ProbeKind::Reachability,
            get(
                Vec::new(),
                FetchMode::NoCors,
                CredentialsMode::Omit,
                RedirectMode::Follow,
            ),
        ),
        (
            ProbeKind::Simple,
            get(
                Vec::new(),
                FetchMode::Cors,
                CredentialsMode::Omit,
                RedirectMode::Follow,
            ),
        ),
    ];
    if spec.credentials == CredentialsMode::Include {
        candidates.push((
            ProbeKind::SimpleWithCredentials,
            get(
                Vec::new(),
                FetchMode::Cors,
                CredentialsMode::Include,
                RedirectMode::Follow,
            ),
        ));
    }
    if needs_preflight {
        candidates.push((ProbeKind::PreflightedWithoutCredentials, preflighted));
    }
    candidates.push((
        ProbeKind::RedirectCheck,
        get(
            Vec::new(),
            FetchMode::Cors,
            CredentialsMode::Omit,
            RedirectMode::Manual,
        ),
    ));
    let mut plan: Vec<PlannedProbe> = Vec::new();
    for (kind, request) in candidates {
        match plan.iter_mut().find(|p| same_request(&p.request, &request)) {
            Some(existing) => existing.kinds.push(kind),
            None => plan.push(PlannedProbe {
                kinds: vec![kind],
                request,
            }),
        }
    }
    Ok(plan)
}

/// Requests that the browser sends identically. A cross-origin `same-origin` request carries no
/// credentials, exactly like `omit`.
fn same_request(a: &ProbeRequest, b: &ProbeRequest) -> bool {
    a.url == b.url
        && a.method == b.method
        && a.headers == b.headers
        && a.body == b.body
        && a.mode == b.mode
        && a.credentials.cross_origin() == b.credentials.cross_origin()
        && a.redirect == b.redirect
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(plan: &[PlannedProbe]) -> Vec<Vec<ProbeKind>> {
        plan.iter().map(|p| p.kinds.clone()).collect()
    }

    #[test]
    fn plan_for_plain_get_merges_as_given_and_simple() {
        let spec = RequestSpec::get("https://api.example.com/me");
        let plan = plan_probes(&spec, false).unwrap_or_default();
        assert_eq!(
            kinds(&plan),
            [
                vec![ProbeKind::AsGiven, ProbeKind::Simple],
                vec![ProbeKind::Reachability],
                vec![ProbeKind::RedirectCheck],
            ]
        );
        let reach = &plan[1].request;
        assert_eq!(
            (reach.mode, reach.credentials),
            (FetchMode::NoCors, CredentialsMode::Omit)
        );
        assert_eq!(plan[2].request.redirect, RedirectMode::Manual);
    }

    #[test]
    fn plan_adds_credentialed_probe_only_for_a_credentialed_request() {
        let mut spec = RequestSpec::get("https://api.example.com/me");
        spec.credentials = CredentialsMode::Include;
        let plan = plan_probes(&spec, false).unwrap_or_default();
        assert_eq!(
            kinds(&plan),
            [
                vec![ProbeKind::AsGiven, ProbeKind::SimpleWithCredentials],
                vec![ProbeKind::Reachability],
                vec![ProbeKind::Simple],
                vec![ProbeKind::RedirectCheck],
            ]
        );
    }

    #[test]
    fn plan_for_bearer_request_adds_preflighted_probe() {
        let mut spec = RequestSpec::get("https://api.example.com/me");
        spec.headers = vec![("Authorization".into(), "Bearer abc".into())];
        spec.credentials = CredentialsMode::Include;
        let plan = plan_probes(&spec, false).unwrap_or_default();
        assert_eq!(plan.len(), 6);
        let preflighted = plan
            .iter()
            .find(|p| p.kinds.contains(&ProbeKind::PreflightedWithoutCredentials))
            .map(|p| &p.request);
        assert_eq!(
            preflighted.map(|r| (r.credentials, r.headers.len())),
            Some((CredentialsMode::Omit, 1))
        );
    }

    #[test]
    fn plan_refuses_unsafe_method_until_confirmed() {
        let mut spec = RequestSpec::get("https://api.example.com/orders");
        spec.method = "delete".into();
        spec.headers = vec![("Authorization".into(), "Bearer abc".into())];
        assert_eq!(
            plan_probes(&spec, false),
            Err(PlanRefusal::NeedsConfirmation {
                method: "DELETE".into()
            })
        );
        let plan = plan_probes(&spec, true).unwrap_or_default();
        let unsafe_sends: Vec<&ProbeRequest> = plan
            .iter()
            .map(|p| &p.request)
            .filter(|r| r.method != "GET")
            .collect();
        assert_eq!(
            unsafe_sends.len(),
            1,
            "only the as-given probe sends DELETE: {plan:?}"
        );
        assert_eq!(unsafe_sends[0].method, "DELETE");
        assert!(
            plan.iter()
                .all(|p| p.request.method == "DELETE" || p.request.body.is_none())
        );
    }

    #[test]
    fn plan_variants_never_carry_the_body() {
        let mut spec = RequestSpec::get("https://api.example.com/search");
        spec.method = "POST".into();
        spec.body = Some("{\"q\":1}".into());
        spec.headers = vec![("Content-Type".into(), "application/json".into())];
        let plan = plan_probes(&spec, true).unwrap_or_default();
        let with_body = plan.iter().filter(|p| p.request.body.is_some()).count();
        assert_eq!(with_body, 1);
    }
}
