//! The live values above the figures: status, preset, the robust win rates, exploitability,
//! the reading in words, and the data downloads.

use crate::format::{fixed4, sci};
use crate::transfer::DataExport;
use ualign::page::text;
use ualign::protocol::RunStatus;
use ualign::session::Snapshot;
use yew::prelude::*;

/// The link and the downloads the readouts offer.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReadoutAction {
    CopyLink,
    Export(DataExport),
}

#[derive(Properties, PartialEq)]
pub struct ReadoutsProps {
    pub status: RunStatus,
    /// Stopped on the page, the worker's confirmation still to come (aria-busy).
    pub halting: bool,
    pub preset: AttrValue,
    pub custom: bool,
    pub error: Option<String>,
    pub k: usize,
    pub snapshot: Option<Snapshot>,
    pub replaying: bool,
    pub description: AttrValue,
    pub on_action: Callback<ReadoutAction>,
}

#[function_component(Readouts)]
pub fn readouts(props: &ReadoutsProps) -> Html {
    let renders = crate::platform::use_render_count();
    let act = |a: ReadoutAction| props.on_action.reform(move |_: MouseEvent| a);
    let snap = props.snapshot.as_ref();
    let bound = props.k as f64 / (props.k as f64 + 1.0);
    let num = |f: fn(&Snapshot) -> f64, fmt: fn(f64) -> String| {
        snap.map_or_else(|| text::NO_VALUE.to_string(), |s| fmt(f(s)))
    };
    let status = text::status(props.status);
    html! {
        <section class="panel readouts" aria-label={text::LIVE_VALUES} data-testid="readouts" data-renders={renders}>
            <div class="status-line">
                <span class={classes!("status", status)} data-testid="status"
                    aria-busy={props.halting.to_string()}>{ status }</span>
                <span class="preset-id">
                    { text::preset_of(props.custom) }
                    <code data-testid="preset">{ props.preset.clone() }</code>
                </span>
                <button class="small" data-testid="copy-link" title={text::COPY_LINK_TITLE}
                    onclick={act(ReadoutAction::CopyLink)}>{ text::COPY_LINK }</button>
            </div>
            if let Some(e) = &props.error {
                <div class="error" role="alert" data-testid="error">{ e }</div>
            }
            <dl class="stats">
                <div><dt>{ text::ITERATION }</dt>
                    <dd data-testid="iteration">{ snap.map_or(0, |s| s.iteration) }</dd></div>
                <div class="nlhf"><dt>{ "W" }<sub>{ "k" }</sub>{ text::OF_NLHF_ITERATE }</dt>
                    <dd data-testid="win-rate-nlhf">{ num(|s| s.nlhf.robust_win_rate, fixed4) }</dd></div>
                <div class="nlhf"><dt>{ "W" }<sub>{ "k" }</sub>{ text::OF_MAXIMAL_LOTTERY }</dt>
                    <dd data-testid="win-rate-nlhf-exact">{ num(|s| s.nlhf.exact_robust_win_rate, fixed4) }</dd></div>
                <div class="game"><dt>{ "W" }<sub>{ "k" }</sub>{ text::OF_GAME_ITERATE }</dt>
                    <dd data-testid="win-rate-game">{ num(|s| s.game.robust_win_rate, fixed4) }</dd></div>
                <div class="game"><dt>{ "W" }<sub>{ "k" }</sub>{ snap.map_or_else(|| text::OF_EQUILIBRIUM.to_string(), |s| text::of_equilibrium(s.game.exact_exploitability)) }</dt>
                    <dd data-testid="win-rate-game-exact">{ num(|s| s.game.exact_robust_win_rate, fixed4) }</dd></div>
                <div><dt>{ "k/(k+1)" }</dt><dd data-testid="bound">{ fixed4(bound) }</dd></div>
                <div class="game"><dt>{ text::EXPLOITABILITY_GAME }</dt>
                    <dd data-testid="exploitability-game">{ num(|s| s.game.exploitability, sci) }</dd></div>
                <div class="nlhf"><dt>{ text::EXPLOITABILITY_NLHF }</dt>
                    <dd data-testid="exploitability-nlhf">{ num(|s| s.nlhf.exploitability, sci) }</dd></div>
            </dl>
            <p class="reading" data-testid="reading"
                aria-live={if props.status == RunStatus::Running { "off" } else { "polite" }}>
                if props.replaying {
                    <strong>{ text::REPLAYING }</strong>
                    { text::READING_OF_NEWEST }
                }
                { props.description.clone() }
            </p>
            <div class="exports" role="group" aria-label={text::DOWNLOAD_DATA}>
                <span class="hint">{ text::DOWNLOAD }</span>
                <button class="small" data-testid="export-iterations"
                    onclick={act(ReadoutAction::Export(DataExport::HistoryCsv))}>{ text::ITERATIONS_CSV }</button>
                <button class="small" data-testid="export-sweep"
                    onclick={act(ReadoutAction::Export(DataExport::SweepCsv))}>{ text::SWEEP_CSV }</button>
                <button class="small" data-testid="export-json"
                    onclick={act(ReadoutAction::Export(DataExport::Json))}>{ text::EVERYTHING_JSON }</button>
            </div>
        </section>
    }
}
