//! What an HPA targets and whether its metrics can work: a Resource metric on utilisation
//! needs every container of the target to request that resource, or the controller reports
//! `FailedGetResourceMetric` and never scales.

use serde::Serialize;

use crate::check::Context;
use crate::model::{Object, containers, pod_spec};
use crate::yaml::Node;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HpaFact {
    /// `Deployment/web`.
    pub target: String,
    pub target_found: bool,
    /// Each metric in words: `cpu at 60% of requests`.
    pub metrics: Vec<String>,
    /// Whether every container of the target requests each utilisation metric's resource.
    pub requests_ok: bool,
    pub min_replicas: i64,
    pub max_replicas: i64,
}

#[must_use]
pub fn hpa_of(ctx: &Context<'_>, hpa: &Object, root: &Node) -> Option<HpaFact> {
    let spec = root.get("spec")?;
    let target = spec.get("scaleTargetRef")?;
    let kind = target
        .get("kind")
        .and_then(Node::as_str)
        .unwrap_or("Deployment");
    let name = target.get("name").and_then(Node::as_str).unwrap_or("");
    let namespace = hpa.namespace.as_deref().unwrap_or("");
    let mut metrics = Vec::new();
    let mut utilization_resources = Vec::new();
    for m in spec
        .get("metrics")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
    {
        let Some(res) = m.get("resource") else {
            let kind = m.get("type").and_then(Node::as_str).unwrap_or("?");
            metrics.push(format!("{kind} metric"));
            continue;
        };
        let resource = res.get("name").and_then(Node::as_str).unwrap_or("?");
        match res.at("target.averageUtilization").and_then(Node::as_i64) {
            Some(u) => {
                metrics.push(format!("{resource} at {u}% of requests"));
                utilization_resources.push(resource.to_owned());
            }
            None => {
                let v = res
                    .at("target.averageValue")
                    .and_then(|v| v.as_scalar())
                    .map_or("?", |s| s.value.as_str());
                metrics.push(format!("{resource} averaging {v} per pod"));
            }
        }
    }
    if let Some(v1) = spec
        .get("targetCPUUtilizationPercentage")
        .and_then(Node::as_i64)
    {
        metrics.push(format!("cpu at {v1}% of requests"));
        utilization_resources.push("cpu".into());
    }
    if metrics.is_empty() {
        // SetDefaults_HorizontalPodAutoscaler: CPU at 80%.
        metrics.push("cpu at 80% of requests (the default)".into());
        utilization_resources.push("cpu".into());
    }
    let found = ctx.find(kind, name, namespace);
    let requests_ok = found.is_some_and(|(_, root)| {
        pod_spec(kind, root).is_some_and(|(spec, path)| {
            containers(spec, path).iter().filter(|c| !c.init).all(|c| {
                utilization_resources.iter().all(|r| {
                    let res = c.node.get("resources");
                    ["requests", "limits"]
                        .iter()
                        .any(|k| res.and_then(|x| x.get(k)).and_then(|m| m.get(r)).is_some())
                })
            })
        })
    });
    Some(HpaFact {
        target: format!("{kind}/{name}"),
        target_found: found.is_some(),
        metrics,
        requests_ok,
        min_replicas: spec.get("minReplicas").and_then(Node::as_i64).unwrap_or(1),
        max_replicas: spec.get("maxReplicas").and_then(Node::as_i64).unwrap_or(0),
    })
}
