//! Self-play dynamics (docs/mathematics.md#self-play): all players share one policy and update it from
//! the payoff vector of the symmetric game, step by step, tracking average iterate and regret.

use crate::config::Algorithm;
use crate::model::{uniform, Policy};
use crate::payoff::SymmetricGame;

/// KL-regularization strength toward the reference policy for Nash-MD.
pub const NASH_MD_TAU: f64 = 0.02;

/// One self-play run on a symmetric game.
#[derive(Debug, Clone)]
pub struct SelfPlay {
    algorithm: Algorithm,
    step_size: f64,
    /// Current iterate pi_t.
    policy: Policy,
    /// Hedge's log-weights (eta times cumulative utility, up to a constant).
    log_weights: Vec<f64>,
    reference: Policy,
    /// sum_s pi_s.
    policy_sum: Vec<f64>,
    /// sum_s u_s(y) and sum_s <pi_s, u_s>, for external regret.
    utility_sum: Vec<f64>,
    realized_sum: f64,
    /// Payoff vector at the current iterate (computed lazily by `step`).
    utility: Vec<f64>,
    iteration: usize,
}

impl SelfPlay {
    /// Starts from the uniform policy.
    pub fn new(n: usize, algorithm: Algorithm, step_size: f64) -> Self {
        Self::from_policy(uniform(n), algorithm, step_size)
    }

    /// Starts from a given policy (must be a probability vector).
    pub fn from_policy(policy: Policy, algorithm: Algorithm, step_size: f64) -> Self {
        let n = policy.len();
        let log_weights = policy
            .iter()
            .map(|&p| if p > 0.0 { p.ln() } else { -745.0 })
            .collect();
        SelfPlay {
            algorithm,
            step_size: if step_size.is_finite() && step_size > 0.0 {
                step_size
            } else {
                1.0
            },
            log_weights,
            reference: uniform(n),
            policy_sum: vec![0.0; n],
            utility_sum: vec![0.0; n],
            realized_sum: 0.0,
            utility: vec![0.0; n],
            policy,
            iteration: 0,
        }
    }

    /// Iterations taken so far.
    pub fn iteration(&self) -> usize {
        self.iteration
    }

    /// The current iterate pi_t.
    pub fn policy(&self) -> &[f64] {
        &self.policy
    }

    /// The average of the iterates played so far (the current one before the first step).
    pub fn average(&self) -> Policy {
        if self.iteration == 0 {
            return self.policy.clone();
        }
        let t = self.iteration as f64;
        self.policy_sum.iter().map(|s| s / t).collect()
    }

    /// External regret after the steps taken: max_y sum_s u_s(y) - sum_s <pi_s, u_s>.
    pub fn regret(&self) -> f64 {
        let best = self
            .utility_sum
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        if self.iteration == 0 {
            0.0
        } else {
            (best - self.realized_sum).max(0.0)
        }
    }

    /// Plays pi_t once (the game's payoff vector at pi_t) and moves to pi_{t+1}.
    pub fn step(&mut self, game: &dyn SymmetricGame) {
        game.payoff(&self.policy, &mut self.utility);
        let u = &self.utility;
        let realized: f64 = self.policy.iter().zip(u).map(|(p, x)| p * x).sum();
        for (s, p) in self.policy_sum.iter_mut().zip(&self.policy) {
            *s += p;
        }
        for (s, x) in self.utility_sum.iter_mut().zip(u) {
            *s += x;
        }
        self.realized_sum += realized;
        let eta = self.step_size;
        match self.algorithm {
            Algorithm::Hedge => {
                for (l, x) in self.log_weights.iter_mut().zip(u) {
                    *l += eta * x;
                }
                self.policy = softmax(&self.log_weights);
            }
            Algorithm::OptimisticHedge => {
                // pi_{t+1} proportional to exp(eta (U_t + u_t)): the optimistic guess is u_t again.
                for (l, x) in self.log_weights.iter_mut().zip(u) {
                    *l += eta * x;
                }
                let shifted: Vec<f64> = self
                    .log_weights
                    .iter()
                    .zip(u)
                    .map(|(l, x)| l + eta * x)
                    .collect();
                self.policy = softmax(&shifted);
            }
            Algorithm::Replicator => {
                let h = eta;
                let next: Vec<f64> = self
                    .policy
                    .iter()
                    .zip(u)
                    .map(|(p, x)| (p + h * p * (x - realized)).max(0.0))
                    .collect();
                self.policy = crate::payoff::normalized(&next);
            }
            Algorithm::NashMd => {
                // Mirror descent with a KL pull toward the reference:
                // log pi_{t+1} = (1 - eta tau) log pi_t + eta tau log ref + eta u_t.
                let pull = (eta * NASH_MD_TAU).min(1.0);
                for ((l, x), r) in self.log_weights.iter_mut().zip(u).zip(&self.reference) {
                    *l = (1.0 - pull) * *l + pull * r.ln() + eta * x;
                }
                self.policy = softmax(&self.log_weights);
            }
        }
        // Keep log-weights bounded so long runs never overflow.
        let top = self
            .log_weights
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        if top.is_finite() && top.abs() > 1e6 {
            for l in &mut self.log_weights {
                *l -= top;
            }
        }
        self.iteration += 1;
    }
}

/// softmax(v), stable.
pub fn softmax(v: &[f64]) -> Policy {
    let top = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !top.is_finite() {
        return uniform(v.len());
    }
    let e: Vec<f64> = v.iter().map(|x| (x - top).exp()).collect();
    let s: f64 = e.iter().sum();
    e.iter().map(|x| x / s).collect()
}

/// Hedge's tuned step for a horizon of T steps with payoffs in [0, 1]: sqrt(8 ln n / T).
pub fn tuned_hedge_step(n: usize, horizon: usize) -> f64 {
    (8.0 * (n.max(2) as f64).ln() / horizon.max(1) as f64).sqrt()
}

/// Hedge's regret bound with the tuned step: sqrt(T ln n / 2).
pub fn hedge_regret_bound(n: usize, horizon: usize) -> f64 {
    (horizon as f64 * (n.max(2) as f64).ln() / 2.0).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{default_labels, PairwiseMatrix};
    use crate::payoff::PreferenceGame;

    #[test]
    fn hedge_collapses_on_a_condorcet_winner() {
        let m =
            PairwiseMatrix::new(default_labels(2), vec![vec![0.5, 0.51], vec![0.49, 0.5]]).unwrap();
        let game = PreferenceGame(m);
        let mut sp = SelfPlay::new(2, Algorithm::Hedge, 4.0);
        for _ in 0..500 {
            sp.step(&game);
        }
        assert!(sp.policy()[0] > 0.9999, "{:?}", sp.policy());
        // Regret is bounded by the tuned bound's order even at this fixed step.
        assert!(sp.regret() < 5.0, "{}", sp.regret());
    }
}
