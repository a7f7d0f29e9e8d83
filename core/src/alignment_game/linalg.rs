//! Small dense linear algebra shared by the Newton-type solvers.

/// Solves a x = b (a row-major n x n) by Gaussian elimination with partial pivoting; `None`
/// when a pivot falls below `relative_pivot` times the largest entry (or 1e-300), or the
/// solution is not finite.
pub fn solve_linear(
    mut a: Vec<f64>,
    mut b: Vec<f64>,
    n: usize,
    relative_pivot: f64,
) -> Option<Vec<f64>> {
    let scale = a.iter().fold(0.0f64, |m, x| m.max(x.abs())).max(1e-300);
    for col in 0..n {
        let piv =
            (col..n).max_by(|&i, &j| a[i * n + col].abs().total_cmp(&a[j * n + col].abs()))?;
        let pivot = a[piv * n + col].abs();
        if pivot.is_nan() || pivot <= (relative_pivot * scale).max(1e-300) {
            return None;
        }
        if piv != col {
            for c in 0..n {
                a.swap(piv * n + c, col * n + c);
            }
            b.swap(piv, col);
        }
        let d = a[col * n + col];
        for row in (col + 1)..n {
            let f = a[row * n + col] / d;
            if f != 0.0 {
                for c in col..n {
                    a[row * n + c] -= f * a[col * n + c];
                }
                b[row] -= f * b[col];
            }
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = ((row + 1)..n).map(|c| a[row * n + c] * x[c]).sum();
        x[row] = (b[row] - s) / a[row * n + row];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_and_refuses_singular() {
        let x = solve_linear(vec![0.0, 2.0, 1.0, 1.0], vec![4.0, 3.0], 2, 1e-14).unwrap();
        assert!((x[0] - 1.0).abs() < 1e-15 && (x[1] - 2.0).abs() < 1e-15);
        assert!(solve_linear(vec![1.0, 2.0, 2.0, 4.0], vec![1.0, 2.0], 2, 1e-14).is_none());
        assert!(solve_linear(vec![f64::NAN, 0.0, 0.0, 1.0], vec![1.0, 1.0], 2, 0.0).is_none());
    }
}
