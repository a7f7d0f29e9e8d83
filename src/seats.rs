//! The seats' panel: the controls, and the worker's typed view of the (k+1)-player table
//! (`ualign::arena::seats_view::SeatsView`): each seat's last card and its share of the picks
//! as a bar, with its interval, its exact chance and the fair share 1/(k+1) across.

use crate::arena::ArenaAction;
use std::rc::Rc;
use ualign::arena::live::ArenaRequest as SeatsRequest;
use ualign::arena::seats_view::{self as words, SeatView, SeatsView, TableView};
use ualign::page::settings::ArenaEdit;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SeatsProps {
    pub labels: Rc<Vec<String>>,
    /// The configuration's challenger for the last seat (None: every seat samples π).
    pub challenger: Option<usize>,
    pub k: usize,
    pub view: Option<Rc<SeatsView>>,
    pub hidden: bool,
    pub on: Callback<ArenaAction>,
}

/// A share in [0, 1] as a CSS percentage (NaN before any round: nothing drawn).
fn pct(x: f64) -> String {
    format!(
        "{:.2}%",
        if x.is_finite() {
            100.0 * x.clamp(0.0, 1.0)
        } else {
            0.0
        }
    )
}

fn seat(s: &SeatView) -> Html {
    let [tally, lo, hi, exact] = s.bar;
    html! {
        <li class={classes!("seat", s.challenger.then_some("challenger"))}>
            <span class="seat-name">{ &s.name }</span>
            <span class={classes!("card", s.picked.then_some("picked"))}>
                { s.card.as_deref().unwrap_or("·") }</span>
            <span class="seat-bar" aria-hidden="true">
                // Before any round there is no share, and its interval is all of [0, 1].
                if tally.is_finite() {
                    <span class="fill" style={format!("height:{}", pct(tally))}></span>
                    <span class="interval" style={format!("bottom:{};height:{}", pct(lo), pct(hi - lo))}></span>
                }
                <span class="exact" style={format!("bottom:{}", pct(exact))}></span>
            </span>
            <span class="num">{ &s.text }</span>
        </li>
    }
}

fn table(t: &TableView, i: usize, share: f64) -> Html {
    html! {
        <div class={classes!("seat-table", if i == 0 { "nlhf" } else { "game" })}>
            <h3>{ &t.title }</h3>
            <ol class="seat-cols" style={format!("--share: {}", pct(share))}>
                { for t.seats.iter().map(seat) }
            </ol>
            <p class="hint" data-testid={format!("seats-model-{i}")}>{ &t.model }</p>
        </div>
    }
}

#[function_component(Seats)]
pub fn seats(p: &SeatsProps) -> Html {
    let on = &p.on;
    let ask = |r: SeatsRequest| on.reform(move |_: MouseEvent| ArenaAction::AskSeats(r.clone()));
    let edit = |e: ArenaEdit| on.reform(move |_: MouseEvent| ArenaAction::Edit(e.clone()));
    let fast = p.view.as_ref().is_some_and(|v| v.fast);
    html! {
        <section class={classes!("panel", "seats", fast.then_some("fast"))} data-testid="view-seats" hidden={p.hidden}>
            <h2>{ words::TITLE }</h2>
            <p class="hint">{ words::CAPTION }</p>
            <div class="controls">
                <button data-testid="seats-round" onclick={ask(SeatsRequest::Rounds(1))}>{ "One round" }</button>
                <button data-testid="seats-fast" aria-pressed={fast.to_string()}
                    onclick={ask(SeatsRequest::Fast(!fast))}>{ if fast { "Stop fast rounds" } else { "Fast rounds" } }</button>
                <button data-testid="seats-reset" onclick={ask(SeatsRequest::Reset)}>{ "Reset" }</button>
            </div>
            <div class="picker" role="group" aria-label={words::CHALLENGER}>
                <button class="small" data-testid="seats-all" aria-pressed={p.challenger.is_none().to_string()}
                    onclick={edit(ArenaEdit::OwnWorst)}>{ words::ALL_SAMPLE }</button>
                <span class="hint">{ words::CHALLENGER }</span>
                { crate::arena::picker(&p.labels, p.challenger.as_slice(), "seats-challenger", on, ArenaEdit::Only) }
            </div>
            if let Some(v) = &p.view {
                <p class="hint" data-testid="seats-voter">{ &v.voter }{ " Rounds: " }
                    <span data-testid="seats-rounds">{ v.rounds }</span></p>
                <div class="seat-tables">
                    { for v.tables.iter().enumerate().map(|(i, t)| table(t, i, 1.0 / (p.k + 1) as f64)) }
                </div>
                <p class="reading" data-testid="seats-reading">{ &v.reading }</p>
            } else {
                <p class="hint">{ "Opening the seats…" }</p>
            }
        </section>
    }
}
