//! Readers for PrefLib files and CSV matrices: untrusted text in, checked preferences out.
//!
//! Three inputs are understood:
//! - PrefLib files in the 2022 format (`.soc`, `.soi`, `.toc`, `.toi`): `#` header lines, then
//!   ballots `count: 1,3,{2,4}` (alternatives numbered from 1, braces a tied class). In the
//!   incomplete formats the alternatives a ballot leaves out form one last tied class.
//! - CSV matrices: an optional header row of labels, an optional label column, and an n x n block
//!   of probabilities where rows beat columns.
//! - CSV pairwise comparisons with columns `left`, `right`, `winner` (`left`, `right` or `tie`),
//!   turned into a win-fraction matrix on the largest set of items in which every pair was
//!   compared ([`Comparisons::complete_matrix`]).
//!
//! Every problem is reported as a [`ReadError`] naming the 1-based line where it was found.
//! No input makes these functions panic, overflow or run unbounded: sizes are capped before work.

use crate::model::{
    default_labels, limits, ModelError, PairwiseMatrix, Population, Preferences, Ranking, Voter,
};
use std::collections::HashMap;
use std::fmt;

/// Largest file the readers accept, in bytes.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// Most distinct items a comparisons CSV may name (keeps the count tables and the search small).
const MAX_COMPARISON_ITEMS: usize = 1000;

/// Largest count (and total count) accepted: integers up to 2^53 stay exact in an f64.
const MAX_COUNT: u64 = 1 << 53;

/// Work budget of the maximum-clique search, in rough units of machine-word operations: well
/// under a second natively. Real data needs far less (LLMFAO: about 0.1% of it).
const CLIQUE_WORK_BUDGET: u64 = 100_000_000;

/// Fixed cost charged to every step of the clique search.
const CLIQUE_CALL_COST: u64 = 64;

/// A problem with an input file, with the 1-based line where it was found when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub line: Option<usize>,
    pub message: String,
}

impl ReadError {
    fn at(line: usize, message: impl Into<String>) -> Self {
        ReadError {
            line: Some(line),
            message: message.into(),
        }
    }

    fn whole(message: impl Into<String>) -> Self {
        ReadError {
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<ModelError> for ReadError {
    fn from(e: ModelError) -> Self {
        ReadError::whole(e.0)
    }
}

fn check_size(text: &str) -> Result<(), ReadError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(ReadError::whole(format!(
            "the file is {:.1} MB; files over {} MB are refused",
            text.len() as f64 / (1024.0 * 1024.0),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    Ok(())
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Shortens user text quoted back in a message.
fn quote(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        format!("'{s}'")
    } else {
        let short: String = s.chars().take(MAX).collect();
        format!("'{short}...'")
    }
}

pub mod case;
mod comparisons;
mod csv;
mod preflib;

use comparisons::{comparison_columns, comparisons_from_records};
pub use comparisons::{read_comparisons_csv, Comparisons};
pub use csv::read_matrix_csv;
use csv::{csv_records, matrix_from_records};
pub use preflib::read_preflib;
use preflib::{read_preflib_as, PrefLibKind};

/// Reads a file by its extension: `.soc`, `.soi`, `.toc`, `.toi` give a population (the extension
/// sets the format when the file has no `# DATA TYPE:` header); `.csv` gives a matrix, read as
/// comparisons when the header has `left`, `right` and `winner` columns, else as a matrix CSV.
pub fn read_any(file_name: &str, text: &str) -> Result<Preferences, ReadError> {
    check_size(text)?;
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if let Some(kind) = PrefLibKind::from_name(&ext) {
        return read_preflib_as(text, Some(kind)).map(Preferences::Population);
    }
    if ext == "csv" {
        let mut records = csv_records(text)?;
        let is_comparisons = match records.peek() {
            Some(Ok(h)) => comparison_columns(h)?.is_some(),
            _ => false,
        };
        return if is_comparisons {
            comparisons_from_records(records)?
                .complete_matrix()
                .map(Preferences::Matrix)
        } else {
            matrix_from_records(records).map(Preferences::Matrix)
        };
    }
    Err(ReadError::whole(format!(
        "{} is not a file type this tool reads; use PrefLib .soc, .soi, .toc or .toi files, or .csv",
        quote(file_name)
    )))
}
