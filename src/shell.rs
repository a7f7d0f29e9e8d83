//! The page's root: it holds the configuration and the state machines (from the core,
//! `ualign::page`), dispatches what the components and the browser ask, and lets `layout`
//! compose the components. It never runs a solver step.

use crate::figures::{Canvases, Figure, FigureData, Format, SweepAction};
use crate::layout::{self, Callbacks};
use crate::links::{self, Opening};
use crate::location::{self, Location};
use crate::readouts::ReadoutAction;
use crate::run_panel::RunAction;
use crate::settings::Setting;
use crate::transfer::{self, ImportStep};
use crate::worker_link::WorkerLink;
use crate::{keys, text};
use gloo_events::EventListener;
use ualign::config::{Config, CustomPreferences};
use ualign::page::form::FormTexts;
use ualign::page::perf::FrameStats;
use ualign::page::run_state::{Dirty, RunState};
use ualign::page::settings::{self, Outcome};
use ualign::page::shortcuts::Shortcut;
use ualign::page::undo::HistoryEntry;
use ualign::protocol::{Fault, ToWorker};
use ualign::url::UrlError;
use yew::prelude::*;

pub enum Msg {
    /// An animation frame after the worker's replies: apply them, then draw once.
    Frame(f64),
    Run(RunAction),
    Set(Setting),
    Sweep(SweepAction),
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
    /// The link the page opened with is unpacked (and whether it came from storage).
    Opened(Result<Config, UrlError>, bool),
    /// The URL fragment changed (an edited link, back or forward), and what it holds.
    HashChanged,
    Arrived(Result<Config, UrlError>),
    /// A link was packed for the address bar, or copied.
    Packed((u64, Result<String, UrlError>)),
    Copied(Result<(), String>),
    DismissNotice,
    /// Test hook (`?test` in the URL): make the worker fail (`panic`, `throw`, `busy:<ms>`).
    InjectFault(String),
}

pub struct App {
    config: Config,
    location: Location,
    form: FormTexts,
    worker: WorkerLink,
    run: RunState,
    /// A message about the link, an import or the solver (dismissable).
    notice: Option<String>,
    canvases: Canvases,
    perf: FrameStats,
    callbacks: Callbacks,
    _listeners: Vec<EventListener>,
}

pub(crate) fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// Opens a link now, or once its preferences are unpacked, as the message `done` makes.
fn open_then(
    ctx: &Context<App>,
    opening: Opening,
    done: impl Fn(Result<Config, UrlError>) -> Msg + 'static,
) {
    match opening {
        Opening::Now(result) => ctx.link().send_message(done(result)),
        Opening::Later(config, data) => {
            let link = ctx.link().clone();
            yew::platform::spawn_local(async move {
                link.send_message(done(links::unpack(config, data).await));
            });
        }
    }
}

impl App {
    /// Loads the configuration into the worker (starting one if needed); the figures redraw.
    fn load(&mut self) -> bool {
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
                let limit = ualign::readers::MAX_FILE_BYTES;
                if file.size() > limit as f64 {
                    self.notice = Some(text::file_too_big(&file.name(), file.size(), limit));
                    return true;
                }
                transfer::read_file(file, ctx.link().callback(|(n, t)| Msg::Import(n, t)));
                false
            }
            Setting::ImportPasted(text) if text.trim().is_empty() => {
                self.notice = Some(text::PASTE_FIRST.into());
                true
            }
            Setting::ImportPasted(text) => {
                self.import(ualign::page::paste::pasted_name(&text), text)
            }
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
            ImportStep::Open(config, notice) => return self.open(config, Some(notice)),
            ImportStep::Worker { name, text } => {
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

    fn figure_data(&self) -> FigureData<'_> {
        FigureData {
            run: &self.run,
            config: &self.config,
        }
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link();
        let mut listeners = keys::listen(link.callback(Msg::Key), link.callback(|()| Msg::Resize));
        listeners.extend(location::listen(link.callback(|()| Msg::HashChanged)));
        crate::install_test_hook(link.callback(Msg::InjectFault));
        // The configuration lives in the URL fragment; without one, the last visit's. Nothing
        // is loaded before it is open (`Msg::Opened`).
        let (opening, restored) = location::initial();
        open_then(ctx, opening, move |result| Msg::Opened(result, restored));
        let config = location::default_config();
        App {
            location: Location::new(&config, link.callback(Msg::Packed)),
            form: FormTexts::new(&config),
            worker: WorkerLink::new(
                link.callback(Msg::Frame),
                if reduced_motion() { 0 } else { 60 },
            ),
            run: RunState::new(),
            notice: None,
            canvases: Canvases::default(),
            perf: FrameStats::default(),
            callbacks: Callbacks {
                run: link.callback(Msg::Run),
                set: link.callback(Msg::Set),
                sweep: link.callback(Msg::Sweep),
                readout: link.callback(Msg::Readout),
                export: link.callback(Msg::Export),
                edit: link.callback(|p| Msg::Edit(Some(p))),
                reset: link.callback(|()| Msg::Edit(None)),
                dismiss: link.callback(|_| Msg::DismissNotice),
            },
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
                true
            }
            Msg::Run(action) => self.worker.control(&mut self.run, &self.config, action),
            Msg::Set(setting) => self.setting(ctx, setting),
            Msg::Sweep(action) => {
                self.worker.sweep(&mut self.run, action);
                true
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
                let failed = transfer::export_data(what, &self.config, &self.run).err();
                self.say(failed.map(|e| text::download_failed(&transfer::reason(&e))))
            }
            Msg::Export((figure, format)) => {
                let failed = self
                    .figure_data()
                    .download(&self.canvases, figure, format)
                    .err();
                self.say(failed.map(|e| text::download_failed(&transfer::reason(&e))))
            }
            Msg::Edit(custom) => {
                self.config.custom = custom.map(Into::into);
                self.finished()
            }
            Msg::Import(name, text) => self.import(name, text),
            Msg::Key(Shortcut::Undo) => self.travel(true),
            Msg::Key(Shortcut::Redo) => self.travel(false),
            Msg::Key(action) => {
                let action = match action {
                    Shortcut::PlayPause if self.run.running() => RunAction::Pause,
                    Shortcut::PlayPause => RunAction::Play,
                    Shortcut::Step => RunAction::Step,
                    _ => RunAction::Restart,
                };
                self.worker.control(&mut self.run, &self.config, action)
            }
            Msg::Resize => {
                self.run.dirty = Dirty::all();
                true
            }
            Msg::Perf => true,
            Msg::Opened(result, restored) => {
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
                self.load()
            }
            Msg::HashChanged => {
                open_then(ctx, location::from_fragment(), Msg::Arrived);
                false
            }
            Msg::Arrived(Ok(c)) if c == self.config => false,
            Msg::Arrived(Ok(c)) => {
                // Back, forward or an edited link: a change like any other (undoable).
                let before = std::mem::replace(&mut self.config, c);
                self.location.arrived(before, &self.config);
                self.notice = None;
                self.form.sync_all(&self.config);
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
            canvases: &self.canvases,
            callbacks: &self.callbacks,
        })
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first_render: bool) {
        let dirty = std::mem::take(&mut self.run.dirty);
        let started = now_ms();
        let drew = self.figure_data().draw_dirty(&self.canvases, dirty);
        if dirty.policies || dirty.iterations {
            self.perf.drew(now_ms() - started);
        }
        self.perf.end(now_ms());
        if drew && self.perf.first_chart(now_ms()) {
            ctx.link().send_message(Msg::Perf);
        }
    }
}
