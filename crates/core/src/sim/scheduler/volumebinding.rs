//! VolumeBinding's PreFilter (`pkg/scheduler/framework/plugins/volumebinding`): a pod whose
//! PersistentVolumeClaims are not all Bound cannot go to any node (status
//! UnschedulableAndUnresolvable, so preemption cannot help either); the FitError then
//! carries the PreFilter's message instead of per-node reasons:
//! `0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption:
//! 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`
//!
//! The simulator knows the claims StatefulSets make (`volumes`); a `persistentVolumeClaim`
//! volume naming another claim is not checked (standalone claims are not modelled).

use crate::sim::cluster::{Owner, Pod};
use crate::sim::engine::Sim;

/// Why `pod` cannot be scheduled because of its claims, as the scheduler reports it.
pub(super) fn prefilter(sim: &Sim, pod: &Pod) -> Result<(), String> {
    let Owner::StatefulSet(set) = &pod.owner else {
        return Ok(());
    };
    let key = (pod.namespace.clone(), set.clone());
    let Some(sts) = sim.workloads.statefulsets.get(&key) else {
        return Ok(());
    };
    for t in &sts.claims {
        let name = format!("{}-{}", t.name, pod.name);
        let reason = match sim
            .workloads
            .claims
            .get(&(pod.namespace.clone(), name.clone()))
        {
            None => format!("persistentvolumeclaim \"{name}\" not found"),
            Some(c) if c.phase != "Bound" => {
                "pod has unbound immediate PersistentVolumeClaims".to_owned()
            }
            Some(_) => continue,
        };
        let n = sim.nodes.len();
        return Err(format!(
            "0/{n} nodes are available: {reason}. preemption: 0/{n} nodes are available: {n} Preemption is not helpful for scheduling."
        ));
    }
    Ok(())
}
