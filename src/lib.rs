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
pub mod pipeline;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod serve;
pub mod source;
pub mod timeline;
pub mod views;
pub mod yaml;

use std::path::PathBuf;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
pub use crate::pipeline::render_sources;

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
    let prepared = pipeline::prepare(&sources, options, read_problems)?;
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
