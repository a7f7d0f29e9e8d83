//! The researcher's bench: matrix games against their transposes, W_{k,l} and its gradient
//! against the library's own win rate and finite differences, and the best policy against
//! l-output opponents: k/(k+1) for l = 1 on every preset, inside [the (k+1)-player
//! equilibrium's value, k/(k+l)] for l = 2 and 3, and as good as a fine grid over the simplex
//! for two and three responses.

mod common;

use common::strict_population;
use ualign::alignment_game::matrix_game;
use ualign::case::game_population;
use ualign::equilibrium::solve;
use ualign::open_question::best_policy::{best_policy, check_limits, interval, Evaluator};
use ualign::payoff::{win_rate_vs_opponent, CompiledPopulation};
use ualign::rng::Rng;
use ualign::{Policy, Population};

fn random_matrix(rng: &mut Rng, r: usize, c: usize) -> Vec<Vec<f64>> {
    (0..r)
        .map(|_| (0..c).map(|_| rng.next_f64() * 2.0 - 1.0).collect())
        .collect()
}

#[test]
fn matrix_games_have_one_value_from_either_side() {
    // Rock, paper, scissors: value 0, uniform.
    let rps = vec![
        vec![0.0, -1.0, 1.0],
        vec![1.0, 0.0, -1.0],
        vec![-1.0, 1.0, 0.0],
    ];
    let (x, v) = matrix_game::solve(&rps);
    assert!(v.abs() < 1e-12, "{v}");
    for p in x {
        assert!((p - 1.0 / 3.0).abs() < 1e-12);
    }
    // A dominated row gets nothing; a saddle point is found.
    let (x, v) = matrix_game::solve(&[vec![3.0, 1.0], vec![2.0, 0.5]]);
    assert_eq!(x, [1.0, 0.0]);
    assert!((v - 1.0).abs() < 1e-12);
    let mut rng = Rng::new(11);
    for trial in 0..200 {
        let (r, c) = (1 + trial % 7, 1 + (trial * 5) % 40);
        let m = random_matrix(&mut rng, r, c);
        let (x, v) = matrix_game::solve(&m);
        assert!((x.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(x.iter().all(|&p| p >= 0.0));
        // The column player's game: -M transposed has value -v.
        let t: Vec<Vec<f64>> = (0..c).map(|j| (0..r).map(|i| -m[i][j]).collect()).collect();
        let (_, w) = matrix_game::solve(&t);
        assert!((v + w).abs() < 1e-9, "trial {trial}: {v} vs {}", -w);
    }
}

fn random_population(rng: &mut Rng, n: usize, voters: usize) -> Population {
    let v: Vec<(f64, Vec<usize>)> = (0..voters)
        .map(|_| (0.1 + rng.next_f64(), rng.permutation(n)))
        .collect();
    strict_population(&v, n)
}

fn random_policy(rng: &mut Rng, n: usize) -> Policy {
    let e: Vec<f64> = (0..n).map(|_| rng.next_f64() + 0.01).collect();
    let s: f64 = e.iter().sum();
    e.iter().map(|x| x / s).collect()
}

#[test]
fn win_rates_and_their_gradients_are_the_librarys_and_the_slopes() {
    let mut rng = Rng::new(3);
    for trial in 0..40 {
        let n = 2 + trial % 5;
        let pop = random_population(&mut rng, n, 1 + trial % 9);
        let compiled = CompiledPopulation::new(&pop);
        for (k, l) in [(1, 1), (2, 2), (4, 3), (7, 2)] {
            let eval = Evaluator::new(&pop, k, l);
            let pi = random_policy(&mut rng, n);
            for (j, y) in eval.multisets().iter().enumerate() {
                let mut g = vec![0.0; n];
                let w = eval.win(&pi, j, Some(&mut g));
                let expected = win_rate_vs_opponent(&compiled, &pi, k, y);
                assert!((w - expected).abs() < 1e-12, "{w} vs {expected}");
                // Along a direction inside the simplex, the slope is g . direction.
                let dir: Vec<f64> = (0..n)
                    .map(|i| if i == 0 { 1.0 } else { -1.0 / (n - 1) as f64 })
                    .collect();
                let h = 1e-6;
                let at = |t: f64| {
                    let p: Vec<f64> = pi.iter().zip(&dir).map(|(p, d)| p + t * d).collect();
                    eval.win(&p, j, None)
                };
                let slope = (at(h) - at(-h)) / (2.0 * h);
                let predicted: f64 = g.iter().zip(&dir).map(|(a, b)| a * b).sum();
                assert!(
                    (slope - predicted).abs() < 1e-6,
                    "slope {slope} vs {predicted}"
                );
            }
        }
    }
}

/// The presets within the search's limits.
fn small_presets() -> Vec<(&'static str, Population)> {
    ualign::presets::presets()
        .iter()
        .filter_map(|p| {
            let prefs = ualign::presets::load(p.id).ok()?;
            let (pop, _) = game_population(&prefs).ok()?;
            let pop = pop.merged();
            check_limits(pop.n(), pop.voters().len(), 4, 3).ok()?;
            Some((p.id, pop))
        })
        .collect()
}

#[test]
fn against_one_response_the_best_is_k_over_k_plus_1_on_every_preset() {
    let presets = small_presets();
    assert!(
        presets.len() >= 6,
        "{} presets within the limits",
        presets.len()
    );
    for (id, pop) in &presets {
        let compiled = CompiledPopulation::new(pop);
        for k in [1, 2, 4] {
            let eq = solve(&compiled, k + 1).policy;
            let best = best_policy(pop, k, 1, &[eq], 1);
            let target = k as f64 / (k + 1) as f64;
            assert!(
                (best.value - target).abs() < 1e-9,
                "{id} k = {k}: {} vs {target}",
                best.value
            );
        }
    }
}

#[test]
fn against_l_responses_the_best_lies_between_the_equilibrium_and_k_over_k_plus_l() {
    for (id, pop) in small_presets() {
        let compiled = CompiledPopulation::new(&pop);
        for k in [2, 4] {
            for l in [2, 3] {
                let eq = solve(&compiled, k + 1).policy;
                let eq_l = solve(&compiled, k + l).policy;
                let eval = Evaluator::new(&pop, k, l);
                let eq_value = eval.worst(&eq).0;
                let best = best_policy(&pop, k, l, &[eq, eq_l], 1);
                let (guarantee, ceiling) = interval(k, l);
                assert!(eq_value >= guarantee - 1e-9, "{id}: the paper's guarantee");
                assert!(
                    best.value >= eq_value - 1e-12,
                    "{id} k={k} l={l}: below the equilibrium"
                );
                assert!(
                    best.value <= ceiling + 1e-9,
                    "{id} k={k} l={l}: {} over k/(k+l)",
                    best.value
                );
                // The value is what the returned policy guarantees.
                assert_eq!(best.value, eval.worst(&best.policy).0);
                assert!((best.policy.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            }
        }
    }
}

/// The best of a grid over the simplex of two or three responses with spacing h, refined
/// around its best point with spacing h/20.
fn grid_best(eval: &Evaluator, n: usize, h: f64) -> f64 {
    let steps = (1.0 / h).round() as usize;
    let mut best = (f64::NEG_INFINITY, vec![0.0; n]);
    let consider = |best: &mut (f64, Vec<f64>), p: Vec<f64>| {
        let v = eval.worst(&p).0;
        if v > best.0 {
            *best = (v, p);
        }
    };
    match n {
        2 => (0..=steps).for_each(|i| consider(&mut best, vec![i as f64 * h, 1.0 - i as f64 * h])),
        _ => {
            for i in 0..=steps {
                for j in 0..=steps - i {
                    let (a, b) = (i as f64 * h, j as f64 * h);
                    consider(&mut best, vec![a, b, (1.0 - a - b).max(0.0)]);
                }
            }
        }
    }
    let centre = best.1.clone();
    let fine = h / 20.0;
    for di in -20i32..=20 {
        for dj in -20i32..=20 {
            let a = centre[0] + di as f64 * fine;
            let b = if n == 2 {
                1.0 - a
            } else {
                centre[1] + dj as f64 * fine
            };
            let c = if n == 2 { 0.0 } else { 1.0 - a - b };
            if a < 0.0 || b < 0.0 || c < -1e-15 || (n == 2 && dj != 0) {
                continue;
            }
            consider(
                &mut best,
                if n == 2 {
                    vec![a, b]
                } else {
                    vec![a, b, c.max(0.0)]
                },
            );
        }
    }
    best.0
}

#[test]
fn for_two_and_three_responses_the_search_matches_a_fine_grid() {
    let mut rng = Rng::new(7);
    for trial in 0..24 {
        let n = 2 + trial % 2;
        let pop = random_population(&mut rng, n, 2 + trial % 4);
        let compiled = CompiledPopulation::new(&pop);
        let (k, l) = [(2, 2), (3, 2), (4, 3), (2, 3)][trial % 4];
        let eval = Evaluator::new(&pop, k, l);
        let eq = solve(&compiled, k + 1).policy;
        let best = best_policy(&pop, k, l, &[eq], trial as u64);
        let h = if n == 2 { 1.0 / 2000.0 } else { 1.0 / 150.0 };
        let grid = grid_best(&eval, n, h);
        assert!(
            best.value >= grid - 1e-9,
            "trial {trial} (n = {n}, k = {k}, l = {l}): search {} below the grid {grid}",
            best.value
        );
        assert!(
            best.value - grid < 2e-4,
            "trial {trial}: search {} far above the grid {grid} (the grid is too coarse?)",
            best.value
        );
    }
}
