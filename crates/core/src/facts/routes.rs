//! Which Service and port each Ingress path reaches, as written (the simulator routes
//! actual requests; this is the static picture the editor shows).

use serde::Serialize;

use crate::check::Context;
use crate::model::Object;
use crate::yaml::Node;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteFact {
    /// `*` when the rule has no host.
    pub host: String,
    pub path: String,
    pub path_type: String,
    pub service: String,
    /// The backend port as written (number or name).
    pub port: String,
    /// Whether a Service of that name exposing that port is in these files.
    pub service_found: bool,
}

fn port_of(backend: &Node) -> String {
    backend
        .at("service.port")
        .and_then(|p| p.get("number").or_else(|| p.get("name")))
        .and_then(|v| v.as_scalar())
        .map(|s| s.value.clone())
        .unwrap_or_default()
}

/// Every path of an Ingress (and its default backend) with the Service it names.
#[must_use]
pub fn routes_of(ctx: &Context<'_>, ingress: &Object, root: &Node) -> Vec<RouteFact> {
    let namespace = ingress.namespace.as_deref().unwrap_or("");
    let exposes = |service: &str, port: &str| {
        ctx.find("Service", service, namespace)
            .is_some_and(|(_, svc)| {
                svc.at("spec.ports")
                    .and_then(Node::as_sequence)
                    .unwrap_or_default()
                    .iter()
                    .any(|p| {
                        ["port", "name"].iter().any(|k| {
                            p.get(k)
                                .and_then(|v| v.as_scalar())
                                .is_some_and(|s| s.value == port)
                        })
                    })
            })
    };
    let mut out = Vec::new();
    let mut push = |host: &str, path: &str, path_type: &str, backend: &Node| {
        let service = backend
            .at("service.name")
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_owned();
        let port = port_of(backend);
        out.push(RouteFact {
            host: host.to_owned(),
            path: path.to_owned(),
            path_type: path_type.to_owned(),
            service_found: !service.is_empty() && exposes(&service, &port),
            service,
            port,
        });
    };
    for rule in root
        .at("spec.rules")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
    {
        let host = rule.get("host").and_then(Node::as_str).unwrap_or("*");
        for p in rule
            .at("http.paths")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
        {
            let Some(backend) = p.get("backend") else {
                continue;
            };
            let path = p.get("path").and_then(Node::as_str).unwrap_or("/");
            let path_type = p.get("pathType").and_then(Node::as_str).unwrap_or("");
            push(host, path, path_type, backend);
        }
    }
    if let Some(backend) = root.at("spec.defaultBackend") {
        push("*", "(default)", "", backend);
    }
    out
}
