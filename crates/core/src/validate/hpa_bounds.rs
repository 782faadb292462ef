//! ## What it does
//! Checks a HorizontalPodAutoscaler as the API server does
//! (`pkg/apis/autoscaling/validation/validation.go` `validateHorizontalPodAutoscalerSpec`,
//! `validateMetricSpec`, `validateResourceSource`, `validateMetricTarget`): `minReplicas` at
//! least 1, `maxReplicas` above 0 and at least `minReplicas`; each metric filled in for its
//! `type` only; targets with a valid type, positive values, and for Resource metrics a
//! utilization or an average value (not both); v1 `targetCPUUtilizationPercentage` above 0.
//!
//! ## Why
//! The autoscaler moves replicas between the bounds towards the target. Bounds the wrong
//! way round leave it no valid count, and a Resource metric with neither a utilization nor a
//! value gives it nothing to aim at.
//!
//! ## Example
//! ```yaml
//! minReplicas: 5
//! maxReplicas: 2
//! ```
//! ## Fix
//! `maxReplicas` at least `minReplicas` (e.g. 2 and 10).

use super::api;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::Object;
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "hpa-bounds",
    severity: Severity::Error,
    source: Source::Api,
    title: "Autoscaler bounds or metrics invalid",
    why: "A HorizontalPodAutoscaler keeps replicas between `minReplicas` (at least 1, the \
          default) and `maxReplicas`, aiming each metric at its target. The API server \
          refuses bounds the wrong way round, metrics whose fields do not match their `type`, \
          and targets that are not positive.",
    fix: "Set `maxReplicas` ≥ `minReplicas` ≥ 1; for CPU write `type: Resource`, \
          `resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}`.",
    docs: "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

const SOURCES: [(&str, &str); 5] = [
    ("Object", "object"),
    ("Pods", "pods"),
    ("Resource", "resource"),
    ("External", "external"),
    ("ContainerResource", "containerResource"),
];

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in api::objects(ctx) {
        if kind != "HorizontalPodAutoscaler" {
            continue;
        }
        let Some(spec) = root.get("spec") else {
            continue;
        };
        let min = api::int_at(spec, "minReplicas");
        if let Some((n, v)) = min
            && v < 1
        {
            let body = api::invalid(&v.to_string(), "must be greater than or equal to 1");
            out.push(
                api::error(ctx, &RULE, object, n.range, "spec.minReplicas", &body)
                    .help("Use `minReplicas: 1` or more; to stop a workload, scale it to 0 and delete the autoscaler."),
            );
        }
        if let Some((n, max)) = api::int_at(spec, "maxReplicas") {
            if max < 1 {
                let body = api::invalid(&max.to_string(), "must be greater than 0");
                out.push(api::error(
                    ctx,
                    &RULE,
                    object,
                    n.range,
                    "spec.maxReplicas",
                    &body,
                ));
            }
            if let Some((_, min)) = min
                && max < min
            {
                let body = api::invalid(
                    &max.to_string(),
                    "must be greater than or equal to `minReplicas`",
                );
                out.push(
                    api::error(ctx, &RULE, object, n.range, "spec.maxReplicas", &body).help(
                        format!("Raise `maxReplicas` to at least {min}, or lower `minReplicas`."),
                    ),
                );
            }
        }
        if let Some((n, v)) = api::int_at(spec, "targetCPUUtilizationPercentage")
            && v < 1
        {
            let body = api::invalid(&v.to_string(), "must be greater than 0");
            out.push(api::error(
                ctx,
                &RULE,
                object,
                n.range,
                "spec.targetCPUUtilizationPercentage",
                &body,
            ));
        }
        for (i, m) in api::items(spec, "metrics").iter().enumerate() {
            metric(ctx, object, m, &format!("spec.metrics[{i}]"), out);
        }
    }
}

fn metric(ctx: &Context<'_>, object: &Object, m: &Node, path: &str, out: &mut Vec<Diagnostic>) {
    let ty = m.get("type").and_then(Node::as_str);
    let present: Vec<(&str, &crate::yaml::Entry)> = SOURCES
        .iter()
        .filter_map(|(_, f)| m.entry(f).filter(|e| !e.value.is_null()).map(|e| (*f, e)))
        .collect();
    let expected = ty.and_then(|t| SOURCES.iter().find(|(k, _)| *k == t).map(|(_, f)| *f));
    if let Some(field) = expected
        && !present.iter().any(|(f, _)| *f == field)
    {
        let range = m.get("type").map_or(m.range, |n| n.range);
        let body = api::required("must populate information for the given metric source");
        out.push(
            api::error(ctx, &RULE, object, range, &format!("{path}.{field}"), &body).help(format!(
                "`type: {}` reads its settings from `{field}:`; add it (or fix the type).",
                ty.unwrap_or_default()
            )),
        );
    }
    if present.len() > 1
        || (expected.is_some() && present.len() == 1 && Some(present[0].0) != expected)
    {
        for (f, e) in &present {
            if Some(*f) != expected {
                let body = api::forbidden("must populate the given metric source only");
                out.push(api::error(
                    ctx,
                    &RULE,
                    object,
                    e.key.range,
                    &format!("{path}.{f}"),
                    &body,
                ));
            }
        }
    }
    for (f, e) in &present {
        if Some(*f) != expected {
            continue;
        }
        let src = &e.value;
        let Some(target) = src.get("target").filter(|t| t.as_mapping().is_some()) else {
            continue;
        };
        let tpath = format!("{path}.{f}.target");
        target_errors(ctx, object, target, &tpath, out);
        if matches!(*f, "resource" | "containerResource") {
            let util = target.get("averageUtilization").filter(|n| !n.is_null());
            let avg = target.get("averageValue").filter(|n| !n.is_null());
            match (util, avg) {
                (None, None) => {
                    let body =
                        api::required("must set either a target raw value or a target utilization");
                    out.push(
                        api::error(ctx, &RULE, object, target.range, &format!("{tpath}.averageUtilization"), &body)
                            .help("Resource metrics are averaged over pods: use `averageUtilization: 70` (percent of requests) or `averageValue: 500m`, not `value`."),
                    );
                }
                (Some(_), Some(a)) => {
                    let body = api::forbidden(
                        "may not set both a target raw value and a target utilization",
                    );
                    out.push(api::error(
                        ctx,
                        &RULE,
                        object,
                        a.range,
                        &format!("{tpath}.averageValue"),
                        &body,
                    ));
                }
                _ => {}
            }
        }
    }
}

/// `validateMetricTarget`.
fn target_errors(
    ctx: &Context<'_>,
    object: &Object,
    t: &Node,
    path: &str,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(n) = t.get("type")
        && let Some(ty) = n.as_str()
        && !matches!(ty, "Utilization" | "Value" | "AverageValue")
    {
        let body = api::invalid(
            &api::q(ty),
            "must be either Utilization, Value, or AverageValue",
        );
        out.push(api::error(
            ctx,
            &RULE,
            object,
            n.range,
            &format!("{path}.type"),
            &body,
        ));
    }
    for f in ["value", "averageValue"] {
        if let Some(n) = t.get(f)
            && let Some(q) = api::quantity(n)
            && q <= crate::model::Quantity::from_units(0)
        {
            let body = api::invalid(&api::q(&api::canonical(q)), "must be positive");
            out.push(api::error(
                ctx,
                &RULE,
                object,
                n.range,
                &format!("{path}.{f}"),
                &body,
            ));
        }
    }
    if let Some((n, v)) = api::int_at(t, "averageUtilization")
        && v < 1
    {
        let body = api::invalid(&v.to_string(), "must be greater than 0");
        out.push(api::error(
            ctx,
            &RULE,
            object,
            n.range,
            &format!("{path}.averageUtilization"),
            &body,
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const HPA: &str = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  minReplicas: 2\n  maxReplicas: 10\n  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target:\n          type: Utilization\n          averageUtilization: 70\n";

    #[test]
    fn good_cpu_utilization() {
        assert!(lines_of(HPA, "hpa-bounds").is_empty());
    }

    #[test]
    fn bad_max_below_min() {
        let text = HPA.replace("maxReplicas: 10", "maxReplicas: 1");
        assert_eq!(lines_of(&text, "hpa-bounds"), vec![11]);
    }

    #[test]
    fn bad_value_on_resource_metric() {
        let text = HPA.replace(
            "type: Utilization\n          averageUtilization: 70",
            "type: Value\n          value: 500m",
        );
        assert_eq!(lines_of(&text, "hpa-bounds"), vec![17]);
    }
}
