//! A fixed set of k responses (a deterministic k-output model, not a policy sampled k times):
//! against a challenger multiset Y', per voter, with C* the best class S and Y' reach together
//! and s, m the copies of S and of Y' in it, the set wins s / (s + m). Its robust value is the
//! minimum over single challengers; the best set of k distinct responses is found by
//! enumeration within a limit on its work (docs/mathematics.md#fixed-sets).

use crate::model::Population;

/// Most steps the best-set enumeration may take, counted as `enumeration_work` counts them.
/// A step took 4 to 7 ns in a native release build on the standard machine (Breakfast, k = 4:
/// 1,089,270 steps in 4.3 ms; the 24-response worst case, k = 3: 1,311,552 in 9.2 ms), so
/// the limit is some 16-28 ms of work, which the worker can do in one piece.
pub const ENUMERATION_LIMIT: u64 = 4_000_000;

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
    ///
    /// Against one challenger y a voter's outcome depends only on the set's best class b and
    /// its copies s there: y above b wins it (0), y in b shares it (s / (s + 1)), y below
    /// loses (1). So each voter is read once for the set (k steps) and once per challenger (n
    /// steps): V (k + n) steps in all, with the same terms, in the same order, as `win`.
    pub fn robust(&self, set: &[usize]) -> (f64, usize) {
        let reached: Vec<(usize, f64)> = self
            .voters
            .iter()
            .map(|(_, idx)| {
                let best = set.iter().map(|&y| idx[y]).min().unwrap_or(usize::MAX);
                (best, set.iter().filter(|&&y| idx[y] == best).count() as f64)
            })
            .collect();
        (0..self.n)
            .map(|y| {
                let value = self
                    .voters
                    .iter()
                    .zip(&reached)
                    .map(|((w, idx), &(best, s))| {
                        w * match idx[y].cmp(&best) {
                            std::cmp::Ordering::Less => 0.0,
                            std::cmp::Ordering::Equal => s / (s + 1.0),
                            std::cmp::Ordering::Greater => 1.0,
                        }
                    })
                    .sum::<f64>();
                (value, y)
            })
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

/// The steps of the whole enumeration: C(n, k) sets, each costing V (k + n) (`robust`).
pub fn enumeration_work(n: usize, voter_types: usize, k: usize) -> u64 {
    choose(n, k)
        .saturating_mul(voter_types as u64)
        .saturating_mul((n + k) as u64)
}

/// Whether the best-set search fits the limit; Err says what it would take. Beyond it no
/// best set is claimed (no bound is offered in its place).
pub fn check_enumeration(n: usize, voter_types: usize, k: usize) -> Result<(), String> {
    if k == 0 || k > n {
        return Err(format!(
            "a set of k = {k} distinct responses needs k between 1 and n = {n}"
        ));
    }
    let work = enumeration_work(n, voter_types, k);
    if work > ENUMERATION_LIMIT {
        return Err(format!(
            "C({n}, {k}) = {} sets against {voter_types} voter types takes {work} steps, beyond the enumeration limit ({ENUMERATION_LIMIT})",
            choose(n, k)
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
