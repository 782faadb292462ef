//! Scenario parsing and a bounded simulation: no panic, no runaway loop, deterministic.
#![no_main]
use libfuzzer_sys::fuzz_target;

const MANIFEST: &str = include_str!("../../crates/web/src/starter.yaml");

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(mut scenario) = kubeplay_core::sim::parse_scenario(&text) else { return };
    // Keep each run short: at most 30 simulated minutes and 4 nodes.
    scenario.until = scenario.until.min(1_800_000);
    scenario.nodes.truncate(4);
    let resolve = |_: &str| -> Result<String, String> { Ok(MANIFEST.to_owned()) };
    let a = kubeplay_core::sim::simulate(&scenario, &resolve);
    let b = kubeplay_core::sim::simulate(&scenario, &resolve);
    assert_eq!(a, b);
});
