//! The session the worker drives: both runs side by side on real presets.

use ualign::config::{Algorithm, Config};
use ualign::session::Session;

fn run(config: &Config) -> Session {
    let mut s = Session::new(config).unwrap();
    while !s.done() {
        s.step();
    }
    s
}

#[test]
fn majority_51_49_collapses_for_nlhf_and_spreads_for_the_game() {
    let config = Config {
        preset: "majority-51-49".into(),
        k: 4,
        iterations: 400,
        ..Config::default()
    };
    let s = run(&config);
    let snap = s.snapshot();
    assert_eq!(snap.iteration, 400);
    assert!(snap.nlhf.policy[0] >= 0.999, "{:?}", snap.nlhf.policy);
    assert!(
        (snap.nlhf.robust_win_rate - 0.51).abs() <= 5e-4,
        "{}",
        snap.nlhf.robust_win_rate
    );
    assert!(
        (snap.game.robust_win_rate - 0.8).abs() <= 5e-4,
        "{}",
        snap.game.robust_win_rate
    );
    assert!(snap.game.exploitability < 1e-6);
    // The equilibrium (k = 4) from the reference case.
    assert!((snap.game.policy[0] - 0.513638823206).abs() < 1e-4);
    let text = s.describe();
    // The exact answers, named as such, then each run's current iterate.
    assert!(
        text.contains("Exact: NLHF's maximal lottery puts 1.000 on A"),
        "{text}"
    );
    assert!(text.contains("sampled 4 times it wins 0.5100"), "{text}");
    assert!(
        text.contains("5-player equilibrium spreads over 2 of 2 responses and wins 0.8000"),
        "{text}"
    );
    assert!(
        text.contains("NLHF self-play's current iterate (iteration 400, Hedge) has converged"),
        "{text}"
    );
    assert!(
        text.contains("The 5-player game's current iterate (iteration 400, Hedge) has converged"),
        "{text}"
    );
    // The snapshot carries the exact values beside the iterates'.
    assert!((snap.nlhf.exact_robust_win_rate - 0.51).abs() < 1e-12);
    assert!((snap.game.exact_robust_win_rate - 0.8).abs() < 1e-9);
}

/// LLMFAO under Hedge: NLHF's last iterate cycles, so the reading must not call it the
/// maximal lottery; it names the iterate, says it has not converged, and quotes the exact
/// answer (0.538 on Jurassic 2 Light). The header's exact W_k agrees with the sweep's.
#[test]
fn on_llmfao_under_hedge_the_reading_names_the_iterate_and_the_exact_lottery() {
    let config = Config {
        preset: "llmfao".into(),
        k: 4,
        iterations: 300,
        ..Config::default()
    };
    let s = run(&config);
    let text = s.describe();
    let ml = s.maximal_lottery();
    let top = (0..ml.len())
        .max_by(|&a, &b| ml[a].total_cmp(&ml[b]))
        .unwrap();
    assert_eq!(s.labels()[top], "Jurassic 2 Light", "{ml:?}");
    assert!((ml[top] - 0.538).abs() < 5e-4, "{}", ml[top]);
    assert!(
        text.contains("Exact: NLHF's maximal lottery puts 0.538 on Jurassic 2 Light"),
        "{text}"
    );
    let snap = s.snapshot();
    assert!(
        snap.nlhf.exploitability > 1e-4,
        "{}",
        snap.nlhf.exploitability
    );
    assert!(
        text.contains("NLHF self-play's current iterate (iteration 300, Hedge) has not converged"),
        "{text}"
    );
    assert!(text.contains("last iterate cycles"), "{text}");
    let row = s.sweep_point(4);
    assert!((snap.nlhf.exact_robust_win_rate - row.nlhf).abs() < 1e-12);
    assert!((snap.game.exact_robust_win_rate - row.game).abs() < 1e-9);
}

#[test]
fn sweep_and_opponents_on_the_default_preset() {
    let s = Session::new(&Config::default()).unwrap();
    for k in 1..=8 {
        let row = s.sweep_point(k);
        assert!(row.game_exploitability <= 1e-9);
        assert!(row.game >= row.bound - 1e-9, "{row:?}");
        assert!(row.nlhf <= row.game + 1e-9);
        assert!(row.best_of_k <= row.game + 1e-9);
        assert!(row.rlhf <= row.game + 1e-9);
    }
    let rows = s.opponent_curve();
    assert_eq!(rows.len(), 3);
    for r in rows {
        assert!(r.game >= r.bound - 1e-9, "{r:?}");
    }
}

#[test]
fn every_algorithm_runs_and_hedge_regret_is_sublinear() {
    for algorithm in Algorithm::ALL {
        let config = Config {
            preset: "condorcet-cycle".into(),
            k: 2,
            algorithm,
            iterations: 200,
            ..Config::default()
        };
        let s = run(&config);
        let snap = s.snapshot();
        for side in [&snap.nlhf, &snap.game] {
            assert!((side.policy.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            assert!(side.robust_win_rate.is_finite() && side.exploitability.is_finite());
        }
        // The time-mixture guarantee: average regret is small after 200 steps.
        assert!(
            snap.game.regret / 200.0 < 0.05,
            "{algorithm:?}: {}",
            snap.game.regret
        );
    }
}

#[test]
fn bad_configurations_are_refused_with_the_limit_named() {
    for (config, word) in [
        (
            Config {
                k: 0,
                ..Config::default()
            },
            "limit on k",
        ),
        (
            Config {
                k: 5000,
                ..Config::default()
            },
            "limit on k",
        ),
        (
            Config {
                players: Some(1),
                ..Config::default()
            },
            "limit on players",
        ),
        (
            Config {
                iterations: 0,
                ..Config::default()
            },
            "limit on iterations",
        ),
        (
            Config {
                step_size: Some(f64::NAN),
                ..Config::default()
            },
            "step size",
        ),
        (
            Config {
                preset: "nope".into(),
                ..Config::default()
            },
            "nope",
        ),
    ] {
        let e = Session::new(&config).err().expect("refused").to_string();
        assert!(e.contains(word), "{e}");
    }
}

#[test]
fn a_matrix_decides_k_1_itself_while_larger_k_use_the_fitted_population() {
    // LLMFAO is a win-fraction matrix no population reproduces exactly; NLHF's guarantee of
    // 1/2 at k = 1 must still hold for the matrix as given.
    let config = Config {
        preset: "llmfao".into(),
        k: 1,
        ..Config::default()
    };
    let s = Session::new(&config).unwrap();
    assert!(s.fit_residual().unwrap() > 1e-3);
    let row = s.sweep_point(1);
    assert!((row.nlhf - 0.5).abs() < 1e-12, "{row:?}");
    assert!((row.game - 0.5).abs() < 1e-12, "{row:?}");
    let row = s.sweep_point(3);
    assert!(row.game >= 0.75 - 1e-9 && row.nlhf < row.game, "{row:?}");
}

/// Configurations that differ only in what is displayed (figures shown, text size, embed mode)
/// compute the same, so the page keeps the session; any other difference does not.
#[test]
fn display_settings_are_not_part_of_the_computation() {
    use ualign::config::View;
    let base = Config::default();
    let shown = Config {
        view: View::Sweep,
        font_scale: 2.0,
        embed: true,
        phase: ualign::open_question::phase_map::Family::Weight { voter: 1 },
        ..base.clone()
    };
    assert!(base.same_computation(&shown) && shown.same_computation(&base));
    for other in [
        Config {
            k: 5,
            ..shown.clone()
        },
        Config {
            seed: 2,
            ..shown.clone()
        },
        Config {
            iterations: 301,
            ..shown.clone()
        },
        Config {
            preset: "tshirt".into(),
            ..shown.clone()
        },
    ] {
        assert!(!base.same_computation(&other), "{other:?}");
    }
}
