//! The `treatyline` command: parse the command line, call the library, report, exit.

use std::io::IsTerminal;
use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    let args = cli::parse();
    match args.command {
        cli::Command::Build(build) => run_build(build.into_options()),
    }
}

fn run_build(options: treatyline::BuildOptions) -> ExitCode {
    let started = std::time::Instant::now();
    let _ = std::io::stderr().is_terminal();
    match treatyline::build(&options) {
        Ok(site) => {
            if !site.diagnostics.is_empty() {
                eprint!("{}", site.diagnostics.report());
            }
            eprintln!(
                "built {} files into {} in {} ms",
                site.files.len(),
                options.output_dir().display(),
                started.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprint!("{err}");
            ExitCode::from(1)
        }
    }
}
