//! The Atom feed of the newest articles, and the sitemap of every HTML page.

use serde::Serialize;
use tera::Value;

use super::shared::Shared;
use crate::dates::start_of_day_utc;

/// `feed.xml`.
#[derive(Serialize)]
pub struct FeedView {
    /// The 20 newest articles.
    articles: Vec<Value>,
    /// The newest article's day (RFC 3339), so that the feed does not depend on the clock.
    updated: String,
}

pub(super) fn feed(shared: &Shared) -> FeedView {
    FeedView {
        articles: shared.articles.iter().rev().take(20).cloned().collect(),
        updated: shared.model.articles.last().map_or_else(
            || "1970-01-01T00:00:00Z".to_string(),
            |a| start_of_day_utc(a.date),
        ),
    }
}

/// `sitemap.xml`: every HTML page but the 404 page, in the order the site lists them.
#[derive(Serialize)]
pub struct SitemapView {
    entries: Vec<SitemapEntry>,
}

#[derive(Serialize)]
pub(super) struct SitemapEntry {
    url: String,
    /// An article's date; none for other pages.
    lastmod: Option<String>,
}

impl SitemapEntry {
    pub(super) fn new(url: String, lastmod: Option<String>) -> SitemapEntry {
        SitemapEntry { url, lastmod }
    }
}

pub(super) fn sitemap(entries: Vec<SitemapEntry>) -> SitemapView {
    SitemapView { entries }
}
