//! Real 401, 403 and 407 exchanges recorded from public APIs (`tests/corpus/*.http`, each with the
//! repository, commit and path it was copied from and the cause it shows), diagnosed the two ways
//! the page meets them: the page could read the answer (its headers as CORS lets a page read
//! them), the page was blocked and the user pasted what `curl -v` printed, or nothing was sent and
//! the user pasted the exchange alone. Prints `N/M agree` for each mode, and every case whose top
//! finding is not its cause.

use why401_core::cookie::parse_cookie_date;
use why401_core::cors::{CorsRequest, CredentialsMode, ServerReply, readable_headers};
use why401_core::diagnose::diagnose;
use why401_core::evidence::{Evidence, PageContext};
use why401_core::plan::{FetchMode, ProbeKind};
use why401_core::request::{RequestSpec, parse_header_lines};
use why401_core::target::AddressClass;
use why401_core::{Failure, ProbeOutcome, ResponseSeen, ResponseType};

/// The page the probes run from.
const ORIGIN: &str = "https://why401.example.org";
/// When an exchange without a `Date` header is taken to have happened: 2026-11-24T00:00:00Z.
const NOW: i64 = 1_795_478_400;

/// What stands for a credential header the recording does not show: a placeholder, as the
/// recorders that keep the header write it.
const NOT_SHOWN: &str = "<not shown in the recording>";

/// One recorded exchange.
struct Exchange {
    file: String,
    cause: String,
    method: String,
    url: String,
    request_headers: Vec<(String, String)>,
    status: u16,
    status_text: String,
    response_headers: Vec<(String, String)>,
    body: String,
}

fn header_lines(lines: &[&str]) -> Vec<(String, String)> {
    lines
        .iter()
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

/// Reads one corpus file; a file that breaks the format fails the test with its name.
fn read(file: &str, text: &str) -> Exchange {
    let text = text.replace("\r\n", "\n");
    let mut meta = std::collections::HashMap::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.peek().and_then(|l| l.strip_prefix("# ")) {
        if let Some((key, value)) = line.split_once(':') {
            meta.insert(key.trim().to_owned(), value.trim().to_owned());
        }
        lines.next();
    }
    for key in ["source", "service", "cause", "why"] {
        assert!(meta.contains_key(key), "{file}: no `# {key}:` line");
    }
    assert!(
        meta["source"].starts_with("https://"),
        "{file}: the source is not an address"
    );
    // `# not-shown: <header> <address>`: the request carried that credential header, which the
    // recording does not show — its recorder's filter, or the API description's security
    // scheme, at the address.
    let not_shown = meta.get("not-shown").map(|value| {
        let (header, proof) = value.split_once(' ').unwrap_or((value, ""));
        assert!(
            proof.trim().starts_with("https://"),
            "{file}: `# not-shown:` names no address that shows it"
        );
        (header.to_owned(), NOT_SHOWN.to_owned())
    });
    let rest: Vec<&str> = lines.collect();
    let blank = rest
        .iter()
        .position(|l| l.trim().is_empty())
        .unwrap_or_else(|| panic!("{file}: no empty line after the request"));
    let (request, response) = rest.split_at(blank);
    let mut request_line = request
        .first()
        .unwrap_or_else(|| panic!("{file}: no request line"))
        .split_whitespace();
    let method = request_line.next().unwrap_or_default().to_owned();
    let url = request_line.next().unwrap_or_default().to_owned();
    assert!(
        url.contains("://"),
        "{file}: the request line's URL is not absolute"
    );
    let response = &response[1..];
    let end = response
        .iter()
        .position(|l| l.trim().is_empty())
        .unwrap_or(response.len());
    let status_line = response
        .first()
        .unwrap_or_else(|| panic!("{file}: no status line"));
    let mut words = status_line.splitn(3, ' ');
    let _version = words.next();
    let status: u16 = words
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{file}: no status code in {status_line:?}"));
    assert!(
        matches!(status, 401 | 403 | 407),
        "{file}: {status} is not a refusal"
    );
    Exchange {
        file: file.to_owned(),
        cause: meta["cause"].clone(),
        method,
        url,
        request_headers: header_lines(&request[1..])
            .into_iter()
            .chain(not_shown)
            .collect(),
        status,
        status_text: words.next().unwrap_or_default().to_owned(),
        response_headers: header_lines(&response[1..end]),
        body: response.get(end + 1..).unwrap_or_default().join("\n"),
    }
}

fn corpus() -> Vec<Exchange> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "http"));
    files.sort();
    files
        .iter()
        .map(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            read(&name, &std::fs::read_to_string(path).unwrap_or_default())
        })
        .collect()
}

impl Exchange {
    /// The request as the page would send it: the headers a script may set, cookies when the
    /// recording carried some.
    fn spec(&self) -> RequestSpec {
        let mut spec = RequestSpec::get(&self.url);
        spec.method.clone_from(&self.method);
        let text: Vec<String> = self
            .request_headers
            .iter()
            .map(|(n, v)| format!("{n}: {v}"))
            .collect();
        spec.headers = parse_header_lines(&text.join("\n")).0;
        if self
            .request_headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("cookie"))
        {
            spec.credentials = CredentialsMode::Include;
        }
        spec
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.response_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Evidence of the exchange, the user's own request seeing `own` and the no-cors probe
    /// answered, as of the answer's `Date`.
    fn evidence(&self, own: impl Fn(&RequestSpec) -> ProbeOutcome) -> Evidence {
        let spec = self.spec();
        let context = PageContext::at(ORIGIN, true, AddressClass::Public);
        let now = self
            .header("date")
            .and_then(parse_cookie_date)
            .unwrap_or(NOW);
        Evidence::planned(&spec, &spec, context, now, |planned| {
            if planned.kinds.contains(&ProbeKind::Reachability)
                || planned.request.mode == FetchMode::NoCors
            {
                ProbeOutcome::Response(ResponseSeen::opaque())
            } else {
                own(&spec)
            }
        })
    }

    /// The page read the answer, with the headers CORS lets it read.
    fn readable(&self) -> Evidence {
        self.evidence(|spec| {
            let request = CorsRequest {
                origin: ORIGIN.to_owned(),
                method: spec.method.clone(),
                headers: spec.headers.clone(),
                credentials: spec.credentials.cross_origin(),
            };
            let reply = ServerReply {
                status: self.status,
                headers: self.response_headers.clone(),
            };
            let readable = readable_headers(&request, &reply);
            ProbeOutcome::Response(ResponseSeen {
                response_type: ResponseType::Cors,
                status: self.status,
                status_text: self.status_text.clone(),
                url: self.url.clone(),
                redirected: false,
                headers: self
                    .response_headers
                    .iter()
                    .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
                    .filter(|(n, _)| readable.contains(n))
                    .collect(),
                body_excerpt: Some(self.body.clone()),
            })
        })
    }

    /// The page was blocked; the user pasted what `curl -v` printed.
    fn pasted(&self) -> Evidence {
        Evidence {
            pasted: Some(self.curl_v()),
            ..self.evidence(|_| ProbeOutcome::Failed(Failure::failed_to_fetch()))
        }
    }

    /// Nothing was sent from the page: the user pasted what `curl -v` printed on the first
    /// screen.
    fn paste_only(&self) -> Evidence {
        Evidence {
            probes: Vec::new(),
            ..self.pasted()
        }
    }

    /// The exchange as `curl -v` prints it.
    fn curl_v(&self) -> String {
        let (host, path) = self
            .url
            .split_once("://")
            .map(|(_, rest)| rest.split_at(rest.find('/').unwrap_or(rest.len())))
            .unwrap_or_default();
        let mut text = vec![
            format!(
                "> {} {} HTTP/1.1",
                self.method,
                if path.is_empty() { "/" } else { path }
            ),
            format!("> Host: {host}"),
        ];
        text.extend(
            self.request_headers
                .iter()
                .map(|(n, v)| format!("> {n}: {v}")),
        );
        text.push(">".to_owned());
        text.push(format!("< HTTP/1.1 {} {}", self.status, self.status_text));
        text.extend(
            self.response_headers
                .iter()
                .map(|(n, v)| format!("< {n}: {v}")),
        );
        text.push("<".to_owned());
        text.push(self.body.clone());
        text.join("\n")
    }
}

/// How many exchanges each mode names the recorded cause of first, at the least: raised as the
/// diagnosis learns what real servers say (the goal is 95 %).
const READABLE_AT_LEAST: usize = 157;
const PASTED_AT_LEAST: usize = 160;
const ALONE_AT_LEAST: usize = 160;

#[test]
fn corpus_of_real_answers() {
    let corpus = corpus();
    // Files are named `<service>-<n>.http`.
    let mut services: Vec<&str> = corpus
        .iter()
        .map(|e| e.file.rsplit_once('-').map_or(e.file.as_str(), |(s, _)| s))
        .collect();
    services.sort_unstable();
    services.dedup();
    // One recording kept once: two files with the very same answer are one exchange.
    let mut answers = std::collections::HashMap::new();
    for exchange in &corpus {
        let answer = (exchange.status, &exchange.response_headers, &exchange.body);
        if let Some(first) = answers.insert(answer, &exchange.file) {
            panic!("{} and {first} carry the same answer", exchange.file);
        }
    }
    let mut agree = [0, 0, 0];
    let mut wrong = Vec::new();
    for exchange in &corpus {
        for (at, (mode, evidence)) in [
            ("readable", exchange.readable()),
            ("pasted", exchange.pasted()),
            ("only", exchange.paste_only()),
        ]
        .into_iter()
        .enumerate()
        {
            let diagnosis = diagnose(&evidence);
            // `WHY401_CORPUS_SHOW=github-01` prints that exchange's whole diagnosis.
            if std::env::var("WHY401_CORPUS_SHOW").is_ok_and(|f| exchange.file.starts_with(&f)) {
                println!("{mode} {}:", exchange.file);
                for f in &diagnosis.findings {
                    println!("  {} {:?}: {:?}", f.cause.as_str(), f.confidence, f.because);
                }
            }
            let top = diagnosis.top().map(|f| f.cause.as_str());
            if top == Some(exchange.cause.as_str()) {
                agree[at] += 1;
            } else {
                wrong.push(format!(
                    "{mode:8} {}: {} expected, top {top:?}",
                    exchange.file, exchange.cause
                ));
            }
        }
    }
    for line in &wrong {
        println!("{line}");
    }
    let total = corpus.len();
    println!("{} real exchanges from {} services", total, services.len());
    let not_shown = corpus
        .iter()
        .filter(|e| e.request_headers.iter().any(|(_, v)| v == NOT_SHOWN))
        .count();
    println!(
        "{not_shown} of them read with the credential header their recording leaves out as {NOT_SHOWN:?}"
    );
    println!("{}/{total} agree when the page reads the answer", agree[0]);
    println!("{}/{total} agree when the answer is pasted", agree[1]);
    println!(
        "{}/{total} agree when only the exchange is pasted, nothing sent",
        agree[2]
    );
    assert!(
        agree[0] >= READABLE_AT_LEAST,
        "readable: {}/{total}",
        agree[0]
    );
    assert!(agree[1] >= PASTED_AT_LEAST, "pasted: {}/{total}", agree[1]);
    assert!(
        agree[2] >= ALONE_AT_LEAST,
        "paste only: {}/{total}",
        agree[2]
    );
}
