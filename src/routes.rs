//! The URL scheme: where every page and data file of a site is written and the URL it is
//! linked by.
//!
//! A [`Route`] names one page or file (`Route::Treaty("abraham-accords")`); it gives the
//! output path (`treaties/abraham-accords/index.html`) and the URL (the base URL followed by
//! `treaties/abraham-accords/`). Views, render, the open data, the sitemap and feed and the
//! check for clashing slugs all ask a route; no other module formats a page path. A leaf: it
//! depends on nothing of treatyline, so the model can ask it which names are taken.

const TREATIES: &str = "treaties";
const COUNTRIES: &str = "countries";
const ARTICLES: &str = "articles";
const YEARS: &str = "years";
const DATA: &str = "data";
/// The page a server shows for a missing page: `404.html`, beside the folders.
const NOT_FOUND: &str = "404";
const FEED: &str = "feed";
const SEARCH: &str = "search";
/// The folder of the search index (the Pagefind library's files).
const SEARCH_INDEX: &str = "pagefind";
/// The folder of a list's later pages: `articles/page/2/`.
const PAGE: &str = "page";

/// The top-level names that generated pages and files take (section folders, and `404` and
/// `feed` beside `404.html` and `feed.xml`), which a free page's slug may not. The search's
/// folders are taken even on a site without search, so that turning it on cannot clash.
pub const RESERVED: [&str; 9] = [
    ARTICLES,
    TREATIES,
    COUNTRIES,
    YEARS,
    DATA,
    NOT_FOUND,
    FEED,
    SEARCH,
    SEARCH_INDEX,
];

/// The file that serves a folder's URL, as static hosts resolve it.
pub const INDEX: &str = "index.html";

/// The file that serves the folder `folder` (`treaties/t` or `treaties/t/`, empty for the
/// site's root), relative to the output folder.
pub fn index_of(folder: &str) -> String {
    match folder {
        "" => INDEX.to_string(),
        _ if folder.ends_with('/') => format!("{folder}{INDEX}"),
        _ => format!("{folder}/{INDEX}"),
    }
}

/// One page or file of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    /// The timeline, at the base URL.
    Home,
    Treaties,
    /// A treaty by its slug.
    Treaty(&'a str),
    /// A treaty as it stood on 31 December of a year.
    TreatyAsOf(&'a str, i16),
    /// A treaty's lanes chart, on a page of its own when it has many countries.
    TreatyLanes(&'a str),
    Countries,
    /// A country by its ISO 3166-1 alpha-2 code, in either case.
    Country(&'a str),
    /// A page of the list of every article, newest first, from 1: `articles/`, then
    /// `articles/page/<n>/`.
    Articles(usize),
    /// A page of the list of a treaty's articles, from 1: `treaties/<slug>/articles/`, then
    /// `treaties/<slug>/articles/page/<n>/`.
    TreatyArticles(&'a str, usize),
    /// An article by its slug.
    Article(&'a str),
    Years,
    Year(i16),
    /// A free page (`content/pages/`) by its slug, at the top level.
    Page(&'a str),
    /// The page that lists the open data files.
    Data,
    /// A treaty's events in one format.
    TreatyData(&'a str, DataFormat),
    /// Every treaty, country and event in one JSON file.
    TimelineData,
    /// The JSON Schema of the treaties' JSON files.
    DataSchema,
    NotFound,
    Feed,
    /// The sitemap: of every page, or, on a site of more pages than one sitemap may list, the
    /// index of its parts.
    Sitemap,
    /// A part of a sitemap split in parts, from 1: `sitemap1.xml`.
    SitemapPart(usize),
    Robots,
    /// The search page.
    Search,
    /// The search page's script.
    SearchScript,
    /// The folder of the search index; a folder of files, not a page (its `path` is the folder).
    SearchIndex,
}

/// The formats of a treaty's open data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFormat {
    Json,
    Csv,
    Ics,
}

impl DataFormat {
    pub fn extension(self) -> &'static str {
        match self {
            DataFormat::Json => "json",
            DataFormat::Csv => "csv",
            DataFormat::Ics => "ics",
        }
    }
}

impl Route<'_> {
    /// The route's URL after the base URL: `treaties/abraham-accords/`, `feed.xml`, or empty
    /// for the home page. A page is a folder (its URL ends with `/`); a file is not.
    pub fn url_path(&self) -> String {
        let mut path = String::new();
        self.write_url_path(&mut path);
        path
    }

    /// The absolute URL, for a site at `base_url` (which ends with `/`).
    pub fn url(&self, base_url: &str) -> String {
        let mut url = String::with_capacity(base_url.len() + 64);
        url.push_str(base_url);
        self.write_url_path(&mut url);
        url
    }

    /// Appends [`Route::url_path`] to `out`. Pieces are pushed rather than formatted: a large
    /// site asks for a URL several times for each of its hundred thousand articles.
    fn write_url_path(&self, out: &mut String) {
        let mut push = |parts: &[&str]| parts.iter().for_each(|part| out.push_str(part));
        match *self {
            Route::Home => {}
            Route::Treaties => push(&[TREATIES, "/"]),
            Route::Treaty(slug) => push(&[TREATIES, "/", slug, "/"]),
            Route::TreatyAsOf(slug, year) => {
                push(&[TREATIES, "/", slug, "/as-of/", &year.to_string(), "/"]);
            }
            Route::TreatyLanes(slug) => push(&[TREATIES, "/", slug, "/lanes/"]),
            Route::Countries => push(&[COUNTRIES, "/"]),
            Route::Country(code) => push(&[COUNTRIES, "/", &code.to_ascii_lowercase(), "/"]),
            Route::Articles(..=1) => push(&[ARTICLES, "/"]),
            Route::Articles(n) => push(&[ARTICLES, "/", PAGE, "/", &n.to_string(), "/"]),
            Route::TreatyArticles(slug, ..=1) => push(&[TREATIES, "/", slug, "/", ARTICLES, "/"]),
            Route::TreatyArticles(slug, n) => push(&[
                TREATIES,
                "/",
                slug,
                "/",
                ARTICLES,
                "/",
                PAGE,
                "/",
                &n.to_string(),
                "/",
            ]),
            Route::Article(slug) => push(&[ARTICLES, "/", slug, "/"]),
            Route::Years => push(&[YEARS, "/"]),
            Route::Year(year) => push(&[YEARS, "/", &year.to_string(), "/"]),
            Route::Page(slug) => push(&[slug, "/"]),
            Route::Data => push(&[DATA, "/"]),
            Route::TreatyData(slug, format) => push(&[DATA, "/", slug, ".", format.extension()]),
            Route::TimelineData => push(&[DATA, "/timeline.json"]),
            Route::DataSchema => push(&[DATA, "/schema.json"]),
            Route::NotFound => push(&[NOT_FOUND, ".html"]),
            Route::Feed => push(&[FEED, ".xml"]),
            Route::Sitemap => push(&["sitemap.xml"]),
            Route::SitemapPart(n) => push(&["sitemap", &n.to_string(), ".xml"]),
            Route::Robots => push(&["robots.txt"]),
            Route::Search => push(&[SEARCH, "/"]),
            Route::SearchScript => push(&[SEARCH, "/search.js"]),
            Route::SearchIndex => push(&[SEARCH_INDEX, "/"]),
        }
    }

    /// Where the route is written, relative to the output folder: a page's folder holds an
    /// `index.html`.
    pub fn path(&self) -> String {
        let mut path = String::with_capacity(64);
        self.write_url_path(&mut path);
        if self.is_page() {
            // As `index_of` does, without a copy.
            if !path.is_empty() && !path.ends_with('/') {
                path.push('/');
            }
            path.push_str(INDEX);
        }
        path
    }

    /// Whether the route is an HTML page of its own folder, as the sitemap lists them (the 404
    /// page is not one: it stands for pages that do not exist).
    pub fn is_page(&self) -> bool {
        !matches!(
            self,
            Route::TreatyData(..)
                | Route::TimelineData
                | Route::DataSchema
                | Route::NotFound
                | Route::Feed
                | Route::Sitemap
                | Route::SitemapPart(_)
                | Route::Robots
                | Route::SearchScript
                | Route::SearchIndex
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_route() -> Vec<Route<'static>> {
        vec![
            Route::Home,
            Route::Treaties,
            Route::Treaty("t"),
            Route::TreatyAsOf("t", 2020),
            Route::TreatyLanes("t"),
            Route::Countries,
            Route::Country("AE"),
            Route::Articles(1),
            Route::Articles(2),
            Route::TreatyArticles("t", 1),
            Route::TreatyArticles("t", 3),
            Route::Article("a"),
            Route::Years,
            Route::Year(2020),
            Route::Page("about"),
            Route::Data,
            Route::TreatyData("t", DataFormat::Json),
            Route::TreatyData("t", DataFormat::Csv),
            Route::TreatyData("t", DataFormat::Ics),
            Route::TimelineData,
            Route::DataSchema,
            Route::NotFound,
            Route::Feed,
            Route::Sitemap,
            Route::SitemapPart(2),
            Route::Robots,
            Route::Search,
            Route::SearchScript,
            Route::SearchIndex,
        ]
    }

    #[test]
    fn a_page_is_a_folder_and_a_file_is_itself() {
        let base = "https://example.org/site/";
        assert_eq!(Route::Home.path(), "index.html");
        assert_eq!(Route::Home.url(base), base);
        assert_eq!(
            Route::TreatyAsOf("t", 2020).path(),
            "treaties/t/as-of/2020/index.html"
        );
        assert_eq!(
            Route::TreatyAsOf("t", 2020).url(base),
            "https://example.org/site/treaties/t/as-of/2020/"
        );
        assert_eq!(Route::TreatyData("t", DataFormat::Ics).path(), "data/t.ics");
        assert_eq!(
            Route::NotFound.url(base),
            "https://example.org/site/404.html"
        );
        assert_eq!(Route::Articles(1).path(), "articles/index.html");
        assert_eq!(
            Route::Articles(2).url(base),
            "https://example.org/site/articles/page/2/"
        );
        assert_eq!(
            Route::TreatyArticles("t", 1).path(),
            "treaties/t/articles/index.html"
        );
        assert_eq!(
            Route::TreatyArticles("t", 3).path(),
            "treaties/t/articles/page/3/index.html"
        );
        assert_eq!(index_of("a/b"), "a/b/index.html");
        assert_eq!(index_of("a/b/"), "a/b/index.html");
        for route in every_route() {
            let (path, url) = (route.path(), route.url_path());
            assert_eq!(route.is_page(), path.ends_with(INDEX), "{route:?}");
            assert_eq!(path.strip_suffix(INDEX).unwrap_or(&path), url);
        }
    }

    /// A free page's slug may not take the folder of any generated page or file.
    #[test]
    fn every_generated_folder_is_reserved() {
        for route in every_route() {
            if matches!(route, Route::Home | Route::Page(_)) {
                continue;
            }
            if let Some((folder, _)) = route.path().split_once('/') {
                assert!(RESERVED.contains(&folder), "{route:?}");
            }
        }
    }
}
