//! Rule: a signed URL or request carries its own time, so whether it had expired can be read
//! from the request alone — an AWS Signature V4 or Google V4 presigned URL (`X-Amz-Date` with
//! `X-Amz-Expires`, `X-Goog-Date` with `X-Goog-Expires`), an AWS or Google V2 one (`Expires`,
//! seconds since 1970, beside `Signature`), an Azure SAS (`se`, `st` beside `sig`) — judged
//! against the answer's `Date` (the server's clock) or, without one, the time of capture; and a
//! request signed in its `X-Amz-Date` header too far from the server's clock.

use super::reading::query_pairs;
use super::{Case, Finding};
use crate::cause::CauseId;
use crate::time::{format_utc, parse_iso_time};
use crate::token::human_duration;

/// How far AWS lets a request's signing time be from its own clock (`RequestTimeTooSkewed`).
const AWS_SKEW_SECONDS: i64 = 15 * 60;

/// When a signed URL may be used, as it says itself.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Window {
    /// The parameter the end comes from, as written.
    named: String,
    starts: Option<i64>,
    ends: i64,
}

pub(super) fn rule(given: &Case) -> Vec<Finding> {
    let Some(sent) = given.sent else {
        return Vec::new();
    };
    let (now, clock) = match given.reading.server_date {
        Some(date) => (date, "the answer's Date"),
        None => (given.evidence.captured_at, "the time of the check"),
    };
    let confidence = given.if_refused();
    let mut found = Vec::new();
    if let Some(window) = window(sent.url) {
        if now > window.ends {
            found.push(Finding::new(
                CauseId::SignedRequestExpired,
                confidence,
                format!(
                    "The URL's signature is valid until {} ({}); {clock} is {}: {} too late. Sign it again.",
                    format_utc(window.ends),
                    window.named,
                    format_utc(now),
                    human_duration(now - window.ends)
                ),
            ));
        } else if let Some(starts) = window.starts.filter(|s| *s > now + AWS_SKEW_SECONDS) {
            found.push(Finding::new(
                CauseId::SignedRequestExpired,
                confidence,
                format!(
                    "The URL's signature is valid from {} (st); {clock} is {}: {} too early — the signing machine's clock is ahead.",
                    format_utc(starts),
                    format_utc(now),
                    human_duration(starts - now)
                ),
            ));
        }
    }
    let signed_at = sent
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("x-amz-date"))
        .and_then(|(_, v)| parse_iso_time(v));
    if let (Some(signed_at), Some(server)) = (signed_at, given.reading.server_date)
        && (signed_at - server).abs() > AWS_SKEW_SECONDS
    {
        found.push(Finding::new(
            CauseId::SignedRequestExpired,
            confidence,
            format!(
                "The request was signed at {} (X-Amz-Date) and the server's clock says {}: {} apart, more than the 15 minutes AWS allows. Set the clock of the machine that signs automatically.",
                format_utc(signed_at),
                format_utc(server),
                human_duration(signed_at - server)
            ),
        ));
    }
    found
}

/// The validity a signed URL's query states, if it is one.
fn window(url: &str) -> Option<Window> {
    let params: Vec<(String, &str)> = query_pairs(url)
        .map(|(n, v)| (n.to_ascii_lowercase(), v))
        .collect();
    let get = |name: &str| {
        params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| percent_decoded(v))
    };
    for (date, expires, signature) in [
        ("x-amz-date", "x-amz-expires", "x-amz-signature"),
        ("x-goog-date", "x-goog-expires", "x-goog-signature"),
    ] {
        if get(signature).is_none() {
            continue;
        }
        let signed = get(date).as_deref().and_then(parse_iso_time)?;
        let lifetime: i64 = get(expires)?.trim().parse().ok()?;
        return Some(Window {
            named: format!("{} + {} s", date_name(date), lifetime),
            starts: Some(signed),
            ends: signed.checked_add(lifetime)?,
        });
    }
    if get("signature").is_some()
        && let Some(ends) = get("expires").and_then(|e| e.trim().parse::<i64>().ok())
    {
        return Some(Window {
            named: "Expires".to_owned(),
            starts: None,
            ends,
        });
    }
    if get("sig").is_some()
        && let Some(ends) = get("se").as_deref().and_then(parse_iso_time)
    {
        return Some(Window {
            named: "se".to_owned(),
            starts: get("st").as_deref().and_then(parse_iso_time),
            ends,
        });
    }
    None
}

fn date_name(lower: &str) -> &'static str {
    if lower.starts_with("x-amz") {
        "X-Amz-Date"
    } else {
        "X-Goog-Date"
    }
}

/// `%3A` → `:`: the few escapes a signed URL's times carry.
fn percent_decoded(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('%') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let hex = rest
            .get(at + 1..at + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(byte) if byte.is_ascii() => {
                out.push(char::from(byte));
                rest = rest.get(at + 3..).unwrap_or_default();
            }
            _ => {
                out.push('%');
                rest = rest.get(at + 1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{evidence, found};
    use super::{Window, window};
    use crate::cause::CauseId;
    use crate::cors::CredentialsMode;

    #[test]
    fn a_signed_url_states_its_window() {
        assert_eq!(
            window(
                "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240101T000000Z&X-Amz-Expires=3600&X-Amz-Signature=ab"
            ),
            Some(Window {
                named: "X-Amz-Date + 3600 s".into(),
                starts: Some(1_704_067_200),
                ends: 1_704_070_800
            })
        );
        assert_eq!(
            window(
                "https://a.blob.core.windows.net/c/b?sv=2021-08-06&st=2024-01-01T00%3A00%3A00Z&se=2024-01-02T00%3A00%3A00Z&sr=b&sp=r&sig=x%3D"
            ),
            Some(Window {
                named: "se".into(),
                starts: Some(1_704_067_200),
                ends: 1_704_153_600
            })
        );
        assert_eq!(
            window(
                "https://storage.googleapis.com/b/o?GoogleAccessId=a&Expires=1704067200&Signature=s"
            ),
            Some(Window {
                named: "Expires".into(),
                starts: None,
                ends: 1_704_067_200
            })
        );
        // Not signed, or its time unreadable: nothing to say.
        assert_eq!(window("https://a.example/?se=2024-01-01"), None);
        assert_eq!(
            window("https://a.example/?X-Amz-Signature=a&X-Amz-Date=soon&X-Amz-Expires=60"),
            None
        );
    }

    #[test]
    fn an_expired_signed_url_is_named_from_the_url_alone() {
        let mut e = evidence(&[], CredentialsMode::Omit, 403, &[], "");
        let url = "https://b.s3.amazonaws.com/k?X-Amz-Date=20240101T000000Z&X-Amz-Expires=60&X-Amz-Signature=ab";
        e.request.url = url.into();
        for probe in &mut e.probes {
            probe.sent.url = url.into();
        }
        assert_eq!(found(super::rule, &e), [CauseId::SignedRequestExpired]);
        // The server's clock decides when it is known.
        let dated = [("date", "Mon, 01 Jan 2024 00:00:30 GMT")];
        let mut e2 = evidence(&[], CredentialsMode::Omit, 403, &dated, "");
        e2.request.url = url.into();
        for probe in &mut e2.probes {
            probe.sent.url = url.into();
        }
        assert!(found(super::rule, &e2).is_empty());
    }

    #[test]
    fn a_request_signed_far_from_the_servers_clock_is_skewed() {
        let e = evidence(
            &[("X-Amz-Date", "20240101T010000Z")],
            CredentialsMode::Omit,
            403,
            &[("date", "Mon, 01 Jan 2024 00:00:00 GMT")],
            "",
        );
        assert_eq!(found(super::rule, &e), [CauseId::SignedRequestExpired]);
    }
}
