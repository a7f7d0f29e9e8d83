//! Chart keys in HTML (crisp, never over the data): each series' line and marker, then its name.

use super::charts::{css, Marker, Series};
use yew::prelude::*;

fn sample(series: Series) -> Html {
    let color = css(series.color);
    let dash = series
        .dash
        .map(|(d, g)| format!("{d} {g}"))
        .unwrap_or_default();
    let marker = match series.marker {
        Marker::Circle => html! { <circle cx="18" cy="7" r="4" fill={color.clone()} /> },
        Marker::Square => html! { <rect x="14" y="3" width="8" height="8" fill={color.clone()} /> },
        Marker::Triangle => html! { <polygon points="18,2 23,11 13,11" fill={color.clone()} /> },
        Marker::Cross => html! {
            <path d="M14 3 L22 11 M22 3 L14 11" stroke={color.clone()} stroke-width="2" />
        },
        Marker::None => html! {},
    };
    html! {
        <svg class="swatch" width="36" height="14" viewBox="0 0 36 14" aria-hidden="true">
            <line x1="1" y1="7" x2="35" y2="7" stroke={color.clone()}
                stroke-width={series.width.to_string()} stroke-dasharray={dash} />
            { marker }
        </svg>
    }
}

/// A key: one entry per (series, label).
pub fn legend(entries: &[(Series, String)]) -> Html {
    html! {
        <ul class="legend">
            { for entries.iter().map(|(series, label)| html! {
                <li>{ sample(*series) }<span>{ label }</span></li>
            }) }
        </ul>
    }
}

/// A key of filled squares (for the bar chart), then a tick for the average iterate.
pub fn swatches(entries: &[(Series, String)]) -> Html {
    html! {
        <ul class="legend">
            <li class="tick-entry">
                <svg class="swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
                    <rect x="6" y="0" width="2" height="14" fill={css(super::charts::INK)} />
                </svg>
                <span>{ "average iterate" }</span>
            </li>
            { for entries.iter().map(|(series, label)| html! {
                <li>
                    <svg class="swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
                        <rect x="1" y="1" width="12" height="12" fill={css(series.color)} />
                    </svg>
                    <span>{ label }</span>
                </li>
            }) }
        </ul>
    }
}
