//! The local methods the equilibrium search polishes with: semismooth Newton on the
//! Fischer-Burmeister form of the equilibrium conditions, and Newton on a support's
//! indifference equations (alone, or inside an active-set loop).

use crate::model::Policy;
use crate::payoff::{CompiledPopulation, JacobianSum};

/// Pivots below this times the largest entry mean a singular Newton system (wrong support).
const PIVOT_TOLERANCE: f64 = 1e-14;

/// Newton on the support's indifference equations inside an active-set loop. Returns the
/// policy reached and the number of Newton steps.
pub(super) fn active_set_newton(
    pop: &CompiledPopulation,
    k: usize,
    start: &[f64],
) -> (Policy, usize) {
    let n = pop.n();
    let top = start.iter().copied().fold(0.0, f64::max);
    let mut support: Vec<bool> = start.iter().map(|&p| p > 1e-4 * top).collect();
    let mut pi = start.to_vec();
    let mut steps = 0;
    let value = 1.0 / (k + 1) as f64;
    for _ in 0..(3 * n + 3) {
        for (p, &s) in pi.iter_mut().zip(&support) {
            if !s {
                *p = 0.0;
            } else if *p < 1e-6 {
                *p = 1e-6;
            }
        }
        pi = crate::payoff::normalized(&pi);
        let (q, s) = newton_on_support(pop, k, &support, &pi);
        steps += s;
        let Some(q) = q else {
            // Singular or no convergence: the support is wrong; drop its lightest response.
            let lightest = (0..n)
                .filter(|&y| support[y])
                .min_by(|&a, &b| pi[a].total_cmp(&pi[b]));
            match lightest {
                Some(y) if support.iter().filter(|&&s| s).count() > 1 => {
                    support[y] = false;
                    continue;
                }
                _ => return (pi, steps),
            }
        };
        // Drop the most negative response, if any.
        let (worst, min_q) = q.iter().enumerate().filter(|(y, _)| support[*y]).fold(
            (usize::MAX, f64::INFINITY),
            |acc, (y, &p)| if p < acc.1 { (y, p) } else { acc },
        );
        if min_q < -1e-12 && worst != usize::MAX {
            support[worst] = false;
            pi = q.iter().map(|p| p.max(0.0)).collect();
            continue;
        }
        pi = crate::payoff::normalized(&q);
        let u = pop.payoff_vec(&pi, k);
        // Add the outside response that would gain most, if any gains.
        let entrant = (0..n)
            .filter(|&y| !support[y])
            .max_by(|&a, &b| u[a].total_cmp(&u[b]));
        match entrant {
            Some(y) if u[y] > value + 1e-15 => {
                support[y] = true;
                pi[y] = 1e-3;
            }
            _ => return (pi, steps),
        }
    }
    (pi, steps)
}

/// Solves u_S(q) = v, sum q = 1 for q on the support (zero elsewhere). `None` when the
/// system is singular or Newton does not converge.
fn newton_on_support(
    pop: &CompiledPopulation,
    k: usize,
    support: &[bool],
    start: &[f64],
) -> (Option<Policy>, usize) {
    let mut newton = SupportNewton::new(pop, k, support, start);
    newton.advance(pop, k, &mut || false);
    newton.result()
}

/// `newton_on_support` in resumable form: the Jacobian summed in slices, one line-search
/// trial per piece (one solve took 1.8 s at the size limits for k = 1).
#[derive(Debug, Clone)]
pub(super) struct SupportNewton {
    /// The support's responses.
    idx: Vec<usize>,
    pi: Policy,
    v: f64,
    /// The residual (u_S - v, sum - 1) and its largest entry.
    r: Vec<f64>,
    norm: f64,
    steps: usize,
    phase: SupportPhase,
}

#[derive(Debug, Clone)]
enum SupportPhase {
    /// Between steps: next, test for convergence and start a step.
    Test,
    /// Summing the payoff Jacobian at `pi`.
    Jacobian(JacobianSum),
    /// Backtracking along `delta` until the residual shrinks: trial `tries` at `alpha`.
    LineSearch {
        delta: Vec<f64>,
        alpha: f64,
        tries: usize,
    },
    /// Done: converged or stalled (`singular` when a Newton system was).
    Finished { singular: bool },
}

impl SupportNewton {
    /// Starts at `start` with v = 1/(k+1) (one payoff evaluation).
    pub(super) fn new(pop: &CompiledPopulation, k: usize, support: &[bool], start: &[f64]) -> Self {
        let idx: Vec<usize> = (0..pop.n()).filter(|&y| support[y]).collect();
        let pi = start.to_vec();
        let v = 1.0 / (k + 1) as f64;
        let (r, norm, phase) = if idx.is_empty() {
            (
                Vec::new(),
                f64::INFINITY,
                SupportPhase::Finished { singular: true },
            )
        } else {
            let (r, norm) = support_residual(pop, k, &idx, &pi, v);
            (r, norm, SupportPhase::Test)
        };
        SupportNewton {
            idx,
            pi,
            v,
            r,
            norm,
            steps: 0,
            phase,
        }
    }

    /// Works while `out_of_time()` says no (asked between pieces; the first piece always
    /// runs); true once finished.
    pub(super) fn advance(
        &mut self,
        pop: &CompiledPopulation,
        k: usize,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        let mut first = true;
        loop {
            if matches!(self.phase, SupportPhase::Finished { .. }) {
                return true;
            }
            if !std::mem::take(&mut first) && out_of_time() {
                return false;
            }
            let idx = &self.idx;
            let s = idx.len();
            match std::mem::replace(&mut self.phase, SupportPhase::Finished { singular: false }) {
                SupportPhase::Test => {
                    if self.steps < 40 && self.norm > 1e-16 {
                        self.phase = SupportPhase::Jacobian(pop.jacobian_sum(&self.pi));
                    }
                }
                SupportPhase::Jacobian(mut sum) => {
                    if !pop.advance_jacobian(&mut sum, k, out_of_time) {
                        self.phase = SupportPhase::Jacobian(sum);
                        return false;
                    }
                    let jac = sum.into_jacobian();
                    let n = pop.n();
                    let dim = s + 1;
                    let mut a = vec![0.0; dim * dim];
                    for (row, &y) in idx.iter().enumerate() {
                        for (col, &yp) in idx.iter().enumerate() {
                            a[row * dim + col] = jac[y * n + yp];
                        }
                        a[row * dim + s] = -1.0;
                    }
                    for col in 0..s {
                        a[s * dim + col] = 1.0;
                    }
                    let rhs: Vec<f64> = self.r.iter().map(|x| -x).collect();
                    let Some(delta) = crate::linalg::solve_linear(a, rhs, dim, PIVOT_TOLERANCE)
                    else {
                        self.phase = SupportPhase::Finished { singular: true };
                        continue;
                    };
                    self.steps += 1;
                    self.phase = SupportPhase::LineSearch {
                        delta,
                        alpha: 1.0,
                        tries: 0,
                    };
                }
                SupportPhase::LineSearch {
                    delta,
                    alpha,
                    tries,
                } => {
                    // Backtrack until the residual shrinks, at most 30 halvings; none
                    // accepted ends the run.
                    if tries < 30 {
                        let mut trial = self.pi.clone();
                        for (i, &y) in idx.iter().enumerate() {
                            trial[y] = self.pi[y] + alpha * delta[i];
                        }
                        let tv = self.v + alpha * delta[s];
                        let (tr, tn) = support_residual(pop, k, idx, &trial, tv);
                        if tn < self.norm || tn <= 1e-16 {
                            self.pi = trial;
                            self.v = tv;
                            self.r = tr;
                            self.norm = tn;
                            self.phase = SupportPhase::Test;
                        } else {
                            self.phase = SupportPhase::LineSearch {
                                delta,
                                alpha: alpha * 0.5,
                                tries: tries + 1,
                            };
                        }
                    }
                }
                SupportPhase::Finished { singular } => {
                    self.phase = SupportPhase::Finished { singular };
                }
            }
        }
    }

    /// The solution (None if singular or not converged) and the Newton steps taken.
    pub(super) fn result(self) -> (Option<Policy>, usize) {
        match self.phase {
            SupportPhase::Finished { singular: false } if self.norm < 1e-10 => {
                (Some(self.pi), self.steps)
            }
            _ => (None, self.steps),
        }
    }
}

/// The residual of the support's indifference equations, (u_y - v for y in the support,
/// sum - 1), and its largest entry.
fn support_residual(
    pop: &CompiledPopulation,
    k: usize,
    idx: &[usize],
    pi: &[f64],
    v: f64,
) -> (Vec<f64>, f64) {
    let u = pop.payoff_vec(pi, k);
    let mut r: Vec<f64> = idx.iter().map(|&y| u[y] - v).collect();
    r.push(idx.iter().map(|&y| pi[y]).sum::<f64>() - 1.0);
    let norm = r.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    (r, norm)
}

/// Semismooth Newton on the Fischer-Burmeister form of the equilibrium conditions:
/// phi(pi_y, v - u_y(pi)) = 0 for every y and sum pi = 1, where
/// phi(a, b) = a + b - sqrt(a^2 + b^2) vanishes iff a >= 0, b >= 0, ab = 0. This identifies
/// the support by itself (no combinatorial active-set loop) and converges quadratically near
/// the solution; an Armijo line search on |Phi|^2 globalizes it.
///
/// Resumable: a Newton step's Jacobian is summed in slices, and each line-search trial is
/// one piece.
#[derive(Debug, Clone)]
pub(super) struct SemismoothNewton {
    /// (pi, v).
    x: Vec<f64>,
    /// Phi(x) and psi = |Phi|^2 / 2.
    f: Vec<f64>,
    psi: f64,
    steps: usize,
    phase: NewtonPhase,
}

#[derive(Debug, Clone)]
enum NewtonPhase {
    /// Between steps: next, test for convergence and start a step.
    Test,
    /// Summing the payoff Jacobian at the clamped iterate (payoffs `u` already known).
    Jacobian { u: Vec<f64>, sum: JacobianSum },
    /// Backtracking along `dir`: trial `tries` at step length `t`.
    LineSearch {
        dir: Vec<f64>,
        slope: f64,
        t: f64,
        tries: usize,
    },
    /// Converged, stalled or out of steps.
    Finished,
}

impl SemismoothNewton {
    /// Starts at `start` with v = 1/(k+1); evaluates Phi there (one payoff evaluation).
    pub(super) fn new(pop: &CompiledPopulation, k: usize, start: &[f64]) -> Self {
        let mut x: Vec<f64> = start.to_vec();
        x.push(1.0 / (k + 1) as f64);
        let (f, psi) = fischer_burmeister(pop, k, &x);
        SemismoothNewton {
            x,
            f,
            psi,
            steps: 0,
            phase: NewtonPhase::Test,
        }
    }

    /// Works while `out_of_time()` says no (asked between pieces; the first piece always
    /// runs); true once finished.
    pub(super) fn advance(
        &mut self,
        pop: &CompiledPopulation,
        k: usize,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        let n = pop.n();
        let dim = n + 1;
        let mut first = true;
        loop {
            if matches!(self.phase, NewtonPhase::Finished) {
                return true;
            }
            if !first && out_of_time() {
                return false;
            }
            first = false;
            match std::mem::replace(&mut self.phase, NewtonPhase::Finished) {
                NewtonPhase::Test => {
                    if self.steps < 100 && self.f.iter().fold(0.0f64, |m, t| m.max(t.abs())) > 1e-16
                    {
                        self.steps += 1;
                        let pi: Vec<f64> = self.x[..n].iter().map(|p| p.max(0.0)).collect();
                        let u = pop.payoff_vec(&pi, k);
                        let sum = pop.jacobian_sum(&pi);
                        self.phase = NewtonPhase::Jacobian { u, sum };
                    }
                }
                NewtonPhase::Jacobian { u, mut sum } => {
                    if !pop.advance_jacobian(&mut sum, k, out_of_time) {
                        self.phase = NewtonPhase::Jacobian { u, sum };
                        return false;
                    }
                    let ju = sum.into_jacobian();
                    let (x, f) = (&self.x, &self.f);
                    let v = x[n];
                    let mut jac = vec![0.0; dim * dim];
                    for y in 0..n {
                        let (a, b) = (x[y], v - u[y]);
                        let r = a.hypot(b);
                        let (da, db) = if r > 1e-300 {
                            (1.0 - a / r, 1.0 - b / r)
                        } else {
                            (
                                1.0 - std::f64::consts::FRAC_1_SQRT_2,
                                1.0 - std::f64::consts::FRAC_1_SQRT_2,
                            )
                        };
                        for yp in 0..n {
                            jac[y * dim + yp] = -db * ju[y * n + yp];
                        }
                        jac[y * dim + y] += da;
                        jac[y * dim + n] = db;
                    }
                    for yp in 0..n {
                        jac[n * dim + yp] = 1.0;
                    }
                    let rhs: Vec<f64> = f.iter().map(|t| -t).collect();
                    let (dir, slope) =
                        match crate::linalg::solve_linear(jac.clone(), rhs, dim, PIVOT_TOLERANCE) {
                            Some(d) => (d, -2.0 * self.psi),
                            None => {
                                // Steepest descent on psi: -J^T f.
                                let g: Vec<f64> = (0..dim)
                                    .map(|c| {
                                        -(0..dim).map(|r| jac[r * dim + c] * f[r]).sum::<f64>()
                                    })
                                    .collect();
                                let slope = -g.iter().map(|t| t * t).sum::<f64>();
                                (g, slope)
                            }
                        };
                    self.phase = NewtonPhase::LineSearch {
                        dir,
                        slope,
                        t: 1.0,
                        tries: 0,
                    };
                }
                NewtonPhase::LineSearch {
                    dir,
                    slope,
                    t,
                    tries,
                } => {
                    // Armijo backtracking, at most 40 halvings; none accepted ends the run.
                    if tries < 40 {
                        let trial: Vec<f64> =
                            self.x.iter().zip(&dir).map(|(a, d)| a + t * d).collect();
                        let (tf, tpsi) = fischer_burmeister(pop, k, &trial);
                        if tpsi <= self.psi + 1e-4 * t * slope || tpsi == 0.0 {
                            self.x = trial;
                            self.f = tf;
                            self.psi = tpsi;
                            self.phase = NewtonPhase::Test;
                        } else {
                            self.phase = NewtonPhase::LineSearch {
                                dir,
                                slope,
                                t: t * 0.5,
                                tries: tries + 1,
                            };
                        }
                    }
                }
                NewtonPhase::Finished => {}
            }
        }
    }

    /// The policy reached and the Newton steps taken.
    pub(super) fn result(&self) -> (Policy, usize) {
        let n = self.x.len() - 1;
        // Responses outside the support end at ~1e-17 rather than 0: make them exactly 0.
        let top = self.x[..n].iter().copied().fold(0.0, f64::max);
        let pi: Vec<f64> = self.x[..n]
            .iter()
            .map(|&p| if p > 1e-13 * top { p } else { 0.0 })
            .collect();
        (crate::payoff::normalized(&pi), self.steps)
    }
}

/// Phi(x) and psi = |Phi|^2 / 2 for x = (pi, v) (pi clamped at 0 for the payoffs).
fn fischer_burmeister(pop: &CompiledPopulation, k: usize, x: &[f64]) -> (Vec<f64>, f64) {
    let n = pop.n();
    let pi: Vec<f64> = x[..n].iter().map(|p| p.max(0.0)).collect();
    let u = pop.payoff_vec(&pi, k);
    let v = x[n];
    let mut f: Vec<f64> = (0..n)
        .map(|y| {
            let (a, b) = (x[y], v - u[y]);
            a + b - a.hypot(b)
        })
        .collect();
    f.push(x[..n].iter().sum::<f64>() - 1.0);
    let psi = 0.5 * f.iter().map(|t| t * t).sum::<f64>();
    (f, psi)
}
