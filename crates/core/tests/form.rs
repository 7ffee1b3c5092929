//! A shared result shows what a re-run sends: evidence whose request would change in the form,
//! or whose probes contradict its request, is refused with a sentence.

use why401_core::cors::CredentialsMode;
use why401_core::evidence::Evidence;
use why401_core::form::{Contradiction, RequestForm, check_evidence};
use why401_core::plan::ProbeKind;
use why401_core::redact::{Redaction, redact};

use crate::diagnose::{evidence, spec};

fn shared() -> Evidence {
    evidence(
        &spec(
            &[("Authorization", "Bearer abc"), ("X-Trace", "1")],
            CredentialsMode::Include,
        ),
        None,
    )
}

#[track_caller]
fn refused(evidence: &Evidence, kind: &str, words: &str) {
    let refusal = check_evidence(evidence).err();
    assert_eq!(refusal.as_ref().map(Contradiction::kind), Some(kind));
    let sentence = refusal.map(|r| r.to_string()).unwrap_or_default();
    assert!(
        sentence.contains(words) && sentence.ends_with('.'),
        "{sentence}"
    );
}

#[test]
fn form_check_opens_what_the_page_captured() {
    let evidence = shared();
    assert_eq!(
        check_evidence(&evidence).map(|target| target.url),
        Ok(evidence.request.url.clone())
    );
    // Redaction masks the request and its probes alike.
    assert_eq!(
        check_evidence(&redact(&evidence, &Redaction::standard())).map(|_| ()),
        Ok(())
    );
    let reading = RequestForm::from_spec(&evidence.request).read();
    assert_eq!(reading.spec, evidence.request);
}

#[test]
fn form_check_refuses_probes_that_contradict_the_request() {
    // The request says include; its recorded as-given probe says omit.
    let mut evidence = shared();
    evidence.request.credentials = CredentialsMode::Omit;
    refused(
        &evidence,
        "contradiction",
        "sent credentials include, but the request says omit",
    );
    let mut evidence = shared();
    if let Some(probe) = evidence.probes.first_mut() {
        probe.sent.credentials = CredentialsMode::Omit;
    }
    refused(&evidence, "contradiction", "credentials omit");
    let mut evidence = shared();
    evidence
        .probes
        .retain(|p| !p.kinds.contains(&ProbeKind::RedirectCheck));
    refused(&evidence, "contradiction", "recorded");
    let mut evidence = shared();
    if let Some(probe) = evidence.probes.get_mut(1) {
        probe.sent.url = "https://attacker.example/".into();
    }
    refused(&evidence, "contradiction", "another URL");
}

#[test]
fn form_check_refuses_a_header_with_a_control_character() {
    for value in [
        "a\r\nX-Injected: yes",
        "a\nb",
        "a\u{0}",
        "a\u{1b}[31m",
        "a\u{85}",
    ] {
        let mut evidence = shared();
        evidence.request.headers = vec![("X-Trace".into(), value.into())];
        refused(&evidence, "control-in-header", "X-Trace");
    }
    let mut evidence = shared();
    evidence.request.headers = vec![("X-Trace\r\nX-Injected".into(), "yes".into())];
    refused(&evidence, "control-in-header", "U+000D");
}

/// A change made to shared evidence.
type Change = &'static dyn Fn(&mut Evidence);

#[test]
fn form_check_refuses_what_the_form_would_change() {
    // A name the form reads as a comment, a value it would trim, a forbidden header, a URL
    // with a bidi override, a body on a GET, an empty body.
    let cases: [(Change, &str, &str); 6] = [
        (
            &|e| e.request.headers = vec![("#X-Hidden".into(), "1".into())],
            "request",
            "headers",
        ),
        (
            &|e| e.request.headers = vec![("X-Trace".into(), " 1".into())],
            "request",
            "headers",
        ),
        (
            &|e| e.request.headers = vec![("Cookie".into(), "sid=1".into())],
            "request",
            "Cookie",
        ),
        (
            &|e| e.request.url = "https://api.example.com/\u{202E}gnp.exe".into(),
            "request",
            "U+202E",
        ),
        (&|e| e.request.body = Some("x".into()), "request", "body"),
        (&|e| e.request.body = Some(String::new()), "request", "body"),
    ];
    for (change, kind, words) in cases {
        let mut evidence = shared();
        change(&mut evidence);
        refused(&evidence, kind, words);
    }
}

#[test]
fn form_report_reads_no_more_than_a_link() {
    use why401_core::diagnose::diagnose;
    use why401_core::export::{ReportError, json, read_report};
    use why401_core::share::MAX_EVIDENCE_BYTES;
    let mut evidence = shared();
    evidence.pasted = Some(format!(
        "HTTP/1.1 401 Unauthorized\n\n{}",
        "x".repeat(MAX_EVIDENCE_BYTES / 2)
    ));
    let report = json(&evidence, &diagnose(&evidence));
    assert_eq!(read_report(&report), Ok(evidence.clone()));
    evidence.pasted = Some(format!(
        "HTTP/1.1 401 Unauthorized\n\n{}",
        "x".repeat(MAX_EVIDENCE_BYTES)
    ));
    let report = json(&evidence, &diagnose(&evidence));
    assert_eq!(read_report(&report), Err(ReportError::EvidenceTooLarge));
}

/// What `curl -v` printed for a refused request, pasted on the first screen.
const CURL_V: &str = "*   Trying 140.82.121.6:443...
> GET /user HTTP/2
> Host: api.github.com
> User-Agent: curl/8.5.0
> Accept: */*
> Authorization: token ghp_16C7e42F292c6912E7710c838347Ae178B4a
>
< HTTP/2 401
< content-type: application/json; charset=utf-8
< x-github-media-type: github.v3; format=json
<
{\"message\":\"Bad credentials\",\"documentation_url\":\"https://docs.github.com/rest\"}";

#[test]
fn form_takes_the_request_of_a_pasted_exchange() {
    let pasted = why401_core::pasted::parse_pasted(CURL_V).expect("a paste");
    let (target, spec) =
        why401_core::form::request_from_paste(&pasted, &RequestForm::default()).expect("a request");
    assert_eq!(target.url, "https://api.github.com/user");
    assert_eq!(spec.method, "GET");
    // The headers a page may set (Host and, in Chromium, User-Agent are the browser's, and stay
    // in the paste).
    let names: Vec<&str> = spec.headers.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["accept", "authorization"]);
    // Only the answer pasted: the URL typed in the form names the request.
    let answer_only =
        why401_core::pasted::parse_pasted("HTTP/1.1 401 Unauthorized\n\n").expect("a paste");
    let typed = RequestForm {
        url: "https://api.example.com/v1/me".to_owned(),
        ..RequestForm::default()
    };
    let (target, _) =
        why401_core::form::request_from_paste(&answer_only, &typed).expect("a request");
    assert_eq!(target.url, "https://api.example.com/v1/me");
    assert!(why401_core::form::request_from_paste(&answer_only, &RequestForm::default()).is_none());
}

#[test]
fn form_opens_an_exchange_pasted_alone_and_it_is_diagnosed() {
    let pasted = why401_core::pasted::parse_pasted(CURL_V).expect("a paste");
    let (target, spec) =
        why401_core::form::request_from_paste(&pasted, &RequestForm::default()).expect("a request");
    let context = why401_core::evidence::PageContext::at(
        "https://why401.example.org",
        target.secure,
        target.address_class,
    );
    let evidence = why401_core::evidence::Evidence::pasted_only(
        spec,
        context,
        1_795_478_400,
        CURL_V.to_owned(),
    );
    assert!(why401_core::form::check_evidence(&evidence).is_ok());
    let diagnosis = why401_core::diagnose::diagnose(&evidence);
    assert_eq!(
        diagnosis.top().map(|f| f.cause),
        Some(why401_core::CauseId::InvalidCredentials)
    );
    // No probe ran: no CORS explanation is claimed.
    assert!(diagnosis.inference.explanations.is_empty());
    // A result without its paste is not a pasted exchange.
    let bare = why401_core::evidence::Evidence {
        pasted: None,
        ..evidence
    };
    assert!(why401_core::form::check_evidence(&bare).is_err());
}

/// Firefox 60's "Copy as cURL" (POSIX), as its reporter quoted it in
/// <https://github.com/firefox-devtools/devtools-core/issues/1023> (2018-04-05): `Host` among the
/// headers, `--compressed` in the middle, `--data ''` at the end.
#[test]
fn firefox_copy_as_curl_fills_the_form() {
    use why401_core::command::{Dialect, Tool, parse_command, to_form};
    let text = include_str!("samples/firefox-60-copy-as-curl.txt");
    let (tool, copied) = parse_command(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(tool, Tool::Curl(Dialect::Posix));
    assert_eq!(copied.method, "POST", "--data makes it a POST");
    assert_eq!(copied.url, "http://purebrands.test/wp-login.php");
    assert_eq!(copied.body.as_deref(), Some(""));
    assert!(copied.compressed);
    assert_eq!(copied.headers.len(), 9, "{:?}", copied.headers);
    let (form, notes) = to_form(&copied);
    assert_eq!(
        form.credentials,
        CredentialsMode::Include,
        "its Cookie header"
    );
    // What a page cannot send is named, not put in the form.
    assert!(
        !form.headers.to_ascii_lowercase().contains("host:"),
        "{}",
        form.headers
    );
    assert!(
        !form.headers.to_ascii_lowercase().contains("cookie:"),
        "{}",
        form.headers
    );
    assert!(
        notes.iter().any(|n| n.contains("Cookie header")),
        "{notes:?}"
    );
    assert!(notes.iter().any(|n| n.contains("Host")), "{notes:?}");
}
