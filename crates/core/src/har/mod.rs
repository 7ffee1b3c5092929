//! HAR 1.2 files (<http://www.softwareishard.com/blog/har-12-spec/>) as DevTools saves them
//! ("Save all as HAR"): the entries, the ones that failed (a 401, 403 or 407; a request the
//! browser blocked, which Chrome writes with status 0 and an `_error`; a redirect to a sign-in
//! page), whether the file was saved without its credentials, and any entry as the raw exchange
//! the paste reader diagnoses.

mod races;
mod read;
mod trail;

use std::fmt;

pub use read::{HarReader, MAX_BODY_BYTES};

/// One thing the trail found, on one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailNote {
    /// The entry it is about (0-based): a request that went without a cookie, or the answer
    /// whose cookie the browser refused.
    pub entry: usize,
    pub cause: crate::cause::CauseId,
    pub sentence: String,
}

/// `2026-01-01T10:00:00.123Z` or `…+02:00` (Firefox writes the local offset) in milliseconds
/// since the epoch.
fn har_time_ms(text: &str) -> Option<i64> {
    let (date, time) = text.trim().split_once('T')?;
    let day = crate::time::parse_iso_time(date)?;
    let (clock, offset) = match time.find(['Z', 'z', '+', '-']) {
        Some(at) => (time.get(..at)?, time.get(at..)?),
        None => (time, ""),
    };
    let (whole, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut parts = whole.split(':').map(|p| p.parse::<i64>().ok());
    let (hour, minute, second) = (parts.next()??, parts.next()??, parts.next()??);
    let millis = format!("{fraction:0<3}")
        .get(..3)
        .and_then(|m| m.parse::<i64>().ok())
        .unwrap_or(0);
    let offset_s = match offset.get(..1) {
        Some(sign @ ("+" | "-")) => {
            let digits: String = offset.chars().filter(char::is_ascii_digit).collect();
            let hours = digits.get(..2)?.parse::<i64>().ok()?;
            let minutes = digits
                .get(2..4)
                .and_then(|m| m.parse::<i64>().ok())
                .unwrap_or(0);
            let seconds = hours * 3600 + minutes * 60;
            if sign == "+" { seconds } else { -seconds }
        }
        _ => 0,
    };
    Some((day + hour * 3600 + minute * 60 + second - offset_s) * 1000 + millis)
}

/// One request and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HarEntry {
    pub started: String,
    pub method: String,
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    pub request_body: Option<String>,
    /// 0 when no answer came (blocked, failed, cancelled).
    pub status: u16,
    pub status_text: String,
    pub response_headers: Vec<(String, String)>,
    pub redirect_url: String,
    /// The body as text, when the file keeps it as text.
    pub body: Option<String>,
    /// Chrome's `_error` (`net::ERR_FAILED` for a CORS failure …).
    pub error: Option<String>,
}

impl HarEntry {
    /// The origin of the page that made the request, as its `Origin` names it (not `null`).
    pub fn origin(&self) -> Option<&str> {
        crate::observation::field_value(&self.request_headers, "origin").filter(|o| *o != "null")
    }

    /// Why this entry is one to look at, if it is.
    pub fn failure(&self) -> Option<EntryFailure> {
        match self.status {
            401 | 403 | 407 => Some(EntryFailure::Refused(self.status)),
            0 => Some(EntryFailure::NoAnswer(
                self.error.clone().unwrap_or_else(|| "no answer".to_owned()),
            )),
            300..=399 => {
                let to = if self.redirect_url.is_empty() {
                    crate::observation::field_value(&self.response_headers, "location")
                        .unwrap_or_default()
                } else {
                    self.redirect_url.as_str()
                };
                let lower = to.to_ascii_lowercase();
                [
                    "login", "signin", "sign-in", "sign_in", "auth", "sso", "oauth",
                ]
                .iter()
                .any(|w| lower.contains(w))
                .then(|| EntryFailure::SignInRedirect(to.to_owned()))
            }
            _ => None,
        }
    }

    /// The request as a copied command would give it: what the form takes to send it again
    /// (an entry that got no answer has nothing else to diagnose).
    pub fn request(&self) -> crate::command::CopiedRequest {
        crate::command::CopiedRequest {
            method: self.method.clone(),
            url: self.url.clone(),
            headers: self.request_headers.clone(),
            body: self.request_body.clone(),
            // The browser followed redirects itself.
            follow_redirects: true,
            ..crate::command::CopiedRequest::default()
        }
    }

    /// The exchange as a raw HTTP request and response, the way the paste reader takes it.
    pub fn exchange(&self) -> String {
        let lines = |headers: &[(String, String)]| {
            let mut text = String::new();
            for (name, value) in headers.iter().filter(|(name, _)| !name.starts_with(':')) {
                text.push_str(name);
                text.push_str(": ");
                text.push_str(value);
                text.push('\n');
            }
            text
        };
        let request = format!(
            "{} {} HTTP/1.1\n{}\n",
            self.method,
            self.url,
            lines(&self.request_headers)
        );
        if self.status == 0 {
            return request;
        }
        format!(
            "{request}HTTP/1.1 {} {}\n{}\n{}",
            self.status,
            self.status_text,
            lines(&self.response_headers),
            self.body.as_deref().unwrap_or_default()
        )
    }
}

/// Why an entry failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryFailure {
    /// 401, 403 or 407.
    Refused(u16),
    /// No answer reached the page: Chrome's `_error`, or nothing said.
    NoAnswer(String),
    /// A redirect to what looks like a sign-in page.
    SignInRedirect(String),
}

impl fmt::Display for EntryFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryFailure::Refused(status) => write!(f, "answered {status}"),
            EntryFailure::NoAnswer(error) => write!(f, "no answer reached the page ({error})"),
            EntryFailure::SignInRedirect(to) => write!(f, "redirected to sign in ({to})"),
        }
    }
}

/// A HAR file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Har {
    /// The tool that saved it (`WebInspector 537.36`, `Firefox 128.0` …).
    pub creator: String,
    pub entries: Vec<HarEntry>,
    /// Entries that are not objects of the HAR's shape, skipped.
    pub skipped: usize,
}

/// Why a file is not a HAR this reader takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HarProblem(pub String);

impl fmt::Display for HarProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "This is not a HAR file this page reads: {}.", self.0)
    }
}

/// Reads a HAR file whole (see [`HarReader`] to read a large one in slices).
///
/// # Errors
/// Why the text is not a HAR.
pub fn parse_har(text_in: &str) -> Result<Har, HarProblem> {
    let mut reader = HarReader::new(text_in.as_bytes())?;
    let mut entries = Vec::new();
    while !reader.done() {
        entries.extend(reader.next_entries(usize::MAX)?);
    }
    Ok(reader.har(entries))
}

impl Har {
    /// Entry `at` as the exchange the paste reader diagnoses, noting first when the file was saved
    /// without credentials ([`crate::pasted::SANITIZED_NOTE`]), so that the diagnosis does not
    /// conclude none were sent.
    pub fn exchange(&self, at: usize) -> Option<String> {
        let entry = self.entries.get(at)?;
        Some(if self.looks_sanitized() {
            format!("* {}\n{}", crate::pasted::SANITIZED_NOTE, entry.exchange())
        } else {
            entry.exchange()
        })
    }

    /// The entries to look at, with their index and why.
    pub fn failures(&self) -> Vec<(usize, EntryFailure)> {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(at, entry)| entry.failure().map(|f| (at, f)))
            .collect()
    }

    /// The file holds no `Authorization`, `Cookie` or `Set-Cookie` anywhere though it has
    /// refusals: it was likely saved sanitized (Chrome's default since 130), so "not sent"
    /// cannot be concluded from it.
    pub fn looks_sanitized(&self) -> bool {
        let secret = |headers: &[(String, String)]| {
            headers.iter().any(|(n, _)| {
                ["authorization", "cookie", "set-cookie"]
                    .iter()
                    .any(|s| n.eq_ignore_ascii_case(s))
            })
        };
        let refused = self
            .entries
            .iter()
            .any(|e| matches!(e.status, 401 | 403 | 407));
        refused
            && !self
                .entries
                .iter()
                .any(|e| secret(&e.request_headers) || secret(&e.response_headers))
    }
}

/// HAR files written from rows, for the tests of what follows across entries.
#[cfg(test)]
pub(super) mod fixture {
    use crate::cause::CauseId;
    use crate::har::parse_har;

    /// A HAR of `(time, method, url, request headers, request body, status, response headers,
    /// response body)`, as DevTools writes one.
    pub type Row<'a> = (
        &'a str,
        &'a str,
        &'a str,
        &'a [(&'a str, &'a str)],
        &'a str,
        u16,
        &'a [(&'a str, &'a str)],
        &'a str,
    );

    pub fn har(rows: &[Row<'_>]) -> crate::har::Har {
        let pairs = |headers: &[(&str, &str)]| {
            serde_json::Value::Array(
                headers
                    .iter()
                    .map(|(n, v)| serde_json::json!({"name": n, "value": v}))
                    .collect(),
            )
        };
        let entries: Vec<serde_json::Value> = rows
            .iter()
            .map(|(time, method, url, sent, body, status, answer, text)| {
                serde_json::json!({
                    "startedDateTime": time,
                    "request": {"method": method, "url": url, "headers": pairs(sent),
                                "postData": {"mimeType": "application/x-www-form-urlencoded", "text": body}},
                    "response": {"status": status, "statusText": "", "headers": pairs(answer),
                                 "redirectURL": "", "content": {"size": text.len(), "text": text}}
                })
            })
            .collect();
        let file = serde_json::json!({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": entries}});
        parse_har(&file.to_string()).unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn trail(rows: &[Row<'_>]) -> Vec<(usize, CauseId, String)> {
        har(rows)
            .cookie_trail()
            .into_iter()
            .map(|n| (n.entry, n.cause, n.sentence))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::har_time_ms;

    #[test]
    fn times_as_browsers_write_them() {
        assert_eq!(har_time_ms("1970-01-01T00:00:01.5Z"), Some(1500));
        assert_eq!(har_time_ms("1970-01-01T02:00:00.250+02:00"), Some(250));
        assert_eq!(har_time_ms("1970-01-01T00:00:00-01:30"), Some(5_400_000));
        assert_eq!(har_time_ms("yesterday"), None);
    }

    use super::{EntryFailure, parse_har};

    const HAR: &str = r#"{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[
      {"startedDateTime":"2026-01-01T00:00:00Z","request":{"method":"GET","url":"https://api.example/me","headers":[{"name":"accept","value":"*/*"}]},
       "response":{"status":401,"statusText":"Unauthorized","headers":[{"name":"www-authenticate","value":"Bearer"}],"redirectURL":"","content":{"size":2,"mimeType":"application/json","text":"{}"}}},
      {"startedDateTime":"2026-01-01T00:00:01Z","request":{"method":"GET","url":"https://api.example/x","headers":[]},
       "response":{"status":0,"statusText":"","headers":[],"redirectURL":"","content":{"size":0}},"_error":"net::ERR_FAILED"},
      {"startedDateTime":"2026-01-01T00:00:02Z","request":{"method":"GET","url":"https://app.example/","headers":[]},
       "response":{"status":302,"statusText":"Found","headers":[{"name":"location","value":"/login?next=/"}],"redirectURL":"/login?next=/","content":{"size":0}}}
    ]}}"#;

    #[test]
    fn the_failed_entries_and_a_sanitized_save() {
        let har = parse_har(HAR).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(har.creator, "WebInspector 537.36");
        assert_eq!(
            har.failures(),
            [
                (0, EntryFailure::Refused(401)),
                (1, EntryFailure::NoAnswer("net::ERR_FAILED".into())),
                (2, EntryFailure::SignInRedirect("/login?next=/".into())),
            ]
        );
        assert!(har.looks_sanitized());
        // Taken from the file, the exchange says first that it cannot tell what was sent.
        let noted = har.exchange(0).unwrap_or_default();
        assert!(noted.starts_with("* Saved without credentials"), "{noted}");
        let pasted = crate::pasted::parse_pasted(&noted).unwrap_or_else(|e| panic!("{e}"));
        assert!(pasted.credentials_removed);
        assert_eq!(pasted.answer().and_then(|a| a.status), Some(401));
        let exchange = har.entries[0].exchange();
        assert!(exchange.starts_with(
            "GET https://api.example/me HTTP/1.1\naccept: */*\n\nHTTP/1.1 401 Unauthorized\n"
        ));
        assert!(parse_har("{}").is_err());
        assert!(parse_har("not json").is_err());
    }
}
