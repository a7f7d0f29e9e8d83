//! The worker's side of decks and saved files: the lecturer's draft, the tour's document for
//! the presenter window, and what each request does, as effects the worker's web layer performs.

use crate::config::Config;
use crate::deck::{read_deck_shape, Deck};
use crate::links::deck_draft::{deck_json, is_deck_document, DeckDraft, DeckPanel};
use crate::page::text;
use crate::protocol::{DraftRequest, FromWorker};

/// What the worker's web layer does for a request.
#[derive(Debug, Clone, PartialEq)]
pub enum DeckEffect {
    /// Post this reply to the page (boxed: a reply is large beside the other effects).
    Post(Box<FromWorker>),
    /// Post this deck document on the presenter window's channel.
    TellPresenter(String),
    /// Fetch the built-in tour (`static/tour.json`), then call `tour_fetched` (or
    /// `tour_failed`) with the same `for_page`.
    FetchTour { for_page: bool },
}

/// How the worker reads deck documents and saved configurations from their text: natively
/// with serde_json (`JsonDocuments`); in the browser with `JSON.parse`, which keeps
/// serde_json's parser out of the worker's wasm. Both end in the core's one reader of each
/// format (`deck::read_deck_from`, `Config::read_saved`).
pub trait Documents {
    fn deck(&self, text: &str) -> Result<Deck, String>;
    fn saved(&self, text: &str) -> Result<Config, String>;
}

/// The documents read by serde_json.
pub struct JsonDocuments;

impl Documents for JsonDocuments {
    fn deck(&self, text: &str) -> Result<Deck, String> {
        read_deck_shape(text).map_err(|e| e.0)
    }
    fn saved(&self, text: &str) -> Result<Config, String> {
        Config::from_json(text).map_err(|e| e.0)
    }
}

impl DeckEffect {
    fn post(msg: FromWorker) -> DeckEffect {
        DeckEffect::Post(Box::new(msg))
    }
}

/// The lecturer's deck being written, and the tour's document once fetched.
#[derive(Debug, Default)]
pub struct DeckDesk {
    draft: DeckDraft,
    tour: String,
}

impl DeckDesk {
    pub const fn new() -> Self {
        DeckDesk {
            draft: DeckDraft {
                title: String::new(),
                steps: Vec::new(),
            },
            tour: String::new(),
        }
    }

    /// A deck document for the page to show (from a file, a link, or the draft): read, and
    /// its document told to the presenter window.
    pub fn read(&self, docs: &dyn Documents, text: &str) -> Vec<DeckEffect> {
        match docs.deck(text) {
            Ok(deck) => vec![
                DeckEffect::TellPresenter(text.to_string()),
                DeckEffect::post(FromWorker::Deck(deck)),
            ],
            Err(why) => vec![DeckEffect::post(FromWorker::DeckFailed(why))],
        }
    }

    /// An imported `.json` file: a deck document, or else a saved configuration.
    pub fn import_json(&self, docs: &dyn Documents, name: String, text: &str) -> Vec<DeckEffect> {
        if is_deck_document(text) {
            return self.read(docs, text);
        }
        vec![DeckEffect::post(FromWorker::Saved {
            config: docs.saved(text),
            name,
        })]
    }

    /// The tour was fetched: kept for the presenter, and shown when the page asked.
    pub fn tour_fetched(
        &mut self,
        docs: &dyn Documents,
        text: String,
        for_page: bool,
    ) -> Vec<DeckEffect> {
        let effects = match for_page {
            true => self.read(docs, &text),
            false => vec![DeckEffect::TellPresenter(text.clone())],
        };
        self.tour = text;
        effects
    }

    /// The tour could not be fetched: the page hears why; a presenter's fetch asks again.
    pub fn tour_failed(why: &str, for_page: bool) -> Vec<DeckEffect> {
        match for_page {
            true => vec![DeckEffect::post(FromWorker::DeckFailed(format!(
                "The tour (tour.json) could not be fetched: {why}."
            )))],
            false => Vec::new(),
        }
    }

    /// A request about the lecturer's deck.
    pub fn request(&mut self, docs: &dyn Documents, request: DraftRequest) -> Vec<DeckEffect> {
        let post = |panel: DeckPanel| vec![DeckEffect::post(FromWorker::Draft(panel))];
        match request {
            // The lecturer's deck shown (its document), or else the tour.
            DraftRequest::Repost(text) if !text.is_empty() => {
                vec![DeckEffect::TellPresenter(text)]
            }
            DraftRequest::Repost(_) if self.tour.is_empty() => {
                vec![DeckEffect::FetchTour { for_page: false }]
            }
            DraftRequest::Repost(_) => vec![DeckEffect::TellPresenter(self.tour.clone())],
            DraftRequest::Present => self.read(docs, &deck_json(&self.draft.deck())),
            // A deck the page has shown and checked (its document) may become the draft.
            DraftRequest::Adopt(text) => match docs.deck(&text) {
                Ok(deck) => post(self.draft.adopt(&deck)),
                Err(_) => Vec::new(),
            },
            // The page's stored copy, shown again, not written back: one that no longer
            // reads says why and is left as it is.
            DraftRequest::Restore(text) => {
                let shown = match text.as_str() {
                    "" => self.draft.page(None),
                    kept => match docs.deck(kept) {
                        Ok(deck) => self.draft.adopt(&deck),
                        Err(why) => self.draft.page(Some(text::deck_not_restored(&why))),
                    },
                };
                post(DeckPanel {
                    store: false,
                    ..shown
                })
            }
            edit => post(self.draft.apply(&edit)),
        }
    }
}
