//! ## What it does
//! Flags a Deployment whose `maxUnavailable`, resolved against its replicas, equals the
//! replica count (more than one): a rolling update may take every pod down at once.
//!
//! ## Why
//! The Deployment controller scales the old ReplicaSet down by up to `maxUnavailable` pods
//! before the new pods are ready. When that is all of them, the Service has no ready endpoint
//! until the new pods pass their readiness probes: every update is an outage.
//!
//! ## Example
//! ```yaml
//! spec:
//!   replicas: 4
//!   strategy:
//!     rollingUpdate:
//!       maxUnavailable: 100%
//! ```
//! ## Fix
//! ```yaml
//!       maxUnavailable: 25%
//! ```

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::facts::{Strategy, rollout_of};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "max-unavailable-all",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "A rolling update may take every pod down at once",
    why: "During a rolling update the Deployment controller may stop up to maxUnavailable old \
          pods before any new pod is ready. When that number equals the replica count, all old \
          pods can be terminated together, and the Service has no ready endpoint until the new \
          pods start and pass their readiness probes: each update becomes a short outage.",
    fix: "Lower `spec.strategy.rollingUpdate.maxUnavailable` (the default `25%`, or `1`) so some \
          pods keep serving while the new ones start.",
    docs: "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#max-unavailable",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in ctx.objects_with_root() {
        if kind != "Deployment" {
            continue;
        }
        let Some(r) = rollout_of(root) else {
            continue;
        };
        if r.strategy != Strategy::RollingUpdate
            || r.replicas <= 1
            || r.max_unavailable < r.replicas
        {
            continue;
        }
        // The default (25%) never reaches every pod, so the field is written.
        let Some(node) = root.at("spec.strategy.rollingUpdate.maxUnavailable") else {
            continue;
        };
        let written = node.as_scalar().map_or("", |s| s.value.as_str());
        out.push(
            ctx.diag(
                &RULE,
                object,
                node.range,
                format!(
                    "maxUnavailable {written} resolves to {} of {} replicas: a rollout of Deployment \"{}\" may stop every pod before a new one is ready",
                    r.max_unavailable,
                    r.replicas,
                    object.name_or_empty()
                ),
            )
            .field("spec.strategy.rollingUpdate.maxUnavailable")
            .edit(Edit {
                start: node.range.start,
                end: node.range.end,
                insert: "25%".into(),
                title: "Set maxUnavailable to 25% (the default)".into(),
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const HEAD: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n";
    const REST: &str = "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n";

    #[test]
    fn bad_hundred_percent() {
        let text = format!(
            "{HEAD}  replicas: 4\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 100%\n{REST}"
        );
        assert_eq!(lines_of(&text, "max-unavailable-all"), vec![9]);
        let d = diagnostics_of(&text)
            .into_iter()
            .find(|d| d.code == "max-unavailable-all")
            .unwrap();
        assert!(d.message.contains("4 of 4"), "{}", d.message);
        assert_eq!(d.edit.unwrap().insert, "25%");
    }

    #[test]
    fn bad_number_above_replicas() {
        let text = format!(
            "{HEAD}  replicas: 2\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 5\n{REST}"
        );
        assert_eq!(lines_of(&text, "max-unavailable-all"), vec![11]);
    }

    #[test]
    fn good_defaults_partial_and_single_replica() {
        for spec in [
            "  replicas: 4\n",
            "  replicas: 4\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 50%\n",
            "  replicas: 1\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 1\n",
        ] {
            let text = format!("{HEAD}{spec}{REST}");
            assert!(lines_of(&text, "max-unavailable-all").is_empty(), "{spec}");
        }
    }
}
