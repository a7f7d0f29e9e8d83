//! The `ualign` binary: output shape of eval, sweep CSV, bench's last line, and bad input.

use std::process::Command;

fn ualign(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ualign"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn eval_prints_exactly_the_documented_keys() {
    let (code, out, _) = ualign(&["eval", "core/tests/cases/condorcet_diverse_minority.json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "alignment_game",
            "best_l",
            "condorcet_winner",
            "fixed_set",
            "game_kl",
            "labels",
            "maximal_lottery",
            "n",
            "nlhf",
            "pairwise"
        ]
    );
    assert_eq!(v["n"], 4);
    assert_eq!(v["condorcet_winner"], 0);
    let g = &v["alignment_game"]["4"];
    let mut gk: Vec<&str> = g.as_object().unwrap().keys().map(String::as_str).collect();
    gk.sort_unstable();
    assert_eq!(
        gk,
        [
            "certified",
            "exploitability",
            "players",
            "policy",
            "robust_win_rate",
            "solution",
            "vs_l"
        ]
    );
    assert_eq!(g["players"], 5);
    assert_eq!(g["certified"], true);
    assert_eq!(g["solution"], "exact");
    assert!(g["exploitability"].as_f64().unwrap() <= ualign::equilibrium::TARGET_EXPLOITABILITY);
    assert!((g["vs_l"]["2"].as_f64().unwrap() - 0.6000317644740621).abs() < 1e-5);
    assert!((v["nlhf"]["8"]["robust_win_rate"].as_f64().unwrap() - 0.75).abs() < 1e-9);
}

#[test]
fn eval_of_a_matrix_case_reports_the_fit() {
    let dir = std::env::temp_dir().join(format!("ualign-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let case = dir.join("cycle.json");
    // The 3-voter Condorcet cycle as a matrix: realizable, so the fit is exact.
    std::fs::write(
        &case,
        r#"{"name":"m","matrix":[[0.5,0.6666666666666666,0.3333333333333333],[0.3333333333333333,0.5,0.6666666666666666],[0.6666666666666666,0.3333333333333333,0.5]],"k":[1,2],"l":[1]}"#,
    )
    .unwrap();
    let (code, out, err) = ualign(&["eval", case.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["fit"]["max_residual"].as_f64().unwrap() < 1e-9);
    assert!(!v["fit"]["population"].as_array().unwrap().is_empty());
    for p in v["alignment_game"]["2"]["policy"].as_array().unwrap() {
        assert!((p.as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-6);
    }
}

#[test]
fn sweep_writes_four_methods_per_k() {
    let (code, out, _) = ualign(&["sweep", "--preset", "majority-51-49", "--k-max", "4"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "k,method,robust_win_rate,exploitability,policy");
    assert_eq!(lines.len(), 1 + 4 * 4);
    let game4 = lines
        .iter()
        .find(|l| l.starts_with("4,alignment-game,"))
        .unwrap();
    // The equilibrium is certified (exploitability within 1e-13), so it is called exact.
    assert!(game4.ends_with(",\"equilibrium, exact\""), "{game4}");
    let w: f64 = game4.split(',').nth(2).unwrap().parse().unwrap();
    assert!((w - 0.8).abs() < 1e-9);
    let nlhf4 = lines.iter().find(|l| l.starts_with("4,nlhf,")).unwrap();
    let w: f64 = nlhf4.split(',').nth(2).unwrap().parse().unwrap();
    assert!((w - 0.51).abs() < 1e-9);
}

#[test]
fn bench_ends_with_the_payoff_time() {
    let (code, out, _) = ualign(&["bench", "--preset", "tshirt", "--k", "3", "--reps", "20"]);
    assert_eq!(code, 0);
    let last = out.lines().last().unwrap();
    let secs: f64 = last
        .strip_prefix("payoff_eval_seconds=")
        .unwrap()
        .parse()
        .unwrap();
    assert!(secs > 0.0 && secs.is_finite());
}

#[test]
fn bad_input_is_one_line_on_stderr_and_exit_2() {
    let dir = std::env::temp_dir().join(format!("ualign-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad_json = dir.join("bad.json");
    std::fs::write(&bad_json, "{ not json").unwrap();
    let bad_rank = dir.join("rank.json");
    std::fs::write(
        &bad_rank,
        r#"{"population":[{"weight":1,"ranking":[0,0]}],"labels":["a","b"],"k":[1]}"#,
    )
    .unwrap();
    let big_k = dir.join("k.json");
    std::fs::write(
        &big_k,
        r#"{"population":[{"weight":1,"ranking":[0,1]}],"k":[5000]}"#,
    )
    .unwrap();
    for args in [
        vec!["eval", "/nonexistent/case.json"],
        vec!["eval", bad_json.to_str().unwrap()],
        vec!["eval", bad_rank.to_str().unwrap()],
        vec!["eval", big_k.to_str().unwrap()],
        vec!["sweep", "--preset", "no-such-preset"],
        vec!["sweep", "--preset", "tshirt", "--k-max", "1000"],
        vec!["bench", "--impartial-culture", "0", "10", "1"],
        vec!["gap-search", "--n", "9", "--k", "2", "--l", "2"],
        vec!["gap-search", "--n", "3", "--k", "2", "--l", "5"],
        vec!["phase", "--family", "weight:0"],
        vec![
            "phase",
            "--family",
            "weight:9",
            "--preset",
            "majority-51-49",
        ],
    ] {
        let (code, out, err) = ualign(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{args:?}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("ualign: "), "{err}");
    }
}

#[test]
fn a_usage_error_says_what_is_wrong_then_shows_the_commands_help() {
    for (args, usage) in [
        (vec!["eval"], "Usage: ualign eval"),
        (
            vec!["sweep", "--preset", "tshirt", "--k-max", "zero"],
            "Usage: ualign sweep",
        ),
        (
            vec!["bench", "--impartial-culture", "10"],
            "Usage: ualign bench",
        ),
        (vec!["gap-search", "--n", "3"], "Usage: ualign gap-search"),
        (vec!["frobnicate"], "Usage: ualign <COMMAND>"),
        (vec![], "Usage: ualign <COMMAND>"),
    ] {
        let (code, out, err) = ualign(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{args:?}");
        let first = err.lines().next().unwrap();
        assert!(
            first.starts_with("ualign: ") && first.len() > 10,
            "{args:?}: {first}"
        );
        assert!(err.contains(usage), "{args:?}: {err}");
    }
    let (code, out, _) = ualign(&["gap-search", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("--evaluations") && out.contains("--threads"));
    let (code, out, _) = ualign(&["--version"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("ualign "));
}

#[path = "../../core/tests/common/brute_force.rs"]
mod brute_force;

/// W_{k,l} of a policy on a case's population, by enumerating every sample and every opponent
/// multiset (independently of the library's payoff kernels and of the search).
fn worst_against(case: &std::path::Path, policy: &[f64], k: usize, l: usize) -> f64 {
    let (_, prefs) = ualign::case::read_case(case).unwrap();
    let (pop, _) = ualign::case::game_population(&prefs).unwrap();
    brute_force::worst_against(&pop, policy, k, l).0
}

#[test]
fn every_best_l_value_recomputes_from_its_printed_policy() {
    let case = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/cases/majority_51_49.json"
    );
    let (code, out, err) = ualign(&["eval", case, "-o", "/dev/stdout"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut checked = 0;
    for (k, by_l) in v["best_l"].as_object().unwrap() {
        for (l, best) in by_l.as_object().unwrap() {
            let (k, l): (usize, usize) = (k.parse().unwrap(), l.parse().unwrap());
            let policy: Vec<f64> = serde_json::from_value(best["policy"].clone()).unwrap();
            let value = best["value"].as_f64().unwrap();
            assert_eq!(best["kind"], "lower bound (local search)");
            assert!(
                (worst_against(std::path::Path::new(case), &policy, k, l) - value).abs() < 1e-12
            );
            let game_kl = v["game_kl"][k.to_string()][l.to_string()].as_f64().unwrap();
            assert!(value <= k as f64 / (k + l) as f64 + 1e-9);
            assert!(game_kl <= k as f64 / (k + l) as f64 + 1e-9);
            checked += 1;
        }
    }
    assert!(checked >= 3, "{checked} values");
}

#[test]
fn gap_search_replays_and_hands_back_a_case_that_eval_reads() {
    let dir = std::env::temp_dir().join(format!("ualign-gap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("worst.json");
    let args = [
        "gap-search",
        "--n",
        "3",
        "--k",
        "2",
        "--l",
        "2",
        "--evaluations",
        "40",
        "--threads",
        "2",
        "--seed",
        "4",
    ];
    let (code, first, err) = ualign(&args);
    assert_eq!(code, 0, "{err}");
    let mut with_file = args.to_vec();
    with_file.extend(["--output", file.to_str().unwrap()]);
    let (code, out, _) = ualign(&with_file);
    assert_eq!(code, 0);
    assert!(out.is_empty());
    let again = std::fs::read_to_string(&file).unwrap();
    let a: serde_json::Value = serde_json::from_str(&first).unwrap();
    let b: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(
        a["population"], b["population"],
        "same seed, threads and evaluations"
    );
    assert_eq!(a["gap_search"]["value"], b["gap_search"]["value"]);
    // The case opens in eval, and its values recompute from the printed policies.
    let (code, eval, err) = ualign(&["eval", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let e: serde_json::Value = serde_json::from_str(&eval).unwrap();
    let g = &a["gap_search"];
    let game = g["game"]["value"].as_f64().unwrap();
    assert!((e["alignment_game"]["2"]["vs_l"]["2"].as_f64().unwrap() - game).abs() < 1e-9);
    for side in ["game", "nlhf", "best"] {
        let policy: Vec<f64> = serde_json::from_value(g[side]["policy"].clone()).unwrap();
        let value = g[side]["value"].as_f64().unwrap();
        let worst = worst_against(&file, &policy, 2, 2);
        assert!(
            (worst - value).abs() < 1e-12,
            "{side}: printed {value}, the printed policy's worst case {worst}"
        );
    }
    let best = g["best"]["value"].as_f64().unwrap();
    assert_eq!(
        g["value"].as_f64().unwrap(),
        game,
        "the target is the game's value"
    );
    let lo = g["interval"][0].as_f64().unwrap();
    assert!(game >= lo - 1e-9 && best >= game - 1e-12 && best <= 0.5 + 1e-9);
}

#[test]
fn phase_writes_the_grid_as_csv() {
    let (code, out, err) = ualign(&["phase", "--k-max", "12", "--columns", "6"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1 + 6 * 12);
    // p = 0.99 (the last column): pure up to k = 98, so pure at every k here.
    for l in lines
        .iter()
        .filter(|l| l.starts_with("two-responses,0.99,"))
    {
        assert_eq!(l.split(',').nth(3), Some("1"), "{l}");
    }
    let (code, out, _) = ualign(&[
        "phase",
        "--family",
        "weight:2",
        "--preset",
        "condorcet-diverse-minority",
        "--k-max",
        "4",
        "--columns",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["cells"].as_array().unwrap().len(), 12);
}

#[test]
fn simulate_agrees_with_eval() {
    let case = "core/tests/cases/apa_1998_complete.json";
    let (code, out, err) = ualign(&["eval", case]);
    assert_eq!(code, 0, "{err}");
    let e: serde_json::Value = serde_json::from_str(&out).unwrap();
    for k in ["1", "2", "4"] {
        let (code, out, err) = ualign(&[
            "simulate", case, "--k", k, "--rounds", "20000", "--seed", "3",
        ]);
        assert_eq!(code, 0, "{err}");
        let s: serde_json::Value = serde_json::from_str(&out).unwrap();
        let mut keys: Vec<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["alignment_game", "fixed_set", "k", "nlhf", "rounds", "seed"]
        );
        let g = &s["alignment_game"];
        let mut gk: Vec<&str> = g.as_object().unwrap().keys().map(String::as_str).collect();
        gk.sort_unstable();
        assert_eq!(
            gk,
            [
                "challenger",
                "empirical",
                "exact",
                "interval",
                "policy",
                "wins"
            ]
        );
        // With the default challenger (each policy's worst), the exact value is eval's robust one.
        let robust = e["alignment_game"][k]["robust_win_rate"].as_f64().unwrap();
        assert!((g["exact"].as_f64().unwrap() - robust).abs() < 1e-12);
        let nlhf = e["nlhf"][k]["robust_win_rate"].as_f64().unwrap();
        assert!((s["nlhf"]["exact"].as_f64().unwrap() - nlhf).abs() < 1e-12);
        assert_eq!(s["fixed_set"]["set"], e["fixed_set"][k]["set"]);
        assert_eq!(
            s["fixed_set"]["robust_win_rate"],
            e["fixed_set"][k]["robust_win_rate"]
        );
        // The tally's interval holds the exact value (20,000 rounds, 95%: a failure is rare and
        // the seed is fixed).
        let (lo, hi) = (
            g["interval"][0].as_f64().unwrap(),
            g["interval"][1].as_f64().unwrap(),
        );
        assert!(lo <= robust && robust <= hi, "{lo} {robust} {hi}");
        assert_eq!(
            g["wins"].as_f64().unwrap() / 20000.0,
            g["empirical"].as_f64().unwrap()
        );
    }
    let (code, out, _) = ualign(&[
        "simulate",
        "--preset",
        "majority-51-49",
        "--k",
        "2",
        "--set",
        "0,1",
        "--challenger",
        "1,1",
    ]);
    assert_eq!(code, 0);
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    // Showing both responses to 51% A > B and 49% B > A: against A, A's voters split the tie
    // and B's pick ours; against B the reverse. The worst is 0.51 / 2 + 0.49 = 0.745.
    assert_eq!(s["fixed_set"]["robust_win_rate"].as_f64().unwrap(), 0.745);
    assert_eq!(s["nlhf"]["challenger"], serde_json::json!([1, 1]));
    for args in [
        vec![
            "simulate",
            "--preset",
            "majority-51-49",
            "--k",
            "2",
            "--challenger",
            "0,1,0,1",
        ],
        vec![
            "simulate",
            "--preset",
            "majority-51-49",
            "--k",
            "2",
            "--challenger",
            "5",
        ],
        vec![
            "simulate",
            "--preset",
            "majority-51-49",
            "--k",
            "2",
            "--set",
            "0",
        ],
        vec!["simulate", "--preset", "majority-51-49", "--k", "0"],
    ] {
        let (code, out, err) = ualign(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
}

/// The gap-search findings kept in the repository (`core/tests/cases/gap/`).
fn kept_gap_cases() -> Vec<std::path::PathBuf> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/cases/gap");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_short_kept_gap_searches_replay_byte_for_byte() {
    let mut replayed = 0;
    for file in kept_gap_cases() {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with("_short.json") {
            continue;
        }
        let kept = std::fs::read_to_string(&file).unwrap();
        let v: serde_json::Value = serde_json::from_str(&kept).unwrap();
        let replay = v["gap_search"]["replay"].as_str().unwrap();
        let args: Vec<&str> = replay.split_whitespace().skip(1).collect();
        assert!(
            args.contains(&"--evaluations") && args.contains(&"--seed"),
            "{replay}"
        );
        let (code, out, err) = ualign(&args);
        assert_eq!(code, 0, "{name}: {err}");
        assert_eq!(
            out, kept,
            "{name}: `{replay}` no longer prints the kept document"
        );
        replayed += 1;
    }
    assert_eq!(replayed, 2, "the game and best targets");
}

#[test]
fn eval_reads_every_kept_gap_case_and_agrees_with_its_values() {
    let files = kept_gap_cases();
    assert!(files.len() >= 3, "{} kept cases", files.len());
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let (code, out, err) = ualign(&["eval", file.to_str().unwrap()]);
        assert_eq!(code, 0, "{name}: {err}");
        let e: serde_json::Value = serde_json::from_str(&out).unwrap();
        let kept: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let (k, l) = (
            kept["k"][0].as_u64().unwrap(),
            kept["l"][0].as_u64().unwrap(),
        );
        let g = &kept["gap_search"];
        if g.is_null() {
            continue;
        }
        let (k, l) = (k.to_string(), l.to_string());
        if g["players"].as_u64() == Some(kept["k"][0].as_u64().unwrap() + 1) {
            let game = g["game"]["value"].as_f64().unwrap();
            let evaluated = e["alignment_game"][&k]["vs_l"][&l].as_f64().unwrap();
            assert!(
                (evaluated - game).abs() < 1e-9,
                "{name}: {evaluated} vs {game}"
            );
        }
        let k_plus_l = g["k_plus_l"].as_f64().unwrap();
        assert!(
            (e["game_kl"][&k][&l].as_f64().unwrap() - k_plus_l).abs() < 1e-9,
            "{name}"
        );
        // The printed best policy's value, recomputed by the library from the case.
        let policy: Vec<f64> = serde_json::from_value(g["best"]["policy"].clone()).unwrap();
        let (kk, ll) = (k.parse().unwrap(), l.parse().unwrap());
        let best = g["best"]["value"].as_f64().unwrap();
        assert!(
            (worst_against(&file, &policy, kk, ll) - best).abs() < 1e-12,
            "{name}"
        );
    }
}
