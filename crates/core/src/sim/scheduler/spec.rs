//! What a pod asks of the scheduler, read from its spec as the API server stores it:
//! required and preferred node affinity, pod affinity and anti-affinity terms, and topology
//! spread constraints with their defaults (`k8s.io/api/core/v1` types, defaults from
//! `pkg/scheduler/framework/plugins/podtopologyspread/common.go`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::rc::Rc;

use crate::model::{Requirement, Selector};
use crate::yaml::Node;

/// A node selector operator (`NodeSelectorOperator`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeOp {
    In,
    NotIn,
    Exists,
    DoesNotExist,
    Gt,
    Lt,
}

/// One `matchExpressions` or `matchFields` entry of a node selector term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeRequirement {
    pub key: String,
    pub op: NodeOp,
    pub values: Vec<String>,
}

/// A `nodeSelectorTerms` entry: its expressions (node labels) and fields (`metadata.name`)
/// must all match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeSelectorTerm {
    pub expressions: Vec<NodeRequirement>,
    pub fields: Vec<NodeRequirement>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreferredNodeTerm {
    pub weight: i64,
    pub term: NodeSelectorTerm,
}

/// A `PodAffinityTerm`. `selector: None` is a missing `labelSelector`, which matches no pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodAffinityTerm {
    pub selector: Option<Selector>,
    pub namespaces: Vec<String>,
    /// `None`: absent (matches no namespace); an empty selector matches every namespace.
    pub namespace_selector: Option<Selector>,
    pub topology_key: String,
    pub match_label_keys: Vec<String>,
    pub mismatch_label_keys: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeightedPodAffinityTerm {
    pub weight: i64,
    pub term: PodAffinityTerm,
}

/// The required and preferred terms of `podAffinity` or `podAntiAffinity`; `declared` is
/// whether the field is present at all (upstream keeps such pods in `PodsWithAffinity`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodAffinity {
    pub declared: bool,
    pub required: Vec<PodAffinityTerm>,
    pub preferred: Vec<WeightedPodAffinityTerm>,
}

/// A `topologySpreadConstraints` entry after defaulting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpreadConstraint {
    pub max_skew: i64,
    pub topology_key: String,
    /// `whenUnsatisfiable: DoNotSchedule` (the default); otherwise `ScheduleAnyway`.
    pub hard: bool,
    pub selector: Option<Rc<Selector>>,
    /// 1 when unset.
    pub min_domains: i64,
    /// `nodeAffinityPolicy: Honor` (the default).
    pub honor_node_affinity: bool,
    /// `nodeTaintsPolicy: Honor` (the default is Ignore).
    pub honor_taints: bool,
    pub match_label_keys: Vec<String>,
}

/// Everything in a pod spec that steers the scheduler besides `nodeSelector`, resources
/// and tolerations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SchedulingSpec {
    /// `requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms` (ORed).
    pub required_node_terms: Option<Vec<NodeSelectorTerm>>,
    pub preferred_node_terms: Vec<PreferredNodeTerm>,
    pub pod_affinity: PodAffinity,
    pub pod_anti_affinity: PodAffinity,
    pub spread: Vec<SpreadConstraint>,
}

impl SchedulingSpec {
    /// Whether the pod declares pod affinity or anti-affinity.
    #[must_use]
    pub fn has_pod_affinity(&self) -> bool {
        self.pod_affinity.declared || self.pod_anti_affinity.declared
    }
}

fn strings(node: Option<&Node>) -> Vec<String> {
    node.and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_scalar().map(|s| s.value.clone()))
        .collect()
}

fn text(node: Option<&Node>) -> Option<String> {
    node.and_then(Node::as_scalar).map(|s| s.value.clone())
}

fn node_requirements(node: Option<&Node>) -> Vec<NodeRequirement> {
    node.and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter_map(|r| {
            let op = match r.get("operator").and_then(Node::as_str)? {
                "In" => NodeOp::In,
                "NotIn" => NodeOp::NotIn,
                "Exists" => NodeOp::Exists,
                "DoesNotExist" => NodeOp::DoesNotExist,
                "Gt" => NodeOp::Gt,
                "Lt" => NodeOp::Lt,
                _ => return None,
            };
            Some(NodeRequirement {
                key: text(r.get("key"))?,
                op,
                values: strings(r.get("values")),
            })
        })
        .collect()
}

fn node_term(node: &Node) -> NodeSelectorTerm {
    NodeSelectorTerm {
        expressions: node_requirements(node.get("matchExpressions")),
        fields: node_requirements(node.get("matchFields")),
    }
}

/// A `labelSelector`: absent or null is `None` (matches nothing).
fn label_selector(node: Option<&Node>) -> Option<Selector> {
    node.filter(|n| !n.is_null())
        .map(Selector::from_label_selector)
}

fn pod_term(node: &Node) -> PodAffinityTerm {
    PodAffinityTerm {
        selector: label_selector(node.get("labelSelector")),
        namespaces: strings(node.get("namespaces")),
        namespace_selector: label_selector(node.get("namespaceSelector")),
        topology_key: text(node.get("topologyKey")).unwrap_or_default(),
        match_label_keys: strings(node.get("matchLabelKeys")),
        mismatch_label_keys: strings(node.get("mismatchLabelKeys")),
    }
}

fn weight(node: &Node) -> i64 {
    node.get("weight").and_then(Node::as_i64).unwrap_or(0)
}

fn pod_affinity(node: Option<&Node>) -> PodAffinity {
    let Some(node) = node.filter(|n| n.as_mapping().is_some()) else {
        return PodAffinity::default();
    };
    PodAffinity {
        declared: true,
        required: node
            .get("requiredDuringSchedulingIgnoredDuringExecution")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
            .iter()
            .map(pod_term)
            .collect(),
        preferred: node
            .get("preferredDuringSchedulingIgnoredDuringExecution")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
            .iter()
            .filter_map(|w| {
                Some(WeightedPodAffinityTerm {
                    weight: weight(w),
                    term: pod_term(w.get("podAffinityTerm")?),
                })
            })
            .collect(),
    }
}

fn spread_constraint(node: &Node) -> Option<SpreadConstraint> {
    let policy = |key: &str, default: bool| match node.get(key).and_then(Node::as_str) {
        Some("Honor") => true,
        Some("Ignore") => false,
        _ => default,
    };
    Some(SpreadConstraint {
        max_skew: node.get("maxSkew").and_then(Node::as_i64)?.max(1),
        topology_key: text(node.get("topologyKey"))?,
        hard: node.get("whenUnsatisfiable").and_then(Node::as_str) != Some("ScheduleAnyway"),
        selector: label_selector(node.get("labelSelector")).map(Rc::new),
        min_domains: node
            .get("minDomains")
            .and_then(Node::as_i64)
            .unwrap_or(1)
            .max(1),
        honor_node_affinity: policy("nodeAffinityPolicy", true),
        honor_taints: policy("nodeTaintsPolicy", false),
        match_label_keys: strings(node.get("matchLabelKeys")),
    })
}

/// Reads the scheduling fields of a pod spec.
#[must_use]
pub fn scheduling_spec(spec: &Node) -> SchedulingSpec {
    let affinity = spec.get("affinity");
    let node_affinity = affinity.and_then(|a| a.get("nodeAffinity"));
    SchedulingSpec {
        required_node_terms: node_affinity
            .and_then(|n| n.get("requiredDuringSchedulingIgnoredDuringExecution"))
            .filter(|r| r.as_mapping().is_some())
            .map(|r| {
                r.get("nodeSelectorTerms")
                    .and_then(Node::as_sequence)
                    .unwrap_or_default()
                    .iter()
                    .map(node_term)
                    .collect()
            }),
        preferred_node_terms: node_affinity
            .and_then(|n| n.get("preferredDuringSchedulingIgnoredDuringExecution"))
            .and_then(Node::as_sequence)
            .unwrap_or_default()
            .iter()
            .filter_map(|p| {
                Some(PreferredNodeTerm {
                    weight: weight(p),
                    term: node_term(p.get("preference")?),
                })
            })
            .collect(),
        pod_affinity: pod_affinity(affinity.and_then(|a| a.get("podAffinity"))),
        pod_anti_affinity: pod_affinity(affinity.and_then(|a| a.get("podAntiAffinity"))),
        spread: spec
            .get("topologySpreadConstraints")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
            .iter()
            .filter_map(spread_constraint)
            .collect(),
    }
}

/// `selector` with `matchLabelKeys` (key in the pod's value) and `mismatchLabelKeys` (key
/// not in it) merged in, as the API server does when it creates the pod; keys the pod
/// does not carry are skipped. `None` stays `None`.
#[must_use]
pub fn with_label_keys<'s>(
    selector: Option<&'s Selector>,
    match_keys: &[String],
    mismatch_keys: &[String],
    labels: &BTreeMap<String, String>,
) -> Option<Cow<'s, Selector>> {
    let selector = selector?;
    if match_keys.is_empty() && mismatch_keys.is_empty() {
        return Some(Cow::Borrowed(selector));
    }
    let mut merged = selector.clone();
    for key in match_keys {
        if let Some(v) = labels.get(key) {
            merged
                .requirements
                .push(Requirement::In(key.clone(), vec![v.clone()]));
        }
    }
    for key in mismatch_keys {
        if let Some(v) = labels.get(key) {
            merged
                .requirements
                .push(Requirement::NotIn(key.clone(), vec![v.clone()]));
        }
    }
    Some(Cow::Owned(merged))
}
