//! Degenerate inputs give correct values or a clear message, and never NaN or infinity.

use ualign::config::Config;
use ualign::model::{default_labels, PairwiseMatrix, Population, Preferences, Ranking, Voter};
use ualign::session::Session;

mod common;

fn finite_everywhere(s: &mut Session, what: &str) {
    for _ in 0..50 {
        let r = s.step();
        for x in [
            r.nlhf_win_rate,
            r.game_win_rate,
            r.nlhf_exploitability,
            r.game_exploitability,
        ] {
            assert!(x.is_finite(), "{what}: {r:?}");
        }
    }
    let snap = s.snapshot();
    for side in [&snap.nlhf, &snap.game] {
        for x in side.policy.iter().chain(&side.average) {
            assert!(x.is_finite() && *x >= 0.0, "{what}: {side:?}");
        }
        assert!(side.exploitability.is_finite() && side.robust_win_rate.is_finite());
        assert!(side.regret.is_finite());
    }
    for k in [1, 2, 7] {
        let row = s.sweep_point(k);
        for x in [
            row.nlhf,
            row.game,
            row.rlhf,
            row.best_of_k,
            row.bound,
            row.game_exploitability,
        ] {
            assert!(x.is_finite(), "{what}: {row:?}");
        }
    }
    for row in s.opponent_curve() {
        assert!(
            row.game.is_finite() && row.nlhf.is_finite(),
            "{what}: {row:?}"
        );
    }
    assert!(!s.describe().contains("NaN"), "{what}");
}

fn population(n: usize, voters: &[(f64, Vec<usize>)]) -> Preferences {
    Preferences::Population(common::strict_population(voters, n))
}

#[test]
fn one_response() {
    let prefs = population(1, &[(1.0, vec![0])]);
    let mut s = Session::with_preferences(&Config::default(), &prefs).unwrap();
    finite_everywhere(&mut s, "one response");
    let snap = s.snapshot();
    assert_eq!(snap.game.policy, vec![1.0]);
    // Against a copy of itself the single response wins 4 of 5 copies' share.
    assert!((snap.game.robust_win_rate - 0.8).abs() < 1e-12);
}

#[test]
fn identical_rankings_make_the_top_response_the_answer() {
    let prefs = population(3, &[(2.0, vec![1, 0, 2]), (5.0, vec![1, 0, 2])]);
    let mut s = Session::with_preferences(&Config::default(), &prefs).unwrap();
    finite_everywhere(&mut s, "identical");
    let eq = s.equilibrium();
    assert!((eq.policy[1] - 1.0).abs() < 1e-12, "{:?}", eq.policy);
    // Unanimity: sampling the top response k times ties with it: k/(k+1).
    assert!((s.sweep_point(4).game - 0.8).abs() < 1e-12);
}

#[test]
fn all_zero_weights_are_refused_with_a_message() {
    let e = Population::new(
        default_labels(2),
        vec![Voter {
            weight: 0.0,
            ranking: Ranking::strict(&[0, 1], 2).unwrap(),
        }],
    )
    .unwrap_err();
    assert!(e.to_string().contains("add up to zero"), "{e}");
    let e = Population::new(
        default_labels(2),
        vec![Voter {
            weight: f64::NAN,
            ranking: Ranking::strict(&[0, 1], 2).unwrap(),
        }],
    )
    .unwrap_err();
    assert!(e.to_string().contains("weight"), "{e}");
}

#[test]
fn matrix_with_zero_and_one_entries() {
    // A unanimous order: 0 beats 1 beats 2 with certainty.
    let m = PairwiseMatrix::new(
        default_labels(3),
        vec![
            vec![0.5, 1.0, 1.0],
            vec![0.0, 0.5, 1.0],
            vec![0.0, 0.0, 0.5],
        ],
    )
    .unwrap();
    let mut s = Session::with_preferences(&Config::default(), &Preferences::Matrix(m)).unwrap();
    finite_everywhere(&mut s, "0/1 matrix");
    assert!(s.fit_residual().unwrap() < 1e-9);
    assert!((s.maximal_lottery()[0] - 1.0).abs() < 1e-12);
}

#[test]
fn k_1024() {
    for preset in ["majority-51-49", "apa-1998", "worst-case"] {
        let config = Config {
            preset: preset.into(),
            k: 1024,
            iterations: 30,
            ..Config::default()
        };
        let mut s = Session::new(&config).unwrap();
        finite_everywhere(&mut s, preset);
        assert!(s.equilibrium().exploitability <= 1e-9, "{preset}");
        // The equilibrium reaches k/(k+1) = 1024/1025 to within its exploitability; the
        // iterate's W_k is k/(k+1) minus its own exploitability.
        let target = 1024.0 / 1025.0;
        let w = s.snapshot();
        assert!(
            (w.game.exact_robust_win_rate - target).abs() <= 1e-9,
            "{preset}: {}",
            w.game.exact_robust_win_rate
        );
        let identity = w.game.robust_win_rate + w.game.exploitability;
        assert!((identity - target).abs() <= 1e-12, "{preset}: {identity}");
        if preset == "majority-51-49" {
            // NLHF's answer is the Condorcet winner: W_k is its margin 0.51 however large k is.
            assert!((w.nlhf.exact_robust_win_rate - 0.51).abs() <= 1e-12);
        }
    }
}
