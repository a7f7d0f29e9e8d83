//! The shell's decks: the tour and a lecturer's deck shown step by step, the deck panel's
//! buttons, and deck links. The worker reads decks; the page checks their links and shows them.

use super::{App, Msg};
use crate::deck_panel::DeckClick;
use crate::links;
use crate::location;
use crate::run_panel::RunAction;
use crate::tour::TourAction;
use crate::transfer;
use std::rc::Rc;
use ualign::arena::live::ArenaRequest;
use ualign::config::{Config, View};
use ualign::deck_draft::DeckPanel;
use ualign::page::run_state::Dirty;
use ualign::page::text;
use ualign::page::tour::{DeckView, TourMove};
use ualign::page::undo::HistoryEntry;
use ualign::protocol::RunStatus;
use ualign::protocol::{DraftRequest, ToWorker};
use ualign::url::UrlError;
use yew::prelude::*;

/// Rounds a seats scene plays at once when motion is unwelcome.
const SCENE_SEATS_ROUNDS: u32 = 20_000;

/// What the tour bar, the deck panel and deck links ask, and their answers.
pub enum DeckMsg {
    Tour(TourAction),
    /// A button of the deck panel.
    Click(DeckClick),
    /// A deck step's link is unpacked (for the step number it was opened for).
    StepOpened(Result<Config, UrlError>, usize),
    /// The lecturer's deck (this document), packed into a link (or why no link holds it).
    Link((String, Result<String, String>)),
    /// A deck link's document, unpacked.
    Text(Result<String, String>),
}

impl App {
    pub(super) fn deck_msg(&mut self, ctx: &Context<Self>, msg: DeckMsg) -> bool {
        match msg {
            DeckMsg::Tour(action) => self.tour_action(ctx, action),
            DeckMsg::Click(click) => self.deck_action(ctx, click),
            DeckMsg::StepOpened(Ok(c), number) => self.step_opened(c, number),
            DeckMsg::StepOpened(Err(e), _) => self.say(Some(text::bad_link(&e))),
            // A link of the deck as it was when asked for (it changed since: none).
            DeckMsg::Link((json, _)) if json != self.draft.json => false,
            DeckMsg::Link((_, Ok(fragment))) => {
                self.deck_link = Some(location::href_with(&fragment));
                true
            }
            DeckMsg::Text(Ok(text)) => self.read_deck(text),
            DeckMsg::Link((_, Err(e))) | DeckMsg::Text(Err(e)) => self.say(Some(e)),
        }
    }

    /// A step's configuration is shown, unless the deck has moved on since it was asked for.
    fn step_opened(&mut self, mut c: Config, number: usize) -> bool {
        if self.deck.as_ref().map(DeckView::number) != Some(number) {
            return false;
        }
        c.tour = number;
        c.at_end |= self.config.at_end;
        self.keep_display(&mut c);
        if c == self.config {
            self.play_scene(false);
            return true;
        }
        let shown = if std::mem::take(&mut self.step_replaces) {
            // Opened on a tour link: the step is that link, not a new history entry.
            self.config = c;
            self.form.sync_all(&self.config);
            self.location.reset(&self.config);
            self.location.write(&self.config, HistoryEntry::Replace);
            self.load()
        } else {
            self.open(c, None)
        };
        self.play_scene(self.worker.fresh());
        shown
    }

    /// A scene plays its run to the end its caption describes (at once when motion is
    /// unwelcome: the speed is then "as fast as possible"); a question's run waits for the
    /// reveal, and a page not yet seen waits to be seen. `fresh`: the step started a new
    /// computation (the status shown is still the old run's).
    pub(super) fn play_scene(&mut self, fresh: bool) {
        let asking = self.deck.as_ref().is_some_and(|d| d.asking().is_some());
        if self.config.view == View::Seats && !asking {
            // The seats' tallies are the scene's run: fast rounds, or under reduced motion
            // enough rounds at once for the tallies to sit on their exact values.
            self.worker
                .send(ToWorker::Seats(if crate::platform::reduced_motion() {
                    ArenaRequest::Rounds(SCENE_SEATS_ROUNDS)
                } else {
                    ArenaRequest::Fast(true)
                }));
        }
        let going = self.run.running() || self.run.status == RunStatus::Done;
        if self.config.view == View::Arena && !asking && self.run.arena.is_none() {
            // An arena scene opens on a round dealt, not an empty table.
            self.worker.send(ToWorker::Arena(ArenaRequest::Rounds(1)));
        }
        if asking || (going && !fresh) {
            return;
        }
        if self.seen.0 {
            self.worker
                .control(&mut self.run, &self.config, RunAction::Play);
        } else {
            self.resume_when_seen = true;
        }
    }

    /// A deck the worker read (or why not), shown from the step asked for once its links are
    /// checked.
    pub(super) fn deck_arrived(
        &mut self,
        ctx: &Context<Self>,
        deck: Result<ualign::deck::Deck, String>,
    ) {
        match deck {
            Ok(deck) if self.tour_wanted > 0 => match deck.checked_fragments() {
                Ok(deck) => {
                    let at = std::mem::take(&mut self.tour_wanted);
                    let view = DeckView::new(deck, at);
                    self.guess = fresh_guess(&view);
                    self.deck = Some(view);
                    // The page becomes a scene: every canvas has a new size.
                    self.run.dirty = Dirty::all();
                    self.open_step(ctx);
                    // The draft presented is the panel's as it is now (its replies come
                    // before the deck's); any other lecturer's deck, checked, may become the
                    // panel's.
                    if std::mem::take(&mut self.presenting_draft) {
                        self.source_wanted = Some(self.draft.json.clone());
                    } else if let Some(source) = &self.source_wanted {
                        self.deck_request(DraftRequest::Adopt(source.clone()));
                    }
                    self.deck_source = self.source_wanted.take();
                }
                Err(why) => {
                    self.no_deck();
                    self.say(Some(text::deck_failed(&why.0)));
                }
            },
            Ok(_) => {}
            Err(why) => {
                self.no_deck();
                self.say(Some(text::deck_failed(&why)));
            }
        }
    }

    /// The configuration's tour step is shown: the deck follows it (back, forward, a host's
    /// load), or the tour is read when no deck is shown yet.
    pub(super) fn follow_tour(&mut self) {
        let tour = self.config.tour;
        if tour == 0 {
            return;
        }
        let Some(deck) = &mut self.deck else {
            return self.enter_tour(tour);
        };
        if deck.go(TourMove::Goto(tour)).is_some() {
            self.guess = fresh_guess(deck);
        }
    }

    /// On `get` in a deck (the presenter window asks so when it opens): the worker posts the
    /// deck shown on the presenter's channel (the page has no JSON writer for a deck): the
    /// lecturer's document, or else the tour (fetched again by a worker that has none).
    pub(super) fn present_deck(&mut self) {
        if self.deck.is_some() && self.tour_wanted == 0 {
            let source = self.deck_source.clone().unwrap_or_default();
            self.deck_request(DraftRequest::Repost(source));
        }
    }

    pub(super) fn deck_request(&mut self, request: DraftRequest) {
        self.worker.ensure(&mut self.run, &self.config);
        self.worker.send(ToWorker::Draft(request));
    }

    /// Shows a lecturer's deck (`source`, its document) from its first step once the worker
    /// has read it and the page has checked its links; then it may become the panel's.
    pub(super) fn expect_deck(&mut self, source: Option<&str>, replaces: bool) {
        self.tour_wanted = 1;
        self.step_replaces = replaces;
        self.presenting_draft = false;
        // An imported file bigger than a deck may be is no deck: not copied.
        let deck_sized = source.filter(|s| s.len() <= ualign::deck::MAX_DECK_BYTES);
        self.source_wanted = deck_sized.map(str::to_string);
    }

    /// No deck came of a read (it was refused, or the file was a saved configuration).
    pub(super) fn no_deck(&mut self) {
        self.tour_wanted = 0;
        self.source_wanted = None;
        self.presenting_draft = false;
        self.step_replaces = false;
    }

    /// A deck link's document, read by the worker; opened on a link, its first step replaces
    /// the link in the history (back leaves the page, as from a tour link).
    pub(super) fn read_deck(&mut self, text: String) -> bool {
        self.expect_deck(Some(&text), true);
        self.worker.ensure(&mut self.run, &self.config);
        self.worker.send(ToWorker::ReadDeck(Some(text)));
        false
    }

    /// The deck panel's buttons: the list's and the step's go to the worker, which keeps
    /// the draft; the deck's document is exported or packed here.
    pub(super) fn deck_action(&mut self, ctx: &Context<Self>, click: DeckClick) -> bool {
        let json = self.draft.json.clone();
        match click {
            // One step at a time: a second click on the same words before the answer adds
            // nothing.
            DeckClick::Add if self.words_sent == Some(self.deck_panel.words()) => false,
            DeckClick::Add => match self.location.step_view(&self.config) {
                Ok(view) => {
                    let words = self.deck_panel.words();
                    let word = |i: usize| words.get(i).cloned().unwrap_or_default();
                    let request = DraftRequest::Add {
                        view,
                        title: word(0),
                        caption: word(1),
                        notes: word(2),
                    };
                    self.words_sent = Some(words);
                    self.deck_request(request);
                    false
                }
                Err(e) => self.say(Some(e)),
            },
            DeckClick::Present => {
                self.expect_deck(None, false);
                self.presenting_draft = true;
                self.deck_request(DraftRequest::Present);
                false
            }
            DeckClick::Export => {
                let done = transfer::text(&json, "application/json", "ualign-deck.json");
                self.say(transfer::failure(done))
            }
            DeckClick::Share => {
                let done = ctx.link().callback(|l| Msg::Deck(DeckMsg::Link(l)));
                yew::platform::spawn_local(async move {
                    let packed = links::pack_deck(json.clone()).await;
                    done.emit((json, packed))
                });
                false
            }
            DeckClick::Up(n) | DeckClick::Down(n) | DeckClick::Delete(n) => {
                self.deck_request(match click {
                    DeckClick::Up(_) => DraftRequest::Up(n),
                    DeckClick::Down(_) => DraftRequest::Down(n),
                    _ => DraftRequest::Delete(n),
                });
                false
            }
        }
    }

    /// The worker's word on the lecturer's deck: shown, and kept in this browser (not by a
    /// framed page, whose panel is hidden).
    pub(super) fn draft_changed(&mut self, draft: DeckPanel) {
        if draft.store && !self.config.embed {
            location::store_deck((!draft.titles.is_empty()).then_some(draft.json.as_str()));
        }
        // The add's answer (a step added, or why not; a new worker's panel): the words
        // typed since the click are kept.
        if draft.added || draft.notice.is_some() || !draft.store {
            let sent = self.words_sent.take();
            if draft.added && sent == Some(self.deck_panel.words()) {
                self.deck_panel.clear();
            }
        }
        if draft.json != self.draft.json {
            self.deck_link = None;
        }
        self.say(draft.notice.clone());
        self.draft = Rc::new(draft);
    }

    /// A deck link: its document is unpacked, then read by the worker.
    pub(super) fn open_deck_link(ctx: &Context<Self>, data: String) {
        let done = ctx.link().callback(|t| Msg::Deck(DeckMsg::Text(t)));
        yew::platform::spawn_local(async move { done.emit(links::unpack_deck(data).await) });
    }

    /// Opens the built-in tour at step `number` once the worker has read it.
    pub(super) fn enter_tour(&mut self, number: usize) {
        self.tour_wanted = number.max(1);
        self.source_wanted = None;
        self.presenting_draft = false;
        self.worker.ensure(&mut self.run, &self.config);
        self.worker.send(ToWorker::ReadDeck(None));
    }

    /// Moves through the deck (a key, a button or the host); Leave keeps the configuration.
    pub(super) fn tour_move(&mut self, ctx: &Context<Self>, to: TourMove) -> bool {
        let Some(deck) = &mut self.deck else {
            if let TourMove::Goto(n) = to {
                self.enter_tour(n);
            }
            return false;
        };
        if to == TourMove::Leave {
            self.deck = None;
            self.run.dirty = Dirty::all();
            self.config.tour = 0;
            return self.finished();
        }
        if deck.go(to).is_some() {
            self.guess = fresh_guess(deck);
            self.open_step(ctx);
        }
        true
    }

    pub(super) fn open_step(&self, ctx: &Context<Self>) {
        if let Some(deck) = &self.deck {
            let number = deck.number();
            let done = ctx
                .link()
                .callback(move |r| Msg::Deck(DeckMsg::StepOpened(r, number)));
            links::open_then(links::open(&deck.step().fragment), done);
        }
    }

    pub(super) fn tour_action(&mut self, ctx: &Context<Self>, action: TourAction) -> bool {
        match action {
            TourAction::Start => {
                self.step_replaces = false;
                self.enter_tour(1);
                false
            }
            TourAction::Move(to) => self.tour_move(ctx, to),
            TourAction::Guess(g) => {
                self.guess = g;
                true
            }
            TourAction::Reveal => {
                let Some(deck) = &mut self.deck else {
                    return false;
                };
                match deck.read_guess(&self.guess, &self.run.labels) {
                    Ok(guess) => {
                        deck.reveal(guess);
                        // The answer comes in live beside the guess.
                        if !self.run.running() {
                            self.worker
                                .control(&mut self.run, &self.config, RunAction::Play);
                        }
                        true
                    }
                    Err(e) => self.say(Some(e)),
                }
            }
        }
    }
}

/// The guess a question starts from: the middle of the slider, or no response chosen.
fn fresh_guess(view: &DeckView) -> String {
    match view.asking().map(|q| q.answer) {
        Some(ualign::deck::Answer::NlhfTop) => String::new(),
        _ => "0.5".into(),
    }
}
