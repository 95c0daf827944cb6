//! Makes the timeline: merges the reports of every article and table into events, splits each
//! country's events into membership periods, derives in-force steps, and checks the rules
//! across files. Every problem is a located diagnostic naming both places when two are
//! involved.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::{Event, Report, Timeline, Track, TreatyTimeline};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{
    Article, Country, CountryOrder, EntryIntoForce, EventDate, Precision, ReportedEvent, SiteModel,
    Slug, Source, Stage, Treaty,
};

/// Merges the events of every article and table and checks the rules across files.
pub fn build(model: &SiteModel, diagnostics: &mut Diagnostics) -> Timeline {
    // Grouped by hashing (a large site has hundreds of thousands of reports), then taken in
    // the order of treaty and country.
    let mut reported: HashMap<(&Slug, Country), Vec<(&ReportedEvent, Report)>> = HashMap::new();
    // Each article's reports are made (their places and sources copied) on every thread, then
    // grouped in the articles' order.
    let by_article: Vec<Vec<(&ReportedEvent, Report)>> = (model.articles.par_iter().enumerate())
        .with_max_len(crate::TASK_ITEMS)
        .map(|(index, article)| {
            (article.events.iter())
                .map(|event| {
                    let report = Report {
                        article: Some(index),
                        location: event.location.clone(),
                        sources: event.sources.clone(),
                    };
                    (event, report)
                })
                .collect()
        })
        .collect();
    for (event, report) in by_article.into_iter().flatten() {
        reported
            .entry((&event.treaty, event.country))
            .or_default()
            .push((event, report));
    }
    for table in &model.tables {
        for event in &table.events {
            let report = Report {
                article: None,
                location: event.location.clone(),
                sources: event.sources.clone(),
            };
            reported
                .entry((&event.treaty, event.country))
                .or_default()
                .push((event, report));
        }
    }

    let mut timeline = Timeline::default();
    for treaty in &model.treaties {
        timeline.treaties.insert(
            treaty.slug.clone(),
            TreatyTimeline {
                tracks: Vec::new(),
                membership: treaty.membership.clone(),
            },
        );
    }
    // Each country's track on its own, in parallel (a large site has thousands), then taken
    // with its problems in the order of treaty and country.
    let mut reported: Vec<_> = reported.into_iter().collect();
    reported.sort_unstable_by_key(|(key, _)| *key);
    let tracks: Vec<(&Slug, Track, Diagnostics)> = reported
        .into_par_iter()
        .map(|((slug, country), reports)| {
            let mut problems = Diagnostics::new();
            let events = track_events(reports, model.treaty(slug), model, &mut problems);
            (slug, Track { country, events }, problems)
        })
        .collect();
    for (slug, track, problems) in tracks {
        diagnostics.extend(problems);
        timeline
            .treaties
            .entry(slug.clone())
            .or_default()
            .tracks
            .push(track);
    }
    for (slug, treaty_timeline) in &mut timeline.treaties {
        let order = model.treaty(slug).map_or(CountryOrder::Name, |t| t.order);
        sort_tracks(treaty_timeline, order, model);
    }
    timeline
}

/// One country's events in one treaty: reports merged, periods numbered, conflicts reported,
/// in-force steps derived, and the order of stages checked.
fn track_events(
    mut reports: Vec<(&ReportedEvent, Report)>,
    treaty: Option<&Treaty>,
    model: &SiteModel,
    diagnostics: &mut Diagnostics,
) -> Vec<Event> {
    reports.sort_by(|(a, _), (b, _)| (a.date, a.stage, &a.label).cmp(&(b.date, b.stage, &b.label)));
    let mut events: Vec<Event> = Vec::new();
    for (reported, report) in reports {
        let same = events.iter_mut().find(|e| {
            e.stage == reported.stage
                && e.label == reported.label
                && e.event_date() == reported.date
        });
        match same {
            Some(event) => add_report(event, reported, report),
            None => events.push(new_event(reported, report)),
        }
    }
    number_periods(&mut events);
    let mut events = merge_within_periods(events, diagnostics);
    if let Some(rule) = treaty.and_then(|t| t.entry_into_force) {
        derive_in_force(&mut events, rule);
    }
    for event in &mut events {
        event.sources = sources_of(event, &model.articles);
        if event.sources.is_empty() && !event.derived {
            let first = &event.reports[0];
            let hint = match first.article {
                Some(_) => "add `sources:` to the event or to the article",
                None => {
                    "write the source's address in this row's `source` cell (add the column to \
                     the header row if the table has none)"
                }
            };
            diagnostics.push(
                Diagnostic::warning(
                    first.location.clone(),
                    format!(
                        "the `{}` event of {} has no source",
                        event.stage,
                        event.country.code()
                    ),
                )
                .with_hint(hint),
            );
        }
    }
    check_order(&events, diagnostics);
    events
}

fn new_event(reported: &ReportedEvent, report: Report) -> Event {
    Event {
        treaty: reported.treaty.clone(),
        country: reported.country,
        stage: reported.stage,
        label: reported.label.clone(),
        date: reported.date.day,
        precision: reported.date.precision,
        note: reported.note.clone(),
        disputed: reported.disputed,
        reports: vec![report],
        sources: Vec::new(),
        period: 1,
        derived: false,
    }
}

fn add_report(event: &mut Event, reported: &ReportedEvent, report: Report) {
    event.reports.push(report);
    event.disputed |= reported.disputed;
    if event.note.is_none() {
        event.note.clone_from(&reported.note);
    }
}

/// The order events of a track are kept in: by the day they count from, full dates before
/// partial ones, then stage (the furthest last) and label.
fn event_order(a: &Event, b: &Event) -> std::cmp::Ordering {
    (a.date, a.precision, a.stage, &a.label).cmp(&(b.date, b.precision, b.stage, &b.label))
}

/// Numbers the membership periods: a period ends with a withdrawal, and the next event starts
/// the next one. A second report of the withdrawal that ended a period, at a date that agrees
/// with it (its month, say) and with no step of the next period between them, belongs to that
/// period: it is the same step.
fn number_periods(events: &mut [Event]) {
    events.sort_by(event_order);
    let mut period = 1;
    // The withdrawal that ended the last period, while nothing of the next has followed it.
    let mut just_withdrawn: Option<(EventDate, Option<String>)> = None;
    for event in events {
        let repeats_withdrawal = event.stage == Stage::Withdrawn
            && just_withdrawn.as_ref().is_some_and(|(date, label)| {
                *label == event.label && date.agrees_with(&event.event_date())
            });
        if repeats_withdrawal {
            event.period = period - 1;
            continue;
        }
        event.period = period;
        just_withdrawn = None;
        if event.stage == Stage::Withdrawn {
            period += 1;
            just_withdrawn = Some((event.event_date(), event.label.clone()));
        }
    }
}

/// Within one period, a step (stage and label) happens once: reports of it at a partial date
/// and at a full date inside it are one event, at the full date; at two dates that cannot be
/// the same day they are a conflict, reported with both places, and the first is kept.
fn merge_within_periods(events: Vec<Event>, diagnostics: &mut Diagnostics) -> Vec<Event> {
    // The most precise first, so that partial dates merge into the full one they agree with.
    let mut by_step: BTreeMap<(u32, Stage, Option<String>), Vec<Event>> = BTreeMap::new();
    for event in events {
        by_step
            .entry((event.period, event.stage, event.label.clone()))
            .or_default()
            .push(event);
    }
    let mut merged = Vec::new();
    for (_, mut dated) in by_step {
        dated.sort_by_key(|e| (e.precision, e.date));
        let mut kept: Vec<Event> = Vec::new();
        for event in dated {
            let agreeing = kept
                .iter()
                .position(|k| k.event_date().agrees_with(&event.event_date()));
            match agreeing {
                Some(index) => {
                    let same = &mut kept[index];
                    same.disputed |= event.disputed;
                    if same.note.is_none() {
                        same.note = event.note;
                    }
                    same.reports.extend(event.reports);
                }
                None if kept.is_empty() => kept.push(event),
                None => diagnostics.push(conflict(&kept[0], &event)),
            }
        }
        merged.extend(kept);
    }
    for event in &mut merged {
        // Reports in publication order (articles by index, tables after), as before merging.
        event
            .reports
            .sort_by_key(|r| r.article.unwrap_or(usize::MAX));
    }
    merged.sort_by(event_order);
    merged
}

/// Adds, to each period with a ratification and no written in-force step, the in-force step
/// the treaty's rule gives: on the later of the treaty's own entry into force and the
/// ratification plus the waiting days. The ratification is the period's last before any
/// notice of withdrawal; a step that would fall after the period has ended is not added.
fn derive_in_force(events: &mut Vec<Event>, rule: EntryIntoForce) {
    let mut derived = Vec::new();
    for period in events.chunk_by(|a, b| a.period == b.period) {
        if period.iter().any(|e| e.stage == Stage::InForce) {
            continue;
        }
        let before_notice = period
            .iter()
            .take_while(|e| e.stage != Stage::WithdrawalNotified);
        let Some(ratified) = before_notice.filter(|e| e.stage == Stage::Ratified).last() else {
            continue;
        };
        let waited = ratified
            .date
            .checked_add(jiff::Span::new().days(i64::from(rule.after_deposit_days)))
            .unwrap_or(ratified.date);
        let day = waited.max(rule.date);
        let ended = period
            .iter()
            .any(|e| e.stage == Stage::Withdrawn && e.date < day);
        if ended {
            continue;
        }
        // On the very day of a ratification known only to its month or year (no waiting days),
        // the step is known as well as the ratification is, and so sorts right after it.
        let precision = if day == ratified.date {
            ratified.precision
        } else {
            Precision::Day
        };
        derived.push(Event {
            stage: Stage::InForce,
            label: None,
            date: day,
            precision,
            note: None,
            disputed: false,
            reports: Vec::new(),
            sources: Vec::new(),
            derived: true,
            ..ratified.clone()
        });
    }
    events.extend(derived);
    events.sort_by(event_order);
}

/// The sources of an event: each report's own, else its article's; no duplicates. Each report
/// carries its own, so an article of many events is not searched once per event.
fn sources_of(event: &Event, articles: &[Article]) -> Vec<Source> {
    let mut sources: Vec<Source> = Vec::new();
    let mut push = |s: &Source| {
        if !sources.iter().any(|have| have.url == s.url) {
            sources.push(s.clone());
        }
    };
    for report in &event.reports {
        match report.article {
            Some(index) if report.sources.is_empty() => {
                articles[index].sources.iter().for_each(&mut push);
            }
            _ => report.sources.iter().for_each(&mut push),
        }
    }
    sources
}

/// The same step of one period at two dates that cannot be the same day.
fn conflict(first: &Event, other: &Event) -> Diagnostic {
    let step = match &other.label {
        Some(label) => format!("`{}` (\"{label}\")", other.stage),
        None => format!("`{}`", other.stage),
    };
    let first_report = &first.reports[0];
    let other_report = &other.reports[0];
    let (first_date, other_date) = (first.event_date().written(), other.event_date().written());
    Diagnostic::error(
        other_report.location.clone(),
        format!(
            "{} of {} in `{}` is dated {} here but {} in {}",
            step,
            other.country.code(),
            other.treaty,
            other_date,
            first_date,
            crate::source::slash_path(&first_report.location.path),
        ),
    )
    .with_related(
        first_report.location.clone(),
        format!("dated {first_date} here"),
    )
    .with_hint(
        "correct one of the dates, or give each step its own `label` if they are different \
         steps; after a `withdrawn` event the same step begins a new membership period",
    )
}

/// Stages only move forward until a notice of withdrawal, a suspension or a withdrawal, unless
/// an event is disputed.
fn check_order(events: &[Event], diagnostics: &mut Diagnostics) {
    let mut furthest: Option<&Event> = None;
    for event in events.iter().filter(|e| !e.derived) {
        if let Some(before) = furthest
            && !before.stage.ends_progression()
            && event.stage < before.stage
        {
            if !(event.disputed || before.disputed) {
                diagnostics.push(backwards(event, before));
            }
            continue;
        }
        furthest = Some(event);
    }
}

fn backwards(event: &Event, before: &Event) -> Diagnostic {
    let (date, before_date) = (event.event_date().written(), before.event_date().written());
    Diagnostic::error(
        event.reports[0].location.clone(),
        format!(
            "{} moves backwards in `{}`: `{}` on {date} comes after `{}` on {before_date}",
            event.country.code(),
            event.treaty,
            event.stage,
            before.stage,
        ),
    )
    .with_related(
        before.reports[0].location.clone(),
        format!("`{}` on {before_date} is here", before.stage),
    )
    .with_hint("check both dates; if the order is contested, add `disputed: true` to either event")
}

/// Orders a treaty's countries: by display name ignoring case and accents, by the day each
/// first counted as a member (then name), or by code.
fn sort_tracks(timeline: &mut TreatyTimeline, order: CountryOrder, model: &SiteModel) {
    let name = |track: &Track| model.party(track.country).sort_key.clone();
    match order {
        CountryOrder::Name => timeline.tracks.sort_by_cached_key(|t| (name(t), t.country)),
        CountryOrder::Code => timeline.tracks.sort_by_key(|t| t.country),
        CountryOrder::Joined => {
            let membership = timeline.membership.clone();
            timeline.tracks.sort_by_cached_key(|t| {
                let joined = t.joined(&membership).unwrap_or(jiff::civil::Date::MAX);
                (joined, name(t), t.country)
            });
        }
    }
}
#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use jiff::civil::Date;

    use super::super::build;
    use super::*;
    use crate::diagnostic::Location;
    use crate::model::{Countries, EntryIntoForce, Membership, parse_event_date};

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
    ) -> ReportedEvent {
        ReportedEvent {
            treaty: crate::model::Slug::parse("t").unwrap(),
            country: Countries::default().lookup(country).unwrap(),
            stage,
            date: parse_event_date(on).unwrap(),
            label: label.map(str::to_string),
            note: None,
            sources: vec![Source::new("https://example.org/s".into(), None)],
            disputed: false,
            location: Location::new("a.md", line, 1),
        }
    }

    fn article(name: &str, mut events: Vec<ReportedEvent>) -> Article {
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
            body: Default::default(),
        }
    }

    fn timeline_of(articles: Vec<Article>) -> (Timeline, Diagnostics) {
        timeline_with(Vec::new(), articles)
    }

    fn treaty(rule: Option<EntryIntoForce>, order: CountryOrder) -> Treaty {
        Treaty {
            path: PathBuf::from("content/treaties/t.md"),
            slug: Slug::parse("t").unwrap(),
            title: "T".into(),
            short_title: "T".into(),
            established: date("2015-12-12"),
            founders: Vec::new(),
            brokers: Vec::new(),
            summary: None,
            membership: Membership {
                member_from: Stage::Ratified,
                ..Membership::default()
            },
            entry_into_force: rule,
            order,
            body: String::new(),
        }
    }

    /// One article's events in a treaty in force from 4 November 2016, its parties `days`
    /// after ratifying.
    fn with_rule(days: u32, events: Vec<ReportedEvent>) -> (Timeline, Diagnostics) {
        let rule = EntryIntoForce {
            date: date("2016-11-04"),
            after_deposit_days: days,
        };
        let treaty = treaty(Some(rule), CountryOrder::Name);
        timeline_with(vec![treaty], vec![article("a", events)])
    }

    fn timeline_with(treaties: Vec<Treaty>, articles: Vec<Article>) -> (Timeline, Diagnostics) {
        let used = articles
            .iter()
            .flat_map(|a| &a.events)
            .map(|e| e.country)
            .collect();
        let model = SiteModel {
            parties: Countries::default().parties(&used),
            articles,
            treaties,
            ..SiteModel::default()
        };
        let mut diagnostics = Diagnostics::new();
        (build(&model, &mut diagnostics), diagnostics)
    }

    #[test]
    fn countries_are_ordered_by_name_by_default() {
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
        // Bahrain, Kazakhstan, United Arab Emirates.
        assert_eq!(order, ["BH", "KZ", "AE"]);
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

    fn track<'a>(timeline: &'a Timeline, code: &str) -> &'a Track {
        let country = Countries::default().lookup(code).unwrap();
        timeline
            .treaty("t")
            .unwrap()
            .tracks
            .iter()
            .find(|t| t.country == country)
            .unwrap()
    }

    fn stages_and_periods(track: &Track) -> Vec<(String, Stage, u32, bool)> {
        track
            .events
            .iter()
            .map(|e| (e.event_date().written(), e.stage, e.period, e.derived))
            .collect()
    }

    #[test]
    fn leaving_and_rejoining_makes_periods_not_conflicts() {
        let (timeline, d) = timeline_of(vec![article(
            "a",
            vec![
                event("US", Stage::Signed, "2016-04-22", None, 1),
                event("US", Stage::Ratified, "2016-09-03", None, 2),
                event("US", Stage::InForce, "2016-11-04", None, 3),
                event("US", Stage::WithdrawalNotified, "2019-11-04", None, 4),
                event("US", Stage::Withdrawn, "2020-11-04", None, 5),
                event("US", Stage::Ratified, "2021-01-20", None, 6),
                event("US", Stage::InForce, "2021-02-19", None, 7),
                event("US", Stage::WithdrawalNotified, "2025-01-27", None, 8),
                event("US", Stage::Withdrawn, "2026-01-27", None, 9),
            ],
        )]);
        assert!(d.is_empty(), "{}", d.report());
        let us = track(&timeline, "US");
        let periods: Vec<u32> = us.events.iter().map(|e| e.period).collect();
        assert_eq!(periods, [1, 1, 1, 1, 1, 2, 2, 2, 2]);
        assert_eq!(us.periods().count(), 2);
        let on = |day: &str| us.status_on(date(day)).map(|e| e.stage);
        assert_eq!(on("2019-12-31"), Some(Stage::WithdrawalNotified));
        assert_eq!(on("2020-12-31"), Some(Stage::Withdrawn));
        assert_eq!(on("2021-12-31"), Some(Stage::InForce));
        assert_eq!(on("2026-06-01"), Some(Stage::Withdrawn));
        // The table of a day shows the dates of the period in force that day.
        let period_2021 = us.period_on(Some(date("2021-12-31")));
        assert_eq!(
            Track::first_reached(period_2021, Stage::Ratified).map(|e| e.date),
            Some(date("2021-01-20"))
        );
        let period_2019 = us.period_on(Some(date("2019-12-31")));
        assert_eq!(
            Track::first_reached(period_2019, Stage::Ratified).map(|e| e.date),
            Some(date("2016-09-03"))
        );
        assert!(Track::first_reached(period_2019, Stage::Withdrawn).is_none());
    }

    #[test]
    fn the_same_step_twice_in_one_period_is_a_conflict() {
        let (_, d) = timeline_of(vec![
            article(
                "a",
                vec![event("US", Stage::Ratified, "2016-09-03", None, 3)],
            ),
            article(
                "b",
                vec![event("US", Stage::Ratified, "2016-09-05", None, 4)],
            ),
        ]);
        assert_eq!(d.error_count(), 1, "{}", d.report());
        let report = d.report();
        assert!(
            report.contains("`ratified` of US in `t` is dated 2016-09-05 here but 2016-09-03"),
            "{report}"
        );
    }

    #[test]
    fn a_revoked_notice_may_return_to_an_earlier_stage() {
        let (timeline, d) = timeline_of(vec![article(
            "a",
            vec![
                event("BR", Stage::Ratified, "2016-09-21", None, 1),
                event("BR", Stage::InForce, "2016-11-04", None, 2),
                event("BR", Stage::WithdrawalNotified, "2019-03-01", None, 3),
                event(
                    "BR",
                    Stage::InForce,
                    "2019-09-01",
                    Some("Notice revoked"),
                    4,
                ),
            ],
        )]);
        assert!(d.is_empty(), "{}", d.report());
        let br = track(&timeline, "BR");
        assert_eq!(br.status().map(|e| e.stage), Some(Stage::InForce));
        assert!(br.events.iter().all(|e| e.period == 1));

        // Without the notice, the same step back is an error.
        let (_, d) = timeline_of(vec![article(
            "a",
            vec![
                event("BR", Stage::InForce, "2016-11-04", None, 2),
                event("BR", Stage::Ratified, "2019-09-01", Some("Again"), 4),
            ],
        )]);
        assert!(d.report().contains("moves backwards"), "{}", d.report());
    }

    #[test]
    fn in_force_is_derived_from_the_treaty_rule() {
        let (timeline, d) = with_rule(
            30,
            vec![
                // Ratified before the treaty was in force: in force with it.
                event("FR", Stage::Ratified, "2016-06-15", None, 1),
                // Ratified later: in force 30 days after.
                event("DE", Stage::Ratified, "2016-11-01", None, 2),
                // A written in-force step wins.
                event("IT", Stage::Ratified, "2016-10-11", None, 3),
                event("IT", Stage::InForce, "2016-11-11", None, 4),
                // Withdrawn before the derived day: never in force.
                event("NZ", Stage::Ratified, "2016-12-01", None, 5),
                event("NZ", Stage::Withdrawn, "2016-12-10", None, 6),
            ],
        );
        assert!(d.is_empty(), "{}", d.report());
        let derived = |code: &str| {
            track(&timeline, code)
                .events
                .iter()
                .filter(|e| e.derived)
                .map(|e| (e.stage, e.date.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(derived("FR"), [(Stage::InForce, "2016-11-04".to_string())]);
        assert_eq!(derived("DE"), [(Stage::InForce, "2016-12-01".to_string())]);
        assert_eq!(derived("IT"), []);
        assert_eq!(derived("NZ"), []);
        let de = track(&timeline, "DE");
        assert_eq!(
            de.status_on(date("2016-11-30")).map(|e| e.stage),
            Some(Stage::Ratified)
        );
        assert_eq!(
            de.status_on(date("2016-12-01")).map(|e| e.stage),
            Some(Stage::InForce)
        );
        assert!(
            de.events
                .iter()
                .find(|e| e.derived)
                .unwrap()
                .reports
                .is_empty()
        );
    }

    #[test]
    fn a_step_derived_on_the_day_of_a_partial_ratification_follows_it() {
        let (timeline, d) = with_rule(0, vec![event("GH", Stage::Ratified, "2017-03", None, 1)]);
        assert!(d.is_empty(), "{}", d.report());
        let gh = track(&timeline, "GH");
        assert_eq!(
            stages_and_periods(gh),
            [
                ("2017-03".to_string(), Stage::Ratified, 1, false),
                ("2017-03".to_string(), Stage::InForce, 1, true),
            ]
        );
        assert_eq!(gh.status().map(|e| e.stage), Some(Stage::InForce));
    }

    #[test]
    fn a_rejoining_period_gets_its_own_derived_step() {
        let (timeline, d) = with_rule(
            30,
            vec![
                event("US", Stage::Ratified, "2016-09-03", None, 1),
                event("US", Stage::WithdrawalNotified, "2019-11-04", None, 2),
                event("US", Stage::Withdrawn, "2020-11-04", None, 3),
                event("US", Stage::Ratified, "2021-01-20", None, 4),
            ],
        );
        assert!(d.is_empty(), "{}", d.report());
        assert_eq!(
            stages_and_periods(track(&timeline, "US")),
            [
                ("2016-09-03".to_string(), Stage::Ratified, 1, false),
                ("2016-11-04".to_string(), Stage::InForce, 1, true),
                (
                    "2019-11-04".to_string(),
                    Stage::WithdrawalNotified,
                    1,
                    false
                ),
                ("2020-11-04".to_string(), Stage::Withdrawn, 1, false),
                ("2021-01-20".to_string(), Stage::Ratified, 2, false),
                ("2021-02-19".to_string(), Stage::InForce, 2, true),
            ]
        );
    }

    #[test]
    fn partial_dates_count_from_their_last_day_and_agree_with_a_full_date_inside() {
        let (timeline, d) = timeline_of(vec![
            article("a", vec![event("PE", Stage::Signed, "1994", None, 1)]),
            article("b", vec![event("PE", Stage::Signed, "1994-06-07", None, 2)]),
            article("c", vec![event("PE", Stage::Ratified, "1995-04", None, 3)]),
        ]);
        assert!(d.is_empty(), "{}", d.report());
        let pe = track(&timeline, "PE");
        assert_eq!(
            stages_and_periods(pe),
            [
                ("1994-06-07".to_string(), Stage::Signed, 1, false),
                ("1995-04".to_string(), Stage::Ratified, 1, false),
            ]
        );
        assert_eq!(pe.events[0].reports.len(), 2);
        // A month counts from its last day.
        assert_eq!(
            pe.status_on(date("1995-04-29")).map(|e| e.stage),
            Some(Stage::Signed)
        );
        assert_eq!(
            pe.status_on(date("1995-04-30")).map(|e| e.stage),
            Some(Stage::Ratified)
        );

        // A year alone counts from 31 December, after full dates of that day.
        let (timeline, _) = timeline_of(vec![article(
            "a",
            vec![
                event("CL", Stage::Signed, "1994", None, 1),
                event("CL", Stage::Announced, "1994-12-31", None, 2),
            ],
        )]);
        let cl = track(&timeline, "CL");
        assert!(cl.status_on(date("1994-12-30")).is_none());
        assert_eq!(
            cl.status_on(date("1994-12-31")).map(|e| e.stage),
            Some(Stage::Signed)
        );

        // A full date outside the partial one is a conflict.
        let (_, d) = timeline_of(vec![
            article("a", vec![event("PE", Stage::Signed, "1994", None, 1)]),
            article("b", vec![event("PE", Stage::Signed, "1995-01-02", None, 2)]),
        ]);
        assert_eq!(d.error_count(), 1, "{}", d.report());
        assert!(
            d.report().contains("is dated 1994 here but 1995-01-02"),
            "{}",
            d.report()
        );
    }

    #[test]
    fn a_treaty_may_order_its_countries_by_joining_or_by_code() {
        let events = || {
            vec![article(
                "a",
                vec![
                    event("ZA", Stage::Ratified, "2016-11-01", None, 1),
                    event("CH", Stage::Ratified, "2017-10-06", None, 2),
                    event("CI", Stage::Ratified, "2016-10-25", None, 3),
                    event("AT", Stage::Signed, "2016-04-22", None, 4),
                ],
            )]
        };
        let codes = |timeline: &Timeline| {
            timeline
                .treaty("t")
                .unwrap()
                .tracks
                .iter()
                .map(|t| t.country.code().to_string())
                .collect::<Vec<_>>()
        };
        // By name: Austria, Côte d'Ivoire (among the C's), South Africa, Switzerland.
        let (timeline, _) = timeline_with(vec![treaty(None, CountryOrder::Name)], events());
        assert_eq!(codes(&timeline), ["AT", "CI", "ZA", "CH"]);
        // By joining (member from ratification): Austria only signed, so it comes last.
        let (timeline, _) = timeline_with(vec![treaty(None, CountryOrder::Joined)], events());
        assert_eq!(codes(&timeline), ["CI", "ZA", "CH", "AT"]);
        let (timeline, _) = timeline_with(vec![treaty(None, CountryOrder::Code)], events());
        assert_eq!(codes(&timeline), ["AT", "CH", "CI", "ZA"]);
    }
}
