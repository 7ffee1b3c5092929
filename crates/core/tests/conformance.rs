//! Other projects' own test cases, imported as data (`tests/conformance/*.jsonl`, one case a
//! line, each citing the repository, commit and lines it was copied from): the core is checked
//! against them, a figure printed per source. A case the core answers otherwise fails the test
//! unless it carries a `deviation` — the reason, next to the case, that why401 follows what
//! browsers do there instead.

use serde_json::Value;
use why401_core::cors::{
    CorsFailure, CorsRequest, CredentialsMode, Engine, FetchError, HopAnswer, HopRequest,
    LatentProblem, PageRequest, PreflightCache, RedirectMode, RequestMode, ResponseKind,
    ServerReply, check_preflight, check_response, cors_unsafe_not_forbidden_request_header_names,
    cors_unsafe_request_header_names, fetch, fetch_with_cache, is_no_cors_safelisted_header_name,
    is_no_cors_safelisted_request_header, is_safelisted_method, is_safelisted_request_header,
    max_age_seconds, redirect_location_problem,
};
use why401_core::header::parse_www_authenticate;

/// One imported case.
struct Case {
    file: &'static str,
    line: usize,
    json: Value,
}

impl Case {
    fn name(&self) -> &str {
        self.json["name"]
            .as_str()
            .or_else(|| self.json["test"].as_str())
            .unwrap_or_default()
    }

    fn deviation(&self) -> Option<&str> {
        self.json["deviation"].as_str()
    }

    /// The repository the case was copied from: `owner/name` (web-platform-tests for its copy
    /// vendored by another project, which names the upstream path).
    fn repository(&self) -> String {
        if self.json["upstream_path"]
            .as_str()
            .is_some_and(|p| p.starts_with("web-platform-tests/wpt/"))
        {
            return "web-platform-tests/wpt".to_owned();
        }
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
    /// A kind of case the core does not model yet (named in the figure).
    NotRun,
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
        let mut not_run: Vec<(String, usize)> = Vec::new();
        for case in all.iter().filter(|c| &c.repository() == repository) {
            let at = format!("{}:{} {:?}", case.file, case.line, case.name());
            match (check(case), case.deviation()) {
                (Verdict::NotExpressed, _) => unexpressed += 1,
                (Verdict::NotRun, _) => {
                    let kind = case.json["kind"].as_str().unwrap_or("?").to_owned();
                    match not_run.iter_mut().find(|(k, _)| *k == kind) {
                        Some((_, n)) => *n += 1,
                        None => not_run.push((kind, 1)),
                    }
                }
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
        if !not_run.is_empty() {
            let kinds: Vec<String> = not_run.iter().map(|(k, n)| format!("{k} {n}")).collect();
            lines.push(format!(
                "{area} {repository}: not run yet (kinds the core does not model yet): {}",
                kinds.join(", ")
            ));
        }
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
        .map(why401_core::cookie::StoredCookie::pair)
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

// ---- CORS -----------------------------------------------------------------------------------

fn pairs(value: &Value) -> Vec<(String, String)> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    (
                        p[0].as_str().unwrap_or_default().to_owned(),
                        p[1].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn credentials(value: &Value) -> CredentialsMode {
    match value.as_str() {
        Some("include") => CredentialsMode::Include,
        Some("same-origin") => CredentialsMode::SameOrigin,
        _ => CredentialsMode::Omit,
    }
}

/// `"ok"`, or the error the source expects as Chromium names it (`kWildcardOriginNotAllowed`).
fn outcome(result: Result<(), CorsFailure>) -> String {
    match result {
        Ok(()) => "ok".to_owned(),
        Err(failure) => format!("k{}", failure.error.as_str()),
    }
}

/// An outcome against the expected one; `"error"` stands for any failure.
fn same_outcome(got: String, want: &str) -> Verdict {
    if want == "error" && got != "ok" {
        Verdict::Agrees
    } else {
        same(got, want.to_owned())
    }
}

#[expect(
    clippy::needless_pass_by_value,
    reason = "every caller hands over a value it has just made"
)]
fn same<T: PartialEq + std::fmt::Debug>(got: T, want: T) -> Verdict {
    if got == want {
        Verdict::Agrees
    } else {
        Verdict::Differs(format!("{got:?}, not {want:?}"))
    }
}

/// A preflight answered 200 with the case's allow lists, for the request the case describes,
/// checked the way Chromium checks a preflight result made with `cache_credentials`.
fn preflight_case(json: &Value) -> (CorsRequest, ServerReply) {
    let origin = "https://origin.example".to_owned();
    let mode = credentials(&json["cache_credentials"]);
    let mut headers = vec![("Access-Control-Allow-Origin".to_owned(), origin.clone())];
    if mode == CredentialsMode::Include {
        headers.push((
            "Access-Control-Allow-Credentials".to_owned(),
            "true".to_owned(),
        ));
    }
    for (name, field) in [
        ("Access-Control-Allow-Methods", "allow_methods"),
        ("Access-Control-Allow-Headers", "allow_headers"),
    ] {
        if let Some(value) = json[field].as_str() {
            headers.push((name.to_owned(), value.to_owned()));
        }
    }
    let request = CorsRequest {
        origin,
        method: json["request_method"].as_str().unwrap_or("GET").to_owned(),
        headers: pairs(&json["request_headers"]),
        credentials: mode,
    };
    (
        request,
        ServerReply {
            status: 200,
            headers,
        },
    )
}

fn check_cors(case: &Case) -> Verdict {
    let json = &case.json;
    match json["kind"].as_str().unwrap_or_default() {
        "access_check"
        | "preflight_methods"
        | "preflight_headers"
        | "authorization_covered_by_wildcard"
        | "preflight_parse" => check_cors_answer(json),
        "unexpressed" => Verdict::NotExpressed,
        "fetch" | "redirect" => check_exchange(case),
        "preflight_max_age" => same(
            max_age_seconds(json["max_age"].as_str()),
            json["expect_expiry_seconds_from_now"]
                .as_i64()
                .unwrap_or_default(),
        ),
        "preflight_cache_credentials" => {
            // A preflight kept for one credentials mode, asked by a request in another.
            let url = "https://api.example/x";
            let kept_for = CorsRequest {
                origin: "https://origin.example".to_owned(),
                method: json["request_method"].as_str().unwrap_or("GET").to_owned(),
                headers: Vec::new(),
                credentials: credentials(&json["cache_credentials"]),
            };
            let reply = ServerReply {
                status: 200,
                headers: vec![(
                    "Access-Control-Allow-Methods".to_owned(),
                    json["allow_methods"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                )],
            };
            let mut cache = PreflightCache::new();
            cache.store(&kept_for, url, &reply, 0);
            let asking = CorsRequest {
                credentials: credentials(&json["request_credentials"]),
                ..kept_for
            };
            same(
                cache.covers(&asking, url, 1),
                json["expect"].as_bool().unwrap_or_default(),
            )
        }
        "preflight_cache" => check_cached_exchanges(json),
        "preflight_required" => {
            let outcome = fetch(&page_request(json), Engine::Chromium, |hop| HopAnswer {
                preflight: json["preflight"]
                    .is_object()
                    .then(|| reply_to(&json["preflight"], hop, &Value::Null)),
                response: reply_to(&json["response"], hop, &Value::Null),
            });
            same(
                outcome.hops.first().map(|h| h.preflight),
                json["expect"].as_bool(),
            )
        }
        "forbidden_method_request" => {
            // The table's row: a method and a mode (`request.method` is the row's own).
            let request = page_request(&serde_json::json!({ "request": json }));
            let outcome = fetch(&request, Engine::Chromium, |_| HopAnswer::default());
            same(
                matches!(outcome.result, Err(FetchError::ForbiddenMethod)),
                json["expect"].as_str() != Some("ok"),
            )
        }
        "redirect_location" => {
            let mode = match json["request_mode"].as_str() {
                Some("no-cors") => RequestMode::NoCors,
                _ => RequestMode::Cors,
            };
            let problem = redirect_location_problem(
                json["origin"].as_str().unwrap_or_default(),
                json["redirect_url"].as_str().unwrap_or_default(),
                mode,
                json["cors_flag"].as_bool().unwrap_or_default(),
            );
            same(
                problem.map_or_else(|| "ok".to_owned(), |e| format!("k{}", e.as_str())),
                json["expect"].as_str().unwrap_or_default().to_owned(),
            )
        }
        _ => check_cors_request(json),
    }
}

/// The cases on a request alone: its method and headers.
fn check_cors_request(json: &Value) -> Verdict {
    let text = |field: &str| json[field].as_str().unwrap_or_default();
    match text("kind") {
        "safelisted_method" => same(
            is_safelisted_method(text("method")),
            json["expect"].as_bool().unwrap_or_default(),
        ),
        "forbidden_method" => same(
            why401_core::request::is_forbidden_method(text("method")),
            json["expect"].as_bool().unwrap_or_default(),
        ),
        "safelisted_header" => same(
            is_safelisted_request_header(text("header"), text("value")),
            json["expect"].as_bool().unwrap_or_default(),
        ),
        "safelisted_header_charset" => {
            // Every character of the loop put in the template, against the characters the
            // source allows (bytes 128–255 stand for the Latin-1 characters they are).
            let (from, to) = if text("loop").contains("128; i <= 255") {
                (128_u32, 255)
            } else {
                (0, 127)
            };
            let allowed = json["allowed_chars"].as_str();
            for name in strings(&json["headers"]) {
                for code in from..=to {
                    let Some(c) = char::from_u32(code) else {
                        continue;
                    };
                    let value = text("value_template").replace("<c>", &c.to_string());
                    let want = allowed.is_none_or(|a| a.contains(c));
                    if is_safelisted_request_header(name, &value) != want {
                        return Verdict::Differs(format!("{name}: {value:?} should be {want}"));
                    }
                }
            }
            Verdict::Agrees
        }
        "unsafe_header_names" => same(
            if text("function") == "CorsUnsafeNotForbiddenRequestHeaderNames" {
                cors_unsafe_not_forbidden_request_header_names(&pairs(&json["headers"]))
            } else {
                cors_unsafe_request_header_names(&pairs(&json["headers"]))
            },
            strings(&json["expect"])
                .into_iter()
                .map(str::to_owned)
                .collect(),
        ),
        "no_cors_safelisted_header" => same(
            is_no_cors_safelisted_request_header(text("header"), text("value")),
            json["expect"].as_bool().unwrap_or_default(),
        ),
        "no_cors_safelisted_header_name" => same(
            is_no_cors_safelisted_header_name(text("name")),
            json["expect"].as_bool().unwrap_or_default(),
        ),
        "no_cors_header_combine" => same(
            is_no_cors_safelisted_request_header(
                text("header"),
                &strings(&json["values"]).join(", "),
            ),
            json["expect"].as_bool().unwrap_or_default(),
        ),
        "forbidden_request_header" => {
            let safe = json["expect_safe"]
                .as_bool()
                .or_else(|| json["expect_sent_as_given"].as_bool())
                .unwrap_or_default();
            same(
                why401_core::request::forbidden_request_header(text("header"), text("value"))
                    .is_none(),
                safe,
            )
        }
        _ => Verdict::NotRun,
    }
}

/// The cases on a server's answer: the access check and the preflight's.
fn check_cors_answer(json: &Value) -> Verdict {
    let text = |field: &str| json[field].as_str().unwrap_or_default();
    match text("kind") {
        "access_check" => {
            // An opaque origin serializes as `null`.
            let origin = if text("origin").starts_with("null") {
                "null"
            } else {
                text("origin")
            };
            let request = CorsRequest {
                origin: origin.to_owned(),
                method: "GET".to_owned(),
                headers: Vec::new(),
                credentials: credentials(&json["credentials_mode"]),
            };
            let mut headers = Vec::new();
            for (name, field) in [
                ("Access-Control-Allow-Origin", "allow_origin"),
                ("Access-Control-Allow-Credentials", "allow_credentials"),
            ] {
                if let Some(value) = json[field].as_str() {
                    headers.push((name.to_owned(), value.to_owned()));
                }
            }
            let reply = ServerReply {
                status: 200,
                headers,
            };
            same_outcome(
                outcome(check_response(&request, &reply, false)),
                text("expect"),
            )
        }
        "preflight_methods" | "preflight_headers" => {
            let (request, reply) = preflight_case(json);
            // Chromium's switch that makes `*` leave Authorization out, as the standard does.
            let engine = if json["non_wildcard_request_headers_support"].as_bool() == Some(true) {
                Engine::Standard
            } else {
                Engine::Chromium
            };
            same_outcome(
                outcome(check_preflight(&request, &reply, engine).map(|_| ())),
                text("expect"),
            )
        }
        "authorization_covered_by_wildcard" => {
            let (request, reply) = preflight_case(json);
            let latent = check_preflight(&request, &reply, Engine::Chromium).unwrap_or_default();
            same(
                latent.contains(&LatentProblem::WildcardCoversAuthorization),
                json["expect"].as_bool().unwrap_or_default(),
            )
        }
        "preflight_parse" => {
            let request = CorsRequest {
                origin: "https://origin.example".to_owned(),
                method: "GET".to_owned(),
                headers: Vec::new(),
                credentials: CredentialsMode::Omit,
            };
            let reply = ServerReply {
                status: 200,
                headers: vec![
                    (
                        "Access-Control-Allow-Origin".to_owned(),
                        request.origin.clone(),
                    ),
                    (text("header").to_owned(), text("value").to_owned()),
                ],
            };
            same_outcome(
                outcome(check_preflight(&request, &reply, Engine::Chromium).map(|_| ())),
                text("expect"),
            )
        }
        _ => Verdict::NotRun,
    }
}

#[test]
fn cors_test_suites() {
    let all: Vec<Case> = [
        (
            "cors-chromium.jsonl",
            include_str!("conformance/cors-chromium.jsonl"),
        ),
        ("cors-wpt.jsonl", include_str!("conformance/cors-wpt.jsonl")),
    ]
    .iter()
    .flat_map(|(file, text)| cases(file, text))
    .collect();
    let failures = run("cors", &all, check_cors);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---- Public suffixes ------------------------------------------------------------------------

/// The list the page loads after its first paint.
const PUBLIC_SUFFIXES: &str = include_str!("../../../static/public-suffixes.txt");

#[test]
fn public_suffix_list_test_suite() {
    let list = why401_core::cookie::PublicSuffixes::parse(PUBLIC_SUFFIXES);
    assert!(list.len() > 9000, "{} rules", list.len());
    assert!(
        list.sorted(),
        "the shipped list is not sorted: the page would search it end to end"
    );
    let all = cases(
        "public-suffixes-psl.jsonl",
        include_str!("conformance/public-suffixes-psl.jsonl"),
    );
    let failures = run("public suffixes", &all, |case| {
        let got = case.json["domain"]
            .as_str()
            .and_then(|domain| list.registrable_domain(domain));
        same(got.as_deref(), case.json["expect"].as_str())
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The shipped list is no more than a year older than the newest commit of this tree: run
/// `scripts/public-suffixes.py` to bring it up to date.
#[test]
fn public_suffix_list_is_current_within_the_build() {
    let list = why401_core::cookie::PublicSuffixes::parse(PUBLIC_SUFFIXES);
    let version = list.version.expect("the list names its VERSION");
    let date = version.get(..10).unwrap_or_default();
    let listed = why401_core::time::parse_iso_time(&format!("{date}T00:00:00Z"))
        .unwrap_or_else(|| panic!("VERSION {version} is not a date"));
    let committed = std::process::Command::new("git")
        .args(["log", "-1", "--format=%ct"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|s| s.trim().parse::<i64>().ok())
        .expect("the tree is a git checkout with a commit");
    let days = (committed - listed) / 86_400;
    println!("public suffixes: the list of {date}, {days} days before the newest commit");
    assert!(
        days <= 365,
        "the Public Suffix List is {days} days older than the newest commit: run scripts/public-suffixes.py"
    );
}

// ---- CORS across a whole exchange -----------------------------------------------------------

/// web-platform-tests' symbolic origins, as its default server configuration serves them.
const WPT_ORIGINS: &[(&str, &str)] = &[
    (
        "{HTTP_ORIGIN_WITH_DIFFERENT_PORT}",
        "http://web-platform.test:8001",
    ),
    (
        "{HTTP_REMOTE_ORIGIN_WITH_DIFFERENT_PORT}",
        "http://www1.web-platform.test:8001",
    ),
    ("{HTTP_REMOTE_ORIGIN}", "http://www1.web-platform.test:8000"),
    (
        "{HTTPS_REMOTE_ORIGIN}",
        "https://www1.web-platform.test:8443",
    ),
    ("{HTTPS_ORIGIN}", "https://web-platform.test:8443"),
    ("{HTTP_ORIGIN}", "http://web-platform.test:8000"),
    ("{host}", "web-platform.test"),
    ("{token}", "token"),
    ("{all redirect.py query parameters}", "token=token"),
];

fn concrete(text: &str) -> String {
    WPT_ORIGINS
        .iter()
        .fold(text.to_owned(), |t, (from, to)| t.replace(from, to))
}

fn request_mode(value: &Value) -> RequestMode {
    match value.as_str() {
        Some("same-origin") => RequestMode::SameOrigin,
        Some("no-cors") => RequestMode::NoCors,
        _ => RequestMode::Cors,
    }
}

fn page_request(json: &Value) -> PageRequest {
    let request = &json["request"];
    PageRequest {
        origin: concrete(request["initiator"].as_str().unwrap_or_default()),
        url: concrete(request["url"].as_str().unwrap_or_default()),
        method: request["method"].as_str().unwrap_or("GET").to_owned(),
        headers: pairs(&request["headers"])
            .into_iter()
            .map(|(n, v)| (concrete(&n), concrete(&v)))
            .collect(),
        mode: request_mode(&request["mode"]),
        credentials: credentials(&request["credentials"]),
        redirect: match request["redirect"].as_str() {
            Some("error") => RedirectMode::Error,
            Some("manual") => RedirectMode::Manual,
            _ => RedirectMode::Follow,
        },
    }
}

/// A recorded answer, its placeholders filled in for what the browser sent at this hop. Where
/// the server answers a request without `Origin` otherwise, its CORS headers are those.
/// Values are read as HTTP reads a field: white space around them is no part of them.
fn reply_to(json: &Value, hop: &HopRequest, without_origin: &Value) -> ServerReply {
    let recorded = pairs(&json["headers"]);
    let headers = match (&hop.origin, without_origin.is_array()) {
        (None, true) => {
            let mut headers = pairs(without_origin);
            let cors = |n: &str| n.to_ascii_lowercase().starts_with("access-control-allow-");
            let kept: Vec<(String, String)> = recorded
                .into_iter()
                .filter(|(n, _)| {
                    !cors(n) && !headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(n))
                })
                .collect();
            headers.extend(kept);
            headers
        }
        _ => recorded,
    };
    let mut headers: Vec<(String, String)> = headers
        .into_iter()
        .map(|(n, v)| {
            let v = v.replace(
                "{request Origin header}",
                hop.origin.as_deref().unwrap_or_default(),
            );
            (n, concrete(v.trim_matches([' ', '\t'])))
        })
        .collect();
    // A Location kept apart from the headers.
    if let Some(location) = json["location"].as_str() {
        headers.push(("Location".to_owned(), concrete(location)));
    }
    ServerReply {
        status: json["status"]
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or(200),
        headers,
    }
}

/// The whole exchange: the request, the answers at each hop, what the page gets.
fn check_exchange(case: &Case) -> Verdict {
    let json = &case.json;
    let request = page_request(json);
    // One answer per hop; a single answer for a request with none listed.
    let hops: Vec<Value> = json["hops"].as_array().cloned().unwrap_or_else(|| {
        vec![serde_json::json!({
            "preflight": json["preflight"],
            "response": json["response"],
        })]
    });
    let outcome = fetch(&request, Engine::Chromium, |hop| {
        let Some(recorded) = recorded_hop(hop, &hops) else {
            return wpt_preflight_py(hop);
        };
        let mut response = reply_to(
            &recorded["response"],
            hop,
            &recorded["headers_if_request_has_no_origin"],
        );
        // The test puts a user name or password into the Location it asks for.
        if let Some(userinfo) = recorded["location_userinfo"]
            .as_str()
            .filter(|u| !u.is_empty())
        {
            for (name, value) in &mut response.headers {
                if name.eq_ignore_ascii_case("location") {
                    *value = value.replacen("://", &format!("://{userinfo}@"), 1);
                }
            }
        }
        HopAnswer {
            preflight: recorded["preflight"]
                .is_object()
                .then(|| reply_to(&recorded["preflight"], hop, &Value::Null)),
            response,
        }
    });
    // `WHY401_CONFORMANCE_SHOW=<part of a name>` prints what went over the wire for those cases.
    if std::env::var("WHY401_CONFORMANCE_SHOW").is_ok_and(|n| case.name().contains(&n)) {
        println!("{}: {:?}\n{:#?}", case.name(), outcome.result, outcome.hops);
    }
    let want = json["expect"].as_str().unwrap_or_default();
    // The outcome as the source names it: Chromium's CORS error or net error, or only
    // "network-error" where the source (WPT) cannot tell errors apart.
    let got = match &outcome.result {
        // The source stops once the first redirect passed its CORS check and reached the
        // client: the browser went on to its Location.
        _ if want == "redirect-delivered" && outcome.hops.len() > 1 => {
            "redirect-delivered".to_owned()
        }
        Ok(_) => "ok".to_owned(),
        Err(FetchError::Cors(failure)) => format!("k{}", failure.error.as_str()),
        Err(FetchError::CrossOriginInSameOriginMode) => "kDisallowedByMode".to_owned(),
        Err(FetchError::TooManyRedirects) => "net::ERR_TOO_MANY_REDIRECTS".to_owned(),
        Err(FetchError::NoPreflightAnswer) => "no answer recorded for the preflight".to_owned(),
        Err(_) => "network-error".to_owned(),
    };
    let same = got == want || (want == "network-error" && outcome.result.is_err());
    if !same {
        return Verdict::Differs(format!("{got}, not {want}"));
    }
    if let Ok(fetched) = &outcome.result {
        if let Some(status) = json["expect_status"].as_u64()
            && u64::from(fetched.status) != status
        {
            return Verdict::Differs(format!("status {}, not {status}", fetched.status));
        }
        if let Some(kind) = json["expect_response_type"].as_str() {
            let got = match fetched.kind {
                ResponseKind::Basic => "basic",
                ResponseKind::Cors => "cors",
                ResponseKind::Opaque => "opaque",
                ResponseKind::OpaqueRedirect => "opaqueredirect",
            };
            if got != kind {
                return Verdict::Differs(format!("a {got} response, not {kind}"));
            }
        }
    }
    let last = outcome.hops.last();
    if let Some(preflight) = json["expect_preflight"].as_bool()
        && last.map(|h| h.preflight) != Some(preflight)
    {
        return Verdict::Differs(format!("preflight at the last hop: {}", !preflight));
    }
    if let Some(origin) = json["expect_origin_header_at_final_hop"].as_str() {
        let origin = concrete(origin);
        if last.and_then(|h| h.origin.as_deref()) != Some(origin.as_str()) {
            return Verdict::Differs(format!(
                "Origin {:?} at the last hop, not {origin}",
                last.and_then(|h| h.origin.clone())
            ));
        }
    }
    Verdict::Agrees
}

/// The recorded hop that answers a request: the one at its URL (or at a URL the recording
/// cut short with `…`); the last one when the recording lists one answer for every request, and
/// none when the request goes where the recording did not follow (WPT's `preflight.py`).
fn recorded_hop(hop: &HopRequest, hops: &[Value]) -> Option<Value> {
    let url = |h: &Value| concrete(h["url"].as_str().unwrap_or_default());
    hops.iter()
        // An answer recorded without a URL answers every request.
        .find(|h| h.get("url").is_none() || url(h) == hop.url)
        .or_else(|| {
            hops.iter().find(|h| {
                let u = url(h);
                u.ends_with('…') && hop.url.starts_with(u.trim_end_matches('…'))
            })
        })
        .or_else(|| {
            (!hop.url.contains("/fetch/api/resources/preflight.py")).then(|| hops.last())?
        })
        .cloned()
}

/// web-platform-tests' `fetch/api/resources/preflight.py`, where a recording leaves its
/// answers out: `Access-Control-Allow-Origin` from `origin` (or `*`), `credentials`,
/// and on the preflight `allow_methods`, `allow_headers`, `max_age` and `preflight_status`
/// (the script's rules, as the import's README writes them down from its source).
fn wpt_preflight_py(hop: &HopRequest) -> HopAnswer {
    let query = hop.url.split_once('?').map_or("", |(_, q)| q);
    let param = |name: &str| {
        query
            .split('&')
            .filter_map(|p| p.split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_owned())
    };
    let mut common = vec![("Content-Type".to_owned(), "text/plain".to_owned())];
    match param("origin") {
        Some(origins) => common.extend(
            origins
                .split(", ")
                .map(|o| ("Access-Control-Allow-Origin".to_owned(), o.to_owned())),
        ),
        None => common.push(("Access-Control-Allow-Origin".to_owned(), "*".to_owned())),
    }
    if param("credentials").is_some() {
        common.push((
            "Access-Control-Allow-Credentials".to_owned(),
            "true".to_owned(),
        ));
    }
    let mut preflight = common.clone();
    for (name, header) in [
        ("max_age", "Access-Control-Max-Age"),
        ("allow_headers", "Access-Control-Allow-Headers"),
        ("allow_methods", "Access-Control-Allow-Methods"),
    ] {
        if let Some(value) = param(name) {
            preflight.push((header.to_owned(), value));
        }
    }
    HopAnswer {
        preflight: Some(ServerReply {
            status: param("preflight_status")
                .and_then(|s| s.parse().ok())
                .unwrap_or(200),
            headers: preflight,
        }),
        response: ServerReply {
            status: 200,
            headers: common,
        },
    }
}

/// Requests made one after the other by one page, sharing the preflight answers it keeps.
fn check_cached_exchanges(json: &Value) -> Verdict {
    let mut cache = PreflightCache::new();
    let expect = json["expect"].as_array().cloned().unwrap_or_default();
    let preflights = json["expect_preflight"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for (at, request) in json["requests"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let request = page_request(&serde_json::json!({ "request": request }));
        let outcome =
            fetch_with_cache(&request, Engine::Chromium, &mut cache, 0, |hop| HopAnswer {
                preflight: Some(reply_to(&json["preflight"], hop, &Value::Null)),
                response: reply_to(&json["response"], hop, &Value::Null),
            });
        let ok = outcome.result.is_ok();
        if expect.get(at).and_then(Value::as_str).map(|e| e == "ok") != Some(ok) {
            return Verdict::Differs(format!("request {}: {:?}", at + 1, outcome.result));
        }
        let preflight = outcome.hops.first().map(|h| h.preflight);
        if preflights.get(at).and_then(Value::as_bool) != preflight {
            return Verdict::Differs(format!("request {}: preflight {preflight:?}", at + 1));
        }
    }
    Verdict::Agrees
}

// ---- Copied commands ------------------------------------------------------------------------

/// A copied command against what its source says it carries: its method, URL, body and, where
/// the source lists them, its headers (names and values; a source's `cookies` are the `Cookie`
/// header, and the headers curl adds by itself — `-d`'s Content-Type — are not asked of it).
fn check_command(case: &Case) -> Verdict {
    let json = &case.json;
    let text = json["text"].as_str().unwrap_or_default();
    let parsed = match why401_core::command::parse_command(text) {
        Ok((_, parsed)) => parsed,
        Err(problem) => return Verdict::Differs(format!("not read: {problem}")),
    };
    let expect = &json["expect"];
    if !expect.is_object() {
        return Verdict::Agrees;
    }
    if let Some(method) = expect["method"].as_str()
        && !method.eq_ignore_ascii_case(&parsed.method)
    {
        return Verdict::Differs(format!("method {}, not {method}", parsed.method));
    }
    if let Some(url) = expect["url"].as_str()
        && url.trim_end_matches('/') != parsed.url.trim_end_matches('/')
    {
        return Verdict::Differs(format!("URL {}, not {url}", parsed.url));
    }
    if let Some(body) = expect.get("body")
        && body.as_str() != parsed.body.as_deref()
    {
        return Verdict::Differs(format!("body {:?}, not {body}", parsed.body));
    }
    if let Some(headers) = expect["headers"].as_array() {
        for pair in headers {
            let (name, value) = (
                pair[0].as_str().unwrap_or_default(),
                pair[1].as_str().unwrap_or_default(),
            );
            // What curl adds by itself, which some sources list as what goes over the wire.
            let added_by_curl = name.eq_ignore_ascii_case("host")
                || name.eq_ignore_ascii_case("content-length")
                || (name.eq_ignore_ascii_case("user-agent") && value.starts_with("curl/"))
                || (name.eq_ignore_ascii_case("accept") && value == "*/*")
                || (name.eq_ignore_ascii_case("accept-encoding") && parsed.compressed);
            if added_by_curl {
                continue;
            }
            let found = parsed
                .headers
                .iter()
                .any(|(n, v)| n.eq_ignore_ascii_case(name) && v == value);
            if !found {
                return Verdict::Differs(format!(
                    "no header {name}: {value} in {:?}",
                    parsed.headers
                ));
            }
        }
    }
    if let Some(cookies) = expect["cookies"].as_str() {
        // The cookies, whichever header or option carried them, in any order.
        let pairs_of = |text: &str| {
            let mut pairs: Vec<String> = text
                .split(';')
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect();
            pairs.sort();
            pairs
        };
        let joined: Vec<&str> = parsed
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("cookie"))
            .map(|(_, v)| v.as_str())
            .collect();
        let carried = pairs_of(&joined.join(";"));
        if carried != pairs_of(cookies) {
            return Verdict::Differs(format!("cookies {carried:?}, not {cookies}"));
        }
    }
    for (field, got) in [
        ("location", parsed.follow_redirects),
        ("insecure", parsed.insecure),
        ("compressed", parsed.compressed),
    ] {
        if let Some(want) = expect[field].as_bool()
            && want != got
        {
            return Verdict::Differs(format!("{field} {got}, not {want}"));
        }
    }
    Verdict::Agrees
}

#[test]
fn copied_command_samples() {
    let all = cases("commands.jsonl", include_str!("conformance/commands.jsonl"));
    let failures = run("commands", &all, check_command);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---- HAR files ------------------------------------------------------------------------------

/// The browsers' own HAR files, as `har.jsonl` names them.
const HAR_FILES: &[(&str, &str)] = &[
    ("chrome-1.har", include_str!("conformance/har/chrome-1.har")),
    ("chrome-2.har", include_str!("conformance/har/chrome-2.har")),
    ("chrome-5.har", include_str!("conformance/har/chrome-5.har")),
    ("edge-1.har", include_str!("conformance/har/edge-1.har")),
    (
        "firefox-1.har",
        include_str!("conformance/har/firefox-1.har"),
    ),
    (
        "firefox-2.har",
        include_str!("conformance/har/firefox-2.har"),
    ),
    (
        "firefox-3.har",
        include_str!("conformance/har/firefox-3.har"),
    ),
    ("safari-3.har", include_str!("conformance/har/safari-3.har")),
];

/// A browser's HAR file read whole: its creator, every entry with its status, and as failed
/// exactly the refusals and the requests no answer reached.
fn check_har(case: &Case) -> Verdict {
    let json = &case.json;
    let file = json["file"].as_str().unwrap_or_default();
    let Some((_, text)) = HAR_FILES.iter().find(|(name, _)| *name == file) else {
        return Verdict::Differs(format!("{file} is not in the test"));
    };
    let har = match why401_core::har::parse_har(text) {
        Ok(har) => har,
        Err(problem) => return Verdict::Differs(problem.to_string()),
    };
    if json["creator"].as_str() != Some(har.creator.as_str()) {
        return Verdict::Differs(format!("creator {}", har.creator));
    }
    let statuses: Vec<u64> = har.entries.iter().map(|e| u64::from(e.status)).collect();
    let want: Vec<u64> = json["statuses"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    if statuses != want {
        return Verdict::Differs(format!("statuses {statuses:?}, not {want:?}"));
    }
    let failed: Vec<usize> = har.failures().into_iter().map(|(at, _)| at).collect();
    let refused: Vec<usize> = want
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(s, 0 | 401 | 403 | 407))
        .map(|(at, _)| at)
        .collect();
    same(failed, refused)
}

#[test]
fn browsers_har_files() {
    let all = cases("har.jsonl", include_str!("conformance/har.jsonl"));
    let failures = run("har", &all, check_har);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
