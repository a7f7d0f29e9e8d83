//! The RLHF baseline: Bradley-Terry scores fitted to a pairwise matrix, and the KL-regularized
//! policy pi(y) proportional to ref(y) exp(r_y / beta) they induce.

use crate::model::{PairwiseMatrix, Policy};

/// Pseudo-count of comparisons per pair, split evenly between the two sides, added only when
/// the plain maximum-likelihood estimate does not exist (some group of responses never loses
/// to, or never beats, the rest; e.g. a 0/1 matrix). It keeps the scores finite while moving
/// them as little as possible; a matrix whose MLE exists is fitted without it.
pub const PRIOR_PSEUDO_COUNT: f64 = 1e-3;

/// Bradley-Terry scores r maximizing sum_{i != j} P[i][j] ln sigma(r_i - r_j), centred to mean 0.
///
/// Each pair counts as one comparison that i won with weight P[i][j]. The MLE exists exactly
/// when the "beats with positive probability" graph is strongly connected (Zermelo, Ford);
/// otherwise [`PRIOR_PSEUDO_COUNT`] comparisons at 1/2 are added to every pair. Solved by
/// Newton's method with a backtracking line search on the (concave) log-likelihood, which
/// reaches machine precision in a handful of steps.
pub fn fit_scores(p: &PairwiseMatrix) -> Vec<f64> {
    let n = p.n();
    if n <= 1 {
        return vec![0.0; n];
    }
    // wins[i][j]: weight of comparisons i won against j.
    let mut wins: Vec<f64> = p.as_slice().to_vec();
    for i in 0..n {
        wins[i * n + i] = 0.0;
    }
    if !strongly_connected(&wins, n) {
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    wins[i * n + j] += PRIOR_PSEUDO_COUNT / 2.0;
                }
            }
        }
    }

    let mut r = vec![0.0; n];
    let mut ll = log_likelihood(&wins, &r, n);
    for _ in 0..200 {
        let (grad, hess) = gradient_hessian(&wins, &r, n);
        let gmax = max_abs(&grad);
        // Rounding floor of a sum of n terms of order 1.
        if gmax <= 2e-15 * n as f64 {
            break;
        }
        // The negated Hessian is a weighted graph Laplacian (null space: constant shifts) and
        // the gradient sums to 0, so (L + 11^T) d = g gives the mean-zero Newton step.
        let mut m = vec![0.0; n * n];
        for k in 0..n * n {
            m[k] = -hess[k] + 1.0;
        }
        let Some(step) = crate::linalg::solve_linear(m, grad.clone(), n, 0.0) else {
            break;
        };
        let slope: f64 = step.iter().zip(&grad).map(|(s, g)| s * g).sum();
        let mut t = 1.0;
        let mut improved = false;
        for _ in 0..60 {
            let cand: Vec<f64> = r.iter().zip(&step).map(|(x, s)| x + t * s).collect();
            let c_ll = log_likelihood(&wins, &cand, n);
            // Armijo on the likelihood; near the optimum its change drowns in rounding, so a
            // step that halves the gradient is accepted too (Newton's quadratic phase).
            let accept = c_ll.is_finite()
                && (c_ll >= ll + 1e-4 * t * slope.max(0.0)
                    || max_abs(&gradient_hessian(&wins, &cand, n).0) <= 0.5 * gmax);
            if accept {
                r = cand;
                ll = c_ll;
                improved = true;
                break;
            }
            t *= 0.5;
        }
        if !improved {
            break;
        }
    }
    let mean = r.iter().sum::<f64>() / n as f64;
    r.iter().map(|x| x - mean).collect()
}

/// The RLHF policy pi(y) proportional to ref(y) exp(r_y / beta), computed in log space.
///
/// `reference` defaults to uniform; entries that are negative or not finite count as 0, and a
/// reference of the wrong length or with no positive mass falls back to uniform. Limits:
/// beta <= 0, NaN or -infinity give the unregularized limit beta -> 0+, i.e. all mass on the
/// best-scoring responses in the reference's support (split in proportion to the reference,
/// so evenly for the uniform one; scores within 1e-10 of the best count as tied);
/// beta = +infinity gives the other limit, the reference itself. A NaN score counts as the
/// worst possible score.
pub fn rlhf_policy(scores: &[f64], beta: f64, reference: Option<&[f64]>) -> Policy {
    let n = scores.len();
    if n == 0 {
        return Vec::new();
    }
    let reference: Vec<f64> = match reference {
        Some(r) if r.len() == n => r
            .iter()
            .map(|&x| if x.is_finite() && x > 0.0 { x } else { 0.0 })
            .collect(),
        _ => vec![1.0; n],
    };
    let reference = if reference.iter().sum::<f64>() > 0.0 {
        reference
    } else {
        vec![1.0; n]
    };
    let scores: Vec<f64> = scores
        .iter()
        .map(|&s| if s.is_nan() { f64::NEG_INFINITY } else { s })
        .collect();
    let support = |y: usize| reference[y] > 0.0;
    let best = (0..n)
        .filter(|&y| support(y))
        .map(|y| scores[y])
        .fold(f64::NEG_INFINITY, f64::max);

    let weights: Vec<f64> = if beta == f64::INFINITY {
        reference.clone()
    } else if beta.is_nan() || beta <= 0.0 || !best.is_finite() || !beta.is_finite() {
        // Argmax limit (also when a score is infinite, which no finite beta can soften).
        let tol = 1e-10 * best.abs().max(1.0);
        (0..n)
            .map(|y| {
                let tied = if best.is_finite() {
                    scores[y] >= best - tol
                } else {
                    scores[y] == best
                };
                if support(y) && tied {
                    reference[y]
                } else {
                    0.0
                }
            })
            .collect()
    } else {
        // ln ref + (r - best)/beta: every exponent is <= ln ref, so nothing overflows, and the
        // best response keeps a finite log-weight even for tiny beta.
        let logits: Vec<f64> = (0..n)
            .map(|y| {
                if support(y) {
                    reference[y].ln() + (scores[y] - best) / beta
                } else {
                    f64::NEG_INFINITY
                }
            })
            .collect();
        let top = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        logits.iter().map(|l| (l - top).exp()).collect()
    };
    let total: f64 = weights.iter().sum();
    if total.is_nan() || total <= 0.0 || !total.is_finite() {
        return vec![1.0 / n as f64; n];
    }
    weights.iter().map(|w| w / total).collect()
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0f64, |m, g| m.max(g.abs()))
}

/// Logistic function, without overflow for large |x|.
fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// ln sigma(x) = -softplus(-x), stable for large |x|.
fn ln_sigmoid(x: f64) -> f64 {
    let z = -x;
    -(z.max(0.0) + (-z.abs()).exp().ln_1p())
}

fn log_likelihood(wins: &[f64], r: &[f64], n: usize) -> f64 {
    let mut s = 0.0;
    for i in 0..n {
        for j in 0..n {
            let w = wins[i * n + j];
            if i != j && w > 0.0 {
                s += w * ln_sigmoid(r[i] - r[j]);
            }
        }
    }
    s
}

/// Gradient g_i = sum_j (wins_ij - n_ij sigma(r_i - r_j)) and the Hessian (row-major).
fn gradient_hessian(wins: &[f64], r: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut g = vec![0.0; n];
    let mut h = vec![0.0; n * n];
    for i in 0..n {
        for j in (i + 1)..n {
            let total = wins[i * n + j] + wins[j * n + i];
            let s = sigmoid(r[i] - r[j]);
            // wins_ij - total*s, written so it stays exact when s rounds to 1.
            let gi = wins[i * n + j] * (1.0 - s) - wins[j * n + i] * s;
            g[i] += gi;
            g[j] -= gi;
            let c = total * s * (1.0 - s);
            h[i * n + i] -= c;
            h[j * n + j] -= c;
            h[i * n + j] += c;
            h[j * n + i] += c;
        }
    }
    (g, h)
}

/// True when every response reaches every other through "beats with positive weight" edges.
fn strongly_connected(wins: &[f64], n: usize) -> bool {
    let reach = |forward: bool| {
        let mut seen = vec![false; n];
        let mut stack = vec![0usize];
        seen[0] = true;
        while let Some(u) = stack.pop() {
            for v in 0..n {
                let w = if forward {
                    wins[u * n + v]
                } else {
                    wins[v * n + u]
                };
                if !seen[v] && w > 0.0 {
                    seen[v] = true;
                    stack.push(v);
                }
            }
        }
        seen.iter().all(|&s| s)
    };
    reach(true) && reach(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigmoid_is_stable() {
        assert_eq!(sigmoid(1000.0), 1.0);
        assert_eq!(sigmoid(-1000.0), 0.0);
        assert!((ln_sigmoid(-1000.0) + 1000.0).abs() < 1e-9);
        assert!(ln_sigmoid(1000.0) <= 0.0);
    }

    #[test]
    fn policy_limits() {
        let s = [1.0, 3.0, 3.0, -2.0];
        assert_eq!(rlhf_policy(&s, 0.0, None), vec![0.0, 0.5, 0.5, 0.0]);
        assert_eq!(rlhf_policy(&s, f64::NAN, None), vec![0.0, 0.5, 0.5, 0.0]);
        assert_eq!(rlhf_policy(&s, f64::INFINITY, None), vec![0.25; 4]);
        let tiny = rlhf_policy(&s, 1e-300, None);
        assert_eq!(tiny, vec![0.0, 0.5, 0.5, 0.0]);
        let r = [0.1, 0.0, 0.3, 0.6];
        assert_eq!(rlhf_policy(&s, -1.0, Some(&r)), vec![0.0, 0.0, 1.0, 0.0]);
    }
}
