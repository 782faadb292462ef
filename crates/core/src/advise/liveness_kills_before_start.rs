//! ## What it does
//! When the pod template declares how long the app takes to start
//! (`sim.kubeplay.dev/start-seconds`), flags a liveness probe, with no startup probe, that
//! gives up before that: `initialDelaySeconds + failureThreshold × periodSeconds` (defaults
//! applied) shorter than the start time. Without the annotation kubeplay does not guess.
//!
//! ## Why
//! The liveness probe starts right away (after `initialDelaySeconds`). If the app is not
//! answering after `failureThreshold` failures, the kubelet kills it, and the restarted
//! container starts from zero again: it never gets to serve, and the pod ends in
//! CrashLoopBackOff.
//!
//! ## Example
//! ```yaml
//! metadata:
//!   annotations: {sim.kubeplay.dev/start-seconds: "60"}
//! ...
//!     livenessProbe: {httpGet: {path: /healthz, port: 8080}}   # gives up after 30 s
//! ```
//! ## Fix
//! Add a `startupProbe` with `failureThreshold × periodSeconds` above the start time (liveness
//! waits until it succeeds), or raise `initialDelaySeconds`.

use super::container_util::probes_giving_up_before_start;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "liveness-kills-before-start",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Liveness probe kills the app before it has started",
    why: "The liveness probe begins after `initialDelaySeconds` and the kubelet kills the \
          container after `failureThreshold` failures in a row, `periodSeconds` apart. This app \
          needs longer than that to start, so it is killed while still starting; the new \
          container starts from zero and is killed again, over and over, with growing back-off \
          delays: the pod never serves and shows CrashLoopBackOff.",
    fix: "Add a `startupProbe` on the same endpoint whose `failureThreshold × periodSeconds` \
          exceeds the start time (for example `failureThreshold: 30, periodSeconds: 5` for up \
          to 150 s); liveness and readiness wait until it succeeds. Or raise the liveness \
          probe's `initialDelaySeconds` above the start time.",
    docs: "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-startup-probes",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in probes_giving_up_before_start(ctx, "livenessProbe", |c| {
        c.node.get("startupProbe").is_some()
    }) {
        let message = format!(
            "container \"{}\" needs {}s to start but its livenessProbe gives up after {}s ({}): it is restarted forever",
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
    use crate::testing::{diagnostics_of, lines_of};

    fn deployment(annotations: &str, probes: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: {{app: api}}\n  template:\n    metadata:\n      labels: {{app: api}}\n{annotations}    spec:\n      containers:\n        - name: api\n          image: example/api:1.0\n{probes}"
        )
    }

    const SLOW: &str = "      annotations:\n        sim.kubeplay.dev/start-seconds: \"60\"\n";
    const LIVE: &str =
        "          livenessProbe:\n            httpGet: {path: /healthz, port: 8080}\n";

    #[test]
    fn bad_default_liveness_on_a_slow_app() {
        let text = deployment(SLOW, LIVE);
        assert_eq!(lines_of(&text, "liveness-kills-before-start"), vec![17]);
        let d = diagnostics_of(&text);
        let d = d
            .iter()
            .find(|d| d.code == "liveness-kills-before-start")
            .unwrap();
        assert_eq!(
            d.message,
            "container \"api\" needs 60s to start but its livenessProbe gives up after 30s (initialDelaySeconds 0 + failureThreshold 3 × periodSeconds 10): it is restarted forever"
        );
    }

    #[test]
    fn good_startup_probe_delay_or_no_annotation() {
        let startup = format!(
            "{LIVE}          startupProbe:\n            httpGet: {{path: /healthz, port: 8080}}\n            failureThreshold: 30\n"
        );
        assert!(lines_of(&deployment(SLOW, &startup), "liveness-kills-before-start").is_empty());
        let delayed = format!("{LIVE}            initialDelaySeconds: 45\n");
        assert!(lines_of(&deployment(SLOW, &delayed), "liveness-kills-before-start").is_empty());
        assert!(lines_of(&deployment("", LIVE), "liveness-kills-before-start").is_empty());
    }
}
