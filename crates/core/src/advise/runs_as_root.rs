//! ## What it does
//! Flags a container that is explicitly told to run as user 0 (root), by its own
//! `securityContext.runAsUser` or the pod's.
//!
//! ## Why
//! Root in the container is root on the node's kernel: a container escape, or a writable
//! host mount, gives full control of the node.
//!
//! ## Fix
//! Set a non-zero `runAsUser` and `runAsNonRoot: true`.

use super::security_context;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "runs-as-root",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Container runs as root (runAsUser: 0)",
    why: "User 0 in a container is the same user 0 the node's kernel knows. Any container escape \
          or writable host path then acts as root on the node. The `restricted` Pod Security \
          standard refuses it.",
    fix: "Set `runAsUser` to a non-zero id the image supports (for example 10001) and \
          `runAsNonRoot: true`.",
    docs: "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (p, c) in ctx.app_containers() {
        let Some(user) = security_context::effective(&p, &c, "runAsUser") else {
            continue;
        };
        if user.as_i64() == Some(0) {
            out.push(
                ctx.diag(
                    &RULE,
                    p.object,
                    user.range,
                    format!("container \"{}\" runs as root", c.name.unwrap_or("?")),
                )
                .field(format!("{}.securityContext.runAsUser", c.path)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_pod_level_root() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    runAsUser: 0\n  containers:\n    - name: web\n      image: nginx:1.27\n";
        assert_eq!(lines_of(text, "runs-as-root"), vec![7]);
    }

    #[test]
    fn good_container_overrides_pod() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    runAsUser: 0\n  containers:\n    - name: web\n      image: nginx:1.27\n      securityContext:\n        runAsUser: 101\n";
        assert!(lines_of(text, "runs-as-root").is_empty());
    }
}
