//! ## What it does
//! Notes a CPU limit and explains its trade-off.
//!
//! ## Why
//! A CPU limit is enforced by the kernel's CFS quota: in every 100 ms period the container
//! may use its limit's worth of CPU time and is then paused until the next period, even when
//! the node's other cores are idle. Latency-sensitive services see slow tail requests. Without
//! a limit, a busy neighbour can use the node's spare CPU, but never the CPU other pods
//! request, since requests are guaranteed shares. Practitioners disagree (kube-score and
//! Polaris ask for CPU limits; many operators remove them), so this is information only.
//!
//! ## Example
//! ```yaml
//! limits: {cpu: 500m}
//! ```
//! ## Fix
//! Keep it if you need predictable, capped usage (or a Guaranteed pod); otherwise consider a
//! CPU request alone.

use super::container_util::{is_sidecar, name_of, resource};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::containers;
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "cpu-limit-throttling",
    severity: Severity::Info,
    source: Source::Advice,
    title: "CPU limit: throttled even when the node is idle",
    why: "The kernel enforces a CPU limit as a quota per 100 ms period: once the container has \
          used its share it is paused until the next period, even if the node's other cores sit \
          idle, so requests that need a burst of CPU get slower. Without a limit the container \
          may borrow spare CPU, yet it can never take the CPU other pods request, because \
          requests are guaranteed shares. A limit does make usage predictable, and with equal \
          requests and limits for cpu and memory the pod is Guaranteed. Tools disagree here; \
          this is a trade-off, not a mistake.",
    fix: "Keep the limit if you want capped, predictable usage or a Guaranteed pod. For \
          latency-sensitive services, consider setting only `requests.cpu` to what the \
          container needs and leaving the CPU limit out.",
    docs: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#how-pods-with-resource-limits-are-run",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        for c in containers(p.spec, p.path) {
            if c.init && !is_sidecar(&c) {
                continue;
            }
            let Some((node, limit)) = resource(&c, "limits", "cpu") else {
                continue;
            };
            if limit.nanos() <= 0 {
                continue;
            }
            let anchor = c
                .node
                .get("resources")
                .and_then(|r| r.get("limits"))
                .and_then(|l| l.entry("cpu"))
                .map_or(node.range, |e| e.key.range.cover(e.value.range));
            out.push(
                ctx.diag(
                    &RULE,
                    p.object,
                    anchor,
                    format!(
                        "container \"{}\" is throttled once it uses {limit} CPU in a period, even when the node is idle",
                        name_of(&c)
                    ),
                )
                .field(format!("{}.resources.limits.cpu", c.path)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_cpu_limit() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      resources:\n        limits:\n          cpu: 500m\n          memory: 256Mi\n";
        assert_eq!(lines_of(text, "cpu-limit-throttling"), vec![11]);
    }

    #[test]
    fn good_cpu_request_only() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      resources:\n        requests: {cpu: 500m, memory: 256Mi}\n        limits: {memory: 256Mi}\n";
        assert!(lines_of(text, "cpu-limit-throttling").is_empty());
    }
}
