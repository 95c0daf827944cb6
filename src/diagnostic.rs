//! Problems found in a site, each with the place it was found.
//!
//! A [`Diagnostic`] names a file (relative to the site root), a line and a column, says what
//! is wrong and, where it can, how to fix it. Every stage gathers diagnostics into a
//! [`Diagnostics`] list instead of stopping at the first, so an author sees every problem of a
//! run at once. This module formats them; it never prints.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: an error fails the build, a warning does not (unless denied).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The site cannot be built as it is.
    Error,
    /// Worth fixing; the site is built (an error under `deny_warnings`).
    Warning,
}

/// A place in a file: 1-based line and column. Line 0 means "the file as a whole".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file, relative to the site's root (`content/articles/a.md`).
    pub path: PathBuf,
    /// 1-based; 0: the file as a whole.
    pub line: usize,
    /// 1-based, in characters; 0: the line as a whole.
    pub column: usize,
}

impl Location {
    /// The place at `line` and `column` of the file at `path`.
    pub fn new(path: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location {
            path: path.into(),
            line,
            column,
        }
    }

    /// The file as a whole, when no better place is known.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location::new(path, 0, 0)
    }
}

/// A path as diagnostics print it: with `/` on every system, and a control character in a
/// file name (a newline, an escape sequence) written as an escape, so that a name cannot break
/// the report's lines or restyle the terminal.
pub fn printable_path(path: &Path) -> String {
    let slashed = path.display().to_string().replace('\\', "/");
    if !slashed.chars().any(char::is_control) {
        return slashed;
    }
    slashed
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

impl Location {
    /// Whether the place is in a table (a CSV file), whose cells end at commas.
    fn is_table(&self) -> bool {
        self.path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = printable_path(&self.path);
        match (self.line, self.column) {
            (0, _) => write!(f, "{path}"),
            (line, 0) => write!(f, "{path}:{line}"),
            (line, column) => write!(f, "{path}:{line}:{column}"),
        }
    }
}

/// Another place that takes part in a problem, with what it is and its source line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// Where it is.
    pub location: Location,
    /// What it is ("first written here").
    pub label: String,
    /// Its source line, shown under the label.
    pub snippet: Option<String>,
}

/// The line `location` names in `text` (a whole file), if it has one.
fn line_of(text: &str, location: &Location) -> Option<String> {
    let index = location.line.checked_sub(1)?;
    text.lines()
        .nth(index)
        .map(|l| l.trim_end_matches('\r').to_string())
}

/// One problem, with where it is, what is wrong, how to fix it, and other places involved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether it fails the build.
    pub severity: Severity,
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when that can be said.
    pub hint: Option<String>,
    /// Other places that take part in the problem (the other file of a conflict).
    pub related: Vec<Related>,
    /// The source line at `location`, shown under the message.
    pub snippet: Option<String>,
}

impl Diagnostic {
    /// An error at `location`.
    pub fn error(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location,
            message: message.into(),
            hint: None,
            related: Vec::new(),
            snippet: None,
        }
    }

    /// A warning at `location`.
    pub fn warning(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(location, message)
        }
    }

    /// The same diagnostic with a hint saying how to fix it.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same diagnostic with another place that takes part in it, and what that place is.
    pub fn with_related(mut self, location: Location, label: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            label: label.into(),
            snippet: None,
        });
        self
    }

    /// Attaches the offending line of `text` (the whole file), when the location has a line.
    pub fn with_source_line(mut self, text: &str) -> Self {
        self.snippet = line_of(text, &self.location);
        self
    }

    /// Attaches the source lines this diagnostic lacks, its own and its related places',
    /// from `text_of`, which gives a file's whole text by its path.
    pub fn with_source_lines<'t>(mut self, text_of: &impl Fn(&Path) -> Option<&'t str>) -> Self {
        if self.snippet.is_none() {
            self.snippet = text_of(&self.location.path).and_then(|t| line_of(t, &self.location));
        }
        for related in &mut self.related {
            if related.snippet.is_none() {
                related.snippet =
                    text_of(&related.location.path).and_then(|t| line_of(t, &related.location));
            }
        }
        self
    }

    /// Whether it fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic as rustc does, with the source line marked; with ANSI colours
    /// when `colour` is true.
    pub fn render(&self, colour: bool) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = printable_path(&self.location.path);
        let title = level.primary_title(self.message.as_str());
        let group = match (&self.snippet, self.location.line) {
            (Some(line), number) if number > 0 => title.element(
                Snippet::source(line.as_str())
                    .line_start(number)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(marked(
                        line,
                        self.location.column,
                        self.location.is_table(),
                    ))),
            ),
            _ => {
                let mut origin = Origin::path(path.as_str());
                if self.location.line > 0 {
                    origin = origin.line(self.location.line);
                    if self.location.column > 0 {
                        origin = origin.char_column(self.location.column);
                    }
                }
                title.element(origin)
            }
        };
        let notes: Vec<(String, String, &Related)> = self
            .related
            .iter()
            .map(|r| {
                let path = printable_path(&r.location.path);
                // With its line shown, the place is printed under the note.
                let note = match r.snippet {
                    Some(_) if r.location.line > 0 => r.label.clone(),
                    _ => format!("{}: {}", r.label, r.location),
                };
                (note, path, r)
            })
            .collect();
        let mut report = vec![group];
        for (note, path, related) in &notes {
            let group = Group::with_title(Level::NOTE.secondary_title(note.as_str()));
            report.push(match &related.snippet {
                // The other place's line, marked as the primary one is.
                Some(line) if related.location.line > 0 => group.element(
                    Snippet::source(line.as_str())
                        .line_start(related.location.line)
                        .path(path.as_str())
                        .annotation(AnnotationKind::Context.span(marked(
                            line,
                            related.location.column,
                            related.location.is_table(),
                        ))),
                ),
                _ => group,
            });
        }
        if let Some(hint) = &self.hint {
            report.push(Group::with_title(
                Level::HELP.secondary_title(hint.as_str()),
            ));
        }
        let renderer = if colour {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut text = renderer.render(&report);
        text.push('\n');
        text
    }
}

/// The part of `line` to mark for a place at `column`: the word there (the whole line when no
/// column is known); in a table's line, the cell there; in a flow collection
/// (`{country: FR, stage: signed}`), the value there without its separator.
fn marked(line: &str, column: usize, table: bool) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    let flow = !table
        && line
            .trim_start()
            .trim_start_matches("- ")
            .starts_with(['{', '[']);
    let ends_here = |c: char| {
        c.is_whitespace() || (table && c == ',') || (flow && matches!(c, ',' | '}' | ']'))
    };
    let end = line[start..]
        .find(ends_here)
        .map_or(line.len(), |n| start + n)
        .max((start + 1).min(line.len()));
    start..end
}

impl fmt::Display for Diagnostic {
    /// The plain (uncoloured) rendering, as `treatyline` prints it off a terminal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Every problem of a run, in the order found; sorted by place when reported.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// No problem yet.
    pub fn new() -> Self {
        Diagnostics::default()
    }

    /// Attaches to every diagnostic the source lines it lacks (see
    /// [`Diagnostic::with_source_lines`]).
    pub fn attach_source_lines<'t>(&mut self, text_of: &impl Fn(&Path) -> Option<&'t str>) {
        let items = std::mem::take(&mut self.items);
        self.items = items
            .into_iter()
            .map(|d| d.with_source_lines(text_of))
            .collect();
    }

    /// Adds a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds every problem of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// How many problems are errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// How many problems are warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Whether there is no problem at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Turns every warning into an error (`--deny-warnings`).
    pub fn deny_warnings(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }

    /// The diagnostics sorted by file, line and column, duplicates removed.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by(|a, b| {
            (&a.location, a.severity, &a.message).cmp(&(&b.location, b.severity, &b.message))
        });
        items.dedup_by(|a, b| a == b);
        items
    }

    /// Every diagnostic, sorted, then a one-line summary ("3 errors, 1 warning"); plain text.
    pub fn report(&self) -> String {
        self.render(false)
    }

    /// Like [`Diagnostics::report`]; coloured when `colour` is true.
    pub fn render(&self, colour: bool) -> String {
        let mut out = String::new();
        for d in self.sorted() {
            out.push_str(&d.render(colour));
            out.push('\n');
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }

    /// How many errors and warnings: "3 errors, 1 warning". Counts what the report shows: a
    /// problem found twice at one place is one.
    pub fn summary(&self) -> String {
        let shown = self.sorted();
        let errors = shown.iter().filter(|d| d.is_error()).count();
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("1 {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        format!(
            "{}, {}",
            plural(errors, "error"),
            plural(shown.len() - errors, "warning")
        )
    }

    /// Every problem, in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// The closest of `candidates` to `word` when close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&word, &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(distance, c)| *distance <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(distance, c)| (*distance, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_stage() {
        let stages = ["talks", "announced", "signed", "ratified"];
        assert_eq!(did_you_mean("sigend", stages), Some("signed"));
        assert_eq!(did_you_mean("zzzzzz", stages), None);
    }

    #[test]
    fn shows_the_line_and_a_caret() {
        let d = Diagnostic::error(
            Location::new("content/a.md", 2, 10),
            "unknown stage `sigend`",
        )
        .with_hint("did you mean `signed`?")
        .with_related(Location::new("content/b.md", 3, 1), "the other report")
        .with_source_line("---\n  stage: sigend\n---\n");
        let text = d.to_string();
        assert!(
            text.starts_with("error: unknown stage `sigend`\n"),
            "{text}"
        );
        assert!(text.contains("--> content/a.md:2:10"), "{text}");
        assert!(text.contains("2 |   stage: sigend"), "{text}");
        assert!(text.contains("  |          ^^^^^^"), "{text}");
        assert!(
            text.contains("note: the other report: content/b.md:3:1"),
            "{text}"
        );
        assert!(text.contains("help: did you mean `signed`?"), "{text}");
    }
}
