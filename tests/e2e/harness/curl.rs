//! Standing in for curl: the command the report shows, sent over a plain socket.

/// Words of a shell command line as the report prints it: `\\` line continuations, words in
/// single quotes (with `'\\''` for a quote) or bare.
fn shell_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = command
        .replace("\\\n", " ")
        .chars()
        .collect::<Vec<_>>()
        .into_iter();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    word.push(q);
                }
            }
            '\\' => {
                in_word = true;
                if let Some(next) = chars.next() {
                    word.push(next);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// What `curl -i` prints for `command` (a `curl -i URL -X … -H … --data-raw …` line) against a
/// loopback server: the request sent as HTTP/1.0 (so that the body is not chunked, as curl
/// shows it decoded), the raw status line, header fields and body read back. `authorization`
/// takes the place of `<credentials>`; a `Cookie` placeholder is left out (the lab keeps none).
pub async fn curl_i(command: &str, authorization: Option<&str>) -> String {
    let words = shell_words(command);
    assert_eq!(
        words.get(..2),
        Some(&["curl".to_owned(), "-i".to_owned()][..]),
        "{command}"
    );
    let mut url = String::new();
    let mut method = "GET".to_owned();
    let mut headers: Vec<String> = Vec::new();
    let mut body = String::new();
    let mut rest = words.into_iter().skip(2);
    while let Some(word) = rest.next() {
        match word.as_str() {
            "-X" => method = rest.next().unwrap_or_default(),
            "-H" => {
                let header = rest.next().unwrap_or_default();
                if header.to_ascii_lowercase().starts_with("cookie:") {
                    continue;
                }
                match (header.split_once(": "), authorization) {
                    (Some((name, value)), Some(real)) if value.ends_with("<credentials>") => {
                        headers.push(format!("{name}: {real}"));
                    }
                    _ => headers.push(header),
                }
            }
            "--data-raw" => body = rest.next().unwrap_or_default(),
            other => other.clone_into(&mut url),
        }
    }
    let rest = url
        .strip_prefix("http://")
        .unwrap_or_else(|| panic!("not http: {url}"));
    let (authority, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_owned()), |(a, p)| (a, format!("/{p}")));
    let mut fields = vec![format!("User-Agent: curl/8.11.1"), "Accept: */*".to_owned()];
    fields.extend(headers);
    let printed = http10(authority, &method, &path, &fields, body.as_bytes()).await;
    String::from_utf8_lossy(&printed).into_owned()
}

/// One HTTP/1.0 exchange with a loopback server (any host name in `authority` reaches
/// `127.0.0.1` on its port): `fields` are `Name: value` lines. Returns the raw answer, status line
/// to body (HTTP/1.0, so the body is not chunked).
pub(super) async fn http10(
    authority: &str,
    method: &str,
    target: &str,
    fields: &[String],
    body: &[u8],
) -> Vec<u8> {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let port = authority.rsplit_once(':').map_or("80", |(_, port)| port);
    let mut stream = tokio::net::TcpStream::connect(format!("127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|e| panic!("connect to {authority}: {e}"));
    let mut request = format!("{method} {target} HTTP/1.0\r\nHost: {authority}\r\n");
    for field in fields {
        request.push_str(field);
        request.push_str("\r\n");
    }
    if !body.is_empty() {
        request = format!("{request}Content-Length: {}\r\n", body.len());
    }
    request.push_str("\r\n");
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(body);
    stream
        .write_all(&bytes)
        .await
        .unwrap_or_else(|e| panic!("send to {authority}: {e}"));
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .await
        .unwrap_or_else(|e| panic!("read from {authority}: {e}"));
    answer
}
