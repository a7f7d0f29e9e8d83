//! The shell's frame: on each animation frame the worker's replies are applied, then the
//! figures whose data changed are drawn, within a budget per frame.

use super::{App, Msg};
use crate::arena::ArenaAction;
use crate::figures::FigureData;
use crate::platform::now_ms;
use ualign::page::settings::ArenaEdit;
use ualign::page::text;
use yew::prelude::*;

impl App {
    /// An animation frame after the worker's replies: apply them, then draw once.
    pub(super) fn frame(&mut self, ctx: &Context<Self>, t: f64) -> bool {
        self.perf.begin(t, now_ms(), self.run.running());
        let applied = self.worker.apply_replies(&mut self.run, &self.config);
        self.say(applied.notice);
        if let Some(custom) = applied.imported {
            self.config.custom = Some(custom.into());
            self.finished();
        }
        if let Some(set) = applied.best_set {
            self.arena(ctx, ArenaAction::Edit(ArenaEdit::Set(set)));
        }
        for draft in applied.drafts {
            self.draft_changed(draft);
        }
        match applied.saved {
            Some((name, Ok(config))) => {
                self.no_deck();
                self.open(config, Some(text::opened_saved(&name)));
            }
            Some((name, Err(why))) => {
                self.no_deck();
                self.say(Some(text::saved_refused(&name, &why)));
            }
            None => {}
        }
        if let Some(deck) = applied.deck {
            self.deck_arrived(ctx, deck);
        }
        true
    }

    pub(super) fn figure_data(&self) -> FigureData<'_> {
        FigureData {
            run: &self.run,
            config: &self.config,
            phase_hover: self.phase_hover,
        }
    }

    /// Draws the figures whose data changed (what a frame's budget leaves, on the next).
    pub(super) fn paint(&mut self, ctx: &Context<Self>) {
        let mut dirty = std::mem::take(&mut self.run.dirty);
        let data = FigureData {
            run: &self.run,
            config: &self.config,
            phase_hover: self.phase_hover,
        };
        if self.painter.paint(&data, &mut dirty, &mut self.perf) {
            ctx.link().send_message(Msg::Perf);
        }
        self.run.dirty = dirty;
    }
}
