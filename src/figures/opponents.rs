//! The opponents figure: win rate against the worst l-output opponent, between the paper's
//! guarantee (k+1-l)/(k+1) and k/(k+l), which no policy beats (docs/mathematics.md#the-open-question).

use super::backend::*;
use plotters::prelude::*;
use ualign::session::OpponentRow;

/// Win rate against the worst l-output opponent for the configured game's equilibrium, NLHF,
/// the (k+l)-player equilibrium and the best policy found by search, with the guarantee
/// (k+1-l)/(k+1) below and k/(k+l) above. Hollow markers: a bound, not an exact value (a
/// minimum over opponents not enumerated, or the best policy a local search found).
pub fn draw_opponents(s: &Surface<'_>, rows: &[OpponentRow], k: usize) -> ChartResult {
    let l_max = rows.iter().map(|r| r.l).max().unwrap_or(k).max(1);
    let ceiling = |l: usize| k as f64 / (k + l) as f64;
    // The interval is narrow (k = 4, l = 2: 0.600 to 0.667): the axis frames what is drawn.
    let values = rows
        .iter()
        .flat_map(|r| [r.game, r.nlhf, r.bound, r.k_plus_l, ceiling(r.l)])
        .filter(|v| v.is_finite());
    let lo = values.clone().fold(1.0_f64, f64::min);
    let hi = values.fold(0.0_f64, f64::max);
    let (y0, y1) = ((lo - 0.05).max(0.0), (hi + 0.05).min(1.0).max(lo + 0.1));
    let mut chart = frame(s, 0.6..(l_max as f64 + 0.4), y0..y1).map_err(|e| e.to_string())?;
    mesh!(
        chart,
        s,
        "ℓ (responses the opponent shows)",
        format!("win rate of best-of-{k}"),
        l_max.min(12),
        &|x: &f64| format!("{x:.0}"),
        &|y: &f64| format!("{y:.2}"),
    );
    let pick = |f: &dyn Fn(&OpponentRow) -> Option<f64>| -> Vec<(f64, f64)> {
        rows.iter()
            .filter_map(|r| f(r).map(|v| (r.l as f64, v)))
            .collect()
    };
    draw_line(
        &mut chart,
        s,
        SERIES_CEILING,
        &pick(&|r| Some(ceiling(r.l))),
        1,
    )?;
    draw_line(&mut chart, s, SERIES_BOUND, &pick(&|r| Some(r.bound)), 1)?;
    draw_line(&mut chart, s, SERIES_NLHF, &pick(&|r| Some(r.nlhf)), 1)?;
    // The three policies often nearly coincide: the dashed ones go on top of the solid one.
    draw_line(&mut chart, s, SERIES_GAME, &pick(&|r| Some(r.game)), 1)?;
    draw_line(&mut chart, s, SERIES_WIDER, &pick(&|r| Some(r.k_plus_l)), 1)?;
    draw_line(&mut chart, s, SERIES_BEST, &pick(&|r| r.best), 1)?;
    // White dots inside the markers of inexact points make them hollow.
    let hole = s.px(2.0);
    chart.draw_series(
        rows.iter()
            .filter(|r| !r.exact)
            .flat_map(|r| [(r.l as f64, r.nlhf), (r.l as f64, r.game)])
            .chain(
                rows.iter()
                    .filter(|r| !r.best_exact)
                    .filter_map(|r| r.best.map(|b| (r.l as f64, b))),
            )
            .map(|p| Circle::new(p, hole, WHITE.filled())),
    )?;
    s.area.present()?;
    Ok(())
}
