//! A lecturer's deck as it is written on the page: steps added from the view shown, moved and
//! deleted, the list drawn as markup and the document written as JSON without a JSON library.
//! The draft lives in the worker (the page's wasm has no room for it); the worker reads
//! documents back with `Deck::checked_shape`, the page checks their links.

use crate::deck::{
    check_text, Deck, Question, Step, DECK_VERSION, MAX_DECK_BYTES, MAX_STEPS, MAX_TEXT_CHARS,
};
use crate::links::embed::json_string;
use crate::page::arena::esc;
use crate::page::text;
use crate::url;

/// Settings that say how a page shows a step, not what the step is: a deck's own link and
/// the presenter's frame decide them.
const DISPLAY_KEYS: [&str; 3] = ["tour", "origins", "embed"];

/// A deck being written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeckDraft {
    pub title: String,
    pub steps: Vec<Step>,
}

impl DeckDraft {
    /// A draft of an existing deck (to edit an imported one).
    pub fn of(deck: &Deck) -> Self {
        DeckDraft {
            title: deck.title.clone(),
            steps: deck.steps.clone(),
        }
    }

    /// Adds the view whose share-link `fragment` is shown, with its words, after the last
    /// step. The fragment loses the display settings (`tour`, `origins`, `embed`); the page
    /// has checked it with the link decoder (`view_fragment`). Texts are held to the deck's
    /// limits, and the document to the size a deck may have, so that it imports again.
    pub fn add(
        &mut self,
        fragment: &str,
        title: &str,
        caption: &str,
        notes: &str,
    ) -> Result<usize, String> {
        if self.steps.len() >= MAX_STEPS {
            return Err(format!("A deck has at most {MAX_STEPS} steps."));
        }
        for (what, text) in [("title", title), ("caption", caption), ("notes", notes)] {
            check_text(&format!("The step's {what}"), text).map_err(|e| e.0)?;
        }
        let kept: Vec<&str> = fragment
            .trim_start_matches('#')
            .split('&')
            .filter(|s| {
                let key = s.split('=').next().unwrap_or_default();
                !DISPLAY_KEYS.contains(&key)
            })
            .collect();
        self.steps.push(Step {
            fragment: kept.join("&"),
            title: title.trim().to_string(),
            caption: caption.trim().to_string(),
            notes: notes.trim().to_string(),
            question: None,
        });
        let bytes = deck_json(&self.deck()).len();
        if bytes > MAX_DECK_BYTES {
            self.steps.pop();
            return Err(format!(
                "With this step the deck would be {bytes} bytes; a deck is at most {MAX_DECK_BYTES}."
            ));
        }
        Ok(self.steps.len())
    }

    /// Does what a click in the deck's panel asks (`data-deck`): `add` (the view `view` with
    /// the words typed: title, caption, notes), `up:N`, `down:N` or `delete:N` (N from 1).
    /// The panel as it is then comes back, with what to tell the user.
    pub fn apply(&mut self, click: &str, view: &str, words: &[String]) -> DraftPage {
        let word = |i: usize| words.get(i).map_or("", String::as_str);
        let (what, n) = click.split_once(':').unwrap_or((click, ""));
        let i = n.parse::<usize>().ok().and_then(|n| n.checked_sub(1));
        let mut notice = None;
        let mut added = false;
        match (what, i) {
            ("add", _) if n.is_empty() => match self.add(view, word(0), word(1), word(2)) {
                Ok(n) => {
                    added = true;
                    notice = Some(text::deck_added(n));
                }
                Err(e) => notice = Some(e),
            },
            ("up" | "down", Some(i)) if self.shift(i, what == "up") => {}
            ("delete", Some(i)) if self.delete(i) => {}
            _ => {
                notice = Some(format!(
                    "The deck has no action {:?} (there are {} steps).",
                    url::clip_to(click, 40),
                    self.steps.len()
                ))
            }
        }
        DraftPage {
            added,
            ..self.page(notice)
        }
    }

    /// A deck opened from a file or a link becomes the draft, unless that would lose the
    /// steps of another one being written: then the draft stays, and the panel says so
    /// (in its own markup, beside the list, until the panel changes).
    pub fn adopt(&mut self, deck: &Deck) -> DraftPage {
        // Written out again, a document read whole may grow past what a deck may hold.
        let fits = deck_json(deck).len() <= MAX_DECK_BYTES;
        if self.steps.is_empty() && fits {
            *self = DeckDraft::of(deck);
        }
        let mut page = self.page(None);
        if self.deck() != *deck {
            let note = match fits {
                true => text::deck_kept(self.steps.len()),
                false => text::DECK_TOO_BIG_TO_KEEP.into(),
            };
            page.html.push_str(&format!(
                r#"<p class="hint" role="status" data-testid="deck-kept">{}</p>"#,
                esc(&note)
            ));
        }
        page
    }

    /// Moves step `i` (from 0) one place earlier (`up`) or later; false at an end.
    pub fn shift(&mut self, i: usize, up: bool) -> bool {
        let j = if up { i.checked_sub(1) } else { Some(i + 1) };
        match j {
            Some(j) if i < self.steps.len() && j < self.steps.len() => {
                self.steps.swap(i, j);
                true
            }
            _ => false,
        }
    }

    /// Deletes step `i` (from 0); false when there is none.
    pub fn delete(&mut self, i: usize) -> bool {
        if i < self.steps.len() {
            self.steps.remove(i);
            return true;
        }
        false
    }

    pub fn deck(&self) -> Deck {
        Deck {
            ualign_deck: DECK_VERSION,
            title: self.title.clone(),
            steps: self.steps.clone(),
        }
    }

    /// The panel: the form for the next step (the same every time, so the page keeps what
    /// is typed), the list (each step's title with buttons to move and delete it) with the
    /// deck's buttons, and the document.
    pub fn page(&self, notice: Option<String>) -> DraftPage {
        let mut html = String::from(r#"<ol data-testid="deck-steps">"#);
        let last = self.steps.len().saturating_sub(1);
        for (i, s) in self.steps.iter().enumerate() {
            let n = i + 1;
            let title = if s.title.is_empty() {
                format!("Step {n}")
            } else {
                esc(&s.title)
            };
            html.push_str(&format!("<li><span>{title}</span>"));
            for (action, label, what, off) in [
                ("up", "↑", "Earlier", i == 0),
                ("down", "↓", "Later", i == last),
                ("delete", "✕", "Delete", false),
            ] {
                button(
                    &mut html,
                    &format!("{action}:{n}"),
                    &format!("deck-{action}-{n}"),
                    label,
                    &format!("{what}: step {n}"),
                    off,
                );
            }
            html.push_str("</li>");
        }
        html.push_str("</ol>");
        if self.steps.is_empty() {
            html.push_str(&format!(r#"<p class="hint">{}</p>"#, esc(text::DECK_EMPTY)));
        }
        html.push_str(r#"<div class="row">"#);
        for (action, label) in [
            ("present", text::DECK_PRESENT),
            ("export", text::DECK_EXPORT),
            ("share", text::DECK_SHARE),
        ] {
            let id = format!("deck-{action}");
            button(&mut html, action, &id, label, label, self.steps.is_empty());
        }
        html.push_str("</div>");
        DraftPage {
            form: form_html(),
            html,
            json: deck_json(&self.deck()),
            steps: self.steps.len(),
            notice,
            added: false,
            store: true,
        }
    }
}

/// A small button whose click the page reads by its `data-deck`.
fn button(out: &mut String, deck: &str, id: &str, label: &str, title: &str, off: bool) {
    out.push_str(&format!(
        r#"<button class="small" data-deck="{deck}" data-testid="{id}" title="{title}" aria-label="{title}"{}>{}</button>"#,
        if off { " disabled" } else { "" },
        esc(label),
        title = esc(title),
    ));
}

/// The panel's heading, hint and the words of the next step, with the button that adds it.
fn form_html() -> String {
    let mut out = format!(
        r#"<h2>{}</h2><p class="hint">{}</p>"#,
        esc(text::DECK_HEADING),
        esc(text::DECK_HINT)
    );
    for (i, id) in DECK_WORD_IDS.iter().enumerate() {
        out.push_str(&format!(
            r#"<label>{}<textarea rows="{}" maxlength="{MAX_TEXT_CHARS}" data-testid="{id}"></textarea></label>"#,
            esc(text::DECK_WORDS[i]),
            if i == 0 { 1 } else { 2 }
        ));
    }
    out.push_str(&format!(
        r#"<button class="primary" data-deck="add" data-testid="deck-add">{}</button>"#,
        esc(text::DECK_ADD)
    ));
    out
}

/// The test ids of the step's title, caption and notes (the page reads them on `add`).
pub const DECK_WORD_IDS: [&str; 3] = ["deck-title", "deck-caption", "deck-notes"];

/// The lecturer's deck as the page shows it: drawn and written in the worker.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DraftPage {
    /// The form for the next step (`form_html`), as markup.
    pub form: String,
    /// The steps as an `<ol>`, texts escaped, then the deck's buttons; each button carries
    /// `data-deck` (`up:N`, `down:N`, `delete:N`, `present`, `export`, `share`) and a test id
    /// (`deck-up-N` and so on, `deck-present`).
    pub html: String,
    /// The deck document (`deck_json`): exported, linked and kept by the page.
    pub json: String,
    pub steps: usize,
    /// What to tell the user (a step added, or why not).
    pub notice: Option<String>,
    /// A step was added: the page empties the words typed.
    pub added: bool,
    /// The page keeps this document in its storage (false when the panel merely shows the
    /// stored copy again, or could not: a copy that no longer reads is left as it is).
    pub store: bool,
}

/// The view shown, as a step's link: the page's fragment, checked by the link decoder
/// (the worker, which keeps the draft, has none).
pub fn view_fragment(fragment: &str) -> Result<String, String> {
    let fragment = fragment.trim_start_matches('#');
    url::decode_settings(fragment).map_err(|e| format!("This view's link: {e}"))?;
    Ok(fragment.to_string())
}

/// The deck document (version 1), as `deck::read_deck` reads it back; empty notes and no
/// question are left out, as serde writes them.
pub fn deck_json(deck: &Deck) -> String {
    let mut out = String::with_capacity(256 + deck.steps.len() * 256);
    out.push_str(&format!(
        "{{\n  \"ualign_deck\": {},\n  \"title\": ",
        deck.ualign_deck
    ));
    json_string(&mut out, &deck.title);
    out.push_str(",\n  \"steps\": [");
    for (i, s) in deck.steps.iter().enumerate() {
        out.push_str(if i == 0 { "\n    {" } else { ",\n    {" });
        let fields = [
            ("fragment", &s.fragment),
            ("title", &s.title),
            ("caption", &s.caption),
        ];
        for (j, (name, value)) in fields.into_iter().enumerate() {
            out.push_str(if j == 0 { "\"" } else { ", \"" });
            out.push_str(name);
            out.push_str("\": ");
            json_string(&mut out, value);
        }
        if !s.notes.is_empty() {
            out.push_str(", \"notes\": ");
            json_string(&mut out, &s.notes);
        }
        if let Some(Question { prompt, answer }) = &s.question {
            out.push_str(", \"question\": {\"prompt\": ");
            json_string(&mut out, prompt);
            out.push_str(", \"answer\": ");
            json_string(
                &mut out,
                match answer {
                    crate::deck::Answer::NlhfWinRate => "nlhf-win-rate",
                    crate::deck::Answer::NlhfTop => "nlhf-top",
                },
            );
            out.push('}');
        }
        out.push('}');
    }
    out.push_str("\n  ]\n}\n");
    out
}

/// A deck link's fragment starts so: `#deck=<the document, deflated, base64url>`, packed as a
/// share link's `data=` is.
pub const DECK_LINK_KEY: &str = "deck=";

/// The packed document of a deck link (None: the fragment is a configuration's link).
pub fn deck_link_data(fragment: &str) -> Option<&str> {
    fragment.trim_start_matches('#').strip_prefix(DECK_LINK_KEY)
}

/// The fragment of a deck link holding `data` (a packed document), or why no link holds it:
/// the same limit as any link's.
pub fn deck_link(data: &str) -> Result<String, String> {
    let fragment = format!("{DECK_LINK_KEY}{data}");
    if fragment.len() > url::MAX_FRAGMENT_BYTES {
        return Err(format!(
            "The deck is too big for a link: {} bytes packed (the limit is {}); export it as JSON instead.",
            fragment.len(),
            url::MAX_FRAGMENT_BYTES
        ));
    }
    Ok(fragment)
}

/// Whether an imported `.json` file is meant as a deck document (its version key), not a
/// saved configuration: the worker then reads it as a deck, and says what is wrong with it.
pub fn is_deck_document(text: &str) -> bool {
    // A byte search: `str::contains` brings its two-way searcher into the worker's wasm.
    let key = b"\"ualign_deck\"";
    text.as_bytes().windows(key.len()).any(|w| w == key)
}
