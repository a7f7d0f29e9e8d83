//! The page's root: it holds the configuration and the state machines (from the core,
//! `ualign::page`), dispatches what the components and the browser ask, and lets `layout`
//! compose the components. It never runs a solver step.

use crate::arena::ArenaAction;
use crate::deck_panel::{DeckClick, WordBoxes};
use crate::embed::{self, Host, Seen};
use crate::figures::{Figure, FigureData, Format, Painter, PhaseAction, SweepAction};
use crate::keys;
use crate::layout::{self, Callbacks};
use crate::links;
use crate::location::{self, Location};
use crate::platform::{self, now_ms};
use crate::readouts::ReadoutAction;
use crate::run_panel::RunAction;
use crate::settings::Setting;
use crate::tour::TourAction;
use crate::transfer::{self, ImportStep};
use crate::worker_link::WorkerLink;
use gloo_events::EventListener;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use ualign::arena::live::ArenaRequest;
use ualign::config::{Config, CustomPreferences};
use ualign::deck_draft::DeckPanel;
use ualign::embed::{EmbedState, HostCommand};
use ualign::open_question::phase_map;
use ualign::page::form::FormTexts;
use ualign::page::perf::FrameStats;
use ualign::page::run_state::{Dirty, RunState};
use ualign::page::settings::{self, ArenaEdit, Outcome, SettingEdit};
use ualign::page::shortcuts::Shortcut;
use ualign::page::text;
use ualign::page::tour::{DeckView, TourMove};
use ualign::page::undo::HistoryEntry;
use ualign::protocol::DraftRequest;
use ualign::protocol::{Fault, ToWorker};
use ualign::url::UrlError;
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
    /// The link the page opened with is unpacked (and whether it came from storage, and
    /// whether this is a first visit: no link, nothing saved).
    Opened(Result<Config, UrlError>, bool, bool),
    /// The URL fragment changed (an edited link, back or forward), and what it holds.
    HashChanged,
    Arrived(Result<Config, UrlError>),
    /// A link was packed for the address bar, or copied.
    Packed((u64, Result<String, UrlError>)),
    Copied(Result<(), String>),
    DismissNotice,
    Arena(ArenaAction),
    /// Test hook (`?test` in the URL): make the worker fail (`panic`, `throw`, `busy:<ms>`).
    InjectFault(String),
    Tour(TourAction),
    /// A deck step's link is unpacked (for the step number it was opened for).
    StepOpened(Result<Config, UrlError>, usize),
    /// A host page's checked request (from an allowed origin).
    Host(HostCommand),
    /// A host's `load` is unpacked.
    HostLoaded(Result<Config, UrlError>),
    /// The state's next post to the host is due.
    HostDue,
    Seen(Seen),
    /// A button of the deck panel.
    Deck(DeckClick),
    /// The lecturer's deck (this document), packed into a link (or why no link holds it).
    DeckLink((String, Result<String, String>)),
    /// A deck link's document, unpacked.
    DeckText(Result<String, String>),
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

impl App {
    /// Loads the configuration into the worker (starting one if needed); the figures redraw.
    fn load(&mut self) -> bool {
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
    fn finished(&mut self) -> bool {
        self.location.commit(&self.config, now_ms());
        self.load()
    }

    fn travel(&mut self, undo: bool) -> bool {
        if !self.location.travel(&mut self.config, undo) {
            return false;
        }
        self.form.sync_all(&self.config);
        self.load()
    }

    /// A configuration from a file, a link or the defaults replaces the current one.
    fn open(&mut self, config: Config, notice: Option<String>) -> bool {
        self.config = config;
        self.notice = notice;
        self.form.sync_all(&self.config);
        self.finished()
    }

    fn setting(&mut self, ctx: &Context<Self>, setting: Setting) -> bool {
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

    fn import(&mut self, name: String, text: String) -> bool {
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
    fn say(&mut self, notice: Option<String>) -> bool {
        let said = notice.is_some();
        if said {
            self.notice = notice;
        }
        said
    }

    /// The arena's controls: requests go to the worker, choices into the configuration.
    fn arena(&mut self, ctx: &Context<Self>, action: ArenaAction) -> bool {
        let edit = match action {
            ArenaAction::Ask(request) => {
                self.run.best_asked |= request == ArenaRequest::BestSet;
                self.worker.send(ToWorker::Arena(request));
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

    /// The configuration's tour step is shown: the deck follows it (back, forward, a host's
    /// load), or the tour is read when no deck is shown yet.
    fn follow_tour(&mut self) {
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
    fn present_deck(&mut self) {
        if self.deck.is_some() && self.tour_wanted == 0 {
            let source = self.deck_source.clone().unwrap_or_default();
            self.deck_request(DraftRequest::Repost(source));
        }
    }

    fn deck_request(&mut self, request: DraftRequest) {
        self.worker.ensure(&mut self.run, &self.config);
        self.worker.send(ToWorker::Draft(request));
    }

    /// Shows a lecturer's deck (`source`, its document) from its first step once the worker
    /// has read it and the page has checked its links; then it may become the panel's.
    fn expect_deck(&mut self, source: Option<&str>, replaces: bool) {
        self.tour_wanted = 1;
        self.step_replaces = replaces;
        self.presenting_draft = false;
        // An imported file bigger than a deck may be is no deck: not copied.
        let deck_sized = source.filter(|s| s.len() <= ualign::deck::MAX_DECK_BYTES);
        self.source_wanted = deck_sized.map(str::to_string);
    }

    /// No deck came of a read (it was refused, or the file was a saved configuration).
    fn no_deck(&mut self) {
        self.tour_wanted = 0;
        self.source_wanted = None;
        self.presenting_draft = false;
        self.step_replaces = false;
    }

    /// A deck link's document, read by the worker; opened on a link, its first step replaces
    /// the link in the history (back leaves the page, as from a tour link).
    fn read_deck(&mut self, text: String) -> bool {
        self.expect_deck(Some(&text), true);
        self.worker.ensure(&mut self.run, &self.config);
        self.worker.send(ToWorker::ReadDeck(Some(text)));
        false
    }

    /// The deck panel's buttons: the list's and the step's go to the worker, which keeps
    /// the draft; the deck's document is exported or packed here.
    fn deck_action(&mut self, ctx: &Context<Self>, click: DeckClick) -> bool {
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
                let done = ctx.link().callback(Msg::DeckLink);
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
    fn draft_changed(&mut self, draft: DeckPanel) {
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
    fn open_deck_link(ctx: &Context<Self>, data: String) {
        let done = ctx.link().callback(Msg::DeckText);
        yew::platform::spawn_local(async move { done.emit(links::unpack_deck(data).await) });
    }

    /// Opens the built-in tour at step `number` once the worker has read it.
    fn enter_tour(&mut self, number: usize) {
        self.tour_wanted = number.max(1);
        self.source_wanted = None;
        self.presenting_draft = false;
        self.worker.ensure(&mut self.run, &self.config);
        self.worker.send(ToWorker::ReadDeck(None));
    }

    /// Moves through the deck (a key, a button or the host); Leave keeps the configuration.
    fn tour_move(&mut self, ctx: &Context<Self>, to: TourMove) -> bool {
        let Some(deck) = &mut self.deck else {
            if let TourMove::Goto(n) = to {
                self.enter_tour(n);
            }
            return false;
        };
        if to == TourMove::Leave {
            self.deck = None;
            self.config.tour = 0;
            return self.finished();
        }
        if deck.go(to).is_some() {
            self.guess = fresh_guess(deck);
            self.open_step(ctx);
        }
        true
    }

    fn open_step(&self, ctx: &Context<Self>) {
        if let Some(deck) = &self.deck {
            let number = deck.number();
            let done = ctx.link().callback(move |r| Msg::StepOpened(r, number));
            links::open_then(links::open(&deck.step().fragment), done);
        }
    }

    fn tour_action(&mut self, ctx: &Context<Self>, action: TourAction) -> bool {
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

    /// A host's request (already checked, from an allowed origin).
    fn host_command(&mut self, ctx: &Context<Self>, command: HostCommand) -> bool {
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
                links::open_then(links::open(&fragment), ctx.link().callback(Msg::HostLoaded));
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
    fn embed_state(&self) -> EmbedState {
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
    fn seen(&mut self, seen: Seen) -> bool {
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

    fn figure_data(&self) -> FigureData<'_> {
        FigureData {
            run: &self.run,
            config: &self.config,
            phase_hover: self.phase_hover,
        }
    }

    /// Draws the figures whose data changed (what a frame's budget leaves, on the next).
    fn paint(&mut self, ctx: &Context<Self>) {
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

/// The guess a question starts from: the middle of the slider, or no response chosen.
fn fresh_guess(view: &DeckView) -> String {
    match view.asking().map(|q| q.answer) {
        Some(ualign::deck::Answer::NlhfTop) => String::new(),
        _ => "0.5".into(),
    }
}

impl App {
    /// Tells a host page (if the page is in a frame) what changed.
    fn tell_host(&mut self, ctx: &Context<Self>) {
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
            ctx.link().callback(|()| Msg::HostDue),
        );
    }

    /// A configuration a step or a host opens is shown as this page shows things: still in
    /// its frame, still obeying its host.
    fn keep_display(&self, c: &mut Config) {
        c.embed |= self.config.embed;
        if c.origins.is_empty() {
            c.origins = self.config.origins.clone();
        }
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link();
        let touring = Rc::new(Cell::new(false));
        let mut listeners = keys::listen(
            link.callback(Msg::Key),
            link.callback(|()| Msg::Resize),
            touring.clone(),
        );
        listeners.extend(location::listen(link.callback(|()| Msg::HashChanged)));
        let allowed: Rc<RefCell<Vec<String>>> = Rc::default();
        let own = embed::own_origin();
        let others = allowed.clone();
        listeners.extend(embed::listen(
            // An opaque origin ("null": a sandboxed or file page) is never obeyed, even when
            // this page's own is opaque too.
            move |origin| {
                origin != "null" && (origin == own || others.borrow().iter().any(|o| o == origin))
            },
            link.callback(Msg::Host),
        ));
        listeners.extend(embed::watch_visibility(link.callback(Msg::Seen)));
        platform::install_test_hook(link.callback(Msg::InjectFault));
        // The configuration lives in the URL fragment; without one, the last visit's. Nothing
        // is loaded before it is open (`Msg::Opened`).
        let bare = location::bare();
        let deck_link = location::deck_data();
        let (opening, restored) = match deck_link {
            // A deck link opens the defaults under the deck's first step.
            Some(_) => (links::Opening::Now(Ok(location::default_config())), false),
            None => location::initial(),
        };
        let first = bare && !restored;
        links::open_then(
            opening,
            link.callback(move |r| Msg::Opened(r, restored, first)),
        );
        if let Some(data) = deck_link {
            Self::open_deck_link(ctx, data);
        }
        let config = location::default_config();
        App {
            location: Location::new(&config, link.callback(Msg::Packed)),
            form: FormTexts::new(&config),
            worker: WorkerLink::new(
                link.callback(Msg::Frame),
                if platform::reduced_motion() { 0 } else { 60 },
            ),
            run: RunState::new(),
            notice: None,
            painter: Painter::new(link.callback(|()| Msg::Redraw)),
            perf: FrameStats::default(),
            editor_open: false,
            phase_hover: None,
            paste: NodeRef::default(),
            callbacks: Callbacks {
                run: link.callback(Msg::Run),
                set: link.callback(Msg::Set),
                sweep: link.callback(Msg::Sweep),
                phase: link.callback(Msg::Phase),
                readout: link.callback(Msg::Readout),
                export: link.callback(Msg::Export),
                edit: link.callback(|p| Msg::Edit(Some(p))),
                reset: link.callback(|()| Msg::Edit(None)),
                dismiss: link.callback(|_| Msg::DismissNotice),
                editor_toggled: link.callback(Msg::EditorOpen),
                arena: link.callback(Msg::Arena),
                tour: link.callback(Msg::Tour),
                deck: link.callback(Msg::Deck),
            },
            deck: None,
            tour_wanted: 0,
            guess: "0.5".into(),
            touring,
            allowed,
            host: Host::new(),
            seen: (embed::page_shown(), true),
            resume_when_seen: false,
            step_replaces: false,
            blank: false,
            draft: Rc::default(),
            deck_panel: WordBoxes::default(),
            deck_link: None,
            source_wanted: None,
            deck_source: None,
            words_sent: None,
            presenting_draft: false,
            _listeners: listeners,
            config,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame(t) => {
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
                match applied.deck {
                    Some(Ok(deck)) if self.tour_wanted > 0 => match deck.checked_fragments() {
                        Ok(deck) => {
                            let at = std::mem::take(&mut self.tour_wanted);
                            let view = DeckView::new(deck, at);
                            self.guess = fresh_guess(&view);
                            self.deck = Some(view);
                            self.open_step(ctx);
                            // The draft presented is the panel's as it is now (its replies
                            // come before the deck's); any other lecturer's deck, checked,
                            // may become the panel's.
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
                    Some(Err(why)) => {
                        self.no_deck();
                        self.say(Some(text::deck_failed(&why)));
                    }
                    _ => {}
                }
                true
            }
            Msg::Tour(action) => self.tour_action(ctx, action),
            Msg::Key(Shortcut::Tour(to)) => {
                self.blank = false;
                self.tour_move(ctx, to)
            }
            Msg::Key(Shortcut::Blank) => {
                self.blank = !self.blank;
                true
            }
            Msg::Key(Shortcut::FullScreen) => {
                platform::toggle_full_screen();
                false
            }
            Msg::StepOpened(Ok(mut c), number) => {
                if self.deck.as_ref().map(DeckView::number) != Some(number) {
                    return false;
                }
                c.tour = number;
                c.at_end |= self.config.at_end;
                self.keep_display(&mut c);
                if c == self.config {
                    return true;
                }
                if std::mem::take(&mut self.step_replaces) {
                    // Opened on a tour link: the step is that link, not a new history entry.
                    self.config = c;
                    self.form.sync_all(&self.config);
                    self.location.reset(&self.config);
                    self.location.write(&self.config, HistoryEntry::Replace);
                    return self.load();
                }
                self.open(c, None)
            }
            Msg::StepOpened(Err(e), _) => self.say(Some(text::bad_link(&e))),
            Msg::Host(command) => self.host_command(ctx, command),
            Msg::HostLoaded(Ok(mut c)) => {
                self.keep_display(&mut c);
                self.open(c, None);
                self.follow_tour();
                true
            }
            Msg::HostLoaded(Err(e)) => self.say(Some(text::bad_link(&e))),
            Msg::HostDue => {
                self.host.due();
                self.tell_host(ctx);
                false
            }
            Msg::Seen(seen) => self.seen(seen),
            Msg::Deck(action) => self.deck_action(ctx, action),
            // A link of the deck as it was when asked for (it changed since: none).
            Msg::DeckLink((json, _)) if json != self.draft.json => false,
            Msg::DeckLink((_, Ok(fragment))) => {
                self.deck_link = Some(location::href_with(&fragment));
                true
            }
            Msg::DeckText(Ok(text)) => self.read_deck(text),
            Msg::DeckLink((_, Err(e))) | Msg::DeckText(Err(e)) => self.say(Some(e)),
            Msg::Arena(action) => self.arena(ctx, action),
            Msg::Key(Shortcut::ArenaRound) => {
                self.arena(ctx, ArenaAction::Ask(ArenaRequest::Rounds(1)))
            }
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
            Msg::Phase(PhaseAction::Open(column, k)) => {
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
            Msg::Key(Shortcut::Undo) => self.travel(true),
            Msg::Key(Shortcut::Redo) => self.travel(false),
            Msg::Key(key) => match RunAction::for_shortcut(key, self.run.running()) {
                Some(action) => {
                    self.resume_when_seen = false;
                    self.worker.control(&mut self.run, &self.config, action)
                }
                None => false,
            },
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
            Msg::Opened(result, restored, first_visit) => {
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
                // A first visit plays the default view once, unless motion is unwelcome (and
                // once it is seen, in a tab opened in the background).
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
            Msg::HashChanged => {
                if let Some(data) = location::deck_data() {
                    Self::open_deck_link(ctx, data);
                    return false;
                }
                links::open_then(location::from_fragment(), ctx.link().callback(Msg::Arrived));
                false
            }
            Msg::Arrived(Ok(c)) if c == self.config => false,
            Msg::Arrived(Ok(c)) => {
                // Back, forward or an edited link: a change like any other (undoable).
                let before = std::mem::replace(&mut self.config, c);
                self.location.arrived(before, &self.config);
                self.notice = None;
                self.form.sync_all(&self.config);
                // Back or forward within the deck: the step is the link's.
                self.follow_tour();
                self.load()
            }
            Msg::Arrived(Err(e)) => self.say(Some(text::bad_link(&e))),
            Msg::Packed((seq, result)) => self.location.packed(seq, result),
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
