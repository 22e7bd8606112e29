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

/// The process umask, read from /proc on Linux (reading it elsewhere would mean setting it);
/// 022 where it cannot be read.
#[cfg(unix)]
fn current_umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        .unwrap_or(0o022)
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
    // A temporary file is private (0600); results are ordinary files (0644 less the umask).
    #[cfg(unix)]
    let permissions = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::Permissions::from_mode(0o666 & !current_umask())
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".rapt-").suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(permissions);
    let mut tmp = builder
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
