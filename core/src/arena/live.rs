//! The arena as the worker runs it for the page: its setup from the configuration, rounds one
//! at a time or fast (paced, reported sparsely), and the report of everything it shows (which
//! `arena::view` puts in words for the page).

use super::fixed_set::{self, Classes};
use super::{exact, Challengers, Policies, Round, Sampler, Side, Tally, MAX_CHALLENGER};
use crate::model::{Policy, Population};
use crate::payoff::CompiledPopulation;
use serde::{Deserialize, Serialize};

use super::pace::Pace;
pub use super::pace::{FAST_REPORT_MS, FAST_ROUNDS_PER_SECOND};
/// Voter types the page lists under "who is left out" (the rest share one line).
pub const LEFT_OUT_ROWS: usize = 8;
/// Most responses a fixed set may name in a link.
pub const MAX_SET: usize = 64;

/// What the configuration says about the arena: the challenger for both policies (empty:
/// each policy's own worst single response), the fixed set (empty: none chosen) and the
/// seed of the rounds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ArenaSetup {
    pub challenger: Vec<usize>,
    pub set: Vec<usize>,
    pub draws: u64,
}

impl ArenaSetup {
    /// The arena's part of a configuration.
    pub fn of(config: &crate::config::Config) -> Self {
        ArenaSetup {
            challenger: config.challenger.clone(),
            set: config.set.clone(),
            draws: config.draws,
        }
    }
}

/// The page's requests about the arena.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArenaRequest {
    /// Show the arena with this setup; the tally starts again when the challenger or the
    /// seed changed (a new fixed set keeps it).
    Open(ArenaSetup),
    /// This many rounds now (1 for a click).
    Rounds(u32),
    /// Fast rounds on or off.
    Fast(bool),
    /// The tally back to zero, and the rounds from the seed again.
    Reset,
    /// Find the best fixed set of k distinct responses.
    BestSet,
}

/// A fixed set's robust value and its worst single challenger.
#[derive(Debug, Clone, PartialEq)]
pub struct FixedSetValue {
    pub set: Vec<usize>,
    pub value: f64,
    pub worst: usize,
}

/// One policy's row: what it samples, the challenger it faces, its tally and exact value.
#[derive(Debug, Clone, PartialEq)]
pub struct ArenaSide {
    pub policy: Policy,
    pub challenger: Vec<usize>,
    /// Its own worst single challenger.
    pub worst: usize,
    pub tally: Tally,
    /// W_k(pi, Y') for the challenger faced.
    pub exact: f64,
    /// W_k(pi, y) for every single challenger y.
    pub singles: Vec<f64>,
}

/// The last round, as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct LastRound {
    pub voter: usize,
    /// The voter type's share of the weight, and its ranking (classes, best first).
    pub share: f64,
    pub ranking: Vec<Vec<usize>>,
    pub nlhf: Side,
    pub game: Side,
}

/// One line of "who is left out": a voter type (None: the rest together), its ranking (empty
/// for the rest), its share and the chance its top class is among the k shown under each.
#[derive(Debug, Clone, PartialEq)]
pub struct LeftOutRow {
    pub voter: Option<usize>,
    pub ranking: Vec<Vec<usize>>,
    pub share: f64,
    pub nlhf: f64,
    pub game: f64,
}

/// Everything the page shows of the arena.
#[derive(Debug, Clone, PartialEq)]
pub struct ArenaReport {
    pub k: usize,
    /// Players of the game whose equilibrium the second row samples.
    pub players: usize,
    pub draws: u64,
    pub fast: bool,
    pub nlhf: ArenaSide,
    pub game: ArenaSide,
    pub last: Option<LastRound>,
    pub left_out: Vec<LeftOutRow>,
    /// The chosen fixed set (when it has k responses).
    pub fixed: Option<FixedSetValue>,
    /// The best fixed set, once asked for.
    pub best: Option<FixedSetValue>,
    /// What was not used and why (a link's challenger or set that does not fit, the best set
    /// beyond the enumeration limit), for the user.
    pub notes: Vec<String>,
}

/// The arena of one session: both policies, the challengers, the sampler and the tallies.
pub struct Arena {
    setup: ArenaSetup,
    k: usize,
    players: usize,
    pop: Population,
    classes: Classes,
    policies: Policies,
    challengers: Challengers,
    worst: [usize; 2],
    exact: [f64; 2],
    singles: [Vec<f64>; 2],
    left_out: Vec<LeftOutRow>,
    fixed: Option<FixedSetValue>,
    best: Option<FixedSetValue>,
    notes: Vec<String>,
    sampler: Sampler,
    tallies: [Tally; 2],
    last: Option<Round>,
    pace: Pace,
}

/// W_k(pi, y) for every single y: the model wins unless the challenger's copy is picked.
fn singles(pop: &CompiledPopulation, pi: &[f64], k: usize) -> Vec<f64> {
    pop.payoff_vec(pi, k).iter().map(|u| 1.0 - u).collect()
}

impl Arena {
    /// The arena on the game's population (merged), NLHF's maximal lottery and the game's
    /// equilibrium (of `players` players), at k samples.
    pub fn new(
        pop: &Population,
        nlhf: Policy,
        game: Policy,
        k: usize,
        players: usize,
        setup: ArenaSetup,
    ) -> Arena {
        let pop = pop.merged();
        let compiled = CompiledPopulation::new(&pop);
        let policies = Policies::new(nlhf, game);
        let own = Challengers::new(&compiled, &policies, k, None);
        let left_out = super::left_out(&pop, &policies.nlhf, &policies.game, k, LEFT_OUT_ROWS)
            .rows
            .into_iter()
            .map(|(voter, share, nlhf, game)| LeftOutRow {
                voter,
                ranking: voter
                    .map_or_else(Vec::new, |v| pop.voters()[v].ranking.classes().to_vec()),
                share,
                nlhf,
                game,
            })
            .collect();
        let mut arena = Arena {
            k,
            players,
            classes: Classes::new(&pop),
            singles: [
                singles(&compiled, &policies.nlhf, k),
                singles(&compiled, &policies.game, k),
            ],
            worst: [own.nlhf[0], own.game[0]],
            challengers: own,
            exact: [0.0; 2],
            left_out,
            fixed: None,
            best: None,
            notes: Vec::new(),
            sampler: Sampler::new(&pop, setup.draws),
            tallies: [Tally::default(); 2],
            last: None,
            pace: Pace::default(),
            setup: ArenaSetup::default(),
            policies,
            pop,
        };
        arena.open(setup, &compiled);
        arena
    }

    /// Takes a new setup: a new challenger or seed restarts the tally; the fixed set is
    /// valued at once. What does not fit the preferences is noted and left unused.
    fn open(&mut self, setup: ArenaSetup, compiled: &CompiledPopulation) {
        let n = self.pop.n();
        let k = self.k;
        let fresh = setup.challenger != self.setup.challenger || setup.draws != self.setup.draws;
        self.notes.clear();
        let chosen = match setup.challenger.as_slice() {
            [] => None,
            c if c.len() > MAX_CHALLENGER || c.iter().any(|&y| y >= n) => {
                self.notes.push(format!(
                    "The link's challenger ({}) is not 1 to {MAX_CHALLENGER} of the {n} responses; each policy faces its own worst response instead.",
                    list(c)
                ));
                None
            }
            c => Some(c),
        };
        self.challengers = Challengers::new(compiled, &self.policies, k, chosen);
        self.exact = [
            exact(compiled, &self.policies.nlhf, k, &self.challengers.nlhf),
            exact(compiled, &self.policies.game, k, &self.challengers.game),
        ];
        self.fixed = match setup.set.as_slice() {
            [] => None,
            s if s.iter().any(|&y| y >= n) => {
                self.notes.push(format!(
                    "The fixed set ({}) names a response outside the {n} there are.",
                    list(s)
                ));
                None
            }
            s if s.len() != k => None,
            s => {
                let (value, worst) = self.classes.robust(s);
                Some(FixedSetValue {
                    set: s.to_vec(),
                    value,
                    worst,
                })
            }
        };
        self.setup = setup;
        if fresh {
            self.reset();
        }
        self.pace.dirty = true;
    }

    /// The tally back to zero and the rounds from the seed again.
    fn reset(&mut self) {
        self.sampler = Sampler::new(&self.pop, self.setup.draws);
        self.tallies = [Tally::default(); 2];
        self.last = None;
        self.pace.restart();
    }

    fn play(&mut self, rounds: u64) {
        for _ in 0..rounds {
            let round = self
                .sampler
                .round(&self.policies, self.k, &self.challengers);
            self.tallies[0].add(round.nlhf.won);
            self.tallies[1].add(round.game.won);
            self.last = Some(round);
        }
        self.pace.dirty |= rounds > 0;
    }

    /// A request from the page (`Open` on a new session is `Arena::new`'s).
    pub fn handle(&mut self, request: ArenaRequest, now_ms: f64) {
        match request {
            ArenaRequest::Open(setup) => {
                let compiled = CompiledPopulation::new(&self.pop);
                self.open(setup, &compiled);
            }
            ArenaRequest::Rounds(r) => {
                self.pace.set_fast(false, now_ms);
                self.play(u64::from(r));
            }
            ArenaRequest::Fast(on) => self.pace.set_fast(on, now_ms),
            ArenaRequest::Reset => self.reset(),
            ArenaRequest::BestSet => {
                match fixed_set::best_of(&self.classes, self.k) {
                    Ok((set, value, worst)) => {
                        self.best = Some(FixedSetValue { set, value, worst });
                    }
                    Err(why) => self.notes.push(format!("No best fixed set: {why}.")),
                }
                self.pace.dirty = true;
            }
        }
        self.pace.answer_now();
    }

    /// The fixed set chosen so far (as the setup gave it).
    pub fn chosen(&self) -> &[usize] {
        &self.setup.set
    }

    /// Fast rounds are on.
    pub fn fast(&self) -> bool {
        self.pace.fast()
    }

    /// Runs the fast rounds due by now; the report, when one is due (at most every
    /// `FAST_REPORT_MS` while fast, at once after a request).
    pub fn tick(&mut self, now_ms: f64) -> Option<ArenaReport> {
        let due = self.pace.due(now_ms);
        self.play(due);
        self.pace.report_due(now_ms).then(|| self.report())
    }

    pub fn report(&self) -> ArenaReport {
        let side = |i: usize, pi: &Policy, challenger: &[usize]| ArenaSide {
            policy: pi.clone(),
            challenger: challenger.to_vec(),
            worst: self.worst[i],
            tally: self.tallies[i],
            exact: self.exact[i],
            singles: self.singles[i].clone(),
        };
        let total = self.pop.total_weight();
        ArenaReport {
            k: self.k,
            players: self.players,
            draws: self.setup.draws,
            fast: self.fast(),
            nlhf: side(0, &self.policies.nlhf, &self.challengers.nlhf),
            game: side(1, &self.policies.game, &self.challengers.game),
            last: self.last.as_ref().map(|r| {
                let voter = &self.pop.voters()[r.voter];
                LastRound {
                    voter: r.voter,
                    share: voter.weight / total,
                    ranking: voter.ranking.classes().to_vec(),
                    nlhf: r.nlhf.clone(),
                    game: r.game.clone(),
                }
            }),
            left_out: self.left_out.clone(),
            fixed: self.fixed.clone(),
            best: self.best.clone(),
            notes: self.notes.clone(),
        }
    }
}

fn list(v: &[usize]) -> String {
    v.iter().map(usize::to_string).collect::<Vec<_>>().join(",")
}
