//! Preferences: weak-order rankings, voter populations and the pairwise matrix they induce.

use serde::{Deserialize, Serialize};
use std::fmt;

mod pairwise;

pub use pairwise::{PairwiseMatrix, PairwiseSum, HALF_TOLERANCE};

/// Hard caps that protect the solvers and the page (docs/architecture.md#limits).
pub mod limits {
    /// Responses are tracked in 64-bit sets, and the editors stay readable.
    pub const MAX_RESPONSES: usize = 64;
    /// Distinct voter types kept after merging identical rankings.
    pub const MAX_VOTER_TYPES: usize = 100_000;
    /// Voter types times responses: bounds the memory a population takes (each ranking
    /// position is stored), whatever the mix of the two caps above.
    pub const MAX_RANKING_CELLS: usize = 1_000_000;
    /// Largest k (copies sampled from a policy); the payoff stays accurate up to here.
    pub const MAX_K: usize = 1024;
    /// Largest number of players in the alignment game (k + 1 for k = MAX_K).
    pub const MAX_PLAYERS: usize = MAX_K + 1;
    /// Largest opponent size l for the exact minimum over opponent multisets.
    pub const MAX_L_EXACT: usize = 3;
    /// Most self-play iterations in one run.
    pub const MAX_ITERATIONS: usize = 1_000_000;
}

/// A problem with preference data, phrased for the person who supplied it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError(pub String);

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ModelError {}

fn err<T>(msg: impl Into<String>) -> Result<T, ModelError> {
    Err(ModelError(msg.into()))
}

/// At least one response and at most `limits::MAX_RESPONSES`.
fn check_response_count(n: usize) -> Result<usize, ModelError> {
    if n == 0 {
        return err("there must be at least one response");
    }
    if n > limits::MAX_RESPONSES {
        return err(format!(
            "{n} responses is over the limit of {} responses",
            limits::MAX_RESPONSES
        ));
    }
    Ok(n)
}

/// A set of responses as a bit mask (responses are 0..MAX_RESPONSES).
pub type ResponseSet = u64;

/// A policy: a probability vector over responses.
pub type Policy = Vec<f64>;

/// The uniform policy over `n` responses.
pub fn uniform(n: usize) -> Policy {
    vec![1.0 / n as f64; n]
}

/// A weak order over all responses: classes of tied responses, best class first.
/// A strict ranking has only singleton classes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ranking {
    classes: Vec<Vec<usize>>,
}

impl Ranking {
    /// A strict ranking, best first. Must be a permutation of 0..n.
    pub fn strict(order: &[usize], n: usize) -> Result<Self, ModelError> {
        Self::weak(order.iter().map(|&y| vec![y]).collect(), n)
    }

    /// A weak order from its classes, best first. Every response 0..n must appear exactly once.
    pub fn weak(classes: Vec<Vec<usize>>, n: usize) -> Result<Self, ModelError> {
        let mut seen = vec![false; n];
        let mut classes: Vec<Vec<usize>> = classes.into_iter().filter(|c| !c.is_empty()).collect();
        for class in &mut classes {
            for &y in class.iter() {
                if y >= n {
                    return err(format!(
                        "ranking names response {} but there are only {n} responses",
                        y + 1
                    ));
                }
                if seen[y] {
                    return err(format!("ranking names response {} twice", y + 1));
                }
                seen[y] = true;
            }
            // Insertion sort: a class is short (mostly one response), and the standard
            // library's sort is 1 KB of each wasm that reads a ranking.
            for i in 1..class.len() {
                let mut j = i;
                while j > 0 && class[j - 1] > class[j] {
                    class.swap(j - 1, j);
                    j -= 1;
                }
            }
        }
        if let Some(missing) = seen.iter().position(|s| !s) {
            return err(format!(
                "ranking leaves out response {} (a ranking must order all {n} responses; tie unranked ones in a last class)",
                missing + 1
            ));
        }
        Ok(Ranking { classes })
    }

    /// The classes of tied responses, best first.
    pub fn classes(&self) -> &[Vec<usize>] {
        &self.classes
    }

    /// Number of responses ranked.
    pub fn len(&self) -> usize {
        self.classes.iter().map(Vec::len).sum()
    }

    /// True for the ranking of zero responses.
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }

    /// True when no two responses are tied.
    pub fn is_strict(&self) -> bool {
        self.classes.iter().all(|c| c.len() == 1)
    }

    /// Position of each response's class (0 = best).
    pub fn class_index(&self) -> Vec<usize> {
        let mut idx = vec![0; self.len()];
        for (c, class) in self.classes.iter().enumerate() {
            for &y in class {
                idx[y] = c;
            }
        }
        idx
    }

    /// The responses in order, ties broken by index (for display and export).
    pub fn flattened(&self) -> Vec<usize> {
        self.classes.iter().flatten().copied().collect()
    }
}

impl Serialize for Ranking {
    /// A strict ranking serializes as `[0, 2, 1]`; tied classes as nested lists `[[0, 2], 1]`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.classes.len()))?;
        for class in &self.classes {
            if class.len() == 1 {
                seq.serialize_element(&class[0])?;
            } else {
                seq.serialize_element(class)?;
            }
        }
        seq.end()
    }
}

/// One element of a serialized ranking: a response or a class of tied responses.
#[derive(Deserialize)]
#[serde(untagged)]
enum RankItem {
    One(usize),
    Tied(Vec<usize>),
}

/// A ranking as read from JSON, before its responses are checked against n.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRanking(pub Vec<Vec<usize>>);

impl Serialize for RawRanking {
    /// Singleton classes as plain numbers, tied classes as nested lists, like `Ranking`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for class in &self.0 {
            if class.len() == 1 {
                seq.serialize_element(&class[0])?;
            } else {
                seq.serialize_element(class)?;
            }
        }
        seq.end()
    }
}

impl From<&Ranking> for RawRanking {
    fn from(r: &Ranking) -> Self {
        RawRanking(r.classes().to_vec())
    }
}

impl<'de> Deserialize<'de> for RawRanking {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items = Vec::<RankItem>::deserialize(d)?;
        Ok(RawRanking(
            items
                .into_iter()
                .map(|i| match i {
                    RankItem::One(y) => vec![y],
                    RankItem::Tied(c) => c,
                })
                .collect(),
        ))
    }
}

/// A voter type: a weight (how many voters, or what share) and their ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Voter {
    pub weight: f64,
    pub ranking: Ranking,
}

/// A population of voter types over `n` labelled responses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Population {
    labels: Vec<String>,
    voters: Vec<Voter>,
}

impl Population {
    /// Checks labels, weights and rankings. Weights must be finite and non-negative with a
    /// positive total; they are kept as given (raw counts stay exact) and normalized on use.
    pub fn new(labels: Vec<String>, voters: Vec<Voter>) -> Result<Self, ModelError> {
        let n = check_response_count(labels.len())?;
        if voters.is_empty() {
            return err("the population has no voters");
        }
        if voters.len() > limits::MAX_VOTER_TYPES {
            return err(format!(
                "{} voter types is over the limit of {} voter types",
                voters.len(),
                limits::MAX_VOTER_TYPES
            ));
        }
        if voters.len().saturating_mul(n) > limits::MAX_RANKING_CELLS {
            return err(format!(
                "{} voter types over {n} responses is over the limit of {} ranking entries (voter types x responses)",
                voters.len(),
                limits::MAX_RANKING_CELLS
            ));
        }
        let mut total = 0.0;
        for (i, v) in voters.iter().enumerate() {
            if !v.weight.is_finite() || v.weight < 0.0 {
                return err(format!(
                    "voter type {} has weight {}; weights must be finite and at least 0",
                    i + 1,
                    v.weight
                ));
            }
            if v.ranking.len() != n {
                return err(format!(
                    "voter type {} ranks {} responses, but there are {n}",
                    i + 1,
                    v.ranking.len()
                ));
            }
            total += v.weight;
        }
        if total <= 0.0 || !total.is_finite() {
            return err(
                "the voter weights add up to zero (or overflow); give some voter a positive weight",
            );
        }
        Ok(Population { labels, voters })
    }

    /// Builds a population from raw (unchecked) rankings, as read from JSON.
    pub fn from_raw(
        labels: Vec<String>,
        voters: Vec<(f64, RawRanking)>,
    ) -> Result<Self, ModelError> {
        let n = labels.len();
        let voters = voters
            .into_iter()
            .enumerate()
            .map(|(i, (weight, raw))| {
                Ranking::weak(raw.0, n)
                    .map(|ranking| Voter { weight, ranking })
                    .map_err(|e| ModelError(format!("voter type {}: {e}", i + 1)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Population::new(labels, voters)
    }

    /// Number of responses.
    pub fn n(&self) -> usize {
        self.labels.len()
    }

    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn voters(&self) -> &[Voter] {
        &self.voters
    }

    /// Sum of the raw weights.
    pub fn total_weight(&self) -> f64 {
        self.voters.iter().map(|v| v.weight).sum()
    }

    /// The same population with identical rankings merged (weights added) and zero weights
    /// dropped, heaviest first (ties by ranking, so the order is deterministic).
    pub fn merged(&self) -> Population {
        let mut map: std::collections::BTreeMap<&Ranking, f64> = Default::default();
        for v in &self.voters {
            if v.weight > 0.0 {
                *map.entry(&v.ranking).or_insert(0.0) += v.weight;
            }
        }
        let mut voters: Vec<Voter> = map
            .into_iter()
            .map(|(r, w)| Voter {
                weight: w,
                ranking: r.clone(),
            })
            .collect();
        voters.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        Population {
            labels: self.labels.clone(),
            voters,
        }
    }
}

/// Either kind of preference input the tool accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum Preferences {
    Population(Population),
    Matrix(PairwiseMatrix),
}

impl Preferences {
    pub fn n(&self) -> usize {
        match self {
            Preferences::Population(p) => p.n(),
            Preferences::Matrix(m) => m.n(),
        }
    }

    pub fn labels(&self) -> &[String] {
        match self {
            Preferences::Population(p) => p.labels(),
            Preferences::Matrix(m) => m.labels(),
        }
    }

    pub fn pairwise(&self) -> PairwiseMatrix {
        match self {
            Preferences::Population(p) => p.pairwise(),
            Preferences::Matrix(m) => m.clone(),
        }
    }
}

/// Default labels "1", "2", ... for unlabeled data.
pub fn default_labels(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("Response {i}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pop(voters: &[(f64, &[usize])], n: usize) -> Population {
        Population::new(
            default_labels(n),
            voters
                .iter()
                .map(|(w, r)| Voter {
                    weight: *w,
                    ranking: Ranking::strict(r, n).unwrap(),
                })
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn a_weak_orders_classes_are_kept_in_increasing_order() {
        // Equal as orders whatever order the ties were listed in (the insertion sort).
        let r = Ranking::weak(vec![vec![5, 3, 4, 0], vec![], vec![2, 1]], 6).unwrap();
        assert_eq!(r.classes(), [vec![0, 3, 4, 5], vec![1, 2]]);
        let listed = Ranking::weak(vec![vec![0, 3, 5, 4], vec![1, 2]], 6).unwrap();
        assert_eq!(r, listed);
        let mut long: Vec<usize> = (0..64).rev().collect();
        long.swap(10, 40);
        let r = Ranking::weak(vec![long], 64).unwrap();
        assert_eq!(r.classes()[0], (0..64).collect::<Vec<_>>());
    }

    #[test]
    fn exact_tie_is_not_a_condorcet_winner() {
        // 30 individual voters with normalized weights 1/30: a 15-15 tie must stay a tie.
        let third = 1.0 / 30.0;
        let mut voters: Vec<(f64, &[usize])> = vec![(third, &[0, 1]); 15];
        voters.extend(vec![(third, &[1usize, 0] as &[usize]); 15]);
        let m = pop(&voters, 2).pairwise();
        assert!((m.get(0, 1) - 0.5).abs() < 1e-15);
        assert_eq!(m.condorcet_winner(), None);
        voters.push((third, &[0, 1]));
        assert_eq!(pop(&voters, 2).pairwise().condorcet_winner(), Some(0));
    }

    #[test]
    fn ties_count_half() {
        let n = 3;
        let r = Ranking::weak(vec![vec![0, 2], vec![1]], n).unwrap();
        let p = Population::new(
            default_labels(n),
            vec![Voter {
                weight: 1.0,
                ranking: r,
            }],
        )
        .unwrap();
        let m = p.pairwise();
        assert_eq!(m.get(0, 2), 0.5);
        assert_eq!(m.get(0, 1), 1.0);
        assert_eq!(m.get(1, 2), 0.0);
    }

    #[test]
    fn bad_rankings_are_refused() {
        assert!(Ranking::strict(&[0, 0, 1], 3).is_err());
        assert!(Ranking::strict(&[0, 1], 3).is_err());
        assert!(Ranking::strict(&[0, 1, 3], 3).is_err());
    }

    #[test]
    fn matrix_checks() {
        let l = default_labels(2);
        assert!(PairwiseMatrix::new(l.clone(), vec![vec![0.5, 0.7], vec![0.3, 0.5]]).is_ok());
        assert!(PairwiseMatrix::new(l.clone(), vec![vec![0.5, 0.7], vec![0.4, 0.5]]).is_err());
        assert!(PairwiseMatrix::new(l.clone(), vec![vec![0.5, 1.7], vec![-0.7, 0.5]]).is_err());
        assert!(PairwiseMatrix::new(l, vec![vec![0.5, f64::NAN], vec![0.3, 0.5]]).is_err());
    }

    #[test]
    fn merged_adds_weights() {
        let p = pop(&[(1.0, &[0, 1]), (2.0, &[1, 0]), (3.0, &[0, 1])], 2).merged();
        assert_eq!(p.voters().len(), 2);
        assert_eq!(p.voters()[0].weight, 4.0);
    }
}
