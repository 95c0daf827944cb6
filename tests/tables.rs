//! Events from a table (`content/events/*.csv`), through the real binary: table rows and
//! article events make one timeline, and a bad cell is reported at its file, line and column.

mod common;

use common::{Query, build_any, build_ok, fixture, text};

/// The column the carets start at under the source line of a diagnostic block (1-based, in
/// characters of the source line).
fn caret_column(block: &str) -> usize {
    let line = block
        .lines()
        .find(|l| l.contains('^'))
        .unwrap_or_else(|| panic!("no carets under the source line:\n{block}"));
    let bar = line.find('|').expect("the gutter");
    // The gutter is `| ` before the source text.
    line[bar + 2..].chars().take_while(|&c| c != '^').count() + 1
}

#[test]
fn a_table_and_an_article_make_one_timeline_and_share_an_event() {
    let site = build_ok(&fixture("table-and-articles"), &[]);
    let page = site.page("treaties/t/index.html");
    let timeline = page.one("div.timeline");
    let events = timeline.all("li.event").len();
    // France announced and signed, Germany signed and ratified: the signature that the table
    // and the article both report is one event.
    assert_eq!(events, 4, "{}", timeline.html());
    let text = text(timeline);
    assert_eq!(text.matches("Signed Signature").count(), 1, "{text}");
    // The shared event lists the article that reports it and the sources of both reports;
    // the table's quoted note, written over two lines, is kept.
    for shown in [
        "Reported in France signs the treaty",
        "France signs",
        "Register of signatures",
        "Signed in Paris, at a ceremony",
        "Ratified Bundestag",
    ] {
        assert!(text.contains(shown), "the timeline lacks {shown:?}: {text}");
    }

    let article = site.page("articles/france-signs/index.html");
    assert_eq!(article.texts("p.reported-stage"), ["Signed Signature"]);
}

#[test]
fn bad_cells_are_reported_at_their_line_and_column_in_every_row() {
    let run = build_any(&fixture("table-bad-cells"), &[]);
    run.assert_code(1);
    // Row 2's note runs over lines 2 and 3, so the row of `UK` is line 4.
    run.assert_diagnostic(
        "content/events/t.csv:4:1",
        "unknown country code `UK`",
        Some("did you mean `GB` (United Kingdom)?"),
    );
    run.assert_diagnostic(
        "content/events/t.csv:5:11",
        "`2020-13-01` is not a real calendar date",
        Some("write the date the event happened as YYYY-MM-DD, or YYYY-MM or YYYY"),
    );
    let country = run.diagnostic_at("content/events/t.csv:4:1");
    assert!(
        country.contains("4 | UK,signed,2020-03-02,,https://example.org/uk"),
        "{country}"
    );
    assert_eq!(caret_column(country), 1, "{country}");
    let date = run.diagnostic_at("content/events/t.csv:5:11");
    assert!(
        date.contains("5 | DE,signed,2020-13-01,,https://example.org/de"),
        "{date}"
    );
    assert_eq!(caret_column(date), 11, "{date}");
    run.assert_stderr_has("2 errors, 0 warnings");
}

#[test]
fn a_table_row_and_an_article_at_two_dates_are_a_conflict_naming_both() {
    let run = build_any(&fixture("table-conflict"), &[]);
    run.assert_code(1);
    run.assert_diagnostic(
        "content/events/t.csv:3:3",
        "`signed` of FR in `t` is dated 2020-03-05 here but 2020-03-01 in \
         content/articles/2020-03-02-france-signs.md",
        Some("correct one of the dates, or give each step its own `label`"),
    );
    let block = run.diagnostic_at("content/events/t.csv:3:3");
    assert!(
        block.contains("content/articles/2020-03-02-france-signs.md:5:14"),
        "the article's place: {block}"
    );
    // Both places are shown with their lines: the row and the article's event.
    assert!(
        block.contains("3 | t,FR,signed,2020-03-05,https://example.org/signed-list"),
        "{block}"
    );
    assert!(block.contains("5 |   - country: FR"), "{block}");
}
