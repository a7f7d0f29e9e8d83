//! The solver worker's state machine, without the web: it takes the page's requests, does the
//! work in batches of at most `BUDGET_MS` by a clock it is given, and queues the replies.
//!
//! The wasm worker (`web::worker`) only decodes, calls `handle` and `tick`, posts what `drain`
//! returns and sets a timer for `next_delay_ms`; the native tests drive the same loop with a
//! fake clock. Every piece of work is sliced (a session build in stages, the equilibrium
//! searches piece by piece, iterations, opponent multisets), so the worker reads its messages
//! at least every `BUDGET_MS` plus one piece: a Pause or Stop takes effect within one frame's
//! time.

use crate::arena::live::Arena;
use crate::arena::seats::Seats;

mod rounds;
use crate::config::{Config, CustomPreferences};
use crate::open_question::phase_map::{self, PhaseSearch};
use crate::protocol::{FromWorker, RunStatus, ToWorker};
use crate::readers::read_any;
use crate::session::{OpponentSearch, Session, SessionBuilder, StepRecord, SweepPointSearch};

/// Columns of the phase map the app shows.
pub const PHASE_COLUMNS: usize = 21;

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
    /// The newest Load not started yet (see `start_build`).
    pending_load: Option<Config>,
    /// The load being built, slice by slice.
    build: Option<Build>,
    /// Requests that act on the session, received while it was being built: applied in
    /// order once it is, as if the build had been one call.
    deferred: Vec<ToWorker>,
    /// The sweep point under way (k = `sweep_next`), while it is searched.
    sweep_point: Option<SweepPointSearch>,
    /// The opponent curve being searched, until it is posted.
    opponents: Option<OpponentSearch>,
    /// The phase map asked for, and how many of its cells and columns were posted.
    phase: Option<(PhaseSearch, usize, usize)>,
    /// The arena on the session, once the page opened it.
    arena: Option<Arena>,
    /// The seats on the session, once the page opened them.
    seats: Option<Seats>,
    /// Wait before the next batch: 0 after a request, the pacing wait after a paced batch.
    next_delay: i32,
    /// Replies not yet posted, oldest first.
    outbox: Vec<FromWorker>,
}

/// A load being built: its configuration, then the session in stages.
struct Build {
    config: Config,
    /// The sweep already computed belongs to this configuration too.
    keep_sweep: bool,
    /// None until the preferences are read (the first piece).
    builder: Option<SessionBuilder>,
    /// The session, once built (the page's copy of the preferences is the last piece).
    session: Option<Session>,
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
            build: None,
            deferred: Vec::new(),
            sweep_point: None,
            opponents: None,
            phase: None,
            arena: None,
            seats: None,
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

    /// One request from the page, answered at once (the replies are in the outbox), except
    /// that a request acting on the session waits while a load is being built and is applied
    /// right after `Loaded`, before any other work; `now_ms` starts the pacing of a Play or
    /// speed change. `Ping` and `Fault` are the web glue's and do nothing here.
    pub fn handle(&mut self, msg: ToWorker, now_ms: f64) {
        match msg {
            // Answered by the worker's web layer, outside the loop.
            ToWorker::Ping(_) | ToWorker::Fault(_) | ToWorker::ReadDeck(_) | ToWorker::Draft(_) => {
                return
            }
            ToWorker::Load(_) | ToWorker::SetSpeed(_) | ToWorker::Import { .. } => {}
            _ => {
                self.start_build();
                if self.build.is_some() {
                    // Acts on the session being built: waits for it (`apply_deferred`).
                    self.deferred.push(msg);
                    self.next_delay = 0;
                    return;
                }
            }
        }
        match msg {
            ToWorker::Load(config) => {
                // Coalesced: a slider drag sends a burst of loads, and only the last one
                // matters. It is built from the next batch on, or from any other request;
                // a build under way is abandoned, with the requests waiting for it.
                self.pending_load = Some(config);
                self.build = None;
                self.deferred.clear();
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
                    self.sweep_point = None;
                    self.opponents = self.session.as_ref().map(Session::opponent_search);
                }
            }
            ToWorker::Phase(family) => {
                if let (Some(session), Some(config)) = (&self.session, &self.config) {
                    let k_max = config.k_max.min(phase_map::MAX_K);
                    match PhaseSearch::new(
                        family,
                        Some(session.game_population()),
                        PHASE_COLUMNS,
                        k_max,
                    ) {
                        Ok(search) => self.phase = Some((search, 0, 0)),
                        Err(e) => self.post(FromWorker::Error(e)),
                    }
                }
            }
            ToWorker::Arena(request) => self.arena_request(request, now_ms),
            ToWorker::Seats(request) => self.seats_request(request, now_ms),
            ToWorker::Ping(_) | ToWorker::Fault(_) | ToWorker::ReadDeck(_) | ToWorker::Draft(_) => {
            }
        }
        // Answer this request before the next batch; the next batch follows at once.
        self.flush();
        self.next_delay = 0;
    }

    /// Starts building the last Load request, if one is waiting: the old session is gone from
    /// here on (nothing more is posted about it).
    fn start_build(&mut self) {
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
        self.opponents = None;
        self.phase = None;
        self.arena = None;
        self.seats = None;
        self.sweep_point = None;
        self.build = Some(Build {
            config,
            keep_sweep,
            builder: None,
            session: None,
        });
    }

    /// Builds while `out_of_time()` says no; once built (or refused), posts `Loaded` (or the
    /// error) and takes the new session on. The requests that waited are the caller's to
    /// apply next (`apply_deferred`).
    fn advance_build(&mut self, out_of_time: &mut dyn FnMut() -> bool) {
        let Some(build) = &mut self.build else {
            return;
        };
        let built = match &mut build.builder {
            Some(builder) => match build.session.take() {
                // The last piece: the preferences in editable form for the page (0.16 s at
                // the size limits, so not in the same piece as the session's last stage).
                Some(session) => Some(Ok((
                    session,
                    CustomPreferences::from_preferences(builder.preferences()),
                ))),
                None => match builder.advance(out_of_time) {
                    Some(Ok(session)) => {
                        build.session = Some(session);
                        return;
                    }
                    Some(Err(e)) => Some(Err(e)),
                    None => None,
                },
            },
            None => {
                // The preferences are built here once: for the session, and in editable form
                // for the page.
                let config = &build.config;
                match config
                    .validate()
                    .and_then(|()| config.preferences())
                    .and_then(|prefs| SessionBuilder::new(config, prefs))
                {
                    Ok(builder) => {
                        build.builder = Some(builder);
                        return;
                    }
                    Err(e) => Some(Err(e)),
                }
            }
        };
        let Some(built) = built else {
            return;
        };
        let Some(Build {
            config, keep_sweep, ..
        }) = self.build.take()
        else {
            return;
        };
        match built {
            Ok((session, preferences)) => {
                self.post(FromWorker::Loaded {
                    config: config.clone(),
                    labels: session.labels().to_vec(),
                    keep_sweep,
                    preferences,
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

    /// Applies the requests that waited for the build, in order.
    fn apply_deferred(&mut self, now_ms: f64) {
        for msg in std::mem::take(&mut self.deferred) {
            self.handle(msg, now_ms);
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
            || self.build.is_some()
            || (self.session.is_some()
                && (self.running
                    || self.opponents_pending()
                    || self.sweep_pending()
                    || self.phase_pending()
                    || self.rounds_fast()))
    }

    fn sweep_pending(&self) -> bool {
        !self.sweep_halted && self.sweep_next <= self.sweep_total
    }

    /// The phase map has work and is not halted by a Stop.
    fn phase_pending(&self) -> bool {
        !self.sweep_halted && self.phase.is_some()
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
                let snapshot = session.snapshot();
                let msg = FromWorker::Snapshot {
                    description: session.describe_snapshot(&snapshot),
                    snapshot,
                    status,
                };
                self.post(msg);
            }
            self.snapshot_dirty = false;
        }
    }

    /// One batch of work, at most about `BUDGET_MS` long by `clock` (plus the one piece of
    /// work under way when the budget runs out): a load being built, the run's iterations,
    /// then the opponent search, then sweep points.
    pub fn tick(&mut self, clock: &mut dyn FnMut() -> f64) {
        let mut budget = Budget::new(clock);
        self.start_build();
        if self.build.is_some() {
            // A stage of the build ends early (the preferences read, the session built):
            // carry on with the next one while the budget lasts.
            while self.build.is_some() && !budget.out_of_time() {
                self.advance_build(&mut || budget.out_of_time());
            }
            if self.build.is_some() {
                // Still building: nothing else has a session to work on.
                self.next_delay = 0;
                return;
            }
            self.apply_deferred(budget.now);
        }
        let mut next_delay = 0;
        if self.running {
            next_delay = self.run_batch(&mut budget);
        }
        if self.opponents_pending() {
            if let (Some(session), Some(search)) = (&self.session, &mut self.opponents) {
                if search.advance(session, &mut || !budget.out_of_time()) {
                    let rows = search.rows().to_vec();
                    self.opponents = None;
                    self.post(FromWorker::Opponents(rows));
                }
            }
        }
        while self.sweep_pending() {
            let Some(session) = &self.session else {
                break;
            };
            let k = self.sweep_next;
            let search = self
                .sweep_point
                .get_or_insert_with(|| session.sweep_point_search(k));
            let Some(row) = search.advance(session, &mut || budget.out_of_time()) else {
                break;
            };
            self.sweep_point = None;
            self.post(FromWorker::SweepProgress {
                row,
                done: self.sweep_next,
                total: self.sweep_total,
            });
            self.sweep_next += 1;
        }
        if self.phase_pending() && !self.sweep_pending() && !budget.out_of_time() {
            self.advance_phase(&mut budget);
        }
        self.post_arena(budget.now);
        self.post_seats(budget.now);
        self.flush();
        // Other pending work (opponents, sweep, phase) needs no wait; only paced stepping does,
        // and fast arena rounds, which report about ten times a second.
        if self.opponents_pending() || self.sweep_pending() || self.phase_pending() {
            next_delay = 0;
        } else if self.rounds_fast() {
            let wait = crate::arena::live::FAST_REPORT_MS as i32;
            next_delay = if self.running {
                next_delay.min(wait)
            } else {
                wait
            };
        }
        self.next_delay = next_delay;
    }

    /// Computes phase-map cells within the budget and posts what is new.
    fn advance_phase(&mut self, budget: &mut Budget<'_>) {
        let Some((search, cells_posted, columns_posted)) = &mut self.phase else {
            return;
        };
        let finished = search.advance(&mut || budget.out_of_time());
        let (done, total) = search.progress();
        if done > *cells_posted || finished {
            let msg = FromWorker::Phase {
                family: search.family(),
                n: search.responses(),
                columns: search.facts[*columns_posted..].to_vec(),
                cells: search.cells[*cells_posted..].to_vec(),
                done,
                total,
            };
            *cells_posted = done;
            *columns_posted = search.facts.len();
            self.outbox.push(msg);
        }
        if finished {
            self.phase = None;
        }
    }

    /// Steps the run until the budget or the pace says stop; returns how long to wait before
    /// the next batch (ms).
    fn run_batch(&mut self, budget: &mut Budget<'_>) -> i32 {
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
            let over = budget.out_of_time();
            let now = budget.now;
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
            if over {
                break;
            }
            self.history.push(session.step());
            self.paced_steps += 1;
            self.snapshot_dirty = true;
        }
        next_delay
    }
}

/// A batch's budget on the worker's clock: once spent it stays spent without reading the
/// clock again, so the stages after the one that spent it (build, run, opponents, sweep)
/// stop at once.
struct Budget<'a> {
    clock: &'a mut dyn FnMut() -> f64,
    start: f64,
    /// The last time read.
    now: f64,
    spent: bool,
}

impl<'a> Budget<'a> {
    fn new(clock: &'a mut dyn FnMut() -> f64) -> Self {
        let start = clock();
        Budget {
            clock,
            start,
            now: start,
            spent: false,
        }
    }

    /// Reads the clock (unless the budget is already spent): true once `BUDGET_MS` is.
    fn out_of_time(&mut self) -> bool {
        if !self.spent {
            self.now = (self.clock)();
            self.spent = self.now - self.start >= BUDGET_MS;
        }
        self.spent
    }
}
