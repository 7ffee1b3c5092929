#![no_main]
//! The CORS forward model on arbitrary server headers: never panics, a blocked verdict always
//! names a parameter Chromium could report, and a fetch across redirects (each hop answered with
//! the same text, its `Location` wherever the text sends it) ends within twenty-one hops.

use libfuzzer_sys::fuzz_target;
use why401_core::cors::{
    CorsRequest, CorsVerdict, CredentialsMode, Engine, HopAnswer, PageRequest, RedirectMode,
    RequestMode, ServerReply, fetch, simulate,
};

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
    for mode in [RequestMode::Cors, RequestMode::NoCors, RequestMode::SameOrigin] {
        let page = PageRequest {
            origin: request.origin.clone(),
            url: format!("https://api.example.com/{}", request.method),
            method: request.method.clone(),
            headers: request.headers.clone(),
            mode,
            credentials: request.credentials,
            redirect: RedirectMode::Follow,
        };
        let outcome = fetch(&page, Engine::Chromium, |_| HopAnswer {
            preflight: Some(reply(preflight)),
            response: reply(response.unwrap_or("")),
        });
        assert!(outcome.hops.len() <= 21);
    }
    for engine in [Engine::Chromium, Engine::Standard] {
        if let CorsVerdict::Blocked(failure) =
            simulate(&request, Some(&reply(preflight)), &reply(response.unwrap_or("")), engine)
        {
            assert!(!failure.to_string().is_empty());
        }
    }
});
