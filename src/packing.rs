//! Share links packed and unpacked with the browser's own zlib (Compression Streams, format
//! `deflate`, in every current browser): the format `why401_core::share` reads and writes
//! natively, without a DEFLATE implementation in the bundle (it would weigh 15 KB gzip). zlib's
//! checksum catches a changed link; unpacking stops past [`MAX_EVIDENCE_BYTES`].

use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ReadableStreamDefaultReader, ReadableWritablePair};
use why401_core::evidence::Evidence;
use why401_core::share::{MAX_EVIDENCE_BYTES, ShareError, frame, read_unpacked, unframe};

#[wasm_bindgen]
extern "C" {
    /// `CompressionStream`: a transform stream, used through its `readable`/`writable` pair.
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;

    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
}

/// Why bytes did not come through a stream.
enum Failed {
    /// More than the limit came out.
    TooLarge,
    /// The stream refused them (not zlib, a bad checksum, cut short), or the browser lacks it.
    Refused,
}

/// The fragment (without `#`) that carries the evidence written as `json`
/// ([`Evidence::to_json`]); `None` in a browser without Compression Streams.
pub async fn fragment(json: &str) -> Option<String> {
    let pair = CompressionStream::new("deflate").ok()?;
    let packed = through(json.as_bytes(), pair.unchecked_ref(), usize::MAX)
        .await
        .ok()?;
    Some(frame(&packed))
}

/// The evidence a fragment carries, or why it cannot be opened.
pub async fn open(fragment: &str) -> Result<Evidence, ShareError> {
    let packed = unframe(fragment)?;
    let pair = DecompressionStream::new("deflate").map_err(|_| ShareError::Damaged)?;
    match through(&packed, pair.unchecked_ref(), MAX_EVIDENCE_BYTES).await {
        Ok(json) => read_unpacked(json),
        Err(Failed::TooLarge) => Err(ShareError::TooLarge),
        Err(Failed::Refused) => Err(ShareError::Damaged),
    }
}

/// `bytes` through a transform stream, reading at most `limit` bytes out of it.
async fn through(
    bytes: &[u8],
    transform: &ReadableWritablePair,
    limit: usize,
) -> Result<Vec<u8>, Failed> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let blob = Blob::new_with_u8_array_sequence(&parts).map_err(|_| Failed::Refused)?;
    let reader: ReadableStreamDefaultReader = blob
        .stream()
        .pipe_through(transform)
        .get_reader()
        .unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|_| Failed::Refused)?;
        let done = Reflect::get(&chunk, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return Ok(out);
        }
        let value = Reflect::get(&chunk, &JsValue::from_str("value"))
            .ok()
            .and_then(|v| v.dyn_into::<Uint8Array>().ok())
            .ok_or(Failed::Refused)?;
        if out.len().saturating_add(value.length() as usize) > limit {
            // Stops the decompression: nothing more is produced.
            let _ = reader.cancel();
            return Err(Failed::TooLarge);
        }
        out.extend(value.to_vec());
    }
}
