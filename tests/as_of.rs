//! Issue 15: a treaty's year-end ("as-of") pages are made for every year of its history, so
//! their bytes are a fixed cost that must not dominate a small site. Each holds what it is for
//! (who stood where on 31 December, the chart to that day, the counts by stage) and links to
//! the treaty page for what does not change with the day: the table of every year's counts
//! and the days from announcement to signature. The truth of their contents is tested in
//! charts.rs, real_treaties.rs and timeline_views.rs; here, their size and their links.

mod common;
#[path = "../examples/gen_corpus/corpus.rs"]
mod corpus;

use std::collections::BTreeMap;

use common::{Built, Query, build_ok, default_site, fixture};
use corpus::Corpus;
use tempfile::TempDir;

/// Every as-of page of a built site, by path, with its bytes.
fn as_of_pages(site: &Built) -> BTreeMap<String, Vec<u8>> {
    site.files()
        .into_iter()
        .filter(|(path, _)| path.contains("/as-of/") && path.ends_with("index.html"))
        .collect()
}

/// A page's bytes outside its members table: what it adds to the table of its day.
fn outside_members_table(page: &[u8]) -> usize {
    let text = String::from_utf8_lossy(page);
    let Some(start) = text.find("<table class=\"members\"") else {
        return page.len();
    };
    let end = text[start..]
        .find("</table>")
        .map_or(text.len(), |e| start + e);
    page.len() - (end - start)
}

#[test]
fn as_of_pages_of_a_generated_site_stay_within_their_budget() {
    let corpus = Corpus::generate(300, 1);
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("site");
    corpus::write_files(&root, &corpus.treatyline_files()).unwrap();
    let site = build_ok(&root, &["--no-search"]);
    let pages = as_of_pages(&site);
    assert!(pages.len() > 200, "{} as-of pages", pages.len());

    // Before: 12.4 MB in all, the largest 85 KB, up to 46 KB of it besides the table.
    let total: usize = pages.values().map(Vec::len).sum();
    assert!(total < 9_500_000, "{total} bytes of as-of pages");
    for (path, page) in &pages {
        assert!(page.len() < 64_000, "{path}: {} bytes", page.len());
        let rest = outside_members_table(page);
        assert!(
            rest < 24_000,
            "{path}: {rest} bytes besides the members table"
        );
    }
}

#[test]
fn as_of_pages_of_a_treaty_of_two_hundred_parties_stay_within_their_budget() {
    let site = build_ok(&fixture("multilateral"), &[]);
    let pages = as_of_pages(&site);
    // Before: 160 KB, of which 138 KB were its 193 rows.
    let page = &pages["treaties/meridian-agreement/as-of/2025/index.html"];
    assert!(page.len() < 152_000, "{} bytes", page.len());
    let table = page.len() - outside_members_table(page);
    assert!(table / 193 < 690, "{table} bytes for 193 rows");
    // The overview's table of every year and the signing table are not on any of them.
    for (path, page) in &pages {
        let text = String::from_utf8_lossy(page);
        assert!(!text.contains("overview-table"), "{path}");
        assert!(!text.contains("class=\"to-signing\""), "{path}");
    }
}

#[test]
fn an_as_of_page_links_to_the_treaty_pages_tables() {
    let site = build_ok(&default_site(), &[]);
    let base = "https://treatyline.github.io/treatyline/treaties/abraham-accords/";
    let treaty = site.page("treaties/abraham-accords/index.html");
    for id in [
        "overview-abraham-accords-numbers",
        "to-signing-abraham-accords",
    ] {
        assert_eq!(treaty.all(&format!("[id='{id}']")).len(), 1, "{id}");
    }
    let numbers = treaty.one("details#overview-abraham-accords-numbers");
    assert_eq!(numbers.all("table.overview-table").len(), 1);
    for year in 2020..=2025 {
        let path = format!("treaties/abraham-accords/as-of/{year}/index.html");
        let links = site.page(&path).attrs("p.more-link a", "href");
        for id in [
            "overview-abraham-accords-numbers",
            "to-signing-abraham-accords",
        ] {
            let link = format!("{base}#{id}");
            assert!(
                links.contains(&link),
                "{path}: no link to {link}: {links:?}"
            );
        }
    }
}
