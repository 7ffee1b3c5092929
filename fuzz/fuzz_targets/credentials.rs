#![no_main]
//! `Authorization` parsing on arbitrary text: never panics and keeps spans inside the value.

use libfuzzer_sys::fuzz_target;
use why401_core::header::parse_authorization;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = parse_authorization(text);
    for problem in &parsed.problems {
        assert!(problem.span.start <= problem.span.end && problem.span.end <= text.len());
        let _ = problem.annotate(text);
    }
});
