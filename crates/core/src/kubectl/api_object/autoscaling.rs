//! HorizontalPodAutoscalers (autoscaling/v2): the applied manifest with
//! `SetDefaults_HorizontalPodAutoscaler`, and the status the HPA controller writes
//! (`pkg/controller/podautoscaler/horizontal.go`: current and desired replicas, the CPU
//! metric it read, the last rescale, and the AbleToScale / ScalingActive / ScalingLimited
//! conditions with its messages).

use super::defaults;
use super::{Ctx, meta, object};
use crate::sim::timeline::HpaView;
use crate::value::{Value, map};

pub(super) fn hpas(ctx: &Ctx<'_>) -> Vec<Value> {
    ctx.snap
        .hpas
        .iter()
        .filter(|h| ctx.wants(&h.name))
        .map(|h| hpa(ctx, h))
        .collect()
}

/// The controller's condition messages for each reason (`horizontal.go`).
fn message(reason: &str, desired: i64) -> String {
    match reason {
        "ReadyForNewScale" => "recommended size matches current size".into(),
        "SucceededRescale" => {
            format!("the HPA controller was able to update the target scale to {desired}")
        }
        "ScaleDownStabilized" => "recent recommendations were higher than current one, applying the highest recent recommendation".into(),
        "ScaleUpStabilized" => "recent recommendations were lower than current one, applying the lowest recent recommendation".into(),
        "ValidMetricFound" => "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)".into(),
        "ScalingDisabled" => "scaling is disabled since the replica count of the target is zero".into(),
        "FailedGetResourceMetric" => "the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API".into(),
        "FailedGetScale" => "the HPA controller was unable to get the target's current scale".into(),
        "DesiredWithinRange" => "the desired count is within the acceptable range".into(),
        "TooManyReplicas" => "the desired replica count is more than the maximum replica count".into(),
        "TooFewReplicas" => "the desired replica count is less than the minimum replica count".into(),
        "ScaleUpLimit" => "the desired replica count is increasing faster than the maximum scale rate".into(),
        "ScaleDownLimit" => "the desired replica count is decreasing faster than the maximum scale rate".into(),
        other => other.into(),
    }
}

fn hpa(ctx: &Ctx<'_>, h: &HpaView) -> Value {
    let ns = ctx.view.namespace;
    let key = (
        "HorizontalPodAutoscaler".to_owned(),
        ns.to_owned(),
        h.name.clone(),
    );
    let stored = ctx.snap.stored.get(&key);
    #[allow(clippy::cast_precision_loss)]
    let created = stored.map_or(0.0, |s| s.created as f64 / 1000.0);
    let version = ctx.version(|s| s.hpas.iter().any(|x| x == h) && s.stored.get(&key) == stored);
    let mut m = meta::metadata("HorizontalPodAutoscaler", ns, &h.name, created, version);
    let source = stored.map(|s| (*s.source).clone()).unwrap_or_default();
    meta::applied(&mut m, &source, ns);
    let mut spec = source.get("spec").cloned().unwrap_or_default();
    defaults::hpa_spec(&mut spec);

    let mut status = map([
        ("currentReplicas", h.current_replicas.into()),
        ("desiredReplicas", h.desired_replicas.into()),
    ]);
    let object_name = format!("horizontalpodautoscaler/{}", h.name);
    if let Some(last) = ctx
        .view
        .timeline
        .events
        .iter()
        .filter(|e| e.t <= ctx.view.t && e.reason == "SuccessfulRescale" && e.object == object_name)
        .map(|e| e.t)
        .next_back()
    {
        status.set("lastScaleTime", meta::time(last));
    }
    if let (Some(u), Some(cpu)) = (h.current_utilization, &h.cpu) {
        status.set(
            "currentMetrics",
            vec![map([
                (
                    "resource",
                    map([
                        (
                            "current",
                            map([
                                ("averageUtilization", u.into()),
                                ("averageValue", format!("{}m", cpu.usage_milli).into()),
                            ]),
                        ),
                        ("name", "cpu".into()),
                    ]),
                ),
                ("type", "Resource".into()),
            ])],
        );
    }
    let conditions: Vec<Value> = h
        .conditions
        .iter()
        .map(|c| {
            let since = ctx.since(|s| {
                s.hpas.iter().any(|x| {
                    x.name == h.name
                        && x.conditions
                            .iter()
                            .any(|y| y.kind == c.kind && y.status == c.status)
                })
            });
            map([
                ("lastTransitionTime", meta::time(since)),
                ("message", message(&c.reason, h.desired_replicas).into()),
                ("reason", c.reason.as_str().into()),
                ("status", c.status.as_str().into()),
                ("type", c.kind.as_str().into()),
            ])
        })
        .collect();
    if !conditions.is_empty() {
        status.set("conditions", conditions);
    }
    let mut obj = object("autoscaling/v2", "HorizontalPodAutoscaler", m);
    obj.set("spec", spec);
    obj.set("status", status);
    obj
}
