//! The embed API in the browser (docs/architecture.md#the-embed-api): a host's postMessage requests, obeyed
//! only from the page's own origin and those the link names (`origins=`) and read by the
//! core's checked reader, and the events posted back; and whether the frame can be seen, so
//! a hidden or scrolled-off frame stops its run.

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use js_sys::JSON;
use serde::Serialize;
use ualign::embed::{
    check_size, read_host_message_from, EmbedEvent, EmbedState, HostCommand, ARGS_FIELDS,
    MESSAGE_FIELDS,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::MessageEvent;
use yew::Callback;

/// Events go out at most this often (the state's; `ready`, `converged` and replies at once).
const STATE_EVERY_MS: f64 = 250.0;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// Whether the page's document is shown (not in a background tab or a minimized window).
pub fn page_shown() -> bool {
    window()
        .and_then(|w| w.document())
        .is_none_or(|d| !d.hidden())
}

/// The page's own origin (always obeyed).
pub fn own_origin() -> String {
    window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The host's request, read strictly: the size of its JSON, any field the core's
/// `HostMessage` does not have refused (serde_wasm_bindgen does not show them to its
/// `Deserialize`, which refuses them in the JSON reader the fuzzers drive), then the core's one
/// reader (`read_host_message_from`). A string is read as JSON text, for hosts that post text.
fn read(data: &JsValue) -> Result<HostCommand, String> {
    let (text, value) = match data.as_string() {
        Some(s) => {
            let value = JSON::parse(&s).map_err(|_| "not JSON")?;
            (s, value)
        }
        None => (
            JSON::stringify(data)
                .ok()
                .and_then(|s| s.as_string())
                .ok_or("not JSON")?,
            data.clone(),
        ),
    };
    check_size(text.len())?;
    let known = |v: &JsValue, fields: &[&str]| match v.dyn_ref::<js_sys::Object>() {
        Some(o) if !v.is_array() => js_sys::Object::keys(o)
            .iter()
            .all(|k| k.as_string().is_some_and(|k| fields.contains(&k.as_str()))),
        // Not an object: serde's reader says what it should be.
        _ => true,
    };
    let args = js_sys::Reflect::get(&value, &"args".into()).unwrap_or_default();
    if !known(&value, &MESSAGE_FIELDS) || !known(&args, &ARGS_FIELDS) {
        return Err("unknown field".into());
    }
    read_host_message_from(serde_wasm_bindgen::Deserializer::from(value))
}

/// The window's `message` listener: requests from an allowed origin, checked, reach `on`;
/// anything else is dropped here.
pub fn listen(
    allowed: impl Fn(&str) -> bool + 'static,
    on: Callback<HostCommand>,
) -> Option<EventListener> {
    let w = window()?;
    Some(EventListener::new(&w, "message", move |e| {
        let Some(e) = e.dyn_ref::<MessageEvent>() else {
            return;
        };
        if !allowed(&e.origin()) {
            return;
        }
        if let Ok(command) = read(&e.data()) {
            on.emit(command);
        }
    }))
}

/// The window the page is framed in (None at the top level).
fn parent() -> Option<web_sys::Window> {
    let w = window()?;
    let parent = w.parent().ok()??;
    (!js_sys::Object::is(&parent, &w)).then_some(parent)
}

/// Posts events to the host (if the page is in a frame), the state throttled.
#[derive(Default)]
pub struct Host {
    /// The page is in a frame (there is a host to tell).
    pub in_frame: bool,
    last: Option<EmbedState>,
    last_ms: f64,
    trailing: Option<Timeout>,
    ready: bool,
    converged: bool,
}

impl Host {
    pub fn new() -> Self {
        Host {
            in_frame: parent().is_some(),
            ..Host::default()
        }
    }

    /// Posts `event` to the parent window, to each origin that may see it.
    pub fn post(event: &str, state: &EmbedState, origins: &[String]) {
        let Some(parent) = parent() else { return };
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        let Ok(value) = EmbedEvent::new(event, state).serialize(&serializer) else {
            return;
        };
        let own = own_origin();
        let others = origins.iter().filter(|o| **o != own);
        for origin in std::iter::once(&own).chain(others) {
            // Never to an opaque origin (which would mean anyone).
            if origin != "null" {
                let _ = parent.post_message(&value, origin);
            }
        }
    }

    /// After a change: `ready` once the first state is known, the state at most every
    /// `STATE_EVERY_MS` (a later one is posted when that time is up), and `converged` once
    /// per load. `again` is called when the trailing post is due.
    pub fn changed(
        &mut self,
        state: &EmbedState,
        converged: bool,
        origins: &[String],
        now_ms: f64,
        again: Callback<()>,
    ) {
        if !self.ready {
            self.ready = true;
            Self::post("ready", state, origins);
        }
        if converged && !self.converged {
            Self::post("converged", state, origins);
        }
        self.converged = converged;
        // A post is already due: it will carry the state as it is then.
        if self.trailing.is_some() {
            return;
        }
        if self.last.as_ref() == Some(state) {
            return;
        }
        let wait = self.last_ms + STATE_EVERY_MS - now_ms;
        if wait > 0.0 {
            self.trailing = Some(Timeout::new(wait as u32 + 1, move || again.emit(())));
            return;
        }
        self.last = Some(state.clone());
        self.last_ms = now_ms;
        Self::post("state", state, origins);
    }

    /// The trailing post's time came.
    pub fn due(&mut self) {
        self.trailing = None;
    }
}

/// What can hide the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// The document is shown or hidden (another tab, a minimized window).
    Page(bool),
    /// The frame is in or out of the host's view (scrolled off, or not displayed).
    InView(bool),
}

/// Calls `on` when the page is hidden or shown and when it scrolls out of or into view.
pub fn watch_visibility(on: Callback<Seen>) -> Vec<EventListener> {
    let Some(doc) = window().and_then(|w| w.document()) else {
        return Vec::new();
    };
    let on2 = on.clone();
    let observed = doc.document_element();
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        if let Some(entry) = entries
            .iter()
            .last()
            .and_then(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
        {
            on2.emit(Seen::InView(entry.is_intersecting()));
        }
    });
    if let (Ok(observer), Some(el)) = (
        web_sys::IntersectionObserver::new(callback.as_ref().unchecked_ref()),
        observed,
    ) {
        observer.observe(&el);
    }
    // The observer lives as long as the page.
    callback.forget();
    let d = doc.clone();
    vec![EventListener::new(&doc, "visibilitychange", move |_| {
        on.emit(Seen::Page(!d.hidden()));
    })]
}
