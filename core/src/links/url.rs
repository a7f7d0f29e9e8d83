//! Share links: the whole configuration as a compact, versioned URL fragment, and back again.
//!
//! Version 1 of the fragment (what follows `#`) is `&`-separated `key=value` settings, `v=1`
//! first, then only the settings that differ from [`Config::default`], in this order:
//!
//! | key       | field                | value                                              |
//! |-----------|----------------------|----------------------------------------------------|
//! | `v`       | format version       | `1`                                                |
//! | `preset`  | `preset`             | a preset id, e.g. `apa-1998`                       |
//! | `k`       | `k`                  | decimal integer                                    |
//! | `players` | `players`            | decimal integer (absent: k + 1)                    |
//! | `algo`    | `algorithm`          | [`Algorithm::id`], e.g. `optimistic-hedge`         |
//! | `eta`     | `step_size`          | decimal number (absent: the tuned default)         |
//! | `iters`   | `iterations`         | decimal integer                                    |
//! | `kmax`    | `k_max`              | decimal integer                                    |
//! | `seed`    | `seed`               | decimal integer                                    |
//! | `beta`    | `beta`               | decimal number                                     |
//! | `view`    | `view`               | [`View::id`]: `policies`, `win-rates`, `sweep`, ...  |
//! | `embed`   | `embed`              | `1` (also read: `0`, `true`, `false`)              |
//! | `font`    | `font_scale`         | decimal number, 0.5 to 3 (absent: 1)               |
//! | `phase`   | `phase`              | `two-responses` (absent) or `weight:V`, V from 1   |
//! | `challenger` | `challenger`      | response indices from 0, e.g. `0,2` (absent: none) |
//! | `set`     | `set`                | response indices from 0, e.g. `0,1` (absent: none) |
//! | `draws`   | `draws`              | decimal integer, the arena's seed (absent: 1)      |
//! | `at`      | `at_end`             | `end`: open at the run's final state (also read: `start`, the default) |
//! | `tour`    | `tour`               | the tour's step, from 1 (absent: not in the tour)  |
//! | `origins` | `origins`            | host origins for the embed API, comma-separated, e.g. `https://a.example,http://localhost:8000` |
//! | `data`    | `custom`             | base64url (no padding) of raw deflate of the JSON  |
//!
//! A tour link may leave out `v=1` (`#tour=3`, as people type it): `tour` is then read as
//! version 1.
//!
//! The simple settings stay readable so people can write links by hand
//! (`v=1&preset=tshirt&k=6&algo=replicator`); only edited or imported preferences are packed.
//!
//! Links are untrusted input. [`decode`] checks the size before any work, reads every value
//! strictly (an unknown, repeated or malformed setting is an error, never a silent default),
//! caps decompression (a small link cannot inflate into gigabytes) and finishes with
//! [`Config::validate`] and [`CustomPreferences::build`], so a decoded configuration is always
//! usable. It never panics.
//!
//! Round trip: `decode(&encode(&c)) == Ok(c)` for every valid `c` whose [`encode_checked`]
//! succeeds (numbers are written in shortest round-trip form, so they come back bit-exactly).
//!
//! [`Algorithm::id`]: crate::config::Algorithm::id
//! [`View::id`]: crate::config::View::id

mod data;
mod settings;

pub use data::{data_bytes, data_value, pack_data, unpack_data, DataDamage};
pub use settings::{decode_settings, encode_settings};

use crate::config::{Config, CustomPreferences};
use data::decode_data;
use std::fmt;

/// The fragment format this tool writes and reads.
pub const URL_VERSION: u32 = 1;

/// Longest fragment accepted (and written by [`encode_checked`]): browsers, chat apps and
/// slide tools keep links of this size intact.
pub const MAX_FRAGMENT_BYTES: usize = 32 * 1024;

/// Most bytes the `data` setting may decompress to: a link of at most 32 KiB cannot make the
/// page allocate more than this.
pub const MAX_INFLATED_BYTES: usize = 4 * 1024 * 1024;

/// Why a link could not be opened, phrased for the person who followed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlError(pub String);

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UrlError {}

fn fail<T>(message: impl Into<String>) -> Result<T, UrlError> {
    Err(UrlError(message.into()))
}

// ---------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------

/// The fragment (without `#`) for a configuration: `v=1`, then only the non-default settings.
/// Deterministic: the same configuration always gives the same string.
pub fn encode(config: &Config) -> String {
    encode_parts(config).0
}

/// Like [`encode`], but refuses a configuration too big for a link (the fragment would be over
/// [`MAX_FRAGMENT_BYTES`], or its preferences over [`MAX_INFLATED_BYTES`] before compression),
/// so every link it returns opens again. It checks sizes only: an invalid configuration still
/// gives a link that [`decode`] refuses.
pub fn encode_checked(config: &Config) -> Result<String, UrlError> {
    let json = custom_json(config);
    let data = json.as_ref().map(|j| (pack_data(j), j.len()));
    encode_checked_with(config, data.as_ref().map(|(d, n)| (d.as_str(), *n)))
}

/// [`encode_checked`] with the preferences packed elsewhere: `data` holds the `data` value
/// (base64url of a raw deflate of their JSON, see [`data_value`]) and the JSON's size. The
/// page packs them with the browser's own JSON and deflate (`CompressionStream`), which keeps
/// serde_json and a deflate implementation out of its wasm; any raw deflate of the same JSON
/// opens the same configuration.
pub fn encode_checked_with(
    config: &Config,
    data: Option<(&str, usize)>,
) -> Result<String, UrlError> {
    let mut fragment = encode_settings(config);
    let mut json_bytes = 0;
    if let Some((data, bytes)) = data {
        fragment.push_str("&data=");
        fragment.push_str(data);
        json_bytes = bytes;
    }
    if json_bytes > MAX_INFLATED_BYTES {
        return fail(format!(
            "too big for a link: the preferences take {} bytes (the limit is {}); export the configuration as JSON instead",
            thousands(json_bytes),
            thousands(MAX_INFLATED_BYTES)
        ));
    }
    if fragment.len() > MAX_FRAGMENT_BYTES {
        return fail(format!(
            "too big for a link: {} bytes (the limit is {}); export the configuration as JSON instead",
            thousands(fragment.len()),
            thousands(MAX_FRAGMENT_BYTES)
        ));
    }
    Ok(fragment)
}

/// The JSON of the custom preferences a link packs in `data` (None without any).
fn custom_json(config: &Config) -> Option<Vec<u8>> {
    // Serializing strings, integers and floats cannot fail (there are no maps to key).
    let custom = config.custom.as_deref()?;
    Some(serde_json::to_vec(custom).expect("custom preferences serialize to JSON"))
}

/// The fragment and the size of the uncompressed preferences JSON (0 without custom ones).
fn encode_parts(config: &Config) -> (String, usize) {
    let mut out = encode_settings(config);
    let json = custom_json(config);
    if let Some(json) = &json {
        out.push_str("&data=");
        out.push_str(&pack_data(json));
    }
    (out, json.map_or(0, |j| j.len()))
}

// ---------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------

/// The configuration a fragment describes (with or without the leading `#`); the empty fragment
/// is the default configuration. Every error names what is wrong with the link.
pub fn decode(fragment: &str) -> Result<Config, UrlError> {
    let (config, data) = decode_settings(fragment)?;
    match data {
        None => Ok(config),
        Some(data) => with_custom(config, decode_data(&data)?),
    }
}

/// The preferences unpacked from a link's `data` join its configuration once they check out.
pub fn with_custom(mut config: Config, custom: CustomPreferences) -> Result<Config, UrlError> {
    custom.build().map_err(|e| UrlError(e.0))?;
    config.custom = Some(custom.into());
    Ok(config)
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

/// At most 40 characters of user text, so a long link cannot make a long message.
fn clip(s: &str) -> String {
    clip_to(s, 40)
}

/// At most `max` characters of `s`, then "..." if there was more: a message quotes hostile
/// input without echoing all of it back.
pub fn clip_to(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((end, _)) => format!("{}...", &s[..end]),
    }
}

/// User text quoted back in a message.
fn quote(s: &str) -> String {
    format!("'{}'", clip(s))
}

/// 40000 -> "40,000".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(32_768), "32,768");
        assert_eq!(thousands(4_194_304), "4,194,304");
    }
}
