//! Node-pressure eviction (`pkg/kubelet/eviction`) and `kubectl drain` through the Eviction
//! API with PodDisruptionBudgets (`pkg/controller/disruption`, `k8s.io/kubectl/pkg/drain`).

mod common;

use common::run;
use kubeplay_core::sim::Timeline;

const ONE_NODE: &str = "cluster:\n  nodes:\n    - {name: node-1, cpu: 4, memory: 4Gi}\n";

/// A bare pod with the given resources and simulated memory use.
fn pod(name: &str, resources: &str, memory: &str) -> String {
    format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: {name}
  annotations:
    sim.kubeplay.dev/memory: {memory}
spec:
  containers:
    - name: app
      image: example/app:1.0.0
      resources: {resources}
---
"
    )
}

/// The kubelet's evictions (time, pod, message), checking on the way that no pass evicted
/// more than one pod: `synchronize` kills at most one per pass, and passes are never less
/// than a second apart (the cleanup poll), so two evictions on one node never share an
/// instant (every test here puts pressure on one node only).
fn evicted(tl: &Timeline) -> Vec<(f64, String, String)> {
    let ev: Vec<(f64, String, String)> = tl
        .events
        .iter()
        .filter(|e| e.reason == "Evicted")
        .map(|e| (e.t, e.object.clone(), e.message.clone()))
        .collect();
    for pair in ev.windows(2) {
        assert!(
            pair[1].0 - pair[0].0 >= 1.0,
            "two evictions in one pass: {ev:#?}"
        );
    }
    ev
}

/// When and which pods were evicted.
fn evictions(tl: &Timeline) -> Vec<(f64, String)> {
    evicted(tl).into_iter().map(|(t, o, _)| (t, o)).collect()
}

fn at(t: f64, object: &str) -> (f64, String) {
    (t, object.to_owned())
}

/// Three BestEffort pods using 300Mi, 200Mi and 100Mi.
fn three_best_effort() -> String {
    [
        pod("first", "{}", "300Mi"),
        pod("second", "{}", "200Mi"),
        pod("third", "{}", "100Mi"),
    ]
    .concat()
}

#[test]
fn best_effort_first_then_burstable_over_request_then_guaranteed() {
    let manifest = [
        pod(
            "guaranteed",
            "{requests: {cpu: 100m, memory: 1Gi}, limits: {cpu: 100m, memory: 1Gi}}",
            "1Gi",
        ),
        pod(
            "burstable-over",
            "{requests: {cpu: 100m, memory: 256Mi}}",
            "768Mi",
        ),
        pod(
            "burstable-under",
            "{requests: {cpu: 100m, memory: 1Gi}}",
            "512Mi",
        ),
        pod("best-effort", "{}", "300Mi"),
    ]
    .concat();
    // Pods use 1Gi + 768Mi + 512Mi + 300Mi = 2604Mi; other processes take 2600Mi more from
    // 60 s: 5204Mi used of a 4Gi + 100Mi capacity.
    let tl = run(
        &manifest,
        ONE_NODE,
        "  - at: 60s\n    memoryPressure: {node: node-1, usage: 2600Mi}\n",
        "200s",
    );
    let ev = evicted(&tl);
    let order: Vec<&str> = ev.iter().map(|(_, o, _)| o.as_str()).collect();
    // Pods above their request first, the furthest above first (768−256 > 300−0); then, with
    // nobody above, the largest usage − request: the Guaranteed pod at its request (0) goes
    // before the Burstable pod 512Mi under its request, which survives (60Mi → 1084Mi free).
    assert_eq!(
        order,
        vec!["pod/burstable-over", "pod/best-effort", "pod/guaranteed"],
        "{ev:#?}"
    );
    // The pressure is first seen at the pass at 60 s; one pod per pass, and after an
    // eviction the next pass comes when the pod is cleaned up (it stops at once; the first
    // 1-s poll finds it gone), not 10 s later.
    let times: Vec<f64> = ev.iter().map(|e| e.0).collect();
    assert_eq!(times, vec![60.0, 61.0, 62.0]);
    // The kubelet's wording (helpers.go evictionMessage).
    let (_, _, message) = &ev[0];
    assert!(
        message.starts_with(
            "The node was low on resource: memory. Threshold quantity: 100Mi, available: "
        ),
        "{message}"
    );
    assert!(
        message.ends_with(
            "Container app was using 768Mi, request is 256Mi, has larger consumption of memory. "
        ),
        "{message}"
    );
    // The pod is Failed with reason Evicted; the node reports MemoryPressure and is tainted.
    let after = tl.at(75.0).expect("snapshot");
    let p = after
        .pods
        .iter()
        .find(|p| p.name == "burstable-over")
        .expect("pod");
    assert_eq!(p.phase, "Failed");
    assert_eq!(p.reason.as_deref(), Some("Evicted"));
    assert!(
        tl.events
            .iter()
            .any(|e| e.reason == "NodeHasInsufficientMemory"
                && e.message == "Node node-1 status is now: NodeHasInsufficientMemory")
    );
    assert!(after.nodes[0].memory_pressure);
}

#[test]
fn guaranteed_goes_last() {
    // A Burstable pod above its request, a BestEffort pod (any use exceeds a 0 request) and a
    // Guaranteed pod: the Guaranteed pod, never above its request, goes last.
    let manifest = [
        pod(
            "guaranteed",
            "{requests: {cpu: 100m, memory: 1Gi}, limits: {cpu: 100m, memory: 1Gi}}",
            "1Gi",
        ),
        pod("burstable", "{requests: {cpu: 100m, memory: 512Mi}}", "1Gi"),
        pod("best-effort", "{}", "100Mi"),
    ]
    .concat();
    let tl = run(
        &manifest,
        ONE_NODE,
        "  - at: 30s\n    memoryPressure: {node: node-1, usage: 3.5Gi}\n",
        "200s",
    );
    let order: Vec<String> = evicted(&tl).into_iter().map(|(_, o, _)| o).collect();
    assert_eq!(
        order,
        vec!["pod/burstable", "pod/best-effort", "pod/guaranteed"],
        "{:#?}",
        tl.events
    );
}

#[test]
fn a_leak_brings_pressure_and_the_tainted_node_refuses_the_replacement() {
    // A Deployment whose pods leak 512Mi a minute against no limit on a 4Gi node.
    let manifest = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: leaky
spec:
  replicas: 1
  selector:
    matchLabels: {app: leaky}
  template:
    metadata:
      labels: {app: leaky}
      annotations:
        sim.kubeplay.dev/memory: 1Gi
        sim.kubeplay.dev/memory-growth: 512Mi
    spec:
      containers:
        - name: app
          image: example/app:1.0.0
          resources:
            requests: {cpu: 100m, memory: 1Gi}
";
    let tl = run(manifest, ONE_NODE, "", "600s");
    let ev = evicted(&tl);
    assert!(!ev.is_empty(), "{:#?}", tl.events);
    // 1Gi + 512Mi/min passes 4Gi after 6 minutes; the check runs every 10 s.
    assert!(ev[0].0 >= 360.0 && ev[0].0 <= 372.0, "{ev:?}");
    // The ReplicaSet replaces the Failed pod; the node carries the memory-pressure taint
    // while the condition lasts (5 minutes after the last pressure), so it waits Pending.
    let s = tl.at(ev[0].0 + 5.0).expect("snapshot");
    let pending = s
        .pods
        .iter()
        .find(|p| p.phase == "Pending")
        .expect("replacement");
    let reason = pending.reason.as_deref().unwrap_or("");
    assert!(
        reason
            == "0/1 nodes are available: 1 node(s) had untolerated taint(s). preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
        "{reason}"
    );
    assert!(s.nodes[0].memory_pressure);
}

const WEB: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
      annotations:
        sim.kubeplay.dev/start-seconds: \"3\"
    spec:
      nodeSelector: {pool: a}
      containers:
        - name: web
          image: nginx:1.27
          readinessProbe:
            httpGet: {path: /, port: 80}
            periodSeconds: 1
          resources:
            requests: {cpu: 100m, memory: 64Mi}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 2
  selector:
    matchLabels: {app: web}
";

const TWO_NODES: &str = "cluster:\n  nodes:\n    - {name: node-1, labels: {pool: a}}\n    - {name: node-2, labels: {pool: a}}\n";

#[test]
fn drain_evicts_one_pod_at_a_time_under_min_available() {
    // All three pods on node-1 (node-2 cordoned at first), then node-2 opens and node-1 drains.
    let tl = run(
        WEB,
        TWO_NODES,
        "  - at: 0s\n    cordon: node-2\n  - at: 30s\n    uncordon: node-2\n  - at: 31s\n    drain: node-1\n",
        "120s",
    );
    let lines: Vec<(f64, &str)> = tl
        .events
        .iter()
        .filter(|e| e.reason == "Drain")
        .map(|e| (e.t, e.message.as_str()))
        .collect();
    let evictions: Vec<f64> = lines
        .iter()
        .filter(|(_, m)| m.ends_with(" evicted"))
        .map(|(t, _)| *t)
        .collect();
    assert_eq!(evictions.len(), 3, "{lines:#?}");
    let refused = lines
        .iter()
        .filter(|(_, m)| {
            m.contains("(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.")
        })
        .count();
    assert!(refused >= 2, "{lines:#?}");
    assert_eq!(lines.first().map(|l| l.1), Some("node/node-1 cordoned"));
    assert_eq!(lines.last().map(|l| l.1), Some("node/node-1 drained"));
    // Never fewer than 2 ready web pods from the moment the drain starts.
    for s in tl.timeline.iter().filter(|s| s.t >= 31.0) {
        let ready = s
            .pods
            .iter()
            .filter(|p| p.name.starts_with("web-") && p.ready && !p.terminating)
            .count();
        assert!(ready >= 2, "t={}: {ready} ready", s.t);
    }
    // Evictions happen one at a time, each after a replacement became ready (5-s retries).
    assert!(evictions[1] - evictions[0] >= 5.0, "{evictions:?}");
    assert!(evictions[2] - evictions[1] >= 5.0, "{evictions:?}");
    // Everything ends on node-2.
    let last = tl.timeline.last().expect("snapshot");
    assert!(
        last.pods
            .iter()
            .filter(|p| p.phase == "Running")
            .all(|p| p.node.as_deref() == Some("node-2"))
    );
}

#[test]
fn drain_without_a_budget_evicts_everything_at_once() {
    let manifest = WEB.split("---").next().unwrap_or_default();
    let tl = run(
        manifest,
        TWO_NODES,
        "  - at: 0s\n    cordon: node-2\n  - at: 30s\n    uncordon: node-2\n  - at: 31s\n    drain: node-1\n",
        "60s",
    );
    let evicting: Vec<f64> = tl
        .events
        .iter()
        .filter(|e| e.reason == "Drain" && e.message.starts_with("evicting pod default/web-"))
        .map(|e| e.t)
        .collect();
    assert_eq!(evicting, vec![31.0, 31.0, 31.0]);
}

#[test]
fn an_evicted_statefulset_pod_comes_back_with_its_name_elsewhere() {
    let manifest = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  replicas: 1
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
      annotations:
        sim.kubeplay.dev/memory: 512Mi
    spec:
      containers:
        - name: db
          image: postgres:17
          resources:
            requests: {cpu: 100m, memory: 256Mi}
";
    let cluster = "cluster:\n  nodes:\n    - {name: node-1, memory: 4Gi}\n    - {name: node-2, memory: 4Gi}\n";
    let tl = run(
        manifest,
        cluster,
        "  - at: 30s\n    memoryPressure: {node: node-1, usage: 3.8Gi}\n",
        "90s",
    );
    let ev = evicted(&tl);
    assert_eq!(ev.len(), 1, "{:#?}", tl.events);
    assert_eq!(ev[0].1, "pod/db-0");
    let last = tl.timeline.last().expect("snapshot");
    let pods: Vec<(&str, Option<&str>, &str)> = last
        .pods
        .iter()
        .map(|p| (p.name.as_str(), p.node.as_deref(), p.phase))
        .collect();
    assert_eq!(pods, vec![("db-0", Some("node-2"), "Running")]);
}

/// The eviction manager looks only on its passes (t = 0, 10 s, 20 s, …): pressure that
/// starts at 35 s is first seen at 40 s, not at once. Each pass evicts at most one pod; after
/// an eviction the loop waits for the pod to be cleaned up (the first 1-s poll) and passes
/// again at once, until a pass finds enough memory.
#[test]
fn pressure_between_passes_waits_for_the_next_pass() {
    let manifest = three_best_effort();
    // 600Mi of pods plus 3.9Gi of other processes on a 4Gi node (4196Mi with the threshold):
    // −398Mi available, −98Mi without the first pod, +102Mi without the second.
    let tl = run(
        &manifest,
        ONE_NODE,
        "  - at: 35s\n    memoryPressure: {node: node-1, usage: 3.9Gi}\n",
        "120s",
    );
    assert_eq!(
        evictions(&tl),
        vec![at(40.0, "pod/first"), at(41.0, "pod/second")]
    );
    let pressure = tl
        .events
        .iter()
        .find(|e| e.reason == "NodeHasInsufficientMemory")
        .expect("condition");
    assert_eq!(pressure.t, 40.0);
    // Between the step and the pass the node still looks fine and nobody is evicted.
    let before = tl.at(39.0).expect("snapshot");
    assert!(!before.nodes[0].memory_pressure);
    assert!(before.pods.iter().all(|p| p.phase == "Running"));
    // Each pass under pressure says so once (EvictionThresholdMet), the pass at 42 s finds
    // enough memory and says nothing.
    let attempts: Vec<f64> = tl
        .events
        .iter()
        .filter(|e| e.reason == "EvictionThresholdMet")
        .map(|e| e.t)
        .collect();
    assert_eq!(attempts, vec![40.0, 41.0]);
}

/// A pod that takes longer than the 1-s grace period to stop is killed after it
/// (`immediateEvictionGracePeriodSeconds`, exit 137), and the next pass waits for that too.
#[test]
fn the_next_pass_waits_for_the_evicted_pod_to_stop() {
    let slow = pod("slow", "{}", "300Mi").replace(
        "    sim.kubeplay.dev/memory: 300Mi\n",
        "    sim.kubeplay.dev/memory: 300Mi\n    sim.kubeplay.dev/shutdown-seconds: \"20\"\n",
    );
    let manifest = [slow, pod("next", "{}", "200Mi")].concat();
    let tl = run(
        &manifest,
        ONE_NODE,
        "  - at: 30s\n    memoryPressure: {node: node-1, usage: 3.9Gi}\n",
        "60s",
    );
    assert_eq!(
        evictions(&tl),
        vec![at(30.0, "pod/slow"), at(32.0, "pod/next")]
    );
    let last = tl.timeline.last().expect("snapshot");
    let slow = last.pods.iter().find(|p| p.name == "slow").expect("pod");
    assert_eq!(slow.containers[0].exit_code, Some(137));
}

/// After a pass that evicted, the loop runs again as soon as the pod is gone, and only a pass
/// that evicts nothing goes back to sleeping 10 s: the passes now fall on 42 s, 52 s, 62 s,
/// … so pressure that returns at 55 s is acted on at 62 s, not at 60 s.
#[test]
fn after_evicting_the_loop_sleeps_ten_seconds_from_its_last_pass() {
    let manifest = three_best_effort();
    let tl = run(
        &manifest,
        ONE_NODE,
        "  - at: 35s\n    memoryPressure: {node: node-1, usage: 3.9Gi}\n  - at: 55s\n    memoryPressure: {node: node-1, usage: 4.0Gi}\n",
        "120s",
    );
    assert_eq!(
        evictions(&tl),
        vec![
            at(40.0, "pod/first"),
            at(41.0, "pod/second"),
            at(62.0, "pod/third")
        ]
    );
}

/// `evictPod` refuses critical pods (priority of at least 2000000000, `IsCriticalPod`): the
/// pass evicts the next pod in the ranking instead, however much the critical one uses.
#[test]
fn critical_pods_are_never_evicted() {
    let manifest = [
        with_class(&pod("agent", "{}", "1Gi"), "system-node-critical"),
        pod("web", "{}", "200Mi"),
    ]
    .concat();
    let tl = run(
        &manifest,
        ONE_NODE,
        "  - at: 30s\n    memoryPressure: {node: node-1, usage: 3Gi}\n",
        "120s",
    );
    assert_eq!(evictions(&tl), vec![at(30.0, "pod/web")]);
    // Still under pressure with nothing left to evict: the node keeps MemoryPressure and
    // the critical pod keeps running.
    let last = tl.timeline.last().expect("snapshot");
    assert!(last.nodes[0].memory_pressure);
    let agent = last.pods.iter().find(|p| p.name == "agent").expect("agent");
    assert_eq!(agent.phase, "Running");
}

/// While the node has MemoryPressure the node lifecycle controller's
/// `node.kubernetes.io/memory-pressure:NoSchedule` taint keeps every new pod that does not
/// tolerate it away, Burstable ones too: only the PodTolerationRestriction admission plugin
/// would give non-BestEffort pods the toleration, and it is off by default
/// (`DefaultOffAdmissionPlugins` in kubernetes pkg/kubeapiserver/options/plugins.go). A pod
/// that tolerates it is scheduled there. The condition, and the taint, last until the
/// first pass 5 minutes after pressure was last seen; then the waiting pods are scheduled.
#[test]
fn the_memory_pressure_taint_holds_new_pods_until_the_condition_clears() {
    let manifest = pod("hog", "{}", "600Mi");
    let late = [
        pod("burstable", "{requests: {cpu: 100m, memory: 64Mi}}", "64Mi"),
        pod("best-effort", "{}", "64Mi"),
        pod("tolerant", "{}", "64Mi").replace(
            "spec:\n",
            "spec:\n  tolerations:\n    - {key: node.kubernetes.io/memory-pressure, operator: Exists, effect: NoSchedule}\n",
        ),
    ]
    .concat();
    let inline: String = late.lines().map(|l| format!("      {l}\n")).collect();
    // At 30 s other processes take 3.5Gi: the hog goes at 30 s, the pass at 31 s finds
    // enough memory, the pressure (last seen at 30 s) clears at the pass at 331 s.
    let steps = format!(
        "  - at: 30s\n    memoryPressure: {{node: node-1, usage: 3.5Gi}}\n  - at: 45s\n    apply: |\n{inline}"
    );
    let tl = run(&manifest, ONE_NODE, &steps, "400s");
    assert_eq!(evictions(&tl), vec![at(30.0, "pod/hog")]);
    let phase = |t: f64, name: &str| {
        let s = tl.at(t).expect("snapshot");
        let p = s.pods.iter().find(|p| p.name == name).expect("pod");
        (p.phase, p.node.clone())
    };
    assert_eq!(phase(60.0, "burstable"), ("Pending", None));
    assert_eq!(phase(60.0, "best-effort"), ("Pending", None));
    assert_eq!(phase(60.0, "tolerant").1.as_deref(), Some("node-1"));
    assert!(tl.at(330.0).expect("snapshot").nodes[0].memory_pressure);
    let cleared = tl
        .events
        .iter()
        .find(|e| e.reason == "NodeHasSufficientMemory")
        .expect("cleared");
    assert_eq!(cleared.t, 331.0);
    assert!(!tl.at(331.0).expect("snapshot").nodes[0].memory_pressure);
    assert_eq!(phase(340.0, "burstable").1.as_deref(), Some("node-1"));
    assert_eq!(phase(340.0, "best-effort").1.as_deref(), Some("node-1"));
}

const PRIORITY_CLASSES: &str = "apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: batch-low
value: 1000
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: shop-high
value: 100000
---
";

fn with_class(pod_text: &str, class: &str) -> String {
    pod_text.replace("spec:\n", &format!("spec:\n  priorityClassName: {class}\n"))
}

/// `rankMemoryPressure` ranks by priority after "above its request": of two BestEffort pods
/// using the same memory, the lower-priority one goes first even though it was created
/// later; the Priority admission plugin resolves `priorityClassName` to `spec.priority`,
/// and refuses a class that does not exist.
#[test]
fn lower_priority_goes_first_and_unknown_classes_are_refused() {
    let manifest = format!(
        "{PRIORITY_CLASSES}{}{}{}",
        with_class(&pod("shop", "{}", "300Mi"), "shop-high"),
        with_class(&pod("batch", "{}", "300Mi"), "batch-low"),
        with_class(&pod("typo", "{}", "300Mi"), "shop-hihg"),
    );
    let tl = run(
        &manifest,
        ONE_NODE,
        "  - at: 30s\n    memoryPressure: {node: node-1, usage: 3.8Gi}\n",
        "60s",
    );
    let order: Vec<String> = evicted(&tl).into_iter().map(|(_, o, _)| o).collect();
    assert_eq!(
        order.first().map(String::as_str),
        Some("pod/batch"),
        "{order:?}"
    );
    assert!(
        tl.warnings.iter().any(|w| w
            == "Error from server (Forbidden): pods \"typo\" is forbidden: no PriorityClass with name shop-hihg was found"),
        "{:?}",
        tl.warnings
    );
    let last = tl.timeline.last().expect("snapshot");
    assert!(last.pods.iter().all(|p| p.name != "typo"));
    let shop = last.pods.iter().find(|p| p.name == "shop").expect("shop");
    assert_eq!(shop.priority, 100_000);
    let command = kubeplay_core::kubectl::parse("get pod shop -o yaml").expect("kubectl line");
    let view = kubeplay_core::kubectl::View {
        timeline: &tl,
        t: 60.0,
        namespace: "default",
    };
    let yaml = kubeplay_core::kubectl::run(&command, &view);
    assert!(yaml.contains("  priority: 100000\n"), "{yaml}");
    assert!(yaml.contains("  priorityClassName: shop-high\n"), "{yaml}");
}

/// A `globalDefault` PriorityClass gives its value to pods that name none; the built-in
/// system classes need no manifest.
#[test]
fn global_default_and_system_classes() {
    let manifest = format!(
        "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: standard\nvalue: 500\nglobalDefault: true\n---\n{}{}",
        pod("plain", "{}", "100Mi"),
        with_class(&pod("agent", "{}", "100Mi"), "system-node-critical"),
    );
    let tl = run(&manifest, ONE_NODE, "", "10s");
    let last = tl.timeline.last().expect("snapshot");
    let priority = |n: &str| last.pods.iter().find(|p| p.name == n).map(|p| p.priority);
    assert_eq!(priority("plain"), Some(500));
    assert_eq!(priority("agent"), Some(2_000_001_000));
}

/// Lesson 10, step 5: the log shipper takes 2.5Gi at 25 s; the kubelet sees it at its check
/// at 30 s (not at once) and evicts one batch pod there, which is enough; the database is
/// never touched.
#[test]
fn lesson_10_the_batch_pod_goes_at_the_check_after_the_spike() {
    let lessons = kubeplay_core::lesson::builtin().expect("lessons");
    let step = lessons
        .iter()
        .find(|l| l.id == "10-resources-qos")
        .and_then(|l| l.steps.get(4))
        .expect("lesson 10 step 5");
    let sim = kubeplay_core::lesson::run_step(step, &step.solution);
    let ev = evicted(&sim.timeline);
    let got: Vec<(f64, bool)> = ev
        .iter()
        .map(|(t, o, _)| (*t, o.starts_with("pod/batch-")))
        .collect();
    assert_eq!(got, vec![(30.0, true)], "{ev:#?}");
}

/// `kubectl describe node` while the node has MemoryPressure: the condition True since the
/// check that saw it, the node lifecycle controller's taint, the pods left on the node, and
/// the kubelet's events; five minutes after the last shortage, all clear again.
#[test]
fn describe_node_shows_the_condition_and_the_taint_while_they_last() {
    let tl = run(
        &three_best_effort(),
        ONE_NODE,
        "  - at: 35s\n    memoryPressure: {node: node-1, usage: 3.9Gi}\n",
        "400s",
    );
    let describe = |t: f64| {
        let command = kubeplay_core::kubectl::parse("describe node node-1").expect("kubectl line");
        let view = kubeplay_core::kubectl::View {
            timeline: &tl,
            t,
            namespace: "default",
        };
        kubeplay_core::kubectl::run(&command, &view)
    };
    let before = describe(39.0);
    assert!(
        before.contains("\nTaints:             <none>\n"),
        "{before}"
    );
    assert!(
        before.contains("  MemoryPressure   False   Thu, 01 Jan 2026 00:00:39 +0000   Wed, 31 Dec 2025 00:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available\n"),
        "{before}"
    );
    let during = describe(60.0);
    for line in [
        "Name:               node-1\n",
        "Taints:             node.kubernetes.io/memory-pressure:NoSchedule\n",
        "Unschedulable:      false\n",
        "  MemoryPressure   True    Thu, 01 Jan 2026 00:01:00 +0000   Thu, 01 Jan 2026 00:00:40 +0000   KubeletHasInsufficientMemory   kubelet has insufficient memory available\n",
        "Non-terminated Pods:          (1 in total)\n",
        "  default                     third    0 (0%)        0 (0%)      0 (0%)           0 (0%)         60s\n",
        "  Normal    NodeHasInsufficientMemory   20s   Node node-1 status is now: NodeHasInsufficientMemory\n",
        "  Warning   EvictionThresholdMet        19s   Attempting to reclaim memory\n",
    ] {
        assert!(during.contains(line), "{line:?} missing from\n{during}");
    }
    // Pressure last seen at 41 s; the checks fall on 42 s, 52 s, …: the condition clears at
    // the first one 5 minutes later, 342 s.
    let after = describe(350.0);
    assert!(after.contains("\nTaints:             <none>\n"), "{after}");
    assert!(
        after.contains("  MemoryPressure   False   Thu, 01 Jan 2026 00:05:50 +0000   Thu, 01 Jan 2026 00:05:42 +0000   KubeletHasSufficientMemory"),
        "{after}"
    );
    let yaml = kubeplay_core::kubectl::run(
        &kubeplay_core::kubectl::parse("get node node-1 -o yaml").expect("kubectl line"),
        &kubeplay_core::kubectl::View {
            timeline: &tl,
            t: 60.0,
            namespace: "default",
        },
    );
    assert!(
        yaml.contains("  taints:\n  - effect: NoSchedule\n    key: node.kubernetes.io/memory-pressure\n    timeAdded: \"2026-01-01T00:00:40Z\"\n"),
        "{yaml}"
    );
}

/// Each node's kubelet runs its own loop: evicting on node-1 moves node-1's checks (42 s,
/// 52 s, 62 s, …) and leaves node-2's on 50 s, 60 s, …; the same scenario gives the same
/// timeline every time.
#[test]
fn each_node_checks_on_its_own_loop_deterministically() {
    let on = |node: &str, name: &str, memory: &str| {
        pod(name, "{}", memory).replace(
            "spec:\n",
            &format!("spec:\n  nodeSelector: {{kubernetes.io/hostname: {node}}}\n"),
        )
    };
    let manifest = [
        on("node-1", "a1", "300Mi"),
        on("node-1", "a2", "200Mi"),
        on("node-1", "a3", "100Mi"),
        on("node-2", "b1", "300Mi"),
    ]
    .concat();
    let cluster = "cluster:\n  nodes:\n    - {name: node-1, memory: 4Gi}\n    - {name: node-2, memory: 4Gi}\n";
    let steps = "  - at: 35s\n    memoryPressure: {node: node-1, usage: 3.9Gi}\n  - at: 55s\n    memoryPressure: {node: node-1, usage: 4.0Gi}\n  - at: 55s\n    memoryPressure: {node: node-2, usage: 3.9Gi}\n";
    let tl = run(&manifest, cluster, steps, "120s");
    let got: Vec<(f64, String)> = tl
        .events
        .iter()
        .filter(|e| e.reason == "Evicted")
        .map(|e| (e.t, e.object.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            at(40.0, "pod/a1"),
            at(41.0, "pod/a2"),
            at(60.0, "pod/b1"),
            at(62.0, "pod/a3")
        ]
    );
    let again = run(&manifest, cluster, steps, "120s");
    assert_eq!(
        serde_json::to_string(&tl).expect("json"),
        serde_json::to_string(&again).expect("json")
    );
}

/// `describe node` and `get node -o yaml` show the labels and taints a node registered with,
/// then the node lifecycle controller's taints in the order it added them (cordoned at 10 s,
/// MemoryPressure at 40 s), each with its `timeAdded`.
#[test]
fn describe_node_lists_registered_and_controller_taints() {
    let cluster = "cluster:\n  nodes:\n    - name: node-1\n      memory: 4Gi\n      labels: {topology.kubernetes.io/zone: zone-a}\n      taints:\n        - {key: dedicated, value: batch, effect: NoSchedule}\n";
    let manifest = pod("hog", "{}", "300Mi").replace(
        "spec:\n",
        "spec:\n  tolerations:\n    - {key: dedicated, operator: Exists}\n",
    );
    let tl = run(
        &manifest,
        cluster,
        "  - at: 10s\n    cordon: node-1\n  - at: 35s\n    memoryPressure: {node: node-1, usage: 3.9Gi}\n",
        "60s",
    );
    let view = kubeplay_core::kubectl::View {
        timeline: &tl,
        t: 60.0,
        namespace: "default",
    };
    let out = |line: &str| {
        kubeplay_core::kubectl::run(&kubeplay_core::kubectl::parse(line).expect("line"), &view)
    };
    let describe = out("describe node node-1");
    assert!(
        describe.contains(
            "Labels:             kubernetes.io/arch=amd64\n                    kubernetes.io/hostname=node-1\n                    kubernetes.io/os=linux\n                    topology.kubernetes.io/zone=zone-a\n"
        ),
        "{describe}"
    );
    assert!(
        describe.contains(
            "Taints:             dedicated=batch:NoSchedule\n                    node.kubernetes.io/unschedulable:NoSchedule\n                    node.kubernetes.io/memory-pressure:NoSchedule\nUnschedulable:      true\n"
        ),
        "{describe}"
    );
    let yaml = out("get node node-1 -o yaml");
    assert!(
        yaml.contains(
            "  taints:\n  - effect: NoSchedule\n    key: dedicated\n    value: batch\n  - effect: NoSchedule\n    key: node.kubernetes.io/unschedulable\n    timeAdded: \"2026-01-01T00:00:10Z\"\n  - effect: NoSchedule\n    key: node.kubernetes.io/memory-pressure\n    timeAdded: \"2026-01-01T00:00:40Z\"\n"
        ),
        "{yaml}"
    );
}
