//! A fixed set of k responses (a deterministic k-output model, not a policy sampled k times):
//! against a challenger multiset Y', per voter, with C* the best class S and Y' reach together
//! and s, m the copies of S and of Y' in it, the set wins s / (s + m). Its robust value is the
//! minimum over single challengers; the best set of k distinct responses is found by
//! enumeration within a limit (DESIGN.md section 8).

use crate::model::Population;

/// Most (set, voter type, response) evaluations the best-set enumeration may take.
pub const ENUMERATION_LIMIT: u64 = 50_000_000;

/// The set's win rate against the challenger multiset `challenger`.
pub fn win(pop: &Population, set: &[usize], challenger: &[usize]) -> f64 {
    let total = pop.total_weight();
    pop.voters()
        .iter()
        .map(|v| {
            let idx = v.ranking.class_index();
            let best = set
                .iter()
                .chain(challenger)
                .map(|&y| idx[y])
                .min()
                .unwrap_or(0);
            let s = set.iter().filter(|&&y| idx[y] == best).count() as f64;
            let m = challenger.iter().filter(|&&y| idx[y] == best).count() as f64;
            v.weight / total * if s + m > 0.0 { s / (s + m) } else { 0.0 }
        })
        .sum()
}

/// The set's robust value (minimum over single challengers) and the worst challenger (the
/// lowest index among ties).
pub fn robust(pop: &Population, set: &[usize]) -> (f64, usize) {
    (0..pop.n())
        .map(|y| (win(pop, set, &[y]), y))
        .fold((f64::INFINITY, 0), |a, b| if b.0 < a.0 { b } else { a })
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
    let n = pop.n();
    check_enumeration(n, pop.voters().len(), k)?;
    let mut set: Vec<usize> = (0..k).collect();
    let mut best: Option<(Vec<usize>, f64, usize)> = None;
    loop {
        let (value, worst) = robust(pop, &set);
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
