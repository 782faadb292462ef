//! ## What it does
//! Flags a container that takes traffic (declares ports, or a Service selects its pods) with
//! a liveness probe but no readiness probe.
//!
//! ## Why
//! Without a readiness probe the container is ready as soon as it starts, so it gets requests
//! before it can answer them; and when it struggles, the only reaction left is the liveness
//! probe restarting it, instead of briefly taking it out of the Service.
//!
//! ## Example
//! ```yaml
//! livenessProbe:
//!   httpGet: {path: /healthz, port: 8080}
//! ```
//! ## Fix
//! Add a `readinessProbe` beside it.

use super::container_util::{name_of, selected_by_any_service, serves_traffic};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::containers;
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "liveness-without-readiness",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Liveness probe without a readiness probe",
    why: "With no readiness probe the container is marked ready the moment it starts, so the \
          Service routes requests to it while it is still starting, and rolling updates remove \
          old pods before the new ones can serve. When the app is overloaded, nothing takes it \
          out of the Service for a while: the liveness probe fails instead and the kubelet \
          restarts it, dropping the requests in flight and adding load on the other pods.",
    fix: "Add a `readinessProbe` (it may use the same endpoint with a lower failureThreshold, \
          or a `/ready` endpoint that also checks what the app needs to serve).",
    docs: "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/#readiness-probe",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut selected = None;
    for p in ctx.pod_specs() {
        if matches!(p.kind, "Job" | "CronJob") {
            continue;
        }
        for c in containers(p.spec, p.path) {
            if c.init || c.node.get("readinessProbe").is_some() {
                continue;
            }
            let Some(liveness) = c.node.entry("livenessProbe") else {
                continue;
            };
            let selected = selected.get_or_insert_with(|| selected_by_any_service(ctx));
            if !serves_traffic(&c, p.spec, p.object, p.kind, selected) {
                continue;
            }
            out.push(
                ctx.diag(
                    &RULE,
                    p.object,
                    liveness.key.range,
                    format!(
                        "container \"{}\" has a livenessProbe but no readinessProbe: it gets traffic before it is ready",
                        name_of(&c)
                    ),
                )
                .field(format!("{}.readinessProbe", c.path)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_liveness_only() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      ports: [{containerPort: 80}]\n      livenessProbe:\n        httpGet: {path: /, port: 80}\n";
        assert_eq!(lines_of(text, "liveness-without-readiness"), vec![10]);
        assert!(lines_of(text, "readiness-probe-missing").is_empty());
    }

    #[test]
    fn good_both_probes_or_a_worker() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      ports: [{containerPort: 80}]\n      livenessProbe:\n        httpGet: {path: /, port: 80}\n      readinessProbe:\n        httpGet: {path: /, port: 80}\n        failureThreshold: 1\n    - name: worker\n      image: example/worker:1.0\n      livenessProbe:\n        exec: {command: [cat, /tmp/alive]}\n";
        assert!(lines_of(text, "liveness-without-readiness").is_empty());
    }
}
