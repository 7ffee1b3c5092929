//! The cause catalogue: stable kebab-case ids shared by rules, lab scenarios, tests and the DOM
//! (`data-cause`). Ids may be added; an id is never renamed.

use std::fmt;

macro_rules! causes {
    ($($variant:ident => $id:literal,)*) => {
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
    MissingCredentials => "missing-credentials",
    WrongScheme => "wrong-scheme",
    MalformedCredentials => "malformed-credentials",
    InvalidCredentials => "invalid-credentials",
    ProxyAuthRequired => "proxy-auth-required",
    // tokens
    TokenExpired => "token-expired",
    TokenNotYetValid => "token-not-yet-valid",
    TokenExpInMilliseconds => "token-exp-in-milliseconds",
    TokenAudienceMismatch => "token-audience-mismatch",
    TokenMalformed => "token-malformed",
    InsufficientScope => "insufficient-scope",
    InvalidRequest => "invalid-request",
    DigestStale => "digest-stale",
    DpopNonceRequired => "dpop-nonce-required",
    DpopProofInvalid => "dpop-proof-invalid",
    NegotiateUnsupported => "negotiate-unsupported",
    // cookies & sessions
    SessionExpired => "session-expired",
    CookieNotSentThirdParty => "cookie-not-sent-third-party",
    CookieSamesiteBlocked => "cookie-samesite-blocked",
    CookieInsecure => "cookie-insecure",
    // server configuration
    ChallengeMissing => "challenge-missing",
    ChallengeMalformed => "challenge-malformed",
    ForbiddenNotUnauthorized => "forbidden-not-unauthorized",
    LoginRedirect => "login-redirect",
    AuthOnPreflight => "auth-on-preflight",
    CacheableAuthResponse => "cacheable-auth-response",
    // CORS
    CorsMissingAllowOrigin => "cors-missing-allow-origin",
    CorsNoHeadersOnError => "cors-no-headers-on-error",
    CorsAllowOriginMismatch => "cors-allow-origin-mismatch",
    CorsWildcardWithCredentials => "cors-wildcard-with-credentials",
    CorsMissingAllowCredentials => "cors-missing-allow-credentials",
    CorsPreflightStatus => "cors-preflight-status",
    CorsHeaderNotAllowed => "cors-header-not-allowed",
    CorsWildcardDoesNotCoverAuthorization => "cors-wildcard-does-not-cover-authorization",
    CorsMethodNotAllowed => "cors-method-not-allowed",
    CorsChallengeNotExposed => "cors-challenge-not-exposed",
    CorsPreflightRedirect => "cors-preflight-redirect",
    CorsMultipleAllowOrigin => "cors-multiple-allow-origin",
    // redirects
    RedirectDroppedAuthorization => "redirect-dropped-authorization",
    RedirectToOtherScheme => "redirect-to-other-scheme",
    // network & page
    Unreachable => "unreachable",
    MixedContent => "mixed-content",
    LocalNetworkAccess => "local-network-access",
    Timeout => "timeout",
    InvalidUrl => "invalid-url",
    // other status semantics
    RateLimited => "rate-limited",
    SecondFactorRequired => "second-factor-required",
    CredentialsStrippedInTransit => "credentials-stripped-in-transit",
    MissingRequiredHeader => "missing-required-header",
    // not detectable from a browser
    IpBlocked => "ip-blocked",
    FirewallOrProxy => "firewall-or-proxy",
    ServerPluginOrAppBug => "server-plugin-or-app-bug",
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
