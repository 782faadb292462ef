//! The QoS class Kubernetes assigns a pod (`pkg/apis/core/helper/qos/qos.go`
//! `ComputePodQOS`), after the defaulting of `SetDefaults_Pod`: a limit without a request
//! key makes the request equal to the limit.

use serde::Serialize;

use crate::model::{Quantity, containers};
use crate::yaml::Node;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum QosClass {
    Guaranteed,
    Burstable,
    BestEffort,
}

impl QosClass {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Guaranteed => "Guaranteed",
            Self::Burstable => "Burstable",
            Self::BestEffort => "BestEffort",
        }
    }
}

/// Only cpu and memory decide the class (`supportedQoSComputeResources`).
const RESOURCES: [&str; 2] = ["cpu", "memory"];

#[derive(Default)]
struct Totals {
    requests: [Option<Quantity>; 2],
    limits: [Option<Quantity>; 2],
}

fn quantity(node: Option<&Node>, resource: &str) -> Option<Quantity> {
    let value = node?.get(resource)?;
    let text = match value.resolve()? {
        crate::yaml::Resolved::Str(s) => s.to_owned(),
        crate::yaml::Resolved::Int(i) => i.to_string(),
        crate::yaml::Resolved::Float(f) => f.to_string(),
        _ => return None,
    };
    Quantity::parse(&text).ok()
}

fn add(slot: &mut Option<Quantity>, q: Quantity) {
    *slot = Some(slot.map_or(q, |s| s.saturating_add(q)));
}

/// The QoS class of a pod spec (a Pod's `spec` or a template's `spec`).
#[must_use]
pub fn pod_qos(spec: &Node) -> QosClass {
    // Pod-level resources (PodLevelResources, beta and on since 1.34): when they name cpu or
    // memory, only they count.
    if let Some(pod_res) = spec.get("resources") {
        let requests = pod_res.get("requests");
        let limits = pod_res.get("limits");
        let names_any = RESOURCES
            .iter()
            .any(|r| quantity(requests, r).is_some() || quantity(limits, r).is_some());
        if names_any {
            let mut t = Totals::default();
            for (i, r) in RESOURCES.iter().enumerate() {
                let limit = quantity(limits, r).filter(|q| q.nanos() > 0);
                let request = requests
                    .and_then(|n| n.get(r))
                    .map_or(limit, |_| quantity(requests, r))
                    .filter(|q| q.nanos() > 0);
                t.requests[i] = request;
                t.limits[i] = limit;
            }
            let all_limits = t.limits.iter().all(Option::is_some);
            return classify(&t, all_limits);
        }
    }
    let mut t = Totals::default();
    let mut all_limits = true;
    for c in containers(spec, "spec") {
        let res = c.node.get("resources");
        let requests = res.and_then(|r| r.get("requests"));
        let limits = res.and_then(|r| r.get("limits"));
        for (i, r) in RESOURCES.iter().enumerate() {
            let limit = quantity(limits, r).filter(|q| q.nanos() > 0);
            // Defaulting: a limit with no request key sets the request; an explicit "0" stays.
            let request = if requests.and_then(|n| n.get(r)).is_some() {
                quantity(requests, r)
            } else {
                limit
            };
            if let Some(q) = request.filter(|q| q.nanos() > 0) {
                add(&mut t.requests[i], q);
            }
            match limit {
                Some(q) => add(&mut t.limits[i], q),
                None => all_limits = false,
            }
        }
    }
    classify(&t, all_limits)
}

fn classify(t: &Totals, all_limits: bool) -> QosClass {
    let none = |s: &[Option<Quantity>; 2]| s.iter().all(Option::is_none);
    if none(&t.requests) && none(&t.limits) {
        return QosClass::BestEffort;
    }
    if all_limits && t.requests == t.limits {
        return QosClass::Guaranteed;
    }
    QosClass::Burstable
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, parse};

    fn qos(containers: &str) -> QosClass {
        let text = format!("containers:\n{containers}");
        let root = parse(&text, &Limits::default())
            .documents
            .remove(0)
            .root
            .unwrap();
        pod_qos(&root)
    }

    fn c(req: &str, lim: &str) -> String {
        format!(
            "  - name: c\n    image: x:1\n    resources:\n      requests: {{{req}}}\n      limits: {{{lim}}}\n"
        )
    }

    // The table of TestComputePodQOS (pkg/apis/core/v1/helper/qos/qos_test.go).
    #[test]
    fn upstream_table() {
        assert_eq!(
            qos(&c("cpu: 100m, memory: 100Mi", "cpu: 100m, memory: 100Mi")),
            QosClass::Guaranteed
        );
        assert_eq!(
            qos(&(c("cpu: 100m, memory: 100Mi", "cpu: 100m, memory: 100Mi")
                + &c("cpu: 100m, memory: 100Mi", "cpu: 100m, memory: 100Mi"))),
            QosClass::Guaranteed
        );
        assert_eq!(qos("  - name: c\n    image: x:1\n"), QosClass::BestEffort);
        assert_eq!(
            qos(&(c("", "") + &c("cpu: 1", "cpu: 2"))),
            QosClass::Burstable
        );
        assert_eq!(
            qos(&(c("", "") + &c("cpu: 10m, memory: 100Mi", "cpu: 10m, memory: 100Mi"))),
            QosClass::Burstable
        );
        assert_eq!(
            qos(&c("memory: 100Mi", "memory: 100Mi")),
            QosClass::Burstable
        );
        assert_eq!(qos(&c("cpu: 100m, memory: 100Mi", "")), QosClass::Burstable);
        assert_eq!(
            qos(&(c("cpu: 1, memory: 100Mi", "cpu: 2, memory: 100Mi")
                + &c("cpu: 100m, memory: 100Mi", "cpu: 100m, memory: 100Mi"))),
            QosClass::Burstable
        );
        assert_eq!(
            qos(&(c("cpu: 100m, memory: 100Mi", "cpu: 200m, memory: 200Mi")
                + &c("cpu: 100m, memory: 100Mi", ""))),
            QosClass::Burstable
        );
        assert_eq!(
            qos(&c("cpu: 0, memory: 0", "cpu: 100m, memory: 200Mi")),
            QosClass::Burstable
        );
        assert_eq!(
            qos(&c(
                "cpu: 0, memory: 0, hugepages-2Mi: 1Gi",
                "cpu: 0, memory: 0, hugepages-2Mi: 1Gi"
            )),
            QosClass::BestEffort
        );
    }

    #[test]
    fn limits_only_is_guaranteed_after_defaulting() {
        assert_eq!(
            qos(&c("", "cpu: 500m, memory: 256Mi")),
            QosClass::Guaranteed
        );
        // Numerically equal spellings match.
        assert_eq!(
            qos(&c("cpu: \"0.5\", memory: 1Gi", "cpu: 500m, memory: 1024Mi")),
            QosClass::Guaranteed
        );
        assert_eq!(
            qos(&c("cpu: 1, memory: 1G", "cpu: 1, memory: 1Gi")),
            QosClass::Burstable
        );
    }

    #[test]
    fn an_init_container_without_limits_demotes_the_pod() {
        let text = format!(
            "initContainers:\n  - name: init\n    image: x:1\n    resources:\n      requests: {{cpu: 10m, memory: 100Mi}}\n      limits: {{cpu: 100m, memory: 200Mi}}\ncontainers:\n{}",
            c("cpu: 100m, memory: 100Mi", "cpu: 100m, memory: 100Mi")
        );
        let root = parse(&text, &Limits::default())
            .documents
            .remove(0)
            .root
            .unwrap();
        assert_eq!(pod_qos(&root), QosClass::Burstable);
    }

    #[test]
    fn pod_level_resources_decide_alone() {
        let text = "resources:\n  requests: {cpu: 10m, memory: 100Mi}\n  limits: {cpu: 10m, memory: 100Mi}\ncontainers:\n  - name: c\n    image: x:1\n";
        let root = parse(text, &Limits::default())
            .documents
            .remove(0)
            .root
            .unwrap();
        assert_eq!(pod_qos(&root), QosClass::Guaranteed);
        let text = "resources:\n  requests: {cpu: 10m, memory: 10Mi}\n  limits: {cpu: 20m, memory: 50Mi}\ncontainers:\n  - name: c\n    image: x:1\n    resources:\n      requests: {cpu: 5m, memory: 10Mi}\n      limits: {cpu: 5m, memory: 10Mi}\n";
        let root = parse(text, &Limits::default())
            .documents
            .remove(0)
            .root
            .unwrap();
        assert_eq!(pod_qos(&root), QosClass::Burstable);
    }
}
