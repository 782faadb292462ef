//! ## What it does
//! Notes a container that does not set `allowPrivilegeEscalation: false`.
//!
//! ## Why
//! Unless it is false, a process can gain more privileges than its parent (setuid binaries
//! such as `sudo`), turning a foothold in the app into root in the container.
//!
//! ## Fix
//! `securityContext: {allowPrivilegeEscalation: false}`.

use super::security_context;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "privilege-escalation-allowed",
    severity: Severity::Info,
    source: Source::Advice,
    title: "Privilege escalation is not disabled",
    why: "By default a process in the container may gain more privileges than its parent, for \
          example through setuid binaries, so an attacker who gets into the app can become root \
          inside the container. The `restricted` Pod Security standard requires it to be off.",
    fix: "Add `allowPrivilegeEscalation: false` to the container's `securityContext`.",
    docs: "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (p, c) in ctx.app_containers() {
        let node = security_context::container(&c, "allowPrivilegeEscalation");
        if node.and_then(|n| n.as_bool()) == Some(false) {
            continue;
        }
        let range = node.map_or_else(
            || {
                c.node
                    .entry("name")
                    .map_or(c.node.range, |e| e.key.range.cover(e.value.range))
            },
            |n| n.range,
        );
        out.push(
            ctx.diag(
                &RULE,
                p.object,
                range,
                format!(
                    "container \"{}\" allows privilege escalation",
                    c.name.unwrap_or("?")
                ),
            )
            .field(format!(
                "{}.securityContext.allowPrivilegeEscalation",
                c.path
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_unset() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n";
        assert_eq!(lines_of(text, "privilege-escalation-allowed"), vec![7]);
    }

    #[test]
    fn good_disabled() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      securityContext: {allowPrivilegeEscalation: false}\n";
        assert!(lines_of(text, "privilege-escalation-allowed").is_empty());
    }
}
