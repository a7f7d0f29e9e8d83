//! The page's handle on the solver worker: spawns it (from the base URI) and moves messages.

use super::protocol::{FromWorker, ToWorker};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// Trunk's loader shim for the `worker` binary (no-modules build; its name is not hashed).
const WORKER_SCRIPT: &str = "worker_loader.js";

pub struct Bridge {
    worker: Worker,
    /// Requests waiting for the worker's `Ready`; `None` once it has arrived.
    pending: Rc<RefCell<Option<Vec<JsValue>>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
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
    /// itself fails (script missing, module aborted).
    pub fn spawn(
        on_message: impl Fn(FromWorker) + 'static,
        on_error: impl Fn(String) + 'static,
    ) -> Result<Bridge, String> {
        let url = worker_url()?;
        let worker =
            Worker::new(&url).map_err(|e| format!("cannot start the solver worker: {e:?}"))?;
        let pending: Rc<RefCell<Option<Vec<JsValue>>>> = Rc::new(RefCell::new(Some(Vec::new())));
        let (worker2, pending2) = (worker.clone(), pending.clone());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            match serde_wasm_bindgen::from_value::<FromWorker>(event.data()) {
                Ok(FromWorker::Ready) => {
                    for value in pending2.borrow_mut().take().unwrap_or_default() {
                        if let Err(e) = worker2.post_message(&value) {
                            web_sys::console::error_1(&e);
                        }
                    }
                }
                Ok(msg) => on_message(msg),
                Err(e) => {
                    web_sys::console::error_1(&format!("unreadable worker message: {e}").into())
                }
            }
        });
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            on_error(format!("the solver worker failed: {}", event.message()));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Bridge {
            worker,
            pending,
            _on_message: on_message,
            _on_error: on_error,
        })
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
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
