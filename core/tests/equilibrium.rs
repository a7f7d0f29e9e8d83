//! The equilibrium solver certifies itself: exploitability within its target (1e-13, recomputed
//! here) and the k/(k+1) guarantee, on every preset for small and very large k, and on random
//! populations; the certified flag says exactly that.

use ualign::equilibrium::{solve, TARGET_EXPLOITABILITY};
use ualign::model::{default_labels, Population, Ranking, Voter};
use ualign::payoff::{guarantee, CompiledPopulation};
use ualign::rng::Rng;

fn check(c: &CompiledPopulation, k: usize, what: &str) {
    let eq = solve(c, k + 1);
    assert!(
        (eq.policy.iter().sum::<f64>() - 1.0).abs() < 1e-12,
        "{what}"
    );
    assert!(eq.policy.iter().all(|&p| p >= 0.0), "{what}");
    // Recompute rather than trust the reported value.
    let eps = c.exploitability(&eq.policy, k);
    assert!(
        eps <= TARGET_EXPLOITABILITY,
        "{what} k = {k}: exploitability {eps:e}"
    );
    assert!((eps.max(0.0) - eq.exploitability).abs() < 1e-15);
    assert!(
        eq.certified,
        "{what} k = {k}: reached its target, so certified"
    );
    let w = c.robust_win_rate(&eq.policy, k);
    assert!(w >= guarantee(k) - 1e-9, "{what} k = {k}: W = {w}");
}

#[test]
fn every_preset_small_and_huge_k() {
    for preset in ualign::presets::presets() {
        let prefs = ualign::presets::load(preset.id).unwrap();
        let (pop, _) = ualign::case::game_population(&prefs).unwrap();
        let c = CompiledPopulation::new(&pop);
        for k in (1..=10).chain([16, 33, 128, 1024]) {
            check(&c, k, preset.id);
        }
    }
}

#[test]
fn random_populations() {
    let mut rng = Rng::new(17);
    for trial in 0..40 {
        let n = 2 + rng.below(14);
        let types = 1 + rng.below(40);
        let voters = (0..types)
            .map(|_| Voter {
                weight: 1.0 + rng.below(20) as f64,
                ranking: if trial % 3 == 0 {
                    // Weak orders: top-t then the rest tied.
                    let order = rng.permutation(n);
                    let t = 1 + rng.below(n);
                    let mut classes: Vec<Vec<usize>> =
                        order[..t].iter().map(|&y| vec![y]).collect();
                    if t < n {
                        classes.push(order[t..].to_vec());
                    }
                    Ranking::weak(classes, n).unwrap()
                } else {
                    Ranking::strict(&rng.permutation(n), n).unwrap()
                },
            })
            .collect();
        let pop = Population::new(default_labels(n), voters).unwrap();
        let c = CompiledPopulation::new(&pop);
        for k in [1, 2, 3, 5, 8, 20] {
            check(&c, k, &format!("trial {trial}"));
        }
    }
}

#[test]
fn m_player_game_with_m_chosen_freely() {
    // The equilibrium of an m-player game is an equilibrium of that game, whatever k it is
    // later evaluated at; here m != k + 1.
    let prefs = ualign::presets::load("condorcet-diverse-minority").unwrap();
    let (pop, _) = ualign::case::game_population(&prefs).unwrap();
    let c = CompiledPopulation::new(&pop);
    for m in [3, 6, 9] {
        let eq = solve(&c, m);
        assert!(c.exploitability(&eq.policy, m - 1) <= TARGET_EXPLOITABILITY);
        assert!(eq.certified);
    }
}
