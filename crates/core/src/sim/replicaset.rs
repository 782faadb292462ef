//! The ReplicaSet controller (`pkg/controller/replicaset`): keeps the number of active pods
//! equal to `spec.replicas`, creating pods from the template or deleting the ones ranked
//! first by `ActivePodsWithRanks` (unscheduled, pending, not ready, ready for less time,
//! more restarts, newer).

use std::cmp::Ordering;
use std::rc::Rc;

use super::cluster::{ContainerStatus, Owner, Pod, ReplicaSet};
use super::engine::{Key, MAX_PODS, Sim};

impl Sim {
    /// Active (not terminating, not finished) pods owned by the ReplicaSet.
    pub(crate) fn rs_pods(&self, rs: &ReplicaSet) -> Vec<u64> {
        rs.pods
            .iter()
            .filter(|uid| {
                self.pods.get(uid).is_some_and(|p| {
                    !p.terminating() && p.phase != "Failed" && p.phase != "Succeeded"
                })
            })
            .copied()
            .collect()
    }

    /// Forgets a pod that no longer exists.
    pub(crate) fn remove_pod(&mut self, uid: u64) -> Option<Pod> {
        let pod = self.pods.remove(&uid)?;
        if let Owner::ReplicaSet(rs) = &pod.owner
            && let Some(rs) = self
                .replicasets
                .get_mut(&(pod.namespace.clone(), rs.clone()))
        {
            rs.pods.remove(&uid);
        }
        Some(pod)
    }

    /// (ready, available) pods of the ReplicaSet now.
    pub(crate) fn rs_ready_available(&self, rs: &ReplicaSet) -> (i64, i64) {
        let min_ready = rs.min_ready_seconds * 1000;
        let mut counts = (0, 0);
        for p in rs.pods.iter().filter_map(|uid| self.pods.get(uid)) {
            if p.terminating() || p.phase == "Failed" || p.phase == "Succeeded" {
                continue;
            }
            counts.0 += i64::from(p.ready());
            counts.1 += i64::from(p.available(min_ready, self.now));
        }
        counts
    }

    /// Active pods of the ReplicaSet, counted without allocating.
    pub(crate) fn rs_active(&self, rs: &ReplicaSet) -> i64 {
        rs.pods
            .iter()
            .filter_map(|uid| self.pods.get(uid))
            .filter(|p| !p.terminating() && p.phase != "Failed" && p.phase != "Succeeded")
            .count() as i64
    }

    pub(crate) fn sync_replicasets(&mut self) -> bool {
        // Only the ReplicaSets whose pod count is off need a sync (no key copies otherwise).
        let keys: Vec<Key> = self
            .replicasets
            .iter()
            .filter(|(_, rs)| self.rs_active(rs) != rs.replicas)
            .map(|(k, _)| k.clone())
            .collect();
        let mut acted = false;
        for key in keys {
            acted |= self.sync_replicaset(&key);
        }
        acted
    }

    fn sync_replicaset(&mut self, key: &Key) -> bool {
        let Some(rs) = self.replicasets.get(key) else {
            return false;
        };
        let active = self.rs_pods(rs);
        let replicas = rs.replicas;
        let diff = active.len() as i64 - replicas;
        if diff == 0 {
            return false;
        }
        let name = rs.name.clone();
        let object = format!("replicaset/{name}");
        if diff < 0 {
            let room = (MAX_PODS - self.pods.len() as i64).max(0);
            let create = (-diff).min(room);
            if create < -diff
                && !self
                    .timeline
                    .warnings
                    .iter()
                    .any(|w| w.contains("pod limit"))
            {
                self.timeline.warnings.push(format!(
                    "ReplicaSet {name} wants {replicas} pods; the simulator's pod limit is {MAX_PODS}"
                ));
            }
            let template = Rc::clone(&rs.template);
            let namespace = rs.namespace.clone();
            let revision = rs.revision;
            let mut labels = template.labels.clone();
            if let Some(hash) = name.rsplit('-').next() {
                labels.insert("pod-template-hash".into(), hash.to_owned());
            }
            let mut created = 0;
            for _ in 0..create {
                // Like the controller's slow-start batches, stop at the first refusal.
                if !self.create_pod(
                    key, &name, &namespace, &template, &labels, revision, &object,
                ) {
                    break;
                }
                created += 1;
            }
            return created > 0;
        }
        let now = self.now;
        // `rs_pods` only lists pods in the store.
        let mut doomed: Vec<&Pod> = active.iter().filter_map(|uid| self.pods.get(uid)).collect();
        doomed.sort_by(|a, b| delete_first(a, b, now));
        let doomed: Vec<(u64, String)> = doomed
            .into_iter()
            .take(diff as usize)
            .map(|p| (p.uid, p.name.clone()))
            .collect();
        for (uid, pod_name) in doomed {
            self.delete_pod(uid);
            self.event(
                "Normal",
                "SuccessfulDelete",
                object.clone(),
                format!("Deleted pod: {pod_name}"),
                None,
            );
        }
        true
    }

    #[allow(clippy::too_many_arguments)]
    fn create_pod(
        &mut self,
        key: &Key,
        rs_name: &str,
        namespace: &str,
        template: &Rc<super::spec::PodTemplate>,
        labels: &std::collections::BTreeMap<String, String>,
        revision: i64,
        object: &str,
    ) -> bool {
        let Some(priority) =
            self.admit_controller_pod(object, namespace, &format!("{rs_name}-"), template, |e| {
                format!("Error creating: {e}")
            })
        else {
            return false;
        };
        let name = format!("{rs_name}-{}", self.random_suffix(5));
        let uid = self.next_uid;
        self.next_uid += 1;
        let pod = Pod {
            name: name.clone(),
            namespace: namespace.to_owned(),
            uid,
            owner: Owner::ReplicaSet(rs_name.to_owned()),
            labels: labels.clone(),
            template: Rc::clone(template),
            node: None,
            ip: None,
            created: self.now,
            deletion: None,
            phase: "Pending",
            containers: template
                .containers
                .iter()
                .map(|c| ContainerStatus::new(&c.name))
                .collect(),
            ready_since: None,
            unschedulable: None,
            revision,
            cpu_load: None,
            priority,
        };
        self.pods.insert(uid, pod);
        if let Some(r) = self.replicasets.get_mut(key) {
            r.pods.insert(uid);
        }
        self.touch(uid);
        self.event(
            "Normal",
            "SuccessfulCreate",
            object.to_owned(),
            format!("Created pod: {name}"),
            None,
        );
        true
    }

    /// Starts the graceful deletion of a pod (the kubelet does the rest).
    pub(crate) fn delete_pod(&mut self, uid: u64) {
        let now = self.now;
        let Some(pod) = self.pods.get_mut(&uid) else {
            return;
        };
        if pod.deletion.is_some() {
            return;
        }
        pod.deletion = Some(now);
        if pod.node.is_none() {
            // Never scheduled: nothing to stop.
            self.remove_pod(uid);
            self.touch(uid);
            return;
        }
        self.touch(uid);
        self.wake_pod(uid, now);
    }
}

/// `ActivePodsWithRanks` ordering: the pod that sorts first is deleted first.
fn delete_first(a: &Pod, b: &Pod, now: i64) -> Ordering {
    let assigned = |p: &Pod| p.node.is_some();
    let phase_rank = |p: &Pod| match p.phase {
        "Pending" => 0,
        "Unknown" => 1,
        _ => 2,
    };
    assigned(a)
        .cmp(&assigned(b))
        .then(phase_rank(a).cmp(&phase_rank(b)))
        .then(a.ready().cmp(&b.ready()))
        // Ready for less time first.
        .then_with(|| {
            let since = |p: &Pod| p.ready_since.map_or(0, |s| now - s);
            since(a).cmp(&since(b))
        })
        .then(b.restarts().cmp(&a.restarts()))
        .then(b.created.cmp(&a.created))
        .then(b.uid.cmp(&a.uid))
}
