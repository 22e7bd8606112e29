//! The least order of one resource, in order steps, by bracketing around a closed-form start
//! and bisecting. Every value is judged under the same seed (common random numbers).

/// The least multiple `k` in `kmin..=kmax` for which `meets(k)` holds, or `None` if `kmax`
/// fails; `k = 0` (no order) is tried first. `start` is the closed-form guess.
pub fn least_steps<E>(
    kmin: u64,
    kmax: u64,
    start: u64,
    mut meets: impl FnMut(u64) -> Result<bool, E>,
) -> Result<Option<u64>, E> {
    if meets(0)? {
        return Ok(Some(0));
    }
    let kmin = kmin.max(1);
    if kmin > kmax {
        return Ok(None);
    }
    let start = start.clamp(kmin, kmax);
    // Bracket: `lo` fails (or is below kmin), `hi` meets.
    let (mut lo, mut hi);
    let mut step = (start / 10).max(1);
    if meets(start)? {
        hi = start;
        lo = start.saturating_sub(step).max(kmin - 1);
        while lo >= kmin && meets(lo)? {
            hi = lo;
            step = step.saturating_mul(2);
            lo = lo.saturating_sub(step).max(kmin - 1);
        }
    } else {
        lo = start;
        loop {
            if lo >= kmax {
                return Ok(None);
            }
            hi = lo.saturating_add(step).min(kmax);
            if meets(hi)? {
                break;
            }
            lo = hi;
            step = step.saturating_mul(2);
        }
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if meets(mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(Some(hi))
}

#[cfg(test)]
mod tests {
    use super::least_steps;

    fn find(need: u64, kmin: u64, kmax: u64, start: u64) -> (Option<u64>, Vec<u64>) {
        let mut tried = Vec::new();
        let r = least_steps::<()>(kmin, kmax, start, |k| {
            tried.push(k);
            Ok(k >= need)
        })
        .unwrap();
        (r, tried)
    }

    #[test]
    fn finds_the_threshold_from_any_start() {
        for need in [0, 1, 2, 7, 50, 99, 100] {
            for start in [0, 1, 3, 50, 100, 1000] {
                let (r, _) = find(need, 1, 100, start);
                assert_eq!(r, Some(need), "need {need} start {start}");
            }
        }
    }

    #[test]
    fn respects_the_smallest_and_largest_order() {
        assert_eq!(find(3, 5, 100, 4).0, Some(5), "below min: min is ordered");
        assert_eq!(find(101, 1, 100, 50).0, None, "above max: none");
        assert_eq!(find(0, 5, 100, 50).0, Some(0), "nothing needed: no order");
    }

    #[test]
    fn a_good_start_needs_few_trials() {
        let (_, tried) = find(40, 1, 1_000_000, 40);
        assert!(tried.len() <= 8, "{tried:?}");
    }
}
