//! A lecturer's deck on the page: the panel renders the worker's typed view of the draft
//! (`ualign::deck_draft::DeckPanel`); its buttons say what they ask as a `DeckClick`, and the
//! words typed for the next step are read from its boxes on `Add`.

use std::rc::Rc;
use ualign::deck::MAX_TEXT_CHARS;
use ualign::deck_draft::{DeckPanel as PanelView, DECK_WORD_IDS};
use ualign::page::text;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// A button of the panel (steps numbered from 1).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DeckClick {
    Add,
    Up(usize),
    Down(usize),
    Delete(usize),
    Present,
    Export,
    Share,
}

/// The boxes of the next step's title, caption and notes. They are left uncontrolled (Yew
/// never sets their value), so what is typed survives every render of the panel.
#[derive(Clone, Default, PartialEq)]
pub struct WordBoxes(pub [NodeRef; 3]);

impl WordBoxes {
    fn boxes(&self) -> impl Iterator<Item = HtmlTextAreaElement> + '_ {
        self.0
            .iter()
            .filter_map(NodeRef::cast::<HtmlTextAreaElement>)
    }

    /// The words typed for the next step.
    pub fn words(&self) -> Vec<String> {
        self.boxes().map(|t| t.value()).collect()
    }

    /// Empties the boxes once their step is added.
    pub fn clear(&self) {
        for t in self.boxes() {
            t.set_value("");
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct DeckPanelProps {
    pub panel: Rc<PanelView>,
    pub words: WordBoxes,
    /// The deck's link, once packed.
    pub link: Option<AttrValue>,
    pub on: Callback<DeckClick>,
}

/// A small button: its label, what it says to a screen reader, whether it is off.
fn button(
    on: &Callback<DeckClick>,
    click: DeckClick,
    id: String,
    label: &str,
    title: String,
    off: bool,
) -> Html {
    html! {
        <button class="small" data-testid={id} title={title.clone()} aria-label={title}
            disabled={off} onclick={on.reform(move |_: MouseEvent| click)}>{ label }</button>
    }
}

#[function_component(DeckPanel)]
pub fn deck_panel(p: &DeckPanelProps) -> Html {
    let renders = crate::platform::use_render_count();
    let on = &p.on;
    let last = p.panel.titles.len();
    let empty = last == 0;
    let steps = p.panel.titles.iter().enumerate().map(|(i, title)| {
        let n = i + 1;
        html! {
            <li key={n}>
                <span>{ title }</span>
                { button(on, DeckClick::Up(n), format!("deck-up-{n}"), "↑", format!("Earlier: step {n}"), n == 1) }
                { button(on, DeckClick::Down(n), format!("deck-down-{n}"), "↓", format!("Later: step {n}"), n == last) }
                { button(on, DeckClick::Delete(n), format!("deck-delete-{n}"), "✕", format!("Delete: step {n}"), false) }
            </li>
        }
    });
    let deck_buttons = [
        (DeckClick::Present, "present", text::DECK_PRESENT),
        (DeckClick::Export, "export", text::DECK_EXPORT),
        (DeckClick::Share, "share", text::DECK_SHARE),
    ]
    .map(|(click, id, label)| button(on, click, format!("deck-{id}"), label, label.into(), empty));
    html! {
        <section class="panel deck-panel" data-testid="deck-panel" data-renders={renders}>
            <h2>{ text::DECK_HEADING }</h2>
            <p class="hint">{ text::DECK_HINT }</p>
            { for DECK_WORD_IDS.iter().zip(&p.words.0).enumerate().map(|(i, (id, r))| html! {
                <label>{ text::DECK_WORDS[i] }
                    <textarea ref={r.clone()} rows={if i == 0 { "1" } else { "2" }}
                        maxlength={MAX_TEXT_CHARS.to_string()} data-testid={*id} />
                </label>
            }) }
            <button class="primary" data-testid="deck-add"
                onclick={on.reform(|_: MouseEvent| DeckClick::Add)}>{ text::DECK_ADD }</button>
            <ol data-testid="deck-steps">{ for steps }</ol>
            if empty {
                <p class="hint">{ text::DECK_EMPTY }</p>
            }
            <div class="row">{ for deck_buttons }</div>
            if let Some(note) = &p.panel.kept {
                <p class="hint" role="status" data-testid="deck-kept">{ note }</p>
            }
            if let Some(href) = &p.link {
                <a data-testid="deck-link" href={href.clone()}>{ text::DECK_LINK_READY }</a>
            }
        </section>
    }
}
