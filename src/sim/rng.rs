//! Random streams: one independent, portable stream per (seed, purpose, replication, day).
//!
//! ChaCha8 is specified independently of platform and word size, so the same seed gives the
//! same draws on every machine. The key is derived from the seed, the purpose and the day by
//! SplitMix64; the replication is ChaCha's 64-bit stream number. Because a stream never depends
//! on which thread runs it, results are identical whatever the thread count.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;

/// What a stream is used for; separate purposes keep draws aligned across capacities
/// (common random numbers): changing a pool's size changes how many back-offs are drawn,
/// but never shifts the login times or session lengths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// Delivery delays and other once-per-replication draws.
    Setup = 1,
    /// Who works remotely each day.
    Attendance = 2,
    /// Login times.
    Logins = 3,
    /// Session lengths.
    Sessions = 4,
    /// Back-offs of blocked attempts.
    Backoff = 5,
    /// Stationary arrivals and idle times.
    Arrivals = 6,
    /// Uncertain inputs, drawn once per replication.
    Uncertain = 7,
    /// Outages: which sessions drop and when their users reconnect.
    Outage = 8,
    /// Breaks: who takes one, when and for how long.
    Breaks = 9,
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The stream for one purpose of one replication on one day.
pub fn stream(seed: u64, purpose: Purpose, replication: u64, day: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    let mut state = splitmix(seed ^ splitmix(purpose as u64));
    state = splitmix(state ^ day.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    for chunk in key.chunks_exact_mut(8) {
        state = splitmix(state);
        chunk.copy_from_slice(&state.to_le_bytes());
    }
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(replication);
    rng
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: u64 = stream(7, Purpose::Logins, 3, 10).random();
        let b: u64 = stream(7, Purpose::Logins, 3, 10).random();
        assert_eq!(a, b);
        for other in [
            stream(8, Purpose::Logins, 3, 10),
            stream(7, Purpose::Sessions, 3, 10),
            stream(7, Purpose::Logins, 4, 10),
            stream(7, Purpose::Logins, 3, 11),
        ] {
            let mut other = other;
            assert_ne!(a, other.random::<u64>());
        }
    }

    #[test]
    fn first_draws_are_pinned() {
        // Guards portability: a change of generator, key derivation or stream numbering changes
        // every published result. The literals were drawn once and are never to be updated
        // without saying so in the changelog.
        let first = |seed, purpose, rep, day| -> [u64; 2] {
            let mut r = stream(seed, purpose, rep, day);
            [r.random(), r.random()]
        };
        let got = [
            first(1, Purpose::Setup, 0, 0),
            first(42, Purpose::Logins, 7, 365),
            first(u64::MAX, Purpose::Backoff, u64::MAX, 3659),
        ];
        assert_eq!(got, PINNED);
    }

    const PINNED: [[u64; 2]; 3] = [
        [11_532_650_486_008_368_015, 9_717_850_138_751_586_360],
        [16_702_317_796_053_125_570, 12_847_274_581_193_611_142],
        [7_565_176_525_286_192_525, 2_608_894_277_875_349_985],
    ];
}
