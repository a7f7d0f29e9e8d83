//! The one configuration a view is built from: what the URL, the CLI and the worker all carry.

use crate::model::{limits, ModelError, PairwiseMatrix, Population, Preferences, RawRanking};
use crate::open_question::phase_map::Family;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::ops::Deref;
use std::sync::Arc;

mod saved;
mod validate;

pub use saved::{unknown_field, SavedKind, SavedResults, CONFIG_FIELDS};
pub use validate::{is_origin, MAX_ORIGINS};

/// Largest k of the win-rate-versus-k sweep (one equilibrium solve per k).
pub const MAX_SWEEP_K: usize = 128;
/// Largest seed: the page hands configurations to its worker as JavaScript values, whose
/// numbers hold integers exactly up to 2^53 - 1.
pub const MAX_SEED: u64 = (1 << 53) - 1;
/// Range of the charts' text scale (`Config::font_scale`).
pub const MIN_FONT_SCALE: f64 = 0.5;
pub const MAX_FONT_SCALE: f64 = 3.0;
/// Responses a matrix can have in the editor's grid.
pub const MAX_EDITOR_RESPONSES: usize = 16;

/// Which figures the page shows: all four, or one at full size (for slides and projectors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum View {
    #[default]
    All,
    Policies,
    WinRates,
    Sweep,
    Opponents,
    /// The phase map (not among the four: it solves an equilibrium per cell).
    Phase,
    /// The arena: rounds one at a time, and playing either side.
    Arena,
    /// The seats of the (k+1)-player game: each seat's share of the picks.
    Seats,
}

impl View {
    pub const ALL: [View; 8] = [
        View::All,
        View::Policies,
        View::WinRates,
        View::Sweep,
        View::Opponents,
        View::Phase,
        View::Arena,
        View::Seats,
    ];

    /// Stable short name (URL).
    pub fn id(self) -> &'static str {
        match self {
            View::All => "all",
            View::Policies => "policies",
            View::WinRates => "win-rates",
            View::Sweep => "sweep",
            View::Opponents => "opponents",
            View::Phase => "phase",
            View::Arena => "arena",
            View::Seats => "seats",
        }
    }

    pub fn from_id(s: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.id() == s)
    }
}

/// Self-play update rule (docs/mathematics.md#self-play).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Algorithm {
    /// Multiplicative weights: pi_{t+1} proportional to pi_t exp(eta u_t).
    #[default]
    Hedge,
    /// Hedge on the optimistic prediction 2 u_t - u_{t-1}.
    OptimisticHedge,
    /// Euler steps of the replicator dynamics with step h.
    Replicator,
    /// Nash-MD style regularized Hedge toward the reference (uniform) policy.
    NashMd,
}

impl Algorithm {
    pub const ALL: [Algorithm; 4] = [
        Algorithm::Hedge,
        Algorithm::OptimisticHedge,
        Algorithm::Replicator,
        Algorithm::NashMd,
    ];

    /// Stable short name (URL and CLI).
    pub fn id(self) -> &'static str {
        match self {
            Algorithm::Hedge => "hedge",
            Algorithm::OptimisticHedge => "optimistic-hedge",
            Algorithm::Replicator => "replicator",
            Algorithm::NashMd => "nash-md",
        }
    }

    pub fn from_id(s: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.id() == s)
    }
}

/// Everything that determines what the tool computes and shows.
/// Missing fields take their defaults, so old or hand-written links stay valid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Preset id (see `presets::presets()`).
    pub preset: String,
    /// Best-of-k: how many samples the user picks from.
    pub k: usize,
    /// Players in the alignment game; `None` means k + 1 (the paper's game).
    pub players: Option<usize>,
    /// Self-play update rule for both the NLHF game and the alignment game.
    pub algorithm: Algorithm,
    /// Step size (eta for Hedge, h for replicator); `None` means the tuned default.
    pub step_size: Option<f64>,
    /// Self-play iterations in one run.
    pub iterations: usize,
    /// Largest k of the win-rate-versus-k sweep.
    pub k_max: usize,
    /// Seed for randomized presets.
    pub seed: u64,
    /// KL strength beta of the RLHF baseline: policy proportional to exp(r / beta).
    pub beta: f64,
    /// Preferences edited or imported by the user; when present they replace the preset's
    /// (which stays named as the starting point).
    pub custom: Option<Shared<CustomPreferences>>,
    /// The figures shown (display only).
    pub view: View,
    /// Embed mode: charts only, for iframes in slides.
    pub embed: bool,
    /// Text size of the charts and their captions, times the normal size: 1.5 or 2 reads
    /// from the back of a lecture hall. Display only (the solvers ignore it).
    pub font_scale: f64,
    /// Which profiles the phase map's columns are (computed only while it is shown).
    pub phase: Family,
    /// The arena's challenger for both policies, 1 to 3 responses (empty: each policy's own
    /// worst single response).
    pub challenger: Vec<usize>,
    /// The arena's fixed set of k responses, as far as chosen (empty: none).
    pub set: Vec<usize>,
    /// Seed of the arena's rounds (a link replays the same rounds).
    pub draws: u64,
    /// Open at the run's final state (`at=end`): the run plays to its end at full speed as
    /// soon as it loads, for slides revisited in a deck (reveal.js reloads hidden frames).
    pub at_end: bool,
    /// The step of the tour shown, from 1 (`tour=N`; 0: not in the tour). Display only: the
    /// step's own settings are the configuration (docs/architecture.md#the-tour).
    pub tour: usize,
    /// Origins of host pages whose embed API messages are obeyed (`origins=`), besides the
    /// page's own. Display only.
    pub origins: Vec<String>,
}

/// A voter type as carried in a configuration (checked when the session is built).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoterSpec {
    pub weight: f64,
    pub ranking: RawRanking,
}

/// A value shared by the configuration, its undo steps, the page's editors and the worker link:
/// cloning copies a pointer, and two that share it compare equal at once (others compare by
/// value). Preferences can be 20,000 voter types, and a configuration is cloned and compared
/// on every edit. Serialized as the value itself.
#[derive(Debug, Default)]
pub struct Shared<T>(Arc<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Self {
        Shared(Arc::new(value))
    }

    /// Whether both share one value (then they are equal without looking).
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> From<T> for Shared<T> {
    fn from(value: T) -> Self {
        Shared::new(value)
    }
}

impl<T: PartialEq> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Shared::ptr_eq(self, other) || *self.0 == *other.0
    }
}

impl<T: Serialize> Serialize for Shared<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Shared<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Shared::new)
    }
}

/// User preferences inside a configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum CustomPreferences {
    Population {
        labels: Vec<String>,
        voters: Vec<VoterSpec>,
    },
    Matrix {
        labels: Vec<String>,
        rows: Vec<Vec<f64>>,
    },
}

impl CustomPreferences {
    /// Checks and builds the preferences.
    pub fn build(&self) -> Result<Preferences, ModelError> {
        match self {
            CustomPreferences::Population { labels, voters } => Population::from_raw(
                labels.clone(),
                voters
                    .iter()
                    .map(|v| (v.weight, v.ranking.clone()))
                    .collect(),
            )
            .map(Preferences::Population),
            CustomPreferences::Matrix { labels, rows } => {
                PairwiseMatrix::new(labels.clone(), rows.clone()).map(Preferences::Matrix)
            }
        }
    }

    /// The responses' labels.
    pub fn labels(&self) -> &[String] {
        match self {
            CustomPreferences::Population { labels, .. }
            | CustomPreferences::Matrix { labels, .. } => labels,
        }
    }

    /// Adds a response (labelled R1, R2, ... by the first free number). In a matrix it ties
    /// every other response (1/2); in a population every voter ranks it last, alone. A matrix
    /// takes up to [`MAX_EDITOR_RESPONSES`] (the editor's grid), a population up to the
    /// model's limit on responses.
    pub fn add_response(&mut self) -> Result<(), ModelError> {
        let n = self.labels().len();
        let limit = match self {
            CustomPreferences::Matrix { .. } => MAX_EDITOR_RESPONSES,
            CustomPreferences::Population { .. } => limits::MAX_RESPONSES,
        };
        if n >= limit {
            return Err(ModelError(format!(
                "{n} responses is the most these preferences can have here (the limit on responses)"
            )));
        }
        let label = (1..)
            .map(|i| format!("R{i}"))
            .find(|l| !self.labels().contains(l))
            .expect("a free label");
        match self {
            CustomPreferences::Matrix { labels, rows } => {
                labels.push(label);
                for row in rows.iter_mut() {
                    row.push(0.5);
                }
                rows.push(vec![0.5; n + 1]);
            }
            CustomPreferences::Population { labels, voters } => {
                labels.push(label);
                for v in voters.iter_mut() {
                    v.ranking.0.push(vec![n]);
                }
            }
        }
        Ok(())
    }

    /// Removes response `i` everywhere: its row and column, or its place in every ranking
    /// (the other responses keep their order, and the ones after it their numbers minus one).
    /// At least two responses stay, so there is something to compare.
    pub fn remove_response(&mut self, i: usize) -> Result<(), ModelError> {
        let n = self.labels().len();
        if i >= n {
            return Err(ModelError(format!("there is no response {}", i + 1)));
        }
        if n <= 2 {
            return Err(ModelError(
                "two responses are the fewest there can be: add one before removing one".into(),
            ));
        }
        match self {
            CustomPreferences::Matrix { labels, rows } => {
                labels.remove(i);
                rows.remove(i);
                for row in rows.iter_mut() {
                    row.remove(i);
                }
            }
            CustomPreferences::Population { labels, voters } => {
                labels.remove(i);
                for v in voters.iter_mut() {
                    for class in v.ranking.0.iter_mut() {
                        class.retain(|&y| y != i);
                        for y in class.iter_mut() {
                            if *y > i {
                                *y -= 1;
                            }
                        }
                    }
                    v.ranking.0.retain(|class| !class.is_empty());
                }
            }
        }
        Ok(())
    }

    /// The configuration form of checked preferences.
    pub fn from_preferences(prefs: &Preferences) -> Self {
        match prefs {
            Preferences::Population(p) => CustomPreferences::Population {
                labels: p.labels().to_vec(),
                voters: p
                    .voters()
                    .iter()
                    .map(|v| VoterSpec {
                        weight: v.weight,
                        ranking: RawRanking::from(&v.ranking),
                    })
                    .collect(),
            },
            Preferences::Matrix(m) => CustomPreferences::Matrix {
                labels: m.labels().to_vec(),
                rows: m.rows(),
            },
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            preset: crate::presets::DEFAULT_PRESET.to_string(),
            k: 4,
            players: None,
            algorithm: Algorithm::Hedge,
            step_size: None,
            iterations: 300,
            k_max: 16,
            seed: 1,
            beta: 1.0,
            custom: None,
            view: View::All,
            embed: false,
            font_scale: 1.0,
            phase: Family::TwoResponses,
            challenger: Vec::new(),
            set: Vec::new(),
            draws: 1,
            at_end: false,
            tour: 0,
            origins: Vec::new(),
        }
    }
}

impl Config {
    /// Whether the page shows the arena: alone (`view=arena`) or with every figure, except in
    /// embed mode, whose all-figures frame holds the four charts.
    pub fn shows_arena(&self) -> bool {
        self.view == View::Arena || (self.view == View::All && !self.embed)
    }

    /// The seats' last seat: the link's challenger when it is one response (None: every
    /// seat samples the policy).
    pub fn seat_challenger(&self) -> Option<usize> {
        crate::arena::seats::seat_challenger(&self.challenger)
    }

    /// Whether both configurations compute the same thing: they differ at most in what is
    /// only displayed (the figures shown, the text size, embed mode), so a session built for
    /// one serves the other. Field by field, without copies (every field is named, so a new
    /// one must be placed on one side or the other).
    pub fn same_computation(&self, other: &Config) -> bool {
        let Config {
            preset,
            k,
            players,
            algorithm,
            step_size,
            iterations,
            k_max,
            seed,
            beta,
            custom,
            view: _,
            embed: _,
            font_scale: _,
            // The map and the arena are asked for on their own (`ToWorker::Phase`, `Arena`).
            phase: _,
            challenger: _,
            set: _,
            draws: _,
            // Where the run opens is how it is shown, not what it computes.
            at_end: _,
            // The tour's place and who may drive the page are not computed either.
            tour: _,
            origins: _,
        } = self;
        *preset == other.preset
            && *k == other.k
            && *players == other.players
            && *algorithm == other.algorithm
            && *step_size == other.step_size
            && *iterations == other.iterations
            && *k_max == other.k_max
            && *seed == other.seed
            && *beta == other.beta
            && *custom == other.custom
    }

    /// The preferences this configuration is about: the custom ones, else the preset's.
    pub fn preferences(&self) -> Result<Preferences, ModelError> {
        match &self.custom {
            Some(c) => c.build(),
            None => crate::presets::load(&self.preset),
        }
    }

    /// Players in the alignment game.
    pub fn players(&self) -> usize {
        self.players.unwrap_or(self.k + 1)
    }

    /// Step size actually used: eta = 2m for Hedge-like rules, h = 1 for replicator
    /// (docs/mathematics.md#self-play).
    pub fn step_size_for(&self, players: usize) -> f64 {
        self.step_size.unwrap_or(match self.algorithm {
            Algorithm::Replicator => 1.0,
            _ => 2.0 * players as f64,
        })
    }
}
