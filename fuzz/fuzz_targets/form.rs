#![no_main]
//! Evidence → form: a shared request, built from arbitrary parts (URL, method, headers, body,
//! credentials), with probes planned for it or for a changed copy of it, or read from arbitrary
//! JSON. Never panics; whatever `check_evidence` lets through shows what a re-run sends: the
//! form reads back the very request, with one line per header and no control character, and
//! the recorded probes are exactly the ones that request plans — or there are none, and the
//! evidence carries the exchange the user pasted instead.

use libfuzzer_sys::fuzz_target;
use why401_core::cors::CredentialsMode;
use why401_core::evidence::{Evidence, PageContext};
use why401_core::form::{RequestForm, check_evidence};
use why401_core::plan::plan_probes;
use why401_core::request::{RequestSpec, control_character};
use why401_core::target::AddressClass;
use why401_core::{Failure, ProbeOutcome};

const MODES: [CredentialsMode; 3] = [
    CredentialsMode::Omit,
    CredentialsMode::SameOrigin,
    CredentialsMode::Include,
];

/// Evidence from `\u{1}`-separated parts: flags, URL, method, headers (`name\u{2}value`
/// separated by `\u{3}`), body.
fn built(text: &str) -> Evidence {
    let mut parts = text.split('\u{1}');
    let flags = parts.next().unwrap_or_default().bytes().next().unwrap_or(0);
    let mut spec = RequestSpec::get(parts.next().unwrap_or_default());
    spec.method = parts.next().unwrap_or("GET").to_owned();
    spec.headers = parts
        .next()
        .unwrap_or_default()
        .split('\u{3}')
        .filter(|h| !h.is_empty())
        .map(|h| {
            let (name, value) = h.split_once('\u{2}').unwrap_or((h, ""));
            (name.to_owned(), value.to_owned())
        })
        .collect();
    spec.body = parts.next().map(str::to_owned);
    spec.credentials = MODES[usize::from(flags) % 3];
    spec.timeout_ms = u32::from(flags >> 2) * 100;
    // The probes may come from another request than the one shown.
    let mut recorded = spec.clone();
    if flags & 0x80 != 0 {
        recorded.credentials = MODES[usize::from(flags >> 4) % 3];
    }
    let context = PageContext::at("https://why401.example.org", true, AddressClass::Public);
    Evidence::planned(&spec, &recorded, context, 0, |_| {
        ProbeOutcome::Failed(Failure::failed_to_fetch())
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let evidence = if text.starts_with('{') {
        match Evidence::from_json(text) {
            Ok(evidence) => evidence,
            Err(_) => return,
        }
    } else {
        built(text)
    };
    let target = match check_evidence(&evidence) {
        Ok(target) => target,
        Err(refusal) => {
            assert!(refusal.to_string().starts_with("This result is not opened: "));
            return;
        }
    };
    let request = &evidence.request;
    assert_eq!(target.url, request.url);
    let form = RequestForm::from_spec(request);
    let reading = form.read();
    assert!(reading.target.is_ok() && reading.problems.is_empty());
    assert_eq!(&reading.spec, request);
    assert_eq!(form.headers.lines().count(), request.headers.len());
    for (name, value) in &request.headers {
        assert!(control_character(name).is_none() && control_character(value).is_none());
    }
    if evidence.nothing_sent() {
        assert!(evidence.pasted.as_deref().is_some_and(|p| !p.trim().is_empty()));
        return;
    }
    let planned = plan_probes(request, true).unwrap_or_default();
    assert_eq!(planned.len(), evidence.probes.len());
    for plan in &planned {
        assert!(
            evidence
                .probes
                .iter()
                .any(|r| r.kinds == plan.kinds && r.sent == plan.request)
        );
    }
});
