//! The arena's panel: the controls as Yew nodes (they keep their focus across rounds) around
//! the read-only parts, which arrive from the worker as escaped markup
//! (`ualign::page::arena::ArenaPage`: the page's wasm has no room for their formatting).

use ualign::arena::live::ArenaRequest;
use ualign::config::Config;
use ualign::page::arena::{self as words, ArenaPage};
use ualign::page::settings::ArenaEdit;
use yew::prelude::*;

/// What the arena's controls ask.
#[derive(Clone, PartialEq, Debug)]
pub enum ArenaAction {
    /// Of the worker: rounds, fast rounds, reset, the best set.
    Ask(ArenaRequest),
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

fn markup(s: &str) -> Html {
    Html::from_html_unchecked(s.to_string().into())
}

/// Buttons for the responses, pressed when chosen.
fn picker(
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

pub struct ArenaProps<'a> {
    pub config: &'a Config,
    pub labels: &'a [String],
    pub view: Option<&'a ArenaPage>,
    pub hidden: bool,
    pub on: &'a Callback<ArenaAction>,
}

pub fn arena(p: &ArenaProps<'_>) -> Html {
    let on = p.on;
    let ask = |r: ArenaRequest| on.reform(move |_: MouseEvent| ArenaAction::Ask(r.clone()));
    let edit = |e: ArenaEdit| on.reform(move |_: MouseEvent| ArenaAction::Edit(e.clone()));
    let body = match p.view.filter(|v| v.n == p.labels.len()) {
        None => html! { <p class="hint">{ words::OPENING }</p> },
        Some(v) => {
            html! {
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
                { markup(&v.rows) }
                <div class="cols">
                    <section>
                        <h3>{ words::CHALLENGER_TITLE }</h3>
                        <p class="hint">{ words::CHALLENGER_HINT }</p>
                        { picker(p.labels, &p.config.challenger, "challenge", on, ArenaEdit::Challenger) }
                        <button class="small" data-testid="arena-worst" title={words::WORST_TITLE}
                            onclick={edit(ArenaEdit::OwnWorst)}>{ words::WORST }</button>
                        { markup(&v.adversary) }
                    </section>
                    <section>
                        <h3>{ words::MODEL_TITLE }</h3>
                        { picker(p.labels, &p.config.set, "set", on, ArenaEdit::SetMember) }
                        <button class="small" data-testid="best-fixed-set" onclick={ask(ArenaRequest::BestSet)}>{ words::BEST_SET }</button>
                        { markup(&v.model) }
                    </section>
                </div>
                { markup(&v.left_out) }
                </>
            }
        }
    };
    html! {
        <section class="panel chart arena" data-testid="view-arena" hidden={p.hidden}>
            <h2>{ words::TITLE }</h2>
            <p class="hint">{ words::CAPTION }</p>
            { body }
        </section>
    }
}
