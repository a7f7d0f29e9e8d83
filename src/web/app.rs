//! The page's state and messages: it talks to the solver worker and never runs a solver step.

use super::bridge::Bridge;
use super::charts::{self, Surface};
use super::export;
use super::form::NumField;
use super::protocol::{FromWorker, RunStatus, ToWorker};
use crate::config::{Algorithm, Config};
use crate::presets::DEFAULT_PRESET;
use crate::session::{OpponentRow, Snapshot, StepRecord, SweepRow};
use crate::url;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, KeyboardEvent};
use yew::prelude::*;

/// Largest k offered by the slider (the model allows more; the charts stay readable here).
pub(super) use super::form::K_SLIDER_MAX;

/// The text sizes offered for the charts (any other from a link is shown as it is).
pub(super) const FONT_SCALES: [(f64, &str); 3] = [
    (1.0, "Normal"),
    (1.5, "Large (1.5×)"),
    (2.0, "Lecture hall (2×)"),
];
/// Most snapshots kept for replay.
const REPLAY_MAX: usize = 1200;
/// Most undo steps kept.
const UNDO_MAX: usize = 100;
/// Finished edits closer together than this (ms) share one browser history entry.
const HISTORY_COALESCE_MS: f64 = 700.0;
/// Where the configuration is kept between visits (as a share-link fragment).
const STORAGE_KEY: &str = "ualign-config";
/// Speeds offered: iterations per second, 0 = as fast as possible.
pub(super) const SPEEDS: [(u32, &str); 4] =
    [(10, "10 / s"), (60, "60 / s"), (600, "600 / s"), (0, "max")];

/// Worker replies waiting for the next animation frame; only the newest snapshot matters.
#[derive(Default)]
struct Inbox {
    messages: Vec<FromWorker>,
    frame_requested: bool,
    worker_error: Option<String>,
}

pub enum Msg {
    /// requestAnimationFrame fired: apply what the worker sent, then redraw once.
    Frame(f64),
    SetPreset(String),
    /// The k or players slider moved (loaded at once; one undo step when released).
    SetK(usize),
    SetPlayersAuto(bool),
    SetPlayers(usize),
    SetAlgorithm(Algorithm),
    /// Text size of the charts (display only: the run goes on).
    SetFontScale(f64),
    /// All four figures or one (display only).
    SetView(crate::config::View),
    /// A slider was released: the edit becomes one undo step and one history entry.
    Commit,
    Undo,
    Redo,
    /// Back to the default configuration, forgetting the saved one.
    ResetAll,
    /// Import the text pasted into the import box.
    ImportPasted,
    /// A numeric form field was edited (checked before it reaches the configuration).
    SetNumber(NumField, String),
    SetSpeed(u32),
    Play,
    Pause,
    Step,
    Restart,
    /// Halt the run and the sweep over k.
    Stop,
    /// Continue the halted sweep.
    ContinueSweep,
    /// Space / arrow keys from anywhere outside a form field.
    Key(KeyboardEvent),
    Resize,
    /// A figure shown in the footer changed after drawing (time to first chart).
    Perf,
    /// The URL fragment was edited (or a share link followed in this tab).
    HashChanged,
    /// Show a kept snapshot (index into the replay), pausing a run.
    Replay(usize),
    /// Back to the newest state.
    Live,
    /// Copy the share link to the clipboard.
    CopyLink,
    /// The editors changed the preferences, or asked for the preset's again.
    EditPreferences(crate::config::CustomPreferences),
    ResetPreferences,
    /// A file was chosen for import (read asynchronously, then `FileRead`).
    ImportFile(web_sys::File),
    FileRead {
        name: String,
        text: String,
    },
    /// Download a figure as PNG.
    ExportPng(Figure),
    /// The figure as an SVG document, with its title and key.
    ExportSvg(Figure),
    /// Download the data: iteration history (CSV), the sweep over k (CSV), everything (JSON).
    ExportHistoryCsv,
    ExportSweepCsv,
    ExportJson,
    DismissNotice,
    /// Test hook (`?test` in the URL): make the worker fail (`panic`, `throw`, `busy:<ms>`).
    InjectFault(String),
}

/// The four figures (for PNG and SVG export).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Policies,
    WinRates,
    Sweep,
    Opponents,
}

impl Figure {
    /// The figure's part of its download names.
    fn file_stem(self) -> &'static str {
        match self {
            Figure::Policies => "policies",
            Figure::WinRates => "win-rates",
            Figure::Sweep => "win-rate-vs-k",
            Figure::Opponents => "opponents",
        }
    }
}

/// The charts: one per canvas.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Chart {
    Policies,
    WinRates,
    Exploitability,
    Sweep,
    Opponents,
}

/// Which canvases need drawing after the next render.
#[derive(Default, Clone, Copy)]
struct Dirty {
    pub(super) policies: bool,
    pub(super) iterations: bool,
    pub(super) sweep: bool,
    pub(super) opponents: bool,
}

impl Dirty {
    fn all() -> Dirty {
        Dirty {
            policies: true,
            iterations: true,
            sweep: true,
            opponents: true,
        }
    }
}

/// Time to first chart and frame rate while the run animates (shown in the footer).
#[derive(Default)]
pub(super) struct Perf {
    pub(super) first_chart_ms: Option<f64>,
    /// Moving average of the time spent drawing canvases in one frame.
    pub(super) draw_ms: Option<f64>,
    /// Same for the whole frame: applying messages, rendering the page, drawing.
    pub(super) frame_ms: Option<f64>,
    pub(super) frame_started: Option<f64>,
    pub(super) frames: VecDeque<f64>,
    pub(super) fps: Option<f64>,
}

#[derive(Default)]
pub(super) struct Canvases {
    pub(super) policies: NodeRef,
    pub(super) win_rates: NodeRef,
    pub(super) exploitability: NodeRef,
    pub(super) sweep: NodeRef,
    pub(super) opponents: NodeRef,
}

pub struct App {
    bridge: Option<Bridge>,
    inbox: Rc<RefCell<Inbox>>,
    /// Calls back into the component on the next animation frame (created once).
    raf: Rc<Closure<dyn FnMut(f64)>>,
    pub(super) config: Config,
    pub(super) speed: u32,
    /// What is typed in each numeric field (kept as typed while it is invalid).
    pub(super) texts: Vec<(NumField, String)>,
    /// Why the last edit of a numeric field was refused.
    pub(super) form_error: Option<String>,
    pub(super) labels: Vec<String>,
    pub(super) snapshot: Option<Snapshot>,
    pub(super) description: String,
    pub(super) status: RunStatus,
    history: Vec<StepRecord>,
    pub(super) sweep: Vec<SweepRow>,
    pub(super) sweep_done: usize,
    pub(super) sweep_total: usize,
    pub(super) sweep_stopped: bool,
    pub(super) opponents: Vec<OpponentRow>,
    pub(super) error: Option<String>,
    /// A message about the link (a bad share link, or a configuration too big for one).
    pub(super) notice: Option<String>,
    /// Why the link (the URL fragment) does not hold the current configuration (too big),
    /// shown with the JSON export offered instead; None once a link holds it again.
    pub(super) link_problem: Option<String>,
    /// Snapshots kept for replay (thinned as they accumulate), and the one shown, if any.
    pub(super) replay: Vec<Snapshot>,
    pub(super) replay_at: Option<usize>,
    /// The loaded preferences in editable form, and the matrix fit's residual.
    pub(super) preferences: Option<Rc<crate::config::CustomPreferences>>,
    pub(super) fit_residual: Option<f64>,
    pub(super) fit_types: Option<usize>,
    /// Set when the worker answered an import; the new configuration is loaded after the
    /// frame's messages are applied.
    imported: bool,
    /// The configuration last sent to the worker (None before the first, or with a new worker).
    loaded: Option<Config>,
    /// A replacement worker was started after a fault and has not sent a snapshot yet
    /// (a second fault then is not retried).
    recovering: bool,
    /// A pause or stop was asked for and the worker has not confirmed it yet: the page shows
    /// the run stopped from the next frame on, even while the worker finishes a long call.
    pub(super) halting: bool,
    /// Configurations before (undo) and after (redo) the current one; `committed` is the
    /// configuration of the last finished edit (a slider being dragged is not one yet).
    pub(super) undo: Vec<Config>,
    pub(super) redo: Vec<Config>,
    committed: Config,
    /// When the last history entry was pushed (performance.now, ms).
    last_push: f64,
    /// The text box for pasted preferences.
    pub(super) paste: NodeRef,
    pub(super) canvases: Canvases,
    dirty: Dirty,
    pub(super) perf: Perf,
    _listeners: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

fn default_config() -> Config {
    Config {
        preset: DEFAULT_PRESET.to_string(),
        ..Config::default()
    }
}

/// The configuration in the page's URL fragment (the default when there is none).
fn config_from_location() -> Result<Config, url::UrlError> {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    if hash.trim_start_matches('#').is_empty() {
        return Ok(default_config());
    }
    url::decode(&hash)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The configuration an earlier visit saved, if it still opens.
fn stored_config() -> Option<Config> {
    let text = storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    url::decode(&text).ok()
}

/// A name whose extension tells the readers the format of pasted text: PrefLib (metadata
/// lines start with `#`, data lines hold `count: ranking`) or else CSV.
/// A configuration saved as JSON (`Config::from_json`'s formats), parsed by the browser's
/// JSON.parse: serde_json's exact number parsing would add to the wasm what the browser
/// already does exactly.
fn saved_config(text: &str) -> Result<Config, String> {
    let value = js_sys::JSON::parse(text).map_err(|e| {
        let message = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| format!("{e:?}"));
        format!("not JSON: {message}")
    })?;
    let results = value.is_object()
        && js_sys::Reflect::has(&value, &JsValue::from_str("config")).unwrap_or(false);
    let config_value = if results {
        js_sys::Reflect::get(&value, &JsValue::from_str("config")).unwrap_or(JsValue::NULL)
    } else {
        value
    };
    // serde_wasm_bindgen looks up the fields it knows and ignores the rest, so the
    // configuration's deny_unknown_fields is enforced here: any other JSON object would
    // otherwise open as the defaults.
    if config_value.is_object() {
        let known = serde_wasm_bindgen::to_value(&Config::default())
            .map(|v| js_sys::Object::keys(v.unchecked_ref::<js_sys::Object>()))
            .unwrap_or_default();
        for key in js_sys::Object::keys(config_value.unchecked_ref::<js_sys::Object>()).iter() {
            if !known.includes(&key, 0) {
                return Err(format!(
                    "not a ualign configuration: unknown field {:?}",
                    key.as_string().unwrap_or_default()
                ));
            }
        }
    }
    let parsed = serde_wasm_bindgen::from_value::<Config>(config_value);
    parsed
        .map_err(|e| format!("not a ualign configuration: {e}"))?
        .checked()
        .map_err(|e| e.to_string())
}

fn pasted_name(text: &str) -> String {
    if text.trim_start().starts_with('{') {
        return "pasted text.json".into();
    }
    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
    let preflib = first.is_some_and(|l| l.starts_with('#') || l.contains(':'));
    let kind = if preflib {
        text.lines()
            .find_map(|l| l.trim().strip_prefix("# DATA TYPE:"))
            .map(|t| t.trim().to_ascii_lowercase())
            .filter(|t| ["soc", "soi", "toc", "toi"].contains(&t.as_str()))
            .unwrap_or_else(|| "toi".into())
    } else {
        "csv".into()
    };
    format!("pasted text.{kind}")
}

fn bad_link_message(e: &url::UrlError) -> String {
    format!("This link could not be opened ({e}); showing the default configuration instead.")
}

fn canvas(node: &NodeRef) -> Option<HtmlCanvasElement> {
    node.cast::<HtmlCanvasElement>()
}

impl App {
    /// Starts a worker if there is none (first load, or after the old one crashed) and loads
    /// the current configuration into it.
    ///
    /// A configuration that computes the same as the one the worker has (it differs only in
    /// what is displayed: figures shown, text size) is not sent: the run goes on.
    fn load(&mut self, ctx: &Context<Self>) {
        if self.bridge.is_none() {
            self.loaded = None;
            self.bridge = self.spawn(ctx);
            if let Some(b) = &self.bridge {
                b.send(&ToWorker::SetSpeed(self.speed));
            }
        }
        if self
            .loaded
            .as_ref()
            .is_some_and(|c| c.same_computation(&self.config))
        {
            return;
        }
        self.loaded = Some(self.config.clone());
        self.send(ToWorker::Load(self.config.clone()));
    }

    fn spawn(&mut self, _ctx: &Context<Self>) -> Option<Bridge> {
        let inbox = self.inbox.clone();
        let raf = self.raf.clone();
        let request_frame = move |inbox: &Rc<RefCell<Inbox>>| {
            let mut b = inbox.borrow_mut();
            if !b.frame_requested {
                b.frame_requested = true;
                if let Some(w) = web_sys::window() {
                    let _ = w.request_animation_frame((*raf).as_ref().unchecked_ref());
                }
            }
        };
        let request_frame = Rc::new(request_frame);
        let (inbox2, rf2) = (inbox.clone(), request_frame.clone());
        let bridge = Bridge::spawn(
            move |msg| {
                inbox.borrow_mut().messages.push(msg);
                request_frame(&inbox);
            },
            move |err| {
                inbox2.borrow_mut().worker_error = Some(err);
                rf2(&inbox2);
            },
        );
        match bridge {
            Ok(b) => Some(b),
            Err(e) => {
                self.error = Some(e);
                self.status = RunStatus::Error;
                None
            }
        }
    }

    fn send(&self, msg: ToWorker) {
        if let Some(b) = &self.bridge {
            b.send(&msg);
        }
    }

    /// A pause or stop takes effect on the page at once (the next frame shows the run
    /// stopped); the worker confirms it after its current batch or long call.
    fn halt(&mut self) -> bool {
        if self.status == RunStatus::Running {
            self.status = RunStatus::Idle;
            self.halting = true;
            return true;
        }
        false
    }

    /// A pause, stop or restart: a worker that does not answer in time is replaced.
    fn send_awaiting(&self, msg: ToWorker) {
        if let Some(b) = &self.bridge {
            b.send_awaiting(&msg);
        }
    }

    /// The worker died, threw, or is stuck in one long call: replace it, keeping the
    /// configuration, speed and a stopped sweep; the run starts again from iteration 0.
    fn recover(&mut self, ctx: &Context<Self>, fault: String) {
        self.bridge = None;
        self.halting = false;
        if self.recovering {
            self.error = Some(format!("{fault}; restarting the solver did not help"));
            self.status = RunStatus::Error;
            return;
        }
        self.recovering = true;
        self.notice = Some(format!(
            "Solver restarted: {fault}. The configuration is kept; the run starts again from iteration 0."
        ));
        self.status = RunStatus::Idle;
        self.load(ctx);
        if self.sweep_stopped {
            self.send(ToWorker::Stop);
        }
        self.dirty = Dirty::all();
    }

    fn apply(&mut self, msg: FromWorker) {
        match msg {
            FromWorker::Loaded {
                config,
                labels,
                keep_sweep,
                preferences,
                fit_residual,
                fit_types,
            } => {
                self.preferences = Some(Rc::new(preferences));
                // The old run's state does not belong to these responses.
                self.snapshot = None;
                self.replay.clear();
                self.replay_at = None;
                self.fit_residual = fit_residual;
                self.fit_types = fit_types;
                self.labels = labels;
                self.history.clear();
                self.opponents.clear();
                if !keep_sweep {
                    self.sweep.clear();
                    self.sweep_done = 0;
                    self.sweep_total = config.k_max;
                }
                // A replacement worker is sent the stop again (see `recover`).
                if !self.recovering {
                    self.sweep_stopped = false;
                }
                self.error = None;
                self.dirty = Dirty::all();
            }
            FromWorker::Restarted => {
                self.history.clear();
                self.replay.clear();
                self.replay_at = None;
                self.dirty.iterations = true;
            }
            FromWorker::Snapshot {
                snapshot,
                description,
                status,
            } => {
                if self.replay.last().map(|s| s.iteration) != Some(snapshot.iteration) {
                    self.replay.push(snapshot.clone());
                    if self.replay.len() > REPLAY_MAX && self.replay_at.is_none() {
                        // Keep every other one (and the newest): a long run stays replayable
                        // in fixed memory, finer near the end.
                        let last = self.replay.pop();
                        let mut i = 0;
                        self.replay.retain(|_| {
                            i += 1;
                            i % 2 == 1
                        });
                        self.replay.extend(last);
                    }
                }
                self.snapshot = Some(snapshot);
                self.recovering = false;
                self.description = description;
                // Until the worker confirms a pause or stop, a snapshot it posted before
                // reading it still says running: the page already shows the run stopped.
                let status = match (self.halting, status) {
                    (true, RunStatus::Running) => RunStatus::Idle,
                    (true, other) => {
                        self.halting = false;
                        other
                    }
                    (false, other) => other,
                };
                self.status = if self.error.is_some() {
                    RunStatus::Error
                } else {
                    status
                };
                self.dirty.policies = true;
                self.dirty.iterations = true;
            }
            FromWorker::History(records) => {
                self.history.extend(records);
                self.dirty.iterations = true;
            }
            FromWorker::SweepProgress { row, done, total } => {
                match self.sweep.iter_mut().find(|r| r.k == row.k) {
                    Some(r) => *r = row,
                    None => self.sweep.push(row),
                }
                self.sweep.sort_by_key(|r| r.k);
                self.sweep_done = done;
                self.sweep_total = total;
                self.dirty.sweep = true;
            }
            FromWorker::Opponents(rows) => {
                self.opponents = rows;
                self.dirty.opponents = true;
            }
            // Ready and Pong are handled by the bridge, Crashed by the frame (`recover`).
            FromWorker::Done | FromWorker::Ready | FromWorker::Pong(_) | FromWorker::Crashed(_) => {
            }
            FromWorker::Imported { name, custom } => {
                self.config.custom = Some(custom);
                self.notice = Some(format!(
                    "Imported {name}. Choosing a preset again replaces these preferences."
                ));
                self.imported = true;
            }
            FromWorker::ImportFailed(text) => {
                self.notice = Some(format!(
                    "Nothing was imported; this could not be read: {text}"
                ));
            }
            FromWorker::Error(text) => {
                self.error = Some(text);
                self.status = RunStatus::Error;
            }
        }
    }

    /// The canvas of each chart and the figure it belongs to (win rates has two panels).
    fn charts_of(&self, figure: Figure) -> Vec<(Chart, &NodeRef)> {
        let c = &self.canvases;
        match figure {
            Figure::Policies => vec![(Chart::Policies, &c.policies)],
            Figure::WinRates => vec![
                (Chart::WinRates, &c.win_rates),
                (Chart::Exploitability, &c.exploitability),
            ],
            Figure::Sweep => vec![(Chart::Sweep, &c.sweep)],
            Figure::Opponents => vec![(Chart::Opponents, &c.opponents)],
        }
    }

    /// Draws one chart with the current data, on a canvas or into an SVG export.
    fn draw_chart(&self, chart: Chart, s: &Surface) -> Result<(), Box<dyn std::error::Error>> {
        let cursor = self
            .replay_at
            .and_then(|i| self.replay.get(i))
            .map(|s| s.iteration);
        let c = &self.config;
        match chart {
            Chart::Policies => match self.shown() {
                Some(snap) => charts::draw_policies(s, &self.labels, snap),
                None => Ok(()),
            },
            Chart::WinRates => charts::draw_win_rates(s, &self.history, c.k, c.iterations, cursor),
            Chart::Exploitability => {
                charts::draw_exploitability(s, &self.history, c.iterations, cursor)
            }
            Chart::Sweep => charts::draw_sweep(s, &self.sweep, c.k_max, c.k),
            Chart::Opponents => charts::draw_opponents(s, &self.opponents, c.k),
        }
    }

    /// A figure as a standalone SVG document: its title and key, then its charts at their
    /// size on the page (or a default size where a chart is hidden).
    fn figure_svg(&self, figure: Figure) -> Result<String, String> {
        let charts = self.charts_of(figure);
        let sizes: Vec<(Chart, f64, f64)> = charts
            .iter()
            .map(|&(chart, node)| {
                let (w, h) = canvas(node)
                    .map(|c| (c.client_width(), c.client_height()))
                    .unwrap_or((0, 0));
                let default_h = if chart == Chart::Exploitability {
                    160.0
                } else {
                    320.0
                };
                let (w, h) = (f64::from(w), f64::from(h));
                (
                    chart,
                    if w > 0.0 { w } else { 720.0 },
                    if h > 0.0 { h } else { default_h },
                )
            })
            .collect();
        let width = sizes.iter().map(|s| s.1).fold(480.0, f64::max);
        let (title, mut key) = self.figure_key(figure);
        if figure == Figure::Policies {
            key.push((charts::SERIES_BOUND, "average iterate".to_string()));
        }
        let key_h = charts::key_height(&key, width, self.config.font_scale);
        let height = key_h + sizes.iter().map(|s| s.2).sum::<f64>();
        let mut out = String::new();
        {
            let root = Surface::svg(
                &mut out,
                (width as u32, height.ceil() as u32),
                self.config.font_scale,
            );
            let (head, mut rest) = root.split(key_h);
            charts::draw_key(&head, &title, &key, figure == Figure::Policies)
                .map_err(|e| e.to_string())?;
            for (chart, _, h) in sizes {
                let (this, below) = rest.split(h);
                self.draw_chart(chart, &this).map_err(|e| e.to_string())?;
                rest = below;
            }
        }
        Ok(out)
    }

    /// Draws the canvases whose data changed.
    fn draw(&mut self) {
        let started = now_ms();
        let dirty = std::mem::take(&mut self.dirty);
        let mut drew = false;
        let figures = [
            (dirty.policies, Figure::Policies),
            (dirty.iterations, Figure::WinRates),
            (dirty.sweep, Figure::Sweep),
            (dirty.opponents, Figure::Opponents),
        ];
        for (chart, node) in figures
            .into_iter()
            .filter(|(d, _)| *d)
            .flat_map(|(_, f)| self.charts_of(f))
        {
            let scale = self.config.font_scale;
            let Some(s) = canvas(node).and_then(|c| Surface::canvas(&c, scale)) else {
                continue;
            };
            if chart == Chart::Policies && self.shown().is_some() {
                drew = true;
            }
            if let Err(e) = self.draw_chart(chart, &s) {
                web_sys::console::warn_1(&format!("drawing {chart:?}: {e}").into());
            }
        }
        if drew && self.perf.first_chart_ms.is_none() {
            self.perf.first_chart_ms = Some(now_ms());
        }
        if dirty.policies || dirty.iterations {
            let spent = now_ms() - started;
            self.perf.draw_ms = Some(self.perf.draw_ms.map_or(spent, |a| 0.9 * a + 0.1 * spent));
        }
    }

    /// A finished edit: one undo step, one history entry, saved; then loaded.
    fn config_changed(&mut self, ctx: &Context<Self>) -> bool {
        self.commit();
        self.live_changed(ctx)
    }

    /// Loads the configuration as it is (a slider still moving: no undo step yet).
    fn live_changed(&mut self, ctx: &Context<Self>) -> bool {
        self.load(ctx);
        self.dirty = Dirty::all();
        true
    }

    /// Makes the current configuration the last finished edit, if it changed.
    fn commit(&mut self) {
        if self.config == self.committed {
            return;
        }
        self.remember(self.committed.clone());
        self.committed = self.config.clone();
        // Rapid edits (arrow keys on a slider) replace the entry they follow.
        let now = now_ms();
        self.write_location(now - self.last_push > HISTORY_COALESCE_MS);
        self.last_push = now;
        self.save();
    }

    /// Keeps `before` as an undo step (bounded); a new edit forgets what was undone.
    fn remember(&mut self, before: Config) {
        self.undo.push(before);
        if self.undo.len() > UNDO_MAX {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// Undo or redo: `from` holds the configuration to show, `to` gets the current one.
    fn travel(&mut self, ctx: &Context<Self>, undo: bool) -> bool {
        let (from, to) = if undo {
            (&mut self.undo, &mut self.redo)
        } else {
            (&mut self.redo, &mut self.undo)
        };
        let Some(config) = from.pop() else {
            return false;
        };
        to.push(std::mem::replace(&mut self.config, config));
        self.committed = self.config.clone();
        self.sync_form();
        self.write_location(true);
        self.save();
        self.live_changed(ctx)
    }

    /// Keeps the configuration for the next visit (nothing kept for the default one).
    fn save(&self) {
        let Some(store) = storage() else { return };
        let config = Config {
            embed: false,
            ..self.config.clone()
        };
        match url::encode_checked(&config) {
            Ok(text) if config != default_config() => {
                let _ = store.set_item(STORAGE_KEY, &text);
            }
            _ => {
                let _ = store.remove_item(STORAGE_KEY);
            }
        }
    }

    /// Puts the configuration in the URL fragment: a new history entry (`push`, so back and
    /// forward step through finished edits) or in place of the current one.
    fn write_location(&mut self, push: bool) {
        match url::encode_checked(&self.config) {
            Ok(fragment) => {
                self.link_problem = None;
                let Some(w) = web_sys::window() else { return };
                let fragment = format!("#{fragment}");
                if w.location().hash().ok().as_deref() == Some(fragment.as_str()) {
                    return;
                }
                if let Ok(history) = w.history() {
                    let _ = if push {
                        history.push_state_with_url(&JsValue::NULL, "", Some(&fragment))
                    } else {
                        history.replace_state_with_url(&JsValue::NULL, "", Some(&fragment))
                    };
                }
            }
            Err(e) => self.link_problem = Some(e.to_string()),
        }
    }

    fn report_export(&mut self, result: Result<(), JsValue>) -> bool {
        match result {
            Ok(()) => false,
            Err(e) => {
                self.notice = Some(format!(
                    "The download failed: {}",
                    e.as_string().unwrap_or_else(|| format!("{e:?}"))
                ));
                true
            }
        }
    }

    /// This configuration in the full view (embed mode's "open the full view" link).
    pub(super) fn full_view_href(&self) -> String {
        let base = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .map(|href| href.split('#').next().unwrap_or_default().to_string())
            .unwrap_or_default();
        let full = Config {
            embed: false,
            ..self.config.clone()
        };
        match url::encode_checked(&full) {
            Ok(fragment) => format!("{base}#{fragment}"),
            Err(_) => base,
        }
    }

    /// These text fields follow the configuration (a slider moved what they show).
    fn sync_texts(&mut self, fields: &[NumField]) {
        for &field in fields {
            let text = field.read(&self.config);
            match self.texts.iter_mut().find(|(f, _)| *f == field) {
                Some((_, t)) => *t = text,
                None => self.texts.push((field, text)),
            }
        }
    }

    /// Form fields that hold text follow the configuration (after a link was opened).
    fn sync_form(&mut self) {
        self.sync_texts(&NumField::ALL);
        self.form_error = None;
    }

    /// The snapshot on screen: the replayed one, else the newest.
    pub(super) fn shown(&self) -> Option<&Snapshot> {
        self.replay_at
            .and_then(|i| self.replay.get(i))
            .or(self.snapshot.as_ref())
    }

    pub(super) fn text(&self, field: NumField) -> String {
        self.texts
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link().clone();
        let raf = Rc::new(Closure::<dyn FnMut(f64)>::new(move |t: f64| {
            link.send_message(Msg::Frame(t))
        }));
        // The configuration lives in the URL fragment; a bad link opens the default, with a
        // message saying what was wrong. Without a fragment, the last visit's configuration.
        let no_fragment = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .is_none_or(|h| h.trim_start_matches('#').is_empty());
        let stored = if no_fragment { stored_config() } else { None };
        let restored = stored.is_some();
        let (config, notice) = match stored.map(Ok).unwrap_or_else(config_from_location) {
            Ok(c) => (c, None),
            Err(e) => (default_config(), Some(bad_link_message(&e))),
        };
        let mut listeners = Vec::new();
        if let Some(window) = web_sys::window() {
            let link = ctx.link().clone();
            let on_resize =
                Closure::<dyn FnMut(web_sys::Event)>::new(move |_| link.send_message(Msg::Resize));
            let _ = window
                .add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
            listeners.push(on_resize);
            let link = ctx.link().clone();
            let on_key = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
                if let Ok(k) = e.dyn_into::<KeyboardEvent>() {
                    link.send_message(Msg::Key(k));
                }
            });
            let _ =
                window.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
            listeners.push(on_key);
            let link = ctx.link().clone();
            let on_hash = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                link.send_message(Msg::HashChanged)
            });
            // Back and forward between pushed entries fire popstate (and hashchange).
            for event in ["hashchange", "popstate"] {
                let _ = window
                    .add_event_listener_with_callback(event, on_hash.as_ref().unchecked_ref());
            }
            listeners.push(on_hash);
            // The browser tests' fault injection, only with `?test` in the URL.
            if window.location().search().is_ok_and(|q| q.contains("test")) {
                let link = ctx.link().clone();
                let hook = Closure::<dyn FnMut(String)>::new(move |text: String| {
                    link.send_message(Msg::InjectFault(text))
                });
                let _ = js_sys::Reflect::set(&window, &"ualignTest".into(), hook.as_ref());
                hook.forget();
            }
        }
        let mut app = App {
            bridge: None,
            inbox: Rc::default(),
            raf,
            texts: NumField::ALL
                .iter()
                .map(|f| (*f, f.read(&config)))
                .collect(),
            committed: config.clone(),
            last_push: f64::NEG_INFINITY,
            config,
            undo: Vec::new(),
            redo: Vec::new(),
            paste: NodeRef::default(),
            speed: if reduced_motion() { 0 } else { 60 },
            form_error: None,
            labels: Vec::new(),
            snapshot: None,
            description: String::new(),
            status: RunStatus::Idle,
            history: Vec::new(),
            sweep: Vec::new(),
            sweep_done: 0,
            sweep_total: 0,
            sweep_stopped: false,
            opponents: Vec::new(),
            error: None,
            notice,
            link_problem: None,
            imported: false,
            recovering: false,
            halting: false,
            loaded: None,
            preferences: None,
            fit_residual: None,
            fit_types: None,
            replay: Vec::new(),
            replay_at: None,
            canvases: Canvases::default(),
            dirty: Dirty::all(),
            perf: Perf::default(),
            _listeners: listeners,
        };
        if restored {
            app.write_location(false);
        }
        app.load(ctx);
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame(t) => {
                self.perf.frame_started = Some(now_ms());
                let (messages, mut fault) = {
                    let mut inbox = self.inbox.borrow_mut();
                    inbox.frame_requested = false;
                    (
                        std::mem::take(&mut inbox.messages),
                        inbox.worker_error.take(),
                    )
                };
                for m in messages {
                    match m {
                        // The panic's own message says more than the abort that follows.
                        FromWorker::Crashed(text) => fault = Some(text),
                        m => self.apply(m),
                    }
                }
                if let Some(fault) = fault {
                    self.recover(ctx, fault);
                }
                if std::mem::take(&mut self.imported) {
                    self.config_changed(ctx);
                }
                if self.status == RunStatus::Running {
                    self.perf.frames.push_back(t);
                    while self.perf.frames.front().is_some_and(|&f| t - f > 1000.0) {
                        self.perf.frames.pop_front();
                    }
                    if self.perf.frames.len() > 10 {
                        let span = t - self.perf.frames.front().copied().unwrap_or(t);
                        if span > 0.0 {
                            self.perf.fps =
                                Some((self.perf.frames.len() - 1) as f64 * 1000.0 / span);
                        }
                    }
                } else {
                    self.perf.frames.clear();
                }
                true
            }
            Msg::SetPreset(id) => {
                self.config.preset = id;
                // Choosing a preset replaces edited or imported preferences.
                self.config.custom = None;
                self.config_changed(ctx)
            }
            Msg::SetK(k) => {
                if k == self.config.k {
                    return false;
                }
                self.config.k = k.clamp(1, K_SLIDER_MAX);
                self.sync_texts(&[NumField::K, NumField::Players]);
                self.live_changed(ctx)
            }
            Msg::SetPlayersAuto(auto) => {
                self.config.players = if auto { None } else { Some(self.config.k + 1) };
                self.sync_texts(&[NumField::Players]);
                self.config_changed(ctx)
            }
            Msg::SetPlayers(m) => {
                self.config.players = Some(m.clamp(2, K_SLIDER_MAX + 1));
                self.sync_texts(&[NumField::Players]);
                self.live_changed(ctx)
            }
            // Display only: `load` sees the same computation and keeps the run going.
            Msg::SetView(view) => {
                self.config.view = view;
                self.config_changed(ctx)
            }
            Msg::SetFontScale(scale) => {
                let mut candidate = self.config.clone();
                candidate.font_scale = scale;
                if let Err(e) = candidate.validate() {
                    self.form_error = Some(e.to_string());
                    return true;
                }
                self.config = candidate;
                self.config_changed(ctx)
            }
            Msg::SetAlgorithm(a) => {
                self.config.algorithm = a;
                self.config_changed(ctx)
            }
            Msg::SetNumber(field, text) => {
                match self.texts.iter_mut().find(|(f, _)| *f == field) {
                    Some((_, t)) => *t = text.clone(),
                    None => self.texts.push((field, text.clone())),
                }
                // Checked against the same limits the core uses, before any work.
                let mut candidate = self.config.clone();
                let checked = field
                    .write(&mut candidate, &text)
                    .and_then(|()| candidate.validate().map_err(|e| e.to_string()));
                match checked {
                    Ok(()) => {
                        self.form_error = None;
                        if candidate == self.config {
                            return true;
                        }
                        self.config = candidate;
                        self.config_changed(ctx)
                    }
                    Err(e) => {
                        self.form_error = Some(e);
                        true
                    }
                }
            }
            Msg::Commit => {
                self.commit();
                true
            }
            Msg::Undo => self.travel(ctx, true),
            Msg::Redo => self.travel(ctx, false),
            Msg::ResetAll => {
                if let Some(store) = storage() {
                    let _ = store.remove_item(STORAGE_KEY);
                }
                self.config = default_config();
                self.sync_form();
                self.notice =
                    Some("Back to the defaults; the saved configuration is cleared.".into());
                self.config_changed(ctx)
            }
            Msg::ImportPasted => {
                let text = self
                    .paste
                    .cast::<web_sys::HtmlTextAreaElement>()
                    .map(|t| t.value())
                    .unwrap_or_default();
                if text.trim().is_empty() {
                    self.notice = Some("Paste PrefLib or CSV text into the box first.".into());
                    return true;
                }
                let name = pasted_name(&text);
                Component::update(self, ctx, Msg::FileRead { name, text })
            }
            Msg::SetSpeed(speed) => {
                self.speed = speed;
                self.send(ToWorker::SetSpeed(speed));
                true
            }
            Msg::Play => {
                self.replay_at = None;
                self.halting = false;
                if self.bridge.is_none() {
                    self.load(ctx);
                }
                self.send(ToWorker::Play);
                false
            }
            Msg::Pause => {
                self.send_awaiting(ToWorker::Pause);
                self.halt()
            }
            Msg::Step => {
                if self.bridge.is_none() {
                    self.load(ctx);
                }
                self.send(ToWorker::Step);
                false
            }
            Msg::Restart => {
                if self.bridge.is_none() {
                    self.load(ctx);
                } else {
                    self.send_awaiting(ToWorker::Restart);
                }
                false
            }
            Msg::Stop => {
                self.send_awaiting(ToWorker::Stop);
                self.sweep_stopped = true;
                self.halt();
                true
            }
            Msg::ContinueSweep => {
                self.send(ToWorker::Sweep);
                self.sweep_stopped = false;
                true
            }
            Msg::Key(e) => {
                // Leave keys alone inside form fields, where they edit values.
                let target = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                let tag = target.as_ref().map(|el| el.tag_name()).unwrap_or_default();
                let in_field = matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON");
                // Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y), except where text is typed (its own undo).
                let typing = tag == "TEXTAREA"
                    || (tag == "INPUT"
                        && target.and_then(|el| el.get_attribute("type")).as_deref()
                            == Some("text"));
                let key = e.key().to_ascii_lowercase();
                if (e.ctrl_key() || e.meta_key())
                    && !e.alt_key()
                    && !typing
                    && (key == "z" || key == "y")
                {
                    e.prevent_default();
                    let redo = key == "y" || e.shift_key();
                    return self.travel(ctx, !redo);
                }
                if in_field || e.ctrl_key() || e.meta_key() || e.alt_key() {
                    return false;
                }
                let msg = match e.key().as_str() {
                    " " => Some(if self.status == RunStatus::Running {
                        Msg::Pause
                    } else {
                        Msg::Play
                    }),
                    "ArrowRight" => Some(Msg::Step),
                    "r" => Some(Msg::Restart),
                    _ => None,
                };
                match msg {
                    Some(m) => {
                        e.prevent_default();
                        Component::update(self, ctx, m)
                    }
                    None => false,
                }
            }
            Msg::Resize => {
                self.dirty = Dirty::all();
                true
            }
            Msg::Perf => true,
            Msg::HashChanged => match config_from_location() {
                Ok(c) if c == self.config => false,
                Ok(c) => {
                    // Back, forward or an edited link: a change like any other (undoable).
                    let before = std::mem::replace(&mut self.config, c);
                    self.remember(before);
                    self.committed = self.config.clone();
                    self.save();
                    self.notice = None;
                    self.sync_form();
                    self.load(ctx);
                    self.dirty = Dirty::all();
                    true
                }
                Err(e) => {
                    self.notice = Some(bad_link_message(&e));
                    true
                }
            },
            Msg::CopyLink => {
                // A link that would not hold the configuration is not copied.
                if let Err(e) = url::encode_checked(&self.config) {
                    self.link_problem = Some(e.to_string());
                    return true;
                }
                if let Some(w) = web_sys::window() {
                    if let Ok(href) = w.location().href() {
                        let _ = w.navigator().clipboard().write_text(&href);
                        self.notice =
                            Some("Link copied: it opens this exact configuration.".into());
                    }
                }
                true
            }
            Msg::ExportPng(figure) => {
                // A hidden canvas (embed mode's exploitability panel) has nothing to add.
                let canvases: Vec<HtmlCanvasElement> = self
                    .charts_of(figure)
                    .into_iter()
                    .filter_map(|(_, node)| canvas(node))
                    .filter(|c| c.client_height() > 0)
                    .collect();
                let name = format!("ualign-{}.png", figure.file_stem());
                self.report_export(export::png(&canvases, &name))
            }
            Msg::ExportSvg(figure) => {
                let svg = self.figure_svg(figure);
                let name = format!("ualign-{}.svg", figure.file_stem());
                self.report_export(
                    svg.map_err(|e| JsValue::from_str(&e))
                        .and_then(|svg| export::text(&svg, "image/svg+xml", &name)),
                )
            }
            Msg::ExportHistoryCsv => {
                let csv = export::history_csv(&self.history);
                self.report_export(export::text(&csv, "text/csv", "ualign-iterations.csv"))
            }
            Msg::ExportSweepCsv => {
                let csv = export::sweep_csv(&self.sweep);
                self.report_export(export::text(&csv, "text/csv", "ualign-win-rate-vs-k.csv"))
            }
            Msg::ExportJson => {
                let json = export::results_json(&export::Results {
                    config: &self.config,
                    labels: &self.labels,
                    snapshot: self.snapshot.as_ref(),
                    history: &self.history,
                    sweep: &self.sweep,
                    opponents: &self.opponents,
                });
                self.report_export(export::text(
                    &json,
                    "application/json",
                    "ualign-results.json",
                ))
            }
            Msg::ImportFile(file) => {
                let size = file.size();
                if size > crate::readers::MAX_FILE_BYTES as f64 {
                    self.notice = Some(format!(
                        "{} is {:.1} MB; files up to {} MB can be imported.",
                        file.name(),
                        size / 1048576.0,
                        crate::readers::MAX_FILE_BYTES / 1048576
                    ));
                    return true;
                }
                let link = ctx.link().clone();
                yew::platform::spawn_local(async move {
                    let name = file.name();
                    match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                        Ok(text) => link.send_message(Msg::FileRead {
                            name,
                            text: text.as_string().unwrap_or_default(),
                        }),
                        Err(_) => link.send_message(Msg::FileRead {
                            name,
                            text: String::new(),
                        }),
                    }
                });
                false
            }
            Msg::FileRead { name, text } if text.len() > crate::readers::MAX_FILE_BYTES => {
                // Pasted text: the same limit as a file, before any parsing.
                self.notice = Some(format!(
                    "Nothing was imported; {name} is {:.1} MB and up to {} MB can be imported (the limit on files).",
                    text.len() as f64 / 1048576.0,
                    crate::readers::MAX_FILE_BYTES / 1048576
                ));
                true
            }
            Msg::FileRead { name, text } if name.to_ascii_lowercase().ends_with(".json") => {
                match saved_config(&text) {
                    Ok(config) => {
                        self.config = config;
                        self.notice = Some(format!("Opened the configuration saved in {name}."));
                        self.sync_form();
                        self.config_changed(ctx)
                    }
                    Err(e) => {
                        self.notice = Some(format!(
                            "Nothing was imported; {name} could not be opened: {e}"
                        ));
                        true
                    }
                }
            }
            Msg::FileRead { name, text } => {
                if self.bridge.is_none() {
                    self.load(ctx);
                }
                self.send(ToWorker::Import { name, text });
                false
            }
            Msg::Replay(i) => {
                if self.status == RunStatus::Running {
                    self.send(ToWorker::Pause);
                }
                self.replay_at = (i + 1 < self.replay.len()).then_some(i);
                self.dirty.policies = true;
                self.dirty.iterations = true;
                true
            }
            Msg::Live => {
                self.replay_at = None;
                self.dirty.policies = true;
                self.dirty.iterations = true;
                true
            }
            Msg::EditPreferences(p) => {
                self.config.custom = Some(p);
                self.config_changed(ctx)
            }
            Msg::ResetPreferences => {
                self.config.custom = None;
                self.config_changed(ctx)
            }
            Msg::DismissNotice => {
                self.notice = None;
                true
            }
            Msg::InjectFault(text) => {
                if let Some(fault) = super::protocol::Fault::parse(&text) {
                    self.send(ToWorker::Fault(fault));
                }
                false
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        self.view_page(ctx)
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first_render: bool) {
        let had_first_chart = self.perf.first_chart_ms.is_some();
        self.draw();
        if let Some(started) = self.perf.frame_started.take() {
            let spent = now_ms() - started;
            self.perf.frame_ms = Some(self.perf.frame_ms.map_or(spent, |a| 0.9 * a + 0.1 * spent));
        }
        if !had_first_chart && self.perf.first_chart_ms.is_some() {
            ctx.link().send_message(Msg::Perf);
        }
    }
}
