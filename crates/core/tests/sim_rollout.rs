//! Rolling updates and Recreate, checked against the Deployment controller's guarantees
//! (`rolling.go`): the new ReplicaSet is created already sized by `NewRSNewReplicas`,
//! available pods never drop below `replicas − maxUnavailable`, and pods never exceed
//! `replicas + maxSurge`.

use kubeplay_core::sim::{Action, NodeSpec, Scenario, Step, Timeline, simulate};

fn deployment(replicas: i64, surge: &str, unavailable: &str, strategy: &str) -> String {
    let strategy = if strategy == "Recreate" {
        "  strategy:\n    type: Recreate\n".to_owned()
    } else {
        format!(
            "  strategy:\n    rollingUpdate: {{maxSurge: {surge}, maxUnavailable: {unavailable}}}\n"
        )
    };
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
{strategy}  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
      annotations:
        sim.kubeplay.dev/start-seconds: \"4\"
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{{containerPort: 80}}]
          readinessProbe:
            httpGet: {{path: /, port: 80}}
            periodSeconds: 2
          resources:
            requests: {{cpu: 10m, memory: 16Mi}}
"
    )
}

fn rollout(manifest: &str) -> Timeline {
    let scenario = Scenario {
        nodes: (1..=3)
            .map(|i| NodeSpec::default_named(format!("node-{i}")))
            .collect(),
        steps: vec![
            Step {
                at: 0,
                action: Action::Apply {
                    path: None,
                    inline: Some(manifest.to_owned()),
                },
                namespace: "default".into(),
                line: 1,
            },
            Step {
                at: 60_000,
                action: Action::SetImage {
                    deployment: "web".into(),
                    container: Some("web".into()),
                    image: "nginx:1.28".into(),
                },
                namespace: "default".into(),
                line: 2,
            },
        ],
        until: 600_000,
    };
    simulate(&scenario, &|_| Err("no files".into()))
}

/// Resolved (maxSurge, maxUnavailable) as the controller computes them.
fn fenceposts(replicas: i64, surge: &str, unavailable: &str) -> (i64, i64) {
    let scale = |v: &str, up: bool| match v.strip_suffix('%') {
        Some(p) => {
            let p: i64 = p.parse().unwrap();
            if up {
                (p * replicas + 99) / 100
            } else {
                p * replicas / 100
            }
        }
        None => v.parse().unwrap(),
    };
    let (s, u) = (scale(surge, true), scale(unavailable, false));
    if s == 0 && u == 0 {
        (0, 1)
    } else {
        (s, u.min(replicas))
    }
}

#[test]
fn rolling_updates_stay_inside_the_band() {
    for replicas in [1, 3, 4, 10] {
        for (surge, unavailable) in [
            ("1", "0"),
            ("0", "1"),
            ("1", "1"),
            ("25%", "25%"),
            ("50%", "0"),
            ("0", "50%"),
            ("100%", "0"),
            ("2", "3"),
        ] {
            let tl = rollout(&deployment(replicas, surge, unavailable, "RollingUpdate"));
            let (s, u) = fenceposts(replicas, surge, unavailable);
            let min_available = replicas - u;
            let max_total = replicas + s;
            let mut finished = false;
            for snap in tl.timeline.iter().filter(|s| s.t >= 60.0) {
                let d = &snap.deployments[0];
                let active = snap.pods.iter().filter(|p| !p.terminating).count() as i64;
                let case = format!(
                    "replicas {replicas} surge {surge} unavailable {unavailable} at t={}",
                    snap.t
                );
                assert!(
                    d.available_replicas >= min_available,
                    "{case}: available {} < {min_available}",
                    d.available_replicas
                );
                assert!(active <= max_total, "{case}: {active} pods > {max_total}");
                let rs_total: i64 = snap.replica_sets.iter().map(|r| r.replicas).sum();
                assert!(
                    rs_total <= max_total,
                    "{case}: ReplicaSets sum to {rs_total}"
                );
                assert_eq!(
                    (d.min_available, d.max_total),
                    (min_available, max_total),
                    "{case}"
                );
                if d.updated_replicas == replicas
                    && d.available_replicas == replicas
                    && active == replicas
                {
                    finished = true;
                }
            }
            assert!(
                finished,
                "replicas {replicas} surge {surge} unavailable {unavailable}: never completed"
            );
            let last = tl.timeline.last().unwrap();
            assert_eq!(last.replica_sets.len(), 2);
            assert_eq!(last.deployments[0].revision, 2);
        }
    }
}

#[test]
fn the_first_steps_follow_new_rs_new_replicas() {
    // 10 replicas, 25%/25%: surge 3 (2.5 up), unavailable 2 (2.5 down). The new ReplicaSet is
    // created at 3; the old one goes down by 3 + 2 − 0 ... exactly as rolling.go computes.
    let tl = rollout(&deployment(10, "25%", "25%", "RollingUpdate"));
    let scaling: Vec<&str> = tl
        .events
        .iter()
        .filter(|e| e.reason == "ScalingReplicaSet" && e.t >= 60.0)
        .map(|e| e.message.as_str())
        .collect();
    assert!(
        scaling[0].starts_with("Scaled up replica set web-") && scaling[0].ends_with("from 0 to 3"),
        "{scaling:?}"
    );
    // allPods 13 − minAvailable 8 − new unavailable 3 = 2 may go at once; available 10 − 8 = 2.
    assert!(scaling[1].ends_with("from 10 to 8"), "{scaling:?}");
    // Room again under maxTotal 13: 8 + 3 = 11 → new goes to 5.
    assert!(scaling[2].ends_with("from 3 to 5"), "{scaling:?}");
}

#[test]
fn recreate_stops_everything_first() {
    let tl = rollout(&deployment(3, "0", "0", "Recreate"));
    let snaps: Vec<_> = tl.timeline.iter().filter(|s| s.t >= 60.0).collect();
    // At some instant no pod is available: the downtime Recreate means.
    assert!(
        snaps
            .iter()
            .any(|s| s.deployments[0].available_replicas == 0)
    );
    // Old and new pods never run together.
    for s in &snaps {
        let revisions: std::collections::BTreeSet<i64> =
            s.pods.iter().map(|p| p.revision).collect();
        assert!(revisions.len() <= 1, "t={}: {revisions:?}", s.t);
    }
    assert_eq!(
        tl.timeline.last().unwrap().deployments[0].available_replicas,
        3
    );
}

#[test]
fn same_scenario_same_timeline() {
    let m = deployment(4, "1", "1", "RollingUpdate");
    assert_eq!(rollout(&m), rollout(&m));
}
