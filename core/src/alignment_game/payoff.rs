//! Alignment-game payoffs u_k(y; pi), exploitability, best-of-k win rates (docs/mathematics.md).
//!
//! Fast path: a voter's payoff for y depends only on y's class C and the set of responses
//! below C. Far fewer distinct (class, below-set) pairs exist than voters, so the population
//! is compiled once into weighted entries over shared below-sets, and one evaluation costs one
//! pass over those entries.

use crate::model::{PairwiseMatrix, Policy, Population, ResponseSet};
use std::collections::HashMap;

mod opponents;

pub use opponents::{robust_win_rate_vs_l, win_rate_vs_opponent, WorstOpponentSearch};

/// Above this k the payoff uses the closed geometric form instead of the (k+1)-term sum.
const SUM_FORM_MAX_K: usize = 32;

/// F_k(x, z) = (1/(k+1)) sum_{j=0..k} x^j z^(k-j) = (x^(k+1) - z^(k+1)) / ((k+1)(x - z)),
/// the payoff of a copy whose class has mass b = x - z with mass z below it and mass
/// 1 - x above it. All terms are non-negative, so the sum has relative error ~ k eps; for
/// large k the closed form is written with ln_1p/exp_m1 so it never cancels either.
#[inline]
pub fn choice_payoff(x: f64, z: f64, k: usize) -> f64 {
    if k <= SUM_FORM_MAX_K {
        // Horner: s_i = x s_{i-1} + z^i  gives  sum_{j} x^j z^(i-j).
        let mut s = 1.0;
        let mut zp = 1.0;
        for _ in 0..k {
            zp *= z;
            s = x * s + zp;
        }
        s / (k + 1) as f64
    } else {
        if x <= 0.0 {
            return 0.0;
        }
        let t = ((x - z) / x).clamp(0.0, 1.0);
        let xk = x.powi(k as i32);
        if t == 0.0 {
            return xk;
        }
        let kp1 = (k + 1) as f64;
        let g = -(kp1 * (-t).ln_1p()).exp_m1() / (kp1 * t);
        xk * g
    }
}

/// dF/dx and dF/dz (for Newton's method), as Horner sums of non-negative terms:
/// F_x = (1/(k+1)) sum_{i<k} (k-i) z^i x^(k-1-i), F_z = (1/(k+1)) sum_{i<k} (i+1) z^i x^(k-1-i).
#[inline]
fn choice_payoff_grad(x: f64, z: f64, k: usize) -> (f64, f64) {
    let (mut fx, mut fz) = (0.0, 0.0);
    let mut zp = 1.0;
    for i in 0..k {
        fx = fx * x + (k - i) as f64 * zp;
        fz = fz * x + (i + 1) as f64 * zp;
        zp *= z;
    }
    let kp1 = (k + 1) as f64;
    (fx / kp1, fz / kp1)
}

/// A population compiled for fast payoff evaluation.
#[derive(Debug, Clone)]
pub struct CompiledPopulation {
    n: usize,
    /// Distinct classes as member lists (singletons for strict rankings).
    classes: Vec<Vec<usize>>,
    class_masks: Vec<ResponseSet>,
    /// Below-sets in an order where each node's parent (the set minus its top class) comes
    /// first: (parent node, class added on top of the parent). Node 0 is the empty set.
    below_nodes: Vec<(u32, u32)>,
    below_masks: Vec<ResponseSet>,
    /// (class, below-set node, normalized weight).
    entries: Vec<(u32, u32, f64)>,
    /// The merged population, for measures that need whole rankings.
    population: Population,
}

impl CompiledPopulation {
    /// Compiles a population (the whole `CompiledPopulationBuilder` in one call).
    pub fn new(population: &Population) -> Self {
        let mut builder = CompiledPopulationBuilder::new(population);
        loop {
            if let Some(compiled) = builder.advance(&mut || false) {
                return compiled;
            }
        }
    }

    pub fn n(&self) -> usize {
        self.n
    }

    /// The merged population this was compiled from.
    pub fn population(&self) -> &Population {
        &self.population
    }

    /// Number of distinct (class, below-set) entries: the work of one evaluation.
    pub fn entry_count(&self) -> usize {
        self.entries.len()
    }

    fn masses(&self, pi: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let class_mass: Vec<f64> = self
            .classes
            .iter()
            .map(|c| c.iter().map(|&y| pi[y]).sum())
            .collect();
        let mut below_mass = vec![0.0; self.below_nodes.len()];
        for (i, &(parent, c)) in self.below_nodes.iter().enumerate().skip(1) {
            below_mass[i] = below_mass[parent as usize] + class_mass[c as usize];
        }
        (class_mass, below_mass)
    }

    /// u_k(y; pi) for every y: the payoff of a response when k other players draw from pi.
    /// `pi` must sum to 1.
    pub fn payoff(&self, pi: &[f64], k: usize, out: &mut [f64]) {
        let (class_mass, below_mass) = self.masses(pi);
        out.iter_mut().for_each(|o| *o = 0.0);
        for &(c, b, w) in &self.entries {
            let z = below_mass[b as usize];
            let x = class_mass[c as usize] + z;
            let f = w * choice_payoff(x, z, k);
            for &y in &self.classes[c as usize] {
                out[y] += f;
            }
        }
    }

    /// u_k(.; pi) as a new vector.
    pub fn payoff_vec(&self, pi: &[f64], k: usize) -> Vec<f64> {
        let mut out = vec![0.0; self.n];
        self.payoff(pi, k, &mut out);
        out
    }

    /// Jacobian J[y][y'] = d u_k(y; pi) / d pi(y'), row-major.
    pub fn payoff_jacobian(&self, pi: &[f64], k: usize) -> Vec<f64> {
        let mut part = self.jacobian_sum(pi);
        self.advance_jacobian(&mut part, k, &mut || false);
        part.jac
    }

    /// The Jacobian at `pi` as a resumable sum over the entries (see `JacobianSum`).
    pub fn jacobian_sum(&self, pi: &[f64]) -> JacobianSum {
        let (class_mass, below_mass) = self.masses(pi);
        JacobianSum {
            class_mass,
            below_mass,
            next: 0,
            jac: vec![0.0; self.n * self.n],
        }
    }

    /// Adds entries to `part` until all are in (true) or `out_of_time()` says stop (asked
    /// between chunks of entries, never before the first). The entries are added in the same order whatever the
    /// slicing, so the sum is the one-call Jacobian bit for bit.
    pub fn advance_jacobian(
        &self,
        part: &mut JacobianSum,
        k: usize,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        let n = self.n;
        // About 2^17 multiply-adds per chunk: each entry costs k for its gradient and n per
        // class member for its rows (1.7 s for all 906,182 entries of 64 x 15,000 at k = 1024).
        let chunk = ((1usize << 17) / (k + n)).max(1);
        // At least one chunk per call (the caller has just looked at the budget), so a
        // caller that resumes and is told to stop at once still makes progress.
        let mut first = true;
        while part.next < self.entries.len() {
            if !std::mem::take(&mut first) && out_of_time() {
                return false;
            }
            let end = (part.next + chunk).min(self.entries.len());
            for &(c, b, w) in &self.entries[part.next..end] {
                let z = part.below_mass[b as usize];
                let x = part.class_mass[c as usize] + z;
                let (fx, fz) = choice_payoff_grad(x, z, k);
                let cmask = self.class_masks[c as usize];
                let bmask = self.below_masks[b as usize];
                for &y in &self.classes[c as usize] {
                    let row = &mut part.jac[y * n..(y + 1) * n];
                    for (yp, r) in row.iter_mut().enumerate() {
                        let bit = 1u64 << yp;
                        if bmask & bit != 0 {
                            *r += w * (fx + fz);
                        } else if cmask & bit != 0 {
                            *r += w * fx;
                        }
                    }
                }
            }
            part.next = end;
        }
        true
    }

    /// eps_k(pi) = max_y u_k(y; pi) - 1/(k+1) (>= 0 up to rounding).
    pub fn exploitability(&self, pi: &[f64], k: usize) -> f64 {
        max(&self.payoff_vec(pi, k)) - 1.0 / (k + 1) as f64
    }

    /// The robust best-of-k win rate W_k(pi) = min_y' (1 - u_k(y'; pi)).
    pub fn robust_win_rate(&self, pi: &[f64], k: usize) -> f64 {
        1.0 - max(&self.payoff_vec(pi, k))
    }

    /// Per-voter reference implementation of the same payoff (no sharing between voters):
    /// the "straightforward" baseline the budgets compare against.
    pub fn payoff_per_voter(population: &Population, pi: &[f64], k: usize, out: &mut [f64]) {
        let total = population.total_weight();
        out.iter_mut().for_each(|o| *o = 0.0);
        for v in population.voters() {
            let w = v.weight / total;
            let mut z = 0.0;
            for class in v.ranking.classes().iter().rev() {
                let b: f64 = class.iter().map(|&y| pi[y]).sum();
                let f = w * choice_payoff(b + z, z, k);
                for &y in class {
                    out[y] += f;
                }
                z += b;
            }
        }
    }
}

/// `CompiledPopulation::new` in resumable form: the merge of identical rankings, then the
/// voters in chunks, then the sort of the entries (0.6 s in one call at the size limits, 64
/// responses x 15,000 voter types). The voters are added in the same order however the work
/// is sliced, so the result is the same bit for bit.
#[derive(Debug, Clone)]
pub struct CompiledPopulationBuilder {
    /// The merged population (taken by the compiled one at the end: None after).
    population: Option<Population>,
    total: f64,
    classes: Vec<Vec<usize>>,
    class_masks: Vec<ResponseSet>,
    class_id: HashMap<ResponseSet, u32>,
    below_nodes: Vec<(u32, u32)>,
    below_masks: Vec<ResponseSet>,
    below_id: HashMap<ResponseSet, u32>,
    entry_id: HashMap<(u32, u32), usize>,
    entries: Vec<(u32, u32, f64)>,
    /// The first voter not added yet.
    next_voter: usize,
}

/// Voters added between two looks at the budget (about 3 ms at 64 responses).
const COMPILE_CHUNK: usize = 128;

impl CompiledPopulationBuilder {
    /// Merges identical rankings (one piece: about 0.1 s at the size limits).
    pub fn new(population: &Population) -> Self {
        let population = population.merged();
        let total = population.total_weight();
        CompiledPopulationBuilder {
            population: Some(population),
            total,
            classes: Vec::new(),
            class_masks: Vec::new(),
            class_id: HashMap::new(),
            below_nodes: vec![(0, 0)],
            below_masks: vec![0],
            below_id: HashMap::from([(0, 0)]),
            entry_id: HashMap::new(),
            entries: Vec::new(),
            next_voter: 0,
        }
    }

    /// Adds voters while `out_of_time()` says no (asked between chunks, never before the
    /// first); the compiled population once every voter is in (and None ever after).
    pub fn advance(&mut self, out_of_time: &mut dyn FnMut() -> bool) -> Option<CompiledPopulation> {
        let mut first = true;
        let voters = self.population.as_ref()?.voters();
        while self.next_voter < voters.len() {
            if !std::mem::take(&mut first) && out_of_time() {
                return None;
            }
            let end = (self.next_voter + COMPILE_CHUNK).min(voters.len());
            for v in &voters[self.next_voter..end] {
                let w = v.weight / self.total;
                // Walk from the bottom class up, growing the below-set.
                let mut below = 0u32;
                let mut below_mask: ResponseSet = 0;
                for class in v.ranking.classes().iter().rev() {
                    let mask = class.iter().fold(0, |m, &y| m | (1u64 << y));
                    let c = *self.class_id.entry(mask).or_insert_with(|| {
                        self.classes.push(class.clone());
                        self.class_masks.push(mask);
                        (self.classes.len() - 1) as u32
                    });
                    let e = *self.entry_id.entry((c, below)).or_insert_with(|| {
                        self.entries.push((c, below, 0.0));
                        self.entries.len() - 1
                    });
                    self.entries[e].2 += w;
                    let parent = below;
                    below_mask |= mask;
                    below = *self.below_id.entry(below_mask).or_insert_with(|| {
                        self.below_nodes.push((parent, c));
                        self.below_masks.push(below_mask);
                        (self.below_nodes.len() - 1) as u32
                    });
                }
            }
            self.next_voter = end;
        }
        if !std::mem::take(&mut first) && out_of_time() {
            return None;
        }
        // Entries sorted by below node keep memory access mostly sequential.
        let population = self.population.take()?;
        let mut entries = std::mem::take(&mut self.entries);
        entries.sort_by_key(|&(c, b, _)| (b, c));
        Some(CompiledPopulation {
            n: population.n(),
            classes: std::mem::take(&mut self.classes),
            class_masks: std::mem::take(&mut self.class_masks),
            below_nodes: std::mem::take(&mut self.below_nodes),
            below_masks: std::mem::take(&mut self.below_masks),
            entries,
            population,
        })
    }
}

/// The payoff Jacobian being summed entry by entry: at the size limits (64 responses x 15,000
/// voter types, k = 1024) one Jacobian takes seconds, so the equilibrium search sums it in
/// slices.
#[derive(Debug, Clone, PartialEq)]
pub struct JacobianSum {
    class_mass: Vec<f64>,
    below_mass: Vec<f64>,
    /// The first entry not added yet.
    next: usize,
    /// The sum so far, row-major n x n (complete once every entry is in).
    jac: Vec<f64>,
}

impl JacobianSum {
    /// The Jacobian (complete once `advance_jacobian` has returned true).
    pub fn into_jacobian(self) -> Vec<f64> {
        self.jac
    }
}

fn max(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

/// A symmetric game in which every player uses the same policy: what self-play needs.
pub trait SymmetricGame {
    fn n(&self) -> usize;
    /// Payoff of each pure response against the others all playing `pi`.
    fn payoff(&self, pi: &[f64], out: &mut [f64]);
    /// sum_y pi(y) u(y; pi) for every pi: 1/m for an m-player alignment game.
    fn value(&self) -> f64;
    /// max_y u(y; pi) - value: zero exactly at a symmetric equilibrium.
    fn exploitability(&self, pi: &[f64]) -> f64 {
        let mut u = vec![0.0; self.n()];
        self.payoff(pi, &mut u);
        max(&u) - self.value()
    }
}

/// The m-player alignment game over a voter population (m = k + 1 players).
#[derive(Debug, Clone)]
pub struct AlignmentGame {
    pub population: CompiledPopulation,
    pub players: usize,
}

impl AlignmentGame {
    pub fn new(population: &Population, players: usize) -> Self {
        AlignmentGame {
            population: CompiledPopulation::new(population),
            players: players.max(1),
        }
    }

    /// k = m - 1: how many other players each one faces.
    pub fn k(&self) -> usize {
        self.players - 1
    }
}

impl SymmetricGame for AlignmentGame {
    fn n(&self) -> usize {
        self.population.n()
    }
    fn payoff(&self, pi: &[f64], out: &mut [f64]) {
        self.population.payoff(pi, self.k(), out)
    }
    fn value(&self) -> f64 {
        1.0 / self.players as f64
    }
}

/// The m-player alignment game on a borrowed compiled population (no copy for solvers).
#[derive(Debug, Clone, Copy)]
pub struct AlignmentGameRef<'a> {
    pub population: &'a CompiledPopulation,
    pub players: usize,
}

impl SymmetricGame for AlignmentGameRef<'_> {
    fn n(&self) -> usize {
        self.population.n()
    }
    fn payoff(&self, pi: &[f64], out: &mut [f64]) {
        self.population
            .payoff(pi, self.players.saturating_sub(1), out)
    }
    fn value(&self) -> f64 {
        1.0 / self.players.max(1) as f64
    }
}

/// NLHF's preference game given only by its matrix: u(y; pi) = (P pi)_y.
#[derive(Debug, Clone)]
pub struct PreferenceGame(pub PairwiseMatrix);

impl SymmetricGame for PreferenceGame {
    fn n(&self) -> usize {
        self.0.n()
    }
    fn payoff(&self, pi: &[f64], out: &mut [f64]) {
        out.copy_from_slice(&self.0.times(pi));
    }
    fn value(&self) -> f64 {
        0.5
    }
}

/// The payoffs the tool reports for one input: the population's, except that a given matrix
/// decides the 2-player game (k = 1) exactly. A fitted population reproduces a matrix only up
/// to its residual, and NLHF's guarantee of 1/2 at k = 1 must hold for the matrix as entered.
#[derive(Debug, Clone)]
pub struct Measures {
    pub population: CompiledPopulation,
    pub matrix: Option<PairwiseMatrix>,
}

impl Measures {
    pub fn new(population: &Population, matrix: Option<PairwiseMatrix>) -> Self {
        Measures {
            population: CompiledPopulation::new(population),
            matrix,
        }
    }

    pub fn n(&self) -> usize {
        self.population.n()
    }

    /// u_k(.; pi).
    pub fn payoff_vec(&self, pi: &[f64], k: usize) -> Vec<f64> {
        match (&self.matrix, k) {
            (Some(m), 1) => m.times(pi),
            _ => self.population.payoff_vec(pi, k),
        }
    }

    /// eps_k(pi) = max_y u_k(y; pi) - 1/(k+1).
    pub fn exploitability(&self, pi: &[f64], k: usize) -> f64 {
        max(&self.payoff_vec(pi, k)) - 1.0 / (k + 1) as f64
    }

    /// W_k(pi) = 1 - max_y u_k(y; pi).
    pub fn robust_win_rate(&self, pi: &[f64], k: usize) -> f64 {
        1.0 - max(&self.payoff_vec(pi, k))
    }

    /// The m-player game self-play runs on: the matrix's preference game for m = 2 when a
    /// matrix is given, else the alignment game on the population.
    pub fn game(&self, players: usize) -> Box<dyn SymmetricGame> {
        match (&self.matrix, players) {
            (Some(m), 2) => Box::new(PreferenceGame(m.clone())),
            _ => Box::new(AlignmentGame {
                population: self.population.clone(),
                players,
            }),
        }
    }
}

/// Best-of-k win rate of pi against a fixed response: W_k(pi, y') = 1 - u_k(y'; pi).
pub fn win_rate_against(pop: &CompiledPopulation, pi: &[f64], k: usize, y: usize) -> f64 {
    1.0 - pop.payoff_vec(pi, k)[y]
}

/// The k/(k+1) guarantee.
pub fn guarantee(k: usize) -> f64 {
    k as f64 / (k + 1) as f64
}

/// Normalizes a non-negative vector to sum 1 (uniform if it sums to 0 or is not finite).
pub fn normalized(v: &[f64]) -> Policy {
    let s: f64 = v.iter().map(|x| x.max(0.0)).sum();
    if s > 0.0 && s.is_finite() {
        v.iter().map(|x| x.max(0.0) / s).collect()
    } else {
        crate::model::uniform(v.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sum_and_closed_forms_agree() {
        // Well-separated x and z only: the naive closed form cancels when x - z is tiny
        // (tests/payoff.rs checks that regime against double-double arithmetic).
        for &(x, z) in &[(1.0, 0.0), (0.7, 0.2), (0.3, 0.3), (0.9, 0.0)] {
            for k in [1usize, 2, 5, 32] {
                let s = choice_payoff(x, z, k);
                let closed = if x == z {
                    x.powi(k as i32)
                } else {
                    (x.powi(k as i32 + 1) - z.powi(k as i32 + 1)) / ((k + 1) as f64 * (x - z))
                };
                assert!(
                    (s - closed).abs() <= 1e-9 * closed.abs().max(1e-300),
                    "{x} {z} {k}"
                );
            }
        }
    }
}
