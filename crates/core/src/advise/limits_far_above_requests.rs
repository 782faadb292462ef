//! ## What it does
//! Flags a memory limit more than 2× the memory request, or a CPU limit more than 4× the
//! CPU request.
//!
//! ## Why
//! The scheduler packs pods by their requests, so the limits on a node can add up to far
//! more than the node has. That is fine while pods stay near their requests; when many
//! burst together, the node runs out of memory and Burstable pods using the most above their
//! requests are OOM-killed or evicted first.
//!
//! ## Example
//! ```yaml
//! resources:
//!   requests: {memory: 128Mi}
//!   limits: {memory: 2Gi}
//! ```
//! ## Fix
//! Raise the request to what the container really uses, or lower the limit.

use super::container_util::{is_sidecar, name_of, resource};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::{Quantity, containers};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "limits-far-above-requests",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Limit far above the request: the node is overcommitted",
    why: "The scheduler reserves only the request, so a node can hold pods whose limits add up \
          to much more than it has. While they stay near their requests all is well; when many \
          burst together the node runs out of memory, and the kubelet evicts Burstable pods \
          starting with those using the most above their requests, while the kernel OOM-kills \
          others. CPU bursts only slow everyone down, which is why the CPU ratio tolerated is \
          larger.",
    fix: "Set the request to what the container really uses under normal load, and keep the \
          memory limit within about twice the request (equal gives a Guaranteed pod if CPU is \
          set the same way).",
    docs: "https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/#pod-selection-for-kubelet-eviction",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn ratio(limit: Quantity, request: Quantity) -> String {
    let r = limit.as_f64() / request.as_f64();
    if r >= 10.0 || (r - r.round()).abs() < 0.05 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        for c in containers(p.spec, p.path) {
            if c.init && !is_sidecar(&c) {
                continue;
            }
            for (res, factor) in [("memory", 2), ("cpu", 4)] {
                let Some((limit_node, limit)) = resource(&c, "limits", res) else {
                    continue;
                };
                // No request key: the request defaults to the limit.
                let Some((_, request)) = resource(&c, "requests", res) else {
                    continue;
                };
                if request.nanos() <= 0 || limit.nanos() <= request.nanos().saturating_mul(factor) {
                    continue;
                }
                // A unit mistake (`64m` of memory, `cpu: 500`) is reported by the unit checks;
                // the ratio it produces means nothing.
                if (res == "memory" && request.units() < 1 << 20)
                    || (res == "cpu" && limit.units() >= 64)
                {
                    continue;
                }
                out.push(
                    ctx.diag(
                        &RULE,
                        p.object,
                        limit_node.range,
                        format!(
                            "container \"{}\": {res} limit {limit} is {}× the request {request} (more than {factor}×)",
                            name_of(&c),
                            ratio(limit, request)
                        ),
                    )
                    .field(format!("{}.resources.limits.{res}", c.path)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    fn pod(resources: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      resources:\n{resources}"
        )
    }

    #[test]
    fn bad_memory_eight_times_and_cpu_ten_times() {
        let text = pod(
            "        requests:\n          cpu: 100m\n          memory: 128Mi\n        limits:\n          cpu: \"1\"\n          memory: 1Gi\n",
        );
        assert_eq!(lines_of(&text, "limits-far-above-requests"), vec![14, 15]);
        let d = crate::testing::diagnostics_of(&text);
        let d = d
            .iter()
            .find(|d| d.code == "limits-far-above-requests")
            .unwrap();
        assert_eq!(
            d.message,
            "container \"web\": cpu limit 1 is 10× the request 100m (more than 4×)"
        );
    }

    #[test]
    fn good_within_the_ratio_or_limit_only() {
        let text = pod(
            "        requests: {cpu: 250m, memory: 256Mi}\n        limits: {cpu: \"1\", memory: 512Mi}\n",
        );
        assert!(lines_of(&text, "limits-far-above-requests").is_empty());
        let text = pod("        limits: {cpu: \"4\", memory: 4Gi}\n");
        assert!(lines_of(&text, "limits-far-above-requests").is_empty());
    }
}
