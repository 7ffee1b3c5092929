//! The scenarios: each one is a small, declarative description of a misbehaving (or healthy)
//! server, the request that shows the problem, and what Chromium is expected to report for it.

use why401_core::cors::CredentialsMode;
use why401_core::{CauseId, CorsError};

/// The CORS headers of a reply: the core's declared server, which the inference reasons with.
pub use why401_core::cors::server::{AllowOrigin, Allowed, Cors};

/// The token the lab accepts: `Authorization: Bearer lab-good-token`.
pub const GOOD_TOKEN: &str = "lab-good-token";
/// The session cookie the lab accepts instead, where a scenario answers to one.
pub const GOOD_SESSION: &str = "sid=lab-session-31d4";

/// The request a client sends to see the scenario's problem.
#[derive(Debug, Clone, Copy)]
pub struct RequestShape {
    pub method: &'static str,
    pub headers: &'static [(&'static str, &'static str)],
    pub credentials: CredentialsMode,
    /// How the page addresses the lab.
    pub host: LabHost,
}

/// The name a scenario's request gives the lab. Every scenario is cross-origin to the app on
/// `127.0.0.1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabHost {
    /// `127.0.0.1`: the app's own host on another port, so the same site.
    Loopback,
    /// `localhost`: another site, as cookies see it.
    OtherSite,
    /// `lab.why401.test`, which the test browser resolves to loopback and whose `https` URLs it
    /// answers from the lab through the DevTools protocol: for redirects between schemes.
    Named,
}

/// Where a redirect points.
#[derive(Debug, Clone, Copy)]
pub enum Location {
    /// This path on the lab's other loopback origin (`127.0.0.1` ↔ `localhost`, same port).
    OtherOrigin(&'static str),
    /// This path on the same origin.
    SameOrigin(&'static str),
    /// This path on the same host and port under the other scheme (`http` ↔ `https`).
    OtherScheme(&'static str),
}

/// One reply the lab sends.
#[derive(Debug, Clone, Copy)]
pub struct Reply {
    pub status: u16,
    pub cors: Cors,
    pub headers: &'static [(&'static str, &'static str)],
    pub location: Option<Location>,
    pub body: &'static str,
}

impl Reply {
    /// An answer with this status, CORS headers, other headers and body, and no redirect.
    pub const fn answer(
        status: u16,
        cors: Cors,
        headers: &'static [(&'static str, &'static str)],
        body: &'static str,
    ) -> Reply {
        Reply {
            status,
            cors,
            headers,
            location: None,
            body,
        }
    }

    /// `204 No Content` with the given CORS headers: a preflight answer.
    pub const fn no_content(cors: Cors) -> Reply {
        Reply {
            status: 204,
            cors,
            headers: &[],
            location: None,
            body: "",
        }
    }
}

/// What the page sees when it sends a scenario's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// The CORS check passes and the page reads this status.
    Readable(u16),
    /// `fetch()` rejects, and Chromium reports this `CorsError` in
    /// `Network.loadingFailed.corsErrorStatus`.
    Blocked(CorsError),
    /// `fetch()` rejects before any CORS check: Chromium refuses the answer itself and reports
    /// this `errorText` (a 407 that no proxy sent).
    Failed(&'static str),
}

/// One endpoint of the lab.
#[derive(Debug, Clone, Copy)]
pub struct Scenario {
    /// The URL path segment: `/s/<name>`.
    pub name: &'static str,
    pub title: &'static str,
    /// The cause it demonstrates; `None` for a healthy endpoint.
    pub cause: Option<CauseId>,
    /// The request that shows the problem.
    pub request: RequestShape,
    /// What a page that sends that request sees, as Chromium decides it.
    pub expect: Expect,
    /// The answer to a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`).
    pub preflight: Reply,
    /// The answer to a request without the good token.
    pub response: Reply,
    /// The answer to a request with `Authorization: Bearer lab-good-token`, where it differs.
    pub authorized: Option<Reply>,
}

const GET: RequestShape = RequestShape {
    method: "GET",
    headers: &[],
    credentials: CredentialsMode::Omit,
    host: LabHost::Loopback,
};
const GET_WITH_BAD_TOKEN: RequestShape = RequestShape {
    headers: &[("Authorization", "Bearer expired-token")],
    ..GET
};
const GET_WITH_GOOD_TOKEN: RequestShape = RequestShape {
    headers: &[("Authorization", "Bearer lab-good-token")],
    ..GET
};
const GET_WITH_CREDENTIALS: RequestShape = RequestShape {
    credentials: CredentialsMode::Include,
    ..GET
};

const JSON: (&str, &str) = ("Content-Type", "application/json");
const BEARER_NO_TOKEN: (&str, &str) = ("WWW-Authenticate", "Bearer realm=\"why401 lab\"");
const BEARER_INVALID_TOKEN: (&str, &str) = (
    "WWW-Authenticate",
    "Bearer realm=\"why401 lab\", error=\"invalid_token\", error_description=\"The access token is not valid\"",
);
const BEARER_EXPIRED_TOKEN: (&str, &str) = (
    "WWW-Authenticate",
    "Bearer realm=\"why401 lab\", error=\"invalid_token\", error_description=\"The access token expired\"",
);
const BASIC_CHALLENGE: (&str, &str) = ("WWW-Authenticate", "Basic realm=\"why401 lab\"");
const GET_WITH_DPOP: RequestShape = RequestShape {
    headers: &[("Authorization", "DPoP lab-dpop-token")],
    ..GET
};
const GET_WITH_BASIC: RequestShape = RequestShape {
    headers: &[("Authorization", "Basic bGFiOndyb25nLXBhc3N3b3Jk")],
    ..GET
};
/// A request carrying `authorization`, refused with 401 `invalid_token`: what is wrong is in
/// the token the client sent.
const fn refused_token(
    name: &'static str,
    title: &'static str,
    cause: CauseId,
    authorization: &'static [(&'static str, &'static str)],
) -> Scenario {
    Scenario {
        name,
        title,
        cause: Some(cause),
        request: RequestShape {
            headers: authorization,
            ..GET
        },
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(Cors::ECHO_EXPOSED, &[BEARER_INVALID_TOKEN, JSON]),
        authorized: Some(OK_REPLY),
    }
}

/// Echo the origin and allow credentials, exposing nothing.
const CREDENTIALED: Cors = Cors {
    allow_credentials: true,
    ..Cors::ECHO
};

/// A session API that answers 401 with a `Set-Cookie` the browser never sends back from the
/// calling page (express-session with `saveUninitialized`: a fresh session cookie on every
/// answer, refusals included), or that ends the session.
const fn session_refused(
    name: &'static str,
    title: &'static str,
    cause: CauseId,
    headers: &'static [(&'static str, &'static str)],
) -> Scenario {
    Scenario {
        name,
        title,
        cause: Some(cause),
        request: RequestShape {
            host: LabHost::OtherSite,
            ..GET_WITH_CREDENTIALS
        },
        expect: Expect::Readable(401),
        preflight: Reply::no_content(CREDENTIALED),
        response: unauthorized(CREDENTIALED, headers),
        authorized: Some(Reply {
            cors: CREDENTIALED,
            ..OK_REPLY
        }),
    }
}

/// Echo the origin and expose these response headers.
const fn exposing(headers: &'static str) -> Cors {
    Cors {
        expose_headers: Some(headers),
        ..Cors::ECHO
    }
}
const UNAUTHORIZED_BODY: &str = "{\"error\":\"unauthorized\"}";

const fn unauthorized(cors: Cors, headers: &'static [(&'static str, &'static str)]) -> Reply {
    Reply::answer(401, cors, headers, UNAUTHORIZED_BODY)
}

const OK_REPLY: Reply = Reply::answer(
    200,
    Cors::ECHO_EXPOSED,
    &[JSON],
    "{\"ok\":true,\"user\":\"lab\"}",
);

/// Every scenario, in the order `GET /` lists them.
pub static SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "basic-challenge",
        title: "401 with a Basic challenge, exposed to the page; no credentials sent",
        cause: Some(CauseId::MissingCredentials),
        request: GET,
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(
            Cors::ECHO_EXPOSED,
            &[
                (
                    "WWW-Authenticate",
                    "Basic realm=\"why401 lab\", charset=\"UTF-8\"",
                ),
                JSON,
            ],
        ),
        authorized: None,
    },
    Scenario {
        name: "bearer-invalid-token",
        title: "401 with a Bearer invalid_token challenge: the server does not accept the token",
        cause: Some(CauseId::InvalidCredentials),
        request: GET_WITH_BAD_TOKEN,
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(Cors::ECHO_EXPOSED, &[BEARER_INVALID_TOKEN, JSON]),
        authorized: Some(OK_REPLY),
    },
    Scenario {
        name: "no-challenge",
        title: "401 without any WWW-Authenticate header to a request without credentials: send them first, the missing challenge a note",
        cause: Some(CauseId::MissingCredentials),
        request: GET,
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(Cors::ECHO_EXPOSED, &[JSON]),
        authorized: None,
    },
    Scenario {
        name: "no-cors-on-401",
        title: "CORS headers on success only: the 401 carries none (nginx add_header without always)",
        cause: Some(CauseId::CorsNoHeadersOnError),
        request: GET_WITH_BAD_TOKEN,
        expect: Expect::Blocked(CorsError::MissingAllowOriginHeader),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(Cors::NONE, &[BEARER_INVALID_TOKEN, JSON]),
        authorized: Some(OK_REPLY),
    },
    Scenario {
        name: "no-cors-at-all",
        title: "No CORS headers on any response",
        cause: Some(CauseId::CorsMissingAllowOrigin),
        request: GET,
        expect: Expect::Blocked(CorsError::MissingAllowOriginHeader),
        preflight: Reply::no_content(Cors::NONE),
        response: unauthorized(Cors::NONE, &[BEARER_NO_TOKEN, JSON]),
        authorized: None,
    },
    Scenario {
        name: "auth-on-preflight",
        title: "The preflight OPTIONS request is rejected with 401 (auth runs before CORS)",
        cause: Some(CauseId::AuthOnPreflight),
        request: GET_WITH_GOOD_TOKEN,
        expect: Expect::Blocked(CorsError::PreflightInvalidStatus),
        preflight: unauthorized(Cors::ECHO, &[BEARER_NO_TOKEN, JSON]),
        response: unauthorized(Cors::ECHO_EXPOSED, &[BEARER_NO_TOKEN, JSON]),
        authorized: Some(OK_REPLY),
    },
    Scenario {
        name: "auth-on-preflight-bare",
        title: "The preflight is rejected with 401 by an auth layer that adds no CORS headers",
        cause: Some(CauseId::AuthOnPreflight),
        request: GET_WITH_GOOD_TOKEN,
        expect: Expect::Blocked(CorsError::PreflightMissingAllowOriginHeader),
        preflight: unauthorized(Cors::NONE, &[BEARER_NO_TOKEN, JSON]),
        response: unauthorized(Cors::ECHO_EXPOSED, &[BEARER_NO_TOKEN, JSON]),
        authorized: Some(OK_REPLY),
    },
    Scenario {
        name: "wildcard-with-credentials",
        title: "Access-Control-Allow-Origin: * answering a credentialed request",
        cause: Some(CauseId::CorsWildcardWithCredentials),
        request: GET_WITH_CREDENTIALS,
        expect: Expect::Blocked(CorsError::WildcardOriginNotAllowed),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(
            Cors {
                allow_origin: AllowOrigin::Wildcard,
                allow_credentials: true,
                ..Cors::NONE
            },
            &[BEARER_NO_TOKEN, JSON],
        ),
        authorized: None,
    },
    Scenario {
        name: "missing-allow-credentials",
        title: "The origin is echoed but Access-Control-Allow-Credentials is missing on a credentialed request",
        cause: Some(CauseId::CorsMissingAllowCredentials),
        request: GET_WITH_CREDENTIALS,
        expect: Expect::Blocked(CorsError::InvalidAllowCredentials),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(Cors::ECHO_EXPOSED, &[BEARER_NO_TOKEN, JSON]),
        authorized: None,
    },
    Scenario {
        name: "allow-origin-mismatch",
        title: "Access-Control-Allow-Origin names another origin",
        cause: Some(CauseId::CorsAllowOriginMismatch),
        request: GET,
        expect: Expect::Blocked(CorsError::AllowOriginMismatch),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(
            Cors {
                allow_origin: AllowOrigin::Fixed("https://app.example.com"),
                ..Cors::NONE
            },
            &[BEARER_NO_TOKEN, JSON],
        ),
        authorized: None,
    },
    Scenario {
        name: "allow-origin-trailing-slash",
        title: "Access-Control-Allow-Origin is the right origin plus a trailing slash",
        cause: Some(CauseId::CorsAllowOriginMismatch),
        request: GET,
        expect: Expect::Blocked(CorsError::AllowOriginMismatch),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(
            Cors {
                allow_origin: AllowOrigin::EchoWithSlash,
                ..Cors::NONE
            },
            &[BEARER_NO_TOKEN, JSON],
        ),
        authorized: None,
    },
    Scenario {
        name: "multiple-allow-origin",
        title: "Two Access-Control-Allow-Origin fields (set by both a proxy and the app)",
        cause: Some(CauseId::CorsMultipleAllowOrigin),
        request: GET,
        expect: Expect::Blocked(CorsError::MultipleAllowOriginValues),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(
            Cors {
                allow_origin: AllowOrigin::EchoTwice,
                ..Cors::NONE
            },
            &[BEARER_NO_TOKEN, JSON],
        ),
        authorized: None,
    },
    Scenario {
        name: "header-not-allowed",
        title: "The preflight answer does not allow the Authorization header",
        cause: Some(CauseId::CorsHeaderNotAllowed),
        request: GET_WITH_GOOD_TOKEN,
        expect: Expect::Blocked(CorsError::HeaderDisallowedByPreflightResponse),
        preflight: Reply::no_content(Cors {
            allow_methods: Some(Allowed::Only("GET, HEAD, OPTIONS")),
            allow_headers: Some(Allowed::Only("Content-Type")),
            ..Cors::ECHO
        }),
        response: unauthorized(Cors::ECHO_EXPOSED, &[BEARER_NO_TOKEN, JSON]),
        authorized: Some(OK_REPLY),
    },
    Scenario {
        name: "preflight-not-found",
        title: "The preflight (OPTIONS) is not routed: 404 with CORS headers",
        cause: Some(CauseId::CorsPreflightStatus),
        request: GET_WITH_GOOD_TOKEN,
        expect: Expect::Blocked(CorsError::PreflightInvalidStatus),
        preflight: Reply::answer(
            404,
            Cors::PREFLIGHT_ALLOWS_AUTH,
            &[JSON],
            "{\"error\":\"not found\"}",
        ),
        response: unauthorized(Cors::ECHO_EXPOSED, &[BEARER_NO_TOKEN, JSON]),
        authorized: Some(OK_REPLY),
    },
    Scenario {
        name: "preflight-redirect",
        title: "The preflight (OPTIONS) is redirected to a login page",
        cause: Some(CauseId::CorsPreflightRedirect),
        request: GET_WITH_GOOD_TOKEN,
        expect: Expect::Blocked(CorsError::PreflightDisallowedRedirect),
        preflight: Reply {
            status: 302,
            cors: Cors::PREFLIGHT_ALLOWS_AUTH,
            headers: &[],
            location: Some(Location::SameOrigin("/s/login")),
            body: "",
        },
        response: unauthorized(Cors::ECHO_EXPOSED, &[BEARER_NO_TOKEN, JSON]),
        authorized: Some(OK_REPLY),
    },
    Scenario {
        name: "method-not-allowed",
        title: "The preflight answer allows GET and POST only; the request is a PUT",
        cause: Some(CauseId::CorsMethodNotAllowed),
        request: RequestShape {
            method: "PUT",
            ..GET_WITH_GOOD_TOKEN
        },
        expect: Expect::Blocked(CorsError::MethodDisallowedByPreflightResponse),
        preflight: Reply::no_content(Cors {
            allow_methods: Some(Allowed::Only("GET, POST")),
            ..Cors::PREFLIGHT_ALLOWS_AUTH
        }),
        response: unauthorized(Cors::ECHO_EXPOSED, &[BEARER_NO_TOKEN, JSON]),
        authorized: Some(OK_REPLY),
    },
    Scenario {
        name: "wildcard-allow-headers",
        title: "Access-Control-Allow-Headers: * and a Bearer token: Chromium lets it through, the standard does not",
        cause: Some(CauseId::CorsWildcardDoesNotCoverAuthorization),
        request: GET_WITH_GOOD_TOKEN,
        expect: Expect::Readable(200),
        preflight: Reply::no_content(Cors {
            allow_headers: Some(Allowed::Only("*")),
            ..Cors::PREFLIGHT_ALLOWS_AUTH
        }),
        response: unauthorized(Cors::ECHO_EXPOSED, &[BEARER_NO_TOKEN, JSON]),
        authorized: Some(OK_REPLY),
    },
    Scenario {
        name: "wildcard-allow-headers-with-credentials",
        title: "Access-Control-Allow-Headers: * on a request with credentials, where * is just a name",
        cause: Some(CauseId::CorsWildcardDoesNotCoverAuthorization),
        request: RequestShape {
            credentials: CredentialsMode::Include,
            ..GET_WITH_GOOD_TOKEN
        },
        expect: Expect::Blocked(CorsError::HeaderDisallowedByPreflightResponse),
        preflight: Reply::no_content(Cors {
            allow_headers: Some(Allowed::Only("*")),
            allow_credentials: true,
            ..Cors::PREFLIGHT_ALLOWS_AUTH
        }),
        response: unauthorized(
            Cors {
                allow_credentials: true,
                ..Cors::ECHO_EXPOSED
            },
            &[BEARER_NO_TOKEN, JSON],
        ),
        authorized: Some(OK_REPLY),
    },
    Scenario {
        name: "challenge-not-exposed",
        title: "A refused token, answered with a readable 401 whose WWW-Authenticate is not in Access-Control-Expose-Headers: the refusal first, the hidden challenge a note",
        cause: Some(CauseId::InvalidCredentials),
        request: GET_WITH_BAD_TOKEN,
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(Cors::ECHO, &[BEARER_NO_TOKEN, JSON]),
        authorized: None,
    },
    Scenario {
        name: "cross-origin-redirect",
        title: "A redirect to another origin: the browser drops the Authorization header on the way",
        cause: Some(CauseId::RedirectDroppedAuthorization),
        request: GET_WITH_GOOD_TOKEN,
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: Reply {
            status: 307,
            cors: Cors::ECHO,
            headers: &[],
            location: Some(Location::OtherOrigin("/s/token-ok")),
            body: "",
        },
        authorized: None,
    },
    Scenario {
        name: "bearer-expired-token",
        title: "401 with a Bearer invalid_token challenge that says the token expired",
        cause: Some(CauseId::TokenExpired),
        request: GET_WITH_BAD_TOKEN,
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(Cors::ECHO_EXPOSED, &[BEARER_EXPIRED_TOKEN, JSON]),
        authorized: Some(OK_REPLY),
    },
    refused_token(
        "token-in-milliseconds",
        "A JWT whose exp is in milliseconds, refused with invalid_token",
        CauseId::TokenExpInMilliseconds,
        &[(
            "Authorization",
            "Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJsYWIiLCJleHAiOjQxMDI0NDQ4MDAwMDB9.c2lnbmF0dXJl",
        )],
    ),
    refused_token(
        "placeholder-token",
        "Authorization: Bearer undefined, a token variable that was never set",
        CauseId::MalformedCredentials,
        &[("Authorization", "Bearer undefined")],
    ),
    refused_token(
        "token-not-yet-valid",
        "A JWT whose nbf is in the future, refused with invalid_token",
        CauseId::TokenNotYetValid,
        &[(
            "Authorization",
            "Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJsYWIiLCJuYmYiOjQxMDI0NDQ4MDAsImV4cCI6NDEwMjQ0ODQwMH0.c2lnbmF0dXJl",
        )],
    ),
    refused_token(
        "token-damaged",
        "A JWT cut short: its claims are not JSON",
        CauseId::TokenMalformed,
        &[(
            "Authorization",
            "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIi.c2lnbmF0dXJl",
        )],
    ),
    Scenario {
        name: "invalid-request",
        title: "400 with a Bearer invalid_request challenge",
        cause: Some(CauseId::InvalidRequest),
        request: GET_WITH_BAD_TOKEN,
        expect: Expect::Readable(400),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: Reply::answer(
            400,
            Cors::ECHO_EXPOSED,
            &[
                (
                    "WWW-Authenticate",
                    "Bearer realm=\"why401 lab\", error=\"invalid_request\", error_description=\"The token was sent twice\"",
                ),
                JSON,
            ],
            "{\"error\":\"invalid_request\"}",
        ),
        authorized: None,
    },
    Scenario {
        name: "negotiate",
        title: "401 offering only Negotiate and NTLM (Windows sign-on)",
        cause: Some(CauseId::NegotiateUnsupported),
        request: GET,
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(
            Cors::ECHO_EXPOSED,
            &[
                ("WWW-Authenticate", "Negotiate"),
                ("WWW-Authenticate", "NTLM"),
                JSON,
            ],
        ),
        authorized: None,
    },
    Scenario {
        name: "cached-401",
        title: "The good token gets a 401 marked Cache-Control: public, max-age=600",
        cause: Some(CauseId::CacheableAuthResponse),
        request: GET_WITH_GOOD_TOKEN,
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(
            Cors::ECHO_EXPOSED,
            &[
                BEARER_NO_TOKEN,
                ("Cache-Control", "public, max-age=600"),
                JSON,
            ],
        ),
        authorized: None,
    },
    Scenario {
        name: "wrong-scheme",
        title: "A Bearer token sent where the server offers Basic only",
        cause: Some(CauseId::WrongScheme),
        request: GET_WITH_BAD_TOKEN,
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(Cors::ECHO_EXPOSED, &[BASIC_CHALLENGE, JSON]),
        authorized: None,
    },
    Scenario {
        name: "insufficient-scope",
        title: "403 with a Bearer insufficient_scope challenge",
        cause: Some(CauseId::InsufficientScope),
        request: GET_WITH_BAD_TOKEN,
        expect: Expect::Readable(403),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: Reply::answer(
            403,
            Cors::ECHO_EXPOSED,
            &[
                (
                    "WWW-Authenticate",
                    "Bearer realm=\"why401 lab\", error=\"insufficient_scope\", scope=\"admin\"",
                ),
                JSON,
            ],
            "{\"error\":\"insufficient_scope\"}",
        ),
        authorized: None,
    },
    Scenario {
        name: "forbidden",
        title: "403 Forbidden to a request with a token: refused whoever you are",
        cause: Some(CauseId::ForbiddenNotUnauthorized),
        request: GET_WITH_BAD_TOKEN,
        expect: Expect::Readable(403),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: Reply::answer(
            403,
            Cors::ECHO,
            &[JSON],
            "{\"detail\":\"You do not have permission to perform this action.\"}",
        ),
        authorized: None,
    },
    Scenario {
        name: "csrf-token-missing",
        title: "403 to a POST that rides on the session cookie without its CSRF token (Django REST framework's words)",
        cause: Some(CauseId::CsrfTokenMissing),
        request: RequestShape {
            method: "POST",
            headers: &[JSON],
            ..GET_WITH_CREDENTIALS
        },
        expect: Expect::Readable(403),
        preflight: Reply::no_content(Cors {
            allow_methods: Some(Allowed::Only("GET, POST, OPTIONS")),
            allow_headers: Some(Allowed::Only("Content-Type, X-CSRFToken")),
            ..CREDENTIALED
        }),
        response: Reply::answer(
            403,
            CREDENTIALED,
            &[JSON],
            "{\"detail\":\"CSRF Failed: CSRF token missing.\"}",
        ),
        authorized: None,
    },
    Scenario {
        name: "token-revoked",
        title: "401 invalid_token: the access token has been revoked",
        cause: Some(CauseId::TokenRevoked),
        request: GET_WITH_BAD_TOKEN,
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: Reply::answer(
            401,
            Cors::ECHO_EXPOSED,
            &[
                (
                    "WWW-Authenticate",
                    "Bearer realm=\"why401 lab\", error=\"invalid_token\", error_description=\"The access token has been revoked\"",
                ),
                JSON,
            ],
            "{\"error\":\"invalid_token\",\"error_description\":\"The access token has been revoked\"}",
        ),
        authorized: None,
    },
    Scenario {
        name: "issuer-mismatch",
        title: "401 invalid_token: the token's issuer names another host than the one the API trusts (Keycloak's words)",
        cause: Some(CauseId::TokenIssuerMismatch),
        request: GET_WITH_BAD_TOKEN,
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(
            Cors::ECHO_EXPOSED,
            &[
                (
                    "WWW-Authenticate",
                    "Bearer realm=\"lab\", error=\"invalid_token\", error_description=\"Invalid token issuer. Expected 'http://127.0.0.1:9080/realms/lab', but was 'http://localhost:9080/realms/lab'\"",
                ),
                JSON,
            ],
        ),
        authorized: None,
    },
    Scenario {
        name: "credentials-in-authentication-header",
        title: "The token sent in a header named Authentication: the server reads Authorization",
        cause: Some(CauseId::CredentialsInWrongPlace),
        request: RequestShape {
            headers: &[("Authentication", "Bearer lab-good-token")],
            ..GET
        },
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors {
            allow_headers: Some(Allowed::Only("Authentication")),
            ..Cors::PREFLIGHT_ALLOWS_AUTH
        }),
        response: unauthorized(Cors::ECHO_EXPOSED, &[BEARER_NO_TOKEN, JSON]),
        authorized: None,
    },
    Scenario {
        name: "id-token-as-access-token",
        title: "An OpenID Connect ID token (aud: the client, a nonce) sent where the access token belongs",
        cause: Some(CauseId::TokenWrongType),
        request: RequestShape {
            headers: &[(
                "Authorization",
                "Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2xvZ2luLmxhYi5leGFtcGxlIiwic3ViIjoiYW5uIiwiYXVkIjoibGFiLXdlYi1jbGllbnQiLCJub25jZSI6Im4tMFM2X1d6QTJNaiIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjo0MTAyNDQ0ODAwfQ.c2lnbmF0dXJl",
            )],
            ..GET
        },
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(Cors::ECHO_EXPOSED, &[BEARER_INVALID_TOKEN, JSON]),
        authorized: None,
    },
    Scenario {
        name: "api-key-not-supported",
        title: "An API key where the API takes only OAuth access tokens (Google's words)",
        cause: Some(CauseId::KeyWrongKind),
        request: RequestShape {
            headers: &[("X-Goog-Api-Key", "lab-api-key")],
            ..GET
        },
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors {
            allow_headers: Some(Allowed::Only("X-Goog-Api-Key")),
            ..Cors::PREFLIGHT_ALLOWS_AUTH
        }),
        response: Reply::answer(
            401,
            Cors::ECHO_EXPOSED,
            &[
                (
                    "WWW-Authenticate",
                    "Bearer realm=\"https://accounts.google.com/\"",
                ),
                JSON,
            ],
            "{\"error\":{\"code\":401,\"message\":\"API keys are not supported by this API. Expected OAuth2 access token or other authentication credentials that assert a principal.\",\"status\":\"UNAUTHENTICATED\"}}",
        ),
        authorized: None,
    },
    Scenario {
        name: "signed-url-expired",
        title: "403 from object storage: the presigned URL has expired (S3's words)",
        cause: Some(CauseId::SignedRequestExpired),
        request: GET,
        expect: Expect::Readable(403),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: Reply::answer(
            403,
            Cors::ECHO,
            &[("Content-Type", "application/xml")],
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>60</X-Amz-Expires><Expires>2024-01-01T00:01:00Z</Expires><ServerTime>2024-01-01T00:05:00Z</ServerTime></Error>",
        ),
        authorized: None,
    },
    Scenario {
        name: "gateway-missing-route",
        title: "403 “Missing Authentication Token” from an API gateway: no route for this path",
        cause: Some(CauseId::GatewayRouteNotFound),
        request: GET,
        expect: Expect::Readable(403),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: Reply::answer(
            403,
            exposing("x-amzn-ErrorType"),
            &[
                ("x-amzn-ErrorType", "MissingAuthenticationTokenException"),
                JSON,
            ],
            "{\"message\":\"Missing Authentication Token\"}",
        ),
        authorized: None,
    },
    Scenario {
        name: "waf-challenge",
        title: "403 with a firewall's bot challenge page (cf-mitigated: challenge) instead of the API",
        cause: Some(CauseId::WafChallenge),
        request: GET_WITH_GOOD_TOKEN,
        expect: Expect::Readable(403),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: Reply::answer(
            403,
            exposing("cf-mitigated"),
            &[
                ("cf-mitigated", "challenge"),
                ("Content-Type", "text/html; charset=UTF-8"),
            ],
            "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title></head><body><noscript>Enable JavaScript and cookies to continue</noscript></body></html>",
        ),
        authorized: None,
    },
    Scenario {
        name: "sso-not-authorized",
        title: "403 with X-GitHub-SSO: required — the token is not authorised for the organisation's single sign-on",
        cause: Some(CauseId::SsoAuthorizationRequired),
        request: GET_WITH_GOOD_TOKEN,
        expect: Expect::Readable(403),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: Reply::answer(
            403,
            exposing("X-GitHub-SSO"),
            &[
                (
                    "X-GitHub-SSO",
                    "required; url=https://github.com/orgs/lab/sso?authorization_request=LAB",
                ),
                JSON,
            ],
            "{\"message\":\"Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.\"}",
        ),
        authorized: None,
    },
    Scenario {
        name: "rate-limited",
        title: "429 Too Many Requests with Retry-After",
        cause: Some(CauseId::RateLimited),
        request: GET_WITH_BAD_TOKEN,
        expect: Expect::Readable(429),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: Reply::answer(
            429,
            exposing("Retry-After"),
            &[("Retry-After", "30"), JSON],
            "{\"error\":\"too many requests\"}",
        ),
        authorized: None,
    },
    Scenario {
        name: "digest-stale",
        title: "401 with a Digest challenge saying stale=true",
        cause: Some(CauseId::DigestStale),
        request: RequestShape {
            headers: &[(
                "Authorization",
                "Digest username=\"lab\", realm=\"why401 lab\", nonce=\"old\", uri=\"/s/digest-stale\", response=\"6629fae49393a05397450978507c4ef1\", qop=auth, nc=00000001, cnonce=\"0a4f113b\"",
            )],
            ..GET
        },
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(
            Cors::ECHO_EXPOSED,
            &[
                (
                    "WWW-Authenticate",
                    "Digest realm=\"why401 lab\", nonce=\"new\", stale=true, algorithm=SHA-256, qop=\"auth\"",
                ),
                JSON,
            ],
        ),
        authorized: None,
    },
    Scenario {
        name: "dpop-nonce",
        title: "401 asking for a DPoP proof with the server's nonce",
        cause: Some(CauseId::DpopNonceRequired),
        request: GET_WITH_DPOP,
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(
            exposing("WWW-Authenticate, DPoP-Nonce"),
            &[
                (
                    "WWW-Authenticate",
                    "DPoP error=\"use_dpop_nonce\", error_description=\"Resource server requires nonce in DPoP proof\", algs=\"ES256\"",
                ),
                ("DPoP-Nonce", "eyJ7S_zG.eyJH0-Z.HX4w-7v"),
                JSON,
            ],
        ),
        authorized: None,
    },
    Scenario {
        name: "dpop-proof-invalid",
        title: "401 refusing the DPoP proof (invalid_dpop_proof)",
        cause: Some(CauseId::DpopProofInvalid),
        request: GET_WITH_DPOP,
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(
            Cors::ECHO_EXPOSED,
            &[
                (
                    "WWW-Authenticate",
                    "DPoP error=\"invalid_dpop_proof\", error_description=\"The DPoP proof's htu does not match\", algs=\"ES256\"",
                ),
                JSON,
            ],
        ),
        authorized: None,
    },
    Scenario {
        name: "missing-required-header",
        title: "403 because the API requires a header the request lacks (X-API-Key)",
        cause: Some(CauseId::MissingRequiredHeader),
        request: GET,
        expect: Expect::Readable(403),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: Reply::answer(
            403,
            Cors::ECHO,
            &[JSON],
            "{\"message\":\"Missing required header: the X-API-Key header is required\"}",
        ),
        authorized: None,
    },
    Scenario {
        name: "second-factor",
        title: "401 asking for a one-time code (X-GitHub-OTP: required)",
        cause: Some(CauseId::SecondFactorRequired),
        request: GET_WITH_BASIC,
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(
            exposing("WWW-Authenticate, X-GitHub-OTP"),
            &[BASIC_CHALLENGE, ("X-GitHub-OTP", "required; app"), JSON],
        ),
        authorized: None,
    },
    Scenario {
        name: "credentials-stripped",
        title: "A Bearer token sent, and the 401 says no credentials arrived (a proxy removed them)",
        cause: Some(CauseId::CredentialsStrippedInTransit),
        request: GET_WITH_BAD_TOKEN,
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: Reply {
            body: "{\"detail\":\"Authentication credentials were not provided.\"}",
            ..unauthorized(Cors::ECHO_EXPOSED, &[BEARER_NO_TOKEN, JSON])
        },
        authorized: None,
    },
    Scenario {
        name: "challenge-malformed",
        title: "401 whose WWW-Authenticate puts a semicolon after the scheme",
        cause: Some(CauseId::ChallengeMalformed),
        request: GET_WITH_BASIC,
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(
            Cors::ECHO_EXPOSED,
            &[("WWW-Authenticate", "Basic; realm=\"why401 lab\""), JSON],
        ),
        authorized: None,
    },
    Scenario {
        name: "login-redirect",
        title: "A redirect to an HTML login page instead of a 401",
        cause: Some(CauseId::LoginRedirect),
        request: GET,
        expect: Expect::Readable(200),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: Reply {
            status: 302,
            cors: Cors::ECHO,
            headers: &[],
            location: Some(Location::SameOrigin("/s/login")),
            body: "",
        },
        authorized: None,
    },
    Scenario {
        name: "login",
        title: "The HTML login page login-redirect sends to",
        cause: None,
        request: GET,
        expect: Expect::Readable(200),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: Reply::answer(
            200,
            Cors::ECHO,
            &[("Content-Type", "text/html; charset=utf-8")],
            "<!doctype html><title>Sign in</title><form method=post><input name=user><input type=\"password\" name=password><button>Sign in</button></form>",
        ),
        authorized: None,
    },
    Scenario {
        name: "token-ok",
        title: "200 for the correct token (Bearer lab-good-token), 401 otherwise",
        cause: None,
        request: GET_WITH_GOOD_TOKEN,
        expect: Expect::Readable(200),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(Cors::ECHO_EXPOSED, &[BEARER_NO_TOKEN, JSON]),
        authorized: Some(OK_REPLY),
    },
    session_refused(
        "session-cookie-lax",
        "The session cookie is SameSite=Lax: never stored nor sent from another site's page",
        CauseId::CookieSamesiteBlocked,
        &[
            (
                "Set-Cookie",
                "sid=lab-session-31d4; Path=/; HttpOnly; SameSite=Lax",
            ),
            JSON,
        ],
    ),
    session_refused(
        "session-cookie-no-samesite",
        "The session cookie has no SameSite: Chrome treats it as Lax",
        CauseId::CookieSamesiteBlocked,
        &[
            ("Set-Cookie", "sid=lab-session-31d4; Path=/; HttpOnly"),
            JSON,
        ],
    ),
    session_refused(
        "session-cookie-none-insecure",
        "SameSite=None without Secure: the browser rejects the session cookie",
        CauseId::CookieInsecure,
        &[
            (
                "Set-Cookie",
                "sid=lab-session-31d4; Path=/; HttpOnly; SameSite=None",
            ),
            JSON,
        ],
    ),
    session_refused(
        "third-party-session",
        "SameSite=None; Secure, refused where third-party cookies are blocked (Safari, Firefox strict, private windows, the lab's browser)",
        CauseId::CookieNotSentThirdParty,
        &[
            (
                "Set-Cookie",
                "sid=lab-session-31d4; Path=/; Secure; HttpOnly; SameSite=None",
            ),
            JSON,
        ],
    ),
    session_refused(
        "session-ended",
        "The 401 deletes the session cookie: the session is over",
        CauseId::SessionExpired,
        &[("Set-Cookie", "sid=; Path=/; Max-Age=0"), JSON],
    ),
    Scenario {
        name: "audience-mismatch",
        title: "The token is for another API: ASP.NET Core's invalid audience",
        cause: Some(CauseId::TokenAudienceMismatch),
        request: RequestShape {
            headers: &[("Authorization", "Bearer lab-token-for-billing")],
            ..GET
        },
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: unauthorized(
            Cors::ECHO_EXPOSED,
            &[
                (
                    "WWW-Authenticate",
                    "Bearer error=\"invalid_token\", error_description=\"The audience 'api://billing' is invalid\"",
                ),
                JSON,
            ],
        ),
        authorized: Some(OK_REPLY),
    },
    Scenario {
        name: "proxy-auth",
        title: "407 Proxy Authentication Required: a proxy on the way wants its own credentials",
        cause: Some(CauseId::ProxyAuthRequired),
        request: GET,
        expect: Expect::Failed("net::ERR_UNEXPECTED_PROXY_AUTH"),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: Reply::answer(
            407,
            Cors::NONE,
            &[("Proxy-Authenticate", "Basic realm=\"corporate proxy\"")],
            "Proxy authentication required",
        ),
        authorized: None,
    },
    Scenario {
        name: "scheme-redirect",
        title: "A redirect from http to https: another origin, so the browser drops Authorization",
        cause: Some(CauseId::RedirectToOtherScheme),
        request: RequestShape {
            host: LabHost::Named,
            ..GET_WITH_GOOD_TOKEN
        },
        expect: Expect::Readable(401),
        preflight: Reply::no_content(Cors::PREFLIGHT_ALLOWS_AUTH),
        response: Reply {
            status: 301,
            cors: Cors::ECHO,
            headers: &[],
            location: Some(Location::OtherScheme("/s/token-ok")),
            body: "",
        },
        authorized: None,
    },
];

/// The scenario with this name.
pub fn find(name: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenario_names_are_unique_url_segments() {
        let mut names: Vec<&str> = SCENARIOS.iter().map(|s| s.name).collect();
        assert!(
            names.iter().all(|n| n
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')),
            "{names:?}"
        );
        names.sort_unstable();
        let count = names.len();
        names.dedup();
        assert_eq!(count, names.len(), "duplicate scenario names");
    }

    #[test]
    fn cookie_verdicts_are_for_cross_site_scenarios() {
        for verdict in COOKIE_VERDICTS {
            assert!(
                SCENARIOS
                    .iter()
                    .any(|s| s.name == verdict.scenario && s.request.host == LabHost::OtherSite),
                "{}",
                verdict.scenario
            );
        }
    }

    #[test]
    fn scenario_blocked_by_cors_names_a_cause() {
        for s in SCENARIOS {
            if matches!(s.expect, Expect::Blocked(_) | Expect::Failed(_)) {
                assert!(
                    s.cause.is_some(),
                    "{} fails CORS but names no cause",
                    s.name
                );
            }
        }
    }

    #[test]
    fn scenario_find_by_name() {
        assert_eq!(find("token-ok").map(|s| s.name), Some("token-ok"));
        assert!(find("nope").is_none());
    }

    #[test]
    fn scenario_healthy_one_accepts_the_good_token() {
        let ok = find("token-ok").and_then(|s| s.authorized);
        assert_eq!(ok.map(|r| r.status), Some(200));
        assert!(
            GET_WITH_GOOD_TOKEN
                .headers
                .iter()
                .any(|(n, v)| *n == "Authorization" && v.ends_with(GOOD_TOKEN))
        );
    }
}

/// Why Chromium refuses to store the cookie a cookie scenario sets, as the DevTools protocol
/// names it (`Network.responseReceivedExtraInfo.blockedCookies`; the `Schemeful` names are what
/// Chromium reports between `localhost` and `127.0.0.1`). A cookie deleted with `Max-Age=0` is not
/// refused, so `session-ended` is not listed.
#[derive(Debug, Clone, Copy)]
pub struct CookieVerdict {
    pub scenario: &'static str,
    pub reason: &'static str,
    /// Shown only by a browser that blocks third-party cookies (Safari, Firefox's strict mode,
    /// private windows): the tests set Chromium up so for this scenario.
    pub third_party_cookies_blocked: bool,
}

pub const COOKIE_VERDICTS: &[CookieVerdict] = &[
    CookieVerdict {
        scenario: "session-cookie-lax",
        reason: "SchemefulSameSiteLax",
        third_party_cookies_blocked: false,
    },
    CookieVerdict {
        scenario: "session-cookie-no-samesite",
        reason: "SchemefulSameSiteUnspecifiedTreatedAsLax",
        third_party_cookies_blocked: false,
    },
    CookieVerdict {
        scenario: "session-cookie-none-insecure",
        reason: "SameSiteNoneInsecure",
        third_party_cookies_blocked: false,
    },
    CookieVerdict {
        scenario: "third-party-session",
        reason: "UserPreferences",
        third_party_cookies_blocked: true,
    },
];

impl Scenario {
    /// Whether the browser must block third-party cookies to show this scenario.
    pub fn needs_third_party_cookies_blocked(&self) -> bool {
        COOKIE_VERDICTS
            .iter()
            .any(|v| v.scenario == self.name && v.third_party_cookies_blocked)
    }
}

/// What stops a request before any server can answer: a condition of the network or of the page,
/// which the e2e tests set up around the lab (a closed port, a slow endpoint, Chromium flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// A loopback port nothing listens on.
    ClosedPort,
    /// `/delay/5000` asked with a 1-second time limit.
    SlowerThanTimeLimit,
    /// The app's page counts as public (`--ip-address-space-overrides`) and the target is the
    /// loopback lab: Local Network Access, with the permission refused.
    PublicPageToLoopback,
    /// The app is served over `https` and the target is the lab under an `http` name that
    /// resolves to loopback (`--host-resolver-rules`).
    HttpsPageToHttpApi,
}

/// What Chromium reports for a request under a [`Condition`], in `Network.loadingFailed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkExpect {
    /// `errorText`, with no CORS error.
    NetError(&'static str),
    /// Our own time limit aborts the request first.
    TimeLimit,
    /// `corsErrorStatus.corsError`.
    Cors(CorsError),
    /// `blockedReason`.
    BlockedReason(&'static str),
}

#[derive(Debug, Clone, Copy)]
pub struct NetworkScenario {
    pub name: &'static str,
    pub title: &'static str,
    pub cause: CauseId,
    pub condition: Condition,
    pub expect: NetworkExpect,
}

/// One scenario per network-and-page cause.
pub const NETWORK_SCENARIOS: &[NetworkScenario] = &[
    NetworkScenario {
        name: "unreachable",
        title: "Nothing listens on the port: the connection is refused",
        cause: CauseId::Unreachable,
        condition: Condition::ClosedPort,
        expect: NetworkExpect::NetError("net::ERR_CONNECTION_REFUSED"),
    },
    NetworkScenario {
        name: "timeout",
        title: "The server answers after 5 s; the time limit is 1 s",
        cause: CauseId::Timeout,
        condition: Condition::SlowerThanTimeLimit,
        expect: NetworkExpect::TimeLimit,
    },
    NetworkScenario {
        name: "local-network-access",
        title: "A public page calls a loopback API without the Local Network Access permission",
        cause: CauseId::LocalNetworkAccess,
        condition: Condition::PublicPageToLoopback,
        expect: NetworkExpect::Cors(CorsError::LocalNetworkAccessPermissionDenied),
    },
    NetworkScenario {
        name: "mixed-content",
        title: "An https page calls an http API",
        cause: CauseId::MixedContent,
        condition: Condition::HttpsPageToHttpApi,
        expect: NetworkExpect::BlockedReason("mixed-content"),
    },
];
