//! The researcher's bench: matrix games against their transposes, W_{k,l} and its gradient
//! against the library's own win rate and finite differences, and the best policy against
//! l-output opponents: k/(k+1) for l = 1 on every preset, inside [the (k+1)-player
//! equilibrium's value, k/(k+l)] for l = 2 and 3 with its value recomputed by enumeration, and
//! as good as a fine grid over the simplex for two and three responses.

mod common;

use common::{brute_force, strict_population};
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
                // The equilibrium's W_{k,l}, by enumeration.
                let eq_value = brute_force::worst_against(&pop, &eq, k, l).0;
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
                // The value is what the returned policy guarantees against every multiset,
                // recomputed by enumeration, and the opponent it names attains it.
                let (worst, _) = brute_force::worst_against(&pop, &best.policy, k, l);
                assert!(
                    (best.value - worst).abs() < 1e-12,
                    "{id} k={k} l={l}: reported {} but the policy's worst case is {worst}",
                    best.value
                );
                let named = brute_force::win_rates(
                    &pop,
                    &best.policy,
                    k,
                    std::slice::from_ref(&best.opponent),
                );
                assert!(
                    (named[0] - worst).abs() < 1e-12,
                    "{id}: {:?}",
                    best.opponent
                );
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

#[test]
fn the_sessions_opponent_rows_carry_the_k_plus_l_equilibrium_and_the_best_found() {
    use ualign::config::Config;
    use ualign::session::Session;
    let config = Config {
        preset: "majority-51-49".into(),
        k: 4,
        ..Config::default()
    };
    let session = Session::new(&config).unwrap();
    let rows = session.opponent_curve();
    assert_eq!(rows.iter().map(|r| r.l).collect::<Vec<_>>(), [1, 2, 3]);
    let prefs = ualign::presets::load("majority-51-49").unwrap();
    let (pop, _) = game_population(&prefs).unwrap();
    let compiled = CompiledPopulation::new(&pop);
    for r in &rows {
        let (guarantee, ceiling) = interval(4, r.l);
        let wider = solve(&compiled, 4 + r.l).policy;
        let by_enumeration = brute_force::worst_against(&pop, &wider, 4, r.l).0;
        assert!((r.k_plus_l - by_enumeration).abs() < 1e-12);
        let best = r.best.expect("within the limits");
        assert!(best >= r.game - 1e-12 && best >= guarantee - 1e-12);
        assert!(
            best <= ceiling + 1e-12,
            "l = {}: {best} over {ceiling}",
            r.l
        );
    }
    assert!(
        (rows[0].best.unwrap() - 0.8).abs() < 1e-12,
        "l = 1: exactly k/(k+1)"
    );
}

/// Which numbers of the opponent rows are exact: the three policies' minima over opponents
/// (every multiset enumerated, so each equals a brute-force minimum computed here), and the
/// best value only for l = 1, where the certified (k+1)-player equilibrium attains k/(k+1).
/// For l > 1 the best value is a local search's, a lower bound on V_{k,l}.
#[test]
fn opponent_rows_are_exact_where_enumerated_and_the_searched_best_is_a_bound() {
    use ualign::config::Config;
    use ualign::session::Session;
    for preset in ["majority-51-49", "condorcet-diverse-minority"] {
        let config = Config {
            preset: preset.into(),
            k: 3,
            ..Config::default()
        };
        let session = Session::new(&config).unwrap();
        let rows = session.opponent_curve();
        let prefs = ualign::presets::load(preset).unwrap();
        let (pop, _) = game_population(&prefs).unwrap();
        let compiled = CompiledPopulation::new(&pop);
        let n = pop.n();
        for r in &rows {
            // Every multiset of size l, listed here independently of the library.
            let mut all: Vec<Vec<usize>> = vec![vec![]];
            for _ in 0..r.l {
                all = all
                    .into_iter()
                    .flat_map(|m| {
                        let from = m.last().copied().unwrap_or(0);
                        (from..n).map(move |y| [m.clone(), vec![y]].concat())
                    })
                    .collect();
            }
            let brute = |pi: &[f64]| {
                all.iter()
                    .map(|y| win_rate_vs_opponent(&compiled, pi, 3, y))
                    .fold(f64::INFINITY, f64::min)
            };
            assert!(r.exact, "{preset} l = {}", r.l);
            assert!((r.game - brute(&session.equilibrium().policy)).abs() < 1e-12);
            assert!((r.nlhf - brute(session.maximal_lottery())).abs() < 1e-12);
            let wider = solve(&compiled, 3 + r.l);
            assert!((r.k_plus_l - brute(&wider.policy)).abs() < 1e-12);
            assert_eq!(r.best_exact, r.l == 1, "{preset} l = {}", r.l);
            if r.l == 1 {
                assert!(session.equilibrium().certified);
                assert!((r.best.unwrap() - 0.75).abs() < 1e-12);
            } else {
                assert!(r.best.is_some(), "within the search's limits");
            }
        }
        assert_eq!(rows.len(), 3);
    }
}

#[test]
fn the_phase_map_switches_on_diversity_exactly_at_the_condorcet_boundary() {
    use ualign::open_question::phase_map::{phase_csv, phase_map, pure_by_boundary, Family};
    let map = phase_map(Family::TwoResponses, None, 11, 16).unwrap();
    assert_eq!(map.cells.len(), 11 * 16);
    for cell in &map.cells {
        let facts = &map.facts[cell.column];
        // Two responses: the majority's response A wins head to head. At p = 1/2 nothing
        // does: every policy is NLHF's equilibrium, and from k = 2 on the game's is uniform.
        if cell.column == 0 {
            assert_eq!(facts.condorcet, None);
            assert!(cell.k == 1 || cell.support == 2, "k = {}", cell.k);
            continue;
        }
        assert_eq!(facts.condorcet, Some(0), "p = {}", cell.parameter);
        let b = facts.boundary_k.unwrap();
        if (cell.k as f64 - b).abs() < 1e-6 {
            continue;
        }
        let pure = pure_by_boundary(facts, cell.k).unwrap();
        assert_eq!(
            cell.support == 1,
            pure,
            "p = {} k = {}: support {} but boundary k = {b}",
            cell.parameter,
            cell.k,
            cell.support
        );
        assert!(cell.shortfall >= -1e-12 && cell.game >= cell.nlhf - 1e-9);
    }
    // docs/mathematics.md#the-phase-map: p = 0.9 is pure up to k = 9 and spreads from k = 10.
    let p90 = ualign::open_question::phase_map::Family::TwoResponses
        .population(None, 0.9)
        .unwrap();
    let c = CompiledPopulation::new(&p90);
    assert_eq!(
        solve(&c, 10).policy.iter().filter(|&&p| p > 1e-6).count(),
        1
    );
    assert_eq!(
        solve(&c, 11).policy.iter().filter(|&&p| p > 1e-6).count(),
        2
    );
    let csv = phase_csv(&map);
    assert_eq!(csv.lines().count(), 1 + 11 * 16);
    assert!(csv.starts_with(
        "family,parameter,k,support,shortfall,game,nlhf,condorcet_winner,boundary_k\n"
    ));
    // The weight family on a preset: voter type 2's share from 0 to 0.99.
    let prefs = ualign::presets::load("condorcet-diverse-minority").unwrap();
    let (pop, _) = game_population(&prefs).unwrap();
    let map = phase_map(Family::Weight { voter: 1 }, Some(&pop), 6, 6).unwrap();
    assert_eq!(map.cells.len(), 36);
    assert!(phase_map(Family::Weight { voter: 99 }, Some(&pop), 6, 6).is_err());
    assert_eq!(
        Family::from_id("weight:2"),
        Some(Family::Weight { voter: 1 })
    );
    assert_eq!(Family::from_id("weight:0"), None);
    assert_eq!(Family::TwoResponses.id(), "two-responses");
}

#[test]
fn a_gap_search_chain_is_reproducible_and_reports_its_profiles_value() {
    use ualign::open_question::gap_search::{profile_values, target_value, Chain, GapSpec, Target};
    let spec = GapSpec {
        n: 3,
        k: 2,
        l: 2,
        target: Target::Game,
        players: None,
    };
    spec.check().unwrap();
    let mut a = Chain::new(&spec, 5, 0);
    a.run(&spec, 60);
    let mut b = Chain::new(&spec, 5, 0);
    b.run(&spec, 60);
    assert_eq!(a.best, b.best, "same seed, same evaluations, same result");
    // The reported value is the profile's: the 3-player equilibrium's worst case against two
    // responses, recomputed by enumeration from the policy the report prints.
    let pop = a.best.1.population(spec.n);
    let values = profile_values(&spec, &pop, false, 0);
    let policy = &values.game_policy;
    assert_eq!(target_value(&spec, &a.best.1), a.best.0);
    let (worst, _) = brute_force::worst_against(&pop, policy, 2, 2);
    assert!(
        (a.best.0 - worst).abs() < 1e-12,
        "reported {} but the printed policy's worst case is {worst}",
        a.best.0
    );
    assert!((values.game - worst).abs() < 1e-12);
    // That policy is the 3-player game's equilibrium: no response earns more than 1/3 against
    // two copies of it (payoffs by enumeration).
    let u = brute_force::payoffs(&pop, policy, 2);
    let gain = u.iter().fold(f64::NEG_INFINITY, |m, &x| m.max(x)) - 1.0 / 3.0;
    assert!(gain.abs() < 1e-9, "exploitability {gain:e} of {policy:?}");
    // And it respects the paper's guarantee for the (k+1)-player equilibrium.
    assert!(a.best.0 >= interval(2, 2).0 - 1e-9);
    let other = Chain::new(&spec, 5, 1);
    assert_ne!(
        other.best.1,
        Chain::new(&spec, 5, 0).best.1,
        "chains differ"
    );
    assert!(GapSpec { n: 7, ..spec }.check().is_err());
}

#[test]
fn a_phase_map_cell_opens_as_a_configuration_with_its_profile_and_k() {
    use ualign::config::{Config, CustomPreferences, View};
    use ualign::open_question::phase_map::{cell_config, Family};
    let base = Config {
        view: View::Phase,
        ..Config::default()
    };
    let c = cell_config(&base, Family::TwoResponses, None, 20, 21, 7).unwrap();
    assert_eq!((c.k, c.view, c.players), (7, View::All, None));
    let Some(CustomPreferences::Population { voters, .. }) = c.custom.as_deref() else {
        panic!("a population")
    };
    assert!((voters[0].weight - 0.99).abs() < 1e-12);
    let prefs = ualign::presets::load("condorcet-diverse-minority").unwrap();
    let (pop, _) = game_population(&prefs).unwrap();
    let c = cell_config(&base, Family::Weight { voter: 0 }, Some(&pop), 0, 5, 2).unwrap();
    let p = c.preferences().unwrap();
    assert_eq!(p.n(), pop.n());
    assert!(cell_config(&base, Family::Weight { voter: 0 }, None, 0, 5, 2).is_err());
}

#[test]
fn a_case_document_opens_as_its_preferences_at_its_first_k() {
    let doc: ualign::case::CaseDocument = serde_json::from_str(
        r#"{"labels": ["a", "b"], "population": [{"weight": 2, "ranking": [0, 1]}], "k": [6, 7], "gap_search": {}}"#,
    )
    .unwrap();
    let c = doc.config().unwrap();
    assert_eq!(c.k, 6);
    assert_eq!(c.preferences().unwrap().labels(), ["a", "b"]);
    let linked: ualign::case::CaseDocument =
        serde_json::from_str(r#"{"preflib": "x.soc", "k": [1]}"#).unwrap();
    assert!(linked.config().is_err());
}

#[test]
fn on_a_five_response_profile_the_finishing_climb_reaches_the_face_maximum() {
    // The profile kept from a gap search, where the linear steps alone stalled at 0.416509
    // with small leftovers off the face {3, 4} and an independent branch and bound reached at
    // least 0.41671.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases/gap/five_responses_k2_l2.json");
    let (_, prefs) = ualign::case::read_case(&path).unwrap();
    let (pop, _) = game_population(&prefs).unwrap();
    let compiled = CompiledPopulation::new(&pop);
    let (k, l) = (2, 2);
    let given = [
        solve(&compiled, k + 1).policy,
        solve(&compiled, k + l).policy,
    ];
    let best = best_policy(&pop, k, l, &given, 1);
    assert!(best.value >= 0.41671, "found {}", best.value);
    // The value is the policy's, by the library's exhaustive minimum (not the evaluator).
    let (again, _) = ualign::payoff::robust_win_rate_vs_l(&compiled, &best.policy, k, l);
    assert!((again - best.value).abs() < 1e-12);
    // The policy lies on the edge between responses 3 and 4, and nothing on that edge does
    // better: a scan in steps of 1e-5, each point's minimum over the 15 multisets summed
    // directly.
    assert_eq!(best.policy.iter().filter(|&&p| p > 0.0).count(), 2);
    assert!(best.policy[2] > 0.5 && best.policy[3] > 0.48);
    let multisets: Vec<[usize; 2]> = (0..5).flat_map(|a| (a..5).map(move |b| [a, b])).collect();
    let mut edge_best = f64::NEG_INFINITY;
    for i in 49_000..=53_000 {
        let p = i as f64 * 1e-5;
        let pi = [0.0, 0.0, p, 1.0 - p, 0.0];
        let worst = multisets
            .iter()
            .map(|y| win_rate_vs_opponent(&compiled, &pi, k, y))
            .fold(f64::INFINITY, f64::min);
        edge_best = edge_best.max(worst);
    }
    assert!(
        best.value >= edge_best - 1e-9,
        "{} < {edge_best}",
        best.value
    );
    assert!(best.value - edge_best < 1e-6, "the scan is too coarse");
}
