//! The live reading in words: the exact answers first, then where each run's current iterate
//! stands. Every number in it says whether it is of the current iterate, the average iterate
//! or the exact solution (`text` re-exports it).

use super::text::{algorithm_title, NO_VALUE};
use crate::config::Algorithm;

/// An iterate within this exploitability of an equilibrium is said to have converged.
pub const CONVERGED: f64 = 1e-4;

/// One self-play run as the reading describes it, beside the exact solution it heads for.
#[derive(Debug, Clone, Copy)]
pub struct RunFacts<'a> {
    /// The response the current iterate puts most on, and how much.
    pub iterate_top: &'a str,
    pub iterate_mass: f64,
    /// Exploitability of the current iterate and of the average iterate, in the run's game.
    pub iterate_exploitability: f64,
    pub average_exploitability: f64,
    /// The exact solution's largest response, its mass, and its robust win rate W_k.
    pub exact_top: &'a str,
    pub exact_mass: f64,
    pub exact_win_rate: f64,
    /// That solution's exploitability in its own game (for the m-player game: certified when
    /// within `equilibrium::TARGET_EXPLOITABILITY`, else the solver's best iterate).
    pub exact_exploitability: f64,
}

/// What the live reading says: both runs and both exact answers.
#[derive(Debug, Clone, Copy)]
pub struct ReadingFacts<'a> {
    pub iteration: usize,
    pub k: usize,
    pub players: usize,
    pub n: usize,
    pub algorithm: Algorithm,
    /// NLHF's self-play; its exact solution is the maximal lottery.
    pub nlhf: RunFacts<'a>,
    /// The maximal lottery's worst single challenger.
    pub nlhf_threat: &'a str,
    /// The m-player game's self-play; its exact solution is the certified equilibrium.
    pub game: RunFacts<'a>,
    /// Responses with at least 0.005 in the exact equilibrium.
    pub game_support: usize,
    /// For a matrix: voter types in the population fitted to it, on which best-of-k is
    /// measured (None for a population).
    pub fitted_types: Option<usize>,
}

/// `x` as `3.1e-2` (two significant digits), written with decimal formatting: std's `{:e}`
/// brings its own float-to-exponent code into the worker, 3 KB of its budget.
pub fn short_sci(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if !x.is_finite() {
        return NO_VALUE.into();
    }
    let mut e = x.abs().log10().floor() as i32;
    let mut m = x / 10f64.powi(e);
    // Rounding to one decimal can carry into the next power of ten (9.96 -> 10.0).
    if (m.abs() * 10.0).round() >= 100.0 {
        e += 1;
        m = x / 10f64.powi(e);
    }
    format!("{m:.1}e{e}")
}

/// The live reading in words: the exact answers first, then where each run's current iterate
/// stands, saying plainly when it has not converged or cycles.
pub fn reading(f: &ReadingFacts<'_>) -> String {
    let k = f.k;
    let times = if k == 1 {
        "once".to_string()
    } else {
        format!("{k} times")
    };
    let mut text = format!(
        "Exact: NLHF's maximal lottery puts {:.3} on {}; sampled {times} it wins {:.4} against its worst challenger, {}. ",
        f.nlhf.exact_mass, f.nlhf.exact_top, f.nlhf.exact_win_rate, f.nlhf_threat,
    );
    let eps = f.game.exact_exploitability;
    // Only a certified equilibrium is quoted as exact.
    let which = if eps <= crate::equilibrium::TARGET_EXPLOITABILITY {
        format!("The {}-player equilibrium", f.players)
    } else {
        format!(
            "The {}-player equilibrium was not certified: the solver's best iterate (exploitability {}) ",
            f.players,
            short_sci(eps)
        )
    };
    text += &format!(
        "{} spreads over {} of {} responses and wins {:.4} against any single one (k/(k+1) = {:.4}). ",
        which.trim_end(),
        f.game_support,
        f.n,
        f.game.exact_win_rate,
        k as f64 / (k as f64 + 1.0),
    );
    if let (Some(types), true) = (f.fitted_types, k >= 2) {
        // The matrix fixes the pairwise rates only: best-of-k needs voters, and many
        // populations share one matrix (their values at k >= 2 can differ).
        text += &format!(
            "For k ≥ 2 these are of the population of {types} voter types fitted to the matrix; \
             another population with the same matrix can give other values. "
        );
    }
    if f.iteration == 0 {
        text += "Both self-play runs start from the uniform policy: press play.";
        return text;
    }
    let run = |name: &str, r: &RunFacts<'_>| {
        let mut s = format!(
            "{name}'s current iterate (iteration {}, {}) ",
            f.iteration,
            algorithm_title(f.algorithm)
        );
        if r.iterate_exploitability <= CONVERGED {
            s += &format!(
                "has converged: exploitability {}, {:.3} on {}. ",
                short_sci(r.iterate_exploitability),
                r.iterate_mass,
                r.iterate_top
            );
        } else {
            s += &format!(
                "has not converged: it puts {:.3} on {} (exploitability {}",
                r.iterate_mass,
                r.iterate_top,
                short_sci(r.iterate_exploitability)
            );
            if r.average_exploitability < 0.5 * r.iterate_exploitability {
                s += &format!(
                    "; the average iterate's is {}, closer",
                    short_sci(r.average_exploitability)
                );
            }
            s += "). ";
        }
        s
    };
    let nlhf = run("NLHF self-play", &f.nlhf);
    let game = run(&format!("The {}-player game", f.players), &f.game);
    text += &nlhf;
    if f.nlhf.iterate_exploitability > CONVERGED {
        text += match f.algorithm {
            Algorithm::Hedge | Algorithm::Replicator => {
                "In a 2-player zero-sum game this rule's last iterate cycles and its average converges; optimistic Hedge's last iterate converges. "
            }
            Algorithm::OptimisticHedge => {
                "Optimistic Hedge's last iterate converges: run longer. "
            }
            Algorithm::NashMd => {
                "Nash-MD heads for a game regularized toward the uniform policy, near the maximal lottery. "
            }
        };
    }
    text += game.trim_end();
    text
}
