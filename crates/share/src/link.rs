//! The envelope: `v<version>:` then URL-safe base64 (no padding) of zlib-compressed payload
//! text. zlib's adler-32 tells a link that was cut short or altered from a good one.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use miniz_oxide::inflate::TINFLStatus;

use crate::error::DecodeError;
use crate::payload::{Shared, parse_payload, write_payload};

/// The link format this code writes and reads.
pub const VERSION: u32 = 1;
/// Refuse links that inflate beyond this (a zip bomb in a URL).
pub const MAX_INFLATED: usize = 4 * 1024 * 1024;
/// Refuse fragments longer than this before decoding them (base64 of `MAX_INFLATED` bytes of
/// incompressible text is a third larger).
pub const MAX_ENCODED: usize = MAX_INFLATED / 3 * 4 + 64;

/// The fragment for a view, without the `#`.
#[must_use]
pub fn encode(view: &Shared) -> String {
    let data = write_payload(view);
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(data.as_bytes(), 9);
    format!("v{VERSION}:{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Reads a fragment (with or without `#`). `Ok(None)`: not a share link at all (an ordinary
/// `#section` fragment); anything of the form `v<digits>:` is a share link.
///
/// # Errors
/// A [`DecodeError`] for a link that cannot be opened; its `Display` is the message for the
/// learner.
pub fn decode(fragment: &str) -> Result<Option<Shared>, DecodeError> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some((version, body)) = f.strip_prefix('v').and_then(|r| r.split_once(':')) else {
        return Ok(None);
    };
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    // Too many digits for a u32 is still a version from the future.
    let version = version.parse::<u32>().unwrap_or(u32::MAX);
    if version > VERSION {
        return Err(DecodeError::Newer { version });
    }
    if version == 0 {
        return Err(DecodeError::Malformed {
            what: "kubeplay never wrote link format v0",
        });
    }
    if body.len() > MAX_ENCODED {
        return Err(DecodeError::TooLarge {
            limit: MAX_INFLATED,
        });
    }
    if body.is_empty() {
        return Err(DecodeError::Truncated);
    }
    let bytes = URL_SAFE_NO_PAD.decode(body).map_err(|e| match e {
        base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidLastSymbol(..) => {
            DecodeError::Truncated
        }
        base64::DecodeError::InvalidByte(..) | base64::DecodeError::InvalidPadding => {
            DecodeError::Altered
        }
    })?;
    let data = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&bytes, MAX_INFLATED)
        .map_err(|e| match e.status {
            TINFLStatus::HasMoreOutput => DecodeError::TooLarge {
                limit: MAX_INFLATED,
            },
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                DecodeError::Truncated
            }
            TINFLStatus::Adler32Mismatch
            | TINFLStatus::Failed
            | TINFLStatus::BadParam
            | TINFLStatus::Done => DecodeError::Altered,
        })?;
    let text = String::from_utf8(data).map_err(|_| DecodeError::Altered)?;
    parse_payload(&text).map(Some)
}
