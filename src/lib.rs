//! treatyline: a static site generator for treaty-membership timelines.
//!
//! The pipeline, one module per stage in the order data flows:
//! `source` (read files) → `yaml` + `frontmatter` (raw front matter) → `model` (checked types)
//! → `timeline` (rules across files) → `markdown` + `views` (one typed view per page, what its
//! template sees; `chart` lays out the charts, `routes` gives every page's path and URL,
//! `dates` how dates read) → `render` (Tera, in memory) → `output` (staged write). The library
//! never prints and never exits: it returns what happened and `main` reports it.

#![warn(clippy::print_stdout, clippy::print_stderr)]
// A Diagnostic is a few hundred bytes; it is made once per problem, never on a hot path, so
// returning it by value costs nothing worth a Box at every call site.
#![allow(clippy::result_large_err)]

pub mod builtin;
pub mod calendar;
pub mod chart;
pub mod check;
pub mod config;
pub mod data;
pub mod dates;
pub mod diagnostic;
pub mod frontmatter;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod serve;
pub mod source;
pub mod timeline;
pub mod views;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::render::OutputFile;
use crate::routes::{DataFormat, Route};

/// What a build is asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site's folder (holding site.yaml).
    pub root: PathBuf,
    /// Where to write; `root/public` when not given.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// Replaces site.yaml's base_url.
    pub base_url: Option<String>,
    pub deny_warnings: bool,
    /// Replace the output even if it is a file or a folder treatyline did not make.
    pub force: bool,
    /// The day taken as today; `None`: today by the clock (UTC).
    pub today: Option<jiff::civil::Date>,
}

impl BuildOptions {
    pub fn build_day(&self) -> calendar::BuildDay {
        self.today
            .map_or_else(calendar::BuildDay::from_clock, calendar::BuildDay::new)
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// A site rendered in memory.
#[derive(Debug)]
pub struct RenderedSite {
    pub files: Vec<OutputFile>,
    /// The base URL the pages were rendered for.
    pub base_url: String,
    /// Every source URL of the content (checked when read, so `check` does not follow them).
    pub source_urls: std::collections::BTreeSet<String>,
    /// Warnings (the build succeeded).
    pub diagnostics: Diagnostics,
    /// Files under content/ that are not Markdown and were skipped.
    pub ignored: Vec<PathBuf>,
}

/// Why a build failed: the content's problems, or the disk's.
#[derive(Debug)]
pub enum BuildError {
    /// Every problem found in the site, errors and warnings.
    Content(Diagnostics),
    /// Writing the output failed; the previous output is untouched.
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Content(d) => write!(f, "{}", d.report()),
            BuildError::Write { path, error } => write!(
                f,
                "error: cannot write the site to {}: {error}\n  = note: the previous output was left as it was",
                path.display()
            ),
        }
    }
}

impl std::error::Error for BuildError {}

/// Renders a site already read into memory (`diagnostics` holds the problems met while
/// reading it); writes nothing. Used by `check`, and by tests that make sites without a disk.
pub fn render_sources(
    sources: &source::SiteSources,
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

/// A site checked and ready to render: every page as a job, and the files that are not
/// rendered through templates (open data, static files). The model, the rendered Markdown and
/// the views are gone by then; the pages hold what they need.
pub struct Prepared {
    pub pages: render::Pages,
    pub other_files: Vec<OutputFile>,
    pub base_url: String,
    pub source_urls: std::collections::BTreeSet<String>,
    /// Warnings (no errors: preparing failed otherwise).
    pub diagnostics: Diagnostics,
    pub ignored: Vec<PathBuf>,
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
pub fn prepare(
    sources: &source::SiteSources,
    options: &BuildOptions,
    mut diagnostics: Diagnostics,
) -> Result<Prepared, BuildError> {
    let Some(config_text) = sources.config.as_deref() else {
        // `source::read_site` has said why site.yaml is missing or unreadable; sources made in
        // memory without one get a plain error rather than an empty failure.
        if !diagnostics.has_errors() {
            diagnostics.push(Diagnostic::error(
                Location::file(source::CONFIG_FILE),
                "the site has no site.yaml",
            ));
        }
        return Err(BuildError::Content(diagnostics));
    };
    let config = match config::parse(config_text, options.base_url.as_deref()) {
        Ok(config) => config,
        Err(d) => {
            diagnostics.push(d);
            return Err(BuildError::Content(diagnostics));
        }
    };
    let mut model = model::build(sources, &config, options.drafts, &mut diagnostics);
    let timeline = timeline::build(&model, &mut diagnostics);
    let day = options.build_day();
    calendar::check_dates(&model, sources, day, &mut diagnostics);
    // Rules across files name two places; show both lines.
    if !diagnostics.is_empty() {
        let texts = sources.texts();
        diagnostics.attach_source_lines(&|path| texts.get(path).copied());
    }
    let tera = render::templates(&sources.templates, &mut diagnostics);
    if options.deny_warnings {
        diagnostics.deny_warnings();
    }
    if diagnostics.has_errors() {
        return Err(BuildError::Content(diagnostics));
    }

    let bodies = views::Bodies::render(&model);
    // The pages keep each article's Markdown, to render it with the page.
    let article_markdown = model
        .articles
        .iter_mut()
        .map(|a| std::mem::take(&mut a.body))
        .collect();
    // The views are made on one thread; the open data, on the others meanwhile.
    let (views, data) = rayon::join(
        || {
            let last_year = day.last_year();
            views::build(
                &config,
                &model,
                &timeline,
                &bodies,
                last_year,
                article_markdown,
            )
        },
        || data_files(&config, &model, &timeline, &DATA_FORMATS),
    );
    drop(bodies);
    let mut other_files = match data {
        Ok(files) => files,
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(BuildError::Content(diagnostics));
        }
    };
    let pages = render::Pages::new(&tera, views);

    other_files.push(OutputFile {
        path: Route::DataSchema.path(),
        bytes: data::SCHEMA.as_bytes().to_vec(),
        origin: None,
    });
    let generated: std::collections::BTreeSet<String> = pages
        .paths()
        .chain(other_files.iter().map(|f| f.path.as_str()))
        .map(str::to_string)
        .collect();
    add_static_files(
        &mut other_files,
        &generated,
        &sources.static_files,
        &mut diagnostics,
    );
    if diagnostics.has_errors() {
        return Err(BuildError::Content(diagnostics));
    }
    Ok(Prepared {
        source_urls: source_urls(&model),
        pages,
        other_files,
        base_url: config.base_url,
        diagnostics,
        ignored: sources.ignored.clone(),
    })
}

/// Every source URL of the content, the articles' and their events'.
fn source_urls(model: &model::SiteModel) -> std::collections::BTreeSet<String> {
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

/// What `check` found: every problem, and how much was checked.
#[derive(Debug)]
pub struct CheckReport {
    pub diagnostics: Diagnostics,
    pub pages: usize,
    pub links: usize,
    pub ignored: Vec<PathBuf>,
}

/// Everything `build` validates, then every internal link and anchor of the rendered pages
/// and every source URL; writes nothing.
pub fn check(options: &BuildOptions) -> Result<CheckReport, BuildError> {
    let mut read_problems = Diagnostics::new();
    let sources = source::read_site(&options.root, &mut read_problems);
    let site = render_sources(&sources, options, read_problems)?;
    let mut diagnostics = site.diagnostics;
    let links = check::check_links(
        &site.files,
        &site.base_url,
        &site.source_urls,
        &sources,
        &mut diagnostics,
    );
    if options.deny_warnings {
        diagnostics.deny_warnings();
    }
    Ok(CheckReport {
        pages: site
            .files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .count(),
        links,
        diagnostics,
        ignored: site.ignored,
    })
}

/// What a successful build wrote.
#[derive(Debug)]
pub struct Built {
    pub files: usize,
    /// Warnings (the build succeeded).
    pub diagnostics: Diagnostics,
    /// Files under content/ that are not Markdown and were skipped.
    pub ignored: Vec<PathBuf>,
}

/// Builds the site and writes it to the output folder, replacing it whole on success. Pages
/// are written as they are rendered, into a staging folder that replaces the output only when
/// every page rendered and every file was written.
pub fn build(options: &BuildOptions) -> Result<Built, BuildError> {
    let output = options.output_dir();
    let refused = |d: Diagnostic| {
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(d);
        BuildError::Content(diagnostics)
    };
    output::check_output_dir(&options.root, &output, options.force).map_err(refused)?;
    let write_error = |error| BuildError::Write {
        path: output.clone(),
        error,
    };
    // Held until the build returns: a second build into this output is refused meanwhile.
    let _lock = output::OutputLock::acquire(&output).map_err(|err| match err {
        output::LockError::Busy(lock) => refused(
            Diagnostic::error(
                Location::file(&output),
                format!(
                    "another treatyline build is writing to this folder (it holds {})",
                    lock.display()
                ),
            )
            .with_hint("wait for that build to finish, then build again"),
        ),
        output::LockError::Io(error) => write_error(error),
    })?;
    let mut read_problems = Diagnostics::new();
    let sources = source::read_site(&options.root, &mut read_problems);
    let prepared = prepare(&sources, options, read_problems)?;
    let staging = output::Staging::new(&output).map_err(write_error)?;
    let template_errors = std::sync::Mutex::new(Diagnostics::new());
    prepared
        .pages
        .render()
        .try_for_each(|page| match page {
            Ok(file) => staging.write(&file),
            Err(d) => {
                template_errors
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(d);
                Ok(())
            }
        })
        .map_err(write_error)?;
    let template_errors = template_errors
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    let mut diagnostics = prepared.diagnostics;
    if template_errors.has_errors() {
        diagnostics.extend(template_errors);
        return Err(BuildError::Content(diagnostics));
    }
    for file in &prepared.other_files {
        staging.write(file).map_err(write_error)?;
    }
    let files = staging.commit().map_err(write_error)?;
    let built = Built {
        files,
        diagnostics,
        ignored: prepared.ignored,
    };
    // Freeing a large site's sources and page values takes a tenth of a second at 10,000
    // articles that no one waits for (the command is about to exit): it is done aside.
    let (pages, other_files) = (prepared.pages, prepared.other_files);
    std::thread::spawn(move || drop((sources, pages, other_files)));
    Ok(built)
}

/// Writes one open-data file's bytes, or says why it cannot.
type DataWriter = fn(
    &config::SiteConfig,
    &model::SiteModel,
    &timeline::Timeline,
    &str,
) -> Result<Vec<u8>, String>;

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
    config: &config::SiteConfig,
    model: &model::SiteModel,
    timeline: &timeline::Timeline,
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
    let (whole, per_treaty) = rayon::join(
        || {
            let path = Route::TimelineData.path();
            file(path, data::timeline_json(config, model, timeline), None)
        },
        || {
            model
                .treaties
                .par_iter()
                .flat_map_iter(|treaty| {
                    formats.iter().map(move |(format, write)| {
                        let path = Route::TreatyData(&treaty.slug, *format).path();
                        let bytes = write(config, model, timeline, &treaty.slug);
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

/// Adds the static files: the built-in ones, then the site's own (same path replaces). A
/// static file may not replace a generated page.
fn add_static_files(
    files: &mut Vec<OutputFile>,
    generated: &std::collections::BTreeSet<String>,
    site_static: &[(String, Vec<u8>)],
    diagnostics: &mut Diagnostics,
) {
    let mut statics: BTreeMap<String, (Vec<u8>, bool)> = builtin::static_files()
        .into_iter()
        .map(|(p, b)| (p, (b.to_vec(), false)))
        .collect();
    for (path, bytes) in site_static {
        statics.insert(path.clone(), (bytes.clone(), true));
    }
    for (path, (bytes, from_site)) in statics {
        // The same path, a generated page inside it, or it inside a generated file's path.
        let folder = format!("{path}/");
        let clashes = generated.contains(&path)
            || generated
                .range(folder.clone()..)
                .next()
                .is_some_and(|p| p.starts_with(&folder))
            || path
                .match_indices('/')
                .any(|(i, _)| generated.contains(&path[..i]));
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
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::source::{Section, SiteSources, parse_file};

    fn failing_export(
        _: &config::SiteConfig,
        _: &model::SiteModel,
        _: &timeline::Timeline,
        _: &str,
    ) -> Result<Vec<u8>, String> {
        Err("the disk of numbers is full".to_string())
    }

    #[test]
    fn an_open_data_file_that_cannot_be_made_fails_the_build_naming_it() {
        let config = config::parse("title: T\nbase_url: https://example.org/\n", None).unwrap();
        let mut sources = SiteSources::default();
        let treaty = "---\ntitle: T\nestablished: 2020-01-01\n---\n";
        sources.files.push(
            parse_file(
                PathBuf::from("content/treaties/t.md"),
                Section::Treaties,
                treaty.as_bytes(),
            )
            .unwrap(),
        );
        let mut diagnostics = Diagnostics::new();
        let model = model::build(&sources, &config, false, &mut diagnostics);
        let timeline = timeline::build(&model, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{}", diagnostics.report());

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
