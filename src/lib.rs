//! ualign: the mathematics of "Asymptotic Universal Alignment" (Cai and Zheng, 2026) as a library:
//! preferences, alignment-game payoffs, equilibrium solvers and the measures the app shows.

pub mod bradley_terry;
pub mod case;
pub mod cli;
pub mod config;
pub mod dynamics;
pub mod equilibrium;
pub mod fit;
pub mod linalg;
pub mod lottery;
pub mod model;
pub mod payoff;
pub mod presets;
pub mod protocol;
pub mod ranking_edit;
pub mod readers;
pub mod rng;
pub mod session;
pub mod solver_loop;
pub mod url;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use model::{PairwiseMatrix, Policy, Population, Preferences, Ranking, Voter};
