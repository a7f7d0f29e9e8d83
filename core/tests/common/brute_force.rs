//! Win rates and payoffs by enumeration, from the choice rule alone.
//!
//! A voter looks at all submitted copies and picks uniformly among the copies in the best class
//! of their ranking that any copy reaches. Here every ordered k-tuple sampled from pi and every
//! multiset an opponent can show are visited, and that pick is made for each voter type. No
//! code is shared with the library's payoff kernels, so tests check the library against it.
#![allow(dead_code)]

use ualign::model::Population;

/// A voter type's class of each response (0 = the best class), read from its ranking.
fn classes_of(pop: &Population) -> Vec<(f64, Vec<usize>)> {
    let total: f64 = pop.voters().iter().map(|v| v.weight).sum();
    pop.voters()
        .iter()
        .map(|v| {
            let mut class = vec![usize::MAX; pop.n()];
            for (c, members) in v.ranking.classes().iter().enumerate() {
                for &y in members {
                    class[y] = c;
                }
            }
            assert!(class.iter().all(|&c| c != usize::MAX), "a complete ranking");
            (v.weight / total, class)
        })
        .collect()
}

/// Every multiset of `l` responses out of `n`, as non-decreasing sequences.
pub fn multisets(n: usize, l: usize) -> Vec<Vec<usize>> {
    fn extend(n: usize, l: usize, from: usize, prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if prefix.len() == l {
            out.push(prefix.clone());
            return;
        }
        for y in from..n {
            prefix.push(y);
            extend(n, l, y, prefix, out);
            prefix.pop();
        }
    }
    let mut out = Vec::new();
    extend(n, l, 0, &mut Vec::new(), &mut out);
    out
}

/// Calls `f(tuple, probability)` for each of the n^k ordered k-tuples drawn i.i.d. from pi.
fn for_each_tuple(pi: &[f64], k: usize, mut f: impl FnMut(&[usize], f64)) {
    let n = pi.len();
    let mut tuple = vec![0usize; k];
    loop {
        let prob: f64 = tuple.iter().map(|&y| pi[y]).product();
        if prob > 0.0 {
            f(&tuple, prob);
        }
        let Some(i) = (0..k).find(|&i| tuple[i] + 1 < n) else {
            return;
        };
        tuple[i] += 1;
        tuple[..i].iter_mut().for_each(|t| *t = 0);
    }
}

/// The best class among `copies` and how many of them are in it.
fn best_and_count(class: &[usize], copies: &[usize]) -> (usize, usize) {
    let best = copies.iter().map(|&y| class[y]).min().unwrap_or(usize::MAX);
    (best, copies.iter().filter(|&&y| class[y] == best).count())
}

/// W_{k,l}(pi, Y') for each multiset Y' in `opponents`: the probability that the voter's pick,
/// uniform among the copies of the best class any of the k + l copies reaches, is one of the
/// k sampled from pi.
pub fn win_rates(pop: &Population, pi: &[f64], k: usize, opponents: &[Vec<usize>]) -> Vec<f64> {
    let voters = classes_of(pop);
    // The opponent's side of each (voter, multiset), computed once.
    let theirs: Vec<Vec<(usize, usize)>> = voters
        .iter()
        .map(|(_, class)| opponents.iter().map(|y| best_and_count(class, y)).collect())
        .collect();
    let mut win = vec![0.0; opponents.len()];
    for_each_tuple(pi, k, |tuple, prob| {
        for ((w, class), theirs) in voters.iter().zip(&theirs) {
            let (ours_best, ours) = best_and_count(class, tuple);
            for (x, &(their_best, their)) in win.iter_mut().zip(theirs) {
                let best = ours_best.min(their_best);
                let ours = if ours_best == best { ours } else { 0 };
                let their = if their_best == best { their } else { 0 };
                *x += w * prob * ours as f64 / (ours + their) as f64;
            }
        }
    });
    win
}

/// W_{k,l}(pi) = min over every multiset of l responses, with a multiset attaining it.
pub fn worst_against(pop: &Population, pi: &[f64], k: usize, l: usize) -> (f64, Vec<usize>) {
    let opponents = multisets(pop.n(), l);
    let win = win_rates(pop, pi, k, &opponents);
    let (j, w) = win
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .expect("a multiset");
    (*w, opponents[j].clone())
}

/// u_k(y; pi) for every y: the probability that a copy of y is picked when k other copies are
/// drawn from pi (the choice rule among k + 1 copies).
pub fn payoffs(pop: &Population, pi: &[f64], k: usize) -> Vec<f64> {
    let voters = classes_of(pop);
    let mut u = vec![0.0; pop.n()];
    for_each_tuple(pi, k, |tuple, prob| {
        for (w, class) in &voters {
            let (best, count) = best_and_count(class, tuple);
            for (y, uy) in u.iter_mut().enumerate() {
                if class[y] < best {
                    *uy += w * prob;
                } else if class[y] == best {
                    *uy += w * prob / (count + 1) as f64;
                }
            }
        }
    });
    u
}
