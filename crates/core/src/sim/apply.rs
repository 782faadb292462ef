//! `kubectl apply` into the simulated cluster: each object is created or updated; objects
//! the API server would refuse (error diagnostics) are skipped with a warning.

use std::rc::Rc;

use super::cluster::{ContainerStatus, Deployment, Owner, Pod};
use super::engine::Sim;
use super::hpa::parse_hpa;
use super::spec::{deployment, pod_template};
use crate::diagnostic::Severity;

impl Sim {
    /// Applies every object of a manifest text.
    pub fn apply_text(&mut self, text: &str, default_namespace: &str) {
        let analysis = crate::analyze(text);
        self.source = Some((text.to_owned(), analysis.line_index.clone()));
        for object in &analysis.objects {
            let (Some(kind), Some(name)) = (object.kind.as_deref(), object.name.as_deref()) else {
                continue;
            };
            let refused = analysis.diagnostics.iter().find(|d| {
                d.severity == Severity::Error
                    && d.span.start.offset >= object.range.start
                    && d.span.start.offset <= object.range.end
            });
            if let Some(d) = refused {
                self.timeline
                    .warnings
                    .push(format!("{kind}/{name} was not applied: {}", d.message));
                continue;
            }
            let Some(root) = analysis
                .documents
                .get(object.document)
                .and_then(|d| d.root.as_ref())
            else {
                continue;
            };
            let namespace = object
                .namespace
                .clone()
                .unwrap_or_else(|| default_namespace.to_owned());
            let key = (namespace.clone(), name.to_owned());
            let line = object.span.start.line;
            if !self.objects.quotas.is_empty()
                && let Err(e) = self.admit_object(kind, &key)
            {
                self.timeline
                    .warnings
                    .push(format!("Error from server (Forbidden): {e}"));
                continue;
            }
            // A bare pod keeps the template it was created with (its spec is immutable).
            if kind != "Pod" {
                self.store_applied(kind, &namespace, name, root);
            }
            match kind {
                "Deployment" => {
                    let Some(spec) = deployment(text, root) else {
                        continue;
                    };
                    let template = Rc::clone(&spec.template);
                    match self.deployments.get_mut(&key) {
                        Some(d) => {
                            // An HPA owns the replica count once it has scaled.
                            let replicas = if self
                                .hpas
                                .values()
                                .any(|h| h.namespace == namespace && h.target_name == name)
                            {
                                d.spec.replicas
                            } else {
                                spec.replicas
                            };
                            d.spec = spec;
                            d.spec.replicas = replicas;
                            if d.template.hash != template.hash {
                                d.template = template;
                            }
                            d.source_line = line;
                        }
                        None => {
                            self.deployments.insert(
                                key,
                                Deployment {
                                    name: name.to_owned(),
                                    namespace,
                                    spec,
                                    template,
                                    revision: 0,
                                    conditions: Vec::new(),
                                    last_progress: self.now,
                                    last_status: (0, 0, 0, 0),
                                    source_line: line,
                                },
                            );
                        }
                    }
                    self.changed = true;
                }
                "Pod" => {
                    let Some(spec) = root.get("spec") else {
                        continue;
                    };
                    if self
                        .pods
                        .values()
                        .any(|p| p.namespace == namespace && p.name == name && !p.terminating())
                    {
                        continue;
                    }
                    let template = Rc::new(pod_template(text, root.get("metadata"), spec));
                    let priority = match self.admit_new_pod(&namespace, name, &template) {
                        Ok(priority) => priority,
                        Err(e) => {
                            // What `kubectl apply` prints when admission refuses the pod.
                            self.timeline
                                .warnings
                                .push(format!("Error from server (Forbidden): {e}"));
                            continue;
                        }
                    };
                    let uid = self.next_uid;
                    self.next_uid += 1;
                    self.pods.insert(
                        uid,
                        Pod {
                            name: name.to_owned(),
                            namespace,
                            uid,
                            owner: Owner::None,
                            labels: template.labels.clone(),
                            containers: template
                                .containers
                                .iter()
                                .map(|c| ContainerStatus::new(&c.name))
                                .collect(),
                            template,
                            node: None,
                            ip: None,
                            created: self.now,
                            deletion: None,
                            phase: "Pending",
                            ready_since: None,
                            unschedulable: None,
                            revision: 0,
                            cpu_load: None,
                            priority,
                        },
                    );
                    self.touch(uid);
                }
                "Service" => self.apply_service(key, root),
                "HorizontalPodAutoscaler" => {
                    if let Some(mut hpa) = parse_hpa(&namespace, name, root) {
                        hpa.next_sync = self.now;
                        if let Some(old) = self.hpas.get(&key) {
                            hpa.recommendations = old.recommendations.clone();
                            hpa.scale_events = old.scale_events.clone();
                            hpa.next_sync = old.next_sync;
                        }
                        self.hpas.insert(key, hpa);
                        self.changed = true;
                    }
                }
                "PodDisruptionBudget" => {
                    if let Some(pdb) = super::drain::parse_pdb(&namespace, name, root) {
                        self.drain.pdbs.insert(key, pdb);
                        self.changed = true;
                    }
                }
                "Job" => {
                    if let Some(spec) = super::job::parse_job(text, &namespace, name, root) {
                        self.apply_job(key, spec, None);
                    }
                }
                "CronJob" => {
                    if let Some(cj) = super::job::parse_cronjob(text, &namespace, name, root) {
                        self.apply_cronjob(key, cj);
                    }
                }
                "StatefulSet" => {
                    if let Some(s) =
                        super::statefulset::parse_statefulset(text, &namespace, name, root)
                    {
                        self.apply_statefulset(key, s);
                    }
                }
                "DaemonSet" => {
                    if let Some(d) = super::daemonset::parse_daemonset(text, &namespace, name, root)
                    {
                        self.apply_daemonset(key, d);
                    }
                }
                other => self.apply_object(other, &namespace, name, root),
            }
        }
    }
}
