//! Edits of the preferences as the editors make them: each applies to a copy and is checked
//! as the worker would check it, so a refused edit never reaches the configuration.

use crate::config::{CustomPreferences, VoterSpec};
use crate::links::decimal::parse_f64;
use crate::model::RawRanking;
use crate::ranking_edit::{self, Placement};

/// One edit in an editor.
#[derive(Debug, Clone, PartialEq)]
pub enum PreferenceEdit {
    /// The label of response i, as typed.
    Label(usize, String),
    /// Cell (i, j) of the matrix, as typed; (j, i) becomes its complement.
    Cell(usize, usize, String),
    /// The weight of voter type v, as typed.
    Weight(usize, String),
    /// Move a response one place earlier (-1) or later (+1) in voter type v's ranking.
    Move {
        voter: usize,
        response: usize,
        by: i8,
    },
    /// A drag ended: `response` dropped on `target` in voter type v's ranking.
    Place {
        voter: usize,
        response: usize,
        target: usize,
        placement: Placement,
    },
    /// Tie class `class` of voter type v's ranking with the next class.
    Tie {
        voter: usize,
        class: usize,
    },
    /// Break the tie in class `class` before its `at`-th response.
    Untie {
        voter: usize,
        class: usize,
        at: usize,
    },
    AddResponse,
    RemoveResponse(usize),
    RemoveVoter(usize),
    DuplicateVoter(usize),
    AddVoter,
}

impl PreferenceEdit {
    /// The matrix cell this edit is about (its refusal is shown beside it).
    pub fn cell(&self) -> Option<(usize, usize)> {
        match self {
            PreferenceEdit::Cell(i, j, _) => Some((*i, *j)),
            _ => None,
        }
    }
}

/// Applies an edit to a copy of the preferences; Err is the message for the user. Indices out
/// of range are refused, never a panic (the editor only offers valid ones).
pub fn apply(prefs: &CustomPreferences, edit: PreferenceEdit) -> Result<CustomPreferences, String> {
    let mut p = prefs.clone();
    let n = p.labels().len();
    let voter_count = match &p {
        CustomPreferences::Population { voters, .. } => voters.len(),
        CustomPreferences::Matrix { .. } => 0,
    };
    let out_of_range = || Err("That edit does not apply to these preferences.".to_string());
    match (&mut p, edit) {
        (
            CustomPreferences::Population { labels, .. } | CustomPreferences::Matrix { labels, .. },
            PreferenceEdit::Label(i, text),
        ) => {
            let text = text.trim().to_string();
            if text.is_empty() {
                return Err("A response needs a label.".into());
            }
            if labels.iter().enumerate().any(|(j, l)| j != i && *l == text) {
                return Err(format!("Another response is already called {text}."));
            }
            match labels.get_mut(i) {
                Some(l) => *l = text,
                None => return out_of_range(),
            }
        }
        (CustomPreferences::Matrix { rows, .. }, PreferenceEdit::Cell(i, j, text)) => {
            if i >= n || j >= n || i == j {
                return out_of_range();
            }
            let v = parse_f64(text.trim())
                .ok_or_else(|| format!("P[{}][{}] must be a number.", i + 1, j + 1))?;
            if !(0.0..=1.0).contains(&v) {
                return Err(format!(
                    "P[{}][{}] = {v} is not a probability (0 to 1).",
                    i + 1,
                    j + 1
                ));
            }
            rows[i][j] = v;
            rows[j][i] = 1.0 - v;
        }
        (CustomPreferences::Population { voters, .. }, PreferenceEdit::Weight(v, text)) => {
            if v >= voter_count {
                return out_of_range();
            }
            let w =
                parse_f64(text.trim()).ok_or_else(|| "A weight must be a number.".to_string())?;
            if !w.is_finite() || w < 0.0 {
                return Err(format!("Weight {w} is not allowed: use 0 or more."));
            }
            if voters
                .iter()
                .enumerate()
                .all(|(u, s)| if u == v { w == 0.0 } else { s.weight == 0.0 })
            {
                return Err("At least one voter type needs a positive weight.".into());
            }
            voters[v].weight = w;
        }
        (
            CustomPreferences::Population { voters, .. },
            PreferenceEdit::Move {
                voter,
                response,
                by,
            },
        ) if voter < voter_count => {
            ranking_edit::step(&mut voters[voter].ranking, response, by);
        }
        (
            CustomPreferences::Population { voters, .. },
            PreferenceEdit::Place {
                voter,
                response,
                target,
                placement,
            },
        ) if voter < voter_count => {
            ranking_edit::place(&mut voters[voter].ranking, response, target, placement);
        }
        (CustomPreferences::Population { voters, .. }, PreferenceEdit::Tie { voter, class })
            if voter < voter_count =>
        {
            ranking_edit::tie_with_next(&mut voters[voter].ranking, class);
        }
        (
            CustomPreferences::Population { voters, .. },
            PreferenceEdit::Untie { voter, class, at },
        ) if voter < voter_count => {
            ranking_edit::untie(&mut voters[voter].ranking, class, at);
        }
        (CustomPreferences::Population { voters, .. }, PreferenceEdit::DuplicateVoter(v))
            if v < voter_count =>
        {
            let copy = voters[v].clone();
            voters.insert(v + 1, copy);
        }
        (CustomPreferences::Population { voters, .. }, PreferenceEdit::RemoveVoter(v))
            if v < voter_count =>
        {
            if voters.len() == 1 {
                return Err("The population needs at least one voter type.".into());
            }
            voters.remove(v);
            if voters.iter().all(|s| s.weight == 0.0) {
                return Err("At least one voter type needs a positive weight.".into());
            }
        }
        (CustomPreferences::Population { labels, voters }, PreferenceEdit::AddVoter) => {
            voters.push(VoterSpec {
                weight: 1.0,
                ranking: RawRanking((0..labels.len()).map(|y| vec![y]).collect()),
            });
        }
        (prefs, PreferenceEdit::AddResponse) => prefs.add_response().map_err(|e| e.to_string())?,
        (prefs, PreferenceEdit::RemoveResponse(i)) => {
            prefs.remove_response(i).map_err(|e| e.to_string())?
        }
        _ => return out_of_range(),
    }
    // The same checks the worker makes, so a refused edit never leaves the editor.
    p.build().map_err(|e| e.to_string())?;
    Ok(p)
}

/// What a population implies head to head: its pairwise matrix and Condorcet winner (None
/// for a matrix, which is its own summary).
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub rows: Vec<Vec<f64>>,
    pub condorcet: Option<usize>,
}

pub fn summarize(prefs: &CustomPreferences) -> Option<Summary> {
    if !matches!(prefs, CustomPreferences::Population { .. }) {
        return None;
    }
    let pairwise = prefs.build().ok()?.pairwise();
    Some(Summary {
        rows: pairwise.rows(),
        condorcet: pairwise.condorcet_winner(),
    })
}
