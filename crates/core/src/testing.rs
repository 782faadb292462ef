//! Helpers for the checks' and the simulator's own fixtures.

use crate::{Diagnostic, analyze};

pub fn diagnostics_of(text: &str) -> Vec<Diagnostic> {
    analyze(text).diagnostics
}

pub fn codes_of(text: &str) -> Vec<&'static str> {
    diagnostics_of(text).iter().map(|d| d.code).collect()
}

/// The 1-based lines at which `code` is reported.
pub fn lines_of(text: &str, code: &str) -> Vec<u32> {
    diagnostics_of(text)
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.span.start.line)
        .collect()
}

/// The timeline of `text` applied at t=0 on the default three nodes, then `steps`
/// (milliseconds, action) in the default namespace, run until `until` ms.
pub fn simulate_steps(
    text: &str,
    steps: Vec<(crate::sim::app::Millis, crate::sim::Action)>,
    until: crate::sim::app::Millis,
) -> crate::sim::Timeline {
    use crate::sim::{Action, NodeSpec, Scenario, Step};
    let step = |at, action| Step {
        at,
        action,
        namespace: "default".into(),
        line: 0,
    };
    let apply = Action::Apply {
        path: None,
        inline: Some(text.into()),
    };
    let scenario = Scenario {
        nodes: (1..=3)
            .map(|i| NodeSpec::default_named(format!("node-{i}")))
            .collect(),
        steps: std::iter::once(step(0, apply))
            .chain(steps.into_iter().map(|(at, a)| step(at, a)))
            .collect(),
        until,
    };
    crate::sim::simulate(&scenario, &|_| Err("no files".into()))
}
