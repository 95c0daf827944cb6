//! The command line: clap definitions turned into checked options for the library.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

/// Build treaty-membership timeline sites from Markdown.
#[derive(Debug, Parser)]
#[command(name = "treatyline", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default).
    Build(BuildArgs),
    /// Check the site without writing anything: content, templates, internal links, sources.
    Check(CheckArgs),
    /// Preview the site locally, rebuilding and reloading the browser on every change.
    Serve(ServeArgs),
    /// Start a new site in DIR, with starter content and a publishing workflow.
    New(NewArgs),
}

/// Options shared by every command that reads a site.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site's folder, holding site.yaml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Include articles and pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Also list what was skipped, and why (files that are not Markdown, FIFOs, folders named
    /// like Markdown files).
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site (replaced whole on a good build) [default: ROOT/public]
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Publish at this URL instead of site.yaml's base_url.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Replace the output even if it is a file, or a folder with files that treatyline did not
    /// write (a folder it built before needs no flag).
    #[arg(long)]
    pub force: bool,
    /// Build without site search: no search page, no index, no link to it (site.yaml's
    /// `search: false` does the same for every build).
    #[arg(long)]
    pub no_search: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site's folder, holding site.yaml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The port to listen on.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on; only this machine can connect unless you change it.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Include articles and pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Serve without site search (its index is otherwise made after each rebuild, in the
    /// background).
    #[arg(long)]
    pub no_search: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The folder to create the site in (must not exist, or be empty).
    pub dir: PathBuf,
    /// The site's title.
    #[arg(long)]
    pub title: Option<String>,
    /// Where the site will be published.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Only one example article instead of the full starter timeline.
    #[arg(long)]
    pub bare: bool,
    /// Write into a folder that exists and holds only hidden files (such as .git).
    #[arg(long)]
    pub force: bool,
    /// Where the site is published: a GitHub Pages workflow, or a GitLab Pages pipeline.
    #[arg(long, value_enum, value_name = "HOST", default_value_t = CiHost::Github)]
    pub ci: CiHost,
}

/// The hosts `new --ci` writes publishing files for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CiHost {
    /// .github/workflows/publish.yml and .github/dependabot.yml.
    Github,
    /// .gitlab-ci.yml.
    Gitlab,
}

/// The variable that sets the build day, so that a run does not depend on the clock.
pub const TODAY_VARIABLE: &str = "TREATYLINE_TODAY";

/// The build day set by `TREATYLINE_TODAY` (`YYYY-MM-DD`); `None` when it is not set, for
/// today by the clock. Only dates after the build day depend on it: warnings, errors, and the
/// last year with as-of and year pages.
pub fn today() -> Result<Option<Date>, String> {
    match std::env::var(TODAY_VARIABLE) {
        Err(std::env::VarError::NotPresent) => Ok(None),
        Ok(text) if text.trim().is_empty() => Ok(None),
        Ok(text) => treatyline::parse_day(&text)
            .map(Some)
            .map_err(|problem| format!("{TODAY_VARIABLE}: {problem}")),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!(
            "{TODAY_VARIABLE} is not text: write a date as YYYY-MM-DD"
        )),
    }
}

impl SiteArgs {
    pub fn options(&self, today: Option<Date>) -> treatyline::BuildOptions {
        treatyline::BuildOptions {
            root: self.root.clone(),
            output: None,
            drafts: self.drafts,
            base_url: None,
            deny_warnings: self.deny_warnings,
            force: false,
            today,
            no_search: false,
        }
    }
}

impl BuildArgs {
    pub fn options(&self, today: Option<Date>) -> treatyline::BuildOptions {
        treatyline::BuildOptions {
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            force: self.force,
            no_search: self.no_search,
            ..self.site.options(today)
        }
    }
}

pub fn parse() -> Cli {
    Cli::parse()
}
