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
    fn single_value_has_degenerate_interval() {
        let s = Stat::from_values(&[7.0]);
        assert_eq!(
            (s.mean, s.p50, s.p95, s.ci95_low, s.ci95_high),
            (7.0, 7.0, 7.0, 7.0, 7.0)
        );
    }
}
