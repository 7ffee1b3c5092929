//! Rule: the token inside the credentials — damaged, or a JWT whose claims refuse it at capture
//! time (expired, not yet valid, times in milliseconds, another audience, `alg: none`, an ID
//! token, bound to a DPoP key).

use super::{Case, Finding};
use crate::cause::CauseId;
use crate::infer::Confidence;
use crate::token::{DecodedToken, TokenFinding};

pub(super) fn rule(given: &Case) -> Vec<Finding> {
    let mut found = Vec::new();
    let (Some(_), Some(token)) = (given.sent, given.reading.token.as_ref()) else {
        return found;
    };
    let confidence = given.if_refused();
    if !token.problems.is_empty() {
        let problems = token.problems.iter().map(ToString::to_string).collect();
        found.push(Finding::with_reasons(
            CauseId::TokenMalformed,
            confidence,
            problems,
        ));
    }
    // An encrypted token (JWE) is for a recipient that holds the key: an API that validates JWTs
    // cannot read it. Auth0 issues one when the sign-in named no audience.
    if matches!(token.decoded, DecodedToken::Jwe { .. }) && given.refused() {
        found.push(Finding::new(
            CauseId::TokenWrongType,
            Confidence::Medium,
            "The token is encrypted (a JWE, five parts): an API that checks JWT signatures cannot read it. Identity providers issue one when the sign-in names no audience (Auth0 without audience=…); ask for an access token for this API.",
        ));
    }
    for finding in &token.findings {
        let cause = match finding {
            TokenFinding::Expired { .. } => CauseId::TokenExpired,
            TokenFinding::NotYetValid { .. } | TokenFinding::IssuedInFuture { .. } => {
                CauseId::TokenNotYetValid
            }
            TokenFinding::MillisecondTimestamp { .. } => CauseId::TokenExpInMilliseconds,
            TokenFinding::AudienceMismatch { .. } => CauseId::TokenAudienceMismatch,
            TokenFinding::AlgNone => CauseId::InvalidCredentials,
            TokenFinding::IdToken | TokenFinding::RefreshToken => CauseId::TokenWrongType,
            TokenFinding::DpopBound => CauseId::WrongScheme,
            TokenFinding::NoExpiry => continue,
        };
        found.push(Finding::new(cause, confidence, finding.to_string()));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{NOW, answered, found};
    use crate::cause::CauseId;
    use crate::infer::Confidence;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn jwt(claims: &str) -> String {
        let part = |json: &str| URL_SAFE_NO_PAD.encode(json);
        format!(
            "{}.{}.c2ln",
            part(r#"{"alg":"RS256","typ":"JWT"}"#),
            part(claims)
        )
    }

    #[test]
    fn the_claims_refuse_the_token() {
        for (claims, cause) in [
            (
                format!(r#"{{"exp":{}}}"#, NOW - 3600),
                CauseId::TokenExpired,
            ),
            (
                format!(r#"{{"exp":{},"nbf":{}}}"#, NOW + 7200, NOW + 3600),
                CauseId::TokenNotYetValid,
            ),
            (
                format!(r#"{{"exp":{}}}"#, (NOW + 3600) * 1000),
                CauseId::TokenExpInMilliseconds,
            ),
        ] {
            let bearer = format!("Bearer {}", jwt(&claims));
            let e = answered(&[("Authorization", bearer.as_str())], 401, &[]);
            assert_eq!(found(super::rule, &e), [cause], "{claims}");
        }
    }

    #[test]
    fn an_encrypted_token_is_not_for_the_api() {
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"dir","enc":"A256GCM"}"#);
        let bearer = format!("Bearer {header}..aXY.Y2lwaGVy.dGFn");
        let e = answered(&[("Authorization", bearer.as_str())], 401, &[]);
        assert_eq!(found(super::rule, &e), [CauseId::TokenWrongType]);
        // Accepted, it is no finding.
        let e = answered(&[("Authorization", bearer.as_str())], 200, &[]);
        assert!(found(super::rule, &e).is_empty());
    }

    #[test]
    fn a_cut_token_is_damaged_and_surer_when_refused() {
        // Two of its three parts: cut where the signature began.
        let cut = format!(
            "Bearer {}",
            jwt(r#"{"exp":1}"#)
                .rsplit_once('.')
                .map_or("", |(kept, _)| kept)
        );
        let refused = answered(&[("Authorization", cut.as_str())], 401, &[]);
        assert_eq!(
            found(super::rule, &refused).first(),
            Some(&CauseId::TokenMalformed)
        );
        let d = super::super::diagnose(&refused);
        let given = super::super::Case::new(&refused, &d.reading, &d.cookies, &d.calling_page);
        assert_eq!(super::rule(&given)[0].confidence, Confidence::High);
    }
}
