//! A deck's step as a scene: its bar (step, title, caption), one focused figure and the
//! readouts its caption quotes, filling the screen or the frame without scrolling. The
//! settings and the deck panel are folded away; "Open in the lab" leaves the deck and shows
//! the full page with the same configuration.

use crate::location;
use ualign::config::Config;
use ualign::page::text;
use yew::prelude::*;

/// What the page built for a scene.
pub struct ScenePieces<'a> {
    pub config: &'a Config,
    /// "asking" before a question's reveal: the figure and the numbers wait.
    pub asking: Option<&'static str>,
    pub tour: Html,
    pub blank: Html,
    pub notices: Html,
    pub figures: Html,
    pub run: Html,
    pub readouts: Html,
    /// Kept in the page (their state and keys stay) but not shown.
    pub folded: Html,
}

pub fn scene(s: &ScenePieces<'_>) -> Html {
    let c = s.config;
    let framed = c.embed;
    html! {
        <div class={classes!("scene", framed.then_some("framed"), s.asking)} data-testid="scene"
            style={format!("--font-scale: {}", c.font_scale)}>
            { s.tour.clone() }
            { s.blank.clone() }
            { s.notices.clone() }
            <main class="scene-body" data-testid={framed.then_some("embed")}>
                <div class="scene-figure" data-testid="scene-figure">{ s.figures.clone() }</div>
                <aside class="scene-side" aria-label={text::LIVE_VALUES}>
                    { s.run.clone() }
                    { s.readouts.clone() }
                </aside>
            </main>
            <div class="folded" hidden=true>{ s.folded.clone() }</div>
            if framed {
                <a class="open-full" data-testid="open-full" href={location::full_view_href()}
                    target="_blank" rel="noopener">{ text::OPEN_FULL_VIEW }</a>
            }
        </div>
    }
}
