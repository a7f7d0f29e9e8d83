//! Browser tests: the release site in dist/ in real headless Chromium, driven over WebDriver,
//! one test binary with the tests by area (tests/browser/*.rs) and one harness. They skip (with
//! a message) only when dist/ or Chromium is missing outside CI; under CI=true they fail.
#![cfg(not(target_arch = "wasm32"))]

#[path = "browser/harness.rs"]
mod harness;
#[path = "browser/helpers.rs"]
mod helpers;

#[path = "browser/arena.rs"]
mod arena;
#[path = "browser/bench.rs"]
mod bench;
#[path = "browser/csp.rs"]
mod csp;
#[path = "browser/editors.rs"]
mod editors;
#[path = "browser/embed.rs"]
mod embed;
#[path = "browser/export.rs"]
mod export;
#[path = "browser/faults.rs"]
mod faults;
#[path = "browser/history.rs"]
mod history;
#[path = "browser/import.rs"]
mod import;
#[path = "browser/links.rs"]
mod links;
#[path = "browser/research.rs"]
mod research;
#[path = "browser/run.rs"]
mod run;
#[path = "browser/scenes.rs"]
mod scenes;
#[path = "browser/tour.rs"]
mod tour;
