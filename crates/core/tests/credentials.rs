use why401_core::header::{
    BasicCredentials, CredentialsKind, CredentialsProblem, parse_authorization,
    parse_www_authenticate,
};

#[track_caller]
fn check(
    value: &str,
    scheme: Option<&str>,
    kind: &CredentialsKind,
    problems: &[CredentialsProblem],
) {
    let parsed = parse_authorization(value);
    assert_eq!(parsed.scheme.as_deref(), scheme, "scheme of {value:?}");
    assert_eq!(&parsed.kind, kind, "kind of {value:?}");
    let kinds: Vec<CredentialsProblem> = parsed.problems.iter().map(|p| p.kind.clone()).collect();
    assert_eq!(kinds, problems, "problems of {value:?}");
    for problem in &parsed.problems {
        assert!(problem.span.end <= value.len(), "{problem:?}");
        assert!(problem.to_string().ends_with('.'), "{problem}");
    }
}

fn basic(user: &str, password_len: usize) -> CredentialsKind {
    CredentialsKind::Basic(Some(BasicCredentials {
        user: user.into(),
        password_len,
    }))
}

fn bearer(token: &str, looks_like_jwt: bool) -> CredentialsKind {
    CredentialsKind::Bearer {
        token: token.into(),
        looks_like_jwt,
    }
}

const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl";

#[test]
fn credentials_rfc7617_basic_decodes() {
    check(
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        Some("Basic"),
        &basic("Aladdin", 11),
        &[],
    );
}

#[test]
fn credentials_basic_without_padding_is_accepted() {
    check(
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ",
        Some("Basic"),
        &basic("Aladdin", 11),
        &[],
    );
}

#[test]
fn credentials_basic_problems() {
    // "user" without a colon.
    check(
        "Basic dXNlcg==",
        Some("Basic"),
        &basic("user", 0),
        &[CredentialsProblem::BasicMissingColon],
    );
    check(
        "Basic not*base64!",
        Some("Basic"),
        &CredentialsKind::Basic(None),
        &[CredentialsProblem::BasicNotBase64],
    );
    // ":secret"
    check(
        "Basic OnNlY3JldA==",
        Some("Basic"),
        &basic("", 6),
        &[CredentialsProblem::BasicEmptyUser],
    );
    // "j\xf6rg:pw" in Latin-1
    check(
        "Basic avZyZzpwdw==",
        Some("Basic"),
        &basic("jörg", 2),
        &[CredentialsProblem::BasicNotUtf8],
    );
    // "a?>:b" base64url-encoded ("YT8-OmI" with '-').
    check(
        "Basic YT8-OmI=",
        Some("Basic"),
        &basic("a?>", 1),
        &[CredentialsProblem::BasicUrlSafeAlphabet],
    );
    check(
        "Basic",
        Some("Basic"),
        &CredentialsKind::Basic(None),
        &[CredentialsProblem::MissingToken {
            scheme: "Basic".into(),
        }],
    );
}

#[test]
fn credentials_rfc6750_bearer() {
    check(
        "Bearer mF_9.B5f-4.1JqM",
        Some("Bearer"),
        &bearer("mF_9.B5f-4.1JqM", false),
        &[],
    );
    check(
        &format!("Bearer {JWT}"),
        Some("Bearer"),
        &bearer(JWT, true),
        &[],
    );
}

#[test]
fn credentials_bearer_shape_problems() {
    check(
        "Bearer \"abc\"",
        Some("Bearer"),
        &bearer("\"abc\"", false),
        &[CredentialsProblem::QuotedToken],
    );
    check(
        "Bearer Bearer abc",
        Some("Bearer"),
        &bearer("Bearer abc", false),
        &[
            CredentialsProblem::DoubledScheme {
                scheme: "Bearer".into(),
            },
            CredentialsProblem::WhitespaceInToken,
        ],
    );
    check(
        "Bearer ",
        Some("Bearer"),
        &bearer("", false),
        &[
            CredentialsProblem::SurroundingWhitespace,
            CredentialsProblem::MissingToken {
                scheme: "Bearer".into(),
            },
        ],
    );
    check(
        "Bearer undefined",
        Some("Bearer"),
        &bearer("undefined", false),
        &[CredentialsProblem::PlaceholderToken {
            token: "undefined".into(),
        }],
    );
    check(
        "Bearer [object Object]",
        Some("Bearer"),
        &bearer("[object Object]", false),
        &[
            CredentialsProblem::WhitespaceInToken,
            CredentialsProblem::PlaceholderToken {
                token: "[object Object]".into(),
            },
        ],
    );
    check(
        "Bearer abc$def",
        Some("Bearer"),
        &bearer("abc$def", false),
        &[CredentialsProblem::InvalidTokenCharacters],
    );
    check(
        "Bearer  abc",
        Some("Bearer"),
        &bearer("abc", false),
        &[CredentialsProblem::ExtraSpaces],
    );
}

#[test]
fn credentials_stray_newline_from_copied_token() {
    check(
        &format!("Bearer {JWT}\n"),
        Some("Bearer"),
        &bearer(JWT, true),
        &[CredentialsProblem::SurroundingWhitespace],
    );
    check(
        "Bearer ab\ncd",
        Some("Bearer"),
        &bearer("ab\ncd", false),
        &[
            CredentialsProblem::ContainsLineBreak,
            CredentialsProblem::WhitespaceInToken,
        ],
    );
}

#[test]
fn credentials_scheme_case_is_noted() {
    check(
        "bearer abc",
        Some("bearer"),
        &bearer("abc", false),
        &[CredentialsProblem::SchemeCase {
            sent: "bearer".into(),
            usual: "Bearer".into(),
        }],
    );
}

#[test]
fn credentials_non_standard_schemes_are_named() {
    for scheme in ["Token", "JWT", "ApiKey", "Api-Key"] {
        check(
            &format!("{scheme} 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"),
            Some(scheme),
            &CredentialsKind::NonStandard,
            &[CredentialsProblem::NonStandardScheme {
                scheme: scheme.into(),
            }],
        );
    }
}

#[test]
fn credentials_without_scheme() {
    check(
        JWT,
        None,
        &CredentialsKind::BareToken,
        &[CredentialsProblem::MissingScheme],
    );
    check(
        "key=9944b09199c62bcf",
        None,
        &CredentialsKind::KeyValue { name: "key".into() },
        &[CredentialsProblem::MissingScheme],
    );
}

#[test]
fn credentials_other_schemes() {
    check(
        "Negotiate YIIB3wYGKwYBBQUCoIIB0zCC",
        Some("Negotiate"),
        &CredentialsKind::Negotiate,
        &[],
    );
    check(
        "NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw==",
        Some("NTLM"),
        &CredentialsKind::Ntlm,
        &[],
    );
    check(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
        Some("AWS4-HMAC-SHA256"),
        &CredentialsKind::Aws4HmacSha256,
        &[],
    );
    check(
        "DPoP abc.def.ghi",
        Some("DPoP"),
        &CredentialsKind::DPoP {
            token: "abc.def.ghi".into(),
        },
        &[],
    );
}

#[test]
fn credentials_empty() {
    check(
        "",
        None,
        &CredentialsKind::Empty,
        &[CredentialsProblem::Empty],
    );
    check(
        "  ",
        None,
        &CredentialsKind::Empty,
        &[CredentialsProblem::Empty],
    );
}

#[test]
fn credentials_hidden_by_whoever_copied_them() {
    // As SDK test recordings and people pasting an exchange write them.
    for (value, scheme) in [
        ("[REDACTED]", None),
        ("<ACCESS_TOKEN>", None),
        ("Basic login_and_password_removed", Some("Basic")),
        ("Bearer [REDACTED]", Some("Bearer")),
        ("SSWS REDACTED", Some("SSWS")),
        ("bearer <ACCESS_TOKEN>", Some("bearer")),
        ("Bearer ****", Some("Bearer")),
        ("Bearer **FILTERED**", Some("Bearer")),
        ("AUTHORIZATION-XXX", None),
        ("ntn_...", None),
        ("Bearer eyJhbGciOiJSUzI1NiJ9…", Some("Bearer")),
        ("<not shown in the recording>", None),
        ("[value removed]", None),
    ] {
        let parsed = parse_authorization(value);
        assert!(parsed.hidden, "{value}");
        assert!(parsed.problems.is_empty(), "{value}: {:?}", parsed.problems);
        assert_eq!(parsed.scheme.as_deref(), scheme, "{value}");
        if scheme.is_none() {
            assert_eq!(parsed.kind, CredentialsKind::Hidden, "{value}");
        }
    }
    // An unset variable is not a redaction: the code sent it.
    for value in ["Bearer undefined", "Bearer ${token}", "Bearer abc.def.ghi"] {
        assert!(!parse_authorization(value).hidden, "{value}");
    }
}

#[test]
fn credentials_scheme_offered_by_server() {
    let challenges = parse_www_authenticate(&[r"Token"]);
    let sent = parse_authorization("Bearer abc");
    let problem = sent.check_offered(&challenges).map(|p| p.kind);
    assert_eq!(
        problem,
        Some(CredentialsProblem::SchemeNotOffered {
            sent: "Bearer".into(),
            offered: vec!["Token".into()]
        })
    );
    let challenges = parse_www_authenticate(&[r#"Basic realm="a", bearer realm="b""#]);
    assert!(sent.check_offered(&challenges).is_none());
    assert!(sent.check_offered(&parse_www_authenticate(&[])).is_none());
}

#[test]
fn credentials_never_panic_on_odd_input() {
    for input in [
        "\t",
        "Basic ====",
        "Basic =",
        "Bearer \"",
        "é é",
        "=",
        "a=",
        " Basic\n",
        "Basic é",
        "x\u{0}y z",
    ] {
        let parsed = parse_authorization(input);
        for problem in &parsed.problems {
            let _ = problem.annotate(input);
        }
    }
}

#[test]
fn credentials_digest_parameters() {
    // RFC 7616 §3.9.1.
    let sent = parse_authorization(concat!(
        r#"Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", "#,
        r#"algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, "#,
        r#"cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, "#,
        r#"response="8ca523f5e9506fed4657c9700eebdbec", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#
    ));
    assert!(sent.problems.is_empty(), "{:?}", sent.problems);
    let CredentialsKind::Digest(digest) = &sent.kind else {
        panic!("{:?}", sent.kind);
    };
    assert_eq!(digest.param("username"), Some("Mufasa"));
    assert_eq!(digest.param("URI"), Some("/dir/index.html"));
    assert_eq!(digest.param("nc"), Some("00000001"));
    assert_eq!(digest.params.len(), 10);
    // Cut short, with a qop and no count.
    let short = parse_authorization(
        r#"Digest username="Mufasa", realm="http-auth@example.org", uri="/", qop=auth, nc=1"#,
    );
    let kinds: Vec<CredentialsProblem> = short.problems.into_iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [
            CredentialsProblem::DigestMissingParam { name: "nonce" },
            CredentialsProblem::DigestMissingParam { name: "response" },
            CredentialsProblem::DigestQopWithoutCount,
            CredentialsProblem::DigestBadCount { nc: "1".into() },
        ]
    );
    // Broken grammar is named in the challenge's words.
    let broken = parse_authorization(r#"Digest username="Mufasa realm=x"#);
    assert!(
        broken
            .problems
            .iter()
            .any(|p| matches!(p.kind, CredentialsProblem::DigestSyntax { .. }))
    );
}
