//! The page's state machines, natively: the run state applying the worker's replies, the
//! undo history on a given clock, keyboard shortcuts, the settings form, preference edits,
//! pasted-text sniffing, the frame timings and the CSV writers.

use ualign::arena::live::{Arena, ArenaReport, ArenaRequest, ArenaSetup};
use ualign::arena::view::view;
use ualign::config::{Config, CustomPreferences, Shared, View, VoterSpec};
use ualign::model::RawRanking;
use ualign::page::csv::{history_csv, sweep_csv};
use ualign::page::edit::{apply, summarize, PreferenceEdit};
use ualign::page::form::{FormTexts, NumField};
use ualign::page::paste::pasted_name;
use ualign::page::perf::FrameStats;
use ualign::page::run_state::{Dirty, Event, Recovery, RunState, REPLAY_MAX};
use ualign::page::settings::{apply as set, ArenaEdit, Outcome, SettingEdit};
use ualign::page::shortcuts::{shortcut, KeyPress, KeyTarget, Shortcut};
use ualign::page::undo::{HistoryEntry, UndoHistory, HISTORY_COALESCE_MS, UNDO_MAX};
use ualign::protocol::{FromWorker, RunStatus};
use ualign::session::{Snapshot, StepRecord, SweepRow};

fn population() -> CustomPreferences {
    CustomPreferences::Population {
        labels: vec!["A".into(), "B".into(), "C".into()],
        voters: vec![
            VoterSpec {
                weight: 2.0,
                ranking: RawRanking(vec![vec![0], vec![1], vec![2]]),
            },
            VoterSpec {
                weight: 1.0,
                ranking: RawRanking(vec![vec![2], vec![1, 0]]),
            },
        ],
    }
}

fn loaded(k_max: usize, keep_sweep: bool) -> FromWorker {
    FromWorker::Loaded {
        config: Config {
            k_max,
            ..Config::default()
        },
        labels: vec!["A".into(), "B".into(), "C".into()],
        keep_sweep,
        preferences: population(),
        fit_residual: None,
        fit_types: None,
    }
}

fn snapshot(iteration: usize, status: RunStatus) -> FromWorker {
    FromWorker::Snapshot {
        snapshot: Snapshot {
            iteration,
            ..Snapshot::default()
        },
        description: format!("at {iteration}"),
        status,
    }
}

fn sweep_row(k: usize) -> FromWorker {
    FromWorker::SweepProgress {
        row: SweepRow {
            k,
            game: k as f64 / (k as f64 + 1.0),
            ..SweepRow::default()
        },
        done: k,
        total: 8,
    }
}

#[test]
fn run_state_applies_a_load_then_snapshots_and_forgets_the_old_run_on_the_next_load() {
    let mut run = RunState::new();
    assert_eq!(run.dirty, Dirty::all());
    run.dirty = Dirty::default();
    assert_eq!(run.apply(loaded(8, false)), None);
    assert_eq!(run.sweep_total, 8);
    assert_eq!(run.labels.len(), 3);
    assert!(run.preferences.is_some());
    assert_eq!(run.dirty, Dirty::all());
    for i in 0..5 {
        run.apply(snapshot(i, RunStatus::Running));
        run.apply(FromWorker::History(vec![StepRecord {
            iteration: i,
            ..StepRecord::default()
        }]));
    }
    run.apply(sweep_row(2));
    run.apply(sweep_row(1));
    run.apply(sweep_row(2));
    assert_eq!(
        run.sweep.iter().map(|r| r.k).collect::<Vec<_>>(),
        [1, 2],
        "sorted, replaced"
    );
    assert_eq!(run.status, RunStatus::Running);
    assert_eq!(run.history.len(), 5);
    assert_eq!(run.replay.len(), 5);
    assert_eq!(run.shown().unwrap().iteration, 4);
    assert_eq!(run.description, "at 4");
    // A new load keeps the sweep only when told so.
    run.apply(loaded(8, true));
    assert!(run.snapshot.is_none() && run.history.is_empty() && run.replay.is_empty());
    assert_eq!(run.sweep.len(), 2);
    run.apply(loaded(16, false));
    assert!(run.sweep.is_empty());
    assert_eq!((run.sweep_done, run.sweep_total), (0, 16));
    run.apply(FromWorker::Restarted);
    assert!(run.history.is_empty());
}

#[test]
fn a_pause_shows_at_once_and_stale_running_snapshots_do_not_undo_it() {
    let mut run = RunState::new();
    run.apply(loaded(8, false));
    run.apply(snapshot(3, RunStatus::Running));
    assert!(run.running());
    assert!(run.halt());
    assert!(run.halting && run.status == RunStatus::Idle);
    // Posted before the worker read the pause: still "running", shown as stopped.
    run.apply(snapshot(4, RunStatus::Running));
    assert_eq!(run.status, RunStatus::Idle);
    assert!(run.halting);
    // The worker's confirmation.
    run.apply(snapshot(4, RunStatus::Idle));
    assert!(!run.halting);
    assert!(!run.halt(), "nothing to halt when idle");
    // An error outlasts later snapshots.
    run.apply(FromWorker::Error("k = 0 is outside 1..=1024".into()));
    run.apply(snapshot(5, RunStatus::Running));
    assert_eq!(run.status, RunStatus::Error);
}

#[test]
fn replay_keeps_every_other_snapshot_past_its_limit_and_the_newest() {
    let mut run = RunState::new();
    run.apply(loaded(8, false));
    for i in 0..=REPLAY_MAX {
        run.apply(snapshot(i, RunStatus::Running));
    }
    assert!(
        run.replay.len() <= REPLAY_MAX / 2 + 2,
        "{}",
        run.replay.len()
    );
    assert_eq!(run.replay.last().unwrap().iteration, REPLAY_MAX);
    assert_eq!(run.replay[0].iteration, 0);
    // The same iteration twice is kept once.
    let n = run.replay.len();
    run.apply(snapshot(REPLAY_MAX, RunStatus::Idle));
    assert_eq!(run.replay.len(), n);
    run.replay(1);
    assert_eq!(run.replay_at, Some(1));
    assert_eq!(run.replay_cursor(), Some(run.replay[1].iteration));
    assert_eq!(run.shown().unwrap().iteration, run.replay[1].iteration);
    run.replay(n - 1);
    assert_eq!(run.replay_at, None, "the newest is live");
    run.replay(0);
    run.live();
    assert_eq!(run.replay_at, None);
}

#[test]
fn a_fault_restarts_the_worker_once_and_a_second_fault_gives_up() {
    let mut run = RunState::new();
    run.apply(loaded(8, false));
    run.sweep_stopped = true;
    assert_eq!(
        run.fault("the solver worker failed: boom"),
        Recovery::Restart { resend_stop: true }
    );
    assert!(run.recovering);
    // The replacement's load keeps the halted sweep halted.
    run.apply(loaded(8, false));
    assert!(run.sweep_stopped);
    assert_eq!(run.fault("again"), Recovery::GiveUp);
    assert_eq!(run.status, RunStatus::Error);
    assert!(run.error.as_deref().unwrap().contains("did not help"));
    // A snapshot from a healthy replacement ends the recovery.
    let mut run = RunState::new();
    run.fault("once");
    run.apply(snapshot(0, RunStatus::Idle));
    assert!(!run.recovering);
    assert_eq!(run.fault("later"), Recovery::Restart { resend_stop: false });
}

#[test]
fn imports_and_crashes_are_events_for_the_page() {
    let mut run = RunState::new();
    let custom = population();
    assert_eq!(
        run.apply(FromWorker::Imported {
            name: "x.soc".into(),
            custom: custom.clone()
        }),
        Some(Event::Imported {
            name: "x.soc".into(),
            custom
        })
    );
    assert_eq!(
        run.apply(FromWorker::ImportFailed("line 3: bad".into())),
        Some(Event::ImportFailed("line 3: bad".into()))
    );
    assert_eq!(
        run.apply(FromWorker::Crashed("panic".into())),
        Some(Event::Crashed("panic".into()))
    );
    assert_eq!(run.apply(FromWorker::Done), None);
}

#[test]
fn undo_history_coalesces_rapid_edits_into_one_history_entry_and_bounds_its_steps() {
    let mut h = UndoHistory::new(0u32);
    assert_eq!(h.commit(&0, 0.0), None, "unchanged");
    assert_eq!(h.commit(&1, 1000.0), Some(HistoryEntry::Push));
    assert_eq!(
        h.commit(&2, 1000.0 + HISTORY_COALESCE_MS / 2.0),
        Some(HistoryEntry::Replace)
    );
    assert_eq!(h.commit(&3, 5000.0), Some(HistoryEntry::Push));
    assert_eq!(*h.committed(), 3);
    let mut current = 3;
    assert!(h.travel(&mut current, true));
    assert_eq!(current, 2);
    assert!(h.travel(&mut current, true));
    assert!(h.travel(&mut current, true));
    assert_eq!(current, 0);
    assert!(!h.travel(&mut current, true), "nothing before the first");
    assert!(h.can_redo());
    assert!(h.travel(&mut current, false));
    assert_eq!(current, 1);
    // A new edit forgets what was undone.
    assert!(h.commit(&7, 9000.0).is_some());
    assert!(!h.can_redo());
    // An arrival (back, forward) is undoable too.
    h.arrived(7, &8);
    assert_eq!(*h.committed(), 8);
    let mut current = 8;
    assert!(h.travel(&mut current, true));
    assert_eq!(current, 7);
    // Bounded.
    let mut h = UndoHistory::new(0usize);
    for i in 1..=UNDO_MAX + 50 {
        h.commit(&i, i as f64 * 1000.0);
    }
    let mut current = UNDO_MAX + 50;
    let mut steps = 0;
    while h.travel(&mut current, true) {
        steps += 1;
    }
    assert_eq!(steps, UNDO_MAX);
    assert_eq!(current, 50);
}

#[test]
fn shortcuts_leave_form_controls_their_own_keys() {
    let page = |key| shortcut(&KeyPress::plain(key));
    assert_eq!(page(" "), Some(Shortcut::PlayPause));
    assert_eq!(page("ArrowRight"), Some(Shortcut::Step));
    assert_eq!(page("r"), Some(Shortcut::Restart));
    assert_eq!(page("d"), Some(Shortcut::ArenaRound));
    assert_eq!(page("x"), None);
    let with = |key, target, ctrl, shift| {
        shortcut(&KeyPress {
            key,
            ctrl,
            meta: false,
            alt: false,
            shift,
            target,
            touring: false,
        })
    };
    assert_eq!(
        with("z", KeyTarget::Page, true, false),
        Some(Shortcut::Undo)
    );
    assert_eq!(with("Z", KeyTarget::Page, true, true), Some(Shortcut::Redo));
    assert_eq!(
        with("y", KeyTarget::Control, true, false),
        Some(Shortcut::Redo)
    );
    assert_eq!(
        with("z", KeyTarget::TextEntry, true, false),
        None,
        "text has its own undo"
    );
    assert_eq!(
        with(" ", KeyTarget::Control, false, false),
        None,
        "space presses a button"
    );
    assert_eq!(with("ArrowRight", KeyTarget::Control, false, false), None);
    assert_eq!(
        with("r", KeyTarget::Page, true, false),
        None,
        "Ctrl+R reloads"
    );
    assert_eq!(
        KeyTarget::from_element("TEXTAREA", None),
        KeyTarget::TextEntry
    );
    assert_eq!(
        KeyTarget::from_element("INPUT", Some("text")),
        KeyTarget::TextEntry
    );
    assert_eq!(
        KeyTarget::from_element("INPUT", Some("range")),
        KeyTarget::Control
    );
    assert_eq!(KeyTarget::from_element("BUTTON", None), KeyTarget::Button);
    assert_eq!(KeyTarget::from_element("CANVAS", None), KeyTarget::Page);
}

#[test]
fn settings_edits_say_whether_they_are_finished_and_refusals_change_nothing() {
    let mut c = Config::default();
    let mut form = FormTexts::new(&c);
    assert_eq!(
        set(&mut c, &mut form, SettingEdit::K(4)),
        Outcome::Unchanged
    );
    assert_eq!(set(&mut c, &mut form, SettingEdit::K(6)), Outcome::Live);
    assert_eq!(c.k, 6);
    assert_eq!(set(&mut c, &mut form, SettingEdit::K(500)), Outcome::Live);
    assert_eq!(c.k, 32, "the slider's reach");
    assert_eq!(
        set(&mut c, &mut form, SettingEdit::PlayersAuto(false)),
        Outcome::Finished
    );
    assert_eq!(c.players, Some(33));
    assert_eq!(
        set(&mut c, &mut form, SettingEdit::Players(1)),
        Outcome::Live
    );
    assert_eq!(c.players, Some(2));
    let before = c.clone();
    assert_eq!(
        set(&mut c, &mut form, SettingEdit::FontScale(9.0)),
        Outcome::Refused
    );
    assert_eq!(c, before);
    assert!(form.error.as_deref().unwrap().contains("font scale"));
    assert_eq!(
        set(
            &mut c,
            &mut form,
            SettingEdit::Number(NumField::StepSize, "-1".into())
        ),
        Outcome::Refused
    );
    assert_eq!(c, before);
    assert_eq!(form.text(NumField::StepSize), "-1", "kept as typed");
    assert_eq!(
        set(
            &mut c,
            &mut form,
            SettingEdit::Number(NumField::StepSize, "0.25".into())
        ),
        Outcome::Finished
    );
    assert_eq!(c.step_size, Some(0.25));
    assert!(form.error.is_none());
    assert_eq!(
        set(
            &mut c,
            &mut form,
            SettingEdit::Number(NumField::K, "700".into())
        ),
        Outcome::Finished
    );
    assert_eq!(c.k, 700, "typed k goes beyond the slider");
    assert_eq!(
        set(
            &mut c,
            &mut form,
            SettingEdit::Number(NumField::K, "1025".into())
        ),
        Outcome::Refused
    );
    assert!(form.error.as_deref().unwrap().contains("limit on k"));
    c.custom = Some(Shared::new(population()));
    assert_eq!(
        set(&mut c, &mut form, SettingEdit::Preset("tshirt".into())),
        Outcome::Finished
    );
    assert!(c.custom.is_none(), "a preset replaces custom preferences");
    form.sync_all(&c);
    assert!(form.error.is_none());
    assert_eq!(form.text(NumField::K), "700");
}

#[test]
fn preference_edits_check_what_the_worker_checks() {
    let p = population();
    let edited = apply(&p, PreferenceEdit::Label(1, " Bee ".into())).unwrap();
    assert_eq!(edited.labels()[1], "Bee");
    assert!(apply(&p, PreferenceEdit::Label(1, "A".into()))
        .unwrap_err()
        .contains("already"));
    assert!(apply(&p, PreferenceEdit::Label(0, "  ".into())).is_err());
    assert!(
        apply(&p, PreferenceEdit::Label(9, "Z".into())).is_err(),
        "out of range"
    );
    assert!(apply(&p, PreferenceEdit::Weight(0, "0".into())).is_ok());
    let one = apply(&p, PreferenceEdit::RemoveVoter(1)).unwrap();
    assert!(apply(&one, PreferenceEdit::Weight(0, "0".into()))
        .unwrap_err()
        .contains("positive weight"));
    assert!(apply(&one, PreferenceEdit::RemoveVoter(0)).is_err());
    assert!(apply(&p, PreferenceEdit::Weight(0, "-1".into())).is_err());
    assert!(apply(&p, PreferenceEdit::Weight(0, "x".into())).is_err());
    assert!(apply(&p, PreferenceEdit::Weight(5, "1".into())).is_err());
    let dup = apply(&p, PreferenceEdit::DuplicateVoter(0)).unwrap();
    let CustomPreferences::Population { voters, .. } = &dup else {
        panic!()
    };
    assert_eq!(voters.len(), 3);
    assert_eq!(voters[0], voters[1]);
    // The summary: the population's pairwise matrix and its Condorcet winner.
    let s = summarize(&p).unwrap();
    assert!((s.rows[0][1] - (2.0 + 0.5) / 3.0).abs() < 1e-15);
    assert_eq!(s.condorcet, Some(0));
    // A matrix: a cell sets its mirror; not a probability is refused.
    let m = CustomPreferences::Matrix {
        labels: vec!["x".into(), "y".into()],
        rows: vec![vec![0.5, 0.5], vec![0.5, 0.5]],
    };
    let CustomPreferences::Matrix { rows, .. } =
        apply(&m, PreferenceEdit::Cell(0, 1, "0.9".into())).unwrap()
    else {
        panic!()
    };
    assert_eq!(rows[1][0], 1.0 - 0.9);
    assert!(apply(&m, PreferenceEdit::Cell(0, 1, "1.5".into())).is_err());
    assert!(
        apply(&m, PreferenceEdit::Cell(0, 0, "0.4".into())).is_err(),
        "the diagonal"
    );
    assert!(apply(&m, PreferenceEdit::AddVoter).is_err());
    assert!(summarize(&m).is_none());
}

#[test]
fn pasted_text_is_told_by_its_first_lines() {
    assert_eq!(pasted_name("  {\"k\": 3}"), "pasted text.json");
    assert_eq!(
        pasted_name("# FILE NAME: x\n# DATA TYPE: soc\n1: 1,2"),
        "pasted text.soc"
    );
    assert_eq!(pasted_name("# DATA TYPE: toc\n"), "pasted text.toc");
    assert_eq!(pasted_name("# DATA TYPE: weird\n3: 1,2"), "pasted text.toi");
    assert_eq!(pasted_name("\n\n12: 1,{2,3}"), "pasted text.toi");
    assert_eq!(
        pasted_name("left,right,winner\na,b,left"),
        "pasted text.csv"
    );
    assert_eq!(pasted_name("0.5,0.6\n0.4,0.5"), "pasted text.csv");
}

#[test]
fn csv_downloads_read_back_to_the_same_numbers() {
    let history = [StepRecord {
        iteration: 3,
        nlhf_win_rate: 0.51,
        game_win_rate: 0.1 + 0.2,
        nlhf_exploitability: 1e-300,
        game_exploitability: 0.0,
    }];
    let csv = history_csv(&history);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "iteration,nlhf_win_rate,game_win_rate,nlhf_exploitability,game_exploitability"
    );
    let cells: Vec<f64> = lines
        .next()
        .unwrap()
        .split(',')
        .map(|c| c.parse().unwrap())
        .collect();
    assert_eq!(cells, [3.0, 0.51, 0.1 + 0.2, 1e-300, 0.0]);
    assert_eq!(lines.next(), None);
    let rows: Vec<SweepRow> = (1..=3)
        .map(|k| SweepRow {
            k,
            nlhf: 0.51,
            game: k as f64 / (k as f64 + 1.0),
            rlhf: 0.5,
            best_of_k: 1.0 / 3.0,
            bound: k as f64 / (k as f64 + 1.0),
            game_exploitability: 1e-17,
        })
        .collect();
    let csv = sweep_csv(&rows);
    assert_eq!(csv.lines().count(), 4);
    let last: Vec<f64> = csv
        .lines()
        .last()
        .unwrap()
        .split(',')
        .map(|c| c.parse().unwrap())
        .collect();
    assert_eq!(last, [3.0, 0.51, 0.75, 0.5, 1.0 / 3.0, 0.75, 1e-17]);
}

#[test]
fn frame_timings_count_frames_only_while_running() {
    let mut p = FrameStats::default();
    for i in 0..30 {
        p.begin(i as f64 * 20.0, i as f64 * 20.0, true);
        p.drew(2.0);
        p.end(i as f64 * 20.0 + 5.0);
    }
    assert!((p.fps.unwrap() - 50.0).abs() < 1e-9, "{:?}", p.fps);
    assert!((p.frame_ms.unwrap() - 5.0).abs() < 1e-9);
    assert!((p.draw_ms.unwrap() - 2.0).abs() < 1e-9);
    assert!(p.first_chart(100.0));
    assert!(!p.first_chart(200.0));
    assert_eq!(p.first_chart_ms, Some(100.0));
    p.begin(1000.0, 1000.0, false);
    p.begin(1020.0, 1020.0, true);
    assert!(
        (p.fps.unwrap() - 50.0).abs() < 1e-9,
        "kept until enough new frames"
    );
}

#[test]
fn the_first_paint_in_index_html_says_what_the_page_says() {
    let index = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../index.html"))
        .expect("index.html at the top of the workspace");
    let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let index = squeeze(&index);
    use ualign::page::text::{LEDE, LOADING, TITLE};
    assert!(
        index.contains(&format!("<h1>{TITLE}</h1>")),
        "index.html's title is not text::TITLE"
    );
    assert!(
        index.contains(&format!("<p class=\"lede\">{}</p>", squeeze(LEDE))),
        "index.html's lede is not text::LEDE"
    );
    assert!(
        index.contains(LOADING),
        "index.html's loading line is not text::LOADING"
    );
}

/// The arena's report for a preset at k, after some rounds (and the best set, if asked).
fn arena_report(id: &str, k: usize, setup: ArenaSetup, rounds: u32, best: bool) -> ArenaReport {
    let config = Config {
        preset: id.into(),
        k,
        ..Config::default()
    };
    let session = ualign::session::Session::new(&config).unwrap();
    let mut arena = Arena::new(
        session.game_population(),
        session.maximal_lottery().to_vec(),
        session.equilibrium().policy.clone(),
        k,
        k + 1,
        setup,
    );
    arena.handle(ArenaRequest::Rounds(rounds), 0.0);
    if best {
        arena.handle(ArenaRequest::BestSet, 0.0);
    }
    arena.report()
}

#[test]
fn the_arena_in_words_on_51_49() {
    let labels = vec!["A".to_string(), "B".to_string()];
    let setup = ArenaSetup {
        challenger: vec![1],
        set: vec![],
        draws: 1,
    };
    let config = Config {
        preset: "majority-51-49".into(),
        challenger: vec![1],
        ..Config::default()
    };
    let r = arena_report("majority-51-49", 4, setup, 10, false);
    let v = view(&r, &config.set, &labels);
    assert_eq!(v.rounds, 10);
    // NLHF's row: four A chips; the challenger's B.
    let chips: Vec<&str> = v.nlhf.cards.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(chips, ["A"; 4]);
    assert_eq!(v.nlhf.challenger[0].label, "B");
    assert!(v
        .nlhf
        .samples
        .starts_with("4 draws from the maximal lottery (exact): A 1.0000"));
    assert_eq!(
        (v.nlhf.exact.as_str(), v.game.exact.as_str()),
        ("0.5100", "0.8000")
    );
    assert_eq!(v.nlhf.exact_of, "exact W_4(π, {B})");
    // Exactly one copy is picked, and the outcome says whose it was.
    for row in [&v.nlhf, &v.game] {
        let picked = row
            .cards
            .iter()
            .chain(&row.challenger)
            .filter(|c| c.picked)
            .count();
        assert_eq!(picked, 1);
        let (text, won) = row.outcome.clone().unwrap();
        assert_eq!(text.contains("the model wins"), won);
        assert!(row
            .cards
            .iter()
            .chain(&row.challenger)
            .all(|c| c.alt.starts_with(&c.label)));
    }
    let (wins, rounds, lo, hi) = v.nlhf.counts;
    assert_eq!(rounds, 10);
    assert_eq!((lo, hi), ualign::arena::wilson(wins, rounds));
    assert!(
        v.indifference
            .contains("each of the 2 challengers in its support gives exactly k/(k+1) = 0.8000"),
        "{}",
        v.indifference
    );
    assert!(
        v.voter.contains("ranking A > B") || v.voter.contains("ranking B > A"),
        "{}",
        v.voter
    );
    // The minority's line: left out by NLHF, not by the game.
    let minority = v.left_out.iter().find(|l| l.who == "49.0%: B > A").unwrap();
    assert_eq!(minority.nlhf, 0.0);
    assert!(minority.game > 0.9);
    assert!(v.facts[0].contains("at most k/(k+1) = 0.8000"));
    // No set of four distinct responses out of two.
    assert_eq!(
        v.fixed,
        "A fixed set of k = 4 distinct responses needs 4 responses to choose from; there are 2."
    );
    assert_eq!(v.fixed_value, "–");
    // At k = 2, the best set is {A, B} at 0.7450, above the cap of 2/3.
    let config = Config {
        preset: "majority-51-49".into(),
        k: 2,
        set: vec![0, 1],
        ..Config::default()
    };
    let setup = ArenaSetup {
        challenger: vec![],
        set: vec![0, 1],
        draws: 1,
    };
    let v = view(
        &arena_report("majority-51-49", 2, setup, 0, true),
        &config.set,
        &labels,
    );
    assert_eq!(v.fixed_value, "0.7450");
    assert_eq!(
        v.fixed,
        "{A, B} wins 0.7450 against its worst single challenger, A."
    );
    assert!(
        v.facts[1].starts_with("A fixed set is not: here {A, B} wins 0.7450, above 0.6667"),
        "{}",
        v.facts[1]
    );
    assert!(v.best.unwrap().contains("{A, B} wins 0.7450"));
    let one = ArenaSetup {
        challenger: vec![],
        set: vec![0],
        draws: 1,
    };
    let one = view(
        &arena_report("majority-51-49", 2, one, 0, false),
        &[0],
        &labels,
    );
    assert_eq!(
        one.fixed,
        "Click 1 more response to make a fixed set of k = 2 (a k-output model, not a policy sampled k times)."
    );
    assert_eq!(one.fixed_value, "–");
    assert_eq!(v.voter, "No round yet: press One round, or d.");
    assert!(v.nlhf.outcome.is_none());
    assert_eq!(v.nlhf.tally, "no rounds yet");
}

#[test]
fn arena_edits_toggle_choices_keep_the_link_valid_and_a_best_set_is_adopted_once() {
    let mut config = Config::default();
    let mut form = FormTexts::new(&config);
    let mut edit = |c: &mut Config, e| set(c, &mut form, SettingEdit::Arena(e));
    assert_eq!(
        edit(&mut config, ArenaEdit::Challenger(1)),
        Outcome::Finished
    );
    for y in [2, 3, 4] {
        edit(&mut config, ArenaEdit::Challenger(y));
    }
    // At most three: the fourth pushed out the first.
    assert_eq!(config.challenger, vec![2, 3, 4]);
    edit(&mut config, ArenaEdit::Challenger(3));
    assert_eq!(config.challenger, vec![2, 4]);
    assert_eq!(edit(&mut config, ArenaEdit::OwnWorst), Outcome::Finished);
    assert_eq!(edit(&mut config, ArenaEdit::OwnWorst), Outcome::Unchanged);
    for y in [0, 1, 2, 3, 4] {
        edit(&mut config, ArenaEdit::SetMember(y));
    }
    assert_eq!(config.set, vec![1, 2, 3, 4], "k = 4 at most");
    edit(&mut config, ArenaEdit::Draws(u64::MAX));
    assert_eq!(config.draws, ualign::config::MAX_SEED);
    assert!(config.validate().is_ok());
    // A smaller k trims the set, so the configuration stays valid.
    assert_eq!(
        set(&mut config, &mut form, SettingEdit::K(2)),
        Outcome::Live
    );
    assert_eq!(config.set, vec![1, 2]);
    assert!(config.validate().is_ok());
    assert_eq!(
        ualign::url::decode(&ualign::url::encode(&config)).unwrap(),
        config
    );
    // The best set asked for becomes an event once it arrives, and only once.
    let mut run = RunState::new();
    run.best_asked = true;
    let setup = ArenaSetup {
        challenger: vec![],
        set: vec![],
        draws: 1,
    };
    let labels = vec!["A".to_string(), "B".to_string()];
    let without = view(
        &arena_report("majority-51-49", 2, setup.clone(), 1, false),
        &[],
        &labels,
    );
    assert_eq!(run.apply(FromWorker::Arena(Box::new(without))), None);
    let with = view(
        &arena_report("majority-51-49", 2, setup, 1, true),
        &[],
        &labels,
    );
    assert_eq!(
        run.apply(FromWorker::Arena(Box::new(with.clone()))),
        Some(Event::BestSet(vec![0, 1]))
    );
    assert_eq!(run.apply(FromWorker::Arena(Box::new(with))), None);
    assert!(run.dirty.arena);
}

#[test]
fn the_arena_view_keeps_labels_as_text_and_says_what_each_number_is() {
    let setup = ArenaSetup {
        challenger: vec![1],
        set: vec![0, 1],
        draws: 1,
    };
    // Labels as hostile as a pasted file can make them stay text: the page renders them
    // as text nodes, so the view holds them exactly as given.
    let labels = vec![
        r#"<img src=x onerror="alert(1)">"#.to_string(),
        "B & 'co'".to_string(),
    ];
    let report = arena_report("majority-51-49", 2, setup, 3, true);
    let v = view(&report, &[0, 1], &labels);
    assert_eq!(v.singles[0].label, labels[0]);
    assert_eq!(v.singles[1].label, labels[1]);
    assert!(v.nlhf.exact_of.starts_with("exact W_2(π, {B & 'co'})"));
    // {A, B} against its worst challenger on 51/49 at k = 2: 0.51 * 1/2 + 0.49 ... = 0.745.
    assert_eq!(v.fixed_value, "0.7450");
    assert_eq!(v.best_set, Some(vec![0, 1]));
    assert_eq!((v.n, v.rounds), (2, 3));
    let (wins, rounds, lo, hi) = v.nlhf.counts;
    assert_eq!(rounds, 3);
    assert!(wins <= rounds && lo <= hi);
    assert_eq!((lo, hi), ualign::arena::wilson(wins, rounds));
}

#[test]
fn the_arena_shows_alone_or_with_every_figure_but_not_in_the_embedded_four() {
    let shows = |view: View, embed: bool| {
        Config {
            view,
            embed,
            ..Config::default()
        }
        .shows_arena()
    };
    assert!(shows(View::Arena, false) && shows(View::Arena, true));
    assert!(shows(View::All, false));
    assert!(
        !shows(View::All, true),
        "the embedded 2 x 2 frame holds the four charts"
    );
    assert!(!shows(View::Sweep, false));
}

/// The reading says of every number what it is of, and says what each rule does when its
/// iterate has not converged.
#[test]
fn the_reading_names_iterates_averages_and_exact_solutions() {
    use ualign::config::Algorithm;
    use ualign::page::text::{reading, ReadingFacts, RunFacts, CONVERGED};
    let run = |e: f64, avg: f64| RunFacts {
        iterate_top: "X",
        iterate_mass: 0.76,
        iterate_exploitability: e,
        average_exploitability: avg,
        exact_top: "X",
        exact_mass: 0.538,
        exact_win_rate: 0.6095,
        exact_exploitability: 1e-16,
    };
    let facts = |algorithm, iteration, e: f64, avg: f64| ReadingFacts {
        iteration,
        k: 4,
        players: 5,
        n: 15,
        algorithm,
        nlhf: run(e, avg),
        nlhf_threat: "Y",
        game: run(1e-9, 1e-9),
        game_support: 6,
        fitted_types: None,
    };
    let cycling = reading(&facts(Algorithm::Hedge, 500, 3e-2, 1e-3));
    assert!(cycling.starts_with("Exact: NLHF's maximal lottery puts 0.538 on X; sampled 4 times it wins 0.6095 against its worst challenger, Y."), "{cycling}");
    assert!(cycling.contains("NLHF self-play's current iterate (iteration 500, Hedge) has not converged: it puts 0.760 on X (exploitability 3.0e-2; the average iterate's is 1.0e-3, closer)"), "{cycling}");
    assert!(
        cycling.contains("last iterate cycles and its average converges"),
        "{cycling}"
    );
    assert!(cycling.contains("The 5-player game's current iterate (iteration 500, Hedge) has converged: exploitability 1.0e-9"), "{cycling}");
    // An average no better than the iterate is not called closer.
    let flat = reading(&facts(Algorithm::OptimisticHedge, 20, 3e-2, 2e-2));
    assert!(!flat.contains("average iterate's"), "{flat}");
    assert!(
        flat.contains("Optimistic Hedge's last iterate converges"),
        "{flat}"
    );
    let md = reading(&facts(Algorithm::NashMd, 20, 3e-2, 2e-2));
    assert!(md.contains("regularized toward the uniform policy"), "{md}");
    // Converged: no excuse is made, and the threshold is the one stated.
    let done = reading(&facts(Algorithm::Hedge, 900, CONVERGED, 1.0));
    assert!(
        done.contains("NLHF self-play's current iterate (iteration 900, Hedge) has converged"),
        "{done}"
    );
    assert!(!done.contains("cycles"), "{done}");
    use ualign::page::text::short_sci;
    for (x, shown) in [
        (3e-2, "3.0e-2"),
        (9.96e-3, "1.0e-2"),
        (1e-9, "1.0e-9"),
        (0.25, "2.5e-1"),
        (0.0, "0"),
    ] {
        assert_eq!(short_sci(x), shown);
    }
    // On a matrix, best-of-k at k >= 2 says which population it is of; at k = 1 it needs none.
    let fitted = ReadingFacts {
        fitted_types: Some(90),
        ..facts(Algorithm::Hedge, 0, 1.0, 1.0)
    };
    assert!(
        reading(&fitted).contains("of the population of 90 voter types fitted to the matrix"),
        "{}",
        reading(&fitted)
    );
    let one = ReadingFacts { k: 1, ..fitted };
    assert!(!reading(&one).contains("fitted"), "{}", reading(&one));
    // Before the first step only the exact answers are quoted.
    let start = reading(&facts(Algorithm::Hedge, 0, 1.0, 1.0));
    assert!(start.contains("start from the uniform policy"), "{start}");
    assert!(!start.contains("current iterate"), "{start}");
    assert!(
        start.contains("The 5-player equilibrium spreads over 6 of 15 responses and wins 0.6095"),
        "{start}"
    );
}

/// "Exact" only for an equilibrium certified at the solver's target; otherwise the words say
/// it is the best iterate, and how far from an equilibrium.
#[test]
fn an_uncertified_equilibrium_is_not_called_exact() {
    use ualign::config::Algorithm;
    use ualign::equilibrium::TARGET_EXPLOITABILITY;
    use ualign::page::text::{of_equilibrium, reading, solution, ReadingFacts, RunFacts};
    assert_eq!(of_equilibrium(0.0), ualign::page::text::OF_EQUILIBRIUM);
    assert_eq!(of_equilibrium(TARGET_EXPLOITABILITY), " equilibrium, exact");
    assert_eq!(
        of_equilibrium(3.1e-7),
        " equilibrium, best iterate, exploitability 3.1e-7"
    );
    assert_eq!(
        solution(2.0 * TARGET_EXPLOITABILITY),
        "best iterate, exploitability 2.0e-13"
    );
    let run = |exact_exploitability| RunFacts {
        iterate_top: "X",
        iterate_mass: 0.5,
        iterate_exploitability: 1.0,
        average_exploitability: 1.0,
        exact_top: "X",
        exact_mass: 0.5,
        exact_win_rate: 0.75,
        exact_exploitability,
    };
    let facts = ReadingFacts {
        iteration: 0,
        k: 3,
        players: 4,
        n: 5,
        algorithm: Algorithm::Hedge,
        nlhf: run(0.0),
        nlhf_threat: "Y",
        game: run(4.2e-6),
        game_support: 3,
        fitted_types: None,
    };
    let text = reading(&facts);
    assert!(
        text.contains("The 4-player equilibrium was not certified: the solver's best iterate (exploitability 4.2e-6) spreads over 3 of 5 responses and wins 0.7500"),
        "{text}"
    );
}
