//! Edits of one voter type's ranking in the population editor: step, drop, tie and untie.
//!
//! A ranking is a list of classes, best first; a class with several responses is a tie. Every
//! edit keeps each response exactly once and never leaves an empty class, so what the editor
//! produces is always a valid weak order.

use crate::model::RawRanking;

/// Where a dragged response lands relative to the response it is dropped on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Alone, just above the target's class.
    Before,
    /// Tied with the target.
    Tie,
    /// Alone, just below the target's class.
    After,
}

fn class_of(ranking: &RawRanking, response: usize) -> Option<usize> {
    ranking.0.iter().position(|class| class.contains(&response))
}

/// Takes `response` out of its class, dropping the class if it empties.
fn take(ranking: &mut RawRanking, response: usize) {
    if let Some(c) = class_of(ranking, response) {
        ranking.0[c].retain(|&r| r != response);
        if ranking.0[c].is_empty() {
            ranking.0.remove(c);
        }
    }
}

/// Moves `response` one step earlier (`by` < 0) or later. A response sharing its class (a tie)
/// first steps out of the tie, just before or after it; a response alone in its class swaps
/// places with the neighbouring class. Keyboard and arrow buttons use this.
pub fn step(ranking: &mut RawRanking, response: usize, by: i8) {
    let Some(c) = class_of(ranking, response) else {
        return;
    };
    let classes = &mut ranking.0;
    if classes[c].len() > 1 {
        classes[c].retain(|&r| r != response);
        let at = if by < 0 { c } else { c + 1 };
        classes.insert(at, vec![response]);
    } else if by < 0 && c > 0 {
        classes.swap(c, c - 1);
    } else if by > 0 && c + 1 < classes.len() {
        classes.swap(c, c + 1);
    }
}

/// Drops `response` on `target` (a drag ends): before it, tied with it, or after it. Nothing
/// changes when either response is not in the ranking or they are the same.
pub fn place(ranking: &mut RawRanking, response: usize, target: usize, placement: Placement) {
    if response == target
        || class_of(ranking, response).is_none()
        || class_of(ranking, target).is_none()
    {
        return;
    }
    take(ranking, response);
    let Some(c) = class_of(ranking, target) else {
        return;
    };
    match placement {
        Placement::Before => ranking.0.insert(c, vec![response]),
        Placement::Tie => ranking.0[c].push(response),
        Placement::After => ranking.0.insert(c + 1, vec![response]),
    }
}

/// Ties class `class` with the next one (one class of both); nothing at the last class.
pub fn tie_with_next(ranking: &mut RawRanking, class: usize) {
    if class + 1 < ranking.0.len() {
        let next = ranking.0.remove(class + 1);
        ranking.0[class].extend(next);
    }
}

/// Breaks the tie in class `class` before its `at`-th response: the responses from there on
/// form a new class just below. Nothing happens at either end of the class.
pub fn untie(ranking: &mut RawRanking, class: usize, at: usize) {
    let Some(members) = ranking.0.get_mut(class) else {
        return;
    };
    if at == 0 || at >= members.len() {
        return;
    }
    let rest = members.split_off(at);
    ranking.0.insert(class + 1, rest);
}
