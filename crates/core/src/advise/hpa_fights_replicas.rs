//! ## What it does
//! Flags a Deployment, StatefulSet or ReplicaSet that sets `spec.replicas` while a
//! HorizontalPodAutoscaler in the files scales it.
//!
//! ## Why
//! The HPA writes the replica count it chooses into the workload's `spec.replicas`. Every
//! `kubectl apply` of a manifest that also sets `replicas` writes the manifest's number back:
//! a Deployment scaled to 8 under load drops to 2 on the next deploy, its pods are terminated,
//! and the HPA needs a few sync periods to scale up again.
//!
//! ## Example
//! ```yaml
//! kind: Deployment
//! spec:
//!   replicas: 2    # and an HPA targets this Deployment
//! ```
//! ## Fix
//! Delete `spec.replicas` from the manifest and let the HPA's `minReplicas` decide.

use crate::advise::links::{hpa_targets, is_scalable, whole_line, written_replicas};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "hpa-fights-replicas",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Workload sets replicas while an HPA scales it",
    why: "The HorizontalPodAutoscaler manages the workload's replica count by writing \
          spec.replicas. A manifest that also sets replicas resets it on every `kubectl apply`: \
          a Deployment the HPA had scaled to 8 under load is cut back to the manifest's number, \
          the extra pods are terminated mid-traffic, and the HPA scales up again minutes later.",
    fix: "Remove `spec.replicas` from the workload's manifest; the HPA's `minReplicas` sets the \
          floor. (When migrating, remove it only after the HPA exists, so the Deployment does \
          not drop to 1 replica in between.)",
    docs: "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for h in hpa_targets(ctx) {
        let Some((target, root)) = h.target else {
            continue;
        };
        if !is_scalable(h.target_kind) {
            continue;
        }
        let Some((n, value)) = written_replicas(root) else {
            continue;
        };
        let Some(entry) = root.get("spec").and_then(|s| s.entry("replicas")) else {
            continue;
        };
        let mut d = ctx
            .diag(
                &RULE,
                target,
                entry.key.range.cover(value.range),
                format!(
                    "{} \"{}\" sets replicas: {n}, but HPA \"{}\" scales it: every kubectl apply resets the count the HPA chose",
                    h.target_kind,
                    h.target_name,
                    h.hpa.name_or_empty()
                ),
            )
            .field("spec.replicas");
        if let Some(range) = whole_line(ctx, &entry.key, value) {
            d = d.edit(Edit {
                start: range.start,
                end: range.end,
                insert: String::new(),
                title: "Remove spec.replicas; the HPA sets it".into(),
            });
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    fn files(replicas: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n{replicas}  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}\n  minReplicas: 2\n  maxReplicas: 6\n"
        )
    }

    #[test]
    fn bad_replicas_and_hpa() {
        let text = files("  replicas: 2\n");
        assert_eq!(lines_of(&text, "hpa-fights-replicas"), vec![6]);
        let d = diagnostics_of(&text)
            .into_iter()
            .find(|d| d.code == "hpa-fights-replicas")
            .unwrap();
        let e = d.edit.unwrap();
        assert_eq!(&text[e.start..e.end], "  replicas: 2\n");
        assert_eq!(e.insert, "");
    }

    #[test]
    fn good_hpa_owns_replicas() {
        assert!(lines_of(&files(""), "hpa-fights-replicas").is_empty());
    }
}
