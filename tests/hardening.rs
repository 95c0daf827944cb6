//! Hardening (issue 14): a site, a clone of one, or a second build cannot make treatyline
//! write outside its output, read outside the site, link to a `javascript:` URL, or spend time
//! and memory out of all proportion to a few kilobytes of input.
//!
//! Every test runs the real binary on a small site made in a temporary folder.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

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

// ---- 1 and 6. Whose folder the output is ----

/// `treatyline build --root <root> <extra...>`, into the default output `<root>/public`.
fn build_default(root: &Path, extra: &[&str]) -> common::Run {
    let mut args = vec!["build".to_string(), "--root".to_string()];
    args.push(root.to_string_lossy().into_owned());
    args.extend(extra.iter().map(|a| a.to_string()));
    common::treatyline(args)
}

/// A folder of someone else's files: a note and a `.git` folder.
fn someone_elses_folder(path: &Path) {
    fs::create_dir_all(path.join(".git")).unwrap();
    fs::write(path.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    fs::write(path.join("notes.txt"), "keep me\n").unwrap();
}

fn assert_untouched(path: &Path) {
    assert_eq!(
        fs::read_to_string(path.join("notes.txt")).unwrap(),
        "keep me\n"
    );
    assert!(path.join(".git/HEAD").is_file());
}

#[cfg(unix)]
#[test]
fn a_public_link_to_a_folder_outside_the_site_is_refused_and_the_folder_kept() {
    let site = Site::new();
    let elsewhere = site.outside("elsewhere");
    someone_elses_folder(&elsewhere);
    std::os::unix::fs::symlink(&elsewhere, site.path("public")).unwrap();

    let run = build_default(&site.root(), &[]);
    run.assert_code(1)
        .assert_stderr_has("refusing to write the site here: it is a symbolic link")
        .assert_stderr_has("help: remove the link, or name the folder itself with `--output`")
        .assert_stderr_lacks("built ");
    assert_untouched(&elsewhere);
    assert!(
        fs::symlink_metadata(site.path("public"))
            .unwrap()
            .is_symlink()
    );
    // --force is about folders treatyline did not make, not about links.
    build_default(&site.root(), &["--force"]).assert_code(1);
    assert_untouched(&elsewhere);
    // Naming the folder with --output is the way to build there; it is someone else's.
    build(&site.root(), &elsewhere, &[]).assert_code(1);
    assert_untouched(&elsewhere);
}

#[cfg(unix)]
#[test]
fn an_output_link_is_refused_even_to_treatyline_output() {
    let site = Site::new();
    let real = site.outside("real");
    build(&site.root(), &real, &[]).assert_code(0);
    let link = site.outside("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    build(&site.root(), &link, &[])
        .assert_code(1)
        .assert_stderr_has("it is a symbolic link");
    assert!(real.join("index.html").is_file());
}

#[test]
fn an_output_that_is_a_file_is_refused_without_force() {
    let site = Site::new();
    let file = site.outside("report.pdf");
    fs::write(&file, "not a site").unwrap();
    let run = build(&site.root(), &file, &[]);
    run.assert_code(1)
        .assert_stderr_has("refusing to write the site here: it is a file, not a folder")
        .assert_stderr_has("`--force`");
    assert_eq!(fs::read_to_string(&file).unwrap(), "not a site");
    let beside = common::list_dir(file.parent().unwrap());
    assert_eq!(beside, ["report.pdf"], "nothing hidden or left beside it");

    build(&site.root(), &file, &["--force"]).assert_code(0);
    assert!(file.join("index.html").is_file());
    assert_eq!(
        common::list_dir(file.parent().unwrap()),
        [".report.pdf.lock", "report.pdf"]
    );
}

#[test]
fn an_unrelated_non_empty_folder_is_refused_without_force() {
    let site = Site::new();
    let folder = site.outside("project");
    someone_elses_folder(&folder);
    let run = build(&site.root(), &folder, &[]);
    run.assert_code(1)
        .assert_stderr_has(
            "the folder is not empty and treatyline did not make it (it has no .treatyline)",
        )
        .assert_stderr_has("pass `--force` to replace the folder and all it holds");
    assert_untouched(&folder);

    build(&site.root(), &folder, &["--force"]).assert_code(0);
    assert!(folder.join("index.html").is_file());
    assert!(!folder.join("notes.txt").exists());
}

#[test]
fn treatyline_rebuilds_its_own_output_and_fills_empty_or_missing_folders_without_force() {
    let site = Site::new();
    // Missing: made, and marked.
    let out = site.outside("deep/er/public");
    build(&site.root(), &out, &[]).assert_code(0);
    assert!(out.join(".treatyline").is_file());
    // Its own output, with a stray file in it: replaced whole.
    fs::write(out.join("stray.txt"), "old").unwrap();
    build(&site.root(), &out, &[]).assert_code(0);
    assert!(!out.join("stray.txt").exists());
    // Empty.
    let empty = site.outside("empty");
    fs::create_dir_all(&empty).unwrap();
    build(&site.root(), &empty, &[]).assert_code(0);
    assert!(empty.join("index.html").is_file());
    // The default output, twice.
    build_default(&site.root(), &[]).assert_code(0);
    build_default(&site.root(), &[]).assert_code(0);
    assert!(site.path("public/.treatyline").is_file());
}

// ---- 5. Two builds into one output ----

#[test]
fn a_build_is_refused_while_another_holds_the_output() {
    let site = Site::new();
    let out = site.outside("public");
    build(&site.root(), &out, &[]).assert_code(0);
    // Another build, as far as the lock is concerned.
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(site.outside(".public.lock"))
        .unwrap();
    lock.lock().unwrap();
    let run = build(&site.root(), &out, &[]);
    run.assert_code(1)
        .assert_stderr_has("another treatyline build is writing to this folder")
        .assert_stderr_has("help: wait for that build to finish, then build again");
    assert!(out.join("index.html").is_file(), "the output is left alone");
    lock.unlock().unwrap();
    build(&site.root(), &out, &[]).assert_code(0);
}

#[test]
fn concurrent_builds_into_one_output_leave_one_whole_site() {
    let (_copy, root) = common::copy_site(&common::repo_root());
    let dir = TempDir::new().unwrap();
    let reference = dir.path().join("reference");
    build(&root, &reference, &[]).assert_code(0);
    let out = dir.path().join("public");
    let runs: Vec<common::Run> = std::thread::scope(|scope| {
        let builds: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| build(&root, &out, &[])))
            .collect();
        builds.into_iter().map(|b| b.join().unwrap()).collect()
    });
    for run in &runs {
        if run.code != 0 {
            run.assert_code(1)
                .assert_stderr_has("another treatyline build is writing to this folder");
        }
    }
    assert!(runs.iter().any(|r| r.code == 0));
    assert_eq!(common::read_tree(&out), common::read_tree(&reference));
    let beside = common::list_dir(dir.path());
    assert_eq!(
        beside,
        [".public.lock", ".reference.lock", "public", "reference"]
    );
}

// ---- 2. Links out of the site ----

const SECRET: &str = "SECRET-3b9e0c";

/// A file outside the site holding [`SECRET`], shaped like front matter so that a reader
/// that followed a link to it would echo its lines in errors or pages.
fn secret_file(site: &Site) -> PathBuf {
    let path = site.outside("secret.md");
    fs::write(
        &path,
        format!("---\ntitle: {SECRET}\n{SECRET}: x\n---\n{SECRET}\n"),
    )
    .unwrap();
    path
}

#[cfg(unix)]
fn link(target: &Path, at: &Path) {
    fs::create_dir_all(at.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, at).unwrap();
}

/// Builds and checks the site; both fail with an error at `at`, and neither prints the secret
/// or writes anything.
fn refused_everywhere(site: &Site, at: &str) {
    let out = site.outside("public");
    let run = build(&site.root(), &out, &[]);
    run.assert_code(1).assert_diagnostic(
        at,
        "this link leads out of the site's folder",
        Some("copy the file into the site, or point the link at a file inside the site's folder"),
    );
    run.assert_stderr_lacks(SECRET);
    assert!(!out.exists());
    let run = check(&site.root(), &[]);
    run.assert_code(1).assert_stderr_lacks(SECRET);
    run.diagnostic_at(at);
}

#[cfg(unix)]
#[test]
fn a_static_link_to_a_file_outside_the_site_is_refused_and_never_read() {
    let site = Site::new();
    link(&secret_file(&site), &site.path("static/secret.txt"));
    refused_everywhere(&site, "static/secret.txt");
}

#[cfg(unix)]
#[test]
fn a_static_link_to_a_folder_outside_the_site_is_refused_and_never_read() {
    let site = Site::new();
    let folder = site.outside("assets");
    fs::create_dir_all(&folder).unwrap();
    fs::copy(secret_file(&site), folder.join("secret.txt")).unwrap();
    link(&folder, &site.path("static/assets"));
    refused_everywhere(&site, "static/assets");
}

#[cfg(unix)]
#[test]
fn a_content_link_to_a_file_outside_the_site_is_refused_and_never_read() {
    let site = Site::new();
    link(&secret_file(&site), &site.path("content/articles/leak.md"));
    refused_everywhere(&site, "content/articles/leak.md");
}

#[cfg(unix)]
#[test]
fn a_content_folder_reached_through_a_link_out_of_the_site_is_refused() {
    let site = Site::new();
    let elsewhere = site.outside("pages");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::copy(secret_file(&site), elsewhere.join("leak.md")).unwrap();
    link(&elsewhere, &site.path("content/pages"));
    refused_everywhere(&site, "content/pages");
}

#[cfg(unix)]
#[test]
fn a_template_or_site_yaml_link_out_of_the_site_is_refused() {
    let site = Site::new();
    link(&secret_file(&site), &site.path("templates/base.html"));
    refused_everywhere(&site, "templates/base.html");

    let site = Site::new();
    let config = site.outside("site.yaml");
    fs::write(&config, format!("title: {SECRET}\n{SECRET}: 1\n")).unwrap();
    fs::remove_file(site.path("site.yaml")).unwrap();
    link(&config, &site.path("site.yaml"));
    refused_everywhere(&site, "site.yaml");
}

#[cfg(unix)]
#[test]
fn links_that_stay_inside_the_site_are_followed() {
    let site = Site::new();
    site.write("shared/logo.txt", "the logo\n");
    site.write("shared/fonts/a.txt", "a font\n");
    link(
        Path::new("../shared/logo.txt"),
        &site.path("static/logo.txt"),
    );
    link(Path::new("../shared/fonts"), &site.path("static/fonts"));
    let out = site.outside("public");
    build(&site.root(), &out, &[]).assert_code(0);
    assert_eq!(
        fs::read_to_string(out.join("logo.txt")).unwrap(),
        "the logo\n"
    );
    assert_eq!(
        fs::read_to_string(out.join("fonts/a.txt")).unwrap(),
        "a font\n"
    );
}
