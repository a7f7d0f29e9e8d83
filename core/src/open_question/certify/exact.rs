//! Exact arithmetic for certificates: a leaf's Bernstein coefficients as big integers over one
//! common denominator (the vertices are dyadic and the weights rational, so nothing is
//! rounded), and a rational policy's exact worst case.
//!
//! Scale: vertex coordinates are integers over 2^62 (`simplex::ONE`), so E_c (bounds.rs) is an
//! integer over 2^(62k); m/(c+m) is an integer over lc = lcm{c+m}; the weights are integers
//! over q. Every coefficient of every leaf is therefore N / Z with Z = q lc 2^(62k), N integer.

use super::bounds::Alphas;
use super::profile::{groups, ExactProfile};
use super::simplex::Cell;
use crate::open_question::best_policy::multisets;
use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

/// One group as integers: masks, copies, and the summed weight numerator.
#[derive(Debug, Clone)]
struct IntGroup {
    top: u32,
    below: u32,
    copies: usize,
    weight: BigInt,
}

/// The exact side of a profile and (k, l).
#[derive(Debug, Clone)]
pub struct Exact {
    n: usize,
    k: usize,
    multisets: Vec<Vec<usize>>,
    groups: Vec<Vec<IntGroup>>,
    alphas: Alphas,
    /// share[m][c] = lc m / (c + m), an integer.
    share: Vec<Vec<BigInt>>,
    lc: BigInt,
    /// 2^(62k).
    one_k: BigInt,
    /// The common denominator Z of every coefficient.
    scale: BigInt,
    /// The weights' common denominator.
    q: BigInt,
}

impl Exact {
    pub fn new(profile: &ExactProfile, k: usize, l: usize) -> Exact {
        let n = profile.n();
        let (p, q) = profile.normalized();
        let zero: Vec<bool> = p.iter().map(Zero::is_zero).collect();
        let class_of = profile.class_indices();
        let multisets = multisets(n, l);
        let groups = multisets
            .iter()
            .map(|y| {
                groups(&class_of, &zero, y)
                    .into_iter()
                    .map(|g| IntGroup {
                        top: g.top,
                        below: g.below,
                        copies: g.copies,
                        weight: g.voters.iter().map(|&v| &p[v]).sum(),
                    })
                    .collect()
            })
            .collect();
        let mut lc = BigInt::one();
        for m in 1..=l {
            for c in 1..=k {
                lc = lc.lcm(&BigInt::from(c + m));
            }
        }
        let share = (0..=l)
            .map(|m| {
                (0..=k)
                    .map(|c| match c + m {
                        0 => BigInt::zero(),
                        s => &lc * BigInt::from(m) / BigInt::from(s),
                    })
                    .collect()
            })
            .collect();
        let one_k: BigInt = BigInt::one() << (62 * k);
        let scale = &q * &lc * &one_k;
        Exact {
            n,
            k,
            multisets,
            groups,
            alphas: Alphas::new(n, k),
            share,
            lc,
            one_k,
            scale,
            q,
        }
    }

    pub fn multisets(&self) -> &[Vec<usize>] {
        &self.multisets
    }

    /// Z: every leaf's coefficient is an integer over it.
    pub fn scale(&self) -> &BigInt {
        &self.scale
    }

    /// The largest Bernstein coefficient of W_{k,l}(., Y'_j) on the cell, times Z (an integer).
    pub fn leaf_numerator(&self, cell: &Cell, j: usize) -> BigInt {
        let (n, k) = (self.n, self.k);
        let la = self.alphas.len();
        let mut totals = vec![BigInt::zero(); la];
        let mut polys: Vec<Vec<BigInt>> = (0..=k).map(|d| vec![BigInt::zero(); d + 1]).collect();
        polys[0][0] = BigInt::one();
        for g in &self.groups[j] {
            let mass = |i: usize, mask: u32| -> BigInt {
                (0..n)
                    .filter(|y| mask >> y & 1 == 1)
                    .map(|y| cell.v[i][y] as u128)
                    .sum::<u128>()
                    .into()
            };
            let b: Vec<BigInt> = (0..n).map(|i| mass(i, g.top)).collect();
            let d: Vec<BigInt> = (0..n).map(|i| mass(i, g.below)).collect();
            let share = &self.share[g.copies];
            for (a, total) in totals.iter_mut().enumerate() {
                let alpha = self.alphas.get(a);
                for s in self.alphas.shared[a]..k {
                    let v = alpha[s];
                    let (done, next) = polys.split_at_mut(s + 1);
                    let prev = &done[s];
                    let next = &mut next[0];
                    next[0] = &prev[0] * &d[v];
                    for c in 1..=s {
                        next[c] = &prev[c] * &d[v] + &prev[c - 1] * &b[v];
                    }
                    next[s + 1] = &prev[s] * &b[v];
                }
                let e = &polys[k];
                // lc 2^(62k) f_alpha = lc (2^(62k) - E_0) - sum_c E_c lc m/(c+m).
                let mut f = &self.lc * (&self.one_k - &e[0]);
                for c in 1..=k {
                    f -= &e[c] * &share[c];
                }
                *total += &g.weight * f;
            }
        }
        totals.into_iter().max().unwrap_or_default()
    }

    /// A rational policy's exact worst case: the least over multisets of W_{k,l}(pi, Y'),
    /// from the win rate's formula directly (1 - (b+d)^k + sum_c C(k,c) b^c d^(k-c) c/(c+m)),
    /// and the first multiset attaining it.
    pub fn worst_case(&self, pi: &[BigRational]) -> (BigRational, usize) {
        let k = self.k;
        let mut binom = vec![BigInt::one(); k + 1];
        for c in 1..=k {
            binom[c] = &binom[c - 1] * BigInt::from(k + 1 - c) / BigInt::from(c);
        }
        let mass = |mask: u32| -> BigRational {
            (0..self.n)
                .filter(|y| mask >> y & 1 == 1)
                .map(|y| pi[y].clone())
                .sum()
        };
        let mut best: Option<(BigRational, usize)> = None;
        for (j, list) in self.groups.iter().enumerate() {
            let mut w = BigRational::zero();
            for g in list {
                let (b, d) = (mass(g.top), mass(g.below));
                let mut f = BigRational::one() - num_traits::pow(&b + &d, k);
                for (c, binom) in binom.iter().enumerate().skip(1) {
                    f += BigRational::from_integer(binom.clone())
                        * num_traits::pow(b.clone(), c)
                        * num_traits::pow(d.clone(), k - c)
                        * BigRational::new(BigInt::from(c), BigInt::from(c + g.copies));
                }
                w += BigRational::from_integer(g.weight.clone()) * f;
            }
            let w = w / BigRational::from_integer(self.q.clone());
            if best.as_ref().is_none_or(|(b, _)| w < *b) {
                best = Some((w, j));
            }
        }
        best.expect("at least one multiset")
    }
}

/// A float policy as a rational one that adds up to 1 exactly: each probability rounded to a
/// multiple of 2^-40, the largest absorbing the rounding.
pub fn rational_policy(pi: &[f64]) -> Vec<BigRational> {
    const SCALE: f64 = (1u64 << 40) as f64;
    let mut p: Vec<i64> = pi
        .iter()
        .map(|x| (x.max(0.0) * SCALE).round() as i64)
        .collect();
    let total: i64 = p.iter().sum();
    let largest = (0..p.len())
        .max_by_key(|&i| (p[i], usize::MAX - i))
        .unwrap_or(0);
    p[largest] += (1i64 << 40) - total;
    let denom: BigInt = BigInt::one() << 40usize;
    p.iter()
        .map(|&x| BigRational::new(BigInt::from(x), denom.clone()))
        .collect()
}

/// Whether a rational vector is a policy on n responses: n entries, each at least 0, adding
/// up to exactly 1.
pub fn is_policy(pi: &[BigRational], n: usize) -> bool {
    pi.len() == n
        && pi.iter().all(|p| !p.is_negative())
        && pi.iter().sum::<BigRational>() == BigRational::one()
}
