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
        self.pods
            .values()
            .filter(|p| {
                p.namespace == rs.namespace
                    && p.owner == Owner::ReplicaSet(rs.name.clone())
                    && !p.terminating()
                    && p.phase != "Failed"
                    && p.phase != "Succeeded"
            })
            .map(|p| p.uid)
            .collect()
    }

    /// (ready, available) pods of the ReplicaSet now.
    pub(crate) fn rs_ready_available(&self, rs: &ReplicaSet) -> (i64, i64) {
        let min_ready = rs.min_ready_seconds * 1000;
        self.rs_pods(rs).iter().fold((0, 0), |(r, a), uid| {
            let p = &self.pods[uid];
            (
                r + i64::from(p.ready()),
                a + i64::from(p.available(min_ready, self.now)),
            )
        })
    }

    pub(crate) fn sync_replicasets(&mut self) -> bool {
        let keys: Vec<Key> = self.replicasets.keys().cloned().collect();
        let mut acted = false;
        for key in keys {
            acted |= self.sync_replicaset(&key);
        }
        acted
    }

    fn sync_replicaset(&mut self, key: &Key) -> bool {
        let Some(rs) = self.replicasets.get(key).cloned() else {
            return false;
        };
        let mut active = self.rs_pods(&rs);
        let diff = active.len() as i64 - rs.replicas;
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
                    "ReplicaSet {} wants {} pods; the simulator's pod limit is {MAX_PODS}",
                    rs.name, rs.replicas
                ));
            }
            for _ in 0..create {
                self.create_pod(&rs);
            }
            return create > 0;
        }
        if diff > 0 {
            let now = self.now;
            active.sort_by(|a, b| delete_first(&self.pods[a], &self.pods[b], now));
            for uid in active.into_iter().take(diff as usize) {
                let name = self.pods[&uid].name.clone();
                self.delete_pod(uid);
                self.event(
                    "Normal",
                    "SuccessfulDelete",
                    format!("replicaset/{}", rs.name),
                    format!("Deleted pod: {name}"),
                    None,
                );
            }
            return true;
        }
        false
    }

    fn create_pod(&mut self, rs: &ReplicaSet) {
        let uid = self.next_uid;
        self.next_uid += 1;
        let name = format!("{}-{}", rs.name, self.random_suffix(5));
        let mut labels = rs.template.labels.clone();
        if let Some(hash) = rs.name.rsplit('-').next() {
            labels.insert("pod-template-hash".into(), hash.to_owned());
        }
        let pod = Pod {
            name: name.clone(),
            namespace: rs.namespace.clone(),
            uid,
            owner: Owner::ReplicaSet(rs.name.clone()),
            labels,
            template: Rc::clone(&rs.template),
            node: None,
            ip: None,
            created: self.now,
            deletion: None,
            phase: "Pending".into(),
            containers: rs
                .template
                .containers
                .iter()
                .map(|c| ContainerStatus::new(&c.name))
                .collect(),
            ready_since: None,
            unschedulable: None,
            revision: rs.revision,
            cpu_load: None,
        };
        self.pods.insert(uid, pod);
        self.touch(uid);
        self.event(
            "Normal",
            "SuccessfulCreate",
            format!("replicaset/{}", rs.name),
            format!("Created pod: {name}"),
            None,
        );
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
            self.pods.remove(&uid);
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
    let phase_rank = |p: &Pod| match p.phase.as_str() {
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
