//! The pairwise matrix: P[i][j] read from a population voter by voter, or given as data.

use super::{check_response_count, err, ModelError, Population};
use serde::Serialize;

impl Population {
    /// The pairwise matrix: P[i][j] = share of voters ranking i above j plus half the share
    /// tying them. Accumulated from raw weights and divided once, so exact ties stay exact.
    pub fn pairwise(&self) -> PairwiseMatrix {
        let mut sum = PairwiseSum::new(self.n());
        loop {
            if let Some(p) = self.advance_pairwise(&mut sum, &mut || false) {
                return p;
            }
        }
    }

    /// Adds voters to `sum` while `out_of_time()` says no (asked between chunks of voters,
    /// never before the first); the pairwise matrix once every voter is in. The voters are
    /// added in order however the work is sliced, so the matrix is `pairwise()` bit for bit.
    pub fn advance_pairwise(
        &self,
        sum: &mut PairwiseSum,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> Option<PairwiseMatrix> {
        let n = self.n();
        let mut first = true;
        while sum.next < self.voters.len() {
            if !std::mem::take(&mut first) && out_of_time() {
                return None;
            }
            // About 2^20 comparisons between two looks at the budget.
            let end = (sum.next + ((1 << 20) / (n * n)).max(1)).min(self.voters.len());
            for v in &self.voters[sum.next..end] {
                if v.weight == 0.0 {
                    continue;
                }
                let idx = v.ranking.class_index();
                for i in 0..n {
                    for j in 0..n {
                        if idx[i] < idx[j] {
                            sum.above[i * n + j] += v.weight;
                        } else if idx[i] == idx[j] && i != j {
                            sum.tied[i * n + j] += v.weight;
                        }
                    }
                }
            }
            sum.next = end;
        }
        let (above, tied) = (&sum.above, &sum.tied);
        let total = self.total_weight();
        let mut p = vec![0.5; n * n];
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    // 2*above + tied over 2*total: one division of exact sums.
                    p[i * n + j] = (2.0 * above[i * n + j] + tied[i * n + j]) / (2.0 * total);
                }
            }
        }
        Some(PairwiseMatrix {
            labels: self.labels.clone(),
            p,
        })
    }
}

/// The pairwise matrix of a population being summed voter by voter (0.15-0.2 s in one call
/// at the size limits, 64 responses x 15,000 voter types).
#[derive(Debug, Clone, PartialEq)]
pub struct PairwiseSum {
    /// Weight ranking i strictly above j, and tying i with j (i != j), row-major.
    above: Vec<f64>,
    tied: Vec<f64>,
    /// The first voter not added yet.
    next: usize,
}

impl PairwiseSum {
    /// An empty sum over `n` responses.
    pub fn new(n: usize) -> Self {
        PairwiseSum {
            above: vec![0.0; n * n],
            tied: vec![0.0; n * n],
            next: 0,
        }
    }
}

/// Tolerance for comparing a pairwise probability with 1/2.
pub const HALF_TOLERANCE: f64 = 1e-12;

/// A pairwise preference matrix: P[i][j] = probability that i is preferred to j.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairwiseMatrix {
    labels: Vec<String>,
    /// Row-major n x n.
    p: Vec<f64>,
}

impl PairwiseMatrix {
    /// Checks shape, range [0, 1], P[i][i] = 1/2 and P[i][j] + P[j][i] = 1 (within 1e-9).
    pub fn new(labels: Vec<String>, rows: Vec<Vec<f64>>) -> Result<Self, ModelError> {
        let n = check_response_count(labels.len())?;
        if rows.len() != n {
            return err(format!("the matrix has {} rows but {n} labels", rows.len()));
        }
        let mut p = Vec::with_capacity(n * n);
        for (i, row) in rows.iter().enumerate() {
            if row.len() != n {
                return err(format!(
                    "row {} has {} entries; the matrix must be {n} x {n}",
                    i + 1,
                    row.len()
                ));
            }
            for (j, &x) in row.iter().enumerate() {
                if !x.is_finite() || !(0.0..=1.0).contains(&x) {
                    return err(format!(
                        "entry ({}, {}) is {x}; entries must be probabilities between 0 and 1",
                        i + 1,
                        j + 1
                    ));
                }
                p.push(x);
            }
        }
        for i in 0..n {
            if (p[i * n + i] - 0.5).abs() > 1e-9 {
                return err(format!(
                    "diagonal entry ({0}, {0}) is {1}; it must be 0.5",
                    i + 1,
                    p[i * n + i]
                ));
            }
            p[i * n + i] = 0.5;
            for j in (i + 1)..n {
                let s = p[i * n + j] + p[j * n + i];
                if (s - 1.0).abs() > 1e-9 {
                    return err(format!(
                        "entries ({a}, {b}) and ({b}, {a}) add up to {s}; they must add up to 1",
                        a = i + 1,
                        b = j + 1
                    ));
                }
                p[j * n + i] = 1.0 - p[i * n + j];
            }
        }
        Ok(PairwiseMatrix { labels, p })
    }

    pub fn n(&self) -> usize {
        self.labels.len()
    }

    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// P[i][j].
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.p[i * self.n() + j]
    }

    /// The matrix as rows.
    pub fn rows(&self) -> Vec<Vec<f64>> {
        self.p.chunks(self.n()).map(<[f64]>::to_vec).collect()
    }

    /// Row-major entries.
    pub fn as_slice(&self) -> &[f64] {
        &self.p
    }

    /// (P pi)_y: the expected preference of y over a response drawn from pi.
    pub fn times(&self, pi: &[f64]) -> Vec<f64> {
        let n = self.n();
        (0..n)
            .map(|i| (0..n).map(|j| self.p[i * n + j] * pi[j]).sum())
            .collect()
    }

    /// The response that beats every other one strictly (P > 1/2 beyond the tolerance).
    pub fn condorcet_winner(&self) -> Option<usize> {
        let n = self.n();
        (0..n).find(|&c| (0..n).all(|y| y == c || self.get(c, y) > 0.5 + HALF_TOLERANCE))
    }

    /// Sets P[i][j] = x and P[j][i] = 1 - x, refusing values outside [0, 1] and the diagonal.
    pub fn set(&mut self, i: usize, j: usize, x: f64) -> Result<(), ModelError> {
        let n = self.n();
        if i >= n || j >= n {
            return err(format!("there is no entry ({}, {})", i + 1, j + 1));
        }
        if i == j {
            return err("diagonal entries are always 0.5");
        }
        if !x.is_finite() || !(0.0..=1.0).contains(&x) {
            return err(format!("{x} is not a probability between 0 and 1"));
        }
        self.p[i * n + j] = x;
        self.p[j * n + i] = 1.0 - x;
        Ok(())
    }
}
