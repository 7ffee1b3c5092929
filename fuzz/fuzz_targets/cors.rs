#![no_main]
//! The CORS forward model on arbitrary server headers: never panics, and a blocked verdict always
//! names a parameter Chromium could report.

use libfuzzer_sys::fuzz_target;
use why401_core::cors::{CorsRequest, CorsVerdict, CredentialsMode, Engine, ServerReply, simulate};

fn reply(text: &str) -> ServerReply {
    let mut lines = text.lines();
    let status = lines.next().and_then(|l| l.trim().parse().ok()).unwrap_or(200);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    ServerReply { status, headers }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(3, '\0');
    let (Some(request), Some(preflight), response) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let mut lines = request.lines();
    let method = lines.next().unwrap_or("GET").to_owned();
    let request = CorsRequest {
        origin: "https://app.example.com".to_owned(),
        method,
        headers: lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
            .collect(),
        credentials: if data.len() % 2 == 0 { CredentialsMode::Include } else { CredentialsMode::Omit },
    };
    for engine in [Engine::Chromium, Engine::Standard] {
        if let CorsVerdict::Blocked(failure) =
            simulate(&request, Some(&reply(preflight)), &reply(response.unwrap_or("")), engine)
        {
            assert!(!failure.to_string().is_empty());
        }
    }
});
