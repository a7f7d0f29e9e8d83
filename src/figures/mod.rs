//! The figures: one `FigurePanel` component frames each (title, caption, key, PNG and SVG
//! buttons, canvases), one module draws each, and this module draws the canvases whose data
//! changed and writes a figure as a standalone SVG document.

mod backend;
mod key;
mod opponents;
mod panels;
mod phase;
mod policies;
mod sweep;
mod win_rates;

use crate::platform::now_ms;
use crate::transfer;
pub use backend::Series;
use backend::{Surface, SERIES_BOUND, SERIES_GAME, SERIES_HALF, SERIES_NLHF, SERIES_RLHF};
use backend::{SERIES_BEST, SERIES_CEILING, SERIES_UNIFORM, SERIES_WIDER};
pub use panels::{figures, FiguresProps, PhaseAction, SweepAction, SweepProgress};
use ualign::config::{Config, View};
use ualign::page::perf::FrameStats;
use ualign::page::run_state::{Dirty, RunState};
use ualign::page::text;
use ualign::solver_loop::PHASE_COLUMNS;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

/// The four figures, and the phase map.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Figure {
    Policies,
    WinRates,
    Sweep,
    Opponents,
    Phase,
}

/// A download of a figure.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    Png,
    Svg,
}

impl Figure {
    /// The figure's part of its download names.
    pub fn file_stem(self) -> &'static str {
        match self {
            Figure::Policies => "policies",
            Figure::WinRates => "win-rates",
            Figure::Sweep => "win-rate-vs-k",
            Figure::Opponents => "opponents",
            Figure::Phase => "phase-map",
        }
    }

    /// The `data-testid` of its panel (`view-...`) and of its buttons (`png-...`, `svg-...`).
    fn ids(self) -> (&'static str, &'static str) {
        match self {
            Figure::Policies => ("view-policies", "policies"),
            Figure::WinRates => ("view-win-rates", "winrates"),
            Figure::Sweep => ("view-sweep", "sweep"),
            Figure::Opponents => ("view-opponents", "opponents"),
            Figure::Phase => ("view-phase", "phase"),
        }
    }

    /// Whether the view setting shows this figure.
    pub fn shown_in(self, view: View) -> bool {
        matches!(
            (view, self),
            (
                View::All,
                Figure::Policies | Figure::WinRates | Figure::Sweep | Figure::Opponents
            ) | (View::Policies, Figure::Policies)
                | (View::WinRates, Figure::WinRates)
                | (View::Sweep, Figure::Sweep)
                | (View::Opponents, Figure::Opponents)
                | (View::Phase, Figure::Phase)
        )
    }

    /// The figure's title and key: shown in HTML on the page and drawn into its SVG export.
    pub fn key(self, config: &Config) -> (String, Vec<(Series, String)>) {
        let k = config.k;
        let m = config.players();
        let s = |t: &str| t.to_string();
        match self {
            Figure::Policies => (
                text::policies_title(m),
                vec![
                    (SERIES_NLHF, s(text::KEY_NLHF_GAME)),
                    (SERIES_GAME, text::key_game(m)),
                ],
            ),
            Figure::WinRates => (
                text::win_rates_title(k),
                vec![
                    (SERIES_NLHF, s(text::NLHF)),
                    (SERIES_GAME, text::key_game_short(m)),
                    (SERIES_BOUND, s(text::KEY_BOUND)),
                    (SERIES_HALF, s(text::KEY_HALF)),
                ],
            ),
            Figure::Sweep => (
                s(text::SWEEP_TITLE),
                vec![
                    (SERIES_GAME, s(text::KEY_SWEEP_GAME)),
                    (SERIES_NLHF, s(text::NLHF)),
                    (SERIES_RLHF, s(text::KEY_RLHF)),
                    (SERIES_UNIFORM, s(text::KEY_UNIFORM)),
                    (SERIES_BOUND, s(text::KEY_BEST_POSSIBLE)),
                ],
            ),
            Figure::Opponents => (
                text::opponents_title(k),
                vec![
                    (SERIES_GAME, text::key_game_short(m)),
                    (SERIES_NLHF, s(text::NLHF)),
                    (SERIES_WIDER, s(text::KEY_WIDER)),
                    (SERIES_BEST, s(text::KEY_BEST_FOUND)),
                    (SERIES_BOUND, s(text::KEY_GUARANTEE)),
                    (SERIES_CEILING, s(text::KEY_CEILING)),
                ],
            ),
            Figure::Phase => (
                text::phase_title(config.phase),
                vec![(SERIES_BOUND, s(text::KEY_BOUNDARY))],
            ),
        }
    }
}

/// The charts: one per canvas (the win-rates figure has two panels).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Chart {
    Policies,
    WinRates,
    Exploitability,
    Sweep,
    Opponents,
    Phase,
}

/// The canvases of the figures, made once by the page.
#[derive(Default, Clone, PartialEq)]
pub struct Canvases {
    pub policies: NodeRef,
    pub win_rates: NodeRef,
    pub exploitability: NodeRef,
    pub sweep: NodeRef,
    pub opponents: NodeRef,
    pub phase: NodeRef,
}

impl Canvases {
    fn of(&self, figure: Figure) -> Vec<(Chart, &NodeRef)> {
        match figure {
            Figure::Policies => vec![(Chart::Policies, &self.policies)],
            Figure::WinRates => vec![
                (Chart::WinRates, &self.win_rates),
                (Chart::Exploitability, &self.exploitability),
            ],
            Figure::Sweep => vec![(Chart::Sweep, &self.sweep)],
            Figure::Opponents => vec![(Chart::Opponents, &self.opponents)],
            Figure::Phase => vec![(Chart::Phase, &self.phase)],
        }
    }

    /// The laid-out canvases of a figure (a hidden one has nothing to add to a PNG).
    pub fn shown(&self, figure: Figure) -> Vec<HtmlCanvasElement> {
        self.of(figure)
            .into_iter()
            .filter_map(|(_, node)| node.cast::<HtmlCanvasElement>())
            .filter(|c| c.client_height() > 0)
            .collect()
    }
}

/// Where a figure's flag is in `Dirty`.
type DirtyFlag = fn(&mut Dirty) -> &mut bool;

/// Longest stretch of drawing in one frame (ms); one figure is always drawn.
const DRAW_BUDGET_MS: f64 = 8.0;

/// The figures' canvases, and the animation frame that draws what a frame's budget left.
pub struct Painter {
    pub canvases: Canvases,
    redraw: Option<gloo_render::AnimationFrame>,
    on_redraw: Callback<()>,
}

impl Painter {
    /// `on_redraw` is called on the frame after one that left figures to draw.
    pub fn new(on_redraw: Callback<()>) -> Self {
        Painter {
            canvases: Canvases::default(),
            redraw: None,
            on_redraw,
        }
    }

    /// Draws the figures in `dirty` within a frame's drawing budget, leaving the rest in it
    /// for the next animation frame. True when the first chart appeared.
    pub fn paint(
        &mut self,
        data: &FigureData<'_>,
        dirty: &mut Dirty,
        perf: &mut FrameStats,
    ) -> bool {
        let started = now_ms();
        let moving = dirty.policies || dirty.iterations;
        let more_time = || now_ms() - started < DRAW_BUDGET_MS;
        let (rest, drew) = data.draw_dirty(&self.canvases, std::mem::take(dirty), more_time);
        if moving {
            perf.drew(now_ms() - started);
        }
        *dirty = rest;
        self.redraw = (rest != Dirty::default()).then(|| {
            let on_redraw = self.on_redraw.clone();
            gloo_render::request_animation_frame(move |_| on_redraw.emit(()))
        });
        drew && perf.first_chart(now_ms())
    }
}

/// What the figures draw from.
pub struct FigureData<'a> {
    pub run: &'a RunState,
    pub config: &'a Config,
    /// The phase map's cell under the pointer (column, k).
    pub phase_hover: Option<(usize, usize)>,
}

/// Rows of the phase map: k = 1 up to the sweep's largest k, within the map's limit.
pub fn phase_rows(config: &Config) -> usize {
    config.k_max.min(ualign::open_question::phase_map::MAX_K)
}

/// The cell of the phase map under a point of its canvas (CSS pixels), as (column, k).
pub fn phase_cell_at(
    canvas: &HtmlCanvasElement,
    config: &Config,
    x: f64,
    y: f64,
) -> Option<(usize, usize)> {
    phase::cell_at(
        f64::from(canvas.client_width()),
        f64::from(canvas.client_height()),
        config.font_scale,
        PHASE_COLUMNS,
        phase_rows(config),
        x,
        y,
    )
}

impl FigureData<'_> {
    /// Draws one chart with the current data, on a canvas or into an SVG export.
    fn draw(&self, chart: Chart, s: &Surface<'_>) -> Result<(), Box<dyn std::error::Error>> {
        let (run, c) = (self.run, self.config);
        let cursor = run.replay_cursor();
        match chart {
            Chart::Policies => match run.shown() {
                Some(snap) => policies::draw_policies(s, &run.labels, snap),
                None => Ok(()),
            },
            Chart::WinRates => {
                win_rates::draw_win_rates(s, &run.history, c.k, c.iterations, cursor)
            }
            Chart::Exploitability => {
                win_rates::draw_exploitability(s, &run.history, c.iterations, cursor)
            }
            Chart::Sweep => sweep::draw_sweep(s, &run.sweep, c.k_max, c.k),
            Chart::Opponents => opponents::draw_opponents(s, &run.opponents, c.k),
            Chart::Phase => phase::draw_phase(
                s,
                &run.phase,
                PHASE_COLUMNS,
                phase_rows(c),
                run.labels.len(),
                self.phase_hover,
            ),
        }
    }

    /// Draws the figures whose data changed, in order, until `more_time` says the frame's
    /// drawing budget is spent (one figure at least, so drawing always moves on): a long
    /// first frame with four charts would block the page. Returns the figures left to draw,
    /// and whether the policies were drawn with data (the page's first chart).
    pub fn draw_dirty(
        &self,
        canvases: &Canvases,
        mut dirty: Dirty,
        mut more_time: impl FnMut() -> bool,
    ) -> (Dirty, bool) {
        let mut drew_policies = false;
        let mut drew_any = false;
        let figures: [(DirtyFlag, Figure); 5] = [
            (|d| &mut d.policies, Figure::Policies),
            (|d| &mut d.iterations, Figure::WinRates),
            (|d| &mut d.sweep, Figure::Sweep),
            (|d| &mut d.opponents, Figure::Opponents),
            (|d| &mut d.phase, Figure::Phase),
        ];
        for (flag, figure) in figures {
            if !*flag(&mut dirty) {
                continue;
            }
            if drew_any && !more_time() {
                break;
            }
            *flag(&mut dirty) = false;
            for (chart, node) in canvases.of(figure) {
                let scale = self.config.font_scale;
                let Some(s) = node
                    .cast::<HtmlCanvasElement>()
                    .and_then(|c| Surface::canvas(&c, scale))
                else {
                    continue;
                };
                drew_any = true;
                drew_policies |= chart == Chart::Policies && self.run.shown().is_some();
                if let Err(e) = self.draw(chart, &s) {
                    web_sys::console::warn_1(&format!("drawing {chart:?}: {e}").into());
                }
            }
        }
        (dirty, drew_policies)
    }

    /// A figure as a standalone SVG document: its title and key, then its charts at their
    /// size on the page (or a default size where a chart is hidden).
    pub fn svg(&self, canvases: &Canvases, figure: Figure) -> Result<String, String> {
        let sizes: Vec<(Chart, f64, f64)> = canvases
            .of(figure)
            .iter()
            .map(|&(chart, node)| {
                let (w, h) = node
                    .cast::<HtmlCanvasElement>()
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
        let (title, mut entries) = figure.key(self.config);
        let bars = figure == Figure::Policies;
        if bars {
            entries.push((SERIES_BOUND, text::AVERAGE_ITERATE.to_string()));
        }
        let scale = self.config.font_scale;
        let key_h = key::key_height(&entries, width, scale);
        let height = key_h + sizes.iter().map(|s| s.2).sum::<f64>();
        let mut out = String::new();
        {
            let root = Surface::svg(&mut out, (width as u32, height.ceil() as u32), scale);
            let (head, mut rest) = root.split(key_h);
            key::draw_key(&head, &title, &entries, bars).map_err(|e| e.to_string())?;
            for (chart, _, h) in sizes {
                let (this, below) = rest.split(h);
                self.draw(chart, &this).map_err(|e| e.to_string())?;
                rest = below;
            }
        }
        Ok(out)
    }

    /// Downloads a figure as PNG (its canvases as drawn) or SVG (drawn again, with its key).
    pub fn download(
        &self,
        canvases: &Canvases,
        figure: Figure,
        format: Format,
    ) -> Result<(), wasm_bindgen::JsValue> {
        let stem = figure.file_stem();
        match format {
            Format::Png => transfer::png(&canvases.shown(figure), &format!("ualign-{stem}.png")),
            Format::Svg => {
                let svg = self.svg(canvases, figure)?;
                transfer::text(&svg, "image/svg+xml", &format!("ualign-{stem}.svg"))
            }
        }
    }
}

#[derive(PartialEq)]
pub struct PanelProps {
    pub figure: Figure,
    pub title: AttrValue,
    pub caption: &'static str,
    pub entries: Vec<(Series, String)>,
    pub hidden: bool,
    pub on_export: Callback<(Figure, Format)>,
    /// The canvases, and what goes with them (a progress bar, the numbers).
    pub children: Html,
}

/// One figure's frame: its heading with the downloads, its caption and key, then its content.
pub fn figure_panel(props: &PanelProps) -> Html {
    let figure = props.figure;
    let (panel_id, id) = figure.ids();
    let export = |format: Format| {
        props
            .on_export
            .reform(move |_: MouseEvent| (figure, format))
    };
    html! {
        <figure class="panel chart" data-testid={panel_id} hidden={props.hidden}>
            <figcaption>
                <div class="fig-head">
                    <h2>{ props.title.clone() }</h2>
                    <span class="downloads">
                        <button class="small" data-testid={format!("png-{id}")} title={text::PNG_TITLE}
                            onclick={export(Format::Png)}>{ text::PNG }</button>
                        <button class="small" data-testid={format!("svg-{id}")} title={text::SVG_TITLE}
                            onclick={export(Format::Svg)}>{ text::SVG }</button>
                    </span>
                </div>
                <p class="hint">{ props.caption }</p>
            </figcaption>
            if figure == Figure::Policies {
                { key::swatches(&props.entries) }
            } else {
                { key::legend(&props.entries) }
            }
            { props.children.clone() }
        </figure>
    }
}
