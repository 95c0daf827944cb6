//! The Atom feed of the newest articles, and the sitemap of every HTML page (in parts with an
//! index on a site of more than 50,000).

use serde::Serialize;
use tera::Value;

use super::View;
use super::shared::Shared;
use crate::dates::start_of_day_utc;
use crate::routes::Route;

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

/// The most URLs one sitemap file may list, the sitemaps.org protocol's limit: a site with
/// more pages has its sitemap in parts (`sitemap1.xml`, `sitemap2.xml`, …), and `sitemap.xml`
/// is their index, as Zola does past 30,000.
pub(super) const SITEMAP_URLS: usize = 50_000;

/// `sitemap.xml`, or one part of a sitemap in parts: HTML pages in the order the site lists
/// them (every page but the 404 and search pages, over all the parts).
#[derive(Serialize)]
pub struct SitemapView {
    entries: Vec<SitemapEntry>,
}

/// `sitemap.xml` of a site with more pages than one sitemap may list: the index of its parts.
#[derive(Serialize)]
pub struct SitemapIndexView {
    /// Each part, in order: its absolute URL, and the newest `lastmod` of its entries.
    sitemaps: Vec<SitemapEntry>,
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

/// The sitemap's files for `entries`, at most `per_file` URLs to a file: `sitemap.xml` alone
/// when they fit in one, else `sitemap.xml` as the index of the parts that follow it.
pub(super) fn sitemaps(
    entries: Vec<SitemapEntry>,
    per_file: usize,
    base_url: &str,
) -> Vec<(Route<'static>, View)> {
    if entries.len() <= per_file {
        return vec![(Route::Sitemap, View::Sitemap(SitemapView { entries }))];
    }
    let mut files = Vec::with_capacity(entries.len().div_ceil(per_file) + 1);
    let mut sitemaps = Vec::with_capacity(files.capacity());
    let mut rest = entries.into_iter().peekable();
    while rest.peek().is_some() {
        let entries: Vec<SitemapEntry> = rest.by_ref().take(per_file).collect();
        let route = Route::SitemapPart(sitemaps.len() + 1);
        let newest = entries.iter().filter_map(|e| e.lastmod.as_ref()).max();
        sitemaps.push(SitemapEntry::new(route.url(base_url), newest.cloned()));
        files.push((route, View::Sitemap(SitemapView { entries })));
    }
    let index = View::SitemapIndex(SitemapIndexView { sitemaps });
    // The index comes before its parts.
    files.insert(0, (Route::Sitemap, index));
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostics;

    const BASE: &str = "https://example.org/t/";
    const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

    /// Five pages, the second and fourth articles of the given days.
    fn entries() -> Vec<SitemapEntry> {
        let lastmod = [None, Some("2021-05-01"), None, Some("2020-03-02"), None];
        (1..=5)
            .zip(lastmod)
            .map(|(n, day)| SitemapEntry::new(format!("{BASE}p{n}/"), day.map(String::from)))
            .collect()
    }

    /// Each file as the built-in templates render it: its path and its XML.
    fn rendered(files: &[(Route<'static>, View)]) -> Vec<(String, String)> {
        let tera = crate::render::templates(&[], &mut Diagnostics::new());
        files
            .iter()
            .map(|(route, view)| {
                let context = tera::Context::from_serialize(view).unwrap();
                (
                    route.path(),
                    tera.render(view.template(), &context).unwrap(),
                )
            })
            .collect()
    }

    /// The `<loc>` and `<lastmod>` of each child of the root of `xml`.
    fn listed(xml: &str) -> (String, Vec<(String, Option<String>)>) {
        let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
        let root = doc.root_element();
        assert_eq!(root.tag_name().namespace(), Some(NS));
        let text = |node: roxmltree::Node, name: &str| {
            node.children()
                .find(|c| c.has_tag_name((NS, name)))
                .and_then(|c| c.text())
                .map(String::from)
        };
        let items = root.children().filter(|c| c.is_element());
        let items = items.map(|c| (text(c, "loc").unwrap(), text(c, "lastmod")));
        (root.tag_name().name().to_string(), items.collect())
    }

    #[test]
    fn a_sitemap_within_the_limit_is_one_file_of_every_page() {
        let files = rendered(&sitemaps(entries(), 5, BASE));
        let paths: Vec<&str> = files.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(paths, ["sitemap.xml"]);
        let (root, urls) = listed(&files[0].1);
        assert_eq!(root, "urlset");
        assert_eq!(urls.len(), 5);
        assert_eq!(urls[1], (format!("{BASE}p2/"), Some("2021-05-01".into())));
    }

    #[test]
    fn past_the_limit_sitemap_xml_is_the_index_of_parts_that_list_every_page_once() {
        let files = rendered(&sitemaps(entries(), 2, BASE));
        let paths: Vec<&str> = files.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sitemap.xml",
                "sitemap1.xml",
                "sitemap2.xml",
                "sitemap3.xml"
            ]
        );
        let (root, parts) = listed(&files[0].1);
        assert_eq!(root, "sitemapindex");
        // Each part is named by its absolute URL, with the newest day of its pages.
        assert_eq!(
            parts,
            [
                (format!("{BASE}sitemap1.xml"), Some("2021-05-01".into())),
                (format!("{BASE}sitemap2.xml"), Some("2020-03-02".into())),
                (format!("{BASE}sitemap3.xml"), None),
            ]
        );
        let mut pages = Vec::new();
        for (_, xml) in &files[1..] {
            let (root, urls) = listed(xml);
            assert_eq!(root, "urlset");
            assert!(urls.len() <= 2, "a part lists {} pages", urls.len());
            pages.extend(urls);
        }
        let everyone = listed(&rendered(&sitemaps(entries(), 5, BASE))[0].1).1;
        assert_eq!(pages, everyone);
    }

    /// The index and its parts validate against the sitemaps.org schemas with xmllint
    /// (installed by .ci/run: on CI its absence is a failure, elsewhere the test is skipped).
    #[test]
    // A skip is said, as the integration tests say theirs.
    #[allow(clippy::print_stderr)]
    fn the_index_and_its_parts_validate_against_the_sitemaps_org_schemas() {
        let Ok(_) = std::process::Command::new("xmllint")
            .arg("--version")
            .output()
        else {
            // As tests/common's `on_ci` reads it.
            let ci = std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"));
            assert!(!ci, "xmllint is missing, and on CI no test may skip");
            eprintln!("skipped: xmllint is not installed (apt-get install libxml2-utils)");
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let schemas = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas");
        for (path, xml) in rendered(&sitemaps(entries(), 2, BASE)) {
            let file = dir.path().join(&path);
            std::fs::write(&file, xml).unwrap();
            let schema = match path.as_str() {
                "sitemap.xml" => "siteindex.xsd",
                _ => "sitemap.xsd",
            };
            let result = std::process::Command::new("xmllint")
                .args(["--noout", "--schema"])
                .arg(schemas.join(schema))
                .arg(&file)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&result.stderr);
            assert!(result.status.success(), "{path}: {stderr}");
        }
    }
}
