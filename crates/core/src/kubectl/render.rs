//! Prints what kubectl would print, from the simulated timeline at the learner's current
//! time: `get` tables (or the stored objects as YAML or JSON, see `api_object`),
//! `describe`, `logs`, `top`, `rollout status|history`, and the one-line answers of
//! commands that change the cluster.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::parse::{Command, Output, Resource};
use super::table::{human_duration, table};
use crate::sim::endpoints::{endpoints_column, ready_addresses};
use crate::sim::network::{NetService, Network};
use crate::sim::timeline::{PodView, Snapshot};
use crate::sim::{Action, Timeline};
use crate::value::Value;

/// What a query needs: the run, the current time and the namespace.
pub struct View<'a> {
    pub timeline: &'a Timeline,
    pub t: f64,
    pub namespace: &'a str,
}

impl View<'_> {
    fn snapshot(&self) -> Option<&Snapshot> {
        self.timeline.at(self.t)
    }

    /// When each pod first appeared, for the AGE column.
    fn first_seen(&self) -> BTreeMap<&str, f64> {
        let mut seen = BTreeMap::new();
        for s in self.timeline.timeline.iter().take_while(|s| s.t <= self.t) {
            for p in &s.pods {
                seen.entry(p.name.as_str()).or_insert(s.t);
            }
            for d in &s.deployments {
                seen.entry(d.name.as_str()).or_insert(s.t);
            }
            for r in &s.replica_sets {
                seen.entry(r.name.as_str()).or_insert(s.t);
            }
            for c in &s.persistent_volume_claims {
                seen.entry(c.name.as_str()).or_insert(s.t);
            }
        }
        seen
    }

    fn age(&self, seen: &BTreeMap<&str, f64>, name: &str) -> String {
        human_duration(self.t - seen.get(name).copied().unwrap_or(0.0))
    }

    fn none_found(&self) -> String {
        format!("No resources found in {} namespace.\n", self.namespace)
    }
}

/// `kubectl get pods` STATUS column.
#[must_use]
pub fn pod_status(p: &PodView) -> String {
    if p.terminating {
        return "Terminating".into();
    }
    if p.node.is_none() {
        return "Pending".into();
    }
    p.reason.clone().unwrap_or_else(|| p.phase.to_owned())
}

pub(super) fn not_found(resource: Resource, name: &str) -> String {
    format!(
        "Error from server (NotFound): {}s \"{name}\" not found\n",
        resource.qualified().split('.').next().unwrap_or("")
    )
}

/// Runs a query command. Step commands are answered by [`step_output`].
#[must_use]
pub fn run(command: &Command, view: &View<'_>) -> String {
    let Some(snap) = view.snapshot() else {
        return view.none_found();
    };
    let seen = view.first_seen();
    match command {
        Command::Get {
            resource,
            name,
            output: Output::Yaml | Output::Json,
            ..
        } => {
            let json = matches!(
                command,
                Command::Get {
                    output: Output::Json,
                    ..
                }
            );
            match super::api_object::get(*resource, name.as_deref(), snap, view, &seen) {
                Ok(v) if json => super::json_out::to_json(&v),
                Ok(v) => super::yaml_out::to_yaml(&v),
                Err(message) => message,
            }
        }
        Command::Get {
            resource,
            name,
            output,
            show_labels,
        } => {
            let (header, mut rows) = get_table(
                *resource,
                name.as_deref(),
                *output == Output::Wide,
                snap,
                view,
                &seen,
            );
            if rows.is_empty() {
                return match name {
                    Some(n) => not_found(*resource, n),
                    None => view.none_found(),
                };
            }
            let mut header = header.to_vec();
            if *show_labels {
                add_labels(&mut header, &mut rows, *resource, snap, view, &seen);
            }
            table(&header, &rows)
        }
        Command::Describe { resource, name } => describe(*resource, name, snap, view, &seen),
        Command::Logs { pod, previous } => logs(pod, *previous, view),
        Command::Top { nodes } => top(*nodes, snap),
        Command::RolloutStatus { deployment } => rollout_status(deployment, snap),
        Command::RolloutHistory { deployment } => rollout_history(deployment, snap),
        Command::Explain { .. } | Command::AuthCanI { .. } | Command::Step(_) => String::new(),
    }
}

/// `--show-labels`: a LABELS column (`labels.FormatLabels`: sorted `key=value` pairs,
/// `<none>` when there are none), from the objects as stored.
fn add_labels(
    header: &mut Vec<&str>,
    rows: &mut [Vec<String>],
    resource: Resource,
    snap: &Snapshot,
    view: &View<'_>,
    seen: &BTreeMap<&str, f64>,
) {
    let list = super::api_object::get(resource, None, snap, view, seen).unwrap_or_default();
    let objects = list.get("items").and_then(Value::as_seq).unwrap_or(&[]);
    header.push("LABELS");
    for row in rows {
        let name = row.first().map(String::as_str).unwrap_or("");
        let object = objects
            .iter()
            .find(|o| o.at("metadata.name").and_then(Value::as_str) == Some(name));
        let labels = selector_text(object.and_then(|o| o.at("metadata.labels")));
        row.push(labels);
    }
}

/// kubectl's table for `get`: the header and one row per object (none: not found).
fn get_table(
    resource: Resource,
    name: Option<&str>,
    wide: bool,
    snap: &Snapshot,
    view: &View<'_>,
    seen: &BTreeMap<&str, f64>,
) -> (&'static [&'static str], Vec<Vec<String>>) {
    let keep = |n: &str| name.is_none_or(|want| want == n);
    let rows: Vec<Vec<String>>;
    let header: &'static [&'static str];
    match resource {
        Resource::Pods => {
            header = if wide {
                &[
                    "NAME",
                    "READY",
                    "STATUS",
                    "RESTARTS",
                    "AGE",
                    "IP",
                    "NODE",
                    "NOMINATED NODE",
                    "READINESS GATES",
                ]
            } else {
                &["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
            };
            rows = snap
                .pods
                .iter()
                .filter(|p| keep(&p.name))
                .map(|p| {
                    let ready = p.containers.iter().filter(|c| c.ready).count();
                    let mut row = vec![
                        p.name.clone(),
                        format!("{ready}/{}", p.containers.len()),
                        pod_status(p),
                        p.restarts.to_string(),
                        view.age(seen, &p.name),
                    ];
                    if wide {
                        row.push(p.ip.clone().unwrap_or_else(|| "<none>".into()));
                        row.push(p.node.clone().unwrap_or_else(|| "<none>".into()));
                        row.push("<none>".into());
                        row.push("<none>".into());
                    }
                    row
                })
                .collect();
        }
        Resource::Deployments => {
            header = &["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"];
            rows = snap
                .deployments
                .iter()
                .filter(|d| keep(&d.name))
                .map(|d| {
                    vec![
                        d.name.clone(),
                        format!("{}/{}", d.ready_replicas, d.desired_replicas),
                        d.updated_replicas.to_string(),
                        d.available_replicas.to_string(),
                        view.age(seen, &d.name),
                    ]
                })
                .collect();
        }
        Resource::ReplicaSets => {
            header = &["NAME", "DESIRED", "CURRENT", "READY", "AGE"];
            rows = snap
                .replica_sets
                .iter()
                .filter(|r| keep(&r.name))
                .map(|r| {
                    let current = snap
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
                    vec![
                        r.name.clone(),
                        r.replicas.to_string(),
                        current.to_string(),
                        r.ready_replicas.to_string(),
                        view.age(seen, &r.name),
                    ]
                })
                .collect();
        }
        Resource::Services => {
            // `-o wide` adds SELECTOR.
            const COLUMNS: &[&str] = &[
                "NAME",
                "TYPE",
                "CLUSTER-IP",
                "EXTERNAL-IP",
                "PORT(S)",
                "AGE",
                "SELECTOR",
            ];
            header = if wide { COLUMNS } else { &COLUMNS[..6] };
            rows = service_objects(name, snap, view, seen)
                .iter()
                .map(|svc| {
                    let name = svc
                        .at("metadata.name")
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    let mut row = service_columns(svc);
                    row.insert(0, name.to_owned());
                    row.push(view.age(seen, name));
                    if wide {
                        row.push(selector_text(svc.at("spec.selector")));
                    }
                    row
                })
                .collect();
        }
        Resource::Endpoints => {
            header = &["NAME", "ENDPOINTS", "AGE"];
            rows = snap
                .services
                .iter()
                .filter(|s| keep(&s.name))
                .map(|s| {
                    let shown = Network::service(snap, &s.namespace, &s.name)
                        .map_or_else(|| "<none>".to_owned(), |svc| endpoints_column(snap, &svc));
                    vec![s.name.clone(), shown, human_duration(view.t)]
                })
                .collect();
        }
        Resource::PersistentVolumeClaims => {
            // `printPersistentVolumeClaim`: volume, capacity and access modes once bound;
            // `-o wide` adds VOLUMEMODE.
            const COLUMNS: &[&str] = &[
                "NAME",
                "STATUS",
                "VOLUME",
                "CAPACITY",
                "ACCESS MODES",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "AGE",
                "VOLUMEMODE",
            ];
            header = if wide { COLUMNS } else { &COLUMNS[..8] };
            rows = snap
                .persistent_volume_claims
                .iter()
                .filter(|c| c.namespace == view.namespace && keep(&c.name))
                .map(|c| {
                    let volume = super::api_object::volume_name(
                        c,
                        seen.get(c.name.as_str()).copied().unwrap_or(0.0),
                    );
                    let bound = !volume.is_empty();
                    let mut row = vec![
                        c.name.clone(),
                        c.phase.to_owned(),
                        volume,
                        if bound {
                            c.storage.clone()
                        } else {
                            String::new()
                        },
                        if bound {
                            super::api_object::access_modes_short(&c.access_modes)
                        } else {
                            String::new()
                        },
                        c.storage_class.clone(),
                        "<unset>".to_owned(),
                        view.age(seen, &c.name),
                    ];
                    if wide {
                        row.push("Filesystem".to_owned());
                    }
                    row
                })
                .collect();
        }
        Resource::Hpa => {
            header = &["NAME", "TARGETS", "REPLICAS", "DESIRED"];
            rows = snap
                .hpas
                .iter()
                .filter(|h| keep(&h.name))
                .map(|h| {
                    let current = h
                        .current_utilization
                        .map_or_else(|| "<unknown>".to_owned(), |u| format!("{u}%"));
                    let target = h
                        .target_utilization
                        .map_or_else(|| "?".to_owned(), |u| format!("{u}%"));
                    vec![
                        h.name.clone(),
                        format!("cpu: {current}/{target}"),
                        h.current_replicas.to_string(),
                        h.desired_replicas.to_string(),
                    ]
                })
                .collect();
        }
        Resource::Events => {
            header = &["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"];
            rows = view
                .timeline
                .events
                .iter()
                .filter(|e| e.t <= view.t)
                .map(|e| {
                    vec![
                        human_duration(view.t - e.t),
                        e.kind.to_owned(),
                        e.reason.to_owned(),
                        e.object.clone(),
                        e.message.replace('\n', " "),
                    ]
                })
                .collect();
        }
        Resource::Secrets | Resource::ConfigMaps => {
            let kind = if resource == Resource::Secrets {
                header = &["NAME", "TYPE", "DATA", "AGE"];
                "Secret"
            } else {
                header = &["NAME", "DATA", "AGE"];
                "ConfigMap"
            };
            rows = snap
                .stored
                .iter()
                .filter(|((k, ns, n), _)| k == kind && ns == view.namespace && keep(n))
                .map(|((_, _, n), stored)| {
                    let count = |field: &str| {
                        stored
                            .source
                            .get(field)
                            .and_then(crate::value::Value::as_map)
                            .map_or(0, std::collections::BTreeMap::len)
                    };
                    #[allow(clippy::cast_precision_loss)]
                    let age = human_duration(view.t - stored.created as f64 / 1000.0);
                    let mut row = vec![n.clone()];
                    if kind == "Secret" {
                        let kind = stored
                            .source
                            .get("type")
                            .and_then(crate::value::Value::as_str)
                            .unwrap_or("Opaque");
                        row.push(kind.to_owned());
                        // stringData keys land in data (a key in both counts once).
                        let mut keys: std::collections::BTreeSet<&String> =
                            std::collections::BTreeSet::new();
                        for field in ["data", "stringData"] {
                            if let Some(m) = stored
                                .source
                                .get(field)
                                .and_then(crate::value::Value::as_map)
                            {
                                keys.extend(m.keys());
                            }
                        }
                        row.push(keys.len().to_string());
                    } else {
                        row.push((count("data") + count("binaryData")).to_string());
                    }
                    row.push(age);
                    row
                })
                .collect();
        }
        Resource::Nodes => {
            header = &["NAME", "STATUS", "ROLES", "AGE", "VERSION"];
            rows = snap
                .nodes
                .iter()
                .filter(|n| keep(&n.name))
                .map(|n| {
                    let status = if n.unschedulable {
                        "Ready,SchedulingDisabled"
                    } else {
                        "Ready"
                    };
                    vec![
                        n.name.clone(),
                        status.to_owned(),
                        "<none>".to_owned(),
                        human_duration(view.t + 86_400.0),
                        format!("v{}.0", crate::KUBERNETES_VERSION),
                    ]
                })
                .collect();
        }
    }
    (header, rows)
}

fn describe(
    resource: Resource,
    name: &str,
    snap: &Snapshot,
    view: &View<'_>,
    seen: &BTreeMap<&str, f64>,
) -> String {
    match resource {
        Resource::Pods => {
            let Some(p) = snap.pods.iter().find(|p| p.name == name) else {
                return not_found(resource, name);
            };
            let mut s = String::new();
            let _ = writeln!(s, "Name:             {}", p.name);
            let _ = writeln!(s, "Namespace:        {}", p.namespace);
            let _ = writeln!(
                s,
                "Node:             {}",
                p.node.as_deref().unwrap_or("<none>")
            );
            let _ = writeln!(
                s,
                "Status:           {}",
                if p.terminating {
                    "Terminating"
                } else {
                    p.phase
                }
            );
            let _ = writeln!(s, "IP:               {}", p.ip.as_deref().unwrap_or(""));
            if let Some(owner) = &p.owner {
                let _ = writeln!(s, "Controlled By:    {owner}");
            }
            let _ = writeln!(s, "Containers:");
            for c in &p.containers {
                let _ = writeln!(s, "  {}:", c.name);
                let state = match (c.state, &c.reason) {
                    ("running", _) => "Running".to_owned(),
                    ("waiting", Some(r)) => format!("Waiting\n      Reason:       {r}"),
                    ("terminated", Some(r)) => format!(
                        "Terminated\n      Reason:       {r}\n      Exit Code:    {}",
                        c.exit_code.unwrap_or(0)
                    ),
                    (other, _) => other.to_owned(),
                };
                let _ = writeln!(s, "    State:          {state}");
                if let Some(r) = &c.last_reason {
                    let _ = writeln!(
                        s,
                        "    Last State:     Terminated\n      Reason:       {r}\n      Exit Code:    {}",
                        c.last_exit_code.unwrap_or(0)
                    );
                }
                let _ = writeln!(
                    s,
                    "    Ready:          {}",
                    if c.ready { "True" } else { "False" }
                );
                let _ = writeln!(s, "    Restart Count:  {}", c.restarts);
            }
            let _ = writeln!(
                s,
                "Conditions:\n  Type              Status\n  PodScheduled      {}\n  Ready             {}",
                if p.node.is_some() { "True" } else { "False" },
                if p.ready { "True" } else { "False" }
            );
            let _ = writeln!(s, "QoS Class:        {}", p.qos);
            events_for(&mut s, view, &format!("pod/{}", p.name));
            s
        }
        Resource::Deployments => {
            let Some(d) = snap.deployments.iter().find(|d| d.name == name) else {
                return not_found(resource, name);
            };
            let mut s = String::new();
            let _ = writeln!(s, "Name:                   {}", d.name);
            let _ = writeln!(s, "Namespace:              {}", d.namespace);
            let _ = writeln!(s, "CreationTimestamp:      {} ago", view.age(seen, &d.name));
            let _ = writeln!(
                s,
                "Replicas:               {} updated | {} total | {} available | {} unavailable",
                d.updated_replicas,
                d.replicas,
                d.available_replicas,
                (d.replicas - d.available_replicas).max(0)
            );
            let _ = writeln!(
                s,
                "RollingUpdate band:     at least {} available, at most {} pods",
                d.min_available, d.max_total
            );
            let _ = writeln!(
                s,
                "Conditions:\n  Type           Status  Reason\n  ----           ------  ------"
            );
            for c in &d.conditions {
                let _ = writeln!(s, "  {:<14} {:<7} {}", c.kind, c.status, c.reason);
            }
            let newest = snap
                .replica_sets
                .iter()
                .filter(|r| r.deployment.as_deref() == Some(&d.name))
                .max_by_key(|r| r.revision);
            if let Some(r) = newest {
                let _ = writeln!(
                    s,
                    "NewReplicaSet:          {} ({}/{} replicas created)",
                    r.name, r.replicas, r.replicas
                );
            }
            events_for(&mut s, view, &format!("deployment/{}", d.name));
            s
        }
        Resource::Services => {
            let Some(svc) = Network::service(snap, view.namespace, name) else {
                return not_found(resource, name);
            };
            describe_service(&svc, snap, view, seen)
        }
        Resource::Nodes => super::describe_node::describe(name, snap, view, seen),
        other => {
            let (header, rows) = get_table(other, Some(name), true, snap, view, seen);
            if rows.is_empty() {
                not_found(other, name)
            } else {
                table(header, &rows)
            }
        }
    }
}

/// The Services as the API server stores them (type, cluster IP, node ports: `api_object`).
fn service_objects(
    name: Option<&str>,
    snap: &Snapshot,
    view: &View<'_>,
    seen: &BTreeMap<&str, f64>,
) -> Vec<Value> {
    match super::api_object::get(Resource::Services, name, snap, view, seen) {
        Ok(Value::Map(mut m)) if name.is_none() => match m.remove("items") {
            Some(Value::Seq(items)) => items,
            _ => Vec::new(),
        },
        Ok(one) => vec![one],
        Err(_) => Vec::new(),
    }
}

/// kubectl's TYPE, CLUSTER-IP, EXTERNAL-IP and PORT(S) columns of a Service
/// (`printService`, `getServiceExternalIP` and `makePortString` in kubernetes
/// pkg/printers/internalversion/printers.go). No external IPs or load balancers exist here,
/// so a LoadBalancer Service's EXTERNAL-IP stays `<pending>` as on a cluster without one.
fn service_columns(svc: &Value) -> Vec<String> {
    let spec = svc.get("spec");
    let text = |path: &str| {
        spec.and_then(|s| s.at(path))
            .and_then(Value::as_str)
            .unwrap_or("")
    };
    let kind = text("type");
    let cluster_ip = spec
        .and_then(|s| s.get("clusterIPs"))
        .and_then(Value::as_seq)
        .and_then(|ips| ips.first())
        .and_then(Value::as_str)
        .unwrap_or("<none>");
    let external = match kind {
        "ClusterIP" | "NodePort" => "<none>",
        "LoadBalancer" => "<pending>",
        "ExternalName" => text("externalName"),
        _ => "<unknown>",
    };
    let ports: Vec<String> = spec
        .and_then(|s| s.get("ports"))
        .and_then(Value::as_seq)
        .unwrap_or(&[])
        .iter()
        .map(|p| {
            let int = |k: &str| match p.get(k) {
                Some(Value::Int(n)) => *n,
                _ => 0,
            };
            let protocol = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
            match int("nodePort") {
                0 => format!("{}/{protocol}", int("port")),
                node => format!("{}:{node}/{protocol}", int("port")),
            }
        })
        .collect();
    vec![
        kind.to_owned(),
        cluster_ip.to_owned(),
        external.to_owned(),
        if ports.is_empty() {
            "<none>".to_owned()
        } else {
            ports.join(",")
        },
    ]
}

/// `labels.FormatLabels` of a selector map: `k=v,k=v`, or `<none>`.
fn selector_text(selector: Option<&Value>) -> String {
    let pairs: Vec<String> = selector
        .and_then(Value::as_map)
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
        .collect();
    if pairs.is_empty() {
        "<none>".to_owned()
    } else {
        pairs.join(",")
    }
}

/// `kubectl describe service` (`describeService` in kubectl's describe.go): type and
/// addresses, per port the node port and the ready addresses (`Endpoints:`, which leave out
/// pods that are not ready or are terminating), and the traffic policies.
fn describe_service(
    svc: &NetService<'_>,
    snap: &Snapshot,
    view: &View<'_>,
    seen: &BTreeMap<&str, f64>,
) -> String {
    let object = service_objects(Some(svc.name), snap, view, seen)
        .pop()
        .unwrap_or_default();
    let spec = object.get("spec");
    let text = |path: &str| spec.and_then(|s| s.at(path)).and_then(Value::as_str);
    let list = |path: &str| {
        spec.and_then(|s| s.at(path))
            .and_then(Value::as_seq)
            .map(|v| {
                v.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .filter(|v| !v.is_empty())
    };
    let mut s = String::new();
    let mut line = |label: &str, value: &str| {
        let _ = writeln!(s, "{:<26}{value}", format!("{label}:"));
    };
    line("Name", svc.name);
    line("Namespace", svc.namespace);
    line(
        "Selector",
        &selector_text(spec.and_then(|s| s.get("selector"))),
    );
    line("Type", text("type").unwrap_or("ClusterIP"));
    if let Some(policy) = text("ipFamilyPolicy") {
        line("IP Family Policy", policy);
    }
    if let Some(families) = list("ipFamilies") {
        line("IP Families", &families);
    }
    if let Some(ip) = text("clusterIP") {
        line("IP", ip);
    }
    if let Some(ips) = list("clusterIPs") {
        line("IPs", &ips);
    }
    let ports = spec
        .and_then(|s| s.get("ports"))
        .and_then(Value::as_seq)
        .unwrap_or(&[]);
    for port in svc.ports {
        let name = port.name.as_deref().unwrap_or("<unset>");
        line("Port", &format!("{name}  {}/{}", port.port, port.protocol));
        line("TargetPort", &format!("{}/{}", port.target, port.protocol));
        let node_port = ports
            .iter()
            .find(|p| p.get("port") == Some(&Value::Int(port.port)))
            .and_then(|p| match p.get("nodePort") {
                Some(Value::Int(n)) if *n != 0 => Some(*n),
                _ => None,
            });
        if let Some(n) = node_port {
            line("NodePort", &format!("{name}  {n}/{}", port.protocol));
        }
        let addresses = ready_addresses(snap, svc, port);
        line(
            "Endpoints",
            &if addresses.is_empty() {
                "<none>".to_owned()
            } else {
                addresses.join(",")
            },
        );
    }
    line(
        "Session Affinity",
        text("sessionAffinity").unwrap_or("None"),
    );
    if let Some(policy) = text("externalTrafficPolicy") {
        line("External Traffic Policy", policy);
    }
    if let Some(policy) = text("internalTrafficPolicy") {
        line("Internal Traffic Policy", policy);
    }
    events_for(&mut s, view, &format!("service/{}", svc.name));
    s
}

pub(super) fn events_for(s: &mut String, view: &View<'_>, object: &str) {
    let rows: Vec<Vec<String>> = view
        .timeline
        .events
        .iter()
        .filter(|e| e.t <= view.t && e.object == object)
        .map(|e| {
            vec![
                format!("  {}", e.kind),
                e.reason.to_owned(),
                human_duration(view.t - e.t),
                e.message.replace('\n', " "),
            ]
        })
        .collect();
    if rows.is_empty() {
        s.push_str("Events:           <none>\n");
        return;
    }
    s.push_str("Events:\n");
    s.push_str(&table(&["  Type", "Reason", "Age", "Message"], &rows));
}

/// Simulated application output, reconstructed from what the kubelet saw.
fn logs(pod: &str, previous: bool, view: &View<'_>) -> String {
    let object = format!("pod/{pod}");
    let starts: Vec<f64> = view
        .timeline
        .events
        .iter()
        .filter(|e| e.object == object && e.reason == "Started" && e.t <= view.t)
        .map(|e| e.t)
        .collect();
    if starts.is_empty() {
        return format!(
            "Error from server (BadRequest): container in pod \"{pod}\" is waiting to start: ContainerCreating\n"
        );
    }
    let (from, to) = if previous {
        if starts.len() < 2 {
            return format!(
                "Error from server (BadRequest): previous terminated container in pod \"{pod}\" not found\n"
            );
        }
        (starts[starts.len() - 2], starts[starts.len() - 1])
    } else {
        (starts[starts.len() - 1], view.t + f64::EPSILON)
    };
    let mut out = format!("[simulated] process started at t={from}s\n");
    for e in view
        .timeline
        .events
        .iter()
        .filter(|e| e.object == object && e.t >= from && e.t < to)
    {
        let line = match e.reason {
            "Unhealthy" => format!(
                "[simulated] health check answered with a failure ({})",
                e.message
            ),
            "Killing" => "[simulated] received SIGTERM, shutting down".to_owned(),
            "OOMKilled" => "[simulated] killed by the kernel: out of memory".to_owned(),
            _ => continue,
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn top(nodes: bool, snap: &Snapshot) -> String {
    if nodes {
        let rows: Vec<Vec<String>> = snap
            .nodes
            .iter()
            .map(|n| {
                let pct = |a: i64, b: i64| if b == 0 { 0 } else { a * 100 / b };
                vec![
                    n.name.clone(),
                    format!("{}m", n.cpu_requested),
                    format!("{}%", pct(n.cpu_requested, n.cpu_milli)),
                    format!("{}Mi", n.memory_requested >> 20),
                    format!("{}%", pct(n.memory_requested, n.memory)),
                ]
            })
            .collect();
        return table(
            &["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"],
            &rows,
        );
    }
    let rows: Vec<Vec<String>> = snap
        .pods
        .iter()
        .filter(|p| p.phase == "Running")
        .map(|p| {
            vec![
                p.name.clone(),
                format!("{}m", p.cpu_request_milli),
                format!("{}Mi", p.memory_request >> 20),
            ]
        })
        .collect();
    if rows.is_empty() {
        return "No resources found\n".into();
    }
    table(&["NAME", "CPU(cores)", "MEMORY(bytes)"], &rows)
}

fn rollout_status(deployment: &str, snap: &Snapshot) -> String {
    let Some(d) = snap.deployments.iter().find(|d| d.name == deployment) else {
        return not_found(Resource::Deployments, deployment);
    };
    let desired = d.desired_replicas;
    if d.conditions
        .iter()
        .any(|c| c.reason == "ProgressDeadlineExceeded")
    {
        return format!("error: deployment \"{deployment}\" exceeded its progress deadline\n");
    }
    if d.updated_replicas < desired || d.replicas > d.updated_replicas {
        if d.replicas > d.updated_replicas {
            return format!(
                "Waiting for deployment \"{deployment}\" rollout to finish: {} old replicas are pending termination...\n",
                d.replicas - d.updated_replicas
            );
        }
        return format!(
            "Waiting for deployment \"{deployment}\" rollout to finish: {} out of {desired} new replicas have been updated...\n",
            d.updated_replicas
        );
    }
    if d.available_replicas < d.updated_replicas {
        return format!(
            "Waiting for deployment \"{deployment}\" rollout to finish: {} of {} updated replicas are available...\n",
            d.available_replicas, d.updated_replicas
        );
    }
    format!("deployment \"{deployment}\" successfully rolled out\n")
}

fn rollout_history(deployment: &str, snap: &Snapshot) -> String {
    let mut revisions: Vec<i64> = snap
        .replica_sets
        .iter()
        .filter(|r| r.deployment.as_deref() == Some(deployment))
        .map(|r| r.revision)
        .collect();
    if revisions.is_empty() {
        return not_found(Resource::Deployments, deployment);
    }
    revisions.sort_unstable();
    let rows: Vec<Vec<String>> = revisions
        .iter()
        .map(|r| vec![r.to_string(), "<none>".into()])
        .collect();
    format!(
        "deployment.apps/{deployment} \n{}",
        table(&["REVISION", "CHANGE-CAUSE"], &rows)
    )
}

/// What kubectl prints after a command that changes the cluster.
#[must_use]
pub fn step_output(action: &Action, namespace: &str) -> String {
    match action {
        Action::Scale { deployment, .. } => format!("deployment.apps/{deployment} scaled\n"),
        Action::SetImage { deployment, .. } => {
            format!("deployment.apps/{deployment} image updated\n")
        }
        Action::RolloutUndo { deployment, .. } => {
            format!("deployment.apps/{deployment} rolled back\n")
        }
        Action::RolloutRestart { deployment } => {
            format!("deployment.apps/{deployment} restarted\n")
        }
        Action::Pause { deployment } => format!("deployment.apps/{deployment} paused\n"),
        Action::Resume { deployment } => format!("deployment.apps/{deployment} resumed\n"),
        Action::DeletePod { pod } => format!("pod \"{pod}\" deleted from {namespace} namespace\n"),
        Action::Cordon { node } => format!("node/{node} cordoned\n"),
        Action::Uncordon { node } => format!("node/{node} uncordoned\n"),
        Action::Drain { node } => format!("node/{node} cordoned\nnode/{node} drained\n"),
        Action::Load {
            deployment,
            cpu_milli,
        } => format!("deployment.apps/{deployment}: each pod now asks for {cpu_milli}m CPU\n"),
        Action::MemoryPressure { node, bytes } => format!(
            "node/{node}: other processes now use {} of memory\n",
            crate::sim::memory::human_bytes(*bytes)
        ),
        _ => String::new(),
    }
}
