//! Safe output files: written to a temporary file beside the target and renamed into place,
//! so an interrupted run never leaves a half-written file; inputs and existing files are
//! never overwritten by accident.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Where results go.
pub enum Destination {
    /// Standard output.
    Stdout,
    /// One file.
    File(PathBuf),
    /// A directory receiving several files.
    Directory(PathBuf),
}

impl Destination {
    /// Interprets `--output`: absent or `-` is stdout; an existing directory, or a path ending
    /// in `/`, is a directory; anything else a file.
    pub fn from_arg(arg: Option<&Path>) -> Destination {
        match arg {
            None => Destination::Stdout,
            Some(p) if p.as_os_str() == "-" => Destination::Stdout,
            Some(p) if p.is_dir() || p.as_os_str().to_string_lossy().ends_with('/') => {
                Destination::Directory(p.to_path_buf())
            }
            Some(p) => Destination::File(p.to_path_buf()),
        }
    }
}

/// Refuses targets that would destroy an input or an existing file (without `force`).
pub fn check_target(target: &Path, inputs: &[&Path], force: bool) -> Result<()> {
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    if let Some(t) = canon(target) {
        for i in inputs {
            if canon(i).as_ref() == Some(&t) {
                bail!(
                    "refusing to overwrite the input scenario {} with results; choose another --output",
                    target.display()
                );
            }
        }
        if !force {
            bail!(
                "{} already exists; pass --force to overwrite it",
                target.display()
            );
        }
    }
    Ok(())
}

/// Writes a file atomically: a temporary file in the same directory, renamed into place.
pub fn write_atomic(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".rapt-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    {
        let mut buffered = std::io::BufWriter::new(tmp.as_file_mut());
        write(&mut buffered).with_context(|| format!("cannot write {}", target.display()))?;
        buffered
            .flush()
            .with_context(|| format!("cannot write {}", target.display()))?;
    }
    tmp.persist(target)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", target.display()))?;
    Ok(())
}
