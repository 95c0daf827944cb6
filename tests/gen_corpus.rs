//! The benchmark corpus generator (examples/gen_corpus): its sites must build and pass `check`
//! without a single diagnostic, span several treaties and many countries even when small (CI
//! uses small ones), and be the same bytes for the same count and seed.

mod common;
#[path = "../examples/gen_corpus/corpus.rs"]
mod corpus;

use std::collections::BTreeMap;

use corpus::{Corpus, File};
use tempfile::TempDir;

const ARTICLES: usize = 60;

fn by_path(files: &[File]) -> BTreeMap<&str, &str> {
    files
        .iter()
        .map(|f| (f.path.as_str(), f.text.as_str()))
        .collect()
}

#[test]
fn generated_site_builds_and_checks_without_diagnostics() {
    let corpus = Corpus::generate(ARTICLES, 1);
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("site");
    corpus::write_files(&root, &corpus.treatyline_files()).unwrap();

    let built = common::build_ok(&root, &["--deny-warnings"]);
    let files = built.run.assert_clean_build();
    assert_eq!(files, built.files().len());
    let treaties = common::list_dir(&built.out.join("treaties"));
    assert_eq!(
        treaties.len(),
        6 + 1,
        "six treaty pages and index.html: {treaties:?}"
    );
    let countries = common::list_dir(&built.out.join("countries"));
    assert!(
        countries.len() > 50,
        "only {} country pages for {ARTICLES} articles",
        countries.len()
    );
    let articles = common::list_dir(&built.out.join("articles"));
    assert_eq!(
        articles.len(),
        ARTICLES + 2,
        "one page per article, index.html and the later pages of the list"
    );
    let later = common::list_dir(&built.out.join("articles/page"));
    assert_eq!(later, ["2"], "{ARTICLES} articles, 30 a page");

    let (pages, links) = common::check(&root, &["--deny-warnings"]).assert_clean_check();
    let html_files = built
        .files()
        .keys()
        .filter(|p| p.ends_with(".html"))
        .count();
    assert_eq!(pages, html_files, "check renders every page a build writes");
    assert!(links > 10 * pages, "only {links} links in {pages} pages");
}

#[test]
fn same_count_and_seed_give_the_same_bytes() {
    let a = Corpus::generate(ARTICLES, 7);
    let b = Corpus::generate(ARTICLES, 7);
    assert_eq!(a.treatyline_files(), b.treatyline_files());
    assert_eq!(a.hugo_files(), b.hugo_files());
    assert_ne!(
        a.treatyline_files(),
        Corpus::generate(ARTICLES, 8).treatyline_files(),
        "another seed gives another corpus"
    );
    // A larger corpus begins with the same articles.
    let more = Corpus::generate(ARTICLES + 10, 7).treatyline_files();
    let more = by_path(&more);
    for (path, text) in by_path(&a.treatyline_files()) {
        assert_eq!(more.get(path), Some(&text), "{path} differs");
    }
}

#[test]
fn hugo_form_has_the_same_articles_and_bodies() {
    let corpus = Corpus::generate(ARTICLES, 1);
    let summary = corpus.summary();
    assert_eq!(summary.articles, ARTICLES);
    assert!(summary.countries > 50 && summary.treaties == 6, "{summary}");
    let words = summary.words / ARTICLES;
    assert!(
        (400..=750).contains(&words),
        "{words} words a body on average"
    );

    let body = |text: &str| text.splitn(3, "---\n").nth(2).unwrap().to_string();
    let mut ours: Vec<String> = corpus
        .treatyline_files()
        .iter()
        .filter(|f| f.path.starts_with("content/articles/"))
        .map(|f| body(&f.text))
        .collect();
    let mut hugo: Vec<String> = corpus
        .hugo_files()
        .iter()
        .filter(|f| f.path.starts_with("content/articles/"))
        .map(|f| body(&f.text))
        .collect();
    ours.sort();
    hugo.sort();
    assert_eq!(ours.len(), ARTICLES);
    assert_eq!(ours, hugo);
    let hugo_files = corpus.hugo_files();
    assert!(by_path(&hugo_files).contains_key("hugo.yaml"));
}
