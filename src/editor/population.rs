//! The population editor: voter types with weights and rankings (drag, keys, ties), and the
//! population's pairwise matrix with its Condorcet winner.

use super::{cell_colour, value, Editor, Msg};
use ualign::config::VoterSpec;
use ualign::page::edit::PreferenceEdit;
use ualign::page::text;
use ualign::ranking_edit::Placement;
use wasm_bindgen::JsCast;
use web_sys::{Element, PointerEvent};
use yew::prelude::*;

/// Voter types listed at once; the rest stay as they are (and are counted).
const SHOWN_TYPES: usize = 40;

/// Responses up to which the population's pairwise matrix is shown as a table.
const SHOWN_MATRIX: usize = 16;

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

impl Editor {
    pub(super) fn view_population(
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
                { text::POPULATION_HINT }
            </p>
            <ol class="voters" data-testid="population-editor">
                { for voters.iter().enumerate().take(SHOWN_TYPES).map(|(v, spec)| html! {
                    <li class="voter">
                        <input class="weight" type="text" inputmode="decimal" value={spec.weight.to_string()}
                            aria-label={text::weight_label(v)}
                            data-testid={format!("weight-{v}")}
                            onchange={link.callback(move |e: Event| Msg::Edit(PreferenceEdit::Weight(v, value(&e))))} />
                        // A finished slider drag is one edit (change fires on release).
                        <input class="weight-slider" type="range" min="0" max={slider_max.to_string()}
                            step={(slider_max / 200.0).to_string()} value={spec.weight.to_string()}
                            aria-label={text::weight_slider_label(v)}
                            data-testid={format!("weight-slider-{v}")}
                            onchange={link.callback(move |e: Event| Msg::Edit(PreferenceEdit::Weight(v, value(&e))))} />
                        <span class="share">{ format!("{:.1}%", 100.0 * spec.weight / total.max(f64::MIN_POSITIVE)) }</span>
                        <span class="ranking" data-testid={format!("ranking-{v}")}>
                        { for spec.ranking.0.iter().enumerate().map(|(c, class)| html! {
                            <>
                            if c > 0 {
                                <button class="sep" data-testid={format!("tie-{v}-{}", c - 1)}
                                    title={text::TIE_TITLE} aria-label={text::tie_label(c, v)}
                                    onclick={link.callback(move |_| Msg::Edit(PreferenceEdit::Tie { voter: v, class: c - 1 }))}>{ ">" }</button>
                            }
                            { for class.iter().enumerate().map(|(t, &y)| {
                                let name = labels.get(y).cloned().unwrap_or_else(|| format!("#{y}"));
                                html! {
                                    <>
                                    if t > 0 {
                                        <button class="sep tied" data-testid={format!("untie-{v}-{c}-{t}")}
                                            title={text::UNTIE_TITLE} aria-label={text::untie_label(&name, v)}
                                            onclick={link.callback(move |_| Msg::Edit(PreferenceEdit::Untie { voter: v, class: c, at: t }))}>{ "=" }</button>
                                    }
                                    { self.view_chip(ctx, v, y, name) }
                                    </>
                                }
                            }) }
                            </>
                        }) }
                        </span>
                        <button class="small" aria-label={text::duplicate_label(v)}
                            data-testid={format!("duplicate-{v}")}
                            onclick={link.callback(move |_| Msg::Edit(PreferenceEdit::DuplicateVoter(v)))}>{ text::DUPLICATE }</button>
                        <button class="small remove" aria-label={text::remove_voter_label(v)}
                            data-testid={format!("remove-{v}")}
                            onclick={link.callback(move |_| Msg::Edit(PreferenceEdit::RemoveVoter(v)))}>{ text::REMOVE }</button>
                    </li>
                }) }
            </ol>
            if voters.len() > SHOWN_TYPES {
                <p class="hint">{ text::shown_types(SHOWN_TYPES, voters.len()) }</p>
            }
            <button class="small" data-testid="add-voter" onclick={link.callback(|_| Msg::Edit(PreferenceEdit::AddVoter))}>{ text::ADD_VOTER }</button>
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
                aria-label={text::chip_label(&name, v)}
                onkeydown={link.batch_callback(move |e: KeyboardEvent| {
                    let by = match e.key().as_str() {
                        "ArrowLeft" | "ArrowUp" => -1,
                        "ArrowRight" | "ArrowDown" => 1,
                        _ => return None,
                    };
                    e.prevent_default();
                    Some(Msg::Edit(PreferenceEdit::Move { voter: v, response: y, by }))
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
                    onclick={link.callback(move |_| Msg::Edit(PreferenceEdit::Move { voter: v, response: y, by: -1 }))}>{ "‹" }</button>
                { name }
                <button class="nudge" tabindex="-1" aria-hidden="true"
                    onclick={link.callback(move |_| Msg::Edit(PreferenceEdit::Move { voter: v, response: y, by: 1 }))}>{ "›" }</button>
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
            Some(w) => text::condorcet_winner(labels.get(w).map_or("?", String::as_str)),
            None => text::NO_CONDORCET.to_string(),
        };
        html! {
            <div class="population-summary">
                <p data-testid="condorcet"><strong>{ winner }</strong></p>
                if n <= SHOWN_MATRIX {
                    <details open={n <= 8}>
                        <summary>{ text::POPULATION_MATRIX }</summary>
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
                    <p class="hint">{ text::matrix_too_big(n, SHOWN_MATRIX) }</p>
                }
            </div>
        }
    }
}
