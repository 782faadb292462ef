//! ## What it does
//! Flags a probe (`httpGet`, `tcpSocket` or `grpc`) whose port is not among the container's
//! declared `ports`: a port name that does not exist, or a number the container does not list.
//!
//! ## Why
//! A named port is looked up in the container's own `ports`; if no port has that name the
//! kubelet cannot run the probe and counts it as failed, every time. A number works only if
//! the app really listens there; when the declared ports say otherwise, it is usually a typo
//! (probe on 8080, app on 80) and the probe fails.
//!
//! ## Example
//! ```yaml
//! ports: [{name: http, containerPort: 80}]
//! livenessProbe: {httpGet: {path: /, port: htp}}
//! ```
//! ## Fix
//! Use a declared port name or number.

use super::container_util::name_of;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::containers;
use crate::rule::Rule;
use crate::yaml::{Node, Resolved};

pub static RULE: Rule = Rule {
    code: "probe-port-not-declared",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Probe on a port the container does not declare",
    why: "The kubelet resolves a named probe port among the container's own `ports`; when no \
          port has that name, the probe cannot run and fails every time, so readiness never \
          turns true and liveness restarts the container over and over. A numeric port is \
          probed as written, which works only if the application listens on it; a number that \
          differs from every declared port is usually a typo, and then the probe fails the same \
          way.",
    fix: "Point the probe at one of the container's `ports`, by its `name` or its \
          `containerPort`, or declare the port the application really listens on.",
    docs: "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        for c in containers(p.spec, p.path) {
            let ports = c
                .node
                .get("ports")
                .and_then(Node::as_sequence)
                .unwrap_or_default();
            let numbers: Vec<i64> = ports
                .iter()
                .filter_map(|p| p.get("containerPort").and_then(Node::as_i64))
                .collect();
            let names: Vec<&str> = ports
                .iter()
                .filter_map(|p| p.get("name").and_then(Node::as_str))
                .collect();
            for key in ["startupProbe", "livenessProbe", "readinessProbe"] {
                let Some(probe) = c.node.get(key) else {
                    continue;
                };
                for handler in ["httpGet", "tcpSocket", "grpc"] {
                    let Some(h) = probe.get(handler) else {
                        continue;
                    };
                    // A probe aimed at another host is not about this container's ports.
                    if h.get("host").is_some() {
                        continue;
                    }
                    let Some(port) = h.get("port") else { continue };
                    let message = match port.resolve() {
                        Some(Resolved::Int(n)) => {
                            // Without any declared port there is nothing to compare with.
                            if numbers.is_empty() || numbers.contains(&n) {
                                continue;
                            }
                            format!(
                                "container \"{}\": {key} probes port {n}, but the container declares {}; it only succeeds if the app also listens on {n}",
                                name_of(&c),
                                list(&numbers)
                            )
                        }
                        Some(Resolved::Str(name)) => {
                            if names.contains(&name) {
                                continue;
                            }
                            format!(
                                "container \"{}\": {key} uses port name \"{name}\", but the container has no port by that name{}; the kubelet fails this probe every time",
                                name_of(&c),
                                if names.is_empty() {
                                    String::new()
                                } else {
                                    format!(
                                        " (it has {})",
                                        names
                                            .iter()
                                            .map(|n| format!("\"{n}\""))
                                            .collect::<Vec<_>>()
                                            .join(", ")
                                    )
                                }
                            )
                        }
                        _ => continue,
                    };
                    out.push(
                        ctx.diag(&RULE, p.object, port.range, message)
                            .field(format!("{}.{key}.{handler}.port", c.path)),
                    );
                }
            }
        }
    }
}

fn list(numbers: &[i64]) -> String {
    let shown: Vec<String> = numbers.iter().map(ToString::to_string).collect();
    if shown.len() == 1 {
        format!("only port {}", shown[0])
    } else {
        format!("ports {}", shown.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    fn pod(probes: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      ports:\n        - name: http\n          containerPort: 80\n{probes}"
        )
    }

    #[test]
    fn bad_unknown_name_and_other_number() {
        let text = pod(
            "      readinessProbe:\n        httpGet: {path: /, port: htp}\n      livenessProbe:\n        tcpSocket:\n          port: 8080\n",
        );
        assert_eq!(lines_of(&text, "probe-port-not-declared"), vec![13, 16]);
        let d = diagnostics_of(&text);
        let d: Vec<_> = d
            .iter()
            .filter(|d| d.code == "probe-port-not-declared")
            .collect();
        assert_eq!(
            d[0].message,
            "container \"web\": readinessProbe uses port name \"htp\", but the container has no port by that name (it has \"http\"); the kubelet fails this probe every time"
        );
        assert_eq!(
            d[1].field.as_deref(),
            Some("spec.containers[0].livenessProbe.tcpSocket.port")
        );
    }

    #[test]
    fn good_declared_name_number_or_no_ports() {
        let text = pod(
            "      readinessProbe:\n        httpGet: {path: /, port: http}\n      livenessProbe:\n        tcpSocket: {port: 80}\n",
        );
        assert!(lines_of(&text, "probe-port-not-declared").is_empty());
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      livenessProbe:\n        httpGet: {path: /, port: 80}\n";
        assert!(lines_of(text, "probe-port-not-declared").is_empty());
    }
}
