//! Writes a synthetic treatyline site for benchmarks and tests:
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --articles 10000 --out DIR [--seed 1] [--hugo DIR]
//! ```
//!
//! `--out` receives a complete site (site.yaml, content/treaties, content/articles) that builds
//! and passes `treatyline check` with no warnings; `--hugo` receives the same articles as a Hugo
//! site, for comparison. The same arguments give the same bytes. A folder that exists must be
//! empty, or `--force` replaces it.

mod corpus;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use corpus::{Corpus, File};

#[derive(Parser)]
#[command(about = "Writes a deterministic synthetic corpus of treaty-membership articles")]
struct Args {
    /// How many articles.
    #[arg(long)]
    articles: usize,
    /// Where to write the treatyline site (the folder that will hold site.yaml).
    #[arg(long, required_unless_present = "hugo")]
    out: Option<PathBuf>,
    /// Where to write the same corpus as a Hugo site.
    #[arg(long)]
    hugo: Option<PathBuf>,
    /// The random seed; the same seed and count give the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Replace the output folders if they exist and are not empty.
    #[arg(long)]
    force: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let corpus = Corpus::generate(args.articles, args.seed);
    let outputs = [
        (
            args.out.as_deref(),
            Corpus::treatyline_files as fn(&Corpus) -> Vec<File>,
        ),
        (args.hugo.as_deref(), Corpus::hugo_files),
    ];
    for (dir, files) in outputs {
        let Some(dir) = dir else { continue };
        if let Err(message) = write_site(dir, &files(&corpus), args.force) {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    }
    println!("{}", corpus.summary());
    ExitCode::SUCCESS
}

fn write_site(dir: &Path, files: &[File], force: bool) -> Result<(), String> {
    let occupied = fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied {
        if !force {
            return Err(format!(
                "{} exists and is not empty (--force replaces it)",
                dir.display()
            ));
        }
        fs::remove_dir_all(dir).map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
    }
    corpus::write_files(dir, files).map_err(|e| format!("cannot write {}: {e}", dir.display()))?;
    Ok(())
}
