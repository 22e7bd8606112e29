//! Distributions compiled for sampling: parameters are converted once, so a draw on the hot
//! path is a few arithmetic operations.

use rand::Rng;
use rand::RngExt;
use rand_distr::{Distribution as _, Exp1, StandardNormal};
use statrs::distribution::{ContinuousCDF, Normal};

use super::{Distribution, LognormalSpec};

/// z such that Φ(z) = 0.95.
const Z95: f64 = 1.644_853_626_951_472_2;

/// Draws [`Sampler::sample_within`] tries before it samples the truncated range by its inverse
/// distribution function instead.
pub const MAX_REJECTIONS: usize = 64;

/// A distribution ready to sample, in seconds.
#[derive(Clone, Debug)]
pub enum Sampler {
    /// A constant.
    Fixed(f64),
    /// Uniform on [low, low + width).
    Uniform {
        /// Lower bound.
        low: f64,
        /// Width.
        width: f64,
    },
    /// Normal.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Log-normal: exp(mu + sigma·Z) seconds.
    Lognormal {
        /// Mean of ln(seconds).
        mu: f64,
        /// Standard deviation of ln.
        sigma: f64,
    },
    /// Exponential with the given mean.
    Exponential(f64),
    /// Discrete table: cumulative weights (normalised to 1) and values.
    Empirical {
        /// Cumulative probabilities.
        cumulative: Vec<f64>,
        /// Values.
        values: Vec<f64>,
    },
}

impl Sampler {
    /// Compiles a validated distribution.
    pub fn new(d: &Distribution) -> Sampler {
        match d {
            Distribution::Fixed { value } => Sampler::Fixed(value.secs()),
            Distribution::Uniform { min, max } => Sampler::Uniform {
                low: min.secs(),
                width: max.secs() - min.secs(),
            },
            Distribution::Normal { mean, sd } => Sampler::Normal {
                mean: mean.secs(),
                sd: sd.secs(),
            },
            Distribution::Exponential { mean } => Sampler::Exponential(mean.secs()),
            Distribution::Lognormal(spec) => {
                let (mu, sigma) = lognormal_params(spec);
                Sampler::Lognormal { mu, sigma }
            }
            Distribution::Empirical { points } => {
                let total: f64 = points.iter().map(|p| p.weight.max(0.0)).sum();
                let mut acc = 0.0;
                let mut cumulative = Vec::with_capacity(points.len());
                for p in points {
                    acc += p.weight.max(0.0) / total;
                    cumulative.push(acc);
                }
                if let Some(last) = cumulative.last_mut() {
                    *last = 1.0;
                }
                Sampler::Empirical {
                    cumulative,
                    values: points.iter().map(|p| p.value.secs()).collect(),
                }
            }
        }
    }

    /// Draws one value (seconds).
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Sampler::Fixed(v) => *v,
            Sampler::Uniform { low, width } => low + width * rng.random::<f64>(),
            Sampler::Normal { mean, sd } => {
                let z: f64 = StandardNormal.sample(rng);
                mean + sd * z
            }
            Sampler::Lognormal { mu, sigma } => {
                let z: f64 = StandardNormal.sample(rng);
                (mu + sigma * z).exp()
            }
            Sampler::Exponential(mean) => {
                let e: f64 = Exp1.sample(rng);
                mean * e
            }
            Sampler::Empirical { cumulative, values } => {
                let u: f64 = rng.random();
                let idx = cumulative
                    .partition_point(|&c| c < u)
                    .min(values.len().saturating_sub(1));
                values.get(idx).copied().unwrap_or(0.0)
            }
        }
    }

    /// Draws one value (seconds) from the distribution truncated to `[lo, hi)`.
    ///
    /// Draws with [`Sampler::sample`] until one falls inside, so a draw that is inside at the
    /// first try is exactly the value (and uses exactly the random numbers) `sample` gives. After
    /// [`MAX_REJECTIONS`] draws outside (the range holds little of the distribution), one more
    /// uniform number is turned into a value by the inverse distribution function of the
    /// truncated distribution. A distribution with no mass in the range (a fixed value or an
    /// empirical table outside it, a uniform range beside it) cannot be truncated: then the
    /// last draw is clamped to the range, to `lo` or to the largest value below `hi`
    /// (validation warns about such login times).
    pub fn sample_within<R: Rng + ?Sized>(&self, rng: &mut R, lo: f64, hi: f64) -> f64 {
        if let Sampler::Fixed(v) = self {
            return clamp_into(*v, lo, hi);
        }
        let mut x = f64::NAN;
        for _ in 0..MAX_REJECTIONS {
            x = self.sample(rng);
            if (lo..hi).contains(&x) {
                return x;
            }
        }
        let u: f64 = rng.random();
        match self.quantile_within(u, lo, hi) {
            Some(q) => clamp_into(q, lo, hi),
            None => clamp_into(x, lo, hi),
        }
    }

    /// The probability that a draw falls in `[lo, hi)`.
    pub fn mass_within(&self, lo: f64, hi: f64) -> f64 {
        if (lo..hi).is_empty() {
            return 0.0;
        }
        let inside = |v: f64| if (lo..hi).contains(&v) { 1.0 } else { 0.0 };
        match self {
            Sampler::Fixed(v) => inside(*v),
            Sampler::Uniform { low, width } => {
                if *width > 0.0 {
                    let (a, b) = (lo.max(*low), hi.min(low + width));
                    ((b - a) / width).clamp(0.0, 1.0)
                } else {
                    inside(*low)
                }
            }
            Sampler::Normal { mean, sd } => {
                if *sd > 0.0 {
                    std_normal_mass((lo - mean) / sd, (hi - mean) / sd)
                } else {
                    inside(*mean)
                }
            }
            Sampler::Lognormal { mu, sigma } => {
                if *sigma > 0.0 {
                    let (a, b) = log_bounds(*mu, *sigma, lo, hi);
                    std_normal_mass(a, b)
                } else {
                    inside(mu.exp())
                }
            }
            Sampler::Exponential(mean) => {
                let (a, b) = (lo.max(0.0), hi);
                if b > a && *mean > 0.0 {
                    ((-a / mean).exp() - (-b / mean).exp()).clamp(0.0, 1.0)
                } else {
                    0.0
                }
            }
            Sampler::Empirical { cumulative, values } => {
                empirical_masses(cumulative, values, lo, hi)
                    .map(|(_, p)| p)
                    .sum::<f64>()
            }
        }
    }

    /// The `u`-quantile (`u` in `[0, 1)`) of the distribution truncated to `[lo, hi)`, or `None`
    /// when it has no mass there.
    fn quantile_within(&self, u: f64, lo: f64, hi: f64) -> Option<f64> {
        if (lo..hi).is_empty() {
            return None;
        }
        match self {
            Sampler::Fixed(v) => (lo..hi).contains(v).then_some(*v),
            Sampler::Uniform { low, width } => {
                let (a, b) = (lo.max(*low), hi.min(low + width));
                if *width > 0.0 && b > a {
                    Some(a + (b - a) * u)
                } else {
                    (lo..hi).contains(low).then_some(*low)
                }
            }
            Sampler::Normal { mean, sd } => {
                if *sd > 0.0 {
                    std_normal_quantile_within(u, (lo - mean) / sd, (hi - mean) / sd)
                        .map(|z| mean + sd * z)
                } else {
                    (lo..hi).contains(mean).then_some(*mean)
                }
            }
            Sampler::Lognormal { mu, sigma } => {
                if *sigma > 0.0 {
                    let (a, b) = log_bounds(*mu, *sigma, lo, hi);
                    std_normal_quantile_within(u, a, b).map(|z| (mu + sigma * z).exp())
                } else {
                    (lo..hi).contains(&mu.exp()).then(|| mu.exp())
                }
            }
            Sampler::Exponential(mean) => {
                // Survival function s(x) = exp(-x/mean), drawn uniformly between s(hi) and s(lo).
                let (a, b) = (lo.max(0.0), hi);
                if !(b > a && *mean > 0.0) {
                    return None;
                }
                let (sa, sb) = ((-a / mean).exp(), (-b / mean).exp());
                (sa > sb).then(|| -mean * (sa - u * (sa - sb)).ln())
            }
            Sampler::Empirical { cumulative, values } => {
                let total: f64 = empirical_masses(cumulative, values, lo, hi)
                    .map(|(_, p)| p)
                    .sum();
                if total.is_nan() || total <= 0.0 {
                    return None;
                }
                let target = u * total;
                let mut acc = 0.0;
                let mut last = None;
                for (v, p) in empirical_masses(cumulative, values, lo, hi) {
                    if p > 0.0 {
                        acc += p;
                        last = Some(v);
                        if acc > target {
                            break;
                        }
                    }
                }
                last
            }
        }
    }

    /// The mean (seconds).
    pub fn mean(&self) -> f64 {
        match self {
            Sampler::Fixed(v) => *v,
            Sampler::Uniform { low, width } => low + width / 2.0,
            Sampler::Normal { mean, .. } => *mean,
            Sampler::Lognormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            Sampler::Exponential(m) => *m,
            Sampler::Empirical { cumulative, values } => {
                let mut prev = 0.0;
                let mut sum = 0.0;
                for (c, v) in cumulative.iter().zip(values) {
                    sum += (c - prev) * v;
                    prev = *c;
                }
                sum
            }
        }
    }
}

/// `x` clamped to `[lo, hi)`: below `lo` (or NaN) gives `lo`, from `hi` on the largest value
/// below `hi`.
fn clamp_into(x: f64, lo: f64, hi: f64) -> f64 {
    if x >= hi {
        hi.next_down().max(lo)
    } else if x >= lo {
        x
    } else {
        lo
    }
}

/// Bounds of ln(X) standardised, `(ln lo - mu) / sigma` and `(ln hi - mu) / sigma`, for a
/// log-normal X (a bound at or below 0 is -∞).
fn log_bounds(mu: f64, sigma: f64, lo: f64, hi: f64) -> (f64, f64) {
    let z = |x: f64| {
        if x > 0.0 {
            (x.ln() - mu) / sigma
        } else {
            f64::NEG_INFINITY
        }
    };
    (z(lo), z(hi))
}

/// P(a ≤ Z < b) for a standard normal Z, accurate in either tail.
fn std_normal_mass(a: f64, b: f64) -> f64 {
    if (a..b).is_empty() {
        return 0.0;
    }
    let n = Normal::standard();
    let p = if a >= 0.0 {
        n.sf(a) - n.sf(b)
    } else {
        n.cdf(b) - n.cdf(a)
    };
    p.clamp(0.0, 1.0)
}

/// The `u`-quantile of a standard normal truncated to `[a, b)`, or `None` when the range holds
/// no mass (in floating point). In the upper tail it works with the survival function, so a
/// range far above the mean keeps its precision.
fn std_normal_quantile_within(u: f64, a: f64, b: f64) -> Option<f64> {
    if (a..b).is_empty() {
        return None;
    }
    let n = Normal::standard();
    if a >= 0.0 {
        let (sa, sb) = (n.sf(a), n.sf(b));
        (sa > sb).then(|| -n.inverse_cdf((sa - u * (sa - sb)).clamp(0.0, 1.0)))
    } else {
        let (ca, cb) = (n.cdf(a), n.cdf(b));
        (cb > ca).then(|| n.inverse_cdf((ca + u * (cb - ca)).clamp(0.0, 1.0)))
    }
}

/// The values of an empirical table that lie in `[lo, hi)`, each with its probability.
fn empirical_masses<'a>(
    cumulative: &'a [f64],
    values: &'a [f64],
    lo: f64,
    hi: f64,
) -> impl Iterator<Item = (f64, f64)> + 'a {
    let previous = std::iter::once(0.0).chain(cumulative.iter().copied());
    cumulative
        .iter()
        .zip(previous)
        .zip(values)
        .filter(move |(_, v)| (lo..hi).contains(*v))
        .map(|((c, p), v)| (*v, (c - p).max(0.0)))
}

/// (mu, sigma) of ln(seconds) for a validated log-normal specification.
pub fn lognormal_params(spec: &LognormalSpec) -> (f64, f64) {
    match (spec.median, spec.p95, spec.mu, spec.sigma) {
        (Some(m), Some(p), _, _) => {
            let mu = m.secs().ln();
            (mu, (p.secs().ln() - mu) / Z95)
        }
        (Some(m), None, _, Some(s)) => (m.secs().ln(), s),
        // mu is given for ln(hours); convert to ln(seconds).
        (None, _, Some(mu), Some(s)) => (mu + 3600f64.ln(), s),
        _ => (0.0, 1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::Duration;
    use rand_chacha::ChaCha8Rng;
    use rand_chacha::rand_core::SeedableRng;

    fn test_rng(seed: u64) -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(seed)
    }

    fn mean_of(s: &Sampler, n: usize) -> f64 {
        let mut rng = test_rng(42);
        (0..n).map(|_| s.sample(&mut rng)).sum::<f64>() / n as f64
    }

    #[test]
    fn sample_means_match_theory() {
        let cases = [
            Sampler::Exponential(300.0),
            Sampler::Normal {
                mean: 28_800.0,
                sd: 2700.0,
            },
            Sampler::Uniform {
                low: 10.0,
                width: 20.0,
            },
            Sampler::new(&Distribution::Lognormal(LognormalSpec {
                median: Some(Duration::from_hours(7.5)),
                sigma: Some(0.35),
                ..Default::default()
            })),
        ];
        for s in &cases {
            let m = mean_of(s, 200_000);
            assert!(
                (m / s.mean() - 1.0).abs() < 0.01,
                "{s:?}: sample mean {m} vs {}",
                s.mean()
            );
        }
    }

    #[test]
    fn lognormal_forms_agree() {
        let by_p95 = LognormalSpec {
            median: Some(Duration::from_hours(1.0)),
            p95: Some(Duration::from_secs(3600.0 * (0.5 * Z95).exp())),
            ..Default::default()
        };
        let (mu, sigma) = lognormal_params(&by_p95);
        assert!((sigma - 0.5).abs() < 1e-12);
        let by_mu = LognormalSpec {
            mu: Some(0.0),
            sigma: Some(0.5),
            ..Default::default()
        };
        let (mu2, sigma2) = lognormal_params(&by_mu);
        assert!((mu - mu2).abs() < 1e-12 && (sigma - sigma2).abs() < 1e-12);
    }

    const DAY: f64 = 86_400.0;

    /// Mean and variance of a normal(mean, sd) truncated to [lo, hi), exactly.
    fn truncated_normal_moments(mean: f64, sd: f64, lo: f64, hi: f64) -> (f64, f64) {
        let n = Normal::standard();
        let pdf = |z: f64| (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let (a, b) = ((lo - mean) / sd, (hi - mean) / sd);
        let z = n.cdf(b) - n.cdf(a);
        let shift = (pdf(a) - pdf(b)) / z;
        let var = sd * sd * (1.0 + (a * pdf(a) - b * pdf(b)) / z - shift * shift);
        (mean + sd * shift, var)
    }

    fn draws_within(s: &Sampler, n: usize, lo: f64, hi: f64) -> Vec<f64> {
        let mut rng = test_rng(7);
        (0..n).map(|_| s.sample_within(&mut rng, lo, hi)).collect()
    }

    /// The sample mean agrees with `expected` within four standard errors.
    fn assert_mean(draws: &[f64], expected: f64, var: f64, what: &str) {
        let n = draws.len() as f64;
        let m = draws.iter().sum::<f64>() / n;
        let se = (var / n).sqrt();
        assert!(
            (m - expected).abs() < 4.0 * se,
            "{what}: sample mean {m} vs exact {expected} (standard error {se})"
        );
    }

    #[test]
    fn a_late_normal_login_is_truncated_to_the_day_not_piled_at_midnight() {
        // Normal(22:00, 2 h): 15.9% of it lies after 24:00.
        let s = Sampler::Normal {
            mean: 22.0 * 3600.0,
            sd: 2.0 * 3600.0,
        };
        let draws = draws_within(&s, 200_000, 0.0, DAY);
        assert!(draws.iter().all(|&t| (0.0..DAY).contains(&t)));
        let last_second = draws.iter().filter(|&&t| t >= DAY - 1.0).count();
        // The truncated density at 24:00 puts about 4e-5 of the draws into the last second
        // (clipping put 0.159 there).
        assert!(
            (last_second as f64) < 1e-3 * draws.len() as f64,
            "{last_second} draws in the last second"
        );
        let (mean, var) = truncated_normal_moments(22.0 * 3600.0, 2.0 * 3600.0, 0.0, DAY);
        assert!((mean / 3600.0 - 21.4249).abs() < 1e-3, "exact mean {mean}");
        assert_mean(&draws, mean, var, "Normal(22:00, 2h) in the day");
        let outside = 1.0 - s.mass_within(0.0, DAY);
        assert!((outside - 0.158_655_253_9).abs() < 1e-9, "{outside}");
    }

    #[test]
    fn a_range_with_little_mass_is_sampled_by_the_inverse_cdf() {
        // Normal(0, 1) on [3, 4): 0.13% of the mass, so most values come from the fallback;
        // the upper tail keeps its precision there.
        let s = Sampler::Normal { mean: 0.0, sd: 1.0 };
        let draws = draws_within(&s, 50_000, 3.0, 4.0);
        assert!(draws.iter().all(|&t| (3.0..4.0).contains(&t)));
        let (mean, var) = truncated_normal_moments(0.0, 1.0, 3.0, 4.0);
        assert_mean(&draws, mean, var, "Normal(0, 1) on [3, 4)");
        // And in the lower tail.
        let draws = draws_within(&s, 50_000, -4.0, -3.0);
        assert_mean(&draws, -mean, var, "Normal(0, 1) on [-4, -3)");

        // Exponential(mean 1) on [5, 6): exact mean 5 + 1 - 1/(e - 1).
        let e = Sampler::Exponential(1.0);
        let draws = draws_within(&e, 50_000, 5.0, 6.0);
        assert!(draws.iter().all(|&t| (5.0..6.0).contains(&t)));
        let exact = 6.0 - 1.0 / (std::f64::consts::E - 1.0);
        assert_mean(&draws, exact, 1.0 / 12.0, "Exponential(1) on [5, 6)");
        assert!((e.mass_within(5.0, 6.0) - ((-5f64).exp() - (-6f64).exp())).abs() < 1e-15);

        // Log-normal: ln X = N(0, 1) on [ln 20, ln 30); the fraction below the median of the
        // truncated law is one half.
        let l = Sampler::Lognormal {
            mu: 0.0,
            sigma: 1.0,
        };
        let draws = draws_within(&l, 50_000, 20.0, 30.0);
        assert!(draws.iter().all(|&t| (20.0..30.0).contains(&t)));
        let n = Normal::standard();
        let (a, b) = (20f64.ln(), 30f64.ln());
        let median = (n.inverse_cdf((n.cdf(a) + n.cdf(b)) / 2.0)).exp();
        let below = draws.iter().filter(|&&t| t < median).count() as f64 / draws.len() as f64;
        assert!(
            (below - 0.5).abs() < 4.0 * (0.25 / draws.len() as f64).sqrt(),
            "{below}"
        );
        assert!((l.mass_within(20.0, 30.0) - (n.cdf(b) - n.cdf(a))).abs() < 1e-15);
    }

    #[test]
    fn draws_inside_the_range_are_exactly_the_untruncated_draws() {
        let s = Sampler::Normal {
            mean: 8.0 * 3600.0,
            sd: 2700.0,
        };
        let mut a = test_rng(3);
        let mut b = a.clone();
        for _ in 0..100_000 {
            assert_eq!(
                s.sample_within(&mut a, 0.0, DAY).to_bits(),
                s.sample(&mut b).to_bits()
            );
        }
        // Both streams are at the same place afterwards.
        assert_eq!(a.random::<u64>(), b.random::<u64>());
    }

    #[test]
    fn uniform_and_empirical_are_truncated_to_their_part_in_range() {
        let u = Sampler::Uniform {
            low: 80_000.0,
            width: 10_000.0,
        };
        assert!((u.mass_within(0.0, DAY) - 0.64).abs() < 1e-12);
        let draws = draws_within(&u, 20_000, 0.0, DAY);
        assert!(draws.iter().all(|&t| (80_000.0..DAY).contains(&t)));
        assert_mean(
            &draws,
            83_200.0,
            6_400f64.powi(2) / 12.0,
            "uniform in the day",
        );

        // 10% at 23:00, 30% at 25:00 (outside), 60% at 01:00: in the day 1/7 and 6/7.
        let e = Sampler::new(&Distribution::Empirical {
            points: [(23.0, 1.0), (25.0, 3.0), (1.0, 6.0)]
                .iter()
                .map(|&(h, w)| crate::scenario::EmpiricalPoint {
                    value: Duration::from_hours(h),
                    weight: w,
                })
                .collect(),
        });
        assert!((e.mass_within(0.0, DAY) - 0.7).abs() < 1e-12);
        let draws = draws_within(&e, 70_000, 0.0, DAY);
        let late = draws.iter().filter(|&&t| t == 23.0 * 3600.0).count() as f64;
        let early = draws.iter().filter(|&&t| t == 3600.0).count() as f64;
        assert_eq!(late + early, draws.len() as f64);
        assert!((late / draws.len() as f64 - 1.0 / 7.0).abs() < 0.01);
    }

    #[test]
    fn no_mass_in_range_falls_back_to_the_nearest_bound() {
        let f = Sampler::Fixed(25.0 * 3600.0);
        assert_eq!(f.mass_within(0.0, DAY), 0.0);
        let mut rng = test_rng(1);
        let t = f.sample_within(&mut rng, 0.0, DAY);
        assert!(t < DAY && t > DAY - 1e-6, "{t}");
        assert_eq!(Sampler::Fixed(-5.0).sample_within(&mut rng, 0.0, DAY), 0.0);
        assert_eq!(
            Sampler::Fixed(600.0).sample_within(&mut rng, 0.0, DAY),
            600.0
        );
        let e = Sampler::Empirical {
            cumulative: vec![0.5, 1.0],
            values: vec![-10.0, 90_000.0],
        };
        assert_eq!(e.mass_within(0.0, DAY), 0.0);
        for _ in 0..100 {
            let t = e.sample_within(&mut rng, 0.0, DAY);
            assert!(t == 0.0 || t == DAY.next_down(), "{t}");
        }
    }

    #[test]
    fn empirical_draws_follow_weights() {
        let s = Sampler::Empirical {
            cumulative: vec![0.25, 1.0],
            values: vec![1.0, 2.0],
        };
        let m = mean_of(&s, 100_000);
        assert!((m - 1.75).abs() < 0.01);
    }
}
