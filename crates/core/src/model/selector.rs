//! Label selectors: a Service's plain map, and the `LabelSelector` of workloads
//! (`matchLabels` plus `matchExpressions` with In, NotIn, Exists, DoesNotExist), matched as
//! `apimachinery/pkg/apis/meta/v1` `LabelSelectorAsSelector` does.

use crate::yaml::Node;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requirement {
    Equals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

/// A parsed selector. An empty selector matches every set of labels.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector {
    pub requirements: Vec<Requirement>,
}

impl Selector {
    /// A Service-style selector: every key must equal its value.
    #[must_use]
    pub fn from_map(node: &Node) -> Self {
        Self {
            requirements: node
                .string_map()
                .into_iter()
                .map(|(k, v)| Requirement::Equals(k.to_owned(), v.to_owned()))
                .collect(),
        }
    }

    /// A `LabelSelector` (`matchLabels`, `matchExpressions`).
    #[must_use]
    pub fn from_label_selector(node: &Node) -> Self {
        let mut sel = node
            .get("matchLabels")
            .map(Self::from_map)
            .unwrap_or_default();
        for expr in node
            .get("matchExpressions")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
        {
            let Some(key) = expr.get("key").and_then(Node::as_str) else {
                continue;
            };
            let values: Vec<String> = expr
                .get("values")
                .and_then(Node::as_sequence)
                .unwrap_or_default()
                .iter()
                .filter_map(|v| v.as_scalar().map(|s| s.value.clone()))
                .collect();
            let key = key.to_owned();
            let req = match expr.get("operator").and_then(Node::as_str) {
                Some("In") => Requirement::In(key, values),
                Some("NotIn") => Requirement::NotIn(key, values),
                Some("Exists") => Requirement::Exists(key),
                Some("DoesNotExist") => Requirement::DoesNotExist(key),
                _ => continue,
            };
            sel.requirements.push(req);
        }
        sel
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// Whether `labels` satisfy every requirement.
    #[must_use]
    pub fn matches(&self, labels: &[(&str, &str)]) -> bool {
        self.matches_with(|k| labels.iter().find(|(lk, _)| *lk == k).map(|(_, v)| *v))
    }

    /// Whether a label map satisfies every requirement.
    #[must_use]
    pub fn matches_map(&self, labels: &std::collections::BTreeMap<String, String>) -> bool {
        self.matches_with(|k| labels.get(k).map(String::as_str))
    }

    /// Whether the labels `get` reads satisfy every requirement.
    pub fn matches_with<'l>(&self, get: impl Fn(&str) -> Option<&'l str>) -> bool {
        self.requirements.iter().all(|r| match r {
            Requirement::Equals(k, v) => get(k) == Some(v.as_str()),
            Requirement::In(k, vs) => get(k).is_some_and(|l| vs.iter().any(|v| v == l)),
            Requirement::NotIn(k, vs) => get(k).is_none_or(|l| vs.iter().all(|v| v != l)),
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::DoesNotExist(k) => get(k).is_none(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, parse};

    fn node(text: &str) -> Node {
        parse(text, &Limits::default())
            .documents
            .remove(0)
            .root
            .unwrap()
    }

    #[test]
    fn match_labels_and_expressions() {
        let sel = Selector::from_label_selector(&node(
            "matchLabels: {app: web}\nmatchExpressions:\n  - {key: tier, operator: In, values: [front, edge]}\n  - {key: canary, operator: DoesNotExist}\n",
        ));
        assert!(sel.matches(&[("app", "web"), ("tier", "front")]));
        assert!(!sel.matches(&[("app", "web"), ("tier", "back")]));
        assert!(!sel.matches(&[("app", "web"), ("tier", "front"), ("canary", "1")]));
        assert!(!sel.matches(&[("tier", "front")]));
    }

    #[test]
    fn not_in_matches_missing_keys_and_empty_matches_all() {
        let sel = Selector::from_label_selector(&node(
            "matchExpressions:\n  - {key: env, operator: NotIn, values: [prod]}\n",
        ));
        assert!(sel.matches(&[]));
        assert!(!sel.matches(&[("env", "prod")]));
        assert!(Selector::default().matches(&[("x", "y")]));
    }
}
