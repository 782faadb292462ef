//! Services and their Endpoints (v1). A Service is the applied manifest with
//! `SetDefaults_Service` and what the API server allocates on create: a cluster IP from the
//! service CIDR (10.96.0.0/12, kubeadm's and kind's default; IP 10.96.0.1 is the
//! `kubernetes` Service's), single-stack IPv4, node ports for NodePort and LoadBalancer
//! Services (30000-32767), and an empty `status.loadBalancer`. Endpoints are what the
//! endpoints controller writes (`pkg/controller/endpoint`): one subset with the ready
//! addresses, the not-ready ones, and the ports resolved to numbers.

use super::defaults;
use super::{Ctx, meta, object};
use crate::sim::endpoints::endpoints_of;
use crate::sim::network::Network;
use crate::sim::timeline::ServiceView;
use crate::value::{Value, map};

pub(super) fn services(ctx: &Ctx<'_>) -> Vec<Value> {
    ctx.snap
        .services
        .iter()
        .filter(|s| ctx.wants(&s.name))
        .map(|s| service(ctx, s))
        .collect()
}

fn stored<'a>(ctx: &'a Ctx<'_>, s: &ServiceView) -> Option<&'a crate::sim::stored::StoredObject> {
    ctx.snap
        .stored
        .get(&("Service".to_owned(), s.namespace.clone(), s.name.clone()))
}

fn created(ctx: &Ctx<'_>, s: &ServiceView) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    stored(ctx, s).map_or(0.0, |st| st.created as f64 / 1000.0)
}

/// A stable address in 10.96.0.0/12 for a Service (never .0, .1 or .255).
fn cluster_ip(namespace: &str, name: &str) -> String {
    let h = crate::sim::spec::fnv32(format!("{namespace}/{name}").as_bytes());
    format!("10.96.{}.{}", (h >> 8) % 256, (h % 253) + 2)
}

/// The node port the simulator allocated for `port` (`sim::service`), which requests to
/// the node use.
fn node_port(s: &ServiceView, port: &Value) -> Option<i64> {
    let Value::Int(number) = *port else {
        return None;
    };
    s.ports
        .iter()
        .find(|p| p.port == number)
        .and_then(|p| p.node_port)
}

fn service(ctx: &Ctx<'_>, s: &ServiceView) -> Value {
    let stored = stored(ctx, s);
    let version = ctx.version(|snap| {
        snap.services
            .iter()
            .any(|x| x.name == s.name && x.namespace == s.namespace)
            && stored.is_none_or(|st| {
                snap.stored
                    .get(&("Service".to_owned(), s.namespace.clone(), s.name.clone()))
                    == Some(st)
            })
    });
    let mut m = meta::metadata("Service", &s.namespace, &s.name, created(ctx, s), version);
    let source = stored.map(|st| (*st.source).clone()).unwrap_or_default();
    meta::applied(&mut m, &source, &s.namespace);
    let mut spec = source.get("spec").cloned().unwrap_or_default();
    defaults::service_spec(&mut spec);
    let kind = spec
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    if kind != "ExternalName" {
        let ip = match spec.get("clusterIP").and_then(Value::as_str) {
            Some(ip) if !ip.is_empty() => ip.to_owned(),
            _ => cluster_ip(&s.namespace, &s.name),
        };
        spec.set("clusterIP", ip.as_str());
        spec.set("clusterIPs", vec![Value::from(ip)]);
        spec.set("ipFamilies", vec![Value::from("IPv4")]);
        spec.set_default("ipFamilyPolicy", "SingleStack");
    }
    if matches!(kind.as_str(), "NodePort" | "LoadBalancer") {
        for p in spec.seq_mut("ports") {
            if p.get("nodePort").is_none_or(Value::is_zero)
                && let Some(n) = p.get("port").and_then(|port| node_port(s, port))
            {
                p.set("nodePort", n);
            }
        }
    }
    let mut obj = object("v1", "Service", m);
    obj.set("spec", spec);
    obj.set("status", map([("loadBalancer", map([]))]));
    obj
}

pub(super) fn endpoints(ctx: &Ctx<'_>) -> Vec<Value> {
    let net = ctx.snap;
    Network::services(net)
        .filter(|s| ctx.wants(s.name) && s.selector.is_some())
        .filter_map(|svc| {
            let view = ctx.snap.services.iter().find(|x| x.name == svc.name)?;
            let version = ctx.version(|snap| {
                snap.services
                    .iter()
                    .any(|x| x.name == view.name && x.endpoints == view.endpoints)
            });
            let mut m = meta::metadata(
                "Endpoints",
                svc.namespace,
                svc.name,
                created(ctx, view),
                version,
            );
            if let Some(labels) = stored(ctx, view).and_then(|st| st.source.at("metadata.labels")) {
                m.set("labels", labels.clone());
            }
            // `RepackSubsets` orders addresses by IP (as strings), then uid.
            let mut all = endpoints_of(net, &svc);
            all.sort_by(|a, b| a.ip.cmp(&b.ip));
            let address = |e: &crate::sim::endpoints::Endpoint| {
                let pod = ctx.snap.pods.iter().find(|p| p.name == e.pod);
                let mut a = map([("ip", e.ip.as_str().into())]);
                if let Some(p) = pod {
                    if let Some(node) = &p.node {
                        a.set("nodeName", node.as_str());
                    }
                    a.set(
                        "targetRef",
                        map([
                            ("kind", "Pod".into()),
                            ("name", p.name.as_str().into()),
                            ("namespace", p.namespace.as_str().into()),
                            (
                                "uid",
                                meta::uid("Pod", &p.namespace, &p.name, p.created_at).into(),
                            ),
                        ]),
                    );
                }
                a
            };
            let ready: Vec<Value> = all.iter().filter(|e| e.ready).map(address).collect();
            let not_ready: Vec<Value> = all
                .iter()
                .filter(|e| !e.ready && !e.terminating)
                .map(address)
                .collect();
            let mut obj = object("v1", "Endpoints", m);
            if ready.is_empty() && not_ready.is_empty() {
                return Some(obj);
            }
            // Ports: a named targetPort resolves to the first endpoint's container port.
            let first = all
                .first()
                .and_then(|e| ctx.snap.pods.iter().find(|p| p.name == e.pod));
            let ports: Vec<Value> = svc
                .ports
                .iter()
                .map(|p| {
                    let number = p.target.parse::<i64>().ok().or_else(|| {
                        first.and_then(|pod| {
                            pod.template
                                .0
                                .containers
                                .iter()
                                .flat_map(|c| c.ports.iter())
                                .find(|(n, _)| n.as_deref() == Some(p.target.as_str()))
                                .map(|(_, n)| *n)
                        })
                    });
                    let mut v = map([
                        ("port", number.unwrap_or(p.port).into()),
                        ("protocol", p.protocol.as_str().into()),
                    ]);
                    if let Some(name) = &p.name {
                        v.set("name", name.as_str());
                    }
                    v
                })
                .collect();
            let mut subset = map([("ports", ports.into())]);
            if !ready.is_empty() {
                subset.set("addresses", ready);
            }
            if !not_ready.is_empty() {
                subset.set("notReadyAddresses", not_ready);
            }
            obj.set("subsets", vec![subset]);
            Some(obj)
        })
        .collect()
}
