//! The phase map (docs/mathematics.md#the-phase-map): over k (rows) and a profile parameter (columns), the
//! (k+1)-player equilibrium's support size and NLHF's shortfall k/(k+1) - W_k(NLHF), with the
//! exact boundary of a Condorcet winner c: c alone is the equilibrium exactly while
//! max_y P[y][c] <= 1/(k+1), that is k <= 1 / max_y P[y][c] - 1. Shows when diversity
//! switches on.
//!
//! Families: two responses with majority share p from 0.5 to 0.99; and one voter type of any
//! population whose share of the weight goes from 0 to 0.99 (the others keep their
//! proportions).

use crate::equilibrium::EquilibriumSearch;
use crate::model::{ModelError, Policy, Population, Ranking, Voter};
use crate::payoff::{guarantee, CompiledPopulation, Measures};
use serde::{Deserialize, Serialize};

/// Columns and rows a map may have.
pub const MAX_COLUMNS: usize = 64;
pub const MAX_K: usize = 64;

/// A probability below this is out of the support.
pub const SUPPORT_TOL: f64 = 1e-6;

/// Which profiles the columns are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// Two responses, a share p preferring the first, p from 0.5 to 0.99.
    TwoResponses,
    /// Voter type `voter` of the given population, its share from 0 to 0.99.
    Weight { voter: usize },
}

impl Family {
    /// The family as a link or the command line writes it: `two-responses`, `weight:3`
    /// (voter types counted from 1).
    pub fn id(self) -> String {
        match self {
            Family::TwoResponses => "two-responses".into(),
            Family::Weight { voter } => format!("weight:{}", voter + 1),
        }
    }

    pub fn from_id(s: &str) -> Option<Family> {
        if s == "two-responses" {
            return Some(Family::TwoResponses);
        }
        let v: usize = s.strip_prefix("weight:")?.parse().ok()?;
        (v >= 1).then(|| Family::Weight { voter: v - 1 })
    }

    /// The parameter of column `i` of `columns`: 0.5 to 0.99, or 0 to 0.99.
    pub fn parameter(self, i: usize, columns: usize) -> f64 {
        let (lo, hi) = match self {
            Family::TwoResponses => (0.5, 0.99),
            Family::Weight { .. } => (0.0, 0.99),
        };
        if columns <= 1 {
            return lo;
        }
        lo + (hi - lo) * i as f64 / (columns - 1) as f64
    }

    /// What the parameter is, in words.
    pub fn parameter_name(self) -> String {
        match self {
            Family::TwoResponses => "majority share p".into(),
            Family::Weight { voter } => format!("share of voter type {}", voter + 1),
        }
    }

    /// The profile of one column (`base` is used by the weight family).
    pub fn population(self, base: Option<&Population>, t: f64) -> Result<Population, ModelError> {
        match self {
            Family::TwoResponses => Population::new(
                vec!["A".into(), "B".into()],
                vec![
                    Voter {
                        weight: t,
                        ranking: Ranking::strict(&[0, 1], 2)?,
                    },
                    Voter {
                        weight: 1.0 - t,
                        ranking: Ranking::strict(&[1, 0], 2)?,
                    },
                ],
            ),
            Family::Weight { voter } => {
                let base =
                    base.ok_or_else(|| ModelError("the weight family needs preferences".into()))?;
                if voter >= base.voters().len() {
                    return Err(ModelError(format!(
                        "there is no voter type {} (the preferences have {})",
                        voter + 1,
                        base.voters().len()
                    )));
                }
                let others: f64 = base
                    .voters()
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| i != voter)
                    .map(|(_, v)| v.weight)
                    .sum();
                if others <= 0.0 {
                    return Err(ModelError("the other voter types have no weight".into()));
                }
                let mut voters = base.voters().to_vec();
                // Share t of the whole: w = t / (1 - t) times the others' weight.
                voters[voter].weight = others * t / (1.0 - t);
                let voters = voters.into_iter().filter(|v| v.weight > 0.0).collect();
                Population::new(base.labels().to_vec(), voters)
            }
        }
    }
}

/// One cell of the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseCell {
    pub k: usize,
    pub column: usize,
    pub parameter: f64,
    /// Responses in the (k+1)-player equilibrium's support (probability above SUPPORT_TOL).
    pub support: usize,
    /// k/(k+1) - W_k(NLHF): what sampling NLHF k times falls short of the best possible.
    pub shortfall: f64,
    /// W_k of the (k+1)-player equilibrium and of NLHF.
    pub game: f64,
    pub nlhf: f64,
    /// The equilibrium (for the preview).
    pub policy: Policy,
}

/// One column's profile-wide facts: its Condorcet winner, and the largest real k for which
/// that winner alone is the equilibrium (1 / max_y P[y][c] - 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseColumn {
    pub parameter: f64,
    pub condorcet: Option<usize>,
    pub boundary_k: Option<f64>,
}

/// The map, computed column by column, row by row, one equilibrium search piece at a time.
#[derive(Debug, Clone)]
pub struct PhaseSearch {
    family: Family,
    base: Option<Population>,
    columns: usize,
    k_max: usize,
    next_column: usize,
    /// The column being computed: its measures, NLHF's policy, its facts, the next k, and the
    /// equilibrium search under way.
    current: Option<Column>,
    pub cells: Vec<PhaseCell>,
    pub facts: Vec<PhaseColumn>,
}

#[derive(Debug, Clone)]
struct Column {
    measures: Measures,
    nlhf: Policy,
    k: usize,
    search: EquilibriumSearch,
}

impl PhaseSearch {
    /// A map of `columns` columns and k = 1..=k_max; Err names a limit or a missing voter type.
    pub fn new(
        family: Family,
        base: Option<&Population>,
        columns: usize,
        k_max: usize,
    ) -> Result<Self, String> {
        if !(2..=MAX_COLUMNS).contains(&columns) {
            return Err(format!(
                "{columns} columns is outside 2..={MAX_COLUMNS} (the limit of the phase map)"
            ));
        }
        if !(1..=MAX_K).contains(&k_max) {
            return Err(format!(
                "k up to {k_max} is outside 1..={MAX_K} (the limit of the phase map)"
            ));
        }
        family
            .population(base, family.parameter(0, columns))
            .map_err(|e| e.0)?;
        Ok(PhaseSearch {
            family,
            base: base.cloned(),
            columns,
            k_max,
            next_column: 0,
            current: None,
            cells: Vec::new(),
            facts: Vec::new(),
        })
    }

    pub fn family(&self) -> Family {
        self.family
    }

    pub fn columns(&self) -> usize {
        self.columns
    }

    /// Responses of the profiles (2 for two responses, the base's otherwise).
    pub fn responses(&self) -> usize {
        self.base.as_ref().map_or(2, Population::n)
    }

    pub fn k_max(&self) -> usize {
        self.k_max
    }

    /// Cells done of all of them.
    pub fn progress(&self) -> (usize, usize) {
        (self.cells.len(), self.columns * self.k_max)
    }

    /// Works while `out_of_time()` says no; true once every cell is done.
    pub fn advance(&mut self, out_of_time: &mut dyn FnMut() -> bool) -> bool {
        loop {
            if self.current.is_none() {
                if self.next_column >= self.columns {
                    return true;
                }
                if out_of_time() {
                    return false;
                }
                let t = self.family.parameter(self.next_column, self.columns);
                let pop = self
                    .family
                    .population(self.base.as_ref(), t)
                    .expect("checked when the map was made");
                let pairwise = pop.pairwise();
                let condorcet = pairwise.condorcet_winner();
                let boundary_k = condorcet.map(|c| {
                    let worst = (0..pairwise.n())
                        .filter(|&y| y != c)
                        .map(|y| pairwise.get(y, c))
                        .fold(0.0, f64::max);
                    if worst > 0.0 {
                        1.0 / worst - 1.0
                    } else {
                        f64::INFINITY
                    }
                });
                self.facts.push(PhaseColumn {
                    parameter: t,
                    condorcet,
                    boundary_k,
                });
                self.current = Some(Column {
                    nlhf: crate::lottery::maximal_lottery(&pairwise),
                    measures: Measures::new(&pop, None),
                    k: 1,
                    search: EquilibriumSearch::new(2),
                });
            }
            let column = self.current.as_mut().expect("a column");
            let Some(eq) = column
                .search
                .advance(&column.measures.population, out_of_time)
            else {
                return false;
            };
            let k = column.k;
            let m = &column.measures;
            let nlhf = m.robust_win_rate(&column.nlhf, k);
            self.cells.push(PhaseCell {
                k,
                column: self.next_column,
                parameter: self.family.parameter(self.next_column, self.columns),
                support: eq.policy.iter().filter(|&&p| p > SUPPORT_TOL).count(),
                shortfall: (guarantee(k) - nlhf).max(0.0),
                game: m.robust_win_rate(&eq.policy, k),
                nlhf,
                policy: eq.policy,
            });
            if k >= self.k_max {
                self.current = None;
                self.next_column += 1;
            } else {
                column.k = k + 1;
                column.search = EquilibriumSearch::new(k + 2);
            }
        }
    }
}

/// The whole map in one call.
pub fn phase_map(
    family: Family,
    base: Option<&Population>,
    columns: usize,
    k_max: usize,
) -> Result<PhaseSearch, String> {
    let mut search = PhaseSearch::new(family, base, columns, k_max)?;
    search.advance(&mut || false);
    Ok(search)
}

/// The map as CSV, one row per cell, with the column's Condorcet winner and boundary.
pub fn phase_csv(map: &PhaseSearch) -> String {
    use std::fmt::Write;
    let mut out = String::from(
        "family,parameter,k,support,shortfall,game,nlhf,condorcet_winner,boundary_k\n",
    );
    for c in &map.cells {
        let facts = &map.facts[c.column];
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{}",
            map.family.id(),
            c.parameter,
            c.k,
            c.support,
            c.shortfall,
            c.game,
            c.nlhf,
            facts.condorcet.map_or(String::new(), |w| w.to_string()),
            facts.boundary_k.map_or(String::new(), |b| b.to_string()),
        );
    }
    out
}

/// Whether a column's Condorcet winner alone is the (k+1)-player equilibrium, by the boundary.
pub fn pure_by_boundary(column: &PhaseColumn, k: usize) -> Option<bool> {
    column.boundary_k.map(|b| k as f64 <= b + 1e-12)
}

/// The compiled population of a column (for callers that want more of it).
pub fn column_population(
    family: Family,
    base: Option<&Population>,
    t: f64,
) -> Result<CompiledPopulation, ModelError> {
    Ok(CompiledPopulation::new(&family.population(base, t)?))
}

/// The configuration a cell of the map stands for: `config` with the column's profile as its
/// preferences, the cell's k (and m = k + 1), and all four figures shown.
pub fn cell_config(
    config: &crate::config::Config,
    family: Family,
    base: Option<&Population>,
    column: usize,
    columns: usize,
    k: usize,
) -> Result<crate::config::Config, ModelError> {
    let pop = family.population(base, family.parameter(column, columns))?;
    let custom = crate::config::CustomPreferences::from_preferences(
        &crate::model::Preferences::Population(pop),
    );
    let out = crate::config::Config {
        k,
        players: None,
        custom: Some(custom.into()),
        view: crate::config::View::All,
        ..config.clone()
    };
    out.validate()?;
    Ok(out)
}
