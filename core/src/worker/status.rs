//! The run's state as the page shows it: a leaf that the protocol and the page's texts both
//! use, so neither has to import the other.

use serde::{Deserialize, Serialize};

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
