//! Command-line arguments. These types stay at the edge: the commands turn them into the
//! library's own options before calling it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rapt::units::{Date, Duration, Share};

/// A service-level limit: a share above 0% and at most 100%.
fn limit_share(text: &str) -> Result<f64, String> {
    match Share::parse(text)?.fraction() {
        f if f > 0.0 && f <= 1.0 => Ok(f),
        _ => Err("expected a share above 0% and at most 100%".into()),
    }
}

/// A share from 0% to 100% (0 to 1).
fn unit_share(text: &str) -> Result<f64, String> {
    match Share::parse(text)?.fraction() {
        f if (0.0..=1.0).contains(&f) => Ok(f),
        _ => Err("expected a share between 0 and 1 (0% and 100%)".into()),
    }
}

/// A relative tolerance from 0% to 1000%.
fn tolerance(text: &str) -> Result<f64, String> {
    match Share::parse(text)?.fraction() {
        f if (0.0..=10.0).contains(&f) => Ok(f),
        _ => Err("expected a tolerance from 0% to 1000%".into()),
    }
}

/// A duration, in seconds.
fn seconds(text: &str) -> Result<f64, String> {
    Duration::parse(text).map(Duration::secs)
}

/// rapt — remote-access capacity planner.
///
/// The exit codes, as `rapt --help` shows them (the README has the same table).
pub const EXIT_CODES: &str = "Exit codes:
  0    success: everything ran and every check passed
  1    a check failed (service level breached, replay outside tolerance, plan not feasible
       by the date, validation findings), or a run or output was refused
  2    usage error (the command line is wrong)
  3    invalid input (a scenario that does not parse or validate, a missing or unreadable
       file, a damaged partial result, values a formula cannot take)
  74   an output could not be written (disk full, I/O error, no permission)
  129, 130, 143   stopped by SIGHUP, SIGINT (Ctrl-C), SIGTERM";

/// Describe an administration's staff, VPN concentrators, remote-desktop farms, tokens and
/// devices in a YAML scenario; rapt checks it, simulates rollout and workday load, and tells
/// you what runs out when.
#[derive(Debug, Parser)]
#[command(name = "rapt", version, about, long_about = None, propagate_version = true,
          after_help = EXIT_CODES)]
pub struct Opts {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// When to colour verdicts and findings: auto (on a terminal, unless NO_COLOR is set),
    /// always, never.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "auto",
        value_name = "WHEN"
    )]
    pub color: ColorWhen,
    /// Fit tables and text to this many columns (default: the terminal's width, or COLUMNS;
    /// no limit when standard output is not a terminal).
    #[arg(long, global = true, value_name = "COLUMNS",
          value_parser = clap::value_parser!(u16).range(40..=10_000))]
    pub width: Option<u16>,
}

/// `--color`: when to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless `NO_COLOR` is set (or `TERM=dumb`); `CLICOLOR_FORCE` forces it.
    Auto,
    /// Always, also into pipes.
    Always,
    /// Never.
    Never,
}

/// Output formats for findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FindingsFormat {
    /// Text for people.
    Table,
    /// JSON for machines.
    Json,
}

/// The formats CI systems read a check in (see `rapt::report::ci`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiFormat {
    /// GitHub Actions workflow commands (annotations on the lines that caused them).
    Github,
    /// JUnit XML: a test case per file or figure.
    Junit,
    /// SARIF 2.1.0: a rule per finding kind, a result per finding with its region.
    Sarif,
}

/// Output formats of the commands that check something and write findings: `validate`,
/// `replay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Text for people.
    Table,
    /// JSON for machines.
    Json,
    /// GitHub Actions annotations (`::error file=…,line=…::…`), one per finding.
    Github,
    /// JUnit XML, one test case per file (validate) or figure (replay).
    Junit,
    /// SARIF 2.1.0 (code scanning), one result per finding.
    Sarif,
}

impl CheckFormat {
    /// The CI format, if this is one.
    pub fn ci(self) -> Option<CiFormat> {
        match self {
            CheckFormat::Github => Some(CiFormat::Github),
            CheckFormat::Junit => Some(CiFormat::Junit),
            CheckFormat::Sarif => Some(CiFormat::Sarif),
            CheckFormat::Table | CheckFormat::Json => None,
        }
    }
}

/// Output formats for results of a run that may be judged: `simulate`, `merge`, `plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResultFormat {
    /// Tables for people.
    Table,
    /// CSV (to stdout: the per-day timeline; plan: the order list).
    Csv,
    /// JSON for machines.
    Json,
    /// The check only, as GitHub Actions annotations (simulate: the service level; plan:
    /// feasibility).
    Github,
    /// The check only, as JUnit XML: a test case per service-level target (plan: one).
    Junit,
    /// The check only, as SARIF 2.1.0.
    Sarif,
}

impl ResultFormat {
    /// The CI format, if this is one.
    pub fn ci(self) -> Option<CiFormat> {
        match self {
            ResultFormat::Github => Some(CiFormat::Github),
            ResultFormat::Junit => Some(CiFormat::Junit),
            ResultFormat::Sarif => Some(CiFormat::Sarif),
            ResultFormat::Table | ResultFormat::Csv | ResultFormat::Json => None,
        }
    }
}

/// Output formats of `sweep` (a grid has no check to report to CI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SweepFormat {
    /// A table for people.
    Table,
    /// CSV, one row per point.
    Csv,
    /// JSON for machines.
    Json,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario files: syntax, types and meaning. Exit 0 valid, 1 findings, 2 usage, 3 a
    /// file that cannot be read.
    Validate {
        /// Scenario files (`-` reads standard input).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// Output format (github, junit, sarif: for CI systems).
        #[arg(long, value_enum, default_value = "table")]
        format: CheckFormat,
        /// Print nothing for valid files.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Simulate a scenario: rollout timeline, workday load, saturation.
    Simulate(SimulateArgs),
    /// Simulate and write one self-contained HTML report (inputs, verdict, charts, replay).
    Report(ReportArgs),
    /// Every published figure in the scenario against the simulated one, with the error.
    Replay(ReplayArgs),
    /// Simulate two scenarios and show their key figures side by side, with differences.
    Compare(CompareArgs),
    /// The least capacity (tunnels, hosts, licences, tokens per day, notebook or token stock,
    /// authentication rate) that meets a service level, found by simulation from a closed-form
    /// start.
    Size(SizeArgs),
    /// The order list: the least of every resource (notebooks, tokens, onboarding, tunnels,
    /// hosts, licences, authentication) that reaches the enable target by a date and keeps
    /// the service level, as dated orders with costs, and the runway of today's stock.
    Plan(PlanArgs),
    /// Fit the scenario's uncertain inputs (within their ranges) to its calibration figures,
    /// say how firmly each is pinned down, and replay the holdouts with the fit.
    Calibrate(CalibrateArgs),
    /// Fold the partial results of `simulate --shard K/N` into the output a single run gives,
    /// byte for byte.
    Merge(MergeArgs),
    /// What-if grid: simulate the scenario with fields set to every combination of values;
    /// one CSV row of key figures per point.
    Sweep(SweepArgs),
    /// Teletraffic calculator: Erlang B, Erlang C, Engset, Extended Erlang B.
    Erlang {
        /// Which formula.
        #[command(subcommand)]
        formula: ErlangFormula,
    },
    /// Print the JSON Schema (draft-07) of the scenario language.
    Schema,
    /// Write a commented starter scenario (never overwrites; `-` prints it).
    Init {
        /// Where to write it (`-`: standard output).
        #[arg(default_value = "scenario.yaml", value_name = "PATH")]
        path: PathBuf,
    },
    /// Print a shell completion script: `source <(rapt completions bash)`, or save it where
    /// your shell loads completions from.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `rapt man > rapt.1 && man ./rapt.1`.
    Man,
}

/// Replications, seed and threads: shared by every command that simulates.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Monte Carlo replications (default: the scenario's run.replications).
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub replications: Option<u32>,
    /// Seed of all random streams (default: the scenario's run.seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results are identical for any value.
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// Days the service level is judged on, FROM..TO (either end may be left out: the
    /// horizon's); replaces the scenario's service_level.window (default: the whole horizon).
    #[arg(long, value_name = "FROM..TO", value_parser = rapt::scenario::JudgedWindow::parse)]
    pub window: Option<rapt::scenario::JudgedWindow>,
    /// Memory a run may take, e.g. 8GiB or 500MB, or `unlimited` (default: 80% of the
    /// machine's memory or of the control group's limit). A run estimated above it runs on
    /// fewer threads, or is refused before it starts.
    #[arg(long, value_name = "SIZE", value_parser = MemoryLimit::parse)]
    pub max_memory: Option<MemoryLimit>,
    /// Print the run's estimated work and memory and the verdict against the limit, then
    /// stop without simulating.
    #[arg(long)]
    pub estimate: bool,
}

impl RunArgs {
    /// The library's options for these arguments.
    pub fn options(&self, curve_day: Option<rapt::units::Date>) -> rapt::sim::SimOptions {
        rapt::sim::SimOptions {
            replications: self.replications,
            seed: self.seed,
            threads: self.threads.map(usize::from),
            curve_day,
            window: self.window,
            quantile: None,
            rollout_only: false,
            skip_curve: false,
            reuse: None,
        }
    }
}

/// Arguments of `rapt report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Scenario file (`-` reads standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Where to write the report (`-` for standard output).
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// Overwrite an existing report.
    #[arg(long)]
    pub force: bool,
    /// Replications, seed, threads.
    #[command(flatten)]
    pub run: RunArgs,
    /// Whose workday to chart, YYYY-MM-DD (default: the worst blocking day, else the busiest day).
    #[arg(long, value_name = "DATE", value_parser = Date::parse)]
    pub day: Option<Date>,
    /// Add the order list (`rapt plan`) as a section.
    #[arg(long)]
    pub plan: bool,
    /// With --plan: date by which the enable target must be met (as `rapt plan --by`).
    #[arg(long, value_name = "DATE", value_parser = Date::parse, requires = "plan")]
    pub by: Option<Date>,
    /// With --plan: the enable target by that date (as `rapt plan --target`).
    #[arg(long, value_name = "SHARE|N", value_parser = enable_goal, requires = "plan")]
    pub target: Option<rapt::plan::orders::EnableGoal>,
    /// The N−1 case: lose the biggest unit of this pool at the worst moment of the busiest day
    /// (the start of the interval in which its sessions peak) and show that run, with its
    /// verdict beside the normal one.
    #[arg(long, value_name = "POOL")]
    pub fail_unit: Option<String>,
    /// With --fail-unit: how long the unit stays down (to the day's end at most).
    #[arg(long, value_name = "DURATION", value_parser = Duration::parse, default_value = "1h", requires = "fail_unit")]
    pub outage_duration: Duration,
    /// The report's language: headings, verdict, chart captions, table headers, numbers and
    /// dates (the scenario's own names and notes stay as written).
    #[arg(long, value_enum, default_value = "en")]
    pub lang: ReportLang,
    /// No progress bar and no notes on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `rapt report --lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportLang {
    /// English.
    En,
    /// German (Deutsch).
    De,
}

/// Arguments of `rapt replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Scenario file with `observed` figures.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Exit 1 unless every holdout figure agrees and every input figure is echoed (for CI);
    /// a scenario without a holdout figure fails: nothing in it is evidence.
    #[arg(long)]
    pub check: bool,
    /// Rank the scenario's uncertain inputs by how much each moves each figure (Spearman's rank
    /// correlation over the replications).
    #[arg(long)]
    pub sensitivity: bool,
    /// Relative tolerance for figures that state none, e.g. 15%.
    #[arg(long, default_value = "15%", value_parser = tolerance)]
    pub tolerance: f64,
    /// Replications, seed, threads.
    #[command(flatten)]
    pub run: RunArgs,
    /// Output format (github, junit, sarif: the figures as checks, for CI systems).
    #[arg(long, value_enum, default_value = "table")]
    pub format: CheckFormat,
    /// No progress bar and no warnings on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `rapt compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The baseline scenario.
    #[arg(value_name = "A")]
    pub a: PathBuf,
    /// The scenario compared with it.
    #[arg(value_name = "B")]
    pub b: PathBuf,
    /// Replications, seed, threads (for both; default: each scenario's own).
    #[command(flatten)]
    pub run: RunArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FindingsFormat,
    /// No progress bar and no warnings on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `rapt simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Scenario file (`-` reads standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Replications, seed, threads.
    #[command(flatten)]
    pub run: RunArgs,
    /// Whose workday curve to show, YYYY-MM-DD (default: the worst blocking day, else the busiest day).
    #[arg(long, value_name = "DATE", value_parser = Date::parse)]
    pub day: Option<Date>,
    /// Where the results go and how they look.
    #[command(flatten)]
    pub out: ResultArgs,
    /// The N−1 case: lose the biggest unit of this pool at the worst moment of the busiest day
    /// (the start of the interval in which its sessions peak) and show that run, with its
    /// verdict beside the normal one.
    #[arg(long, value_name = "POOL")]
    pub fail_unit: Option<String>,
    /// With --fail-unit: how long the unit stays down (to the day's end at most).
    #[arg(long, value_name = "DURATION", value_parser = Duration::parse, default_value = "1h", requires = "fail_unit")]
    pub outage_duration: Duration,
    /// Run shard K of N only (K from 1) and write a partial result to -o FILE for `rapt
    /// merge`: the run's work (each replication's rollout and its workdays) is dealt out in
    /// turn, so N processes or machines share it; the merged output is the single run's.
    #[arg(long, value_name = "K/N", value_parser = rapt::sim::shard::Shard::parse,
          conflicts_with_all = ["output_dir", "plot", "fail_unit", "fail_on_breach", "format"])]
    pub shard: Option<rapt::sim::shard::Shard>,
}

/// Where a run's results go and how they look: `rapt simulate`'s and `rapt merge`'s.
#[derive(Debug, Args)]
pub struct ResultArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ResultFormat,
    /// Where to write: `-` for stdout; a directory, existing or written `PATH/` (created),
    /// gets summary.json, timeline.csv and workday.csv; else one file in --format. A new name
    /// without an extension is refused with the table format: write `PATH/`, `PATH.txt` or
    /// choose --format csv|json.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Write summary.json, timeline.csv and workday.csv into this directory, creating it if
    /// its parent exists (--format does not apply).
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    pub output_dir: Option<PathBuf>,
    /// Overwrite existing output files.
    #[arg(long)]
    pub force: bool,
    /// No progress bar and no notes on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Exit 1 when the scenario's service level is breached (for CI gates).
    #[arg(long)]
    pub fail_on_breach: bool,
    /// Also write the charts as standalone SVG files into this directory (timeline.svg,
    /// workday-POOL.svg, blocked.svg, login-delay.svg, bandwidth.svg; POOL with every
    /// character outside A-Z a-z 0-9 . _ - replaced by _).
    #[arg(long, value_name = "DIR")]
    pub plot: Option<PathBuf>,
    /// How CSV files look (delimiter, decimal mark, byte-order mark).
    #[command(flatten)]
    pub csv: CsvArgs,
}

/// How CSV output is laid out, for spreadsheets that expect something else than `,` and `.`.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "CSV for spreadsheets")]
pub struct CsvArgs {
    /// CSV field delimiter: one ASCII character such as `;` or `tab` (default `,`, or `;`
    /// with --decimal-comma).
    #[arg(long, value_name = "CHAR", value_parser = csv_delimiter)]
    pub csv_delimiter: Option<u8>,
    /// Write CSV numbers with a decimal comma (`0,25`); dates and times are unchanged.
    #[arg(long)]
    pub decimal_comma: bool,
    /// Start CSV files with a UTF-8 byte-order mark (Excel then reads umlauts right).
    #[arg(long)]
    pub bom: bool,
    /// CSV as German Excel opens it by double-click: `--csv-delimiter ';' --decimal-comma
    /// --bom`.
    #[arg(long, conflicts_with_all = ["csv_delimiter", "decimal_comma", "bom"])]
    pub excel_de: bool,
}

impl CsvArgs {
    /// The layout these flags ask for.
    pub fn style(&self) -> rapt::report::csv::CsvStyle {
        use rapt::report::csv::CsvStyle;
        if self.excel_de {
            return CsvStyle::EXCEL_DE;
        }
        let default_delimiter = if self.decimal_comma { b';' } else { b',' };
        CsvStyle {
            delimiter: self.csv_delimiter.unwrap_or(default_delimiter),
            decimal_comma: self.decimal_comma,
            bom: self.bom,
        }
    }
}

/// `--csv-delimiter`: one ASCII character that cannot be part of a value's syntax, or `tab`.
fn csv_delimiter(text: &str) -> Result<u8, String> {
    let c = match text {
        "tab" | "\\t" | "\t" => b'\t',
        _ if text.len() == 1 && text.is_ascii() => text.as_bytes()[0],
        _ => return Err("expected one ASCII character, e.g. ';', or `tab`".into()),
    };
    if c.is_ascii_alphanumeric() || matches!(c, b'"' | b'\'' | b'.' | b'-' | b'+' | b'\n' | b'\r') {
        return Err(format!(
            "{:?} appears inside values (numbers, dates, quotes); use ',' ';' '|' or tab",
            c as char
        ));
    }
    Ok(c)
}

/// Arguments of `rapt merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The parts, one per shard, in any order (`rapt simulate FILE --shard K/N -o PART`).
    #[arg(value_name = "PART", required = true)]
    pub parts: Vec<PathBuf>,
    /// Worker threads for the chart day's second pass, when one is needed (default: all
    /// cores). Results are identical for any value.
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// Where the results go and how they look, as for `rapt simulate`.
    #[command(flatten)]
    pub out: ResultArgs,
}

/// Quantiles over replications a service level can be judged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QuantileArg {
    /// The mean over replications.
    Mean,
    /// The median.
    P50,
    /// The 95th percentile.
    P95,
    /// The 99th percentile.
    P99,
}

/// `--target`: a share of the remote-suitable staff (`60%`, `0.6`) or a number of staff
/// (`3600`).
fn enable_goal(text: &str) -> Result<rapt::plan::orders::EnableGoal, String> {
    use rapt::plan::orders::EnableGoal;
    let t = text.trim();
    if !t.contains('%')
        && !t.contains('.')
        && let Ok(n) = t.replace('_', "").parse::<u64>()
    {
        return Ok(EnableGoal::Staff(n));
    }
    match Share::parse(t) {
        Ok(s) if (0.0..=1.0).contains(&s.fraction()) => Ok(EnableGoal::Share(s.fraction())),
        _ => Err(format!(
            "expected a share of the remote-suitable staff (60% or 0.6) or a number of staff (3600); found `{t}`"
        )),
    }
}

/// Arguments of `rapt plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Scenario file (`-` reads standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Date by which the enable target must be met, YYYY-MM-DD (default: the horizon's last
    /// day). The service level is judged from it to the horizon's end unless --window says
    /// otherwise.
    #[arg(long, value_name = "DATE", value_parser = Date::parse)]
    pub by: Option<Date>,
    /// Enable target by that date: a share of the remote-suitable staff (60%) or a number of
    /// staff (3600); replaces the enable target of the policy phase in force on that date.
    #[arg(long, value_name = "SHARE|N", value_parser = enable_goal)]
    pub target: Option<rapt::plan::orders::EnableGoal>,
    /// Write the scenario with the orders applied to PATH (never over the input; an existing
    /// file only with --force).
    #[arg(long, value_name = "PATH")]
    pub emit_scenario: Option<PathBuf>,
    /// Overwrite an existing --emit-scenario file.
    #[arg(long)]
    pub force: bool,
    /// Print every order tried and what it did.
    #[arg(long, short)]
    pub verbose: bool,
    /// Replications, seed, threads, judged window.
    #[command(flatten)]
    pub run: RunArgs,
    /// Output format: table, csv (the order list) or json.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ResultFormat,
    /// How the CSV looks.
    #[command(flatten)]
    pub csv: CsvArgs,
    /// Print no progress.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `rapt calibrate`.
#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// Scenario file with `uncertain` inputs and `calibration` figures.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Write the calibrated scenario (the fitted values set) to PATH.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Overwrite an existing output file.
    #[arg(long)]
    pub force: bool,
    /// Also fit on all calibration figures but one and predict that one, for each in turn.
    #[arg(long)]
    pub leave_one_out: bool,
    /// Relative tolerance for figures that state none, e.g. 15%.
    #[arg(long, default_value = "15%", value_parser = tolerance)]
    pub tolerance: f64,
    /// Replications, seed, threads.
    #[command(flatten)]
    pub run: RunArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FindingsFormat,
    /// No notes on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `rapt size`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("lever").args(["licences", "hosts", "tokens_per_day", "auth_rate", "notebooks", "hardware_tokens"])))]
pub struct SizeArgs {
    /// Scenario file (`-` reads standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Pool to size (tunnels, or hosts of a remote-desktop pool), or whose blocking is judged
    /// when sizing tokens or authentication. May be left out when the scenario has one pool.
    /// Repeat it to size several pools, each on its own targets (one answer per pool).
    #[arg(long, value_name = "NAME")]
    pub pool: Vec<String>,
    /// Size the pool's concurrent licences instead of its sessions.
    #[arg(long)]
    pub licences: bool,
    /// Size the hosts of a remote-desktop pool (the pool must be one).
    #[arg(long)]
    pub hosts: bool,
    /// Size the hardware tokens handed out per working day (needs --by).
    #[arg(long)]
    pub tokens_per_day: bool,
    /// Size the authentication rate in logins per minute (needs --max-login-delay).
    #[arg(long)]
    pub auth_rate: bool,
    /// Size the notebooks in stock on the first day (needs --by; deliveries stay as planned).
    #[arg(long)]
    pub notebooks: bool,
    /// Size the hardware tokens in stock on the first day (needs --by; deliveries stay as
    /// planned).
    #[arg(long)]
    pub hardware_tokens: bool,
    /// Highest acceptable blocking per attempt on every judged day, e.g. 1% (replaces the
    /// scenario's max_blocking; its other targets still hold unless --only-flags).
    #[arg(long, value_name = "SHARE", value_parser = limit_share)]
    pub max_blocking: Option<f64>,
    /// Highest acceptable bandwidth utilisation (demand / throughput) on every judged day,
    /// e.g. 80% (replaces the scenario's max_utilisation).
    #[arg(long, value_name = "SHARE", value_parser = limit_share)]
    pub max_utilisation: Option<f64>,
    /// Longest acceptable login delay on every judged day, e.g. 2min (replaces the scenario's
    /// max_login_delay).
    #[arg(long, value_name = "DURATION", value_parser = seconds)]
    pub max_login_delay: Option<f64>,
    /// Judge only the targets given as flags, ignoring the scenario's service level.
    #[arg(long)]
    pub only_flags: bool,
    /// Date by which the scenario's enablement target must be met, YYYY-MM-DD.
    #[arg(long, value_name = "DATE", value_parser = Date::parse)]
    pub by: Option<Date>,
    /// Quantile over replications the targets are judged on (default: the scenario's, else p95).
    #[arg(long, value_enum)]
    pub quantile: Option<QuantileArg>,
    /// Largest value to try (default: enough for every member of staff at once).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub up_to: Option<u64>,
    /// Replications, seed, threads.
    #[command(flatten)]
    pub run: RunArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FindingsFormat,
    /// No progress lines and no warnings on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `rapt sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file (`-` reads standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// A field and its values: PATH=FROM..TO:STEP, PATH=A,B,C or PATH=VALUE, e.g.
    /// pools.vpn.tunnels=4000..10000:1000 or policy.lockdown.remote_share=40%,60%,80%.
    /// Repeat for a grid of every combination.
    #[arg(long = "set", value_name = "PATH=VALUES", required = true)]
    pub sets: Vec<String>,
    /// Replications, seed, threads.
    #[command(flatten)]
    pub run: RunArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: SweepFormat,
    /// How the CSV looks.
    #[command(flatten)]
    pub csv: CsvArgs,
    /// Write to this file instead of standard output (written whole or not at all).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite an existing output file.
    #[arg(long)]
    pub force: bool,
    /// No progress bar and no warnings on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Options shared by the calculator's formulas.
#[derive(Debug, Args)]
pub struct ErlangCommon {
    /// Servers (tunnels, seats, lines).
    #[arg(long, short = 'N')]
    pub servers: Option<u64>,
    /// Offered traffic in erlang.
    #[arg(long, short = 'A')]
    pub load: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FindingsFormat,
}

/// The calculator's formulas.
#[derive(Debug, Subcommand)]
pub enum ErlangFormula {
    /// Erlang B (blocked calls cleared). Give two of --servers, --load, --blocking; the third is solved.
    B {
        #[command(flatten)]
        common: ErlangCommon,
        /// Target blocking probability, e.g. 0.01 or 1%.
        #[arg(long, value_parser = unit_share)]
        blocking: Option<f64>,
    },
    /// Erlang C (blocked calls wait): probability of waiting, and the mean wait with --holding.
    C {
        #[command(flatten)]
        common: ErlangCommon,
        /// Mean holding time, e.g. 7h30m.
        #[arg(long, value_name = "DURATION", value_parser = seconds)]
        holding: Option<f64>,
    },
    /// Engset (finite sources): call congestion for --sources sources offering --load erlang in
    /// total, or --beta erlang each while idle.
    ///
    /// --load is the total offered traffic A = S·α, α = a source's attempts × mean holding time,
    /// blocked attempts included (a blocked user goes back to idle and tries again). With fewer
    /// servers than sources any A > 0 is possible, also A ≥ S; with at least as many servers as
    /// sources nobody is blocked, so A is carried traffic and must be below S.
    Engset {
        #[command(flatten)]
        common: ErlangCommon,
        /// Number of sources (users).
        #[arg(long, short = 'S')]
        sources: u64,
        /// Offered traffic per idle source β = mean holding time / mean idle time between a
        /// user's attempts (erlang), instead of --load; any β ≥ 0.
        #[arg(long, conflicts_with = "load")]
        beta: Option<f64>,
    },
    /// Extended Erlang B: a share of blocked calls retries.
    ExtendedB {
        #[command(flatten)]
        common: ErlangCommon,
        /// Share of blocked calls that retry, e.g. 0.5 or 50%.
        #[arg(long, value_parser = unit_share)]
        retry: f64,
    },
}

/// The memory a run may take: `--max-memory`, else a share of the machine's memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemoryLimit {
    /// `--max-memory BYTES`.
    Given(u64),
    /// `--max-memory unlimited`.
    Unlimited,
    /// No flag: 80% of the machine's memory (physical memory or the control
    /// group's limit, whichever is lower); none where it cannot be read.
    Machine,
}

impl MemoryLimit {
    /// Parses `--max-memory`: a size such as `8GiB`, `500MB`, `2G`, or `unlimited`.
    pub fn parse(text: &str) -> Result<MemoryLimit, String> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("unlimited") {
            return Ok(MemoryLimit::Unlimited);
        }
        let split = t
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(t.len());
        let (number, unit) = t.split_at(split);
        let value: f64 = number.parse().map_err(|_| {
            format!("expected a size such as 8GiB or 500MB, or `unlimited`; found {text:?}")
        })?;
        let scale: f64 = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 1.0,
            "k" | "kb" => 1e3,
            "m" | "mb" => 1e6,
            "g" | "gb" => 1e9,
            "t" | "tb" => 1e12,
            "kib" => 1024.0,
            "mib" => 1024.0 * 1024.0,
            "gib" => 1024.0 * 1024.0 * 1024.0,
            "tib" => 1024.0f64.powi(4),
            other => {
                return Err(format!(
                    "unknown unit {other:?}; expected B, KB, MB, GB, TB, KiB, MiB, GiB or TiB"
                ));
            }
        };
        let bytes = value * scale;
        if !(bytes >= 1.0 && bytes < 2f64.powi(63)) {
            return Err(format!(
                "expected a size from 1 byte to 8 EiB; found {text:?}"
            ));
        }
        Ok(MemoryLimit::Given(bytes as u64))
    }
}
