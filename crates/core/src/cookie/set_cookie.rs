//! `Set-Cookie` (RFC 6265bis §4.1, parsed as §5.6 says user agents do) and its lint notes.
//!
//! # Example values
//! `sid=31d4d96e407aad42; Path=/; Secure; HttpOnly; SameSite=None`,
//! `__Host-session=abc; Path=/; Secure; HttpOnly; SameSite=Lax`.

use std::fmt;

use super::date::parse_cookie_date;

/// Browsers cap a cookie's lifetime at 400 days (RFC 6265bis §5.6.1, §5.6.2).
pub const MAX_AGE_CAP_SECONDS: i64 = 400 * 86_400;
/// Name plus value larger than this and the browser ignores the cookie.
pub const MAX_NAME_VALUE_BYTES: usize = 4096;
/// An attribute value larger than this is ignored.
const MAX_ATTRIBUTE_VALUE_BYTES: usize = 1024;

/// The `SameSite` attribute as the browser reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameSite {
    Strict,
    Lax,
    None,
    /// Absent or unrecognised: Chrome treats it as Lax ("Lax by default"), Firefox and Safari as
    /// None.
    Unspecified,
}

/// A `Set-Cookie` as the browser would store it, before it knows the request that set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCookie {
    pub name: String,
    /// Kept so that sendability can be told; redact before sharing.
    pub value: String,
    /// Seconds since the epoch when it expires; `None` for a session cookie. From `Max-Age` when
    /// present (it wins over `Expires`), capped at 400 days from `now`.
    pub expires_at: Option<i64>,
    /// Lower-cased, without its leading dot; `None` for a host-only cookie.
    pub domain: Option<String>,
    /// `None` means the default path (the request path's directory).
    pub path: Option<String>,
    pub secure: bool,
    pub http_only: bool,
    pub same_site: SameSite,
    pub partitioned: bool,
    pub notes: Vec<CookieNote>,
}

/// Why a cookie is dropped, changed or risky. `Rejected*` notes mean the browser ignores the
/// whole `Set-Cookie`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CookieNote {
    /// A control character: the whole line is ignored.
    RejectedControlCharacter,
    /// Neither a name nor a value.
    RejectedEmpty,
    /// Name and value over 4096 bytes.
    RejectedTooLarge { bytes: usize },
    /// `SameSite=None` without `Secure`.
    RejectedSameSiteNoneInsecure,
    /// `Partitioned` without `Secure`.
    RejectedPartitionedInsecure,
    /// `__Secure-` needs `Secure`; `__Host-` also needs `Path=/` and no `Domain`.
    RejectedPrefix {
        prefix: &'static str,
        rule: &'static str,
    },
    /// No `SameSite`: Chrome sends it only to its own site, like `Lax`.
    SameSiteUnspecified,
    /// A `SameSite` value that is not Strict, Lax or None.
    SameSiteInvalid { value: String },
    /// `Max-Age` that is not an integer, so the browser ignores it.
    MaxAgeInvalid { value: String },
    /// `Max-Age` of zero or less: the cookie is deleted at once.
    MaxAgeDeletes,
    /// `Expires` that no browser can read, so the cookie becomes a session cookie.
    ExpiresInvalid { value: String },
    /// `Expires` in the past: the cookie is deleted at once.
    ExpiresInPast,
    /// A lifetime over 400 days, cut to 400.
    LifetimeCapped { days: i64 },
    /// An attribute given twice; the last one wins.
    DuplicateAttribute { name: String },
    /// An attribute browsers do not know; ignored.
    UnknownAttribute { name: String },
    /// An attribute value over 1024 bytes; ignored.
    AttributeTooLarge { name: String },
    /// An empty `Domain` attribute, ignored.
    DomainEmpty,
    /// A `Path` that does not start with `/`, replaced by the default path.
    PathNotAbsolute { value: String },
}

impl CookieNote {
    /// Whether the browser ignores the whole `Set-Cookie` for this.
    pub fn rejects(&self) -> bool {
        matches!(
            self,
            CookieNote::RejectedControlCharacter
                | CookieNote::RejectedEmpty
                | CookieNote::RejectedTooLarge { .. }
                | CookieNote::RejectedSameSiteNoneInsecure
                | CookieNote::RejectedPartitionedInsecure
                | CookieNote::RejectedPrefix { .. }
        )
    }
}

impl fmt::Display for CookieNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CookieNote::RejectedControlCharacter => f.write_str("The line contains a control character, so browsers ignore the whole cookie."),
            CookieNote::RejectedEmpty => f.write_str("The cookie has neither a name nor a value; browsers ignore it."),
            CookieNote::RejectedTooLarge { bytes } => write!(f, "Name and value take {bytes} bytes; browsers ignore cookies over 4096."),
            CookieNote::RejectedSameSiteNoneInsecure => f.write_str("SameSite=None without Secure: browsers reject the cookie. Add Secure (and serve over https)."),
            CookieNote::RejectedPartitionedInsecure => f.write_str("Partitioned without Secure: browsers reject the cookie. Add Secure."),
            CookieNote::RejectedPrefix { prefix, rule } => write!(f, "A {prefix} cookie {rule}; browsers reject this one."),
            CookieNote::SameSiteUnspecified => f.write_str("No SameSite attribute: Chrome treats the cookie as SameSite=Lax and never sends it on a cross-site fetch. Set SameSite=None; Secure if another site's page must send it."),
            CookieNote::SameSiteInvalid { value } => write!(f, "SameSite={value} is not Strict, Lax or None; browsers treat it as unspecified."),
            CookieNote::MaxAgeInvalid { value } => write!(f, "Max-Age={value} is not a whole number of seconds; browsers ignore it."),
            CookieNote::MaxAgeDeletes => f.write_str("Max-Age is zero or negative: the browser deletes the cookie at once."),
            CookieNote::ExpiresInvalid { value } => write!(f, "Expires={value} is not a date browsers can read; the cookie lasts only for the session."),
            CookieNote::ExpiresInPast => f.write_str("Expires is in the past: the browser deletes the cookie at once."),
            CookieNote::LifetimeCapped { days } => write!(f, "The cookie asks to live {days} days; browsers cap it at 400."),
            CookieNote::DuplicateAttribute { name } => write!(f, "The attribute {name} appears more than once; the last one counts."),
            CookieNote::UnknownAttribute { name } => write!(f, "“{name}” is not a cookie attribute; browsers ignore it."),
            CookieNote::AttributeTooLarge { name } => write!(f, "The {name} value is over 1024 bytes; browsers ignore it."),
            CookieNote::DomainEmpty => f.write_str("Domain is empty; browsers ignore it and make the cookie host-only."),
            CookieNote::PathNotAbsolute { value } => write!(f, "Path={value} does not start with “/”; browsers use the default path instead."),
        }
    }
}

const KNOWN_ATTRIBUTES: &[&str] = &[
    "expires",
    "max-age",
    "domain",
    "path",
    "secure",
    "httponly",
    "samesite",
    "partitioned",
    "priority",
];

/// Parses one `Set-Cookie` value at time `now` (seconds since the epoch). Returns the cookie even
/// when the browser would reject it; [`CookieNote::rejects`] says so.
pub fn parse_set_cookie(line: &str, now: i64) -> SetCookie {
    let mut notes = Vec::new();
    if line.chars().any(|c| c.is_ascii_control() && c != '\t') {
        notes.push(CookieNote::RejectedControlCharacter);
    }
    let (pair, attributes) = line.split_once(';').unwrap_or((line, ""));
    let (name, value) = match pair.split_once('=') {
        Some((name, value)) => (
            name.trim_matches([' ', '\t']),
            value.trim_matches([' ', '\t']),
        ),
        None => ("", pair.trim_matches([' ', '\t'])),
    };
    if name.is_empty() && value.is_empty() {
        notes.push(CookieNote::RejectedEmpty);
    }
    if name.len() + value.len() > MAX_NAME_VALUE_BYTES {
        notes.push(CookieNote::RejectedTooLarge {
            bytes: name.len() + value.len(),
        });
    }
    let mut cookie = SetCookie {
        name: name.to_owned(),
        value: value.to_owned(),
        expires_at: None,
        domain: None,
        path: None,
        secure: false,
        http_only: false,
        same_site: SameSite::Unspecified,
        partitioned: false,
        notes: Vec::new(),
    };
    let mut state = AttributeState::default();
    let mut seen: Vec<String> = Vec::new();
    for attribute in attributes.split(';') {
        let (attr_name, attr_value) = attribute.split_once('=').unwrap_or((attribute, ""));
        let attr_name = attr_name.trim_matches([' ', '\t']);
        let attr_value = attr_value.trim_matches([' ', '\t']);
        if attr_name.is_empty() {
            continue;
        }
        let key = attr_name.to_ascii_lowercase();
        if attr_value.len() > MAX_ATTRIBUTE_VALUE_BYTES {
            notes.push(CookieNote::AttributeTooLarge {
                name: attr_name.to_owned(),
            });
            continue;
        }
        if !KNOWN_ATTRIBUTES.contains(&key.as_str()) {
            notes.push(CookieNote::UnknownAttribute {
                name: attr_name.to_owned(),
            });
            continue;
        }
        if seen.contains(&key) {
            notes.push(CookieNote::DuplicateAttribute {
                name: attr_name.to_owned(),
            });
        } else {
            seen.push(key.clone());
        }
        apply_attribute(&mut cookie, &mut state, &key, attr_value, &mut notes);
    }
    cookie.expires_at = lifetime(state.max_age, state.expires, now, &mut notes);
    if !state.same_site_seen {
        notes.push(CookieNote::SameSiteUnspecified);
    }
    lint_security(&cookie, &mut notes);
    // Rejections first, in their order (a partition: no sort routine in the bundle).
    let (mut rejections, rest): (Vec<_>, Vec<_>) = notes.into_iter().partition(CookieNote::rejects);
    rejections.extend(rest);
    cookie.notes = rejections;
    cookie
}

/// What the attributes said about the lifetime and `SameSite`, read after all of them.
#[derive(Default)]
struct AttributeState {
    max_age: Option<i64>,
    expires: Option<i64>,
    same_site_seen: bool,
}

/// Applies one known attribute (`key` lower-cased) the way RFC 6265bis §5.6 says.
fn apply_attribute(
    cookie: &mut SetCookie,
    state: &mut AttributeState,
    key: &str,
    attr_value: &str,
    notes: &mut Vec<CookieNote>,
) {
    match key {
        "expires" => match parse_cookie_date(attr_value) {
            Some(at) => state.expires = Some(at),
            None => notes.push(CookieNote::ExpiresInvalid {
                value: attr_value.to_owned(),
            }),
        },
        "max-age" => {
            let digits = attr_value.strip_prefix('-').unwrap_or(attr_value);
            match attr_value.parse::<i64>() {
                Ok(seconds) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                    state.max_age = Some(seconds);
                }
                // All digits but too large for i64: the longest life, capped below.
                _ if !digits.is_empty()
                    && digits.bytes().all(|b| b.is_ascii_digit())
                    && !attr_value.starts_with('-') =>
                {
                    state.max_age = Some(i64::MAX);
                }
                _ => notes.push(CookieNote::MaxAgeInvalid {
                    value: attr_value.to_owned(),
                }),
            }
        }
        "domain" => {
            // One leading dot is dropped (§5.6.3); an empty value leaves the attribute out.
            let domain = attr_value.strip_prefix('.').unwrap_or(attr_value);
            if domain.is_empty() {
                notes.push(CookieNote::DomainEmpty);
            } else {
                cookie.domain = Some(domain.to_ascii_lowercase());
            }
        }
        "path" => {
            if attr_value.starts_with('/') {
                cookie.path = Some(attr_value.to_owned());
            } else {
                notes.push(CookieNote::PathNotAbsolute {
                    value: attr_value.to_owned(),
                });
                cookie.path = None;
            }
        }
        "secure" => cookie.secure = true,
        "httponly" => cookie.http_only = true,
        "partitioned" => cookie.partitioned = true,
        "samesite" => {
            state.same_site_seen = true;
            cookie.same_site = if attr_value.eq_ignore_ascii_case("strict") {
                SameSite::Strict
            } else if attr_value.eq_ignore_ascii_case("lax") {
                SameSite::Lax
            } else if attr_value.eq_ignore_ascii_case("none") {
                SameSite::None
            } else {
                notes.push(CookieNote::SameSiteInvalid {
                    value: attr_value.to_owned(),
                });
                SameSite::Unspecified
            };
        }
        _ => {}
    }
}

/// When the cookie expires: `Max-Age` wins over `Expires`; both capped at 400 days.
fn lifetime(
    max_age: Option<i64>,
    expires: Option<i64>,
    now: i64,
    notes: &mut Vec<CookieNote>,
) -> Option<i64> {
    let at = match (max_age, expires) {
        (Some(seconds), _) if seconds <= 0 => {
            notes.push(CookieNote::MaxAgeDeletes);
            return Some(i64::MIN);
        }
        (Some(seconds), _) => now.saturating_add(seconds),
        (None, Some(at)) if at <= now => {
            notes.push(CookieNote::ExpiresInPast);
            return Some(at);
        }
        (None, Some(at)) => at,
        (None, None) => return None,
    };
    if at.saturating_sub(now) > MAX_AGE_CAP_SECONDS {
        notes.push(CookieNote::LifetimeCapped {
            days: at.saturating_sub(now) / 86_400,
        });
        return Some(now + MAX_AGE_CAP_SECONDS);
    }
    Some(at)
}

fn lint_security(cookie: &SetCookie, notes: &mut Vec<CookieNote>) {
    if cookie.same_site == SameSite::None && !cookie.secure {
        notes.push(CookieNote::RejectedSameSiteNoneInsecure);
    }
    if cookie.partitioned && !cookie.secure {
        notes.push(CookieNote::RejectedPartitionedInsecure);
    }
    // Prefixes are matched case-insensitively (RFC 6265bis §4.1.3).
    let lower = cookie.name.to_ascii_lowercase();
    if lower.starts_with("__secure-") && !cookie.secure {
        notes.push(CookieNote::RejectedPrefix {
            prefix: "__Secure-",
            rule: "must be Secure",
        });
    }
    if lower.starts_with("__host-") {
        let rule = if !cookie.secure {
            Some("must be Secure")
        } else if cookie.domain.is_some() {
            Some("may not have a Domain attribute")
        } else if cookie.path.as_deref() != Some("/") {
            Some("must have Path=/")
        } else {
            None
        };
        if let Some(rule) = rule {
            notes.push(CookieNote::RejectedPrefix {
                prefix: "__Host-",
                rule,
            });
        }
    }
}
