//! Play, pause, step, restart, the speed and the replay slider: first in the side bar.

use ualign::page::shortcuts::Shortcut;
use ualign::page::text;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// What the run controls ask.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RunAction {
    Play,
    Pause,
    Step,
    Restart,
    /// Iterations per second; 0 = as fast as possible.
    SetSpeed(u32),
    /// Show kept snapshot i (pausing a run).
    Replay(usize),
    /// Back to the newest snapshot.
    Live,
}

impl RunAction {
    /// What a run shortcut does now (space plays or pauses, as the run is).
    pub fn for_shortcut(shortcut: Shortcut, running: bool) -> Option<RunAction> {
        match shortcut {
            Shortcut::PlayPause if running => Some(RunAction::Pause),
            Shortcut::PlayPause => Some(RunAction::Play),
            Shortcut::Step => Some(RunAction::Step),
            Shortcut::Restart => Some(RunAction::Restart),
            Shortcut::Undo | Shortcut::Redo | Shortcut::ArenaRound | Shortcut::Tour(_) => None,
            Shortcut::Blank | Shortcut::FullScreen => None,
        }
    }
}

/// The replay slider's state: kept snapshots, which is shown, and their iterations.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct ReplayState {
    pub kept: usize,
    pub at: Option<usize>,
    pub iteration: usize,
    pub newest: usize,
}

#[derive(Properties, PartialEq)]
pub struct RunPanelProps {
    pub running: bool,
    pub speed: u32,
    pub replay: ReplayState,
    pub on_action: Callback<RunAction>,
}

#[function_component(RunPanel)]
pub fn run_panel(props: &RunPanelProps) -> Html {
    let renders = crate::platform::use_render_count();
    let act = |a: RunAction| props.on_action.reform(move |_: MouseEvent| a);
    let on_speed = props.on_action.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        RunAction::SetSpeed(v.parse().unwrap_or(60))
    });
    html! {
        <section class="panel run" aria-label={text::RUN} data-renders={renders}>
            <div class="field">
                <label for="speed-select">{ text::SPEED }</label>
                <select id="speed-select" data-testid="speed-select" onchange={on_speed}>
                    { for text::SPEEDS.iter().map(|(v, name)| html! {
                        <option value={v.to_string()} selected={*v == props.speed}>{ *name }</option>
                    }) }
                </select>
            </div>
            <div class="buttons" role="group" aria-label={text::RUN_CONTROLS}>
                <button data-testid="play" class="primary" disabled={props.running}
                    onclick={act(RunAction::Play)}>{ text::PLAY }</button>
                <button data-testid="pause" disabled={!props.running}
                    onclick={act(RunAction::Pause)}>{ text::PAUSE }</button>
                <button data-testid="step" onclick={act(RunAction::Step)}>{ text::STEP }</button>
                <button data-testid="restart" onclick={act(RunAction::Restart)}>{ text::RESTART }</button>
            </div>
            if props.replay.kept > 1 {
                { replay(&props.replay, &props.on_action) }
            }
            <p class="hint keys">{ text::KEYS_HINT }</p>
        </section>
    }
}

/// The replay slider: back through the kept snapshots of this run.
fn replay(r: &ReplayState, on_action: &Callback<RunAction>) -> Html {
    let last = r.kept - 1;
    let at = r.at.unwrap_or(last);
    html! {
        <div class="field replay">
            <label for="replay-input">{ text::REPLAY }</label>
            <div class="slider">
                <input id="replay-input" data-testid="replay" type="range" min="0"
                    max={last.to_string()} value={at.to_string()}
                    aria-valuetext={text::replay_position(r.iteration, r.newest)}
                    oninput={on_action.reform(|e: InputEvent| {
                        let v = e.target_unchecked_into::<HtmlInputElement>().value();
                        RunAction::Replay(v.parse().unwrap_or(0))
                    })} />
                <output for="replay-input">{ r.iteration }</output>
            </div>
            if r.at.is_some() {
                <button class="small" data-testid="live"
                    onclick={on_action.reform(|_: MouseEvent| RunAction::Live)}>
                    { text::back_to_newest(r.newest) }</button>
            }
        </div>
    }
}
