//! The four figure panels as the page shows them: each figure's canvases in its frame, the
//! sweep's progress with Stop and Continue, and the policies as numbers.

use super::{figure_panel, Canvases, Figure, Format, PanelProps};
use crate::format::fixed4;
use ualign::config::Config;
use ualign::open_question::phase_map::Family;
use ualign::page::run_state::PhaseState;
use ualign::page::text;
use yew::prelude::*;

/// The sweep over k as its progress bar shows it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct SweepProgress {
    pub done: usize,
    pub total: usize,
    pub stopped: bool,
}

/// What the pointer does on the phase map, and its columns' choice.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum PhaseAction {
    /// The cell under the pointer (column, k), or none.
    Hover(Option<(usize, usize)>),
    /// Open the configuration of a cell.
    Open(usize, usize),
    /// Other columns.
    Family(Family),
}

/// What the sweep's buttons ask.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SweepAction {
    /// Halt the sweep and the run.
    Stop,
    /// Continue the halted sweep.
    Continue,
}

#[derive(PartialEq)]
pub struct FiguresProps {
    pub config: Config,
    pub labels: Vec<String>,
    /// The shown snapshot's policies (NLHF, game), when there is one.
    pub policies: Option<(Vec<f64>, Vec<f64>)>,
    pub sweep: SweepProgress,
    /// The opponent curve's rows (for the reading under its figure).
    pub opponents: Vec<ualign::session::OpponentRow>,
    pub canvases: Canvases,
    /// The phase map so far (only while it is shown), the cell under the pointer, and how
    /// many voter types the preferences have (for its columns' choice).
    pub phase: PhaseState,
    pub phase_hover: Option<(usize, usize)>,
    pub voter_types: usize,
    pub on_export: Callback<(Figure, Format)>,
    pub on_sweep: Callback<SweepAction>,
    pub on_phase: Callback<PhaseAction>,
}

/// The phase map's panel content: its columns' choice, progress, canvas and preview.
fn phase_content(props: &FiguresProps) -> Html {
    let c = &props.config;
    let p = &props.phase;
    let config = c.clone();
    let at = move |e: &MouseEvent| {
        let canvas: web_sys::HtmlCanvasElement = e.target_unchecked_into();
        super::phase_cell_at(
            &canvas,
            &config,
            f64::from(e.offset_x()),
            f64::from(e.offset_y()),
        )
    };
    let hover = {
        let at = at.clone();
        props
            .on_phase
            .reform(move |e: MouseEvent| PhaseAction::Hover(at(&e)))
    };
    let open = {
        let on = props.on_phase.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some((col, k)) = at(&e) {
                on.emit(PhaseAction::Open(col, k));
            }
        })
    };
    let families: Vec<Family> = std::iter::once(Family::TwoResponses)
        .chain((0..props.voter_types.min(12)).map(|voter| Family::Weight { voter }))
        .collect();
    let on_family = {
        let families = families.clone();
        props.on_phase.reform(move |e: Event| {
            let i: usize = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value()
                .parse()
                .unwrap_or(0);
            PhaseAction::Family(families.get(i).copied().unwrap_or(Family::TwoResponses))
        })
    };
    let preview = props.phase_hover.and_then(|(col, k)| {
        p.cells
            .iter()
            .find(|cell| cell.column == col && cell.k == k)
    });
    html! {
        <>
        <div class="field inline">
            <label for="phase-family">{ text::PHASE_COLUMNS_LABEL }</label>
            <select id="phase-family" data-testid="phase-family" onchange={on_family}>
                { for families.iter().enumerate().map(|(i, f)| html! {
                    <option value={i.to_string()} selected={*f == c.phase}>{ match f {
                        Family::TwoResponses => text::PHASE_TWO_RESPONSES.to_string(),
                        Family::Weight { voter } => text::phase_voter_option(*voter),
                    } }</option>
                }) }
            </select>
            if p.total > 0 && p.done < p.total {
                <span class="hint" data-testid="phase-progress">{ text::phase_progress(p.done, p.total) }</span>
            }
        </div>
        <canvas ref={props.canvases.phase.clone()} data-testid="chart-phase" role="img"
            aria-label={text::PHASE_ALT} class="tall" data-cells={p.done.to_string()} onmousemove={hover}
            onmouseleave={props.on_phase.reform(|_: MouseEvent| PhaseAction::Hover(None))}
            onclick={open} />
        <p class="hint" data-testid="phase-preview" aria-live="polite">{
            preview.map(|cell| text::phase_preview(
                &c.phase.parameter_name(), cell.parameter, cell.k, &props.labels, &cell.policy, cell.shortfall,
            )).unwrap_or_default()
        }</p>
        </>
    }
}

/// One policy as a list (an accessible alternative to the bars, and what tests read); listed
/// only once the policy belongs to these labels (a new preset's labels can arrive a frame
/// before its first snapshot).
fn policy_list(id: &'static str, labels: &[String], policy: Option<&Vec<f64>>) -> Html {
    let policy = policy.filter(|p| p.len() == labels.len());
    html! {
        <ol data-testid={id} class="policy-list">
            { for labels.iter().enumerate().filter(|_| policy.is_some()).map(|(i, l)| {
                let p = policy.and_then(|v| v.get(i)).copied().unwrap_or(f64::NAN);
                html! {
                    <li data-label={l.clone()} data-p={format!("{p}")}>
                        <span>{ l }</span><span class="num">{ fixed4(p) }</span>
                    </li>
                }
            }) }
        </ol>
    }
}

pub fn figures(props: &FiguresProps) -> Html {
    let c = &props.config;
    let n = props.labels.len().max(2);
    // Rows shrink as responses multiply, so 24 responses still fit a screen.
    let row = match n {
        0..=6 => 40,
        7..=12 => 32,
        _ => 26,
    };
    let bars_height = 40 + n * row;
    let canvases = &props.canvases;
    let panel = |figure: Figure, caption: &'static str, children: Html| {
        let (title, entries) = figure.key(c);
        figure_panel(&PanelProps {
            figure,
            title: title.into(),
            caption,
            entries,
            hidden: !figure.shown_in(c.view),
            on_export: props.on_export.clone(),
            children,
        })
    };
    let sweep = props.sweep;
    let progress = (sweep.total > 0 && sweep.done < sweep.total).then(|| {
        let on_sweep = |action| props.on_sweep.reform(move |_: MouseEvent| action);
        html! {
            <div class="progress">
                <label for="sweep-progress">{ text::sweep_progress(sweep.done, sweep.total, sweep.stopped) }</label>
                <progress id="sweep-progress" data-testid="sweep-progress"
                    max={sweep.total.to_string()} value={sweep.done.to_string()} />
                if sweep.stopped {
                    <button data-testid="sweep-continue" class="small"
                        onclick={on_sweep(SweepAction::Continue)}>{ text::CONTINUE }</button>
                } else {
                    <button data-testid="stop" class="small" title={text::SWEEP_STOP_TITLE}
                        onclick={on_sweep(SweepAction::Stop)}>{ text::STOP }</button>
                }
            </div>
        }
    });
    let (nlhf, game) = match &props.policies {
        Some((a, b)) => (Some(a), Some(b)),
        None => (None, None),
    };
    html! {
        <>
            { panel(Figure::Policies, text::POLICIES_CAPTION, html! {
                <>
                <canvas ref={canvases.policies.clone()} data-testid="chart-policies"
                    role="img" aria-label={text::POLICIES_ALT}
                    style={format!("height: {bars_height}px")} />
                <details class="numbers">
                    <summary>{ text::POLICIES_AS_NUMBERS }</summary>
                    <div class="cols">
                        <div><h3>{ text::NLHF }</h3>{ policy_list("policy-nlhf", &props.labels, nlhf) }</div>
                        <div><h3>{ text::ALIGNMENT_GAME }</h3>{ policy_list("policy-game", &props.labels, game) }</div>
                    </div>
                </details>
                </>
            }) }
            { panel(Figure::WinRates, text::WIN_RATES_CAPTION, html! {
                <>
                <canvas ref={canvases.win_rates.clone()} data-testid="chart-win-rates"
                    role="img" aria-label={text::WIN_RATES_ALT} class="tall" />
                <canvas ref={canvases.exploitability.clone()} data-testid="chart-exploitability"
                    role="img" aria-label={text::EXPLOITABILITY_ALT} class="short" />
                </>
            }) }
            { panel(Figure::Sweep, text::SWEEP_CAPTION, html! {
                <>
                { for progress }
                <canvas ref={canvases.sweep.clone()} data-testid="chart-sweep"
                    role="img" aria-label={text::SWEEP_ALT} class="tall" />
                </>
            }) }
            { panel(Figure::Phase, text::PHASE_CAPTION, phase_content(props)) }
            { panel(Figure::Opponents, text::OPPONENTS_CAPTION, html! {
                <>
                <canvas ref={canvases.opponents.clone()} data-testid="chart-opponents"
                    role="img" aria-label={text::OPPONENTS_ALT} class="tall" />
                <p class="hint" data-testid="opponents-reading">{ text::opponents_reading(
                    c.k,
                    c.players(),
                    &props.opponents.iter().map(|r| (r.l, r.game, r.k_plus_l, r.best)).collect::<Vec<_>>(),
                ) }</p>
                </>
            }) }
        </>
    }
}
