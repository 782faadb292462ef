//! The PodTopologySpread plugin (`pkg/scheduler/framework/plugins/podtopologyspread`):
//! `DoNotSchedule` constraints filter nodes whose domain would exceed `maxSkew` over the
//! least-loaded eligible domain (`filtering.go`); `ScheduleAnyway` constraints, or the
//! cluster defaults when the pod declares none, score nodes by how few matching pods their
//! domains hold (`scoring.go`).
//!
//! Matching pods are counted in the pod's namespace, skipping terminating pods. A node is
//! an eligible domain member when it carries every constraint's topology key and passes
//! the node inclusion policies (`nodeAffinityPolicy: Honor` and `nodeTaintsPolicy: Ignore`
//! by default).

use std::collections::BTreeMap;
use std::rc::Rc;

use super::spec::with_label_keys;
use super::{ClusterView, MAX_SCORE, Rejection, nodeaffinity, nodeunschedulable, tainttoleration};
use crate::model::{Requirement, Selector};
use crate::sim::cluster::{Owner, Pod, SimNode};

pub const REASON: &str = "node(s) didn't match pod topology spread constraints";
pub const REASON_MISSING_LABEL: &str =
    "node(s) didn't match pod topology spread constraints (missing required label)";

const HOSTNAME: &str = "kubernetes.io/hostname";
const ZONE: &str = "topology.kubernetes.io/zone";

/// A constraint with its selector resolved (`matchLabelKeys` merged in).
pub(super) struct Constraint<'a> {
    max_skew: i64,
    key: &'a str,
    selector: Option<Rc<Selector>>,
    min_domains: i64,
    honor_affinity: bool,
    honor_taints: bool,
}

/// The pod's own constraints with the given `whenUnsatisfiable`.
fn own(pod: &Pod, hard: bool) -> Vec<Constraint<'_>> {
    pod.template
        .scheduling
        .spread
        .iter()
        .filter(|c| c.hard == hard)
        .map(|c| Constraint {
            max_skew: c.max_skew,
            key: &c.topology_key,
            selector: if c.match_label_keys.is_empty() {
                c.selector.clone()
            } else {
                with_label_keys(c.selector.as_deref(), &c.match_label_keys, &[], &pod.labels)
                    .map(|s| Rc::new(s.into_owned()))
            },
            min_domains: c.min_domains,
            honor_affinity: c.honor_node_affinity,
            honor_taints: c.honor_taints,
        })
        .collect()
}

/// `helper.DefaultSelector`: the selectors of the Services that select the pod, merged,
/// plus its owning ReplicaSet's or StatefulSet's selector (a Deployment's ReplicaSet
/// selects its `pod-template-hash` too).
fn default_selector(view: &ClusterView<'_>, pod: &Pod) -> Selector {
    let mut merged: BTreeMap<&str, &str> = BTreeMap::new();
    for svc in view.sim.services.values() {
        let Some(sel) = &svc.selector else { continue };
        if svc.namespace == pod.namespace && sel.iter().all(|(k, v)| pod.labels.get(k) == Some(v)) {
            merged.extend(sel.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
    }
    let mut selector = Selector {
        requirements: merged
            .into_iter()
            .map(|(k, v)| Requirement::Equals(k.to_owned(), v.to_owned()))
            .collect(),
    };
    let key = |name: &str| (pod.namespace.clone(), name.to_owned());
    match &pod.owner {
        Owner::ReplicaSet(name) => {
            if let Some(rs) = view.sim.replicasets.get(&key(name)) {
                selector
                    .requirements
                    .extend(rs.selector.requirements.iter().cloned());
                if rs.deployment.is_some()
                    && let Some(hash) = pod.labels.get("pod-template-hash")
                {
                    selector.requirements.push(Requirement::Equals(
                        "pod-template-hash".into(),
                        hash.clone(),
                    ));
                }
            }
        }
        Owner::StatefulSet(name) => {
            if let Some(sts) = view.sim.workloads.statefulsets.get(&key(name)) {
                selector
                    .requirements
                    .extend(sts.selector.requirements.iter().cloned());
            }
        }
        _ => {}
    }
    selector
}

/// The cluster-default soft constraints (`systemDefaultConstraints`): maxSkew 3 per
/// hostname and 5 per zone, when something selects the pod.
fn system_default(view: &ClusterView<'_>, pod: &Pod) -> Vec<Constraint<'static>> {
    let selector = view.default_selector(pod, || default_selector(view, pod));
    if selector.is_empty() {
        return Vec::new();
    }
    [(HOSTNAME, 3), (ZONE, 5)]
        .into_iter()
        .map(|(key, max_skew)| Constraint {
            max_skew,
            key,
            selector: Some(Rc::clone(&selector)),
            min_domains: 1,
            honor_affinity: true,
            honor_taints: false,
        })
        .collect()
}

/// `matchNodeInclusionPolicies`. A cordoned node counts as carrying the
/// `node.kubernetes.io/unschedulable:NoSchedule` taint the node lifecycle controller adds.
fn includes(c: &Constraint<'_>, pod: &Pod, node: &SimNode) -> bool {
    (!c.honor_affinity || nodeaffinity::required_match(&pod.template, node))
        && (!c.honor_taints
            || (tainttoleration::untolerated(&pod.template.tolerations, node).is_none()
                && nodeunschedulable::filter(pod, node).is_ok()))
}

fn has_keys(constraints: &[Constraint<'_>], node: &SimNode) -> bool {
    constraints.iter().all(|c| node.labels.contains_key(c.key))
}

/// Matching pods per node for each constraint (zero when the selector is missing).
fn counts(view: &ClusterView<'_>, pod: &Pod, c: &Constraint<'_>) -> Rc<Vec<i64>> {
    match &c.selector {
        Some(selector) => view.spread_counts(&pod.namespace, selector),
        None => Rc::new(vec![0; view.sim.nodes.len()]),
    }
}

/// PreFilter: matching pods per domain of each `DoNotSchedule` constraint, over every
/// node (not only those that pass the other filters), and each constraint's global
/// minimum (0 while fewer than `minDomains` domains exist).
pub(super) struct FilterState<'a> {
    constraints: Vec<Constraint<'a>>,
    domains: Vec<BTreeMap<&'a str, i64>>,
    minimum: Vec<i64>,
}

pub(super) fn prefilter<'a>(view: &ClusterView<'a>, pod: &'a Pod) -> Option<FilterState<'a>> {
    let constraints = own(pod, true);
    if constraints.is_empty() {
        return None;
    }
    let mut domains: Vec<BTreeMap<&'a str, i64>> = vec![BTreeMap::new(); constraints.len()];
    for (i, c) in constraints.iter().enumerate() {
        let per_node = counts(view, pod, c);
        for (n, node) in view.sim.nodes.iter().enumerate() {
            if !has_keys(&constraints, node) || !includes(c, pod, node) {
                continue;
            }
            if let Some(value) = node.labels.get(c.key) {
                *domains[i].entry(value.as_str()).or_default() += per_node[n];
            }
        }
    }
    let minimum = constraints
        .iter()
        .zip(&domains)
        .map(|(c, d)| {
            if (d.len() as i64) < c.min_domains {
                0
            } else {
                d.values().copied().min().unwrap_or(i64::MAX)
            }
        })
        .collect();
    Some(FilterState {
        constraints,
        domains,
        minimum,
    })
}

/// `matchNum + selfMatch − minMatchNum ≤ maxSkew` for every constraint.
pub(super) fn filter(state: &FilterState<'_>, pod: &Pod, node: &SimNode) -> Result<(), Rejection> {
    for (i, c) in state.constraints.iter().enumerate() {
        let Some(value) = node.labels.get(c.key) else {
            return Err(Rejection::unresolvable(REASON_MISSING_LABEL));
        };
        let self_match = i64::from(
            c.selector
                .as_ref()
                .is_some_and(|s| s.matches_map(&pod.labels)),
        );
        let matching = state.domains[i].get(value.as_str()).copied().unwrap_or(0);
        if matching
            .saturating_add(self_match)
            .saturating_sub(state.minimum[i])
            > c.max_skew
        {
            return Err(Rejection::new(REASON));
        }
    }
    Ok(())
}

/// Normalised scores for the feasible nodes, or `None` when the plugin skips (no soft
/// constraint and nothing selects the pod). Each node scores
/// `Σ matching × ln(domains + 2) + maxSkew − 1` over its constraints, then
/// `100 × (max + min − score) / max`; nodes missing a key of the pod's own constraints
/// score 0.
pub(super) fn scores(view: &ClusterView<'_>, pod: &Pod, feasible: &[usize]) -> Option<Vec<i64>> {
    let explicit = !pod.template.scheduling.spread.is_empty();
    let constraints = if explicit {
        own(pod, false)
    } else {
        system_default(view, pod)
    };
    if constraints.is_empty() {
        return None;
    }
    let nodes = &view.sim.nodes;
    let topologies: Vec<_> = constraints.iter().map(|c| view.topology(c.key)).collect();
    let has_keys = |n: usize| topologies.iter().all(|t| t.domain_of[n].is_some());
    // The inclusion policies per node, computed once per policy.
    let honours = |affinity: bool, taints: bool| -> Vec<bool> {
        let c = Constraint {
            max_skew: 1,
            key: "",
            selector: None,
            min_domains: 1,
            honor_affinity: affinity,
            honor_taints: taints,
        };
        nodes.iter().map(|n| includes(&c, pod, n)).collect()
    };
    let mut policies: Vec<((bool, bool), Vec<bool>)> = Vec::new();
    for c in &constraints {
        let key = (c.honor_affinity, c.honor_taints);
        if !policies.iter().any(|(k, _)| *k == key) {
            policies.push((key, honours(key.0, key.1)));
        }
    }
    let included = |c: &Constraint<'_>, n: usize| {
        policies
            .iter()
            .find(|(k, _)| *k == (c.honor_affinity, c.honor_taints))
            .is_some_and(|(_, ok)| ok[n])
    };
    // Upstream requires every key only for the pod's own constraints, so that nodes
    // without a zone label still spread by hostname under the defaults.
    let ignored: Vec<bool> = feasible.iter().map(|&n| explicit && !has_keys(n)).collect();
    let scored = ignored.iter().filter(|i| !**i).count();
    // Matching pods per domain of the feasible nodes (hostname constraints count per node
    // instead); a node without the key is in the "" domain (the last slot), as upstream's
    // map lookup gives.
    let mut present: Vec<Vec<bool>> = topologies
        .iter()
        .map(|t| vec![false; t.domains + 1])
        .collect();
    for (&n, _) in feasible.iter().zip(&ignored).filter(|(_, i)| !**i) {
        for (i, t) in topologies.iter().enumerate() {
            present[i][t.domain_of[n].unwrap_or(t.domains)] = true;
        }
    }
    let weights: Vec<f64> = constraints
        .iter()
        .zip(&present)
        .map(|(c, p)| {
            let size = if c.key == HOSTNAME {
                scored
            } else {
                p.iter().filter(|x| **x).count()
            };
            ((size + 2) as f64).ln()
        })
        .collect();
    let per_node: Vec<_> = constraints.iter().map(|c| counts(view, pod, c)).collect();
    let mut domains: Vec<Vec<i64>> = present.iter().map(|p| vec![0; p.len()]).collect();
    for (i, c) in constraints.iter().enumerate() {
        if c.key == HOSTNAME {
            continue;
        }
        let t = &topologies[i];
        for (n, &count) in per_node[i].iter().enumerate() {
            if count == 0 || (explicit && !has_keys(n)) || !included(c, n) {
                continue;
            }
            let d = t.domain_of[n].unwrap_or(t.domains);
            if present[i][d] {
                domains[i][d] += count;
            }
        }
    }
    let raw: Vec<Option<i64>> = feasible
        .iter()
        .zip(&ignored)
        .map(|(&n, &ignored)| {
            if ignored {
                return None;
            }
            let mut score = 0.0;
            for (i, c) in constraints.iter().enumerate() {
                let Some(d) = topologies[i].domain_of[n] else {
                    continue;
                };
                let count = if c.key == HOSTNAME {
                    per_node[i][n]
                } else {
                    domains[i][d]
                };
                score += count as f64 * weights[i] + (c.max_skew - 1) as f64;
            }
            Some(score.round() as i64)
        })
        .collect();
    let min = raw.iter().flatten().copied().min().unwrap_or(0);
    let max = raw.iter().flatten().copied().max().unwrap_or(0).max(0);
    Some(
        raw.into_iter()
            .map(|s| match s {
                None => 0,
                Some(_) if max == 0 => MAX_SCORE,
                Some(s) => MAX_SCORE * (max + min - s) / max,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{cluster, node, pod, template, with_view};
    use super::*;
    use crate::sim::cluster::Service;
    use crate::sim::engine::Sim;

    /// `SpreadConstraint(maxSkew, key, when, Exists("foo"))`.
    fn constraint(max_skew: i64, key: &str, when: &str, selector_key: &str) -> String {
        format!(
            "  - maxSkew: {max_skew}\n    topologyKey: {key}\n    whenUnsatisfiable: {when}\n    labelSelector:\n      matchExpressions:\n        - {{key: {selector_key}, operator: Exists}}\n"
        )
    }

    fn spread(constraints: &[String]) -> std::rc::Rc<crate::sim::spec::PodTemplate> {
        template(&format!(
            "  topologySpreadConstraints:\n{}",
            constraints.concat()
        ))
    }

    /// Pods labelled `foo` on the named nodes.
    fn foo_pods(on: &[&str]) -> Vec<Pod> {
        let t = template("");
        on.iter()
            .map(|n| pod(Some(n), &[("foo", "")], &t))
            .collect()
    }

    fn hosts(names: &[&str]) -> Vec<SimNode> {
        names.iter().map(|n| node(n, &[(HOSTNAME, n)])).collect()
    }

    fn scored(sim: &Sim, incoming: &Pod, feasible: &[usize]) -> Vec<i64> {
        with_view(sim, |view| scores(view, incoming, feasible)).expect("scored")
    }

    // Cases from pkg/scheduler/framework/plugins/podtopologyspread/scoring_test.go
    // (TestPodTopologySpreadScore).

    #[test]
    fn one_constraint_on_node_all_4_nodes_are_candidates_max_skew_2() {
        // Matching pods spread as 2/1/0/3.
        let sim = cluster(
            hosts(&["node-a", "node-b", "node-c", "node-d"]),
            foo_pods(&["node-a", "node-a", "node-b", "node-d", "node-d", "node-d"]),
        );
        let p = pod(
            None,
            &[("foo", "")],
            &spread(&[constraint(2, HOSTNAME, "ScheduleAnyway", "foo")]),
        );
        assert_eq!(scored(&sim, &p, &[0, 1, 2, 3]), vec![33, 66, 100, 16]);
    }

    #[test]
    fn one_constraint_on_node_max_skew_3_and_the_same_from_system_defaulting() {
        // Matching pods spread as 4/3/2/1.
        let on = [
            "node-a", "node-a", "node-a", "node-a", "node-b", "node-b", "node-b", "node-c",
            "node-c", "node-d",
        ];
        let sim = cluster(
            hosts(&["node-a", "node-b", "node-c", "node-d"]),
            foo_pods(&on),
        );
        let p = pod(
            None,
            &[("foo", "")],
            &spread(&[constraint(3, HOSTNAME, "ScheduleAnyway", "foo")]),
        );
        assert_eq!(scored(&sim, &p, &[0, 1, 2, 3]), vec![44, 66, 77, 100]);
        // "system defaulting, nodes don't have zone, pods match service".
        let mut sim = cluster(
            hosts(&["node-a", "node-b", "node-c", "node-d"]),
            foo_pods(&on),
        );
        sim.services.insert(
            ("default".into(), "svc".into()),
            Service {
                name: "svc".into(),
                namespace: "default".into(),
                selector: Some([("foo".to_owned(), String::new())].into()),
                ports: Vec::new(),
                endpoints: Vec::new(),
                publish_not_ready: false,
            },
        );
        let p = pod(None, &[("foo", "")], &template(""));
        assert_eq!(scored(&sim, &p, &[0, 1, 2, 3]), vec![44, 66, 77, 100]);
    }

    #[test]
    fn one_constraint_on_node_3_out_of_4_nodes_are_candidates() {
        // Matching pods spread as 4/2/1/~3~ (node-y failed the filters).
        let sim = cluster(
            hosts(&["node-a", "node-b", "node-x", "node-y"]),
            foo_pods(&[
                "node-a", "node-a", "node-a", "node-a", "node-b", "node-b", "node-x", "node-y",
                "node-y", "node-y",
            ]),
        );
        let p = pod(
            None,
            &[("foo", "")],
            &spread(&[constraint(1, HOSTNAME, "ScheduleAnyway", "foo")]),
        );
        assert_eq!(scored(&sim, &p, &[0, 1, 2]), vec![33, 83, 100]);
    }

    #[test]
    fn one_constraint_on_zone_3_out_of_4_nodes_are_candidates() {
        let zoned = |n: &str, z: &str| node(n, &[("zone", z), (HOSTNAME, n)]);
        let sim = cluster(
            vec![
                zoned("node-a", "zone1"),
                zoned("node-b", "zone1"),
                zoned("node-x", "zone2"),
                zoned("node-y", "zone2"),
            ],
            foo_pods(&[
                "node-a", "node-a", "node-a", "node-a", "node-b", "node-b", "node-x", "node-y",
                "node-y", "node-y",
            ]),
        );
        let p = pod(
            None,
            &[("foo", "")],
            &spread(&[constraint(1, "zone", "ScheduleAnyway", "foo")]),
        );
        assert_eq!(scored(&sim, &p, &[0, 1, 2]), vec![75, 75, 100]);
    }

    #[test]
    fn two_constraints_on_zone_and_node_with_different_label_selectors() {
        let zoned = |n: &str, z: &str| node(n, &[("zone", z), (HOSTNAME, n)]);
        let t = template("");
        let sim = cluster(
            vec![
                zoned("node-a", "zone1"),
                zoned("node-b", "zone1"),
                zoned("node-x", "zone2"),
                zoned("node-y", "zone2"),
            ],
            vec![
                pod(Some("node-a"), &[("foo", "")], &t),
                pod(Some("node-b"), &[("foo", ""), ("bar", "")], &t),
                pod(Some("node-y"), &[("foo", "")], &t),
                pod(Some("node-y"), &[("bar", "")], &t),
            ],
        );
        let p = pod(
            None,
            &[("foo", ""), ("bar", "")],
            &spread(&[
                constraint(1, "zone", "ScheduleAnyway", "foo"),
                constraint(1, HOSTNAME, "ScheduleAnyway", "bar"),
            ]),
        );
        assert_eq!(scored(&sim, &p, &[0, 1, 2, 3]), vec![60, 20, 100, 60]);
    }

    // Cases from filtering_test.go (TestSingleConstraint).

    fn fits(sim: &Sim, incoming: &Pod) -> Vec<bool> {
        with_view(sim, |view| {
            let state = prefilter(view, incoming).expect("constraints");
            sim.nodes
                .iter()
                .map(|n| filter(&state, incoming, n).is_ok())
                .collect()
        })
    }

    fn four_zoned_nodes() -> Vec<SimNode> {
        let zoned = |n: &str, z: &str| node(n, &[("zone", z), ("node", n)]);
        vec![
            zoned("node-a", "zone1"),
            zoned("node-b", "zone1"),
            zoned("node-x", "zone2"),
            zoned("node-y", "zone2"),
        ]
    }

    #[test]
    fn pods_in_other_namespaces_do_not_count() {
        let mut pods = foo_pods(&["node-a", "node-a", "node-x", "node-y"]);
        pods[0].namespace = "ns1".into();
        pods[1].namespace = "ns2".into();
        let sim = cluster(four_zoned_nodes(), pods);
        let p = pod(
            None,
            &[("foo", "")],
            &spread(&[constraint(1, "zone", "DoNotSchedule", "foo")]),
        );
        assert_eq!(fits(&sim, &p), vec![true, true, false, false]);
    }

    #[test]
    fn pods_spread_across_zones_as_3_3_all_nodes_fit() {
        let sim = cluster(
            four_zoned_nodes(),
            foo_pods(&["node-a", "node-a", "node-b", "node-y", "node-y", "node-y"]),
        );
        let p = pod(
            None,
            &[("foo", "")],
            &spread(&[constraint(1, "zone", "DoNotSchedule", "foo")]),
        );
        assert_eq!(fits(&sim, &p), vec![true; 4]);
    }

    #[test]
    fn min_domains_above_the_domain_count_makes_the_global_minimum_zero() {
        // 2 zones with 1 pod each and minDomains 3: the minimum counts as 0, so a second
        // pod in either zone would make a skew of 2 (the KEP-3022 example).
        let sim = cluster(four_zoned_nodes(), foo_pods(&["node-a", "node-x"]));
        let c = constraint(1, "zone", "DoNotSchedule", "foo") + "    minDomains: 3\n";
        let p = pod(None, &[("foo", "")], &spread(&[c]));
        assert_eq!(fits(&sim, &p), vec![false; 4]);
        let state_reason = with_view(&sim, |view| {
            let state = prefilter(view, &p).expect("constraints");
            filter(&state, &p, &sim.nodes[0]).err().map(|r| r.reasons)
        });
        assert_eq!(state_reason, Some(vec![REASON]));
    }

    #[test]
    fn terminating_pods_do_not_count() {
        let mut pods = foo_pods(&["node-a", "node-a", "node-x"]);
        pods[0].deletion = Some(0);
        let sim = cluster(four_zoned_nodes(), pods);
        let p = pod(
            None,
            &[("foo", "")],
            &spread(&[constraint(1, "zone", "DoNotSchedule", "foo")]),
        );
        // zone1 counts 1 (not 2): every node fits.
        assert_eq!(fits(&sim, &p), vec![true; 4]);
    }
}
