//! Terms on the page: a caption with each term marked where it first appears (its definition
//! shows on hover and on keyboard focus, and a screen reader reads it as the term's
//! description), and the glossary panel listing every term.

use ualign::page::glossary::{mark, term, Piece, TERMS};
use yew::prelude::*;

/// A caption with its terms marked; `scope` keeps the definitions' ids unique on the page.
pub fn marked(text: &str, scope: &str) -> Html {
    html! {
        <>
        { for mark(text).into_iter().map(|piece| match piece {
            Piece::Text(t) => html! { { t } },
            Piece::Term { text, id } => {
                let def = format!("{scope}-def-{id}");
                html! {
                    <span class="term" tabindex="0" data-term={id} aria-describedby={def.clone()}>
                        { text }
                        <span class="def" role="tooltip" id={def}>
                            { term(id).map_or("", |t| t.definition) }
                        </span>
                    </span>
                }
            }
        }) }
        </>
    }
}

/// Every term with its definition, folded until opened.
pub fn panel(class: &'static str) -> Html {
    html! {
        <details class={classes!("glossary", class)} data-testid="glossary">
            <summary>{ "Terms" }</summary>
            <dl>
                { for TERMS.iter().map(|t| html! {
                    <div data-term={t.id}>
                        <dt>{ t.name }</dt>
                        <dd>{ t.definition }</dd>
                    </div>
                }) }
            </dl>
        </details>
    }
}
