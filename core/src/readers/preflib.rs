//! PrefLib files (.soc, .soi, .toc, .toi): header lines, then ballots of counted rankings.

use super::*;

/// The four PrefLib ranking formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PrefLibKind {
    Soc,
    Soi,
    Toc,
    Toi,
}

impl PrefLibKind {
    pub(super) fn from_name(name: &str) -> Option<Self> {
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

    pub(super) fn name(self) -> &'static str {
        match self {
            PrefLibKind::Soc => "soc",
            PrefLibKind::Soi => "soi",
            PrefLibKind::Toc => "toc",
            PrefLibKind::Toi => "toi",
        }
    }

    pub(super) fn allows_ties(self) -> bool {
        matches!(self, PrefLibKind::Toc | PrefLibKind::Toi)
    }

    pub(super) fn complete(self) -> bool {
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
pub(super) struct Ballot {
    count: u64,
    classes: Vec<Vec<usize>>,
    tied: bool,
    seen: Vec<bool>,
    ranked: usize,
}

/// Reads PrefLib text; `fallback` is the format to enforce when the file does not declare one.
pub(super) fn read_preflib_as(
    text: &str,
    fallback: Option<PrefLibKind>,
) -> Result<Population, ReadError> {
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
            // Unranked alternatives form one last tied class (docs/mathematics.md#preferences).
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

pub(super) fn parse_plain_usize(s: &str) -> Option<usize> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

pub(super) fn parse_alternative_count(value: &str) -> Result<usize, String> {
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

pub(super) fn check_name_index(i: usize, n: usize, line: usize) -> Result<(), ReadError> {
    if i == 0 || i > n {
        return Err(ReadError::at(
            line,
            format!("alternative name {i} is out of range (alternatives are numbered 1 to {n})"),
        ));
    }
    Ok(())
}

#[derive(Debug, PartialEq)]
pub(super) enum Token<'a> {
    Num(&'a str),
    Open,
    Close,
    Comma,
}

pub(super) fn tokenize(s: &str) -> Result<Vec<Token<'_>>, String> {
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
pub(super) fn parse_ballot(line: &str, n: usize) -> Result<Ballot, String> {
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
pub(super) fn take_alternative(s: &str, n: usize, ballot: &mut Ballot) -> Result<usize, String> {
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
}
