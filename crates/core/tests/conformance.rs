//! Other projects' own test cases, imported as data (`tests/conformance/*.jsonl`, one case a
//! line, each citing the repository, commit and lines it was copied from): the core is checked
//! against them, a figure printed per source. A case the core answers otherwise fails the test
//! unless it carries a `deviation` — the reason, next to the case, that why401 follows what
//! browsers do there instead.

use serde_json::Value;
use why401_core::header::parse_www_authenticate;

/// One imported case.
struct Case {
    file: &'static str,
    line: usize,
    json: Value,
}

impl Case {
    fn name(&self) -> &str {
        self.json["name"].as_str().unwrap_or_default()
    }

    fn deviation(&self) -> Option<&str> {
        self.json["deviation"].as_str()
    }

    /// The repository the case was copied from: `owner/name`.
    fn repository(&self) -> String {
        let source = self.json["source"].as_str().unwrap_or_default();
        source
            .trim_start_matches("https://github.com/")
            .split('/')
            .take(2)
            .collect::<Vec<_>>()
            .join("/")
    }
}

fn cases(file: &'static str, text: &str) -> Vec<Case> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(at, l)| {
            let json: Value = serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{file}:{}: not JSON: {e}", at + 1));
            let source = json["source"].as_str().unwrap_or_default();
            assert!(
                source.starts_with("https://github.com/") && source.contains("/blob/"),
                "{file}:{}: no source",
                at + 1
            );
            Case {
                file,
                line: at + 1,
                json,
            }
        })
        .collect()
}

/// What the core said of one case.
enum Verdict {
    Agrees,
    Differs(String),
    /// The source's expectation cannot be put as a result (`unexpressed`).
    NotExpressed,
}

/// Runs every case, prints `<area> <repository>: N/M agree` per source, and fails on a case
/// that differs without a recorded deviation (or a deviation that no longer differs).
fn run(area: &str, all: &[Case], check: impl Fn(&Case) -> Verdict) -> Vec<String> {
    let mut repositories: Vec<String> = all.iter().map(Case::repository).collect();
    repositories.sort();
    repositories.dedup();
    let mut failures = Vec::new();
    let mut lines = Vec::new();
    for repository in &repositories {
        let (mut agree, mut total, mut deviations, mut unexpressed) = (0, 0, 0, 0);
        for case in all.iter().filter(|c| &c.repository() == repository) {
            let at = format!("{}:{} {:?}", case.file, case.line, case.name());
            match (check(case), case.deviation()) {
                (Verdict::NotExpressed, _) => unexpressed += 1,
                (Verdict::Agrees, None) => {
                    agree += 1;
                    total += 1;
                }
                (Verdict::Agrees, Some(_)) => {
                    agree += 1;
                    total += 1;
                    failures.push(format!("{at}: agrees now; drop its deviation"));
                }
                (Verdict::Differs(_), Some(_)) => {
                    deviations += 1;
                    total += 1;
                }
                (Verdict::Differs(why), None) => {
                    total += 1;
                    failures.push(format!("{at}: {why}"));
                }
            }
        }
        lines.push(format!(
            "{area} {repository}: {agree}/{total} agree{}{}",
            if deviations > 0 {
                format!(
                    ", {deviations} explained deviation{}",
                    if deviations == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            },
            if unexpressed > 0 {
                format!(" ({unexpressed} not expressible as a result)")
            } else {
                String::new()
            }
        ));
    }
    for line in &lines {
        println!("{line}");
    }
    failures
}

// ---- Challenges -----------------------------------------------------------------------------

/// How a source compares a challenge's parameters: in order (Chromium, KIO, Apache `HttpClient`,
/// `RestSharp`), as a map (`OkHttp`'s `Map`, Perl's hash), or by looking up the names it asserts
/// (abdera2's `getParam`).
#[derive(Clone, Copy, PartialEq)]
enum Params {
    InOrder,
    AsMap,
    LookedUp,
}

fn params_compared(repository: &str) -> Params {
    match repository {
        "square/okhttp" | "reneeb/Parse-WWWAuthenticate" => Params::AsMap,
        "finn-no/abdera2" => Params::LookedUp,
        _ => Params::InOrder,
    }
}

/// A challenge as the imported expectations write it: scheme, token68 (or, where the source
/// asserts Chromium's `base64_param()`, the token as a decoder reads it), params.
fn challenge_matches(
    expected: &Value,
    got: &why401_core::header::Challenge,
    params_mode: Params,
    decoded_token: bool,
) -> Result<(), String> {
    if let Some(scheme) = expected["scheme"].as_str()
        && !scheme.eq_ignore_ascii_case(&got.scheme)
    {
        return Err(format!("scheme {:?}, not {scheme:?}", got.scheme));
    }
    let token = if decoded_token {
        got.token68_padded()
    } else {
        got.token68.clone()
    };
    match &expected["token68"] {
        Value::String(want) if token.as_deref() != Some(want.as_str()) => {
            return Err(format!("token68 {token:?}, not {want:?}"));
        }
        Value::Null
            if expected.get("token68").is_some()
                && token.is_some()
                && expected.get("params").is_some() =>
        {
            return Err(format!("token68 {token:?}, none expected"));
        }
        _ => {}
    }
    if let Some(params) = expected["params"].as_array() {
        let want: Vec<(String, Option<String>)> = params
            .iter()
            .map(|p| {
                (
                    p[0].as_str().unwrap_or_default().to_ascii_lowercase(),
                    p[1].as_str().map(str::to_owned),
                )
            })
            .collect();
        let have: Vec<(String, Option<String>)> = got
            .params
            .iter()
            .map(|p| (p.name.to_ascii_lowercase(), Some(p.value.clone())))
            .collect();
        // A parameter without a value (`null`) is matched by name alone.
        let same_param = |w: &(String, Option<String>), h: &(String, Option<String>)| {
            w.0 == h.0 && (w.1.is_none() || w.1 == h.1)
        };
        let found = |w: &(String, Option<String>)| have.iter().any(|h| same_param(w, h));
        let same = match params_mode {
            Params::InOrder => {
                want.len() == have.len() && want.iter().zip(&have).all(|(w, h)| same_param(w, h))
            }
            Params::AsMap => want.len() == have.len() && want.iter().all(found),
            Params::LookedUp => want.iter().all(found),
        };
        if !same {
            return Err(format!("params {have:?}, not {want:?}"));
        }
    }
    Ok(())
}

fn check_challenges(case: &Case) -> Verdict {
    let input: Vec<&str> = case.json["input"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let parsed = parse_www_authenticate(&input);
    let expect = &case.json["expect"];
    let (expected, partial) = match expect.as_str() {
        Some("unexpressed") => return Verdict::NotExpressed,
        Some("invalid") => {
            return if parsed.challenges.is_empty() || !parsed.problems.is_empty() {
                Verdict::Agrees
            } else {
                Verdict::Differs(format!(
                    "read as {} challenge(s) with no problem; the source rejects it",
                    parsed.challenges.len()
                ))
            };
        }
        Some("partial") => (&case.json["expect_partial"], true),
        _ => (expect, false),
    };
    let expected = expected.as_array().cloned().unwrap_or_default();
    if !partial && expected.len() != parsed.challenges.len() {
        return Verdict::Differs(format!(
            "{} challenge(s), not {}: {:?}",
            parsed.challenges.len(),
            expected.len(),
            parsed
                .challenges
                .iter()
                .map(|c| (&c.scheme, &c.token68, c.params.len()))
                .collect::<Vec<_>>()
        ));
    }
    let mode = params_compared(&case.repository());
    let decoded = case.json["verbatim"]
        .as_str()
        .is_some_and(|v| v.contains("base64_param()"));
    // KIO asserts the one challenge it picks, wherever it stands.
    let picked = case.json["note"]
        .as_str()
        .is_some_and(|n| n.contains("selects"));
    for (at, want) in expected.iter().enumerate() {
        let result = if picked {
            parsed
                .challenges
                .iter()
                .find(|got| challenge_matches(want, got, mode, decoded).is_ok())
                .map(|_| ())
                .ok_or_else(|| "no challenge like it".to_owned())
        } else {
            match parsed.challenges.get(at) {
                Some(got) => challenge_matches(want, got, mode, decoded),
                None => Err("missing".to_owned()),
            }
        };
        if let Err(why) = result {
            return Verdict::Differs(format!("challenge {}: {why}", at + 1));
        }
    }
    Verdict::Agrees
}

const CHALLENGE_SUITES: &[(&str, &str)] = &[
    (
        "challenges-chromium.jsonl",
        include_str!("conformance/challenges-chromium.jsonl"),
    ),
    (
        "challenges-greenbytes.jsonl",
        include_str!("conformance/challenges-greenbytes.jsonl"),
    ),
    (
        "challenges-httpclient.jsonl",
        include_str!("conformance/challenges-httpclient.jsonl"),
    ),
    (
        "challenges-kio.jsonl",
        include_str!("conformance/challenges-kio.jsonl"),
    ),
    (
        "challenges-okhttp.jsonl",
        include_str!("conformance/challenges-okhttp.jsonl"),
    ),
];

#[test]
fn challenge_parsers_test_suites() {
    let all: Vec<Case> = CHALLENGE_SUITES
        .iter()
        .flat_map(|(file, text)| cases(file, text))
        .collect();
    let failures = run("challenges", &all, check_challenges);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---- Cookies --------------------------------------------------------------------------------

/// The clock the cookie suites run at: 2015-01-01T00:00:00Z. Every date the suites set is on
/// the side of it the tests mean (http-state's "future" dates of 2019 and 2027, the WPT tables'
/// 2038, the past 1980 and 2007).
const COOKIE_CLOCK: i64 = 1_420_070_400;

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Stores the case's `Set-Cookie` lines as received from `request_url` and reads the cookies
/// `result_url` carries: the `Cookie` header, or `document.cookie` (no `HttpOnly` ones) when the
/// source reads that.
fn check_cookies(case: &Case) -> Verdict {
    let json = &case.json;
    let mut jar = why401_core::cookie::Jar::new();
    let request_url = json["request_url"].as_str().unwrap_or_default();
    // What the test server sent when its framing changed the line (http-state strips leading
    // white space), else the line as the test wrote it.
    let served = if json.get("set_cookie_as_served").is_some() {
        strings(&json["set_cookie_as_served"])
    } else {
        strings(&json["set_cookie"])
    };
    for line in served {
        // HTTP framing: a header line ends at a line feed (RFC 9112 §2.2 lets a recipient take a
        // bare LF as the end of a line, as browsers do); what follows is no part of the cookie.
        let line = line.split('\n').next().unwrap_or_default();
        let _ = jar.store(line, request_url, COOKIE_CLOCK);
    }
    let result_url = json["result_url"].as_str().unwrap_or(request_url);
    let script = json["result_read_by"]
        .as_str()
        .is_some_and(|r| r.contains("document.cookie"));
    let got = jar
        .for_request(result_url, COOKIE_CLOCK)
        .into_iter()
        .filter(|c| !(script && c.http_only))
        .map(|c| {
            if c.name.is_empty() {
                c.value.clone()
            } else {
                format!("{}={}", c.name, c.value)
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    let want = json["expect_cookie"].as_str().unwrap_or_default();
    if got == want {
        Verdict::Agrees
    } else {
        Verdict::Differs(format!("{got:?}, not {want:?}"))
    }
}

#[test]
fn cookie_test_suites() {
    let all: Vec<Case> = [
        (
            "cookies-http-state.jsonl",
            include_str!("conformance/cookies-http-state.jsonl"),
        ),
        (
            "cookies-wpt.jsonl",
            include_str!("conformance/cookies-wpt.jsonl"),
        ),
    ]
    .iter()
    .flat_map(|(file, text)| cases(file, text))
    .collect();
    let failures = run("cookies", &all, check_cookies);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
