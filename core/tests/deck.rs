//! Decks: the shipped tour reads, every step opens what its words say, and bad documents are
//! refused with a message naming what is wrong.

use ualign::arena::fixed_set;
use ualign::deck::{
    fill_caption, judge_number, read_deck, Answer, Deck, DECK_VERSION, MAX_STEPS, MAX_TEXT_CHARS,
};
use ualign::model::Preferences;
use ualign::payoff::CompiledPopulation;
use ualign::session::Session;

const TOUR: &str = include_str!("../../static/tour.json");

fn tour() -> Deck {
    read_deck(TOUR).unwrap()
}

fn session(deck: &Deck, step: usize) -> Session {
    Session::new(&deck.steps[step].config().unwrap()).unwrap()
}

fn population(deck: &Deck, step: usize) -> ualign::model::Population {
    let Preferences::Population(pop) = deck.steps[step].config().unwrap().preferences().unwrap()
    else {
        panic!("step {} is on a population", step + 1)
    };
    pop
}

/// W_k of a policy against its worst single challenger, from the payoff's closed form.
fn robust(pop: &ualign::model::Population, pi: &[f64], k: usize) -> f64 {
    let u = CompiledPopulation::new(pop).payoff_vec(pi, k);
    1.0 - u.iter().cloned().fold(f64::MIN, f64::max)
}

#[test]
fn the_tour_has_the_beats_of_the_argument_and_their_numbers_hold() {
    let deck = tour();
    assert_eq!(deck.ualign_deck, DECK_VERSION);
    assert_eq!(deck.steps.len(), 11);
    let view = |i: usize| {
        let c = deck.steps[i].config().unwrap();
        (c.view.id(), c.k, c.preset.clone())
    };
    // 1. The setting at k = 1 in the arena: NLHF is all A, and its worst challenger, A
    // itself, ties: W_1 = 1/2 = k/(k+1).
    assert_eq!(view(0), ("arena", 1, "majority-51-49".into()));
    let s = session(&deck, 0);
    assert!(s.maximal_lottery()[0] > 0.999);
    assert!((s.snapshot().nlhf.exact_robust_win_rate - 0.5).abs() < 1e-9);
    // 2. The question, answered by the exact 0.51; all-A wins at least k/(k+1) against A,
    // its worst challenger is B, and its W_k stays 0.51 for every k from 2 on.
    let q = deck.steps[1].question.as_ref().expect("step 2 asks first");
    assert_eq!(q.answer, Answer::NlhfWinRate);
    let nlhf = session(&deck, 1).snapshot().nlhf.exact_robust_win_rate;
    assert!((nlhf - 0.51).abs() < 1e-12, "{nlhf}");
    let pop = population(&deck, 1);
    let c = CompiledPopulation::new(&pop);
    for k in 2..=16 {
        let u = c.payoff_vec(&[1.0, 0.0], k);
        assert!(1.0 - u[0] >= k as f64 / (k + 1) as f64 - 1e-12, "k = {k}");
        assert!((u[1] - 0.49).abs() < 1e-12 && (robust(&pop, &[1.0, 0.0], k) - 0.51).abs() < 1e-12);
    }
    // 3. The arena at k = 4; 4 and 5, the seats of the 5-player game, then with B as the
    // last seat: the equilibrium gives B no more than 1/5, NLHF's all-A gives it 0.49.
    assert_eq!(view(2).0, "arena");
    assert_eq!(view(3), ("seats", 4, "majority-51-49".into()));
    let c5 = deck.steps[4].config().unwrap();
    assert_eq!(
        (c5.view.id(), c5.k, c5.seat_challenger()),
        ("seats", 4, Some(1))
    );
    let s = session(&deck, 4);
    let u = c.payoff_vec(&s.equilibrium().policy, 4);
    assert!(u[1] <= 0.2 + 1e-9, "{u:?}");
    // 6. The equilibrium keeps both answers (0.514 / 0.486) and wins exactly 4/5.
    assert_eq!(view(5), ("policies", 4, "majority-51-49".into()));
    let s = session(&deck, 5);
    let eq = &s.equilibrium().policy;
    assert!(
        (eq[0] - 0.514).abs() < 5e-4 && (eq[1] - 0.486).abs() < 5e-4,
        "{eq:?}"
    );
    assert!((s.snapshot().game.exact_robust_win_rate - 0.8).abs() < 1e-9);
    // 7. Win rate against k.
    assert_eq!(view(6).0, "sweep");
    // 8. APA 1998: a Condorcet winner c, and NLHF's W_4 at most the share of voters who do
    // not rank c's closest rival above it (counted voter by voter).
    assert_eq!(view(7), ("sweep", 4, "apa-1998".into()));
    let pop = population(&deck, 7);
    let winner = pop
        .pairwise()
        .condorcet_winner()
        .expect("a Condorcet winner");
    let total = pop.total_weight();
    let cap = (0..pop.n())
        .filter(|&y| y != winner)
        .map(|y| {
            let above: f64 = pop
                .voters()
                .iter()
                .filter(|v| v.ranking.class_index()[y] < v.ranking.class_index()[winner])
                .map(|v| v.weight)
                .sum();
            1.0 - above / total
        })
        .fold(f64::INFINITY, f64::min);
    let nlhf = session(&deck, 7).snapshot().nlhf.exact_robust_win_rate;
    assert!(nlhf <= cap + 1e-12, "{nlhf} above {cap}");
    // 9. The fixed set {A, B} at k = 2 wins 0.745.
    let c = deck.steps[8].config().unwrap();
    assert_eq!((c.k, c.set.as_slice()), (2, &[0usize, 1][..]));
    let (value, _) = fixed_set::robust(&population(&deck, 8), &c.set);
    assert!((value - 0.745).abs() < 1e-12, "{value}");
    // 10 and 11: the opponents figure, the last on the profile gap-search found, at k = 2.
    assert_eq!(view(9).0, "opponents");
    assert_eq!(view(10), ("opponents", 2, "gap-search-4".into()));
    // Every caption's placeholders are filled, and every caption fits a slide above its
    // figure (the scene tests check the layout; this keeps the words short enough for it).
    for step in &deck.steps {
        let filled = fill_caption(&step.caption, Some(0.51), Some(0.8), 4);
        assert!(!filled.contains('{') && !filled.contains('}'), "{filled}");
        assert!(
            filled.chars().count() <= 420,
            "{} is {} characters",
            step.title,
            filled.chars().count()
        );
    }
}

#[test]
fn captions_quote_live_values_and_guesses_are_judged() {
    assert_eq!(
        fill_caption(
            "NLHF {nlhf}, game {game}, bound {bound}",
            Some(0.51),
            None,
            4
        ),
        "NLHF 0.5100, game –, bound 0.8000"
    );
    // Braces that name no value stay as they are; a value may end the caption.
    assert_eq!(
        fill_caption("{x} {nlhf {game}{game}", None, Some(0.75), 2),
        "{x} {nlhf 0.75000.7500"
    );
    assert_eq!(fill_caption("é{bound}", None, None, 1), "é0.5000");
    assert_eq!(
        judge_number(0.8, 0.51),
        "Your guess 0.80; the exact value is 0.5100, 0.29 away."
    );
    assert!(judge_number(0.515, 0.51).contains("right on"));
}

#[test]
fn a_deck_reads_back_from_its_own_document() {
    let deck = tour();
    assert_eq!(read_deck(&deck.to_json()), Ok(deck));
}

fn refused(text: &str) -> String {
    read_deck(text).expect_err(text).0
}

#[test]
fn bad_decks_are_refused_with_a_message_that_names_the_fault() {
    let step = r#"{"fragment":"v=1","title":"t","caption":"c"}"#;
    let deck = |steps: &str| format!(r#"{{"ualign_deck":1,"title":"d","steps":[{steps}]}}"#);
    assert!(read_deck(&deck(step)).is_ok());
    assert!(refused("not json").starts_with("The deck is not a deck document"));
    assert!(refused(&deck(
        r#"{"fragment":"v=1","title":"t","caption":"c","extra":1}"#
    ))
    .contains("unknown field"));
    assert!(refused(&deck(step).replace(":1,", ":2,")).contains("version 2"));
    assert!(refused(&deck("")).contains("this one has 0"));
    let many = vec![step; MAX_STEPS + 1].join(",");
    assert!(refused(&deck(&many)).contains(&format!("this one has {}", MAX_STEPS + 1)));
    let long = "x".repeat(MAX_TEXT_CHARS + 1);
    let m = refused(&deck(&format!(
        r#"{step},{{"fragment":"v=1","title":"t","caption":"{long}"}}"#
    )));
    assert!(m.starts_with("Step 2's caption has"), "{m}");
    let m = refused(&deck(&format!(
        r#"{step},{step},{{"fragment":"v=1&k=0","title":"t","caption":"c"}}"#
    )));
    assert!(m.starts_with("Step 3's fragment"), "{m}");
    let m = refused(&deck(
        r#"{"fragment":"v=1","title":"t","caption":"c","question":{"prompt":"p","answer":"nope"}}"#,
    ));
    assert!(m.contains("unknown variant"), "{m}");
    assert!(refused(&" ".repeat(ualign::deck::MAX_DECK_BYTES + 1)).contains("bytes"));
}
