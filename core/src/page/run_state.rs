//! What the page knows of the run: it applies the worker's replies in order, keeps snapshots
//! for replay, shows a pause or stop at once, and decides whether a failed worker is replaced.

use crate::config::{Config, CustomPreferences, Shared};
use crate::open_question::phase_map::{Family, PhaseCell, PhaseColumn};
use crate::protocol::{FromWorker, RunStatus};
use crate::session::{OpponentRow, Snapshot, StepRecord, SweepRow};

/// Most snapshots kept for replay.
pub const REPLAY_MAX: usize = 1200;

/// Which figures need drawing again.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Dirty {
    pub policies: bool,
    pub iterations: bool,
    pub sweep: bool,
    pub opponents: bool,
    pub phase: bool,
    pub arena: bool,
}

impl Dirty {
    pub fn all() -> Dirty {
        Dirty {
            policies: true,
            iterations: true,
            sweep: true,
            opponents: true,
            phase: true,
            arena: true,
        }
    }
}

/// The phase map as far as the worker has sent it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PhaseState {
    /// The family the cells are of (None: none asked for since the last load).
    pub family: Option<Family>,
    pub columns: Vec<PhaseColumn>,
    pub cells: Vec<PhaseCell>,
    pub done: usize,
    pub total: usize,
}

/// A reply the page acts on beyond showing it.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A file was read: these preferences become the configuration's.
    Imported {
        name: String,
        custom: CustomPreferences,
    },
    /// A file could not be read; the text says why.
    ImportFailed(String),
    /// The solver panicked: the page must replace the worker.
    Crashed(String),
    /// The best fixed set asked for arrived: it becomes the configuration's fixed set.
    BestSet(Vec<usize>),
    /// A saved configuration was read (or why not): the page opens it.
    Saved {
        name: String,
        config: Result<Config, String>,
    },
    /// A deck was read (or why not): the page shows it.
    Deck(Result<crate::deck::Deck, String>),
    /// The lecturer's deck changed (or a request about it was answered).
    Draft(crate::links::deck_draft::DeckPanel),
}

/// After a worker fault: start a fresh one (the first time), or stop trying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// Start a new worker and load the configuration again (re-sending a stop if the sweep
    /// was halted); the run starts again from iteration 0.
    Restart { resend_stop: bool },
    /// A second fault before the new worker answered: the error stays on the page.
    GiveUp,
}

/// The run as the page shows it.
#[derive(Debug, Default)]
pub struct RunState {
    pub labels: Vec<String>,
    pub snapshot: Option<Snapshot>,
    /// The worker's reading in words of the newest snapshot.
    pub description: String,
    pub status: RunStatus,
    pub history: Vec<StepRecord>,
    pub sweep: Vec<SweepRow>,
    pub sweep_done: usize,
    pub sweep_total: usize,
    /// A stop halted the sweep (Continue resumes it).
    pub sweep_stopped: bool,
    pub opponents: Vec<OpponentRow>,
    pub phase: PhaseState,
    /// The arena's newest view (None until the worker opens the arena on this session).
    pub arena: Option<std::rc::Rc<crate::arena::view::ArenaView>>,
    /// The seats' newest view (None until the worker opens them on this session).
    pub seats: Option<std::rc::Rc<crate::arena::seats_view::SeatsView>>,
    /// The best fixed set was asked for and has not arrived yet.
    pub best_asked: bool,
    pub error: Option<String>,
    /// Snapshots kept for replay (thinned as they accumulate), and the one shown, if any.
    pub replay: Vec<Snapshot>,
    pub replay_at: Option<usize>,
    /// The loaded preferences in editable form, and the matrix fit's residual and size.
    pub preferences: Option<Shared<CustomPreferences>>,
    pub fit_residual: Option<f64>,
    pub fit_types: Option<usize>,
    /// A pause or stop was asked for and the worker has not confirmed it yet: the page shows
    /// the run stopped from the next frame on, even while the worker finishes a long call.
    pub halting: bool,
    /// A replacement worker was started after a fault and has not sent a snapshot yet.
    pub recovering: bool,
    /// The figures whose data changed since they were last drawn.
    pub dirty: Dirty,
}

impl RunState {
    pub fn new() -> Self {
        RunState {
            dirty: Dirty::all(),
            ..RunState::default()
        }
    }

    /// The snapshot on screen: the replayed one, else the newest.
    pub fn shown(&self) -> Option<&Snapshot> {
        self.replay_at
            .and_then(|i| self.replay.get(i))
            .or(self.snapshot.as_ref())
    }

    /// The iteration the replay shows, when it shows an earlier one.
    pub fn replay_cursor(&self) -> Option<usize> {
        self.replay_at
            .and_then(|i| self.replay.get(i))
            .map(|s| s.iteration)
    }

    pub fn running(&self) -> bool {
        self.status == RunStatus::Running
    }

    /// Whether the sweep over k is still being computed (or halted part way).
    pub fn sweep_unfinished(&self) -> bool {
        self.sweep_total > 0 && self.sweep_done < self.sweep_total
    }

    /// A pause or stop shows at once; the worker confirms it after its current batch.
    /// True when a running run was halted.
    pub fn halt(&mut self) -> bool {
        if self.status == RunStatus::Running {
            self.status = RunStatus::Idle;
            self.halting = true;
            return true;
        }
        false
    }

    /// Shows kept snapshot `i` (the newest means live again).
    pub fn replay(&mut self, i: usize) {
        self.replay_at = (i + 1 < self.replay.len()).then_some(i);
        self.dirty.policies = true;
        self.dirty.iterations = true;
    }

    /// Back to the newest snapshot.
    pub fn live(&mut self) {
        self.replay_at = None;
        self.dirty.policies = true;
        self.dirty.iterations = true;
    }

    /// The worker failed (a panic, an exception, or no answer in time).
    pub fn fault(&mut self, fault: &str) -> Recovery {
        self.halting = false;
        if self.recovering {
            self.error = Some(format!("{fault}; restarting the solver did not help"));
            self.status = RunStatus::Error;
            return Recovery::GiveUp;
        }
        self.recovering = true;
        self.status = RunStatus::Idle;
        self.dirty = Dirty::all();
        Recovery::Restart {
            resend_stop: self.sweep_stopped,
        }
    }

    /// The worker could not be started at all.
    pub fn failed_to_start(&mut self, why: String) {
        self.error = Some(why);
        self.status = RunStatus::Error;
    }

    /// Applies one reply of the worker, in the order they came.
    pub fn apply(&mut self, msg: FromWorker) -> Option<Event> {
        match msg {
            FromWorker::Loaded {
                config,
                labels,
                keep_sweep,
                preferences,
                fit_residual,
                fit_types,
            } => {
                self.preferences = Some(Shared::new(preferences));
                // The old run's state does not belong to these responses.
                self.snapshot = None;
                self.replay.clear();
                self.replay_at = None;
                self.fit_residual = fit_residual;
                self.fit_types = fit_types;
                self.labels = labels;
                self.history.clear();
                self.opponents.clear();
                self.phase = PhaseState::default();
                self.arena = None;
                self.seats = None;
                self.best_asked = false;
                if !keep_sweep {
                    self.sweep.clear();
                    self.sweep_done = 0;
                    self.sweep_total = config.k_max;
                }
                // A replacement worker is sent the stop again (see `fault`).
                if !self.recovering {
                    self.sweep_stopped = false;
                }
                self.error = None;
                self.dirty = Dirty::all();
            }
            FromWorker::Restarted => {
                self.history.clear();
                self.replay.clear();
                self.replay_at = None;
                self.dirty.iterations = true;
            }
            FromWorker::Snapshot {
                snapshot,
                description,
                status,
            } => {
                self.keep_for_replay(&snapshot);
                self.snapshot = Some(snapshot);
                self.recovering = false;
                self.description = description;
                // Until the worker confirms a pause or stop, a snapshot it posted before
                // reading it still says running: the page already shows the run stopped.
                let status = match (self.halting, status) {
                    (true, RunStatus::Running) => RunStatus::Idle,
                    (true, other) => {
                        self.halting = false;
                        other
                    }
                    (false, other) => other,
                };
                self.status = if self.error.is_some() {
                    RunStatus::Error
                } else {
                    status
                };
                self.dirty.policies = true;
                self.dirty.iterations = true;
            }
            FromWorker::History(records) => {
                self.history.extend(records);
                self.dirty.iterations = true;
            }
            FromWorker::SweepProgress { row, done, total } => {
                // Kept in order of k by inserting in place: a sort here put the standard
                // library's stable sort (2 KB) into the page.
                match self.sweep.binary_search_by_key(&row.k, |r| r.k) {
                    Ok(i) => self.sweep[i] = row,
                    Err(i) => self.sweep.insert(i, row),
                }
                self.sweep_done = done;
                self.sweep_total = total;
                self.dirty.sweep = true;
            }
            FromWorker::Opponents(rows) => {
                self.opponents = rows;
                self.dirty.opponents = true;
            }
            FromWorker::Phase {
                family,
                columns,
                cells,
                done,
                total,
                ..
            } => {
                if self.phase.family != Some(family) {
                    self.phase = PhaseState {
                        family: Some(family),
                        ..PhaseState::default()
                    };
                }
                self.phase.columns.extend(columns);
                self.phase.cells.extend(cells);
                self.phase.done = done;
                self.phase.total = total;
                self.dirty.phase = true;
            }
            FromWorker::Seats(view) => self.seats = Some(std::rc::Rc::from(view)),
            FromWorker::Arena(report) => {
                let best = report.best_set.clone();
                self.arena = Some(std::rc::Rc::from(report));
                self.dirty.arena = true;
                if let Some(set) = best.filter(|_| self.best_asked) {
                    self.best_asked = false;
                    return Some(Event::BestSet(set));
                }
            }
            // Ready and Pong are the worker link's own.
            FromWorker::Done | FromWorker::Ready | FromWorker::Pong(_) => {}
            FromWorker::Crashed(text) => return Some(Event::Crashed(text)),
            FromWorker::Imported { name, custom } => return Some(Event::Imported { name, custom }),
            FromWorker::ImportFailed(text) => return Some(Event::ImportFailed(text)),
            FromWorker::Saved { name, config } => return Some(Event::Saved { name, config }),
            FromWorker::Deck(deck) => return Some(Event::Deck(Ok(deck))),
            FromWorker::DeckFailed(text) => return Some(Event::Deck(Err(text))),
            FromWorker::Draft(page) => return Some(Event::Draft(page)),
            FromWorker::Error(text) => {
                self.error = Some(text);
                self.status = RunStatus::Error;
            }
        }
        None
    }

    /// Keeps a snapshot for replay; a long run keeps every other one (and the newest), so it
    /// stays replayable in fixed memory, finer near the end.
    fn keep_for_replay(&mut self, snapshot: &Snapshot) {
        if self.replay.last().map(|s| s.iteration) == Some(snapshot.iteration) {
            return;
        }
        self.replay.push(snapshot.clone());
        if self.replay.len() > REPLAY_MAX && self.replay_at.is_none() {
            let last = self.replay.pop();
            let mut i = 0;
            self.replay.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.replay.extend(last);
        }
    }
}
