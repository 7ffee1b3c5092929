//! The catalogue: every cause, declared once. A record names its id (the contract with the lab,
//! the tests and the DOM's `data-cause`: add, never rename), its family, a title for a heading, a
//! one-sentence summary, how to check it beyond what a page can see, what to change for each
//! audience with server configuration and standards, and the causes it outranks (when both are
//! found, the outranked one is what this one explains). A record that leaves out a field does not
//! compile.

use super::snippets::{
    CHALLENGE_SETUP, CORS_SETUP, FETCH_CORS, FETCH_PREFLIGHT, NO_STORE, PROXY_AUTHORIZATION,
    RFC6750, RFC7519, RFC9110_401,
};

causes! {
    MissingCredentials {
        id: "missing-credentials", family: Credentials,
        title: "No credentials were sent",
        summary: "The request reached the server without anything that identifies the caller: no Authorization header and no cookie it accepts.",
        check: "Look at the request in DevTools' Network panel: no Authorization header and no Cookie header means nothing identified you.",
        end_user: "Sign in again in the app that makes this request.",
        consumer: "Send the credentials the challenge asks for: an Authorization header in that scheme, or credentials: 'include' when the API relies on cookies. Check that the variable holding the token is set when the request leaves.",
        owner: "Nothing to change if a 401 is right here; make sure the challenge names the scheme you expect clients to use.",
        snippets: &[], references: [RFC9110_401],
        outranks: [ChallengeMissing, CorsChallengeNotExposed],
    }
    WrongScheme {
        id: "wrong-scheme", family: Credentials,
        title: "The credentials use a scheme the server does not offer",
        summary: "The request carries credentials in a scheme the server does not list in WWW-Authenticate, so it never reads them.",
        check: "Compare the scheme word at the start of Authorization with the schemes WWW-Authenticate lists (curl -i shows the header when the page cannot).",
        end_user: "Nothing to do by hand; the app sends the wrong kind of credentials.",
        consumer: "Use the scheme the server offers in WWW-Authenticate (e.g. “Token …” for Django REST framework's TokenAuthentication, “Bearer …” for OAuth access tokens, “DPoP …” for DPoP-bound tokens).",
        owner: "If you mean to accept this scheme, add it to the authentication set-up and list it in WWW-Authenticate.",
        snippets: &[], references: [RFC9110_401],
    }
    MalformedCredentials {
        id: "malformed-credentials", family: Credentials,
        title: "The Authorization header is malformed",
        summary: "The Authorization value breaks the syntax of its scheme (a quote, a stray space, a placeholder, bad base64), so the server cannot read it.",
        check: "Print the Authorization value exactly as sent (DevTools, or curl -v): one scheme, one space, then the credentials with no quotes, spaces or placeholder.",
        end_user: "Sign in again; if it persists, the app has a bug.",
        consumer: "Fix the Authorization value as the notes above say: one scheme, one space, the token without quotes or white space, and never a placeholder such as “undefined”.",
        owner: "Answer malformed credentials with 400 or 401 error=\"invalid_request\", so clients can tell them from wrong ones.",
        snippets: &[], references: ["RFC 9110 §11.6.2 (Authorization)", "RFC 7617 §2 (Basic)", RFC6750 ],
        outranks: [InvalidCredentials],
    }
    InvalidCredentials {
        id: "invalid-credentials", family: Credentials,
        title: "The server rejects the credentials",
        summary: "The server reads the credentials in a scheme it offers and refuses them: wrong, revoked, or for another environment.",
        check: "Try the same credentials with curl against the API; the server's logs or error_description say whether they are wrong, revoked or for another environment.",
        end_user: "Sign in again, or check the password or key you entered.",
        consumer: "Fetch a fresh token or key and check it is for this API and environment (production keys on staging, and the reverse, are refused the same way).",
        owner: "Say why in error_description (expired, revoked, wrong audience): clients cannot see it otherwise.",
        snippets: &[], references: [RFC6750],
        outranks: [MissingCredentials, ChallengeMissing, CorsChallengeNotExposed, ForbiddenNotUnauthorized],
    }
    CredentialsInWrongPlace {
        id: "credentials-in-wrong-place", family: Credentials,
        title: "The credentials ride in the wrong header",
        summary: "The request carries credentials, but not where the server reads them: a header named Authentication or Bearer instead of Authorization, or a “Bearer …” value in an API-key header.",
        check: "Compare the header's name and value with the API's documentation: Authorization with its scheme, or the exact key header it names with the bare key.",
        end_user: "Nothing to do by hand; the app sends its credentials in the wrong header.",
        consumer: "Send them as Authorization: Bearer <token> (or Basic), or in the key header the API documents with the key alone.",
        owner: "Answer with a WWW-Authenticate challenge naming the scheme you expect, and say in the body where credentials go.",
        snippets: &[], references: [RFC9110_401],
        outranks: [MissingCredentials, ChallengeMissing, InvalidCredentials],
    }
    KeyWrongKind {
        id: "key-wrong-kind", family: Credentials,
        title: "A credential of a kind this API does not take",
        summary: "The server refuses the kind of credential, not its value: an API key where it wants an OAuth token, an account password where it wants an API token, a test key on live data.",
        check: "Read the API's authentication page for the kind of credential this endpoint takes, and the answer's words, which name the kind it refused.",
        end_user: "Nothing to do by hand; the app sends the wrong kind of credential.",
        consumer: "Send the kind the answer asks for: an OAuth access token instead of an API key, an API token instead of the account password, a secret key instead of a publishable one, a live key for live data.",
        owner: "Name the kind you expected in the error (as Google's “API keys are not supported by this API” does).",
        snippets: &[], references: [RFC6750],
        outranks: [InvalidCredentials, ForbiddenNotUnauthorized],
    }
    SsoAuthorizationRequired {
        id: "sso-authorization-required", family: Credentials,
        title: "The token is not authorised for the organisation's single sign-on",
        summary: "The organisation enforces SAML single sign-on, and this token has not been authorised for it, so its resources stay closed to the token.",
        check: "Open the URL in the answer's X-GitHub-SSO header (or the token's settings, “Configure SSO”) and authorise the token for the organisation.",
        end_user: "Sign in to the organisation's single sign-on once in the browser.",
        consumer: "Authorise the token for the organisation (GitHub: Settings → Tokens → Configure SSO), or use a GitHub App installed on it.",
        owner: "Nothing to change: this is the single sign-on policy working.",
        snippets: &[], references: ["GitHub: authorizing a personal access token for use with SAML single sign-on"],
        outranks: [InvalidCredentials, ForbiddenNotUnauthorized, InsufficientScope],
    }
    ProxyAuthRequired {
        id: "proxy-auth-required", family: Credentials,
        title: "A proxy asks for its own credentials (407)",
        summary: "A proxy between the browser and the server answers 407 and wants Proxy-Authorization, which no page can send.",
        check: "curl -v through the same network shows the 407 and the proxy's Proxy-Authenticate; from another network the request goes through.",
        end_user: "Your network's proxy wants you to sign in; try another network or ask your IT team.",
        consumer: "A page cannot answer a proxy's challenge; call the API from a network without the proxy, or from a server.",
        owner: "Exempt the API's host from the proxy's authentication.",
        snippets: &[], references: ["RFC 9110 §15.5.8 (407) and §11.7.1 (Proxy-Authenticate)"],
        outranks: [
            AuthOnPreflight,
            CorsMissingAllowOrigin,
            CorsNoHeadersOnError,
            CorsAllowOriginMismatch,
            CorsWildcardWithCredentials,
            CorsMissingAllowCredentials,
            CorsPreflightStatus,
            CorsHeaderNotAllowed,
            CorsWildcardDoesNotCoverAuthorization,
            CorsMethodNotAllowed,
            CorsChallengeNotExposed,
            CorsPreflightRedirect,
            CorsMultipleAllowOrigin,
            Unreachable,
            Timeout,
        ],
    }
    TokenExpired {
        id: "token-expired", family: Tokens,
        title: "The token has expired",
        summary: "The token's exp is in the past, so the server refuses it whatever else is right.",
        check: "Decode the token (the Credentials panel does) and compare exp with the time now; a fresh token works.",
        end_user: "Sign in again.",
        consumer: "Refresh the token before it expires (use the refresh token, or sign in again), and retry once on 401 invalid_token.",
        owner: "Keep error_description saying the token expired; consider a little clock-skew leeway.",
        snippets: &[], references: [RFC7519, RFC6750],
        outranks: [InvalidCredentials, ForbiddenNotUnauthorized],
    }
    TokenRevoked {
        id: "token-revoked", family: Tokens,
        title: "The token was revoked",
        summary: "The server knows the token and says it was revoked: signed out, its grant withdrawn, or replaced by a newer one.",
        check: "Sign in again or issue a new token: a fresh one works where the revoked one is refused.",
        end_user: "Sign in again.",
        consumer: "Drop the revoked token and obtain a new one (a refresh token may have been revoked with it); never retry with the old one.",
        owner: "Keep saying “revoked” in error_description: it tells clients to stop retrying.",
        snippets: &[], references: [RFC6750, "RFC 7009 (token revocation)"],
        outranks: [InvalidCredentials, ForbiddenNotUnauthorized],
    }
    RefreshTokenRace {
        id: "refresh-token-race", family: Tokens,
        title: "Token refreshes raced each other",
        summary: "Several requests refreshed the session at once with the same refresh token; the server rotates refresh tokens, so the first refresh won and the others were refused, and the requests waiting on them failed with 401 or signed the user out.",
        check: "In a HAR of the failure, look for several POSTs to the token endpoint with grant_type=refresh_token close together: one 200, the others 400 invalid_grant (or 401).",
        end_user: "Reload the page and sign in again if asked; the app's developers can fix the cause.",
        consumer: "Make the refresh single-flight: one refresh in progress at a time, whose result every request that met a 401 waits for and then retries with; store the new refresh token before anything else uses the old one.",
        owner: "Allow a short grace period in which the just-rotated refresh token still returns the same new tokens, or make rotation idempotent for a few seconds (as several identity providers offer).",
        snippets: &[], references: ["RFC 6749 §6 (refreshing an access token)", "RFC 9700 §4.14.2 (refresh token rotation)"],
        outranks: [InvalidCredentials, TokenRevoked, SessionExpired],
    }
    TokenWrongType {
        id: "token-wrong-type", family: Tokens,
        title: "A token of the wrong type",
        summary: "The token is of a type this API does not take: an ID token or a refresh token where an access token belongs, or an access token issued for another kind of client.",
        check: "Decode the token (the Credentials panel does): an ID token has your client id in aud and a nonce; an access token's aud is the API.",
        end_user: "Nothing to do by hand; the app sends the wrong token.",
        consumer: "Send the access token from the token response (access_token), never the id_token or the refresh_token.",
        owner: "Say which type you expected in error_description.",
        snippets: &[], references: [RFC6750, "OpenID Connect Core 1.0 §2 (ID Token)"],
        outranks: [InvalidCredentials, ForbiddenNotUnauthorized],
    }
    TokenIssuerMismatch {
        id: "token-issuer-mismatch", family: Tokens,
        title: "The token comes from another issuer",
        summary: "The token's issuer (iss) is not the one the API trusts: another realm or tenant, or the same server reached under another host name (localhost against 127.0.0.1, an internal name against the public one).",
        check: "Decode the token (the Credentials panel does) and compare iss with the issuer the API is configured with; the error_description often names both.",
        end_user: "Sign in again from the app's usual address.",
        consumer: "Get the token from the issuer the API trusts, under the very host name it is configured with (Keycloak puts the host name it was called by into iss).",
        owner: "Configure the issuer the clients really see (a fixed public host name, Keycloak's KC_HOSTNAME), or accept each issuer you mean to trust.",
        snippets: &[], references: [RFC7519, "RFC 9068 §4 (validating iss)"],
        outranks: [InvalidCredentials, ForbiddenNotUnauthorized],
    }
    SignedRequestExpired {
        id: "signed-request-expired", family: Tokens,
        title: "The signed URL or request has expired, or the clock is off",
        summary: "The request's signature carries a time, and the server finds it expired or too far from its own clock (a presigned URL used too late, RequestTimeTooSkewed).",
        check: "Read the time in the URL (X-Amz-Date with X-Amz-Expires, or se= of an Azure SAS) and compare it with the Date of the answer; compare your machine's clock with the server's Date.",
        end_user: "Ask for a fresh link; set your computer's clock automatically.",
        consumer: "Sign the URL again just before it is used, with a lifetime longer than the delay; keep the signing machine's clock synced (NTP).",
        owner: "Keep the error code that says why (RequestTimeTooSkewed, AccessDenied with “Request has expired”): clients retry with a new signature only if they know.",
        snippets: &[], references: ["AWS Signature Version 4 (X-Amz-Date, X-Amz-Expires)", "Azure Storage SAS (se)"],
        outranks: [InvalidCredentials, ForbiddenNotUnauthorized],
    }
    TokenNotYetValid {
        id: "token-not-yet-valid", family: Tokens,
        title: "The token is not valid yet",
        summary: "The token's nbf or iat lies in the future by this computer's clock: one of the clocks is wrong.",
        check: "Compare the token's nbf and iat with this computer's clock and with the Date header of the server's answer.",
        end_user: "Check your computer's clock.",
        consumer: "The token's nbf (or iat) is in the future: the issuer's clock or this computer's is wrong. Wait, or fix the clock.",
        owner: "Allow a minute of clock skew when checking nbf and iat, and keep servers on NTP.",
        snippets: &[], references: [RFC7519],
        outranks: [InvalidCredentials],
    }
    TokenExpInMilliseconds {
        id: "token-exp-in-milliseconds", family: Tokens,
        title: "The token's times are in milliseconds",
        summary: "The token's times are written in milliseconds where JWT counts seconds, so they are read as dates thousands of years away.",
        check: "Decode the token: an exp of 13 digits is milliseconds, one of 10 digits is seconds.",
        end_user: "Nothing to do by hand; the token is built wrongly.",
        consumer: "Whoever mints the token writes exp/nbf/iat in milliseconds (Date.now()); JWT times are seconds: Math.floor(Date.now() / 1000).",
        owner: "Reject such tokens with a clear error_description instead of treating them as valid for millennia.",
        snippets: &[], references: [RFC7519],
        outranks: [InvalidCredentials],
    }
    TokenAudienceMismatch {
        id: "token-audience-mismatch", family: Tokens,
        title: "The token is for another audience",
        summary: "The token's aud names another API than the one it is sent to.",
        check: "Decode the token and compare aud with the identifier the API expects (its documentation or configuration).",
        end_user: "Nothing to do by hand.",
        consumer: "Request the token for this API's audience (the resource or audience parameter at the authorization server).",
        owner: "Check aud against the identifier clients are told to request.",
        snippets: &[], references: [RFC7519, "RFC 8707 (resource indicators)"],
        outranks: [InvalidCredentials],
    }
    TokenMalformed {
        id: "token-malformed", family: Tokens,
        title: "The token is damaged",
        summary: "The token is cut, quoted or joined with something else, so it cannot be decoded as issued.",
        check: "Compare the token sent with the one the issuer returned, character by character: its length, quotes, and + or / where base64url has - and _.",
        end_user: "Sign in again; if it persists, the app has a bug.",
        consumer: "The token was cut or joined with something else on its way into the header (a truncated copy, a quoted JSON string, standard base64 instead of base64url). Send it exactly as issued.",
        owner: "Answer with 401 error=\"invalid_token\" and a description saying it could not be parsed.",
        snippets: &[], references: ["RFC 7515 §7.1 (compact serialization)", RFC6750],
        outranks: [InvalidCredentials],
    }
    InsufficientScope {
        id: "insufficient-scope", family: Tokens,
        title: "The token lacks the scope this request needs",
        summary: "The token is valid but lacks the scope or permission this request needs.",
        check: "Decode the token and compare its scope (or scp) with the scope the challenge or the API's documentation names.",
        end_user: "Ask for the permission this action needs, or sign in with an account that has it.",
        consumer: "Request a token with the scope the challenge names (scope=…), asking the user to consent again if needed.",
        owner: "Answer 403 (not 401) with error=\"insufficient_scope\" and the scope needed.",
        snippets: &[], references: [RFC6750],
        outranks: [ForbiddenNotUnauthorized],
    }
    InvalidRequest {
        id: "invalid-request", family: Tokens,
        title: "The server finds the request itself malformed",
        summary: "The server finds the request itself malformed (invalid_request): a token sent twice, or a parameter missing.",
        check: "Read error_description in the challenge, and look for the token both in the header and in the query or body.",
        end_user: "Nothing to do by hand.",
        consumer: "The server finds the request malformed (a token sent twice, in the header and the query, or a parameter missing): send the token once, in the Authorization header.",
        owner: "RFC 6750 pairs invalid_request with 400; say what is wrong in error_description.",
        snippets: &[], references: [RFC6750],
    }
    DigestStale {
        id: "digest-stale", family: Tokens,
        title: "The Digest nonce is stale",
        summary: "The Digest credentials were right but computed from an old nonce; a retry with the new one succeeds.",
        check: "Retry once: a request computed from the nonce of the latest challenge succeeds.",
        end_user: "Nothing to do: retrying is enough.",
        consumer: "Repeat the request with a Digest response computed from the new nonce, without asking for the password again.",
        owner: "Nothing to change; stale=true is how Digest renews nonces.",
        snippets: &[], references: ["RFC 7616 §3.3 (stale)"],
    }
    DpopNonceRequired {
        id: "dpop-nonce-required", family: Tokens,
        title: "The server wants a DPoP proof with its nonce",
        summary: "The server wants every DPoP proof to carry the nonce it sends in DPoP-Nonce.",
        check: "curl -i shows the DPoP-Nonce header of the 401; a proof carrying it as its nonce claim is accepted.",
        end_user: "Nothing to do: retrying is enough.",
        consumer: "Retry with a new DPoP proof whose nonce claim is the DPoP-Nonce the server sent (expose DPoP-Nonce to read it cross-origin).",
        owner: "Expose DPoP-Nonce in Access-Control-Expose-Headers so browser clients can read it.",
        snippets: &[], references: ["RFC 9449 §8 and §9 (DPoP nonces)"],
    }
    DpopProofInvalid {
        id: "dpop-proof-invalid", family: Tokens,
        title: "The DPoP proof is refused",
        summary: "The DPoP proof does not match this request, this token or the key the token is bound to.",
        check: "Decode the DPoP header: htm and htu must be this method and URL, iat now, ath the hash of this token.",
        end_user: "Nothing to do by hand.",
        consumer: "Build a fresh proof for every request: htm and htu must match this method and URL, iat must be now, ath must hash this access token, and the key must be the one the token is bound to.",
        owner: "Say which check failed in error_description.",
        snippets: &[], references: ["RFC 9449 §4.3 (checking DPoP proofs)"],
    }
    NegotiateUnsupported {
        id: "negotiate-unsupported", family: Tokens,
        title: "The server asks for Kerberos/NTLM, which a page cannot do",
        summary: "The server offers only Negotiate or NTLM, Windows sign-on that the browser does itself and no script can send.",
        check: "curl -i shows WWW-Authenticate: Negotiate or NTLM; curl --negotiate from a machine in the domain gets through.",
        end_user: "Open the API in a browser your organisation has set up for single sign-on, on its network.",
        consumer: "Scripts cannot send Kerberos or NTLM: call this API from a server, or ask for a Bearer or Basic alternative.",
        owner: "Offer a scheme browsers' scripts can use (Bearer) next to Negotiate for API clients.",
        snippets: &[], references: ["RFC 4559 (Negotiate)"],
    }
    SessionExpired {
        id: "session-expired", family: Cookies,
        title: "The session has expired",
        summary: "The answer deletes the session cookie: the server ended the session.",
        check: "Look for a Set-Cookie with a past Expires or Max-Age=0 in the answer (curl -i or DevTools); signing in again cures it.",
        end_user: "Sign in again.",
        consumer: "Detect the 401, refresh the session (or send the user to sign in), then retry.",
        owner: "Tell clients the session expired (a body field or error_description) rather than a bare 401.",
        snippets: &[], references: ["RFC 6265bis (cookies)"],
    }
    CookieNotSentThirdParty {
        id: "cookie-not-sent-third-party", family: Cookies,
        title: "The cookies are third-party from here and were not sent",
        summary: "The cookies that identify the caller are third-party from the calling page, and browsers that block those send none.",
        check: "In DevTools, the request's Cookies tab lists the cookies left out and why; allowing third-party cookies for the site changes the answer.",
        end_user: "Allow third-party cookies for this site in the browser's settings, or use the app from the API's own site.",
        consumer: "Do not rely on cookies across sites: send a token in Authorization, or serve the app and the API from the same site.",
        owner: "Use SameSite=None; Secure (and Partitioned where it fits) for cookies meant for cross-site calls, or move to token authentication.",
        snippets: &[], references: ["RFC 6265bis §5.2 (SameSite)", "Privacy Sandbox: third-party cookie blocking" ],
    }
    CookieSamesiteBlocked {
        id: "cookie-samesite-blocked", family: Cookies,
        title: "SameSite keeps the session cookie off this request",
        summary: "The session cookie is SameSite=Lax or Strict, which keeps it off a cross-site fetch.",
        check: "In DevTools, the request's Cookies tab shows the cookie filtered out for its SameSite attribute.",
        end_user: "Use the app from the API's own site.",
        consumer: "A SameSite=Lax or Strict cookie is never sent on a cross-site fetch: send a token instead, or move the app to the API's site.",
        owner: "Mark the session cookie SameSite=None; Secure if cross-site use is intended.",
        snippets: &[], references: ["RFC 6265bis §5.2 (SameSite)"],
    }
    CookieInsecure {
        id: "cookie-insecure", family: Cookies,
        title: "The cookie needs Secure (or HTTPS) to be stored or sent",
        summary: "The cookie needs Secure or an https request to be stored or sent, and this exchange lacks it.",
        check: "Read the Set-Cookie in the answer (curl -i): Secure or SameSite=None over http is dropped, as is any Secure cookie on an http request.",
        end_user: "Use the https address of the site.",
        consumer: "Call the API over https: a Secure cookie is never sent over http, and SameSite=None requires Secure.",
        owner: "Serve the API over https and mark its cookies Secure.",
        snippets: &[], references: ["RFC 6265bis §5.6 (Secure)"],
    }
    CsrfTokenMissing {
        id: "csrf-token-missing", family: Cookies,
        title: "The CSRF check refuses a request that rides on cookies",
        summary: "A request authenticated by a session cookie changes data without the CSRF token the server expects, so its CSRF check refuses it.",
        check: "Send the same request with the token the server set (the csrftoken or XSRF-TOKEN cookie, or the form's hidden field) in its header: the answer changes.",
        end_user: "Reload the page and try again; if it persists, sign out and in again.",
        consumer: "Read the CSRF token the server sets (Django: the csrftoken cookie into X-CSRFToken; Laravel and Angular: XSRF-TOKEN into X-XSRF-TOKEN) and send it on every POST, PUT, PATCH and DELETE, with credentials: 'include' so the session the token belongs to goes along.",
        owner: "Name the CSRF failure in the answer (Django and Laravel do), and allow the token header in Access-Control-Allow-Headers for cross-origin clients; an API that takes tokens in Authorization needs no CSRF check.",
        snippets: &[], references: ["OWASP Cross-Site Request Forgery Prevention Cheat Sheet", "Django: CSRF protection with AJAX"],
        outranks: [ForbiddenNotUnauthorized],
    }
    ChallengeMissing {
        id: "challenge-missing", family: Server,
        title: "The 401 says no way to authenticate",
        summary: "The 401 carries no WWW-Authenticate, so the client is not told how to authenticate.",
        check: "curl -i against the API shows whether the 401 carries WWW-Authenticate at all.",
        end_user: "Nothing to do by hand.",
        consumer: "The 401 does not say how to authenticate: read the API's documentation for the scheme it expects.",
        owner: "Send WWW-Authenticate with every 401, naming the scheme (and realm); for cross-origin clients, expose it.",
        snippets: CHALLENGE_SETUP, references: [RFC9110_401],
    }
    ChallengeMalformed {
        id: "challenge-malformed", family: Server,
        title: "The WWW-Authenticate header is malformed",
        summary: "The WWW-Authenticate header breaks its grammar, so clients may misread the scheme or its parameters.",
        check: "curl -i shows the raw WWW-Authenticate header; the Challenge panel marks where its syntax breaks.",
        end_user: "Nothing to do by hand.",
        consumer: "Clients may misread this challenge; rely on the API's documentation for the scheme.",
        owner: "Fix the WWW-Authenticate syntax: the scheme, one space, then comma-separated name=value parameters, values with spaces in double quotes.",
        snippets: &[], references: ["RFC 9110 §11.2 and §11.6.1"],
    }
    ForbiddenNotUnauthorized {
        id: "forbidden-not-unauthorized", family: Server,
        title: "403 Forbidden: authenticated, or refused regardless",
        summary: "The answer is 403: the server refuses this request whoever asks, or answers 403 where a 401 belongs.",
        check: "Send the request with credentials of an account that has the permission: a 200 means permissions, a 403 again means the server refuses regardless.",
        end_user: "If you are signed in, your account lacks the permission; ask for it.",
        consumer: "A 403 is about permission, not identity: check the account's roles. If you sent no credentials, the server answers 403 where it should say 401; send them anyway.",
        owner: "Answer 401 with a challenge when no one is authenticated, and 403 only when an authenticated user lacks permission.",
        snippets: CHALLENGE_SETUP, references: ["RFC 9110 §15.5.4 (403 Forbidden)", RFC9110_401],
    }
    LoginRedirect {
        id: "login-redirect", family: Server,
        title: "A login page instead of a 401",
        summary: "The server answers an API call with its login page instead of a 401 and a challenge.",
        check: "curl -i without -L shows the 302 and its Location, or a 200 with an HTML login form.",
        end_user: "Sign in on the site, then retry.",
        consumer: "The API sent its login page: treat a redirect to it (or HTML where JSON belongs) as 401, and send credentials the API accepts.",
        owner: "Answer API paths with 401 and a challenge instead of redirecting to a login page.",
        snippets: CHALLENGE_SETUP, references: [RFC9110_401],
    }
    AuthOnPreflight {
        id: "auth-on-preflight", family: Server,
        title: "Authentication runs on the CORS preflight",
        summary: "Authentication runs before CORS, so the preflight (which never carries credentials) gets a 401 without CORS headers.",
        check: "curl -i -X OPTIONS with Origin and Access-Control-Request-Method (the command the report shows) gets a 401 where a 2xx belongs.",
        end_user: "Nothing to do by hand.",
        consumer: "Nothing in your code can fix it: browsers never put credentials on a preflight.",
        owner: "Let CORS answer OPTIONS preflights before authentication runs (CORS middleware first, or OPTIONS exempt from auth).",
        snippets: CORS_SETUP, references: [FETCH_PREFLIGHT],
    }
    CacheableAuthResponse {
        id: "cacheable-auth-response", family: Server,
        title: "The 401 may be cached",
        summary: "The refusal may be stored by a cache and served again to requests with good credentials.",
        check: "Look for Age or X-Cache headers on the refusal, and repeat the request with Cache-Control: no-cache.",
        end_user: "Reload bypassing the cache (Ctrl+Shift+R) or try again later.",
        consumer: "Send cache: 'no-store' on this request; a cache between you and the API may be serving an old 401.",
        owner: "Send Cache-Control: no-store (or private) on 401 and 403 answers.",
        snippets: NO_STORE, references: ["RFC 9111 §3 (storing responses)", "RFC 9110 §15.5.2"],
    }
    CorsMissingAllowOrigin {
        id: "cors-missing-allow-origin", family: Cors,
        title: "No Access-Control-Allow-Origin",
        summary: "The server sends no CORS headers at all.",
        check: "curl -i with an Origin header (the command the report shows) gets an answer without Access-Control-Allow-Origin.",
        end_user: "Nothing to do by hand: the browser protects you; the server must allow this page.",
        consumer: "A page cannot work around CORS; call the API from a server, or have the server allow this page's origin.",
        owner: "Send Access-Control-Allow-Origin with the page's origin on every answer.",
        snippets: CORS_SETUP, references: [FETCH_CORS, FETCH_PREFLIGHT],
    }
    CorsNoHeadersOnError {
        id: "cors-no-headers-on-error", family: Cors,
        title: "CORS headers on successes only, not on the 401",
        summary: "The server adds CORS headers to successful answers only, not to its 401 (nginx add_header without always, Apache Header set without always).",
        check: "curl -i with Origin on the failing request shows a 401 without Access-Control-Allow-Origin, while a successful request carries it.",
        end_user: "Nothing to do by hand: the browser protects you; the server must allow this page.",
        consumer: "A page cannot work around CORS; call the API from a server, or have the server allow this page's origin.",
        owner: "Send the CORS headers on errors too: nginx add_header … always, Apache Header always set, CORS middleware before auth in frameworks.",
        snippets: CORS_SETUP, references: [FETCH_CORS, FETCH_PREFLIGHT],
    }
    CorsAllowOriginMismatch {
        id: "cors-allow-origin-mismatch", family: Cors,
        title: "Access-Control-Allow-Origin names another origin",
        summary: "Access-Control-Allow-Origin names another origin than this page's.",
        check: "curl -i with Origin shows Access-Control-Allow-Origin naming another origin than this page's.",
        end_user: "Nothing to do by hand: the browser protects you; the server must allow this page.",
        consumer: "A page cannot work around CORS; call the API from a server, or have the server allow this page's origin.",
        owner: "Allow the page's exact origin: scheme, host and port, with no path and no trailing slash.",
        snippets: CORS_SETUP, references: [FETCH_CORS, FETCH_PREFLIGHT],
    }
    CorsWildcardWithCredentials {
        id: "cors-wildcard-with-credentials", family: Cors,
        title: "Access-Control-Allow-Origin: * with credentials",
        summary: "Access-Control-Allow-Origin is *, which browsers refuse for a request with credentials.",
        check: "curl -i with Origin shows Access-Control-Allow-Origin: * on an answer to a request with credentials.",
        end_user: "Nothing to do by hand: the browser protects you; the server must allow this page.",
        consumer: "If the API does not need cookies, drop credentials: 'include'; otherwise the server must allow credentials for your origin by name.",
        owner: "With credentials, name the origin instead of * (and send Vary: Origin if you echo it).",
        snippets: CORS_SETUP, references: [FETCH_CORS, FETCH_PREFLIGHT],
    }
    CorsMissingAllowCredentials {
        id: "cors-missing-allow-credentials", family: Cors,
        title: "Access-Control-Allow-Credentials missing",
        summary: "The origin is allowed, but Access-Control-Allow-Credentials: true is missing for a request with credentials.",
        check: "curl -i with Origin shows the origin allowed but no Access-Control-Allow-Credentials: true.",
        end_user: "Nothing to do by hand: the browser protects you; the server must allow this page.",
        consumer: "If the API does not need cookies, drop credentials: 'include'; otherwise the server must allow credentials for your origin by name.",
        owner: "Add Access-Control-Allow-Credentials: true for requests with credentials.",
        snippets: CORS_SETUP, references: [FETCH_CORS, FETCH_PREFLIGHT],
    }
    CorsPreflightStatus {
        id: "cors-preflight-status", family: Cors,
        title: "The preflight gets an error status",
        summary: "The preflight (OPTIONS) gets an error status instead of 2xx.",
        check: "curl -i -X OPTIONS with Origin and Access-Control-Request-Method shows a status other than 2xx.",
        end_user: "Nothing to do by hand: the browser protects you; the server must allow this page.",
        consumer: "A page cannot work around CORS; call the API from a server, or have the server allow this page's origin.",
        owner: "Answer OPTIONS preflights with 204 (or 200) and the CORS headers, before routing, redirects and authentication.",
        snippets: CORS_SETUP, references: [FETCH_CORS, FETCH_PREFLIGHT],
    }
    CorsHeaderNotAllowed {
        id: "cors-header-not-allowed", family: Cors,
        title: "The preflight does not allow the request's headers",
        summary: "The preflight answer does not list the request's headers in Access-Control-Allow-Headers.",
        check: "curl -i -X OPTIONS with Access-Control-Request-Headers shows an Access-Control-Allow-Headers that lacks one of them.",
        end_user: "Nothing to do by hand: the browser protects you; the server must allow this page.",
        consumer: "Send only headers the server allows; the server must list Authorization (and any custom header) by name.",
        owner: "List every header the client sends in Access-Control-Allow-Headers, Authorization included.",
        snippets: CORS_SETUP, references: [FETCH_CORS, FETCH_PREFLIGHT],
    }
    CorsWildcardDoesNotCoverAuthorization {
        id: "cors-wildcard-does-not-cover-authorization", family: Cors,
        title: "Access-Control-Allow-Headers: * does not cover Authorization",
        summary: "Access-Control-Allow-Headers is *, which does not cover Authorization by the standard, nor any header with credentials.",
        check: "curl -i -X OPTIONS shows Access-Control-Allow-Headers: * without Authorization named; Firefox refuses the request where Chromium lets it through.",
        end_user: "Nothing to do by hand: the browser protects you; the server must allow this page.",
        consumer: "Send only headers the server allows; the server must list Authorization (and any custom header) by name.",
        owner: "Name Authorization in Access-Control-Allow-Headers: * does not cover it by the standard, nor any header with credentials.",
        snippets: CORS_SETUP, references: [FETCH_CORS, FETCH_PREFLIGHT],
    }
    CorsMethodNotAllowed {
        id: "cors-method-not-allowed", family: Cors,
        title: "The preflight does not allow the method",
        summary: "The preflight answer does not list the method in Access-Control-Allow-Methods.",
        check: "curl -i -X OPTIONS with Access-Control-Request-Method shows an Access-Control-Allow-Methods without the method.",
        end_user: "Nothing to do by hand: the browser protects you; the server must allow this page.",
        consumer: "Use a method the server allows, or have it add this one.",
        owner: "Add the method to Access-Control-Allow-Methods.",
        snippets: CORS_SETUP, references: [FETCH_CORS, FETCH_PREFLIGHT],
    }
    CorsChallengeNotExposed {
        id: "cors-challenge-not-exposed", family: Cors,
        title: "WWW-Authenticate is not exposed to the page",
        summary: "The 401 is readable but its WWW-Authenticate is not: the server does not list it in Access-Control-Expose-Headers, or sends none (curl -i tells which).",
        check: "curl -i shows the 401's WWW-Authenticate; Access-Control-Expose-Headers on the same answer does not list it.",
        end_user: "Nothing to do by hand: the browser protects you; the server must allow this page.",
        consumer: "Your code cannot read WWW-Authenticate until the server exposes it; the status and body are readable.",
        owner: "Add Access-Control-Expose-Headers: WWW-Authenticate, so browser clients can read the challenge.",
        snippets: CORS_SETUP, references: [FETCH_CORS, FETCH_PREFLIGHT],
    }
    CorsPreflightRedirect {
        id: "cors-preflight-redirect", family: Cors,
        title: "The preflight is redirected",
        summary: "The preflight (OPTIONS) is answered with a redirect, which browsers never follow for a preflight.",
        check: "curl -i -X OPTIONS with Origin shows a 3xx and a Location instead of a 2xx.",
        end_user: "Nothing to do by hand: the browser protects you; the server must allow this page.",
        consumer: "A page cannot work around CORS; call the API from a server, or have the server allow this page's origin.",
        owner: "Answer OPTIONS preflights with 204 (or 200) and the CORS headers, before routing, redirects and authentication.",
        snippets: CORS_SETUP, references: [FETCH_CORS, FETCH_PREFLIGHT],
    }
    CorsMultipleAllowOrigin {
        id: "cors-multiple-allow-origin", family: Cors,
        title: "Access-Control-Allow-Origin is sent twice",
        summary: "Access-Control-Allow-Origin is sent twice (a proxy and the application both add it).",
        check: "curl -i with Origin shows Access-Control-Allow-Origin twice, or one field holding two values.",
        end_user: "Nothing to do by hand: the browser protects you; the server must allow this page.",
        consumer: "A page cannot work around CORS; call the API from a server, or have the server allow this page's origin.",
        owner: "Send Access-Control-Allow-Origin once: remove it from either the proxy or the application.",
        snippets: CORS_SETUP, references: [FETCH_CORS, FETCH_PREFLIGHT],
    }
    RedirectDroppedAuthorization {
        id: "redirect-dropped-authorization", family: Redirects,
        title: "A cross-origin redirect dropped Authorization",
        summary: "The server redirected the request to another origin; browsers remove Authorization on a cross-origin redirect, so it arrived there without credentials.",
        check: "curl -i without -L shows the redirect's Location on another origin; calling that URL directly with the credentials succeeds.",
        end_user: "Nothing to do by hand.",
        consumer: "Call the final URL directly (the one the redirect points to): browsers remove Authorization when a redirect crosses origins.",
        owner: "Do not redirect API calls across hosts; or redirect within the same origin.",
        snippets: &[], references: ["Fetch Standard, “HTTP-redirect fetch” (Authorization removed across origins)"],
        outranks: [InvalidCredentials, MissingCredentials],
    }
    RedirectToOtherScheme {
        id: "redirect-to-other-scheme", family: Redirects,
        title: "A redirect changed http and https",
        summary: "A redirect between http and https changes the origin, so the browser drops Authorization on the way.",
        check: "curl -i without -L shows a Location whose scheme differs from the request's.",
        end_user: "Use the https address.",
        consumer: "Call the https URL directly: a redirect between http and https changes the origin and drops Authorization.",
        owner: "Serve the API on https only, and send HSTS so clients stop trying http.",
        snippets: &[], references: ["RFC 6797 (HSTS)"],
        outranks: [RedirectDroppedAuthorization],
    }
    CorsBlocksPagesOnly {
        id: "cors-blocks-pages-only", family: Network,
        title: "Only a web page is refused the answer, and your client is not one",
        summary: "The API does not let a web page of another origin read its answers — usual for a server-to-server API — and your request runs outside a browser, where CORS does not apply.",
        check: "Run the curl command below: it shows the answer your own client gets, with the server's reason.",
        end_user: "Nothing to do by hand.",
        consumer: "Nothing to change for CORS: a server, a script, a mobile app, Postman and curl are not bound by it. Paste what curl prints to see why the server refuses your request.",
        owner: "Nothing to change unless web pages are meant to call this API; then allow their origins (Access-Control-Allow-Origin) and expose the headers they read.",
        snippets: &[], references: [FETCH_CORS],
    }
    Unreachable {
        id: "unreachable", family: Network,
        title: "Nothing answered",
        summary: "Nothing answered: the name does not resolve, the connection is refused, or TLS fails.",
        check: "Open the URL in a new tab: a browser error page (name not resolved, connection refused, certificate) confirms it.",
        end_user: "Check the address and that the service is running; try it in a new tab.",
        consumer: "Check host, port and scheme; a TLS certificate the browser does not trust also ends here (open the URL in a tab to see).",
        owner: "Make sure the service listens on that address and that its certificate is valid for the name.",
        snippets: &[], references: [],
    }
    MixedContent {
        id: "mixed-content", family: Network,
        title: "An http URL from an https page (mixed content)",
        summary: "This https page may not fetch an http URL (mixed content).",
        check: "The console says the https page requested an insecure resource; the same URL with https works.",
        end_user: "Use the https address of the API.",
        consumer: "An https page may not fetch http URLs: call the API over https.",
        owner: "Serve the API over https.",
        snippets: &[], references: ["W3C Mixed Content §4"],
    }
    LocalNetworkAccess {
        id: "local-network-access", family: Network,
        title: "Local Network Access permission refused",
        summary: "The browser blocks a public page from reaching a local address without the user's permission (Local Network Access).",
        check: "The site settings' Local network access permission is Block or Ask; allowing it changes the answer.",
        end_user: "Allow the site to reach devices on your network: the icon left of the address bar → Site settings → Local network access (“Apps on device” for localhost).",
        consumer: "A public page needs the user's permission to reach localhost or LAN addresses; open the app from the same machine or network (http://localhost), or ask the user to allow it.",
        owner: "Nothing on the server side unlocks it; the permission belongs to the user.",
        snippets: &[], references: ["WICG Local Network Access"],
    }
    Timeout {
        id: "timeout", family: Network,
        title: "No answer within the time limit",
        summary: "Nothing answered within the time limit: the server is slow, or a firewall drops the packets without refusing them.",
        check: "curl -m with the same limit times out too; the server's access log shows whether the request arrived.",
        end_user: "Try again later, or from another network.",
        consumer: "Raise the time limit if the API is slow by design; otherwise something drops the packets (a firewall).",
        owner: "Look for the request in the server's logs: none means it never arrived.",
        snippets: &[], references: [],
    }
    InvalidUrl {
        id: "invalid-url", family: Network,
        title: "The URL cannot be requested",
        summary: "The URL cannot be requested from a page: it does not parse, or its scheme is not http or https.",
        check: "Paste the URL in the address bar: a browser that cannot open it cannot fetch it either.",
        end_user: "Check the URL you pasted.",
        consumer: "Fix the URL as the message says; credentials belong in headers, never in the URL.",
        owner: "Nothing to change.",
        snippets: &[], references: ["WHATWG URL Standard"],
    }
    RateLimited {
        id: "rate-limited", family: Status,
        title: "A rate or abuse limit, not authentication",
        summary: "The refusal comes from a rate or abuse limit, not from the credentials.",
        check: "Read Retry-After and X-RateLimit-* in the answer (curl -i); the same request after the wait succeeds.",
        end_user: "Wait and try again (Retry-After says how long).",
        consumer: "Back off and retry after the time Retry-After gives; this is a limit, not a credentials problem.",
        owner: "Answer 429 with Retry-After rather than 401/403, so clients do not discard good credentials.",
        snippets: &[], references: ["RFC 6585 §4 (429)", "RFC 9110 §10.2.3 (Retry-After)"],
        outranks: [ForbiddenNotUnauthorized],
    }
    AuthFailureAs404 {
        id: "auth-failure-as-404", family: Status,
        title: "A 404 that hides an authentication failure",
        summary: "Some APIs answer 404 Not Found, not 401 or 403, for a resource the caller may not see, so as not to reveal that it exists: the credentials, not the URL, may be what is wrong.",
        check: "Request the same URL with credentials that can see the resource (an account with access, a token with the scope): a 200 there means the credentials, not the path.",
        end_user: "Sign in with an account that has access.",
        consumer: "Send credentials that can see the resource (a token with the repo scope, authorised for the organisation's single sign-on) before suspecting the URL.",
        owner: "Nothing to change if hiding private resources is intended; say in the documentation that 404 can mean “not visible to you”.",
        snippets: &[], references: ["GitHub REST API: authenticating (404 Not Found for resources the caller may not see)", "GitLab REST API: status codes (404 for resources the caller may not access)"],
    }
    GatewayRouteNotFound {
        id: "gateway-route-not-found", family: Status,
        title: "An API gateway hides a wrong path behind “missing authentication”",
        summary: "An API gateway answers a path or method it has no route for with 403 “Missing Authentication Token”: the URL is wrong, not the credentials.",
        check: "Compare the URL and method with the stage's routes (the stage name in the path, a trailing slash, the resource's case); the same URL with the right path answers differently.",
        end_user: "Nothing to do by hand; the app calls a wrong address.",
        consumer: "Fix the path and method: include the stage (/prod/…), match the resource exactly, and deploy the API after adding a route.",
        owner: "Add a default 404 response for unknown routes (a gateway response for MISSING_AUTHENTICATION_TOKEN), so clients are not sent after credentials.",
        snippets: &[], references: ["AWS API Gateway: gateway responses (MISSING_AUTHENTICATION_TOKEN)"],
        outranks: [MissingCredentials, InvalidCredentials, ForbiddenNotUnauthorized],
    }
    WafChallenge {
        id: "waf-challenge", family: Status,
        title: "A bot or WAF challenge answered, not the API",
        summary: "A firewall in front of the API (Cloudflare, Akamai, AWS WAF) answered with its bot challenge or block page: the request never reached the API's authentication.",
        check: "The answer carries the firewall's mark (cf-mitigated: challenge, a “Just a moment…” page, an Akamai or AWS WAF reference); the same request from an allowed network reaches the API.",
        end_user: "Open the API's address in a browser tab once, or try from another network.",
        consumer: "Scripts cannot solve the challenge: ask the API's owner to allow your client (a WAF rule, an API token that skips the challenge, an allowed address).",
        owner: "Skip bot challenges on API routes (a WAF rule for /api, or a verified-bot or token exception); answer API clients with JSON, not an HTML challenge.",
        snippets: &[], references: ["Cloudflare: cf-mitigated response header"],
        outranks: [MissingCredentials, InvalidCredentials, ForbiddenNotUnauthorized, ChallengeMissing],
    }
    SecondFactorRequired {
        id: "second-factor-required", family: Status,
        title: "A second factor (one-time code) is required",
        summary: "The credentials are right, and the server also wants a one-time code.",
        check: "curl -i shows the header that asks for the code (such as X-GitHub-OTP: required); the request with the code succeeds.",
        end_user: "Enter the one-time code from your authenticator app.",
        consumer: "Send the one-time code in the header the API names (e.g. X-GitHub-OTP), or use a token that needs no second factor.",
        owner: "Expose the second-factor header to browser clients if they are meant to handle it.",
        snippets: &[], references: [],
    }
    CredentialsStrippedInTransit {
        id: "credentials-stripped-in-transit", family: Status,
        title: "Something between removed the credentials",
        summary: "The credentials left in the scheme the server offers, yet it says none arrived: a layer in between removed them.",
        check: "Send the same request with curl -i straight to the application, past the proxy or web server: there the credentials are accepted.",
        end_user: "Nothing to do by hand.",
        consumer: "The credentials left correctly; something on the server's side lost them. Compare with curl -i against the service directly.",
        owner: "Pass Authorization through every layer: CGI/FastCGI need it passed explicitly, and some load balancers and proxies drop it.",
        snippets: PROXY_AUTHORIZATION, references: ["RFC 3875 §4.1.18 (CGI: Authorization is not passed by default)"],
    }
    MissingRequiredHeader {
        id: "missing-required-header", family: Status,
        title: "The API requires a header that was not sent",
        summary: "The API refuses a request that lacks a header it requires, and says so in the body.",
        check: "Send the request with the header the body names (curl -H): the answer changes.",
        end_user: "Nothing to do by hand.",
        consumer: "Send the header the body names (browsers set User-Agent themselves; scripts can send the others).",
        owner: "Answer a missing required header with 400 and say which, not 401/403.",
        snippets: &[], references: [],
        outranks: [ForbiddenNotUnauthorized],
    }
    IpBlocked {
        id: "ip-blocked", family: NotDetectable,
        title: "The client's address is blocked",
        summary: "The server or a firewall refuses the client's network address, whatever the credentials.",
        check: "Try from another network (a phone's hotspot); the server's owner can look for your address in the access logs or the firewall's rules.",
        end_user: "Try from another network.",
        consumer: "Compare with curl -i from another machine and network.",
        owner: "Look for the request in the logs of every layer in front of the application.",
        snippets: &[], references: [],
    }
    FirewallOrProxy {
        id: "firewall-or-proxy", family: NotDetectable,
        title: "A firewall or proxy answers instead of the server",
        summary: "A firewall, WAF or proxy in front of the API answers instead of the API.",
        check: "Run curl -i from a machine outside your network and compare; a Server or Via header that is not the API's own points at the box in between.",
        end_user: "Try from another network.",
        consumer: "Compare with curl -i from another machine and network.",
        owner: "Look for the request in the logs of every layer in front of the application.",
        snippets: &[], references: [],
    }
    ServerPluginOrAppBug {
        id: "server-plugin-or-app-bug", family: NotDetectable,
        title: "A server plug-in or application bug",
        summary: "A component of the server (an authentication plug-in, middleware or the application) refuses the request wrongly.",
        check: "The server's own logs for this request say which component refused it; an authentication plug-in or middleware can answer 401 before the application runs.",
        end_user: "Try from another network.",
        consumer: "Compare with curl -i from another machine and network.",
        owner: "Look for the request in the logs of every layer in front of the application.",
        snippets: &[], references: [],
    }
}
