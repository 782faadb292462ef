//! Deployments and their ReplicaSets (apps/v1). A Deployment is the applied manifest with
//! `SetDefaults_Deployment`, its current template (after `set image`, `rollout restart` or
//! `undo`), the revision annotation and the status the Deployment controller writes
//! (`pkg/controller/deployment/sync.go` `calculateStatus`, conditions from `progress.go`
//! with `util/deployment_util.go`'s messages). A ReplicaSet is what the controller created:
//! the template with the `pod-template-hash` label, the desired/max/revision annotations
//! and a controller reference to the Deployment.

use super::defaults::{self, SpecOf};
use super::{Ctx, meta, object};
use crate::sim::timeline::{DeploymentView, ReplicaSetView};
use crate::value::{Value, map};

pub(super) fn deployments(ctx: &Ctx<'_>) -> Vec<Value> {
    ctx.snap
        .deployments
        .iter()
        .filter(|d| ctx.wants(&d.name))
        .map(|d| deployment(ctx, d))
        .collect()
}

pub(super) fn replica_sets(ctx: &Ctx<'_>) -> Vec<Value> {
    ctx.snap
        .replica_sets
        .iter()
        .filter(|r| ctx.wants(&r.name))
        .map(|r| replica_set(ctx, r))
        .collect()
}

/// The stored Deployment: (source, creation time, generation).
fn stored<'a>(
    ctx: &'a Ctx<'_>,
    d: &DeploymentView,
) -> Option<&'a crate::sim::stored::StoredObject> {
    ctx.snap
        .stored
        .get(&("Deployment".to_owned(), d.namespace.clone(), d.name.clone()))
}

/// A pod template as stored in a workload: defaulted, with a null creation timestamp (Go
/// marshals the zero `metav1.Time` of an embedded ObjectMeta as `null`).
fn template(source: &Value, extra_label: Option<(&str, &str)>) -> Value {
    let mut t = source.clone();
    let m = t.map_mut("metadata");
    m.set("creationTimestamp", Value::Null);
    if let Some((k, v)) = extra_label {
        m.map_mut("labels").set(k, v);
    }
    defaults::pod_spec(t.map_mut("spec"), SpecOf::Template);
    t
}

fn newest_rs<'a>(ctx: &'a Ctx<'_>, d: &DeploymentView) -> Option<&'a ReplicaSetView> {
    ctx.snap
        .replica_sets
        .iter()
        .filter(|r| r.deployment.as_deref() == Some(d.name.as_str()))
        .max_by_key(|r| r.revision)
}

fn deployment(ctx: &Ctx<'_>, d: &DeploymentView) -> Value {
    let stored = stored(ctx, d);
    let created = stored.map_or_else(
        || ctx.first_seen(&d.name),
        |s| {
            #[allow(clippy::cast_precision_loss)]
            let t = s.created as f64 / 1000.0;
            t
        },
    );
    let generation = stored.map_or(1, |s| s.generation);
    let version = ctx.version(|s| {
        s.deployments.iter().any(|x| x == d)
            && stored.is_none_or(|st| {
                s.stored
                    .get(&("Deployment".to_owned(), d.namespace.clone(), d.name.clone()))
                    == Some(st)
            })
    });
    let mut m = meta::metadata("Deployment", &d.namespace, &d.name, created, version);
    m.set("generation", generation);
    let source = stored.map(|s| (*s.source).clone()).unwrap_or_default();
    meta::applied(&mut m, &source, &d.namespace);
    m.map_mut("annotations")
        .set("deployment.kubernetes.io/revision", d.revision.to_string());
    let mut spec = source.get("spec").cloned().unwrap_or_default();
    spec.set("replicas", d.desired_replicas);
    spec.set("template", template(&d.template.0.source, None));
    defaults::deployment_spec(&mut spec);

    let rs_name = newest_rs(ctx, d).map_or("", |r| r.name.as_str());
    let mut status = map([("observedGeneration", generation.into())]);
    for (key, n) in [
        ("replicas", d.replicas),
        ("updatedReplicas", d.updated_replicas),
        ("readyReplicas", d.ready_replicas),
        ("availableReplicas", d.available_replicas),
        (
            "unavailableReplicas",
            (d.replicas - d.available_replicas).max(0),
        ),
    ] {
        if n != 0 {
            status.set(key, n);
        }
    }
    let conditions: Vec<Value> = d
        .conditions
        .iter()
        .map(|c| {
            let same = |s: &crate::sim::Snapshot| {
                s.deployments.iter().any(|x| {
                    x.name == d.name
                        && x.conditions
                            .iter()
                            .any(|y| y.kind == c.kind && y.status == c.status)
                })
            };
            let transition = ctx.since(same);
            let updated = ctx.since(|s| {
                s.deployments
                    .iter()
                    .any(|x| x.name == d.name && x.conditions.contains(c))
            });
            map([
                ("lastTransitionTime", meta::time(transition)),
                ("lastUpdateTime", meta::time(updated)),
                ("message", deployment_message(&c.reason, rs_name).into()),
                ("reason", c.reason.as_str().into()),
                ("status", c.status.as_str().into()),
                ("type", c.kind.as_str().into()),
            ])
        })
        .collect();
    if !conditions.is_empty() {
        status.set("conditions", conditions);
    }
    let mut obj = object("apps/v1", "Deployment", m);
    obj.set("spec", spec);
    obj.set("status", status);
    obj
}

/// The controller's condition messages (`util/deployment_util.go`, `progress.go`).
fn deployment_message(reason: &str, rs: &str) -> String {
    match reason {
        "MinimumReplicasAvailable" => "Deployment has minimum availability.".into(),
        "MinimumReplicasUnavailable" => "Deployment does not have minimum availability.".into(),
        "NewReplicaSetCreated" => format!("Created new replica set \"{rs}\""),
        "FoundNewReplicaSet" => format!("Found new replica set \"{rs}\""),
        "ReplicaSetUpdated" => format!("ReplicaSet \"{rs}\" is progressing."),
        "NewReplicaSetAvailable" => format!("ReplicaSet \"{rs}\" has successfully progressed."),
        "ProgressDeadlineExceeded" => format!("ReplicaSet \"{rs}\" has timed out progressing."),
        "DeploymentPaused" => "Deployment is paused".into(),
        "DeploymentResumed" => "Deployment is resumed".into(),
        other => other.into(),
    }
}

fn replica_set(ctx: &Ctx<'_>, r: &ReplicaSetView) -> Value {
    let created = ctx.first_seen(&r.name);
    let version = ctx.version(|s| s.replica_sets.iter().any(|x| x == r));
    let mut m = meta::metadata("ReplicaSet", &r.namespace, &r.name, created, version);
    let owner = r
        .deployment
        .as_deref()
        .and_then(|n| ctx.snap.deployments.iter().find(|d| d.name == n));
    let hash = r
        .deployment
        .as_deref()
        .and_then(|d| r.name.strip_prefix(d)?.strip_prefix('-'))
        .unwrap_or("");
    let source_meta = r.template.0.source.get("metadata");
    if let Some(labels) = source_meta.and_then(|s| s.get("labels")) {
        m.set("labels", labels.clone());
    }
    m.map_mut("labels").set("pod-template-hash", hash);
    let mut generation = 1;
    let mut selector = map([]);
    if let Some(d) = owner {
        let stored = stored(ctx, d);
        let created = stored.map_or(0.0, |s| {
            #[allow(clippy::cast_precision_loss)]
            let t = s.created as f64 / 1000.0;
            t
        });
        m.set(
            "ownerReferences",
            meta::controller_ref(
                "apps/v1",
                "Deployment",
                &d.name,
                &meta::uid("Deployment", &d.namespace, &d.name, created),
            ),
        );
        let annotations = m.map_mut("annotations");
        annotations.set(
            "deployment.kubernetes.io/desired-replicas",
            d.desired_replicas.to_string(),
        );
        annotations.set(
            "deployment.kubernetes.io/max-replicas",
            d.max_total.to_string(),
        );
        annotations.set("deployment.kubernetes.io/revision", r.revision.to_string());
        if let Some(s) = stored.and_then(|s| s.source.at("spec.selector")) {
            selector = s.clone();
        }
        // The controller writes the ReplicaSet once per scale or template change.
        generation = ctx
            .view
            .timeline
            .timeline
            .iter()
            .take(ctx.index + 1)
            .filter_map(|s| s.replica_sets.iter().find(|x| x.name == r.name))
            .map(|x| x.replicas)
            .fold((0, None), |(n, last), replicas| {
                (n + i64::from(last != Some(replicas)), Some(replicas))
            })
            .0
            .max(1);
    }
    selector
        .map_mut("matchLabels")
        .set("pod-template-hash", hash);
    m.set("generation", generation);
    let spec = map([
        ("replicas", r.replicas.into()),
        ("selector", selector),
        (
            "template",
            template(&r.template.0.source, Some(("pod-template-hash", hash))),
        ),
    ]);
    // `calculateStatus` counts the active (not terminating) pods.
    let active = ctx
        .snap
        .pods
        .iter()
        .filter(|p| {
            !p.terminating
                && p.owner
                    .as_deref()
                    .and_then(|o| o.strip_prefix("ReplicaSet/"))
                    == Some(r.name.as_str())
        })
        .count();
    let active = i64::try_from(active).unwrap_or(0);
    let mut status = map([
        ("observedGeneration", generation.into()),
        ("replicas", active.into()),
    ]);
    for (key, n) in [
        ("fullyLabeledReplicas", active),
        ("readyReplicas", r.ready_replicas),
        ("availableReplicas", r.available_replicas),
    ] {
        if n != 0 {
            status.set(key, n);
        }
    }
    let mut obj = object("apps/v1", "ReplicaSet", m);
    obj.set("spec", spec);
    obj.set("status", status);
    obj
}
