//! The solver off the page's thread: a session's state, the worker's batched loop, and the
//! one message enum each way with its checked decoder.

pub mod decks;
pub mod protocol;
pub mod session;
pub mod solver_loop;
pub mod status;
