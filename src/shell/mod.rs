//! The page's root: it holds the configuration and the state machines (from the core,
//! `ualign::page`), routes what the components and the browser ask to the area that handles
//! it (the frame, the place, decks, the host), and lets `layout` compose the components. It
//! never runs a solver step.

mod controls;
mod decks;
mod frame;
mod host;
mod navigation;
mod start;

use crate::arena::ArenaAction;
use crate::deck_panel::WordBoxes;
use crate::embed::Host;
use crate::figures::{Figure, Format, Painter, PhaseAction, SweepAction};
use crate::layout::{self, Callbacks};
use crate::location::{self, Location};
use crate::platform::now_ms;
use crate::readouts::ReadoutAction;
use crate::run_panel::RunAction;
use crate::settings::Setting;
use crate::transfer;
use crate::worker_link::WorkerLink;
use decks::DeckMsg;
use gloo_events::EventListener;
use host::HostMsg;
use navigation::NavMsg;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use ualign::config::{Config, CustomPreferences};
use ualign::deck_draft::DeckPanel;
use ualign::page::form::FormTexts;
use ualign::page::perf::FrameStats;
use ualign::page::run_state::{Dirty, RunState};
use ualign::page::settings::SettingEdit;
use ualign::page::shortcuts::Shortcut;
use ualign::page::text;
use ualign::page::tour::DeckView;
use ualign::protocol::{Fault, ToWorker};
use yew::prelude::*;

pub enum Msg {
    /// An animation frame after the worker's replies: apply them, then draw once.
    Frame(f64),
    Run(RunAction),
    Set(Setting),
    Sweep(SweepAction),
    Phase(PhaseAction),
    Readout(ReadoutAction),
    Export((Figure, Format)),
    /// The editors changed the preferences (None: back to the preset's).
    Edit(Option<CustomPreferences>),
    /// A file (or pasted text) to import: its name and text.
    Import(String, String),
    Key(Shortcut),
    Resize,
    /// The footer's timings changed after drawing (time to first chart).
    Perf,
    /// Figures left over from the last frame's drawing budget.
    Redraw,
    /// The editor panel was unfolded or folded (the editor is only built while it is open).
    EditorOpen(bool),
    /// A link was copied (or why not).
    Copied(Result<(), String>),
    DismissNotice,
    Arena(ArenaAction),
    /// Test hook (`?test` in the URL): make the worker fail (`panic`, `throw`, `busy:<ms>`).
    InjectFault(String),
    Nav(NavMsg),
    Deck(DeckMsg),
    Host(HostMsg),
}

pub struct App {
    config: Config,
    location: Location,
    form: FormTexts,
    worker: WorkerLink,
    run: RunState,
    /// A message about the link, an import or the solver (dismissable).
    notice: Option<String>,
    painter: Painter,
    perf: FrameStats,
    editor_open: bool,
    phase_hover: Option<(usize, usize)>,
    /// The pasted-text box of the settings.
    paste: NodeRef,
    callbacks: Callbacks,
    /// The deck shown (the tour, or a lecturer's), and the step asked for while it is read.
    deck: Option<DeckView>,
    tour_wanted: usize,
    /// The guess as it stands, before the reveal.
    guess: String,
    /// Whether a deck is shown, for the keyboard listener.
    touring: Rc<Cell<bool>>,
    /// The origins a host's requests are obeyed from besides the page's own (`origins=`), for
    /// the message listener.
    allowed: Rc<RefCell<Vec<String>>>,
    host: Host,
    /// The page shown and in view; the run paused because it was not (to resume).
    seen: (bool, bool),
    resume_when_seen: bool,
    /// The next step opened replaces the browser history entry (the page opened on a tour
    /// link: back leaves the page rather than showing the defaults under the step's caption).
    step_replaces: bool,
    /// The screen is blanked (b, presenting a deck).
    blank: bool,
    /// The lecturer's deck as the worker keeps it, the words typed for its next step, and its
    /// link once packed.
    draft: Rc<DeckPanel>,
    deck_panel: WordBoxes,
    deck_link: Option<String>,
    /// The lecturer's deck being read (its document), and the one shown: what the presenter
    /// window hears on `get` (None: the tour, which the worker reads).
    source_wanted: Option<String>,
    deck_source: Option<String>,
    /// The words sent with an `add` not yet answered.
    words_sent: Option<Vec<String>>,
    /// The deck being read is the panel's own, presented.
    presenting_draft: bool,
    _listeners: Vec<EventListener>,
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        Self::new(ctx)
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame(t) => self.frame(ctx, t),
            Msg::Nav(m) => self.nav_msg(ctx, m),
            Msg::Deck(m) => self.deck_msg(ctx, m),
            Msg::Host(m) => self.host_msg(ctx, m),
            Msg::Key(key) => self.key(ctx, key),
            Msg::Arena(action) => self.arena(ctx, action),
            Msg::Run(action) => {
                self.resume_when_seen = false;
                self.worker.control(&mut self.run, &self.config, action)
            }
            Msg::Set(setting) => self.setting(ctx, setting),
            Msg::Sweep(action) => {
                self.worker.sweep(&mut self.run, action);
                true
            }
            Msg::Phase(PhaseAction::Hover(cell)) => {
                self.run.dirty.phase |= cell != self.phase_hover;
                std::mem::replace(&mut self.phase_hover, cell) != cell
            }
            Msg::Phase(PhaseAction::Family(family)) => {
                self.setting(ctx, Setting::Edit(SettingEdit::Phase(family)))
            }
            Msg::Phase(PhaseAction::Open(column, k)) => self.open_phase_cell(column, k),
            Msg::Readout(ReadoutAction::CopyLink) => {
                location::copy_link(&self.config, ctx.link().callback(Msg::Copied));
                false
            }
            Msg::Copied(Ok(())) => self.say(Some(text::LINK_COPIED.into())),
            // A link that would not hold the configuration is not copied.
            Msg::Copied(Err(e)) => {
                self.location.problem = Some(e);
                true
            }
            Msg::Readout(ReadoutAction::Export(what)) => {
                let done = transfer::export_data(what, &self.config, &self.run);
                self.say(transfer::failure(done))
            }
            Msg::Export((figure, format)) => {
                let done = self
                    .figure_data()
                    .download(&self.painter.canvases, figure, format);
                self.say(transfer::failure(done))
            }
            Msg::Edit(custom) => {
                self.config.custom = custom.map(Into::into);
                self.finished()
            }
            Msg::Import(name, text) => self.import(name, text),
            Msg::Resize => {
                self.run.dirty = Dirty::all();
                true
            }
            Msg::Perf => true,
            Msg::Redraw => {
                self.paint(ctx);
                false
            }
            Msg::EditorOpen(open) => std::mem::replace(&mut self.editor_open, open) != open,
            Msg::DismissNotice => self.notice.take().is_some(),
            Msg::InjectFault(text) => {
                if let Some(fault) = Fault::parse(&text) {
                    self.worker.send(ToWorker::Fault(fault));
                }
                false
            }
        }
    }

    fn view(&self, _ctx: &Context<Self>) -> Html {
        layout::page(&layout::Page {
            config: &self.config,
            run: &self.run,
            form: &self.form,
            can_undo: self.location.can_undo(),
            can_redo: self.location.can_redo(),
            speed: self.worker.speed(),
            link_problem: self.location.problem.as_deref(),
            notice: self.notice.as_deref(),
            perf: &self.perf,
            editor_open: self.editor_open,
            phase_hover: self.phase_hover,
            canvases: &self.painter.canvases,
            paste: &self.paste,
            callbacks: &self.callbacks,
            deck: self.deck.as_ref(),
            guess: &self.guess,
            blank: self.blank && self.deck.is_some(),
            draft: &self.draft,
            deck_panel: &self.deck_panel,
            deck_link: self.deck_link.as_deref(),
        })
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first_render: bool) {
        self.touring.set(self.deck.is_some());
        self.paint(ctx);
        self.perf.end(now_ms());
        self.tell_host(ctx);
    }
}
