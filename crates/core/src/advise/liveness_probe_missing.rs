//! ## What it does
//! Notes a container of a Deployment, StatefulSet, DaemonSet or ReplicaSet with no liveness
//! probe.
//!
//! ## Why
//! The kubelet restarts a container when its process exits. A process that is still running
//! but stuck (a deadlock, an exhausted pool) is never restarted without a liveness probe; it
//! stays broken until someone deletes the pod. A badly tuned liveness probe is worse than
//! none, though, which is why this is information only.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: api
//!     image: example/api:1.0
//! ```
//! ## Fix
//! ```yaml
//!     livenessProbe:
//!       httpGet: {path: /healthz, port: 8080}
//!       failureThreshold: 3
//! ```

use super::container_util::{container_anchor, is_long_running_workload, name_of};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::containers;
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "liveness-probe-missing",
    severity: Severity::Info,
    source: Source::Advice,
    title: "Container without a liveness probe",
    why: "The kubelet restarts a container whose process exits, but it cannot tell that a running \
          process has stopped working. Without a liveness probe a deadlocked or wedged process \
          stays in the pod, ready or not, until someone deletes the pod by hand. A liveness \
          probe must stay cheap and check only the process itself: one that fails too eagerly \
          restarts healthy containers, so add it deliberately.",
    fix: "Add a `livenessProbe` on a cheap endpoint that only proves the process responds, for \
          example `livenessProbe: {httpGet: {path: /healthz, port: 8080}}`, with a \
          `startupProbe` if the app starts slowly.",
    docs: "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/#liveness-probe",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        if !is_long_running_workload(p.kind) {
            continue;
        }
        for c in containers(p.spec, p.path) {
            if c.init || c.node.get("livenessProbe").is_some() {
                continue;
            }
            out.push(
                ctx.diag(
                    &RULE,
                    p.object,
                    container_anchor(&c),
                    format!(
                        "container \"{}\" has no livenessProbe: if it hangs, it is never restarted",
                        name_of(&c)
                    ),
                )
                .field(format!("{}.livenessProbe", c.path)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_deployment_without_liveness() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: example/api:1.0\n";
        assert_eq!(lines_of(text, "liveness-probe-missing"), vec![13]);
    }

    #[test]
    fn good_liveness_or_a_job() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: example/api:1.0\n          livenessProbe:\n            httpGet: {path: /healthz, port: 8080}\n";
        assert!(lines_of(text, "liveness-probe-missing").is_empty());
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: once\n          image: busybox:1.36\n";
        assert!(lines_of(job, "liveness-probe-missing").is_empty());
    }
}
