//! Turns the simulator's state into the timeline's views, as `kubectl get` would show them.

use std::rc::Rc;

use super::cluster::{ContainerState, Pod};
use super::engine::Sim;
use super::spec::PodTemplate;
use super::timeline::{
    ConditionView, ContainerView, DeploymentView, NodeView, PodView, ReplicaSetView, ServiceView,
    TemplateRef,
};

/// QoS class of the pods of a template (`ComputePodQOS` on the defaulted containers).
#[must_use]
pub fn template_qos(t: &PodTemplate) -> &'static str {
    let all = t.containers.iter().chain(&t.init_containers);
    let mut any = false;
    let mut guaranteed = true;
    for c in all {
        let limits = (
            c.cpu_limit_milli.filter(|v| *v > 0),
            c.memory_limit.filter(|v| *v > 0),
        );
        any |= c.cpu_request_milli > 0
            || c.memory_request > 0
            || limits.0.is_some()
            || limits.1.is_some();
        match limits {
            (Some(cpu), Some(mem)) => {
                guaranteed &= cpu == c.cpu_request_milli && mem == c.memory_request
            }
            _ => guaranteed = false,
        }
    }
    if !any {
        "BestEffort"
    } else if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

/// The STATUS column of `kubectl get pods` when it is not simply the phase.
fn status_reason(pod: &Pod) -> Option<String> {
    if pod.terminating() {
        return Some("Terminating".into());
    }
    if pod.node.is_none() {
        return pod.unschedulable.clone();
    }
    for c in &pod.containers {
        match &c.state {
            ContainerState::Waiting { reason } if reason != "ContainerCreating" => {
                return Some(reason.clone());
            }
            ContainerState::Terminated { reason, .. } => return Some(reason.clone()),
            _ => {}
        }
    }
    pod.containers.iter().find_map(|c| match &c.state {
        ContainerState::Waiting { reason } => Some(reason.clone()),
        _ => None,
    })
}

impl Sim {
    /// The view of `pod`; `labels` are its previous view's, shared again when equal (a
    /// rollout rebuilds thousands of views, and copying the labels each time showed in the
    /// benchmark).
    pub(crate) fn pod_view(
        &self,
        pod: &Pod,
        labels: Option<&Rc<std::collections::BTreeMap<String, String>>>,
    ) -> PodView {
        PodView {
            name: pod.name.clone(),
            namespace: pod.namespace.clone(),
            owner: pod.owner.describe(),
            node: pod.node.clone(),
            phase: pod.phase,
            ready: pod.ready(),
            terminating: pod.terminating(),
            restarts: pod.restarts(),
            qos: template_qos(&pod.template),
            reason: if self.eviction.evicted.contains_key(&pod.uid) {
                Some("Evicted".into())
            } else {
                status_reason(pod)
            },
            containers: pod
                .containers
                .iter()
                .map(|c| {
                    let (state, reason, exit_code) = match &c.state {
                        ContainerState::Waiting { reason } => {
                            ("waiting", Some(reason.clone()), None)
                        }
                        ContainerState::Running { .. } => ("running", None, None),
                        ContainerState::Terminated {
                            reason, exit_code, ..
                        } => ("terminated", Some(reason.clone()), Some(*exit_code)),
                    };
                    ContainerView {
                        name: c.name.clone(),
                        state,
                        reason,
                        exit_code,
                        restarts: c.restarts,
                        ready: c.ready,
                        last_reason: c.last_exit.as_ref().map(|(r, _)| r.clone()),
                        last_exit_code: c.last_exit.as_ref().map(|(_, code)| *code),
                        started_at: match c.state {
                            #[allow(clippy::cast_precision_loss)]
                            ContainerState::Running { since } => Some(since as f64 / 1000.0),
                            _ => None,
                        },
                        finished_at: match c.state {
                            #[allow(clippy::cast_precision_loss)]
                            ContainerState::Terminated { at, .. } => Some(at as f64 / 1000.0),
                            _ => None,
                        },
                    }
                })
                .collect(),
            ip: pod.ip.clone(),
            revision: pod.revision,
            cpu_request_milli: pod.cpu_request(),
            memory_request: pod.memory_request(),
            labels: match labels {
                Some(l) if **l == pod.labels => Rc::clone(l),
                _ => Rc::new(pod.labels.clone()),
            },
            template: TemplateRef(Rc::clone(&pod.template)),
            #[allow(clippy::cast_precision_loss)]
            created_at: pod.created as f64 / 1000.0,
            #[allow(clippy::cast_precision_loss)]
            ready_since: pod.ready_since.map(|t| t as f64 / 1000.0),
            priority: pod.priority,
        }
    }

    pub(crate) fn node_views(&self) -> Vec<NodeView> {
        // (cpu requested, memory requested, memory used) per node, in one pass; finished
        // pods request nothing and their stopped containers use nothing.
        let mut requested: std::collections::BTreeMap<&str, (i64, i64, i64)> =
            std::collections::BTreeMap::new();
        for p in self.pods.values() {
            if let Some(n) = p.node.as_deref()
                && p.phase != "Succeeded"
                && p.phase != "Failed"
            {
                let e = requested.entry(n).or_default();
                e.0 += p.cpu_request();
                e.1 += p.memory_request();
                e.2 = e.2.saturating_add(super::eviction::pod_memory(p, self.now));
            }
        }
        self.nodes
            .iter()
            .map(|n| {
                let (cpu, mem, pods_used) =
                    requested.get(n.name.as_str()).copied().unwrap_or_default();
                let other = self.eviction.other.get(&n.name).copied().unwrap_or(0);
                NodeView {
                    name: n.name.clone(),
                    cpu_milli: n.cpu_milli,
                    memory: n.memory,
                    cpu_requested: cpu,
                    memory_requested: mem,
                    unschedulable: n.unschedulable,
                    memory_used: pods_used.saturating_add(other),
                    memory_other: other,
                    memory_pressure: self.eviction.pressure.contains_key(&n.name),
                }
            })
            .collect()
    }

    pub(crate) fn deployment_views(&self) -> Vec<DeploymentView> {
        self.deployments
            .values()
            .map(|d| {
                let key = (d.namespace.clone(), d.name.clone());
                let status = self.deployment_status(&key);
                let (surge, unavailable) = self.fenceposts(d);
                DeploymentView {
                    name: d.name.clone(),
                    namespace: d.namespace.clone(),
                    replicas: status.replicas,
                    desired_replicas: d.spec.replicas,
                    updated_replicas: status.updated,
                    ready_replicas: status.ready,
                    available_replicas: status.available,
                    revision: d.revision,
                    conditions: d
                        .conditions
                        .iter()
                        .map(|c| ConditionView {
                            kind: c.kind.to_owned(),
                            status: c.status.to_owned(),
                            reason: c.reason.to_owned(),
                        })
                        .collect(),
                    min_available: d.spec.replicas - unavailable,
                    max_total: d.spec.replicas + surge,
                    template: TemplateRef(Rc::clone(&d.template)),
                }
            })
            .collect()
    }

    pub(crate) fn replicaset_views(&self) -> Vec<ReplicaSetView> {
        self.replicasets
            .values()
            .map(|rs| {
                let (ready, available) = self.rs_ready_available(rs);
                ReplicaSetView {
                    name: rs.name.clone(),
                    deployment: rs.deployment.clone(),
                    revision: rs.revision,
                    replicas: rs.replicas,
                    ready_replicas: ready,
                    available_replicas: available,
                    namespace: rs.namespace.clone(),
                    template: TemplateRef(Rc::clone(&rs.template)),
                }
            })
            .collect()
    }

    pub(crate) fn service_views(&self) -> Vec<ServiceView> {
        self.services
            .values()
            .map(|s| ServiceView {
                name: s.name.clone(),
                endpoints: s.endpoints.clone(),
                namespace: s.namespace.clone(),
                selector: s.selector.clone(),
                ports: s.ports.clone(),
            })
            .collect()
    }
}
