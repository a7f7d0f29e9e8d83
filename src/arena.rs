//! The arena's panel: the controls, and the worker's typed view of the rounds
//! (`ualign::arena::view::ArenaView`: the words and numbers come formatted from the core).

use std::rc::Rc;
use ualign::arena::live::ArenaRequest;
use ualign::arena::view::{self as words, ArenaView, Chip, RowView};
use ualign::page::settings::ArenaEdit;
use yew::prelude::*;

/// What the arena's controls ask.
#[derive(Clone, PartialEq, Debug)]
pub enum ArenaAction {
    /// Of the worker: rounds, fast rounds, reset, the best set.
    Ask(ArenaRequest),
    /// Of the worker, at the seats: rounds, fast rounds, reset.
    AskSeats(ArenaRequest),
    /// Of the configuration: the challenger, the fixed set, the seed.
    Edit(ArenaEdit),
    /// A fresh seed from the browser's randomness (getrandom).
    NewDraws,
}

impl ArenaAction {
    /// A seed for "new draws" (getrandom's `wasm_js` backend: crypto.getRandomValues).
    pub fn fresh_seed() -> Option<u64> {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).ok()?;
        Some(u64::from_le_bytes(bytes))
    }
}

/// Buttons for the responses, pressed when chosen (the seats' challenger uses them too).
pub fn picker(
    labels: &[String],
    chosen: &[usize],
    prefix: &'static str,
    on: &Callback<ArenaAction>,
    edit: fn(usize) -> ArenaEdit,
) -> Html {
    html! {
        <div class="picker">
            { for labels.iter().enumerate().map(|(y, l)| html! {
                <button class="small" data-testid={format!("{prefix}-{y}")}
                    aria-pressed={chosen.contains(&y).to_string()}
                    onclick={on.reform(move |_: MouseEvent| ArenaAction::Edit(edit(y)))}>{ l }</button>
            }) }
        </div>
    }
}

/// A list of cards: each card's text is its label; the picked one is marked (a border and a
/// check mark, not only colour), and its title and label say what it is. Keyed by the round,
/// so each round deals new cards (and their animation plays again).
fn cards(testid: Option<String>, list: &[Chip], round: u64) -> Html {
    html! {
        <ul class="cards" data-testid={testid} key={round.to_string()}>
            { for list.iter().map(|c| html! {
                <li class={classes!("card", c.picked.then_some("picked"))}
                    title={c.alt.clone()} aria-label={c.alt.clone()}>{ &c.label }</li>
            }) }
        </ul>
    }
}

fn row(r: &RowView, id: &str, round: u64) -> Html {
    let (wins, rounds, lo, hi) = r.counts;
    html! {
        <div class="arena-row">
            <h3>{ &r.title }</h3>
            <p class="hint">{ &r.samples }</p>
            <div class="deal">
                { cards(Some(format!("arena-{id}")), &r.cards, round) }
                if let Some(more) = &r.more {
                    <span class="hint">{ more }</span>
                }
                <span class="vs">{ "vs" }</span>
                { cards(None, &r.challenger, round) }
            </div>
            if let Some((text, won)) = &r.outcome {
                <p class={classes!("outcome", won.then_some("won"))}>{ text }</p>
            }
            <p class="tally">
                <span data-testid={format!("arena-tally-{id}")} data-wins={wins.to_string()}
                    data-rounds={rounds.to_string()} data-lo={lo.to_string()}
                    data-hi={hi.to_string()}>{ &r.tally }</span>
                { "; converges to " }
                <span class="num" data-testid={format!("arena-exact-{id}")}
                    data-exact={r.exact_value.to_string()}>{ &r.exact }</span>
                { ", " }{ &r.exact_of }
            </p>
        </div>
    }
}

fn bar(class: &'static str, name: &str, p: f64) -> Html {
    html! {
        <span class={classes!("bar", class)}>
            <span class="fill" style={format!("width: {:.1}%", 100.0 * p)}></span>
            <span class="num">{ format!("{name} {p:.4}") }</span>
        </span>
    }
}

/// The rounds, the singles table, the fixed set and who is left out.
fn rounds(v: &ArenaView) -> Html {
    html! {
        <>
        <div class={classes!("arena-rows", v.fast.then_some("fast"))}>
            { row(&v.nlhf, "nlhf", v.rounds) }
            { row(&v.game, "game", v.rounds) }
        </div>
        { for v.notes.iter().map(|n| html! { <p class="hint" data-testid="arena-note">{ n }</p> }) }
        </>
    }
}

fn adversary(v: &ArenaView) -> Html {
    html! {
        <div class="adversary-detail">
        <p class="hint">{ &v.worst }</p>
        <table class="singles" data-testid="arena-singles">
            <tr>{ for words::SINGLES_HEAD.iter().map(|h| html! { <th>{ *h }</th> }) }</tr>
            { for v.singles.iter().map(|s| html! {
                <tr>
                    <td>{ &s.label }</td>
                    <td class="num">{ &s.nlhf }</td>
                    <td class="num">{ &s.game }</td>
                    <td>{ if s.in_support { "yes" } else { "no" } }</td>
                </tr>
            }) }
        </table>
        <p class="hint">{ &v.indifference }</p>
        </div>
    }
}

fn model(v: &ArenaView) -> Html {
    html! {
        <>
        <p>{ words::FIXED_VALUE }<span class="num" data-testid="fixed-set-value">{ &v.fixed_value }</span></p>
        <p class="hint">{ &v.fixed }</p>
        if let Some(best) = &v.best {
            <p class="hint" data-testid="best-set">{ best }</p>
        }
        { for v.facts.iter().map(|f| html! { <p class="fact">{ f }</p> }) }
        </>
    }
}

fn left_out(v: &ArenaView) -> Html {
    html! {
        <div class="left-out-block">
        <h3>{ words::LEFT_OUT_TITLE }</h3>
        <p class="hint">{ words::LEFT_OUT_HINT }</p>
        <ul class="left-out" data-testid="left-out">
            { for v.left_out.iter().map(|l| html! {
                <li data-nlhf={l.nlhf.to_string()} data-game={l.game.to_string()}>
                    <span>{ &l.who }</span>
                    { bar("nlhf", words::BAR_NLHF, l.nlhf) }
                    { bar("game", words::BAR_GAME, l.game) }
                </li>
            }) }
        </ul>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ArenaProps {
    pub labels: Rc<Vec<String>>,
    pub challenger: Vec<usize>,
    pub set: Vec<usize>,
    pub view: Option<Rc<ArenaView>>,
    pub hidden: bool,
    pub on: Callback<ArenaAction>,
}

#[function_component(Arena)]
pub fn arena(p: &ArenaProps) -> Html {
    let renders = crate::platform::use_render_count();
    let on = &p.on;
    let ask = |r: ArenaRequest| on.reform(move |_: MouseEvent| ArenaAction::Ask(r.clone()));
    let edit = |e: ArenaEdit| on.reform(move |_: MouseEvent| ArenaAction::Edit(e.clone()));
    let body = match p.view.as_deref().filter(|v| v.n == p.labels.len()) {
        None => html! { <p class="hint">{ words::OPENING }</p> },
        Some(v) => html! {
            <>
            <div class="controls">
                <button data-testid="arena-round" onclick={ask(ArenaRequest::Rounds(1))}>{ words::ONE_ROUND }</button>
                <button data-testid="arena-fast" aria-pressed={v.fast.to_string()}
                    onclick={ask(ArenaRequest::Fast(!v.fast))}>{ if v.fast { words::STOP_FAST } else { words::FAST } }</button>
                <button data-testid="arena-reset" onclick={ask(ArenaRequest::Reset)}>{ words::RESET }</button>
                <button data-testid="arena-new-draws" title={words::NEW_DRAWS_TITLE}
                    onclick={on.reform(|_: MouseEvent| ArenaAction::NewDraws)}>{ words::NEW_DRAWS }</button>
                <span>{ words::ROUNDS }<span data-testid="arena-rounds">{ v.rounds }</span></span>
            </div>
            <p data-testid="arena-voter" aria-live="polite">{ &v.voter }</p>
            { rounds(v) }
            <div class="cols">
                <section>
                    <h3>{ words::CHALLENGER_TITLE }</h3>
                    <p class="hint">{ words::CHALLENGER_HINT }</p>
                    { picker(&p.labels, &p.challenger, "challenge", on, ArenaEdit::Challenger) }
                    <button class="small" data-testid="arena-worst" title={words::WORST_TITLE}
                        onclick={edit(ArenaEdit::OwnWorst)}>{ words::WORST }</button>
                    { adversary(v) }
                </section>
                <section>
                    <h3>{ words::MODEL_TITLE }</h3>
                    { picker(&p.labels, &p.set, "set", on, ArenaEdit::SetMember) }
                    <button class="small" data-testid="best-fixed-set" onclick={ask(ArenaRequest::BestSet)}>{ words::BEST_SET }</button>
                    { model(v) }
                </section>
            </div>
            { left_out(v) }
            </>
        },
    };
    html! {
        <section class="panel chart arena" data-testid="view-arena" hidden={p.hidden} data-renders={renders}>
            <h2>{ words::TITLE }</h2>
            <p class="hint">{ words::CAPTION }</p>
            { body }
        </section>
    }
}
