//! The independent check of a certificate, with no search: the split tree covers the simplex
//! (or exactly its shard's subtrees), every leaf's exact bound for its multiset is at most the
//! upper bound, and the lower bound is the policy's exact worst case. Exact arithmetic only.

use super::certificate::{Certificate, FORMAT};
use super::exact::{is_policy, Exact};
use super::profile::{rational, to_f64_directed, ExactProfile};
use super::search::{Shard, SPLIT_DEPTH};
use super::simplex::Cell;
use super::tree::{pieces, walk, Event, Tokens};
use crate::open_question::best_policy::multisets;
use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::ToPrimitive;

/// Why a certificate is refused.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// Not a certificate this check can read (a field missing, a number that is not one, a
    /// profile beyond the limits).
    Malformed(String),
    /// A readable certificate whose claim does not hold: the first failing field or cell.
    DoesNotHold(String),
}

/// What a check established.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub leaves: usize,
    /// Every subtree is present (false for one shard's certificate: its subtrees only).
    pub whole: bool,
    pub lower_exact: BigRational,
    pub upper_exact: BigRational,
}

/// A certificate read and checked except for its leaves, which `check_piece` checks one
/// subtree at a time (in any order, or side by side).
pub struct Verifier<'c> {
    exact: Exact,
    multisets: usize,
    /// The subtrees' roots and texts ("?" for one left to another shard).
    pieces: Vec<(Cell, &'c str)>,
    /// floor(upper Z): a leaf holds when its numerator is at most this.
    threshold: BigInt,
    /// The float at or below upper: a leaf whose outward-rounded bound is at most this holds.
    upper_down: f64,
    interval: super::interval::Interval,
    upper: BigRational,
    lower: BigRational,
    whole: bool,
}

fn malformed(s: impl Into<String>) -> Refusal {
    Refusal::Malformed(s.into())
}

fn fails(s: impl Into<String>) -> Refusal {
    Refusal::DoesNotHold(s.into())
}

impl<'c> Verifier<'c> {
    pub fn new(cert: &'c Certificate) -> Result<Verifier<'c>, Refusal> {
        if cert.format != FORMAT {
            return Err(malformed(format!(
                "format {:?} is not {FORMAT:?}",
                cert.format
            )));
        }
        let weights = cert
            .profile
            .population
            .iter()
            .enumerate()
            .map(|(i, v)| {
                rational(&v.weight).ok_or_else(|| {
                    malformed(format!(
                        "profile: voter type {} has weight {:?}, not a rational",
                        i + 1,
                        v.weight
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let profile = ExactProfile {
            labels: cert.profile.labels.clone(),
            weights,
            rankings: cert
                .profile
                .population
                .iter()
                .map(|v| v.ranking.0.clone())
                .collect(),
        };
        super::check_limits(&profile, cert.k, cert.l)
            .map_err(|e| malformed(format!("profile: {e}")))?;
        let n = profile.n();
        if cert.split_depth != SPLIT_DEPTH {
            return Err(malformed(format!(
                "split_depth {} is not {SPLIT_DEPTH}",
                cert.split_depth
            )));
        }
        let shard = cert.shard.unwrap_or(Shard::WHOLE);
        shard
            .check()
            .map_err(|e| malformed(format!("shard: {e}")))?;
        let read = |s: &str, what: &str| {
            rational(s).ok_or_else(|| malformed(format!("{what} {s:?} is not a rational")))
        };
        let lower = read(&cert.lower_exact, "lower_exact")?;
        let upper = read(&cert.upper_exact, "upper_exact")?;
        let policy = cert
            .policy
            .iter()
            .map(|p| read(p, "a policy entry"))
            .collect::<Result<Vec<_>, _>>()?;
        if cert.multisets != multisets(n, cert.l) {
            return Err(fails(
                "multisets: not the multisets of l responses in lexicographic order",
            ));
        }
        if !is_policy(&policy, n) {
            return Err(fails(format!(
                "policy: not {n} probabilities at least 0 adding up to exactly 1"
            )));
        }
        let exact = Exact::new(&profile, cert.k, cert.l);
        let (worst, _) = exact.worst_case(&policy);
        if worst != lower {
            return Err(fails(format!(
                "lower_exact: the policy's exact worst case is {} ({}), not {}",
                worst,
                worst.to_f64().unwrap_or(f64::NAN),
                cert.lower_exact
            )));
        }
        if cert.lower > to_f64_directed(&lower, false) {
            return Err(fails("lower: the float is above lower_exact"));
        }
        if cert.upper < to_f64_directed(&upper, true) {
            return Err(fails("upper: the float is below upper_exact"));
        }
        if cert.width < to_f64_directed(&(&upper - &lower), true) {
            return Err(fails("width: the float is below upper_exact - lower_exact"));
        }
        let pieces = pieces(n, &cert.cells.tree, SPLIT_DEPTH)
            .map_err(|e| fails(format!("cells: the tree does not cover the simplex: {e}")))?;
        for (s, (_, text)) in pieces.iter().enumerate() {
            let missing = *text == "?";
            if missing == shard.owns(s) {
                return Err(fails(if missing {
                    format!("cells: subtree {s} is missing, so the cells do not cover the simplex")
                } else {
                    format!(
                        "cells: subtree {s} belongs to another shard than {}/{}",
                        shard.index, shard.count
                    )
                }));
            }
        }
        let (q, r) = (upper.numer() * exact.scale()).div_rem(upper.denom());
        let threshold = if r.sign() == num_bigint::Sign::Minus {
            q - 1
        } else {
            q
        };
        Ok(Verifier {
            upper_down: to_f64_directed(&upper, false),
            interval: super::interval::Interval::new(&profile, cert.k, cert.l),
            multisets: exact.multisets().len(),
            exact,
            pieces,
            threshold,
            upper,
            lower,
            whole: shard == Shard::WHOLE,
        })
    }

    pub fn piece_count(&self) -> usize {
        self.pieces.len()
    }

    /// Checks every leaf of subtree `s` (none for one left to another shard); the leaves
    /// checked, or the first that fails.
    pub fn check_piece(&self, s: usize) -> Result<usize, Refusal> {
        let (root, text) = self.pieces[s];
        if text == "?" {
            return Ok(0);
        }
        let mut count = 0;
        let mut failure = None;
        walk(root, &mut Tokens::new(text), &mut |event| match event {
            Event::Missing { .. } => Err(format!("subtree {s} has a cell left out ('?')")),
            Event::Leaf {
                index,
                cell,
                multiset,
            } => {
                count += 1;
                if multiset >= self.multisets {
                    return Err(format!(
                        "subtree {s}, leaf {index}: multiset {multiset} does not exist"
                    ));
                }
                // The float bound settles almost every leaf; the rest are computed exactly.
                if self.interval.leaf_upper(cell, multiset) <= self.upper_down {
                    return Ok(());
                }
                let v = self.exact.leaf_numerator(cell, multiset);
                if v > self.threshold {
                    let value = BigRational::new(v, self.exact.scale().clone());
                    failure = Some(format!(
                        "cells: subtree {s}, leaf {index} (multiset {:?}): its exact bound {} is above upper {}",
                        self.exact.multisets()[multiset],
                        value.to_f64().unwrap_or(f64::NAN),
                        self.upper.to_f64().unwrap_or(f64::NAN)
                    ));
                    return Err(String::new());
                }
                Ok(())
            }
        })
        .map_err(|e| fails(failure.take().unwrap_or(format!("cells: {e}"))))?;
        Ok(count)
    }

    /// The report once every piece held, from the leaves they counted.
    pub fn report(&self, leaves: usize) -> Report {
        Report {
            leaves,
            whole: self.whole,
            lower_exact: self.lower.clone(),
            upper_exact: self.upper.clone(),
        }
    }
}

/// The whole check, one subtree after another.
pub fn verify(cert: &Certificate) -> Result<Report, Refusal> {
    let v = Verifier::new(cert)?;
    let mut leaves = 0;
    for s in 0..v.piece_count() {
        leaves += v.check_piece(s)?;
    }
    Ok(v.report(leaves))
}
