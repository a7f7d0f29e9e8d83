//! The editors' edits. Ranking edits on every weak order of up to four responses: each result
//! is a weak order of the same responses, the moved response lands where asked, and every
//! comparison not involving it is unchanged. Adding and removing responses: the pairwise
//! matrix of the rest is unchanged, checked against the preferences before the edit.

use std::cmp::Ordering;
use ualign::config::{CustomPreferences, VoterSpec, MAX_EDITOR_RESPONSES};
use ualign::model::{limits, Ranking, RawRanking};
use ualign::ranking_edit::{place, step, tie_with_next, untie, Placement};

/// Every weak order of 0..n (ordered set partitions): 1, 3, 13, 75 for n = 1..4.
fn weak_orders(n: usize) -> Vec<RawRanking> {
    fn extend(done: Vec<Vec<usize>>, left: Vec<usize>, out: &mut Vec<RawRanking>) {
        if left.is_empty() {
            out.push(RawRanking(done));
            return;
        }
        // The next class: any non-empty subset of what is left.
        for mask in 1u32..(1 << left.len()) {
            let class: Vec<usize> = (0..left.len())
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| left[i])
                .collect();
            let rest: Vec<usize> = (0..left.len())
                .filter(|i| mask & (1 << i) == 0)
                .map(|i| left[i])
                .collect();
            let mut next = done.clone();
            next.push(class);
            extend(next, rest, out);
        }
    }
    let mut out = Vec::new();
    extend(Vec::new(), (0..n).collect(), &mut out);
    out
}

/// Position of each response's class (smaller = better).
fn rank_of(r: &RawRanking, n: usize) -> Vec<usize> {
    let mut rank = vec![usize::MAX; n];
    for (c, class) in r.0.iter().enumerate() {
        for &y in class {
            rank[y] = c;
        }
    }
    rank
}

fn compare(r: &RawRanking, n: usize, a: usize, b: usize) -> Ordering {
    let rank = rank_of(r, n);
    rank[a].cmp(&rank[b])
}

/// A valid weak order of exactly 0..n, no empty class.
fn assert_weak_order(r: &RawRanking, n: usize, what: &str) {
    assert!(
        r.0.iter().all(|c| !c.is_empty()),
        "{what}: empty class in {r:?}"
    );
    assert!(
        Ranking::weak(r.0.clone(), n).is_ok(),
        "{what}: not a weak order of {n}: {r:?}"
    );
}

/// Comparisons between responses other than `moved` are as before.
fn others_unchanged(before: &RawRanking, after: &RawRanking, n: usize, moved: usize, what: &str) {
    for a in (0..n).filter(|&a| a != moved) {
        for b in (0..n).filter(|&b| b != moved) {
            assert_eq!(
                compare(before, n, a, b),
                compare(after, n, a, b),
                "{what}: {a} vs {b} changed: {before:?} -> {after:?}"
            );
        }
    }
}

#[test]
fn there_are_75_weak_orders_of_four() {
    let counts: Vec<usize> = (1..=4).map(|n| weak_orders(n).len()).collect();
    assert_eq!(counts, [1, 3, 13, 75]);
}

#[test]
fn a_drop_lands_before_tied_with_or_after_its_target() {
    for n in 1..=4 {
        for r in weak_orders(n) {
            for moved in 0..n {
                for target in 0..n {
                    for how in [Placement::Before, Placement::Tie, Placement::After] {
                        let mut out = r.clone();
                        place(&mut out, moved, target, how);
                        let what = format!("place {moved} {how:?} {target} in {r:?}");
                        assert_weak_order(&out, n, &what);
                        if moved == target {
                            assert_eq!(out, r, "{what}");
                            continue;
                        }
                        others_unchanged(&r, &out, n, moved, &what);
                        let rank = rank_of(&out, n);
                        let alone = out.0[rank[moved]].len() == 1;
                        match how {
                            Placement::Tie => assert_eq!(rank[moved], rank[target], "{what}"),
                            Placement::Before => {
                                assert!(alone && rank[moved] + 1 == rank[target], "{what}: {out:?}")
                            }
                            Placement::After => {
                                assert!(alone && rank[moved] == rank[target] + 1, "{what}: {out:?}")
                            }
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn a_step_leaves_a_tie_or_swaps_with_the_neighbouring_class() {
    for n in 1..=4 {
        for r in weak_orders(n) {
            for moved in 0..n {
                for by in [-1i8, 1] {
                    let mut out = r.clone();
                    step(&mut out, moved, by);
                    let what = format!("step {moved} by {by} in {r:?}");
                    assert_weak_order(&out, n, &what);
                    others_unchanged(&r, &out, n, moved, &what);
                    let (c_before, c_after) = (rank_of(&r, n)[moved], rank_of(&out, n)[moved]);
                    let tied = r.0[c_before].len() > 1;
                    let at_end = if by < 0 {
                        c_before == 0
                    } else {
                        c_before + 1 == r.0.len()
                    };
                    if !tied && at_end {
                        assert_eq!(out, r, "{what}: nowhere to go");
                    } else {
                        // Alone now, and every response it was tied with or stepped over now
                        // sits on the other side of it.
                        assert_eq!(out.0[c_after].len(), 1, "{what}: {out:?}");
                        let crossed: Vec<usize> = if tied {
                            r.0[c_before]
                                .iter()
                                .copied()
                                .filter(|&y| y != moved)
                                .collect()
                        } else {
                            let next = if by < 0 { c_before - 1 } else { c_before + 1 };
                            r.0[next].clone()
                        };
                        let want = if by < 0 {
                            Ordering::Less
                        } else {
                            Ordering::Greater
                        };
                        for y in crossed {
                            assert_eq!(compare(&out, n, moved, y), want, "{what}: {out:?}");
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn tie_and_untie_are_inverse() {
    for n in 1..=4 {
        for r in weak_orders(n) {
            for c in 0..r.0.len() {
                let mut tied = r.clone();
                tie_with_next(&mut tied, c);
                let what = format!("tie class {c} in {r:?}");
                assert_weak_order(&tied, n, &what);
                if c + 1 == r.0.len() {
                    assert_eq!(tied, r, "{what}: the last class has no next");
                    continue;
                }
                assert_eq!(tied.0.len() + 1, r.0.len(), "{what}");
                let mut back = tied.clone();
                untie(&mut back, c, r.0[c].len());
                assert_eq!(back, r, "{what}: untie gives the classes back");
            }
            for (c, class) in r.0.iter().enumerate() {
                for at in 0..=class.len() {
                    let mut out = r.clone();
                    untie(&mut out, c, at);
                    let what = format!("untie class {c} at {at} in {r:?}");
                    assert_weak_order(&out, n, &what);
                    if at == 0 || at == class.len() {
                        assert_eq!(out, r, "{what}: nothing to break");
                    } else {
                        assert_eq!(out.0[c], class[..at], "{what}");
                        assert_eq!(out.0[c + 1], class[at..], "{what}");
                    }
                }
            }
        }
    }
}

#[test]
fn edits_of_responses_not_in_the_ranking_change_nothing() {
    let r = RawRanking(vec![vec![0], vec![1, 2]]);
    let mut out = r.clone();
    place(&mut out, 7, 0, Placement::Tie);
    place(&mut out, 0, 7, Placement::Before);
    step(&mut out, 9, 1);
    untie(&mut out, 5, 1);
    tie_with_next(&mut out, 5);
    assert_eq!(out, r);
}

/// A population of every weak order of four responses, weighted 1, 2, 3, ...
fn all_weak_orders_population() -> CustomPreferences {
    CustomPreferences::Population {
        labels: ["a", "b", "c", "d"].map(String::from).to_vec(),
        voters: weak_orders(4)
            .into_iter()
            .enumerate()
            .map(|(i, ranking)| VoterSpec {
                weight: (i + 1) as f64,
                ranking,
            })
            .collect(),
    }
}

fn a_matrix() -> CustomPreferences {
    let rows = vec![
        vec![0.5, 0.7, 0.2, 0.9],
        vec![0.3, 0.5, 0.6, 1.0],
        vec![0.8, 0.4, 0.5, 0.0],
        vec![0.1, 0.0, 1.0, 0.5],
    ];
    CustomPreferences::Matrix {
        labels: ["a", "b", "c", "d"].map(String::from).to_vec(),
        rows,
    }
}

fn pairwise(p: &CustomPreferences) -> Vec<Vec<f64>> {
    p.build().expect("valid preferences").pairwise().rows()
}

#[test]
fn removing_a_response_keeps_every_other_comparison() {
    for prefs in [all_weak_orders_population(), a_matrix()] {
        let before = pairwise(&prefs);
        for i in 0..4 {
            let mut p = prefs.clone();
            p.remove_response(i).unwrap();
            let after = pairwise(&p);
            let kept: Vec<usize> = (0..4).filter(|&j| j != i).collect();
            assert_eq!(p.labels().len(), 3);
            assert!(!p.labels().contains(&prefs.labels()[i]));
            for (a, &x) in kept.iter().enumerate() {
                for (b, &y) in kept.iter().enumerate() {
                    assert!(
                        (after[a][b] - before[x][y]).abs() < 1e-12,
                        "remove {i}: P[{x}][{y}] was {} now {}",
                        before[x][y],
                        after[a][b]
                    );
                }
            }
        }
    }
}

#[test]
fn an_added_response_is_ranked_last_or_tied_and_changes_nothing_else() {
    for prefs in [all_weak_orders_population(), a_matrix()] {
        let before = pairwise(&prefs);
        let mut p = prefs.clone();
        p.add_response().unwrap();
        assert_eq!(p.labels()[4], "R1");
        let after = pairwise(&p);
        let population = matches!(prefs, CustomPreferences::Population { .. });
        for x in 0..4 {
            for y in 0..4 {
                assert!((after[x][y] - before[x][y]).abs() < 1e-12);
            }
            // Every voter ranks the new response last; a matrix starts it at even odds.
            let want = if population { 1.0 } else { 0.5 };
            assert!(
                (after[x][4] - want).abs() < 1e-12,
                "P[{x}][new] = {}",
                after[x][4]
            );
        }
        // Taking it out again gives the preferences back.
        p.remove_response(4).unwrap();
        assert_eq!(p, prefs);
    }
}

#[test]
fn response_counts_stay_within_the_limits() {
    let mut m = a_matrix();
    while m.labels().len() < MAX_EDITOR_RESPONSES {
        m.add_response().unwrap();
    }
    let labels = m.labels().to_vec();
    let e = m.add_response().unwrap_err().0;
    assert!(e.contains("(the limit on responses)"), "{e}");
    assert_eq!(m.labels(), labels, "a refused edit changes nothing");
    // Labels stay distinct: R1, R2, ... skipping those in use.
    let mut sorted = labels.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), labels.len());

    let mut p = all_weak_orders_population();
    while p.labels().len() < limits::MAX_RESPONSES {
        p.add_response().unwrap();
    }
    assert!(p.build().is_ok());
    assert!(p.add_response().is_err());

    let mut two = a_matrix();
    two.remove_response(0).unwrap();
    two.remove_response(0).unwrap();
    let e = two.remove_response(0).unwrap_err().0;
    assert!(e.contains("two responses are the fewest"), "{e}");
    assert!(two.remove_response(7).is_err());
}
