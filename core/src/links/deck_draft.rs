//! A lecturer's deck as it is written on the page: steps added from the view shown, moved and
//! deleted, the panel's typed view and the document. The draft lives in the worker, which
//! reads documents with `deck::read_deck_shape`; the page checks their links.

use crate::deck::{check_text, Deck, Step, DECK_VERSION, MAX_DECK_BYTES, MAX_STEPS};
use crate::page::text;
use crate::url;
use serde::{Deserialize, Serialize};

/// What the page asks of the lecturer's deck. The panel's buttons: `Add` (the view shown, as
/// its checked link, with the words typed), `Up`, `Down` and `Delete` (steps numbered from 1);
/// these answer `Draft`. The page's own: `Restore` (sent to each new worker) reads the page's
/// stored copy (empty: none) into the draft, answering `Draft`; `Present` reads the draft as
/// a deck (answered as `ReadDeck` is: `Deck` or `DeckFailed`); `Adopt` makes a deck the page
/// has shown and whose links it checked (its document) the draft (`DeckDraft::adopt`);
/// `Repost` posts a document (empty: the tour) on the presenter's channel and answers nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DraftRequest {
    Add {
        view: String,
        title: String,
        caption: String,
        notes: String,
    },
    Up(usize),
    Down(usize),
    Delete(usize),
    Present,
    Adopt(String),
    Restore(String),
    Repost(String),
}

impl DraftRequest {
    /// The bytes of text it carries (held to a deck's size by the decoder).
    pub fn text_bytes(&self) -> usize {
        match self {
            DraftRequest::Add {
                view,
                title,
                caption,
                notes,
            } => view.len() + title.len() + caption.len() + notes.len(),
            DraftRequest::Adopt(t) | DraftRequest::Restore(t) | DraftRequest::Repost(t) => t.len(),
            _ => 0,
        }
    }
}

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

    /// Does what a button of the deck's panel asks (`Add`, `Up`, `Down`, `Delete`; the
    /// page's own requests are the worker's to handle). The panel as it is then comes back,
    /// with what to tell the user.
    pub fn apply(&mut self, request: &DraftRequest) -> DeckPanel {
        let mut notice = None;
        let mut added = false;
        let done = match request {
            DraftRequest::Add {
                view,
                title,
                caption,
                notes,
            } => {
                match self.add(view, title, caption, notes) {
                    Ok(n) => {
                        added = true;
                        notice = Some(text::deck_added(n));
                    }
                    Err(e) => notice = Some(e),
                }
                true
            }
            DraftRequest::Up(n) => n.checked_sub(1).is_some_and(|i| self.shift(i, true)),
            DraftRequest::Down(n) => n.checked_sub(1).is_some_and(|i| self.shift(i, false)),
            DraftRequest::Delete(n) => n.checked_sub(1).is_some_and(|i| self.delete(i)),
            _ => false,
        };
        if !done {
            notice = Some(format!(
                "The deck cannot do that (there are {} steps).",
                self.steps.len()
            ));
        }
        DeckPanel {
            added,
            ..self.page(notice)
        }
    }

    /// A deck opened from a file or a link becomes the draft, unless that would lose the
    /// steps of another one being written: then the draft stays, and the panel says so
    /// (beside the list, until the panel changes).
    pub fn adopt(&mut self, deck: &Deck) -> DeckPanel {
        // Written out again, a document read whole may grow past what a deck may hold.
        let fits = deck_json(deck).len() <= MAX_DECK_BYTES;
        if self.steps.is_empty() && fits {
            *self = DeckDraft::of(deck);
        }
        let mut page = self.page(None);
        if self.deck() != *deck {
            page.kept = Some(match fits {
                true => text::deck_kept(self.steps.len()),
                false => text::DECK_TOO_BIG_TO_KEEP.into(),
            });
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

    /// The panel: each step's title as the list shows it, and the document.
    pub fn page(&self, notice: Option<String>) -> DeckPanel {
        let titles = self
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| match s.title.is_empty() {
                true => format!("Step {}", i + 1),
                false => s.title.clone(),
            })
            .collect();
        DeckPanel {
            titles,
            kept: None,
            json: deck_json(&self.deck()),
            notice,
            added: false,
            store: true,
        }
    }
}

/// The test ids of the step's title, caption and notes.
pub const DECK_WORD_IDS: [&str; 3] = ["deck-title", "deck-caption", "deck-notes"];

/// The lecturer's deck as the page shows it: the worker keeps the draft and sends this.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DeckPanel {
    /// Each step's title as the list shows it ("Step N" for an untitled one).
    pub titles: Vec<String>,
    /// A deck opened elsewhere that did not become the draft, and why (shown beside the list).
    pub kept: Option<String>,
    /// The deck document (`deck_json`): exported, linked and kept by the page.
    pub json: String,
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

/// The deck document (version 1), as `deck::read_deck` reads it back: serde's writer, with
/// empty notes and no question left out.
pub fn deck_json(deck: &Deck) -> String {
    // A deck is plain strings and numbers: serde_json cannot fail to write it.
    let mut out = serde_json::to_string_pretty(deck).unwrap_or_default();
    out.push('\n');
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
