//! The `why401` binary against the real lab on loopback: every scenario's request sent as the
//! terminal sends it, a `curl -v` transcript on standard input, copied commands, HAR files, share
//! links and exit codes.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use why401_core::CauseId;
use why401_core::cause::Family;
use why401_lab::{LabHost, SCENARIOS};

/// The lab's base URL (`http://127.0.0.1:PORT`), started once for every test.
fn lab() -> &'static str {
    static LAB: OnceLock<String> = OnceLock::new();
    LAB.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
                let _ = tx.send(format!("http://127.0.0.1:{port}"));
                let _ = why401_lab::serve(listener, why401_lab::lab_router()).await;
            });
        });
        rx.recv()
            .unwrap_or_else(|e| panic!("the lab did not start: {e}"))
    })
}

fn why401(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_why401"))
        .args(args)
        .env_remove("WHY401_PAGE")
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    if let Some(mut pipe) = child.stdin.take() {
        let _ = pipe.write_all(stdin.unwrap_or_default().as_bytes());
    }
    child.wait_with_output().unwrap_or_else(|e| panic!("{e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A `--json` run's report.
fn json(out: &Output) -> serde_json::Value {
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            text(&out.stdout),
            text(&out.stderr)
        )
    });
    assert_eq!(report["schema"], "why401-report", "{report}");
    report
}

/// The top cause, every cause found, and the exit code of a `--json` run.
fn causes(args: &[&str]) -> (Option<String>, Vec<String>, i32) {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = why401(&all, None);
    let report = json(&out);
    let found = report["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|f| f["cause"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    (
        report["verdict"]["cause"].as_str().map(str::to_owned),
        found,
        out.status.code().unwrap_or(-1),
    )
}

fn scenario_url(name: &str, host: LabHost) -> Option<String> {
    let url = format!("{}/s/{name}", lab());
    match host {
        LabHost::Loopback => Some(url),
        LabHost::OtherSite => Some(url.replacen("://127.0.0.1:", "://localhost:", 1)),
        // The test browser resolves it; a terminal cannot.
        LabHost::Named => None,
    }
}

/// The arguments that send `scenario`'s request to `url`, after `extra`.
fn scenario_args(scenario: &why401_lab::Scenario, url: String, extra: &[&str]) -> Vec<String> {
    let mut args = vec![url];
    args.extend(extra.iter().map(|a| (*a).to_owned()));
    args.push("-X".to_owned());
    args.push(scenario.request.method.to_owned());
    for (name, value) in scenario.request.headers {
        args.push("-H".to_owned());
        args.push(format!("{name}: {value}"));
    }
    args
}

/// Causes a request from outside a browser cannot meet: CORS and its preflight, the page's
/// context, and what depends on the cookies a browser holds.
fn browser_only(cause: CauseId) -> bool {
    matches!(
        cause.family(),
        Family::Cors | Family::Network | Family::Cookies
    ) || cause == CauseId::AuthOnPreflight
}

/// Scenarios whose cause the terminal finds, but not first — and why that order is right there.
const FOUND_NOT_FIRST: &[(&str, &str)] = &[
    (
        "cached-401",
        "the page knows the token is the lab's good one; a terminal sees a token refused, which leads, and the cacheable 401 after it",
    ),
    (
        "challenge-malformed",
        "the lab refuses the Basic credentials sent as well: both are true, and the refusal of credentials the server offers leads",
    ),
];

#[test]
fn every_scenario_sent_from_the_terminal() {
    let mut agree = 0;
    let mut compared = 0;
    let mut differ = Vec::new();
    let mut browser = 0;
    let mut second = 0;
    for scenario in SCENARIOS {
        let Some(url) = scenario_url(scenario.name, scenario.request.host) else {
            continue;
        };
        let args = scenario_args(scenario, url, &[]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (top, found, code) = causes(&args);
        let expected = scenario.cause;
        if expected.is_some_and(browser_only) {
            browser += 1;
            continue;
        }
        compared += 1;
        let wanted_code = i32::from(expected.is_some());
        let declared = FOUND_NOT_FIRST
            .iter()
            .any(|(name, _)| *name == scenario.name);
        let expected_id = expected.map(CauseId::as_str);
        if top.as_deref() == expected_id && code == wanted_code && !declared {
            agree += 1;
        } else if declared && expected_id.is_some_and(|id| found.iter().any(|f| f == id)) {
            second += 1;
        } else {
            differ.push(format!(
                "{}: expected {expected:?} (exit {wanted_code}), got {top:?} (exit {code})",
                scenario.name
            ));
        }
    }
    println!(
        "terminal: {agree}/{compared} lab scenarios give their cause first, {second} after another that is as true; {browser} are a browser's alone (CORS, the preflight, the page's context, cookies it holds)"
    );
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[test]
fn a_curl_transcript_on_standard_input() {
    let transcript = format!(
        "*   Trying 127.0.0.1...\n> GET /s/bearer-expired-token HTTP/1.1\n> Host: {}\n> Authorization: Bearer expired-token\n>\n< HTTP/1.1 401 Unauthorized\n< WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"The access token expired\"\n<\n",
        lab().trim_start_matches("http://")
    );
    let out = why401(&["--json"], Some(&transcript));
    assert_eq!(json(&out)["verdict"]["cause"], "token-expired");
    assert_eq!(out.status.code(), Some(1));
    // The same as text, and `-` reads standard input too.
    let out = why401(&["-", "--color", "never"], Some(&transcript));
    let report = text(&out.stdout);
    assert!(
        report.contains("[token-expired, high confidence]"),
        "{report}"
    );
    assert!(report.contains("nothing was sent"), "{report}");
    assert!(!report.contains('\x1b'), "{report}");
}

#[test]
fn a_copied_command_is_sent_for_real() {
    let url = format!("{}/s/bearer-expired-token", lab());
    for command in [
        // Chrome's Copy as cURL (bash), and (cmd) with its caret escapes.
        format!(
            "curl '{url}' \\\n  -H 'accept: */*' \\\n  -H 'authorization: Bearer expired-token'"
        ),
        format!("curl ^\"{url}^\" ^\n  -H ^\"authorization: Bearer expired-token^\""),
        format!(
            "fetch(\"{url}\", {{\n  \"headers\": {{\n    \"authorization\": \"Bearer expired-token\"\n  }},\n  \"method\": \"GET\"\n}});"
        ),
        format!(
            "$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession\nInvoke-WebRequest -UseBasicParsing -Uri \"{url}\" `\n-WebSession $session `\n-Headers @{{\n\"authorization\"=\"Bearer expired-token\"\n}}"
        ),
    ] {
        let out = why401(&["--json"], Some(&command));
        assert_eq!(json(&out)["verdict"]["cause"], "token-expired", "{command}");
        let out = why401(&["--color", "never"], Some(&command));
        let report = text(&out.stdout);
        assert!(report.contains("sent as it says"), "{report}");
        assert!(report.contains("Sent GET"), "{report}");
    }
    // A command cut short is named, and nothing is sent.
    let out = why401(&[], Some("curl 'https://api.example.com/v1/me -H \"a: b\""));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("never closed"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_har_file_lists_what_failed_and_diagnoses_an_entry() {
    let har = r#"{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[
      {"startedDateTime":"2026-01-01T00:00:00Z","request":{"method":"GET","url":"https://app.example/","headers":[]},
       "response":{"status":200,"statusText":"OK","headers":[],"redirectURL":"","content":{"size":0}}},
      {"startedDateTime":"2026-01-01T00:00:01Z","request":{"method":"GET","url":"https://api.example/v1/me","headers":[{"name":"Origin","value":"https://app.example"},{"name":"Authorization","value":"Bearer expired"}]},
       "response":{"status":401,"statusText":"Unauthorized","headers":[{"name":"WWW-Authenticate","value":"Bearer error=\"invalid_token\", error_description=\"The access token expired\""},{"name":"Access-Control-Allow-Origin","value":"https://app.example"}],"redirectURL":"","content":{"size":0}}}
    ]}}"#;
    let file = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(file.path(), har).unwrap_or_else(|e| panic!("{e}"));
    let path = file.path().to_string_lossy().into_owned();
    let out = why401(&[&path, "--color", "never"], None);
    let report = text(&out.stdout);
    assert!(report.contains("2 entries, 1 failed"), "{report}");
    assert!(
        report.contains("#2    GET https://api.example/v1/me  answered 401"),
        "{report}"
    );
    assert!(report.contains("[token-expired"), "{report}");
    assert!(
        report.contains("Judged as the request of a page at https://app.example"),
        "{report}"
    );
    assert_eq!(out.status.code(), Some(1));
    // Entry 1 worked.
    let out = why401(&[&path, "--entry", "1", "--json"], None);
    assert_eq!(json(&out)["verdict"]["cause"], serde_json::Value::Null);
    assert_eq!(out.status.code(), Some(0));
    let out = why401(&[&path, "--entry", "9"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("entries 1 to 2"));
    // Nothing refused, but two refreshes raced: that is a finding, and the exit code says so.
    let raced = r#"{"log":{"version":"1.2","creator":{"name":"Firefox","version":"150.0"},"entries":[
      {"startedDateTime":"2026-01-01T00:00:00.000+01:00","request":{"method":"POST","url":"https://id.example/oauth/token","headers":[],"postData":{"text":"grant_type=refresh_token&refresh_token=r1"}},"response":{"status":200,"statusText":"OK","headers":[],"redirectURL":"","content":{"size":2,"text":"{}"}}},
      {"startedDateTime":"2026-01-01T00:00:00.020+01:00","request":{"method":"POST","url":"https://id.example/oauth/token","headers":[],"postData":{"text":"grant_type=refresh_token&refresh_token=r1"}},"response":{"status":400,"statusText":"Bad Request","headers":[],"redirectURL":"","content":{"size":25,"text":"{\"error\":\"invalid_grant\"}"}}}
    ]}}"#;
    let out = why401(&["--color", "never"], Some(raced));
    let report = text(&out.stdout);
    assert!(report.contains("[refresh-token-race] Entries 1 and 2 refresh the session with the same refresh token within 20 ms"), "{report}");
    assert_eq!(out.status.code(), Some(1), "{report}");
}

#[test]
fn a_share_link_opens_the_same_report_with_secrets_masked() {
    let url = format!("{}/s/bearer-expired-token", lab());
    let out = why401(
        &[
            &url,
            "-H",
            "Authorization: Bearer expired-token",
            "--share",
            "--page",
            "https://why401.example.org/app/",
        ],
        None,
    );
    let link = text(&out.stdout).trim().to_owned();
    assert!(
        link.starts_with("https://why401.example.org/app/#"),
        "{link}"
    );
    let (_, fragment) = link.split_once('#').unwrap_or_default();
    let evidence = why401_core::share::decode(fragment).unwrap_or_else(|e| panic!("{e}"));
    let pasted = evidence.pasted.clone().unwrap_or_default();
    assert!(!pasted.contains("Bearer expired-token"), "{pasted}");
    assert!(
        pasted.contains("Authorization: Bearer xxxxxxxxxxxxx"),
        "{pasted}"
    );
    assert_eq!(
        why401_core::report::diagnose(&evidence)
            .top()
            .map(|f| f.cause),
        Some(CauseId::TokenExpired)
    );
    // The page opens it: it passes the gate every shared result passes.
    assert!(why401_core::form::check_evidence(&evidence).is_ok());
    // The link opens in the terminal too, sending nothing.
    let out = why401(&[&link, "--json"], None);
    assert_eq!(json(&out)["verdict"]["cause"], "token-expired");
    // So does one made as a page would see the request, probes and all.
    let out = why401(
        &[
            &format!("{}/s/no-cors-on-401", lab()),
            "--origin",
            "https://app.example.com",
            "-H",
            "Authorization: Bearer expired-token",
            "--share",
        ],
        None,
    );
    let link = text(&out.stdout).trim().to_owned();
    let (_, fragment) = link.split_once('#').unwrap_or_default();
    let evidence = why401_core::share::decode(fragment).unwrap_or_else(|e| panic!("{e}"));
    assert!(!evidence.probes.is_empty());
    assert_eq!(
        why401_core::form::check_evidence(&evidence).map(|_| ()),
        Ok(())
    );
}

#[test]
fn exit_codes_for_a_working_request_and_an_unreachable_one() {
    let url = format!("{}/s/token-ok", lab());
    let out = why401(
        &[
            &url,
            "-H",
            "Authorization: Bearer lab-good-token",
            "--color",
            "never",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("Nothing wrong found"));
    // A port nothing listens on: bind one, then let it go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_or_else(|e| panic!("{e}"), |a| a.port());
    let out = why401(&[&format!("http://127.0.0.1:{port}/")], None);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("refused"),
        "{}",
        text(&out.stderr)
    );
    let out = why401(&["-H", "no colon", &url], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn what_a_server_writes_cannot_drive_the_terminal() {
    let url = format!("{}/hostile", lab());
    let transcript = format!(
        "> GET /hostile HTTP/1.1\n> Host: {}\n>\n< HTTP/1.1 401 Unauthorized\n< WWW-Authenticate: Bearer realm=\"\x1b]0;pwned\x07\x1b[2J\"\n<\n",
        lab().trim_start_matches("http://")
    );
    for out in [
        why401(&["--color", "always"], Some(&transcript)),
        why401(&[&url, "--color", "never"], None),
    ] {
        let report = text(&out.stdout);
        assert!(
            !report.contains("\x1b]") && !report.contains("\x1b[2J"),
            "{report}"
        );
        assert!(!report.contains('\x07'), "{report}");
    }
    let coloured = text(&why401(&["--color", "always"], Some(&transcript)).stdout);
    assert!(coloured.contains("\x1b[1m"), "colour was asked for");
    assert!(coloured.contains("⟨U+001B⟩"), "{coloured}");
}

/// Of the scenarios only a browser meets, how many the terminal finds with `--origin` (it sends
/// the page's probes, preflights included, and judges them with the core's model of Chromium's
/// `fetch()`); how many it names first — the server's own reason for refusing, which the terminal
/// reads in full, leads as it does in the page once the answer is pasted; and the floor.
const FOUND_WITH_ORIGIN_AT_LEAST: usize = 20;

#[test]
fn the_browsers_scenarios_judged_as_a_page_would() {
    let mut named = 0;
    let mut found_at_all = 0;
    let mut tried = 0;
    let mut missed = Vec::new();
    for scenario in SCENARIOS {
        let Some(expected) = scenario.cause.filter(|c| browser_only(*c)) else {
            continue;
        };
        let Some(url) = scenario_url(scenario.name, scenario.request.host) else {
            continue;
        };
        let page = [
            "--origin",
            "http://127.0.0.1:9",
            "--credentials",
            scenario.request.credentials.as_str(),
        ];
        let args = scenario_args(scenario, url, &page);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (top, found, _) = causes(&args);
        tried += 1;
        if top.as_deref() == Some(expected.as_str()) {
            named += 1;
        }
        if found.iter().any(|f| f == expected.as_str()) {
            found_at_all += 1;
        } else {
            missed.push(format!(
                "{}: {} expected, found {found:?}",
                scenario.name,
                expected.as_str()
            ));
        }
    }
    println!(
        "terminal --origin: {found_at_all}/{tried} of the browser's scenarios found, {named} first; not found: {}",
        if missed.is_empty() {
            "none".to_owned()
        } else {
            missed.join("; ")
        }
    );
    assert!(
        found_at_all >= FOUND_WITH_ORIGIN_AT_LEAST,
        "{found_at_all}/{tried}"
    );
}

#[test]
fn the_report_shows_what_it_decoded() {
    // {"iss":"https://id.example.com","aud":"api","exp":1764500000}, signed with nothing.
    let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2lkLmV4YW1wbGUuY29tIiwiYXVkIjoiYXBpIiwiZXhwIjoxNzY0NTAwMDAwfQ.c2ln";
    let url = format!("{}/s/bearer-expired-token", lab());
    let authorization = format!("Authorization: Bearer {token}");
    let out = why401(&[&url, "-H", &authorization, "--color", "never"], None);
    let report = text(&out.stdout);
    let decoded = report.split("\nDecoded\n").nth(1).unwrap_or_default();
    assert!(
        decoded.contains("The token is a JWT: aud api; exp 1764500000"),
        "{report}"
    );
    assert!(decoded.contains("iss https://id.example.com"), "{report}");
    assert!(
        decoded.contains("The server asks for Bearer: realm=\"why401 lab\""),
        "{report}"
    );
    assert!(!report.contains(token), "the token itself is not printed");
}

/// A HAR entry the browser blocked has no answer to read: the terminal sends it again, as the
/// page that made it (its `Origin`), and finds why.
#[test]
fn a_har_entry_with_no_answer_is_sent_again_as_its_page() {
    let url = format!("{}/s/no-cors-at-all", lab());
    let har = format!(
        r#"{{"log":{{"version":"1.2","creator":{{"name":"WebInspector","version":"537.36"}},"entries":[
          {{"startedDateTime":"2026-01-01T00:00:00Z","request":{{"method":"GET","url":"{url}","headers":[{{"name":"Origin","value":"http://127.0.0.1:9"}},{{"name":"Accept","value":"*/*"}}]}},
           "response":{{"status":0,"statusText":"","headers":[],"redirectURL":"","content":{{"size":0}}}},"_error":"net::ERR_FAILED"}},
          {{"startedDateTime":"2026-01-01T00:00:01Z","request":{{"method":"POST","url":"{url}","headers":[{{"name":"Origin","value":"http://127.0.0.1:9"}}]}},
           "response":{{"status":0,"statusText":"","headers":[],"redirectURL":"","content":{{"size":0}}}},"_error":"net::ERR_FAILED"}}
        ]}}}}"#
    );
    let out = why401(&["--json"], Some(&har));
    let report = json(&out);
    let found: Vec<&str> = report["findings"]
        .as_array()
        .map(|f| f.iter().filter_map(|f| f["cause"].as_str()).collect())
        .unwrap_or_default();
    assert!(found.contains(&"cors-missing-allow-origin"), "{report}");
    assert_eq!(
        report["evidence"]["caller"]["page"]["origin"], "http://127.0.0.1:9",
        "{report}"
    );
    // A POST is not sent again unless asked for by number.
    let out = why401(&["--entry", "2"], Some(&har));
    assert!(
        text(&out.stdout).contains("sent again from here, as the page at http://127.0.0.1:9 would"),
        "{}",
        text(&out.stdout)
    );
    let out = why401(&[], Some(&har.replacen("\"GET\"", "\"PUT\"", 1)));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--entry 1"),
        "{}",
        text(&out.stderr)
    );
}
