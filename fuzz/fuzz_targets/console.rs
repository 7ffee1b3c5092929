#![no_main]
//! The console-line reader on arbitrary text: never panics, and what it reads it can match.

use libfuzzer_sys::fuzz_target;
use why401_core::console::parse_console_line;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(line) = parse_console_line(text) {
        assert!(line.matches(line.error));
    }
});
