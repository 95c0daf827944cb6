//! The command line: clap definitions turned into checked options for the library.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site's folder, holding site.yaml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site (replaced whole on a good build) [default: ROOT/public]
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Include articles and pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Publish at this URL instead of site.yaml's base_url.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

impl BuildArgs {
    pub fn into_options(self) -> treatyline::BuildOptions {
        treatyline::BuildOptions {
            root: self.root,
            output: self.output,
            drafts: self.drafts,
            base_url: self.base_url,
            deny_warnings: self.deny_warnings,
        }
    }
}

pub fn parse() -> Cli {
    Cli::parse()
}
