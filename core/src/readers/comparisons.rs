//! CSV pairwise comparisons (`left,right,winner`), turned into a win-fraction matrix on the
//! largest set of items in which every pair was compared.

use super::csv::{Record, Records};
use super::*;
/// Pairwise comparison counts read from a comparisons CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparisons {
    /// Items in order of first appearance.
    pub labels: Vec<String>,
    /// wins[i][j] = times i was preferred to j; a tie adds 1/2 to both wins[i][j] and wins[j][i].
    pub wins: Vec<Vec<f64>>,
    /// counts[i][j] = counts[j][i] = times i and j were compared.
    pub counts: Vec<Vec<f64>>,
}

#[derive(Clone, Copy)]
pub(super) enum Outcome {
    Left,
    Right,
    Tie,
}

/// Reads a CSV of pairwise comparisons. The header must name columns `left`, `right` and
/// `winner` (any order, any case; other columns are ignored); `winner` is `left`, `right` or
/// `tie`.
pub fn read_comparisons_csv(text: &str) -> Result<Comparisons, ReadError> {
    comparisons_from_records(csv_records(text)?)
}

pub(super) fn column(header: &Record, name: &str) -> Result<Option<usize>, ReadError> {
    let mut found = None;
    for (i, c) in header.cells.iter().enumerate() {
        if c.eq_ignore_ascii_case(name) {
            if found.is_some() {
                return Err(ReadError::at(
                    header.line,
                    format!("the header names the column '{name}' twice"),
                ));
            }
            found = Some(i);
        }
    }
    Ok(found)
}

/// Indices of the left, right and winner columns, when the record is a comparisons header.
pub(super) fn comparison_columns(header: &Record) -> Result<Option<[usize; 3]>, ReadError> {
    Ok(
        match (
            column(header, "left")?,
            column(header, "right")?,
            column(header, "winner")?,
        ) {
            (Some(l), Some(r), Some(w)) => Some([l, r, w]),
            _ => None,
        },
    )
}

pub(super) fn comparisons_from_records(mut records: Records<'_>) -> Result<Comparisons, ReadError> {
    let header = match records.next() {
        None => return Err(ReadError::whole("the file is empty")),
        Some(h) => h?,
    };
    let Some([lc, rc, wc]) = comparison_columns(&header)? else {
        let missing: Vec<&str> = ["left", "right", "winner"]
            .into_iter()
            .filter(|name| !header.cells.iter().any(|c| c.eq_ignore_ascii_case(name)))
            .collect();
        return Err(ReadError::at(
            header.line,
            format!(
                "missing header: the first row must name the columns left, right and winner (missing {})",
                missing.join(", ")
            ),
        ));
    };
    let mut labels: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // Grown as items appear; indices come from `index`, so they are always in range.
    let mut wins: Vec<Vec<f64>> = Vec::new();
    let mut counts: Vec<Vec<f64>> = Vec::new();
    let mut any = false;
    for rec in records {
        let rec = rec?;
        let cell = |i: usize, name: &str| {
            rec.cells.get(i).ok_or_else(|| {
                ReadError::at(
                    rec.line,
                    format!(
                        "the row has {} cells and no '{name}' column (column {})",
                        rec.cells.len(),
                        i + 1
                    ),
                )
            })
        };
        let left = cell(lc, "left")?;
        let right = cell(rc, "right")?;
        let winner = cell(wc, "winner")?;
        if left.is_empty() || right.is_empty() {
            return Err(ReadError::at(rec.line, "an item name is empty"));
        }
        if left == right {
            return Err(ReadError::at(
                rec.line,
                format!("the row compares {} with itself", quote(left)),
            ));
        }
        let outcome = match winner.to_ascii_lowercase().as_str() {
            "left" => Outcome::Left,
            "right" => Outcome::Right,
            "tie" => Outcome::Tie,
            _ => {
                return Err(ReadError::at(
                    rec.line,
                    format!("winner is {}; expected left, right or tie", quote(winner)),
                ))
            }
        };
        let mut intern = |name: &String| -> Result<usize, ReadError> {
            if let Some(&i) = index.get(name) {
                return Ok(i);
            }
            if labels.len() >= MAX_COMPARISON_ITEMS {
                return Err(ReadError::at(
                    rec.line,
                    format!(
                        "more than {MAX_COMPARISON_ITEMS} distinct items; the limit is {MAX_COMPARISON_ITEMS}"
                    ),
                ));
            }
            labels.push(name.clone());
            index.insert(name.clone(), labels.len() - 1);
            for row in wins.iter_mut().chain(counts.iter_mut()) {
                row.push(0.0);
            }
            wins.push(vec![0.0; labels.len()]);
            counts.push(vec![0.0; labels.len()]);
            Ok(labels.len() - 1)
        };
        let i = intern(left)?;
        let j = intern(right)?;
        counts[i][j] += 1.0;
        counts[j][i] += 1.0;
        match outcome {
            Outcome::Left => wins[i][j] += 1.0,
            Outcome::Right => wins[j][i] += 1.0,
            Outcome::Tie => {
                wins[i][j] += 0.5;
                wins[j][i] += 0.5;
            }
        }
        any = true;
    }
    if !any {
        return Err(ReadError::at(
            header.line,
            "the file has a header but no comparisons",
        ));
    }
    Ok(Comparisons {
        labels,
        wins,
        counts,
    })
}

impl Comparisons {
    /// The win-fraction matrix on the largest set of items in which every pair was compared at
    /// least once: P[i][j] = wins[i][j] / counts[i][j] (one division of raw counts).
    ///
    /// The set is a maximum clique of the "compared at least once" graph, found exactly by
    /// Bron–Kerbosch with pivoting and a size bound. Among several maximum cliques the one with
    /// the most comparisons inside it wins, then the one whose sorted labels come first
    /// lexicographically. Items keep their first-appearance order.
    pub fn complete_matrix(&self) -> Result<PairwiseMatrix, ReadError> {
        let n = self.labels.len();
        if n == 0 {
            return Err(ReadError::whole("there are no items"));
        }
        if n > MAX_COMPARISON_ITEMS {
            return Err(ReadError::whole(format!(
                "{n} items is over the limit of {MAX_COMPARISON_ITEMS} items"
            )));
        }
        let square = |m: &Vec<Vec<f64>>| m.len() == n && m.iter().all(|r| r.len() == n);
        if !square(&self.wins) || !square(&self.counts) {
            return Err(ReadError::whole(format!(
                "the win and count tables must both be {n} x {n}, one row and column per item"
            )));
        }
        for (i, (wr, cr)) in self.wins.iter().zip(&self.counts).enumerate() {
            for (j, (&w, &c)) in wr.iter().zip(cr).enumerate() {
                if !(w.is_finite() && c.is_finite() && w >= 0.0 && c >= 0.0 && w <= c) {
                    return Err(ReadError::whole(format!(
                        "inconsistent counts for {} against {}: {w} wins in {c} comparisons",
                        quote(self.labels.get(i).map_or("", String::as_str)),
                        quote(self.labels.get(j).map_or("", String::as_str)),
                    )));
                }
            }
        }
        let words = n.div_ceil(64);
        let mut adj = vec![vec![0u64; words]; n];
        let mut any_edge = false;
        for (i, row) in adj.iter_mut().enumerate() {
            for j in 0..n {
                if i != j && self.counts[i][j] > 0.0 && self.counts[j][i] > 0.0 {
                    row[j / 64] |= 1u64 << (j % 64);
                    any_edge = true;
                }
            }
        }
        if !any_edge {
            return Err(ReadError::whole("no pair of items was compared"));
        }
        let mut search = CliqueSearch {
            adj: &adj,
            counts: &self.counts,
            labels: &self.labels,
            best: Vec::new(),
            best_score: 0.0,
            work: 0,
        };
        let mut all = vec![0u64; words];
        for i in 0..n {
            all[i / 64] |= 1u64 << (i % 64);
        }
        let mut r = Vec::new();
        let outcome = search.expand(&mut r, all, vec![0u64; words]);
        if outcome.is_err() {
            return Err(ReadError::whole(
                "the comparisons are too tangled to find the largest fully compared set of items \
                 within the work limit; compare more pairs or leave some items out",
            ));
        }
        let mut clique = search.best;
        clique.sort_unstable();
        if clique.len() > limits::MAX_RESPONSES {
            return Err(ReadError::whole(format!(
                "the largest fully compared set has {} items, over the limit of {} responses",
                clique.len(),
                limits::MAX_RESPONSES
            )));
        }
        let labels: Vec<String> = clique.iter().map(|&i| self.labels[i].clone()).collect();
        let rows: Vec<Vec<f64>> = clique
            .iter()
            .map(|&i| {
                clique
                    .iter()
                    .map(|&j| {
                        if i == j {
                            0.5
                        } else {
                            self.wins[i][j] / self.counts[i][j]
                        }
                    })
                    .collect()
            })
            .collect();
        Ok(PairwiseMatrix::new(labels, rows)?)
    }
}

/// Exact maximum-clique search (Bron–Kerbosch, Tomita pivoting, pruned by the best size so far).
pub(super) struct CliqueSearch<'a> {
    adj: &'a [Vec<u64>],
    counts: &'a [Vec<f64>],
    labels: &'a [String],
    best: Vec<usize>,
    best_score: f64,
    work: u64,
}

pub(super) fn popcount(set: &[u64]) -> usize {
    set.iter().map(|w| w.count_ones() as usize).sum()
}

pub(super) fn members(set: &[u64]) -> Vec<usize> {
    let mut out = Vec::new();
    for (k, &w) in set.iter().enumerate() {
        let mut w = w;
        while w != 0 {
            let b = w.trailing_zeros() as usize;
            out.push(k * 64 + b);
            w &= w - 1;
        }
    }
    out
}

pub(super) fn intersect(a: &[u64], b: &[u64]) -> Vec<u64> {
    a.iter().zip(b).map(|(x, y)| x & y).collect()
}

impl CliqueSearch<'_> {
    pub(super) fn expand(
        &mut self,
        r: &mut Vec<usize>,
        mut p: Vec<u64>,
        mut x: Vec<u64>,
    ) -> Result<(), ()> {
        // Every call costs a fixed amount (allocations, the leaf check) plus the words it scans.
        self.work += CLIQUE_CALL_COST + r.len() as u64;
        if self.work > CLIQUE_WORK_BUDGET {
            return Err(());
        }
        let p_size = popcount(&p);
        if r.len() + p_size < self.best.len() {
            return Ok(());
        }
        if p_size == 0 {
            if x.iter().all(|&w| w == 0) {
                // Scoring sums the pairs and may sort the labels.
                let k = r.len() as u64;
                self.work += k * k + 32 * k;
                self.consider(r);
            }
            return Ok(());
        }
        // Pivot: the vertex of P ∪ X with the most neighbours in P.
        let union: Vec<u64> = p.iter().zip(&x).map(|(a, b)| a | b).collect();
        let candidates_for_pivot = members(&union);
        self.work += (candidates_for_pivot.len() as u64 + 1) * p.len() as u64;
        if self.work > CLIQUE_WORK_BUDGET {
            return Err(());
        }
        let mut pivot = 0;
        let mut pivot_degree = 0;
        let mut first = true;
        for &u in &candidates_for_pivot {
            let d: usize = self.adj[u]
                .iter()
                .zip(&p)
                .map(|(a, b)| (a & b).count_ones() as usize)
                .sum();
            if first || d > pivot_degree {
                pivot = u;
                pivot_degree = d;
                first = false;
            }
        }
        let outside: Vec<u64> = p
            .iter()
            .zip(&self.adj[pivot])
            .map(|(a, b)| a & !b)
            .collect();
        for v in members(&outside) {
            if r.len() + popcount(&p) < self.best.len() {
                break;
            }
            r.push(v);
            let np = intersect(&p, &self.adj[v]);
            let nx = intersect(&x, &self.adj[v]);
            let result = self.expand(r, np, nx);
            r.pop();
            result?;
            p[v / 64] &= !(1u64 << (v % 64));
            x[v / 64] |= 1u64 << (v % 64);
        }
        Ok(())
    }

    pub(super) fn score(&self, clique: &[usize]) -> f64 {
        let mut s = 0.0;
        for (a, &i) in clique.iter().enumerate() {
            for &j in clique.iter().skip(a + 1) {
                s += self.counts[i][j];
            }
        }
        s
    }

    pub(super) fn sorted_labels(&self, clique: &[usize]) -> Vec<&str> {
        let mut v: Vec<&str> = clique.iter().map(|&i| self.labels[i].as_str()).collect();
        v.sort_unstable();
        v
    }

    pub(super) fn consider(&mut self, r: &[usize]) {
        use std::cmp::Ordering;
        let score = self.score(r);
        let better = match r.len().cmp(&self.best.len()) {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => match score.total_cmp(&self.best_score) {
                Ordering::Greater => true,
                Ordering::Less => false,
                Ordering::Equal => self.sorted_labels(r) < self.sorted_labels(&self.best),
            },
        };
        if better {
            self.best = r.to_vec();
            self.best_score = score;
        }
    }
}
