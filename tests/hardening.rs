//! Hardening (issue 14): a site, a clone of one, or a second build cannot make treatyline
//! write outside its output, read outside the site, link to a `javascript:` URL, or spend time
//! and memory out of all proportion to a few kilobytes of input.
//!
//! Every test runs the real binary on a small site made in a temporary folder.

mod common;

use std::fs;
use std::path::PathBuf;

use common::{build, check};
use tempfile::TempDir;

/// A small good site in a temporary folder: one treaty, one article with one event.
struct Site {
    dir: TempDir,
}

const TREATY: &str = "---\ntitle: Test Treaty\nestablished: 2020-01-01\n---\nA treaty.\n";

const ARTICLE: &str = "---\ntitle: First\ndate: 2020-01-02\nevents:\n  - country: FR\n    stage: signed\n    date: 2020-01-01\nsources:\n  - https://example.org/report\n---\nFrance signed.\n";

impl Site {
    fn new() -> Site {
        let site = Site {
            dir: TempDir::new().unwrap(),
        };
        site.write(
            "site.yaml",
            "title: Test\nbase_url: https://example.org/\ndefault_treaty: t\n",
        );
        site.write("content/treaties/t.md", TREATY);
        site.write("content/articles/2020-01-02-first.md", ARTICLE);
        site
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// A folder beside the site (outside it), made on first use.
    fn outside(&self, relative: &str) -> PathBuf {
        let path = self.dir.path().join("outside").join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        path
    }
}

// ---- 7. Sources that are not http(s) ----

#[test]
fn a_javascript_source_is_an_error_at_its_line_and_never_a_link() {
    let site = Site::new();
    site.write(
        "content/articles/2020-01-03-bad.md",
        "---\ntitle: Bad\ndate: 2020-01-03\nsources:\n  - https://example.org/fine\n  - javascript:alert(document.cookie)\n  - url: \"data:text/html,<script>alert(1)</script>\"\n    title: A data URL\n---\nText.\n",
    );
    let out = site.outside("public");
    let run = build(&site.root(), &out, &[]);
    let file = "content/articles/2020-01-03-bad.md";
    run.assert_code(1).assert_diagnostic(
        &format!("{file}:6:5"),
        "error: the source `javascript:alert(document.cookie)` is not a web address",
        Some("a source is a full web address starting with https:// or http://"),
    );
    run.assert_diagnostic(
        &format!("{file}:7:10"),
        "error: the source `data:text/html,<script>alert(1)</script>` is not a web address",
        None,
    );
    assert!(!out.exists(), "a failed build writes nothing");
    check(&site.root(), &[]).assert_code(1);
}

#[test]
fn an_http_source_with_a_doubtful_host_stays_a_warning() {
    let site = Site::new();
    site.write(
        "content/articles/2020-01-03-intranet.md",
        "---\ntitle: Intranet\ndate: 2020-01-03\nsources:\n  - https://intranet/report\n---\nText.\n",
    );
    let out = site.outside("public");
    build(&site.root(), &out, &[])
        .assert_code(0)
        .assert_stderr_has("warning: the source `https://intranet/report` has no valid host name");
}

// ---- 4. YAML aliases ----

#[test]
fn aliases_that_would_expand_front_matter_past_its_budget_are_refused_at_the_anchor() {
    let site = Site::new();
    // 30 KB written; 2,000 aliases to a 10 KB summary would be 20 MB of tags.
    let long = "x".repeat(10_000);
    let aliases = vec!["*big"; 2_000].join(", ");
    site.write(
        "content/articles/2020-01-03-aliases.md",
        &format!("---\ntitle: Aliases\ndate: 2020-01-03\nsummary: &big {long}\ntags: [{aliases}]\n---\nText.\n"),
    );
    let out = site.outside("public");
    let run = build(&site.root(), &out, &[]);
    run.assert_code(1).assert_diagnostic(
        "content/articles/2020-01-03-aliases.md:4:10",
        "aliases (`*name`) repeat this value too often",
        Some("write the repeated values out"),
    );
    assert!(!out.exists());
}

#[test]
fn a_few_aliases_still_work() {
    let site = Site::new();
    site.write(
        "content/articles/2020-01-03-aliases.md",
        "---\ntitle: Aliases\ndate: 2020-01-03\nsummary: &s A shared summary.\ntags: [*s, *s]\n---\nText.\n",
    );
    build(&site.root(), &site.outside("public"), &[]).assert_code(0);
}
