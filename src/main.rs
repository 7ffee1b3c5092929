/// Talc instead of Rust's default dlmalloc: smaller in the bundle, and faster.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The app renders into `#app`, under the heading `index.html` paints before any script runs.
fn main() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<why401::app::App>::with_root(root).render(),
        None => yew::Renderer::<why401::app::App>::new().render(),
    };
}
