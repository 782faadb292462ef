//! ## What it does
//! Points out a percentage `maxUnavailable` that rounds down to zero pods for the
//! Deployment's replica count (25% of 3 is 0.75, so 0).
//!
//! ## Why
//! The Deployment controller rounds `maxSurge` up and `maxUnavailable` down
//! (`ResolveFenceposts` in `pkg/controller/deployment/util/deployment_util.go`), and when both
//! come out as 0 it uses `maxUnavailable: 1` so the rollout can progress. A percentage that
//! rounds to 0 therefore means "never take an old pod down before a new one is available":
//! safe, but slower, and needs room on the nodes for the surge pod. Learners often expect
//! 25% of 3 to allow one pod down.
//!
//! ## Example
//! ```yaml
//! replicas: 3
//! strategy:
//!   rollingUpdate: {maxUnavailable: 25%}
//! ```
//! ## Fix
//! Nothing, if that is what you want; otherwise write an absolute number (`maxUnavailable: 1`).

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::facts::{Strategy, rollout_of};
use crate::model::IntOrPercent;
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "max-unavailable-rounds-to-zero",
    severity: Severity::Info,
    source: Source::Advice,
    title: "A percentage maxUnavailable rounds down to zero pods",
    why: "The Deployment controller turns percentages into pods by rounding maxSurge up and \
          maxUnavailable down; if both come out as 0 it uses maxUnavailable 1 so the rollout can \
          move. A maxUnavailable percentage that rounds to 0 means the rollout never stops an old \
          pod until a new one is available: no capacity is lost, but each step waits for a new \
          pod, and the nodes need room for the extra surge pods.",
    fix: "If you meant to allow one pod down during updates, write an absolute number \
          (`maxUnavailable: 1`); if you meant zero, write `maxUnavailable: 0` to say so.",
    docs: "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#max-unavailable",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in ctx.objects_with_root() {
        if kind != "Deployment" {
            continue;
        }
        // Only a percentage the learner wrote: the default 25% is not a choice they made.
        let Some(node) = root.at("spec.strategy.rollingUpdate.maxUnavailable") else {
            continue;
        };
        let Some(IntOrPercent::Percent(p)) = IntOrPercent::from_node(node) else {
            continue;
        };
        let Some(r) = rollout_of(root) else {
            continue;
        };
        if p == 0 || r.replicas <= 0 || r.strategy != Strategy::RollingUpdate {
            continue;
        }
        if IntOrPercent::Percent(p).scaled(r.replicas, false) != 0 {
            continue;
        }
        let exact = format!(
            "{p}% of {} replicas is {}",
            r.replicas,
            exact(p, r.replicas)
        );
        let message = if r.max_surge > 0 {
            format!(
                "maxUnavailable {exact}, rounded down to 0: the rollout starts {} new pod{} first (maxSurge rounds up to {}) and stops an old pod only once a new one is available",
                r.max_surge,
                if r.max_surge == 1 { "" } else { "s" },
                r.max_surge
            )
        } else {
            format!(
                "maxUnavailable {exact}, rounded down to 0, and maxSurge is 0 too: the controller then uses maxUnavailable 1, so one old pod stops before its replacement starts"
            )
        };
        out.push(
            ctx.diag(&RULE, object, node.range, message)
                .field("spec.strategy.rollingUpdate.maxUnavailable"),
        );
    }
}

/// `p × n / 100` written as a short decimal (0.75).
fn exact(p: i64, n: i64) -> String {
    let hundredths = p.saturating_mul(n);
    let (whole, frac) = (hundredths / 100, hundredths % 100);
    if frac == 0 {
        whole.to_string()
    } else if frac % 10 == 0 {
        format!("{whole}.{}", frac / 10)
    } else {
        format!("{whole}.{frac:02}")
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    fn deployment(spec: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n{spec}  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n"
        )
    }

    #[test]
    fn bad_quarter_of_three() {
        let text = deployment(
            "  replicas: 3\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 25%\n",
        );
        assert_eq!(lines_of(&text, "max-unavailable-rounds-to-zero"), vec![9]);
        let d = diagnostics_of(&text)
            .into_iter()
            .find(|d| d.code == "max-unavailable-rounds-to-zero")
            .unwrap();
        assert!(
            d.message.contains("25% of 3 replicas is 0.75"),
            "{}",
            d.message
        );
        assert!(
            d.message.contains("maxSurge rounds up to 1"),
            "{}",
            d.message
        );
    }

    #[test]
    fn bad_both_zero_becomes_one() {
        let text = deployment(
            "  replicas: 3\n  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 10%\n",
        );
        let d = diagnostics_of(&text)
            .into_iter()
            .find(|d| d.code == "max-unavailable-rounds-to-zero")
            .unwrap();
        assert_eq!(d.span.start.line, 10);
        assert!(d.message.contains("0.3"), "{}", d.message);
        assert!(d.message.contains("uses maxUnavailable 1"), "{}", d.message);
    }

    #[test]
    fn good_default_explicit_zero_or_enough_replicas() {
        for spec in [
            "  replicas: 3\n",
            "  replicas: 3\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 0\n",
            "  replicas: 8\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 25%\n",
            "  replicas: 3\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 1\n",
        ] {
            assert!(
                lines_of(&deployment(spec), "max-unavailable-rounds-to-zero").is_empty(),
                "{spec}"
            );
        }
    }
}
