#![no_main]
//! `WWW-Authenticate` and `Authentication-Info` parsing on arbitrary text: never panics, every
//! problem's span lies inside the value, and every problem can be shown.

use libfuzzer_sys::fuzz_target;
use why401_core::header::{parse_auth_params, parse_www_authenticate};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A NUL splits the input into several header fields.
    let fields: Vec<&str> = text.split('\0').collect();
    let parsed = parse_www_authenticate(&fields);
    for problem in parsed.problems.iter().chain(parsed.check_status(401).iter()) {
        assert!(problem.span.start <= problem.span.end && problem.span.end <= parsed.value.len());
        let _ = problem.annotate(&parsed.value);
    }
    for challenge in &parsed.challenges {
        assert!(!challenge.scheme.is_empty());
        let _ = (challenge.basic(), challenge.bearer(), challenge.digest(), challenge.dpop());
    }
    let (_, problems) = parse_auth_params(text);
    for problem in problems {
        assert!(problem.span.end <= text.len());
    }
});
