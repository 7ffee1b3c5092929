//! Share links: the evidence — what was asked, where the page ran, what every probe saw — not the
//! conclusions, carried in a URL fragment (`#…`, never sent to any server). Versioned, compressed
//! (zlib: DEFLATE with a checksum, so a changed character is caught), base64url: `1.<payload>`. Opening a link re-runs the engine on the evidence, so
//! the recipient sees the report the sender saw. Anything else — garbage, a truncated or tampered
//! link, a newer format, a decompression bomb, an oversized fragment — is refused with a sentence.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::evidence::{Evidence, EvidenceError};

/// The link format this build writes and the newest it reads.
pub const SHARE_FORMAT: u32 = 1;
/// Longer fragments are refused before any decoding.
pub const MAX_FRAGMENT_CHARS: usize = 64 * 1024;
/// Evidence that inflates beyond this is refused: no real report comes near it.
pub const MAX_EVIDENCE_BYTES: usize = 1024 * 1024;
/// Links longer than this are flagged: some chat tools, trackers and servers cut them.
pub const LONG_LINK_CHARS: usize = 2000;

/// Why a fragment is not a share link this page can open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    Empty,
    /// Over [`MAX_FRAGMENT_CHARS`].
    Oversized {
        chars: usize,
    },
    /// Not `<format>.<payload>` at all.
    NotAShareLink,
    /// Made by a newer why401.
    FutureFormat {
        format: u32,
    },
    /// The payload is not base64url: cut or changed on the way.
    NotBase64,
    /// The payload does not inflate: truncated or tampered.
    Damaged,
    /// The payload inflates beyond [`MAX_EVIDENCE_BYTES`].
    TooLarge,
    /// It inflates, but not to evidence this build reads.
    Evidence(EvidenceError),
}

impl ShareError {
    /// A stable name for the page's `data-link-error`.
    pub fn kind(&self) -> &'static str {
        match self {
            ShareError::Empty => "empty",
            ShareError::Oversized { .. } => "oversized",
            ShareError::NotAShareLink => "not-a-link",
            ShareError::FutureFormat { .. } => "future-format",
            ShareError::NotBase64 => "not-base64",
            ShareError::Damaged => "damaged",
            ShareError::TooLarge => "too-large",
            ShareError::Evidence(error) => error.kind(),
        }
    }
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::Empty => f.write_str("This link carries no result."),
            ShareError::Oversized { chars } => write!(
                f,
                "This link is too long to be a why401 result ({chars} characters after #; at most {MAX_FRAGMENT_CHARS})."
            ),
            ShareError::NotAShareLink => f.write_str(
                "The part after # is not a why401 result. Ask for the link again, copied whole.",
            ),
            ShareError::FutureFormat { format } => write!(
                f,
                "This result was shared from a newer why401 (link format {format}; this page reads up to {SHARE_FORMAT}). Reload the page to get the latest version."
            ),
            ShareError::NotBase64 | ShareError::Damaged => f.write_str(
                "This link is damaged: it was cut short or changed on the way. Ask for it again, copied whole.",
            ),
            ShareError::TooLarge => f.write_str(
                "This link unpacks to far more than any result: it is not opened.",
            ),
            ShareError::Evidence(error) => write!(f, "{error}"),
        }
    }
}

/// The fragment (without `#`) for `packed`, the evidence's JSON as zlib packs it.
pub fn frame(packed: &[u8]) -> String {
    format!("{SHARE_FORMAT}.{}", URL_SAFE_NO_PAD.encode(packed))
}

/// The packed bytes a fragment (with or without its `#`) carries, after every check that needs
/// no unpacking: empty, oversized, foreign, newer, not base64url.
pub fn unframe(fragment: &str) -> Result<Vec<u8>, ShareError> {
    let fragment = fragment.trim();
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.is_empty() {
        return Err(ShareError::Empty);
    }
    let chars = fragment.chars().count();
    if chars > MAX_FRAGMENT_CHARS {
        return Err(ShareError::Oversized { chars });
    }
    let (format, payload) = fragment.split_once('.').ok_or(ShareError::NotAShareLink)?;
    let format: u32 = format.parse().map_err(|_| ShareError::NotAShareLink)?;
    if format == 0 {
        return Err(ShareError::NotAShareLink);
    }
    if format > SHARE_FORMAT {
        return Err(ShareError::FutureFormat { format });
    }
    // Some tools add padding to base64; it carries nothing.
    URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| ShareError::NotBase64)
}

/// The evidence in unpacked JSON (at most [`MAX_EVIDENCE_BYTES`]).
pub fn read_unpacked(json: Vec<u8>) -> Result<Evidence, ShareError> {
    if json.len() > MAX_EVIDENCE_BYTES {
        return Err(ShareError::TooLarge);
    }
    let text = String::from_utf8(json).map_err(|_| ShareError::Damaged)?;
    Evidence::from_json(&text).map_err(ShareError::Evidence)
}

/// The fragment (without `#`) that carries `evidence`. Redact before: this writes what it gets.
/// The page packs with the browser's own zlib instead (the same format), to keep a DEFLATE
/// implementation out of its bundle: see [`frame`].
#[cfg(feature = "zlib")]
pub fn encode(evidence: &Evidence) -> String {
    let json = evidence.to_json();
    frame(&miniz_oxide::deflate::compress_to_vec_zlib(
        json.as_bytes(),
        9,
    ))
}

/// Reads a fragment (with or without its `#`), refusing anything but evidence this build reads.
#[cfg(feature = "zlib")]
pub fn decode(fragment: &str) -> Result<Evidence, ShareError> {
    use miniz_oxide::inflate::{TINFLStatus, decompress_to_vec_zlib_with_limit};
    let packed = unframe(fragment)?;
    let json = decompress_to_vec_zlib_with_limit(&packed, MAX_EVIDENCE_BYTES).map_err(|e| {
        if e.status == TINFLStatus::HasMoreOutput {
            ShareError::TooLarge
        } else {
            ShareError::Damaged
        }
    })?;
    read_unpacked(json)
}

#[cfg(all(test, feature = "zlib"))]
mod tests {
    use super::*;

    #[test]
    fn share_refuses_what_is_not_a_link() {
        assert_eq!(decode(""), Err(ShareError::Empty));
        assert_eq!(decode("#"), Err(ShareError::Empty));
        assert_eq!(decode("#top"), Err(ShareError::NotAShareLink));
        assert_eq!(decode("0.abc"), Err(ShareError::NotAShareLink));
        assert_eq!(decode("x.abc"), Err(ShareError::NotAShareLink));
        assert_eq!(
            decode("7.anything"),
            Err(ShareError::FutureFormat { format: 7 })
        );
        assert_eq!(decode("1.%%%"), Err(ShareError::NotBase64));
        assert_eq!(decode("1.AAAA"), Err(ShareError::Damaged));
        let long = format!("1.{}", "A".repeat(MAX_FRAGMENT_CHARS));
        assert!(matches!(decode(&long), Err(ShareError::Oversized { .. })));
    }

    #[test]
    fn share_refuses_a_decompression_bomb() {
        let zeros = vec![b' '; MAX_EVIDENCE_BYTES * 8];
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(&zeros, 9);
        let fragment = format!("1.{}", URL_SAFE_NO_PAD.encode(packed));
        assert!(fragment.len() < MAX_FRAGMENT_CHARS, "{}", fragment.len());
        assert_eq!(decode(&fragment), Err(ShareError::TooLarge));
    }

    #[test]
    fn share_refuses_what_inflates_to_something_else() {
        let fragment = |json: &str| {
            let packed = miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), 9);
            format!("1.{}", URL_SAFE_NO_PAD.encode(packed))
        };
        assert!(matches!(
            decode(&fragment("{\"version\":1}")),
            Err(ShareError::Evidence(EvidenceError::Malformed { .. }))
        ));
        assert_eq!(
            decode(&fragment("{\"version\":9}")),
            Err(ShareError::Evidence(EvidenceError::FutureVersion {
                version: 9
            }))
        );
        for error in [ShareError::Damaged, ShareError::TooLarge, ShareError::Empty] {
            assert!(!error.to_string().is_empty());
        }
    }
}
