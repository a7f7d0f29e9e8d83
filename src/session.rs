//! A run as the app sees it: both self-play dynamics side by side, the sweep over k and the
//! opponent curve, behind one small API that the worker drives step by step.

use crate::config::Config;
use crate::model::ModelError;
use serde::{Deserialize, Serialize};

/// The state of one self-play run (NLHF's 2-player game, or the m-player alignment game).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SideState {
    /// Current iterate pi_t.
    pub policy: Vec<f64>,
    /// Average iterate (1/t) sum pi_s.
    pub average: Vec<f64>,
    /// Exploitability of pi_t in its own game (0 = equilibrium).
    pub exploitability: f64,
    /// Robust best-of-k win rate W_k(pi_t) for the configured k.
    pub robust_win_rate: f64,
    /// External regret of the run so far.
    pub regret: f64,
}

/// One iteration's numbers, for the charts over iterations.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct StepRecord {
    pub iteration: usize,
    pub nlhf_win_rate: f64,
    pub game_win_rate: f64,
    pub nlhf_exploitability: f64,
    pub game_exploitability: f64,
}

/// Everything the policy views need at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Snapshot {
    pub iteration: usize,
    pub k: usize,
    pub players: usize,
    pub nlhf: SideState,
    pub game: SideState,
}

/// One k of the headline chart: robust best-of-k win rate of each policy.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct SweepRow {
    pub k: usize,
    /// NLHF's maximal lottery.
    pub nlhf: f64,
    /// The (k+1)-player alignment game equilibrium.
    pub game: f64,
    /// RLHF: Bradley-Terry policy.
    pub rlhf: f64,
    /// Plain best-of-k from the reference (uniform) policy.
    pub best_of_k: f64,
    /// k/(k+1).
    pub bound: f64,
    pub game_exploitability: f64,
}

/// Win rate against the worst l-output opponent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct OpponentRow {
    pub l: usize,
    pub game: f64,
    pub nlhf: f64,
    /// (k+1-l)/(k+1), the paper's guarantee for the equilibrium.
    pub bound: f64,
    /// True when the minimum over opponent multisets was enumerated exactly.
    pub exact: bool,
}

/// Both dynamics for one configuration.
pub struct Session {
    config: Config,
}

impl Session {
    pub fn new(config: &Config) -> Result<Session, ModelError> {
        let _ = config;
        todo!("being written")
    }
    pub fn config(&self) -> &Config {
        &self.config
    }
    pub fn labels(&self) -> &[String] {
        todo!()
    }
    pub fn iteration(&self) -> usize {
        todo!()
    }
    pub fn done(&self) -> bool {
        todo!()
    }
    pub fn step(&mut self) -> StepRecord {
        todo!()
    }
    pub fn snapshot(&self) -> Snapshot {
        todo!()
    }
    pub fn sweep_point(&self, k: usize) -> SweepRow {
        let _ = k;
        todo!()
    }
    pub fn opponent_curve(&self) -> Vec<OpponentRow> {
        todo!()
    }
    pub fn describe(&self) -> String {
        todo!()
    }
}
