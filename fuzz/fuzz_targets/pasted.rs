#![no_main]
//! The pasted-exchange reader on arbitrary text: never panics, and what it reads has an answer.

use libfuzzer_sys::fuzz_target;
use why401_core::pasted::parse_pasted;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(pasted) = parse_pasted(text) {
        let answer = pasted.answer();
        assert!(answer.is_some());
        let _ = answer.map(|a| a.seen("https://api.example.com/"));
        let _ = pasted.set_cookies().count();
    }
});
