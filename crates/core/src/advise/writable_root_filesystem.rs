//! ## What it does
//! Notes a container whose root filesystem is writable (`readOnlyRootFilesystem` not true).
//!
//! ## Why
//! An attacker who gets into a container with a writable filesystem can drop tools and
//! modify the app's own files; a read-only root also stops the app from filling the node's
//! disk through its container layer.
//!
//! ## Fix
//! `securityContext: {readOnlyRootFilesystem: true}` and an `emptyDir` volume for the
//! directories the app must write (`/tmp`, caches).

use super::security_context;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "writable-root-filesystem",
    severity: Severity::Info,
    source: Source::Advice,
    title: "Container can write to its root filesystem",
    why: "With a writable root filesystem, anything that gets code execution in the container can \
          change the app's binaries and drop tools, and logs or caches written to the container \
          layer count against the node's disk (and can get the pod evicted).",
    fix: "Add `securityContext: {readOnlyRootFilesystem: true}` to the container and mount an \
          `emptyDir` volume where the app needs to write (for example /tmp).",
    docs: "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (p, c) in ctx.app_containers() {
        let read_only =
            security_context::container(&c, "readOnlyRootFilesystem").and_then(|n| n.as_bool());
        if read_only == Some(true) {
            continue;
        }
        let range = security_context::container(&c, "readOnlyRootFilesystem").map_or_else(
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
                    "container \"{}\" has a writable root filesystem",
                    c.name.unwrap_or("?")
                ),
            )
            .field(format!("{}.securityContext.readOnlyRootFilesystem", c.path)),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_default() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n";
        assert_eq!(lines_of(text, "writable-root-filesystem"), vec![7]);
    }

    #[test]
    fn good_read_only() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      securityContext:\n        readOnlyRootFilesystem: true\n";
        assert!(lines_of(text, "writable-root-filesystem").is_empty());
    }
}
