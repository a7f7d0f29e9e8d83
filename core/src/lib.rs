//! ualign: the mathematics of "Asymptotic Universal Alignment" (Cai and Zheng, 2026) as a library:
//! preferences, alignment-game payoffs, equilibrium solvers and the measures the app shows.
//!
//! The folders follow the paper and the app's architecture:
//! - [`arena`]: one round at a time, who is left out, and fixed sets of k responses;
//! - [`preferences`]: voter populations and pairwise matrices, the population fit, presets;
//! - [`alignment_game`]: the payoffs u_k, the m-player equilibrium, NLHF's maximal lottery,
//!   self-play dynamics and the RLHF baseline;
//! - [`readers`]: PrefLib and CSV files, and reference cases;
//! - [`links`]: the one configuration and its share-link codec;
//! - [`worker`]: the solver session, the worker's loop and its message protocol;
//! - [`page`]: the page's state machines that need no browser (run state, undo history,
//!   shortcuts, pasted-text sniffing, CSV writers).
//!
//! No web crate is a dependency (the `boundary` make target checks the graph), so everything
//! here is tested natively. The modules are also re-exported at the top level
//! (`ualign::payoff`, `ualign::config`, ...), the short paths the CLI, tests and fuzzers use.

pub mod alignment_game;
pub mod arena;
pub mod links;
pub mod open_question;
pub mod page;
pub mod preferences;
pub mod readers;
pub mod worker;

pub use alignment_game::{bradley_terry, dynamics, equilibrium, linalg, lottery, payoff};
pub use links::{config, deck, deck_draft, embed, url};
pub use preferences::{fit, model, presets, ranking_edit, rng};
pub use readers::case;
pub use worker::{protocol, session, solver_loop};

pub use model::{PairwiseMatrix, Policy, Population, Preferences, Ranking, Voter};
