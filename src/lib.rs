//! treatyline builds static sites of treaty-membership timelines: Markdown articles with YAML
//! front matter become a site with a timeline, a members table, a chart, pages per treaty,
//! country, article and year, feeds and open data.
//!
//! The library does what the `treatyline` command does, one function per command:
//!
//! - [`build`] checks a site and writes it to its output folder, replaced whole only when every
//!   page was written;
//! - [`check`] checks it without writing, its links and anchors too;
//! - [`serve`] previews it locally, rebuilding and reloading open pages on every change;
//! - [`new`] starts a new site.
//!
//! A problem in the site is a [`Diagnostic`] naming its file, line and column; a run reports
//! every problem it found at once, as [`Diagnostics`]. The library never prints (but for
//! [`serve`], which reports as it goes) and never exits: it returns what happened.
//!
//! ```no_run
//! let options = treatyline::BuildOptions {
//!     root: "my-site".into(),
//!     ..treatyline::BuildOptions::default()
//! };
//! match treatyline::build(&options) {
//!     Ok(built) => eprintln!("built {} files", built.files),
//!     Err(treatyline::BuildError::Content(problems)) => eprint!("{}", problems.report()),
//!     Err(other) => eprintln!("{other}"),
//! }
//! ```
//!
//! Inside, one module per stage in the order data flows: `source` (read files) → `yaml` +
//! `frontmatter` (raw front matter) → `model` (checked types) → `timeline` (rules across
//! files) → `markdown` + `views` (one typed view per page, what its template sees; `chart`
//! lays out the charts, `routes` gives every page's path and URL, `dates` how dates read) →
//! `render` (Tera, in memory) → `output` (staged write); `pipeline` runs them in that order.

#![warn(clippy::print_stdout, clippy::print_stderr, missing_docs)]
// A Diagnostic is a few hundred bytes; it is made once per problem, never on a hot path, so
// returning it by value costs nothing worth a Box at every call site.
#![allow(clippy::result_large_err)]

mod builtin;
mod calendar;
mod chart;
mod check;
mod config;
mod data;
mod dates;
mod diagnostic;
mod frontmatter;
mod markdown;
mod model;
mod output;
mod pipeline;
mod render;
mod routes;
mod scaffold;
mod search;
mod serve;
mod source;
mod timeline;
mod views;
mod yaml;

use std::path::PathBuf;

use rayon::prelude::*;

pub use crate::diagnostic::{Diagnostic, Diagnostics, Location, Related, Severity, printable_path};
pub use crate::scaffold::{Ci, NewError, NewOptions};
pub use crate::serve::ServeOptions;
pub use crate::source::Skipped;

/// The most items (articles, pages) one task of a parallel job takes. rayon splits a job
/// further only when a thread steals from another, so on two cores a job over 100,000
/// articles ran as a few tasks of 25,000, and each stage ended with one thread finishing its
/// last task alone while the other waited (a tenth of a second, at the end of parsing). Tasks
/// this small keep every thread busy to the end of a stage; their own cost, some 1,600 tasks a
/// stage at 100,000 articles, is a millisecond or two.
pub(crate) const TASK_ITEMS: usize = 64;

/// What a build (or a check) is asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site's folder (holding site.yaml).
    pub root: PathBuf,
    /// Where to write; `root/public` when not given.
    pub output: Option<PathBuf>,
    /// Include articles and pages marked `draft: true`.
    pub drafts: bool,
    /// Replaces site.yaml's base_url.
    pub base_url: Option<String>,
    /// Treat warnings as errors.
    pub deny_warnings: bool,
    /// Replace the output even if it is a file or a folder treatyline did not make.
    pub force: bool,
    /// The day taken as today; `None`: today by the clock (UTC). See [`parse_day`].
    pub today: Option<jiff::civil::Date>,
    /// Leave site search out of this build (no search page, index or header link), whatever
    /// site.yaml says.
    pub no_search: bool,
}

impl BuildOptions {
    /// The folder the site is written to: `output`, or `root/public`.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }

    pub(crate) fn build_day(&self) -> calendar::BuildDay {
        self.today
            .map_or_else(calendar::BuildDay::from_clock, calendar::BuildDay::new)
    }
}

/// What a successful build wrote.
#[derive(Debug)]
pub struct Built {
    /// How many files were written.
    pub files: usize,
    /// Warnings (the build succeeded).
    pub diagnostics: Diagnostics,
    /// What was skipped, relative to the root, and why: files under content/ that are not
    /// Markdown, FIFOs, folders named like Markdown files.
    pub ignored: Vec<Skipped>,
}

/// Why a build or a check failed: the content's problems, or the disk's.
#[derive(Debug)]
pub enum BuildError {
    /// Every problem found in the site, errors and warnings.
    Content(Diagnostics),
    /// Writing the output failed; the previous output is untouched.
    Write {
        /// The output folder.
        path: PathBuf,
        /// What the disk said.
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

/// Builds the site and writes it to the output folder, replacing it whole on success. Pages
/// are written as they are rendered, into a staging folder that replaces the output only when
/// every page rendered and every file was written.
pub fn build(options: &BuildOptions) -> Result<Built, BuildError> {
    let output = options.output_dir();
    let write_error = |error| BuildError::Write {
        path: output.clone(),
        error,
    };
    // Held until the build returns: a second build into this output is refused meanwhile.
    let _lock = lock_output(options, &output)?;
    let mut read_problems = Diagnostics::new();
    let sources = source::read_site(&options.root, &mut read_problems);
    let mut prepared = pipeline::prepare(&sources, options, read_problems)?;
    // The pages hold what they need (an article's Markdown shares its file's text): the rest
    // of the sources is freed aside while the pages are made, as the model is. Freed here, it
    // held up the start of the pages on a large site (30 ms at 100,000 articles).
    std::thread::spawn(move || drop(sources));
    let staging = output::Staging::new(&output).map_err(write_error)?;
    let search = prepared.search.take();
    let (pages, other_files) = (&prepared.pages, &prepared.other_files);
    let written = std::thread::scope(|scope| {
        // The search index is made on threads of its own (see `search::index`) while the
        // pages render on the others, and written a shard at a time.
        let indexing = search.map(|records| Indexing::start(scope, records, &staging));
        // The open data and static files are written on a thread of their own while the
        // pages render, not after them: a large site's open data is a tenth of a second of
        // writing, which would otherwise end the build on one core.
        let others = scope.spawn(|| other_files.iter().try_for_each(|file| staging.write(file)));
        let template_errors = write_pages(pages, &staging).map_err(write_error)?;
        let others = others
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        others.map_err(write_error)?;
        if template_errors.has_errors() {
            return Ok(Err(template_errors));
        }
        if let Some(indexing) = indexing
            && let Err(problem) = indexing.finish().map_err(write_error)?
        {
            let mut problems = Diagnostics::new();
            problems.push(problem);
            return Ok(Err(problems));
        }
        Ok(Ok(()))
    })?;
    let mut diagnostics = prepared.diagnostics;
    if let Err(problems) = written {
        diagnostics.extend(problems);
        return Err(BuildError::Content(diagnostics));
    }
    let files = staging.commit().map_err(write_error)?;
    // Freeing a large site's page values and open data takes time that no one waits for (the
    // command is about to exit): it is done aside.
    let (pages, other_files, urls) = (prepared.pages, prepared.other_files, prepared.source_urls);
    std::thread::spawn(move || drop((pages, other_files, urls)));
    Ok(Built {
        files,
        diagnostics,
        ignored: prepared.ignored,
    })
}

/// What the index's thread ends with: the problem writing its files, when there was one.
type IndexOutcome = Result<bool, IndexProblem>;

/// Why the index was not written: the library's problem, or the disk's.
enum IndexProblem {
    Library(String),
    Write(std::io::Error),
}

/// The search index in the making, on threads of its own, its files written to the staging
/// folder shard after shard. Dropped unfinished (a build that failed meanwhile), it tells the
/// thread to stop at its next record.
struct Indexing<'scope> {
    thread: Option<std::thread::ScopedJoinHandle<'scope, IndexOutcome>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl<'scope> Indexing<'scope> {
    fn start<'env>(
        scope: &'scope std::thread::Scope<'scope, 'env>,
        records: search::Records,
        staging: &'env output::Staging,
    ) -> Indexing<'scope> {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = std::sync::Arc::clone(&stop);
        let thread = scope.spawn(move || {
            let mut disk = None;
            let made = records.index_each(
                &|| stopped.load(std::sync::atomic::Ordering::Relaxed),
                &mut |files| {
                    for file in &files {
                        if let Err(err) = staging.write(file) {
                            let said = err.to_string();
                            disk = Some(err);
                            return Err(said);
                        }
                    }
                    Ok(())
                },
            );
            match (made, disk) {
                (_, Some(err)) => Err(IndexProblem::Write(err)),
                (Ok(done), None) => Ok(done),
                (Err(reason), None) => Err(IndexProblem::Library(reason)),
            }
        });
        Indexing {
            thread: Some(thread),
            stop,
        }
    }

    /// Waits for the index. The outer `Err` is the disk's problem writing it; the inner, the
    /// problem to report when it could not be made.
    fn finish(mut self) -> std::io::Result<Result<(), Diagnostic>> {
        let outcome = match self.thread.take().map(std::thread::ScopedJoinHandle::join) {
            Some(Ok(Ok(true))) => return Ok(Ok(())),
            Some(Ok(Err(IndexProblem::Write(err)))) => return Err(err),
            Some(Ok(Err(IndexProblem::Library(reason)))) => reason,
            _ => "the indexer stopped before it was done".to_string(),
        };
        Ok(Err(Diagnostic::error(
            Location::file(source::CONFIG_FILE),
            format!("cannot build the search index: {outcome}"),
        )
        .with_hint(
            "this is a bug in treatyline; please report it with the site. `build --no-search` \
             builds the site without search meanwhile",
        )))
    }
}

impl Drop for Indexing<'_> {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Refuses an output folder that is not treatyline's (unless forced) or that another build is
/// writing to; else locks it until the lock is dropped.
fn lock_output(
    options: &BuildOptions,
    output: &std::path::Path,
) -> Result<output::OutputLock, BuildError> {
    let refused = |d: Diagnostic| {
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(d);
        BuildError::Content(diagnostics)
    };
    output::check_output_dir(&options.root, output, options.force).map_err(refused)?;
    output::OutputLock::acquire(output).map_err(|err| match err {
        output::LockError::Busy(lock) => refused(
            Diagnostic::error(
                Location::file(output),
                format!(
                    "another treatyline build is writing to this folder (it holds {})",
                    lock.display()
                ),
            )
            .with_hint("wait for that build to finish, then build again"),
        ),
        output::LockError::Io(error) => BuildError::Write {
            path: output.to_path_buf(),
            error,
        },
    })
}

/// Renders every page and writes each as soon as it is made; returns the template errors met
/// (the pages that failed are not written).
fn write_pages(pages: &render::Pages, staging: &output::Staging) -> std::io::Result<Diagnostics> {
    let template_errors = std::sync::Mutex::new(Diagnostics::new());
    pages.render().try_for_each(|page| match page {
        Ok(file) => staging.write(&file),
        Err(d) => {
            template_errors
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(d);
            Ok(())
        }
    })?;
    Ok(template_errors
        .into_inner()
        .unwrap_or_else(|e| e.into_inner()))
}

/// What `check` found: every problem, and how much was checked.
#[derive(Debug)]
pub struct CheckReport {
    /// Every problem found; the check failed if any is an error.
    pub diagnostics: Diagnostics,
    /// How many HTML pages were checked.
    pub pages: usize,
    /// How many internal links were followed.
    pub links: usize,
    /// What was skipped, relative to the root, and why: files under content/ that are not
    /// Markdown, FIFOs, folders named like Markdown files.
    pub ignored: Vec<Skipped>,
}

/// Everything `build` validates, then every internal link and anchor of the rendered pages
/// and every source URL; writes nothing. Errors in the content do not stop it: the links of
/// the pages that can still be made are checked too, and every problem is in the report
/// (`Err` only for a site.yaml that is missing or wrong, with the content's problems).
pub fn check(options: &BuildOptions) -> Result<CheckReport, BuildError> {
    let mut read_problems = Diagnostics::new();
    let sources = source::read_site(&options.root, &mut read_problems);
    let site = pipeline::render_partial(&sources, options, read_problems)?;
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

/// Serves the site at `http://<bind>:<port>/` until interrupted (Ctrl-C or SIGTERM),
/// rebuilding it in memory on every change to its files and reloading the open pages. Writes
/// nothing; prints its address, each rebuild and each build's problems to stderr. A failed
/// build keeps the last good site served and shows its problems on the open pages. `Err` when
/// the port cannot be listened on or the site cannot be watched.
pub fn serve(options: ServeOptions) -> Result<(), std::io::Error> {
    serve::run(options)
}

/// Starts a new site in `options.dir`: site.yaml, starter content and a publishing workflow.
/// Returns a message saying what was made and what to do next.
pub fn new(options: &NewOptions) -> Result<String, NewError> {
    scaffold::new_site(options)
}

/// A day as [`BuildOptions::today`] takes it, written `YYYY-MM-DD` (as dates in content are);
/// `Err` says what is wrong with it.
pub fn parse_day(text: &str) -> Result<jiff::civil::Date, String> {
    model::parse_date(text)
}

/// The build's stages, for this repository's benchmarks and tests that need more than the
/// public API. Not a stable API: anything here may change in any release.
#[doc(hidden)]
pub mod internals {
    pub use crate::pipeline::render_sources;

    /// Reading a site.
    pub mod source {
        pub use crate::source::{Section, SiteSources, SourceFile, Tail, parse_file};
    }
    /// YAML with located errors.
    pub mod yaml {
        pub use crate::yaml::parse;
    }
    /// Front matter as written.
    pub mod frontmatter {
        pub use crate::frontmatter::RawArticle;
    }
    /// site.yaml.
    pub mod config {
        pub use crate::config::{SiteConfig, parse};
    }
    /// The checked model.
    pub mod model {
        pub use crate::model::{SiteModel, build};
    }
    /// Rules across files.
    pub mod timeline {
        pub use crate::timeline::{Timeline, build};
    }
    /// The build day.
    pub mod calendar {
        pub use crate::calendar::BuildDay;
    }
    /// Markdown.
    pub mod markdown {
        pub use crate::markdown::render;
    }
    /// Every page's view.
    pub mod views {
        pub use crate::views::{Bodies, build};
    }
    /// Templates and pages.
    pub mod render {
        pub use crate::render::{Pages, templates};
    }
}
