//! Helpers shared by the simulator's integration tests.

use kubeplay_core::sim::{Sim, Timeline, parse_scenario, run_scenario};

/// Runs a scenario that applies `manifest` at t=0 on `cluster` (a `cluster:` block or
/// empty for the default 3 nodes), then `steps` (scenario step lines), until `until`.
#[allow(dead_code)]
pub fn run(manifest: &str, cluster: &str, steps: &str, until: &str) -> Timeline {
    run_sim(manifest, cluster, steps, until).timeline
}

/// As [`run`], but returns the simulator at `until`, for questions about that instant
/// (`can_i`, DNS, the requests it recorded).
pub fn run_sim(manifest: &str, cluster: &str, steps: &str, until: &str) -> Sim {
    let inline: String = manifest.lines().map(|l| format!("      {l}\n")).collect();
    let text =
        format!("{cluster}steps:\n  - at: 0s\n    apply: |\n{inline}{steps}until: {until}\n");
    let scenario = parse_scenario(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    run_scenario(&scenario, &|_| Err("no files".into()))
}
