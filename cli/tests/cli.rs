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
            "condorcet_winner",
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
            "exploitability",
            "players",
            "policy",
            "robust_win_rate",
            "vs_l"
        ]
    );
    assert_eq!(g["players"], 5);
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
    assert_eq!(lines[0], "k,method,robust_win_rate,exploitability");
    assert_eq!(lines.len(), 1 + 4 * 4);
    let game4 = lines
        .iter()
        .find(|l| l.starts_with("4,alignment-game,"))
        .unwrap();
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
        vec!["eval"],
        vec!["eval", "/nonexistent/case.json"],
        vec!["eval", bad_json.to_str().unwrap()],
        vec!["eval", bad_rank.to_str().unwrap()],
        vec!["eval", big_k.to_str().unwrap()],
        vec!["sweep", "--preset", "no-such-preset"],
        vec!["sweep", "--preset", "tshirt", "--k-max", "zero"],
        vec!["bench", "--impartial-culture", "10"],
        vec!["frobnicate"],
    ] {
        let (code, out, err) = ualign(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{args:?}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("ualign: "), "{err}");
    }
}
