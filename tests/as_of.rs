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

use common::site::Site;
use common::{Built, Query, build_any, build_ok, default_site, fixture, repo_root};
use corpus::Corpus;
use tempfile::TempDir;

/// Every as-of page of a built site, by path, with its bytes.
fn as_of_pages(site: &Built) -> BTreeMap<String, Vec<u8>> {
    site.files()
        .into_iter()
        .filter(|(path, _)| path.contains("/as-of/") && path.ends_with("index.html"))
        .collect()
}

/// The generated corpus of 300 articles, written under `dir`; its root.
fn generated_site(dir: &TempDir) -> std::path::PathBuf {
    let root = dir.path().join("site");
    corpus::write_files(&root, &Corpus::generate(300, 1).treatyline_files()).unwrap();
    root
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
    let dir = TempDir::new().unwrap();
    let site = build_ok(&generated_site(&dir), &["--no-search"]);
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
    let base = "/treatyline/treaties/abraham-accords/";
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

/// The row of `country` (ISO code, lower case) in the members table of a page, as written.
fn row<'a>(page: &'a str, country: &str) -> &'a str {
    let link = format!("/countries/{country}/\"");
    let mut rows = page
        .lines()
        .filter(|line| line.starts_with("<tr") && line.contains(&link));
    let row = rows.next().unwrap_or_else(|| panic!("no row of {country}"));
    assert!(rows.next().is_none(), "two rows of {country}");
    row
}

/// A treaty of 2018: France announced in 2018 and signed in 2020, Germany announced in 2018.
fn site_of_two_countries() -> Site {
    let site = Site::new();
    site.write(
        "content/treaties/t.md",
        "---\ntitle: Test Treaty\nestablished: 2018-01-01\n---\nA treaty.\n",
    );
    site.write(
        "content/articles/2020-01-02-first.md",
        "---\ntitle: Steps\ndate: 2020-03-02\nevents:\n  - country: FR\n    stage: announced\n    \
         date: 2018-05-01\n  - country: DE\n    stage: announced\n    date: 2018-06-01\n  - \
         country: FR\n    stage: signed\n    date: 2020-03-01\nsources:\n  - \
         https://example.org/report\n---\nSteps.\n",
    );
    site
}

/// Rows are rendered once per build and reused on every page that shows them: a row must
/// change on the page of the year its country took a step, and on no other.
#[test]
fn a_members_row_changes_in_the_year_of_its_countrys_step_and_in_no_other() {
    let site = site_of_two_countries();
    let built = build_ok(&site.root(), &[]);
    let page = |year: i16| built.read(&format!("treaties/t/as-of/{year}/index.html"));
    let (y2018, y2019, y2020) = (page(2018), page(2019), page(2020));
    let today = built.read("treaties/t/index.html");

    assert_eq!(row(&y2018, "fr"), row(&y2019, "fr"));
    assert_ne!(row(&y2019, "fr"), row(&y2020, "fr"));
    assert!(row(&y2019, "fr").contains("stage-announced"));
    assert!(row(&y2020, "fr").contains("stage-signed"));
    assert_eq!(row(&y2020, "fr"), row(&today, "fr"));
    for page in [&y2019, &y2020, &today] {
        assert_eq!(row(&y2018, "de"), row(page, "de"));
    }
}

/// The members table with each row included as a partial, as it was before rows were
/// rendered once per build: its pages must be the same, byte for byte.
#[test]
fn the_pages_are_the_same_as_with_each_row_rendered_where_it_is_shown() {
    let dir = TempDir::new().unwrap();
    let root = generated_site(&dir);
    let once = build_ok(&root, &["--no-search"]);

    let members = std::fs::read_to_string(repo_root().join("templates/partials/members.html"))
        .unwrap()
        .replace(
            "{{ member_rows(members=treaty.members, treaty=treaty) }}",
            "{%- for member in treaty.members %}{% include \"partials/member_row.html\" %}\
             {%- endfor %}",
        );
    assert!(!members.contains("member_rows"));
    std::fs::create_dir_all(root.join("templates/partials")).unwrap();
    std::fs::write(root.join("templates/partials/members.html"), members).unwrap();
    let each = build_ok(&root, &["--no-search"]);

    assert!(as_of_pages(&once).len() > 200);
    let (once, each) = (once.files(), each.files());
    assert_eq!(
        once.keys().collect::<Vec<_>>(),
        each.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &once {
        assert!(*bytes == each[path], "{path} differs");
    }
}

/// A site's own row partial makes the rows of every members table, seeing `member` and the
/// treaty's fields that do not change with the day.
#[test]
fn a_sites_own_row_partial_makes_every_row() {
    let site = site_of_two_countries();
    site.write(
        "templates/partials/member_row.html",
        "\n<tr class=\"own\"><td><a href=\"{{ member.country.url }}\">{{ member.country.name }}</a>, \
         {{ treaty.member_noun.one }} of {{ treaty.short_title }}: {{ member.status.name }}</td></tr>",
    );
    let built = build_ok(&site.root(), &[]);
    for path in [
        "treaties/t/index.html",
        "treaties/t/as-of/2019/index.html",
        "treaties/t/as-of/2020/index.html",
    ] {
        let page = built.page(path);
        assert_eq!(page.all("table.members tbody tr").len(), 2, "{path}");
        assert_eq!(page.all("table.members tbody tr.own").len(), 2, "{path}");
    }
    let y2019 = built.read("treaties/t/as-of/2019/index.html");
    let fr = row(&y2019, "fr");
    assert!(
        fr.contains("France</a>, member of Test Treaty: Announced"),
        "{fr}"
    );
}

/// A row sees none of what changes with the day: asking for it is an error that names the
/// row's template and the page.
#[test]
fn a_row_asking_for_the_day_is_an_error_naming_the_row_template_and_the_page() {
    let site = site_of_two_countries();
    site.write(
        "templates/partials/member_row.html",
        "\n<tr><td>{{ member.country.name }} on {{ treaty.as_of }}</td></tr>",
    );
    build_any(&site.root(), &[])
        .assert_code(1)
        .assert_stderr_has("in `partials/member_row.html` at line 2")
        .assert_stderr_has(
            "Field `as_of` is not defined. Available fields: after_deposit_days, \
             entry_into_force, entry_into_force_display, member_from, member_noun, \
             member_stages, short_title, slug, stage_columns, title, url",
        )
        .assert_stderr_has("(while rendering /treaties/t/as-of/2019/index.html)");
}
