use why401_core::cookie::{
    CookieNote, CookieRequest, NotSent, SameSite, parse_set_cookie, sendability, site_of,
};
use why401_core::cors::CredentialsMode;

/// 2026-11-24T00:00:00Z.
const NOW: i64 = 1_795_478_400;

#[track_caller]
fn notes(line: &str) -> Vec<CookieNote> {
    parse_set_cookie(line, NOW).notes
}

#[test]
fn cookie_github_session() {
    let c = parse_set_cookie(
        "_gh_sess=abc%3D%3D--def; path=/; secure; HttpOnly; SameSite=Lax",
        NOW,
    );
    assert_eq!(
        (c.name.as_str(), c.value.as_str()),
        ("_gh_sess", "abc%3D%3D--def")
    );
    assert_eq!(c.path.as_deref(), Some("/"));
    assert!(c.secure && c.http_only);
    assert_eq!(c.same_site, SameSite::Lax);
    assert_eq!(c.expires_at, None);
    assert!(c.notes.is_empty(), "{:?}", c.notes);
}

#[test]
fn cookie_express_session_default_has_no_samesite() {
    let c = parse_set_cookie("connect.sid=s%3AQ9xV.abc; Path=/; HttpOnly", NOW);
    assert_eq!(c.same_site, SameSite::Unspecified);
    assert_eq!(c.notes, [CookieNote::SameSiteUnspecified]);
}

#[test]
fn cookie_django_session_max_age_wins_over_expires() {
    let c = parse_set_cookie(
        "sessionid=k2vq; expires=Tue, 08 Dec 2026 00:00:00 GMT; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax",
        NOW,
    );
    assert_eq!(c.expires_at, Some(NOW + 1_209_600));
    assert!(c.notes.is_empty(), "{:?}", c.notes);
}

#[test]
fn cookie_aspnet_lowercase_attributes() {
    let c = parse_set_cookie(
        ".AspNetCore.Cookies=CfDJ8Abc; path=/; samesite=lax; httponly",
        NOW,
    );
    assert_eq!(c.same_site, SameSite::Lax);
    assert!(c.http_only);
}

#[test]
fn cookie_cloudflare_domain_with_leading_dot() {
    let c = parse_set_cookie(
        "__cf_bm=x.y-1; path=/; expires=Tue, 24-Nov-26 00:30:00 GMT; domain=.Example.com; HttpOnly; Secure; SameSite=None",
        NOW,
    );
    assert_eq!(c.domain.as_deref(), Some("example.com"));
    assert_eq!(c.expires_at, Some(NOW + 1800));
    assert_eq!(c.same_site, SameSite::None);
    assert!(c.notes.is_empty(), "{:?}", c.notes);
}

#[test]
fn cookie_rejections() {
    assert_eq!(
        notes("a=b; SameSite=None"),
        [CookieNote::RejectedSameSiteNoneInsecure]
    );
    assert_eq!(
        notes("a=b; Partitioned; SameSite=Lax"),
        [CookieNote::RejectedPartitionedInsecure]
    );
    assert_eq!(
        notes("__Secure-id=1; SameSite=Lax"),
        [CookieNote::RejectedPrefix {
            prefix: "__Secure-",
            rule: "must be Secure"
        }]
    );
    assert_eq!(
        notes("__Host-id=1; Secure; Path=/; Domain=example.com; SameSite=Lax"),
        [CookieNote::RejectedPrefix {
            prefix: "__Host-",
            rule: "may not have a Domain attribute"
        }]
    );
    assert_eq!(
        notes("__host-id=1; Secure; SameSite=Lax"),
        [CookieNote::RejectedPrefix {
            prefix: "__Host-",
            rule: "must have Path=/"
        }]
    );
    assert!(notes("__Host-id=1; Secure; Path=/; SameSite=Strict").is_empty());
    assert_eq!(notes("; SameSite=Lax"), [CookieNote::RejectedEmpty]);
    let big = format!("a={}; SameSite=Lax", "x".repeat(4096));
    assert_eq!(notes(&big), [CookieNote::RejectedTooLarge { bytes: 4097 }]);
    assert_eq!(
        notes("a=b\u{1}c; SameSite=Lax"),
        [CookieNote::RejectedControlCharacter]
    );
    assert!(
        parse_set_cookie("a=b; SameSite=None", NOW)
            .notes
            .iter()
            .any(CookieNote::rejects)
    );
}

#[test]
fn cookie_lifetime_notes() {
    assert_eq!(
        notes("a=b; Max-Age=abc; SameSite=Lax"),
        [CookieNote::MaxAgeInvalid {
            value: "abc".into()
        }]
    );
    assert_eq!(
        notes("a=b; Max-Age=1.5; SameSite=Lax"),
        [CookieNote::MaxAgeInvalid {
            value: "1.5".into()
        }]
    );
    assert_eq!(
        notes("a=b; Max-Age=0; SameSite=Lax"),
        [CookieNote::MaxAgeDeletes]
    );
    assert_eq!(
        notes("a=b; Max-Age=-1; SameSite=Lax"),
        [CookieNote::MaxAgeDeletes]
    );
    assert_eq!(
        notes("a=b; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax"),
        [CookieNote::ExpiresInPast]
    );
    assert_eq!(
        notes("a=b; Expires=next week; SameSite=Lax"),
        [CookieNote::ExpiresInvalid {
            value: "next week".into()
        }]
    );
    assert_eq!(
        notes("a=b; Max-Age=43200000; SameSite=Lax"),
        [CookieNote::LifetimeCapped { days: 500 }]
    );
    let capped = parse_set_cookie("a=b; Max-Age=99999999999999999999999; SameSite=Lax", NOW);
    assert_eq!(capped.expires_at, Some(NOW + 400 * 86_400));
}

#[test]
fn cookie_attribute_notes() {
    assert_eq!(
        notes("a=b; Path=/x; path=/y; Comment=hi; SameSite=Lax"),
        [
            CookieNote::DuplicateAttribute {
                name: "path".into()
            },
            CookieNote::UnknownAttribute {
                name: "Comment".into()
            }
        ]
    );
    assert_eq!(
        parse_set_cookie("a=b; Path=/x; path=/y", NOW)
            .path
            .as_deref(),
        Some("/y")
    );
    assert_eq!(
        notes("a=b; Domain=; SameSite=Lax"),
        [CookieNote::DomainEmpty]
    );
    assert_eq!(
        notes("a=b; Path=api; SameSite=Lax"),
        [CookieNote::PathNotAbsolute {
            value: "api".into()
        }]
    );
    assert_eq!(
        notes("a=b; SameSite=Yes"),
        [CookieNote::SameSiteInvalid {
            value: "Yes".into()
        }]
    );
    let long = format!("a=b; Path=/{}; SameSite=Lax", "p".repeat(1100));
    assert_eq!(
        notes(&long),
        [CookieNote::AttributeTooLarge {
            name: "Path".into()
        }]
    );
    for line in ["a=b; SameSite=None", "a=b; Max-Age=x", "x; Comment=1"] {
        for note in notes(line) {
            assert!(note.to_string().ends_with('.'), "{note}");
        }
    }
}

#[test]
fn cookie_nameless_value() {
    let c = parse_set_cookie("justavalue; SameSite=Lax", NOW);
    assert_eq!((c.name.as_str(), c.value.as_str()), ("", "justavalue"));
}

#[test]
fn cookie_sites() {
    assert_eq!(site_of(true, "api.example.com").domain, "example.com");
    assert_eq!(site_of(true, "www.example.co.uk").domain, "example.co.uk");
    assert_eq!(site_of(true, "me.github.io").domain, "me.github.io");
    assert_eq!(site_of(true, "a.b.vercel.app").domain, "b.vercel.app");
    assert_eq!(site_of(false, "127.0.0.1").domain, "127.0.0.1");
    assert_eq!(site_of(false, "localhost").domain, "localhost");
    assert_ne!(
        site_of(true, "example.com"),
        site_of(false, "example.com"),
        "schemeful"
    );
}

struct Case {
    cookie: &'static str,
    host: &'static str,
    path: &'static str,
    page: &'static str,
    credentials: CredentialsMode,
    blocked: bool,
}

const BASE: Case = Case {
    cookie: "sid=1; Path=/; Secure; HttpOnly; SameSite=None",
    host: "api.example.com",
    path: "/v1/me",
    page: "app.example.com",
    credentials: CredentialsMode::Include,
    blocked: false,
};

#[track_caller]
fn sent(case: &Case) -> Vec<NotSent> {
    let cookie = parse_set_cookie(case.cookie, NOW - 10);
    let page = site_of(true, case.page);
    let request = CookieRequest {
        host: case.host,
        secure: true,
        https: true,
        path: case.path,
        page: &page,
        same_origin: case.page == case.host,
        credentials: case.credentials,
        set_by_host: "api.example.com",
        set_by_path: "/v1/login",
        now: NOW,
        third_party_cookies_blocked: case.blocked,
    };
    sendability(&cookie, &request)
}

#[test]
fn cookie_sent_same_site_with_credentials() {
    assert_eq!(sent(&BASE), []);
    // Same-site, different origin: Lax cookies still go.
    assert_eq!(
        sent(&Case {
            cookie: "sid=1; Path=/; SameSite=Lax",
            ..BASE
        }),
        []
    );
}

#[test]
fn cookie_not_sent_without_credentials() {
    assert_eq!(
        sent(&Case {
            credentials: CredentialsMode::Omit,
            ..BASE
        }),
        [NotSent::CredentialsNotIncluded]
    );
    assert_eq!(
        sent(&Case {
            credentials: CredentialsMode::SameOrigin,
            ..BASE
        }),
        [NotSent::CredentialsNotIncluded]
    );
}

#[test]
fn cookie_not_sent_cross_site() {
    let cross = Case {
        page: "why401.example.org",
        ..BASE
    };
    assert_eq!(sent(&cross), []);
    assert_eq!(
        sent(&Case {
            cookie: "sid=1; Path=/; Secure; SameSite=Lax",
            ..cross
        }),
        [NotSent::SameSite {
            same_site: SameSite::Lax
        }]
    );
    assert_eq!(
        sent(&Case {
            cookie: "sid=1; Path=/; Secure; SameSite=Strict",
            ..cross
        }),
        [NotSent::SameSite {
            same_site: SameSite::Strict
        }]
    );
    assert_eq!(
        sent(&Case {
            cookie: "sid=1; Path=/; Secure",
            ..cross
        }),
        [NotSent::LaxByDefault]
    );
    assert_eq!(
        sent(&Case {
            blocked: true,
            ..cross
        }),
        [NotSent::ThirdPartyBlocked]
    );
}

#[test]
fn cookie_not_sent_for_domain_path_expiry() {
    assert_eq!(
        sent(&Case {
            host: "other.example.com",
            ..BASE
        }),
        [NotSent::DomainMismatch]
    );
    assert_eq!(
        sent(&Case {
            cookie: "sid=1; Domain=example.com; Path=/; Secure; SameSite=None",
            host: "other.example.com",
            ..BASE
        }),
        []
    );
    assert_eq!(
        sent(&Case {
            cookie: "sid=1; Domain=evil.com; Path=/; Secure; SameSite=None",
            ..BASE
        }),
        [
            NotSent::DomainNotOfSetter {
                domain: "evil.com".into()
            },
            NotSent::DomainMismatch
        ]
    );
    assert_eq!(
        sent(&Case {
            cookie: "sid=1; Path=/admin; Secure; SameSite=None",
            ..BASE
        }),
        [NotSent::PathMismatch {
            cookie_path: "/admin".into()
        }]
    );
    // Default path of /v1/login is /v1.
    assert_eq!(
        sent(&Case {
            cookie: "sid=1; Secure; SameSite=None",
            path: "/v2/me",
            ..BASE
        }),
        [NotSent::PathMismatch {
            cookie_path: "/v1".into()
        }]
    );
    assert_eq!(
        sent(&Case {
            cookie: "sid=1; Secure; SameSite=None",
            ..BASE
        }),
        []
    );
    assert_eq!(
        sent(&Case {
            cookie: "sid=1; Path=/; Max-Age=5; Secure; SameSite=None",
            ..BASE
        }),
        [NotSent::Expired]
    );
    assert_eq!(
        sent(&Case {
            cookie: "sid=1; Path=/; SameSite=None",
            ..BASE
        }),
        [NotSent::Rejected]
    );
}

#[test]
fn cookie_loopback_http_is_secure_yet_same_site_only_with_http() {
    let cookie = parse_set_cookie("sid=1; Path=/; Secure; SameSite=Lax", NOW - 10);
    let request = |page: &why401_core::cookie::Site| {
        sendability(
            &cookie,
            &CookieRequest {
                host: "127.0.0.1",
                secure: true,
                https: false,
                path: "/api",
                page,
                same_origin: false,
                credentials: CredentialsMode::Include,
                set_by_host: "127.0.0.1",
                set_by_path: "/login",
                now: NOW,
                third_party_cookies_blocked: false,
            },
        )
    };
    // Another port of the same host over http: same site, and Secure is fine on loopback.
    assert_eq!(request(&site_of(false, "127.0.0.1")), []);
    // From localhost, or from an https page: another site.
    assert_eq!(
        request(&site_of(false, "localhost")),
        [NotSent::SameSite {
            same_site: why401_core::cookie::SameSite::Lax
        }]
    );
    assert_eq!(
        request(&site_of(true, "127.0.0.1")),
        [NotSent::SameSite {
            same_site: why401_core::cookie::SameSite::Lax
        }]
    );
}
