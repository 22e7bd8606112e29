//! Safe output files: written to a temporary file beside the target and renamed into place,
//! so an interrupted run never leaves a half-written file; inputs and existing files are
//! never overwritten by accident.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

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

/// Interprets `simulate`'s `-o PATH` and `--output-dir DIR` (at most one is given).
///
/// `--output-dir DIR`, an existing directory or a path ending in `/` is the directory bundle;
/// absent or `-` is stdout; an existing file is that file. A path that does not exist is a file
/// when it has an extension (`out.txt`, `run.csv`) or a format other than `table` is chosen;
/// otherwise (`-o results` with the default table format) it is refused, because the user
/// more likely means a new directory than tables in an extensionless file. The error message
/// is meant for stderr after `error: `.
pub fn simulate_destination(
    output: Option<&Path>,
    output_dir: Option<&Path>,
    table: bool,
) -> std::result::Result<Destination, String> {
    if let Some(d) = output_dir {
        return Ok(Destination::Directory(d.to_path_buf()));
    }
    let destination = Destination::from_arg(output);
    match &destination {
        Destination::File(p) if table && !p.exists() && p.extension().is_none() => {
            let name = p.display();
            Err(format!(
                "-o {name}: there is no file or directory of that name and it has no extension, \
                 so it is unclear whether you mean a directory or a file; nothing was written. \
                 For the directory bundle (summary.json, timeline.csv, workday.csv) use \
                 `-o {name}/` or `--output-dir {name}`; for the tables in one file give the name \
                 an extension, e.g. `-o {name}.txt`; for one CSV or JSON file under this name add \
                 `--format csv` or `--format json`"
            ))
        }
        _ => Ok(destination),
    }
}

/// Checks that `dir` is a directory or can be created as one: it must not be an existing
/// file, and if it does not exist its parent must be an existing directory (only the last
/// component is created, by [`create_directory`], so a mistyped parent creates nothing).
pub fn check_directory(dir: &Path) -> std::result::Result<(), String> {
    if dir.is_dir() {
        return Ok(());
    }
    // Without a trailing `/`, so that an existing file `x` is found for `x/`.
    let bare: PathBuf = dir.components().collect();
    if bare.exists() {
        return Err(format!(
            "{} exists and is not a directory; nothing was written",
            bare.display()
        ));
    }
    let parent = match bare.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if parent.is_dir() {
        Ok(())
    } else {
        Err(format!(
            "cannot create the directory {}: its parent {} does not exist (rapt creates only the \
             last part of the path; create the parent first, e.g. `mkdir -p {}`); nothing was \
             written",
            dir.display(),
            parent.display(),
            parent.display()
        ))
    }
}

/// Creates `dir` (only its last component, see [`check_directory`]) unless it is a directory.
pub fn create_directory(dir: &Path) -> Result<()> {
    match std::fs::create_dir(dir) {
        Err(e) if !(e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir()) => {
            Err(e).with_context(|| format!("cannot create the directory {}", dir.display()))
        }
        _ => Ok(()),
    }
}

/// `dir/name` for a file name derived from a run (e.g. a chart's), checked to be one plain
/// file name directly inside `dir`: no separator, no `.` or `..`, no root or prefix. Names
/// are made safe where they are derived ([`rapt::report::naming`]); this is the second line
/// of defence, so nothing is ever written outside the directory the user named.
pub fn file_in(dir: &Path, name: &str) -> Result<PathBuf> {
    let mut parts = Path::new(name).components();
    let plain = matches!(
        (parts.next(), parts.next()),
        (Some(Component::Normal(n)), None) if n == std::ffi::OsStr::new(name)
    );
    let path = dir.join(name);
    if !plain || name.contains(['/', '\\']) || path.parent() != Some(dir) {
        bail!(
            "refusing to write `{}`: not a plain file name inside {}",
            name.escape_debug(),
            dir.display()
        );
    }
    Ok(path)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names_stay_directly_in_the_directory() {
        let dir = Path::new("plots");
        assert_eq!(
            file_in(dir, "workday-vpn.svg").unwrap(),
            Path::new("plots/workday-vpn.svg")
        );
        assert_eq!(
            file_in(Path::new("a/b/"), "x.svg").unwrap(),
            Path::new("a/b/x.svg")
        );
        for bad in [
            "workday-x/../../pwned.svg",
            "../x.svg",
            "..",
            ".",
            "",
            "/etc/passwd",
            "a/",
            "a\\b.svg",
            "./x.svg",
        ] {
            assert!(file_in(dir, bad).is_err(), "{bad:?} was accepted");
        }
    }
}
