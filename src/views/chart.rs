//! A chart as template values (**chart** and **overview** in docs/templates.md): the geometry
//! `crate::chart` lays out, with the values of its marks shared between a treaty's chart and
//! the as-of charts and groups cut from it.

use jiff::civil::Date;
use serde::Serialize;
use tera::Value;

use super::shared::value;
use crate::chart::overview::{
    Column, EndLabel, Level, Line, Milestone, Overview, OverviewSpec, Row,
};
use crate::chart::{Chart, LegendItem, Pos, Span, Tick};
use crate::model::Treaty;
use crate::timeline::TreatyTimeline;

/// The treaty's overview chart: its stages counted on every day, its founding and its entry
/// into force marked.
pub(super) fn overview(treaty: &Treaty, timeline: &TreatyTimeline, span: (Date, Date)) -> Overview {
    let mut milestones = vec![("Established".to_string(), treaty.established)];
    if let Some(rule) = treaty.entry_into_force {
        milestones.push(("Entry into force".to_string(), rule.date));
    }
    milestones.retain(|(_, day)| *day <= span.1);
    milestones.sort_by_key(|(_, day)| *day);
    Overview::new(OverviewSpec {
        id: format!("overview-{}", treaty.slug),
        title: format!("{}: {} over time", treaty.title, treaty.membership.noun.1),
        timeline,
        noun: (&treaty.membership.noun.0, &treaty.membership.noun.1),
        milestones,
        span,
    })
}

/// A treaty's overview chart and what its charts of every day share: the values of its ticks,
/// made once rather than once per as-of page.
pub(super) struct Overviews {
    full: Overview,
    ticks: Value,
    tick_path: Value,
}

impl Overviews {
    pub(super) fn new(full: Overview) -> Overviews {
        Overviews {
            ticks: value(&full.ticks()),
            tick_path: value(&full.tick_path()),
            full,
        }
    }

    /// The id of the table of every year on the treaty's page, `<id>-numbers`
    /// (partials/overview.html).
    pub(super) fn table_id(&self) -> String {
        format!("{}-numbers", self.full.id)
    }

    /// The chart up to the newest event, with the table of every year.
    pub(super) fn full(&self) -> Value {
        self.value(&self.full, None)
    }

    /// The chart as it stood on `day`, without the table: `table_url` leads to it.
    pub(super) fn as_of(&self, day: Date, title: String, table_url: String) -> Value {
        self.value(&self.full.as_of(day, title), Some(table_url))
    }

    fn value(&self, o: &Overview, table_url: Option<String>) -> Value {
        let rows: &[Row] = if table_url.is_some() { &[] } else { &o.rows };
        value(&OverviewView {
            id: &o.id,
            title: &o.title,
            description: &o.description,
            height: o.height,
            plot_top: o.plot_top,
            plot_height: o.plot_height,
            plot_bottom: o.plot_bottom,
            ticks: &self.ticks,
            tick_path: &self.tick_path,
            levels: &o.levels,
            lines: &o.lines,
            milestones: &o.milestones,
            end: o.end.as_ref(),
            as_of: o.as_of.as_ref(),
            columns: &o.columns,
            rows,
            table_url,
        })
    }
}

/// **overview** in docs/templates.md.
#[derive(Serialize)]
struct OverviewView<'o> {
    id: &'o str,
    title: &'o str,
    description: &'o str,
    height: i64,
    plot_top: i64,
    plot_height: i64,
    plot_bottom: i64,
    ticks: &'o Value,
    tick_path: &'o Value,
    levels: &'o [Level],
    lines: &'o [Line],
    milestones: &'o [Milestone],
    end: Option<&'o EndLabel>,
    as_of: Option<&'o Tick>,
    columns: &'o [Column],
    /// Empty on an as-of page, whose `table_url` leads to the table on the treaty's page.
    rows: &'o [Row],
    table_url: Option<String>,
}

/// The template value of each of a chart's marks, by lane.
pub(super) fn mark_values(chart: &Chart) -> Vec<Vec<Value>> {
    chart
        .lanes
        .iter()
        .map(|lane| lane.marks.iter().map(value).collect())
        .collect()
}

/// A chart as a template value, its marks taken from `marks` (the values of the marks of the
/// chart it was cut from, by lane).
pub(super) fn chart_value(chart: &Chart, marks: &[Vec<Value>]) -> Value {
    let lanes = chart
        .lanes
        .iter()
        .map(|lane| LaneView {
            label: &lane.label,
            flag: lane.flag.as_deref(),
            flag_image: lane.flag_image.as_deref(),
            url: &lane.url,
            spans: &lane.spans,
            marks: &marks[lane.source][..lane.marks.len()],
            text: lane
                .marks
                .iter()
                .map(|m| m.step.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            status: lane.status,
            status_id: lane.status_id,
        })
        .collect();
    value(&ChartView {
        id: &chart.id,
        title: &chart.title,
        ticks: &chart.ticks,
        grid: chart.grid,
        lanes,
        legend: &chart.legend,
        as_of: chart.as_of.as_ref(),
    })
}

#[derive(Serialize)]
struct ChartView<'c> {
    id: &'c str,
    title: &'c str,
    ticks: &'c [Tick],
    grid: Pos,
    lanes: Vec<LaneView<'c>>,
    legend: &'c [LegendItem],
    as_of: Option<&'c Tick>,
}

#[derive(Serialize)]
struct LaneView<'c> {
    label: &'c str,
    flag: Option<&'c str>,
    flag_image: Option<&'c str>,
    url: &'c str,
    spans: &'c [Span],
    marks: &'c [Value],
    /// Every step in words, for readers who do not see the drawing.
    text: String,
    status: &'static str,
    status_id: &'static str,
}
