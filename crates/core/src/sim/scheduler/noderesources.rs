//! The NodeResourcesFit and NodeResourcesBalancedAllocation plugins
//! (`pkg/scheduler/framework/plugins/noderesources`): a node must have room for the pod's
//! requests and one more pod (`fit.go` `fitsRequest`); nodes score by the share of CPU and
//! memory left free (`least_allocated.go`, counting a missing request as 100m CPU and
//! 200Mi memory, `schedutil.DefaultMilliCPURequest`/`DefaultMemoryRequest`) and by how
//! evenly CPU and memory are used (`balanced_allocation.go`, actual requests, skipped for
//! BestEffort pods since v1.33).

use super::Rejection;
use crate::sim::cluster::{Pod, SimNode};
use crate::sim::spec::ContainerSpec;

const NON_ZERO_CPU: i64 = 100;
const NON_ZERO_MEMORY: i64 = 200 * 1024 * 1024;
const MAX_SCORE: i64 = 100;

/// What a pod asks for, or what the pods bound to a node add up to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Requests {
    pub cpu: i64,
    pub memory: i64,
    /// The same with missing requests counted at the scoring defaults.
    pub nonzero_cpu: i64,
    pub nonzero_memory: i64,
    pub pods: i64,
}

impl Requests {
    fn of_container(c: &ContainerSpec) -> Self {
        Self {
            cpu: c.cpu_request_milli,
            memory: c.memory_request,
            nonzero_cpu: if c.cpu_request_set {
                c.cpu_request_milli
            } else {
                NON_ZERO_CPU
            },
            nonzero_memory: if c.memory_request_set {
                c.memory_request
            } else {
                NON_ZERO_MEMORY
            },
            pods: 1,
        }
    }

    /// A pod's effective requests (`resource.PodRequests`): the sum of its containers, or
    /// the largest init container if that is more.
    #[must_use]
    pub fn of(pod: &Pod) -> Self {
        let mut sum = Self {
            pods: 1,
            ..Self::default()
        };
        for c in &pod.template.containers {
            let r = Self::of_container(c);
            sum.cpu += r.cpu;
            sum.memory += r.memory;
            sum.nonzero_cpu += r.nonzero_cpu;
            sum.nonzero_memory += r.nonzero_memory;
        }
        for c in &pod.template.init_containers {
            let r = Self::of_container(c);
            sum.cpu = sum.cpu.max(r.cpu);
            sum.memory = sum.memory.max(r.memory);
            sum.nonzero_cpu = sum.nonzero_cpu.max(r.nonzero_cpu);
            sum.nonzero_memory = sum.nonzero_memory.max(r.nonzero_memory);
        }
        sum
    }

    pub fn add(&mut self, other: &Self) {
        self.cpu += other.cpu;
        self.memory += other.memory;
        self.nonzero_cpu += other.nonzero_cpu;
        self.nonzero_memory += other.nonzero_memory;
        self.pods += other.pods;
    }

    fn is_best_effort(&self) -> bool {
        self.cpu == 0 && self.memory == 0
    }
}

/// `fitsRequest`: pod count first, then CPU and memory. A request larger than the whole
/// node cannot be helped by preemption (UnschedulableAndUnresolvable).
pub(super) fn filter(want: &Requests, used: &Requests, node: &SimNode) -> Result<(), Rejection> {
    let mut rejection = Rejection::default();
    if used.pods + 1 > node.max_pods {
        rejection.reasons.push("Too many pods");
    }
    if want.cpu > 0 && want.cpu > node.cpu_milli - used.cpu {
        rejection.reasons.push("Insufficient cpu");
        rejection.unresolvable |= want.cpu > node.cpu_milli;
    }
    if want.memory > 0 && want.memory > node.memory - used.memory {
        rejection.reasons.push("Insufficient memory");
        rejection.unresolvable |= want.memory > node.memory;
    }
    if rejection.reasons.is_empty() {
        Ok(())
    } else {
        Err(rejection)
    }
}

/// `leastRequestedScore`.
fn least_requested(requested: i64, capacity: i64) -> i64 {
    if capacity <= 0 || requested > capacity {
        0
    } else {
        (capacity - requested) * MAX_SCORE / capacity
    }
}

/// LeastAllocated with CPU and memory weighted 1 each.
pub(super) fn least_allocated(want: &Requests, used: &Requests, node: &SimNode) -> i64 {
    let mut score = 0;
    let mut weights = 0;
    for (requested, capacity) in [
        (used.nonzero_cpu + want.nonzero_cpu, node.cpu_milli),
        (used.nonzero_memory + want.nonzero_memory, node.memory),
    ] {
        if capacity == 0 {
            continue;
        }
        score += least_requested(requested, capacity);
        weights += 1;
    }
    if weights == 0 { 0 } else { score / weights }
}

/// `balancedResourceScorer`: `(1 − |cpu fraction − memory fraction| / 2) × 100` over the
/// actual requests; `None` (plugin skipped) for a BestEffort pod.
pub(super) fn balanced_allocation(want: &Requests, used: &Requests, node: &SimNode) -> Option<i64> {
    if want.is_best_effort() {
        return None;
    }
    let fraction = |requested: i64, capacity: i64| {
        (capacity != 0).then(|| (requested as f64 / capacity as f64).min(1.0))
    };
    let std = match (
        fraction(used.cpu + want.cpu, node.cpu_milli),
        fraction(used.memory + want.memory, node.memory),
    ) {
        (Some(a), Some(b)) => ((a - b) / 2.0).abs(),
        _ => 0.0,
    };
    Some(((1.0 - std) * MAX_SCORE as f64) as i64)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{node, pod, template};
    use super::*;

    #[test]
    fn least_allocated_and_balanced_allocation_follow_upstream_arithmetic() {
        // least_allocated_test.go, "nothing scheduled, resources requested, differently
        // sized nodes": node1 4000m/10000, node2 6000m/10000; the pod asks 3000m/5000.
        let want = Requests {
            cpu: 3000,
            memory: 5000,
            nonzero_cpu: 3000,
            nonzero_memory: 5000,
            pods: 1,
        };
        let mut n1 = node("node1", &[]);
        (n1.cpu_milli, n1.memory) = (4000, 10000);
        let mut n2 = node("node2", &[]);
        (n2.cpu_milli, n2.memory) = (6000, 10000);
        let none = Requests::default();
        // cpu (4000-3000)*100/4000 = 25, memory 50: (25+50)/2 = 37; node2 (50+50)/2 = 50.
        assert_eq!(least_allocated(&want, &none, &n1), 37);
        assert_eq!(least_allocated(&want, &none, &n2), 50);
        // balanced_allocation_test.go: fractions 0.75/0.5 → 1 − 0.125 → 87; 0.5/0.5 → 100.
        assert_eq!(balanced_allocation(&want, &none, &n1), Some(87));
        assert_eq!(balanced_allocation(&want, &none, &n2), Some(100));
        // BestEffort pods skip BalancedAllocation.
        assert_eq!(balanced_allocation(&Requests::default(), &none, &n1), None);
    }

    #[test]
    fn missing_requests_score_as_100m_and_200mi_but_do_not_fill_the_node() {
        let p = pod(None, &[], &template(""));
        let r = Requests::of(&p);
        assert_eq!((r.cpu, r.memory), (0, 0));
        assert_eq!((r.nonzero_cpu, r.nonzero_memory), (100, 200 * 1024 * 1024));
        let n = node("node1", &[]);
        assert!(filter(&r, &Requests::default(), &n).is_ok());
    }

    #[test]
    fn too_big_for_the_node_is_unresolvable_too_big_for_what_is_left_is_not() {
        let n = node("node1", &[]);
        let big = Requests {
            cpu: 5000,
            ..Requests::default()
        };
        let r = filter(&big, &Requests::default(), &n).unwrap_err();
        assert_eq!(
            (r.reasons, r.unresolvable),
            (vec!["Insufficient cpu"], true)
        );
        let used = Requests {
            cpu: 3500,
            memory: 8 << 30,
            pods: 110,
            ..Requests::default()
        };
        let want = Requests {
            cpu: 1000,
            memory: 1,
            ..Requests::default()
        };
        let r = filter(&want, &used, &n).unwrap_err();
        assert_eq!(
            (r.reasons, r.unresolvable),
            (
                vec!["Too many pods", "Insufficient cpu", "Insufficient memory"],
                false
            )
        );
    }
}
