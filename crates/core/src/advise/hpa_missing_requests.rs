//! ## What it does
//! Flags a HorizontalPodAutoscaler that scales on CPU or memory *utilization* when a
//! container of its target has no request for that resource.
//!
//! ## Why
//! Utilization is usage divided by request. When any container of the pods has no request
//! (and no limit, which would default it), the HPA cannot compute it: it reports
//! `FailedGetResourceMetric` with `missing request for cpu` and never scales. This covers
//! `averageUtilization` metrics of autoscaling/v2, `targetCPUUtilizationPercentage` of
//! autoscaling/v1, and the default both versions apply when no metric is written (80% CPU).
//!
//! ## Example
//! ```yaml
//! metrics:
//!   - type: Resource
//!     resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
//! ```
//! ## Fix
//! ```yaml
//! resources:
//!   requests: {cpu: 250m}
//! ```

use crate::advise::links::HpaTarget;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::{containers, pod_spec};
use crate::rule::Rule;
use crate::text::TextRange;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "hpa-missing-requests",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "HPA on utilization, but the target's containers request nothing",
    why: "Resource utilization is the pods' usage divided by their requests. If a container of \
          the target has no request (and no limit, from which the request would default), the \
          HorizontalPodAutoscaler cannot compute it: `kubectl describe hpa` shows \
          `FailedGetResourceMetric ... missing request for cpu`, and the workload is never \
          scaled, however high the load.",
    fix: "Give every container of the target a request for the metric's resource (for example \
          `resources.requests.cpu: 250m`), or scale on an `AverageValue` target instead.",
    docs: "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#how-does-a-horizontalpodautoscaler-work",
};

pub static CHECK: Check = Check { rule: &RULE, run };

/// One utilization metric: resource, optional container, the node to report on, its path.
struct Metric<'a> {
    resource: &'a str,
    container: Option<&'a str>,
    range: TextRange,
    field: String,
    target: String,
}

fn metrics<'a>(h: &HpaTarget<'a>) -> Vec<Metric<'a>> {
    let spec = h.root.get("spec");
    let fallback = || {
        spec.and_then(|s| s.entry("scaleTargetRef"))
            .map_or(h.name_node.range, |e| e.key.range)
    };
    let version = h.hpa.api_version.as_deref().unwrap_or("");
    if version == "autoscaling/v1" {
        // autoscaling/v1 defaults targetCPUUtilizationPercentage to 80 when absent.
        return match spec.and_then(|s| s.get("targetCPUUtilizationPercentage")) {
            Some(n) => vec![Metric {
                resource: "cpu",
                container: None,
                range: n.range,
                field: "spec.targetCPUUtilizationPercentage".into(),
                target: format!("{}%", n.as_scalar().map_or("", |s| s.value.as_str())),
            }],
            None => vec![Metric {
                resource: "cpu",
                container: None,
                range: fallback(),
                field: "spec.targetCPUUtilizationPercentage".into(),
                target: "80% (the default)".into(),
            }],
        };
    }
    let list = spec
        .and_then(|s| s.get("metrics"))
        .and_then(Node::as_sequence)
        .unwrap_or_default();
    if list.is_empty() {
        // SetDefaults_HorizontalPodAutoscaler (v2): no metrics means 80% average CPU utilization.
        return vec![Metric {
            resource: "cpu",
            container: None,
            range: fallback(),
            field: "spec.metrics".into(),
            target: "80% (the default when no metric is given)".into(),
        }];
    }
    let mut out = Vec::new();
    for (i, m) in list.iter().enumerate() {
        let (key, container) = match m.get("type").and_then(Node::as_str) {
            Some("Resource") => ("resource", None),
            Some("ContainerResource") => (
                "containerResource",
                m.at("containerResource.container").and_then(Node::as_str),
            ),
            _ => continue,
        };
        let Some(r) = m.get(key) else { continue };
        let Some(resource) = r.get("name").and_then(Node::as_str) else {
            continue;
        };
        if r.at("target.type").and_then(Node::as_str) != Some("Utilization") {
            continue;
        }
        let value = r.at("target.averageUtilization");
        out.push(Metric {
            resource,
            container,
            range: value.map_or(r.range, |v| v.range),
            field: format!("spec.metrics[{i}].{key}.target.averageUtilization"),
            target: format!(
                "{}%",
                value
                    .and_then(Node::as_scalar)
                    .map_or("?", |s| s.value.as_str())
            ),
        });
    }
    out
}

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for h in crate::advise::links::hpa_targets(ctx) {
        let Some((_, root)) = h.target else { continue };
        let Some((spec, path)) = pod_spec(h.target_kind, root) else {
            continue;
        };
        for m in metrics(&h) {
            // Pod-level resources (1.34+) give the HPA a pod request to divide by.
            if spec
                .at("resources.requests")
                .and_then(|r| r.get(m.resource))
                .is_some()
            {
                continue;
            }
            let lacking: Vec<&str> = containers(spec, path)
                .into_iter()
                .filter(|c| !c.init)
                .filter(|c| m.container.is_none() || c.name == m.container)
                .filter(|c| {
                    !["requests", "limits"].iter().any(|k| {
                        c.node
                            .get("resources")
                            .and_then(|r| r.get(k))
                            .and_then(|l| l.get(m.resource))
                            .is_some()
                    })
                })
                .map(|c| c.name.unwrap_or("?"))
                .collect();
            if lacking.is_empty() {
                continue;
            }
            let names = lacking
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                ctx.diag(
                    &RULE,
                    h.hpa,
                    m.range,
                    format!(
                        "HPA \"{}\" targets {} {} utilization, but container {names} of {} \"{}\" has no {} request: the HPA reports \"missing request for {}\" and never scales",
                        h.hpa.name_or_empty(),
                        m.target,
                        m.resource,
                        h.target_kind,
                        h.target_name,
                        m.resource,
                        m.resource
                    ),
                )
                .field(m.field),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    fn files(resources: &str, hpa_spec: &str, version: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n{resources}---\napiVersion: {version}\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}\n  minReplicas: 2\n  maxReplicas: 6\n{hpa_spec}"
        )
    }

    const CPU70: &str = "  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target:\n          type: Utilization\n          averageUtilization: 70\n";

    #[test]
    fn bad_v2_cpu_without_request() {
        let text = files(
            "          resources:\n            requests: {memory: 128Mi}\n",
            CPU70,
            "autoscaling/v2",
        );
        assert_eq!(lines_of(&text, "hpa-missing-requests"), vec![32]);
        let d = diagnostics_of(&text)
            .into_iter()
            .find(|d| d.code == "hpa-missing-requests")
            .unwrap();
        assert!(d.message.contains("70% cpu"), "{}", d.message);
        assert!(d.message.contains("container \"web\""), "{}", d.message);
    }

    #[test]
    fn bad_v1_and_default_metric() {
        let text = files(
            "",
            "  targetCPUUtilizationPercentage: 60\n",
            "autoscaling/v1",
        );
        assert_eq!(lines_of(&text, "hpa-missing-requests"), vec![24]);
        let text = files("", "", "autoscaling/v2");
        assert_eq!(lines_of(&text, "hpa-missing-requests"), vec![21]);
    }

    #[test]
    fn good_requests_limits_or_average_value() {
        let req = "          resources:\n            requests: {cpu: 250m, memory: 128Mi}\n";
        assert!(lines_of(&files(req, CPU70, "autoscaling/v2"), "hpa-missing-requests").is_empty());
        let lim = "          resources:\n            limits: {cpu: 500m}\n";
        assert!(lines_of(&files(lim, CPU70, "autoscaling/v2"), "hpa-missing-requests").is_empty());
        let avg = "  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target: {type: AverageValue, averageValue: 200m}\n";
        assert!(lines_of(&files("", avg, "autoscaling/v2"), "hpa-missing-requests").is_empty());
    }
}
