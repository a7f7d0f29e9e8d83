//! The one configuration a view is built from: what the URL, the CLI and the worker all carry.

use serde::{Deserialize, Serialize};

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
}

impl Default for Config {
    fn default() -> Self {
        Config {
            preset: "apa-1998".to_string(),
            k: 4,
            players: None,
            algorithm: Algorithm::Hedge,
            step_size: None,
            iterations: 300,
            k_max: 16,
            seed: 1,
        }
    }
}

impl Config {
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
