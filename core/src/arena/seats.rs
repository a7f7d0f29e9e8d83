//! The seats of the (k+1)-player alignment game, one round at a time (docs/mathematics.md#the-symmetry-argument):
//! k + 1 seats each put a response on the table, the voter picks one copy by the choice rule,
//! and each seat's tally counts how often its copy is picked. When every seat samples the same
//! policy, the seats are interchangeable and each tally converges to 1/(k+1); when the last
//! seat plays a fixed challenger y, its tally converges to u_k(y; pi), and the other k seats
//! together win W_k(pi, y) = 1 - u_k(y; pi). The same sampler and tallies as the arena.

use super::pace::Pace;
use super::{Policies, Sampler, Tally};
use crate::model::{Policy, Population};
use crate::payoff::CompiledPopulation;

/// Seats shown one by one; beyond, the model's seats are shown together.
pub const MAX_SEATS_SHOWN: usize = 12;

/// The page's requests about the seats are the arena's: `Open` with the setup (its one
/// challenger, if it names exactly one, plays the last seat; a new challenger or seed starts
/// the tallies again), rounds, fast rounds and reset. `BestSet` is the arena's alone.
pub use super::live::ArenaRequest as SeatsRequest;

/// The last seat's challenger in a setup: its challenger when it is one response.
pub fn seat_challenger(challenger: &[usize]) -> Option<usize> {
    match challenger {
        [y] => Some(*y),
        _ => None,
    }
}

/// One round: the voter type, and for each policy (NLHF, game) the k + 1 seats' cards and
/// the seat whose copy was picked.
#[derive(Debug, Clone, PartialEq)]
pub struct SeatsRound {
    pub voter: usize,
    pub cards: [Vec<usize>; 2],
    pub picked: [usize; 2],
}

/// The seats of one session: both policies' tables, the sampler and the tallies.
pub struct Seats {
    k: usize,
    pop: Population,
    policies: Policies,
    challenger: Option<usize>,
    draws: u64,
    sampler: Sampler,
    /// Per policy (NLHF, game), per seat.
    tallies: [Vec<Tally>; 2],
    /// The exact chance that each seat's copy is picked, per policy.
    exact: [Vec<f64>; 2],
    last: Option<SeatsRound>,
    pace: Pace,
}

/// The exact chance of each seat: 1/(k+1) each when all sample pi; with a challenger y in the
/// last seat, u_k(y; pi) for it and an equal share of the rest for each of the k others.
pub fn seat_chances(pop: &CompiledPopulation, pi: &[f64], k: usize, y: Option<usize>) -> Vec<f64> {
    match y {
        None => vec![1.0 / (k + 1) as f64; k + 1],
        Some(y) => {
            let u = pop.payoff_vec(pi, k)[y];
            let mut v = vec![(1.0 - u) / k as f64; k];
            v.push(u);
            v
        }
    }
}

impl Seats {
    /// The seats on the game's population (merged), for NLHF's maximal lottery and the game's
    /// equilibrium, at k samples; a challenger beyond the responses is not used.
    pub fn new(
        pop: &Population,
        nlhf: Policy,
        game: Policy,
        k: usize,
        challenger: Option<usize>,
        draws: u64,
    ) -> Seats {
        let pop = pop.merged();
        let mut seats = Seats {
            k,
            sampler: Sampler::new(&pop, draws),
            policies: Policies::new(nlhf, game),
            challenger: None,
            draws,
            tallies: [vec![Tally::default(); k + 1], vec![Tally::default(); k + 1]],
            exact: [Vec::new(), Vec::new()],
            last: None,
            pace: Pace::default(),
            pop,
        };
        seats.open(challenger, draws);
        seats
    }

    fn open(&mut self, challenger: Option<usize>, draws: u64) {
        let challenger = challenger.filter(|&y| y < self.pop.n());
        let fresh = challenger != self.challenger || draws != self.draws;
        self.challenger = challenger;
        self.draws = draws;
        let compiled = CompiledPopulation::new(&self.pop);
        self.exact = [
            seat_chances(&compiled, &self.policies.nlhf, self.k, challenger),
            seat_chances(&compiled, &self.policies.game, self.k, challenger),
        ];
        if fresh {
            self.reset();
        }
        self.pace.dirty = true;
    }

    fn reset(&mut self) {
        self.sampler = Sampler::new(&self.pop, self.draws);
        self.tallies = [
            vec![Tally::default(); self.k + 1],
            vec![Tally::default(); self.k + 1],
        ];
        self.last = None;
        self.pace.restart();
    }

    /// One round: a voter, then each policy's k + 1 cards and the voter's pick among them.
    pub fn round(&mut self) -> SeatsRound {
        let voter = self.sampler.voter();
        let k = self.k;
        let table = |pi_cumulative: &[f64], sampler: &mut Sampler| {
            let mut cards = sampler.cards(pi_cumulative, k);
            match self.challenger {
                Some(y) => cards.push(y),
                None => cards.extend(sampler.cards(pi_cumulative, 1)),
            }
            let picked = sampler.pick(voter, &cards);
            (cards, picked)
        };
        let (nlhf, p0) = table(&self.policies.nlhf_cumulative, &mut self.sampler);
        let (game, p1) = table(&self.policies.game_cumulative, &mut self.sampler);
        SeatsRound {
            voter,
            cards: [nlhf, game],
            picked: [p0, p1],
        }
    }

    /// `rounds` rounds, tallied.
    pub fn play(&mut self, rounds: u64) {
        for _ in 0..rounds {
            let round = self.round();
            for (tallies, &picked) in self.tallies.iter_mut().zip(&round.picked) {
                for (seat, t) in tallies.iter_mut().enumerate() {
                    t.add(seat == picked);
                }
            }
            self.last = Some(round);
        }
        self.pace.dirty |= rounds > 0;
    }

    /// Each seat's tally, for NLHF (0) or the game (1).
    pub fn tallies(&self, policy: usize) -> &[Tally] {
        &self.tallies[policy]
    }

    /// Each seat's exact chance, for NLHF (0) or the game (1).
    pub fn exact(&self, policy: usize) -> &[f64] {
        &self.exact[policy]
    }

    pub fn challenger(&self) -> Option<usize> {
        self.challenger
    }

    pub fn fast(&self) -> bool {
        self.pace.fast()
    }

    pub fn handle(&mut self, request: SeatsRequest, now_ms: f64) {
        match request {
            SeatsRequest::Open(setup) => self.open(seat_challenger(&setup.challenger), setup.draws),
            SeatsRequest::Rounds(r) => {
                self.pace.set_fast(false, now_ms);
                self.play(u64::from(r));
            }
            SeatsRequest::Fast(on) => self.pace.set_fast(on, now_ms),
            SeatsRequest::Reset => self.reset(),
            SeatsRequest::BestSet => {}
        }
        self.pace.answer_now();
    }

    /// Runs the fast rounds due by now; the view, when a report is due.
    pub fn tick(&mut self, now_ms: f64, labels: &[String]) -> Option<super::seats_view::SeatsView> {
        let due = self.pace.due(now_ms);
        self.play(due);
        self.pace
            .report_due(now_ms)
            .then(|| super::seats_view::view(self, labels))
    }

    pub fn k(&self) -> usize {
        self.k
    }

    pub fn last(&self) -> Option<&SeatsRound> {
        self.last.as_ref()
    }

    pub fn population(&self) -> &Population {
        &self.pop
    }

    pub fn policy(&self, i: usize) -> &Policy {
        if i == 0 {
            &self.policies.nlhf
        } else {
            &self.policies.game
        }
    }
}
