//! The overview chart of a treaty: how many countries stood at each stage on each day, as
//! step lines, the member count drawn thick and the treaty's milestones marked; and the same
//! numbers at the end of each year, for the table beside it.
//!
//! Counted with the timeline's own status on a day ([`TreatyTimeline::members_on`], as the
//! as-of pages count), on every day that a status changed: membership periods, notices of
//! withdrawal, derived entry into force and partial dates count as they do everywhere else.
//! Lines are drawn in a plot whose width is the page's ([`super::Pos`]) and whose height is
//! fixed in pixels, so a phone sees the whole chart and its text at full size.

use std::fmt::Write as _;
use std::sync::Arc;

use jiff::civil::Date;
use serde::Serialize;

use super::{Axis, Pos, Tick};
use crate::calendar;
use crate::dates::display_date;
use crate::model::Stage;
use crate::timeline::TreatyTimeline;

/// The plot's height, and the room above it for each milestone's label and below it for the
/// years, in pixels.
const PLOT_HEIGHT: i64 = 180;
const LABEL_ROW: i64 = 16;
const BELOW: i64 = 22;
/// At most this many count levels on the vertical axis.
const MAX_LEVELS: i64 = 5;
/// A description longer than this many year-end figures gives only the last ones.
const DESCRIBED_YEARS: usize = 12;

/// What the overview of a treaty shows, before layout.
pub struct OverviewSpec<'a> {
    pub id: String,
    pub title: String,
    pub timeline: &'a TreatyTimeline,
    /// What a member is called, `{ one, many }`: party and parties.
    pub noun: (&'a str, &'a str),
    /// The treaty's days worth marking, e.g. `("Entry into force", 2019-03-08)`, in date order.
    pub milestones: Vec<(String, Date)>,
    /// The first and last day of the axis.
    pub span: (Date, Date),
}

/// The chart and its table. Lines and counts stop at the day it stands on: the newest event,
/// or the day of an as-of page. Its ticks are the same on every day: [`Overview::ticks`]
/// gives them once, for all its charts.
#[derive(Debug)]
pub struct Overview {
    /// A prefix for the ids of the chart's title, description and table, unique on its page.
    pub id: String,
    pub title: String,
    pub description: String,
    /// The drawing's height; its width is the page's.
    pub height: i64,
    pub plot_top: i64,
    pub plot_height: i64,
    pub plot_bottom: i64,
    /// The horizontal lines of the count axis, bottom to top.
    pub levels: Vec<Level>,
    /// One line per stage that occurs, then the members' line.
    pub lines: Vec<Line>,
    pub milestones: Vec<Milestone>,
    /// The members' count written at the end of their line: `185 parties`.
    pub end: Option<EndLabel>,
    /// A dashed line at the day an as-of chart stands on.
    pub as_of: Option<Tick>,
    /// The table: a column per stage, then the members; a row per year.
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    spec: Facts,
}

/// What an overview keeps to be cut at an earlier day.
#[derive(Debug, Clone)]
struct Facts {
    axis: Axis,
    noun: (String, String),
    milestones: Vec<(String, Date)>,
    /// The counts by column from each day on which one changed, in date order: shared by
    /// the charts of every day, each showing the first `shown`.
    points: Arc<[(Date, Vec<usize>)]>,
    shown: usize,
    /// The years of the table's rows: those of the events and the axis's first, with the
    /// quiet years between as the as-of pages have them ([`calendar::as_of_years`]).
    years: Vec<i16>,
    /// The top of the count axis, the same on every day's chart.
    top: i64,
    step: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Level {
    pub y: i64,
    pub label: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// The stage's id, or `members`.
    pub stage: &'static str,
    pub name: String,
    /// SVG path data in the plot's own units: x from 0 to 10000 across, y in pixels down.
    pub path: String,
    pub member: bool,
    /// The count on the chart's last day.
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Milestone {
    pub x: Pos,
    /// The label's baseline.
    pub y: i64,
    pub label: String,
    pub date: String,
    pub date_display: String,
    /// The label ends at the line (it falls on the right half), rather than starting there.
    pub end: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct EndLabel {
    pub x: Pos,
    pub y: i64,
    pub text: String,
    pub end: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub stage: &'static str,
    pub name: String,
    pub member: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// `End of 2018`, or the day itself for a chart that stops before 31 December.
    pub label: String,
    pub date: String,
    pub counts: Vec<usize>,
}

impl Overview {
    /// Counts the treaty's stages on every day one changed, and lays the chart out up to its
    /// newest event.
    pub fn new(spec: OverviewSpec) -> Overview {
        let timeline = spec.timeline;
        let stages = timeline.stages();
        let mut days: Vec<Date> = timeline
            .tracks
            .iter()
            .flat_map(|t| t.events.iter().map(|e| e.date))
            .collect();
        days.sort_unstable();
        days.dedup();
        let points: Vec<(Date, Vec<usize>)> = days
            .iter()
            .map(|&day| (day, counts_on(timeline, &stages, day)))
            .collect();
        let highest = points
            .iter()
            .flat_map(|(_, counts)| counts.iter())
            .copied()
            .max()
            .unwrap_or(0) as i64;
        let step = level_step(highest);
        let end = days.last().copied().unwrap_or(spec.span.1);
        let marks = days.iter().map(|d| d.year()).chain([spec.span.0.year()]);
        let facts = Facts {
            years: calendar::as_of_years(marks, end.year()),
            axis: Axis::new(spec.span.0, spec.span.1),
            noun: (spec.noun.0.to_string(), spec.noun.1.to_string()),
            milestones: spec.milestones,
            top: ((highest + step - 1) / step * step).max(step),
            step,
            shown: points.len(),
            points: points.into(),
        };
        let columns = stages
            .iter()
            .map(|s| Column {
                stage: s.id(),
                name: s.name().to_string(),
                member: timeline.membership.is_member(*s),
            })
            .chain(std::iter::once(Column {
                stage: "members",
                name: capitalised(&facts.noun.1),
                member: true,
            }))
            .collect();
        lay_out(spec.id, spec.title, columns, facts, end, None)
    }

    /// The ticks of the time axis, one per 1 January (as a lanes chart's): the same on the
    /// chart of every day.
    pub fn ticks(&self) -> Vec<Tick> {
        self.spec.axis.ticks()
    }

    /// The tick marks below the plot as one SVG path in the plot's own units (`M1298,180v5`
    /// for each): one element rather than a line each, which on a chart of a century of
    /// years was half its markup.
    pub fn tick_path(&self) -> String {
        self.ticks()
            .iter()
            .map(|tick| format!("M{},{PLOT_HEIGHT}v5", tick.x.0))
            .collect()
    }

    /// The chart as it stood on `day`: the same axis and scale, the lines up to that day. Its
    /// description refers to the table of every year elsewhere (on the treaty's page): an
    /// as-of page does not repeat it.
    pub fn as_of(&self, day: Date, title: String) -> Overview {
        let mut facts = self.spec.clone();
        facts.shown = facts.points.partition_point(|(d, _)| *d <= day);
        facts.milestones.retain(|(_, d)| *d <= day);
        let as_of = Tick {
            x: facts.axis.pos(day),
            label: Some(display_date(day)),
            minor: false,
        };
        let columns = self.columns.clone();
        lay_out(self.id.clone(), title, columns, facts, day, Some(as_of))
    }
}

/// How many countries have each stage as their status on `day`, then how many count as
/// members.
fn counts_on(timeline: &TreatyTimeline, stages: &[Stage], day: Date) -> Vec<usize> {
    let standing = timeline.members_on(day);
    let mut counts: Vec<usize> = stages
        .iter()
        .map(|s| standing.iter().filter(|(_, e)| e.stage == *s).count())
        .collect();
    let members = standing
        .iter()
        .filter(|(_, e)| timeline.membership.is_member(e.stage))
        .count();
    counts.push(members);
    counts
}

/// The distance between two levels of a count axis reaching `highest`: 1, 2 or 5 times a
/// power of ten, with at most [`MAX_LEVELS`] levels above zero.
fn level_step(highest: i64) -> i64 {
    let mut unit = 1;
    loop {
        for step in [unit, 2 * unit, 5 * unit] {
            if (highest + step - 1) / step <= MAX_LEVELS {
                return step;
            }
        }
        unit *= 10;
    }
}

fn lay_out(
    id: String,
    title: String,
    columns: Vec<Column>,
    facts: Facts,
    end: Date,
    as_of: Option<Tick>,
) -> Overview {
    let axis = facts.axis;
    let plot_top = (LABEL_ROW * facts.milestones.len() as i64 + 6).max(LABEL_ROW);
    let plot_bottom = plot_top + PLOT_HEIGHT;
    let y = |count: usize| plot_y(&facts, count);
    let latest: Vec<usize> = facts
        .points()
        .last()
        .map_or_else(|| vec![0; columns.len()], |(_, c)| c.clone());
    let end_x = axis.pos(end);
    let lines = lines(&facts, &columns, &latest, end_x);
    let members = latest.last().copied().unwrap_or(0);
    let noun = if members == 1 {
        &facts.noun.0
    } else {
        &facts.noun.1
    };
    let milestones = facts
        .milestones
        .iter()
        .enumerate()
        .map(|(i, (label, day))| Milestone {
            x: axis.pos(*day),
            y: LABEL_ROW * (i as i64 + 1) - 4,
            label: label.clone(),
            date: day.to_string(),
            date_display: display_date(*day),
            end: axis.pos(*day).0 > 6_000,
        })
        .collect();
    let rows = rows(&facts, end, columns.len());
    Overview {
        description: describe(&title, &facts, &rows, end, as_of.is_some()),
        id,
        title,
        height: plot_bottom + BELOW,
        plot_top,
        plot_height: PLOT_HEIGHT,
        plot_bottom,
        levels: (0..=facts.top / facts.step)
            .map(|k| Level {
                y: plot_top + y((k * facts.step) as usize),
                label: k * facts.step,
            })
            .collect(),
        lines,
        milestones,
        end: (!facts.points().is_empty()).then(|| EndLabel {
            x: end_x,
            y: (plot_top + y(members) - 6).max(plot_top + 12),
            text: format!("{members} {noun}"),
            end: end_x.0 > 5_000,
        }),
        as_of,
        columns,
        rows,
        spec: facts,
    }
}

impl Facts {
    /// The points the chart shows: those up to its day.
    fn points(&self) -> &[(Date, Vec<usize>)] {
        &self.points[..self.shown]
    }
}

/// The height of `count` in the plot, from its top.
fn plot_y(facts: &Facts, count: usize) -> i64 {
    PLOT_HEIGHT - count as i64 * PLOT_HEIGHT / facts.top
}

/// A step line per column that is ever above zero, up to `end_x`; `latest` are the counts on
/// the last day.
fn lines(facts: &Facts, columns: &[Column], latest: &[usize], end_x: Pos) -> Vec<Line> {
    columns
        .iter()
        .enumerate()
        .filter(|(i, _)| facts.points().iter().any(|(_, c)| c[*i] > 0))
        .map(|(i, column)| {
            // Written into the path as it grows (writing to a String cannot fail): a string
            // made for each step and copied in was most of the time a chart took to lay out.
            let mut path = format!("M0,{PLOT_HEIGHT}");
            let mut last = 0;
            for (day, counts) in facts.points() {
                if counts[i] != last {
                    let x = facts.axis.pos(*day).0;
                    let _ = write!(path, "H{x}V{}", plot_y(facts, counts[i]));
                    last = counts[i];
                }
            }
            let _ = write!(path, "H{}", end_x.0);
            Line {
                stage: column.stage,
                name: column.name.clone(),
                path,
                member: column.stage == "members",
                count: latest[i],
            }
        })
        .collect()
}

/// The counts at the end of each year of the table up to `end`, the last row on `end` itself.
/// One walk along the points, which are in date order as the years are.
fn rows(facts: &Facts, end: Date, width: usize) -> Vec<Row> {
    let zero = vec![0; width];
    let mut points = facts.points().iter().peekable();
    let mut latest = &zero;
    facts
        .years
        .iter()
        .take_while(|year| **year <= end.year())
        .filter_map(|&year| {
            let year_end = Date::new(year, 12, 31).ok()?;
            let day = year_end.min(end);
            while let Some((_, c)) = points.next_if(|(d, _)| *d <= day) {
                latest = c;
            }
            let counts = latest.clone();
            let label = if day == year_end {
                format!("End of {year}")
            } else {
                display_date(day)
            };
            Some(Row {
                label,
                date: day.to_string(),
                counts,
            })
        })
        .collect()
}

/// The chart in words, for its `<desc>`: what the lines are, the members' count at the end
/// of each year, and the milestones.
fn describe(title: &str, facts: &Facts, rows: &[Row], end: Date, as_of: bool) -> String {
    let many = &facts.noun.1;
    let mut text = format!(
        "{title}: step lines that count how many countries stood at each stage on each day, \
         from {} to {}; the thick line counts the {many}.",
        facts.axis.first_year,
        display_date(end)
    );
    let figures: Vec<String> = rows
        .iter()
        .skip(rows.len().saturating_sub(DESCRIBED_YEARS))
        .map(|row| {
            let members = row.counts.last().copied().unwrap_or(0);
            match row.label.strip_prefix("End of ") {
                Some(year) => format!("{members} at the end of {year}"),
                None => format!("{members} on {}", row.label),
            }
        })
        .collect();
    if !figures.is_empty() {
        text.push_str(&format!(" {}: {}.", capitalised(many), figures.join(", ")));
    }
    for (label, day) in &facts.milestones {
        text.push_str(&format!(" {label}: {}.", display_date(*day)));
    }
    text.push_str(if as_of {
        " The table on the treaty's page gives every stage's count at the end of each year."
    } else {
        " The table that follows gives every stage's count at the end of each year."
    });
    text
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_axis_has_a_few_round_levels() {
        assert_eq!(level_step(0), 1);
        assert_eq!(level_step(5), 1);
        assert_eq!(level_step(6), 2);
        assert_eq!(level_step(193), 50);
        assert_eq!(level_step(1000), 200);
    }
}
