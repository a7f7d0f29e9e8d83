//! The solver worker's web glue: decodes each request, hands it to the `SolverLoop`, posts the
//! replies, and runs the loop's batches from setTimeout so messages are read between them.
//!
//! Each batch runs for at most `BUDGET_MS` (see `ualign::solver_loop`), so a Pause or Stop from
//! the page is handled before the next batch: a stop request ends any run within one frame's
//! time. `Ping` and the test faults are answered here, outside the loop.

use std::cell::{Cell, RefCell};
use ualign::protocol::{decode_request, Fault, FromWorker, ToWorker};
use ualign::solver_loop::SolverLoop;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

thread_local! {
    static LOOP: RefCell<SolverLoop> = const { RefCell::new(SolverLoop::new()) };
    /// A batch is already waiting on setTimeout (one at a time).
    static TICK_SCHEDULED: Cell<bool> = const { Cell::new(false) };
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
        match decode_request(serde_wasm_bindgen::Deserializer::from(event.data())) {
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

/// Test hook: fail the way a real fault would (outside the loop's borrow).
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

/// Posts the loop's replies, then makes sure a batch follows when there is work.
fn post_and_schedule(solver: &mut SolverLoop) {
    for msg in solver.drain() {
        post(&msg);
    }
    let Some(delay_ms) = solver.next_delay_ms() else {
        return;
    };
    if TICK_SCHEDULED.replace(true) {
        return;
    }
    TICK.with(|tick| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            delay_ms,
        );
    });
}

fn handle(msg: ToWorker) {
    LOOP.with_borrow_mut(|solver| {
        solver.handle(msg, now_ms());
        post_and_schedule(solver);
    });
}

/// One batch of work, at most about `BUDGET_MS` long.
fn tick() {
    TICK_SCHEDULED.set(false);
    LOOP.with_borrow_mut(|solver| {
        solver.tick(&mut now_ms);
        post_and_schedule(solver);
    });
}
