//! A lecturer's deck on the page: a panel the worker draws (`ualign::page::deck_edit`), which
//! keeps the draft (the page's wasm has no room for it). The page reads its clicks by the
//! buttons' `data-deck` and the words typed for the next step by their test ids.

use ualign::page::deck_edit::{DraftPage, DECK_WORD_IDS};
use ualign::page::text;
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

pub struct DeckPanelProps<'a> {
    pub draft: &'a DraftPage,
    pub panel: &'a NodeRef,
    /// The deck's link, once packed.
    pub link: Option<&'a str>,
    /// The `data-deck` of the button clicked (`add`, `up:N`, `present`...).
    pub on: &'a Callback<String>,
}

/// What the button under the click says (empty: the click was on none).
fn clicked(e: &MouseEvent) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|t| t.closest("[data-deck]").ok().flatten())
        .and_then(|b| b.get_attribute("data-deck"))
        .unwrap_or_default()
}

/// The step's title, caption and notes boxes in the panel.
fn word_boxes(panel: &NodeRef) -> Vec<HtmlTextAreaElement> {
    let Some(panel) = panel.cast::<web_sys::Element>() else {
        return Vec::new();
    };
    DECK_WORD_IDS
        .iter()
        .filter_map(|id| {
            panel
                .query_selector(&format!("[data-testid={id}]"))
                .ok()
                .flatten()
        })
        .filter_map(|e| e.dyn_into().ok())
        .collect()
}

/// The words typed for the next step.
pub fn words(panel: &NodeRef) -> Vec<String> {
    word_boxes(panel).iter().map(|t| t.value()).collect()
}

/// Empties the boxes once their step is added.
pub fn clear_words(panel: &NodeRef) {
    for t in word_boxes(panel) {
        t.set_value("");
    }
}

pub fn deck_panel(p: &DeckPanelProps<'_>) -> Html {
    let raw = |s: &str| Html::from_html_unchecked(s.to_string().into());
    html! {
        <section class="panel deck-panel" data-testid="deck-panel" ref={p.panel.clone()}
            onclick={p.on.reform(|e: MouseEvent| clicked(&e))}>
            { raw(&p.draft.form) }
            { raw(&p.draft.html) }
            if let Some(href) = p.link {
                <a data-testid="deck-link" href={href.to_string()}>{ text::DECK_LINK_READY }</a>
            }
        </section>
    }
}
