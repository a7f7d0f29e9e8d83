//! The seats as the page shows them, in words and numbers: each seat's last card, its tally
//! with its Wilson interval beside its exact chance, and the step of the argument the table
//! shows (typed data; the page only lays it out).

use super::seats::{Seats, MAX_SEATS_SHOWN};
use super::Tally;
use serde::{Deserialize, Serialize};

/// One seat (or the model's seats together, on a large table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeatView {
    /// The seat and what it plays: "seat 3 · π", "seat 5 · y = B", "seats 1–20 together · π".
    pub name: String,
    /// Whether it is the challenger's seat.
    pub challenger: bool,
    /// The last round's card (None before any round, or for seats shown together), and
    /// whether its copy was picked.
    pub card: Option<String>,
    pub picked: bool,
    /// Its share of the picks so far (NaN before any round), the 95% Wilson interval of that
    /// share, and the exact chance it converges to.
    pub bar: [f64; 4],
    /// The share and the exact chance in words.
    pub text: String,
}

/// One policy's table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableView {
    pub title: String,
    pub seats: Vec<SeatView>,
    /// The model's k seats together: what they win, in words.
    pub model: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeatsView {
    pub rounds: u64,
    pub fast: bool,
    pub voter: String,
    pub tables: [TableView; 2],
    /// What the tables show, in the argument's words.
    pub reading: String,
}

pub const TITLE: &str = "The seats of the (k+1)-player game";
pub const CAPTION: &str = "Each round, k + 1 seats each put a response on the table: a draw \
    from π, or the challenger's fixed y in the last seat. A voter drawn by weight picks one \
    copy (the best class, at random among its copies), and that seat scores. Bars: each seat's \
    share of the picks so far, with its 95% interval; the dashed mark is its exact chance, the \
    line across is 1/(k+1).";
pub const ALL_SAMPLE: &str = "Every seat samples π";
pub const CHALLENGER: &str = "Last seat plays: ";

fn seat(name: String, plays: String, challenger: bool, t: &Tally, exact: f64) -> SeatView {
    let (lo, hi) = t.interval();
    let text = if t.rounds == 0 {
        format!("exact {exact:.4}")
    } else {
        format!("{:.4} (exact {exact:.4})", t.empirical())
    };
    SeatView {
        name: format!("{name} · {plays}"),
        challenger,
        card: None,
        picked: false,
        bar: [t.empirical(), lo, hi, exact],
        text,
    }
}

fn table(s: &Seats, i: usize, labels: &[String]) -> TableView {
    let k = s.k();
    let label = |y: usize| labels.get(y).cloned().unwrap_or_else(|| "?".into());
    let tallies = s.tallies(i);
    let exact = s.exact(i);
    let y = s.challenger();
    let last_plays = match y {
        Some(y) => format!("y = {}", label(y)),
        None => "π".into(),
    };
    let mut seats: Vec<SeatView> = if k < MAX_SEATS_SHOWN {
        (0..=k)
            .map(|j| {
                let plays = if j == k {
                    last_plays.clone()
                } else {
                    "π".into()
                };
                let mut v = seat(
                    format!("seat {}", j + 1),
                    plays,
                    j == k && y.is_some(),
                    &tallies[j],
                    exact[j],
                );
                if let Some(r) = s.last() {
                    v.card = Some(label(r.cards[i][j]));
                    v.picked = r.picked[i] == j;
                }
                v
            })
            .collect()
    } else {
        let together = Tally {
            wins: tallies[..k].iter().map(|t| t.wins).sum(),
            rounds: tallies[0].rounds,
        };
        let mut last = seat(
            format!("seat {}", k + 1),
            last_plays,
            y.is_some(),
            &tallies[k],
            exact[k],
        );
        if let Some(r) = s.last() {
            last.card = Some(label(r.cards[i][k]));
            last.picked = r.picked[i] == k;
        }
        vec![
            seat(
                format!("seats 1–{k} together"),
                "π".into(),
                false,
                &together,
                exact[..k].iter().sum(),
            ),
            last,
        ]
    };
    seats.shrink_to_fit();
    let won: u64 = tallies[..k].iter().map(|t| t.wins).sum();
    let rounds = tallies[0].rounds;
    let exact_model: f64 = exact[..k].iter().sum();
    let model = if rounds == 0 {
        format!("The k = {k} seats of π together: exact {exact_model:.4}.")
    } else {
        format!(
            "The k = {k} seats of π together: {:.4} of the picks (exact {exact_model:.4}).",
            won as f64 / rounds as f64
        )
    };
    TableView {
        title: if i == 0 {
            "π = NLHF's maximal lottery".into()
        } else {
            format!("π = the {}-player game's equilibrium", k + 1)
        },
        seats,
        model,
    }
}

/// The seats' view, from the seats and the labels.
pub fn view(s: &Seats, labels: &[String]) -> SeatsView {
    let k = s.k();
    let share = 1.0 / (k + 1) as f64;
    let rounds = s.tallies(0)[0].rounds;
    let voter = match s.last() {
        None => "No round yet: press One round, or Fast rounds.".to_string(),
        Some(r) => {
            let v = &s.population().voters()[r.voter];
            format!(
                "Voter drawn: a type with {:.1}% of the weight, ranking {}.",
                100.0 * v.weight / s.population().total_weight(),
                super::view::ranking(v.ranking.classes(), labels)
            )
        }
    };
    let reading = match s.challenger() {
        None => format!(
            "Every seat samples the same π, so the seats are interchangeable: each is picked 1/(k+1) = {share:.4} of the time, for either policy."
        ),
        Some(y) => {
            let name = labels.get(y).map_or("?", String::as_str);
            let (un, ug) = (s.exact(0)[k], s.exact(1)[k]);
            let verdict = |u: f64| {
                if u <= share + 1e-9 {
                    format!("no more than 1/(k+1) = {share:.4}, so π's k seats win at least k/(k+1) = {:.4}", 1.0 - share)
                } else {
                    format!("more than 1/(k+1) = {share:.4}: π's k seats win only {:.4}, and π is no equilibrium of this game", 1.0 - u)
                }
            };
            format!(
                "The challenger {name} is picked u_k({name}; π) of the time. Against the game's equilibrium that is {ug:.4}, {}. Against NLHF's lottery it is {un:.4}, {}.",
                verdict(ug),
                verdict(un)
            )
        }
    };
    SeatsView {
        rounds,
        fast: s.fast(),
        voter,
        tables: [table(s, 0, labels), table(s, 1, labels)],
        reading,
    }
}
