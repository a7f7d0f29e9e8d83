//! The messages between the page and the solver worker (one enum each way), and the one
//! decoder both sides read them with, which checks what must hold before any work is done.
//!
//! Target-independent, so the decoder and the solver loop are tested and fuzzed natively
//! (`tests/worker_loop.rs`, `fuzz/`); the web build carries the same values as structured-clone
//! JS values through `serde_wasm_bindgen`. The derived `Deserialize` impls are the same code
//! whatever the format, so what the JSON fuzzers check holds for the JS values too.

use crate::arena::live::{ArenaRequest, MAX_SET};
use crate::arena::MAX_CHALLENGER;
use crate::config::{Config, CustomPreferences, MAX_SWEEP_K};
pub use crate::links::deck_draft::DraftRequest;
use crate::open_question::phase_map::{self, Family, PhaseCell, PhaseColumn};
use crate::readers::MAX_FILE_BYTES;
use crate::session::{OpponentRow, Snapshot, StepRecord, SweepRow};
pub use crate::worker::status::RunStatus;
use serde::{Deserialize, Serialize};
use std::fmt;

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
    /// Compute the phase map of this family on the loaded preferences, in the background
    /// (after the sweep and the opponent curve); the answers are `Phase` progress messages.
    Phase(Family),
    /// The arena (docs/mathematics.md#the-arena): open it on the loaded session, play rounds, fast
    /// rounds, reset, the best fixed set; each answer is an `Arena` report.
    Arena(ArenaRequest),
    /// The seats of the (k+1)-player game (docs/mathematics.md#the-symmetry-argument): open
    /// them on the loaded session, play rounds, fast rounds, reset; each answer is `Seats`.
    Seats(ArenaRequest),
    /// Read a deck document (None: the built-in tour, `static/tour.json`); the answer is
    /// `Deck` or `DeckFailed`. Read in the worker's web layer with the browser's JSON.parse,
    /// then checked by `Deck::checked`, so neither JSON reader is in the page.
    ReadDeck(Option<String>),
    /// The lecturer's deck, which the worker keeps (`deck_draft`); see `DraftRequest`.
    Draft(DraftRequest),
    /// Answer `Pong` with the same number (sent after a pause, stop or restart: the answer
    /// says the request was handled; see `Bridge::send_awaiting`).
    Ping(u32),
    /// Test hook, sent only by the page's debug handle (`?test` in the URL); harmless in
    /// production (docs/architecture.md#the-fault-hook).
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

/// Worker to page, read back with the checks of `decode_reply`.
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
    /// More of the phase map: the columns' facts and the cells since the last message (`n`:
    /// the responses of the loaded preferences, which the family's profiles start from).
    Phase {
        family: Family,
        n: usize,
        columns: Vec<PhaseColumn>,
        cells: Vec<PhaseCell>,
        done: usize,
        total: usize,
    },
    /// The arena in words and numbers after a request, and about ten times a second while
    /// fast rounds run.
    Arena(Box<crate::arena::view::ArenaView>),
    /// The seats in words and numbers, as the arena's.
    Seats(Box<crate::arena::seats_view::SeatsView>),
    /// The run reached its last iteration.
    Done,
    /// A file was read: the page puts these preferences in its configuration and loads it.
    Imported {
        name: String,
        custom: CustomPreferences,
    },
    /// A file could not be read; the message names the line.
    ImportFailed(String),
    /// A saved configuration (a `.json` file: the results export, a bare configuration, or a
    /// case document) was read, in the worker's web layer with the browser's JSON.parse, and
    /// checked (`Config::checked`); or why it could not be.
    Saved {
        name: String,
        config: Result<Config, String>,
    },
    /// A deck document was read and checked.
    Deck(crate::deck::Deck),
    /// A deck document could not be used; the message says why.
    DeckFailed(String),
    /// The lecturer's deck (its panel) after a `Draft` request.
    Draft(crate::links::deck_draft::DeckPanel),
    /// A configuration was refused; the message is for the user.
    Error(String),
    /// The solver panicked and its module aborted: the page must start a new worker.
    Crashed(String),
    /// The answer to `Ping` (handled by the bridge).
    Pong(u32),
}

/// Longest file name an `Import` may carry (a file system allows 255 bytes; a page that
/// sends more is not sending a file name).
pub const MAX_FILE_NAME_BYTES: usize = 1024;

/// Most arena rounds one request may ask for (a click asks for one).
pub const MAX_ARENA_ROUNDS: u32 = 100_000;

/// Longest busy-wait the `Fault::Busy` test hook may ask for (the browser tests use 20 s).
pub const MAX_BUSY_MS: u32 = 60_000;

/// Longest error text kept from the deserializer: serde echoes an unknown variant or field
/// name whole, and a hostile message must not come back as a megabyte of text.
const MAX_ERROR_CHARS: usize = 300;

/// A message that is not one the other side may send, phrased for the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DecodeError {}

/// The deserializer's complaint, cut to `MAX_ERROR_CHARS` characters.
fn unreadable(e: impl fmt::Display) -> DecodeError {
    let text = e.to_string();
    let mut cut: String = text.chars().take(MAX_ERROR_CHARS).collect();
    if cut.len() < text.len() {
        cut.push_str("...");
    }
    DecodeError(format!("unreadable message: {cut}"))
}

fn check_file_name(name: &str) -> Result<(), DecodeError> {
    if name.len() > MAX_FILE_NAME_BYTES {
        return Err(DecodeError(format!(
            "a file name of {} bytes is over the limit on file names ({MAX_FILE_NAME_BYTES} bytes)",
            name.len()
        )));
    }
    Ok(())
}

/// Reads a page-to-worker message and checks the sizes the worker relies on before it does
/// any work: an `Import`'s text within the file size limit (`readers::MAX_FILE_BYTES`, the
/// same limit a reader enforces, here before the text is parsed) and its name within
/// `MAX_FILE_NAME_BYTES`; a `Fault::Busy` within `MAX_BUSY_MS`; a `Draft`'s text within
/// `deck::MAX_DECK_BYTES` and its step number within `deck::MAX_STEPS`. A `Load`'s
/// configuration is checked by the worker when it builds the session (`Config::validate`),
/// because only the last of a burst of loads is built and its refusal is answered as an
/// `Error` the page shows.
pub fn decode_request<'de, D: serde::Deserializer<'de>>(d: D) -> Result<ToWorker, DecodeError> {
    let msg = ToWorker::deserialize(d).map_err(unreadable)?;
    match &msg {
        ToWorker::Import { name, text } => {
            check_file_name(name)?;
            if text.len() > MAX_FILE_BYTES {
                return Err(DecodeError(format!(
                    "a file of {} bytes is over the limit on imported files ({} MiB)",
                    text.len(),
                    MAX_FILE_BYTES / (1024 * 1024)
                )));
            }
        }
        ToWorker::Arena(ArenaRequest::Open(setup)) | ToWorker::Seats(ArenaRequest::Open(setup))
            if setup.challenger.len() > MAX_CHALLENGER || setup.set.len() > MAX_SET =>
        {
            return Err(DecodeError(format!(
                "an arena challenger of {} responses or a fixed set of {} is over the limits ({MAX_CHALLENGER} and {MAX_SET})",
                setup.challenger.len(),
                setup.set.len()
            )));
        }
        ToWorker::Arena(ArenaRequest::Rounds(r)) | ToWorker::Seats(ArenaRequest::Rounds(r))
            if *r > MAX_ARENA_ROUNDS =>
        {
            return Err(DecodeError(format!(
                "{r} arena rounds in one request is over the limit ({MAX_ARENA_ROUNDS})"
            )));
        }
        ToWorker::Draft(request) => {
            let text = request.text_bytes();
            if text > crate::deck::MAX_DECK_BYTES {
                return Err(DecodeError(format!(
                    "a deck request with {text} bytes of text is over the limit ({} bytes)",
                    crate::deck::MAX_DECK_BYTES
                )));
            }
            if let DraftRequest::Up(n) | DraftRequest::Down(n) | DraftRequest::Delete(n) = request {
                if *n == 0 || *n > crate::deck::MAX_STEPS {
                    return Err(DecodeError(format!(
                        "a deck request names step {n}, outside 1..={}",
                        crate::deck::MAX_STEPS
                    )));
                }
            }
        }
        ToWorker::Fault(Fault::Busy(ms)) if *ms > MAX_BUSY_MS => {
            return Err(DecodeError(format!(
                "a busy fault of {ms} ms is over the limit on test faults ({MAX_BUSY_MS} ms)"
            )));
        }
        _ => {}
    }
    Ok(msg)
}

/// Reads a worker-to-page message and checks what the page indexes by: a sweep row's
/// position within the sweep (1 <= done <= total <= `MAX_SWEEP_K`, the limit on the sweep),
/// an imported file's name within `MAX_FILE_NAME_BYTES`, the phase map's cells within its
/// limits, the arena's best set among its responses, and a deck panel
/// of at most `deck::MAX_STEPS` steps.
pub fn decode_reply<'de, D: serde::Deserializer<'de>>(d: D) -> Result<FromWorker, DecodeError> {
    let msg = FromWorker::deserialize(d).map_err(unreadable)?;
    match &msg {
        FromWorker::SweepProgress { done, total, .. }
            if *done == 0 || done > total || *total > MAX_SWEEP_K =>
        {
            return Err(DecodeError(format!(
                "sweep progress {done} of {total} is outside 1..=total..={MAX_SWEEP_K} (the limit on the sweep)"
            )));
        }
        FromWorker::Imported { name, .. } => check_file_name(name)?,
        FromWorker::Phase {
            n,
            columns,
            cells,
            done,
            total,
            ..
        } if columns.len() > phase_map::MAX_COLUMNS
            || *n > crate::model::limits::MAX_RESPONSES
            || cells.len() > *total
            || cells
                .iter()
                .any(|c| c.policy.len() > crate::model::limits::MAX_RESPONSES)
            || done > total
            || *total > phase_map::MAX_COLUMNS * phase_map::MAX_K =>
        {
            return Err(DecodeError(format!(
                "phase map progress {done} of {total} is outside the limits of the phase map"
            )));
        }
        FromWorker::Arena(view)
            if view.n > crate::model::limits::MAX_RESPONSES
                || view.best_set.iter().flatten().any(|&y| y >= view.n) =>
        {
            return Err(DecodeError(format!(
                "the arena's best set names a response outside the {} there are",
                view.n
            )));
        }
        FromWorker::Seats(view)
            if view.tables.iter().any(|t| {
                t.seats.is_empty() || t.seats.len() > crate::arena::seats::MAX_SEATS_SHOWN
            }) =>
        {
            return Err(DecodeError(format!(
                "a table of seats must show 1 to {} seats",
                crate::arena::seats::MAX_SEATS_SHOWN
            )));
        }
        FromWorker::Draft(panel) if panel.titles.len() > crate::deck::MAX_STEPS => {
            return Err(DecodeError(format!(
                "a deck panel of {} steps is over the limit ({})",
                panel.titles.len(),
                crate::deck::MAX_STEPS
            )));
        }
        _ => {}
    }
    Ok(msg)
}

/// `decode_request` on JSON text, the whole of it (the native tests and the fuzzers).
pub fn request_from_json(json: &[u8]) -> Result<ToWorker, DecodeError> {
    let mut d = serde_json::Deserializer::from_slice(json);
    let msg = decode_request(&mut d)?;
    d.end().map_err(unreadable)?;
    Ok(msg)
}

/// `decode_reply` on JSON text, the whole of it (the native tests and the fuzzers).
pub fn reply_from_json(json: &[u8]) -> Result<FromWorker, DecodeError> {
    let mut d = serde_json::Deserializer::from_slice(json);
    let msg = decode_reply(&mut d)?;
    d.end().map_err(unreadable)?;
    Ok(msg)
}
