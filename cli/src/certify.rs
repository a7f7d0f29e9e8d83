//! `ualign certify`, `ualign verify` and `ualign merge`: a certified enclosure of V_{k,l} at a
//! profile (the core's branch and bound, its subtrees side by side with rayon), the check of a
//! certificate with no search, and the merge of a sharded run's certificates.

use crate::output::{Output, Progress};
use crate::source::SourceArgs;
use crate::Failure;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;
use ualign::open_question::certify::certificate::{assemble, leaves_upper, merge, Certificate};
use ualign::open_question::certify::profile::ExactProfile;
use ualign::open_question::certify::search::{
    initial_lower, run_subtree, subtree_roots, Options, Shard,
};
use ualign::open_question::certify::verify::{Refusal, Verifier};
use ualign::open_question::certify::Problem;

#[derive(clap::Args, Debug)]
pub struct CertifyArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Samples the policy shows.
    #[arg(long)]
    pub k: usize,
    /// Responses the opponent shows.
    #[arg(long)]
    pub l: usize,
    /// Stop when upper - lower is at most this.
    #[arg(long, default_value_t = 1e-6)]
    pub tol: f64,
    /// Cells split per subtree of the fixed first split (64 subtrees) at most.
    #[arg(long, default_value_t = 1_000_000)]
    pub max_cells: usize,
    /// Take only shard I of N (subtrees s with s % N = I - 1); `ualign merge` joins them.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Threads for the subtrees side by side (default 1: most cells lie in the subtree of the
    /// maximizer, so more rarely pay; docs/open-question.md).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Write the certificate to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// A certificate written by `ualign certify` or `ualign merge`.
    pub certificate: PathBuf,
    /// Threads for the subtrees side by side (default 1).
    #[arg(long)]
    pub threads: Option<usize>,
}

#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// The certificates of shards 1/N to N/N (any order).
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Write the merged certificate to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool, Failure> {
    let threads = threads.unwrap_or(1);
    if !(1..=256).contains(&threads) {
        return Err(Failure::Input(format!(
            "{threads} threads is outside 1..=256"
        )));
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Failure::Internal(e.to_string()))
}

fn parse_shard(s: &str) -> Result<Shard, Failure> {
    let bad = || Failure::Input(format!("--shard {s:?} is not I/N (for example 2/8)"));
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let shard = Shard {
        index: i.trim().parse().map_err(|_| bad())?,
        count: n.trim().parse().map_err(|_| bad())?,
    };
    shard.check().map_err(Failure::Input)?;
    Ok(shard)
}

/// The problem a profile and (k, l) make, or the limit it is beyond.
pub fn problem_of(pop: &ualign::Population, k: usize, l: usize) -> Result<Problem, Failure> {
    Problem::new(ExactProfile::from_population(pop), k, l).map_err(Failure::Input)
}

/// The certificate of one run (or shard) of `problem`, with the subtrees side by side.
pub fn certify_problem(problem: &Problem, opts: &Options, pool: &rayon::ThreadPool) -> Certificate {
    let started = Instant::now();
    let start = initial_lower(problem);
    let (roots, _) = subtree_roots(problem);
    let owned: Vec<usize> = (0..roots.len()).filter(|&s| opts.shard.owns(s)).collect();
    let progress = std::sync::Mutex::new((Progress::new(owned.len() as u64, "subtrees"), 0u64));
    let results: Vec<_> = pool.install(|| {
        owned
            .par_iter()
            .map(|&s| {
                let r = run_subtree(problem, s, roots[s], &start, opts);
                let mut p = progress.lock().expect("not poisoned");
                p.1 += 1;
                let done = p.1;
                p.0.set(done);
                r
            })
            .collect()
    });
    progress.into_inner().expect("not poisoned").0.finish();
    let searched = started.elapsed().as_secs_f64();
    let checking = Instant::now();
    let maxima: Vec<_> = pool.install(|| {
        results
            .par_iter()
            .map(|r| leaves_upper(problem, roots[r.index], r))
            .collect()
    });
    let mut cert = assemble(problem, opts, &start, &results, &maxima);
    cert.seconds = searched;
    cert.check_seconds = checking.elapsed().as_secs_f64();
    cert
}

/// Checks --tol and --max-cells.
pub fn check_options(tol: f64, max_cells: usize) -> Result<(), Failure> {
    if !(tol.is_finite() && (1e-12..=1.0).contains(&tol)) {
        return Err(Failure::Input(format!("--tol {tol} is outside 1e-12..=1")));
    }
    if !(1..=100_000_000).contains(&max_cells) {
        return Err(Failure::Input(format!(
            "--max-cells {max_cells} is outside 1..=100000000"
        )));
    }
    Ok(())
}

pub fn run_certify(a: CertifyArgs) -> Result<(), Failure> {
    let prefs = a.source.preferences()?;
    let (pop, _) = ualign::case::game_population(&prefs)?;
    let problem = problem_of(&pop, a.k, a.l)?;
    check_options(a.tol, a.max_cells)?;
    let shard = match &a.shard {
        Some(s) => parse_shard(s)?,
        None => Shard::WHOLE,
    };
    let opts = Options {
        tol: a.tol,
        max_cells: a.max_cells,
        shard,
    };
    let cert = certify_problem(&problem, &opts, &pool(a.threads)?);
    write_certificate(&cert, a.output)
}

fn write_certificate(cert: &Certificate, output: Option<PathBuf>) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(cert).expect("serializable") + "\n";
    Output::new(output).write(&text)
}

fn read_certificate(path: &Path) -> Result<Certificate, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Input(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| Failure::Input(format!("{}: not a certificate: {e}", path.display())))
}

fn refused(path: &Path, r: Refusal) -> Failure {
    match r {
        Refusal::Malformed(m) => Failure::Input(format!("{}: {m}", path.display())),
        Refusal::DoesNotHold(m) => {
            Failure::DoesNotHold(format!("{}: does not hold: {m}", path.display()))
        }
    }
}

pub fn run_verify(a: VerifyArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let cert = read_certificate(&a.certificate)?;
    let pool = pool(a.threads)?;
    let v = Verifier::new(&cert).map_err(|r| refused(&a.certificate, r))?;
    let checked: Vec<_> = pool.install(|| {
        (0..v.piece_count())
            .into_par_iter()
            .map(|s| v.check_piece(s))
            .collect()
    });
    let mut leaves = 0;
    for c in checked {
        leaves += c.map_err(|r| refused(&a.certificate, r))?;
    }
    let report = v.report(leaves);
    let doc = serde_json::json!({
        "holds": true,
        "covers": if report.whole { "the simplex" } else { "this shard's subtrees" },
        "k": cert.k,
        "l": cert.l,
        "lower": cert.lower,
        "upper": cert.upper,
        "lower_exact": report.lower_exact.to_string(),
        "upper_exact": report.upper_exact.to_string(),
        "leaves": report.leaves,
        "seconds": started.elapsed().as_secs_f64(),
    });
    Output::new(None).write(&(doc.to_string() + "\n"))
}

pub fn run_merge(a: MergeArgs) -> Result<(), Failure> {
    let certs = a
        .shards
        .iter()
        .map(|p| read_certificate(p))
        .collect::<Result<Vec<_>, _>>()?;
    let merged = merge(&certs).map_err(Failure::Input)?;
    write_certificate(&merged, a.output)
}
