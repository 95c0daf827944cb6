//! Tera: the built-in templates with the site's own on top, and every page of the site
//! rendered from its view (`crate::views`), one page at a time (an article's Markdown with its
//! page). Pure apart from the CPU: it neither reads nor writes files.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use rayon::prelude::*;
use serde::Serialize;
use tera::value::Key;
use tera::{Context, ErrorKind, Kwargs, State, Tera, TeraResult, Value};

use crate::builtin;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::views::{Globals, Page, SiteViews, View};

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
    tera.register_filter("stage_counts", stage_counts);
    // Checked by name when a template is added; `Pages` gives it the site's address.
    tera.register_filter("absolute_url", absolute_url(String::new()));
    // Checked by name when a template is added; `Pages` replaces them by the ones that render.
    tera.register_function("member_rows", |_: Kwargs, _: &State| -> TeraResult<Value> {
        Err(tera::Error::message(
            "`member_rows` cannot be called from a row it renders, or from a cached partial",
        ))
    });
    tera.register_function(
        "cached_partial",
        |_: Kwargs, _: &State| -> TeraResult<Value> {
            Err(tera::Error::message(
                "`cached_partial` cannot be called from a partial it renders, or from a row",
            ))
        },
    );
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

/// The filter `absolute_url`, after Jekyll's: a link within the site (a path from the domain's
/// root, as every `url` is) made absolute with the site's `origin` (`https://example.org`), for
/// what is read away from the site, such as the feed. Any other address is left as it is.
fn absolute_url(origin: String) -> impl Fn(&str, Kwargs, &State) -> String + Sync + Send {
    move |url: &str, _: Kwargs, _: &State| {
        if url.starts_with('/') && !url.starts_with("//") {
            format!("{origin}{url}")
        } else {
            url.to_string()
        }
    }
}

/// The filter `events | stage_counts`: how many of a list of events (**event** values) are at
/// each stage, as `{ stage, count }` in stage order, for the summary above a long list.
fn stage_counts(events: &[Value], _: Kwargs, _: &State) -> Vec<Value> {
    #[derive(serde::Serialize)]
    struct StageCount<'a> {
        stage: &'a Value,
        count: usize,
    }
    let mut counts: Vec<(u64, &Value, usize)> = Vec::new();
    for stage in events.iter().filter_map(|e| e.get_from_path("stage")) {
        let order = stage
            .get_from_path("order")
            .and_then(Value::as_u64)
            .unwrap_or(u64::MAX);
        match counts.iter_mut().find(|(o, _, _)| *o == order) {
            Some((_, _, count)) => *count += 1,
            None => counts.push((order, stage, 1)),
        }
    }
    counts.sort_by_key(|(order, _, _)| *order);
    counts
        .into_iter()
        .map(|(_, stage, count)| Value::from_serializable(&StageCount { stage, count }))
        .collect()
}

/// When a page is rendered, lower first: the kinds that list much of the site (a year's
/// events and articles, a treaty's or country's table and timeline) before the many small
/// pages, which then even out the threads' shares.
fn render_rank(view: &View) -> u8 {
    match view {
        View::Year(_) => 0,
        View::Treaty(_) | View::AsOf(_) | View::Lanes(_) | View::Country(_) | View::Home(_) => 1,
        View::Sitemap(_) | View::SitemapIndex(_) | View::Feed(_) => 2,
        _ => 3,
    }
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

/// Every page of the site, ready to render: the templates with the site-wide globals set, and
/// every page's view. Holds shared Tera values and the articles' Markdown, nothing borrowed, so
/// the model can be dropped.
pub struct Pages {
    tera: Tera,
    globals: Globals,
    pages: Vec<Page>,
    /// The indices of `pages`, the largest kinds first: a large site's year pages take long
    /// to render, and left to the end they keep one thread busy while the others idle.
    render_order: Vec<usize>,
}

impl Pages {
    /// The pages of `views`, to be rendered with `tera`'s templates.
    pub fn new(tera: &Tera, views: SiteViews) -> Pages {
        let mut tera = tera.clone();
        tera.global_context()
            .extend(context_of(Value::from_serializable(&views.globals)));
        tera.register_filter(
            "absolute_url",
            absolute_url(views.globals.origin().to_string()),
        );
        let rows = MemberRows::new(tera.clone());
        let partials = CachedPartials::new(tera.clone());
        tera.register_function("member_rows", move |kwargs: Kwargs, _: &State| {
            rows.rows(&kwargs)
        });
        tera.register_function("cached_partial", move |kwargs: Kwargs, _: &State| {
            partials.partial(&kwargs)
        });
        let mut render_order: Vec<usize> = (0..views.pages.len()).collect();
        render_order.sort_by_key(|&i| render_rank(&views.pages[i].view));
        Pages {
            tera,
            globals: views.globals,
            pages: views.pages,
            render_order,
        }
    }

    /// The output path of every page, before any is rendered.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.pages.iter().map(|p| p.path.as_str())
    }

    /// Renders every page in parallel, each handed over as soon as it is made, so that a
    /// build can write pages as they come instead of holding the whole site (each page's
    /// buffer is sized to be written and freed, see [`Buffer`]). A page that fails is an
    /// error naming the template and the page.
    pub fn render(&self) -> impl ParallelIterator<Item = Result<OutputFile, Diagnostic>> + '_ {
        self.render_in_order(Buffer::Written)
    }

    /// Renders every page into memory. `Err` holds every template error met.
    pub fn render_all(&self) -> Result<Vec<OutputFile>, Diagnostics> {
        let results: Vec<Result<OutputFile, Diagnostic>> =
            self.render_in_order(Buffer::Kept).collect();
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

    /// The values every page sees, beside its own.
    pub fn globals(&self) -> &Globals {
        &self.globals
    }

    /// Every page, in the order the sitemap lists them.
    pub fn pages(&self) -> &[Page] {
        &self.pages
    }

    /// Renders one page with these templates and globals: one of [`Pages::pages`], or a page
    /// made anew from their views. A page that fails is an error naming the template and the
    /// page.
    pub fn render_page(&self, page: &Page) -> Result<OutputFile, Diagnostic> {
        self.render_with(page, page.view.variables())
    }

    /// [`Pages::render_page`] with `variables` in place of the page's own.
    pub fn render_with(&self, page: &Page, variables: Value) -> Result<OutputFile, Diagnostic> {
        self.render_into(page, variables, Buffer::Kept)
    }

    /// Every page in `render_order`, each into a buffer of the kind `buffer`.
    fn render_in_order(
        &self,
        buffer: Buffer,
    ) -> impl ParallelIterator<Item = Result<OutputFile, Diagnostic>> + '_ {
        let order = self.render_order.par_iter().with_max_len(crate::TASK_ITEMS);
        order.map(move |&i| {
            let page = &self.pages[i];
            self.render_into(page, page.view.variables(), buffer)
        })
    }

    /// Renders `page` with `variables` into the buffer that suits what becomes of it.
    fn render_into(
        &self,
        page: &Page,
        variables: Value,
        buffer: Buffer,
    ) -> Result<OutputFile, Diagnostic> {
        let mut context = context_of(variables);
        context.insert("current_url", &page.url);
        let path = (page.url.strip_prefix(self.globals.origin())).unwrap_or(&page.url);
        context.insert("nav_here", &NavHere::of(path, self.globals.base_path()));
        context.insert("meta", &page.view.meta());
        let template = page.view.template();
        let rendered = match buffer {
            Buffer::Kept => self.tera.render(template, &context).map(String::into_bytes),
            Buffer::Written => {
                let mut bytes = Vec::with_capacity(PAGE_CAPACITY);
                self.tera
                    .render_to(template, &context, &mut bytes)
                    .map(|()| bytes)
            }
        };
        match rendered {
            Ok(bytes) => Ok(OutputFile {
                path: page.path.clone(),
                bytes,
                origin: page.origin.clone(),
            }),
            Err(err) => {
                let mut d = template_error(&err, template);
                d.message = format!("{} (while rendering /{})", d.message, page.path);
                Err(d)
            }
        }
    }
}

/// What becomes of a rendered page's bytes, which chooses the buffer they are rendered into.
#[derive(Clone, Copy)]
enum Buffer {
    /// Held with every other page (`serve` keeps the site in memory): grown from the
    /// template's size as the page renders, so that it ends close to the page's own size.
    Kept,
    /// Written and freed at once (a build): [`PAGE_CAPACITY`] from the start, room for most
    /// pages. Grown from the template's size, an article's buffer was copied at every
    /// doubling on the way to its 11 KB (1.3% of a 1,000-article build's instructions).
    /// Rendered as bytes, which is what is written, so the HTML is not checked as UTF-8 again.
    Written,
}

/// The bytes a written page's buffer starts with: an article's page is about 11 KB.
const PAGE_CAPACITY: usize = 16 * 1024;

/// Where a page stands in the site's navigation, the only thing that tells one page's header
/// from another's: `base.html` renders the header once for each `nav_here`.
#[derive(Serialize)]
struct NavHere<'u> {
    /// The page's URL when the navigation can link to it: the home page, a section's list
    /// (`/treaties/`), a free page. Empty for a page deeper than that.
    nav_url: &'u str,
    /// For a deeper page, the URL of the section it is in (`/treaties/` for a treaty's page).
    section_url: &'u str,
}

impl<'u> NavHere<'u> {
    /// Where the page at `url` (its path from the domain's root, as the navigation's links
    /// are) stands in a site at `base_path`.
    fn of(url: &'u str, base_path: &str) -> NavHere<'u> {
        let below_base = url.strip_prefix(base_path).unwrap_or_default();
        match below_base.find('/') {
            Some(end) if end + 1 < below_base.len() => NavHere {
                nav_url: "",
                section_url: &url[..url.len() - below_base.len() + end + 1],
            },
            _ => NavHere {
                nav_url: url,
                section_url: "",
            },
        }
    }
}

/// The function `cached_partial(template, vars)`, after Hugo's `partialCached`: `template`
/// rendered once per build for each value of `vars` (a map, optional) and its HTML reused.
/// The partial sees the site-wide variables and the fields of `vars`, nothing of the page, so
/// that its HTML depends only on what it is cached by. The header and footer of every page
/// were a fifth of an article page's work, and are the same on all the pages of a section.
struct CachedPartials {
    /// The site's templates, without this cache.
    tera: Tera,
    /// By template name and `vars` as JSON, in one string; the HTML as a safe string, shared
    /// by every page.
    rendered: Mutex<HashMap<String, Value>>,
}

impl CachedPartials {
    fn new(tera: Tera) -> CachedPartials {
        CachedPartials {
            tera,
            rendered: Mutex::new(HashMap::new()),
        }
    }

    fn partial(&self, kwargs: &Kwargs) -> TeraResult<Value> {
        let template: &str = kwargs.must_get("template")?;
        let vars: Option<Value> = kwargs.get("vars")?;
        let vars = vars.unwrap_or_else(|| Value::from(tera::value::Map::new()));
        if !vars.is_map() {
            return Err(tera::Error::message(
                "`cached_partial`: `vars` must be a map, such as `{\"a\": 1}`",
            ));
        }
        // Asked for twice on every page: the key is one string, the name first (a template's
        // name holds no newline), then `vars` as JSON.
        let mut key = Vec::with_capacity(template.len() + 128);
        key.extend_from_slice(template.as_bytes());
        key.push(b'\n');
        let cannot = |err: &dyn std::fmt::Display| {
            tera::Error::message(format!(
                "`cached_partial`: `vars` cannot be cached by: {err}"
            ))
        };
        serde_json::to_writer(&mut key, &vars).map_err(|err| cannot(&err))?;
        let key = String::from_utf8(key).map_err(|err| cannot(&err))?;
        if let Some(html) = self.lock().get(&key) {
            return Ok(html.clone());
        }
        // Rendered outside the lock: pages that meet a new key at once render it alike.
        let html = self
            .tera
            .render(template, &context_of(vars))
            .map_err(|err| partial_error(&err, template))?;
        let html = Value::safe_string(&html);
        self.lock().entry(key).or_insert_with(|| html.clone());
        Ok(html)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Value>> {
        lock_whole(&self.rendered)
    }
}

/// Locks a cache of rendered HTML. A render that panicked left it whole, since every entry is
/// inserted at once, so a poisoned lock is taken as it is.
fn lock_whole<T>(cache: &Mutex<T>) -> MutexGuard<'_, T> {
    cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// An error in a template rendered by a function, at the template's own place, which the
/// error of the call would not name.
fn partial_error(err: &tera::Error, name: &str) -> tera::Error {
    tera::Error::message(match err.kind() {
        ErrorKind::RenderingError(report) => format!(
            "in `{}` at line {}, column {}: {}",
            report.filename(),
            report.span().start_line,
            report.span().start_col + 1,
            report.message()
        ),
        _ => format!("in `{name}`: {err}"),
    })
}

/// The function `member_rows(members, treaty)`: the rows of a members table, each rendered by
/// `partials/member_row.html` the first time a build meets it and reused on every page that
/// shows it again. A treaty's as-of pages repeat most of its rows from year to year, and rows
/// are most of such a page's work. Made anew with each build's `Pages`, so that no row
/// outlives the templates or the content it was made from.
struct MemberRows {
    /// The site's templates, without this cache.
    tera: Tera,
    /// By the address of the member value, which the entry holds: the views share one value
    /// among the tables that show the same row, and while it is held no other value can take
    /// its address. A value made anew (serve's edited summaries) is a new row.
    rendered: Mutex<HashMap<usize, RenderedRow>>,
}

struct RenderedRow {
    /// Held so that no other value takes its address while the entry lives.
    _member: Value,
    treaty_slug: String,
    /// Its own size: tera renders into a buffer sized for a whole page of the template.
    html: Box<str>,
}

/// The fields of `treaty` that a row sees: those that are the same on all of a treaty's
/// pages, so that a row's HTML is the same on each of them.
const TREATY_FIELDS_OF_A_ROW: [&str; 11] = [
    "slug",
    "title",
    "short_title",
    "url",
    "member_noun",
    "member_from",
    "stage_columns",
    "member_stages",
    "entry_into_force",
    "entry_into_force_display",
    "after_deposit_days",
];

const ROW_TEMPLATE: &str = "partials/member_row.html";

impl MemberRows {
    fn new(tera: Tera) -> MemberRows {
        MemberRows {
            tera,
            rendered: Mutex::new(HashMap::new()),
        }
    }

    /// The HTML of every row of `members`, one after the other.
    fn rows(&self, kwargs: &Kwargs) -> TeraResult<Value> {
        let members: &Value = kwargs.must_get("members")?;
        let treaty: &Value = kwargs.must_get("treaty")?;
        let Some(members) = members.as_array() else {
            return Err(tera::Error::message(
                "`member_rows` takes a list of members",
            ));
        };
        let slug = treaty
            .get_from_path("slug")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut row_treaty = None;
        let mut html = String::new();
        for member in members {
            let address = member.as_map().map(|map| std::ptr::from_ref(map) as usize);
            if let Some(address) = address
                && let Some(row) = self.lock().get(&address)
                && row.treaty_slug == slug
            {
                html.push_str(&row.html);
                continue;
            }
            let row_treaty = row_treaty.get_or_insert_with(|| fields_of_a_row(treaty));
            // Rendered outside the lock: pages that meet a new row at once render it alike.
            let row = self.render(member, row_treaty)?;
            html.push_str(&row);
            if let Some(address) = address {
                self.lock().entry(address).or_insert_with(|| RenderedRow {
                    _member: member.clone(),
                    treaty_slug: slug.to_string(),
                    html: row.into_boxed_str(),
                });
            }
        }
        Ok(Value::safe_string(&html))
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<usize, RenderedRow>> {
        lock_whole(&self.rendered)
    }

    fn render(&self, member: &Value, treaty: &Value) -> TeraResult<String> {
        let mut context = Context::new();
        context.insert_value("member", member.clone());
        context.insert_value("treaty", treaty.clone());
        self.tera
            .render(ROW_TEMPLATE, &context)
            .map_err(|err| partial_error(&err, ROW_TEMPLATE))
    }
}

/// The part of `treaty` that a row sees ([`TREATY_FIELDS_OF_A_ROW`]).
fn fields_of_a_row(treaty: &Value) -> Value {
    let fields = TREATY_FIELDS_OF_A_ROW
        .iter()
        .filter_map(|name| Some((Key::Str(name), treaty.get_from_path(name)?.clone())));
    Value::from(fields.collect::<tera::value::Map>())
}

/// A context with each field of `vars` (a view, so a map) as a variable.
fn context_of(vars: Value) -> Context {
    let mut context = Context::new();
    for (key, value) in vars.into_map().unwrap_or_default() {
        // A struct's field names are static: most pages' variables cost no copy of their name.
        match key {
            Key::Str(name) => context.insert_value(name, value),
            other => context.insert_value(other.to_string(), value),
        }
    }
    context
}
