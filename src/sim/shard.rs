//! Runs split over processes or machines. A run's work is a sequence of items — for each
//! replication in turn, its rollout, then each of its chains of workdays ([`Chain`]) — and
//! shard `K` of `N` runs the items whose number is `K` modulo `N` (counted from 0), so one
//! replication's workdays spread over every shard as evenly as over threads. A shard writes
//! what each of its items produced, in item order, as a partial result; [`merge`] reads every
//! part back in item order and folds the replications exactly as a single run folds them, so
//! the merged result equals the single run's to the last bit, quantiles included.
//!
//! The partial result is a binary file: a magic line, then length-prefixed
//! [postcard](https://docs.rs/postcard) records (a [`PartHeader`], the items' records, an end
//! record counting them). It is meant for the same rapt version to merge, not for archiving:
//! a part records the version that wrote it and [`merge`]'s callers refuse any other.

use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::aggregate::{Aggregator, RepDays};
use super::model::Model;
use super::results::SimResult;
use super::rollout::Constraint;
use super::runner::{
    Chain, ChainDays, Reuse, SimError, SimOptions, blank_day, check_days, finish, place, prepare,
    rollout_part, run_chain, simulated_days,
};
use super::workday::{CurveRecord, DayOutcome};

/// Most shards a run may be split into.
pub const MAX_SHARDS: u32 = 100_000;

/// Shard `index` (from 0) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    index: u32,
    count: u32,
}

impl Shard {
    /// Shard `number` (from 1, as users count) of `count`.
    pub fn new(number: u32, count: u32) -> Result<Shard, String> {
        if count == 0 || count > MAX_SHARDS {
            return Err(format!(
                "the number of shards must be 1 to {MAX_SHARDS}, not {count}"
            ));
        }
        if number == 0 || number > count {
            return Err(format!(
                "shard {number} of {count}: shards are numbered 1 to {count}"
            ));
        }
        Ok(Shard {
            index: number - 1,
            count,
        })
    }

    /// Parses `K/N`, e.g. `3/8` (shard 3 of 8, counted from 1).
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (k, n) = text
            .split_once('/')
            .ok_or_else(|| format!("{text:?}: expected K/N, e.g. 1/4 (shard 1 of 4)"))?;
        let num = |s: &str, what: &str| {
            s.trim()
                .parse::<u32>()
                .map_err(|_| format!("{text:?}: {what} {s:?} is not a whole number"))
        };
        Shard::new(num(k, "shard")?, num(n, "count")?)
    }

    /// The shard's number, from 1.
    pub fn number(self) -> u32 {
        self.index + 1
    }

    /// How many shards the run is split into.
    pub fn count(self) -> u32 {
        self.count
    }

    fn owns(self, item: u64) -> bool {
        item % u64::from(self.count) == u64::from(self.index)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.number(), self.count)
    }
}

/// What a part says about the run it belongs to; every part of one run carries the same
/// header but for `shard`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartHeader {
    /// The rapt version that wrote it.
    pub rapt_version: String,
    /// The scenario file's name as given, for messages.
    pub scenario_name: String,
    /// The scenario's text, byte for byte: the merge compiles the model from it.
    pub scenario_text: String,
    /// Replications of the whole run.
    pub replications: u32,
    /// Seed of the whole run.
    pub seed: u64,
    /// The chart day asked for (`--day`), as YYYY-MM-DD.
    pub curve_day: Option<String>,
    /// The judged window asked for (`--window`), each end as YYYY-MM-DD.
    pub window: Option<(Option<String>, Option<String>)>,
    /// Which shard this part is.
    pub shard: Shard,
    /// Items of the whole run (replications × (1 + chains)); a check that every part split
    /// the same work.
    pub items: u64,
}

/// One item's output.
#[derive(Serialize, Deserialize)]
enum Record {
    /// A replication's rollout.
    Rollout {
        rep: u64,
        enabled: Vec<Vec<u64>>,
        demand: Vec<u64>,
        remote: Vec<Vec<u64>>,
        bottleneck: Vec<Option<Constraint>>,
        first_bind: [Option<usize>; 8],
        target_met: Vec<bool>,
    },
    /// One chain of a replication's workdays.
    Chain {
        rep: u64,
        chain: u32,
        days: Vec<DayOutcome>,
        curve: Option<CurveRecord>,
    },
    /// The part's end: how many item records it holds.
    End { records: u64 },
}

const MAGIC: &[u8] = b"rapt partial result\n";
/// Largest record accepted when reading (a replication's rollout of a very long horizon
/// stays far below it); anything larger is a damaged file, not a reason to allocate.
const MAX_RECORD_BYTES: u32 = 1 << 30;

/// Why a part could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum PartError {
    /// Reading or writing failed.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// Not a partial result of rapt.
    #[error("not a rapt partial result (written by `rapt simulate --shard K/N -o FILE`)")]
    NotAPart,
    /// A record could not be decoded: the file is damaged or cut short.
    #[error("damaged or cut short: {0}")]
    Damaged(String),
    /// Part `shard` (from 1) of a merge could not be read as the run needs it.
    #[error("shard {shard}: {message}")]
    InPart {
        /// The part's shard number, from 1.
        shard: u32,
        /// What is wrong.
        message: String,
    },
    /// A stationary scenario cannot be split.
    #[error(
        "a stationary scenario runs in one process (it takes milliseconds); shards apply to \
         scenarios with workdays"
    )]
    Stationary,
    /// The simulation failed.
    #[error(transparent)]
    Sim(#[from] SimError),
}

fn write_frame(w: &mut dyn Write, value: &impl Serialize) -> Result<(), PartError> {
    let bytes =
        postcard::to_stdvec(value).map_err(|e| PartError::Damaged(format!("encoding: {e}")))?;
    let len = u32::try_from(bytes.len())
        .ok()
        .filter(|&l| l <= MAX_RECORD_BYTES)
        .ok_or_else(|| {
            PartError::Damaged(format!("a record of {} bytes is too large", bytes.len()))
        })?;
    w.write_all(&len.to_le_bytes())?;
    w.write_all(&bytes)?;
    Ok(())
}

fn read_frame<T: for<'de> Deserialize<'de>>(r: &mut dyn Read, what: &str) -> Result<T, PartError> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => PartError::Damaged(format!("it ends before {what}")),
        _ => PartError::Io(e),
    })?;
    let len = u32::from_le_bytes(len);
    if len > MAX_RECORD_BYTES {
        return Err(PartError::Damaged(format!(
            "{what} claims {len} bytes, more than a record can be"
        )));
    }
    let mut bytes = Vec::new();
    r.take(u64::from(len)).read_to_end(&mut bytes)?;
    if bytes.len() != len as usize {
        return Err(PartError::Damaged(format!("it ends inside {what}")));
    }
    postcard::from_bytes(&bytes).map_err(|e| PartError::Damaged(format!("{what}: {e}")))
}

fn in_part(k: usize, e: PartError) -> PartError {
    match e {
        PartError::Damaged(_) | PartError::Io(_) => PartError::InPart {
            shard: k as u32 + 1,
            message: e.to_string(),
        },
        other => other,
    }
}

/// A record that is not the one the run needs next in part `k`: the parts come from
/// different runs.
fn out_of_place(k: usize, expected: &str) -> PartError {
    in_part(
        k,
        PartError::Damaged(format!(
            "expected {expected}; the parts do not belong together"
        )),
    )
}

/// Reads a part's header; the reader is then positioned at its first record.
pub fn read_header(r: &mut dyn Read) -> Result<PartHeader, PartError> {
    let mut magic = vec![0u8; MAGIC.len()];
    match r.read_exact(&mut magic) {
        Ok(()) if magic == MAGIC => {}
        Ok(()) => return Err(PartError::NotAPart),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Err(PartError::NotAPart),
        Err(e) => return Err(e.into()),
    }
    read_frame(r, "the header")
}

/// The items of a run: for each replication, its rollout and then its chains.
fn items_per_replication(chains: &[Chain]) -> u64 {
    1 + chains.len() as u64
}

/// Runs shard `header.shard` of the run `opts` describes and writes its part to `w`: the
/// header, then each owned item's record in item order. `progress` is called once per
/// replication of which the shard ran anything. The chart day's curve is recorded whenever
/// it is known before the run (whether the merged output shows a curve is the merge's
/// choice).
pub fn simulate_part(
    model: &Model,
    opts: &SimOptions,
    header: &PartHeader,
    w: &mut dyn Write,
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<(), PartError> {
    if model.stationary.is_some() {
        return Err(PartError::Stationary);
    }
    let opts = SimOptions {
        skip_curve: false,
        ..opts.clone()
    };
    let prep = prepare(model, &opts, cancel)?;
    let per_rep = items_per_replication(&prep.chains);
    let shard = header.shard;
    let mut header = header.clone();
    header.items = u64::from(prep.reps) * per_rep;
    header.replications = prep.reps;
    header.seed = prep.seed;
    w.write_all(MAGIC)?;
    write_frame(w, &header)?;
    let seed = prep.seed;
    let mut records = 0u64;
    // Replications whose items this shard owns, a batch at a time (as a single run batches).
    let mine: Vec<u64> = (0..u64::from(prep.reps))
        .filter(|&r| (0..per_rep).any(|i| shard.owns(r * per_rep + i)))
        .collect();
    let batch_len = super::runner::batch_size(prep.pool.threads());
    for batch in mine.chunks(batch_len) {
        let (outs, chains) = prep.pool.install(|| {
            let outs: Vec<RepDays> = batch
                .par_iter()
                .map(|&r| rollout_part(model, seed, r, prep.only_day, false, cancel))
                .collect::<Result<_, _>>()?;
            let items: Vec<(usize, u64, usize)> = batch
                .iter()
                .enumerate()
                .flat_map(|(i, &r)| {
                    (0..prep.chains.len())
                        .filter(move |&c| shard.owns(r * per_rep + 1 + c as u64))
                        .map(move |c| (i, r, c))
                })
                .collect();
            let chains: Vec<Result<ChainDays, SimError>> = items
                .par_iter()
                .map(|&(i, r, c)| {
                    let o = &outs[i];
                    let m = o.variant.as_ref().map_or(model, |v| &v.0);
                    run_chain(
                        m,
                        seed,
                        r,
                        prep.chains[c],
                        prep.only_day,
                        &o.remote,
                        prep.record_day,
                        Reuse::None,
                        cancel,
                    )
                })
                .collect();
            let chains = items
                .into_iter()
                .zip(chains)
                .map(|((i, _, c), d)| d.map(|d| (i, c, d)))
                .collect::<Result<Vec<_>, SimError>>()?;
            Ok::<_, SimError>((outs, chains))
        })?;
        let mut chains = chains.into_iter().peekable();
        for (i, (&rep, out)) in batch.iter().zip(outs).enumerate() {
            if shard.owns(rep * per_rep) {
                write_frame(
                    w,
                    &Record::Rollout {
                        rep,
                        enabled: out.enabled,
                        demand: out.demand,
                        remote: out.remote,
                        bottleneck: out.bottleneck,
                        first_bind: out.first_bind,
                        target_met: out.target_met,
                    },
                )?;
                records += 1;
            }
            while let Some((_, c, d)) = chains.next_if(|(j, _, _)| *j == i) {
                write_frame(
                    w,
                    &Record::Chain {
                        rep,
                        chain: c as u32,
                        days: d.days,
                        curve: d.curve,
                    },
                )?;
                records += 1;
            }
            progress();
        }
    }
    write_frame(w, &Record::End { records })?;
    w.flush()?;
    Ok(())
}

/// Folds the parts of one run (each positioned after its header, in shard order, every
/// shard present once) into the run's result; `items` is the headers' count of items. `opts` must be the options the shards ran
/// with but for `threads` and `skip_curve`, which are the merge's own: the chart day's curve,
/// when it was not known before the run, is drawn here by a second pass over that one day,
/// as a single run does.
pub fn merge(
    model: &Model,
    opts: &SimOptions,
    items: u64,
    parts: &mut [&mut dyn Read],
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<SimResult, PartError> {
    if model.stationary.is_some() {
        return Err(PartError::Stationary);
    }
    let prep = prepare(model, opts, cancel)?;
    let per_rep = items_per_replication(&prep.chains);
    if parts.is_empty() || u64::from(prep.reps) * per_rep != items {
        return Err(PartError::Damaged(format!(
            "the parts split {items} items of work, but this run has {}",
            u64::from(prep.reps) * per_rep
        )));
    }
    let n = parts.len() as u64;
    let mut agg = Aggregator::new(model, prep.reps, prep.only_day, prep.record_day);
    let mut counts = vec![0u64; parts.len()];
    let mut item = 0u64;
    for rep in 0..u64::from(prep.reps) {
        if cancel.load(Ordering::Relaxed) {
            return Err(SimError::Interrupted.into());
        }
        // The next record in item order, and the part it comes from.
        let mut next = |what: &str| -> Result<(usize, Record), PartError> {
            let k = (item % n) as usize;
            item += 1;
            counts[k] += 1;
            let record = read_frame(&mut *parts[k], what).map_err(|e| in_part(k, e))?;
            Ok((k, record))
        };
        let what = format!("replication {rep}'s rollout");
        let mut out = match next(&what)? {
            (
                _,
                Record::Rollout {
                    rep: r,
                    enabled,
                    demand,
                    remote,
                    bottleneck,
                    first_bind,
                    target_met,
                },
            ) if r == rep
                && [
                    enabled.len(),
                    demand.len(),
                    remote.len(),
                    bottleneck.len(),
                    target_met.len(),
                ]
                .iter()
                .all(|&l| l == model.days)
                && enabled
                    .iter()
                    .chain(&remote)
                    .all(|v| v.len() == model.slots.len()) =>
            {
                RepDays {
                    enabled,
                    demand,
                    remote,
                    bottleneck,
                    first_bind,
                    target_met,
                    days: (0..model.days)
                        .map(|d| blank_day(model, prep.only_day, d))
                        .collect(),
                    curve: None,
                    variant: None,
                    kept: Vec::new(),
                }
            }
            (k, _) => return Err(out_of_place(k, &what)),
        };
        for (ci, &chain) in prep.chains.iter().enumerate() {
            let what = format!("replication {rep}'s workdays {}", ci + 1);
            match next(&what)? {
                (
                    _,
                    Record::Chain {
                        rep: r,
                        chain: c,
                        days,
                        curve,
                    },
                ) if r == rep
                    && c as usize == ci
                    && days.len() == simulated_days(model, prep.only_day, chain).count()
                    && days.iter().all(|d| d.pools.len() == model.pools.len())
                    && curve.as_ref().is_none_or(|c| c.fits(model)) =>
                {
                    place(
                        model,
                        prep.only_day,
                        chain,
                        &mut out,
                        ChainDays {
                            days,
                            curve: curve.filter(|_| prep.record_day.is_some()),
                            kept: Vec::new(),
                        },
                    )
                }
                (k, _) => return Err(out_of_place(k, &what)),
            }
        }
        out.variant = model.variant(prep.seed, rep).map(Box::new);
        let m = out.variant.as_ref().map_or(model, |v| &v.0);
        check_days(m, prep.only_day, &out)?;
        agg.add(m, &out);
        progress();
    }
    debug_assert_eq!(item, u64::from(prep.reps) * per_rep);
    for (k, part) in parts.iter_mut().enumerate() {
        match read_frame(&mut **part, "its end record").map_err(|e| in_part(k, e))? {
            Record::End { records } if records == counts[k] => {}
            _ => {
                return Err(in_part(
                    k,
                    PartError::Damaged("it holds other records than the run needs".into()),
                ));
            }
        }
        let mut rest = [0u8; 1];
        if part.read(&mut rest)? != 0 {
            return Err(in_part(
                k,
                PartError::Damaged("it goes on after its end record".into()),
            ));
        }
    }
    Ok(finish(model, opts, &prep, agg, cancel)?)
}
