//! The rules across files: events from every article merged into one timeline per treaty.
//!
//! treaty -> country -> events in date order. Reports of the same treaty, country, stage,
//! label and date in several articles are one event with several reports; the same step with
//! different dates is a conflict; stages may only move forward until a suspension or a
//! withdrawal (CONTENT-FORMAT.md). Pure: no I/O, no rendering.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Article, Country, SiteModel, Source, Stage};

/// One article's report of an event.
#[derive(Debug, Clone)]
pub struct Report {
    /// Index into `SiteModel::articles`.
    pub article: usize,
    pub location: crate::diagnostic::Location,
}

/// A membership step, with every article that reports it.
#[derive(Debug, Clone)]
pub struct Event {
    pub treaty: String,
    pub country: Country,
    pub stage: Stage,
    pub label: Option<String>,
    pub date: Date,
    /// The first report's note that has one (reports are in publication order).
    pub note: Option<String>,
    pub disputed: bool,
    pub reports: Vec<Report>,
    /// The events' own sources, or the reporting articles' when an event has none; no duplicates.
    pub sources: Vec<Source>,
}

impl Event {
    /// A stable id, unique across treaties: `<treaty>-<iso>-<stage>-<date>[-<label>]`.
    pub fn id(&self) -> String {
        let mut id = format!(
            "{}-{}-{}-{}",
            self.treaty,
            self.country.code_lower(),
            self.stage.id(),
            self.date
        );
        if let Some(label) = &self.label {
            id.push('-');
            id.push_str(&crate::model::slugify(label));
        }
        id
    }
}

/// One country's events in one treaty, in date order (same day: stage order).
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

    /// The first time the country reached `stage`.
    pub fn first_reached(&self, stage: Stage) -> Option<&Event> {
        self.events.iter().find(|e| e.stage == stage)
    }
}

/// A treaty's countries, in order of joining (date of their first event, then code).
#[derive(Debug, Clone, Default)]
pub struct TreatyTimeline {
    pub tracks: Vec<Track>,
}

impl TreatyTimeline {
    /// Every country with a status on `day`, in order of joining, with the event giving it.
    pub fn members_on(&self, day: Date) -> Vec<(&Track, &Event)> {
        self.tracks
            .iter()
            .filter_map(|t| t.status_on(day).map(|e| (t, e)))
            .collect()
    }

    pub fn track(&self, country: Country) -> Option<&Track> {
        self.tracks.iter().find(|t| t.country == country)
    }

    /// Every event of the treaty, newest first.
    pub fn events_newest_first(&self) -> Vec<&Event> {
        let mut events: Vec<&Event> = self.tracks.iter().flat_map(|t| &t.events).collect();
        events.sort_by(|a, b| {
            (b.date, b.stage, b.country, &b.label).cmp(&(a.date, a.stage, a.country, &a.label))
        });
        events
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
    pub treaties: BTreeMap<String, TreatyTimeline>,
}

impl Timeline {
    pub fn treaty(&self, slug: &str) -> Option<&TreatyTimeline> {
        self.treaties.get(slug)
    }

    /// A country's status in a treaty on a day.
    pub fn status_on(&self, treaty: &str, country: Country, day: Date) -> Option<Stage> {
        self.treaty(treaty)?
            .track(country)?
            .status_on(day)
            .map(|e| e.stage)
    }

    /// Every event of every treaty, newest first.
    pub fn events_newest_first(&self) -> Vec<&Event> {
        let mut events: Vec<&Event> = self
            .treaties
            .values()
            .flat_map(|t| t.tracks.iter().flat_map(|tr| &tr.events))
            .collect();
        events.sort_by(|a, b| {
            (b.date, &b.treaty, b.stage, b.country, &b.label)
                .cmp(&(a.date, &a.treaty, a.stage, a.country, &a.label))
        });
        events
    }
}

type StepKey = (String, Country, Stage, Option<String>);

/// Merges the events of every article and checks the rules across files.
pub fn build(model: &SiteModel, diagnostics: &mut Diagnostics) -> Timeline {
    let mut steps: BTreeMap<StepKey, Vec<Event>> = BTreeMap::new();
    for (index, article) in model.articles.iter().enumerate() {
        for reported in &article.events {
            let key = (
                reported.treaty.clone(),
                reported.country,
                reported.stage,
                reported.label.clone(),
            );
            let report = Report {
                article: index,
                location: reported.location.clone(),
            };
            let dated = steps.entry(key).or_default();
            match dated.iter_mut().find(|e| e.date == reported.date) {
                Some(event) => {
                    event.reports.push(report);
                    event.disputed |= reported.disputed;
                    if event.note.is_none() {
                        event.note.clone_from(&reported.note);
                    }
                }
                None => dated.push(Event {
                    treaty: reported.treaty.clone(),
                    country: reported.country,
                    stage: reported.stage,
                    label: reported.label.clone(),
                    date: reported.date,
                    note: reported.note.clone(),
                    disputed: reported.disputed,
                    reports: vec![report],
                    sources: Vec::new(),
                }),
            }
        }
    }

    let mut tracks: BTreeMap<(String, Country), Vec<Event>> = BTreeMap::new();
    for ((treaty, country, stage, label), mut dated) in steps {
        if dated.len() > 1 {
            diagnostics.push(conflict(&dated, stage, label.as_deref(), model));
            // Keep the first report's date so the rest of the build can go on.
            dated.truncate(1);
        }
        for mut event in dated {
            event.sources = sources_of(&event, &model.articles);
            if event.sources.is_empty() {
                let first = &event.reports[0];
                diagnostics.push(
                    Diagnostic::warning(
                        first.location.clone(),
                        format!(
                            "the `{}` event of {} has no source",
                            event.stage,
                            event.country.code()
                        ),
                    )
                    .with_hint("add `sources:` to the event or to the article"),
                );
            }
            tracks
                .entry((treaty.clone(), country))
                .or_default()
                .push(event);
        }
    }

    let mut timeline = Timeline::default();
    for treaty in &model.treaties {
        timeline
            .treaties
            .insert(treaty.slug.clone(), TreatyTimeline::default());
    }
    for ((treaty, country), mut events) in tracks {
        events.sort_by(|a, b| (a.date, a.stage, &a.label).cmp(&(b.date, b.stage, &b.label)));
        check_order(&events, model, diagnostics);
        timeline
            .treaties
            .entry(treaty)
            .or_default()
            .tracks
            .push(Track { country, events });
    }
    for treaty in timeline.treaties.values_mut() {
        treaty.tracks.sort_by_key(|t| (t.first_date(), t.country));
    }
    timeline
}

fn sources_of(event: &Event, articles: &[Article]) -> Vec<Source> {
    let mut sources: Vec<Source> = Vec::new();
    let mut push = |s: &Source| {
        if !sources.iter().any(|have| have.url == s.url) {
            sources.push(s.clone());
        }
    };
    for report in &event.reports {
        let article = &articles[report.article];
        let own: Vec<&Source> = article
            .events
            .iter()
            .filter(|e| e.location == report.location)
            .flat_map(|e| &e.sources)
            .collect();
        if own.is_empty() {
            article.sources.iter().for_each(&mut push);
        } else {
            own.into_iter().for_each(&mut push);
        }
    }
    sources
}

fn conflict(dated: &[Event], stage: Stage, label: Option<&str>, model: &SiteModel) -> Diagnostic {
    let first = &dated[0];
    let other = &dated[1];
    let step = match label {
        Some(label) => format!("`{stage}` (\"{label}\")"),
        None => format!("`{stage}`"),
    };
    let first_report = &first.reports[0];
    let other_report = &other.reports[0];
    let _ = model;
    Diagnostic::error(
        other_report.location.clone(),
        format!(
            "{} of {} in `{}` is dated {} here but {} in {}",
            step,
            first.country.code(),
            first.treaty,
            other.date,
            first.date,
            crate::model::display_path(&first_report.location.path),
        ),
    )
    .with_related(
        first_report.location.clone(),
        format!("dated {} here", first.date),
    )
    .with_hint(
        "correct one of the dates, or give each step its own `label` if they are different steps",
    )
}

/// Stages only move forward until a suspension or withdrawal, unless an event is disputed.
fn check_order(events: &[Event], model: &SiteModel, diagnostics: &mut Diagnostics) {
    let mut furthest: Option<&Event> = None;
    for event in events {
        if let Some(before) = furthest
            && !before.stage.ends_progression()
            && event.stage < before.stage
        {
            if !(event.disputed || before.disputed) {
                let _ = model;
                diagnostics.push(
                        Diagnostic::error(
                            event.reports[0].location.clone(),
                            format!(
                                "{} moves backwards in `{}`: `{}` on {} comes after `{}` on {}",
                                event.country.code(),
                                event.treaty,
                                event.stage,
                                event.date,
                                before.stage,
                                before.date,
                            ),
                        )
                        .with_related(before.reports[0].location.clone(), format!("`{}` on {} is here", before.stage, before.date))
                        .with_hint("check both dates; if the order is contested, add `disputed: true` to either event"),
                    );
            }
            continue;
        }
        furthest = Some(event);
    }
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

/// How many events each year has, for the years index.
pub fn events_per_year(timeline: &Timeline) -> HashMap<i16, usize> {
    let mut counts = HashMap::new();
    for event in timeline.events_newest_first() {
        *counts.entry(event.date.year()).or_insert(0) += 1;
    }
    counts
}
