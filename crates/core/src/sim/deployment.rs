//! The Deployment controller (`pkg/controller/deployment`): `rolling.go` (new ReplicaSet
//! sized by `NewRSNewReplicas`, then old ones scaled down under `maxUnavailable`),
//! `recreate.go`, status conditions with `progressDeadlineSeconds`, and revision history.

use std::rc::Rc;

use super::cluster::{Condition, Deployment, ReplicaSet};
use super::engine::{Key, Sim};
use crate::facts::resolve_fenceposts;

/// A Deployment's status computed from its ReplicaSets' pods.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeploymentStatus {
    pub replicas: i64,
    pub updated: i64,
    pub ready: i64,
    pub available: i64,
}

/// `pod-template-hash` encoding: each byte of the decimal hash mapped into Kubernetes'
/// alphabet (`rand.SafeEncodeString`).
#[must_use]
pub fn safe_encode(hash: u32) -> String {
    const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    hash.to_string()
        .bytes()
        .map(|b| ALPHANUMS[usize::from(b) % ALPHANUMS.len()] as char)
        .collect()
}

impl Sim {
    /// (maxSurge, maxUnavailable) as `MaxSurge`/`MaxUnavailable` resolve them.
    pub(crate) fn fenceposts(&self, d: &Deployment) -> (i64, i64) {
        if d.spec.recreate {
            return (0, 0);
        }
        let (surge, unavailable) =
            resolve_fenceposts(d.spec.max_surge, d.spec.max_unavailable, d.spec.replicas);
        let unavailable = if d.spec.replicas == 0 {
            0
        } else {
            unavailable.min(d.spec.replicas)
        };
        (surge, unavailable)
    }

    /// ReplicaSets owned by the Deployment: (new, old sorted oldest first).
    fn deployment_rss(&self, key: &Key) -> (Option<Key>, Vec<Key>) {
        let Some(d) = self.deployments.get(key) else {
            return (None, Vec::new());
        };
        let mut new = None;
        let mut old: Vec<&ReplicaSet> = Vec::new();
        for (k, rs) in &self.replicasets {
            if rs.namespace != d.namespace || rs.deployment.as_deref() != Some(&d.name) {
                continue;
            }
            if rs.template.hash == d.template.hash && new.is_none() {
                new = Some(k.clone());
            } else {
                old.push(rs);
            }
        }
        old.sort_by_key(|rs| (rs.created, rs.revision));
        (
            new,
            old.iter()
                .map(|rs| (rs.namespace.clone(), rs.name.clone()))
                .collect(),
        )
    }

    pub(crate) fn deployment_status(&self, key: &Key) -> DeploymentStatus {
        let mut s = DeploymentStatus::default();
        let Some(d) = self.deployments.get(key) else {
            return s;
        };
        // The same ReplicaSets as `deployment_rss`, read without building key lists.
        let mut new_seen = false;
        for rs in self.replicasets.values() {
            if rs.namespace != d.namespace || rs.deployment.as_deref() != Some(d.name.as_str()) {
                continue;
            }
            let pods = self.rs_active(rs);
            let (ready, available) = self.rs_ready_available(rs);
            s.replicas += pods;
            s.ready += ready;
            s.available += available;
            if !new_seen && rs.template.hash == d.template.hash {
                new_seen = true;
                s.updated = pods;
            }
        }
        s
    }

    pub(crate) fn sync_deployments(&mut self) -> bool {
        let keys: Vec<Key> = self.deployments.keys().cloned().collect();
        let mut acted = false;
        for key in keys {
            acted |= self.sync_deployment(&key);
            self.update_conditions(&key);
        }
        acted
    }

    fn scale_rs(&mut self, key: &Key, to: i64, deployment: &str) {
        let Some(rs) = self.replicasets.get_mut(key) else {
            return;
        };
        let from = rs.replicas;
        if from == to {
            return;
        }
        rs.replicas = to;
        let name = rs.name.clone();
        let direction = if to > from { "up" } else { "down" };
        self.changed = true;
        self.event(
            "Normal",
            "ScalingReplicaSet",
            format!("deployment/{deployment}"),
            format!("Scaled {direction} replica set {name} from {from} to {to}"),
            None,
        );
        // Each ReplicaSet resize is its own snapshot.
        self.sync_replicasets();
        self.sync_endpoints();
        self.snapshot();
    }

    fn create_rs(&mut self, key: &Key, replicas: i64) -> Key {
        let d = &self.deployments[key];
        let hash = safe_encode(d.template.hash);
        let name = format!("{}-{hash}", d.name);
        let revision = self
            .replicasets
            .values()
            .filter(|rs| rs.namespace == d.namespace && rs.deployment.as_deref() == Some(&d.name))
            .map(|rs| rs.revision)
            .max()
            .unwrap_or(0)
            + 1;
        let rs = ReplicaSet {
            name: name.clone(),
            namespace: d.namespace.clone(),
            deployment: Some(d.name.clone()),
            replicas: 0,
            template: Rc::clone(&d.template),
            revision,
            selector: d.spec.selector.clone(),
            created: self.now,
            min_ready_seconds: d.spec.min_ready_seconds,
            pods: std::collections::BTreeSet::new(),
        };
        let rs_key = (d.namespace.clone(), name);
        let dname = d.name.clone();
        self.replicasets.insert(rs_key.clone(), rs);
        if let Some(d) = self.deployments.get_mut(key) {
            d.revision = revision;
        }
        self.scale_rs(&rs_key, replicas, &dname);
        rs_key
    }

    fn sync_deployment(&mut self, key: &Key) -> bool {
        let Some(d) = self.deployments.get(key).cloned() else {
            return false;
        };
        if d.spec.paused {
            return false;
        }
        let (new, old) = self.deployment_rss(key);
        // A rollback or re-apply that matches an existing ReplicaSet makes it the newest revision.
        if let Some(n) = &new {
            let max_rev = old
                .iter()
                .map(|k| self.replicasets[k].revision)
                .max()
                .unwrap_or(0);
            let rs = &self.replicasets[n];
            if rs.revision < max_rev {
                let revision = max_rev + 1;
                if let Some(rs) = self.replicasets.get_mut(n) {
                    rs.revision = revision;
                }
                if let Some(dep) = self.deployments.get_mut(key) {
                    dep.revision = revision;
                }
            }
        }
        if d.spec.recreate {
            return self.rollout_recreate(key, &d, new, &old);
        }
        self.rollout_rolling(key, &d, new, &old)
    }

    /// `NewRSNewReplicas` for RollingUpdate.
    fn new_rs_new_replicas(&self, d: &Deployment, all: &[Key], new_replicas: i64) -> i64 {
        let (surge, _) = self.fenceposts(d);
        let current: i64 = all.iter().map(|k| self.replicasets[k].replicas).sum();
        let max_total = d.spec.replicas + surge;
        if current >= max_total {
            return new_replicas;
        }
        let up = (max_total - current).min(d.spec.replicas - new_replicas);
        new_replicas + up.max(0)
    }

    fn rollout_rolling(
        &mut self,
        key: &Key,
        d: &Deployment,
        new: Option<Key>,
        old: &[Key],
    ) -> bool {
        let mut acted = false;
        let new = match new {
            Some(n) => n,
            None => {
                let size = self.new_rs_new_replicas(d, old, 0);
                acted = true;
                self.create_rs(key, size)
            }
        };
        let all: Vec<Key> = old
            .iter()
            .cloned()
            .chain(std::iter::once(new.clone()))
            .collect();
        // reconcileNewReplicaSet
        let cur = self.replicasets[&new].replicas;
        if cur > d.spec.replicas {
            self.scale_rs(&new, d.spec.replicas, &d.name);
            return true;
        }
        if cur < d.spec.replicas {
            let want = self.new_rs_new_replicas(d, &all, cur);
            if want != cur {
                self.scale_rs(&new, want, &d.name);
                return true;
            }
        }
        // reconcileOldReplicaSets
        acted |= self.reconcile_old(d, &new, old);
        if !acted && self.deployment_complete(key) {
            self.cleanup_history(key, d, old);
        }
        acted
    }

    fn reconcile_old(&mut self, d: &Deployment, new: &Key, old: &[Key]) -> bool {
        let old_pods: i64 = old.iter().map(|k| self.replicasets[k].replicas).sum();
        if old_pods == 0 {
            return false;
        }
        let all_pods = old_pods + self.replicasets[new].replicas;
        let (_, max_unavailable) = self.fenceposts(d);
        let min_available = d.spec.replicas - max_unavailable;
        let new_rs = &self.replicasets[new];
        let new_unavailable = new_rs.replicas - self.rs_ready_available(new_rs).1;
        let max_scaled_down = all_pods - min_available - new_unavailable;
        if max_scaled_down <= 0 {
            return false;
        }
        // cleanupUnhealthyReplicas: drop old pods that are not available anyway.
        let mut cleaned = 0;
        let mut acted = false;
        for k in old {
            if cleaned >= max_scaled_down {
                break;
            }
            let rs = &self.replicasets[k];
            let available = self.rs_ready_available(rs).1;
            if rs.replicas == 0 || rs.replicas == available {
                continue;
            }
            let down = (max_scaled_down - cleaned).min(rs.replicas - available);
            let to = rs.replicas - down;
            cleaned += down;
            self.scale_rs(k, to, &d.name);
            acted = true;
        }
        // scaleDownOldReplicaSetsForRollingUpdate
        let all: Vec<&Key> = old.iter().chain(std::iter::once(new)).collect();
        let available: i64 = all
            .iter()
            .map(|k| self.rs_ready_available(&self.replicasets[*k]).1)
            .sum();
        if available <= min_available {
            return acted;
        }
        let total = available - min_available;
        let mut scaled = 0;
        for k in old {
            if scaled >= total {
                break;
            }
            let rs = &self.replicasets[k];
            if rs.replicas == 0 {
                continue;
            }
            let down = rs.replicas.min(total - scaled);
            let to = rs.replicas - down;
            scaled += down;
            self.scale_rs(k, to, &d.name);
            acted = true;
        }
        acted
    }

    fn rollout_recreate(
        &mut self,
        key: &Key,
        d: &Deployment,
        new: Option<Key>,
        old: &[Key],
    ) -> bool {
        let mut acted = false;
        for k in old {
            if self.replicasets[k].replicas > 0 {
                self.scale_rs(k, 0, &d.name);
                acted = true;
            }
        }
        if acted {
            return true;
        }
        // Wait until every old pod is gone (terminating ones count).
        let old_running = old.iter().any(|k| {
            let name = &self.replicasets[k].name;
            self.pods.values().any(|p| {
                p.namespace == d.namespace
                    && p.owner == super::cluster::Owner::ReplicaSet(name.clone())
            })
        });
        if old_running {
            return false;
        }
        match new {
            None => {
                self.create_rs(key, d.spec.replicas);
                true
            }
            Some(n) if self.replicasets[&n].replicas != d.spec.replicas => {
                self.scale_rs(&n, d.spec.replicas, &d.name);
                true
            }
            Some(_) => {
                if self.deployment_complete(key) {
                    self.cleanup_history(key, d, old);
                }
                false
            }
        }
    }

    fn deployment_complete(&self, key: &Key) -> bool {
        let Some(d) = self.deployments.get(key) else {
            return false;
        };
        let s = self.deployment_status(key);
        s.updated == d.spec.replicas
            && s.replicas == d.spec.replicas
            && s.available == d.spec.replicas
    }

    /// `cleanupDeployment`: delete the oldest empty ReplicaSets beyond `revisionHistoryLimit`.
    fn cleanup_history(&mut self, _key: &Key, d: &Deployment, old: &[Key]) {
        let empty: Vec<&Key> = old
            .iter()
            .filter(|k| {
                let rs = &self.replicasets[*k];
                rs.replicas == 0 && rs.pods.is_empty()
            })
            .collect();
        let excess = empty.len() as i64 - d.spec.revision_history_limit;
        if excess <= 0 {
            return;
        }
        let remove: Vec<Key> = empty.into_iter().take(excess as usize).cloned().collect();
        for k in remove {
            self.replicasets.remove(&k);
            self.changed = true;
        }
    }

    fn update_conditions(&mut self, key: &Key) {
        let Some(d) = self.deployments.get(key) else {
            return;
        };
        let status = self.deployment_status(key);
        let (_, max_unavailable) = self.fenceposts(d);
        let min_available = d.spec.replicas - max_unavailable;
        let complete = self.deployment_complete(key);
        let old_replicas = status.replicas - status.updated;
        let progress_key = (
            status.updated,
            status.ready,
            status.available,
            -old_replicas,
        );
        let now = self.now;
        let deadline = d.spec.progress_deadline_seconds * 1000;
        let paused = d.spec.paused;
        let (last_progress, progressed) = if progress_key != d.last_status {
            (now, true)
        } else {
            (d.last_progress, false)
        };
        let available = if status.available >= min_available {
            cond(
                "Available",
                "True",
                "MinimumReplicasAvailable",
                "Deployment has minimum availability.",
            )
        } else {
            cond(
                "Available",
                "False",
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.",
            )
        };
        let progressing = if paused {
            cond(
                "Progressing",
                "Unknown",
                "DeploymentPaused",
                "Deployment is paused",
            )
        } else if complete {
            cond(
                "Progressing",
                "True",
                "NewReplicaSetAvailable",
                "ReplicaSet has successfully progressed.",
            )
        } else if now - last_progress > deadline {
            cond(
                "Progressing",
                "False",
                "ProgressDeadlineExceeded",
                "ReplicaSet has timed out progressing.",
            )
        } else {
            cond(
                "Progressing",
                "True",
                "ReplicaSetUpdated",
                "ReplicaSet is progressing.",
            )
        };
        let conditions = [available, progressing];
        let mut wake = None;
        if let Some(d) = self.deployments.get_mut(key) {
            if d.conditions != conditions {
                d.conditions = conditions.to_vec();
                self.changed = true;
            }
            d.last_status = progress_key;
            d.last_progress = last_progress;
            if progressed && !complete && !paused {
                wake = Some(now + deadline + 1);
            }
        }
        if let Some(at) = wake {
            self.wake_controllers(at);
        }
    }
}

const fn cond(
    kind: &'static str,
    status: &'static str,
    reason: &'static str,
    message: &'static str,
) -> Condition {
    Condition {
        kind,
        status,
        reason,
        message,
    }
}
