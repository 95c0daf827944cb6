//! Helpers shared by the integration tests: run the real `treatyline` binary, find fixture
//! sites, copy them into temporary folders, and read what a user sees (files, HTML text,
//! diagnostics on stderr).
//!
//! Every build writes into a temporary folder (never into the repository), and every fixture is
//! read from `tests/fixtures/<case>/` relative to the crate, so the tests run from any checkout.
//!
//! The default site's facts (its countries, dates, articles) are asserted on a frozen copy of
//! it, [`default_site`], so that editing the repository's content/ breaks no test. Only one
//! test builds the repository's own folder: it must build and check without a warning.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

pub mod site;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::Selector;
pub use scraper::{ElementRef, Html};
use tempfile::TempDir;

/// The repository's root, which is also the default site's folder (whose content/ editors
/// change: assert its facts on [`default_site`] instead).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The default site (the Abraham Accords timeline) as it was frozen for the tests: the
/// repository's site.yaml and content/, without templates/ and static/, which come built in.
pub fn default_site() -> PathBuf {
    fixture("abraham-accords")
}

/// The fixture site `tests/fixtures/<case>/`.
pub fn fixture(case: &str) -> PathBuf {
    let path = repo_root().join("tests").join("fixtures").join(case);
    assert!(path.is_dir(), "missing fixture {}", path.display());
    path
}

/// What one run of the binary left for the user: exit code and both streams.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with the whole output unless the exit code is `code`.
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "expected exit code {code}, got {}\n--- stderr ---\n{}\n--- stdout ---\n{}",
            self.code, self.stderr, self.stdout
        );
        self
    }

    /// Panics unless stderr contains `needle`.
    pub fn assert_stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n--- stderr ---\n{}",
            self.stderr
        );
        self
    }

    /// Panics if stderr contains `needle`.
    pub fn assert_stderr_lacks(&self, needle: &str) -> &Self {
        assert!(
            !self.stderr.contains(needle),
            "stderr should not contain {needle:?}\n--- stderr ---\n{}",
            self.stderr
        );
        self
    }

    /// Asserts a build that succeeded with nothing to report: exit code 0 and the one line
    /// `built N files into <output> in T ms`; returns N.
    pub fn assert_clean_build(&self) -> usize {
        self.assert_code(0);
        let line = only_line(&self.stderr);
        let count = line
            .strip_prefix("built ")
            .and_then(|rest| rest.split_once(" files into "))
            .and_then(|(n, _)| n.parse().ok());
        count.unwrap_or_else(|| panic!("not a build's summary: {line:?}"))
    }

    /// Asserts a check that passed with nothing to report: exit code 0 and the one line
    /// `checked N pages and M links: no errors`; returns `(N, M)`.
    pub fn assert_clean_check(&self) -> (usize, usize) {
        self.assert_code(0);
        let line = only_line(&self.stderr);
        let counts = line
            .strip_prefix("checked ")
            .and_then(|rest| rest.strip_suffix(" links: no errors"))
            .and_then(|rest| rest.split_once(" pages and "))
            .and_then(|(pages, links)| Some((pages.parse().ok()?, links.parse().ok()?)));
        counts.unwrap_or_else(|| panic!("not a clean check's summary: {line:?}"))
    }

    /// The diagnostic block (from `error:`/`warning:` to the blank line after it) whose
    /// location line is exactly `--> {location}`; panics when there is none.
    pub fn diagnostic_at(&self, location: &str) -> &str {
        diagnostic_at(&self.stderr, location)
    }

    /// Asserts that the diagnostic at `location` says `message` and gives `hint` after `help:`.
    pub fn assert_diagnostic(&self, location: &str, message: &str, hint: Option<&str>) -> &Self {
        let block = self.diagnostic_at(location);
        assert!(
            block.contains(message),
            "the diagnostic at {location} lacks {message:?}\n--- diagnostic ---\n{block}\n--- stderr ---\n{}",
            self.stderr
        );
        if let Some(hint) = hint {
            assert!(
                block.contains(&format!("help: {hint}")),
                "the diagnostic at {location} lacks the hint {hint:?}\n--- diagnostic ---\n{block}"
            );
        }
        self
    }
}

/// The one line of `text`; panics when it has none or several.
fn only_line(text: &str) -> &str {
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected:\n{text}");
    lines[0]
}

/// See [`Run::diagnostic_at`]. A block is found by its own place, the first `-->` line; the
/// places of its notes come later in it.
pub fn diagnostic_at<'a>(stderr: &'a str, location: &str) -> &'a str {
    let marker = format!("--> {location}");
    for block in stderr.split("\n\n") {
        let own_place = block.lines().find(|l| l.trim_start().starts_with("-->"));
        if own_place.is_some_and(|l| l.trim_start() == marker) {
            let start = stderr.find(block).expect("block comes from stderr");
            return &stderr[start..start + block.len()];
        }
    }
    panic!("no diagnostic at `{location}`\n--- stderr ---\n{stderr}");
}

/// Runs `treatyline` with `args`, without colours, and returns what it printed.
pub fn treatyline<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    treatyline_with_env(args, &[])
}

/// Runs `treatyline` with `args` and the environment variables `env`, without colours.
pub fn treatyline_with_env<I, S>(args: I, env: &[(&str, &str)]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let output = Command::new(env!("CARGO_BIN_EXE_treatyline"))
        .args(args)
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("the treatyline binary runs");
    Run {
        code: output.status.code().expect("treatyline exited (no signal)"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `treatyline build --root <root> --output <output> <extra...>`.
pub fn build(root: &Path, output: &Path, extra: &[&str]) -> Run {
    treatyline(build_args(root, output, extra))
}

fn build_args<'a>(root: &'a Path, output: &'a Path, extra: &'a [&'a str]) -> Vec<&'a OsStr> {
    let mut args: Vec<&OsStr> = vec![
        OsStr::new("build"),
        OsStr::new("--root"),
        root.as_os_str(),
        OsStr::new("--output"),
        output.as_os_str(),
    ];
    args.extend(extra.iter().map(OsStr::new));
    args
}

/// `treatyline check --root <root> <extra...>`.
pub fn check(root: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<&OsStr> = vec![OsStr::new("check"), OsStr::new("--root"), root.as_os_str()];
    args.extend(extra.iter().map(OsStr::new));
    treatyline(args)
}

/// A site built into a temporary folder, kept while this value lives.
pub struct Built {
    _dir: TempDir,
    pub out: PathBuf,
    pub run: Run,
}

impl Built {
    /// A generated page, parsed, by its path in the output (`articles/x/index.html`).
    pub fn page(&self, path: &str) -> Html {
        parse(&self.read(path))
    }

    /// The text of a generated file, by its path in the output (`articles/x/index.html`).
    pub fn read(&self, path: &str) -> String {
        let full = self.out.join(path);
        fs::read_to_string(&full).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.out.join(path).exists()
    }

    /// Every generated file, by its path in the output.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        read_tree(&self.out)
    }
}

/// Builds the site at `root` into a fresh temporary folder; asserts the build succeeded.
pub fn build_ok(root: &Path, extra: &[&str]) -> Built {
    build_ok_with_env(root, extra, &[])
}

/// [`build_ok`] with environment variables set (`TREATYLINE_TODAY`).
pub fn build_ok_with_env(root: &Path, extra: &[&str], env: &[(&str, &str)]) -> Built {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("public");
    let run = treatyline_with_env(build_args(root, &out, extra), env);
    run.assert_code(0);
    Built {
        _dir: dir,
        out,
        run,
    }
}

/// Builds the site at `root` into a fresh temporary folder and returns the run (any code).
pub fn build_any(root: &Path, extra: &[&str]) -> Run {
    let dir = TempDir::new().unwrap();
    build(root, &dir.path().join("public"), extra)
}

/// A copy of the site at `src` in a temporary folder: `(guard, copy's root)`. Only the
/// files a site is made of are copied (not `public/` or `target/`).
pub fn copy_site(src: &Path) -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("site");
    fs::create_dir_all(&root).unwrap();
    for name in ["site.yaml", "content", "templates", "static"] {
        let from = src.join(name);
        if from.is_dir() {
            copy_dir(&from, &root.join(name));
        } else if from.is_file() {
            fs::copy(&from, root.join(name)).unwrap();
        }
    }
    (dir, root)
}

/// Copies a folder recursively (regular files and folders only).
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else if kind.is_file() {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir`, keyed by its `/`-separated path relative to `dir`, with its bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).unwrap();
                let key = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(key, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The names of the entries directly in `dir`, sorted.
pub fn list_dir(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// ---- tools outside Rust ----

/// Whether the tests run on CI: `CI` is set, and not empty, `0` or `false` (GitHub Actions and
/// .ci/run set it to `true`).
pub fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

/// For a test that needs a tool outside Rust (xmllint, node and an npm package): true when
/// `available`. When it is not, the test is skipped with a note, except on CI, where the test
/// fails: .ci/run installs every tool, so a missing one is a broken CI, not a reason to skip.
pub fn tool_available(tool: &str, available: bool, install: &str) -> bool {
    if available {
        return true;
    }
    assert!(
        !on_ci(),
        "{tool} is missing, and on CI no test may skip ({install})"
    );
    eprintln!("skipped: {tool} is not installed ({install}); on CI this test fails instead");
    false
}

// ---- reading HTML as a browser does ----

/// A page parsed by html5ever, the HTML parser of Servo, as a browser would build its tree.
pub fn parse(html: &str) -> Html {
    Html::parse_document(html)
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad CSS selector {css:?}: {e}"))
}

/// CSS selector queries, over a whole page or inside one of its elements.
pub trait Query<'a>: Copy {
    /// Every element matching `css`, in document order.
    fn all(self, css: &str) -> Vec<ElementRef<'a>>;

    /// The one element matching `css`; panics when none or several match.
    fn one(self, css: &str) -> ElementRef<'a> {
        let found = self.all(css);
        assert_eq!(
            found.len(),
            1,
            "one `{css}` expected, found {}: {:?}",
            found.len(),
            found.iter().map(|e| e.html()).collect::<Vec<_>>()
        );
        found[0]
    }

    /// The text of every element matching `css` (see [`text`]).
    fn texts(self, css: &str) -> Vec<String> {
        self.all(css).into_iter().map(text).collect()
    }

    /// The attribute `name` of every element matching `css`; panics when one lacks it.
    fn attrs(self, css: &str, name: &str) -> Vec<String> {
        self.all(css)
            .into_iter()
            .map(|e| attr(e, name).to_string())
            .collect()
    }
}

impl<'a> Query<'a> for &'a Html {
    fn all(self, css: &str) -> Vec<ElementRef<'a>> {
        self.select(&selector(css)).collect()
    }
}

impl<'a> Query<'a> for ElementRef<'a> {
    fn all(self, css: &str) -> Vec<ElementRef<'a>> {
        self.select(&selector(css)).collect()
    }
}

/// The text of every element matching `css` in the page `html`.
pub fn select_text(html: &str, css: &str) -> Vec<String> {
    parse(html).texts(css)
}

/// An element's text, entities decoded and whitespace collapsed (hidden text included).
pub fn text(element: ElementRef<'_>) -> String {
    collapse(element.text())
}

/// An element's text as a screen reader gives it: without what is `aria-hidden="true"`
/// (the flags beside country names, the dash of a stage not reached).
pub fn spoken_text(element: ElementRef<'_>) -> String {
    fn spoken(element: ElementRef<'_>, out: &mut String) {
        for child in element.children() {
            if let Some(text) = child.value().as_text() {
                out.push_str(text);
            } else if let Some(child) = ElementRef::wrap(child)
                && child.attr("aria-hidden") != Some("true")
            {
                spoken(child, out);
            }
        }
    }
    let mut out = String::new();
    spoken(element, &mut out);
    collapse([out.as_str()])
}

fn collapse<'s>(parts: impl IntoIterator<Item = &'s str>) -> String {
    let joined: String = parts.into_iter().collect();
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The attribute `name` of `element`; panics when it has none.
pub fn attr<'a>(element: ElementRef<'a>, name: &str) -> &'a str {
    element
        .attr(name)
        .unwrap_or_else(|| panic!("no `{name}` on {}", element.html()))
}

/// Every link of a page, as its `href` and `src` attributes give them, in order.
pub fn links(page: &Html) -> Vec<String> {
    page.all("[href], [src]")
        .into_iter()
        .flat_map(|e| [e.attr("href"), e.attr("src")])
        .flatten()
        .map(str::to_string)
        .collect()
}

/// One row of a members table: the country as read aloud, the status cell's text, the date in
/// its stage's column, and each stage column's `datetime` (None for a stage not reached).
#[derive(Debug)]
pub struct MemberRow {
    pub country: String,
    pub status: String,
    pub status_since: Option<String>,
    pub columns: BTreeMap<String, Option<String>>,
}

/// The rows of the page's one `table.members`, checked against its header: Country, Current
/// status (Status on an as-of page), then one column per stage.
pub fn members_table(page: &Html) -> Vec<MemberRow> {
    let table = page.one("table.members");
    let headers = table.texts("thead th");
    // "Status" on an as-of page, where it is the status on that day.
    assert!(
        headers[0] == "Country" && ["Current status", "Status"].contains(&headers[1].as_str()),
        "{headers:?}"
    );
    let datetime = |cell: ElementRef<'_>| {
        cell.all("time")
            .first()
            .map(|t| attr(*t, "datetime").to_string())
    };
    table
        .all("tbody tr")
        .into_iter()
        .map(|row| {
            let cells = row.all("td");
            assert_eq!(
                cells.len() + 1,
                headers.len(),
                "cells and headers do not line up: {}",
                row.html()
            );
            // The status names a stage; its date is in that stage's column.
            let stage = text(cells[0].one(".stage"));
            let stage_column = headers[2..].iter().position(|h| *h == stage);
            MemberRow {
                country: spoken_text(row.one("th[scope=row]")),
                status: text(cells[0]),
                status_since: stage_column.and_then(|i| datetime(cells[1 + i])),
                columns: headers[2..]
                    .iter()
                    .cloned()
                    .zip(cells[1..].iter().map(|c| datetime(*c)))
                    .collect(),
            }
        })
        .collect()
}
