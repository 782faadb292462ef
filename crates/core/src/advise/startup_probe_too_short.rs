//! ## What it does
//! When the pod template declares how long the app takes to start
//! (`sim.kubeplay.dev/start-seconds`), flags a startup probe whose budget,
//! `initialDelaySeconds + failureThreshold × periodSeconds` (defaults applied), is shorter
//! than that. Without the annotation kubeplay does not guess.
//!
//! ## Why
//! A startup probe that fails `failureThreshold` times makes the kubelet kill the container,
//! exactly like a liveness probe. If the app needs longer to start than the probe allows,
//! every attempt is killed before it is up and the pod ends in CrashLoopBackOff.
//!
//! ## Example
//! ```yaml
//! startupProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 5}   # 15 s
//! ```
//! ## Fix
//! Raise `failureThreshold` so that `failureThreshold × periodSeconds` comfortably exceeds the
//! start time.

use super::container_util::probes_giving_up_before_start;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "startup-probe-too-short",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Startup probe gives up before the app has started",
    why: "The kubelet kills a container whose startup probe fails `failureThreshold` times in a \
          row, `periodSeconds` apart, just as it does for a liveness probe. This app needs \
          longer than that to start, so every attempt is killed while still starting; the pod \
          never serves and ends in CrashLoopBackOff with growing back-off delays.",
    fix: "Raise the startup probe's `failureThreshold` (or `periodSeconds`) so that \
          `failureThreshold × periodSeconds` is well above the start time, for example \
          `failureThreshold: 30, periodSeconds: 5` for up to 150 s. A generous budget costs \
          nothing: the probe stops as soon as it succeeds.",
    docs: "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-startup-probes",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in probes_giving_up_before_start(ctx, "startupProbe", |_| false) {
        let message = format!(
            "container \"{}\" needs {}s to start but its startupProbe gives up after {}s ({})",
            p.container,
            p.start,
            p.budget,
            p.arithmetic()
        );
        out.push(ctx.diag(&RULE, p.object, p.key, message).field(p.field));
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    fn pod(start: &str, probe: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\n  annotations:\n    sim.kubeplay.dev/start-seconds: \"{start}\"\nspec:\n  containers:\n    - name: api\n      image: example/api:1.0\n      startupProbe:\n        httpGet: {{path: /healthz, port: 8080}}\n{probe}"
        )
    }

    #[test]
    fn bad_fifteen_seconds_for_a_one_minute_start() {
        let text = pod("60", "        periodSeconds: 5\n");
        assert_eq!(lines_of(&text, "startup-probe-too-short"), vec![11]);
        // The liveness check leaves a container with a startup probe to this one.
        assert!(lines_of(&text, "liveness-kills-before-start").is_empty());
    }

    #[test]
    fn good_generous_budget() {
        let text = pod(
            "60",
            "        periodSeconds: 5\n        failureThreshold: 30\n",
        );
        assert!(lines_of(&text, "startup-probe-too-short").is_empty());
        let text = pod(
            "2m",
            "        periodSeconds: 10\n        failureThreshold: 18\n",
        );
        assert!(lines_of(&text, "startup-probe-too-short").is_empty());
    }
}
