//! Fuzzes the path from an article's bytes (front matter + Markdown) to rendered pages: it
//! must never panic, and every failure must be an error naming the article.

#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use treatyline::diagnostic::Diagnostics;
use treatyline::source::{Section, SiteSources, parse_file};
use treatyline::{BuildError, BuildOptions, render_sources};

const SITE: &str = "title: Fuzz\nbase_url: https://example.org/fuzz/\ndefault_treaty: t\n";
const TREATY: &str = "---\ntitle: T\nestablished: 2020-01-01\n---\nA treaty.\n";

fuzz_target!(|data: &[u8]| {
    let mut diagnostics = Diagnostics::new();
    let mut sources = SiteSources {
        config: Some(SITE.to_string()),
        ..SiteSources::default()
    };
    let treaty = parse_file(PathBuf::from("content/treaties/t.md"), Section::Treaties, TREATY.as_bytes());
    sources.files.push(treaty.expect("the fixed treaty parses"));
    match parse_file(PathBuf::from("content/articles/a.md"), Section::Articles, data) {
        Ok(file) => sources.files.push(file),
        Err(d) => diagnostics.push(d),
    }
    let options = BuildOptions {
        root: PathBuf::from("."),
        ..BuildOptions::default()
    };
    match render_sources(&sources, &options, diagnostics) {
        Ok(_) => {}
        Err(BuildError::Content(diagnostics)) => {
            assert!(diagnostics.has_errors());
            for d in diagnostics.iter() {
                assert_eq!(d.location.path, PathBuf::from("content/articles/a.md"), "{d}");
            }
        }
        Err(other) => panic!("unexpected error: {other}"),
    }
});
