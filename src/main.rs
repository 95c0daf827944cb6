//! The `treatyline` command: parse the command line, call the library, report, exit.
//!
//! Exit codes: 0 success, 1 problems in the site (or the disk), 2 a wrong command line
//! (clap's own code).

use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use treatyline::Diagnostics;

mod cli;

/// A build makes and frees millions of small values (each page's template values, its text):
/// mimalloc does that in about 15% less time than the system's allocator, with a lower peak
/// (10,000 articles: 0.79 s and 237 MB against 0.93 s and 261 MB). Not in the static musl
/// builds, which have no C compiler for their target (see Cargo.toml). The library leaves the
/// choice to the program that uses it.
#[cfg(not(target_env = "musl"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `eprint!` that does not panic: see [`write_stderr`].
macro_rules! say {
    ($($arg:tt)*) => { write_stderr(format_args!($($arg)*), false) };
}

/// `eprintln!` that does not panic: see [`write_stderr`].
macro_rules! sayln {
    ($($arg:tt)*) => { write_stderr(format_args!($($arg)*), true) };
}

/// Writes to stderr. A stderr that cannot be written (a closed pipe, a full disk) ends the
/// command quietly with exit code 1: the user could not be told what happened, and a panic
/// would only try to tell them on the same stream.
fn write_stderr(text: fmt::Arguments, newline: bool) {
    let mut stderr = io::stderr().lock();
    let written = stderr.write_fmt(text).and_then(|()| {
        if newline {
            stderr.write_all(b"\n")
        } else {
            Ok(())
        }
    });
    if written.and_then(|()| stderr.flush()).is_err() {
        std::process::exit(1);
    }
}

fn main() -> ExitCode {
    let args = cli::parse();
    match args.command {
        cli::Command::Build(build) => run_build(&build),
        cli::Command::Check(check) => run_check(&check),
        cli::Command::Serve(serve) => run_serve(serve),
        cli::Command::New(new) => run_new(new),
    }
}

/// Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org).
fn use_colour() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn report(diagnostics: &Diagnostics) {
    if !diagnostics.is_empty() {
        say!("{}", diagnostics.render(use_colour()));
    }
}

fn report_skipped(verbose: bool, ignored: &[treatyline::Skipped]) {
    if verbose {
        for skipped in ignored {
            // As diagnostics name files: `/` on every system, control characters escaped.
            let path = treatyline::printable_path(&skipped.path);
            sayln!("note: skipped {path} ({})", skipped.why);
        }
    }
}

/// The build day set in the environment, or the exit code of a wrong one (a wrong command
/// line, as clap's own).
fn today() -> Result<Option<jiff::civil::Date>, ExitCode> {
    cli::today().map_err(|message| {
        sayln!("error: {message}");
        ExitCode::from(2)
    })
}

fn run_build(args: &cli::BuildArgs) -> ExitCode {
    let options = match today() {
        Ok(today) => args.options(today),
        Err(code) => return code,
    };
    let started = std::time::Instant::now();
    match treatyline::build(&options) {
        Ok(site) => {
            report(&site.diagnostics);
            report_skipped(args.site.verbose, &site.ignored);
            sayln!(
                "built {} files into {} in {} ms",
                site.files,
                options.output_dir().display(),
                started.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            let content_error = matches!(err, treatyline::BuildError::Content(_));
            let code = report_failure(err);
            if content_error {
                sayln!("the build failed; the previous output was left as it was");
            }
            code
        }
    }
}

fn run_check(args: &cli::CheckArgs) -> ExitCode {
    let options = match today() {
        Ok(today) => args.site.options(today),
        Err(code) => return code,
    };
    match treatyline::check(&options) {
        Ok(checked) => {
            report(&checked.diagnostics);
            report_skipped(args.site.verbose, &checked.ignored);
            if checked.diagnostics.has_errors() {
                ExitCode::from(1)
            } else {
                sayln!(
                    "checked {} pages and {} links: no errors",
                    checked.pages,
                    checked.links
                );
                ExitCode::SUCCESS
            }
        }
        Err(err) => report_failure(err),
    }
}

/// Reports a failed build or check: the site's problems as diagnostics, anything else as
/// its message. Both are exit code 1.
fn report_failure(err: treatyline::BuildError) -> ExitCode {
    match err {
        treatyline::BuildError::Content(diagnostics) => report(&diagnostics),
        other => sayln!("{other}"),
    }
    ExitCode::from(1)
}

fn run_serve(args: cli::ServeArgs) -> ExitCode {
    let today = match today() {
        Ok(today) => today,
        Err(code) => return code,
    };
    let options = treatyline::ServeOptions {
        today,
        root: args.root,
        port: args.port,
        bind: args.bind,
        drafts: args.drafts,
        open: args.open,
        no_search: args.no_search,
    };
    match treatyline::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            sayln!("error: {err}");
            ExitCode::from(1)
        }
    }
}

fn run_new(args: cli::NewArgs) -> ExitCode {
    let options = treatyline::NewOptions {
        dir: args.dir,
        title: args.title,
        base_url: args.base_url,
        bare: args.bare,
        force: args.force,
        ci: match args.ci {
            cli::CiHost::Github => treatyline::Ci::GitHub,
            cli::CiHost::Gitlab => treatyline::Ci::GitLab,
        },
    };
    match treatyline::new(&options) {
        Ok(created) => {
            sayln!("{created}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            sayln!("error: {err}");
            ExitCode::from(1)
        }
    }
}
