//! The scheduler (`pkg/scheduler/framework/plugins`): filters nodes by resources
//! (`NodeResourcesFit`), node selector, taints and tolerations, cordoning and pod count,
//! scores the rest by least allocated resources, and explains a Pending pod in its own
//! words: `0/3 nodes are available: 3 Insufficient cpu.`

use std::collections::BTreeMap;

use super::cluster::{Pod, SimNode};
use super::engine::Sim;

impl Sim {
    /// (cpu millicores, memory bytes) requested by the pods bound to `node`.
    pub(crate) fn requested_on(&self, node: &str) -> (i64, i64) {
        self.pods
            .values()
            .filter(|p| {
                p.node.as_deref() == Some(node) && p.phase != "Succeeded" && p.phase != "Failed"
            })
            .fold((0, 0), |(c, m), p| {
                (c + p.cpu_request(), m + p.memory_request())
            })
    }

    fn pods_on(&self, node: &str) -> i64 {
        self.pods
            .values()
            .filter(|p| p.node.as_deref() == Some(node))
            .count() as i64
    }

    /// Binds every unscheduled pod it can; `true` if anything changed.
    pub(crate) fn schedule(&mut self) -> bool {
        let pending: Vec<u64> = self
            .pods
            .values()
            .filter(|p| p.node.is_none() && !p.terminating())
            .map(|p| p.uid)
            .collect();
        if pending.is_empty() {
            return false;
        }
        let mut acted = false;
        // Usage per node, updated as pods are bound in this pass.
        let mut used: BTreeMap<String, (i64, i64, i64)> = self
            .nodes
            .iter()
            .map(|n| {
                let (c, m) = self.requested_on(&n.name);
                (n.name.clone(), (c, m, self.pods_on(&n.name)))
            })
            .collect();
        for uid in pending {
            let Some(pod) = self.pods.get(&uid) else {
                continue;
            };
            let (cpu, mem) = (pod.cpu_request(), pod.memory_request());
            let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
            let mut best: Option<(i64, &SimNode)> = None;
            for node in &self.nodes {
                let (c, m, n) = used[&node.name];
                match fit(node, pod, (c, m, n), (cpu, mem)) {
                    Err(why) => {
                        for w in why {
                            *reasons.entry(w).or_default() += 1;
                        }
                    }
                    Ok(()) => {
                        // LeastAllocated: the node with the most free share wins; ties by name order.
                        let free =
                            |cap: i64, req: i64| if cap <= 0 { 0 } else { (cap - req) * 100 / cap };
                        let score = free(node.cpu_milli, c + cpu) + free(node.memory, m + mem);
                        if best.is_none_or(|(s, _)| score > s) {
                            best = Some((score, node));
                        }
                    }
                }
            }
            match best {
                Some((_, node)) => {
                    let name = node.name.clone();
                    let ip = format!("10.244.{}.{}", node.index + 1, (uid % 250) + 2);
                    if let Some(e) = used.get_mut(&name) {
                        e.0 += cpu;
                        e.1 += mem;
                        e.2 += 1;
                    }
                    let (pod_name, ns) = (pod.name.clone(), pod.namespace.clone());
                    if let Some(p) = self.pods.get_mut(&uid) {
                        p.node = Some(name.clone());
                        p.ip = Some(ip);
                        p.unschedulable = None;
                    }
                    self.event(
                        "Normal",
                        "Scheduled",
                        format!("pod/{pod_name}"),
                        format!("Successfully assigned {ns}/{pod_name} to {name}"),
                        None,
                    );
                    self.touch(uid);
                    self.kubelet_sync(uid);
                    acted = true;
                }
                None => {
                    let message = unschedulable_message(self.nodes.len(), &reasons);
                    if pod.unschedulable.as_deref() != Some(message.as_str()) {
                        let name = pod.name.clone();
                        if let Some(p) = self.pods.get_mut(&uid) {
                            p.unschedulable = Some(message.clone());
                        }
                        self.event(
                            "Warning",
                            "FailedScheduling",
                            format!("pod/{name}"),
                            message,
                            None,
                        );
                        self.touch(uid);
                    }
                }
            }
        }
        acted
    }
}

/// The scheduler's `FitError` message: counts per reason, sorted, then the preemption note.
#[must_use]
pub fn unschedulable_message(nodes: usize, reasons: &BTreeMap<String, usize>) -> String {
    let mut parts: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
    parts.sort();
    format!(
        "0/{nodes} nodes are available: {}. preemption: 0/{nodes} nodes are available: {nodes} No preemption victims found for incoming pod.",
        parts.join(", ")
    )
}

fn fit(
    node: &SimNode,
    pod: &Pod,
    used: (i64, i64, i64),
    want: (i64, i64),
) -> Result<(), Vec<String>> {
    let mut why = Vec::new();
    if node.unschedulable {
        return Err(vec!["node(s) were unschedulable".into()]);
    }
    for (k, v) in &pod.template.node_selector {
        if node.labels.get(k) != Some(v) {
            return Err(vec![
                "node(s) didn't match Pod's node affinity/selector".into(),
            ]);
        }
    }
    for taint in &node.taints {
        if taint.effect != "NoSchedule" && taint.effect != "NoExecute" {
            continue;
        }
        let tolerated = pod.template.tolerations.iter().any(|t| {
            let key_ok = t.key.as_deref().is_none_or(|k| k == taint.key);
            let value_ok =
                t.operator == "Exists" || t.value.as_deref().unwrap_or("") == taint.value;
            let effect_ok = t
                .effect
                .as_deref()
                .is_none_or(|e| e.is_empty() || e == taint.effect);
            key_ok && value_ok && effect_ok && (t.key.is_some() || t.operator == "Exists")
        });
        if !tolerated {
            let shown = if taint.value.is_empty() {
                format!("{{{}: }}", taint.key)
            } else {
                format!("{{{}: {}}}", taint.key, taint.value)
            };
            return Err(vec![format!("node(s) had untolerated taint {shown}")]);
        }
    }
    if used.2 + 1 > node.max_pods {
        why.push("Too many pods".into());
    }
    if used.0 + want.0 > node.cpu_milli {
        why.push("Insufficient cpu".into());
    }
    if used.1 + want.1 > node.memory {
        why.push("Insufficient memory".into());
    }
    if why.is_empty() { Ok(()) } else { Err(why) }
}
