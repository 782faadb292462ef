//! ## What it does
//! Flags a container (or sidecar) with no memory limit.
//!
//! ## Why
//! Without a limit the container may grow until the node itself runs short of memory. Then
//! the kernel's OOM killer picks a process, and the kubelet evicts pods ranked by how far
//! their usage exceeds their requests: a leak in one pod can take down its neighbours.
//!
//! ## Example
//! ```yaml
//! resources:
//!   requests: {cpu: 100m, memory: 128Mi}
//! ```
//! ## Fix
//! ```yaml
//! resources:
//!   requests: {cpu: 100m, memory: 128Mi}
//!   limits: {memory: 256Mi}
//! ```

use super::container_util::{container_anchor, has_resource_key, is_sidecar, name_of};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::containers;
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "memory-limit-missing",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Container without a memory limit",
    why: "A container without a memory limit can use all of the node's memory. When the node \
          runs short, the kernel OOM-kills processes and the kubelet evicts pods, starting with \
          those that use the most memory above their requests, so one leaking container can get \
          its neighbours killed too. With a limit, only the container that overuses is \
          OOM-killed (exit code 137) and restarted.",
    fix: "Add `resources.limits.memory`, at or somewhat above what the container normally uses, \
          for example `memory: 256Mi`. Setting it equal to the request gives the most \
          predictable behaviour.",
    docs: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#how-pods-with-resource-limits-are-run",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        // Pod-level resources (beta since 1.34) cap every container together.
        if p.spec.at("resources.limits.memory").is_some() {
            continue;
        }
        for c in containers(p.spec, p.path) {
            if c.init && !is_sidecar(&c) {
                continue;
            }
            if has_resource_key(&c, "limits", "memory") {
                continue;
            }
            let resources = c.node.entry("resources");
            let anchor = resources
                .and_then(|r| r.value.entry("limits"))
                .or(resources)
                .map_or_else(|| container_anchor(&c), |e| e.key.range);
            out.push(
                ctx.diag(
                    &RULE,
                    p.object,
                    anchor,
                    format!(
                        "container \"{}\" has no memory limit: it can take all of the node's memory",
                        name_of(&c)
                    ),
                )
                .field(format!("{}.resources.limits.memory", c.path)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n";

    #[test]
    fn bad_requests_only() {
        let text =
            format!("{POD}      resources:\n        requests: {{cpu: 100m, memory: 128Mi}}\n");
        assert_eq!(lines_of(&text, "memory-limit-missing"), vec![9]);
    }

    #[test]
    fn bad_cpu_limit_only_and_no_resources() {
        let text = format!(
            "{POD}      resources:\n        limits:\n          cpu: 500m\n    - name: log\n      image: fluent/fluent-bit:3.1\n"
        );
        assert_eq!(lines_of(&text, "memory-limit-missing"), vec![10, 12]);
    }

    #[test]
    fn good_memory_limit_or_pod_level_limit() {
        let text = format!("{POD}      resources:\n        limits: {{memory: 256Mi}}\n");
        assert!(lines_of(&text, "memory-limit-missing").is_empty());
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  resources:\n    limits: {memory: 1Gi}\n  containers:\n    - name: web\n      image: nginx:1.27\n";
        assert!(lines_of(text, "memory-limit-missing").is_empty());
    }

    #[test]
    fn good_plain_init_container_is_not_flagged() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  initContainers:\n    - name: init\n      image: busybox:1.36\n  containers:\n    - name: web\n      image: nginx:1.27\n      resources:\n        limits: {memory: 256Mi}\n";
        assert!(lines_of(text, "memory-limit-missing").is_empty());
    }
}
