//! The rules across files: events from every article merged into one timeline per treaty.
//!
//! treaty -> country -> events in date order. Reports of the same treaty, country, stage,
//! label and date in several articles are one event with several reports; the same step with
//! different dates is a conflict; stages may only move forward until a suspension or a
//! withdrawal (CONTENT-FORMAT.md). Pure: no I/O, no rendering.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Article, Country, SiteModel, Slug, Source, Stage};

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
    pub treaty: Slug,
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
    pub treaties: BTreeMap<Slug, TreatyTimeline>,
}

impl Timeline {
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

type StepKey = (Slug, Country, Stage, Option<String>);

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

    let mut tracks: BTreeMap<(Slug, Country), Vec<Event>> = BTreeMap::new();
    for ((treaty, country, stage, label), mut dated) in steps {
        if dated.len() > 1 {
            diagnostics.push(conflict(&dated, stage, label.as_deref()));
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
        check_order(&events, diagnostics);
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

fn conflict(dated: &[Event], stage: Stage, label: Option<&str>) -> Diagnostic {
    let first = &dated[0];
    let other = &dated[1];
    let step = match label {
        Some(label) => format!("`{stage}` (\"{label}\")"),
        None => format!("`{stage}`"),
    };
    let first_report = &first.reports[0];
    let other_report = &other.reports[0];
    Diagnostic::error(
        other_report.location.clone(),
        format!(
            "{} of {} in `{}` is dated {} here but {} in {}",
            step,
            first.country.code(),
            first.treaty,
            other.date,
            first.date,
            crate::source::slash_path(&first_report.location.path),
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
fn check_order(events: &[Event], diagnostics: &mut Diagnostics) {
    let mut furthest: Option<&Event> = None;
    for event in events {
        if let Some(before) = furthest
            && !before.stage.ends_progression()
            && event.stage < before.stage
        {
            if !(event.disputed || before.disputed) {
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::diagnostic::Location;
    use crate::model::{ArticleEvent, Countries};

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    /// A country's status in a treaty on a day.
    fn status_on(timeline: &Timeline, treaty: &str, country: Country, day: Date) -> Option<Stage> {
        let track = timeline
            .treaty(treaty)?
            .tracks
            .iter()
            .find(|t| t.country == country)?;
        track.status_on(day).map(|e| e.stage)
    }

    fn event(
        country: &str,
        stage: Stage,
        on: &str,
        label: Option<&str>,
        line: usize,
    ) -> ArticleEvent {
        ArticleEvent {
            treaty: crate::model::Slug::parse("t").unwrap(),
            country: Countries::default().lookup(country).unwrap(),
            stage,
            date: date(on),
            label: label.map(str::to_string),
            note: None,
            sources: vec![Source::new("https://example.org/s".into(), None)],
            disputed: false,
            location: Location::new("a.md", line, 1),
        }
    }

    fn article(name: &str, mut events: Vec<ArticleEvent>) -> Article {
        let path = PathBuf::from(format!("content/articles/{name}.md"));
        for e in &mut events {
            e.location.path = path.clone();
        }
        Article {
            path,
            slug: Slug::parse(name).unwrap(),
            title: name.into(),
            date: date("2025-01-01"),
            author: None,
            summary: None,
            treaty: Some(Slug::parse("t").unwrap()),
            events,
            sources: Vec::new(),
            tags: Vec::new(),
            draft: false,
            body: String::new(),
        }
    }

    fn timeline_of(articles: Vec<Article>) -> (Timeline, Diagnostics) {
        let model = SiteModel {
            articles,
            ..SiteModel::default()
        };
        let mut diagnostics = Diagnostics::new();
        (build(&model, &mut diagnostics), diagnostics)
    }

    #[test]
    fn joiners_are_ordered_by_their_first_event() {
        let (timeline, d) = timeline_of(vec![article(
            "a",
            vec![
                event("KZ", Stage::Announced, "2025-11-06", None, 1),
                event("AE", Stage::Announced, "2020-08-13", None, 2),
                event("BH", Stage::Announced, "2020-09-11", None, 3),
            ],
        )]);
        assert!(!d.has_errors(), "{}", d.report());
        let order: Vec<&str> = timeline
            .treaty("t")
            .unwrap()
            .tracks
            .iter()
            .map(|t| t.country.code())
            .collect();
        assert_eq!(order, ["AE", "BH", "KZ"]);
    }

    #[test]
    fn status_as_of_a_date_is_the_latest_stage_reached_then() {
        let (timeline, _) = timeline_of(vec![article(
            "a",
            vec![
                event("SD", Stage::Announced, "2020-10-23", None, 1),
                event("SD", Stage::Signed, "2021-01-06", None, 2),
                event("SD", Stage::Suspended, "2021-10-25", None, 3),
                event("SD", Stage::AgreedInPrinciple, "2023-02-02", None, 4),
                event("KZ", Stage::Announced, "2025-11-06", None, 5),
                event("KZ", Stage::AgreedInPrinciple, "2025-11-06", None, 6),
            ],
        )]);
        let sd = Countries::default().lookup("SD").unwrap();
        let kz = Countries::default().lookup("KZ").unwrap();
        assert_eq!(status_on(&timeline, "t", sd, date("2020-10-22")), None);
        assert_eq!(
            status_on(&timeline, "t", sd, date("2020-12-31")),
            Some(Stage::Announced)
        );
        assert_eq!(
            status_on(&timeline, "t", sd, date("2021-01-06")),
            Some(Stage::Signed)
        );
        assert_eq!(
            status_on(&timeline, "t", sd, date("2022-06-01")),
            Some(Stage::Suspended)
        );
        // After a suspension a new progression may begin: no order error.
        assert_eq!(
            status_on(&timeline, "t", sd, date("2024-01-01")),
            Some(Stage::AgreedInPrinciple)
        );
        // Two stages on one day: the furthest counts.
        assert_eq!(
            status_on(&timeline, "t", kz, date("2025-11-06")),
            Some(Stage::AgreedInPrinciple)
        );
        let members: Vec<&str> = timeline
            .treaty("t")
            .unwrap()
            .members_on(date("2021-12-31"))
            .iter()
            .map(|(t, _)| t.country.code())
            .collect();
        assert_eq!(members, ["SD"]);
    }

    #[test]
    fn the_same_event_in_two_articles_is_one_event_with_two_reports() {
        let (timeline, d) = timeline_of(vec![
            article("a", vec![event("MA", Stage::Signed, "2020-12-22", None, 1)]),
            article("b", vec![event("MA", Stage::Signed, "2020-12-22", None, 7)]),
        ]);
        assert!(!d.has_errors(), "{}", d.report());
        let track = &timeline.treaty("t").unwrap().tracks[0];
        assert_eq!(track.events.len(), 1);
        assert_eq!(track.events[0].reports.len(), 2);
    }

    #[test]
    fn the_same_step_with_two_dates_is_a_conflict_naming_both_files() {
        let (_, d) = timeline_of(vec![
            article("a", vec![event("MA", Stage::Signed, "2020-12-22", None, 1)]),
            article("b", vec![event("MA", Stage::Signed, "2020-12-23", None, 7)]),
        ]);
        assert_eq!(d.error_count(), 1);
        let report = d.report();
        assert!(report.contains("content/articles/a.md"), "{report}");
        assert!(report.contains("content/articles/b.md"), "{report}");
    }

    #[test]
    fn labelled_steps_of_one_stage_are_separate_and_backwards_stages_are_errors() {
        let (timeline, d) = timeline_of(vec![article(
            "a",
            vec![
                event("AE", Stage::Ratified, "2020-10-12", Some("Cabinet"), 1),
                event("AE", Stage::Ratified, "2020-10-15", Some("Knesset"), 2),
            ],
        )]);
        assert!(!d.has_errors());
        assert_eq!(timeline.treaty("t").unwrap().tracks[0].events.len(), 2);

        let (_, d) = timeline_of(vec![article(
            "a",
            vec![
                event("AE", Stage::Signed, "2020-09-15", None, 1),
                event("AE", Stage::Announced, "2020-10-01", None, 2),
            ],
        )]);
        assert_eq!(d.error_count(), 1, "{}", d.report());
        assert!(d.report().contains("moves backwards"));
    }
}
