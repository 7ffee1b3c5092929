//! Names in the exchange that are not what they look like: a hidden character in a header or
//! cookie name, a challenge's scheme or parameter.

use super::{CookieVerdict, Reading};
use crate::text::Lookalike;

/// Every name of the exchange that holds a hidden character, each once: the pasted request's
/// and answers' header names and cookie names, and the challenge's schemes and parameters.
pub(super) fn lookalikes(reading: &Reading, cookies: &[CookieVerdict]) -> Vec<Lookalike> {
    let mut found: Vec<Lookalike> = Vec::new();
    // A set beside the list: a paste may hold thousands of names.
    let mut seen = std::collections::HashSet::new();
    let mut add = |what, name: &str| {
        if let Some(l) = Lookalike::of(what, name)
            && seen.insert((what, l.revealed.clone()))
        {
            found.push(l);
        }
    };
    for verdict in cookies {
        add("cookie name", &verdict.cookie.name);
    }
    if let Some(pasted) = reading.pasted() {
        let requests = pasted.request.iter().map(|r| &r.headers);
        for headers in requests.chain(pasted.responses.iter().map(|r| &r.headers)) {
            for (name, value) in headers {
                add("header name", name);
                if name.eq_ignore_ascii_case("cookie") {
                    for pair in value.split(';') {
                        add(
                            "cookie name",
                            pair.split('=').next().unwrap_or_default().trim(),
                        );
                    }
                }
            }
        }
    }
    if let Some(challenges) = &reading.challenges {
        for challenge in &challenges.challenges {
            add("challenge scheme", &challenge.scheme);
            for param in &challenge.params {
                add("challenge parameter", &param.value);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::super::diagnose;
    use super::super::fixture::answered;

    #[test]
    fn a_zero_width_character_in_a_cookie_or_a_realm_is_named() {
        let mut e = answered(
            &[],
            401,
            &[("www-authenticate", "Basic realm=\"a\u{200b}pi\"")],
        );
        e.pasted = Some("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"a\u{200b}pi\"\r\nSet-Cookie: s\u{200b}id=1\r\n\r\n".to_owned());
        let what: Vec<&str> = diagnose(&e).lookalikes.iter().map(|l| l.what).collect();
        assert!(what.contains(&"cookie name"), "{what:?}");
        assert!(what.contains(&"challenge parameter"), "{what:?}");
    }
}
