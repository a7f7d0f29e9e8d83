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

use crate::config::{Algorithm, Config, CustomPreferences, View};
use crate::open_question::phase_map::Family;
use crate::presets;
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

/// The settings of version 1, in the order [`encode`] writes them.
const KEYS: [&str; 21] = [
    "v",
    "preset",
    "k",
    "players",
    "algo",
    "eta",
    "iters",
    "kmax",
    "seed",
    "beta",
    "view",
    "embed",
    "font",
    "phase",
    "challenger",
    "set",
    "draws",
    "at",
    "tour",
    "origins",
    "data",
];

/// Deflate level for `data`: the smallest links; compressing even a large population takes
/// milliseconds.
const DEFLATE_LEVEL: u8 = 9;

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

/// Every setting but `data`: `v=1`, then the non-default ones in the order of the table above.
pub fn encode_settings(config: &Config) -> String {
    let default = Config::default();
    let mut out = format!("v={URL_VERSION}");
    let mut put = |key: &str, value: &str| {
        out.push('&');
        out.push_str(key);
        out.push('=');
        out.push_str(value);
    };
    if config.preset != default.preset {
        put("preset", &percent_encode(&config.preset));
    }
    if config.k != default.k {
        put("k", &config.k.to_string());
    }
    if let Some(players) = config.players {
        put("players", &players.to_string());
    }
    if config.algorithm != default.algorithm {
        put("algo", config.algorithm.id());
    }
    if let Some(eta) = config.step_size {
        put("eta", &format_f64(eta));
    }
    if config.iterations != default.iterations {
        put("iters", &config.iterations.to_string());
    }
    if config.k_max != default.k_max {
        put("kmax", &config.k_max.to_string());
    }
    if config.seed != default.seed {
        put("seed", &config.seed.to_string());
    }
    // Bits, not ==, so that -0.0 or NaN in an (invalid) configuration is still written out.
    if config.beta.to_bits() != default.beta.to_bits() {
        put("beta", &format_f64(config.beta));
    }
    if config.view != default.view {
        put("view", config.view.id());
    }
    if config.embed {
        put("embed", "1");
    }
    if config.font_scale.to_bits() != default.font_scale.to_bits() {
        put("font", &format_f64(config.font_scale));
    }
    if config.phase != default.phase {
        put("phase", &config.phase.id());
    }
    let list = |v: &[usize]| v.iter().map(usize::to_string).collect::<Vec<_>>().join(",");
    if !config.challenger.is_empty() {
        put("challenger", &list(&config.challenger));
    }
    if !config.set.is_empty() {
        put("set", &list(&config.set));
    }
    if config.draws != default.draws {
        put("draws", &config.draws.to_string());
    }
    if config.at_end {
        put("at", "end");
    }
    if config.tour != default.tour {
        put("tour", &config.tour.to_string());
    }
    if !config.origins.is_empty() {
        put("origins", &config.origins.join(","));
    }
    out
}

/// The `data` value for some bytes: raw deflate, then base64url without padding, as
/// [`encode`] packs the preferences' JSON. Public for tests and fuzzers that craft links.
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

/// Shortest text that parses back to the same bits. Display never uses an exponent (1e-300
/// would be 300 digits), so values whose plain form is long switch to the exponent form, which
/// is also shortest round-trip; plain wins while it is readable (`0.0001`, `1000000`).
fn format_f64(x: f64) -> String {
    let plain = format!("{x}");
    let exp = format!("{x:e}");
    if plain.len() <= exp.len().max(16) {
        plain
    } else {
        exp
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters (preset ids pass unchanged).
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
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

/// [`decode`] but for the `data` setting, which is returned still packed (after the cheap
/// checks of every other setting): the page unpacks it with the browser's deflate and JSON
/// (see [`encode_checked_with`]), then calls [`with_custom`].
pub fn decode_settings(fragment: &str) -> Result<(Config, Option<String>), UrlError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    // Size first: nothing below runs on an oversized link.
    if fragment.len() > MAX_FRAGMENT_BYTES {
        return fail(format!(
            "the link is too long ({} bytes; the limit is {})",
            thousands(fragment.len()),
            thousands(MAX_FRAGMENT_BYTES)
        ));
    }
    if fragment.is_empty() {
        return Ok((Config::default(), None));
    }
    // A newer version may change the syntax itself, so its message must win over any other.
    if let Some(v) = fragment.split('&').find_map(|s| s.strip_prefix("v=")) {
        if let Err(e @ Version::Newer(_)) = check_version(v) {
            return Err(e.into());
        }
    }

    let settings = split_settings(fragment)?;
    let mut seen = [false; KEYS.len()];
    for (key, _) in &settings {
        let Some(i) = KEYS.iter().position(|k| k == key) else {
            return fail(format!("unknown setting {} in the link", quote(key)));
        };
        if seen[i] {
            return fail(format!(
                "the setting {} appears twice in the link",
                quote(key)
            ));
        }
        seen[i] = true;
    }
    match settings.iter().find(|(k, _)| k == "v") {
        None if settings.iter().any(|(k, _)| k == "tour") => {}
        None => {
            return fail(format!(
                "the link has no version (links from this tool start with v={URL_VERSION})"
            ))
        }
        Some((_, v)) => check_version(v)?,
    }

    let mut config = Config::default();
    let mut data = None;
    for (key, value) in &settings {
        let value = value.as_str();
        match key.as_str() {
            "v" => {}
            // Unpacked last, after the cheap checks of the other settings.
            "data" => data = Some(value),
            "preset" => {
                if !presets::presets().iter().any(|p| p.id == value) {
                    let ids: Vec<&str> = presets::presets().iter().map(|p| p.id).collect();
                    return fail(format!(
                        "the link names an unknown preset {}; the presets are {}",
                        quote(value),
                        ids.join(", ")
                    ));
                }
                config.preset = value.to_string();
            }
            "k" => config.k = parse_uint("k", value)?,
            "players" => config.players = Some(parse_uint("players", value)?),
            "algo" => {
                config.algorithm = Algorithm::from_id(value).ok_or_else(|| {
                    let ids: Vec<&str> = Algorithm::ALL.iter().map(|a| a.id()).collect();
                    UrlError(format!(
                        "the link's algo {} is not one of {}",
                        quote(value),
                        ids.join(", ")
                    ))
                })?
            }
            "eta" => config.step_size = Some(parse_f64("eta", value)?),
            "iters" => config.iterations = parse_uint("iters", value)?,
            "kmax" => config.k_max = parse_uint("kmax", value)?,
            "seed" => config.seed = parse_uint("seed", value)?,
            "beta" => config.beta = parse_f64("beta", value)?,
            "font" => config.font_scale = parse_f64("font", value)?,
            "challenger" => config.challenger = parse_list("challenger", value)?,
            "set" => config.set = parse_list("set", value)?,
            "draws" => config.draws = parse_uint("draws", value)?,
            "tour" => config.tour = parse_uint("tour", value)?,
            "origins" => config.origins = value.split(',').map(str::to_string).collect(),
            "at" => {
                config.at_end = match value {
                    "end" => true,
                    "start" => false,
                    _ => {
                        return fail(format!(
                            "the link's at {} is not end or start",
                            quote(value)
                        ))
                    }
                }
            }
            "phase" => {
                config.phase = Family::from_id(value).ok_or_else(|| {
                    UrlError(format!(
                    "the link's phase {} is not two-responses or weight:V (a voter type, from 1)",
                    quote(value)
                ))
                })?
            }
            "view" => {
                config.view = View::from_id(value).ok_or_else(|| {
                    let ids: Vec<&str> = View::ALL.iter().map(|v| v.id()).collect();
                    UrlError(format!(
                        "the link's view {} is not one of {}",
                        quote(value),
                        ids.join(", ")
                    ))
                })?
            }
            "embed" => {
                config.embed = match value {
                    "1" | "true" => true,
                    "0" | "false" => false,
                    _ => {
                        return fail(format!(
                            "the link's embed must be 1 or 0, not {}",
                            quote(value)
                        ))
                    }
                }
            }
            // Every key was checked against KEYS above.
            _ => return fail(format!("unknown setting {} in the link", quote(key))),
        }
    }

    config.validate().map_err(|e| UrlError(e.0))?;
    Ok((config, data.map(str::to_string)))
}

/// The preferences unpacked from a link's `data` join its configuration once they check out.
pub fn with_custom(mut config: Config, custom: CustomPreferences) -> Result<Config, UrlError> {
    custom.build().map_err(|e| UrlError(e.0))?;
    config.custom = Some(custom.into());
    Ok(config)
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

/// What is wrong with a link's version.
enum Version {
    NotANumber(String),
    Zero(String),
    Newer(String),
}

impl From<Version> for UrlError {
    fn from(v: Version) -> Self {
        UrlError(match v {
            Version::NotANumber(v) => format!("the link's v is not a number: {}", quote(&v)),
            Version::Zero(v) => {
                format!("the link's version v={v} does not exist (this tool reads v={URL_VERSION})")
            }
            Version::Newer(v) => format!(
                "this link is from a newer version (v={v}) of the tool; this version reads v={URL_VERSION} links"
            ),
        })
    }
}

/// Digits only; any number above 1, however long, is a newer version (not a "too large" error).
fn check_version(v: &str) -> Result<(), Version> {
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Version::NotANumber(v.to_string()));
    }
    let significant = v.trim_start_matches('0');
    if significant.is_empty() {
        Err(Version::Zero(clip(v)))
    } else if significant.parse::<u32>() == Ok(URL_VERSION) {
        Ok(())
    } else {
        Err(Version::Newer(clip(v)))
    }
}

/// Splits `key=value&...` and percent-decodes both sides.
fn split_settings(fragment: &str) -> Result<Vec<(String, String)>, UrlError> {
    fragment
        .split('&')
        .map(|part| {
            if part.is_empty() {
                return fail("the link has an empty setting (two '&' in a row, or one at an end)");
            }
            let Some((key, value)) = part.split_once('=') else {
                return fail(format!(
                    "the setting {} in the link has no value (write key=value)",
                    quote(part)
                ));
            };
            Ok((percent_decode(key)?, percent_decode(value)?))
        })
        .collect()
}

/// Strict percent-decoding: `%` must start two hex digits and the result must be UTF-8.
/// `+` stays `+` (fragments are not form data).
fn percent_decode(s: &str) -> Result<String, UrlError> {
    if !s.contains('%') {
        return Ok(s.to_string());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| {
                    u8::from_str_radix(h, 16)
                        .ok()
                        .filter(|_| !h.starts_with('+'))
                });
            let Some(b) = hex else {
                return fail(format!(
                    "the link has a broken %-escape in {} ('%' must be followed by two hex digits)",
                    quote(s)
                ));
            };
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).or_else(|_| {
        fail(format!(
            "the link's %-escapes in {} are not valid UTF-8 text",
            quote(s)
        ))
    })
}

/// A non-negative integer written as decimal digits only (no sign, no spaces).
fn parse_uint<T: std::str::FromStr>(key: &str, value: &str) -> Result<T, UrlError> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return fail(format!(
            "the link's {key} is not a number: {}",
            quote(value)
        ));
    }
    value
        .parse()
        .or_else(|_| fail(format!("the link's {key} is too large: {}", quote(value))))
}

/// A decimal number such as `0.5`, `-2`, `1e-3`; words like `inf` or `NaN` are refused here and
/// out-of-range values by [`Config::validate`].
/// Response indices separated by commas (`0,2`); at most 64, each strict like `parse_uint`.
fn parse_list(key: &str, value: &str) -> Result<Vec<usize>, UrlError> {
    if value.split(',').count() > crate::arena::live::MAX_SET {
        return fail(format!(
            "the link's {key} lists more than {} responses",
            crate::arena::live::MAX_SET
        ));
    }
    value.split(',').map(|v| parse_uint(key, v)).collect()
}

fn parse_f64(key: &str, value: &str) -> Result<f64, UrlError> {
    let plausible = value.bytes().any(|b| b.is_ascii_digit())
        && !value.starts_with('+')
        && value
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    match super::decimal::parse_f64(value) {
        Some(x) if plausible => Ok(x),
        _ => fail(format!(
            "the link's {key} is not a number: {}",
            quote(value)
        )),
    }
}

/// The custom preferences packed in `data`.
fn decode_data(value: &str) -> Result<CustomPreferences, UrlError> {
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

    #[test]
    fn percent_codec() {
        assert_eq!(percent_encode("apa-1998"), "apa-1998");
        assert_eq!(
            percent_encode("a b&c=d#e%+é"),
            "a%20b%26c%3Dd%23e%25%2B%C3%A9"
        );
        assert_eq!(
            percent_decode("a%20b%26c%3Dd%23e%25%2B%C3%A9").unwrap(),
            "a b&c=d#e%+é"
        );
        assert_eq!(percent_decode("a+b").unwrap(), "a+b");
        for bad in ["%", "%2", "%zz", "%+1", "%C3", "%FF"] {
            assert!(percent_decode(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_are_strict() {
        assert_eq!(parse_uint::<usize>("k", "0012"), Ok(12));
        for bad in ["", "+1", "-1", " 1", "1 ", "1.0", "0x10", "abc"] {
            assert!(parse_uint::<usize>("k", bad).is_err(), "{bad}");
        }
        assert_eq!(parse_f64("eta", "1e-3"), Ok(1e-3));
        assert_eq!(parse_f64("eta", "-2.5"), Ok(-2.5));
        for bad in ["", "inf", "NaN", "+1", "1,5", "e", ".", "1e", "- 1"] {
            assert!(parse_f64("eta", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn floats_print_short_and_exact() {
        for x in [
            0.1,
            1.0,
            1e6,
            1e-7,
            5e-324,
            0.30000000000000004,
            123456.789,
            f64::MAX,
        ] {
            let s = format_f64(x);
            assert!(s.len() <= 24, "{s}");
            assert_eq!(s.parse::<f64>().unwrap().to_bits(), x.to_bits());
        }
        assert_eq!(format_f64(0.5), "0.5");
        assert_eq!(format_f64(1e-7), "0.0000001");
        assert_eq!(format_f64(f64::MAX), "1.7976931348623157e308");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(32_768), "32,768");
        assert_eq!(thousands(4_194_304), "4,194,304");
    }
}
