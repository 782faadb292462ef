//! Scenario steps acted on the cluster, as the matching kubectl command would
//! (`kubectl scale`, `set image`, `rollout undo|restart|pause|resume`, `delete pod`,
//! `drain`, `cordon`).

use std::rc::Rc;

use super::engine::Sim;
use super::scenario::{Action, Step};
use crate::value::Value;

impl Sim {
    /// A Deployment's new pod template (`set image`, `rollout restart`, `rollout undo`),
    /// written to its spec and to the stored object.
    fn set_template(&mut self, key: &super::engine::Key, t: super::spec::PodTemplate) {
        let Some(d) = self.deployments.get_mut(key) else {
            return;
        };
        let t = Rc::new(t);
        d.template = Rc::clone(&t);
        d.spec.template = Rc::clone(&t);
        self.changed = true;
        self.update_stored("Deployment", &key.0, &key.1, |v| {
            v.map_mut("spec").set("template", (*t.source).clone());
        });
    }

    fn missing(&mut self, step: &Step, what: &str) {
        self.timeline.warnings.push(format!(
            "line {}: at t={}s, {what} does not exist",
            step.line,
            step.at as f64 / 1000.0
        ));
    }

    /// Performs one step; `resolve` reads an `apply` path.
    pub fn act(&mut self, step: &Step, resolve: &dyn Fn(&str) -> Result<String, String>) {
        let ns = step.namespace.clone();
        match &step.action {
            Action::Apply { path, inline } => {
                let text = match (path, inline) {
                    (_, Some(t)) => Ok(t.clone()),
                    (Some(p), None) => resolve(p),
                    (None, None) => Ok(String::new()),
                };
                match text {
                    Ok(t) => self.apply_text(&t, &ns),
                    Err(e) => self
                        .timeline
                        .warnings
                        .push(format!("line {}: {e}", step.line)),
                }
            }
            Action::Scale {
                deployment,
                replicas,
            } => {
                let key = (ns, deployment.clone());
                match self.deployments.get_mut(&key) {
                    Some(d) => {
                        d.spec.replicas = (*replicas).min(super::engine::MAX_PODS);
                        let n = d.spec.replicas;
                        self.changed = true;
                        self.update_stored("Deployment", &key.0, &key.1, |v| {
                            v.map_mut("spec").set("replicas", n);
                        });
                    }
                    // `kubectl scale statefulset/NAME` with the same step.
                    None => match self.workloads.statefulsets.get_mut(&key) {
                        Some(s) => {
                            s.replicas = (*replicas).min(super::engine::MAX_PODS);
                            let n = s.replicas;
                            self.changed = true;
                            self.update_stored("StatefulSet", &key.0, &key.1, |v| {
                                v.map_mut("spec").set("replicas", n);
                            });
                        }
                        None => self.missing(step, &format!("deployment/{deployment}")),
                    },
                }
            }
            Action::SetImage {
                deployment,
                container,
                image,
            } => {
                let key = (ns, deployment.clone());
                let Some(d) = self.deployments.get_mut(&key) else {
                    return self.missing(step, &format!("deployment/{deployment}"));
                };
                let mut t = (*d.template).clone();
                let target = t
                    .containers
                    .iter_mut()
                    .find(|c| container.as_ref().is_none_or(|n| &c.name == n));
                let Some(c) = target else {
                    let name = container.clone().unwrap_or_default();
                    return self.missing(
                        step,
                        &format!("container {name} in deployment/{deployment}"),
                    );
                };
                c.image.clone_from(image);
                c.pull_policy = super::spec::default_pull_policy(image).to_owned();
                let name = c.name.clone();
                t.hash = super::spec::fnv32(format!("{}{}", t.hash, image).as_bytes());
                let mut source = (*t.source).clone();
                for c in source.map_mut("spec").seq_mut("containers") {
                    if c.get("name").and_then(Value::as_str) == Some(name.as_str()) {
                        c.set("image", image.as_str());
                    }
                }
                t.source = Rc::new(source);
                self.set_template(&key, t);
            }
            Action::RolloutRestart { deployment } => {
                let key = (ns, deployment.clone());
                let Some(d) = self.deployments.get_mut(&key) else {
                    return self.missing(step, &format!("deployment/{deployment}"));
                };
                // kubectl adds a restartedAt annotation: a new template, hence a new ReplicaSet.
                let mut t = (*d.template).clone();
                t.hash = super::spec::fnv32(format!("{}restartedAt{}", t.hash, step.at).as_bytes());
                let mut source = (*t.source).clone();
                source.map_mut("metadata").map_mut("annotations").set(
                    "kubectl.kubernetes.io/restartedAt",
                    super::job::rfc3339(step.at),
                );
                t.source = Rc::new(source);
                self.set_template(&key, t);
            }
            Action::RolloutUndo {
                deployment,
                to_revision,
            } => {
                let key = (ns.clone(), deployment.clone());
                let Some(current) = self.deployments.get(&key).map(|d| d.revision) else {
                    return self.missing(step, &format!("deployment/{deployment}"));
                };
                let target = self
                    .replicasets
                    .values()
                    .filter(|rs| {
                        rs.namespace == ns && rs.deployment.as_deref() == Some(deployment.as_str())
                    })
                    .filter(|rs| to_revision.map_or(rs.revision < current, |r| rs.revision == r))
                    .max_by_key(|rs| rs.revision)
                    .map(|rs| Rc::clone(&rs.template));
                match target {
                    Some(t) => self.set_template(&key, (*t).clone()),
                    None => self.timeline.warnings.push(format!(
                        "line {}: deployment/{deployment} has no previous revision to roll back to",
                        step.line
                    )),
                }
            }
            Action::Pause { deployment } | Action::Resume { deployment } => {
                let pause = matches!(step.action, Action::Pause { .. });
                match self.deployments.get_mut(&(ns.clone(), deployment.clone())) {
                    Some(d) => {
                        d.spec.paused = pause;
                        self.changed = true;
                        // `rollout resume` patches `paused: false`, which the API omits.
                        self.update_stored("Deployment", &ns, deployment, |v| {
                            let spec = v.map_mut("spec");
                            if pause {
                                spec.set("paused", true);
                            } else {
                                spec.remove("paused");
                            }
                        });
                    }
                    None => self.missing(step, &format!("deployment/{deployment}")),
                }
            }
            Action::Load {
                deployment,
                cpu_milli,
            } => {
                self.load.insert((ns, deployment.clone()), *cpu_milli);
                self.changed = true;
            }
            Action::DeletePod { pod } => {
                let uid = self
                    .pods
                    .values()
                    .find(|p| p.namespace == ns && &p.name == pod && !p.terminating())
                    .map(|p| p.uid);
                match uid {
                    Some(uid) => {
                        self.delete_pod(uid);
                        self.changed = true;
                    }
                    None => self.missing(step, &format!("pod/{pod}")),
                }
            }
            Action::Cordon { node } | Action::Uncordon { node } | Action::Drain { node } => {
                let cordon = !matches!(step.action, Action::Uncordon { .. });
                let Some(n) = self.nodes.iter_mut().find(|n| &n.name == node) else {
                    return self.missing(step, &format!("node/{node}"));
                };
                n.unschedulable = cordon;
                self.changed = true;
                if matches!(step.action, Action::Drain { .. }) {
                    self.start_drain(node);
                }
            }
            Action::MemoryPressure { node, bytes } => {
                if !self.set_other_memory(node, *bytes) {
                    self.missing(step, &format!("node/{node}"));
                }
            }
            Action::Request { host, path, https } => self.request(host.as_deref(), path, *https),
            Action::NodePortRequest { node, port, path } => {
                self.node_port_request(node, *port, path);
            }
            Action::EditConfigMap { name, data } => {
                if !self.edit_config_map(&ns, name, data) {
                    self.missing(step, &format!("configmap/{name}"));
                }
            }
        }
    }
}
