//! Rule: the credentials the user's request carried — an `Authorization` value that breaks its
//! scheme's syntax, or none, on a request that relies on cookies which are third-party from here.

use super::{Case, Finding};
use crate::cause::CauseId;
use crate::cors::CredentialsMode;
use crate::header::CredentialsProblem;
use crate::infer::Confidence;
use crate::target::AddressClass;

pub(super) fn rule(given: &Case) -> Vec<Finding> {
    let mut found = Vec::new();
    if given.sent.is_none() {
        return found;
    }
    let evidence = given.evidence;
    let credentials = given.reading.credentials.as_ref();
    if evidence.request.credentials == CredentialsMode::Include
        && given.refused()
        && !given.reading.sent_credentials()
        && evidence.context.target_address != AddressClass::Loopback
    {
        found.push(Finding::new(
            CauseId::CookieNotSentThirdParty,
            Confidence::Low,
            "The request relies on cookies, and from this page they are third-party: SameSite=Lax/Strict cookies stay behind, and third-party cookie blocking drops the rest.",
        ));
    }
    found.extend(wrong_place(given));
    let Some(credentials) = credentials else {
        return found;
    };
    let malformed: Vec<String> = credentials
        .problems
        .iter()
        // A scheme the server did not offer is its own cause; an unregistered scheme (`SSWS`,
        // `Token`) or a scheme's case is legal, and only a note.
        .filter(|p| {
            !matches!(
                p.kind,
                CredentialsProblem::SchemeNotOffered { .. }
                    | CredentialsProblem::NonStandardScheme { .. }
                    | CredentialsProblem::SchemeCase { .. }
            )
        })
        .map(|p| p.kind.to_string())
        .collect();
    if !malformed.is_empty() {
        found.push(Finding::with_reasons(
            CauseId::MalformedCredentials,
            given.if_refused(),
            malformed,
        ));
    }
    found
}

/// Header names that are not `Authorization` but are sent in its place.
const NOT_AUTHORIZATION: &[&str] = &[
    "authentication",
    "authorisation",
    "authorizaton",
    "autorization",
    "bearer",
];

/// Credentials where the server does not read them: in a header that is not `Authorization`
/// (a misspelling, `Authentication`), or with a scheme in a header that takes a bare key.
fn wrong_place(given: &Case) -> Option<Finding> {
    let sent = given.sent?;
    let (name, value) = sent.headers.iter().find(|(name, value)| {
        let name = name.to_ascii_lowercase();
        let value = value.trim_start().to_ascii_lowercase();
        let schemed = ["bearer ", "basic ", "token "]
            .iter()
            .any(|s| value.starts_with(s));
        NOT_AUTHORIZATION.contains(&name.as_str())
            || (schemed && name != "authorization" && name != "proxy-authorization")
    })?;
    let scheme = value.split_whitespace().next().unwrap_or_default();
    Some(Finding::new(
        CauseId::CredentialsInWrongPlace,
        given.if_refused(),
        if NOT_AUTHORIZATION.contains(&name.to_ascii_lowercase().as_str()) {
            format!(
                "The credentials ride in a header named {name}: servers read them from Authorization."
            )
        } else {
            format!(
                "{name} carries “{scheme} …”: a scheme belongs in Authorization; a key header takes the key alone."
            )
        },
    ))
}

/// No `Authorization` on a refused request: only cookies could have said who is asking — unless
/// the exchange comes from a file saved without its credentials, which cannot tell.
pub(super) fn missing(given: &Case) -> Finding {
    let evidence = given.evidence;
    if given
        .reading
        .pasted()
        .is_some_and(|p| p.credentials_removed)
    {
        return Finding::new(
            CauseId::MissingCredentials,
            Confidence::Low,
            "The HAR file was saved without credentials (sanitized), so it cannot show whether Authorization or cookies were sent. Save it again with sensitive data, or look at this request's headers in DevTools.",
        );
    }
    let cookies = evidence.request.credentials == CredentialsMode::Include;
    let mut finding = Finding::new(
        CauseId::MissingCredentials,
        Confidence::High.lowered_if(cookies),
        if cookies {
            "The request carried no Authorization header; only cookies could have identified you."
        } else {
            "The request carried no Authorization header and no cookies: the server has nothing to identify you by."
        },
    );
    if cookies && evidence.context.target_address != AddressClass::Loopback {
        finding.because.push(
            "From this page your cookies for the API are third-party cookies: SameSite=Lax or Strict ones are never sent, and browsers that block third-party cookies send none.".to_owned(),
        );
    }
    finding
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{answered, evidence, found};
    use crate::cause::CauseId;
    use crate::cors::CredentialsMode;

    #[test]
    fn a_placeholder_or_a_quoted_token_is_malformed() {
        for value in ["Bearer undefined", "Bearer \"abc\"", "Bearer  abc"] {
            let e = answered(&[("Authorization", value)], 401, &[]);
            assert_eq!(
                found(super::rule, &e),
                [CauseId::MalformedCredentials],
                "{value}"
            );
        }
        let e = answered(&[("Authorization", "Bearer abc")], 401, &[]);
        assert!(found(super::rule, &e).is_empty());
    }

    #[test]
    fn credentials_in_another_header_are_in_the_wrong_place() {
        for headers in [
            [("Authentication", "Bearer abc")],
            [("Authorisation", "Basic dXNlcjpwdw==")],
            [("X-API-Key", "Bearer abc")],
        ] {
            let e = answered(&headers, 401, &[]);
            assert_eq!(
                found(super::rule, &e),
                [CauseId::CredentialsInWrongPlace],
                "{headers:?}"
            );
        }
        for headers in [[("X-API-Key", "abc")], [("Authorization", "Bearer abc")]] {
            let e = answered(&headers, 401, &[]);
            assert!(found(super::rule, &e).is_empty(), "{headers:?}");
        }
    }

    #[test]
    fn cookies_from_another_site_may_stay_behind() {
        let e = evidence(&[], CredentialsMode::Include, 401, &[], "");
        assert_eq!(found(super::rule, &e), [CauseId::CookieNotSentThirdParty]);
        let e = evidence(&[], CredentialsMode::Include, 200, &[], "");
        assert!(found(super::rule, &e).is_empty());
    }
}
