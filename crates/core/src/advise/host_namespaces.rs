//! ## What it does
//! Flags `hostNetwork`, `hostPID` or `hostIPC` set to true.
//!
//! ## Why
//! The pod then shares the node's network stack, process table or IPC: it can see and
//! disturb every process and connection on the node, and with hostNetwork two replicas on
//! one node collide on their ports.
//!
//! ## Fix
//! Remove the field; expose the app through a Service instead of the host network.

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "host-namespaces",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Pod shares the node's network, process or IPC namespace",
    why: "With hostNetwork the pod binds ports on the node itself, so two replicas cannot share a \
          node and the pod can reach every local service; with hostPID it sees and can signal \
          every process on the node; with hostIPC it shares the node's shared memory. Pod \
          Security `baseline` refuses all three.",
    fix: "Remove `hostNetwork`/`hostPID`/`hostIPC`; reach the app through a Service.",
    docs: "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        for field in ["hostNetwork", "hostPID", "hostIPC"] {
            let Some(entry) = p.spec.entry(field) else {
                continue;
            };
            if entry.value.as_bool() == Some(true) {
                out.push(
                    ctx.diag(
                        &RULE,
                        p.object,
                        entry.key.range.cover(entry.value.range),
                        format!("{field} is true"),
                    )
                    .field(format!("{}.{field}", p.path)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_host_network() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  hostNetwork: true\n  containers:\n    - name: web\n      image: nginx:1.27\n";
        assert_eq!(lines_of(text, "host-namespaces"), vec![6]);
    }

    #[test]
    fn good_explicit_false() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  hostPID: false\n  containers:\n    - name: web\n      image: nginx:1.27\n";
        assert!(lines_of(text, "host-namespaces").is_empty());
    }
}
