//! Readers: shipped data parses to the documented sizes, malformed input is refused with the
//! right line, ties and incomplete ballots become the right classes, comparisons give win
//! fractions on an exact maximum clique.

use ualign::model::{PairwiseMatrix, Population, Preferences, Ranking};
use ualign::readers::{
    read_any, read_comparisons_csv, read_matrix_csv, read_preflib, Comparisons, ReadError,
    MAX_FILE_BYTES,
};
use ualign::rng::Rng;

mod common;
use common::{APA, BREAKFAST, DOTS, LLMFAO_15, LLMFAO_BIG, NETFLIX, TSHIRT};

fn labels(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn weak(classes: &[&[usize]], n: usize) -> Ranking {
    Ranking::weak(classes.iter().map(|c| c.to_vec()).collect(), n).unwrap()
}

/// Weight of the voter types with this ranking.
fn weight_of(p: &Population, r: &Ranking) -> f64 {
    p.voters()
        .iter()
        .filter(|v| &v.ranking == r)
        .map(|v| v.weight)
        .sum()
}

#[test]
fn shipped_preflib_files_have_documented_sizes_and_labels() {
    let cases: [(&str, &str, usize, f64, usize, &str, &str); 5] = [
        ("apa", APA, 5, 18723.0, 292, "Candidate 1", "Candidate 5"),
        ("tshirt", TSHIRT, 11, 30.0, 30, "Australia", "VRP"),
        (
            "netflix",
            NETFLIX,
            3,
            529.0,
            6,
            "Blood Simple",
            "The Exorcist",
        ),
        ("dots", DOTS, 4, 795.0, 24, "200", "209"),
        (
            "breakfast",
            BREAKFAST,
            15,
            42.0,
            42,
            "Toast pop-up",
            "Corn muffin and butter",
        ),
    ];
    for (name, text, n, total, types, first, last) in cases {
        let p = read_preflib(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(p.n(), n, "{name}");
        assert_eq!(p.total_weight(), total, "{name}");
        assert_eq!(p.voters().len(), types, "{name}");
        assert_eq!(p.labels()[0], first, "{name}");
        assert_eq!(p.labels()[n - 1], last, "{name}");
        assert_eq!(p.labels().len(), n);
    }
    let netflix = read_preflib(NETFLIX).unwrap();
    assert_eq!(
        netflix.labels(),
        labels(&["Blood Simple", "The Contender", "The Exorcist"])
    );
    assert_eq!(
        read_preflib(DOTS).unwrap().labels(),
        labels(&["200", "203", "206", "209"])
    );
}

#[test]
fn netflix_pairwise_is_the_hand_count() {
    // The Exorcist (3) above Blood Simple (1): ballots 3,1,2 (158) + 3,2,1 (127) + 2,3,1 (41).
    let m = read_preflib(NETFLIX).unwrap().pairwise();
    assert_eq!(m.get(2, 0), 326.0 / 529.0);
    assert_eq!(m.get(0, 2), 203.0 / 529.0);
    assert_eq!(m.condorcet_winner(), Some(2));
}

#[test]
fn apa_unranked_tail_is_one_last_class() {
    let p = read_preflib(APA).unwrap();
    // "1494: 3" ranks candidate 3 first and ties the other four last.
    assert_eq!(weight_of(&p, &weak(&[&[2], &[0, 1, 3, 4]], 5)), 1494.0);
    assert_eq!(weight_of(&p, &weak(&[&[0, 1, 2, 3, 4]], 5)), 0.0);
    // Ranking 4 of 5 is the same weak order as ranking all 5: PrefLib's imbued .toc of this
    // election has 205 distinct orders and "342: 3,1,2,4,5" (322 full + 20 four-long ballots).
    let merged = p.merged();
    assert_eq!(merged.voters().len(), 205);
    assert_eq!(
        weight_of(&merged, &Ranking::strict(&[2, 0, 1, 3, 4], 5).unwrap()),
        342.0
    );
    assert_eq!(merged.total_weight(), 18723.0);
}

/// Pairwise matrix counted straight from the file text, independent of the reader.
fn brute_force_pairwise(text: &str, n: usize) -> Vec<Vec<f64>> {
    let mut above = vec![vec![0u64; n]; n];
    let mut total = 0u64;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (count, order) = line.split_once(':').unwrap();
        let count: u64 = count.trim().parse().unwrap();
        let order: Vec<usize> = order
            .split(',')
            .map(|s| s.trim().parse::<usize>().unwrap() - 1)
            .collect();
        assert_eq!(order.len(), n);
        for (a, &i) in order.iter().enumerate() {
            for &j in &order[a + 1..] {
                above[i][j] += count;
            }
        }
        total += count;
    }
    (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    if i == j {
                        0.5
                    } else {
                        above[i][j] as f64 / total as f64
                    }
                })
                .collect()
        })
        .collect()
}

/// Asserts every entry of `m` is within `tol` of `want`.
fn assert_close(m: &PairwiseMatrix, want: &[Vec<f64>], tol: f64) {
    assert_eq!(want.len(), m.n());
    for (i, row) in want.iter().enumerate() {
        assert_eq!(row.len(), m.n());
        for (j, &w) in row.iter().enumerate() {
            assert!(
                (m.get(i, j) - w).abs() <= tol,
                "({i}, {j}): {} vs {w}",
                m.get(i, j)
            );
        }
    }
}

#[test]
fn tshirt_pairwise_matches_brute_force_count() {
    let m = read_preflib(TSHIRT).unwrap().pairwise();
    assert_close(&m, &brute_force_pairwise(TSHIRT, 11), 1e-12);
    // Spot values from the reference case (Australia over Braille 21/30, over TSP 13/30).
    assert!((m.get(0, 1) - 0.7).abs() < 1e-12);
    assert!((m.get(0, 9) - 13.0 / 30.0).abs() < 1e-12);
    // When the shared reference case has been copied into the repository, check all of it.
    let case = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/tshirt_11.json");
    if let Ok(text) = std::fs::read_to_string(case) {
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let want: Vec<Vec<f64>> =
            serde_json::from_value(v["expected"]["pairwise"].clone()).unwrap();
        assert_close(&m, &want, 1e-9);
    }
}

#[test]
fn breakfast_and_dots_pairwise_match_brute_force() {
    for (text, n) in [(BREAKFAST, 15), (DOTS, 4)] {
        let m = read_preflib(text).unwrap().pairwise();
        assert_close(&m, &brute_force_pairwise(text, n), 1e-12);
    }
}

const H3: &str = "# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 3\n";
const T3: &str = "# DATA TYPE: toc\n# NUMBER ALTERNATIVES: 3\n";

#[test]
fn malformed_inputs_name_the_line() {
    let h = |body: &str| format!("{H3}{body}");
    let t = |body: &str| format!("{T3}{body}");
    // (file name, text, expected line, a word the message must contain)
    let cases: Vec<(&str, String, Option<usize>, &str)> = vec![
        ("a.soc", h("x: 1,2,3\n"), Some(3), "count"),
        ("a.soc", h("-1: 1,2,3\n"), Some(3), "count"),
        ("a.soc", h("1.5: 1,2,3\n"), Some(3), "count"),
        (
            "a.soc",
            h("99999999999999999999999: 1,2,3\n"),
            Some(3),
            "too large",
        ),
        (
            "a.soc",
            h("9007199254740992: 1,2,3\n1: 1,2,3\n"),
            Some(4),
            "add up",
        ),
        ("a.soc", h(": 1,2,3\n"), Some(3), "count"),
        ("a.soc", h("1 1,2,3\n"), Some(3), "colon"),
        ("a.soc", h("1: 1,2,4\n"), Some(3), "out of range"),
        ("a.soc", h("1: 0,1,2\n"), Some(3), "out of range"),
        ("a.soc", h("1: 1,2,3\n\n1: 1,1,2\n"), Some(5), "twice"),
        ("a.soc", h("1: 1,,2,3\n"), Some(3), "empty entry"),
        ("a.soc", h("1: 1,2,3,\n"), Some(3), "comma"),
        ("a.soc", h("1: 1 2,3\n"), Some(3), "comma"),
        ("a.soc", h("1: 1;2;3\n"), Some(3), "character"),
        ("a.soc", h("1: 1,2\n"), Some(3), "missing 3"),
        ("a.soc", h("1:\n"), Some(3), "must rank all"),
        ("a.soc", h("1: {1,2},3\n"), Some(3), "not allowed"),
        ("a.toc", t("1: {1,2,3\n"), Some(3), "unbalanced"),
        ("a.toc", t("1: 1,2},3\n"), Some(3), "unbalanced"),
        ("a.toc", t("1: {1,{2}},3\n"), Some(3), "nested"),
        ("a.toc", t("1: {},1,2,3\n"), Some(3), "empty"),
        ("a.toc", t("1: {1,2}\n"), Some(3), "missing 3"),
        ("a.soc", "1: 1,2,3\n".into(), Some(1), "missing header"),
        (
            "a.soc",
            "# TITLE: x\n\n3: 1,2,3\n".into(),
            Some(3),
            "missing header",
        ),
        (
            "a.soc",
            "# NUMBER ALTERNATIVES: 65\n1: 1\n".into(),
            Some(1),
            "limit",
        ),
        (
            "a.soc",
            "# NUMBER ALTERNATIVES: 99999999999999999999999\n".into(),
            Some(1),
            "limit",
        ),
        (
            "a.soc",
            "# NUMBER ALTERNATIVES: 0\n".into(),
            Some(1),
            "at least 1",
        ),
        (
            "a.soc",
            "# NUMBER ALTERNATIVES: three\n".into(),
            Some(1),
            "number of alternatives",
        ),
        (
            "a.soc",
            "# DATA TYPE: tog\n# NUMBER ALTERNATIVES: 2\n".into(),
            Some(1),
            "data type",
        ),
        (
            "a.soc",
            h("# ALTERNATIVE NAME 4: D\n1: 1,2,3\n"),
            Some(3),
            "out of range",
        ),
        (
            "a.soc",
            h("# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 1: B\n"),
            Some(4),
            "twice",
        ),
        (
            "a.soc",
            h("1: 1,2,3\n# NUMBER ALTERNATIVES: 3\n"),
            Some(4),
            "before the ballots",
        ),
        ("a.soc", h("0: 1,2,3\n0: 3,2,1\n"), None, "zero"),
        ("a.soc", H3.into(), None, "no ballots"),
        ("a.soc", String::new(), None, "empty"),
        ("a.soc", " \n\n\t\n".into(), None, "empty"),
        // Matrix CSV.
        (
            "m.csv",
            ",A,B\nA,0.5,0.7\nB,0.3,x\n".into(),
            Some(3),
            "not a number",
        ),
        (
            "m.csv",
            ",A,B\nA,0.5,1.7\nB,-0.7,0.5\n".into(),
            Some(2),
            "between 0 and 1",
        ),
        ("m.csv", ",A,B\nA,0.5,0.7\nB,0.3\n".into(), Some(3), "cells"),
        ("m.csv", "0.5,0.7,0.1\n0.3,0.5\n".into(), Some(2), "cells"),
        (
            "m.csv",
            ",A,B\nB,0.5,0.7\nA,0.3,0.5\n".into(),
            Some(2),
            "same order",
        ),
        (
            "m.csv",
            "A,B,C,D\n0.5,0.7\n0.3,0.5\n".into(),
            Some(1),
            "header",
        ),
        ("m.csv", "A,A\n0.5,0.7\n0.3,0.5\n".into(), Some(1), "twice"),
        (
            "m.csv",
            "A,B\n\"0.5,0.7\n0.3,0.5\n".into(),
            Some(2),
            "quoted",
        ),
        ("m.csv", "A,B\n0.5,0.7\n0.4,0.5\n".into(), None, "add up to"),
        (
            "m.csv",
            "A,B\n0.5,NaN\n0.4,0.5\n".into(),
            Some(2),
            "not a number",
        ),
        ("m.csv", "A,B\n".into(), Some(1), "no matrix rows"),
        ("m.csv", "".into(), None, "empty"),
        // Comparisons CSV.
        (
            "c.csv",
            "left,right,winner\nA,B,left\nA,C,draw\n".into(),
            Some(3),
            "winner",
        ),
        (
            "c.csv",
            "left,right,winner\nA,B,left\nA,A,tie\n".into(),
            Some(3),
            "itself",
        ),
        (
            "c.csv",
            "winner,left,right\nleft,A\n".into(),
            Some(2),
            "right",
        ),
        (
            "c.csv",
            "left,right,winner\n,B,left\n".into(),
            Some(2),
            "empty",
        ),
        (
            "c.csv",
            "left,right,winner\n".into(),
            Some(1),
            "no comparisons",
        ),
        (
            "c.csv",
            "left,right,winner,left\nA,B,tie,C\n".into(),
            Some(1),
            "twice",
        ),
        // Unknown extension.
        ("notes.txt", "1,2".into(), None, "file type"),
    ];
    assert!(cases.len() >= 15);
    for (name, text, line, word) in cases {
        match read_any(name, &text) {
            Ok(p) => panic!("{name} {text:?} was accepted: {p:?}"),
            Err(e) => {
                assert_eq!(e.line, line, "{name} {text:?}: {e}");
                assert!(
                    e.message.to_lowercase().contains(&word.to_lowercase()),
                    "{name} {text:?}: message {e} lacks '{word}'"
                );
            }
        }
    }
}

#[test]
fn comparisons_header_is_required() {
    let e = read_comparisons_csv("a,b,c\nA,B,left\n").unwrap_err();
    assert_eq!(e.line, Some(1));
    assert!(e.message.contains("missing header"), "{e}");
    assert!(e.message.contains("left, right, winner"), "{e}");
}

#[test]
fn error_display_and_conversion() {
    let e = read_preflib(&format!("{H3}1: 1,2\n")).unwrap_err();
    assert!(e.to_string().starts_with("line 3: "), "{e}");
    let e = read_preflib("").unwrap_err();
    assert_eq!(e.to_string(), e.message);
    let e: ReadError = ualign::model::ModelError("boom".into()).into();
    assert_eq!(
        e,
        ReadError {
            line: None,
            message: "boom".into()
        }
    );
    let _: &dyn std::error::Error = &e;
}

#[test]
fn too_many_voter_types_and_too_large_files_are_refused() {
    let mut text = String::from("# NUMBER ALTERNATIVES: 1\n");
    for _ in 0..100_001 {
        text.push_str("1: 1\n");
    }
    let e = read_preflib(&text).unwrap_err();
    assert_eq!(e.line, Some(100_002), "{e}");
    assert!(e.message.contains("voter types"), "{e}");
    // Exactly the limit is fine.
    let ok: String = text
        .lines()
        .take(100_001)
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(read_preflib(&ok).unwrap().total_weight(), 100_000.0);

    let huge = " ".repeat(MAX_FILE_BYTES + 1);
    for name in ["a.soc", "a.csv"] {
        let e = read_any(name, &huge).unwrap_err();
        assert!(e.message.contains("20 MB"), "{e}");
    }
    assert!(read_preflib(&huge).is_err());
    assert!(read_matrix_csv(&huge).is_err());
    assert!(read_comparisons_csv(&huge).is_err());
}

#[test]
fn toc_ties_and_soi_short_ballots_give_the_right_classes() {
    let toc = "# DATA TYPE: toc\n# NUMBER ALTERNATIVES: 4\n# ALTERNATIVE NAME 2: Two\n2: {2,4},1,3\n1: 3,{ 1 , 2 },4\n";
    let p = read_preflib(toc).unwrap();
    assert_eq!(
        p.labels(),
        labels(&["Response 1", "Two", "Response 3", "Response 4"])
    );
    assert_eq!(
        p.voters()[0].ranking.classes(),
        &[vec![1, 3], vec![0], vec![2]]
    );
    assert_eq!(p.voters()[0].weight, 2.0);
    assert_eq!(
        p.voters()[1].ranking.classes(),
        &[vec![2], vec![0, 1], vec![3]]
    );
    let m = p.pairwise();
    // 2 and 4: tied for 2 voters, 2 above 4 for 1 voter: (2 * 1 + 2) / 6.
    assert_eq!(m.get(1, 3), 4.0 / 6.0);
    assert_eq!(m.get(0, 1), 1.0 / 6.0);

    let soi = "# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 4\n5: 3\n1:\n2: 4,1\n";
    let p = read_preflib(soi).unwrap();
    assert_eq!(p.voters()[0].ranking.classes(), &[vec![2], vec![0, 1, 3]]);
    assert_eq!(p.voters()[1].ranking.classes(), &[vec![0, 1, 2, 3]]);
    assert_eq!(
        p.voters()[2].ranking.classes(),
        &[vec![3], vec![0], vec![1, 2]]
    );
    let m = p.pairwise();
    // 3 over 1: above for 5 voters, tied for 1 (empty ballot), below for 2: (2*5 + 1) / 16.
    assert_eq!(m.get(2, 0), 11.0 / 16.0);

    // Without a DATA TYPE header both ties and short ballots are accepted...
    let bare = "# NUMBER ALTERNATIVES: 3\n1: 2\n1: {1,3},2\n";
    let p = read_preflib(bare).unwrap();
    assert_eq!(p.voters()[0].ranking.classes(), &[vec![1], vec![0, 2]]);
    assert_eq!(p.voters()[1].ranking.classes(), &[vec![0, 2], vec![1]]);
    // ...unless the file extension says otherwise.
    assert_eq!(read_any("x.soc", bare).unwrap_err().line, Some(2));
    assert_eq!(read_any("x.soi", bare).unwrap_err().line, Some(3));
    assert_eq!(read_any("x.toc", bare).unwrap_err().line, Some(2));
    assert!(matches!(
        read_any("X.TOI", bare),
        Ok(Preferences::Population(_))
    ));
    // A declared type wins over the extension.
    let declared = format!("# DATA TYPE: toi\n{bare}");
    assert!(read_any("x.soc", &declared).is_ok());
    // Windows line endings and a byte-order mark are fine.
    let crlf = format!("\u{feff}{}", TSHIRT.replace('\n', "\r\n"));
    assert_eq!(read_preflib(&crlf).unwrap(), read_preflib(TSHIRT).unwrap());
}

#[test]
fn comparison_ties_count_half_and_columns_are_found_by_name() {
    let csv = "id,winner,right,left,worker\n1,left,B,A,w\n2,tie,B,A,w\n3,tie,A,B,w\n4,right,A,C,w\n5,left,B,C,w\n";
    let c = read_comparisons_csv(csv).unwrap();
    assert_eq!(c.labels, labels(&["A", "B", "C"]));
    // A vs B: A won once, two ties: A has 1 + 1/2 + 1/2 = 2 of 3.
    assert_eq!(c.wins[0][1], 2.0);
    assert_eq!(c.wins[1][0], 1.0);
    assert_eq!(c.counts[0][1], 3.0);
    assert_eq!(c.counts[1][0], 3.0);
    // Row 4 has left = C, right = A, winner right: A beats C. Row 5: C (left) beats B.
    assert_eq!(c.wins[0][2], 1.0);
    assert_eq!(c.wins[2][0], 0.0);
    assert_eq!(c.wins[2][1], 1.0);
    let m = c.complete_matrix().unwrap();
    assert_eq!(m.labels(), labels(&["A", "B", "C"]));
    assert_eq!(m.get(0, 1), 2.0 / 3.0);
    // The lower triangle is stored as 1 - upper (PairwiseMatrix::new).
    assert_eq!(m.get(1, 0), 1.0 - 2.0 / 3.0);
    assert_eq!(m.get(0, 2), 1.0);
    assert_eq!(m.get(1, 2), 0.0);
}

/// Comparisons from (left, right, winner) rows.
fn comparisons(rows: &[(&str, &str, &str)]) -> Comparisons {
    let mut csv = String::from("left,right,winner\n");
    for (l, r, w) in rows {
        csv.push_str(&format!("{l},{r},{w}\n"));
    }
    read_comparisons_csv(&csv).unwrap()
}

#[test]
fn maximum_clique_beats_greedy() {
    // A hub H compared with everyone (degree 6); K1..K4 all compared with each other. Greedy by
    // degree takes H, then K1 (degree 4), and gets stuck at {H, K1}; the maximum set is K1..K4.
    let mut rows = vec![
        ("H", "L1", "left"),
        ("H", "L2", "left"),
        ("H", "L3", "right"),
        ("H", "L4", "tie"),
        ("H", "L5", "left"),
        ("H", "K1", "left"),
    ];
    let k = ["K1", "K2", "K3", "K4"];
    for a in 0..4 {
        for b in a + 1..4 {
            rows.push((k[a], k[b], "left"));
        }
    }
    let c = comparisons(&rows);
    let m = c.complete_matrix().unwrap();
    assert_eq!(m.labels(), labels(&k));
    // Earlier items beat later ones in every K comparison.
    assert_eq!(m.get(0, 3), 1.0);
    assert_eq!(m.get(3, 0), 0.0);
}

#[test]
fn maximum_clique_ties_break_by_comparisons_then_labels() {
    // Two triangles sharing nothing: {A, B, C} and {X, Y, Z}; the second has more comparisons.
    let tri = |a: &'static str, b: &'static str, c: &'static str| {
        vec![(a, b, "left"), (b, c, "left"), (a, c, "tie")]
    };
    let mut rows = tri("A", "B", "C");
    rows.extend(tri("Z", "Y", "X"));
    rows.push(("Y", "X", "right"));
    let m = comparisons(&rows).complete_matrix().unwrap();
    assert_eq!(m.labels(), labels(&["Z", "Y", "X"]));
    // Y vs X: Y won once, then X won once -> 1/2.
    assert_eq!(m.get(1, 2), 0.5);
    // Equal comparisons: the lexicographically first sorted labels win, whatever the order.
    let mut rows = tri("Z", "Y", "X");
    rows.extend(tri("C", "B", "A"));
    let m = comparisons(&rows).complete_matrix().unwrap();
    assert_eq!(m.labels(), labels(&["C", "B", "A"]));
}

#[test]
fn complete_matrix_refuses_inconsistent_tables() {
    let c = Comparisons {
        labels: labels(&["A", "B"]),
        wins: vec![vec![0.0, 1.0]],
        counts: vec![vec![0.0, 1.0], vec![1.0, 0.0]],
    };
    assert!(c.complete_matrix().is_err());
    let c = Comparisons {
        labels: labels(&["A", "B"]),
        wins: vec![vec![0.0, 2.0], vec![0.0, 0.0]],
        counts: vec![vec![0.0, 1.0], vec![1.0, 0.0]],
    };
    assert!(c.complete_matrix().is_err());
    let c = Comparisons {
        labels: labels(&["A", "B"]),
        wins: vec![vec![0.0, 0.0], vec![0.0, 0.0]],
        counts: vec![vec![0.0, 0.0], vec![0.0, 0.0]],
    };
    assert!(c.complete_matrix().unwrap_err().message.contains("no pair"));
    let c = Comparisons {
        labels: vec![],
        wins: vec![],
        counts: vec![],
    };
    assert!(c.complete_matrix().is_err());
}

/// The 15 models of the maximum clique with the most comparisons (1,566), in first-appearance
/// order, as found by an independent Python Bron–Kerbosch over the same file.
const LLMFAO_MODELS: [&str; 15] = [
    "Airoboros L2 70B",
    "Weaver 12k",
    "Code Llama Instruct (13B)",
    "Code Llama Instruct (7B)",
    "Dolly v2 (12B)",
    "Dolly v2 (3B)",
    "GPT 3.5 Turbo (16k)",
    "Guanaco (33B)",
    "Luminous Extended",
    "Open-Assistant Pythia SFT-4 (12B)",
    "Open-Assistant StableLM SFT-7 (7B)",
    "StarCoderChat Alpha (16B)",
    "Jurassic 2 Light",
    "command-light",
    "command",
];

#[test]
fn llmfao_comparisons_give_the_shipped_15_model_matrix() {
    let c = read_comparisons_csv(LLMFAO_BIG).unwrap();
    assert_eq!(c.labels.len(), 59);
    let total: f64 = c.counts.iter().flatten().sum();
    assert_eq!(total, 2.0 * 8931.0);
    let pairs = (0..59)
        .flat_map(|i| (i + 1..59).map(move |j| (i, j)))
        .filter(|&(i, j)| c.counts[i][j] > 0.0)
        .count();
    assert_eq!(pairs, 927);

    let big = c.complete_matrix().unwrap();
    let small = read_matrix_csv(LLMFAO_15).unwrap();
    assert_eq!(big.n(), 15);
    assert_eq!(small.n(), 15);
    assert_eq!(big.labels(), labels(&LLMFAO_MODELS));
    assert_eq!(small.labels(), big.labels());
    for i in 0..15 {
        for j in 0..15 {
            assert!(
                (big.get(i, j) - small.get(i, j)).abs() <= 1e-15,
                "({i}, {j})"
            );
        }
    }
    // Spot values computed independently: Airoboros vs Weaver 23 of 47, GPT 3.5 Turbo (16k)
    // vs command 3 of 9, Dolly v2 (3B) vs command-light 3 of 9.
    assert_eq!(big.get(0, 1), 23.0 / 47.0);
    assert_eq!(big.get(6, 14), 3.0 / 9.0);
    assert_eq!(big.get(5, 13), 3.0 / 9.0);
    assert_eq!(big.get(13, 5), 1.0 - 3.0 / 9.0);

    match read_any("llmfao.csv", LLMFAO_BIG).unwrap() {
        Preferences::Matrix(m) => assert_eq!(m, big),
        other => panic!("expected a matrix, got {other:?}"),
    }
    match read_any("llmfao-15-matrix.csv", LLMFAO_15).unwrap() {
        Preferences::Matrix(m) => assert_eq!(m, small),
        other => panic!("expected a matrix, got {other:?}"),
    }
}

#[test]
fn matrix_csv_layouts() {
    let expect = |m: PairwiseMatrix, l: &[&str]| {
        assert_eq!(m.labels(), labels(l));
        assert_eq!(m.get(0, 1), 0.7);
        assert_eq!(m.get(1, 0), 1.0 - 0.7);
        assert_eq!(m.get(2, 1), 0.6);
    };
    let body = ["0.5,0.7,0.2", "0.3,0.5,0.4", "0.8,0.6,0.5"];
    let plain = body.join("\n");
    expect(
        read_matrix_csv(&plain).unwrap(),
        &["Response 1", "Response 2", "Response 3"],
    );
    let header = format!("x,y,z\n{plain}\n");
    expect(read_matrix_csv(&header).unwrap(), &["x", "y", "z"]);
    let numeric_header = format!("200,203,206\n{plain}\n");
    expect(
        read_matrix_csv(&numeric_header).unwrap(),
        &["200", "203", "206"],
    );
    let with_col: String = ["x", "y", "z"]
        .iter()
        .zip(body)
        .map(|(l, r)| format!("{l},{r}\n"))
        .collect();
    expect(read_matrix_csv(&with_col).unwrap(), &["x", "y", "z"]);
    let both = format!("model, x , \"y\" ,z\r\n{with_col}");
    expect(read_matrix_csv(&both).unwrap(), &["x", "y", "z"]);
    let quoted = format!("\"a, b\",\"say \"\"hi\"\"\",z\n{plain}\n,,\n");
    expect(
        read_matrix_csv(&quoted).unwrap(),
        &["a, b", "say \"hi\"", "z"],
    );
    // A 1 x 1 matrix is a single response.
    assert_eq!(read_matrix_csv("only\n0.5\n").unwrap().n(), 1);
    // 65 rows is over the response limit and says so on the 65th row's line.
    let row = vec!["0.5"; 65].join(",");
    let big: String = (0..65).map(|_| format!("{row}\n")).collect();
    assert_eq!(read_matrix_csv(&big).unwrap_err().line, Some(65));
}

#[test]
fn read_any_dispatches_on_extension() {
    assert!(matches!(read_any("apa.soi", APA), Ok(Preferences::Population(p)) if p.n() == 5));
    assert!(
        matches!(read_any("DIR.d/tshirt.SOC", TSHIRT), Ok(Preferences::Population(p)) if p.n() == 11)
    );
    assert!(
        matches!(read_any("m.csv", "0.5,0.7\n0.3,0.5\n"), Ok(Preferences::Matrix(m)) if m.n() == 2)
    );
    assert!(matches!(
        read_any("c.csv", "Left,Right,Winner\nA,B,Left\n"),
        Ok(Preferences::Matrix(m)) if m.get(0, 1) == 1.0
    ));
    assert!(read_any("noextension", TSHIRT).is_err());
    assert!(read_any("tshirt.soc.txt", TSHIRT).is_err());
}

/// Mutates shipped files at random and feeds them to every reader: errors are fine, panics are
/// not, and what is accepted is a valid model.
#[test]
fn mangled_input_never_panics() {
    let inputs = [
        APA,
        TSHIRT,
        NETFLIX,
        BREAKFAST,
        LLMFAO_15,
        &LLMFAO_BIG[..4000],
    ];
    let alphabet: Vec<char> = "0123456789,{}:#\n\r\" -.eE\u{e9}abc".chars().collect();
    let mut rng = Rng::new(11);
    let (mut accepted, mut rejected) = (0, 0);
    for round in 0..600 {
        let base = inputs[round % inputs.len()];
        let mut chars: Vec<char> = base.chars().collect();
        for _ in 0..1 + rng.below(8) {
            let pos = rng.below(chars.len() + 1);
            match rng.below(3) {
                0 if pos < chars.len() => {
                    chars.remove(pos);
                }
                1 if pos < chars.len() => chars[pos] = alphabet[rng.below(alphabet.len())],
                _ => chars.insert(pos, alphabet[rng.below(alphabet.len())]),
            }
        }
        let text: String = chars.into_iter().collect();
        for name in ["a.soc", "a.soi", "a.toc", "a.toi", "a.csv"] {
            // Whatever is accepted is a valid model: a pairwise matrix of finite entries with
            // P[i][j] + P[j][i] = 1.
            match read_any(name, &text) {
                Ok(prefs) => {
                    accepted += 1;
                    let p = prefs.pairwise();
                    for i in 0..p.n() {
                        for j in 0..p.n() {
                            let s = p.get(i, j) + p.get(j, i);
                            assert!((s - 1.0).abs() < 1e-9, "{name} round {round}: {s}");
                        }
                    }
                }
                Err(e) => {
                    rejected += 1;
                    assert!(!e.to_string().is_empty(), "{name} round {round}");
                }
            }
        }
        let _ = read_preflib(&text);
        let _ = read_matrix_csv(&text);
        if let Ok(c) = read_comparisons_csv(&text) {
            let _ = c.complete_matrix();
        }
    }
    // The mutations reach both sides: some mangled files still read, some are refused.
    assert!(
        accepted > 100 && rejected > 100,
        "{accepted} accepted, {rejected} rejected"
    );
    // Huge numbers stay errors, not overflows, and say which number is wrong.
    for (text, message) in [
        (
            "# NUMBER ALTERNATIVES: 3\n18446744073709551616: 1,2,3\n",
            "line 2: count '18446744073709551616' is too large (the limit is 9007199254740992)",
        ),
        (
            "# NUMBER ALTERNATIVES: 3\n1: 18446744073709551616,2,3\n",
            "line 2: alternative 18446744073709551616 is out of range (alternatives are numbered 1 to 3)",
        ),
        (
            "# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 18446744073709551616: x\n",
            "line 2: bad alternative number '18446744073709551616' in '# ALTERNATIVE NAME i: label'",
        ),
    ] {
        match read_preflib(text) {
            Ok(_) => panic!("{text:?} was accepted"),
            Err(e) => assert_eq!(e.to_string(), message),
        }
    }
}

/// Escapes a CSV cell when needed.
fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.trim() != s {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Regenerates `data/llmfao-15-matrix.csv` from the raw comparisons:
/// `cargo test --test readers -- --ignored regenerate_llmfao_15_matrix`.
#[test]
#[ignore]
fn regenerate_llmfao_15_matrix() {
    let m = read_comparisons_csv(LLMFAO_BIG)
        .unwrap()
        .complete_matrix()
        .unwrap();
    let mut out = String::new();
    for l in m.labels() {
        out.push(',');
        out.push_str(&csv_cell(l));
    }
    out.push('\n');
    for (i, row) in m.rows().iter().enumerate() {
        out.push_str(&csv_cell(&m.labels()[i]));
        for x in row {
            out.push_str(&format!(",{x:?}"));
        }
        out.push('\n');
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/llmfao-15-matrix.csv");
    std::fs::write(path, out).unwrap();
}

#[test]
fn tangled_comparisons_stop_with_an_error() {
    // Everyone compared with everyone except within triples: 3^(n/3) maximum cliques, too many
    // to enumerate. The search must give up with a message (in well under a second), not hang.
    for n in [60usize, 300] {
        let mut csv = String::from("left,right,winner\n");
        for a in 0..n {
            for b in a + 1..n {
                if a / 3 != b / 3 {
                    csv.push_str(&format!("m{a},m{b},left\n"));
                }
            }
        }
        let c = read_comparisons_csv(&csv).unwrap();
        let e = c.complete_matrix().unwrap_err();
        assert!(e.message.contains("too tangled"), "{e}");
    }
    // A few triples are easy: one item from each, and the result is exact.
    let mut csv = String::from("left,right,winner\n");
    for a in 0..9 {
        for b in a + 1..9 {
            if a / 3 != b / 3 {
                csv.push_str(&format!("m{a},m{b},left\n"));
            }
        }
    }
    let m = read_comparisons_csv(&csv)
        .unwrap()
        .complete_matrix()
        .unwrap();
    assert_eq!(m.labels(), labels(&["m0", "m3", "m6"]));
}

#[test]
fn too_many_comparison_items_are_refused_on_their_line() {
    let mut csv = String::from("left,right,winner\n");
    for k in 0..501 {
        csv.push_str(&format!("i{},i{},left\n", 2 * k, 2 * k + 1));
    }
    // Row 501 (line 502) brings items 1001 and 1002.
    let e = read_comparisons_csv(&csv).unwrap_err();
    assert_eq!(e.line, Some(502), "{e}");
    assert!(e.message.contains("1000"), "{e}");
    // 500 disjoint pairs are fine, and any one pair is a largest fully compared set.
    let ok: String = csv.lines().take(501).map(|l| format!("{l}\n")).collect();
    let m = read_comparisons_csv(&ok)
        .unwrap()
        .complete_matrix()
        .unwrap();
    assert_eq!(m.labels(), labels(&["i0", "i1"]));
}
