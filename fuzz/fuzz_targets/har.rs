#![no_main]
//! HAR files on arbitrary text: never panics; every failed entry reads as a sentence and turns
//! into an exchange.

use libfuzzer_sys::fuzz_target;
use why401_core::har::parse_har;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_har(text) {
        Ok(har) => {
            let _ = har.looks_sanitized();
            for (at, failure) in har.failures() {
                assert!(!failure.to_string().is_empty());
                if let Some(entry) = har.entries.get(at) {
                    let _ = entry.exchange();
                }
            }
        }
        Err(problem) => assert!(!problem.to_string().is_empty()),
    }
});
