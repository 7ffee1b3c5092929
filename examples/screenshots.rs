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
#[path = "../tests/e2e/harness/mod.rs"]
#[expect(dead_code, reason = "the harness serves the tests too")]
mod harness;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::harness;
    use chromiumoxide::page::ScreenshotParams;

    /// One screenshot: the lab scenario inspected with its own request, and what the user
    /// pastes afterwards.
    struct Shot {
        file: &'static str,
        scenario: &'static str,
        /// Open the form's options and show the scenario's headers and credentials mode.
        options: bool,
        console_line: bool,
        curl: bool,
        /// A server's answer to paste, as a user would from their terminal.
        paste: Option<&'static str>,
        /// A whole exchange pasted on the first screen instead of inspecting: nothing is sent.
        exchange: Option<&'static str>,
        /// A HAR file pasted on the first screen: its failed entries and what follows across them.
        har: Option<&'static str>,
        share: Share,
    }

    /// What the shot shows of sharing.
    #[derive(PartialEq)]
    enum Share {
        No,
        /// The share panel, open.
        Panel,
        /// The report a teammate sees on opening the link.
        Opened,
    }

    /// A shot of the report alone: no options, nothing pasted, nothing shared.
    const PLAIN: Shot = Shot {
        file: "",
        scenario: "",
        options: false,
        console_line: false,
        curl: false,
        paste: None,
        exchange: None,
        har: None,
        share: Share::No,
    };

    const SHOTS: &[Shot] = &[
        Shot {
            file: "paste-only",
            scenario: "basic-challenge",
            // A real answer of Notion's API to a wrong token (the corpus's notion-01).
            exchange: Some(include_str!("../crates/core/tests/corpus/notion-01.http")),
            ..PLAIN
        },
        Shot {
            file: "har-file",
            scenario: "basic-challenge",
            har: Some(include_str!("../tests/e2e/samples/session.har")),
            ..PLAIN
        },
        Shot {
            file: "readable-401",
            scenario: "basic-challenge",
            ..PLAIN
        },
        Shot {
            file: "cors-blocked",
            scenario: "no-cors-at-all",
            ..PLAIN
        },
        Shot {
            file: "with-headers",
            scenario: "token-ok",
            options: true,
            ..PLAIN
        },
        Shot {
            file: "console-line",
            scenario: "allow-origin-mismatch",
            console_line: true,
            ..PLAIN
        },
        Shot {
            file: "pasted-answer",
            scenario: "session-cookie-lax",
            options: true,
            curl: true,
            ..PLAIN
        },
        Shot {
            file: "share-panel",
            scenario: "bearer-expired-token",
            options: true,
            share: Share::Panel,
            ..PLAIN
        },
        Shot {
            file: "shared-link",
            scenario: "no-cors-on-401",
            share: Share::Opened,
            ..PLAIN
        },
        Shot {
            file: "hidden-characters",
            scenario: "basic-challenge",
            paste: Some(
                "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic realm=\"invoice-\u{202E}gnp.exe\"\nSet-Cookie: s\u{200B}id=1; Path=/; HttpOnly; SameSite=Lax\n\n",
            ),
            ..PLAIN
        },
    ];
    const WIDTHS: &[(&str, i64, i64)] = &[("desktop", 1280, 900), ("phone", 360, 780)];

    /// What the shot starts with: a HAR file or an exchange pasted, or `url` inspected.
    async fn begin(app: &harness::Tab, shot: &Shot, url: &str) {
        if let Some(har) = shot.har {
            app.paste_into("#exchange", har).await;
            app.wait_for_js(
                "the HAR file read",
                "document.querySelector('#har-trail') !== null",
            )
            .await;
        } else if let Some(exchange) = shot.exchange {
            app.diagnose_paste(exchange).await;
        } else {
            app.inspect(url).await;
        }
    }

    #[tokio::main]
    pub async fn main() {
        let out = std::env::args().nth(1).unwrap_or_else(|| "docs".to_owned());
        std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("{out}: {e}"));
        let harness = harness::Harness::start().await;
        for shot in SHOTS {
            let scenario = why401_lab::SCENARIOS
                .iter()
                .find(|s| s.name == shot.scenario)
                .unwrap_or_else(|| panic!("no scenario {}", shot.scenario));
            for &(width_name, width, height) in WIDTHS {
                for scheme in ["light", "dark"] {
                    let app = harness.open_app().await;
                    app.emulate(width, height, scheme).await;
                    if shot.options {
                        app.type_request(scenario).await;
                    }
                    begin(&app, shot, &harness.url_of(scenario, "shot")).await;
                    if shot.console_line {
                        // The line the user's own app gets for the same request.
                        let url = harness.url_of(scenario, "own");
                        app.js(&format!(
                            "fetch({}).catch(() => null).then(() => true)",
                            serde_json::Value::from(url.as_str())
                        ))
                        .await;
                        let line = app.console_line(&url).await;
                        app.paste_into("#console", &line).await;
                    }
                    if shot.curl {
                        app.wait_for_js(
                            "the complete report",
                            "document.querySelector('#report')?.dataset.state === 'done'",
                        )
                        .await;
                        app.paste_curl(None).await;
                    }
                    if let Some(answer) = shot.paste {
                        app.wait_for_js(
                            "the complete report",
                            "document.querySelector('#report')?.dataset.state === 'done'",
                        )
                        .await;
                        app.paste_into("#pasted", answer).await;
                        app.wait_for_js(
                            "the names that are not what they look like",
                            "document.querySelector('#lookalikes') !== null",
                        )
                        .await;
                    }
                    let app = match shot.share {
                        Share::No => app,
                        Share::Panel | Share::Opened => {
                            app.wait_for_js(
                                "the complete report",
                                "document.querySelector('#report')?.dataset.state === 'done'",
                            )
                            .await;
                            app.js("document.querySelector('#share-open').click()")
                                .await;
                            app.wait_for_js(
                                "the share panel",
                                "document.querySelector('#share-link') !== null",
                            )
                            .await;
                            if shot.share == Share::Panel {
                                app.js("document.querySelector('#share').scrollIntoView()")
                                    .await;
                                app
                            } else {
                                let link =
                                    app.js("document.querySelector('#share-link').value").await;
                                let tab = harness.open(link.as_str().unwrap_or_default()).await;
                                tab.emulate(width, height, scheme).await;
                                tab.wait_for_js(
                                    "the shared report",
                                    "document.querySelector('#report')?.dataset.state === 'done'",
                                )
                                .await;
                                tab
                            }
                        }
                    };
                    let path = format!("{out}/{}-{width_name}-{scheme}.png", shot.file);
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
