#![no_main]
//! Copied commands (curl for bash or cmd, PowerShell, Copy as fetch) on arbitrary text: never
//! panics, and every problem reads as a sentence.

use libfuzzer_sys::fuzz_target;
use why401_core::command::parse_command;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for text in [
        text.to_owned(),
        format!("curl {text}"),
        format!("fetch(\"https://a.example/\", {text})"),
        format!("Invoke-WebRequest -Uri {text}"),
    ] {
        if let Err(problem) = parse_command(&text) {
            assert!(!problem.to_string().is_empty());
        }
    }
});
