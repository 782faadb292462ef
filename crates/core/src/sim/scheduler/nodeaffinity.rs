//! The NodeAffinity plugin (`pkg/scheduler/framework/plugins/nodeaffinity`, matching from
//! `k8s.io/component-helpers/scheduling/corev1/nodeaffinity`): a node must carry every
//! `nodeSelector` label and match one of the required `nodeSelectorTerms` (terms ORed,
//! requirements within a term ANDed; a term with no requirement matches nothing); nodes
//! score the summed weights of the preferred terms they match.

use super::spec::{NodeOp, NodeRequirement, NodeSelectorTerm};
use super::{Rejection, normalize};
use crate::sim::cluster::SimNode;
use crate::sim::spec::PodTemplate;

pub const REASON: &str = "node(s) didn't match Pod's node affinity/selector";

/// A label requirement as `labels.Selector` evaluates it; `Gt`/`Lt` compare integers and
/// fail when either side is not one.
fn label_matches(r: &NodeRequirement, value: Option<&str>) -> bool {
    let number = |v: &str| v.parse::<i64>().ok();
    match r.op {
        NodeOp::In => value.is_some_and(|v| r.values.iter().any(|x| x == v)),
        NodeOp::NotIn => value.is_none_or(|v| r.values.iter().all(|x| x != v)),
        NodeOp::Exists => value.is_some(),
        NodeOp::DoesNotExist => value.is_none(),
        NodeOp::Gt | NodeOp::Lt => {
            let (Some(have), [want]) = (value.and_then(number), r.values.as_slice()) else {
                return false;
            };
            let Some(want) = number(want) else {
                return false;
            };
            if r.op == NodeOp::Gt {
                have > want
            } else {
                have < want
            }
        }
    }
}

/// Whether `node` matches a term: labels for `matchExpressions`, `metadata.name` for
/// `matchFields` (the only field supported).
#[must_use]
pub fn term_matches(term: &NodeSelectorTerm, node: &SimNode) -> bool {
    if term.expressions.is_empty() && term.fields.is_empty() {
        return false;
    }
    term.expressions
        .iter()
        .all(|r| label_matches(r, node.labels.get(&r.key).map(String::as_str)))
        && term.fields.iter().all(|r| {
            r.key == "metadata.name"
                && matches!(r.op, NodeOp::In | NodeOp::NotIn)
                && label_matches(r, Some(&node.name))
        })
}

/// `GetRequiredNodeAffinity(pod).Match(node)`: the `nodeSelector` and the required terms.
#[must_use]
pub fn required_match(template: &PodTemplate, node: &SimNode) -> bool {
    template
        .node_selector
        .iter()
        .all(|(k, v)| node.labels.get(k) == Some(v))
        && template
            .scheduling
            .required_node_terms
            .as_ref()
            .is_none_or(|terms| terms.iter().any(|t| term_matches(t, node)))
}

pub(super) fn filter(template: &PodTemplate, node: &SimNode) -> Result<(), Rejection> {
    if required_match(template, node) {
        Ok(())
    } else {
        Err(Rejection::unresolvable(REASON))
    }
}

/// Normalised scores: the weights of the matching preferred terms, scaled so the best
/// node gets 100 (`helper.DefaultNormalizeScore`).
pub(super) fn scores(template: &PodTemplate, nodes: &[&SimNode]) -> Vec<i64> {
    let raw = nodes
        .iter()
        .map(|node| {
            template
                .scheduling
                .preferred_node_terms
                .iter()
                .filter(|p| term_matches(&p.term, node))
                .map(|p| p.weight)
                .sum()
        })
        .collect();
    normalize(raw)
}
