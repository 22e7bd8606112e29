//! Where `rapt simulate`'s results go: targets checked before the run, written after it.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Result;

use super::output::{
    Destination, FileTarget, SetKind, StagedDir, check_dir_target, check_target, commit,
    resolve_directory, simulate_destination, stage_file, write_output,
};
use crate::Exit;
use crate::cli::{ResultArgs, ResultFormat};
use crate::error::usage;
use rapt::report::csv::{TimelineCsv, WorkdayCsv};
use rapt::report::json::Json;
use rapt::report::table::Tables;
use rapt::report::{Exporter, ReportInput};

/// Where `simulate`'s results go, checked before the run: one file or stream, a directory
/// set (`summary.json`, `timeline.csv`, `workday.csv`), charts (`--plot`), or the set and the
/// charts in one directory.
pub struct Targets {
    destination: Destination,
    file: Option<FileTarget>,
    bundle: Option<super::output::DirTarget>,
    plot: Option<super::output::DirTarget>,
    shared: bool,
}

/// Checks every output of a run before anything runs.
pub fn targets(args: &ResultArgs, inputs: &[&Path]) -> Result<Targets> {
    // Refuse a bad target before spending time on the run.
    let destination = match simulate_destination(
        args.output.as_deref(),
        args.output_dir.as_deref(),
        args.format == ResultFormat::Table,
    ) {
        Ok(d) => d,
        Err(message) => {
            return Err(usage(message));
        }
    };
    if let Some(dir) = &args.plot
        && dir.exists()
        && !dir.is_dir()
    {
        return Err(usage(format!("--plot {}: not a directory", dir.display())));
    }
    // The bundle and the charts may share one directory, written as one set; one directory
    // inside the other would be replaced with it, so that is refused.
    let bundle_dir = match &destination {
        Destination::Directory(d) => Some(d.as_path()),
        _ => None,
    };
    let shared = match (
        bundle_dir.and_then(resolve_directory),
        args.plot.as_deref().and_then(resolve_directory),
    ) {
        (Some(b), Some(p)) if b == p => true,
        (Some(b), Some(p)) if b.starts_with(&p) || p.starts_with(&b) => {
            return Err(usage(format!(
                "--plot {} and the output directory {} lie one inside the other; each is \
                 replaced as a whole, so use the same directory for both or two apart",
                args.plot.as_deref().unwrap_or(Path::new("")).display(),
                bundle_dir.unwrap_or(Path::new("")).display()
            )));
        }
        _ => false,
    };
    let mut file_target = None;
    let mut bundle_target = None;
    match &destination {
        Destination::File(p) => file_target = Some(check_target(p, inputs, args.force)?),
        Destination::Directory(d) => {
            let kind = if shared {
                SetKind::BundleAndCharts
            } else {
                SetKind::Bundle
            };
            match check_dir_target(d, inputs, args.force, kind)? {
                Ok(t) => bundle_target = Some(t),
                Err(message) => {
                    return Err(usage(message));
                }
            }
        }
        Destination::Stdout => file_target = Some(FileTarget::Stdout),
    }
    let plot = match args.plot.as_deref() {
        Some(dir) if !shared => match check_dir_target(dir, inputs, args.force, SetKind::Charts)? {
            Ok(t) => Some(t),
            Err(message) => {
                return Err(usage(format!("--plot: {message}")));
            }
        },
        _ => None,
    };
    Ok(Targets {
        destination,
        file: file_target,
        bundle: bundle_target,
        plot,
        shared,
    })
}

impl Targets {
    /// Whether any output shows the load curve: the table's and JSON's workday section, the
    /// set's `workday.csv`, the charts. The timeline CSV alone shows none.
    pub fn need_curve(&self, format: ResultFormat) -> bool {
        matches!(format, ResultFormat::Table | ResultFormat::Json)
            || self.bundle.is_some()
            || self.plot.is_some()
    }
}

/// The run's service-level check for a CI system (see [`rapt::report::ci::from_verdict`]).
struct CiExport<'a> {
    source: &'a rapt::scenario::SourceMap,
    format: crate::cli::CiFormat,
}

impl Exporter for CiExport<'_> {
    fn write(&self, input: &ReportInput<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let report = rapt::report::ci::from_verdict(self.source, input.verdict);
        super::write_ci(&report, self.format, "rapt simulate", out)
    }
}

/// Writes the results to their targets: streams now, files and directories staged and moved
/// into place together.
pub fn write(
    args: &ResultArgs,
    targets: Targets,
    input: &ReportInput<'_>,
    scenario: &rapt::scenario::LoadedScenario,
) -> Result<()> {
    let service_level = scenario.scenario.service_level.as_ref();
    let Targets {
        destination,
        file: file_target,
        bundle: bundle_target,
        plot: plot_target,
        shared,
    } = targets;
    let result = input.result;
    let charts = args
        .plot
        .as_ref()
        .map(|_| rapt::report::svg::all(result, service_level));
    // File names come from the charts' ids, which hold pool names: made safe and unique, and
    // each checked to be a plain name directly in the staged directory.
    let write_charts = |dir: &StagedDir, charts: &[rapt::report::svg::Figure]| -> Result<()> {
        for (c, name) in charts.iter().zip(rapt::report::svg::file_names(charts)) {
            let svg = c.render();
            dir.write(&name, |w| {
                w.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
                w.write_all(svg.as_bytes())?;
                w.write_all(b"\n")
            })?;
        }
        Ok(())
    };
    let terminal = std::io::stdout().is_terminal();
    let exporter: Box<dyn Exporter> = match args.format {
        ResultFormat::Table => {
            // Colour and width only for standard output, never into a file.
            let screen = matches!(file_target, Some(FileTarget::Stdout));
            let settings = super::output::terminal();
            Box::new(Tables {
                unicode: terminal,
                sparkline: terminal,
                paint: if screen {
                    settings.paint
                } else {
                    Default::default()
                },
                width: if screen { settings.width } else { None },
            })
        }
        ResultFormat::Csv => Box::new(TimelineCsv(args.csv.style())),
        ResultFormat::Json => Box::new(Json),
        ResultFormat::Github | ResultFormat::Junit | ResultFormat::Sarif => Box::new(CiExport {
            source: &scenario.source,
            format: args.format.ci().expect("a CI format"),
        }),
    };
    // Streams are written now; files and directories are staged and moved into place
    // together at the end.
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    let wrote_file = file_target
        .as_ref()
        .and_then(FileTarget::shown)
        .map(Path::to_path_buf);
    match file_target {
        Some(FileTarget::Replace {
            shown,
            path,
            existing,
        }) => files.push(stage_file(&path, &shown, existing.as_ref(), |w| {
            exporter.write(input, w)
        })?),
        Some(stream) => write_output(&stream, |w| exporter.write(input, w))?,
        None => {}
    }
    if let Some(target) = bundle_target {
        let staged = StagedDir::new(target)?;
        staged.write("summary.json", |w| Json.write(input, w))?;
        let style = args.csv.style();
        staged.write("timeline.csv", |w| TimelineCsv(style).write(input, w))?;
        staged.write("workday.csv", |w| WorkdayCsv(style).write(input, w))?;
        if shared && let Some(charts) = &charts {
            write_charts(&staged, charts)?;
        }
        dirs.push(staged);
    }
    if let (Some(target), Some(charts)) = (plot_target, &charts) {
        let staged = StagedDir::new(target)?;
        write_charts(&staged, charts)?;
        dirs.push(staged);
    }
    commit(files, dirs)?;
    if !args.quiet {
        if let Some(p) = &wrote_file {
            eprintln!("wrote {}", p.display());
        }
        if let Destination::Directory(d) = &destination {
            eprintln!(
                "wrote summary.json, timeline.csv and workday.csv to {}",
                d.display()
            );
        }
        if let (Some(dir), Some(charts)) = (&args.plot, &charts) {
            eprintln!("wrote {} charts to {}", charts.len(), dir.display());
        }
    }
    Ok(())
}

/// Writes a finished run to its targets ([`write`]) and gives the exit status: with
/// `--fail-on-breach`, 1 when the service level is breached or cannot be judged.
pub fn write_judged(
    args: &ResultArgs,
    targets: Targets,
    input: &ReportInput<'_>,
    scenario: &rapt::scenario::LoadedScenario,
) -> Result<Exit> {
    write(args, targets, input, scenario)?;
    Ok(breach_exit(args.fail_on_breach, input.verdict, args.quiet))
}

/// The exit status of `--fail-on-breach`: 1 when the service level is breached or cannot be
/// judged, else 0.
fn breach_exit(
    fail_on_breach: bool,
    verdict: Option<&rapt::plan::service::Verdict>,
    quiet: bool,
) -> Exit {
    if !fail_on_breach {
        return Exit::Success;
    }
    match verdict {
        Some(v) if !v.met => {
            if !quiet {
                eprintln!(
                    "service level {}",
                    if v.judged() {
                        "breached"
                    } else {
                        "not judged: no day in the window"
                    }
                );
            }
            Exit::Failure
        }
        None => {
            eprintln!("error: --fail-on-breach needs a service_level in the scenario");
            Exit::Failure
        }
        _ => Exit::Success,
    }
}
