//! Every shared reference case (values from pref_voting, pygambit and numpy) within the
//! tolerances it states, through the same evaluation `ualign eval` prints.

use serde_json::Value;
use std::path::{Path, PathBuf};
use ualign::case::{evaluate, read_case};

fn case_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "the reference cases are missing");
    files
}

fn tol(case: &Value, key: &str) -> f64 {
    case["tolerances"][key]
        .as_f64()
        .unwrap_or_else(|| panic!("tolerance {key}"))
}

fn close(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, expected {want} (tolerance {tol})"
    );
}

#[test]
fn every_reference_case_agrees() {
    for path in case_files() {
        let (input, prefs) = read_case(&path).unwrap();
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let name = input.name.clone();
        let result = evaluate(&prefs, &input.k, &input.l).unwrap();
        let e = &case["expected"];

        let want_p = e["pairwise"].as_array().unwrap();
        assert_eq!(result.n, want_p.len(), "{name}: n");
        for (i, row) in want_p.iter().enumerate() {
            for (j, x) in row.as_array().unwrap().iter().enumerate() {
                close(
                    result.pairwise[i][j],
                    x.as_f64().unwrap(),
                    tol(&case, "pairwise").max(1e-12),
                    &format!("{name}: P[{i}][{j}]"),
                );
            }
        }
        assert_eq!(
            result.condorcet_winner,
            e["condorcet_winner"].as_u64().map(|c| c as usize),
            "{name}: Condorcet winner"
        );
        if let Some(ml) = e["maximal_lottery"].as_array() {
            for (y, x) in ml.iter().enumerate() {
                close(
                    result.maximal_lottery[y],
                    x.as_f64().unwrap(),
                    tol(&case, "maximal_lottery"),
                    &format!("{name}: maximal lottery[{y}]"),
                );
            }
        }
        if let Some(nlhf) = e["nlhf"].as_object() {
            for (k, v) in nlhf {
                close(
                    result.nlhf[k].robust_win_rate,
                    v["robust_win_rate"].as_f64().unwrap(),
                    tol(&case, "nlhf_robust_win_rate"),
                    &format!("{name}: NLHF W_{k}"),
                );
            }
        }
        for (k, v) in e["alignment_game"].as_object().unwrap() {
            let got = &result.alignment_game[k];
            let kk: f64 = k.parse().unwrap();
            assert!(
                got.exploitability <= tol(&case, "alignment_game_exploitability_max"),
                "{name}: k = {k} exploitability {}",
                got.exploitability
            );
            assert!(
                got.robust_win_rate >= kk / (kk + 1.0) - 1e-9,
                "{name}: k = {k} guarantee"
            );
            close(
                got.robust_win_rate,
                v["robust_win_rate"].as_f64().unwrap(),
                tol(&case, "alignment_game_robust_win_rate"),
                &format!("{name}: game W_{k}"),
            );
            for (y, x) in v["policy"].as_array().unwrap().iter().enumerate() {
                close(
                    got.policy[y],
                    x.as_f64().unwrap(),
                    tol(&case, "alignment_game_policy"),
                    &format!("{name}: k = {k} policy[{y}]"),
                );
            }
            if let Some(vs) = v["vs_l"].as_object() {
                for (l, x) in vs {
                    close(
                        got.vs_l[l],
                        x.as_f64().unwrap(),
                        tol(&case, "vs_l"),
                        &format!("{name}: k = {k} vs l = {l}"),
                    );
                }
            }
        }
    }
}
