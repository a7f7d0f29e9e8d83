//! Decks: the shipped tour reads, every step opens what its words say, and bad documents are
//! refused with a message naming what is wrong.

use ualign::arena::fixed_set;
use ualign::deck::{
    fill_caption, judge_number, read_deck, Answer, Deck, DECK_VERSION, MAX_STEPS, MAX_TEXT_CHARS,
};
use ualign::model::Preferences;
use ualign::session::Session;

const TOUR: &str = include_str!("../../static/tour.json");

fn tour() -> Deck {
    read_deck(TOUR).unwrap()
}

fn session(deck: &Deck, step: usize) -> Session {
    Session::new(&deck.steps[step].config().unwrap()).unwrap()
}

#[test]
fn the_tour_has_the_beats_of_the_argument_and_their_numbers_hold() {
    let deck = tour();
    assert_eq!(deck.ualign_deck, DECK_VERSION);
    assert_eq!(deck.steps.len(), 9);
    // 1. 51/49 at k = 1: NLHF picks A, and that is optimal (W_1 = 1/2 = k/(k+1)).
    let s = session(&deck, 0);
    assert_eq!(s.config().k, 1);
    assert!(s.maximal_lottery()[0] > 0.999);
    assert!((s.snapshot().nlhf.exact_robust_win_rate - 0.5).abs() < 1e-9);
    // 2. The question asked before the plateau, answered by the exact 0.51.
    let step = &deck.steps[1];
    let q = step.question.as_ref().expect("step 2 asks first");
    assert_eq!(q.answer, Answer::NlhfWinRate);
    let s = session(&deck, 1);
    let nlhf = s.snapshot().nlhf.exact_robust_win_rate;
    assert!((nlhf - 0.51).abs() < 1e-12, "{nlhf}");
    // 3. The arena at k = 4.
    let c = deck.steps[2].config().unwrap();
    assert_eq!((c.view.id(), c.k), ("arena", 4));
    // 4. The 5-player equilibrium spreads 0.514 / 0.486.
    let s = session(&deck, 3);
    let eq = &s.equilibrium().policy;
    assert!(
        (eq[0] - 0.514).abs() < 5e-4 && (eq[1] - 0.486).abs() < 5e-4,
        "{eq:?}"
    );
    // 6. APA 1998 has a Condorcet winner.
    let c = deck.steps[5].config().unwrap();
    assert_eq!(c.preset, "apa-1998");
    let prefs = c.preferences().unwrap();
    assert!(prefs.pairwise().condorcet_winner().is_some());
    // 7. The fixed set {A, B} at k = 2 wins 0.745.
    let c = deck.steps[6].config().unwrap();
    assert_eq!((c.k, c.set.as_slice()), (2, &[0usize, 1][..]));
    let Preferences::Population(pop) = c.preferences().unwrap() else {
        panic!("51/49 is a population")
    };
    let (value, _) = fixed_set::robust(&pop, &c.set);
    assert!((value - 0.745).abs() < 1e-12, "{value}");
    // 8 and 9: the opponents figure.
    for i in [7, 8] {
        assert_eq!(deck.steps[i].config().unwrap().view.id(), "opponents");
    }
    // Every caption's placeholders are filled.
    for step in &deck.steps {
        let filled = fill_caption(&step.caption, Some(0.51), Some(0.8), 4);
        assert!(!filled.contains('{') && !filled.contains('}'), "{filled}");
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
