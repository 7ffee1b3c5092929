//! The cause catalogue: stable kebab-case ids shared by rules, lab scenarios, tests and the DOM
//! (`data-cause`). Ids may be added; an id is never renamed.

use std::fmt;

macro_rules! causes {
    ($($variant:ident => $id:literal, $title:literal,)*) => {
        /// One cause of a failing authenticated request.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum CauseId {
            $($variant,)*
        }

        impl CauseId {
            /// Every cause, in catalogue order.
            pub const ALL: &'static [CauseId] = &[$(CauseId::$variant,)*];

            /// The stable id, as written in `data-cause`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(CauseId::$variant => $id,)*
                }
            }

            /// The cause in a few plain words, for a heading.
            pub const fn title(self) -> &'static str {
                match self {
                    $(CauseId::$variant => $title,)*
                }
            }

            /// The cause with this id, if there is one.
            pub fn from_id(id: &str) -> Option<CauseId> {
                match id {
                    $($id => Some(CauseId::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

causes! {
    // credentials
    MissingCredentials => "missing-credentials", "No credentials were sent",
    WrongScheme => "wrong-scheme", "The credentials use a scheme the server does not offer",
    MalformedCredentials => "malformed-credentials", "The Authorization header is malformed",
    InvalidCredentials => "invalid-credentials", "The server rejects the credentials",
    ProxyAuthRequired => "proxy-auth-required", "A proxy asks for its own credentials (407)",
    // tokens
    TokenExpired => "token-expired", "The token has expired",
    TokenNotYetValid => "token-not-yet-valid", "The token is not valid yet",
    TokenExpInMilliseconds => "token-exp-in-milliseconds", "The token's times are in milliseconds",
    TokenAudienceMismatch => "token-audience-mismatch", "The token is for another audience",
    TokenMalformed => "token-malformed", "The token is damaged",
    InsufficientScope => "insufficient-scope", "The token lacks the scope this request needs",
    InvalidRequest => "invalid-request", "The server finds the request itself malformed",
    DigestStale => "digest-stale", "The Digest nonce is stale",
    DpopNonceRequired => "dpop-nonce-required", "The server wants a DPoP proof with its nonce",
    DpopProofInvalid => "dpop-proof-invalid", "The DPoP proof is refused",
    NegotiateUnsupported => "negotiate-unsupported", "The server asks for Kerberos/NTLM, which a page cannot do",
    // cookies & sessions
    SessionExpired => "session-expired", "The session has expired",
    CookieNotSentThirdParty => "cookie-not-sent-third-party", "The cookies are third-party from here and were not sent",
    CookieSamesiteBlocked => "cookie-samesite-blocked", "SameSite keeps the session cookie off this request",
    CookieInsecure => "cookie-insecure", "The cookie needs Secure (or HTTPS) to be stored or sent",
    // server configuration
    ChallengeMissing => "challenge-missing", "The 401 says no way to authenticate",
    ChallengeMalformed => "challenge-malformed", "The WWW-Authenticate header is malformed",
    ForbiddenNotUnauthorized => "forbidden-not-unauthorized", "403 Forbidden: authenticated, or refused regardless",
    LoginRedirect => "login-redirect", "A login page instead of a 401",
    AuthOnPreflight => "auth-on-preflight", "Authentication runs on the CORS preflight",
    CacheableAuthResponse => "cacheable-auth-response", "The 401 may be cached",
    // CORS
    CorsMissingAllowOrigin => "cors-missing-allow-origin", "No Access-Control-Allow-Origin",
    CorsNoHeadersOnError => "cors-no-headers-on-error", "CORS headers on successes only, not on the 401",
    CorsAllowOriginMismatch => "cors-allow-origin-mismatch", "Access-Control-Allow-Origin names another origin",
    CorsWildcardWithCredentials => "cors-wildcard-with-credentials", "Access-Control-Allow-Origin: * with credentials",
    CorsMissingAllowCredentials => "cors-missing-allow-credentials", "Access-Control-Allow-Credentials missing",
    CorsPreflightStatus => "cors-preflight-status", "The preflight gets an error status",
    CorsHeaderNotAllowed => "cors-header-not-allowed", "The preflight does not allow the request's headers",
    CorsWildcardDoesNotCoverAuthorization => "cors-wildcard-does-not-cover-authorization", "Access-Control-Allow-Headers: * does not cover Authorization",
    CorsMethodNotAllowed => "cors-method-not-allowed", "The preflight does not allow the method",
    CorsChallengeNotExposed => "cors-challenge-not-exposed", "WWW-Authenticate is not exposed to the page",
    CorsPreflightRedirect => "cors-preflight-redirect", "The preflight is redirected",
    CorsMultipleAllowOrigin => "cors-multiple-allow-origin", "Access-Control-Allow-Origin is sent twice",
    // redirects
    RedirectDroppedAuthorization => "redirect-dropped-authorization", "A cross-origin redirect dropped Authorization",
    RedirectToOtherScheme => "redirect-to-other-scheme", "A redirect changed http and https",
    // network & page
    Unreachable => "unreachable", "Nothing answered",
    MixedContent => "mixed-content", "An http URL from an https page (mixed content)",
    LocalNetworkAccess => "local-network-access", "Local Network Access permission refused",
    Timeout => "timeout", "No answer within the time limit",
    InvalidUrl => "invalid-url", "The URL cannot be requested",
    // other status semantics
    RateLimited => "rate-limited", "A rate or abuse limit, not authentication",
    SecondFactorRequired => "second-factor-required", "A second factor (one-time code) is required",
    CredentialsStrippedInTransit => "credentials-stripped-in-transit", "Something between removed the credentials",
    MissingRequiredHeader => "missing-required-header", "The API requires a header that was not sent",
    // not detectable from a browser
    IpBlocked => "ip-blocked", "The client's address is blocked",
    FirewallOrProxy => "firewall-or-proxy", "A firewall or proxy answers instead of the server",
    ServerPluginOrAppBug => "server-plugin-or-app-bug", "A server plug-in or application bug",
}

impl fmt::Display for CauseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::CauseId;

    #[test]
    fn cause_ids_round_trip_and_are_kebab_case() {
        for &cause in CauseId::ALL {
            let id = cause.as_str();
            assert_eq!(CauseId::from_id(id), Some(cause), "{id}");
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{id} is not kebab-case"
            );
        }
    }

    #[test]
    fn cause_ids_are_unique() {
        let mut ids: Vec<&str> = CauseId::ALL.iter().map(|c| c.as_str()).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len());
    }

    #[test]
    fn cause_from_unknown_id_is_none() {
        assert_eq!(CauseId::from_id("Missing-Credentials"), None);
        assert_eq!(CauseId::from_id(""), None);
    }
}
