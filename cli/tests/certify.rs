//! `ualign certify`, `verify` and `merge`: verify accepts what certify writes and refuses
//! tampered copies with exit 3, bad input exits 2 with one line, shards run side by side
//! merge into the unsharded run, and `gap-search --certify` certifies the profile it prints.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ualign(args: &[&str]) -> (i32, String, String) {
    let out = run(args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ualign"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ualign-cli-certify-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn read(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn write(path: &Path, v: &serde_json::Value) {
    std::fs::write(path, serde_json::to_string(v).unwrap()).unwrap();
}

/// One line on stderr, and the exit code.
fn refusal(args: &[&str]) -> (i32, String) {
    let (code, _, err) = ualign(args);
    assert_eq!(err.lines().count(), 1, "{err}");
    (code, err)
}

#[test]
fn verify_accepts_what_certify_writes_and_refuses_tampered_copies() {
    let cert = scratch("cycle.json");
    let (code, out, err) = ualign(&[
        "certify",
        "--preset",
        "condorcet-cycle",
        "--k",
        "2",
        "--l",
        "2",
        "--tol",
        "1e-4",
        "--threads",
        "1",
        "-o",
        cert.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    let doc = read(&cert);
    for key in [
        "k",
        "l",
        "lower",
        "upper",
        "lower_exact",
        "upper_exact",
        "policy",
        "profile",
        "cells",
        "seconds",
        "limit_reached",
    ] {
        assert!(doc.get(key).is_some(), "{key}");
    }
    assert_eq!(doc["limit_reached"], false);
    let (code, out, _) = ualign(&["verify", cert.to_str().unwrap()]);
    assert_eq!(code, 0);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["holds"], true);
    assert_eq!(report["covers"], "the simplex");
    assert_eq!(report["leaves"], doc["cells"]["leaves"]);

    let tampered = scratch("tampered.json");
    let check = |v: &serde_json::Value, what: &str| {
        write(&tampered, v);
        let (code, err) = refusal(&["verify", tampered.to_str().unwrap()]);
        assert_eq!(code, 3, "{what}: {err}");
        assert!(err.contains("does not hold"), "{what}: {err}");
    };
    let mut t = doc.clone();
    let upper = t["upper"].as_f64().unwrap() - 1e-6;
    t["upper"] = upper.into();
    t["upper_exact"] = format!("{upper}").into();
    check(&t, "lowered upper");
    let mut t = doc.clone();
    let tree = t["cells"]["tree"].as_str().unwrap().to_string();
    let cut = tree[..tree.len() - 1].rfind('.').unwrap();
    t["cells"]["tree"] = tree[..=cut].into();
    check(&t, "a removed cell");
    let mut t = doc.clone();
    t["profile"]["population"][0]["weight"] = "3".into();
    check(&t, "a changed weight");
    let mut t = doc.clone();
    t["policy"] = serde_json::json!(["1/2", "1/4", "1/4"]);
    check(&t, "a changed policy");

    let mut t = doc.clone();
    t["k"] = 99.into();
    write(&tampered, &t);
    assert_eq!(
        refusal(&["verify", tampered.to_str().unwrap()]).0,
        2,
        "k out of range"
    );
    std::fs::write(&tampered, "{\"format\": ").unwrap();
    assert_eq!(
        refusal(&["verify", tampered.to_str().unwrap()]).0,
        2,
        "malformed"
    );
    let mut t = doc;
    t.as_object_mut().unwrap().remove("cells");
    write(&tampered, &t);
    assert_eq!(
        refusal(&["verify", tampered.to_str().unwrap()]).0,
        2,
        "a field missing"
    );
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    for args in [
        &["certify", "--preset", "dots", "--k", "0", "--l", "1"][..],
        &["certify", "--preset", "dots", "--k", "2", "--l", "4"],
        &["certify", "--preset", "dots", "--k", "33", "--l", "1"],
        &["certify", "--preset", "tshirt", "--k", "2", "--l", "2"],
        &[
            "certify", "--preset", "dots", "--k", "2", "--l", "2", "--tol", "0",
        ],
        &[
            "certify", "--preset", "dots", "--k", "2", "--l", "2", "--shard", "3/2",
        ],
        &[
            "certify", "--preset", "dots", "--k", "2", "--l", "2", "--shard", "x",
        ],
        &["verify", "no-such-certificate.json"],
        &["merge", "no-such-certificate.json"],
    ] {
        let (code, err) = refusal(args);
        assert_eq!(code, 2, "{args:?}: {err}");
    }
}

#[test]
fn shards_run_side_by_side_merge_into_the_unsharded_run() {
    let base = [
        "certify",
        "--preset",
        "dots",
        "--k",
        "3",
        "--l",
        "2",
        "--tol",
        "1e-4",
        "--threads",
        "1",
    ];
    let whole = scratch("whole.json");
    let mut args = base.to_vec();
    args.extend(["-o", whole.to_str().unwrap()]);
    assert_eq!(ualign(&args).0, 0);
    let shards: Vec<PathBuf> = (1..=3)
        .map(|i| scratch(&format!("shard{i}.json")))
        .collect();
    let children: Vec<_> = shards
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let shard = format!("{}/3", i + 1);
            let mut args = base.to_vec();
            args.extend(["--shard", &shard, "-o", path.to_str().unwrap()]);
            Command::new(env!("CARGO_BIN_EXE_ualign"))
                .args(&args)
                .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    for s in &shards {
        let (code, out, _) = ualign(&["verify", s.to_str().unwrap()]);
        assert_eq!(code, 0);
        assert!(out.contains("this shard's subtrees"));
    }
    let merged = scratch("merged.json");
    let (code, _, err) = ualign(&[
        "merge",
        shards[2].to_str().unwrap(),
        shards[0].to_str().unwrap(),
        shards[1].to_str().unwrap(),
        "-o",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let strip = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("seconds");
        v.as_object_mut().unwrap().remove("check_seconds");
        v
    };
    assert_eq!(strip(read(&merged)), strip(read(&whole)));
    assert_eq!(ualign(&["verify", merged.to_str().unwrap()]).0, 0);
    let (code, err) = refusal(&[
        "merge",
        shards[0].to_str().unwrap(),
        shards[1].to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn gap_search_certifies_the_profile_it_prints() {
    let (cert, out) = (scratch("gap-cert.json"), scratch("gap.json"));
    let (code, _, err) = ualign(&[
        "gap-search",
        "--n",
        "3",
        "--k",
        "2",
        "--l",
        "2",
        "--target",
        "best",
        "--seed",
        "3",
        "--threads",
        "1",
        "--evaluations",
        "20",
        "--certify",
        cert.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let doc = read(&out);
    let certified = &doc["gap_search"]["certified"];
    let best = doc["gap_search"]["best"]["value"].as_f64().unwrap();
    assert!(certified["upper"].as_f64().unwrap() >= best);
    assert_eq!(ualign(&["verify", cert.to_str().unwrap()]).0, 0);
    // The printed profile, certified again from the file, gives the same certificate.
    let again = scratch("gap-again.json");
    assert_eq!(
        ualign(&[
            "certify",
            out.to_str().unwrap(),
            "--k",
            "2",
            "--l",
            "2",
            "--tol",
            "1e-4",
            "-o",
            again.to_str().unwrap()
        ])
        .0,
        0
    );
    let strip = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("seconds");
        v.as_object_mut().unwrap().remove("check_seconds");
        v
    };
    assert_eq!(strip(read(&cert)), strip(read(&again)));
}
