//! Serve's two shortcuts after an edit to content, made only of what the library offers any
//! caller: a build's pages, their views as values, and one page rendered at a time. Render and
//! the views know nothing of them.
//!
//! - [`render_changed`]: the site is checked and its views made anew, but only the pages whose
//!   template, values or Markdown changed are rendered again; the others keep the bytes served
//!   now.
//! - [`edited_article_pages`]: an edit to one article's own words is shown on its page and on
//!   every page that lists it at once, from the last good build's pages, before even that.

use std::collections::{HashMap, HashSet};

use axum::body::Bytes;
use rayon::prelude::*;
use tera::Value;
use tera::value::{Key, Map};

use super::{Files, served_files};
use crate::BuildOptions;
use crate::config::{self, SiteConfig};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::markdown;
use crate::model::{self, Article};
use crate::pipeline::Prepared;
use crate::render::{OutputFile, Pages};
use crate::source::{Section, SiteSources, SourceFile};
use crate::views::{self, ArticlePage, Page, View};

/// The site after a content edit: the pages that may differ from `before` (the last good
/// build's) rendered anew, the others as `served` has them, and the open data and static files
/// anew. `Err` holds every template error met.
pub(super) fn render_changed(
    prepared: &Prepared,
    before: &Pages,
    served: &Files,
) -> Result<Files, Diagnostics> {
    let (rendered, unchanged) = changed_pages(&prepared.pages, before)?;
    let mut files: Files = HashMap::with_capacity(rendered.len() + unchanged.len());
    for path in unchanged {
        let Some(bytes) = served.get(path) else {
            // Not served (cannot happen after a good build): render the whole site instead.
            return prepared.render_all().map(served_files);
        };
        files.insert(path.to_string(), bytes.clone());
    }
    for file in rendered
        .into_iter()
        .chain(prepared.other_files.iter().cloned())
    {
        files.insert(file.path, Bytes::from(file.bytes));
    }
    Ok(files)
}

/// Renders the pages of `now` that may differ from `before`, a build of the same site with the
/// same templates: those whose template, variables or Markdown changed, or every page when the
/// site-wide values did. Returns them, and the paths of the pages that render as before.
fn changed_pages<'p>(
    now: &'p Pages,
    before: &'p Pages,
) -> Result<(Vec<OutputFile>, Vec<&'p str>), Diagnostics> {
    // Every page's variables as values, all kept until the last comparison: `same_value`
    // remembers the pairs it found equal by their addresses.
    let old: HashMap<&str, (&str, Unrendered)> = if now.globals() == before.globals() {
        before
            .pages()
            .par_iter()
            .map(|p| (p.path.as_str(), (p.view.template(), p.view.unrendered())))
            .collect()
    } else {
        HashMap::new()
    };
    let new: Vec<Unrendered> = now
        .pages()
        .par_iter()
        .map(|p| p.view.unrendered())
        .collect();
    let results: Vec<Result<Option<OutputFile>, Diagnostic>> = now
        .pages()
        .par_iter()
        .zip(&new)
        .map_init(HashSet::new, |seen, (page, (vars, markdown))| {
            let unchanged =
                old.get(page.path.as_str())
                    .is_some_and(|(template, (was_vars, was_markdown))| {
                        *template == page.view.template()
                            && was_markdown == markdown
                            && same_value(was_vars, vars, seen)
                    });
            if unchanged {
                Ok(None)
            } else {
                now.render_page(page).map(Some)
            }
        })
        .collect();
    let mut rendered = Vec::new();
    let mut unchanged = Vec::new();
    let mut diagnostics = Diagnostics::new();
    for (page, result) in now.pages().iter().zip(results) {
        match result {
            Ok(Some(file)) => rendered.push(file),
            Ok(None) => unchanged.push(page.path.as_str()),
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok((rendered, unchanged))
    }
}

/// A page's variables before its Markdown is rendered in, and that Markdown.
type Unrendered<'p> = (Value, Option<&'p str>);

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

/// The pages of an edited article, made from the last good build's pages without building
/// the site, when the edit kept everything other pages take from the article but its summary:
/// its slug, date, treaty and events (so its place among the articles and every event are as
/// they were) and it still reads without error. Its title, summary, body, sources and tags may
/// have changed: its own page is made anew, then every page that shows its summary (the lists
/// of articles, its neighbours, the pages of its events) with the summary replaced, exactly as
/// the full rebuild that follows makes them. Its own page comes first. None whenever in doubt:
/// the full rebuild shows the edit.
pub(super) fn edited_article_pages(
    sources: &SiteSources,
    options: &BuildOptions,
    pages: &Pages,
    before: &SourceFile,
) -> Option<Vec<OutputFile>> {
    if before.section != Section::Articles {
        return None;
    }
    let after = sources.files.iter().find(|f| f.path == before.path)?;
    let config = config::parse(sources.config.as_deref()?, options.base_url.as_deref()).ok()?;
    let old = article_alone(sources, before, &config, options.drafts)?;
    let new = article_alone(sources, after, &config, options.drafts)?;
    if what_others_show(&old) != what_others_show(&new) {
        return None;
    }
    let (page, previous) = pages.pages().iter().find_map(|page| match &page.view {
        View::Article(article) if page.origin.as_deref() == Some(after.path.as_path()) => {
            Some((page, article))
        }
        _ => None,
    })?;
    // What the page takes from the rest of the site is as it was; what its file gives, anew.
    let first_paragraph = markdown::first_paragraph(&new.body);
    let base_path = config.base_path();
    let mut swap = Swap::new(
        views::article_summary(base_path, &old, &markdown::first_paragraph(&old.body)),
        views::article_summary(base_path, &new, &first_paragraph),
    );
    let article = ArticlePage::new(
        base_path,
        &new,
        &first_paragraph,
        previous.site_parts(),
        new.body.clone(),
    );
    let edited = Page {
        path: page.path.clone(),
        url: page.url.clone(),
        view: View::Article(article),
        origin: page.origin.clone(),
    };
    let variables = swap.apply(edited.view.variables());
    let mut files = vec![pages.render_with(&edited, variables).ok()?];
    files.extend(listing_pages(pages, &edited.path, &swap)?);
    Some(files)
}

/// Every page but `own` that shows the summary `swap` replaces, rendered with the new one.
/// Looking through every page's values is most of the work, so it is cut into one run of
/// pages per thread, each looked through with a [`Swap`] of its own: a swap remembers the
/// values it has looked into, which smaller runs would look into again.
fn listing_pages(pages: &Pages, own: &str, swap: &Swap) -> Option<Vec<OutputFile>> {
    if swap.old == swap.new {
        return Some(Vec::new());
    }
    let all = pages.pages();
    let per_thread = all.len().div_ceil(rayon::current_num_threads()).max(1);
    let listing: Vec<(&Page, Value)> = all
        .par_chunks(per_thread)
        .flat_map_iter(|run| {
            let mut swap = swap.anew();
            run.iter()
                .filter(|page| page.path != own)
                .filter_map(move |page| {
                    let holds = (values_shown(&page.view).into_iter())
                        .any(|v| swap.replace_kept(v).is_some());
                    holds.then(|| (page, swap.apply(page.view.variables())))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    listing
        .into_par_iter()
        .map(|(page, variables)| pages.render_with(page, variables).ok())
        .collect()
}

/// The values through which a page may show another article. An article's page shows other
/// articles only through what the rest of the site gives it, looked into without making its
/// variables: most of a site's pages are articles'.
fn values_shown(view: &View) -> Vec<Value> {
    match view {
        View::Article(article) => {
            let parts = article.site_parts();
            let neighbours = [parts.treaty, parts.previous, parts.next];
            neighbours
                .into_iter()
                .flatten()
                .chain(parts.events)
                .collect()
        }
        view => vec![view.unrendered().0],
    }
}

/// Replaces a value (an article's summary) wherever it is part of other values, rebuilding
/// only the maps and lists that hold it. Every value it was given is kept while it lives: it
/// remembers what each map and list it met became by their addresses, so that a value shared
/// by many pages is looked into once.
struct Swap {
    old: Value,
    new: Value,
    /// The `url` of `old`: a map without it is not `old`, and is not compared whole.
    url: Option<Value>,
    /// By address: what a map or list became; None when it holds no `old`.
    seen: HashMap<usize, Option<Value>>,
    kept: Vec<Value>,
}

impl Swap {
    fn new(old: Value, new: Value) -> Swap {
        let url = old.get_from_path("url").cloned();
        Swap {
            old,
            new,
            url,
            seen: HashMap::new(),
            kept: Vec::new(),
        }
    }

    /// The same swap with nothing looked at yet, for another thread.
    fn anew(&self) -> Swap {
        Swap::new(self.old.clone(), self.new.clone())
    }

    /// `value` with `old` replaced, or `value` itself when it holds none.
    fn apply(&mut self, value: Value) -> Value {
        self.replace_kept(value.clone()).unwrap_or(value)
    }

    /// `value` with `old` replaced; None when it holds none.
    fn replace_kept(&mut self, value: Value) -> Option<Value> {
        let replaced = self.replace(&value);
        self.kept.push(value);
        replaced
    }

    fn replace(&mut self, value: &Value) -> Option<Value> {
        let address = if let Some(map) = value.as_map() {
            std::ptr::from_ref(map) as usize
        } else if let Some(list) = value.as_array().filter(|l| !l.is_empty()) {
            list.as_ptr() as usize
        } else {
            return None;
        };
        if let Some(done) = self.seen.get(&address) {
            return done.clone();
        }
        let replaced = if let Some(map) = value.as_map() {
            if map.get(&Key::Str("url")) == self.url.as_ref() && *value == self.old {
                Some(self.new.clone())
            } else {
                self.replace_in(map.values()).map(|values| {
                    let map: Map = map.keys().cloned().zip(values).collect();
                    Value::from(map)
                })
            }
        } else {
            let list = value.as_array().unwrap_or_default();
            self.replace_in(list.iter()).map(Value::from)
        };
        self.seen.insert(address, replaced.clone());
        replaced
    }

    /// `values` with `old` replaced, or None when none holds it. Most values looked into hold
    /// none: nothing is made for them, and the copy starts at the first that does.
    fn replace_in<'v>(
        &mut self,
        values: impl Iterator<Item = &'v Value> + Clone,
    ) -> Option<Vec<Value>> {
        let (first, replaced) =
            (values.clone().enumerate()).find_map(|(i, value)| Some((i, self.replace(value)?)))?;
        let mut copy: Vec<Value> = values.clone().take(first).cloned().collect();
        copy.push(replaced);
        copy.extend(
            values
                .skip(first + 1)
                .map(|value| self.replace(value).unwrap_or_else(|| value.clone())),
        );
        Some(copy)
    }
}

/// What pages other than an article's own take from it: its place (slug, date), its treaty,
/// and its events with their sources (an event without sources takes the article's).
fn what_others_show(a: &Article) -> impl PartialEq + '_ {
    let events: Vec<_> = a
        .events
        .iter()
        .map(|e| {
            (
                &e.treaty, e.country, e.stage, e.date, &e.label, &e.note, &e.sources, e.disputed,
            )
        })
        .collect();
    (&a.slug, a.date, &a.treaty, &a.sources, events)
}

/// One article read and checked as a site of its own with the site's treaties, so that its
/// references resolve; None when it has an error or is a draft left out.
fn article_alone(
    sources: &SiteSources,
    file: &SourceFile,
    config: &SiteConfig,
    drafts: bool,
) -> Option<Article> {
    let alone = SiteSources {
        config: sources.config.clone(),
        files: sources
            .files
            .iter()
            .filter(|f| f.section == Section::Treaties)
            .chain([file])
            .cloned()
            .collect(),
        ..SiteSources::default()
    };
    let mut diagnostics = Diagnostics::new();
    let model = model::build(&alone, config, drafts, &mut diagnostics);
    if diagnostics.has_errors() {
        return None;
    }
    model.articles.into_iter().next()
}
