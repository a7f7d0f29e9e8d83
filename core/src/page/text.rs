//! Every text the page shows, in one place, ready for translation: labels, hints, titles,
//! keys, notices and messages. Components take their words from here; the numbers come from
//! the core and the format module.

use crate::config::{Algorithm, View};
use crate::page::perf::FrameStats;
use crate::worker::status::RunStatus;

// The page's frame.
pub const TITLE: &str = "Asymptotic universal alignment";
pub const LEDE: &str = "Show the user k responses and let them pick: Nash learning from human \
    feedback (NLHF) collapses onto one answer and wins about half the time; the (k+1)-player \
    alignment game keeps diversity and reaches k/(k+1). After Cai and Zheng (2026).";
pub const CITATION: &str = "Cai & Zheng, Asymptotic Universal Alignment, arXiv 2601.08777 (2026).";
/// The first paint's line (index.html), until the app's wasm is ready.
pub const LOADING: &str = "Loading the solver…";
/// The first screen's one line on what to look at.
pub const LOOK_AT: &str = "Watch the policies: NLHF (orange) piles onto one answer; the \
    alignment game (blue) keeps several and alone climbs to k/(k+1).";

// The tour and decks.
pub const TOUR_START: &str = "Take the tour";
pub const TOUR_GUESS: &str = "Your guess";
pub const TOUR_REVEAL: &str = "Reveal";
pub const TOUR_LEAVE: &str = "Leave the tour and open the full page with this configuration (Esc)";
pub const OPEN_IN_LAB: &str = "Open in the lab";
pub const TOUR_PREV: &str = "Previous step";
pub const TOUR_NEXT: &str = "Next step";

pub const PRESENTER: &str = "Presenter window";

// A lecturer's deck, written on the page (its list is drawn by the worker, `deck_edit`).
pub const DECK_HEADING: &str = "Your deck";
pub const DECK_HINT: &str = "Set up a view, then add it as a step. Present, export or share the \
    deck; import a deck's .json like any file. The deck is kept in this browser.";
/// The step's words: what the inputs are.
pub const DECK_WORDS: [&str; 3] = [
    "Step title",
    "Caption ({nlhf}, {game}, {bound} are filled in)",
    "Notes for the presenter",
];
pub const DECK_ADD: &str = "Add this view as a step";
pub const DECK_PRESENT: &str = "Present";
pub const DECK_EXPORT: &str = "Export deck";
pub const DECK_SHARE: &str = "Deck link";
pub const DECK_LINK_READY: &str = "Open this deck (the link holds it whole)";
pub const DECK_TOO_BIG_TO_KEEP: &str = "This deck is shown but too big to keep in the panel \
    (written out again it would pass the 1 MiB a deck may have).";
pub const DECK_VIEW_PACKING: &str =
    "This view's link is still being packed: add it again in a moment.";
pub const DECK_EMPTY: &str = "The deck has no steps yet: add this view as its first.";

/// A deck was opened while another was being written, which stays in the panel.
pub fn deck_kept(steps: usize) -> String {
    format!(
        "Your own deck ({steps} steps) stays in its panel, so this one is shown but not kept \
         there: to edit this one, delete those steps and open it again."
    )
}

/// The deck kept in this browser could not be read back.
pub fn deck_not_restored(why: &str) -> String {
    format!("Your deck kept in this browser could not be opened, and is left as it was: {why}")
}

/// A step went into the deck.
pub fn deck_added(n: usize) -> String {
    format!("Step {n} added to your deck.")
}

/// A deck that could not be opened.
pub fn deck_failed(why: &str) -> String {
    format!("The deck could not be opened: {why}")
}

pub const OPEN_FULL_VIEW: &str = "Open the full view ↗";
pub const DISMISS: &str = "Dismiss the message";

// Run controls.
pub const SPEED: &str = "Speed";
pub const SPEEDS: [(u32, &str); 4] = [(10, "10 / s"), (60, "60 / s"), (600, "600 / s"), (0, "max")];
pub const RUN_CONTROLS: &str = "Run controls";
pub const RUN: &str = "Run";
pub const PLAY: &str = "▶ Play";
pub const PAUSE: &str = "❚❚ Pause";
pub const STEP: &str = "Step";
pub const RESTART: &str = "↺ Restart";
pub const REPLAY: &str = "Replay";
pub const KEYS_HINT: &str = "Keys: space plays or pauses, → steps, r restarts.";

pub fn replay_position(iteration: usize, newest: usize) -> String {
    format!("iteration {iteration} of {newest}")
}

pub fn back_to_newest(newest: usize) -> String {
    format!("Back to the newest (iteration {newest})")
}

// Settings.
pub const CONFIGURATION: &str = "Configuration";
pub const EDIT_HISTORY: &str = "Edit history";
pub const UNDO: &str = "↶ Undo";
pub const UNDO_TITLE: &str = "Undo the last change (Ctrl+Z)";
pub const REDO: &str = "↷ Redo";
pub const REDO_TITLE: &str = "Redo (Ctrl+Shift+Z)";
pub const RESET_DEFAULTS: &str = "Reset to defaults";
pub const RESET_DEFAULTS_TITLE: &str =
    "The default configuration; forgets the one saved in this browser";
pub const PREFERENCES: &str = "Preferences";
pub const CUSTOM_PREFERENCES: &str = "Custom preferences";
pub const DATA: &str = "Data: ";
pub const IMPORT_FILE: &str = "Or import a file (or drop it here)";
pub const IMPORT_HINT: &str = "PrefLib .soc, .soi, .toc, .toi; CSV matrix or left,right,winner \
    comparisons; or a configuration saved with Export JSON.";
pub const PASTE_LABEL: &str = "Preferences as PrefLib or CSV text";
pub const PASTE_PLACEHOLDER: &str = "…or paste PrefLib or CSV text here";
pub const PASTE_LOAD: &str = "Load the pasted text";
pub const K_LABEL: &str = "k, responses shown to the user";
pub const K_TYPED_TITLE: &str = "Type any k up to 1024";
pub const K_TYPED_LABEL: &str = "k, typed (any value up to 1024)";
pub const K_TYPED_PLACEHOLDER: &str = "≤ 1024";
pub const PLAYERS_LABEL: &str = "Players in the alignment game";
pub const PLAYERS_AUTO: &str = " m = k + 1 (the paper's game)";
pub const PLAYERS_TYPED_TITLE: &str = "Type any number of players up to 1025";
pub const PLAYERS_TYPED_LABEL: &str = "players, typed (any value up to 1025)";
pub const PLAYERS_TYPED_PLACEHOLDER: &str = "≤ 1025";
pub const SHOW: &str = "Show";
pub const CHART_TEXT: &str = "Chart text";
/// The text sizes offered for the charts (any other from a link is shown as it is).
pub const FONT_SCALES: [(f64, &str); 3] = [
    (1.0, "Normal"),
    (1.5, "Large (1.5×)"),
    (2.0, "Lecture hall (2×)"),
];
pub const SELF_PLAY_RULE: &str = "Self-play rule";
pub const STEP_SIZE: &str = "Step size";
pub const ITERATIONS: &str = "Iterations";
pub const MORE_SETTINGS: &str = "More settings";
pub const SWEEP_UP_TO: &str = "Sweep up to k";
pub const RLHF_BETA: &str = "RLHF β (KL)";
pub const SEED: &str = "Seed (random presets)";

pub fn k_value(k: usize) -> String {
    format!("k = {k}")
}

pub fn players_value(m: usize) -> String {
    format!("m = {m}")
}

pub fn step_size_placeholder(default: f64) -> String {
    format!("auto ({default})")
}

pub fn font_scale(scale: f64) -> String {
    format!("{scale}×")
}

pub fn algorithm_title(a: Algorithm) -> &'static str {
    match a {
        Algorithm::Hedge => "Hedge",
        Algorithm::OptimisticHedge => "Optimistic Hedge",
        Algorithm::Replicator => "Replicator dynamics",
        Algorithm::NashMd => "Nash-MD (regularized)",
    }
}

pub fn view_title(view: View) -> &'static str {
    match view {
        View::All => "All four figures",
        View::Policies => "Policies",
        View::WinRates => "Win rate over iterations",
        View::Sweep => "Win rate against k",
        View::Opponents => "Against l-output opponents",
        View::Phase => "Phase map: when diversity switches on",
        View::Arena => "The arena: one prompt at a time",
        View::Seats => "The seats of the (k+1)-player game",
    }
}

pub const NO_RANDOMNESS: &str =
    "The browser gave no randomness for new draws; the rounds keep their seed.";

// Readouts.
pub const LIVE_VALUES: &str = "Live values";
pub const COPY_LINK: &str = "Copy link";
pub const COPY_LINK_TITLE: &str = "Copy a link that opens this exact configuration";
pub const ITERATION: &str = "iteration";
pub const REPLAYING: &str = "Replaying an earlier iteration. ";
pub const READING_OF_NEWEST: &str = "The reading below describes the newest one: ";
pub const DOWNLOAD: &str = "Download:";
pub const DOWNLOAD_DATA: &str = "Download data";
pub const ITERATIONS_CSV: &str = "iterations CSV";
pub const SWEEP_CSV: &str = "win rate vs k CSV";
pub const EVERYTHING_JSON: &str = "everything JSON";
pub const NO_VALUE: &str = "–";
/// What each readout is of: the runs' current iterates, or the exact solutions.
pub const OF_NLHF_ITERATE: &str = " NLHF, current iterate";
pub const OF_GAME_ITERATE: &str = " game, current iterate";
pub const OF_MAXIMAL_LOTTERY: &str = " maximal lottery, exact";
pub const OF_EQUILIBRIUM: &str = " equilibrium, exact";

/// What a solution of the m-player game is: "exact" when certified (exploitability within
/// `equilibrium::TARGET_EXPLOITABILITY`), else the solver's best iterate and how far it is.
pub fn solution(exploitability: f64) -> String {
    if exploitability <= crate::equilibrium::TARGET_EXPLOITABILITY {
        "exact".into()
    } else {
        format!("best iterate, exploitability {}", short_sci(exploitability))
    }
}

/// The game's readout label: `OF_EQUILIBRIUM` when the equilibrium is certified, else
/// " equilibrium, best iterate, exploitability 3.1e-7".
pub fn of_equilibrium(exploitability: f64) -> String {
    format!(" equilibrium, {}", solution(exploitability))
}
pub const EXPLOITABILITY_GAME: &str = "exploitability, game iterate";
pub const EXPLOITABILITY_NLHF: &str = "exploitability, NLHF iterate";

pub fn preset_of(custom: bool) -> &'static str {
    if custom {
        "custom preferences, from preset "
    } else {
        "preset "
    }
}

pub fn status(status: RunStatus) -> &'static str {
    status.as_str()
}

// Figures.
pub const PNG: &str = "PNG";
pub const PNG_TITLE: &str = "Download this chart as PNG";
pub const SVG: &str = "SVG";
pub const SVG_TITLE: &str = "Download this chart as SVG (vector, with its key)";
pub const POLICIES_CAPTION: &str = "Current self-play iterate of each: NLHF above, the game below.";
pub const POLICIES_ALT: &str = "Bar chart of both policies over the responses";
pub const POLICIES_AS_NUMBERS: &str = "Policies as numbers";
pub const NLHF: &str = "NLHF";
pub const ALIGNMENT_GAME: &str = "Alignment game";
pub const AVERAGE_ITERATE: &str = "average iterate";
pub const WIN_RATES_CAPTION: &str = "Worst case over single-response opponents, for the current \
    iterate; lower panel: exploitability in its own game (0 = equilibrium).";
pub const WIN_RATES_ALT: &str = "Win rate of both policies over iterations";
pub const EXPLOITABILITY_ALT: &str = "Exploitability over iterations, log scale";
pub const SWEEP_CAPTION: &str = "Each policy sampled k times, against the worst single response. \
    The game follows k/(k+1); NLHF plateaus.";
pub const SWEEP_ALT: &str =
    "Robust win rate against k for NLHF, the alignment game, RLHF and best-of-k";
pub const SWEEP_STOP_TITLE: &str = "Halt the sweep and the run";
pub const STOP: &str = "Stop";
pub const CONTINUE: &str = "Continue";
pub const OPPONENTS_CAPTION: &str = "Worst opponent multiset. The paper guarantees (k+1-ℓ)/(k+1) \
    for the (k+1)-player equilibrium, and no policy beats k/(k+ℓ); how far above the guarantee \
    the best policy can go is open. Hollow markers: a bound, not exact.";
pub const OPPONENTS_ALT: &str = "Win rate against l-output opponents";

pub fn sweep_progress(done: usize, total: usize, stopped: bool) -> String {
    if stopped {
        format!("stopped after k = {done} of {total}")
    } else {
        format!("computing k = {} of {total}", done + 1)
    }
}

pub fn policies_title(m: usize) -> String {
    format!("Policies: NLHF versus the {m}-player game")
}
pub const KEY_NLHF_GAME: &str = "NLHF (2-player game)";

pub fn key_game(m: usize) -> String {
    format!("{m}-player alignment game")
}

pub fn win_rates_title(k: usize) -> String {
    format!("Robust best-of-{k} win rate over iterations")
}

pub fn key_game_short(m: usize) -> String {
    format!("{m}-player game")
}
pub const KEY_BOUND: &str = "k/(k+1)";
pub const KEY_HALF: &str = "1/2";
pub const SWEEP_TITLE: &str = "Win rate against k";
pub const KEY_SWEEP_GAME: &str = "(k+1)-player game";
pub const KEY_RLHF: &str = "RLHF (Bradley-Terry)";
pub const KEY_UNIFORM: &str = "best-of-k from uniform";
pub const KEY_BEST_POSSIBLE: &str = "k/(k+1), the best possible";

pub fn opponents_title(k: usize) -> String {
    format!("Against an opponent that also shows ℓ responses (k = {k})")
}
pub const KEY_GUARANTEE: &str = "guarantee (k+1-ℓ)/(k+1)";
pub const KEY_BOUNDARY: &str = "Condorcet winner alone up to here: k = 1 / max P[y][c] - 1";
pub const PHASE_CAPTION: &str = "Each cell: how many responses the (k+1)-player equilibrium \
    spreads over (1: the Condorcet winner alone, like NLHF). Point at a cell for its policy; \
    click to open it.";
pub const PHASE_ALT: &str = "Phase map of the equilibrium's support size over k and the parameter";
pub const PHASE_COLUMNS_LABEL: &str = "Columns";
pub const PHASE_TWO_RESPONSES: &str = "two responses, majority share p";

pub fn phase_title(family: crate::open_question::phase_map::Family) -> String {
    format!(
        "Phase map: support of the (k+1)-player equilibrium, by k and {}",
        family.parameter_name()
    )
}

pub fn phase_voter_option(v: usize) -> String {
    format!("share of voter type {}", v + 1)
}

pub fn phase_progress(done: usize, total: usize) -> String {
    format!("computing cell {done} of {total}")
}

/// The preview of a phase-map cell.
pub fn phase_preview(
    parameter_name: &str,
    parameter: f64,
    k: usize,
    labels: &[String],
    policy: &[f64],
    shortfall: f64,
) -> String {
    let parts: Vec<String> = labels
        .iter()
        .zip(policy)
        .filter(|(_, &p)| p > 1e-6)
        .map(|(l, p)| format!("{l} {p:.3}"))
        .collect();
    format!(
        "{parameter_name} = {parameter:.3}, k = {k}: the {}-player equilibrium puts {} (support {}); NLHF falls short of k/(k+1) by {shortfall:.4}.",
        k + 1,
        parts.join(", "),
        parts.len()
    )
}

pub const KEY_WIDER: &str = "(k+ℓ)-player game";
pub const KEY_BEST_FOUND: &str = "best policy found (a lower bound)";
pub const KEY_CEILING: &str = "k/(k+ℓ), which no policy beats";

/// Where this profile sits in the interval of docs/mathematics.md#the-open-question, in words, for each l of
/// the rows beyond 1 (`rows`: l, the configured game's value, the (k+l)-player game's, the
/// best found if searched).
pub fn opponents_reading(k: usize, m: usize, rows: &[(usize, f64, f64, Option<f64>)]) -> String {
    let mut out = String::new();
    for &(l, game, wider, best) in rows.iter().filter(|r| r.0 > 1) {
        let lo = (k + 1).saturating_sub(l) as f64 / (k + 1) as f64;
        let hi = k as f64 / (k + l) as f64;
        out += &format!(
            "Against ℓ = {l}: the guarantee is {lo:.4} and no policy beats {hi:.4}; the {m}-player equilibrium wins {game:.4}, the {}-player one {wider:.4}",
            k + l
        );
        match best {
            Some(b) => {
                let place = if hi > lo { (b - lo) / (hi - lo) } else { 1.0 };
                out += &format!(
                    ", and the best policy found {b:.4}, {:.0}% of the way from the guarantee to the ceiling (a lower bound on the best possible, found by search). ",
                    100.0 * place
                );
            }
            None => out += " (the search for the best policy is beyond this profile's size). ",
        }
    }
    out.trim_end().to_string()
}

// Editors.
pub const EDIT_PREFERENCES: &str = "Edit the preferences";
pub const BACK_TO_PRESET: &str = "Back to the preset";
pub const LABELS: &str = "Labels";
pub const ADD_RESPONSE: &str = "Add a response";
pub const MATRIX_HINT: &str = "P[i][j]: the probability that a voter prefers the row's response \
    to the column's. Editing a cell sets its mirror to one minus it. Purple: the row's response \
    is preferred; orange: the column's; white: even. Arrow keys move between cells, Escape \
    cancels an edit. ";
pub const POPULATION_HINT: &str = "Each voter type: a weight and a ranking, best first. Drag a \
    response onto another: its left part puts it before, the middle ties them, the right part \
    after. Or focus a response and press ← or →. Click > to tie two neighbours, = to break a tie.";
pub const TIE_TITLE: &str = "Tie these two classes";
pub const UNTIE_TITLE: &str = "Break this tie";
pub const DUPLICATE: &str = "Duplicate";
pub const REMOVE: &str = "Remove";
pub const ADD_VOTER: &str = "Add a voter type";
pub const POPULATION_MATRIX: &str = "Pairwise matrix of this population";
pub const NO_CONDORCET: &str =
    "No Condorcet winner: every response loses or ties some head-to-head comparison.";

pub fn label_of(i: usize) -> String {
    format!("label of response {}", i + 1)
}

pub fn remove_response_title(label: &str) -> String {
    format!("Remove {label}")
}

pub fn remove_response_label(label: &str) -> String {
    format!("remove response {label}")
}

pub fn fit_residual(residual: Option<f64>, types: usize) -> String {
    match residual {
        Some(r) if r <= 1e-9 => format!(
            "This matrix is realized exactly by {types} voter type{}.",
            if types == 1 { "" } else { "s" }
        ),
        Some(r) => format!(
            "The closest population of voters ({types} types) misses it by {} (the choice among k + 1 needs voters).",
            if r >= 0.005 {
                format!("{r:.2}")
            } else {
                format!("{r:.1e}")
            }
        ),
        None => String::new(),
    }
}

pub fn cell_label(row: &str, column: &str) -> String {
    format!("P[{row}][{column}]")
}

pub fn weight_label(v: usize) -> String {
    format!("weight of voter type {}", v + 1)
}

pub fn weight_slider_label(v: usize) -> String {
    format!("weight of voter type {} (slider)", v + 1)
}

pub fn tie_label(class: usize, v: usize) -> String {
    format!(
        "tie class {class} with class {} of voter type {}",
        class + 1,
        v + 1
    )
}

pub fn untie_label(name: &str, v: usize) -> String {
    format!("break the tie before {name} in voter type {}", v + 1)
}

pub fn chip_label(name: &str, v: usize) -> String {
    format!(
        "{name}, in voter type {}; drag it, or arrow keys move it",
        v + 1
    )
}

pub fn duplicate_label(v: usize) -> String {
    format!("duplicate voter type {}", v + 1)
}

pub fn remove_voter_label(v: usize) -> String {
    format!("remove voter type {}", v + 1)
}

pub fn shown_types(shown: usize, all: usize) -> String {
    format!("Showing {shown} of {all} voter types; the others are kept as they are.")
}

pub fn condorcet_winner(label: &str) -> String {
    format!("Condorcet winner: {label} (preferred to every other response by a majority).")
}

pub fn matrix_too_big(n: usize, shown: usize) -> String {
    format!("The pairwise matrix has {n} responses; it is shown up to {shown}.")
}

// Notices and messages.
pub const PASTE_FIRST: &str = "Paste PrefLib or CSV text into the box first.";
pub const RESET_DONE: &str = "Back to the defaults; the saved configuration is cleared.";
pub const LINK_COPIED: &str = "Link copied: it opens this exact configuration.";
pub const EXPORT_JSON: &str = "Export JSON";

pub fn bad_link(e: &impl std::fmt::Display) -> String {
    format!("This link could not be opened ({e}); showing the default configuration instead.")
}

pub fn link_problem(problem: &str) -> String {
    format!(
        "The link does not hold this configuration: {problem}. Export JSON saves it; import that file here to open it again."
    )
}

pub fn imported(name: &str) -> String {
    format!("Imported {name}. Choosing a preset again replaces these preferences.")
}

pub fn import_failed(why: &str) -> String {
    format!("Nothing was imported; this could not be read: {why}")
}

pub fn opened_saved(name: &str) -> String {
    format!("Opened the configuration saved in {name}.")
}

pub fn saved_refused(name: &str, why: &str) -> String {
    format!("Nothing was imported; {name} could not be opened: {why}")
}

pub fn file_too_big(name: &str, bytes: f64, limit_bytes: usize) -> String {
    format!(
        "{name} is {:.1} MB; files up to {} MB can be imported.",
        bytes / 1048576.0,
        limit_bytes / 1048576
    )
}

pub fn pasted_too_big(name: &str, bytes: usize, limit_bytes: usize) -> String {
    format!(
        "Nothing was imported; {name} is {:.1} MB and up to {} MB can be imported (the limit on files).",
        bytes as f64 / 1048576.0,
        limit_bytes / 1048576
    )
}

pub fn download_failed(why: &str) -> String {
    format!("The download failed: {why}")
}

pub fn solver_restarted(fault: &str) -> String {
    format!(
        "Solver restarted: {fault}. The configuration is kept; the run starts again from iteration 0."
    )
}

pub fn perf(p: &FrameStats) -> String {
    let mut out = String::new();
    if let Some(t) = p.first_chart_ms {
        out += &format!("first chart {t:.0} ms");
    }
    if let Some(f) = p.fps {
        out += &format!(" · {f:.0} fps");
    }
    if let (Some(_), Some(f), Some(d)) = (p.fps, p.frame_ms, p.draw_ms) {
        out += &format!(" · {f:.1} ms/frame, of which drawing {d:.1} ms");
    }
    out
}

// The live reading, in its own module (re-exported here, where every text of the page is
// looked for).
pub use super::reading::{reading, short_sci, ReadingFacts, RunFacts, CONVERGED};
