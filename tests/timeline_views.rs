//! Issue 6: the membership chart, the year-end pages, the figures and the open data, as a
//! reader and a data user see them on the default site (frozen as a fixture).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Built, ElementRef, Html, Query, attr, build_ok, default_site, members_table, text};
use jiff::civil::Date;

/// The path of site.yaml's base_url, with which the site's links to its own pages start.
const BASE_PATH: &str = "/treatyline/";
const TREATY: &str = "treaties/abraham-accords/index.html";

fn site() -> Built {
    build_ok(&default_site(), &[])
}

/// The page's lanes chart (there is one per page at most).
fn chart(page: &Html) -> ElementRef<'_> {
    page.one("figure.lanes")
}

/// The labels of the chart's lanes, top to bottom, each a flag and a name.
fn lane_labels(chart: ElementRef<'_>) -> Vec<String> {
    chart.texts("li.lane a.lane-name")
}

/// An output path for a link within the site (`/treatyline/articles/x/` ->
/// `articles/x/index.html`).
fn output_path(url: &str) -> String {
    let path = url
        .strip_prefix(BASE_PATH)
        .unwrap_or_else(|| panic!("{url} is off-site"));
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

#[test]
fn the_treaty_chart_has_a_lane_per_member_in_text_and_a_drawing() {
    let site = site();
    let page = site.page(TREATY);
    let chart = chart(&page);

    // Lanes in the order of the members table, each labelled with its flag and name.
    let lanes = lane_labels(chart);
    assert_eq!(lanes[0], "🇧🇭 Bahrain");
    assert_eq!(lanes[1], "🇰🇿 Kazakhstan");
    assert_eq!(lanes[4], "🇦🇪 United Arab Emirates");
    let lane_names: Vec<String> = chart
        .all("li.lane a.lane-name")
        .into_iter()
        .map(common::spoken_text)
        .collect();
    let table: Vec<String> = members_table(&page)
        .into_iter()
        .map(|r| r.country)
        .collect();
    assert_eq!(lane_names, table);
    for link in chart.all("li.lane a.lane-name") {
        let href = attr(link, "href");
        assert!(
            href.starts_with(&format!("{BASE_PATH}countries/")),
            "{href}"
        );
        assert!(site.exists(&output_path(href)), "{href} does not exist");
    }

    // Every lane says its status and its steps in words; its drawing is hidden from
    // assistive technology.
    let uae = chart.all("li.lane")[4];
    assert_eq!(uae.texts(".lane-status"), ["In force"]);
    let said = uae.texts(".visually-hidden").join(" ");
    assert!(
        said.starts_with("Announced, 13 August 2020; Signed, 15 September 2020"),
        "{said}"
    );
    assert!(
        chart.texts(".visually-hidden")[1].contains("Announced, 6 November 2025"),
        "Kazakhstan"
    );

    // Every mark links to an article that exists, out of the tab order, and its tooltip
    // says what it is.
    let mut marks = 0;
    for track in chart.all("svg.lane-track") {
        assert_eq!(attr(track, "aria-hidden"), "true");
        for mark in track.all("a") {
            marks += 1;
            assert_eq!(attr(mark, "tabindex"), "-1", "{}", mark.html());
            let href = attr(mark, "href");
            assert!(href.starts_with(&format!("{BASE_PATH}articles/")), "{href}");
            assert!(site.exists(&output_path(href)), "{href} does not exist");
            let said = text(mark.one("title"));
            let year = said.rsplit(' ').next().unwrap();
            assert!(year.parse::<i16>().is_ok(), "a mark without a date: {said}");
            assert_eq!(mark.all("use").len(), 1);
        }
    }
    assert!(marks >= 15, "{marks} marks");

    // The legend names every stage drawn, each with the mark's own shape.
    let legend = chart.one("ul.chart-legend");
    let drawn: BTreeSet<String> = chart
        .attrs("svg.lane-track use", "href")
        .into_iter()
        .collect();
    let defined: BTreeSet<String> = chart
        .attrs("svg.lanes-defs path", "id")
        .into_iter()
        .map(|id| format!("#{id}"))
        .collect();
    assert_eq!(drawn, defined);
    let shapes: BTreeSet<String> = chart
        .attrs("svg.lanes-defs path", "d")
        .into_iter()
        .collect();
    let legend_shapes: BTreeSet<String> = legend.attrs("path", "d").into_iter().collect();
    assert_eq!(shapes, legend_shapes);
    assert_eq!(
        legend.texts("li"),
        [
            "Announced",
            "Agreed in principle",
            "Signed",
            "Ratified",
            "In force",
            "Suspended"
        ]
    );
}

#[test]
fn the_home_page_and_a_country_page_show_charts() {
    let site = site();
    let home = site.page("index.html");
    assert_eq!(lane_labels(chart(&home)).len(), 5);
    // Five lanes fit on the page: there is no page of lanes.
    assert!(home.all("p.lanes-link").is_empty());
    assert!(!site.exists("treaties/abraham-accords/lanes/index.html"));

    // Kazakhstan has one lane, for the one treaty it has taken steps in.
    let kz = site.page("countries/kz/index.html");
    let chart = chart(&kz);
    assert_eq!(lane_labels(chart), ["Abraham Accords"]);
    assert_eq!(chart.texts(".lane-status"), ["Agreed in principle"]);
}

#[test]
fn the_overview_is_an_image_described_in_words_with_its_numbers_in_a_table() {
    let site = site();
    for path in ["index.html", TREATY] {
        let page = site.page(path);
        let svg = page.one("svg.overview-svg");
        assert_eq!(attr(svg, "role"), "img");
        let title_id = attr(svg, "aria-labelledby");
        let desc_id = attr(svg, "aria-describedby");
        assert_eq!(
            text(svg.one(&format!("title[id='{title_id}']"))),
            "Abraham Accords: members over time"
        );
        let desc = text(svg.one(&format!("desc[id='{desc_id}']")));
        assert!(
            desc.contains("Members: 3 at the end of 2020, 3 at the end of 2021"),
            "{desc}"
        );
        assert!(desc.ends_with("at the end of each year."), "{desc}");
        // The members' line is drawn thick and comes last, over the others.
        let lines = svg.attrs("path.overview-line", "class");
        assert_eq!(lines.last().unwrap(), "overview-line stage-members");

        // The table: a row per year-end, then the newest event's day; the last column the
        // members, which agree with the members table.
        let table = page.one("table.overview-table");
        let headers = table.texts("thead th");
        assert_eq!(headers.first().unwrap(), "Day");
        assert_eq!(headers.last().unwrap(), "Members");
        let rows = table.all("tbody tr");
        let last = rows.last().unwrap();
        assert_eq!(text(last.one("th")), "6 November 2025");
        let members = members_table(&page)
            .iter()
            .filter(|r| {
                ["Signed", "Ratified", "In force"]
                    .iter()
                    .any(|s| r.status.starts_with(s))
            })
            .count();
        assert_eq!(last.texts("td").last().unwrap(), &members.to_string());
    }
}

#[test]
fn year_end_pages_show_the_membership_as_it_stood() {
    let site = site();
    let years: Vec<i16> = (2020..=2025).collect();
    for year in &years {
        assert!(
            site.exists(&format!("treaties/abraham-accords/as-of/{year}/index.html")),
            "no page for {year}"
        );
    }
    assert!(!site.exists("treaties/abraham-accords/as-of/2019/index.html"));
    assert!(!site.exists("treaties/abraham-accords/as-of/2026/index.html"));

    // End of 2020: four countries, Kazakhstan not yet; the UAE ratified but not yet in force.
    let page = site.page("treaties/abraham-accords/as-of/2020/index.html");
    assert_eq!(page.texts("h1"), ["Membership on 31 December 2020"]);
    // The status is the one on that day, not today's.
    assert_eq!(page.texts("table.members thead th")[1], "Status");
    let rows = members_table(&page);
    let names: Vec<&str> = rows.iter().map(|r| r.country.as_str()).collect();
    assert_eq!(
        names,
        ["Bahrain", "Morocco", "Sudan", "United Arab Emirates"]
    );
    assert_eq!(rows[3].status, "Ratified");
    assert_eq!(rows[3].columns["In force"], None);
    assert_eq!(rows[3].columns["Ratified"].as_deref(), Some("2020-10-12"));
    assert_eq!(lane_labels(chart(&page)).len(), 4);
    // The chart draws nothing after the day (each mark's target names its date).
    let drawn = page.texts("svg.lane-track a title");
    assert!(drawn.len() > 10, "{drawn:?}");
    assert!(drawn.iter().all(|t| t.ends_with("2020")), "{drawn:?}");

    // 2025 has all five; every year page links to every other and to today's page.
    let page = site.page("treaties/abraham-accords/as-of/2025/index.html");
    assert_eq!(members_table(&page).len(), 5);
    let mut expected: Vec<String> = years
        .iter()
        .map(|y| format!("{BASE_PATH}treaties/abraham-accords/as-of/{y}/"))
        .collect();
    expected.push(format!("{BASE_PATH}treaties/abraham-accords/"));
    for year in &years {
        let page = site.page(&format!("treaties/abraham-accords/as-of/{year}/index.html"));
        let nav = page.one("nav.as-of-nav");
        assert_eq!(nav.attrs("a", "href"), expected);
        assert_eq!(
            nav.texts("a[aria-current=page]"),
            [year.to_string()],
            "the year shown is marked"
        );
    }

    // Today's table says how current it is.
    let today = site.page(TREATY);
    assert_eq!(
        today.texts("table.members caption .caption-meta"),
        ["as of 6 November 2025 · 3 members of 5 countries listed"]
    );
}

#[test]
fn the_figures_count_members_by_stage_and_days_to_signature() {
    let site = site();
    let page = site.page(TREATY);
    let counted: BTreeMap<String, usize> = page
        .all("dl.stage-counts > div")
        .into_iter()
        .map(|pair| {
            let count = text(pair.one("dd")).parse().expect("a count");
            (text(pair.one("dt")), count)
        })
        .collect();
    // The members table's statuses, counted independently.
    let mut statuses = BTreeMap::new();
    for row in members_table(&page) {
        let stage = row.status.split(" since ").next().unwrap().to_string();
        *statuses.entry(stage).or_insert(0) += 1;
    }
    assert_eq!(counted, statuses);
    assert_eq!(
        counted,
        BTreeMap::from([
            ("Agreed in principle".to_string(), 2),
            ("Ratified".to_string(), 2),
            ("In force".to_string(), 1)
        ])
    );

    // Days from announcement to signature, recomputed from the dates in each row.
    let table = page.one("table.to-signing");
    let mut days = Vec::new();
    for row in table.all("tbody tr") {
        let dates: Vec<Date> = row
            .attrs("time", "datetime")
            .iter()
            .map(|d| d.parse().unwrap())
            .collect();
        let shown: i64 = text(row.one("td.num")).parse().unwrap();
        let expected = (dates[1] - dates[0]).get_days() as i64;
        assert_eq!(shown, expected, "{}", text(row));
        days.push(expected);
    }
    // Bahrain, Morocco, Sudan, the UAE.
    assert_eq!(days, [4, 12, 75, 33]);
    assert_eq!(
        table.texts("caption .caption-meta"),
        ["median 23 days over 4 countries"]
    );
}

#[test]
fn the_data_page_explains_and_links_every_file_and_the_treaty_page_its_downloads() {
    let site = site();
    let data = site.page("data/index.html");
    let licence = data.one("main .prose a[href='https://creativecommons.org/licenses/by/4.0/']");
    assert_eq!(text(licence), "CC BY 4.0", "the licence is named");
    let hrefs = data.attrs("main a", "href");
    for file in [
        "abraham-accords.json",
        "abraham-accords.csv",
        "abraham-accords.ics",
        "schema.json",
        "timeline.json",
    ] {
        let url = format!("{BASE_PATH}data/{file}");
        assert!(hrefs.contains(&url), "{file} not linked");
        assert!(site.exists(&format!("data/{file}")));
    }
    let downloads = site.page(TREATY);
    assert_eq!(
        downloads.attrs("ul.downloads a", "href"),
        ["json", "csv", "ics"].map(|ext| format!("{BASE_PATH}data/abraham-accords.{ext}"))
    );
    // Every page's footer leads to the Data page.
    for page in [
        "index.html",
        TREATY,
        "articles/white-house-signing/index.html",
    ] {
        let footer = site.page(page);
        let footer = footer.one("footer.site-footer");
        assert_eq!(
            footer.texts(&format!("a[href='{BASE_PATH}data/']")),
            ["Open data"],
            "{page}"
        );
    }
}

#[test]
fn the_treaty_json_validates_against_the_published_schema() {
    let site = site();
    let schema: serde_json::Value = serde_json::from_str(&site.read("data/schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let mut data: serde_json::Value =
        serde_json::from_str(&site.read("data/abraham-accords.json")).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&data)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let events = data["events"].as_array().unwrap();
    assert!(events.len() >= 15);
    for event in events {
        assert_eq!(event["country_code"].as_str().unwrap().len(), 2);
        assert!(event["country_name"].is_string());
        assert_eq!(event["country_kind"], "state");
        assert_eq!(event["date_precision"], "day");
        assert_eq!(event["period"], 1);
        assert_eq!(event["derived"], false);
    }

    // The schema is strict enough to catch a broken file.
    data["events"][0]["stage"] = serde_json::json!("joined");
    assert!(!validator.is_valid(&data));
}
