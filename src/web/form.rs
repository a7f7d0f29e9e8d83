//! The numeric settings typed as text: how each is read from and written into a configuration.

use crate::config::Config;

/// Iteration cap offered by the form (DESIGN.md section 7 caps apply in the core as well).
pub const ITERATIONS_MAX: usize = 100_000;

/// The k slider's reach (players: one more); larger values are typed.
pub const K_SLIDER_MAX: usize = 32;

/// The numeric settings typed as text.
#[derive(Clone, Copy, PartialEq, Eq)]
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
                // With m = k + 1 the players follow k, as with the slider.
                c.k = k;
            }
            NumField::Players => c.players = Some(text.parse().map_err(|_| whole("Players"))?),
            NumField::StepSize if text.is_empty() => c.step_size = None,
            NumField::StepSize => {
                c.step_size = Some(text.parse().map_err(|_| {
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
                c.beta = text
                    .parse()
                    .map_err(|_| "Beta must be a number.".to_string())?
            }
            NumField::Seed => c.seed = text.parse().map_err(|_| whole("The seed"))?,
        }
        Ok(())
    }
}
