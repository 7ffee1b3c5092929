#![no_main]
//! `parse_target_url` on arbitrary text: never panics, and what it accepts is well-formed. The
//! same text as a signed URL's time (`parse_iso_time`): never panics, and a time it reads prints
//! back to itself.

use libfuzzer_sys::fuzz_target;
use why401_core::parse_target_url;
use why401_core::time::{format_utc, parse_iso_time};

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
    if let Some(time) = parse_iso_time(text) {
        let printed = format_utc(time).replace(' ', "T").replace("TUTC", "Z");
        assert_eq!(parse_iso_time(&printed), Some(time), "{text} → {printed}");
    }
});
