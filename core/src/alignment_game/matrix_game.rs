//! Zero-sum matrix games, solved by a dense simplex: the row player's optimal mixed strategy
//! and the game's value. Small games only (a few dozen rows, a few thousand columns): the
//! linear steps of the search for the best policy against l-output opponents.

/// A reduced cost must exceed this for a column to enter (the matrix is shifted to [1, ~2]).
const COST_TOL: f64 = 1e-12;
/// Smallest pivot element accepted.
const PIVOT_TOL: f64 = 1e-11;

/// The optimal mixed strategy of the row player, who maximizes: max over x in the simplex of
/// min over columns j of sum_i x_i M[i][j], and that value (recomputed from the strategy, so
/// it is what the strategy guarantees). `m` is given by rows; an empty game is the value 0.
///
/// Linear program: with A = M + s >= 1, the column player's problem max sum y subject to
/// A y <= 1, y >= 0 starts from the feasible slack basis (no phase 1); its optimum is 1/v(A),
/// and the row player's strategy is its dual, read off the slack columns' reduced costs.
/// Bland's rule (the lowest eligible index enters and leaves) cannot cycle.
pub fn solve(m: &[Vec<f64>]) -> (Vec<f64>, f64) {
    let rows = m.len();
    let cols = m.first().map_or(0, Vec::len);
    if rows == 0 || cols == 0 {
        return (vec![1.0 / rows.max(1) as f64; rows], 0.0);
    }
    let lowest = m.iter().flatten().copied().fold(f64::INFINITY, f64::min);
    let shift = 1.0 - lowest;
    // Tableau: `rows` constraint rows then the objective row; columns y (cols), slacks (rows),
    // right-hand side.
    let width = cols + rows + 1;
    let mut t = vec![0.0; (rows + 1) * width];
    for i in 0..rows {
        for j in 0..cols {
            t[i * width + j] = m[i][j] + shift;
        }
        t[i * width + cols + i] = 1.0;
        t[i * width + width - 1] = 1.0;
    }
    // Objective row: reduced costs c_j - z_j (1 for every y at the start).
    for j in 0..cols {
        t[rows * width + j] = 1.0;
    }
    let mut basis: Vec<usize> = (cols..cols + rows).collect();
    let max_pivots = 50 * (rows + cols) * rows.max(2);
    for _ in 0..max_pivots {
        let Some(enter) = (0..cols + rows).find(|&j| t[rows * width + j] > COST_TOL) else {
            break;
        };
        let mut leave: Option<(usize, f64)> = None;
        for i in 0..rows {
            let a = t[i * width + enter];
            if a > PIVOT_TOL {
                let ratio = t[i * width + width - 1] / a;
                let better = match leave {
                    None => true,
                    Some((li, lr)) => {
                        ratio < lr - 1e-15 || (ratio <= lr + 1e-15 && basis[i] < basis[li])
                    }
                };
                if better {
                    leave = Some((i, ratio));
                }
            }
        }
        // Unbounded cannot happen (A > 0 bounds every y); stop rather than loop.
        let Some((r, _)) = leave else { break };
        let p = t[r * width + enter];
        for j in 0..width {
            t[r * width + j] /= p;
        }
        for i in 0..=rows {
            if i == r {
                continue;
            }
            let f = t[i * width + enter];
            if f != 0.0 {
                for j in 0..width {
                    t[i * width + j] -= f * t[r * width + j];
                }
            }
        }
        basis[r] = enter;
    }
    // Duals of the constraints: minus the slacks' reduced costs.
    let duals: Vec<f64> = (0..rows)
        .map(|i| (-t[rows * width + cols + i]).max(0.0))
        .collect();
    let total: f64 = duals.iter().sum();
    let x: Vec<f64> = if total > 0.0 && total.is_finite() {
        duals.iter().map(|d| d / total).collect()
    } else {
        vec![1.0 / rows as f64; rows]
    };
    let value = guaranteed(m, &x);
    (x, value)
}

/// What the row strategy `x` guarantees: min over columns of sum_i x_i M[i][j].
pub fn guaranteed(m: &[Vec<f64>], x: &[f64]) -> f64 {
    let cols = m.first().map_or(0, Vec::len);
    (0..cols)
        .map(|j| m.iter().zip(x).map(|(row, xi)| row[j] * xi).sum::<f64>())
        .fold(f64::INFINITY, f64::min)
}
