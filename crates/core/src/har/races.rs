//! Token refreshes that raced each other in a HAR file: several made with one refresh token, one
//! of which won while the server refused the others.

use serde_json::Value;

use super::{Har, HarEntry, TrailNote, har_time_ms};
use crate::cause::CauseId;
use crate::target::path_of;

impl Har {
    /// Token refreshes that raced: several made with one refresh token (or, when the token is
    /// not in the file, to one endpoint within two seconds), of which some succeeded and the
    /// others were refused.
    pub fn refresh_races(&self) -> Vec<TrailNote> {
        let refreshes: Vec<Refresh> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(at, entry)| Refresh::of(at, entry))
            .collect();
        let mut groups: Vec<Vec<&Refresh>> = Vec::new();
        for refresh in &refreshes {
            let joins = groups.iter_mut().find(|group| {
                group
                    .first()
                    .is_some_and(|first| match (&first.token, &refresh.token) {
                        (Some(a), Some(b)) => a == b,
                        (None, None) => {
                            first.url == refresh.url
                                && group
                                    .last()
                                    .is_some_and(|last| refresh.at_ms - last.at_ms <= 2000)
                        }
                        _ => false,
                    })
            });
            match joins {
                Some(group) => group.push(refresh),
                None => groups.push(vec![refresh]),
            }
        }
        groups
            .into_iter()
            .filter(|group| {
                group.len() > 1 && group.iter().any(|r| r.won()) && group.iter().any(|r| r.lost())
            })
            .filter_map(|group| race(&group))
            .collect()
    }
}

/// A race, named.
fn race(group: &[&Refresh]) -> Option<TrailNote> {
    let first = group.first()?;
    let latest = group.last()?;
    let numbered = |refreshes: Vec<&&Refresh>| {
        refreshes
            .iter()
            .map(|r| format!("{} ({})", r.entry + 1, r.outcome))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let winners = numbered(group.iter().filter(|r| r.won()).collect());
    let losers = numbered(group.iter().filter(|r| r.lost()).collect());
    let mut sentence = format!(
        "Entries {} refresh the session {} within {} ms: {winners} succeeded, {losers} {} refused.",
        in_words(
            &group
                .iter()
                .map(|r| (r.entry + 1).to_string())
                .collect::<Vec<_>>()
        ),
        if first.token.is_some() {
            "with the same refresh token"
        } else {
            "at the same endpoint"
        },
        latest.at_ms - first.at_ms,
        if group.iter().filter(|r| r.lost()).count() == 1 {
            "was"
        } else {
            "were"
        },
    );
    sentence.push_str(" The server rotates refresh tokens, so only the first refresh of a token wins; the requests that used the others get 401s, or sign the user out.");
    Some(TrailNote {
        entry: latest.entry,
        cause: CauseId::RefreshTokenRace,
        sentence,
    })
}

/// `1, 2 and 3`.
fn in_words(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => items.join(""),
    }
}

/// A token refresh: `grant_type=refresh_token` (OAuth 2.0, RFC 6749 §6) in a form or JSON body,
/// or a `POST` to a path that says refresh.
struct Refresh {
    entry: usize,
    url: String,
    token: Option<String>,
    at_ms: i64,
    status: u16,
    /// `200`, `400 invalid_grant` …
    outcome: String,
}

impl Refresh {
    fn of(entry: usize, har_entry: &HarEntry) -> Option<Refresh> {
        if !har_entry.method.eq_ignore_ascii_case("POST") {
            return None;
        }
        let body = har_entry.request_body.as_deref().unwrap_or_default();
        let json: Option<Value> = serde_json::from_str(body.trim()).ok();
        let form_value = |name: &str| {
            body.split('&').find_map(|pair| {
                let (n, v) = pair.split_once('=')?;
                (n.trim() == name).then(|| v.trim().to_owned())
            })
        };
        let json_value = |name: &str| {
            json.as_ref()
                .and_then(|j| j.get(name))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let grant = form_value("grant_type").or_else(|| json_value("grant_type"));
        let token = form_value("refresh_token")
            .or_else(|| json_value("refresh_token"))
            .or_else(|| json_value("refreshToken"));
        let path = path_of(har_entry.url.trim()).to_ascii_lowercase();
        let refresh = grant.as_deref() == Some("refresh_token")
            || token.is_some()
            || path.contains("refresh");
        if !refresh {
            return None;
        }
        let error = har_entry
            .body
            .as_deref()
            .and_then(|b| serde_json::from_str::<Value>(b.trim()).ok())
            .and_then(|b| b.get("error").and_then(Value::as_str).map(str::to_owned));
        Some(Refresh {
            entry,
            url: har_entry.url.clone(),
            token,
            at_ms: har_time_ms(&har_entry.started).unwrap_or(0),
            status: har_entry.status,
            outcome: match error {
                Some(error) => format!("{} {error}", har_entry.status),
                None => har_entry.status.to_string(),
            },
        })
    }

    fn won(&self) -> bool {
        (200..300).contains(&self.status)
    }

    fn lost(&self) -> bool {
        matches!(self.status, 400 | 401 | 403)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::har;
    use crate::cause::CauseId;

    #[test]
    fn refreshes_racing_with_one_refresh_token() {
        let token = "https://id.example.com/oauth/token";
        let races = har(&[
            (
                "2026-01-01T00:00:00.000Z",
                "POST",
                token,
                &[],
                "grant_type=refresh_token&refresh_token=r1",
                200,
                &[],
                r#"{"access_token":"a2","refresh_token":"r2"}"#,
            ),
            (
                "2026-01-01T00:00:00.040Z",
                "POST",
                token,
                &[],
                "grant_type=refresh_token&refresh_token=r1",
                400,
                &[],
                r#"{"error":"invalid_grant"}"#,
            ),
            (
                "2026-01-01T00:00:00.090Z",
                "POST",
                token,
                &[],
                "grant_type=refresh_token&refresh_token=r1",
                400,
                &[],
                r#"{"error":"invalid_grant"}"#,
            ),
            (
                "2026-01-01T00:00:05.000Z",
                "POST",
                token,
                &[],
                "grant_type=refresh_token&refresh_token=r2",
                200,
                &[],
                "{}",
            ),
        ])
        .refresh_races();
        assert_eq!(races.len(), 1, "{races:?}");
        assert_eq!(
            (races[0].entry, races[0].cause),
            (2, CauseId::RefreshTokenRace)
        );
        assert!(races[0].sentence.starts_with("Entries 1, 2 and 3 refresh the session with the same refresh token within 90 ms: 1 (200) succeeded, 2 (400 invalid_grant), 3 (400 invalid_grant) were refused."), "{}", races[0].sentence);
        // One after the other, each with its own token: no race.
        assert!(
            har(&[
                (
                    "2026-01-01T00:00:00Z",
                    "POST",
                    token,
                    &[],
                    "grant_type=refresh_token&refresh_token=r1",
                    200,
                    &[],
                    "{}"
                ),
                (
                    "2026-01-01T00:10:00Z",
                    "POST",
                    token,
                    &[],
                    "grant_type=refresh_token&refresh_token=r2",
                    400,
                    &[],
                    "{}"
                ),
            ])
            .refresh_races()
            .is_empty()
        );
    }

    #[test]
    fn refreshes_racing_at_one_endpoint() {
        // Without the token in the file, one endpoint hit twice at once, one refused.
        let json = har(&[
            (
                "2026-01-01T00:00:00.000Z",
                "POST",
                "https://example.com/api/auth/refresh",
                &[],
                "",
                200,
                &[],
                "{}",
            ),
            (
                "2026-01-01T00:00:00.010Z",
                "POST",
                "https://example.com/api/auth/refresh",
                &[],
                "",
                401,
                &[],
                "{}",
            ),
        ])
        .refresh_races();
        assert!(
            json[0]
                .sentence
                .contains("at the same endpoint within 10 ms"),
            "{json:?}"
        );
    }
}
