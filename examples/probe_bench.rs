//! Milliseconds from Inspect to a complete, rendered report against a loopback lab endpoint,
//! measured inside the page with User Timing marks (median of 20, after one warm-up), and the app's
//! own share: the total minus the slowest probe. `make bench`; needs `dist/` and Chromium.

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

    const RUNS: usize = 20;

    fn median(values: &mut [f64]) -> f64 {
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
    }

    #[tokio::main]
    pub async fn main() {
        let harness = harness::Harness::start().await;
        let app = harness.open_app().await;
        app.open_options().await;
        app.type_into("#headers", "Authorization: Bearer lab-good-token")
            .await;
        app.type_url(&harness.scenario_url("token-ok", "bench"))
            .await;
        let mut totals = Vec::new();
        let mut own = Vec::new();
        for run in 0..=RUNS {
            let before = app
                .js("performance.getEntriesByName('why401:report').length")
                .await;
            app.page
                .find_element("#inspect")
                .await
                .unwrap_or_else(|e| panic!("#inspect: {e}"))
                .click()
                .await
                .unwrap_or_else(|e| panic!("click: {e}"));
            app.wait_for_js(
                "the report",
                &format!("performance.getEntriesByName('why401:report').length > {before}"),
            )
            .await;
            let figures = app
                .js("(() => { const last = n => performance.getEntriesByName(n).at(-1).startTime; \
                     const slowest = Math.max(...[...document.querySelectorAll('#probes .probe-result')] \
                       .map(e => parseFloat(e.textContent.split('·').pop()))); \
                     return [last('why401:report') - last('why401:inspect'), slowest]; })()")
                .await;
            let total = figures[0].as_f64().unwrap_or(f64::NAN);
            let slowest = figures[1].as_f64().unwrap_or(f64::NAN);
            if run > 0 {
                totals.push(total);
                own.push(total - slowest);
            }
        }
        println!(
            "Inspect to complete report (loopback lab, 4 probes + preflight), median of {RUNS}: {:.1} ms",
            median(&mut totals)
        );
        println!(
            "the app's own share (total minus the slowest probe), median of {RUNS}: {:.1} ms",
            median(&mut own)
        );
        drop(app);
        harness.stop().await;
    }
}
