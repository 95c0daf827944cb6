//! A treaty's pages: its own page (who stands where now, its events and articles, its data
//! files) and one as-of page per year (who stood where on 31 December), with the members
//! table, the counts and the chart they share (**treaty** in docs/templates.md).

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use super::Meta;
use super::chart::{Overviews, chart_value, mark_values};
use super::pager::{TreatyArticlesPage, treaty_articles};
use super::shared::{Shared, StageView, value};
use crate::calendar;
use crate::chart::{self, Chart};
use crate::dates::{day_month, display_date, month};
use crate::model::{Country, Flag, Precision, Stage, Treaty};
use crate::routes::{DataFormat, Route};
use crate::timeline::{Event, Track, TreatyTimeline};

/// `treaty.html` and `as_of.html`: the treaty, now or as it stood on a day.
#[derive(Serialize)]
pub struct TreatyPage {
    treaty: Box<TreatyView>,
}

impl TreatyPage {
    pub(super) fn treaty(&self) -> &TreatyView {
        &self.treaty
    }

    pub(super) fn meta(&self) -> Meta {
        self.treaty.meta()
    }
}

/// A treaty's page, and its as-of pages by year.
pub(super) struct TreatyPages {
    pub current: TreatyPage,
    pub as_of: Vec<(i16, TreatyPage)>,
    /// The page of its lanes chart, when it has too many lanes to show on the treaty's page.
    pub lanes: Option<super::lanes::LanesPage>,
    /// The pages of its articles, newest first: none without articles.
    pub articles: Vec<TreatyArticlesPage>,
}

/// How many of its newest articles a treaty's page shows; the pages of its articles list all.
const NEWEST_ARTICLES: usize = 10;

/// Every treaty's pages, by slug.
pub(super) fn pages<'a>(shared: &Shared<'a>) -> BTreeMap<&'a str, TreatyPages> {
    // Treaties side by side, each with its own shared rows.
    let made: Vec<(&str, TreatyPages)> = shared
        .model
        .treaties
        .par_iter()
        .enumerate()
        .map(|(index, treaty)| {
            let pages = treaty_pages(shared, &mut Rows::default(), index, treaty);
            (treaty.slug.as_str(), pages)
        })
        .collect();
    made.into_iter().collect()
}

#[derive(Clone, Serialize)]
pub(super) struct TreatyView {
    #[serde(flatten)]
    about: About,
    #[serde(flatten)]
    membership: Membership,
    events: Vec<Value>,
    /// The newest articles about it ([`NEWEST_ARTICLES`]); none on an as-of page.
    articles: Vec<Value>,
    /// How many articles are about it, and the first page of their list (none without).
    article_count: usize,
    articles_url: Option<String>,
    downloads: Downloads,
    as_of_pages: Vec<YearLink>,
    /// On an as-of page, the page of that year's events, if it has one.
    year_url: Option<String>,
}

impl TreatyView {
    pub(super) fn meta(&self) -> Meta {
        Meta {
            title: Some(self.about.title.clone()),
            description: self.about.summary.clone(),
        }
    }

    /// Its events, newest first (none on an as-of page).
    pub(super) fn events(&self) -> &[Value] {
        &self.events
    }
}

/// What the treaty's own file says, the same on all its pages.
#[derive(Clone, Serialize)]
struct About {
    slug: String,
    title: String,
    short_title: String,
    url: String,
    established: String,
    established_display: String,
    summary: Option<String>,
    content: String,
    founders: Vec<Value>,
    brokers: Vec<Value>,
    /// What a member is called: `{ one, many }`, e.g. party and parties.
    member_noun: Noun,
    /// The first stage at which a country counts as a member.
    member_from: StageView,
    /// The treaty's own entry into force, when its file gives the rule.
    entry_into_force: Option<String>,
    entry_into_force_display: Option<String>,
    after_deposit_days: Option<u32>,
}

#[derive(Clone, Serialize)]
struct Noun {
    one: String,
    many: String,
}

/// The treaty's open data files.
#[derive(Clone, Serialize)]
struct Downloads {
    json: String,
    csv: String,
    ics: String,
}

#[derive(Clone, Serialize)]
struct YearLink {
    year: i16,
    url: String,
}

/// Who stood where on a day (or now): the members table, the chart and the counts.
#[derive(Clone, Serialize)]
struct Membership {
    /// The rows of the members table (**member** values), as one list value: a treaty's
    /// as-of pages share most rows, and a page's variables then copy one value, not each row.
    members: Value,
    stage_columns: Vec<StageView>,
    /// The stages of `stage_columns` at which a country counts as a member.
    member_stages: Vec<StageView>,
    member_count: usize,
    /// The newest event's date, or the day of an as-of page.
    as_of: Option<String>,
    as_of_display: Option<String>,
    /// The year of an as-of page; none for the current state.
    as_of_year: Option<i16>,
    counts: Counts,
    /// The lanes chart, or none when the treaty has more lanes than a page shows
    /// ([`super::lanes::MAX_INLINE`]): `lanes_url` then leads to them.
    chart: Option<Value>,
    /// The step chart of how many stood at each stage over time.
    overview: Option<Value>,
    lanes_url: Option<String>,
}

#[derive(Clone, Serialize)]
struct Counts {
    /// How many countries have each stage as their status, in stage order.
    by_stage: Vec<StageCount>,
    /// Every country with both an announcement and a signature, in order of joining; empty on
    /// an as-of page, which links to the treaty page's table instead.
    to_signing: Vec<ToSigning>,
    median_days_to_signing: Option<i64>,
    /// On an as-of page, the treaty page's table from announcement to signature, if it has one.
    to_signing_url: Option<String>,
}

#[derive(Clone, Serialize)]
struct StageCount {
    stage: StageView,
    count: usize,
}

#[derive(Clone, Serialize)]
struct ToSigning {
    country: Value,
    announced: String,
    announced_display: String,
    signed: String,
    signed_display: String,
    days: i64,
}

/// Values of the members table, shared by every table that shows them: a site's as-of pages
/// repeat most of its rows and cells.
#[derive(Default)]
struct Rows {
    stages: HashMap<Stage, Value>,
    cells: HashMap<Option<(Date, Precision, bool)>, Value>,
    /// A row is the same on every day that saw the same events of its country: by (treaty
    /// index, country, how many of its events).
    members: HashMap<(usize, Country, usize), Value>,
}

/// One treaty's timeline, and its chart with the value of each mark by lane.
struct Parts<'a> {
    index: usize,
    treaty: &'a Treaty,
    timeline: &'a TreatyTimeline,
    chart: Option<(Chart, Vec<Vec<Value>>)>,
    overview: Option<Overviews>,
    lanes_url: Option<String>,
}

fn treaty_pages(shared: &Shared, rows: &mut Rows, index: usize, treaty: &Treaty) -> TreatyPages {
    let empty = TreatyTimeline::default();
    let timeline = shared.timeline.treaty(&treaty.slug).unwrap_or(&empty);
    let span = treaty_span(treaty, timeline);
    let years = span.map_or_else(Vec::new, |(_, last)| {
        as_of_years(shared, treaty, timeline, last)
    });
    let (parts, lanes) = parts(shared, index, treaty, timeline, span);
    let about = about(shared, index, treaty);
    let data_url = |format| shared.url(Route::TreatyData(&treaty.slug, format));
    let downloads = Downloads {
        json: data_url(DataFormat::Json),
        csv: data_url(DataFormat::Csv),
        ics: data_url(DataFormat::Ics),
    };
    let as_of_pages: Vec<YearLink> = years
        .iter()
        .map(|&year| YearLink {
            year,
            url: shared.url(Route::TreatyAsOf(&treaty.slug, year)),
        })
        .collect();
    let all_articles = articles(shared, treaty);
    let articles_url =
        (!all_articles.is_empty()).then(|| shared.url(Route::TreatyArticles(&treaty.slug, 1)));
    let page = |membership, events, articles, year_url| TreatyPage {
        treaty: Box::new(TreatyView {
            about: about.clone(),
            membership,
            events,
            articles,
            article_count: all_articles.len(),
            articles_url: articles_url.clone(),
            downloads: downloads.clone(),
            as_of_pages: as_of_pages.clone(),
            year_url,
        }),
    };
    let events = timeline
        .events_newest_first()
        .into_iter()
        .map(|e| shared.event(e))
        .collect();
    let current = page(
        membership(shared, rows, &parts, None),
        events,
        all_articles.iter().take(NEWEST_ARTICLES).cloned().collect(),
        None,
    );
    let to_signing_url = (!current.treaty.membership.counts.to_signing.is_empty())
        .then(|| format!("{}#to-signing-{}", about.url, treaty.slug));
    // An as-of page has no event list and no articles: listing every earlier event on each
    // of a treaty's year pages would make the site grow with years × events.
    let as_of = years
        .iter()
        .filter_map(|&year| {
            let day = Date::new(year, 12, 31).ok()?;
            let year_url = shared
                .years
                .contains(&year)
                .then(|| shared.url(Route::Year(year)));
            let mut membership = membership(shared, rows, &parts, Some(day));
            membership.counts.to_signing_url = to_signing_url.clone();
            Some((year, page(membership, Vec::new(), Vec::new(), year_url)))
        })
        .collect();
    TreatyPages {
        articles: treaty_articles(shared, treaty, &all_articles),
        current,
        as_of,
        lanes,
    }
}

/// The treaty's charts, and the page of its lanes when they are too many for its own page.
fn parts<'a>(
    shared: &Shared,
    index: usize,
    treaty: &'a Treaty,
    timeline: &'a TreatyTimeline,
    span: Option<(Date, Date)>,
) -> (Parts<'a>, Option<super::lanes::LanesPage>) {
    let chart = span.map(|span| {
        let chart = full_chart(shared, treaty, timeline, span);
        let marks = mark_values(&chart);
        (chart, marks)
    });
    let lanes = chart
        .as_ref()
        .and_then(|(chart, marks)| super::lanes::page(shared, treaty, timeline, chart, marks));
    let parts = Parts {
        index,
        treaty,
        timeline,
        overview: span.map(|span| Overviews::new(super::chart::overview(treaty, timeline, span))),
        lanes_url: lanes
            .as_ref()
            .map(|_| shared.url(Route::TreatyLanes(&treaty.slug))),
        chart,
    };
    (parts, lanes)
}

fn about(shared: &Shared, index: usize, treaty: &Treaty) -> About {
    let countries = |list: &[Country]| list.iter().map(|c| shared.country(*c)).collect();
    About {
        slug: treaty.slug.to_string(),
        title: treaty.title.clone(),
        short_title: treaty.short_title.clone(),
        url: shared.url(Route::Treaty(&treaty.slug)),
        established: treaty.established.to_string(),
        established_display: display_date(treaty.established),
        summary: treaty.summary.clone(),
        content: shared.bodies.treaties[index].html.clone(),
        founders: countries(&treaty.founders),
        brokers: countries(&treaty.brokers),
        member_noun: Noun {
            one: treaty.membership.noun.0.clone(),
            many: treaty.membership.noun.1.clone(),
        },
        member_from: StageView::of(treaty.membership.member_from),
        entry_into_force: treaty.entry_into_force.map(|r| r.date.to_string()),
        entry_into_force_display: treaty.entry_into_force.map(|r| display_date(r.date)),
        after_deposit_days: treaty.entry_into_force.map(|r| r.after_deposit_days),
    }
}

/// The articles about the treaty or reporting one of its events, newest first.
fn articles(shared: &Shared, treaty: &Treaty) -> Vec<Value> {
    let mut articles: Vec<Value> = shared
        .model
        .articles
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            a.treaty.as_ref() == Some(&treaty.slug)
                || a.events.iter().any(|e| e.treaty == treaty.slug)
        })
        .map(|(i, _)| shared.article(i))
        .collect();
    articles.reverse();
    articles
}

/// The years of the treaty's as-of pages: those of its events and its founding up to the build
/// day's and to `last`, its newest event's day ([`calendar::as_of_years`]).
fn as_of_years(
    shared: &Shared,
    treaty: &Treaty,
    timeline: &TreatyTimeline,
    last: Date,
) -> Vec<i16> {
    let founded = Some(treaty.established.year()).filter(|_| treaty.established <= last);
    let marks = timeline
        .tracks
        .iter()
        .flat_map(|t| &t.events)
        .map(|e| e.date.year());
    calendar::as_of_years(marks.chain(founded), shared.last_year.min(last.year()))
}

/// The first and the last day a treaty's chart and as-of pages cover: from its founding or
/// first event to its newest event. None for a treaty with no event.
fn treaty_span(treaty: &Treaty, tl: &TreatyTimeline) -> Option<(Date, Date)> {
    let first = tl.tracks.iter().map(|t| t.first_date()).min()?;
    Some((first.min(treaty.established), tl.as_of()?))
}

/// The treaty's chart: one lane per country, in order of joining.
fn full_chart(
    shared: &Shared,
    treaty: &Treaty,
    timeline: &TreatyTimeline,
    span: (Date, Date),
) -> Chart {
    let lanes = timeline
        .tracks
        .iter()
        .map(|track| chart::LaneSpec {
            label: &shared.model.party(track.country).name,
            flag: match &shared.model.party(track.country).flag {
                Flag::Emoji(emoji) => Some(emoji.as_str()),
                _ => None,
            },
            flag_image: match &shared.model.party(track.country).flag {
                Flag::Image(path) => Some(format!("{}{path}", shared.config.base_path())),
                _ => None,
            },
            url: shared.url(Route::Country(track.country.code())),
            events: track.events.iter().collect(),
        })
        .collect();
    chart::layout(
        format!("chart-{}", treaty.slug),
        format!("{}: membership timeline", treaty.title),
        lanes,
        span,
        &|i| shared.article_url(i),
    )
}

/// The membership on `day`, or now.
fn membership(shared: &Shared, rows: &mut Rows, parts: &Parts, day: Option<Date>) -> Membership {
    let columns = parts.timeline.stages();
    // Today's state is the state on the last day there is.
    let standing = parts.timeline.members_on(day.unwrap_or(Date::MAX));
    let members: Vec<Value> = standing
        .iter()
        .map(|(track, status)| {
            let seen = track
                .events
                .iter()
                .take_while(|e| day.is_none_or(|day| e.date <= day))
                .count();
            let key = (parts.index, track.country, seen);
            if let Some(v) = rows.members.get(&key) {
                return v.clone();
            }
            let v = member(shared, rows, parts, track, status, &columns, day);
            rows.members.insert(key, v.clone());
            v
        })
        .collect();
    let as_of = day.or_else(|| parts.timeline.as_of());
    let chart = parts.chart.as_ref().filter(|_| parts.lanes_url.is_none());
    let chart = chart.map(|(full, marks)| match day {
        Some(day) => {
            let title = format!(
                "{}: membership on {}",
                parts.treaty.title,
                display_date(day)
            );
            chart_value(&full.as_of(day, title), marks)
        }
        None => chart_value(full, marks),
    });
    let rule = &parts.timeline.membership;
    Membership {
        members: Value::from(members),
        stage_columns: columns.iter().map(|s| StageView::of(*s)).collect(),
        member_stages: columns
            .iter()
            .filter(|s| rule.is_member(**s))
            .map(|s| StageView::of(*s))
            .collect(),
        member_count: standing
            .iter()
            .filter(|(_, e)| rule.is_member(e.stage))
            .count(),
        as_of: as_of.map(|d| d.to_string()),
        as_of_display: as_of.map(display_date),
        as_of_year: day.map(|d| d.year()),
        counts: counts(shared, &standing, day),
        chart,
        overview: parts.overview.as_ref().map(|overview| match day {
            Some(day) => overview.as_of(
                day,
                format!(
                    "{}: {} on {}",
                    parts.treaty.title,
                    parts.treaty.membership.noun.1,
                    display_date(day)
                ),
                format!(
                    "{}#{}",
                    shared.url(Route::Treaty(&parts.treaty.slug)),
                    overview.table_id()
                ),
            ),
            None => overview.full(),
        }),
        lanes_url: parts.lanes_url.clone(),
    }
}

fn counts(shared: &Shared, standing: &[(&Track, &Event)], day: Option<Date>) -> Counts {
    let by_stage = Stage::ALL
        .into_iter()
        .filter_map(|s| {
            let count = standing.iter().filter(|(_, e)| e.stage == s).count();
            (count > 0).then(|| StageCount {
                stage: StageView::of(s),
                count,
            })
        })
        .collect();
    let (to_signing, median_days_to_signing) = match day {
        // An as-of page leaves the table to the treaty's page.
        Some(_) => (Vec::new(), None),
        None => to_signing(shared, standing),
    };
    Counts {
        by_stage,
        to_signing,
        median_days_to_signing,
        to_signing_url: None,
    }
}

/// The rows of the table from announcement to signature, and their median number of days.
fn to_signing(shared: &Shared, standing: &[(&Track, &Event)]) -> (Vec<ToSigning>, Option<i64>) {
    // Within the membership period that holds today.
    let day = None;
    let reached =
        |track: &Track, s: Stage| Track::first_reached(track.period_on(day), s).map(|e| e.date);
    let to_signing: Vec<ToSigning> = standing
        .iter()
        .filter_map(|(track, _)| {
            let announced = reached(track, Stage::Announced)?;
            let signed = reached(track, Stage::Signed)?;
            Some(ToSigning {
                country: shared.country(track.country),
                announced: announced.to_string(),
                announced_display: display_date(announced),
                signed: signed.to_string(),
                signed_display: display_date(signed),
                days: announced.duration_until(signed).as_hours() / 24,
            })
        })
        .collect();
    let mut days: Vec<i64> = to_signing.iter().map(|t| t.days).collect();
    days.sort_unstable();
    let median_days_to_signing = match days.len() {
        0 => None,
        n if n % 2 == 1 => Some(days[n / 2]),
        // The mean of the middle two, rounded half up to a whole day.
        n => Some((days[n / 2 - 1] + days[n / 2] + 1).div_euclid(2)),
    };
    (to_signing, median_days_to_signing)
}

/// **member**: a row of the members table, the country's status on the day (or now), the day
/// it first reached each stage in the membership period that holds then, and its earlier
/// periods.
fn member(
    shared: &Shared,
    rows: &mut Rows,
    parts: &Parts,
    track: &Track,
    status: &Event,
    columns: &[Stage],
    day: Option<Date>,
) -> Value {
    #[derive(Serialize)]
    struct Member {
        country: Value,
        status: Value,
        status_date: String,
        status_date_display: String,
        status_derived: bool,
        first_date: String,
        is_member: bool,
        cells: Vec<Value>,
        /// The periods before the one shown, oldest first.
        earlier_periods: Vec<EarlierPeriod>,
        events: Vec<Value>,
    }
    let until = |e: &&Event| day.is_none_or(|day| e.date <= day);
    let stage = status.stage;
    let period = track.period_on(day);
    let rule = &parts.timeline.membership;
    value(&Member {
        country: shared.country(track.country),
        status: rows
            .stages
            .entry(stage)
            .or_insert_with(|| value(&StageView::of(stage)))
            .clone(),
        status_date: status.event_date().written(),
        status_date_display: status.event_date().display(),
        status_derived: status.derived,
        first_date: track.first_date().to_string(),
        is_member: rule.is_member(status.stage),
        cells: columns
            .iter()
            .map(|s| cell(rows, Track::first_reached(period, *s)))
            .collect(),
        earlier_periods: track
            .periods()
            .take_while(|p| p.first().map(|e| e.period) < Some(status.period))
            .map(|p| EarlierPeriod::of(p, rule))
            .collect(),
        events: track
            .events
            .iter()
            .filter(until)
            .map(|e| shared.event(e))
            .collect(),
    })
}

/// A membership period that ended before the one a row shows: `also a party 2016–2020`.
#[derive(Serialize)]
struct EarlierPeriod {
    from: i16,
    to: i16,
    /// Whether the country counted as a member during it.
    was_member: bool,
}

impl EarlierPeriod {
    fn of(events: &[Event], rule: &crate::model::Membership) -> EarlierPeriod {
        EarlierPeriod {
            from: events.first().map_or(0, |e| e.date.year()),
            to: events.last().map_or(0, |e| e.date.year()),
            was_member: events.iter().any(|e| rule.is_member(e.stage)),
        }
    }
}

/// A members-table cell: the step that first reached a stage, or none.
fn cell(rows: &mut Rows, step: Option<&Event>) -> Value {
    #[derive(Serialize)]
    struct Cell {
        /// As written: `2020-09-15`, or `2020-09` or `2020` when only that is known.
        date: Option<String>,
        date_display: Option<String>,
        /// `date_display` in two parts, `15 September` and `2020`, so that a narrow column
        /// can keep the day and month together (`September` alone for a month, nothing for
        /// a year).
        day_month: Option<String>,
        year: Option<i16>,
        /// Derived from the treaty's entry-into-force rule rather than reported.
        derived: bool,
    }
    let key = step.map(|e| (e.date, e.precision, e.derived));
    rows.cells
        .entry(key)
        .or_insert_with(|| {
            let date = step.map(Event::event_date);
            value(&Cell {
                date: date.map(|d| d.written()),
                date_display: date.map(|d| d.display()),
                day_month: date.map(|d| match d.precision {
                    // Day and month kept together on a narrow column.
                    Precision::Day => day_month(d.day).replace(' ', "\u{a0}"),
                    Precision::Month => month(d.day),
                    Precision::Year => String::new(),
                }),
                year: date.map(|d| d.day.year()),
                derived: step.is_some_and(|e| e.derived),
            })
        })
        .clone()
}
