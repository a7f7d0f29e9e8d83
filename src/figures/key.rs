//! Figure keys: in HTML on the page (crisp, never over the data) and drawn into an exported
//! SVG above its charts. Both show each series' line and marker (or a square, for bars).

use super::backend::*;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use yew::prelude::*;

/// Height (CSS pixels) of the title and key drawn above an exported chart.
const KEY_ROW: f64 = 22.0;

/// Where each key entry goes in a key `width` wide (CSS pixels): entries flow left to right
/// and wrap; returns their (x, row) and the number of rows.
fn key_layout(entries: &[(Series, String)], width: f64, scale: f64) -> (Vec<(f64, usize)>, usize) {
    // Laid out at the normal text size in a key `width / scale` wide, then scaled.
    let width = width / scale;
    let font = (FONT, 13.0).into_font();
    let (mut x, mut row, mut at) = (0.0, 0, Vec::new());
    for (_, label) in entries {
        let text_w = font
            .box_size(label)
            .map_or(8.0 * label.len() as f64, |(w, _)| f64::from(w));
        let entry_w = 44.0 + text_w + 18.0;
        if x > 0.0 && x + entry_w > width {
            x = 0.0;
            row += 1;
        }
        at.push((x, row));
        x += entry_w;
    }
    (at, if entries.is_empty() { 0 } else { row + 1 })
}

/// Height of the title and the key of an exported figure `width` CSS pixels wide.
pub fn key_height(entries: &[(Series, String)], width: f64, scale: f64) -> f64 {
    let (_, rows) = key_layout(entries, width - 20.0, scale);
    (12.0 + 26.0 + rows as f64 * KEY_ROW) * scale
}

/// The title and key of an exported figure (the page shows both in HTML): each series'
/// line and marker, or a filled square for bars, then its name.
pub fn draw_key(
    s: &Surface<'_>,
    title: &str,
    entries: &[(Series, String)],
    bars: bool,
) -> ChartResult {
    let area = &s.area;
    let (w, _) = area.dim_in_pixel();
    area.draw(&Text::new(
        title.to_string(),
        (s.tx(10.0), s.tx(10.0)),
        s.font(16.0).pos(Pos::new(HPos::Left, VPos::Top)),
    ))?;
    let (at, _) = key_layout(entries, f64::from(w) / s.dpr - 20.0, s.scale);
    let label_font = s.font(13.0).pos(Pos::new(HPos::Left, VPos::Center));
    for ((series, label), (x, row)) in entries.iter().zip(at) {
        let x0 = s.px(10.0) + s.tx(x);
        let y = s.tx(12.0 + 26.0 + KEY_ROW * (row as f64 + 0.5));
        if bars {
            // A filled square per policy; a thin tick (the average iterate) for an entry
            // without a marker.
            let (half_w, half_h) = if series.marker == Marker::None {
                (s.tx(1.0), s.tx(8.0))
            } else {
                (s.tx(6.0), s.tx(6.0))
            };
            area.draw(&Rectangle::new(
                [
                    (x0 + s.tx(18.0) - half_w, y - half_h),
                    (x0 + s.tx(18.0) + half_w, y + half_h),
                ],
                series.color.filled(),
            ))?;
        } else {
            let style = s.stroke(series.color, series.width);
            let (from, to) = ((x0, y), (x0 + s.tx(36.0), y));
            // Solid, or dash, gap, dash... as on the chart.
            let (d, g) = series.dash.map_or((to.0 - from.0, 0), |(d, g)| {
                (s.tx(d).max(1), s.tx(g).max(1))
            });
            let mut x = from.0;
            while x < to.0 {
                let end = (x + d).min(to.0);
                area.draw(&PathElement::new(vec![(x, y), (end, y)], style))?;
                x = end + g.max(1);
            }
            if series.marker != Marker::None {
                area.draw(&marker_at(
                    (x0 + s.tx(18.0), y),
                    series.marker,
                    series.color,
                    s.tx(4.0),
                ))?;
            }
        }
        area.draw(&Text::new(
            label.clone(),
            (x0 + s.tx(44.0), y),
            label_font.clone(),
        ))?;
    }
    Ok(())
}

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
                    <rect x="6" y="0" width="2" height="14" fill={css(INK)} />
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
