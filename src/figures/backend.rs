//! Where the figures draw (plotters): one backend over a canvas or an SVG document, the
//! series' styles, markers, reference lines and the common chart frame.
//!
//! Every chart sizes its canvas backing store to CSS size times devicePixelRatio and scales
//! fonts and strokes by the same factor, so lines stay sharp on HiDPI screens and projectors.
//! Colours are Okabe-Ito; each series also differs by dash pattern and marker shape, so the
//! charts read in greyscale and for colour-blind viewers.

use plotters::backend::SVGBackend;
use plotters::coord::Shift;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{BackendColor, BackendCoord, DrawingErrorKind};
// (BackendStyle is named in full below: imported, its stroke_width would clash with Color's.)
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

pub(crate) type ChartResult = Result<(), Box<dyn std::error::Error>>;

/// Okabe-Ito palette.
pub const NLHF: RGBColor = RGBColor(0xD5, 0x5E, 0x00); // vermillion
pub const GAME: RGBColor = RGBColor(0x00, 0x72, 0xB2); // blue
pub const RLHF: RGBColor = RGBColor(0x00, 0x9E, 0x73); // bluish green
pub const UNIFORM: RGBColor = RGBColor(0xCC, 0x79, 0xA7); // reddish purple
pub const INK: RGBColor = RGBColor(0x1F, 0x23, 0x28);
pub(crate) const GRID: RGBColor = RGBColor(0xE3, 0xE6, 0xEA);
pub(crate) const MUTED: RGBColor = RGBColor(0x6B, 0x72, 0x80);
pub(crate) const FONT: &str = "system-ui, sans-serif";

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
    pub(crate) area: Area<'a>,
    /// Device pixels per CSS pixel (1 for SVG, which scales itself).
    pub(crate) dpr: f64,
    /// Text size times the normal (`Config::font_scale`); the room kept for text grows too.
    pub(crate) scale: f64,
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
    pub(crate) fn px(&self, css: f64) -> i32 {
        (css * self.dpr).round() as i32
    }

    /// Room for text: CSS pixels at the normal text size to device pixels at this one.
    pub(crate) fn tx(&self, css: f64) -> i32 {
        (css * self.dpr * self.scale).round() as i32
    }

    pub(crate) fn font(&self, css_size: f64) -> TextStyle<'static> {
        TextStyle::from((FONT, css_size * self.dpr * self.scale).into_font()).color(&INK)
    }

    pub(crate) fn stroke(&self, color: RGBColor, css_width: f64) -> ShapeStyle {
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
/// The (k+l)-player equilibrium against l (sky blue).
pub const SERIES_WIDER: Series = Series {
    color: RGBColor(0x56, 0xB4, 0xE9),
    dash: Some((6.0, 3.0)),
    marker: Marker::Triangle,
    width: 2.0,
};
/// The best policy found against l (orange): a lower bound on the optimum.
pub const SERIES_BEST: Series = Series {
    color: RGBColor(0xE6, 0x9F, 0x00),
    dash: Some((2.0, 2.0)),
    marker: Marker::Cross,
    width: 2.0,
};
/// An upper bound no policy beats (k/(k+l)).
pub const SERIES_CEILING: Series = Series {
    color: MUTED,
    dash: Some((8.0, 3.0)),
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

pub(crate) type Chart<'a, 'b, Y> =
    ChartContext<'a, Backend<'b>, Cartesian2d<plotters::coord::types::RangedCoordf64, Y>>;

/// Draws a series with its dash pattern and its markers every `marker_every` points.
pub(crate) fn draw_line<Y>(
    chart: &mut Chart<'_, '_, Y>,
    s: &Surface<'_>,
    line: Series,
    points: &[(f64, Y::ValueType)],
    marker_every: usize,
) -> ChartResult
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
pub(crate) enum Mark<'s, C> {
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

pub(crate) fn marker_at<C>(at: C, marker: Marker, color: RGBColor, size: i32) -> Mark<'static, C> {
    Mark::Shape {
        at,
        marker,
        color,
        size,
    }
}

/// A horizontal reference line with a small label at its right end.
pub(crate) fn reference<Y>(
    chart: &mut Chart<'_, '_, Y>,
    s: &Surface<'_>,
    x: (f64, f64),
    y: Y::ValueType,
    label: &str,
    series: Series,
) -> ChartResult
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
pub(crate) use mesh;

/// Thins a long history to at most about `max` points for drawing (keeps the last point).
pub(crate) fn thin<T: Copy>(items: &[T], max: usize) -> Vec<T> {
    let stride = items.len().div_ceil(max.max(1)).max(1);
    let mut out: Vec<T> = items.iter().step_by(stride).copied().collect();
    if stride > 1 && !(items.len() - 1).is_multiple_of(stride) {
        out.extend(items.last().copied());
    }
    out
}

/// Common frame for the line charts.
pub(crate) fn frame<'a, 'b, Y: plotters::coord::ranged1d::AsRangedCoord>(
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

/// `#rrggbb` of a plotters colour, for the HTML legends.
pub fn css(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}
