//! A file for the exchange box, chosen or dropped on it: a HAR file, a saved `curl -v` output, a
//! copied command. It is read in this page and sent nowhere. A small file goes in the box as
//! text; a large HAR file is brought in and read in slices, with the page painting between them:
//! progress, Stop, and how long it took.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast as _;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DragEvent, File, HtmlInputElement};
use why401_core::har::{Har, HarReader};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::state::{HarRead, har_read};

/// Files up to this size go in the box as text, whatever they hold.
const TEXT_BYTES: f64 = 512.0 * 1024.0;
/// The largest file read: past it, the tab's memory is at risk.
const MAX_FILE_BYTES: f64 = 1024.0 * 1024.0 * 1024.0;
/// Bytes brought in per read of the file.
const LOAD_SLICE_BYTES: f64 = 16.0 * 1024.0 * 1024.0;
/// Bytes of HAR entries read between two looks at the clock.
const PARSE_BYTES: usize = 512 * 1024;
/// Milliseconds of reading before the page may paint: under the 50 ms of a long task.
const TASK_MS: f64 = 35.0;

#[derive(Properties, PartialEq)]
pub struct FileDropProps {
    /// The box the file may be dropped on.
    pub children: Html,
    /// A small file's text, for the box.
    pub on_text: Callback<String>,
    /// A large HAR file, read.
    pub on_har: Callback<HarRead>,
}

#[derive(Clone, PartialEq)]
enum Reading {
    Idle,
    /// Bytes brought in and read, each out of the file's size.
    Busy {
        loaded: f64,
        parsed: f64,
        total: f64,
    },
    Finished {
        bytes: f64,
        ms: f64,
        /// Of which bringing the bytes in, and reading the entries.
        load_ms: f64,
        parse_ms: f64,
        /// The page's WebAssembly memory afterwards: its peak, as it never shrinks.
        memory: f64,
    },
    Stopped,
    Failed(String),
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Lets the page paint and take clicks (a macrotask later).
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// A whole number of a non-negative float, for text: formatting floats would bring their
/// formatting code into the bundle.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "sizes and times, non-negative and far below u64::MAX"
)]
fn whole(value: f64) -> u64 {
    value.max(0.0).round() as u64
}

/// `12.3 MB`.
fn megabytes(bytes: f64) -> String {
    let tenths = whole(bytes / 100_000.0);
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

/// Brings the whole file in, a slice at a time; `None` when stopped.
async fn load(
    file: &File,
    stop: &Cell<bool>,
    progress: &dyn Fn(f64),
) -> Result<Option<Vec<u8>>, String> {
    let total = file.size();
    // Within MAX_FILE_BYTES, checked by the caller.
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let size = total as usize;
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(size)
        .map_err(|_| format!("This page cannot hold a file of {}.", megabytes(total)))?;
    let mut at = 0.0;
    while at < total {
        if stop.get() {
            return Ok(None);
        }
        let end = (at + LOAD_SLICE_BYTES).min(total);
        let slice = file
            .slice_with_f64_and_f64(at, end)
            .map_err(|_| "The file could not be read.".to_owned())?;
        let buffer = JsFuture::from(slice.array_buffer())
            .await
            .map_err(|_| "The file could not be read.".to_owned())?;
        let array = js_sys::Uint8Array::new(&buffer);
        let start = bytes.len();
        bytes.resize(start + array.length() as usize, 0);
        if let Some(room) = bytes.get_mut(start..) {
            array.copy_to(room);
        }
        at = end;
        progress(at);
    }
    Ok(Some(bytes))
}

/// Reads the HAR file's entries a slice at a time; `None` when stopped.
async fn read_har(
    bytes: &[u8],
    stop: &Cell<bool>,
    progress: &dyn Fn(f64),
) -> Result<Option<Har>, String> {
    let mut reader = HarReader::new(bytes).map_err(|p| p.to_string())?;
    let mut entries = Vec::new();
    let mut since = now_ms();
    while !reader.done() {
        if stop.get() {
            return Ok(None);
        }
        entries.extend(
            reader
                .next_entries(PARSE_BYTES)
                .map_err(|p| p.to_string())?,
        );
        // A slice of work at a time, then the page paints and takes clicks.
        if now_ms() - since > TASK_MS {
            #[expect(clippy::cast_precision_loss, reason = "a progress bar")]
            progress(reader.progress().0 as f64);
            next_task().await;
            since = now_ms();
        }
    }
    Ok(Some(reader.har(entries)))
}

#[component]
pub fn FileDrop(props: &FileDropProps) -> Html {
    let reading = use_state(|| Reading::Idle);
    let stop = use_mut_ref(|| Rc::new(Cell::new(false)));
    let dragging = use_state(|| false);
    let open = {
        let reading = reading.clone();
        let stop = stop.clone();
        let on_text = props.on_text.clone();
        let on_har = props.on_har.clone();
        Callback::from(move |file: File| {
            let total = file.size();
            if total > MAX_FILE_BYTES {
                reading.set(Reading::Failed(format!(
                    "This file is {}; the page reads files of up to 1 GB.",
                    megabytes(total)
                )));
                return;
            }
            // A new flag per file: Stop on an earlier one does not stop this one.
            let flag = Rc::new(Cell::new(false));
            *stop.borrow_mut() = Rc::clone(&flag);
            let reading = reading.clone();
            let on_text = on_text.clone();
            let on_har = on_har.clone();
            spawn_local(async move {
                let started = now_ms();
                if total <= TEXT_BYTES {
                    let text = JsFuture::from(file.text())
                        .await
                        .ok()
                        .and_then(|t| t.as_string());
                    match text {
                        Some(text) => {
                            reading.set(Reading::Idle);
                            on_text.emit(text);
                        }
                        None => reading.set(Reading::Failed(
                            "The file could not be read as text.".to_owned(),
                        )),
                    }
                    return;
                }
                reading.set(Reading::Busy {
                    loaded: 0.0,
                    parsed: 0.0,
                    total,
                });
                let show_load = |loaded: f64| {
                    reading.set(Reading::Busy {
                        loaded,
                        parsed: 0.0,
                        total,
                    });
                };
                let bytes = match load(&file, &flag, &show_load).await {
                    Ok(Some(bytes)) => bytes,
                    Ok(None) => return reading.set(Reading::Stopped),
                    Err(message) => return reading.set(Reading::Failed(message)),
                };
                let loaded_at = now_ms();
                let show_parse = |parsed: f64| {
                    reading.set(Reading::Busy {
                        loaded: total,
                        parsed,
                        total,
                    });
                };
                let har = match read_har(&bytes, &flag, &show_parse).await {
                    Ok(Some(har)) => har,
                    Ok(None) => return reading.set(Reading::Stopped),
                    Err(message) => return reading.set(Reading::Failed(message)),
                };
                drop(bytes);
                let parsed_at = now_ms();
                // The list and the trail in a task of their own, and their rendering in the next.
                next_task().await;
                let read = har_read(&har);
                drop(har);
                next_task().await;
                let memory = wasm_bindgen::memory()
                    .dyn_into::<js_sys::WebAssembly::Memory>()
                    .ok()
                    .and_then(|m| m.buffer().dyn_into::<js_sys::ArrayBuffer>().ok())
                    .map_or(0.0, |b| f64::from(b.byte_length()));
                reading.set(Reading::Finished {
                    bytes: total,
                    ms: now_ms() - started,
                    load_ms: loaded_at - started,
                    parse_ms: parsed_at - loaded_at,
                    memory,
                });
                on_har.emit(read);
            });
        })
    };
    let onchange = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                open.emit(file);
            }
            // The same file chosen again is read again.
            input.set_value("");
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|files| files.get(0))
            {
                open.emit(file);
            }
        })
    };
    let on_stop = Callback::from(move |_: MouseEvent| stop.borrow().set(true));
    let status = match &*reading {
        Reading::Idle => html! {},
        Reading::Busy {
            loaded,
            parsed,
            total,
        } => html! {
            <p id="file-progress" class="hint" role="status">
                <progress max={whole(2.0 * total).to_string()} value={whole(loaded + parsed).to_string()} />
                { format!(" {} {} of {} … ", if *parsed > 0.0 { "Reading the entries:" } else { "Loading:" },
                    megabytes(if *parsed > 0.0 { *parsed } else { *loaded }), megabytes(*total)) }
                <button id="file-stop" type="button" class="secondary" onclick={on_stop}>{ "Stop" }</button>
            </p>
        },
        Reading::Finished {
            bytes,
            ms,
            load_ms,
            parse_ms,
            memory,
        } => html! {
            <p id="file-read" class="hint" role="status" data-bytes={whole(*bytes).to_string()}
                data-ms={whole(*ms).to_string()} data-load-ms={whole(*load_ms).to_string()}
                data-parse-ms={whole(*parse_ms).to_string()} data-memory={whole(*memory).to_string()}>
                { format!("Read {} in {} ms.", megabytes(*bytes), whole(*ms)) }
            </p>
        },
        Reading::Stopped => html! {
            <p id="file-stopped" class="hint" role="status">{ "Stopped: the file was not read." }</p>
        },
        Reading::Failed(message) => html! {
            <p id="file-error" class="hint" role="alert">{ message.clone() }</p>
        },
    };
    html! {
        <div id="exchange-drop" class={classes!("drop", dragging.then_some("dragging"))}
            {ondragover} {ondragleave} {ondrop}>
            { props.children.clone() }
            <p class="hint">
                <label for="exchange-file">
                    { "Or open a file — a HAR, a saved curl -v output, a copied command — or drop it on the box. It stays in this browser: " }
                </label>
                <input id="exchange-file" type="file"
                    accept=".har,.json,.txt,.log,.sh,.ps1,.cmd,application/json,text/plain" {onchange} />
            </p>
            { status }
        </div>
    }
}
