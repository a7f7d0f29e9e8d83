//! The page's handle on the solver worker: spawns it (from the base URI), moves messages, and
//! notices a worker that does not answer a pause, stop or restart in time.

use gloo_events::{EventListener, EventListenerOptions};
use gloo_timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use ualign::protocol::{decode_reply, FromWorker, ToWorker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// Trunk's loader shim for the `worker` binary (no-modules build; its name is not hashed).
const WORKER_SCRIPT: &str = "worker_loader.js";

/// How long a pause, stop or restart may wait for the worker's answer before the worker
/// counts as stuck and is replaced. The page shows a pause or stop at once (see
/// `RunState::halt`); this only bounds how long a worker may stay busy after it. A healthy
/// worker answers within one 8 ms batch, or after one unsliced piece (tens of ms on the
/// presets); replacing it costs the run's progress, so the limit is well above those.
pub const STALL_MS: u32 = 1000;

pub struct Bridge {
    worker: Worker,
    /// Requests waiting for the worker's `Ready`; `None` once it has arrived.
    pending: Rc<RefCell<Option<Vec<JsValue>>>>,
    _on_message: EventListener,
    _on_error: EventListener,
    /// Reports a fault (shared with the stall timer).
    report: Rc<dyn Fn(String)>,
    /// The `Ping` whose `Pong` is awaited, and the last number used.
    awaiting: Rc<Cell<Option<u32>>>,
    seq: Cell<u32>,
    /// The stall check of the newest awaited request (dropping it cancels it).
    stall: RefCell<Option<Timeout>>,
}

/// Where the worker script lives: resolved against document.baseURI so the app also works
/// when served under a subpath.
fn worker_url() -> Result<String, String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let base = document
        .base_uri()
        .map_err(|_| "no base URI")?
        .unwrap_or_default();
    web_sys::Url::new_with_base(WORKER_SCRIPT, &base)
        .map(|u| u.href())
        .map_err(|_| format!("cannot resolve {WORKER_SCRIPT} against {base}"))
}

impl Bridge {
    /// Starts the worker; `on_message` gets every reply, `on_error` a text when the worker
    /// itself fails (script missing, module aborted, an exception) or stops answering.
    pub fn spawn(
        on_message: impl Fn(FromWorker) + 'static,
        on_error: impl Fn(String) + 'static,
    ) -> Result<Bridge, String> {
        let url = worker_url()?;
        let worker =
            Worker::new(&url).map_err(|e| format!("cannot start the solver worker: {e:?}"))?;
        let pending: Rc<RefCell<Option<Vec<JsValue>>>> = Rc::new(RefCell::new(Some(Vec::new())));
        let (worker2, pending2) = (worker.clone(), pending.clone());
        let awaiting: Rc<Cell<Option<u32>>> = Rc::default();
        let awaiting2 = awaiting.clone();
        let report: Rc<dyn Fn(String)> = Rc::new(on_error);
        let report2 = report.clone();
        let on_message = EventListener::new(&worker, "message", move |event| {
            let Some(event) = event.dyn_ref::<MessageEvent>() else {
                return;
            };
            match decode_reply(serde_wasm_bindgen::Deserializer::from(event.data())) {
                Ok(FromWorker::Ready) => {
                    for value in pending2.borrow_mut().take().unwrap_or_default() {
                        if let Err(e) = worker2.post_message(&value) {
                            web_sys::console::error_1(&e);
                        }
                    }
                }
                Ok(FromWorker::Pong(n)) => {
                    if awaiting2.get() == Some(n) {
                        awaiting2.set(None);
                    }
                }
                Ok(msg) => on_message(msg),
                Err(e) => {
                    web_sys::console::error_1(&format!("unreadable worker message: {e}").into())
                }
            }
        });
        // Not passive: the page handles the worker's error (the console is not told).
        let on_error = EventListener::new_with_options(
            &worker,
            "error",
            EventListenerOptions::enable_prevent_default(),
            move |event| {
                event.prevent_default();
                let message = event
                    .dyn_ref::<ErrorEvent>()
                    .map(ErrorEvent::message)
                    .unwrap_or_default();
                report2(format!("the solver worker failed: {message}"));
            },
        );
        Ok(Bridge {
            worker,
            pending,
            _on_message: on_message,
            _on_error: on_error,
            report,
            awaiting,
            seq: Cell::new(0),
            stall: RefCell::new(None),
        })
    }

    /// Sends a request that must take effect at once (pause, stop, restart), then a `Ping`:
    /// when no `Pong` is back within `STALL_MS` the worker is inside one long call, and the
    /// fault is reported so the page can replace it. Not before `Ready`: a worker still
    /// loading gets the request from the queue.
    pub fn send_awaiting(&self, msg: &ToWorker) {
        self.send(msg);
        if self.pending.borrow().is_some() {
            return;
        }
        let seq = self.seq.get().wrapping_add(1);
        self.seq.set(seq);
        self.awaiting.set(Some(seq));
        self.send(&ToWorker::Ping(seq));
        let (awaiting, report) = (self.awaiting.clone(), self.report.clone());
        let check = Timeout::new(STALL_MS, move || {
            if awaiting.get() == Some(seq) {
                awaiting.set(None);
                report(format!(
                    "the solver did not answer within {STALL_MS} ms (busy in one long computation)"
                ));
            }
        });
        // An older check is cancelled: its Ping was answered or this one supersedes it.
        *self.stall.borrow_mut() = Some(check);
    }

    pub fn send(&self, msg: &ToWorker) {
        match serde_wasm_bindgen::to_value(msg) {
            Ok(value) => {
                if let Some(queue) = self.pending.borrow_mut().as_mut() {
                    queue.push(value);
                } else if let Err(e) = self.worker.post_message(&value) {
                    web_sys::console::error_1(&e);
                }
            }
            Err(e) => web_sys::console::error_1(&format!("cannot encode request: {e}").into()),
        }
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        // The listeners and the stall timer go with the bridge; the worker stops at once.
        self.awaiting.set(None);
        self.worker.terminate();
    }
}
