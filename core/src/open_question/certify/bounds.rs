//! Float upper bounds on a cell: for each multiset Y', the largest Bernstein coefficient of the
//! degree-k polynomial pi -> W_{k,l}(pi, Y') on the cell; the cell's bound is the least of
//! these over Y' (the search's bound; the certificate's are recomputed exactly, `exact`).
//!
//! The coefficients come from the blossom (polar form). Against one group of voter types (the
//! best class reached `top`, the classes below `below`, m copies of Y' in `top`), with b and d
//! the pi-masses of `top` and `below`, the win rate is
//!   f = 1 - (b+d)^k + sum_{c=1..k} C(k,c) b^c d^(k-c) c/(c+m) = 1 - d^k - sum_{c=1..k} C(k,c) b^c d^(k-c) m/(c+m).
//! b and d are linear in the cell's barycentric coordinates, so the Bernstein coefficient of
//! f at a multi-index alpha (a multiset of k vertices v_1..v_k) is its blossom at those
//! vertices: with E_c the coefficient of t^c in prod_i (d(v_i) + t b(v_i)),
//!   f_alpha = 1 - E_0 - sum_{c=1..k} E_c m/(c+m),
//! (the blossom of C(k,c) b^c d^(k-c) is E_c). This needs no matrix and no values at lattice
//! points, and the same formula is evaluated exactly for the check.

use super::profile::{groups, ExactProfile};
use super::simplex::{Cell, MAX_N};
use crate::open_question::best_policy::multisets;
use num_traits::ToPrimitive;

/// The multi-indices alpha (non-decreasing sequences of k vertex indices), flattened, with the
/// length of the prefix each shares with the one before (so products are extended, not redone).
#[derive(Debug, Clone)]
pub struct Alphas {
    pub k: usize,
    pub flat: Vec<usize>,
    pub shared: Vec<usize>,
}

impl Alphas {
    pub fn new(n: usize, k: usize) -> Alphas {
        let list = multisets(n, k);
        let mut shared = Vec::with_capacity(list.len());
        for (a, alpha) in list.iter().enumerate() {
            shared.push(match a {
                0 => 0,
                _ => alpha
                    .iter()
                    .zip(&list[a - 1])
                    .take_while(|(x, y)| x == y)
                    .count(),
            });
        }
        Alphas {
            k,
            flat: list.concat(),
            shared,
        }
    }

    pub fn len(&self) -> usize {
        self.shared.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shared.is_empty()
    }

    pub fn get(&self, a: usize) -> &[usize] {
        &self.flat[a * self.k..(a + 1) * self.k]
    }
}

/// The number of Bernstein coefficients per multiset, C(n+k-1, k).
pub fn coefficient_count(n: usize, k: usize) -> u128 {
    let mut c: u128 = 1;
    for i in 0..k as u128 {
        c = c * (n as u128 + i) / (i + 1);
    }
    c
}

/// The bound of a cell: the least over multisets of their largest coefficient, and the
/// multiset attaining it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    pub value: f64,
    pub multiset: usize,
}

/// Everything a cell's float bound needs, built once per profile and (k, l).
#[derive(Debug, Clone)]
pub struct Bounder {
    n: usize,
    k: usize,
    alphas: Alphas,
    /// Distinct (top, below) masks over all multisets' groups.
    pairs: Vec<(u32, u32)>,
    /// Distinct (pair, copies) over all groups.
    terms: Vec<(usize, usize)>,
    /// Per multiset: (term, weight) of its groups.
    multisets: Vec<Vec<(usize, f64)>>,
    /// share[m][c] = m / (c + m).
    share: Vec<Vec<f64>>,
}

/// Work space of `Bounder::bound`, reused across cells.
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    e: Vec<f64>,
    f: Vec<f64>,
    polys: Vec<f64>,
}

impl Bounder {
    pub fn new(profile: &ExactProfile, k: usize, l: usize) -> Bounder {
        let n = profile.n();
        let class_of = profile.class_indices();
        let (p, q) = profile.normalized();
        let zero: Vec<bool> = p
            .iter()
            .map(|x| x.sign() == num_bigint::Sign::NoSign)
            .collect();
        let weight = |v: usize| {
            num_rational::BigRational::new(p[v].clone(), q.clone())
                .to_f64()
                .unwrap_or(0.0)
        };
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut terms: Vec<(usize, usize)> = Vec::new();
        let mut per_multiset = Vec::new();
        for y in multisets(n, l) {
            let mut list = Vec::new();
            for g in groups(&class_of, &zero, &y) {
                let pair = position_or_push(&mut pairs, (g.top, g.below));
                let term = position_or_push(&mut terms, (pair, g.copies));
                list.push((term, g.voters.iter().map(|&v| weight(v)).sum()));
            }
            per_multiset.push(list);
        }
        let share = (0..=l)
            .map(|m| (0..=k).map(|c| m as f64 / (c + m).max(1) as f64).collect())
            .collect();
        Bounder {
            n,
            k,
            alphas: Alphas::new(n, k),
            pairs,
            terms,
            multisets: per_multiset,
            share,
        }
    }

    /// The bound of a cell (see the module's comment).
    pub fn bound(&self, cell: &Cell, s: &mut Scratch) -> Bound {
        let (n, k) = (self.n, self.k);
        let la = self.alphas.len();
        let vf: Vec<[f64; MAX_N]> = (0..n).map(|i| cell.vertex_f64(i)).collect();
        s.e.resize(self.pairs.len() * la * (k + 1), 0.0);
        s.f.resize(self.terms.len() * la, 0.0);
        s.polys.resize((k + 1) * (k + 1), 0.0);
        s.polys[0] = 1.0;
        for (p, &(top, below)) in self.pairs.iter().enumerate() {
            let mut bd = [(0.0f64, 0.0f64); MAX_N];
            for (i, x) in vf.iter().enumerate() {
                for (y, &c) in x.iter().enumerate().take(n) {
                    if top >> y & 1 == 1 {
                        bd[i].0 += c;
                    } else if below >> y & 1 == 1 {
                        bd[i].1 += c;
                    }
                }
            }
            for a in 0..la {
                let alpha = self.alphas.get(a);
                // polys[d] holds the d+1 coefficients of the product of the first d factors.
                for d in self.alphas.shared[a]..k {
                    let (b, dd) = bd[alpha[d]];
                    let (done, next) = s.polys.split_at_mut((d + 1) * (k + 1));
                    let prev = &done[d * (k + 1)..];
                    next[0] = prev[0] * dd;
                    for c in 1..=d {
                        next[c] = prev[c] * dd + prev[c - 1] * b;
                    }
                    next[d + 1] = prev[d] * b;
                }
                let at = (p * la + a) * (k + 1);
                s.e[at..at + k + 1].copy_from_slice(&s.polys[k * (k + 1)..(k + 1) * (k + 1)]);
            }
        }
        for (t, &(p, m)) in self.terms.iter().enumerate() {
            let share = &self.share[m];
            for a in 0..la {
                let e = &s.e[(p * la + a) * (k + 1)..(p * la + a + 1) * (k + 1)];
                let mut f = 1.0 - e[0];
                for c in 1..=k {
                    f -= e[c] * share[c];
                }
                s.f[t * la + a] = f;
            }
        }
        let mut best = Bound {
            value: f64::INFINITY,
            multiset: 0,
        };
        for (j, list) in self.multisets.iter().enumerate() {
            let mut top = f64::NEG_INFINITY;
            for a in 0..la {
                let v: f64 = list.iter().map(|&(t, w)| w * s.f[t * la + a]).sum();
                top = top.max(v);
                if top >= best.value {
                    break;
                }
            }
            if top < best.value {
                best = Bound {
                    value: top,
                    multiset: j,
                };
            }
        }
        best
    }
}

fn position_or_push<T: PartialEq>(list: &mut Vec<T>, x: T) -> usize {
    match list.iter().position(|y| *y == x) {
        Some(i) => i,
        None => {
            list.push(x);
            list.len() - 1
        }
    }
}
