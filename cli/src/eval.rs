//! `ualign eval CASE.json`: every measure of a case as one JSON object.

use crate::output::Output;
use crate::Failure;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The case file (labels, one of population / preflib / matrix, k and l lists).
    pub case: PathBuf,
    /// Write to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run(a: Args) -> Result<(), Failure> {
    let (case, prefs) = ualign::case::read_case(&a.case)?;
    let result = ualign::case::evaluate(&prefs, &case.k, &case.l)?;
    let json = serde_json::to_string(&result).map_err(|e| Failure::Internal(e.to_string()))?;
    Output::new(a.output).write(&(json + "\n"))
}
