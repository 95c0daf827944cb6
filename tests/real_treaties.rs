//! Version 2 of the content contract, as an author meets it: parties that are not ISO
//! countries, membership periods, notices of withdrawal, derived entry into force, partial
//! dates, and the errors that keep every problem of a run in view. Each test writes a small
//! site, runs the real binary and reads what a user sees.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{Query, build_any, build_ok, check};
use tempfile::TempDir;

const SITE: &str = "title: Test Treaties\nbase_url: https://example.org/\ndefault_treaty: t\n";
const TREATY: &str = "---\ntitle: The Treaty\nestablished: 2015-12-12\n---\nA treaty.\n";

/// A site in a temporary folder made of `(path, text)` files beside site.yaml and the treaty.
fn site(files: &[(&str, &str)]) -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("site");
    write(&root, "site.yaml", SITE);
    write(&root, "content/treaties/t.md", TREATY);
    for (path, text) in files {
        write(&root, path, text);
    }
    (dir, root)
}

fn write(root: &Path, path: &str, text: &str) {
    let full = root.join(path);
    fs::create_dir_all(full.parent().unwrap()).unwrap();
    fs::write(full, text).unwrap();
}

/// The treaty's open data, `/data/t.json`.
fn treaty_json(built: &common::Built) -> serde_json::Value {
    serde_json::from_str(&built.read("data/t.json")).expect("data/t.json is JSON")
}

/// An article dated `date` reporting `events` (YAML list items, indented by two spaces).
fn article(date: &str, events: &str) -> String {
    format!(
        "---\ntitle: Report of {date}\ndate: {date}\nsources: [https://example.org/{date}]\nevents:\n{events}---\nBody.\n"
    )
}

#[test]
fn a_party_that_is_not_a_country_is_declared_by_its_file() {
    let (_dir, root) = site(&[
        (
            "content/countries/eu.md",
            "---\nname: European Union\nkind: organisation\nflag: \"🇪🇺\"\n---\nA union of states.\n",
        ),
        (
            "content/articles/2016-10-05-eu.md",
            &article(
                "2016-10-05",
                "  - country: eu\n    stage: ratified\n    date: 2016-10-05\n",
            ),
        ),
    ]);
    let built = build_ok(&root, &[]);
    let page = built.page("countries/eu/index.html");
    assert_eq!(page.texts("h1"), ["🇪🇺 European Union"]);
    assert_eq!(
        page.texts("p.kicker"),
        ["Countries · An international organisation"]
    );
    let data = built.read("data/t.json");
    let json: serde_json::Value = serde_json::from_str(&data).unwrap();
    let event = &json["events"][0];
    assert_eq!(event["country_code"], "EU");
    assert_eq!(event["country_name"], "European Union");
    assert_eq!(event["country_kind"], "organisation");
}

#[test]
fn an_undeclared_code_says_how_to_declare_it() {
    let (_dir, root) = site(&[(
        "content/articles/2016-10-05-eu.md",
        &article(
            "2016-10-05",
            "  - country: EU\n    stage: ratified\n    date: 2016-10-05\n",
        ),
    )]);
    let run = build_any(&root, &[]);
    run.assert_code(1).assert_diagnostic(
        "content/articles/2016-10-05-eu.md:6:14",
        "unknown country code `EU`",
        Some(
            "use an ISO 3166-1 alpha-2 code, such as `AE` for the United Arab Emirates; for a \
             party that has none, declare it in content/countries/eu.md with a `name:`",
        ),
    );

    // A file for a code that is not ISO must name the party.
    write(
        &root,
        "content/countries/eu.md",
        "---\nkind: organisation\n---\n",
    );
    let run = build_any(&root, &[]);
    run.assert_code(1).assert_stderr_has(
        "`EU` is not an ISO 3166-1 alpha-2 code, so this file must name the party",
    );
}

#[test]
fn a_countries_file_renames_an_iso_country() {
    let (_dir, root) = site(&[
        ("content/countries/cd.md", "---\nname: DR Congo\n---\n"),
        (
            "content/articles/2017-01-13-cd.md",
            &article(
                "2017-01-13",
                "  - country: CD\n    stage: ratified\n    date: 2017-01-13\n",
            ),
        ),
    ]);
    let built = build_ok(&root, &[]);
    let json = treaty_json(&built);
    assert_eq!(json["events"][0]["country_name"], "DR Congo");
    assert!(built.read("countries/cd/index.html").contains("DR Congo"));
}

#[test]
fn leaving_and_rejoining_needs_no_labels_and_is_numbered_in_the_data() {
    let (_dir, root) = site(&[
        (
            "content/articles/2016-09-03-us-joins.md",
            &article(
                "2016-09-03",
                "  - country: US\n    stage: ratified\n    date: 2016-09-03\n",
            ),
        ),
        (
            "content/articles/2020-11-04-us-leaves.md",
            &article(
                "2020-11-04",
                "  - country: US\n    stage: withdrawal-notified\n    date: 2019-11-04\n  - country: US\n    stage: withdrawn\n    date: 2020-11-04\n",
            ),
        ),
        (
            "content/articles/2021-01-20-us-rejoins.md",
            &article(
                "2021-01-20",
                "  - country: US\n    stage: ratified\n    date: 2021-01-20\n",
            ),
        ),
    ]);
    let built = build_ok(&root, &[]);
    let json = treaty_json(&built);
    let steps: Vec<(String, String, u64)> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["stage"].as_str().unwrap().to_string(),
                e["date"].as_str().unwrap().to_string(),
                e["period"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("ratified", "2016-09-03", 1),
        ("withdrawal-notified", "2019-11-04", 1),
        ("withdrawn", "2020-11-04", 1),
        ("ratified", "2021-01-20", 2),
    ];
    let expected: Vec<(String, String, u64)> = expected
        .iter()
        .map(|(s, d, p)| (s.to_string(), d.to_string(), *p))
        .collect();
    assert_eq!(steps, expected);
}

#[test]
fn in_force_steps_are_derived_from_the_treaty_rule_and_marked_in_the_data() {
    let (_dir, root) = site(&[
        (
            "content/treaties/t.md",
            "---\ntitle: The Treaty\nestablished: 2015-12-12\nmember_from: ratified\nmember_noun: [party, parties]\nentry_into_force:\n  date: 2016-11-04\n  after_deposit_days: 30\n---\nA treaty.\n",
        ),
        (
            "content/articles/2016-11-01-two-ratify.md",
            &article(
                "2016-11-01",
                "  - country: FR\n    stage: ratified\n    date: 2016-06-15\n  - country: DE\n    stage: ratified\n    date: 2016-11-01\n",
            ),
        ),
    ]);
    let built = build_ok(&root, &[]);
    let json = treaty_json(&built);
    let derived: Vec<(String, String)> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["derived"] == true)
        .map(|e| {
            assert_eq!(e["stage"], "in-force");
            (
                e["country_code"].as_str().unwrap().to_string(),
                e["date"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        derived,
        [
            ("FR".to_string(), "2016-11-04".to_string()),
            ("DE".to_string(), "2016-12-01".to_string())
        ]
    );
    let csv = built.read("data/t.csv");
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with("country_kind,date_precision,period,derived"),
        "{header}"
    );
    assert!(csv.contains(",state,day,1,true"), "{csv}");
}

#[test]
fn dates_known_only_to_the_year_or_month_are_kept_as_written() {
    let (_dir, root) = site(&[(
        "content/articles/2020-01-01-history.md",
        &article(
            "2020-01-01",
            "  - country: PE\n    stage: signed\n    date: 1994\n  - country: PE\n    stage: ratified\n    date: 1995-04\n",
        ),
    )]);
    let built = build_ok(&root, &[]);
    let json = treaty_json(&built);
    let dates: Vec<(&str, &str)> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["date"].as_str().unwrap(),
                e["date_precision"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(dates, [("1994", "year"), ("1995-04", "month")]);
    // The calendar spans the whole month.
    let ics = built.read("data/t.ics");
    assert!(
        ics.contains("DTSTART;VALUE=DATE:19950401\r\nDTEND;VALUE=DATE:19950501"),
        "{ics}"
    );
}

#[test]
fn a_bad_event_does_not_hide_the_checks_of_the_articles_other_events() {
    let (_dir, root) = site(&[
        (
            "content/articles/2020-03-01-a.md",
            &article(
                "2020-03-01",
                "  - country: FR\n    stage: joined\n    date: 2020-03-01\n  - country: DE\n    stage: signed\n    date: 2020-03-01\n",
            ),
        ),
        (
            "content/articles/2020-03-05-b.md",
            &article(
                "2020-03-05",
                "  - country: DE\n    stage: signed\n    date: 2020-03-02\n",
            ),
        ),
    ]);
    let run = build_any(&root, &[]);
    run.assert_code(1);
    run.assert_diagnostic(
        "content/articles/2020-03-01-a.md:7:12",
        "unknown stage `joined`",
        None,
    );
    // The conflict with the other article is found too, and shows both lines with carets.
    let conflict = run.diagnostic_at("content/articles/2020-03-05-b.md:6:14");
    assert!(
        conflict.contains("`signed` of DE in `t` is dated 2020-03-02 here but 2020-03-01"),
        "{conflict}"
    );
    assert!(
        conflict.contains("--> content/articles/2020-03-01-a.md:9:14"),
        "{conflict}"
    );
    let marked_lines = conflict
        .lines()
        .filter(|l| {
            l.trim_start().starts_with(|c: char| c.is_ascii_digit()) && l.contains("country: DE")
        })
        .count();
    assert_eq!(marked_lines, 2, "{conflict}");
    assert!(run.stderr.contains("2 errors"), "{}", run.stderr);
}

#[test]
fn the_multilateral_fixture_builds_and_passes_check() {
    let root = common::fixture("multilateral");
    let run = check(&root, &["--deny-warnings"]);
    run.assert_code(0);
    assert!(run.stderr.contains(": no errors"), "{}", run.stderr);

    // Most of its 190-odd parties come from its tables: each has a page.
    let built = build_ok(&root, &[]);
    let pages = fs::read_dir(built.out.join("countries"))
        .unwrap()
        .filter(|entry| entry.as_ref().unwrap().path().join("index.html").is_file())
        .count();
    assert!(pages >= 150, "{pages} country pages");
    assert!(
        built
            .read("countries/eu/index.html")
            .contains("European Union")
    );

    // The members on 31 December of each year, as the fixture's generator counts them from
    // the contract (tests/fixtures/multilateral/README.md): parties from ratification, a
    // notice still a member, partial dates from their last day, in force by the rule.
    let lead = |treaty: &str, year: i16| {
        let page = built.page(&format!("treaties/{treaty}/as-of/{year}/index.html"));
        common::text(page.one("p.lead"))
    };
    let agreement = [
        (2018, 48),
        (2019, 108),
        (2020, 127),
        (2021, 153),
        (2022, 163),
        (2023, 172),
        (2024, 182),
        (2025, 186),
    ];
    for (year, parties) in agreement {
        let lead = lead("meridian-agreement", year);
        assert!(
            lead.contains(&format!(": {parties} parties of ")),
            "{year}: {lead}"
        );
    }
    for (year, members) in [(2023, 23), (2024, 25), (2025, 26)] {
        let lead = lead("meridian-amendment", year);
        assert!(
            lead.contains(&format!(": {members} members of ")),
            "{year}: {lead}"
        );
    }
}

#[test]
fn a_party_that_left_and_came_back_shows_the_dates_of_its_present_period() {
    let built = build_ok(&common::fixture("multilateral"), &[]);
    let page = built.page("treaties/meridian-agreement/index.html");
    let rows = common::members_table(&page);
    let us = rows
        .iter()
        .find(|r| r.country == "United States")
        .expect("a row for the United States");
    assert_eq!(us.status, "Withdrawn also a party 2018–2020");
    assert_eq!(us.status_since.as_deref(), Some("2026-01-27"));
    assert_eq!(us.columns["Ratified"].as_deref(), Some("2021-01-20"));
    assert_eq!(us.columns["In force"].as_deref(), Some("2021-02-19"));
    let row = |page: &scraper::Html| {
        page.all("table.members tbody tr")
            .into_iter()
            .find(|tr| common::text(*tr).contains("United States"))
            .map(|tr| tr.html())
            .unwrap()
    };
    let us = scraper::Html::parse_fragment(&format!("<table>{}</table>", row(&page)));
    assert_eq!(us.texts(".earlier-period"), ["also a party 2018–2020"]);
    // Its in-force step comes from the treaty's rule, and says so.
    assert_eq!(us.texts("td:not(.status) .derived"), ["derived"]);

    // On 31 December 2019 it had notified its withdrawal and was still a party.
    let page = built.page("treaties/meridian-agreement/as-of/2019/index.html");
    let us = scraper::Html::parse_fragment(&format!("<table>{}</table>", row(&page)));
    assert_eq!(us.texts("td.status .stage"), ["Withdrawal notified"]);
    assert_eq!(us.attrs("tr", "class"), ["is-member"]);
    assert!(us.texts(".earlier-period").is_empty());

    // The country's own timeline says which steps the rule gave: one in each period.
    let page = built.page("countries/us/index.html");
    assert_eq!(
        page.texts(".event-derived"),
        ["Derived from the treaty's entry-into-force rule, not reported."; 2]
    );
}

#[test]
fn a_flag_image_must_be_a_static_file() {
    let (_dir, root) = site(&[
        (
            "content/countries/eu.md",
            "---\nname: European Union\nkind: organisation\nflag: flags/eu.svg\n---\n",
        ),
        (
            "content/articles/2016-10-05-eu.md",
            &article(
                "2016-10-05",
                "  - country: EU\n    stage: ratified\n    date: 2016-10-05\n",
            ),
        ),
    ]);
    let run = build_any(&root, &[]);
    run.assert_code(1).assert_diagnostic(
        "content/countries/eu.md:4:7",
        "the flag image `flags/eu.svg` is not in static/",
        Some("put the image at static/flags/eu.svg, or write the flag as an emoji"),
    );
    write(
        &root,
        "static/flags/eu.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 3 2\"><rect width=\"3\" height=\"2\" fill=\"#039\"/></svg>",
    );
    build_ok(&root, &[]);
}

#[test]
fn a_step_in_a_table_dated_after_the_build_day_is_an_error_but_a_year_under_way_is_not() {
    let (_dir, root) = site(&[(
        "content/events/t.csv",
        "country,stage,date,source\nFR,ratified,2099-05-01,https://example.org/fr\nDE,signed,2026,https://example.org/de\n",
    )]);
    let run = build_any(&root, &[]);
    run.assert_code(1);
    let block = run.diagnostic_at("content/events/t.csv:2:1");
    assert!(
        block.contains("this `ratified` event is dated 2099-05-01, after the build day"),
        "{block}"
    );
    assert!(!run.stderr.contains("DE,signed"), "{}", run.stderr);
}
