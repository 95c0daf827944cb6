//! A chart as template values (**chart** in docs/templates.md): the geometry `crate::chart`
//! lays out, with the values of its marks shared between a treaty's chart and the as-of charts
//! cut from it.

use serde::Serialize;
use tera::Value;

use super::shared::value;
use crate::chart::{Chart, LegendItem, Tick};

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
            y: lane.y,
            label: &lane.label,
            flag: lane.flag.as_deref(),
            url: &lane.url,
            span_from: lane.span_from,
            span_to: lane.span_to,
            spans: &lane.spans,
            marks: &marks[lane.source][..lane.marks.len()],
            status: lane.status,
            status_id: lane.status_id,
        })
        .collect();
    value(&ChartView {
        id: &chart.id,
        title: &chart.title,
        description: &chart.description,
        width: chart.width,
        height: chart.height,
        plot_left: chart.plot_left,
        plot_right: chart.plot_right,
        axis_y: chart.axis_y,
        label_x: chart.label_x,
        ticks: &chart.ticks,
        lanes,
        legend: &chart.legend,
        as_of: chart.as_of.as_ref(),
    })
}

#[derive(Serialize)]
struct ChartView<'c> {
    id: &'c str,
    title: &'c str,
    description: &'c str,
    width: i64,
    height: i64,
    plot_left: i64,
    plot_right: i64,
    axis_y: i64,
    label_x: i64,
    ticks: &'c [Tick],
    lanes: Vec<LaneView<'c>>,
    legend: &'c [LegendItem],
    as_of: Option<&'c Tick>,
}

#[derive(Serialize)]
struct LaneView<'c> {
    y: i64,
    label: &'c str,
    flag: Option<&'c str>,
    url: &'c str,
    span_from: i64,
    span_to: i64,
    spans: &'c [crate::chart::Span],
    marks: &'c [Value],
    status: &'static str,
    status_id: &'static str,
}
