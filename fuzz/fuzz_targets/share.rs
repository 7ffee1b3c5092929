#![no_main]
//! The share-link reader on arbitrary text: never panics, and what it opens it writes back the
//! same. Text starting with `{` is read as the evidence's JSON itself (which mutations of a
//! compressed link rarely reach) or as a JSON report. Whatever evidence comes out, everything the
//! page does with it — the diagnosis, the timeline, the steps, the raw view, the curl commands,
//! the secrets, the redaction and the exports — runs without a panic.

use libfuzzer_sys::fuzz_target;
use why401_core::diagnose::diagnose;
use why401_core::evidence::Evidence;
use why401_core::explain::{curl_command, curl_reproduce, raw, steps, timeline};
use why401_core::redact::{Redaction, redact, secrets};
use why401_core::share::{decode, encode};
use why401_core::{export, parse_target_url};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let opened = if text.starts_with('{') {
        Evidence::from_json(text)
            .ok()
            .or_else(|| export::read_report(text).ok())
    } else {
        decode(text).ok()
    };
    let Some(evidence) = opened else {
        return;
    };
    assert_eq!(decode(&encode(&evidence)).ok().as_ref(), Some(&evidence));
    let _ = parse_target_url(&evidence.request.url);
    let diagnosis = diagnose(&evidence);
    let _ = timeline(&evidence, &diagnosis);
    for finding in &diagnosis.findings {
        let _ = steps(&evidence, &diagnosis, finding);
    }
    for record in &evidence.probes {
        let _ = raw(record);
    }
    let _ = (curl_command(&evidence, false), curl_command(&evidence, true));
    let _ = (curl_reproduce(&evidence, false), curl_reproduce(&evidence, true));
    let _ = secrets(&evidence);
    let shared = redact(&evidence, &Redaction::standard());
    let _ = export::markdown(&shared, &diagnose(&shared), None);
    let _ = export::json(&shared, &diagnosis);
});
