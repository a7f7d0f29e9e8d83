//! The win-rates figure: robust win rate and exploitability of both current iterates over the
//! iterations.

use super::backend::*;
use plotters::prelude::*;
use ualign::session::StepRecord;

/// Robust best-of-k win rate of both current iterates over the iterations, with the
/// references 1/2 and k/(k+1). W_k never exceeds k/(k+1), so the band above stays empty.
pub fn draw_win_rates(
    s: &Surface<'_>,
    history: &[StepRecord],
    k: usize,
    iterations: usize,
    cursor: Option<usize>,
) -> ChartResult {
    let bound = k as f64 / (k as f64 + 1.0);
    let hist = thin(history, 600);
    let x_max = iterations
        .max(history.last().map_or(1, |r| r.iteration))
        .max(1) as f64;
    let y_min = hist
        .iter()
        .flat_map(|r| [r.nlhf_win_rate, r.game_win_rate])
        .filter(|v| v.is_finite())
        .fold(0.45_f64, f64::min)
        .max(0.0);
    let mut chart = frame(s, 0.0..x_max, (y_min - 0.02)..1.0).map_err(|e| e.to_string())?;
    mesh!(
        chart,
        s,
        "iteration",
        format!("robust best-of-{k} win rate"),
        6,
        &|x: &f64| format!("{x:.0}"),
        &|y: &f64| format!("{y:.2}"),
    );
    reference(&mut chart, s, (0.0, x_max), 0.5, "1/2", SERIES_HALF)?;
    reference(
        &mut chart,
        s,
        (0.0, x_max),
        bound,
        &format!("k/(k+1) = {bound:.4}"),
        SERIES_BOUND,
    )?;
    let every = (hist.len() / 12).max(1);
    let nlhf: Vec<(f64, f64)> = hist
        .iter()
        .map(|r| (r.iteration as f64, r.nlhf_win_rate))
        .collect();
    let game: Vec<(f64, f64)> = hist
        .iter()
        .map(|r| (r.iteration as f64, r.game_win_rate))
        .collect();
    draw_line(&mut chart, s, SERIES_NLHF, &nlhf, every)?;
    draw_line(&mut chart, s, SERIES_GAME, &game, every)?;
    if let Some(t) = cursor {
        let t = t as f64;
        draw_line(
            &mut chart,
            s,
            SERIES_HALF,
            &[(t, y_min - 0.02), (t, 1.0)],
            1,
        )?;
    }
    s.area.present()?;
    Ok(())
}

/// Exploitability of both current iterates in their own games, log scale (exact zeros sit
/// on the floor of the axis).
pub fn draw_exploitability(
    s: &Surface<'_>,
    history: &[StepRecord],
    iterations: usize,
    cursor: Option<usize>,
) -> ChartResult {
    const FLOOR: f64 = 1e-16;
    let hist = thin(history, 600);
    let x_max = iterations
        .max(history.last().map_or(1, |r| r.iteration))
        .max(1) as f64;
    let values = hist
        .iter()
        .flat_map(|r| [r.nlhf_exploitability, r.game_exploitability])
        .filter(|v| v.is_finite() && *v > 0.0);
    let lo = values.clone().fold(1e-4_f64, f64::min).max(FLOOR);
    let hi = values.fold(1e-1_f64, f64::max).max(lo * 10.0);
    // A log scale drawn on a linear axis of log10 values, labelled 1e-n: the same chart
    // without a second copy of plotters' axis code for a log coordinate.
    let (y_lo, y_hi) = (lo.log10().floor(), hi.log10().ceil());
    let mut chart = frame(s, 0.0..x_max, y_lo..y_hi).map_err(|e| e.to_string())?;
    mesh!(
        chart,
        s,
        "iteration",
        "exploitability",
        6,
        &|x: &f64| format!("{x:.0}"),
        // Whole powers of ten only (a tick between two is left unlabelled).
        &|y: &f64| if (y - y.round()).abs() < 1e-9 {
            format!("1e{:.0}", y.round())
        } else {
            String::new()
        },
    );
    let clamp = |v: f64| {
        if v.is_finite() {
            v.max(10f64.powf(y_lo)).log10()
        } else {
            y_hi
        }
    };
    let every = (hist.len() / 12).max(1);
    let nlhf: Vec<(f64, f64)> = hist
        .iter()
        .map(|r| (r.iteration as f64, clamp(r.nlhf_exploitability)))
        .collect();
    let game: Vec<(f64, f64)> = hist
        .iter()
        .map(|r| (r.iteration as f64, clamp(r.game_exploitability)))
        .collect();
    draw_line(&mut chart, s, SERIES_NLHF, &nlhf, every)?;
    draw_line(&mut chart, s, SERIES_GAME, &game, every)?;
    if let Some(t) = cursor {
        let t = t as f64;
        draw_line(&mut chart, s, SERIES_HALF, &[(t, y_lo), (t, y_hi)], 1)?;
    }
    s.area.present()?;
    Ok(())
}
