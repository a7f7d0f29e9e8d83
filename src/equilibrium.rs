//! The symmetric Nash equilibrium of the m-player alignment game, to machine precision.
//!
//! Method: Hedge self-play from uniform (eta = 2m, which DESIGN.md section 5 observed to reach
//! exploitability ~1e-4 in tens of iterations) gets close; a semismooth Newton method on the
//! Fischer-Burmeister form of the equilibrium conditions (analytic Jacobian) then finds the
//! support by itself and finishes in a few quadratic steps. Should it fail, Newton on a
//! guessed support's indifference equations inside an active-set loop is tried, then more
//! Hedge with smaller steps. The result's exploitability is always computed, not assumed.
//! Hedge alone converges only linearly and slows down when a response sits just outside the
//! support; Newton does not care. (The active-set loop alone grows the support one response
//! per round, which took seconds for k = 1024; the semismooth form takes ~20 steps.)

use crate::config::Algorithm;
use crate::dynamics::SelfPlay;
use crate::model::{uniform, Policy};
use crate::payoff::{AlignmentGameRef, CompiledPopulation, SymmetricGame};

/// A solved equilibrium and how it was reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Equilibrium {
    pub policy: Policy,
    /// max_y u_{m-1}(y; pi) - 1/m, clamped at 0 from below (rounding).
    pub exploitability: f64,
    /// Hedge iterations spent.
    pub hedge_iterations: usize,
    /// Newton steps spent.
    pub newton_steps: usize,
}

/// A local method that takes a starting policy to an equilibrium candidate (and its steps).
type Polisher = fn(&CompiledPopulation, usize, &[f64]) -> (Policy, usize);

/// Pivots below this times the largest entry mean a singular Newton system (wrong support).
const PIVOT_TOLERANCE: f64 = 1e-14;

/// Exploitability the solver aims for (rounding of a sum of ~n terms).
pub const TARGET_EXPLOITABILITY: f64 = 1e-13;

/// Solves the symmetric equilibrium of the `players`-player alignment game.
pub fn solve(pop: &CompiledPopulation, players: usize) -> Equilibrium {
    let n = pop.n();
    let k = players.saturating_sub(1);
    if k == 0 || n == 1 {
        // One player always wins; one response is the only policy.
        let policy = uniform(n);
        return Equilibrium {
            exploitability: pop.exploitability(&policy, k).max(0.0),
            policy,
            hedge_iterations: 0,
            newton_steps: 0,
        };
    }
    if players == 2 {
        // NLHF's game: exact by linear programming, then the canonical sparse choice.
        let lottery = crate::lottery::maximal_lottery(&pop.population().pairwise());
        let policy = sparsest_nearby(pop, 1, lottery);
        let exploitability = pop.exploitability(&policy, 1).max(0.0);
        if exploitability <= TARGET_EXPLOITABILITY {
            return Equilibrium {
                policy,
                exploitability,
                hedge_iterations: 0,
                newton_steps: 0,
            };
        }
    }
    let game = AlignmentGameRef {
        population: pop,
        players,
    };
    let mut best = Equilibrium {
        policy: uniform(n),
        exploitability: f64::INFINITY,
        hedge_iterations: 0,
        newton_steps: 0,
    };
    let mut hedge = SelfPlay::new(n, Algorithm::Hedge, 2.0 * players as f64);
    let mut budget = 64;
    let mut earlier_rounds = 0;
    for round in 0..6 {
        // Hedge until the iterate is good enough to read a support from.
        while hedge.iteration() < budget {
            hedge.step(&game);
            if hedge.iteration().is_multiple_of(8) && game.exploitability(hedge.policy()) < 1e-3 {
                break;
            }
        }
        best.hedge_iterations = earlier_rounds + hedge.iteration();
        let starts = [hedge.policy().to_vec(), hedge.average()];
        // The active-set loop is the slower fallback: only once a few Hedge rounds have not
        // brought the semismooth method into its basin.
        let solvers: &[Polisher] = if round < 5 {
            &[semismooth_newton]
        } else {
            &[semismooth_newton, active_set_newton]
        };
        for (solver, start) in solvers
            .iter()
            .flat_map(|s| starts.iter().map(move |p| (s, p)))
        {
            let (policy, steps) = solver(pop, k, start);
            best.newton_steps += steps;
            let eps = pop.exploitability(&policy, k).max(0.0);
            if eps < best.exploitability {
                best.policy = policy;
                best.exploitability = eps;
            }
            if best.exploitability <= TARGET_EXPLOITABILITY {
                if players == 2 {
                    best.policy = sparsest_nearby(pop, k, best.policy);
                    best.exploitability = pop.exploitability(&best.policy, k).max(0.0);
                }
                return best;
            }
        }
        // Not there yet: keep playing from here with half the step (large steps can stall
        // for large k), for longer each round.
        let eta = 2.0 * players as f64 / f64::from(2u32 << round);
        earlier_rounds += hedge.iteration();
        hedge = SelfPlay::from_policy(hedge.policy().to_vec(), Algorithm::Hedge, eta);
        budget = 256 << round;
    }
    // Fall back on the best iterate seen, reporting its true exploitability.
    let eps_last = pop.exploitability(hedge.policy(), k).max(0.0);
    if eps_last < best.exploitability {
        best.policy = hedge.policy().to_vec();
        best.exploitability = eps_last;
    }
    best
}

impl crate::payoff::Measures {
    /// The symmetric equilibrium of the m-player game as the tool reports it: for m = 2 on a
    /// given matrix, the maximal lottery of that matrix; otherwise `solve` on the population.
    pub fn equilibrium(&self, players: usize) -> Equilibrium {
        if let (Some(m), 2) = (&self.matrix, players) {
            let policy = crate::lottery::maximal_lottery(m);
            return Equilibrium {
                exploitability: self.exploitability(&policy, 1).max(0.0),
                policy,
                hedge_iterations: 0,
                newton_steps: 0,
            };
        }
        solve(&self.population, players)
    }
}

/// The 2-player game has a continuum of equilibria whenever P has exact ties (e.g. T-shirt
/// data, where two designs tie 15-15); pick a canonical one by greedily dropping the lightest
/// support responses while an equilibrium remains on the smaller support.
fn sparsest_nearby(pop: &CompiledPopulation, k: usize, policy: Policy) -> Policy {
    let mut best = policy;
    loop {
        let mut order: Vec<usize> = (0..best.len()).filter(|&y| best[y] > 0.0).collect();
        if order.len() <= 1 {
            return best;
        }
        order.sort_by(|&a, &b| best[a].total_cmp(&best[b]));
        let mut improved = false;
        for y in order {
            let support: Vec<bool> = (0..best.len()).map(|z| z != y && best[z] > 0.0).collect();
            let mut start = best.clone();
            start[y] = 0.0;
            let start = crate::payoff::normalized(&start);
            let candidate = match newton_on_support(pop, k, &support, &start) {
                (Some(q), _) if q.iter().all(|&p| p >= -1e-15) => crate::payoff::normalized(&q),
                _ if support.iter().filter(|&&s| s).count() == 1 => start,
                _ => continue,
            };
            if pop.exploitability(&candidate, k) <= TARGET_EXPLOITABILITY {
                best = candidate;
                improved = true;
                break;
            }
        }
        if !improved {
            return best;
        }
    }
}

/// Newton on the support's indifference equations inside an active-set loop. Returns the
/// policy reached and the number of Newton steps.
fn active_set_newton(pop: &CompiledPopulation, k: usize, start: &[f64]) -> (Policy, usize) {
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
    let idx: Vec<usize> = (0..pop.n()).filter(|&y| support[y]).collect();
    let s = idx.len();
    if s == 0 {
        return (None, 0);
    }
    let mut pi = start.to_vec();
    let mut v = 1.0 / (k + 1) as f64;
    let residual = |pi: &[f64], v: f64| -> (Vec<f64>, f64) {
        let u = pop.payoff_vec(pi, k);
        let mut r: Vec<f64> = idx.iter().map(|&y| u[y] - v).collect();
        r.push(idx.iter().map(|&y| pi[y]).sum::<f64>() - 1.0);
        let norm = r.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        (r, norm)
    };
    let (mut r, mut norm) = residual(&pi, v);
    let mut steps = 0;
    while steps < 40 && norm > 1e-16 {
        let jac = pop.payoff_jacobian(&pi, k);
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
        let rhs: Vec<f64> = r.iter().map(|x| -x).collect();
        let Some(delta) = crate::linalg::solve_linear(a, rhs, dim, PIVOT_TOLERANCE) else {
            return (None, steps);
        };
        steps += 1;
        // Backtrack until the residual shrinks.
        let mut alpha = 1.0;
        let mut accepted = false;
        for _ in 0..30 {
            let mut trial = pi.clone();
            for (i, &y) in idx.iter().enumerate() {
                trial[y] = pi[y] + alpha * delta[i];
            }
            let tv = v + alpha * delta[s];
            let (tr, tn) = residual(&trial, tv);
            if tn < norm || tn <= 1e-16 {
                pi = trial;
                v = tv;
                r = tr;
                norm = tn;
                accepted = true;
                break;
            }
            alpha *= 0.5;
        }
        if !accepted {
            break;
        }
    }
    if norm < 1e-10 {
        (Some(pi), steps)
    } else {
        (None, steps)
    }
}

/// Semismooth Newton on the Fischer-Burmeister form of the equilibrium conditions:
/// phi(pi_y, v - u_y(pi)) = 0 for every y and sum pi = 1, where
/// phi(a, b) = a + b - sqrt(a^2 + b^2) vanishes iff a >= 0, b >= 0, ab = 0. This identifies
/// the support by itself (no combinatorial active-set loop) and converges quadratically near
/// the solution; an Armijo line search on |Phi|^2 globalizes it.
fn semismooth_newton(pop: &CompiledPopulation, k: usize, start: &[f64]) -> (Policy, usize) {
    let n = pop.n();
    let dim = n + 1;
    let mut x: Vec<f64> = start.to_vec();
    x.push(1.0 / (k + 1) as f64);
    let phi = |x: &[f64]| -> (Vec<f64>, f64) {
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
    };
    let (mut f, mut psi) = phi(&x);
    let mut steps = 0;
    while steps < 100 && f.iter().fold(0.0f64, |m, t| m.max(t.abs())) > 1e-16 {
        steps += 1;
        let pi: Vec<f64> = x[..n].iter().map(|p| p.max(0.0)).collect();
        let u = pop.payoff_vec(&pi, k);
        let ju = pop.payoff_jacobian(&pi, k);
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
        let (dir, slope) = match crate::linalg::solve_linear(jac.clone(), rhs, dim, PIVOT_TOLERANCE)
        {
            Some(d) => (d, -2.0 * psi),
            None => {
                // Steepest descent on psi: -J^T f.
                let g: Vec<f64> = (0..dim)
                    .map(|c| -(0..dim).map(|r| jac[r * dim + c] * f[r]).sum::<f64>())
                    .collect();
                let slope = -g.iter().map(|t| t * t).sum::<f64>();
                (g, slope)
            }
        };
        let mut t = 1.0;
        let mut moved = false;
        for _ in 0..40 {
            let trial: Vec<f64> = x.iter().zip(&dir).map(|(a, d)| a + t * d).collect();
            let (tf, tpsi) = phi(&trial);
            if tpsi <= psi + 1e-4 * t * slope || tpsi == 0.0 {
                x = trial;
                f = tf;
                psi = tpsi;
                moved = true;
                break;
            }
            t *= 0.5;
        }
        if !moved {
            break;
        }
    }
    // Responses outside the support end at ~1e-17 rather than 0: make them exactly 0.
    let top = x[..n].iter().copied().fold(0.0, f64::max);
    let pi: Vec<f64> = x[..n]
        .iter()
        .map(|&p| if p > 1e-13 * top { p } else { 0.0 })
        .collect();
    (crate::payoff::normalized(&pi), steps)
}
