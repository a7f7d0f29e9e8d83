//! The shell's start: the listeners, the link the page opens with, and the page's state.

use super::{App, DeckMsg, HostMsg, Msg, NavMsg};
use crate::deck_panel::WordBoxes;
use crate::embed::{self, Host};
use crate::figures::Painter;
use crate::keys;
use crate::layout::Callbacks;
use crate::links;
use crate::location::{self, Location};
use crate::platform;
use crate::worker_link::WorkerLink;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use ualign::page::form::FormTexts;
use ualign::page::perf::FrameStats;
use ualign::page::run_state::RunState;
use yew::prelude::*;

impl App {
    pub(super) fn new(ctx: &Context<Self>) -> Self {
        let link = ctx.link();
        let touring = Rc::new(Cell::new(false));
        let mut listeners = keys::listen(
            link.callback(Msg::Key),
            link.callback(|()| Msg::Resize),
            touring.clone(),
        );
        listeners.extend(location::listen(
            link.callback(|()| Msg::Nav(NavMsg::HashChanged)),
        ));
        let allowed: Rc<RefCell<Vec<String>>> = Rc::default();
        let own = embed::own_origin();
        let others = allowed.clone();
        listeners.extend(embed::listen(
            // An opaque origin ("null": a sandboxed or file page) is never obeyed, even when
            // this page's own is opaque too.
            move |origin| {
                origin != "null" && (origin == own || others.borrow().iter().any(|o| o == origin))
            },
            link.callback(|c| Msg::Host(HostMsg::Command(c))),
        ));
        listeners.extend(embed::watch_visibility(
            link.callback(|s| Msg::Host(HostMsg::Seen(s))),
        ));
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
            link.callback(move |r| Msg::Nav(NavMsg::Opened(r, restored, first))),
        );
        if let Some(data) = deck_link {
            Self::open_deck_link(ctx, data);
        }
        let config = location::default_config();
        App {
            location: Location::new(&config, link.callback(|p| Msg::Nav(NavMsg::Packed(p)))),
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
                tour: link.callback(|a| Msg::Deck(DeckMsg::Tour(a))),
                deck: link.callback(|c| Msg::Deck(DeckMsg::Click(c))),
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
}
