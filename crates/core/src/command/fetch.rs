//! DevTools' "Copy as fetch" and "Copy as fetch (Node.js)": `fetch("url", { … })`, the options
//! an object with quoted keys — JSON, which is how the DevTools of Chrome and Firefox write it.

use serde_json::Value;

use super::{CommandProblem, CopiedRequest};

pub(super) fn parse(text: &str) -> Result<CopiedRequest, CommandProblem> {
    let start = text.find("fetch(").ok_or(CommandProblem::NotACommand)? + "fetch(".len();
    let inner = text.get(start..).unwrap_or_default();
    let end = inner.rfind(')').ok_or(CommandProblem::FetchOptions {
        detail: "no closing parenthesis".to_owned(),
    })?;
    let arguments = inner.get(..end).unwrap_or_default();
    let array: Value = serde_json::from_str(&format!("[{}]", to_json(arguments))).map_err(|e| {
        CommandProblem::FetchOptions {
            detail: e.to_string(),
        }
    })?;
    let url = array
        .get(0)
        .and_then(Value::as_str)
        .ok_or(CommandProblem::NoUrl)?;
    let options = array.get(1).cloned().unwrap_or(Value::Null);
    let text_of = |name: &str| options.get(name).and_then(Value::as_str).map(str::to_owned);
    let headers = options
        .get("headers")
        .and_then(Value::as_object)
        .map(|object| {
            object
                .iter()
                .map(|(name, value)| {
                    let value = match value {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (name.clone(), value)
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(CopiedRequest {
        method: text_of("method").unwrap_or_else(|| "GET".to_owned()),
        url: url.to_owned(),
        headers,
        body: text_of("body").or_else(|| options.get("body").and_then(form_body)),
        follow_redirects: text_of("redirect").is_none_or(|r| r == "follow"),
        credentials: text_of("credentials"),
        mode: text_of("mode"),
        ..CopiedRequest::default()
    })
}

/// An object body (a `URLSearchParams` of it) as the form it sends: `a=1&b=2`.
fn form_body(body: &Value) -> Option<String> {
    let object = body.as_object()?;
    Some(
        object
            .iter()
            .map(|(name, value)| format!("{name}={}", value.as_str().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join("&"),
    )
}

/// A JavaScript literal as JSON: comments dropped, single-quoted and template strings
/// double-quoted, bare keys quoted, trailing commas dropped — DevTools writes JSON with comments,
/// and people and converters write plain JavaScript.
fn to_json(js: &str) -> String {
    let js = unwrap_search_params(&without_comments(js));
    let mut out = String::with_capacity(js.len());
    let mut chars = js.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' | '`' => {
                out.push('"');
                while let Some(n) = chars.next() {
                    match n {
                        _ if n == c => break,
                        '\\' => match chars.next() {
                            Some('\'') => out.push('\''),
                            Some('`') => out.push('`'),
                            Some(e) => {
                                out.push('\\');
                                out.push(e);
                            }
                            None => {}
                        },
                        '"' => out.push_str("\\\""),
                        '\n' => out.push_str("\\n"),
                        other => out.push(other),
                    }
                }
                out.push('"');
            }
            ',' => {
                // A trailing comma before `}` or `]`.
                let mut ahead = chars.clone();
                while ahead.peek().is_some_and(|n| n.is_whitespace()) {
                    ahead.next();
                }
                if !matches!(ahead.peek(), Some('}' | ']')) {
                    out.push(',');
                }
            }
            c if c.is_alphabetic() || c == '_' || c == '$' => {
                let mut word = c.to_string();
                while let Some(&n) = chars.peek() {
                    if n.is_alphanumeric() || n == '_' || n == '$' {
                        word.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                let mut ahead = chars.clone();
                while ahead.peek().is_some_and(|n| n.is_whitespace()) {
                    ahead.next();
                }
                if ahead.peek() == Some(&':') {
                    out.push('"');
                    out.push_str(&word);
                    out.push('"');
                } else {
                    out.push_str(&word);
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The text without `//` and `/* */` comments (strings left whole).
fn without_comments(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    let mut chars = js.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == '\\' {
                    out.extend(chars.next());
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '/' && chars.peek() == Some(&'/') => {
                while chars.peek().is_some_and(|&n| n != '\n') {
                    chars.next();
                }
            }
            None if c == '/' && chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for n in chars.by_ref() {
                    if last == '*' && n == '/' {
                        break;
                    }
                    last = n;
                }
            }
            None => {
                if matches!(c, '"' | '\'' | '`') {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    out
}

/// `new URLSearchParams({ … })` as the object inside it (its pairs become the form body).
fn unwrap_search_params(js: &str) -> String {
    const CALL: &str = "new URLSearchParams(";
    let Some(at) = js.find(CALL) else {
        return js.to_owned();
    };
    let inner = js.get(at + CALL.len()..).unwrap_or_default();
    let mut depth = 0_usize;
    for (index, c) in inner.char_indices() {
        match c {
            '(' | '{' | '[' => depth += 1,
            ')' if depth == 0 => {
                let rest = inner.get(index + 1..).unwrap_or_default();
                return format!(
                    "{}{}{}",
                    js.get(..at).unwrap_or_default(),
                    inner.get(..index).unwrap_or_default(),
                    unwrap_search_params(rest)
                );
            }
            ')' | '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    js.to_owned()
}

#[cfg(test)]
mod tests {
    use super::super::{Tool, parse_command};

    #[test]
    fn devtools_copy_as_fetch() {
        let text = r#"fetch("https://api.example/v1/me", {
  "headers": {
    "accept": "application/json",
    "authorization": "Bearer abc"
  },
  "referrer": "https://app.example/",
  "body": null,
  "method": "GET",
  "mode": "cors",
  "credentials": "include"
});"#;
        let (tool, r) = parse_command(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(tool, Tool::Fetch);
        assert_eq!(r.url, "https://api.example/v1/me");
        assert_eq!(r.headers.len(), 2);
        assert_eq!(r.credentials.as_deref(), Some("include"));
        assert_eq!(r.body, None);
        let (_, r) = parse_command(
            r#"await fetch("https://a.example/", { "method": "POST", "body": "x=1" });"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (r.method.as_str(), r.body.as_deref()),
            ("POST", Some("x=1"))
        );
        assert!(parse_command("fetch(url, {headers})").is_err());
        // As people and converters write it: plain JavaScript, after an import.
        let (_, r) = parse_command(
            "import fetch from 'node-fetch';\n\nfetch('https://a.example/', {\n  method: 'POST',\n  // a comment\n  headers: { 'X-Key': 'k' },\n  body: `a=\"1\"`,\n});",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.method, "POST");
        assert_eq!(r.headers, [("X-Key".to_owned(), "k".to_owned())]);
        assert_eq!(r.body.as_deref(), Some("a=\"1\""));
    }
}
