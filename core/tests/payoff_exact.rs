//! u_k(y; pi) of whole populations and rounded policies against exact rational arithmetic.
//!
//! What is compared: the library's `payoff_vec` for f64 inputs (weights, and a policy whose
//! entries were rounded when it was normalized or solved), against the payoff of those very
//! f64 values taken as exact numbers. For each voter type and response y, x = the exact mass of
//! y's class and the classes below it, z = the exact mass of the classes below, and
//! u_k(y | v) = (x^(k+1) - z^(k+1)) / ((k+1)(x - z)) (x^k when x = z), which is
//! (1/(k+1)) sum_j x^j z^(k-j), the choice rule's payoff. These are weighted by w_v / sum w,
//! all in exact integer arithmetic (every f64 is an integer times a power of two), and rounded
//! once to f64 at the end. The library must agree to 1e-12 relative for k up to 1024 wherever
//! the payoff is a normal f64 above 1e-290.

mod common;

use std::collections::HashMap;

use num_bigint::BigUint;
use num_traits::{ToPrimitive, Zero};
use ualign::equilibrium::solve;
use ualign::model::{default_labels, Population, Ranking, Voter};
use ualign::payoff::CompiledPopulation;
use ualign::rng::Rng;

/// A finite f64 >= 0 as m * 2^e with m an integer.
fn dyadic(x: f64) -> (u64, i64) {
    assert!(x.is_finite() && x >= 0.0, "{x}");
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    if exp == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, exp - 1075)
    }
}

/// The values as integers over one common power of two: (integers, the power's exponent).
fn common_scale(values: &[f64]) -> (Vec<BigUint>, u64) {
    let parts: Vec<(u64, i64)> = values.iter().map(|&x| dyadic(x)).collect();
    let scale = parts
        .iter()
        .filter(|(m, _)| *m != 0)
        .map(|(_, e)| -e)
        .max()
        .unwrap_or(0)
        .max(0);
    let ints = parts
        .iter()
        .map(|&(m, e)| BigUint::from(m) << (e + scale) as u64)
        .collect();
    (ints, scale as u64)
}

/// n / d rounded to f64 (to within one unit in the last place; n / d normal or zero).
fn ratio_to_f64(n: &BigUint, d: &BigUint) -> f64 {
    if n.is_zero() {
        return 0.0;
    }
    let shift = d.bits() as i64 - n.bits() as i64 + 64;
    let q = if shift >= 0 {
        (n << shift as u64) / d
    } else {
        n / (d << (-shift) as u64)
    };
    let mut v = q.to_f64().unwrap();
    let mut s = shift;
    while s > 0 {
        let step = s.min(1000);
        v *= 2f64.powi(-step as i32);
        s -= step;
    }
    while s < 0 {
        let step = (-s).min(1000);
        v *= 2f64.powi(step as i32);
        s += step;
    }
    v
}

/// u_k(y; pi) for every y, exactly (then rounded once), for the f64 inputs taken as exact.
fn exact_payoffs(pop: &Population, pi: &[f64], k: usize) -> Vec<f64> {
    let n = pop.n();
    let (p, scale) = common_scale(pi);
    let weights: Vec<f64> = pop.voters().iter().map(|v| v.weight).collect();
    let (w, _) = common_scale(&weights);
    let total: BigUint = w.iter().sum();
    let mass = |set: &[usize]| -> BigUint { set.iter().map(|&y| &p[y]).sum() };
    // x^k of each set of responses, scaled by 2^(scale k): many voter types share them.
    let mut powers: HashMap<Vec<usize>, (BigUint, BigUint)> = HashMap::new();
    // Per y: the sum, over voter types, of w_v (x^(k+1) - z^(k+1)) / (x - z) kept as
    // numerators over each distinct denominator x - z (the common factor (k+1) 2^(scale k)
    // and the total weight come in at the end).
    let mut sums: Vec<HashMap<BigUint, BigUint>> = vec![HashMap::new(); n];
    for (v, wv) in pop.voters().iter().zip(&w) {
        let classes = v.ranking.classes();
        for (c, class) in classes.iter().enumerate() {
            let below: Vec<usize> = classes[c + 1..].iter().flatten().copied().collect();
            let mut with: Vec<usize> = class.iter().chain(&below).copied().collect();
            with.sort_unstable();
            let mut below_sorted = below.clone();
            below_sorted.sort_unstable();
            for set in [&with, &below_sorted] {
                powers.entry(set.clone()).or_insert_with(|| {
                    let m = mass(set);
                    let pk = m.pow(k as u32);
                    let pk1 = &pk * &m;
                    (pk, pk1)
                });
            }
            let (xk, xk1) = &powers[&with];
            let (_, zk1) = &powers[&below_sorted];
            let b = mass(class);
            let (num, den) = if b.is_zero() {
                (xk * BigUint::from(k + 1), BigUint::from(1u32))
            } else {
                (xk1 - zk1, b)
            };
            for &y in class {
                *sums[y].entry(den.clone()).or_default() += wv * &num;
            }
        }
    }
    let common = (total * BigUint::from(k + 1)) << (scale * k as u64);
    sums.iter()
        .map(|by_den| {
            // sum_i n_i / d_i = (sum_i n_i prod_{j != i} d_j) / prod_j d_j.
            let dens: Vec<&BigUint> = by_den.keys().collect();
            let prod: BigUint = dens.iter().fold(BigUint::from(1u32), |a, d| a * *d);
            let num: BigUint = by_den.iter().map(|(d, nm)| nm * (&prod / d)).sum();
            ratio_to_f64(&num, &(&common * &prod))
        })
        .collect()
}

/// A policy normalized in f64 (so its entries are rounded); with `tiny`, some entries are
/// 1e-6 to 1e-15 of the others, the regime where the closed form loses precision.
fn random_policy(rng: &mut Rng, n: usize, tiny: bool) -> Vec<f64> {
    let v: Vec<f64> = (0..n)
        .map(|_| {
            let x = rng.next_f64() + 1e-3;
            if tiny && rng.below(3) == 0 {
                x * 10f64.powi(-6 - rng.below(10) as i32)
            } else {
                x
            }
        })
        .collect();
    let s: f64 = v.iter().sum();
    v.iter().map(|x| x / s).collect()
}

const KS: [usize; 11] = [1, 2, 3, 16, 32, 33, 64, 100, 257, 512, 1024];

/// The worst relative error of the library's payoffs against the exact ones, over the y whose
/// exact payoff is at least 1e-290.
fn worst_relative_error(pop: &Population, pi: &[f64], k: usize, what: &str) -> f64 {
    let got = CompiledPopulation::new(pop).payoff_vec(pi, k);
    let want = exact_payoffs(pop, pi, k);
    let mut worst = 0.0f64;
    for (y, (g, w)) in got.iter().zip(&want).enumerate() {
        if *w < 1e-290 {
            assert!(*g < 1e-280, "{what} k {k} y {y}: {g:e} vs {w:e}");
            continue;
        }
        let rel = ((g - w) / w).abs();
        assert!(
            rel < 1e-12,
            "{what} k {k} y {y}: {g:e} vs exact {w:e} (relative error {rel:e})"
        );
        worst = worst.max(rel);
    }
    worst
}

fn close(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert!(((g - w) / w).abs() <= 2e-16, "{got:?} vs {want:?}");
    }
}

#[test]
fn the_exact_reference_agrees_with_small_cases_worked_by_hand() {
    // One voter a > b, pi = (1/4, 3/4), k = 2. A copy of a shares the pick with the c other
    // copies of a: u(a) = sum_c P(c)/(c+1) = 9/16 + (6/16)/2 + (1/16)/3 = 37/48. A copy of b
    // is picked only when no a is there, sharing with the other two copies of b:
    // u(b) = (3/4)^2 / 3 = 3/16.
    let pop = Population::new(
        default_labels(2),
        vec![Voter {
            weight: 1.0,
            ranking: Ranking::strict(&[0, 1], 2).unwrap(),
        }],
    )
    .unwrap();
    close(
        &exact_payoffs(&pop, &[0.25, 0.75], 2),
        &[37.0 / 48.0, 3.0 / 16.0],
    );
    // A zero-mass response is picked alone when it is the best present: u = x^k.
    close(&exact_payoffs(&pop, &[0.0, 1.0], 3), &[1.0, 0.25]);
    // A tie class {a, b} of mass 1: uniform among the k + 1 copies, 1/(k+1).
    let tie = Population::new(
        default_labels(2),
        vec![Voter {
            weight: 2.0,
            ranking: Ranking::weak(vec![vec![0, 1]], 2).unwrap(),
        }],
    )
    .unwrap();
    close(&exact_payoffs(&tie, &[0.5, 0.5], 4), &[0.2, 0.2]);
    // At k = 1024 with one response of mass 1e-300 at the top: 1 to within 1e-297 for it,
    // and for the other (x = 1, z = 0) exactly 1/1025.
    let tiny = [1e-300, 1.0];
    let u = exact_payoffs(&pop, &tiny, 1024);
    close(&u, &[1.0, 1.0 / 1025.0]);
}

#[test]
fn random_populations_and_rounded_policies_to_1e12_up_to_k_1024_and_64_responses() {
    let mut rng = Rng::new(29);
    let mut worst = 0.0f64;
    for trial in 0..24 {
        let n = 2 + trial % 9;
        let types = 1 + rng.below(12);
        let pop = common::random_population(&mut rng, n, types, trial % 2 == 1, 3.0);
        let pi = random_policy(&mut rng, n, trial % 3 != 0);
        for k in KS {
            worst = worst.max(worst_relative_error(
                &pop,
                &pi,
                k,
                &format!("trial {trial}"),
            ));
        }
    }
    // Up to the 64 responses the model takes: the masses are sums of more rounded entries.
    for trial in 0..6 {
        let n = [16, 32, 64][trial % 3];
        let pop = common::random_population(&mut rng, n, 8, trial >= 3, 3.0);
        let pi = random_policy(&mut rng, n, trial % 2 == 0);
        for k in [33, 512, 1024] {
            worst = worst.max(worst_relative_error(&pop, &pi, k, &format!("n {n}")));
        }
    }
    eprintln!("worst relative error against the exact payoff: {worst:e}");
}

#[test]
fn presets_at_their_equilibria_and_uniform_to_1e12_up_to_k_1024() {
    let mut worst = 0.0f64;
    for id in [
        "apa-1998",
        "tshirt",
        "dots",
        "netflix",
        "condorcet-diverse-minority",
    ] {
        let prefs = ualign::presets::load(id).unwrap();
        let (pop, _) = ualign::case::game_population(&prefs).unwrap();
        let pop = pop.merged();
        let c = CompiledPopulation::new(&pop);
        let n = pop.n();
        for k in [2, 33, 1024] {
            let eq = solve(&c, k + 1).policy;
            for (what, pi) in [("equilibrium", eq), ("uniform", vec![1.0 / n as f64; n])] {
                let e = worst_relative_error(&pop, &pi, k, &format!("{id} {what}"));
                worst = worst.max(e);
            }
        }
    }
    eprintln!("worst relative error against the exact payoff: {worst:e}");
}
