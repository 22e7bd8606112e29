//! The `rapt` binary: parses arguments, hands them to a command, maps the outcome to an exit
//! code (0 success, 1 invalid input or failed check, 2 usage, 130 interrupted).

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

use cli::{Command, Opts};

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything worked and every check passed.
    Success = 0,
    /// Invalid input or a failed check.
    Failure = 1,
    /// The command line was wrong.
    Usage = 2,
    /// Stopped by Ctrl-C.
    Interrupted = 130,
}

fn main() -> ExitCode {
    let opts = match Opts::try_parse() {
        Ok(o) => o,
        Err(e) => {
            let code = if e.use_stderr() {
                Exit::Usage
            } else {
                Exit::Success
            };
            let _ = e.print();
            return ExitCode::from(code as u8);
        }
    };
    let outcome = match opts.command {
        Command::Validate {
            files,
            deny_warnings,
            format,
            quiet,
        } => commands::validate::run(&files, deny_warnings, format, quiet),
        Command::Simulate(args) => commands::simulate::run(&args),
        Command::Replay(args) => commands::replay::run(&args),
        Command::Compare(args) => commands::compare::run(&args),
        Command::Report(args) => commands::report::run(&args),
        Command::Size(args) => commands::size::run(&args),
        Command::Sweep(args) => commands::sweep::run(&args),
        Command::Erlang { formula } => commands::erlang::run(&formula),
        Command::Schema => commands::schema(),
        Command::Init { path } => commands::init(&path),
    };
    match outcome {
        Ok(code) => ExitCode::from(code as u8),
        Err(err) if commands::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(Exit::Failure as u8)
        }
    }
}
