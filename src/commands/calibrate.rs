//! `rapt calibrate FILE`: fit the uncertain inputs to the calibration figures.

use std::io::{IsTerminal, Write};

use anyhow::{Context, Result};

use super::output::{Destination, check_target, write_output};
use super::run::{cancel_flag, load};
use crate::Exit;
use crate::cli::{CalibrateArgs, FindingsFormat};
use crate::error::{stopped, usage};
use rapt::plan::calibrate::{CalibrateError, calibrate};
use rapt::report::calibrate as render;
use rapt::sim::{Model, SimError};

/// Runs `rapt calibrate`.
pub fn run(args: &CalibrateArgs) -> Result<Exit> {
    let target = match args
        .output
        .as_deref()
        .map(|p| Destination::from_arg(Some(p)))
    {
        None => None,
        Some(Destination::File(p)) => Some(check_target(&p, &[args.file.as_path()], args.force)?),
        Some(Destination::Stdout) => {
            return Err(usage("-o -: standard output carries the fit; name a file"));
        }
        Some(Destination::Directory(d)) => {
            return Err(usage(format!(
                "-o {}: name the file, e.g. {}/calibrated.yaml",
                d.display(),
                d.display()
            )));
        }
    };
    let loaded = load(&args.file, args.quiet)?;
    let model = Model::from_scenario(&loaded.scenario);
    let label = args.file.display().to_string();
    let opts = super::budget::Budget::of(&args.run, args.quiet)
        .admit(&label, &model, &args.run.options(None), 1)
        .map_err(stopped)?;
    if !args.quiet && std::io::stderr().is_terminal() {
        eprintln!("calibrating {label} …");
    }
    let answer = match calibrate(
        &loaded.scenario,
        args.tolerance,
        args.leave_one_out,
        &opts,
        cancel_flag(),
    ) {
        Ok(a) => a,
        Err(CalibrateError::Sim(SimError::Interrupted)) => return Ok(Exit::Interrupted),
        Err(CalibrateError::Sim(e)) => return Err(e.into()),
        Err(e @ CalibrateError::NotApplicable(_)) => return Err(usage(e)),
    };
    if let Some(t) = &target {
        let yaml = render::calibrated_yaml(&answer).map_err(anyhow::Error::msg)?;
        write_output(t, |w| w.write_all(yaml.as_bytes()))
            .context("cannot write the calibrated scenario")?;
        if let Some(p) = t.shown()
            && !args.quiet
        {
            eprintln!("wrote {}", p.display());
        }
    }
    let mut out = super::stdout();
    match args.format {
        FindingsFormat::Json => render::write_json(&answer, &mut out)?,
        FindingsFormat::Table => render::write_table(&answer, &mut out)?,
    }
    out.flush()?;
    Ok(Exit::Success)
}
