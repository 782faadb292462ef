//! Runs the 1,000-replica rolling update once (for profilers).
use kubeplay_core::sim::{Action, NodeSpec, Scenario, Step, simulate};

fn main() {
    let manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1000\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          resources:\n            requests: {cpu: 10m, memory: 16Mi}\n";
    let step = |at, action| Step {
        at,
        action,
        namespace: "default".into(),
        line: 1,
    };
    let scenario = Scenario {
        nodes: (1..=20)
            .map(|i| NodeSpec {
                cpu_milli: 64_000,
                memory: 256 << 30,
                max_pods: 250,
                ..NodeSpec::default_named(format!("node-{i}"))
            })
            .collect(),
        steps: vec![
            step(
                0,
                Action::Apply {
                    path: None,
                    inline: Some(manifest.into()),
                },
            ),
            step(
                60_000,
                Action::SetImage {
                    deployment: "web".into(),
                    container: None,
                    image: "nginx:1.28".into(),
                },
            ),
        ],
        until: 600_000,
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
