//! The InterPodAffinity plugin (`pkg/scheduler/framework/plugins/interpodaffinity`).
//!
//! Filter (`filtering.go`), in upstream's order: the node's topology domain must hold a pod
//! matching all of the pod's required affinity terms (unless no pod in the cluster does
//! and the pod matches its own terms: the first of a group), must hold no pod matching one
//! of its required anti-affinity terms, and must not be a domain where an existing pod's
//! required anti-affinity term matches the pod. Terminating pods still count.
//!
//! Score (`scoring.go`): per topology domain, the weights of the pod's preferred terms that
//! existing pods match (anti-affinity subtracts), plus existing pods' preferred terms that
//! match the pod and 1 (`hardPodAffinityWeight`) for each of their required affinity terms
//! it matches; normalised min–max over the feasible nodes to 0..100.

use std::collections::BTreeMap;

use super::spec::{PodAffinityTerm, with_label_keys};
use super::{ClusterView, MAX_SCORE, Rejection};
use crate::sim::cluster::{Pod, SimNode};
use crate::sim::network::namespace_labels;

pub const REASON_AFFINITY: &str = "node(s) didn't match pod affinity rules";
pub const REASON_ANTI_AFFINITY: &str = "node(s) didn't match pod anti-affinity rules";
pub const REASON_EXISTING_ANTI_AFFINITY: &str =
    "node(s) didn't satisfy existing pods anti-affinity rules";

/// Counts per (topology key, value).
type Pairs<'a> = BTreeMap<(&'a str, &'a str), i64>;

/// Whether `target` matches `term`, a term of `owner` (`AffinityTerm.Matches`): the term's
/// namespaces (the owner's own when none is named) or namespace selector, then its label
/// selector with `matchLabelKeys`/`mismatchLabelKeys` resolved against the owner's labels.
fn matches(view: &ClusterView<'_>, owner: &Pod, term: &PodAffinityTerm, target: &Pod) -> bool {
    let in_namespace = if term.namespaces.is_empty() && term.namespace_selector.is_none() {
        target.namespace == owner.namespace
    } else {
        term.namespaces.contains(&target.namespace)
            || term.namespace_selector.as_ref().is_some_and(|s| {
                s.matches_map(&namespace_labels(
                    &view.sim.objects.namespaces,
                    &target.namespace,
                ))
            })
    };
    in_namespace
        && with_label_keys(
            term.selector.as_ref(),
            &term.match_label_keys,
            &term.mismatch_label_keys,
            &owner.labels,
        )
        .is_some_and(|s| s.matches_map(&target.labels))
}

fn pair<'a>(node: &'a SimNode, key: &'a str) -> Option<(&'a str, &'a str)> {
    node.labels.get(key).map(|v| (key, v.as_str()))
}

/// PreFilter: the topology pairs counted for the three checks.
pub(super) struct FilterState<'a> {
    existing_anti: Pairs<'a>,
    affinity: Pairs<'a>,
    anti: Pairs<'a>,
}

pub(super) fn prefilter<'a>(view: &ClusterView<'a>, pod: &'a Pod) -> Option<FilterState<'a>> {
    let scheduling = &pod.template.scheduling;
    let (affinity, anti) = (
        &scheduling.pod_affinity.required,
        &scheduling.pod_anti_affinity.required,
    );
    let mut state = FilterState {
        existing_anti: Pairs::new(),
        affinity: Pairs::new(),
        anti: Pairs::new(),
    };
    for (existing, node) in view.pods_with_affinity() {
        for term in &existing.template.scheduling.pod_anti_affinity.required {
            if matches(view, existing, term, pod)
                && let Some(p) = pair(node, &term.topology_key)
            {
                *state.existing_anti.entry(p).or_default() += 1;
            }
        }
    }
    if !affinity.is_empty() || !anti.is_empty() {
        for (existing, node) in view.bound_pods() {
            if !affinity.is_empty() && affinity.iter().all(|t| matches(view, pod, t, existing)) {
                for term in affinity {
                    if let Some(p) = pair(node, &term.topology_key) {
                        *state.affinity.entry(p).or_default() += 1;
                    }
                }
            }
            for term in anti {
                if matches(view, pod, term, existing)
                    && let Some(p) = pair(node, &term.topology_key)
                {
                    *state.anti.entry(p).or_default() += 1;
                }
            }
        }
    }
    if affinity.is_empty() && anti.is_empty() && state.existing_anti.is_empty() {
        return None;
    }
    Some(state)
}

pub(super) fn filter(
    view: &ClusterView<'_>,
    state: &FilterState<'_>,
    pod: &Pod,
    node: &SimNode,
) -> Result<(), Rejection> {
    let scheduling = &pod.template.scheduling;
    let affinity = &scheduling.pod_affinity.required;
    if !affinity.is_empty() {
        let mut found = true;
        for term in affinity {
            match pair(node, &term.topology_key) {
                None => return Err(Rejection::unresolvable(REASON_AFFINITY)),
                Some(p) => found &= state.affinity.get(&p).is_some_and(|n| *n > 0),
            }
        }
        let first_of_group =
            state.affinity.is_empty() && affinity.iter().all(|t| matches(view, pod, t, pod));
        if !found && !first_of_group {
            return Err(Rejection::unresolvable(REASON_AFFINITY));
        }
    }
    if scheduling.pod_anti_affinity.required.iter().any(|term| {
        pair(node, &term.topology_key).is_some_and(|p| state.anti.get(&p).is_some_and(|n| *n > 0))
    }) {
        return Err(Rejection::new(REASON_ANTI_AFFINITY));
    }
    if node.labels.iter().any(|(k, v)| {
        state
            .existing_anti
            .get(&(k.as_str(), v.as_str()))
            .is_some_and(|n| *n > 0)
    }) {
        return Err(Rejection::new(REASON_EXISTING_ANTI_AFFINITY));
    }
    Ok(())
}

/// Normalised scores for the feasible nodes, or `None` when nothing scores (no preferred
/// term on the pod, and no existing pod with affinity that involves it).
pub(super) fn scores(view: &ClusterView<'_>, pod: &Pod, feasible: &[&SimNode]) -> Option<Vec<i64>> {
    let scheduling = &pod.template.scheduling;
    let (preferred, preferred_anti) = (
        &scheduling.pod_affinity.preferred,
        &scheduling.pod_anti_affinity.preferred,
    );
    let own_terms = !preferred.is_empty() || !preferred_anti.is_empty();
    let mut topology: BTreeMap<(String, String), i64> = BTreeMap::new();
    let mut add = |node: &SimNode, key: &str, weight: i64| {
        if let Some(value) = node.labels.get(key) {
            *topology.entry((key.to_owned(), value.clone())).or_default() += weight;
        }
    };
    let existing: Box<dyn Iterator<Item = (&Pod, &SimNode)>> = if own_terms {
        Box::new(view.bound_pods())
    } else {
        Box::new(view.pods_with_affinity())
    };
    for (other, node) in existing {
        for w in preferred {
            if matches(view, pod, &w.term, other) {
                add(node, &w.term.topology_key, w.weight);
            }
        }
        for w in preferred_anti {
            if matches(view, pod, &w.term, other) {
                add(node, &w.term.topology_key, -w.weight);
            }
        }
        let theirs = &other.template.scheduling;
        for term in &theirs.pod_affinity.required {
            if matches(view, other, term, pod) {
                add(node, &term.topology_key, 1);
            }
        }
        for w in &theirs.pod_affinity.preferred {
            if matches(view, other, &w.term, pod) {
                add(node, &w.term.topology_key, w.weight);
            }
        }
        for w in &theirs.pod_anti_affinity.preferred {
            if matches(view, other, &w.term, pod) {
                add(node, &w.term.topology_key, -w.weight);
            }
        }
    }
    if topology.is_empty() {
        return None;
    }
    let raw: Vec<i64> = feasible
        .iter()
        .map(|node| {
            topology
                .iter()
                .filter(|((k, v), _)| node.labels.get(k).is_some_and(|l| l == v))
                .map(|(_, w)| w)
                .sum()
        })
        .collect();
    let max = raw.iter().copied().max().unwrap_or(0);
    let min = raw.iter().copied().min().unwrap_or(0);
    let spread = max - min;
    Some(
        raw.into_iter()
            .map(|s| {
                if spread > 0 {
                    (MAX_SCORE as f64 * ((s - min) as f64 / spread as f64)) as i64
                } else {
                    0
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{cluster, node, pod, template, with_view};
    use super::*;
    use crate::sim::engine::Sim;

    const CHINA: &[(&str, &str)] = &[("region", "China")];
    const INDIA: &[(&str, &str)] = &[("region", "India")];
    const CHINA_AZ1: &[(&str, &str)] = &[("region", "China"), ("az", "az1")];
    const AZ1: &[(&str, &str)] = &[("az", "az1")];
    const AZ2: &[(&str, &str)] = &[("az", "az2")];
    const S1: &[(&str, &str)] = &[("security", "S1")];
    const S2: &[(&str, &str)] = &[("security", "S2")];

    /// A preferred (anti-)affinity term: `security In [value]` per `key`.
    fn preferred(kind: &str, weight: i64, value: &str, key: &str) -> String {
        format!(
            "    {kind}:\n      preferredDuringSchedulingIgnoredDuringExecution:\n        - weight: {weight}\n          podAffinityTerm:\n            labelSelector:\n              matchExpressions:\n                - {{key: security, operator: In, values: [{value}]}}\n            topologyKey: {key}\n"
        )
    }

    fn affinity(parts: &[String]) -> std::rc::Rc<crate::sim::spec::PodTemplate> {
        template(&format!("  affinity:\n{}", parts.concat()))
    }

    fn scored(sim: &Sim, incoming: &Pod) -> Vec<i64> {
        let nodes: Vec<&SimNode> = sim.nodes.iter().collect();
        with_view(sim, |view| scores(view, incoming, &nodes)).unwrap_or(vec![0; nodes.len()])
    }

    // Cases from pkg/scheduler/framework/plugins/interpodaffinity/scoring_test.go
    // (TestPreferredAffinity); stayWithS1InRegion is weight 5, stayWithS2InRegion 6,
    // awayFromS1InAz and awayFromS2InAz 5.

    #[test]
    fn affinity_pod_that_matches_topology_key_and_pods_in_nodes_gets_high_score() {
        let plain = template("");
        let sim = cluster(
            vec![
                node("node1", CHINA),
                node("node2", INDIA),
                node("node3", AZ1),
            ],
            vec![
                pod(Some("node1"), S1, &plain),
                pod(Some("node2"), S2, &plain),
                pod(Some("node3"), S1, &plain),
            ],
        );
        let p = pod(
            None,
            S1,
            &affinity(&[preferred("podAffinity", 5, "S1", "region")]),
        );
        assert_eq!(scored(&sim, &p), vec![100, 0, 0]);
    }

    #[test]
    fn affinity_region_with_more_matching_pods_gets_high_score() {
        let plain = template("");
        let sim = cluster(
            vec![
                node("node1", CHINA),
                node("node2", INDIA),
                node("node3", CHINA),
                node("node4", CHINA),
                node("node5", INDIA),
            ],
            ["node1", "node1", "node2", "node3", "node4", "node5"]
                .iter()
                .map(|n| pod(Some(n), S2, &plain))
                .collect(),
        );
        let p = pod(
            None,
            S1,
            &affinity(&[preferred("podAffinity", 6, "S2", "region")]),
        );
        assert_eq!(scored(&sim, &p), vec![100, 0, 100, 100, 0]);
    }

    #[test]
    fn affinity_symmetry_counts_existing_pods_preferred_and_required_terms() {
        // "considered only the preferredDuringSchedulingIgnoredDuringExecution in pod
        // affinity symmetry"
        let sim = cluster(
            vec![
                node("node1", CHINA),
                node("node2", INDIA),
                node("node3", AZ1),
            ],
            vec![
                pod(
                    Some("node1"),
                    S1,
                    &affinity(&[preferred("podAffinity", 5, "S1", "region")]),
                ),
                pod(
                    Some("node2"),
                    S2,
                    &affinity(&[preferred("podAffinity", 6, "S2", "region")]),
                ),
            ],
        );
        assert_eq!(scored(&sim, &pod(None, S2, &template(""))), vec![0, 100, 0]);
        // "considered RequiredDuringSchedulingIgnoredDuringExecution in pod affinity
        // symmetry": hardAffinity's two terms both match an S1 pod.
        let hard = template(
            "  affinity:\n    podAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        - labelSelector:\n            matchExpressions:\n              - {key: security, operator: In, values: [S1, value2]}\n          topologyKey: region\n        - labelSelector:\n            matchExpressions:\n              - {key: security, operator: Exists}\n              - {key: wrongkey, operator: DoesNotExist}\n          topologyKey: region\n",
        );
        let sim = cluster(
            vec![
                node("node1", CHINA),
                node("node2", INDIA),
                node("node3", AZ1),
            ],
            vec![pod(Some("node1"), S1, &hard), pod(Some("node2"), S2, &hard)],
        );
        assert_eq!(
            scored(&sim, &pod(None, S1, &template(""))),
            vec![100, 100, 0]
        );
    }

    #[test]
    fn anti_affinity_and_its_symmetry_score_away_from_matching_pods() {
        let plain = template("");
        let away_from_s1 = affinity(&[preferred("podAntiAffinity", 5, "S1", "az")]);
        // "Anti Affinity: pod that does not match existing pods in node will get high score"
        let sim = cluster(
            vec![node("node1", AZ1), node("node2", CHINA)],
            vec![
                pod(Some("node1"), S1, &plain),
                pod(Some("node2"), S2, &plain),
            ],
        );
        assert_eq!(scored(&sim, &pod(None, S1, &away_from_s1)), vec![0, 100]);
        // "Anti Affinity symmetry: the existing pods in node which has anti affinity match
        // will get high score"
        let sim = cluster(
            vec![node("node1", AZ1), node("node2", AZ2)],
            vec![
                pod(
                    Some("node1"),
                    S1,
                    &affinity(&[preferred("podAntiAffinity", 5, "S2", "az")]),
                ),
                pod(Some("node2"), S2, &away_from_s1),
            ],
        );
        assert_eq!(scored(&sim, &pod(None, S2, &plain)), vec![0, 100]);
    }

    #[test]
    fn affinity_and_anti_affinity_together_normalise_between_min_and_max() {
        // "considering both affinity and anti-affinity, the pod to schedule and existing
        // pods have the same labels"
        let plain = template("");
        let sim = cluster(
            vec![
                node("node1", CHINA_AZ1),
                node("node2", INDIA),
                node("node3", CHINA),
                node("node4", CHINA),
                node("node5", INDIA),
            ],
            [
                "node1", "node1", "node2", "node3", "node3", "node4", "node5",
            ]
            .iter()
            .map(|n| pod(Some(n), S1, &plain))
            .collect(),
        );
        let p = pod(
            None,
            S1,
            &affinity(&[
                preferred("podAffinity", 8, "S1", "region"),
                preferred("podAntiAffinity", 5, "S2", "az"),
            ]),
        );
        assert_eq!(scored(&sim, &p), vec![100, 0, 100, 100, 0]);
    }

    // Filter cases in the spirit of filtering_test.go (TestRequiredAffinitySingleNode).

    fn verdicts(sim: &Sim, incoming: &Pod) -> Vec<Option<Vec<&'static str>>> {
        with_view(sim, |view| {
            let state = prefilter(view, incoming);
            sim.nodes
                .iter()
                .map(|n| {
                    state
                        .as_ref()
                        .and_then(|s| filter(view, s, incoming, n).err().map(|r| r.reasons))
                })
                .collect()
        })
    }

    fn required(kind: &str, selector: &str, key: &str) -> String {
        format!(
            "    {kind}:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        - labelSelector:\n            matchExpressions:\n              - {selector}\n          topologyKey: {key}\n"
        )
    }

    #[test]
    fn required_anti_affinity_rejects_the_topology_domain_of_a_matching_pod() {
        let plain = template("");
        let sim = cluster(
            vec![
                node("node1", CHINA),
                node("node2", CHINA),
                node("node3", INDIA),
            ],
            vec![pod(Some("node1"), S1, &plain)],
        );
        let p = pod(
            None,
            S2,
            &affinity(&[required(
                "podAntiAffinity",
                "{key: security, operator: In, values: [S1]}",
                "region",
            )]),
        );
        assert_eq!(
            verdicts(&sim, &p),
            vec![
                Some(vec![REASON_ANTI_AFFINITY]),
                Some(vec![REASON_ANTI_AFFINITY]),
                None
            ]
        );
    }

    #[test]
    fn an_existing_pods_anti_affinity_rejects_the_incoming_pod() {
        let existing = affinity(&[required(
            "podAntiAffinity",
            "{key: security, operator: In, values: [S2]}",
            "region",
        )]);
        let sim = cluster(
            vec![node("node1", CHINA), node("node2", INDIA)],
            vec![pod(Some("node1"), S1, &existing)],
        );
        assert_eq!(
            verdicts(&sim, &pod(None, S2, &template(""))),
            vec![Some(vec![REASON_EXISTING_ANTI_AFFINITY]), None]
        );
    }

    #[test]
    fn required_affinity_needs_a_matching_pod_unless_the_pod_is_the_first_of_its_group() {
        let wants_s1 = affinity(&[required(
            "podAffinity",
            "{key: security, operator: In, values: [S1]}",
            "region",
        )]);
        let sim = cluster(
            vec![
                node("node1", CHINA),
                node("node2", INDIA),
                node("node3", AZ1),
            ],
            vec![pod(Some("node1"), S1, &template(""))],
        );
        assert_eq!(
            verdicts(&sim, &pod(None, S2, &wants_s1)),
            vec![
                None,
                Some(vec![REASON_AFFINITY]),
                Some(vec![REASON_AFFINITY])
            ]
        );
        // No S1 pod anywhere: an S1 pod with affinity to S1 may go to any node carrying
        // the topology key, an S2 pod nowhere.
        let empty = cluster(
            vec![
                node("node1", CHINA),
                node("node2", INDIA),
                node("node3", AZ1),
            ],
            Vec::new(),
        );
        assert_eq!(
            verdicts(&empty, &pod(None, S1, &wants_s1)),
            vec![None, None, Some(vec![REASON_AFFINITY])]
        );
        assert!(
            verdicts(&empty, &pod(None, S2, &wants_s1))
                .iter()
                .all(|v| v.as_deref() == Some(&[REASON_AFFINITY][..]))
        );
    }
}
