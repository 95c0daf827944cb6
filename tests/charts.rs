//! Issue 13: the charts of a treaty of about 200 parties, as a reader sees them on the
//! multilateral fixture: the overview's numbers against an independent count, and the lanes
//! moved to a page of their own, with whole names, close marks apart and each membership
//! period drawn on its own.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Built, ElementRef, Html, Query, attr, build_ok, fixture, members_table, text};
use jiff::civil::Date;

const AGREEMENT: &str = "treaties/meridian-agreement/index.html";
const LANES: &str = "treaties/meridian-agreement/lanes/index.html";
/// The lanes page's absolute URL, as the sitemap gives it.
const LANES_URL: &str = "https://example.org/meridian/treaties/meridian-agreement/lanes/";
/// The lanes page as the site's pages link to it: a path from the domain's root.
const LANES_PATH: &str = "/meridian/treaties/meridian-agreement/lanes/";
/// The path of the fixture's base URL, with which its links to its own pages start.
const BASE_PATH: &str = "/meridian/";

fn site() -> Built {
    build_ok(&fixture("multilateral"), &[])
}

/// The overview table's rows: the day (`datetime`) and the count of each column, by header.
fn overview_rows(page: &Html) -> Vec<(String, BTreeMap<String, usize>)> {
    let table = page.one("table.overview-table");
    let headers = table.texts("thead th");
    table
        .all("tbody tr")
        .into_iter()
        .map(|row| {
            let day = attr(row.one("th time"), "datetime").to_string();
            let counts = headers[1..]
                .iter()
                .cloned()
                .zip(row.texts("td").iter().map(|n| n.parse().unwrap()))
                .collect();
            (day, counts)
        })
        .collect()
}

/// The stage names as the pages write them, by id.
fn stage_name(id: &str) -> &'static str {
    match id {
        "signed" => "Signed",
        "ratified" => "Ratified",
        "in-force" => "In force",
        "withdrawal-notified" => "Withdrawal notified",
        "withdrawn" => "Withdrawn",
        other => panic!("a stage the fixture does not use: {other}"),
    }
}

/// Every country's status on `day`, counted from the treaty's open data rather than from
/// the timeline: its latest step on or before the day (a date known to the month or year
/// counts from its last day), the furthest stage when several fall on one day.
fn independent_count(events: &[serde_json::Value], day: Date) -> BTreeMap<String, usize> {
    const ORDER: [&str; 5] = [
        "signed",
        "ratified",
        "in-force",
        "withdrawal-notified",
        "withdrawn",
    ];
    let mut latest: BTreeMap<&str, (Date, usize)> = BTreeMap::new();
    for event in events {
        let written = event["date"].as_str().unwrap();
        let effective: Date = match written.len() {
            4 => format!("{written}-12-31").parse().unwrap(),
            7 => {
                let first: Date = format!("{written}-01").parse().unwrap();
                first.last_of_month()
            }
            _ => written.parse().unwrap(),
        };
        if effective > day {
            continue;
        }
        let stage = event["stage"].as_str().unwrap();
        let order = ORDER.iter().position(|s| *s == stage).unwrap();
        let country = event["country_code"].as_str().unwrap();
        let entry = latest.entry(country).or_insert((effective, order));
        if (effective, order) > *entry {
            *entry = (effective, order);
        }
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (_, order) in latest.values() {
        *counts
            .entry(stage_name(ORDER[*order]).to_string())
            .or_default() += 1;
        // Parties from ratification, a notice of withdrawal still one.
        if (1..=3).contains(order) {
            *counts.entry("Parties".to_string()).or_default() += 1;
        }
    }
    counts
}

#[test]
fn the_overview_counts_agree_with_an_independent_count_on_every_row() {
    let site = site();
    let data: serde_json::Value =
        serde_json::from_str(&site.read("data/meridian-agreement.json")).unwrap();
    let events = data["events"].as_array().unwrap();
    for path in ["index.html", AGREEMENT] {
        let page = site.page(path);
        let rows = overview_rows(&page);
        assert_eq!(rows.first().unwrap().0, "2017-12-31", "from its founding");
        assert_eq!(rows.last().unwrap().0, "2026-01-27", "to its newest event");
        for (day, counts) in &rows {
            let mut expected = independent_count(events, day.parse().unwrap());
            for (column, count) in counts {
                let want = expected.remove(column).unwrap_or(0);
                assert_eq!(*count, want, "{path}: {column} on {day}");
            }
            assert!(expected.is_empty(), "{day}: no column for {expected:?}");
        }
        // The fixture's own year-end figures (tests/fixtures/multilateral/README.md).
        let parties: Vec<usize> = rows[1..9].iter().map(|(_, c)| c["Parties"]).collect();
        assert_eq!(parties, [48, 108, 127, 153, 163, 172, 182, 186]);
        assert_eq!(rows.last().unwrap().1["Parties"], 185);

        // The description says the same, and the treaty's milestones are marked.
        let svg = page.one("svg.overview-svg");
        assert_eq!(attr(svg, "role"), "img");
        let desc = text(svg.one("desc"));
        assert!(
            desc.contains("48 at the end of 2018, 108 at the end of 2019"),
            "{desc}"
        );
        assert!(desc.contains("185 on 27 January 2026"), "{desc}");
        assert_eq!(
            svg.texts("text.overview-milestone-label"),
            ["Established", "Entry into force"]
        );
        assert_eq!(svg.texts("text.overview-end"), ["185 parties"]);
        // The key names each line with its count on the last day, the members first.
        assert_eq!(
            page.texts("ul.overview-legend li"),
            [
                "Parties 185",
                "Signed 6",
                "Ratified 1",
                "In force 184",
                "Withdrawal notified 0",
                "Withdrawn 2",
                "Established, 12 December 2017",
                "Entry into force, 8 March 2019"
            ]
        );
    }

    // The amendment counts its members from entry into force.
    let page = site.page("treaties/meridian-amendment/index.html");
    let members: Vec<(String, usize)> = overview_rows(&page)
        .into_iter()
        .map(|(day, c)| (day, c["Members"]))
        .collect();
    let expected = [
        ("2021-12-31", 0),
        ("2022-12-31", 0),
        ("2023-12-31", 23),
        ("2024-12-31", 25),
        ("2025-03-10", 26),
    ];
    assert_eq!(
        members,
        expected.map(|(d, n)| (d.to_string(), n)),
        "the amendment"
    );

    // A year-end page's overview stops at its day: its key counts what the independent count
    // finds on 31 December, every year, and the table of every year stays on the treaty's
    // page, which it links to.
    let treaty = site.page(AGREEMENT);
    // 2017, its founding year, has no step yet: no line to draw.
    for year in 2018..=2025 {
        let path = format!("treaties/meridian-agreement/as-of/{year}/index.html");
        let page = site.page(&path);
        let day = Date::new(year, 12, 31).unwrap();
        let expected = independent_count(events, day);
        // Each line's name and its count on the day (the milestones and the day itself
        // follow in the key).
        let lines = ["Parties", "Signed", "Ratified", "In force", "Withdrawn"];
        let mut checked = 0;
        for item in page.texts("ul.overview-legend li") {
            let Some((name, count)) = item.rsplit_once(' ') else {
                continue;
            };
            if lines.contains(&name) {
                let want = expected.get(name).copied().unwrap_or(0);
                assert_eq!(count, want.to_string(), "{path}: {name}");
                checked += 1;
            }
        }
        assert!(checked >= 2, "{path}: {checked} lines in the key");
        let parties = expected.get("Parties").copied().unwrap_or(0);
        let end = page.one("svg.overview-svg").texts("text.overview-end");
        assert_eq!(end, [format!("{parties} parties")], "{path}");
        let desc = text(page.one("svg.overview-svg desc"));
        assert!(
            desc.contains(&format!("{parties} at the end of {year}.")),
            "{path}: {desc}"
        );
        assert!(page.all("table.overview-table").is_empty(), "{path}");
        let link =
            format!("{BASE_PATH}treaties/meridian-agreement/#overview-meridian-agreement-numbers");
        assert!(
            page.attrs(".overview a", "href").contains(&link),
            "{path}: a link to the treaty page's table"
        );
    }
    let table = treaty.one("details#overview-meridian-agreement-numbers");
    assert_eq!(table.all("table.overview-table").len(), 1);
}

/// Each mark of a lane: where it falls (percent of the axis) and how far it is moved (px).
fn marks(lane: ElementRef<'_>) -> Vec<(f64, f64)> {
    lane.all("svg.lane-track use")
        .into_iter()
        .map(|mark| {
            let x = attr(mark, "x").strip_suffix('%').unwrap().parse().unwrap();
            let dx = mark.attr("transform").map_or(0.0, |t| {
                let inner = t.strip_prefix("translate(").unwrap();
                inner.strip_suffix(')').unwrap().parse().unwrap()
            });
            (x, dx)
        })
        .collect()
}

#[test]
fn past_thirty_parties_the_lanes_have_a_page_of_their_own_in_groups() {
    let site = site();
    for path in ["index.html", AGREEMENT] {
        let page = site.page(path);
        assert!(page.all("figure.lanes").is_empty(), "{path}: lanes inline");
        assert_eq!(page.attrs("p.lanes-link a", "href"), [LANES_PATH], "{path}");
    }
    assert!(site.read("sitemap.xml").contains(LANES_URL));

    // The amendment's 26 stay on its page.
    let amendment = site.page("treaties/meridian-amendment/index.html");
    assert_eq!(amendment.all("figure.lanes li.lane").len(), 26);
    assert!(amendment.all("p.lanes-link").is_empty());
    assert!(!site.exists("treaties/meridian-amendment/lanes/index.html"));

    // Every party once, in groups of at most 30 under their own headings, each linked from
    // the top of the page.
    let page = site.page(LANES);
    let groups = page.all("section.lanes-group");
    assert!(groups.len() >= 7, "{} groups", groups.len());
    let mut names = Vec::new();
    for group in &groups {
        let lanes = group.all("li.lane");
        assert!((1..=30).contains(&lanes.len()), "{}", lanes.len());
        let id = attr(*group, "id");
        assert_eq!(page.all(&format!("nav.lanes-nav a[href='#{id}']")).len(), 1);
        names.extend(
            lanes
                .iter()
                .map(|l| common::spoken_text(l.one("a.lane-name"))),
        );
    }
    assert_eq!(
        page.texts("h2.section-title")[..3],
        ["A–B", "C–D", "E–H"],
        "groups by initial"
    );

    // Names whole, as the members table writes them, in the same order.
    let table: Vec<String> = members_table(&site.page(AGREEMENT))
        .into_iter()
        .map(|r| r.country)
        .collect();
    assert_eq!(names, table);
    assert!(names.contains(&"Saint Vincent and the Grenadines".to_string()));
    assert!(names.contains(&"Bosnia and Herzegovina".to_string()));
    // Each keeps its flag.
    let bosnia = page
        .all("a.lane-name")
        .into_iter()
        .find(|a| text(*a).ends_with("Bosnia and Herzegovina"))
        .unwrap();
    assert_eq!(text(bosnia.one(".flag")), "🇧🇦");
}

#[test]
fn close_marks_are_apart_and_each_period_is_drawn_on_its_own() {
    let site = site();
    let page = site.page(LANES);
    let lanes = page.all("li.lane");

    // Two marks closer than 5% of the axis are moved at least 12 px apart, in date order.
    let mut close = 0;
    for lane in &lanes {
        for pair in marks(*lane).windows(2) {
            let ((x0, dx0), (x1, dx1)) = (pair[0], pair[1]);
            if x1 - x0 < 5.0 {
                close += 1;
                assert!(dx1 - dx0 >= 12.0, "{}: {pair:?}", text(lane.one("a")));
            }
        }
    }
    assert!(close > 100, "{close} pairs of close marks");

    // The United States left and came back: a line through each membership period, none
    // across the time between (withdrawn 4 November 2020, back 20 January 2021).
    let us = lanes
        .iter()
        .find(|l| text(l.one("a.lane-name")).ends_with("United States"))
        .unwrap();
    let titles = us.texts("svg.lane-track a title");
    assert_eq!(titles.len(), 9, "{titles:?}");
    assert_eq!(titles[4], "United States: Withdrawn, 4 November 2020");
    assert_eq!(
        titles[5],
        "United States: Ratified (Acceptance), 20 January 2021"
    );
    let xs: Vec<String> = us.attrs("svg.lane-track use", "x");
    let spans: BTreeSet<(String, String)> = us
        .all("line.chart-span")
        .into_iter()
        .map(|l| (attr(l, "x1").to_string(), attr(l, "x2").to_string()))
        .collect();
    assert_eq!(spans.len(), 4 + 3, "{spans:?}");
    assert!(!spans.contains(&(xs[4].clone(), xs[5].clone())));
    assert!(spans.iter().all(|(from, _)| *from != xs[4]));
    let said = us.texts(".visually-hidden").join(" ");
    assert!(
        said.contains("Withdrawn, 4 November 2020; Ratified (Acceptance), 20 January 2021"),
        "{said}"
    );
}
