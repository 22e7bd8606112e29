//! Statistics across replications: mean, quantiles and the Student-t confidence interval.

use serde::Serialize;
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

    /// The value at a named quantile.
    pub fn at(&self, q: crate::scenario::Quantile) -> f64 {
        use crate::scenario::Quantile;
        match q {
            Quantile::Mean => self.mean,
            Quantile::P50 => self.p50,
            Quantile::P95 => self.p95,
            Quantile::P99 => self.p99,
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
    match StudentsT::new(0.0, 1.0, df as f64) {
        Ok(t) => t.inverse_cdf(0.975),
        Err(_) => 1.959_963_984_540_054,
    }
}

/// Replications whose values a [`Acc`] keeps exactly; beyond, it keeps a sketch.
pub const EXACT_REPLICATIONS: usize = 1000;

/// Relative accuracy of the sketch's quantiles beyond [`EXACT_REPLICATIONS`].
pub const SKETCH_ACCURACY: f64 = 0.005;

/// One figure accumulated over replications, fed one replication at a time in replication
/// order, in bounded memory.
///
/// Up to [`EXACT_REPLICATIONS`] values are kept as they are, so the summary is exactly
/// [`Stat::from_values`]. Beyond that, values go into a log-bucket sketch (relative error of
/// any quantile at most [`SKETCH_ACCURACY`]) and the mean and interval come from running sums,
/// so memory stops growing with the number of replications. Feeding in replication order
/// keeps every result independent of the thread count.
#[derive(Clone, Debug, Default)]
pub struct Acc {
    exact: Vec<f64>,
    sketch: Option<Sketch>,
    n: u64,
    mean: f64,
    m2: f64,
}

#[derive(Clone, Debug, Default)]
struct Sketch {
    /// Values at or below zero (the figures here are never negative).
    zeros: u64,
    buckets: std::collections::BTreeMap<i32, u64>,
}

fn gamma() -> f64 {
    (1.0 + SKETCH_ACCURACY) / (1.0 - SKETCH_ACCURACY)
}

impl Sketch {
    fn add(&mut self, x: f64) {
        if x <= 0.0 || x.is_nan() {
            self.zeros += 1;
            return;
        }
        let key = (x.ln() / gamma().ln()).ceil().clamp(-100_000.0, 100_000.0) as i32;
        *self.buckets.entry(key).or_insert(0) += 1;
    }

    fn value_at_rank(&self, rank: u64) -> f64 {
        if rank < self.zeros {
            return 0.0;
        }
        let mut seen = self.zeros;
        let g = gamma();
        for (&k, &c) in &self.buckets {
            seen += c;
            if rank < seen {
                return 2.0 * g.powi(k) / (g + 1.0);
            }
        }
        self.buckets
            .keys()
            .next_back()
            .map_or(0.0, |&k| 2.0 * g.powi(k) / (g + 1.0))
    }

    fn quantile(&self, n: u64, q: f64) -> f64 {
        if n == 0 {
            return 0.0;
        }
        let pos = q.clamp(0.0, 1.0) * (n - 1) as f64;
        let (lo, hi) = (pos.floor() as u64, pos.ceil() as u64);
        let (a, b) = (self.value_at_rank(lo), self.value_at_rank(hi));
        a + (b - a) * (pos - lo as f64)
    }
}

impl Acc {
    /// Adds the next replication's value.
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
        match self.sketch.as_mut() {
            Some(s) => s.add(x),
            None if self.exact.len() < EXACT_REPLICATIONS => self.exact.push(x),
            None => {
                let mut s = Sketch::default();
                for v in self.exact.drain(..) {
                    s.add(v);
                }
                s.add(x);
                self.exact = Vec::new();
                self.sketch = Some(s);
            }
        }
    }

    /// The mean: exactly as [`Stat::from_values`] computes it while the values are kept.
    pub fn mean(&self) -> f64 {
        match (&self.sketch, self.exact.len()) {
            (Some(_), _) => self.mean,
            (None, 0) => 0.0,
            (None, n) => self.exact.iter().sum::<f64>() / n as f64,
        }
    }

    /// The summary: exactly [`Stat::from_values`] while the values are kept; from the sketch
    /// and running sums beyond [`EXACT_REPLICATIONS`].
    pub fn stat(&self) -> Stat {
        let Some(s) = &self.sketch else {
            return Stat::from_values(&self.exact);
        };
        let n = self.n as f64;
        let var = if self.n > 1 { self.m2 / (n - 1.0) } else { 0.0 };
        let half = t_quantile_975(self.n.saturating_sub(1) as usize) * (var / n).sqrt();
        Stat {
            mean: self.mean,
            p50: s.quantile(self.n, 0.5),
            p95: s.quantile(self.n, 0.95),
            p99: s.quantile(self.n, 0.99),
            ci95_low: self.mean - half,
            ci95_high: self.mean + half,
        }
    }

    /// Any quantile (exact while the values are).
    pub fn quantile(&self, q: f64) -> f64 {
        match &self.sketch {
            Some(s) => s.quantile(self.n, q),
            None => quantile(&self.exact, q),
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

    #[test]
    fn acc_is_exact_up_to_the_cap_then_within_the_sketch_accuracy() {
        let values: Vec<f64> = (0..5000)
            .map(|i| ((i * 7919) % 5000) as f64 + 1.0)
            .collect();
        let mut acc = Acc::default();
        for (i, &v) in values.iter().enumerate() {
            acc.push(v);
            if i + 1 == EXACT_REPLICATIONS {
                assert_eq!(acc.stat(), Stat::from_values(&values[..=i]));
                assert_eq!(acc.mean(), Stat::from_values(&values[..=i]).mean);
            }
        }
        let exact = Stat::from_values(&values);
        let got = acc.stat();
        assert!((got.mean - exact.mean).abs() < 1e-9 * exact.mean);
        for (a, b) in [
            (got.p50, exact.p50),
            (got.p95, exact.p95),
            (got.p99, exact.p99),
        ] {
            assert!((a - b).abs() <= 2.0 * SKETCH_ACCURACY * b, "{a} vs {b}");
        }
        assert!((got.ci95_high - exact.ci95_high).abs() < 1e-6 * exact.ci95_high);
        assert!(
            (acc.quantile(0.05) - quantile(&values, 0.05)).abs()
                <= 2.0 * SKETCH_ACCURACY * quantile(&values, 0.05)
        );
        // Zeros stay zeros.
        let mut z = Acc::default();
        for i in 0..3000 {
            z.push(if i % 10 == 0 { 5.0 } else { 0.0 });
        }
        assert_eq!(z.stat().p50, 0.0);
        assert!((z.stat().p95 - 5.0).abs() <= 5.0 * 2.0 * SKETCH_ACCURACY);
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
