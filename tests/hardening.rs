//! Hardening (issue 14): a site, a clone of one, or a second build cannot make treatyline
//! write outside its output, read outside the site, link to a `javascript:` URL, or spend time
//! and memory out of all proportion to a few kilobytes of input.
//!
//! Every test runs the real binary on a small site made in a temporary folder.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::site::{ARTICLE, Site, TREATY};
use common::{build, check};
use tempfile::TempDir;

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
    // Reported once, at its line, and not again as a broken link of every page showing it.
    let run = check(&site.root(), &[]);
    run.assert_code(0);
    let warning = run.diagnostic_at("content/articles/2020-01-03-intranet.md:5:5");
    assert!(warning.contains("has no valid host name"), "{warning}");
    assert_eq!(
        run.stderr.matches("intranet/report").count(),
        2,
        "{}",
        run.stderr
    );
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

// ---- 3. Far-future and far-past dates ----

/// The build day of these tests, whatever the clock says.
const TODAY: &str = "2026-11-30";

/// `treatyline build` with `env` set, under a memory limit (4 GiB of address space) and a time
/// limit, so that a build that would grow without bound fails here instead of taking the
/// machine with it. Returns the run and how long it took.
#[cfg(unix)]
fn build_bounded(
    root: &Path,
    out: &Path,
    env: &[(&str, &str)],
) -> (common::Run, std::time::Duration) {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let started = Instant::now();
    let mut child = Command::new("sh")
        .args(["-c", "ulimit -v 4194304 && exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_treatyline"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let run = common::Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    (run, started.elapsed())
}

/// The names in `dir`, or none when it does not exist.
fn names(dir: &Path) -> Vec<String> {
    if dir.is_dir() {
        common::list_dir(dir)
    } else {
        Vec::new()
    }
}

#[cfg(unix)]
#[test]
fn a_founding_in_the_year_1_and_an_event_in_9999_build_quickly_into_few_pages() {
    let site = Site::new();
    let (base, _) = build_bounded(
        &site.root(),
        &site.outside("base"),
        &[("TREATYLINE_TODAY", TODAY)],
    );
    base.assert_code(0);
    // The pages and files, not the search index's (whose files are as many as its records).
    let outside_index = |tree: std::collections::BTreeMap<String, Vec<u8>>| {
        tree.into_iter()
            .filter(|(path, _)| !path.starts_with("pagefind/"))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let base_files = outside_index(common::read_tree(&site.outside("base"))).len();

    site.write(
        "content/treaties/t.md",
        &TREATY.replace("2020-01-01", "0001-01-01"),
    );
    site.write(
        "content/articles/2020-01-05-far.md",
        "---\ntitle: Far\ndate: 2020-01-05\nevents:\n  - country: DE\n    stage: announced\n    date: 9999-06-01\n---\nA plan.\n",
    );
    let out = site.outside("public");
    let (run, took) = build_bounded(&site.root(), &out, &[("TREATYLINE_TODAY", TODAY)]);
    run.assert_code(0).assert_diagnostic(
        "content/articles/2020-01-05-far.md:7:11",
        "warning: this `announced` event is dated 9999-06-01, after the build day (2026-11-30)",
        None,
    );
    assert!(took.as_secs() < 20, "the build took {took:?}");
    // As-of pages for the founding's year and 2020 only; no year page after the build day's.
    assert_eq!(names(&out.join("treaties/t/as-of")), ["1", "2020"]);
    assert_eq!(names(&out.join("years")), ["2020", "index.html"]);
    // One more as-of page, the new article's and Germany's, next to the site as it was.
    let files = outside_index(common::read_tree(&out));
    assert_eq!(files.len(), base_files + 3, "{:?}", files.keys());
    let largest = files.values().map(Vec::len).max().unwrap();
    assert!(largest < 200_000, "a page of {largest} bytes");
}

#[cfg(unix)]
#[test]
fn a_stage_dated_after_the_build_day_is_an_error_at_its_date() {
    let site = Site::new();
    site.write(
        "content/articles/2020-01-05-far.md",
        "---\ntitle: Far\ndate: 2020-01-05\nevents:\n  - country: DE\n    stage: signed\n    date: 9999-06-01\n---\nA typo.\n",
    );
    let out = site.outside("public");
    let (run, _) = build_bounded(&site.root(), &out, &[("TREATYLINE_TODAY", TODAY)]);
    run.assert_code(1).assert_diagnostic(
        "content/articles/2020-01-05-far.md:7:11",
        "error: this `signed` event is dated 9999-06-01, after the build day (2026-11-30)",
        Some("a stage records a step taken"),
    );
    assert!(!out.exists());
}

#[test]
fn the_build_day_is_today_or_treatyline_today() {
    let site = Site::new();
    site.write(
        "content/articles/2026-01-10-plan.md",
        "---\ntitle: Plan\ndate: 2026-01-10\nevents:\n  - country: DE\n    stage: announced\n    date: 2026-01-10\nsources: [https://example.org/plan]\n---\nA plan.\n",
    );
    let args = |out: &Path| {
        vec![
            "build".to_string(),
            "--root".into(),
            site.root().to_string_lossy().into_owned(),
            "--output".into(),
            out.to_string_lossy().into_owned(),
        ]
    };
    let before = site.outside("before");
    let run = common::treatyline_with_env(args(&before), &[("TREATYLINE_TODAY", "2025-12-30")]);
    run.assert_code(0).assert_diagnostic(
        "content/articles/2026-01-10-plan.md:3:7",
        "warning: this article is dated 2026-01-10, after the build day (2025-12-30)",
        Some("check the year; an article is dated the day it was published"),
    );
    assert_eq!(names(&before.join("years")), ["2020", "index.html"]);
    // A day of grace for the time zones ahead of UTC.
    let after = site.outside("after");
    let run = common::treatyline_with_env(args(&after), &[("TREATYLINE_TODAY", "2026-01-09")]);
    run.assert_code(0).assert_stderr_lacks("warning");
    assert_eq!(names(&after.join("years")), ["2020", "2026", "index.html"]);
    // By the clock, which is past 2026.
    common::treatyline(args(&site.outside("now")))
        .assert_code(0)
        .assert_stderr_lacks("warning");

    let run = common::treatyline_with_env(
        args(&site.outside("bad")),
        &[("TREATYLINE_TODAY", "yesterday")],
    );
    run.assert_code(2).assert_stderr_has(
        "error: TREATYLINE_TODAY: `yesterday` is not a date: write it as YYYY-MM-DD",
    );
}

// ---- 11. A stderr that cannot be written ----

/// With stderr on a full device, a build that has something to say ends with exit code 1,
/// not a panic (101).
#[test]
fn a_stderr_that_cannot_be_written_ends_quietly_with_code_1() {
    let full = Path::new("/dev/full");
    if !full.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "/dev/full is missing on CI"
        );
        eprintln!("skipped: this system has no /dev/full");
        return;
    }
    let site = Site::new();
    let out = site.dir.path().join("public");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_treatyline"))
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(&out)
        .stderr(fs::OpenOptions::new().write(true).open(full).unwrap())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    // The site itself was built: only the report could not be written.
    assert!(out.join("index.html").is_file());
}

// ---- 18. Formulas in the CSV export ----

#[test]
fn a_cell_a_spreadsheet_would_run_is_written_as_text() {
    let site = Site::new();
    site.write(
        "content/articles/2020-01-02-first.md",
        &ARTICLE.replace(
            "    date: 2020-01-01\n",
            "    date: 2020-01-01\n    note: \"=HYPERLINK(\\\"https://evil.example/\\\",\\\"x\\\")\"\n",
        ),
    );
    let out = site.dir.path().join("public");
    build(&site.root(), &out, &[]).assert_code(0);
    let csv = fs::read_to_string(out.join("data/t.csv")).unwrap();
    let row = csv.lines().nth(1).expect("a row");
    assert!(
        row.contains(r#""'=HYPERLINK(""https://evil.example/"",""x"")""#),
        "{row}"
    );
    // The JSON keeps the note as written.
    let json = fs::read_to_string(out.join("data/t.json")).unwrap();
    assert!(json.contains(r#""note":"=HYPERLINK("#), "{json}");
}

// ---- 16. Control characters in file names ----

/// A file name with a newline and an escape sequence is printed escaped: it can neither
/// break the report's lines nor restyle the terminal.
#[test]
fn a_file_name_with_control_characters_is_printed_escaped() {
    let site = Site::new();
    site.write(
        "content/articles/bad\nname\u{1b}[31m.md",
        "---\ndate: 2020-01-02\n---\nNo title.\n",
    );
    let run = build(&site.root(), &site.dir.path().join("public"), &[]);
    run.assert_code(1);
    run.assert_stderr_has("--> content/articles/bad\\nname\\u{1b}[31m.md");
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    assert!(!run.stderr.contains("bad\nname"), "{:?}", run.stderr);
}
