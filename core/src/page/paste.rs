//! What pasted text is: a saved configuration, PrefLib or CSV, told by its first lines.

/// A file name whose extension tells the readers the format of pasted text: a `{` opens a
/// saved configuration (JSON); PrefLib's metadata lines start with `#` and its data lines hold
/// `count: ranking` (the `# DATA TYPE:` line, when there is one, names the kind; otherwise
/// `.toi`, the most permissive); anything else is CSV.
pub fn pasted_name(text: &str) -> String {
    if text.trim_start().starts_with('{') {
        return "pasted text.json".into();
    }
    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
    let preflib = first.is_some_and(|l| l.starts_with('#') || l.contains(':'));
    let kind = if preflib {
        text.lines()
            .find_map(|l| l.trim().strip_prefix("# DATA TYPE:"))
            .map(|t| t.trim().to_ascii_lowercase())
            .filter(|t| ["soc", "soi", "toc", "toi"].contains(&t.as_str()))
            .unwrap_or_else(|| "toi".into())
    } else {
        "csv".into()
    };
    format!("pasted text.{kind}")
}
