//! ## What it does
//! Flags an Ingress backend (a rule path or `defaultBackend`) that names a Service not in
//! these files (same namespace), or a port, by number or name, that the Service does not
//! expose.
//!
//! ## Why
//! The Ingress controller routes a matching request to the named Service and port. If the
//! Service does not exist, or has no such port, the controller has no upstream for that path
//! and answers 503 (ingress-nginx logs "service ... does not have any active endpoint" or
//! "port not found"), while other paths of the same Ingress keep working.
//!
//! ## Example
//! ```yaml
//! backend:
//!   service:
//!     name: web
//!     port: {number: 8080}   # the Service exposes port 80
//! ```
//! ## Fix
//! ```yaml
//!     port: {number: 80}
//! ```

use crate::advise::links::{names_of, near_miss, ns};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "ingress-backend-missing",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Ingress backend Service or port not found",
    why: "An Ingress sends each matching request to the Service and port its backend names, in \
          the Ingress's own namespace, and the port refers to the Service's `port` (not the \
          container's). If that Service is not there or exposes no such port, the controller \
          has nowhere to send the request and answers 503 for that path. The Service might \
          exist in the cluster already; if it should be among these files, check the spelling.",
    fix: "Name a Service in the Ingress's namespace and one of its ports: \
          `port.number` equal to a `spec.ports[].port` of the Service, or `port.name` equal to \
          a `spec.ports[].name`.",
    docs: "https://kubernetes.io/docs/concepts/services-networking/ingress/#the-ingress-resource",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let services = names_of(ctx, "Service");
    for (ingress, root, kind) in ctx.objects_with_root() {
        if kind != "Ingress" {
            continue;
        }
        let mut backends: Vec<(&Node, String)> = Vec::new();
        if let Some(b) = root.at("spec.defaultBackend") {
            backends.push((b, "spec.defaultBackend".into()));
        }
        for (i, rule) in root
            .at("spec.rules")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            for (j, path) in rule
                .at("http.paths")
                .and_then(Node::as_sequence)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                if let Some(b) = path.get("backend") {
                    backends.push((b, format!("spec.rules[{i}].http.paths[{j}].backend")));
                }
            }
        }
        let namespace = ns(ingress);
        for (backend, field) in backends {
            let Some(svc) = backend.get("service") else {
                continue;
            };
            let Some(name_node) = svc.get("name") else {
                continue;
            };
            let Some(name) = name_node.as_str() else {
                continue;
            };
            let Some(service_root) = services.get(&(namespace, name)) else {
                let near = near_miss(
                    name,
                    services
                        .keys()
                        .filter(|(n, _)| *n == namespace)
                        .map(|(_, s)| *s),
                );
                let mut message = format!(
                    "Ingress \"{}\" sends traffic to Service \"{name}\", which is not in these files: unless the cluster has it, requests get 503",
                    ingress.name_or_empty()
                );
                if let Some(n) = near {
                    message.push_str(&format!("; did you mean \"{n}\"?"));
                }
                let mut d = ctx
                    .diag(&RULE, ingress, name_node.range, message)
                    .field(format!("{field}.service.name"));
                if let Some(n) = near {
                    d = d.edit(Edit {
                        start: name_node.range.start,
                        end: name_node.range.end,
                        insert: n.to_owned(),
                        title: format!("Use Service \"{n}\""),
                    });
                }
                out.push(d);
                continue;
            };
            let exposed: Vec<(Option<i64>, Option<&str>)> = service_root
                .at("spec.ports")
                .and_then(Node::as_sequence)
                .unwrap_or_default()
                .iter()
                .map(|p| {
                    (
                        p.get("port").and_then(Node::as_i64),
                        p.get("name").and_then(Node::as_str),
                    )
                })
                .collect();
            let numbers: Vec<String> = exposed
                .iter()
                .filter_map(|(n, _)| n.map(|n| n.to_string()))
                .collect();
            if let Some(num_node) = svc.at("port.number") {
                let Some(n) = num_node.as_i64() else { continue };
                if exposed.iter().any(|(p, _)| *p == Some(n)) {
                    continue;
                }
                let mut d = ctx
                    .diag(
                        &RULE,
                        ingress,
                        num_node.range,
                        format!(
                            "Service \"{name}\" has no port {n} (it exposes {}): requests for this path get 503",
                            if numbers.is_empty() { "none".to_owned() } else { numbers.join(", ") }
                        ),
                    )
                    .field(format!("{field}.service.port.number"));
                if numbers.len() == 1 {
                    d = d.edit(Edit {
                        start: num_node.range.start,
                        end: num_node.range.end,
                        insert: numbers[0].clone(),
                        title: format!("Use port {}", numbers[0]),
                    });
                }
                out.push(d);
            } else if let Some(name_port) = svc.at("port.name") {
                let Some(pn) = name_port.as_str() else {
                    continue;
                };
                let names: Vec<&str> = exposed.iter().filter_map(|(_, n)| *n).collect();
                if names.contains(&pn) {
                    continue;
                }
                let near = near_miss(pn, names.iter().copied());
                let mut d = ctx
                    .diag(
                        &RULE,
                        ingress,
                        name_port.range,
                        format!(
                            "Service \"{name}\" has no port named \"{pn}\" ({}): requests for this path get 503",
                            if names.is_empty() {
                                "its ports have no names".to_owned()
                            } else {
                                format!("it has {}", names.join(", "))
                            }
                        ),
                    )
                    .field(format!("{field}.service.port.name"));
                if let Some(n) = near {
                    d = d.edit(Edit {
                        start: name_port.range.start,
                        end: name_port.range.end,
                        insert: n.to_owned(),
                        title: format!("Use port \"{n}\""),
                    });
                }
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n    - name: http\n      port: 80\n      targetPort: 8080\n---\n";

    fn ingress(service: &str, port: &str) -> String {
        format!(
            "{SERVICE}apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n    - host: shop.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: {service}\n                port:\n                  {port}\n"
        )
    }

    #[test]
    fn bad_service_typo() {
        let text = ingress("wbe", "number: 80");
        assert_eq!(lines_of(&text, "ingress-backend-missing"), vec![25]);
        let d = diagnostics_of(&text)
            .into_iter()
            .find(|d| d.code == "ingress-backend-missing")
            .unwrap();
        assert_eq!(d.edit.unwrap().insert, "web");
    }

    #[test]
    fn bad_port_number_and_name() {
        let text = ingress("web", "number: 8080");
        assert_eq!(lines_of(&text, "ingress-backend-missing"), vec![27]);
        let d = diagnostics_of(&text)
            .into_iter()
            .find(|d| d.code == "ingress-backend-missing")
            .unwrap();
        assert!(
            d.message.contains("no port 8080 (it exposes 80)"),
            "{}",
            d.message
        );
        assert_eq!(d.edit.unwrap().insert, "80");
        assert_eq!(
            lines_of(&ingress("web", "name: htp"), "ingress-backend-missing"),
            vec![27]
        );
    }

    #[test]
    fn good_by_number_or_name() {
        assert!(lines_of(&ingress("web", "number: 80"), "ingress-backend-missing").is_empty());
        assert!(lines_of(&ingress("web", "name: http"), "ingress-backend-missing").is_empty());
    }
}
