//! How a command stops early. Commands return `anyhow::Result<Exit>`; an early stop is an error
//! of one of these types, and `main` maps every error to its exit code in one place.

use crate::Exit;

/// The command line asked for something impossible: `main` prints `error: MESSAGE` and exits
/// with [`Exit::Usage`].
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The command stopped with this exit code and has already said why (findings, a refused run,
/// an interruption): `main` prints nothing more.
#[derive(Debug, thiserror::Error)]
#[error("stopped with exit status {}", .0.status())]
pub struct Stopped(pub Exit);

/// A usage error as an `anyhow::Error`.
pub fn usage(message: impl std::fmt::Display) -> anyhow::Error {
    UsageError(message.to_string()).into()
}

/// An early stop as an `anyhow::Error`.
pub fn stopped(code: Exit) -> anyhow::Error {
    Stopped(code).into()
}
