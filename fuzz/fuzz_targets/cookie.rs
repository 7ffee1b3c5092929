#![no_main]
//! `Set-Cookie` parsing, cookie dates, sendability, the cookie store and the public suffix
//! lookup on arbitrary text: never panics.

use libfuzzer_sys::fuzz_target;
use why401_core::cookie::{
    CookieRequest, Jar, PublicSuffixes, parse_cookie_date, parse_set_cookie, sendability, site_of,
};
use why401_core::cors::CredentialsMode;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_cookie_date(text);
    let (line, host) = text.split_once('\0').unwrap_or((text, "api.example.com"));
    // The text as a list, and the host looked up in it.
    let list = PublicSuffixes::parse(line);
    let _ = list.registrable_domain(host);
    let _ = list.public_suffix(host);
    for now in [0, 1_795_478_400, i64::MAX, i64::MIN] {
        let cookie = parse_set_cookie(line, now);
        for note in &cookie.notes {
            assert!(!note.to_string().is_empty());
        }
        let page = site_of(true, host);
        let request = CookieRequest {
            host,
            secure: true,
            https: true,
            path: line,
            page: &page,
            same_origin: false,
            credentials: CredentialsMode::Include,
            set_by_host: host,
            set_by_path: line,
            now,
            third_party_cookies_blocked: false,
        };
        let _ = sendability(&cookie, &request);
        // The store: every line set from one URL, then read back from another.
        let mut jar = Jar::new();
        let from = format!("https://{host}/{line}");
        for set in text.lines() {
            let _ = jar.store(set, &from, now);
        }
        let to = format!("http://{host}{line}");
        let _ = jar.cookie_header(&to, now);
        let _ = jar.cookie_header(&from, now.saturating_add(1));
    }
});
