//! The build day, and what it bounds.
//!
//! A date after the build day is a warning, and an event past it that records a step taken
//! (anything from `agreed-in-principle` on) is an error: the current members table shows the
//! state on the newest event's day, so a future signing would be published as today's fact.
//! Talks and announcements are only warned about. The as-of pages stop at the build day's
//! year, and skip long stretches without events: a date in the year 9999, or a founding in the
//! year 1, must not make a build write one page per year in between, each linking to all.
//!
//! Pure: the build day is given (by the clock, or `TREATYLINE_TODAY`, read by the caller).

use std::cell::LazyCell;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use jiff::civil::Date;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::model::{SiteModel, Stage};
use crate::source::{SiteSources, SourceFile};
use crate::yaml;

/// At most this many years in a row without an event still get as-of pages, so that a reader
/// can step through a treaty's active years one by one; a longer quiet stretch gets none.
const QUIET_YEARS: i16 = 10;

/// A history longer than this many years gets as-of pages for its years with events only:
/// every as-of page links to every other, so their number must stay near the events'.
const FILLED_HISTORY: i16 = 150;

/// The day a build takes as today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildDay {
    today: Date,
}

impl BuildDay {
    /// `today` taken as the build day.
    pub fn new(today: Date) -> BuildDay {
        BuildDay { today }
    }

    /// Today in UTC, by the clock.
    pub fn from_clock() -> BuildDay {
        BuildDay::new(
            jiff::tz::TimeZone::UTC
                .to_datetime(jiff::Timestamp::now())
                .date(),
        )
    }

    /// The last day that is not in the future: the day after the build day, since the build
    /// day is taken in UTC and a time zone ahead of it may already have reached tomorrow.
    pub fn latest(self) -> Date {
        self.today.tomorrow().unwrap_or(self.today)
    }

    /// The last year that gets as-of and year pages.
    pub fn last_year(self) -> i16 {
        self.latest().year()
    }
}

/// The years of a treaty's as-of pages: those of `marks` (its events' years, and its
/// founding's) up to `last_year`, with the quiet years between two of them when there are
/// at most [`QUIET_YEARS`] in a row and the whole spans at most [`FILLED_HISTORY`] years. So
/// a treaty has at most 150 as-of pages, or one per year with an event.
pub fn as_of_years(marks: impl IntoIterator<Item = i16>, last_year: i16) -> Vec<i16> {
    let marked: BTreeSet<i16> = marks.into_iter().filter(|y| *y <= last_year).collect();
    let filled = match (marked.first(), marked.last()) {
        (Some(first), Some(last)) => last - first < FILLED_HISTORY,
        _ => false,
    };
    let mut years = Vec::new();
    let mut previous: Option<i16> = None;
    for year in marked {
        if let Some(before) = previous
            && filled
            && year - before - 1 <= QUIET_YEARS
        {
            years.extend(before + 1..year);
        }
        years.push(year);
        previous = Some(year);
    }
    years
}

/// Reports every date of the model after the build day: articles, treaties' foundings and
/// events. See the module's comment for which are errors.
pub fn check_dates(
    model: &SiteModel,
    sources: &SiteSources,
    day: BuildDay,
    diagnostics: &mut Diagnostics,
) {
    let latest = day.latest();
    // Only a date in the future needs its file's text: the index of a large site's files is
    // made when one is found, not on every build.
    let files = LazyCell::new(|| -> HashMap<&Path, &SourceFile> {
        (sources.files.iter())
            .map(|f| (f.path.as_path(), f))
            .collect()
    });
    let future = |what: &str, date: &str| {
        format!(
            "{what} is dated {date}, after the build day ({})",
            day.today
        )
    };
    for treaty in model.treaties.iter().filter(|t| t.established > latest) {
        let established = treaty.established.to_string();
        let at = place(&files, &treaty.path, "established", &established, None);
        diagnostics.push(
            at.warning(future("this treaty's founding", &established))
                .with_hint("check the founding date's year"),
        );
    }
    for article in &model.articles {
        if article.date > latest {
            let date = article.date.to_string();
            let at = place(&files, &article.path, "date", &date, None);
            diagnostics.push(
                at.warning(future("this article", &date))
                    .with_hint("check the year; an article is dated the day it was published"),
            );
        }
        // A date known only to its month or year is in the future when all of it is.
        for event in article
            .events
            .iter()
            .filter(|e| e.date.first_day() > latest)
        {
            let line = Some(event.location.line);
            let written = event.date.written();
            let at = place(&files, &article.path, "date", &written, line);
            let what = format!("this `{}` event", event.stage.id());
            let message = future(&what, &written);
            diagnostics.push(if matches!(event.stage, Stage::Talks | Stage::Announced) {
                at.warning(message)
                    .with_hint("check the year; an event is dated the day it happened")
            } else {
                at.error(message).with_hint(
                    "a stage records a step taken: check the year, or tell of a step still to \
                     come in the text or a `note` and add the event once it has happened",
                )
            });
        }
    }
    // A table's row is placed at its `country` cell; its line is attached with the others'.
    for table in &model.tables {
        for event in table.events.iter().filter(|e| e.date.first_day() > latest) {
            let what = format!("this `{}` event", event.stage.id());
            let message = future(&what, &event.date.written());
            let at = event.location.clone();
            diagnostics.push(if matches!(event.stage, Stage::Talks | Stage::Announced) {
                Diagnostic::warning(at, message)
            } else {
                Diagnostic::error(at, message)
                    .with_hint("a stage records a step taken: check the year in the date cell")
            });
        }
    }
}

/// Where a date is written in a file, for a diagnostic.
struct Place<'a> {
    location: Location,
    file: Option<&'a SourceFile>,
}

impl Place<'_> {
    fn warning(self, message: String) -> Diagnostic {
        self.finish(Diagnostic::warning(self.location.clone(), message))
    }

    fn error(self, message: String) -> Diagnostic {
        self.finish(Diagnostic::error(self.location.clone(), message))
    }

    fn finish(&self, diagnostic: Diagnostic) -> Diagnostic {
        match self.file {
            Some(file) => diagnostic.with_source_line(&file.text),
            None => diagnostic,
        }
    }
}

/// The place of `key: date` in the file at `path`: of those written, the indented one nearest
/// to the file line `near` (an event's), or without one the top-level key; the file itself
/// when the date is written in another form (a timestamp).
fn place<'a>(
    files: &HashMap<&Path, &'a SourceFile>,
    path: &Path,
    key: &str,
    date: &str,
    near: Option<usize>,
) -> Place<'a> {
    let Some(file) = files.get(path).copied() else {
        return Place {
            location: Location::file(path),
            file: None,
        };
    };
    let yaml = file.front_matter().unwrap_or("");
    let offset = file.front_matter_line - 1;
    let found = yaml::find_value(yaml, key, date);
    let best = match near {
        // An event's date is indented, and most often written after its `country:` line.
        Some(line) => found
            .iter()
            .filter(|(_, column)| *column != key.len() + 3)
            .min_by_key(|(l, _)| (l + offset < line, (l + offset).abs_diff(line))),
        // A top-level key starts its line: its value is after `key: `.
        None => found.iter().find(|(_, column)| *column == key.len() + 3),
    };
    match best.or(found.first()) {
        Some((line, column)) => Place {
            location: Location::new(&file.path, line + offset, *column),
            file: Some(file),
        },
        None => Place {
            location: Location::file(&file.path),
            file: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_of_years_skip_long_quiet_stretches_and_the_future() {
        assert_eq!(as_of_years([2020, 2023], 2026), [2020, 2021, 2022, 2023]);
        assert_eq!(as_of_years([1, 2020, 9999], 2026), [1, 2020]);
        assert_eq!(
            as_of_years([2000, 2011], 2026),
            (2000..=2011).collect::<Vec<_>>()
        );
        assert_eq!(as_of_years([2000, 2012], 2026), [2000, 2012]);
        assert!(as_of_years([2030], 2026).is_empty());
        // A long history gets pages for its years with events only.
        let decades: Vec<i16> = (0..=20).map(|i| 1800 + i * 10).collect();
        assert_eq!(as_of_years(decades.clone(), 2026), decades);
        assert_eq!(as_of_years([1800, 1805, 2020], 2026), [1800, 1805, 2020]);
        assert_eq!(as_of_years([1800, 1805, 2020], 2019).len(), 6);
    }

    #[test]
    fn the_last_day_not_in_the_future_is_tomorrow() {
        let day = BuildDay::new(Date::constant(2026, 12, 31));
        assert_eq!(day.latest(), Date::constant(2027, 1, 1));
        assert_eq!(day.last_year(), 2027);
    }
}
