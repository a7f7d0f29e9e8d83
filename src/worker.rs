//! The solver worker's web glue: decodes each request, hands it to the `SolverLoop`, posts the
//! replies, and runs the loop's batches from setTimeout so messages are read between them.
//!
//! Each batch runs for at most `BUDGET_MS` (see `ualign::solver_loop`), so a Pause or Stop from
//! the page is handled before the next batch: a stop request ends any run within one frame's
//! time. `Ping` and the test faults are answered here, outside the loop.

use std::cell::{Cell, RefCell};
use ualign::config::{unknown_field, Config, SavedKind};
use ualign::deck::{check_size, read_deck_from, Deck};
use ualign::protocol::{decode_request, Fault, FromWorker, ToWorker};
use ualign::solver_loop::SolverLoop;
use ualign::worker::decks::{DeckDesk, DeckEffect, Documents};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

thread_local! {
    static LOOP: RefCell<SolverLoop> = const { RefCell::new(SolverLoop::new()) };
    /// A batch is already waiting on setTimeout (one at a time).
    static TICK_SCHEDULED: Cell<bool> = const { Cell::new(false) };
    /// The batch callback, created once and reused by every setTimeout.
    static TICK: Closure<dyn FnMut()> = Closure::new(tick);
    /// The presenter window's channel: every deck read is posted there as its document (the
    /// presenter shows the step's words).
    static PRESENTER: Option<web_sys::BroadcastChannel> =
        web_sys::BroadcastChannel::new(ualign::embed::PRESENTER_CHANNEL).ok();
    /// The lecturer's deck being written and the tour's document (the core's `DeckDesk`).
    static DECKS: RefCell<DeckDesk> = const { RefCell::new(DeckDesk::new()) };
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
            Ok(ToWorker::Import { name, text }) if name.to_ascii_lowercase().ends_with(".json") => {
                perform(DECKS.with_borrow(|d| d.import_json(&BrowserDocuments, name, &text)))
            }
            Ok(ToWorker::ReadDeck(Some(text))) => {
                perform(DECKS.with_borrow(|d| d.read(&BrowserDocuments, &text)))
            }
            Ok(ToWorker::Draft(request)) => {
                perform(DECKS.with_borrow_mut(|d| d.request(&BrowserDocuments, request)))
            }
            Ok(ToWorker::ReadDeck(None)) => fetch_tour(true),
            Ok(msg) => handle(msg),
            Err(e) => post(&FromWorker::Error(format!("unreadable request: {e}"))),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&FromWorker::Ready);
}

/// Does what the core's deck desk says.
fn perform(effects: Vec<DeckEffect>) {
    for effect in effects {
        match effect {
            DeckEffect::Post(msg) => post(&msg),
            DeckEffect::TellPresenter(text) => PRESENTER.with(|c| {
                if let Some(c) = c {
                    let _ = c.post_message(&JsValue::from_str(&text));
                }
            }),
            DeckEffect::FetchTour { for_page } => fetch_tour(for_page),
        }
    }
}

/// The built-in tour: `static/tour.json`, served beside the app (Trunk copies it), fetched
/// when asked for and read like any deck.
const TOUR: &str = "tour.json";

/// For the page (answered as any deck read), or for the presenter window only.
fn fetch_tour(for_page: bool) {
    let failed = move |why: String| perform(DeckDesk::tour_failed(&why, for_page));
    let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        failed(e.as_string().unwrap_or_else(|| "no answer".into()))
    });
    let on_response = Closure::<dyn FnMut(JsValue)>::new(move |response: JsValue| {
        let Ok(r) = response.dyn_into::<web_sys::Response>() else {
            return failed("no response".into());
        };
        if !r.ok() {
            return failed(format!("the server answered {}", r.status()));
        }
        let on_text = Closure::<dyn FnMut(JsValue)>::new(move |text: JsValue| {
            let text = text.as_string().unwrap_or_default();
            perform(DECKS.with_borrow_mut(|d| d.tour_fetched(&BrowserDocuments, text, for_page)));
        });
        if let Ok(p) = r.text() {
            let _ = p.then(&on_text);
        }
        on_text.forget();
    });
    let _ = scope().fetch_with_str(TOUR).then2(&on_response, &on_error);
    // Each runs at most once; the tour is asked for a few times a visit at most.
    on_response.forget();
    on_error.forget();
}

/// Documents read with the browser's `JSON.parse` (exact, and already there: serde_json's
/// parser would add to the worker's wasm), then by the core's one reader of each format.
struct BrowserDocuments;

/// The first key of an object that `known` refuses, clipped for a message (None for a value
/// that is not an object: serde's reader then says what it should be). serde_wasm_bindgen
/// looks up only the fields a struct has, so unknown fields are refused here, as serde_json
/// refuses them natively (`deny_unknown_fields`).
fn unknown_key(v: &JsValue, known: impl Fn(&str) -> bool) -> Option<String> {
    let o = v.dyn_ref::<js_sys::Object>()?;
    let key = js_sys::Object::keys(o)
        .iter()
        .filter_map(|k| k.as_string())
        .find(|k| !known(k))?;
    Some(ualign::url::clip_to(&key, 40))
}

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &key.into()).unwrap_or_default()
}

/// Every object of a deck holds only its own fields: a misspelt `question` must not vanish.
fn check_deck_fields(deck: &JsValue) -> Result<(), String> {
    let check =
        |v: &JsValue, what: &str, known: &[&str]| match unknown_key(v, |k| known.contains(&k)) {
            Some(key) => Err(format!(
                "The deck is not a deck document: {what} has an unknown field {key:?}."
            )),
            None => Ok(()),
        };
    check(deck, "the deck", &["ualign_deck", "title", "steps"])?;
    if let Some(steps) = get(deck, "steps").dyn_ref::<js_sys::Array>() {
        for (i, step) in steps.iter().enumerate() {
            let what = format!("step {}", i + 1);
            let fields = ["fragment", "title", "caption", "notes", "question"];
            check(&step, &what, &fields)?;
            check(&get(&step, "question"), &what, &["prompt", "answer"])?;
        }
    }
    Ok(())
}

fn parse(text: &str) -> Result<JsValue, String> {
    js_sys::JSON::parse(text).map_err(|e| {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| format!("{e:?}"))
    })
}

impl Documents for BrowserDocuments {
    fn deck(&self, text: &str) -> Result<Deck, String> {
        check_size(text.len()).map_err(|e| e.0)?;
        let value = parse(text)
            .map_err(|_| "The deck is not a deck document: it is not JSON.".to_string())?;
        check_deck_fields(&value)?;
        read_deck_from(serde_wasm_bindgen::Deserializer::from(value)).map_err(|e| e.0)
    }

    fn saved(&self, text: &str) -> Result<Config, String> {
        let value = parse(text).map_err(|why| format!("not JSON: {why}"))?;
        let has = |key: &str| {
            value.is_object() && js_sys::Reflect::has(&value, &key.into()).unwrap_or(false)
        };
        let kind = SavedKind::of(has);
        let fields = match kind {
            SavedKind::Results => get(&value, "config"),
            _ => value.clone(),
        };
        if kind != SavedKind::Case {
            if let Some(key) = unknown_key(&fields, Config::is_field) {
                return Err(unknown_field(&key).0);
            }
        }
        Config::read_saved(kind, serde_wasm_bindgen::Deserializer::from(value)).map_err(|e| e.0)
    }
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
