//! Preference editors: response labels, the pairwise matrix, and the voter population.
//!
//! The editor works on a copy of the preferences in their configuration form and hands every
//! accepted edit to the page, which loads it as custom preferences. Invalid entries are refused
//! with a message and never reach the configuration.

use crate::config::{CustomPreferences, VoterSpec};
use crate::model::RawRanking;
use crate::ranking_edit::{self, Placement};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, PointerEvent};
use yew::prelude::*;

/// Voter types listed at once; the rest stay as they are (and are counted).
const SHOWN_TYPES: usize = 40;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub preferences: Rc<CustomPreferences>,
    /// Largest residual of the population fitted to a matrix, shown beside the matrix.
    pub fit_residual: Option<f64>,
    /// Voter types in that fitted population.
    pub fit_types: Option<usize>,
    /// Whether these are edited preferences (then "back to the preset" is offered).
    pub edited: bool,
    pub on_change: Callback<CustomPreferences>,
    pub on_reset: Callback<()>,
}

pub enum Msg {
    Label(usize, String),
    /// Cell (i, j) of the matrix; (j, i) becomes its complement.
    Cell(usize, usize, String),
    Weight(usize, String),
    /// Move a response one place earlier (-1) or later (+1) in voter type v's ranking.
    Move {
        voter: usize,
        response: usize,
        by: i8,
    },
    /// A drag ends: `response` dropped on `target` in voter type v's ranking.
    Place {
        voter: usize,
        response: usize,
        target: usize,
        placement: Placement,
    },
    /// Tie class `class` of voter type v's ranking with the next class.
    Tie {
        voter: usize,
        class: usize,
    },
    /// Break the tie in class `class` before its `at`-th response.
    Untie {
        voter: usize,
        class: usize,
        at: usize,
    },
    AddResponse,
    RemoveResponse(usize),
    RemoveVoter(usize),
    DuplicateVoter(usize),
    AddVoter,
    /// Drag of a response chip (pointer events, so mouse, pen and touch all work): start,
    /// the drop spot under the pointer, release, cancel.
    DragStart {
        voter: usize,
        response: usize,
    },
    DragOver(Option<(usize, usize, Placement)>),
    DragEnd,
    DragCancel,
}

/// A response being dragged, and where it would land.
struct Drag {
    voter: usize,
    response: usize,
    over: Option<(usize, Placement)>,
}

/// What a population implies head to head: its pairwise matrix and Condorcet winner.
struct Summary {
    rows: Vec<Vec<f64>>,
    condorcet: Option<usize>,
}

/// Responses up to which the population's pairwise matrix is shown as a table.
const SHOWN_MATRIX: usize = 16;

fn summarize(prefs: &CustomPreferences) -> Option<Summary> {
    if !matches!(prefs, CustomPreferences::Population { .. }) {
        return None;
    }
    let pairwise = prefs.build().ok()?.pairwise();
    Some(Summary {
        rows: pairwise.rows(),
        condorcet: pairwise.condorcet_winner(),
    })
}

/// The drop spot under a pointer: the chip there (voter type, response) and which part of it,
/// left third before, right third after, the middle a tie.
fn drop_spot(e: &PointerEvent) -> Option<(usize, usize, Placement)> {
    let doc = web_sys::window()?.document()?;
    let (x, y) = (e.client_x() as f32, e.client_y() as f32);
    let chip = doc
        .element_from_point(x, y)?
        .closest("[data-drop]")
        .ok()??;
    let voter = chip.get_attribute("data-voter")?.parse().ok()?;
    let response = chip.get_attribute("data-response")?.parse().ok()?;
    let rect = chip.get_bounding_client_rect();
    let at = (f64::from(x) - rect.left()) / rect.width().max(1.0);
    let placement = if at < 0.3 {
        Placement::Before
    } else if at > 0.7 {
        Placement::After
    } else {
        Placement::Tie
    };
    Some((voter, response, placement))
}

pub struct Editor {
    error: Option<String>,
    /// The matrix cell whose entry was refused: the message is shown beside it.
    error_cell: Option<(usize, usize)>,
    drag: Option<Drag>,
    summary: Option<Summary>,
}

fn value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

/// A cell's colour on a diverging, colour-blind-safe scale (ColorBrewer PuOr) centred on 1/2:
/// purple when the row's response is preferred, orange when the column's, white at 1/2.
fn cell_colour(v: f64) -> String {
    let a = ((v - 0.5).abs() * 1.2).min(0.6);
    let rgb = if v >= 0.5 { "94,60,153" } else { "230,97,1" };
    format!("background-color: rgba({rgb},{a:.3})")
}

/// Keys in a matrix cell: arrows move between cells (left and right once the caret is at the
/// edge of the text), Escape puts back the value shown before the edit (Tab works natively).
fn cell_key(e: &KeyboardEvent, i: usize, j: usize, n: usize, shown: &str) {
    let input: HtmlInputElement = e.target_unchecked_into();
    let caret = input.selection_start().ok().flatten().unwrap_or(0) as usize;
    let (di, dj): (isize, isize) = match e.key().as_str() {
        "Escape" => {
            input.set_value(shown);
            return;
        }
        "ArrowUp" => (-1, 0),
        "ArrowDown" => (1, 0),
        "ArrowLeft" if caret == 0 => (0, -1),
        "ArrowRight" if caret >= input.value().chars().count() => (0, 1),
        _ => return,
    };
    let (mut r, mut c) = (i as isize + di, j as isize + dj);
    if r == c {
        // Step over the diagonal, which has no input.
        r += di;
        c += dj;
    }
    let n = n as isize;
    if r < 0 || c < 0 || r >= n || c >= n {
        return;
    }
    let next = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!("[data-testid=\"cell-{r}-{c}\"]"))
                .ok()
                .flatten()
        })
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = next {
        e.prevent_default();
        let _ = el.focus();
    }
}

impl Editor {
    /// Applies an edit to a copy of the preferences; Err is the message for the user.
    fn edit(&self, prefs: &CustomPreferences, msg: Msg) -> Result<CustomPreferences, String> {
        let mut p = prefs.clone();
        match (&mut p, msg) {
            (
                CustomPreferences::Population { labels, .. }
                | CustomPreferences::Matrix { labels, .. },
                Msg::Label(i, text),
            ) => {
                let text = text.trim().to_string();
                if text.is_empty() {
                    return Err("A response needs a label.".into());
                }
                if labels.iter().enumerate().any(|(j, l)| j != i && *l == text) {
                    return Err(format!("Another response is already called {text}."));
                }
                if let Some(l) = labels.get_mut(i) {
                    *l = text;
                }
            }
            (CustomPreferences::Matrix { rows, .. }, Msg::Cell(i, j, text)) => {
                let v: f64 = text
                    .trim()
                    .parse()
                    .map_err(|_| format!("P[{}][{}] must be a number.", i + 1, j + 1))?;
                if !(0.0..=1.0).contains(&v) {
                    return Err(format!(
                        "P[{}][{}] = {v} is not a probability (0 to 1).",
                        i + 1,
                        j + 1
                    ));
                }
                rows[i][j] = v;
                rows[j][i] = 1.0 - v;
            }
            (CustomPreferences::Population { voters, .. }, Msg::Weight(v, text)) => {
                let w: f64 = text
                    .trim()
                    .parse()
                    .map_err(|_| "A weight must be a number.".to_string())?;
                if !w.is_finite() || w < 0.0 {
                    return Err(format!("Weight {w} is not allowed: use 0 or more."));
                }
                if voters
                    .iter()
                    .enumerate()
                    .all(|(u, s)| if u == v { w == 0.0 } else { s.weight == 0.0 })
                {
                    return Err("At least one voter type needs a positive weight.".into());
                }
                voters[v].weight = w;
            }
            (
                CustomPreferences::Population { voters, .. },
                Msg::Move {
                    voter,
                    response,
                    by,
                },
            ) => {
                ranking_edit::step(&mut voters[voter].ranking, response, by);
            }
            (
                CustomPreferences::Population { voters, .. },
                Msg::Place {
                    voter,
                    response,
                    target,
                    placement,
                },
            ) => {
                ranking_edit::place(&mut voters[voter].ranking, response, target, placement);
            }
            (CustomPreferences::Population { voters, .. }, Msg::Tie { voter, class }) => {
                ranking_edit::tie_with_next(&mut voters[voter].ranking, class);
            }
            (CustomPreferences::Population { voters, .. }, Msg::Untie { voter, class, at }) => {
                ranking_edit::untie(&mut voters[voter].ranking, class, at);
            }
            (CustomPreferences::Population { voters, .. }, Msg::DuplicateVoter(v)) => {
                let copy = voters[v].clone();
                voters.insert(v + 1, copy);
            }
            (CustomPreferences::Population { voters, .. }, Msg::RemoveVoter(v)) => {
                if voters.len() == 1 {
                    return Err("The population needs at least one voter type.".into());
                }
                voters.remove(v);
                if voters.iter().all(|s| s.weight == 0.0) {
                    return Err("At least one voter type needs a positive weight.".into());
                }
            }
            (CustomPreferences::Population { labels, voters }, Msg::AddVoter) => {
                voters.push(VoterSpec {
                    weight: 1.0,
                    ranking: RawRanking((0..labels.len()).map(|y| vec![y]).collect()),
                });
            }
            (prefs, Msg::AddResponse) => prefs.add_response().map_err(|e| e.to_string())?,
            (prefs, Msg::RemoveResponse(i)) => {
                prefs.remove_response(i).map_err(|e| e.to_string())?
            }
            _ => return Err("That edit does not apply to these preferences.".into()),
        }
        // The same checks the worker makes, so a refused edit never leaves the editor.
        p.build().map_err(|e| e.to_string())?;
        Ok(p)
    }

    fn view_labels(&self, ctx: &Context<Self>, labels: &[String]) -> Html {
        html! {
            <fieldset class="labels">
                <legend>{ "Labels" }</legend>
                { for labels.iter().enumerate().map(|(i, l)| html! {
                    <span class="label-edit">
                        <input type="text" value={l.clone()} aria-label={format!("label of response {}", i + 1)}
                            data-testid={format!("label-{i}")}
                            onchange={ctx.link().callback(move |e: Event| Msg::Label(i, value(&e)))} />
                        <button class="small remove-response" data-testid={format!("remove-response-{i}")}
                            title={format!("Remove {l}")} aria-label={format!("remove response {l}")}
                            onclick={ctx.link().callback(move |_| Msg::RemoveResponse(i))}>{ "✕" }</button>
                    </span>
                }) }
                <button class="small" data-testid="add-response"
                    onclick={ctx.link().callback(|_| Msg::AddResponse)}>{ "Add a response" }</button>
            </fieldset>
        }
    }

    fn view_matrix(&self, ctx: &Context<Self>, labels: &[String], rows: &[Vec<f64>]) -> Html {
        let residual = ctx.props().fit_residual;
        let types = ctx.props().fit_types.unwrap_or(0);
        let n = rows.len();
        html! {
            <>
            <p class="hint">
                { "P[i][j]: the probability that a voter prefers the row's response to the column's. \
                   Editing a cell sets its mirror to one minus it. " }
                { "Purple: the row's response is preferred; orange: the column's; white: even. \
                   Arrow keys move between cells, Escape cancels an edit. " }
                <span data-testid="fit-residual">{ match residual {
                    Some(r) if r <= 1e-9 => format!("This matrix is realized exactly by {types} voter type{}.", if types == 1 { "" } else { "s" }),
                    Some(r) => format!("The closest population of voters ({types} types) misses it by {} (the choice among k + 1 needs voters).",
                        if r >= 0.005 { format!("{r:.2}") } else { format!("{r:.1e}") }),
                    None => String::new(),
                } }</span>
            </p>
            <div class="matrix-wrap">
                <table class="matrix" data-testid="matrix-editor">
                    <thead><tr><th></th>{ for labels.iter().map(|l| html! { <th scope="col">{ l }</th> }) }</tr></thead>
                    <tbody>
                    { for rows.iter().enumerate().map(|(i, row)| html! {
                        <tr>
                            <th scope="row">{ &labels[i] }</th>
                            { for row.iter().enumerate().map(|(j, v)| {
                                if i == j {
                                    html! { <td class="diag">{ "0.5" }</td> }
                                } else {
                                    let shown = format!("{v:.4}");
                                    // A refused entry stays in its cell, with the reason beside it.
                                    let refused = self.error.as_ref().filter(|_| self.error_cell == Some((i, j)));
                                    html! { <td style={cell_colour(*v)} class={classes!(refused.map(|_| "refused"))}><input type="text" inputmode="decimal"
                                        value={shown.clone()}
                                        onkeydown={Callback::from(move |e: KeyboardEvent| cell_key(&e, i, j, n, &shown))}
                                        aria-label={format!("P[{}][{}]", labels[i], labels[j])}
                                        aria-invalid={refused.is_some().to_string()}
                                        data-testid={format!("cell-{i}-{j}")}
                                        onchange={ctx.link().callback(move |e: Event| Msg::Cell(i, j, value(&e)))} />
                                        if let Some(e) = refused {
                                            <span class="cell-error" role="alert" data-testid="cell-error">{ e }</span>
                                        }
                                        </td> }
                                }
                            }) }
                        </tr>
                    }) }
                    </tbody>
                </table>
            </div>
            </>
        }
    }

    fn view_population(
        &self,
        ctx: &Context<Self>,
        labels: &[String],
        voters: &[VoterSpec],
    ) -> Html {
        let link = ctx.link();
        let total: f64 = voters.iter().map(|v| v.weight).sum();
        // The weight sliders share one scale: up to twice the largest weight.
        let slider_max = voters
            .iter()
            .map(|v| v.weight)
            .fold(0.0_f64, f64::max)
            .max(0.5)
            * 2.0;
        html! {
            <>
            <p class="hint">
                { "Each voter type: a weight and a ranking, best first. Drag a response onto                    another: its left part puts it before, the middle ties them, the right part                    after. Or focus a response and press ← or →. Click > to tie two neighbours,                    = to break a tie." }
            </p>
            <ol class="voters" data-testid="population-editor">
                { for voters.iter().enumerate().take(SHOWN_TYPES).map(|(v, spec)| html! {
                    <li class="voter">
                        <input class="weight" type="text" inputmode="decimal" value={spec.weight.to_string()}
                            aria-label={format!("weight of voter type {}", v + 1)}
                            data-testid={format!("weight-{v}")}
                            onchange={link.callback(move |e: Event| Msg::Weight(v, value(&e)))} />
                        // A finished slider drag is one edit (change fires on release).
                        <input class="weight-slider" type="range" min="0" max={slider_max.to_string()}
                            step={(slider_max / 200.0).to_string()} value={spec.weight.to_string()}
                            aria-label={format!("weight of voter type {} (slider)", v + 1)}
                            data-testid={format!("weight-slider-{v}")}
                            onchange={link.callback(move |e: Event| Msg::Weight(v, value(&e)))} />
                        <span class="share">{ format!("{:.1}%", 100.0 * spec.weight / total.max(f64::MIN_POSITIVE)) }</span>
                        <span class="ranking" data-testid={format!("ranking-{v}")}>
                        { for spec.ranking.0.iter().enumerate().map(|(c, class)| html! {
                            <>
                            if c > 0 {
                                <button class="sep" data-testid={format!("tie-{v}-{}", c - 1)}
                                    title="Tie these two classes"
                                    aria-label={format!("tie class {c} with class {} of voter type {}", c + 1, v + 1)}
                                    onclick={link.callback(move |_| Msg::Tie { voter: v, class: c - 1 })}>{ ">" }</button>
                            }
                            { for class.iter().enumerate().map(|(t, &y)| {
                                let name = labels.get(y).cloned().unwrap_or_else(|| format!("#{y}"));
                                html! {
                                    <>
                                    if t > 0 {
                                        <button class="sep tied" data-testid={format!("untie-{v}-{c}-{t}")}
                                            title="Break this tie"
                                            aria-label={format!("break the tie before {name} in voter type {}", v + 1)}
                                            onclick={link.callback(move |_| Msg::Untie { voter: v, class: c, at: t })}>{ "=" }</button>
                                    }
                                    { self.view_chip(ctx, v, y, name) }
                                    </>
                                }
                            }) }
                            </>
                        }) }
                        </span>
                        <button class="small" aria-label={format!("duplicate voter type {}", v + 1)}
                            data-testid={format!("duplicate-{v}")}
                            onclick={link.callback(move |_| Msg::DuplicateVoter(v))}>{ "Duplicate" }</button>
                        <button class="small remove" aria-label={format!("remove voter type {}", v + 1)}
                            data-testid={format!("remove-{v}")}
                            onclick={link.callback(move |_| Msg::RemoveVoter(v))}>{ "Remove" }</button>
                    </li>
                }) }
            </ol>
            if voters.len() > SHOWN_TYPES {
                <p class="hint">{ format!("Showing {SHOWN_TYPES} of {} voter types; the others are kept as they are.", voters.len()) }</p>
            }
            <button class="small" data-testid="add-voter" onclick={link.callback(|_| Msg::AddVoter)}>{ "Add a voter type" }</button>
            { self.view_summary(labels) }
            </>
        }
    }

    /// One response in a ranking: draggable, movable by arrow keys and its arrow buttons.
    fn view_chip(&self, ctx: &Context<Self>, v: usize, y: usize, name: String) -> Html {
        let link = ctx.link();
        let mut class = classes!("chip");
        if let Some(drag) = self.drag.as_ref().filter(|d| d.voter == v) {
            if drag.response == y {
                class.push("dragging");
            }
            match drag.over {
                Some((target, Placement::Before)) if target == y => class.push("drop-before"),
                Some((target, Placement::Tie)) if target == y => class.push("drop-tie"),
                Some((target, Placement::After)) if target == y => class.push("drop-after"),
                _ => {}
            }
        }
        html! {
            <span class={class} tabindex="0" role="button"
                data-testid={format!("chip-{v}-{y}")} data-drop="" data-voter={v.to_string()} data-response={y.to_string()}
                aria-label={format!("{name}, in voter type {}; drag it, or arrow keys move it", v + 1)}
                onkeydown={link.batch_callback(move |e: KeyboardEvent| {
                    let by = match e.key().as_str() {
                        "ArrowLeft" | "ArrowUp" => -1,
                        "ArrowRight" | "ArrowDown" => 1,
                        _ => return None,
                    };
                    e.prevent_default();
                    Some(Msg::Move { voter: v, response: y, by })
                })}
                onpointerdown={link.batch_callback(move |e: PointerEvent| {
                    // The arrow buttons click; only the chip itself starts a drag.
                    let on_button = e
                        .target()
                        .and_then(|t| t.dyn_into::<Element>().ok())
                        .is_some_and(|el| el.tag_name() == "BUTTON");
                    if e.button() != 0 || on_button {
                        return None;
                    }
                    // Captured, the pointer's moves and release come to this chip wherever it
                    // goes. (Yew delegates events, so current_target is not the chip.)
                    let chip = e
                        .target()
                        .and_then(|t| t.dyn_into::<Element>().ok())
                        .and_then(|el| el.closest("[data-drop]").ok().flatten());
                    if let Some(chip) = chip {
                        let _ = chip.set_pointer_capture(e.pointer_id());
                    }
                    Some(Msg::DragStart { voter: v, response: y })
                })}
                onpointermove={link.callback(|e: PointerEvent| Msg::DragOver(drop_spot(&e)))}
                onpointerup={link.callback(|_: PointerEvent| Msg::DragEnd)}
                onpointercancel={link.callback(|_: PointerEvent| Msg::DragCancel)}>
                <button class="nudge" tabindex="-1" aria-hidden="true"
                    onclick={link.callback(move |_| Msg::Move { voter: v, response: y, by: -1 })}>{ "‹" }</button>
                { name }
                <button class="nudge" tabindex="-1" aria-hidden="true"
                    onclick={link.callback(move |_| Msg::Move { voter: v, response: y, by: 1 })}>{ "›" }</button>
            </span>
        }
    }

    /// The population's pairwise matrix (read-only) and its Condorcet winner, if any.
    fn view_summary(&self, labels: &[String]) -> Html {
        let Some(summary) = &self.summary else {
            return html! {};
        };
        let n = summary.rows.len();
        let winner = match summary.condorcet {
            Some(w) => format!(
                "Condorcet winner: {} (preferred to every other response by a majority).",
                labels.get(w).map_or("?", String::as_str)
            ),
            None => {
                "No Condorcet winner: every response loses or ties some head-to-head comparison."
                    .to_string()
            }
        };
        html! {
            <div class="population-summary">
                <p data-testid="condorcet"><strong>{ winner }</strong></p>
                if n <= SHOWN_MATRIX {
                    <details open={n <= 8}>
                        <summary>{ "Pairwise matrix of this population" }</summary>
                        <div class="matrix-wrap">
                            <table class="matrix readonly" data-testid="population-matrix">
                                <thead><tr><th></th>{ for labels.iter().map(|l| html! { <th scope="col">{ l }</th> }) }</tr></thead>
                                <tbody>
                                { for summary.rows.iter().enumerate().map(|(i, row)| html! {
                                    <tr>
                                        <th scope="row">{ labels.get(i).cloned().unwrap_or_default() }</th>
                                        { for row.iter().enumerate().map(|(j, v)| if i == j {
                                            html! { <td class="diag">{ "0.5" }</td> }
                                        } else {
                                            html! { <td style={cell_colour(*v)} data-testid={format!("pop-cell-{i}-{j}")}>{ format!("{v:.4}") }</td> }
                                        }) }
                                    </tr>
                                }) }
                                </tbody>
                            </table>
                        </div>
                    </details>
                } else {
                    <p class="hint">{ format!("The pairwise matrix has {n} responses; it is shown up to {SHOWN_MATRIX}.") }</p>
                }
            </div>
        }
    }
}

impl Component for Editor {
    type Message = Msg;
    type Properties = Props;

    fn create(ctx: &Context<Self>) -> Self {
        Editor {
            error: None,
            error_cell: None,
            drag: None,
            summary: summarize(&ctx.props().preferences),
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let msg = match msg {
            Msg::DragStart { voter, response } => {
                self.drag = Some(Drag {
                    voter,
                    response,
                    over: None,
                });
                return true;
            }
            Msg::DragOver(spot) => {
                let Some(drag) = &mut self.drag else {
                    return false;
                };
                // Only onto another response of the same voter type.
                let over = spot
                    .filter(|&(v, y, _)| v == drag.voter && y != drag.response)
                    .map(|(_, y, placement)| (y, placement));
                if over == drag.over {
                    return false;
                }
                drag.over = over;
                return true;
            }
            Msg::DragCancel => return self.drag.take().is_some(),
            Msg::DragEnd => match self.drag.take() {
                // Released over a drop spot: one edit (one undo step) for the whole drag.
                Some(Drag {
                    voter,
                    response,
                    over: Some((target, placement)),
                }) => Msg::Place {
                    voter,
                    response,
                    target,
                    placement,
                },
                Some(_) => return true,
                None => return false,
            },
            other => other,
        };
        let cell = match msg {
            Msg::Cell(i, j, _) => Some((i, j)),
            _ => None,
        };
        match self.edit(&ctx.props().preferences, msg) {
            Ok(p) => {
                self.error = None;
                self.error_cell = None;
                ctx.props().on_change.emit(p);
            }
            Err(e) => {
                self.error = Some(e);
                self.error_cell = cell;
            }
        }
        true
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Props) -> bool {
        if !Rc::ptr_eq(&ctx.props().preferences, &old.preferences) {
            self.summary = summarize(&ctx.props().preferences);
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let props = ctx.props();
        let labels = props.preferences.labels();
        html! {
            <div class="editor">
                if let Some(e) = self.error.as_ref().filter(|_| self.error_cell.is_none()) {
                    <p class="field-error" role="alert" data-testid="editor-error">{ e }</p>
                }
                { self.view_labels(ctx, labels) }
                { match props.preferences.as_ref() {
                    CustomPreferences::Matrix { rows, .. } => self.view_matrix(ctx, labels, rows),
                    CustomPreferences::Population { voters, .. } => self.view_population(ctx, labels, voters),
                } }
                if props.edited {
                    <p><button class="small" data-testid="reset-preferences"
                        onclick={props.on_reset.reform(|_: MouseEvent| ())}>
                        { "Back to the preset" }</button></p>
                }
            </div>
        }
    }
}
