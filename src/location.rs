//! Where the configuration lives in the browser: the URL fragment (a share link at all times),
//! the browser history (back and forward step through finished edits) and local storage (the
//! last configuration, for the next visit without a fragment), kept in step with the undo
//! history. A link with custom preferences is packed asynchronously (see `links`), so writes
//! wait in order for their packing.

use crate::links::{self, Opening};
use gloo_events::EventListener;
use std::collections::VecDeque;
use ualign::config::Config;
use ualign::page::text;
use ualign::page::undo::{HistoryEntry, UndoHistory};
use ualign::presets::DEFAULT_PRESET;
use ualign::url::UrlError;
use wasm_bindgen::JsValue;
use yew::Callback;

/// Where the configuration is kept between visits (as a share-link fragment).
const STORAGE_KEY: &str = "ualign-config";
/// Where the lecturer's deck is kept (its document), so a reload or a new worker loses none.
const DECK_KEY: &str = "ualign-deck";

pub fn default_config() -> Config {
    Config {
        preset: DEFAULT_PRESET.to_string(),
        ..Config::default()
    }
}

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn hash() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

/// The configuration in the page's URL fragment (the default when there is none).
pub fn from_fragment() -> Opening {
    let hash = hash();
    if hash.trim_start_matches('#').is_empty() {
        return Opening::Now(Ok(default_config()));
    }
    links::open(&hash)
}

/// The packed document of a deck link in the address bar (`#deck=`).
pub fn deck_data() -> Option<String> {
    ualign::deck_draft::deck_link_data(&hash()).map(str::to_string)
}

/// The lecturer's deck as this browser keeps it.
pub fn stored_deck() -> Option<String> {
    storage()?.get_item(DECK_KEY).ok().flatten()
}

/// Keeps the lecturer's deck (None: it has no steps left).
pub fn store_deck(json: Option<&str>) {
    if let Some(s) = storage() {
        let _ = match json {
            Some(json) => s.set_item(DECK_KEY, json),
            None => s.remove_item(DECK_KEY),
        };
    }
}

/// Whether the page was opened without a link (no fragment).
pub fn bare() -> bool {
    hash().trim_start_matches('#').is_empty()
}

/// The configuration the page opens with: the link's (a bad one gives the default and the
/// reason), else the one an earlier visit saved. The flag says it came from storage.
pub fn initial() -> (Opening, bool) {
    if hash().trim_start_matches('#').is_empty() {
        let saved = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        // A saved configuration that no longer opens is passed over.
        match saved.as_deref().map(links::open) {
            Some(Opening::Now(Err(_))) | None => {}
            Some(opening) => return (opening, true),
        }
    }
    (from_fragment(), false)
}

/// A fragment without embed mode (`embed=1`): for storage and for the full-view link.
fn without_embed(fragment: &str) -> String {
    let fragment = fragment.trim_start_matches('#');
    let kept: Vec<&str> = fragment
        .split('&')
        .filter(|s| !s.starts_with("embed="))
        .collect();
    kept.join("&")
}

/// Keeps the configuration for the next visit (nothing kept for the default one).
fn store(fragment: Option<&str>) {
    let Some(s) = storage() else { return };
    match fragment.map(without_embed) {
        Some(f) if f != "v=1" && !f.is_empty() => {
            let _ = s.set_item(STORAGE_KEY, &f);
        }
        _ => {
            let _ = s.remove_item(STORAGE_KEY);
        }
    }
}

pub fn forget_saved() {
    store(None);
}

/// The page's address with this fragment.
pub fn href_with(fragment: &str) -> String {
    let base = window()
        .and_then(|w| w.location().href().ok())
        .map(|href| href.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default();
    if fragment.is_empty() {
        base
    } else {
        format!("{base}#{fragment}")
    }
}

/// The configuration in the address bar, in the full view (embed mode's "open the full view").
pub fn full_view_href() -> String {
    href_with(&without_embed(&hash()))
}

/// Copies the link to this configuration; `done` hears whether a link holds it (too big:
/// nothing is copied).
pub fn copy_link(config: &Config, done: Callback<Result<(), String>>) {
    let copy = move |packed: Result<String, UrlError>| match packed {
        Ok(fragment) => {
            if let Some(w) = window() {
                let _ = w.navigator().clipboard().write_text(&href_with(&fragment));
            }
            done.emit(Ok(()));
        }
        Err(e) => done.emit(Err(e.to_string())),
    };
    match links::pack_now(config) {
        Some(packed) => copy(packed),
        None => {
            let config = config.clone();
            yew::platform::spawn_local(async move { copy(links::pack(config).await) });
        }
    }
}

/// Calls `on_change` when the fragment changes: an edited link, or back and forward between
/// pushed entries (which fire popstate, and hashchange too). Released on drop.
pub fn listen(on_change: Callback<()>) -> Vec<EventListener> {
    let Some(window) = window() else {
        return Vec::new();
    };
    ["hashchange", "popstate"]
        .into_iter()
        .map(|event| {
            let on_change = on_change.clone();
            EventListener::new(&window, event, move |_| on_change.emit(()))
        })
        .collect()
}

/// A write of the fragment waiting for its link to be packed.
struct Pending {
    seq: u64,
    entry: HistoryEntry,
    packed: Option<Result<String, String>>,
}

/// The undo history of finished edits, kept in step with the browser's history, the URL
/// fragment and local storage.
pub struct Location {
    history: UndoHistory<Config>,
    /// Why no link holds the configuration (too big), for the page to say beside the JSON
    /// export; None once a link holds it again.
    pub problem: Option<String>,
    /// Writes in the order they were asked for; each is applied once it and every earlier one
    /// are packed, so the browser's history keeps their order.
    pending: VecDeque<Pending>,
    next_seq: u64,
    on_packed: Callback<(u64, Result<String, UrlError>)>,
}

impl Location {
    /// `on_packed` hears when a link was packed; the page hands it back to `packed`.
    pub fn new(config: &Config, on_packed: Callback<(u64, Result<String, UrlError>)>) -> Self {
        Location {
            history: UndoHistory::new(config.clone()),
            problem: None,
            pending: VecDeque::new(),
            next_seq: 0,
            on_packed,
        }
    }

    /// A fresh history whose last finished edit is `config` (the page opened it).
    pub fn reset(&mut self, config: &Config) {
        self.history = UndoHistory::new(config.clone());
    }

    /// The view shown, as a deck step's link: the configuration's own when it has no custom
    /// preferences to pack, else the address bar's once their packed link is written there
    /// (or why no link holds it).
    pub fn step_view(&self, config: &Config) -> Result<String, String> {
        let fragment = match links::pack_now(config) {
            Some(link) => link.map_err(|e| e.to_string())?,
            None if !self.pending.is_empty() => return Err(text::DECK_VIEW_PACKING.into()),
            None => match &self.problem {
                Some(problem) => return Err(text::link_problem(problem)),
                None => hash(),
            },
        };
        ualign::deck_draft::view_fragment(&fragment)
    }

    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// Puts the configuration in the fragment and storage (a new history entry or in place),
    /// once its link is packed.
    pub fn write(&mut self, config: &Config, entry: HistoryEntry) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let packed = links::pack_now(config).map(|r| r.map_err(|e| e.to_string()));
        if packed.is_none() {
            let (config, on_packed) = (config.clone(), self.on_packed.clone());
            yew::platform::spawn_local(async move {
                on_packed.emit((seq, links::pack(config).await));
            });
        }
        self.pending.push_back(Pending { seq, entry, packed });
        self.flush();
    }

    /// A link was packed: applies it and any after it that are ready. True when what the
    /// page says about the link may have changed.
    pub fn packed(&mut self, seq: u64, result: Result<String, UrlError>) -> bool {
        if let Some(p) = self.pending.iter_mut().find(|p| p.seq == seq) {
            p.packed = Some(result.map_err(|e| e.to_string()));
        }
        self.flush()
    }

    fn flush(&mut self) -> bool {
        let mut applied = false;
        while self.pending.front().is_some_and(|p| p.packed.is_some()) {
            let Some(Pending {
                entry,
                packed: Some(packed),
                ..
            }) = self.pending.pop_front()
            else {
                break;
            };
            applied = true;
            match packed {
                Ok(fragment) => {
                    self.problem = None;
                    put_in_history(&fragment, entry);
                    store(Some(&fragment));
                }
                Err(e) => {
                    self.problem = Some(e);
                    store(None);
                }
            }
        }
        applied
    }

    /// Makes `config` the last finished edit: an undo step and a history entry, saved.
    pub fn commit(&mut self, config: &Config, now_ms: f64) {
        if let Some(entry) = self.history.commit(config, now_ms) {
            self.write(config, entry);
        }
    }

    /// Undo or redo into `config`; false when there is nothing to go to.
    pub fn travel(&mut self, config: &mut Config, undo: bool) -> bool {
        if !self.history.travel(config, undo) {
            return false;
        }
        self.write(config, HistoryEntry::Push);
        true
    }

    /// The fragment changed to `config` (back, forward, an edited link): undoable, saved,
    /// and already in the browser's history.
    pub fn arrived(&mut self, before: Config, config: &Config) {
        self.history.arrived(before, config);
        store(Some(&hash()));
    }
}

/// The fragment as a new history entry, or in place of the current one.
fn put_in_history(fragment: &str, entry: HistoryEntry) {
    let Some(w) = window() else { return };
    let fragment = format!("#{fragment}");
    if w.location().hash().ok().as_deref() == Some(fragment.as_str()) {
        return;
    }
    if let Ok(history) = w.history() {
        let _ = match entry {
            HistoryEntry::Push => history.push_state_with_url(&JsValue::NULL, "", Some(&fragment)),
            HistoryEntry::Replace => {
                history.replace_state_with_url(&JsValue::NULL, "", Some(&fragment))
            }
        };
    }
}
