//! The solver worker: owns the Session, runs it in short time-boxed batches, streams results.
//!
//! Each batch runs for at most `BUDGET_MS`, posts one snapshot, then yields to the event loop
//! with setTimeout, so a Pause or Stop from the page is handled before the next batch: a stop
//! request ends any run within one frame's time.

use super::protocol::{Fault, FromWorker, RunStatus, ToWorker};
use crate::config::{Config, CustomPreferences};
use crate::readers::read_any;
use crate::session::{Session, StepRecord};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// Longest stretch of work between two looks at the message queue (half a 60 Hz frame).
const BUDGET_MS: f64 = 8.0;

/// Everything the worker knows between messages.
struct State {
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
    /// Stop was asked for: the sweep waits (where it is) for a Sweep request.
    sweep_halted: bool,
    /// The newest Load not built yet (see `load_pending`).
    pending_load: Option<Config>,
    opponents_pending: bool,
    tick_scheduled: bool,
}

thread_local! {
    static STATE: RefCell<State> = const { RefCell::new(State {
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
        opponents_pending: false,
        tick_scheduled: false,
    }) };
    /// The batch callback, created once and reused by every setTimeout.
    static TICK: Closure<dyn FnMut()> = Closure::new(tick);
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn post(msg: &FromWorker) {
    match serde_wasm_bindgen::to_value(msg) {
        Ok(value) => {
            let _ = scope().post_message(&value);
        }
        Err(e) => web_sys::console::error_1(&format!("worker: cannot encode message: {e}").into()),
    }
}

/// Entry point of the worker binary: installs the panic reporter and the message handler.
pub fn run_worker() {
    // A panic aborts the module (panic = "abort"), so tell the page before that happens;
    // the page then shows the message and starts a fresh worker on the next load.
    std::panic::set_hook(Box::new(|info| {
        let text = format!("internal error in the solver: {info}");
        web_sys::console::error_1(&text.clone().into());
        post(&FromWorker::Crashed(text));
    }));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        match serde_wasm_bindgen::from_value::<ToWorker>(event.data()) {
            Ok(ToWorker::Ping(n)) => post(&FromWorker::Pong(n)),
            Ok(ToWorker::Fault(fault)) => inject(fault),
            Ok(msg) => handle(msg),
            Err(e) => post(&FromWorker::Error(format!("unreadable request: {e}"))),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&FromWorker::Ready);
}

/// Test hook: fail the way a real fault would (outside the state's borrow).
fn inject(fault: Fault) {
    match fault {
        Fault::Panic => panic!("test fault requested by the page"),
        Fault::Throw => wasm_bindgen::throw_str("test fault requested by the page"),
        Fault::Busy(ms) => {
            let end = now_ms() + f64::from(ms);
            while now_ms() < end {}
        }
    }
}

/// The parts of the configuration the sweep over k depends on (the preferences, the RLHF
/// baseline's beta, the range of k; its equilibria are exact, not self-play): changing
/// anything else keeps the sweep already computed.
fn same_sweep(a: &Config, b: &Config) -> bool {
    a.preset == b.preset
        && a.seed == b.seed
        && a.custom == b.custom
        && a.beta == b.beta
        && a.k_max == b.k_max
}

fn handle(msg: ToWorker) {
    STATE.with_borrow_mut(|s| {
        if !matches!(msg, ToWorker::Load(_)) {
            load_pending(s);
        }
        match msg {
            ToWorker::Load(config) => {
                // Coalesced: a slider drag sends a burst of loads, and only the last one
                // matters. It is built at the next batch, or before any other request.
                s.pending_load = Some(config);
                s.running = false;
            }
            ToWorker::Play => {
                if let Some(session) = &s.session {
                    if session.done() {
                        restart(s);
                    }
                    s.running = true;
                    s.paced_since_ms = now_ms();
                    s.paced_steps = 0;
                    s.snapshot_dirty = true;
                }
            }
            ToWorker::Pause => {
                s.running = false;
                s.snapshot_dirty = true;
            }
            ToWorker::Step => {
                s.running = false;
                if let Some(session) = &mut s.session {
                    if !session.done() {
                        let record = session.step();
                        s.history.push(record);
                        if session.done() {
                            post(&FromWorker::Done);
                        }
                    }
                }
                s.snapshot_dirty = true;
            }
            ToWorker::Restart => {
                restart(s);
            }
            ToWorker::Stop => {
                s.running = false;
                s.sweep_halted = true;
                s.snapshot_dirty = true;
            }
            ToWorker::SetSpeed(speed) => {
                s.speed = speed;
                s.paced_since_ms = now_ms();
                s.paced_steps = 0;
            }
            ToWorker::Import { name, text } => match read_any(&name, &text) {
                Ok(prefs) => post(&FromWorker::Imported {
                    name,
                    custom: CustomPreferences::from_preferences(&prefs),
                }),
                Err(e) => post(&FromWorker::ImportFailed(format!("{name}: {e}"))),
            },
            ToWorker::Ping(_) | ToWorker::Fault(_) => {}
            ToWorker::Sweep => {
                // After a Stop: carry on where the sweep halted; otherwise start it again.
                if s.sweep_halted {
                    s.sweep_halted = false;
                } else if let Some(config) = &s.config {
                    s.sweep_next = 1;
                    s.sweep_total = config.k_max;
                    s.opponents_pending = true;
                }
            }
        }
        // Answer this request before the next batch, then make sure batches continue.
        flush(s);
        schedule(s, 0);
    });
}

/// Builds the session for the last Load request, if one is waiting.
fn load_pending(s: &mut State) {
    let Some(config) = s.pending_load.take() else {
        return;
    };
    let keep_sweep = s
        .config
        .as_ref()
        .is_some_and(|old| same_sweep(old, &config))
        && s.sweep_total > 0;
    s.running = false;
    s.history.clear();
    s.session = None;
    // The preferences are built here once: for the session, and in editable form for the page.
    let built = config
        .validate()
        .and_then(|()| config.preferences())
        .and_then(|prefs| Session::with_preferences(&config, &prefs).map(|s| (prefs, s)));
    match built {
        Ok((prefs, session)) => {
            post(&FromWorker::Loaded {
                config: config.clone(),
                labels: session.labels().to_vec(),
                keep_sweep,
                preferences: CustomPreferences::from_preferences(&prefs),
                fit_residual: session.fit_residual(),
                fit_types: session.fit_types(),
            });
            s.session = Some(session);
            s.snapshot_dirty = true;
            s.opponents_pending = true;
            if !keep_sweep {
                s.sweep_next = 1;
                s.sweep_total = config.k_max;
            }
            s.sweep_halted = false;
            s.config = Some(config);
        }
        Err(e) => {
            s.config = None;
            s.sweep_total = 0;
            s.opponents_pending = false;
            post(&FromWorker::Error(e.to_string()));
        }
    }
}

/// Back to iteration 0 with the same configuration, paused; the sweep is kept.
fn restart(s: &mut State) {
    s.running = false;
    s.history.clear();
    if let Some(config) = &s.config {
        match Session::new(config) {
            Ok(session) => {
                s.session = Some(session);
                post(&FromWorker::Restarted);
            }
            Err(e) => post(&FromWorker::Error(e.to_string())),
        }
    }
    s.snapshot_dirty = true;
}

fn has_work(s: &State) -> bool {
    s.pending_load.is_some()
        || (s.session.is_some() && (s.running || s.opponents_pending || sweep_pending(s)))
}

fn sweep_pending(s: &State) -> bool {
    !s.sweep_halted && s.sweep_next <= s.sweep_total
}

fn schedule(s: &mut State, delay_ms: i32) {
    if s.tick_scheduled || !has_work(s) {
        return;
    }
    s.tick_scheduled = true;
    TICK.with(|tick| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            delay_ms,
        );
    });
}

/// Post what the page has not seen yet: the new iterations and one snapshot.
fn flush(s: &mut State) {
    if !s.history.is_empty() {
        post(&FromWorker::History(std::mem::take(&mut s.history)));
    }
    if s.snapshot_dirty {
        if let Some(session) = &s.session {
            let status = if s.running {
                RunStatus::Running
            } else if session.done() {
                RunStatus::Done
            } else {
                RunStatus::Idle
            };
            post(&FromWorker::Snapshot {
                snapshot: session.snapshot(),
                description: session.describe(),
                status,
            });
        }
        s.snapshot_dirty = false;
    }
}

/// One batch of work, at most about `BUDGET_MS` long.
fn tick() {
    STATE.with_borrow_mut(|s| {
        s.tick_scheduled = false;
        let start = now_ms();
        load_pending(s);
        let mut next_delay = 0;
        if s.running {
            next_delay = run_batch(s, start);
        }
        if s.opponents_pending && now_ms() - start < BUDGET_MS {
            if let Some(session) = &s.session {
                post(&FromWorker::Opponents(session.opponent_curve()));
            }
            s.opponents_pending = false;
        }
        while sweep_pending(s) && now_ms() - start < BUDGET_MS {
            if let Some(session) = &s.session {
                let row = session.sweep_point(s.sweep_next);
                post(&FromWorker::SweepProgress {
                    row,
                    done: s.sweep_next,
                    total: s.sweep_total,
                });
            }
            s.sweep_next += 1;
        }
        flush(s);
        // Other pending work (sweep) needs no wait; only paced stepping does.
        if s.opponents_pending || sweep_pending(s) {
            next_delay = 0;
        }
        schedule(s, next_delay);
    });
}

/// Steps the run until the budget or the pace says stop; returns how long to wait before the
/// next batch (ms).
fn run_batch(s: &mut State, start: f64) -> i32 {
    let Some(session) = &mut s.session else {
        s.running = false;
        return 0;
    };
    let mut next_delay = 0;
    loop {
        if session.done() {
            s.running = false;
            post(&FromWorker::Done);
            break;
        }
        let now = now_ms();
        if s.speed > 0 {
            let owed = ((now - s.paced_since_ms) * f64::from(s.speed) / 1000.0) as u64;
            if owed <= s.paced_steps {
                // Wait until the next iteration is due, but at least a frame apart when slow.
                let due =
                    s.paced_since_ms + (s.paced_steps + 1) as f64 * 1000.0 / f64::from(s.speed);
                next_delay = (due - now).clamp(1.0, 100.0) as i32;
                break;
            }
        }
        if now - start >= BUDGET_MS {
            break;
        }
        s.history.push(session.step());
        s.paced_steps += 1;
        s.snapshot_dirty = true;
    }
    next_delay
}
