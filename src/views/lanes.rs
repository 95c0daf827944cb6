//! The page of a treaty's lanes chart (**lanes.html** in docs/templates.md), for a treaty with
//! more countries than its own page shows as lanes: the lanes in groups, each group a chart of
//! its own under a heading, so that no one chart runs for thousands of pixels. Groups follow
//! the treaty's order of countries: by the initial of the name (or code), or by the year of
//! joining; neighbouring small groups are merged and a large one is cut in parts.

use serde::Serialize;
use tera::Value;

use super::chart::chart_value;
use super::shared::Shared;
use crate::chart::{Chart, LegendItem};
use crate::model::{CountryOrder, Treaty};
use crate::timeline::TreatyTimeline;

/// A treaty with at most this many lanes shows them on its own page; with more, on its lanes
/// page.
pub(super) const MAX_INLINE: usize = 30;
/// At most this many lanes in one group.
const GROUP: usize = 30;

/// `lanes.html`: every lane of a treaty, in groups.
#[derive(Serialize)]
pub struct LanesPage {
    /// The treaty summary.
    treaty: Value,
    title: String,
    lane_count: usize,
    groups: Vec<Group>,
    /// Every stage drawn, for one key above all the groups.
    legend: Vec<LegendItem>,
}

impl LanesPage {
    pub(super) fn meta(&self) -> super::Meta {
        super::Meta {
            title: Some(self.title.clone()),
            description: None,
        }
    }
}

#[derive(Serialize)]
struct Group {
    /// The id of its section, for the links to it.
    id: String,
    heading: String,
    chart: Value,
}

/// The lanes page of a treaty whose chart has more than [`MAX_INLINE`] lanes; none otherwise.
/// `marks` are the values of the chart's marks, by lane.
pub(super) fn page(
    shared: &Shared,
    treaty: &Treaty,
    timeline: &TreatyTimeline,
    chart: &Chart,
    marks: &[Vec<Value>],
) -> Option<LanesPage> {
    if chart.lanes.len() <= MAX_INLINE {
        return None;
    }
    // Every track has an event, so each lane stands for the track of the same index.
    let keys: Vec<Key> = timeline
        .tracks
        .iter()
        .map(|track| match treaty.order {
            CountryOrder::Name => Key::Letter(initial(&shared.model.party(track.country).sort_key)),
            CountryOrder::Code => Key::Letter(initial(track.country.code())),
            CountryOrder::Joined => match track.joined(&timeline.membership) {
                Some(day) => Key::Year(day.year()),
                None => Key::Never,
            },
        })
        .collect();
    let noun = &treaty.membership.noun.0;
    let groups = groups(&keys)
        .into_iter()
        .enumerate()
        .map(|(i, (range, heading))| {
            let lanes = &chart.lanes[range];
            let heading = heading.text(noun, lanes);
            let id = format!("lanes-{}", i + 1);
            let part = chart.part(id.clone(), format!("{}: {heading}", chart.title), lanes);
            Group {
                chart: chart_value(&part, marks),
                id,
                heading,
            }
        })
        .collect();
    Some(LanesPage {
        treaty: shared.treaty(&treaty.slug),
        title: format!("{}: every country's steps", treaty.title),
        lane_count: chart.lanes.len(),
        groups,
        legend: chart.legend.clone(),
    })
}

/// What a lane is grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Letter(char),
    Year(i16),
    /// Never a member (in a treaty ordered by joining).
    Never,
}

/// A group's heading, before its lanes are known: the first and last key it holds, and which
/// part it is of a key cut in parts.
#[derive(Debug, PartialEq, Eq)]
struct Heading {
    first: Key,
    last: Key,
    part: Option<(usize, usize)>,
}

impl Heading {
    fn text(&self, noun: &str, lanes: &[crate::chart::Lane]) -> String {
        let key = |k: Key| match k {
            Key::Letter(c) => c.to_string(),
            Key::Year(y) => y.to_string(),
            Key::Never => format!("Not yet a {noun}"),
        };
        let mut text = if self.first == self.last {
            key(self.first)
        } else {
            format!("{}–{}", key(self.first), key(self.last))
        };
        if matches!(self.first, Key::Year(_)) {
            text = format!("Joined in {text}");
        }
        // A part of an initial says which names it runs between; a part of a year is in
        // order of joining, not of names.
        match (self.part, lanes.first(), lanes.last()) {
            (Some((part, parts)), Some(first), Some(last))
                if matches!(self.first, Key::Letter(_)) =>
            {
                format!(
                    "{text}, part {part} of {parts}: {} to {}",
                    first.label, last.label
                )
            }
            (Some((part, parts)), _, _) => format!("{text}, part {part} of {parts}"),
            _ => text,
        }
    }
}

/// Cuts lanes into groups by their keys, in order: a run of one key is a group; small runs
/// next to each other are merged up to [`GROUP`] lanes, and a run longer than that is cut
/// into parts of about equal size. Lanes never a member stay in a group of their own.
fn groups(keys: &[Key]) -> Vec<(std::ops::Range<usize>, Heading)> {
    let runs: Vec<(Key, std::ops::Range<usize>)> = keys
        .chunk_by(|a, b| a == b)
        .scan(0, |start, run| {
            let range = *start..*start + run.len();
            *start = range.end;
            Some((run[0], range))
        })
        .collect();
    let mut groups: Vec<(std::ops::Range<usize>, Heading)> = Vec::new();
    for (key, range) in runs {
        if range.len() > GROUP {
            let parts = range.len().div_ceil(GROUP);
            let size = range.len().div_ceil(parts);
            for part in 0..parts {
                let start = range.start + part * size;
                let heading = Heading {
                    first: key,
                    last: key,
                    part: Some((part + 1, parts)),
                };
                groups.push((start..(start + size).min(range.end), heading));
            }
            continue;
        }
        if let Some((last_range, last)) = groups.last_mut()
            && last.part.is_none()
            && last.last != Key::Never
            && key != Key::Never
            && last_range.len() + range.len() <= GROUP
        {
            last_range.end = range.end;
            last.last = key;
            continue;
        }
        let heading = Heading {
            first: key,
            last: key,
            part: None,
        };
        groups.push((range, heading));
    }
    groups
}

/// The first letter of a name (or code), in capitals; `#` for one that starts otherwise.
fn initial(name: &str) -> char {
    name.chars()
        .next()
        .filter(|c| c.is_alphabetic())
        .map_or('#', |c| c.to_uppercase().next().unwrap_or(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_initials_are_merged_and_a_large_one_is_cut_in_parts() {
        let mut keys = vec![Key::Letter('A'); 10];
        keys.extend(vec![Key::Letter('B'); 15]);
        keys.extend(vec![Key::Letter('C'); 10]);
        keys.extend(vec![Key::Letter('S'); 40]);
        let groups = groups(&keys);
        let ranges: Vec<_> = groups.iter().map(|(r, _)| r.clone()).collect();
        assert_eq!(ranges, [0..25, 25..35, 35..55, 55..75]);
        assert_eq!(groups[0].1.first, Key::Letter('A'));
        assert_eq!(groups[0].1.last, Key::Letter('B'));
        assert_eq!(groups[3].1.part, Some((2, 2)));
    }

    #[test]
    fn those_never_members_stay_apart() {
        let keys = [Key::Year(2020), Key::Year(2021), Key::Never];
        let groups = groups(&keys);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].0, 0..2);
        assert_eq!(groups[1].1.first, Key::Never);
    }
}
