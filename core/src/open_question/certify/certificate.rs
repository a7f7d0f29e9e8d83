//! The certificate document: what was certified (profile with exact weights, k, l), the
//! enclosure (floats and exact rationals), the policy behind the lower bound, and the split
//! tree with the multiset bounding each leaf; its assembly from a run and the merge of shards.

use super::exact::rational_policy;
use super::profile::{rational, to_f64_directed};
use super::search::{Candidate, Options, Shard, Stop, SubtreeResult, SPLIT_DEPTH, SUBTREES};
use super::simplex::{skeleton, Cell};
use super::tree::{pieces, walk, Event, Tokens};
use super::Problem;
use crate::model::RawRanking;
use crate::open_question::best_policy::multisets;
use num_bigint::BigInt;
use num_rational::BigRational;
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "ualign-certificate/1";

/// A voter type with its weight as an exact rational (`p/q` or an integer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertVoter {
    pub weight: String,
    pub ranking: RawRanking,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertProfile {
    pub labels: Vec<String>,
    pub population: Vec<CertVoter>,
}

/// The partition: the split tree (`tree`'s format), its leaves, and the cells split to get it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cells {
    pub examined: usize,
    pub leaves: usize,
    pub tree: String,
}

/// A certificate that lower <= V_{k,l} <= upper at the profile (`verify` checks it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    pub format: String,
    pub k: usize,
    pub l: usize,
    /// Floats at or below / at or above the exact values.
    pub lower: f64,
    pub upper: f64,
    pub width: f64,
    /// The exact worst case of `policy`, and the exact value of `upper` (a bound of every
    /// leaf's coefficients, from floats rounded outward).
    pub lower_exact: String,
    pub upper_exact: String,
    pub policy: Vec<String>,
    /// Where the policy came from: the subtree whose cell centroid it is, or none for the
    /// local search (ties between equal lower bounds go to the earliest).
    pub policy_subtree: Option<usize>,
    pub profile: CertProfile,
    /// The multisets Y' in the order the leaves' indices refer to.
    pub multisets: Vec<Vec<usize>>,
    pub tol: f64,
    pub max_cells_per_subtree: usize,
    pub split_depth: usize,
    /// The part of the run this is (absent: the whole simplex).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
    pub stop: String,
    pub limit_reached: bool,
    pub seconds: f64,
    pub check_seconds: f64,
    pub cells: Cells,
}

/// An upper bound of every leaf's coefficients over one subtree (outward-rounded floats).
pub fn leaves_upper(problem: &Problem, root: Cell, result: &SubtreeResult) -> f64 {
    let mut max = f64::NEG_INFINITY;
    walk(root, &mut Tokens::new(&result.tree), &mut |event| {
        if let Event::Leaf { cell, multiset, .. } = event {
            max = max.max(problem.interval.leaf_upper(cell, multiset));
        }
        Ok(())
    })
    .expect("the search writes a valid tree");
    max
}

/// The largest exact bound over one subtree's leaves, times the common scale Z (the exact
/// check; `leaves_upper` is the fast one).
pub fn leaves_exact_max(problem: &Problem, root: Cell, result: &SubtreeResult) -> BigInt {
    let mut max: Option<BigInt> = None;
    walk(root, &mut Tokens::new(&result.tree), &mut |event| {
        if let Event::Leaf { cell, multiset, .. } = event {
            let v = problem.exact.leaf_numerator(cell, multiset);
            if max.as_ref().is_none_or(|m| v > *m) {
                max = Some(v);
            }
        }
        Ok(())
    })
    .expect("the search writes a valid tree");
    max.expect("a subtree has a leaf")
}

/// The profile as the certificate writes it.
pub fn cert_profile(problem: &Problem) -> CertProfile {
    CertProfile {
        labels: problem.profile.labels.clone(),
        population: problem
            .profile
            .weights
            .iter()
            .zip(&problem.profile.rankings)
            .map(|(w, r)| CertVoter {
                weight: w.to_string(),
                ranking: RawRanking(r.clone()),
            })
            .collect(),
    }
}

/// The certificate of a run (or of a shard of it) from its subtrees' results and exact maxima.
pub fn assemble(
    problem: &Problem,
    opts: &Options,
    start: &Candidate,
    results: &[SubtreeResult],
    maxima: &[f64],
) -> Certificate {
    // The policy: the best exact worst case among the start and the subtrees' improvements.
    let mut chosen: Option<(BigRational, Option<usize>, Vec<BigRational>)> = None;
    let candidates = std::iter::once((None, start)).chain(
        results
            .iter()
            .filter_map(|r| r.best.as_ref().map(|b| (Some(r.index), b))),
    );
    for (from, c) in candidates {
        let pi = rational_policy(&c.policy);
        let (value, _) = problem.exact.worst_case(&pi);
        if chosen.as_ref().is_none_or(|(v, _, _)| value > *v) {
            chosen = Some((value, from, pi));
        }
    }
    let (lower, from, policy) = chosen.expect("the start");
    let top = maxima.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let upper = BigRational::from_float(top).expect("a finite bound");
    let (_, splits) = skeleton(problem.n(), SPLIT_DEPTH);
    let mut texts: Vec<&str> = vec!["?"; SUBTREES];
    for r in results {
        texts[r.index] = &r.tree;
    }
    let stop = results
        .iter()
        .map(|r| r.stop)
        .max()
        .unwrap_or(Stop::Tolerance);
    Certificate {
        format: FORMAT.into(),
        k: problem.k,
        l: problem.l,
        lower: to_f64_directed(&lower, false),
        upper: to_f64_directed(&upper, true),
        width: to_f64_directed(&(&upper - &lower), true),
        lower_exact: lower.to_string(),
        upper_exact: upper.to_string(),
        policy: policy.iter().map(ToString::to_string).collect(),
        policy_subtree: from,
        profile: cert_profile(problem),
        multisets: multisets(problem.n(), problem.l),
        tol: opts.tol,
        max_cells_per_subtree: opts.max_cells,
        split_depth: SPLIT_DEPTH,
        shard: (opts.shard != Shard::WHOLE).then_some(opts.shard),
        stop: stop.id().into(),
        limit_reached: stop != Stop::Tolerance,
        seconds: 0.0,
        check_seconds: 0.0,
        cells: Cells {
            examined: results.iter().map(|r| r.examined).sum(),
            leaves: results.iter().map(|r| r.leaves).sum(),
            tree: join_tree(&splits, &texts),
        },
    }
}

/// The whole tree from the skeleton's splits (preorder) and the subtrees' texts.
fn join_tree(splits: &[usize], texts: &[&str]) -> String {
    fn go(
        d: usize,
        splits: &mut std::slice::Iter<'_, usize>,
        texts: &mut std::slice::Iter<'_, &str>,
        out: &mut String,
    ) {
        if d == SPLIT_DEPTH {
            out.push_str(texts.next().expect("a subtree per root"));
            return;
        }
        super::tree::write_split(out, *splits.next().expect("a split per inner node"));
        go(d + 1, splits, texts, out);
        go(d + 1, splits, texts, out);
    }
    let mut out = String::new();
    go(0, &mut splits.iter(), &mut texts.iter(), &mut out);
    out
}

/// The certificate of the whole run from the certificates of all its shards (same profile,
/// k, l, tolerance and budget; shards 1..=N each once): the union of their subtrees, the
/// largest upper and the best lower bound, as the unsharded run gives.
pub fn merge(shards: &[Certificate]) -> Result<Certificate, String> {
    let first = shards
        .first()
        .ok_or("merge needs the shards' certificates")?;
    if first.split_depth != SPLIT_DEPTH {
        return Err(format!(
            "split_depth {} is not {SPLIT_DEPTH}",
            first.split_depth
        ));
    }
    let count = first.shard.map_or(1, |s| s.count);
    let mut owner: Vec<Option<usize>> = vec![None; count];
    for (i, c) in shards.iter().enumerate() {
        let same = c.format == first.format
            && c.k == first.k
            && c.l == first.l
            && c.profile == first.profile
            && c.tol == first.tol
            && c.max_cells_per_subtree == first.max_cells_per_subtree
            && c.split_depth == first.split_depth
            && c.multisets == first.multisets;
        if !same {
            return Err(format!(
                "certificate {} is not a shard of the same run as the first (profile, k, l, tol, max cells)",
                i + 1
            ));
        }
        let s = c.shard.unwrap_or(Shard::WHOLE);
        if s.count != count {
            return Err(format!(
                "certificate {} is shard {}/{}, not one of {count}",
                i + 1,
                s.index,
                s.count
            ));
        }
        if owner[s.index - 1].replace(i).is_some() {
            return Err(format!("shard {}/{count} is given twice", s.index));
        }
    }
    if let Some(missing) = owner.iter().position(Option::is_none) {
        return Err(format!("shard {}/{count} is missing", missing + 1));
    }
    let n = first.profile.labels.len();
    let parsed: Vec<Vec<(Cell, &str)>> = shards
        .iter()
        .map(|c| pieces(n, &c.cells.tree, first.split_depth))
        .collect::<Result<_, _>>()?;
    let (_, splits) = skeleton(n, first.split_depth);
    let mut texts = Vec::with_capacity(parsed[0].len());
    for s in 0..parsed[0].len() {
        let i = owner[s % count].expect("checked");
        texts.push(
            parsed[i]
                .get(s)
                .map(|p| p.1)
                .ok_or("a shard has too few subtrees")?,
        );
    }
    let exact =
        |s: &str, what: &str| rational(s).ok_or_else(|| format!("{what} {s:?} is not a rational"));
    // The best lower bound; of equal ones, the one found first (the start, then by subtree).
    let mut best: Option<(BigRational, &Certificate)> = None;
    let mut upper: Option<BigRational> = None;
    for c in shards {
        let lower = exact(&c.lower_exact, "lower_exact")?;
        let better = best.as_ref().is_none_or(|(v, b)| {
            lower > *v
                || lower == *v
                    && c.policy_subtree.map_or(-1, |s| s as i64)
                        < b.policy_subtree.map_or(-1, |s| s as i64)
        });
        if better {
            best = Some((lower, c));
        }
        let u = exact(&c.upper_exact, "upper_exact")?;
        if upper.as_ref().is_none_or(|x| u > *x) {
            upper = Some(u);
        }
    }
    let (lower, from) = best.expect("a shard");
    let upper = upper.expect("a shard");
    let stop = shards
        .iter()
        .filter_map(|c| Stop::from_id(&c.stop))
        .max()
        .unwrap_or(Stop::Tolerance);
    let opts = Options {
        tol: first.tol,
        max_cells: first.max_cells_per_subtree,
        shard: Shard::WHOLE,
    };
    Ok(Certificate {
        lower: to_f64_directed(&lower, false),
        upper: to_f64_directed(&upper, true),
        width: to_f64_directed(&(&upper - &lower), true),
        lower_exact: lower.to_string(),
        upper_exact: upper.to_string(),
        policy: from.policy.clone(),
        policy_subtree: from.policy_subtree,
        shard: None,
        stop: stop.id().into(),
        limit_reached: stop != Stop::Tolerance,
        seconds: shards.iter().map(|c| c.seconds).sum(),
        check_seconds: shards.iter().map(|c| c.check_seconds).sum(),
        cells: Cells {
            examined: shards.iter().map(|c| c.cells.examined).sum(),
            leaves: shards.iter().map(|c| c.cells.leaves).sum(),
            tree: join_tree(&splits, &texts),
        },
        tol: opts.tol,
        max_cells_per_subtree: opts.max_cells,
        ..first.clone()
    })
}
