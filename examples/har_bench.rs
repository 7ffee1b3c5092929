//! HAR files of 1, 10 and 100 MB, generated alike (a page's documents, scripts, images as
//! base64, API calls with tokens and cookies, a sign-in, refusals), read as the page reads them:
//! natively (MB/s and peak heap against the file's size), and in headless Chromium from the
//! exchange box's file input (time to the list of failed entries, the page's WebAssembly memory,
//! its longest task) beside `JSON.parse` of the same file in the same page. `make bench`; needs
//! `dist/` and Chromium. Prints figures, asserts nothing.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

#[cfg(not(target_arch = "wasm32"))]
#[path = "../tests/e2e/harness/mod.rs"]
#[expect(dead_code, reason = "the harness serves the tests too")]
mod harness;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::fmt::Write as _;
    use std::time::Instant;

    use super::harness;

    /// This process's resident memory now and at its peak, in bytes (Linux: `/proc/self/status`).
    fn resident() -> (f64, f64) {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
                .map_or(f64::NAN, |kb| kb * 1024.0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// In a process of its own (`har_bench --peak FILE`): reads the file, then analyses it, and
    /// prints the peak resident memory beyond what it held with the file read.
    fn peak_of(path: &str) {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let (before, _) = resident();
        let counts = analyse(&text);
        let (_, peak) = resident();
        println!("{} {}", peak - before, counts.0);
    }

    const SIZES_MB: &[usize] = &[1, 10, 100];

    fn headers(pairs: &[(&str, String)]) -> String {
        pairs
            .iter()
            .map(|(n, v)| format!(r#"{{"name":"{n}","value":"{v}"}}"#))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// What the `n`th request is: a sign-in, a script, an image, an API call (some refused).
    struct Kind {
        method: &'static str,
        url: String,
        sent: Vec<(&'static str, String)>,
        status: u16,
        answer: Vec<(&'static str, String)>,
        mime: &'static str,
        body: String,
        encoding: &'static str,
    }

    fn kind(n: usize) -> Kind {
        let filler = |bytes: usize, seed: usize| -> String {
            let words = [
                "const ",
                "token",
                "=",
                "fetch(",
                "'/v1/items'",
                ");\\n",
                "return ",
                "x",
            ];
            let mut out = String::with_capacity(bytes + 16);
            let mut i = seed;
            while out.len() < bytes {
                out.push_str(words[i % words.len()]);
                i = i.wrapping_mul(31).wrapping_add(7);
            }
            out
        };
        let (method, url, sent, status, answer, mime, body, encoding) = match n % 10 {
            0 if n.is_multiple_of(200) => (
                "POST",
                "https://auth.example.com/login".to_owned(),
                vec![("content-type", "application/x-www-form-urlencoded".to_owned())],
                302,
                vec![
                    ("location", "https://app.example.com/".to_owned()),
                    ("set-cookie", format!("sid=s{n}; Path=/; Secure; HttpOnly")),
                ],
                "text/html",
                String::new(),
                "",
            ),
            0 | 5 => (
                "GET",
                format!("https://app.example.com/static/chunk-{n}.js"),
                vec![("accept", "*/*".to_owned())],
                200,
                vec![("content-type", "application/javascript".to_owned())],
                "application/javascript",
                filler(40_000, n),
                "",
            ),
            1 | 6 => (
                "GET",
                format!("https://cdn.example.com/img/{n}.png"),
                vec![("accept", "image/avif,image/webp,*/*".to_owned())],
                200,
                vec![("content-type", "image/png".to_owned())],
                "image/png",
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk".repeat(400),
                "base64",
            ),
            _ if n % 50 == 7 => (
                "GET",
                format!("https://api.example.com/v1/items?page={n}"),
                vec![
                    ("origin", "https://app.example.com".to_owned()),
                    ("authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3NjQ0OTY4MDB9.sig".to_owned()),
                ],
                401,
                vec![
                    ("www-authenticate", r#"Bearer error=\"invalid_token\", error_description=\"The access token expired\""#.to_owned()),
                    ("access-control-allow-origin", "https://app.example.com".to_owned()),
                ],
                "application/json",
                r#"{\"error\":\"invalid_token\"}"#.to_owned(),
                "",
            ),
            _ => (
                "GET",
                format!("https://api.example.com/v1/items?page={n}"),
                vec![
                    ("origin", "https://app.example.com".to_owned()),
                    ("authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3NjQ0OTY4MDB9.sig".to_owned()),
                    ("cookie", format!("sid=s{}; theme=dark", n / 200 * 200)),
                ],
                200,
                vec![
                    ("content-type", "application/json".to_owned()),
                    ("access-control-allow-origin", "https://app.example.com".to_owned()),
                ],
                "application/json",
                format!(r#"{{\"items\":[{}]}}"#, (0..60).map(|i| format!(r#"{{\"id\":{i},\"name\":\"item {i} of page {n}\"}}"#)).collect::<Vec<_>>().join(",")),
                "",
            ),
        };
        Kind {
            method,
            url,
            sent,
            status,
            answer,
            mime,
            body,
            encoding,
        }
    }

    /// One entry, the `n`th of the file, in Chrome's shape.
    fn entry(n: usize) -> String {
        let Kind {
            method,
            url,
            sent,
            status,
            answer,
            mime,
            body,
            encoding,
        } = kind(n);
        let second = n / 20;
        let time = format!(
            "2026-11-30T10:{:02}:{:02}.{:03}Z",
            (second / 60) % 60,
            second % 60,
            (n * 37) % 1000
        );
        let mut sent_all = vec![
            (":authority", "example.com".to_owned()),
            ("accept-encoding", "gzip, deflate, br, zstd".to_owned()),
            ("accept-language", "en-GB,en;q=0.9".to_owned()),
            ("sec-ch-ua", r#"\"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\""#.to_owned()),
            ("sec-ch-ua-mobile", "?0".to_owned()),
            ("sec-ch-ua-platform", r#"\"Linux\""#.to_owned()),
            ("sec-fetch-dest", "empty".to_owned()),
            ("sec-fetch-mode", "cors".to_owned()),
            ("sec-fetch-site", "same-site".to_owned()),
            ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36".to_owned()),
        ];
        sent_all.extend(sent);
        let mut answer_all = vec![
            ("date", "Mon, 30 Nov 2026 10:00:00 GMT".to_owned()),
            ("server", "nginx".to_owned()),
            ("cache-control", "no-store".to_owned()),
            ("vary", "Origin, Accept-Encoding".to_owned()),
            ("strict-transport-security", "max-age=63072000".to_owned()),
            ("x-request-id", format!("req-{n:08x}")),
        ];
        answer_all.extend(answer);
        let encoding = if encoding.is_empty() {
            String::new()
        } else {
            format!(r#","encoding":"{encoding}""#)
        };
        format!(
            r#"{{"_initiator":{{"type":"script","stack":{{"callFrames":[{{"functionName":"load","scriptId":"12","url":"https://app.example.com/static/app.js","lineNumber":1,"columnNumber":{n}}}]}}}},"_priority":"High","_resourceType":"fetch","cache":{{}},"connection":"443","request":{{"method":"{method}","url":"{url}","httpVersion":"http/2.0","headers":[{}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0{}}},"response":{{"status":{status},"statusText":"","httpVersion":"http/2.0","headers":[{}],"cookies":[],"content":{{"size":{},"mimeType":"{mime}","text":"{body}"{encoding}}},"redirectURL":"","headersSize":-1,"bodySize":-1,"_transferSize":{},"_error":null}},"serverIPAddress":"203.0.113.7","startedDateTime":"{time}","time":42.5,"timings":{{"blocked":1.2,"dns":-1,"ssl":-1,"connect":-1,"send":0.1,"wait":40.1,"receive":1.1,"_blocked_queueing":0.8}}}}"#,
            headers(&sent_all),
            if method == "POST" {
                r#","postData":{"mimeType":"application/x-www-form-urlencoded","text":"user=ann&password=s3cret"}"#
            } else {
                ""
            },
            headers(&answer_all),
            body.len(),
            body.len() / 3,
        )
    }

    /// A HAR file of about `megabytes` MB.
    fn generate(megabytes: usize) -> String {
        let target = megabytes * 1_000_000;
        let mut out = String::with_capacity(target + 100_000);
        out.push_str(r#"{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[],"entries":["#);
        let mut n = 0;
        while out.len() < target {
            if n > 0 {
                out.push(',');
            }
            out.push_str(&entry(n));
            n += 1;
        }
        out.push_str("]}}");
        out
    }

    /// What the page does with a file: read it, list what failed, follow the cookies.
    fn analyse(text: &str) -> (usize, usize, usize) {
        let har = why401_core::har::parse_har(text).unwrap_or_else(|e| panic!("{e}"));
        let failed = har.failures().len();
        let trail = har.cookie_trail().len() + har.refresh_races().len();
        (har.entries.len(), failed, trail)
    }

    #[expect(clippy::cast_precision_loss, reason = "figures")]
    fn native(files: &[(usize, String)]) {
        println!("HAR natively (release build):");
        for (megabytes, text) in files {
            let mut best = f64::MAX;
            let mut counts = (0, 0, 0);
            for _ in 0..3 {
                let start = Instant::now();
                counts = analyse(text);
                best = best.min(start.elapsed().as_secs_f64());
            }
            let path = std::env::temp_dir().join(format!("why401-bench-{megabytes}.har"));
            std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
            let out = std::process::Command::new(std::env::current_exe().unwrap_or_default())
                .arg("--peak")
                .arg(&path)
                .output()
                .unwrap_or_else(|e| panic!("{e}"));
            let _ = std::fs::remove_file(&path);
            let peak: f64 = String::from_utf8_lossy(&out.stdout)
                .split_whitespace()
                .next()
                .and_then(|p| p.parse().ok())
                .unwrap_or(f64::NAN);
            let peak_ratio = peak / text.len() as f64;
            println!(
                "  {megabytes:>3} MB: {:>7.1} MB/s ({:.0} ms), {} entries, {} failed, {} trail notes; peak memory while reading {:.2}× the file (beyond the file itself)",
                text.len() as f64 / 1e6 / best,
                best * 1000.0,
                counts.0,
                counts.1,
                counts.2,
                peak_ratio,
            );
        }
    }

    pub fn main() {
        let args: Vec<String> = std::env::args().collect();
        if let [_, flag, path] = args.as_slice()
            && flag == "--peak"
        {
            return peak_of(path);
        }
        run();
    }

    #[tokio::main]
    async fn run() {
        let files: Vec<(usize, String)> = SIZES_MB.iter().map(|&mb| (mb, generate(mb))).collect();
        native(&files);

        // The files beside the page in dist/, for it to fetch; removed afterwards.
        let dist = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/dist"));
        let placed = Placed(
            files
                .iter()
                .map(|(megabytes, text)| {
                    let path = dist.join(format!("bench-{megabytes}.har"));
                    std::fs::write(&path, text)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    path
                })
                .collect(),
        );
        let harness = harness::Harness::start_alone().await;
        let app = harness.open_app().await;
        app.js("window.__longest = 0; new PerformanceObserver(l => { for (const e of l.getEntries()) window.__longest = Math.max(window.__longest, e.duration); }).observe({ type: 'longtask', buffered: false }); true")
            .await;
        println!(
            "HAR in headless Chromium (the release page; load, read and list, from the file input):"
        );
        // Three rounds, each size in turn (so that each read is told from the last by its size);
        // the median of each time, the longest task of all.
        let mut rounds: Vec<Vec<[f64; 6]>> = vec![Vec::new(); files.len()];
        for _ in 0..3 {
            for (at, (megabytes, text)) in files.iter().enumerate() {
                let figures = in_page(&app, *megabytes, text.len()).await;
                if let Some(round) = rounds.get_mut(at) {
                    round.push(figures);
                }
            }
        }
        let mut summary = String::new();
        for ((megabytes, text), round) in files.iter().zip(&rounds) {
            let median = |i: usize| {
                let mut values: Vec<f64> = round.iter().filter_map(|f| f.get(i).copied()).collect();
                values.sort_by(f64::total_cmp);
                values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
            };
            let (ms, load, parse, json_parse) = (median(0), median(1), median(2), median(5));
            // The memory of the first round, in which the sizes grow: it never shrinks after.
            let memory = round.first().map_or(f64::NAN, |f| f[3]);
            let longest = round.iter().map(|f| f[4]).fold(0.0, f64::max);
            #[expect(clippy::cast_precision_loss, reason = "figures")]
            let size = text.len() as f64;
            let _ = writeln!(
                summary,
                "  {megabytes:>3} MB: {ms:>4.0} ms ({load:.0} loading, {parse:.0} reading the entries, {:.0} the list and the trail; {:>5.1} MB/s), {:.2}× JSON.parse (text() + parse: {json_parse:.0} ms); WebAssembly memory {:.2}× the file; longest task of the three {longest:.0} ms",
                ms - load - parse,
                size / 1e6 / (ms / 1000.0),
                ms / json_parse,
                memory / size,
            );
        }
        print!("{summary}");
        harness.stop().await;
        drop(placed);
    }

    /// Opens `bench-{megabytes}.har` in the page's file input and waits for it to be read; then
    /// `JSON.parse` of the same file in the same page. The page's total, loading and reading
    /// milliseconds, its WebAssembly memory, the longest task meanwhile, and `JSON.parse`'s
    /// milliseconds (with `text()`).
    async fn in_page(app: &harness::Tab, megabytes: usize, bytes: usize) -> [f64; 6] {
        app.js(&format!(
            "(async () => {{ const blob = await (await fetch('bench-{megabytes}.har')).blob(); \
             window.__file = new File([blob], 'bench-{megabytes}.har', {{ type: 'application/json' }}); \
             window.__longest = 0; \
             const files = new DataTransfer(); files.items.add(window.__file); \
             const input = document.querySelector('#exchange-file'); input.files = files.files; \
             input.dispatchEvent(new Event('change', {{ bubbles: true }})); return true; }})()"
        ))
        .await;
        app.wait_for_js(
            "the file read",
            &format!("document.querySelector('#file-read')?.dataset.bytes === '{bytes}'"),
        )
        .await;
        let mut figures = [f64::NAN; 6];
        for (at, name) in ["ms", "loadMs", "parseMs", "memory"].iter().enumerate() {
            if let Some(slot) = figures.get_mut(at) {
                *slot = app
                    .data("#file-read", name)
                    .await
                    .and_then(|v| v.parse::<f64>().ok())
                    .unwrap_or(f64::NAN);
            }
        }
        figures[4] = app
            .js("window.__longest")
            .await
            .as_f64()
            .unwrap_or(f64::NAN);
        figures[5] = app
            .js("(async () => { const t0 = performance.now(); const text = await window.__file.text(); \
                 const value = JSON.parse(text); const t = performance.now() - t0; \
                 return value.log.entries.length > 0 ? t : -1; })()")
            .await
            .as_f64()
            .unwrap_or(f64::NAN);
        figures
    }

    /// Files written for the page, removed when dropped.
    struct Placed(Vec<std::path::PathBuf>);

    impl Drop for Placed {
        fn drop(&mut self) {
            for path in &self.0 {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}
