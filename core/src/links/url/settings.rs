//! The readable settings of a share link: `key=value` pairs, written and read strictly.

use super::{clip, fail, quote, thousands, UrlError, MAX_FRAGMENT_BYTES, URL_VERSION};
use crate::config::{Algorithm, Config, View};
use crate::open_question::phase_map::Family;
use crate::presets;

/// The settings of version 1, in the order [`encode`](super::encode) writes them.
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

/// [`decode`](super::decode) but for the `data` setting, which is returned still packed (after
/// the cheap checks of every other setting): the page unpacks it with the browser's deflate and
/// JSON (see [`encode_checked_with`](super::encode_checked_with)), then calls
/// [`with_custom`](super::with_custom).
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

/// A decimal number such as `0.5`, `-2`, `1e-3`; words like `inf` or `NaN` are refused here and
/// out-of-range values by [`Config::validate`].
fn parse_f64(key: &str, value: &str) -> Result<f64, UrlError> {
    let plausible = value.bytes().any(|b| b.is_ascii_digit())
        && !value.starts_with('+')
        && value
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    match crate::links::decimal::parse_f64(value) {
        Some(x) if plausible => Ok(x),
        _ => fail(format!(
            "the link's {key} is not a number: {}",
            quote(value)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
