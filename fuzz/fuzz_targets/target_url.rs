#![no_main]
//! `parse_target_url` on arbitrary text: never panics, and what it accepts is well-formed.

use libfuzzer_sys::fuzz_target;
use why401_core::parse_target_url;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_target_url(text) {
        Ok(target) => {
            assert!(!target.host.is_empty());
            assert!(target.origin().starts_with("http"));
            assert!(target.url.len() <= text.len());
        }
        Err(problem) => assert!(!problem.to_string().is_empty()),
    }
});
