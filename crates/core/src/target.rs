//! The URL the user wants to inspect: checked before any probe is sent, so that a typo gets a
//! sentence instead of a bare `TypeError`.
//!
//! This is a pre-flight check, not a full WHATWG URL parser: the browser's own parser stays the
//! final authority when the probe layer builds the request.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Where the target lives, as Local Network Access and mixed-content rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AddressClass {
    /// `localhost`, `*.localhost`, 127.0.0.0/8, `[::1]`.
    Loopback,
    /// RFC 1918, link-local, CGNAT, unique-local IPv6 and `.local` names.
    Private,
    /// Everything else.
    Public,
}

impl AddressClass {
    pub const fn as_str(self) -> &'static str {
        match self {
            AddressClass::Loopback => "loopback",
            AddressClass::Private => "private",
            AddressClass::Public => "public",
        }
    }
}

/// A URL that passed the checks: an absolute `http(s)` URL with a host and no credentials in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetUrl {
    /// The URL as the user gave it, without surrounding white space.
    pub url: String,
    /// `true` for `https`.
    pub secure: bool,
    /// The host, lower-cased; IPv6 literals keep their brackets.
    pub host: String,
    /// The explicit port, if any.
    pub port: Option<u16>,
    pub address_class: AddressClass,
}

impl TargetUrl {
    /// The origin, serialized as browsers do (`https://api.example.com`, default ports omitted).
    pub fn origin(&self) -> String {
        let scheme = if self.secure { "https" } else { "http" };
        let default_port = if self.secure { 443 } else { 80 };
        match self.port {
            Some(port) if port != default_port => format!("{scheme}://{}:{port}", self.host),
            _ => format!("{scheme}://{}", self.host),
        }
    }
}

/// Why a URL cannot be inspected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlProblem {
    Empty,
    /// No `scheme://`; carries the URL with `https://` in front, as a suggestion.
    MissingScheme {
        suggestion: String,
    },
    UnsupportedScheme {
        scheme: String,
    },
    MissingHost,
    /// `user:password@host` — fetch refuses such URLs.
    CredentialsInUrl,
    InvalidHost {
        host: String,
    },
    InvalidPort {
        port: String,
    },
    /// A control, zero-width or bidirectional character: the URL would not read as what is
    /// fetched (browsers drop tabs and line breaks from URLs, and encode the rest).
    HiddenCharacter {
        code_point: String,
    },
}

impl fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlProblem::Empty => f.write_str("Enter the URL of the request that gets 401."),
            UrlProblem::MissingScheme { suggestion } => write!(
                f,
                "This URL has no scheme. Start it with https:// or http://, e.g. {suggestion}"
            ),
            UrlProblem::UnsupportedScheme { scheme } => write!(
                f,
                "“{scheme}:” URLs cannot be fetched from a page. Use an http:// or https:// URL."
            ),
            UrlProblem::MissingHost => f.write_str("This URL has no host name after the “//”."),
            UrlProblem::CredentialsInUrl => f.write_str(
                "Browsers refuse to fetch a URL with a user name or password in it \
                 (user:password@host). Remove it from the URL; send it in an Authorization header instead.",
            ),
            UrlProblem::InvalidHost { host } => write!(f, "“{host}” is not a valid host name."),
            UrlProblem::InvalidPort { port } => {
                write!(f, "“{port}” is not a valid port: use a number from 1 to 65535.")
            }
            UrlProblem::HiddenCharacter { code_point } => write!(
                f,
                "The URL holds an invisible character ({code_point}): it would not read as what is fetched. Type the URL again."
            ),
        }
    }
}

impl std::error::Error for UrlProblem {}

/// Checks the URL the user typed.
///
/// # Example values
/// `https://api.example.com/v1/me`, `http://127.0.0.1:8081/s/basic-challenge`.
pub fn parse_target_url(input: &str) -> Result<TargetUrl, UrlProblem> {
    let url = input.trim();
    if url.is_empty() {
        return Err(UrlProblem::Empty);
    }
    if let Some(c) = url
        .chars()
        .find(|c| c.is_control() || crate::text::hidden_char(*c).is_some())
    {
        return Err(UrlProblem::HiddenCharacter {
            code_point: crate::text::code_point(c),
        });
    }
    // `blob:https://…`: a scheme in front of another one.
    if let Some((scheme, _)) = url.split_once(':')
        && is_scheme(scheme)
        && !scheme.eq_ignore_ascii_case("http")
        && !scheme.eq_ignore_ascii_case("https")
        && !looks_like_host_and_port(url)
    {
        return Err(UrlProblem::UnsupportedScheme {
            scheme: scheme.to_ascii_lowercase(),
        });
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(match url.split_once(':') {
            Some((scheme, _))
                if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
            {
                UrlProblem::MissingHost
            }
            Some((scheme, _)) if is_scheme(scheme) && !looks_like_host_and_port(url) => {
                UrlProblem::UnsupportedScheme {
                    scheme: scheme.to_ascii_lowercase(),
                }
            }
            _ => UrlProblem::MissingScheme {
                suggestion: format!("https://{url}"),
            },
        });
    };
    let secure = if scheme.eq_ignore_ascii_case("https") {
        true
    } else if scheme.eq_ignore_ascii_case("http") {
        false
    } else if is_scheme(scheme) {
        return Err(UrlProblem::UnsupportedScheme {
            scheme: scheme.to_ascii_lowercase(),
        });
    } else {
        return Err(UrlProblem::MissingScheme {
            suggestion: format!("https://{rest}"),
        });
    };
    let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(UrlProblem::CredentialsInUrl);
    }
    let (host, port) = split_host_port(authority)?;
    if host.is_empty() {
        return Err(UrlProblem::MissingHost);
    }
    let host = host.to_ascii_lowercase();
    if !is_valid_host(&host) {
        return Err(UrlProblem::InvalidHost { host });
    }
    let address_class = classify_host(&host);
    Ok(TargetUrl {
        url: url.to_owned(),
        secure,
        host,
        port,
        address_class,
    })
}

/// The path of an absolute URL, without query or fragment; `/` when it has none.
pub(crate) fn path_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    match rest.find('/') {
        Some(at) => rest.get(at..).unwrap_or("/"),
        None => "/",
    }
}

fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `localhost:8080/x` splits at its first colon like a scheme would; a port after it says it is a host.
fn looks_like_host_and_port(url: &str) -> bool {
    url.split_once(':').is_some_and(|(_, after)| {
        let port: String = after.chars().take_while(char::is_ascii_digit).collect();
        !port.is_empty()
            && after
                .get(port.len()..)
                .and_then(|rest| rest.chars().next())
                .is_none_or(|c| c == '/')
    })
}

fn split_host_port(authority: &str) -> Result<(&str, Option<u16>), UrlProblem> {
    let (host, port) = if authority.starts_with('[') {
        match authority.find(']') {
            Some(end) => {
                let (host, after) = authority.split_at(end + 1);
                (host, after.strip_prefix(':'))
            }
            None => {
                return Err(UrlProblem::InvalidHost {
                    host: authority.to_owned(),
                });
            }
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        None | Some("") => None,
        Some(digits) => match digits.parse::<u16>() {
            Ok(port) if port > 0 && digits.bytes().all(|b| b.is_ascii_digit()) => Some(port),
            _ => {
                return Err(UrlProblem::InvalidPort {
                    port: digits.to_owned(),
                });
            }
        },
    };
    Ok((host, port))
}

fn is_valid_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.parse::<Ipv6Addr>().is_ok();
    }
    // Forbidden host code points (URL standard), plus anything that is not visible.
    !host.chars().any(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(
                c,
                '<' | '>' | '^' | '|' | '%' | '"' | '`' | '{' | '}' | '[' | ']'
            )
    }) && !host.starts_with('.')
        && !host.contains("..")
}

fn classify_host(host: &str) -> AddressClass {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner
            .parse::<Ipv6Addr>()
            .map_or(AddressClass::Public, classify_ipv6);
    }
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return classify_ipv4(ip);
    }
    // `host` is lower-cased by the caller.
    let name = host.trim_end_matches('.');
    if name == "localhost" || name.ends_with(".localhost") {
        AddressClass::Loopback
    } else if name.rsplit('.').next() == Some("local") && name.contains('.') {
        AddressClass::Private
    } else {
        AddressClass::Public
    }
}

fn classify_ipv4(ip: Ipv4Addr) -> AddressClass {
    let [a, b, ..] = ip.octets();
    if ip.is_loopback() {
        AddressClass::Loopback
    } else if ip.is_private() || ip.is_link_local() || (a == 100 && (64..128).contains(&b)) {
        AddressClass::Private
    } else {
        AddressClass::Public
    }
}

fn classify_ipv6(ip: Ipv6Addr) -> AddressClass {
    if ip.is_loopback() {
        return AddressClass::Loopback;
    }
    if let Some(v4) = ip.to_ipv4_mapped() {
        return classify_ipv4(v4);
    }
    let first = ip.segments().first().copied().unwrap_or_default();
    if first & 0xfe00 == 0xfc00 || first & 0xffc0 == 0xfe80 {
        AddressClass::Private
    } else {
        AddressClass::Public
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_ok(input: &str, origin: &str, class: AddressClass) {
        let target = parse_target_url(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(target.origin(), origin, "{input}");
        assert_eq!(target.address_class, class, "{input}");
    }

    #[track_caller]
    fn check_err(input: &str, expected: &UrlProblem) {
        assert_eq!(parse_target_url(input).as_ref(), Err(expected), "{input}");
    }

    #[test]
    fn target_url_accepts_http_and_https() {
        check_ok(
            "https://api.example.com/v1/me",
            "https://api.example.com",
            AddressClass::Public,
        );
        check_ok(
            "  HTTPS://API.Example.com:443/x ",
            "https://api.example.com",
            AddressClass::Public,
        );
        check_ok(
            "http://127.0.0.1:8081/s/basic",
            "http://127.0.0.1:8081",
            AddressClass::Loopback,
        );
        check_ok(
            "http://localhost:3000",
            "http://localhost:3000",
            AddressClass::Loopback,
        );
        check_ok(
            "http://app.localhost/",
            "http://app.localhost",
            AddressClass::Loopback,
        );
        check_ok(
            "http://[::1]:8080/",
            "http://[::1]:8080",
            AddressClass::Loopback,
        );
        check_ok(
            "https://example.com?x=1",
            "https://example.com",
            AddressClass::Public,
        );
        check_ok(
            "https://example.com#frag",
            "https://example.com",
            AddressClass::Public,
        );
    }

    #[test]
    fn target_url_classifies_private_addresses() {
        for url in [
            "http://10.1.2.3/",
            "http://172.16.0.1/",
            "http://192.168.1.10:8000/",
            "http://169.254.1.1/",
            "http://100.64.0.1/",
            "http://printer.local/",
            "http://[fd00::1]/",
            "http://[fe80::1]/",
        ] {
            let target = parse_target_url(url).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert_eq!(target.address_class, AddressClass::Private, "{url}");
        }
        check_ok(
            "http://172.32.0.1/",
            "http://172.32.0.1",
            AddressClass::Public,
        );
        check_ok(
            "http://100.128.0.1/",
            "http://100.128.0.1",
            AddressClass::Public,
        );
    }

    #[test]
    fn target_url_rejects_empty() {
        check_err("", &UrlProblem::Empty);
        check_err(" \n\t", &UrlProblem::Empty);
    }

    #[test]
    fn target_url_missing_scheme_suggests_https() {
        check_err(
            "api.example.com/v1",
            &UrlProblem::MissingScheme {
                suggestion: "https://api.example.com/v1".into(),
            },
        );
        check_err(
            "localhost:8080/x",
            &UrlProblem::MissingScheme {
                suggestion: "https://localhost:8080/x".into(),
            },
        );
    }

    #[test]
    fn target_url_rejects_other_schemes() {
        check_err(
            "ftp://example.com/",
            &UrlProblem::UnsupportedScheme {
                scheme: "ftp".into(),
            },
        );
        check_err(
            "javascript:alert(1)",
            &UrlProblem::UnsupportedScheme {
                scheme: "javascript".into(),
            },
        );
        check_err(
            "ws://example.com",
            &UrlProblem::UnsupportedScheme {
                scheme: "ws".into(),
            },
        );
        check_err(
            "blob:https://example.com/3b1c-9d",
            &UrlProblem::UnsupportedScheme {
                scheme: "blob".into(),
            },
        );
    }

    #[test]
    fn target_url_rejects_hidden_characters() {
        for (url, code_point) in [
            ("https://example.com/a\nb", "U+000A"),
            ("https://exa\u{200B}mple.com/", "U+200B"),
            ("https://example.com/\u{202E}gnp.exe", "U+202E"),
        ] {
            check_err(
                url,
                &UrlProblem::HiddenCharacter {
                    code_point: code_point.into(),
                },
            );
        }
    }

    #[test]
    fn target_url_rejects_credentials() {
        check_err(
            "https://user:pass@example.com/",
            &UrlProblem::CredentialsInUrl,
        );
        check_err("https://user@example.com/", &UrlProblem::CredentialsInUrl);
    }

    #[test]
    fn target_url_rejects_bad_hosts_and_ports() {
        check_err("https:///path", &UrlProblem::MissingHost);
        check_err("https://", &UrlProblem::MissingHost);
        check_err("https://:8080/", &UrlProblem::MissingHost);
        check_err(
            "https://exa mple.com/",
            &UrlProblem::InvalidHost {
                host: "exa mple.com".into(),
            },
        );
        check_err(
            "https://[::1/",
            &UrlProblem::InvalidHost {
                host: "[::1".into(),
            },
        );
        check_err(
            "https://[zz]/",
            &UrlProblem::InvalidHost {
                host: "[zz]".into(),
            },
        );
        check_err(
            "https://example.com:99999/",
            &UrlProblem::InvalidPort {
                port: "99999".into(),
            },
        );
        check_err(
            "https://example.com:0/",
            &UrlProblem::InvalidPort { port: "0".into() },
        );
        check_err(
            "https://example.com:+80/",
            &UrlProblem::InvalidPort { port: "+80".into() },
        );
        check_err(
            "https://example.com:8o/",
            &UrlProblem::InvalidPort { port: "8o".into() },
        );
    }

    #[test]
    fn target_url_problems_read_as_sentences() {
        for problem in [
            UrlProblem::Empty,
            UrlProblem::MissingHost,
            UrlProblem::CredentialsInUrl,
            UrlProblem::InvalidPort { port: "x".into() },
        ] {
            let text = problem.to_string();
            assert!(text.ends_with('.'), "{text}");
        }
    }

    #[test]
    fn target_url_never_panics_on_odd_input() {
        for input in [
            "://",
            ":",
            "a:",
            "http:",
            "http:/x",
            "[",
            "https://[",
            "https://]:",
            "é://x",
            "https://@",
            "x:80:80",
        ] {
            let _ = parse_target_url(input);
        }
    }
}
