//! ## What it does
//! Notes a liveness probe identical to the readiness probe: same handler and the same timing
//! once defaults are applied.
//!
//! ## Why
//! The two probes answer different questions. With identical settings they fail at the same
//! moment, so a slow dependency or a load spike that should only take the pod out of the
//! Service also makes the kubelet restart it, in every replica at once. The Kubernetes docs do
//! recommend the same cheap endpoint for both, but with a higher `failureThreshold` for
//! liveness, so the pod is taken out of rotation long before it is restarted. kube-score
//! flags identical probes; this check only flags them when the timing is identical too.
//!
//! ## Example
//! ```yaml
//! livenessProbe:  {httpGet: {path: /healthz, port: 8080}}
//! readinessProbe: {httpGet: {path: /healthz, port: 8080}}
//! ```
//! ## Fix
//! Give liveness a higher `failureThreshold` (say 6), or a separate cheaper endpoint.

use super::container_util::{name_of, same_value};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::facts::{ProbeFact, probes_of};
use crate::model::containers;
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "liveness-equals-readiness",
    severity: Severity::Info,
    source: Source::Advice,
    title: "Liveness and readiness probes are identical",
    why: "Readiness decides whether a pod gets traffic; liveness decides whether the kubelet \
          restarts it. When both are identical they fail together: a slow database or a burst \
          of load that should only take pods out of the Service for a moment makes every \
          replica restart at once, which turns a slowdown into an outage. Using the same cheap \
          endpoint for both is fine (the Kubernetes docs suggest it), as long as liveness \
          tolerates more failures than readiness.",
    fix: "Keep the readiness probe and give the liveness probe a higher `failureThreshold` (for \
          example 6 instead of 3), or point liveness at an endpoint that checks only the \
          process itself.",
    docs: "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/#liveness-probe",
};

pub static CHECK: Check = Check { rule: &RULE, run };

const HANDLERS: [&str; 4] = ["exec", "httpGet", "tcpSocket", "grpc"];

fn same_handler(a: &Node, b: &Node) -> bool {
    HANDLERS.iter().all(|h| match (a.get(h), b.get(h)) {
        (None, None) => true,
        (Some(x), Some(y)) => same_value(x, y),
        _ => false,
    }) && HANDLERS.iter().any(|h| a.get(h).is_some())
}

fn timing(p: &ProbeFact) -> (i64, i64, i64, i64) {
    (
        p.initial_delay_seconds,
        p.timeout_seconds,
        p.period_seconds,
        p.failure_threshold,
    )
}

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        let mut facts = None;
        for c in containers(p.spec, p.path) {
            let (Some(live), Some(ready)) =
                (c.node.entry("livenessProbe"), c.node.get("readinessProbe"))
            else {
                continue;
            };
            if !same_handler(&live.value, ready) {
                continue;
            }
            let facts = facts.get_or_insert_with(|| probes_of(p.spec, p.path));
            let find = |key: &str| {
                let field = format!("{}.{key}", c.path);
                facts.iter().find(|f| f.field == field).map(timing)
            };
            let (Some(l), Some(r)) = (find("livenessProbe"), find("readinessProbe")) else {
                continue;
            };
            if l != r {
                continue;
            }
            out.push(
                ctx.diag(
                    &RULE,
                    p.object,
                    live.key.range,
                    format!(
                        "container \"{}\": livenessProbe is identical to readinessProbe (failureThreshold {} × periodSeconds {}), so a slowdown restarts the pods instead of just taking them out of the Service",
                        name_of(&c),
                        l.3,
                        l.2
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

    fn pod(probes: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      ports: [{{containerPort: 8080}}]\n{probes}"
        )
    }

    #[test]
    fn bad_identical_after_defaults() {
        let text = pod(
            "      livenessProbe:\n        httpGet: {path: /healthz, port: 8080}\n        periodSeconds: 10\n      readinessProbe:\n        httpGet: {port: 8080, path: /healthz}\n",
        );
        assert_eq!(lines_of(&text, "liveness-equals-readiness"), vec![10]);
    }

    #[test]
    fn good_higher_failure_threshold_or_other_endpoint() {
        let text = pod(
            "      livenessProbe:\n        httpGet: {path: /healthz, port: 8080}\n        failureThreshold: 6\n      readinessProbe:\n        httpGet: {path: /healthz, port: 8080}\n",
        );
        assert!(lines_of(&text, "liveness-equals-readiness").is_empty());
        let text = pod(
            "      livenessProbe:\n        httpGet: {path: /healthz, port: 8080}\n      readinessProbe:\n        httpGet: {path: /ready, port: 8080}\n",
        );
        assert!(lines_of(&text, "liveness-equals-readiness").is_empty());
    }
}
