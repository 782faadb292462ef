//! ## What it does
//! Flags a probe whose `timeoutSeconds` is at least its `periodSeconds` (after defaults:
//! timeout 1 s, period 10 s).
//!
//! ## Why
//! The kubelet runs one probe at a time per container and waits for it to finish. A probe
//! allowed to run as long as the period (or longer) delays the next one, so the effective
//! interval becomes the timeout and failures are detected later than the settings suggest.
//!
//! ## Example
//! ```yaml
//! readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5, timeoutSeconds: 10}
//! ```
//! ## Fix
//! Keep `timeoutSeconds` well below `periodSeconds`.

use super::container_util::name_of;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::facts::probes_of;
use crate::model::containers;
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "probe-timeout-exceeds-period",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Probe timeout as long as its period",
    why: "The kubelet runs a container's probe one attempt at a time and waits up to \
          `timeoutSeconds` for each. When the timeout is as long as the period or longer, a \
          slow answer pushes the next attempt back, so probes no longer run every \
          `periodSeconds` and a hung application is noticed only after `failureThreshold × \
          timeoutSeconds`, later than the settings suggest.",
    fix: "Set `timeoutSeconds` well below `periodSeconds` (for example a timeout of 2 s with a \
          period of 10 s); if the endpoint really needs long, make the endpoint cheaper.",
    docs: "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#configure-probes",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        let facts = probes_of(p.spec, p.path);
        if facts.is_empty() {
            continue;
        }
        for c in containers(p.spec, p.path) {
            for key in ["startupProbe", "livenessProbe", "readinessProbe"] {
                let field = format!("{}.{key}", c.path);
                let Some(f) = facts.iter().find(|f| f.field == field) else {
                    continue;
                };
                if f.timeout_seconds < f.period_seconds {
                    continue;
                }
                let Some(probe) = c.node.entry(key) else {
                    continue;
                };
                let anchor = probe
                    .value
                    .entry("timeoutSeconds")
                    .or_else(|| probe.value.entry("periodSeconds"))
                    .map_or(probe.key.range, |e| e.key.range.cover(e.value.range));
                out.push(
                    ctx.diag(
                        &RULE,
                        p.object,
                        anchor,
                        format!(
                            "container \"{}\": {key} timeoutSeconds {} is not shorter than periodSeconds {}",
                            name_of(&c),
                            f.timeout_seconds,
                            f.period_seconds
                        ),
                    )
                    .field(format!("{field}.timeoutSeconds")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_timeout_at_or_above_the_period() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      readinessProbe:\n        httpGet: {path: /, port: 80}\n        periodSeconds: 5\n        timeoutSeconds: 10\n      livenessProbe:\n        httpGet: {path: /, port: 80}\n        timeoutSeconds: 10\n";
        assert_eq!(lines_of(text, "probe-timeout-exceeds-period"), vec![12, 15]);
    }

    #[test]
    fn good_defaults_and_short_timeouts() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      readinessProbe:\n        httpGet: {path: /, port: 80}\n      livenessProbe:\n        httpGet: {path: /, port: 80}\n        periodSeconds: 10\n        timeoutSeconds: 3\n";
        assert!(lines_of(text, "probe-timeout-exceeds-period").is_empty());
    }
}
