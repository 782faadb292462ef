//! The DaemonSet controller (`pkg/controller/daemon/daemon_controller.go`): one pod on every
//! node the pod template fits (nodeSelector, required node affinity, taints), bound to its node the way the default
//! scheduler binds daemon pods (node affinity to that node). Daemon pods tolerate what the
//! controller adds for them (`util.AddOrUpdateDaemonPodTolerations`): not-ready and
//! unreachable (NoExecute), disk-, memory- and pid-pressure and unschedulable (NoSchedule),
//! so they run on cordoned nodes too. A template change replaces pods one at a time
//! (RollingUpdate, maxUnavailable 1).
//! Idealisation: the node's free resources are not checked for daemon pods.

use std::rc::Rc;

use super::cluster::{Owner, SimNode};
use super::engine::{Key, Sim};
use super::scheduler::nodeaffinity::required_match;
use super::scheduler::tainttoleration::tolerates;
use super::spec::{PodTemplate, pod_template};
use super::timeline::DaemonSetView;
use crate::yaml::Node;

#[derive(Clone, Debug)]
pub struct DaemonSet {
    pub name: String,
    pub namespace: String,
    pub template: Rc<PodTemplate>,
}

/// Reads a DaemonSet.
#[must_use]
pub fn parse_daemonset(text: &str, namespace: &str, name: &str, root: &Node) -> Option<DaemonSet> {
    let tpl = root.at("spec.template")?;
    Some(DaemonSet {
        name: name.to_owned(),
        namespace: namespace.to_owned(),
        template: Rc::new(pod_template(text, tpl.get("metadata"), tpl.get("spec")?)),
    })
}

const DAEMON_TOLERATIONS: &[(&str, &str)] = &[
    ("node.kubernetes.io/not-ready", "NoExecute"),
    ("node.kubernetes.io/unreachable", "NoExecute"),
    ("node.kubernetes.io/disk-pressure", "NoSchedule"),
    ("node.kubernetes.io/memory-pressure", "NoSchedule"),
    ("node.kubernetes.io/pid-pressure", "NoSchedule"),
    ("node.kubernetes.io/unschedulable", "NoSchedule"),
];

/// Whether a daemon pod of `template` belongs on `node`: its required node affinity and
/// node selector (`nodeaffinity.GetRequiredNodeAffinity(pod).Match(node)`) and taints,
/// counting the tolerations the controller adds.
fn eligible(template: &PodTemplate, node: &SimNode) -> bool {
    if !required_match(template, node) {
        return false;
    }
    node.taints.iter().all(|taint| {
        if taint.effect != "NoSchedule" && taint.effect != "NoExecute" {
            return true;
        }
        DAEMON_TOLERATIONS
            .iter()
            .any(|(k, e)| *k == taint.key && *e == taint.effect)
            || template.tolerations.iter().any(|t| tolerates(t, taint))
    })
}

impl Sim {
    pub(crate) fn apply_daemonset(&mut self, key: Key, ds: DaemonSet) {
        self.workloads.daemonsets.insert(key, ds);
        self.changed = true;
    }

    pub(crate) fn sync_daemonsets(&mut self) -> bool {
        let keys: Vec<Key> = self.workloads.daemonsets.keys().cloned().collect();
        let mut acted = false;
        for key in keys {
            acted |= self.sync_daemonset(&key);
        }
        acted
    }

    fn sync_daemonset(&mut self, key: &Key) -> bool {
        let Some(ds) = self.workloads.daemonsets.get(key).cloned() else {
            return false;
        };
        let owner = Owner::DaemonSet(ds.name.clone());
        let object = format!("daemonset/{}", ds.name);
        let mut acted = false;
        // (node, uid, ready, current template, finished) of live pods.
        let pods: Vec<(String, u64, bool, bool, bool)> = self
            .pods
            .values()
            .filter(|p| p.namespace == ds.namespace && p.owner == owner && !p.terminating())
            .filter_map(|p| {
                Some((
                    p.node.clone()?,
                    p.uid,
                    p.ready(),
                    p.template.hash == ds.template.hash,
                    p.phase == "Failed" || p.phase == "Succeeded",
                ))
            })
            .collect();
        let all_ready = pods.iter().all(|p| p.2);
        let mut replaced = false;
        for index in 0..self.nodes.len() {
            let node = &self.nodes[index];
            let wanted = eligible(&ds.template, node);
            let node_name = node.name.clone();
            let here: Vec<&(String, u64, bool, bool, bool)> =
                pods.iter().filter(|p| p.0 == node_name).collect();
            let delete = |sim: &mut Self, uid: u64| {
                let name = sim
                    .pods
                    .get(&uid)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                sim.delete_pod(uid);
                sim.event(
                    "Normal",
                    "SuccessfulDelete",
                    object.clone(),
                    format!("Deleted pod: {name}"),
                    None,
                );
            };
            if !wanted {
                for p in here {
                    delete(self, p.1);
                    acted = true;
                }
                continue;
            }
            // A failed daemon pod is deleted and re-created; extra pods go; an outdated pod is
            // replaced when every daemon pod is ready (maxUnavailable 1).
            let mut keep = None;
            for p in here {
                let outdated = !p.3 && all_ready && !replaced;
                if p.4 || keep.is_some() || outdated {
                    delete(self, p.1);
                    replaced |= outdated;
                    acted = true;
                } else {
                    keep = Some(p.1);
                }
            }
            let terminating_here = self.pods.values().any(|p| {
                p.owner == owner && p.terminating() && p.node.as_deref() == Some(node_name.as_str())
            });
            if keep.is_none() && !terminating_here {
                let name = format!("{}-{}", ds.name, self.random_suffix(5));
                let Some(uid) =
                    self.spawn_pod(name.clone(), &ds.namespace, owner.clone(), &ds.template)
                else {
                    break;
                };
                self.event(
                    "Normal",
                    "SuccessfulCreate",
                    object.clone(),
                    format!("Created pod: {name}"),
                    None,
                );
                // Bound to its node, as the scheduler does for the daemon pod's node affinity.
                let ip = format!("10.244.{}.{}", index + 1, (uid % 250) + 2);
                if let Some(p) = self.pods.get_mut(&uid) {
                    p.node = Some(node_name.clone());
                    p.ip = Some(ip);
                }
                self.event(
                    "Normal",
                    "Scheduled",
                    format!("pod/{name}"),
                    format!(
                        "Successfully assigned {}/{name} to {node_name}",
                        ds.namespace
                    ),
                    None,
                );
                self.kubelet_sync(uid);
                acted = true;
            }
        }
        acted
    }

    pub(crate) fn daemonset_views(&self) -> Vec<DaemonSetView> {
        self.workloads
            .daemonsets
            .values()
            .map(|d| {
                let owner = Owner::DaemonSet(d.name.clone());
                let live: Vec<_> = self
                    .pods
                    .values()
                    .filter(|p| p.namespace == d.namespace && p.owner == owner && !p.terminating())
                    .collect();
                DaemonSetView {
                    name: d.name.clone(),
                    namespace: d.namespace.clone(),
                    desired_number_scheduled: self
                        .nodes
                        .iter()
                        .filter(|n| eligible(&d.template, n))
                        .count() as i64,
                    current_number_scheduled: live.len() as i64,
                    number_ready: live.iter().filter(|p| p.ready()).count() as i64,
                    updated_number_scheduled: live
                        .iter()
                        .filter(|p| p.template.hash == d.template.hash)
                        .count() as i64,
                }
            })
            .collect()
    }
}
