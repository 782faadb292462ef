//! ## What it does
//! Checks a Service as the API server does (`pkg/apis/core/validation/validation.go`
//! `ValidateService`, `validateServicePort`, `ValidatePortNumOrName`; node port range from the
//! REST allocator `pkg/registry/core/service/portallocator`): `ports` required unless the
//! Service is headless or ExternalName; port numbers 1–65535; a named or numbered
//! `targetPort` valid; every port named (DNS-1123 label, unique) once there are several;
//! no duplicate port/protocol pairs or node ports; `nodePort` only on NodePort and
//! LoadBalancer Services and inside 30000–32767 (the default range of a real cluster, checked
//! on create); `clusterIP: None` not with NodePort or LoadBalancer; ExternalName Services
//! need a DNS `externalName`.
//!
//! ## Why
//! Each Service port is addressed by number and, when there are several, by name (Ingress
//! backends and EndpointSlices use the name). Node ports come from a fixed range opened on
//! every node. A headless Service has no virtual IP, so nothing could forward a node port.
//!
//! ## Example
//! ```yaml
//! spec:
//!   type: NodePort
//!   ports:
//!     - port: 80
//!       nodePort: 8080
//! ```
//! ## Fix
//! Use a node port between 30000 and 32767, or leave `nodePort` out to get a free one.

use super::{api, names};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;
use crate::yaml::{Node, Resolved};

pub static RULE: Rule = Rule {
    code: "service-spec",
    severity: Severity::Error,
    source: Source::Api,
    title: "Service ports, type or cluster IP invalid",
    why: "A Service needs at least one port (unless headless or ExternalName), each between 1 \
          and 65535; with several ports every one needs a unique name. Node ports come from \
          the cluster's node-port range (30000–32767 by default) and exist only on NodePort \
          and LoadBalancer Services, which also need a cluster IP.",
    fix: "Give each port a number in 1–65535 and, with several ports, a unique lowercase name; \
          leave `nodePort` out (or pick one in 30000–32767) and use `type: NodePort` for it.",
    docs: "https://kubernetes.io/docs/concepts/services-networking/service/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in api::objects(ctx) {
        if kind != "Service" {
            continue;
        }
        let Some(spec) = root.get("spec").filter(|s| s.as_mapping().is_some()) else {
            continue;
        };
        let ty = spec
            .get("type")
            .and_then(Node::as_str)
            .unwrap_or("ClusterIP");
        let cluster_ip = spec.get("clusterIP").and_then(Node::as_str);
        let headless = cluster_ip == Some("None");
        let ports = api::items(spec, "ports");
        let e = |range, field: &str, body: &str| api::error(ctx, &RULE, object, range, field, body);
        if ports.is_empty() && !headless && ty != "ExternalName" {
            let range = spec.entry("ports").map_or(spec.range, |e| e.key.range);
            out.push(e(range, "spec.ports", &api::required("")).help(
                "Add `ports: [{port: 80, targetPort: 8080}]`: the port clients use and the container port it forwards to.",
            ));
        }
        if headless
            && matches!(ty, "NodePort" | "LoadBalancer")
            && let Some(n) = spec.get("clusterIP")
        {
            let body = api::invalid(
                "\"None\"",
                &format!("may not be set to 'None' for {ty} services"),
            );
            out.push(e(n.range, "spec.clusterIPs[0]", &body).help(
                "A headless Service has no virtual IP to forward node traffic to: remove `clusterIP: None`, or use `type: ClusterIP`.",
            ));
        }
        if ty == "ExternalName" {
            let name = spec
                .get("externalName")
                .and_then(Node::as_str)
                .unwrap_or("");
            let cname = name.strip_suffix('.').unwrap_or(name);
            let range = spec.get("externalName").map_or(spec.range, |n| n.range);
            if cname.is_empty() {
                out.push(e(range, "spec.externalName", &api::required("")).help(
                    "An ExternalName Service is a DNS alias: set `externalName: db.example.com`.",
                ));
            } else {
                for msg in names::dns1123_subdomain(cname) {
                    out.push(e(
                        range,
                        "spec.externalName",
                        &api::invalid(&api::q(cname), &msg),
                    ));
                }
            }
        }
        let several = ports.len() > 1;
        let mut names_seen: Vec<&str> = Vec::new();
        let mut pairs: Vec<(i64, &str)> = Vec::new();
        let mut node_ports: Vec<(i64, &str)> = Vec::new();
        for (i, port) in ports.iter().enumerate() {
            let path = || format!("spec.ports[{i}]");
            let protocol = port.get("protocol").and_then(Node::as_str).unwrap_or("TCP");
            match port
                .get("name")
                .and_then(Node::as_str)
                .filter(|s| !s.is_empty())
            {
                None if several => {
                    let range = port.get("port").unwrap_or(port).range;
                    out.push(e(range, &format!("{}.name", path()), &api::required("")).help(
                        "With more than one port, every port needs a unique name (for example `http` and `https`).",
                    ));
                }
                None => {}
                Some(name) => {
                    let n = port.get("name").map_or(port.range, |n| n.range);
                    for msg in names::dns1123_label(name) {
                        out.push(e(
                            n,
                            &format!("{}.name", path()),
                            &api::invalid(&api::q(name), &msg),
                        ));
                    }
                    if names_seen.contains(&name) {
                        out.push(e(
                            n,
                            &format!("{}.name", path()),
                            &api::duplicate(&api::q(name)),
                        ));
                    } else {
                        names_seen.push(name);
                    }
                }
            }
            let number = api::int_at(port, "port");
            if let Some((n, v)) = number {
                if !(1..=65535).contains(&v) {
                    out.push(e(
                        n.range,
                        &format!("{}.port", path()),
                        &api::invalid(&v.to_string(), api::PORT_RANGE),
                    ));
                }
                if pairs.contains(&(v, protocol)) {
                    let value = format!(
                        "{{\"Name\":{},\"Protocol\":{},\"AppProtocol\":null,\"Port\":{v},\"TargetPort\":0,\"NodePort\":0}}",
                        api::q(""),
                        api::q(protocol)
                    );
                    out.push(e(n.range, &path(), &api::duplicate(&value)).help(
                        "Each port number may appear once per protocol; remove the repeated entry or change its port.",
                    ));
                } else {
                    pairs.push((v, protocol));
                }
            }
            if let Some(t) = port.get("targetPort") {
                match t.resolve() {
                    Some(Resolved::Int(0)) => {}
                    Some(Resolved::Int(v)) if !(1..=65535).contains(&v) => {
                        out.push(e(
                            t.range,
                            &format!("{}.targetPort", path()),
                            &api::invalid(&v.to_string(), api::PORT_RANGE),
                        ));
                    }
                    Some(Resolved::Str(s)) if !s.is_empty() => {
                        for msg in api::port_name_errors(s) {
                            out.push(e(
                                t.range,
                                &format!("{}.targetPort", path()),
                                &api::invalid(&api::q(s), msg),
                            ));
                        }
                    }
                    _ => {}
                }
            }
            if let Some((n, v)) = api::int_at(port, "nodePort")
                && v != 0
            {
                let field = format!("{}.nodePort", path());
                if ty == "ClusterIP" {
                    let body = api::forbidden("may not be used when `type` is 'ClusterIP'");
                    out.push(e(n.range, &field, &body).help(
                        "Set `type: NodePort` (or LoadBalancer) to open a node port, or remove `nodePort`.",
                    ));
                } else if matches!(ty, "NodePort" | "LoadBalancer") {
                    if node_ports.contains(&(v, protocol)) {
                        out.push(e(n.range, &field, &api::duplicate(&v.to_string())));
                    } else {
                        node_ports.push((v, protocol));
                    }
                    // The REST allocator, on create: `--service-node-port-range` 30000-32767.
                    if !(30000..=32767).contains(&v) {
                        let body = api::invalid(
                            &v.to_string(),
                            "provided port is not in the valid range. The range of valid ports is 30000-32767",
                        );
                        out.push(e(n.range, &field, &body).help(
                            "Node ports come from 30000–32767 on a default cluster; pick one there, or leave `nodePort` out to get a free one. Clients then reach <node-ip>:<nodePort>.",
                        ));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const SVC: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  selector:\n    app: web\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n      nodePort: 30080\n";

    #[test]
    fn good_node_port() {
        assert!(lines_of(SVC, "service-spec").is_empty());
    }

    #[test]
    fn bad_node_port_out_of_range() {
        let text = SVC.replace("30080", "8080");
        assert_eq!(lines_of(&text, "service-spec"), vec![13]);
        let d = diagnostics_of(&text);
        let d = d.iter().find(|d| d.code == "service-spec").unwrap();
        assert_eq!(
            d.apiserver.as_deref(),
            Some(
                "The Service \"web\" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767"
            )
        );
    }

    #[test]
    fn bad_two_unnamed_ports_and_no_ports() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n    - port: 443\n";
        assert_eq!(lines_of(text, "service-spec"), vec![7, 8]);
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n";
        assert_eq!(lines_of(text, "service-spec"), vec![6]);
    }
}
