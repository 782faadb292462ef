//! Nodes and Events. Nodes are the scenario's machines as their kubelets register them
//! (created a day before `t=0`; capacity, allocatable, the four pressure/ready conditions,
//! cordoning as `spec.unschedulable` with its taint). Events are core/v1 Events as the
//! components record them (`k8s.io/client-go/tools/record`): one per occurrence here
//! (`count: 1`), named `<object>.<hex>`.

use super::{Ctx, meta, object};
use crate::sim::eviction::TAINT as MEMORY_PRESSURE_TAINT;
use crate::sim::timeline::{NodeView, Registration};
use crate::value::{Value, map};

/// Kubelets registered a day before the simulation starts.
const NODE_AGE: f64 = 86_400.0;

pub(super) fn nodes(ctx: &Ctx<'_>) -> Vec<Value> {
    ctx.snap
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| ctx.wants(&n.name))
        .map(|(i, n)| {
            let version = ctx.version(|s| s.nodes.iter().any(|x| x == n));
            let mut m = meta::metadata("Node", "", &n.name, -NODE_AGE, version);
            m.remove("namespace");
            // The kubelet's own labels, and those the node registered with.
            let mut labels = map([
                ("kubernetes.io/arch", "amd64".into()),
                ("kubernetes.io/hostname", n.name.as_str().into()),
                ("kubernetes.io/os", "linux".into()),
            ]);
            for (k, v) in registration(ctx, n).flat_map(|r| &r.labels) {
                labels.set(k, v.as_str());
            }
            m.set("labels", labels);
            let mut spec = map([
                ("podCIDR", format!("10.244.{}.0/24", i + 1).into()),
                (
                    "podCIDRs",
                    vec![Value::from(format!("10.244.{}.0/24", i + 1))].into(),
                ),
            ]);
            if n.unschedulable {
                spec.set("unschedulable", true);
            }
            let taints = taints(ctx, n);
            if !taints.is_empty() {
                spec.set("taints", taints);
            }
            let resources = map([
                (
                    "cpu",
                    crate::model::Quantity::from_millis(n.cpu_milli)
                        .canonical()
                        .into(),
                ),
                ("memory", format!("{}Ki", n.memory / 1024).into()),
                ("pods", "110".into()),
            ]);
            // The MemoryPressure condition changes with the kubelet's eviction manager; the
            // others hold since registration.
            let pressure_since = ctx.since(|s| {
                s.nodes
                    .iter()
                    .any(|x| x.name == n.name && x.memory_pressure == n.memory_pressure)
            });
            let cond = |kind: &str, ok: bool, reason: &str, message: &str| {
                let since =
                    if kind == "MemoryPressure" && (n.memory_pressure || pressure_since > 0.0) {
                        pressure_since
                    } else {
                        -NODE_AGE
                    };
                map([
                    ("lastHeartbeatTime", meta::time(ctx.view.t)),
                    ("lastTransitionTime", meta::time(since)),
                    ("message", message.into()),
                    ("reason", reason.into()),
                    ("status", if ok { "True" } else { "False" }.into()),
                    ("type", kind.into()),
                ])
            };
            let memory = if n.memory_pressure {
                cond(
                    "MemoryPressure",
                    true,
                    "KubeletHasInsufficientMemory",
                    "kubelet has insufficient memory available",
                )
            } else {
                cond(
                    "MemoryPressure",
                    false,
                    "KubeletHasSufficientMemory",
                    "kubelet has sufficient memory available",
                )
            };
            let status = map([
                (
                    "addresses",
                    vec![
                        map([
                            ("address", format!("172.18.0.{}", i + 2).into()),
                            ("type", "InternalIP".into()),
                        ]),
                        map([
                            ("address", n.name.as_str().into()),
                            ("type", "Hostname".into()),
                        ]),
                    ]
                    .into(),
                ),
                ("allocatable", resources.clone()),
                ("capacity", resources),
                (
                    "conditions",
                    vec![
                        memory,
                        cond(
                            "DiskPressure",
                            false,
                            "KubeletHasNoDiskPressure",
                            "kubelet has no disk pressure",
                        ),
                        cond(
                            "PIDPressure",
                            false,
                            "KubeletHasSufficientPID",
                            "kubelet has sufficient PID available",
                        ),
                        cond(
                            "Ready",
                            true,
                            "KubeletReady",
                            "kubelet is posting ready status",
                        ),
                    ]
                    .into(),
                ),
                (
                    "nodeInfo",
                    map([
                        ("architecture", "amd64".into()),
                        ("containerRuntimeVersion", "containerd://2.1.0".into()),
                        (
                            "kubeletVersion",
                            format!("v{}.0", crate::KUBERNETES_VERSION).into(),
                        ),
                        ("operatingSystem", "linux".into()),
                    ]),
                ),
            ]);
            let mut obj = object("v1", "Node", m);
            obj.set("spec", spec);
            obj.set("status", status);
            obj
        })
        .collect()
}

/// What node `n` registered with (labels, taints), if anything.
fn registration<'a>(ctx: &'a Ctx<'_>, n: &NodeView) -> impl Iterator<Item = &'a Registration> {
    ctx.view.timeline.registered.get(&n.name).into_iter()
}

/// `spec.taints`: those the node registered with, then the node lifecycle controller's
/// (`node.kubernetes.io/unschedulable` while cordoned, `node.kubernetes.io/memory-pressure`
/// while the node has MemoryPressure) in the order it added them, each with the
/// `timeAdded` that `SwapNodeControllerTaint` writes (kubernetes
/// pkg/controller/util/node/controller_utils.go).
fn taints(ctx: &Ctx<'_>, n: &NodeView) -> Vec<Value> {
    let taint = |key: &str, value: &str, effect: &str, added: Option<f64>| {
        let mut t = map([("effect", effect.into()), ("key", key.into())]);
        if let Some(at) = added {
            t.set("timeAdded", meta::time(at));
        }
        if !value.is_empty() {
            t.set("value", value);
        }
        t
    };
    let mut out: Vec<Value> = registration(ctx, n)
        .flat_map(|r| &r.taints)
        .map(|t| taint(&t.key, &t.value, &t.effect, None))
        .collect();
    let since = |holds: fn(&NodeView) -> bool| {
        ctx.since(|s| s.nodes.iter().any(|x| x.name == n.name && holds(x)))
    };
    let mut added: Vec<(f64, &str)> = Vec::new();
    if n.unschedulable {
        added.push((
            since(|x| x.unschedulable),
            "node.kubernetes.io/unschedulable",
        ));
    }
    if n.memory_pressure {
        added.push((since(|x| x.memory_pressure), MEMORY_PRESSURE_TAINT));
    }
    added.sort_by(|a, b| a.0.total_cmp(&b.0));
    out.extend(
        added
            .into_iter()
            .map(|(at, key)| taint(key, "", "NoSchedule", Some(at))),
    );
    out
}

/// The component that records each reason.
fn source_of(reason: &str) -> &'static str {
    match reason {
        "Scheduled" | "FailedScheduling" => "default-scheduler",
        "ScalingReplicaSet" => "deployment-controller",
        "SuccessfulCreate" | "SuccessfulDelete" | "FailedCreate" => "replicaset-controller",
        "SuccessfulRescale" | "FailedGetResourceMetric" => "horizontal-pod-autoscaler",
        _ => "kubelet",
    }
}

pub(super) fn events(ctx: &Ctx<'_>) -> Vec<Value> {
    let ns = ctx.view.namespace;
    ctx.view
        .timeline
        .events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.t <= ctx.view.t)
        .filter_map(|(i, e)| {
            let (kind, name) = e.object.split_once('/')?;
            let event_name = format!("{name}.{:016x}", 0x1800_0000_0000_0000_u64 + i as u64);
            if !ctx.wants(&event_name) {
                return None;
            }
            let kind = match kind {
                "pod" => "Pod",
                "deployment" => "Deployment",
                "replicaset" => "ReplicaSet",
                "horizontalpodautoscaler" => "HorizontalPodAutoscaler",
                "node" => "Node",
                "service" => "Service",
                "job" => "Job",
                "cronjob" => "CronJob",
                "statefulset" => "StatefulSet",
                "daemonset" => "DaemonSet",
                other => other,
            };
            let api = match kind {
                "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" => "apps/v1",
                "HorizontalPodAutoscaler" => "autoscaling/v2",
                "Job" | "CronJob" => "batch/v1",
                _ => "v1",
            };
            let mut m = meta::metadata("Event", ns, &event_name, e.t, i + 1);
            m.set("resourceVersion", (i + 1).to_string());
            let component = source_of(e.reason);
            let mut source = map([("component", component.into())]);
            let node = ctx
                .snap
                .pods
                .iter()
                .find(|p| p.name == name)
                .and_then(|p| p.node.clone());
            if component == "kubelet"
                && let Some(node) = &node
            {
                source.set("host", node.as_str());
            }
            let mut obj = object("v1", "Event", m);
            for (k, v) in [
                ("count", Value::Int(1)),
                ("eventTime", Value::Null),
                ("firstTimestamp", meta::time(e.t)),
                ("lastTimestamp", meta::time(e.t)),
                ("message", e.message.as_str().into()),
                ("reason", e.reason.into()),
                ("reportingComponent", component.into()),
                (
                    "reportingInstance",
                    node.map_or(Value::from(""), Value::from),
                ),
                ("source", source),
                ("type", e.kind.into()),
            ] {
                obj.set(k, v);
            }
            obj.set(
                "involvedObject",
                map([
                    ("apiVersion", api.into()),
                    ("kind", kind.into()),
                    ("name", name.into()),
                    ("namespace", ns.into()),
                ]),
            );
            Some(obj)
        })
        .collect()
}
