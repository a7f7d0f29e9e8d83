//! The solver worker's web glue: decodes each request, hands it to the `SolverLoop`, posts the
//! replies, and runs the loop's batches from setTimeout so messages are read between them.
//!
//! Each batch runs for at most `BUDGET_MS` (see `ualign::solver_loop`), so a Pause or Stop from
//! the page is handled before the next batch: a stop request ends any run within one frame's
//! time. `Ping` and the test faults are answered here, outside the loop.

use std::cell::{Cell, RefCell};
use ualign::config::Config;
use ualign::deck::{check_size, Deck};
use ualign::page::deck_edit::{deck_json, is_deck_document, DeckDraft, DraftPage};
use ualign::protocol::{decode_request, draft_parts, Fault, FromWorker, ToWorker};
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
    /// The presenter window's channel: every deck read is posted there as its document (the
    /// presenter shows the step's words; the page has no JSON writer for a deck).
    static PRESENTER: Option<web_sys::BroadcastChannel> =
        web_sys::BroadcastChannel::new(ualign::embed::PRESENTER_CHANNEL).ok();
    /// The lecturer's deck being written: kept and drawn here, where there is room for it.
    static DRAFT: RefCell<DeckDraft> = RefCell::new(DeckDraft::default());
    /// The tour's document once fetched, for the presenter window.
    static TOUR_TEXT: RefCell<String> = const { RefCell::new(String::new()) };
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
                if is_deck_document(&text) {
                    post_deck(&text)
                } else {
                    post(&FromWorker::Saved {
                        config: saved_config(&text),
                        name,
                    })
                }
            }
            Ok(ToWorker::ReadDeck(Some(text))) => post_deck(&text),
            Ok(ToWorker::Draft(parts)) => {
                let (click, text, words) = draft_parts(&parts);
                draft(click, text, words)
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

/// The built-in tour: `static/tour.json`, served beside the app (Trunk copies it), fetched
/// when asked for and read like any deck.
const TOUR: &str = "tour.json";

/// For the page (`for_page`: answered as any deck read), or for the presenter window only
/// (a failure is then the presenter's to ask again).
fn fetch_tour(for_page: bool) {
    let failed = move |why: String| {
        if for_page {
            post(&FromWorker::DeckFailed(format!(
                "The tour ({TOUR}) could not be fetched: {why}."
            )));
        }
    };
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
            TOUR_TEXT.with(|t| text.clone_into(&mut t.borrow_mut()));
            if for_page {
                post_deck(&text)
            } else {
                tell_presenter(&text)
            }
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

/// Reads a deck for the page to show, and posts its document to the presenter window.
fn post_deck(text: &str) {
    post(&match read_deck(text) {
        Ok(deck) => {
            tell_presenter(text);
            FromWorker::Deck(deck)
        }
        Err(why) => FromWorker::DeckFailed(why),
    });
}

/// The presenter window hears a deck, as its document.
fn tell_presenter(text: &str) {
    PRESENTER.with(|c| {
        if let Some(c) = c {
            let _ = c.post_message(&JsValue::from_str(text));
        }
    });
}

/// The panel as it is after `edit`, for the page.
fn post_draft(edit: impl FnOnce(&mut DeckDraft) -> DraftPage) {
    post(&FromWorker::Draft(
        DRAFT.with(|d| edit(&mut d.borrow_mut())),
    ));
}

/// A request about the lecturer's deck (`ToWorker::Draft`).
fn draft(click: &str, text: &str, words: &[String]) {
    match click {
        // The lecturer's deck shown (its document), or else the tour.
        "repost" if !text.is_empty() => tell_presenter(text),
        "repost" => match TOUR_TEXT.with(|t| t.borrow().clone()) {
            tour if tour.is_empty() => fetch_tour(false),
            tour => tell_presenter(&tour),
        },
        "present" => post_deck(&deck_json(&DRAFT.with(|d| d.borrow().deck()))),
        // A deck the page has shown and checked (its document) may become the draft.
        "adopt" => {
            if let Ok(deck) = read_deck(text) {
                post_draft(|d| d.adopt(&deck));
            }
        }
        // The page's stored copy, shown again, not written back: one that no longer reads
        // says why and is left as it is.
        "restore" => post_draft(|d| {
            let shown = match text {
                "" => d.page(None),
                kept => match read_deck(kept) {
                    Ok(deck) => d.adopt(&deck),
                    Err(why) => d.page(Some(ualign::page::text::deck_not_restored(&why))),
                },
            };
            DraftPage {
                store: false,
                ..shown
            }
        }),
        _ => post_draft(|d| d.apply(click, text, words)),
    }
}

/// The first key of an object that `known` refuses, clipped for a message (None for a value
/// that is not an object: serde's reader then says what it should be). serde_wasm_bindgen
/// looks up only the fields it knows, so `deny_unknown_fields` is enforced with this, as
/// serde_json enforces it natively.
fn unknown_field(v: &JsValue, known: impl Fn(&JsValue) -> bool) -> Option<String> {
    let o = v.dyn_ref::<js_sys::Object>()?;
    let key = js_sys::Object::keys(o).iter().find(|k| !known(k))?;
    Some(ualign::url::clip_to(
        &key.as_string().unwrap_or_default(),
        40,
    ))
}

/// Every object of a deck holds only its own fields: a misspelt `question` must not vanish.
fn check_deck_fields(deck: &JsValue) -> Result<(), String> {
    let get = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).unwrap_or_default();
    let check = |v: &JsValue, what: &str, known: &[&str]| -> Result<(), String> {
        let listed = |k: &JsValue| k.as_string().is_some_and(|k| known.contains(&k.as_str()));
        match unknown_field(v, listed) {
            Some(key) => Err(format!(
                "The deck is not a deck document: {what} has an unknown field {key:?}."
            )),
            None => Ok(()),
        }
    };
    check(deck, "the deck", &["ualign_deck", "title", "steps"])?;
    let steps = get(deck, "steps");
    if let Some(steps) = steps.dyn_ref::<js_sys::Array>() {
        for (i, step) in steps.iter().enumerate() {
            let what = format!("step {}", i + 1);
            check(
                &step,
                &what,
                &["fragment", "title", "caption", "notes", "question"],
            )?;
            check(&get(&step, "question"), &what, &["prompt", "answer"])?;
        }
    }
    Ok(())
}

/// A deck document: the size, the browser's JSON.parse, serde's reader with unknown fields
/// refused, then the core's checks of its shape (`Deck::checked_shape`; the page checks the
/// steps' links, `Deck::checked_fragments`).
fn read_deck(text: &str) -> Result<Deck, String> {
    check_size(text.len()).map_err(|e| e.0)?;
    let value = js_sys::JSON::parse(text)
        .map_err(|_| "The deck is not a deck document: it is not JSON.".to_string())?;
    check_deck_fields(&value)?;
    let deck: Deck = serde_wasm_bindgen::from_value(value).map_err(|e| {
        format!(
            "The deck is not a deck document: {}.",
            ualign::url::clip_to(&e.to_string(), ualign::deck::MESSAGE_CHARS)
        )
    })?;
    deck.checked_shape().map_err(|e| e.0)
}

/// A saved configuration, read here rather than on the page (whose wasm then needs no reader
/// for `Config`, nor for case documents): `Config::from_json`'s formats (the results file or
/// a bare configuration) or a case document (at its first k), parsed by the browser's
/// JSON.parse, which is exact and already there (serde_json's would add to the wasm). Then
/// `Config::checked`.
fn saved_config(text: &str) -> Result<Config, String> {
    let value = js_sys::JSON::parse(text).map_err(|e| {
        let message = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| format!("{e:?}"));
        format!("not JSON: {message}")
    })?;
    let has = |key: &str| {
        value.is_object() && js_sys::Reflect::has(&value, &JsValue::from_str(key)).unwrap_or(false)
    };
    // A case document (`ualign eval`'s input, and what `ualign gap-search` prints).
    if has("population") || has("matrix") || has("preflib") {
        return serde_wasm_bindgen::from_value::<ualign::case::CaseDocument>(value)
            .map_err(|e| format!("not a ualign case: {e}"))?
            .config()
            .map_err(|e| e.to_string());
    }
    let results = has("config");
    let config_value = if results {
        js_sys::Reflect::get(&value, &JsValue::from_str("config")).unwrap_or(JsValue::NULL)
    } else {
        value
    };
    // Any other JSON object would otherwise open as the defaults.
    if config_value.is_object() {
        let known = serde_wasm_bindgen::to_value(&Config::default())
            .map(|v| js_sys::Object::keys(v.unchecked_ref::<js_sys::Object>()))
            .unwrap_or_default();
        if let Some(key) = unknown_field(&config_value, |k| known.includes(k, 0)) {
            return Err(format!("not a ualign configuration: unknown field {key:?}"));
        }
    }
    serde_wasm_bindgen::from_value::<Config>(config_value)
        .map_err(|e| format!("not a ualign configuration: {e}"))?
        .checked()
        .map_err(|e| e.to_string())
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
