//! The shell's host: a page that frames this one drives it over the embed API and hears its
//! state; a run that cannot be seen pauses until it is.

use super::{App, Msg};
use crate::embed::{Host, Seen};
use crate::links;
use crate::platform::now_ms;
use crate::run_panel::RunAction;
use ualign::config::Config;
use ualign::embed::{EmbedState, HostCommand};
use ualign::page::text;
use ualign::page::tour::{DeckView, TourMove};
use ualign::url::UrlError;
use yew::prelude::*;

/// A host page's requests and the page's visibility.
pub enum HostMsg {
    /// A host page's checked request (from an allowed origin).
    Command(HostCommand),
    /// A host's `load` is unpacked.
    Loaded(Result<Config, UrlError>),
    /// The state's next post to the host is due.
    Due,
    Seen(Seen),
}

impl App {
    pub(super) fn host_msg(&mut self, ctx: &Context<Self>, msg: HostMsg) -> bool {
        match msg {
            HostMsg::Command(command) => self.host_command(ctx, command),
            HostMsg::Loaded(Ok(mut c)) => {
                self.keep_display(&mut c);
                self.open(c, None);
                self.follow_tour();
                true
            }
            HostMsg::Loaded(Err(e)) => self.say(Some(text::bad_link(&e))),
            HostMsg::Due => {
                self.host.due();
                self.tell_host(ctx);
                false
            }
            HostMsg::Seen(seen) => self.seen(seen),
        }
    }

    /// A host's request (already checked, from an allowed origin).
    pub(super) fn host_command(&mut self, ctx: &Context<Self>, command: HostCommand) -> bool {
        let run = |app: &mut Self, action| {
            // The host's choice stands over an earlier pause for being out of view.
            app.resume_when_seen = false;
            app.worker.control(&mut app.run, &app.config, action)
        };
        match command {
            HostCommand::Play => run(self, RunAction::Play),
            HostCommand::Pause => run(self, RunAction::Pause),
            HostCommand::Step => run(self, RunAction::Step),
            HostCommand::Restart => run(self, RunAction::Restart),
            HostCommand::Load(fragment) => {
                links::open_then(
                    links::open(&fragment),
                    ctx.link().callback(|r| Msg::Host(HostMsg::Loaded(r))),
                );
                false
            }
            HostCommand::Goto(n) => self.tour_move(ctx, TourMove::Goto(n)),
            HostCommand::Next => self.tour_move(ctx, TourMove::Next),
            HostCommand::Prev => self.tour_move(ctx, TourMove::Prev),
            HostCommand::Get => {
                self.present_deck();
                Host::post("get", &self.embed_state(), &self.config.origins);
                false
            }
        }
    }

    /// What the host is told.
    pub(super) fn embed_state(&self) -> EmbedState {
        let s = self.run.shown();
        EmbedState {
            preset: self.config.preset.clone(),
            k: self.config.k,
            players: self.config.players(),
            iteration: s.map_or(0, |s| s.iteration),
            status: self.run.status.as_str(),
            step: self.deck.as_ref().map(DeckView::number),
            steps: self.deck.as_ref().map(|d| d.deck.steps.len()),
            nlhf_win_rate: s.map(|s| s.nlhf.robust_win_rate),
            game_win_rate: s.map(|s| s.game.robust_win_rate),
            nlhf_win_rate_exact: s.map(|s| s.nlhf.exact_robust_win_rate),
            game_win_rate_exact: s.map(|s| s.game.exact_robust_win_rate),
        }
    }

    /// The page was hidden or shown: a run that cannot be seen stops, and goes on when seen.
    pub(super) fn seen(&mut self, seen: Seen) -> bool {
        match seen {
            Seen::Page(v) => self.seen.0 = v,
            Seen::InView(v) => self.seen.1 = v,
        }
        let visible = self.seen.0 && self.seen.1;
        if !visible && self.run.running() {
            self.resume_when_seen = true;
            return self
                .worker
                .control(&mut self.run, &self.config, RunAction::Pause);
        }
        if visible && std::mem::take(&mut self.resume_when_seen) {
            return self
                .worker
                .control(&mut self.run, &self.config, RunAction::Play);
        }
        false
    }

    /// Tells a host page (if the page is in a frame) what changed.
    pub(super) fn tell_host(&mut self, ctx: &Context<Self>) {
        let Some(s) = self.run.shown().filter(|_| self.host.in_frame) else {
            return;
        };
        let converged =
            s.nlhf.exploitability <= text::CONVERGED && s.game.exploitability <= text::CONVERGED;
        let state = self.embed_state();
        self.host.changed(
            &state,
            converged,
            &self.config.origins,
            now_ms(),
            ctx.link().callback(|()| Msg::Host(HostMsg::Due)),
        );
    }

    /// A configuration a step or a host opens is shown as this page shows things: still in
    /// its frame, still obeying its host.
    pub(super) fn keep_display(&self, c: &mut Config) {
        c.embed |= self.config.embed;
        if c.origins.is_empty() {
            c.origins = self.config.origins.clone();
        }
    }
}
