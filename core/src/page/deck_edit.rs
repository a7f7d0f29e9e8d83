//! A lecturer's deck as it is written on the page: steps added from the view shown, moved and
//! deleted, and the document written as JSON without a JSON library (the page has none; the
//! worker reads documents back with `Deck::checked_shape`, the page checks their links).

use crate::deck::{check_text, Deck, Question, Step, DECK_VERSION, MAX_STEPS};
use crate::links::embed::json_string;
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
    /// step. The fragment loses the display settings (`tour`, `origins`, `embed`) and must
    /// pass the link decoder; texts are held to the deck's limits.
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
        let fragment = kept.join("&");
        url::decode_settings(&fragment).map_err(|e| format!("This view's link: {e}"))?;
        self.steps.push(Step {
            fragment,
            title: title.trim().to_string(),
            caption: caption.trim().to_string(),
            notes: notes.trim().to_string(),
            question: None,
        });
        Ok(self.steps.len())
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
