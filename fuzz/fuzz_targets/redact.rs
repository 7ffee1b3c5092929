#![no_main]
//! Redaction on arbitrary text in every place a secret may hide: never panics, keeps the
//! evidence's structure, and can run again on its own output.

use libfuzzer_sys::fuzz_target;
use why401_core::evidence::{Evidence, PageContext};
use why401_core::redact::{Redaction, redact};
use why401_core::request::RequestSpec;
use why401_core::{AddressClass, Failure, ProbeOutcome};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut request = RequestSpec::get(&format!("https://api.example.com/x?{text}"));
    request.headers = vec![
        ("Authorization".to_owned(), text.to_owned()),
        ("Cookie".to_owned(), text.to_owned()),
        ("X-Api-Key".to_owned(), text.to_owned()),
    ];
    request.body = Some(text.to_owned());
    let context = PageContext::at("https://why401.example.org", true, AddressClass::Public);
    let evidence = Evidence {
        console_line: Some(text.to_owned()),
        pasted: Some(text.to_owned()),
        ..Evidence::planned(&request, &request, context, 0, |_| {
            ProbeOutcome::Failed(Failure::failed_to_fetch())
        })
    };
    let once = redact(&evidence, &Redaction::standard());
    assert_eq!(once.request.headers.len(), evidence.request.headers.len());
    assert_eq!(once.request.body.is_some(), evidence.request.body.is_some());
    let _ = redact(&once, &Redaction::standard());
});
