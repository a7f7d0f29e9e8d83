//! A fixed set of k responses (a deterministic k-output model, not a policy sampled k times):
//! against a challenger multiset Y', per voter, with C* the best class S and Y' reach together
//! and s, m the copies of S and of Y' in it, the set wins s / (s + m). Its robust value is the
//! minimum over single challengers; the best set of k distinct responses is found by
//! enumeration within a limit (docs/mathematics.md#fixed-sets).

use crate::model::Population;

/// Most (set, voter type, response) evaluations the best-set enumeration may take: about
/// 20 ms, so the worker can answer in one piece.
pub const ENUMERATION_LIMIT: u64 = 5_000_000;

/// A population's voter types as the fixed-set values need them: normalized weights and the
/// class of each response.
#[derive(Debug, Clone)]
pub struct Classes {
    n: usize,
    voters: Vec<(f64, Vec<usize>)>,
}

impl Classes {
    pub fn new(pop: &Population) -> Self {
        let total = pop.total_weight();
        Classes {
            n: pop.n(),
            voters: pop
                .voters()
                .iter()
                .map(|v| (v.weight / total, v.ranking.class_index()))
                .collect(),
        }
    }

    /// The set's win rate against the challenger multiset `challenger`.
    pub fn win(&self, set: &[usize], challenger: &[usize]) -> f64 {
        self.voters
            .iter()
            .map(|(w, idx)| {
                let best = set
                    .iter()
                    .chain(challenger)
                    .map(|&y| idx[y])
                    .min()
                    .unwrap_or(0);
                let s = set.iter().filter(|&&y| idx[y] == best).count() as f64;
                let m = challenger.iter().filter(|&&y| idx[y] == best).count() as f64;
                w * if s + m > 0.0 { s / (s + m) } else { 0.0 }
            })
            .sum()
    }

    /// The set's robust value (minimum over single challengers) and the worst challenger
    /// (the lowest index among ties).
    pub fn robust(&self, set: &[usize]) -> (f64, usize) {
        (0..self.n)
            .map(|y| (self.win(set, &[y]), y))
            .fold((f64::INFINITY, 0), |a, b| if b.0 < a.0 { b } else { a })
    }
}

/// The set's win rate against the challenger multiset `challenger`.
pub fn win(pop: &Population, set: &[usize], challenger: &[usize]) -> f64 {
    Classes::new(pop).win(set, challenger)
}

/// The set's robust value (minimum over single challengers) and the worst challenger.
pub fn robust(pop: &Population, set: &[usize]) -> (f64, usize) {
    Classes::new(pop).robust(set)
}

/// C(n, k), saturating.
fn choose(n: usize, k: usize) -> u64 {
    let k = k.min(n - k.min(n));
    (0..k).fold(1u64, |acc, i| {
        acc.saturating_mul((n - i) as u64) / (i as u64 + 1)
    })
}

/// Whether the best-set search fits the limit; Err says what it would take.
pub fn check_enumeration(n: usize, voter_types: usize, k: usize) -> Result<(), String> {
    if k == 0 || k > n {
        return Err(format!(
            "a set of k = {k} distinct responses needs k between 1 and n = {n}"
        ));
    }
    let work = choose(n, k)
        .saturating_mul(voter_types as u64)
        .saturating_mul(n as u64 * n as u64);
    if work > ENUMERATION_LIMIT {
        return Err(format!(
            "C({n}, {k}) sets against {voter_types} voter types is beyond the enumeration limit ({ENUMERATION_LIMIT} evaluations)"
        ));
    }
    Ok(())
}

/// The best set of k distinct responses (the first in lexicographic order among ties), its
/// robust value and worst challenger; Err beyond the enumeration limit.
pub fn best(pop: &Population, k: usize) -> Result<(Vec<usize>, f64, usize), String> {
    best_of(&Classes::new(pop), k)
}

/// [`best`] on classes already worked out.
pub fn best_of(classes: &Classes, k: usize) -> Result<(Vec<usize>, f64, usize), String> {
    let n = classes.n;
    check_enumeration(n, classes.voters.len(), k)?;
    let mut set: Vec<usize> = (0..k).collect();
    let mut best: Option<(Vec<usize>, f64, usize)> = None;
    loop {
        let (value, worst) = classes.robust(&set);
        if best.as_ref().is_none_or(|b| value > b.1) {
            best = Some((set.clone(), value, worst));
        }
        // Next k-subset in lexicographic order.
        let Some(i) = (0..k).rev().find(|&i| set[i] < n - k + i) else {
            break;
        };
        set[i] += 1;
        for j in i + 1..k {
            set[j] = set[j - 1] + 1;
        }
    }
    Ok(best.expect("one set at least"))
}
