//! The request form as text — the URL, the method, the Headers box, the body, the credentials
//! mode and the time limit in seconds — read into the request it sends, and written back from a
//! request (a share link's, a JSON report's). What the form shows is what Re-run sends: a link
//! is opened only when its request reads back from the form unchanged and its recorded probes
//! are the ones that request plans ([`check_evidence`]).

use std::fmt;

use crate::cors::CredentialsMode;
use crate::evidence::Evidence;
use crate::plan::{ProbeRequest, plan_probes};
use crate::request::{
    DEFAULT_TIMEOUT_MS, RequestProblem, RequestSpec, check_request, control_character,
    parse_header_lines,
};
use crate::target::{TargetUrl, UrlProblem, parse_target_url};

/// The form's fields as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestForm {
    pub url: String,
    pub method: String,
    /// One `Name: value` per line.
    pub headers: String,
    pub body: String,
    pub credentials: CredentialsMode,
    /// Seconds, as typed.
    pub timeout: String,
}

impl Default for RequestForm {
    fn default() -> Self {
        RequestForm {
            url: String::new(),
            method: "GET".to_owned(),
            headers: String::new(),
            body: String::new(),
            credentials: CredentialsMode::SameOrigin,
            timeout: ms_to_seconds(DEFAULT_TIMEOUT_MS),
        }
    }
}

/// What the form says: the target (or why the URL cannot be fetched), the request it sends, and
/// every problem with the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormReading {
    pub target: Result<TargetUrl, UrlProblem>,
    pub spec: RequestSpec,
    pub problems: Vec<RequestProblem>,
}

impl RequestForm {
    /// The form that sends `spec`.
    pub fn from_spec(spec: &RequestSpec) -> RequestForm {
        RequestForm {
            url: spec.url.clone(),
            method: spec.method.clone(),
            headers: spec
                .headers
                .iter()
                .map(|(name, value)| format!("{name}: {value}"))
                .collect::<Vec<_>>()
                .join("\n"),
            body: spec.body.clone().unwrap_or_default(),
            credentials: spec.credentials,
            timeout: ms_to_seconds(spec.timeout_ms),
        }
    }

    /// The request the form sends, with everything wrong with it.
    pub fn read(&self) -> FormReading {
        let target = parse_target_url(&self.url);
        let (headers, mut problems) = parse_header_lines(&self.headers);
        let spec = RequestSpec {
            url: target
                .as_ref()
                .map_or_else(|_| String::new(), |t| t.url.clone()),
            method: self.method.trim().to_owned(),
            headers,
            body: (!self.body.is_empty()).then(|| self.body.clone()),
            credentials: self.credentials,
            timeout_ms: seconds_to_ms(&self.timeout).unwrap_or(0),
        };
        problems.extend(check_request(&spec));
        FormReading {
            target,
            spec,
            problems,
        }
    }
}

/// The request a pasted exchange shows, as the form would send it: its request line with its
/// `Host` (or else the URL typed in the form, or the one a `curl` command names), the headers a
/// page may set — the others stay in the paste, which the diagnosis reads whole — and
/// `credentials: 'include'` when it carried cookies. `None` when neither the paste nor the form
/// names a URL.
pub fn request_from_paste(
    pasted: &crate::pasted::Pasted,
    typed: &RequestForm,
) -> Option<(TargetUrl, RequestSpec)> {
    let mut form = typed.clone();
    // Past redirects (`curl -L -v`), the user's request is the first.
    if let Some(request) = pasted.redirected_from.as_ref().or(pasted.request.as_ref()) {
        let host = request
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("host") || n == ":authority")
            .map(|(_, v)| v.trim());
        let target = request.target.trim();
        let url = if target.contains("://") {
            Some(target.to_owned())
        } else {
            host.filter(|h| !h.is_empty()).map(|host| {
                // curl prints `Host:`, not the scheme; the form's own URL says it when it names
                // the same host, else HTTPS, what APIs speak.
                let scheme = parse_target_url(&typed.url)
                    .ok()
                    .filter(|t| {
                        t.host
                            .eq_ignore_ascii_case(host.split(':').next().unwrap_or(host))
                    })
                    .map_or(
                        // What curl's notes said of TLS, else HTTPS, what APIs speak.
                        if pasted.tls == Some(false) {
                            "http"
                        } else {
                            "https"
                        },
                        |t| if t.secure { "https" } else { "http" },
                    );
                format!(
                    "{scheme}://{host}{}",
                    if target.starts_with('/') { target } else { "/" }
                )
            })
        };
        if let Some(url) = url {
            form.url = url;
        }
        if !request.method.is_empty() {
            form.method = request.method.to_ascii_uppercase();
        }
        form.headers = request
            .headers
            .iter()
            .filter(|(n, _)| !n.starts_with(':'))
            .map(|(n, v)| format!("{n}: {v}"))
            .collect::<Vec<_>>()
            .join("\n");
        if request
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("cookie"))
        {
            form.credentials = CredentialsMode::Include;
        }
        form.body = String::new();
    }
    let reading = form.read();
    let target = reading.target.ok()?;
    // What the page may not send (Cookie, Host, …) is left out; the paste keeps it.
    let mut spec = reading.spec;
    if spec.timeout_ms == 0 {
        spec.timeout_ms = RequestSpec::get("").timeout_ms;
    }
    Some((target, spec))
}

/// 2500 ms → `"2.5"`: the form's time limit.
pub fn ms_to_seconds(ms: u32) -> String {
    let (whole, fraction) = (ms / 1000, ms % 1000);
    if fraction == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{fraction:03}")
            .trim_end_matches('0')
            .to_owned()
    }
}

/// `"2.5"` seconds → 2500 ms; at most three decimals. Written out rather than parsed as `f64`,
/// whose parser would add kilobytes of wasm for one text box.
pub fn seconds_to_ms(text: &str) -> Option<u32> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if (whole.is_empty() && fraction.is_empty())
        || fraction.len() > 3
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction: u32 = format!("{fraction:0<3}").parse().ok()?;
    whole.checked_mul(1000)?.checked_add(fraction)
}

/// Whether the browser's cookies for the target ride along with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cookies {
    /// `credentials: include`: the cookies this browser holds for the site go with it (those
    /// its settings and their `SameSite` let through).
    Sent,
    /// `credentials: same-origin` to this page's own origin.
    SentSameOrigin,
    /// `same-origin` to another origin: none go.
    NotCrossOrigin,
    /// `credentials: omit`.
    Omitted,
}

impl Cookies {
    /// `sent` or `not-sent`, for the page's `data-cookies`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Cookies::Sent | Cookies::SentSameOrigin => "sent",
            Cookies::NotCrossOrigin | Cookies::Omitted => "not-sent",
        }
    }
}

/// What a click is about to send, for the words beside Re-run and "Send … once": the method,
/// the host, the credentials mode and whether this browser's cookies ride along.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sending {
    pub method: String,
    pub host: String,
    pub credentials: CredentialsMode,
    pub cookies: Cookies,
    /// The `Authorization` header's scheme, when the request carries one.
    pub authorization: Option<String>,
}

impl Sending {
    /// What `spec` to `target` sends from a page at `page_origin`.
    pub fn of(spec: &RequestSpec, target: &TargetUrl, page_origin: &str) -> Sending {
        let cookies = match spec.credentials {
            CredentialsMode::Include => Cookies::Sent,
            CredentialsMode::SameOrigin if target.origin() == page_origin => {
                Cookies::SentSameOrigin
            }
            CredentialsMode::SameOrigin => Cookies::NotCrossOrigin,
            CredentialsMode::Omit => Cookies::Omitted,
        };
        let host = match target.port {
            Some(port) => format!("{}:{port}", target.host),
            None => target.host.clone(),
        };
        Sending {
            method: spec.normalized_method(),
            host,
            credentials: spec.credentials,
            cookies,
            authorization: spec.authorization().map(|value| {
                value
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            }),
        }
    }
}

impl fmt::Display for Sending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Sending {
            method,
            host,
            credentials,
            cookies,
            authorization,
        } = self;
        write!(
            f,
            "Sends {method} to {host} with credentials: {}",
            credentials.as_str()
        )?;
        match cookies {
            Cookies::Sent => write!(
                f,
                " — this browser's cookies for {host} go with it (those its settings let through)"
            )?,
            Cookies::SentSameOrigin => write!(
                f,
                " — {host} is this page's own origin, so this browser's cookies for it go with it"
            )?,
            Cookies::NotCrossOrigin => f.write_str(
                " — another origin than this page's, so no cookies of this browser go with it",
            )?,
            Cookies::Omitted => f.write_str(" — no cookies of this browser go with it")?,
        }
        match authorization.as_deref() {
            Some("") => f.write_str(", and the Authorization header from the form."),
            Some(scheme) => write!(
                f,
                ", and the Authorization header from the form ({}).",
                crate::text::reveal(scheme)
            ),
            None => f.write_str("; no Authorization header."),
        }
    }
}

/// Why a shared result (a link, a JSON report) is not opened: what it shows would not be what
/// Re-run sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contradiction {
    /// A header with a control character: it would be split into lines of its own, or hide
    /// what is sent.
    ControlInHeader { name: String, code_point: String },
    /// The URL is not one the page fetches.
    Url(UrlProblem),
    /// The request breaks a rule of the form (a forbidden header, a body on a GET …).
    Request(RequestProblem),
    /// Typed into the form, the request would change: `field` differs.
    NotAsShown { field: &'static str },
    /// The recorded probes are not the ones the request plans: the report would show one
    /// request and Re-run send another.
    Probes { detail: String },
}

impl Contradiction {
    /// A stable name for the page's `data-link-error`.
    pub fn kind(&self) -> &'static str {
        match self {
            Contradiction::ControlInHeader { .. } => "control-in-header",
            Contradiction::Url(_)
            | Contradiction::Request(_)
            | Contradiction::NotAsShown { .. } => "request",
            Contradiction::Probes { .. } => "contradiction",
        }
    }
}

impl fmt::Display for Contradiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("This result is not opened: ")?;
        match self {
            Contradiction::ControlInHeader { name, code_point } => write!(
                f,
                "its request's header {name} holds a control character ({code_point}), which would break it into another header or hide what is sent."
            ),
            Contradiction::Url(problem) => write!(f, "its request's URL cannot be sent. {problem}"),
            Contradiction::Request(problem) => write!(
                f,
                "its request cannot be sent as it is. {}",
                problem
                    .to_string()
                    .replacen("of Headers", "of its headers", 1)
            ),
            Contradiction::NotAsShown { field } => write!(
                f,
                "its request's {field} would change when put in the form, so what it shows is not what a re-run would send."
            ),
            Contradiction::Probes { detail } => write!(
                f,
                "its recorded requests contradict its request ({detail}). It may have been changed by hand; ask for the link again."
            ),
        }
    }
}

/// Checks that a shared result shows what a re-run sends: its request has no header a form
/// would split or hide, reads back from the form unchanged and passes the form's checks, and its
/// probes are exactly the ones that request plans (the as-given probe sends the request itself).
/// Returns the request's target, as the form reads it.
pub fn check_evidence(evidence: &Evidence) -> Result<TargetUrl, Contradiction> {
    let request = &evidence.request;
    for (name, value) in &request.headers {
        if let Some(c) = control_character(name).or_else(|| control_character(value)) {
            return Err(Contradiction::ControlInHeader {
                name: crate::text::reveal(name).into_owned(),
                code_point: crate::text::code_point(c),
            });
        }
    }
    let reading = RequestForm::from_spec(request).read();
    let target = reading.target.map_err(Contradiction::Url)?;
    if let Some(problem) = reading.problems.into_iter().next() {
        return Err(Contradiction::Request(problem));
    }
    let read = &reading.spec;
    let field = if read.url != request.url {
        Some("URL")
    } else if read.method != request.method {
        Some("method")
    } else if read.headers != request.headers {
        Some("headers")
    } else if read.body != request.body {
        Some("body")
    } else if read.timeout_ms != request.timeout_ms {
        Some("time limit")
    } else {
        None
    };
    if let Some(field) = field {
        return Err(Contradiction::NotAsShown { field });
    }
    // An exchange pasted alone: nothing was sent, so there is no probe to check.
    if evidence.probes.is_empty()
        && evidence
            .pasted
            .as_deref()
            .is_some_and(|p| !p.trim().is_empty())
    {
        return Ok(target);
    }
    let planned = plan_probes(request, true).map_err(|_| Contradiction::Probes {
        detail: "no plan".to_owned(),
    })?;
    // The user's own request first: it is what the report shows as sent.
    for plan in &planned {
        let Some(kind) = plan.kinds.first() else {
            continue;
        };
        let name = kind.as_str();
        let Some(record) = evidence.probes.iter().find(|r| r.kinds.contains(kind)) else {
            return Err(Contradiction::Probes {
                detail: format!("the probe “{name}” is missing"),
            });
        };
        if let Some(difference) = difference(&record.sent, &plan.request) {
            return Err(Contradiction::Probes {
                detail: format!("the probe “{name}” {difference}"),
            });
        }
    }
    let kinds = |kinds: &[crate::plan::ProbeKind]| {
        kinds
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(" + ")
    };
    if let Some(record) = evidence
        .probes
        .iter()
        .find(|r| !planned.iter().any(|p| p.kinds == r.kinds))
    {
        return Err(Contradiction::Probes {
            detail: format!(
                "a probe “{}” that the request does not plan",
                kinds(&record.kinds)
            ),
        });
    }
    if planned.len() != evidence.probes.len() {
        return Err(Contradiction::Probes {
            detail: format!(
                "{} recorded, {} planned",
                evidence.probes.len(),
                planned.len()
            ),
        });
    }
    Ok(target)
}

/// How `recorded` differs from what the request plans, in words.
fn difference(recorded: &ProbeRequest, planned: &ProbeRequest) -> Option<String> {
    let says = |what: &str, got: &str, want: &str| {
        Some(format!("sent {what} {got}, but the request says {want}"))
    };
    if recorded.credentials != planned.credentials {
        return says(
            "credentials",
            recorded.credentials.as_str(),
            planned.credentials.as_str(),
        );
    }
    if recorded.method != planned.method {
        return says("method", &recorded.method, &planned.method);
    }
    if recorded.url != planned.url {
        return Some("was sent to another URL than the request's".to_owned());
    }
    if recorded.headers != planned.headers {
        return Some("sent other headers than the request's".to_owned());
    }
    if recorded.body != planned.body {
        return Some("sent another body than the request's".to_owned());
    }
    if recorded.mode != planned.mode {
        return says("mode", recorded.mode.as_str(), planned.mode.as_str());
    }
    if recorded.redirect != planned.redirect {
        return says(
            "redirect",
            recorded.redirect.as_str(),
            planned.redirect.as_str(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_reads_back_the_request_it_was_written_from() {
        let mut spec = RequestSpec::get("https://api.example.com/v1/me?x=1");
        spec.method = "PATCH".into();
        spec.headers = vec![
            ("Authorization".into(), "Bearer abc".into()),
            ("X-Trace".into(), "a\tb".into()),
        ];
        spec.body = Some("{\"a\":1}\n".into());
        spec.credentials = CredentialsMode::Include;
        spec.timeout_ms = 2_500;
        let reading = RequestForm::from_spec(&spec).read();
        assert!(reading.target.is_ok() && reading.problems.is_empty());
        assert_eq!(reading.spec, spec);
    }

    #[test]
    fn form_says_what_a_click_sends() {
        let target = |url: &str| parse_target_url(url).unwrap_or_else(|p| panic!("{p}"));
        let mut spec = RequestSpec::get("https://api.example.com:8443/v1/me");
        spec.method = "delete".into();
        spec.credentials = CredentialsMode::Include;
        spec.headers = vec![("Authorization".into(), "Bearer abc".into())];
        let api = target(&spec.url);
        let sending = Sending::of(&spec, &api, "https://why401.example.org");
        assert_eq!(
            sending.to_string(),
            "Sends DELETE to api.example.com:8443 with credentials: include — this browser's cookies for api.example.com:8443 go with it (those its settings let through), and the Authorization header from the form (Bearer)."
        );
        spec.credentials = CredentialsMode::SameOrigin;
        assert_eq!(
            Sending::of(&spec, &api, "https://why401.example.org").cookies,
            Cookies::NotCrossOrigin
        );
        assert_eq!(
            Sending::of(&spec, &api, "https://api.example.com:8443").cookies,
            Cookies::SentSameOrigin
        );
        spec.credentials = CredentialsMode::Omit;
        spec.headers.clear();
        let sending = Sending::of(&spec, &api, "https://api.example.com:8443");
        assert_eq!(sending.cookies.as_str(), "not-sent");
        assert!(sending.to_string().ends_with("no Authorization header."));
    }

    #[test]
    fn form_reads_the_time_limit_in_seconds() {
        assert_eq!(seconds_to_ms("10"), Some(10_000));
        assert_eq!(seconds_to_ms(" 2.5 "), Some(2_500));
        assert_eq!(seconds_to_ms(".25"), Some(250));
        assert_eq!(seconds_to_ms("0.0005"), None);
        assert_eq!(seconds_to_ms("1e3"), None);
        assert_eq!(seconds_to_ms("-1"), None);
        assert_eq!(seconds_to_ms("."), None);
        assert_eq!(seconds_to_ms("99999999"), None);
        for ms in [1, 250, 2_500, 10_000, 60_001] {
            assert_eq!(seconds_to_ms(&ms_to_seconds(ms)), Some(ms), "{ms}");
        }
        assert_eq!(ms_to_seconds(2_500), "2.5");
    }
}
