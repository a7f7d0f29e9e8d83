//! The shell's place: the configuration the page opened with, the URL fragment as it changes
//! (back, forward, an edited link), and loading a configuration into the worker.

use super::{App, Msg};
use crate::links;
use crate::location;
use crate::platform::{self, now_ms};
use crate::run_panel::RunAction;
use ualign::config::Config;
use ualign::page::run_state::Dirty;
use ualign::page::text;
use ualign::page::undo::HistoryEntry;
use ualign::url::UrlError;
use yew::prelude::*;

/// The link the page opened with, and the fragment's changes.
pub enum NavMsg {
    /// The link the page opened with is unpacked (and whether it came from storage, and
    /// whether this is a first visit: no link, nothing saved).
    Opened(Result<Config, UrlError>, bool, bool),
    /// The URL fragment changed (an edited link, back or forward).
    HashChanged,
    /// What it holds, unpacked.
    Arrived(Result<Config, UrlError>),
    /// A link was packed for the address bar.
    Packed((u64, Result<String, UrlError>)),
}

impl App {
    pub(super) fn nav_msg(&mut self, ctx: &Context<Self>, msg: NavMsg) -> bool {
        match msg {
            NavMsg::Opened(result, restored, first_visit) => {
                self.opened(result, restored, first_visit)
            }
            NavMsg::HashChanged => {
                if let Some(data) = location::deck_data() {
                    Self::open_deck_link(ctx, data);
                    return false;
                }
                let arrived = ctx.link().callback(|r| Msg::Nav(NavMsg::Arrived(r)));
                links::open_then(location::from_fragment(), arrived);
                false
            }
            NavMsg::Arrived(Ok(c)) if c == self.config => false,
            NavMsg::Arrived(Ok(c)) => {
                // Back, forward or an edited link: a change like any other (undoable).
                let before = std::mem::replace(&mut self.config, c);
                self.location.arrived(before, &self.config);
                self.notice = None;
                self.form.sync_all(&self.config);
                // Back or forward within the deck: the step is the link's.
                self.follow_tour();
                self.load()
            }
            NavMsg::Arrived(Err(e)) => self.say(Some(text::bad_link(&e))),
            NavMsg::Packed((seq, result)) => self.location.packed(seq, result),
        }
    }

    fn opened(
        &mut self,
        result: Result<Config, UrlError>,
        restored: bool,
        first_visit: bool,
    ) -> bool {
        // A bad link opens the default, with a message saying what was wrong.
        let (config, notice) = match result {
            Ok(c) => (c, None),
            Err(e) => (location::default_config(), Some(text::bad_link(&e))),
        };
        self.config = config;
        self.notice = notice;
        self.location.reset(&self.config);
        self.form.sync_all(&self.config);
        if restored {
            self.location.write(&self.config, HistoryEntry::Replace);
        }
        let tour = self.config.tour;
        let shown = self.load();
        if tour > 0 {
            self.step_replaces = true;
            self.enter_tour(tour);
        }
        // A first visit plays the default view once, unless motion is unwelcome (and once it
        // is seen, in a tab opened in the background).
        if first_visit && !platform::reduced_motion() {
            if self.seen.0 {
                self.worker
                    .control(&mut self.run, &self.config, RunAction::Play);
            } else {
                self.resume_when_seen = true;
            }
        }
        shown
    }

    /// Loads the configuration into the worker (starting one if needed); the figures redraw.
    pub(super) fn load(&mut self) -> bool {
        *self.allowed.borrow_mut() = self.config.origins.clone();
        if self.config.tour == 0 {
            // Out of the tour: a deck still on its way is not opened either.
            self.deck = None;
            self.no_deck();
        }
        if let Err(e) = self.worker.load(&self.config) {
            self.run.failed_to_start(e);
        }
        self.run.dirty = Dirty::all();
        true
    }

    /// A finished edit: one undo step, one history entry, saved; then loaded.
    pub(super) fn finished(&mut self) -> bool {
        self.location.commit(&self.config, now_ms());
        self.load()
    }

    pub(super) fn travel(&mut self, undo: bool) -> bool {
        if !self.location.travel(&mut self.config, undo) {
            return false;
        }
        self.form.sync_all(&self.config);
        self.load()
    }

    /// A configuration from a file, a link or the defaults replaces the current one.
    pub(super) fn open(&mut self, config: Config, notice: Option<String>) -> bool {
        self.config = config;
        self.notice = notice;
        self.form.sync_all(&self.config);
        self.finished()
    }
}
