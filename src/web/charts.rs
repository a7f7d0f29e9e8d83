//! The canvas charts (plotters on HTML canvas): policy bars, win rate and exploitability over
//! iterations, win rate against k, and the l-output opponent curve.
//!
//! Every chart sizes its canvas backing store to CSS size times devicePixelRatio and scales
//! fonts and strokes by the same factor, so lines stay sharp on HiDPI screens and projectors.
//! Colours are Okabe-Ito; each series also differs by dash pattern and marker shape, so the
//! charts read in greyscale and for colour-blind viewers.

use crate::session::{OpponentRow, Snapshot, StepRecord, SweepRow};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

type DrawResult = Result<(), Box<dyn std::error::Error>>;
type Area = DrawingArea<CanvasBackend, Shift>;

/// Okabe-Ito palette.
pub const NLHF: RGBColor = RGBColor(0xD5, 0x5E, 0x00); // vermillion
pub const GAME: RGBColor = RGBColor(0x00, 0x72, 0xB2); // blue
pub const RLHF: RGBColor = RGBColor(0x00, 0x9E, 0x73); // bluish green
pub const UNIFORM: RGBColor = RGBColor(0xCC, 0x79, 0xA7); // reddish purple
pub const INK: RGBColor = RGBColor(0x1F, 0x23, 0x28);
const GRID: RGBColor = RGBColor(0xE3, 0xE6, 0xEA);
const MUTED: RGBColor = RGBColor(0x6B, 0x72, 0x80);
const FONT: &str = "system-ui, sans-serif";

/// A canvas made ready for drawing: backing store matched to its CSS box, and the scale.
struct Surface {
    area: Area,
    /// Device pixels per CSS pixel.
    dpr: f64,
}

impl Surface {
    fn new(canvas: &HtmlCanvasElement) -> Option<Surface> {
        let dpr = web_sys::window()?.device_pixel_ratio().max(1.0);
        let css_w = canvas.client_width();
        let css_h = canvas.client_height();
        if css_w <= 0 || css_h <= 0 {
            return None; // not laid out (hidden): nothing to draw
        }
        let w = (f64::from(css_w) * dpr).round() as u32;
        let h = (f64::from(css_h) * dpr).round() as u32;
        if canvas.width() != w {
            canvas.set_width(w);
        }
        if canvas.height() != h {
            canvas.set_height(h);
        }
        let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
        let area = backend.into_drawing_area();
        area.fill(&WHITE).ok()?;
        Some(Surface { area, dpr })
    }

    /// CSS pixels to device pixels.
    fn px(&self, css: f64) -> i32 {
        (css * self.dpr).round() as i32
    }

    fn font(&self, css_size: f64) -> TextStyle<'static> {
        TextStyle::from((FONT, css_size * self.dpr).into_font()).color(&INK)
    }

    fn stroke(&self, color: RGBColor, css_width: f64) -> ShapeStyle {
        color.stroke_width(self.px(css_width).max(1) as u32)
    }
}

/// How a line series is drawn: colour, dash, marker. One per compared policy.
#[derive(Clone, Copy)]
pub enum Marker {
    Circle,
    Square,
    Triangle,
    Cross,
}

#[derive(Clone, Copy)]
struct Line {
    color: RGBColor,
    /// Dash length and gap in CSS pixels; `None` = solid.
    dash: Option<(f64, f64)>,
    marker: Marker,
    label: &'static str,
}

const LINE_NLHF: Line = Line {
    color: NLHF,
    dash: Some((7.0, 4.0)),
    marker: Marker::Square,
    label: "NLHF (2-player Nash)",
};
const LINE_GAME: Line = Line {
    color: GAME,
    dash: None,
    marker: Marker::Circle,
    label: "(k+1)-player game",
};
const LINE_RLHF: Line = Line {
    color: RLHF,
    dash: Some((2.0, 3.0)),
    marker: Marker::Triangle,
    label: "RLHF (Bradley-Terry)",
};
const LINE_UNIFORM: Line = Line {
    color: UNIFORM,
    dash: Some((12.0, 4.0)),
    marker: Marker::Cross,
    label: "best-of-k from uniform",
};

type Chart<'a, Y> =
    ChartContext<'a, CanvasBackend, Cartesian2d<plotters::coord::types::RangedCoordf64, Y>>;

/// Draws a series with its dash pattern, its markers every `marker_every` points, and its
/// legend entry.
fn draw_line<Y>(
    chart: &mut Chart<'_, Y>,
    s: &Surface,
    line: Line,
    points: &[(f64, Y::ValueType)],
    marker_every: usize,
    label: Option<&str>,
) -> DrawResult
where
    Y: plotters::coord::ranged1d::Ranged,
    Y::ValueType: Clone + 'static,
{
    let style = s.stroke(line.color, 2.0);
    let anno = match line.dash {
        None => chart.draw_series(LineSeries::new(points.iter().cloned(), style))?,
        Some((dash, gap)) => chart.draw_series(DashedLineSeries::new(
            points.iter().cloned(),
            s.px(dash),
            s.px(gap),
            style,
        ))?,
    };
    let size = s.px(4.0);
    let legend_style = style;
    let legend_marker = line.marker;
    let legend_dash = line.dash.is_some();
    let seg = s.px(24.0);
    let gap = s.px(4.0);
    let color = line.color;
    let marker_size = size;
    anno.label(label.unwrap_or(line.label).to_string())
        .legend(move |(x, y)| {
            // Pixel-space parts relative to the legend anchor: the line, then the marker.
            let anchor = EmptyElement::at((x, y));
            let marker = marker_element((seg / 2, 0), legend_marker, color, marker_size);
            if legend_dash {
                (anchor
                    + PathElement::new(vec![(0, 0), (seg / 2 - gap / 2, 0)], legend_style)
                    + PathElement::new(vec![(seg / 2 + gap / 2, 0), (seg, 0)], legend_style)
                    + marker)
                    .into_dyn()
            } else {
                (anchor + PathElement::new(vec![(0, 0), (seg, 0)], legend_style) + marker)
                    .into_dyn()
            }
        });
    let every = marker_every.max(1);
    chart.draw_series(
        points
            .iter()
            .enumerate()
            .filter(|(i, _)| i % every == 0 || *i + 1 == points.len())
            .map(|(_, p)| marker_at(p.clone(), line.marker, line.color, size)),
    )?;
    Ok(())
}

fn marker_element(
    at: (i32, i32),
    marker: Marker,
    color: RGBColor,
    size: i32,
) -> DynElement<'static, CanvasBackend, (i32, i32)> {
    match marker {
        Marker::Circle => Circle::new(at, size, color.filled()).into_dyn(),
        Marker::Square => Rectangle::new(
            [(at.0 - size, at.1 - size), (at.0 + size, at.1 + size)],
            color.filled(),
        )
        .into_dyn(),
        Marker::Triangle => TriangleMarker::new(at, size + 1, color.filled()).into_dyn(),
        Marker::Cross => Cross::new(at, size, color.stroke_width(2)).into_dyn(),
    }
}

fn marker_at<C: Clone + 'static>(
    at: C,
    marker: Marker,
    color: RGBColor,
    size: i32,
) -> DynElement<'static, CanvasBackend, C> {
    match marker {
        Marker::Circle => Circle::new(at, size, color.filled()).into_dyn(),
        Marker::Square => (EmptyElement::at(at)
            + Rectangle::new([(-size, -size), (size, size)], color.filled()))
        .into_dyn(),
        Marker::Triangle => TriangleMarker::new(at, size + 1, color.filled()).into_dyn(),
        Marker::Cross => Cross::new(at, size, color.stroke_width(2)).into_dyn(),
    }
}

/// A horizontal reference line with a small label at its right end.
fn reference<Y>(
    chart: &mut Chart<'_, Y>,
    s: &Surface,
    x: (f64, f64),
    y: Y::ValueType,
    label: &str,
    dashed: bool,
) -> DrawResult
where
    Y: plotters::coord::ranged1d::Ranged,
    Y::ValueType: Clone + 'static,
{
    let style = s.stroke(if dashed { MUTED } else { INK }, 1.0);
    let pts = [(x.0, y.clone()), (x.1, y.clone())];
    if dashed {
        chart.draw_series(DashedLineSeries::new(pts, s.px(4.0), s.px(4.0), style))?;
    } else {
        chart.draw_series(LineSeries::new(pts, style))?;
    }
    let font = s
        .font(12.0)
        .color(if dashed { &MUTED } else { &INK })
        .pos(Pos::new(HPos::Right, VPos::Bottom));
    chart.draw_series(std::iter::once(
        EmptyElement::at((x.1, y)) + Text::new(label.to_string(), (-s.px(4.0), -s.px(3.0)), font),
    ))?;
    Ok(())
}

fn legend<Y>(chart: &mut Chart<'_, Y>, s: &Surface, pos: SeriesLabelPosition) -> DrawResult
where
    Y: plotters::coord::ranged1d::Ranged,
{
    chart
        .configure_series_labels()
        .position(pos)
        .margin(s.px(8.0))
        .legend_area_size(s.px(30.0))
        .label_font(s.font(13.0))
        .background_style(WHITE.mix(0.9))
        .border_style(GRID.stroke_width(1))
        .draw()?;
    Ok(())
}

/// Axes, grid and labels in the common style (a macro: plotters' formatter bounds differ per
/// coordinate type).
macro_rules! mesh {
    ($chart:expr, $s:expr, $x_desc:expr, $y_desc:expr, $x_labels:expr, $x_fmt:expr, $y_fmt:expr $(,)?) => {
        $chart
            .configure_mesh()
            .x_desc($x_desc)
            .y_desc($y_desc)
            .x_labels($x_labels)
            .y_labels(6)
            .x_label_formatter($x_fmt)
            .y_label_formatter($y_fmt)
            .label_style($s.font(12.0))
            .axis_desc_style($s.font(13.0))
            .bold_line_style(GRID.stroke_width(1))
            .light_line_style(TRANSPARENT)
            .axis_style(MUTED.stroke_width(1))
            .draw()?
    };
}

/// Side-by-side policy bars: for each response, NLHF's current policy above the alignment
/// game's, with the probability written at the end of each bar.
pub fn draw_policies(canvas: &HtmlCanvasElement, labels: &[String], snap: &Snapshot) -> DrawResult {
    let Some(s) = Surface::new(canvas) else {
        return Ok(());
    };
    let area = &s.area;
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let n = labels.len().max(1);
    let label_font = s.font(13.0).pos(Pos::new(HPos::Right, VPos::Center));
    let label_w = labels
        .iter()
        .filter_map(|l| area.estimate_text_size(l, &label_font).ok())
        .map(|(tw, _)| tw as i32)
        .max()
        .unwrap_or(0)
        .min(w / 3);
    let left = label_w + s.px(14.0);
    let right = w - s.px(52.0);
    let top = s.px(34.0);
    let bottom = h - s.px(26.0);
    let row = f64::from(bottom - top) / n as f64;
    let x_of = |p: f64| left + (p.clamp(0.0, 1.0) * f64::from(right - left)).round() as i32;

    // Legend across the top.
    let mut lx = left;
    for (color, name) in [(NLHF, "NLHF"), (GAME, "(k+1)-player game")] {
        let sq = s.px(12.0);
        area.draw(&Rectangle::new(
            [(lx, s.px(10.0)), (lx + sq, s.px(10.0) + sq)],
            color.filled(),
        ))?;
        let font = s.font(13.0).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(
            name,
            (lx + sq + s.px(6.0), s.px(16.0)),
            font.clone(),
        ))?;
        let (tw, _) = area.estimate_text_size(name, &font)?;
        lx += sq + s.px(22.0) + tw as i32;
    }

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
        area.draw(&Text::new(format!("{p:.2}"), (x, bottom + s.px(6.0)), font))?;
    }

    let value_font = s.font(12.0).pos(Pos::new(HPos::Left, VPos::Center));
    let bar_h = ((row * 0.36).min(f64::from(s.px(22.0)))).max(2.0) as i32;
    for (i, label) in labels.iter().enumerate() {
        let y_mid = top + (row * (i as f64 + 0.5)).round() as i32;
        area.draw(&Text::new(
            label.clone(),
            (left - s.px(8.0), y_mid),
            label_font.clone(),
        ))?;
        for (j, (color, policy)) in [(NLHF, &snap.nlhf.policy), (GAME, &snap.game.policy)]
            .into_iter()
            .enumerate()
        {
            let p = policy.get(i).copied().unwrap_or(0.0);
            let y0 = if j == 0 { y_mid - bar_h - 1 } else { y_mid + 1 };
            let x1 = x_of(p).max(left + 1);
            area.draw(&Rectangle::new(
                [(left, y0), (x1, y0 + bar_h)],
                color.filled(),
            ))?;
            if bar_h >= s.px(9.0) {
                area.draw(&Text::new(
                    format!("{p:.3}"),
                    (x1 + s.px(5.0), y0 + bar_h / 2),
                    value_font.clone(),
                ))?;
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

/// Thins a long history to at most about `max` points for drawing (keeps the last point).
fn thin<T: Copy>(items: &[T], max: usize) -> (Vec<T>, usize) {
    let stride = items.len().div_ceil(max.max(1)).max(1);
    let mut out: Vec<T> = items.iter().step_by(stride).copied().collect();
    if let Some(last) = items.last() {
        if items.len() % stride != 1 && stride > 1 {
            out.push(*last);
        }
    }
    (out, stride)
}

/// Robust best-of-k win rate of both current iterates over the iterations, with the
/// references 1/2 and k/(k+1).
pub fn draw_win_rates(
    canvas: &HtmlCanvasElement,
    history: &[StepRecord],
    k: usize,
    iterations: usize,
) -> DrawResult {
    let Some(s) = Surface::new(canvas) else {
        return Ok(());
    };
    let bound = k as f64 / (k as f64 + 1.0);
    let (hist, _) = thin(history, 1500);
    let x_max = iterations
        .max(history.last().map_or(1, |r| r.iteration))
        .max(1) as f64;
    let y_min = hist
        .iter()
        .flat_map(|r| [r.nlhf_win_rate, r.game_win_rate])
        .filter(|v| v.is_finite())
        .fold(0.45_f64, f64::min)
        .max(0.0);
    let mut chart = ChartBuilder::on(&s.area)
        .margin(s.px(10.0))
        .margin_right(s.px(18.0))
        .x_label_area_size(s.px(40.0))
        .y_label_area_size(s.px(56.0))
        .build_cartesian_2d(0.0..x_max, (y_min - 0.02)..1.0)?;
    mesh!(
        chart,
        s,
        "iteration",
        &format!("robust best-of-{k} win rate"),
        6,
        &|x| format!("{x:.0}"),
        &|y| format!("{y:.2}"),
    );
    reference(&mut chart, &s, (0.0, x_max), 0.5, "1/2", true)?;
    reference(
        &mut chart,
        &s,
        (0.0, x_max),
        bound,
        &format!("k/(k+1) = {bound:.4}"),
        false,
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
    draw_line(&mut chart, &s, LINE_NLHF, &nlhf, every, Some("NLHF"))?;
    draw_line(
        &mut chart,
        &s,
        LINE_GAME,
        &game,
        every,
        Some("(k+1)-player game"),
    )?;
    legend(&mut chart, &s, SeriesLabelPosition::LowerRight)?;
    s.area.present()?;
    Ok(())
}

/// Exploitability of both current iterates in their own games, log scale.
pub fn draw_exploitability(
    canvas: &HtmlCanvasElement,
    history: &[StepRecord],
    iterations: usize,
) -> DrawResult {
    let Some(s) = Surface::new(canvas) else {
        return Ok(());
    };
    const FLOOR: f64 = 1e-16;
    let (hist, _) = thin(history, 1500);
    let x_max = iterations
        .max(history.last().map_or(1, |r| r.iteration))
        .max(1) as f64;
    let values = hist
        .iter()
        .flat_map(|r| [r.nlhf_exploitability, r.game_exploitability])
        .filter(|v| v.is_finite());
    let lo = values.clone().fold(1e-4_f64, f64::min).max(FLOOR);
    let hi = values.fold(1e-1_f64, f64::max).max(lo * 10.0);
    let y_lo = 10f64.powf(lo.log10().floor());
    let y_hi = 10f64.powf(hi.log10().ceil());
    let mut chart = ChartBuilder::on(&s.area)
        .margin(s.px(10.0))
        .margin_right(s.px(18.0))
        .x_label_area_size(s.px(40.0))
        .y_label_area_size(s.px(56.0))
        .build_cartesian_2d(0.0..x_max, (y_lo..y_hi).log_scale())?;
    mesh!(
        chart,
        s,
        "iteration",
        "exploitability (log)",
        6,
        &|x| format!("{x:.0}"),
        &|y| format!("{y:.0e}"),
    );
    let clamp = |v: f64| if v.is_finite() { v.max(y_lo) } else { y_hi };
    let every = (hist.len() / 12).max(1);
    let nlhf: Vec<(f64, f64)> = hist
        .iter()
        .map(|r| (r.iteration as f64, clamp(r.nlhf_exploitability)))
        .collect();
    let game: Vec<(f64, f64)> = hist
        .iter()
        .map(|r| (r.iteration as f64, clamp(r.game_exploitability)))
        .collect();
    draw_line(
        &mut chart,
        &s,
        LINE_NLHF,
        &nlhf,
        every,
        Some("NLHF (2-player game)"),
    )?;
    draw_line(
        &mut chart,
        &s,
        LINE_GAME,
        &game,
        every,
        Some("(k+1)-player game"),
    )?;
    legend(&mut chart, &s, SeriesLabelPosition::UpperRight)?;
    s.area.present()?;
    Ok(())
}

/// The headline: robust best-of-k win rate against k for every policy, with k/(k+1).
pub fn draw_sweep(
    canvas: &HtmlCanvasElement,
    rows: &[SweepRow],
    k_max: usize,
    k: usize,
) -> DrawResult {
    let Some(s) = Surface::new(canvas) else {
        return Ok(());
    };
    let k_max = k_max.max(2);
    let y_min = rows
        .iter()
        .flat_map(|r| [r.nlhf, r.game, r.rlhf, r.best_of_k])
        .filter(|v| v.is_finite())
        .fold(0.45_f64, f64::min)
        .max(0.0);
    let x_range = 0.6..(k_max as f64 + 0.4);
    let mut chart = ChartBuilder::on(&s.area)
        .margin(s.px(10.0))
        .margin_right(s.px(18.0))
        .x_label_area_size(s.px(40.0))
        .y_label_area_size(s.px(56.0))
        .build_cartesian_2d(x_range.clone(), (y_min - 0.02)..1.0)?;
    mesh!(
        chart,
        s,
        "k (responses shown to the user)",
        "robust win rate W_k",
        k_max.min(16),
        &|x| format!("{x:.0}"),
        &|y| format!("{y:.2}"),
    );
    // The current k, faintly.
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(k as f64, y_min - 0.02), (k as f64, 1.0)],
        GRID.stroke_width(s.px(6.0) as u32),
    )))?;
    reference(
        &mut chart,
        &s,
        (x_range.start, x_range.end),
        0.5,
        "1/2",
        true,
    )?;
    let bound: Vec<(f64, f64)> = (1..=k_max)
        .map(|k| (k as f64, k as f64 / (k as f64 + 1.0)))
        .collect();
    chart
        .draw_series(LineSeries::new(bound.iter().copied(), s.stroke(INK, 1.5)))?
        .label("k/(k+1), the best possible")
        .legend({
            let style = s.stroke(INK, 1.5);
            let seg = s.px(24.0);
            move |(x, y)| PathElement::new(vec![(x, y), (x + seg, y)], style)
        });
    let series = |f: fn(&SweepRow) -> f64| -> Vec<(f64, f64)> {
        rows.iter()
            .map(|r| (r.k as f64, f(r)))
            .filter(|p| p.1.is_finite())
            .collect()
    };
    draw_line(
        &mut chart,
        &s,
        LINE_UNIFORM,
        &series(|r| r.best_of_k),
        1,
        None,
    )?;
    draw_line(&mut chart, &s, LINE_RLHF, &series(|r| r.rlhf), 1, None)?;
    draw_line(&mut chart, &s, LINE_NLHF, &series(|r| r.nlhf), 1, None)?;
    draw_line(&mut chart, &s, LINE_GAME, &series(|r| r.game), 1, None)?;
    legend(&mut chart, &s, SeriesLabelPosition::LowerRight)?;
    s.area.present()?;
    Ok(())
}

/// Win rate against the worst l-output opponent, with the guarantee (k+1-l)/(k+1).
/// Hollow markers: the minimum over opponents was bounded, not enumerated.
pub fn draw_opponents(canvas: &HtmlCanvasElement, rows: &[OpponentRow], k: usize) -> DrawResult {
    let Some(s) = Surface::new(canvas) else {
        return Ok(());
    };
    let l_max = rows.iter().map(|r| r.l).max().unwrap_or(k).max(1);
    let x_range = 0.6..(l_max as f64 + 0.4);
    let mut chart = ChartBuilder::on(&s.area)
        .margin(s.px(10.0))
        .margin_right(s.px(18.0))
        .x_label_area_size(s.px(40.0))
        .y_label_area_size(s.px(56.0))
        .build_cartesian_2d(x_range, 0.0..1.0)?;
    mesh!(
        chart,
        s,
        "l (responses the opponent shows)",
        &format!("win rate of best-of-{k}"),
        l_max.min(12),
        &|x| format!("{x:.0}"),
        &|y| format!("{y:.1}"),
    );
    let bound: Vec<(f64, f64)> = rows.iter().map(|r| (r.l as f64, r.bound)).collect();
    chart
        .draw_series(LineSeries::new(bound.iter().copied(), s.stroke(INK, 1.5)))?
        .label("guarantee (k+1-l)/(k+1)")
        .legend({
            let style = s.stroke(INK, 1.5);
            let seg = s.px(24.0);
            move |(x, y)| PathElement::new(vec![(x, y), (x + seg, y)], style)
        });
    let nlhf: Vec<(f64, f64)> = rows.iter().map(|r| (r.l as f64, r.nlhf)).collect();
    let game: Vec<(f64, f64)> = rows.iter().map(|r| (r.l as f64, r.game)).collect();
    draw_line(&mut chart, &s, LINE_NLHF, &nlhf, 1, Some("NLHF"))?;
    draw_line(
        &mut chart,
        &s,
        LINE_GAME,
        &game,
        1,
        Some("(k+1)-player game"),
    )?;
    // White dots inside the markers of inexact points make them hollow.
    let hole = s.px(2.0);
    chart.draw_series(
        rows.iter()
            .filter(|r| !r.exact)
            .flat_map(|r| [(r.l as f64, r.nlhf), (r.l as f64, r.game)])
            .map(|p| Circle::new(p, hole, WHITE.filled())),
    )?;
    legend(&mut chart, &s, SeriesLabelPosition::LowerLeft)?;
    s.area.present()?;
    Ok(())
}
