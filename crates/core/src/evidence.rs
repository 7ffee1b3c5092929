//! The evidence: what the user asked, where the page ran, and what every probe sent and saw.
//! Conclusions are not part of it — they are recomputed from it — so a share link that carries
//! the evidence shows the recipient the same report. Stable and versioned.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::observation::ProbeOutcome;
use crate::plan::{ProbeKind, ProbeRequest};
use crate::request::RequestSpec;
use crate::target::AddressClass;

/// The version this build writes and the newest it reads.
pub const EVIDENCE_VERSION: u32 = 1;

/// Where the user's own request runs, as the user says: CORS binds a web page, not a server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Caller {
    /// A web page: the user's app, at this origin when the user gave it.
    Page { origin: Option<String> },
    /// A server, a script, a mobile app, Postman or curl: no browser, so no CORS.
    Outside,
}

/// Where the probes ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageContext {
    /// The page's origin, serialized.
    pub origin: String,
    pub secure_context: bool,
    pub cookies_enabled: bool,
    pub target_secure: bool,
    pub target_address: AddressClass,
    /// The Local Network Access permission (`granted`, `denied`, `prompt`) where the browser has
    /// one, for a local or loopback target.
    pub local_network_permission: Option<String>,
    /// The exception message of a failed fetch names the engine (`Failed to fetch`: Chromium).
    pub user_agent: String,
}

impl PageContext {
    /// A page at `origin`, cookies on, calling a target of this scheme and address class, with
    /// no browser to ask the rest (tests, fuzz targets, tools that build evidence).
    pub fn at(origin: &str, target_secure: bool, target_address: AddressClass) -> PageContext {
        let page = crate::target::parse_target_url(origin).ok();
        PageContext {
            origin: origin.to_owned(),
            secure_context: page
                .is_some_and(|p| p.secure || p.address_class == AddressClass::Loopback),
            cookies_enabled: true,
            target_secure,
            target_address,
            local_network_permission: None,
            user_agent: String::new(),
        }
    }
}

/// One probe: the plan entries it answers, what it sent, what it saw, how long it took.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeRecord {
    pub kinds: Vec<ProbeKind>,
    pub sent: ProbeRequest,
    pub outcome: ProbeOutcome,
    pub elapsed_ms: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub version: u32,
    /// Seconds since the epoch, when the probes ran.
    pub captured_at: i64,
    pub request: RequestSpec,
    pub context: PageContext,
    pub probes: Vec<ProbeRecord>,
    /// What the user pasted from the browser console about the request, if anything: the line
    /// that names the reason page scripts never see.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub console_line: Option<String>,
    /// What the user pasted from outside the browser (`curl -i`, `curl -v`, DevTools' headers):
    /// the server's full answer, `Set-Cookie` and unexposed headers included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pasted: Option<String>,
    /// Where the user's own request runs, when the user said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller: Option<Caller>,
}

/// Why stored evidence cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceError {
    /// Written by a newer why401.
    FutureVersion { version: u32 },
    /// Not evidence at all, or damaged; carries the decoder's words.
    Malformed { detail: String },
}

impl EvidenceError {
    /// A stable name for the page's `data-link-error`, whether the evidence came in a link or
    /// a report file.
    pub fn kind(&self) -> &'static str {
        match self {
            EvidenceError::FutureVersion { .. } => "future-version",
            EvidenceError::Malformed { .. } => "malformed",
        }
    }
}

impl fmt::Display for EvidenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvidenceError::FutureVersion { version } => write!(
                f,
                "This result was made by a newer why401 (format {version}; this page reads up to {EVIDENCE_VERSION}). Reload the page to get the latest version."
            ),
            EvidenceError::Malformed { detail } => {
                write!(f, "This result is damaged or incomplete ({detail}).")
            }
        }
    }
}

impl Evidence {
    /// Evidence of `request` whose probes are the ones `recorded` plans (the request itself,
    /// or a changed one, as a crafted link would have it), each seen as `outcome` says: the one
    /// way tests, fuzz targets and tools build evidence.
    pub fn planned(
        request: &RequestSpec,
        recorded: &RequestSpec,
        context: PageContext,
        captured_at: i64,
        outcome: impl Fn(&crate::plan::PlannedProbe) -> ProbeOutcome,
    ) -> Evidence {
        let probes = crate::plan::plan_probes(recorded, true)
            .unwrap_or_default()
            .into_iter()
            .map(|p| ProbeRecord {
                outcome: outcome(&p),
                kinds: p.kinds,
                sent: p.request,
                elapsed_ms: 5.0,
            })
            .collect();
        Evidence {
            version: EVIDENCE_VERSION,
            captured_at,
            request: request.clone(),
            context,
            probes,
            console_line: None,
            pasted: None,
            caller: None,
        }
    }

    /// Evidence of an exchange the user pasted instead of sending anything: no probe, the paste
    /// the whole of it.
    pub fn pasted_only(
        request: RequestSpec,
        context: PageContext,
        captured_at: i64,
        pasted: String,
    ) -> Evidence {
        Evidence {
            version: EVIDENCE_VERSION,
            captured_at,
            request,
            context,
            probes: Vec::new(),
            console_line: None,
            pasted: Some(pasted),
            caller: None,
        }
    }

    /// Whether nothing was sent from the page: an exchange pasted alone.
    pub fn nothing_sent(&self) -> bool {
        self.probes.is_empty()
    }

    /// The probe that answered this plan entry, if it ran.
    pub fn probe(&self, kind: ProbeKind) -> Option<&ProbeRecord> {
        self.probes.iter().find(|p| p.kinds.contains(&kind))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// As [`Evidence::to_json`], indented: what a share link carries, for the user to read.
    pub fn to_pretty_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads evidence, refusing versions newer than this build before looking at the rest.
    pub fn from_json(json: &str) -> Result<Evidence, EvidenceError> {
        #[derive(Deserialize)]
        struct Versioned {
            version: u32,
        }
        let malformed = |e: serde_json::Error| EvidenceError::Malformed {
            detail: e.to_string(),
        };
        // One pass when it reads: a link may carry a megabyte.
        match serde_json::from_slice::<Evidence>(json.as_bytes()) {
            Ok(evidence) if evidence.version <= EVIDENCE_VERSION => Ok(evidence),
            Ok(Evidence { version, .. }) => Err(EvidenceError::FutureVersion { version }),
            Err(error) => match serde_json::from_slice(json.as_bytes()) {
                Ok(Versioned { version }) if version > EVIDENCE_VERSION => {
                    Err(EvidenceError::FutureVersion { version })
                }
                _ => Err(malformed(error)),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cors::CredentialsMode;
    use crate::observation::{Failure, FailureKind, ResponseSeen, ResponseType};
    use crate::plan::{FetchMode, RedirectMode};

    fn sample() -> Evidence {
        let sent = ProbeRequest {
            url: "http://127.0.0.1:8081/s/basic-challenge".into(),
            method: "GET".into(),
            headers: vec![("Authorization".into(), "Bearer abc".into())],
            body: None,
            mode: FetchMode::Cors,
            credentials: CredentialsMode::Omit,
            redirect: RedirectMode::Follow,
        };
        Evidence {
            version: EVIDENCE_VERSION,
            captured_at: 1_795_478_400,
            request: RequestSpec::get("http://127.0.0.1:8081/s/basic-challenge"),
            context: PageContext {
                origin: "http://127.0.0.1:8080".into(),
                secure_context: true,
                cookies_enabled: true,
                target_secure: false,
                target_address: AddressClass::Loopback,
                local_network_permission: None,
                user_agent: "Chromium".into(),
            },
            probes: vec![
                ProbeRecord {
                    kinds: vec![ProbeKind::AsGiven, ProbeKind::Simple],
                    sent: sent.clone(),
                    outcome: ProbeOutcome::Response(ResponseSeen {
                        response_type: ResponseType::OpaqueRedirect,
                        status: 0,
                        status_text: String::new(),
                        url: String::new(),
                        redirected: false,
                        headers: vec![("www-authenticate".into(), "Basic realm=\"x\"".into())],
                        body_excerpt: None,
                    }),
                    elapsed_ms: 12.5,
                },
                ProbeRecord {
                    kinds: vec![ProbeKind::Reachability],
                    sent,
                    outcome: ProbeOutcome::Failed(Failure {
                        kind: FailureKind::Network,
                        error_name: "TypeError".into(),
                        message: "Failed to fetch".into(),
                    }),
                    elapsed_ms: 3.0,
                },
            ],
            console_line: None,
            pasted: None,
            caller: None,
        }
    }

    #[test]
    fn evidence_round_trips_through_json() {
        let evidence = sample();
        let json = evidence.to_json();
        assert!(json.contains("\"opaqueredirect\""), "{json}");
        assert!(json.contains("\"as-given\""), "{json}");
        assert_eq!(Evidence::from_json(&json), Ok(evidence));
    }

    #[test]
    fn evidence_from_a_newer_version_is_refused_first() {
        let json = sample()
            .to_json()
            .replacen("\"version\":1", "\"version\":7", 1);
        assert_eq!(
            Evidence::from_json(&json),
            Err(EvidenceError::FutureVersion { version: 7 })
        );
        // Even when the rest no longer fits this build's shape.
        assert_eq!(
            Evidence::from_json("{\"version\":2,\"whatever\":true}"),
            Err(EvidenceError::FutureVersion { version: 2 })
        );
    }

    #[test]
    fn evidence_garbage_is_malformed_with_a_sentence() {
        for json in [
            "",
            "null",
            "{\"version\":1}",
            "[1,2]",
            "{\"version\":\"1\"}",
        ] {
            let error = Evidence::from_json(json).err();
            assert!(
                matches!(error, Some(EvidenceError::Malformed { .. })),
                "{json}: {error:?}"
            );
            assert!(error.is_some_and(|e| e.to_string().ends_with('.')));
        }
    }

    #[test]
    fn evidence_finds_probes_by_kind() {
        let evidence = sample();
        assert_eq!(
            evidence.probe(ProbeKind::Simple).map(|p| p.elapsed_ms),
            Some(12.5)
        );
        assert!(evidence.probe(ProbeKind::RedirectCheck).is_none());
    }
}
