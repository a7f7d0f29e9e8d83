//! The preferences a command is about: a case file, a preset, or a data file.

use crate::Failure;
use std::path::PathBuf;
use ualign::model::Preferences;

/// Exactly one of a case file, `--preset` or `--file`.
#[derive(clap::Args, Debug)]
pub struct SourceArgs {
    /// A case file (the format of core/tests/cases/*.json).
    #[arg(conflicts_with_all = ["preset", "file"])]
    pub case: Option<PathBuf>,
    /// A shipped preset (`ualign presets` lists them).
    #[arg(long)]
    pub preset: Option<String>,
    /// A PrefLib (.soc, .soi, .toc, .toi) or CSV file.
    #[arg(long, conflicts_with = "preset")]
    pub file: Option<PathBuf>,
}

impl SourceArgs {
    pub fn preferences(&self) -> Result<Preferences, Failure> {
        if let Some(id) = &self.preset {
            return Ok(ualign::presets::load(id)?);
        }
        if let Some(file) = &self.file {
            let text = std::fs::read_to_string(file)
                .map_err(|e| Failure::Input(format!("cannot read {}: {e}", file.display())))?;
            let name = file.to_string_lossy();
            return ualign::readers::read_any(&name, &text)
                .map_err(|e| Failure::Input(format!("{name}: {e}")));
        }
        if let Some(case) = &self.case {
            return Ok(ualign::case::read_case(case)?.1);
        }
        Err(Failure::Input(
            "name the preferences: a case file, --preset ID or --file DATA".into(),
        ))
    }
}
