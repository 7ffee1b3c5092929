#![no_main]
//! The Headers box and stored evidence on arbitrary text: never panics; every problem reads.

use libfuzzer_sys::fuzz_target;
use why401_core::evidence::Evidence;
use why401_core::plan::plan_probes;
use why401_core::request::{RequestSpec, check_request, parse_header_lines};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (headers, problems) = parse_header_lines(text);
    for problem in problems {
        assert!(!problem.to_string().is_empty());
    }
    let mut spec = RequestSpec::get("https://api.example.com/");
    spec.method = text.lines().next().unwrap_or("GET").to_owned();
    spec.headers = headers;
    let _ = check_request(&spec);
    let _ = plan_probes(&spec, true);
    if let Err(error) = Evidence::from_json(text) {
        assert!(!error.to_string().is_empty());
    }
});
