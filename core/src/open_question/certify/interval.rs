//! A leaf's largest Bernstein coefficient bounded from above in floats with every rounding
//! directed outward, the fast path of the check (a leaf it cannot settle goes to `exact`).
//!
//! Every quantity here is at least 0 (masses, their products E_c, shares m/(c+m), weights), so
//! one-sided bounds suffice: lower bounds of E_c from lower bounds of the masses, then an upper
//! bound of f = 1 - E_0 - sum_c E_c m/(c+m) and of the weighted sum. Rust's f64 operations
//! round to nearest (IEEE 754, no contraction into fused operations), so the exact result of
//! each operation lies between the neighbours of the rounded one: `next_down` and `next_up`
//! step outward by one unit in the last place, a little wider than needed and always safe.
//! Hand-written rather than taken from an interval crate because only this one-sided
//! nonnegative case is needed, and it compiles for every target the core builds for.

use super::bounds::Alphas;
use super::profile::{groups, to_f64_directed, ExactProfile};
use super::simplex::{Cell, MAX_N, ONE};
use crate::open_question::best_policy::multisets;
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::Zero;

/// A lower bound of a nonnegative quantity computed as `x` (rounded to nearest).
fn dn(x: f64) -> f64 {
    x.next_down().max(0.0)
}

fn up(x: f64) -> f64 {
    x.next_up()
}

/// A group with its weight bounded above.
#[derive(Debug, Clone)]
struct Group {
    top: u32,
    below: u32,
    copies: usize,
    weight_hi: f64,
}

/// Upper bounds of leaves' coefficients for one profile and (k, l).
#[derive(Debug, Clone)]
pub struct Interval {
    n: usize,
    k: usize,
    groups: Vec<Vec<Group>>,
    alphas: Alphas,
    /// share_lo[m][c] <= m / (c + m).
    share_lo: Vec<Vec<f64>>,
}

impl Interval {
    pub fn new(profile: &ExactProfile, k: usize, l: usize) -> Interval {
        let n = profile.n();
        let (p, q) = profile.normalized();
        let zero: Vec<bool> = p.iter().map(Zero::is_zero).collect();
        let class_of = profile.class_indices();
        let groups = multisets(n, l)
            .iter()
            .map(|y| {
                groups(&class_of, &zero, y)
                    .into_iter()
                    .map(|g| {
                        let w: BigInt = g.voters.iter().map(|&v| &p[v]).sum();
                        Group {
                            top: g.top,
                            below: g.below,
                            copies: g.copies,
                            weight_hi: to_f64_directed(&BigRational::new(w, q.clone()), true),
                        }
                    })
                    .collect()
            })
            .collect();
        let share_lo = (0..=l)
            .map(|m| {
                (0..=k)
                    .map(|c| {
                        let r = BigRational::new(BigInt::from(m), BigInt::from((c + m).max(1)));
                        to_f64_directed(&r, false)
                    })
                    .collect()
            })
            .collect();
        Interval {
            n,
            k,
            groups,
            alphas: Alphas::new(n, k),
            share_lo,
        }
    }

    /// An upper bound of the largest Bernstein coefficient of W_{k,l}(., Y'_j) on the cell.
    pub fn leaf_upper(&self, cell: &Cell, j: usize) -> f64 {
        let (n, k) = (self.n, self.k);
        // Coordinates bounded below: a u64 over 2^62 becomes an f64 exactly unless it has more
        // than 53 significant bits.
        let mut lo = [[0.0f64; MAX_N]; MAX_N];
        for (row, v) in lo.iter_mut().zip(&cell.v).take(n) {
            for (out, &x) in row.iter_mut().zip(v).take(n) {
                let mut f = x as f64;
                if f as u128 > x as u128 {
                    f = f.next_down();
                }
                *out = f / ONE as f64;
            }
        }
        let la = self.alphas.len();
        let mut totals = vec![0.0f64; la];
        let mut polys = vec![0.0f64; (k + 1) * (k + 1)];
        polys[0] = 1.0;
        for g in &self.groups[j] {
            let mass = |i: usize, mask: u32| {
                (0..n)
                    .filter(|y| mask >> y & 1 == 1)
                    .fold(0.0, |s, y| dn(s + lo[i][y]))
            };
            let mut bd = [(0.0, 0.0); MAX_N];
            for (i, x) in bd.iter_mut().enumerate().take(n) {
                *x = (mass(i, g.top), mass(i, g.below));
            }
            let share = &self.share_lo[g.copies];
            for (a, total) in totals.iter_mut().enumerate() {
                let alpha = self.alphas.get(a);
                for d in self.alphas.shared[a]..k {
                    let (b, dd) = bd[alpha[d]];
                    let (done, next) = polys.split_at_mut((d + 1) * (k + 1));
                    let prev = &done[d * (k + 1)..];
                    next[0] = dn(prev[0] * dd);
                    for c in 1..=d {
                        next[c] = dn(dn(prev[c] * dd) + dn(prev[c - 1] * b));
                    }
                    next[d + 1] = dn(prev[d] * b);
                }
                let e = &polys[k * (k + 1)..];
                let mut s = e[0];
                for c in 1..=k {
                    s = dn(s + dn(e[c] * share[c]));
                }
                let f = up(1.0 - s).max(0.0);
                *total = up(*total + up(g.weight_hi * f));
            }
        }
        totals.into_iter().fold(0.0, f64::max)
    }
}
