//! The invariants checked on every fuzz input: no panic, and whatever is accepted is valid and
//! survives a round trip. Shared by the cargo-fuzz targets and the stable-Rust driver in
//! `tests/fuzz_props.rs` (which includes this file), so both check exactly the same things.
//! Each function panics when an invariant breaks, which is how libFuzzer sees a failure.

use std::borrow::Cow;
use ualign::config::{Config, CustomPreferences};
use ualign::model::{PairwiseMatrix, Population, Preferences};
use ualign::protocol::{self, FromWorker, RunStatus, ToWorker};
use ualign::solver_loop::SolverLoop;
use ualign::{deck, embed, presets, readers, url};

/// What a target did with one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Accepted,
    Rejected,
}

/// Readers and the URL decoder take text; invalid UTF-8 becomes U+FFFD as a browser would.
fn text(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// An error must say something, and not echo a whole hostile input back.
fn check_message(what: &str, message: &str) {
    assert!(!message.is_empty(), "{what}: empty error message");
    assert!(
        message.len() <= 2000,
        "{what}: error message of {} bytes",
        message.len()
    );
}

/// `url::decode`: an accepted link is a valid, usable configuration, and encoding it again
/// and decoding gives the same configuration.
pub fn url_decode(data: &[u8]) -> Outcome {
    match url::decode(&text(data)) {
        Ok(config) => {
            check_config(&config);
            Outcome::Accepted
        }
        Err(e) => {
            check_message("url::decode", &e.0);
            Outcome::Rejected
        }
    }
}

/// `deck::read_deck`: an accepted deck has steps that each open a valid configuration, and
/// its own document reads back as the same deck.
pub fn read_deck(data: &[u8]) -> Outcome {
    match deck::read_deck(&text(data)) {
        Ok(d) => {
            assert!(!d.steps.is_empty() && d.steps.len() <= deck::MAX_STEPS);
            for step in &d.steps {
                let (settings, data) = url::decode_settings(&step.fragment)
                    .expect("an accepted step's settings decode");
                settings
                    .validate()
                    .expect("an accepted step's settings are valid");
                // Packed preferences are checked when the step opens, as a link's are.
                if data.is_none() {
                    check_config(&step.config().expect("an accepted step's fragment decodes"));
                }
            }
            assert_eq!(
                deck::read_deck(&ualign::deck_draft::deck_json(&d)).as_ref(),
                Ok(&d),
                "the page's deck writer round trip"
            );
            assert_eq!(deck::read_deck(&d.to_json()), Ok(d), "deck round trip");
            Outcome::Accepted
        }
        Err(e) => {
            check_message("deck::read_deck", &e.0);
            Outcome::Rejected
        }
    }
}

/// `embed::read_host_message`: an accepted request is one of the commands with what it
/// takes (a load's fragment passes the link decoder's checks, a goto's step is in range).
pub fn read_host_message(data: &[u8]) -> Outcome {
    match embed::read_host_message(&text(data)) {
        Ok(command) => {
            match &command {
                embed::HostCommand::Load(fragment) => {
                    let (settings, _) =
                        url::decode_settings(fragment).expect("an accepted load decodes");
                    settings.validate().expect("an accepted load is valid");
                }
                embed::HostCommand::Goto(step) => {
                    assert!((1..=deck::MAX_STEPS).contains(step), "goto {step}")
                }
                _ => {}
            }
            Outcome::Accepted
        }
        Err(e) => {
            check_message("embed::read_host_message", &e);
            Outcome::Rejected
        }
    }
}

/// A configuration is valid, its custom preferences build, and it restores from its own link
/// (when that link is within the size limits, as every link the tool hands out is).
pub fn check_config(config: &Config) {
    config
        .validate()
        .unwrap_or_else(|e| panic!("accepted configuration is invalid: {e}\n{config:?}"));
    if let Some(custom) = &config.custom {
        custom
            .build()
            .unwrap_or_else(|e| panic!("accepted preferences do not build: {e}\n{config:?}"));
    }
    if let Ok(link) = url::encode_checked(config) {
        assert_eq!(
            url::decode(&link).as_ref(),
            Ok(config),
            "round trip through {link:?}"
        );
    }
}

/// A population a reader returns is usable: responses, voters, a positive finite total weight,
/// every ranking over all responses.
pub fn check_population(p: &Population) {
    assert!(p.n() >= 1, "population with no responses");
    assert_eq!(p.labels().len(), p.n());
    assert!(!p.voters().is_empty(), "population with no voters");
    let total = p.total_weight();
    assert!(total > 0.0 && total.is_finite(), "total weight {total}");
    for v in p.voters() {
        assert!(
            v.weight.is_finite() && v.weight >= 0.0,
            "weight {}",
            v.weight
        );
        assert_eq!(v.ranking.len(), p.n(), "ranking of the wrong length");
    }
}

/// A matrix a reader returns is a preference matrix: entries in [0, 1], diagonal 1/2, and
/// P[i][j] + P[j][i] = 1.
pub fn check_matrix(m: &PairwiseMatrix) {
    let n = m.n();
    assert!(n >= 1, "matrix with no responses");
    for i in 0..n {
        assert_eq!(m.get(i, i), 0.5, "diagonal ({i}, {i})");
        for j in 0..n {
            let x = m.get(i, j);
            assert!((0.0..=1.0).contains(&x), "entry ({i}, {j}) = {x}");
            assert!(
                (x + m.get(j, i) - 1.0).abs() <= 1e-9,
                "({i}, {j}) not complementary"
            );
        }
    }
}

/// Preferences read from a file go into a configuration (the app's import) and back unchanged,
/// and through a share link when it fits.
pub fn check_preferences(prefs: &Preferences) {
    match prefs {
        Preferences::Population(p) => check_population(p),
        Preferences::Matrix(m) => check_matrix(m),
    }
    let custom = CustomPreferences::from_preferences(prefs);
    assert_eq!(
        custom.build().as_ref(),
        Ok(prefs),
        "configuration form does not rebuild"
    );
    check_config(&Config {
        custom: Some(custom.into()),
        ..Config::default()
    });
}

pub fn read_preflib(data: &[u8]) -> Outcome {
    match readers::read_preflib(&text(data)) {
        Ok(p) => {
            check_preferences(&Preferences::Population(p));
            Outcome::Accepted
        }
        Err(e) => {
            check_message("read_preflib", &e.to_string());
            Outcome::Rejected
        }
    }
}

pub fn read_matrix_csv(data: &[u8]) -> Outcome {
    match readers::read_matrix_csv(&text(data)) {
        Ok(m) => {
            check_preferences(&Preferences::Matrix(m));
            Outcome::Accepted
        }
        Err(e) => {
            check_message("read_matrix_csv", &e.to_string());
            Outcome::Rejected
        }
    }
}

/// Comparison counts are consistent (counts symmetric, wins of a pair add up to its count),
/// and the complete matrix built from them, when there is one, is a valid matrix.
pub fn read_comparisons_csv(data: &[u8]) -> Outcome {
    let c = match readers::read_comparisons_csv(&text(data)) {
        Ok(c) => c,
        Err(e) => {
            check_message("read_comparisons_csv", &e.to_string());
            return Outcome::Rejected;
        }
    };
    let n = c.labels.len();
    assert_eq!(c.wins.len(), n);
    assert_eq!(c.counts.len(), n);
    for i in 0..n {
        assert_eq!(c.wins[i].len(), n);
        assert_eq!(c.counts[i].len(), n);
        for j in 0..n {
            assert_eq!(c.counts[i][j], c.counts[j][i], "counts not symmetric");
            if i != j {
                // Ties add 1/2 to both sides, so a pair's wins add up to its count exactly.
                assert_eq!(
                    c.wins[i][j] + c.wins[j][i],
                    c.counts[i][j],
                    "wins ({i}, {j})"
                );
            }
        }
    }
    match c.complete_matrix() {
        Ok(m) => {
            check_preferences(&Preferences::Matrix(m));
            Outcome::Accepted
        }
        Err(e) => {
            check_message("complete_matrix", &e.to_string());
            Outcome::Rejected
        }
    }
}

/// File names `read_any` is tried with: every format it knows, any case, and one it refuses.
pub const FILE_NAMES: [&str; 7] = [
    "a.soc", "a.soi", "a.toc", "a.toi", "a.csv", "b.CSV", "a.txt",
];

/// `read_any` with the file name chosen by the first byte (the rest is the file).
pub fn read_any(data: &[u8]) -> Outcome {
    let Some((&first, rest)) = data.split_first() else {
        return Outcome::Rejected;
    };
    let name = FILE_NAMES[first as usize % FILE_NAMES.len()];
    match readers::read_any(name, &text(rest)) {
        Ok(prefs) => {
            check_preferences(&prefs);
            Outcome::Accepted
        }
        Err(e) => {
            check_message("read_any", &e.to_string());
            Outcome::Rejected
        }
    }
}

/// Worker messages: the input as JSON into both decoders (`protocol::decode_request` and
/// `decode_reply`, the code the worker and the page run on every message). Whatever either
/// accepts is encoded and decoded again to the same message; a request cheap enough is also
/// handed to a fresh solver loop (`drive_loop`). Accepted when either decoder accepts.
pub fn worker_messages(data: &[u8]) -> Outcome {
    let request = protocol::request_from_json(data);
    let reply = protocol::reply_from_json(data);
    match &reply {
        Ok(msg) => check_reply(msg),
        Err(e) => check_message("decode_reply", &e.0),
    }
    match request {
        Ok(msg) => {
            let json = serde_json::to_vec(&msg).expect("a decoded request encodes");
            assert_eq!(
                protocol::request_from_json(&json).as_ref(),
                Ok(&msg),
                "request round trip through {}",
                String::from_utf8_lossy(&json)
            );
            if cheap(&msg) {
                drive_loop(std::slice::from_ref(&msg));
            }
            if let ToWorker::Draft(request) = &msg {
                check_draft(request);
            }
            Outcome::Accepted
        }
        Err(e) => {
            check_message("decode_request", &e.0);
            if reply.is_ok() {
                Outcome::Accepted
            } else {
                Outcome::Rejected
            }
        }
    }
}

/// A deck-panel request (the worker's `Draft`) on a draft of two steps: whatever it does, the
/// panel lists each step once by its title as typed, and the document reads back as the
/// draft (its shape; the views' links are checked by the page, which sends them).
pub fn check_draft(request: &protocol::DraftRequest) {
    use ualign::deck_draft::DeckDraft;
    let mut draft = DeckDraft::default();
    for (view, title) in [("v=1&k=2", "one <b>"), ("v=1&k=3", "")] {
        draft.add(view, title, "", "").expect("a plain step");
    }
    let page = draft.apply(request);
    if let Some(notice) = &page.notice {
        check_message("DeckDraft::apply", notice);
    }
    assert_eq!(page.titles.len(), draft.steps.len());
    for (i, (s, shown)) in draft.steps.iter().zip(&page.titles).enumerate() {
        match s.title.is_empty() {
            true => assert_eq!(shown, &format!("Step {}", i + 1)),
            false => assert_eq!(shown, &s.title),
        }
    }
    // The view's link is the page's to check (it has the link decoder): the document must
    // read back with the shape every deck has.
    assert_eq!(
        deck::read_deck_shape(&page.json).map_err(|e| e.0),
        Ok(draft.deck()),
        "the draft's document"
    );
}

/// A reply survives encoding and decoding unchanged.
pub fn check_reply(msg: &FromWorker) {
    let json = serde_json::to_vec(msg).expect("a reply encodes");
    assert_eq!(
        protocol::reply_from_json(&json).as_ref(),
        Ok(msg),
        "reply round trip through {}",
        String::from_utf8_lossy(&json)
    );
}

/// The presets small enough to build for every fuzz input.
pub const SMALL_PRESETS: [&str; 2] = ["majority-51-49", "condorcet-cycle"];

/// A configuration cheap enough to build and run a few batches of for every input.
pub fn cheap_config(config: &Config) -> bool {
    let small_preferences = match config.custom.as_deref() {
        None => {
            SMALL_PRESETS.contains(&config.preset.as_str())
                || presets::presets().iter().all(|p| p.id != config.preset)
        }
        Some(CustomPreferences::Population { labels, voters }) => {
            labels.len() <= 6 && voters.len() <= 12
        }
        Some(CustomPreferences::Matrix { labels, .. }) => labels.len() <= 4,
    };
    small_preferences
        && config.k <= 8
        && config.players() <= 9
        && config.iterations <= 200
        && config.k_max <= 6
}

/// A request whose work is bounded by the input's size (a Load only of a small configuration).
pub fn cheap(msg: &ToWorker) -> bool {
    match msg {
        ToWorker::Load(config) => cheap_config(config),
        _ => true,
    }
}

/// One batch on a clock that moves 1 ms each time it is read.
fn tick(solver: &mut SolverLoop, now: &mut f64) {
    solver.tick(&mut || {
        *now += 1.0;
        *now
    });
}

/// Runs requests through a fresh solver loop on a small preset (a load, then each request
/// followed by two batches on a clock that moves 1 ms a read) and checks what the page relies
/// on: every reply survives the decoder, a snapshot after a Pause or Stop is not running,
/// batches run iterations only after a Play (or a Step that waited for a build), and `Done`
/// comes only at the iteration cap.
pub fn drive_loop(requests: &[ToWorker]) {
    let mut solver = SolverLoop::new();
    let mut now = 0.0;
    let start = Config {
        preset: SMALL_PRESETS[0].into(),
        k: 2,
        iterations: 20,
        k_max: 2,
        ..Config::default()
    };
    solver.handle(ToWorker::Load(start), now);
    tick(&mut solver, &mut now);
    solver.drain().iter().for_each(check_reply);
    // Whether the run may be stepping in batches: only after a Play (which may still find
    // nothing to run); Load, Pause, Step, Restart and Stop all leave the run paused.
    let mut playing = false;
    for msg in requests {
        let halts = matches!(msg, ToWorker::Pause | ToWorker::Stop);
        match msg {
            ToWorker::Play => playing = true,
            ToWorker::Load(_)
            | ToWorker::Pause
            | ToWorker::Step
            | ToWorker::Restart
            | ToWorker::Stop => playing = false,
            _ => {}
        }
        solver.handle(msg.clone(), now);
        let replies = solver.drain();
        if halts {
            for reply in &replies {
                if let FromWorker::Snapshot { status, .. } = reply {
                    assert_ne!(*status, RunStatus::Running, "running after {msg:?}");
                }
            }
        }
        replies.iter().for_each(check_reply);
        for _ in 0..2 {
            tick(&mut solver, &mut now);
            let replies = solver.drain();
            replies.iter().for_each(check_reply);
            // Requests that waited for a build are applied in the batch that finishes it (a
            // Step there posts its iteration then).
            let built = replies
                .iter()
                .any(|r| matches!(r, FromWorker::Loaded { .. } | FromWorker::Error(_)));
            if !playing && !built {
                assert!(
                    !replies.iter().any(|r| matches!(r, FromWorker::History(_))),
                    "iterations ran in a batch after {msg:?}"
                );
            }
            if replies.contains(&FromWorker::Done) {
                let session = solver.session().expect("Done without a session");
                assert_eq!(
                    session.iteration(),
                    session.config().iterations,
                    "Done before the cap"
                );
            }
        }
    }
}
