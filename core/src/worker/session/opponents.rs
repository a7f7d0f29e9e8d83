//! The opponent curve as a resumable search: per l, the worst opponents of the configured
//! game's equilibrium, of NLHF's maximal lottery and of the (k+l)-player equilibrium, and the
//! search for the best policy against l.

use super::{OpponentRow, Session};
use crate::equilibrium::EquilibriumSearch;
use crate::model::Policy;
use crate::open_question::best_policy;
use crate::payoff::WorstOpponentSearch;

impl Session {
    /// Win rate against the worst l-output opponent, l = 1..=3, for the configured game's
    /// equilibrium and for NLHF, sampled k times. Exact enumeration where it is affordable.
    /// Runs `opponent_search` to the end in one call (up to about a second at k = 1024).
    pub fn opponent_curve(&self) -> Vec<OpponentRow> {
        let mut search = self.opponent_search();
        search.advance(self, &mut || true);
        search.rows
    }

    /// The opponent curve as a resumable search (the worker runs it in short slices).
    pub fn opponent_search(&self) -> OpponentSearch {
        let c = &self.measures.population;
        let n = c.n();
        let voters = c.population().voters().len();
        let k = self.k;
        let pending = (1..=crate::model::limits::MAX_L_EXACT)
            .filter(|&l| multisets(n, l).saturating_mul(voters) <= OPPONENT_WORK_LIMIT)
            .map(|l| {
                let wider = if l == 1 && self.players == k + 1 {
                    EquilibriumSearch::solved(self.equilibrium.clone())
                } else {
                    self.measures.equilibrium_search(k + l)
                };
                let best = (l > 1 && best_policy::check_limits(n, voters, k, l).is_ok())
                    .then(|| Box::new(best_policy::Evaluator::new(c.population(), k, l)));
                OpponentStage {
                    l,
                    game: WorstOpponentSearch::new(l),
                    nlhf: WorstOpponentSearch::new(l),
                    wider,
                    wider_policy: None,
                    wider_certified: false,
                    wider_worst: WorstOpponentSearch::new(l),
                    best,
                    best_search: None,
                }
            })
            .collect();
        OpponentSearch {
            pending,
            rows: Vec::new(),
        }
    }
}

/// `Session::opponent_curve` in resumable form: per l, the worst-opponent search for the
/// configured game's equilibrium and for NLHF's maximal lottery, then the (k+l)-player
/// equilibrium and its worst opponent, then the search for the best policy against l (within
/// its limits); a row is complete when all are.
#[derive(Debug, Clone)]
pub struct OpponentSearch {
    pending: std::collections::VecDeque<OpponentStage>,
    rows: Vec<OpponentRow>,
}

/// The searches of one l.
#[derive(Debug, Clone)]
struct OpponentStage {
    l: usize,
    game: WorstOpponentSearch,
    nlhf: WorstOpponentSearch,
    /// The (k+l)-player equilibrium, then its worst opponent.
    wider: EquilibriumSearch,
    wider_policy: Option<Policy>,
    /// Whether that equilibrium is certified.
    wider_certified: bool,
    wider_worst: WorstOpponentSearch,
    /// The best-policy search and what it evaluates with (None: beyond its limits, or l = 1).
    best: Option<Box<best_policy::Evaluator>>,
    best_search: Option<best_policy::BestPolicySearch>,
}

impl OpponentSearch {
    /// Evaluates while `more()` says so (asked before each piece of work); true once the
    /// curve is complete. `session` must be the one the search was made by (or one built
    /// from the same configuration: a restart rebuilds the same exact policies).
    pub fn advance(&mut self, session: &Session, more: &mut dyn FnMut() -> bool) -> bool {
        let c = &session.measures.population;
        let k = session.k;
        while let Some(stage) = self.pending.front_mut() {
            if !stage.game.advance(c, &session.equilibrium.policy, k, more)
                || !stage.nlhf.advance(c, &session.maximal_lottery, k, more)
            {
                return false;
            }
            if stage.wider_policy.is_none() {
                match stage.wider.advance(c, &mut || !more()) {
                    Some(eq) => {
                        stage.wider_certified = eq.certified;
                        stage.wider_policy = Some(eq.policy);
                    }
                    None => return false,
                }
            }
            let wider = stage.wider_policy.as_ref().expect("solved above");
            if !stage.wider_worst.advance(c, wider, k, more) {
                return false;
            }
            // l = 1: a certified (k+1)-player equilibrium attains k/(k+1), which nothing beats.
            let best_exact = stage.l == 1 && stage.wider_certified;
            let best = match &stage.best {
                None if stage.l == 1 => Some(stage.wider_worst.value()),
                None => None,
                Some(eval) => {
                    let search = stage.best_search.get_or_insert_with(|| {
                        let given = [session.equilibrium.policy.clone(), wider.clone()];
                        best_policy::BestPolicySearch::new(c.n(), &given, session.config.seed)
                    });
                    if !search.advance(eval, more) {
                        return false;
                    }
                    search.result(eval).map(|b| b.value)
                }
            };
            let l = stage.l;
            self.rows.push(OpponentRow {
                l,
                game: stage.game.value(),
                nlhf: stage.nlhf.value(),
                bound: (k + 1).saturating_sub(l) as f64 / (k + 1) as f64,
                // Every multiset was evaluated for the three policies (the searches are
                // finished to get here).
                exact: stage.game.finished()
                    && stage.nlhf.finished()
                    && stage.wider_worst.finished(),
                k_plus_l: stage.wider_worst.value(),
                best,
                best_exact,
            });
            self.pending.pop_front();
        }
        true
    }

    /// True once every row is complete.
    pub fn finished(&self) -> bool {
        self.pending.is_empty()
    }

    /// The complete rows so far (all of them once finished).
    pub fn rows(&self) -> &[OpponentRow] {
        &self.rows
    }
}

/// Enumerating multisets times voter types beyond this is left out of the opponent chart.
const OPPONENT_WORK_LIMIT: usize = 20_000_000;

/// C(n + l - 1, l): multisets of size l from n responses.
fn multisets(n: usize, l: usize) -> usize {
    (0..l).fold(1usize, |acc, i| acc.saturating_mul(n + i) / (i + 1))
}
