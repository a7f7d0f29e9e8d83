//! The numeric settings typed as text: how each is read from and written into a configuration.

use crate::config::Config;
use crate::links::decimal::parse_f64;

/// Iteration cap offered by the form (the core's caps, docs/architecture.md#limits, apply as well).
pub const ITERATIONS_MAX: usize = 100_000;

/// The k slider's reach (players: one more); larger values are typed.
pub const K_SLIDER_MAX: usize = 32;

/// The numeric settings typed as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumField {
    /// k typed exactly (the slider reaches 32; the core allows up to 1024).
    K,
    /// Players typed exactly (when not k + 1).
    Players,
    StepSize,
    Iterations,
    KMax,
    Beta,
    Seed,
}

impl NumField {
    pub const ALL: [NumField; 7] = [
        NumField::K,
        NumField::Players,
        NumField::StepSize,
        NumField::Iterations,
        NumField::KMax,
        NumField::Beta,
        NumField::Seed,
    ];

    /// The field as the configuration holds it, as text (empty: the default step size, or k
    /// and players within the sliders' reach).
    pub fn read(self, c: &Config) -> String {
        match self {
            // Shown only beyond the slider's reach (the slider shows the rest).
            NumField::K if c.k <= K_SLIDER_MAX => String::new(),
            NumField::K => c.k.to_string(),
            NumField::Players if c.players() <= K_SLIDER_MAX + 1 => String::new(),
            NumField::Players => c.players().to_string(),
            NumField::StepSize => c.step_size.map(|v| v.to_string()).unwrap_or_default(),
            NumField::Iterations => c.iterations.to_string(),
            NumField::KMax => c.k_max.to_string(),
            NumField::Beta => c.beta.to_string(),
            NumField::Seed => c.seed.to_string(),
        }
    }

    /// Puts typed text into a configuration; the message says what a valid entry looks like.
    pub fn write(self, c: &mut Config, text: &str) -> Result<(), String> {
        let text = text.trim();
        let whole = |what: &str| format!("{what} must be a whole number.");
        match self {
            // Emptied: the slider's value stands.
            NumField::K | NumField::Players if text.is_empty() => {}
            NumField::K => {
                let k = text.parse().map_err(|_| whole("k"))?;
                // With m = k + 1 the players follow k, as with the slider; a fixed set has at
                // most k responses.
                c.k = k;
                c.set.truncate(k);
            }
            NumField::Players => c.players = Some(text.parse().map_err(|_| whole("Players"))?),
            NumField::StepSize if text.is_empty() => c.step_size = None,
            NumField::StepSize => {
                c.step_size = Some(parse_f64(text).ok_or_else(|| {
                    "Step size must be a number; leave it empty for the default.".to_string()
                })?)
            }
            NumField::Iterations => {
                let n: usize = text.parse().map_err(|_| whole("Iterations"))?;
                if n > ITERATIONS_MAX {
                    return Err(format!(
                        "The page runs at most {ITERATIONS_MAX} iterations."
                    ));
                }
                c.iterations = n;
            }
            NumField::KMax => c.k_max = text.parse().map_err(|_| whole("The sweep's largest k"))?,
            NumField::Beta => {
                c.beta = parse_f64(text).ok_or_else(|| "Beta must be a number.".to_string())?
            }
            NumField::Seed => c.seed = text.parse().map_err(|_| whole("The seed"))?,
        }
        Ok(())
    }
}

/// What is typed in each numeric field (kept as typed while it is refused), and why the last
/// entry was refused.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FormTexts {
    texts: Vec<(NumField, String)>,
    pub error: Option<String>,
}

/// The outcome of typing into a field.
#[derive(Debug, Clone, PartialEq)]
pub enum FormEdit {
    /// A valid entry that changes the configuration to this.
    Changed(Box<Config>),
    /// A valid entry that leaves the configuration as it is.
    Unchanged,
    /// Refused: `FormTexts::error` says why; the configuration is untouched.
    Refused,
}

impl FormTexts {
    /// Every field as the configuration holds it.
    pub fn new(config: &Config) -> Self {
        FormTexts {
            texts: NumField::ALL.iter().map(|f| (*f, f.read(config))).collect(),
            error: None,
        }
    }

    pub fn text(&self, field: NumField) -> &str {
        self.texts
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, t)| t.as_str())
    }

    fn put(&mut self, field: NumField, text: String) {
        match self.texts.iter_mut().find(|(f, _)| *f == field) {
            Some((_, t)) => *t = text,
            None => self.texts.push((field, text)),
        }
    }

    /// These fields follow the configuration (a slider moved what they show).
    pub fn sync(&mut self, config: &Config, fields: &[NumField]) {
        for &field in fields {
            self.put(field, field.read(config));
        }
    }

    /// Every field follows the configuration, and a refusal is forgotten (a link was opened,
    /// an edit undone).
    pub fn sync_all(&mut self, config: &Config) {
        self.sync(config, &NumField::ALL);
        self.error = None;
    }

    /// `text` typed into `field`: checked against the same limits the core uses, before any
    /// work. The text stays in the field either way.
    pub fn edit(&mut self, field: NumField, text: &str, config: &Config) -> FormEdit {
        self.put(field, text.to_string());
        let mut candidate = config.clone();
        let checked = field
            .write(&mut candidate, text)
            .and_then(|()| candidate.validate().map_err(|e| e.to_string()));
        match checked {
            Ok(()) => {
                self.error = None;
                if candidate == *config {
                    FormEdit::Unchanged
                } else {
                    FormEdit::Changed(Box::new(candidate))
                }
            }
            Err(e) => {
                self.error = Some(e);
                FormEdit::Refused
            }
        }
    }
}
