//! Preferences: voter populations of (weak-order) rankings, pairwise matrices, the population
//! fit of a matrix, ranking edits, and the shipped presets with their seeded generator.

pub mod fit;
pub mod model;
pub mod presets;
pub mod ranking_edit;
pub mod rng;
