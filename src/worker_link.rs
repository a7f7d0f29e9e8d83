//! The page's link to the solver: the bridge to the worker, the inbox that holds the worker's
//! replies until the next animation frame, what was last loaded, and the restart after a fault.

use crate::bridge::Bridge;
use crate::figures::SweepAction;
use crate::run_panel::RunAction;
use gloo_render::{request_animation_frame, AnimationFrame};
use std::cell::RefCell;
use std::rc::Rc;
use ualign::arena::live::{ArenaRequest, ArenaSetup};
use ualign::config::{Config, CustomPreferences, View};
use ualign::open_question::phase_map::Family;
use ualign::page::run_state::{Event, Recovery, RunState};
use ualign::page::text;
use ualign::protocol::{FromWorker, ToWorker};
use yew::Callback;

/// Worker replies waiting for the next animation frame.
#[derive(Default)]
struct Inbox {
    messages: Vec<FromWorker>,
    /// The frame requested for them (None: none pending).
    frame: Option<AnimationFrame>,
    fault: Option<String>,
}

/// What arrived since the last frame.
struct Delivery {
    messages: Vec<FromWorker>,
    /// The worker failed or stopped answering (a `Crashed` among the messages says more).
    fault: Option<String>,
}

pub struct WorkerLink {
    bridge: Option<Bridge>,
    inbox: Rc<RefCell<Inbox>>,
    /// Called on the animation frame after replies arrive, with its timestamp.
    on_frame: Callback<f64>,
    /// Iterations per second asked of the worker (0 = as fast as possible).
    speed: u32,
    /// The configuration last sent (None before the first, or with a new worker).
    loaded: Option<Config>,
    /// The phase map asked for since the last load (it is computed only while shown).
    phase_asked: Option<Family>,
    /// The arena's setup sent since the last load (it is opened only while shown).
    arena_asked: Option<ArenaSetup>,
    /// The last `load` started a new computation (not the same one going on).
    fresh: bool,
    /// The seats' challenger and seed last asked for on this session.
    seats_asked: Option<ArenaSetup>,
}

impl WorkerLink {
    pub fn new(on_frame: Callback<f64>, speed: u32) -> Self {
        WorkerLink {
            bridge: None,
            inbox: Rc::default(),
            on_frame,
            speed,
            loaded: None,
            phase_asked: None,
            arena_asked: None,
            seats_asked: None,
            fresh: false,
        }
    }

    /// Whether the last `load` started a new computation.
    pub fn fresh(&self) -> bool {
        self.fresh
    }

    pub fn speed(&self) -> u32 {
        self.speed
    }

    /// Starts a worker if there is none (first load, or after a fault) and loads `config`
    /// into it, unless the worker already computes the same (the configuration differs only
    /// in what is displayed): then the run goes on. Err: the worker could not be started.
    pub fn load(&mut self, config: &Config) -> Result<(), String> {
        if self.bridge.is_none() {
            self.loaded = None;
            self.bridge = Some(self.spawn()?);
            self.send(ToWorker::SetSpeed(self.speed));
            // A new worker (the first, or after a fault) holds the lecturer's deck as kept,
            // and draws its panel.
            let kept = crate::location::stored_deck().unwrap_or_default();
            self.send(ToWorker::Draft(ualign::protocol::DraftRequest::Restore(
                kept,
            )));
        }
        self.fresh = !self
            .loaded
            .as_ref()
            .is_some_and(|c| c.same_computation(config));
        if self.fresh {
            self.loaded = Some(config.clone());
            self.phase_asked = None;
            self.arena_asked = None;
            self.seats_asked = None;
            self.send(ToWorker::Load(config.clone()));
            if config.at_end {
                // `at=end`: straight to the final state (the worker applies these once loaded).
                self.set_speed(0);
                self.send(ToWorker::Play);
            }
        }
        let setup = ArenaSetup::of(config);
        if config.shows_arena() && self.arena_asked.as_ref() != Some(&setup) {
            self.send(ToWorker::Arena(ArenaRequest::Open(setup.clone())));
            self.arena_asked = Some(setup.clone());
        }
        if config.view == View::Seats && self.seats_asked.as_ref() != Some(&setup) {
            self.send(ToWorker::Seats(ArenaRequest::Open(setup.clone())));
            self.seats_asked = Some(setup);
        }
        if config.view == View::Phase && self.phase_asked != Some(config.phase) {
            self.phase_asked = Some(config.phase);
            self.send(ToWorker::Phase(config.phase));
        }
        Ok(())
    }

    fn spawn(&self) -> Result<Bridge, String> {
        let request_frame = {
            let on_frame = self.on_frame.clone();
            move |inbox: &Rc<RefCell<Inbox>>| {
                let mut b = inbox.borrow_mut();
                if b.frame.is_none() {
                    let on_frame = on_frame.clone();
                    b.frame = Some(request_animation_frame(move |t| on_frame.emit(t)));
                }
            }
        };
        let request_frame = Rc::new(request_frame);
        let (inbox, inbox2) = (self.inbox.clone(), self.inbox.clone());
        let rf2 = request_frame.clone();
        Bridge::spawn(
            move |msg| {
                inbox.borrow_mut().messages.push(msg);
                request_frame(&inbox);
            },
            move |err| {
                inbox2.borrow_mut().fault = Some(err);
                rf2(&inbox2);
            },
        )
    }

    /// The replies that arrived since the last frame (called on that frame).
    fn take(&self) -> Delivery {
        let mut inbox = self.inbox.borrow_mut();
        inbox.frame = None;
        Delivery {
            messages: std::mem::take(&mut inbox.messages),
            fault: inbox.fault.take(),
        }
    }

    pub fn send(&self, msg: ToWorker) {
        if let Some(b) = &self.bridge {
            b.send(&msg);
        }
    }

    /// A pause, stop or restart: a worker that does not answer in time is replaced.
    pub fn send_awaiting(&self, msg: ToWorker) {
        if let Some(b) = &self.bridge {
            b.send_awaiting(&msg);
        }
    }

    pub fn set_speed(&mut self, speed: u32) {
        self.speed = speed;
        self.send(ToWorker::SetSpeed(speed));
    }
}

/// What a frame's replies ask of the page beyond the run state.
#[derive(Default)]
pub struct Applied {
    /// A message for the page (an import, a failed import, a restarted solver).
    pub notice: Option<String>,
    /// Imported preferences, for the configuration.
    pub imported: Option<CustomPreferences>,
    /// The best fixed set asked for, for the configuration.
    pub best_set: Option<Vec<usize>>,
    /// A saved configuration read (or why not), and its file's name.
    pub saved: Option<(String, Result<Config, String>)>,
    /// A deck read (or why it could not be).
    pub deck: Option<Result<ualign::deck::Deck, String>>,
    /// The lecturer's deck after each request, in order.
    pub drafts: Vec<ualign::deck_draft::DeckPanel>,
}

impl WorkerLink {
    /// On the animation frame: applies every reply in order to the run state, and replaces a
    /// failed worker once (a second fault before the new one answers leaves the error shown).
    pub fn apply_replies(&mut self, run: &mut RunState, config: &Config) -> Applied {
        let delivery = self.take();
        let mut fault = delivery.fault;
        let mut out = Applied::default();
        for m in delivery.messages {
            match run.apply(m) {
                // The panic's own message says more than the abort that follows.
                Some(Event::Crashed(text)) => fault = Some(text),
                Some(Event::Imported { name, custom }) => {
                    out.notice = Some(text::imported(&name));
                    out.imported = Some(custom);
                }
                Some(Event::ImportFailed(why)) => out.notice = Some(text::import_failed(&why)),
                Some(Event::BestSet(set)) => out.best_set = Some(set),
                Some(Event::Deck(deck)) => out.deck = Some(deck),
                Some(Event::Draft(draft)) => out.drafts.push(draft),
                Some(Event::Saved { name, config }) => out.saved = Some((name, config)),
                None => {}
            }
        }
        if let Some(fault) = fault {
            self.bridge = None;
            if let Recovery::Restart { resend_stop } = run.fault(&fault) {
                out.notice = Some(text::solver_restarted(&fault));
                if let Err(e) = self.load(config) {
                    run.failed_to_start(e);
                }
                if resend_stop {
                    self.send(ToWorker::Stop);
                }
            }
        }
        out
    }
}

impl WorkerLink {
    /// Starts a worker with the configuration when there is none yet (or after a fault).
    pub fn ensure(&mut self, run: &mut RunState, config: &Config) {
        if self.bridge.is_none() {
            if let Err(e) = self.load(config) {
                run.failed_to_start(e);
            }
            run.dirty = ualign::page::run_state::Dirty::all();
        }
    }

    /// Play, pause, step, restart, speed and replay. True when the page must render again.
    pub fn control(&mut self, run: &mut RunState, config: &Config, action: RunAction) -> bool {
        match action {
            RunAction::Play => {
                run.live();
                run.halting = false;
                self.ensure(run, config);
                self.send(ToWorker::Play);
                false
            }
            RunAction::Step => {
                self.ensure(run, config);
                self.send(ToWorker::Step);
                false
            }
            RunAction::Pause => {
                self.send_awaiting(ToWorker::Pause);
                run.halt()
            }
            RunAction::Restart if self.bridge.is_some() => {
                self.send_awaiting(ToWorker::Restart);
                false
            }
            RunAction::Restart => {
                self.ensure(run, config);
                true
            }
            RunAction::SetSpeed(speed) => {
                self.set_speed(speed);
                true
            }
            RunAction::Replay(i) => {
                if run.running() {
                    self.send(ToWorker::Pause);
                }
                run.replay(i);
                true
            }
            RunAction::Live => {
                run.live();
                true
            }
        }
    }

    /// Halt the sweep (and the run), or continue it.
    pub fn sweep(&mut self, run: &mut RunState, action: SweepAction) {
        match action {
            SweepAction::Stop => {
                self.send_awaiting(ToWorker::Stop);
                run.sweep_stopped = true;
                run.halt();
            }
            SweepAction::Continue => {
                self.send(ToWorker::Sweep);
                run.sweep_stopped = false;
            }
        }
    }
}
