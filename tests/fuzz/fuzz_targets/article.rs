//! Fuzzes the path from an article's bytes (front matter + Markdown) to a built site: it must
//! never panic, a built article must be listed under the title its page shows, and every
//! failure must be an error naming the article.

#![no_main]

#[path = "../../common/one_article.rs"]
mod one_article;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = one_article::build(data) {
        panic!("{broken}");
    }
});
