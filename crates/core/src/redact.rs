//! Redaction before sharing: every secret in the evidence replaced by a stand-in of the same
//! shape, so that the recipient's engine reaches the same diagnosis without the secret.
//!
//! - `Authorization`/`Proxy-Authorization`: the scheme stays; a token keeps its length and its
//!   alphabet; a JWT keeps its header and, by choice, its claims, never its signature; Basic keeps
//!   the user name and the password's length. Placeholders (`undefined`, `null` …) are no secret
//!   and stay, since they are the finding.
//! - Cookies (`Cookie`, `Set-Cookie`): names and attributes stay, values go.
//! - Other headers with secret-looking names (`X-API-Key`, `X-CSRF-Token` …), query parameters and
//!   JSON or form fields named like secrets (token, key, secret, sig, code, password, session,
//!   state …): values go, lengths stay.
//!
//! Each secret has a [`SecretId`]; the user may reveal one on purpose, everywhere it appears.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::evidence::Evidence;
use crate::header::{CredentialsKind, CredentialsProblem, parse_authorization};
use crate::observation::ProbeOutcome;

/// What a secret is, as the user picks it: `authorization`, `cookie:sid`, `header:x-api-key`,
/// `query:token`, `field:password`.
pub type SecretId = String;

/// The user's choices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redaction {
    /// Keep a JWT's claims (`exp`, `aud`, `scope` … — what the diagnosis reads); its signature
    /// always goes.
    pub keep_token_claims: bool,
    /// Secrets the user chose to share as they are.
    pub reveal: Vec<SecretId>,
}

impl Redaction {
    /// The default: claims kept, nothing revealed.
    pub fn standard() -> Redaction {
        Redaction {
            keep_token_claims: true,
            reveal: Vec::new(),
        }
    }
}

/// One secret found, for the preview: what it is and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    pub id: SecretId,
    /// Where it was first seen, in words.
    pub place: String,
}

/// The stand-in character: valid in base64, base64url, hex-less tokens and every header.
const MASK: char = 'x';

fn mask(value: &str) -> String {
    value.chars().map(|_| MASK).collect()
}

/// Whether a field, parameter or header of this name carries a secret.
pub fn secret_name(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "token",
        "secret",
        "password",
        "passwd",
        "pwd",
        "session",
        "sig",
        "key",
        "code",
        "state",
        "credential",
        "jwt",
        "otp",
        "csrf",
        "xsrf",
        "auth",
        "sid",
        // OpenWeatherMap's API key.
        "appid",
        // GeoNames knows its callers by name.
        "username",
    ];
    // Challenge and CORS headers name secrets without holding one.
    const NOT: &[&str] = &[
        "www-authenticate",
        "proxy-authenticate",
        "authentication-info",
        "status-code",
    ];
    let name = name.to_ascii_lowercase();
    !NOT.contains(&name.as_str())
        && !name.starts_with("access-control-")
        && WORDS.iter().any(|w| name.contains(w))
}

/// The evidence with every secret not revealed replaced; see the module's rules.
pub fn redact(evidence: &Evidence, choice: &Redaction) -> Evidence {
    let mut out = evidence.clone();
    let mut r = Redactor {
        choice,
        found: Vec::new(),
        seen: std::collections::HashSet::new(),
    };
    r.request(&mut out);
    out
}

/// Every secret the evidence holds, in the order first seen, each once.
pub fn secrets(evidence: &Evidence) -> Vec<Secret> {
    let mut copy = evidence.clone();
    let choice = Redaction::standard();
    let mut r = Redactor {
        choice: &choice,
        found: Vec::new(),
        seen: std::collections::HashSet::new(),
    };
    r.request(&mut copy);
    r.found
}

struct Redactor<'a> {
    choice: &'a Redaction,
    found: Vec<Secret>,
    seen: std::collections::HashSet<SecretId>,
}

impl Redactor<'_> {
    /// Records a secret; returns whether to replace it.
    fn hide(&mut self, id: String, place: &str) -> bool {
        let hidden = !self.choice.reveal.contains(&id);
        // A set beside the list: a paste may hold thousands of cookies.
        if self.seen.insert(id.clone()) {
            self.found.push(Secret {
                id,
                place: place.to_owned(),
            });
        }
        hidden
    }

    fn request(&mut self, e: &mut Evidence) {
        e.request.url = self.url(&e.request.url, "your request's URL");
        self.headers(&mut e.request.headers, "your request's headers");
        if let Some(body) = e.request.body.as_mut() {
            *body = self.body(body, "your request's body");
        }
        for probe in &mut e.probes {
            probe.sent.url = self.url(&probe.sent.url, "a probe's URL");
            self.headers(&mut probe.sent.headers, "a probe's headers");
            if let Some(body) = probe.sent.body.as_mut() {
                *body = self.body(body, "a probe's body");
            }
            if let ProbeOutcome::Response(seen) = &mut probe.outcome {
                seen.url = self.url(&seen.url, "an answer's URL");
                self.headers(&mut seen.headers, "an answer's headers");
                if let Some(body) = seen.body_excerpt.as_mut() {
                    *body = self.body(body, "an answer's body");
                }
            }
        }
        if let Some(line) = e.console_line.as_mut() {
            *line = self.text(line, "the console line");
        }
        if let Some(text) = e.pasted.as_mut() {
            *text = self.text(text, "the pasted answer");
        }
    }

    fn headers(&mut self, headers: &mut [(String, String)], place: &str) {
        for (name, value) in headers.iter_mut() {
            *value = self.header(name, value, place);
        }
    }

    /// One header field's value, redacted by its name.
    fn header(&mut self, name: &str, value: &str, place: &str) -> String {
        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            "authorization" | "proxy-authorization" => {
                if self.hide(lower.clone(), place) {
                    self.credentials(value)
                } else {
                    value.to_owned()
                }
            }
            "cookie" => value
                .split("; ")
                .map(|pair| self.cookie_pair(pair, place))
                .collect::<Vec<_>>()
                .join("; "),
            "set-cookie" => {
                let (pair, attributes) = value.split_once(';').unwrap_or((value, ""));
                let pair = self.cookie_pair(pair, place);
                if attributes.is_empty() {
                    pair
                } else {
                    format!("{pair};{attributes}")
                }
            }
            _ if secret_name(&lower) => {
                if self.hide(format!("header:{lower}"), place) {
                    mask(value)
                } else {
                    value.to_owned()
                }
            }
            _ => self.url_like(value, place),
        }
    }

    /// `name=value` of a cookie: the name stays.
    fn cookie_pair(&mut self, pair: &str, place: &str) -> String {
        match pair.split_once('=') {
            Some((name, value)) if !value.is_empty() => {
                if self.hide(format!("cookie:{}", name.trim()), place) {
                    format!("{name}={}", mask(value))
                } else {
                    pair.to_owned()
                }
            }
            _ => pair.to_owned(),
        }
    }

    /// Credentials keep their scheme and shape; placeholders stay, being the finding.
    fn credentials(&self, value: &str) -> String {
        let credentials = parse_authorization(value);
        if credentials
            .problems
            .iter()
            .any(|p| matches!(p.kind, CredentialsProblem::PlaceholderToken { .. }))
        {
            return value.to_owned();
        }
        let scheme = credentials.scheme.as_deref().unwrap_or_default();
        let rest = value.trim_start().get(scheme.len()..).unwrap_or_default();
        match &credentials.kind {
            CredentialsKind::Bearer { token, .. } | CredentialsKind::DPoP { token } => {
                let at = value.find(token.as_str()).unwrap_or(value.len());
                format!(
                    "{}{}",
                    value.get(..at).unwrap_or_default(),
                    self.token(token)
                )
            }
            CredentialsKind::Basic(Some(basic)) => {
                let user = basic.user.as_str();
                let hidden = format!("{user}:{}", mask(&"x".repeat(basic.password_len)));
                let encoded = base64::engine::general_purpose::STANDARD.encode(hidden);
                format!("{scheme} {encoded}")
            }
            _ => format!("{scheme}{}", mask_keeping_spaces(rest)),
        }
    }

    /// A token: a JWT keeps its header and (by choice) its claims; anything else its length.
    fn token(&self, token: &str) -> String {
        let parts: Vec<&str> = token.split('.').collect();
        match parts.as_slice() {
            [header, claims, signature] if header.starts_with("eyJ") => {
                let claims = if self.choice.keep_token_claims {
                    (*claims).to_owned()
                } else {
                    URL_SAFE_NO_PAD.encode(b"{\"redacted\":\"claims\"}")
                };
                format!("{header}.{claims}.{}", mask(signature))
            }
            _ => mask(token),
        }
    }

    /// Query parameters named like secrets lose their values.
    fn url(&mut self, url: &str, place: &str) -> String {
        let Some((base, query)) = url.split_once('?') else {
            return url.to_owned();
        };
        let (query, fragment) = query
            .split_once('#')
            .map_or((query, None), |(q, f)| (q, Some(f)));
        let query = self.pairs(query, "query", place);
        match fragment {
            Some(fragment) => format!("{base}?{query}#{fragment}"),
            None => format!("{base}?{query}"),
        }
    }

    /// `a=1&b=2`, values of secret-looking names masked.
    fn pairs(&mut self, text: &str, kind: &str, place: &str) -> String {
        text.split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, value)) if secret_name(name) && !value.is_empty() => {
                    if self.hide(format!("{kind}:{}", name.to_ascii_lowercase()), place) {
                        format!("{name}={}", mask(value))
                    } else {
                        pair.to_owned()
                    }
                }
                _ => pair.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Any text that may hold URLs or request paths: each `?query` in it redacted.
    fn url_like(&mut self, value: &str, place: &str) -> String {
        if value.contains('?') {
            value
                .split(' ')
                .map(|word| {
                    // Quotes and punctuation around a URL stay outside it.
                    let core = word.trim_matches(|c: char| "'\"()<>,;".contains(c));
                    // An absolute URL, or a request line's path.
                    if core.contains('?') && (core.contains("://") || core.starts_with('/')) {
                        let at = word.find(core).unwrap_or(0);
                        let (before, rest) = word.split_at(at);
                        let after = rest.get(core.len()..).unwrap_or_default();
                        format!("{before}{}{after}", self.url(core, place))
                    } else {
                        word.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            value.to_owned()
        }
    }

    /// A body: JSON string fields and form fields named like secrets.
    fn body(&mut self, body: &str, place: &str) -> String {
        let json = self.json_fields(body, place);
        // Anything but JSON may be a form (`a=1&b=2`): its secret-named fields go too.
        if body.trim_start().starts_with(['{', '[']) {
            json
        } else {
            self.pairs(&json, "field", place)
        }
    }

    /// `"name": "value"` anywhere in the text: the value masked when the name is a secret's.
    fn json_fields(&mut self, text: &str, place: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        // The last string literal, when it was a key (followed by `:`).
        let mut key: Option<String> = None;
        while let Some(start) = rest.find('"') {
            let (before, from) = rest.split_at(start);
            out.push_str(before);
            let literal_len = string_literal_len(from);
            let literal = from.get(..literal_len).unwrap_or(from);
            let after = from.get(literal_len..).unwrap_or_default();
            let inner = literal
                .get(1..literal.len().saturating_sub(1))
                .unwrap_or_default();
            let is_key = after.trim_start().starts_with(':');
            let secret_value = !is_key
                && before.trim_end().ends_with(':')
                && key.as_deref().is_some_and(secret_name);
            if secret_value
                && let Some(name) = &key
                && self.hide(format!("field:{}", name.to_ascii_lowercase()), place)
            {
                out.push('"');
                out.push_str(&mask(inner));
                out.push('"');
            } else {
                out.push_str(literal);
            }
            key = is_key.then(|| inner.to_owned());
            rest = after;
        }
        out.push_str(rest);
        out
    }

    /// Pasted or console text: header lines by their name (with `>`/`<` marks), URLs, JSON.
    fn text(&mut self, text: &str, place: &str) -> String {
        let lines: Vec<String> = text
            .split('\n')
            .map(|line| {
                let (mark, body) = match line.get(..2) {
                    Some("> " | "< ") => line.split_at(2),
                    _ => ("", line),
                };
                match body.split_once(':') {
                    Some((name, value))
                        if !name.is_empty()
                            && name
                                .bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                            && !value.starts_with("//") =>
                    {
                        let value = value.strip_prefix(' ').unwrap_or(value);
                        let carriage = value.ends_with('\r');
                        let value = value.trim_end_matches('\r');
                        let redacted = self.header(name, value, place);
                        format!(
                            "{mark}{name}: {redacted}{}",
                            if carriage { "\r" } else { "" }
                        )
                    }
                    _ => {
                        let line = self.url_like(line, place);
                        self.json_fields(&line, place)
                    }
                }
            })
            .collect();
        lines.join("\n")
    }
}

/// Length in bytes of the string literal at the start of `text` (which starts with `"`),
/// closing quote included; the whole text when it never closes.
fn string_literal_len(text: &str) -> usize {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return i + 1,
            _ => escaped = false,
        }
    }
    text.len()
}

/// Every character but white space, `,` and `=` masked: a scheme's parameters keep their layout,
/// and the scheme stays where the parser found it.
fn mask_keeping_spaces(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_whitespace() || c == ',' || c == '=' {
                c
            } else {
                MASK
            }
        })
        .collect()
}
