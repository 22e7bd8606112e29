//! Benchmarks of scenario checking on long lists: `cargo bench --bench validate`.
//!
//! The starter scenario with 5,000 and 66,000 entries under `staff.office.access`, alternating
//! between its two paths, so every entry after the first two is a finding ("listed twice") that
//! must be located in the file: decoding, every semantic check, and one location lookup per
//! finding. Locating by field path must stay logarithmic: a scan per lookup made this quadratic
//! (66,000 entries took tens of seconds).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The starter with `entries` access entries in the office group (`entries - 2` findings).
fn repeated_paths(entries: usize) -> String {
    const ACCESS: &str = "      - path: vpn-notebook\n        enabled: 100      # already enabled on the first day\n      - path: web-portal\n";
    assert_eq!(rapt::scenario::STARTER.matches(ACCESS).count(), 1);
    let list: String = (0..entries)
        .map(|i| format!("      - path: {}\n", ["vpn-notebook", "web-portal"][i % 2]))
        .collect();
    rapt::scenario::STARTER.replacen(ACCESS, &list, 1)
}

fn validate(c: &mut Criterion) {
    let mut g = c.benchmark_group("validate");
    g.sample_size(10);
    for entries in [5_000usize, 66_000] {
        let text = repeated_paths(entries);
        let checked = rapt::scenario::check_str("bench.yaml", &text);
        assert_eq!(checked.diagnostics.len(), entries - 2);
        g.throughput(Throughput::Elements(entries as u64));
        g.bench_function(
            format!("{entries} access entries, {} findings", entries - 2),
            |b| {
                b.iter(|| {
                    black_box(
                        rapt::scenario::check_str("bench.yaml", &text)
                            .diagnostics
                            .len(),
                    )
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, validate);
criterion_main!(benches);
