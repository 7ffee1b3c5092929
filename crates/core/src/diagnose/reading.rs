//! The evidence, read once: the paste parsed, the credentials, the token and its claims, the
//! challenge. Every rule, the explanation and the decoded panels take what they need from here;
//! nothing parses a header a second time.

use crate::cookie::parse_cookie_date;
use crate::evidence::{Evidence, ProbeRecord};
use crate::header::{
    Challenges, Credentials, CredentialsKind, parse_authorization, parse_www_authenticate,
};
use crate::infer::{Inference, PasteVerdict};
use crate::observation::{ProbeOutcome, ResponseSeen};
use crate::pasted::{PasteProblem, Pasted, parse_pasted};
use crate::plan::ProbeKind;
use crate::token::{DecodedToken, TokenFinding, TokenProblem, decode_token};

/// Clock difference allowed between this computer and the token's issuer.
pub const CLOCK_SKEW_SECONDS: i64 = 60;

/// What the evidence says once parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The text pasted from outside the browser (curl, DevTools), when there is any.
    pub pasted: Option<Result<Pasted, PasteProblem>>,
    /// The user's answer as pasted from curl, when it is the answer to the user's request.
    pub pasted_answer: Option<ResponseSeen>,
    /// The `Authorization` the user's request carried.
    pub credentials: Option<Credentials>,
    /// A credential that rode elsewhere: an API key header or a key, token or signature in the
    /// query (`the header X-API-Key`, `the query parameter sig`).
    pub credential_elsewhere: Option<String>,
    /// The Bearer or DPoP token inside it.
    pub token: Option<TokenReading>,
    /// The `WWW-Authenticate` of the fullest answer (the pasted one, else the page's), when it has
    /// one.
    pub challenges: Option<Challenges>,
    /// That answer's body, lower-cased, for the rules that look for words in it.
    pub body_lower: String,
    /// That answer's `Date`: the server's clock, against which it judges tokens and signatures.
    pub server_date: Option<i64>,
}

/// A token decoded without a key, and what its claims say at capture time.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenReading {
    pub decoded: DecodedToken,
    pub problems: Vec<TokenProblem>,
    /// Empty unless it is a JWS.
    pub findings: Vec<TokenFinding>,
}

/// The paste, parsed: `None` when nothing (or only white space) was pasted.
pub fn read_pasted(evidence: &Evidence) -> Option<Result<Pasted, PasteProblem>> {
    evidence
        .pasted
        .as_deref()
        .filter(|text| !text.trim().is_empty())
        .map(parse_pasted)
}

impl Reading {
    /// Reads `evidence`, with the paste already parsed and the inference made from it.
    pub fn of(
        evidence: &Evidence,
        pasted: Option<Result<Pasted, PasteProblem>>,
        inference: &Inference,
    ) -> Reading {
        let own = evidence.probe(ProbeKind::AsGiven);
        let answer = page_answer(own);
        let pasted_answer = match (&inference.pasted, &pasted, own) {
            (Some(PasteVerdict::Answer { .. }), Some(Ok(pasted)), Some(record)) => {
                // Another exchange (a login, a retry that worked) lends its cookies, not its
                // status.
                pasted
                    .seen_answer(&record.sent.url)
                    .filter(|p| answer.is_none_or(|a| a.status == p.status))
            }
            // Nothing was sent from the page: the pasted exchange is the whole evidence.
            (Some(PasteVerdict::Answer { .. }), Some(Ok(pasted)), None)
                if evidence.probes.is_empty() =>
            {
                pasted.seen_answer(&evidence.request.url)
            }
            _ => None,
        };
        let full = pasted_answer.as_ref().or(answer);
        let challenges = full.and_then(|seen| {
            let fields = seen.header_values("www-authenticate");
            (!fields.is_empty()).then(|| parse_www_authenticate(&fields))
        });
        let server_date = full
            .and_then(|seen| seen.header("date"))
            .and_then(parse_cookie_date);
        let body_lower = full
            .and_then(|seen| seen.body_excerpt.as_deref())
            .unwrap_or_default()
            .to_ascii_lowercase();
        // The request as the page sent it; the request itself when no probe recorded it.
        let (url, headers) = match own {
            Some(record) => (&record.sent.url, &record.sent.headers),
            None => (&evidence.request.url, &evidence.request.headers),
        };
        let credentials = crate::request::authorization(headers).map(parse_authorization);
        let method = own.map_or(evidence.request.method.as_str(), |r| r.sent.method.as_str());
        let credential_elsewhere =
            credential_elsewhere(url, headers).or_else(|| sign_in_body(method, url));
        let token = credentials.as_ref().and_then(|c| match &c.kind {
            CredentialsKind::Bearer { token, .. } | CredentialsKind::DPoP { token }
                if !c.hidden =>
            {
                let (decoded, problems) = decode_token(token);
                let findings = match &decoded {
                    DecodedToken::Jws(jwt) => jwt.check(
                        server_date.unwrap_or(evidence.captured_at),
                        CLOCK_SKEW_SECONDS,
                        None,
                    ),
                    _ => Vec::new(),
                };
                Some(TokenReading {
                    decoded,
                    problems,
                    findings,
                })
            }
            _ => None,
        });
        Reading {
            pasted,
            pasted_answer,
            credentials,
            credential_elsewhere,
            token,
            challenges,
            body_lower,
            server_date,
        }
    }

    /// Whether the request carried any credential: `Authorization`, a key header or a key in the
    /// query.
    pub fn sent_credentials(&self) -> bool {
        self.credentials.is_some() || self.credential_elsewhere.is_some()
    }

    /// The pasted text, when it could be read.
    pub fn pasted(&self) -> Option<&Pasted> {
        self.pasted.as_ref().and_then(|p| p.as_ref().ok())
    }
}

/// The answer to the user's own request that the page could read.
pub fn page_answer(own: Option<&ProbeRecord>) -> Option<&ResponseSeen> {
    own.and_then(|record| match &record.outcome {
        ProbeOutcome::Response(seen) if seen.status != 0 => Some(seen),
        _ => None,
    })
}

/// Headers that carry API keys and tokens (lower case); each is a secret to redaction too.
#[rustfmt::skip]
const KEY_HEADERS: &[&str] = &[
    "x-api-key", "api-key", "apikey", "x-apikey", "x-auth-token", "x-access-token", "private-token",
    "ocp-apim-subscription-key", "x-goog-api-key", "x-apikeys", "x-amz-access-token", "dd-api-key",
    "dd-application-key", "access-token", "auth-api-token", "x-dc-devkey",
];

/// Query parameters that carry keys, tokens or a signed URL's signature (lower case).
#[rustfmt::skip]
const KEY_PARAMETERS: &[&str] = &[
    "api_key", "apikey", "key", "access_token", "token", "hapikey", "sig", "signature",
    "x-amz-signature", "x-goog-signature", "appid",
];

/// Query parameters that carry the caller's identity at one API only (its host, or a parent
/// domain of it, and the parameter): geonames.org knows its callers by `username`
/// (<https://www.geonames.org/export/web-services.html>).
#[rustfmt::skip]
const HOST_KEY_PARAMETERS: &[(&str, &str)] = &[
    ("geonames.org", "username"),
];

/// The last path segments of endpoints that take a sign-in or a token in their body: a password,
/// a client secret or a grant (OAuth's `/token`, CAS's `/tickets`, `/login`, `/session`), or the
/// token to check (`/introspect`, `/validate`).
#[rustfmt::skip]
const SIGN_IN_PATHS: &[&str] = &[
    "token", "oauth", "oauth2", "login", "signin", "sign_in", "ticket", "tickets", "session",
    "sessions", "authenticate", "auth", "validate", "introspect", "verify",
    // OAuth WRAP's token endpoint, as Azure's Access Control Service named it.
    "wrapv0.9",
];

/// A `POST` to a sign-in endpoint carries its credentials in the body, which no recording or
/// paste of the headers shows: the sign-in itself is what the server answers.
fn sign_in_body(method: &str, url: &str) -> Option<String> {
    if !method.eq_ignore_ascii_case("POST") {
        return None;
    }
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let mut segments = path.trim_end_matches('/').rsplit('/');
    let last = segments.next().unwrap_or_default();
    // CAS's REST protocol: `POST …/tickets/{ticket-granting ticket}` asks for a service ticket,
    // the ticket in the path being the credential.
    if segments.next().is_some_and(|before| {
        ["ticket", "tickets"]
            .iter()
            .any(|t| before.eq_ignore_ascii_case(t))
    }) && !last.is_empty()
    {
        return Some(format!(
            "the ticket-granting ticket in the path (POST …/{last})"
        ));
    }
    SIGN_IN_PATHS
        .iter()
        .any(|p| {
            last.eq_ignore_ascii_case(p) || last.to_ascii_lowercase().ends_with(&format!("_{p}"))
        })
        .then(|| format!("the body of the sign-in request (POST …/{last})"))
}

/// Where a credential other than `Authorization` rode, if one did (with a value).
fn credential_elsewhere(url: &str, headers: &[(String, String)]) -> Option<String> {
    keys_elsewhere(url, headers)
        .next()
        .map(|(place, _)| place.to_string())
}

/// Where a key rode beside `Authorization`.
pub(super) enum KeyPlace<'a> {
    Header(&'a str),
    Query(&'a str),
}

impl std::fmt::Display for KeyPlace<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyPlace::Header(name) => write!(f, "the header {name}"),
            KeyPlace::Query(name) => write!(f, "the query parameter {name}"),
        }
    }
}

/// The keys a request carried besides `Authorization`, each with where it rode: the key
/// headers first, then the keys in the query; empty ones are none.
pub(super) fn keys_elsewhere<'a>(
    url: &'a str,
    headers: &'a [(String, String)],
) -> impl Iterator<Item = (KeyPlace<'a>, &'a str)> {
    let named = |list: &[&str], name: &str| list.contains(&name.to_ascii_lowercase().as_str());
    let host = crate::target::parse_target_url(url)
        .map(|t| t.host)
        .unwrap_or_default();
    let at_host = move |name: &str| {
        HOST_KEY_PARAMETERS.iter().any(|(domain, parameter)| {
            name.eq_ignore_ascii_case(parameter) && super::keys::within(&host, domain)
        })
    };
    headers
        .iter()
        .filter(move |(n, _)| named(KEY_HEADERS, n))
        .map(|(n, v)| (KeyPlace::Header(n.as_str()), v.trim()))
        .chain(
            query_pairs(url)
                .filter(move |(n, _)| named(KEY_PARAMETERS, n) || at_host(n))
                .map(|(n, v)| (KeyPlace::Query(n), v)),
        )
        .filter(|(_, value)| !value.is_empty())
}

/// A URL's query as name and value pairs, as written (not decoded).
pub(super) fn query_pairs(url: &str) -> impl Iterator<Item = (&str, &str)> {
    url.split_once('?')
        .map_or("", |(_, query)| query)
        .split('#')
        .next()
        .unwrap_or_default()
        .split('&')
        .filter_map(|pair| pair.split_once('='))
}

#[cfg(test)]
mod tests {
    use super::{KEY_HEADERS, KEY_PARAMETERS, credential_elsewhere};

    #[test]
    fn every_credential_name_is_a_secret_when_shared() {
        let at_hosts = super::HOST_KEY_PARAMETERS.iter().map(|(_, name)| name);
        for name in KEY_HEADERS.iter().chain(KEY_PARAMETERS).chain(at_hosts) {
            assert!(crate::redact::secret_name(name), "{name}");
        }
    }

    #[test]
    fn a_key_header_or_a_key_in_the_query_is_a_credential() {
        let key = [("X-API-Key".to_owned(), "k-123".to_owned())];
        assert_eq!(
            credential_elsewhere("https://a.example/x", &key).as_deref(),
            Some("the header X-API-Key")
        );
        assert_eq!(
            credential_elsewhere("https://a.example/b?sv=2020&sig=abc%3D&se=2024", &[]).as_deref(),
            Some("the query parameter sig")
        );
        // Named, but empty: nothing rode there.
        assert_eq!(
            credential_elsewhere("https://a.example/?hapikey=", &[]),
            None
        );
        assert_eq!(credential_elsewhere("https://a.example/?page=2", &[]), None);
        // A parameter one API alone reads as its caller's identity.
        assert_eq!(
            credential_elsewhere("http://api.geonames.org/srtm3?lats=1&username=bob", &[])
                .as_deref(),
            Some("the query parameter username")
        );
        assert_eq!(
            credential_elsewhere("https://api.example.com/users?username=bob", &[]),
            None
        );
    }

    #[test]
    fn a_sign_in_carries_its_credentials_in_the_body() {
        for url in [
            "https://api.crowdstrike.com/oauth2/token",
            "https://vsac.nlm.nih.gov/vsac/ws/Ticket",
            "https://api.getmati.com/oauth",
            "https://a.example/api/v1/login/",
            "https://ciserversb-sb.accesscontrol.windows.net:443/WRAPv0.9/",
            "https://cas.example.org/cas/v1/tickets/TGT-1-abc",
        ] {
            assert!(super::sign_in_body("POST", url).is_some(), "{url}");
            assert!(super::sign_in_body("GET", url).is_none(), "{url}");
        }
        assert!(super::sign_in_body("POST", "https://a.example/v1/chat/completions").is_none());
        assert!(super::sign_in_body("POST", "https://a.example/tokens/revoke").is_none());
    }
}
