//! Runs the 1,000-replica rolling update of the benchmark once, for profilers
//! (`valgrind --tool=callgrind target/release/examples/simbench`).
use kubeplay_core::sim::simulate;

#[path = "../benches/common/scenarios.rs"]
mod scenarios;

fn main() {
    let scenario = if std::env::args().any(|a| a == "hpa") {
        scenarios::hpa_24h()
    } else if std::env::args().any(|a| a == "pressure") {
        scenarios::memory_pressure_1h()
    } else {
        scenarios::rollout_1000()
    };
    let t = std::time::Instant::now();
    let tl = simulate(&scenario, &|_| Err("no files".into()));
    eprintln!(
        "{:?} snapshots={} events={}",
        t.elapsed(),
        tl.timeline.len(),
        tl.events.len()
    );
}
