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

// ---------------------------------------------------------------------------------------------
// PrefLib
// ---------------------------------------------------------------------------------------------

/// The four PrefLib ranking formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PrefLibKind {
    Soc,
    Soi,
    Toc,
    Toi,
}

impl PrefLibKind {
    fn from_name(name: &str) -> Option<Self> {
        match name
            .trim()
            .trim_start_matches('.')
            .to_ascii_lowercase()
            .as_str()
        {
            "soc" => Some(PrefLibKind::Soc),
            "soi" => Some(PrefLibKind::Soi),
            "toc" => Some(PrefLibKind::Toc),
            "toi" => Some(PrefLibKind::Toi),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            PrefLibKind::Soc => "soc",
            PrefLibKind::Soi => "soi",
            PrefLibKind::Toc => "toc",
            PrefLibKind::Toi => "toi",
        }
    }

    fn allows_ties(self) -> bool {
        matches!(self, PrefLibKind::Toc | PrefLibKind::Toi)
    }

    fn complete(self) -> bool {
        matches!(self, PrefLibKind::Soc | PrefLibKind::Toc)
    }
}

/// Reads a PrefLib `.soc`, `.soi`, `.toc` or `.toi` file (2022 format) into a population, one
/// voter type per ballot line with its count as weight (file order, not merged).
///
/// When the `# DATA TYPE:` header is absent, ties and incomplete ballots are both accepted.
pub fn read_preflib(text: &str) -> Result<Population, ReadError> {
    read_preflib_as(text, None)
}

/// One ballot line, parsed.
struct Ballot {
    count: u64,
    classes: Vec<Vec<usize>>,
    tied: bool,
    seen: Vec<bool>,
    ranked: usize,
}

/// Reads PrefLib text; `fallback` is the format to enforce when the file does not declare one.
fn read_preflib_as(text: &str, fallback: Option<PrefLibKind>) -> Result<Population, ReadError> {
    check_size(text)?;
    let text = strip_bom(text);
    let mut n: Option<usize> = None;
    let mut declared: Option<PrefLibKind> = None;
    // (alternative number as written, label, line)
    let mut names: Vec<(usize, String, usize)> = Vec::new();
    let mut voters: Vec<Voter> = Vec::new();
    let mut total: u64 = 0;
    let mut any_content = false;

    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        any_content = true;
        if let Some(body) = line.strip_prefix('#') {
            let Some((key, value)) = body.split_once(':') else {
                continue; // a plain comment
            };
            let key = key.trim().to_ascii_uppercase();
            let value = value.trim();
            if key == "NUMBER ALTERNATIVES" {
                if !voters.is_empty() {
                    return Err(ReadError::at(
                        line_no,
                        "the '# NUMBER ALTERNATIVES' header must come before the ballots",
                    ));
                }
                let m = parse_alternative_count(value).map_err(|m| ReadError::at(line_no, m))?;
                if let Some(old) = n {
                    if old != m {
                        return Err(ReadError::at(
                            line_no,
                            format!("the number of alternatives is given twice ({old} and {m})"),
                        ));
                    }
                }
                n = Some(m);
                for (i, _, name_line) in &names {
                    check_name_index(*i, m, *name_line)?;
                }
            } else if key == "DATA TYPE" {
                if !voters.is_empty() {
                    return Err(ReadError::at(
                        line_no,
                        "the '# DATA TYPE' header must come before the ballots",
                    ));
                }
                match PrefLibKind::from_name(value) {
                    Some(kind) => declared = Some(kind),
                    None => {
                        return Err(ReadError::at(
                            line_no,
                            format!(
                                "data type {} is not a ranking format this tool reads (soc, soi, toc or toi)",
                                quote(value)
                            ),
                        ))
                    }
                }
            } else if let Some(rest) = key.strip_prefix("ALTERNATIVE NAME") {
                let rest = rest.trim();
                let i = parse_plain_usize(rest).ok_or_else(|| {
                    ReadError::at(
                        line_no,
                        format!(
                            "bad alternative number {} in '# ALTERNATIVE NAME i: label'",
                            quote(rest)
                        ),
                    )
                })?;
                if let Some(m) = n {
                    check_name_index(i, m, line_no)?;
                }
                if names.iter().any(|(j, _, _)| *j == i) {
                    return Err(ReadError::at(
                        line_no,
                        format!("alternative {i} is named twice"),
                    ));
                }
                if names.len() >= limits::MAX_RESPONSES {
                    return Err(ReadError::at(
                        line_no,
                        format!(
                            "more than {} alternative names; the limit is {} responses",
                            limits::MAX_RESPONSES,
                            limits::MAX_RESPONSES
                        ),
                    ));
                }
                names.push((i, value.to_string(), line_no));
            }
            continue;
        }

        // A ballot line.
        let Some(n) = n else {
            return Err(ReadError::at(
                line_no,
                "missing header: the '# NUMBER ALTERNATIVES: n' line must come before the ballots",
            ));
        };
        if voters.len() >= limits::MAX_VOTER_TYPES {
            return Err(ReadError::at(
                line_no,
                format!(
                    "more than {} ballot lines; the limit is {} voter types",
                    limits::MAX_VOTER_TYPES,
                    limits::MAX_VOTER_TYPES
                ),
            ));
        }
        if (voters.len() + 1).saturating_mul(n) > limits::MAX_RANKING_CELLS {
            return Err(ReadError::at(
                line_no,
                format!(
                    "too many ballot lines for {n} alternatives: the limit is {} ranking entries (ballot lines x alternatives)",
                    limits::MAX_RANKING_CELLS
                ),
            ));
        }
        let ballot = parse_ballot(line, n).map_err(|m| ReadError::at(line_no, m))?;
        let kind = declared.or(fallback);
        if let Some(kind) = kind {
            if ballot.tied && !kind.allows_ties() {
                return Err(ReadError::at(
                    line_no,
                    format!(
                        "tied alternatives in braces are not allowed in a .{} file (use .toc or .toi)",
                        kind.name()
                    ),
                ));
            }
            if kind.complete() && ballot.ranked < n {
                let missing: Vec<String> = (0..n)
                    .filter(|&y| !ballot.seen.get(y).copied().unwrap_or(false))
                    .take(10)
                    .map(|y| (y + 1).to_string())
                    .collect();
                let more = if n - ballot.ranked > 10 { ", ..." } else { "" };
                return Err(ReadError::at(
                    line_no,
                    format!(
                        "the ballot ranks {} of {n} alternatives, but a .{} file must rank all of them (missing {}{more})",
                        ballot.ranked,
                        kind.name(),
                        missing.join(", ")
                    ),
                ));
            }
        }
        total = total
            .checked_add(ballot.count)
            .filter(|&t| t <= MAX_COUNT)
            .ok_or_else(|| {
                ReadError::at(
                    line_no,
                    format!("the ballot counts add up to more than {MAX_COUNT}"),
                )
            })?;
        let mut classes = ballot.classes;
        if ballot.ranked < n {
            // Unranked alternatives form one last tied class (DESIGN.md section 1).
            classes.push(
                (0..n)
                    .filter(|&y| !ballot.seen.get(y).copied().unwrap_or(false))
                    .collect(),
            );
        }
        let ranking = Ranking::weak(classes, n).map_err(|e| ReadError::at(line_no, e.0))?;
        voters.push(Voter {
            weight: ballot.count as f64,
            ranking,
        });
    }

    if !any_content {
        return Err(ReadError::whole("the file is empty"));
    }
    let Some(n) = n else {
        return Err(ReadError::whole(
            "missing header: no '# NUMBER ALTERNATIVES: n' line (is this a PrefLib file?)",
        ));
    };
    if voters.is_empty() {
        return Err(ReadError::whole(
            "the file has no ballots (lines like '12: 1,3,2')",
        ));
    }
    if total == 0 {
        return Err(ReadError::whole(
            "the ballot counts add up to zero; some ballot needs a positive count",
        ));
    }
    let mut labels = default_labels(n);
    for (i, name, _) in names {
        if let Some(slot) = i.checked_sub(1).and_then(|k| labels.get_mut(k)) {
            if !name.is_empty() {
                *slot = name;
            }
        }
    }
    Ok(Population::new(labels, voters)?)
}

fn parse_plain_usize(s: &str) -> Option<usize> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_alternative_count(value: &str) -> Result<usize, String> {
    let Some(m) = parse_plain_usize(value) else {
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "{} alternatives is over the limit of {} responses",
                quote(value),
                limits::MAX_RESPONSES
            ));
        }
        return Err(format!(
            "bad number of alternatives {}; expected a whole number",
            quote(value)
        ));
    };
    if m == 0 {
        return Err("the number of alternatives must be at least 1".into());
    }
    if m > limits::MAX_RESPONSES {
        return Err(format!(
            "{m} alternatives is over the limit of {} responses",
            limits::MAX_RESPONSES
        ));
    }
    Ok(m)
}

fn check_name_index(i: usize, n: usize, line: usize) -> Result<(), ReadError> {
    if i == 0 || i > n {
        return Err(ReadError::at(
            line,
            format!("alternative name {i} is out of range (alternatives are numbered 1 to {n})"),
        ));
    }
    Ok(())
}

#[derive(Debug, PartialEq)]
enum Token<'a> {
    Num(&'a str),
    Open,
    Close,
    Comma,
}

fn tokenize(s: &str) -> Result<Vec<Token<'_>>, String> {
    let mut tokens = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'{' => tokens.push(Token::Open),
            b'}' => tokens.push(Token::Close),
            b',' => tokens.push(Token::Comma),
            b' ' | b'\t' => {}
            b'0'..=b'9' => {
                let start = i;
                while i + 1 < bytes.len() && bytes[i + 1].is_ascii_digit() {
                    i += 1;
                }
                // `s` is split at ASCII digit boundaries, so these are valid char boundaries.
                tokens.push(Token::Num(s.get(start..=i).unwrap_or("")));
            }
            _ => {
                let c = s.get(i..).and_then(|r| r.chars().next()).unwrap_or('?');
                return Err(format!(
                    "unexpected character '{c}' in the ranking (expected alternative numbers, commas and braces)"
                ));
            }
        }
        i += 1;
    }
    Ok(tokens)
}

/// Parses `count: ranking` for `n` alternatives.
fn parse_ballot(line: &str, n: usize) -> Result<Ballot, String> {
    let Some((count_text, ranking_text)) = line.split_once(':') else {
        return Err(format!(
            "expected a ballot like '12: 1,3,{{2,4}}' (a count, a colon, then the ranking), found {}",
            quote(line)
        ));
    };
    let count_text = count_text.trim();
    if count_text.is_empty() {
        return Err("missing count before ':'".into());
    }
    if !count_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "bad count {}; counts are whole numbers 0, 1, 2, ...",
            quote(count_text)
        ));
    }
    let count = match count_text.parse::<u64>() {
        Ok(c) if c <= MAX_COUNT => c,
        _ => {
            return Err(format!(
                "count {} is too large (the limit is {MAX_COUNT})",
                quote(count_text)
            ))
        }
    };

    let tokens = tokenize(ranking_text)?;
    let mut ballot = Ballot {
        count,
        classes: Vec::new(),
        tied: false,
        seen: vec![false; n],
        ranked: 0,
    };
    let mut pos = 0;
    if tokens.is_empty() {
        return Ok(ballot);
    }
    loop {
        // One item: a number or a braced class.
        match tokens.get(pos) {
            Some(Token::Num(s)) => {
                let y = take_alternative(s, n, &mut ballot)?;
                ballot.classes.push(vec![y]);
                pos += 1;
            }
            Some(Token::Open) => {
                pos += 1;
                let mut class = Vec::new();
                loop {
                    match tokens.get(pos) {
                        Some(Token::Num(s)) => {
                            class.push(take_alternative(s, n, &mut ballot)?);
                            pos += 1;
                        }
                        Some(Token::Close) if class.is_empty() => {
                            return Err("empty tied class '{}'".into())
                        }
                        Some(Token::Open) => return Err("braces cannot be nested".into()),
                        Some(Token::Comma) => {
                            return Err("empty entry inside braces (two commas in a row?)".into())
                        }
                        Some(Token::Close) => return Err("unexpected '}'".into()),
                        None => return Err("unbalanced braces: '{' is never closed".into()),
                    }
                    match tokens.get(pos) {
                        Some(Token::Comma) => pos += 1,
                        Some(Token::Close) => {
                            pos += 1;
                            break;
                        }
                        Some(Token::Num(_)) => {
                            return Err("missing comma between alternatives".into())
                        }
                        Some(Token::Open) => return Err("braces cannot be nested".into()),
                        None => return Err("unbalanced braces: '{' is never closed".into()),
                    }
                }
                if class.len() > 1 {
                    ballot.tied = true;
                }
                ballot.classes.push(class);
            }
            Some(Token::Close) => {
                return Err("unbalanced braces: '}' without a matching '{'".into())
            }
            Some(Token::Comma) => {
                return Err(
                    "empty entry in the ranking (two commas in a row, or a leading comma)".into(),
                )
            }
            None => return Err("the ranking ends with a comma".into()),
        }
        // After an item: a comma or the end.
        match tokens.get(pos) {
            None => break,
            Some(Token::Comma) => pos += 1,
            Some(Token::Close) => {
                return Err("unbalanced braces: '}' without a matching '{'".into())
            }
            Some(Token::Num(_)) | Some(Token::Open) => {
                return Err("missing comma between alternatives".into())
            }
        }
    }
    Ok(ballot)
}

/// Checks an alternative number (1-based) and marks it seen; returns its 0-based index.
fn take_alternative(s: &str, n: usize, ballot: &mut Ballot) -> Result<usize, String> {
    let y = match s.parse::<usize>() {
        Ok(v) if (1..=n).contains(&v) => v - 1,
        _ => {
            return Err(format!(
                "alternative {s} is out of range (alternatives are numbered 1 to {n})"
            ))
        }
    };
    match ballot.seen.get_mut(y) {
        Some(seen) if !*seen => {
            *seen = true;
            ballot.ranked += 1;
            Ok(y)
        }
        _ => Err(format!("alternative {s} appears twice in the ballot")),
    }
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

/// One CSV record: its first line (1-based) and its cells, trimmed.
#[derive(Debug)]
struct Record {
    line: usize,
    cells: Vec<String>,
}

/// Most cells in one CSV row.
const MAX_CSV_CELLS: usize = 10_000;

/// Streams the records of CSV text (RFC 4180 quoting: `"a, b"`, and `""` for a quote inside).
/// Records whose cells are all empty are skipped; cells are trimmed. After an error it stops.
struct Csv<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
    done: bool,
}

type Records<'a> = std::iter::Peekable<Csv<'a>>;

fn csv_records(text: &str) -> Result<Records<'_>, ReadError> {
    check_size(text)?;
    Ok(Csv {
        chars: strip_bom(text).chars().peekable(),
        line: 1,
        done: false,
    }
    .peekable())
}

impl Csv<'_> {
    fn push_cell(
        cells: &mut Vec<String>,
        field: &mut String,
        line: usize,
    ) -> Result<(), ReadError> {
        if cells.len() >= MAX_CSV_CELLS {
            return Err(ReadError::at(
                line,
                format!("the row has more than {MAX_CSV_CELLS} cells"),
            ));
        }
        cells.push(std::mem::take(field).trim().to_string());
        Ok(())
    }

    /// One physical record (possibly spanning lines inside quotes); None at the end of input.
    fn read_record(&mut self) -> Result<Option<Record>, ReadError> {
        if self.chars.peek().is_none() {
            return Ok(None);
        }
        let record_line = self.line;
        let mut cells: Vec<String> = Vec::new();
        let mut field = String::new();
        let mut in_quotes = false;
        let mut after_quote = false; // a quoted cell just closed
        while let Some(c) = self.chars.next() {
            if in_quotes {
                match c {
                    '"' if self.chars.peek() == Some(&'"') => {
                        self.chars.next();
                        field.push('"');
                    }
                    '"' => {
                        in_quotes = false;
                        after_quote = true;
                    }
                    '\n' => {
                        self.line += 1;
                        field.push('\n');
                    }
                    _ => field.push(c),
                }
                continue;
            }
            match c {
                ',' => {
                    Self::push_cell(&mut cells, &mut field, record_line)?;
                    after_quote = false;
                }
                '\n' => {
                    self.line += 1;
                    break;
                }
                '\r' => {}
                '"' if field.trim().is_empty() && !after_quote => {
                    field.clear();
                    in_quotes = true;
                }
                _ if after_quote => {
                    if !c.is_whitespace() {
                        return Err(ReadError::at(
                            self.line,
                            "text after a closing quote; quote the whole cell and write \"\" for a quote inside it",
                        ));
                    }
                }
                _ => field.push(c),
            }
        }
        if in_quotes {
            return Err(ReadError::at(
                record_line,
                "a quoted cell is never closed (missing '\"')",
            ));
        }
        Self::push_cell(&mut cells, &mut field, record_line)?;
        Ok(Some(Record {
            line: record_line,
            cells,
        }))
    }
}

impl Iterator for Csv<'_> {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.read_record() {
                Ok(Some(rec)) if rec.cells.iter().any(|c| !c.is_empty()) => return Some(Ok(rec)),
                Ok(Some(_)) => {}
                Ok(None) => self.done = true,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        None
    }
}

fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    // Rust also parses "inf" and "NaN"; only plain decimal numbers are accepted here.
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    s.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Reads a CSV pairwise matrix: P[i][j] = probability that row i beats column j.
///
/// An optional first row of labels (with or without a corner cell) and an optional first column
/// of labels are recognized; when both are given they must list the same labels in the same order.
/// The matrix is validated by [`PairwiseMatrix::new`].
pub fn read_matrix_csv(text: &str) -> Result<PairwiseMatrix, ReadError> {
    matrix_from_records(csv_records(text)?)
}

fn matrix_from_records(stream: Records<'_>) -> Result<PairwiseMatrix, ReadError> {
    // A header and MAX_RESPONSES rows at most: stop reading beyond that.
    let mut records = Vec::new();
    for rec in stream {
        let rec = rec?;
        if records.len() > limits::MAX_RESPONSES {
            return Err(ReadError::at(
                rec.line,
                format!(
                    "more than {} matrix rows; the limit is {} responses",
                    limits::MAX_RESPONSES,
                    limits::MAX_RESPONSES
                ),
            ));
        }
        records.push(rec);
    }
    let records = records.as_slice();
    let Some(first) = records.first() else {
        return Err(ReadError::whole("the file is empty"));
    };
    // The first row is a header unless it reads as a matrix row: numbers, perhaps after a label,
    // with a width that fits a square matrix of all the rows (n numbers, or a label and n).
    let r = records.len();
    let w = first.cells.len();
    let rest_numeric = first
        .cells
        .iter()
        .skip(1)
        .all(|c| parse_number(c).is_some());
    let first_numeric = first
        .cells
        .first()
        .is_some_and(|c| parse_number(c).is_some());
    let has_header = if !rest_numeric {
        true
    } else if w == r + 1 {
        false // a label (or number) then n numbers: a data row with a label column
    } else if w == r {
        !first_numeric // all numbers: data; a text corner then numeric labels: a header
    } else {
        true
    };
    let (header, data) = if has_header {
        (Some(first), records.get(1..).unwrap_or(&[]))
    } else {
        (None, records)
    };
    let n = data.len();
    if n == 0 {
        return Err(ReadError::at(
            first.line,
            "the file has a header row but no matrix rows",
        ));
    }
    if let Some(extra) = data.get(limits::MAX_RESPONSES) {
        return Err(ReadError::at(
            extra.line,
            format!(
                "more than {} matrix rows; the limit is {} responses",
                limits::MAX_RESPONSES,
                limits::MAX_RESPONSES
            ),
        ));
    }
    let width = data.first().map_or(0, |d| d.cells.len());
    let label_column = if width == n + 1 {
        true
    } else if width == n {
        false
    } else {
        let line = data.first().map_or(first.line, |d| d.line);
        return Err(ReadError::at(
            line,
            format!(
                "the row has {width} cells, but with {n} rows the matrix needs {n} numbers per row (or a label and {n} numbers)"
            ),
        ));
    };
    let offset = usize::from(label_column);

    let mut rows = Vec::with_capacity(n);
    let mut row_labels = Vec::with_capacity(n);
    for (i, rec) in data.iter().enumerate() {
        if rec.cells.len() != width {
            return Err(ReadError::at(
                rec.line,
                format!(
                    "the row has {} cells but the first row has {width}; every row needs the same number",
                    rec.cells.len()
                ),
            ));
        }
        if label_column {
            row_labels.push(rec.cells.first().cloned().unwrap_or_default());
        }
        let mut row = Vec::with_capacity(n);
        for (j, cell) in rec.cells.iter().skip(offset).enumerate() {
            let Some(x) = parse_number(cell) else {
                return Err(ReadError::at(
                    rec.line,
                    format!(
                        "entry {} of row {} is {}, not a number",
                        j + 1,
                        i + 1,
                        quote(cell)
                    ),
                ));
            };
            if !(0.0..=1.0).contains(&x) {
                return Err(ReadError::at(
                    rec.line,
                    format!(
                        "entry {} of row {} is {x}; entries must be probabilities between 0 and 1",
                        j + 1,
                        i + 1
                    ),
                ));
            }
            row.push(x);
        }
        rows.push(row);
    }

    let header_labels: Option<Vec<String>> = match header {
        None => None,
        Some(h) if h.cells.len() == n + 1 => Some(h.cells.get(1..).unwrap_or(&[]).to_vec()),
        Some(h) if h.cells.len() == n => Some(h.cells.clone()),
        Some(h) => {
            return Err(ReadError::at(
                h.line,
                format!(
                    "the header row has {} cells, but the matrix has {n} rows; it needs {n} labels (optionally after a corner cell)",
                    h.cells.len()
                ),
            ))
        }
    };
    let given: Vec<String> = match (header_labels, label_column) {
        (Some(cols), true) => {
            for (i, (c, r)) in cols.iter().zip(&row_labels).enumerate() {
                if !c.is_empty() && !r.is_empty() && c != r {
                    let line = data.get(i).map_or(first.line, |d| d.line);
                    return Err(ReadError::at(
                        line,
                        format!(
                            "row {} is labelled {} but column {} is {}; rows and columns must list the responses in the same order",
                            i + 1,
                            quote(r),
                            i + 1,
                            quote(c)
                        ),
                    ));
                }
            }
            cols.into_iter()
                .zip(row_labels)
                .map(|(c, r)| if c.is_empty() { r } else { c })
                .collect()
        }
        (Some(cols), false) => cols,
        (None, true) => row_labels,
        (None, false) => vec![String::new(); n],
    };
    let defaults = default_labels(n);
    let labels: Vec<String> = given
        .into_iter()
        .zip(defaults)
        .map(|(g, d)| if g.is_empty() { d } else { g })
        .collect();
    for (i, l) in labels.iter().enumerate() {
        if labels.iter().take(i).any(|m| m == l) {
            let line =
                header.map_or_else(|| data.get(i).map_or(first.line, |d| d.line), |h| h.line);
            return Err(ReadError::at(
                line,
                format!("label {} appears twice", quote(l)),
            ));
        }
    }
    Ok(PairwiseMatrix::new(labels, rows)?)
}

/// Pairwise comparison counts read from a comparisons CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparisons {
    /// Items in order of first appearance.
    pub labels: Vec<String>,
    /// wins[i][j] = times i was preferred to j; a tie adds 1/2 to both wins[i][j] and wins[j][i].
    pub wins: Vec<Vec<f64>>,
    /// counts[i][j] = counts[j][i] = times i and j were compared.
    pub counts: Vec<Vec<f64>>,
}

#[derive(Clone, Copy)]
enum Outcome {
    Left,
    Right,
    Tie,
}

/// Reads a CSV of pairwise comparisons. The header must name columns `left`, `right` and
/// `winner` (any order, any case; other columns are ignored); `winner` is `left`, `right` or
/// `tie`.
pub fn read_comparisons_csv(text: &str) -> Result<Comparisons, ReadError> {
    comparisons_from_records(csv_records(text)?)
}

fn column(header: &Record, name: &str) -> Result<Option<usize>, ReadError> {
    let mut found = None;
    for (i, c) in header.cells.iter().enumerate() {
        if c.eq_ignore_ascii_case(name) {
            if found.is_some() {
                return Err(ReadError::at(
                    header.line,
                    format!("the header names the column '{name}' twice"),
                ));
            }
            found = Some(i);
        }
    }
    Ok(found)
}

/// Indices of the left, right and winner columns, when the record is a comparisons header.
fn comparison_columns(header: &Record) -> Result<Option<[usize; 3]>, ReadError> {
    Ok(
        match (
            column(header, "left")?,
            column(header, "right")?,
            column(header, "winner")?,
        ) {
            (Some(l), Some(r), Some(w)) => Some([l, r, w]),
            _ => None,
        },
    )
}

fn comparisons_from_records(mut records: Records<'_>) -> Result<Comparisons, ReadError> {
    let header = match records.next() {
        None => return Err(ReadError::whole("the file is empty")),
        Some(h) => h?,
    };
    let Some([lc, rc, wc]) = comparison_columns(&header)? else {
        let missing: Vec<&str> = ["left", "right", "winner"]
            .into_iter()
            .filter(|name| !header.cells.iter().any(|c| c.eq_ignore_ascii_case(name)))
            .collect();
        return Err(ReadError::at(
            header.line,
            format!(
                "missing header: the first row must name the columns left, right and winner (missing {})",
                missing.join(", ")
            ),
        ));
    };
    let mut labels: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // Grown as items appear; indices come from `index`, so they are always in range.
    let mut wins: Vec<Vec<f64>> = Vec::new();
    let mut counts: Vec<Vec<f64>> = Vec::new();
    let mut any = false;
    for rec in records {
        let rec = rec?;
        let cell = |i: usize, name: &str| {
            rec.cells.get(i).ok_or_else(|| {
                ReadError::at(
                    rec.line,
                    format!(
                        "the row has {} cells and no '{name}' column (column {})",
                        rec.cells.len(),
                        i + 1
                    ),
                )
            })
        };
        let left = cell(lc, "left")?;
        let right = cell(rc, "right")?;
        let winner = cell(wc, "winner")?;
        if left.is_empty() || right.is_empty() {
            return Err(ReadError::at(rec.line, "an item name is empty"));
        }
        if left == right {
            return Err(ReadError::at(
                rec.line,
                format!("the row compares {} with itself", quote(left)),
            ));
        }
        let outcome = match winner.to_ascii_lowercase().as_str() {
            "left" => Outcome::Left,
            "right" => Outcome::Right,
            "tie" => Outcome::Tie,
            _ => {
                return Err(ReadError::at(
                    rec.line,
                    format!("winner is {}; expected left, right or tie", quote(winner)),
                ))
            }
        };
        let mut intern = |name: &String| -> Result<usize, ReadError> {
            if let Some(&i) = index.get(name) {
                return Ok(i);
            }
            if labels.len() >= MAX_COMPARISON_ITEMS {
                return Err(ReadError::at(
                    rec.line,
                    format!(
                        "more than {MAX_COMPARISON_ITEMS} distinct items; the limit is {MAX_COMPARISON_ITEMS}"
                    ),
                ));
            }
            labels.push(name.clone());
            index.insert(name.clone(), labels.len() - 1);
            for row in wins.iter_mut().chain(counts.iter_mut()) {
                row.push(0.0);
            }
            wins.push(vec![0.0; labels.len()]);
            counts.push(vec![0.0; labels.len()]);
            Ok(labels.len() - 1)
        };
        let i = intern(left)?;
        let j = intern(right)?;
        counts[i][j] += 1.0;
        counts[j][i] += 1.0;
        match outcome {
            Outcome::Left => wins[i][j] += 1.0,
            Outcome::Right => wins[j][i] += 1.0,
            Outcome::Tie => {
                wins[i][j] += 0.5;
                wins[j][i] += 0.5;
            }
        }
        any = true;
    }
    if !any {
        return Err(ReadError::at(
            header.line,
            "the file has a header but no comparisons",
        ));
    }
    Ok(Comparisons {
        labels,
        wins,
        counts,
    })
}

impl Comparisons {
    /// The win-fraction matrix on the largest set of items in which every pair was compared at
    /// least once: P[i][j] = wins[i][j] / counts[i][j] (one division of raw counts).
    ///
    /// The set is a maximum clique of the "compared at least once" graph, found exactly by
    /// Bron–Kerbosch with pivoting and a size bound. Among several maximum cliques the one with
    /// the most comparisons inside it wins, then the one whose sorted labels come first
    /// lexicographically. Items keep their first-appearance order.
    pub fn complete_matrix(&self) -> Result<PairwiseMatrix, ReadError> {
        let n = self.labels.len();
        if n == 0 {
            return Err(ReadError::whole("there are no items"));
        }
        if n > MAX_COMPARISON_ITEMS {
            return Err(ReadError::whole(format!(
                "{n} items is over the limit of {MAX_COMPARISON_ITEMS} items"
            )));
        }
        let square = |m: &Vec<Vec<f64>>| m.len() == n && m.iter().all(|r| r.len() == n);
        if !square(&self.wins) || !square(&self.counts) {
            return Err(ReadError::whole(format!(
                "the win and count tables must both be {n} x {n}, one row and column per item"
            )));
        }
        for (i, (wr, cr)) in self.wins.iter().zip(&self.counts).enumerate() {
            for (j, (&w, &c)) in wr.iter().zip(cr).enumerate() {
                if !(w.is_finite() && c.is_finite() && w >= 0.0 && c >= 0.0 && w <= c) {
                    return Err(ReadError::whole(format!(
                        "inconsistent counts for {} against {}: {w} wins in {c} comparisons",
                        quote(self.labels.get(i).map_or("", String::as_str)),
                        quote(self.labels.get(j).map_or("", String::as_str)),
                    )));
                }
            }
        }
        let words = n.div_ceil(64);
        let mut adj = vec![vec![0u64; words]; n];
        let mut any_edge = false;
        for (i, row) in adj.iter_mut().enumerate() {
            for j in 0..n {
                if i != j && self.counts[i][j] > 0.0 && self.counts[j][i] > 0.0 {
                    row[j / 64] |= 1u64 << (j % 64);
                    any_edge = true;
                }
            }
        }
        if !any_edge {
            return Err(ReadError::whole("no pair of items was compared"));
        }
        let mut search = CliqueSearch {
            adj: &adj,
            counts: &self.counts,
            labels: &self.labels,
            best: Vec::new(),
            best_score: 0.0,
            work: 0,
        };
        let mut all = vec![0u64; words];
        for i in 0..n {
            all[i / 64] |= 1u64 << (i % 64);
        }
        let mut r = Vec::new();
        let outcome = search.expand(&mut r, all, vec![0u64; words]);
        if outcome.is_err() {
            return Err(ReadError::whole(
                "the comparisons are too tangled to find the largest fully compared set of items \
                 within the work limit; compare more pairs or leave some items out",
            ));
        }
        let mut clique = search.best;
        clique.sort_unstable();
        if clique.len() > limits::MAX_RESPONSES {
            return Err(ReadError::whole(format!(
                "the largest fully compared set has {} items, over the limit of {} responses",
                clique.len(),
                limits::MAX_RESPONSES
            )));
        }
        let labels: Vec<String> = clique.iter().map(|&i| self.labels[i].clone()).collect();
        let rows: Vec<Vec<f64>> = clique
            .iter()
            .map(|&i| {
                clique
                    .iter()
                    .map(|&j| {
                        if i == j {
                            0.5
                        } else {
                            self.wins[i][j] / self.counts[i][j]
                        }
                    })
                    .collect()
            })
            .collect();
        Ok(PairwiseMatrix::new(labels, rows)?)
    }
}

/// Exact maximum-clique search (Bron–Kerbosch, Tomita pivoting, pruned by the best size so far).
struct CliqueSearch<'a> {
    adj: &'a [Vec<u64>],
    counts: &'a [Vec<f64>],
    labels: &'a [String],
    best: Vec<usize>,
    best_score: f64,
    work: u64,
}

fn popcount(set: &[u64]) -> usize {
    set.iter().map(|w| w.count_ones() as usize).sum()
}

fn members(set: &[u64]) -> Vec<usize> {
    let mut out = Vec::new();
    for (k, &w) in set.iter().enumerate() {
        let mut w = w;
        while w != 0 {
            let b = w.trailing_zeros() as usize;
            out.push(k * 64 + b);
            w &= w - 1;
        }
    }
    out
}

fn intersect(a: &[u64], b: &[u64]) -> Vec<u64> {
    a.iter().zip(b).map(|(x, y)| x & y).collect()
}

impl CliqueSearch<'_> {
    fn expand(&mut self, r: &mut Vec<usize>, mut p: Vec<u64>, mut x: Vec<u64>) -> Result<(), ()> {
        // Every call costs a fixed amount (allocations, the leaf check) plus the words it scans.
        self.work += CLIQUE_CALL_COST + r.len() as u64;
        if self.work > CLIQUE_WORK_BUDGET {
            return Err(());
        }
        let p_size = popcount(&p);
        if r.len() + p_size < self.best.len() {
            return Ok(());
        }
        if p_size == 0 {
            if x.iter().all(|&w| w == 0) {
                // Scoring sums the pairs and may sort the labels.
                let k = r.len() as u64;
                self.work += k * k + 32 * k;
                self.consider(r);
            }
            return Ok(());
        }
        // Pivot: the vertex of P ∪ X with the most neighbours in P.
        let union: Vec<u64> = p.iter().zip(&x).map(|(a, b)| a | b).collect();
        let candidates_for_pivot = members(&union);
        self.work += (candidates_for_pivot.len() as u64 + 1) * p.len() as u64;
        if self.work > CLIQUE_WORK_BUDGET {
            return Err(());
        }
        let mut pivot = 0;
        let mut pivot_degree = 0;
        let mut first = true;
        for &u in &candidates_for_pivot {
            let d: usize = self.adj[u]
                .iter()
                .zip(&p)
                .map(|(a, b)| (a & b).count_ones() as usize)
                .sum();
            if first || d > pivot_degree {
                pivot = u;
                pivot_degree = d;
                first = false;
            }
        }
        let outside: Vec<u64> = p
            .iter()
            .zip(&self.adj[pivot])
            .map(|(a, b)| a & !b)
            .collect();
        for v in members(&outside) {
            if r.len() + popcount(&p) < self.best.len() {
                break;
            }
            r.push(v);
            let np = intersect(&p, &self.adj[v]);
            let nx = intersect(&x, &self.adj[v]);
            let result = self.expand(r, np, nx);
            r.pop();
            result?;
            p[v / 64] &= !(1u64 << (v % 64));
            x[v / 64] |= 1u64 << (v % 64);
        }
        Ok(())
    }

    fn score(&self, clique: &[usize]) -> f64 {
        let mut s = 0.0;
        for (a, &i) in clique.iter().enumerate() {
            for &j in clique.iter().skip(a + 1) {
                s += self.counts[i][j];
            }
        }
        s
    }

    fn sorted_labels(&self, clique: &[usize]) -> Vec<&str> {
        let mut v: Vec<&str> = clique.iter().map(|&i| self.labels[i].as_str()).collect();
        v.sort_unstable();
        v
    }

    fn consider(&mut self, r: &[usize]) {
        use std::cmp::Ordering;
        let score = self.score(r);
        let better = match r.len().cmp(&self.best.len()) {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => match score.total_cmp(&self.best_score) {
                Ordering::Greater => true,
                Ordering::Less => false,
                Ordering::Equal => self.sorted_labels(r) < self.sorted_labels(&self.best),
            },
        };
        if better {
            self.best = r.to_vec();
            self.best_score = score;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Dispatch
// ---------------------------------------------------------------------------------------------

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ballot_grammar() {
        let b = parse_ballot("3: 2,{1, 4},3", 4).unwrap();
        assert_eq!(b.count, 3);
        assert_eq!(b.classes, vec![vec![1], vec![0, 3], vec![2]]);
        assert!(b.tied);
        assert_eq!(b.ranked, 4);
        let b = parse_ballot("1:", 4).unwrap();
        assert_eq!(b.ranked, 0);
        for bad in [
            "1: 1,,2",
            "1: ,1",
            "1: 1,",
            "1: {1,2",
            "1: 1}",
            "1: {1,{2}}",
            "1: {}",
            "1: 1 2",
            "x: 1",
            ": 1",
            "1 1,2",
            "1: 5",
            "1: 0",
            "1: 1,1",
            "1: a",
        ] {
            assert!(parse_ballot(bad, 4).is_err(), "{bad}");
        }
    }

    #[test]
    fn csv_quoting() {
        let parse = |t| csv_records(t).unwrap().collect::<Result<Vec<_>, _>>();
        let r = parse("a,\"b, c\",\"d \"\"e\"\"\"\r\n\n,,\n1,2,3").unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].cells, vec!["a", "b, c", "d \"e\""]);
        assert_eq!(r[1].line, 4);
        assert!(parse("a,\"b\nc").is_err());
        assert_eq!(parse("a,\"b\"x,c").unwrap_err().line, Some(1));
        assert_eq!(parse("a\n\"b\nc\"\"\nd\"\ne").unwrap().len(), 3);
        assert_eq!(parse("a\n\"b\nc\"\"\nd\ne").unwrap_err().line, Some(2));
        assert!(parse(&",".repeat(MAX_CSV_CELLS)).is_err());
    }
}
