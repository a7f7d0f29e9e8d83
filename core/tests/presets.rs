//! Presets: every preset loads with the documented size and labels; impartial culture is
//! deterministic per seed; the real data sets keep their documented totals.

use ualign::model::{limits, Preferences};
use ualign::presets::{impartial_culture, load, presets, DEFAULT_PRESET};

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn population(id: &str) -> ualign::Population {
    match load(id).unwrap() {
        Preferences::Population(p) => p,
        Preferences::Matrix(_) => panic!("{id} should be a population"),
    }
}

#[test]
fn ids_are_in_menu_order_and_unique() {
    let ids: Vec<&str> = presets().iter().map(|p| p.id).collect();
    assert_eq!(
        ids,
        [
            "majority-51-49",
            "condorcet-diverse-minority",
            "condorcet-cycle",
            "impartial-culture",
            "worst-case",
            "gap-search-4",
            "apa-1998",
            "breakfast",
            "tshirt",
            "netflix",
            "dots",
            "llmfao"
        ]
    );
    assert!(ids.contains(&DEFAULT_PRESET));
}

#[test]
fn every_preset_loads_with_its_size_and_describes_itself() {
    // (id, n, total weight for populations, first label, last label)
    let expected: [(&str, usize, Option<f64>, &str, &str); 11] = [
        ("majority-51-49", 2, Some(100.0), "A", "B"),
        (
            "condorcet-diverse-minority",
            4,
            Some(100.0),
            "consensus",
            "niche3",
        ),
        ("condorcet-cycle", 3, Some(3.0), "a", "c"),
        (
            "impartial-culture",
            6,
            Some(1000.0),
            "Response 1",
            "Response 6",
        ),
        ("worst-case", 24, Some(24.0), "Response 1", "Response 24"),
        ("apa-1998", 5, Some(18723.0), "Candidate 1", "Candidate 5"),
        (
            "breakfast",
            15,
            Some(42.0),
            "Toast pop-up",
            "Corn muffin and butter",
        ),
        ("tshirt", 11, Some(30.0), "Australia", "VRP"),
        ("netflix", 3, Some(529.0), "Blood Simple", "The Exorcist"),
        ("dots", 4, Some(795.0), "200", "209"),
        ("llmfao", 15, None, "Airoboros L2 70B", "command"),
    ];
    for (id, n, total, first, last) in expected {
        let prefs = load(id).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(prefs.n(), n, "{id}");
        assert_eq!(prefs.labels().len(), n, "{id}");
        assert_eq!(prefs.labels()[0], first, "{id}");
        assert_eq!(prefs.labels()[n - 1], last, "{id}");
        match (&prefs, total) {
            (Preferences::Population(p), Some(t)) => assert_eq!(p.total_weight(), t, "{id}"),
            (Preferences::Matrix(_), None) => {}
            _ => panic!("{id} has the wrong kind of preferences"),
        }
        let preset = presets().iter().find(|p| p.id == id).unwrap();
        assert!(!preset.title.is_empty() && !preset.description.is_empty());
        let real = matches!(
            id,
            "apa-1998" | "breakfast" | "tshirt" | "netflix" | "dots" | "llmfao"
        );
        assert_eq!(!preset.citation.is_empty(), real, "{id}");
        if real && id != "llmfao" {
            assert!(preset.citation.contains("PrefLib"), "{id}");
        }
    }
    assert!(presets()
        .iter()
        .find(|p| p.id == "llmfao")
        .unwrap()
        .citation
        .contains("CC BY 4.0"));
}

#[test]
fn synthetic_presets_match_the_reference_cases() {
    let m = population("majority-51-49").pairwise();
    assert_eq!(m.get(0, 1), 0.51);
    assert_eq!(m.condorcet_winner(), Some(0));

    // condorcet_diverse_minority.json: expected.pairwise.
    let m = population("condorcet-diverse-minority").pairwise();
    let want = [
        [0.5, 0.75, 0.75, 0.8],
        [0.25, 0.5, 0.75, 0.55],
        [0.25, 0.25, 0.5, 0.55],
        [0.2, 0.45, 0.45, 0.5],
    ];
    for (i, row) in want.iter().enumerate() {
        for (j, &w) in row.iter().enumerate() {
            assert!((m.get(i, j) - w).abs() < 1e-12, "({i}, {j})");
        }
    }
    assert_eq!(m.condorcet_winner(), Some(0));

    let p = population("condorcet-cycle");
    assert_eq!(p.labels(), strings(&["a", "b", "c"]));
    let m = p.pairwise();
    assert_eq!(m.get(0, 1), 2.0 / 3.0);
    assert_eq!(m.get(1, 2), 2.0 / 3.0);
    assert_eq!(m.get(2, 0), 2.0 / 3.0);
    assert_eq!(m.condorcet_winner(), None);
}

#[test]
fn real_presets_keep_ties_and_tails() {
    let apa = population("apa-1998");
    // Many APA ballots rank fewer than 5 candidates: their tails are tied classes.
    assert!(apa.voters().iter().any(|v| !v.ranking.is_strict()));
    assert!(population("tshirt")
        .voters()
        .iter()
        .all(|v| v.ranking.is_strict()));
    match load("llmfao").unwrap() {
        Preferences::Matrix(m) => {
            assert_eq!(m.get(0, 1), 23.0 / 47.0);
            assert_eq!(m.get(0, 0), 0.5);
        }
        Preferences::Population(_) => panic!("llmfao is a matrix"),
    }
}

#[test]
fn unknown_id_lists_the_valid_ones() {
    let e = load("sushi").unwrap_err();
    assert!(e.0.contains("sushi"), "{e}");
    for p in presets() {
        assert!(e.0.contains(p.id), "{e} lacks {}", p.id);
    }
}

#[test]
fn impartial_culture_is_deterministic_per_seed() {
    let a = impartial_culture(6, 1000, 1);
    let b = impartial_culture(6, 1000, 1);
    let c = impartial_culture(6, 1000, 2);
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a.total_weight(), 1000.0);
    assert_eq!(c.total_weight(), 1000.0);
    // Merged: distinct strict rankings, heaviest first; 6! = 720 possible.
    assert!(a.voters().len() <= 720);
    assert!(a.voters().windows(2).all(|w| w[0].weight >= w[1].weight));
    let mut rankings: Vec<_> = a.voters().iter().map(|v| v.ranking.clone()).collect();
    rankings.sort();
    rankings.dedup();
    assert_eq!(rankings.len(), a.voters().len());
    assert!(a.voters().iter().all(|v| v.ranking.is_strict()));
    // The preset is exactly impartial_culture(6, 1000, 1).
    assert_eq!(population("impartial-culture"), a);
    assert_eq!(population("worst-case"), impartial_culture(24, 24, 2));
    // Roughly uniform first choices: each response is first for about 1000/6 voters.
    for y in 0..6 {
        let first: f64 = a
            .voters()
            .iter()
            .filter(|v| v.ranking.classes()[0][0] == y)
            .map(|v| v.weight)
            .sum();
        assert!((110.0..225.0).contains(&first), "response {y}: {first}");
    }
}

#[test]
fn impartial_culture_clamps_instead_of_panicking() {
    let p = impartial_culture(0, 0, 0);
    assert_eq!(p.n(), 1);
    assert_eq!(p.total_weight(), 1.0);
    let p = impartial_culture(1000, 3, 5);
    assert_eq!(p.n(), limits::MAX_RESPONSES);
    assert_eq!(p.total_weight(), 3.0);
    assert_eq!(p.labels()[0], "Response 1");
}

#[test]
fn the_gap_search_preset_is_the_certified_profile_it_names() {
    // The preset's description quotes the certificate of this case; the two must be one
    // profile (rankings and weights; the labels are shortened).
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/certified");
    let (_, case) = ualign::case::read_case(&dir.join("n4_k2_l2.json")).unwrap();
    let (Preferences::Population(case), Preferences::Population(preset)) =
        (case, ualign::presets::load("gap-search-4").unwrap())
    else {
        panic!("both are populations");
    };
    assert_eq!(case.voters(), preset.voters());
    let cert: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("n4_k2_l2.cert.json")).unwrap())
            .unwrap();
    let upper = cert["upper"].as_f64().unwrap();
    let description = presets()
        .iter()
        .find(|p| p.id == "gap-search-4")
        .unwrap()
        .description;
    assert!(description.contains(&format!("{:.4}", upper)), "{upper}");
    assert!((cert["k"].as_u64(), cert["l"].as_u64()) == (Some(2), Some(2)));
    // The tour's last step quotes the bound, rounded up, on this preset.
    let tour = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../static/tour.json"),
    )
    .unwrap();
    let quoted = 0.417;
    assert!(upper <= quoted && upper > quoted - 0.001, "{upper}");
    assert!(tour.contains("preset=gap-search-4") && tour.contains("more than 0.417 there"));
}
