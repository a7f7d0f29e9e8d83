//! The messages between the page and the solver worker: one enum each way (`crate::protocol`).

pub use crate::protocol::*;
