//! NLHF's equilibrium: the maximal lottery of a pairwise matrix, by an exact dense simplex.
//!
//! A maximal lottery is a policy pi with sum_i pi_i P[i][j] >= 1/2 for every j: the optimal
//! strategy of the symmetric zero-sum game with payoff P - 1/2, whose value is 0.
//!
//! Linear program: with A = P + 1/2 (entries in [1/2, 3/2], so the game value is exactly 1),
//! maximize sum_j y_j subject to A y <= 1, y >= 0. The slack basis is feasible, so no phase 1
//! is needed, and since A[i][j] = 3/2 - A[j][i] the constraint A y <= 1 with sum y = 1 reads
//! sum_j y_j P[j][i] >= 1/2: the optimal y is itself a maximal lottery, with no rescaling.

use crate::model::{PairwiseMatrix, Policy};

/// A reduced cost must exceed this for a column to enter (objective coefficients are 1).
const COST_TOL: f64 = 1e-12;
/// Smallest pivot element accepted (tableau entries are of order 1): smaller pivots amplify
/// rounding errors enormously on near-tied matrices.
const PIVOT_TOL: f64 = 1e-9;
/// Primal infeasibility the Harris ratio test may allow in exchange for a larger pivot.
const FEAS_TOL: f64 = 1e-11;
/// Pivots between recomputations of the tableau from the original data.
const REFRESH_EVERY: usize = 16;

/// The maximal lottery of `p` (NLHF's equilibrium policy).
///
/// Deterministic: the same matrix always gives the same policy. When the maximal lottery is not
/// unique (e.g. exact pairwise ties), the result is the vertex the simplex method reaches first
/// under its fixed pivot rules. Never panics and never loops forever: pivots are capped at
/// 50 n^2 (far above what occurs), after which the best feasible point found is returned.
pub fn maximal_lottery(p: &PairwiseMatrix) -> Policy {
    let n = p.n();
    if n <= 1 {
        return vec![1.0; n];
    }
    let a: Vec<f64> = p.as_slice().iter().map(|x| x + 0.5).collect();
    let mut best: Option<(f64, Policy)> = None;
    // The fast rule first; the slow, cycle-proof Bland rule only if rounding defeated it.
    for bland_only in [false, true] {
        if let Some(pi) = polish(simplex(&a, n, bland_only)) {
            let gap = game_value_gap(p, &pi);
            if best.as_ref().is_none_or(|(g, _)| gap < *g) {
                best = Some((gap, pi));
            }
        }
        if best.as_ref().is_some_and(|(g, _)| *g <= 1e-12) {
            break;
        }
    }
    // Uniform is the last resort if every run went numerically wrong (not seen for a valid
    // matrix, but the page must never crash).
    best.map(|(_, pi)| pi)
        .unwrap_or_else(|| vec![1.0 / n as f64; n])
}

/// NLHF exploitability of `pi`: 1/2 - min_j sum_i pi_i P[i][j], clamped at 0.
///
/// It is zero exactly when `pi` is a maximal lottery; otherwise it is how far below 1/2 the
/// best single response pushes `pi`'s win rate. A `pi` of the wrong length or with non-finite
/// entries gets infinity (it is no policy for this matrix).
pub fn game_value_gap(p: &PairwiseMatrix, pi: &[f64]) -> f64 {
    let n = p.n();
    if pi.len() != n || pi.iter().any(|x| !x.is_finite()) {
        return f64::INFINITY;
    }
    let worst = (0..n)
        .map(|j| (0..n).map(|i| pi[i] * p.get(i, j)).sum::<f64>())
        .fold(f64::INFINITY, f64::min);
    (0.5 - worst).max(0.0)
}

/// Dense simplex tableau for max 1^T y s.t. A y + s = 1, (y, s) >= 0.
struct Tableau {
    n: usize,
    /// n rows of [B^-1 A | B^-1 | B^-1 1], width 2n + 1.
    t: Vec<f64>,
    /// Reduced costs of the 2n columns.
    d: Vec<f64>,
    /// Basic variable of each row (y_j is j, slack of row i is n + i).
    basis: Vec<usize>,
}

impl Tableau {
    fn cols(&self) -> usize {
        2 * self.n + 1
    }

    fn rhs(&self, r: usize) -> f64 {
        self.t[r * self.cols() + 2 * self.n]
    }

    /// Recomputes the tableau from A and the current basis (Gaussian elimination with partial
    /// pivoting), discarding the rounding that pivots accumulated. False if the basis is
    /// numerically singular (the tableau is then left as it was).
    fn refresh(&mut self, a: &[f64]) -> bool {
        let n = self.n;
        let cols = self.cols();
        let w = n + cols; // [B | A | I | 1]
        let mut m = vec![0.0; n * w];
        for r in 0..n {
            let row = &mut m[r * w..(r + 1) * w];
            for (c, &b) in self.basis.iter().enumerate() {
                row[c] = column_entry(a, n, b, r);
            }
            row[n..2 * n].copy_from_slice(&a[r * n..(r + 1) * n]);
            row[2 * n + r] = 1.0;
            row[w - 1] = 1.0;
        }
        for c in 0..n {
            let Some(piv) =
                (c..n).max_by(|&x, &y| m[x * w + c].abs().total_cmp(&m[y * w + c].abs()))
            else {
                return false;
            };
            if m[piv * w + c].is_nan() || m[piv * w + c].abs() <= 1e-12 {
                return false;
            }
            if piv != c {
                for k in 0..w {
                    m.swap(piv * w + k, c * w + k);
                }
            }
            let inv = 1.0 / m[c * w + c];
            for k in c..w {
                m[c * w + k] *= inv;
            }
            for r in 0..n {
                let f = m[r * w + c];
                if r != c && f != 0.0 {
                    for k in c..w {
                        m[r * w + k] -= f * m[c * w + k];
                    }
                }
            }
        }
        let mut t = vec![0.0; n * cols];
        for r in 0..n {
            t[r * cols..(r + 1) * cols].copy_from_slice(&m[r * w + n..(r + 1) * w]);
            // Rounding-level negatives in the basic solution are zeros.
            if t[r * cols + 2 * n] < 0.0 && t[r * cols + 2 * n] > -100.0 * FEAS_TOL {
                t[r * cols + 2 * n] = 0.0;
            }
            // Basic columns are exact unit vectors.
            for (rr, &b) in self.basis.iter().enumerate() {
                t[r * cols + b] = if rr == r { 1.0 } else { 0.0 };
            }
        }
        if t.iter().any(|x| !x.is_finite()) {
            return false;
        }
        self.t = t;
        // d_j = c_j - sum_r c_basis(r) T[r][j], with c = 1 on y and 0 on slacks.
        for j in 0..2 * n {
            let mut dj = if j < n { 1.0 } else { 0.0 };
            for (r, &b) in self.basis.iter().enumerate() {
                if b < n {
                    dj -= self.t[r * cols + j];
                }
            }
            self.d[j] = dj;
        }
        for &b in &self.basis {
            self.d[b] = 0.0;
        }
        true
    }

    /// Gauss-Jordan pivot on row `l`, column `e`, updating the reduced costs too.
    fn pivot(&mut self, l: usize, e: usize) {
        let (n, cols) = (self.n, self.cols());
        let t = &mut self.t;
        let inv = 1.0 / t[l * cols + e];
        for c in 0..cols {
            t[l * cols + c] *= inv;
        }
        t[l * cols + e] = 1.0;
        let prow: Vec<f64> = t[l * cols..(l + 1) * cols].to_vec();
        for r in 0..n {
            let f = t[r * cols + e];
            if r != l && f != 0.0 {
                for c in 0..cols {
                    t[r * cols + c] -= f * prow[c];
                }
                t[r * cols + e] = 0.0;
            }
        }
        let f = self.d[e];
        if f != 0.0 {
            for (dc, pc) in self.d.iter_mut().zip(&prow) {
                *dc -= f * pc;
            }
            self.d[e] = 0.0;
        }
        self.basis[l] = e;
    }

    /// The leaving row for entering column `e`, or None if no row bounds it.
    ///
    /// Harris's two-pass test by default: find the largest step that keeps every basic
    /// variable above -FEAS_TOL, then among the rows that block within it take the largest
    /// pivot. With `bland`, the exact minimum ratio, ties to the smallest basic index.
    fn leaving_row(&self, e: usize, bland: bool) -> Option<usize> {
        let cols = self.cols();
        let col = |r: usize| self.t[r * cols + e];
        let rows = (0..self.n).filter(|&r| col(r) > PIVOT_TOL);
        if bland {
            let mut best: Option<(usize, f64)> = None;
            for r in rows {
                let ratio = self.rhs(r).max(0.0) / col(r);
                best = match best {
                    Some((br, bratio)) => {
                        let tie = (ratio - bratio).abs() <= 1e-12 * (1.0 + bratio);
                        if (tie && self.basis[r] < self.basis[br]) || (!tie && ratio < bratio) {
                            Some((r, ratio))
                        } else {
                            Some((br, bratio))
                        }
                    }
                    None => Some((r, ratio)),
                };
            }
            return best.map(|(r, _)| r);
        }
        let bound = rows
            .clone()
            .map(|r| (self.rhs(r).max(0.0) + FEAS_TOL) / col(r))
            .fold(f64::INFINITY, f64::min);
        rows.filter(|&r| self.rhs(r).max(0.0) / col(r) <= bound)
            .fold(None, |acc: Option<usize>, r| match acc {
                Some(b) if col(b) >= col(r) => Some(b),
                _ => Some(r),
            })
    }
}

/// Entry (row r) of column b of [A | I].
fn column_entry(a: &[f64], n: usize, b: usize, r: usize) -> f64 {
    if b < n {
        a[r * n + b]
    } else if b - n == r {
        1.0
    } else {
        0.0
    }
}

/// Primal simplex from the slack basis (feasible since the right-hand side is 1 >= 0); returns
/// the final basic y.
///
/// Pivot rule: Dantzig's largest reduced cost with Harris's ratio test while the objective
/// improves; after a run of degenerate pivots (maximal-lottery programs are highly degenerate,
/// as the value is known), Bland's smallest-index rule until progress resumes, which rules out
/// cycling. `bland_only` uses Bland's rule throughout. The tableau is recomputed from the data
/// every few pivots and before optimality is declared.
fn simplex(a: &[f64], n: usize, bland_only: bool) -> Vec<f64> {
    let cols = 2 * n + 1;
    let mut t = vec![0.0; n * cols];
    for r in 0..n {
        t[r * cols..r * cols + n].copy_from_slice(&a[r * n..(r + 1) * n]);
        t[r * cols + n + r] = 1.0;
        t[r * cols + 2 * n] = 1.0;
    }
    let mut tab = Tableau {
        n,
        t,
        d: (0..2 * n).map(|j| if j < n { 1.0 } else { 0.0 }).collect(),
        basis: (n..2 * n).collect(),
    };

    let max_pivots = 50 * n * n;
    let mut degenerate_run = 0usize;
    let mut since_refresh = 0usize;
    for _ in 0..max_pivots {
        let bland = bland_only || degenerate_run > n;
        let candidates = (0..2 * n).filter(|&j| tab.d[j] > COST_TOL);
        let entering = if bland {
            candidates.min()
        } else {
            candidates.fold(None, |acc: Option<usize>, j| match acc {
                Some(b) if tab.d[b] >= tab.d[j] => Some(b),
                _ => Some(j),
            })
        };
        let Some(e) = entering else {
            // Confirm optimality on a freshly computed tableau.
            if since_refresh > 0 && tab.refresh(a) {
                since_refresh = 0;
                continue;
            }
            break;
        };
        let Some(l) = tab.leaving_row(e, bland) else {
            // Unbounded cannot happen (A > 0 bounds y): rounding; stop rather than loop.
            break;
        };
        let step = tab.rhs(l).max(0.0) / tab.t[l * cols + e];
        if step <= 1e-15 {
            degenerate_run += 1;
        } else {
            degenerate_run = 0;
        }
        tab.pivot(l, e);
        since_refresh += 1;
        if since_refresh >= REFRESH_EVERY && tab.refresh(a) {
            since_refresh = 0;
        }
    }

    let mut y = vec![0.0; n];
    for (r, &b) in tab.basis.iter().enumerate() {
        if b < n {
            y[b] = tab.rhs(r);
        }
    }
    y
}

/// Clamps rounding-level negatives to 0 and renormalizes; None if `y` is not close to a
/// probability vector (a basis solution that went wrong).
fn polish(mut y: Vec<f64>) -> Option<Policy> {
    if y.iter().any(|v| !v.is_finite() || *v < -1e-7) {
        return None;
    }
    for v in &mut y {
        if *v < 1e-15 {
            *v = 0.0;
        }
    }
    let s: f64 = y.iter().sum();
    if s <= 0.0 {
        return None;
    }
    for v in &mut y {
        *v /= s;
    }
    Some(y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::default_labels;

    #[test]
    fn two_responses() {
        let p =
            PairwiseMatrix::new(default_labels(2), vec![vec![0.5, 0.51], vec![0.49, 0.5]]).unwrap();
        assert_eq!(maximal_lottery(&p), vec![1.0, 0.0]);
        let tie =
            PairwiseMatrix::new(default_labels(2), vec![vec![0.5, 0.5], vec![0.5, 0.5]]).unwrap();
        let pi = maximal_lottery(&tie);
        assert_eq!(game_value_gap(&tie, &pi), 0.0);
        assert!((pi.iter().sum::<f64>() - 1.0).abs() < 1e-15);
    }

    #[test]
    fn gap_of_bad_input_is_infinite() {
        let p =
            PairwiseMatrix::new(default_labels(2), vec![vec![0.5, 0.7], vec![0.3, 0.5]]).unwrap();
        assert_eq!(game_value_gap(&p, &[1.0]), f64::INFINITY);
        assert_eq!(game_value_gap(&p, &[f64::NAN, 1.0]), f64::INFINITY);
        assert!((game_value_gap(&p, &[0.0, 1.0]) - 0.2).abs() < 1e-15);
    }
}
