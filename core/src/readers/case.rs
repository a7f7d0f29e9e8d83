//! Reference-case evaluation: reads a case (`ualign eval` input) and computes every measure.

use crate::model::{default_labels, limits, ModelError, PairwiseMatrix, Population, Preferences};
use crate::open_question::best_policy;
use crate::payoff::{robust_win_rate_vs_l, Measures};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// A voter type as written in a case file: a weight and a ranking, as in a configuration
/// (one decoder for both keeps the page's wasm smaller).
pub type RawVoter = crate::config::VoterSpec;

/// The input of `ualign eval`; `expected` and `tolerances` are read by the tests only.
#[derive(Debug, Clone, Deserialize)]
pub struct CaseInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub labels: Option<Vec<String>>,
    #[serde(default)]
    pub population: Option<Vec<RawVoter>>,
    #[serde(default)]
    pub preflib: Option<String>,
    #[serde(default)]
    pub matrix: Option<Vec<Vec<f64>>>,
    pub k: Vec<usize>,
    #[serde(default = "default_l")]
    pub l: Vec<usize>,
    #[serde(default)]
    pub expected: serde_json::Value,
    #[serde(default)]
    pub tolerances: serde_json::Value,
}

fn default_l() -> Vec<usize> {
    vec![1]
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NlhfResult {
    pub robust_win_rate: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GameResult {
    pub players: usize,
    pub policy: Vec<f64>,
    pub exploitability: f64,
    /// Whether `policy` is certified: exploitability within
    /// `equilibrium::TARGET_EXPLOITABILITY` (1e-13).
    pub certified: bool,
    /// "exact" when certified, else "best iterate, exploitability 3.1e-7" (`text::solution`).
    pub solution: String,
    pub robust_win_rate: f64,
    pub vs_l: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FittedVoter {
    pub weight: f64,
    pub ranking: Vec<usize>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FitResult {
    pub max_residual: f64,
    pub population: Vec<FittedVoter>,
}

/// The output of `ualign eval`, key for key.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CaseResult {
    pub n: usize,
    pub labels: Vec<String>,
    pub pairwise: Vec<Vec<f64>>,
    pub condorcet_winner: Option<usize>,
    pub maximal_lottery: Vec<f64>,
    pub nlhf: BTreeMap<String, NlhfResult>,
    pub alignment_game: BTreeMap<String, GameResult>,
    /// Per k and l: the (k+l)-player equilibrium's value against l-output opponents.
    pub game_kl: BTreeMap<String, BTreeMap<String, f64>>,
    /// Per k and l, on profiles within the search's limits: the best policy found against l
    /// and what it guarantees (a lower bound on V_{k,l}; docs/mathematics.md#the-open-question).
    pub best_l: BTreeMap<String, BTreeMap<String, BestL>>,
    /// Per k <= n, within the enumeration limit: the best fixed set of k distinct responses
    /// and its value against the worst single challenger (docs/mathematics.md#fixed-sets).
    pub fixed_set: BTreeMap<String, FixedSetResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fit: Option<FitResult>,
}

/// The best fixed set of k responses and its robust win rate.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FixedSetResult {
    pub set: Vec<usize>,
    pub robust_win_rate: f64,
}

/// The best policy found against l-output opponents, and its value recomputed exactly.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BestL {
    pub policy: Vec<f64>,
    /// W_{k,l} of `policy`, exact for that policy; as a value of V_{k,l} a lower bound.
    pub value: f64,
    /// What `value` is of V_{k,l}: always "lower bound (local search)", since the search
    /// certifies no optimum.
    pub kind: &'static str,
}

/// `BestL::kind`: the search's value bounds V_{k,l} from below.
pub const SEARCH_BOUND: &str = "lower bound (local search)";

/// Reads a case file; a PrefLib path inside it is taken relative to the case file.
pub fn read_case(path: &Path) -> Result<(CaseInput, Preferences), ModelError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ModelError(format!("cannot read {}: {e}", path.display())))?;
    let case: CaseInput = serde_json::from_str(&text)
        .map_err(|e| ModelError(format!("{}: not a valid case: {e}", path.display())))?;
    let prefs = case_preferences(&case, path.parent().unwrap_or(Path::new(".")))?;
    Ok((case, prefs))
}

/// The preferences a case describes (exactly one of population, preflib, matrix).
pub fn case_preferences(case: &CaseInput, base: &Path) -> Result<Preferences, ModelError> {
    let parts = CaseParts {
        labels: &case.labels,
        population: &case.population,
        preflib: &case.preflib,
        matrix: &case.matrix,
    };
    parts_preferences(&parts, base)
}

/// The parts of a case that say what the preferences are.
struct CaseParts<'a> {
    labels: &'a Option<Vec<String>>,
    population: &'a Option<Vec<RawVoter>>,
    preflib: &'a Option<String>,
    matrix: &'a Option<Vec<Vec<f64>>>,
}

fn parts_preferences(case: &CaseParts<'_>, base: &Path) -> Result<Preferences, ModelError> {
    let given = [
        case.population.is_some(),
        case.preflib.is_some(),
        case.matrix.is_some(),
    ]
    .iter()
    .filter(|&&b| b)
    .count();
    if given != 1 {
        return Err(ModelError(
            "a case needs exactly one of \"population\", \"preflib\" or \"matrix\"".into(),
        ));
    }
    if case.preflib.is_none() {
        return inline_preferences(case);
    }
    if let Some(file) = &case.preflib {
        let path = base.join(file);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| ModelError(format!("cannot read {}: {e}", path.display())))?;
        let mut pop = crate::readers::read_preflib(&text)
            .map_err(|e| ModelError(format!("{}: {e}", path.display())))?;
        if let Some(labels) = &case.labels {
            pop = relabel(pop, labels.clone())?;
        }
        return Ok(Preferences::Population(pop));
    }
    inline_preferences(case)
}

/// The preferences written out in a case (a population or a matrix, no file to read).
fn inline_preferences(case: &CaseParts<'_>) -> Result<Preferences, ModelError> {
    if let Some(voters) = &case.population {
        let n = case.labels.as_ref().map_or_else(
            || {
                voters
                    .iter()
                    .flat_map(|v| v.ranking.0.iter().flatten())
                    .max()
                    .map_or(0, |m| m + 1)
            },
            Vec::len,
        );
        let labels = case.labels.clone().unwrap_or_else(|| default_labels(n));
        let raw = voters
            .iter()
            .map(|v| (v.weight, v.ranking.clone()))
            .collect();
        return Population::from_raw(labels, raw).map(Preferences::Population);
    }
    let rows = case.matrix.clone().unwrap_or_default();
    let labels = case
        .labels
        .clone()
        .unwrap_or_else(|| default_labels(rows.len()));
    PairwiseMatrix::new(labels, rows).map(Preferences::Matrix)
}

fn relabel(pop: Population, labels: Vec<String>) -> Result<Population, ModelError> {
    if labels.len() != pop.n() {
        return Err(ModelError(format!(
            "{} labels given for {} responses",
            labels.len(),
            pop.n()
        )));
    }
    Population::new(labels, pop.voters().to_vec())
}

/// Checks k and l against the limits before any work.
pub fn check_request(ks: &[usize], ls: &[usize], n: usize) -> Result<(), ModelError> {
    for &k in ks {
        if k == 0 || k > limits::MAX_K {
            return Err(ModelError(format!(
                "k = {k} is outside 1..={} (the limit on k)",
                limits::MAX_K
            )));
        }
    }
    for &l in ls {
        if l == 0 || l > limits::MAX_L_EXACT {
            return Err(ModelError(format!(
                "l = {l} is outside 1..={} (the limit on exact opponent sizes)",
                limits::MAX_L_EXACT
            )));
        }
    }
    // The l-opponent minimum enumerates C(n+l-1, l) multisets.
    if ls.iter().any(|&l| l >= 3) && n > 32 {
        return Err(ModelError(format!(
            "exact l = 3 opponents are enumerated only for up to 32 responses (this has {n})"
        )));
    }
    Ok(())
}

/// The population the multiplayer game is played on: the given one, or a fitted one for a
/// matrix (with the fit reported).
pub fn game_population(
    prefs: &Preferences,
) -> Result<(Population, Option<crate::fit::PopulationFit>), ModelError> {
    match prefs {
        Preferences::Population(p) => Ok((p.clone(), None)),
        Preferences::Matrix(m) => {
            let fit = crate::fit::fit_population(m)?;
            Ok((fit.population.clone(), Some(fit)))
        }
    }
}

/// The measures of an input (a matrix keeps deciding k = 1), with the fit for a matrix.
pub fn measures(
    prefs: &Preferences,
) -> Result<(Measures, Option<crate::fit::PopulationFit>), ModelError> {
    let (population, fit) = game_population(prefs)?;
    let matrix = match prefs {
        Preferences::Matrix(m) => Some(m.clone()),
        Preferences::Population(_) => None,
    };
    Ok((Measures::new(&population, matrix), fit))
}

/// Evaluates every measure of a case.
pub fn evaluate(prefs: &Preferences, ks: &[usize], ls: &[usize]) -> Result<CaseResult, ModelError> {
    let n = prefs.n();
    check_request(ks, ls, n)?;
    let pairwise = prefs.pairwise();
    let (m, fit) = measures(prefs)?;
    let lottery = crate::lottery::maximal_lottery(&pairwise);
    let mut nlhf = BTreeMap::new();
    let mut alignment_game = BTreeMap::new();
    let mut game_kl = BTreeMap::new();
    let mut best_l = BTreeMap::new();
    let mut fixed_set = BTreeMap::new();
    let merged = m.population.population().merged();
    for &k in ks {
        nlhf.insert(
            k.to_string(),
            NlhfResult {
                robust_win_rate: m.robust_win_rate(&lottery, k),
            },
        );
        let eq = m.equilibrium(k + 1);
        let vs_l = ls
            .iter()
            .map(|&l| {
                let (w, _) = robust_win_rate_vs_l(&m.population, &eq.policy, k, l);
                (l.to_string(), w)
            })
            .collect();
        let mut kl = BTreeMap::new();
        let mut best = BTreeMap::new();
        for &l in ls {
            let wider = m.equilibrium(k + l).policy;
            kl.insert(
                l.to_string(),
                robust_win_rate_vs_l(&m.population, &wider, k, l).0,
            );
            let within = best_policy::check_limits(merged.n(), merged.voters().len(), k, l);
            if within.is_ok() {
                let found = best_policy::best_policy(&merged, k, l, &[eq.policy.clone(), wider], 1);
                best.insert(
                    l.to_string(),
                    BestL {
                        policy: found.policy,
                        value: found.value,
                        kind: SEARCH_BOUND,
                    },
                );
            }
        }
        game_kl.insert(k.to_string(), kl);
        if let Ok((set, value, _)) = crate::arena::fixed_set::best(&merged, k) {
            fixed_set.insert(
                k.to_string(),
                FixedSetResult {
                    set,
                    robust_win_rate: value,
                },
            );
        }
        if !best.is_empty() {
            best_l.insert(k.to_string(), best);
        }
        alignment_game.insert(
            k.to_string(),
            GameResult {
                players: k + 1,
                robust_win_rate: m.robust_win_rate(&eq.policy, k),
                exploitability: eq.exploitability,
                certified: eq.certified,
                solution: crate::page::text::solution(eq.exploitability),
                policy: eq.policy,
                vs_l,
            },
        );
    }
    Ok(CaseResult {
        n,
        labels: prefs.labels().to_vec(),
        pairwise: pairwise.rows(),
        condorcet_winner: pairwise.condorcet_winner(),
        maximal_lottery: lottery,
        nlhf,
        alignment_game,
        game_kl,
        best_l,
        fixed_set,
        fit: fit.map(|f| FitResult {
            max_residual: f.max_residual,
            population: f
                .population
                .voters()
                .iter()
                .map(|v| FittedVoter {
                    weight: v.weight,
                    ranking: v.ranking.flattened(),
                })
                .collect(),
        }),
    })
}

/// A case document as the page opens it (a `population` or a `matrix`, with `labels` and the
/// first of `k`), so a profile that `ualign gap-search` prints opens in the app. The other
/// fields (`expected`, `gap_search`, ...) are left alone.
#[derive(Debug, Clone, Deserialize)]
pub struct CaseDocument {
    #[serde(default)]
    pub labels: Option<Vec<String>>,
    #[serde(default)]
    pub population: Option<Vec<RawVoter>>,
    #[serde(default)]
    pub matrix: Option<Vec<Vec<f64>>>,
    #[serde(default)]
    pub preflib: Option<String>,
    #[serde(default)]
    pub k: Vec<usize>,
}

impl CaseDocument {
    /// The configuration that opens the case: its preferences, at its first k.
    pub fn config(&self) -> Result<crate::config::Config, ModelError> {
        if self.preflib.is_some() {
            return Err(ModelError(
                "this case names a PrefLib file; import that file itself (or run ualign eval on the case)".into(),
            ));
        }
        let parts = CaseParts {
            labels: &self.labels,
            population: &self.population,
            preflib: &None,
            matrix: &self.matrix,
        };
        if self.population.is_some() == self.matrix.is_some() {
            return Err(ModelError(
                "a case needs exactly one of \"population\" or \"matrix\" to open here".into(),
            ));
        }
        let prefs = inline_preferences(&parts)?;
        let config = crate::config::Config {
            k: self
                .k
                .first()
                .copied()
                .unwrap_or(crate::config::Config::default().k),
            custom: Some(crate::config::CustomPreferences::from_preferences(&prefs).into()),
            ..crate::config::Config::default()
        };
        config.validate()?;
        Ok(config)
    }
}
