//! ## What it does
//! Flags `securityContext.privileged: true`.
//!
//! ## Why
//! A privileged container has every capability and all host devices: escaping to the node
//! is trivial, so one compromised app becomes a compromised node.
//!
//! ## Fix
//! Remove `privileged: true`; add only the specific capability the app needs.

use super::security_context;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "privileged-container",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Privileged container",
    why: "A privileged container runs with every Linux capability and sees all of the host's \
          devices. Anyone who gets code execution in it effectively owns the node and every \
          other pod on it. Most namespaces with Pod Security `baseline` or `restricted` refuse it.",
    fix: "Remove `privileged: true`. If the app needs one specific power, add just that \
          capability under `securityContext.capabilities.add`.",
    docs: "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        for c in crate::model::containers(p.spec, p.path) {
            let Some(node) = security_context::container(&c, "privileged") else {
                continue;
            };
            if node.as_bool() == Some(true) {
                out.push(
                    ctx.diag(
                        &RULE,
                        p.object,
                        node.range,
                        format!("container \"{}\" is privileged", c.name.unwrap_or("?")),
                    )
                    .field(format!("{}.securityContext.privileged", c.path)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_privileged() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: tool\nspec:\n  containers:\n    - name: tool\n      image: busybox:1.36\n      securityContext:\n        privileged: true\n";
        assert_eq!(lines_of(text, "privileged-container"), vec![10]);
    }

    #[test]
    fn good_unprivileged() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: tool\nspec:\n  containers:\n    - name: tool\n      image: busybox:1.36\n      securityContext:\n        privileged: false\n";
        assert!(lines_of(text, "privileged-container").is_empty());
    }
}
