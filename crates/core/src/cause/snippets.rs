//! Server configuration shared by several causes' advice, and the standards they cite.

use super::Snippet;

/// One CORS set-up that avoids every CORS cause at once: the page's origin allowed by name,
/// credentials allowed, the request's headers and methods allowed, the challenge exposed, on every
/// answer including errors, and preflights answered before authentication.
pub(super) const CORS_SETUP: &[Snippet] = &[
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
pub(super) const CHALLENGE_SETUP: &[Snippet] = &[
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
pub(super) const NO_STORE: &[Snippet] = &[
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
pub(super) const PROXY_AUTHORIZATION: &[Snippet] = &[
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

pub(super) const RFC9110_401: &str =
    "RFC 9110 §15.5.2 (401 Unauthorized) and §11.6.1 (WWW-Authenticate)";
pub(super) const RFC6750: &str = "RFC 6750 §3 (Bearer challenges and error codes)";
pub(super) const RFC7519: &str = "RFC 7519 §4.1 (exp, nbf, aud: seconds since 1970)";
pub(super) const FETCH_CORS: &str = "Fetch Standard, “CORS protocol” and “CORS check”";
pub(super) const FETCH_PREFLIGHT: &str =
    "Fetch Standard, “CORS-preflight fetch” (no credentials, must be 2xx)";
