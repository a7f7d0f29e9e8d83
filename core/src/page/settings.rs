//! Edits of the configuration from the page's form: what each does to the configuration, and
//! whether it is a finished edit (an undo step) or one still moving (a slider being dragged).

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
        SettingEdit::Number(field, text) => match form.edit(field, &text, config) {
            FormEdit::Changed(candidate) => {
                *config = candidate;
                Outcome::Finished
            }
            FormEdit::Unchanged => Outcome::Unchanged,
            FormEdit::Refused => Outcome::Refused,
        },
    }
}
