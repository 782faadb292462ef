//! The scheduler (`pkg/scheduler`, default profile): binds each unscheduled pod, oldest
//! first, to a node. Filter plugins run in the default profile's order and a node is
//! rejected by the first that fails (NodeUnschedulable, TaintToleration, NodeAffinity,
//! NodeResourcesFit, PodTopologySpread, InterPodAffinity); the feasible nodes are scored
//! 0..100 by each score plugin and summed with the profile's weights
//! (`pkg/scheduler/apis/config/v1/default_plugins.go`): TaintToleration 3, NodeAffinity 2,
//! NodeResourcesFit 1, PodTopologySpread 2, InterPodAffinity 2,
//! NodeResourcesBalancedAllocation 1. Before them, VolumeBinding's PreFilter holds a pod
//! whose claims are not Bound. A pod no node takes stays Pending with the scheduler's
//! `FitError` message.
//!
//! Idealised: among equal best scores upstream picks a node at random; here the first in
//! the cluster's order wins. ImageLocality is not scored (images have no size here).

mod fit_error;
mod interpodaffinity;
pub mod nodeaffinity;
mod noderesources;
mod nodeunschedulable;
mod podtopologyspread;
pub mod spec;
pub mod tainttoleration;
#[cfg(test)]
mod testing;
mod volumebinding;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::cluster::{Owner, Pod, SimNode};
use super::engine::Sim;
use crate::model::Selector;
use fit_error::FitError;
use noderesources::Requests;

/// `framework.MaxNodeScore`.
const MAX_SCORE: i64 = 100;

/// Why a filter plugin turned a node down: its reasons, and whether preemption could not
/// help (status UnschedulableAndUnresolvable rather than Unschedulable).
#[derive(Debug, Default)]
struct Rejection {
    reasons: Vec<&'static str>,
    unresolvable: bool,
}

impl Rejection {
    fn new(reason: &'static str) -> Self {
        Self {
            reasons: vec![reason],
            unresolvable: false,
        }
    }

    fn unresolvable(reason: &'static str) -> Self {
        Self {
            reasons: vec![reason],
            unresolvable: true,
        }
    }
}

/// `helper.DefaultNormalizeScore(MaxNodeScore, false)`: the best node gets 100.
fn normalize(raw: Vec<i64>) -> Vec<i64> {
    let max = raw.iter().copied().max().unwrap_or(0);
    if max <= 0 {
        return raw;
    }
    raw.into_iter().map(|s| MAX_SCORE * s / max).collect()
}

/// `helper.DefaultNormalizeScore(MaxNodeScore, true)`: the lowest raw score gets 100.
fn reverse_normalize(raw: Vec<i64>) -> Vec<i64> {
    let max = raw.iter().copied().max().unwrap_or(0);
    if max <= 0 {
        return vec![MAX_SCORE; raw.len()];
    }
    raw.into_iter()
        .map(|s| MAX_SCORE - MAX_SCORE * s / max)
        .collect()
}

/// Matching pods per node, by (namespace, selector), kept for one scheduling pass and
/// updated as pods are bound: the counts topology spreading needs for every replica.
#[derive(Default)]
struct SpreadCounts {
    entries: Vec<(String, Rc<Selector>, Rc<Vec<i64>>)>,
}

/// Each node's domain for one topology key, numbered from 0 (`None`: the node lacks the
/// key), so spreading counts per domain without comparing label strings.
struct Topology {
    key: String,
    domain_of: Vec<Option<usize>>,
    domains: usize,
}

/// The last default spreading selector computed in a pass, for the pod's owner, namespace
/// and labels: the replicas of one ReplicaSet share it.
type DefaultSelectorMemo = Option<((Owner, String, BTreeMap<String, String>), Rc<Selector>)>;

/// The scheduler's cache for one pass over the pending pods: the pods bound to each node
/// (finished pods no longer count), their requests, and which of them declare pod
/// (anti-)affinity (upstream's `PodsWithAffinity`).
struct Pass {
    on_node: Vec<Vec<u64>>,
    used: Vec<Requests>,
    with_affinity: Vec<(u64, usize)>,
    spread: RefCell<SpreadCounts>,
    default_selector: RefCell<DefaultSelectorMemo>,
    topologies: RefCell<Vec<Rc<Topology>>>,
}

/// What the plugins read: the simulator and the pass's cache.
struct ClusterView<'a> {
    sim: &'a Sim,
    pass: &'a Pass,
}

impl<'a> ClusterView<'a> {
    fn pod_on(&self, uid: u64, node: usize) -> Option<(&'a Pod, &'a SimNode)> {
        Some((self.sim.pods.get(&uid)?, self.sim.nodes.get(node)?))
    }

    /// Every pod bound to a node, with its node.
    fn bound_pods(&self) -> impl Iterator<Item = (&'a Pod, &'a SimNode)> + 'a {
        let (sim, pass) = (self.sim, self.pass);
        pass.on_node.iter().enumerate().flat_map(move |(n, uids)| {
            uids.iter()
                .filter_map(move |uid| Some((sim.pods.get(uid)?, sim.nodes.get(n)?)))
        })
    }

    /// The bound pods that declare pod affinity or anti-affinity.
    fn pods_with_affinity(&self) -> impl Iterator<Item = (&'a Pod, &'a SimNode)> + 'a {
        let view = ClusterView {
            sim: self.sim,
            pass: self.pass,
        };
        self.pass
            .with_affinity
            .iter()
            .filter_map(move |&(uid, n)| view.pod_on(uid, n))
    }

    /// How many pods of `namespace` that `selector` matches are on each node, not counting
    /// terminating pods (`countPodsMatchSelector`).
    fn spread_counts(&self, namespace: &str, selector: &Rc<Selector>) -> Rc<Vec<i64>> {
        let mut cache = self.pass.spread.borrow_mut();
        if let Some((_, _, counts)) = cache
            .entries
            .iter()
            .find(|(ns, s, _)| ns == namespace && (Rc::ptr_eq(s, selector) || **s == **selector))
        {
            return Rc::clone(counts);
        }
        let counts: Vec<i64> = self
            .pass
            .on_node
            .iter()
            .map(|uids| {
                uids.iter()
                    .filter_map(|uid| self.sim.pods.get(uid))
                    .filter(|p| counts_for_spread(p, namespace, selector))
                    .count() as i64
            })
            .collect();
        let counts = Rc::new(counts);
        cache.entries.push((
            namespace.to_owned(),
            Rc::clone(selector),
            Rc::clone(&counts),
        ));
        counts
    }

    /// The nodes' domains for topology `key`.
    fn topology(&self, key: &str) -> Rc<Topology> {
        let mut cache = self.pass.topologies.borrow_mut();
        if let Some(t) = cache.iter().find(|t| t.key == key) {
            return Rc::clone(t);
        }
        let mut values: Vec<&str> = Vec::new();
        let domain_of = self
            .sim
            .nodes
            .iter()
            .map(|n| {
                let value = n.labels.get(key)?.as_str();
                Some(values.iter().position(|v| *v == value).unwrap_or_else(|| {
                    values.push(value);
                    values.len() - 1
                }))
            })
            .collect();
        let topology = Rc::new(Topology {
            key: key.to_owned(),
            domain_of,
            domains: values.len(),
        });
        cache.push(Rc::clone(&topology));
        topology
    }

    /// `compute` for this pod's owner, namespace and labels, remembered for the next pod
    /// of the same shape in this pass.
    fn default_selector(&self, pod: &Pod, compute: impl FnOnce() -> Selector) -> Rc<Selector> {
        let mut memo = self.pass.default_selector.borrow_mut();
        if let Some(((owner, ns, labels), selector)) = memo.as_ref()
            && *owner == pod.owner
            && *ns == pod.namespace
            && *labels == pod.labels
        {
            return Rc::clone(selector);
        }
        let selector = Rc::new(compute());
        *memo = Some((
            (pod.owner.clone(), pod.namespace.clone(), pod.labels.clone()),
            Rc::clone(&selector),
        ));
        selector
    }
}

fn counts_for_spread(pod: &Pod, namespace: &str, selector: &Selector) -> bool {
    !pod.terminating() && pod.namespace == namespace && selector.matches_map(&pod.labels)
}

fn finished(pod: &Pod) -> bool {
    pod.phase == "Succeeded" || pod.phase == "Failed"
}

impl Pass {
    fn new(sim: &Sim) -> Self {
        let index: BTreeMap<&str, usize> = sim
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.name.as_str(), i))
            .collect();
        let mut pass = Self {
            on_node: vec![Vec::new(); sim.nodes.len()],
            used: vec![Requests::default(); sim.nodes.len()],
            with_affinity: Vec::new(),
            spread: RefCell::default(),
            default_selector: RefCell::default(),
            topologies: RefCell::default(),
        };
        for pod in sim.pods.values() {
            if let Some(&n) = pod.node.as_deref().and_then(|name| index.get(name))
                && !finished(pod)
            {
                pass.add(pod, n);
            }
        }
        pass
    }

    fn add(&mut self, pod: &Pod, node: usize) {
        self.on_node[node].push(pod.uid);
        self.used[node].add(&Requests::of(pod));
        if pod.template.scheduling.has_pod_affinity() {
            self.with_affinity.push((pod.uid, node));
        }
        for (ns, selector, counts) in &mut self.spread.get_mut().entries {
            if counts_for_spread(pod, ns, selector) {
                Rc::make_mut(counts)[node] += 1;
            }
        }
    }
}

impl Sim {
    /// Runs the filter and score plugins for `pod`: the chosen node's index, or the
    /// `FitError` message.
    fn pick_node(&self, pass: &Pass, pod: &Pod) -> Result<usize, String> {
        volumebinding::prefilter(self, pod)?;
        let view = ClusterView { sim: self, pass };
        let want = Requests::of(pod);
        let spread = podtopologyspread::prefilter(&view, pod);
        let affinity = interpodaffinity::prefilter(&view, pod);
        let mut failures = FitError::default();
        let mut feasible = Vec::new();
        for (n, node) in self.nodes.iter().enumerate() {
            let verdict = nodeunschedulable::filter(pod, node)
                .and_then(|()| tainttoleration::filter(pod, node))
                .and_then(|()| nodeaffinity::filter(&pod.template, node))
                .and_then(|()| noderesources::filter(&want, &pass.used[n], node))
                .and_then(|()| {
                    spread
                        .as_ref()
                        .map_or(Ok(()), |s| podtopologyspread::filter(s, pod, node))
                })
                .and_then(|()| {
                    affinity
                        .as_ref()
                        .map_or(Ok(()), |s| interpodaffinity::filter(&view, s, pod, node))
                });
            match verdict {
                Ok(()) => feasible.push(n),
                Err(rejection) => failures.add(rejection),
            }
        }
        if feasible.len() <= 1 {
            return feasible
                .first()
                .copied()
                .ok_or_else(|| failures.message(self.nodes.len()));
        }
        let nodes: Vec<&SimNode> = feasible.iter().map(|&n| &self.nodes[n]).collect();
        let mut total = vec![0_i64; feasible.len()];
        let mut add = |weight: i64, scores: Option<Vec<i64>>| {
            for (t, s) in total.iter_mut().zip(scores.unwrap_or_default()) {
                *t += weight * s;
            }
        };
        // A plugin that scores every node alike cannot change the choice: TaintToleration
        // without PreferNoSchedule taints and NodeAffinity without preferred terms are
        // skipped (upstream computes them to the same effect).
        if nodes
            .iter()
            .any(|n| n.taints.iter().any(|t| t.effect == "PreferNoSchedule"))
        {
            add(3, Some(tainttoleration::scores(pod, &nodes)));
        }
        if !pod.template.scheduling.preferred_node_terms.is_empty() {
            add(2, Some(nodeaffinity::scores(&pod.template, &nodes)));
        }
        add(
            1,
            Some(
                feasible
                    .iter()
                    .map(|&n| noderesources::least_allocated(&want, &pass.used[n], &self.nodes[n]))
                    .collect(),
            ),
        );
        add(2, podtopologyspread::scores(&view, pod, &feasible));
        add(2, interpodaffinity::scores(&view, pod, &nodes));
        add(
            1,
            feasible
                .iter()
                .map(|&n| noderesources::balanced_allocation(&want, &pass.used[n], &self.nodes[n]))
                .collect(),
        );
        // The highest total; ties go to the first node (upstream: a random one).
        let mut best = 0;
        for (i, score) in total.iter().enumerate() {
            if *score > total[best] {
                best = i;
            }
        }
        Ok(feasible[best])
    }

    /// Binds every unscheduled pod it can; `true` if anything changed.
    pub(crate) fn schedule(&mut self) -> bool {
        let pending: Vec<u64> = self
            .pods
            .values()
            .filter(|p| p.node.is_none() && !p.terminating() && !finished(p))
            .map(|p| p.uid)
            .collect();
        if pending.is_empty() {
            return false;
        }
        let mut pass = Pass::new(self);
        let mut acted = false;
        // Pods of one template, owner and labels get the same answer until a pod is bound:
        // the last failure is reused rather than recomputed for every replica.
        let mut last_failure: Option<(u64, String)> = None;
        for uid in pending {
            let Some(pod) = self.pods.get(&uid) else {
                continue;
            };
            let same_as_failed = last_failure.as_ref().and_then(|(other, message)| {
                let other = self.pods.get(other)?;
                (Rc::ptr_eq(&other.template, &pod.template)
                    && other.owner == pod.owner
                    && other.namespace == pod.namespace
                    && other.labels == pod.labels)
                    .then(|| message.clone())
            });
            let verdict = match same_as_failed {
                Some(message) => Err(message),
                None => self.pick_node(&pass, pod),
            };
            match verdict {
                Ok(n) => {
                    last_failure = None;
                    self.bind(uid, n);
                    if let Some(pod) = self.pods.get(&uid) {
                        pass.add(pod, n);
                    }
                    acted = true;
                }
                Err(message) => {
                    last_failure = Some((uid, message.clone()));
                    self.report_unschedulable(uid, message);
                }
            }
        }
        acted
    }

    fn bind(&mut self, uid: u64, n: usize) {
        let Some(node) = self.nodes.get(n) else {
            return;
        };
        let name = node.name.clone();
        let ip = format!("10.244.{}.{}", node.index + 1, (uid % 250) + 2);
        let Some(p) = self.pods.get_mut(&uid) else {
            return;
        };
        p.node = Some(name.clone());
        p.ip = Some(ip);
        p.unschedulable = None;
        let (pod_name, ns) = (p.name.clone(), p.namespace.clone());
        self.event(
            "Normal",
            "Scheduled",
            format!("pod/{pod_name}"),
            format!("Successfully assigned {ns}/{pod_name} to {name}"),
            None,
        );
        self.touch(uid);
        self.kubelet_sync(uid);
    }

    /// Records the `FailedScheduling` event when the reason changes.
    fn report_unschedulable(&mut self, uid: u64, message: String) {
        let Some(p) = self.pods.get_mut(&uid) else {
            return;
        };
        if p.unschedulable.as_deref() == Some(message.as_str()) {
            return;
        }
        p.unschedulable = Some(message.clone());
        let name = p.name.clone();
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
