//! Saved configurations: reading a `.json` case, results export or bare configuration.

use super::Config;
use crate::model::ModelError;
use serde::Deserialize;

/// The app's results export as far as opening it again goes: its configuration (the data
/// beside it is not read back).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SavedResults {
    pub config: Config,
}

/// Every field of a configuration, as saved (a test checks it against serde's).
pub const CONFIG_FIELDS: [&str; 20] = [
    "preset",
    "k",
    "players",
    "algorithm",
    "step_size",
    "iterations",
    "k_max",
    "seed",
    "beta",
    "custom",
    "view",
    "embed",
    "font_scale",
    "phase",
    "challenger",
    "set",
    "draws",
    "at_end",
    "tour",
    "origins",
];

/// What a saved `.json` file holds, told by its top-level keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SavedKind {
    /// A case document (`population`, `matrix` or `preflib`).
    Case,
    /// The results export (its `config` holds the configuration).
    Results,
    /// A bare configuration.
    Bare,
}

impl SavedKind {
    pub fn of(has: impl Fn(&str) -> bool) -> SavedKind {
        if has("population") || has("matrix") || has("preflib") {
            SavedKind::Case
        } else if has("config") {
            SavedKind::Results
        } else {
            SavedKind::Bare
        }
    }
}

/// A saved configuration's field that no configuration has, named as the user wrote it.
pub fn unknown_field(key: &str) -> ModelError {
    ModelError(format!(
        "not a ualign configuration: unknown field {:?}",
        crate::url::clip_to(key, 40)
    ))
}

impl Config {
    /// Saved configurations as JSON text (the native side of [`Config::read_saved`]): the
    /// kind from the document's keys, unknown fields named, then the reader.
    pub fn from_json(text: &str) -> Result<Config, ModelError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ModelError(format!("not JSON: {e}")))?;
        let kind = SavedKind::of(|key| value.get(key).is_some());
        let fields = match kind {
            SavedKind::Results => &value["config"],
            _ => &value,
        };
        if let (SavedKind::Results | SavedKind::Bare, Some(fields)) = (kind, fields.as_object()) {
            if let Some(key) = fields.keys().find(|k| !Config::is_field(k)) {
                return Err(unknown_field(key));
            }
        }
        // Read from the text itself, so a field given twice is refused.
        let mut d = serde_json::Deserializer::from_str(text);
        let config = Config::read_saved(kind, &mut d)?;
        d.end().map_err(|e| ModelError(format!("not JSON: {e}")))?;
        Ok(config)
    }

    /// The one reader of saved configurations, whatever parsed them (serde_json natively; in
    /// the worker the browser's `JSON.parse` through serde_wasm_bindgen, which keeps
    /// serde_json's parser out of its wasm): a case document (`ualign eval`'s input, and what
    /// `ualign gap-search` prints, opened at its first k), the results file as the app exports
    /// it (whose `config` field holds the configuration) or a bare configuration; then
    /// [`Config::checked`]. The caller names unknown fields first (`Config::is_field`,
    /// `unknown_field`): serde_wasm_bindgen does not show them to `Deserialize`.
    pub fn read_saved<'de, D: serde::Deserializer<'de>>(
        kind: SavedKind,
        d: D,
    ) -> Result<Config, ModelError> {
        let not =
            |what: &str, e: &dyn std::fmt::Display| ModelError(format!("not a ualign {what}: {e}"));
        match kind {
            SavedKind::Case => crate::case::CaseDocument::deserialize(d)
                .map_err(|e| not("case", &e))?
                .config(),
            SavedKind::Results => SavedResults::deserialize(d)
                .map_err(|e| not("configuration", &e))?
                .config
                .checked(),
            SavedKind::Bare => Config::deserialize(d)
                .map_err(|e| not("configuration", &e))?
                .checked(),
        }
    }

    /// Whether a configuration has a field of this name.
    pub fn is_field(name: &str) -> bool {
        CONFIG_FIELDS.contains(&name)
    }

    /// A configuration read from a file, checked like a link: the limits, then the custom
    /// preferences (a preset by its name only: loading it here would pull every shipped data
    /// set into the page's wasm; the worker builds it). Embed mode is left off (a file is
    /// opened in the full view).
    pub fn checked(mut self) -> Result<Config, ModelError> {
        self.embed = false;
        self.tour = 0;
        self.origins.clear();
        self.validate()?;
        // The preset is named even beside custom preferences (their starting point), and a
        // link must be able to carry it.
        if !crate::presets::presets()
            .iter()
            .any(|p| p.id == self.preset)
        {
            return Err(ModelError(format!(
                "unknown preset {:?}",
                crate::url::clip_to(&self.preset, 40)
            )));
        }
        if let Some(custom) = &self.custom {
            custom.build()?;
        }
        Ok(self)
    }
}
