//! The `rapt` binary: parses arguments, hands them to a command, maps the outcome to an exit
//! code (see [`Exit`]; the table is in the README and in `rapt --help`).

/// `eprintln!` that never panics: the standard one panics when standard error cannot be
/// written (a full device), which must not turn a result into status 101. A message that
/// cannot be written is dropped; the exit status still tells the outcome. Defined before the
/// modules, so it replaces the standard macro in all of them.
macro_rules! eprintln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod cli;
mod commands;
mod error;

use std::process::ExitCode;

use clap::Parser;

use cli::{Command, Opts};

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything worked and every check passed.
    Success = 0,
    /// A check failed (service level breached, replay outside its tolerance, plan not feasible
    /// by the date, validation findings), or a run or output was refused (memory limit, an
    /// existing file without --force).
    Failure = 1,
    /// The command line was wrong.
    Usage = 2,
    /// The input cannot be used: a scenario that does not parse or validate, a file that is
    /// missing or unreadable, a damaged partial result, values a formula cannot take.
    InvalidInput = 3,
    /// An output could not be written: disk full, I/O error, read-only file system, no
    /// permission (EX_IOERR of sysexits.h).
    Io = 74,
    /// Stopped by SIGINT (Ctrl-C), SIGTERM or SIGHUP: exits with 128 + the signal's number.
    Interrupted = 130,
}

impl Exit {
    /// The process's exit status.
    pub fn status(self) -> u8 {
        match self {
            Exit::Interrupted => commands::interrupt::exit_status(),
            other => other as u8,
        }
    }
}

/// Whether an error comes from the operating system refusing a read or write.
fn is_io(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some()
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind().is_some())
    })
}

fn main() -> ExitCode {
    commands::interrupt::install();
    let opts = match Opts::try_parse() {
        Ok(o) => o,
        Err(e) => {
            // A usage error keeps its status even if standard error cannot take the message;
            // help and version text that cannot be written to standard output is an I/O error.
            let code = match e.print() {
                _ if e.use_stderr() => Exit::Usage,
                Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Exit::Io,
                _ => Exit::Success,
            };
            return ExitCode::from(code.status());
        }
    };
    commands::output::set_terminal(opts.color, opts.width);
    let outcome = match opts.command {
        Command::Validate {
            files,
            deny_warnings,
            format,
            quiet,
        } => commands::validate::run(&files, deny_warnings, format, quiet),
        Command::Simulate(args) => commands::simulate::run(&args),
        Command::Merge(args) => commands::merge::run(&args),
        Command::Replay(args) => commands::replay::run(&args),
        Command::Compare(args) => commands::compare::run(&args),
        Command::Report(args) => commands::report::run(&args),
        Command::Size(args) => commands::size::run(&args),
        Command::Plan(args) => commands::plan::run(&args),
        Command::Calibrate(args) => commands::calibrate::run(&args),
        Command::Sweep(args) => commands::sweep::run(&args),
        Command::Erlang { formula } => commands::erlang::run(&formula),
        Command::Schema => commands::schema(),
        Command::Init { path } => commands::init(&path),
        Command::Completions { shell } => commands::completions(shell),
        Command::Man => commands::man(),
    };
    let code = match outcome {
        Ok(code) => code,
        Err(err) if commands::is_broken_pipe(&err) => Exit::Success,
        Err(err) if err.downcast_ref::<error::Stopped>().is_some() => err
            .downcast_ref::<error::Stopped>()
            .map_or(Exit::Failure, |s| s.0),
        Err(err) if err.downcast_ref::<error::UsageError>().is_some() => {
            eprintln!("error: {err}");
            Exit::Usage
        }
        Err(_) if commands::interrupt::received().is_some() => {
            // Whatever failed after a signal failed because of it; the error paths have
            // removed the temporary files.
            let signal = commands::interrupt::received().unwrap_or(2);
            eprintln!(
                "interrupted by {}; no file was replaced or left half-written",
                commands::interrupt::signal_name(signal)
            );
            Exit::Interrupted
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            if is_io(&err) { Exit::Io } else { Exit::Failure }
        }
    };
    commands::budget::report_peak_memory();
    ExitCode::from(code.status())
}
