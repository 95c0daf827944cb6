//! The membership charts: where every lane, mark, line and year tick of a timeline chart goes.
//!
//! Pure geometry, computed at build time in whole units so the output is the same on every
//! machine; `templates/partials/chart.html` and `templates/partials/overview.html` draw it.
//! Time runs left to right from 1 January of the first year to 1 January after the last, as a
//! share of the drawing's width ([`Pos`]): the drawings take the width of the page, from a
//! phone to a wide screen, while their text and marks keep their size in pixels.
//!
//! This module lays out the lanes chart (one lane per country, or on a country's page per
//! treaty, top to bottom in the order given); [`overview`] the step chart of counts.

pub mod overview;

use jiff::civil::Date;
use serde::{Serialize, Serializer};

use crate::dates::display_date;
use crate::model::Stage;
use crate::timeline::Event;

/// At most this many year labels; years in between get a tick without a label.
const MAX_YEAR_LABELS: i64 = 10;
/// At most about this many year ticks: beyond, a tick every few years. A chart of ten
/// thousand years (a date in 9999) would otherwise draw ten thousand lines on every page.
const MAX_TICKS: i64 = 200;
/// The axis's width in [`Pos`] units.
const FULL: i64 = 10_000;
/// Marks of one lane closer than this (5% of the axis, a mark's width on a phone's 320 px)
/// are moved apart sideways by [`DODGE`] pixels each, so that neither hides the other.
const CLOSE: i64 = 500;
const DODGE: i64 = 14;

/// A place on the time axis, in hundredths of a percent of its width (0 to 10000); written as
/// an SVG percentage, `23.41%`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos(pub i64);

impl Serialize for Pos {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format!("{}.{:02}%", self.0 / 100, self.0 % 100))
    }
}

/// The time axis of a chart: 1 January of `first_year` to 1 January after `last_year`.
#[derive(Debug, Clone, Copy)]
pub struct Axis {
    pub first_year: i64,
    pub last_year: i64,
}

impl Axis {
    /// The axis of whole years that holds `first` to `last`.
    pub fn new(first: Date, last: Date) -> Axis {
        let first_year = i64::from(first.year());
        Axis {
            first_year,
            last_year: i64::from(last.year()).max(first_year),
        }
    }

    /// Where `day` falls (clamped to the axis).
    pub fn pos(&self, day: Date) -> Pos {
        let start = year_start(self.first_year);
        let total_days = days_between(start, year_start(self.last_year + 1)).max(1);
        Pos(days_between(start, day).clamp(0, total_days) * FULL / total_days)
    }

    /// The year ticks: at most about [`MAX_TICKS`] of them, and at most [`MAX_YEAR_LABELS`]
    /// labels, every label on a tick; every other label is `minor` when there are more than
    /// five, so a narrow screen can leave those out.
    pub fn ticks(&self) -> Vec<Tick> {
        let (first_year, last_year) = (self.first_year, self.last_year);
        let years = last_year + 1 - first_year;
        let tick_step = (years + MAX_TICKS - 1) / MAX_TICKS;
        let step = (years + MAX_YEAR_LABELS - 1) / MAX_YEAR_LABELS;
        let step = (step + tick_step - 1) / tick_step * tick_step;
        let labels = (years + step - 1) / step;
        (first_year..=last_year + 1)
            .filter(|year| (year - first_year) % tick_step == 0 || *year == last_year + 1)
            .map(|year| {
                let labelled = (year - first_year) % step == 0 && year <= last_year;
                Tick {
                    x: self.pos(year_start(year)),
                    label: labelled.then(|| year.to_string()),
                    minor: labelled && labels > 5 && (year - first_year) / step % 2 == 1,
                }
            })
            .collect()
    }

    /// The distance between two ticks, for a background that repeats at each.
    fn tick_spacing(&self) -> Pos {
        let years = self.last_year + 1 - self.first_year;
        let tick_step = (years + MAX_TICKS - 1) / MAX_TICKS;
        Pos((FULL * tick_step / years).max(1))
    }
}

/// One row of the chart before layout: what it is called, where it links, its events.
pub struct LaneSpec<'a> {
    pub label: &'a str,
    pub flag: Option<&'a str>,
    /// The URL of a flag image, shown instead of `flag`.
    pub flag_image: Option<String>,
    pub url: String,
    /// In date order.
    pub events: Vec<&'a Event>,
}

/// The lanes chart: a row per country (or treaty), a mark per step.
#[derive(Debug, Serialize)]
pub struct Chart {
    /// A prefix for the ids of the chart's parts, unique on its page.
    pub id: String,
    pub title: String,
    #[serde(skip)]
    pub axis: Axis,
    pub ticks: Vec<Tick>,
    /// The distance between two ticks, which the lanes' background repeats.
    pub grid: Pos,
    pub lanes: Vec<Lane>,
    pub legend: Vec<LegendItem>,
    /// A dashed line at the day the chart stands on, when it is not today's state.
    pub as_of: Option<Tick>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub x: Pos,
    pub label: Option<String>,
    /// A label a narrow screen may leave out.
    pub minor: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Lane {
    /// The lane's place in the chart it was cut from (itself, for a full chart).
    #[serde(skip)]
    pub source: usize,
    pub label: String,
    pub flag: Option<String>,
    pub flag_image: Option<String>,
    pub url: String,
    /// The line drawn in pieces: from each step to the next of the same membership period, in
    /// the colour of the stage held meanwhile; the time between periods is left empty.
    pub spans: Vec<Span>,
    pub marks: Vec<Mark>,
    /// The latest stage's name.
    pub status: &'static str,
    pub status_id: &'static str,
}

/// A piece of a lane's line, held at one stage.
#[derive(Debug, Clone, Serialize)]
pub struct Span {
    pub from: Pos,
    pub to: Pos,
    pub stage: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    #[serde(skip)]
    pub date: Date,
    /// The membership period of the step.
    #[serde(skip)]
    pub period: u32,
    pub x: Pos,
    /// Pixels to move the mark sideways from `x`, away from a mark too close to it (0 for most).
    pub dx: i64,
    pub stage: &'static str,
    pub stage_name: &'static str,
    /// What the mark says in words, e.g. `Bahrain: Signed, 15 September 2020`.
    pub text: String,
    /// The same without the lane's name: `Signed, 15 September 2020`.
    pub step: String,
    /// The first article that reports the event.
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LegendItem {
    pub stage: &'static str,
    pub name: &'static str,
    pub shape: &'static str,
}

/// The mark of a stage, as SVG path data centred on 0,0: each stage has its own shape, so
/// the chart does not rely on colour. The stylesheet draws the steps before signature hollow.
pub fn shape(stage: Stage) -> &'static str {
    match stage {
        // small ring
        Stage::Talks => "M-4,0a4,4 0 1,0 8,0a4,4 0 1,0 -8,0Z",
        // triangle
        Stage::Announced => "M0,-7L6.5,5H-6.5Z",
        // hexagon
        Stage::AgreedInPrinciple => "M-7,0L-3.5,-6H3.5L7,0L3.5,6H-3.5Z",
        // diamond
        Stage::Signed => "M0,-7L7,0L0,7L-7,0Z",
        // square
        Stage::Ratified => "M-6,-6H6V6H-6Z",
        // disc
        Stage::InForce => "M-7,0a7,7 0 1,0 14,0a7,7 0 1,0 -14,0Z",
        // disc with a notch: still in force, on notice
        Stage::WithdrawalNotified => "M-7,0a7,7 0 1,0 14,0a7,7 0 1,0 -14,0ZM-2,-7H2V0H-2Z",
        // pause bars
        Stage::Suspended => "M-6,-6H-1V6H-6ZM1,-6H6V6H1Z",
        // cross
        Stage::Withdrawn => "M-6,-4L-4,-6L0,-2L4,-6L6,-4L2,0L6,4L4,6L0,2L-4,6L-6,4L-2,0Z",
    }
}

/// Lays out `lanes` on a time axis covering `first` to `last` (whole years). `article_url`
/// gives the link of each article by its index in the model.
pub fn layout(
    id: String,
    title: String,
    lanes: Vec<LaneSpec>,
    (first, last): (Date, Date),
    article_url: &dyn Fn(usize) -> String,
) -> Chart {
    let axis = Axis::new(first, last);
    let mut legend_stages: Vec<Stage> = Vec::new();
    let mut laid: Vec<Lane> = Vec::new();
    for spec in lanes {
        let Some(latest) = spec.events.last() else {
            continue;
        };
        legend_stages.extend(spec.events.iter().map(|e| e.stage));
        let mut marks: Vec<Mark> = spec
            .events
            .iter()
            .map(|e| mark(e, &spec, axis.pos(e.date), article_url))
            .collect();
        dodge(&mut marks);
        laid.push(Lane {
            source: laid.len(),
            label: spec.label.to_string(),
            flag: spec.flag.map(str::to_string),
            flag_image: spec.flag_image,
            url: spec.url,
            spans: spans(&marks),
            marks,
            status: latest.stage.name(),
            status_id: latest.stage.id(),
        });
    }
    legend_stages.sort();
    legend_stages.dedup();
    Chart {
        id,
        title,
        axis,
        ticks: axis.ticks(),
        grid: axis.tick_spacing(),
        lanes: laid,
        legend: legend_stages
            .into_iter()
            .map(|s| LegendItem {
                stage: s.id(),
                name: s.name(),
                shape: shape(s),
            })
            .collect(),
        as_of: None,
    }
}

/// The mark of one step on its lane, at `x`.
fn mark(event: &Event, spec: &LaneSpec, x: Pos, article_url: &dyn Fn(usize) -> String) -> Mark {
    let step = format!("{}, {}", event_name(event), event.event_date().display());
    Mark {
        date: event.date,
        period: event.period,
        x,
        dx: 0,
        stage: event.stage.id(),
        stage_name: event.stage.name(),
        text: format!("{}: {step}", spec.label),
        step,
        // A step no article reports (a table's, or a derived one) links to its lane.
        url: event
            .reports
            .iter()
            .find_map(|r| r.article)
            .map_or_else(|| spec.url.clone(), article_url),
    }
}

/// Moves apart the marks of a lane that fall within [`CLOSE`] of each other: each run of
/// such marks is spread [`DODGE`] pixels apart around where it falls, in date order.
fn dodge(marks: &mut [Mark]) {
    let mut start = 0;
    for end in 1..=marks.len() {
        if end < marks.len() && marks[end].x.0 - marks[end - 1].x.0 < CLOSE {
            continue;
        }
        let n = (end - start) as i64;
        for (i, mark) in marks[start..end].iter_mut().enumerate() {
            mark.dx = (2 * i as i64 - (n - 1)) * DODGE / 2;
        }
        start = end;
    }
}

impl Chart {
    /// The chart as it stood on `day`, on the same axis: the marks up to that day, the lanes
    /// that have one, and a line at the day. Cut from the full chart rather than laid out
    /// again, so a treaty's year-end charts share its marks.
    pub fn as_of(&self, day: Date, title: String) -> Chart {
        let mut lanes: Vec<Lane> = Vec::new();
        for lane in &self.lanes {
            let kept = lane.marks.iter().take_while(|m| m.date <= day).count();
            let Some(latest) = kept.checked_sub(1).map(|i| &lane.marks[i]) else {
                continue;
            };
            lanes.push(Lane {
                spans: spans(&lane.marks[..kept]),
                marks: lane.marks[..kept].to_vec(),
                status: latest.stage_name,
                status_id: latest.stage,
                ..lane.clone()
            });
        }
        let mut chart = self.with_lanes(self.id.clone(), title, lanes);
        chart.as_of = Some(Tick {
            x: self.axis.pos(day),
            label: Some(display_date(day)),
            minor: false,
        });
        chart
    }

    /// Some of the chart's lanes, as a chart of their own on the same axis.
    pub fn part(&self, id: String, title: String, lanes: &[Lane]) -> Chart {
        self.with_lanes(id, title, lanes.to_vec())
    }

    fn with_lanes(&self, id: String, title: String, lanes: Vec<Lane>) -> Chart {
        let mut stages: Vec<&str> = lanes
            .iter()
            .flat_map(|l| l.marks.iter().map(|m| m.stage))
            .collect();
        stages.sort();
        stages.dedup();
        Chart {
            id,
            title,
            axis: self.axis,
            ticks: self.ticks.clone(),
            grid: self.grid,
            legend: self
                .legend
                .iter()
                .filter(|item| stages.binary_search(&item.stage).is_ok())
                .cloned()
                .collect(),
            lanes,
            as_of: None,
        }
    }
}

/// The pieces of a lane's line: between consecutive marks of one period, at the earlier's
/// stage. Marks on one day give no piece.
fn spans(marks: &[Mark]) -> Vec<Span> {
    marks
        .windows(2)
        .filter(|pair| pair[0].period == pair[1].period && pair[0].x < pair[1].x)
        .map(|pair| Span {
            from: pair[0].x,
            to: pair[1].x,
            stage: pair[0].stage,
        })
        .collect()
}

/// The stage's name, with the event's own label when it has one: `Signed (trade deal)`.
fn event_name(event: &Event) -> String {
    match &event.label {
        Some(label) => format!("{} ({label})", event.stage.name()),
        None => event.stage.name().to_string(),
    }
}

fn year_start(year: i64) -> Date {
    Date::new(year.clamp(-9999, 9998) as i16, 1, 1).unwrap_or(Date::MIN)
}

fn days_between(from: Date, to: Date) -> i64 {
    // Whole days: civil dates have no time of day, so this divides exactly.
    from.duration_until(to).as_secs() / 86_400
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::Report;

    pub(super) fn event(stage: Stage, date: &str, article: usize) -> Event {
        Event {
            treaty: crate::model::Slug::parse("t").unwrap(),
            country: crate::model::Countries::default().lookup("AE").unwrap(),
            stage,
            label: None,
            date: date.parse().unwrap(),
            note: None,
            disputed: false,
            reports: vec![Report {
                article: Some(article),
                location: crate::diagnostic::Location::file("a.md"),
                sources: Vec::new(),
            }],
            sources: Vec::new(),
            precision: crate::model::Precision::Day,
            period: 1,
            derived: false,
        }
    }

    fn chart(events: &[Event], as_of: Option<Date>) -> Chart {
        let full = full_chart(events);
        match as_of {
            Some(day) => full.as_of(day, "T then".into()),
            None => full,
        }
    }

    fn full_chart(events: &[Event]) -> Chart {
        let spec = LaneSpec {
            label: "United Arab Emirates",
            flag: None,
            flag_image: None,
            url: "/countries/ae/".into(),
            events: events.iter().collect(),
        };
        layout(
            "c".into(),
            "T".into(),
            vec![spec],
            ("2020-01-01".parse().unwrap(), "2021-06-01".parse().unwrap()),
            &|i| format!("/articles/{i}/"),
        )
    }

    #[test]
    fn a_chart_of_ten_thousand_years_has_a_bounded_number_of_ticks() {
        let span = ("0001-01-01".parse().unwrap(), "9999-06-01".parse().unwrap());
        let axis = Axis::new(span.0, span.1);
        let ticks = axis.ticks();
        assert!(ticks.len() <= MAX_TICKS as usize + 2, "{}", ticks.len());
        let labels = ticks.iter().filter(|t| t.label.is_some()).count();
        assert!((5..=MAX_YEAR_LABELS as usize).contains(&labels), "{labels}");
        assert_eq!(ticks.last().unwrap().x, Pos(FULL));
    }

    #[test]
    fn a_position_is_written_as_a_percentage() {
        let text = |p: i64| serde_json::to_string(&Pos(p)).unwrap();
        assert_eq!(text(0), "\"0.00%\"");
        assert_eq!(text(2341), "\"23.41%\"");
        assert_eq!(text(10_000), "\"100.00%\"");
    }

    #[test]
    fn marks_sit_on_the_time_axis_in_date_order() {
        let events = [
            event(Stage::Announced, "2020-08-13", 0),
            event(Stage::Signed, "2020-09-15", 1),
            event(Stage::InForce, "2021-01-01", 2),
        ];
        let c = chart(&events, None);
        let lane = &c.lanes[0];
        let xs: Vec<Pos> = lane.marks.iter().map(|m| m.x).collect();
        assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
        // 1 January 2021 is the second year tick.
        assert_eq!(xs[2], c.ticks[1].x);
        assert_eq!(c.ticks.first().unwrap().x, Pos(0));
        assert_eq!(c.ticks.last().unwrap().x, Pos(FULL));
        assert_eq!(lane.status, "In force");
        assert_eq!(lane.marks[1].url, "/articles/1/");
        assert_eq!(
            lane.marks[1].text,
            "United Arab Emirates: Signed, 15 September 2020"
        );
        assert_eq!(lane.marks[1].step, "Signed, 15 September 2020");
        let legend: Vec<&str> = c.legend.iter().map(|l| l.stage).collect();
        assert_eq!(legend, ["announced", "signed", "in-force"]);
    }

    #[test]
    fn close_marks_are_moved_apart_and_distant_ones_are_not() {
        let events = [
            event(Stage::Signed, "2020-03-01", 0),
            event(Stage::Ratified, "2020-03-02", 1),
            event(Stage::InForce, "2020-03-31", 2),
            event(Stage::WithdrawalNotified, "2021-05-01", 3),
        ];
        let c = chart(&events, None);
        let dx: Vec<i64> = c.lanes[0].marks.iter().map(|m| m.dx).collect();
        assert_eq!(dx, [-DODGE, 0, DODGE, 0]);
    }

    #[test]
    fn every_stage_has_its_own_shape() {
        for (i, a) in Stage::ALL.iter().enumerate() {
            for b in &Stage::ALL[i + 1..] {
                assert_ne!(shape(*a), shape(*b), "{a} and {b}");
            }
        }
    }

    #[test]
    fn as_of_leaves_out_later_events_and_empty_lanes() {
        let events = [
            event(Stage::Announced, "2020-08-13", 0),
            event(Stage::Signed, "2021-03-01", 1),
        ];
        let c = chart(&events, Some("2020-12-31".parse().unwrap()));
        assert_eq!(c.lanes[0].marks.len(), 1);
        assert_eq!(c.lanes[0].status, "Announced");
        assert_eq!(
            c.as_of.as_ref().unwrap().label.as_deref(),
            Some("31 December 2020")
        );
        let c = chart(&events, Some("2019-12-31".parse().unwrap()));
        assert!(c.lanes.is_empty());
    }

    #[test]
    fn each_membership_period_is_drawn_on_its_own() {
        let mut events = vec![
            event(Stage::Ratified, "2020-02-01", 0),
            event(Stage::Withdrawn, "2020-06-01", 1),
            event(Stage::Ratified, "2021-02-01", 2),
        ];
        events[2].period = 2;
        let c = chart(&events, None);
        let spans: Vec<(&str, Pos, Pos)> = c.lanes[0]
            .spans
            .iter()
            .map(|s| (s.stage, s.from, s.to))
            .collect();
        let x = |i: usize| c.lanes[0].marks[i].x;
        assert_eq!(spans, [("ratified", x(0), x(1))]);
    }
}
