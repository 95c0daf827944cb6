//! Fuzzes the path from an article's bytes (front matter + Markdown) to rendered pages: it
//! must never panic, and every failure must be an error naming the article.

#![no_main]

#[path = "../../common/one_article.rs"]
mod one_article;

use libfuzzer_sys::fuzz_target;
use one_article::{ARTICLE, build};

fuzz_target!(|data: &[u8]| {
    if let Err(diagnostics) = build(data) {
        assert!(diagnostics.has_errors());
        for d in diagnostics.iter() {
            assert_eq!(d.location.path, std::path::Path::new(ARTICLE), "{d}");
        }
    }
});
