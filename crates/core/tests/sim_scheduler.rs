//! The scheduler end to end (`pkg/scheduler`, default profile): spreading replicas, node
//! affinity, pod affinity and anti-affinity, topology spread constraints, and the Pending
//! reasons in the scheduler's words.

use std::collections::BTreeMap;

mod common;

use common::run;
use kubeplay_core::sim::{Snapshot, Timeline};

/// A Deployment of `replicas` pods labelled `app: NAME`, with `spec` added to the pod spec.
fn deployment(name: &str, replicas: i64, spec: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
{spec}      containers:
        - name: {name}
          image: nginx:1.27
"
    )
}

/// Pods per node among the live (not terminating) pods whose name starts with `prefix`.
fn per_node(s: &Snapshot, prefix: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for p in s
        .pods
        .iter()
        .filter(|p| p.name.starts_with(prefix) && !p.terminating)
    {
        *out.entry(p.node.clone().unwrap_or_else(|| "<none>".into()))
            .or_default() += 1;
    }
    out
}

fn last(tl: &Timeline) -> &Snapshot {
    tl.timeline.last().expect("a snapshot")
}

const ZONES: &str = "cluster:
  nodes:
    - {name: node-a1, labels: {topology.kubernetes.io/zone: zone-a}}
    - {name: node-a2, labels: {topology.kubernetes.io/zone: zone-a}}
    - {name: node-b1, labels: {topology.kubernetes.io/zone: zone-b}}
";

#[test]
fn three_best_effort_replicas_spread_one_per_node() {
    // Without requests every node scores the same on resources; the default
    // PodTopologySpread constraint (maxSkew 3 per hostname, ScheduleAnyway, selecting the
    // ReplicaSet's pods) prefers the node with fewest replicas, as a real cluster does.
    let tl = run(&deployment("web", 3, ""), "", "", "30s");
    let spread = per_node(last(&tl), "web-");
    assert_eq!(
        spread,
        BTreeMap::from([
            ("node-1".to_owned(), 1),
            ("node-2".to_owned(), 1),
            ("node-3".to_owned(), 1)
        ])
    );
}

#[test]
fn six_replicas_fill_three_nodes_two_each() {
    let tl = run(&deployment("web", 6, ""), "", "", "30s");
    assert!(
        per_node(last(&tl), "web-").values().all(|n| *n == 2),
        "{:?}",
        per_node(last(&tl), "web-")
    );
}

const ANTI_AFFINITY: &str = "      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector:
                matchLabels:
                  app: web
              topologyKey: kubernetes.io/hostname
";

#[test]
fn required_anti_affinity_leaves_the_fourth_replica_pending_with_the_schedulers_reason() {
    let tl = run(&deployment("web", 4, ANTI_AFFINITY), "", "", "30s");
    let s = last(&tl);
    let running: Vec<_> = s.pods.iter().filter(|p| p.phase == "Running").collect();
    assert_eq!(running.len(), 3);
    assert_eq!(per_node(s, "web-").get("<none>"), Some(&1));
    let pending = s
        .pods
        .iter()
        .find(|p| p.phase == "Pending")
        .expect("one Pending");
    assert_eq!(
        pending.reason.as_deref(),
        Some(
            "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
        )
    );
    let failed: Vec<_> = tl
        .events
        .iter()
        .filter(|e| e.reason == "FailedScheduling")
        .collect();
    assert_eq!(failed.len(), 1, "reported once: {failed:?}");
    assert_eq!(failed[0].object, format!("pod/{}", pending.name));
}

#[test]
fn a_rolling_update_under_required_anti_affinity_stalls_with_a_surge_and_needs_max_unavailable() {
    // maxSurge 25% of 3 rounds up to 1 and maxUnavailable down to 0: the surge pod finds
    // every node holding a `web` pod and the old pods wait for it, as on a real cluster.
    let update = "  - at: 20s\n    setImage: {deployment: web, image: \"nginx:1.28\"}\n";
    let tl = run(&deployment("web", 3, ANTI_AFFINITY), "", update, "120s");
    let end = last(&tl);
    let surge = end
        .pods
        .iter()
        .find(|p| p.phase == "Pending")
        .expect("the surge pod waits");
    assert!(
        surge.reason.as_deref().is_some_and(|r| r.starts_with(
            "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules."
        )),
        "{:?}",
        surge.reason
    );
    assert_eq!(end.pods.iter().filter(|p| p.phase == "Running").count(), 3);
    assert_eq!(end.deployments[0].updated_replicas, 1);

    // With maxSurge 0 and maxUnavailable 1 each old pod goes first; its replacement waits
    // while it terminates (terminating pods still count for inter-pod anti-affinity).
    let m = deployment("web", 3, ANTI_AFFINITY)
        .replace(
            "  selector:",
            "  strategy:\n    rollingUpdate: {maxSurge: 0, maxUnavailable: 1}\n  selector:",
        )
        .replace(
            "      labels:\n        app: web\n",
            "      labels:\n        app: web\n      annotations:\n        sim.kubeplay.dev/shutdown-seconds: \"5\"\n",
        );
    let tl = run(&m, "", update, "120s");
    let during = tl.at(22.0).expect("snapshot at 22s");
    assert_eq!(
        during.pods.iter().filter(|p| p.terminating).count(),
        1,
        "{:?}",
        per_node(during, "web-")
    );
    assert!(
        during
            .pods
            .iter()
            .any(|p| p.phase == "Pending" && p.node.is_none()),
        "the replacement waits for the terminating pod"
    );
    let end = last(&tl);
    assert_eq!(end.deployments[0].updated_replicas, 3);
    assert!(end.pods.iter().all(|p| p.phase == "Running"));
    assert!(per_node(end, "web-").values().all(|n| *n == 1));
}

#[test]
fn required_node_affinity_keeps_pods_in_a_zone_and_explains_when_no_node_matches() {
    let affinity = |zone: &str| {
        format!(
            "      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions:
                  - key: topology.kubernetes.io/zone
                    operator: In
                    values: [{zone}]
"
        )
    };
    let tl = run(&deployment("web", 4, &affinity("zone-a")), ZONES, "", "30s");
    let spread = per_node(last(&tl), "web-");
    assert_eq!(
        spread,
        BTreeMap::from([("node-a1".to_owned(), 2), ("node-a2".to_owned(), 2)])
    );
    let tl = run(&deployment("web", 1, &affinity("zone-c")), ZONES, "", "30s");
    assert_eq!(
        last(&tl).pods[0].reason.as_deref(),
        Some(
            "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
        )
    );
}

#[test]
fn preferred_node_affinity_wins_over_spreading_but_not_over_filters() {
    let spec = "      affinity:
        nodeAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              preference:
                matchExpressions:
                  - {key: disktype, operator: In, values: [ssd]}
";
    let cluster = "cluster:
  nodes:
    - {name: node-1}
    - {name: node-2, labels: {disktype: ssd}}
    - {name: node-3}
";
    let tl = run(&deployment("db", 3, spec), cluster, "", "30s");
    assert_eq!(
        per_node(last(&tl), "db-"),
        BTreeMap::from([("node-2".to_owned(), 3)])
    );
}

const ZONE_SPREAD: &str = "      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: DoNotSchedule
          labelSelector:
            matchLabels: {app: web}
";

#[test]
fn a_zone_spread_constraint_balances_zones_and_blocks_the_skewed_one() {
    // Two nodes in zone-a, one in zone-b: maxSkew 1 per zone puts 2 and 2 pods in each
    // zone, not 4 spread over hosts (3 would go to zone-a).
    let tl = run(&deployment("web", 4, ZONE_SPREAD), ZONES, "", "30s");
    let spread = per_node(last(&tl), "web-");
    assert_eq!(spread.get("node-b1"), Some(&2), "{spread:?}");
    assert_eq!(
        spread.get("node-a1").copied().unwrap_or(0) + spread.get("node-a2").copied().unwrap_or(0),
        2
    );
    // Cordoning zone-b does not remove it from the spreading domains (`nodeTaintsPolicy`
    // defaults to Ignore): its 0 pods stay the global minimum, so zone-a takes one pod
    // and the rest wait.
    let cordon_then_scale =
        "  - at: 1s\n    cordon: node-b1\n  - at: 2s\n    scale: {deployment: web, replicas: 4}\n";
    let cordoned = run(
        &deployment("web", 0, ZONE_SPREAD),
        ZONES,
        cordon_then_scale,
        "30s",
    );
    let s = last(&cordoned);
    let pending: Vec<_> = s.pods.iter().filter(|p| p.phase == "Pending").collect();
    assert_eq!(pending.len(), 3, "{:?}", per_node(s, "web-"));
    assert_eq!(
        pending[0].reason.as_deref(),
        Some(
            "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match pod topology spread constraints. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
        )
    );
    // With `nodeTaintsPolicy: Honor` the cordoned node is no domain: zone-a's two nodes
    // take the pods, one each, then one more each (skew within zone-a only).
    let honor = ZONE_SPREAD.replace(
        "whenUnsatisfiable: DoNotSchedule",
        "whenUnsatisfiable: DoNotSchedule\n          nodeTaintsPolicy: Honor",
    );
    let tl = run(
        &deployment("web", 0, &honor),
        ZONES,
        cordon_then_scale,
        "30s",
    );
    assert_eq!(
        per_node(last(&tl), "web-"),
        BTreeMap::from([("node-a1".to_owned(), 2), ("node-a2".to_owned(), 2)])
    );
}

#[test]
fn a_node_without_the_topology_key_is_never_chosen_under_do_not_schedule() {
    let tl = run(&deployment("web", 1, ZONE_SPREAD), "", "", "30s");
    assert_eq!(
        last(&tl).pods[0].reason.as_deref(),
        Some(
            "0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints (missing required label). preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
        )
    );
}

#[test]
fn pod_affinity_places_web_next_to_its_cache_and_the_first_of_a_group_may_start_anywhere() {
    let cache = deployment("cache", 1, "");
    let web = deployment(
        "web",
        2,
        "      affinity:
        podAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector:
                matchLabels: {app: cache}
              topologyKey: kubernetes.io/hostname
",
    );
    let tl = run(&format!("{cache}---\n{web}"), "", "", "30s");
    let s = last(&tl);
    let cache_node = per_node(s, "cache-")
        .into_keys()
        .next()
        .expect("cache runs");
    assert_eq!(
        per_node(s, "web-"),
        BTreeMap::from([(cache_node, 2)]),
        "web follows the cache"
    );
    // Without any cache pod, web's affinity to `app: cache` cannot be met and web does
    // not match its own term: every node refuses it.
    let tl = run(&web, "", "", "30s");
    assert_eq!(
        last(&tl).pods[0].reason.as_deref(),
        Some(
            "0/3 nodes are available: 3 node(s) didn't match pod affinity rules. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
        )
    );
    // A group with affinity to itself: the first pod starts anywhere, the rest join it.
    let group = deployment(
        "batch",
        3,
        "      affinity:
        podAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector:
                matchLabels: {app: batch}
              topologyKey: kubernetes.io/hostname
",
    );
    let tl = run(&group, "", "", "30s");
    assert_eq!(per_node(last(&tl), "batch-").len(), 1);
    assert!(last(&tl).pods.iter().all(|p| p.phase == "Running"));
}

#[test]
fn an_existing_pods_anti_affinity_keeps_others_off_its_node() {
    let loner = deployment(
        "loner",
        1,
        "      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector:
                matchExpressions:
                  - {key: app, operator: In, values: [web]}
              topologyKey: kubernetes.io/hostname
",
    );
    let cluster = "cluster:\n  nodes: 1\n";
    let tl = run(
        &format!("{loner}---\n{}", deployment("web", 1, "")),
        cluster,
        "",
        "30s",
    );
    let s = last(&tl);
    let web = s.pods.iter().find(|p| p.name.starts_with("web-")).unwrap();
    assert_eq!(
        web.reason.as_deref(),
        Some(
            "0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
        )
    );
}

#[test]
fn a_taint_the_pod_does_not_tolerate_is_not_named_in_the_reason() {
    let cluster = "cluster:
  nodes:
    - name: gpu-1
      taints:
        - {key: dedicated, value: gpu, effect: NoSchedule}
";
    let tl = run(&deployment("web", 1, ""), cluster, "", "10s");
    assert_eq!(
        last(&tl).pods[0].reason.as_deref(),
        Some(
            "0/1 nodes are available: 1 node(s) had untolerated taint(s). preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
        )
    );
}
