//! Safe outputs.
//!
//! - A regular file (new, or existing and replaced with `--force`) is written to a temporary
//!   file `.rapt-XXXXXX.tmp` beside it, flushed to disk, and renamed into place: readers see the
//!   old file or the new one, never part of one. A replaced file keeps its permissions.
//! - A FIFO, a character device (`/dev/null`, a terminal), `-`, `/dev/stdout` and the
//!   `/dev/fd/N` descriptors are written in place as a stream: nothing is created, renamed or
//!   replaced, and no `--force` is needed. Block devices and sockets are refused.
//! - A symbolic link is followed and its target's rules apply (a regular file behind it is
//!   replaced at the target's path, so the link stays a link); a link to nothing or a loop of
//!   links is refused. `--force` never replaces anything but a regular file.
//! - A directory of results (the `simulate` bundle, the `--plot` charts) is written whole into
//!   a fresh directory `.rapt-XXXXXX.tmp` beside the target and swapped in with one rename
//!   (`renameat2(RENAME_EXCHANGE)` on Linux): the directory holds the old set or the new set,
//!   never a mix. It must hold nothing but files of that set.
//! - An input scenario is never an output, however the path is spelt (compared after
//!   resolving links, and by device and inode).
//! - All writes poll the cancel flag ([`super::interrupt`]); the final renames happen together,
//!   after one last look at it, so a signal leaves every output old or every output new.

use rapt::report::printable::Printable;
use std::ffi::OsStr;
use std::fs::{File, Metadata};
use std::io::{self, BufWriter, Write};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::interrupt::{self, Tracked};

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
/// component is created, when the finished set is renamed into place, so a mistyped parent
/// creates nothing).
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

/// Whether `a` and `b` are one file (same device and inode), where that can be told.
#[cfg(unix)]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &Metadata, _: &Metadata) -> bool {
    false
}

/// Refuses a target that is one of the inputs, however spelt: through links, `./`, `..` or
/// another hard link.
fn refuse_input(target: &Path, inputs: &[&Path]) -> Result<()> {
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    let (Some(t), Ok(tm)) = (canon(target), std::fs::metadata(target)) else {
        return Ok(());
    };
    for i in inputs.iter().filter(|i| i.as_os_str() != "-") {
        let same = canon(i).as_ref() == Some(&t)
            || std::fs::metadata(i).is_ok_and(|im| same_file(&im, &tm));
        if same {
            bail!(
                "refusing to overwrite the input scenario {} with results; choose another --output",
                target.display()
            );
        }
    }
    Ok(())
}

/// Paths that name an open descriptor of this process, written in place.
fn is_descriptor(path: &Path) -> bool {
    let s = path.as_os_str().to_string_lossy();
    s.starts_with("/dev/fd/") || s.starts_with("/proc/self/fd/") || s == "/dev/stderr"
}

/// A checked place for one output file; see the module documentation for the rules.
#[derive(Debug)]
pub enum FileTarget {
    /// Standard output (`-`, `/dev/stdout`).
    Stdout,
    /// A FIFO, character device or open descriptor, written in place.
    Stream {
        /// The path as given.
        shown: PathBuf,
        /// Open with `O_APPEND` (a descriptor onto a regular file, as `>>` would leave it).
        append: bool,
    },
    /// A regular file, written to a temporary file beside `path` and renamed onto it.
    Replace {
        /// The path as given, for messages.
        shown: PathBuf,
        /// Where the file is: the path as given, or a link's target.
        path: PathBuf,
        /// The file being replaced, if there is one.
        existing: Option<Metadata>,
    },
}

impl FileTarget {
    /// The path to name in messages (`None` for standard output).
    pub fn shown(&self) -> Option<&Path> {
        match self {
            FileTarget::Stdout => None,
            FileTarget::Stream { shown, .. } | FileTarget::Replace { shown, .. } => Some(shown),
        }
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
        (Some(Component::Normal(n)), None) if n == OsStr::new(name)
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

/// Checks `-o PATH` before any work is done: refuses an input, an existing regular file
/// without `force`, a link to nothing, a loop of links, a block device, a socket, a missing
/// directory; probes that a file can be created beside a regular target. See the module
/// documentation for what each kind of path becomes.
pub fn check_target(target: &Path, inputs: &[&Path], force: bool) -> Result<FileTarget> {
    let shown = target.to_path_buf();
    if target.as_os_str() == "-" || target == Path::new("/dev/stdout") {
        return Ok(FileTarget::Stdout);
    }
    refuse_input(target, inputs)?;
    if is_descriptor(target) {
        let meta = std::fs::metadata(target)
            .with_context(|| format!("cannot write {}", target.display()))?;
        return Ok(FileTarget::Stream {
            shown,
            append: meta.is_file(),
        });
    }
    let (path, meta) = match std::fs::symlink_metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => (target.to_path_buf(), None),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot write {}", target.display()));
        }
        Ok(m) if m.file_type().is_symlink() => match std::fs::metadata(target) {
            Ok(followed) => (std::fs::canonicalize(target)?, Some(followed)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => bail!(
                "{} is a symbolic link to {}, which does not exist; rapt writes through a link \
                 only to an existing file (write to the link's target instead); nothing was written",
                target.display(),
                std::fs::read_link(target)
                    .map(|l| l.display().to_string())
                    .unwrap_or_else(|_| "?".into())
            ),
            Err(e) => bail!(
                "cannot write {}: {e} (a symbolic link that cannot be followed); nothing was written",
                target.display()
            ),
        },
        Ok(m) => (target.to_path_buf(), Some(m)),
    };
    let Some(meta) = meta else {
        probe_directory(&path, &shown)?;
        return Ok(FileTarget::Replace {
            shown,
            path,
            existing: None,
        });
    };
    let kind = meta.file_type();
    if kind.is_file() {
        if !force {
            bail!(
                "{} already exists; pass --force to overwrite it",
                target.display()
            );
        }
        probe_directory(&path, &shown)?;
        return Ok(FileTarget::Replace {
            shown,
            path,
            existing: Some(meta),
        });
    }
    if kind.is_dir() {
        bail!("{} is a directory; name a file in it", target.display());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() || kind.is_char_device() {
            return Ok(FileTarget::Stream {
                shown,
                append: false,
            });
        }
        if kind.is_block_device() {
            bail!(
                "{} is a block device; rapt writes results to files, FIFOs and character devices only",
                target.display()
            );
        }
        if kind.is_socket() {
            bail!(
                "{} is a socket; rapt writes results to files, FIFOs and character devices only",
                target.display()
            );
        }
    }
    bail!(
        "{} is not a regular file; rapt replaces only regular files",
        target.display()
    )
}

/// The directory a file at `path` lives in (`.` for a bare name).
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Checks, before a run, that a file can be created beside `path`: its directory exists and
/// takes a temporary file (which is removed at once).
fn probe_directory(path: &Path, shown: &Path) -> Result<()> {
    let dir = parent_of(path);
    if !dir.is_dir() {
        bail!(
            "cannot write {}: the directory {} does not exist (rapt does not create it); \
             nothing was written",
            shown.display(),
            dir.display()
        );
    }
    let probe = interrupt::track(false, || {
        let f = temp_builder().tempfile_in(&dir)?;
        let p = f.path().to_path_buf();
        Ok((f, p))
    });
    probe.map(drop).with_context(|| {
        format!(
            "cannot create a file in {} for {}; nothing was written",
            dir.display(),
            shown.display()
        )
    })
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

fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".rapt-").suffix(".tmp");
    builder
}

/// Gives a new file or directory the permissions (and, where allowed, the owner) of the one it
/// replaces, or the usual ones for a new one (0666 or 0777 less the umask; a temporary file
/// starts private).
fn adopt(path: &Path, existing: Option<&Metadata>, is_dir: bool) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let mode = match existing {
            Some(m) => m.mode() & 0o7777,
            None => (if is_dir { 0o777 } else { 0o666 }) & !current_umask(),
        };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
        if let Some(m) = existing {
            // Only root may give a file away; anyone else keeps it, as a new file would be.
            let _ = std::os::unix::fs::chown(path, Some(m.uid()), Some(m.gid()));
        }
    }
    #[cfg(not(unix))]
    let _ = (path, existing, is_dir);
    Ok(())
}

/// A writer that stops with [`interrupt::Cancelled`] once a signal has arrived.
pub struct Cancellable<W>(pub W);

impl<W: Write> Write for Cancellable<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        interrupt::check()?;
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// An error that names what could not be written.
#[derive(Debug)]
struct Named {
    what: &'static str,
    source: io::Error,
}

impl std::fmt::Display for Named {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write to {}: {}", self.what, self.source)
    }
}

impl std::error::Error for Named {}

/// Standard output for results: locked, polling the cancel flag, naming itself in errors
/// (which keep their kind, so a closed pipe is still one), and showing control characters from
/// scenario names as `\uXXXX` so they cannot drive a terminal (in JSON strings the same
/// escape JSON uses: the document stays valid and means the same).
pub struct Stdout(Printable<io::StdoutLock<'static>>);

/// How standard output looks on this run: colour and width, decided once from the flags and
/// the environment ([`set_terminal`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Terminal {
    /// Colour for verdicts and findings.
    pub paint: rapt::report::format::Paint,
    /// Columns to fit tables and text into.
    pub width: Option<usize>,
}

static TERMINAL: std::sync::OnceLock<Terminal> = std::sync::OnceLock::new();

/// Decides colour and width for standard output: `--color` (auto: a terminal, `NO_COLOR`
/// unset or empty, `TERM` not `dumb`; `CLICOLOR_FORCE` set and not `0` forces it) and `--width`
/// (else, on a terminal, `COLUMNS` or the terminal's own width).
pub fn set_terminal(color: crate::cli::ColorWhen, width: Option<u16>) {
    use crate::cli::ColorWhen;
    use std::io::IsTerminal;
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    let tty = io::stdout().is_terminal();
    let on = match color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            (std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0"))
                || (tty && !set("NO_COLOR") && std::env::var_os("TERM").is_none_or(|t| t != "dumb"))
        }
    };
    let width = width.map(usize::from).or_else(|| {
        tty.then(|| {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse::<usize>().ok())
                .filter(|c| *c > 0)
                .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
        })
        .flatten()
        // Below 40 columns nothing reads well; wider is kept as asked.
        .map(|w| w.max(40))
    });
    let _ = TERMINAL.set(Terminal {
        paint: rapt::report::format::Paint { on },
        width,
    });
}

/// How tables written to standard output are drawn: box characters on a terminal, within
/// this run's width.
pub fn screen_layout() -> rapt::report::table::Layout {
    use std::io::IsTerminal;
    rapt::report::table::Layout {
        unicode: io::stdout().is_terminal(),
        width: terminal().width,
    }
}

/// The terminal settings of this run ([`set_terminal`]; plain and unlimited if never set).
pub fn terminal() -> Terminal {
    TERMINAL.get().copied().unwrap_or_default()
}

/// Standard output for results (see [`Stdout`]); rapt's own colours pass when colour is on.
pub fn stdout() -> Stdout {
    let out = io::stdout().lock();
    Stdout(if terminal().paint.on {
        Printable::passing_styles(out)
    } else {
        Printable::new(out)
    })
}

impl Stdout {
    fn named(e: io::Error) -> io::Error {
        if e.get_ref().is_some_and(|r| r.is::<interrupt::Cancelled>()) {
            return e;
        }
        io::Error::new(
            e.kind(),
            Named {
                what: "standard output",
                source: e,
            },
        )
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        interrupt::check()?;
        self.0.write(buf).map_err(Stdout::named)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(Stdout::named)
    }
}

/// Fault injection for the tests, honoured only in debug builds: `RAPT_FAULT=ACTION:POINT`,
/// ACTION `fail` (an I/O error) or `pause` (wait up to 30 s for a signal), POINT `file` (after
/// the first output file is complete, before the next), `commit` (before the final renames)
/// or `aside` (swapping a directory without `RENAME_EXCHANGE`: after the old one is moved
/// aside, before the new one is moved in; `RAPT_FAULT` with this point also forces that way).
#[cfg(debug_assertions)]
fn fault(point: &str) -> io::Result<()> {
    use std::sync::atomic::{AtomicBool, Ordering};
    static FIRED: AtomicBool = AtomicBool::new(false);
    let Ok(spec) = std::env::var("RAPT_FAULT") else {
        return Ok(());
    };
    let Some((action, at)) = spec.split_once(':') else {
        return Ok(());
    };
    if at != point || FIRED.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    match action {
        "fail" => Err(io::Error::other(format!(
            "injected fault at {point} (RAPT_FAULT)"
        ))),
        "pause" => {
            let started = std::time::Instant::now();
            while interrupt::check().is_ok()
                && started.elapsed() < std::time::Duration::from_secs(30)
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

#[cfg(not(debug_assertions))]
fn fault(_point: &str) -> io::Result<()> {
    Ok(())
}

/// Whether the test-only fault injection asks for the two-rename directory swap.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn exchange_disabled() -> bool {
    cfg!(debug_assertions) && std::env::var("RAPT_FAULT").is_ok_and(|s| s.ends_with(":aside"))
}

/// Writes `write`'s output into `file` through a buffer, polling the cancel flag, and flushes it
/// to disk.
fn fill(file: &File, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let mut buffered = BufWriter::new(Cancellable(file));
    write(&mut buffered)?;
    buffered.flush()?;
    drop(buffered);
    file.sync_all()?;
    fault("file")
}

/// A finished regular file waiting in its temporary file for [`commit`].
pub struct StagedFile {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
    shown: PathBuf,
    tracked: Tracked,
}

/// Writes a regular file's contents into a temporary file beside it (see [`commit`]).
pub fn stage_file(
    path: &Path,
    shown: &Path,
    existing: Option<&Metadata>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<StagedFile> {
    let dir = parent_of(path);
    let (tmp, tracked) = interrupt::track(false, || {
        let f = temp_builder().tempfile_in(&dir)?;
        let p = f.path().to_path_buf();
        Ok((f, p))
    })
    .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    adopt(tmp.path(), existing, false)
        .and_then(|()| fill(tmp.as_file(), write))
        .with_context(|| format!("cannot write {}", shown.display()))?;
    Ok(StagedFile {
        tmp,
        path: path.to_path_buf(),
        shown: shown.to_path_buf(),
        tracked,
    })
}

/// Writes one output file by its target's rules: standard output and streams in place, a
/// regular file through a temporary file renamed into place.
pub fn write_output(
    target: &FileTarget,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    match target {
        FileTarget::Stdout => {
            let mut out = stdout();
            write(&mut out)?;
            out.flush()?;
        }
        FileTarget::Stream { shown, append } => {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .append(*append)
                .open(shown)
                .with_context(|| format!("cannot open {}", shown.display()))?;
            let mut out = BufWriter::new(Cancellable(&file));
            write(&mut out)
                .and_then(|()| out.flush())
                .with_context(|| format!("cannot write {}", shown.display()))?;
        }
        FileTarget::Replace {
            shown,
            path,
            existing,
        } => {
            let staged = stage_file(path, shown, existing.as_ref(), write)?;
            commit(vec![staged], Vec::new())?;
        }
    }
    Ok(())
}

/// What a results directory holds, and so which entries a new set may replace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetKind {
    /// `summary.json`, `timeline.csv`, `workday.csv`.
    Bundle,
    /// SVG charts.
    Charts,
    /// Both, in one directory.
    BundleAndCharts,
}

/// The files of the `simulate` directory bundle.
pub const BUNDLE_FILES: [&str; 3] = ["summary.json", "timeline.csv", "workday.csv"];

impl SetKind {
    fn owns(self, name: &OsStr) -> bool {
        let name = name.to_string_lossy();
        let bundle = BUNDLE_FILES.contains(&name.as_ref());
        let chart = name.ends_with(".svg") && !name.starts_with('.');
        match self {
            SetKind::Bundle => bundle,
            SetKind::Charts => chart,
            SetKind::BundleAndCharts => bundle || chart,
        }
    }
}

/// Where a directory is or would be once created: its canonical path if it exists, else its
/// parent's canonical path and its name. `None` if neither can be told.
pub fn resolve_directory(dir: &Path) -> Option<PathBuf> {
    let bare: PathBuf = dir.components().collect();
    if let Ok(c) = std::fs::canonicalize(&bare) {
        return Some(c);
    }
    let name = bare.file_name()?;
    let parent = parent_of(&bare);
    Some(std::fs::canonicalize(parent).ok()?.join(name))
}

/// A checked results directory (see [`check_dir_target`]).
#[derive(Debug)]
pub struct DirTarget {
    shown: PathBuf,
    path: PathBuf,
    kind: SetKind,
}

/// The entries of `dir` that a set of `kind` does not own (regular files with its names are
/// owned; anything else, links included, is not), and those it does.
fn entries(dir: &Path, kind: SetKind) -> io::Result<(Vec<String>, Vec<PathBuf>)> {
    let (mut foreign, mut owned) = (Vec::new(), Vec::new());
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let is_file = entry.file_type()?.is_file();
        if is_file && kind.owns(&entry.file_name()) {
            owned.push(entry.path());
        } else {
            foreign.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    foreign.sort();
    owned.sort();
    Ok((foreign, owned))
}

/// Checks a results directory before any work is done. The outer `Err` is a refusal with
/// exit 1 (an existing set without `force`, an input in the way); the inner one a usage error
/// for stderr after `error: ` (see [`check_directory`]; a directory holding other files; the
/// current directory or one above it).
pub fn check_dir_target(
    dir: &Path,
    inputs: &[&Path],
    force: bool,
    kind: SetKind,
) -> Result<std::result::Result<DirTarget, String>> {
    if let Err(message) = check_directory(dir) {
        return Ok(Err(message));
    }
    let Some(path) = resolve_directory(dir) else {
        return Ok(Err(format!(
            "cannot tell where {} is; nothing was written",
            dir.display()
        )));
    };
    if path.parent().is_none() {
        return Ok(Err(format!(
            "{} is the root directory; name a directory for the results",
            dir.display()
        )));
    }
    let target = DirTarget {
        shown: dir.to_path_buf(),
        path,
        kind,
    };
    // The set is written into a temporary directory beside the target: see that one can be
    // made there (and remove it at once).
    let parent = parent_of(&target.path);
    interrupt::track(true, || {
        let d = temp_builder().tempdir_in(&parent)?;
        let p = d.path().to_path_buf();
        Ok((d, p))
    })
    .map(drop)
    .with_context(|| {
        format!(
            "cannot create a directory in {} for {}; nothing was written",
            parent.display(),
            dir.display()
        )
    })?;
    if !target.path.is_dir() {
        return Ok(Ok(target));
    }
    if std::env::current_dir()
        .ok()
        .and_then(|c| std::fs::canonicalize(c).ok())
        .is_some_and(|c| c.starts_with(&target.path))
    {
        return Ok(Err(format!(
            "{} is the current directory or contains it; rapt replaces a results directory as a \
             whole, so name one of its own (e.g. `results/`); nothing was written",
            dir.display()
        )));
    }
    let (foreign, owned) = entries(&target.path, kind)
        .with_context(|| format!("cannot read the directory {}", dir.display()))?;
    if !foreign.is_empty() {
        let shown: Vec<&str> = foreign.iter().take(5).map(String::as_str).collect();
        let more = foreign.len().saturating_sub(5);
        return Ok(Err(format!(
            "{} holds files rapt does not write there ({}{}); rapt replaces the set as a whole \
             directory, so it must hold nothing else: choose a new or empty directory; nothing \
             was written",
            dir.display(),
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        )));
    }
    for file in &owned {
        refuse_input(file, inputs)?;
    }
    if !owned.is_empty() && !force {
        let names: Vec<String> = owned
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        bail!(
            "{} already holds {}; pass --force to replace the set",
            dir.display(),
            names.join(", ")
        );
    }
    Ok(Ok(target))
}

/// A results directory being written: a fresh `.rapt-XXXXXX.tmp` directory beside the target,
/// swapped in by [`commit`].
pub struct StagedDir {
    tmp: tempfile::TempDir,
    target: DirTarget,
    tracked: Tracked,
}

impl StagedDir {
    /// Makes the temporary directory beside the target, with the target's permissions.
    pub fn new(target: DirTarget) -> Result<StagedDir> {
        let parent = parent_of(&target.path);
        let (tmp, tracked) = interrupt::track(true, || {
            let d = temp_builder().tempdir_in(&parent)?;
            let p = d.path().to_path_buf();
            Ok((d, p))
        })
        .with_context(|| {
            format!(
                "cannot create a temporary directory in {}",
                parent.display()
            )
        })?;
        let existing = std::fs::metadata(&target.path).ok();
        adopt(tmp.path(), existing.as_ref(), true)
            .with_context(|| format!("cannot write {}", target.shown.display()))?;
        Ok(StagedDir {
            tmp,
            target,
            tracked,
        })
    }

    /// Writes one file of the set.
    pub fn write(
        &self,
        name: &str,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<()> {
        let context = || format!("cannot write {}", self.target.shown.join(name).display());
        let path = file_in(self.tmp.path(), name)?;
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .with_context(context)?;
        fill(&file, write).with_context(context)
    }
}

/// Moves a finished set into place (under [`interrupt::commit`]'s lock).
fn swap(tmp: tempfile::TempDir, target: &DirTarget) -> io::Result<()> {
    let staged = tmp.path().to_path_buf();
    // The set is complete: flush the directory itself.
    File::open(&staged)?.sync_all()?;
    if !target.path.is_dir() {
        // Replaces nothing, or a directory made empty meanwhile.
        std::fs::rename(&staged, &target.path)?;
        let _ = tmp.keep();
        sync_parent(&target.path);
        return Ok(());
    }
    // Checked before the run; checked again, so that nothing that appeared meanwhile is
    // discarded with the old set.
    let (foreign, _) = entries(&target.path, target.kind)?;
    if !foreign.is_empty() {
        return Err(io::Error::other(format!(
            "{} gained files rapt does not write there during the run ({}); the new results \
             were not moved in",
            target.shown.display(),
            foreign.join(", ")
        )));
    }
    // From here the temporary path is ours to remove, whatever happens.
    let _ = tmp.keep();
    match exchange(&staged, &target.path) {
        Ok(old) => {
            sync_parent(&target.path);
            remove_set(&old, target.kind);
            Ok(())
        }
        Err(e) => {
            remove_set(&staged, target.kind);
            Err(e)
        }
    }
}

/// Flushes the directory holding `path`, so that a rename survives a crash (best effort).
fn sync_parent(path: &Path) {
    if let Ok(d) = File::open(parent_of(path)) {
        let _ = d.sync_all();
    }
}

/// Removes a set's files from `dir`, then `dir` itself; anything else stays, and is named.
fn remove_set(dir: &Path, kind: SetKind) {
    if let Ok((_, owned)) = entries(dir, kind) {
        for f in owned {
            let _ = std::fs::remove_file(f);
        }
    }
    if std::fs::remove_dir(dir).is_err() && dir.exists() {
        eprintln!(
            "warning: {} was left behind: it holds files rapt did not write",
            dir.display()
        );
    }
}

/// Puts `staged` at `target` and returns where the old `target` went: one `renameat2` with
/// `RENAME_EXCHANGE` on Linux (the old set goes to `staged`); where that is not available, two
/// renames (the old directory aside to `staged.old`, the new one in, the old one back if that
/// fails). If an error is returned, `target` is the old directory.
fn exchange(staged: &Path, target: &Path) -> io::Result<PathBuf> {
    #[cfg(target_os = "linux")]
    if !exchange_disabled() {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, staged, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(staged.to_path_buf()),
            // Not supported by this kernel or file system: two renames instead.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(e.into()),
        }
    }
    let mut aside = staged.as_os_str().to_os_string();
    aside.push(".old");
    let aside = PathBuf::from(aside);
    std::fs::rename(target, &aside)?;
    let moved_in = fault("aside").and_then(|()| std::fs::rename(staged, target));
    if let Err(e) = moved_in {
        std::fs::rename(&aside, target)?;
        return Err(e);
    }
    Ok(aside)
}

/// Moves every staged output into place, after one last look at the cancel flag and under the
/// lock a forced exit waits for (see [`interrupt::commit`]): a signal leaves all of them old
/// or all of them new. An I/O error part-way can leave the outputs before it new and those
/// after it old; each file and each directory is still whole.
pub fn commit(files: Vec<StagedFile>, dirs: Vec<StagedDir>) -> Result<()> {
    fault("commit")?;
    // The registrations end after the lock is released (dropping one takes the lock).
    let mut tracked: Vec<Tracked> = Vec::new();
    let mut renames = Vec::new();
    for f in files {
        tracked.push(f.tracked);
        renames.push((f.tmp, f.path, f.shown));
    }
    let mut swaps = Vec::new();
    for d in dirs {
        tracked.push(d.tracked);
        swaps.push((d.tmp, d.target));
    }
    let result = interrupt::commit(|| -> io::Result<std::result::Result<(), anyhow::Error>> {
        for (tmp, path, shown) in renames {
            if let Err(e) = tmp.persist(&path) {
                return Ok(Err(anyhow::Error::new(e.error)
                    .context(format!("cannot write {}", shown.display()))));
            }
            sync_parent(&path);
        }
        for (tmp, target) in swaps {
            if let Err(e) = swap(tmp, &target) {
                return Ok(Err(anyhow::Error::new(e)
                    .context(format!("cannot write {}", target.shown.display()))));
            }
        }
        Ok(Ok(()))
    });
    drop(tracked);
    result??;
    Ok(())
}

/// Writes a new file atomically and never over anything: a temporary file beside it, renamed
/// into place only if the name is still free. `Ok(false)` if the name is taken.
pub fn create_new(path: &Path, contents: &[u8]) -> Result<bool> {
    let dir = parent_of(path);
    let (tmp, tracked) = interrupt::track(false, || {
        let f = temp_builder().tempfile_in(&dir)?;
        let p = f.path().to_path_buf();
        Ok((f, p))
    })
    .with_context(|| format!("cannot create {}", path.display()))?;
    adopt(tmp.path(), None, false)
        .and_then(|()| fill(tmp.as_file(), |w| w.write_all(contents)))
        .with_context(|| format!("cannot write {}", path.display()))?;
    let result = interrupt::commit(|| match tmp.persist_noclobber(path) {
        Ok(_) => Ok(Ok(true)),
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => Ok(Ok(false)),
        Err(e) => Ok(Err(e.error)),
    });
    drop(tracked);
    let created = result
        .and_then(|r| r)
        .with_context(|| format!("cannot write {}", path.display()))?;
    if created {
        sync_parent(path);
    }
    Ok(created)
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
