//! CSV records (quoted cells, 1-based lines) and CSV matrices of pairwise probabilities.

use super::*;

/// One CSV record: its first line (1-based) and its cells, trimmed.
#[derive(Debug)]
pub(super) struct Record {
    pub(super) line: usize,
    pub(super) cells: Vec<String>,
}

/// Most cells in one CSV row.
pub(super) const MAX_CSV_CELLS: usize = 10_000;

/// Streams the records of CSV text (RFC 4180 quoting: `"a, b"`, and `""` for a quote inside).
/// Records whose cells are all empty are skipped; cells are trimmed. After an error it stops.
pub(super) struct Csv<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
    done: bool,
}

pub(super) type Records<'a> = std::iter::Peekable<Csv<'a>>;

pub(super) fn csv_records(text: &str) -> Result<Records<'_>, ReadError> {
    check_size(text)?;
    Ok(Csv {
        chars: strip_bom(text).chars().peekable(),
        line: 1,
        done: false,
    }
    .peekable())
}

impl Csv<'_> {
    pub(super) fn push_cell(
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
    pub(super) fn read_record(&mut self) -> Result<Option<Record>, ReadError> {
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

pub(super) fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    // Rust also parses "inf" and "NaN"; only plain decimal numbers are accepted here.
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    // The links' exact reader (bit for bit std's): std's brings 10 KB of tables into the worker.
    crate::links::decimal::parse_f64(s).filter(|x| x.is_finite())
}

/// Reads a CSV pairwise matrix: P[i][j] = probability that row i beats column j.
///
/// An optional first row of labels (with or without a corner cell) and an optional first column
/// of labels are recognized; when both are given they must list the same labels in the same order.
/// The matrix is validated by [`PairwiseMatrix::new`].
pub fn read_matrix_csv(text: &str) -> Result<PairwiseMatrix, ReadError> {
    matrix_from_records(csv_records(text)?)
}

pub(super) fn matrix_from_records(stream: Records<'_>) -> Result<PairwiseMatrix, ReadError> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
