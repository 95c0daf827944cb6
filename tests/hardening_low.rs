//! Hardening, the smaller items (issue 14, items 8 to 17): the output swap, error places in
//! flow-style and very long front matter, every problem in one run, a server that stops when
//! told, skipped files named, and `new --force` kept inside its folder.
//!
//! Every test runs the real binary on a small site made in a temporary folder.

mod common;

use std::fs;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use common::build;
use common::site::Site;

// ---- 8. The output swap ----

#[test]
fn a_rebuild_swaps_the_output_in_and_leaves_no_old_folder() {
    let site = Site::new();
    let out = site.outside("public");
    build(&site.root(), &out, &[]).assert_clean_build();
    fs::write(out.join("stale.txt"), "from before").unwrap();
    site.write(
        "content/articles/2020-01-02-first.md",
        &common::site::ARTICLE.replace("title: First", "title: Renamed"),
    );
    build(&site.root(), &out, &[]).assert_clean_build();
    assert!(!out.join("stale.txt").exists(), "the old output was kept");
    let page = fs::read_to_string(out.join("articles/first/index.html")).unwrap();
    assert!(page.contains("Renamed"));
    // Beside the output: the lock file only, no staging or old folder.
    assert_eq!(
        common::list_dir(out.parent().unwrap()),
        [".public.lock", "public"]
    );
}

#[test]
fn the_output_folder_never_goes_missing_during_rebuilds() {
    let site = Site::new();
    let out = site.outside("public");
    build(&site.root(), &out, &[]).assert_clean_build();
    let done = Arc::new(AtomicBool::new(false));
    let (missing, looks) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let watcher = {
        let (out, done) = (out.clone(), done.clone());
        let (missing, looks) = (missing.clone(), looks.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if fs::symlink_metadata(out.join(".treatyline")).is_err() {
                    missing.fetch_add(1, Ordering::Relaxed);
                }
                looks.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    for _ in 0..10 {
        build(&site.root(), &out, &[]).assert_clean_build();
    }
    done.store(true, Ordering::Relaxed);
    watcher.join().unwrap();
    assert!(looks.load(Ordering::Relaxed) > 100);
    assert_eq!(
        missing.load(Ordering::Relaxed),
        0,
        "the output was missing {} times in {} looks",
        missing.load(Ordering::Relaxed),
        looks.load(Ordering::Relaxed)
    );
}

// ---- 9. Errors in flow-style events ----

#[test]
fn errors_in_flow_style_events_are_at_their_own_lines_and_all_shown() {
    let site = Site::new();
    let file = "content/articles/2020-01-03-flow.md";
    site.write(
        file,
        "---\ntitle: XX and YY\ndate: 2020-01-03\nsources: [https://example.org/a]\nevents:\n  - {country: FR, stage: signed, date: 2020-01-01}\n  - {country: XX, stage: signed, date: 2020-01-01}\n  - {country: XX, stage: signed, date: 2020-01-02}\n  - {country: DE, stage: sgned, date: 2020-01-02}\n---\nText.\n",
    );
    let run = build(&site.root(), &site.outside("public"), &[]);
    run.assert_code(1);
    let unknown = "error: unknown country code `XX`";
    run.assert_diagnostic(&format!("{file}:7:15"), unknown, None);
    run.assert_diagnostic(&format!("{file}:8:15"), unknown, None);
    run.assert_diagnostic(
        &format!("{file}:9:26"),
        "error: unknown stage `sgned`",
        Some("did you mean `signed`?"),
    );
    // The title holds `XX` too: no error is placed there.
    run.assert_stderr_lacks(&format!("{file}:2:"));
    // The count says what is shown.
    run.assert_stderr_has("3 errors, 0 warnings");
    // The mark covers the value, not the comma after it.
    run.assert_stderr_has(
        "  - {country: XX, stage: signed, date: 2020-01-02}\n  |               ^^\n",
    );
}

// ---- 13. Error places in a very long front matter ----

#[test]
fn errors_among_thousands_of_events_are_placed_at_their_own_lines() {
    let site = Site::new();
    let file = "content/articles/2020-01-03-many.md";
    let mut text = String::from(
        "---\ntitle: Many\ndate: 2020-01-03\nsources: [https://example.org/a]\nevents:\n",
    );
    // Five lines of front matter before the events; each event is four lines.
    let events = 5000;
    for i in 0..events {
        let country = if i % 1000 == 999 { "XX" } else { "FR" };
        let day = 1 + i % 28;
        text.push_str(&format!(
            "  - country: {country}\n    stage: signed\n    date: 2019-01-{day:02}\n    note: n{i}\n"
        ));
    }
    text.push_str("---\nText.\n");
    site.write(file, &text);
    let run = build(&site.root(), &site.outside("public"), &[]);
    run.assert_code(1);
    for i in (999..events).step_by(1000) {
        let line = 6 + 4 * i;
        run.assert_diagnostic(
            &format!("{file}:{line}:14"),
            "error: unknown country code `XX`",
            None,
        );
    }
}

// ---- 10. A site.yaml error and the content's errors in one run ----

#[test]
fn a_site_yaml_error_is_reported_with_the_contents_errors() {
    let site = Site::new();
    let article = "content/articles/2020-01-02-first.md";
    site.write(
        article,
        &common::site::ARTICLE.replace("country: FR", "country: XX"),
    );
    // A misspelt key: the default treaty is still read, so no event lacks its treaty.
    site.write(
        "site.yaml",
        "title: Test\nbase_url: https://example.org/\ndefault_treaty: t\nlangauge: en\n",
    );
    let run = build(&site.root(), &site.outside("public"), &[]);
    run.assert_code(1)
        .assert_diagnostic(
            "site.yaml:4:1",
            "error: unknown field `langauge`, expected one of `title`, `base_url`, `default_treaty`, `language`, `description`, `data_license`, `data_license_url`",
            Some("did you mean `language`?"),
        )
        .assert_diagnostic(
            &format!("{article}:5:14"),
            "error: unknown country code `XX`",
            None,
        )
        .assert_stderr_has("2 errors, 0 warnings");
    assert!(!site.outside("public").exists(), "nothing is written");

    // site.yaml that is not even YAML: the content is still checked.
    site.write(
        "site.yaml",
        "title: Test\nbase_url: https://example.org/\ndefault_treaty: t\nlanguage: en: us\n",
    );
    let run = common::check(&site.root(), &[]);
    run.assert_code(1)
        .assert_stderr_has("--> site.yaml:4:")
        .assert_diagnostic(
            &format!("{article}:5:14"),
            "error: unknown country code `XX`",
            None,
        );
}

// ---- 15. What is skipped is named with --verbose ----

#[cfg(unix)]
#[test]
fn a_fifo_and_a_folder_named_like_markdown_are_named_with_verbose() {
    let site = Site::new();
    let fifo = site.path("content/articles/pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    fs::create_dir_all(site.path("content/articles/folder.md")).unwrap();
    let out = site.outside("public");
    let run = build(&site.root(), &out, &["--verbose"]);
    run.assert_code(0)
        .assert_stderr_has("note: skipped content/articles/folder.md (a folder, not a Markdown file; the files inside it are read)\n")
        .assert_stderr_has("note: skipped content/articles/pipe.md (not a regular file (a FIFO, socket or device), so it is not read)\n");
    // Without --verbose they are skipped quietly, as before, and the FIFO is never opened
    // (opening it would block the build).
    let run = build(&site.root(), &out, &[]);
    run.assert_code(0).assert_stderr_lacks("skipped");
    common::check(&site.root(), &["-v"])
        .assert_code(0)
        .assert_stderr_has("note: skipped content/articles/pipe.md");
}

// ---- 14. Every problem in one run ----

#[test]
fn content_static_and_link_problems_are_reported_in_one_run() {
    let root = common::fixture("every-kind-of-problem");
    let unknown = (
        "content/articles/2020-04-04-bad.md:5:14",
        "error: unknown country code `XX`",
    );
    let clash = (
        "static/feed.xml",
        "error: this static file would overwrite the generated page `/feed.xml`",
    );
    let dir = tempfile::TempDir::new().unwrap();
    let out = dir.path().join("public");
    let run = build(&root, &out, &[]);
    run.assert_code(1)
        .assert_diagnostic(unknown.0, unknown.1, None)
        .assert_diagnostic(clash.0, clash.1, None)
        .assert_stderr_has("2 errors, 0 warnings");
    assert!(!out.exists(), "a site with errors was written");

    // `check` renders what is left of the site and checks its links as well.
    let run = common::check(&root, &[]);
    run.assert_code(1)
        .assert_diagnostic(unknown.0, unknown.1, None)
        .assert_diagnostic(clash.0, clash.1, None)
        .assert_diagnostic(
            "content/articles/2020-03-03-links.md:5:40",
            "error: broken link: `../missing/` leads to no page of the site",
            None,
        )
        .assert_stderr_has("error: broken anchor: `#nope`")
        .assert_stderr_has("4 errors, 0 warnings");
    assert!(!root.join("public").exists(), "check wrote into the site");
}
