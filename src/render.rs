//! Tera: the built-in templates with the site's own on top, and every page of the site
//! rendered, one page at a time (an article's Markdown with its page). Pure apart from the
//! CPU: it neither reads nor writes files.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::value::Key;
use tera::{Context, ErrorKind, Tera, Value};

use crate::builtin;
use crate::context::Views;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::routes::Route;

/// A file of the output: its path relative to the output folder (with `/`) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
    /// The content file it comes from, to name it when two files would write the same URL.
    pub origin: Option<PathBuf>,
}

/// Loads the built-in templates, then the site's own (same name replaces the built-in one).
/// A site template that does not parse is reported and the built-in one kept, so that every
/// broken template is reported in one run.
pub fn templates(site_templates: &[(String, String)], diagnostics: &mut Diagnostics) -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".htm", ".xml"]);
    let builtin = builtin::templates();
    if let Err(err) = tera.add_raw_templates(builtin.iter().map(|(n, t)| (n.as_str(), *t))) {
        diagnostics.push(template_error(&err, "built-in theme"));
        return tera;
    }
    let mut good: Vec<(&str, &str)> = Vec::new();
    for (name, text) in site_templates {
        let mut probe = tera.clone();
        match probe.add_raw_template(name, text) {
            Ok(()) => good.push((name, text)),
            Err(err) => diagnostics.push(template_error(&err, name)),
        }
    }
    if let Err(err) = tera.add_raw_templates(good) {
        diagnostics.push(template_error(&err, "templates"));
    }
    tera
}

/// A Tera error as a diagnostic at `templates/<name>:line:col`.
fn template_error(err: &tera::Error, fallback_name: &str) -> Diagnostic {
    match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let name = if report.filename().is_empty() {
                fallback_name
            } else {
                report.filename()
            };
            let span = report.span();
            Diagnostic::error(
                Location::new(
                    format!("templates/{name}"),
                    span.start_line,
                    span.start_col + 1,
                ),
                format!("template `{name}`: {}", report.message()),
            )
        }
        _ => Diagnostic::error(
            Location::file(format!("templates/{fallback_name}")),
            format!("template `{fallback_name}`: {err}"),
        ),
    }
}

/// One page to render: a template, its output path and URL, its own variables.
struct Job {
    template: &'static str,
    path: String,
    url: String,
    /// Whether the sitemap lists it.
    listed: bool,
    vars: Vec<(&'static str, Value)>,
    origin: Option<PathBuf>,
    /// An article page's Markdown, rendered into `article.content` and `article.toc` when the
    /// page is: the HTML of one page at a time, never of the whole site.
    markdown: Option<String>,
}

/// The origins of pages, for messages about clashes.
pub struct Origins {
    pub articles: Vec<PathBuf>,
    pub pages: Vec<PathBuf>,
}

/// Every page of the site, ready to render: the templates with the site-wide globals set, and
/// one job per page. Holds shared Tera values and the articles' Markdown, nothing borrowed, so
/// the model and views can be dropped.
pub struct Pages {
    tera: Tera,
    base_url: String,
    /// The site-wide values every page sees (`site`, `treaties`, `nav`).
    globals: Vec<Value>,
    jobs: Vec<Job>,
}

impl Pages {
    /// `article_markdown` is each article's Markdown, in the order of `views.articles_full`.
    pub fn new(
        tera: &Tera,
        views: &Views,
        origins: &Origins,
        article_markdown: Vec<String>,
        feed_updated: &str,
    ) -> Pages {
        let mut tera = tera.clone();
        let globals = tera.global_context();
        globals.insert_value("site", views.site.clone());
        globals.insert_value("treaties", views.treaties.clone());
        globals.insert_value("nav", views.nav.clone());
        globals.insert(
            "generator",
            &BTreeMap::from([
                ("name", "treatyline"),
                ("version", env!("CARGO_PKG_VERSION")),
            ]),
        );
        Pages {
            tera,
            base_url: views.base_url.clone(),
            globals: vec![
                views.site.clone(),
                views.treaties.clone(),
                views.nav.clone(),
            ],
            jobs: jobs(views, origins, article_markdown, feed_updated),
        }
    }

    /// The output path of every page, before any is rendered.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.jobs.iter().map(|j| j.path.as_str())
    }

    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// Renders every page in parallel, each handed over as soon as it is made, so that a
    /// build can write pages as they come instead of holding the whole site. A page that
    /// fails is an error naming the template and the page.
    pub fn render(&self) -> impl ParallelIterator<Item = Result<OutputFile, Diagnostic>> + '_ {
        self.jobs.par_iter().map(|job| self.render_job(job))
    }

    /// Renders every page into memory. `Err` holds every template error met.
    pub fn render_all(&self) -> Result<Vec<OutputFile>, Diagnostics> {
        let results: Vec<Result<OutputFile, Diagnostic>> = self.render().collect();
        let mut files = Vec::with_capacity(results.len());
        let mut diagnostics = Diagnostics::new();
        for result in results {
            match result {
                Ok(file) => files.push(file),
                Err(d) => diagnostics.push(d),
            }
        }
        if diagnostics.has_errors() {
            Err(diagnostics)
        } else {
            Ok(files)
        }
    }

    /// Renders the pages that may differ from `before`, a build of the same site with the same
    /// templates: those whose template, variables or Markdown changed, or every page when the
    /// site-wide values did. Returns them, and the paths of the pages that render as before.
    /// `Err` holds every template error met.
    pub fn render_changed<'p>(
        &'p self,
        before: &Pages,
    ) -> Result<(Vec<OutputFile>, Vec<&'p str>), Diagnostics> {
        let old: HashMap<&str, &Job> = before.jobs.iter().map(|j| (j.path.as_str(), j)).collect();
        let same_site = self.globals == before.globals && self.base_url == before.base_url;
        let results: Vec<Result<Option<OutputFile>, Diagnostic>> =
            self.jobs
                .par_iter()
                .map_init(HashSet::new, |seen, job| {
                    let unchanged = same_site
                        && old.get(job.path.as_str()).is_some_and(|was| {
                            was.template == job.template
                                && was.markdown == job.markdown
                                && was.vars.len() == job.vars.len()
                                && was.vars.iter().zip(&job.vars).all(|((k1, v1), (k2, v2))| {
                                    k1 == k2 && same_value(v1, v2, seen)
                                })
                        });
                    if unchanged {
                        Ok(None)
                    } else {
                        self.render_job(job).map(Some)
                    }
                })
                .collect();
        let mut rendered = Vec::new();
        let mut unchanged = Vec::new();
        let mut diagnostics = Diagnostics::new();
        for (job, result) in self.jobs.iter().zip(results) {
            match result {
                Ok(Some(file)) => rendered.push(file),
                Ok(None) => unchanged.push(job.path.as_str()),
                Err(d) => diagnostics.push(d),
            }
        }
        if diagnostics.has_errors() {
            Err(diagnostics)
        } else {
            Ok((rendered, unchanged))
        }
    }

    /// The article page made from the content file `origin`, rendered again with `markdown`
    /// as its body and its article value passed through `edit`. None when no article page
    /// comes from that file or `edit` gives no value.
    pub fn render_edited_article(
        &self,
        origin: &Path,
        markdown: &str,
        edit: impl FnOnce(&Value) -> Option<Value>,
    ) -> Option<Result<OutputFile, Diagnostic>> {
        let job = self
            .jobs
            .iter()
            .find(|j| j.markdown.is_some() && j.origin.as_deref() == Some(origin))?;
        let mut vars = job.vars.clone();
        let article = vars.iter_mut().find(|(key, _)| *key == "article")?;
        article.1 = edit(&article.1)?;
        let edited = Job {
            template: job.template,
            path: job.path.clone(),
            url: job.url.clone(),
            listed: job.listed,
            vars,
            origin: job.origin.clone(),
            markdown: Some(markdown.to_string()),
        };
        Some(self.render_job(&edited))
    }

    fn render_job(&self, job: &Job) -> Result<OutputFile, Diagnostic> {
        let mut context = Context::new();
        context.insert("current_url", &job.url);
        context.insert("meta", &meta_of(&job.vars));
        for (key, value) in &job.vars {
            match (&job.markdown, *key) {
                (Some(markdown), "article") => {
                    context.insert_value(*key, with_body(value.clone(), markdown));
                }
                _ => context.insert_value(*key, value.clone()),
            }
        }
        match self.tera.render(job.template, &context) {
            Ok(text) => Ok(OutputFile {
                path: job.path.clone(),
                bytes: text.into_bytes(),
                origin: job.origin.clone(),
            }),
            Err(err) => {
                let mut d = template_error(&err, job.template);
                d.message = format!("{} (while rendering /{})", d.message, job.path);
                Err(d)
            }
        }
    }
}

fn jobs(
    views: &Views,
    origins: &Origins,
    mut article_markdown: Vec<String>,
    feed_updated: &str,
) -> Vec<Job> {
    let none = Value::none();
    let newest: Vec<Value> = views.article_summaries.iter().rev().cloned().collect();
    let mut jobs = Vec::new();
    let base_url = views.base_url.as_str();
    let job = |template: &'static str, route: Route, vars: Vec<(&'static str, Value)>| Job {
        template,
        path: route.path(),
        url: route.url(base_url),
        listed: route.is_page(),
        vars,
        origin: None,
        markdown: None,
    };
    let page = |template, route, vars| job(template, route, vars);

    let default_treaty = views
        .default_treaty
        .as_ref()
        .and_then(|slug| views.treaty_full.get(slug.as_str()))
        .cloned()
        .unwrap_or_else(|| none.clone());
    // The home page shows the default treaty's timeline; a site without one shows every
    // treaty's. (Every event of every treaty is on the year pages.)
    let home_events = default_treaty
        .get_from_path("events")
        .cloned()
        .unwrap_or_else(|| views.all_events.clone());
    jobs.push(page(
        "index.html",
        Route::Home,
        vec![
            ("treaty", default_treaty),
            ("events", home_events),
            (
                "articles",
                Value::from(newest.iter().take(10).cloned().collect::<Vec<_>>()),
            ),
        ],
    ));
    for (slug, treaty) in &views.treaty_full {
        jobs.push(page(
            "treaty.html",
            Route::Treaty(slug),
            vec![("treaty", treaty.clone())],
        ));
    }
    for (slug, years) in &views.treaty_years {
        for (year, treaty) in years {
            jobs.push(page(
                "as_of.html",
                Route::TreatyAsOf(slug, *year),
                vec![("treaty", treaty.clone())],
            ));
        }
    }
    jobs.push(page("treaties.html", Route::Treaties, vec![]));
    jobs.push(page("data.html", Route::Data, vec![]));
    for (country, full) in &views.country_full {
        jobs.push(page(
            "country.html",
            Route::Country(country.code()),
            vec![("country", full.clone())],
        ));
    }
    jobs.push(page(
        "countries.html",
        Route::Countries,
        vec![("countries", views.country_list.clone())],
    ));
    for (i, full) in views.articles_full.iter().enumerate() {
        let previous = if i > 0 {
            views.article_summaries[i - 1].clone()
        } else {
            none.clone()
        };
        let next = views
            .article_summaries
            .get(i + 1)
            .cloned()
            .unwrap_or_else(|| none.clone());
        let slug = full
            .get_from_path("slug")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        jobs.push(Job {
            origin: origins.articles.get(i).cloned(),
            markdown: article_markdown.get_mut(i).map(std::mem::take),
            ..job(
                "article.html",
                Route::Article(&slug),
                vec![
                    ("article", full.clone()),
                    ("previous", previous),
                    ("next", next),
                ],
            )
        });
    }
    jobs.push(page(
        "articles.html",
        Route::Articles,
        vec![("articles", Value::from(newest.clone()))],
    ));
    for (year, full) in &views.years {
        jobs.push(page(
            "year.html",
            Route::Year(*year),
            vec![("year", full.clone())],
        ));
    }
    jobs.push(page(
        "years.html",
        Route::Years,
        vec![("years", views.years_list.clone())],
    ));
    for (i, full) in views.pages_full.iter().enumerate() {
        let slug = full
            .get_from_path("slug")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        jobs.push(Job {
            origin: origins.pages.get(i).cloned(),
            ..job(
                "page.html",
                Route::Page(&slug),
                vec![("page", full.clone())],
            )
        });
    }
    jobs.push(page("404.html", Route::NotFound, vec![]));
    jobs.push(page(
        "feed.xml",
        Route::Feed,
        vec![
            (
                "articles",
                Value::from(newest.iter().take(20).cloned().collect::<Vec<_>>()),
            ),
            ("updated", Value::from(feed_updated)),
        ],
    ));
    jobs.push(page("robots.txt", Route::Robots, vec![]));

    // The sitemap lists every HTML page but the 404 page.
    let entries: Vec<Value> = jobs
        .iter()
        .filter(|j| j.listed)
        .map(|j| {
            let url = &j.url;
            let lastmod = j
                .vars
                .iter()
                .find(|(k, _)| *k == "article")
                .and_then(|(_, v)| v.get_from_path("date").cloned())
                .unwrap_or_else(Value::none);
            Value::from_serializable(
                &serde_json::json!({ "url": url, "lastmod": lastmod_str(&lastmod) }),
            )
        })
        .collect();
    jobs.push(page(
        "sitemap.xml",
        Route::Sitemap,
        vec![("entries", Value::from(entries))],
    ));
    jobs
}

/// Whether two values are equal. Maps keep their fields in the order they were made (tera's
/// preserve_order), and two builds make them in the same order, so fields are compared in
/// order rather than looked up. `seen` remembers the pairs of maps and lists found equal: the
/// same event or summary is part of many pages and is compared once.
fn same_value(a: &Value, b: &Value, seen: &mut HashSet<(usize, usize)>) -> bool {
    if let (Some(x), Some(y)) = (a.as_map(), b.as_map()) {
        let pair = (
            std::ptr::from_ref(x) as usize,
            std::ptr::from_ref(y) as usize,
        );
        if seen.contains(&pair) {
            return true;
        }
        let equal = x.len() == y.len()
            && x.iter()
                .zip(y)
                .all(|((k1, v1), (k2, v2))| k1 == k2 && same_value(v1, v2, seen));
        if equal {
            seen.insert(pair);
        }
        return equal;
    }
    if let (Some(x), Some(y)) = (a.as_array(), b.as_array()) {
        let pair = (x.as_ptr() as usize, y.as_ptr() as usize);
        if !x.is_empty() && seen.contains(&pair) {
            return true;
        }
        let equal = x.len() == y.len() && x.iter().zip(y).all(|(v1, v2)| same_value(v1, v2, seen));
        if equal && !x.is_empty() {
            seen.insert(pair);
        }
        return equal;
    }
    a == b
}

/// An article's value with its body rendered in: `content` (HTML) and `toc` (its headings).
fn with_body(article: Value, markdown: &str) -> Value {
    let rendered = crate::markdown::render(markdown);
    let Some(mut fields) = article.into_map() else {
        return Value::none();
    };
    fields.insert(Key::Str("content"), Value::from(rendered.html));
    fields.insert(
        Key::Str("toc"),
        Value::from_serializable(&rendered.headings),
    );
    Value::from(fields)
}

/// The page's own title and description for social cards (Open Graph, Twitter), taken from
/// the main object the page shows; null where the page has none (the site's are used).
fn meta_of(vars: &[(&'static str, Value)]) -> BTreeMap<&'static str, Option<String>> {
    let text = |v: &Value, key: &str| {
        v.get_from_path(key)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let (title, description) = vars
        .iter()
        .find_map(|(key, value)| match *key {
            "article" | "treaty" | "page" => Some((text(value, "title"), text(value, "summary"))),
            "country" => Some((text(value, "name"), text(value, "summary"))),
            "year" => Some((
                value
                    .get_from_path("year")
                    .map(|y| format!("Events of {y}")),
                None,
            )),
            _ => None,
        })
        .unwrap_or((None, None));
    BTreeMap::from([("title", title), ("description", description)])
}

fn lastmod_str(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}
