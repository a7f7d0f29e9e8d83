//! The arena as the page shows it, in words and numbers, from the worker's report: each row's
//! cards and outcome, tallies beside exact values, both sides' choices, the two facts about
//! fixed sets (docs/mathematics.md#fixed-sets) and who is left out. The worker puts it in
//! words (`ArenaView`, typed data), so the page only lays it out and the formatting stays out
//! of the page's wasm.

use crate::arena::live::{ArenaReport, ArenaSide, FixedSetValue};
use crate::arena::{Side, Tally};
use serde::{Deserialize, Serialize};

/// Most cards shown as chips in a row (the rest are counted).
pub const MAX_CHIPS: usize = 24;

/// One card: its text is the response's label; `alt` says what it is for a screen reader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chip {
    pub label: String,
    pub alt: String,
    pub picked: bool,
}

/// One policy's row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowView {
    pub title: String,
    /// Which policy the row samples, and its support.
    pub samples: String,
    pub cards: Vec<Chip>,
    /// Cards beyond `MAX_CHIPS`, counted.
    pub more: Option<String>,
    pub challenger: Vec<Chip>,
    /// The last round's pick in words (None before any round), and whether the model won.
    pub outcome: Option<(String, bool)>,
    pub tally: String,
    /// Wins, rounds and the interval, for the element's data attributes.
    pub counts: (u64, u64, f64, f64),
    /// W_k(pi, Y') to four decimals, what it is of, and in full.
    pub exact: String,
    pub exact_of: String,
    pub exact_value: f64,
}

/// One line of the singles table: W_k(pi, y) for each policy, and whether y is in the game's
/// support.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SingleRow {
    pub label: String,
    pub nlhf: String,
    pub game: String,
    pub in_support: bool,
}

/// One line of "who is left out".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeftOutLine {
    pub who: String,
    pub nlhf: f64,
    pub game: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArenaView {
    /// Responses (the page's pickers must have as many labels).
    pub n: usize,
    pub fast: bool,
    pub voter: String,
    pub rounds: u64,
    pub nlhf: RowView,
    pub game: RowView,
    /// Each policy's own worst single challenger, in words.
    pub worst: String,
    pub singles: Vec<SingleRow>,
    pub indifference: String,
    /// The chosen fixed set's robust value (four decimals, or a dash) and a sentence.
    pub fixed_value: String,
    pub fixed: String,
    pub best: Option<String>,
    /// The best set's responses, once found (the page adopts it as the fixed set).
    pub best_set: Option<Vec<usize>>,
    pub facts: [String; 2],
    pub left_out: Vec<LeftOutLine>,
    pub notes: Vec<String>,
}

pub const TITLE: &str = "The arena: one prompt at a time";
pub const CAPTION: &str = "Each round draws a voter type by its weight, shows the voter k \
    responses drawn from each policy beside the challenger's, and the voter picks from the best \
    class any of them reaches, at random among the copies in it. The model wins if the pick is \
    one of its k. The tally converges to the exact value beside it.";
pub const ONE_ROUND: &str = "One round (d)";
pub const FAST: &str = "Fast rounds";
pub const STOP_FAST: &str = "Stop fast rounds";
pub const RESET: &str = "Reset the tally";
pub const NEW_DRAWS: &str = "New draws";
pub const NEW_DRAWS_TITLE: &str = "A fresh seed for the rounds (written into the link)";
pub const ROUNDS: &str = "Rounds: ";
pub const CHALLENGER_TITLE: &str = "Be the adversary";
pub const CHALLENGER_HINT: &str = "Click up to three responses: both policies face them, and the \
    tally starts again.";
pub const WORST: &str = "Worst challenger";
pub const WORST_TITLE: &str = "Each policy faces its own worst single response";
pub const SINGLES_HEAD: [&str; 4] = [
    "challenger y",
    "NLHF W_k(π, y)",
    "game W_k(π, y)",
    "in the game's support",
];
pub const MODEL_TITLE: &str = "Be the model";
pub const BEST_SET: &str = "Best fixed set";
pub const LEFT_OUT_TITLE: &str = "Who is left out";
pub const LEFT_OUT_HINT: &str = "For the largest voter types: the chance that something from \
    their top class is among the k responses shown, 1 − (1 − π(top))^k.";
pub const OPENING: &str = "Opening the arena…";
pub const FIXED_VALUE: &str = "The fixed set against its worst single challenger: ";
pub const BAR_NLHF: &str = "NLHF";
pub const BAR_GAME: &str = "game";

/// A ranking in words: classes best first, ties joined by `=`.
pub fn ranking(classes: &[Vec<usize>], labels: &[String]) -> String {
    let label = |y: &usize| labels.get(*y).map_or("?", String::as_str);
    classes
        .iter()
        .map(|c| c.iter().map(label).collect::<Vec<_>>().join(" = "))
        .collect::<Vec<_>>()
        .join(" > ")
}

/// A multiset of responses in words: `{A, B}`.
pub fn set(ys: &[usize], labels: &[String]) -> String {
    let names: Vec<&str> = ys
        .iter()
        .map(|&y| labels.get(y).map_or("?", String::as_str))
        .collect();
    format!("{{{}}}", names.join(", "))
}

fn tally(t: &Tally) -> (String, (u64, u64, f64, f64)) {
    let (lo, hi) = t.interval();
    let text = if t.rounds == 0 {
        "no rounds yet".to_string()
    } else {
        format!(
            "{} / {} won = {:.4} (95% Wilson interval {lo:.4} to {hi:.4})",
            t.wins,
            t.rounds,
            t.empirical()
        )
    };
    (text, (t.wins, t.rounds, lo, hi))
}

fn support(pi: &[f64], labels: &[String]) -> String {
    let mut parts: Vec<String> = pi
        .iter()
        .enumerate()
        .filter(|(_, &p)| p > 5e-5)
        .map(|(y, p)| format!("{} {p:.4}", labels.get(y).map_or("?", String::as_str)))
        .collect();
    if parts.len() > 8 {
        let rest = parts.len() - 8;
        parts.truncate(8);
        parts.push(format!("and {rest} more"));
    }
    parts.join(", ")
}

fn row(
    title: &str,
    what: String,
    side: &ArenaSide,
    round: Option<&Side>,
    k: usize,
    labels: &[String],
) -> RowView {
    let label = |y: usize| labels.get(y).cloned().unwrap_or_default();
    let (cards, challenger, outcome) = match round {
        None => (Vec::new(), Vec::new(), None),
        Some(s) => {
            let chip = |i: usize, y: usize, whose: &str| Chip {
                label: label(y),
                alt: format!(
                    "{}, {whose}{}",
                    label(y),
                    if i == s.pick { ", picked" } else { "" }
                ),
                picked: i == s.pick,
            };
            let cards = s
                .cards
                .iter()
                .enumerate()
                .take(MAX_CHIPS)
                .map(|(i, &y)| chip(i, y, &format!("the model's card {}", i + 1)))
                .collect();
            let challenger = s
                .challenger
                .iter()
                .enumerate()
                .map(|(j, &y)| chip(k + j, y, "the challenger's card"))
                .collect();
            let picked = s.cards.iter().chain(&s.challenger).nth(s.pick).copied();
            let outcome = if s.won {
                format!(
                    "The voter picks the model's {} (card {}): the model wins.",
                    label(picked.unwrap_or(0)),
                    s.pick + 1
                )
            } else {
                format!(
                    "The voter picks the challenger's {}: the challenger wins.",
                    label(picked.unwrap_or(0))
                )
            };
            (cards, challenger, Some((outcome, s.won)))
        }
    };
    let (tally, counts) = tally(&side.tally);
    RowView {
        title: title.to_string(),
        samples: format!("{what}: {}", support(&side.policy, labels)),
        more: (k > MAX_CHIPS).then(|| format!("and {} more cards", k - MAX_CHIPS)),
        cards,
        challenger,
        outcome,
        tally,
        counts,
        exact: format!("{:.4}", side.exact),
        exact_of: format!("exact W_{k}(π, {})", set(&side.challenger, labels)),
        exact_value: side.exact,
    }
}

fn fixed_sentence(f: &FixedSetValue, labels: &[String]) -> String {
    format!(
        "{} wins {:.4} against its worst single challenger, {}.",
        set(&f.set, labels),
        f.value,
        labels.get(f.worst).map_or("?", String::as_str)
    )
}

/// Everything the arena shows, from the report, the fixed set chosen so far and the labels.
pub fn view(report: &ArenaReport, chosen: &[usize], labels: &[String]) -> ArenaView {
    let k = report.k;
    let m = report.players;
    let cap = k as f64 / (k + 1) as f64;
    let last = report.last.as_ref();
    let voter = match last {
        None => "No round yet: press One round, or d.".to_string(),
        Some(r) => format!(
            "Voter drawn: a type with {:.1}% of the weight, ranking {}.",
            100.0 * r.share,
            ranking(&r.ranking, labels)
        ),
    };
    let nlhf = row(
        "NLHF",
        format!("{k} draws from the maximal lottery (exact)"),
        &report.nlhf,
        last.map(|r| &r.nlhf),
        k,
        labels,
    );
    let game = row(
        "Alignment game",
        format!("{k} draws from the {m}-player game's equilibrium (exact)"),
        &report.game,
        last.map(|r| &r.game),
        k,
        labels,
    );
    let name = |y: usize| labels.get(y).map_or("?", String::as_str);
    let worst = format!(
        "Each policy's own worst single challenger: NLHF's is {} ({:.4}), the game's is {} ({:.4}).",
        name(report.nlhf.worst),
        report.nlhf.singles.get(report.nlhf.worst).copied().unwrap_or(f64::NAN),
        name(report.game.worst),
        report.game.singles.get(report.game.worst).copied().unwrap_or(f64::NAN),
    );
    let singles = (0..labels.len().min(report.game.singles.len()))
        .map(|y| SingleRow {
            label: name(y).to_string(),
            nlhf: format!("{:.4}", report.nlhf.singles[y]),
            game: format!("{:.4}", report.game.singles[y]),
            in_support: report.game.policy[y] > 1e-9,
        })
        .collect();
    let indifference = if m == k + 1 {
        let support = report.game.policy.iter().filter(|&&p| p > 1e-9).count();
        format!(
            "The equilibrium is indifferent: each of the {support} challengers in its support gives exactly k/(k+1) = {cap:.4}, and every other gives at least that. NLHF is not: its worst challenger takes it to {:.4}.",
            report.nlhf.singles.get(report.nlhf.worst).copied().unwrap_or(f64::NAN)
        )
    } else {
        format!(
            "The game here has {m} players, not k + 1 = {}: its equilibrium is indifferent against {} samples, not {k}.",
            k + 1,
            m - 1
        )
    };
    let fixed = match &report.fixed {
        Some(f) => fixed_sentence(f, labels),
        None if k > report.game.policy.len() => format!(
            "A fixed set of k = {k} distinct responses needs {k} responses to choose from; there are {}.",
            report.game.policy.len()
        ),
        None if chosen.len() < k => format!(
            "Click {} more response{} to make a fixed set of k = {k} (a k-output model, not a policy sampled k times).",
            k - chosen.len(),
            if k - chosen.len() == 1 { "" } else { "s" }
        ),
        None => format!("A fixed set has k = {k} responses; click one to take it out."),
    };
    let shown = report.fixed.as_ref().or(report.best.as_ref());
    let facts = [
        format!(
            "A policy sampled k times is capped: against its worst single challenger it wins at most k/(k+1) = {cap:.4}, on any preferences (W_k(π) ≤ Σ_y π(y) W_k(π, y) = k/(k+1))."
        ),
        match shown {
            Some(f) if f.value > cap + 1e-9 => format!(
                "A fixed set is not: here {} wins {:.4}, above {cap:.4}.",
                set(&f.set, labels),
                f.value
            ),
            Some(f) => format!(
                "A fixed set is not capped in general, but here {} gets {:.4}, no more than {cap:.4}.",
                set(&f.set, labels),
                f.value
            ),
            None => "A fixed set is not capped the same way: choose one, or find the best.".into(),
        },
    ];
    let left_out = report
        .left_out
        .iter()
        .map(|row| LeftOutLine {
            who: match row.voter {
                Some(_) => format!(
                    "{:.1}%: {}",
                    100.0 * row.share,
                    ranking(&row.ranking, labels)
                ),
                None => format!("{:.1}%: every other type", 100.0 * row.share),
            },
            nlhf: row.nlhf,
            game: row.game,
        })
        .collect();
    ArenaView {
        n: report.nlhf.policy.len(),
        fast: report.fast,
        voter,
        rounds: report.nlhf.tally.rounds,
        nlhf,
        game,
        worst,
        singles,
        indifference,
        fixed_value: report
            .fixed
            .as_ref()
            .map_or_else(|| "–".to_string(), |f| format!("{:.4}", f.value)),
        fixed,
        best: report.best.as_ref().map(|f| {
            format!(
                "Best set of {k} distinct responses (by enumeration): {}",
                fixed_sentence(f, labels)
            )
        }),
        best_set: report.best.as_ref().map(|f| f.set.clone()),
        facts,
        left_out,
        notes: report.notes.clone(),
    }
}

/// A response clicked in the challenger picker: in or out; a fourth pushes out the first.
pub fn toggle_challenger(challenger: &mut Vec<usize>, y: usize) {
    toggle(challenger, y, crate::arena::MAX_CHALLENGER);
}

/// A response clicked in the fixed-set picker: in or out; one more than k pushes out the
/// first chosen.
pub fn toggle_set(set: &mut Vec<usize>, y: usize, k: usize) {
    toggle(set, y, k.min(crate::arena::live::MAX_SET));
}

fn toggle(list: &mut Vec<usize>, y: usize, max: usize) {
    if let Some(i) = list.iter().position(|&x| x == y) {
        list.remove(i);
    } else {
        if list.len() >= max && !list.is_empty() {
            list.remove(0);
        }
        list.push(y);
    }
}
