//! `ualign simulate`: rounds of the arena (docs/mathematics.md#the-arena) from the core's sampler, with
//! each tally beside the exact value it converges to, and a fixed set of k responses.

use crate::output::{Output, Progress};
use crate::source::SourceArgs;
use crate::Failure;
use serde_json::json;
use std::path::PathBuf;
use ualign::arena::{self, fixed_set, Challengers, Policies, Sampler, Tally, MAX_CHALLENGER};
use ualign::case::game_population;
use ualign::payoff::CompiledPopulation;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Samples each policy shows.
    #[arg(long)]
    pub k: usize,
    #[arg(long, default_value_t = 100_000)]
    pub rounds: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The challenger for both policies: up to 3 response indices (default: each policy's own
    /// worst single response).
    #[arg(long, value_delimiter = ',')]
    pub challenger: Option<Vec<usize>>,
    /// A fixed set of k responses to report (default: the best set of k distinct ones).
    #[arg(long, value_delimiter = ',')]
    pub set: Option<Vec<usize>>,
    /// Write to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run(a: Args) -> Result<(), Failure> {
    let prefs = a.source.preferences()?;
    let (pop, _) = game_population(&prefs)?;
    let pop = pop.merged();
    let n = pop.n();
    ualign::case::check_request(&[a.k], &[], n)?;
    if a.rounds == 0 || a.rounds > 1_000_000_000 {
        return Err(Failure::Input(format!(
            "--rounds {} is outside 1..=1000000000",
            a.rounds
        )));
    }
    let check = |what: &str, list: &[usize], max: usize| -> Result<(), Failure> {
        if list.is_empty() || list.len() > max {
            return Err(Failure::Input(format!(
                "--{what} takes 1 to {max} responses"
            )));
        }
        if let Some(y) = list.iter().find(|&&y| y >= n) {
            return Err(Failure::Input(format!(
                "--{what}: there is no response {y} (0..{n})"
            )));
        }
        Ok(())
    };
    if let Some(c) = &a.challenger {
        check("challenger", c, MAX_CHALLENGER)?;
    }
    if let Some(s) = &a.set {
        check("set", s, a.k)?;
        if s.len() != a.k {
            return Err(Failure::Input(format!("--set needs k = {} responses", a.k)));
        }
    }
    let compiled = CompiledPopulation::new(&pop);
    let nlhf = ualign::lottery::maximal_lottery(&prefs.pairwise());
    let game = ualign::equilibrium::solve(&compiled, a.k + 1).policy;
    let policies = Policies::new(nlhf.clone(), game.clone());
    let challengers = Challengers::new(&compiled, &policies, a.k, a.challenger.as_deref());
    let mut sampler = Sampler::new(&pop, a.seed);
    let (mut tn, mut tg) = (Tally::default(), Tally::default());
    let mut progress = Progress::new(a.rounds, "rounds");
    for r in 0..a.rounds {
        let round = sampler.round(&policies, a.k, &challengers);
        tn.add(round.nlhf.won);
        tg.add(round.game.won);
        if r % 65_536 == 0 {
            progress.set(r);
        }
    }
    progress.finish();
    let side = |pi: &[f64], challenger: &[usize], t: &Tally| {
        let (lo, hi) = t.interval();
        json!({
            "policy": pi,
            "challenger": challenger,
            "wins": t.wins,
            "empirical": t.empirical(),
            "exact": arena::exact(&compiled, pi, a.k, challenger),
            "interval": [lo, hi],
        })
    };
    let fixed = match &a.set {
        Some(set) => {
            let (value, worst) = fixed_set::robust(&pop, set);
            json!({"set": set, "robust_win_rate": value, "challenger": worst})
        }
        None => match fixed_set::best(&pop, a.k) {
            Ok((set, value, worst)) => {
                json!({"set": set, "robust_win_rate": value, "challenger": worst})
            }
            Err(why) => {
                json!({"set": null, "robust_win_rate": null, "challenger": null, "beyond_limit": why})
            }
        },
    };
    let doc = json!({
        "k": a.k,
        "rounds": a.rounds,
        "seed": a.seed,
        "nlhf": side(&nlhf, &challengers.nlhf, &tn),
        "alignment_game": side(&game, &challengers.game, &tg),
        "fixed_set": fixed,
    });
    Output::new(a.output).write(&(serde_json::to_string(&doc).expect("serializable") + "\n"))
}
