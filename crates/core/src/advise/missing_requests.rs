//! ## What it does
//! Flags a container with no CPU or memory request.
//!
//! ## Why
//! The scheduler places pods by their requests. Without them a pod can land on a node that
//! is already full; with no requests and no limits at all the pod is `BestEffort`, the first
//! to be evicted when the node runs short of memory; and an HPA on CPU utilisation cannot
//! compute anything for it.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: api
//!     image: example/api:1.0
//! ```
//! ## Fix
//! ```yaml
//!     resources:
//!       requests: {cpu: 100m, memory: 128Mi}
//! ```

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::{containers, pod_spec};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "missing-requests",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Container without CPU or memory requests",
    why: "The scheduler places pods by their requests, so a container without them can be \
          packed onto a node that has no room for it. A pod with no requests and no limits is \
          BestEffort: the first to be evicted under memory pressure. An HPA on CPU utilisation \
          cannot scale a workload whose containers request no CPU.",
    fix: "Set `resources.requests` for cpu and memory to what the container normally uses, \
          for example `cpu: 100m` and `memory: 128Mi`.",
    docs: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in ctx.objects_with_root() {
        let Some((spec, path)) = pod_spec(kind, root) else {
            continue;
        };
        for c in containers(spec, path) {
            if c.init {
                continue;
            }
            let resources = c.node.get("resources");
            // Limits without requests default the requests to the limits (SetDefaults_Pod).
            let has = |res: &str| {
                ["requests", "limits"].iter().any(|k| {
                    resources
                        .and_then(|r| r.get(k))
                        .and_then(|m| m.get(res))
                        .is_some()
                })
            };
            let missing: Vec<&str> = ["cpu", "memory"].into_iter().filter(|r| !has(r)).collect();
            if missing.is_empty() {
                continue;
            }
            let name = c.name.unwrap_or("?");
            let anchor = c.node.entry("resources").map_or_else(
                || {
                    c.node
                        .entry("name")
                        .map_or(c.node.range, |e| e.key.range.cover(e.value.range))
                },
                |e| e.key.range,
            );
            out.push(
                ctx.diag(
                    &RULE,
                    object,
                    anchor,
                    format!(
                        "container \"{name}\" has no {} request",
                        missing.join(" or ")
                    ),
                )
                .field(format!("{}.resources.requests", c.path)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_no_resources() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n";
        assert_eq!(lines_of(text, "missing-requests"), vec![7]);
    }

    #[test]
    fn bad_only_cpu() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      resources:\n        requests:\n          cpu: 100m\n";
        assert_eq!(lines_of(text, "missing-requests"), vec![9]);
    }

    #[test]
    fn good_requests_or_limits() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: a\n      image: nginx:1.27\n      resources:\n        requests: {cpu: 100m, memory: 64Mi}\n    - name: b\n      image: nginx:1.27\n      resources:\n        limits: {cpu: 100m, memory: 64Mi}\n";
        assert!(lines_of(text, "missing-requests").is_empty());
    }
}
