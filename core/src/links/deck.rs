//! Decks (docs/architecture.md#the-deck-format): the argument told in steps, each a share-link fragment with
//! its words; the built-in tour is one, read like any other untrusted input.
//!
//! A deck document (version 1) is JSON:
//!
//! ```json
//! {"ualign_deck": 1, "title": "...", "steps": [
//!   {"fragment": "v=1&preset=majority-51-49&k=4&view=sweep", "title": "...",
//!    "caption": "...", "notes": "...",
//!    "question": {"prompt": "...", "answer": "nlhf-win-rate"}}]}
//! ```
//!
//! `notes` and `question` may be left out. A question is asked before the step's answer is
//! shown (predict, then reveal); its `answer` names the live number or response the guess is
//! checked against: `nlhf-win-rate` (W_k of NLHF's exact maximal lottery, a guess in [0, 1])
//! or `nlhf-top` (the response the maximal lottery puts most on, a guess among the labels).
//! Captions may quote live exact values: `{nlhf}`, `{game}`, `{bound}` and `{share}` become W_k
//! of the maximal lottery, of the alignment game's equilibrium, k/(k+1) and 1/(k+1), to four
//! decimals.

use crate::config::Config;
use crate::links::url;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The deck format this tool writes and reads.
pub const DECK_VERSION: u32 = 1;
/// Limits that keep a deck document small enough to read at once and to show.
pub const MAX_DECK_BYTES: usize = 1024 * 1024;
pub const MAX_STEPS: usize = 200;
/// Characters of a reader's own message quoted in an error.
pub const MESSAGE_CHARS: usize = 200;
/// Characters in one title, caption, note or prompt.
pub const MAX_TEXT_CHARS: usize = 4000;

/// An ordered list of steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deck {
    pub ualign_deck: u32,
    pub title: String,
    pub steps: Vec<Step>,
}

/// One step: what to show, and what the audience reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// A share-link fragment (with or without its `#`).
    pub fragment: String,
    pub title: String,
    pub caption: String,
    /// Speaker notes (the presenter's, not the audience's).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<Question>,
}

/// A question asked before the answer is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub prompt: String,
    pub answer: Answer,
}

/// What a guess is checked against: a live exact value of the step's configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    /// W_k of NLHF's maximal lottery; the guess is a number in [0, 1].
    NlhfWinRate,
    /// The response NLHF's maximal lottery puts most on; the guess is one of the labels.
    NlhfTop,
}

/// Why a deck document cannot be used, naming the step where it is one step's fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckError(pub String);

impl fmt::Display for DeckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DeckError {}

fn err(msg: String) -> DeckError {
    DeckError(msg)
}

/// Reads a deck document: [`read_deck_shape`], then [`Deck::checked_fragments`]. Never
/// panics.
pub fn read_deck(text: &str) -> Result<Deck, DeckError> {
    read_deck_shape(text)?.checked_fragments()
}

/// Deck documents as JSON text: the size first, then [`read_deck_from`] on serde_json's
/// reader of the whole text.
pub fn read_deck_shape(text: &str) -> Result<Deck, DeckError> {
    check_size(text.len())?;
    let mut d = serde_json::Deserializer::from_str(text);
    let deck = read_deck_from(&mut d)?;
    d.end().map_err(|e| not_a_deck(&e))?;
    Ok(deck)
}

/// The one reader of deck documents, whatever parsed them: the derived `Deserialize` (unknown
/// fields are errors), then [`Deck::checked_shape`]. Natively and in the fuzzers the parser is
/// serde_json; the worker hands it the browser's `JSON.parse` result through
/// serde_wasm_bindgen (which keeps serde_json's parser out of its wasm) after refusing the
/// unknown fields that deserializer does not show to `Deserialize`. The page, which holds the
/// link decoder, then checks the steps' links (`checked_fragments`).
pub fn read_deck_from<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Deck, DeckError> {
    Deck::deserialize(d)
        .map_err(|e| not_a_deck(&e))?
        .checked_shape()
}

/// serde's message may quote a field name of any length: clipped.
fn not_a_deck(e: &dyn fmt::Display) -> DeckError {
    err(format!(
        "The deck is not a deck document: {}.",
        url::clip_to(&e.to_string(), MESSAGE_CHARS)
    ))
}

/// The size limit, checked before a document is parsed at all.
pub fn check_size(bytes: usize) -> Result<(), DeckError> {
    if bytes > MAX_DECK_BYTES {
        return Err(err(format!(
            "The deck is {bytes} bytes; at most {MAX_DECK_BYTES} are read."
        )));
    }
    Ok(())
}

impl Deck {
    /// The checks after parsing: [`Deck::checked_shape`], then
    /// [`Deck::checked_fragments`].
    pub fn checked(self) -> Result<Deck, DeckError> {
        self.checked_shape()?.checked_fragments()
    }

    /// Every step's settings through the share-link decoder, so each step opens a usable
    /// configuration. (Packed preferences, `data=`, are unpacked and checked when the step
    /// opens, as any link's are.) The page runs this when a deck arrives from the worker: the
    /// link decoder is the page's, and would add 2 KB to the worker's wasm.
    pub fn checked_fragments(self) -> Result<Deck, DeckError> {
        for (i, step) in self.steps.iter().enumerate() {
            url::decode_settings(&step.fragment)
                .map_err(|e| err(format!("Step {}'s fragment: {e}", i + 1)))?;
        }
        Ok(self)
    }

    /// The version, the number of steps and every text's length (the worker parses with the
    /// browser's JSON.parse and serde's derived reader, then calls this).
    pub fn checked_shape(self) -> Result<Deck, DeckError> {
        if self.ualign_deck != DECK_VERSION {
            return Err(err(format!(
                "The deck is version {}; this tool reads version {DECK_VERSION}.",
                self.ualign_deck
            )));
        }
        if self.steps.is_empty() || self.steps.len() > MAX_STEPS {
            return Err(err(format!(
                "A deck has 1 to {MAX_STEPS} steps; this one has {}.",
                self.steps.len()
            )));
        }
        check_text("The deck's title", &self.title)?;
        for (i, step) in self.steps.iter().enumerate() {
            let name = format!("Step {}", i + 1);
            check_text(&format!("{name}'s title"), &step.title)?;
            check_text(&format!("{name}'s caption"), &step.caption)?;
            check_text(&format!("{name}'s notes"), &step.notes)?;
            if let Some(q) = &step.question {
                check_text(&format!("{name}'s question"), &q.prompt)?;
            }
        }
        Ok(self)
    }
}

pub(crate) fn check_text(what: &str, s: &str) -> Result<(), DeckError> {
    let chars = s.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(err(format!(
            "{what} has {chars} characters; at most {MAX_TEXT_CHARS} are shown."
        )));
    }
    Ok(())
}

impl Step {
    /// The configuration this step opens.
    pub fn config(&self) -> Result<Config, url::UrlError> {
        url::decode(self.fragment.trim_start_matches('#'))
    }
}

impl Deck {
    /// The document, as `read_deck` reads it back.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// A caption with its live values filled in (`{nlhf}`, `{game}`, `{bound}`; absent values
/// read as a dash until they are known). One pass by hand: `str::replace` costs the page 2 KB.
pub fn fill_caption(caption: &str, nlhf: Option<f64>, game: Option<f64>, k: usize) -> String {
    let bound = Some(k as f64 / (k as f64 + 1.0));
    let share = Some(1.0 / (k as f64 + 1.0));
    let mut out = String::with_capacity(caption.len() + 16);
    let mut rest = caption;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let value = [
            ("{nlhf}", nlhf),
            ("{game}", game),
            ("{bound}", bound),
            ("{share}", share),
        ]
        .into_iter()
        .find(|(name, _)| rest.starts_with(name));
        match value {
            Some((name, v)) => {
                match v {
                    Some(v) => out.push_str(&format!("{v:.4}")),
                    None => out.push('–'),
                }
                rest = &rest[name.len()..];
            }
            None => {
                out.push('{');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// How far a number guess is from the answer, in words (for the reveal).
pub fn judge_number(guess: f64, answer: f64) -> String {
    let off = (guess - answer).abs();
    if off <= 0.01 {
        format!("Your guess {guess:.2}: right on (the exact value is {answer:.4}).")
    } else {
        format!("Your guess {guess:.2}; the exact value is {answer:.4}, {off:.2} away.")
    }
}
