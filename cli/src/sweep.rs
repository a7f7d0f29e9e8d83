//! `ualign sweep`: the headline curve, robust win rate against k for every method, from the
//! session the app's worker runs (`Session::sweep_point`).

use crate::output::{Format, Output, OutputArgs, Progress};
use crate::source::SourceArgs;
use crate::Failure;
use std::fmt::Write;
use ualign::config::{Config, MAX_SWEEP_K};
use ualign::page::text::solution;
use ualign::payoff::guarantee;
use ualign::session::Session;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Largest k.
    #[arg(long, default_value_t = 16)]
    pub k_max: usize,
    /// KL strength of the RLHF baseline: policy proportional to exp(r / beta).
    #[arg(long, default_value_t = 1.0)]
    pub beta: f64,
    #[command(flatten)]
    pub out: OutputArgs,
}

pub fn run(a: Args) -> Result<(), Failure> {
    if a.k_max == 0 || a.k_max > MAX_SWEEP_K {
        return Err(Failure::Input(format!(
            "--k-max {} is outside 1..={MAX_SWEEP_K} (the limit on the sweep)",
            a.k_max
        )));
    }
    let prefs = a.source.preferences()?;
    let config = Config {
        k: 1,
        k_max: a.k_max,
        beta: a.beta,
        ..Config::default()
    };
    config.validate()?;
    let session = Session::with_preferences(&config, &prefs)?;
    let mut progress = Progress::new(a.k_max as u64, "sweep over k");
    let mut rows = Vec::with_capacity(a.k_max);
    for k in 1..=a.k_max {
        rows.push(session.sweep_point(k));
        progress.set(k as u64);
    }
    progress.finish();
    let text = match a.out.format {
        Format::Json => {
            // Each row with what its game column is of: the certified equilibrium ("exact")
            // or the solver's best iterate.
            let rows: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    let mut v = serde_json::to_value(r).expect("serializable");
                    v["game_solution"] = solution(r.game_exploitability).into();
                    v
                })
                .collect();
            serde_json::to_string(&rows).expect("serializable") + "\n"
        }
        Format::Csv => {
            let mut out = String::from("k,method,robust_win_rate,exploitability,policy\n");
            for r in &rows {
                let game = format!("equilibrium, {}", solution(r.game_exploitability));
                for (method, w, policy) in [
                    ("nlhf", r.nlhf, "maximal lottery, exact"),
                    ("alignment-game", r.game, game.as_str()),
                    ("rlhf", r.rlhf, "Bradley-Terry"),
                    ("best-of-k", r.best_of_k, "uniform"),
                ] {
                    // W_k = k/(k+1) - eps_k, so each method's exploitability is the gap. The
                    // policy column is quoted: it may hold commas.
                    let eps = (guarantee(r.k) - w).max(0.0);
                    let _ = writeln!(
                        out,
                        "{},{method},{:.12},{eps:.3e},\"{policy}\"",
                        r.k,
                        guarantee(r.k) - eps
                    );
                }
            }
            out
        }
    };
    Output::new(a.out.output).write(&text)
}
