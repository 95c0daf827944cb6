//! A site made in memory around one article: a fixed site.yaml and treaty, and the article's
//! bytes as `content/articles/a.md`. Shared by the property test and the fuzz target.

use std::path::PathBuf;

use treatyline::diagnostic::Diagnostics;
use treatyline::source::{Section, SiteSources, parse_file};
use treatyline::{BuildError, BuildOptions, render_sources};

const SITE: &str = "title: Fuzz\nbase_url: https://example.org/fuzz/\ndefault_treaty: t\n";
const TREATY: &str = "---\ntitle: T\nestablished: 2020-01-01\n---\nA treaty.\n";

/// Where the article is, as diagnostics name it.
pub const ARTICLE: &str = "content/articles/a.md";

/// Renders the site; `Err` holds the problems found.
pub fn build(article: &[u8]) -> Result<(), Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let mut sources = SiteSources {
        config: Some(SITE.to_string()),
        ..SiteSources::default()
    };
    let treaty = parse_file(
        PathBuf::from("content/treaties/t.md"),
        Section::Treaties,
        TREATY.as_bytes(),
    );
    sources.files.push(treaty.expect("the fixed treaty parses"));
    match parse_file(PathBuf::from(ARTICLE), Section::Articles, article) {
        Ok(file) => sources.files.push(file),
        Err(d) => diagnostics.push(d),
    }
    let options = BuildOptions {
        root: PathBuf::from("."),
        ..BuildOptions::default()
    };
    match render_sources(&sources, &options, diagnostics) {
        Ok(_) => Ok(()),
        Err(BuildError::Content(diagnostics)) => Err(diagnostics),
        Err(other) => panic!("unexpected error: {other}"),
    }
}
