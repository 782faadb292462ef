//! Simulator budgets (DESIGN.md): a 1,000-replica rolling update to completion, and 24
//! simulated hours of an HPA under a varying load, each under 20 ms native; and an hour of
//! node-pressure eviction on five nodes.

use criterion::{Criterion, criterion_group, criterion_main};
use kubeplay_core::sim::simulate;

#[path = "common/scenarios.rs"]
mod scenarios;
use scenarios::{hpa_24h, memory_pressure_1h, rollout_1000};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let resolve = |_: &str| -> Result<String, String> { Err("no files".into()) };
    let rollout = rollout_1000();
    c.bench_function("1000-replica rolling update", |b| {
        b.iter(|| simulate(black_box(&rollout), &resolve))
    });
    let hpa = hpa_24h();
    c.bench_function("24 h of HPA", |b| {
        b.iter(|| simulate(black_box(&hpa), &resolve))
    });
    let pressure = memory_pressure_1h();
    c.bench_function("1 h of memory pressure", |b| {
        b.iter(|| simulate(black_box(&pressure), &resolve))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
