//! One round at a time (docs/mathematics.md#the-arena): a voter drawn, k cards drawn from each policy, a
//! challenger's card or cards, the voter's pick by the choice rule, and the running tally with
//! its Wilson interval beside the exact value it converges to. Also who is left out, and
//! fixed sets of k responses (a deterministic k-output model) with the best one by
//! enumeration.

pub mod fixed_set;
pub mod live;
mod pace;
pub mod seats;
pub mod seats_view;
pub mod view;

use crate::model::{Policy, Population};
use crate::payoff::{win_rate_vs_opponent, CompiledPopulation};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};

/// Largest challenger multiset (l <= 3, as for the exact opponent values).
pub const MAX_CHALLENGER: usize = 3;

/// The 95% Wilson interval of w wins in r rounds (z = 1.96); [0, 1] before any round.
pub fn wilson(wins: u64, rounds: u64) -> (f64, f64) {
    if rounds == 0 {
        return (0.0, 1.0);
    }
    let (r, z) = (rounds as f64, 1.96_f64);
    let p = wins as f64 / r;
    let denom = 1.0 + z * z / r;
    let centre = (p + z * z / (2.0 * r)) / denom;
    let half = z * (p * (1.0 - p) / r + z * z / (4.0 * r * r)).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// A policy's own worst single challenger: argmax_y u_k(y; pi), ties to the lowest index.
pub fn worst_single(pop: &CompiledPopulation, pi: &[f64], k: usize) -> usize {
    let u = pop.payoff_vec(pi, k);
    let mut best = 0;
    for (y, &v) in u.iter().enumerate() {
        if v > u[best] {
            best = y;
        }
    }
    best
}

/// One side of a round: the model's k cards, the challenger's, and the voter's pick.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Side {
    /// The model's cards, in the order drawn.
    pub cards: Vec<usize>,
    pub challenger: Vec<usize>,
    /// The copy picked: an index into cards then challenger (k + l copies).
    pub pick: usize,
    /// Whether the pick is one of the model's cards.
    pub won: bool,
}

/// One round: the voter type drawn, and both policies' sides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Round {
    pub voter: usize,
    pub nlhf: Side,
    pub game: Side,
}

/// Draws rounds for a population: a voter type with probability its weight, then each side.
/// Value-stable (PCG, rand's portable sampling): a seed replays the same rounds anywhere.
#[derive(Debug, Clone)]
pub struct Sampler {
    rng: Pcg64Mcg,
    /// Cumulative normalized weights of the voter types.
    cumulative: Vec<f64>,
    /// Per voter type, the class of each response (0 = best).
    class_of: Vec<Vec<usize>>,
}

/// The index where a uniform draw u falls in cumulative weights (the last one if rounding
/// leaves u past the end).
fn pick_cumulative(cumulative: &[f64], u: f64) -> usize {
    cumulative
        .partition_point(|&c| c <= u)
        .min(cumulative.len().saturating_sub(1))
}

/// The chance that each copy (by index) is the one picked by a voter whose classes are
/// `class_of`: the copies in the best class reached share it equally (the choice rule, docs/mathematics.md#the-choice-rule).
pub fn pick_chances(class_of: &[usize], copies: &[usize]) -> Vec<f64> {
    let best = copies.iter().map(|&y| class_of[y]).min().unwrap_or(0);
    let top = copies.iter().filter(|&&y| class_of[y] == best).count() as f64;
    copies
        .iter()
        .map(|&y| if class_of[y] == best { 1.0 / top } else { 0.0 })
        .collect()
}

fn cumulative(v: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut total = 0.0;
    let out: Vec<f64> = v
        .map(|x| {
            total += x.max(0.0);
            total
        })
        .collect();
    out.iter().map(|c| c / total).collect()
}

impl Sampler {
    pub fn new(pop: &Population, seed: u64) -> Self {
        Sampler {
            rng: Pcg64Mcg::seed_from_u64(seed),
            cumulative: cumulative(pop.voters().iter().map(|v| v.weight)),
            class_of: pop
                .voters()
                .iter()
                .map(|v| v.ranking.class_index())
                .collect(),
        }
    }

    /// A voter type, drawn by its weight.
    fn voter(&mut self) -> usize {
        pick_cumulative(&self.cumulative, self.rng.random::<f64>())
    }

    /// k cards drawn i.i.d. from pi.
    fn cards(&mut self, pi_cumulative: &[f64], k: usize) -> Vec<usize> {
        (0..k)
            .map(|_| pick_cumulative(pi_cumulative, self.rng.random::<f64>()))
            .collect()
    }

    /// The voter's pick among the copies (cards then challenger): from the best class any
    /// copy reaches, uniformly among the copies in it.
    fn pick(&mut self, voter: usize, copies: &[usize]) -> usize {
        let idx = &self.class_of[voter];
        let best = copies.iter().map(|&y| idx[y]).min().unwrap_or(0);
        let top: Vec<usize> = (0..copies.len())
            .filter(|&i| idx[copies[i]] == best)
            .collect();
        top[self.rng.random_range(0..top.len())]
    }

    fn side(
        &mut self,
        voter: usize,
        pi_cumulative: &[f64],
        k: usize,
        challenger: &[usize],
    ) -> Side {
        let cards = self.cards(pi_cumulative, k);
        let copies: Vec<usize> = cards.iter().chain(challenger).copied().collect();
        let pick = self.pick(voter, &copies);
        Side {
            cards,
            challenger: challenger.to_vec(),
            pick,
            won: pick < k,
        }
    }

    /// One round against these challengers (one voter, both policies).
    pub fn round(&mut self, policies: &Policies, k: usize, challengers: &Challengers) -> Round {
        let voter = self.voter();
        let nlhf = self.side(voter, &policies.nlhf_cumulative, k, &challengers.nlhf);
        let game = self.side(voter, &policies.game_cumulative, k, &challengers.game);
        Round { voter, nlhf, game }
    }
}

/// The two policies a round samples, with their cumulative distributions.
#[derive(Debug, Clone, PartialEq)]
pub struct Policies {
    pub nlhf: Policy,
    pub game: Policy,
    nlhf_cumulative: Vec<f64>,
    game_cumulative: Vec<f64>,
}

impl Policies {
    pub fn new(nlhf: Policy, game: Policy) -> Self {
        Policies {
            nlhf_cumulative: cumulative(nlhf.iter().copied()),
            game_cumulative: cumulative(game.iter().copied()),
            nlhf,
            game,
        }
    }
}

/// Each policy's challenger multiset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Challengers {
    pub nlhf: Vec<usize>,
    pub game: Vec<usize>,
}

impl Challengers {
    /// The chosen challenger for both, or else each policy's own worst single response.
    pub fn new(
        pop: &CompiledPopulation,
        policies: &Policies,
        k: usize,
        chosen: Option<&[usize]>,
    ) -> Self {
        match chosen {
            Some(c) => Challengers {
                nlhf: c.to_vec(),
                game: c.to_vec(),
            },
            None => Challengers {
                nlhf: vec![worst_single(pop, &policies.nlhf, k)],
                game: vec![worst_single(pop, &policies.game, k)],
            },
        }
    }
}

/// A running tally of one side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub wins: u64,
    pub rounds: u64,
}

impl Tally {
    pub fn add(&mut self, won: bool) {
        self.rounds += 1;
        self.wins += u64::from(won);
    }

    pub fn empirical(&self) -> f64 {
        if self.rounds == 0 {
            f64::NAN
        } else {
            self.wins as f64 / self.rounds as f64
        }
    }

    pub fn interval(&self) -> (f64, f64) {
        wilson(self.wins, self.rounds)
    }
}

/// The exact value a side's tally converges to: W_k(pi, Y').
pub fn exact(pop: &CompiledPopulation, pi: &[f64], k: usize, challenger: &[usize]) -> f64 {
    win_rate_vs_opponent(pop, pi, k, challenger)
}

/// Who is left out: for the largest voter types (by weight, at most `top`), then the rest
/// together, each type's weight share and the chance that something from its top class is
/// among the k shown, under each policy: 1 - (1 - pi(T_v))^k.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeftOut {
    /// The voter type (None: the rest), its share of the weight, and the chance under NLHF
    /// and under the game's policy (for the rest: their weight-averaged chance).
    pub rows: Vec<(Option<usize>, f64, f64, f64)>,
}

pub fn left_out(pop: &Population, nlhf: &[f64], game: &[f64], k: usize, top: usize) -> LeftOut {
    let total = pop.total_weight();
    let chance = |pi: &[f64], v: usize| {
        let ranking = &pop.voters()[v].ranking;
        let best: f64 = ranking
            .classes()
            .first()
            .map_or(0.0, |c| c.iter().map(|&y| pi[y]).sum());
        1.0 - (1.0 - best.clamp(0.0, 1.0)).powi(k as i32)
    };
    let mut order: Vec<usize> = (0..pop.voters().len()).collect();
    order.sort_by(|&a, &b| {
        pop.voters()[b]
            .weight
            .total_cmp(&pop.voters()[a].weight)
            .then(a.cmp(&b))
    });
    let mut rows: Vec<(Option<usize>, f64, f64, f64)> = order
        .iter()
        .take(top)
        .map(|&v| {
            (
                Some(v),
                pop.voters()[v].weight / total,
                chance(nlhf, v),
                chance(game, v),
            )
        })
        .collect();
    let rest = &order[top.min(order.len())..];
    if !rest.is_empty() {
        let w: f64 = rest.iter().map(|&v| pop.voters()[v].weight).sum();
        let avg = |pi: &[f64]| {
            rest.iter()
                .map(|&v| pop.voters()[v].weight * chance(pi, v))
                .sum::<f64>()
                / w
        };
        rows.push((None, w / total, avg(nlhf), avg(game)));
    }
    LeftOut { rows }
}
