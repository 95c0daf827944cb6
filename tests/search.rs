//! Site search (issue 13): the search page as readers and their browsers get it, the index
//! written with the site, the switches that leave search out, and an index that is the same
//! bytes at every build. tests/browser/search.mjs runs a query in a real browser.

mod common;
#[path = "../examples/gen_corpus/corpus.rs"]
mod corpus;

use std::collections::BTreeMap;
use std::process::Command;

use common::{Query, attr, build_ok, copy_site, default_site, parse, read_tree};

const BASE: &str = "https://user.github.io/repo/";
/// The path of [`BASE`], with which the site's links to its own pages start.
const BASE_PATH: &str = "/repo/";

fn is_search_file(path: &str) -> bool {
    path.starts_with("pagefind/") || path.starts_with("search/")
}

#[test]
fn the_search_page_has_a_labelled_field_a_live_status_and_says_it_needs_javascript() {
    let built = build_ok(&default_site(), &["--base-url", BASE]);
    let page = built.page("search/index.html");
    // The script is loaded from the site itself, under its path.
    assert_eq!(
        page.attrs("script[src]", "src"),
        [format!("{BASE_PATH}search/search.js")]
    );
    assert_eq!(attr(page.one("script[src]"), "type"), "module");
    assert!(built.exists("search/search.js"));
    let form = page.one("form[role=search]");
    assert_eq!(attr(form, "action"), format!("{BASE_PATH}search/"));
    let field = form.one("input[type=search]");
    assert_eq!(attr(field, "name"), "q");
    let id = attr(field, "id");
    assert_eq!(
        form.texts(&format!("label[for={id}]")),
        ["Search Abraham Accords Timeline"]
    );
    assert_eq!(page.all("[role=status]#search-status").len(), 1);
    assert_eq!(page.all("ol#search-results").len(), 1);
    // A browser without scripts reads what <noscript> holds as HTML; a parser with scripts
    // (this one) as text.
    let noscript = page.texts("noscript");
    assert_eq!(noscript.len(), 1);
    let said = parse(&noscript[0]).texts("p");
    assert!(said[0].starts_with("Search needs JavaScript"), "{said:?}");
    // The form, which could do nothing without a script, is shown by the script.
    assert_eq!(attr(form, "hidden"), "");
    // The search page is its own, not one search engines should list.
    assert_eq!(
        page.attrs("meta[name=robots]", "content"),
        ["noindex"],
        "robots"
    );
    assert!(!built.read("sitemap.xml").contains("/search/"));
    let here = page.one(".site-nav a[aria-current=page]");
    assert_eq!(
        (common::text(here), attr(here, "href")),
        ("Search".to_string(), format!("{BASE_PATH}search/").as_str())
    );
}

#[test]
fn every_page_links_the_search_page_from_its_header() {
    let built = build_ok(&default_site(), &["--base-url", BASE]);
    for path in [
        "index.html",
        "articles/kazakhstan-joins-abraham-accords/index.html",
        "countries/kz/index.html",
        "404.html",
    ] {
        let page = built.page(path);
        let links = page.attrs(".site-nav a", "href");
        assert!(
            links.contains(&format!("{BASE_PATH}search/")),
            "{path}: {links:?}"
        );
    }
}

#[test]
fn the_index_is_written_with_the_site_one_record_per_page_a_reader_looks_for() {
    let built = build_ok(&default_site(), &[]);
    let files = built.files();
    for path in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-worker.js",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.en.pagefind",
    ] {
        assert!(files.contains_key(path), "{path} missing");
    }
    // Pagefind's ready-made interfaces are not shipped: the search page has its own.
    assert!(!files.keys().any(|p| p.contains("pagefind-ui")));
    let entry: serde_json::Value =
        serde_json::from_slice(&files["pagefind/pagefind-entry.json"]).unwrap();
    let pages = entry["languages"]["en"]["page_count"].as_u64().unwrap();
    // Articles, treaties, countries and free pages.
    let count = |section: &str| {
        files
            .keys()
            .filter(|p| {
                p.starts_with(&format!("{section}/"))
                    && p.ends_with("/index.html")
                    && p.matches('/').count() == 2
            })
            .count()
    };
    let free_pages = ["about", "methodology"];
    let expected = count("articles") + count("treaties") + count("countries") + free_pages.len();
    assert_eq!(pages as usize, expected);
    let fragments = files
        .keys()
        .filter(|p| p.starts_with("pagefind/fragment/"))
        .count();
    assert_eq!(fragments, expected);
    // The build's count of files includes the index's.
    assert_eq!(built.run.assert_clean_build(), files.len());
}

/// Builds the default site with search, then without it (by `extra` arguments, or by site.yaml
/// when `config` is set): the site without search is the same files less the search's, and no
/// page links a search page.
fn assert_search_left_out(extra: &[&str], config: bool) {
    let (_dir, root) = copy_site(&default_site());
    let with = build_ok(&root, &[]).files();
    if config {
        let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
        std::fs::write(root.join("site.yaml"), format!("{yaml}search: false\n")).unwrap();
    }
    let without = build_ok(&root, extra).files();
    let expected: Vec<&String> = with.keys().filter(|p| !is_search_file(p)).collect();
    assert_eq!(without.keys().collect::<Vec<_>>(), expected);
    for (path, bytes) in &without {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("/search/"),
            "{path} still names the search page"
        );
    }
    // Only the header link differs.
    let home = parse(&String::from_utf8_lossy(&without["index.html"]));
    assert!(!home.texts(".site-nav a").contains(&"Search".to_string()));
}

#[test]
fn build_no_search_leaves_out_the_index_the_page_and_the_link() {
    assert_search_left_out(&["--no-search"], false);
}

#[test]
fn search_false_in_site_yaml_leaves_out_the_index_the_page_and_the_link() {
    assert_search_left_out(&[], true);
}

#[test]
fn a_static_file_may_not_take_the_search_index_s_place() {
    let (_dir, root) = copy_site(&default_site());
    std::fs::create_dir_all(root.join("static/pagefind")).unwrap();
    std::fs::write(root.join("static/pagefind/pagefind.js"), "// mine").unwrap();
    common::build_any(&root, &[])
        .assert_code(1)
        .assert_stderr_has("static/pagefind/pagefind.js")
        .assert_stderr_has("this static file would overwrite the generated page");
    // Without search the folder is the site's own.
    let built = build_ok(&root, &["--no-search"]);
    assert_eq!(built.read("pagefind/pagefind.js"), "// mine");
}

/// Builds with `threads` threads and the index in shards of at most `shard_size` records.
fn build_with_threads(
    root: &std::path::Path,
    out: &std::path::Path,
    threads: &str,
    shard_size: &str,
) {
    let status = Command::new(env!("CARGO_BIN_EXE_treatyline"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .env("RAYON_NUM_THREADS", threads)
        .env("TREATYLINE_SEARCH_SHARD_SIZE", shard_size)
        .env("NO_COLOR", "1")
        .status()
        .expect("treatyline runs");
    assert!(status.success(), "the build of {} failed", root.display());
}

/// The number of records in the index whose entry file is `entry`.
fn page_count(entry: &[u8]) -> u64 {
    let entry: serde_json::Value = serde_json::from_slice(entry).unwrap();
    let languages = entry["languages"].as_object().unwrap();
    languages
        .values()
        .map(|l| l["page_count"].as_u64().unwrap())
        .sum()
}

/// A larger site's index is in shards (here of at most 50 records, as a site of thousands of
/// articles is in shards of thousands): each a Pagefind index in a folder of its own after
/// the first, and the search page's script says how many to merge. Their records are those
/// of one index, and the files are the same bytes whatever the number of threads.
#[test]
fn the_index_of_a_larger_site_is_in_shards_the_same_bytes_whatever_the_threads() {
    let corpus = corpus::Corpus::generate(120, 3);
    let dir = tempfile::TempDir::new().unwrap();
    let root = dir.path().join("site");
    corpus::write_files(&root, &corpus.treatyline_files()).unwrap();
    let (one, four, whole) = (
        dir.path().join("one"),
        dir.path().join("four"),
        dir.path().join("whole"),
    );
    build_with_threads(&root, &one, "1", "50");
    build_with_threads(&root, &four, "4", "50");
    build_with_threads(&root, &whole, "4", "100000");
    let index = |out: &std::path::Path| -> BTreeMap<String, Vec<u8>> {
        read_tree(out)
            .into_iter()
            .filter(|(p, _)| is_search_file(p))
            .collect()
    };
    let (a, b) = (index(&one), index(&four));
    assert!(a.len() > 120, "only {} index files", a.len());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    let differing: Vec<&String> = a.keys().filter(|p| a[*p] != b[*p]).collect();
    assert!(differing.is_empty(), "these files differ: {differing:?}");

    let entries: Vec<&String> = a
        .keys()
        .filter(|p| p.ends_with("pagefind-entry.json"))
        .collect();
    let shards = entries.len();
    assert!(shards >= 3, "{entries:?}");
    for shard in 1..shards {
        let folder = format!("pagefind/shard-{shard}/");
        assert!(
            entries.contains(&&format!("{folder}pagefind-entry.json")),
            "{entries:?}"
        );
        assert!(
            a.keys()
                .any(|p| p.starts_with(&format!("{folder}fragment/")))
        );
        assert!(
            !a.keys()
                .any(|p| p.starts_with(&folder) && p.ends_with(".js"))
        );
    }
    let script = String::from_utf8(a["search/search.js"].clone()).unwrap();
    assert!(script.contains(&format!("\nconst SHARDS = {shards};\n")));
    let counts: Vec<u64> = entries.iter().map(|p| page_count(&a[*p])).collect();
    assert!(counts.iter().all(|&n| (1..=50).contains(&n)), "{counts:?}");
    let whole = index(&whole);
    assert_eq!(
        counts.iter().sum::<u64>(),
        page_count(&whole["pagefind/pagefind-entry.json"])
    );
    assert!(!whole.keys().any(|p| p.contains("shard-")));
    assert!(String::from_utf8_lossy(&whole["search/search.js"]).contains("\nconst SHARDS = 1;\n"));
}
