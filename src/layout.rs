//! The page's frame: the header, notices, side bar and charts, and the footer; or, in embed
//! mode, the figures alone with a link to the full view. It builds each component's props
//! from the page's state.

use crate::arena::{Arena, ArenaAction};
use crate::deck_panel::{DeckClick, DeckPanel, WordBoxes};
use crate::editor::Editor;
use crate::figures::{
    figures, Canvases, Figure, FiguresProps, Format, PhaseAction, SweepAction, SweepProgress,
};
use crate::location;
use crate::readouts::{ReadoutAction, Readouts, ReadoutsProps};
use crate::run_panel::{ReplayState, RunAction, RunPanel, RunPanelProps};
use crate::scene::{scene, ScenePieces};
use crate::seats::Seats;
use crate::settings::{Setting, Settings, SettingsProps};
use crate::tour::{tour_bar, tour_start, TourAction, TourProps};
use std::rc::Rc;
use ualign::config::{Config, CustomPreferences, View};
use ualign::page::form::FormTexts;
use ualign::page::perf::FrameStats;
use ualign::page::run_state::RunState;
use ualign::page::text;
use ualign::page::tour::DeckView;
use yew::prelude::*;

/// The components' callbacks, made once by the page so their props stay equal between renders.
pub struct Callbacks {
    pub run: Callback<RunAction>,
    pub set: Callback<Setting>,
    pub sweep: Callback<SweepAction>,
    pub phase: Callback<PhaseAction>,
    pub readout: Callback<ReadoutAction>,
    pub export: Callback<(Figure, Format)>,
    pub edit: Callback<CustomPreferences>,
    pub reset: Callback<()>,
    pub dismiss: Callback<MouseEvent>,
    pub editor_toggled: Callback<bool>,
    pub arena: Callback<ArenaAction>,
    pub tour: Callback<TourAction>,
    pub deck: Callback<DeckClick>,
}

/// What the page shows, borrowed from its state.
pub struct Page<'a> {
    pub config: &'a Config,
    pub run: &'a RunState,
    pub form: &'a FormTexts,
    pub can_undo: bool,
    pub can_redo: bool,
    pub speed: u32,
    pub link_problem: Option<&'a str>,
    pub notice: Option<&'a str>,
    pub perf: &'a FrameStats,
    /// Whether the editor panel is unfolded (the editor is only built then).
    pub editor_open: bool,
    /// The phase map's cell under the pointer.
    pub phase_hover: Option<(usize, usize)>,
    pub canvases: &'a Canvases,
    pub paste: &'a NodeRef,
    pub callbacks: &'a Callbacks,
    /// The deck shown, and the guess as it stands.
    pub deck: Option<&'a DeckView>,
    pub guess: &'a str,
    /// The screen is blanked while presenting.
    pub blank: bool,
    /// The lecturer's deck (as the worker drew it), its next step's words, and its link.
    pub draft: &'a Rc<ualign::deck_draft::DeckPanel>,
    pub deck_panel: &'a WordBoxes,
    pub deck_link: Option<&'a str>,
}

pub fn page(p: &Page<'_>) -> Html {
    let (c, run, cb) = (p.config, p.run, p.callbacks);
    let snapshot = run.shown();
    let figures = figures(&FiguresProps {
        config: c.clone(),
        labels: run.labels.clone(),
        canvases: p.canvases.clone(),
        policies: snapshot.map(|s| (s.nlhf.policy.clone(), s.game.policy.clone())),
        opponents: run.opponents.clone(),
        sweep: SweepProgress {
            done: run.sweep_done,
            total: run.sweep_total,
            stopped: run.sweep_stopped,
        },
        phase: if c.view == View::Phase {
            run.phase.clone()
        } else {
            Default::default()
        },
        phase_hover: p.phase_hover,
        voter_types: match run.preferences.as_deref() {
            Some(CustomPreferences::Population { voters, .. }) => voters.len(),
            _ => 0,
        },
        on_export: cb.export.clone(),
        on_sweep: cb.sweep.clone(),
        on_phase: cb.phase.clone(),
    });
    let figures = html! {
        <>
        { figures }
        <Arena labels={Rc::new(run.labels.clone())} challenger={c.challenger.clone()}
            set={c.set.clone()} view={run.arena.clone()} hidden={!c.shows_arena()}
            on={cb.arena.clone()} />
        if c.view == View::Seats {
            <Seats labels={Rc::new(run.labels.clone())} challenger={c.seat_challenger()} k={c.k}
                view={run.seats.clone()} hidden={false} on={cb.arena.clone()} />
        }
        </>
    };
    let single = (c.view != View::All).then_some("single");
    let font = format!("--font-scale: {}", c.font_scale);
    let iteration = snapshot.map_or(0, |s| s.iteration);
    let blank = p
        .blank
        .then(|| html! { <div class="blank" data-testid="blank"></div> });
    let tour = p.deck.map(|view| {
        tour_bar(&TourProps {
            view,
            guess: p.guess,
            k: c.k,
            nlhf_exact: snapshot.map(|s| s.nlhf.exact_robust_win_rate),
            game_exact: snapshot.map(|s| s.game.exact_robust_win_rate),
            nlhf_top: snapshot.and_then(|s| run.labels.get(s.nlhf.exact_top).map(String::as_str)),
            labels: &run.labels,
            framed: c.embed,
            on: &cb.tour,
        })
    });
    // Before a question's reveal, the figures that would answer it wait.
    let asking = p
        .deck
        .is_some_and(|d| d.asking().is_some())
        .then_some("asking");
    let replay = ReplayState {
        kept: run.replay.len(),
        at: run.replay_at,
        iteration,
        newest: run.replay.last().map_or(0, |s| s.iteration),
    };
    let export_json = cb
        .readout
        .reform(|_: MouseEvent| ReadoutAction::Export(crate::transfer::DataExport::Json));
    let notices = html! {
        <>
        if let Some(problem) = p.link_problem {
            <div class="notice" role="status" data-testid="link-notice">
                <span>{ text::link_problem(problem) }</span>
                <button class="small" data-testid="link-notice-json"
                    onclick={export_json}>{ text::EXPORT_JSON }</button>
            </div>
        }
        if let Some(notice) = p.notice {
            <div class="notice" role="status" data-testid="notice">
                <span>{ notice }</span>
                <button class="small" aria-label={text::DISMISS} onclick={cb.dismiss.clone()}>{ "✕" }</button>
            </div>
        }
        </>
    };
    let run_panel = html! {
        <RunPanel ..RunPanelProps { running: run.running(), speed: p.speed, replay, on_action: cb.run.clone() } />
    };
    let readouts = html! {
        <Readouts ..ReadoutsProps {
            status: run.status,
            halting: run.halting,
            preset: c.preset.clone().into(),
            custom: c.custom.is_some(),
            error: run.error.clone(),
            k: c.k,
            snapshot: snapshot.cloned(),
            replaying: run.replay_at.is_some(),
            description: run.description.clone().into(),
            on_action: cb.readout.clone(),
        } />
    };
    let settings = html! {
        <>
        <Settings ..SettingsProps {
            paste: p.paste.clone(),
            config: c.clone(),
            texts: p.form.clone(),
            can_undo: p.can_undo,
            can_redo: p.can_redo,
            on_change: cb.set.clone(),
        } />
        <DeckPanel panel={p.draft.clone()} words={p.deck_panel.clone()}
            link={p.deck_link.map(AttrValue::from)} on={cb.deck.clone()} />
        </>
    };
    if let Some(tour) = tour {
        return scene(&ScenePieces {
            config: c,
            asking,
            tour,
            blank: blank.unwrap_or_default(),
            notices,
            figures,
            run: run_panel,
            readouts,
            folded: settings,
        });
    }
    if c.embed {
        // Embed mode (iframes in slides): the charts only, sized to the frame; the keyboard
        // still plays, pauses and steps, and the status is read out for screen readers.
        return html! {
            <main class={classes!("embed", single)} data-testid="embed" style={font}>
                <p class="sr-only" aria-live="polite">
                    <span data-testid="status" aria-busy={run.halting.to_string()}>{ text::status(run.status) }</span>
                    { ", iteration " }
                    <span data-testid="iteration">{ iteration }</span>
                </p>
                { figures }
                <a class="open-full" data-testid="open-full" href={location::full_view_href()}
                    target="_blank" rel="noopener">{ text::OPEN_FULL_VIEW }</a>
            </main>
        };
    }
    html! {
        <>
        <header class="top">
            <h1>{ text::TITLE }</h1>
            <p class="lede">{ text::LEDE }</p>
            <p class="look">{ text::LOOK_AT }{ " " }{ tour_start(&cb.tour) }</p>
        </header>
        { notices }
        <main class="layout" style={font}>
            <div class={classes!("charts", single)}>
                    { readouts }
                    { figures }
                    if let Some(prefs) = &run.preferences {
                        <details class="panel editor-panel" data-testid="view-editor" open={p.editor_open}
                            ontoggle={cb.editor_toggled.reform(|e: Event| {
                                e.target_unchecked_into::<web_sys::HtmlDetailsElement>().open()
                            })}>
                            <summary><h2>{ text::EDIT_PREFERENCES }</h2></summary>
                            if p.editor_open {
                                <Editor preferences={prefs.clone()} fit_residual={run.fit_residual}
                                    fit_types={run.fit_types} edited={c.custom.is_some()}
                                    on_change={cb.edit.clone()} on_reset={cb.reset.clone()} />
                            }
                        </details>
                    }
            </div>
            <div class="side">
                { run_panel }
                { settings }
                { crate::glossary::panel("panel") }
            </div>
        </main>
        <footer class="foot">
            <span data-testid="perf">{ text::perf(p.perf) }</span>
            <span>{ text::CITATION }</span>
        </footer>
        </>
    }
}
