//! `ualign gap-search`: annealing chains side by side (rayon) over populations of weighted
//! strict rankings, for the profile that pushes a value against l-output opponents lowest.
//! The chains run in lockstep rounds, so every chain has made the same number of evaluations
//! whenever the search stops, and `--evaluations` with the same seed and threads replays any
//! run exactly: the document it prints is then the same byte for byte (it leaves out the
//! seconds taken, which only a run on a time budget reports). With `--certify`, V_{k,l} at the
//! profile found is certified at the end.

use crate::output::{Output, Progress};
use crate::Failure;
use rayon::prelude::*;
use serde_json::json;
use std::path::PathBuf;
use std::time::Instant;
use ualign::open_question::best_policy::{interval, RANDOM_STARTS};
use ualign::open_question::certify::search::{Options, Shard};
use ualign::open_question::gap_search::{profile_values, Chain, GapSpec, Profile, Target};

/// Evaluations each chain makes between two looks at the clock.
const ROUND: usize = 10;
/// The cell budget per subtree of `--certify`.
const CERTIFY_MAX_CELLS: usize = 1_000_000;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Responses (2 to 6).
    #[arg(long)]
    pub n: usize,
    /// Samples the policy shows.
    #[arg(long)]
    pub k: usize,
    /// Responses the opponent shows (1 to 3).
    #[arg(long)]
    pub l: usize,
    /// What is pushed down: the equilibrium's value, the best policy found, or NLHF's.
    #[arg(long, default_value = "game", value_parser = ["game", "best", "nlhf"])]
    pub target: String,
    /// Players of the game whose equilibrium is the target (default k + 1).
    #[arg(long)]
    pub players: Option<usize>,
    /// Wall-clock budget (default 10 s unless --evaluations is given).
    #[arg(long)]
    pub seconds: Option<f64>,
    /// Evaluations per chain instead of a time budget (reproducible: same seed, threads and
    /// evaluations give the same profile).
    #[arg(long)]
    pub evaluations: Option<usize>,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Chains, one per thread (default: the machine's cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Certify V_{k,l} at the profile found (`ualign certify`), write the certificate to this
    /// file and add its enclosure to the output under `certified`.
    #[arg(long, value_name = "CERT.json")]
    pub certify: Option<PathBuf>,
    /// The tolerance of that certificate.
    #[arg(long, default_value_t = 1e-4)]
    pub certify_tol: f64,
    /// Write to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run(a: Args) -> Result<(), Failure> {
    let spec = GapSpec {
        n: a.n,
        k: a.k,
        l: a.l,
        target: Target::from_id(&a.target).expect("clap checked it"),
        players: a.players,
    };
    spec.check().map_err(Failure::Input)?;
    let threads = a
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if !(1..=256).contains(&threads) {
        return Err(Failure::Input(format!(
            "{threads} threads is outside 1..=256"
        )));
    }
    if let Some(s) = a.seconds {
        if !(s.is_finite() && s > 0.0 && s <= 86_400.0) {
            return Err(Failure::Input(format!(
                "--seconds {s} must be a positive number up to a day"
            )));
        }
    }
    if a.certify.is_some() {
        crate::certify::check_options(a.certify_tol, CERTIFY_MAX_CELLS)?;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Failure::Internal(e.to_string()))?;
    let started = Instant::now();
    let budget = a.seconds.unwrap_or(10.0);
    let mut chains: Vec<Chain> = pool.install(|| {
        (0..threads as u64)
            .into_par_iter()
            .map(|i| Chain::new(&spec, a.seed, i))
            .collect()
    });
    let mut progress = match a.evaluations {
        Some(e) => Progress::new(e as u64, "evaluations per chain"),
        None => Progress::new((budget * 1000.0) as u64, "milliseconds"),
    };
    loop {
        let done = chains[0].evaluations;
        let round = match a.evaluations {
            Some(e) if done >= e => break,
            Some(e) => ROUND.min(e - done),
            None if started.elapsed().as_secs_f64() >= budget => break,
            None => ROUND,
        };
        pool.install(|| chains.par_iter_mut().for_each(|c| c.run(&spec, round)));
        progress.set(match a.evaluations {
            Some(_) => chains[0].evaluations as u64,
            None => started.elapsed().as_millis() as u64,
        });
    }
    progress.finish();
    let evaluations = chains[0].evaluations;
    // The lowest; a tie goes to the first chain.
    let (chain, (_, profile)) = chains
        .iter()
        .map(|c| &c.best)
        .enumerate()
        .fold(None::<(usize, &(f64, Profile))>, |acc, (i, b)| match acc {
            Some((_, a)) if a.0 <= b.0 => acc,
            _ => Some((i, b)),
        })
        .expect("one chain at least");
    // Printed with weights summing to 1, and every value computed from what is printed.
    let total: f64 = profile.voters.iter().map(|(w, _)| w).sum();
    let printed = Profile {
        voters: profile
            .voters
            .iter()
            .map(|(w, r)| (w / total, r.clone()))
            .collect(),
    };
    let pop = printed.population(spec.n);
    let values = profile_values(&spec, &pop, true, RANDOM_STARTS);
    let best = values.best.as_ref().expect("computed");
    let target_value = match spec.target {
        Target::Game => values.game,
        Target::Nlhf => values.nlhf,
        Target::Best => best.value,
    };
    let (lo, hi) = interval(spec.k, spec.l);
    let labels = ualign::model::default_labels(spec.n);
    let doc = json!({
        "name": format!("gap-search n={} k={} l={} target={}", spec.n, spec.k, spec.l, spec.target.id()),
        "description": format!(
            "The profile of {} voter types on {} responses that pushed the {} value against {}-output opponents lowest \
             (k = {}), found by {} annealing chains of {} evaluations each (seed {}). Between the paper's guarantee \
             (k+1-l)/(k+1) = {lo:.6} and k/(k+l) = {hi:.6}: the {}-player equilibrium wins {:.9}, the (k+l)-player \
             one {:.9}, NLHF {:.9}, the best policy found {:.9} (a lower bound on V_{{k,l}}, found by search).",
            printed.voters.len(), spec.n, spec.target.id(), spec.l, spec.k, threads, evaluations, a.seed,
            spec.players(), values.game, values.k_plus_l, values.nlhf, best.value
        ),
        "labels": labels,
        "population": printed.voters.iter().map(|(w, r)| json!({"weight": w, "ranking": r})).collect::<Vec<_>>(),
        "k": [spec.k],
        "l": [spec.l],
        "gap_search": {
            "target": spec.target.id(),
            "value": target_value,
            "players": spec.players(),
            "interval": [lo, hi],
            "game": {"value": values.game, "policy": values.game_policy},
            "nlhf": {"value": values.nlhf, "policy": values.nlhf_policy},
            "k_plus_l": values.k_plus_l,
            "best": {"value": best.value, "policy": best.policy, "opponent": best.opponent, "found_by": "search (a lower bound)"},
            "seed": a.seed,
            "threads": threads,
            "chain": chain,
            "evaluations_per_chain": evaluations,
            "replay": format!(
                "ualign gap-search --n {} --k {} --l {} --target {}{} --seed {} --threads {threads} --evaluations {evaluations}",
                spec.n, spec.k, spec.l, spec.target.id(),
                a.players.map_or(String::new(), |m| format!(" --players {m}")), a.seed
            ),
        },
    });
    let mut doc = doc;
    // Only a run on a time budget says how long it took: with --evaluations the document
    // depends on nothing but the command, so a kept copy can be compared byte for byte.
    if a.evaluations.is_none() {
        doc["gap_search"]["seconds"] = started.elapsed().as_secs_f64().into();
    }
    if let Some(path) = &a.certify {
        let problem = crate::certify::problem_of(&pop, spec.k, spec.l)?;
        let opts = Options {
            tol: a.certify_tol,
            max_cells: CERTIFY_MAX_CELLS,
            shard: Shard::WHOLE,
        };
        let cert = crate::certify::certify_problem(&problem, &opts, &pool);
        Output::new(Some(path.clone()))
            .write(&(serde_json::to_string_pretty(&cert).expect("serializable") + "\n"))?;
        doc["gap_search"]["certified"] = json!({
            "lower": cert.lower,
            "upper": cert.upper,
            "lower_exact": cert.lower_exact,
            "upper_exact": cert.upper_exact,
            "width": cert.width,
            "tol": cert.tol,
            "stop": cert.stop,
            "limit_reached": cert.limit_reached,
            "cells": cert.cells.examined,
            "seconds": cert.seconds + cert.check_seconds,
            "certificate": path.display().to_string(),
        });
    }
    let text = serde_json::to_string_pretty(&doc).expect("serializable") + "\n";
    Output::new(a.output).write(&text)
}
