//! The StatefulSet controller (`pkg/controller/statefulset/stateful_set_control.go`
//! `updateStatefulSet`): pods named `<set>-<ordinal>`, stable across re-creation.
//!
//! With `podManagementPolicy: OrderedReady` (the default) ordinal N+1 is created only when
//! 0..N are Running and Ready; scale-down deletes the highest ordinal first, one at a time,
//! only while every remaining pod is Running and Ready. With `Parallel` pods are created and
//! deleted together. A RollingUpdate deletes the highest-ordinal pod still on an old
//! revision (down to `partition`), waits until its replacement is Running and Ready, then
//! moves to the next lower ordinal.
//!
//! Each pod gets the identity `updateIdentity` gives it: hostname = its name, subdomain =
//! `serviceName` (so a headless Service of that name publishes `db-0.db.<ns>.svc...`), and
//! before it is created, its PersistentVolumeClaims from `volumeClaimTemplates` (`volumes`).

use std::rc::Rc;

use super::cluster::Owner;
use super::engine::{Key, MAX_PODS, Sim};
use super::spec::{PodTemplate, pod_template};
use super::timeline::StatefulSetView;
use super::volumes::{ClaimTemplate, claim_templates};
use crate::model::Selector;
use crate::yaml::Node;

#[derive(Clone, Debug)]
pub struct StatefulSet {
    pub name: String,
    pub namespace: String,
    pub replicas: i64,
    pub template: Rc<PodTemplate>,
    /// `spec.selector`, which the scheduler's default spreading reads.
    pub selector: Selector,
    pub parallel: bool,
    pub partition: i64,
    /// `OnDelete`: pods are only replaced when deleted by hand.
    pub on_delete: bool,
    /// `volumeClaimTemplates`.
    pub claims: Vec<ClaimTemplate>,
}

/// Reads a StatefulSet with the API server's defaults.
#[must_use]
pub fn parse_statefulset(
    text: &str,
    namespace: &str,
    name: &str,
    root: &Node,
) -> Option<StatefulSet> {
    let spec = root.get("spec")?;
    let tpl = spec.get("template")?;
    let strategy = spec.get("updateStrategy");
    let mut template = pod_template(text, tpl.get("metadata"), tpl.get("spec")?);
    template.subdomain = spec
        .get("serviceName")
        .and_then(Node::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    template.hostname_is_name = true;
    Some(StatefulSet {
        name: name.to_owned(),
        namespace: namespace.to_owned(),
        replicas: spec
            .get("replicas")
            .and_then(Node::as_i64)
            .unwrap_or(1)
            .clamp(0, MAX_PODS),
        template: Rc::new(template),
        selector: spec
            .get("selector")
            .map(Selector::from_label_selector)
            .unwrap_or_default(),
        parallel: spec.get("podManagementPolicy").and_then(Node::as_str) == Some("Parallel"),
        partition: strategy
            .and_then(|s| s.at("rollingUpdate.partition"))
            .and_then(Node::as_i64)
            .unwrap_or(0)
            .max(0),
        on_delete: strategy.and_then(|s| s.get("type")).and_then(Node::as_str) == Some("OnDelete"),
        claims: claim_templates(spec),
    })
}

/// The ordinal of a pod named `<set>-<n>`.
fn ordinal(set: &str, pod: &str) -> Option<i64> {
    pod.strip_prefix(set)?.strip_prefix('-')?.parse().ok()
}

impl Sim {
    pub(crate) fn apply_statefulset(&mut self, key: Key, mut sts: StatefulSet) {
        // An HPA owns the replica count of its target.
        let autoscaled = self.hpas.values().any(|h| {
            h.namespace == key.0 && h.target_kind == "StatefulSet" && h.target_name == key.1
        });
        if autoscaled && let Some(old) = self.workloads.statefulsets.get(&key) {
            sts.replicas = old.replicas;
        }
        self.workloads.statefulsets.insert(key, sts);
        self.changed = true;
    }

    pub(crate) fn sync_statefulsets(&mut self) -> bool {
        let keys: Vec<Key> = self.workloads.statefulsets.keys().cloned().collect();
        let mut acted = self.sync_claims();
        for key in keys {
            acted |= self.sync_statefulset(&key);
        }
        acted
    }

    /// The set's pods by ordinal: (ordinal, uid, running and ready, terminating, current
    /// revision, failed).
    fn sts_pods(&self, sts: &StatefulSet) -> Vec<(i64, u64, bool, bool, bool, bool)> {
        let mut out: Vec<_> = self
            .pods
            .values()
            .filter(|p| {
                p.namespace == sts.namespace && p.owner == Owner::StatefulSet(sts.name.clone())
            })
            .filter_map(|p| {
                Some((
                    ordinal(&sts.name, &p.name)?,
                    p.uid,
                    p.phase == "Running" && p.ready() && !p.terminating(),
                    p.terminating(),
                    p.template.hash == sts.template.hash,
                    p.phase == "Failed" || p.phase == "Succeeded",
                ))
            })
            .collect();
        out.sort_unstable();
        out
    }

    fn sts_event(&mut self, sts: &StatefulSet, verb: &str, pod: &str) {
        let reason = if verb == "create" {
            "SuccessfulCreate"
        } else {
            "SuccessfulDelete"
        };
        self.event(
            "Normal",
            reason,
            format!("statefulset/{}", sts.name),
            format!("{verb} Pod {pod} in StatefulSet {} successful", sts.name),
            None,
        );
    }

    fn sync_statefulset(&mut self, key: &Key) -> bool {
        let Some(sts) = self.workloads.statefulsets.get(key).cloned() else {
            return false;
        };
        let monotonic = !sts.parallel;
        let pods = self.sts_pods(&sts);
        let mut acted = false;
        // Replicas: create what is missing, in ordinal order.
        for ordinal in 0..sts.replicas {
            let existing: Vec<_> = pods.iter().filter(|p| p.0 == ordinal).collect();
            if existing.is_empty() {
                let name = format!("{}-{ordinal}", sts.name);
                self.create_claims(&sts.name, &sts.namespace, &name, &sts.claims);
                if self
                    .spawn_pod(
                        name.clone(),
                        &sts.namespace,
                        Owner::StatefulSet(sts.name.clone()),
                        &sts.template,
                    )
                    .is_some()
                {
                    self.sts_event(&sts, "create", &name);
                    acted = true;
                }
                if monotonic {
                    return acted;
                }
                continue;
            }
            let &&(_, uid, healthy, terminating, _, finished) = &existing[0];
            if finished && !terminating {
                // A failed pod is deleted and re-created under the same name.
                let name = format!("{}-{ordinal}", sts.name);
                self.delete_pod(uid);
                self.sts_event(&sts, "delete", &name);
                acted = true;
            }
            if monotonic && (!healthy || terminating) {
                return acted;
            }
        }
        // Condemned pods: the highest ordinal first.
        let condemned: Vec<_> = pods.iter().filter(|p| p.0 >= sts.replicas).rev().collect();
        for &&(ordinal, uid, _, terminating, _, _) in &condemned {
            if terminating {
                if monotonic {
                    return acted;
                }
                continue;
            }
            self.delete_pod(uid);
            self.sts_event(&sts, "delete", &format!("{}-{ordinal}", sts.name));
            acted = true;
            if monotonic {
                return acted;
            }
        }
        // RollingUpdate from the highest ordinal down to the partition.
        if sts.on_delete {
            return acted;
        }
        for &(ordinal, uid, healthy, terminating, current, _) in pods.iter().rev() {
            if ordinal >= sts.replicas || ordinal < sts.partition {
                continue;
            }
            if !current && !terminating {
                self.delete_pod(uid);
                self.sts_event(&sts, "delete", &format!("{}-{ordinal}", sts.name));
                return true;
            }
            if !healthy {
                return acted;
            }
        }
        acted
    }

    pub(crate) fn statefulset_views(&self) -> Vec<StatefulSetView> {
        self.workloads
            .statefulsets
            .values()
            .map(|s| {
                let pods = self.sts_pods(s);
                StatefulSetView {
                    name: s.name.clone(),
                    namespace: s.namespace.clone(),
                    replicas: s.replicas,
                    current_replicas: pods.iter().filter(|p| !p.3 && !p.5).count() as i64,
                    ready_replicas: pods.iter().filter(|p| p.2).count() as i64,
                    updated_replicas: pods.iter().filter(|p| p.4 && !p.3).count() as i64,
                }
            })
            .collect()
    }
}
