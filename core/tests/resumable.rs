//! The resumable solvers the worker slices its work with give the one-call results bit for
//! bit: the equilibrium search, the payoff Jacobian, the session build and a sweep point, on
//! every preset for several k up to 1024 and on random populations, cut into pieces in
//! different rhythms.

use ualign::config::Config;
use ualign::equilibrium::{solve, Equilibrium, EquilibriumSearch};
use ualign::payoff::{CompiledPopulation, CompiledPopulationBuilder, Measures};
use ualign::presets::impartial_culture;
use ualign::session::{Session, SessionBuilder};

/// An `out_of_time` that says "stop" on every `period`-th question (never two in a row for
/// period >= 2, so each call makes progress).
fn every(period: usize) -> impl FnMut() -> bool {
    let mut asked = 0;
    move || {
        asked += 1;
        asked % period == 0
    }
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn assert_same(a: &Equilibrium, b: &Equilibrium, what: &str) {
    assert_eq!(bits(&a.policy), bits(&b.policy), "{what}");
    assert_eq!(
        a.exploitability.to_bits(),
        b.exploitability.to_bits(),
        "{what}"
    );
    assert_eq!(
        (a.hedge_iterations, a.newton_steps),
        (b.hedge_iterations, b.newton_steps),
        "{what}"
    );
}

/// Runs a search to the end in slices; returns the equilibrium and the number of slices.
fn sliced(
    mut search: EquilibriumSearch,
    pop: &CompiledPopulation,
    period: usize,
) -> (Equilibrium, usize) {
    let mut out_of_time = every(period);
    for slices in 1.. {
        if let Some(eq) = search.advance(pop, &mut out_of_time) {
            return (eq, slices);
        }
    }
    unreachable!()
}

fn measures(preset: &str) -> Measures {
    let prefs = ualign::presets::load(preset).unwrap();
    ualign::case::measures(&prefs).unwrap().0
}

#[test]
fn the_equilibrium_search_in_slices_is_the_one_call_solve_on_every_preset() {
    for preset in ualign::presets::presets() {
        let m = measures(preset.id);
        for (k, period) in [(1, 2), (2, 3), (3, 2), (8, 5), (128, 2), (1024, 3)] {
            let what = format!("{} k = {k}", preset.id);
            let one_call = m.equilibrium(k + 1);
            let (eq, slices) = sliced(m.equilibrium_search(k + 1), &m.population, period);
            assert_same(&eq, &one_call, &what);
            if k > 1 {
                // A Hedge step at least per slice, and a few pieces per Newton step.
                assert!(
                    slices > one_call.hedge_iterations / period,
                    "{what}: {slices}"
                );
            }
        }
    }
}

#[test]
fn the_equilibrium_search_in_slices_is_the_one_call_solve_on_random_populations() {
    for seed in 0..24u64 {
        let n = 2 + (seed as usize * 5) % 15;
        let pop = impartial_culture(n, 3 + 11 * seed as usize, seed);
        let c = CompiledPopulation::new(&pop);
        for k in [1, 2, 5, 60, 1024] {
            let one_call = solve(&c, k + 1);
            for period in [2, 7] {
                let (eq, _) = sliced(EquilibriumSearch::new(k + 1), &c, period);
                assert_same(&eq, &one_call, &format!("seed {seed} n = {n} k = {k}"));
            }
        }
    }
}

#[test]
fn the_jacobian_summed_in_slices_is_the_one_call_jacobian() {
    let pop = impartial_culture(12, 400, 3);
    let c = CompiledPopulation::new(&pop);
    let pi: Vec<f64> = (1..=12).map(|i| i as f64 / 78.0).collect();
    for k in [1, 7, 33, 1024] {
        let one_call = c.payoff_jacobian(&pi, k);
        let mut sum = c.jacobian_sum(&pi);
        let mut out_of_time = every(2);
        let mut slices = 1;
        while !c.advance_jacobian(&mut sum, k, &mut out_of_time) {
            slices += 1;
        }
        assert_eq!(bits(&sum.into_jacobian()), bits(&one_call), "k = {k}");
        if k == 1024 {
            assert!(slices > 10, "{slices} slices");
        }
    }
}

fn config(preset: &str, k: usize) -> Config {
    Config {
        preset: preset.into(),
        k,
        iterations: 50,
        k_max: 4,
        ..Config::default()
    }
}

#[test]
fn a_session_built_in_slices_is_the_one_call_session() {
    for preset in ualign::presets::presets() {
        for k in [1, 4, 1024] {
            let config = config(preset.id, k);
            let prefs = config.preferences().unwrap();
            let mut one_call = Session::with_preferences(&config, &prefs).unwrap();
            let mut builder = SessionBuilder::new(&config, prefs).unwrap();
            let mut out_of_time = every(2);
            let mut slices = 1;
            let mut built = loop {
                match builder.advance(&mut out_of_time) {
                    Some(built) => break built.unwrap(),
                    None => slices += 1,
                }
            };
            let what = format!("{} k = {k} in {slices} slices", preset.id);
            assert!(slices >= 4, "{what}");
            assert_same(built.equilibrium(), one_call.equilibrium(), &what);
            assert_eq!(
                bits(built.maximal_lottery()),
                bits(one_call.maximal_lottery())
            );
            assert_eq!(built.fit_residual(), one_call.fit_residual(), "{what}");
            assert_eq!(built.fit_types(), one_call.fit_types(), "{what}");
            assert_eq!(built.labels(), one_call.labels());
            assert_eq!(built.snapshot(), one_call.snapshot(), "{what}");
            for _ in 0..5 {
                assert_eq!(built.step(), one_call.step(), "{what}");
            }
            assert_eq!(built.describe(), one_call.describe());
        }
    }
}

#[test]
fn a_sweep_point_in_slices_is_the_one_call_sweep_point() {
    for preset in [
        "condorcet-cycle",
        "tshirt",
        "llmfao",
        "worst-case",
        "apa-1998",
    ] {
        let session = Session::new(&config(preset, 2)).unwrap();
        for k in [1, 2, 16, 1024] {
            let one_call = session.sweep_point(k);
            let mut search = session.sweep_point_search(k);
            assert_eq!(search.k(), k);
            let mut out_of_time = every(2);
            let row = loop {
                if let Some(row) = search.advance(&session, &mut out_of_time) {
                    break row;
                }
            };
            // SweepRow's numbers compared bit for bit through their debug form.
            assert_eq!(
                format!("{row:?}"),
                format!("{one_call:?}"),
                "{preset} k = {k}"
            );
            let exact = [row.nlhf, row.game, row.rlhf, row.best_of_k];
            let expected = [
                one_call.nlhf,
                one_call.game,
                one_call.rlhf,
                one_call.best_of_k,
            ];
            assert_eq!(bits(&exact), bits(&expected), "{preset} k = {k}");
        }
    }
}

#[test]
fn a_population_compiled_in_slices_is_the_one_call_compilation() {
    let pop = impartial_culture(20, 3000, 5);
    let one_call = CompiledPopulation::new(&pop);
    let mut builder = CompiledPopulationBuilder::new(&pop);
    let mut out_of_time = every(2);
    let mut slices = 1;
    let compiled = loop {
        match builder.advance(&mut out_of_time) {
            Some(compiled) => break compiled,
            None => slices += 1,
        }
    };
    assert!(slices > 10, "{slices} slices");
    assert_eq!(compiled.entry_count(), one_call.entry_count());
    assert_eq!(compiled.population(), one_call.population());
    let pi: Vec<f64> = (1..=20).map(|i| i as f64 / 210.0).collect();
    for k in [1, 5, 1024] {
        let (a, b) = (compiled.payoff_vec(&pi, k), one_call.payoff_vec(&pi, k));
        assert_eq!(bits(&a), bits(&b), "k = {k}");
        let (a, b) = (
            compiled.payoff_jacobian(&pi, k),
            one_call.payoff_jacobian(&pi, k),
        );
        assert_eq!(bits(&a), bits(&b), "k = {k}");
    }
    assert!(builder.advance(&mut || false).is_none(), "taken once");
}

#[test]
fn a_pairwise_matrix_summed_in_slices_is_the_one_call_matrix() {
    let pop = impartial_culture(64, 2000, 9);
    let one_call = pop.pairwise();
    let mut sum = ualign::model::PairwiseSum::new(64);
    let mut out_of_time = every(2);
    let mut slices = 1;
    let matrix = loop {
        match pop.advance_pairwise(&mut sum, &mut out_of_time) {
            Some(matrix) => break matrix,
            None => slices += 1,
        }
    };
    assert!(slices > 2, "{slices} slices");
    assert_eq!(bits(matrix.as_slice()), bits(one_call.as_slice()));
    assert_eq!(matrix.labels(), one_call.labels());
}
