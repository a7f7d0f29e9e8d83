//! Fuzzing on stable Rust. Two parts:
//!
//! - Property tests (proptest, a few seconds, part of `cargo test`): arbitrary valid
//!   configurations round-trip through share links; arbitrary and mutated links never panic
//!   `url::decode`, and whatever it accepts round-trips; arbitrary and mutated text (real files
//!   from `data/` too) never panics the file readers, and whatever they accept is valid;
//!   arbitrary bytes never panic the worker's message decoders, whatever they accept
//!   round-trips, and arbitrary short request sequences keep the solver loop sound. A smoke
//!   run of the long-run fuzzer below, 20,000 inputs per target, is part of it too.
//! - The long run (`#[ignore]`d, driven by `scripts/fuzz.sh`): a seeded mutation fuzzer over the
//!   seed corpora in `fuzz/corpus/`, a million inputs per target by default, checking the same
//!   invariants as the cargo-fuzz targets (`fuzz/src/lib.rs`, included below) and timing every
//!   input. It exists because cargo-fuzz needs a nightly toolchain that a user may not have.

#[path = "../fuzz/src/lib.rs"]
mod checks;

use checks::Outcome;
use proptest::prelude::*;
use proptest::sample::select;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use ualign::config::{
    Algorithm, Config, CustomPreferences, View, VoterSpec, MAX_FONT_SCALE, MAX_SEED, MAX_SWEEP_K,
    MIN_FONT_SCALE,
};
use ualign::model::{limits, RawRanking};
use ualign::presets;
use ualign::protocol::{Fault, ToWorker};
use ualign::rng::Rng;
use ualign::url;

mod common;
use common::{APA, BREAKFAST, DOTS, LLMFAO_15, LLMFAO_BIG, NETFLIX, TSHIRT};

/// No input may take this long (docs/architecture.md#limits: no input may hang the worker).
const MAX_INPUT_TIME: Duration = Duration::from_secs(1);

/// Runs one target on one input and fails if it took too long.
fn timed(target: fn(&[u8]) -> Outcome, input: &[u8]) -> Outcome {
    let start = Instant::now();
    let outcome = target(input);
    let took = start.elapsed();
    assert!(
        took < MAX_INPUT_TIME,
        "{took:?} on {:?}",
        String::from_utf8_lossy(&input[..input.len().min(200)])
    );
    outcome
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/// The first `lines` lines of a file.
fn head(text: &str, lines: usize) -> String {
    text.lines().take(lines).map(|l| format!("{l}\n")).collect()
}

/// Real files, whole when small, else their heads (keeps each input cheap).
fn data_files() -> Vec<String> {
    vec![
        head(APA, 40),
        TSHIRT.to_string(),
        NETFLIX.to_string(),
        DOTS.to_string(),
        BREAKFAST.to_string(),
        LLMFAO_15.to_string(),
        head(LLMFAO_BIG, 60),
    ]
}

/// Every setting's key, and a few that are not.
const LINK_KEYS: [&str; 23] = [
    "v",
    "preset",
    "k",
    "players",
    "algo",
    "eta",
    "iters",
    "kmax",
    "seed",
    "beta",
    "view",
    "embed",
    "font",
    "challenger",
    "set",
    "draws",
    "at",
    "tour",
    "origins",
    "data",
    "",
    "V",
    "k%3D",
];

/// Values that sit on the edges of what the decoder reads.
const LINK_VALUES: [&str; 38] = [
    "0,2",
    "0,1,2,3",
    "1,,2",
    "arena",
    "1",
    "0",
    "2",
    "3",
    "4",
    "1024",
    "1025",
    "1000000",
    "1000001",
    "128",
    "129",
    "18446744073709551615",
    "18446744073709551616",
    "-1",
    "+1",
    "1e-3",
    "1e6",
    "1e999",
    "5e-324",
    "0.30000000000000004",
    "NaN",
    "inf",
    "",
    "abc",
    "%",
    "%41",
    "%FF",
    "hedge",
    "optimistic-hedge",
    "nash-md",
    "tshirt",
    "apa-1998",
    "true",
    "AAAA",
];

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

/// Labels with anything in them: URL syntax, quotes, control characters, any Unicode.
fn arb_label() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,8}",
        "(?s).{0,12}",
        Just("a & b = c #%+ /?".to_string()),
    ]
}

/// A positive float anywhere from the smallest subnormal to `max`, uniform over bit patterns
/// (positive floats are ordered like their bits), or a plain round number.
fn arb_positive(max: f64) -> impl Strategy<Value = f64> {
    prop_oneof![
        (1u64..=max.to_bits()).prop_map(f64::from_bits),
        (1u32..1000).prop_map(f64::from),
    ]
}

/// A probability: any f64 in [0, 1], uniform, or an edge.
fn arb_unit() -> impl Strategy<Value = f64> {
    prop_oneof![
        (0u64..=1f64.to_bits()).prop_map(f64::from_bits),
        0.0..=1.0f64,
        select(vec![0.0, 0.5, 1.0, 0.1, 1.0 / 3.0]),
    ]
}

/// A weak order of 0..n as raw classes: a shuffled order cut into tied classes, sometimes with
/// an empty class (which the model ignores but the JSON must still carry).
fn arb_ranking(n: usize) -> impl Strategy<Value = RawRanking> {
    (
        Just((0..n).collect::<Vec<usize>>()).prop_shuffle(),
        proptest::collection::vec(any::<bool>(), n),
        0..=n + 3,
    )
        .prop_map(|(order, cuts, empty_at)| {
            let mut classes: Vec<Vec<usize>> = Vec::new();
            for (y, cut) in order.into_iter().zip(cuts) {
                match classes.last_mut() {
                    Some(last) if !cut => last.push(y),
                    _ => classes.push(vec![y]),
                }
            }
            if empty_at <= classes.len() {
                classes.insert(empty_at, Vec::new());
            }
            RawRanking(classes)
        })
}

fn arb_population() -> impl Strategy<Value = CustomPreferences> {
    (1usize..=8).prop_flat_map(|n| {
        let weight = prop_oneof![arb_positive(1e300), Just(0.0)];
        (
            proptest::collection::vec(arb_label(), n),
            arb_positive(1e300),
            proptest::collection::vec((weight, arb_ranking(n)), 1..=12),
        )
            .prop_map(|(labels, first_weight, mut voters)| {
                // One positive weight makes the total positive.
                voters[0].0 = first_weight;
                CustomPreferences::Population {
                    labels,
                    voters: voters
                        .into_iter()
                        .map(|(weight, ranking)| VoterSpec { weight, ranking })
                        .collect(),
                }
            })
    })
}

fn arb_matrix() -> impl Strategy<Value = CustomPreferences> {
    (1usize..=6).prop_flat_map(|n| {
        (
            proptest::collection::vec(arb_label(), n),
            proptest::collection::vec(arb_unit(), n * n),
        )
            .prop_map(move |(labels, u)| {
                let mut rows = vec![vec![0.5; n]; n];
                for i in 0..n {
                    for j in (i + 1)..n {
                        rows[i][j] = u[i * n + j];
                        rows[j][i] = 1.0 - u[i * n + j];
                    }
                }
                CustomPreferences::Matrix { labels, rows }
            })
    })
}

/// Any valid configuration, each setting often at its default so "left out" is exercised too.
fn arb_config() -> impl Strategy<Value = Config> {
    let d = Config::default();
    let ids: Vec<String> = presets::presets()
        .iter()
        .map(|p| p.id.to_string())
        .collect();
    (
        select(ids),
        prop_oneof![Just(d.k), 1..=limits::MAX_K],
        proptest::option::of(2..=limits::MAX_PLAYERS),
        select(Algorithm::ALL.to_vec()),
        proptest::option::of(arb_positive(1e6)),
        prop_oneof![Just(d.iterations), 1..=limits::MAX_ITERATIONS],
        prop_oneof![Just(d.k_max), 1..=MAX_SWEEP_K],
        prop_oneof![Just(d.seed), 0..=MAX_SEED],
        prop_oneof![Just(d.beta), arb_positive(1e6)],
        proptest::option::of(prop_oneof![arb_population(), arb_matrix()]),
        (
            select(View::ALL.to_vec()),
            any::<bool>(),
            prop_oneof![Just(d.font_scale), MIN_FONT_SCALE..=MAX_FONT_SCALE],
            prop_oneof![
                Just(ualign::open_question::phase_map::Family::TwoResponses),
                (0usize..40)
                    .prop_map(|voter| ualign::open_question::phase_map::Family::Weight { voter }),
            ],
        ),
        (
            proptest::collection::vec(0usize..20, 0..=ualign::arena::MAX_CHALLENGER),
            proptest::collection::vec(0usize..20, 0..=6),
            prop_oneof![Just(d.draws), 0..=MAX_SEED],
            any::<bool>(),
            0usize..=ualign::deck::MAX_STEPS,
            proptest::collection::vec(
                select(vec![
                    "https://slides.example".to_string(),
                    "http://127.0.0.1:8080".to_string(),
                    "https://[::1]:8443".to_string(),
                ]),
                0..=3,
            ),
        ),
    )
        .prop_map(
            |(
                preset,
                k,
                players,
                algorithm,
                step_size,
                iterations,
                k_max,
                seed,
                beta,
                custom,
                (view, embed, font_scale, phase),
                (challenger, mut set, draws, at_end, tour, origins),
            )| {
                // A fixed set has at most k responses.
                set.truncate(k);
                Config {
                    preset,
                    k,
                    players,
                    algorithm,
                    step_size,
                    iterations,
                    k_max,
                    seed,
                    beta,
                    custom: custom.map(Into::into),
                    view,
                    embed,
                    font_scale,
                    phase,
                    challenger,
                    set,
                    draws,
                    at_end,
                    tour,
                    origins,
                }
            },
        )
}

/// Links built from real and junk keys and edge values, so decoding gets past the syntax.
fn arb_link() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        proptest::collection::vec(
            (select(LINK_KEYS.to_vec()), select(LINK_VALUES.to_vec())),
            0..8,
        ),
    )
        .prop_map(|(hash, settings)| {
            let body: Vec<String> = settings.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{}{}", if hash { "#" } else { "" }, body.join("&"))
        })
}

/// One edit of a byte string.
#[derive(Debug, Clone)]
enum Edit {
    Flip { at: usize, bit: u8 },
    Set { at: usize, byte: u8 },
    Insert { at: usize, bytes: Vec<u8> },
    Delete { at: usize, len: usize },
    Duplicate { from: usize, len: usize, to: usize },
    Truncate { at: usize },
}

fn arb_edit() -> impl Strategy<Value = Edit> {
    let at = any::<usize>();
    prop_oneof![
        (at, 0u8..8).prop_map(|(at, bit)| Edit::Flip { at, bit }),
        (at, any::<u8>()).prop_map(|(at, byte)| Edit::Set { at, byte }),
        (at, proptest::collection::vec(any::<u8>(), 1..6))
            .prop_map(|(at, bytes)| Edit::Insert { at, bytes }),
        (at, 1usize..40).prop_map(|(at, len)| Edit::Delete { at, len }),
        (at, 1usize..200, any::<usize>()).prop_map(|(from, len, to)| Edit::Duplicate {
            from,
            len,
            to
        }),
        at.prop_map(|at| Edit::Truncate { at }),
    ]
}

/// Applies edits; positions wrap around the current length, so every edit applies.
fn apply(edits: &[Edit], mut b: Vec<u8>) -> Vec<u8> {
    for e in edits {
        let n = b.len();
        let pos = |at: usize| if n == 0 { 0 } else { at % (n + 1) };
        match e {
            Edit::Flip { at, bit } if n > 0 => b[at % n] ^= 1 << bit,
            Edit::Set { at, byte } if n > 0 => b[at % n] = *byte,
            Edit::Insert { at, bytes } => {
                let at = pos(*at);
                b.splice(at..at, bytes.iter().copied());
            }
            Edit::Delete { at, len } => {
                let at = pos(*at);
                b.drain(at..(at + len).min(n));
            }
            Edit::Duplicate { from, len, to } => {
                let from = pos(*from);
                let piece = b[from..(from + len).min(n)].to_vec();
                let to = pos(*to);
                b.splice(to..to, piece);
            }
            Edit::Truncate { at } => b.truncate(pos(*at)),
            _ => {}
        }
    }
    b
}

/// Requests the page sends, on the small presets with small caps (so a sequence runs fast).
fn arb_request() -> impl Strategy<Value = ToWorker> {
    let load = (
        select(checks::SMALL_PRESETS.to_vec()),
        1usize..=4,
        1usize..=30,
        1usize..=3,
        any::<bool>(),
    )
        .prop_map(|(preset, k, iterations, k_max, two_players)| {
            ToWorker::Load(Config {
                preset: preset.into(),
                k,
                players: two_players.then_some(2),
                iterations,
                k_max,
                ..Config::default()
            })
        });
    let import =
        (select(checks::FILE_NAMES.to_vec()), select(small_files())).prop_map(|(name, text)| {
            ToWorker::Import {
                name: name.into(),
                text,
            }
        });
    prop_oneof![
        3 => Just(ToWorker::Play),
        2 => Just(ToWorker::Pause),
        2 => Just(ToWorker::Step),
        1 => Just(ToWorker::Restart),
        2 => Just(ToWorker::Stop),
        2 => Just(ToWorker::Sweep),
        1 => (0u32..200).prop_map(ToWorker::SetSpeed),
        2 => load,
        1 => import,
        1 => any::<u32>().prop_map(ToWorker::Ping),
    ]
}

/// Small real files for `Import` requests.
fn small_files() -> Vec<String> {
    vec![head(TSHIRT, 20), NETFLIX.to_string(), LLMFAO_15.to_string()]
}

/// JSON-shaped text: the tokens of the messages in any order, so decoding gets past the syntax.
fn arb_json_soup() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![
            select(MESSAGE_TOKENS.to_vec()).prop_map(String::from),
            select(INTERESTING_NUMBERS.to_vec()).prop_map(String::from),
        ],
        0..24,
    )
    .prop_map(|tokens| tokens.concat().into_bytes())
}

// ---------------------------------------------------------------------------------------------
// Properties (part of `cargo test`)
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn valid_configurations_round_trip(c in arb_config()) {
        prop_assert!(c.validate().is_ok());
        if let Some(custom) = &c.custom {
            prop_assert!(custom.build().is_ok(), "{:?}", custom.build());
        }
        let link = url::encode_checked(&c).unwrap();
        prop_assert_eq!(&link, &url::encode(&c));
        prop_assert!(link == "v=1" || link.starts_with("v=1&"), "{}", link);
        prop_assert_eq!(url::decode(&link), Ok(c.clone()));
        prop_assert_eq!(url::decode(&format!("#{link}")), Ok(c));
    }

    #[test]
    fn valid_configurations_round_trip_through_a_json_file(c in arb_config()) {
        // What "Export JSON" writes is what "Import" opens (embed mode, the tour's place and
        // the host origins aside: a file opens in the full view).
        let text = serde_json::to_string(&c).unwrap();
        let opened = Config { embed: false, tour: 0, origins: Vec::new(), ..c };
        prop_assert_eq!(Config::from_json(&text), Ok(opened));
    }

    #[test]
    fn arbitrary_json_files_never_panic_and_accepted_ones_are_valid(text in "\\PC{0,200}") {
        if let Ok(c) = Config::from_json(&text) {
            prop_assert!(c.validate().is_ok() && c.preferences().is_ok() && !c.embed);
        }
        if let Ok(c) = Config::from_json(&format!("{{\"config\": {text}}}")) {
            prop_assert!(c.validate().is_ok() && c.preferences().is_ok());
        }
    }

    #[test]
    fn mutated_links_never_panic_and_accepted_ones_round_trip(
        c in arb_config(),
        edits in proptest::collection::vec(arb_edit(), 1..5),
    ) {
        let link = apply(&edits, url::encode(&c).into_bytes());
        timed(checks::url_decode, &link);
    }

    #[test]
    fn mutated_real_files_never_panic_the_readers(
        file in select(data_files()),
        edits in proptest::collection::vec(arb_edit(), 1..5),
    ) {
        let text = apply(&edits, file.into_bytes());
        timed(checks::read_preflib, &text);
        timed(checks::read_matrix_csv, &text);
        timed(checks::read_comparisons_csv, &text);
        for first in 0..checks::FILE_NAMES.len() as u8 {
            let mut named = vec![first];
            named.extend_from_slice(&text);
            timed(checks::read_any, &named);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_links_never_panic_and_accepted_ones_round_trip(
        link in prop_oneof![arb_link(), any::<String>()],
    ) {
        timed(checks::url_decode, link.as_bytes());
    }

    #[test]
    fn arbitrary_text_never_panics_the_readers(
        text in prop_oneof![
            any::<String>(),
            // PrefLib- and CSV-shaped lines reach past the first checks.
            "(# [A-Z ]{0,20}: [a-z0-9 ]{0,6}\n){0,4}([0-9]{1,3}: [0-9{},]{0,12}\n){0,6}",
            "([a-z0-9.,\"{}]{0,16}\n){0,8}",
        ],
    ) {
        let bytes = text.as_bytes();
        timed(checks::read_preflib, bytes);
        timed(checks::read_matrix_csv, bytes);
        timed(checks::read_comparisons_csv, bytes);
        for first in 0..checks::FILE_NAMES.len() as u8 {
            let mut named = vec![first];
            named.extend_from_slice(bytes);
            timed(checks::read_any, &named);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic_the_message_decoders_and_accepted_ones_round_trip(
        input in prop_oneof![
            any::<Vec<u8>>(),
            any::<String>().prop_map(String::into_bytes),
            arb_json_soup(),
            (arb_request(), proptest::collection::vec(arb_edit(), 0..4)).prop_map(
                |(msg, edits)| apply(&edits, serde_json::to_vec(&msg).unwrap())
            ),
            (arb_config(), proptest::collection::vec(arb_edit(), 0..4)).prop_map(
                |(c, edits)| apply(&edits, serde_json::to_vec(&ToWorker::Load(c)).unwrap())
            ),
        ],
    ) {
        timed(checks::worker_messages, &input);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_request_sequences_keep_the_solver_loop_sound(
        requests in proptest::collection::vec(arb_request(), 1..12),
    ) {
        let start = Instant::now();
        checks::drive_loop(&requests);
        prop_assert!(start.elapsed() < MAX_INPUT_TIME, "{:?}", start.elapsed());
    }
}

// ---------------------------------------------------------------------------------------------
// The long run: a seeded mutation fuzzer on stable Rust (scripts/fuzz.sh)
// ---------------------------------------------------------------------------------------------

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The seed corpus of a target: every file in `fuzz/corpus/<target>/`.
fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = fuzz_dir().join("corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let seeds: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    assert!(!seeds.is_empty(), "empty corpus in {}", dir.display());
    seeds
}

/// Bytes that tend to matter to these parsers.
const INTERESTING_BYTES: &[u8] = b"\x00\x7f\x80\xff\n\r\t ,:;{}[]\"'=&%#+-.eE0123456789";

/// Numbers on the edges of limits and of integer and float types.
const INTERESTING_NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "64",
    "65",
    "1024",
    "1025",
    "100000",
    "100001",
    "1000001",
    "4294967296",
    "9007199254740993",
    "18446744073709551616",
    "99999999999999999999999999",
    "1e308",
    "1e309",
    "-0",
    "0.5",
    "5e-324",
    "NaN",
];

/// Tokens of each input format, inserted whole so mutations keep some structure.
fn dictionary(target: &str) -> &'static [&'static str] {
    match target {
        "url_decode" => &[
            "v=1",
            "&",
            "=",
            "#",
            "%",
            "%25",
            "%26",
            "v=",
            "&preset=",
            "&k=",
            "&players=",
            "&algo=",
            "&eta=",
            "&iters=",
            "&kmax=",
            "&seed=",
            "&beta=",
            "&embed=1",
            "&font=2",
            "&view=sweep",
            "win-rates",
            "&data=",
            "replicator",
            "nash-md",
            "tshirt",
            "llmfao",
        ],
        "worker_messages" => MESSAGE_TOKENS,
        "read_deck" => &[
            "{\"ualign_deck\":1,\"title\":\"\",\"steps\":[",
            "{\"fragment\":\"v=1\",\"title\":\"t\",\"caption\":\"c\"}",
            "\"question\":{\"prompt\":\"p\",\"answer\":\"nlhf-top\"}",
            "\"nlhf-win-rate\"",
            "\"notes\":",
            "&k=",
            "&view=arena",
            "{nlhf}",
            ",",
            "]}",
        ],
        "read_host_message" => &[
            "{\"ualign\":1,\"method\":\"",
            "play\"}",
            "goto\",\"args\":{\"step\":",
            "load\",\"args\":{\"fragment\":\"v=1",
            "\"}}",
            "next",
            "prev",
            "get",
            "restart",
            "&k=",
            "\"args\":{}",
            "1e3",
            "-0",
            "}",
        ],
        "read_preflib" | "read_any" => &[
            "# DATA TYPE: soc\n",
            "# DATA TYPE: soi\n",
            "# DATA TYPE: toc\n",
            "# DATA TYPE: toi\n",
            "# NUMBER ALTERNATIVES: ",
            "# NUMBER VOTERS: ",
            "# ALTERNATIVE NAME 1: ",
            "{",
            "}",
            ": ",
            ",",
            "\n",
            "1: 1,2,3\n",
            "2: {1,2},3\n",
            "left,right,winner\n",
            "a,b,tie\n",
            "\"",
        ],
        _ => &[
            ",",
            "\n",
            "\r\n",
            "\"",
            "\"\"",
            "left",
            "right",
            "winner",
            "tie",
            "0.5",
            "1.0",
            "left,right,winner\n",
            "a,b,left\n",
            "b,a,right\n",
            ",a,b\n",
        ],
    }
}

/// JSON tokens of the worker messages: variant and field names, and the syntax around them.
const MESSAGE_TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "null",
    "true",
    "false",
    "-",
    "\\u0000",
    "\"Load\"",
    "\"Play\"",
    "\"Pause\"",
    "\"Step\"",
    "\"Restart\"",
    "\"Stop\"",
    "\"SetSpeed\"",
    "\"Sweep\"",
    "\"Import\"",
    "\"Ping\"",
    "\"Fault\"",
    "\"Busy\"",
    "\"Panic\"",
    "\"Ready\"",
    "\"Loaded\"",
    "\"Snapshot\"",
    "\"History\"",
    "\"SweepProgress\"",
    "\"Opponents\"",
    "\"Done\"",
    "\"Imported\"",
    "\"Error\"",
    "\"Pong\"",
    "\"Draft\"",
    "\"ReadDeck\"",
    "\"add\"",
    "\"up:1\"",
    "\"delete:2\"",
    "\"name\"",
    "\"text\"",
    "\"config\"",
    "\"preset\"",
    "\"k\"",
    "\"players\"",
    "\"iterations\"",
    "\"k_max\"",
    "\"custom\"",
    "\"done\"",
    "\"total\"",
    "\"row\"",
    "\"status\"",
    "\"Running\"",
    "\"population\"",
    "\"matrix\"",
    "\"labels\"",
    "\"voters\"",
    "\"rows\"",
    "\"condorcet-cycle\"",
];

/// JSON tokens for mutating the preferences packed in a link's `data`.
const JSON_TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "null",
    "true",
    "-",
    "1e999",
    "\"labels\"",
    "\"voters\"",
    "\"rows\"",
    "\"weight\"",
    "\"ranking\"",
    "\"population\"",
    "\"matrix\"",
    "[0,1]",
    "[[0,1]]",
];

struct Mutator {
    rng: Rng,
    dictionary: &'static [&'static str],
}

impl Mutator {
    fn below(&mut self, n: usize) -> usize {
        self.rng.below(n.max(1))
    }

    /// A position in 0..=len.
    fn pos(&mut self, b: &[u8]) -> usize {
        self.below(b.len() + 1)
    }

    /// 1 to 4 stacked mutations (bit flips, byte sets, insertions, deletions, duplications,
    /// splices with another seed, dictionary tokens, edge numbers, truncation).
    fn mutate(&mut self, b: &mut Vec<u8>, others: &[Vec<u8>], dictionary: &[&str]) {
        for _ in 0..1 + self.below(4) {
            let n = b.len();
            match self.below(11) {
                0 if n > 0 => {
                    let i = self.below(n);
                    b[i] ^= 1 << self.below(8);
                }
                1 if n > 0 => {
                    let i = self.below(n);
                    b[i] = INTERESTING_BYTES[self.below(INTERESTING_BYTES.len())];
                }
                2 => {
                    let at = self.pos(b);
                    let len = 1 + self.below(4);
                    let bytes: Vec<u8> = (0..len)
                        .map(|_| match self.below(2) {
                            0 => self.rng.next_u64() as u8,
                            _ => INTERESTING_BYTES[self.below(INTERESTING_BYTES.len())],
                        })
                        .collect();
                    b.splice(at..at, bytes);
                }
                3 if n > 0 => {
                    let at = self.below(n);
                    let len = 1 + self.below(16.min(n - at));
                    b.drain(at..at + len);
                }
                4 if n > 0 => {
                    let from = self.below(n);
                    let len = 1 + self.below(64.min(n - from));
                    let piece = b[from..from + len].to_vec();
                    let to = self.pos(b);
                    b.splice(to..to, piece);
                }
                5 if !others.is_empty() => {
                    let other = &others[self.below(others.len())];
                    let cut = self.pos(b);
                    let from = self.below(other.len() + 1);
                    b.truncate(cut);
                    b.extend_from_slice(&other[from..]);
                }
                6 | 7 => {
                    let token = dictionary[self.below(dictionary.len())].as_bytes();
                    let at = self.pos(b);
                    if self.below(2) == 0 || at + token.len() > n {
                        b.splice(at..at, token.iter().copied());
                    } else {
                        b.splice(at..at + token.len(), token.iter().copied());
                    }
                }
                8 => {
                    // Replace the run of digits around a random position with an edge number.
                    let number = INTERESTING_NUMBERS[self.below(INTERESTING_NUMBERS.len())];
                    let mut start = self.pos(b).min(n);
                    while start > 0 && b[start - 1].is_ascii_digit() {
                        start -= 1;
                    }
                    let mut end = start;
                    while end < n && b[end].is_ascii_digit() {
                        end += 1;
                    }
                    b.splice(start..end, number.bytes());
                }
                9 if n > 0 => {
                    let at = self.below(n);
                    b.truncate(at);
                }
                _ => {
                    let at = self.pos(b);
                    let byte = self.rng.next_u64() as u8;
                    b.insert(at, byte);
                }
            }
        }
        // Inputs stay around the size of real ones; only the URL decoder sees the size cap.
        b.truncate(64 * 1024);
    }

    /// For links with `data`: mutate the JSON inside (inflate, mutate, deflate, re-encode), so
    /// inputs reach the JSON reader and the model checks, not only the base64 and deflate ones.
    fn mutate_link_data(&mut self, link: &[u8]) -> Option<Vec<u8>> {
        let text = std::str::from_utf8(link).ok()?;
        let start = text.find("data=")? + "data=".len();
        let end = text[start..].find('&').map_or(text.len(), |e| start + e);
        let mut json = url::unpack_data(&text[start..end], 1 << 20)?;
        self.mutate(&mut json, &[], JSON_TOKENS);
        let data = url::pack_data(&json);
        Some(format!("{}{data}{}", &text[..start], &text[end..]).into_bytes())
    }
}

/// Totals of one target's run.
struct Report {
    inputs: u64,
    accepted: u64,
    rejected: u64,
    max_time: Duration,
    wall: Duration,
}

/// Runs `inputs` mutated inputs through a target. Each input is a seed or an earlier accepted
/// input (a small pool, so mutations can build on each other) with stacked mutations. A panic,
/// an input over 1 s or a failed invariant saves the input under `fuzz/artifacts/<target>/`
/// and fails the test.
fn long_run(target: &str, run: fn(&[u8]) -> Outcome) -> Report {
    let inputs: u64 = std::env::var("FUZZ_INPUTS")
        .ok()
        .map(|s| {
            s.replace(['_', ','], "")
                .parse()
                .expect("FUZZ_INPUTS is a number")
        })
        .unwrap_or(1_000_000);
    run_inputs(target, run, inputs)
}

/// `inputs` mutated inputs through a target (see `long_run`).
fn run_inputs(target: &str, run: fn(&[u8]) -> Outcome, inputs: u64) -> Report {
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .map(|s| s.parse().expect("FUZZ_SEED is a number"))
        .unwrap_or(1);
    let seeds = corpus(target);
    let mut m = Mutator {
        rng: Rng::new(seed ^ (target.len() as u64 * 0x9E37_79B9)),
        dictionary: dictionary(target),
    };
    let mut pool: Vec<Vec<u8>> = Vec::new();
    const POOL: usize = 512;
    let mut report = Report {
        inputs: 0,
        accepted: 0,
        rejected: 0,
        max_time: Duration::ZERO,
        wall: Duration::ZERO,
    };
    let started = Instant::now();
    for i in 0..inputs {
        let input = {
            // The first inputs are the seeds themselves, unmutated.
            if (i as usize) < seeds.len() {
                seeds[i as usize].clone()
            } else {
                let base = if pool.is_empty() || m.below(2) == 0 {
                    &seeds[m.below(seeds.len())]
                } else {
                    &pool[m.below(pool.len())]
                };
                let inner = if target == "url_decode" && m.below(3) == 0 {
                    m.mutate_link_data(base)
                } else {
                    None
                };
                inner.unwrap_or_else(|| {
                    let mut b = base.clone();
                    let dictionary = m.dictionary;
                    m.mutate(&mut b, &seeds, dictionary);
                    b
                })
            }
        };
        let start = Instant::now();
        let outcome = std::panic::catch_unwind(|| run(&input));
        let took = start.elapsed();
        let failure = match &outcome {
            Err(_) => Some("panic"),
            Ok(_) if took >= MAX_INPUT_TIME => Some("slow"),
            Ok(_) => None,
        };
        if let Some(kind) = failure {
            let dir = fuzz_dir().join("artifacts").join(target);
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(format!("{kind}-seed{seed}-input{i}"));
            std::fs::write(&path, &input).unwrap();
            panic!(
                "{target}: {kind} on input {i} ({took:?}), saved to {}",
                path.display()
            );
        }
        report.max_time = report.max_time.max(took);
        report.inputs += 1;
        match outcome {
            Ok(Outcome::Accepted) => {
                report.accepted += 1;
                if pool.len() < POOL {
                    pool.push(input);
                } else {
                    let slot = m.below(POOL);
                    pool[slot] = input;
                }
            }
            _ => report.rejected += 1,
        }
    }
    report.wall = started.elapsed();
    println!(
        "fuzz {target}: {} inputs, {} accepted, {} rejected, max {:.3} ms per input, {:.1} s wall (seed {seed})",
        report.inputs,
        report.accepted,
        report.rejected,
        report.max_time.as_secs_f64() * 1e3,
        report.wall.as_secs_f64()
    );
    report
}

#[test]
#[ignore = "long run: scripts/fuzz.sh"]
fn fuzz_url_decode() {
    long_run("url_decode", checks::url_decode);
}

#[test]
#[ignore = "long run: scripts/fuzz.sh"]
fn fuzz_read_preflib() {
    long_run("read_preflib", checks::read_preflib);
}

#[test]
#[ignore = "long run: scripts/fuzz.sh"]
fn fuzz_read_matrix_csv() {
    long_run("read_matrix_csv", checks::read_matrix_csv);
}

#[test]
#[ignore = "long run: scripts/fuzz.sh"]
fn fuzz_read_comparisons_csv() {
    long_run("read_comparisons_csv", checks::read_comparisons_csv);
}

#[test]
#[ignore = "long run: scripts/fuzz.sh"]
fn fuzz_read_any() {
    long_run("read_any", checks::read_any);
}

#[test]
#[ignore = "long run: scripts/fuzz.sh"]
fn fuzz_read_deck() {
    long_run("read_deck", checks::read_deck);
}

#[test]
#[ignore = "long run: scripts/fuzz.sh"]
fn fuzz_read_host_message() {
    long_run("read_host_message", checks::read_host_message);
}

#[test]
#[ignore = "long run: scripts/fuzz.sh"]
fn fuzz_worker_messages() {
    long_run("worker_messages", checks::worker_messages);
}

/// A fuzz target: one input in, whether it was accepted out (panics and failed invariants
/// are the findings).
type Target = fn(&[u8]) -> Outcome;

/// Every target of the long run, by name.
const TARGETS: [(&str, Target); 8] = [
    ("url_decode", checks::url_decode),
    ("read_preflib", checks::read_preflib),
    ("read_matrix_csv", checks::read_matrix_csv),
    ("read_comparisons_csv", checks::read_comparisons_csv),
    ("read_any", checks::read_any),
    ("worker_messages", checks::worker_messages),
    ("read_deck", checks::read_deck),
    ("read_host_message", checks::read_host_message),
];

/// The stable fuzzer's smoke run, part of `cargo test` (and so of `make test`): 20,000 inputs
/// per target with the long run's mutations and invariants, a few seconds in all at the test
/// profile's opt-level 2.
#[test]
fn fuzz_smoke_20000_inputs_per_target() {
    for (target, run) in TARGETS {
        let report = run_inputs(target, run, 20_000);
        // The mutations reach both sides of each decoder.
        assert!(
            report.accepted > 0 && report.rejected > 0,
            "{target}: {} accepted, {} rejected",
            report.accepted,
            report.rejected
        );
    }
}

/// A short run of the long-run driver itself, so `cargo test` keeps it working.
#[test]
fn the_long_run_driver_works_on_every_corpus() {
    for (target, run) in TARGETS {
        // Every seed is accepted: the corpora are real inputs, not junk.
        for (i, seed) in corpus(target).iter().enumerate() {
            assert_eq!(run(seed), Outcome::Accepted, "{target} seed {i}");
        }
        let mut m = Mutator {
            rng: Rng::new(9),
            dictionary: dictionary(target),
        };
        let seeds = corpus(target);
        for i in 0..300 {
            let mut b = seeds[i % seeds.len()].clone();
            let dictionary = m.dictionary;
            m.mutate(&mut b, &seeds, dictionary);
            if target == "url_decode" {
                if let Some(inner) = m.mutate_link_data(&seeds[i % seeds.len()]) {
                    timed(run, &inner);
                }
            }
            timed(run, &b);
        }
    }
}

/// Writes the seed corpora in `fuzz/corpus/` from `data/` heads and example links:
/// `cargo test --test fuzz_props -- --ignored regenerate_seed_corpora`.
#[test]
#[ignore = "writes fuzz/corpus/"]
fn regenerate_seed_corpora() {
    let write = |target: &str, name: &str, bytes: &[u8]| {
        let dir = fuzz_dir().join("corpus").join(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    };
    let population = CustomPreferences::Population {
        labels: ["a & b = c", "naïve ✓ 😀", "#%+ space", "d"]
            .map(String::from)
            .to_vec(),
        voters: vec![
            VoterSpec {
                weight: 3.0,
                ranking: RawRanking(vec![vec![0], vec![1, 2], vec![3]]),
            },
            VoterSpec {
                weight: 0.25,
                ranking: RawRanking(vec![vec![3], vec![2], vec![1], vec![0]]),
            },
        ],
    };
    let matrix = CustomPreferences::Matrix {
        labels: ["x", "y", "z"].map(String::from).to_vec(),
        rows: vec![
            vec![0.5, 0.7, 0.1],
            vec![0.30000000000000004, 0.5, 0.6],
            vec![0.9, 0.4, 0.5],
        ],
    };
    let links = [
        ("default", "v=1".to_string()),
        (
            "handwritten",
            "v=1&preset=tshirt&k=6&algo=replicator".to_string(),
        ),
        (
            "every-setting",
            url::encode(&Config {
                preset: "condorcet-cycle".into(),
                k: 8,
                players: Some(3),
                algorithm: Algorithm::NashMd,
                step_size: Some(0.125),
                iterations: 5000,
                k_max: 64,
                seed: 42,
                beta: 0.5,
                custom: None,
                view: View::Sweep,
                embed: true,
                font_scale: 1.75,
                phase: ualign::open_question::phase_map::Family::Weight { voter: 0 },
                challenger: vec![0, 2],
                set: vec![1, 2],
                draws: 7,
                at_end: true,
                tour: 3,
                origins: vec!["https://slides.example".into()],
            }),
        ),
        (
            "population",
            url::encode(&Config {
                k: 3,
                custom: Some(population.into()),
                ..Config::default()
            }),
        ),
        (
            "matrix",
            format!(
                "#{}",
                url::encode(&Config {
                    preset: "llmfao".into(),
                    custom: Some(matrix.into()),
                    ..Config::default()
                })
            ),
        ),
    ];
    for (name, link) in links {
        write("url_decode", &format!("{name}.txt"), link.as_bytes());
    }
    let toc = "# DATA TYPE: toc\n# NUMBER ALTERNATIVES: 4\n# ALTERNATIVE NAME 1: a\n\
               # ALTERNATIVE NAME 2: b\n# ALTERNATIVE NAME 3: c\n# ALTERNATIVE NAME 4: d\n\
               5: 1,{2,3},4\n2: {1,2,3,4}\n1: 4,3,2,1\n";
    let toi = "# DATA TYPE: toi\n# NUMBER ALTERNATIVES: 3\n3: 2\n1: {1,3}\n4: 3,1,2\n";
    for (name, text) in [
        ("tshirt.soc", head(TSHIRT, 32)),
        ("netflix.soc", NETFLIX.to_string()),
        ("apa.soi", head(APA, 36)),
        ("ties.toc", toc.to_string()),
        ("ties.toi", toi.to_string()),
    ] {
        write("read_preflib", name, text.as_bytes());
    }
    let small_matrix = "label,a,b,c\na,0.5,0.7,0.2\nb,0.3,0.5,0.6\nc,0.8,0.4,0.5\n";
    let bare_matrix = "0.5,1\n0,0.5\n";
    for (name, text) in [
        ("llmfao-15.csv", LLMFAO_15),
        ("labelled-3.csv", small_matrix),
        ("bare-2.csv", bare_matrix),
    ] {
        write("read_matrix_csv", name, text.as_bytes());
    }
    let quoted = "left,right,winner,note\n\"a, the first\",b,left,x\nb,c,tie,\nc,\"a, the first\",right,\"y \"\"z\"\"\"\nb,a,left,\n";
    for (name, text) in [
        ("llmfao-head.csv", head(LLMFAO_BIG, 48)),
        ("quoted.csv", quoted.to_string()),
    ] {
        write("read_comparisons_csv", name, text.as_bytes());
    }
    // read_any: the first byte picks the file name (checks::FILE_NAMES).
    for (name, first, text) in [
        ("soc", 0u8, head(TSHIRT, 32)),
        ("soi", 1, head(APA, 36)),
        ("toc", 2, toc.to_string()),
        ("matrix-csv", 4, small_matrix.to_string()),
        ("comparisons-csv", 5, head(LLMFAO_BIG, 48)),
    ] {
        let mut bytes = vec![first];
        bytes.extend_from_slice(text.as_bytes());
        write("read_any", name, &bytes);
    }
    // worker_messages: requests and replies as JSON, small enough to build for every input.
    let small = Config {
        preset: "condorcet-cycle".into(),
        k: 3,
        iterations: 50,
        k_max: 3,
        ..Config::default()
    };
    let requests = [
        ("load.json", ToWorker::Load(small.clone())),
        (
            "import.json",
            ToWorker::Import {
                name: "ties.toi".into(),
                text: toi.to_string(),
            },
        ),
        ("set-speed.json", ToWorker::SetSpeed(60)),
        ("stop.json", ToWorker::Stop),
        ("busy.json", ToWorker::Fault(Fault::Busy(5))),
        (
            "draft-add.json",
            ToWorker::Draft(ualign::protocol::DraftRequest::Add {
                view: "v=1&k=3".into(),
                title: "T".into(),
                caption: "C {game}".into(),
                notes: "N".into(),
            }),
        ),
        (
            "draft-move.json",
            ToWorker::Draft(ualign::protocol::DraftRequest::Down(1)),
        ),
        (
            "arena-open.json",
            ToWorker::Arena(ualign::arena::live::ArenaRequest::Open(
                ualign::arena::live::ArenaSetup {
                    challenger: vec![0, 2],
                    set: vec![1, 2],
                    draws: 5,
                },
            )),
        ),
    ];
    for (name, msg) in requests {
        write("worker_messages", name, &serde_json::to_vec(&msg).unwrap());
    }
    let session = ualign::session::Session::new(&small).unwrap();
    let replies = [
        (
            "snapshot.json",
            ualign::protocol::FromWorker::Snapshot {
                snapshot: session.snapshot(),
                description: session.describe(),
                status: ualign::protocol::RunStatus::Idle,
            },
        ),
        (
            "sweep-progress.json",
            ualign::protocol::FromWorker::SweepProgress {
                row: session.sweep_point(2),
                done: 2,
                total: 3,
            },
        ),
        (
            "opponents.json",
            ualign::protocol::FromWorker::Opponents(session.opponent_curve()),
        ),
        (
            "draft.json",
            ualign::protocol::FromWorker::Draft(ualign::deck_draft::DeckDraft::default().apply(
                &ualign::protocol::DraftRequest::Add {
                    view: "v=1&k=3".into(),
                    title: "<i>t</i>".into(),
                    caption: String::new(),
                    notes: String::new(),
                },
            )),
        ),
        ("arena.json", {
            let mut arena = ualign::arena::live::Arena::new(
                session.game_population(),
                session.maximal_lottery().to_vec(),
                session.equilibrium().policy.clone(),
                3,
                4,
                ualign::arena::live::ArenaSetup {
                    challenger: vec![1],
                    set: vec![0, 1, 2],
                    draws: 5,
                },
            );
            arena.handle(ualign::arena::live::ArenaRequest::Rounds(3), 0.0);
            arena.handle(ualign::arena::live::ArenaRequest::BestSet, 0.0);
            let view = ualign::arena::view::view(&arena.report(), &[0, 1, 2], session.labels());
            ualign::protocol::FromWorker::Arena(Box::new(view))
        }),
    ];
    for (name, msg) in replies {
        write("worker_messages", name, &serde_json::to_vec(&msg).unwrap());
    }
}
