//! Issue 3: bad input gets a located, helpful error; every problem of a run is reported;
//! a failed build loses nothing; `treatyline check` finds broken links.
//!
//! One fixture site per bad input under tests/fixtures/<case>/. Inputs that git cannot hold
//! faithfully (bytes that are not UTF-8, a BOM with CRLF, symlinks) are written at run time
//! into a temporary copy of the `good` fixture.

mod common;

use std::fs;
use std::path::Path;

use common::{
    Query, Run, attr, build, build_any, build_ok, check, copy_site, default_site, fixture,
    list_dir, members_table, read_tree, text, treatyline,
};

/// Builds fixture `case` and asserts it failed as a content error (exit 1) with the summary.
fn fails(case: &str) -> Run {
    let run = build_any(&fixture(case), &[]);
    run.assert_code(1);
    run.assert_stderr_has("the build failed; the previous output was left as it was");
    run
}

/// Asserts the run ends with the summary `errors, warnings`.
fn assert_summary(run: &Run, errors: usize, warnings: usize) {
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("1 {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    let summary = format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    assert!(
        run.stderr.lines().any(|l| l == summary),
        "summary line {summary:?} missing\n--- stderr ---\n{}",
        run.stderr
    );
}

// ---- site.yaml ----

#[test]
fn missing_site_yaml_says_it_is_not_a_treatyline_site_and_how_to_start_one() {
    let run = fails("missing-site-yaml");
    run.assert_diagnostic(
        "site.yaml",
        "is not a treatyline site: it has no site.yaml",
        Some("run `treatyline new <folder>` to start a site"),
    );
    assert_summary(&run, 1, 0);
}

#[test]
fn malformed_site_yaml_is_located() {
    let run = fails("malformed-site-yaml");
    run.assert_diagnostic("site.yaml:4:13", "mapping values are not allowed", None);
    run.assert_stderr_has("4 | language: en: us");
}

// ---- front matter ----

#[test]
fn front_matter_not_opened() {
    let run = fails("front-matter-not-opened");
    run.assert_diagnostic(
        "content/articles/2020-02-01-second.md:1:1",
        "the front matter is not opened: the file must start with a line `---`",
        Some("put `---` on the first line"),
    );
}

#[test]
fn front_matter_not_closed() {
    let run = fails("front-matter-not-closed");
    run.assert_diagnostic(
        "content/articles/2020-02-01-second.md:1:1",
        "the front matter opened here is never closed",
        Some("add a line `---` after the last front matter field"),
    );
}

#[test]
fn malformed_yaml_is_reported_at_the_line_of_the_file_not_of_the_yaml_block() {
    // The bad line is the 3rd line of the front matter, the 4th of the file.
    let run = fails("malformed-yaml");
    run.assert_diagnostic(
        "content/articles/2020-02-01-second.md:4:16",
        "mapping values are not allowed in this context",
        None,
    );
    run.assert_stderr_has("4 | summary: France: the second step");
}

#[test]
fn a_field_of_the_wrong_type() {
    let run = fails("wrong-type");
    run.assert_diagnostic(
        "content/articles/2020-02-01-second.md:4:9",
        "events: invalid type: string \"France signed\", expected a sequence",
        Some("check the value's type"),
    );
}

#[test]
fn dates_that_are_not_dates() {
    let run = fails("invalid-date");
    run.assert_diagnostic(
        "content/articles/2020-02-01-second.md:3:7",
        "`2021-02-30` is not a real calendar date",
        Some("write the date as YYYY-MM-DD"),
    );
    run.assert_diagnostic(
        "content/articles/2020-02-01-second.md:7:11",
        "`yesterday` is not a date",
        Some("write the date the event happened as YYYY-MM-DD"),
    );
    assert_summary(&run, 2, 0);
}

#[test]
fn an_unknown_field_suggests_the_nearest() {
    let run = fails("unknown-field");
    run.assert_diagnostic(
        "content/articles/2020-02-01-second.md:4:1",
        "unknown field `auther`",
        Some("did you mean `author`?"),
    );
}

#[test]
fn a_missing_required_field() {
    let run = fails("missing-field");
    let block = run.diagnostic_at("content/articles/2020-02-01-second.md:2:1");
    assert!(block.contains("missing field `date`"), "{block}");
    assert!(
        block.contains("help: add a `date:` line to the front matter"),
        "{block}"
    );
}

// ---- values checked against the model ----

#[test]
fn an_unknown_country_code_suggests_the_right_one() {
    let run = fails("unknown-country");
    run.assert_diagnostic(
        "content/articles/2020-02-01-second.md:5:14",
        "unknown country code `UK`",
        Some("did you mean `GB` (United Kingdom)?"),
    );
    run.assert_stderr_has("5 |   - country: UK");
}

#[test]
fn an_unknown_stage_suggests_the_nearest() {
    let run = fails("unknown-stage");
    run.assert_diagnostic(
        "content/articles/2020-02-01-second.md:6:12",
        "unknown stage `sigend`",
        Some("did you mean `signed`?"),
    );
}

#[test]
fn an_unknown_treaty_slug_lists_the_treaties() {
    let run = fails("unknown-treaty");
    run.assert_diagnostic(
        "content/articles/2020-02-01-second.md:4:9",
        "unknown treaty `test-treaty`",
        Some("the treaties are named by their file in content/treaties/: t"),
    );
}

#[test]

fn a_treaty_with_a_bad_date_gives_one_error_not_a_cascade() {
    let run = fails("treaty-bad-date");
    run.assert_diagnostic(
        "content/treaties/t.md:3:14",
        "`2020-13-01` is not a real calendar date",
        None,
    );
    run.assert_stderr_lacks("unknown treaty");
    assert_summary(&run, 1, 0);
}

// ---- rules across files ----

#[test]
fn a_stage_dated_before_an_earlier_stage_names_both_files() {
    let run = fails("stage-backwards");
    let block = run.diagnostic_at("content/articles/2020-04-01-talks.md:5:14");
    assert!(
        block.contains(
            "FR moves backwards in `t`: `talks` on 2020-04-01 comes after `signed` on 2020-03-01"
        ),
        "{block}"
    );
    assert!(
        block.contains("content/articles/2020-03-01-signed.md:5:14"),
        "the other file: {block}"
    );
    assert!(
        block.contains("help: check both dates; if the order is contested, add `disputed: true`"),
        "{block}"
    );
}

#[test]
fn a_stage_moving_backwards_is_accepted_when_disputed() {
    let site = build_ok(&fixture("stage-backwards-disputed"), &[]);
    site.run.assert_clean_build();
    let page = site.page("countries/fr/index.html");
    let events: Vec<(&str, String)> = page
        .all("li.event")
        .into_iter()
        .map(|event| {
            let date = attr(event.one(".event-date time"), "datetime");
            (date, text(event.one(".event-head")))
        })
        .collect();
    assert_eq!(
        events,
        [
            ("2020-01-01", "Announced".to_string()),
            ("2020-03-01", "Signed".to_string()),
            ("2020-04-01", "In talks Disputed".to_string()),
        ],
        "the disputed event is shown, and marked"
    );
    assert_eq!(
        page.texts(".event-disputed-note"),
        ["The date or stage of this event is contested."]
    );
}

#[test]
fn two_articles_giving_one_event_different_dates_name_both_files() {
    let run = fails("conflicting-dates");
    let block = run.diagnostic_at("content/articles/2020-03-05-signed-again.md:5:14");
    assert!(
        block.contains("`signed` of FR in `t` is dated 2020-03-02 here but 2020-03-01"),
        "{block}"
    );
    assert!(
        block.contains("content/articles/2020-03-01-signed.md:5:14"),
        "the other file: {block}"
    );
    assert!(
        block.contains("help: correct one of the dates, or give each step its own `label`"),
        "{block}"
    );
}

#[test]
fn two_files_writing_the_same_url_name_both() {
    let run = fails("duplicate-url");
    let block = run.diagnostic_at("content/articles/2020-03-02-news.md");
    assert!(
        block.contains("would write the same URL `/articles/news/`"),
        "{block}"
    );
    assert!(
        block.contains("content/articles/2020-03-01-news.md"),
        "the other file: {block}"
    );
    assert!(
        block.contains("help: give one of them another `slug:`"),
        "{block}"
    );
}

/// Each later file with a slug names the first one that took it, at the `slug:` lines both
/// write, in file order.
#[test]
fn every_later_article_with_a_taken_slug_names_the_first() {
    let (_dir, root) = copy_site(&fixture("duplicate-url"));
    fs::write(
        root.join("content/articles/2020-03-03-again.md"),
        "---\ntitle: \"News three\"\ndate: 2020-03-03\nslug: news\n---\nThree.\n",
    )
    .unwrap();
    let run = build_any(&root, &[]);
    run.assert_code(1);
    for later in [
        "content/articles/2020-03-02-news.md\n",
        "content/articles/2020-03-03-again.md:4:7",
    ] {
        run.assert_stderr_has(&format!(
            "error: this file would write the same URL `/articles/news/` as another\n --> {later}"
        ));
    }
    assert_eq!(
        run.stderr
            .matches("note: the other file\n --> content/articles/2020-03-01-news.md:4:7")
            .count(),
        2,
        "{}",
        run.stderr
    );
    let second = run.stderr.find("2020-03-02-news.md").unwrap();
    let third = run.stderr.find("2020-03-03-again.md").unwrap();
    assert!(second < third, "in file order: {}", run.stderr);
}

#[test]
fn slugs_that_are_empty_have_bad_characters_or_leave_the_output_folder() {
    let run = fails("bad-slugs");
    let hint = Some("write the slug in lower case with hyphens");
    let at = |n: u8| format!("content/articles/2020-03-0{n}-slug{n}.md:4:7");
    run.assert_diagnostic(&at(1), "the slug is empty", hint);
    run.assert_diagnostic(&at(2), "the slug `Bad Slug!`", hint);
    run.assert_diagnostic(&at(3), "the slug `../x`", hint);
    run.assert_diagnostic(&at(4), "the slug `/etc`", hint);
    run.assert_diagnostic(&at(5), "the slug `a/b`", hint);
    assert_summary(&run, 5, 0);
}

// ---- files that cannot be read as content ----

#[test]
fn a_file_that_is_not_utf8_names_the_line_and_column() {
    let (_dir, root) = copy_site(&fixture("good"));
    fs::write(
        root.join("content/articles/2020-03-01-latin1.md"),
        b"---\ntitle: \"Caf\xe9\"\ndate: 2020-03-01\n---\nBody\n",
    )
    .unwrap();
    let run = build_any(&root, &[]);
    run.assert_code(1).assert_diagnostic(
        "content/articles/2020-03-01-latin1.md:2:12",
        "this file is not UTF-8 text (invalid byte 0xE9)",
        Some("save the file with the UTF-8 encoding"),
    );
}

#[test]
fn an_empty_file() {
    let run = fails("empty-file");
    run.assert_diagnostic(
        "content/articles/2020-03-01-empty.md",
        "this file is empty",
        Some("write front matter between two `---` lines"),
    );
}

#[test]
fn a_symlink_loop_under_content() {
    let (_dir, root) = copy_site(&fixture("good"));
    std::os::unix::fs::symlink("..", root.join("content/articles/loop")).unwrap();
    let run = build_any(&root, &[]);
    run.assert_code(1).assert_diagnostic(
        "content/articles/loop",
        "symlink loop",
        Some("remove the link"),
    );
}

// ---- templates and static files ----

#[test]
fn a_tera_syntax_error_in_a_site_template_names_the_template_and_line() {
    let run = fails("template-syntax-error");
    let block = run.diagnostic_at("templates/article.html:3:22");
    assert!(block.contains("template `article.html`"), "{block}");
}

#[test]
fn an_undefined_variable_names_the_template_and_the_page_being_rendered() {
    let run = fails("template-undefined-variable");
    let block = run.diagnostic_at("templates/article.html:4:15");
    assert!(block.contains("template `article.html`"), "{block}");
    assert!(block.contains("`subtitle` is not defined"), "{block}");
    assert!(
        block.contains("articles/first/"),
        "the page being rendered: {block}"
    );
}

#[test]
fn a_static_file_may_not_overwrite_a_generated_page() {
    let run = fails("static-overwrites-page");
    run.assert_diagnostic(
        "static/feed.xml",
        "this static file would overwrite the generated page `/feed.xml`",
        Some("rename or move the static file"),
    );
}

// ---- accepted without complaint ----

#[test]
fn a_bom_and_crlf_line_endings_are_accepted() {
    let (_dir, root) = copy_site(&fixture("good"));
    fs::write(
        root.join("content/articles/2020-03-01-windows.md"),
        b"\xEF\xBB\xBF---\r\ntitle: \"Written on Windows\"\r\ndate: 2020-03-01\r\nevents:\r\n  - country: DE\r\n    stage: talks\r\n    date: 2020-03-01\r\nsources: [https://example.org/windows]\r\n---\r\nSaved with a BOM and CRLF.\r\n",
    )
    .unwrap();
    let site = build_ok(&root, &[]);
    site.run.assert_clean_build();
    let page = site.page("articles/windows/index.html");
    assert_eq!(page.texts("h1"), ["Written on Windows"]);
    assert_eq!(page.texts(".prose"), ["Saved with a BOM and CRLF."]);
    let germany = members_table(&site.page("index.html"))
        .into_iter()
        .find(|row| row.country == "Germany")
        .expect("the article's event is on the home page");
    assert_eq!(germany.status, "In talks");
    assert_eq!(germany.status_since.as_deref(), Some("2020-03-01"));
}

#[test]
fn a_markdown_extension_is_accepted() {
    let site = build_ok(&fixture("markdown-extension"), &[]);
    site.run.assert_clean_build();
    let page = site.page("articles/first/index.html");
    assert_eq!(page.texts(".prose"), ["France announced it would join."]);
}

#[test]
fn a_file_that_is_not_markdown_is_skipped_and_listed_only_under_verbose() {
    let root = fixture("non-markdown-file");
    let quiet = build_ok(&root, &[]);
    quiet.run.assert_clean_build();
    let verbose = build_ok(&root, &["--verbose"]);
    verbose.run.assert_code(0);
    let lines: Vec<&str> = verbose.run.stderr.lines().collect();
    assert_eq!(
        lines[0], "note: skipped content/articles/notes.txt (not a Markdown file)",
        "{}",
        verbose.run.stderr
    );
    assert_eq!(lines.len(), 2, "the note, then the summary: {lines:?}");
    assert!(lines[1].starts_with("built "), "{lines:?}");
    // The same site either way, without the file.
    assert_eq!(quiet.files(), verbose.files());
    assert!(!verbose.files().keys().any(|p| p.contains("notes")));
}

// ---- every problem in one run ----

#[test]
fn every_problem_in_every_file_is_reported_sorted_by_file_and_line() {
    let run = fails("many-errors");
    let places = [
        "content/articles/2020-03-01-alpha.md:5:14",
        "content/articles/2020-03-01-alpha.md:9:12",
        "content/articles/2020-03-02-beta.md:4:1",
        "content/articles/2020-03-03-gamma.md:5:14",
        "content/pages/about.md:3:9",
    ];
    let positions: Vec<usize> = places
        .iter()
        .map(|p| {
            run.stderr
                .find(&format!("--> {p}\n"))
                .unwrap_or_else(|| panic!("no diagnostic at {p}\n{}", run.stderr))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "not sorted by file and line:\n{}",
        run.stderr
    );
    run.assert_diagnostic(
        places[0],
        "unknown country code `UK`",
        Some("did you mean `GB` (United Kingdom)?"),
    );
    run.assert_diagnostic(
        places[1],
        "unknown stage `sigend`",
        Some("did you mean `signed`?"),
    );
    run.assert_diagnostic(
        places[2],
        "unknown field `titel`",
        Some("did you mean `title`?"),
    );
    assert!(
        run.diagnostic_at(places[3])
            .starts_with("warning: the `announced` event of DE has no source")
    );
    run.assert_diagnostic(places[4], "weight: invalid type", None);
    assert_summary(&run, 4, 1);
}

#[test]
fn deny_warnings_turns_a_warning_into_an_error() {
    let root = fixture("missing-source");
    let site = build_ok(&root, &[]);
    site.run.assert_diagnostic(
        "content/articles/2020-03-03-gamma.md:5:14",
        "the `announced` event of DE has no source",
        Some("add `sources:` to the event or to the article"),
    );
    assert_summary(&site.run, 0, 1);

    let run = build_any(&root, &["--deny-warnings"]);
    run.assert_code(1);
    assert!(
        run.diagnostic_at("content/articles/2020-03-03-gamma.md:5:14")
            .starts_with("error: the `announced` event of DE has no source"),
        "{}",
        run.stderr
    );
    assert_summary(&run, 1, 0);
}

#[test]
fn a_wrong_command_line_exits_2() {
    let run = treatyline(["build", "--no-such-flag"]);
    run.assert_code(2).assert_stderr_has("--no-such-flag");
    treatyline(["frobnicate"])
        .assert_code(2)
        .assert_stderr_has("error: unrecognized subcommand 'frobnicate'");
}

// ---- nothing lost ----

#[test]
fn a_failed_build_leaves_the_previous_output_exactly_as_it_was() {
    let (dir, root) = copy_site(&fixture("good"));
    let out = dir.path().join("public");
    build(&root, &out, &[]).assert_code(0);
    let before = read_tree(&out);
    assert!(before.contains_key("index.html"));
    let beside = list_dir(dir.path());

    fs::write(
        root.join("content/articles/2020-01-02-first.md"),
        "title: \"First steps\"\n---\nThe opening line is gone.\n",
    )
    .unwrap();
    build(&root, &out, &[])
        .assert_code(1)
        .assert_stderr_has("front matter is not opened");

    let after = read_tree(&out);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &before {
        assert!(bytes == &after[path], "{path} changed after a failed build");
    }
    assert_eq!(
        list_dir(dir.path()),
        beside,
        "a staging folder was left beside the output"
    );
}

/// Pages are written to the staging folder as they are rendered; a template that fails on
/// one kind of page, after others were written, must still leave the output as it was.
#[test]
fn a_template_failing_mid_build_leaves_the_previous_output_and_no_staging_folder() {
    let (dir, root) = copy_site(&fixture("good"));
    let out = dir.path().join("public");
    build(&root, &out, &[]).assert_code(0);
    let before = read_tree(&out);
    let beside = list_dir(dir.path());

    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("templates/article.html"),
        "{% extends \"base.html\" %}{% block content %}{{ article.no_such_field }}{% endblock content %}",
    )
    .unwrap();
    build(&root, &out, &[])
        .assert_code(1)
        .assert_stderr_has("while rendering /articles/");

    assert!(
        read_tree(&out) == before,
        "the output changed after a failed build"
    );
    assert_eq!(
        list_dir(dir.path()),
        beside,
        "a staging folder was left beside the output"
    );
}

/// Builds with `output` and asserts it is refused and that nothing under `keep` changed.
fn assert_output_refused(root: &Path, output: &Path, keep: &Path) {
    let before = read_tree(keep);
    let run = build(root, output, &[]);
    run.assert_code(1)
        .assert_stderr_has("refusing to write the site here");
    assert_eq!(
        read_tree(keep),
        before,
        "files changed after a refused build"
    );
}

#[test]
fn the_site_root_is_refused_as_output_folder_and_nothing_is_deleted() {
    let (dir, root) = copy_site(&fixture("good"));
    assert_output_refused(&root, &root, &root);
    // A folder that holds the site, or one inside content/ or templates/.
    assert_output_refused(&root, dir.path(), dir.path());
    assert_output_refused(&root, &root.join("content/out"), &root);
    assert!(!root.join("content/out").exists());
}

// ---- treatyline check ----

#[test]
fn check_finds_a_broken_link_and_a_missing_anchor() {
    let root = fixture("broken-links");
    let run = check(&root, &[]);
    run.assert_code(1)
        .assert_stderr_has("broken link: `../missing/` leads to no page of the site")
        .assert_stderr_has("broken anchor: `#nope`")
        .assert_stderr_has("articles/links/");
    // The good links next to them are not reported.
    run.assert_stderr_lacks("`../first/`")
        .assert_stderr_lacks("`#main`");
    assert_summary(&run, 2, 0);
    assert!(!root.join("public").exists(), "check wrote into the site");
}

#[test]
fn check_passes_on_the_default_site() {
    let run = check(&default_site(), &["--deny-warnings"]);
    let (pages, links) = run.assert_clean_check();
    let built = build_ok(&default_site(), &[]);
    let html_files = built
        .files()
        .keys()
        .filter(|p| p.ends_with(".html"))
        .count();
    assert_eq!(pages, html_files, "check renders every page a build writes");
    assert!(links > 20 * pages, "only {links} links in {pages} pages");
}

/// The three sources of `bad-source-urls`: (line, URL as written).
const BAD_SOURCES: [(usize, &str); 3] = [
    (5, "ftp://example.org/report"),
    (6, "https://exa mple.org/report"),
    (7, "example.org/report"),
];

#[test]
fn check_reports_every_source_url_that_is_not_a_well_formed_http_url_at_its_line() {
    let root = fixture("bad-source-urls");
    let run = check(&root, &[]);
    let file = "content/articles/2020-03-01-sources.md";
    for (line, url) in BAD_SOURCES {
        let at = format!("--> {file}:{line}:");
        let block = run
            .stderr
            .split("\n\n")
            .find(|b| b.contains(&at))
            .unwrap_or_else(|| panic!("no diagnostic at {file}:{line}\n{}", run.stderr));
        assert!(
            block.contains(&format!("`{url}`")),
            "the diagnostic names {url}: {block}"
        );
        assert!(
            block.contains("help: a source is a full web address starting with https://"),
            "{block}"
        );
    }
    // None of the three is an http(s) URL: each is an error, so the check fails.
    run.assert_code(1);
    check(&root, &["--deny-warnings"]).assert_code(1);
}

#[test]

fn a_bad_source_url_is_reported_once_at_its_line_not_on_every_page() {
    let run = check(&fixture("bad-source-urls"), &[]);
    run.assert_code(1);
    for (line, url) in BAD_SOURCES {
        let blocks: Vec<&str> = run
            .stderr
            .split("\n\n")
            .filter(|b| b.contains(&format!("`{url}`")))
            .collect();
        assert_eq!(blocks.len(), 1, "{url} reported once: {blocks:#?}");
        let at = format!("--> content/articles/2020-03-01-sources.md:{line}:");
        assert!(blocks[0].contains(&at), "{url} at its line: {}", blocks[0]);
    }
    // None is an http(s) URL: each is an error (a doubtful http(s) URL, only a warning, is
    // in tests/hardening.rs).
    assert_summary(&run, BAD_SOURCES.len(), 0);
    run.assert_stderr_lacks("broken link: `example.org/report`");
    run.assert_stderr_lacks("(generated)");
}

#[test]

fn check_names_the_content_file_that_holds_a_broken_link() {
    let run = check(&fixture("broken-links"), &[]);
    // At the link as written in the Markdown, line 5, where `../missing/` and `#nope` start.
    run.assert_code(1).assert_diagnostic(
        "content/articles/2020-03-03-links.md:5:40",
        "broken link: `../missing/`",
        Some("fix the link in this file"),
    );
    run.assert_diagnostic(
        "content/articles/2020-03-03-links.md:5:92",
        "broken anchor: `#nope`",
        None,
    );
}

#[test]

fn a_yaml_error_message_shows_no_line_number_of_the_yaml_block() {
    let run = fails("yaml-tab-indentation");
    let block = run.diagnostic_at("content/articles/2020-03-01-tabbed.md:4:1");
    assert!(block.contains("found a tab character"), "{block}");
    assert!(
        !block.contains("line 3"),
        "a YAML-block line number in the message: {block}"
    );
}

#[test]

fn a_site_yaml_that_is_not_utf8_is_not_called_missing() {
    let (_dir, root) = copy_site(&fixture("good"));
    fs::write(
        root.join("site.yaml"),
        b"title: \"Caf\xe9\"\nbase_url: https://example.org/fixture/\n",
    )
    .unwrap();
    let run = build_any(&root, &[]);
    run.assert_code(1).assert_diagnostic(
        "site.yaml:1:12",
        "this file is not UTF-8 text (invalid byte 0xE9)",
        Some("save the file with the UTF-8 encoding"),
    );
    run.assert_stderr_lacks("not a treatyline site");
    assert_summary(&run, 1, 0);
}

#[test]

fn a_static_file_in_the_place_of_a_generated_folder_is_located() {
    let root = fixture("static-file-over-generated-folder");
    let run = build_any(&root, &[]);
    run.assert_code(1)
        .assert_stderr_lacks("os error")
        .assert_diagnostic(
            "static/countries",
            "this static file would overwrite the generated page `/countries`",
            Some("rename or move the static file"),
        );
    check(&root, &[]).assert_code(1);
}

#[test]
fn a_page_may_not_take_the_url_of_a_generated_section() {
    let run = fails("page-reserved-slug");
    run.assert_diagnostic(
        "content/pages/countries.md",
        "the page slug `countries` is the URL of a generated section",
        Some("give the page another `slug:`"),
    );
}

/// A slug written in the front matter is reported at its line, for a reserved section name
/// and for a URL another file already takes.
#[test]
fn a_written_slug_that_clashes_is_reported_at_its_line() {
    let (_dir, root) = copy_site(&fixture("page-reserved-slug"));
    fs::write(
        root.join("content/pages/countries.md"),
        "---\ntitle: \"Countries\"\nslug: years\n---\nText.\n",
    )
    .unwrap();
    fs::write(
        root.join("content/pages/about.md"),
        "---\ntitle: \"About\"\nweight: 1\nslug: years\n---\nText.\n",
    )
    .unwrap();
    let run = build_any(&root, &[]);
    run.assert_code(1).assert_diagnostic(
        "content/pages/countries.md:3:7",
        "the page slug `years` is the URL of a generated section",
        Some("give the page another `slug:`"),
    );
    run.assert_stderr_has(
        "error: this file would write the same URL `/years/` as another\n --> content/pages/about.md:4:7",
    );
    run.assert_stderr_has("note: the other file\n --> content/pages/countries.md:3:7");
}

#[test]

fn a_field_given_twice_is_reported_at_the_second_one() {
    let run = fails("duplicate-field");
    let block = run.diagnostic_at("content/articles/2020-03-01-twice.md:4:1");
    assert!(block.contains("duplicate field `title`"), "{block}");
}

#[test]
fn a_field_given_twice_is_placed_at_its_repeat_not_at_a_nested_key_of_that_name() {
    let (_dir, root) = copy_site(&fixture("good"));
    fs::write(
        root.join("content/articles/2020-03-01-twice.md"),
        "---\ntitle: \"Twice\"\ndate: 2020-03-01\nsources: [https://example.org/a]\nevents:\n  - country: DE\n    stage: talks\n    date: 2020-03-01\n    sources: [https://example.org/b]\nsources: [https://example.org/c]\n---\nText.\n",
    )
    .unwrap();
    let run = build_any(&root, &[]);
    run.assert_code(1);
    // The article's second `sources:` (line 10), not the event's (line 9).
    let block = run.diagnostic_at("content/articles/2020-03-01-twice.md:10:1");
    assert!(block.contains("duplicate field `sources`"), "{block}");
}

#[test]
fn an_event_field_given_twice_is_placed_at_its_repeat() {
    let (_dir, root) = copy_site(&fixture("good"));
    fs::write(
        root.join("content/articles/2020-03-01-twice.md"),
        "---\ntitle: \"Twice\"\ndate: 2020-03-01\nevents:\n  - country: FR\n    stage: talks\n    date: 2020-03-01\n  - country: DE\n    stage: talks\n    date: 2020-03-01\n    date: 2020-03-02\nsources: [https://example.org/a]\n---\nText.\n",
    )
    .unwrap();
    let run = build_any(&root, &[]);
    run.assert_code(1);
    // The second event's second `date:`, not its first nor the first event's.
    let block = run.diagnostic_at("content/articles/2020-03-01-twice.md:11:5");
    assert!(block.contains("duplicate field `date`"), "{block}");
}

#[test]
fn a_source_with_a_misspelt_key_names_the_keys_a_source_has() {
    let (_dir, root) = copy_site(&fixture("good"));
    fs::write(
        root.join("content/articles/2020-03-01-source.md"),
        "---\ntitle: \"A source\"\ndate: 2020-03-01\nsources:\n  - https://example.org/a\n  - { uri: https://example.org/b, title: B }\n---\nText.\n",
    )
    .unwrap();
    let run = build_any(&root, &[]);
    run.assert_code(1).assert_diagnostic(
        "content/articles/2020-03-01-source.md:6:7",
        "sources[1]: unknown field `uri`, expected `url` or `title`",
        Some("did you mean `url`?"),
    );
    assert!(!run.stderr.contains("RawSource"), "{}", run.stderr);
}

#[test]
fn a_source_that_is_neither_a_url_nor_a_map_says_what_a_source_is() {
    let (_dir, root) = copy_site(&fixture("good"));
    fs::write(
        root.join("content/articles/2020-03-01-source.md"),
        "---\ntitle: \"A source\"\ndate: 2020-03-01\nsources:\n  - [https://example.org/a]\n---\nText.\n",
    )
    .unwrap();
    let run = build_any(&root, &[]);
    run.assert_code(1);
    let block = run.diagnostic_at("content/articles/2020-03-01-source.md:5:5");
    assert!(
        block.contains("expected a URL, or a map with `url:` and an optional `title:`"),
        "{block}"
    );
}
