//! Exported for benchmarks and tests in the browser (`window.wasmBindings.*`).

use wasm_bindgen::prelude::*;

/// Mean milliseconds per `kubeplay_core::analyze` call over `iterations` runs.
#[wasm_bindgen]
#[must_use]
pub fn bench_analyze(text: &str, iterations: u32) -> f64 {
    let Some(perf) = web_sys::window().and_then(|w| w.performance()) else {
        return f64::NAN;
    };
    let n = iterations.max(1);
    let start = perf.now();
    for _ in 0..n {
        std::hint::black_box(kubeplay_core::analyze(std::hint::black_box(text)));
    }
    (perf.now() - start) / f64::from(n)
}

// The simulator benchmark's own scenarios (criterion runs the same ones natively).
#[cfg(feature = "play")]
#[path = "../../core/benches/common/scenarios.rs"]
mod scenarios;

/// Mean milliseconds per `kubeplay_core::sim::simulate` of one of the simulator benchmark's
/// scenarios (`"rollout_1000"`, `"hpa_24h"` or `"memory_pressure_1h"`) over `iterations` runs; NaN for another name.
#[cfg(feature = "play")]
#[wasm_bindgen]
#[must_use]
pub fn bench_simulate(scenario: &str, iterations: u32) -> f64 {
    let scenario = match scenario {
        "rollout_1000" => scenarios::rollout_1000(),
        "hpa_24h" => scenarios::hpa_24h(),
        "memory_pressure_1h" => scenarios::memory_pressure_1h(),
        _ => return f64::NAN,
    };
    let Some(perf) = web_sys::window().and_then(|w| w.performance()) else {
        return f64::NAN;
    };
    let resolve = |_: &str| -> Result<String, String> { Err("no files".into()) };
    let n = iterations.max(1);
    let start = perf.now();
    for _ in 0..n {
        std::hint::black_box(kubeplay_core::sim::simulate(
            std::hint::black_box(&scenario),
            &resolve,
        ));
    }
    (perf.now() - start) / f64::from(n)
}

/// Panics on purpose, so the browser tests can check the crash screen and that the
/// learner's text survives. Harmless: the learner's text is saved first by the hook.
#[wasm_bindgen]
pub fn simulate_crash() {
    panic!("simulated crash (test hook)");
}
