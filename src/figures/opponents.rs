//! The opponents figure: win rate against the worst l-output opponent, with the guarantee.

use super::backend::*;
use plotters::prelude::*;
use ualign::session::OpponentRow;

/// Win rate against the worst l-output opponent, with the guarantee (k+1-l)/(k+1).
/// Hollow markers: the minimum over opponents was bounded, not enumerated.
pub fn draw_opponents(s: &Surface<'_>, rows: &[OpponentRow], k: usize) -> ChartResult {
    let l_max = rows.iter().map(|r| r.l).max().unwrap_or(k).max(1);
    let mut chart = frame(s, 0.6..(l_max as f64 + 0.4), 0.0..1.0).map_err(|e| e.to_string())?;
    mesh!(
        chart,
        s,
        "ℓ (responses the opponent shows)",
        format!("win rate of best-of-{k}"),
        l_max.min(12),
        &|x: &f64| format!("{x:.0}"),
        &|y: &f64| format!("{y:.1}"),
    );
    let pick = |f: fn(&OpponentRow) -> f64| -> Vec<(f64, f64)> {
        rows.iter().map(|r| (r.l as f64, f(r))).collect()
    };
    draw_line(&mut chart, s, SERIES_BOUND, &pick(|r| r.bound), 1)?;
    draw_line(&mut chart, s, SERIES_NLHF, &pick(|r| r.nlhf), 1)?;
    draw_line(&mut chart, s, SERIES_GAME, &pick(|r| r.game), 1)?;
    // White dots inside the markers of inexact points make them hollow.
    let hole = s.px(2.0);
    chart.draw_series(
        rows.iter()
            .filter(|r| !r.exact)
            .flat_map(|r| [(r.l as f64, r.nlhf), (r.l as f64, r.game)])
            .map(|p| Circle::new(p, hole, WHITE.filled())),
    )?;
    s.area.present()?;
    Ok(())
}
