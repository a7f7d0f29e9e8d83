//! The headline figure: robust win rate against k for every method, with k/(k+1).

use super::backend::*;
use plotters::prelude::*;
use ualign::session::SweepRow;

/// The headline: robust best-of-k win rate against k for every policy, with k/(k+1).
pub fn draw_sweep(s: &Surface<'_>, rows: &[SweepRow], k_max: usize, k: usize) -> ChartResult {
    let k_max = k_max.max(2);
    let y_min = rows
        .iter()
        .flat_map(|r| [r.nlhf, r.game, r.rlhf, r.best_of_k])
        .filter(|v| v.is_finite())
        .fold(0.45_f64, f64::min)
        .max(0.0)
        - 0.02;
    let x_range = 0.6..(k_max as f64 + 0.4);
    let mut chart = frame(s, x_range.clone(), y_min..1.0).map_err(|e| e.to_string())?;
    mesh!(
        chart,
        s,
        "k (responses shown to the user)",
        "robust win rate W_k",
        k_max.min(16),
        &|x: &f64| format!("{x:.0}"),
        &|y: &f64| format!("{y:.2}"),
    );
    // The current k, as a faint band.
    if (1..=k_max).contains(&k) {
        chart.draw_series(std::iter::once(Rectangle::new(
            [(k as f64 - 0.18, y_min), (k as f64 + 0.18, 1.0)],
            GRID.mix(0.7).filled(),
        )))?;
    }
    reference(
        &mut chart,
        s,
        (x_range.start, x_range.end),
        0.5,
        "1/2",
        SERIES_HALF,
    )?;
    let bound: Vec<(f64, f64)> = (1..=k_max)
        .map(|k| (k as f64, k as f64 / (k as f64 + 1.0)))
        .collect();
    draw_line(&mut chart, s, SERIES_BOUND, &bound, 1)?;
    let series = |f: fn(&SweepRow) -> f64| -> Vec<(f64, f64)> {
        rows.iter()
            .map(|r| (r.k as f64, f(r)))
            .filter(|p| p.1.is_finite())
            .collect()
    };
    draw_line(&mut chart, s, SERIES_UNIFORM, &series(|r| r.best_of_k), 1)?;
    draw_line(&mut chart, s, SERIES_RLHF, &series(|r| r.rlhf), 1)?;
    draw_line(&mut chart, s, SERIES_NLHF, &series(|r| r.nlhf), 1)?;
    draw_line(&mut chart, s, SERIES_GAME, &series(|r| r.game), 1)?;
    s.area.present()?;
    Ok(())
}
