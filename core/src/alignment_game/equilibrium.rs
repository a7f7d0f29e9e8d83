//! The symmetric Nash equilibrium of the m-player alignment game, to machine precision.
//!
//! Method (docs/mathematics.md#exploitability): Hedge self-play from uniform with a large step
//! (eta = 2m) gets close; a semismooth Newton method on the Fischer-Burmeister form of the
//! equilibrium conditions (analytic Jacobian) then finds the support by itself and finishes
//! in a few quadratic steps. Should it fail, Newton on a guessed support's indifference
//! equations inside an active-set loop is tried, then more Hedge with smaller steps. The
//! result's exploitability is always computed, not assumed, and the result says whether it
//! reached `TARGET_EXPLOITABILITY` (`Equilibrium::certified`): when six rounds all fail, what
//! comes back is the best iterate seen, flagged as such.
//! Hedge alone converges only linearly and slows down when a response sits just outside the
//! support; Newton does not care. (The active-set loop alone grows the support one response
//! per round, which took seconds for k = 1024; the semismooth form takes ~20 steps.)

use super::newton::{active_set_newton, SemismoothNewton, SupportNewton};
use crate::config::Algorithm;
use crate::dynamics::SelfPlay;
use crate::model::{uniform, PairwiseSum, Policy};
use crate::payoff::{AlignmentGameRef, CompiledPopulation, SymmetricGame};

/// A solved equilibrium and how it was reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Equilibrium {
    pub policy: Policy,
    /// max_y u_{m-1}(y; pi) - 1/m, clamped at 0 from below (rounding), computed from `policy`.
    pub exploitability: f64,
    /// True when `exploitability <= TARGET_EXPLOITABILITY`: the policy is an equilibrium to
    /// that accuracy, and the tool calls its values exact. False: every round failed and
    /// `policy` is the best iterate seen, with `exploitability` its distance from one.
    pub certified: bool,
    /// Hedge iterations spent.
    pub hedge_iterations: usize,
    /// Newton steps spent.
    pub newton_steps: usize,
}

/// A local method that takes a starting policy to an equilibrium candidate (and its steps).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Polisher {
    /// `SemismoothNewton`, resumable.
    Semismooth,
    /// `active_set_newton`, in one piece (the last resort).
    ActiveSet,
}

/// Exploitability the solver stops at, and the threshold of `Equilibrium::certified`: the
/// rounding of a sum of ~n payoff terms leaves exploitabilities of 1e-16 to 1e-15 after the
/// last Newton step, so 1e-13 is reached whenever Newton converges, and nothing above it is
/// called exact.
pub const TARGET_EXPLOITABILITY: f64 = 1e-13;

impl Equilibrium {
    /// The result for `policy`, whose exploitability is `exploitability` (certified or not by
    /// that alone).
    fn new(
        policy: Policy,
        exploitability: f64,
        hedge_iterations: usize,
        newton_steps: usize,
    ) -> Self {
        Equilibrium {
            policy,
            exploitability,
            certified: exploitability <= TARGET_EXPLOITABILITY,
            hedge_iterations,
            newton_steps,
        }
    }
}

/// Hedge rounds before falling back on the best iterate seen.
const ROUNDS: usize = 6;

/// Solves the symmetric equilibrium of the `players`-player alignment game: the whole
/// `EquilibriumSearch` in one call.
pub fn solve(pop: &CompiledPopulation, players: usize) -> Equilibrium {
    let mut search = EquilibriumSearch::new(players);
    loop {
        if let Some(eq) = search.advance(pop, &mut || false) {
            return eq;
        }
    }
}

/// `solve` in resumable form, for the worker: it looks at the budget between pieces of work
/// (a Hedge step, a slice of a Newton step's Jacobian, one line-search trial) and reaches the
/// same equilibrium bit for bit however it is sliced, since the pieces do the same arithmetic
/// in the same order as one call.
///
/// Pieces still done whole: the 2-player linear program (under a millisecond at the size
/// limits, 64 responses x 15,000 voter types), the active-set fallback and the
/// sparsest choice after it (only once five Hedge rounds have failed), and each payoff
/// evaluation (about 16 ms at the size limits).
#[derive(Debug, Clone)]
pub struct EquilibriumSearch {
    players: usize,
    stage: Stage,
}

#[derive(Debug, Clone)]
enum Stage {
    /// Nothing done yet: the trivial games and the 2-player linear program come first.
    Start,
    /// The 2-player game: the pairwise matrix for the linear program, summed in slices.
    Pairwise(PairwiseSum),
    /// The 2-player game: the sparsest equilibrium near the linear program's, a Newton solve
    /// per candidate support, in pieces.
    Sparsest(Sparsest),
    /// Hedge self-play until the round's budget or a readable support.
    Hedge(Box<Rounds>),
    /// The local methods from the Hedge iterate and average, one after another.
    Polish(Box<Rounds>, Polishing),
    /// Solved (kept, so that `advance` after the end gives the answer again).
    Done(Equilibrium),
}

/// What the Hedge rounds carry from one to the next.
#[derive(Debug, Clone)]
struct Rounds {
    best: Equilibrium,
    hedge: SelfPlay,
    budget: usize,
    earlier_rounds: usize,
    round: usize,
}

/// The (method, start) pairs of one round still to try, and the Newton run under way.
#[derive(Debug, Clone)]
struct Polishing {
    tries: std::collections::VecDeque<(Polisher, Policy)>,
    current: Option<SemismoothNewton>,
}

impl EquilibriumSearch {
    /// A search for the symmetric equilibrium of the `players`-player game.
    pub fn new(players: usize) -> Self {
        EquilibriumSearch {
            players,
            stage: Stage::Start,
        }
    }

    /// A search that is already over: an answer found some other way.
    pub fn solved(eq: Equilibrium) -> Self {
        EquilibriumSearch {
            players: 0,
            stage: Stage::Done(eq),
        }
    }

    /// Works while `out_of_time()` says no (asked before each piece of work, so a call goes
    /// past the budget by at most one piece); the equilibrium once found. The same `pop` must
    /// be passed every time.
    pub fn advance(
        &mut self,
        pop: &CompiledPopulation,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> Option<Equilibrium> {
        loop {
            if let Stage::Done(eq) = &self.stage {
                return Some(eq.clone());
            }
            if out_of_time() {
                return None;
            }
            let stage = std::mem::replace(&mut self.stage, Stage::Start);
            self.stage = self.piece(pop, stage, out_of_time);
        }
    }

    /// One piece of work from `stage`; returns the stage after it.
    fn piece(
        &self,
        pop: &CompiledPopulation,
        stage: Stage,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> Stage {
        let players = self.players;
        let n = pop.n();
        let k = players.saturating_sub(1);
        match stage {
            Stage::Start => {
                if k == 0 || n == 1 {
                    // One player always wins; one response is the only policy.
                    let policy = uniform(n);
                    let eps = pop.exploitability(&policy, k).max(0.0);
                    return Stage::Done(Equilibrium::new(policy, eps, 0, 0));
                }
                if players == 2 {
                    // NLHF's game: exact by linear programming, then the canonical sparse choice.
                    return Stage::Pairwise(PairwiseSum::new(n));
                }
                self.first_round(n)
            }
            Stage::Pairwise(mut sum) => {
                match pop.population().advance_pairwise(&mut sum, out_of_time) {
                    Some(pairwise) => {
                        let lottery = crate::lottery::maximal_lottery(&pairwise);
                        Stage::Sparsest(Sparsest::new(lottery))
                    }
                    None => Stage::Pairwise(sum),
                }
            }
            Stage::Sparsest(mut sparsest) => {
                let Some(policy) = sparsest.advance(pop, 1, out_of_time) else {
                    return Stage::Sparsest(sparsest);
                };
                let exploitability = pop.exploitability(&policy, 1).max(0.0);
                if exploitability <= TARGET_EXPLOITABILITY {
                    return Stage::Done(Equilibrium::new(policy, exploitability, 0, 0));
                }
                self.first_round(n)
            }
            Stage::Hedge(mut r) => {
                // Hedge until the iterate is good enough to read a support from.
                if r.hedge.iteration() < r.budget {
                    let game = AlignmentGameRef {
                        population: pop,
                        players,
                    };
                    r.hedge.step(&game);
                    let readable = r.hedge.iteration().is_multiple_of(8)
                        && game.exploitability(r.hedge.policy()) < 1e-3;
                    if !readable {
                        return Stage::Hedge(r);
                    }
                }
                r.best.hedge_iterations = r.earlier_rounds + r.hedge.iteration();
                let starts = [r.hedge.policy().to_vec(), r.hedge.average()];
                // The active-set loop is the slower fallback: only once a few Hedge rounds
                // have not brought the semismooth method into its basin.
                let solvers: &[Polisher] = if r.round < ROUNDS - 1 {
                    &[Polisher::Semismooth]
                } else {
                    &[Polisher::Semismooth, Polisher::ActiveSet]
                };
                let tries = solvers
                    .iter()
                    .flat_map(|&s| starts.iter().map(move |p| (s, p.clone())))
                    .collect();
                let polishing = Polishing {
                    tries,
                    current: None,
                };
                Stage::Polish(r, polishing)
            }
            Stage::Polish(mut r, mut polishing) => {
                let (policy, steps) = match polishing.current.take() {
                    Some(mut newton) => {
                        if !newton.advance(pop, k, out_of_time) {
                            polishing.current = Some(newton);
                            return Stage::Polish(r, polishing);
                        }
                        newton.result()
                    }
                    None => match polishing.tries.pop_front() {
                        Some((Polisher::Semismooth, start)) => {
                            polishing.current = Some(SemismoothNewton::new(pop, k, &start));
                            return Stage::Polish(r, polishing);
                        }
                        Some((Polisher::ActiveSet, start)) => active_set_newton(pop, k, &start),
                        None => return self.next_round(pop, *r),
                    },
                };
                r.best.newton_steps += steps;
                let eps = pop.exploitability(&policy, k).max(0.0);
                if eps < r.best.exploitability {
                    r.best.policy = policy;
                    r.best.exploitability = eps;
                }
                if r.best.exploitability <= TARGET_EXPLOITABILITY {
                    let mut best = r.best;
                    if players == 2 {
                        best.policy = sparsest_nearby(pop, k, best.policy);
                        best.exploitability = pop.exploitability(&best.policy, k).max(0.0);
                    }
                    let eps = best.exploitability;
                    return Stage::Done(Equilibrium::new(
                        best.policy,
                        eps,
                        best.hedge_iterations,
                        best.newton_steps,
                    ));
                }
                Stage::Polish(r, polishing)
            }
            Stage::Done(eq) => Stage::Done(eq),
        }
    }

    /// The first Hedge round, from uniform.
    fn first_round(&self, n: usize) -> Stage {
        Stage::Hedge(Box::new(Rounds {
            best: Equilibrium::new(uniform(n), f64::INFINITY, 0, 0),
            hedge: SelfPlay::new(n, Algorithm::Hedge, 2.0 * self.players as f64),
            budget: 64,
            earlier_rounds: 0,
            round: 0,
        }))
    }

    /// After a round's local methods have all missed: more Hedge, or after the last round the
    /// best iterate seen.
    fn next_round(&self, pop: &CompiledPopulation, mut r: Rounds) -> Stage {
        if r.round + 1 < ROUNDS {
            // Not there yet: keep playing from here with half the step (large steps can stall
            // for large k), for longer each round.
            let eta = 2.0 * self.players as f64 / f64::from(2u32 << r.round);
            r.earlier_rounds += r.hedge.iteration();
            r.hedge = SelfPlay::from_policy(r.hedge.policy().to_vec(), Algorithm::Hedge, eta);
            r.budget = 256 << r.round;
            r.round += 1;
            return Stage::Hedge(Box::new(r));
        }
        // Fall back on the best iterate seen, reporting its true exploitability (and certified
        // only if that happens to be within the target).
        let k = self.players.saturating_sub(1);
        let mut best = r.best;
        let eps_last = pop.exploitability(r.hedge.policy(), k).max(0.0);
        if eps_last < best.exploitability {
            best.policy = r.hedge.policy().to_vec();
            best.exploitability = eps_last;
        }
        let eps = best.exploitability;
        Stage::Done(Equilibrium::new(
            best.policy,
            eps,
            best.hedge_iterations,
            best.newton_steps,
        ))
    }
}

impl crate::payoff::Measures {
    /// The symmetric equilibrium of the m-player game as the tool reports it: for m = 2 on a
    /// given matrix, the maximal lottery of that matrix; otherwise `solve` on the population.
    pub fn equilibrium(&self, players: usize) -> Equilibrium {
        let mut search = self.equilibrium_search(players);
        loop {
            if let Some(eq) = search.advance(&self.population, &mut || false) {
                return eq;
            }
        }
    }

    /// `equilibrium` as a resumable search over `self.population`.
    pub fn equilibrium_search(&self, players: usize) -> EquilibriumSearch {
        if let (Some(m), 2) = (&self.matrix, players) {
            // One small linear program (at most 64 responses): not worth slicing.
            let policy = crate::lottery::maximal_lottery(m);
            let eps = self.exploitability(&policy, 1).max(0.0);
            return EquilibriumSearch::solved(Equilibrium::new(policy, eps, 0, 0));
        }
        EquilibriumSearch::new(players)
    }
}

/// The 2-player game has a continuum of equilibria whenever P has exact ties (e.g. T-shirt
/// data, where two designs tie 15-15); pick a canonical one by greedily dropping the lightest
/// support responses while an equilibrium remains on the smaller support.
fn sparsest_nearby(pop: &CompiledPopulation, k: usize, policy: Policy) -> Policy {
    let mut search = Sparsest::new(policy);
    loop {
        if let Some(best) = search.advance(pop, k, &mut || false) {
            return best;
        }
    }
}

/// `sparsest_nearby` in resumable form: at the size limits the whole greedy pass took 7.8 s
/// (a Newton solve on the smaller support per candidate, each resumable too).
#[derive(Debug, Clone)]
struct Sparsest {
    best: Policy,
    /// The support of `best`, lightest first, while its candidates are tried; None when it
    /// is to be read again (at the start, and after each improvement).
    order: Option<Vec<usize>>,
    /// The next candidate to drop, as an index into `order`.
    next: usize,
    /// The candidate under way: its support, its start and the Newton solve on it.
    trial: Option<(Vec<bool>, Policy, SupportNewton)>,
}

impl Sparsest {
    fn new(policy: Policy) -> Self {
        Sparsest {
            best: policy,
            order: None,
            next: 0,
            trial: None,
        }
    }

    /// Works while `out_of_time()` says no (asked between pieces; the first piece always
    /// runs); the sparsest policy once no drop is left.
    fn advance(
        &mut self,
        pop: &CompiledPopulation,
        k: usize,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> Option<Policy> {
        let mut first = true;
        loop {
            if !std::mem::take(&mut first) && out_of_time() {
                return None;
            }
            if let Some((support, start, mut newton)) = self.trial.take() {
                if !newton.advance(pop, k, out_of_time) {
                    self.trial = Some((support, start, newton));
                    return None;
                }
                let candidate = match newton.result() {
                    (Some(q), _) if q.iter().all(|&p| p >= -1e-15) => crate::payoff::normalized(&q),
                    _ if support.iter().filter(|&&s| s).count() == 1 => start,
                    _ => continue,
                };
                if pop.exploitability(&candidate, k) <= TARGET_EXPLOITABILITY {
                    self.best = candidate;
                    self.order = None;
                }
                continue;
            }
            let best = &self.best;
            let order = match &self.order {
                Some(order) => order,
                None => {
                    let mut order: Vec<usize> =
                        (0..best.len()).filter(|&y| best[y] > 0.0).collect();
                    if order.len() <= 1 {
                        return Some(best.clone());
                    }
                    order.sort_by(|&a, &b| best[a].total_cmp(&best[b]));
                    self.next = 0;
                    self.order.insert(order)
                }
            };
            let Some(&y) = order.get(self.next) else {
                return Some(best.clone());
            };
            self.next += 1;
            let support: Vec<bool> = (0..best.len()).map(|z| z != y && best[z] > 0.0).collect();
            let mut start = best.clone();
            start[y] = 0.0;
            let start = crate::payoff::normalized(&start);
            let newton = SupportNewton::new(pop, k, &support, &start);
            self.trial = Some((support, start, newton));
        }
    }
}
