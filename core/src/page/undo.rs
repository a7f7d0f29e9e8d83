//! The undo history of finished edits, and when an edit becomes a new browser history entry.
//!
//! Generic over what is remembered (the page keeps configurations, whose preferences are
//! shared, so a step costs a few pointers), with the clock passed in so it is tested natively.

/// Most undo steps kept.
pub const UNDO_MAX: usize = 100;

/// Finished edits closer together than this (ms) share one browser history entry.
pub const HISTORY_COALESCE_MS: f64 = 700.0;

/// Configurations before (undo) and after (redo) the current one; `committed` is the last
/// finished edit (a slider being dragged is not one yet).
#[derive(Debug, Clone)]
pub struct UndoHistory<T> {
    undo: Vec<T>,
    redo: Vec<T>,
    committed: T,
    /// When the last history entry was pushed (ms, by the clock passed in).
    last_push: f64,
}

/// What a commit asks of the browser's history: a new entry (back and forward step through
/// finished edits) or the current one replaced (rapid edits, such as arrow keys on a slider).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryEntry {
    Push,
    Replace,
}

impl<T: Clone + PartialEq> UndoHistory<T> {
    /// A history whose last finished edit is `current`.
    pub fn new(current: T) -> Self {
        UndoHistory {
            undo: Vec::new(),
            redo: Vec::new(),
            committed: current,
            last_push: f64::NEG_INFINITY,
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// The last finished edit.
    pub fn committed(&self) -> &T {
        &self.committed
    }

    /// Makes `current` the last finished edit. None when it did not change; otherwise the
    /// previous one becomes an undo step, and the answer says whether the browser history gets
    /// a new entry (edits within [`HISTORY_COALESCE_MS`] of the last share one).
    pub fn commit(&mut self, current: &T, now_ms: f64) -> Option<HistoryEntry> {
        if *current == self.committed {
            return None;
        }
        let before = std::mem::replace(&mut self.committed, current.clone());
        self.remember(before);
        let entry = if now_ms - self.last_push > HISTORY_COALESCE_MS {
            HistoryEntry::Push
        } else {
            HistoryEntry::Replace
        };
        self.last_push = now_ms;
        Some(entry)
    }

    /// A change that did not come from an edit here (back, forward, an edited link) replaced
    /// `before`: it is undoable like any other, and already in the browser's history.
    pub fn arrived(&mut self, before: T, current: &T) {
        self.remember(before);
        self.committed = current.clone();
    }

    /// Keeps `before` as an undo step (bounded); a new edit forgets what was undone.
    fn remember(&mut self, before: T) {
        self.undo.push(before);
        if self.undo.len() > UNDO_MAX {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// Undo (or redo): `current` becomes the step before (after) it, which is then the last
    /// finished edit. False when there is none.
    pub fn travel(&mut self, current: &mut T, undo: bool) -> bool {
        let (from, to) = if undo {
            (&mut self.undo, &mut self.redo)
        } else {
            (&mut self.redo, &mut self.undo)
        };
        let Some(target) = from.pop() else {
            return false;
        };
        to.push(std::mem::replace(current, target));
        self.committed = current.clone();
        true
    }
}
