#![no_main]
//! The pasted-exchange reader on arbitrary text: never panics, and what it reads has an answer.
//! Pasted alone on the first screen, the exchange gives a request the form reads back as it is
//! (every header one the page may send), and its diagnosis, with nothing sent, never panics.

use libfuzzer_sys::fuzz_target;
use why401_core::diagnose::diagnose;
use why401_core::evidence::{Evidence, PageContext};
use why401_core::form::{RequestForm, check_evidence, request_from_paste};
use why401_core::pasted::parse_pasted;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(pasted) = parse_pasted(text) else {
        return;
    };
    let answer = pasted.answer();
    assert!(answer.is_some());
    let _ = answer.map(|a| a.seen("https://api.example.com/"));
    let _ = pasted.set_cookies().count();
    let typed = RequestForm {
        url: "https://api.example.com/v1/me".to_owned(),
        ..RequestForm::default()
    };
    let Some((target, spec)) = request_from_paste(&pasted, &typed) else {
        return;
    };
    assert_eq!(target.url, spec.url);
    let reading = RequestForm::from_spec(&spec).read();
    assert_eq!(reading.spec.headers, spec.headers);
    let context = PageContext::at("https://why401.example.org", target.secure, target.address_class);
    let evidence = Evidence::pasted_only(spec, context, 1_795_478_400, text.to_owned());
    // The form reads the request back as it is: the gate lets it through unless the request
    // itself is refused (a method no browser sends, a body on a GET).
    if reading.problems.is_empty() {
        assert!(check_evidence(&evidence).is_ok());
    }
    let _ = diagnose(&evidence);
});
