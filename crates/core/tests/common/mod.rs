//! Helpers shared by the simulator's integration tests.

use kubeplay_core::sim::{Timeline, parse_scenario, simulate};

/// Runs a scenario that applies `manifest` at t=0 on `cluster` (a `cluster:` block or
/// empty for the default 3 nodes), then `steps` (scenario step lines), until `until`.
pub fn run(manifest: &str, cluster: &str, steps: &str, until: &str) -> Timeline {
    let inline: String = manifest.lines().map(|l| format!("      {l}\n")).collect();
    let text =
        format!("{cluster}steps:\n  - at: 0s\n    apply: |\n{inline}{steps}until: {until}\n");
    let scenario = parse_scenario(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    simulate(&scenario, &|_| Err("no files".into()))
}
