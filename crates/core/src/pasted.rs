//! What the server said, as the user pastes it from outside the browser: the output of `curl -i`
//! (several responses with `-L`, `100 Continue`, a proxy's `Connection established`), `curl -v`
//! (`>` request and `<` response lines, `*` notes), a raw HTTP message, or headers copied from
//! DevTools (with its "Status Code: 401 Unauthorized" line). The page cannot read `Set-Cookie`,
//! nor any header the server does not expose; curl can, so this settles what the probes cannot.

use std::fmt;

use crate::observation::{ResponseSeen, ResponseType, body_excerpt, field_values};

/// The request line and headers, when the paste shows them (`curl -v`, a raw exchange).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PastedRequest {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
}

/// One response: status line (if any), header fields in order, body text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastedResponse {
    /// `None` for bare header lines without a status line.
    pub status: Option<u16>,
    pub reason: String,
    /// Names lower-cased, values trimmed, folded lines joined.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pasted {
    /// The last request in the paste.
    pub request: Option<PastedRequest>,
    /// The request the paste starts with, when redirects led from it to the last one (`curl -L
    /// -v` prints every hop): the user's own request.
    pub redirected_from: Option<PastedRequest>,
    /// Whether the connection used TLS, as curl's `*` notes before the first request say:
    /// `curl -v` prints the path and `Host`, never the scheme.
    pub tls: Option<bool>,
    /// The exchange comes from a file saved without credentials ([`SANITIZED_NOTE`]): whether any
    /// were sent cannot be told from it.
    pub credentials_removed: bool,
    /// In the order they came; the last is the answer.
    pub responses: Vec<PastedResponse>,
    /// Lines in a header block that are not `name: value`.
    pub unread_lines: usize,
    /// Header fields past the first [`MAX_FIELDS`] of a message, counted and left unread.
    pub unread_fields: usize,
}

/// The header fields read of one message: real ones have a few dozen, and a paste of thousands
/// must not make every later look at the headers slow.
pub const MAX_FIELDS: usize = 256;

/// Why a paste could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasteProblem {
    Empty,
    /// Neither a status line nor a header field in it.
    NoResponse,
}

impl fmt::Display for PasteProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PasteProblem::Empty => "Nothing pasted.",
            PasteProblem::NoResponse => {
                "No HTTP response in this text. Paste what curl -i prints: the status line (HTTP/1.1 401 Unauthorized), the header lines and the body."
            }
        })
    }
}

impl PastedResponse {
    fn add(&mut self, name: String, value: &str) {
        if name == ":status" {
            self.status = value.get(..3).and_then(|c| c.parse().ok());
        } else {
            self.headers.push((name, value.to_owned()));
        }
    }

    pub fn header_values(&self, name: &str) -> Vec<&str> {
        field_values(&self.headers, name)
    }

    /// The response as the page would have seen it with nothing hidden: every header readable.
    /// Without a status line the status is 0.
    pub fn seen(&self, url: &str) -> ResponseSeen {
        ResponseSeen {
            response_type: ResponseType::Basic,
            status: self.status.unwrap_or(0),
            status_text: self.reason.clone(),
            url: url.to_owned(),
            redirected: false,
            headers: self.headers.clone(),
            body_excerpt: (!self.body.is_empty()).then(|| body_excerpt(&self.body)),
        }
    }
}

impl Pasted {
    /// A request line: the user's request, or a hop a redirect led to.
    fn start_request(&mut self, method: &str, target: &str) {
        let after_redirect = self
            .responses
            .last()
            .and_then(|r| r.status)
            .is_some_and(crate::cors::is_redirect_status);
        if after_redirect && self.redirected_from.is_none() {
            self.redirected_from = self.request.take();
        } else if !after_redirect {
            // Another exchange, not a hop: the user's request is the new one.
            self.redirected_from = None;
        }
        self.request = Some(PastedRequest {
            method: method.to_owned(),
            target: target.to_owned(),
            headers: Vec::new(),
        });
    }

    /// The final answer: the last response, past interim `1xx` ones and a proxy's tunnel reply.
    pub fn answer(&self) -> Option<&PastedResponse> {
        self.responses.last()
    }

    /// The final answer as a request to `url` would have seen it with nothing hidden: past the
    /// redirects before it (`curl -L` prints each), at the URL they led to.
    pub fn seen_answer(&self, url: &str) -> Option<ResponseSeen> {
        let (last, before) = self.responses.split_last()?;
        if self.redirected_from.is_none() {
            // No hops: what came before is another exchange, not the way to this answer.
            return Some(last.seen(url));
        }
        let mut at = url.to_owned();
        let mut redirected = false;
        for response in before {
            if !response.status.is_some_and(crate::cors::is_redirect_status) {
                continue;
            }
            if let Some(location) = response.header_values("location").first() {
                at = crate::cors::fetch::resolve(&at, location);
                redirected = true;
            }
        }
        let mut seen = last.seen(&at);
        seen.redirected = redirected;
        Some(seen)
    }

    /// The method of the request the answer is for, when the paste says.
    pub fn method(&self) -> Option<&str> {
        self.request.as_ref().map(|r| r.method.as_str())
    }

    /// Every `Set-Cookie` of every response (a login followed by a redirect sets them early).
    pub fn set_cookies(&self) -> impl Iterator<Item = &str> {
        self.responses
            .iter()
            .flat_map(|r| r.header_values("set-cookie"))
    }
}

/// `HTTP/1.1 401 Unauthorized`, `HTTP/2 401`: the status and reason.
fn status_line(line: &str) -> Option<(u16, &str)> {
    let rest = line.strip_prefix("HTTP/")?;
    let (version, rest) = rest.split_once(' ')?;
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let rest = rest.trim_start();
    let code = rest.get(..3)?;
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let status = code.parse().ok()?;
    let reason = rest.get(3..).unwrap_or_default();
    if !(reason.is_empty() || reason.starts_with(' ')) {
        return None;
    }
    Some((status, reason.trim()))
}

/// `GET /v1/me HTTP/1.1`: method and target.
fn request_line(line: &str) -> Option<(&str, &str)> {
    let mut parts = line.split(' ');
    let method = parts.next()?;
    let target = parts.next()?;
    let version = parts.next()?;
    let token = !method.is_empty() && method.bytes().all(|b| b.is_ascii_uppercase());
    (token && version.starts_with("HTTP/") && parts.next().is_none()).then_some((method, target))
}

/// `name: value` with a token name (HTTP/2 pseudo-fields like `:status` allowed).
fn field(line: &str) -> Option<(String, &str)> {
    let (name, value) = line.split_once(':').or_else(|| {
        // `:status: 401`
        let rest = line.strip_prefix(':')?;
        let (name, value) = rest.split_once(':')?;
        Some((line.get(..name.len() + 1)?, value))
    })?;
    let bare = name.strip_prefix(':').unwrap_or(name);
    let token = !bare.is_empty()
        && bare
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    token.then(|| (name.to_ascii_lowercase(), value.trim()))
}

/// Where a line of a `curl -v` transcript belongs.
enum Verbose<'a> {
    Request(&'a str),
    Response(&'a str),
    Note(&'a str),
    Plain(&'a str),
}

fn verbose(line: &str) -> Verbose<'_> {
    if let Some(rest) = line
        .strip_prefix("> ")
        .or(line.strip_prefix(">").filter(|r| r.is_empty()))
    {
        Verbose::Request(rest)
    } else if let Some(rest) = line
        .strip_prefix("< ")
        .or(line.strip_prefix("<").filter(|r| r.is_empty()))
    {
        Verbose::Response(rest)
    } else if let Some(note) = line.strip_prefix("* ") {
        Verbose::Note(note)
    } else if (line.starts_with("{ [") || line.starts_with("} [")) && line.ends_with(" data]") {
        // curl -sv's count of the bytes it received or sent: `{ [24 bytes data]`.
        Verbose::Note("")
    } else {
        Verbose::Plain(line)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Before anything was read.
    Start,
    RequestHeaders,
    /// Between a request's headers and the response (a request body).
    RequestBody,
    ResponseHeaders,
    Body,
}

/// Reads a pasted exchange. Lenient: it reads what it can and counts what it could not.
pub fn parse_pasted(text: &str) -> Result<Pasted, PasteProblem> {
    if text.trim().is_empty() {
        return Err(PasteProblem::Empty);
    }
    let mut pasted = Pasted {
        request: None,
        redirected_from: None,
        tls: None,
        credentials_removed: false,
        responses: Vec::new(),
        unread_lines: 0,
        unread_fields: 0,
    };
    let mut section = Section::Start;
    for raw in text.lines() {
        let line = match verbose(raw) {
            Verbose::Note(note) => {
                if pasted.request.is_none() {
                    read_note(note, &mut pasted);
                }
                continue;
            }
            Verbose::Request(rest) => {
                if section != Section::RequestHeaders {
                    section = Section::Start;
                }
                rest
            }
            Verbose::Response(rest) => {
                if section == Section::Body && status_line(rest).is_none() {
                    // `<` lines are headers, never body; a blank one ends them.
                    section = Section::ResponseHeaders;
                }
                rest
            }
            Verbose::Plain(line) => line,
        };
        let line = line.trim_end();
        if let Some((status, reason)) = status_line(line.trim_start()) {
            pasted.responses.push(PastedResponse {
                status: Some(status),
                reason: reason.to_owned(),
                headers: Vec::new(),
                body: String::new(),
            });
            section = Section::ResponseHeaders;
            continue;
        }
        match section {
            Section::Start => {
                if let Some((method, target)) = request_line(line.trim_start()) {
                    pasted.start_request(method, target);
                    section = Section::RequestHeaders;
                } else if let Some(r) = devtools_general(line, &mut pasted) {
                    section = r;
                } else if let Some((name, value)) = field(line) {
                    // Header lines with no status line above them.
                    let mut response = PastedResponse {
                        status: None,
                        reason: String::new(),
                        headers: Vec::new(),
                        body: String::new(),
                    };
                    response.add(name, value);
                    pasted.responses.push(response);
                    section = Section::ResponseHeaders;
                } else if !line.trim().is_empty() {
                    pasted.unread_lines += 1;
                }
            }
            Section::RequestHeaders if line.trim().is_empty() => section = Section::RequestBody,
            Section::RequestHeaders => request_header_line(line, &mut pasted),
            Section::RequestBody => {}
            Section::ResponseHeaders => {
                if let Some(next) = response_header_line(line, &mut pasted) {
                    section = next;
                }
            }
            Section::Body => {
                if let Some(response) = pasted.responses.last_mut()
                    && response.body.len() < crate::observation::BODY_EXCERPT_CHARS * 4
                {
                    if !response.body.is_empty() {
                        response.body.push('\n');
                    }
                    response.body.push_str(line);
                }
            }
        }
    }
    drop_interim(&mut pasted.responses);
    if pasted.responses.is_empty() {
        return Err(PasteProblem::NoResponse);
    }
    Ok(pasted)
}

/// One line of a request's header block: a field, kept among the first [`MAX_FIELDS`] and
/// counted past them, or a line that is not one.
/// The note (`* …`, as curl writes its own) an exchange taken from a HAR file saved sanitized
/// starts with.
pub const SANITIZED_NOTE: &str = "Saved without credentials: the HAR file holds no Authorization, Cookie or Set-Cookie header at all, so whether any were sent cannot be told from it.";

/// What a `*` note of `curl -v` before the first request says of the connection.
fn read_note(note: &str, pasted: &mut Pasted) {
    if note == SANITIZED_NOTE {
        pasted.credentials_removed = true;
    } else if note.contains("SSL connection") || note.contains("TLS") || note.starts_with("ALPN") {
        pasted.tls = Some(true);
    } else if note.starts_with("Connected to") && pasted.tls.is_none() {
        pasted.tls = Some(false);
    }
}

fn request_header_line(line: &str, pasted: &mut Pasted) {
    match (field(line), pasted.request.as_mut()) {
        (Some((name, value)), Some(request)) if request.headers.len() < MAX_FIELDS => {
            request.headers.push((name, value.to_owned()));
        }
        (Some(_), Some(_)) => pasted.unread_fields += 1,
        _ => pasted.unread_lines += 1,
    }
}

/// One line of a response's header block; the section to continue in when it changes.
fn response_header_line(line: &str, pasted: &mut Pasted) -> Option<Section> {
    if line.trim().is_empty() {
        // DevTools puts a blank line between its status and the header fields.
        return pasted
            .responses
            .last()
            .is_some_and(|r| !r.headers.is_empty())
            .then_some(Section::Body);
    }
    // Past the fields kept, a field is only counted (as in a request's header block): a paste
    // of thousands reads fast.
    if pasted
        .responses
        .last()
        .is_some_and(|r| r.headers.len() >= MAX_FIELDS)
        && line.contains(':')
    {
        pasted.unread_fields += 1;
        return None;
    }
    if let Some(next) = devtools_general(line, pasted) {
        return Some(next);
    }
    let response = pasted.responses.last_mut()?;
    if line.starts_with([' ', '\t']) && !response.headers.is_empty() {
        // An obsolete folded line continues the field above it.
        if let Some((_, value)) = response.headers.last_mut() {
            value.push(' ');
            value.push_str(line.trim());
        }
    } else if let Some((name, value)) = field(line) {
        response.add(name, value);
    } else if response.headers.is_empty() && line.trim_start().starts_with(['{', '[', '<']) {
        // An answer with no header fields at all: its body follows the status line.
        line.trim().clone_into(&mut response.body);
        return Some(Section::Body);
    } else {
        pasted.unread_lines += 1;
    }
    None
}

/// A proxy's tunnel reply or an interim answer is not the answer when another follows.
fn drop_interim(responses: &mut Vec<PastedResponse>) {
    let count = responses.len();
    let mut index = 0;
    responses.retain(|r| {
        index += 1;
        let interim = r.status.is_some_and(|s| (100..200).contains(&s))
            || (r.status == Some(200) && r.reason.eq_ignore_ascii_case("connection established"));
        index == count || !interim
    });
}

/// DevTools' "General" block: `Request Method: GET`, `Status Code: 401 Unauthorized`. Returns the
/// section to continue in when the line is one of them.
fn devtools_general(line: &str, pasted: &mut Pasted) -> Option<Section> {
    let (name, value) = line.split_once(':')?;
    let value = value.trim();
    match name.trim().to_ascii_lowercase().as_str() {
        "request method" => {
            let request = pasted.request.get_or_insert_with(PastedRequest::default);
            value.clone_into(&mut request.method);
            Some(Section::Start)
        }
        "request url" => {
            let request = pasted.request.get_or_insert_with(PastedRequest::default);
            value.clone_into(&mut request.target);
            Some(Section::Start)
        }
        "status code" => {
            let code = value.get(..3).and_then(|c| c.parse().ok())?;
            pasted.responses.push(PastedResponse {
                status: Some(code),
                reason: value.get(3..).unwrap_or_default().trim().to_owned(),
                headers: Vec::new(),
                body: String::new(),
            });
            Some(Section::ResponseHeaders)
        }
        "remote address" | "referrer policy" => Some(Section::ResponseHeaders)
            .filter(|_| !pasted.responses.is_empty())
            .or(Some(Section::Start)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hops_are_told_from_separate_exchanges() {
        let hops = "> GET /a HTTP/1.1\n> Host: x.example\n>\n< HTTP/1.1 302 Found\n< Location: /login\n<\n> GET /login HTTP/1.1\n> Host: x.example\n>\n< HTTP/1.1 200 OK\n<\n";
        let pasted = parse_pasted(hops).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            pasted.redirected_from.map(|r| r.target).as_deref(),
            Some("/a")
        );
        let seen = parse_pasted(hops)
            .ok()
            .and_then(|p| p.seen_answer("https://x.example/a"));
        assert_eq!(
            seen.map(|s| (s.url, s.redirected)),
            Some(("https://x.example/login".to_owned(), true))
        );
        // A sign-in that answered, then the API call: two exchanges, no hop.
        let two = "> POST /login HTTP/1.1\n> Host: x.example\n>\n< HTTP/1.1 200 OK\n< Set-Cookie: sid=1\n<\n> GET /me HTTP/1.1\n> Host: x.example\n>\n< HTTP/1.1 401 Unauthorized\n<\n";
        let pasted = parse_pasted(two).unwrap_or_else(|e| panic!("{e}"));
        assert!(pasted.redirected_from.is_none());
        let seen = pasted.seen_answer("https://x.example/me");
        assert_eq!(
            seen.map(|s| (s.url, s.redirected, s.status)),
            Some(("https://x.example/me".to_owned(), false, 401))
        );
    }

    #[test]
    fn pasted_reads_the_first_fields_of_a_huge_exchange() {
        let fields = |name: &str| {
            (0..1_000)
                .map(|i| format!("{name}: c{i}=v"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let text = format!(
            "GET / HTTP/1.1\n{}\n\nHTTP/1.1 401 Unauthorized\n{}\n",
            fields("Cookie"),
            fields("Set-Cookie")
        );
        let pasted = parse_pasted(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pasted.set_cookies().count(), MAX_FIELDS);
        assert_eq!(pasted.request.map(|r| r.headers.len()), Some(MAX_FIELDS));
        assert_eq!(pasted.unread_fields, 2 * (1_000 - MAX_FIELDS));
    }

    #[test]
    fn pasted_curl_i_with_redirect_and_continue() {
        let text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 302 Found\r\nLocation: /login\r\nSet-Cookie: a=1; Path=/\r\n\r\nHTTP/2 401 \r\nwww-authenticate: Bearer realm=\"api\",\r\n  error=\"invalid_token\"\r\ncontent-type: application/json\r\n\r\n{\"error\":\"expired\"}\r\n";
        let pasted = parse_pasted(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pasted.responses.len(), 2);
        let answer = pasted.answer().unwrap_or_else(|| panic!("no answer"));
        assert_eq!(answer.status, Some(401));
        assert_eq!(
            answer.header_values("WWW-Authenticate"),
            ["Bearer realm=\"api\", error=\"invalid_token\""]
        );
        assert_eq!(answer.body, "{\"error\":\"expired\"}");
        assert_eq!(pasted.set_cookies().collect::<Vec<_>>(), ["a=1; Path=/"]);
    }

    #[test]
    fn pasted_answer_without_header_fields_keeps_its_body() {
        for text in [
            "< HTTP/1.1 401 Unauthorized\n<\n{\"errors\":[{\"code\":\"unauthorized\"}]}\n",
            "HTTP/1.1 401 Unauthorized\n\n{\"error\":\"Bad credentials\"}",
            "HTTP/1.1 403 Forbidden\n\n<Error><Code>AccessDenied</Code></Error>",
        ] {
            let pasted = parse_pasted(text).unwrap_or_else(|e| panic!("{e}"));
            let answer = pasted.answer().unwrap_or_else(|| panic!("no answer"));
            assert!(answer.headers.is_empty(), "{text}");
            assert!(
                answer.body.starts_with(['{', '<']),
                "{text}: {:?}",
                answer.body
            );
        }
    }

    #[test]
    fn pasted_curl_v_names_the_method() {
        let text = "*   Trying 127.0.0.1:8081...\n* Connected\n> OPTIONS /s/x HTTP/1.1\n> Host: localhost\n> Origin: http://127.0.0.1:8080\n>\n< HTTP/1.1 401 Unauthorized\n< www-authenticate: Basic realm=\"x\"\n< content-length: 0\n<\n* Connection #0 left intact\n";
        let pasted = parse_pasted(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pasted.method(), Some("OPTIONS"));
        let request = pasted.request.as_ref().unwrap_or_else(|| panic!("request"));
        assert_eq!(request.headers.len(), 2);
        let answer = pasted.answer().unwrap_or_else(|| panic!("no answer"));
        assert_eq!(answer.status, Some(401));
        assert_eq!(answer.headers.len(), 2);
        assert_eq!(pasted.unread_lines, 0);
    }

    #[test]
    fn pasted_devtools_headers() {
        let text = "Request URL: https://api.example.com/me\nRequest Method: GET\nStatus Code: 401 Unauthorized\nRemote Address: 1.2.3.4:443\n\naccess-control-allow-origin: *\nwww-authenticate: Bearer\n";
        let pasted = parse_pasted(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pasted.method(), Some("GET"));
        let answer = pasted.answer().unwrap_or_else(|| panic!("no answer"));
        assert_eq!(answer.status, Some(401));
        assert_eq!(answer.header_values("www-authenticate"), ["Bearer"]);
    }

    #[test]
    fn pasted_bare_headers_and_garbage() {
        let pasted = parse_pasted("Set-Cookie: sid=1; SameSite=Lax\nnot a header\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let answer = pasted.answer().unwrap_or_else(|| panic!("no answer"));
        assert_eq!(answer.status, None);
        assert_eq!(pasted.unread_lines, 1);
        assert_eq!(parse_pasted(" \n "), Err(PasteProblem::Empty));
        assert_eq!(
            parse_pasted("hello world\n<html>"),
            Err(PasteProblem::NoResponse)
        );
        assert_eq!(status_line("HTTP/1.1 4011"), None);
        assert_eq!(status_line("HTTP/x 401"), None);
        assert_eq!(status_line("HTTP/2 200"), Some((200, "")));
    }

    #[test]
    fn pasted_proxy_tunnel_is_not_the_answer() {
        let text = "HTTP/1.1 200 Connection established\n\nHTTP/1.1 407 Proxy Authentication Required\nProxy-Authenticate: Basic realm=\"corp\"\n\n";
        let pasted = parse_pasted(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pasted.responses.len(), 1);
        assert_eq!(pasted.answer().and_then(|a| a.status), Some(407));
    }
}
