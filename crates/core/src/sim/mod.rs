//! The cluster simulator: a deterministic discrete-event model built from the same
//! controllers Kubernetes runs (scheduler, Deployment and ReplicaSet controllers, kubelet,
//! endpoints, HPA). Time is a number the caller advances; the same scenario gives the same
//! timeline on every platform. See docs/simulation.md.

mod actions;
mod admission;
pub mod app;
mod apply;
pub mod cluster;
pub mod config;
mod daemonset;
mod deployment;
pub mod dns;
mod drain;
pub mod endpoints;
pub mod engine;
pub mod eviction;
pub mod hpa;
pub mod hpa_series;
pub mod ingress;
pub mod job;
mod kubelet;
pub mod memory;
pub mod netpol;
pub mod network;
pub mod nodeport;
pub mod objects;
pub mod quota;
pub mod rbac;
pub mod reach_matrix;
mod replicaset;
pub mod scenario;
mod scheduler;
pub mod service;
pub mod spec;
mod statefulset;
mod store;
pub mod stored;
pub mod timeline;
pub mod tls;
mod views;
pub mod volumes;

use std::collections::{BTreeMap, BTreeSet};

pub use deployment::safe_encode;
pub use engine::Sim;
pub use scenario::{
    Action, NodeSpec, Scenario, ScenarioError, Step, parse_duration, parse_scenario,
};
pub use timeline::{Event, PodView, Snapshot, Timeline};

use cluster::{SimNode, Taint};

fn nodes_of(specs: &[NodeSpec]) -> Vec<SimNode> {
    specs
        .iter()
        .enumerate()
        .map(|(index, n)| SimNode {
            name: n.name.clone(),
            cpu_milli: n.cpu_milli,
            memory: n.memory,
            max_pods: n.max_pods,
            labels: n
                .labels
                .iter()
                .cloned()
                .chain([("kubernetes.io/hostname".to_owned(), n.name.clone())])
                .collect::<BTreeMap<_, _>>(),
            taints: n
                .taints
                .iter()
                .map(|(key, value, effect)| Taint {
                    key: key.clone(),
                    value: value.clone(),
                    effect: effect.clone(),
                })
                .collect(),
            unschedulable: false,
            images: BTreeSet::new(),
            index,
        })
        .collect()
}

/// Runs a scenario; `resolve` reads the files its `apply` steps name.
#[must_use]
pub fn simulate(scenario: &Scenario, resolve: &dyn Fn(&str) -> Result<String, String>) -> Timeline {
    run_scenario(scenario, resolve).timeline
}

/// Runs a scenario to its `until` and returns the simulator itself, for questions about
/// the state at that instant (`Sim::route`, `Sim::may_reach`, `Sim::can_i`,
/// `Sim::config_seen`). To ask about time `t`, run a copy of the scenario with `until: t`.
#[must_use]
pub fn run_scenario(scenario: &Scenario, resolve: &dyn Fn(&str) -> Result<String, String>) -> Sim {
    let mut sim = Sim::new(nodes_of(&scenario.nodes), scenario.until);
    let mut next = 0;
    sim.run(|sim| {
        while let Some(step) = scenario.steps.get(next) {
            if step.at > sim.now {
                return Some(step.at);
            }
            sim.act(step, resolve);
            next += 1;
        }
        None
    });
    // The state holds until `until`: questions are asked at that instant.
    if !sim.stopped {
        sim.now = sim.now.max(scenario.until);
    }
    sim
}

/// Applies a manifest at t=0 on the default cluster and runs for `until` milliseconds: what
/// the playground shows when the learner presses play.
#[must_use]
pub fn simulate_manifest(text: &str, until: app::Millis) -> Timeline {
    let scenario = Scenario {
        nodes: (1..=3)
            .map(|i| NodeSpec::default_named(format!("node-{i}")))
            .collect(),
        steps: vec![Step {
            at: 0,
            action: Action::Apply {
                path: None,
                inline: Some(text.to_owned()),
            },
            namespace: "default".into(),
            line: 1,
        }],
        until,
    };
    simulate(&scenario, &|_| Err("no files".into()))
}
