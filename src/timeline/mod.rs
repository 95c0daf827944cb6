//! The rules across files: every article's and table's events merged into one timeline per
//! treaty, as treaty -> country -> events in date order.
//!
//! Reports of the same treaty, country, stage, label and date are one event with several
//! reports. A country's events fall into membership periods, each ended by a withdrawal; the
//! same step at two dates within a period is a conflict, while a step taken again in a later
//! period is a rejoin. Stages only move forward until a notice of withdrawal, a suspension or
//! a withdrawal. A treaty's entry-into-force rule derives the in-force step of each period that
//! has a ratification and none written (CONTENT-FORMAT.md, versions 1 and 2). `build` applies
//! the rules; this module holds what they make and answers questions about any day. Pure: no
//! I/O, no rendering.

mod build;

use std::collections::BTreeMap;

use jiff::civil::Date;

pub use build::build;

use crate::diagnostic::Location;
use crate::model::{Country, EventDate, Membership, Precision, Slug, Source, Stage};

/// One report of an event: an article's (by index into `SiteModel::articles`) or a table
/// row's (`article` is none).
#[derive(Debug, Clone)]
pub struct Report {
    pub article: Option<usize>,
    pub location: Location,
    /// The sources written with the reported event itself (not its article's).
    pub sources: Vec<Source>,
}

/// A membership step, with every article or table row that reports it.
#[derive(Debug, Clone)]
pub struct Event {
    pub treaty: Slug,
    pub country: Country,
    pub stage: Stage,
    pub label: Option<String>,
    /// The day the step counts from: the day itself, or the last day of a month or year when
    /// only that is known (`precision`).
    pub date: Date,
    pub precision: Precision,
    /// The first report's note that has one (reports are in publication order).
    pub note: Option<String>,
    pub disputed: bool,
    /// None for a step derived from the treaty's entry-into-force rule.
    pub reports: Vec<Report>,
    /// The events' own sources, or the reporting articles' when an event has none; no duplicates.
    pub sources: Vec<Source>,
    /// The country's membership period the step belongs to, from 1.
    pub period: u32,
    /// Derived from the treaty's entry-into-force rule rather than reported.
    pub derived: bool,
}

/// What makes a merged event one event: treaty, country, stage, label and date.
pub type EventKey<'a> = (&'a str, Country, Stage, Option<&'a str>, Date);

impl Event {
    pub fn key(&self) -> EventKey<'_> {
        (
            &self.treaty,
            self.country,
            self.stage,
            self.label.as_deref(),
            self.date,
        )
    }

    /// The date as far as it is known.
    pub fn event_date(&self) -> EventDate {
        EventDate {
            day: self.date,
            precision: self.precision,
        }
    }

    /// A stable id, unique across treaties: `<treaty>-<code>-<stage>-<date>[-<label>]`.
    pub fn id(&self) -> String {
        let mut id = format!(
            "{}-{}-{}-{}",
            self.treaty,
            self.country.code_lower(),
            self.stage.id(),
            self.event_date().written()
        );
        if let Some(label) = &self.label {
            id.push('-');
            id.push_str(&crate::model::slugify(label));
        }
        if self.derived {
            id.push_str("-derived");
        }
        id
    }
}

/// One country's events in one treaty, in date order (same day: full dates first, then stage
/// order).
#[derive(Debug, Clone)]
pub struct Track {
    pub country: Country,
    pub events: Vec<Event>,
}

impl Track {
    /// The event that gives the country's status on `day`: its latest on or before that day,
    /// the furthest stage when several fall on the same day.
    pub fn status_on(&self, day: Date) -> Option<&Event> {
        self.events.iter().take_while(|e| e.date <= day).last()
    }

    /// The current status: the latest event of all.
    pub fn status(&self) -> Option<&Event> {
        self.events.last()
    }

    pub fn first_date(&self) -> Date {
        self.events.first().map_or(Date::MAX, |e| e.date)
    }

    /// The membership periods, oldest first: each a run of events ended by a withdrawal.
    pub fn periods(&self) -> impl Iterator<Item = &[Event]> {
        self.events.chunk_by(|a, b| a.period == b.period)
    }

    /// The events of the period that gives the status on `day` (the last period when `day` is
    /// none), up to that day.
    pub fn period_on(&self, day: Option<Date>) -> &[Event] {
        let seen = match day {
            Some(day) => self.events.iter().take_while(|e| e.date <= day).count(),
            None => self.events.len(),
        };
        let Some(last) = seen.checked_sub(1) else {
            return &[];
        };
        let period = self.events[last].period;
        let start = self.events[..seen]
            .iter()
            .rposition(|e| e.period != period)
            .map_or(0, |i| i + 1);
        &self.events[start..seen]
    }

    /// The first time the country reached `stage` in `events` (a period, or part of one).
    pub fn first_reached(events: &[Event], stage: Stage) -> Option<&Event> {
        events.iter().find(|e| e.stage == stage)
    }

    /// The first day the country counted as a member under `membership`, if it ever did.
    pub fn joined(&self, membership: &Membership) -> Option<Date> {
        self.events
            .iter()
            .find(|e| membership.is_member(e.stage))
            .map(|e| e.date)
    }
}

/// A treaty's countries, in the treaty's order (by name unless it says otherwise), and who
/// counts as its member.
#[derive(Debug, Clone, Default)]
pub struct TreatyTimeline {
    pub tracks: Vec<Track>,
    pub membership: Membership,
}

impl TreatyTimeline {
    /// Every country with a status on `day`, in order of joining, with the event giving it.
    pub fn members_on(&self, day: Date) -> Vec<(&Track, &Event)> {
        self.tracks
            .iter()
            .filter_map(|t| t.status_on(day).map(|e| (t, e)))
            .collect()
    }

    /// Every event of the treaty, newest first.
    pub fn events_newest_first(&self) -> Vec<&Event> {
        newest_first(self.tracks.iter().flat_map(|t| &t.events))
    }

    /// The newest event's date.
    pub fn as_of(&self) -> Option<Date> {
        self.tracks
            .iter()
            .filter_map(|t| t.events.last())
            .map(|e| e.date)
            .max()
    }

    /// The stages that occur in this treaty, in natural order.
    pub fn stages(&self) -> Vec<Stage> {
        let mut stages: Vec<Stage> = self
            .tracks
            .iter()
            .flat_map(|t| t.events.iter().map(|e| e.stage))
            .collect();
        stages.sort();
        stages.dedup();
        stages
    }
}

/// Every treaty's timeline, by treaty slug (treaties with no event have an empty one).
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// Each treaty's timeline, by its slug.
    pub treaties: BTreeMap<Slug, TreatyTimeline>,
}

impl Timeline {
    /// The timeline of the treaty with this slug, if the site has it.
    pub fn treaty(&self, slug: &str) -> Option<&TreatyTimeline> {
        self.treaties.get(slug)
    }

    /// Every event of every treaty, newest first.
    pub fn events_newest_first(&self) -> Vec<&Event> {
        newest_first(
            self.treaties
                .values()
                .flat_map(|t| t.tracks.iter().flat_map(|tr| &tr.events)),
        )
    }
}

/// Events newest first; on one day by treaty, then the furthest stage first, then country.
fn newest_first<'a>(events: impl Iterator<Item = &'a Event>) -> Vec<&'a Event> {
    let mut events: Vec<&Event> = events.collect();
    events.sort_by_key(|e| {
        let (treaty, country, stage, label, date) = e.key();
        std::cmp::Reverse((date, treaty, stage, country, label))
    });
    events
}

/// Countries with any event in any treaty, and the events per treaty, for country pages.
pub fn by_country(timeline: &Timeline) -> BTreeMap<Country, Vec<(&str, &Track)>> {
    let mut map: BTreeMap<Country, Vec<(&str, &Track)>> = BTreeMap::new();
    for (slug, treaty) in &timeline.treaties {
        for track in &treaty.tracks {
            map.entry(track.country)
                .or_default()
                .push((slug.as_str(), track));
        }
    }
    map
}
