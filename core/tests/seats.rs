//! The seats of the (k+1)-player game: over 10^6 rounds each seat's tally lies within 4.5
//! standard errors of 1/(k+1) when every seat samples pi, and the challenger's within 4.5
//! standard errors of u_k(y; pi) when the last seat plays y (the closed form of the payoff,
//! computed apart from the sampler); every preset, k in {1, 2, 4, 8}, for NLHF's maximal
//! lottery and the game's equilibrium. Also the table's exact chances against enumeration on
//! 51/49, and the equilibrium's seat never above 1/(k+1).

mod common;

use ualign::arena::live::ArenaSetup;
use ualign::arena::seats::{seat_chances, Seats, SeatsRequest};
use ualign::arena::seats_view::view;
use ualign::arena::worst_single;
use ualign::case::game_population;
use ualign::equilibrium::solve;
use ualign::model::Population;
use ualign::payoff::CompiledPopulation;

fn preset(id: &str) -> Population {
    let prefs = ualign::presets::load(id).unwrap();
    game_population(&prefs).unwrap().0.merged()
}

const ROUNDS: u64 = 1_000_000;

fn assert_within(what: &str, picked: u64, rounds: u64, p: f64) {
    let se = (p * (1.0 - p) / rounds as f64).sqrt().max(1e-12);
    let z = (picked as f64 / rounds as f64 - p) / se;
    assert!(
        z.abs() < 4.5,
        "{what}: {picked} of {rounds} against exact {p} (z = {z:.2})"
    );
}

#[test]
fn each_seat_is_picked_one_in_k_plus_1_and_the_challenger_u_k_on_every_preset() {
    for p in ualign::presets::presets() {
        let pop = preset(p.id);
        let c = CompiledPopulation::new(&pop);
        let nlhf = ualign::lottery::maximal_lottery(&pop.pairwise());
        for k in [1, 2, 4, 8] {
            let game = solve(&c, k + 1);
            let y = worst_single(&c, &game.policy, k);
            for challenger in [None, Some(y)] {
                let mut seats = Seats::new(
                    &pop,
                    nlhf.clone(),
                    game.policy.clone(),
                    k,
                    challenger,
                    11 + k as u64,
                );
                seats.play(ROUNDS);
                for (i, pi) in [&nlhf, &game.policy].into_iter().enumerate() {
                    let tallies = seats.tallies(i);
                    assert_eq!(tallies.len(), k + 1);
                    // Exactly one copy is picked each round.
                    assert_eq!(tallies.iter().map(|t| t.wins).sum::<u64>(), ROUNDS);
                    let u = c.payoff_vec(pi, k);
                    for (seat, t) in tallies.iter().enumerate() {
                        let exact = match challenger {
                            None => 1.0 / (k + 1) as f64,
                            Some(y) if seat == k => u[y],
                            Some(y) => (1.0 - u[y]) / k as f64,
                        };
                        assert_within(
                            &format!(
                                "{} k = {k} policy {i} challenger {challenger:?} seat {seat}",
                                p.id
                            ),
                            t.wins,
                            t.rounds,
                            exact,
                        );
                    }
                }
            }
            // At the equilibrium no single response takes more than 1/(k+1), to the
            // solver's stated accuracy.
            let u = c.payoff_vec(&game.policy, k);
            assert!(
                u[y] <= 1.0 / (k + 1) as f64 + game.exploitability + 1e-9,
                "{} k = {k}: u = {} above 1/(k+1)",
                p.id,
                u[y]
            );
        }
    }
}

/// 51/49 by enumeration: the chance that the last seat's B is picked when the k others draw
/// from (p, 1 - p), summed over the number j of B among them.
fn enumerated_u_b(p: f64, k: usize) -> f64 {
    let mut u = 0.0;
    for j in 0..=k {
        let choose = (0..j).fold(1.0, |acc, i| acc * (k - i) as f64 / (i + 1) as f64);
        let chance = choose * (1.0 - p).powi(j as i32) * p.powi((k - j) as i32);
        // A-voters (51%) pick B only when no A is shown: all k draws are B, then B's copies
        // share; B-voters (49%) pick among the j + 1 copies of B.
        let a_voters = if j == k { 1.0 / (k + 1) as f64 } else { 0.0 };
        u += chance * (0.51 * a_voters + 0.49 / (j + 1) as f64);
    }
    u
}

#[test]
fn on_51_49_the_seats_exact_chances_match_enumeration_and_nlhf_gives_b_0_49() {
    let pop = preset("majority-51-49");
    let c = CompiledPopulation::new(&pop);
    for k in [1, 2, 4, 8] {
        for p in [1.0, 0.75, 0.514, 0.3] {
            let chances = seat_chances(&c, &[p, 1.0 - p], k, Some(1));
            let u = enumerated_u_b(p, k);
            assert!(
                (chances[k] - u).abs() < 1e-12,
                "k = {k} p = {p}: {} vs {u}",
                chances[k]
            );
            assert!((chances.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        }
        // NLHF's collapsed policy (everything on A): B is picked by the 49% alone.
        assert!((seat_chances(&c, &[1.0, 0.0], k, Some(1))[k] - 0.49).abs() < 1e-12);
    }
}

#[test]
fn the_view_names_the_challenger_and_says_whether_it_takes_more_than_its_share() {
    let pop = preset("majority-51-49");
    let c = CompiledPopulation::new(&pop);
    let k = 4;
    let game = solve(&c, k + 1).policy;
    let labels = vec!["A".to_string(), "B".to_string()];
    let mut seats = Seats::new(&pop, vec![1.0, 0.0], game, k, None, 3);
    seats.handle(SeatsRequest::Rounds(10), 0.0);
    let v = view(&seats, &labels);
    assert_eq!(v.tables[0].seats.len(), k + 1);
    assert_eq!(v.tables[0].seats.iter().filter(|s| s.picked).count(), 1);
    assert!(v.reading.contains("1/(k+1) = 0.2000"), "{}", v.reading);
    seats.handle(
        SeatsRequest::Open(ArenaSetup {
            challenger: vec![1],
            set: vec![],
            draws: 3,
        }),
        0.0,
    );
    let v = view(&seats, &labels);
    assert_eq!(v.rounds, 0, "a new challenger starts the tallies again");
    assert_eq!(v.tables[0].seats[k].name, "seat 5 · y = B");
    assert!((v.tables[0].seats[k].bar[3] - 0.49).abs() < 1e-12);
    assert!(
        v.reading
            .contains("Against NLHF's lottery it is 0.4900, more than 1/(k+1) = 0.2000"),
        "{}",
        v.reading
    );
    assert!(
        v.reading
            .contains("game's equilibrium that is 0.2000, no more than"),
        "{}",
        v.reading
    );
    // A large table shows the model's seats together.
    let mut big = Seats::new(&pop, vec![1.0, 0.0], vec![0.5, 0.5], 20, Some(1), 3);
    big.play(100);
    let v = view(&big, &labels);
    assert_eq!(v.tables[1].seats.len(), 2);
    assert_eq!(v.tables[1].seats[0].name, "seats 1–20 together · π");
}

/// A fixed set's robust value by direct enumeration of the voters: for each single challenger
/// y, the weight share of the picks that land on one of the set's k copies.
fn robust_by_hand(pop: &Population, set: &[usize]) -> f64 {
    let total = pop.total_weight();
    (0..pop.n())
        .map(|y| {
            pop.voters()
                .iter()
                .map(|v| {
                    let class = v.ranking.class_index();
                    let copies: Vec<usize> = set.iter().copied().chain([y]).collect();
                    let best = copies.iter().map(|&c| class[c]).min().unwrap();
                    let top = copies.iter().filter(|&&c| class[c] == best).count() as f64;
                    let ours = set.iter().filter(|&&c| class[c] == best).count() as f64;
                    v.weight * ours / top
                })
                .sum::<f64>()
                / total
        })
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn on_the_worst_case_preset_no_fixed_set_of_one_or_two_beats_k_over_k_plus_1() {
    // The preset's and the tour's claim: with 24 responses and 24 random rankings, no set of
    // k = 1 or 2 distinct responses beats what a sampled policy is capped at, k/(k+1); at
    // k = 2 the best of the 276 sets reaches it. (At k = 3 one set wins 19/24 > 3/4, so the
    // claim is made for k <= 2 only.)
    let pop = preset("worst-case");
    for k in 1..=3 {
        // Sets of k distinct responses: the multisets without a repeat.
        let sets: Vec<Vec<usize>> = common::brute_force::multisets(pop.n(), k)
            .into_iter()
            .filter(|s| s.windows(2).all(|w| w[0] < w[1]))
            .collect();
        let best = sets
            .iter()
            .map(|s| robust_by_hand(&pop, s))
            .fold(0.0, f64::max);
        let cap = k as f64 / (k + 1) as f64;
        match k {
            1 => assert!(best <= cap, "k = 1: a set wins {best} > {cap}"),
            2 => assert!(
                (best - cap).abs() < 1e-12,
                "k = 2: the best set wins {best}"
            ),
            _ => assert!((best - 19.0 / 24.0).abs() < 1e-12, "k = 3: {best}"),
        }
    }
}
