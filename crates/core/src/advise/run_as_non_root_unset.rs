//! ## What it does
//! Notes a container that neither sets `runAsNonRoot: true` nor a non-zero `runAsUser`
//! (its own or the pod's).
//!
//! ## Why
//! The container then runs as whatever user the image declares, and many images declare
//! none, which means root.
//!
//! ## Fix
//! `securityContext: {runAsNonRoot: true}` (the kubelet then refuses to start a root image).

use super::security_context;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "run-as-non-root-unset",
    severity: Severity::Info,
    source: Source::Advice,
    title: "Nothing stops the container from running as root",
    why: "Without `runAsNonRoot: true` or a non-zero `runAsUser`, the container runs as the \
          user the image chose, which for many popular images is root. With `runAsNonRoot` the \
          kubelet refuses to start an image that would run as root instead of silently doing so.",
    fix: "Add `securityContext: {runAsNonRoot: true}` to the pod (and `runAsUser` if the image \
          has no numeric USER).",
    docs: "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (p, c) in ctx.app_containers() {
        let non_root = security_context::effective(&p, &c, "runAsNonRoot")
            .and_then(|n| n.as_bool())
            == Some(true);
        let user = security_context::effective(&p, &c, "runAsUser").and_then(|n| n.as_i64());
        if non_root || user.is_some() {
            continue;
        }
        let anchor = c
            .node
            .entry("name")
            .map_or(c.node.range, |e| e.key.range.cover(e.value.range));
        out.push(
            ctx.diag(
                &RULE,
                p.object,
                anchor,
                format!(
                    "container \"{}\" may run as root: runAsNonRoot is not set",
                    c.name.unwrap_or("?")
                ),
            )
            .field(format!("{}.securityContext.runAsNonRoot", c.path)),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_nothing_set() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n";
        assert_eq!(lines_of(text, "run-as-non-root-unset"), vec![7]);
    }

    #[test]
    fn good_pod_level_non_root() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: web\n      image: nginx:1.27\n";
        assert!(lines_of(text, "run-as-non-root-unset").is_empty());
    }
}
