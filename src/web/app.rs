//! The page: controls, live readouts and charts; it talks to the solver worker and never runs
//! a solver step itself.

use super::bridge::Bridge;
use super::charts::{
    self, SERIES_BOUND, SERIES_GAME, SERIES_HALF, SERIES_NLHF, SERIES_RLHF, SERIES_UNIFORM,
};
use super::export;
use super::format::{fixed4, sci};
use super::legend::{legend, swatches};
use super::protocol::{FromWorker, RunStatus, ToWorker};
use crate::config::{Algorithm, Config};
use crate::presets::{presets, DEFAULT_PRESET};
use crate::session::{OpponentRow, Snapshot, StepRecord, SweepRow};
use crate::url;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

/// Largest k offered by the slider (the model allows more; the charts stay readable here).
const K_SLIDER_MAX: usize = 32;
/// Iteration cap offered by the form (DESIGN.md section 7 caps apply in the core as well).
const ITERATIONS_MAX: usize = 100_000;
/// Speeds offered: iterations per second, 0 = as fast as possible.
const SPEEDS: [(u32, &str); 4] = [(10, "10 / s"), (60, "60 / s"), (600, "600 / s"), (0, "max")];

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
    SetK(usize),
    SetPlayersAuto(bool),
    SetPlayers(usize),
    SetAlgorithm(Algorithm),
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
    /// Copy the share link to the clipboard.
    CopyLink,
    /// A file was chosen for import (read asynchronously, then `FileRead`).
    ImportFile(web_sys::File),
    FileRead {
        name: String,
        text: String,
    },
    /// Download a figure as PNG.
    ExportPng(Figure),
    /// Download the data: iteration history (CSV), the sweep over k (CSV), everything (JSON).
    ExportHistoryCsv,
    ExportSweepCsv,
    ExportJson,
    DismissNotice,
}

/// The numeric settings typed as text.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum NumField {
    StepSize,
    Iterations,
    KMax,
    Beta,
    Seed,
}

impl NumField {
    const ALL: [NumField; 5] = [
        NumField::StepSize,
        NumField::Iterations,
        NumField::KMax,
        NumField::Beta,
        NumField::Seed,
    ];

    /// The field as the configuration holds it, as text (empty: the default step size).
    fn read(self, c: &Config) -> String {
        match self {
            NumField::StepSize => c.step_size.map(|v| v.to_string()).unwrap_or_default(),
            NumField::Iterations => c.iterations.to_string(),
            NumField::KMax => c.k_max.to_string(),
            NumField::Beta => c.beta.to_string(),
            NumField::Seed => c.seed.to_string(),
        }
    }

    /// Puts typed text into a configuration; the message says what a valid entry looks like.
    fn write(self, c: &mut Config, text: &str) -> Result<(), String> {
        let text = text.trim();
        let whole = |what: &str| format!("{what} must be a whole number.");
        match self {
            NumField::StepSize if text.is_empty() => c.step_size = None,
            NumField::StepSize => {
                c.step_size = Some(text.parse().map_err(|_| {
                    "Step size must be a number; leave it empty for the default.".to_string()
                })?)
            }
            NumField::Iterations => {
                let n: usize = text.parse().map_err(|_| whole("Iterations"))?;
                if n > ITERATIONS_MAX {
                    return Err(format!(
                        "The page runs at most {ITERATIONS_MAX} iterations."
                    ));
                }
                c.iterations = n;
            }
            NumField::KMax => c.k_max = text.parse().map_err(|_| whole("The sweep's largest k"))?,
            NumField::Beta => {
                c.beta = text
                    .parse()
                    .map_err(|_| "Beta must be a number.".to_string())?
            }
            NumField::Seed => c.seed = text.parse().map_err(|_| whole("The seed"))?,
        }
        Ok(())
    }
}

/// The four figures (for PNG export).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Policies,
    WinRates,
    Sweep,
    Opponents,
}

/// Which canvases need drawing after the next render.
#[derive(Default, Clone, Copy)]
struct Dirty {
    policies: bool,
    iterations: bool,
    sweep: bool,
    opponents: bool,
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
struct Perf {
    first_chart_ms: Option<f64>,
    /// Moving average of the time spent drawing canvases in one frame.
    draw_ms: Option<f64>,
    /// Same for the whole frame: applying messages, rendering the page, drawing.
    frame_ms: Option<f64>,
    frame_started: Option<f64>,
    frames: VecDeque<f64>,
    fps: Option<f64>,
}

#[derive(Default)]
struct Canvases {
    policies: NodeRef,
    win_rates: NodeRef,
    exploitability: NodeRef,
    sweep: NodeRef,
    opponents: NodeRef,
}

pub struct App {
    bridge: Option<Bridge>,
    inbox: Rc<RefCell<Inbox>>,
    /// Calls back into the component on the next animation frame (created once).
    raf: Rc<Closure<dyn FnMut(f64)>>,
    config: Config,
    speed: u32,
    /// What is typed in each numeric field (kept as typed while it is invalid).
    texts: Vec<(NumField, String)>,
    /// Why the last edit of a numeric field was refused.
    form_error: Option<String>,
    labels: Vec<String>,
    snapshot: Option<Snapshot>,
    description: String,
    status: RunStatus,
    history: Vec<StepRecord>,
    sweep: Vec<SweepRow>,
    sweep_done: usize,
    sweep_total: usize,
    sweep_stopped: bool,
    opponents: Vec<OpponentRow>,
    error: Option<String>,
    /// A message about the link (a bad share link, or a configuration too big for one).
    notice: Option<String>,
    /// Set when the worker answered an import; the new configuration is loaded after the
    /// frame's messages are applied.
    imported: bool,
    canvases: Canvases,
    dirty: Dirty,
    perf: Perf,
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

fn bad_link_message(e: &url::UrlError) -> String {
    format!("This link could not be opened ({e}); showing the default configuration instead.")
}

fn canvas(node: &NodeRef) -> Option<HtmlCanvasElement> {
    node.cast::<HtmlCanvasElement>()
}

fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

impl App {
    /// Starts a worker if there is none (first load, or after the old one crashed) and loads
    /// the current configuration into it.
    fn load(&mut self, ctx: &Context<Self>) {
        if self.bridge.is_none() {
            self.bridge = self.spawn(ctx);
            if let Some(b) = &self.bridge {
                b.send(&ToWorker::SetSpeed(self.speed));
            }
        }
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

    fn apply(&mut self, msg: FromWorker) {
        match msg {
            FromWorker::Loaded {
                config,
                labels,
                keep_sweep,
            } => {
                self.labels = labels;
                self.history.clear();
                self.opponents.clear();
                if !keep_sweep {
                    self.sweep.clear();
                    self.sweep_done = 0;
                    self.sweep_total = config.k_max;
                }
                self.sweep_stopped = false;
                self.error = None;
                self.dirty = Dirty::all();
            }
            FromWorker::Restarted => {
                self.history.clear();
                self.dirty.iterations = true;
            }
            FromWorker::Snapshot {
                snapshot,
                description,
                status,
            } => {
                self.snapshot = Some(snapshot);
                self.description = description;
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
            FromWorker::Done | FromWorker::Ready => {}
            FromWorker::Imported { name, custom } => {
                self.config.custom = Some(custom);
                self.notice = Some(format!(
                    "Imported {name}. Choosing a preset again replaces these preferences."
                ));
                self.imported = true;
            }
            FromWorker::ImportFailed(text) => {
                self.notice = Some(format!("The file could not be read: {text}"));
            }
            FromWorker::Error(text) => {
                self.error = Some(text);
                self.status = RunStatus::Error;
            }
            FromWorker::Crashed(text) => {
                // The module aborted: this worker is gone; the next action starts a new one.
                self.bridge = None;
                self.error = Some(text);
                self.status = RunStatus::Error;
            }
        }
    }

    /// Draws the canvases whose data changed.
    fn draw(&mut self) {
        let started = now_ms();
        let dirty = std::mem::take(&mut self.dirty);
        let mut drew = false;
        let report = |what: &str, r: Result<(), Box<dyn std::error::Error>>| {
            if let Err(e) = r {
                web_sys::console::warn_1(&format!("drawing {what}: {e}").into());
            }
        };
        if dirty.policies {
            if let (Some(c), Some(snap)) = (canvas(&self.canvases.policies), &self.snapshot) {
                report("policies", charts::draw_policies(&c, &self.labels, snap));
                drew = true;
            }
        }
        if dirty.iterations {
            if let Some(c) = canvas(&self.canvases.win_rates) {
                report(
                    "win rates",
                    charts::draw_win_rates(
                        &c,
                        &self.history,
                        self.config.k,
                        self.config.iterations,
                    ),
                );
            }
            if let Some(c) = canvas(&self.canvases.exploitability) {
                report(
                    "exploitability",
                    charts::draw_exploitability(&c, &self.history, self.config.iterations),
                );
            }
        }
        if dirty.sweep {
            if let Some(c) = canvas(&self.canvases.sweep) {
                report(
                    "sweep",
                    charts::draw_sweep(&c, &self.sweep, self.config.k_max, self.config.k),
                );
            }
        }
        if dirty.opponents {
            if let Some(c) = canvas(&self.canvases.opponents) {
                report(
                    "opponents",
                    charts::draw_opponents(&c, &self.opponents, self.config.k),
                );
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

    fn config_changed(&mut self, ctx: &Context<Self>) -> bool {
        self.write_location();
        self.load(ctx);
        self.dirty = Dirty::all();
        true
    }

    /// Puts the configuration in the URL fragment (replacing the history entry, so the back
    /// button leaves the page rather than stepping through every slider move).
    fn write_location(&mut self) {
        match url::encode_checked(&self.config) {
            Ok(fragment) => {
                if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                    let _ = history.replace_state_with_url(
                        &JsValue::NULL,
                        "",
                        Some(&format!("#{fragment}")),
                    );
                }
            }
            Err(e) => self.notice = Some(format!("The link was not updated: {e}")),
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

    /// Form fields that hold text follow the configuration (after a link was opened).
    fn sync_form(&mut self) {
        self.texts = NumField::ALL
            .iter()
            .map(|f| (*f, f.read(&self.config)))
            .collect();
        self.form_error = None;
    }

    fn text(&self, field: NumField) -> String {
        self.texts
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    }

    /// A labelled numeric input bound to one configuration field.
    fn number_input(
        &self,
        ctx: &Context<Self>,
        field: NumField,
        id: &'static str,
        label: &'static str,
        placeholder: String,
    ) -> Html {
        html! {
            <div class="field">
                <label for={id}>{ label }</label>
                <input id={id} data-testid={id} type="text" inputmode="decimal"
                    value={self.text(field)} placeholder={placeholder}
                    aria-invalid={self.form_error.is_some().to_string()}
                    onchange={ctx.link().callback(move |e: Event| Msg::SetNumber(field, input_value(&e)))} />
            </div>
        }
    }

    /// Play, pause, step, restart and the speed: first in the side bar, always in reach.
    fn view_run(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let running = self.status == RunStatus::Running;
        html! {
            <section class="panel run" aria-label="Run">
                <div class="field">
                    <label for="speed-select">{ "Speed" }</label>
                    <select id="speed-select" data-testid="speed-select"
                        onchange={link.callback(|e: Event| Msg::SetSpeed(select_value(&e).parse().unwrap_or(60)))}>
                        { for SPEEDS.iter().map(|(v, name)| html! {
                            <option value={v.to_string()} selected={*v == self.speed}>{ *name }</option>
                        }) }
                    </select>
                </div>
                <div class="buttons" role="group" aria-label="Run controls">
                    <button data-testid="play" class="primary" disabled={running}
                        onclick={link.callback(|_| Msg::Play)}>{ "▶ Play" }</button>
                    <button data-testid="pause" disabled={!running}
                        onclick={link.callback(|_| Msg::Pause)}>{ "❚❚ Pause" }</button>
                    <button data-testid="step" onclick={link.callback(|_| Msg::Step)}>{ "Step" }</button>
                    <button data-testid="restart" onclick={link.callback(|_| Msg::Restart)}>{ "↺ Restart" }</button>
                </div>
                <p class="hint keys">{ "Keys: space plays or pauses, → steps, r restarts." }</p>
            </section>
        }
    }

    fn view_controls(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let cfg = &self.config;
        let preset = presets().iter().find(|p| p.id == cfg.preset);
        let players = cfg.players();
        let auto_players = cfg.players.is_none();
        let default_step = cfg.step_size_for(players);
        html! {
            <section class="panel controls" aria-label="Configuration" data-testid="view-controls">
                <div class="field">
                    <label for="preset-select">{ "Preferences" }</label>
                    <select id="preset-select" data-testid="preset-select"
                        onchange={link.callback(|e: Event| Msg::SetPreset(select_value(&e)))}>
                        if cfg.custom.is_some() {
                            <option value="" selected=true disabled=true>{ "Custom preferences" }</option>
                        }
                        { for presets().iter().map(|p| html! {
                            <option value={p.id} selected={cfg.custom.is_none() && p.id == cfg.preset}>{ p.title }</option>
                        }) }
                    </select>
                    if let Some(p) = preset {
                        <p class="hint">{ p.description }</p>
                        if !p.citation.is_empty() {
                            <p class="citation" data-testid="citation">{ "Data: " }{ p.citation }</p>
                        }
                    }
                </div>
                <div class="field">
                    <label for="import-file">{ "Or import a file" }</label>
                    <input id="import-file" data-testid="import-file" type="file"
                        accept=".soc,.soi,.toc,.toi,.csv"
                        onchange={link.batch_callback(|e: Event| {
                            let input = e.target_unchecked_into::<HtmlInputElement>();
                            let file = input.files().and_then(|f| f.get(0));
                            // Clear the input so choosing the same file again re-imports it.
                            input.set_value("");
                            file.map(Msg::ImportFile)
                        })} />
                    <p class="hint">{ "PrefLib .soc, .soi, .toc, .toi; CSV matrix or left,right,winner comparisons." }</p>
                </div>
                <div class="field">
                    <label for="k-input">{ "k, responses shown to the user" }</label>
                    <div class="slider">
                        <input id="k-input" data-testid="k-input" type="range" min="1"
                            max={K_SLIDER_MAX.to_string()} value={cfg.k.to_string()}
                            aria-valuetext={format!("k = {}", cfg.k)}
                            oninput={link.callback(|e: InputEvent| {
                                Msg::SetK(input_value(&e).parse().unwrap_or(1))
                            })} />
                        <output for="k-input" data-testid="k">{ cfg.k }</output>
                    </div>
                </div>
                <div class="field">
                    <span class="label" id="players-label">{ "Players in the alignment game" }</span>
                    <label class="check">
                        <input type="checkbox" data-testid="players-auto" checked={auto_players}
                            onchange={link.callback(|e: Event| {
                                Msg::SetPlayersAuto(e.target_unchecked_into::<HtmlInputElement>().checked())
                            })} />
                        { " m = k + 1 (the paper's game)" }
                    </label>
                    <div class="slider">
                        <input id="players-input" data-testid="players-input" type="range" min="2"
                            max={(K_SLIDER_MAX + 1).to_string()} value={players.to_string()}
                            disabled={auto_players} aria-labelledby="players-label"
                            aria-valuetext={format!("m = {players}")}
                            oninput={link.callback(|e: InputEvent| {
                                Msg::SetPlayers(input_value(&e).parse().unwrap_or(2))
                            })} />
                        <output for="players-input" data-testid="players">{ players }</output>
                    </div>
                </div>
                <div class="field">
                    <label for="algorithm-select">{ "Self-play rule" }</label>
                    <select id="algorithm-select" data-testid="algorithm-select"
                        onchange={link.callback(|e: Event| {
                            Msg::SetAlgorithm(Algorithm::from_id(&select_value(&e)).unwrap_or_default())
                        })}>
                        { for Algorithm::ALL.iter().map(|a| html! {
                            <option value={a.id()} selected={*a == cfg.algorithm}>{ a.title() }</option>
                        }) }
                    </select>
                </div>
                <div class="row2">
                    { self.number_input(ctx, NumField::StepSize, "step-input", "Step size", format!("auto ({default_step})")) }
                    { self.number_input(ctx, NumField::Iterations, "iterations-input", "Iterations", String::new()) }
                </div>
                <details class="more">
                    <summary>{ "More settings" }</summary>
                    <div class="row2">
                        { self.number_input(ctx, NumField::KMax, "kmax-input", "Sweep up to k", String::new()) }
                        { self.number_input(ctx, NumField::Beta, "beta-input", "RLHF β (KL)", String::new()) }
                    </div>
                    { self.number_input(ctx, NumField::Seed, "seed-input", "Seed (random presets)", String::new()) }
                </details>
                if let Some(msg) = &self.form_error {
                    <p class="field-error" role="alert">{ msg }</p>
                }
            </section>
        }
    }

    fn view_readouts(&self, ctx: &Context<Self>) -> Html {
        let cfg = &self.config;
        let snap = self.snapshot.as_ref();
        let bound = cfg.k as f64 / (cfg.k as f64 + 1.0);
        let num = |f: fn(&Snapshot) -> f64, fmt: fn(f64) -> String| {
            snap.map_or_else(|| "–".to_string(), |s| fmt(f(s)))
        };
        html! {
            <section class="panel readouts" aria-label="Live values">
                <div class="status-line">
                    <span class={classes!("status", self.status.as_str())} data-testid="status">
                        { self.status.as_str() }
                    </span>
                    <span class="preset-id">
                        { if cfg.custom.is_some() { "custom preferences, from preset " } else { "preset " } }
                        <code data-testid="preset">{ &cfg.preset }</code>
                    </span>
                    <button class="small" data-testid="copy-link" title="Copy a link that opens this exact configuration"
                        onclick={ctx.link().callback(|_| Msg::CopyLink)}>{ "Copy link" }</button>
                </div>
                if let Some(e) = &self.error {
                    <div class="error" role="alert" data-testid="error">{ e }</div>
                }
                <dl class="stats">
                    <div><dt>{ "iteration" }</dt>
                        <dd data-testid="iteration">{ snap.map_or(0, |s| s.iteration) }</dd></div>
                    <div class="nlhf"><dt>{ "W" }<sub>{ "k" }</sub>{ " NLHF" }</dt>
                        <dd data-testid="win-rate-nlhf">{ num(|s| s.nlhf.robust_win_rate, fixed4) }</dd></div>
                    <div class="game"><dt>{ "W" }<sub>{ "k" }</sub>{ " game" }</dt>
                        <dd data-testid="win-rate-game">{ num(|s| s.game.robust_win_rate, fixed4) }</dd></div>
                    <div><dt>{ "k/(k+1)" }</dt><dd data-testid="bound">{ fixed4(bound) }</dd></div>
                    <div class="game"><dt>{ "exploitability, game" }</dt>
                        <dd data-testid="exploitability-game">{ num(|s| s.game.exploitability, sci) }</dd></div>
                    <div class="nlhf"><dt>{ "exploitability, NLHF" }</dt>
                        <dd data-testid="exploitability-nlhf">{ num(|s| s.nlhf.exploitability, sci) }</dd></div>
                </dl>
                <p class="reading" data-testid="reading"
                    aria-live={if self.status == RunStatus::Running { "off" } else { "polite" }}>
                    { &self.description }
                </p>
                <div class="exports" role="group" aria-label="Download data">
                    <span class="hint">{ "Download:" }</span>
                    <button class="small" data-testid="export-iterations"
                        onclick={ctx.link().callback(|_| Msg::ExportHistoryCsv)}>{ "iterations CSV" }</button>
                    <button class="small" data-testid="export-sweep"
                        onclick={ctx.link().callback(|_| Msg::ExportSweepCsv)}>{ "win rate vs k CSV" }</button>
                    <button class="small" data-testid="export-json"
                        onclick={ctx.link().callback(|_| Msg::ExportJson)}>{ "everything JSON" }</button>
                </div>
            </section>
        }
    }

    /// The policies as numbers: an accessible alternative to the bars, and what tests read.
    fn view_policy_numbers(&self) -> Html {
        let list = |id: &'static str, policy: Option<&Vec<f64>>| {
            html! {
                <ol data-testid={id} class="policy-list">
                    { for self.labels.iter().enumerate().map(|(i, l)| {
                        let p = policy.and_then(|v| v.get(i)).copied().unwrap_or(f64::NAN);
                        html! {
                            <li data-label={l.clone()} data-p={format!("{p}")}>
                                <span>{ l }</span><span class="num">{ fixed4(p) }</span>
                            </li>
                        }
                    }) }
                </ol>
            }
        };
        let snap = self.snapshot.as_ref();
        html! {
            <details class="numbers">
                <summary>{ "Policies as numbers" }</summary>
                <div class="cols">
                    <div><h3>{ "NLHF" }</h3>{ list("policy-nlhf", snap.map(|s| &s.nlhf.policy)) }</div>
                    <div><h3>{ "Alignment game" }</h3>{ list("policy-game", snap.map(|s| &s.game.policy)) }</div>
                </div>
            </details>
        }
    }

    /// The four figures (also the whole page in embed mode).
    fn view_figures(&self, ctx: &Context<Self>) -> Html {
        let n = self.labels.len().max(2);
        // Rows shrink as responses multiply, so 24 responses still fit a screen.
        let row = match n {
            0..=6 => 40,
            7..=12 => 32,
            _ => 26,
        };
        let bars_height = 40 + n * row;
        let sweep_running = self.sweep_total > 0 && self.sweep_done < self.sweep_total;
        let k = self.config.k;
        let m = self.config.players();
        html! {
            <>
                <figure class="panel chart" data-testid="view-policies">
                    <figcaption>
                        <div class="fig-head">
                            <h2>{ format!("Policies: NLHF versus the {m}-player game") }</h2>
                            <button class="small" data-testid="png-policies" title="Download this chart as PNG"
                                onclick={ctx.link().callback(|_| Msg::ExportPng(Figure::Policies))}>{ "PNG" }</button>
                        </div>
                        <p class="hint">{ "Current self-play iterate of each: NLHF above, the game below." }</p>
                    </figcaption>
                    { swatches(&[
                        (SERIES_NLHF, "NLHF (2-player game)".to_string()),
                        (SERIES_GAME, format!("{m}-player alignment game")),
                    ]) }
                    <canvas ref={self.canvases.policies.clone()} data-testid="chart-policies"
                        role="img" aria-label="Bar chart of both policies over the responses"
                        style={format!("height: {bars_height}px")} />
                    { self.view_policy_numbers() }
                </figure>
                <figure class="panel chart" data-testid="view-win-rates">
                    <figcaption>
                        <div class="fig-head">
                            <h2>{ format!("Robust best-of-{k} win rate over iterations") }</h2>
                            <button class="small" data-testid="png-winrates" title="Download this chart as PNG"
                                onclick={ctx.link().callback(|_| Msg::ExportPng(Figure::WinRates))}>{ "PNG" }</button>
                        </div>
                        <p class="hint">{ "Worst case over single-response opponents, for the current iterate; lower panel: exploitability in its own game (0 = equilibrium)." }</p>
                    </figcaption>
                    { legend(&[
                        (SERIES_NLHF, "NLHF".to_string()),
                        (SERIES_GAME, format!("{m}-player game")),
                        (SERIES_BOUND, "k/(k+1)".to_string()),
                        (SERIES_HALF, "1/2".to_string()),
                    ]) }
                    <canvas ref={self.canvases.win_rates.clone()} data-testid="chart-win-rates"
                        role="img" aria-label="Win rate of both policies over iterations" class="tall" />
                    <canvas ref={self.canvases.exploitability.clone()} data-testid="chart-exploitability"
                        role="img" aria-label="Exploitability over iterations, log scale" class="short" />
                </figure>
                <figure class="panel chart" data-testid="view-sweep">
                    <figcaption>
                        <div class="fig-head">
                            <h2>{ "Win rate against k" }</h2>
                            <button class="small" data-testid="png-sweep" title="Download this chart as PNG"
                                onclick={ctx.link().callback(|_| Msg::ExportPng(Figure::Sweep))}>{ "PNG" }</button>
                        </div>
                        <p class="hint">{ "Each policy sampled k times, against the worst single response. The game follows k/(k+1); NLHF plateaus." }</p>
                    </figcaption>
                    { legend(&[
                        (SERIES_GAME, "(k+1)-player game".to_string()),
                        (SERIES_NLHF, "NLHF".to_string()),
                        (SERIES_RLHF, "RLHF (Bradley-Terry)".to_string()),
                        (SERIES_UNIFORM, "best-of-k from uniform".to_string()),
                        (SERIES_BOUND, "k/(k+1), the best possible".to_string()),
                    ]) }
                    if sweep_running {
                        <div class="progress">
                            <label for="sweep-progress">
                                { if self.sweep_stopped {
                                    format!("stopped after k = {} of {}", self.sweep_done, self.sweep_total)
                                } else {
                                    format!("computing k = {} of {}", self.sweep_done + 1, self.sweep_total)
                                } }
                            </label>
                            <progress id="sweep-progress" data-testid="sweep-progress"
                                max={self.sweep_total.to_string()} value={self.sweep_done.to_string()} />
                            if self.sweep_stopped {
                                <button data-testid="sweep-continue" class="small"
                                    onclick={ctx.link().callback(|_| Msg::ContinueSweep)}>{ "Continue" }</button>
                            } else {
                                <button data-testid="stop" class="small" title="Halt the sweep and the run"
                                    onclick={ctx.link().callback(|_| Msg::Stop)}>{ "Stop" }</button>
                            }
                        </div>
                    }
                    <canvas ref={self.canvases.sweep.clone()} data-testid="chart-sweep"
                        role="img" aria-label="Robust win rate against k for NLHF, the alignment game, RLHF and best-of-k" class="tall" />
                </figure>
                <figure class="panel chart" data-testid="view-opponents">
                    <figcaption>
                        <div class="fig-head">
                            <h2>{ format!("Against an opponent that also shows ℓ responses (k = {k})") }</h2>
                            <button class="small" data-testid="png-opponents" title="Download this chart as PNG"
                                onclick={ctx.link().callback(|_| Msg::ExportPng(Figure::Opponents))}>{ "PNG" }</button>
                        </div>
                        <p class="hint">{ "Worst opponent multiset; the paper guarantees (k+1-ℓ)/(k+1) for the game's equilibrium. Hollow markers: a bound, not exact." }</p>
                    </figcaption>
                    { legend(&[
                        (SERIES_GAME, format!("{m}-player game")),
                        (SERIES_NLHF, "NLHF".to_string()),
                        (SERIES_BOUND, "guarantee (k+1-ℓ)/(k+1)".to_string()),
                    ]) }
                    <canvas ref={self.canvases.opponents.clone()} data-testid="chart-opponents"
                        role="img" aria-label="Win rate against l-output opponents" class="tall" />
                </figure>
            </>
        }
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
        // message saying what was wrong.
        let (config, notice) = match config_from_location() {
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
            let _ = window
                .add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref());
            listeners.push(on_hash);
        }
        let mut app = App {
            bridge: None,
            inbox: Rc::default(),
            raf,
            texts: NumField::ALL
                .iter()
                .map(|f| (*f, f.read(&config)))
                .collect(),
            config,
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
            imported: false,
            canvases: Canvases::default(),
            dirty: Dirty::all(),
            perf: Perf::default(),
            _listeners: listeners,
        };
        app.load(ctx);
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame(t) => {
                self.perf.frame_started = Some(now_ms());
                let messages = {
                    let mut inbox = self.inbox.borrow_mut();
                    inbox.frame_requested = false;
                    if let Some(e) = inbox.worker_error.take() {
                        self.bridge = None;
                        self.error = Some(e);
                        self.status = RunStatus::Error;
                    }
                    std::mem::take(&mut inbox.messages)
                };
                for m in messages {
                    self.apply(m);
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
                self.config_changed(ctx)
            }
            Msg::SetPlayersAuto(auto) => {
                self.config.players = if auto { None } else { Some(self.config.k + 1) };
                self.config_changed(ctx)
            }
            Msg::SetPlayers(m) => {
                self.config.players = Some(m.clamp(2, K_SLIDER_MAX + 1));
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
            Msg::SetSpeed(speed) => {
                self.speed = speed;
                self.send(ToWorker::SetSpeed(speed));
                true
            }
            Msg::Play => {
                if self.bridge.is_none() {
                    self.load(ctx);
                }
                self.send(ToWorker::Play);
                false
            }
            Msg::Pause => {
                self.send(ToWorker::Pause);
                false
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
                    self.send(ToWorker::Restart);
                }
                false
            }
            Msg::Stop => {
                self.send(ToWorker::Stop);
                self.sweep_stopped = true;
                true
            }
            Msg::ContinueSweep => {
                self.send(ToWorker::Sweep);
                self.sweep_stopped = false;
                true
            }
            Msg::Key(e) => {
                // Leave keys alone inside form fields, where they edit values.
                let in_field = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|el| {
                        matches!(
                            el.tag_name().as_str(),
                            "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON"
                        )
                    });
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
                    self.config = c;
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
                let (refs, name): (Vec<&NodeRef>, &str) = match figure {
                    Figure::Policies => (vec![&self.canvases.policies], "ualign-policies.png"),
                    Figure::WinRates => (
                        vec![&self.canvases.win_rates, &self.canvases.exploitability],
                        "ualign-win-rates.png",
                    ),
                    Figure::Sweep => (vec![&self.canvases.sweep], "ualign-win-rate-vs-k.png"),
                    Figure::Opponents => (vec![&self.canvases.opponents], "ualign-opponents.png"),
                };
                // A hidden canvas (embed mode's exploitability panel) has nothing to add.
                let canvases: Vec<HtmlCanvasElement> = refs
                    .into_iter()
                    .filter_map(canvas)
                    .filter(|c| c.client_height() > 0)
                    .collect();
                self.report_export(export::png(&canvases, name))
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
            Msg::FileRead { name, text } => {
                if self.bridge.is_none() {
                    self.load(ctx);
                }
                self.send(ToWorker::Import { name, text });
                false
            }
            Msg::DismissNotice => {
                self.notice = None;
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        if self.config.embed {
            // Embed mode (iframes in slides): the charts only, sized to the frame; the
            // keyboard still plays, pauses and steps.
            return html! {
                <main class="embed" data-testid="embed">
                    <p class="sr-only" aria-live="polite">
                        <span data-testid="status">{ self.status.as_str() }</span>{ ", iteration " }
                        <span data-testid="iteration">{ self.snapshot.as_ref().map_or(0, |s| s.iteration) }</span>
                    </p>
                    { self.view_figures(ctx) }
                </main>
            };
        }
        html! {
            <>
            <header class="top">
                <h1>{ "Asymptotic universal alignment" }</h1>
                <p class="lede">
                    { "Show the user k responses and let them pick: Nash learning from human feedback (NLHF) \
                       collapses onto one answer and wins about half the time; the (k+1)-player alignment \
                       game keeps diversity and reaches k/(k+1). After Cai and Zheng (2026)." }
                </p>
            </header>
            if let Some(text) = &self.notice {
                <div class="notice" role="status" data-testid="notice">
                    <span>{ text }</span>
                    <button class="small" aria-label="Dismiss the message"
                        onclick={ctx.link().callback(|_| Msg::DismissNotice)}>{ "✕" }</button>
                </div>
            }
            <main class="layout">
                <div class="side">
                    { self.view_run(ctx) }
                    { self.view_controls(ctx) }
                </div>
                <div class="charts">
                    { self.view_readouts(ctx) }
                    { self.view_figures(ctx) }
                </div>
            </main>
            <footer class="foot">
                <span data-testid="perf">
                    { match self.perf.first_chart_ms { Some(t) => format!("first chart {t:.0} ms"), None => String::new() } }
                    { match self.perf.fps { Some(f) => format!(" · {f:.0} fps"), None => String::new() } }
                    { match (self.perf.fps, self.perf.frame_ms, self.perf.draw_ms) {
                        (Some(_), Some(f), Some(d)) => format!(" · {f:.1} ms/frame, of which drawing {d:.1} ms"),
                        _ => String::new(),
                    } }
                </span>
                <span>{ "Cai & Zheng, Asymptotic Universal Alignment, arXiv 2601.08777 (2026)." }</span>
            </footer>
            </>
        }
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
