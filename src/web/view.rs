//! The page's HTML: run controls, configuration form, live readouts and the four figures.

use super::app::{App, Figure, Msg, FONT_SCALES, K_SLIDER_MAX, SPEEDS};
use super::charts::{
    Series, SERIES_BOUND, SERIES_GAME, SERIES_HALF, SERIES_NLHF, SERIES_RLHF, SERIES_UNIFORM,
};
use super::editor::Editor;
use super::form::NumField;
use super::format::{fixed4, sci};
use super::legend::{legend, swatches};
use super::protocol::RunStatus;
use crate::config::{Algorithm, View};
use crate::presets::presets;
use crate::session::Snapshot;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

impl App {
    /// The preference editors, folded away until asked for.
    fn view_editor(&self, ctx: &Context<Self>) -> Html {
        let Some(prefs) = &self.preferences else {
            return html! {};
        };
        html! {
            <details class="panel editor-panel" data-testid="view-editor">
                <summary><h2>{ "Edit the preferences" }</h2></summary>
                <Editor preferences={prefs.clone()} fit_residual={self.fit_residual} fit_types={self.fit_types}
                    edited={self.config.custom.is_some()}
                    on_change={ctx.link().callback(Msg::EditPreferences)}
                    on_reset={ctx.link().callback(|()| Msg::ResetPreferences)} />
            </details>
        }
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
                if self.replay.len() > 1 {
                    { self.view_replay(ctx) }
                }
                <p class="hint keys">{ "Keys: space plays or pauses, → steps, r restarts." }</p>
            </section>
        }
    }

    /// The replay slider: back through the kept snapshots of this run.
    fn view_replay(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let last = self.replay.len() - 1;
        let at = self.replay_at.unwrap_or(last);
        let iteration = self.replay.get(at).map_or(0, |s| s.iteration);
        let newest = self.replay.get(last).map_or(0, |s| s.iteration);
        html! {
            <div class="field replay">
                <label for="replay-input">{ "Replay" }</label>
                <div class="slider">
                    <input id="replay-input" data-testid="replay" type="range" min="0"
                        max={last.to_string()} value={at.to_string()}
                        aria-valuetext={format!("iteration {iteration} of {newest}")}
                        oninput={link.callback(|e: InputEvent| {
                            Msg::Replay(input_value(&e).parse().unwrap_or(0))
                        })} />
                    <output for="replay-input">{ iteration }</output>
                </div>
                if self.replay_at.is_some() {
                    <button class="small" data-testid="live" onclick={link.callback(|_| Msg::Live)}>
                        { format!("Back to the newest (iteration {newest})") }</button>
                }
            </div>
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
                <div class="history" role="group" aria-label="Edit history">
                    <button class="small" data-testid="undo" disabled={self.undo.is_empty()}
                        title="Undo the last change (Ctrl+Z)" onclick={link.callback(|_| Msg::Undo)}>{ "↶ Undo" }</button>
                    <button class="small" data-testid="redo" disabled={self.redo.is_empty()}
                        title="Redo (Ctrl+Shift+Z)" onclick={link.callback(|_| Msg::Redo)}>{ "↷ Redo" }</button>
                    <button class="small" data-testid="reset-defaults"
                        title="The default configuration; forgets the one saved in this browser"
                        onclick={link.callback(|_| Msg::ResetAll)}>{ "Reset to defaults" }</button>
                </div>
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
                <div class="field import" data-testid="import-area"
                    ondragover={Callback::from(|e: DragEvent| e.prevent_default())}
                    ondrop={link.batch_callback(|e: DragEvent| {
                        e.prevent_default();
                        e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)).map(Msg::ImportFile)
                    })}>
                    <label for="import-file">{ "Or import a file (or drop it here)" }</label>
                    <input id="import-file" data-testid="import-file" type="file"
                        accept=".soc,.soi,.toc,.toi,.csv,.json"
                        onchange={link.batch_callback(|e: Event| {
                            let input = e.target_unchecked_into::<HtmlInputElement>();
                            let file = input.files().and_then(|f| f.get(0));
                            // Clear the input so choosing the same file again re-imports it.
                            input.set_value("");
                            file.map(Msg::ImportFile)
                        })} />
                    <p class="hint">{ "PrefLib .soc, .soi, .toc, .toi; CSV matrix or left,right,winner comparisons; \
                        or a configuration saved with Export JSON." }</p>
                    <textarea ref={self.paste.clone()} data-testid="paste-text" rows="3"
                        aria-label="Preferences as PrefLib or CSV text"
                        placeholder="…or paste PrefLib or CSV text here" />
                    <button class="small" data-testid="paste-load"
                        onclick={link.callback(|_| Msg::ImportPasted)}>{ "Load the pasted text" }</button>
                </div>
                <div class="field">
                    <label for="k-input">{ "k, responses shown to the user" }</label>
                    <div class="slider">
                        <input id="k-input" data-testid="k-input" type="range" min="1"
                            max={K_SLIDER_MAX.to_string()} value={cfg.k.to_string()}
                            aria-valuetext={format!("k = {}", cfg.k)}
                            oninput={link.callback(|e: InputEvent| {
                                Msg::SetK(input_value(&e).parse().unwrap_or(1))
                            })}
                            onchange={link.callback(|_| Msg::Commit)} />
                        <output for="k-input" data-testid="k">{ cfg.k }</output>
                        <input class="exact" data-testid="k-exact" type="text" inputmode="numeric"
                            value={self.text(NumField::K)} placeholder="≤ 1024" title="Type any k up to 1024"
                            aria-label="k, typed (any value up to 1024)"
                            onchange={link.callback(|e: Event| Msg::SetNumber(NumField::K, input_value(&e)))} />
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
                            })}
                            onchange={link.callback(|_| Msg::Commit)} />
                        <output for="players-input" data-testid="players">{ players }</output>
                        <input class="exact" data-testid="players-exact" type="text" inputmode="numeric"
                            value={self.text(NumField::Players)} placeholder="≤ 1025" disabled={auto_players}
                            title="Type any number of players up to 1025"
                            aria-label="players, typed (any value up to 1025)"
                            onchange={link.callback(|e: Event| Msg::SetNumber(NumField::Players, input_value(&e)))} />
                    </div>
                </div>
                <div class="field">
                    <label for="view-select">{ "Show" }</label>
                    <select id="view-select" data-testid="view-select"
                        onchange={link.callback(|e: Event| Msg::SetView(View::from_id(&select_value(&e)).unwrap_or_default()))}>
                        { for View::ALL.iter().map(|v| html! {
                            <option value={v.id()} selected={*v == cfg.view}>{ v.title() }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="font-select">{ "Chart text" }</label>
                    <select id="font-select" data-testid="font-select"
                        onchange={link.callback(|e: Event| Msg::SetFontScale(select_value(&e).parse().unwrap_or(1.0)))}>
                        if !FONT_SCALES.iter().any(|(v, _)| *v == cfg.font_scale) {
                            <option value={cfg.font_scale.to_string()} selected=true>{ format!("{}×", cfg.font_scale) }</option>
                        }
                        { for FONT_SCALES.iter().map(|(v, name)| html! {
                            <option value={v.to_string()} selected={*v == cfg.font_scale}>{ *name }</option>
                        }) }
                    </select>
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
                    <p class="field-error" role="alert" data-testid="form-error">{ msg }</p>
                }
            </section>
        }
    }

    fn view_readouts(&self, ctx: &Context<Self>) -> Html {
        let cfg = &self.config;
        let snap = self.shown();
        let bound = cfg.k as f64 / (cfg.k as f64 + 1.0);
        let num = |f: fn(&Snapshot) -> f64, fmt: fn(f64) -> String| {
            snap.map_or_else(|| "–".to_string(), |s| fmt(f(s)))
        };
        html! {
            <section class="panel readouts" aria-label="Live values">
                <div class="status-line">
                    // aria-busy: stopped on the page, the worker's confirmation still to come.
                    <span class={classes!("status", self.status.as_str())} data-testid="status"
                        aria-busy={self.halting.to_string()}>
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
                    if self.replay_at.is_some() {
                        <strong>{ "Replaying an earlier iteration. " }</strong>
                        { "The reading below describes the newest one: " }
                    }
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
            // Listed only once the policy belongs to these labels (a new preset's labels
            // can arrive a frame before its first snapshot).
            let policy = policy.filter(|p| p.len() == self.labels.len());
            html! {
                <ol data-testid={id} class="policy-list">
                    { for self.labels.iter().enumerate().filter(|_| policy.is_some()).map(|(i, l)| {
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
        let snap = self.shown();
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

    /// Whether the view setting shows this figure.
    fn shows(&self, figure: Figure) -> bool {
        matches!(
            (self.config.view, figure),
            (View::All, _)
                | (View::Policies, Figure::Policies)
                | (View::WinRates, Figure::WinRates)
                | (View::Sweep, Figure::Sweep)
                | (View::Opponents, Figure::Opponents)
        )
    }

    /// One figure at full size rather than all four.
    fn single_class(&self) -> Option<&'static str> {
        (self.config.view != View::All).then_some("single")
    }

    /// A figure's title and key: shown in HTML on the page and drawn into its SVG export.
    pub(super) fn figure_key(&self, figure: Figure) -> (String, Vec<(Series, String)>) {
        let k = self.config.k;
        let m = self.config.players();
        match figure {
            Figure::Policies => (
                format!("Policies: NLHF versus the {m}-player game"),
                vec![
                    (SERIES_NLHF, "NLHF (2-player game)".to_string()),
                    (SERIES_GAME, format!("{m}-player alignment game")),
                ],
            ),
            Figure::WinRates => (
                format!("Robust best-of-{k} win rate over iterations"),
                vec![
                    (SERIES_NLHF, "NLHF".to_string()),
                    (SERIES_GAME, format!("{m}-player game")),
                    (SERIES_BOUND, "k/(k+1)".to_string()),
                    (SERIES_HALF, "1/2".to_string()),
                ],
            ),
            Figure::Sweep => (
                "Win rate against k".to_string(),
                vec![
                    (SERIES_GAME, "(k+1)-player game".to_string()),
                    (SERIES_NLHF, "NLHF".to_string()),
                    (SERIES_RLHF, "RLHF (Bradley-Terry)".to_string()),
                    (SERIES_UNIFORM, "best-of-k from uniform".to_string()),
                    (SERIES_BOUND, "k/(k+1), the best possible".to_string()),
                ],
            ),
            Figure::Opponents => (
                format!("Against an opponent that also shows ℓ responses (k = {k})"),
                vec![
                    (SERIES_GAME, format!("{m}-player game")),
                    (SERIES_NLHF, "NLHF".to_string()),
                    (SERIES_BOUND, "guarantee (k+1-ℓ)/(k+1)".to_string()),
                ],
            ),
        }
    }

    /// A figure's heading with its download buttons.
    fn figure_head(&self, ctx: &Context<Self>, figure: Figure, id: &str, title: String) -> Html {
        html! {
            <div class="fig-head">
                <h2>{ title }</h2>
                <span class="downloads">
                    <button class="small" data-testid={format!("png-{id}")} title="Download this chart as PNG"
                        onclick={ctx.link().callback(move |_| Msg::ExportPng(figure))}>{ "PNG" }</button>
                    <button class="small" data-testid={format!("svg-{id}")} title="Download this chart as SVG (vector, with its key)"
                        onclick={ctx.link().callback(move |_| Msg::ExportSvg(figure))}>{ "SVG" }</button>
                </span>
            </div>
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
        let (policies_title, policies_key) = self.figure_key(Figure::Policies);
        let (winrates_title, winrates_key) = self.figure_key(Figure::WinRates);
        let (sweep_title, sweep_key) = self.figure_key(Figure::Sweep);
        let (opponents_title, opponents_key) = self.figure_key(Figure::Opponents);
        html! {
            <>
                <figure class="panel chart" data-testid="view-policies" hidden={!self.shows(Figure::Policies)}>
                    <figcaption>
                        { self.figure_head(ctx, Figure::Policies, "policies", policies_title) }
                        <p class="hint">{ "Current self-play iterate of each: NLHF above, the game below." }</p>
                    </figcaption>
                    { swatches(&policies_key) }
                    <canvas ref={self.canvases.policies.clone()} data-testid="chart-policies"
                        role="img" aria-label="Bar chart of both policies over the responses"
                        style={format!("height: {bars_height}px")} />
                    { self.view_policy_numbers() }
                </figure>
                <figure class="panel chart" data-testid="view-win-rates" hidden={!self.shows(Figure::WinRates)}>
                    <figcaption>
                        { self.figure_head(ctx, Figure::WinRates, "winrates", winrates_title) }
                        <p class="hint">{ "Worst case over single-response opponents, for the current iterate; lower panel: exploitability in its own game (0 = equilibrium)." }</p>
                    </figcaption>
                    { legend(&winrates_key) }
                    <canvas ref={self.canvases.win_rates.clone()} data-testid="chart-win-rates"
                        role="img" aria-label="Win rate of both policies over iterations" class="tall" />
                    <canvas ref={self.canvases.exploitability.clone()} data-testid="chart-exploitability"
                        role="img" aria-label="Exploitability over iterations, log scale" class="short" />
                </figure>
                <figure class="panel chart" data-testid="view-sweep" hidden={!self.shows(Figure::Sweep)}>
                    <figcaption>
                        { self.figure_head(ctx, Figure::Sweep, "sweep", sweep_title) }
                        <p class="hint">{ "Each policy sampled k times, against the worst single response. The game follows k/(k+1); NLHF plateaus." }</p>
                    </figcaption>
                    { legend(&sweep_key) }
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
                <figure class="panel chart" data-testid="view-opponents" hidden={!self.shows(Figure::Opponents)}>
                    <figcaption>
                        { self.figure_head(ctx, Figure::Opponents, "opponents", opponents_title) }
                        <p class="hint">{ "Worst opponent multiset; the paper guarantees (k+1-ℓ)/(k+1) for the game's equilibrium. Hollow markers: a bound, not exact." }</p>
                    </figcaption>
                    { legend(&opponents_key) }
                    <canvas ref={self.canvases.opponents.clone()} data-testid="chart-opponents"
                        role="img" aria-label="Win rate against l-output opponents" class="tall" />
                </figure>
            </>
        }
    }

    /// The whole page (or the charts only, in embed mode).
    pub(super) fn view_page(&self, ctx: &Context<Self>) -> Html {
        if self.config.embed {
            // Embed mode (iframes in slides): the charts only, sized to the frame; the
            // keyboard still plays, pauses and steps.
            return html! {
                <main class={classes!("embed", self.single_class())} data-testid="embed"
                    style={format!("--font-scale: {}", self.config.font_scale)}>
                    <p class="sr-only" aria-live="polite">
                        <span data-testid="status" aria-busy={self.halting.to_string()}>{ self.status.as_str() }</span>{ ", iteration " }
                        <span data-testid="iteration">{ self.shown().map_or(0, |s| s.iteration) }</span>
                    </p>
                    { self.view_figures(ctx) }
                    <a class="open-full" data-testid="open-full" href={self.full_view_href()}
                        target="_blank" rel="noopener">{ "Open the full view ↗" }</a>
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
            if let Some(problem) = &self.link_problem {
                <div class="notice" role="status" data-testid="link-notice">
                    <span>{ format!("The link does not hold this configuration: {problem}. \
                        Export JSON saves it; import that file here to open it again.") }</span>
                    <button class="small" data-testid="link-notice-json"
                        onclick={ctx.link().callback(|_| Msg::ExportJson)}>{ "Export JSON" }</button>
                </div>
            }
            if let Some(text) = &self.notice {
                <div class="notice" role="status" data-testid="notice">
                    <span>{ text }</span>
                    <button class="small" aria-label="Dismiss the message"
                        onclick={ctx.link().callback(|_| Msg::DismissNotice)}>{ "✕" }</button>
                </div>
            }
            <main class="layout" style={format!("--font-scale: {}", self.config.font_scale)}>
                <div class="side">
                    { self.view_run(ctx) }
                    { self.view_controls(ctx) }
                </div>
                <div class={classes!("charts", self.single_class())}>
                    { self.view_readouts(ctx) }
                    { self.view_figures(ctx) }
                    { self.view_editor(ctx) }
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
}
