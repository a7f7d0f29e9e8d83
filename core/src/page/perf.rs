//! The page's own timings, shown in its footer: time to first chart, frames per second while
//! a run animates, and the main-thread work per frame (moving averages).

use std::collections::VecDeque;

/// Weight of the newest sample in the moving averages.
const NEWEST: f64 = 0.1;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct FrameStats {
    /// When the first chart was drawn (ms since the page started).
    pub first_chart_ms: Option<f64>,
    /// Time spent drawing canvases in one frame.
    pub draw_ms: Option<f64>,
    /// The whole frame: applying messages, rendering the page, drawing.
    pub frame_ms: Option<f64>,
    pub fps: Option<f64>,
    frame_started: Option<f64>,
    /// Frame timestamps of the last second.
    frames: VecDeque<f64>,
}

fn average(old: Option<f64>, new: f64) -> Option<f64> {
    Some(old.map_or(new, |a| (1.0 - NEWEST) * a + NEWEST * new))
}

impl FrameStats {
    /// A frame begins at `now` (its timestamp `t`); frames are counted while a run animates.
    pub fn begin(&mut self, t: f64, now: f64, running: bool) {
        self.frame_started = Some(now);
        if !running {
            self.frames.clear();
            return;
        }
        self.frames.push_back(t);
        while self.frames.front().is_some_and(|&f| t - f > 1000.0) {
            self.frames.pop_front();
        }
        if self.frames.len() > 10 {
            let span = t - self.frames.front().copied().unwrap_or(t);
            if span > 0.0 {
                self.fps = Some((self.frames.len() - 1) as f64 * 1000.0 / span);
            }
        }
    }

    /// Canvases were drawn for `spent` ms (only iterations and policies count: they move).
    pub fn drew(&mut self, spent: f64) {
        self.draw_ms = average(self.draw_ms, spent);
    }

    /// The first chart appeared at `now`. True the first time.
    pub fn first_chart(&mut self, now: f64) -> bool {
        if self.first_chart_ms.is_some() {
            return false;
        }
        self.first_chart_ms = Some(now);
        true
    }

    /// The frame that began last ended at `now`.
    pub fn end(&mut self, now: f64) {
        if let Some(started) = self.frame_started.take() {
            self.frame_ms = average(self.frame_ms, now - started);
        }
    }
}
