//! The solver worker's state machine, without the web: it takes the page's requests, does the
//! work in batches of at most `BUDGET_MS` by a clock it is given, and queues the replies.
//!
//! The wasm worker (`web::worker`) only decodes, calls `handle` and `tick`, posts what `drain`
//! returns and sets a timer for `next_delay_ms`; the native tests drive the same loop with a
//! fake clock. Every piece of work is sliced (iterations, sweep points, opponent multisets),
//! so the worker reads its messages at least every `BUDGET_MS` plus one piece: a Pause or Stop
//! takes effect within one frame's time.

use crate::config::{Config, CustomPreferences};
use crate::protocol::{FromWorker, RunStatus, ToWorker};
use crate::readers::read_any;
use crate::session::{OpponentSearch, Session, StepRecord};

/// Longest stretch of work between two looks at the message queue (half a 60 Hz frame).
pub const BUDGET_MS: f64 = 8.0;

/// Everything the worker knows between messages.
pub struct SolverLoop {
    config: Option<Config>,
    session: Option<Session>,
    running: bool,
    /// Iterations per second; 0 = as fast as possible.
    speed: u32,
    /// When play (or the last speed change) began, and iterations taken since then: pacing.
    paced_since_ms: f64,
    paced_steps: u64,
    history: Vec<StepRecord>,
    snapshot_dirty: bool,
    /// Next k of the sweep (1-based) and the last k; `sweep_next > sweep_total` means done.
    sweep_next: usize,
    sweep_total: usize,
    /// Stop was asked for: the sweep and the opponent search wait (where they are) for a
    /// Sweep request.
    sweep_halted: bool,
    /// The newest Load not built yet (see `load_pending`).
    pending_load: Option<Config>,
    /// The opponent curve being searched, until it is posted.
    opponents: Option<OpponentSearch>,
    /// Wait before the next batch: 0 after a request, the pacing wait after a paced batch.
    next_delay: i32,
    /// Replies not yet posted, oldest first.
    outbox: Vec<FromWorker>,
}

impl Default for SolverLoop {
    fn default() -> Self {
        SolverLoop::new()
    }
}

/// The parts of the configuration the sweep over k depends on (the preferences, the RLHF
/// baseline's beta, the range of k; its equilibria are exact, not self-play): changing
/// anything else keeps the sweep already computed.
pub fn same_sweep(a: &Config, b: &Config) -> bool {
    a.preset == b.preset
        && a.seed == b.seed
        && a.custom == b.custom
        && a.beta == b.beta
        && a.k_max == b.k_max
}

impl SolverLoop {
    /// A worker with no session, waiting for a Load.
    pub const fn new() -> Self {
        SolverLoop {
            config: None,
            session: None,
            running: false,
            speed: 0,
            paced_since_ms: 0.0,
            paced_steps: 0,
            history: Vec::new(),
            snapshot_dirty: false,
            sweep_next: 1,
            sweep_total: 0,
            sweep_halted: false,
            pending_load: None,
            opponents: None,
            next_delay: 0,
            outbox: Vec::new(),
        }
    }

    /// The replies queued since the last drain, oldest first.
    pub fn drain(&mut self) -> Vec<FromWorker> {
        std::mem::take(&mut self.outbox)
    }

    /// How long to wait before the next `tick` (ms), or None when no work is pending (the
    /// next request starts it again).
    pub fn next_delay_ms(&self) -> Option<i32> {
        self.has_work().then_some(self.next_delay)
    }

    /// The session being run, if one is built.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    fn post(&mut self, msg: FromWorker) {
        self.outbox.push(msg);
    }

    /// One request from the page, answered at once (the replies are in the outbox); `now_ms`
    /// starts the pacing of a Play or speed change. `Ping` and `Fault` are the web glue's and
    /// do nothing here.
    pub fn handle(&mut self, msg: ToWorker, now_ms: f64) {
        match msg {
            ToWorker::Ping(_) | ToWorker::Fault(_) => return,
            ToWorker::Load(_) => {}
            _ => self.load_pending(),
        }
        match msg {
            ToWorker::Load(config) => {
                // Coalesced: a slider drag sends a burst of loads, and only the last one
                // matters. It is built at the next batch, or before any other request.
                self.pending_load = Some(config);
                self.running = false;
            }
            ToWorker::Play => {
                if let Some(session) = &self.session {
                    if session.done() {
                        self.restart();
                    }
                    self.running = true;
                    self.paced_since_ms = now_ms;
                    self.paced_steps = 0;
                    self.snapshot_dirty = true;
                }
            }
            ToWorker::Pause => {
                self.running = false;
                self.snapshot_dirty = true;
            }
            ToWorker::Step => {
                self.running = false;
                if let Some(session) = &mut self.session {
                    if !session.done() {
                        let record = session.step();
                        self.history.push(record);
                        if session.done() {
                            self.post(FromWorker::Done);
                        }
                    }
                }
                self.snapshot_dirty = true;
            }
            ToWorker::Restart => self.restart(),
            ToWorker::Stop => {
                self.running = false;
                self.sweep_halted = true;
                self.snapshot_dirty = true;
            }
            ToWorker::SetSpeed(speed) => {
                self.speed = speed;
                self.paced_since_ms = now_ms;
                self.paced_steps = 0;
            }
            ToWorker::Import { name, text } => match read_any(&name, &text) {
                Ok(prefs) => self.post(FromWorker::Imported {
                    name,
                    custom: CustomPreferences::from_preferences(&prefs),
                }),
                Err(e) => self.post(FromWorker::ImportFailed(format!("{name}: {e}"))),
            },
            ToWorker::Sweep => {
                // After a Stop: carry on where the sweep and the opponent search halted;
                // otherwise start both again.
                if self.sweep_halted {
                    self.sweep_halted = false;
                } else if let Some(config) = &self.config {
                    self.sweep_next = 1;
                    self.sweep_total = config.k_max;
                    self.opponents = self.session.as_ref().map(Session::opponent_search);
                }
            }
            ToWorker::Ping(_) | ToWorker::Fault(_) => {}
        }
        // Answer this request before the next batch; the next batch follows at once.
        self.flush();
        self.next_delay = 0;
    }

    /// Builds the session for the last Load request, if one is waiting.
    fn load_pending(&mut self) {
        let Some(config) = self.pending_load.take() else {
            return;
        };
        let keep_sweep = self
            .config
            .as_ref()
            .is_some_and(|old| same_sweep(old, &config))
            && self.sweep_total > 0;
        self.running = false;
        self.history.clear();
        self.session = None;
        // The preferences are built here once: for the session, and in editable form for the page.
        let built = config
            .validate()
            .and_then(|()| config.preferences())
            .and_then(|prefs| Session::with_preferences(&config, &prefs).map(|s| (prefs, s)));
        match built {
            Ok((prefs, session)) => {
                self.post(FromWorker::Loaded {
                    config: config.clone(),
                    labels: session.labels().to_vec(),
                    keep_sweep,
                    preferences: CustomPreferences::from_preferences(&prefs),
                    fit_residual: session.fit_residual(),
                    fit_types: session.fit_types(),
                });
                self.opponents = Some(session.opponent_search());
                self.session = Some(session);
                self.snapshot_dirty = true;
                if !keep_sweep {
                    self.sweep_next = 1;
                    self.sweep_total = config.k_max;
                }
                self.sweep_halted = false;
                self.config = Some(config);
            }
            Err(e) => {
                self.config = None;
                self.sweep_total = 0;
                self.opponents = None;
                self.post(FromWorker::Error(e.to_string()));
            }
        }
    }

    /// Back to iteration 0 with the same configuration, paused; the exact solutions, the
    /// sweep and the opponent search are kept (only the self-play runs start again, so a
    /// restart costs no equilibrium solve).
    fn restart(&mut self) {
        self.running = false;
        self.history.clear();
        if let Some(session) = &mut self.session {
            session.restart();
            self.post(FromWorker::Restarted);
        }
        self.snapshot_dirty = true;
    }

    fn has_work(&self) -> bool {
        self.pending_load.is_some()
            || (self.session.is_some()
                && (self.running || self.opponents_pending() || self.sweep_pending()))
    }

    fn sweep_pending(&self) -> bool {
        !self.sweep_halted && self.sweep_next <= self.sweep_total
    }

    /// The opponent search has work and is not halted by a Stop.
    fn opponents_pending(&self) -> bool {
        !self.sweep_halted && self.opponents.is_some()
    }

    /// Queue what the page has not seen yet: the new iterations and one snapshot.
    fn flush(&mut self) {
        if !self.history.is_empty() {
            let history = std::mem::take(&mut self.history);
            self.post(FromWorker::History(history));
        }
        if self.snapshot_dirty {
            if let Some(session) = &self.session {
                let status = if self.running {
                    RunStatus::Running
                } else if session.done() {
                    RunStatus::Done
                } else {
                    RunStatus::Idle
                };
                let msg = FromWorker::Snapshot {
                    snapshot: session.snapshot(),
                    description: session.describe(),
                    status,
                };
                self.post(msg);
            }
            self.snapshot_dirty = false;
        }
    }

    /// One batch of work, at most about `BUDGET_MS` long by `clock` (plus the one piece of
    /// work under way when the budget runs out): a pending load, the run's iterations, then
    /// the opponent search, then sweep points.
    pub fn tick(&mut self, clock: &mut dyn FnMut() -> f64) {
        let start = clock();
        self.load_pending();
        let mut next_delay = 0;
        if self.running {
            next_delay = self.run_batch(start, clock);
        }
        if self.opponents_pending() {
            if let (Some(session), Some(search)) = (&self.session, &mut self.opponents) {
                if search.advance(session, &mut || clock() - start < BUDGET_MS) {
                    let rows = search.rows().to_vec();
                    self.opponents = None;
                    self.post(FromWorker::Opponents(rows));
                }
            }
        }
        while self.sweep_pending() && clock() - start < BUDGET_MS {
            if let Some(session) = &self.session {
                let row = session.sweep_point(self.sweep_next);
                self.post(FromWorker::SweepProgress {
                    row,
                    done: self.sweep_next,
                    total: self.sweep_total,
                });
            }
            self.sweep_next += 1;
        }
        self.flush();
        // Other pending work (opponents, sweep) needs no wait; only paced stepping does.
        if self.opponents_pending() || self.sweep_pending() {
            next_delay = 0;
        }
        self.next_delay = next_delay;
    }

    /// Steps the run until the budget or the pace says stop; returns how long to wait before
    /// the next batch (ms).
    fn run_batch(&mut self, start: f64, clock: &mut dyn FnMut() -> f64) -> i32 {
        let Some(session) = &mut self.session else {
            self.running = false;
            return 0;
        };
        let mut next_delay = 0;
        loop {
            if session.done() {
                self.running = false;
                self.outbox.push(FromWorker::Done);
                break;
            }
            let now = clock();
            if self.speed > 0 {
                let owed = ((now - self.paced_since_ms) * f64::from(self.speed) / 1000.0) as u64;
                if owed <= self.paced_steps {
                    // Wait until the next iteration is due, but at least a frame apart when slow.
                    let due = self.paced_since_ms
                        + (self.paced_steps + 1) as f64 * 1000.0 / f64::from(self.speed);
                    next_delay = (due - now).clamp(1.0, 100.0) as i32;
                    break;
                }
            }
            if now - start >= BUDGET_MS {
                break;
            }
            self.history.push(session.step());
            self.paced_steps += 1;
            self.snapshot_dirty = true;
        }
        next_delay
    }
}
