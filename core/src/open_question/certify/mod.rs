//! Certified enclosures of V_{k,l} = max over pi of min over multisets Y' of W_{k,l}(pi, Y') at
//! one profile (docs/open-question.md): branch and bound over the policy simplex in floats,
//! then every final cell's bound and the policy's worst case recomputed exactly.
//!
//! - [`simplex`]: cells with dyadic vertices and their midpoint splits;
//! - [`bounds`]: a cell's float bound (least over Y' of the largest Bernstein coefficient);
//! - [`search`]: the branch and bound, per subtree of a fixed first split (so shards of it
//!   run apart and merge into the same result), resumable in slices;
//! - [`interval`]: the same coefficients bounded above in floats rounded outward (the fast
//!   check), and [`exact`]: in exact arithmetic (the fallback), with the policy's worst case;
//! - [`tree`]: the partition as a split tree (coverage holds by construction);
//! - [`certificate`]: the certificate document, its assembly and the merge of shards;
//! - [`verify`]: the independent check of a certificate.

pub mod bounds;
pub mod certificate;
pub mod exact;
pub mod interval;
pub mod profile;
pub mod search;
pub mod simplex;
pub mod tree;
pub mod verify;

use crate::model::Population;
use crate::open_question::best_policy::{self, Evaluator};
use bounds::{coefficient_count, Bounder};
use exact::Exact;
use interval::Interval;
use profile::ExactProfile;

/// Bernstein coefficients per multiset at most, C(n+k-1, k) (n = 6, k = 12 is 6,188): the
/// exact check of one leaf computes all of them.
pub const MAX_COEFFICIENTS: u128 = 10_000;

/// Whether a profile and (k, l) are within the certificate's limits; Err names the limit.
pub fn check_limits(profile: &ExactProfile, k: usize, l: usize) -> Result<(), String> {
    profile.check()?;
    let n = profile.n();
    if !(2..=simplex::MAX_N).contains(&n) {
        return Err(format!(
            "{n} responses is outside 2..={} (the limit of certify)",
            simplex::MAX_N
        ));
    }
    best_policy::check_limits(n, profile.weights.len(), k, l)?;
    let count = coefficient_count(n, k);
    if count > MAX_COEFFICIENTS {
        return Err(format!(
            "n = {n} and k = {k} give {count} Bernstein coefficients per multiset, over {MAX_COEFFICIENTS} (the limit of certify)"
        ));
    }
    Ok(())
}

/// One certification problem: a profile with exact weights, k and l, and what the float
/// search and the exact check need of it.
#[derive(Debug, Clone)]
pub struct Problem {
    pub profile: ExactProfile,
    pub k: usize,
    pub l: usize,
    pub population: Population,
    pub bounder: Bounder,
    pub eval: Evaluator,
    pub exact: Exact,
    pub interval: Interval,
}

impl Problem {
    /// The problem, within `check_limits`.
    pub fn new(profile: ExactProfile, k: usize, l: usize) -> Result<Problem, String> {
        check_limits(&profile, k, l)?;
        let population = profile.population().map_err(|e| e.0)?;
        Ok(Problem {
            bounder: Bounder::new(&profile, k, l),
            eval: Evaluator::new(&population, k, l),
            exact: Exact::new(&profile, k, l),
            interval: Interval::new(&profile, k, l),
            population,
            profile,
            k,
            l,
        })
    }

    pub fn n(&self) -> usize {
        self.profile.n()
    }
}

/// A whole run in one call, one subtree after another (the CLI runs the subtrees side by side
/// and gets the same certificate).
pub fn certify(problem: &Problem, opts: search::Options) -> certificate::Certificate {
    let mut run = search::CertifySearch::new(problem, opts);
    run.advance(problem, &mut || true);
    let (start, results, maxima) = run.outcome().expect("finished");
    certificate::assemble(problem, &opts, start, results, maxima)
}
