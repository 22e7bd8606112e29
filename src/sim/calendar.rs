//! A calendar queue of departures and a bucket sort of logins: linear-time replacements for a
//! binary heap and a comparison sort, whose `log n` made a workday of 96,000 workers cost 13×
//! one of 9,600 (profiled with callgrind: heap pops and the sort were half the instructions).
//!
//! Both give exactly the order of the structures they replace — by time, ties by payload —
//! so results are bit-for-bit the same.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use std::cmp::Ordering;

/// A time in seconds, totally ordered (for heaps).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Time(pub(crate) f64);
impl Eq for Time {}
impl PartialOrd for Time {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Time {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Events in time order, for times that never run backwards: every push is at or after the
/// time of the last query. Buckets of equal width cover `[0, horizon)`; each holds a few events
/// on average and is sorted only when reached. Later times wait in a heap. Ties in time pop in
/// payload order.
pub struct CalendarQueue<P> {
    inv_width: f64,
    buckets: Vec<Vec<Entry<P>>>,
    /// Lowest bucket that may hold events; all below are empty.
    cur: usize,
    /// Whether bucket `cur` is sorted (descending, so the earliest event is last).
    sorted: bool,
    overflow: BinaryHeap<Reverse<(Time, P)>>,
}

impl<P: Ord> Default for CalendarQueue<P> {
    fn default() -> Self {
        CalendarQueue {
            inv_width: 0.0,
            buckets: Vec::new(),
            cur: 0,
            sorted: false,
            overflow: BinaryHeap::new(),
        }
    }
}

/// An event as a bucket stores it: packed, so a 4-byte payload takes 12 bytes, not 16 (a
/// departure queue holds one per running session).
#[derive(Clone, Copy)]
#[repr(C, packed(4))]
struct Entry<P> {
    t: f64,
    payload: P,
}

impl<P: Copy> Entry<P> {
    #[inline(always)]
    fn get(self) -> (f64, P) {
        (self.t, self.payload)
    }
}

/// The order events pop in: by time, ties by payload.
pub(crate) fn time_order<P: Ord>(a: &(f64, P), b: &(f64, P)) -> std::cmp::Ordering {
    a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
}

#[inline(always)]
fn key_desc<P: Copy + Ord>(a: &Entry<P>, b: &Entry<P>) -> std::cmp::Ordering {
    time_order(&b.get(), &a.get())
}

/// Longest run sorted by insertion here; the standard library's unstable sort also sorts runs
/// up to this length by insertion (shifting each element left), so both give the same order,
/// equal elements included, and longer runs go to it.
const SMALL_SORT: usize = 20;

/// Sorts a short run (a bucket holds about four) inline, without the general sort's call and
/// dispatch; same order as `sort_unstable_by` (see [`SMALL_SORT`]).
#[inline(always)]
pub(crate) fn sort_small_by<T: Copy>(v: &mut [T], cmp: impl Fn(&T, &T) -> std::cmp::Ordering) {
    if v.len() > SMALL_SORT {
        v.sort_unstable_by(cmp);
        return;
    }
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && cmp(&x, &v[j - 1]).is_lt() {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}

impl<P: Copy + Ord> CalendarQueue<P> {
    /// Empties the queue for times in `[0, horizon)`, sized for about `expected` events.
    pub fn reset(&mut self, horizon: f64, expected: usize) {
        // About four events a bucket, but at most 16,384 buckets: each bucket is a heap vector
        // of its own, and a million of them (a 2-million-worker day) scatter every push over
        // memory; fewer, fuller buckets kept the headers in cache and cost 0.83× the time at 1.9
        // million workers and 0.93× at 96,000 (2^12 and 2^16 were no better), 30 MB less.
        let n = (expected / 4).clamp(64, 1 << 14);
        self.buckets.truncate(n);
        for b in &mut self.buckets {
            b.clear();
        }
        self.buckets.resize_with(n, Vec::new);
        self.inv_width = n as f64 / horizon.max(1.0);
        self.cur = 0;
        self.sorted = false;
        self.overflow.clear();
    }

    fn bucket(&self, t: f64) -> usize {
        // Saturating float-to-int conversion: negative → 0, huge or infinite → overflow zone.
        ((t * self.inv_width) as usize).min(self.buckets.len())
    }

    /// Adds an event at time `t` (not before the last query's time).
    pub fn push(&mut self, t: f64, payload: P) {
        let b = self.bucket(t).max(self.cur);
        if b >= self.buckets.len() {
            self.overflow.push(Reverse((Time(t), payload)));
        } else if b == self.cur && self.sorted {
            let v = &mut self.buckets[b];
            let entry = Entry { t, payload };
            let at = v.partition_point(|x| key_desc(x, &entry).is_lt());
            v.insert(at, entry);
        } else {
            self.buckets[b].push(Entry { t, payload });
        }
    }

    /// Moves every event into `out`, in time order (ties by payload), without advancing the
    /// queue: events pushed back afterwards go to their buckets, not to the overflow heap (as
    /// they would after `pop_until(∞)`), so a queue drained at each unit failure stays a
    /// calendar.
    pub fn drain_into(&mut self, out: &mut Vec<(f64, P)>) {
        let start = out.len();
        for b in self.cur..self.buckets.len() {
            out.extend(self.buckets[b].drain(..).map(Entry::get));
        }
        out.extend(self.overflow.drain().map(|Reverse((t, p))| (t.0, p)));
        self.sorted = false;
        out[start..].sort_unstable_by(time_order);
    }

    /// Removes every event, handing each to `f` in no particular order (for a caller that
    /// orders the few it keeps itself: sorting every bucket to pop them in order cost more
    /// than the rest of such a day). The queue is then spent: until the next
    /// [`reset`](Self::reset), later pushes would all wait in the overflow heap.
    pub fn drain_unordered(&mut self, mut f: impl FnMut(f64, P)) {
        for b in self.cur..self.buckets.len() {
            for e in self.buckets[b].drain(..) {
                let (t, p) = e.get();
                f(t, p);
            }
        }
        for Reverse((t, p)) in self.overflow.drain() {
            f(t.0, p);
        }
        self.cur = self.buckets.len();
        self.sorted = false;
    }

    /// Removes and returns the earliest event if it is at or before `t`.
    pub fn pop_until(&mut self, t: f64) -> Option<(f64, P)> {
        let tb = self.bucket(t);
        while self.cur < self.buckets.len() {
            if self.buckets[self.cur].is_empty() {
                if self.cur >= tb {
                    return None;
                }
                self.cur += 1;
                self.sorted = false;
                continue;
            }
            if self.cur > tb {
                return None;
            }
            let v = &mut self.buckets[self.cur];
            if !self.sorted {
                sort_small_by(v, key_desc);
                self.sorted = true;
            }
            return match v.last() {
                Some(e) if { e.t } <= t => v.pop().map(Entry::get),
                _ => None,
            };
        }
        match self.overflow.peek() {
            Some(Reverse((et, _))) if et.0 <= t => {
                self.overflow.pop().map(|Reverse((et, p))| (et.0, p))
            }
            _ => None,
        }
    }
}

/// Lists up to this many bytes are radix-sorted through a copy in two passes: the copy and
/// the counts stay in the processor's cache. Longer lists are
/// first split in place into at most [`COARSE_BUCKETS`] ranges of keys, each then sorted the
/// same way. Splitting a 2-million-login day in place into a million buckets at once (the
/// former way above 16 MiB) missed the cache on nearly every swap.
pub const COPY_SORT_BYTES: usize = 1 << 18;

/// Ranges of the in-place split: few enough that the place each fills next stays in cache.
const COARSE_BUCKETS: usize = 4096;

/// Splits deeper than this (keys spread over many orders of magnitude) end in a comparison
/// sort, so a hostile distribution costs `n log n`, never `n` times the depth.
const MAX_SPLITS: u32 = 6;

/// Sorts by `cmp` ascending, where `cmp` orders by the (finite) key first. A list of up to
/// [`COPY_SORT_BYTES`] is radix-sorted through a copy on its key scaled to 22 bits, then items
/// sharing a scaled key by `cmp`; a longer one is first split in place into ranges of keys,
/// each sorted the same way. Same order as a comparison sort when `cmp` is a total order (items
/// it calls equal are alike). Holds at most [`COPY_SORT_BYTES`] of scratch, 8 bytes per item
/// of a copied range for its scaled keys and 16 KiB of counts (at most 2^32 − 1 items).
pub fn bucket_sort<T: Copy>(
    items: &mut [T],
    scratch: &mut Vec<T>,
    counts: &mut Vec<u32>,
    keys: &mut Vec<u32>,
    key: impl Fn(&T) -> f64,
    cmp: impl Fn(&T, &T) -> std::cmp::Ordering,
) {
    let mut copy = CopySort {
        scratch,
        counts,
        keys,
    };
    sort_range(items, &mut copy, &key, &cmp, 0);
}

/// The buffers of the copying pass, reused by every range.
struct CopySort<'a, T> {
    scratch: &'a mut Vec<T>,
    counts: &'a mut Vec<u32>,
    keys: &'a mut Vec<u32>,
}

/// The lowest and highest key.
fn key_span<T>(items: &[T], key: &impl Fn(&T) -> f64) -> (f64, f64) {
    items
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
            let k = key(x);
            (lo.min(k), hi.max(k))
        })
}

fn sort_range<T: Copy>(
    items: &mut [T],
    copy: &mut CopySort<'_, T>,
    key: &impl Fn(&T) -> f64,
    cmp: &impl Fn(&T, &T) -> std::cmp::Ordering,
    depth: u32,
) {
    let n = items.len();
    if n < 64 || u32::try_from(n).is_err() || depth > MAX_SPLITS {
        items.sort_unstable_by(cmp);
        return;
    }
    let (lo, hi) = key_span(items, key);
    if hi.partial_cmp(&lo) != Some(Ordering::Greater) {
        // Every key equal: the order is `cmp`'s alone.
        items.sort_unstable_by(cmp);
        return;
    }
    if size_of_val(items) <= COPY_SORT_BYTES {
        radix_sort(items, copy, lo, hi, key, cmp);
        return;
    }
    // Ranges of about a copy's worth each.
    let buckets = (2 * n * size_of::<T>() / COPY_SORT_BYTES).clamp(2, COARSE_BUCKETS);
    let inv = buckets as f64 / (hi - lo);
    if !inv.is_finite() {
        // Keys too close to split.
        items.sort_unstable_by(cmp);
        return;
    }
    // Monotone in the key, so ranges of buckets are ranges of keys.
    let index = |x: &T| (((key(x) - lo) * inv) as usize).min(buckets - 1);
    let ends = split_in_place(items, buckets, index);
    let mut from = 0usize;
    for end in ends {
        sort_range(&mut items[from..end as usize], copy, key, cmp, depth + 1);
        from = end as usize;
    }
}

/// Bits of a digit of the radix sort: two digits give keys of 22 bits, about 300 values per
/// item of the longest copied list (13,107 logins), so items sharing a value are rare.
const DIGIT_BITS: u32 = 11;
const DIGITS: usize = 1 << DIGIT_BITS;

/// Sorts a list of at most [`COPY_SORT_BYTES`] whose keys span `[lo, hi]` (`lo < hi`): a
/// least-significant-digit radix sort, through the copy, on the key scaled to 22 bits (two
/// passes, no comparisons: a comparison of keys spread at random is a branch the processor
/// guesses wrong half the time), then each run of items sharing a scaled key in `cmp`'s
/// order.
fn radix_sort<T: Copy>(
    items: &mut [T],
    copy: &mut CopySort<'_, T>,
    lo: f64,
    hi: f64,
    key: &impl Fn(&T) -> f64,
    cmp: &impl Fn(&T, &T) -> std::cmp::Ordering,
) {
    const MAX: u32 = (1 << (2 * DIGIT_BITS)) - 1;
    let scale = f64::from(MAX) / (hi - lo);
    if !scale.is_finite() {
        items.sort_unstable_by(cmp);
        return;
    }
    // Monotone in the key (a difference and a product by a positive constant, each rounded),
    // so a scaled key orders items as their keys do, bar those sharing one.
    let scaled = |x: &T| (((key(x) - lo) * scale) as u32).min(MAX);
    let n = items.len();
    let counts = &mut *copy.counts;
    counts.clear();
    counts.resize(2 * DIGITS, 0);
    let (low, high) = counts.split_at_mut(DIGITS);
    // Each item's scaled key, computed once: in the list's order, then in the copy's.
    // The buffers only grow (exactly: doubling would hold up to twice the limit), and every
    // place used is written before it is read, so they are neither cleared nor filled.
    if copy.keys.len() < 2 * n {
        copy.keys.reserve_exact(2 * n - copy.keys.len());
        copy.keys.resize(2 * n, 0);
    }
    let (in_list, in_copy) = copy.keys[..2 * n].split_at_mut(n);
    for (x, k) in items.iter().zip(in_list.iter_mut()) {
        *k = scaled(x);
        low[*k as usize & (DIGITS - 1)] += 1;
        high[(*k >> DIGIT_BITS) as usize] += 1;
    }
    for digit in [&mut *low, &mut *high] {
        let mut start = 0u32;
        for c in digit.iter_mut() {
            let len = *c;
            *c = start;
            start += len;
        }
    }
    if copy.scratch.len() < n {
        copy.scratch.reserve_exact(n - copy.scratch.len());
        copy.scratch.resize(n, items[0]);
    }
    let scratch = &mut copy.scratch[..n];
    // First pass: by the low digit, from the list into the copy.
    for (x, &k) in items.iter().zip(in_list.iter()) {
        let next = &mut low[k as usize & (DIGITS - 1)];
        scratch[*next as usize] = *x;
        in_copy[*next as usize] = k;
        *next += 1;
    }
    // Second pass, stable: by the high digit, back into the list.
    for (x, &k) in scratch.iter().zip(in_copy.iter()) {
        let next = &mut high[(k >> DIGIT_BITS) as usize];
        items[*next as usize] = *x;
        in_list[*next as usize] = k;
        *next += 1;
    }
    // Items sharing a scaled key, in `cmp`'s order (a crowded run by the general sort).
    let mut from = 0usize;
    for i in 1..n {
        if in_list[i] != in_list[from] {
            if i - from > 1 {
                sort_small_by(&mut items[from..i], cmp);
            }
            from = i;
        }
    }
    if items.len() - from > 1 {
        sort_small_by(&mut items[from..], cmp);
    }
}

/// Counts bucket sizes; sets `counts[b]` to where bucket `b` starts and `ends[b]` to where it
/// ends.
fn bucket_bounds<T>(
    items: &[T],
    buckets: usize,
    index: impl Fn(&T) -> usize,
    counts: &mut Vec<u32>,
    ends: &mut Vec<u32>,
) {
    counts.clear();
    counts.resize(buckets, 0);
    for x in items {
        counts[index(x)] += 1;
    }
    ends.clear();
    let mut start = 0u32;
    for c in counts.iter_mut() {
        let len = *c;
        *c = start;
        start += len;
        ends.push(start);
    }
}

/// Distributes `items` into `buckets` buckets in place, each item swapped straight into its
/// bucket; returns the buckets' ends.
fn split_in_place<T: Copy>(
    items: &mut [T],
    buckets: usize,
    index: impl Fn(&T) -> usize,
) -> Vec<u32> {
    // `next[b]`: the next place to fill in bucket b; `ends[b]`: where bucket b ends.
    let (mut next, mut ends) = (Vec::new(), Vec::new());
    bucket_bounds(items, buckets, &index, &mut next, &mut ends);
    for b in 0..buckets {
        while next[b] < ends[b] {
            let mut x = items[next[b] as usize];
            let mut c = index(&x);
            // Carry the item to its bucket, take the one there, until one belongs here.
            while c != b {
                std::mem::swap(&mut x, &mut items[next[c] as usize]);
                next[c] += 1;
                c = index(&x);
            }
            items[next[b] as usize] = x;
            next[b] += 1;
        }
    }
    ends
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    #[test]
    fn calendar_pops_in_heap_order() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let mut q = CalendarQueue::<u64>::default();
        let mut heap: BinaryHeap<Reverse<(Time, u64)>> = BinaryHeap::new();
        q.reset(1000.0, 400);
        let mut now = 0.0;
        for step in 0..20_000u32 {
            now += rng.random::<f64>() * 0.1;
            // Pushes at or after now, sometimes far beyond the horizon, sometimes equal times.
            for _ in 0..(step % 3) {
                let t = if step % 97 == 0 {
                    now + 5000.0
                } else if step % 7 == 0 {
                    now
                } else {
                    now + rng.random::<f64>() * 50.0
                };
                let p = rng.random::<u64>() % 10;
                q.push(t, p);
                heap.push(Reverse((Time(t), p)));
            }
            loop {
                let want = match heap.peek() {
                    Some(Reverse((t, _))) if t.0 <= now => {
                        heap.pop().map(|Reverse((t, p))| (t.0, p))
                    }
                    _ => None,
                };
                let got = q.pop_until(now);
                assert_eq!(got, want, "step {step}");
                if got.is_none() {
                    break;
                }
            }
        }
        loop {
            let want = heap.pop().map(|Reverse((t, p))| (t.0, p));
            assert_eq!(q.pop_until(f64::INFINITY), want);
            if want.is_none() {
                break;
            }
        }
    }

    #[test]
    fn a_drained_queue_keeps_its_calendar() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let mut q = CalendarQueue::<u64>::default();
        q.reset(1000.0, 400);
        let mut events: Vec<(f64, u64)> = (0..500)
            .map(|i| (rng.random::<f64>() * 1500.0, i % 7))
            .collect();
        for &(t, p) in &events {
            q.push(t, p);
        }
        assert!(q.pop_until(100.0).is_some());
        events.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let rest = events[1..].to_vec();
        let mut drained = Vec::new();
        q.drain_into(&mut drained);
        assert_eq!(drained, rest, "time order, ties by payload");
        for &(t, p) in &drained {
            q.push(t, p);
        }
        assert_eq!(
            q.overflow.len(),
            rest.iter().filter(|e| e.0 >= 1000.0).count()
        );
        let mut popped = Vec::new();
        while let Some(e) = q.pop_until(f64::INFINITY) {
            popped.push(e);
        }
        assert_eq!(popped, rest);
    }

    /// Equal keys with different payloads end in the standard library's order, for every
    /// length up to the small-sort limit and beyond it.
    #[test]
    fn the_small_sort_orders_as_the_standard_unstable_sort() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(21);
        for len in 0..40usize {
            for _ in 0..200 {
                let v: Vec<(u8, u32)> = (0..len)
                    .map(|i| (rng.random::<u8>() % 4, i as u32))
                    .collect();
                let (mut a, mut b) = (v.clone(), v);
                a.sort_unstable_by_key(|x| x.0);
                sort_small_by(&mut b, |x, y| x.0.cmp(&y.0));
                assert_eq!(a, b, "length {len}");
            }
        }
    }

    /// Every path of the sort (copied, split in place once or repeatedly, keys all equal,
    /// keys over many orders of magnitude, keys shared) gives the comparison sort's order.
    #[test]
    fn bucket_sort_matches_comparison_sort() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        type Shape = fn(usize, f64) -> f64;
        let shapes: [(&str, Shape); 7] = [
            ("uniform with a spike", |i, u| {
                if i % 5 == 0 { 100.0 } else { u * 1000.0 }
            }),
            ("crowded morning", |_, u| 450.0 + (u - 0.5).powi(9) * 800.0),
            ("all equal", |_, _| 42.0),
            ("geometric", |i, _| 1000.0 * 0.5f64.powi((i % 1100) as i32)),
            ("two clusters", |i, u| {
                if i % 2 == 0 { u } else { 999.0 + u * 1e-9 }
            }),
            // Keys shared by many items, and by a few: runs of one scaled key, long and short.
            ("50 values", |_, u| (u * 50.0).floor()),
            ("whole seconds of a day", |_, u| (u * 86_400.0).floor()),
        ];
        for (name, shape) in shapes {
            for n in [0usize, 1, 10, 63, 64, 65, 1000, 20_000, 300_000] {
                let v: Vec<(f64, u64)> = (0..n)
                    .map(|i| (shape(i, rng.random::<f64>()), rng.random::<u64>() % 4))
                    .collect();
                let cmp = |a: &(f64, u64), b: &(f64, u64)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
                let mut expected = v.clone();
                expected.sort_unstable_by(cmp);
                let mut w = v;
                let (mut s, mut c, mut e) = (Vec::new(), Vec::new(), Vec::new());
                bucket_sort(&mut w, &mut s, &mut c, &mut e, |x| x.0, cmp);
                assert!(w == expected, "{name}, n = {n}");
                assert!(
                    size_of_val(s.as_slice()) <= COPY_SORT_BYTES,
                    "{name}: scratch"
                );
            }
        }
    }
}
