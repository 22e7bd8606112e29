//! Statistics across replications: mean, quantiles and the Student-t confidence interval.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Summary of one figure across replications.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Default)]
pub struct Stat {
    /// Mean over replications.
    pub mean: f64,
    /// Median (nearest-rank on sorted values, linear interpolation).
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Lower end of the 95% confidence interval of the mean.
    pub ci95_low: f64,
    /// Upper end of the 95% confidence interval of the mean.
    pub ci95_high: f64,
}

impl Stat {
    /// Summarises values (one per replication, in replication order). Empty input gives zeros.
    pub fn from_values(values: &[f64]) -> Stat {
        if values.is_empty() {
            return Stat::default();
        }
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let (low, high) = if values.len() < 2 {
            (mean, mean)
        } else {
            let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
            let half = t_quantile_975(values.len() - 1) * (var / n).sqrt();
            (mean - half, mean + half)
        };
        Stat {
            mean,
            p50: quantile_sorted(&sorted, 0.5),
            p95: quantile_sorted(&sorted, 0.95),
            p99: quantile_sorted(&sorted, 0.99),
            ci95_low: low,
            ci95_high: high,
        }
    }

    /// Every figure multiplied by `factor` (> 0): the summary of the values scaled.
    pub fn scaled(&self, factor: f64) -> Stat {
        Stat {
            mean: self.mean * factor,
            p50: self.p50 * factor,
            p95: self.p95 * factor,
            p99: self.p99 * factor,
            ci95_low: self.ci95_low * factor,
            ci95_high: self.ci95_high * factor,
        }
    }

    /// The value at a named quantile.
    pub fn at(&self, q: Quantile) -> f64 {
        match q {
            Quantile::Mean => self.mean,
            Quantile::P50 => self.p50,
            Quantile::P95 => self.p95,
            Quantile::P99 => self.p99,
        }
    }
}

/// Which replication quantile a service level is judged on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Quantile {
    /// The mean over replications.
    Mean,
    /// The median.
    P50,
    /// The 95th percentile.
    #[default]
    P95,
    /// The 99th percentile.
    P99,
}

impl Quantile {
    /// Share of replications that must meet a date target (an enable target by a day) for
    /// the quantile to count as met: half for the mean and P50, 95% for P95, 99% for P99.
    pub fn replication_share(self) -> f64 {
        match self {
            Quantile::Mean | Quantile::P50 => 0.5,
            Quantile::P95 => 0.95,
            Quantile::P99 => 0.99,
        }
    }

    /// How reports name it: `mean`, `P50`, `P95`, `P99`.
    pub fn label(self) -> &'static str {
        match self {
            Quantile::Mean => "mean",
            Quantile::P50 => "P50",
            Quantile::P95 => "P95",
            Quantile::P99 => "P99",
        }
    }
}

/// Quantile `q` in [0, 1] of sorted values, by linear interpolation between order statistics.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => 0.0,
        1 => sorted[0],
        n => {
            let pos = q.clamp(0.0, 1.0) * (n - 1) as f64;
            let lo = pos.floor() as usize;
            let hi = pos.ceil() as usize;
            let frac = pos - lo as f64;
            sorted[lo] + (sorted[hi] - sorted[lo]) * frac
        }
    }
}

/// Quantile of unsorted values.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    quantile_sorted(&sorted, q)
}

/// The 97.5% quantile of Student's t with `df` degrees of freedom (two-sided 95% interval).
pub fn t_quantile_975(df: usize) -> f64 {
    // Every figure of a run asks with the same `df`, and the inverse takes an iterative
    // solve: the last answer is kept per thread (it was 6% of a sizing search's time).
    thread_local! {
        static LAST: std::cell::Cell<Option<(usize, f64)>> = const { std::cell::Cell::new(None) };
    }
    LAST.with(|last| match last.get() {
        Some((d, q)) if d == df => q,
        _ => {
            let q = match StudentsT::new(0.0, 1.0, df as f64) {
                Ok(t) => t.inverse_cdf(0.975),
                Err(_) => 1.959_963_984_540_054,
            };
            last.set(Some((df, q)));
            q
        }
    })
}

/// Replications whose values a [`Acc`] keeps exactly; beyond, it keeps a quantile summary.
pub const EXACT_REPLICATIONS: usize = 1000;

/// Values the quantile summary beyond [`EXACT_REPLICATIONS`] compacts at a time (its buffer
/// size `k`; even).
pub const SKETCH_BUFFER: usize = 1000;
const _: () = assert!(SKETCH_BUFFER.is_multiple_of(2) && SKETCH_BUFFER > 0);

/// Rank error ε of [`Acc`]'s quantiles beyond [`EXACT_REPLICATIONS`], for up to 100,000
/// replications (the validated maximum, [`crate::scenario::MAX_REPLICATIONS`]).
///
/// For `n` values the returned quantile `q` lies between the exact order statistics of
/// (0-based) rank `⌊q·(n−1)⌋ − ⌊ε·n⌋` and `⌈q·(n−1)⌉ + ⌊ε·n⌋`: it is an order statistic, or
/// an interpolation between two, whose rank in the exact sorted sample is within ±ε·n of the
/// target rank. The value is the bound of the compactor in [`Acc`]: with `k` =
/// [`SKETCH_BUFFER`], `m = ⌊n/k⌋` and `H = ⌊log2 m⌋`, every rank is off by at most
/// `m·(H/2 + 1)`, i.e. at most `(H/2 + 1)/k` of `n`; `H ≤ 6` up to 127,999 values, so
/// ε = 4/1000. Fewer values do better: 0.1% below 2,000, 0.25% below 16,000.
pub const SKETCH_RANK_ERROR: f64 = 0.004;

/// One figure accumulated over replications, fed one replication at a time in replication
/// order, in bounded memory.
///
/// Up to [`EXACT_REPLICATIONS`] values are kept as they are, so the summary is exactly
/// [`Stat::from_values`]. Beyond that the mean and interval come from running sums and the
/// quantiles from a deterministic Munro–Paterson summary, accurate in rank to
/// [`SKETCH_RANK_ERROR`]:
///
/// - New values (weight 1) gather in a buffer of `k` = [`SKETCH_BUFFER`]. A full buffer is
///   sorted and *compacted*: every other value, starting at the first or the second, goes up
///   as a sorted block of `k/2` values of weight 2. Level `h` holds at most one block of
///   `k/2` values of weight `2^h`; a second one is merged with it (both are sorted) and
///   compacted the same way into a block of weight `2^(h+1)`, like a binary counter. The
///   total weight is always `n` and every kept value is one of the pushed values.
/// - A compaction at level `h` moves the weighted count of values at or below any `x` by 0
///   or `2^h` (it only moves when an odd number of the merged values lie at or below `x`):
///   up when the first value of each pair is kept, down when the second is. Each level
///   alternates the two, so its `c_h` compactions add at most `⌈c_h/2⌉·2^h` either way.
///   With `m = ⌊n/k⌋`, level `h` has compacted `c_h = ⌊m/2^h⌋` times, and `⌈c_h/2⌉ =
///   ⌊m/2^(h+1)⌋ + b_h` (`b_h` the bit `h` of `m`), so the error is at most
///   `Σ_{h≤H} ⌊m/2^(h+1)⌋·2^h + m ≤ H·m/2 + m` with `H = ⌊log2 m⌋` (the top term is 0).
///   The same holds for the count strictly below `x`. The value returned for 0-based rank
///   `r` is the first kept value whose cumulative weight exceeds `r`; both counts then put
///   its exact rank within that error of `r`.
/// - Memory: the buffer of `k` plus one block of `k/2` per set bit of `m`, at most
///   `k + (k/2)·(⌊log2 m⌋ + 1)` values: 4,500 (36 KB) up to 100,000 replications (3,000 up
///   to 15,999), against 1,000 in the exact mode. A push costs amortised O(log k): a sort of
///   `k` values every `k` pushes, and linear merges of blocks above that.
///
/// Results depend only on the sequence of pushed values; feeding in replication order keeps
/// every result independent of the thread count.
#[derive(Clone, Debug, Default)]
pub struct Acc {
    exact: Exact,
    /// Values the exact list is sized for.
    room: usize,
    sketch: Option<Sketch>,
    n: u64,
    mean: f64,
    m2: f64,
}

/// The values an [`Acc`] keeps exactly, in the narrowest form that gives each back bit for bit:
/// one value repeated (a figure that is 0 on every replication of most days: blocked
/// attempts, login delay without an authentication limit), whole numbers of up to 16 or 32
/// bits (counts: peaks, attempts, remote workers), or floats. A list widens when a value does
/// not fit; the values and their order never change.
#[derive(Clone, Debug)]
enum Exact {
    Same { value: f64, n: usize },
    U16(Vec<u16>),
    U32(Vec<u32>),
    F64(Vec<f64>),
}

impl Default for Exact {
    fn default() -> Self {
        Exact::Same { value: 0.0, n: 0 }
    }
}

impl Exact {
    fn len(&self) -> usize {
        match self {
            Exact::Same { n, .. } => *n,
            Exact::U16(v) => v.len(),
            Exact::U32(v) => v.len(),
            Exact::F64(v) => v.len(),
        }
    }

    fn as_u16(x: f64) -> Option<u16> {
        let u = x as u16;
        (f64::from(u).to_bits() == x.to_bits()).then_some(u)
    }

    fn as_u32(x: f64) -> Option<u32> {
        let u = x as u32;
        (f64::from(u).to_bits() == x.to_bits()).then_some(u)
    }

    fn push(&mut self, x: f64, room: usize) {
        match self {
            Exact::Same { n: 0, .. } => *self = Exact::Same { value: x, n: 1 },
            Exact::Same { value, n } if value.to_bits() == x.to_bits() => *n += 1,
            Exact::U16(v) if Self::as_u16(x).is_some() => v.push(Self::as_u16(x).unwrap_or(0)),
            Exact::U32(v) if Self::as_u32(x).is_some() => v.push(Self::as_u32(x).unwrap_or(0)),
            Exact::F64(v) => v.push(x),
            _ => {
                // Widen to the narrowest form that holds every value so far and `x`.
                let values = self.values();
                let all = || values.iter().copied().chain(std::iter::once(x));
                let room = room.max(values.len() + 1);
                *self = if all().all(|v| Self::as_u16(v).is_some()) {
                    let mut w = Vec::with_capacity(room);
                    w.extend(all().filter_map(Self::as_u16));
                    Exact::U16(w)
                } else if all().all(|v| Self::as_u32(v).is_some()) {
                    let mut w = Vec::with_capacity(room);
                    w.extend(all().filter_map(Self::as_u32));
                    Exact::U32(w)
                } else {
                    let mut w = Vec::with_capacity(room);
                    w.extend(all());
                    Exact::F64(w)
                };
            }
        }
    }

    /// The values, in the order pushed.
    fn values(&self) -> std::borrow::Cow<'_, [f64]> {
        use std::borrow::Cow;
        match self {
            Exact::Same { value, n } => Cow::Owned(vec![*value; *n]),
            Exact::U16(v) => Cow::Owned(v.iter().map(|&u| f64::from(u)).collect()),
            Exact::U32(v) => Cow::Owned(v.iter().map(|&u| f64::from(u)).collect()),
            Exact::F64(v) => Cow::Borrowed(v),
        }
    }

    /// Heap bytes held.
    #[cfg(test)]
    fn heap_bytes(&self) -> usize {
        match self {
            Exact::Same { .. } => 0,
            Exact::U16(v) => v.capacity() * 2,
            Exact::U32(v) => v.capacity() * 4,
            Exact::F64(v) => v.capacity() * 8,
        }
    }
}

/// The Munro–Paterson compactor described at [`Acc`].
#[derive(Clone, Debug, Default)]
struct Sketch {
    /// Values of weight 1 not yet compacted (fewer than [`SKETCH_BUFFER`], unsorted).
    fresh: Vec<f64>,
    /// `blocks[i]`: none or one sorted block of `SKETCH_BUFFER / 2` values of weight
    /// `2^(i+1)`.
    blocks: Vec<Option<Vec<f64>>>,
    /// Bit `h`: the next compaction at level `h` keeps the second value of each pair.
    second: u64,
}

impl Sketch {
    fn add(&mut self, x: f64) {
        if self.fresh.capacity() == 0 {
            self.fresh.reserve_exact(SKETCH_BUFFER);
        }
        self.fresh.push(x);
        if self.fresh.len() < SKETCH_BUFFER {
            return;
        }
        self.fresh.sort_unstable_by(f64::total_cmp);
        let mut carry = halve(&mut self.second, 0, &self.fresh);
        self.fresh.clear();
        for level in 1.. {
            if self.blocks.len() < level {
                self.blocks.push(None);
            }
            let Some(block) = self.blocks[level - 1].take() else {
                self.blocks[level - 1] = Some(carry);
                return;
            };
            carry = halve(&mut self.second, level, &merge(&block, &carry));
        }
    }

    /// Values allocated now, kept or not (the memory bound at [`Acc`] counts these).
    #[cfg(test)]
    fn allocated(&self) -> usize {
        self.fresh.capacity()
            + self
                .blocks
                .iter()
                .flatten()
                .map(Vec::capacity)
                .sum::<usize>()
    }

    /// Kept values in order with their cumulative weights.
    fn ranked(&self) -> Ranked {
        let mut pairs: Vec<(f64, u64)> = self.fresh.iter().map(|&v| (v, 1)).collect();
        for (i, block) in self.blocks.iter().enumerate() {
            if let Some(block) = block {
                pairs.extend(block.iter().map(|&v| (v, 2u64 << i)));
            }
        }
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut total = 0;
        let (values, cumulative) = pairs
            .into_iter()
            .map(|(v, w)| {
                total += w;
                (v, total)
            })
            .unzip();
        Ranked { values, cumulative }
    }
}

/// Every other value of `sorted`, from the first or the second as level `level`'s bit of
/// `second` says; the bit flips, so the level alternates.
fn halve(second: &mut u64, level: usize, sorted: &[f64]) -> Vec<f64> {
    let bit = 1u64 << level;
    let start = usize::from(*second & bit != 0);
    *second ^= bit;
    sorted.iter().skip(start).step_by(2).copied().collect()
}

/// Two sorted slices merged (by `f64::total_cmp`).
fn merge(a: &[f64], b: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if b[j].total_cmp(&a[i]).is_lt() {
            out.push(b[j]);
            j += 1;
        } else {
            out.push(a[i]);
            i += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// A summary's kept values, sorted, with cumulative weights (the last is `n`).
struct Ranked {
    values: Vec<f64>,
    cumulative: Vec<u64>,
}

impl Ranked {
    /// The kept value standing for 0-based rank `rank`.
    fn at_rank(&self, rank: u64) -> f64 {
        let i = self.cumulative.partition_point(|&c| c <= rank);
        self.values
            .get(i)
            .or(self.values.last())
            .copied()
            .unwrap_or(0.0)
    }

    /// Quantile `q` of `n` values, interpolated between ranks as [`quantile_sorted`] does;
    /// never decreasing in `q`.
    fn quantile(&self, n: u64, q: f64) -> f64 {
        if n == 0 {
            return 0.0;
        }
        let pos = q.clamp(0.0, 1.0) * (n - 1) as f64;
        let (lo, hi) = (pos.floor() as u64, pos.ceil() as u64);
        let (a, b) = (self.at_rank(lo), self.at_rank(hi));
        if a == b {
            return a;
        }
        (a + (b - a) * (pos - lo as f64)).min(b)
    }
}

impl Acc {
    /// An accumulator for `n` replications: room for the values it will keep exactly is taken
    /// at once, so it never grows by doubling (memory exactly as [`Acc::heap_bytes_after`]
    /// says, one allocation).
    pub fn for_replications(n: u64) -> Acc {
        Acc {
            room: n.min(EXACT_REPLICATIONS as u64) as usize,
            ..Acc::default()
        }
    }

    /// Heap bytes an [`Acc::for_replications`]`(n)` holds at any time during its `n` pushes, at
    /// most (the size of the `Acc` itself excluded): the exact values, then the summary's
    /// buffer and one block per level (see the memory bound above), with the list of levels.
    /// Used to estimate a run's memory before it starts.
    pub fn heap_bytes_after(n: u64) -> u64 {
        const F64: u64 = std::mem::size_of::<f64>() as u64;
        if n <= EXACT_REPLICATIONS as u64 {
            return F64 * n;
        }
        let k = SKETCH_BUFFER as u64;
        let levels = u64::from((n / k).max(1).ilog2()) + 1;
        let level_list =
            std::mem::size_of::<Option<Vec<f64>>>() as u64 * levels.next_power_of_two().max(4);
        F64 * (k + k / 2 * levels) + level_list
    }

    /// Heap bytes this `Acc` holds now (checked against [`Acc::heap_bytes_after`]).
    #[cfg(test)]
    fn heap_bytes(&self) -> u64 {
        let values = self.sketch.as_ref().map_or(0, Sketch::allocated);
        let levels = self.sketch.as_ref().map_or(0, |s| s.blocks.capacity());
        (self.exact.heap_bytes()
            + values * std::mem::size_of::<f64>()
            + levels * std::mem::size_of::<Option<Vec<f64>>>()) as u64
    }

    /// Adds the next replication's value.
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
        match self.sketch.as_mut() {
            Some(s) => s.add(x),
            None if self.exact.len() < EXACT_REPLICATIONS => self.exact.push(x, self.room),
            // Beyond the exact mode a value repeated stays one value (no blocking on most days
            // is 0 in every replication): its summary would hold nothing else. The summary is
            // built when another value comes, fed the same sequence, so it is the same.
            None if matches!(self.exact, Exact::Same { value, .. } if value.to_bits() == x.to_bits()) =>
            {
                self.exact.push(x, self.room);
            }
            None => {
                let mut s = Sketch::default();
                for &v in std::mem::take(&mut self.exact).values().iter() {
                    s.add(v);
                }
                s.add(x);
                self.sketch = Some(s);
            }
        }
    }

    /// The mean: exactly as [`Stat::from_values`] computes it while the values are kept.
    pub fn mean(&self) -> f64 {
        match self.exact.len() {
            _ if self.summarised() => self.mean,
            0 => 0.0,
            n => self.exact.values().iter().sum::<f64>() / n as f64,
        }
    }

    /// Whether the values are beyond the exact mode (summarised, or one value repeated).
    fn summarised(&self) -> bool {
        self.n > EXACT_REPLICATIONS as u64
    }

    /// The summary's kept values beyond the exact mode: the compactor's, or the one value
    /// repeated with all the weight (what the compactor would hold of it).
    fn ranked(&self) -> Option<Ranked> {
        match (&self.sketch, &self.exact) {
            (Some(s), _) => Some(s.ranked()),
            (None, Exact::Same { value, n }) if self.summarised() => Some(Ranked {
                values: vec![*value],
                cumulative: vec![*n as u64],
            }),
            _ => None,
        }
    }

    /// The summary: exactly [`Stat::from_values`] while the values are kept; beyond
    /// [`EXACT_REPLICATIONS`], quantiles within [`SKETCH_RANK_ERROR`] in rank and the mean and
    /// interval from running sums.
    pub fn stat(&self) -> Stat {
        let Some(ranked) = self.ranked() else {
            return Stat::from_values(&self.exact.values());
        };
        let n = self.n as f64;
        let var = if self.n > 1 { self.m2 / (n - 1.0) } else { 0.0 };
        let half = t_quantile_975(self.n.saturating_sub(1) as usize) * (var / n).sqrt();
        Stat {
            mean: self.mean,
            p50: ranked.quantile(self.n, 0.5),
            p95: ranked.quantile(self.n, 0.95),
            p99: ranked.quantile(self.n, 0.99),
            ci95_low: self.mean - half,
            ci95_high: self.mean + half,
        }
    }

    /// Any quantile: exact while the values are kept, then within [`SKETCH_RANK_ERROR`] in
    /// rank.
    pub fn quantile(&self, q: f64) -> f64 {
        match self.ranked() {
            Some(r) => r.quantile(self.n, q),
            None => quantile(&self.exact.values(), q),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_of_known_values() {
        let s = Stat::from_values(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(s.mean, 3.0);
        assert_eq!(s.p50, 3.0);
        assert!((s.p95 - 4.8).abs() < 1e-12);
        // sd = sqrt(2.5), t(4, .975) = 2.776445
        let half = 2.776_445_105 * (2.5f64 / 5.0).sqrt();
        assert!((s.ci95_high - 3.0 - half).abs() < 1e-6);
        assert!((s.ci95_low - 3.0 + half).abs() < 1e-6);
    }

    #[test]
    fn t_quantiles_match_tables() {
        // Published two-sided 95% critical values.
        assert!((t_quantile_975(1) - 12.706).abs() < 1e-3);
        assert!((t_quantile_975(10) - 2.228).abs() < 1e-3);
        assert!((t_quantile_975(30) - 2.042).abs() < 1e-3);
    }

    /// `n` deterministic uniforms in [0, 1) from a 64-bit LCG.
    fn uniforms(n: usize, seed: u64) -> Vec<f64> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (x >> 11) as f64 / (1u64 << 53) as f64
            })
            .collect()
    }

    /// `n` values of a symmetric bell around 10: sums of four uniforms.
    fn bell(n: usize) -> Vec<f64> {
        uniforms(4 * n, 7)
            .chunks(4)
            .map(|u| 8.0 + u.iter().sum::<f64>())
            .collect()
    }

    fn fed(values: &[f64]) -> Acc {
        let mut acc = Acc::default();
        for &v in values {
            acc.push(v);
        }
        acc
    }

    fn sorted(values: &[f64]) -> Vec<f64> {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        sorted
    }

    /// `got` lies between the exact order statistics within ±ε·n ranks of quantile `q`.
    fn assert_within_rank_error(sorted: &[f64], q: f64, got: f64) {
        let n = sorted.len();
        let e = (SKETCH_RANK_ERROR * n as f64).floor() as usize;
        let pos = q * (n - 1) as f64;
        let lo = (pos.floor() as usize).saturating_sub(e);
        let hi = (pos.ceil() as usize + e).min(n - 1);
        assert!(
            sorted[lo] <= got && got <= sorted[hi],
            "n {n}, q {q}: {got} outside [{}, {}]",
            sorted[lo],
            sorted[hi]
        );
    }

    #[test]
    fn acc_is_exact_up_to_the_cap() {
        let values = bell(EXACT_REPLICATIONS);
        let acc = fed(&values);
        assert_eq!(acc.stat(), Stat::from_values(&values));
        assert_eq!(acc.mean(), Stat::from_values(&values).mean);
        assert_eq!(acc.quantile(0.05), quantile(&values, 0.05));
    }

    #[test]
    fn acc_quantiles_beyond_the_cap_are_within_the_rank_error() {
        for n in [EXACT_REPLICATIONS + 1, 5000, 20_000] {
            let values = bell(n);
            let acc = fed(&values);
            let sorted = sorted(&values);
            let exact = Stat::from_values(&values);
            let got = acc.stat();
            assert!((got.mean - exact.mean).abs() < 1e-9 * exact.mean);
            assert!((got.ci95_high - exact.ci95_high).abs() < 1e-9 * exact.ci95_high);
            assert!((got.ci95_low - exact.ci95_low).abs() < 1e-9 * exact.ci95_low);
            for (q, v) in [(0.5, got.p50), (0.95, got.p95), (0.99, got.p99)] {
                assert_within_rank_error(&sorted, q, v);
                assert_eq!(v, acc.quantile(q));
            }
            assert!(got.p95 >= got.mean, "n {n}: {got:?}");
            assert!(got.p50 <= got.p95 && got.p95 <= got.p99, "n {n}: {got:?}");
            let mut last = f64::NEG_INFINITY;
            for i in 0..=200 {
                let q = i as f64 / 200.0;
                let v = acc.quantile(q);
                assert_within_rank_error(&sorted, q, v);
                assert!(v >= last, "n {n}: quantile {q} = {v} below {last}");
                last = v;
            }
            // The same pushes give the same bytes.
            assert_eq!(format!("{:?}", fed(&values).stat()), format!("{got:?}"));
        }
    }

    #[test]
    fn acc_rank_error_holds_for_any_order_at_the_maximum() {
        let n = crate::scenario::MAX_REPLICATIONS as usize;
        let bell = bell(n);
        let mut ascending = bell.clone();
        ascending.sort_by(f64::total_cmp);
        let descending: Vec<f64> = ascending.iter().rev().copied().collect();
        let sawtooth: Vec<f64> = (0..n).map(|i| (i % 1999) as f64).collect();
        for values in [bell, ascending, descending, sawtooth] {
            let acc = fed(&values);
            let sorted = sorted(&values);
            let mut last = f64::NEG_INFINITY;
            for i in 0..=100 {
                let q = i as f64 / 100.0;
                let v = acc.quantile(q);
                assert_within_rank_error(&sorted, q, v);
                assert!(v >= last);
                last = v;
            }
        }
    }

    #[test]
    fn acc_rank_error_bound_covers_every_count_up_to_the_maximum() {
        // The derivation at `Acc`: level h compacts ⌊m/2^h⌋ times (m = ⌊n/k⌋), half of them
        // (rounded up) in each direction, each by at most 2^h ranks.
        let k = SKETCH_BUFFER as u64;
        for n in 1..=u64::from(crate::scenario::MAX_REPLICATIONS) {
            let m = n / k;
            let worst: u64 = (0..64)
                .take_while(|&h| m >> h > 0)
                .map(|h| (m >> h).div_ceil(2) << h)
                .sum();
            assert!(
                worst as f64 <= SKETCH_RANK_ERROR * n as f64,
                "n {n}: {worst}"
            );
        }
    }

    #[test]
    fn acc_orders_tightly_concentrated_figures() {
        // A blocking probability 0.5931 ± 0.0005: every replication in one narrow band.
        for n in [EXACT_REPLICATIONS + 1, 5000, 20_000] {
            let values: Vec<f64> = uniforms(n, 3)
                .iter()
                .map(|u| 0.5931 + 0.001 * (u - 0.5))
                .collect();
            let got = fed(&values).stat();
            let sorted = sorted(&values);
            assert!(got.p95 > got.mean, "n {n}: {got:?}");
            assert!(got.p50 < got.p95 && got.p95 < got.p99, "n {n}: {got:?}");
            for (q, v) in [(0.5, got.p50), (0.95, got.p95), (0.99, got.p99)] {
                assert_within_rank_error(&sorted, q, v);
            }
        }
    }

    #[test]
    fn acc_keeps_ties_and_zeros() {
        for n in [EXACT_REPLICATIONS + 1, 3000, 20_000] {
            let values: Vec<f64> = (0..n)
                .map(|i| if i % 10 == 0 { 5.0 } else { 0.0 })
                .collect();
            let got = fed(&values).stat();
            assert_eq!((got.p50, got.p95, got.p99), (0.0, 5.0, 5.0), "n {n}");
        }
    }

    #[test]
    fn acc_memory_stays_bounded() {
        let k = SKETCH_BUFFER;
        let mut acc = Acc::default();
        let mut most = 0;
        for (i, v) in bell(crate::scenario::MAX_REPLICATIONS as usize)
            .into_iter()
            .enumerate()
        {
            acc.push(v);
            let n = i + 1;
            if let Some(s) = &acc.sketch {
                let m = n / k;
                let bound = k + k / 2 * (m.checked_ilog2().map_or(0, |h| h as usize + 1));
                assert!(s.allocated() <= bound, "n {n}: {}", s.allocated());
                most = most.max(s.allocated());
            }
        }
        assert!(most <= 4500, "{most}");
    }

    /// Repeated values, then counts, then larger counts, then fractions and a negative zero:
    /// each widening keeps every value bit for bit, so the summary is exactly the plain
    /// one's; repeated values hold no bytes, small counts two a value.
    #[test]
    fn compact_values_give_back_every_value() {
        let series: Vec<f64> = [0.0; 5]
            .into_iter()
            .chain([3.0, 65_535.0, 7.0])
            .chain([70_000.0, 4_294_967_295.0])
            .chain([1.5, -0.0, 0.0, f64::MAX])
            .collect();
        let mut acc = Acc::for_replications(series.len() as u64);
        for (i, &x) in series.iter().enumerate() {
            acc.push(x);
            let seen = &series[..=i];
            let (a, b) = (acc.stat(), Stat::from_values(seen));
            assert_eq!(format!("{a:?}"), format!("{b:?}"), "after {seen:?}");
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&acc.exact.values()), bits(seen));
            assert_eq!(acc.quantile(0.3).to_bits(), quantile(seen, 0.3).to_bits());
            let form = match (i, &acc.exact) {
                (0..=4, Exact::Same { .. }) => 0,
                (5..=7, Exact::U16(_)) => 2,
                (8..=9, Exact::U32(_)) => 4,
                (10.., Exact::F64(_)) => 8,
                (_, e) => panic!("value {i}: {e:?}"),
            };
            assert!(acc.heap_bytes() as usize <= form * series.len());
        }
        let mut zeros = Acc::for_replications(1000);
        (0..1000).for_each(|_| zeros.push(0.0));
        assert_eq!(zeros.heap_bytes(), 0);
        assert_eq!(zeros.stat().p95, 0.0);
    }

    /// Beyond the exact mode, a value repeated is kept as one value until another comes; every
    /// figure is then what the compactor fed the whole sequence gives, bit for bit.
    #[test]
    fn a_repeated_value_beyond_the_exact_mode_summarises_as_the_compactor_does() {
        let noise = uniforms(3000, 17);
        let sequences: Vec<Vec<f64>> = vec![
            vec![0.1; 5000],
            [vec![0.0; 1500], noise.clone()].concat(),
            [vec![7.0; 1000], vec![2.5], vec![7.0; 2000]].concat(),
            [noise[..1200].to_vec(), vec![1.0; 2000]].concat(),
        ];
        for values in sequences {
            let acc = fed(&values);
            let mut sketch = Sketch::default();
            let (mut n, mut mean, mut m2) = (0u64, 0.0f64, 0.0f64);
            for &x in &values {
                sketch.add(x);
                n += 1;
                let d = x - mean;
                mean += d / n as f64;
                m2 += d * (x - mean);
            }
            let ranked = sketch.ranked();
            let got = acc.stat();
            for (q, v) in [(0.5, got.p50), (0.95, got.p95), (0.99, got.p99)] {
                assert_eq!(v.to_bits(), ranked.quantile(n, q).to_bits(), "q {q}");
                assert_eq!(acc.quantile(q).to_bits(), v.to_bits());
            }
            assert_eq!(got.mean.to_bits(), mean.to_bits());
            assert_eq!(acc.mean().to_bits(), mean.to_bits());
            let var = m2 / (n as f64 - 1.0);
            let half = t_quantile_975(n as usize - 1) * (var / n as f64).sqrt();
            assert_eq!(got.ci95_low.to_bits(), (mean - half).to_bits());
            assert_eq!(got.ci95_high.to_bits(), (mean + half).to_bits());
        }
        // The repeated value holds no buffer.
        assert_eq!(fed(&vec![0.0; 5000]).heap_bytes(), 0);
    }

    #[test]
    fn heap_bytes_after_bounds_what_an_acc_holds() {
        for n in [1u64, 20, 999, 1000] {
            let mut acc = Acc::for_replications(n);
            for v in bell(n as usize) {
                acc.push(v);
            }
            // Floats: as many bytes as the bound (the compact forms only ever hold fewer; one
            // value is held inline).
            let held = if n == 1 { 0 } else { Acc::heap_bytes_after(n) };
            assert_eq!(acc.heap_bytes(), held, "n {n}");
        }
        let total = 40_000u64;
        let mut acc = Acc::for_replications(total);
        let mut peak = 0;
        for (i, v) in bell(total as usize).into_iter().enumerate() {
            acc.push(v);
            let n = i as u64 + 1;
            let bound = Acc::heap_bytes_after(n.max(EXACT_REPLICATIONS as u64 + 1));
            peak = peak.max(acc.heap_bytes());
            let held = peak;
            assert!(held <= bound, "n {n}: holds {held} > bound {bound}");
            // Not a vacuous bound: within 2x for the summary (which holds a block only for
            // each set bit of n / k).
            if n > EXACT_REPLICATIONS as u64 {
                assert!(bound <= 2 * held, "n {n}: {held} vs {bound}");
            }
        }
    }

    #[test]
    fn single_value_has_degenerate_interval() {
        let s = Stat::from_values(&[7.0]);
        assert_eq!(
            (s.mean, s.p50, s.p95, s.ci95_low, s.ci95_high),
            (7.0, 7.0, 7.0, 7.0, 7.0)
        );
    }
}
