//! The limits a configuration must keep: the check that names the one it breaks.

use super::{Config, MAX_FONT_SCALE, MAX_SEED, MAX_SWEEP_K, MIN_FONT_SCALE};
use crate::model::{limits, ModelError};

/// Most origins one link may allow to drive the page (`origins=`).
pub const MAX_ORIGINS: usize = 8;

/// Whether `s` is a web origin as `MessageEvent.origin` gives it: `http://` or `https://`, a
/// host of lower-case letters, digits, `.`, `-` (or a bracketed IPv6 address), an optional
/// port that is not the scheme's default, no path, at most 253 characters (any other
/// spelling would never match a message's origin).
pub fn is_origin(s: &str) -> bool {
    let Some(rest) = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
    else {
        return false;
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(':') && !p.contains(']') => (h, Some(p)),
        _ => (rest, None),
    };
    let host_ok = if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !v6.is_empty()
            && v6
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
    } else {
        !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    };
    // As `MessageEvent.origin` writes it: lower case, no default port, no leading zero.
    let default_port = if s.starts_with("https") { "443" } else { "80" };
    let port_ok = port.is_none_or(|p| {
        !p.is_empty()
            && p.len() <= 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && !p.starts_with('0')
            && p != default_port
    });
    s.len() <= 253 && host_ok && port_ok && !s.bytes().any(|b| b.is_ascii_uppercase())
}

impl Config {
    /// Checks every number against the limits before any work, naming the limit.
    pub fn validate(&self) -> Result<(), ModelError> {
        let bad = |m: String| Err(ModelError(m));
        if self.k == 0 || self.k > limits::MAX_K {
            return bad(format!(
                "k = {} is outside 1..={} (the limit on k)",
                self.k,
                limits::MAX_K
            ));
        }
        let m = self.players();
        if !(2..=limits::MAX_PLAYERS).contains(&m) {
            return bad(format!(
                "{m} players is outside 2..={} (the limit on players)",
                limits::MAX_PLAYERS
            ));
        }
        if self.iterations == 0 || self.iterations > limits::MAX_ITERATIONS {
            return bad(format!(
                "{} iterations is outside 1..={} (the limit on iterations)",
                self.iterations,
                limits::MAX_ITERATIONS
            ));
        }
        if self.k_max == 0 || self.k_max > MAX_SWEEP_K {
            return bad(format!(
                "the sweep's largest k = {} is outside 1..={MAX_SWEEP_K} (the limit on the sweep)",
                self.k_max
            ));
        }
        if let Some(eta) = self.step_size {
            if !eta.is_finite() || eta <= 0.0 || eta > 1e6 {
                return bad(format!(
                    "step size {eta} must be a positive number up to 1e6"
                ));
            }
        }
        if self.seed > MAX_SEED {
            return bad(format!(
                "seed {} is over {MAX_SEED} (the limit on seeds)",
                self.seed
            ));
        }
        if !(MIN_FONT_SCALE..=MAX_FONT_SCALE).contains(&self.font_scale) {
            return bad(format!(
                "font scale {} is outside {MIN_FONT_SCALE}..={MAX_FONT_SCALE} (the limit on the font scale)",
                self.font_scale
            ));
        }
        if self.challenger.len() > crate::arena::MAX_CHALLENGER {
            return bad(format!(
                "a challenger of {} responses is over the limit ({} responses)",
                self.challenger.len(),
                crate::arena::MAX_CHALLENGER
            ));
        }
        if self.set.len() > self.k.min(crate::arena::live::MAX_SET) {
            return bad(format!(
                "a fixed set of {} responses is more than k = {} (a fixed set has k responses, at most {})",
                self.set.len(),
                self.k,
                crate::arena::live::MAX_SET
            ));
        }
        if self.draws > MAX_SEED {
            return bad(format!(
                "the arena's seed {} is over {MAX_SEED} (the limit on seeds)",
                self.draws
            ));
        }
        if self.tour > crate::deck::MAX_STEPS {
            return bad(format!(
                "tour step {} is over {} (the limit on steps)",
                self.tour,
                crate::deck::MAX_STEPS
            ));
        }
        if self.origins.len() > MAX_ORIGINS {
            return bad(format!(
                "{} origins is over the limit ({MAX_ORIGINS})",
                self.origins.len()
            ));
        }
        if let Some(o) = self.origins.iter().find(|o| !is_origin(o)) {
            return bad(format!(
                "{o:?} is not an origin (write scheme://host or scheme://host:port, http or https)"
            ));
        }
        if !self.beta.is_finite() || self.beta <= 0.0 || self.beta > 1e6 {
            return bad(format!(
                "beta {} must be a positive number up to 1e6",
                self.beta
            ));
        }
        Ok(())
    }
}
