//! The scheduler's `FitError` message (`pkg/scheduler/framework/types.go`): how many nodes
//! gave each reason, sorted, then what the DefaultPreemption post-filter found
//! (`pkg/scheduler/framework/preemption`): nodes that failed with an
//! UnschedulableAndUnresolvable status are "not helpful", and every other node has no
//! victim because the simulator's pods all have priority 0.

use std::collections::BTreeMap;

use super::Rejection;

#[derive(Debug, Default)]
pub(super) struct FitError {
    reasons: BTreeMap<&'static str, usize>,
    unresolvable: usize,
    resolvable: usize,
}

impl FitError {
    pub(super) fn add(&mut self, rejection: Rejection) {
        for reason in rejection.reasons {
            *self.reasons.entry(reason).or_default() += 1;
        }
        if rejection.unresolvable {
            self.unresolvable += 1;
        } else {
            self.resolvable += 1;
        }
    }

    /// `0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available:
    /// 3 No preemption victims found for incoming pod.`
    pub(super) fn message(&self, nodes: usize) -> String {
        if nodes == 0 {
            return "no nodes available to schedule pods".into();
        }
        let histogram = |parts: Vec<String>| {
            let mut parts = parts;
            parts.sort();
            parts.join(", ")
        };
        let filters = histogram(
            self.reasons
                .iter()
                .map(|(reason, n)| format!("{n} {reason}"))
                .collect(),
        );
        let mut preemption = Vec::new();
        if self.resolvable > 0 {
            preemption.push(format!(
                "{} No preemption victims found for incoming pod",
                self.resolvable
            ));
        }
        if self.unresolvable > 0 {
            preemption.push(format!(
                "{} Preemption is not helpful for scheduling",
                self.unresolvable
            ));
        }
        format!(
            "0/{nodes} nodes are available: {filters}. preemption: 0/{nodes} nodes are available: {}.",
            histogram(preemption)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_counted_sorted_and_followed_by_preemption() {
        let mut e = FitError::default();
        e.add(Rejection::unresolvable("node(s) had untolerated taint(s)"));
        e.add(Rejection::unresolvable(
            "node(s) didn't match Pod's node affinity/selector",
        ));
        e.add(Rejection::unresolvable(
            "node(s) didn't match Pod's node affinity/selector",
        ));
        // The shape of the event upstream's docs show for a control-plane taint.
        assert_eq!(
            e.message(3),
            "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
        );
        let mut e = FitError::default();
        e.add(Rejection {
            reasons: vec!["Insufficient cpu", "Insufficient memory"],
            unresolvable: false,
        });
        e.add(Rejection::new(
            "node(s) didn't match pod anti-affinity rules",
        ));
        e.add(Rejection::unresolvable("node(s) were unschedulable"));
        assert_eq!(
            e.message(3),
            "0/3 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 node(s) didn't match pod anti-affinity rules, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
        );
    }
}
