//! Distributions compiled for sampling: parameters are converted once, so a draw on the hot
//! path is a few arithmetic operations.

use rand::Rng;
use rand::RngExt;
use rand_distr::{Distribution as _, Exp1, StandardNormal};

use crate::scenario::{Distribution, LognormalSpec};

/// z such that Φ(z) = 0.95.
const Z95: f64 = 1.644_853_626_951_472_2;

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

    fn mean_of(s: &Sampler, n: usize) -> f64 {
        let mut rng = crate::sim::rng::stream(42, crate::sim::rng::Purpose::Setup, 0, 0);
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
