//! Share links: configurations round-trip exactly, hand-written links read as written, defaults
//! are left out, and every kind of bad link is refused with a message a person understands.

use ualign::config::{Algorithm, Config, CustomPreferences, View, VoterSpec, MAX_SEED};
use ualign::model::{limits, RawRanking};
use ualign::open_question::phase_map::Family;
use ualign::presets;
use ualign::rng::Rng;
use ualign::url::{
    decode, encode, encode_checked, pack_data, UrlError, MAX_FRAGMENT_BYTES, MAX_INFLATED_BYTES,
    URL_VERSION,
};

fn labels(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn voter(weight: f64, classes: &[&[usize]]) -> VoterSpec {
    VoterSpec {
        weight,
        ranking: RawRanking(classes.iter().map(|c| c.to_vec()).collect()),
    }
}

/// Random strict rankings of `n` responses, one voter type each.
fn random_population(n: usize, voters: usize, seed: u64) -> CustomPreferences {
    let mut rng = Rng::new(seed);
    CustomPreferences::Population {
        labels: (0..n).map(|i| format!("option {i}")).collect(),
        voters: (0..voters)
            .map(|_| VoterSpec {
                weight: 1.0 + rng.below(100) as f64,
                ranking: RawRanking(rng.permutation(n).into_iter().map(|y| vec![y]).collect()),
            })
            .collect(),
    }
}

fn err(fragment: &str) -> String {
    match decode(fragment) {
        Ok(c) => panic!("{fragment:?} was accepted as {c:?}"),
        Err(UrlError(m)) => m,
    }
}

fn assert_round_trip(c: &Config) {
    c.validate().unwrap();
    if let Some(custom) = &c.custom {
        custom.build().unwrap();
    }
    let link = encode_checked(c).unwrap();
    assert_eq!(link, encode(c));
    assert!(link.starts_with("v=1"), "{link}");
    assert_eq!(decode(&link).as_ref(), Ok(c), "{link}");
    assert_eq!(decode(&format!("#{link}")).as_ref(), Ok(c));
    // Floats come back bit-exactly, not just ==.
    let back = decode(&link).unwrap();
    assert_eq!(back.beta.to_bits(), c.beta.to_bits());
    assert_eq!(
        back.step_size.map(f64::to_bits),
        c.step_size.map(f64::to_bits)
    );
}

#[test]
fn the_default_configuration_is_v1_alone() {
    assert_eq!(URL_VERSION, 1);
    assert_eq!(encode(&Config::default()), "v=1");
    for empty in ["", "#", "v=1", "#v=1"] {
        assert_eq!(decode(empty), Ok(Config::default()), "{empty:?}");
    }
}

#[test]
fn a_hand_written_link_reads_as_written() {
    let c = decode("v=1&preset=tshirt&k=6&algo=replicator").unwrap();
    assert_eq!(
        c,
        Config {
            preset: "tshirt".into(),
            k: 6,
            algorithm: Algorithm::Replicator,
            ..Config::default()
        }
    );
    assert_eq!(c.players(), 7);
    // Any order, leading '#', percent-escapes and the spelled-out booleans are read too.
    let c =
        decode("#embed=true&k=%36&v=1&eta=1e-3&beta=0.25&players=3&seed=9007199254740991").unwrap();
    assert_eq!((c.k, c.players, c.embed), (6, Some(3), true));
    assert_eq!((c.step_size, c.beta, c.seed), (Some(0.001), 0.25, MAX_SEED));
    assert!(!decode("v=1&embed=0").unwrap().embed);
    // The arena's settings: response indices from 0, and its seed.
    let c = decode("v=1&view=arena&challenger=1&set=0,1&k=2&draws=5").unwrap();
    assert_eq!(c.view, View::Arena);
    assert_eq!((c.challenger, c.set, c.draws), (vec![1], vec![0, 1], 5));
}

#[test]
fn defaults_are_left_out_and_the_order_is_fixed() {
    let only_k = Config {
        k: 6,
        ..Config::default()
    };
    assert_eq!(encode(&only_k), "v=1&k=6");
    let every = Config {
        preset: "tshirt".into(),
        k: 8,
        players: Some(3),
        algorithm: Algorithm::OptimisticHedge,
        step_size: Some(0.1 + 0.2),
        iterations: 5000,
        k_max: 64,
        seed: 42,
        beta: 0.5,
        custom: None,
        view: View::WinRates,
        embed: true,
        font_scale: 2.0,
        phase: Family::Weight { voter: 2 },
        challenger: vec![0, 2],
        set: vec![1, 1, 3],
        draws: 99,
        at_end: true,
        tour: 2,
        origins: vec!["https://slides.example".into()],
    };
    assert_eq!(
        encode(&every),
        "v=1&preset=tshirt&k=8&players=3&algo=optimistic-hedge&eta=0.30000000000000004&iters=5000&kmax=64&seed=42&beta=0.5&view=win-rates&embed=1&font=2&phase=weight:3&challenger=0,2&set=1,1,3&draws=99&at=end&tour=2&origins=https://slides.example"
    );
    assert_round_trip(&every);
    // Setting a field to its default value leaves it out again.
    let back_to_default = Config {
        k: Config::default().k,
        ..only_k
    };
    assert_eq!(encode(&back_to_default), "v=1");
}

#[test]
fn hand_picked_configurations_round_trip() {
    for p in presets::presets() {
        for algorithm in Algorithm::ALL {
            assert_round_trip(&Config {
                preset: p.id.to_string(),
                algorithm,
                ..Config::default()
            });
        }
    }
    for eta in [1e-300, 5e-324, 0.1, 1.0 / 3.0, 1e6, 123_456.789_012_345] {
        assert_round_trip(&Config {
            step_size: Some(eta),
            beta: eta,
            ..Config::default()
        });
    }
    assert_round_trip(&Config {
        k: limits::MAX_K,
        players: Some(limits::MAX_PLAYERS),
        iterations: limits::MAX_ITERATIONS,
        k_max: ualign::config::MAX_SWEEP_K,
        seed: MAX_SEED,
        ..Config::default()
    });
    // players = k + 1 written out is kept apart from "players left to default".
    assert_round_trip(&Config {
        players: Some(5),
        ..Config::default()
    });
}

#[test]
fn custom_preferences_round_trip_with_ties_and_any_labels() {
    let odd_labels = labels(&[
        "a & b = c",
        "#hash %25 100%",
        "plus+and space",
        "naïve café ✓ 😀 日本語",
        "",
        "quote \" backslash \\ newline \n tab \t nul \u{0}",
    ]);
    let population = CustomPreferences::Population {
        labels: odd_labels.clone(),
        voters: vec![
            voter(3.0, &[&[0], &[1, 2], &[3], &[4, 5]]),
            voter(0.1 + 0.2, &[&[5, 4, 3, 2, 1, 0]]),
            voter(0.0, &[&[2], &[0], &[1], &[3], &[4], &[5]]),
            voter(1e-300, &[&[1], &[0, 3], &[5, 2, 4]]),
        ],
    };
    let matrix = CustomPreferences::Matrix {
        labels: odd_labels[..3].to_vec(),
        rows: vec![
            vec![0.5, 0.1, 1.0 / 3.0],
            vec![0.9, 0.5, 0.0],
            vec![1.0 - 1.0 / 3.0, 1.0, 0.5],
        ],
    };
    for custom in [population, matrix] {
        let c = Config {
            preset: "condorcet-cycle".into(),
            k: 3,
            custom: Some(custom.into()),
            ..Config::default()
        };
        assert_round_trip(&c);
        let link = encode(&c);
        // Everything after "data=" is base64url: safe in any URL, no escaping needed.
        let data = link.split("data=").nth(1).unwrap();
        assert!(data
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }
    // The configuration form of a loaded preset round-trips too (the app's "edit" starts here).
    for p in presets::presets() {
        let prefs = presets::load(p.id).unwrap();
        let c = Config {
            preset: p.id.to_string(),
            custom: Some(CustomPreferences::from_preferences(&prefs).into()),
            ..Config::default()
        };
        if let Ok(link) = encode_checked(&c) {
            assert_eq!(decode(&link).as_ref(), Ok(&c), "{}", p.id);
        }
    }
}

#[test]
fn a_thousand_voter_population_fits_in_a_link() {
    let c = Config {
        custom: Some(random_population(8, 1000, 7).into()),
        ..Config::default()
    };
    let link = encode_checked(&c).unwrap();
    assert!(link.len() < MAX_FRAGMENT_BYTES, "{} bytes", link.len());
    assert_eq!(decode(&link), Ok(c));
}

#[test]
fn a_configuration_too_big_for_a_link_opens_again_from_its_json_export() {
    let c = Config {
        custom: Some(random_population(10, 20_000, 3).into()),
        k: 7,
        ..Config::default()
    };
    assert!(encode_checked(&c).is_err());
    // The app's results export: the configuration beside data that is not read back.
    let results = serde_json::json!({
        "config": c,
        "labels": ["0", "1"],
        "history": [{"iteration": 1}],
    });
    let text = serde_json::to_string_pretty(&results).unwrap();
    assert_eq!(Config::from_json(&text), Ok(c.clone()));
    // A bare configuration too; embed mode is left off.
    let embedded = Config {
        embed: true,
        ..c.clone()
    };
    assert_eq!(
        Config::from_json(&serde_json::to_string(&embedded).unwrap()),
        Ok(c)
    );
}

#[test]
fn the_saved_configurations_field_list_is_serdes() {
    let saved = serde_json::to_value(Config::default()).unwrap();
    let mut keys: Vec<&str> = saved
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut listed = ualign::config::CONFIG_FIELDS.to_vec();
    keys.sort_unstable();
    listed.sort_unstable();
    assert_eq!(keys, listed);
}

#[test]
fn a_configuration_file_that_cannot_be_opened_says_why() {
    let cases = [
        ("{\n  \"k\": 3,\n  \"iterations\" 4\n}", "not JSON: expected `:` at line 3 column 16"),
        ("{\"k\": 3, \"k\": 4}", "duplicate field `k`"),
        ("[1, 2]", "not a ualign configuration"),
        ("{\"config\": {\"kk\": 3}}", "unknown field \"kk\""),
        ("{\"k\": 0}", "(the limit on k)"),
        ("{\"k\": 2000}", "(the limit on k)"),
        ("{\"preset\": \"nope\"}", "nope"),
        (
            "{\"custom\": {\"matrix\": {\"labels\": [\"a\", \"b\"], \"rows\": [[0.5, 2], [-1, 0.5]]}}}",
            "entries must be probabilities",
        ),
    ];
    for (text, says) in cases {
        let e = Config::from_json(text).expect_err(text).0;
        assert!(e.contains(says), "{text}: {e}");
    }
}

#[test]
fn configurations_too_big_for_a_link_are_refused() {
    // 20,000 different random rankings do not compress below 32 KiB.
    let c = Config {
        custom: Some(random_population(10, 20_000, 3).into()),
        ..Config::default()
    };
    let m = encode_checked(&c).unwrap_err().0;
    assert!(m.starts_with("too big for a link: "), "{m}");
    assert!(
        m.ends_with("bytes (the limit is 32,768); export the configuration as JSON instead"),
        "{m}"
    );
    assert!(encode(&c).len() > MAX_FRAGMENT_BYTES);

    // 100,000 identical voter types compress into a short link, but would inflate past the
    // decoder's cap, so the link would not open: refused as well.
    let same = VoterSpec {
        weight: 1.0,
        ranking: RawRanking((0..10).map(|y| vec![y]).collect()),
    };
    let c = Config {
        custom: Some(
            CustomPreferences::Population {
                labels: (0..10).map(|i| i.to_string()).collect(),
                voters: vec![same; limits::MAX_VOTER_TYPES],
            }
            .into(),
        ),
        ..Config::default()
    };
    assert!(encode(&c).len() <= MAX_FRAGMENT_BYTES);
    let m = encode_checked(&c).unwrap_err().0;
    assert!(
        m.starts_with("too big for a link: the preferences take "),
        "{m}"
    );
    assert!(m.contains("(the limit is 4,194,304)"), "{m}");
}

#[test]
fn version_errors() {
    assert_eq!(
        err("v=3&k=5"),
        "this link is from a newer version (v=3) of the tool; this version reads v=1 links"
    );
    // A newer version's message wins over settings this version does not know.
    assert!(err("#wholly-new=syntax&v=2&x").contains("newer version (v=2)"));
    assert!(err("v=4294967296").contains("newer version (v=4294967296)"));
    // Percent-escaped keys and leading zeros are read like any other setting.
    assert!(err("%76=2").contains("newer version (v=2)"));
    assert!(err("%76=00").contains("v=00 does not exist"));
    assert_eq!(decode("v=001&k=%35").unwrap().k, 5);
    assert_eq!(
        err("v=0"),
        "the link's version v=0 does not exist (this tool reads v=1)"
    );
    assert_eq!(err("v=abc"), "the link's v is not a number: 'abc'");
    assert_eq!(err("v=1.0"), "the link's v is not a number: '1.0'");
    assert_eq!(
        err("k=5"),
        "the link has no version (links from this tool start with v=1)"
    );
}

#[test]
fn setting_errors() {
    assert_eq!(err("v=1&foo=1"), "unknown setting 'foo' in the link");
    assert_eq!(err("v=1&K=5"), "unknown setting 'K' in the link");
    assert_eq!(
        err("v=1&k=2&k=3"),
        "the setting 'k' appears twice in the link"
    );
    assert_eq!(err("v=1&v=1"), "the setting 'v' appears twice in the link");
    assert_eq!(err("v=1&k=abc"), "the link's k is not a number: 'abc'");
    for bad in ["-1", "+3", " 3", "3 ", "3.0", "", "0x3"] {
        assert_eq!(
            err(&format!("v=1&k={bad}")),
            format!("the link's k is not a number: '{bad}'")
        );
    }
    assert_eq!(
        err("v=1&seed=18446744073709551616"),
        "the link's seed is too large: '18446744073709551616'"
    );
    assert_eq!(
        err("v=1&eta=fast"),
        "the link's eta is not a number: 'fast'"
    );
    assert_eq!(
        err("v=1&beta=inf"),
        "the link's beta is not a number: 'inf'"
    );
    assert_eq!(
        err("v=1&beta=NaN"),
        "the link's beta is not a number: 'NaN'"
    );
    assert_eq!(
        err("v=1&algo=sgd"),
        "the link's algo 'sgd' is not one of hedge, optimistic-hedge, replicator, nash-md"
    );
    assert_eq!(
        err("v=1&embed=yes"),
        "the link's embed must be 1 or 0, not 'yes'"
    );
    assert_eq!(
        err("v=1&font=5"),
        "font scale 5 is outside 0.5..=3 (the limit on the font scale)"
    );
    assert_eq!(
        err("v=1&font=big"),
        "the link's font is not a number: 'big'"
    );
    assert_eq!(
        err("v=1&seed=9007199254740992"),
        "seed 9007199254740992 is over 9007199254740991 (the limit on seeds)"
    );
    assert_eq!(
        err("v=1&view=table"),
        "the link's view 'table' is not one of all, policies, win-rates, sweep, opponents, phase, arena, seats"
    );
    assert_eq!(
        err("v=1&challenger=0,,2"),
        "the link's challenger is not a number: ''"
    );
    assert_eq!(err("v=1&set=a"), "the link's set is not a number: 'a'");
    assert_eq!(
        err(&format!("v=1&set={}", vec!["0"; 65].join(","))),
        "the link's set lists more than 64 responses"
    );
    assert_eq!(
        err("v=1&challenger=0,1,2,3"),
        "a challenger of 4 responses is over the limit (3 responses)"
    );
    assert_eq!(
        err("v=1&k=2&set=0,1,2"),
        "a fixed set of 3 responses is more than k = 2 (a fixed set has k responses, at most 64)"
    );
    assert!(err("v=1&draws=9007199254740992").contains("the arena's seed"));
    assert!(err("v=1&preset=nope")
        .starts_with("the link names an unknown preset 'nope'; the presets are majority-51-49, "));
    assert_eq!(
        err("v=1&&k=2"),
        "the link has an empty setting (two '&' in a row, or one at an end)"
    );
    assert!(err("v=1&k=2&").contains("empty setting"));
    assert_eq!(
        err("v=1&k"),
        "the setting 'k' in the link has no value (write key=value)"
    );
    assert!(err("v=1&preset=%zz").contains("broken %-escape"));
    assert!(err("v=1&preset=%FF").contains("not valid UTF-8"));
    // Quoted text is clipped, so a long link cannot make a long message.
    let m = err(&format!("v=1&{}=1", "x".repeat(10_000)));
    assert!(m.len() < 100, "{m}");
}

#[test]
fn size_errors() {
    let long = format!("v=1&k={}", "1".repeat(40_000 - 6));
    assert_eq!(long.len(), 40_000);
    assert_eq!(
        err(&long),
        "the link is too long (40,000 bytes; the limit is 32,768)"
    );
    // The limit is on the fragment without '#': 32,768 bytes are read, 32,769 are not.
    let at_limit = format!("v=1&k={}", "0".repeat(MAX_FRAGMENT_BYTES - 7) + "5");
    assert_eq!(decode(&format!("#{at_limit}")).unwrap().k, 5);
    assert!(err(&format!("{at_limit}0")).starts_with("the link is too long (32,769 bytes"));
}

#[test]
fn data_errors() {
    assert_eq!(
        err("v=1&data=AAAA"),
        "the link's data is damaged (could not decompress)"
    );
    assert_eq!(
        err("v=1&data=ab+/"),
        "the link's data is damaged (not valid base64url)"
    );
    assert_eq!(
        err("v=1&data=abcde"),
        "the link's data is damaged (not valid base64url)"
    );
    // A truncated link: the deflate stream stops early.
    let good = encode(&Config {
        custom: Some(random_population(5, 50, 1).into()),
        ..Config::default()
    });
    let cut = &good[..good.len() - 8];
    assert_eq!(
        err(cut),
        "the link's data is damaged (could not decompress)"
    );
    // A zip bomb: 5 MiB of spaces deflate to a few KiB.
    let bomb = format!("v=1&data={}", pack_data(&vec![b' '; 5 << 20]));
    assert!(bomb.len() < MAX_FRAGMENT_BYTES);
    assert_eq!(
        err(&bomb),
        "the link's data decompresses to more than 4,194,304 bytes (the limit)"
    );
    assert_eq!(MAX_INFLATED_BYTES, 4_194_304);
    assert_eq!(
        err(&format!("v=1&data={}", pack_data(&[0xff, 0xfe]))),
        "the link's data is damaged (not text)"
    );
    let m = err(&format!(
        "v=1&data={}",
        pack_data(br#"{"matrix":{"labels":["a"],"rows":[[0.5]],"extra":1}}"#)
    ));
    assert!(
        m.starts_with("the link's data is damaged (not valid preferences: unknown field `extra`"),
        "{m}"
    );
    assert!(err(&format!("v=1&data={}", pack_data(b"[1,2"))).contains("not valid preferences"));
}

#[test]
fn validation_errors_pass_through() {
    let bad_k = Config {
        k: 0,
        ..Config::default()
    };
    assert_eq!(err("v=1&k=0"), bad_k.validate().unwrap_err().0);
    assert_eq!(
        err("v=1&k=2000"),
        "k = 2000 is outside 1..=1024 (the limit on k)"
    );
    assert!(err("v=1&players=1").contains("the limit on players"));
    assert!(err("v=1&iters=0").contains("the limit on iterations"));
    assert!(err("v=1&eta=-1").contains("step size -1 must be a positive number"));
    assert!(err("v=1&beta=1e999").contains("beta inf must be a positive number"));
    // Preferences are built, so a link that decodes can always be opened.
    let zero_weights = CustomPreferences::Population {
        labels: labels(&["a", "b"]),
        voters: vec![voter(0.0, &[&[0], &[1]])],
    };
    let expected = zero_weights.build().unwrap_err().0;
    let link = encode(&Config {
        custom: Some(zero_weights.into()),
        ..Config::default()
    });
    assert_eq!(err(&link), expected);
    let lopsided = CustomPreferences::Matrix {
        labels: labels(&["a", "b"]),
        rows: vec![vec![0.5, 0.7], vec![0.7, 0.5]],
    };
    let expected = lopsided.build().unwrap_err().0;
    let link = encode(&Config {
        custom: Some(lopsided.into()),
        ..Config::default()
    });
    assert_eq!(err(&link), expected);
}

/// The fastest of three runs: the machine is shared, and one slow run says little.
fn best_of_three(f: impl Fn()) -> std::time::Duration {
    (0..3)
        .map(|_| {
            let start = std::time::Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap()
}

#[test]
fn the_most_expensive_links_still_open_within_the_time_limit() {
    // The most work a link can ask for: a population whose JSON is just under the inflation cap
    // (85,000 voter types over 10 responses, 3.9 MB), packed into a link of a few KiB. Typical
    // links take microseconds; this one must stay within the fuzzers' 1 s limit per input
    // (docs/architecture.md#limits).
    let same = VoterSpec {
        weight: 1.0,
        ranking: RawRanking((0..10).map(|y| vec![y]).collect()),
    };
    let mut voters = vec![same; 85_000];
    let c = Config {
        custom: Some(
            CustomPreferences::Population {
                labels: (0..10).map(|i| i.to_string()).collect(),
                voters: voters.clone(),
            }
            .into(),
        ),
        ..Config::default()
    };
    let link = encode_checked(&c).unwrap();
    let valid = best_of_three(|| assert_eq!(decode(&link).as_ref(), Ok(&c)));
    // The same with the last ranking broken: refused only after all of it is read.
    voters.last_mut().unwrap().ranking = RawRanking(vec![vec![0], vec![0]]);
    let broken = encode(&Config {
        custom: Some(
            CustomPreferences::Population {
                labels: (0..10).map(|i| i.to_string()).collect(),
                voters,
            }
            .into(),
        ),
        ..Config::default()
    });
    let invalid = best_of_three(|| assert!(err(&broken).starts_with("voter type 85000: ")));
    // A bomb that fills the cap before it is refused.
    let bomb = format!(
        "v=1&data={}",
        pack_data(&vec![b'['; MAX_INFLATED_BYTES + 1])
    );
    let bomb_time = best_of_three(|| assert!(err(&bomb).contains("decompresses to more than")));
    println!("largest valid link {valid:?}, largest invalid {invalid:?}, bomb {bomb_time:?}");
    for t in [valid, invalid, bomb_time] {
        assert!(t < std::time::Duration::from_secs(1), "{t:?}");
    }
}

#[test]
fn at_end_opens_the_final_state_and_is_not_part_of_the_computation() {
    let c = decode("v=1&k=2&at=end").unwrap();
    assert!(c.at_end);
    assert_eq!(encode(&c), "v=1&k=2&at=end");
    assert!(!decode("v=1&at=start").unwrap().at_end);
    assert_eq!(encode(&decode("v=1&at=start").unwrap()), "v=1");
    assert!(err("v=1&at=middle").contains("is not end or start"));
    let start = Config {
        at_end: false,
        ..c.clone()
    };
    assert!(c.same_computation(&start));
}
