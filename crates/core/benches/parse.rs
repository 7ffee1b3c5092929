//! Throughput of the header parsers, in MB/s, on a mix of real header values.
//! `make bench` (release build); prints figures, asserts nothing.

use std::hint::black_box;
use std::time::{Duration, Instant};

use why401_core::console::parse_console_line;
use why401_core::cookie::parse_set_cookie;
use why401_core::cors::{CorsRequest, CredentialsMode, Engine, ServerReply, simulate};
use why401_core::header::{parse_authorization, parse_www_authenticate};
use why401_core::pasted::parse_pasted;
use why401_core::token::decode_token;

const CHALLENGES: &[&str] = &[
    r#"Basic realm="simple", Newauth realm="apps", type=1, title="Login to \"apps\"""#,
    r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#,
    r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#,
    r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push""#,
    "Negotiate YIIB3wYGKwYBBQUCoIIB0zCCAc+gDTALBgkqhkiG9xIBAgKhBAMCAXaiggG6BIIBtmCC==",
    r#"Basic; realm=my realm, Bearer error="x" a=b"#,
];

const COOKIES: &[&str] = &[
    "_gh_sess=abc%3D%3D--def; path=/; secure; HttpOnly; SameSite=Lax",
    "sessionid=k2vq; expires=Tue, 08 Dec 2026 00:00:00 GMT; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax",
    "__cf_bm=x.y-1; path=/; expires=Tue, 24-Nov-26 00:30:00 GMT; domain=.example.com; HttpOnly; Secure; SameSite=None",
    "connect.sid=s%3AQ9xV.abc; Path=/; HttpOnly",
    "__Host-id=1; Secure; Path=/; Domain=example.com; SameSite=Lax",
];

const CREDENTIALS: &[&str] = &[
    "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
    "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "Bearer Bearer undefined",
    "Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b",
];

/// Runs `parse` over `inputs` repeatedly for about `budget` and returns MB/s of input.
/// Console lines as users paste them: one per browser wording.
const CONSOLE_LINES: &[&str] = &[
    "app.js:12 Access to fetch at 'https://api.example.com/v1/me' from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.\napp.js:12 GET https://api.example.com/v1/me net::ERR_FAILED",
    "Access to fetch at 'https://api.example.com/v1/me' from origin 'https://app.example.com' has been blocked by CORS policy: Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response.",
    "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/v1/me. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘https://other.example’). Status code: 401.",
];

/// Answers as users paste them: `curl -i -L` with a redirect, `curl -v`, DevTools' headers.
const PASTED: &[&str] = &[
    "HTTP/1.1 302 Found\r\nLocation: /login\r\nSet-Cookie: sid=31d4d96e407aad42; Path=/; HttpOnly; SameSite=Lax\r\n\r\nHTTP/2 401 \r\ndate: Tue, 01 Dec 2026 09:00:00 GMT\r\ncontent-type: application/json\r\nwww-authenticate: Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token expired\"\r\nvary: Origin\r\naccess-control-allow-origin: https://app.example.com\r\n\r\n{\"error\":\"invalid_token\",\"message\":\"The access token expired\"}\r\n",
    "*   Trying 203.0.113.7:443...\n* Connected to api.example.com\n> OPTIONS /v1/me HTTP/1.1\n> Host: api.example.com\n> Origin: https://app.example.com\n> Access-Control-Request-Method: GET\n> Access-Control-Request-Headers: authorization\n>\n< HTTP/1.1 401 Unauthorized\n< WWW-Authenticate: Basic realm=\"api\"\n< Content-Length: 0\n<\n* Connection #0 left intact\n",
    "Request URL: https://api.example.com/v1/me\nRequest Method: GET\nStatus Code: 401 Unauthorized\nRemote Address: 203.0.113.7:443\nReferrer Policy: strict-origin-when-cross-origin\n\naccess-control-allow-origin: *\ncontent-type: application/json\nset-cookie: __Host-sid=1; Path=/; Secure; HttpOnly; SameSite=None\nwww-authenticate: Bearer\n",
];

fn throughput(inputs: &[&str], budget: Duration, mut parse: impl FnMut(&str)) -> f64 {
    let bytes_per_round: usize = inputs.iter().map(|s| s.len()).sum();
    let start = Instant::now();
    let mut rounds = 0u64;
    while start.elapsed() < budget {
        for _ in 0..100 {
            for input in inputs {
                parse(black_box(input));
            }
        }
        rounds += 100;
    }
    let seconds = start.elapsed().as_secs_f64();
    #[expect(clippy::cast_precision_loss, reason = "a figure to print")]
    let bytes = (bytes_per_round as u64 * rounds) as f64;
    bytes / seconds / 1e6
}

fn main() {
    let budget = Duration::from_millis(
        std::env::var("BENCH_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000),
    );
    let now = 1_795_478_400;
    let request = CorsRequest {
        origin: "https://app.example.com".into(),
        method: "GET".into(),
        headers: vec![("Authorization".into(), "Bearer x".into())],
        credentials: CredentialsMode::Include,
    };
    let preflight = ServerReply {
        status: 204,
        headers: vec![
            (
                "Access-Control-Allow-Origin".into(),
                "https://app.example.com".into(),
            ),
            ("Access-Control-Allow-Credentials".into(), "true".into()),
            (
                "Access-Control-Allow-Headers".into(),
                "authorization, content-type".into(),
            ),
        ],
    };
    let response = ServerReply {
        status: 401,
        headers: vec![
            (
                "Access-Control-Allow-Origin".into(),
                "https://app.example.com".into(),
            ),
            ("Access-Control-Allow-Credentials".into(), "true".into()),
            ("Vary".into(), "Origin".into()),
            ("WWW-Authenticate".into(), "Bearer".into()),
        ],
    };
    let cors_start = Instant::now();
    let mut simulations = 0u32;
    while cors_start.elapsed() < budget {
        black_box(simulate(
            &request,
            Some(&preflight),
            &response,
            Engine::Chromium,
        ));
        simulations += 1;
    }
    let cors_rate = f64::from(simulations) / cors_start.elapsed().as_secs_f64();

    println!("{:<40} {:>10}", "parser", "MB/s");
    let rows = [
        (
            "WWW-Authenticate challenges",
            throughput(CHALLENGES, budget, |s| {
                black_box(parse_www_authenticate(&[s]));
            }),
        ),
        (
            "Set-Cookie (with lint)",
            throughput(COOKIES, budget, |s| {
                black_box(parse_set_cookie(s, now));
            }),
        ),
        (
            "Authorization credentials",
            throughput(CREDENTIALS, budget, |s| {
                black_box(parse_authorization(s));
            }),
        ),
        (
            "JWT decode",
            throughput(
                &[CREDENTIALS[1].trim_start_matches("Bearer ")],
                budget,
                |s| {
                    black_box(decode_token(s));
                },
            ),
        ),
        (
            "console lines (Chromium, Firefox)",
            throughput(CONSOLE_LINES, budget, |s| {
                let _ = black_box(parse_console_line(s));
            }),
        ),
        (
            "pasted answers (curl -i, -v, DevTools)",
            throughput(PASTED, budget, |s| {
                let _ = black_box(parse_pasted(s));
            }),
        ),
    ];
    for (name, rate) in rows {
        println!("{name:<40} {rate:>10.1}");
    }
    println!("{:<40} {:>10.0}", "CORS simulations per second", cors_rate);
}
