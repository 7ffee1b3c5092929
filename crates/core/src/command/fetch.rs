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
    let array: Value = serde_json::from_str(&format!("[{arguments}]")).map_err(|e| {
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
        body: text_of("body"),
        follow_redirects: text_of("redirect").is_none_or(|r| r == "follow"),
        credentials: text_of("credentials"),
        mode: text_of("mode"),
        ..CopiedRequest::default()
    })
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
    }
}
