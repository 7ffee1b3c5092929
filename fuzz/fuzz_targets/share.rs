#![no_main]
//! The share-link reader on arbitrary text: never panics, and what it opens it writes back the
//! same.

use libfuzzer_sys::fuzz_target;
use why401_core::share::{decode, encode};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(evidence) = decode(text) {
        assert_eq!(decode(&encode(&evidence)).ok(), Some(evidence));
    }
});
