//! Explanations: for a finding, the exchange in numbered steps (what was sent, what the browser
//! did, what came back, what it means), then what to change — for the person using the page, the
//! developer calling the API and the server's owner — with configuration for the servers where
//! they differ, and the standards last.

use crate::cause::CauseId;
use crate::cors::{CredentialsMode, PreflightReason, preflight_reason};
use crate::diagnose::{Diagnosis, Finding};
use crate::evidence::Evidence;
use crate::header::{Credentials, CredentialsKind, parse_authorization};
use crate::observation::{ProbeOutcome, ResponseSeen, ResponseType};
use crate::plan::ProbeKind;

/// One server's way of doing the fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snippet {
    pub server: &'static str,
    /// For syntax colouring and the code block's label: `nginx`, `apache`, `js`, `python`, …
    pub language: &'static str,
    pub code: &'static str,
}

/// What to change, by audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Advice {
    /// The person in front of the browser.
    pub end_user: &'static str,
    /// The developer whose code makes the request.
    pub consumer: &'static str,
    /// Whoever runs the server.
    pub owner: &'static str,
    pub snippets: &'static [Snippet],
    /// RFCs and specifications, last.
    pub references: &'static [&'static str],
}

/// The exchange behind a finding, as numbered steps.
pub fn steps(evidence: &Evidence, finding: &Finding) -> Vec<String> {
    let mut steps = Vec::new();
    let request = &evidence.request;
    let method = request.normalized_method();
    let authorization = request.authorization().map(describe_credentials);
    let others: Vec<&str> = request
        .headers
        .iter()
        .filter(|(n, _)| !n.eq_ignore_ascii_case("authorization"))
        .map(|(n, _)| n.as_str())
        .collect();
    let with = match (&authorization, others.is_empty()) {
        (Some(credentials), true) => credentials.clone(),
        (Some(credentials), false) => format!("{credentials} and {}", others.join(", ")),
        (None, false) => others.join(", "),
        (None, true) => "no credentials in its headers".to_owned(),
    };
    let cookies = match request.credentials.cross_origin() {
        CredentialsMode::Include => "cookies for the API could ride along (credentials: include)",
        _ => "no cookies (a cross-origin request without credentials: include carries none)",
    };
    steps.push(format!(
        "The page sent {method} {} with {with}; {cookies}.",
        request.url
    ));

    let because = match preflight_reason(&request.cors_request(&evidence.context.origin)) {
        None => None,
        Some(PreflightReason::Method(method)) => Some(format!("{method} is not GET, HEAD or POST")),
        Some(PreflightReason::Headers(headers)) => Some(format!(
            "{} may not be sent without asking",
            headers.join(", ")
        )),
        Some(PreflightReason::Both { method, headers }) => Some(format!(
            "{method} is not GET, HEAD or POST and {} may not be sent without asking",
            headers.join(", ")
        )),
    };
    steps.push(match because {
        None => "The browser sent it directly: it needs no preflight (a simple request).".to_owned(),
        Some(because) => format!(
            "The browser first asked permission with a preflight (OPTIONS, which never carries credentials), because {because}."
        ),
    });

    let own = evidence.probe(ProbeKind::AsGiven).map(|p| &p.outcome);
    steps.push(match own {
        Some(ProbeOutcome::Response(seen)) => {
            let mut parts = vec![
                format!("{} {}", seen.status, seen.status_text)
                    .trim_end()
                    .to_owned(),
            ];
            if seen.redirected {
                parts.push(format!("after a redirect to {}", seen.url));
            }
            if let Some(challenge) = seen.header("www-authenticate") {
                parts.push(format!("with WWW-Authenticate: {challenge}"));
            }
            format!("The page could read the answer: {}.", parts.join(", "))
        }
        Some(ProbeOutcome::Failed(failure)) => format!(
            "Nothing readable came back: fetch() failed with {}{}. {}",
            failure.error_name,
            if failure.message.is_empty() {
                String::new()
            } else {
                format!(" ({})", failure.message)
            },
            failure.meaning()
        ),
        None => "The request was not sent.".to_owned(),
    });
    for reason in &finding.because {
        steps.push(reason.clone());
    }
    steps
}

/// `Bearer (a JWT of 3 parts, 812 characters)`: the scheme and the shape, never the secret.
fn describe_credentials(value: &str) -> String {
    let credentials = parse_authorization(value);
    let scheme = credentials.scheme.as_deref().unwrap_or("no scheme");
    format!(
        "Authorization: {scheme} ({})",
        credentials_shape(&credentials)
    )
}

/// What credentials are, without the secret: Basic's user and the password's length, or a token's
/// kind and length.
pub fn credentials_shape(credentials: &Credentials) -> String {
    match &credentials.kind {
        CredentialsKind::Basic(Some(basic)) => format!(
            "user “{}” and a password of {} characters",
            basic.user, basic.password_len
        ),
        CredentialsKind::Bearer {
            token,
            looks_like_jwt: true,
        } => format!("a JWT of {} characters", token.len()),
        CredentialsKind::Bearer { token, .. } | CredentialsKind::DPoP { token } => {
            format!("a token of {} characters", token.len())
        }
        _ => format!("{} characters", credentials.value.len()),
    }
}

/// One CORS set-up that avoids every CORS cause at once: the page's origin allowed by name,
/// credentials allowed, the request's headers and methods allowed, the challenge exposed, on every
/// answer including errors, and preflights answered before authentication.
const CORS_SETUP: &[Snippet] = &[
    Snippet {
        server: "nginx",
        language: "nginx",
        code: r#"location /api/ {
    # Preflights carry no credentials: answer them here, before any auth.
    if ($request_method = OPTIONS) {
        add_header Access-Control-Allow-Origin "https://app.example.com" always;
        add_header Access-Control-Allow-Credentials "true" always;
        add_header Access-Control-Allow-Methods "GET, POST, PUT, PATCH, DELETE" always;
        add_header Access-Control-Allow-Headers "Authorization, Content-Type" always;
        add_header Access-Control-Max-Age 600 always;
        add_header Vary Origin always;
        return 204;
    }
    # "always": on 401 and every other error too, not only on 2xx/3xx.
    add_header Access-Control-Allow-Origin "https://app.example.com" always;
    add_header Access-Control-Allow-Credentials "true" always;
    add_header Access-Control-Expose-Headers "WWW-Authenticate" always;
    add_header Vary Origin always;
    proxy_pass http://backend;
}"#,
    },
    Snippet {
        server: "Apache httpd",
        language: "apache",
        code: r#"<Location "/api">
    # "always": on 401 and every other error too ("Header set" alone skips them).
    Header always set Access-Control-Allow-Origin "https://app.example.com"
    Header always set Access-Control-Allow-Credentials "true"
    Header always set Access-Control-Allow-Methods "GET, POST, PUT, PATCH, DELETE"
    Header always set Access-Control-Allow-Headers "Authorization, Content-Type"
    Header always set Access-Control-Expose-Headers "WWW-Authenticate"
    Header always merge Vary Origin
    # Preflights carry no credentials: keep them out of authentication.
    <LimitExcept OPTIONS>
        Require valid-user
    </LimitExcept>
</Location>"#,
    },
    Snippet {
        server: "Express",
        language: "js",
        code: r"const cors = require('cors');

// Before the auth middleware, so that preflights are answered and never reach it.
app.use(cors({
  origin: 'https://app.example.com',
  credentials: true,
  allowedHeaders: ['Authorization', 'Content-Type'],
  exposedHeaders: ['WWW-Authenticate'],
}));
app.use(requireAuth);",
    },
    Snippet {
        server: "Django REST framework",
        language: "python",
        code: r#"# settings.py, with django-cors-headers
INSTALLED_APPS += ["corsheaders"]
# First, so that it answers preflights and decorates every response, errors included.
MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", *MIDDLEWARE]
CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
CORS_ALLOW_CREDENTIALS = True
CORS_EXPOSE_HEADERS = ["WWW-Authenticate"]
# CORS_ALLOW_HEADERS already includes "authorization" by default."#,
    },
    Snippet {
        server: "FastAPI",
        language: "python",
        code: r#"from fastapi.middleware.cors import CORSMiddleware

# Added last, so it is the outermost middleware and sees preflights first.
app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://app.example.com"],
    allow_credentials=True,
    allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
    allow_headers=["Authorization", "Content-Type"],
    expose_headers=["WWW-Authenticate"],
)"#,
    },
    Snippet {
        server: "Spring Security",
        language: "java",
        code: r#"@Bean
SecurityFilterChain api(HttpSecurity http) throws Exception {
    return http
        .cors(Customizer.withDefaults()) // CORS runs before authentication: preflights pass
        .authorizeHttpRequests(a -> a.anyRequest().authenticated())
        .oauth2ResourceServer(o -> o.jwt(Customizer.withDefaults()))
        .build();
}

@Bean
CorsConfigurationSource corsConfigurationSource() {
    var config = new CorsConfiguration();
    config.setAllowedOrigins(List.of("https://app.example.com"));
    config.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
    config.setAllowedHeaders(List.of("Authorization", "Content-Type"));
    config.setExposedHeaders(List.of("WWW-Authenticate"));
    config.setAllowCredentials(true);
    var source = new UrlBasedCorsConfigurationSource();
    source.registerCorsConfiguration("/**", config);
    return source;
}"#,
    },
    Snippet {
        server: "ASP.NET Core",
        language: "csharp",
        code: r#"builder.Services.AddCors(o => o.AddPolicy("app", p => p
    .WithOrigins("https://app.example.com")
    .AllowCredentials()
    .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
    .WithHeaders("Authorization", "Content-Type")
    .WithExposedHeaders("WWW-Authenticate")));

var app = builder.Build();
app.UseRouting();
app.UseCors("app");          // after UseRouting, before authentication
app.UseAuthentication();
app.UseAuthorization();"#,
    },
];

/// Answering a refused request with 401 and a challenge, where frameworks differ.
const CHALLENGE_SETUP: &[Snippet] = &[
    Snippet {
        server: "Django REST framework",
        language: "python",
        code: r#"# The first authentication class decides the 401's challenge. SessionAuthentication has
# none, so DRF answers 403 instead; put one that has a challenge first.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",  # WWW-Authenticate: Token
        "rest_framework.authentication.SessionAuthentication",
    ],
}"#,
    },
    Snippet {
        server: "FastAPI",
        language: "python",
        code: r#"from fastapi import HTTPException

raise HTTPException(
    status_code=401,
    detail="Not authenticated",
    headers={"WWW-Authenticate": "Bearer"},
)"#,
    },
    Snippet {
        server: "Express",
        language: "js",
        code: r#"res.set('WWW-Authenticate', 'Bearer realm="api"');
res.status(401).json({ error: 'unauthorized' });"#,
    },
    Snippet {
        server: "Spring Security",
        language: "java",
        code: r"http.exceptionHandling(e -> e
    // 401 with WWW-Authenticate: Bearer for API calls, instead of a redirect to a login page.
    .authenticationEntryPoint(new BearerTokenAuthenticationEntryPoint()));",
    },
    Snippet {
        server: "ASP.NET Core",
        language: "csharp",
        code: r"// Let the authentication handler answer: it adds WWW-Authenticate.
return Challenge(); // rather than return Unauthorized();

// Cookie authentication redirects to a login page; for API paths, answer 401 instead.
options.Events.OnRedirectToLogin = ctx =>
{
    ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
    return Task.CompletedTask;
};",
    },
];

/// Keeping refusals out of caches.
const NO_STORE: &[Snippet] = &[
    Snippet {
        server: "nginx",
        language: "nginx",
        code: r#"# On every answer, 401 and 403 included.
add_header Cache-Control "no-store" always;"#,
    },
    Snippet {
        server: "Apache httpd",
        language: "apache",
        code: r#"Header always set Cache-Control "no-store" "expr=%{REQUEST_STATUS} -in {'401','403'}""#,
    },
    Snippet {
        server: "Express",
        language: "js",
        code: r"res.set('Cache-Control', 'no-store');
res.status(401).json({ error: 'unauthorized' });",
    },
];

/// Keeping `Authorization` on the right origin.
const PROXY_AUTHORIZATION: &[Snippet] = &[
    Snippet {
        server: "Apache httpd (CGI, PHP-FPM)",
        language: "apache",
        code: r#"# CGI and FastCGI do not see Authorization unless it is passed on.
CGIPassAuth On
# or, for older set-ups:
SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1"#,
    },
    Snippet {
        server: "nginx",
        language: "nginx",
        code: r"location /api/ {
    proxy_pass http://backend;
    # Passed by default, unless something cleared it:
    proxy_set_header Authorization $http_authorization;
}",
    },
];

const RFC9110_401: &str = "RFC 9110 §15.5.2 (401 Unauthorized) and §11.6.1 (WWW-Authenticate)";
const RFC6750: &str = "RFC 6750 §3 (Bearer challenges and error codes)";
const RFC7519: &str = "RFC 7519 §4.1 (exp, nbf, aud: seconds since 1970)";
const FETCH_CORS: &str = "Fetch Standard, “CORS protocol” and “CORS check”";
const FETCH_PREFLIGHT: &str =
    "Fetch Standard, “CORS-preflight fetch” (no credentials, must be 2xx)";

/// What to change for `cause`.
#[expect(
    clippy::too_many_lines,
    reason = "one entry per catalogue cause, read as a table"
)]
pub fn advice(cause: CauseId) -> Advice {
    let (end_user, consumer, owner, snippets, references): (
        &str,
        &str,
        &str,
        &'static [Snippet],
        &'static [&str],
    ) = match cause {
        CauseId::MissingCredentials => (
            "Sign in again in the app that makes this request.",
            "Send the credentials the challenge asks for: an Authorization header in that scheme, or credentials: 'include' when the API relies on cookies. Check that the variable holding the token is set when the request leaves.",
            "Nothing to change if a 401 is right here; make sure the challenge names the scheme you expect clients to use.",
            &[],
            &[RFC9110_401],
        ),
        CauseId::WrongScheme => (
            "Nothing to do by hand; the app sends the wrong kind of credentials.",
            "Use the scheme the server offers in WWW-Authenticate (e.g. “Token …” for Django REST framework's TokenAuthentication, “Bearer …” for OAuth access tokens, “DPoP …” for DPoP-bound tokens).",
            "If you mean to accept this scheme, add it to the authentication set-up and list it in WWW-Authenticate.",
            &[],
            &[RFC9110_401],
        ),
        CauseId::MalformedCredentials => (
            "Sign in again; if it persists, the app has a bug.",
            "Fix the Authorization value as the notes above say: one scheme, one space, the token without quotes or white space, and never a placeholder such as “undefined”.",
            "Answer malformed credentials with 400 or 401 error=\"invalid_request\", so clients can tell them from wrong ones.",
            &[],
            &[
                "RFC 9110 §11.6.2 (Authorization)",
                "RFC 7617 §2 (Basic)",
                RFC6750,
            ],
        ),
        CauseId::InvalidCredentials => (
            "Sign in again, or check the password or key you entered.",
            "Fetch a fresh token or key and check it is for this API and environment (production keys on staging, and the reverse, are refused the same way).",
            "Say why in error_description (expired, revoked, wrong audience): clients cannot see it otherwise.",
            &[],
            &[RFC6750],
        ),
        CauseId::ProxyAuthRequired => (
            "Your network's proxy wants you to sign in; try another network or ask your IT team.",
            "A page cannot answer a proxy's challenge; call the API from a network without the proxy, or from a server.",
            "Exempt the API's host from the proxy's authentication.",
            &[],
            &["RFC 9110 §15.5.8 (407) and §11.7.1 (Proxy-Authenticate)"],
        ),
        CauseId::TokenExpired => (
            "Sign in again.",
            "Refresh the token before it expires (use the refresh token, or sign in again), and retry once on 401 invalid_token.",
            "Keep error_description saying the token expired; consider a little clock-skew leeway.",
            &[],
            &[RFC7519, RFC6750],
        ),
        CauseId::TokenNotYetValid => (
            "Check your computer's clock.",
            "The token's nbf (or iat) is in the future: the issuer's clock or this computer's is wrong. Wait, or fix the clock.",
            "Allow a minute of clock skew when checking nbf and iat, and keep servers on NTP.",
            &[],
            &[RFC7519],
        ),
        CauseId::TokenExpInMilliseconds => (
            "Nothing to do by hand; the token is built wrongly.",
            "Whoever mints the token writes exp/nbf/iat in milliseconds (Date.now()); JWT times are seconds: Math.floor(Date.now() / 1000).",
            "Reject such tokens with a clear error_description instead of treating them as valid for millennia.",
            &[],
            &[RFC7519],
        ),
        CauseId::TokenAudienceMismatch => (
            "Nothing to do by hand.",
            "Request the token for this API's audience (the resource or audience parameter at the authorization server).",
            "Check aud against the identifier clients are told to request.",
            &[],
            &[RFC7519, "RFC 8707 (resource indicators)"],
        ),
        CauseId::TokenMalformed => (
            "Sign in again; if it persists, the app has a bug.",
            "The token was cut or joined with something else on its way into the header (a truncated copy, a quoted JSON string, standard base64 instead of base64url). Send it exactly as issued.",
            "Answer with 401 error=\"invalid_token\" and a description saying it could not be parsed.",
            &[],
            &["RFC 7515 §7.1 (compact serialization)", RFC6750],
        ),
        CauseId::InsufficientScope => (
            "Ask for the permission this action needs, or sign in with an account that has it.",
            "Request a token with the scope the challenge names (scope=…), asking the user to consent again if needed.",
            "Answer 403 (not 401) with error=\"insufficient_scope\" and the scope needed.",
            &[],
            &[RFC6750],
        ),
        CauseId::InvalidRequest => (
            "Nothing to do by hand.",
            "The server finds the request malformed (a token sent twice, in the header and the query, or a parameter missing): send the token once, in the Authorization header.",
            "RFC 6750 pairs invalid_request with 400; say what is wrong in error_description.",
            &[],
            &[RFC6750],
        ),
        CauseId::DigestStale => (
            "Nothing to do: retrying is enough.",
            "Repeat the request with a Digest response computed from the new nonce, without asking for the password again.",
            "Nothing to change; stale=true is how Digest renews nonces.",
            &[],
            &["RFC 7616 §3.3 (stale)"],
        ),
        CauseId::DpopNonceRequired => (
            "Nothing to do: retrying is enough.",
            "Retry with a new DPoP proof whose nonce claim is the DPoP-Nonce the server sent (expose DPoP-Nonce to read it cross-origin).",
            "Expose DPoP-Nonce in Access-Control-Expose-Headers so browser clients can read it.",
            &[],
            &["RFC 9449 §8 and §9 (DPoP nonces)"],
        ),
        CauseId::DpopProofInvalid => (
            "Nothing to do by hand.",
            "Build a fresh proof for every request: htm and htu must match this method and URL, iat must be now, ath must hash this access token, and the key must be the one the token is bound to.",
            "Say which check failed in error_description.",
            &[],
            &["RFC 9449 §4.3 (checking DPoP proofs)"],
        ),
        CauseId::NegotiateUnsupported => (
            "Open the API in a browser your organisation has set up for single sign-on, on its network.",
            "Scripts cannot send Kerberos or NTLM: call this API from a server, or ask for a Bearer or Basic alternative.",
            "Offer a scheme browsers' scripts can use (Bearer) next to Negotiate for API clients.",
            &[],
            &["RFC 4559 (Negotiate)"],
        ),
        CauseId::SessionExpired => (
            "Sign in again.",
            "Detect the 401, refresh the session (or send the user to sign in), then retry.",
            "Tell clients the session expired (a body field or error_description) rather than a bare 401.",
            &[],
            &["RFC 6265bis (cookies)"],
        ),
        CauseId::CookieNotSentThirdParty => (
            "Allow third-party cookies for this site in the browser's settings, or use the app from the API's own site.",
            "Do not rely on cookies across sites: send a token in Authorization, or serve the app and the API from the same site.",
            "Use SameSite=None; Secure (and Partitioned where it fits) for cookies meant for cross-site calls, or move to token authentication.",
            &[],
            &[
                "RFC 6265bis §5.2 (SameSite)",
                "Privacy Sandbox: third-party cookie blocking",
            ],
        ),
        CauseId::CookieSamesiteBlocked => (
            "Use the app from the API's own site.",
            "A SameSite=Lax or Strict cookie is never sent on a cross-site fetch: send a token instead, or move the app to the API's site.",
            "Mark the session cookie SameSite=None; Secure if cross-site use is intended.",
            &[],
            &["RFC 6265bis §5.2 (SameSite)"],
        ),
        CauseId::CookieInsecure => (
            "Use the https address of the site.",
            "Call the API over https: a Secure cookie is never sent over http, and SameSite=None requires Secure.",
            "Serve the API over https and mark its cookies Secure.",
            &[],
            &["RFC 6265bis §5.6 (Secure)"],
        ),
        CauseId::ChallengeMissing => (
            "Nothing to do by hand.",
            "The 401 does not say how to authenticate: read the API's documentation for the scheme it expects.",
            "Send WWW-Authenticate with every 401, naming the scheme (and realm); for cross-origin clients, expose it.",
            CHALLENGE_SETUP,
            &[RFC9110_401],
        ),
        CauseId::ChallengeMalformed => (
            "Nothing to do by hand.",
            "Clients may misread this challenge; rely on the API's documentation for the scheme.",
            "Fix the WWW-Authenticate syntax: the scheme, one space, then comma-separated name=value parameters, values with spaces in double quotes.",
            &[],
            &["RFC 9110 §11.2 and §11.6.1"],
        ),
        CauseId::ForbiddenNotUnauthorized => (
            "If you are signed in, your account lacks the permission; ask for it.",
            "A 403 is about permission, not identity: check the account's roles. If you sent no credentials, the server answers 403 where it should say 401; send them anyway.",
            "Answer 401 with a challenge when no one is authenticated, and 403 only when an authenticated user lacks permission.",
            CHALLENGE_SETUP,
            &["RFC 9110 §15.5.4 (403 Forbidden)", RFC9110_401],
        ),
        CauseId::LoginRedirect => (
            "Sign in on the site, then retry.",
            "The API sent its login page: treat a redirect to it (or HTML where JSON belongs) as 401, and send credentials the API accepts.",
            "Answer API paths with 401 and a challenge instead of redirecting to a login page.",
            CHALLENGE_SETUP,
            &[RFC9110_401],
        ),
        CauseId::AuthOnPreflight => (
            "Nothing to do by hand.",
            "Nothing in your code can fix it: browsers never put credentials on a preflight.",
            "Let CORS answer OPTIONS preflights before authentication runs (CORS middleware first, or OPTIONS exempt from auth).",
            CORS_SETUP,
            &[FETCH_PREFLIGHT],
        ),
        CauseId::CacheableAuthResponse => (
            "Reload bypassing the cache (Ctrl+Shift+R) or try again later.",
            "Send cache: 'no-store' on this request; a cache between you and the API may be serving an old 401.",
            "Send Cache-Control: no-store (or private) on 401 and 403 answers.",
            NO_STORE,
            &["RFC 9111 §3 (storing responses)", "RFC 9110 §15.5.2"],
        ),
        CauseId::CorsMissingAllowOrigin
        | CauseId::CorsNoHeadersOnError
        | CauseId::CorsAllowOriginMismatch
        | CauseId::CorsMultipleAllowOrigin
        | CauseId::CorsWildcardWithCredentials
        | CauseId::CorsMissingAllowCredentials
        | CauseId::CorsPreflightStatus
        | CauseId::CorsHeaderNotAllowed
        | CauseId::CorsWildcardDoesNotCoverAuthorization
        | CauseId::CorsMethodNotAllowed
        | CauseId::CorsChallengeNotExposed
        | CauseId::CorsPreflightRedirect => (
            "Nothing to do by hand: the browser protects you; the server must allow this page.",
            cors_consumer(cause),
            cors_owner(cause),
            CORS_SETUP,
            &[FETCH_CORS, FETCH_PREFLIGHT],
        ),
        CauseId::RedirectDroppedAuthorization => (
            "Nothing to do by hand.",
            "Call the final URL directly (the one the redirect points to): browsers remove Authorization when a redirect crosses origins.",
            "Do not redirect API calls across hosts; or redirect within the same origin.",
            &[],
            &["Fetch Standard, “HTTP-redirect fetch” (Authorization removed across origins)"],
        ),
        CauseId::RedirectToOtherScheme => (
            "Use the https address.",
            "Call the https URL directly: a redirect between http and https changes the origin and drops Authorization.",
            "Serve the API on https only, and send HSTS so clients stop trying http.",
            &[],
            &["RFC 6797 (HSTS)"],
        ),
        CauseId::Unreachable => (
            "Check the address and that the service is running; try it in a new tab.",
            "Check host, port and scheme; a TLS certificate the browser does not trust also ends here (open the URL in a tab to see).",
            "Make sure the service listens on that address and that its certificate is valid for the name.",
            &[],
            &[],
        ),
        CauseId::MixedContent => (
            "Use the https address of the API.",
            "An https page may not fetch http URLs: call the API over https.",
            "Serve the API over https.",
            &[],
            &["W3C Mixed Content §4"],
        ),
        CauseId::LocalNetworkAccess => (
            "Allow the site to reach devices on your network: the icon left of the address bar → Site settings → Local network access (“Apps on device” for localhost).",
            "A public page needs the user's permission to reach localhost or LAN addresses; open the app from the same machine or network (http://localhost), or ask the user to allow it.",
            "Nothing on the server side unlocks it; the permission belongs to the user.",
            &[],
            &["WICG Local Network Access"],
        ),
        CauseId::Timeout => (
            "Try again later, or from another network.",
            "Raise the time limit if the API is slow by design; otherwise something drops the packets (a firewall).",
            "Look for the request in the server's logs: none means it never arrived.",
            &[],
            &[],
        ),
        CauseId::InvalidUrl => (
            "Check the URL you pasted.",
            "Fix the URL as the message says; credentials belong in headers, never in the URL.",
            "Nothing to change.",
            &[],
            &["WHATWG URL Standard"],
        ),
        CauseId::RateLimited => (
            "Wait and try again (Retry-After says how long).",
            "Back off and retry after the time Retry-After gives; this is a limit, not a credentials problem.",
            "Answer 429 with Retry-After rather than 401/403, so clients do not discard good credentials.",
            &[],
            &["RFC 6585 §4 (429)", "RFC 9110 §10.2.3 (Retry-After)"],
        ),
        CauseId::SecondFactorRequired => (
            "Enter the one-time code from your authenticator app.",
            "Send the one-time code in the header the API names (e.g. X-GitHub-OTP), or use a token that needs no second factor.",
            "Expose the second-factor header to browser clients if they are meant to handle it.",
            &[],
            &[],
        ),
        CauseId::CredentialsStrippedInTransit => (
            "Nothing to do by hand.",
            "The credentials left correctly; something on the server's side lost them. Compare with curl -i against the service directly.",
            "Pass Authorization through every layer: CGI/FastCGI need it passed explicitly, and some load balancers and proxies drop it.",
            PROXY_AUTHORIZATION,
            &["RFC 3875 §4.1.18 (CGI: Authorization is not passed by default)"],
        ),
        CauseId::MissingRequiredHeader => (
            "Nothing to do by hand.",
            "Send the header the body names (browsers set User-Agent themselves; scripts can send the others).",
            "Answer a missing required header with 400 and say which, not 401/403.",
            &[],
            &[],
        ),
        CauseId::IpBlocked | CauseId::FirewallOrProxy | CauseId::ServerPluginOrAppBug => (
            "Try from another network.",
            "Compare with curl -i from another machine and network.",
            "Look for the request in the logs of every layer in front of the application.",
            &[],
            &[],
        ),
    };
    Advice {
        end_user,
        consumer,
        owner,
        snippets,
        references,
    }
}

fn cors_consumer(cause: CauseId) -> &'static str {
    match cause {
        CauseId::CorsWildcardWithCredentials | CauseId::CorsMissingAllowCredentials => {
            "If the API does not need cookies, drop credentials: 'include'; otherwise the server must allow credentials for your origin by name."
        }
        CauseId::CorsHeaderNotAllowed | CauseId::CorsWildcardDoesNotCoverAuthorization => {
            "Send only headers the server allows; the server must list Authorization (and any custom header) by name."
        }
        CauseId::CorsMethodNotAllowed => "Use a method the server allows, or have it add this one.",
        CauseId::CorsChallengeNotExposed => {
            "Your code cannot read WWW-Authenticate until the server exposes it; the status and body are readable."
        }
        _ => {
            "A page cannot work around CORS; call the API from a server, or have the server allow this page's origin."
        }
    }
}

fn cors_owner(cause: CauseId) -> &'static str {
    match cause {
        CauseId::CorsMissingAllowOrigin => {
            "Send Access-Control-Allow-Origin with the page's origin on every answer."
        }
        CauseId::CorsNoHeadersOnError => {
            "Send the CORS headers on errors too: nginx add_header … always, Apache Header always set, CORS middleware before auth in frameworks."
        }
        CauseId::CorsAllowOriginMismatch => {
            "Allow the page's exact origin: scheme, host and port, with no path and no trailing slash."
        }
        CauseId::CorsMultipleAllowOrigin => {
            "Send Access-Control-Allow-Origin once: remove it from either the proxy or the application."
        }
        CauseId::CorsWildcardWithCredentials => {
            "With credentials, name the origin instead of * (and send Vary: Origin if you echo it)."
        }
        CauseId::CorsMissingAllowCredentials => {
            "Add Access-Control-Allow-Credentials: true for requests with credentials."
        }
        CauseId::CorsPreflightStatus | CauseId::CorsPreflightRedirect => {
            "Answer OPTIONS preflights with 204 (or 200) and the CORS headers, before routing, redirects and authentication."
        }
        CauseId::CorsHeaderNotAllowed => {
            "List every header the client sends in Access-Control-Allow-Headers, Authorization included."
        }
        CauseId::CorsWildcardDoesNotCoverAuthorization => {
            "Name Authorization in Access-Control-Allow-Headers: * does not cover it by the standard, nor any header with credentials."
        }
        CauseId::CorsMethodNotAllowed => "Add the method to Access-Control-Allow-Methods.",
        _ => {
            "Add Access-Control-Expose-Headers: WWW-Authenticate, so browser clients can read the challenge."
        }
    }
}

/// How one step of the exchange went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    Ok,
    Failed,
    /// Never happened, because an earlier step failed.
    Skipped,
    /// The page cannot tell.
    Unknown,
}

impl StepState {
    pub const fn as_str(self) -> &'static str {
        match self {
            StepState::Ok => "ok",
            StepState::Failed => "failed",
            StepState::Skipped => "skipped",
            StepState::Unknown => "unknown",
        }
    }
}

/// One step of the exchange: `preflight`, `request`, `redirect` or `response`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineStep {
    pub name: &'static str,
    pub state: StepState,
    pub detail: String,
}

/// What the timeline is drawn from.
struct Reading<'a> {
    method: String,
    preflighted: bool,
    readable: Option<&'a ResponseSeen>,
    /// The top finding's `CorsError`, when the browser blocked the request.
    implied: Option<&'static str>,
    /// The top finding stops the request before any server sees it.
    before_network: bool,
    preflight_failed: bool,
    top_title: &'static str,
}

fn step(name: &'static str, state: StepState, detail: impl Into<String>) -> TimelineStep {
    TimelineStep {
        name,
        state,
        detail: detail.into(),
    }
}

/// The exchange as the browser ran it — preflight, request, redirect, response — each marked,
/// from the probes and the top finding.
pub fn timeline(evidence: &Evidence, diagnosis: &Diagnosis) -> Vec<TimelineStep> {
    let request = &evidence.request;
    let top = diagnosis.top();
    let implied = top
        .and_then(|f| f.implied.as_ref())
        .map(|f| f.error.as_str());
    let reading = Reading {
        method: request.normalized_method(),
        preflighted: preflight_reason(&request.cors_request(&evidence.context.origin)).is_some(),
        readable: match evidence.probe(ProbeKind::AsGiven).map(|p| &p.outcome) {
            Some(ProbeOutcome::Response(seen)) => Some(seen),
            _ => None,
        },
        implied,
        before_network: top.is_some_and(|f| {
            matches!(
                f.cause,
                CauseId::Unreachable
                    | CauseId::MixedContent
                    | CauseId::LocalNetworkAccess
                    | CauseId::Timeout
            )
        }),
        preflight_failed: implied
            .is_some_and(|e| e.starts_with("Preflight") || e.contains("PreflightResponse")),
        top_title: top.map_or("", |f| f.cause.title()),
    };
    let mut steps = Vec::new();
    if reading.preflighted {
        steps.push(preflight_step(&reading));
    }
    steps.push(request_step(&reading));
    if let Some(redirect) = redirect_step(evidence, diagnosis, &reading) {
        steps.push(redirect);
    }
    steps.push(response_step(&reading));
    steps
}

fn preflight_step(r: &Reading) -> TimelineStep {
    if r.readable.is_some() || (r.implied.is_some() && !r.preflight_failed && !r.before_network) {
        step("preflight", StepState::Ok, "OPTIONS allowed the request")
    } else if r.before_network {
        step("preflight", StepState::Failed, "never reached the server")
    } else if let Some(error) = r.implied.filter(|_| r.preflight_failed) {
        step("preflight", StepState::Failed, format!("refused: {error}"))
    } else {
        step("preflight", StepState::Unknown, "the page cannot tell")
    }
}

fn request_step(r: &Reading) -> TimelineStep {
    let method = &r.method;
    if r.before_network {
        step("request", StepState::Failed, r.top_title)
    } else if r.readable.is_some() || (r.implied.is_some() && !r.preflight_failed) {
        step("request", StepState::Ok, format!("{method} sent"))
    } else if r.preflight_failed {
        step(
            "request",
            StepState::Skipped,
            format!("{method} never sent: the preflight failed"),
        )
    } else {
        step("request", StepState::Unknown, "the page cannot tell")
    }
}

fn redirect_step(evidence: &Evidence, diagnosis: &Diagnosis, r: &Reading) -> Option<TimelineStep> {
    let manual_saw_one = evidence.probe(ProbeKind::RedirectCheck).is_some_and(|p| {
        matches!(&p.outcome, ProbeOutcome::Response(seen) if seen.response_type == ResponseType::OpaqueRedirect)
    });
    let followed = r.readable.filter(|seen| seen.redirected);
    if !manual_saw_one && followed.is_none() {
        return None;
    }
    let dropped = diagnosis.findings.iter().any(|f| {
        matches!(
            f.cause,
            CauseId::RedirectDroppedAuthorization
                | CauseId::RedirectToOtherScheme
                | CauseId::LoginRedirect
        )
    });
    let to = followed.map_or_else(
        || "to a URL the page cannot see".to_owned(),
        |seen| format!("to {}", seen.url),
    );
    Some(step(
        "redirect",
        if dropped {
            StepState::Failed
        } else {
            StepState::Ok
        },
        to,
    ))
}

fn response_step(r: &Reading) -> TimelineStep {
    match r.readable {
        Some(seen) => step(
            "response",
            if (200..300).contains(&seen.status) {
                StepState::Ok
            } else {
                StepState::Failed
            },
            format!("{} {}", seen.status, seen.status_text).trim_end(),
        ),
        None => match r
            .implied
            .filter(|_| !r.preflight_failed && !r.before_network)
        {
            Some(error) => step(
                "response",
                StepState::Failed,
                format!("answered, but the page may not read it: {error}"),
            ),
            None => step("response", StepState::Skipped, "none readable"),
        },
    }
}

/// The `curl` command that asks the server what the browser hid: the user's request as this
/// page sent it (with its `Origin`), or with `preflight` the `OPTIONS` request the browser sent
/// first. Credentials and cookies become placeholders: the command is shown on screen.
pub fn curl_command(evidence: &Evidence, preflight: bool) -> String {
    curl(evidence, preflight, false)
}

/// "Copy as cURL": the exact request that reproduces the failure, with `Origin`. Unless the user
/// opts in with `with_secrets`, the credentials are placeholders and every other secret is
/// redacted as a share link redacts it ([`crate::redact`]); cookies are always placeholders (a
/// page never sees their values).
pub fn curl_reproduce(evidence: &Evidence, with_secrets: bool) -> String {
    if with_secrets {
        curl(evidence, false, true)
    } else {
        let redacted = crate::redact::redact(evidence, &crate::redact::Redaction::standard());
        curl(&redacted, false, false)
    }
}

fn curl(evidence: &Evidence, preflight: bool, with_secrets: bool) -> String {
    let request = &evidence.request;
    let origin = &evidence.context.origin;
    let mut command = String::from("curl -i");
    let mut arg = |flag: &str, value: &str| {
        command.push_str(" \\\n  ");
        if !flag.is_empty() {
            command.push_str(flag);
            command.push(' ');
        }
        command.push_str(&shell_quote(value));
    };
    arg("", &request.url);
    arg("-H", &format!("Origin: {origin}"));
    if preflight {
        let cors = request.cors_request(origin);
        arg("-X", "OPTIONS");
        arg(
            "-H",
            &format!("Access-Control-Request-Method: {}", cors.method),
        );
        let headers = match preflight_reason(&cors) {
            Some(PreflightReason::Headers(headers) | PreflightReason::Both { headers, .. }) => {
                headers
            }
            _ => Vec::new(),
        };
        if !headers.is_empty() {
            arg(
                "-H",
                &format!("Access-Control-Request-Headers: {}", headers.join(",")),
            );
        }
        return command;
    }
    let method = request.normalized_method();
    if method != "GET" {
        arg("-X", &method);
    }
    for (name, value) in &request.headers {
        let shown = if with_secrets {
            value.clone()
        } else if name.eq_ignore_ascii_case("authorization") {
            match value.split_once(' ') {
                Some((scheme, _)) => format!("{scheme} <credentials>"),
                None => "<credentials>".to_owned(),
            }
        } else if name.eq_ignore_ascii_case("cookie") {
            "<cookies>".to_owned()
        } else {
            value.clone()
        };
        arg("-H", &format!("{name}: {shown}"));
    }
    if request.credentials == CredentialsMode::Include {
        arg("-H", "Cookie: <your cookies for this site>");
    }
    if let Some(body) = &request.body {
        arg("--data-raw", body);
    }
    command
}

/// One shell word: as it is when nothing in it is special, else in single quotes.
fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:@%+=,".contains(&b));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Everything one probe sent and saw, as plain text for the raw view.
pub fn raw(record: &crate::evidence::ProbeRecord) -> String {
    let sent = &record.sent;
    let mut lines = vec![
        format!("{} {}", sent.method, sent.url),
        format!(
            "mode: {}, credentials: {}, redirect: {}, cache: no-store",
            sent.mode.as_str(),
            sent.credentials.as_str(),
            sent.redirect.as_str(),
        ),
    ];
    lines.extend(sent.headers.iter().map(|(n, v)| format!("{n}: {v}")));
    if let Some(body) = &sent.body {
        lines.push(format!("(body: {} characters)", body.chars().count()));
    }
    lines.push(String::new());
    match &record.outcome {
        ProbeOutcome::Response(seen) => {
            lines.push(
                format!(
                    "→ {} {} (response type {}{})",
                    seen.status,
                    seen.status_text,
                    seen.response_type.as_str(),
                    if seen.redirected { ", redirected" } else { "" }
                )
                .replace("  ", " "),
            );
            if !seen.url.is_empty() {
                lines.push(format!("url: {}", seen.url));
            }
            lines.extend(seen.headers.iter().map(|(n, v)| format!("{n}: {v}")));
            if let Some(body) = &seen.body_excerpt {
                lines.push(String::new());
                lines.push(body.clone());
            }
        }
        ProbeOutcome::Failed(failure) => {
            lines.push(format!("→ {}: {}", failure.error_name, failure.message));
        }
    }
    lines.join("\n")
}

/// A server's fix, as read from the advice asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnippetText {
    pub server: String,
    pub language: String,
    pub code: String,
}

/// [`Advice`] as read from the advice asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdviceText {
    pub end_user: String,
    pub consumer: String,
    pub owner: String,
    pub snippets: Vec<SnippetText>,
    pub references: Vec<String>,
}

/// The advice for every cause, as the app loads it. The texts and server configurations are a
/// third of the bundle's weight, so the page fetches them (`advice.json`, written from
/// [`advice`] by [`advice_json`]) after its first paint instead of carrying them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AdviceBook {
    entries: Vec<(CauseId, AdviceText)>,
}

impl AdviceBook {
    pub fn get(&self, cause: CauseId) -> Option<&AdviceText> {
        self.entries
            .iter()
            .find(|(c, _)| *c == cause)
            .map(|(_, advice)| advice)
    }

    /// Reads the asset; a cause it does not know (written by a newer build) is skipped.
    pub fn from_json(bytes: &[u8]) -> Result<AdviceBook, String> {
        use serde_json::Value;
        let value: Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        let object = value
            .as_object()
            .ok_or_else(|| "not a JSON object".to_owned())?;
        let text = |v: &Value, name: &str| -> Result<String, String> {
            v.get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("{name} is missing"))
        };
        let mut entries = Vec::new();
        for (id, entry) in object {
            let Some(cause) = CauseId::from_id(id) else {
                continue;
            };
            let mut snippets = Vec::new();
            for snippet in entry
                .get("snippets")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice)
            {
                snippets.push(SnippetText {
                    server: text(snippet, "server")?,
                    language: text(snippet, "language")?,
                    code: text(snippet, "code")?,
                });
            }
            let references = entry
                .get("references")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .filter_map(|r| r.as_str().map(str::to_owned))
                .collect();
            entries.push((
                cause,
                AdviceText {
                    end_user: text(entry, "end_user")?,
                    consumer: text(entry, "consumer")?,
                    owner: text(entry, "owner")?,
                    snippets,
                    references,
                },
            ));
        }
        Ok(AdviceBook { entries })
    }
}

/// The advice asset: [`advice`] for every cause, as pretty JSON keyed by cause id.
pub fn advice_json() -> String {
    use serde_json::{Map, Value, json};
    let mut book = Map::new();
    for &cause in CauseId::ALL {
        let a = advice(cause);
        book.insert(
            cause.as_str().to_owned(),
            json!({
                "end_user": a.end_user,
                "consumer": a.consumer,
                "owner": a.owner,
                "snippets": a.snippets.iter().map(|s| json!({
                    "server": s.server,
                    "language": s.language,
                    "code": s.code,
                })).collect::<Vec<_>>(),
                "references": a.references,
            }),
        );
    }
    let mut text = serde_json::to_string_pretty(&Value::Object(book)).unwrap_or_default();
    text.push('\n');
    text
}
