//! The discrete-event loop: the caller's scenario steps, the kubelet's timers and the
//! controllers' resyncs are processed in time order; after every instant the controllers
//! run until nothing changes, and snapshots record each step of the way.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::rc::Rc;

use super::app::Millis;
use super::cluster::{Deployment, ReplicaSet, Service, SimNode};
use super::timeline::{Event, Snapshot, Timeline};

/// Hard bounds so that no scenario can run away.
pub const MAX_EVENTS: usize = 200_000;
pub const MAX_SNAPSHOTS: usize = 50_000;
pub const MAX_PODS: i64 = 5_000;
/// Controller passes per instant before the loop is declared stuck.
const MAX_SETTLE_PASSES: usize = 64;

/// Namespaced key: (namespace, name).
pub type Key = (String, String);

pub struct Sim {
    pub now: Millis,
    pub until: Millis,
    pub nodes: Vec<SimNode>,
    pub deployments: BTreeMap<Key, Deployment>,
    pub replicasets: BTreeMap<Key, ReplicaSet>,
    pub pods: super::store::PodStore,
    pub services: BTreeMap<Key, Service>,
    pub hpas: BTreeMap<Key, super::hpa::Hpa>,
    /// Ingresses, NetworkPolicies, RBAC, quotas, ConfigMaps, Secrets, Namespaces.
    pub objects: super::objects::Objects,
    /// The manifest text and its line index, to point events at lines.
    pub source: Option<(String, crate::text::LineIndex)>,
    /// Per-deployment CPU load (millicores per pod) set by `load` steps.
    pub load: BTreeMap<Key, i64>,
    pub timeline: Timeline,
    pub(crate) pod_wakes: BinaryHeap<Reverse<(Millis, u64)>>,
    pub(crate) controller_wakes: BinaryHeap<Reverse<Millis>>,
    /// Periodic controller syncs (the HPA's 15 s loop) that change nothing visible by
    /// themselves: they do not force a snapshot.
    pub(crate) periodic_wakes: BinaryHeap<Reverse<Millis>>,
    pub(crate) next_uid: u64,
    rng: u64,
    pub(crate) changed: bool,
    pub(crate) dirty_pods: BTreeSet<u64>,
    pod_views: BTreeMap<u64, Rc<super::timeline::PodView>>,
    pub stopped: bool,
    /// The kubelets' eviction managers (node-pressure eviction).
    pub eviction: super::eviction::EvictionState,
    /// PodDisruptionBudgets and `kubectl drain`s in progress.
    pub drain: super::drain::DrainState,
    /// Jobs, CronJobs, StatefulSets and DaemonSets.
    pub workloads: super::job::Workloads,
    /// A copy of the Ingresses, NetworkPolicies, Namespaces and round-robin positions in
    /// `objects`, shared by the snapshots until one of them changes (`network_changed`).
    pub(crate) network: Rc<super::network::NetworkObjects>,
    /// The API server's copy of every applied object, shared by the snapshots until one
    /// changes.
    pub(crate) stored: Rc<super::stored::Stored>,
}

impl Sim {
    #[must_use]
    pub fn new(nodes: Vec<SimNode>, until: Millis) -> Self {
        let registered = nodes
            .iter()
            .map(|n| {
                let r = super::timeline::Registration {
                    labels: n.labels.clone(),
                    taints: n.taints.clone(),
                };
                (n.name.clone(), r)
            })
            .collect();
        Self {
            now: 0,
            until,
            nodes,
            deployments: BTreeMap::new(),
            replicasets: BTreeMap::new(),
            pods: super::store::PodStore::default(),
            services: BTreeMap::new(),
            hpas: BTreeMap::new(),
            objects: super::objects::Objects::default(),
            source: None,
            load: BTreeMap::new(),
            timeline: Timeline {
                version: 1,
                registered,
                ..Timeline::default()
            },
            pod_wakes: BinaryHeap::new(),
            controller_wakes: BinaryHeap::new(),
            periodic_wakes: BinaryHeap::new(),
            next_uid: 1,
            rng: 0x9e37_79b9_7f4a_7c15,
            changed: false,
            dirty_pods: BTreeSet::new(),
            pod_views: BTreeMap::new(),
            stopped: false,
            eviction: super::eviction::EvictionState::default(),
            drain: super::drain::DrainState::default(),
            workloads: super::job::Workloads::default(),
            network: Rc::default(),
            stored: Rc::default(),
        }
    }

    /// Seconds as the timeline shows them.
    #[must_use]
    pub fn seconds(&self) -> f64 {
        self.now as f64 / 1000.0
    }

    /// A deterministic pseudo-random suffix of `n` characters from Kubernetes' alphabet for
    /// generated names (`utilrand.String`: no vowels, no confusable digits).
    pub fn random_suffix(&mut self, n: usize) -> String {
        const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..n)
            .map(|_| {
                self.rng ^= self.rng << 13;
                self.rng ^= self.rng >> 7;
                self.rng ^= self.rng << 17;
                ALPHANUMS[(self.rng % ALPHANUMS.len() as u64) as usize] as char
            })
            .collect()
    }

    pub fn event(
        &mut self,
        kind: &'static str,
        reason: &'static str,
        object: String,
        message: String,
        line: Option<u32>,
    ) {
        if self.timeline.events.len() >= MAX_EVENTS {
            if !self.stopped {
                self.stopped = true;
                self.timeline.warnings.push(format!(
                    "the simulation stopped at t={}s: it produced more than {MAX_EVENTS} events",
                    self.seconds()
                ));
            }
            return;
        }
        self.timeline.events.push(Event {
            t: self.seconds(),
            kind,
            reason,
            object,
            message,
            line,
        });
    }

    /// Asks the kubelet to look at a pod again at `at`.
    pub fn wake_pod(&mut self, uid: u64, at: Millis) {
        self.pod_wakes.push(Reverse((at.max(self.now), uid)));
    }

    /// Asks every controller to resync at `at`.
    /// Asks the controllers to run at `at` for a periodic sync; a snapshot is taken only if
    /// one of them changes something.
    pub fn wake_periodic(&mut self, at: Millis) {
        self.periodic_wakes.push(Reverse(at.max(self.now)));
    }

    pub fn wake_controllers(&mut self, at: Millis) {
        self.controller_wakes.push(Reverse(at.max(self.now)));
    }

    pub fn touch(&mut self, uid: u64) {
        self.dirty_pods.insert(uid);
        self.changed = true;
    }

    fn next_time(&self, next_step: Option<Millis>) -> Option<Millis> {
        [
            self.pod_wakes.peek().map(|Reverse((t, _))| *t),
            self.controller_wakes.peek().map(|Reverse(t)| *t),
            self.periodic_wakes.peek().map(|Reverse(t)| *t),
            next_step,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Runs the loop to `until`, calling `apply_steps(sim, now)` for scenario steps due at
    /// each instant; `next_step()` tells the time of the next one.
    pub fn run(&mut self, mut steps: impl FnMut(&mut Self) -> Option<Millis>) {
        // Steps at t=0 first.
        let mut next_step = steps(self);
        self.settle();
        while !self.stopped {
            let Some(t) = self.next_time(next_step) else {
                break;
            };
            if t > self.until {
                break;
            }
            self.now = t;
            if next_step.is_some_and(|s| s <= t) {
                next_step = steps(self);
            }
            while let Some(Reverse((at, uid))) = self.pod_wakes.peek().copied() {
                if at > t {
                    break;
                }
                self.pod_wakes.pop();
                self.kubelet_sync(uid);
            }
            while let Some(Reverse(at)) = self.controller_wakes.peek().copied() {
                if at > t {
                    break;
                }
                self.controller_wakes.pop();
                self.changed = true;
            }
            while self
                .periodic_wakes
                .peek()
                .is_some_and(|Reverse(at)| *at <= t)
            {
                self.periodic_wakes.pop();
            }
            self.settle();
        }
    }

    /// Runs the controllers until nothing changes at this instant.
    pub fn settle(&mut self) {
        for _ in 0..MAX_SETTLE_PASSES {
            let mut acted = false;
            acted |= self.sync_deployments();
            acted |= self.sync_replicasets();
            acted |= self.schedule();
            acted |= self.sync_hpas();
            acted |= self.sync_cronjobs();
            acted |= self.sync_jobs();
            acted |= self.sync_statefulsets();
            acted |= self.sync_daemonsets();
            acted |= self.sync_eviction();
            acted |= self.sync_drains();
            if !acted {
                break;
            }
        }
        self.sync_endpoints();
        if self.changed {
            self.snapshot();
        }
    }

    /// Records the cluster as it is now.
    pub fn snapshot(&mut self) {
        self.changed = false;
        if self.timeline.timeline.len() >= MAX_SNAPSHOTS {
            if !self.stopped {
                self.stopped = true;
                self.timeline.warnings.push(format!(
                    "the simulation stopped at t={}s: more than {MAX_SNAPSHOTS} snapshots",
                    self.seconds()
                ));
            }
            return;
        }
        for uid in std::mem::take(&mut self.dirty_pods) {
            match self.pods.get(&uid) {
                Some(pod) => {
                    let view = self.pod_view(pod, self.pod_views.get(&uid).map(|v| &v.labels));
                    // Keep the shared view when nothing visible changed.
                    if self.pod_views.get(&uid).is_none_or(|old| **old != view) {
                        self.pod_views.insert(uid, Rc::new(view));
                    }
                }
                None => {
                    self.pod_views.remove(&uid);
                }
            }
        }
        let snapshot = Snapshot {
            t: self.seconds(),
            nodes: self.node_views(),
            deployments: self.deployment_views(),
            replica_sets: self.replicaset_views(),
            pods: self.pod_views.values().cloned().collect(),
            hpas: self.hpa_views(),
            services: self.service_views(),
            jobs: self.job_views(),
            cron_jobs: self.cronjob_views(),
            stateful_sets: self.statefulset_views(),
            daemon_sets: self.daemonset_views(),
            persistent_volume_claims: self.claim_views(),
            network: Rc::clone(&self.network),
            stored: Rc::clone(&self.stored),
        };
        // Only what changed is recorded: a snapshot equal to the previous one is dropped.
        if let Some(last) = self.timeline.timeline.last()
            && last.pods.len() == snapshot.pods.len()
            && last
                .pods
                .iter()
                .zip(&snapshot.pods)
                .all(|(a, b)| Rc::ptr_eq(a, b))
            && last.deployments == snapshot.deployments
            && last.replica_sets == snapshot.replica_sets
            && last.services == snapshot.services
            && last.hpas == snapshot.hpas
            && last.nodes == snapshot.nodes
            && last.jobs == snapshot.jobs
            && last.cron_jobs == snapshot.cron_jobs
            && last.stateful_sets == snapshot.stateful_sets
            && last.daemon_sets == snapshot.daemon_sets
            && last.persistent_volume_claims == snapshot.persistent_volume_claims
            && Rc::ptr_eq(&last.network, &snapshot.network)
            && Rc::ptr_eq(&last.stored, &snapshot.stored)
        {
            return;
        }
        self.timeline.timeline.push(snapshot);
    }
}
