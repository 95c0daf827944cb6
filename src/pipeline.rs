//! The build's middle, from a site read into memory to every file of its output, in the order
//! data flows: site.yaml, the model, the timeline, the checks across files and the templates;
//! then the views, a render job per page, the open data and the static files.
//!
//! [`prepare`] fails with every problem found when any is an error: the content's, the
//! templates', static files over generated ones (looked for on what is left of a site with
//! errors), and site.yaml's (the content is checked even when site.yaml is wrong); it renders
//! no page. [`prepare_partial`] keeps what is left of a site with errors, for `check`. `build` writes the pages as [`Prepared::pages`] renders them, `check`
//! and serve render them into memory. Reads and writes nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::path::PathBuf;

use rayon::prelude::*;
use tera::Tera;

use crate::calendar::{self, BuildDay};
use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::model::SiteModel;
use crate::render::{OutputFile, Pages};
use crate::routes::{DataFormat, Route};
use crate::source::{SiteSources, Skipped};
use crate::timeline::Timeline;
use crate::views::SiteViews;
use crate::{BuildError, BuildOptions};
use crate::{builtin, config, data, model, render, search, source, timeline, views};

/// A site rendered in memory.
#[derive(Debug)]
pub struct RenderedSite {
    pub files: Vec<OutputFile>,
    /// The base URL the pages were rendered for.
    pub base_url: String,
    /// Every source URL of the content (checked when read, so `check` does not follow them).
    pub source_urls: BTreeSet<String>,
    /// Warnings (the build succeeded).
    pub diagnostics: Diagnostics,
    /// Files under content/ that are not Markdown and were skipped.
    pub ignored: Vec<Skipped>,
}

/// Renders a site already read into memory (`diagnostics` holds the problems met while
/// reading it); writes nothing. Used by `check`, and by tests that make sites without a disk.
pub fn render_sources(
    sources: &SiteSources,
    options: &BuildOptions,
    diagnostics: Diagnostics,
) -> Result<RenderedSite, BuildError> {
    let prepared = prepare(sources, options, diagnostics)?;
    let files = match prepared.render_all() {
        Ok(files) => files,
        Err(errors) => return Err(prepared.failed(errors)),
    };
    Ok(RenderedSite {
        files,
        base_url: prepared.base_url,
        source_urls: prepared.source_urls,
        diagnostics: prepared.diagnostics,
        ignored: prepared.ignored,
    })
}

/// Renders what can be rendered of a site read into memory, for `check`: [`prepare_partial`],
/// then every page. Its diagnostics may hold errors; when a template failed, `files` is empty
/// (a site missing those pages cannot have its links checked). `Err` only for a missing or
/// wrong site.yaml.
pub fn render_partial(
    sources: &SiteSources,
    options: &BuildOptions,
    diagnostics: Diagnostics,
) -> Result<RenderedSite, BuildError> {
    let prepared = prepare_partial(sources, options, diagnostics)?;
    let rendered = prepared.render_all();
    let mut diagnostics = prepared.diagnostics;
    let files = rendered.unwrap_or_else(|errors| {
        diagnostics.extend(errors);
        Vec::new()
    });
    Ok(RenderedSite {
        files,
        base_url: prepared.base_url,
        source_urls: prepared.source_urls,
        diagnostics,
        ignored: prepared.ignored,
    })
}

/// A site checked and ready to render: every page as a job, and the files that are not
/// rendered through templates (open data, static files). The model, the rendered Markdown and
/// the views are gone by then; the pages hold what they need.
pub struct Prepared {
    pub pages: Pages,
    pub other_files: Vec<OutputFile>,
    pub base_url: String,
    pub source_urls: BTreeSet<String>,
    /// Warnings (no errors: preparing failed otherwise).
    pub diagnostics: Diagnostics,
    pub ignored: Vec<Skipped>,
    /// What the search index is made of; none when the site has no search. Not indexed here:
    /// indexing is most of a large site's build, so the caller chooses when and where.
    pub search: Option<search::Records>,
}

impl Prepared {
    /// The failure of a build whose pages met `errors`: every problem, the warnings found
    /// while preparing first.
    pub fn failed(self, errors: Diagnostics) -> BuildError {
        let mut diagnostics = self.diagnostics;
        diagnostics.extend(errors);
        BuildError::Content(diagnostics)
    }

    /// Every file of the site in memory, sorted by path. `Err` holds every template error.
    pub fn render_all(&self) -> Result<Vec<OutputFile>, Diagnostics> {
        let mut files = self.pages.render_all()?;
        files.extend(self.other_files.iter().cloned());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }
}

/// Checks a site read into memory and readies its pages; renders none of them.
/// `diagnostics` holds the problems met reading it. `Err` with every problem found when any
/// is an error.
pub fn prepare(
    sources: &SiteSources,
    options: &BuildOptions,
    diagnostics: Diagnostics,
) -> Result<Prepared, BuildError> {
    let prepared = prepare_partial(sources, options, diagnostics)?;
    if prepared.diagnostics.has_errors() {
        return Err(BuildError::Content(prepared.diagnostics));
    }
    Ok(prepared)
}

/// [`prepare`], going on past the content's errors with what is left of the site (the files
/// with errors give no pages), so that the problems found later, a static file over a page or
/// a broken link, are found in the same run. Its `diagnostics` may hold errors: such a site
/// may be checked, never published. `Err` only when site.yaml is missing or wrong (the site
/// has no settings to make pages with), with every problem of its content.
pub fn prepare_partial(
    sources: &SiteSources,
    options: &BuildOptions,
    mut diagnostics: Diagnostics,
) -> Result<Prepared, BuildError> {
    // A site.yaml that is missing or wrong fails the build, but only after the content has
    // been checked with stand-in settings: every problem is found in one run.
    let (mut config, config_ok) = match site_config(sources, options, &mut diagnostics) {
        Some(config) => (config, true),
        None => (config::stand_in(sources.config.as_deref()), false),
    };
    config.search &= !options.no_search && cfg!(feature = "search");
    let mut model = model::build(sources, &config, options.drafts, &mut diagnostics);
    // The documents' Markdown is rendered while the timeline is made: some of the timeline's
    // steps run on one thread and leave the other cores free.
    let ((mut timeline, timeline_problems), mut bodies) = rayon::join(
        || {
            let mut problems = Diagnostics::new();
            (timeline::build(&model, &mut problems), problems)
        },
        || views::Bodies::render(&model),
    );
    diagnostics.extend(timeline_problems);
    let day = options.build_day();
    let tera = check_site(sources, &model, day, options, &mut diagnostics);
    if !config_ok {
        return Err(BuildError::Content(diagnostics));
    }
    let content_ok = !diagnostics.has_errors();
    if !content_ok {
        model.forget_missing_treaties();
        timeline
            .treaties
            .retain(|slug, _| model.treaty(slug.as_str()).is_some());
        // The treaties' bodies go by the model's treaties.
        bodies = views::Bodies::render(&model);
    }
    let (views, data, search, source_urls) =
        views_and_data(&config, &mut model, &timeline, &bodies, day.last_year());
    let pages = Pages::new(&tera, views);
    let mut other_files = match data {
        Ok(files) => files,
        // A file that cannot be made from a whole site is a bug; from a site with errors, it
        // is the errors' doing, said already.
        Err(problems) if content_ok => {
            diagnostics.extend(problems);
            return Err(BuildError::Content(diagnostics));
        }
        Err(_) => Vec::new(),
    };
    other_files.push(data_schema());
    if let Some(records) = &search {
        other_files.push(records.script());
    }
    let statics = static_files(
        &pages,
        &other_files,
        search.is_some(),
        &sources.static_files,
        &mut diagnostics,
    );
    other_files.extend(statics);
    // The pages hold all they need: the model and timeline are freed aside, while they render
    // (a large site's take about a tenth of a second).
    std::thread::spawn(move || drop((model, timeline)));
    Ok(Prepared {
        pages,
        other_files,
        base_url: config.base_url,
        source_urls,
        diagnostics,
        ignored: sources.ignored.clone(),
        search,
    })
}

/// site.yaml, checked, with the base URL the options give; None when it is missing or wrong
/// (said in `diagnostics`).
fn site_config(
    sources: &SiteSources,
    options: &BuildOptions,
    diagnostics: &mut Diagnostics,
) -> Option<SiteConfig> {
    let Some(config_text) = sources.config.as_deref() else {
        // `source::read_site` has said why site.yaml is missing or unreadable; sources made in
        // memory without one get a plain error rather than an empty failure.
        if !diagnostics.has_errors() {
            diagnostics.push(Diagnostic::error(
                Location::file(source::CONFIG_FILE),
                "the site has no site.yaml",
            ));
        }
        return None;
    };
    match config::parse(config_text, options.base_url.as_deref()) {
        Ok(config) => Some(config),
        Err(d) => {
            diagnostics.push(d);
            None
        }
    }
}

/// The checks that need the whole model, then the templates: every date against the build
/// day, the source lines of each problem, and the site's templates loaded over the built-in
/// ones (a broken one is a problem). Warnings become errors when the options deny them.
fn check_site(
    sources: &SiteSources,
    model: &SiteModel,
    day: BuildDay,
    options: &BuildOptions,
    diagnostics: &mut Diagnostics,
) -> Tera {
    calendar::check_dates(model, sources, day, diagnostics);
    // Rules across files name two places; show both lines.
    if !diagnostics.is_empty() {
        let texts = sources.texts();
        diagnostics.attach_source_lines(&|path| texts.get(path).copied());
    }
    let tera = render::templates(&sources.templates, diagnostics);
    if options.deny_warnings {
        diagnostics.deny_warnings();
    }
    tera
}

/// Every page's view, and meanwhile (on the other threads) the open data; before them, the
/// search's records (when the site has search). No year after `last_year` gets pages. The
/// articles' Markdown moves from the model into their pages, to be rendered with them.
fn views_and_data(
    config: &SiteConfig,
    model: &mut SiteModel,
    timeline: &Timeline,
    bodies: &views::Bodies,
    last_year: i16,
) -> (
    SiteViews,
    Result<Vec<OutputFile>, Diagnostics>,
    Option<search::Records>,
    BTreeSet<String>,
) {
    let search = config
        .search
        .then(|| search::records(config, model, timeline));
    let article_markdown = model
        .articles
        .iter_mut()
        .map(|a| std::mem::take(&mut a.body))
        .collect();
    let model = &*model;
    let (views, data) = rayon::join(
        || views::build(config, model, timeline, bodies, last_year, article_markdown),
        || {
            (
                data_files(config, model, timeline, &DATA_FORMATS),
                source_urls(model),
            )
        },
    );
    let (data, source_urls) = data;
    (views, data, search, source_urls)
}

/// Every source URL of the content, the articles' and their events'.
fn source_urls(model: &SiteModel) -> BTreeSet<String> {
    model
        .articles
        .iter()
        .flat_map(|a| {
            a.sources
                .iter()
                .chain(a.events.iter().flat_map(|e| &e.sources))
        })
        .map(|s| s.url.clone())
        .collect()
}

/// Writes one open-data file's bytes, or says why it cannot.
type DataWriter = fn(&data::DataSite, &str) -> Result<Vec<u8>, String>;

/// The per-treaty open-data formats, and the writer of each.
const DATA_FORMATS: [(DataFormat, DataWriter); 3] = [
    (DataFormat::Json, data::treaty_json),
    (DataFormat::Csv, data::treaty_csv),
    (DataFormat::Ics, data::treaty_ics),
];

/// The open data: the whole timeline, and each treaty's events in every format of `formats`.
/// A file that cannot be made is an error naming it: a build never publishes an empty or
/// truncated data file.
fn data_files(
    config: &SiteConfig,
    model: &SiteModel,
    timeline: &Timeline,
    formats: &[(DataFormat, DataWriter)],
) -> Result<Vec<OutputFile>, Diagnostics> {
    let file = |path: String, bytes: Result<Vec<u8>, String>, origin: Option<PathBuf>| {
        bytes
            .map(|bytes| OutputFile {
                path: path.clone(),
                bytes,
                origin: origin.clone(),
            })
            .map_err(|reason| {
                // Named at the content it is made from: the treaty's file, or the site's.
                let at = origin.map_or_else(|| Location::file(source::CONFIG_FILE), Location::file);
                Diagnostic::error(
                    at,
                    format!("cannot write the open-data file `/{path}`: {reason}"),
                )
                .with_hint("this is a bug in treatyline; please report it with the site")
            })
    };
    let site = &data::DataSite::new(config, model, timeline);
    let (whole, per_treaty) = rayon::join(
        || {
            let path = Route::TimelineData.path();
            file(path, data::timeline_json(site), None)
        },
        || {
            model
                .treaties
                .par_iter()
                .flat_map_iter(|treaty| {
                    formats.iter().map(move |(format, write)| {
                        let path = Route::TreatyData(&treaty.slug, *format).path();
                        let bytes = write(site, &treaty.slug);
                        file(path, bytes, Some(treaty.path.clone()))
                    })
                })
                .collect::<Vec<_>>()
        },
    );
    let mut files = Vec::new();
    let mut problems = Diagnostics::new();
    for result in std::iter::once(whole).chain(per_treaty) {
        match result {
            Ok(file) => files.push(file),
            Err(d) => problems.push(d),
        }
    }
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(files)
    }
}

/// The JSON Schema of the open data.
fn data_schema() -> OutputFile {
    OutputFile {
        path: Route::DataSchema.path(),
        bytes: data::SCHEMA.as_bytes().to_vec(),
        origin: None,
    }
}

/// The static files: the built-in ones, then the site's own (same path replaces). A static
/// file may not replace a generated file: a page of `pages`, one of `data`, or (when `search`)
/// one in the search index's folder.
fn static_files(
    pages: &Pages,
    data: &[OutputFile],
    search: bool,
    site_static: &[(String, Vec<u8>)],
    diagnostics: &mut Diagnostics,
) -> Vec<OutputFile> {
    let mut statics: BTreeMap<String, (Vec<u8>, bool)> = builtin::static_files()
        .into_iter()
        .map(|(p, b)| (p, (b.to_vec(), false)))
        .collect();
    for (path, bytes) in site_static {
        statics.insert(path.clone(), (bytes.clone(), true));
    }
    let index_folder = Route::SearchIndex.path();
    let index_folder = index_folder.trim_end_matches('/');
    let generated: Vec<&str> = pages
        .paths()
        .chain(data.iter().map(|f| f.path.as_str()))
        .chain(search.then_some(index_folder))
        .collect();
    // Looked for from each generated path, on every thread: a large site has a hundred
    // thousand of them and a handful of static files, and gathering the paths into a set
    // first held the other threads up.
    let clashing: BTreeSet<String> = generated
        .par_iter()
        .flat_map_iter(|path| clashes_with(path, &statics))
        .map(str::to_string)
        .collect();
    let mut files = Vec::new();
    for (path, (bytes, from_site)) in statics {
        let clashes = clashing.contains(&path);
        if clashes {
            let origin = if from_site {
                format!("static/{path}")
            } else {
                format!("built-in static/{path}")
            };
            diagnostics.push(
                Diagnostic::error(
                    Location::file(origin),
                    format!("this static file would overwrite the generated page `/{path}`"),
                )
                .with_hint("rename or move the static file"),
            );
            continue;
        }
        files.push(OutputFile {
            path,
            bytes,
            origin: None,
        });
    }
    files
}

/// The static files that the generated file at `generated` would be overwritten by: one at
/// the same path, one at a folder the file is in, or one inside it taken as a folder. Nothing
/// is allocated: it runs once for every page of the site.
fn clashes_with<'a, T>(
    generated: &'a str,
    statics: &'a BTreeMap<String, T>,
) -> impl Iterator<Item = &'a str> + 'a {
    let at_or_above = generated
        .match_indices('/')
        .map(|(i, _)| &generated[..i])
        .chain([generated])
        .filter_map(|path| statics.get_key_value(path).map(|(p, _)| p.as_str()));
    // The paths that start with `generated` follow it in order; those inside it go on with `/`.
    let below = statics
        .range::<str, _>((Bound::Excluded(generated), Bound::Unbounded))
        .map(|(p, _)| p.as_str())
        .take_while(move |p| p.starts_with(generated))
        .filter(move |p| p.as_bytes().get(generated.len()) == Some(&b'/'));
    at_or_above.chain(below)
}

/// A site checked from texts in memory, for unit tests: site.yaml's text and each file's path
/// under the site, section and text. Panics if the site has any problem: these sites have none.
#[cfg(test)]
pub(crate) fn checked_site(
    site_yaml: &str,
    files: &[(&str, source::Section, &str)],
) -> (SiteConfig, SiteModel, Timeline) {
    let files = files.iter().map(|&(path, section, text)| {
        source::parse_file(PathBuf::from(path), section, text.as_bytes()).unwrap()
    });
    let sources = SiteSources {
        config: Some(site_yaml.to_string()),
        files: files.collect(),
        ..SiteSources::default()
    };
    let config = config::parse(site_yaml, None).unwrap();
    let mut diagnostics = Diagnostics::new();
    let model = model::build(&sources, &config, false, &mut diagnostics);
    let timeline = timeline::build(&model, &mut diagnostics);
    assert!(diagnostics.is_empty(), "{}", diagnostics.report());
    (config, model, timeline)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Section;

    fn failing_export(_: &data::DataSite, _: &str) -> Result<Vec<u8>, String> {
        Err("the disk of numbers is full".to_string())
    }

    #[test]
    fn a_static_file_clashes_at_the_same_path_above_a_page_or_inside_a_generated_path() {
        let statics: BTreeMap<String, ()> = [
            "feed.xml",
            "feed.xml.bak",
            "countries",
            "search/index/extra.js",
            "search/index-notes.txt",
            "img/flag.png",
        ]
        .into_iter()
        .map(|path| (path.to_string(), ()))
        .collect();
        let clashes = |generated| clashes_with(generated, &statics).collect::<Vec<_>>();
        assert_eq!(clashes("feed.xml"), ["feed.xml"]);
        assert_eq!(clashes("countries/fr/index.html"), ["countries"]);
        assert_eq!(clashes("search/index"), ["search/index/extra.js"]);
        assert!(clashes("img/index.html").is_empty());
        assert!(clashes("articles/a/index.html").is_empty());
    }

    #[test]
    fn an_open_data_file_that_cannot_be_made_fails_the_build_naming_it() {
        let treaty = "---\ntitle: T\nestablished: 2020-01-01\n---\n";
        let (config, model, timeline) = checked_site(
            "title: T\nbase_url: https://example.org/\n",
            &[("content/treaties/t.md", Section::Treaties, treaty)],
        );

        let formats: [(DataFormat, DataWriter); 2] = [
            (DataFormat::Json, data::treaty_json),
            (DataFormat::Csv, failing_export),
        ];
        let problems = data_files(&config, &model, &timeline, &formats).unwrap_err();
        let report = problems.report();
        assert_eq!(problems.error_count(), 1, "{report}");
        assert!(
            report.contains(
                "cannot write the open-data file `/data/t.csv`: the disk of numbers is full"
            ),
            "{report}"
        );
        assert!(report.contains("content/treaties/t.md"), "{report}");

        let files = data_files(&config, &model, &timeline, &DATA_FORMATS).unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "data/timeline.json",
                "data/t.json",
                "data/t.csv",
                "data/t.ics"
            ]
        );
        assert!(files.iter().all(|f| !f.bytes.is_empty()));
    }
}
