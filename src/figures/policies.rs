//! The policies figure: NLHF's and the game's current iterates as side-by-side bars, with the
//! average iterate as a tick.

use super::backend::*;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use ualign::session::Snapshot;

/// Side-by-side policy bars: for each response, NLHF's current policy above the alignment
/// game's, with the probability written at the end of each bar (the key is in HTML).
pub fn draw_policies(s: &Surface<'_>, labels: &[String], snap: &Snapshot) -> ChartResult {
    let area = &s.area;
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let n = labels.len().max(1);
    let label_font = s.font(13.0).pos(Pos::new(HPos::Right, VPos::Center));
    let text_w = |t: &str| {
        area.estimate_text_size(t, &label_font)
            .map_or(0, |(tw, _)| tw as i32)
    };
    // Labels take at most two fifths of the width; longer ones are shortened with an ellipsis.
    let max_w = w * 2 / 5;
    let labels: Vec<String> = labels
        .iter()
        .map(|l| {
            if text_w(l) <= max_w {
                return l.clone();
            }
            let mut chars: Vec<char> = l.chars().collect();
            while chars.len() > 1 {
                chars.pop();
                let short: String = chars.iter().collect::<String>() + "…";
                if text_w(&short) <= max_w {
                    return short;
                }
            }
            "…".to_string()
        })
        .collect();
    let label_w = labels.iter().map(|l| text_w(l)).max().unwrap_or(0);
    let left = label_w + s.tx(14.0);
    let right = w - s.tx(48.0);
    let top = s.px(6.0);
    let bottom = h - s.tx(26.0);
    let row = f64::from(bottom - top) / n as f64;
    let x_of = |p: f64| left + (p.clamp(0.0, 1.0) * f64::from(right - left)).round() as i32;

    // Vertical grid and axis ticks.
    for i in 0..=4 {
        let p = f64::from(i) / 4.0;
        let x = x_of(p);
        area.draw(&PathElement::new(
            vec![(x, top), (x, bottom)],
            GRID.stroke_width(1),
        ))?;
        let font = s
            .font(12.0)
            .color(&MUTED)
            .pos(Pos::new(HPos::Center, VPos::Top));
        area.draw(&Text::new(format!("{p:.2}"), (x, bottom + s.tx(6.0)), font))?;
    }

    let value_font = s.font(12.0).pos(Pos::new(HPos::Left, VPos::Center));
    let bar_h = (row * 0.36).min(f64::from(s.px(20.0))).max(2.0) as i32;
    for (i, label) in labels.iter().enumerate() {
        let y_mid = top + (row * (i as f64 + 0.5)).round() as i32;
        area.draw(&Text::new(
            label.clone(),
            (left - s.tx(8.0), y_mid),
            label_font.clone(),
        ))?;
        for (j, side) in [&snap.nlhf, &snap.game].into_iter().enumerate() {
            let color = if j == 0 { NLHF } else { GAME };
            let p = side.policy.get(i).copied().unwrap_or(0.0);
            let y0 = if j == 0 { y_mid - bar_h - 1 } else { y_mid + 1 };
            let x1 = x_of(p);
            if x1 > left {
                area.draw(&Rectangle::new(
                    [(left, y0), (x1, y0 + bar_h)],
                    color.filled(),
                ))?;
            }
            // Values under half a per mille would only print as 0.000: leave the bar bare.
            if bar_h >= s.tx(9.0) && p >= 0.0005 {
                area.draw(&Text::new(
                    format!("{p:.3}"),
                    (x1 + s.tx(5.0), y0 + bar_h / 2),
                    value_font.clone(),
                ))?;
            }
            // The average iterate as a thin tick: where last iterates cycle, it shows the
            // time-average they circle around.
            if let Some(&avg) = side.average.get(i) {
                if avg.is_finite() && avg >= 0.0005 {
                    let xa = x_of(avg);
                    area.draw(&Rectangle::new(
                        [
                            (xa - s.px(1.0), y0 - s.px(2.0)),
                            (xa + s.px(1.0), y0 + bar_h + s.px(2.0)),
                        ],
                        INK.filled(),
                    ))?;
                }
            }
        }
    }
    area.draw(&PathElement::new(
        vec![(left, top), (left, bottom)],
        MUTED.stroke_width(1),
    ))?;
    area.present()?;
    Ok(())
}
