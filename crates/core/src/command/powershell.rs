//! DevTools' "Copy as PowerShell": a `WebRequestSession` with its user agent and cookies, then
//! `Invoke-WebRequest -Uri … -Method … -Headers @{ … } -ContentType … -Body …`, lines continued
//! with a backtick.

use super::{CommandProblem, CopiedRequest};

/// PowerShell's words: strings (double-quoted with backtick escapes, single-quoted with `''`),
/// `@{`, `}`, `=`, `;` and bare words.
fn words(text: &str) -> Result<Vec<String>, CommandProblem> {
    let mut words = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' => {
                // A continuation, or an escaped character outside quotes.
                if let Some(next) = chars.next()
                    && !next.is_whitespace()
                {
                    words.push(next.to_string());
                }
            }
            '"' => {
                let mut word = String::new();
                loop {
                    match chars.next() {
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            word.push('"');
                        }
                        Some('"') => break,
                        Some('`') => match chars.next() {
                            Some('n') => word.push('\n'),
                            Some('r') => word.push('\r'),
                            Some('t') => word.push('\t'),
                            Some('0') => word.push('\0'),
                            Some(other) => word.push(other),
                            None => return Err(CommandProblem::UnterminatedQuote { quote: '"' }),
                        },
                        Some(other) => word.push(other),
                        None => return Err(CommandProblem::UnterminatedQuote { quote: '"' }),
                    }
                }
                words.push(word);
            }
            '\'' => {
                let mut word = String::new();
                loop {
                    match chars.next() {
                        Some('\'') if chars.peek() == Some(&'\'') => {
                            chars.next();
                            word.push('\'');
                        }
                        Some('\'') => break,
                        Some(other) => word.push(other),
                        None => return Err(CommandProblem::UnterminatedQuote { quote: '\'' }),
                    }
                }
                words.push(word);
            }
            '@' if chars.peek() == Some(&'{') => {
                chars.next();
                words.push("@{".to_owned());
            }
            '}' | '=' | ';' | '(' | ')' | ',' => words.push(c.to_string()),
            c if c.is_whitespace() => {}
            c => {
                let mut word = c.to_string();
                while let Some(&next) = chars.peek() {
                    if next.is_whitespace() || "\"'}=;(),`".contains(next) {
                        break;
                    }
                    word.push(next);
                    chars.next();
                }
                words.push(word);
            }
        }
    }
    Ok(words)
}

/// The session's user agent (a header) and cookies (`name=value`), from the lines before the
/// call.
fn session(text: &str, request: &mut CopiedRequest) -> Result<Vec<String>, CommandProblem> {
    let mut cookies = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if let Some(agent) = line.strip_prefix("$session.UserAgent") {
            if let Some(value) = words(agent)?.into_iter().find(|w| w != "=") {
                request.headers.push(("User-Agent".to_owned(), value));
            }
        } else if line.starts_with("$session.Cookies.Add") {
            // New-Object System.Net.Cookie("name", "value", "/", "host")
            let parts: Vec<String> = words(line)?;
            if let Some(open) = parts.iter().rposition(|w| w == "(") {
                let args: Vec<&String> = parts
                    .get(open + 1..)
                    .unwrap_or_default()
                    .iter()
                    .filter(|w| !matches!(w.as_str(), "," | ")"))
                    .collect();
                if let [name, value, ..] = args.as_slice() {
                    cookies.push(format!("{name}={value}"));
                }
            }
        }
    }
    Ok(cookies)
}

/// `@{ "name"="value" … }` from `index`, its pairs added to `headers`; the index after it.
fn hashtable(words: &[String], mut index: usize, headers: &mut Vec<(String, String)>) -> usize {
    if words.get(index).map(String::as_str) != Some("@{") {
        return index;
    }
    index += 1;
    while let Some(name) = words.get(index) {
        if name == "}" {
            return index + 1;
        }
        if name != ";" && words.get(index + 1).map(String::as_str) == Some("=") {
            headers.push((
                name.clone(),
                words.get(index + 2).cloned().unwrap_or_default(),
            ));
            index += 3;
        } else {
            index += 1;
        }
    }
    index
}

pub(super) fn parse(text: &str) -> Result<CopiedRequest, CommandProblem> {
    let mut request = CopiedRequest {
        method: "GET".to_owned(),
        ..CopiedRequest::default()
    };
    let cookies = session(text, &mut request)?;
    let at = text
        .find("Invoke-WebRequest")
        .or_else(|| text.find("Invoke-RestMethod"))
        .ok_or(CommandProblem::NotACommand)?;
    let words = words(text.get(at..).unwrap_or_default())?;
    let mut index = 1;
    let value = |index: usize, option: &str| {
        words
            .get(index + 1)
            .cloned()
            .ok_or_else(|| CommandProblem::MissingValue {
                option: option.to_owned(),
            })
    };
    while let Some(word) = words.get(index) {
        let option = word.to_ascii_lowercase();
        match option.as_str() {
            "-uri" => {
                request.url = value(index, word)?;
                index += 2;
            }
            "-method" => {
                request.method = value(index, word)?;
                index += 2;
            }
            "-contenttype" => {
                request
                    .headers
                    .push(("Content-Type".to_owned(), value(index, word)?));
                index += 2;
            }
            "-body" => {
                request.body = Some(value(index, word)?);
                index += 2;
            }
            "-useragent" => {
                request
                    .headers
                    .push(("User-Agent".to_owned(), value(index, word)?));
                index += 2;
            }
            "-headers" => index = hashtable(&words, index + 1, &mut request.headers),
            "-websession" | "-outfile" | "-timeoutsec" | "-maximumredirection" => {
                request
                    .ignored
                    .push(format!("{word} {}", value(index, word)?));
                index += 2;
            }
            _ => {
                if word.starts_with('-') {
                    request.ignored.push(word.clone());
                }
                index += 1;
            }
        }
    }
    if request.url.is_empty() {
        return Err(CommandProblem::NoUrl);
    }
    if !cookies.is_empty() {
        request
            .headers
            .push(("Cookie".to_owned(), cookies.join("; ")));
    }
    // HTTP/2's pseudo-headers, which DevTools lists among the headers, are no headers to send.
    request.headers.retain(|(name, _)| {
        !["authority", "method", "path", "scheme"]
            .iter()
            .any(|p| p.eq_ignore_ascii_case(name))
    });
    request.follow_redirects = true;
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::super::{Tool, parse_command};

    #[test]
    fn devtools_copy_as_powershell() {
        let text = "$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession
$session.UserAgent = \"Mozilla/5.0 (X11; Linux x86_64)\"
$session.Cookies.Add((New-Object System.Net.Cookie(\"sid\", \"abc123\", \"/\", \"api.example\")))
Invoke-WebRequest -UseBasicParsing -Uri \"https://api.example/v1/items\" `
-Method \"POST\" `
-WebSession $session `
-Headers @{
\"authority\"=\"api.example\"
  \"method\"=\"POST\"
  \"accept\"=\"*/*\"
  \"authorization\"=\"Bearer t0k\"
} `
-ContentType \"application/json\" `
-Body \"{`\"name`\":`\"x`\"}\"";
        let (tool, r) = parse_command(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(tool, Tool::PowerShell);
        assert_eq!(r.url, "https://api.example/v1/items");
        assert_eq!(r.method, "POST");
        assert_eq!(r.body.as_deref(), Some("{\"name\":\"x\"}"));
        let names: Vec<&str> = r.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "User-Agent",
                "accept",
                "authorization",
                "Content-Type",
                "Cookie"
            ]
        );
        assert_eq!(
            r.headers.last().map(|(_, v)| v.as_str()),
            Some("sid=abc123")
        );
    }
}
