//! Pods: the template they were made from with the Pod defaults and the admission plugins'
//! changes, the node the scheduler bound them to, and the status the kubelet reports
//! (`pkg/kubelet/kubelet_pods.go` `generateAPIPodStatus`: conditions in the kubelet's order
//! PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled; container
//! statuses with state, lastState and restartCount; IPs, QoS class, start time).

use std::rc::Rc;

use super::defaults::{self, SpecOf};
use super::{Ctx, admission, meta, object};
use crate::sim::timeline::{ContainerView, PodView};
use crate::value::{Value, map};

/// `metadata.generation` of a pod: 1 (its spec never changes here); the kubelet reports it
/// back as `observedGeneration` (`PodObservedGenerationTracking`, GA in 1.35).
const GENERATION: i64 = 1;

pub(super) fn pods(ctx: &Ctx<'_>) -> Vec<Value> {
    ctx.snap
        .pods
        .iter()
        .filter(|p| ctx.wants(&p.name))
        .map(|p| pod(ctx, p))
        .collect()
}

/// `pod-template-hash` and the ReplicaSet's name, for a pod a Deployment made.
fn replica_set_of<'a>(ctx: &'a Ctx<'_>, p: &PodView) -> Option<(&'a str, &'a str)> {
    let rs = p.owner.as_deref()?.strip_prefix("ReplicaSet/")?;
    let view = ctx.snap.replica_sets.iter().find(|r| r.name == rs)?;
    let hash = view
        .deployment
        .as_deref()
        .and_then(|d| view.name.strip_prefix(d)?.strip_prefix('-'))
        .unwrap_or("");
    Some((view.name.as_str(), hash))
}

/// The uid of the pod's controller, as its own metadata carries it.
fn owner_uid(ctx: &Ctx<'_>, kind: &str, name: &str) -> String {
    meta::uid(kind, ctx.view.namespace, name, ctx.first_seen(name))
}

fn pod(ctx: &Ctx<'_>, p: &Rc<PodView>) -> Value {
    let uid = meta::uid("Pod", &p.namespace, &p.name, p.created_at);
    let source = &p.template.0.source;
    let version = ctx.version(|s| s.pods.iter().any(|q| Rc::ptr_eq(q, p)));
    let mut m = meta::metadata("Pod", &p.namespace, &p.name, p.created_at, version);
    m.set("uid", uid.as_str());
    m.set("generation", GENERATION);
    meta::user_metadata(&mut m, source.get("metadata"));
    if let Some(owner) = p.owner.as_deref()
        && let Some((kind, name)) = owner.split_once('/')
    {
        let api = match kind {
            "Job" => "batch/v1",
            _ => "apps/v1",
        };
        if kind != "StatefulSet" {
            m.set("generateName", format!("{name}-"));
        }
        if let Some((_, hash)) = replica_set_of(ctx, p) {
            m.map_mut("labels").set("pod-template-hash", hash);
        }
        m.set(
            "ownerReferences",
            meta::controller_ref(api, kind, name, &owner_uid(ctx, kind, name)),
        );
    } else if let Some(applied) = p.template.0.source.get("metadata") {
        // A pod applied by the learner: kubectl apply's annotation.
        let mut sent = map([
            ("apiVersion", "v1".into()),
            ("kind", "Pod".into()),
            ("metadata", applied.clone()),
        ]);
        if let Some(spec) = source.get("spec") {
            sent.set("spec", spec.clone());
        }
        meta::applied(&mut m, &sent, &p.namespace);
    }
    if p.terminating
        && let Some(killed) = event_time(ctx, p, "Killing")
    {
        let grace = p.template.0.termination_grace;
        #[allow(clippy::cast_precision_loss)]
        m.set("deletionTimestamp", meta::time(killed + grace as f64));
        m.set("deletionGracePeriodSeconds", grace);
    }
    let mut spec = source.get("spec").cloned().unwrap_or_default();
    defaults::pod_spec(&mut spec, SpecOf::Pod);
    admission::admit_pod(&mut spec, &uid, p.priority);
    if let Some(node) = &p.node {
        spec.set("nodeName", node.as_str());
    }
    let status = status(ctx, p, &spec);
    let mut obj = object("v1", "Pod", m);
    obj.set("spec", spec);
    obj.set("status", status);
    obj
}

/// The last event `reason` about the pod at or before now, in seconds.
fn event_time(ctx: &Ctx<'_>, p: &PodView, reason: &str) -> Option<f64> {
    let object = format!("pod/{}", p.name);
    ctx.view
        .timeline
        .events
        .iter()
        .filter(|e| {
            e.t <= ctx.view.t && e.t >= p.created_at && e.reason == reason && e.object == object
        })
        .map(|e| e.t)
        .next_back()
}

/// Times the pod's containers started, oldest first.
fn starts(ctx: &Ctx<'_>, p: &PodView) -> Vec<f64> {
    let object = format!("pod/{}", p.name);
    ctx.view
        .timeline
        .events
        .iter()
        .filter(|e| {
            e.t <= ctx.view.t && e.t >= p.created_at && e.reason == "Started" && e.object == object
        })
        .map(|e| e.t)
        .collect()
}

fn condition(kind: &str, ok: bool, since: f64, why: Option<(&str, String)>) -> Value {
    let mut c = map([
        ("lastProbeTime", Value::Null),
        ("lastTransitionTime", meta::time(since)),
        ("observedGeneration", GENERATION.into()),
        ("status", if ok { "True" } else { "False" }.into()),
        ("type", kind.into()),
    ]);
    if let Some((reason, message)) = why {
        c.set("message", message);
        c.set("reason", reason);
    }
    c
}

fn status(ctx: &Ctx<'_>, p: &Rc<PodView>, spec: &Value) -> Value {
    let mut s = map([
        ("observedGeneration", GENERATION.into()),
        ("phase", p.phase.into()),
        ("qosClass", p.qos.into()),
    ]);
    let Some(node) = &p.node else {
        // Not scheduled: the scheduler's condition only.
        let reason = p.reason.clone().unwrap_or_default();
        if !reason.is_empty() {
            s.set(
                "conditions",
                vec![condition(
                    "PodScheduled",
                    false,
                    ctx.since(|snap| {
                        snap.pods
                            .iter()
                            .any(|q| q.name == p.name && q.node.is_none())
                    }),
                    Some(("Unschedulable", reason)),
                )],
            );
        }
        return s;
    };
    let scheduled = event_time(ctx, p, "Scheduled").unwrap_or(p.created_at);
    let not_ready: Vec<&str> = p
        .containers
        .iter()
        .filter(|c| !c.ready)
        .map(|c| c.name.as_str())
        .collect();
    let ready_since = p.ready_since.filter(|_| p.ready).unwrap_or_else(|| {
        ctx.since(|snap| {
            snap.pods
                .iter()
                .any(|q| q.name == p.name && q.created_at == p.created_at && !q.ready)
        })
        .max(scheduled)
    });
    let unready = (!p.ready).then(|| {
        (
            "ContainersNotReady",
            format!("containers with unready status: [{}]", not_ready.join(" ")),
        )
    });
    s.set(
        "conditions",
        vec![
            condition("PodReadyToStartContainers", true, scheduled, None),
            condition("Initialized", true, scheduled, None),
            condition("Ready", p.ready, ready_since, unready.clone()),
            condition("ContainersReady", p.ready, ready_since, unready),
            condition("PodScheduled", true, scheduled, None),
        ],
    );
    let host_ip = host_ip(ctx, node);
    s.set("hostIP", host_ip.as_str());
    s.set("hostIPs", vec![map([("ip", host_ip.into())])]);
    if let Some(ip) = &p.ip {
        s.set("podIP", ip.as_str());
        s.set("podIPs", vec![map([("ip", ip.as_str().into())])]);
    }
    s.set("startTime", meta::time(scheduled));
    let starts = starts(ctx, p);
    // When the last instance ended: the kubelet's first report after its last start.
    let object = format!("pod/{}", p.name);
    let ended = starts.last().and_then(|from| {
        ctx.view
            .timeline
            .events
            .iter()
            .filter(|e| {
                e.t >= *from
                    && e.t <= ctx.view.t
                    && e.object == object
                    && matches!(e.reason, "OOMKilled" | "Killing" | "BackOff")
            })
            .map(|e| e.t)
            .next()
    });
    let statuses: Vec<Value> = p
        .containers
        .iter()
        .map(|c| container_status(p, c, spec, &starts, ended))
        .collect();
    s.set("containerStatuses", statuses);
    s
}

/// Nodes sit on a kind-like network: `node-N` (the Nth node) is 172.18.0.(N+1).
fn host_ip(ctx: &Ctx<'_>, node: &str) -> String {
    let index = ctx
        .snap
        .nodes
        .iter()
        .position(|n| n.name == node)
        .unwrap_or(0);
    format!("172.18.0.{}", index + 2)
}

fn container_status(
    p: &PodView,
    c: &ContainerView,
    spec: &Value,
    starts: &[f64],
    ended: Option<f64>,
) -> Value {
    let image = p
        .template
        .0
        .containers
        .iter()
        .find(|s| s.name == c.name)
        .map_or("", |s| s.image.as_str());
    let ran = c.state != "waiting" || c.restarts > 0 || c.last_reason.is_some();
    let container_id = |instance: u32| {
        format!(
            "containerd://{}",
            meta::digest(&format!(
                "{}/{}/{}/{instance}",
                p.name, p.created_at, c.name
            ))
        )
    };
    let mut s = map([
        ("name", c.name.as_str().into()),
        ("ready", c.ready.into()),
        ("restartCount", i64::from(c.restarts).into()),
        (
            "started",
            (c.state == "running" && (c.ready || !has_startup_probe(p, &c.name))).into(),
        ),
    ]);
    if ran {
        let reference = crate::sim::spec::docker_reference(image);
        let repo = reference
            .split_once('@')
            .map_or_else(
                || {
                    reference
                        .rsplit_once(':')
                        .map_or(reference.as_str(), |(r, _)| r)
                },
                |(r, _)| r,
            )
            .to_owned();
        s.set("image", reference.as_str());
        s.set(
            "imageID",
            format!("{repo}@sha256:{}", meta::digest(&reference)),
        );
        s.set("containerID", container_id(c.restarts));
    } else {
        s.set("image", image);
        s.set("imageID", "");
    }
    let started = c.started_at.or_else(|| starts.last().copied());
    let state = match c.state {
        "running" => map([(
            "running",
            map([("startedAt", meta::time(c.started_at.unwrap_or(0.0)))]),
        )]),
        "terminated" => map([(
            "terminated",
            map([
                ("containerID", container_id(c.restarts).into()),
                ("exitCode", i64::from(c.exit_code.unwrap_or(0)).into()),
                ("finishedAt", meta::time(c.finished_at.unwrap_or(0.0))),
                ("reason", c.reason.clone().unwrap_or_default().into()),
                ("startedAt", meta::time(started.unwrap_or(0.0))),
            ]),
        )]),
        _ => {
            let mut w = map([]);
            if let Some(r) = &c.reason {
                w.set("reason", r.as_str());
            }
            map([("waiting", w)])
        }
    };
    s.set("state", state);
    // The previous instance: it ran from the last-but-one start to about the last one.
    let last = match (&c.last_reason, c.restarts) {
        (Some(reason), n) if n > 0 => {
            let (from, to) = match starts {
                [.., a, b] if c.state == "running" => (*a, *b),
                [.., a] => (*a, c.finished_at.or(ended).unwrap_or(*a)),
                [] => (0.0, 0.0),
            };
            map([(
                "terminated",
                map([
                    ("containerID", container_id(n - 1).into()),
                    ("exitCode", i64::from(c.last_exit_code.unwrap_or(0)).into()),
                    ("finishedAt", meta::time(to)),
                    ("reason", reason.as_str().into()),
                    ("startedAt", meta::time(from)),
                ]),
            )])
        }
        _ => map([]),
    };
    s.set("lastState", last);
    if c.state == "running" {
        // `RecursiveReadOnlyMounts`: the runtime reports each mount.
        let mounts: Vec<Value> = spec
            .get("containers")
            .and_then(Value::as_seq)
            .unwrap_or_default()
            .iter()
            .find(|x| x.get("name").and_then(Value::as_str) == Some(c.name.as_str()))
            .and_then(|x| x.get("volumeMounts"))
            .and_then(Value::as_seq)
            .unwrap_or_default()
            .iter()
            .map(|m| {
                let mut v = map([
                    (
                        "mountPath",
                        m.get("mountPath").cloned().unwrap_or(Value::Null),
                    ),
                    ("name", m.get("name").cloned().unwrap_or(Value::Null)),
                ]);
                if m.get("readOnly") == Some(&Value::Bool(true)) {
                    v.set("readOnly", true);
                    v.set("recursiveReadOnly", "Disabled");
                }
                v
            })
            .collect();
        if !mounts.is_empty() {
            s.set("volumeMounts", mounts);
        }
    }
    s
}

fn has_startup_probe(p: &PodView, container: &str) -> bool {
    p.template
        .0
        .containers
        .iter()
        .any(|c| c.name == container && c.startup.is_some())
}
