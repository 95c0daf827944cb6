//! What templates see: one typed view per page kind, built once per build from the model and
//! the timeline.
//!
//! [`build`] lists every page of the site as a [`Page`]: where it is written and linked
//! (`crate::routes`), and its [`View`], a `Serialize` struct whose fields are exactly the
//! variables its template gets (docs/templates.md). Each page kind's view is made by its own
//! function: `treaty` (a treaty's page and its as-of pages, with membership and counts),
//! `country`, `article`, `lists` (home, the list pages, years and free pages) and `feed` (feed
//! and sitemap); `chart` turns the chart's geometry into values.
//!
//! The objects many pages show are made once as Tera values and shared: the summaries of
//! treaties, countries and articles and every event in `shared`, the members-table rows and
//! chart marks of a treaty's pages in `treaty`. A Tera value is reference-counted, so an event
//! listed on hundreds of pages costs one value and a few pointer copies, not hundreds of
//! serialisations.
//!
//! Pure: no I/O, and no template is rendered here (an article's Markdown is rendered into its
//! view only when render asks for the page's variables).

mod article;
mod chart;
mod country;
mod feed;
mod lanes;
mod lists;
mod pager;
mod shared;
mod treaty;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use crate::config::SiteConfig;
use crate::markdown;
use crate::model::{Article, Country, SiteModel};
use crate::routes::Route;
use crate::source::Tail;
use crate::timeline::Timeline;
use shared::{Shared, value};

pub use article::ArticlePage;
pub use country::{CountriesView, CountryPage};
pub use feed::{FeedView, SitemapIndexView, SitemapView};
pub use lanes::LanesPage;
pub use lists::{ArticlesView, FreePage, HomeView, NoVars, YearPage, YearsView};
pub use pager::TreatyArticlesPage;
pub(crate) use shared::shown_countries;
pub use treaty::TreatyPage;

/// The rendered Markdown of every document, made once (in parallel) before any view. Of an
/// article only the first paragraph (its default summary): its page renders its Markdown when
/// the page is rendered, so a large site never holds every article's HTML at once.
pub struct Bodies {
    /// Each article's first paragraph, in the model's order.
    pub article_first_paragraphs: Vec<String>,
    /// Each treaty's body, in the model's order.
    pub treaties: Vec<markdown::Rendered>,
    /// Each country note's body, by party.
    pub countries: BTreeMap<Country, markdown::Rendered>,
    /// Each free page's body, in the model's order.
    pub pages: Vec<markdown::Rendered>,
}

impl Bodies {
    /// Renders the Markdown of every document of `model` (of an article, its first paragraph).
    pub fn render(model: &SiteModel) -> Bodies {
        Bodies {
            article_first_paragraphs: model
                .articles
                .par_iter()
                .with_max_len(crate::TASK_ITEMS)
                .map(|a| markdown::first_paragraph(&a.body))
                .collect(),
            treaties: model
                .treaties
                .iter()
                .map(|t| markdown::render(&t.body))
                .collect(),
            countries: model
                .country_notes
                .iter()
                .map(|(c, n)| (*c, markdown::render(&n.body)))
                .collect(),
            pages: model
                .pages
                .iter()
                .map(|p| markdown::render(&p.body))
                .collect(),
        }
    }
}

/// Every page of a site, ready to render, and the values every page sees.
pub struct SiteViews {
    pub globals: Globals,
    /// In the order the sitemap lists them.
    pub pages: Vec<Page>,
}

/// One page: where it goes, and what its template sees.
pub struct Page {
    /// Its path relative to the output folder, with `/`.
    pub path: String,
    /// Its absolute URL, the template's `current_url`.
    pub url: String,
    pub view: View,
    /// The content file it comes from, to name it when two files would write the same URL.
    pub origin: Option<PathBuf>,
}

/// The variables every template sees, beside its page's own.
#[derive(PartialEq, Serialize)]
pub struct Globals {
    site: SiteView,
    /// Every treaty's summary, by title.
    treaties: Vec<Value>,
    /// The free pages.
    nav: Vec<NavItem>,
    generator: Generator,
}

impl Globals {
    /// The path of the site's URL (`/` or `/repo/`): every link to one of its pages starts
    /// with it.
    pub fn base_path(&self) -> &str {
        &self.site.base_path
    }

    /// The scheme and host of the site's URL (`https://example.org`): a page's absolute URL is
    /// this followed by its path.
    pub fn origin(&self) -> &str {
        let base_url = &self.site.base_url;
        &base_url[..base_url.len() - self.site.base_path.len()]
    }
}

#[derive(PartialEq, Serialize)]
struct SiteView {
    title: String,
    description: String,
    language: String,
    base_url: String,
    /// The path of `base_url`, with which the site's links to its own pages start.
    base_path: String,
    data_license: Option<String>,
    data_license_url: Option<String>,
    search: bool,
}

#[derive(PartialEq, Serialize)]
struct NavItem {
    title: String,
    url: String,
}

#[derive(PartialEq, Serialize)]
struct Generator {
    name: &'static str,
    version: &'static str,
}

/// A page's view: which template renders it, with the variables it gets. Pages without
/// variables of their own share [`NoVars`]; a treaty's page and its as-of pages share
/// [`TreatyPage`].
#[derive(Serialize)]
#[serde(untagged)]
pub enum View {
    Home(HomeView),
    Treaty(TreatyPage),
    AsOf(TreatyPage),
    Lanes(LanesPage),
    TreatyArticles(TreatyArticlesPage),
    Treaties(NoVars),
    Data(NoVars),
    Country(CountryPage),
    Countries(CountriesView),
    Article(ArticlePage),
    Articles(ArticlesView),
    Year(YearPage),
    Years(YearsView),
    Page(FreePage),
    NotFound(NoVars),
    Feed(FeedView),
    Robots(NoVars),
    Sitemap(SitemapView),
    SitemapIndex(SitemapIndexView),
    Search(NoVars),
}

/// A page's own title and description for social cards (Open Graph, Twitter): those of the
/// main object it shows, or none (the site's are used).
#[derive(Default, Serialize)]
pub struct Meta {
    pub description: Option<String>,
    pub title: Option<String>,
}

impl View {
    pub fn template(&self) -> &'static str {
        match self {
            View::Home(_) => "index.html",
            View::Treaty(_) => "treaty.html",
            View::AsOf(_) => "as_of.html",
            View::Lanes(_) => "lanes.html",
            View::TreatyArticles(_) => "treaty_articles.html",
            View::Treaties(_) => "treaties.html",
            View::Data(_) => "data.html",
            View::Country(_) => "country.html",
            View::Countries(_) => "countries.html",
            View::Article(_) => "article.html",
            View::Articles(_) => "articles.html",
            View::Year(_) => "year.html",
            View::Years(_) => "years.html",
            View::Page(_) => "page.html",
            View::NotFound(_) => "404.html",
            View::Feed(_) => "feed.xml",
            View::Robots(_) => "robots.txt",
            View::Sitemap(_) => "sitemap.xml",
            View::SitemapIndex(_) => "sitemap_index.xml",
            View::Search(_) => "search.html",
        }
    }

    /// The template's variables, an article's Markdown rendered in (`article.content`,
    /// `article.toc`): the HTML of one page at a time, never of the whole site.
    pub fn variables(&self) -> Value {
        match self {
            View::Article(page) => value(&page.with_body()),
            other => value(other),
        }
    }

    /// What the page's bytes depend on besides the templates and the globals: its variables
    /// before any Markdown is rendered in, and that Markdown.
    pub fn unrendered(&self) -> (Value, Option<&str>) {
        let markdown = match self {
            View::Article(page) => Some(page.markdown()),
            _ => None,
        };
        (value(self), markdown)
    }

    pub fn meta(&self) -> Meta {
        let mut meta = match self {
            View::Home(home) => home.meta(),
            View::Treaty(page) | View::AsOf(page) => page.meta(),
            View::Lanes(page) => page.meta(),
            View::TreatyArticles(page) => page.meta(),
            View::Articles(page) => page.meta(),
            View::Country(page) => page.meta(),
            View::Article(page) => page.meta(),
            View::Year(page) => page.meta(),
            View::Page(page) => page.meta(),
            _ => Meta::default(),
        };
        meta.description = meta.description.map(shorten_description);
        meta
    }

    /// The day the page last changed, for the sitemap: an article's date.
    fn lastmod(&self) -> Option<String> {
        match self {
            View::Article(page) => Some(page.date().to_string()),
            _ => None,
        }
    }
}

/// The longest description, in characters, that search results and social cards show whole.
const DESCRIPTION_CHARS: usize = 160;

/// A description of at most [`DESCRIPTION_CHARS`] characters: a longer one (an article's first
/// paragraph, say) is cut after its last whole word that fits, and ends with "…". Search engines
/// and link previews cut it there anyway, at a place of their choosing.
fn shorten_description(description: String) -> String {
    let Some((cut, _)) = description.char_indices().nth(DESCRIPTION_CHARS) else {
        return description;
    };
    // One character is kept for the ellipsis.
    let fits = &description[..cut];
    let fits = &fits[..fits.char_indices().last().map_or(0, |(last, _)| last)];
    let words = fits
        .rfind(char::is_whitespace)
        .map_or(fits, |space| &fits[..space]);
    let words = words.trim_end_matches(|c: char| c.is_whitespace() || ",;:–—-".contains(c));
    format!("{words}…")
}

/// An article's summary as the pages that list it show it (**article summary**), the first
/// paragraph of its Markdown being `first_paragraph`.
pub fn article_summary(base_path: &str, article: &Article, first_paragraph: &str) -> Value {
    value(&shared::ArticleSummary::of(
        base_path,
        article,
        first_paragraph,
    ))
}

/// Builds every page's view from the model, the timeline and the rendered bodies. No year
/// after `last_year` (the build day's) gets an as-of page or a year page.
/// `article_markdown` is each article's Markdown, in the model's order.
pub fn build(
    config: &SiteConfig,
    model: &SiteModel,
    timeline: &Timeline,
    bodies: &Bodies,
    last_year: i16,
    article_markdown: Vec<Tail>,
) -> SiteViews {
    let shared = Shared::new(config, model, timeline, bodies, last_year);
    let mut list = PageList {
        base_url: &config.base_url,
        pages: Vec::new(),
        sitemap: Vec::new(),
    };
    // The page kinds are independent of each other: they are made side by side.
    let ((treaties, countries), (articles, (articles_list, years))) = rayon::join(
        || rayon::join(|| treaty::pages(&shared), || country::pages(&shared)),
        || {
            rayon::join(
                || list.articles(model, article::pages(&shared, article_markdown)),
                || (lists::articles(&shared), lists::years(&shared)),
            )
        },
    );
    let default_treaty = config
        .default_treaty
        .as_deref()
        .and_then(|slug| treaties.get(slug))
        .map(|pages| pages.current.treaty());
    let home = lists::home(&shared, default_treaty);
    list.push(Route::Home, View::Home(home));
    let mut as_of = Vec::new();
    for (slug, pages) in treaties {
        list.push(Route::Treaty(slug), View::Treaty(pages.current));
        if let Some(lanes) = pages.lanes {
            list.push(Route::TreatyLanes(slug), View::Lanes(lanes));
        }
        for page in pages.articles {
            let route = Route::TreatyArticles(slug, page.number());
            list.push(route, View::TreatyArticles(page));
        }
        as_of.extend(
            pages
                .as_of
                .into_iter()
                .map(|(year, page)| (slug, year, page)),
        );
    }
    for (slug, year, page) in as_of {
        list.push(Route::TreatyAsOf(slug, year), View::AsOf(page));
    }
    list.push(Route::Treaties, View::Treaties(NoVars {}));
    list.push(Route::Data, View::Data(NoVars {}));
    if config.search {
        // Not in the sitemap: its content is the reader's query.
        list.add_unlisted(Route::Search, View::Search(NoVars {}));
    }
    for (country, page) in countries {
        list.push(Route::Country(country.code()), View::Country(page));
    }
    list.push(Route::Countries, View::Countries(country::list(&shared)));
    // Room for every page still to come: grown past it, the list of a large site's pages
    // was copied whole, on one thread while the others waited. Besides the many below, a few
    // single pages (the list of years, 404, feed, robots.txt) and the sitemap's files (an
    // index and a part per SITEMAP_URLS pages); a few more than needed cost nothing.
    let still_to_come = articles.len() + articles_list.len() + years.0.len() + model.pages.len();
    let listed = list.sitemap.len() + still_to_come;
    let sitemap_files = 2 + listed / feed::SITEMAP_URLS;
    list.pages.reserve(still_to_come + 8 + sitemap_files);
    list.sitemap.reserve(still_to_come);
    for (page, entry) in articles {
        list.sitemap.push(entry);
        list.pages.push(page);
    }
    for page in articles_list {
        list.push(Route::Articles(page.number()), View::Articles(page));
    }
    let (years, years_list) = years;
    for (year, page) in years {
        list.push(Route::Year(year), View::Year(page));
    }
    list.push(Route::Years, View::Years(years_list));
    for (index, page) in model.pages.iter().enumerate() {
        let view = View::Page(lists::free_page(&shared, index));
        list.push_from(Route::Page(&page.slug), view, &page.path);
    }
    list.push(Route::NotFound, View::NotFound(NoVars {}));
    list.push(Route::Feed, View::Feed(feed::feed(&shared)));
    list.push(Route::Robots, View::Robots(NoVars {}));
    let entries = std::mem::take(&mut list.sitemap);
    for (route, view) in feed::sitemaps(entries, feed::SITEMAP_URLS, list.base_url) {
        list.push(route, view);
    }
    SiteViews {
        globals: globals(&shared),
        pages: list.pages,
    }
}

/// The pages in the making, and the sitemap's entries of those that are HTML pages.
struct PageList<'a> {
    base_url: &'a str,
    pages: Vec<Page>,
    sitemap: Vec<feed::SitemapEntry>,
}

impl PageList<'_> {
    fn push(&mut self, route: Route, view: View) {
        self.add(route, view, None);
    }

    /// A page made from the content file at `origin`.
    fn push_from(&mut self, route: Route, view: View, origin: &Path) {
        self.add(route, view, Some(origin.to_path_buf()));
    }

    fn add(&mut self, route: Route, view: View, origin: Option<PathBuf>) {
        if route.is_page() {
            let (page, entry) = self.listed(route, view, origin);
            self.sitemap.push(entry);
            self.pages.push(page);
        } else {
            self.pages.push(self.page(route, view, origin));
        }
    }

    /// The articles' pages (`pages`, in the model's order) with their sitemap entries, to be
    /// added in that order; made on every thread, as a large site has a great many.
    fn articles(
        &self,
        model: &SiteModel,
        pages: Vec<ArticlePage>,
    ) -> Vec<(Page, feed::SitemapEntry)> {
        (model.articles.par_iter().zip(pages))
            .with_max_len(crate::TASK_ITEMS)
            .map(|(article, page)| {
                let route = Route::Article(&article.slug);
                let origin = Some(article.path.to_path_buf());
                self.listed(route, View::Article(page), origin)
            })
            .collect()
    }

    /// A page that is listed in the sitemap, and its entry there; made on any thread, to be
    /// added in the site's order.
    fn listed(
        &self,
        route: Route,
        view: View,
        origin: Option<PathBuf>,
    ) -> (Page, feed::SitemapEntry) {
        let page = self.page(route, view, origin);
        let entry = feed::SitemapEntry::new(page.url.clone(), page.view.lastmod());
        (page, entry)
    }

    fn page(&self, route: Route, view: View, origin: Option<PathBuf>) -> Page {
        Page {
            path: route.path(),
            url: route.url(self.base_url),
            view,
            origin,
        }
    }

    /// A page that the sitemap leaves out.
    fn add_unlisted(&mut self, route: Route, view: View) {
        self.pages.push(self.page(route, view, None));
    }
}

fn globals(shared: &Shared) -> Globals {
    let config = shared.config;
    let mut treaties: Vec<_> = shared.model.treaties.iter().collect();
    treaties.sort_by(|x, y| (&x.title, &x.slug).cmp(&(&y.title, &y.slug)));
    Globals {
        site: SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            language: config.language.clone(),
            base_url: config.base_url.clone(),
            base_path: config.base_path().to_string(),
            data_license: config.data_license.clone(),
            data_license_url: config.data_license_url.clone(),
            search: config.search,
        },
        treaties: treaties.iter().map(|t| shared.treaty(&t.slug)).collect(),
        nav: shared
            .model
            .pages
            .iter()
            .map(|p| NavItem {
                title: p.title.clone(),
                url: shared.url(Route::Page(&p.slug)),
            })
            .collect(),
        generator: Generator {
            name: "treatyline",
            version: env!("CARGO_PKG_VERSION"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Section;

    const SITE: &str = "title: T\nbase_url: https://example.org/t/\ndefault_treaty: t\n";
    const TREATY: &str = "---\ntitle: T\nestablished: 2020-01-01\nfounders: [AE]\n---\nA treaty.\n";
    const ARTICLE: &str = "---\ntitle: First\ndate: 2020-01-02\ntreaty: t\nevents:\n  - country: \
                           FR\n    stage: announced\n    date: 2020-01-01\nsources:\n  - url: \
                           https://example.org/report\n---\nFrance announced it.\n\n## More\n";
    const PAGE: &str = "---\ntitle: About\n---\nAbout the site.\n";

    fn site_views() -> SiteViews {
        let (config, mut model, timeline) = crate::pipeline::checked_site(
            SITE,
            &[
                ("content/treaties/t.md", Section::Treaties, TREATY),
                ("content/articles/a.md", Section::Articles, ARTICLE),
                ("content/pages/about.md", Section::Pages, PAGE),
            ],
        );
        let bodies = Bodies::render(&model);
        let markdown = model
            .articles
            .iter_mut()
            .map(|a| std::mem::take(&mut a.body))
            .collect();
        build(&config, &model, &timeline, &bodies, i16::MAX, markdown)
    }

    fn names(vars: &Value) -> Vec<String> {
        let mut names: Vec<String> = vars
            .as_map()
            .unwrap()
            .keys()
            .map(|k| k.to_string())
            .collect();
        names.sort();
        names
    }

    /// The variables of each template, as docs/templates.md lists them.
    #[test]
    fn every_template_gets_the_documented_variables() {
        let views = site_views();
        let documented = [
            ("index.html", "index.html", "articles events treaty"),
            ("treaty.html", "treaties/t/index.html", "treaty"),
            (
                "treaty_articles.html",
                "treaties/t/articles/index.html",
                "articles pager treaty",
            ),
            ("as_of.html", "treaties/t/as-of/2020/index.html", "treaty"),
            ("treaties.html", "treaties/index.html", ""),
            ("data.html", "data/index.html", ""),
            ("search.html", "search/index.html", ""),
            ("country.html", "countries/ae/index.html", "country"),
            ("country.html", "countries/fr/index.html", "country"),
            ("countries.html", "countries/index.html", "countries"),
            (
                "article.html",
                "articles/a/index.html",
                "article next previous",
            ),
            ("articles.html", "articles/index.html", "articles pager"),
            ("year.html", "years/2020/index.html", "year"),
            ("years.html", "years/index.html", "years"),
            ("page.html", "about/index.html", "page"),
            ("404.html", "404.html", ""),
            ("feed.xml", "feed.xml", "articles updated"),
            ("robots.txt", "robots.txt", ""),
            ("sitemap.xml", "sitemap.xml", "entries"),
        ];
        let pages: Vec<(&str, &str, String)> = views
            .pages
            .iter()
            .map(|p| {
                let vars = names(&p.view.variables()).join(" ");
                (p.view.template(), p.path.as_str(), vars)
            })
            .collect();
        let expected: Vec<(&str, &str, String)> = documented
            .iter()
            .map(|(t, p, v)| (*t, *p, v.to_string()))
            .collect();
        assert_eq!(pages, expected);
        let globals = Value::from_serializable(&views.globals);
        assert_eq!(names(&globals), ["generator", "nav", "site", "treaties"]);
    }

    #[test]
    fn a_treaty_and_an_article_have_their_documented_fields() {
        let views = site_views();
        let field = |template: &str, name: &str| {
            let page = views.pages.iter().find(|p| p.view.template() == template);
            let vars = page.unwrap().view.variables();
            names(
                vars.as_map()
                    .unwrap()
                    .get(&tera::value::Key::Str(name))
                    .unwrap(),
            )
        };
        let treaty = "after_deposit_days article_count articles articles_url as_of as_of_display as_of_pages as_of_year \
                      brokers chart content counts downloads entry_into_force \
                      entry_into_force_display established established_display events founders \
                      lanes_url members member_count member_from member_noun member_stages \
                      overview short_title slug stage_columns summary title url year_url";
        let mut treaty: Vec<&str> = treaty.split_whitespace().collect();
        treaty.sort();
        assert_eq!(field("treaty.html", "treaty"), treaty);
        let pager = "current first first_item item_count last last_item next per_page previous \
                     total";
        for template in ["articles.html", "treaty_articles.html"] {
            assert_eq!(
                field(template, "pager"),
                pager.split_whitespace().collect::<Vec<_>>()
            );
        }
        let article = "author content date date_display events lead slug sources summary tags \
                       title toc treaty url";
        assert_eq!(
            field("article.html", "article"),
            article.split_whitespace().collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_sitemap_lists_the_html_pages_and_an_article_has_its_date() {
        let views = site_views();
        let sitemap = views.pages.last().unwrap().view.variables();
        let entries = sitemap.as_map().unwrap().values().next().unwrap().clone();
        let entries = entries.as_array().unwrap();
        // Every page but the search page, whose content is the reader's query.
        let html = views
            .pages
            .iter()
            .filter(|p| p.path.ends_with("index.html") && p.path != "search/index.html");
        assert_eq!(entries.len(), html.count());
        assert!(views.pages.iter().any(|p| p.path == "search/index.html"));
        let article = entries
            .iter()
            .find(|e| {
                e.get_from_path("url").unwrap().as_str()
                    == Some("https://example.org/t/articles/a/")
            })
            .unwrap();
        assert_eq!(
            article.get_from_path("lastmod").unwrap().as_str(),
            Some("2020-01-02")
        );
    }

    #[test]
    fn a_description_is_cut_after_a_whole_word() {
        let short = "France signed.".to_string();
        assert_eq!(shorten_description(short.clone()), short);
        let exact = "x".repeat(DESCRIPTION_CHARS);
        assert_eq!(shorten_description(exact.clone()), exact);
        // A word that ends on a comma loses it; the cut is never inside a word.
        let listed = "word, ".repeat(40);
        let cut = shorten_description(listed);
        assert!(cut.ends_with("word…"), "{cut}");
        assert!(cut.chars().count() <= DESCRIPTION_CHARS, "{cut}");
        // One word longer than a description is cut inside it, on a character boundary.
        let word = "é".repeat(DESCRIPTION_CHARS + 5);
        let cut = shorten_description(word);
        assert_eq!(cut.chars().count(), DESCRIPTION_CHARS);
        assert!(cut.ends_with("é…"));
    }
}
