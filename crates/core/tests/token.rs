use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use why401_core::token::{
    DecodedToken, Jwt, TokenFinding, TokenProblem, decode_token, human_duration,
};

const NOW: i64 = 1_764_000_000;
const SKEW: i64 = 60;

fn jwt(header: &str, claims: &str) -> String {
    format!(
        "{}.{}.c2lnbmF0dXJl",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(claims)
    )
}

#[track_caller]
fn decoded(token: &str) -> Jwt {
    match decode_token(token) {
        (DecodedToken::Jws(jwt), problems) if problems.is_empty() => jwt,
        other => panic!("{token}: {other:?}"),
    }
}

#[track_caller]
fn findings(claims: &str, audience: Option<&str>) -> Vec<TokenFinding> {
    decoded(&jwt(r#"{"alg":"RS256","typ":"at+jwt"}"#, claims)).check(NOW, SKEW, audience)
}

#[test]
fn token_jwt_io_example_decodes() {
    let jwt = decoded(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    );
    assert_eq!(jwt.alg().as_deref(), Some("HS256"));
    assert_eq!(jwt.typ().as_deref(), Some("JWT"));
    assert_eq!(jwt.claim_str("sub").as_deref(), Some("1234567890"));
    assert_eq!(jwt.iat().map(|d| d.seconds), Some(1_516_239_022));
    assert_eq!(jwt.signature_len, 43);
    assert_eq!(jwt.check(NOW, SKEW, None), [TokenFinding::NoExpiry]);
}

#[test]
fn token_valid_one_has_no_findings() {
    let claims = format!(
        r#"{{"iss":"https://id.example.com/","aud":["api","other"],"exp":{},"iat":{},"nbf":{}}}"#,
        NOW + 600,
        NOW - 60,
        NOW - 60
    );
    assert_eq!(findings(&claims, Some("api")), []);
}

#[test]
fn token_expired_three_hours_ago() {
    let claims = format!(r#"{{"exp":{}}}"#, NOW - 3 * 3600);
    let found = findings(&claims, None);
    assert_eq!(
        found,
        [TokenFinding::Expired {
            seconds_ago: 10_800
        }]
    );
    assert_eq!(found[0].to_string(), "The token expired 3 h ago.");
}

#[test]
fn token_expiry_within_skew_is_not_expired() {
    let claims = format!(r#"{{"exp":{}}}"#, NOW - 30);
    assert_eq!(findings(&claims, None), []);
}

#[test]
fn token_not_yet_valid_and_issued_in_future() {
    let claims = format!(
        r#"{{"exp":{},"nbf":{},"iat":{}}}"#,
        NOW + 7200,
        NOW + 600,
        NOW + 600
    );
    assert_eq!(
        findings(&claims, None),
        [
            TokenFinding::NotYetValid { seconds_ahead: 600 },
            TokenFinding::IssuedInFuture { seconds_ahead: 600 }
        ]
    );
}

#[test]
fn token_exp_in_milliseconds() {
    let claims = format!(r#"{{"exp":{}}}"#, (NOW + 600) * 1000);
    let jwt = decoded(&jwt(r#"{"alg":"HS256"}"#, &claims));
    let exp = jwt.exp().unwrap();
    assert!(exp.milliseconds);
    assert_eq!(exp.seconds, NOW + 600);
    assert_eq!(
        jwt.check(NOW, SKEW, None),
        [TokenFinding::MillisecondTimestamp { claim: "exp" }]
    );
}

#[test]
fn token_alg_none_is_flagged() {
    let token = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
        URL_SAFE_NO_PAD.encode(format!(r#"{{"exp":{}}}"#, NOW + 60))
    );
    let jwt = decoded(&token);
    assert_eq!(jwt.signature_len, 0);
    assert_eq!(jwt.check(NOW, SKEW, None), [TokenFinding::AlgNone]);
}

#[test]
fn token_audience_mismatch() {
    let claims = format!(
        r#"{{"exp":{},"aud":"https://graph.microsoft.com"}}"#,
        NOW + 60
    );
    assert_eq!(
        findings(&claims, Some("api://my-api")),
        [TokenFinding::AudienceMismatch {
            expected: "api://my-api".into(),
            audience: vec!["https://graph.microsoft.com".into()]
        }]
    );
}

#[test]
fn token_scopes_from_scope_and_scp() {
    // Auth0/Keycloak style, Azure AD v1 style, Okta style.
    let a = decoded(&jwt(
        r#"{"alg":"RS256"}"#,
        r#"{"scope":"openid profile read:messages"}"#,
    ));
    assert_eq!(a.scopes(), ["openid", "profile", "read:messages"]);
    let b = decoded(&jwt(
        r#"{"alg":"RS256"}"#,
        r#"{"scp":"User.Read Mail.Read"}"#,
    ));
    assert_eq!(b.scopes(), ["User.Read", "Mail.Read"]);
    let c = decoded(&jwt(r#"{"alg":"RS256"}"#, r#"{"scp":["openid","email"]}"#));
    assert_eq!(c.scopes(), ["openid", "email"]);
}

#[test]
fn token_id_token_and_dpop_binding() {
    let claims = format!(
        r#"{{"exp":{},"nonce":"n-0S6_WzA2Mj","cnf":{{"jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}}}}"#,
        NOW + 60
    );
    let jwt = decoded(&jwt(r#"{"alg":"ES256"}"#, &claims));
    assert_eq!(
        jwt.dpop_thumbprint().as_deref(),
        Some("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I")
    );
    assert_eq!(
        jwt.check(NOW, SKEW, None),
        [TokenFinding::IdToken, TokenFinding::DpopBound]
    );
}

#[test]
fn token_type_claims_name_id_and_refresh_tokens() {
    for (claims, finding) in [
        // Keycloak writes typ; Amazon Cognito writes token_use.
        (r#"{"typ":"ID","azp":"web"}"#, TokenFinding::IdToken),
        (r#"{"token_use":"id"}"#, TokenFinding::IdToken),
        (r#"{"typ":"Refresh"}"#, TokenFinding::RefreshToken),
        (r#"{"token_use":"refresh"}"#, TokenFinding::RefreshToken),
    ] {
        let jwt = decoded(&jwt(r#"{"alg":"RS256"}"#, claims));
        assert!(jwt.check(NOW, SKEW, None).contains(&finding), "{claims}");
    }
    // An access token says so, or nothing: no finding.
    for claims in [r#"{"typ":"Bearer"}"#, r#"{"token_use":"access"}"#] {
        let jwt = decoded(&jwt(r#"{"alg":"RS256"}"#, claims));
        let found = jwt.check(NOW, SKEW, None);
        assert!(
            !found.contains(&TokenFinding::IdToken) && !found.contains(&TokenFinding::RefreshToken),
            "{claims}"
        );
    }
}

#[test]
fn token_jwe_is_recognised() {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"RSA-OAEP","enc":"A256GCM"}"#);
    let (token, problems) = decode_token(&format!("{header}.a.b.c.d"));
    assert!(problems.is_empty());
    let DecodedToken::Jwe {
        header: Some(header),
    } = token
    else {
        panic!("{token:?}")
    };
    assert_eq!(header.get("enc").and_then(|v| v.as_str()), Some("A256GCM"));
}

#[test]
fn token_opaque_ones_are_not_jwts() {
    for token in [
        "gho_16C7e42F292c6912E7710c838347Ae178B4a",
        "mF_9.B5f-4.1JqM",
        "2YotnFZFEjr1zCsicMWpAA",
    ] {
        assert_eq!(
            decode_token(token),
            (DecodedToken::Opaque, vec![]),
            "{token}"
        );
    }
}

#[test]
fn token_cut_short() {
    let token = jwt(r#"{"alg":"RS256"}"#, r#"{"exp":1}"#);
    let cut = token.rsplit_once('.').unwrap().0;
    let (_, problems) = decode_token(&format!("{cut}.x.y"));
    assert_eq!(problems, [TokenProblem::WrongPartCount { parts: 4 }]);
}

#[test]
fn token_part_problems() {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#);
    // Standard base64 with '+' in the claims: {"sub":"??>"}
    let claims = STANDARD_NO_PAD.encode(r#"{"sub":"a?>?"}"#);
    assert!(claims.contains('+') || claims.contains('/'), "{claims}");
    let (_, problems) = decode_token(&format!("{header}.{claims}.sig"));
    assert_eq!(problems, [TokenProblem::StandardBase64 { part: "claims" }]);
    let (_, problems) = decode_token(&format!(
        "{header}.{}.sig",
        URL_SAFE_NO_PAD.encode("not json")
    ));
    assert_eq!(problems, [TokenProblem::NotJson { part: "claims" }]);
    let (_, problems) = decode_token(&format!("{header}.{}.sig", URL_SAFE_NO_PAD.encode("[1]")));
    assert_eq!(problems, [TokenProblem::NotObject { part: "claims" }]);
    let (_, problems) = decode_token(&format!("{header}..sig"));
    assert_eq!(problems, [TokenProblem::EmptyPart { part: "claims" }]);
    let (_, problems) = decode_token(&format!("{header}.eyJ!!.sig"));
    assert_eq!(problems, [TokenProblem::NotBase64Url { part: "claims" }]);
}

#[test]
fn token_claim_types() {
    let (_, problems) = decode_token(&jwt(
        r#"{"alg":"RS256"}"#,
        r#"{"exp":"1700000000","aud":[1],"iss":5}"#,
    ));
    assert_eq!(
        problems,
        [
            TokenProblem::ClaimType {
                claim: "exp",
                expected: "a number of seconds since 1970"
            },
            TokenProblem::ClaimType {
                claim: "iss",
                expected: "a string"
            },
            TokenProblem::ClaimType {
                claim: "aud",
                expected: "a string or an array of strings"
            },
        ]
    );
}

#[test]
fn token_human_durations() {
    assert_eq!(human_duration(45), "45 s");
    assert_eq!(human_duration(600), "10 min");
    assert_eq!(human_duration(-7200), "2 h");
    assert_eq!(human_duration(3 * 86_400), "3 days");
}

#[test]
fn token_never_panics_on_odd_input() {
    for token in [
        "",
        ".",
        "..",
        "eyJ",
        "eyJ.eyJ.",
        "eyJ.eyJ.eyJ.eyJ.eyJ",
        "eyJhbGciOiJub25lIn0.eyJleHAiOjFlMzA4fQ.",
        "eyJ\u{0}.é.x",
    ] {
        let (decoded, _) = decode_token(token);
        if let DecodedToken::Jws(jwt) = decoded {
            let _ = jwt.check(i64::MAX, i64::MAX, Some("x"));
            let _ = jwt.check(i64::MIN, 0, None);
        }
    }
}
