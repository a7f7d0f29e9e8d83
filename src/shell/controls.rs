//! The shell's controls: the settings, imports, the arena's requests, the keys, and the
//! notices they leave.

use super::{App, Msg};
use crate::arena::ArenaAction;
use crate::location;
use crate::platform::{self, now_ms};
use crate::run_panel::RunAction;
use crate::settings::Setting;
use crate::transfer::{self, ImportStep};
use ualign::arena::live::ArenaRequest;
use ualign::open_question::phase_map;
use ualign::page::settings::{self, ArenaEdit, Outcome, SettingEdit};
use ualign::page::shortcuts::Shortcut;
use ualign::page::text;
use ualign::protocol::ToWorker;
use yew::prelude::*;

impl App {
    pub(super) fn setting(&mut self, ctx: &Context<Self>, setting: Setting) -> bool {
        match setting {
            Setting::Undo => self.travel(true),
            Setting::Redo => self.travel(false),
            Setting::Commit => {
                self.location.commit(&self.config, now_ms());
                true
            }
            Setting::ResetAll => {
                location::forget_saved();
                self.open(location::default_config(), Some(text::RESET_DONE.into()))
            }
            Setting::ImportFile(file) => {
                let done = ctx.link().callback(|(n, t)| Msg::Import(n, t));
                self.say(transfer::read_file(file, done).err())
            }
            Setting::ImportPasted(text) => match transfer::pasted(text) {
                Ok((name, text)) => self.import(name, text),
                Err(notice) => self.say(Some(notice)),
            },
            Setting::Edit(edit) => match settings::apply(&mut self.config, &mut self.form, edit) {
                Outcome::Unchanged | Outcome::Refused => true,
                Outcome::Live => self.load(),
                Outcome::Finished => self.finished(),
            },
        }
    }

    pub(super) fn import(&mut self, name: String, text: String) -> bool {
        match transfer::import(name, text) {
            ImportStep::Refused(notice) => self.notice = Some(notice),
            ImportStep::Worker { name, text } => {
                if name.to_ascii_lowercase().ends_with(".json") {
                    // It may be a deck (the worker tells): shown from its first step.
                    self.expect_deck(Some(&text), false);
                }
                self.worker.ensure(&mut self.run, &self.config);
                self.worker.send(ToWorker::Import { name, text });
            }
        }
        true
    }

    /// A message for the page, or None to keep the one shown.
    pub(super) fn say(&mut self, notice: Option<String>) -> bool {
        let said = notice.is_some();
        if said {
            self.notice = notice;
        }
        said
    }

    /// The arena's controls: requests go to the worker, choices into the configuration.
    pub(super) fn arena(&mut self, ctx: &Context<Self>, action: ArenaAction) -> bool {
        let edit = match action {
            ArenaAction::Ask(request) => {
                self.run.best_asked |= request == ArenaRequest::BestSet;
                self.worker.send(ToWorker::Arena(request));
                return false;
            }
            ArenaAction::AskSeats(request) => {
                self.worker.send(ToWorker::Seats(request));
                return false;
            }
            ArenaAction::Edit(edit) => edit,
            ArenaAction::NewDraws => match ArenaAction::fresh_seed() {
                Some(seed) => ArenaEdit::Draws(seed),
                None => return self.say(Some(text::NO_RANDOMNESS.into())),
            },
        };
        self.setting(ctx, Setting::Edit(SettingEdit::Arena(edit)))
    }

    /// The phase map's cell opened: its profile at its k.
    pub(super) fn open_phase_cell(&mut self, column: usize, k: usize) -> bool {
        let base = self
            .run
            .preferences
            .as_deref()
            .and_then(|p| match p.build() {
                Ok(ualign::Preferences::Population(pop)) => Some(pop),
                _ => None,
            });
        let columns = ualign::solver_loop::PHASE_COLUMNS;
        match phase_map::cell_config(
            &self.config,
            self.config.phase,
            base.as_ref(),
            column,
            columns,
            k,
        ) {
            Ok(config) => self.open(config, None),
            Err(e) => self.say(Some(e.0)),
        }
    }

    /// A key the run or the deck answers.
    pub(super) fn key(&mut self, ctx: &Context<Self>, key: Shortcut) -> bool {
        match key {
            Shortcut::Tour(to) => {
                self.blank = false;
                self.tour_move(ctx, to)
            }
            Shortcut::Blank => {
                self.blank = !self.blank;
                true
            }
            Shortcut::FullScreen => {
                platform::toggle_full_screen();
                false
            }
            Shortcut::ArenaRound => self.arena(ctx, ArenaAction::Ask(ArenaRequest::Rounds(1))),
            Shortcut::Undo => self.travel(true),
            Shortcut::Redo => self.travel(false),
            key => match RunAction::for_shortcut(key, self.run.running()) {
                Some(action) => {
                    self.resume_when_seen = false;
                    self.worker.control(&mut self.run, &self.config, action)
                }
                None => false,
            },
        }
    }
}
