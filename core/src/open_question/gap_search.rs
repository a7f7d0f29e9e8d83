//! The search for the preference profiles that push the value against l-output opponents
//! lowest (docs/mathematics.md#the-open-question): populations of weighted strict rankings on n <= 6 responses,
//! explored by simulated annealing. Each chain is seeded and counts its evaluations, so a
//! chain's result depends only on its seed and its number of evaluations.

use crate::equilibrium::solve;
use crate::model::{default_labels, Policy, Population, Ranking, Voter};
use crate::open_question::best_policy::{self, BestPolicySearch, Evaluator};
use crate::payoff::{robust_win_rate_vs_l, CompiledPopulation};
use crate::rng::Rng;

/// Responses the search takes at most (n! strict rankings: 720 at n = 6).
pub const MAX_RESPONSES: usize = 6;
/// Voter types in a profile at most.
pub const MAX_TYPES: usize = 8;
/// Random starts of the inner best-policy search when the target is `Best`.
const BEST_RANDOM_STARTS: usize = 2;

/// What is pushed down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The m-player equilibrium's W_{k,l} (m = k + 1 unless set).
    Game,
    /// The best policy found against l (a lower bound on V_{k,l}, so a low value can also be
    /// a search that fell short; the printed policy says what it reached).
    Best,
    /// NLHF's maximal lottery's W_{k,l}.
    Nlhf,
}

impl Target {
    pub fn id(self) -> &'static str {
        match self {
            Target::Game => "game",
            Target::Best => "best",
            Target::Nlhf => "nlhf",
        }
    }

    pub fn from_id(s: &str) -> Option<Target> {
        [Target::Game, Target::Best, Target::Nlhf]
            .into_iter()
            .find(|t| t.id() == s)
    }
}

/// One search problem.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GapSpec {
    pub n: usize,
    pub k: usize,
    pub l: usize,
    pub target: Target,
    /// Players of the game whose equilibrium is measured (None: k + 1).
    pub players: Option<usize>,
}

impl GapSpec {
    /// Checks the problem against the limits, naming the limit.
    pub fn check(&self) -> Result<(), String> {
        if !(2..=MAX_RESPONSES).contains(&self.n) {
            return Err(format!(
                "n = {} is outside 2..={MAX_RESPONSES} (the limit of the profile search)",
                self.n
            ));
        }
        best_policy::check_limits(self.n, MAX_TYPES, self.k, self.l)?;
        if let Some(m) = self.players {
            if !(2..=crate::model::limits::MAX_PLAYERS).contains(&m) {
                return Err(format!(
                    "{m} players is outside 2..={}",
                    crate::model::limits::MAX_PLAYERS
                ));
            }
        }
        Ok(())
    }

    pub fn players(&self) -> usize {
        self.players.unwrap_or(self.k + 1)
    }
}

/// A profile: weighted strict rankings (best first).
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub voters: Vec<(f64, Vec<usize>)>,
}

impl Profile {
    pub fn population(&self, n: usize) -> Population {
        let voters = self
            .voters
            .iter()
            .map(|(w, r)| Voter {
                weight: *w,
                ranking: Ranking::strict(r, n).expect("a permutation"),
            })
            .collect();
        Population::new(default_labels(n), voters).expect("positive weights")
    }

    fn random(rng: &mut Rng, n: usize) -> Profile {
        let types = 2 + rng.below(MAX_TYPES - 1);
        Profile {
            voters: (0..types)
                .map(|_| (0.05 + rng.next_f64(), rng.permutation(n)))
                .collect(),
        }
    }

    /// A small change: a weight scaled, two neighbours swapped in one ranking, a voter type
    /// added (a random ranking) or removed.
    fn mutated(&self, rng: &mut Rng, n: usize) -> Profile {
        let mut p = self.clone();
        let t = rng.below(p.voters.len());
        match rng.below(6) {
            0 | 1 => p.voters[t].0 = (p.voters[t].0 * (0.5 + rng.next_f64())).clamp(1e-3, 1e3),
            2 | 3 => {
                let i = rng.below(n - 1);
                p.voters[t].1.swap(i, i + 1);
            }
            4 if p.voters.len() < MAX_TYPES => {
                p.voters.push((0.05 + rng.next_f64(), rng.permutation(n)))
            }
            _ if p.voters.len() > 1 => {
                p.voters.remove(t);
            }
            _ => p.voters[t].0 *= 2.0,
        }
        p
    }
}

/// The values a profile has against l: the target's, and the others for the report.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileValues {
    /// The m-player equilibrium's W_{k,l}, and its policy.
    pub game: f64,
    pub game_policy: Policy,
    /// NLHF's W_{k,l}, and the maximal lottery.
    pub nlhf: f64,
    pub nlhf_policy: Policy,
    /// The (k+l)-player equilibrium's W_{k,l}.
    pub k_plus_l: f64,
    /// The best policy found against l (only computed for the `Best` target or on request).
    pub best: Option<best_policy::BestPolicy>,
}

/// Every value of a profile; `with_best` runs the best-policy search too (`random_starts`
/// random starts beside the equilibria, uniform and the vertices).
pub fn profile_values(
    spec: &GapSpec,
    pop: &Population,
    with_best: bool,
    random_starts: usize,
) -> ProfileValues {
    let c = CompiledPopulation::new(pop);
    let (k, l) = (spec.k, spec.l);
    let game_policy = solve(&c, spec.players()).policy;
    let nlhf_policy = crate::lottery::maximal_lottery(&pop.pairwise());
    let wider = solve(&c, k + l).policy;
    let best = with_best.then(|| {
        let eval = Evaluator::new(pop, k, l);
        let mut search = BestPolicySearch::with_random_starts(
            pop.n(),
            &[game_policy.clone(), wider.clone()],
            1,
            random_starts,
        );
        search.advance(&eval, &mut || true);
        search.result(&eval).expect("a start")
    });
    ProfileValues {
        game: robust_win_rate_vs_l(&c, &game_policy, k, l).0,
        nlhf: robust_win_rate_vs_l(&c, &nlhf_policy, k, l).0,
        k_plus_l: robust_win_rate_vs_l(&c, &wider, k, l).0,
        game_policy,
        nlhf_policy,
        best,
    }
}

/// The target's value of a profile.
pub fn target_value(spec: &GapSpec, profile: &Profile) -> f64 {
    let pop = profile.population(spec.n);
    match spec.target {
        Target::Best => profile_values(spec, &pop, true, BEST_RANDOM_STARTS)
            .best
            .map_or(f64::INFINITY, |b| b.value),
        Target::Game | Target::Nlhf => {
            let c = CompiledPopulation::new(&pop);
            let policy = if spec.target == Target::Game {
                solve(&c, spec.players()).policy
            } else {
                crate::lottery::maximal_lottery(&pop.pairwise())
            };
            robust_win_rate_vs_l(&c, &policy, spec.k, spec.l).0
        }
    }
}

/// One annealing chain.
#[derive(Debug, Clone)]
pub struct Chain {
    rng: Rng,
    current: (f64, Profile),
    pub best: (f64, Profile),
    pub evaluations: usize,
    since_better: usize,
}

/// Evaluations without a new best before a chain starts again from a random profile.
const RESTART_AFTER: usize = 400;

impl Chain {
    /// Chain `index` of a search with `seed`.
    pub fn new(spec: &GapSpec, seed: u64, index: u64) -> Chain {
        let mut rng = Rng::new(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17));
        let start = Profile::random(&mut rng, spec.n);
        let value = target_value(spec, &start);
        Chain {
            rng,
            current: (value, start.clone()),
            best: (value, start),
            evaluations: 1,
            since_better: 0,
        }
    }

    /// `count` more evaluations.
    pub fn run(&mut self, spec: &GapSpec, count: usize) {
        for _ in 0..count {
            let candidate = if self.since_better >= RESTART_AFTER {
                self.since_better = 0;
                Profile::random(&mut self.rng, spec.n)
            } else {
                self.current.1.mutated(&mut self.rng, spec.n)
            };
            let value = target_value(spec, &candidate);
            self.evaluations += 1;
            // Cooling with the chain's age, restarting with each restart.
            let temperature = 0.01 / (1.0 + self.evaluations as f64 / 200.0);
            let accept = value <= self.current.0
                || self.rng.next_f64() < ((self.current.0 - value) / temperature).exp();
            if accept {
                self.current = (value, candidate.clone());
            }
            if value < self.best.0 {
                self.best = (value, candidate);
                self.since_better = 0;
            } else {
                self.since_better += 1;
            }
        }
    }
}
