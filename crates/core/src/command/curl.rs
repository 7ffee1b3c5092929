//! curl's options, as curl reads them: long ones with their value after a space or `=`, short
//! ones bundled (`-sSL`) or with their value attached (`-XPOST`, `-HAccept: */*`).

use super::{CommandProblem, CopiedRequest};

/// Options that take a value: (short, long, what it is).
#[rustfmt::skip]
const VALUED: &[(Option<char>, &str, Valued)] = &[
    (Some('X'), "request", Valued::Method),
    (Some('H'), "header", Valued::Header),
    (Some('d'), "data", Valued::Data),
    (None, "data-raw", Valued::Data),
    (None, "data-ascii", Valued::Data),
    (None, "data-binary", Valued::Data),
    (None, "data-urlencode", Valued::Data),
    (None, "json", Valued::Json),
    (Some('u'), "user", Valued::User),
    (Some('b'), "cookie", Valued::Cookie),
    (Some('A'), "user-agent", Valued::UserAgent),
    (Some('e'), "referer", Valued::Referer),
    (None, "url", Valued::Url),
    (Some('F'), "form", Valued::Form),
    (Some('o'), "output", Valued::Ignored),
    (Some('m'), "max-time", Valued::Ignored),
    (None, "connect-timeout", Valued::Ignored),
    (None, "retry", Valued::Ignored),
    (Some('x'), "proxy", Valued::Ignored),
    (Some('E'), "cert", Valued::Ignored),
    (None, "cacert", Valued::Ignored),
    (None, "resolve", Valued::Ignored),
    (Some('w'), "write-out", Valued::Ignored),
    (Some('c'), "cookie-jar", Valued::Ignored),
    (Some('T'), "upload-file", Valued::Ignored),
    (Some('r'), "range", Valued::Range),
    (None, "oauth2-bearer", Valued::Bearer),
    (None, "max-redirs", Valued::Ignored),
    (None, "limit-rate", Valued::Ignored),
    (Some('K'), "config", Valued::Ignored),
];

/// Switches: (short, long, what it is).
#[rustfmt::skip]
const SWITCHES: &[(Option<char>, &str, Switch)] = &[
    (Some('L'), "location", Switch::Location),
    (None, "location-trusted", Switch::LocationTrusted),
    (Some('k'), "insecure", Switch::Insecure),
    (None, "compressed", Switch::Compressed),
    (Some('I'), "head", Switch::Head),
    (Some('G'), "get", Switch::Get),
    (Some('s'), "silent", Switch::Ignored),
    (Some('S'), "show-error", Switch::Ignored),
    (Some('v'), "verbose", Switch::Ignored),
    (Some('i'), "include", Switch::Ignored),
    (Some('f'), "fail", Switch::Ignored),
    (Some('g'), "globoff", Switch::Ignored),
    (None, "http1.1", Switch::Ignored),
    (None, "http2", Switch::Ignored),
    (None, "http2-prior-knowledge", Switch::Ignored),
    (None, "http3", Switch::Ignored),
    (None, "fail-with-body", Switch::Ignored),
    (None, "no-progress-meter", Switch::Ignored),
    (Some('#'), "progress-bar", Switch::Ignored),
    (None, "path-as-is", Switch::Ignored),
    (None, "tr-encoding", Switch::Ignored),
    (None, "digest", Switch::ChallengedAuth),
    (None, "ntlm", Switch::ChallengedAuth),
    (None, "negotiate", Switch::ChallengedAuth),
    (None, "anyauth", Switch::ChallengedAuth),
    (None, "basic", Switch::Ignored),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Valued {
    Method,
    Header,
    Data,
    Json,
    User,
    Cookie,
    UserAgent,
    Referer,
    Url,
    Form,
    Range,
    Bearer,
    Ignored,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Switch {
    Location,
    LocationTrusted,
    Insecure,
    Compressed,
    Head,
    Get,
    ChallengedAuth,
    Ignored,
}

/// What the options said, before the method and URL are settled.
#[derive(Default)]
struct Read {
    request: CopiedRequest,
    method: Option<String>,
    /// Each piece of data, and whether it came with `--json` (joined with nothing between, where
    /// `-d` pieces are joined with `&`).
    data: Vec<(String, bool)>,
    head: bool,
    user: Option<String>,
    bearer: Option<String>,
    /// `--digest`, `--ntlm`, `--negotiate`, `--anyauth`: the user's password goes only in answer
    /// to a challenge, not up front.
    challenged_auth: bool,
    get: bool,
    urls: Vec<String>,
}

/// Reads curl's arguments (after `curl`).
pub(super) fn parse(words: &[String]) -> Result<CopiedRequest, CommandProblem> {
    let mut read = Read::default();
    let mut at = 0;
    while let Some(word) = words.get(at) {
        at += 1;
        if let Some(long) = word.strip_prefix("--") {
            if long.is_empty() {
                read.urls
                    .extend(words.get(at..).unwrap_or_default().iter().cloned());
                break;
            }
            let (name, attached) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (long, None),
            };
            if let Some((_, _, kind)) = VALUED.iter().find(|(_, l, _)| *l == name) {
                let value = if let Some(value) = attached {
                    value
                } else {
                    at += 1;
                    words
                        .get(at - 1)
                        .cloned()
                        .ok_or_else(|| CommandProblem::MissingValue {
                            option: word.clone(),
                        })?
                };
                take(&mut read, *kind, word, value);
            } else if let Some((_, _, switch)) = SWITCHES.iter().find(|(_, l, _)| *l == name) {
                flip(&mut read, *switch, word);
            } else if let Some(plain) = name.strip_prefix("no-") {
                read.request.ignored.push(format!("--no-{plain}"));
            } else {
                read.request.unknown.push(word.clone());
            }
        } else if word.len() > 1 && word.starts_with('-') {
            // Bundled short options; one that takes a value ends the bundle.
            for (index, letter) in word.char_indices().skip(1) {
                if let Some((_, _, kind)) = VALUED.iter().find(|(s, _, _)| *s == Some(letter)) {
                    let rest = word.get(index + letter.len_utf8()..).unwrap_or_default();
                    let value = if rest.is_empty() {
                        at += 1;
                        words
                            .get(at - 1)
                            .cloned()
                            .ok_or_else(|| CommandProblem::MissingValue {
                                option: format!("-{letter}"),
                            })?
                    } else {
                        rest.to_owned()
                    };
                    take(&mut read, *kind, &format!("-{letter}"), value);
                    break;
                } else if let Some((_, _, switch)) =
                    SWITCHES.iter().find(|(s, _, _)| *s == Some(letter))
                {
                    flip(&mut read, *switch, &format!("-{letter}"));
                } else {
                    read.request.unknown.push(format!("-{letter}"));
                }
            }
        } else {
            read.urls.push(word.clone());
        }
    }
    settle(read)
}

/// One option with its value.
fn take(read: &mut Read, kind: Valued, option: &str, value: String) {
    let request = &mut read.request;
    match kind {
        Valued::Method => read.method = Some(value),
        Valued::Header => {
            if let Some((name, value)) = value.split_once(':') {
                let value = value.trim();
                // `-H 'Name;'` sends an empty header; `-H 'Name:'` removes it.
                if !value.is_empty() {
                    request
                        .headers
                        .push((name.trim().to_owned(), value.to_owned()));
                }
            } else if let Some(name) = value.strip_suffix(';') {
                request
                    .headers
                    .push((name.trim().to_owned(), String::new()));
            }
        }
        Valued::Data if option == "--data-urlencode" => read.data.push((urlencoded(&value), false)),
        Valued::Data => read.data.push((value, false)),
        Valued::Json => {
            read.data.push((value, true));
            add_default(request, "Content-Type", "application/json");
            add_default(request, "Accept", "application/json");
        }
        Valued::User => read.user = Some(value),
        Valued::Bearer => read.bearer = Some(value),
        Valued::Cookie => {
            // A file name (no `=`) is a cookie jar to read, not cookies.
            if value.contains('=') {
                // Every `-b` goes into the one Cookie header curl sends.
                match request
                    .headers
                    .iter_mut()
                    .find(|(n, _)| n.eq_ignore_ascii_case("cookie"))
                {
                    Some((_, cookies)) => {
                        cookies.push_str("; ");
                        cookies.push_str(&value);
                    }
                    None => request.headers.push(("Cookie".to_owned(), value)),
                }
            } else {
                request.ignored.push(format!("{option} {value}"));
            }
        }
        Valued::UserAgent => request.headers.push(("User-Agent".to_owned(), value)),
        Valued::Referer => request.headers.push(("Referer".to_owned(), value)),
        Valued::Range => request
            .headers
            .push(("Range".to_owned(), format!("bytes={value}"))),
        Valued::Url => read.urls.push(value),
        Valued::Form => {
            read.data.push((value, false));
            request.unknown.push(format!("{option} (multipart form)"));
        }
        Valued::Ignored => request.ignored.push(format!("{option} {value}")),
    }
}

/// One switch.
fn flip(read: &mut Read, switch: Switch, option: &str) {
    let request = &mut read.request;
    match switch {
        Switch::Location => request.follow_redirects = true,
        Switch::LocationTrusted => {
            request.follow_redirects = true;
            request.location_trusted = true;
        }
        Switch::Insecure => request.insecure = true,
        Switch::Compressed => request.compressed = true,
        Switch::Head => read.head = true,
        Switch::Get => read.get = true,
        Switch::ChallengedAuth => read.challenged_auth = true,
        Switch::Ignored => request.ignored.push(option.to_owned()),
    }
}

fn add_default(request: &mut CopiedRequest, name: &str, value: &str) {
    if !request
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case(name))
    {
        request.headers.push((name.to_owned(), value.to_owned()));
    }
}

/// `--data-urlencode`'s value: `content` or `name=content`, the content percent-encoded as curl
/// encodes it (all but letters, digits and `-._~`).
fn urlencoded(value: &str) -> String {
    let (name, content) = match value.split_once('=') {
        Some((name, content)) => (Some(name), content),
        None => (None, value),
    };
    let mut encoded = String::new();
    for byte in content.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            let hex = |n: u8| {
                char::from(
                    b"0123456789ABCDEF"
                        .get(usize::from(n))
                        .copied()
                        .unwrap_or(b'0'),
                )
            };
            encoded.push('%');
            encoded.push(hex(byte >> 4));
            encoded.push(hex(byte & 0xF));
        }
    }
    match name {
        Some(name) if !name.is_empty() => format!("{name}={encoded}"),
        _ => encoded,
    }
}

/// The method, URL and body curl would use.
fn settle(mut read: Read) -> Result<CopiedRequest, CommandProblem> {
    let mut url = read.urls.first().cloned().ok_or(CommandProblem::NoUrl)?;
    if !url.contains("://") {
        url = format!("http://{url}");
    }
    // `user:password@` in the URL is what curl sends as Basic credentials, not part of the URL.
    if let Some((scheme, rest)) = url.split_once("://") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if let Some((userinfo, host)) = authority.rsplit_once('@') {
            if read.user.is_none() {
                read.user = Some(userinfo.to_owned());
            }
            url = format!(
                "{scheme}://{host}{}",
                rest.get(authority.len()..).unwrap_or_default()
            );
        }
    }
    let mut body: Option<String> = None;
    for (piece, json) in &read.data {
        match &mut body {
            None => body = Some(piece.clone()),
            Some(body) => {
                if !json {
                    body.push('&');
                }
                body.push_str(piece);
            }
        }
    }
    let request = &mut read.request;
    // curl sends a bearer token when given one, else the user's Basic credentials up front,
    // unless a challenge-based scheme was asked for.
    if let Some(token) = &read.bearer {
        request
            .headers
            .insert(0, ("Authorization".to_owned(), format!("Bearer {token}")));
    } else if let Some(user) = read.user.as_ref().filter(|_| !read.challenged_auth) {
        request.headers.insert(
            0,
            (
                "Authorization".to_owned(),
                crate::request::basic_credentials(user),
            ),
        );
    }
    if read.get {
        // `-G`: the data goes into the query.
        if let Some(body) = body {
            let joiner = if url.contains('?') { '&' } else { '?' };
            url = format!("{url}{joiner}{body}");
        }
        request.method = read.method.unwrap_or_else(|| "GET".to_owned());
    } else {
        request.method = read.method.unwrap_or_else(|| {
            if read.head {
                "HEAD".to_owned()
            } else if body.is_some() {
                "POST".to_owned()
            } else {
                "GET".to_owned()
            }
        });
        if body.is_some() {
            add_default(request, "Content-Type", "application/x-www-form-urlencoded");
        }
        request.body = body;
    }
    request.url = url;
    Ok(read.request)
}

#[cfg(test)]
mod tests {
    use super::super::{Tool, parse_command};
    use crate::command::Dialect;

    #[test]
    fn a_hand_written_command() {
        let (tool, r) = parse_command(
            "curl -sSL -XPOST -u 'ann:s3cret' -H'Accept: application/json' --json '{\"a\":1}' -k --compressed https://api.example/v1/x",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(tool, Tool::Curl(Dialect::Posix));
        assert_eq!(r.method, "POST");
        assert_eq!(r.url, "https://api.example/v1/x");
        assert_eq!(r.body.as_deref(), Some("{\"a\":1}"));
        assert!(r.follow_redirects && r.insecure && r.compressed);
        assert_eq!(
            r.headers,
            [
                (
                    "Authorization".to_owned(),
                    "Basic YW5uOnMzY3JldA==".to_owned()
                ),
                ("Accept".to_owned(), "application/json".to_owned()),
                ("Content-Type".to_owned(), "application/json".to_owned()),
            ]
        );
        assert_eq!(r.ignored, ["-s", "-S"]);
    }

    #[test]
    fn data_means_post_and_head_means_head() {
        let (_, r) = parse_command("curl -d a=1 --data-urlencode b=2 example.com/x")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (r.method.as_str(), r.body.as_deref()),
            ("POST", Some("a=1&b=2"))
        );
        assert_eq!(r.url, "http://example.com/x");
        let (_, r) = parse_command("curl -I https://a.example/").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.method, "HEAD");
        let (_, r) =
            parse_command("curl -G -d q=1 https://a.example/s").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (r.method.as_str(), r.url.as_str()),
            ("GET", "https://a.example/s?q=1")
        );
    }

    #[test]
    fn what_cannot_be_read_is_said() {
        assert_eq!(
            parse_command("curl -H").map(|_| ()),
            Err(super::CommandProblem::MissingValue {
                option: "-H".into()
            })
        );
        assert_eq!(
            parse_command("curl -v").map(|_| ()),
            Err(super::CommandProblem::NoUrl)
        );
        assert_eq!(
            parse_command("wget https://a.example").map(|_| ()),
            Err(super::CommandProblem::NotACommand)
        );
    }
}
