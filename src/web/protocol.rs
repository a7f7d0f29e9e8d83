//! The messages between the page and the solver worker: one enum each way.

use crate::config::{Config, CustomPreferences};
use crate::session::{OpponentRow, Snapshot, StepRecord, SweepRow};
use serde::{Deserialize, Serialize};

/// Page to worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// Build a fresh session for this configuration (paused at iteration 0) and start the
    /// sweep over k and the opponent curve in the background.
    Load(Config),
    /// Run iterations until done or paused; after a finished run, starts again from 0.
    Play,
    /// Stop stepping; the sweep continues.
    Pause,
    /// One iteration (pauses a running run first).
    Step,
    /// Back to iteration 0 with the same configuration, paused.
    Restart,
    /// Halt everything: the run pauses and the sweep waits where it is.
    Stop,
    /// Iterations per second; 0 means as fast as possible.
    SetSpeed(u32),
    /// Continue a halted sweep; otherwise recompute the sweep over k and the opponent curve.
    Sweep,
    /// Read a PrefLib or CSV file (by its name's extension) into preferences; the answer is
    /// `Imported` or `ImportFailed`. Parsing runs here to keep the readers out of the page.
    Import { name: String, text: String },
    /// Answer `Pong` with the same number (sent after a pause, stop or restart: the answer
    /// says the request was handled; see `Bridge::send_awaiting`).
    Ping(u32),
    /// Test hook, sent only by the page's debug handle (`?test` in the URL).
    Fault(Fault),
}

/// Faults the browser tests inject into the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fault {
    /// A Rust panic (the module aborts).
    Panic,
    /// A JavaScript exception out of the message handler.
    Throw,
    /// One call that stays busy this many milliseconds (like a huge sweep point).
    Busy(u32),
}

impl Fault {
    /// `panic`, `throw` or `busy:<ms>`.
    pub fn parse(text: &str) -> Option<Fault> {
        match text {
            "panic" => Some(Fault::Panic),
            "throw" => Some(Fault::Throw),
            _ => text
                .strip_prefix("busy:")
                .and_then(|ms| ms.parse().ok())
                .map(Fault::Busy),
        }
    }
}

/// The run's state as the page shows it (data-testid `status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum RunStatus {
    #[default]
    Idle,
    Running,
    Done,
    Error,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Idle => "idle",
            RunStatus::Running => "running",
            RunStatus::Done => "done",
            RunStatus::Error => "error",
        }
    }
}

/// Worker to page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker's message handler is installed. Requests posted before this would be
    /// dropped (the wasm module instantiates asynchronously), so the page holds them until now.
    Ready,
    /// A session was built: response labels and the configuration actually used. The page
    /// forgets the old run; it keeps the sweep rows only when `keep_sweep` says they still hold.
    Loaded {
        config: Config,
        labels: Vec<String>,
        keep_sweep: bool,
        /// The preferences in editable form (for the editors).
        preferences: CustomPreferences,
        /// Largest residual of the population fitted to a matrix (None for a population).
        fit_residual: Option<f64>,
        /// Voter types in that fitted population.
        fit_types: Option<usize>,
    },
    /// The run went back to iteration 0 (same configuration); the page forgets its history.
    Restarted,
    /// The newest state; the page keeps only the last one.
    Snapshot {
        snapshot: Snapshot,
        description: String,
        status: RunStatus,
    },
    /// Every iteration since the last post (the page appends them).
    History(Vec<StepRecord>),
    /// One more k of the headline chart.
    SweepProgress {
        row: SweepRow,
        done: usize,
        total: usize,
    },
    /// Win rate against the worst l-output opponent, l = 1..k.
    Opponents(Vec<OpponentRow>),
    /// The run reached its last iteration.
    Done,
    /// A file was read: the page puts these preferences in its configuration and loads it.
    Imported {
        name: String,
        custom: CustomPreferences,
    },
    /// A file could not be read; the message names the line.
    ImportFailed(String),
    /// A configuration was refused; the message is for the user.
    Error(String),
    /// The solver panicked and its module aborted: the page must start a new worker.
    Crashed(String),
    /// The answer to `Ping` (handled by the bridge).
    Pong(u32),
}
