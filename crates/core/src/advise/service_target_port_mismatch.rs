//! ## What it does
//! Flags a Service port whose `targetPort` (the `port` when not written) matches no
//! `containerPort` of the pods it selects: by number when the pods declare their ports, by
//! name always (a named targetPort only works through a named container port).
//!
//! ## Why
//! The Service has endpoints (the selector matches), so everything looks healthy, but traffic
//! is forwarded to a port nothing listens on: connections are refused or time out. For a
//! named targetPort that no container declares, the endpoints controller leaves the pod's
//! port out entirely.
//!
//! ## Example
//! ```yaml
//! ports:
//!   - port: 80
//!     targetPort: 8000   # the container listens on 8080
//! ```
//! ## Fix
//! ```yaml
//!     targetPort: 8080
//! ```

use std::collections::BTreeSet;

use crate::advise::links::{PodOwners, near_miss};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::model::{containers, pod_spec};
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "service-target-port-mismatch",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Service targetPort matches no container port",
    why: "The Service forwards each port to targetPort on the selected pods (the same number as \
          `port` when targetPort is omitted). If the containers listen elsewhere, the Service \
          has endpoints and looks healthy, yet every connection is refused or times out. A named \
          targetPort is resolved through the container's named ports; when no container has \
          that name, the endpoints controller omits the port for that pod.",
    fix: "Set `targetPort` to the `containerPort` the application listens on (or to that port's \
          `name`), and declare the port in the container's `ports`.",
    docs: "https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service",
};

pub static CHECK: Check = Check { rule: &RULE, run };

/// Port numbers, and named ports with their numbers.
type Declared = (BTreeSet<i64>, Vec<(String, i64)>);

/// The ports a pod spec declares: numbers, and names with their numbers. Regular containers
/// and restartable (sidecar) init containers serve traffic.
fn declared(spec: &Node, path: &str) -> Declared {
    let mut numbers = BTreeSet::new();
    let mut names = Vec::new();
    for c in containers(spec, path) {
        if c.init && c.node.get("restartPolicy").and_then(Node::as_str) != Some("Always") {
            continue;
        }
        for p in c
            .node
            .get("ports")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
        {
            let Some(n) = p.get("containerPort").and_then(Node::as_i64) else {
                continue;
            };
            numbers.insert(n);
            if let Some(name) = p.get("name").and_then(Node::as_str) {
                names.push((name.to_owned(), n));
            }
        }
    }
    (numbers, names)
}

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let owners = PodOwners::of(ctx);
    for (service, root, kind) in ctx.objects_with_root() {
        if kind != "Service" {
            continue;
        }
        let selected = owners.selected_by(service, root).unwrap_or_default();
        if selected.is_empty() {
            continue;
        }
        let pods: Vec<(String, Declared)> = selected
            .iter()
            .filter_map(|o| {
                let (spec, path) = pod_spec(o.kind, o.root)?;
                let who = format!("{}/{}", o.kind, o.object.name_or_empty());
                Some((who, declared(spec, path)))
            })
            .collect();
        let ports = root
            .at("spec.ports")
            .and_then(Node::as_sequence)
            .unwrap_or_default();
        for (i, port) in ports.iter().enumerate() {
            let target = port
                .get("targetPort")
                .filter(|t| !t.is_null() && t.as_i64() != Some(0) && t.as_str() != Some(""));
            let written = target.is_some();
            let Some(node) = target.or_else(|| port.get("port")) else {
                continue;
            };
            let mut lacking = Vec::new();
            let mut offered: BTreeSet<i64> = BTreeSet::new();
            let mut offered_names: Vec<&str> = Vec::new();
            if let Some(n) = node.as_i64() {
                for (who, (numbers, _)) in &pods {
                    // Ports are informational: only judge pods that declare theirs.
                    if !numbers.is_empty() && !numbers.contains(&n) {
                        lacking.push(who.as_str());
                        offered.extend(numbers.iter().copied());
                    }
                }
            } else if let Some(name) = node.as_str() {
                for (who, (_, names)) in &pods {
                    if !names.iter().any(|(pn, _)| pn == name) {
                        lacking.push(who.as_str());
                        offered_names.extend(names.iter().map(|(pn, _)| pn.as_str()));
                    }
                }
            } else {
                continue;
            }
            if lacking.is_empty() {
                continue;
            }
            let shown = node.as_scalar().map_or("", |s| s.value.as_str());
            let what = if written {
                format!("targetPort {shown}")
            } else {
                format!("targetPort (defaults to port {shown})")
            };
            let declared_text = if node.as_i64().is_some() {
                let list: Vec<String> = offered.iter().map(ToString::to_string).collect();
                format!("they declare containerPort {}", list.join(", "))
            } else if offered_names.is_empty() {
                "they declare no named port".to_owned()
            } else {
                format!("their named ports are {}", offered_names.join(", "))
            };
            let mut d = ctx
                .diag(
                    &RULE,
                    service,
                    node.range,
                    format!(
                        "Service \"{}\" {what} matches no container port of {} ({declared_text}): connections will fail",
                        service.name_or_empty(),
                        lacking.join(", ")
                    ),
                )
                .field(format!("spec.ports[{i}].targetPort"));
            if written {
                let fix = if node.as_i64().is_some() && offered.len() == 1 {
                    offered.iter().next().map(ToString::to_string)
                } else {
                    node.as_str()
                        .and_then(|name| near_miss(name, offered_names.iter().copied()))
                        .map(str::to_owned)
                };
                if let Some(fix) = fix {
                    d = d.edit(Edit {
                        start: node.range.start,
                        end: node.range.end,
                        title: format!("Target port {fix}"),
                        insert: fix,
                    });
                }
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: example/api:1.0\n          ports:\n            - name: http\n              containerPort: 8080\n---\n";

    fn service(ports: &str) -> String {
        format!(
            "{DEPLOYMENT}apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector: {{app: api}}\n  ports:\n{ports}"
        )
    }

    #[test]
    fn bad_number_with_edit() {
        let text = service("    - port: 80\n      targetPort: 8000\n");
        assert_eq!(lines_of(&text, "service-target-port-mismatch"), vec![28]);
        let d = diagnostics_of(&text)
            .into_iter()
            .find(|d| d.code == "service-target-port-mismatch")
            .unwrap();
        assert!(d.message.contains("containerPort 8080"), "{}", d.message);
        assert_eq!(d.edit.unwrap().insert, "8080");
    }

    #[test]
    fn bad_default_and_named() {
        assert_eq!(
            lines_of(&service("    - port: 80\n"), "service-target-port-mismatch"),
            vec![27]
        );
        let text = service("    - port: 80\n      targetPort: htp\n");
        assert_eq!(lines_of(&text, "service-target-port-mismatch"), vec![28]);
        let d = diagnostics_of(&text)
            .into_iter()
            .find(|d| d.code == "service-target-port-mismatch")
            .unwrap();
        assert_eq!(d.edit.unwrap().insert, "http");
    }

    #[test]
    fn good_number_name_or_undeclared() {
        for ports in [
            "    - port: 80\n      targetPort: 8080\n",
            "    - port: 80\n      targetPort: http\n",
            "    - port: 8080\n",
        ] {
            assert!(
                lines_of(&service(ports), "service-target-port-mismatch").is_empty(),
                "{ports}"
            );
        }
        let undeclared = service("    - port: 80\n      targetPort: 9000\n").replace(
            "          ports:\n            - name: http\n              containerPort: 8080\n",
            "",
        );
        assert!(lines_of(&undeclared, "service-target-port-mismatch").is_empty());
    }
}
