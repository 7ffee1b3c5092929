#![no_main]
//! JWT decoding and claim checks on arbitrary text: never panics, whatever the clock.

use libfuzzer_sys::fuzz_target;
use why401_core::token::{DecodedToken, decode_token};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (decoded, problems) = decode_token(text);
    for problem in &problems {
        assert!(!problem.to_string().is_empty());
    }
    if let DecodedToken::Jws(jwt) = decoded {
        for finding in jwt.check(1_764_000_000, 60, Some("api")) {
            assert!(!finding.to_string().is_empty());
        }
        let _ = jwt.check(i64::MIN, i64::MAX, None);
        let _ = (jwt.scopes(), jwt.audience(), jwt.dpop_thumbprint());
    }
});
