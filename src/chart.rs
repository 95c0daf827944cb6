//! The membership chart: where every lane, mark and year tick of a timeline chart goes.
//!
//! Pure geometry, computed at build time in whole SVG units so the output is the same on
//! every machine; `templates/partials/chart.html` draws it. Time runs left to right from
//! 1 January of the first year to 1 January after the last; one lane per country (or, on a
//! country's page, per treaty), top to bottom in the order given.

use jiff::civil::Date;
use serde::Serialize;

use crate::dates::display_date;
use crate::model::Stage;
use crate::timeline::Event;

/// Width of the drawing, in SVG units (about pixels on a wide screen).
const WIDTH: i64 = 880;
/// The lane labels' column on the left.
const LABEL_WIDTH: i64 = 210;
/// Room on the right for the latest status written after the last mark.
const STATUS_WIDTH: i64 = 130;
/// Room at the top for the year labels.
const AXIS_HEIGHT: i64 = 30;
const LANE_HEIGHT: i64 = 30;
const BOTTOM: i64 = 12;
/// The time axis, between the labels and the statuses.
const PLOT_LEFT: i64 = LABEL_WIDTH + 12;
const PLOT_RIGHT: i64 = WIDTH - STATUS_WIDTH;
/// At most this many year labels; years in between get a tick without a label.
const MAX_YEAR_LABELS: i64 = 10;
/// At most about this many year ticks: beyond, a tick every few years. A chart of ten
/// thousand years (a date in 9999) would otherwise draw ten thousand lines on every page.
const MAX_TICKS: i64 = 200;

/// One row of the chart before layout: what it is called, where it links, its events.
pub struct LaneSpec<'a> {
    pub label: &'a str,
    pub flag: Option<&'a str>,
    pub url: String,
    /// In date order.
    pub events: Vec<&'a Event>,
}

#[derive(Debug, Serialize)]
pub struct Chart {
    /// A prefix for the ids of the chart's title and description, unique on its page.
    pub id: String,
    pub title: String,
    pub description: String,
    /// The axis: 1 January of the first year to 1 January after the last.
    pub first_year: i64,
    pub last_year: i64,
    pub width: i64,
    pub height: i64,
    pub plot_left: i64,
    pub plot_right: i64,
    pub axis_y: i64,
    pub label_x: i64,
    pub ticks: Vec<Tick>,
    pub lanes: Vec<Lane>,
    pub legend: Vec<LegendItem>,
    /// A dashed line at the day the chart stands on, when it is not today's state.
    pub as_of: Option<Tick>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub x: i64,
    pub label: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Lane {
    /// The lane's place in the chart it was cut from (itself, for a full chart).
    #[serde(skip)]
    pub source: usize,
    pub y: i64,
    pub label: String,
    pub flag: Option<String>,
    pub url: String,
    /// The line from the first stage to the latest.
    pub span_from: i64,
    pub span_to: i64,
    /// The line drawn in pieces: from each step to the next of the same membership period, in
    /// the colour of the stage held meanwhile; the time between periods is left empty.
    pub spans: Vec<Span>,
    pub marks: Vec<Mark>,
    /// The latest stage's name, written after the last mark.
    pub status: &'static str,
    pub status_id: &'static str,
}

/// A piece of a lane's line, held at one stage.
#[derive(Debug, Clone, Serialize)]
pub struct Span {
    pub from: i64,
    pub to: i64,
    pub stage: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    #[serde(skip)]
    pub date: Date,
    /// The membership period of the step.
    #[serde(skip)]
    pub period: u32,
    pub x: i64,
    pub stage: &'static str,
    pub stage_name: &'static str,
    pub shape: &'static str,
    /// What the mark says in words, e.g. `Bahrain: Signed, 15 September 2020`.
    pub text: String,
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
    let first_year = i64::from(first.year());
    let last_year = i64::from(last.year()).max(first_year);
    let x_of = |day: Date| x_on_axis(first_year, last_year, day);

    let ticks = ticks(first_year, last_year);

    let mut legend_stages: Vec<Stage> = Vec::new();
    let mut laid: Vec<Lane> = Vec::new();
    for spec in lanes {
        let events = &spec.events;
        let (Some(first_event), Some(latest)) = (events.first(), events.last()) else {
            continue;
        };
        let y = lane_y(laid.len());
        legend_stages.extend(events.iter().map(|e| e.stage));
        let marks: Vec<Mark> = events
            .iter()
            .map(|e| mark(e, &spec, x_of(e.date), article_url))
            .collect();
        let (span_from, span_to) = (x_of(first_event.date), x_of(latest.date));
        let (status, status_id) = (latest.stage.name(), latest.stage.id());
        laid.push(Lane {
            source: laid.len(),
            y,
            label: spec.label.to_string(),
            flag: spec.flag.map(str::to_string),
            url: spec.url,
            span_from,
            span_to,
            spans: spans(&marks),
            marks,
            status,
            status_id,
        });
    }
    legend_stages.sort();
    legend_stages.dedup();

    let description = describe(&laid, &title, first_year, last_year);
    Chart {
        id,
        title,
        description,
        first_year,
        last_year,
        width: WIDTH,
        height: chart_height(laid.len()),
        plot_left: PLOT_LEFT,
        plot_right: PLOT_RIGHT,
        axis_y: AXIS_HEIGHT - 8,
        label_x: LABEL_WIDTH,
        ticks,
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

/// The year ticks of an axis from `first_year` to `last_year`: at most about [`MAX_TICKS`] of
/// them, and at most [`MAX_YEAR_LABELS`] labels, every label on a tick.
fn ticks(first_year: i64, last_year: i64) -> Vec<Tick> {
    let years = last_year + 1 - first_year;
    let tick_step = (years + MAX_TICKS - 1) / MAX_TICKS;
    let step = (years + MAX_YEAR_LABELS - 1) / MAX_YEAR_LABELS;
    let step = (step + tick_step - 1) / tick_step * tick_step;
    (first_year..=last_year + 1)
        .filter(|year| (year - first_year) % tick_step == 0 || *year == last_year + 1)
        .map(|year| Tick {
            x: x_on_axis(first_year, last_year, year_start(year)),
            label: ((year - first_year) % step == 0 && year <= last_year).then(|| year.to_string()),
        })
        .collect()
}

/// The mark of one step on its lane, at `x`.
fn mark(event: &Event, spec: &LaneSpec, x: i64, article_url: &dyn Fn(usize) -> String) -> Mark {
    Mark {
        date: event.date,
        period: event.period,
        x,
        stage: event.stage.id(),
        stage_name: event.stage.name(),
        shape: shape(event.stage),
        text: format!(
            "{}: {}, {}",
            spec.label,
            event_name(event),
            event.event_date().display()
        ),
        // A step no article reports (a table's, or a derived one) links to its lane.
        url: event
            .reports
            .iter()
            .find_map(|r| r.article)
            .map_or_else(|| spec.url.clone(), article_url),
    }
}

impl Chart {
    /// The chart as it stood on `day`, on the same axis: the marks up to that day, the lanes
    /// that have one (packed together), and a line at the day. Cut from the full chart rather
    /// than laid out again, so a treaty's year-end charts share its marks.
    pub fn as_of(&self, day: Date, title: String) -> Chart {
        let mut lanes: Vec<Lane> = Vec::new();
        for lane in &self.lanes {
            let kept = lane.marks.iter().take_while(|m| m.date <= day).count();
            let Some(latest) = kept.checked_sub(1).map(|i| &lane.marks[i]) else {
                continue;
            };
            lanes.push(Lane {
                source: lane.source,
                y: lane_y(lanes.len()),
                label: lane.label.clone(),
                flag: lane.flag.clone(),
                url: lane.url.clone(),
                span_from: lane.span_from,
                span_to: latest.x,
                spans: spans(&lane.marks[..kept]),
                marks: lane.marks[..kept].to_vec(),
                status: latest.stage_name,
                status_id: latest.stage,
            });
        }
        let mut legend_stages: Vec<&str> = lanes
            .iter()
            .flat_map(|l| l.marks.iter().map(|m| m.stage))
            .collect();
        legend_stages.sort();
        legend_stages.dedup();
        let x = x_on_axis(self.first_year, self.last_year, day);
        Chart {
            id: self.id.clone(),
            description: describe(&lanes, &title, self.first_year, self.last_year),
            title,
            first_year: self.first_year,
            last_year: self.last_year,
            width: self.width,
            height: chart_height(lanes.len()),
            plot_left: self.plot_left,
            plot_right: self.plot_right,
            axis_y: self.axis_y,
            label_x: self.label_x,
            ticks: self.ticks.clone(),
            legend: self
                .legend
                .iter()
                .filter(|item| legend_stages.binary_search(&item.stage).is_ok())
                .cloned()
                .collect(),
            lanes,
            as_of: Some(Tick {
                x,
                label: Some(display_date(day)),
            }),
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

fn lane_y(index: usize) -> i64 {
    AXIS_HEIGHT + LANE_HEIGHT * index as i64 + LANE_HEIGHT / 2
}

fn chart_height(lanes: usize) -> i64 {
    AXIS_HEIGHT + LANE_HEIGHT * lanes as i64 + BOTTOM
}

/// The stage's name, with the event's own label when it has one: `Signed (trade deal)`.
fn event_name(event: &Event) -> String {
    match &event.label {
        Some(label) => format!("{} ({label})", event.stage.name()),
        None => event.stage.name().to_string(),
    }
}

/// The chart in words, for its `<desc>`: what the rows and marks are and, for a short
/// chart, every mark; a long one points to the table that lists them.
fn describe(lanes: &[Lane], title: &str, first_year: i64, last_year: i64) -> String {
    let rows = match lanes.len() {
        1 => "1 row".to_string(),
        n => format!("{n} rows"),
    };
    let period = if first_year == last_year {
        first_year.to_string()
    } else {
        format!("{first_year} to {last_year}")
    };
    let mut text = format!(
        "{title}: a timeline from {period} with {rows}, in order of the first event. Each mark \
         is a stage, its shape telling which; a line runs from the first stage to the latest."
    );
    if lanes.len() <= 12 {
        for lane in lanes {
            let marks: Vec<&str> = lane
                .marks
                .iter()
                .map(|m| m.text.split_once(": ").map_or(m.text.as_str(), |(_, t)| t))
                .collect();
            text.push_str(&format!(" {}: {}.", lane.label, marks.join("; ")));
        }
    } else {
        text.push_str(" The table that follows lists every date.");
    }
    text
}

/// Where `day` falls on an axis from 1 January of `first_year` to 1 January after `last_year`.
fn x_on_axis(first_year: i64, last_year: i64, day: Date) -> i64 {
    let start = year_start(first_year);
    let total_days = days_between(start, year_start(last_year + 1)).max(1);
    PLOT_LEFT
        + days_between(start, day).clamp(0, total_days) * (PLOT_RIGHT - PLOT_LEFT) / total_days
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

    fn event(stage: Stage, date: &str, article: usize) -> Event {
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
        let spec = LaneSpec {
            label: "United Arab Emirates",
            flag: None,
            url: "/countries/ae/".into(),
            events: Vec::new(),
        };
        let span = ("0001-01-01".parse().unwrap(), "9999-06-01".parse().unwrap());
        let c = layout("c".into(), "T".into(), vec![spec], span, &|i| i.to_string());
        assert!(c.ticks.len() <= MAX_TICKS as usize + 2, "{}", c.ticks.len());
        let labels = c.ticks.iter().filter(|t| t.label.is_some()).count();
        assert!((5..=MAX_YEAR_LABELS as usize).contains(&labels), "{labels}");
        assert_eq!(c.ticks.last().unwrap().x, c.plot_right);
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
        let xs: Vec<i64> = lane.marks.iter().map(|m| m.x).collect();
        assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
        // 1 January 2021 is the second year tick.
        assert_eq!(xs[2], c.ticks[1].x);
        assert_eq!(c.ticks.first().unwrap().x, c.plot_left);
        assert_eq!(c.ticks.last().unwrap().x, c.plot_right);
        assert_eq!((lane.span_from, lane.span_to), (xs[0], xs[2]));
        assert_eq!(lane.status, "In force");
        assert_eq!(lane.marks[1].url, "/articles/1/");
        assert_eq!(
            lane.marks[1].text,
            "United Arab Emirates: Signed, 15 September 2020"
        );
        let legend: Vec<&str> = c.legend.iter().map(|l| l.stage).collect();
        assert_eq!(legend, ["announced", "signed", "in-force"]);
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
    fn a_short_chart_is_described_mark_by_mark() {
        let events = [event(Stage::Announced, "2020-08-13", 0)];
        let c = chart(&events, None);
        assert!(
            c.description
                .ends_with("United Arab Emirates: Announced, 13 August 2020."),
            "{}",
            c.description
        );
    }
}
