//! The games and what solves them: the alignment-game payoff u_k and its equilibrium, NLHF's
//! 2-player game (the maximal lottery), self-play dynamics, and the RLHF baseline.

pub mod bradley_terry;
pub mod dynamics;
pub mod equilibrium;
pub mod linalg;
pub mod lottery;
pub mod matrix_game;
mod newton;
pub mod payoff;
