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

#[cfg(test)]
mod tests {
    use super::super::testing::{node, template};
    use super::*;

    fn required(terms: &str) -> std::rc::Rc<PodTemplate> {
        template(&format!(
            "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n{terms}"
        ))
    }

    fn term(expressions: &[&str]) -> String {
        let mut s = "          - matchExpressions:\n".to_owned();
        for e in expressions {
            s.push_str(&format!("              - {e}\n"));
        }
        s
    }

    // Cases from pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // (TestNodeAffinity).

    #[test]
    fn required_terms_match_as_upstream() {
        type Case<'a> = (&'a str, String, &'a [(&'a str, &'a str)], bool);
        let cases: &[Case<'_>] = &[
            (
                "In operator that matches the existing node",
                term(&["{key: foo, operator: In, values: [bar, value2]}"]),
                &[("foo", "bar")],
                true,
            ),
            (
                "Gt operator that matches the existing node",
                term(&["{key: kernel-version, operator: Gt, values: ['0204']}"]),
                &[("kernel-version", "0206")],
                true,
            ),
            (
                "NotIn operator that matches the existing node",
                term(&["{key: mem-type, operator: NotIn, values: [DDR, DDR2]}"]),
                &[("mem-type", "DDR3")],
                true,
            ),
            (
                "Exists operator that matches the existing node",
                term(&["{key: GPU, operator: Exists}"]),
                &[("GPU", "NVIDIA-GRID-K1")],
                true,
            ),
            (
                "affinity that don't match node's labels won't schedule onto the node",
                term(&["{key: foo, operator: In, values: [value1, value2]}"]),
                &[("foo", "bar")],
                false,
            ),
            (
                "empty MatchExpressions is not a valid value will match no objects",
                "          - matchExpressions: []\n".to_owned(),
                &[("foo", "bar")],
                false,
            ),
            (
                "multiple matchExpressions ANDed that doesn't match the existing node",
                term(&[
                    "{key: GPU, operator: Exists}",
                    "{key: GPU, operator: NotIn, values: [AMD, INTER]}",
                    "{key: GPU, operator: NotIn, values: [NVIDIA-GRID-K1]}",
                ]),
                &[("GPU", "NVIDIA-GRID-K1")],
                false,
            ),
            (
                "multiple NodeSelectorTerms ORed in affinity, matches the node's labels",
                term(&["{key: foo, operator: In, values: [bar, value2]}"])
                    + &term(&["{key: diffkey, operator: In, values: [wrong, value2]}"]),
                &[("foo", "bar")],
                true,
            ),
            (
                "Gt against a label that is not a number",
                term(&["{key: kernel-version, operator: Gt, values: ['0204']}"]),
                &[("kernel-version", "6.1")],
                false,
            ),
        ];
        for (name, terms, labels, want) in cases {
            let t = required(terms);
            assert_eq!(required_match(&t, &node("node1", labels)), *want, "{name}");
        }
    }

    #[test]
    fn match_fields_select_the_node_by_name_and_node_selector_ands_in() {
        let t = required(
            "          - matchFields:\n              - {key: metadata.name, operator: In, values: [node1]}\n",
        );
        assert!(required_match(&t, &node("node1", &[])));
        assert!(!required_match(&t, &node("node2", &[])));
        // "Pod with nodeSelector and affinity, both must match": `nodeSelector` too.
        let t = template(&format!(
            "  nodeSelector: {{foo: bar}}\n  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n{}",
            term(&["{key: foo, operator: Exists}"])
        ));
        assert!(required_match(&t, &node("node1", &[("foo", "bar")])));
        assert!(!required_match(&t, &node("node1", &[("foo", "baz")])));
    }

    #[test]
    fn preferred_terms_score_the_best_node_100() {
        // TestNodeAffinityPriority, "all nodes matches the preferred scheduling
        // requirements of pod but with different priorities".
        let t = template(
            "  affinity:\n    nodeAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n        - weight: 2\n          preference:\n            matchExpressions:\n              - {key: foo, operator: In, values: [bar]}\n        - weight: 4\n          preference:\n            matchExpressions:\n              - {key: key, operator: In, values: [value]}\n        - weight: 5\n          preference:\n            matchExpressions:\n              - {key: foo, operator: In, values: [bar]}\n              - {key: key, operator: In, values: [value]}\n              - {key: az, operator: In, values: [az1]}\n",
        );
        let nodes = [
            node("node1", &[("foo", "bar")]),
            node("node5", &[("foo", "bar"), ("key", "value"), ("az", "az1")]),
            node("node2", &[("key", "value")]),
        ];
        let refs: Vec<&SimNode> = nodes.iter().collect();
        assert_eq!(scores(&t, &refs), vec![18, 100, 36]);
    }
}
