use why401_core::header::{
    AuthScheme, BearerError, ChallengeProblem, Challenges, parse_auth_params,
    parse_www_authenticate,
};

/// A challenge as owned data: scheme, token68, parameters.
type Owned = (String, Option<String>, Vec<(String, String)>);

/// `(scheme, token68, [(name, value)])` for each challenge.
type Expected<'a> = &'a [(&'a str, Option<&'a str>, &'a [(&'a str, &'a str)])];

#[track_caller]
fn check(fields: &[&str], expected: Expected<'_>, problems: &[ChallengeProblem]) -> Challenges {
    let parsed = parse_www_authenticate(fields);
    let got: Vec<Owned> = parsed
        .challenges
        .iter()
        .map(|c| {
            (
                c.scheme.clone(),
                c.token68.clone(),
                c.params
                    .iter()
                    .map(|p| (p.name.clone(), p.value.clone()))
                    .collect(),
            )
        })
        .collect();
    let want: Vec<Owned> = expected
        .iter()
        .map(|(s, t, ps)| {
            (
                (*s).to_owned(),
                t.map(str::to_owned),
                ps.iter()
                    .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(got, want, "challenges of {fields:?}");
    let kinds: Vec<ChallengeProblem> = parsed.problems.iter().map(|p| p.kind.clone()).collect();
    assert_eq!(kinds, problems, "problems of {fields:?}");
    for problem in &parsed.problems {
        assert!(
            problem.span.end <= parsed.value.len(),
            "{problem:?} out of {}",
            parsed.value
        );
        assert!(problem.span.start <= problem.span.end, "{problem:?}");
    }
    parsed
}

// --- RFC examples -------------------------------------------------------------------------

#[test]
fn challenge_rfc9110_two_challenges_in_one_field() {
    check(
        &[r#"Basic realm="simple", Newauth realm="apps", type=1, title="Login to \"apps\"""#],
        &[
            ("Basic", None, &[("realm", "simple")]),
            (
                "Newauth",
                None,
                &[
                    ("realm", "apps"),
                    ("type", "1"),
                    ("title", "Login to \"apps\""),
                ],
            ),
        ],
        &[],
    );
}

#[test]
fn challenge_rfc7617_basic_with_charset() {
    let parsed = check(
        &[r#"Basic realm="foo", charset="UTF-8""#],
        &[("Basic", None, &[("realm", "foo"), ("charset", "UTF-8")])],
        &[],
    );
    let basic = parsed.challenges[0].basic().unwrap();
    assert_eq!(basic.realm.as_deref(), Some("foo"));
    assert_eq!(basic.charset.as_deref(), Some("UTF-8"));
}

#[test]
fn challenge_rfc6750_bearer_invalid_token() {
    let parsed = check(
        &[
            r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#,
        ],
        &[(
            "Bearer",
            None,
            &[
                ("realm", "example"),
                ("error", "invalid_token"),
                ("error_description", "The access token expired"),
            ],
        )],
        &[],
    );
    let bearer = parsed.challenges[0].bearer().unwrap();
    assert_eq!(bearer.error, Some(BearerError::InvalidToken));
    assert!(parsed.check_status(401).is_empty());
}

#[test]
fn challenge_rfc7616_digest_two_algorithms() {
    let parsed = check(
        &[
            r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#,
            r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#,
        ],
        &[
            (
                "Digest",
                None,
                &[
                    ("realm", "http-auth@example.org"),
                    ("qop", "auth, auth-int"),
                    ("algorithm", "SHA-256"),
                    ("nonce", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"),
                    ("opaque", "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"),
                ],
            ),
            (
                "Digest",
                None,
                &[
                    ("realm", "http-auth@example.org"),
                    ("qop", "auth, auth-int"),
                    ("algorithm", "MD5"),
                    ("nonce", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"),
                    ("opaque", "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"),
                ],
            ),
        ],
        &[],
    );
    let digest = parsed.challenges[0].digest().unwrap();
    assert_eq!(digest.algorithm.hash, Some("SHA-256"));
    assert!(!digest.algorithm.session);
    assert_eq!(digest.qop, ["auth", "auth-int"]);
}

#[test]
fn challenge_digest_sess_stale_and_userhash() {
    let parsed = check(
        &[
            r#"Digest realm="api", nonce="abc", algorithm=SHA-512-256-sess, stale=TRUE, userhash=true, domain="/a /b""#,
        ],
        &[(
            "Digest",
            None,
            &[
                ("realm", "api"),
                ("nonce", "abc"),
                ("algorithm", "SHA-512-256-sess"),
                ("stale", "TRUE"),
                ("userhash", "true"),
                ("domain", "/a /b"),
            ],
        )],
        &[],
    );
    let digest = parsed.challenges[0].digest().unwrap();
    assert_eq!(digest.algorithm.hash, Some("SHA-512-256"));
    assert!(digest.algorithm.session);
    assert_eq!(digest.stale, Some(true));
    assert_eq!(digest.userhash, Some(true));
    assert_eq!(digest.domain, ["/a", "/b"]);
}

#[test]
fn challenge_rfc9449_dpop_with_bearer() {
    let parsed = check(
        &[
            r#"Bearer realm="api", DPoP algs="ES256 PS256", error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#,
        ],
        &[
            ("Bearer", None, &[("realm", "api")]),
            (
                "DPoP",
                None,
                &[
                    ("algs", "ES256 PS256"),
                    ("error", "use_dpop_nonce"),
                    (
                        "error_description",
                        "Resource server requires nonce in DPoP proof",
                    ),
                ],
            ),
        ],
        &[],
    );
    let dpop = parsed
        .find(AuthScheme::DPoP)
        .and_then(why401_core::header::Challenge::dpop)
        .unwrap();
    assert_eq!(dpop.algs, ["ES256", "PS256"]);
    assert_eq!(dpop.error, Some(BearerError::UseDpopNonce));
    // The error belongs to DPoP, not to the Bearer challenge before it.
    assert_eq!(
        parsed
            .find(AuthScheme::Bearer)
            .and_then(why401_core::header::Challenge::error),
        None
    );
    assert!(parsed.check_status(401).is_empty());
}

#[test]
fn challenge_rfc9728_resource_metadata() {
    let parsed = check(
        &[
            r#"Bearer resource_metadata="https://resource.example.com/.well-known/oauth-protected-resource""#,
        ],
        &[(
            "Bearer",
            None,
            &[(
                "resource_metadata",
                "https://resource.example.com/.well-known/oauth-protected-resource",
            )],
        )],
        &[],
    );
    assert!(
        parsed.challenges[0]
            .bearer()
            .unwrap()
            .resource_metadata
            .is_some()
    );
}

// --- real products --------------------------------------------------------------------------

#[test]
fn challenge_docker_registry_without_spaces_and_comma_in_scope() {
    let parsed = check(
        &[
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push""#,
        ],
        &[(
            "Bearer",
            None,
            &[
                ("realm", "https://auth.docker.io/token"),
                ("service", "registry.docker.io"),
                ("scope", "repository:samalba/my-app:pull,push"),
            ],
        )],
        &[],
    );
    assert_eq!(
        parsed.challenges[0].bearer().unwrap().scope,
        ["repository:samalba/my-app:pull,push"]
    );
}

#[test]
fn challenge_azure_ad_empty_realm() {
    check(
        &[
            r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000""#,
        ],
        &[(
            "Bearer",
            None,
            &[
                ("realm", ""),
                (
                    "authorization_uri",
                    "https://login.microsoftonline.com/common/oauth2/authorize",
                ),
                ("client_id", "00000003-0000-0000-c000-000000000000"),
            ],
        )],
        &[],
    );
}

#[test]
fn challenge_keycloak_invalid_token() {
    check(
        &[
            r#"Bearer realm="myrealm", error="invalid_token", error_description="Token verification failed""#,
        ],
        &[(
            "Bearer",
            None,
            &[
                ("realm", "myrealm"),
                ("error", "invalid_token"),
                ("error_description", "Token verification failed"),
            ],
        )],
        &[],
    );
}

#[test]
fn challenge_nginx_auth_basic() {
    check(
        &[r#"Basic realm="Restricted""#],
        &[("Basic", None, &[("realm", "Restricted")])],
        &[],
    );
}

#[test]
fn challenge_iis_negotiate_and_ntlm_fields() {
    let parsed = check(
        &["Negotiate", "NTLM"],
        &[("Negotiate", None, &[]), ("NTLM", None, &[])],
        &[],
    );
    assert_eq!(parsed.challenges[1].auth_scheme(), AuthScheme::Ntlm);
}

#[test]
fn challenge_negotiate_token68_with_padding() {
    check(
        &["Negotiate YIIB3wYGKwYBBQUCoIIB0zCCAc+gDTALBgkqhkiG9xIBAgKhBAMCAXaiggG6BIIBtmC="],
        &[(
            "Negotiate",
            Some("YIIB3wYGKwYBBQUCoIIB0zCCAc+gDTALBgkqhkiG9xIBAgKhBAMCAXaiggG6BIIBtmC="),
            &[],
        )],
        &[],
    );
    // Padding a length that needs none: kept as sent, named, and dropped where it is decoded.
    let parsed = check(
        &["Negotiate YIIB3wYGKwYBBQUCoIIB0zCCAc+gDTALBgkqhkiG9xIBAgKhBAMCAXaiggG6BIIBtmCC=="],
        &[(
            "Negotiate",
            Some("YIIB3wYGKwYBBQUCoIIB0zCCAc+gDTALBgkqhkiG9xIBAgKhBAMCAXaiggG6BIIBtmCC=="),
            &[],
        )],
        &[ChallengeProblem::SurplusPadding],
    );
    assert_eq!(
        parsed.challenges[0].token68_padded().as_deref(),
        Some("YIIB3wYGKwYBBQUCoIIB0zCCAc+gDTALBgkqhkiG9xIBAgKhBAMCAXaiggG6BIIBtmCC")
    );
}

#[test]
fn challenge_django_rest_framework_token() {
    check(&["Token"], &[("Token", None, &[])], &[]);
}

#[test]
fn challenge_fastapi_oauth2_password_bearer() {
    let parsed = check(&["Bearer"], &[("Bearer", None, &[])], &[]);
    assert!(parsed.check_status(401).is_empty());
}

#[test]
fn challenge_apache_digest_md5() {
    let parsed = check(
        &[
            r#"Digest realm="private area", nonce="Ny8yLzIwMDIgMzoyNjoyNCBQTQ", algorithm=MD5, qop="auth""#,
        ],
        &[(
            "Digest",
            None,
            &[
                ("realm", "private area"),
                ("nonce", "Ny8yLzIwMDIgMzoyNjoyNCBQTQ"),
                ("algorithm", "MD5"),
                ("qop", "auth"),
            ],
        )],
        &[],
    );
    assert_eq!(
        parsed.challenges[0].digest().unwrap().algorithm.hash,
        Some("MD5")
    );
}

#[test]
fn challenge_aws4_and_scram_schemes_are_recognised() {
    let parsed = check(
        &[r#"AWS4-HMAC-SHA256 realm="aws", SCRAM-SHA-256 realm="testrealm@example.com""#],
        &[
            ("AWS4-HMAC-SHA256", None, &[("realm", "aws")]),
            ("SCRAM-SHA-256", None, &[("realm", "testrealm@example.com")]),
        ],
        &[],
    );
    assert_eq!(
        parsed.challenges[0].auth_scheme(),
        AuthScheme::Aws4HmacSha256
    );
    assert_eq!(parsed.challenges[1].auth_scheme(), AuthScheme::ScramSha256);
}

#[test]
fn challenge_scheme_and_param_names_are_case_insensitive() {
    let parsed = check(
        &[r#"bEARER REALM="x", Error="invalid_token""#],
        &[(
            "bEARER",
            None,
            &[("REALM", "x"), ("Error", "invalid_token")],
        )],
        &[],
    );
    let bearer = parsed.challenges[0].bearer().unwrap();
    assert_eq!(bearer.realm.as_deref(), Some("x"));
    assert_eq!(bearer.error, Some(BearerError::InvalidToken));
}

#[test]
fn challenge_bws_around_equals_and_empty_list_elements() {
    check(
        &[r#" , Basic realm = "a" ,, , Bearer realm=b ,"#],
        &[
            ("Basic", None, &[("realm", "a")]),
            ("Bearer", None, &[("realm", "b")]),
        ],
        &[],
    );
}

#[test]
fn challenge_bare_scheme_then_params_after_comma() {
    // The comma right after the scheme ends the challenge; browsers see the scheme `Basic,`.
    check(
        &[r#"Basic, realm="x""#],
        &[("Basic", None, &[])],
        &[
            ChallengeProblem::MissingRealm {
                scheme: "Basic".into(),
            },
            ChallengeProblem::ParamsOutsideChallenge {
                after_token68: false,
            },
        ],
    );
    // White space first: browsers read the realm; the comma is still named.
    check(
        &[r#"Basic , realm="x""#],
        &[("Basic", None, &[("realm", "x")])],
        &[ChallengeProblem::CommaBeforeParams],
    );
    // A token68 takes no parameters after it.
    check(
        &["Other abc==, realm=myrealm"],
        &[("Other", Some("abc=="), &[])],
        &[ChallengeProblem::ParamsOutsideChallenge {
            after_token68: true,
        }],
    );
}

#[test]
fn challenge_obsolete_line_folding_is_a_space() {
    check(
        &["Basic\r\n realm=\"foo\""],
        &[("Basic", None, &[("realm", "foo")])],
        &[],
    );
}

// --- malformed values ----------------------------------------------------------------------

#[test]
fn challenge_semicolon_after_scheme() {
    let parsed = check(
        &[r#"Basic; realm="api""#],
        &[("Basic", None, &[("realm", "api")])],
        &[ChallengeProblem::SemicolonAfterScheme],
    );
    assert_eq!(parsed.problems[0].span, 5..6);
    let shown = parsed.problems[0].annotate(&parsed.value);
    assert!(
        shown.starts_with("Basic; realm=\"api\"\n     ^\n"),
        "{shown}"
    );
}

#[test]
fn challenge_unquoted_space_in_value() {
    check(
        &["Basic realm=my realm"],
        &[("Basic", None, &[("realm", "my realm")])],
        &[ChallengeProblem::UnquotedSpace {
            name: "realm".into(),
        }],
    );
}

#[test]
fn challenge_missing_comma_between_params() {
    check(
        &[r#"Bearer realm="a" error="invalid_token""#],
        &[(
            "Bearer",
            None,
            &[("realm", "a"), ("error", "invalid_token")],
        )],
        &[ChallengeProblem::MissingComma],
    );
}

#[test]
fn challenge_bare_basic_lacks_realm() {
    check(
        &["Basic"],
        &[("Basic", None, &[])],
        &[ChallengeProblem::MissingRealm {
            scheme: "Basic".into(),
        }],
    );
}

#[test]
fn challenge_duplicate_param() {
    check(
        &[r#"Basic realm="a", REALM="b""#],
        &[("Basic", None, &[("realm", "a"), ("REALM", "b")])],
        &[ChallengeProblem::DuplicateParam {
            name: "REALM".into(),
        }],
    );
}

#[test]
fn challenge_unterminated_quote() {
    check(
        &[r#"Bearer realm="api, error="invalid_token""#],
        &[("Bearer", None, &[("realm", "api, error=")])],
        &[ChallengeProblem::UnexpectedText],
    );
    check(
        &[r#"Bearer realm="api"#],
        &[("Bearer", None, &[("realm", "api")])],
        &[ChallengeProblem::UnterminatedQuote],
    );
}

#[test]
fn challenge_unquoted_uri_needs_quotes() {
    check(
        &["Bearer error_uri=https://example.com/errors"],
        &[(
            "Bearer",
            None,
            &[("error_uri", "https://example.com/errors")],
        )],
        &[ChallengeProblem::ValueNeedsQuotes {
            name: "error_uri".into(),
        }],
    );
}

#[test]
fn challenge_missing_value() {
    check(
        &[r#"Basic realm=, charset="UTF-8""#],
        &[("Basic", None, &[("realm", ""), ("charset", "UTF-8")])],
        &[ChallengeProblem::MissingValue {
            name: "realm".into(),
        }],
    );
}

#[test]
fn challenge_basic_charset_other_than_utf8() {
    check(
        &[r#"Basic realm="x", charset="ISO-8859-1""#],
        &[("Basic", None, &[("realm", "x"), ("charset", "ISO-8859-1")])],
        &[ChallengeProblem::BasicCharsetNotUtf8 {
            charset: "ISO-8859-1".into(),
        }],
    );
}

#[test]
fn challenge_digest_problems() {
    check(
        &[r#"Digest realm="x", algorithm=SHA-1, stale=yes"#],
        &[(
            "Digest",
            None,
            &[("realm", "x"), ("algorithm", "SHA-1"), ("stale", "yes")],
        )],
        &[
            ChallengeProblem::DigestMissingNonce,
            ChallengeProblem::DigestUnknownAlgorithm {
                algorithm: "SHA-1".into(),
            },
            ChallengeProblem::NotBoolean {
                name: "stale".into(),
            },
        ],
    );
}

#[test]
fn challenge_unknown_bearer_error() {
    check(
        &[r#"Bearer error="token_expired""#],
        &[("Bearer", None, &[("error", "token_expired")])],
        &[ChallengeProblem::UnknownError {
            error: "token_expired".into(),
        }],
    );
}

#[test]
fn challenge_garbage_instead_of_scheme() {
    check(
        &[r#""quoted", Basic realm="x""#],
        &[("Basic", None, &[("realm", "x")])],
        &[ChallengeProblem::InvalidScheme],
    );
}

#[test]
fn challenge_empty_field() {
    check(&[""], &[], &[ChallengeProblem::Empty]);
    check(&[" , "], &[], &[ChallengeProblem::Empty]);
}

// --- status semantics ------------------------------------------------------------------------

#[test]
fn challenge_insufficient_scope_on_401_belongs_to_403() {
    let parsed = parse_www_authenticate(&[
        r#"Bearer realm="api", error="insufficient_scope", scope="read:user""#,
    ]);
    let problems: Vec<_> = parsed
        .check_status(401)
        .into_iter()
        .map(|p| p.kind)
        .collect();
    assert_eq!(
        problems,
        [ChallengeProblem::ErrorWrongStatus {
            error: "insufficient_scope".into(),
            status: 401,
            expected: 403
        }]
    );
    assert!(parsed.check_status(403).is_empty());
}

#[test]
fn challenge_invalid_request_on_401_belongs_to_400() {
    let parsed = parse_www_authenticate(&[r#"Bearer error="invalid_request""#]);
    let problems: Vec<_> = parsed
        .check_status(401)
        .into_iter()
        .map(|p| p.kind)
        .collect();
    assert_eq!(
        problems,
        [ChallengeProblem::ErrorWrongStatus {
            error: "invalid_request".into(),
            status: 401,
            expected: 400
        }]
    );
}

#[test]
fn challenge_missing_on_401_and_407() {
    let none = parse_www_authenticate(&[]);
    assert_eq!(
        none.check_status(401)[0].kind,
        ChallengeProblem::MissingChallenge { status: 401 }
    );
    assert_eq!(
        none.check_status(407)[0].kind,
        ChallengeProblem::MissingChallenge { status: 407 }
    );
    assert!(none.check_status(403).is_empty());
    assert!(none.problems.is_empty());
}

#[test]
fn challenge_problems_read_as_sentences() {
    let parsed = parse_www_authenticate(&[r#"Basic; realm=my realm, Bearer error="x" a=b"#]);
    assert!(!parsed.problems.is_empty());
    for problem in &parsed.problems {
        let sentence = problem.to_string();
        assert!(sentence.ends_with('.'), "{sentence}");
    }
}

// --- Authentication-Info ----------------------------------------------------------------------

#[test]
fn authentication_info_params() {
    let (params, problems) = parse_auth_params(
        r#"qop=auth, rspauth="6629fae49393a05397450978507c4ef1", cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", nc=00000001"#,
    );
    let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["qop", "rspauth", "cnonce", "nc"]);
    assert!(problems.is_empty(), "{problems:?}");
    let (_, problems) = parse_auth_params("nextnonce, qop=auth");
    assert_eq!(problems.len(), 1);
}

#[test]
fn challenge_never_panics_on_odd_input() {
    for input in [
        "\"",
        "=",
        ",",
        "a=",
        "a=\"",
        "a b c",
        "Basic \"",
        "Basic realm=\"\\",
        "Basic ====",
        "Négociation x",
        "Bearer\u{0}",
        "Basic realm=\"é\", é=é",
        "A=B=C",
        "x ,=,",
        "\\",
    ] {
        let parsed = parse_www_authenticate(&[input]);
        for problem in &parsed.problems {
            let _ = problem.annotate(&parsed.value);
        }
        let _ = parsed.check_status(401);
        let _ = parse_auth_params(input);
    }
}
