//! A table of events (`content/events/*.csv`) made into checked events, one a row.
//!
//! A row is checked as an article's event is (the value checks of `parse`), and every problem
//! is placed at its cell: file, line and column. The csv crate reads the cells; where each
//! begins is counted here on the raw text, from the start of its record, so that a quoted cell
//! spanning several lines leaves the cells after it where they are. A bad row gives no event,
//! and the good rows of the file are kept. Pure: the text comes from `source`.

use std::collections::BTreeSet;
use std::path::Path;

use csv::StringRecord;

use super::countries::Countries;
use super::parse::{event_country, event_date, event_stage, event_treaty};
use super::rules::check_source_url;
use super::types::{EventTable, ReportedEvent, Slug, Source};
use crate::diagnostic::{Diagnostic, Diagnostics, Location, did_you_mean};
use crate::source::TableFile;

/// The columns a table may have (CONTENT-FORMAT.md, "Events from a table").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Treaty,
    Country,
    Stage,
    Date,
    Label,
    Note,
    Source,
    SourceTitle,
    Disputed,
}

impl Column {
    const ALL: [Column; 9] = [
        Column::Treaty,
        Column::Country,
        Column::Stage,
        Column::Date,
        Column::Label,
        Column::Note,
        Column::Source,
        Column::SourceTitle,
        Column::Disputed,
    ];

    fn name(self) -> &'static str {
        match self {
            Column::Treaty => "treaty",
            Column::Country => "country",
            Column::Stage => "stage",
            Column::Date => "date",
            Column::Label => "label",
            Column::Note => "note",
            Column::Source => "source",
            Column::SourceTitle => "source_title",
            Column::Disputed => "disputed",
        }
    }

    fn required(self) -> bool {
        matches!(self, Column::Country | Column::Stage | Column::Date)
    }
}

/// A record of the file: its cells as read, and where each begins.
struct Row {
    cells: StringRecord,
    at: Vec<Location>,
}

impl Row {
    fn line(&self) -> usize {
        self.at.first().map_or(0, |l| l.line)
    }

    fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// A cell of a row that is not empty: its text trimmed, and where it begins.
struct Cell<'a> {
    text: &'a str,
    at: &'a Location,
}

/// What the header row says, and what every row's checks need.
struct Table<'a> {
    file: &'a TableFile,
    /// The place in a row of each column of [`Column::ALL`] that the header names.
    columns: [Option<usize>; 9],
    width: usize,
    /// The treaty of a row that names none: the file's, when it is named after a treaty.
    default_treaty: Option<Slug>,
    treaties: &'a BTreeSet<&'a str>,
    countries: &'a Countries,
}

/// The events of one table, with every problem of every row added to `diagnostics`.
pub(super) fn table(
    file: &TableFile,
    treaties: &BTreeSet<&str>,
    countries: &Countries,
    diagnostics: &mut Diagnostics,
) -> EventTable {
    let mut events = Vec::new();
    let rows = rows(file, diagnostics);
    let mut rows = rows.iter().filter(|r| !r.is_blank());
    match rows.next() {
        None => diagnostics.push(
            Diagnostic::error(Location::file(&file.path), "this table has no header row")
                .with_hint(
                    "write the column names on the first line, e.g. \
                     `country,stage,date,source`, and one event a line below it",
                ),
        ),
        Some(header) => {
            let table = header_of(file, header, treaties, countries, diagnostics);
            for row in rows {
                if let Some(event) = table.event(row, diagnostics) {
                    events.push(event);
                }
            }
        }
    }
    EventTable {
        path: file.path.clone(),
        events,
    }
}

/// Every record of the file, with the place of each of its cells.
fn rows(file: &TableFile, diagnostics: &mut Diagnostics) -> Vec<Row> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(file.text.as_bytes());
    let mut lines = Lines::new(&file.text);
    let mut rows = Vec::new();
    for record in reader.records() {
        let cells = match record {
            Ok(cells) => cells,
            Err(err) => {
                // Not expected of text already decoded; the reader cannot go on after it.
                let line = err.position().map_or(0, |p| p.line() as usize);
                diagnostics.push(
                    Diagnostic::error(
                        Location::new(&file.path, line, 0),
                        format!("this table cannot be read: {err}"),
                    )
                    .with_source_line(&file.text),
                );
                break;
            }
        };
        let start = cells.position().map_or(0, |p| p.byte() as usize);
        let at = cell_starts(&file.text, start)
            .into_iter()
            .take(cells.len())
            .map(|offset| {
                let (line, column) = lines.locate(offset);
                Location::new(&file.path, line, column)
            })
            .collect();
        rows.push(Row { cells, at });
    }
    rows
}

/// The byte offset in `text` of the first character of each cell of the record that starts at
/// `start` (or after the line ends there): after an opening quote and leading blanks. The
/// quoting rules are the csv crate's defaults: a cell that starts with `"` runs to the next
/// `"` not doubled; anything up to the next comma or line end belongs to the cell as well.
fn cell_starts(text: &str, start: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut i = start;
    while matches!(bytes.get(i), Some(b'\n' | b'\r')) {
        i += 1;
    }
    let mut starts = Vec::new();
    loop {
        let quoted = bytes.get(i) == Some(&b'"');
        let mut first = i + usize::from(quoted);
        while matches!(bytes.get(first), Some(b' ' | b'\t')) {
            first += 1;
        }
        starts.push(first);
        if quoted {
            i += 1;
            loop {
                match bytes.get(i) {
                    None => return starts,
                    Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
        }
        loop {
            match bytes.get(i) {
                None | Some(b'\n' | b'\r') => return starts,
                Some(b',') => {
                    i += 1;
                    break;
                }
                Some(_) => i += 1,
            }
        }
    }
}

/// Turns byte offsets, taken in increasing order, into lines and columns (1-based; the column
/// counted in characters), reading the text once.
struct Lines<'a> {
    text: &'a str,
    at: usize,
    line: usize,
    line_start: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text,
            at: 0,
            line: 1,
            line_start: 0,
        }
    }

    fn locate(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len()).max(self.at);
        for (i, b) in self.text.as_bytes()[self.at..offset].iter().enumerate() {
            if *b == b'\n' {
                self.line += 1;
                self.line_start = self.at + i + 1;
            }
        }
        self.at = offset;
        let column = self.text[self.line_start..offset].chars().count() + 1;
        (self.line, column)
    }
}

/// Reads the header row: which column is where, and the treaty of rows that name none. Every
/// problem of the header is reported; the rows are checked whatever they are.
fn header_of<'a>(
    file: &'a TableFile,
    header: &Row,
    treaties: &'a BTreeSet<&'a str>,
    countries: &'a Countries,
    diagnostics: &mut Diagnostics,
) -> Table<'a> {
    let mut columns = [None; 9];
    for (index, (name, at)) in header.cells.iter().zip(&header.at).enumerate() {
        let name = name.trim();
        let error =
            |message: String| Diagnostic::error(at.clone(), message).with_source_line(&file.text);
        match Column::ALL.iter().position(|c| c.name() == name) {
            Some(c) if columns[c].is_some() => diagnostics.push(
                error(format!("the column `{name}` is named twice"))
                    .with_hint("remove one of the two columns"),
            ),
            Some(c) => columns[c] = Some(index),
            None if name.is_empty() => diagnostics.push(
                error("this column has no name".to_string())
                    .with_hint(format!("name it, or remove it: {}", known_columns())),
            ),
            None => {
                let hint = match did_you_mean(name, Column::ALL.map(Column::name)) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => known_columns(),
                };
                diagnostics.push(error(format!("unknown column `{name}`")).with_hint(hint));
            }
        }
    }
    let at_header = Location::new(&file.path, header.line(), 1);
    for column in Column::ALL.into_iter().filter(|c| c.required()) {
        if columns[column as usize].is_none() {
            diagnostics.push(
                Diagnostic::error(
                    at_header.clone(),
                    format!("this table has no `{}` column", column.name()),
                )
                .with_source_line(&file.text)
                .with_hint(format!(
                    "add it to the header row: every row needs a `country`, a `stage` and a \
                     `date` ({})",
                    known_columns()
                )),
            );
        }
    }
    let default_treaty = treaties
        .contains(file.stem.as_str())
        .then(|| Slug::parse(&file.stem).ok())
        .flatten();
    if default_treaty.is_none() && columns[Column::Treaty as usize].is_none() {
        diagnostics.push(
            Diagnostic::error(
                at_header,
                format!(
                    "this table names no treaty: it has no `treaty` column, and its file name \
                     `{}` is not a treaty's",
                    file.stem
                ),
            )
            .with_source_line(&file.text)
            .with_hint(name_the_treaty(&file.path, &file.stem, treaties)),
        );
    }
    Table {
        file,
        columns,
        width: header.cells.len(),
        default_treaty,
        treaties,
        countries,
    }
}

fn known_columns() -> String {
    format!(
        "the columns are {}",
        Column::ALL.map(Column::name).join(", ")
    )
}

/// How to give the rows of a table a treaty.
fn name_the_treaty(path: &Path, stem: &str, treaties: &BTreeSet<&str>) -> String {
    let folder = path
        .parent()
        .map_or(String::new(), |p| crate::source::slash_path(p) + "/");
    match did_you_mean(stem, treaties.iter().copied()) {
        Some(best) => format!(
            "add a `treaty` column, or name the file after its treaty: did you mean \
             `{folder}{best}.csv`?"
        ),
        None => format!(
            "add a `treaty` column, or name the file after its treaty: \
             `{folder}<treaty-slug>.csv`"
        ),
    }
}

impl Table<'_> {
    /// The cell of `column` in `row`, unless the table has no such column or the cell is empty.
    fn cell<'r>(&self, row: &'r Row, column: Column) -> Option<Cell<'r>> {
        let index = self.columns[column as usize]?;
        let text = row.cells.get(index)?.trim();
        (!text.is_empty()).then(|| Cell {
            text,
            at: &row.at[index],
        })
    }

    fn error(&self, at: &Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(at.clone(), message).with_source_line(&self.file.text)
    }

    /// The checked value, or none with its problem reported (with the line it is on).
    fn report<T>(
        &self,
        checked: Result<T, Diagnostic>,
        diagnostics: &mut Diagnostics,
    ) -> Option<T> {
        checked
            .map_err(|d| diagnostics.push(d.with_source_line(&self.file.text)))
            .ok()
    }

    /// The cell of a required column; an empty one is reported. (A column the table lacks is
    /// reported once, at the header.)
    fn required<'r>(
        &self,
        row: &'r Row,
        column: Column,
        diagnostics: &mut Diagnostics,
    ) -> Option<Cell<'r>> {
        let cell = self.cell(row, column);
        if cell.is_none()
            && let Some(index) = self.columns[column as usize]
        {
            diagnostics.push(
                self.error(
                    &row.at[index],
                    format!("this row's `{}` cell is empty", column.name()),
                )
                .with_hint("every row needs a `country`, a `stage` and a `date`"),
            );
        }
        cell
    }

    /// The event of a row, when all its cells are good; every problem of the row is reported.
    fn event(&self, row: &Row, diagnostics: &mut Diagnostics) -> Option<ReportedEvent> {
        if row.cells.len() != self.width {
            let at = row.at.get(self.width).or(row.at.last())?;
            diagnostics.push(
                self.error(
                    at,
                    format!(
                        "this row has {} cells, but the header row names {} columns",
                        row.cells.len(),
                        self.width
                    ),
                )
                .with_hint(
                    "give every row one cell a column, empty or not, and put a cell that holds \
                     a comma in double quotes",
                ),
            );
            return None;
        }
        let country = self
            .required(row, Column::Country, diagnostics)
            .and_then(|c| {
                let code = event_country(c.text, self.countries, || c.at.clone());
                Some((self.report(code, diagnostics)?, c.at.clone()))
            });
        let stage = self
            .required(row, Column::Stage, diagnostics)
            .and_then(|c| self.report(event_stage(c.text, || c.at.clone()), diagnostics));
        let date = self
            .required(row, Column::Date, diagnostics)
            .and_then(|c| self.report(event_date(c.text, || c.at.clone()), diagnostics));
        let treaty = self.treaty(row, diagnostics);
        let sources = self.sources(row, diagnostics);
        let disputed = self.disputed(row, diagnostics);
        let text = |column| self.cell(row, column).map(|c| c.text.to_string());
        let (country, location) = country?;
        Some(ReportedEvent {
            treaty: treaty?,
            country,
            stage: stage?,
            date: date?,
            label: text(Column::Label),
            note: text(Column::Note),
            sources: sources?,
            disputed: disputed?,
            location,
        })
    }

    /// The row's treaty: its `treaty` cell, else the one the file is named after.
    fn treaty(&self, row: &Row, diagnostics: &mut Diagnostics) -> Option<Slug> {
        if let Some(c) = self.cell(row, Column::Treaty) {
            let treaty = event_treaty(c.text, self.treaties, || c.at.clone());
            return self.report(treaty, diagnostics);
        }
        // Without the column the header has said it once.
        if self.default_treaty.is_none()
            && let Some(index) = self.columns[Column::Treaty as usize]
        {
            diagnostics.push(
                self.error(&row.at[index], "this row's `treaty` cell is empty")
                    .with_hint(name_the_treaty(
                        &self.file.path,
                        &self.file.stem,
                        self.treaties,
                    )),
            );
        }
        self.default_treaty.clone()
    }

    /// The row's source: a `source` address, with a `source_title` when there is one. An
    /// address that is not a web address is a warning, as in an article.
    fn sources(&self, row: &Row, diagnostics: &mut Diagnostics) -> Option<Vec<Source>> {
        let title = self.cell(row, Column::SourceTitle);
        let Some(url) = self.cell(row, Column::Source) else {
            if let Some(title) = title {
                diagnostics.push(
                    self.error(title.at, "this row has a `source_title` but no `source`")
                        .with_hint("write the source's address in the `source` cell"),
                );
                return None;
            }
            return Some(Vec::new());
        };
        if let Err(problem) = check_source_url(url.text) {
            diagnostics.push(
                Diagnostic::warning(url.at.clone(), problem)
                    .with_source_line(&self.file.text)
                    .with_hint("a source is a full web address starting with https:// or http://"),
            );
        }
        let title = title.map(|t| t.text.to_string());
        Some(vec![Source::new(url.text.to_string(), title)])
    }

    /// `true` or `false` in any case (spreadsheets write `TRUE`); empty is `false`.
    fn disputed(&self, row: &Row, diagnostics: &mut Diagnostics) -> Option<bool> {
        let Some(c) = self.cell(row, Column::Disputed) else {
            return Some(false);
        };
        if c.text.eq_ignore_ascii_case("true") {
            Some(true)
        } else if c.text.eq_ignore_ascii_case("false") {
            Some(false)
        } else {
            diagnostics.push(
                self.error(c.at, format!("`{}` is not `true` or `false`", c.text))
                    .with_hint(
                        "write `true` when the date or stage is contested; otherwise `false`, \
                         or leave the cell empty",
                    ),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::model::Stage;

    const TREATIES: [&str; 2] = ["paris-agreement", "kyoto-protocol"];

    /// The events and the problems of `text` read as `content/events/<name>.csv`.
    fn read(name: &str, text: &str) -> (Vec<ReportedEvent>, Vec<Diagnostic>) {
        let file = TableFile {
            path: PathBuf::from(format!("content/events/{name}.csv")),
            stem: name.to_string(),
            text: text.to_string(),
        };
        let treaties = BTreeSet::from(TREATIES);
        let mut diagnostics = Diagnostics::new();
        let table = table(&file, &treaties, &Countries::default(), &mut diagnostics);
        assert_eq!(table.path, file.path);
        (table.events, diagnostics.iter().cloned().collect())
    }

    /// Each problem as `line:column message`.
    fn places(problems: &[Diagnostic]) -> Vec<String> {
        problems
            .iter()
            .map(|d| format!("{}:{} {}", d.location.line, d.location.column, d.message))
            .collect()
    }

    #[test]
    fn every_column_in_any_order_makes_an_event() {
        let (events, problems) = read(
            "events",
            "disputed,source_title,source,note,label,date,stage,country,treaty\n\
             TRUE,UN Treaty Collection,https://treaties.un.org/x,By decree,Approval,2016-10-05,\
             ratified,fr,paris-agreement\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let [event] = events.as_slice() else {
            panic!("one event: {events:?}")
        };
        assert_eq!(event.treaty, "paris-agreement");
        assert_eq!(event.country.code(), "FR");
        assert_eq!(event.stage, Stage::Ratified);
        assert_eq!(event.date.written(), "2016-10-05");
        assert_eq!(event.label.as_deref(), Some("Approval"));
        assert_eq!(event.note.as_deref(), Some("By decree"));
        assert_eq!(
            event.sources,
            [Source::new(
                "https://treaties.un.org/x".to_string(),
                Some("UN Treaty Collection".to_string())
            )]
        );
        assert!(event.disputed);
        // An event is placed at its row's `country` cell.
        assert_eq!((event.location.line, event.location.column), (2, 92));
    }

    #[test]
    fn a_table_named_after_a_treaty_needs_no_treaty_column() {
        let (events, problems) = read(
            "paris-agreement",
            "country,stage,date\nFR,signed,2016-04-22\nDE,signed,2016-04\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(events.len(), 2);
        assert!(events.iter().all(|e| e.treaty == "paris-agreement"));
        assert_eq!(events[1].date.written(), "2016-04");
        // An empty cell takes the file's treaty; another treaty may be named in a row.
        let (events, problems) = read(
            "paris-agreement",
            "treaty,country,stage,date\n,FR,signed,2016-04-22\nkyoto-protocol,FR,signed,1998\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let treaties: Vec<&str> = events.iter().map(|e| e.treaty.as_str()).collect();
        assert_eq!(treaties, ["paris-agreement", "kyoto-protocol"]);
    }

    #[test]
    fn without_a_treaty_from_the_column_or_the_file_name_rows_have_none() {
        let (events, problems) = read(
            "paris-agrement",
            "country,stage,date\nFR,signed,2016-04-22\n",
        );
        assert!(events.is_empty());
        assert_eq!(
            places(&problems),
            [
                "1:1 this table names no treaty: it has no `treaty` column, and its file name \
              `paris-agrement` is not a treaty's"
            ]
        );
        assert_eq!(
            problems[0].hint.as_deref(),
            Some(
                "add a `treaty` column, or name the file after its treaty: did you mean \
                 `content/events/paris-agreement.csv`?"
            )
        );
        let (events, problems) = read(
            "2016",
            "treaty,country,stage,date\n,FR,signed,2016-04-22\nparis-agreement,DE,signed,2016\n",
        );
        assert_eq!(events.len(), 1);
        assert_eq!(places(&problems), ["2:1 this row's `treaty` cell is empty"]);
    }

    #[test]
    fn an_unknown_treaty_is_placed_at_its_cell_with_a_hint() {
        let (events, problems) = read(
            "events",
            "country,treaty,stage,date\nFR,pariss-agreement,signed,2016-04-22\n",
        );
        assert!(events.is_empty());
        assert_eq!(places(&problems), ["2:4 unknown treaty `pariss-agreement`"]);
        assert_eq!(
            problems[0].hint.as_deref(),
            Some("did you mean `paris-agreement`?")
        );
        assert_eq!(
            problems[0].snippet.as_deref(),
            Some("FR,pariss-agreement,signed,2016-04-22")
        );
    }

    #[test]
    fn a_missing_required_column_is_reported_once_at_the_header() {
        let (events, problems) = read(
            "paris-agreement",
            "country,date\nFR,2016-04-22\nDE,2016-04-22\n",
        );
        assert!(events.is_empty());
        assert_eq!(places(&problems), ["1:1 this table has no `stage` column"]);
        assert_eq!(problems[0].snippet.as_deref(), Some("country,date"));
    }

    #[test]
    fn an_unknown_column_is_an_error_with_the_nearest_name() {
        let (events, problems) = read(
            "paris-agreement",
            "country,stage,date,sources,remarks\nFR,signed,2016-04-22,https://x.org/,\n",
        );
        assert_eq!(
            places(&problems),
            [
                "1:20 unknown column `sources`",
                "1:28 unknown column `remarks`"
            ]
        );
        assert_eq!(problems[0].hint.as_deref(), Some("did you mean `source`?"));
        assert!(
            problems[1]
                .hint
                .as_deref()
                .is_some_and(|h| h.starts_with("the columns are treaty, country, stage")),
            "{problems:?}"
        );
        // The build fails on the errors; the row itself is good.
        assert_eq!(events.len(), 1);
    }

    #[test]
    fn every_bad_cell_of_every_row_is_placed_and_good_rows_are_kept() {
        let (events, problems) = read(
            "paris-agreement",
            "country,stage,date,disputed\n\
             UK,signed,2016-04-22,\n\
             FR,sined,2016-02-30,maybe\n\
             DE,signed,2016-04-22,false\n\
             IT,signed,,\n",
        );
        let countries: Vec<&str> = events.iter().map(|e| e.country.code()).collect();
        assert_eq!(countries, ["DE"]);
        assert_eq!(
            places(&problems),
            [
                "2:1 unknown country code `UK`",
                "3:4 unknown stage `sined`",
                "3:10 `2016-02-30` is not a real calendar date",
                "3:21 `maybe` is not `true` or `false`",
                "5:11 this row's `date` cell is empty",
            ]
        );
        let hints: Vec<&str> = problems.iter().filter_map(|d| d.hint.as_deref()).collect();
        assert_eq!(hints[0], "did you mean `GB` (United Kingdom)?");
        assert_eq!(hints[1], "did you mean `signed`?");
        assert!(hints[2].starts_with("write the date the event happened as YYYY-MM-DD"));
        assert!(problems.iter().all(|d| d.snippet.is_some()));
    }

    #[test]
    fn a_quoted_cell_over_several_lines_keeps_the_places_after_it() {
        let (events, problems) = read(
            "paris-agreement",
            "country,note,stage,date\n\
             FR,\"Signed in Paris,\nafter a \"\"long\"\" night\",signed,2016-13-01\n\
             \n\
             DE,\"One line\", signed ,2016-04-22x\n",
        );
        assert!(events.is_empty());
        assert_eq!(
            places(&problems),
            [
                "3:32 `2016-13-01` is not a real calendar date",
                "5:24 `2016-04-22x` is not a date (YYYY-MM-DD) or an RFC 3339 timestamp",
            ]
        );
        assert_eq!(
            problems[0].snippet.as_deref(),
            Some("after a \"\"long\"\" night\",signed,2016-13-01")
        );
        let (events, _) = read(
            "paris-agreement",
            "country,note,stage,date\nFR,\"Signed in Paris,\nat night\",signed,2016-04-22\n",
        );
        assert_eq!(
            events[0].note.as_deref(),
            Some("Signed in Paris,\nat night")
        );
    }

    #[test]
    fn a_row_of_the_wrong_width_is_an_error_and_blank_rows_are_skipped() {
        let (events, problems) = read(
            "paris-agreement",
            "country,stage,date\nFR,signed,2016-04-22,extra\n,,\n\nDE,signed,2016-04-22\n",
        );
        assert_eq!(events.len(), 1);
        assert_eq!(
            places(&problems),
            ["2:22 this row has 4 cells, but the header row names 3 columns"]
        );
        let (_, problems) = read("paris-agreement", "\n");
        assert_eq!(places(&problems), ["0:0 this table has no header row"]);
    }

    #[test]
    fn a_source_that_is_not_a_web_address_is_a_warning_and_a_title_needs_one() {
        let (events, problems) = read(
            "paris-agreement",
            "country,stage,date,source,source_title\n\
             FR,signed,2016-04-22,ftp://example.org/x,\n\
             DE,signed,2016-04-22,,A title\n",
        );
        assert_eq!(events.len(), 1);
        assert_eq!(
            places(&problems),
            [
                "2:22 the source `ftp://example.org/x` is not a web address (scheme `ftp`)",
                "3:23 this row has a `source_title` but no `source`",
            ]
        );
        assert!(!problems[0].is_error() && problems[1].is_error());
    }

    #[test]
    fn cells_are_found_as_the_csv_reader_splits_them() {
        let text = "a,\"b,\"\"c\"\"\" ,d\n\"x\ny\",z\n";
        assert_eq!(cell_starts(text, 0), [0, 3, 13]);
        assert_eq!(cell_starts(text, 15), [16, 21]);
        // From the line end before a record, as the reader's position may be.
        assert_eq!(cell_starts(text, 14), [16, 21]);
        let mut lines = Lines::new("ab\ncdé,f\n");
        assert_eq!(lines.locate(1), (1, 2));
        assert_eq!(lines.locate(7), (2, 4));
    }
}
