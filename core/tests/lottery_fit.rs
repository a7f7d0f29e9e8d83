//! Tests of the maximal lottery (NLHF), the Bradley-Terry baseline and the population fit.
#![allow(clippy::needless_range_loop)] // matrix code reads best with indices

use ualign::bradley_terry::{fit_scores, rlhf_policy};
use ualign::fit::{best_ranking, fit_population, MAX_FIT_RESPONSES};
use ualign::lottery::{game_value_gap, maximal_lottery};
use ualign::model::{default_labels, RawRanking};
use ualign::rng::Rng;
use ualign::{PairwiseMatrix, Population};

mod common;
use common::strict_population;

fn matrix(rows: Vec<Vec<f64>>) -> PairwiseMatrix {
    PairwiseMatrix::new(default_labels(rows.len()), rows).unwrap()
}

/// Pairwise matrix of weighted strict rankings, computed here independently of the library.
fn pairwise_of(voters: &[(f64, Vec<usize>)], n: usize) -> Vec<Vec<f64>> {
    let total: f64 = voters.iter().map(|v| v.0).sum();
    let mut p = vec![vec![0.5; n]; n];
    for (i, row) in p.iter_mut().enumerate() {
        for (j, x) in row.iter_mut().enumerate() {
            if i != j {
                let above: f64 = voters
                    .iter()
                    .filter(|(_, r)| {
                        r.iter().position(|&y| y == i) < r.iter().position(|&y| y == j)
                    })
                    .map(|v| v.0)
                    .sum();
                *x = above / total;
            }
        }
    }
    p
}

/// A random matrix; some entries exactly 1/2, 0 or 1, or a hair away from 1/2, to exercise
/// degenerate and badly conditioned programs.
fn random_matrix(rng: &mut Rng, n: usize) -> PairwiseMatrix {
    let mut rows = vec![vec![0.5; n]; n];
    for i in 0..n {
        for j in (i + 1)..n {
            let x = match rng.below(8) {
                0 => 0.5,
                1 => 0.0,
                2 => 1.0,
                3 => 0.5 + (rng.next_f64() - 0.5) * 1e-12,
                _ => rng.next_f64(),
            };
            rows[i][j] = x;
            rows[j][i] = 1.0 - x;
        }
    }
    matrix(rows)
}

fn assert_probability(pi: &[f64]) {
    assert!(pi.iter().all(|&x| x >= 0.0 && x.is_finite()), "{pi:?}");
    assert!((pi.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{pi:?}");
}

/// Independent check of a maximal lottery: no pure response wins against it more than 1/2.
fn best_pure_reply(p: &PairwiseMatrix, pi: &[f64]) -> f64 {
    let n = p.n();
    (0..n)
        .map(|y| (0..n).map(|i| p.get(y, i) * pi[i]).sum::<f64>())
        .fold(f64::NEG_INFINITY, f64::max)
}

// ---------------------------------------------------------------- maximal lottery

#[test]
fn condorcet_winner_gets_all_the_mass() {
    // 2 beats 0 and 1 (3 of 5 voters each), 0 beats 1.
    let voters = vec![
        (2.0, vec![0, 2, 1]),
        (2.0, vec![2, 1, 0]),
        (1.0, vec![1, 2, 0]),
    ];
    let p = strict_population(&voters, 3).pairwise();
    assert_eq!(p.condorcet_winner(), Some(2));
    assert_eq!(maximal_lottery(&p), vec![0.0, 0.0, 1.0]);
    // The 51/49 majority.
    let p = matrix(vec![vec![0.5, 0.49], vec![0.51, 0.5]]);
    assert_eq!(maximal_lottery(&p), vec![0.0, 1.0]);
}

#[test]
fn condorcet_cycle_is_uniform() {
    let voters = vec![
        (1.0, vec![0, 1, 2]),
        (1.0, vec![1, 2, 0]),
        (1.0, vec![2, 0, 1]),
    ];
    let p = strict_population(&voters, 3).pairwise();
    let pi = maximal_lottery(&p);
    for x in &pi {
        assert!((x - 1.0 / 3.0).abs() < 1e-9, "{pi:?}");
    }
    assert!(game_value_gap(&p, &pi) <= 1e-12);
}

#[test]
fn rock_paper_scissors_with_unequal_margins() {
    // Skew M with M[0][1] = a, M[1][2] = b, M[2][0] = c and P = 1/2 + M/2: the maximal
    // lottery is proportional to (b, c, a).
    for &(a, b, c) in &[(0.2, 0.5, 0.9), (1.0, 0.1, 0.3), (0.6, 0.6, 0.05)] {
        let p = matrix(vec![
            vec![0.5, 0.5 + a / 2.0, 0.5 - c / 2.0],
            vec![0.5 - a / 2.0, 0.5, 0.5 + b / 2.0],
            vec![0.5 + c / 2.0, 0.5 - b / 2.0, 0.5],
        ]);
        let pi = maximal_lottery(&p);
        let s = a + b + c;
        let expected = [b / s, c / s, a / s];
        for (x, e) in pi.iter().zip(expected) {
            assert!((x - e).abs() < 1e-12, "{pi:?} vs {expected:?}");
        }
    }
}

#[test]
fn random_matrices_give_exact_maximal_lotteries() {
    let mut rng = Rng::new(2026);
    for trial in 0..5000 {
        let n = 2 + trial % 13;
        let p = random_matrix(&mut rng, n);
        let pi = maximal_lottery(&p);
        assert_probability(&pi);
        let gap = game_value_gap(&p, &pi);
        assert!(gap <= 1e-9, "trial {trial}: gap {gap}");
        let reply = best_pure_reply(&p, &pi);
        assert!(
            reply <= 0.5 + 1e-9,
            "trial {trial}: a pure reply wins {reply}"
        );
        // Deterministic.
        assert_eq!(pi, maximal_lottery(&p));
    }
}

#[test]
fn near_ties_do_not_derail_the_simplex() {
    // Entries a hair (1e-13) from 1/2 once led a textbook ratio test to pivot on a 1e-11
    // element and report the pure response 4, which response 6 beats 0.87 to 0.13.
    let h = 0.5;
    let p = matrix(vec![
        vec![h, 0.4999999999996152, h, 0.500000000000055, h, 0.0, 0.0],
        vec![
            0.5000000000003848,
            h,
            0.31821831673443024,
            0.5000000000004353,
            0.27735163064477797,
            0.5209619154032965,
            h,
        ],
        vec![
            h,
            0.6817816832655698,
            h,
            0.0680421423198323,
            0.43042730069565627,
            0.1796455433154912,
            0.5000000000002462,
        ],
        vec![
            0.49999999999994504,
            0.4999999999995647,
            0.9319578576801677,
            h,
            h,
            h,
            0.9375417197050572,
        ],
        vec![
            h,
            0.722648369355222,
            0.5695726993043437,
            h,
            h,
            0.5000000000003415,
            0.12517593441901298,
        ],
        vec![
            1.0,
            0.4790380845967035,
            0.8203544566845088,
            h,
            0.4999999999996585,
            h,
            0.49999999999965766,
        ],
        vec![
            1.0,
            h,
            0.49999999999975375,
            0.062458280294942825,
            0.874824065580987,
            0.5000000000003424,
            h,
        ],
    ]);
    let pi = maximal_lottery(&p);
    assert_probability(&pi);
    assert!(game_value_gap(&p, &pi) <= 1e-9, "{pi:?}");
    assert!(best_pure_reply(&p, &pi) <= 0.5 + 1e-9, "{pi:?}");
}

#[test]
fn tied_populations_and_large_n() {
    // Even numbers of voters make many pairwise ties, so the lottery is not unique; any
    // optimal one must come out.
    let mut rng = Rng::new(7);
    for trial in 0..200 {
        let n = 2 + trial % 9;
        let voters: Vec<(f64, Vec<usize>)> = (0..2 + 2 * (trial % 3))
            .map(|_| (1.0, rng.permutation(n)))
            .collect();
        let p = strict_population(&voters, n).pairwise();
        let pi = maximal_lottery(&p);
        assert_probability(&pi);
        assert!(game_value_gap(&p, &pi) <= 1e-12, "trial {trial}");
    }
    for n in [32, 64] {
        let p = random_matrix(&mut rng, n);
        let pi = maximal_lottery(&p);
        assert_probability(&pi);
        assert!(game_value_gap(&p, &pi) <= 1e-9, "n = {n}");
        assert!(best_pure_reply(&p, &pi) <= 0.5 + 1e-9);
    }
}

#[test]
fn game_value_gap_measures_exploitability() {
    let p = matrix(vec![
        vec![0.5, 0.8, 0.3],
        vec![0.2, 0.5, 0.9],
        vec![0.7, 0.1, 0.5],
    ]);
    // Pure response 0 loses to 2 with 0.3: gap 0.2.
    assert!((game_value_gap(&p, &[1.0, 0.0, 0.0]) - 0.2).abs() < 1e-15);
    let pi = maximal_lottery(&p);
    assert!(game_value_gap(&p, &pi) < 1e-15);
    assert!(game_value_gap(&p, &[1.0 / 3.0; 3]) > 0.0);
}

/// Reference cases copied into tests/cases (with values from an independent implementation);
/// when none are there, an in-code population with a known answer stands in.
#[test]
fn reference_cases() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut checked = 0;
    for name in [
        "apa_1998_complete.json",
        "condorcet_cycle_3.json",
        "condorcet_diverse_minority.json",
        "majority_51_49.json",
    ] {
        let Ok(text) = std::fs::read_to_string(dir.join(name)) else {
            continue;
        };
        let case: serde_json::Value = serde_json::from_str(&text).unwrap();
        let Some(pop) = case["population"].as_array() else {
            continue;
        };
        let voters: Vec<(f64, RawRanking)> = pop
            .iter()
            .map(|v| {
                (
                    v["weight"].as_f64().unwrap(),
                    serde_json::from_value(v["ranking"].clone()).unwrap(),
                )
            })
            .collect();
        let n = voters[0].1 .0.iter().map(Vec::len).sum();
        let p = Population::from_raw(default_labels(n), voters)
            .unwrap()
            .pairwise();
        let expected = &case["expected"];
        for (i, row) in expected["pairwise"].as_array().unwrap().iter().enumerate() {
            for (j, x) in row.as_array().unwrap().iter().enumerate() {
                assert!((p.get(i, j) - x.as_f64().unwrap()).abs() < 1e-9, "{name}");
            }
        }
        let pi = maximal_lottery(&p);
        if let Some(ml) = expected["maximal_lottery"].as_array() {
            for (x, e) in pi.iter().zip(ml) {
                assert!((x - e.as_f64().unwrap()).abs() < 1e-7, "{name}: {pi:?}");
            }
        }
        assert!(game_value_gap(&p, &pi) <= 1e-12, "{name}");
        checked += 1;
    }
    if checked == 0 {
        // Condorcet winner 0 (beats the rest 75-80%) while 70% have another favourite.
        let voters = vec![
            (0.3, vec![0, 1, 2, 3]),
            (0.25, vec![1, 0, 2, 3]),
            (0.25, vec![2, 0, 3, 1]),
            (0.2, vec![3, 0, 1, 2]),
        ];
        let p = strict_population(&voters, 4).pairwise();
        assert_eq!(maximal_lottery(&p), vec![1.0, 0.0, 0.0, 0.0]);
    }
}

// ---------------------------------------------------------------- Bradley-Terry

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

#[test]
fn bradley_terry_recovers_generating_scores() {
    let mut rng = Rng::new(11);
    for n in [2, 3, 5, 8, 15] {
        let s: Vec<f64> = (0..n).map(|_| 4.0 * rng.next_f64() - 2.0).collect();
        let mean = s.iter().sum::<f64>() / n as f64;
        let rows = (0..n)
            .map(|i| (0..n).map(|j| sigmoid(s[i] - s[j])).collect())
            .collect();
        let r = fit_scores(&matrix(rows));
        for (ri, si) in r.iter().zip(&s) {
            assert!((ri - (si - mean)).abs() < 1e-8, "n = {n}: {r:?} vs {s:?}");
        }
        assert!(r.iter().sum::<f64>().abs() < 1e-10);
    }
}

#[test]
fn rlhf_policy_follows_the_scores() {
    let scores = [0.3, -1.0, 2.0, 0.0];
    for beta in [0.1, 1.0, 10.0] {
        let pi = rlhf_policy(&scores, beta, None);
        assert_probability(&pi);
        // Same order as the scores: 2, 0, 3, 1.
        assert!(pi[2] > pi[0] && pi[0] > pi[3] && pi[3] > pi[1], "{pi:?}");
        // Ratios are exp(score difference / beta).
        assert!((pi[2] / pi[0] - ((2.0 - 0.3) / beta).exp()).abs() < 1e-9 * pi[2] / pi[0]);
    }
    let reference = [0.4, 0.4, 0.1, 0.1];
    let pi = rlhf_policy(&scores, 1.0, Some(&reference));
    assert_probability(&pi);
    assert!((pi[0] / pi[2] - 4.0 * (-1.7f64).exp()).abs() < 1e-12);
    // The argmax limit splits ties evenly.
    assert_eq!(
        rlhf_policy(&[1.0, 5.0, 5.0], 0.0, None),
        vec![0.0, 0.5, 0.5]
    );
    assert_eq!(
        rlhf_policy(&[1.0, 5.0, 2.0], -3.0, None),
        vec![0.0, 1.0, 0.0]
    );
    // Huge score gaps over a small beta do not overflow.
    let pi = rlhf_policy(&[1e6, 0.0], 1e-3, None);
    assert_eq!(pi, vec![1.0, 0.0]);
}

#[test]
fn bradley_terry_stays_finite_without_an_mle() {
    // A unanimous linear order 0 > 1 > 2 > 3: no maximum likelihood estimate exists.
    let n = 4;
    let rows = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| match i.cmp(&j) {
                    std::cmp::Ordering::Less => 1.0,
                    std::cmp::Ordering::Equal => 0.5,
                    std::cmp::Ordering::Greater => 0.0,
                })
                .collect()
        })
        .collect();
    let r = fit_scores(&matrix(rows));
    assert!(r.iter().all(|x| x.is_finite() && x.abs() < 100.0), "{r:?}");
    assert!(r[0] > r[1] && r[1] > r[2] && r[2] > r[3], "{r:?}");
    // A response that never loses, above a cycle.
    let p = matrix(vec![
        vec![0.5, 1.0, 1.0, 1.0],
        vec![0.0, 0.5, 0.7, 0.3],
        vec![0.0, 0.3, 0.5, 0.7],
        vec![0.0, 0.7, 0.3, 0.5],
    ]);
    let r = fit_scores(&p);
    assert!(r.iter().all(|x| x.is_finite()), "{r:?}");
    assert!(r[0] > r[1] + 3.0);
    assert!(
        (r[1] - r[2]).abs() < 1e-9 && (r[2] - r[3]).abs() < 1e-9,
        "{r:?}"
    );
}

// ---------------------------------------------------------------- population fit

fn brute_force_best(w: &[f64], n: usize) -> f64 {
    fn rec(order: &mut Vec<usize>, used: &mut [bool], w: &[f64], n: usize, best: &mut f64) {
        if order.len() == n {
            *best = best.max(score(order, w, n));
            return;
        }
        for v in 0..n {
            if !used[v] {
                used[v] = true;
                order.push(v);
                rec(order, used, w, n, best);
                order.pop();
                used[v] = false;
            }
        }
    }
    let mut best = f64::NEG_INFINITY;
    rec(&mut Vec::new(), &mut vec![false; n], w, n, &mut best);
    best
}

fn score(order: &[usize], w: &[f64], n: usize) -> f64 {
    let mut s = 0.0;
    for a in 0..order.len() {
        for b in (a + 1)..order.len() {
            s += w[order[a] * n + order[b]];
        }
    }
    s
}

#[test]
fn best_ranking_matches_brute_force() {
    let mut rng = Rng::new(3);
    for trial in 0..300 {
        let n = 1 + trial % 7;
        let w: Vec<f64> = (0..n * n).map(|_| 2.0 * rng.next_f64() - 1.0).collect();
        let r = best_ranking(&w, n);
        let mut sorted = r.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..n).collect::<Vec<_>>());
        let best = brute_force_best(&w, n);
        assert!((score(&r, &w, n) - best).abs() < 1e-12, "trial {trial}");
    }
}

/// Sum of squared residuals over i < j.
fn sse(a: &PairwiseMatrix, b: &PairwiseMatrix) -> f64 {
    let n = a.n();
    let mut s = 0.0;
    for i in 0..n {
        for j in (i + 1)..n {
            s += (a.get(i, j) - b.get(i, j)).powi(2);
        }
    }
    s
}

#[test]
fn realizable_matrix_is_fitted_exactly() {
    let n = 5;
    let voters = vec![
        (0.5, vec![0, 1, 2, 3, 4]),
        (0.3, vec![4, 2, 0, 3, 1]),
        (0.2, vec![3, 1, 4, 0, 2]),
    ];
    let p = matrix(pairwise_of(&voters, n));
    let fit = fit_population(&p).unwrap();
    assert!(fit.max_residual <= 1e-9, "{}", fit.max_residual);
    let w: f64 = fit.population.voters().iter().map(|v| v.weight).sum();
    assert!((w - 1.0).abs() < 1e-12);
    assert!(fit
        .population
        .voters()
        .iter()
        .all(|v| v.ranking.is_strict()));
    let fitted: Vec<(f64, Vec<usize>)> = fit
        .population
        .voters()
        .iter()
        .map(|v| (v.weight, v.ranking.flattened()))
        .collect();
    let q = pairwise_of(&fitted, n);
    for i in 0..n {
        for j in 0..n {
            assert!((q[i][j] - p.get(i, j)).abs() <= 1e-9);
        }
    }
    assert_eq!(fit.population.labels(), p.labels());
}

#[test]
fn random_realizable_matrices_up_to_the_limit() {
    let mut rng = Rng::new(5);
    for n in [2, 3, 6, 9, 12, 15, MAX_FIT_RESPONSES] {
        let voters: Vec<(f64, Vec<usize>)> = (0..40)
            .map(|_| (1.0 + rng.below(5) as f64, rng.permutation(n)))
            .collect();
        let p = strict_population(&voters, n).pairwise();
        let fit = fit_population(&p).unwrap();
        assert!(fit.max_residual <= 1e-9, "n = {n}: {}", fit.max_residual);
        assert!(sse(&fit.population.pairwise(), &p) <= 1e-18);
    }
}

#[test]
fn unanimous_cycle_is_not_realizable() {
    // P[0][1] = P[1][2] = P[2][0] = 1: every ranking agrees with at most 2 of the 3 verdicts,
    // so the best fit puts 2/3 on each and misses each by exactly 1/3.
    let p = matrix(vec![
        vec![0.5, 1.0, 0.0],
        vec![0.0, 0.5, 1.0],
        vec![1.0, 0.0, 0.5],
    ]);
    let fit = fit_population(&p).unwrap();
    assert!(fit.max_residual > 0.1);
    assert!(
        (fit.max_residual - 1.0 / 3.0).abs() < 1e-9,
        "{}",
        fit.max_residual
    );
    let best = sse(&fit.population.pairwise(), &p);
    assert!((best - 1.0 / 3.0).abs() < 1e-9);
    let mut rng = Rng::new(9);
    for _ in 0..200 {
        let voters: Vec<(f64, Vec<usize>)> = (0..3)
            .map(|_| (rng.next_f64(), rng.permutation(3)))
            .collect();
        let other = strict_population(&voters, 3).pairwise();
        assert!(best <= sse(&other, &p) + 1e-12);
    }
}

#[test]
fn fit_of_random_matrices_is_optimal() {
    // Optimality certificate by brute force: at the least-squares fit x = P_fit - P, no ranking
    // vector a has <x, a - P_fit> < 0 (first-order condition over the whole hull).
    let mut rng = Rng::new(21);
    let n = 5;
    let perms: Vec<Vec<usize>> = {
        let mut all = Vec::new();
        fn rec(cur: &mut Vec<usize>, n: usize, all: &mut Vec<Vec<usize>>) {
            if cur.len() == n {
                all.push(cur.clone());
                return;
            }
            for v in 0..n {
                if !cur.contains(&v) {
                    cur.push(v);
                    rec(cur, n, all);
                    cur.pop();
                }
            }
        }
        rec(&mut Vec::new(), n, &mut all);
        all
    };
    for _ in 0..20 {
        let p = random_matrix(&mut rng, n);
        let fit = fit_population(&p).unwrap();
        let q = fit.population.pairwise();
        for perm in &perms {
            let mut d = 0.0;
            for i in 0..n {
                for j in (i + 1)..n {
                    let a = if perm.iter().position(|&y| y == i) < perm.iter().position(|&y| y == j)
                    {
                        1.0
                    } else {
                        0.0
                    };
                    d += (q.get(i, j) - p.get(i, j)) * (a - q.get(i, j));
                }
            }
            assert!(d >= -1e-9, "a ranking would improve the fit by {d}");
        }
        for _ in 0..20 {
            let voters: Vec<(f64, Vec<usize>)> = (0..4)
                .map(|_| (rng.next_f64(), rng.permutation(n)))
                .collect();
            let other = strict_population(&voters, n).pairwise();
            assert!(sse(&q, &p) <= sse(&other, &p) + 1e-12);
        }
    }
}

#[test]
fn fit_refuses_too_many_responses() {
    let n = MAX_FIT_RESPONSES + 1;
    let p = PairwiseMatrix::new(default_labels(n), vec![vec![0.5; n]; n]).unwrap();
    let e = fit_population(&p).unwrap_err();
    assert!(e.0.contains("16") && e.0.contains("17"), "{e}");
}
