//! Command-line arguments. These types stay at the edge: `main` turns them into the library's
//! own options before calling it.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// rapt — remote-access capacity planner.
///
/// Describe an administration's staff, VPN concentrators, remote-desktop farms, tokens and
/// devices in a YAML scenario; rapt checks it, simulates rollout and workday load, and tells
/// you what runs out when.
#[derive(Debug, Parser)]
#[command(name = "rapt", version, about, long_about = None, propagate_version = true)]
pub struct Opts {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Output formats for findings and results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people.
    Table,
    /// JSON for machines.
    Json,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario files: syntax, types and meaning. Exit 0 valid, 1 invalid, 2 usage.
    Validate {
        /// Scenario files (`-` reads standard input).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        /// Print nothing for valid files.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Print the JSON Schema (draft-07) of the scenario language.
    Schema,
    /// Write a commented starter scenario (never overwrites).
    Init {
        /// Where to write it.
        #[arg(default_value = "scenario.yaml", value_name = "PATH")]
        path: PathBuf,
    },
}
