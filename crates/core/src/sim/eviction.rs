//! Node-pressure eviction, as the kubelet's eviction manager does it
//! (`pkg/kubelet/eviction/eviction_manager.go`, `helpers.go`).
//!
//! Each node's eviction manager runs `synchronize` in a loop (`managerImpl.Start`): after a
//! pass that evicted nothing it sleeps `evictionMonitoringPeriod` (10 s, `kubelet.go`); after
//! evicting a pod it waits for the pod to be cleaned up (polled every second,
//! `podCleanupPollFreq`) and passes again at once. Passes start on t = 0, 10 s, 20 s, … and
//! nothing happens in between (the kernel memcg notifications that could wake it sooner are
//! off by default), so pressure that starts between two passes waits for the next one.
//! A pass observes `memory.available` = capacity − working set. The simulated node's
//! capacity is its allocatable memory plus the default hard threshold
//! (`memory.available<100Mi`), because the kubelet computes allocatable = capacity −
//! reserved − hard eviction threshold (no reservations here); the working set is the sum of
//! its pods' usage (`sim.kubeplay.dev/memory`, growing by `memory-growth`) plus what other
//! processes use (the `memoryPressure` scenario step).
//! When `memory.available` is below the threshold the node reports MemoryPressure (the node
//! lifecycle controller taints it `node.kubernetes.io/memory-pressure:NoSchedule`) and the
//! pass evicts at most one pod, ranked by `rankMemoryPressure`: usage above request first,
//! then lower priority, then larger usage − request; critical pods (priority of at least
//! 2000000000, `IsCriticalPod`) are skipped. An evicted pod is Failed with reason Evicted
//! (its controller replaces it). The condition clears at the first pass 5 minutes
//! (`evictionPressureTransitionPeriod`) after pressure was last observed.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::app::{AppBehaviour, Millis};
use super::cluster::{ContainerState, Pod, Taint};
use super::engine::Sim;
use super::kubelet::format_bytes;
use super::spec::ContainerSpec;

/// `memory.available<100Mi`, the kubelet's default hard eviction threshold.
pub const THRESHOLD: i64 = 100 * 1024 * 1024;
/// `evictionMonitoringPeriod`: the sleep after a pass that evicted nothing.
pub const MONITORING_PERIOD: Millis = 10_000;
/// `podCleanupPollFreq`: after an eviction, the next pass comes at the first poll that finds
/// the pod cleaned up.
pub const CLEANUP_POLL: Millis = 1_000;
/// `immediateEvictionGracePeriodSeconds`: how long an evicted pod gets to stop (hard
/// threshold).
pub const EVICTION_GRACE: Millis = 1_000;
/// `scheduling.SystemCriticalPriority`: pods at or above it are critical
/// (`kubelettypes.IsCriticalPod`) and never evicted by the kubelet.
pub const SYSTEM_CRITICAL_PRIORITY: i64 = 2_000_000_000;
/// `--eviction-pressure-transition-period` default.
pub const PRESSURE_TRANSITION: Millis = 300_000;
/// The node lifecycle controller's taint for the MemoryPressure condition.
pub const TAINT: &str = "node.kubernetes.io/memory-pressure";

#[derive(Clone, Debug, Default)]
pub struct EvictionState {
    /// Memory used on each node by processes other than pods (`memoryPressure` steps).
    pub other: BTreeMap<String, i64>,
    /// Nodes under MemoryPressure, with the last time pressure was observed.
    pub pressure: BTreeMap<String, Millis>,
    /// Pods the kubelet evicted: uid → status message.
    pub evicted: BTreeMap<u64, String>,
    /// The next pass each node's eviction manager scheduled at its last one (absent: none
    /// yet, so t = 0, 10 s, 20 s, …). Passes that would find nothing to do are not
    /// simulated, so the time may lie in the past; [`next_pass`] steps it forward by 10 s.
    pub next_pass: BTreeMap<String, Millis>,
    /// The pass each node's loop last asked the engine to wake the simulator for (one wake
    /// per pass). Between passes only what happens (a pod starts, a step) asks for one.
    pub woken: BTreeMap<String, Millis>,
}

/// The first pass of a loop whose pass is due at `due` (or every 10 s after it) at or after
/// `now`.
#[must_use]
pub fn next_pass(due: Option<Millis>, now: Millis) -> Millis {
    let due = due.unwrap_or(0);
    if due >= now {
        return due;
    }
    let behind = now - due;
    due + (behind + MONITORING_PERIOD - 1) / MONITORING_PERIOD * MONITORING_PERIOD
}

/// Working set of one container of `pod` (bytes), as [`working_set`].
fn container_memory(pod: &Pod, i: usize, now: Millis) -> i64 {
    let (Some(spec), Some(status)) = (pod.template.containers.get(i), pod.containers.get(i)) else {
        return 0;
    };
    let ContainerState::Running { since } = status.state else {
        return 0;
    };
    working_set(spec, &pod.template.app, since, now)
}

/// Working set of a container running since `since` (bytes): the app's declared memory
/// (default: the container's request) plus its growth since then, never above the limit
/// (past it the container is OOM-killed instead).
#[must_use]
pub fn working_set(spec: &ContainerSpec, app: &AppBehaviour, since: Millis, now: Millis) -> i64 {
    let used =
        i64::try_from(i128::from(wanted(spec, app)) + grown(app, since, now)).unwrap_or(i64::MAX);
    spec.memory_limit.map_or(used, |l| used.min(l))
}

/// What the app asks for at start, before any limit: its declared memory or the request.
#[must_use]
pub fn wanted(spec: &ContainerSpec, app: &AppBehaviour) -> i64 {
    app.memory.unwrap_or(spec.memory_request).max(0)
}

fn grown(app: &AppBehaviour, since: Millis, now: Millis) -> i128 {
    i128::from(app.memory_growth.max(0)) * i128::from((now - since).max(0)) / 60_000
}

/// Working set of a pod (bytes), summed over its running containers.
#[must_use]
pub fn pod_memory(pod: &Pod, now: Millis) -> i64 {
    (0..pod.containers.len())
        .map(|i| container_memory(pod, i, now))
        .fold(0i64, i64::saturating_add)
}

/// One candidate for eviction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub uid: u64,
    pub usage: i64,
    pub request: i64,
    pub priority: i64,
}

/// `rankMemoryPressure = orderedBy(exceedMemoryRequests, priority, memory)`: the pod that
/// sorts first is evicted first. Ties keep the given order.
#[must_use]
pub fn rank_memory_pressure(a: &Candidate, b: &Candidate) -> Ordering {
    let exceeds = |c: &Candidate| c.usage > c.request;
    exceeds(b)
        .cmp(&exceeds(a))
        .then(a.priority.cmp(&b.priority))
        .then((b.usage - b.request).cmp(&(a.usage - a.request)))
}

impl Sim {
    /// Memory used on every node now (its pods' working sets plus other processes), in one
    /// pass over the pods.
    pub(crate) fn node_memory_used(&self) -> BTreeMap<&str, i64> {
        let mut used: BTreeMap<&str, i64> = self
            .eviction
            .other
            .iter()
            .map(|(n, b)| (n.as_str(), *b))
            .collect();
        for p in self.pods.values() {
            if let Some(node) = p.node.as_deref()
                && !self.eviction.evicted.contains_key(&p.uid)
            {
                let e = used.entry(node).or_default();
                *e = e.saturating_add(pod_memory(p, self.now));
            }
        }
        used
    }

    /// The eviction managers' passes due now (at most one per node and instant). `true` when
    /// one changed something.
    pub(crate) fn sync_eviction(&mut self) -> bool {
        let now = self.now;
        // Something happened at this instant (a pod started or stopped, a step), not only a
        // periodic wake: a loop that would otherwise not look must look at its next pass.
        let stirred = self.changed;
        // Pods within their requests cannot exhaust a node the scheduler filled by requests:
        // only apps that use more (or grow), or other processes, can cause pressure.
        let over = self.pods.values().any(|p| {
            let app = &p.template.app;
            p.node.is_some()
                && (app.memory_growth > 0
                    || app.memory.is_some_and(|m| {
                        m.saturating_mul(p.containers.len() as i64) > p.memory_request()
                    }))
        });
        if !over && self.eviction.other.is_empty() && self.eviction.pressure.is_empty() {
            return false;
        }
        let mut used: Option<BTreeMap<String, i64>> = None;
        let mut acted = false;
        for index in 0..self.nodes.len() {
            let node = &self.nodes[index];
            let due = next_pass(self.eviction.next_pass.get(&node.name).copied(), now);
            if due > now {
                // Between passes nothing is observed.
                if stirred && self.eviction.woken.get(&node.name) != Some(&due) {
                    self.eviction.woken.insert(node.name.clone(), due);
                    self.wake_periodic(due);
                }
                continue;
            }
            let name = node.name.clone();
            let capacity = node.memory.saturating_add(THRESHOLD);
            let used = used.get_or_insert_with(|| {
                self.node_memory_used()
                    .into_iter()
                    .map(|(n, b)| (n.to_owned(), b))
                    .collect()
            });
            let available = capacity.saturating_sub(used.get(&name).copied().unwrap_or(0));
            let mut next = now + MONITORING_PERIOD;
            if available < THRESHOLD {
                acted = true;
                if let Some(stopping) = self.memory_pressure(index, available) {
                    // `waitForPodsCleanup` (the first poll after the pod stopped), then
                    // `synchronize` again without sleeping.
                    next = now + stopping + CLEANUP_POLL;
                }
            } else if let Some(&last) = self.eviction.pressure.get(&name)
                && now - last >= PRESSURE_TRANSITION
            {
                self.eviction.pressure.remove(&name);
                self.nodes[index].taints.retain(|t| t.key != TAINT);
                self.event(
                    "Normal",
                    "NodeHasSufficientMemory",
                    format!("node/{name}"),
                    format!("Node {name} status is now: NodeHasSufficientMemory"),
                    None,
                );
                self.changed = true;
                acted = true;
            }
            // Memory that grows, other processes or a condition to clear: the next pass
            // matters even if nothing else happens meanwhile.
            if self.eviction.other.contains_key(&name)
                || self.eviction.pressure.contains_key(&name)
                || self.pods.values().any(|p| {
                    p.template.app.memory_growth > 0 && p.node.as_deref() == Some(name.as_str())
                })
            {
                self.eviction.woken.insert(name.clone(), next);
                self.wake_periodic(next);
            }
            self.eviction.next_pass.insert(name, next);
        }
        acted
    }

    /// The node is under pressure: set the condition and evict at most one pod. Returns how
    /// long the evicted pod took to stop, or `None` when no pod could be evicted.
    fn memory_pressure(&mut self, index: usize, available: i64) -> Option<Millis> {
        let now = self.now;
        let name = self.nodes[index].name.clone();
        if self.eviction.pressure.insert(name.clone(), now).is_none() {
            self.nodes[index].taints.push(Taint {
                key: TAINT.into(),
                value: String::new(),
                effect: "NoSchedule".into(),
            });
            self.event(
                "Normal",
                "NodeHasInsufficientMemory",
                format!("node/{name}"),
                format!("Node {name} status is now: NodeHasInsufficientMemory"),
                None,
            );
            self.changed = true;
        }
        self.event(
            "Warning",
            "EvictionThresholdMet",
            format!("node/{name}"),
            "Attempting to reclaim memory".into(),
            None,
        );
        let mut candidates: Vec<Candidate> = self
            .pods
            .values()
            .filter(|p| {
                p.node.as_deref() == Some(name.as_str())
                    && p.phase != "Succeeded"
                    && p.phase != "Failed"
                    && !self.eviction.evicted.contains_key(&p.uid)
            })
            .map(|p| Candidate {
                uid: p.uid,
                usage: pod_memory(p, now),
                request: p.memory_request(),
                priority: p.priority,
            })
            .collect();
        candidates.sort_by(rank_memory_pressure);
        // `evictPod` refuses critical pods and the loop tries the next one.
        let victim = candidates
            .into_iter()
            .find(|c| c.priority < SYSTEM_CRITICAL_PRIORITY)?;
        Some(self.evict_for_pressure(&victim, available))
    }

    /// `evictPod` with the hard-threshold grace period: the pod is Failed/Evicted and its
    /// containers are stopped. Returns how long they took to stop (at most the 1-s grace
    /// period, then SIGKILL).
    fn evict_for_pressure(&mut self, victim: &Candidate, available: i64) -> Millis {
        let now = self.now;
        let Some(pod) = self.pods.get_mut(&victim.uid) else {
            return 0;
        };
        let mut stopping: Millis = 0;
        // evictionMessage: the node, the threshold, then every container above its request.
        let mut message = format!(
            "The node was low on resource: memory. Threshold quantity: {}, available: {}. ",
            format_bytes(THRESHOLD),
            format_bytes(available.max(0))
        );
        for (i, spec) in pod.template.containers.iter().enumerate() {
            let usage = container_memory(pod, i, now);
            if usage > spec.memory_request {
                message.push_str(&format!(
                    "Container {} was using {}, request is {}, has larger consumption of memory. ",
                    spec.name,
                    format_bytes(usage),
                    format_bytes(spec.memory_request)
                ));
            }
        }
        for (cs, spec) in pod.containers.iter_mut().zip(&pod.template.containers) {
            if let ContainerState::Running { .. } = cs.state {
                // immediateEvictionGracePeriodSeconds = 1: SIGKILL unless the app stops at once.
                let needed = spec.pre_stop_sleep * 1000 + pod.template.app.shutdown;
                stopping = stopping.max(needed.clamp(0, EVICTION_GRACE));
                cs.state = ContainerState::Terminated {
                    reason: "Error".into(),
                    exit_code: if needed > EVICTION_GRACE { 137 } else { 143 },
                    at: now,
                };
            }
            cs.ready = false;
            cs.restart_at = None;
        }
        pod.phase = "Failed";
        pod.ready_since = None;
        let object = format!("pod/{}", pod.name);
        let uid = pod.uid;
        self.eviction.evicted.insert(uid, message.clone());
        self.event("Warning", "Evicted", object, message, None);
        self.touch(uid);
        stopping
    }

    /// The `memoryPressure` step: other processes on `node` use `bytes`.
    pub(crate) fn set_other_memory(&mut self, node: &str, bytes: i64) -> bool {
        if !self.nodes.iter().any(|n| n.name == node) {
            return false;
        }
        if bytes > 0 {
            self.eviction.other.insert(node.to_owned(), bytes);
        } else {
            self.eviction.other.remove(node);
        }
        self.changed = true;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(uid: u64, usage: i64, request: i64) -> Candidate {
        Candidate {
            uid,
            usage,
            request,
            priority: 0,
        }
    }

    #[test]
    fn passes_step_forward_every_ten_seconds_from_the_last_one() {
        assert_eq!(next_pass(None, 0), 0);
        assert_eq!(next_pass(None, 35_000), 40_000);
        assert_eq!(next_pass(Some(42_000), 41_500), 42_000);
        assert_eq!(next_pass(Some(42_000), 42_000), 42_000);
        assert_eq!(next_pass(Some(42_000), 42_001), 52_000);
        assert_eq!(next_pass(Some(42_000), 355_000), 362_000);
    }

    // The shape of TestOrderedByExceedsRequestMemory / TestOrderedbyMemory in
    // pkg/kubelet/eviction/helpers_test.go: above-request first, then by usage − request.
    #[test]
    fn ranking() {
        let mut pods = [
            c(1, 100, 100), // Guaranteed at its request
            c(2, 300, 0),   // BestEffort using 300
            c(3, 250, 100), // Burstable 150 over
            c(4, 90, 200),  // Burstable under its request
            c(5, 500, 300), // Burstable 200 over
        ];
        pods.sort_by(rank_memory_pressure);
        let order: Vec<u64> = pods.iter().map(|p| p.uid).collect();
        assert_eq!(order, vec![2, 5, 3, 1, 4]);
        // Lower priority first among pods that exceed.
        let mut pods = [
            Candidate {
                priority: 10,
                ..c(1, 900, 0)
            },
            c(2, 200, 100),
        ];
        pods.sort_by(rank_memory_pressure);
        assert_eq!(pods[0].uid, 2);
    }
}
