//! The CSV downloads: the iteration history and the sweep over k, one row each.

use crate::session::{StepRecord, SweepRow};
use std::fmt::Write;

/// One row per iteration: both robust win rates and exploitabilities (shortest round-trip
/// numbers, so the file reads back bit for bit).
pub fn history_csv(history: &[StepRecord]) -> String {
    let mut out = String::from(
        "iteration,nlhf_win_rate,game_win_rate,nlhf_exploitability,game_exploitability\n",
    );
    for r in history {
        let _ = writeln!(
            out,
            "{},{},{},{},{}",
            r.iteration,
            r.nlhf_win_rate,
            r.game_win_rate,
            r.nlhf_exploitability,
            r.game_exploitability
        );
    }
    out
}

/// One row per k of the sweep.
pub fn sweep_csv(rows: &[SweepRow]) -> String {
    let mut out = String::from("k,nlhf,game,rlhf,best_of_k_uniform,bound,game_exploitability\n");
    for r in rows {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{}",
            r.k, r.nlhf, r.game, r.rlhf, r.best_of_k, r.bound, r.game_exploitability
        );
    }
    out
}
