//! Rule: a refusal a cache may keep and serve again, even to requests with good credentials.

use super::{Case, Finding};
use crate::cause::CauseId;
use crate::infer::Confidence;
use crate::observation::ResponseSeen;

pub(super) fn rule(given: &Case) -> Vec<Finding> {
    let (Some(_), Some(seen)) = (given.sent, given.full) else {
        return Vec::new();
    };
    if !matches!(seen.status, 401 | 403) {
        return Vec::new();
    }
    let Some((reason, shared)) = cacheable(seen) else {
        return Vec::new();
    };
    // Marked for shared caches: a good request may get this refusal back.
    let confidence = Confidence::High.lowered_if(!shared);
    vec![Finding::new(
        CauseId::CacheableAuthResponse,
        confidence,
        reason,
    )]
}

/// Why a 401/403 may be stored by a cache, if it may, and whether shared caches may keep it.
fn cacheable(seen: &ResponseSeen) -> Option<(String, bool)> {
    let cache_control = seen
        .header("cache-control")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let forbids = ["no-store", "private", "no-cache"]
        .iter()
        .any(|d| cache_control.contains(d));
    if forbids {
        return None;
    }
    let allows = cache_control.contains("public")
        || cache_control
            .split(',')
            .filter_map(|d| d.trim().strip_prefix("max-age="))
            .chain(
                cache_control
                    .split(',')
                    .filter_map(|d| d.trim().strip_prefix("s-maxage=")),
            )
            .any(|age| age.trim().parse::<u64>().is_ok_and(|s| s > 0));
    let expires = seen.header("expires").is_some();
    let shared = cache_control.contains("public") || cache_control.contains("s-maxage");
    (allows || expires).then(|| {
        let reason = format!(
            "The {} says Cache-Control: {}{}: a cache may serve this refusal to later requests, even with good credentials.",
            seen.status,
            if cache_control.is_empty() { "(none)" } else { cache_control.as_str() },
            if expires { ", with Expires" } else { "" }
        );
        (reason, shared)
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{answered, found};
    use crate::cause::CauseId;

    #[test]
    fn a_refusal_a_cache_may_keep() {
        for (headers, cached) in [
            (&[("cache-control", "public, max-age=600")][..], true),
            (&[("cache-control", "max-age=60")][..], true),
            (&[("expires", "Thu, 01 Dec 2026 16:00:00 GMT")][..], true),
            (&[("cache-control", "no-store")][..], false),
            (&[("cache-control", "private, max-age=60")][..], false),
            (&[][..], false),
        ] {
            let found = found(super::rule, &answered(&[], 401, headers));
            assert_eq!(
                found == [CauseId::CacheableAuthResponse],
                cached,
                "{headers:?}"
            );
        }
        let ok = answered(&[], 200, &[("cache-control", "public, max-age=600")]);
        assert!(found(super::rule, &ok).is_empty());
    }
}
