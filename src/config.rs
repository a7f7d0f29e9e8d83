//! The one configuration a view is built from: what the URL, the CLI and the worker all carry.

use crate::model::{limits, ModelError};
use serde::{Deserialize, Serialize};

/// Largest k of the win-rate-versus-k sweep (one equilibrium solve per k).
pub const MAX_SWEEP_K: usize = 128;

/// Self-play update rule (DESIGN.md section 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Algorithm {
    /// Multiplicative weights: pi_{t+1} proportional to pi_t exp(eta u_t).
    #[default]
    Hedge,
    /// Hedge on the optimistic prediction 2 u_t - u_{t-1}.
    OptimisticHedge,
    /// Euler steps of the replicator dynamics with step h.
    Replicator,
    /// Nash-MD style regularized Hedge toward the reference (uniform) policy.
    NashMd,
}

impl Algorithm {
    pub const ALL: [Algorithm; 4] = [
        Algorithm::Hedge,
        Algorithm::OptimisticHedge,
        Algorithm::Replicator,
        Algorithm::NashMd,
    ];

    /// Stable short name (URL and CLI).
    pub fn id(self) -> &'static str {
        match self {
            Algorithm::Hedge => "hedge",
            Algorithm::OptimisticHedge => "optimistic-hedge",
            Algorithm::Replicator => "replicator",
            Algorithm::NashMd => "nash-md",
        }
    }

    /// Human name.
    pub fn title(self) -> &'static str {
        match self {
            Algorithm::Hedge => "Hedge",
            Algorithm::OptimisticHedge => "Optimistic Hedge",
            Algorithm::Replicator => "Replicator dynamics",
            Algorithm::NashMd => "Nash-MD (regularized)",
        }
    }

    pub fn from_id(s: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.id() == s)
    }
}

/// Everything that determines what the tool computes and shows.
/// Missing fields take their defaults, so old or hand-written links stay valid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Preset id (see `presets::presets()`).
    pub preset: String,
    /// Best-of-k: how many samples the user picks from.
    pub k: usize,
    /// Players in the alignment game; `None` means k + 1 (the paper's game).
    pub players: Option<usize>,
    /// Self-play update rule for both the NLHF game and the alignment game.
    pub algorithm: Algorithm,
    /// Step size (eta for Hedge, h for replicator); `None` means the tuned default.
    pub step_size: Option<f64>,
    /// Self-play iterations in one run.
    pub iterations: usize,
    /// Largest k of the win-rate-versus-k sweep.
    pub k_max: usize,
    /// Seed for randomized presets.
    pub seed: u64,
    /// KL strength beta of the RLHF baseline: policy proportional to exp(r / beta).
    pub beta: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            preset: crate::presets::DEFAULT_PRESET.to_string(),
            k: 4,
            players: None,
            algorithm: Algorithm::Hedge,
            step_size: None,
            iterations: 300,
            k_max: 16,
            seed: 1,
            beta: 1.0,
        }
    }
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
        if !self.beta.is_finite() || self.beta <= 0.0 || self.beta > 1e6 {
            return bad(format!(
                "beta {} must be a positive number up to 1e6",
                self.beta
            ));
        }
        Ok(())
    }

    /// Players in the alignment game.
    pub fn players(&self) -> usize {
        self.players.unwrap_or(self.k + 1)
    }

    /// Step size actually used: eta = 2m for Hedge-like rules (DESIGN.md section 5 observes
    /// eta = 2(k+1) converges fast), h = 1 for replicator.
    pub fn step_size_for(&self, players: usize) -> f64 {
        self.step_size.unwrap_or(match self.algorithm {
            Algorithm::Replicator => 1.0,
            _ => 2.0 * players as f64,
        })
    }
}
