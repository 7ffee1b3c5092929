//! Rule: what the server said in words. Real APIs name the reason in their error bodies (OAuth
//! `error` codes, vendors' JSON and XML error codes, sentences) more often than in a challenge.
//! The vocabulary is data: one row per signal, each with the public recording it was read from,
//! so that a new vendor is one row.

use super::{Case, Finding};
use crate::cause::CauseId;
use crate::infer::Confidence;

/// Whether a row applies to any request, or only to one without credentials. (Words such as
/// "Bad credentials" say themselves that some were sent, even where a recorder or a proxy hid
/// them.)
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sent {
    Either,
    Without,
}

/// One signal: words an error body (or, with `header`, that response header) holds — lower
/// case, any of them —, the cause they name, and where a real server was recorded saying them.
struct Said {
    header: Option<&'static str>,
    words: &'static [&'static str],
    cause: CauseId,
    sent: Sent,
    /// Where a real server was recorded saying it, for whoever checks or adds a row (kept out of
    /// the page's bundle).
    #[cfg(test)]
    source: &'static str,
}

#[rustfmt::skip]
const SAID: &[Said] = &[
    Said { header: None, words: &["expired_access_token", "access token expired", "token has expired", "token is expired", "jwt expired", "representing the future time"], cause: CauseId::TokenExpired, sent: Sent::Either,
           #[cfg(test)] source: "Dropbox: github.com/Jesus/dropbox_api spec/fixtures/vcr_cassettes/client/raise_on_401.yml; Spotify: github.com/guilhermesad/rspotify; GitHub App JWT: PyGithub tests/ReplayData/GithubIntegration.testGetAccessTokenWithExpiredJWT.txt" },
    Said { header: None, words: &["bad credentials", "invalid api key", "incorrect api key", "invalid_api_key", "api token is invalid", "api key provided is not valid", "security token included in the request is invalid", "invalid_access_token", "accesstokeninvalid", "access token you sent could not be found", "invalid_grant"], cause: CauseId::InvalidCredentials, sent: Sent::Either,
           #[cfg(test)] source: "GitHub: PyGithub tests/ReplayData/Exceptions.testBadAuthentication.txt; OpenAI: crewAI cassettes; Notion: notion-sdk-py; Contentful: contentful.rb; Auth0: go-auth0 recordings; IEX Cloud: github.com/dblock/iex-ruby-client spec/fixtures/iex/client/access_denied.yml; Amazon Bedrock: github.com/crmne/ruby_llm vcr_cassettes" },
    Said { header: None, words: &["token you have provided is invalid", "invalid token", "access token invalid", "unable to authenticate you", "authentication failure", "api key not found", "application key is invalid", "invalid_key", "invalid signature in request credentials", "invalid client secret"], cause: CauseId::InvalidCredentials, sent: Sent::Either,
           #[cfg(test)] source: "Hetzner, OVH: dns-lexicon cassettes (test_provider_authenticate_with_unmanaged_domain_should_fail); Linode: linodego TestReservedIPAddresses_InsufficientPermissions.yaml; DigitalOcean: openapi shared/responses/unauthorized.yml; Intercom: Intercom-OpenAPI 2.11; OneLogin, Duo, DigiCert, runZero: JupiterOne graph-* recordings; Azure AD: graph-azure authenticate-invalid" },
    Said { header: None, words: &["signaturedoesnotmatch", "invalidaccesskeyid"], cause: CauseId::InvalidCredentials, sent: Sent::Either,
           #[cfg(test)] source: "AWS S3 and Google Cloud Storage: google/go-cloud blob/*/testdata/TestConformance/TestSignedURL.replay" },
    Said { header: None, words: &["insufficient_scope", "insufficient scope", "authorizationpermissionmismatch", "authorizationservicemismatch", "authorizationresourcetypemismatch", "authorization_requestdenied", "insufficient privileges", "insufficient permissions", "does not have required msgraph permissions"], cause: CauseId::InsufficientScope, sent: Sent::Either,
           #[cfg(test)] source: "Azure Storage: google/go-cloud blob/azureblob TestSignedURL.replay, azure-sdk-for-js storage-queue recordings; Microsoft Graph: JupiterOne/graph-azure recordings; Scaleway: scaleway-cli testdata cassettes; Tenable.io: github.com/tenable/pyTenable tests/io/cassettes/test_list_scanners_permissionerror.yaml" },
    Said { header: None, words: &[r#"{"code":10000,"message":"authentication error"}"#, r#"{"code": 10000, "message": "authentication error"}"#], cause: CauseId::InsufficientScope, sent: Sent::Either,
           #[cfg(test)] source: "Cloudflare API v4 (code 10000, undocumented): the maintainer of cloudflare/terraform-provider-cloudflare, github.com/cloudflare/terraform-provider-cloudflare/issues/1533 (“likely an issue with your token permissions”); recorded in github.com/JupiterOne/graph-cloudflare src/steps/fetch-accounts/__tests__/__recordings__" },
    Said { header: None, words: &["resource not accessible by integration", "resource not accessible by personal access token"], cause: CauseId::InsufficientScope, sent: Sent::Either,
           #[cfg(test)] source: "GitHub (a GitHub App installation without the permission): github.com/sigmavirus24/github3.py tests/cassettes/CheckApp_create_check_run.json" },
    Said { header: Some("x-ms-error-code"), words: &["authorizationpermissionmismatch", "authorizationservicemismatch", "authorizationresourcetypemismatch"], cause: CauseId::InsufficientScope, sent: Sent::Either,
           #[cfg(test)] source: "Azure Storage: azure-sdk-for-js storage-queue recordings, google/go-cloud blob/azureblob TestSignedURL.replay" },
    Said { header: Some("x-seraph-loginreason"), words: &["authenticated_failed", "authentication_denied"], cause: CauseId::InvalidCredentials, sent: Sent::Either,
           #[cfg(test)] source: "Jira Server: JupiterOne/graph-jira recordings" },
    Said { header: Some("x-bamboohr-error-message"), words: &["not provided or invalid"], cause: CauseId::InvalidCredentials, sent: Sent::Either,
           #[cfg(test)] source: "BambooHR: JupiterOne/graph-bamboohr recordings" },
    Said { header: None, words: &["revoked", "取り消されています"], cause: CauseId::TokenRevoked, sent: Sent::Either,
           #[cfg(test)] source: "Mastodon (Doorkeeper, in Japanese): github.com/halcy/Mastodon.py tests/cassettes_pre_4_4_0/test_zzz_revoke.yaml" },
    Said { header: None, words: &["access_token_type_unsupported"], cause: CauseId::TokenWrongType, sent: Sent::Either,
           #[cfg(test)] source: "Google Cloud: github.com/JupiterOne/graph-google-cloud src/steps/compute/__recordings__/fetchComputeAddresses_1346663512/recording.har" },
    Said { header: None, words: &["api keys are not supported by this api", "basic authentication with passwords is deprecated"], cause: CauseId::KeyWrongKind, sent: Sent::Either,
           #[cfg(test)] source: "Google Vertex AI: github.com/crewAIInc/crewAI tests/cassettes/rag/embeddings/test_crew_memory_with_google_vertex_embedder.yaml; Jira Cloud: github.com/JupiterOne/graph-jira validateInvocationCloudInvalidPassword recording.har" },
    Said { header: None, words: &["compacttoken parsing failed", "idx14100", "jwt is not well formed"], cause: CauseId::TokenMalformed, sent: Sent::Either,
           #[cfg(test)] source: "Microsoft Graph: github.com/JupiterOne/graph-azure src/azure/graph/__recordings__/refresh-access-token_2395700497/recording.har" },
    Said { header: None, words: &["failed to issue access token", "denied_authentication", "authentication failed", "failed to authenticate"], cause: CauseId::InvalidCredentials, sent: Sent::Either,
           #[cfg(test)] source: "CrowdStrike: github.com/JupiterOne/graph-crowdstrike authenticateError recording.har; Scaleway: github.com/scaleway/scaleway-cli cmd/scw/testdata/test-all-usage-jobs-run-wait-usage.cassette.yaml; Azure ACS (ACS50012): github.com/Azure/azure-sdk-for-node test/recordings/servicebusservice-tests.nock.js; Okta (E0000004): github.com/okta/okta-sdk-python tests/integration/cassettes/test_sessions_it; GBIF: github.com/ropensci/rgbif tests/fixtures/occ_download_list_unauthorized.yml" },
    Said { header: None, words: &["token length 0"], cause: CauseId::MalformedCredentials, sent: Sent::Either,
           #[cfg(test)] source: "runZero (an empty export token): github.com/JupiterOne/graph-rumble src/__recordings__/validateInvocationAuthFailureExportToken_3812895222/recording.har" },
    Said { header: Some("x-access-level"), words: &["read"], cause: CauseId::ForbiddenNotUnauthorized, sent: Sent::Either,
           #[cfg(test)] source: "Twitter API v1.1 (the token's access level, sent once it is accepted): github.com/ropensci/rtweet tests/fixtures/friends8.json" },
    Said { header: None, words: &["e0000015"], cause: CauseId::ForbiddenNotUnauthorized, sent: Sent::Either,
           #[cfg(test)] source: "Okta (a feature the org lacks): github.com/okta/terraform-provider-okta test/fixtures/vcr/idaas/TestAccResourceOktaAuthServerDefault_crud/classic-00.yaml" },
    Said { header: None, words: &["invalid token issuer", "idx10205", "invalid issuer"], cause: CauseId::TokenIssuerMismatch, sent: Sent::Either,
           #[cfg(test)] source: "Keycloak: github.com/keycloak/keycloak core/src/main/java/org/keycloak/TokenVerifier.java (“Invalid token issuer. Expected …”); Microsoft identity (IDX10205: Issuer validation failed): learn.microsoft.com/entra/identity-platform/reference-error-codes" },
    Said { header: Some("www-authenticate"), words: &["invalid token issuer", "idx10205", "invalid issuer"], cause: CauseId::TokenIssuerMismatch, sent: Sent::Either,
           #[cfg(test)] source: "Keycloak-protected APIs (error_description in the challenge): github.com/keycloak/keycloak TokenVerifier.java" },
    Said { header: None, words: &["requesttimetooskewed", "request has expired", "signature not valid in the specified time frame", "signature expired"], cause: CauseId::SignedRequestExpired, sent: Sent::Either,
           #[cfg(test)] source: "AWS S3 error codes (RequestTimeTooSkewed, AccessDenied “Request has expired”): docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html; Azure Storage SAS: learn.microsoft.com/rest/api/storageservices/create-service-sas" },
    Said { header: Some("x-amzn-errortype"), words: &["missingauthenticationtoken"], cause: CauseId::GatewayRouteNotFound, sent: Sent::Either,
           #[cfg(test)] source: "AWS API Gateway: repost.aws/knowledge-center/api-gateway-403-custom-domain (403 “Missing Authentication Token” for a path with no route)" },
    Said { header: None, words: &["missing authentication token"], cause: CauseId::GatewayRouteNotFound, sent: Sent::Either,
           #[cfg(test)] source: "AWS API Gateway: repost.aws/knowledge-center/api-gateway-403-custom-domain" },
    Said { header: Some("cf-mitigated"), words: &["challenge"], cause: CauseId::WafChallenge, sent: Sent::Either,
           #[cfg(test)] source: "Cloudflare: developers.cloudflare.com/cloudflare-challenges/challenge-types/challenge-pages/detect-response" },
    Said { header: Some("x-amzn-waf-action"), words: &["challenge", "captcha", "block"], cause: CauseId::WafChallenge, sent: Sent::Either,
           #[cfg(test)] source: "AWS WAF: docs.aws.amazon.com/waf/latest/developerguide/waf-captcha-and-challenge.html (x-amzn-waf-action)" },
    Said { header: None, words: &["<title>just a moment...</title>", "attention required! | cloudflare", "/cdn-cgi/challenge-platform/"], cause: CauseId::WafChallenge, sent: Sent::Either,
           #[cfg(test)] source: "Cloudflare challenge page: developers.cloudflare.com/cloudflare-challenges/challenge-types/challenge-pages/" },
    Said { header: None, words: &["api key required"], cause: CauseId::MissingCredentials, sent: Sent::Without,
           #[cfg(test)] source: "Datadog: github.com/DataDog/datadog-api-client-python tests/v1/cassettes/test_scenarios/test_validate_api_key_returns_forbidden_response.yaml" },
    Said { header: None, words: &["not logged in"], cause: CauseId::MissingCredentials, sent: Sent::Either,
           #[cfg(test)] source: "Cuenca (an API key sent, no user's login): github.com/cuenca-mx/cuenca-python tests/http/cassettes/test_no_session.yaml" },
    Said { header: Some("x-amzn-errortype"), words: &["unrecognizedclientexception", "invalidsignatureexception", "invalidclienttokenid"], cause: CauseId::InvalidCredentials, sent: Sent::Either,
           #[cfg(test)] source: "Amazon Bedrock: github.com/crmne/ruby_llm spec/fixtures/vcr_cassettes/chat_error_handling_with_bedrock_amazon_nova-2-lite-v1_0_raises_appropriate_auth_error.yml; AWS common errors: docs.aws.amazon.com/bedrock/latest/APIReference/CommonErrors.html" },
    Said { header: Some("reason-phrase"), words: &["jwt strings must contain exactly 2 period characters"], cause: CauseId::TokenMalformed, sent: Sent::Either,
           #[cfg(test)] source: "Botmaker: github.com/cuenca-mx/botmaker-python tests/cassettes/test_invalid_auth.yaml" },
    Said { header: None, words: &["anonymous caller", "anonymous users"], cause: CauseId::MissingCredentials, sent: Sent::Without,
           #[cfg(test)] source: "Google Cloud Storage: google/go-cloud blob/gcsblob TestSignedURL.replay" },
    Said { header: None, words: &["max number of login attempt"], cause: CauseId::RateLimited, sent: Sent::Either,
           #[cfg(test)] source: "GitHub: PyGithub tests/ReplayData/Authentication.testAuthorizationHeaderWithToken.txt" },
    Said { header: None, words: &["user agent string", "user-agent required"], cause: CauseId::MissingRequiredHeader, sent: Sent::Either,
           #[cfg(test)] source: "GitHub: PyGithub tests/ReplayData (testBadUserAgent)" },
];

pub(super) fn rule(given: &Case) -> Vec<Finding> {
    given.said().to_vec()
}

/// The rows the answer matches, each a finding quoting the words (once per cause).
pub(super) fn read(given: &Case) -> Vec<Finding> {
    let (Some(_), Some(seen)) = (given.sent, given.full) else {
        return Vec::new();
    };
    // The refusals, and the statuses a firewall's challenge comes with.
    if !matches!(seen.status, 401 | 403 | 407 | 429 | 503) {
        return Vec::new();
    }
    // The same bytes as written: lower-casing ASCII keeps every position.
    let body = (
        given.reading.body_lower.as_str(),
        seen.body_excerpt.as_deref().unwrap_or_default(),
    );
    let sent = given.reading.sent_credentials();
    let mut found: Vec<Finding> = Vec::new();
    for said in SAID {
        if said.sent == Sent::Without && sent {
            continue;
        }
        let lower_field;
        let (lower, written) = match said.header {
            None => body,
            Some(name) => {
                let Some(field) = seen.header(name) else {
                    continue;
                };
                lower_field = field.to_ascii_lowercase();
                (lower_field.as_str(), field)
            }
        };
        let Some(at) = said
            .words
            .iter()
            .find_map(|w| lower.find(w).map(|at| at..at + w.len()))
        else {
            continue;
        };
        if found.iter().any(|f| f.cause == said.cause) {
            continue;
        }
        let mut finding = Finding::new(
            said.cause,
            Confidence::High,
            format!(
                "The {} answer{} says “{}”: {}",
                seen.status,
                said.header.map(|h| format!("'s {h}")).unwrap_or_default(),
                written.get(at).unwrap_or_default(),
                said.cause.summary()
            ),
        );
        if sent && said.cause == CauseId::MissingCredentials {
            finding.because.push("The request carried a credential, yet the server says no one is signed in: it wants a user's sign-in (a session, or a user's token) besides or instead of the one sent.".to_owned());
        }
        let credential_cause = matches!(
            said.cause.family(),
            crate::cause::Family::Credentials | crate::cause::Family::Tokens
        );
        if !sent && credential_cause && said.cause != CauseId::MissingCredentials {
            let cookies =
                given.evidence.request.credentials == crate::cors::CredentialsMode::Include;
            if given.own.is_some() && !cookies {
                // This page sent the request itself, with nothing that identifies anyone:
                // whatever the words, sending credentials comes first.
                finding.confidence = Confidence::Medium;
                finding.because.push("This page sent the request with no credential at all, so these words cannot be about yours: send it first.".to_owned());
            } else {
                finding.because.push("The request as shown carries no credential, yet these words say the server read one: a recorder or a copy may have left it out. If yours really carries none, send it first.".to_owned());
            }
        }
        found.push(finding);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{evidence, found};
    use super::SAID;
    use crate::cause::CauseId;
    use crate::cors::CredentialsMode;

    const BEARER: [(&str, &str); 1] = [("Authorization", "Bearer abc")];

    #[test]
    fn every_row_names_its_source() {
        for said in SAID {
            assert!(
                !said.words.is_empty() && said.source.contains(':'),
                "{}",
                said.cause
            );
            assert!(said.words.iter().all(|w| *w == w.to_ascii_lowercase()));
        }
    }

    #[test]
    fn what_the_body_says_names_the_cause() {
        for (status, body, cause) in [
            (
                401,
                r#"{"message":"Bad credentials"}"#,
                CauseId::InvalidCredentials,
            ),
            (
                401,
                r#"{"error_summary": "expired_access_token/"}"#,
                CauseId::TokenExpired,
            ),
            (
                403,
                "<Error><Code>AuthorizationPermissionMismatch</Code></Error>",
                CauseId::InsufficientScope,
            ),
            (
                403,
                "<Error><Code>SignatureDoesNotMatch</Code></Error>",
                CauseId::InvalidCredentials,
            ),
            (
                401,
                r#"{"error":"The access token was revoked"}"#,
                CauseId::TokenRevoked,
            ),
            (
                401,
                "IDX10205: Issuer validation failed. Issuer: 'https://sts.windows.net/a/'.",
                CauseId::TokenIssuerMismatch,
            ),
            (
                401,
                r#"{"error":{"details":[{"reason":"ACCESS_TOKEN_TYPE_UNSUPPORTED"}]}}"#,
                CauseId::TokenWrongType,
            ),
            (
                401,
                r#"{"error":{"message":"API keys are not supported by this API."}}"#,
                CauseId::KeyWrongKind,
            ),
            (
                401,
                r#"{"error":{"code":"InvalidAuthenticationToken","message":"CompactToken parsing failed with error code: 80049217"}}"#,
                CauseId::TokenMalformed,
            ),
            (
                403,
                r#"{"success":false,"errors":[{"code":10000,"message":"Authentication error"}]}"#,
                CauseId::InsufficientScope,
            ),
            (
                401,
                r#"{"code":103,"error":"User not logged in"}"#,
                CauseId::MissingCredentials,
            ),
        ] {
            let e = evidence(&BEARER, CredentialsMode::SameOrigin, status, &[], body);
            assert_eq!(found(super::rule, &e), [cause], "{body}");
        }
    }

    #[test]
    fn a_vendor_header_names_the_cause() {
        let e = evidence(
            &BEARER,
            CredentialsMode::SameOrigin,
            401,
            &[("x-seraph-loginreason", "AUTHENTICATED_FAILED")],
            "<html><title>Unauthorized (401)</title></html>",
        );
        assert_eq!(found(super::rule, &e), [CauseId::InvalidCredentials]);
        let d = super::super::diagnose(&e);
        let because = d
            .findings
            .first()
            .map(|f| f.because.join(" "))
            .unwrap_or_default();
        assert!(
            because.contains("x-seraph-loginreason says “AUTHENTICATED_FAILED”"),
            "{because}"
        );
    }

    #[test]
    fn a_firewall_or_a_gateway_speaks_for_itself() {
        for (status, header, body, cause) in [
            (
                403,
                ("cf-mitigated", "challenge"),
                "<!DOCTYPE html><html><head><title>Just a moment...</title>",
                CauseId::WafChallenge,
            ),
            (
                429,
                ("server", "cloudflare"),
                "<title>Just a moment...</title>",
                CauseId::WafChallenge,
            ),
            (
                405,
                ("x-amzn-waf-action", "captcha"),
                "",
                CauseId::WafChallenge,
            ),
            (
                403,
                ("x-amzn-errortype", "MissingAuthenticationTokenException"),
                r#"{"message":"Missing Authentication Token"}"#,
                CauseId::GatewayRouteNotFound,
            ),
            (
                403,
                ("content-type", "application/xml"),
                "<Error><Code>RequestTimeTooSkewed</Code></Error>",
                CauseId::SignedRequestExpired,
            ),
        ] {
            let e = evidence(
                &BEARER,
                CredentialsMode::SameOrigin,
                status,
                &[header],
                body,
            );
            let expected: &[CauseId] = if status == 405 { &[] } else { &[cause] };
            assert_eq!(found(super::rule, &e), expected, "{body}");
        }
        let e = evidence(
            &[],
            CredentialsMode::SameOrigin,
            403,
            &[],
            r#"{"message":"Missing Authentication Token"}"#,
        );
        assert_eq!(
            super::super::diagnose(&e).top().map(|f| f.cause),
            Some(CauseId::GatewayRouteNotFound)
        );
    }

    #[test]
    fn words_about_a_credential_never_sent_come_after_sending_one() {
        let body = r#"{"message":"Bad credentials"}"#;
        // This page sent the request itself, with nothing that identifies anyone.
        let e = evidence(&[], CredentialsMode::SameOrigin, 401, &[], body);
        let d = super::super::diagnose(&e);
        assert_eq!(d.top().map(|f| f.cause), Some(CauseId::MissingCredentials));
        assert!(
            d.findings
                .iter()
                .any(|f| f.cause == CauseId::InvalidCredentials)
        );
        // An exchange pasted alone may have lost its header on the way: the words lead.
        let alone = crate::evidence::Evidence {
            probes: Vec::new(),
            pasted: Some(format!(
                "HTTP/1.1 401 Unauthorized\ncontent-type: application/json\n\n{body}"
            )),
            ..e
        };
        let d = super::super::diagnose(&alone);
        assert_eq!(
            d.top().map(|f| f.cause),
            Some(CauseId::InvalidCredentials),
            "{:?}",
            d.findings
        );
    }

    #[test]
    fn words_count_only_for_the_request_they_fit() {
        // "Anonymous caller" says nothing about a request that carried credentials.
        let said = "<Details>Anonymous caller does not have storage.objects.get access</Details>";
        let e = evidence(&BEARER, CredentialsMode::SameOrigin, 403, &[], said);
        assert!(found(super::rule, &e).is_empty());
        let e = evidence(&[], CredentialsMode::SameOrigin, 403, &[], said);
        assert_eq!(found(super::rule, &e), [CauseId::MissingCredentials]);
        // Nor does an answer that is not a refusal.
        let e = evidence(
            &BEARER,
            CredentialsMode::SameOrigin,
            200,
            &[],
            "bad credentials",
        );
        assert!(found(super::rule, &e).is_empty());
    }
}
