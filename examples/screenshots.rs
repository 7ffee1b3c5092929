//! Takes screenshots of the built app inspecting lab scenarios, at desktop and phone widths, in
//! light and dark: `make screenshots` (writes docs/*.png). Needs `dist/` and Chromium.
//! Native only: on wasm32 it is an empty program, so that `cargo clippy --target wasm32 --all-targets`
//! passes.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

#[cfg(not(target_arch = "wasm32"))]
#[path = "../tests/e2e/harness.rs"]
#[expect(dead_code, reason = "the harness serves the tests too")]
mod harness;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::harness;
    use chromiumoxide::page::ScreenshotParams;

    /// `(file name, lab scenario, Headers box, paste the console line)`; a shot with headers
    /// shows the form opened.
    const SHOTS: &[(&str, &str, &str, bool)] = &[
        ("readable-401", "basic-challenge", "", false),
        ("cors-blocked", "no-cors-at-all", "", false),
        (
            "with-headers",
            "token-ok",
            "Authorization: Bearer lab-good-token",
            false,
        ),
        ("console-line", "allow-origin-mismatch", "", true),
    ];
    const WIDTHS: &[(&str, i64, i64)] = &[("desktop", 1280, 900), ("phone", 360, 780)];

    #[tokio::main]
    pub async fn main() {
        let out = std::env::args().nth(1).unwrap_or_else(|| "docs".to_owned());
        std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("{out}: {e}"));
        let harness = harness::Harness::start().await;
        for &(shot, scenario, headers, paste_console) in SHOTS {
            for &(width_name, width, height) in WIDTHS {
                for scheme in ["light", "dark"] {
                    let app = harness.open_app().await;
                    app.emulate(width, height, scheme).await;
                    if !headers.is_empty() {
                        app.open_options().await;
                        app.type_into("#headers", headers).await;
                    }
                    app.inspect(&harness.scenario_url(scenario, "shot")).await;
                    if paste_console {
                        // The line the user's own app gets for the same request.
                        let url = harness.scenario_url(scenario, "own");
                        app.js(&format!(
                            "fetch({}).catch(() => null).then(() => true)",
                            serde_json::Value::from(url.as_str())
                        ))
                        .await;
                        let line = app.console_line(&url).await;
                        app.paste_into("#console", &line).await;
                    }
                    let path = format!("{out}/{shot}-{width_name}-{scheme}.png");
                    app.page
                        .save_screenshot(ScreenshotParams::builder().full_page(true).build(), &path)
                        .await
                        .unwrap_or_else(|e| panic!("{path}: {e}"));
                    println!("{path}");
                }
            }
        }
        harness.stop().await;
    }
}
