//! The hypotheses: each a server (or network) behaviour, the catalogue cause it is, and the
//! server it stands for, declared in the same vocabulary the lab serves.

use crate::cause::CauseId;
use crate::cors::server::{AllowOrigin, Allowed, Answer, Cors};

/// A candidate server (or network) behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hypothesis {
    /// CORS is set up right for this request.
    CorsFine,
    /// No CORS headers on any response.
    NoCorsHeaders,
    /// CORS headers on the preflight and on success, none on the 401.
    NoCorsOnErrors,
    /// `Access-Control-Allow-Origin` names another origin (a fixed allow-list entry).
    AllowOriginMismatch,
    /// Two `Access-Control-Allow-Origin` values (a proxy and the app both add one).
    MultipleAllowOrigin,
    /// `Access-Control-Allow-Origin: *` on every answer.
    WildcardOrigin,
    /// The origin is echoed but `Access-Control-Allow-Credentials: true` is missing.
    MissingAllowCredentials,
    /// The preflight is rejected with 401 by an auth layer that adds no CORS headers.
    AuthOnPreflight,
    /// The preflight gets a non-2xx status (404, 405, 401) with CORS headers.
    PreflightStatus,
    /// The preflight is answered with a redirect (to a login page, or http → https).
    PreflightRedirect,
    /// The preflight answer does not list the request's headers.
    HeaderNotAllowed,
    /// `Access-Control-Allow-Headers: *`: covers `Authorization` in Chromium only without
    /// credentials.
    WildcardAllowHeaders,
    /// The preflight answer does not list the method.
    MethodNotAllowed,
    /// Nothing answers: DNS, refused connection, TLS.
    Unreachable,
    /// Nothing answers within the time limit: a slow server, or packets dropped on the way.
    TimedOut,
    /// An `http` target from an `https` page: blocked before the network.
    MixedContent,
    /// A local or loopback target from a public page without the permission.
    LocalNetworkAccess,
    /// Read from the user's own readable answer, not predicted by the forward model: a 401 whose
    /// challenge the page cannot read (not in `Access-Control-Expose-Headers`, or not sent).
    ChallengeNotExposed,
    /// Read from the user's own readable answer: a redirect to another origin, which drops the
    /// request's `Authorization` header on the way.
    RedirectDroppedAuthorization,
}

impl Hypothesis {
    pub const ALL: &'static [Hypothesis] = &[
        Hypothesis::CorsFine,
        Hypothesis::NoCorsHeaders,
        Hypothesis::NoCorsOnErrors,
        Hypothesis::AllowOriginMismatch,
        Hypothesis::MultipleAllowOrigin,
        Hypothesis::WildcardOrigin,
        Hypothesis::MissingAllowCredentials,
        Hypothesis::AuthOnPreflight,
        Hypothesis::PreflightStatus,
        Hypothesis::PreflightRedirect,
        Hypothesis::HeaderNotAllowed,
        Hypothesis::WildcardAllowHeaders,
        Hypothesis::MethodNotAllowed,
        Hypothesis::Unreachable,
        Hypothesis::TimedOut,
        Hypothesis::MixedContent,
        Hypothesis::LocalNetworkAccess,
    ];

    /// The behaviours read from the user's own readable answer rather than predicted.
    pub const FROM_ANSWER: &'static [Hypothesis] = &[
        Hypothesis::ChallengeNotExposed,
        Hypothesis::RedirectDroppedAuthorization,
    ];

    /// The catalogue cause this behaviour is, if it is a problem.
    pub const fn cause(self) -> Option<CauseId> {
        Some(match self {
            Hypothesis::CorsFine => return None,
            Hypothesis::NoCorsHeaders => CauseId::CorsMissingAllowOrigin,
            Hypothesis::NoCorsOnErrors => CauseId::CorsNoHeadersOnError,
            Hypothesis::AllowOriginMismatch => CauseId::CorsAllowOriginMismatch,
            Hypothesis::MultipleAllowOrigin => CauseId::CorsMultipleAllowOrigin,
            Hypothesis::WildcardOrigin => CauseId::CorsWildcardWithCredentials,
            Hypothesis::MissingAllowCredentials => CauseId::CorsMissingAllowCredentials,
            Hypothesis::AuthOnPreflight => CauseId::AuthOnPreflight,
            Hypothesis::PreflightStatus => CauseId::CorsPreflightStatus,
            Hypothesis::PreflightRedirect => CauseId::CorsPreflightRedirect,
            Hypothesis::HeaderNotAllowed => CauseId::CorsHeaderNotAllowed,
            Hypothesis::WildcardAllowHeaders => CauseId::CorsWildcardDoesNotCoverAuthorization,
            Hypothesis::MethodNotAllowed => CauseId::CorsMethodNotAllowed,
            Hypothesis::Unreachable => CauseId::Unreachable,
            Hypothesis::TimedOut => CauseId::Timeout,
            Hypothesis::MixedContent => CauseId::MixedContent,
            Hypothesis::LocalNetworkAccess => CauseId::LocalNetworkAccess,
            Hypothesis::ChallengeNotExposed => CauseId::CorsChallengeNotExposed,
            Hypothesis::RedirectDroppedAuthorization => CauseId::RedirectDroppedAuthorization,
        })
    }

    /// A stable name for the DOM (`data-hypothesis`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Hypothesis::CorsFine => "cors-fine",
            Hypothesis::NoCorsHeaders => "no-cors-headers",
            Hypothesis::NoCorsOnErrors => "no-cors-on-errors",
            Hypothesis::AllowOriginMismatch => "allow-origin-mismatch",
            Hypothesis::MultipleAllowOrigin => "multiple-allow-origin",
            Hypothesis::WildcardOrigin => "wildcard-origin",
            Hypothesis::MissingAllowCredentials => "missing-allow-credentials",
            Hypothesis::AuthOnPreflight => "auth-on-preflight",
            Hypothesis::PreflightStatus => "preflight-status",
            Hypothesis::PreflightRedirect => "preflight-redirect",
            Hypothesis::HeaderNotAllowed => "header-not-allowed",
            Hypothesis::WildcardAllowHeaders => "wildcard-allow-headers",
            Hypothesis::MethodNotAllowed => "method-not-allowed",
            Hypothesis::Unreachable => "unreachable",
            Hypothesis::TimedOut => "timed-out",
            Hypothesis::MixedContent => "mixed-content",
            Hypothesis::LocalNetworkAccess => "local-network-access",
            Hypothesis::ChallengeNotExposed => "challenge-not-exposed",
            Hypothesis::RedirectDroppedAuthorization => "redirect-dropped-authorization",
        }
    }

    /// The server behaviour in one sentence: its cause's summary.
    pub const fn summary(self) -> &'static str {
        match self.cause() {
            Some(cause) => cause.summary(),
            None => "The CORS exchange lets this request through; the answer is the server's own.",
        }
    }

    /// The server this behaviour stands for, declared: its answers to the preflight and to the
    /// request. (The behaviours that stop a request before any server, and those read from the
    /// answer, stand with a server set up right.)
    pub const fn server(self) -> (Answer, Answer) {
        const fn answer(status: u16, cors: Cors) -> Answer {
            Answer { status, cors }
        }
        const GOOD_PREFLIGHT: Answer = answer(204, Cors::ALLOWS_REQUESTED);
        const GOOD_RESPONSE: Answer = answer(401, Cors::CREDENTIALED_EXPOSED);
        /// Both answers with `Access-Control-Allow-Origin` set to `allow_origin`.
        const fn allowing(allow_origin: AllowOrigin) -> (Answer, Answer) {
            (
                answer(
                    204,
                    Cors {
                        allow_origin,
                        ..Cors::ALLOWS_REQUESTED
                    },
                ),
                answer(
                    401,
                    Cors {
                        allow_origin,
                        ..Cors::CREDENTIALED_EXPOSED
                    },
                ),
            )
        }
        const fn preflight_allowing(methods: Allowed, headers: Allowed) -> Answer {
            answer(
                204,
                Cors {
                    allow_methods: Some(methods),
                    allow_headers: Some(headers),
                    ..Cors::ALLOWS_REQUESTED
                },
            )
        }
        match self {
            Hypothesis::NoCorsHeaders => (answer(204, Cors::NONE), answer(401, Cors::NONE)),
            Hypothesis::NoCorsOnErrors => (GOOD_PREFLIGHT, answer(401, Cors::NONE)),
            Hypothesis::AllowOriginMismatch => {
                allowing(AllowOrigin::Fixed("https://allowed.example"))
            }
            Hypothesis::MultipleAllowOrigin => allowing(AllowOrigin::EchoTwice),
            Hypothesis::WildcardOrigin => {
                let star = Cors {
                    allow_origin: AllowOrigin::Wildcard,
                    allow_credentials: false,
                    allow_methods: Some(Allowed::Only("*")),
                    allow_headers: Some(Allowed::Requested),
                    expose_headers: None,
                };
                (answer(204, star), answer(401, star))
            }
            Hypothesis::MissingAllowCredentials => (
                answer(
                    204,
                    Cors {
                        allow_credentials: false,
                        ..Cors::ALLOWS_REQUESTED
                    },
                ),
                answer(401, Cors::ECHO_EXPOSED),
            ),
            Hypothesis::AuthOnPreflight => (answer(401, Cors::NONE), GOOD_RESPONSE),
            Hypothesis::PreflightStatus => (answer(405, Cors::ALLOWS_REQUESTED), GOOD_RESPONSE),
            Hypothesis::PreflightRedirect => (answer(301, Cors::ALLOWS_REQUESTED), GOOD_RESPONSE),
            Hypothesis::HeaderNotAllowed => (
                preflight_allowing(Allowed::Requested, Allowed::Only("Content-Type")),
                GOOD_RESPONSE,
            ),
            Hypothesis::WildcardAllowHeaders => (
                preflight_allowing(Allowed::Requested, Allowed::Only("*")),
                GOOD_RESPONSE,
            ),
            Hypothesis::MethodNotAllowed => (
                preflight_allowing(Allowed::Only("GET, HEAD, POST"), Allowed::Requested),
                GOOD_RESPONSE,
            ),
            Hypothesis::CorsFine
            | Hypothesis::Unreachable
            | Hypothesis::TimedOut
            | Hypothesis::MixedContent
            | Hypothesis::LocalNetworkAccess
            | Hypothesis::ChallengeNotExposed
            | Hypothesis::RedirectDroppedAuthorization => (GOOD_PREFLIGHT, GOOD_RESPONSE),
        }
    }

    /// Whether the browser stops the request before any server can answer.
    pub(super) fn blocks_before_network(self) -> bool {
        matches!(
            self,
            Hypothesis::Unreachable | Hypothesis::MixedContent | Hypothesis::LocalNetworkAccess
        )
    }
}
