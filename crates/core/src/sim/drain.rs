//! `kubectl drain` through the Eviction API, honouring PodDisruptionBudgets.
//!
//! The drain step is `kubectl drain NODE --ignore-daemonsets --force`: the node is cordoned,
//! DaemonSet pods are skipped, and every other pod on it is evicted concurrently, each
//! retried every 5 s while the API answers 429 (`k8s.io/kubectl/pkg/drain` `evictPods`).
//! kubectl's output lines are recorded as events with reason `Drain` on the node.
//!
//! The Eviction API (`pkg/registry/core/pod/storage/eviction.go`) refuses an eviction that
//! would take a budget below its desired healthy count; the budget's numbers are the
//! disruption controller's (`pkg/controller/disruption` `getExpectedPodCount`,
//! `countHealthyPods`, `updatePdbStatus`):
//! - `maxUnavailable` (int or percent, rounded up against the controllers' scale):
//!   desiredHealthy = expected − maxUnavailable (at least 0);
//! - `minAvailable` int: desiredHealthy = minAvailable (expected = the matching pods);
//! - `minAvailable` percent: rounded up against the controllers' scale;
//! - currentHealthy = matching pods that are Ready and not being deleted;
//! - disruptionsAllowed = currentHealthy − desiredHealthy, 0 if negative or nothing expected.
//!
//! Pods that are Pending, finished or already terminating can be evicted regardless
//! (`canIgnorePDB`), and so can a not-ready pod while the budget is healthy (the default
//! `unhealthyPodEvictionPolicy: IfHealthyBudget`).

use std::collections::BTreeMap;

use super::app::Millis;
use super::cluster::Owner;
use super::engine::{Key, Sim};
use crate::model::{IntOrPercent, Selector};
use crate::yaml::Node;

/// kubectl drain's retry delay after a 429.
pub const RETRY: Millis = 5_000;

#[derive(Clone, Debug, PartialEq)]
pub struct Pdb {
    pub name: String,
    pub namespace: String,
    pub selector: Selector,
    pub min_available: Option<IntOrPercent>,
    pub max_unavailable: Option<IntOrPercent>,
}

/// Reads a PodDisruptionBudget (policy/v1).
#[must_use]
pub fn parse_pdb(namespace: &str, name: &str, root: &Node) -> Option<Pdb> {
    let spec = root.get("spec")?;
    Some(Pdb {
        name: name.to_owned(),
        namespace: namespace.to_owned(),
        selector: spec
            .get("selector")
            .map(Selector::from_label_selector)
            .unwrap_or_default(),
        min_available: spec.get("minAvailable").and_then(IntOrPercent::from_node),
        max_unavailable: spec.get("maxUnavailable").and_then(IntOrPercent::from_node),
    })
}

/// Whether `selector` selects a pod with `labels`.
pub(crate) fn selects(selector: &Selector, labels: &BTreeMap<String, String>) -> bool {
    let pairs: Vec<(&str, &str)> = labels
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    selector.matches(&pairs)
}

/// `intstr.GetScaledValueFromIntOrPercent(v, total, roundUp=true)`.
fn scaled_up(v: &IntOrPercent, total: i64) -> i64 {
    match v {
        IntOrPercent::Int(i) => *i,
        IntOrPercent::Percent(p) => (p * total + 99) / 100,
    }
}

/// A PDB's status numbers: (expected, desiredHealthy, currentHealthy, disruptionsAllowed).
#[must_use]
pub fn budget(pdb: &Pdb, pods: usize, scale: i64, healthy: i64) -> (i64, i64, i64, i64) {
    let (expected, desired) = match (&pdb.max_unavailable, &pdb.min_available) {
        (Some(max), _) => (scale, (scale - scaled_up(max, scale)).max(0)),
        (None, Some(IntOrPercent::Int(min))) => (pods as i64, *min),
        (None, Some(min)) => (scale, scaled_up(min, scale)),
        (None, None) => (pods as i64, 0),
    };
    let allowed = if expected <= 0 {
        0
    } else {
        (healthy - desired).max(0)
    };
    (expected, desired, healthy, allowed)
}

#[derive(Clone, Debug, Default)]
pub struct DrainJob {
    pub node: String,
    /// Pods still to evict, with the time of the next attempt.
    pub pending: BTreeMap<u64, Millis>,
    /// Evicted pods kubectl waits for, with their names.
    pub waiting: BTreeMap<u64, String>,
}

#[derive(Clone, Debug, Default)]
pub struct DrainState {
    pub pdbs: BTreeMap<Key, Pdb>,
    pub jobs: Vec<DrainJob>,
}

/// The Eviction API's answer.
enum Answer {
    Evicted,
    Gone,
    TooManyRequests(String),
    Error(String),
}

impl Sim {
    /// The number of replicas the pod's controller wants (`getExpectedScale`).
    fn controller_scale(&self, owner: &Owner, namespace: &str) -> Option<(String, i64)> {
        match owner {
            Owner::ReplicaSet(rs) => {
                let r = self.replicasets.get(&(namespace.to_owned(), rs.clone()))?;
                match &r.deployment {
                    Some(d) => self
                        .deployments
                        .get(&(namespace.to_owned(), d.clone()))
                        .map(|dep| (format!("Deployment/{d}"), dep.spec.replicas)),
                    None => Some((format!("ReplicaSet/{rs}"), r.replicas)),
                }
            }
            Owner::StatefulSet(name) => self
                .workloads
                .statefulsets
                .get(&(namespace.to_owned(), name.clone()))
                .map(|s| (format!("StatefulSet/{name}"), s.replicas)),
            Owner::Job(_) | Owner::DaemonSet(_) | Owner::None => None,
        }
    }

    /// The PDB status of `pdb` now.
    pub(crate) fn pdb_status(&self, pdb: &Pdb) -> (i64, i64, i64, i64) {
        let mut pods = 0;
        let mut healthy = 0;
        let mut scales: BTreeMap<String, i64> = BTreeMap::new();
        for p in self.pods.values() {
            if p.namespace != pdb.namespace || !selects(&pdb.selector, &p.labels) {
                continue;
            }
            if p.phase == "Succeeded" || p.phase == "Failed" {
                continue;
            }
            pods += 1;
            if !p.terminating() && p.ready() {
                healthy += 1;
            }
            if let Some((k, s)) = self.controller_scale(&p.owner, &p.namespace) {
                scales.insert(k, s);
            }
        }
        budget(pdb, pods, scales.values().sum(), healthy)
    }

    /// `POST pods/NAME/eviction`.
    fn evict(&mut self, uid: u64) -> Answer {
        let Some(pod) = self.pods.get(&uid) else {
            return Answer::Gone;
        };
        // canIgnorePDB: already deleting, finished or never started.
        if pod.terminating() || matches!(pod.phase, "Pending" | "Succeeded" | "Failed") {
            self.delete_pod(uid);
            return Answer::Evicted;
        }
        let matching: Vec<&Pdb> = self
            .drain
            .pdbs
            .values()
            .filter(|b| b.namespace == pod.namespace && selects(&b.selector, &pod.labels))
            .collect();
        match matching.as_slice() {
            [] => {}
            [pdb] => {
                let (_, desired, healthy, allowed) = self.pdb_status(pdb);
                let unhealthy_ok = !pod.ready() && healthy >= desired;
                if allowed <= 0 && !unhealthy_ok {
                    return Answer::TooManyRequests(
                        "Cannot evict pod as it would violate the pod's disruption budget.".into(),
                    );
                }
            }
            _ => {
                return Answer::Error(
                    "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.".into(),
                );
            }
        }
        self.delete_pod(uid);
        Answer::Evicted
    }

    fn drain_line(&mut self, node: &str, kind: &'static str, line: String) {
        self.event(kind, "Drain", format!("node/{node}"), line, None);
    }

    /// Starts `kubectl drain NODE --ignore-daemonsets --force`.
    pub(crate) fn start_drain(&mut self, node: &str) {
        self.drain_line(node, "Normal", format!("node/{node} cordoned"));
        let now = self.now;
        let mut daemon = Vec::new();
        let mut bare = Vec::new();
        let mut pending = BTreeMap::new();
        for p in self.pods.values() {
            if p.node.as_deref() != Some(node) || p.phase == "Succeeded" || p.phase == "Failed" {
                continue;
            }
            match &p.owner {
                Owner::DaemonSet(_) => daemon.push(format!("{}/{}", p.namespace, p.name)),
                owner => {
                    if matches!(owner, Owner::None) {
                        bare.push(format!("{}/{}", p.namespace, p.name));
                    }
                    pending.insert(p.uid, now);
                }
            }
        }
        if !daemon.is_empty() {
            self.drain_line(
                node,
                "Warning",
                format!(
                    "Warning: ignoring DaemonSet-managed Pods: {}",
                    daemon.join(", ")
                ),
            );
        }
        if !bare.is_empty() {
            self.drain_line(
                node,
                "Warning",
                format!(
                    "Warning: deleting Pods that declare no controller: {}",
                    bare.join(", ")
                ),
            );
        }
        self.drain.jobs.retain(|j| j.node != node);
        self.drain.jobs.push(DrainJob {
            node: node.to_owned(),
            pending,
            waiting: BTreeMap::new(),
        });
        self.changed = true;
    }

    /// Advances every drain in progress. `true` when it changed something.
    pub(crate) fn sync_drains(&mut self) -> bool {
        if self.drain.jobs.is_empty() {
            return false;
        }
        let now = self.now;
        let mut acted = false;
        let mut jobs = std::mem::take(&mut self.drain.jobs);
        for job in &mut jobs {
            let due: Vec<u64> = job
                .pending
                .iter()
                .filter(|(_, at)| **at <= now)
                .map(|(uid, _)| *uid)
                .collect();
            for uid in due {
                let Some((ns, name)) = self
                    .pods
                    .get(&uid)
                    .map(|p| (p.namespace.clone(), p.name.clone()))
                else {
                    job.pending.remove(&uid);
                    continue;
                };
                self.drain_line(&job.node, "Normal", format!("evicting pod {ns}/{name}"));
                match self.evict(uid) {
                    Answer::Evicted => {
                        job.pending.remove(&uid);
                        job.waiting.insert(uid, name);
                        acted = true;
                    }
                    Answer::Gone => {
                        job.pending.remove(&uid);
                    }
                    Answer::TooManyRequests(e) => {
                        self.drain_line(
                            &job.node,
                            "Warning",
                            format!(
                                "error when evicting pods/\"{name}\" -n \"{ns}\" (will retry after 5s): {e}"
                            ),
                        );
                        job.pending.insert(uid, now + RETRY);
                        self.wake_controllers(now + RETRY);
                    }
                    Answer::Error(e) => {
                        job.pending.remove(&uid);
                        self.drain_line(
                            &job.node,
                            "Warning",
                            format!("error when evicting pods/\"{name}\" -n \"{ns}\": {e}"),
                        );
                    }
                }
            }
            let gone: Vec<u64> = job
                .waiting
                .keys()
                .filter(|uid| self.pods.get(uid).is_none())
                .copied()
                .collect();
            for uid in gone {
                if let Some(name) = job.waiting.remove(&uid) {
                    self.drain_line(&job.node, "Normal", format!("pod/{name} evicted"));
                }
            }
            if job.pending.is_empty() && job.waiting.is_empty() {
                let node = job.node.clone();
                self.drain_line(&node, "Normal", format!("node/{node} drained"));
            }
        }
        jobs.retain(|j| !(j.pending.is_empty() && j.waiting.is_empty()));
        self.drain.jobs = jobs;
        acted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdb(min: Option<IntOrPercent>, max: Option<IntOrPercent>) -> Pdb {
        Pdb {
            name: "b".into(),
            namespace: "default".into(),
            selector: Selector::default(),
            min_available: min,
            max_unavailable: max,
        }
    }

    // The arithmetic of pkg/controller/disruption/disruption_test.go (TestNoSelector,
    // TestUnavailable, TestIntegerMaxUnavailable, TestReplicaSet... with percentages).
    #[test]
    fn budgets() {
        use IntOrPercent::{Int, Percent};
        // minAvailable 2 of 3 healthy → 1 disruption.
        assert_eq!(budget(&pdb(Some(Int(2)), None), 3, 3, 3), (3, 2, 3, 1));
        // One pod already down → none.
        assert_eq!(budget(&pdb(Some(Int(2)), None), 3, 3, 2).3, 0);
        // minAvailable 28% of 4 → ceil(1.12) = 2.
        assert_eq!(budget(&pdb(Some(Percent(28)), None), 4, 4, 4), (4, 2, 4, 2));
        // maxUnavailable 1 of 3 → desired 2.
        assert_eq!(budget(&pdb(None, Some(Int(1))), 3, 3, 3), (3, 2, 3, 1));
        // maxUnavailable 25% of 10 → ceil(2.5) = 3 → desired 7.
        assert_eq!(budget(&pdb(None, Some(Percent(25))), 10, 10, 10).1, 7);
        // Nothing expected: no disruptions, whatever the numbers.
        assert_eq!(budget(&pdb(None, Some(Int(1))), 0, 0, 0).3, 0);
        // maxUnavailable larger than the scale: desired clamps at 0.
        assert_eq!(budget(&pdb(None, Some(Int(5))), 3, 3, 3), (3, 0, 3, 3));
    }
}
