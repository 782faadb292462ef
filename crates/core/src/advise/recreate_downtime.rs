//! ## What it does
//! Points out a Deployment with `strategy.type: Recreate`.
//!
//! ## Why
//! Recreate scales the old ReplicaSet to zero and waits for every old pod to terminate before
//! it creates any new pod. Between the two, the Service has no endpoint. That is the right
//! choice when two versions must never run together (a single-writer volume, a schema
//! migration), and a needless outage otherwise.
//!
//! ## Example
//! ```yaml
//! strategy:
//!   type: Recreate
//! ```
//! ## Fix
//! ```yaml
//! strategy:
//!   type: RollingUpdate
//! ```

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::facts::{Strategy, rollout_of};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "recreate-downtime",
    severity: Severity::Info,
    source: Source::Advice,
    title: "Recreate strategy: every update stops all pods first",
    why: "With the Recreate strategy the Deployment controller terminates every old pod and waits \
          until they are gone before it creates the new ones, so each update (a new image, an \
          edited env var) leaves the Service without endpoints until the new pods are ready. \
          Use it only when two versions must never run at the same time.",
    fix: "Use `strategy: {type: RollingUpdate}` (the default) unless old and new pods truly \
          cannot overlap, for example a ReadWriteOnce volume mounted by a single pod.",
    docs: "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#recreate-deployment",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in ctx.objects_with_root() {
        if kind != "Deployment" {
            continue;
        }
        let Some(r) = rollout_of(root).filter(|r| r.strategy == Strategy::Recreate) else {
            continue;
        };
        let Some(node) = root.at("spec.strategy.type") else {
            continue;
        };
        out.push(
            ctx.diag(
                &RULE,
                object,
                node.range,
                format!(
                    "Deployment \"{}\" uses Recreate: each update stops {} before starting new ones",
                    object.name_or_empty(),
                    if r.replicas == 1 { "its pod".to_owned() } else { format!("all {} pods", r.replicas) }
                ),
            )
            .field("spec.strategy.type"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    fn deployment(strategy: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: db\nspec:\n  replicas: 2\n{strategy}  selector:\n    matchLabels: {{app: db}}\n  template:\n    metadata:\n      labels: {{app: db}}\n    spec:\n      containers:\n        - name: db\n          image: postgres:17\n"
        )
    }

    #[test]
    fn bad_recreate() {
        let text = deployment("  strategy:\n    type: Recreate\n");
        assert_eq!(lines_of(&text, "recreate-downtime"), vec![8]);
    }

    #[test]
    fn good_rolling_update() {
        assert!(lines_of(&deployment(""), "recreate-downtime").is_empty());
        let text = deployment("  strategy:\n    type: RollingUpdate\n");
        assert!(lines_of(&text, "recreate-downtime").is_empty());
    }
}
