//! Memory at an instant, read from a recorded snapshot: each pod's working set (growing
//! between snapshots as `sim.kubeplay.dev/memory-growth` says), a node's `memory.available`,
//! and the order in which the kubelet would evict the node's pods under memory pressure
//! (`pkg/kubelet/eviction/helpers.go` `rankMemoryPressure`, as `eviction.rs` ranks them).

use std::rc::Rc;

use super::eviction::{
    Candidate, SYSTEM_CRITICAL_PRIORITY, THRESHOLD, rank_memory_pressure, working_set,
};
use super::timeline::{NodeView, PodView, Snapshot};

fn millis(t: f64) -> i64 {
    #[allow(clippy::cast_possible_truncation)]
    let ms = (t * 1000.0).round() as i64;
    ms
}

/// Bytes as a learner reads them: `512Mi`, `7.5Gi`, `130Mi` (to the nearest Mi above 1Mi).
#[must_use]
pub fn human_bytes(b: i64) -> String {
    const MI: i64 = 1 << 20;
    const GI: i64 = 1 << 30;
    if b >= GI && (b * 10) % GI == 0 {
        #[allow(clippy::cast_precision_loss)]
        let gi = b as f64 / GI as f64;
        return format!("{gi}Gi");
    }
    if b == 0 {
        return "0".into();
    }
    if b.abs() >= MI {
        return format!("{}Mi", (b + MI / 2).div_euclid(MI));
    }
    format!("{}Ki", (b + 512).div_euclid(1024))
}

/// Working set of one container of `pod` at `t` seconds (0 when it is not running).
#[must_use]
pub fn container_memory_at(pod: &PodView, index: usize, t: f64) -> i64 {
    let (Some(spec), Some(view)) = (
        pod.template.0.containers.get(index),
        pod.containers.get(index),
    ) else {
        return 0;
    };
    match view.started_at {
        Some(since) if view.state == "running" => {
            working_set(spec, &pod.template.0.app, millis(since), millis(t))
        }
        _ => 0,
    }
}

/// Working set of a pod at `t` seconds: its running containers' sum.
#[must_use]
pub fn pod_memory_at(pod: &PodView, t: f64) -> i64 {
    (0..pod.containers.len())
        .map(|i| container_memory_at(pod, i, t))
        .fold(0, i64::saturating_add)
}

/// Whether the kubelet's eviction manager still counts the pod on its node (not finished,
/// not already evicted).
fn active_on(pod: &PodView, node: &str) -> bool {
    pod.node.as_deref() == Some(node) && pod.phase != "Succeeded" && pod.phase != "Failed"
}

/// A node's memory as the eviction manager observes it at `t` seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeMemory {
    /// Capacity: allocatable plus the hard threshold (no reservations in the simulator).
    pub capacity: i64,
    /// Working set of its pods plus other processes.
    pub used: i64,
    /// `memory.available`: capacity − used.
    pub available: i64,
    /// Below this, the node is under MemoryPressure (`memory.available<100Mi`).
    pub threshold: i64,
}

/// `memory.available` of `node` at `t` seconds.
#[must_use]
pub fn node_memory_at(snapshot: &Snapshot, node: &NodeView, t: f64) -> NodeMemory {
    let pods = snapshot
        .pods
        .iter()
        .filter(|p| active_on(p, &node.name))
        .map(|p| pod_memory_at(p, t))
        .fold(0, i64::saturating_add);
    let capacity = node.memory.saturating_add(THRESHOLD);
    let used = pods.saturating_add(node.memory_other);
    NodeMemory {
        capacity,
        used,
        available: capacity.saturating_sub(used),
        threshold: THRESHOLD,
    }
}

/// One pod in the eviction order.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    pub pod: Rc<PodView>,
    /// Working set at the instant.
    pub usage: i64,
    /// The pod's memory request.
    pub request: i64,
    /// Usage above request: such pods go first.
    pub exceeds: bool,
    /// A critical pod (priority of at least 2000000000): ranked, but the kubelet skips it
    /// (`evictPod` refuses critical pods) and evicts the next one.
    pub critical: bool,
}

/// The pods of `node` in the order the kubelet ranks them for eviction at `t` seconds, first
/// first: usage above request, then lower priority, then larger usage − request;
/// ties keep creation order. Critical pods keep their rank but are marked: the kubelet
/// passes over them.
#[must_use]
pub fn eviction_order(snapshot: &Snapshot, node: &str, t: f64) -> Vec<Ranked> {
    let mut ranked: Vec<(Candidate, &Rc<PodView>)> = snapshot
        .pods
        .iter()
        .enumerate()
        .filter(|(_, p)| active_on(p, node))
        .map(|(i, p)| {
            let candidate = Candidate {
                uid: i as u64,
                usage: pod_memory_at(p, t),
                request: p.memory_request,
                priority: p.priority,
            };
            (candidate, p)
        })
        .collect();
    ranked.sort_by(|a, b| rank_memory_pressure(&a.0, &b.0));
    ranked
        .into_iter()
        .map(|(c, p)| Ranked {
            pod: Rc::clone(p),
            usage: c.usage,
            request: c.request,
            exceeds: c.usage > c.request,
            critical: c.priority >= SYSTEM_CRITICAL_PRIORITY,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Action, Timeline};

    const MI: i64 = 1024 * 1024;

    /// Three pods on one node: Guaranteed, Burstable within its request, and a BestEffort
    /// cache that uses 150Mi without asking; plus a leaking Burstable pod.
    const PODS: &str = "apiVersion: v1
kind: Pod
metadata:
  name: db
spec:
  nodeSelector: {kubernetes.io/hostname: node-1}
  containers:
    - name: db
      image: postgres:17
      resources:
        requests: {cpu: 250m, memory: 512Mi}
        limits: {cpu: 250m, memory: 512Mi}
---
apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  nodeSelector: {kubernetes.io/hostname: node-1}
  containers:
    - name: api
      image: registry.example.com/api:1.0
      resources:
        requests: {cpu: 100m, memory: 256Mi}
        limits: {memory: 1Gi}
---
apiVersion: v1
kind: Pod
metadata:
  name: cache
  annotations:
    sim.kubeplay.dev/memory: 150Mi
spec:
  nodeSelector: {kubernetes.io/hostname: node-1}
  containers:
    - name: cache
      image: redis:7
---
apiVersion: v1
kind: Pod
metadata:
  name: leaky
  annotations:
    sim.kubeplay.dev/memory: 100Mi
    sim.kubeplay.dev/memory-growth: 60Mi
spec:
  nodeSelector: {kubernetes.io/hostname: node-2}
  containers:
    - name: leaky
      image: registry.example.com/leaky:1.0
      resources:
        requests: {memory: 100Mi}
        limits: {memory: 400Mi}
";

    fn run(steps: Vec<(i64, Action)>, until: i64) -> Timeline {
        crate::testing::simulate_steps(PODS, steps, until)
    }

    fn pod<'a>(snap: &'a Snapshot, name: &str) -> &'a PodView {
        snap.pods.iter().find(|p| p.name == name).unwrap()
    }

    #[test]
    fn bytes_read_as_quantities() {
        assert_eq!(human_bytes(512 * MI), "512Mi");
        assert_eq!(human_bytes(7680 * MI), "7.5Gi");
        assert_eq!(human_bytes(8 * 1024 * MI), "8Gi");
        assert_eq!(human_bytes(130 * MI + 1000), "130Mi");
        assert_eq!(human_bytes(0), "0");
    }

    #[test]
    fn memory_grows_between_snapshots_up_to_the_limit() {
        let tl = run(vec![], 600_000);
        let snap = tl.at(60.0).unwrap();
        let leaky = pod(snap, "leaky");
        let since = leaky.containers[0].started_at.expect("running");
        // 100Mi at start, 60Mi a minute.
        assert_eq!(pod_memory_at(leaky, since + 30.0), 130 * MI);
        assert_eq!(pod_memory_at(leaky, since + 60.0), 160 * MI);
        assert_eq!(pod_memory_at(pod(snap, "cache"), 60.0), 150 * MI);
        assert_eq!(pod_memory_at(pod(snap, "db"), 60.0), 512 * MI);
    }

    #[test]
    fn the_besteffort_pod_is_first_to_go() {
        let tl = run(vec![], 120_000);
        let snap = tl.at(60.0).unwrap();
        let ranked = eviction_order(snap, "node-1", 60.0);
        let order: Vec<(&str, bool)> = ranked
            .iter()
            .map(|r| (r.pod.name.as_str(), r.exceeds))
            .collect();
        assert_eq!(
            order,
            [("cache", true), ("db", false), ("api", false)],
            "usage above request first; then equal usage − request keeps creation order"
        );
        let node = snap.nodes.iter().find(|n| n.name == "node-1").unwrap();
        let m = node_memory_at(snap, node, 60.0);
        assert_eq!(m.used, (512 + 256 + 150) * MI);
        assert_eq!(m.available, 8 * 1024 * MI + 100 * MI - m.used);
    }

    /// A critical pod keeps its place in the ranking but is marked: the kubelet skips it.
    #[test]
    fn critical_pods_are_ranked_but_marked() {
        let agent = "apiVersion: v1
kind: Pod
metadata:
  name: agent
  annotations:
    sim.kubeplay.dev/memory: 500Mi
spec:
  priorityClassName: system-node-critical
  nodeSelector: {kubernetes.io/hostname: node-1}
  containers:
    - name: agent
      image: registry.example.com/agent:1.0
";
        let tl = crate::testing::simulate_steps(&format!("{PODS}---\n{agent}"), vec![], 60_000);
        let snap = tl.at(30.0).unwrap();
        let ranked = eviction_order(snap, "node-1", 30.0);
        let order: Vec<(&str, bool)> = ranked
            .iter()
            .map(|r| (r.pod.name.as_str(), r.critical))
            .collect();
        assert_eq!(
            order,
            [
                ("cache", false),
                ("agent", true),
                ("db", false),
                ("api", false)
            ]
        );
    }

    #[test]
    fn the_ranking_predicts_the_kubelets_eviction() {
        // Other processes take all but ~50Mi of node-1: the first pass evicts the cache.
        let other = 8 * 1024 * MI + 100 * MI - (512 + 256 + 150) * MI - 50 * MI;
        let tl = run(
            vec![(
                60_000,
                Action::MemoryPressure {
                    node: "node-1".into(),
                    bytes: other,
                },
            )],
            120_000,
        );
        let before = tl.at(59.0).unwrap();
        let predicted = eviction_order(before, "node-1", 60.0)[0].pod.name.clone();
        let evicted: Vec<&str> = tl
            .events
            .iter()
            .filter(|e| e.reason == "Evicted")
            .map(|e| e.object.as_str())
            .collect();
        assert_eq!(
            evicted.first().copied(),
            Some(format!("pod/{predicted}").as_str())
        );
        let after = tl.at(61.0).unwrap();
        let node = after.nodes.iter().find(|n| n.name == "node-1").unwrap();
        assert_eq!(node.memory_other, other);
        assert!(node.memory_pressure);
        assert_eq!(pod(after, "cache").reason.as_deref(), Some("Evicted"));
        // An evicted pod is out of the ranking; the node has room again.
        let order = eviction_order(after, "node-1", 61.0);
        assert!(order.iter().all(|r| r.pod.name != "cache"));
        assert!(node_memory_at(after, node, 61.0).available >= THRESHOLD);
    }
}
