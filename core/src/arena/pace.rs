//! Fast rounds paced to the clock and reports at most about ten a second, shared by the arena
//! and the seats.

/// Fast rounds per second.
pub const FAST_ROUNDS_PER_SECOND: f64 = 1000.0;
/// Least time between two reports of fast rounds (ms): about ten a second.
pub const FAST_REPORT_MS: f64 = 100.0;
/// Most rounds one batch runs to catch up (a busy worker does not make a burst).
const MAX_CATCH_UP: u64 = 1000;

/// Whether fast rounds are on (since when, and how many ran), and whether the page has seen
/// everything.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    /// Fast rounds: when they (re)started (NaN: at the next tick) and how many have run since.
    fast: Option<(f64, u64)>,
    last_report_ms: f64,
    /// Something the page has not seen.
    pub dirty: bool,
}

impl Default for Pace {
    fn default() -> Self {
        Pace {
            fast: None,
            last_report_ms: f64::NEG_INFINITY,
            dirty: true,
        }
    }
}

impl Pace {
    pub fn fast(&self) -> bool {
        self.fast.is_some()
    }

    pub fn set_fast(&mut self, on: bool, now_ms: f64) {
        self.fast = on.then_some((now_ms, 0));
        self.dirty = true;
    }

    /// The rounds start again: fast rounds count from the next tick.
    pub fn restart(&mut self) {
        self.fast = self.fast.map(|_| (f64::NAN, 0));
        self.dirty = true;
    }

    /// A request was answered: the next report goes at once, whatever the pace.
    pub fn answer_now(&mut self) {
        self.last_report_ms = f64::NEG_INFINITY;
    }

    /// The fast rounds due by now (0 when fast rounds are off). What a busy stretch left
    /// owing beyond the catch-up is dropped, not saved up.
    pub fn due(&mut self, now_ms: f64) -> u64 {
        let Some((since, done)) = &mut self.fast else {
            return 0;
        };
        if since.is_nan() {
            *since = now_ms;
        }
        let owed = ((now_ms - *since) * FAST_ROUNDS_PER_SECOND / 1000.0).max(0.0) as u64;
        let due = owed.saturating_sub(*done).min(MAX_CATCH_UP);
        *done = owed;
        due
    }

    /// Whether a report is due now (and, if so, it is counted as sent).
    pub fn report_due(&mut self, now_ms: f64) -> bool {
        if !self.dirty || now_ms - self.last_report_ms < FAST_REPORT_MS {
            return false;
        }
        self.last_report_ms = now_ms;
        self.dirty = false;
        true
    }
}
