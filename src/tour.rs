//! The tour on the page: the "Take the tour" button, and the bar that shows a deck's step (its
//! counter, title and caption with live numbers), asks its question before the answer, and
//! moves through the deck. The deck's state lives in the core (`ualign::page::tour`).

use ualign::deck::{fill_caption, Answer};
use ualign::page::text;
use ualign::page::tour::{DeckView, TourMove};
use web_sys::HtmlInputElement;
use yew::prelude::*;

pub enum TourAction {
    Start,
    Move(TourMove),
    /// The guess as typed, chosen or dragged (read when it is revealed).
    Guess(String),
    Reveal,
}

pub struct TourProps<'a> {
    pub view: &'a DeckView,
    /// The guess as it stands (the control's value).
    pub guess: &'a str,
    pub k: usize,
    /// W_k of the exact solutions: NLHF's maximal lottery, the game's equilibrium.
    pub nlhf_exact: Option<f64>,
    pub game_exact: Option<f64>,
    /// The response the maximal lottery puts most on.
    pub nlhf_top: Option<&'a str>,
    pub labels: &'a [String],
    /// In a frame (a slide): step and caption only; the host steps the deck.
    pub framed: bool,
    pub on: &'a Callback<TourAction>,
}

/// The button that starts the tour (shown in the header outside a deck).
pub fn tour_start(on: &Callback<TourAction>) -> Html {
    html! {
        <button class="primary tour-start" data-testid="tour-start"
            onclick={on.reform(|_| TourAction::Start)}>{ text::TOUR_START }</button>
    }
}

pub fn tour_bar(p: &TourProps<'_>) -> Html {
    let v = p.view;
    let step = v.step();
    let go = |m: TourMove| p.on.reform(move |_: MouseEvent| TourAction::Move(m));
    let last = v.number() == v.deck.steps.len();
    let body = match v.asking() {
        Some(q) => {
            let on_input = p.on.reform(|e: InputEvent| {
                TourAction::Guess(e.target_unchecked_into::<HtmlInputElement>().value())
            });
            let control = match q.answer {
                Answer::NlhfWinRate => html! {
                    <span class="guess">
                        <input type="range" min="0" max="1" step="0.01" value={p.guess.to_string()}
                            data-testid="tour-guess" aria-label={text::TOUR_GUESS} oninput={on_input} />
                        <output>{ p.guess }</output>
                    </span>
                },
                Answer::NlhfTop => html! {
                    <select data-testid="tour-guess" aria-label={text::TOUR_GUESS}
                        onchange={p.on.reform(|e: Event| TourAction::Guess(
                            e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()))}>
                        <option value="" selected={p.guess.is_empty()}>{ "…" }</option>
                        { for p.labels.iter().map(|l| html! {
                            <option value={l.clone()} selected={l == p.guess}>{ l }</option>
                        }) }
                    </select>
                },
            };
            html! {
                <div class="ask">
                    <p data-testid="tour-question">{ &q.prompt }</p>
                    { control }
                    <button class="primary" data-testid="tour-reveal"
                        onclick={p.on.reform(|_| TourAction::Reveal)}>{ text::TOUR_REVEAL }</button>
                </div>
            }
        }
        None => html! {
            <>
            <p data-testid="tour-caption">{ crate::glossary::marked(
                &fill_caption(&step.caption, p.nlhf_exact, p.game_exact, p.k), "caption") }</p>
            if let Some(verdict) = v.verdict(p.nlhf_exact, p.nlhf_top) {
                <p class="verdict" data-testid="tour-verdict">{ verdict }</p>
            }
            </>
        },
    };
    if p.framed {
        return html! {
            <section class="tour compact" data-testid="tour" aria-live="polite">
                <span class="tour-count" data-testid="tour-step">{ v.counter() }</span>
                { body }
            </section>
        };
    }
    html! {
        <section class="tour" data-testid="tour" aria-live="polite">
            <div class="tour-head">
                <span class="tour-count" data-testid="tour-step">{ v.counter() }</span>
                <h2>{ &step.title }</h2>
                <span class="tour-nav">
                    <button class="small" data-testid="tour-prev" disabled={v.index == 0}
                        aria-label={text::TOUR_PREV} onclick={go(TourMove::Prev)}>{ "←" }</button>
                    <button class="small" data-testid="tour-next" disabled={last}
                        aria-label={text::TOUR_NEXT} onclick={go(TourMove::Next)}>{ "→" }</button>
                    { crate::glossary::panel("in-bar") }
                    // The presenter window: a named window keeps its opener, which it reads
                    // and drives the page through.
                    <a class="button small" data-testid="presenter-open" href="presenter.html"
                        target="ualign-presenter">{ text::PRESENTER }</a>
                    <button class="small" data-testid="tour-leave" title={text::TOUR_LEAVE}
                        onclick={go(TourMove::Leave)}>{ text::OPEN_IN_LAB }</button>
                </span>
            </div>
            { body }
        </section>
    }
}
