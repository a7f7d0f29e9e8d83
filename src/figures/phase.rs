//! The phase map figure: a grid over the profile parameter (columns) and k (rows, 1 at the
//! bottom), each cell shaded by the (k+1)-player equilibrium's support size and labelled with
//! it, and the exact Condorcet boundary k = 1 / max_y P[y][c] - 1 drawn across.

use super::backend::*;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use ualign::page::run_state::PhaseState;

/// Where the grid sits in a canvas `w` x `h` CSS pixels at text scale `scale`: left, top,
/// cell width, cell height (CSS pixels).
pub fn layout(w: f64, h: f64, scale: f64, columns: usize, rows: usize) -> (f64, f64, f64, f64) {
    let (left, top) = (46.0 * scale, 8.0);
    let (right, bottom) = (12.0, 40.0 * scale);
    let cw = ((w - left - right) / columns.max(1) as f64).max(1.0);
    let ch = ((h - top - bottom) / rows.max(1) as f64).max(1.0);
    (left, top, cw, ch)
}

/// The cell under a point (CSS pixels within the canvas): its column and k.
#[allow(clippy::too_many_arguments)]
pub fn cell_at(
    w: f64,
    h: f64,
    scale: f64,
    columns: usize,
    rows: usize,
    x: f64,
    y: f64,
) -> Option<(usize, usize)> {
    let (left, top, cw, ch) = layout(w, h, scale, columns, rows);
    let col = ((x - left) / cw).floor();
    let row = ((y - top) / ch).floor();
    if col < 0.0 || row < 0.0 || col >= columns as f64 || row >= rows as f64 {
        return None;
    }
    Some((col as usize, rows - row as usize))
}

/// A sequential blue ramp (light for a pure equilibrium, dark for a wide support): readable
/// in greyscale, and every cell also carries its number.
fn shade(support: usize, n: usize) -> RGBColor {
    let t = if n <= 1 {
        0.0
    } else {
        (support.saturating_sub(1)) as f64 / (n - 1) as f64
    };
    let mix = |a: u8, b: u8| (f64::from(a) + t * (f64::from(b) - f64::from(a))).round() as u8;
    RGBColor(mix(0xEE, 0x08), mix(0xF3, 0x45), mix(0xF9, 0x94))
}

/// Draws the map of `phase` (`columns` x `k_max` cells, those computed so far) over `n`
/// responses; `hover` outlines one cell.
pub fn draw_phase(
    s: &Surface<'_>,
    phase: &PhaseState,
    columns: usize,
    k_max: usize,
    n: usize,
    hover: Option<(usize, usize)>,
) -> ChartResult {
    let area = &s.area;
    let (w, h) = area.dim_in_pixel();
    let (cw_css, ch_css) = (f64::from(w) / s.dpr, f64::from(h) / s.dpr);
    let (left, top, cw, ch) = layout(cw_css, ch_css, s.scale, columns, k_max);
    let px = |v: f64| (v * s.dpr).round() as i32;
    let x_of = |col: f64| px(left + col * cw);
    // Row k is centred on k: a cell lies under the boundary exactly when its centre does.
    let y_of = |k: f64| px(top + (k_max as f64 + 0.5 - k) * ch);
    let digits = s.font(11.0).pos(Pos::new(HPos::Center, VPos::Center));
    for cell in &phase.cells {
        let (x0, y0) = (x_of(cell.column as f64), y_of(cell.k as f64 + 0.5));
        let (x1, y1) = (x_of(cell.column as f64 + 1.0), y_of(cell.k as f64 - 0.5));
        let colour = shade(cell.support, n);
        area.draw(&Rectangle::new(
            [(x0, y0), (x1 - 1, y1 - 1)],
            colour.filled(),
        ))?;
        if cw >= 14.0 * s.scale && ch >= 12.0 * s.scale {
            let dark = cell.support * 2 > n + 1;
            area.draw(&Text::new(
                cell.support.to_string(),
                ((x0 + x1) / 2, (y0 + y1) / 2),
                digits.clone().color(if dark { &WHITE } else { &INK }),
            ))?;
        }
    }
    if let Some((col, k)) = hover {
        let (x0, y0) = (x_of(col as f64), y_of(k as f64));
        let (x1, y1) = (x_of(col as f64 + 1.0), y_of(k as f64 - 1.0));
        area.draw(&Rectangle::new(
            [(x0, y0), (x1, y1)],
            INK.stroke_width(s.px(2.0).max(1) as u32),
        ))?;
    }
    // The boundary: column by column, the k up to which the Condorcet winner alone is the
    // equilibrium (clipped to the grid; missing where there is no Condorcet winner).
    let mut line: Vec<(i32, i32)> = Vec::new();
    let mut segments = Vec::new();
    for (col, facts) in phase.columns.iter().enumerate() {
        match facts.boundary_k {
            Some(b) => {
                let k = b.clamp(0.5, k_max as f64 + 0.5);
                line.push((x_of(col as f64 + 0.5), y_of(k)));
            }
            None => segments.push(std::mem::take(&mut line)),
        }
    }
    segments.push(line);
    let style = INK.stroke_width(s.px(3.0).max(1) as u32);
    for seg in segments.into_iter().filter(|l| l.len() > 1) {
        area.draw(&PathElement::new(seg, style))?;
    }
    // Axes: k on the left, the parameter below.
    let tick = s.font(12.0).color(&MUTED);
    let every = (k_max / 8).max(1);
    for k in (1..=k_max).filter(|k| k % every == 0 || *k == 1) {
        area.draw(&Text::new(
            k.to_string(),
            (px(left) - s.tx(6.0), y_of(k as f64)),
            tick.clone().pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
    }
    let below = y_of(0.5) + s.tx(4.0);
    let cols = phase.columns.len().min(columns);
    for col in [0, columns / 2, columns.saturating_sub(1)] {
        if let Some(f) = phase.columns.get(col).filter(|_| col < cols.max(1)) {
            area.draw(&Text::new(
                format!("{:.2}", f.parameter),
                (x_of(col as f64 + 0.5), below),
                tick.clone().pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
        }
    }
    area.draw(&Text::new(
        "k".to_string(),
        (s.tx(8.0), px(top)),
        s.font(13.0).pos(Pos::new(HPos::Left, VPos::Top)),
    ))?;
    area.present()?;
    Ok(())
}
