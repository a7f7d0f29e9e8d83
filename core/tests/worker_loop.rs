//! The solver worker's loop and message decoder, natively: the loop driven by a fake clock
//! (what the page sees after Stop, Pause, a finished run, a burst of loads, and opponent work
//! at k = 1024 cut into budgeted slices), and every message through the decoder and back.

use std::time::{Duration, Instant};
use ualign::arena::live::{ArenaRequest, ArenaSetup};
use ualign::arena::view::ArenaView;
use ualign::config::{Config, CustomPreferences, VoterSpec};
use ualign::deck::MAX_DECK_BYTES;
use ualign::model::RawRanking;
use ualign::protocol::DraftRequest;
use ualign::protocol::{
    reply_from_json, request_from_json, Fault, FromWorker, RunStatus, ToWorker, MAX_ARENA_ROUNDS,
    MAX_FILE_NAME_BYTES,
};
use ualign::readers::MAX_FILE_BYTES;
use ualign::session::{OpponentRow, Session, SweepRow};
use ualign::solver_loop::{SolverLoop, BUDGET_MS};

/// A clock that moves 1 ms each time it is read: work between two reads counts as 1 ms, so a
/// batch may take at most about `BUDGET_MS` reads.
struct FakeClock {
    now: f64,
    reads: usize,
}

impl FakeClock {
    fn new() -> Self {
        FakeClock {
            now: 1000.0,
            reads: 0,
        }
    }

    /// One batch; returns how many times it read the clock.
    fn tick(&mut self, solver: &mut SolverLoop) -> usize {
        let before = self.reads;
        solver.tick(&mut || {
            self.now += 1.0;
            self.reads += 1;
            self.now
        });
        self.reads - before
    }
}

fn config(preset: &str, k: usize, iterations: usize) -> Config {
    Config {
        preset: preset.into(),
        k,
        iterations,
        k_max: 4,
        ..Config::default()
    }
}

/// The status of the last snapshot among the replies.
fn last_status(replies: &[FromWorker]) -> Option<RunStatus> {
    replies.iter().rev().find_map(|m| match m {
        FromWorker::Snapshot { status, .. } => Some(*status),
        _ => None,
    })
}

/// The configurations of the `Loaded` replies.
fn loaded_configs(replies: &[FromWorker]) -> Vec<&Config> {
    replies
        .iter()
        .filter_map(|m| match m {
            FromWorker::Loaded { config, .. } => Some(config),
            _ => None,
        })
        .collect()
}

fn iterations_posted(replies: &[FromWorker]) -> usize {
    replies
        .iter()
        .map(|m| match m {
            FromWorker::History(h) => h.len(),
            _ => 0,
        })
        .sum()
}

/// Batches until a load is built (or refused); returns the replies and the batches taken.
fn until_loaded(solver: &mut SolverLoop, clock: &mut FakeClock) -> (Vec<FromWorker>, usize) {
    let mut replies = Vec::new();
    for ticks in 1..100_000 {
        clock.tick(solver);
        replies.extend(solver.drain());
        if replies
            .iter()
            .any(|m| matches!(m, FromWorker::Loaded { .. } | FromWorker::Error(_)))
        {
            return (replies, ticks);
        }
    }
    panic!("the load is never built")
}

/// A loaded loop, running, a few batches in.
fn running(preset: &str, clock: &mut FakeClock) -> SolverLoop {
    let mut solver = SolverLoop::new();
    solver.handle(ToWorker::Load(config(preset, 2, 1_000_000)), clock.now);
    until_loaded(&mut solver, clock);
    solver.handle(ToWorker::Play, clock.now);
    for _ in 0..3 {
        clock.tick(&mut solver);
    }
    let replies = solver.drain();
    assert_eq!(last_status(&replies), Some(RunStatus::Running));
    assert!(iterations_posted(&replies) > 0);
    solver
}

#[test]
fn stop_while_running_leaves_status_idle_and_runs_no_more_iterations() {
    let mut clock = FakeClock::new();
    let mut solver = running("majority-51-49", &mut clock);
    solver.handle(ToWorker::Stop, clock.now);
    let replies = solver.drain();
    assert_eq!(last_status(&replies), Some(RunStatus::Idle), "{replies:?}");
    let at = solver.session().unwrap().iteration();
    // Stop halts the sweep and the opponent search too: nothing is left to do.
    assert_eq!(solver.next_delay_ms(), None);
    for _ in 0..20 {
        clock.tick(&mut solver);
    }
    let replies = solver.drain();
    assert_eq!(iterations_posted(&replies), 0, "{replies:?}");
    assert!(replies.is_empty(), "{replies:?}");
    assert_eq!(solver.session().unwrap().iteration(), at);
}

#[test]
fn pause_while_running_leaves_status_idle_and_runs_no_more_iterations() {
    let mut clock = FakeClock::new();
    let mut solver = running("condorcet-cycle", &mut clock);
    solver.handle(ToWorker::Pause, clock.now);
    assert_eq!(last_status(&solver.drain()), Some(RunStatus::Idle));
    let at = solver.session().unwrap().iteration();
    // The sweep and the opponent curve carry on after a pause; the run does not.
    let mut ticks = 0;
    let mut replies = Vec::new();
    while solver.next_delay_ms().is_some() {
        clock.tick(&mut solver);
        replies.extend(solver.drain());
        ticks += 1;
        assert!(ticks < 1000, "the sweep never ends");
    }
    assert_eq!(iterations_posted(&replies), 0);
    assert_ne!(last_status(&replies), Some(RunStatus::Running));
    assert_eq!(solver.session().unwrap().iteration(), at);
    assert!(replies.iter().any(|m| matches!(
        m,
        FromWorker::SweepProgress {
            done: 4,
            total: 4,
            ..
        }
    )));
    assert!(replies
        .iter()
        .any(|m| matches!(m, FromWorker::Opponents(_))));
}

#[test]
fn a_run_reaching_its_iteration_cap_ends_with_done_and_status_done() {
    let mut clock = FakeClock::new();
    let mut solver = SolverLoop::new();
    solver.handle(ToWorker::Load(config("majority-51-49", 3, 40)), clock.now);
    solver.handle(ToWorker::Play, clock.now);
    let mut replies = solver.drain();
    let mut ticks = 0;
    while solver.next_delay_ms().is_some() {
        clock.tick(&mut solver);
        replies.extend(solver.drain());
        ticks += 1;
        assert!(ticks < 1000, "the run never ends");
    }
    let dones = replies
        .iter()
        .filter(|m| matches!(m, FromWorker::Done))
        .count();
    assert_eq!(dones, 1, "{replies:?}");
    assert_eq!(last_status(&replies), Some(RunStatus::Done));
    assert_eq!(iterations_posted(&replies), 40);
    assert_eq!(solver.session().unwrap().iteration(), 40);
    // Play after the end starts again from 0.
    solver.handle(ToWorker::Play, clock.now);
    let replies = solver.drain();
    assert!(replies.contains(&FromWorker::Restarted));
    assert_eq!(last_status(&replies), Some(RunStatus::Running));
    assert_eq!(solver.session().unwrap().iteration(), 0);
}

#[test]
fn a_burst_of_loads_builds_only_the_last() {
    let mut clock = FakeClock::new();
    let mut solver = SolverLoop::new();
    for k in 1..=6 {
        solver.handle(ToWorker::Load(config("condorcet-cycle", k, 100)), clock.now);
    }
    assert!(
        solver.drain().is_empty(),
        "a load is built from the next batch on"
    );
    let (replies, _) = until_loaded(&mut solver, &mut clock);
    let loaded = loaded_configs(&replies);
    assert_eq!(loaded, [&config("condorcet-cycle", 6, 100)]);
    assert_eq!(solver.session().unwrap().snapshot().k, 6);
    // Another request starts building a waiting load and waits for it: Step runs on the
    // newest configuration, right after it is loaded.
    solver.handle(ToWorker::Load(config("condorcet-cycle", 2, 100)), clock.now);
    solver.handle(ToWorker::Step, clock.now);
    assert!(solver.drain().is_empty());
    let (replies, _) = until_loaded(&mut solver, &mut clock);
    assert!(
        matches!(&replies[0], FromWorker::Loaded { config, keep_sweep: true, .. } if config.k == 2)
    );
    assert_eq!(iterations_posted(&replies), 1);
}

/// A restart keeps the exact solutions and starts only the runs again: the same state, and
/// the same iterations after it, as a session built afresh.
#[test]
fn a_restart_is_a_fresh_session_without_building_one() {
    for preset in ["condorcet-cycle", "tshirt", "llmfao"] {
        let config = config(preset, 3, 100);
        let mut restarted = Session::new(&config).unwrap();
        for _ in 0..25 {
            restarted.step();
        }
        restarted.restart();
        let mut fresh = Session::new(&config).unwrap();
        assert_eq!(restarted.snapshot(), fresh.snapshot(), "{preset}");
        for _ in 0..10 {
            assert_eq!(restarted.step(), fresh.step(), "{preset}");
        }
        assert_eq!(restarted.opponent_curve(), fresh.opponent_curve());
    }
}

#[test]
fn a_refused_load_is_an_error_and_leaves_no_work() {
    let mut clock = FakeClock::new();
    let mut solver = SolverLoop::new();
    solver.handle(ToWorker::Load(config("no-such-preset", 2, 10)), clock.now);
    let (replies, ticks) = until_loaded(&mut solver, &mut clock);
    assert_eq!(ticks, 1);
    assert!(
        matches!(replies.as_slice(), [FromWorker::Error(_)]),
        "{replies:?}"
    );
    assert_eq!(solver.next_delay_ms(), None);
}

/// The llmfao preset at k = 1024: `opponent_curve()` takes about a second in one call. The
/// loop cuts the session build and the same search into batches within the budget, a Stop
/// halts it where it is, a Sweep continues it, and the rows are those of the one-call curve,
/// bit for bit.
#[test]
fn opponent_work_at_k_1024_is_cut_into_budgeted_batches_with_the_same_rows() {
    let config = Config {
        k_max: 1,
        ..config("llmfao", 1024, 10)
    };
    let mut clock = FakeClock::new();
    let mut solver = SolverLoop::new();
    solver.handle(ToWorker::Load(config.clone()), clock.now);
    let mut rows: Option<Vec<OpponentRow>> = None;
    let mut sweep: Vec<SweepRow> = Vec::new();
    let (mut ticks, mut most_reads, mut slowest) = (0, 0, Duration::ZERO);
    let mut loaded_at = None;
    let mut stopped = false;
    while solver.next_delay_ms().is_some() {
        let start = Instant::now();
        let reads = clock.tick(&mut solver);
        slowest = slowest.max(start.elapsed());
        most_reads = most_reads.max(reads);
        ticks += 1;
        for msg in solver.drain() {
            match msg {
                FromWorker::Opponents(r) => rows = Some(r),
                FromWorker::SweepProgress { row, .. } => sweep.push(row),
                FromWorker::Loaded { .. } => loaded_at = Some(ticks),
                _ => {}
            }
        }
        if loaded_at.is_some_and(|at| ticks == at + 20) {
            // Halted mid-search: no work is left, and batches do nothing.
            assert!(rows.is_none());
            solver.handle(ToWorker::Stop, clock.now);
            solver.drain();
            assert_eq!(solver.next_delay_ms(), None);
            clock.tick(&mut solver);
            assert!(solver.drain().is_empty());
            solver.handle(ToWorker::Sweep, clock.now);
            stopped = true;
        }
    }
    assert!(stopped);
    // Each read is 1 ms of fake time: a batch reads the clock at most once per evaluation,
    // and stops once BUDGET_MS is spent.
    assert!(
        most_reads as f64 <= BUDGET_MS + 2.0,
        "{most_reads} clock reads in one batch"
    );
    assert!(ticks > 100, "only {ticks} batches");
    let session = Session::new(&config).unwrap();
    let one_call = Instant::now();
    let expected = session.opponent_curve();
    let one_call = one_call.elapsed();
    assert_eq!(rows.as_deref(), Some(expected.as_slice()));
    assert_eq!(expected.len(), 3);
    assert_eq!(sweep, [session.sweep_point(1)]);
    println!(
        "opponent curve at k = 1024 on llmfao: {one_call:?} in one call; {ticks} batches \
         ({loaded_at:?} for the build), slowest {slowest:?}, at most {most_reads} clock reads"
    );
}

/// A custom population of 24 responses x 1000 voter types (impartial culture) at k = 1024:
/// about 0.4 s to build in one call, nearly all of it the equilibrium search.
fn large_config() -> Config {
    let pop = ualign::presets::impartial_culture(24, 1000, 7);
    Config {
        custom: Some(
            CustomPreferences::from_preferences(&ualign::model::Preferences::Population(pop))
                .into(),
        ),
        k: 1024,
        iterations: 100,
        k_max: 3,
        ..Config::default()
    }
}

/// The large population is built over many batches, each within the budget up to one piece
/// of work; a Stop in the middle waits for the session (acting on it) and is answered right
/// after `Loaded`, halting the sweep and the opponent search; the session is the one-call one.
#[test]
fn a_large_population_at_k_1024_is_built_over_many_budgeted_batches() {
    let config = large_config();
    let mut clock = FakeClock::new();
    let mut solver = SolverLoop::new();
    solver.handle(ToWorker::Load(config.clone()), clock.now);
    let (mut ticks, mut most_reads, mut slowest) = (0, 0, Duration::ZERO);
    let replies = loop {
        let start = Instant::now();
        let reads = clock.tick(&mut solver);
        slowest = slowest.max(start.elapsed());
        most_reads = most_reads.max(reads);
        ticks += 1;
        let replies = solver.drain();
        if ticks == 10 {
            // Still building: the Stop waits for the session it acts on.
            assert!(replies.is_empty(), "{replies:?}");
            assert_eq!(solver.next_delay_ms(), Some(0));
            solver.handle(ToWorker::Stop, clock.now);
            assert!(solver.drain().is_empty());
        }
        if !replies.is_empty() {
            break replies;
        }
        assert!(ticks < 100_000, "never built");
    };
    assert!(
        most_reads as f64 <= BUDGET_MS + 2.0,
        "{most_reads} clock reads in one batch"
    );
    assert!(ticks > 50, "only {ticks} batches");
    match replies.as_slice() {
        [FromWorker::Loaded {
            config: loaded,
            keep_sweep: false,
            ..
        }, FromWorker::Snapshot {
            status: RunStatus::Idle,
            ..
        }] => assert_eq!(loaded, &config),
        other => panic!("{other:?}"),
    }
    // Halted: no sweep and no opponent search until a Sweep request.
    assert_eq!(solver.next_delay_ms(), None);
    let one_call = Instant::now();
    let expected = Session::new(&config).unwrap();
    let one_call = one_call.elapsed();
    let built = solver.session().unwrap();
    assert_eq!(built.equilibrium(), expected.equilibrium());
    assert_eq!(built.snapshot(), expected.snapshot());
    // A Stop while the sweep and opponents run is answered in the next reply.
    solver.handle(ToWorker::Sweep, clock.now);
    clock.tick(&mut solver);
    solver.drain();
    solver.handle(ToWorker::Stop, clock.now);
    assert_eq!(last_status(&solver.drain()), Some(RunStatus::Idle));
    assert_eq!(solver.next_delay_ms(), None);
    println!(
        "24 x 1000 at k = 1024: {one_call:?} in one call; {ticks} batches, slowest \
         {slowest:?}, at most {most_reads} clock reads"
    );
}

/// A newer Load abandons a build under way, with the requests that waited for it.
#[test]
fn a_newer_load_abandons_the_build_in_progress() {
    let mut clock = FakeClock::new();
    let mut solver = SolverLoop::new();
    solver.handle(ToWorker::Load(large_config()), clock.now);
    for _ in 0..5 {
        clock.tick(&mut solver);
    }
    solver.handle(ToWorker::Step, clock.now);
    assert!(solver.drain().is_empty(), "still building");
    let small = config("condorcet-cycle", 2, 100);
    solver.handle(ToWorker::Load(small.clone()), clock.now);
    let (replies, ticks) = until_loaded(&mut solver, &mut clock);
    let loaded = loaded_configs(&replies);
    assert_eq!(loaded, [&small]);
    assert_eq!(iterations_posted(&replies), 0, "{replies:?}");
    assert!(ticks < 50, "{ticks} batches for a 3-response preset");
    assert_eq!(solver.session().unwrap().iteration(), 0);
}

/// Every message of each kind, with awkward text and numbers.
fn every_request() -> Vec<ToWorker> {
    let custom = CustomPreferences::Population {
        labels: vec!["a \"quoted\" ✓".into(), "b\n\u{0}".into()],
        voters: vec![VoterSpec {
            weight: 0.1 + 0.2,
            ranking: RawRanking(vec![vec![1], vec![0]]),
        }],
    };
    vec![
        ToWorker::Load(Config::default()),
        ToWorker::Load(Config {
            custom: Some(custom.into()),
            step_size: Some(5e-324),
            seed: u64::MAX,
            ..Config::default()
        }),
        ToWorker::Play,
        ToWorker::Pause,
        ToWorker::Step,
        ToWorker::Restart,
        ToWorker::Stop,
        ToWorker::SetSpeed(u32::MAX),
        ToWorker::Sweep,
        ToWorker::Import {
            name: "a.soc".into(),
            text: "# DATA TYPE: soc\n1: 1\n".into(),
        },
        ToWorker::Arena(ArenaRequest::Open(ArenaSetup {
            challenger: vec![0, 1, 1],
            set: vec![2, 0],
            draws: 9,
        })),
        ToWorker::Arena(ArenaRequest::Rounds(MAX_ARENA_ROUNDS)),
        ToWorker::Arena(ArenaRequest::Fast(true)),
        ToWorker::Arena(ArenaRequest::Reset),
        ToWorker::Arena(ArenaRequest::BestSet),
        ToWorker::Ping(7),
        ToWorker::Fault(Fault::Panic),
        ToWorker::Fault(Fault::Throw),
        ToWorker::Fault(Fault::Busy(20_000)),
        ToWorker::Draft(DraftRequest::Add {
            view: "v=1&k=3".into(),
            title: "t".into(),
            caption: "c".into(),
            notes: "n".into(),
        }),
        ToWorker::Draft(DraftRequest::Up(2)),
        ToWorker::Draft(DraftRequest::Down(1)),
        ToWorker::Draft(DraftRequest::Delete(200)),
        ToWorker::Draft(DraftRequest::Present),
        ToWorker::Draft(DraftRequest::Adopt("{}".into())),
        ToWorker::Draft(DraftRequest::Restore(String::new())),
        ToWorker::Draft(DraftRequest::Repost(String::new())),
    ]
}

fn every_reply() -> Vec<FromWorker> {
    let session = Session::new(&config("majority-51-49", 2, 10)).unwrap();
    let matrix = CustomPreferences::Matrix {
        labels: vec!["x".into(), "y".into()],
        rows: vec![vec![0.5, 0.7], vec![0.30000000000000004, 0.5]],
    };
    vec![
        FromWorker::Ready,
        FromWorker::Loaded {
            config: Config::default(),
            labels: session.labels().to_vec(),
            keep_sweep: true,
            preferences: matrix.clone(),
            fit_residual: Some(1e-17),
            fit_types: Some(3),
        },
        FromWorker::Restarted,
        FromWorker::Snapshot {
            snapshot: session.snapshot(),
            description: session.describe(),
            status: RunStatus::Running,
        },
        FromWorker::History(vec![session.record()]),
        FromWorker::SweepProgress {
            row: session.sweep_point(3),
            done: 3,
            total: 128,
        },
        FromWorker::Opponents(session.opponent_curve()),
        FromWorker::Done,
        FromWorker::Imported {
            name: "m.csv".into(),
            custom: matrix,
        },
        FromWorker::ImportFailed("m.csv: line 2: no".into()),
        FromWorker::Error("k = 0 is outside 1..=1024".into()),
        FromWorker::Crashed("internal error".into()),
        FromWorker::Pong(u32::MAX),
        FromWorker::Arena(Box::new(arena_report())),
        FromWorker::Deck(ualign::deck::read_deck(include_str!("../../static/tour.json")).unwrap()),
        FromWorker::DeckFailed("Step 2's fragment: no".into()),
        FromWorker::Draft(
            ualign::deck_draft::DeckDraft::default().apply(&DraftRequest::Add {
                view: "v=1&k=3".into(),
                title: "<i>t</i>".into(),
                caption: String::new(),
                notes: String::new(),
            }),
        ),
        FromWorker::Draft(ualign::deck_draft::DeckDraft::default().page(None)),
        FromWorker::Saved {
            name: "s.json".into(),
            config: Ok(Config {
                k: 7,
                custom: Some(
                    CustomPreferences::Matrix {
                        labels: vec!["p".into(), "q".into()],
                        rows: vec![vec![0.5, 0.25], vec![0.75, 0.5]],
                    }
                    .into(),
                ),
                tour: 2,
                ..Config::default()
            }),
        },
        FromWorker::Saved {
            name: "t.json".into(),
            config: Err("not JSON".into()),
        },
    ]
}

/// The arena as the page gets it, every part filled: a round played, a fixed set, the best set.
fn arena_report() -> ArenaView {
    let session = Session::new(&config("majority-51-49", 2, 10)).unwrap();
    let mut arena = ualign::arena::live::Arena::new(
        session.game_population(),
        session.maximal_lottery().to_vec(),
        session.equilibrium().policy.clone(),
        2,
        3,
        ArenaSetup {
            challenger: vec![1],
            set: vec![0, 1],
            draws: 3,
        },
    );
    arena.handle(ArenaRequest::Rounds(5), 0.0);
    arena.handle(ArenaRequest::BestSet, 0.0);
    ualign::arena::view::view(&arena.report(), &[0, 1], session.labels())
}

#[test]
fn the_arena_opens_on_the_session_and_answers_each_request_with_a_report() {
    let mut clock = FakeClock::new();
    let mut solver = SolverLoop::new();
    solver.handle(ToWorker::Load(config("majority-51-49", 4, 10)), clock.now);
    // Asked for before the session is built: it waits for it, like any request on it.
    let open = |challenger: Vec<usize>| {
        ToWorker::Arena(ArenaRequest::Open(ArenaSetup {
            challenger,
            set: vec![],
            draws: 1,
        }))
    };
    solver.handle(open(vec![]), clock.now);
    let (replies, _) = until_loaded(&mut solver, &mut clock);
    let report = arena_reports(&replies)
        .pop()
        .expect("a report after Loaded");
    assert_eq!((report.n, report.rounds), (2, 0));
    solver.handle(ToWorker::Arena(ArenaRequest::Rounds(3)), clock.now);
    let report = arena_reports(&solver.drain()).pop().unwrap();
    assert_eq!(report.rounds, 3);
    let cards: Vec<&str> = report.nlhf.cards.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(cards, ["A"; 4], "NLHF shows A four times");
    // A new challenger: a new tally and the exact values at once.
    solver.handle(open(vec![1]), clock.now);
    let report = arena_reports(&solver.drain()).pop().unwrap();
    assert_eq!(report.rounds, 0);
    assert_eq!(
        (report.nlhf.exact_value, report.nlhf.exact.as_str()),
        (0.51, "0.5100")
    );
    assert_eq!(report.game.exact, "0.8000");
    // Fast rounds: about 1,000 a second, reported about ten times a second.
    solver.handle(ToWorker::Arena(ArenaRequest::Fast(true)), clock.now);
    let start = clock.now;
    let mut reports = Vec::new();
    while clock.now - start < 2000.0 {
        // The loop asks to be woken about every 100 ms when only fast rounds are left.
        let wait = solver.next_delay_ms().expect("fast rounds are work");
        clock.now += f64::from(wait);
        clock.tick(&mut solver);
        reports.extend(arena_reports(&solver.drain()));
    }
    let rounds = reports.last().unwrap().rounds;
    assert!((1900..=2100).contains(&rounds), "{rounds} rounds in 2 s");
    assert!(
        (15..=25).contains(&reports.len()),
        "{} reports",
        reports.len()
    );
    solver.handle(ToWorker::Arena(ArenaRequest::Fast(false)), clock.now);
    solver.drain();
    // Only the sweep and the opponent search remain, and then nothing.
    for _ in 0..100_000 {
        if solver.next_delay_ms().is_none() {
            break;
        }
        clock.tick(&mut solver);
    }
    assert_eq!(solver.next_delay_ms(), None);
}

fn arena_reports(replies: &[FromWorker]) -> Vec<ArenaView> {
    replies
        .iter()
        .filter_map(|m| match m {
            FromWorker::Arena(r) => Some((**r).clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_message_round_trips_through_the_decoder() {
    for msg in every_request() {
        let json = serde_json::to_vec(&msg).unwrap();
        assert_eq!(request_from_json(&json), Ok(msg));
    }
    for msg in every_reply() {
        let json = serde_json::to_vec(&msg).unwrap();
        assert_eq!(reply_from_json(&json), Ok(msg));
    }
}

#[test]
fn the_decoder_refuses_what_the_other_side_may_not_send_naming_the_limit() {
    let big = ToWorker::Import {
        name: "big.soc".into(),
        text: "x".repeat(MAX_FILE_BYTES + 1),
    };
    let e = request_from_json(&serde_json::to_vec(&big).unwrap()).unwrap_err();
    assert!(e.0.contains("limit on imported files (20 MiB)"), "{e}");
    let long_name = ToWorker::Import {
        name: "n".repeat(MAX_FILE_NAME_BYTES + 1),
        text: String::new(),
    };
    let e = request_from_json(&serde_json::to_vec(&long_name).unwrap()).unwrap_err();
    assert!(e.0.contains("limit on file names"), "{e}");
    let json = |m: ToWorker| serde_json::to_vec(&m).unwrap();
    let e = request_from_json(&json(ToWorker::Fault(Fault::Busy(4_000_000_000)))).unwrap_err();
    assert!(e.0.contains("limit on test faults"), "{e}");
    let e = request_from_json(&json(ToWorker::Arena(ArenaRequest::Rounds(100_001)))).unwrap_err();
    assert!(
        e.0.contains("arena rounds in one request is over the limit"),
        "{e}"
    );
    let e = request_from_json(&json(ToWorker::Arena(ArenaRequest::Open(ArenaSetup {
        challenger: vec![0; 4],
        set: vec![],
        draws: 1,
    }))))
    .unwrap_err();
    assert!(e.0.contains("over the limits (3 and 64)"), "{e}");
    let too_much = "t".repeat(MAX_DECK_BYTES + 1);
    for request in [
        DraftRequest::Restore(too_much.clone()),
        DraftRequest::Add {
            view: "v=1".into(),
            title: too_much[..MAX_DECK_BYTES / 2].into(),
            caption: too_much[..MAX_DECK_BYTES / 2].into(),
            notes: String::new(),
        },
    ] {
        let e = request_from_json(&json(ToWorker::Draft(request))).unwrap_err();
        assert!(e.0.contains("over the limit (1048576 bytes)"), "{e}");
    }
    for n in [0, 201] {
        let e = request_from_json(&json(ToWorker::Draft(DraftRequest::Delete(n)))).unwrap_err();
        assert!(e.0.contains("outside 1..=200"), "{e}");
    }
    // The stored copy of a deck at its largest is restored.
    let fits = DraftRequest::Restore("t".repeat(MAX_DECK_BYTES));
    assert!(request_from_json(&json(ToWorker::Draft(fits))).is_ok());
    // A reply with a field missing, an unknown variant, or a deck panel over the limit.
    let mut missing = serde_json::to_value(FromWorker::Arena(Box::new(arena_report()))).unwrap();
    missing["Arena"].as_object_mut().unwrap().remove("n");
    let e = reply_from_json(&serde_json::to_vec(&missing).unwrap()).unwrap_err();
    assert!(e.0.contains("missing field `n`"), "{e}");
    let e = reply_from_json(br#"{"Tag99": 1}"#).unwrap_err();
    assert!(e.0.contains("unknown variant `Tag99`"), "{e}");
    let mut panel = ualign::deck_draft::DeckDraft::default().page(None);
    panel.titles = vec!["s".into(); 201];
    let e = reply_from_json(&serde_json::to_vec(&FromWorker::Draft(panel)).unwrap()).unwrap_err();
    assert!(
        e.0.contains("a deck panel of 201 steps is over the limit (200)"),
        "{e}"
    );
    let beyond = FromWorker::SweepProgress {
        row: SweepRow::default(),
        done: 5,
        total: 4,
    };
    let e = reply_from_json(&serde_json::to_vec(&beyond).unwrap()).unwrap_err();
    assert!(e.0.contains("the limit on the sweep"), "{e}");
    // Trailing text, unknown variants and hostile names: refused, with a short message.
    assert!(request_from_json(br#""Play" x"#).is_err());
    let hostile = format!("\"{}\"", "v".repeat(100_000));
    let e = request_from_json(hostile.as_bytes()).unwrap_err();
    assert!(e.0.len() < 1000, "{} bytes", e.0.len());
    assert_eq!(request_from_json(b"\"Play\""), Ok(ToWorker::Play));
}

/// Runs a loaded loop on the real clock until it has no work; returns the time to `Loaded`,
/// the longest batch before it, the longest batch after it, and the number of batches.
fn run_on_real_clock(
    solver: &mut SolverLoop,
    clock: &mut dyn FnMut() -> f64,
) -> (Duration, Duration, Duration, usize) {
    let load = Instant::now();
    let (mut load_time, mut building) = (None, true);
    let (mut slowest_build, mut slowest, mut ticks) = (Duration::ZERO, Duration::ZERO, 0);
    while solver.next_delay_ms().is_some() {
        let start = Instant::now();
        solver.tick(clock);
        let took = start.elapsed();
        ticks += 1;
        if building {
            slowest_build = slowest_build.max(took);
        } else {
            slowest = slowest.max(took);
        }
        if solver
            .drain()
            .iter()
            .any(|m| matches!(m, FromWorker::Loaded { .. }))
        {
            building = false;
            load_time = Some(load.elapsed());
        }
    }
    (load_time.unwrap_or_default(), slowest_build, slowest, ticks)
}

/// Measures the longest single batch of the worker's loop on the real clock, on every preset
/// at k = 1024 (load, then play and the sweep to k = 128 and the opponent curve until done),
/// and at the size limits (64 responses x 15,000 voter types at k = 1024: the load, the sweep
/// point k = 1 and the opponent curve, then one sweep point at k = 128 in 8 ms slices):
/// `cargo test --release --test worker_loop -- --ignored --nocapture longest_calls`.
#[test]
#[ignore = "measurement, about a minute"]
fn longest_calls_on_every_preset_at_k_1024() {
    let epoch = Instant::now();
    let mut clock = || epoch.elapsed().as_secs_f64() * 1e3;
    for preset in ualign::presets::presets() {
        let config = Config {
            preset: preset.id.into(),
            k: 1024,
            iterations: 1000,
            k_max: 128,
            ..Config::default()
        };
        let mut solver = SolverLoop::new();
        solver.handle(ToWorker::Load(config), clock());
        // Play waits for the build, then runs with the sweep and the opponent search.
        solver.handle(ToWorker::Play, clock());
        let (load, slowest_build, slowest, ticks) = run_on_real_clock(&mut solver, &mut clock);
        let restart = Instant::now();
        solver.handle(ToWorker::Restart, clock());
        let restart = restart.elapsed();
        println!(
            "{}: load {load:?} (slowest batch {slowest_build:?}), restart {restart:?}, \
             slowest batch after {slowest:?}, {ticks} batches",
            preset.id
        );
    }
    let pop = ualign::presets::impartial_culture(64, 15_000, 1);
    let config = Config {
        custom: Some(
            CustomPreferences::from_preferences(&ualign::model::Preferences::Population(pop))
                .into(),
        ),
        k: 1024,
        iterations: 10,
        k_max: 1,
        ..Config::default()
    };
    let mut solver = SolverLoop::new();
    solver.handle(ToWorker::Load(config), clock());
    let (load, slowest_build, slowest, ticks) = run_on_real_clock(&mut solver, &mut clock);
    println!(
        "64 x 15,000: load {load:?} (slowest batch {slowest_build:?}), then the sweep point \
         k = 1 and the opponent curve: slowest batch {slowest:?}, {ticks} batches"
    );
    let session = solver.session().unwrap();
    let mut search = session.sweep_point_search(128);
    let (start, mut slowest, mut slices) = (Instant::now(), Duration::ZERO, 0);
    loop {
        let slice = Instant::now();
        let budget_start = clock();
        let row = search.advance(session, &mut || clock() - budget_start >= BUDGET_MS);
        slowest = slowest.max(slice.elapsed());
        slices += 1;
        if row.is_some() {
            break;
        }
    }
    println!(
        "64 x 15,000: sweep point k = 128 {:?} in {slices} slices, slowest {slowest:?}",
        start.elapsed()
    );
}

/// The phase map's progress, as the loop posts it for each family on a preset of five
/// responses, passes the page's decoder (the two-response family's cells have two).
#[test]
fn the_phase_maps_progress_passes_the_reply_decoder() {
    use ualign::open_question::phase_map::Family;
    for family in [Family::TwoResponses, Family::Weight { voter: 0 }] {
        let mut clock = FakeClock::new();
        let mut solver = SolverLoop::new();
        solver.handle(ToWorker::Load(config("apa-1998", 2, 10)), clock.now);
        until_loaded(&mut solver, &mut clock);
        solver.handle(ToWorker::Phase(family), clock.now);
        let mut cells = 0;
        for _ in 0..100_000 {
            if solver.next_delay_ms().is_none() {
                break;
            }
            clock.tick(&mut solver);
            for msg in solver.drain() {
                if let FromWorker::Phase { cells: c, .. } = &msg {
                    cells += c.len();
                    let json = serde_json::to_vec(&msg).unwrap();
                    assert_eq!(reply_from_json(&json), Ok(msg), "{family:?}");
                }
            }
        }
        assert!(cells > 0, "{family:?}: the map posted no cells");
    }
}
