//! The packed `data=` part of a share link: custom preferences as base64url of raw deflate.

use super::{clip_to, thousands, UrlError, MAX_INFLATED_BYTES};
use crate::config::CustomPreferences;

/// Deflate level for `data`: the smallest links; compressing even a large population takes
/// milliseconds.
const DEFLATE_LEVEL: u8 = 9;

/// The `data` value for some bytes: raw deflate, then base64url without padding, as
/// [`encode`](super::encode) packs the preferences' JSON. Public for tests and fuzzers that
/// craft links.
pub fn pack_data(bytes: &[u8]) -> String {
    data_value(&miniz_oxide::deflate::compress_to_vec(bytes, DEFLATE_LEVEL))
}

/// The `data` value for bytes already deflated (raw deflate, RFC 1951): their base64url.
pub fn data_value(deflated: &[u8]) -> String {
    base64url_encode(deflated)
}

/// The bytes packed in a `data` value, inflated up to `limit` bytes; None when it is not
/// base64url or not raw deflate within the limit.
pub fn unpack_data(value: &str, limit: usize) -> Option<Vec<u8>> {
    let packed = base64url_decode(value)?;
    miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, limit).ok()
}

/// What can be wrong with a link's `data`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataDamage {
    /// Not base64url.
    NotBase64,
    /// Not raw deflate.
    NotDeflate,
    /// Inflates to more than [`MAX_INFLATED_BYTES`].
    TooBig,
    /// Not UTF-8 text.
    NotText,
    /// Text, but not the JSON of preferences (the parser's words).
    NotPreferences(String),
}

impl From<DataDamage> for UrlError {
    fn from(d: DataDamage) -> Self {
        UrlError(match d {
            DataDamage::NotBase64 => "the link's data is damaged (not valid base64url)".into(),
            DataDamage::NotDeflate => "the link's data is damaged (could not decompress)".into(),
            DataDamage::TooBig => format!(
                "the link's data decompresses to more than {} bytes (the limit)",
                thousands(MAX_INFLATED_BYTES)
            ),
            DataDamage::NotText => "the link's data is damaged (not text)".into(),
            DataDamage::NotPreferences(why) => format!(
                "the link's data is damaged (not valid preferences: {})",
                clip_to(&why, 160)
            ),
        })
    }
}

/// The deflated bytes of a `data` value (its base64url decoded, strictly).
pub fn data_bytes(value: &str) -> Result<Vec<u8>, DataDamage> {
    base64url_decode(value).ok_or(DataDamage::NotBase64)
}

/// The custom preferences packed in `data`.
pub(super) fn decode_data(value: &str) -> Result<CustomPreferences, UrlError> {
    let packed = data_bytes(value)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => DataDamage::TooBig,
            _ => DataDamage::NotDeflate,
        })?;
    let json = std::str::from_utf8(&json).map_err(|_| DataDamage::NotText)?;
    serde_json::from_str(json).map_err(|e| DataDamage::NotPreferences(e.to_string()).into())
}

// ---------------------------------------------------------------------------------------------
// base64url without padding (RFC 4648 section 5); a dozen lines, no crate needed.
// ---------------------------------------------------------------------------------------------

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        // 2, 3 or 4 characters carry 1, 2 or 3 bytes.
        for i in 0..=chunk.len() {
            out.push(B64[(n >> (18 - 6 * i)) as usize & 63] as char);
        }
    }
    out
}

fn base64url_value(c: u8) -> Option<u32> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    } as u32)
}

/// Strict: only the alphabet, no padding, and the unused low bits of a short last group must be
/// zero (so each byte string has exactly one encoding).
fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.as_bytes();
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3 + 2);
    for chunk in s.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= base64url_value(c)? << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        let kept = chunk.len() - 1;
        if bytes[kept..].iter().any(|&b| b != 0) {
            return None;
        }
        out.extend_from_slice(&bytes[..kept]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        let bytes: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for len in 0..bytes.len() {
            let s = base64url_encode(&bytes[..len]);
            assert_eq!(s.len(), (len * 4).div_ceil(3));
            assert!(!s.contains('='));
            assert_eq!(
                base64url_decode(&s).as_deref(),
                Some(&bytes[..len]),
                "{len}"
            );
        }
        assert_eq!(base64url_encode(b"\xfb\xff"), "-_8");
    }

    #[test]
    fn base64url_is_strict() {
        for bad in ["A", "AB=", "AB+/", "A B", "ABCDE", "AB\u{e9}"] {
            assert_eq!(base64url_decode(bad), None, "{bad}");
        }
        // "AB" carries one byte; its last 4 bits must be zero ("AA" is canonical for 0x00).
        assert_eq!(base64url_decode("AA"), Some(vec![0]));
        assert_eq!(base64url_decode("AB"), None);
        assert_eq!(base64url_decode("AAA"), Some(vec![0, 0]));
        assert_eq!(base64url_decode("AAB"), None);
    }
}
