//! Edits of the configuration from the page's form: what each does to the configuration, and
//! whether it is a finished edit (an undo step) or one still moving (a slider being dragged).

use crate::arena::view as arena;
use crate::config::{Algorithm, Config, View};
use crate::page::form::{FormEdit, FormTexts, NumField, K_SLIDER_MAX};

/// One edit in the settings form.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingEdit {
    /// A preset chosen: it replaces edited or imported preferences.
    Preset(String),
    /// The k slider moved.
    K(usize),
    /// m = k + 1, or a number of players of one's own.
    PlayersAuto(bool),
    /// The players slider moved.
    Players(usize),
    /// The figures shown (display only: the run goes on).
    View(View),
    /// The charts' text size (display only).
    FontScale(f64),
    Algorithm(Algorithm),
    /// Text typed into a numeric field.
    Number(NumField, String),
    /// The phase map's columns (display: the map is asked for on its own).
    Phase(crate::open_question::phase_map::Family),
    /// A choice in the arena (the arena is asked for on its own).
    Arena(ArenaEdit),
}

/// The arena's choices, kept in the configuration (and so in the link).
#[derive(Debug, Clone, PartialEq)]
pub enum ArenaEdit {
    /// A response clicked in the challenger picker.
    Challenger(usize),
    /// Each policy faces its own worst single response (and at the seats, every seat
    /// samples the policy).
    OwnWorst,
    /// This one response is the challenger (the seats' last seat plays it).
    Only(usize),
    /// A response clicked in the fixed-set picker.
    SetMember(usize),
    /// This fixed set (the best one found).
    Set(Vec<usize>),
    /// A new seed for the rounds.
    Draws(u64),
}

/// What an edit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing changed.
    Unchanged,
    /// Refused: the form says why; nothing changed.
    Refused,
    /// Changed, and still moving (a slider): loaded now, an undo step once released.
    Live,
    /// Changed, and finished: loaded, an undo step and a history entry.
    Finished,
}

/// Applies an edit to the configuration and the form's texts.
pub fn apply(config: &mut Config, form: &mut FormTexts, edit: SettingEdit) -> Outcome {
    match edit {
        SettingEdit::Preset(id) => {
            config.preset = id;
            config.custom = None;
            Outcome::Finished
        }
        SettingEdit::K(k) => {
            let k = k.clamp(1, K_SLIDER_MAX);
            if k == config.k {
                return Outcome::Unchanged;
            }
            config.k = k;
            // A fixed set has at most k responses.
            config.set.truncate(k);
            form.sync(config, &[NumField::K, NumField::Players]);
            Outcome::Live
        }
        SettingEdit::PlayersAuto(auto) => {
            config.players = if auto { None } else { Some(config.k + 1) };
            form.sync(config, &[NumField::Players]);
            Outcome::Finished
        }
        SettingEdit::Players(m) => {
            config.players = Some(m.clamp(2, K_SLIDER_MAX + 1));
            form.sync(config, &[NumField::Players]);
            Outcome::Live
        }
        SettingEdit::View(view) => {
            config.view = view;
            Outcome::Finished
        }
        SettingEdit::FontScale(scale) => {
            let mut candidate = config.clone();
            candidate.font_scale = scale;
            if let Err(e) = candidate.validate() {
                form.error = Some(e.to_string());
                return Outcome::Refused;
            }
            *config = candidate;
            Outcome::Finished
        }
        SettingEdit::Algorithm(a) => {
            config.algorithm = a;
            Outcome::Finished
        }
        SettingEdit::Phase(family) => {
            if config.phase == family {
                return Outcome::Unchanged;
            }
            config.phase = family;
            Outcome::Finished
        }
        SettingEdit::Arena(edit) => {
            let before = (config.challenger.clone(), config.set.clone(), config.draws);
            match edit {
                ArenaEdit::Challenger(y) => arena::toggle_challenger(&mut config.challenger, y),
                ArenaEdit::OwnWorst => config.challenger.clear(),
                ArenaEdit::Only(y) => config.challenger = vec![y],
                ArenaEdit::SetMember(y) => arena::toggle_set(&mut config.set, y, config.k),
                ArenaEdit::Set(set) => config.set = set,
                ArenaEdit::Draws(seed) => config.draws = seed & crate::config::MAX_SEED,
            }
            if (&config.challenger, &config.set, config.draws) == (&before.0, &before.1, before.2) {
                return Outcome::Unchanged;
            }
            Outcome::Finished
        }
        SettingEdit::Number(field, text) => match form.edit(field, &text, config) {
            FormEdit::Changed(candidate) => {
                *config = *candidate;
                Outcome::Finished
            }
            FormEdit::Unchanged => Outcome::Unchanged,
            FormEdit::Refused => Outcome::Refused,
        },
    }
}
