//! The TaintToleration plugin (`pkg/scheduler/framework/plugins/tainttoleration`): a node
//! with a `NoSchedule` or `NoExecute` taint the pod does not tolerate is filtered out; among
//! the rest, nodes with fewer untolerated `PreferNoSchedule` taints score higher.

use super::{Rejection, reverse_normalize};
use crate::sim::cluster::{Pod, SimNode, Taint};
use crate::sim::spec::Toleration;

/// The filter's reason. Since v1.33 the scheduler no longer names the taint.
pub const REASON: &str = "node(s) had untolerated taint(s)";

/// `Toleration.ToleratesTaint` (`k8s.io/api/core/v1/toleration.go`): the effect and key
/// match when set (an empty key needs `Exists`), then `Exists` or an equal value.
#[must_use]
pub fn tolerates(t: &Toleration, taint: &Taint) -> bool {
    let effect_ok = t
        .effect
        .as_deref()
        .is_none_or(|e| e.is_empty() || e == taint.effect);
    let key_ok = match t.key.as_deref() {
        None | Some("") => t.operator == "Exists",
        Some(k) => k == taint.key,
    };
    let value_ok = match t.operator.as_str() {
        "Exists" => true,
        "Equal" | "" => t.value.as_deref().unwrap_or("") == taint.value,
        _ => false,
    };
    effect_ok && key_ok && value_ok
}

/// The first `NoSchedule`/`NoExecute` taint of `node` that none of `tolerations` tolerates.
#[must_use]
pub fn untolerated<'n>(tolerations: &[Toleration], node: &'n SimNode) -> Option<&'n Taint> {
    node.taints.iter().find(|taint| {
        (taint.effect == "NoSchedule" || taint.effect == "NoExecute")
            && !tolerations.iter().any(|t| tolerates(t, taint))
    })
}

pub(super) fn filter(pod: &Pod, node: &SimNode) -> Result<(), Rejection> {
    match untolerated(&pod.template.tolerations, node) {
        Some(_) => Err(Rejection::unresolvable(REASON)),
        None => Ok(()),
    }
}

/// Normalised scores (reverse: the fewer intolerable `PreferNoSchedule` taints, the
/// higher), counting only tolerations whose effect is empty or `PreferNoSchedule`.
pub(super) fn scores(pod: &Pod, nodes: &[&SimNode]) -> Vec<i64> {
    let prefer: Vec<&Toleration> = pod
        .template
        .tolerations
        .iter()
        .filter(|t| {
            t.effect
                .as_deref()
                .is_none_or(|e| e.is_empty() || e == "PreferNoSchedule")
        })
        .collect();
    let raw = nodes
        .iter()
        .map(|node| {
            node.taints
                .iter()
                .filter(|taint| {
                    taint.effect == "PreferNoSchedule"
                        && !prefer.iter().any(|t| tolerates(t, taint))
                })
                .count() as i64
        })
        .collect();
    reverse_normalize(raw)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{node, pod, template};
    use super::*;

    fn taint(key: &str, value: &str, effect: &str) -> Taint {
        Taint {
            key: key.into(),
            value: value.into(),
            effect: effect.into(),
        }
    }

    #[test]
    fn tolerations_match_as_tolerates_taint_does() {
        let t =
            |key: Option<&str>, op: &str, value: Option<&str>, effect: Option<&str>| Toleration {
                key: key.map(str::to_owned),
                operator: op.into(),
                value: value.map(str::to_owned),
                effect: effect.map(str::to_owned),
            };
        let gpu = taint("dedicated", "gpu", "NoSchedule");
        assert!(tolerates(
            &t(Some("dedicated"), "Equal", Some("gpu"), None),
            &gpu
        ));
        assert!(!tolerates(
            &t(Some("dedicated"), "Equal", Some("cpu"), None),
            &gpu
        ));
        assert!(tolerates(
            &t(Some("dedicated"), "Exists", None, Some("NoSchedule")),
            &gpu
        ));
        assert!(!tolerates(
            &t(Some("dedicated"), "Exists", None, Some("NoExecute")),
            &gpu
        ));
        // An empty key with Exists tolerates everything.
        assert!(tolerates(&t(None, "Exists", None, None), &gpu));
    }

    #[test]
    fn the_more_intolerable_prefer_no_schedule_taints_the_lower_the_score() {
        // taint_toleration_test.go TestTaintTolerationScore, "the more intolerable taints a
        // node has, the lower score it gets".
        let p = pod(
            None,
            &[],
            &template(
                "  tolerations:\n    - {key: foo, operator: Equal, value: bar, effect: PreferNoSchedule}\n",
            ),
        );
        let mut b = node("nodeB", &[]);
        b.taints = vec![taint("cpu-type", "arm64", "PreferNoSchedule")];
        let mut c = node("nodeC", &[]);
        c.taints = vec![
            taint("cpu-type", "arm64", "PreferNoSchedule"),
            taint("disk-type", "ssd", "PreferNoSchedule"),
        ];
        let a = node("nodeA", &[]);
        assert_eq!(scores(&p, &[&a, &b, &c]), vec![100, 50, 0]);
    }
}
