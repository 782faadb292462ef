//! The NodeUnschedulable plugin (`pkg/scheduler/framework/plugins/nodeunschedulable`): a
//! cordoned node (`spec.unschedulable`) takes only pods that tolerate the
//! `node.kubernetes.io/unschedulable:NoSchedule` taint.

use super::Rejection;
use super::tainttoleration::tolerates;
use crate::sim::cluster::{Pod, SimNode, Taint};

pub const REASON: &str = "node(s) were unschedulable";

pub(super) fn filter(pod: &Pod, node: &SimNode) -> Result<(), Rejection> {
    if !node.unschedulable {
        return Ok(());
    }
    let taint = Taint {
        key: "node.kubernetes.io/unschedulable".into(),
        value: String::new(),
        effect: "NoSchedule".into(),
    };
    if pod
        .template
        .tolerations
        .iter()
        .any(|t| tolerates(t, &taint))
    {
        Ok(())
    } else {
        Err(Rejection::unresolvable(REASON))
    }
}
