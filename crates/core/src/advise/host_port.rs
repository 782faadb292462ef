//! ## What it does
//! Notes a container port with `hostPort`.
//!
//! ## Why
//! A hostPort binds the port on the node itself: only one pod per node can use it, so
//! replicas beyond the number of nodes stay Pending (`didn't have free ports`).
//!
//! ## Fix
//! Remove `hostPort` and expose the pods with a Service.

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "host-port",
    severity: Severity::Info,
    source: Source::Advice,
    title: "Container port bound on the node (hostPort)",
    why: "A hostPort opens the port on the node's own address. Only one pod per node can hold \
          it, so with more replicas than nodes the rest stay Pending with the scheduler's \
          `node(s) didn't have free ports for the requested pod ports`, and rolling updates \
          cannot surge on the same node.",
    fix: "Remove `hostPort` and put a Service (NodePort or LoadBalancer if it must be reachable \
          from outside) in front of the pods.",
    docs: "https://kubernetes.io/docs/concepts/configuration/overview/#services",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (p, c) in ctx.app_containers() {
        let Some(ports) = c.node.get("ports").and_then(Node::as_sequence) else {
            continue;
        };
        for (i, port) in ports.iter().enumerate() {
            let Some(host) = port.get("hostPort") else {
                continue;
            };
            if host.as_i64().is_some_and(|v| v > 0) {
                out.push(
                    ctx.diag(
                        &RULE,
                        p.object,
                        host.range,
                        format!(
                            "container \"{}\" binds hostPort {}",
                            c.name.unwrap_or("?"),
                            host.as_i64().unwrap_or(0)
                        ),
                    )
                    .field(format!("{}.ports[{i}].hostPort", c.path)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_host_port() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      ports:\n        - containerPort: 80\n          hostPort: 8080\n";
        assert_eq!(lines_of(text, "host-port"), vec![11]);
    }

    #[test]
    fn good_container_port_only() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      ports:\n        - containerPort: 80\n";
        assert!(lines_of(text, "host-port").is_empty());
    }
}
