//! `ualign bench`: times the payoff vector u_k(.; uniform) (compiled and per voter) and the
//! equilibria for k = 1..16.

use crate::output::Output;
use crate::source::SourceArgs;
use crate::Failure;
use std::path::PathBuf;
use std::time::Instant;
use ualign::case::game_population;
use ualign::model::{uniform, Preferences};
use ualign::payoff::CompiledPopulation;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub source: SourceArgs,
    /// An impartial culture instead: N responses, VOTERS voters, SEED.
    #[arg(long, num_args = 3, value_names = ["N", "VOTERS", "SEED"], conflicts_with_all = ["case", "preset", "file"])]
    pub impartial_culture: Option<Vec<u64>>,
    /// k of the payoff.
    #[arg(long, default_value_t = 4)]
    pub k: usize,
    /// Evaluations timed.
    #[arg(long, default_value_t = 2000)]
    pub reps: usize,
    /// Write to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run(a: Args) -> Result<(), Failure> {
    let prefs = match &a.impartial_culture {
        Some(v) => {
            let (n, voters, seed) = (v[0] as usize, v[1] as usize, v[2]);
            if n == 0
                || n > ualign::model::limits::MAX_RESPONSES
                || voters == 0
                || voters > 1_000_000
            {
                return Err(Failure::Input(format!(
                    "impartial culture needs 1..={} responses and 1..=1000000 voters",
                    ualign::model::limits::MAX_RESPONSES
                )));
            }
            Preferences::Population(ualign::presets::impartial_culture(n, voters, seed))
        }
        None => a.source.preferences()?,
    };
    let (k, reps) = (a.k, a.reps);
    ualign::case::check_request(&[k], &[], prefs.n())?;
    let (population, _) = game_population(&prefs)?;
    let mut out = String::new();
    let t = Instant::now();
    let c = CompiledPopulation::new(&population);
    out += &format!(
        "population: {} responses, {} voter types, {} payoff entries; compiled in {:.3} ms\n",
        c.n(),
        c.population().voters().len(),
        c.entry_count(),
        t.elapsed().as_secs_f64() * 1e3
    );
    // Full solves: the equilibrium for every k = 1..=16.
    let t = Instant::now();
    let mut worst = 0.0f64;
    for kk in 1..=16 {
        worst = worst.max(ualign::equilibrium::solve(&c, kk + 1).exploitability);
    }
    out += &format!(
        "equilibrium_k1_to_16_seconds={:.6} (worst exploitability {worst:.1e})\n",
        t.elapsed().as_secs_f64()
    );
    let pi = uniform(c.n());
    let mut u = vec![0.0; c.n()];
    let time = |f: &mut dyn FnMut()| {
        for _ in 0..reps.div_ceil(10).max(1) {
            f();
        }
        let t = Instant::now();
        for _ in 0..reps.max(1) {
            f();
        }
        t.elapsed().as_secs_f64() / reps.max(1) as f64
    };
    let per_voter = time(&mut || {
        CompiledPopulation::payoff_per_voter(&population, &pi, k, &mut u);
        std::hint::black_box(&u);
    });
    out += &format!("per_voter_payoff_eval_seconds={per_voter:.3e}\n");
    let fast = time(&mut || {
        c.payoff(std::hint::black_box(&pi), k, &mut u);
        std::hint::black_box(&u);
    });
    out += &format!("speedup_over_per_voter={:.1}\n", per_voter / fast);
    let u = c.payoff_vec(&pi, k);
    let shown: Vec<String> = u.iter().map(|x| format!("{x:.15}")).collect();
    out += &format!("u_uniform={}\n", shown.join(","));
    out += &format!("payoff_eval_seconds={fast:.3e}\n");
    Output::new(a.output).write(&out)
}
