//! `kubectl describe node` (`describeNode` and `describeNodeResource` in
//! k8s.io/kubectl/pkg/describe/describe.go), printed from the Node as the API server stores
//! it (`api_object`: labels, taints, conditions with their transition times, addresses,
//! capacity) and the pods bound to it: its taints (the node lifecycle controller's
//! `node.kubernetes.io/memory-pressure:NoSchedule` while the kubelet reports
//! MemoryPressure), the four conditions, the non-terminated pods with their requests and
//! limits as a share of allocatable, the totals, and the node's events.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::parse::Resource;
use super::render::{View, events_for};
use super::tabbed::tabbed;
use super::table::human_duration;
use crate::model::Quantity;
use crate::sim::timeline::{PodView, Snapshot};
use crate::value::Value;

/// The description of node `name`, or kubectl's error when there is none.
pub(super) fn describe(
    name: &str,
    snap: &Snapshot,
    view: &View<'_>,
    seen: &BTreeMap<&str, f64>,
) -> String {
    let node = match super::api_object::get(Resource::Nodes, Some(name), snap, view, seen) {
        Ok(node) => node,
        Err(message) => return message,
    };
    let text = |path: &str| node.at(path).and_then(Value::as_str).unwrap_or("");
    let mut w = String::new();
    let _ = writeln!(w, "Name:\t{name}");
    let _ = writeln!(w, "Roles:\t<none>");
    multiline(&mut w, "Labels", &pairs(node.at("metadata.labels"), "="));
    multiline(
        &mut w,
        "Annotations",
        &pairs(node.at("metadata.annotations"), ": "),
    );
    let _ = writeln!(
        w,
        "CreationTimestamp:\t{}",
        rfc1123z(text("metadata.creationTimestamp"))
    );
    let taints: Vec<String> = seq(node.at("spec.taints"))
        .iter()
        .map(|t| {
            let field = |k: &str| t.get(k).and_then(Value::as_str).unwrap_or("");
            match field("value") {
                "" => format!("{}:{}", field("key"), field("effect")),
                value => format!("{}={value}:{}", field("key"), field("effect")),
            }
        })
        .collect();
    multiline(&mut w, "Taints", &taints);
    let unschedulable = node.at("spec.unschedulable") == Some(&Value::Bool(true));
    let _ = writeln!(w, "Unschedulable:\t{unschedulable}");
    // The kubelet renews its Lease in kube-node-lease every 10 s.
    let heartbeat = conditions_heartbeat(&node);
    let _ = writeln!(
        w,
        "Lease:\n  HolderIdentity:\t{name}\n  AcquireTime:\t<unset>\n  RenewTime:\t{heartbeat}"
    );
    let conditions = seq(node.at("status.conditions"));
    if !conditions.is_empty() {
        w.push_str(
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.push_str("  ----\t------\t-----------------\t------------------\t------\t-------\n");
        for c in conditions {
            let field = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("");
            let _ = writeln!(
                w,
                "  {} \t{} \t{} \t{} \t{} \t{}",
                field("type"),
                field("status"),
                rfc1123z(field("lastHeartbeatTime")),
                rfc1123z(field("lastTransitionTime")),
                field("reason"),
                field("message")
            );
        }
    }
    w.push_str("Addresses:\n");
    for a in seq(node.at("status.addresses")) {
        let field = |k: &str| a.get(k).and_then(Value::as_str).unwrap_or("");
        let _ = writeln!(w, "  {}:\t{}", field("type"), field("address"));
    }
    for (title, path) in [
        ("Capacity", "status.capacity"),
        ("Allocatable", "status.allocatable"),
    ] {
        let list = pairs(node.at(path), ":\t");
        if !list.is_empty() {
            let _ = writeln!(w, "{title}:");
            for line in list {
                let _ = writeln!(w, "  {line}");
            }
        }
    }
    w.push_str("System Info:\n");
    for (label, key) in [
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
    ] {
        let _ = writeln!(w, "  {label}:\t{}", text(&format!("status.nodeInfo.{key}")));
    }
    if !text("spec.podCIDR").is_empty() {
        let _ = writeln!(w, "PodCIDR:\t{}", text("spec.podCIDR"));
    }
    let cidrs: Vec<&str> = seq(node.at("spec.podCIDRs"))
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if !cidrs.is_empty() {
        let _ = writeln!(w, "PodCIDRs:\t{}", cidrs.join(","));
    }
    resources(&mut w, name, snap, view);
    let mut out = tabbed(&w);
    events_for(&mut out, view, &format!("node/{name}"));
    out
}

/// `describeNodeResource`: each non-terminated pod's requests and limits as a share of the
/// node's allocatable CPU and memory, then the totals.
fn resources(w: &mut String, node: &str, snap: &Snapshot, view: &View<'_>) {
    let Some(n) = snap.nodes.iter().find(|n| n.name == node) else {
        return;
    };
    let pods: Vec<&PodView> = snap
        .pods
        .iter()
        .filter(|p| {
            p.node.as_deref() == Some(node) && p.phase != "Succeeded" && p.phase != "Failed"
        })
        .map(AsRef::as_ref)
        .collect();
    let share = |value: i64, of: i64| if of == 0 { 0 } else { value * 100 / of };
    let cpu = |m: i64| {
        format!(
            "{} ({}%)",
            Quantity::from_millis(m).canonical(),
            share(m, n.cpu_milli)
        )
    };
    let memory = |b: i64| format!("{} ({}%)", bytes(b), share(b, n.memory));
    let _ = writeln!(w, "Non-terminated Pods:\t({} in total)", pods.len());
    w.push_str(
        "  Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.push_str(
        "  ---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let mut total = [0i64; 4];
    for p in pods {
        let limits = |f: fn(&crate::sim::spec::ContainerSpec) -> Option<i64>| {
            // `PodRequestsAndLimits` sums the limits that are set.
            p.template.0.containers.iter().filter_map(f).sum::<i64>()
        };
        let row = [
            p.cpu_request_milli,
            limits(|c| c.cpu_limit_milli),
            p.memory_request,
            limits(|c| c.memory_limit),
        ];
        for (t, v) in total.iter_mut().zip(row) {
            *t += v;
        }
        let _ = writeln!(
            w,
            "  {}\t{}\t\t{}\t{}\t{}\t{}\t{}",
            p.namespace,
            p.name,
            cpu(row[0]),
            cpu(row[1]),
            memory(row[2]),
            memory(row[3]),
            human_duration(view.t - p.created_at)
        );
    }
    w.push_str(
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.push_str("  Resource\tRequests\tLimits\n  --------\t--------\t------\n");
    let _ = writeln!(w, "  cpu\t{}\t{}", cpu(total[0]), cpu(total[1]));
    let _ = writeln!(w, "  memory\t{}\t{}", memory(total[2]), memory(total[3]));
    w.push_str("  ephemeral-storage\t0 (0%)\t0 (0%)\n");
}

/// A byte count as `resource.Quantity.String()` prints a memory request written in binary
/// units (`128Mi`, `1536Mi`, `2Gi`), or in decimal when it is not a whole number of Ki.
fn bytes(b: i64) -> String {
    let text = if b % 1024 == 0 {
        format!("{}Ki", b / 1024)
    } else {
        b.to_string()
    };
    Quantity::parse(&text).map_or(text, Quantity::canonical)
}

/// `printLabelsMultiline` / `printNodeTaintsMultiline`: the first entry beside the title,
/// the others aligned under it, or `<none>`.
fn multiline(w: &mut String, title: &str, entries: &[String]) {
    if entries.is_empty() {
        let _ = writeln!(w, "{title}:\t<none>");
        return;
    }
    for (i, e) in entries.iter().enumerate() {
        if i == 0 {
            let _ = writeln!(w, "{title}:\t{e}");
        } else {
            let _ = writeln!(w, "\t{e}");
        }
    }
}

/// The entries of a map as `key{sep}value`, in key order.
fn pairs(map: Option<&Value>, sep: &str) -> Vec<String> {
    map.and_then(Value::as_map)
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            let value = match v {
                Value::Str(s) => s.clone(),
                Value::Int(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => String::new(),
            };
            format!("{k}{sep}{value}")
        })
        .collect()
}

fn seq(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_seq).unwrap_or(&[])
}

/// The kubelet's last heartbeat (every condition carries it), as RFC 1123.
fn conditions_heartbeat(node: &Value) -> String {
    seq(node.at("status.conditions"))
        .first()
        .and_then(|c| c.get("lastHeartbeatTime"))
        .and_then(Value::as_str)
        .map_or_else(|| "<unset>".to_owned(), rfc1123z)
}

/// An RFC 3339 UTC time (`2026-01-01T00:00:40Z`) as Go's `time.RFC1123Z` prints it
/// (`Thu, 01 Jan 2026 00:00:40 +0000`); other text is returned as it is.
fn rfc1123z(t: &str) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let num = |range: std::ops::Range<usize>| t.get(range).and_then(|s| s.parse::<i64>().ok());
    let (Some(y), Some(m), Some(d), Some(clock)) =
        (num(0..4), num(5..7), num(8..10), t.get(11..19))
    else {
        return t.to_owned();
    };
    let Some(month) = usize::try_from(m - 1).ok().and_then(|i| MONTHS.get(i)) else {
        return t.to_owned();
    };
    // Sakamoto's day of the week.
    const OFFSETS: [i64; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let yy = if m < 3 { y - 1 } else { y };
    let offset = usize::try_from(m - 1)
        .ok()
        .and_then(|i| OFFSETS.get(i))
        .copied()
        .unwrap_or(0);
    let weekday = (yy + yy / 4 - yy / 100 + yy / 400 + offset + d).rem_euclid(7);
    let day = usize::try_from(weekday)
        .ok()
        .and_then(|i| DAYS.get(i))
        .copied()
        .unwrap_or("");
    format!("{day}, {d:02} {month} {y:04} {clock} +0000")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_rfc1123z() {
        assert_eq!(
            rfc1123z("2026-01-01T00:00:40Z"),
            "Thu, 01 Jan 2026 00:00:40 +0000"
        );
        assert_eq!(
            rfc1123z("2025-12-31T00:00:00Z"),
            "Wed, 31 Dec 2025 00:00:00 +0000"
        );
        assert_eq!(
            rfc1123z("2024-02-29T12:30:05Z"),
            "Thu, 29 Feb 2024 12:30:05 +0000"
        );
    }

    #[test]
    fn bytes_read_as_quantities() {
        assert_eq!(bytes(0), "0");
        assert_eq!(bytes(128 << 20), "128Mi");
        assert_eq!(bytes(1536 << 20), "1536Mi");
        assert_eq!(bytes(2 << 30), "2Gi");
    }
}
