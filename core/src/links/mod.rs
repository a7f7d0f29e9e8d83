//! The one configuration a view is built from, and the share link that carries it.

pub mod config;
pub mod decimal;
pub mod deck;
pub mod deck_draft;
pub mod embed;
pub mod url;
