//! ## What it does
//! Flags a HorizontalPodAutoscaler whose `minReplicas` (1 when not written) equals its
//! `maxReplicas`.
//!
//! ## Why
//! The HPA can only choose a count between the two bounds; when they are equal it computes
//! its recommendation and then clamps it back to the same number every time. It never
//! scales, while looking as if autoscaling were in place.
//!
//! ## Example
//! ```yaml
//! minReplicas: 3
//! maxReplicas: 3
//! ```
//! ## Fix
//! ```yaml
//! minReplicas: 3
//! maxReplicas: 10
//! ```

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "hpa-min-equals-max",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "HPA minReplicas equals maxReplicas: it can never scale",
    why: "A HorizontalPodAutoscaler picks a replica count between minReplicas and maxReplicas. \
          When both are the same, every recommendation is clamped back to that number, so the \
          workload never scales up under load or down when idle, even though an autoscaler \
          appears to be configured. A missing minReplicas means 1.",
    fix: "Raise `maxReplicas` to the most pods you are willing to run under load (or lower \
          `minReplicas`); if you want a fixed count, delete the HPA and set `spec.replicas`.",
    docs: "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in ctx.objects_with_root() {
        if kind != "HorizontalPodAutoscaler" {
            continue;
        }
        let Some(max_node) = root.at("spec.maxReplicas") else {
            continue;
        };
        let Some(max) = max_node.as_i64() else {
            continue;
        };
        // SetDefaults_HorizontalPodAutoscaler: minReplicas 1.
        let (min, written) = match root.at("spec.minReplicas").filter(|n| !n.is_null()) {
            None => (1, false),
            Some(n) => match n.as_i64() {
                Some(m) => (m, true),
                None => continue,
            },
        };
        if min != max {
            continue;
        }
        let min_text = if written {
            format!("minReplicas {min}")
        } else {
            format!("minReplicas (default {min})")
        };
        out.push(
            ctx.diag(
                &RULE,
                object,
                max_node.range,
                format!(
                    "HPA \"{}\": {min_text} equals maxReplicas {max}, so it always keeps {max} {} and never scales",
                    object.name_or_empty(),
                    if max == 1 { "pod" } else { "pods" }
                ),
            )
            .field("spec.maxReplicas"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    fn hpa(bounds: &str) -> String {
        format!(
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n{bounds}"
        )
    }

    #[test]
    fn bad_equal_bounds() {
        assert_eq!(
            lines_of(
                &hpa("  minReplicas: 3\n  maxReplicas: 3\n"),
                "hpa-min-equals-max"
            ),
            vec![11]
        );
        assert_eq!(
            lines_of(&hpa("  maxReplicas: 1\n"), "hpa-min-equals-max"),
            vec![10]
        );
    }

    #[test]
    fn good_range() {
        assert!(
            lines_of(
                &hpa("  minReplicas: 2\n  maxReplicas: 6\n"),
                "hpa-min-equals-max"
            )
            .is_empty()
        );
        assert!(lines_of(&hpa("  maxReplicas: 4\n"), "hpa-min-equals-max").is_empty());
    }
}
