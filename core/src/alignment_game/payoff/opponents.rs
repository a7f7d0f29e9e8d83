//! Opponents with l outputs: pi's win rate against a multiset, and the exact worst multiset.

use super::CompiledPopulation;

/// Table of ln(j!) for binomial weights in log space.
fn ln_factorials(k: usize) -> Vec<f64> {
    let mut t = vec![0.0; k + 1];
    for j in 1..=k {
        t[j] = t[j - 1] + (j as f64).ln();
    }
    t
}

/// Probability that the voter's pick among k copies from pi and the opponent's multiset is one
/// of the k copies, given: b = pi-mass of the opponent's best class C*, d = pi-mass below it,
/// m = opponent copies in C*. docs/mathematics.md#l-output-opponents:
/// 1 - (1-a)^k + sum_{c=1..k} C(k,c) b^c d^(k-c) c/(c+m), with 1 - a = b + d.
fn win_vs_opponent_voter(b: f64, d: f64, m: usize, k: usize, lnf: &[f64]) -> f64 {
    let x = b + d;
    let above = 1.0 - x.powi(k as i32);
    if b <= 0.0 {
        return above;
    }
    let mut s = 0.0;
    if d <= 0.0 {
        // Every sample lands in C*.
        s = x.powi(k as i32) * k as f64 / (k + m) as f64;
    } else {
        let (lb, ld) = (b.ln(), d.ln());
        for c in 1..=k {
            let ln_term = lnf[k] - lnf[c] - lnf[k - c] + c as f64 * lb + (k - c) as f64 * ld;
            s += ln_term.exp() * c as f64 / (c + m) as f64;
        }
    }
    above + s
}

/// Win rate of pi sampled k times against the opponent's multiset `opponent` (l responses).
pub fn win_rate_vs_opponent(
    pop: &CompiledPopulation,
    pi: &[f64],
    k: usize,
    opponent: &[usize],
) -> f64 {
    let population = pop.population();
    let total = population.total_weight();
    let lnf = ln_factorials(k);
    let mut win = 0.0;
    for v in population.voters() {
        let classes = v.ranking.classes();
        // Best class the opponent reaches, and how many of its copies sit there.
        let idx = v.ranking.class_index();
        let best = opponent
            .iter()
            .map(|&y| idx[y])
            .min()
            .unwrap_or(classes.len());
        let m = opponent.iter().filter(|&&y| idx[y] == best).count();
        let mass = |c: &Vec<usize>| c.iter().map(|&y| pi[y]).sum::<f64>();
        let b = classes.get(best).map_or(0.0, mass);
        let d: f64 = classes.iter().skip(best + 1).map(mass).sum();
        win += v.weight / total * win_vs_opponent_voter(b, d, m, k, &lnf);
    }
    win
}

/// The exact robust value W_{k,l}(pi) = min over opponent multisets of size l, with the
/// minimizing multiset. Enumerates C(n+l-1, l) multisets, so callers cap l and n; the worker
/// runs the same search in slices (`WorstOpponentSearch`).
pub fn robust_win_rate_vs_l(
    pop: &CompiledPopulation,
    pi: &[f64],
    k: usize,
    l: usize,
) -> (f64, Vec<usize>) {
    let mut search = WorstOpponentSearch::new(l);
    search.advance(pop, pi, k, &mut || true);
    search.into_result()
}

/// The exhaustive minimum over opponent multisets of size l, resumable: at k = 1024 one
/// evaluation costs about a millisecond and a whole search up to a second, longer than a
/// worker may go without reading its messages. Multisets are visited in the same order (non-
/// decreasing sequences, lexicographic) and compared the same way (strictly less) whether the
/// search runs in one call or in many, so the result is identical.
#[derive(Debug, Clone, PartialEq)]
pub struct WorstOpponentSearch {
    /// The next multiset to evaluate, as a non-decreasing sequence; None once all are done.
    next: Option<Vec<usize>>,
    /// The lowest win rate so far and the multiset that gives it.
    best: (f64, Vec<usize>),
}

impl WorstOpponentSearch {
    /// A search over the opponents with l outputs, starting at {0, ..., 0}.
    pub fn new(l: usize) -> Self {
        WorstOpponentSearch {
            next: Some(vec![0; l]),
            best: (f64::INFINITY, Vec::new()),
        }
    }

    /// Evaluates multisets while `more()` says so (asked before each one); true once every
    /// multiset has been evaluated. The same `pop`, `pi` and `k` must be passed every time.
    pub fn advance(
        &mut self,
        pop: &CompiledPopulation,
        pi: &[f64],
        k: usize,
        more: &mut dyn FnMut() -> bool,
    ) -> bool {
        let n = pop.n();
        while let Some(mut multiset) = self.next.take() {
            if !more() {
                self.next = Some(multiset);
                return false;
            }
            let w = win_rate_vs_opponent(pop, pi, k, &multiset);
            if w < self.best.0 {
                self.best = (w, multiset.clone());
            }
            // Next non-decreasing sequence.
            let l = multiset.len();
            if let Some(i) = (0..l).rev().find(|&i| multiset[i] + 1 < n) {
                let next = multiset[i] + 1;
                for slot in &mut multiset[i..] {
                    *slot = next;
                }
                self.next = Some(multiset);
            }
        }
        true
    }

    /// True once every multiset has been evaluated.
    pub fn finished(&self) -> bool {
        self.next.is_none()
    }

    /// W_{k,l}(pi) and the worst opponent (the minimum so far while unfinished).
    pub fn into_result(self) -> (f64, Vec<usize>) {
        self.best
    }

    /// The minimum so far (the result once finished).
    pub fn value(&self) -> f64 {
        self.best.0
    }
}
