//! A deck on the page (the built-in tour or a lecturer's): which step is shown, the viewer's
//! guess before the answer, and where a key or a host's request moves it. No browser needed.

use crate::deck::{Answer, Deck, Question, Step};

/// Where to go in a deck.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TourMove {
    Next,
    Prev,
    /// A step number, from 1 (as `#tour=N` and the counter show it).
    Goto(usize),
    /// Leave the deck, keeping the configuration shown.
    Leave,
}

/// A guess, committed before the answer is shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Guess {
    /// A win rate in [0, 1].
    Number(f64),
    /// A response, by its label.
    Label(String),
}

/// The deck being shown and the place in it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeckView {
    pub deck: Deck,
    /// The step shown, from 0.
    pub index: usize,
    /// The viewer's guess for this step's question (kept after the reveal).
    pub guess: Option<Guess>,
    /// The answer is shown (always, for a step without a question).
    pub revealed: bool,
}

impl DeckView {
    /// The deck at step `number` (from 1; out-of-range numbers are clamped to the deck).
    pub fn new(deck: Deck, number: usize) -> Self {
        let mut view = DeckView {
            deck,
            index: 0,
            guess: None,
            revealed: false,
        };
        view.index = view.clamp(number);
        view.arrive();
        view
    }

    fn clamp(&self, number: usize) -> usize {
        number.clamp(1, self.deck.steps.len().max(1)) - 1
    }

    /// A new step: its question, if any, is asked afresh.
    fn arrive(&mut self) {
        self.guess = None;
        self.revealed = self.step().question.is_none();
    }

    pub fn step(&self) -> &Step {
        &self.deck.steps[self.index]
    }

    /// The step after this one, for the presenter.
    pub fn next_step(&self) -> Option<&Step> {
        self.deck.steps.get(self.index + 1)
    }

    /// The step number shown, from 1.
    pub fn number(&self) -> usize {
        self.index + 1
    }

    /// "N / M".
    pub fn counter(&self) -> String {
        format!("{} / {}", self.number(), self.deck.steps.len())
    }

    /// Moves; the new step number if the step changed (None also for `Leave`, which the
    /// page handles by dropping the view).
    pub fn go(&mut self, to: TourMove) -> Option<usize> {
        let target = match to {
            TourMove::Next => self.index + 1,
            TourMove::Prev => self.index.checked_sub(1)?,
            TourMove::Goto(n) => self.clamp(n),
            TourMove::Leave => return None,
        };
        if target == self.index || target >= self.deck.steps.len() {
            return None;
        }
        self.index = target;
        self.arrive();
        Some(self.number())
    }

    /// The question still waiting for a guess and its reveal.
    pub fn asking(&self) -> Option<&Question> {
        self.step().question.as_ref().filter(|_| !self.revealed)
    }

    /// Reads a guess typed or chosen for the question: a number in [0, 1] for a win rate
    /// (a comma is read as a decimal point), one of the labels for a response.
    pub fn read_guess(&self, text: &str, labels: &[String]) -> Result<Guess, String> {
        let text = text.trim();
        match self.step().question.as_ref().map(|q| q.answer) {
            Some(Answer::NlhfWinRate) => {
                match crate::links::decimal::parse_f64(&text.replace(',', ".")) {
                    Some(x) if (0.0..=1.0).contains(&x) => Ok(Guess::Number(x)),
                    _ => Err(format!("A win rate is a number from 0 to 1, not {text:?}.")),
                }
            }
            Some(Answer::NlhfTop) => labels
                .iter()
                .find(|l| l.as_str() == text)
                .map(|l| Guess::Label(l.clone()))
                .ok_or_else(|| format!("{text:?} is not one of the responses.")),
            None => Err("This step asks nothing.".into()),
        }
    }

    /// Commits the guess and shows the answer.
    pub fn reveal(&mut self, guess: Guess) {
        self.guess = Some(guess);
        self.revealed = true;
    }

    /// The guess beside the live answer, in words (None before the reveal, or without a
    /// question; the answer may still be computing).
    pub fn verdict(&self, nlhf_exact: Option<f64>, nlhf_top: Option<&str>) -> Option<String> {
        Some(match self.guess.as_ref()? {
            Guess::Number(g) => match nlhf_exact {
                Some(a) => crate::deck::judge_number(*g, a),
                None => format!("Your guess {g:.2}; the exact value is being computed."),
            },
            Guess::Label(g) => match nlhf_top {
                Some(a) if a == g => format!("Your guess {g}: right, NLHF puts most on {a}."),
                Some(a) => format!("Your guess {g}; NLHF puts most on {a}."),
                None => format!("Your guess {g}; the exact answer is being computed."),
            },
        })
    }
}
