#![no_main]
//! HAR files on arbitrary bytes: never panics; read whole or in slices of any size they give the
//! same entries; every failed entry reads as a sentence and turns into an exchange; the cookie
//! trail and the refresh races are sentences too.

use libfuzzer_sys::fuzz_target;
use why401_core::har::{HarReader, parse_har};

fuzz_target!(|data: &[u8]| {
    let Some((&budget, bytes)) = data.split_first() else {
        return;
    };
    let sliced = HarReader::new(bytes).and_then(|mut reader| {
        let mut entries = Vec::new();
        while !reader.done() {
            entries.extend(reader.next_entries(usize::from(budget))?);
        }
        Ok(entries)
    });
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    match parse_har(text) {
        Ok(har) => {
            assert_eq!(sliced.as_ref().ok(), Some(&har.entries));
            let _ = har.looks_sanitized();
            for (at, failure) in har.failures() {
                assert!(!failure.to_string().is_empty());
                if let Some(entry) = har.entries.get(at) {
                    let _ = entry.exchange();
                }
            }
            for note in har.cookie_trail().into_iter().chain(har.refresh_races()) {
                assert!(!note.sentence.is_empty());
            }
        }
        Err(problem) => assert!(!problem.to_string().is_empty()),
    }
});
