//! A run as the app sees it: both self-play dynamics side by side, the sweep over k and the
//! opponent curve, behind one small API that the worker drives step by step.

use crate::config::Config;
use crate::dynamics::SelfPlay;
use crate::equilibrium::{Equilibrium, EquilibriumSearch};
use crate::fit::PopulationFit;
use crate::model::{uniform, ModelError, PairwiseMatrix, PairwiseSum, Policy, Preferences};
use crate::page::text::{self, ReadingFacts, RunFacts};
use crate::payoff::{
    guarantee, CompiledPopulationBuilder, Measures, PreferenceGame, SymmetricGame,
};
use serde::{Deserialize, Serialize};

mod opponents;
pub use opponents::OpponentSearch;

/// The state of one self-play run (NLHF's 2-player game, or the m-player alignment game).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SideState {
    /// Current iterate pi_t.
    pub policy: Vec<f64>,
    /// Average iterate (1/t) sum pi_s.
    pub average: Vec<f64>,
    /// Exploitability of pi_t in its own game (0 = equilibrium).
    pub exploitability: f64,
    /// Robust best-of-k win rate W_k(pi_t) for the configured k.
    pub robust_win_rate: f64,
    /// External regret of the run so far.
    pub regret: f64,
    /// W_k of the exact solution the run heads for (NLHF: the maximal lottery; the game: its
    /// certified equilibrium), so the page can show it beside the iterate's.
    #[serde(default)]
    pub exact_robust_win_rate: f64,
    /// The response that exact solution puts most on (the first of equals).
    #[serde(default)]
    pub exact_top: usize,
    /// That solution's exploitability in its own game: within
    /// `equilibrium::TARGET_EXPLOITABILITY` it is certified and called exact; above it, the
    /// game's solver stopped at its best iterate (`text::of_equilibrium` says which).
    #[serde(default)]
    pub exact_exploitability: f64,
}

/// One iteration's numbers, for the charts over iterations.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct StepRecord {
    pub iteration: usize,
    pub nlhf_win_rate: f64,
    pub game_win_rate: f64,
    pub nlhf_exploitability: f64,
    pub game_exploitability: f64,
}

/// Everything the policy views need at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Snapshot {
    pub iteration: usize,
    pub k: usize,
    pub players: usize,
    pub nlhf: SideState,
    pub game: SideState,
}

/// One k of the headline chart: robust best-of-k win rate of each policy.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct SweepRow {
    pub k: usize,
    /// NLHF's maximal lottery.
    pub nlhf: f64,
    /// The (k+1)-player alignment game equilibrium.
    pub game: f64,
    /// RLHF: Bradley-Terry policy.
    pub rlhf: f64,
    /// Plain best-of-k from the reference (uniform) policy.
    pub best_of_k: f64,
    /// k/(k+1).
    pub bound: f64,
    pub game_exploitability: f64,
}

/// Win rate against the worst l-output opponent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct OpponentRow {
    pub l: usize,
    /// The configured game's equilibrium (the (k+1)-player one unless players are set).
    pub game: f64,
    pub nlhf: f64,
    /// (k+1-l)/(k+1), the paper's guarantee for the equilibrium.
    pub bound: f64,
    /// True when `game`, `nlhf` and `k_plus_l` are exact minima over opponent multisets (all
    /// of them enumerated; rows beyond the enumeration's work limit are left out, not
    /// bounded). Of `best` it says nothing: `best_exact` does.
    pub exact: bool,
    /// The (k+l)-player equilibrium's value against l (docs/mathematics.md#the-open-question).
    #[serde(default)]
    pub k_plus_l: f64,
    /// The best value found by search for any policy against l (a lower bound on V_{k,l});
    /// for l = 1 the (k+1)-player equilibrium's value, V_{k,1} itself when that equilibrium is
    /// certified. None beyond the search's limits (`open_question::best_policy::check_limits`).
    #[serde(default)]
    pub best: Option<f64>,
    /// True when `best` is V_{k,l} itself: only for l = 1 with a certified (k+1)-player
    /// equilibrium. For l > 1 it is the best policy found by local search, a lower bound.
    #[serde(default)]
    pub best_exact: bool,
}

/// The exact solutions' numbers that the reading quotes.
#[derive(Debug, Clone, Copy)]
struct ExactValues {
    nlhf_win_rate: f64,
    nlhf_threat: usize,
    /// The maximal lottery's exploitability in NLHF's game (the linear program's rounding).
    nlhf_exploitability: f64,
    game_win_rate: f64,
}

/// Both dynamics for one configuration.
pub struct Session {
    config: Config,
    labels: Vec<String>,
    k: usize,
    players: usize,
    /// NLHF's preference game (u = P pi), on the matrix as given.
    nlhf_game: PreferenceGame,
    /// What is measured: payoffs on the population (fitted, for a matrix).
    measures: Measures,
    /// The m-player game the multiplayer self-play runs on.
    game: Box<dyn SymmetricGame>,
    nlhf: SelfPlay,
    multi: SelfPlay,
    /// Exact solutions the sweep and opponent chart are drawn from.
    maximal_lottery: Policy,
    equilibrium: Equilibrium,
    rlhf: Policy,
    /// W_k of the maximal lottery and of the equilibrium, and the maximal lottery's worst
    /// single challenger (computed once: the reading and the snapshot quote them).
    exact: ExactValues,
    /// Largest residual of the population fit, when the input was a matrix.
    fit_residual: Option<f64>,
    /// Voter types in the fitted population.
    fit_types: Option<usize>,
}

impl Session {
    /// Loads the preferences (custom, else the preset) and prepares both runs; checks the
    /// configuration first.
    pub fn new(config: &Config) -> Result<Session, ModelError> {
        config.validate()?;
        Session::with_preferences(config, &config.preferences()?)
    }

    /// Prepares both runs on given preferences (the preset in `config` is ignored): the whole
    /// `SessionBuilder` in one call.
    pub fn with_preferences(config: &Config, prefs: &Preferences) -> Result<Session, ModelError> {
        let mut builder = SessionBuilder::new(config, prefs.clone())?;
        loop {
            if let Some(built) = builder.advance(&mut || false) {
                return built;
            }
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Self-play iterations taken.
    pub fn iteration(&self) -> usize {
        self.multi.iteration()
    }

    /// True once the configured number of iterations has run.
    pub fn done(&self) -> bool {
        self.iteration() >= self.config.iterations
    }

    /// Largest residual of the population fit for a matrix input (None for a population).
    pub fn fit_residual(&self) -> Option<f64> {
        self.fit_residual
    }

    /// The population the multiplayer game is played on (fitted, for a matrix).
    pub fn game_population(&self) -> &crate::model::Population {
        self.measures.population.population()
    }

    /// Voter types in the population fitted to a matrix input (None for a population).
    pub fn fit_types(&self) -> Option<usize> {
        self.fit_types
    }

    /// The certified equilibrium of the configured game.
    pub fn equilibrium(&self) -> &Equilibrium {
        &self.equilibrium
    }

    /// NLHF's maximal lottery (exact, by linear programming).
    pub fn maximal_lottery(&self) -> &[f64] {
        &self.maximal_lottery
    }

    /// Back to iteration 0: both runs start again from the uniform policy, as `Session::new`
    /// would start them, while the exact solutions are kept (rebuilding them is the costly
    /// part of a session: seconds for the largest preferences at k = 1024).
    pub fn restart(&mut self) {
        let n = self.labels.len();
        let config = &self.config;
        self.nlhf = SelfPlay::new(n, config.algorithm, config.step_size_for(2));
        self.multi = SelfPlay::new(n, config.algorithm, config.step_size_for(self.players));
    }

    /// One self-play iteration of both games (a no-op once done).
    pub fn step(&mut self) -> StepRecord {
        if !self.done() {
            self.nlhf.step(&self.nlhf_game);
            self.multi.step(self.game.as_ref());
        }
        self.record()
    }

    /// The numbers of the current iterates.
    pub fn record(&self) -> StepRecord {
        let c = &self.measures;
        StepRecord {
            iteration: self.iteration(),
            nlhf_win_rate: c.robust_win_rate(self.nlhf.policy(), self.k),
            game_win_rate: c.robust_win_rate(self.multi.policy(), self.k),
            nlhf_exploitability: self.nlhf_game.exploitability(self.nlhf.policy()).max(0.0),
            game_exploitability: self.game.exploitability(self.multi.policy()).max(0.0),
        }
    }

    fn side(
        &self,
        play: &SelfPlay,
        game: &dyn SymmetricGame,
        exact: f64,
        exact_policy: &[f64],
        exact_exploitability: f64,
    ) -> SideState {
        SideState {
            exact_robust_win_rate: exact,
            exact_exploitability,
            exact_top: exact_policy.iter().enumerate().fold(0, |best, (i, &p)| {
                if p > exact_policy[best] {
                    i
                } else {
                    best
                }
            }),
            policy: play.policy().to_vec(),
            average: play.average(),
            exploitability: game.exploitability(play.policy()).max(0.0),
            robust_win_rate: self.measures.robust_win_rate(play.policy(), self.k),
            regret: play.regret(),
        }
    }

    /// Everything the policy views need now.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            iteration: self.iteration(),
            k: self.k,
            players: self.players,
            nlhf: self.side(
                &self.nlhf,
                &self.nlhf_game,
                self.exact.nlhf_win_rate,
                self.maximal_lottery(),
                self.exact.nlhf_exploitability,
            ),
            game: self.side(
                &self.multi,
                self.game.as_ref(),
                self.exact.game_win_rate,
                &self.equilibrium().policy,
                self.equilibrium.exploitability,
            ),
        }
    }

    /// One k of the headline chart. The game column is the (k+1)-player equilibrium for that
    /// k, solved to machine precision (`sweep_point_search` run to the end in one call).
    pub fn sweep_point(&self, k: usize) -> SweepRow {
        let mut search = self.sweep_point_search(k);
        loop {
            if let Some(row) = search.advance(self, &mut || false) {
                return row;
            }
        }
    }

    /// One k of the headline chart as a resumable search (the worker runs it in short slices).
    pub fn sweep_point_search(&self, k: usize) -> SweepPointSearch {
        SweepPointSearch {
            k,
            equilibrium: self.measures.equilibrium_search(k + 1),
            solved: None,
            rates: Vec::with_capacity(4),
        }
    }

    /// The live reading in words: the exact answers, and where each run's current iterate
    /// stands (converged or not, and how its average compares).
    pub fn describe(&self) -> String {
        self.describe_snapshot(&self.snapshot())
    }

    /// `describe` for the snapshot just taken (its iterates' exploitabilities are reused, so
    /// the worker's flush evaluates each only once).
    pub fn describe_snapshot(&self, snap: &Snapshot) -> String {
        let nlhf_pi = self.nlhf.policy();
        let game_pi = self.multi.policy();
        let ml = &self.maximal_lottery;
        let eq = &self.equilibrium.policy;
        let (top, ml_top, eq_top) = (argmax(nlhf_pi), argmax(ml), argmax(eq));
        let game_top = argmax(game_pi);
        let label = |i: usize| self.labels[i].as_str();
        text::reading(&ReadingFacts {
            iteration: self.iteration(),
            k: self.k,
            players: self.players,
            n: self.labels.len(),
            algorithm: self.config.algorithm,
            nlhf: RunFacts {
                iterate_top: label(top),
                iterate_mass: nlhf_pi[top],
                iterate_exploitability: snap.nlhf.exploitability,
                average_exploitability: self
                    .nlhf_game
                    .exploitability(&self.nlhf.average())
                    .max(0.0),
                exact_top: label(ml_top),
                exact_mass: ml[ml_top],
                exact_win_rate: self.exact.nlhf_win_rate,
                exact_exploitability: self.exact.nlhf_exploitability,
            },
            nlhf_threat: label(self.exact.nlhf_threat),
            game: RunFacts {
                iterate_top: label(game_top),
                iterate_mass: game_pi[game_top],
                iterate_exploitability: snap.game.exploitability,
                average_exploitability: self.game.exploitability(&self.multi.average()).max(0.0),
                exact_top: label(eq_top),
                exact_mass: eq[eq_top],
                exact_win_rate: self.exact.game_win_rate,
                exact_exploitability: self.equilibrium.exploitability,
            },
            game_support: eq.iter().filter(|&&p| p >= 0.005).count(),
            fitted_types: self.fit_types,
        })
    }
}

/// `Session::with_preferences` in resumable form, in stages: the pairwise matrix; the
/// measures (for a matrix, the population fit first, then the population compiled in chunks
/// of voters); the self-play game; the equilibrium search, piece by piece
/// (`EquilibriumSearch`); then the maximal lottery and the Bradley-Terry policy. Building a
/// session took 22 s in one call at the size limits at k = 1024, nearly all of it in the
/// equilibrium search.
pub struct SessionBuilder {
    config: Config,
    prefs: Preferences,
    pairwise_sum: Option<PairwiseSum>,
    pairwise: Option<PairwiseMatrix>,
    /// The population being compiled for fast payoffs (with the fit, for a matrix).
    compiling: Option<(CompiledPopulationBuilder, Option<PopulationFit>)>,
    measures: Option<(Measures, Option<PopulationFit>)>,
    game: Option<Box<dyn SymmetricGame>>,
    search: Option<EquilibriumSearch>,
    equilibrium: Option<Equilibrium>,
}

impl SessionBuilder {
    /// Checks the configuration (the preset in it is ignored: `prefs` are the preferences).
    pub fn new(config: &Config, prefs: Preferences) -> Result<SessionBuilder, ModelError> {
        config.validate()?;
        Ok(SessionBuilder {
            config: config.clone(),
            prefs,
            pairwise_sum: None,
            pairwise: None,
            compiling: None,
            measures: None,
            game: None,
            search: None,
            equilibrium: None,
        })
    }

    /// The preferences being built on.
    pub fn preferences(&self) -> &Preferences {
        &self.prefs
    }

    /// Works while `out_of_time()` says no (asked before each piece of work); the session,
    /// or why it cannot be built, once done.
    pub fn advance(
        &mut self,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> Option<Result<Session, ModelError>> {
        let players = self.config.players();
        loop {
            if out_of_time() {
                return None;
            }
            let Some(pairwise) = &self.pairwise else {
                // `Preferences::pairwise`, a population's summed in chunks of voters.
                match &self.prefs {
                    Preferences::Matrix(m) => self.pairwise = Some(m.clone()),
                    Preferences::Population(p) => {
                        let sum = self
                            .pairwise_sum
                            .get_or_insert_with(|| PairwiseSum::new(p.n()));
                        self.pairwise = Some(p.advance_pairwise(sum, out_of_time)?);
                    }
                }
                continue;
            };
            let Some((measures, _)) = &self.measures else {
                // `case::measures`, with the population compiled in chunks of voters.
                let Some((compiler, _)) = &mut self.compiling else {
                    let started = match &self.prefs {
                        Preferences::Population(p) => Ok((CompiledPopulationBuilder::new(p), None)),
                        Preferences::Matrix(m) => crate::fit::fit_population(m).map(|fit| {
                            (CompiledPopulationBuilder::new(&fit.population), Some(fit))
                        }),
                    };
                    match started {
                        Ok(started) => self.compiling = Some(started),
                        Err(e) => return Some(Err(e)),
                    }
                    continue;
                };
                let compiled = compiler.advance(out_of_time)?;
                let fit = self.compiling.take().and_then(|(_, fit)| fit);
                let matrix = match &self.prefs {
                    Preferences::Matrix(m) => Some(m.clone()),
                    Preferences::Population(_) => None,
                };
                let measures = Measures {
                    population: compiled,
                    matrix,
                };
                self.measures = Some((measures, fit));
                continue;
            };
            if self.game.is_none() {
                self.game = Some(measures.game(players));
                self.search = Some(measures.equilibrium_search(players));
                continue;
            }
            if self.equilibrium.is_none() {
                if let Some(search) = &mut self.search {
                    let mut asked = false;
                    // The budget was just looked at: the first piece runs without asking again.
                    let found = search.advance(&measures.population, &mut || {
                        std::mem::replace(&mut asked, true) && out_of_time()
                    });
                    match found {
                        Some(eq) => self.equilibrium = Some(eq),
                        None => return None,
                    }
                }
                continue;
            }
            let scores = crate::bradley_terry::fit_scores(pairwise);
            let maximal_lottery = crate::lottery::maximal_lottery(pairwise);
            let (Some(pairwise), Some((measures, fit)), Some(game), Some(equilibrium)) = (
                self.pairwise.take(),
                self.measures.take(),
                self.game.take(),
                self.equilibrium.take(),
            ) else {
                unreachable!("every stage before this one is done");
            };
            let config = &self.config;
            let n = self.prefs.n();
            // W_k = 1 - max_y u_k(y; pi): the worst challenger and the value from one evaluation.
            let u = measures.payoff_vec(&maximal_lottery, config.k);
            let nlhf_threat = argmax(&u);
            let nlhf_game = PreferenceGame(pairwise);
            let exact = ExactValues {
                nlhf_win_rate: 1.0 - u[nlhf_threat],
                nlhf_threat,
                nlhf_exploitability: nlhf_game.exploitability(&maximal_lottery).max(0.0),
                game_win_rate: measures.robust_win_rate(&equilibrium.policy, config.k),
            };
            return Some(Ok(Session {
                exact,
                labels: self.prefs.labels().to_vec(),
                k: config.k,
                players,
                nlhf: SelfPlay::new(n, config.algorithm, config.step_size_for(2)),
                multi: SelfPlay::new(n, config.algorithm, config.step_size_for(players)),
                maximal_lottery,
                rlhf: crate::bradley_terry::rlhf_policy(&scores, config.beta, None),
                nlhf_game,
                measures,
                game,
                equilibrium,
                fit_residual: fit.as_ref().map(|f| f.max_residual),
                fit_types: fit.as_ref().map(|f| f.population.voters().len()),
                config: config.clone(),
            }));
        }
    }
}

/// `Session::sweep_point` in resumable form: the (k+1)-player equilibrium search, then the
/// row's four win rates, one payoff evaluation each.
#[derive(Debug, Clone)]
pub struct SweepPointSearch {
    k: usize,
    equilibrium: EquilibriumSearch,
    solved: Option<Equilibrium>,
    /// NLHF's, the equilibrium's, RLHF's and the uniform policy's W_k, as computed so far.
    rates: Vec<f64>,
}

impl SweepPointSearch {
    /// The k of this point.
    pub fn k(&self) -> usize {
        self.k
    }

    /// Works while `out_of_time()` says no (asked before each piece); the row once complete.
    /// `session` must be the one that made the search (or one with the same preferences).
    pub fn advance(
        &mut self,
        session: &Session,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> Option<SweepRow> {
        let c = &session.measures;
        let k = self.k;
        loop {
            let Some(eq) = &self.solved else {
                self.solved = Some(self.equilibrium.advance(&c.population, out_of_time)?);
                continue;
            };
            let policy: &[f64] = match self.rates.len() {
                0 => &session.maximal_lottery,
                1 => &eq.policy,
                2 => &session.rlhf,
                3 => &uniform(c.n()),
                _ => {
                    return Some(SweepRow {
                        k,
                        nlhf: self.rates[0],
                        game: self.rates[1],
                        rlhf: self.rates[2],
                        best_of_k: self.rates[3],
                        bound: guarantee(k),
                        game_exploitability: eq.exploitability,
                    })
                }
            };
            if out_of_time() {
                return None;
            }
            self.rates.push(c.robust_win_rate(policy, k));
        }
    }
}

fn argmax(v: &[f64]) -> usize {
    (0..v.len())
        .max_by(|&a, &b| v[a].total_cmp(&v[b]))
        .unwrap_or(0)
}
