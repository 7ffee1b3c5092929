#[cfg(target_arch = "wasm32")]
fn main() {}
#[cfg(not(target_arch = "wasm32"))]
#[path = "../tests/e2e/harness.rs"]
#[allow(dead_code)]
mod harness;
#[cfg(not(target_arch = "wasm32"))]
#[tokio::main]
async fn main() {
    use chromiumoxide::cdp::browser_protocol::log::{EnableParams, EventEntryAdded};
    use futures::StreamExt;
    let h = harness::Harness::start_with(harness::Network::AppIsPublic).await;
    let v = h.open("chrome://version").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    println!(
        "CMD {}",
        v.js("document.querySelector('#command_line')?.innerText")
            .await
    );
    let tab = h.open_app().await;
    tab.page.execute(EnableParams::default()).await.unwrap();
    let mut entries = tab.page.event_listener::<EventEntryAdded>().await.unwrap();
    tokio::spawn(async move {
        while let Some(e) = entries.next().await {
            println!(
                "LOG {:?} {:?} {}",
                e.entry.source, e.entry.level, e.entry.text
            );
        }
    });
    let q = "(async () => { const out = {}; for (const n of ['loopback-network','local-network']) { try { out[n] = (await navigator.permissions.query({name: n})).state } catch (e) { out[n] = 'throws: ' + e.message } } return out })()";
    println!("perm before {}", tab.js(q).await);
    for (mode, u) in [
        ("cors", h.scenario_url("token-ok", "a")),
        ("no-cors", h.scenario_url("token-ok", "b")),
        ("cors", "http://127.0.0.1:1/x".to_owned()),
        ("no-cors", "http://127.0.0.1:1/y".to_owned()),
    ] {
        let t0 = std::time::Instant::now();
        let r = tab.js(&format!("(async () => {{ try {{ const r = await fetch({u:?}, {{mode: '{mode}'}}); return r.type + ' ' + r.status }} catch (e) {{ return e.name + ': ' + e.message }} }})()")).await;
        println!(
            "{mode} {u}: {r} in {:?}; chromium {:?}",
            t0.elapsed(),
            tab.chromium_verdicts(&u, std::time::Duration::from_millis(300))
                .await
        );
    }
    println!("perm after {}", tab.js(q).await);
    h.stop().await;
}
