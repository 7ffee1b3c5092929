//! Reading a HAR file entry by entry, so that a file of a hundred megabytes is read in slices (the
//! page yields between them, shows progress and can stop) and never held twice: each entry is
//! parsed straight from the file's bytes into the few fields the diagnosis reads — strings
//! borrowed where they hold no escapes — and everything else (timings, cookies arrays, base64
//! bodies, pages) is skipped without being built.

use serde::Deserialize;
use serde_json::Value;

use super::{HarEntry, HarProblem};

/// The most of a response body kept per entry: the diagnosis reads an excerpt, and a HAR's bodies
/// are most of its bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

fn text(value: Option<&Value>) -> String {
    value.and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// A list of `{"name", "value"}` objects as pairs.
fn pairs(list: Option<&Value>) -> Vec<(String, String)> {
    list.and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|item| (text(item.get("name")), text(item.get("value"))))
                .collect()
        })
        .unwrap_or_default()
}

/// At most [`MAX_BODY_BYTES`] of `text`, cut at a character boundary.
fn excerpt(text: &str) -> String {
    let mut end = text.len().min(MAX_BODY_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default().to_owned()
}

/// An entry, as read. (Walked as a JSON value, one entry at a time: the page already carries the
/// value reader, and a typed reader per HAR object weighed 24 KB gzip on its first paint.)
fn field<'a>(part: Option<&'a Value>, name: &str) -> Option<&'a Value> {
    part.and_then(|p| p.get(name))
}

fn entry_of(raw: &Value) -> HarEntry {
    let request = raw.get("request");
    let response = raw.get("response");
    let content = field(response, "content");
    // A base64 body is binary: nothing to read in it here.
    let body = content
        .filter(|c| c.get("encoding").is_none_or(Value::is_null))
        .and_then(|c| c.get("text"))
        .and_then(Value::as_str)
        .map(excerpt);
    HarEntry {
        started: text(raw.get("startedDateTime")),
        method: text(field(request, "method")),
        url: text(field(request, "url")),
        request_headers: pairs(field(request, "headers")),
        request_body: field(request, "postData")
            .and_then(|p| p.get("text"))
            .and_then(Value::as_str)
            .map(excerpt),
        status: field(response, "status")
            .and_then(Value::as_i64)
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or(0),
        status_text: text(field(response, "statusText")),
        response_headers: pairs(field(response, "headers")),
        redirect_url: text(field(response, "redirectURL")),
        body,
        error: raw.get("_error").and_then(Value::as_str).map(str::to_owned),
    }
}

/// Where the reader is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Inside `log.entries`, before an entry or the closing `]`.
    Entries,
    /// Past the entries.
    Done,
}

/// A HAR file read entry by entry from its bytes.
pub struct HarReader<'a> {
    bytes: &'a [u8],
    at: usize,
    state: State,
    creator: String,
    /// Entries that were not objects of the expected shape: skipped, counted.
    pub skipped: usize,
}

fn whitespace(bytes: &[u8], mut at: usize) -> usize {
    while bytes
        .get(at)
        .is_some_and(|b| matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
    {
        at += 1;
    }
    at
}

/// One JSON value of type `T` at `at`, and where it ends. (From the bytes: the strings are
/// checked for UTF-8 as they are read, instead of the whole file in one long task.)
fn one<'de, T: Deserialize<'de>>(bytes: &'de [u8], at: usize) -> Result<(T, usize), HarProblem> {
    let rest = bytes.get(at..).unwrap_or_default();
    let mut stream = serde_json::Deserializer::from_slice(rest).into_iter::<T>();
    match stream.next() {
        Some(Ok(value)) => Ok((value, at + stream.byte_offset())),
        Some(Err(e)) => {
            // serde_json counts lines and columns from the slice; the file's byte says more.
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or_default();
            Err(HarProblem(format!(
                "{message}, in the value that starts at byte {at}"
            )))
        }
        None => Err(HarProblem("the file ends too early".to_owned())),
    }
}

fn expect(bytes: &[u8], at: usize, byte: u8, what: &str) -> Result<usize, HarProblem> {
    let at = whitespace(bytes, at);
    if bytes.get(at) == Some(&byte) {
        Ok(at + 1)
    } else {
        Err(HarProblem(format!("{what} (at byte {at})")))
    }
}

impl<'a> HarReader<'a> {
    /// Finds `log.entries`, reading `log.creator` on the way.
    ///
    /// # Errors
    /// The bytes are not a JSON object with a `log` holding `entries`.
    pub fn new(bytes: &'a [u8]) -> Result<HarReader<'a>, HarProblem> {
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        let mut reader = HarReader {
            bytes,
            at: 0,
            state: State::Done,
            creator: String::new(),
            skipped: 0,
        };
        let at = expect(bytes, 0, b'{', "it is not a JSON object")?;
        let log = reader
            .member(at, "log")?
            .ok_or_else(|| HarProblem("it has no \"log\"".to_owned()))?;
        let log = expect(bytes, log, b'{', "its \"log\" is not an object")?;
        reader.at = log;
        reader.walk_log(true)?;
        if reader.state != State::Entries {
            return Err(HarProblem("its \"log\" has no \"entries\"".to_owned()));
        }
        Ok(reader)
    }

    /// In an object, from `at`: the next member's name and where its value starts, or `None`
    /// and where the object ends.
    fn next_member(&self, mut at: usize) -> Result<Result<(String, usize), usize>, HarProblem> {
        loop {
            at = whitespace(self.bytes, at);
            match self.bytes.get(at) {
                Some(b'}') | None => return Ok(Err(at)),
                Some(b',') => at += 1,
                _ => break,
            }
        }
        let (key, after): (String, usize) = one(self.bytes, at)?;
        let value = expect(self.bytes, after, b':', "a member without a value")?;
        Ok(Ok((key, value)))
    }

    /// In an object whose members start at `at`: where the value of `name` starts, skipping
    /// the others; `None` at the object's end.
    fn member(&self, mut at: usize, name: &str) -> Result<Option<usize>, HarProblem> {
        loop {
            let Ok((key, value)) = self.next_member(at)? else {
                return Ok(None);
            };
            if key == name {
                return Ok(Some(value));
            }
            let (_, end) = one::<Value>(self.bytes, value)?;
            at = end;
        }
    }

    /// Walks the members of `log` from `self.at`: reads `creator`; with `find_entries`, stops
    /// at the start of `entries` (state `Entries`), else skips them to the end.
    fn walk_log(&mut self, find_entries: bool) -> Result<(), HarProblem> {
        let mut at = self.at;
        loop {
            let (key, value) = match self.next_member(at)? {
                Ok(member) => member,
                Err(end) => {
                    self.at = end;
                    return Ok(());
                }
            };
            if key == "entries" && find_entries {
                self.at = expect(self.bytes, value, b'[', "its \"entries\" is not a list")?;
                self.state = State::Entries;
                return Ok(());
            }
            if key == "creator" {
                let (creator, end): (Value, usize) = one(self.bytes, value)?;
                format!(
                    "{} {}",
                    text(creator.get("name")),
                    text(creator.get("version"))
                )
                .trim()
                .clone_into(&mut self.creator);
                at = end;
            } else {
                let (_, end) = one::<Value>(self.bytes, value)?;
                at = end;
            }
        }
    }

    /// The tool that saved the file, once read (it comes before the entries in every browser's
    /// files).
    pub fn creator(&self) -> &str {
        &self.creator
    }

    /// The file, with `entries` — all it read — as its entries.
    pub fn har(&self, entries: Vec<HarEntry>) -> super::Har {
        super::Har {
            creator: self.creator.clone(),
            entries,
            skipped: self.skipped,
        }
    }

    /// The bytes read so far, and the file's size: for progress.
    pub fn progress(&self) -> (usize, usize) {
        (self.at, self.bytes.len())
    }

    /// Whether every entry has been read.
    pub fn done(&self) -> bool {
        self.state == State::Done
    }

    /// The next entries, until about `budget` bytes of the file are read.
    ///
    /// # Errors
    /// The file is not JSON past this point.
    pub fn next_entries(&mut self, budget: usize) -> Result<Vec<HarEntry>, HarProblem> {
        let mut entries = Vec::new();
        // At least one step, whatever the budget: every call moves on.
        let stop = self.at.saturating_add(budget.max(1));
        while self.state == State::Entries && self.at < stop {
            let at = whitespace(self.bytes, self.at);
            match self.bytes.get(at) {
                Some(b']') => {
                    self.at = at + 1;
                    self.state = State::Done;
                    // Past the entries, the rest of `log` may still name the creator.
                    if self.creator.is_empty() {
                        self.walk_log(false)?;
                    }
                }
                Some(b',') => self.at = at + 1,
                Some(b'{') => {
                    let Ok((raw, end)) = one::<Value>(self.bytes, at) else {
                        // Not an entry of the expected shape: skip the value whole.
                        self.skipped += 1;
                        let (_, end) = one::<Value>(self.bytes, at)?;
                        self.at = end;
                        continue;
                    };
                    entries.push(entry_of(&raw));
                    self.at = end;
                }
                Some(_) => {
                    self.skipped += 1;
                    let (_, end) = one::<Value>(self.bytes, at)?;
                    self.at = end;
                }
                None => return Err(HarProblem("the file ends inside its entries".to_owned())),
            }
        }
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::HarReader;
    use crate::har::parse_har;

    #[test]
    fn read_in_slices_as_whole() {
        let entry = |n: usize| {
            format!(
                r#"{{"startedDateTime":"2026-01-01T00:00:0{n}Z","time":1.5,"request":{{"method":"GET","url":"https://api.example/{n}","headers":[{{"name":"a","value":"\u00e9\"x"}}],"cookies":[]}},"response":{{"status":401,"statusText":"Unauthorized","headers":[],"redirectURL":"","content":{{"size":3,"text":"abc"}}}},"timings":{{"send":0}}}}"#
            )
        };
        let file = format!(
            "\u{feff}{{\"log\":{{\"version\":\"1.2\",\"pages\":[{{\"id\":\"p\"}}],\"entries\":[{} , {}, 7, {}],\"creator\":{{\"name\":\"Firefox\",\"version\":\"128.0\"}}}}}}",
            entry(1),
            entry(2),
            entry(3)
        );
        let whole = parse_har(&file).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            whole.creator, "Firefox 128.0",
            "the creator after the entries"
        );
        assert_eq!(whole.entries.len(), 3);
        assert_eq!(whole.skipped, 1, "the 7");
        assert_eq!(
            whole.entries[1].request_headers,
            [("a".to_owned(), "é\"x".to_owned())]
        );
        assert_eq!(whole.entries[2].body.as_deref(), Some("abc"));
        let mut reader = HarReader::new(file.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let mut sliced = Vec::new();
        let mut reads = 0;
        while !reader.done() {
            sliced.extend(reader.next_entries(1).unwrap_or_else(|e| panic!("{e}")));
            reads += 1;
        }
        assert_eq!(sliced, whole.entries);
        assert!(reads >= 4, "{reads}");
        assert_eq!(
            reader.progress().0,
            reader.progress().1 - 2,
            "up to the closing braces"
        );
    }

    #[test]
    fn what_is_not_a_har_is_named() {
        for (text, says) in [
            ("[]", "not a JSON object"),
            ("{\"log\":[]}", "\"log\" is not an object"),
            ("{\"other\":1}", "no \"log\""),
            ("{\"log\":{\"version\":\"1.2\"}}", "no \"entries\""),
            ("{\"log\":{\"entries\":[{\"request\":", "EOF while parsing"),
            ("{\"log\":{\"entries\":{}}}", "not a list"),
        ] {
            let problem = parse_har(text)
                .map(|_| ())
                .err()
                .unwrap_or_else(|| panic!("{text}"));
            assert!(problem.0.contains(says), "{text}: {problem}");
        }
    }

    #[test]
    fn long_bodies_are_cut_at_a_character() {
        let body = "é".repeat(super::MAX_BODY_BYTES);
        let file = format!(
            "{{\"log\":{{\"entries\":[{{\"response\":{{\"status\":401,\"content\":{{\"text\":\"{body}\"}}}}}}]}}}}"
        );
        let har = parse_har(&file).unwrap_or_else(|e| panic!("{e}"));
        let kept = har.entries[0].body.clone().unwrap_or_default();
        assert_eq!(kept.len(), super::MAX_BODY_BYTES);
        assert_eq!(har.entries[0].status, 401);
    }
}
