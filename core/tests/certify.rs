//! Certified enclosures of V_{k,l}: the theorem at l = 1 on the presets, a closed form on two
//! responses, brute force over a grid on three, the local search's values, the two checks
//! against each other, shards and slices equal to one run, and refusals of tampered copies.

use num_rational::BigRational;
use num_traits::ToPrimitive;
use ualign::model::{default_labels, Population, Ranking, Voter};
use ualign::open_question::best_policy::{best_policy, multisets};
use ualign::open_question::certify::certificate::{assemble, merge, Certificate};
use ualign::open_question::certify::profile::{decimal, rational, ExactProfile};
use ualign::open_question::certify::search::{CertifySearch, Options, Shard};
use ualign::open_question::certify::simplex::Cell;
use ualign::open_question::certify::tree::{walk, Event, Tokens};
use ualign::open_question::certify::verify::{verify, Refusal};
use ualign::open_question::certify::{certify, Problem};

fn preset(id: &str) -> Population {
    let prefs = ualign::presets::load(id).unwrap();
    ualign::case::game_population(&prefs).unwrap().0
}

fn problem(pop: &Population, k: usize, l: usize) -> Problem {
    Problem::new(ExactProfile::from_population(pop), k, l).unwrap()
}

fn opts(tol: f64) -> Options {
    Options {
        tol,
        max_cells: 200_000,
        shard: Shard::WHOLE,
    }
}

fn bounds(c: &Certificate) -> (BigRational, BigRational) {
    (
        rational(&c.lower_exact).unwrap(),
        rational(&c.upper_exact).unwrap(),
    )
}

/// Two responses, `p` of the voters preferring response 0 (weights written as decimals).
fn two(p: &str, q: &str) -> Population {
    let voters = [(p, [0, 1]), (q, [1, 0])]
        .iter()
        .map(|(w, r)| Voter {
            weight: w.parse().unwrap(),
            ranking: Ranking::strict(r, 2).unwrap(),
        })
        .collect();
    Population::new(default_labels(2), voters).unwrap()
}

#[test]
fn l1_encloses_k_over_k_plus_1_on_every_preset_within_the_limits() {
    let mut checked = 0;
    for p in ualign::presets::presets() {
        let pop = preset(p.id);
        let profile = ExactProfile::from_population(&pop);
        for k in [2, 3] {
            let Ok(problem) = Problem::new(profile.clone(), k, 1) else {
                continue;
            };
            // Six responses take seconds per thousandth; the others are quick at 1e-4.
            let tol = if pop.n() >= 6 { 2e-3 } else { 1e-4 };
            if pop.n() >= 6 && k > 2 {
                continue;
            }
            let c = certify(&problem, opts(tol));
            let (lower, upper) = bounds(&c);
            let theorem = BigRational::new((k as i64).into(), (k as i64 + 1).into());
            assert!(
                lower <= theorem && theorem <= upper,
                "{} k={k}: [{}, {}] misses k/(k+1)",
                p.id,
                c.lower,
                c.upper
            );
            assert_eq!(c.stop, "tolerance");
            assert!(c.upper - c.lower <= tol + 1e-12);
            verify(&c).unwrap();
            checked += 1;
        }
    }
    // majority, diverse minority, cycle, impartial culture (k = 2 only), the gap-search
    // profile, APA, Netflix, dots.
    assert_eq!(checked, 15);
}

/// V_{2,2} on two responses with shares p and q = 1 - p. With x = pi(0), y = 1 - x,
///   W_{00} = p (2xy/3 + x^2/2) + q (1 - x^2/2),
///   W_{01} = xy + (2/3)(p x^2 + q y^2) = 3/4 - 4pq/3 - (x - x*)^2/3, x* = 3/2 - 2q,
///   W_{11} = p (1 - y^2/2) + q (2xy/3 + y^2/2),
/// so V <= max W_{01} = 3/4 - 4pq/3, with equality when x* is in [0, 1] and the other two are
/// at least W_{01} at x* (checked below for p = 0.51 and p = 0.7).
#[test]
fn two_responses_closed_form_at_k2_l2() {
    for (p, q) in [("0.51", "0.49"), ("0.7", "0.3")] {
        let (pf, qf): (f64, f64) = (p.parse().unwrap(), q.parse().unwrap());
        let x = 1.5 - 2.0 * qf;
        let y = 1.0 - x;
        let w01 = x * y + 2.0 / 3.0 * (pf * x * x + qf * y * y);
        let w00 = pf * (2.0 * x * y / 3.0 + x * x / 2.0) + qf * (1.0 - x * x / 2.0);
        let w11 = pf * (1.0 - y * y / 2.0) + qf * (2.0 * x * y / 3.0 + y * y / 2.0);
        assert!((0.0..=1.0).contains(&x) && w00 > w01 && w11 > w01);
        let (pr, qr) = (decimal(p).unwrap(), decimal(q).unwrap());
        let closed =
            BigRational::new(3.into(), 4.into()) - BigRational::new(4.into(), 3.into()) * &pr * &qr;
        assert!((closed.to_f64().unwrap() - w01).abs() < 1e-12);
        let c = certify(&problem(&two(p, q), 2, 2), opts(1e-7));
        let (lower, upper) = bounds(&c);
        assert!(
            lower <= closed && closed <= upper,
            "{p}: [{}, {}]",
            c.lower,
            c.upper
        );
        assert!(c.width <= 1e-7 + 1e-12);
    }
    // 51/49: 3/4 - (4/3)(0.51)(0.49) = 521/1250.
    let c = certify(&problem(&two("51", "49"), 2, 2), opts(1e-6));
    let (lower, upper) = bounds(&c);
    let v = BigRational::new(521.into(), 1250.into());
    assert!(lower <= v && v <= upper);
}

#[test]
fn two_responses_at_l1_is_k_over_k_plus_1() {
    for k in [1, 2, 5] {
        let c = certify(&problem(&two("51", "49"), k, 1), opts(1e-6));
        let (lower, upper) = bounds(&c);
        let v = BigRational::new((k as i64).into(), (k as i64 + 1).into());
        assert!(
            lower <= v && v <= upper,
            "k={k}: [{}, {}]",
            c.lower,
            c.upper
        );
    }
}

/// W_{k,l}(pi, Y') by enumerating the k samples: the voter picks uniformly among the copies
/// (k samples and the l of Y') in the best class present, and the policy wins when the pick
/// is a sample.
fn brute_win(pop: &Population, pi: &[f64], k: usize, y: &[usize]) -> f64 {
    let n = pi.len();
    let total = pop.total_weight();
    let mut out = 0.0;
    for v in pop.voters() {
        let class = v.ranking.class_index();
        let mut win = 0.0;
        for t in 0..n.pow(k as u32) {
            let (mut s, mut prob, mut sample) = (t, 1.0, Vec::new());
            for _ in 0..k {
                prob *= pi[s % n];
                sample.push(s % n);
                s /= n;
            }
            let best = sample.iter().chain(y).map(|&r| class[r]).min().unwrap();
            let mine = sample.iter().filter(|&&r| class[r] == best).count();
            let theirs = y.iter().filter(|&&r| class[r] == best).count();
            win += prob * mine as f64 / (mine + theirs) as f64;
        }
        out += v.weight / total * win;
    }
    out
}

#[test]
fn three_responses_enclose_the_brute_force_grid_maximum() {
    let grid = 90;
    for (id, k, l) in [
        ("condorcet-cycle", 2, 2),
        ("netflix", 2, 2),
        ("netflix", 3, 2),
    ] {
        let pop = preset(id);
        let ys = multisets(3, l);
        let mut best = f64::NEG_INFINITY;
        for i in 0..=grid {
            for j in 0..=grid - i {
                let pi = [i as f64, j as f64, (grid - i - j) as f64].map(|x| x / grid as f64);
                let worst = ys
                    .iter()
                    .map(|y| brute_win(&pop, &pi, k, y))
                    .fold(f64::INFINITY, f64::min);
                best = best.max(worst);
            }
        }
        let c = certify(&problem(&pop, k, l), opts(1e-5));
        // The grid maximum is a value of V's objective: at most V <= upper. And V is within
        // k TV(pi*, nearest grid point) <= k n / grid of it (k samples, each differing with
        // probability TV under a coupling).
        assert!(
            best <= c.upper + 1e-12,
            "{id}: grid {best} > upper {}",
            c.upper
        );
        assert!(c.lower <= best + (k * 3) as f64 / grid as f64);
        assert!(c.upper - c.lower <= 1e-5 + 1e-12);
    }
}

#[test]
fn enclosure_contains_the_values_the_local_search_finds() {
    for (id, k, l) in [
        ("dots", 2, 2),
        ("condorcet-diverse-minority", 3, 2),
        ("netflix", 4, 3),
    ] {
        let pop = preset(id);
        let c = certify(&problem(&pop, k, l), opts(1e-5));
        for seed in [1, 2, 3] {
            let found = best_policy(&pop, k, l, &[], seed);
            assert!(
                found.value <= c.upper,
                "{id}: {} > {}",
                found.value,
                c.upper
            );
        }
        // The certificate's lower bound starts from that search (with more starts).
        let found = best_policy(&pop, k, l, &[], 1);
        assert!(c.lower >= found.value - 1e-9);
    }
}

#[test]
fn exact_and_outward_rounded_bounds_agree_on_every_leaf() {
    let pop = preset("dots");
    let p = problem(&pop, 3, 2);
    let c = certify(&p, opts(1e-4));
    let mut leaves = 0;
    walk(Cell::root(4), &mut Tokens::new(&c.cells.tree), &mut |e| {
        if let Event::Leaf { cell, multiset, .. } = e {
            let exact = BigRational::new(
                p.exact.leaf_numerator(cell, multiset),
                p.exact.scale().clone(),
            );
            let hi = BigRational::from_float(p.interval.leaf_upper(cell, multiset)).unwrap();
            assert!(exact <= hi);
            assert!((&hi - &exact).to_f64().unwrap() < 1e-13);
            leaves += 1;
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(leaves, c.cells.leaves);
}

#[test]
fn the_exact_fallback_accepts_an_upper_at_the_exact_maximum() {
    let pop = two("51", "49");
    let p = problem(&pop, 2, 2);
    let mut c = certify(&p, opts(1e-6));
    let mut max: Option<BigRational> = None;
    walk(Cell::root(2), &mut Tokens::new(&c.cells.tree), &mut |e| {
        if let Event::Leaf { cell, multiset, .. } = e {
            let v = BigRational::new(
                p.exact.leaf_numerator(cell, multiset),
                p.exact.scale().clone(),
            );
            if max.as_ref().is_none_or(|m| v > *m) {
                max = Some(v);
            }
        }
        Ok(())
    })
    .unwrap();
    let max = max.unwrap();
    assert!(max < rational(&c.upper_exact).unwrap());
    c.upper_exact = max.to_string();
    verify(&c).unwrap();
    // One unit below it in the last place of the numerator's scale, a leaf fails.
    c.upper_exact = (&max - BigRational::new(1.into(), p.exact.scale().clone())).to_string();
    assert!(matches!(verify(&c), Err(Refusal::DoesNotHold(_))));
}

fn without_seconds(mut c: Certificate) -> Certificate {
    c.seconds = 0.0;
    c.check_seconds = 0.0;
    c
}

#[test]
fn shards_merge_into_the_whole_run_and_slices_give_the_same_run() {
    let pop = preset("dots");
    let p = problem(&pop, 2, 2);
    let whole = certify(&p, opts(1e-5));
    let shards: Vec<Certificate> = [3, 1, 2]
        .iter()
        .map(|&i| {
            let c = certify(
                &p,
                Options {
                    shard: Shard { index: i, count: 3 },
                    ..opts(1e-5)
                },
            );
            verify(&c).unwrap();
            assert!(!verify(&c).unwrap().whole);
            c
        })
        .collect();
    assert_eq!(
        without_seconds(merge(&shards).unwrap()),
        without_seconds(whole.clone())
    );
    assert!(merge(&shards[..2]).is_err());
    // The same run in slices of 7 pieces of work.
    let mut run = CertifySearch::new(&p, opts(1e-5));
    let mut slices = 0;
    while !run.advance(&p, &mut {
        let mut left = 7;
        move || {
            left -= 1;
            left >= 0
        }
    }) {
        slices += 1;
    }
    assert!(slices > 10);
    let (start, results, maxima) = run.outcome().unwrap();
    assert_eq!(assemble(&p, &opts(1e-5), start, results, maxima), whole);
}

#[test]
fn tampered_copies_are_refused() {
    let p = problem(&preset("condorcet-cycle"), 2, 2);
    let c = certify(&p, opts(1e-4));
    assert!(verify(&c).unwrap().whole);
    let holds_not = |c: &Certificate| matches!(verify(c), Err(Refusal::DoesNotHold(_)));
    let mut t = c.clone();
    let lowered = rational(&t.upper_exact).unwrap() - BigRational::new(1.into(), 1_000_000.into());
    t.upper_exact = lowered.to_string();
    t.upper = lowered.to_f64().unwrap().next_up();
    assert!(holds_not(&t), "lowered upper");
    let mut t = c.clone();
    let at = t
        .cells
        .tree
        .rfind(|ch: char| ch.is_ascii_lowercase())
        .unwrap();
    t.cells.tree.replace_range(at.., "0.");
    assert!(holds_not(&t), "a split replaced by a leaf");
    let mut t = c.clone();
    let end = t.cells.tree.len();
    let last = t.cells.tree[..end - 1].rfind('.').unwrap();
    t.cells.tree.truncate(last + 1);
    assert!(holds_not(&t), "a removed cell");
    let mut t = c.clone();
    t.profile.population[0].weight = "2".into();
    assert!(holds_not(&t), "a changed weight");
    let mut t = c.clone();
    t.policy.swap(0, 1);
    t.policy[0] = "1/2".into();
    t.policy[1] = "1/4".into();
    t.policy[2] = "1/4".into();
    assert!(holds_not(&t), "a changed policy");
    let mut t = c.clone();
    t.lower_exact = "1/2".into();
    assert!(holds_not(&t), "a lower that is not the policy's worst case");
    let mut t = c.clone();
    t.k = 40;
    assert!(
        matches!(verify(&t), Err(Refusal::Malformed(_))),
        "k out of range"
    );
    let mut t = c;
    t.profile.population[0].weight = "x".into();
    assert!(
        matches!(verify(&t), Err(Refusal::Malformed(_))),
        "weight not a number"
    );
}

#[test]
fn limits_are_named() {
    let p = ExactProfile::from_population(&preset("tshirt"));
    assert!(Problem::new(p, 2, 2).unwrap_err().contains("outside 2..=6"));
    let p = ExactProfile::from_population(&preset("dots"));
    assert!(Problem::new(p.clone(), 33, 1).is_err());
    assert!(Problem::new(p.clone(), 2, 4).is_err());
    assert!(Problem::new(p, 0, 1).is_err());
}

/// Every certificate kept in `tests/cases/certified/` (the open question's table) holds, covers
/// the simplex, and is about the profile of the case file beside it.
#[test]
fn stored_certificates_hold_for_the_profiles_beside_them() {
    let dir = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/cases/certified"
    ));
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let Some(stem) = name.strip_suffix(".cert.json") else {
            continue;
        };
        let cert: Certificate =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let report = verify(&cert).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert!(report.whole, "{name}");
        assert!(!cert.limit_reached, "{name}");
        assert!(cert.upper - cert.lower <= cert.tol + 1e-12, "{name}");
        let (case, prefs) = ualign::case::read_case(&dir.join(format!("{stem}.json"))).unwrap();
        assert_eq!((case.k[0], case.l[0]), (cert.k, cert.l), "{name}");
        let pop = ualign::case::game_population(&prefs).unwrap().0;
        let profile = ExactProfile::from_population(&pop);
        let weights: Vec<BigRational> = cert
            .profile
            .population
            .iter()
            .map(|v| rational(&v.weight).unwrap())
            .collect();
        assert_eq!(weights, profile.weights, "{name}");
        let rankings: Vec<Vec<Vec<usize>>> = cert
            .profile
            .population
            .iter()
            .map(|v| v.ranking.0.clone())
            .collect();
        assert_eq!(rankings, profile.rankings, "{name}");
        count += 1;
    }
    assert!(count >= 10, "{count} certificates");
}

/// The two checks timed on every leaf of the benchmark profile's certificates (BENCHMARKS.md):
/// `cargo test --release -p ualign --test certify -- --ignored --nocapture`.
#[test]
#[ignore]
fn bench_exact_against_outward_rounded_check() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/certified");
    let (_, prefs) = ualign::case::read_case(std::path::Path::new(&format!(
        "{dir}/gap_n4_k2_l2_seed1_e15581.json"
    )))
    .unwrap();
    let p = problem(&ualign::case::game_population(&prefs).unwrap().0, 2, 2);
    for tol in [1e-5, 1e-6] {
        let c = certify(&p, opts(tol));
        let mut leaves = Vec::new();
        walk(Cell::root(4), &mut Tokens::new(&c.cells.tree), &mut |e| {
            if let Event::Leaf { cell, multiset, .. } = e {
                leaves.push((*cell, multiset));
            }
            Ok(())
        })
        .unwrap();
        let t = std::time::Instant::now();
        let exact = leaves
            .iter()
            .map(|(c, j)| p.exact.leaf_numerator(c, *j))
            .max()
            .unwrap();
        let exact_s = t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();
        let float = leaves
            .iter()
            .map(|(c, j)| p.interval.leaf_upper(c, *j))
            .fold(f64::NEG_INFINITY, f64::max);
        let float_s = t.elapsed().as_secs_f64();
        let exact = BigRational::new(exact, p.exact.scale().clone());
        assert!(exact <= BigRational::from_float(float).unwrap());
        println!(
            "tol {tol:e}: {} leaves, exact {exact_s:.3} s, outward-rounded floats {float_s:.3} s, max exact {:.12} float {float:.12}",
            leaves.len(),
            exact.to_f64().unwrap()
        );
    }
}

#[test]
fn weights_are_the_decimals_written() {
    let r = |p: i64, q: i64| BigRational::new(p.into(), q.into());
    assert_eq!(decimal("0.51"), Some(r(51, 100)));
    assert_eq!(decimal("2.5e-3"), Some(r(1, 400)));
    assert_eq!(decimal("12"), Some(r(12, 1)));
    assert_eq!(decimal(".5"), Some(r(1, 2)));
    assert_eq!(rational("3/6"), Some(r(1, 2)));
    for bad in ["", ".", "e5", "1e", "0x1", "1/0", "--1", "1.2.3"] {
        assert_eq!(rational(bad), None, "{bad:?}");
    }
    // A weight the population holds as the f64 nearest 0.51 is the decimal 0.51; one with 17
    // significant digits (as gap-search prints) is that decimal too.
    let pop = two("0.51", "0.09359670426609412");
    let w = ExactProfile::from_population(&pop).weights;
    assert_eq!(w[0], r(51, 100));
    assert_eq!(w[1], decimal("0.09359670426609412").unwrap());
}

#[test]
fn a_cell_budget_stops_early_says_so_and_still_certifies() {
    let p = problem(&preset("dots"), 3, 2);
    let c = certify(
        &p,
        Options {
            tol: 1e-9,
            max_cells: 5,
            shard: Shard::WHOLE,
        },
    );
    assert_eq!(c.stop, "max cells");
    assert!(c.limit_reached);
    assert!(c.width > 1e-9);
    assert!(c.cells.examined <= 5 * 64);
    verify(&c).unwrap();
    // The wider enclosure contains the finer one.
    let fine = certify(&p, opts(1e-5));
    assert!(c.lower <= fine.upper && fine.lower <= c.upper && c.upper >= fine.upper);
}
