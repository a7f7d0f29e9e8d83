//! Properties of the alignment-game payoff: closed form against brute-force enumeration,
//! the symmetry identity, u_1 = P pi, accuracy up to k = 1024, and the l-output formula.

mod common;

use ualign::model::Population;
use ualign::payoff::{
    choice_payoff, robust_win_rate_vs_l, win_rate_vs_opponent, CompiledPopulation,
};
use ualign::rng::Rng;

/// A random policy; with `sparse`, some responses get exactly zero mass.
fn random_policy(rng: &mut Rng, n: usize, sparse: bool) -> Vec<f64> {
    let mut v: Vec<f64> = (0..n)
        .map(|_| {
            if sparse && rng.below(3) == 0 {
                0.0
            } else {
                rng.next_f64() + 1e-3
            }
        })
        .collect();
    if v.iter().all(|&x| x == 0.0) {
        v[0] = 1.0;
    }
    let s: f64 = v.iter().sum();
    v.iter_mut().for_each(|x| *x /= s);
    v
}

/// Probability that copy 0 (response `y`) is picked, for one voter, when the other copies are
/// `others`: the choice rule (docs/mathematics.md#the-choice-rule), applied literally.
fn pick_probability(class_of: &[usize], y: usize, others: &[usize]) -> f64 {
    let best = others
        .iter()
        .map(|&o| class_of[o])
        .chain([class_of[y]])
        .min()
        .unwrap();
    if class_of[y] != best {
        return 0.0;
    }
    let copies = 1 + others.iter().filter(|&&o| class_of[o] == best).count();
    1.0 / copies as f64
}

/// Calls `f(tuple, probability)` for every k-tuple of responses drawn i.i.d. from pi with
/// positive probability (all n^k tuples are visited).
fn for_each_tuple(pi: &[f64], k: usize, mut f: impl FnMut(&[usize], f64)) {
    let n = pi.len();
    let mut tuple = vec![0usize; k];
    loop {
        let prob: f64 = tuple.iter().map(|&o| pi[o]).product();
        if prob > 0.0 {
            f(&tuple, prob);
        }
        let Some(i) = (0..k).find(|&i| tuple[i] + 1 < n) else {
            break;
        };
        tuple[i] += 1;
        tuple[..i].iter_mut().for_each(|t| *t = 0);
    }
}

/// u_k(y; pi) by enumerating all n^k tuples of the other players' responses.
fn brute_force_payoff(pop: &Population, pi: &[f64], k: usize) -> Vec<f64> {
    let n = pop.n();
    let total = pop.total_weight();
    let mut u = vec![0.0; n];
    for_each_tuple(pi, k, |tuple, prob| {
        for v in pop.voters() {
            let class_of = v.ranking.class_index();
            for (y, uy) in u.iter_mut().enumerate() {
                *uy += v.weight / total * prob * pick_probability(&class_of, y, tuple);
            }
        }
    });
    u
}

#[test]
fn closed_form_equals_brute_force_enumeration() {
    let mut rng = Rng::new(11);
    for trial in 0..60 {
        let n = 2 + trial % 4;
        let types = 1 + rng.below(6);
        let pop = common::random_population(&mut rng, n, types, trial % 2 == 1, 1.0);
        let compiled = CompiledPopulation::new(&pop);
        for k in 1..=4 {
            let pi = random_policy(&mut rng, n, trial % 3 == 0);
            let fast = compiled.payoff_vec(&pi, k);
            let slow = brute_force_payoff(&pop, &pi, k);
            for y in 0..n {
                assert!(
                    (fast[y] - slow[y]).abs() <= 1e-13,
                    "trial {trial} k {k} y {y}: {} vs {}",
                    fast[y],
                    slow[y]
                );
            }
            // The straightforward per-voter evaluation agrees too.
            let mut per_voter = vec![0.0; n];
            CompiledPopulation::payoff_per_voter(&pop, &pi, k, &mut per_voter);
            for y in 0..n {
                assert!((fast[y] - per_voter[y]).abs() <= 1e-14);
            }
        }
    }
}

#[test]
fn payoffs_average_to_one_over_k_plus_one() {
    let mut rng = Rng::new(5);
    for trial in 0..40 {
        let n = 2 + rng.below(12);
        let types = 1 + rng.below(30);
        let pop = common::random_population(&mut rng, n, types, trial % 2 == 0, 1.0);
        let compiled = CompiledPopulation::new(&pop);
        for k in [1usize, 2, 3, 7, 16, 31, 32, 33, 100, 1024] {
            let pi = random_policy(&mut rng, n, trial % 3 == 0);
            let u = compiled.payoff_vec(&pi, k);
            let s: f64 = pi.iter().zip(&u).map(|(p, x)| p * x).sum();
            let target = 1.0 / (k + 1) as f64;
            assert!(
                (s - target).abs() <= 1e-12 * target.max(1e-3),
                "n {n} k {k}: {s} vs {target}"
            );
            assert!(
                u.iter()
                    .all(|x| x.is_finite() && *x >= 0.0 && *x <= 1.0 + 1e-12),
                "{u:?}"
            );
        }
    }
}

#[test]
fn one_opponent_payoff_is_the_pairwise_matrix_times_pi() {
    let mut rng = Rng::new(9);
    for trial in 0..40 {
        let n = 2 + rng.below(10);
        let types = 1 + rng.below(20);
        let pop = common::random_population(&mut rng, n, types, trial % 2 == 0, 1.0);
        let p = pop.pairwise();
        let compiled = CompiledPopulation::new(&pop);
        let pi = random_policy(&mut rng, n, trial % 2 == 0);
        let u = compiled.payoff_vec(&pi, 1);
        let ppi = p.times(&pi);
        for y in 0..n {
            assert!((u[y] - ppi[y]).abs() <= 1e-14, "{} vs {}", u[y], ppi[y]);
        }
    }
}

// ---- accuracy against double-double arithmetic ----

/// (hi, lo) with hi + lo the exact-ish value: error-free transformations via FMA.
#[derive(Clone, Copy)]
struct Dd(f64, f64);

fn two_sum(a: f64, b: f64) -> Dd {
    let s = a + b;
    let bb = s - a;
    Dd(s, (a - (s - bb)) + (b - bb))
}

fn dd_add(a: Dd, b: Dd) -> Dd {
    let s = two_sum(a.0, b.0);
    let lo = s.1 + a.1 + b.1;
    let hi = s.0 + lo;
    Dd(hi, lo - (hi - s.0))
}

fn dd_mul(a: Dd, b: Dd) -> Dd {
    let p = a.0 * b.0;
    let e = a.0.mul_add(b.0, -p) + (a.0 * b.1 + a.1 * b.0);
    let hi = p + e;
    Dd(hi, e - (hi - p))
}

/// (1/(k+1)) sum_j x^j z^(k-j) in double-double (x and z themselves exact doubles).
fn reference_payoff(x: f64, z: f64, k: usize) -> f64 {
    let (x, z) = (Dd(x, 0.0), Dd(z, 0.0));
    let mut s = Dd(1.0, 0.0);
    let mut zp = Dd(1.0, 0.0);
    for _ in 0..k {
        zp = dd_mul(zp, z);
        s = dd_add(dd_mul(x, s), zp);
    }
    (s.0 + s.1) / (k + 1) as f64
}

#[test]
fn payoff_is_accurate_to_1e12_relative_up_to_k_1024() {
    let mut rng = Rng::new(3);
    let mut cases: Vec<(f64, f64)> = vec![
        (1.0, 1.0 - 1e-15),           // b tiny, a = 0
        (1e-9, 1e-9 * (1.0 - 1e-13)), // a near 1, b tiny
        (1e-6, 0.0),                  // a near 1, nothing below
        (0.5, 0.5 * (1.0 - 1e-10)),
        (1.0, 0.0),
        (0.3, 0.3), // b = 0
    ];
    for _ in 0..300 {
        let x = rng.next_f64();
        let z = x * rng.next_f64().powi(rng.below(4) as i32 * 8);
        cases.push((x, x - z.min(x)));
        cases.push((x, z));
    }
    let mut worst = 0.0f64;
    for &(x, z) in &cases {
        for k in [1usize, 2, 4, 8, 31, 32, 33, 64, 100, 257, 512, 1024] {
            let want = reference_payoff(x, z, k);
            let got = choice_payoff(x, z, k);
            if want < 1e-290 {
                continue; // below the normal range the question is moot
            }
            let rel = ((got - want) / want).abs();
            worst = worst.max(rel);
            assert!(
                rel < 1e-12,
                "x {x:e} z {z:e} k {k}: {got:e} vs {want:e} (rel {rel:e})"
            );
        }
    }
    eprintln!("worst relative error {worst:e}");
}

// ---- the l-output opponent ----

/// Win rate of k copies from pi against the multiset `opponent`, by enumerating k-tuples.
fn brute_force_vs_opponent(pop: &Population, pi: &[f64], k: usize, opponent: &[usize]) -> f64 {
    let total = pop.total_weight();
    let mut win = 0.0;
    for_each_tuple(pi, k, |tuple, prob| {
        for v in pop.voters() {
            let class_of = v.ranking.class_index();
            let best = tuple
                .iter()
                .chain(opponent)
                .map(|&y| class_of[y])
                .min()
                .unwrap();
            let ours = tuple.iter().filter(|&&y| class_of[y] == best).count();
            let theirs = opponent.iter().filter(|&&y| class_of[y] == best).count();
            win += v.weight / total * prob * ours as f64 / (ours + theirs) as f64;
        }
    });
    win
}

#[test]
fn l_output_formula_equals_brute_force() {
    let mut rng = Rng::new(21);
    for trial in 0..40 {
        let n = 2 + trial % 3;
        let types = 1 + rng.below(5);
        let pop = common::random_population(&mut rng, n, types, trial % 2 == 0, 1.0);
        let compiled = CompiledPopulation::new(&pop);
        for k in 1..=4 {
            let pi = random_policy(&mut rng, n, trial % 4 == 0);
            for l in 1..=3 {
                let opponent: Vec<usize> = (0..l).map(|_| rng.below(n)).collect();
                let fast = win_rate_vs_opponent(&compiled, &pi, k, &opponent);
                let slow = brute_force_vs_opponent(&pop, &pi, k, &opponent);
                assert!((fast - slow).abs() <= 1e-12, "{fast} vs {slow}");
            }
            // With one opponent copy this is the best-of-k win rate 1 - u_k.
            let u = compiled.payoff_vec(&pi, k);
            for (y, uy) in u.iter().enumerate() {
                let w = win_rate_vs_opponent(&compiled, &pi, k, &[y]);
                assert!((w - (1.0 - uy)).abs() <= 1e-12);
            }
            let (worst, arg) = robust_win_rate_vs_l(&compiled, &pi, k, 2);
            assert_eq!(arg.len(), 2);
            for a in 0..n {
                for b in a..n {
                    assert!(worst <= win_rate_vs_opponent(&compiled, &pi, k, &[a, b]) + 1e-15);
                }
            }
        }
    }
}
