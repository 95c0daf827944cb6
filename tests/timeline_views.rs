//! Issue 6: the membership chart, the year-end pages, the figures and the open data, as a
//! reader and a data user see them on the default site (frozen as a fixture).

mod common;

use std::collections::BTreeSet;

use common::{Built, attr_values, build_ok, default_site, elements, members_table, visible_text};
use jiff::civil::Date;

const BASE: &str = "https://treatyline.github.io/treatyline/";
const TREATY: &str = "treaties/abraham-accords/index.html";

fn site() -> Built {
    build_ok(&default_site(), &[])
}

/// The page's one chart: its `<svg>` element.
fn chart(html: &str) -> &str {
    let charts: Vec<&str> = elements(html, "svg")
        .into_iter()
        .filter(|s| s.contains("class=\"chart-svg\""))
        .collect();
    assert_eq!(charts.len(), 1, "one chart expected");
    charts[0]
}

/// The country names of the chart's lanes, top to bottom.
fn lane_labels(svg: &str) -> Vec<String> {
    elements(svg, "text")
        .into_iter()
        .filter(|t| t.contains("class=\"chart-label\""))
        .map(|t| visible_text(t).trim().to_string())
        .collect()
}

/// An output path for a site URL (`…/articles/x/` -> `articles/x/index.html`).
fn output_path(url: &str) -> String {
    let path = url
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{url} is off-site"));
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

#[test]
fn the_treaty_chart_is_an_image_described_in_words_with_a_lane_per_member() {
    let site = site();
    let html = site.read(TREATY);
    let svg = chart(&html);
    assert!(
        svg.starts_with("<svg class=\"chart-svg\" role=\"img\""),
        "{svg:.200}"
    );

    // Its title and description are elements of the chart, found by the ids it points to.
    let title_id = attr_values(svg, "aria-labelledby").remove(0);
    let desc_id = attr_values(svg, "aria-describedby").remove(0);
    let title = elements(svg, "title")
        .into_iter()
        .find(|t| t.contains(&format!("id=\"{title_id}\"")))
        .expect("the chart's title");
    assert_eq!(visible_text(title), "Abraham Accords: membership timeline");
    let desc = elements(svg, "desc")
        .into_iter()
        .find(|t| t.contains(&format!("id=\"{desc_id}\"")))
        .expect("the chart's description");
    let desc = visible_text(desc);
    assert!(
        desc.contains("United Arab Emirates: Announced, 13 August 2020; Signed, 15 September 2020"),
        "{desc}"
    );
    assert!(
        desc.contains("Kazakhstan: Announced, 6 November 2025"),
        "{desc}"
    );

    // Lanes in the order of the members table, each labelled with its flag and name.
    let table: Vec<String> = members_table(&html)
        .iter()
        .map(|row| {
            row.text
                .split_whitespace()
                .skip(1)
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let lanes = lane_labels(svg);
    assert_eq!(lanes.len(), 5, "{lanes:?}");
    for (lane, row) in lanes.iter().zip(&table) {
        assert!(
            row.starts_with(lane.split_whitespace().nth(1).unwrap()),
            "{lane} vs {row}"
        );
    }
    assert_eq!(lanes[0], "🇦🇪 United Arab Emirates");
    assert_eq!(lanes[4], "🇰🇿 Kazakhstan");

    // Every mark has a target over it, in the hidden link layer, that says what it is and
    // links to an article that exists; the drawing itself holds no control.
    assert!(!svg.contains("<a "), "a link inside the role=img drawing");
    let links = elements(&html, "svg")
        .into_iter()
        .find(|s| s.contains("class=\"chart-svg chart-links\" aria-hidden=\"true\""))
        .expect("the link layer");
    let marks: Vec<&str> = elements(links, "a")
        .into_iter()
        .filter(|a| a.contains("class=\"chart-hit\""))
        .collect();
    let drawn = svg.matches("<path class=\"chart-mark ").count();
    assert_eq!(marks.len(), drawn, "a target for every mark");
    assert!(marks.len() >= 15, "{} marks", marks.len());
    for mark in &marks {
        assert!(mark.contains("tabindex=\"-1\""), "{mark}");
        let href = attr_values(mark, "href").remove(0);
        assert!(href.starts_with(&format!("{BASE}articles/")), "{href}");
        assert!(site.exists(&output_path(&href)), "{href} does not exist");
        let said = visible_text(elements(mark, "title")[0]);
        let year = said.rsplit(' ').next().unwrap();
        assert!(year.parse::<i16>().is_ok(), "a mark without a date: {said}");
    }

    // The legend names every stage drawn, each with the mark's own shape.
    let legend = elements(&html, "ul")
        .into_iter()
        .find(|u| u.contains("class=\"chart-legend\""))
        .expect("a legend");
    // (The drawing's only paths are its marks.)
    let shapes: BTreeSet<String> = attr_values(svg, "d").into_iter().collect();
    let legend_shapes: BTreeSet<String> = attr_values(legend, "d").into_iter().collect();
    assert_eq!(shapes, legend_shapes);
    for stage in ["Announced", "Signed", "Ratified", "In force", "Suspended"] {
        assert!(
            visible_text(legend).contains(stage),
            "{stage} missing from the legend"
        );
    }
}

#[test]
fn the_home_page_and_a_country_page_show_charts() {
    let site = site();
    let home = site.read("index.html");
    assert_eq!(lane_labels(chart(&home)).len(), 5);

    // Kazakhstan has one lane, for the one treaty it has taken steps in.
    let kz = site.read("countries/kz/index.html");
    let svg = chart(&kz);
    assert_eq!(lane_labels(svg), ["Abraham Accords"]);
    assert!(visible_text(svg).contains("Agreed in principle"));
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
    let html = site.read("treaties/abraham-accords/as-of/2020/index.html");
    assert!(visible_text(&html).contains("Membership on 31 December 2020"));
    let rows = members_table(&html);
    let names: Vec<&str> = rows
        .iter()
        .map(|r| r.text.split_whitespace().nth(1).unwrap())
        .collect();
    assert_eq!(names, ["United", "Bahrain", "Sudan", "Morocco"]);
    assert!(visible_text(&rows[0].status_html).contains("Ratified"));
    assert_eq!(rows[0].columns["In force"], None);
    assert_eq!(rows[0].columns["Ratified"].as_deref(), Some("2020-10-12"));
    assert_eq!(lane_labels(chart(&html)).len(), 4);
    // The chart draws nothing after the day (each mark's target names its date).
    let drawn: Vec<String> = elements(&html, "circle")
        .iter()
        .map(|t| visible_text(t))
        .collect();
    assert!(drawn.len() > 10, "{drawn:?}");
    assert!(drawn.iter().all(|t| t.ends_with("2020")), "{drawn:?}");

    // 2025 has all five; every year page links to every other and to today's page.
    let html = site.read("treaties/abraham-accords/as-of/2025/index.html");
    assert_eq!(members_table(&html).len(), 5);
    for year in &years {
        let html = site.read(&format!("treaties/abraham-accords/as-of/{year}/index.html"));
        let nav = elements(&html, "nav")
            .into_iter()
            .find(|n| n.contains("as-of-nav"))
            .expect("year links");
        let hrefs = attr_values(nav, "href");
        for other in &years {
            assert!(hrefs.contains(&format!("{BASE}treaties/abraham-accords/as-of/{other}/")));
        }
        assert!(hrefs.contains(&format!("{BASE}treaties/abraham-accords/")));
        let current = elements(nav, "a")
            .into_iter()
            .find(|a| a.contains("aria-current=\"page\""))
            .expect("the year shown is marked");
        assert_eq!(visible_text(current), year.to_string());
    }

    // Today's table says how current it is.
    let caption = visible_text(elements(&site.read(TREATY), "caption")[0]);
    assert!(caption.contains("as of 6 November 2025"), "{caption}");
}

#[test]
fn the_figures_count_members_by_stage_and_days_to_signature() {
    let site = site();
    let html = site.read(TREATY);
    let counts = elements(&html, "dl")
        .into_iter()
        .find(|d| d.contains("stage-counts"))
        .expect("counts by stage");
    let counted = visible_text(counts)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // The members table's statuses, counted independently.
    let statuses: Vec<String> = members_table(&html)
        .iter()
        .map(|r| visible_text(&r.status_html))
        .collect();
    for (stage, expected) in [("Agreed in principle", 2), ("Ratified", 2), ("In force", 1)] {
        let n = statuses.iter().filter(|s| s.starts_with(stage)).count();
        assert_eq!(n, expected, "{stage}: {statuses:?}");
        assert!(counted.contains(&format!("{stage} {n}")), "{counted}");
    }

    // Days from announcement to signature, recomputed from the dates in each row.
    let table = elements(&html, "table")
        .into_iter()
        .find(|t| t.contains("class=\"to-signing\""))
        .expect("the announcement-to-signature table");
    let mut days = Vec::new();
    for row in elements(table, "tr").into_iter().skip(1) {
        let dates: Vec<Date> = attr_values(row, "datetime")
            .iter()
            .map(|d| d.parse().unwrap())
            .collect();
        let shown: i64 = visible_text(elements(row, "td")[2]).trim().parse().unwrap();
        let expected = (dates[1] - dates[0]).get_days() as i64;
        assert_eq!(shown, expected, "{}", visible_text(row));
        days.push(expected);
    }
    assert_eq!(days, [33, 4, 75, 12]);
    assert!(visible_text(table).contains("median 23 days over 4 countries"));
}

#[test]
fn the_data_page_explains_and_links_every_file_and_the_treaty_page_its_downloads() {
    let site = site();
    let data = site.read("data/index.html");
    let text = visible_text(&data);
    assert!(text.contains("CC BY 4.0"), "the licence is named");
    let hrefs = attr_values(&data, "href");
    assert!(hrefs.contains(&"https://creativecommons.org/licenses/by/4.0/".to_string()));
    for file in [
        "abraham-accords.json",
        "abraham-accords.csv",
        "abraham-accords.ics",
        "schema.json",
        "timeline.json",
    ] {
        let url = format!("{BASE}data/{file}");
        assert!(hrefs.contains(&url), "{file} not linked");
        assert!(site.exists(&format!("data/{file}")));
    }
    let treaty = attr_values(&site.read(TREATY), "href");
    for ext in ["json", "csv", "ics"] {
        assert!(treaty.contains(&format!("{BASE}data/abraham-accords.{ext}")));
    }
    // Every page's footer leads to the Data page.
    assert!(attr_values(&site.read("index.html"), "href").contains(&format!("{BASE}data/")));
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
    }

    // The schema is strict enough to catch a broken file.
    data["events"][0]["stage"] = serde_json::json!("joined");
    assert!(!validator.is_valid(&data));
}
