//! Base64 engines as lenient as the servers whose input we read: padding optional.

use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};

const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);

/// Standard base64 (`+`, `/`), padding optional: Basic credentials.
pub(crate) const BASE64_LENIENT: GeneralPurpose =
    GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT);

/// Base64url (`-`, `_`), padding optional: JWT parts.
pub(crate) const BASE64URL_LENIENT: GeneralPurpose =
    GeneralPurpose::new(&base64::alphabet::URL_SAFE, LENIENT);
