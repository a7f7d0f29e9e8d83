//! Population fit for a pairwise matrix: the distribution over strict rankings whose pairwise
//! matrix is closest to it in least squares (docs/mathematics.md#population-fit).
//!
//! Method: Wolfe's minimum-norm-point algorithm, i.e. Frank-Wolfe with fully corrective steps.
//! Each ranking s is the 0/1 vector of its pairwise verdicts (i above j, for i < j) minus the
//! target P; the fit is the point of smallest norm in the convex hull of these vectors. The
//! linear step (the ranking most aligned against the current residual) is an exact dynamic
//! program over subsets; the corrective step re-solves the affine least-squares problem over
//! the active rankings with an incrementally updated QR factorization, so a realizable matrix is
//! fitted exactly (to rounding) in finitely many steps.

use crate::model::{ModelError, PairwiseMatrix, Population, Ranking, Voter};

/// Largest number of responses the fit accepts (the linear step is exponential in n).
pub const MAX_FIT_RESPONSES: usize = 16;

/// Cap on the outer (Frank-Wolfe) iterations; convergence normally takes far fewer.
const MAX_ITERATIONS: usize = 2000;
/// Residual below which the matrix counts as reproduced exactly.
const EXACT_RESIDUAL: f64 = 1e-13;
/// Weights below this are dropped from the returned population.
const MIN_WEIGHT: f64 = 1e-12;

/// The result of a population fit.
#[derive(Debug, Clone, PartialEq)]
pub struct PopulationFit {
    /// Strict rankings with weights summing to 1, heaviest first.
    pub population: Population,
    /// max_{i<j} |P_lambda[i][j] - P[i][j]| for the returned population: 0 (to rounding)
    /// exactly when the matrix is realizable by voters.
    pub max_residual: f64,
    /// Frank-Wolfe iterations used.
    pub iterations: usize,
}

/// The strict ranking (best first) maximizing the sum, over ordered pairs with i ranked above
/// j, of `weights[i * n + j]` (row-major n x n; the diagonal is ignored).
///
/// Exact for n <= [`MAX_FIT_RESPONSES`] (dynamic programming over the set of responses placed
/// so far, O(2^n n)); ties are broken deterministically. Larger n (not used
/// by the fit) gets a heuristic: sort by net weight, then adjacent swaps while they help.
/// Missing or non-finite weights count as 0.
pub fn best_ranking(weights: &[f64], n: usize) -> Vec<usize> {
    let w = sanitize(weights, n);
    if n <= MAX_FIT_RESPONSES {
        RankingDp::new(n).solve(&w)
    } else {
        heuristic_ranking(&w, n)
    }
}

/// Fits a distribution over strict rankings to `p` (labels are taken from `p`).
///
/// Minimizes sum_{i<j} (P_lambda[i][j] - P[i][j])^2. Stops when the residual is at rounding
/// level, when the Frank-Wolfe duality gap is negligible (the fit is then optimal), or after
/// 2000 iterations. Errs for more than [`MAX_FIT_RESPONSES`] responses.
pub fn fit_population(p: &PairwiseMatrix) -> Result<PopulationFit, ModelError> {
    let n = p.n();
    if n > MAX_FIT_RESPONSES {
        return Err(ModelError(format!(
            "fitting a voter population to a matrix handles at most {MAX_FIT_RESPONSES} \
             responses; this matrix has {n}"
        )));
    }
    let (weighted, iterations) = if n <= 1 {
        (vec![((0..n).collect(), 1.0)], 0)
    } else {
        Wolfe::new(p).run()
    };

    let total: f64 = weighted.iter().map(|(_, w)| w.max(0.0)).sum();
    let mut voters = Vec::with_capacity(weighted.len());
    for (order, w) in weighted {
        let w = w.max(0.0) / total;
        if w >= MIN_WEIGHT {
            voters.push(Voter {
                weight: w,
                ranking: Ranking::strict(&order, n)?,
            });
        }
    }
    // Renormalize after dropping, and merge (identical rankings never coexist in the active
    // set, but merging also gives the deterministic heaviest-first order).
    let kept: f64 = voters.iter().map(|v| v.weight).sum();
    for v in &mut voters {
        v.weight /= kept;
    }
    let population = Population::new(p.labels().to_vec(), voters)?.merged();
    let fitted = population.pairwise();
    let mut max_residual = 0.0f64;
    for i in 0..n {
        for j in (i + 1)..n {
            max_residual = max_residual.max((fitted.get(i, j) - p.get(i, j)).abs());
        }
    }
    Ok(PopulationFit {
        population,
        max_residual,
        iterations,
    })
}

/// Non-finite or missing weights (and the diagonal) become 0: the DP then always yields a
/// permutation, and a response never collects weight from itself.
fn sanitize(weights: &[f64], n: usize) -> Vec<f64> {
    (0..n * n)
        .map(|k| match weights.get(k) {
            Some(x) if x.is_finite() && k / n != k % n => *x,
            _ => 0.0,
        })
        .collect()
}

/// Reusable buffers for the subset dynamic program (the fit calls it every iteration).
struct RankingDp {
    n: usize,
    /// Bits of the set handled by the `lo` table; the rest by `hi`.
    half: usize,
    /// lo[L * n + v] = sum of w[u][v] over u in the low-bit set L (likewise hi, high bits), so
    /// the gain of placing v below a set S is two lookups.
    lo: Vec<f64>,
    hi: Vec<f64>,
    /// Best total for each set S of responses occupying the top |S| places.
    best: Vec<f64>,
    /// The response placed last (lowest) in that best order.
    last: Vec<u8>,
}

impl RankingDp {
    fn new(n: usize) -> Self {
        let half = n / 2;
        RankingDp {
            n,
            half,
            lo: vec![0.0; (1 << half) * n],
            hi: vec![0.0; (1 << (n - half)) * n],
            best: vec![0.0; 1 << n],
            last: vec![0; 1 << n],
        }
    }

    fn solve(&mut self, w: &[f64]) -> Vec<usize> {
        let (n, half) = (self.n, self.half);
        if n == 0 {
            return Vec::new();
        }
        fill_table(&mut self.lo, w, n, 0, half);
        fill_table(&mut self.hi, w, n, half, n - half);
        let lo_mask = (1usize << half) - 1;
        let full = (1usize << n) - 1;
        self.best[0] = 0.0;
        // "Pull" form: the best order of set t ends with some v in t, which collects
        // w[u][v] from every u in t (the diagonal is 0). Both table rows are the same for
        // every v, so the inner loop reads contiguous memory and has no membership test.
        for t in 1..=full {
            let lo = &self.lo[(t & lo_mask) * n..(t & lo_mask) * n + n];
            let hi = &self.hi[(t >> half) * n..(t >> half) * n + n];
            let mut rest = t;
            let mut top = f64::NEG_INFINITY;
            let mut arg = t.trailing_zeros() as usize;
            while rest != 0 {
                let v = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                let cand = self.best[t ^ (1 << v)] + lo[v] + hi[v];
                if cand > top {
                    top = cand;
                    arg = v;
                }
            }
            self.best[t] = top;
            self.last[t] = arg as u8;
        }
        let mut order = Vec::with_capacity(n);
        let mut s = full;
        while s != 0 {
            let v = self.last[s] as usize;
            order.push(v);
            s &= !(1 << v);
        }
        order.reverse();
        order
    }
}

/// table[S * n + v] = sum over u in S (bits shifted by `offset`) of w[u][v], by adding one
/// element at a time to a smaller set already computed.
fn fill_table(table: &mut [f64], w: &[f64], n: usize, offset: usize, bits: usize) {
    table[..n].fill(0.0);
    for s in 1..(1usize << bits) {
        let low = s.trailing_zeros() as usize;
        let prev = s & (s - 1);
        let u = low + offset;
        for v in 0..n {
            table[s * n + v] = table[prev * n + v] + w[u * n + v];
        }
    }
}

/// For n above the exact limit: sort by net weight, then improve by adjacent swaps.
fn heuristic_ranking(w: &[f64], n: usize) -> Vec<usize> {
    let net: Vec<f64> = (0..n)
        .map(|i| (0..n).map(|j| w[i * n + j] - w[j * n + i]).sum())
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| net[b].total_cmp(&net[a]).then(a.cmp(&b)));
    for _ in 0..n * n {
        let mut improved = false;
        for k in 0..n.saturating_sub(1) {
            let (a, b) = (order[k], order[k + 1]);
            if w[b * n + a] > w[a * n + b] {
                order.swap(k, k + 1);
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
    order
}

/// Wolfe's minimum-norm-point algorithm over the ranking vectors s = a_ranking - p.
struct Wolfe {
    n: usize,
    /// Pairs (i, j), i < j: the coordinates.
    pairs: Vec<(usize, usize)>,
    /// Target P[i][j] per pair.
    target: Vec<f64>,
    dp: RankingDp,
    /// Active rankings, their points s and convex weights.
    orders: Vec<Vec<usize>>,
    points: Vec<Vec<f64>>,
    lambda: Vec<f64>,
    /// QR factorization of the lifted points (1, s): q[c] are orthonormal columns of length
    /// m + 1, r[c] is column c of the upper-triangular factor (length = active count).
    q: Vec<Vec<f64>>,
    r: Vec<Vec<f64>>,
}

impl Wolfe {
    fn new(p: &PairwiseMatrix) -> Self {
        let n = p.n();
        let pairs: Vec<(usize, usize)> = (0..n)
            .flat_map(|i| ((i + 1)..n).map(move |j| (i, j)))
            .collect();
        let target = pairs.iter().map(|&(i, j)| p.get(i, j)).collect();
        Wolfe {
            n,
            pairs,
            target,
            dp: RankingDp::new(n),
            orders: Vec::new(),
            points: Vec::new(),
            lambda: Vec::new(),
            q: Vec::new(),
            r: Vec::new(),
        }
    }

    fn point(&self, order: &[usize]) -> Vec<f64> {
        let mut pos = vec![0usize; self.n];
        for (k, &y) in order.iter().enumerate() {
            pos[y] = k;
        }
        self.pairs
            .iter()
            .zip(&self.target)
            .map(|(&(i, j), t)| if pos[i] < pos[j] { 1.0 - t } else { -t })
            .collect()
    }

    /// x = sum lambda_c s_c: the fitted matrix minus the target, per pair.
    fn current(&self) -> Vec<f64> {
        let mut x = vec![0.0; self.pairs.len()];
        for (s, l) in self.points.iter().zip(&self.lambda) {
            for (xk, sk) in x.iter_mut().zip(s) {
                *xk += l * sk;
            }
        }
        x
    }

    /// The ranking minimizing <x, s>: weights w[i][j] = -x_ij, w[j][i] = x_ij.
    fn linear_step(&mut self, x: &[f64]) -> Vec<usize> {
        let n = self.n;
        let mut w = vec![0.0; n * n];
        for (&(i, j), &xk) in self.pairs.iter().zip(x) {
            w[i * n + j] = -xk;
            w[j * n + i] = xk;
        }
        self.dp.solve(&w)
    }

    /// Adds a ranking to the active set with weight 0; false if its lifted point is
    /// numerically in the span of the active ones (then it cannot improve the fit).
    fn push(&mut self, order: Vec<usize>, point: Vec<f64>) -> bool {
        let mut v = Vec::with_capacity(point.len() + 1);
        v.push(1.0);
        v.extend_from_slice(&point);
        let norm0 = dot(&v, &v).sqrt();
        let mut coef = vec![0.0; self.q.len()];
        // Classical Gram-Schmidt, twice: orthogonal to working precision.
        for _ in 0..2 {
            for (c, qc) in self.q.iter().enumerate() {
                let h = dot(qc, &v);
                coef[c] += h;
                axpy(-h, qc, &mut v);
            }
        }
        let rho = dot(&v, &v).sqrt();
        if rho.is_nan() || rho <= 1e-10 * norm0 {
            return false;
        }
        for x in &mut v {
            *x /= rho;
        }
        coef.push(rho);
        for col in &mut self.r {
            col.push(0.0);
        }
        self.q.push(v);
        self.r.push(coef);
        self.orders.push(order);
        self.points.push(point);
        self.lambda.push(0.0);
        true
    }

    /// Drops active ranking `c`, restoring the triangular factor by Givens rotations.
    fn remove(&mut self, c: usize) {
        self.orders.remove(c);
        self.points.remove(c);
        self.lambda.remove(c);
        self.r.remove(c);
        let k = self.r.len();
        // Columns c.. now have one entry below the diagonal; rotate rows (j, j+1) to clear it.
        for j in c..k {
            let (a, b) = (self.r[j][j], self.r[j][j + 1]);
            // Not `hypot`: it is the platform's libm (glibc natively, a port of musl's in
            // wasm), whose last bits differ, and the fit's path (which rankings it keeps) then
            // parts: LLMFAO fitted 89 voter types natively and 90 in the browser, with W_4
            // 0.6661 against 0.6624. Multiplication, addition and sqrt round the same
            // everywhere; R's entries are O(1), so neither overflows.
            let h = (a * a + b * b).sqrt();
            if h == 0.0 {
                continue;
            }
            let (cs, sn) = (a / h, b / h);
            for col in &mut self.r[j..] {
                let (x, y) = (col[j], col[j + 1]);
                col[j] = cs * x + sn * y;
                col[j + 1] = -sn * x + cs * y;
            }
            let (qa, qb) = self.q.split_at_mut(j + 1);
            for (x, y) in qa[j].iter_mut().zip(qb[0].iter_mut()) {
                let (u, v) = (*x, *y);
                *x = cs * u + sn * v;
                *y = -sn * u + cs * v;
            }
        }
        self.q.truncate(k);
        for col in &mut self.r {
            col.truncate(k);
        }
    }

    /// Weights alpha (summing to 1) of the point of least norm in the affine hull of the
    /// active points: least squares of the lifted points against (1, 0, ..., 0), rescaled.
    fn affine_minimizer(&self) -> Option<Vec<f64>> {
        let q0: Vec<f64> = self.q.iter().map(|qc| qc[0]).collect();
        let mut a = self.back_substitute(q0);
        // One step of iterative refinement against the points themselves: the factorization
        // loses accuracy as the active set grows, and the refined weights keep an exact fit
        // exact to rounding.
        let m = self.target.len();
        let mut resid = vec![0.0; m + 1];
        resid[0] = 1.0 - a.iter().sum::<f64>();
        for (s, &ac) in self.points.iter().zip(&a) {
            axpy(-ac, s, &mut resid[1..]);
        }
        let qtr: Vec<f64> = self.q.iter().map(|qc| dot(qc, &resid)).collect();
        for (ac, d) in a.iter_mut().zip(self.back_substitute(qtr)) {
            *ac += d;
        }
        let total: f64 = a.iter().sum();
        if total.abs() <= 1e-300 || !total.is_finite() || a.iter().any(|x| !x.is_finite()) {
            return None;
        }
        Some(a.iter().map(|x| x / total).collect())
    }

    /// Solves R a = b (R upper triangular, stored by columns).
    fn back_substitute(&self, mut b: Vec<f64>) -> Vec<f64> {
        let k = self.r.len();
        for c in (0..k).rev() {
            let s: f64 = ((c + 1)..k).map(|j| self.r[j][c] * b[j]).sum();
            b[c] = (b[c] - s) / self.r[c][c];
        }
        b
    }

    /// The corrective step: moves lambda to the affine minimizer, dropping rankings whose
    /// weight would turn negative, until the minimizer lies inside the active hull.
    fn correct(&mut self) -> bool {
        const POSITIVE: f64 = 1e-14;
        loop {
            let Some(alpha) = self.affine_minimizer() else {
                return false;
            };
            if alpha.iter().all(|&a| a > POSITIVE) {
                self.lambda = alpha;
                return true;
            }
            // Walk from lambda toward alpha until the first weight hits 0.
            let mut theta = 1.0;
            let mut hit = None;
            for (c, (&l, &a)) in self.lambda.iter().zip(&alpha).enumerate() {
                if a <= POSITIVE && l > a {
                    let t = (l / (l - a)).min(1.0);
                    if hit.is_none() || t < theta {
                        theta = t;
                        hit = Some(c);
                    }
                }
            }
            for (l, a) in self.lambda.iter_mut().zip(&alpha) {
                *l = (1.0 - theta) * *l + theta * a;
            }
            if let Some(c) = hit {
                self.lambda[c] = 0.0;
            }
            // Remove every ranking with no weight left (at least `hit`), last index first.
            let mut c = self.lambda.len();
            while c > 0 {
                c -= 1;
                if self.lambda[c] <= POSITIVE {
                    self.remove(c);
                }
            }
            if self.lambda.is_empty() {
                return false;
            }
            let s: f64 = self.lambda.iter().sum();
            for l in &mut self.lambda {
                *l /= s;
            }
        }
    }

    /// Runs the algorithm; returns the weighted rankings and the iteration count.
    fn run(mut self) -> (Vec<(Vec<usize>, f64)>, usize) {
        // Start from the Kemeny ranking: the linear step at the all-1/2 matrix.
        let start = self.linear_step(&self.target.iter().map(|t| 0.5 - t).collect::<Vec<_>>());
        let pt = self.point(&start);
        self.push(start, pt);
        self.lambda[0] = 1.0;

        let mut x = self.current();
        let mut norm2 = dot(&x, &x);
        let mut best = (norm2, self.snapshot());
        let mut iterations = 0;
        while iterations < MAX_ITERATIONS {
            if max_abs(&x) <= EXACT_RESIDUAL {
                break;
            }
            iterations += 1;
            let order = self.linear_step(&x);
            let s = self.point(&order);
            let xs = dot(&x, &s);
            // Frank-Wolfe gap: twice <x, x - s> bounds how far the squared error is above
            // the optimum, so at rounding level the fit is optimal.
            let gap = norm2 - xs;
            if gap <= 1e-13 * norm2.sqrt() * dot(&s, &s).sqrt().max(1.0)
                || self.orders.contains(&order)
            {
                break;
            }
            if !self.push(order, s) || !self.correct() {
                break;
            }
            x = self.current();
            let new_norm2 = dot(&x, &x);
            if new_norm2 < best.0 {
                best = (new_norm2, self.snapshot());
            }
            // Wolfe's method decreases the norm strictly; a stall means rounding has won.
            if new_norm2.is_nan() || new_norm2 >= norm2 * (1.0 - 1e-14) {
                break;
            }
            norm2 = new_norm2;
        }
        (best.1, iterations)
    }

    fn snapshot(&self) -> Vec<(Vec<usize>, f64)> {
        self.orders
            .iter()
            .cloned()
            .zip(self.lambda.iter().copied())
            .collect()
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0f64, |m, x| m.max(x.abs()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::default_labels;

    #[test]
    fn dp_on_tiny_cases() {
        assert_eq!(best_ranking(&[], 0), Vec::<usize>::new());
        assert_eq!(best_ranking(&[0.0], 1), vec![0]);
        assert_eq!(best_ranking(&[0.0, 1.0, 2.0, 0.0], 2), vec![1, 0]);
        // Non-finite weights count as 0 and still give a permutation.
        let r = best_ranking(&[0.0, f64::NAN, f64::INFINITY, 0.0], 2);
        assert_eq!(r.len(), 2);
    }

    #[test]
    fn heuristic_for_large_n_is_a_permutation() {
        let n = 20;
        let w: Vec<f64> = (0..n * n).map(|k| ((k * 37) % 11) as f64).collect();
        let mut r = best_ranking(&w, n);
        r.sort_unstable();
        assert_eq!(r, (0..n).collect::<Vec<_>>());
    }

    #[test]
    fn single_response() {
        let p = PairwiseMatrix::new(default_labels(1), vec![vec![0.5]]).unwrap();
        let f = fit_population(&p).unwrap();
        assert_eq!(f.max_residual, 0.0);
        assert_eq!(f.population.voters().len(), 1);
    }
}
