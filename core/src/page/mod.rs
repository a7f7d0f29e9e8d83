//! The page's state machines that need no browser: the run state that applies the worker's
//! replies, the undo history, the settings form and the preference edits, keyboard shortcuts,
//! what pasted text is, the footer's timings and the CSV downloads. The web layer only feeds
//! them browser events and shows them.

pub mod csv;

pub mod edit;
pub mod form;
pub mod glossary;
pub mod paste;
pub mod perf;
mod reading;
pub mod run_state;
pub mod settings;
pub mod shortcuts;
pub mod text;
pub mod tour;
pub mod undo;
