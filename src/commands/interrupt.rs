//! Signals and temporary files.
//!
//! SIGINT (Ctrl-C), SIGTERM and SIGHUP all stop a run the same way: the first one sets the
//! cancel flag that every long loop and every output write polls, and is remembered so the exit
//! status is 128 + its number (130, 143, 129). The command then unwinds through its error
//! paths, which remove the temporary files and directories it made; finished outputs are
//! renamed into place only after a last look at the flag (see [`commit`]).
//!
//! A run blocked in the operating system (opening a FIFO no one reads, writing to a stalled
//! pipe) cannot poll. So if the process is still running [`GRACE`] after the first signal, or a
//! second signal arrives, the signal thread removes every temporary path still registered here
//! and exits with the same status. Registration and the final renames hold one lock, so that
//! exit happens either before a commit (the old outputs stay, the temporary ones are removed)
//! or after it (the new outputs are complete), never in between.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

/// How long a stopped run may take to wind down by itself before the signal thread ends it.
pub const GRACE: Duration = Duration::from_secs(2);

/// The signal that stopped the run (0: none yet).
static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// The error a write returns once the run has been stopped by a signal.
#[derive(Debug)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted")
    }
}

impl std::error::Error for Cancelled {}

/// `Err` with [`Cancelled`] once a signal has arrived.
pub fn check() -> io::Result<()> {
    if flag().load(Ordering::SeqCst) {
        Err(io::Error::other(Cancelled))
    } else {
        Ok(())
    }
}

/// Set by the first SIGINT, SIGTERM or SIGHUP; every long loop polls it.
pub fn flag() -> &'static Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(|| Arc::new(AtomicBool::new(false)))
}

/// The number of the signal that stopped the run, if one did.
pub fn received() -> Option<i32> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        n => Some(n),
    }
}

/// The exit status for a run stopped by a signal: 128 + its number (130 if none is known).
pub fn exit_status() -> u8 {
    received()
        .and_then(|n| u8::try_from(128 + n).ok())
        .unwrap_or(130)
}

/// The signal's name for messages.
pub fn signal_name(n: i32) -> &'static str {
    match n {
        1 => "SIGHUP",
        2 => "SIGINT",
        15 => "SIGTERM",
        _ => "a signal",
    }
}

/// Records the first signal and raises the flag.
fn record(n: i32) {
    let _ = SIGNAL.compare_exchange(0, n, Ordering::SeqCst, Ordering::SeqCst);
    flag().store(true, Ordering::SeqCst);
}

/// Installs the handlers (once, at start). If they cannot be installed, a signal kills the
/// process as usual: finished outputs are whole either way, since they are renamed into place.
#[cfg(unix)]
pub fn install() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            let mut forever = signals.forever();
            let Some(first) = forever.next() else {
                return;
            };
            record(first);
            let _ = std::thread::Builder::new()
                .name("grace".into())
                .spawn(move || {
                    std::thread::sleep(GRACE);
                    force_exit(first);
                });
            if forever.next().is_some() {
                force_exit(first);
            }
        });
}

/// Installs the Ctrl-C handler (once, at start).
#[cfg(not(unix))]
pub fn install() {
    let _ = ctrlc::set_handler(|| record(2));
}

/// Removes every registered temporary path and exits with 128 + the signal's number. Waits
/// for a commit in progress to finish (it holds the lock) and lets no new temporary path be
/// made afterwards.
#[cfg(unix)]
fn force_exit(signal: i32) -> ! {
    let mut temps = lock();
    temps.closed = true;
    for (_, path, is_dir) in temps.paths.drain(..) {
        remove(&path, is_dir);
    }
    eprintln!(
        "interrupted by {}; temporary files removed",
        signal_name(signal)
    );
    std::process::exit(i32::from(exit_status()))
}

/// Temporary files and directories that exist right now.
#[derive(Default)]
struct Temps {
    /// Set once the process is exiting: no new temporary path may be made.
    closed: bool,
    paths: Vec<(u64, PathBuf, bool)>,
}

fn lock() -> MutexGuard<'static, Temps> {
    static TEMPS: OnceLock<Mutex<Temps>> = OnceLock::new();
    TEMPS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg_attr(not(unix), allow(dead_code))]
fn remove(path: &Path, is_dir: bool) {
    let _ = if is_dir {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
}

/// A registered temporary path; dropping it forgets the registration (not the path: its
/// owner removes or renames it).
#[derive(Debug)]
pub struct Tracked(u64);

impl Drop for Tracked {
    fn drop(&mut self) {
        lock().paths.retain(|(id, _, _)| *id != self.0);
    }
}

/// Makes a temporary file or directory with `make` (which returns it and its path) and
/// registers the path, both under the lock, so that a forced exit removes it. Refused with
/// [`Cancelled`] once a signal has arrived.
pub fn track<T>(
    is_dir: bool,
    make: impl FnOnce() -> io::Result<(T, PathBuf)>,
) -> io::Result<(T, Tracked)> {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let mut temps = lock();
    if temps.closed {
        return Err(io::Error::other(Cancelled));
    }
    check()?;
    let (made, path) = make()?;
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    temps.paths.push((id, path, is_dir));
    Ok((made, Tracked(id)))
}

/// Runs the final renames of finished outputs: under the lock, after a last look at the
/// flag. A signal that arrived before leaves the old outputs (`Err` with [`Cancelled`]); one
/// that arrives during waits until the renames are done.
pub fn commit<R>(renames: impl FnOnce() -> io::Result<R>) -> io::Result<R> {
    let temps = lock();
    if temps.closed {
        return Err(io::Error::other(Cancelled));
    }
    check()?;
    let result = renames();
    drop(temps);
    result
}
