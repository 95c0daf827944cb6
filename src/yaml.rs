//! The one reader of YAML: front matter and site.yaml go through here.
//!
//! serde_yaml is deprecated upstream; keeping every call to it in this module means a successor
//! (serde-saphyr) replaces it in one place. Errors come back as [`Diagnostic`]s whose line is
//! the line of the *file*, not of the YAML block: `first_line` is the file line the YAML starts on.
//! Aliases are bounded ([`aliases`]): a document they would expand far past its written size is
//! refused before serde_yaml builds anything.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, Location, did_you_mean};

mod aliases;
mod places;

pub use places::Places;

/// Deserialises `yaml` (which starts on line `first_line` of the file at `path`) into `T`.
///
/// `file_text` is the whole file, used to show the offending line.
pub fn parse<T: DeserializeOwned>(
    yaml: &str,
    path: &Path,
    first_line: usize,
    file_text: &str,
) -> Result<T, Diagnostic> {
    // An empty block is an empty mapping, so "missing field" errors name the field.
    let source = if yaml.trim().is_empty() { "{}" } else { yaml };
    aliases::check_expansion(source)
        .and_then(|()| serde_yaml::from_str(source))
        .map_err(|err| {
            // Within the YAML block.
            let at = err
                .location()
                .filter(|_| !yaml.trim().is_empty())
                .map(|loc| (loc.line(), loc.column()));
            let raw = err.to_string();
            let message = strip_position(&raw);
            // serde points at the start of the mapping that repeats a field; the mistake is
            // the repeat.
            let at = match message
                .split("duplicate field `")
                .nth(1)
                .and_then(|r| r.split('`').next())
            {
                Some(field) => repeated_key(yaml, field, at).or(at),
                None => at,
            };
            let (line, column) = match at {
                Some((line, column)) => (first_line + line - 1, column),
                None => (first_line.saturating_sub(1).max(1), 1),
            };
            let mut diagnostic =
                Diagnostic::error(Location::new(path, line, column), message.clone());
            if let Some(hint) = hint_for(&message) {
                diagnostic = diagnostic.with_hint(hint);
            }
            diagnostic.with_source_line(file_text)
        })
}

/// serde_yaml appends " at line L column C" and may prefix the field path ("events[0].date: ");
/// the diagnostic shows the place itself, so keep the path and drop the position.
fn strip_position(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        // Skip " at line N column M" (the column part may be missing).
        let after = &rest[i + " at line ".len()..];
        let digits = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        let mut tail = &after[digits..];
        if let Some(column) = tail.strip_prefix(" column ") {
            let digits = column
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(column.len());
            tail = &column[digits..];
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// A fix for the common serde messages: a typo in a field name, a missing field, a wrong type.
fn hint_for(message: &str) -> Option<String> {
    if let Some(rest) = message.split("unknown field `").nth(1) {
        let field = rest.split('`').next()?;
        let expected: Vec<&str> = rest
            .split("expected one of ")
            .nth(1)
            .or_else(|| rest.split("expected ").nth(1))
            .map(|list| {
                list.split([',', ' '])
                    .filter(|s| s.starts_with('`'))
                    .map(|s| s.trim_matches('`'))
                    .collect()
            })
            .unwrap_or_default();
        return Some(match did_you_mean(field, expected.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("the fields allowed here are: {}", expected.join(", ")),
        });
    }
    if let Some(rest) = message.split("missing field `").nth(1) {
        let field = rest.split('`').next()?;
        return Some(format!("add a `{field}:` line to the front matter"));
    }
    if message.contains("invalid type") {
        return Some(
            "check the value's type: text, a list (`[a, b]`) or a map (`key: value`)".into(),
        );
    }
    if message.contains(aliases::TOO_LARGE) {
        return Some(
            "write the repeated values out, or repeat fewer of them: front matter rarely needs aliases"
                .into(),
        );
    }
    None
}

/// Where `key: value` is written in `yaml`: every (line, column) of the value, 1-based within the
/// YAML block, in order. serde does not keep positions of values, so checks that run after
/// parsing (an unknown country, a bad date) find their place here. Quotes around the value
/// are allowed; the key may follow a list dash or stand in a flow mapping. Indexes the whole
/// block: to look up many values, index it once with [`Places`].
pub fn find_value(yaml: &str, key: &str, value: &str) -> Vec<(usize, usize)> {
    Places::index(yaml).value(key, value).to_vec()
}

/// Where `key:` starts in `yaml` (first occurrence at any depth), 1-based.
pub fn find_key(yaml: &str, key: &str) -> Option<(usize, usize)> {
    find_keys(yaml, key).into_iter().next()
}

/// Where `key:` is written a second time in the mapping that starts at `mapping` (1-based, as
/// serde_yaml places a duplicate field): the keys of a block mapping share its start's column,
/// while those of the mappings nested in it stand further right, so the second `key:` at that
/// column below the start is the repeat. Otherwise (a flow mapping, or no place known), the
/// second `key:` anywhere.
fn repeated_key(yaml: &str, key: &str, mapping: Option<(usize, usize)>) -> Option<(usize, usize)> {
    let keys = find_keys(yaml, key);
    mapping
        .and_then(|start| {
            keys.iter()
                .filter(|&&(line, column)| column == start.1 && (line, column) >= start)
                .nth(1)
        })
        .or(keys.get(1))
        .copied()
}

/// Every place `key:` starts in `yaml`, 1-based.
fn find_keys(yaml: &str, key: &str) -> Vec<(usize, usize)> {
    Places::index(yaml).key(key).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        title: String,
        date: String,
    }

    #[test]
    fn error_lines_are_file_lines() {
        // The YAML starts on line 2 of the file (after `---`); its third line is line 4.
        let file = "---\ntitle: x\ndate: y\ntitel: z\n---\n";
        let yaml = "title: x\ndate: y\ntitel: z\n";
        let err = parse::<Sample>(yaml, Path::new("a.md"), 2, file).unwrap_err();
        assert_eq!(err.location.line, 4, "{err}");
        assert_eq!(err.hint.as_deref(), Some("did you mean `title`?"));
        assert_eq!(err.snippet.as_deref(), Some("titel: z"));
    }

    #[test]
    fn positions_inside_messages_are_removed() {
        assert_eq!(
            strip_position("found a tab character at line 3 column 1, while scanning"),
            "found a tab character, while scanning"
        );
        assert_eq!(strip_position("bad at line 2"), "bad");
    }

    #[test]
    fn missing_field_names_it() {
        let err = parse::<Sample>("title: x\n", Path::new("a.md"), 2, "").unwrap_err();
        assert!(
            err.message.contains("missing field `date`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn finds_values_in_lists() {
        let yaml = "events:\n  - country: KZ\n    stage: signed\n  - country: \"UK\"\n";
        assert_eq!(find_value(yaml, "country", "UK"), vec![(4, 14)]);
        assert_eq!(find_value(yaml, "stage", "signed"), vec![(3, 12)]);
        assert_eq!(find_key(yaml, "stage"), Some((3, 5)));
    }
}
