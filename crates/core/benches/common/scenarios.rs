//! Scenarios shared by the simulator benchmark and the profiling example.

use kubeplay_core::sim::{Action, NodeSpec, Scenario, Step};

fn step(at: i64, action: Action) -> Step {
    Step {
        at,
        action,
        namespace: "default".into(),
        line: 1,
    }
}

pub fn rollout_1000() -> Scenario {
    let manifest = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1000
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources:
            requests: {cpu: 10m, memory: 16Mi}
";
    Scenario {
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
    }
}

pub fn hpa_24h() -> Scenario {
    let manifest = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: example/api:1.0.0
          resources:
            requests: {cpu: 200m, memory: 128Mi}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 20
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 60}
";
    let mut steps = vec![step(
        0,
        Action::Apply {
            path: None,
            inline: Some(manifest.into()),
        },
    )];
    // A daily load curve: a new level every 20 minutes.
    for i in 1..72 {
        let level = 60 + ((i * 37) % 300);
        steps.push(step(
            i * 1_200_000,
            Action::Load {
                deployment: "api".into(),
                cpu_milli: level,
            },
        ));
    }
    Scenario {
        nodes: (1..=3)
            .map(|i| NodeSpec::default_named(format!("node-{i}")))
            .collect(),
        steps,
        until: 24 * 3_600_000,
    }
}

/// An hour of node-pressure eviction: 40 BestEffort pods of 300Mi on five 8Gi nodes, and
/// every 5 minutes other processes take 6Gi of one node for 2 minutes (the kubelet evicts
/// a few pods there, the ReplicaSet replaces them on the nodes without the taint).
pub fn memory_pressure_1h() -> Scenario {
    let manifest = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: batch
spec:
  replicas: 40
  selector:
    matchLabels: {app: batch}
  template:
    metadata:
      labels: {app: batch}
      annotations:
        sim.kubeplay.dev/memory: 300Mi
    spec:
      containers:
        - name: batch
          image: example/batch:1.0.0
";
    let mut steps = vec![step(
        0,
        Action::Apply {
            path: None,
            inline: Some(manifest.into()),
        },
    )];
    for i in 1..12 {
        let node = format!("node-{}", i % 5 + 1);
        steps.push(step(
            i * 300_000 + 3_000,
            Action::MemoryPressure {
                node: node.clone(),
                bytes: 6 << 30,
            },
        ));
        steps.push(step(
            i * 300_000 + 123_000,
            Action::MemoryPressure { node, bytes: 0 },
        ));
    }
    Scenario {
        nodes: (1..=5)
            .map(|i| NodeSpec::default_named(format!("node-{i}")))
            .collect(),
        steps,
        until: 3_600_000,
    }
}
