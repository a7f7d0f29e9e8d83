//! The charts (plotters): policy bars, win rates over iterations and k, opponent curve; drawn
//! on the page's canvases and, for export, into SVG documents by the same code.
//!
//! Every chart sizes its canvas backing store to CSS size times devicePixelRatio and scales
//! fonts and strokes by the same factor, so lines stay sharp on HiDPI screens and projectors.
//! Colours are Okabe-Ito; each series also differs by dash pattern and marker shape, so the
//! charts read in greyscale and for colour-blind viewers.

use crate::session::{OpponentRow, Snapshot, StepRecord, SweepRow};
use plotters::backend::SVGBackend;
use plotters::coord::Shift;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{BackendColor, BackendCoord, DrawingErrorKind};
// (BackendStyle is named in full below: imported, its stroke_width would clash with Color's.)
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// Okabe-Ito palette.
pub const NLHF: RGBColor = RGBColor(0xD5, 0x5E, 0x00); // vermillion
pub const GAME: RGBColor = RGBColor(0x00, 0x72, 0xB2); // blue
pub const RLHF: RGBColor = RGBColor(0x00, 0x9E, 0x73); // bluish green
pub const UNIFORM: RGBColor = RGBColor(0xCC, 0x79, 0xA7); // reddish purple
pub const INK: RGBColor = RGBColor(0x1F, 0x23, 0x28);
const GRID: RGBColor = RGBColor(0xE3, 0xE6, 0xEA);
const MUTED: RGBColor = RGBColor(0x6B, 0x72, 0x80);
const FONT: &str = "system-ui, sans-serif";

/// Where a chart is drawn: a canvas on the page or an SVG document for export. One enum
/// rather than generic chart code keeps a single copy of every chart in the wasm.
pub enum Backend<'a> {
    Canvas(CanvasBackend),
    Svg(SVGBackend<'a>),
}

/// Either backend's error, as text.
#[derive(Debug)]
pub struct BackendError(String);

impl std::fmt::Display for BackendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BackendError {}

type Drawn<T = ()> = Result<T, DrawingErrorKind<BackendError>>;

fn lift<T, E: std::error::Error + Send + Sync>(r: Result<T, DrawingErrorKind<E>>) -> Drawn<T> {
    r.map_err(|e| match e {
        DrawingErrorKind::DrawingError(e) => {
            DrawingErrorKind::DrawingError(BackendError(e.to_string()))
        }
        DrawingErrorKind::FontError(e) => DrawingErrorKind::FontError(e),
    })
}

/// Calls the same method on whichever backend this is.
macro_rules! delegate {
    ($self:ident, $b:ident => $call:expr) => {
        match $self {
            Backend::Canvas($b) => lift($call),
            Backend::Svg($b) => lift($call),
        }
    };
}

impl DrawingBackend for Backend<'_> {
    type ErrorType = BackendError;

    fn get_size(&self) -> (u32, u32) {
        match self {
            Backend::Canvas(b) => b.get_size(),
            Backend::Svg(b) => b.get_size(),
        }
    }
    fn ensure_prepared(&mut self) -> Drawn {
        delegate!(self, b => b.ensure_prepared())
    }
    fn present(&mut self) -> Drawn {
        match self {
            Backend::Canvas(b) => lift(b.present()),
            // Presenting closes the SVG document, but the panels of one figure are drawn in
            // turn into it: the document is closed when the backend is dropped.
            Backend::Svg(_) => Ok(()),
        }
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn {
        delegate!(self, b => b.draw_pixel(point, color))
    }
    fn draw_line<S: plotters_backend::BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn {
        delegate!(self, b => b.draw_line(from, to, style))
    }
    fn draw_rect<S: plotters_backend::BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        delegate!(self, b => b.draw_rect(upper_left, bottom_right, style, fill))
    }
    fn draw_path<S: plotters_backend::BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        delegate!(self, b => b.draw_path(path, style))
    }
    fn draw_circle<S: plotters_backend::BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        delegate!(self, b => b.draw_circle(center, radius, style, fill))
    }
    fn fill_polygon<S: plotters_backend::BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Drawn {
        delegate!(self, b => b.fill_polygon(vert, style))
    }
    fn draw_text<T: plotters_backend::BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Drawn {
        delegate!(self, b => b.draw_text(text, style, pos))
    }
    fn estimate_text_size<T: plotters_backend::BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Drawn<(u32, u32)> {
        delegate!(self, b => b.estimate_text_size(text, style))
    }
}

type Area<'a> = DrawingArea<Backend<'a>, Shift>;

/// A drawing area made ready for a chart, and its scale.
pub struct Surface<'a> {
    area: Area<'a>,
    /// Device pixels per CSS pixel (1 for SVG, which scales itself).
    dpr: f64,
    /// Text size times the normal (`Config::font_scale`); the room kept for text grows too.
    scale: f64,
}

impl Surface<'static> {
    /// A canvas with its backing store matched to its CSS box; None while it is not laid out.
    pub fn canvas(canvas: &HtmlCanvasElement, scale: f64) -> Option<Surface<'static>> {
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
        let area = Backend::Canvas(backend).into_drawing_area();
        area.fill(&WHITE).ok()?;
        Some(Surface { area, dpr, scale })
    }
}

impl<'a> Surface<'a> {
    /// An SVG document of this size (CSS pixels) written into `out` once the surface and
    /// every part split from it are dropped.
    pub fn svg(out: &'a mut String, size: (u32, u32), scale: f64) -> Surface<'a> {
        let area = Backend::Svg(SVGBackend::with_string(out, size)).into_drawing_area();
        let _ = area.fill(&WHITE);
        Surface {
            area,
            dpr: 1.0,
            scale,
        }
    }

    /// The top `css_height` pixels and the rest, as two surfaces.
    pub fn split(&self, css_height: f64) -> (Surface<'a>, Surface<'a>) {
        let (top, bottom) = self.area.split_vertically(self.px(css_height));
        let part = |area| Surface {
            area,
            dpr: self.dpr,
            scale: self.scale,
        };
        (part(top), part(bottom))
    }

    /// CSS pixels to device pixels.
    fn px(&self, css: f64) -> i32 {
        (css * self.dpr).round() as i32
    }

    /// Room for text: CSS pixels at the normal text size to device pixels at this one.
    fn tx(&self, css: f64) -> i32 {
        (css * self.dpr * self.scale).round() as i32
    }

    fn font(&self, css_size: f64) -> TextStyle<'static> {
        TextStyle::from((FONT, css_size * self.dpr * self.scale).into_font()).color(&INK)
    }

    fn stroke(&self, color: RGBColor, css_width: f64) -> ShapeStyle {
        color.stroke_width(self.px(css_width).max(1) as u32)
    }
}

/// Marker shape of a series (also drawn in the HTML legend).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Circle,
    Square,
    Triangle,
    Cross,
    None,
}

/// How a series is drawn: colour, dash, marker. One per compared policy, shared with the
/// HTML legends so canvas and key always agree.
#[derive(Clone, Copy, PartialEq)]
pub struct Series {
    pub color: RGBColor,
    /// Dash length and gap in CSS pixels; `None` = solid.
    pub dash: Option<(f64, f64)>,
    pub marker: Marker,
    /// Stroke width in CSS pixels.
    pub width: f64,
}

pub const SERIES_NLHF: Series = Series {
    color: NLHF,
    dash: Some((7.0, 4.0)),
    marker: Marker::Square,
    width: 2.0,
};
pub const SERIES_GAME: Series = Series {
    color: GAME,
    dash: None,
    marker: Marker::Circle,
    width: 2.0,
};
pub const SERIES_RLHF: Series = Series {
    color: RLHF,
    dash: Some((2.0, 3.0)),
    marker: Marker::Triangle,
    width: 2.0,
};
pub const SERIES_UNIFORM: Series = Series {
    color: UNIFORM,
    dash: Some((12.0, 4.0)),
    marker: Marker::Cross,
    width: 2.0,
};
/// The paper's guarantee (k/(k+1), or (k+1-l)/(k+1)).
pub const SERIES_BOUND: Series = Series {
    color: INK,
    dash: None,
    marker: Marker::None,
    width: 1.5,
};
/// The coin-flip reference 1/2.
pub const SERIES_HALF: Series = Series {
    color: MUTED,
    dash: Some((4.0, 4.0)),
    marker: Marker::None,
    width: 1.0,
};

type Chart<'a, 'b, Y> =
    ChartContext<'a, Backend<'b>, Cartesian2d<plotters::coord::types::RangedCoordf64, Y>>;

/// Draws a series with its dash pattern and its markers every `marker_every` points.
fn draw_line<Y>(
    chart: &mut Chart<'_, '_, Y>,
    s: &Surface,
    line: Series,
    points: &[(f64, Y::ValueType)],
    marker_every: usize,
) -> DrawResult
where
    Y: plotters::coord::ranged1d::Ranged,
    Y::ValueType: Clone + 'static,
{
    let style = s.stroke(line.color, line.width);
    match line.dash {
        None => {
            chart.draw_series(LineSeries::new(points.iter().cloned(), style))?;
        }
        Some((dash, gap)) => {
            chart.draw_series(DashedLineSeries::new(
                points.iter().cloned(),
                s.px(dash),
                s.px(gap),
                style,
            ))?;
        }
    }
    if line.marker != Marker::None {
        let size = s.px(4.0);
        let every = marker_every.max(1);
        chart.draw_series(
            points
                .iter()
                .enumerate()
                .filter(|(i, _)| i % every == 0 || *i + 1 == points.len())
                .map(|(_, p)| marker_at(p.clone(), line.marker, line.color, size)),
        )?;
    }
    Ok(())
}

/// A marker or a label at a data point, offset in pixels. One element type drawn through the
/// backend directly: plotters' composed elements carry the backend type, which its series
/// bounds would then require to be 'static (the SVG backend borrows its output string).
enum Mark<'s, C> {
    Shape {
        at: C,
        marker: Marker,
        color: RGBColor,
        size: i32,
    },
    Label {
        at: C,
        text: String,
        offset: (i32, i32),
        style: TextStyle<'s>,
    },
}

impl<'a, C> PointCollection<'a, C> for &'a Mark<'_, C> {
    type Point = &'a C;
    type IntoIter = std::iter::Once<&'a C>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(match self {
            Mark::Shape { at, .. } | Mark::Label { at, .. } => at,
        })
    }
}

impl<C, DB: DrawingBackend> Drawable<DB> for Mark<'_, C> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut points: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let Some((x, y)) = points.next() else {
            return Ok(());
        };
        let (marker, color, s) = match self {
            Mark::Label {
                text,
                offset,
                style,
                ..
            } => return backend.draw_text(text, style, (x + offset.0, y + offset.1)),
            Mark::Shape {
                marker,
                color,
                size,
                ..
            } => (*marker, *color, *size),
        };
        let fill = color.filled();
        match marker {
            Marker::Circle => backend.draw_circle((x, y), s as u32, &fill, true),
            Marker::Square => backend.draw_rect((x - s, y - s), (x + s, y + s), &fill, true),
            Marker::Triangle => {
                let t = s + 1;
                backend.fill_polygon(
                    [(x, y - t), (x - t, y + t * 3 / 4), (x + t, y + t * 3 / 4)],
                    &fill,
                )
            }
            Marker::Cross => {
                let line = color.stroke_width(2);
                backend.draw_line((x - s, y - s), (x + s, y + s), &line)?;
                backend.draw_line((x - s, y + s), (x + s, y - s), &line)
            }
            Marker::None => Ok(()),
        }
    }
}

fn marker_at<C>(at: C, marker: Marker, color: RGBColor, size: i32) -> Mark<'static, C> {
    Mark::Shape {
        at,
        marker,
        color,
        size,
    }
}

/// A horizontal reference line with a small label at its right end.
fn reference<Y>(
    chart: &mut Chart<'_, '_, Y>,
    s: &Surface,
    x: (f64, f64),
    y: Y::ValueType,
    label: &str,
    series: Series,
) -> DrawResult
where
    Y: plotters::coord::ranged1d::Ranged,
    Y::ValueType: Clone + 'static,
{
    draw_line(chart, s, series, &[(x.0, y.clone()), (x.1, y.clone())], 1)?;
    let font = s
        .font(12.0)
        .color(&series.color)
        .pos(Pos::new(HPos::Right, VPos::Bottom));
    chart.draw_series(std::iter::once(Mark::Label {
        at: (x.1, y),
        text: label.to_string(),
        offset: (-s.tx(4.0), -s.tx(3.0)),
        style: font,
    }))?;
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
            .label_style($s.font(13.0))
            .axis_desc_style($s.font(14.0))
            .bold_line_style(GRID.stroke_width(1))
            .light_line_style(TRANSPARENT)
            .axis_style(MUTED.stroke_width(1))
            .draw()?
    };
}

/// Side-by-side policy bars: for each response, NLHF's current policy above the alignment
/// game's, with the probability written at the end of each bar (the key is in HTML).
pub fn draw_policies(s: &Surface, labels: &[String], snap: &Snapshot) -> DrawResult {
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

/// Thins a long history to at most about `max` points for drawing (keeps the last point).
fn thin<T: Copy>(items: &[T], max: usize) -> Vec<T> {
    let stride = items.len().div_ceil(max.max(1)).max(1);
    let mut out: Vec<T> = items.iter().step_by(stride).copied().collect();
    if stride > 1 && !(items.len() - 1).is_multiple_of(stride) {
        out.extend(items.last().copied());
    }
    out
}

/// Common frame for the line charts.
fn frame<'a, 'b, Y: plotters::coord::ranged1d::AsRangedCoord>(
    s: &'a Surface<'b>,
    x: std::ops::Range<f64>,
    y: Y,
) -> Result<Chart<'a, 'b, Y::CoordDescType>, Box<dyn std::error::Error + 'a>> {
    Ok(ChartBuilder::on(&s.area)
        .margin(s.tx(10.0))
        .margin_right(s.tx(30.0))
        .x_label_area_size(s.tx(40.0))
        .y_label_area_size(s.tx(58.0))
        .build_cartesian_2d(x, y)?)
}

/// Robust best-of-k win rate of both current iterates over the iterations, with the
/// references 1/2 and k/(k+1). W_k never exceeds k/(k+1), so the band above stays empty.
pub fn draw_win_rates(
    s: &Surface,
    history: &[StepRecord],
    k: usize,
    iterations: usize,
    cursor: Option<usize>,
) -> DrawResult {
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
    s: &Surface,
    history: &[StepRecord],
    iterations: usize,
    cursor: Option<usize>,
) -> DrawResult {
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
    let y_lo = 10f64.powf(lo.log10().floor());
    let y_hi = 10f64.powf(hi.log10().ceil());
    let mut chart = frame(s, 0.0..x_max, (y_lo..y_hi).log_scale()).map_err(|e| e.to_string())?;
    mesh!(
        chart,
        s,
        "iteration",
        "exploitability",
        6,
        &|x: &f64| format!("{x:.0}"),
        &|y: &f64| format!("{y:.0e}"),
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
    draw_line(&mut chart, s, SERIES_NLHF, &nlhf, every)?;
    draw_line(&mut chart, s, SERIES_GAME, &game, every)?;
    if let Some(t) = cursor {
        let t = t as f64;
        draw_line(&mut chart, s, SERIES_HALF, &[(t, y_lo), (t, y_hi)], 1)?;
    }
    s.area.present()?;
    Ok(())
}

/// The headline: robust best-of-k win rate against k for every policy, with k/(k+1).
pub fn draw_sweep(s: &Surface, rows: &[SweepRow], k_max: usize, k: usize) -> DrawResult {
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

/// Win rate against the worst l-output opponent, with the guarantee (k+1-l)/(k+1).
/// Hollow markers: the minimum over opponents was bounded, not enumerated.
pub fn draw_opponents(s: &Surface, rows: &[OpponentRow], k: usize) -> DrawResult {
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
pub fn draw_key(s: &Surface, title: &str, entries: &[(Series, String)], bars: bool) -> DrawResult {
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

/// `#rrggbb` of a plotters colour, for the HTML legends.
pub fn css(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}
