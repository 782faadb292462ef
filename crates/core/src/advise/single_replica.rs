//! ## What it does
//! Flags a Deployment or StatefulSet that runs one replica (written `replicas: 1`, or no
//! `replicas`, which defaults to 1), unless an HPA manages its replica count.
//!
//! ## Why
//! With one pod, anything that stops it is downtime: a node drain for an upgrade, the node
//! crashing, an eviction under memory pressure, the pod being OOM-killed. Until a replacement
//! is scheduled, pulled, started and ready, the Service has no endpoint.
//!
//! ## Example
//! ```yaml
//! spec:
//!   replicas: 1
//! ```
//! ## Fix
//! ```yaml
//! spec:
//!   replicas: 2
//! ```

use crate::advise::links::{HpaMins, written_replicas};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "single-replica",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Only one replica: any disruption is downtime",
    why: "A single pod is a single point of failure. When its node is drained for maintenance, \
          crashes, or evicts it under memory pressure, nothing serves requests until a \
          replacement pod is scheduled, its image pulled, and it passes its readiness probe. \
          A missing `replicas` field means 1.",
    fix: "Run at least two replicas (`spec.replicas: 2`), ideally spread over nodes, and add a \
          PodDisruptionBudget; or let a HorizontalPodAutoscaler with `minReplicas: 2` manage \
          the count.",
    docs: "https://kubernetes.io/docs/concepts/workloads/pods/disruptions/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let hpas = HpaMins::of(ctx);
    for (object, root, kind) in ctx.objects_with_root() {
        if !matches!(kind, "Deployment" | "StatefulSet") {
            continue;
        }
        // An HPA owns the count; its minReplicas is where the decision lives.
        if hpas.get(object, kind).is_some() {
            continue;
        }
        let name = object.name_or_empty();
        let d = match written_replicas(root) {
            Some((1, node)) => {
                let d = ctx.diag(
                    &RULE,
                    object,
                    node.range,
                    format!("{kind} \"{name}\" runs a single replica: a node drain or crash takes it offline"),
                );
                if kind == "Deployment" {
                    d.edit(Edit {
                        start: node.range.start,
                        end: node.range.end,
                        insert: "2".into(),
                        title: "Run 2 replicas".into(),
                    })
                } else {
                    d
                }
            }
            Some(_) => continue,
            None if root.at("spec.replicas").is_some_and(|n| !n.is_null()) => continue,
            None => {
                let range = root.entry("spec").map_or(object.range, |e| e.key.range);
                ctx.diag(
                    &RULE,
                    object,
                    range,
                    format!("{kind} \"{name}\" has no replicas field, so it runs 1 pod: a node drain or crash takes it offline"),
                )
            }
        };
        out.push(d.field("spec.replicas"));
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    fn workload(kind: &str, replicas: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: {kind}\nmetadata:\n  name: web\nspec:\n{replicas}  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n"
        )
    }

    #[test]
    fn bad_explicit_one() {
        let text = workload("Deployment", "  replicas: 1\n");
        assert_eq!(lines_of(&text, "single-replica"), vec![6]);
        let d = diagnostics_of(&text)
            .into_iter()
            .find(|d| d.code == "single-replica")
            .unwrap();
        assert_eq!(d.edit.unwrap().insert, "2");
    }

    #[test]
    fn bad_defaulted_statefulset() {
        let text = workload("StatefulSet", "");
        assert_eq!(lines_of(&text, "single-replica"), vec![5]);
    }

    #[test]
    fn good_two_replicas_or_hpa() {
        assert!(lines_of(&workload("Deployment", "  replicas: 3\n"), "single-replica").is_empty());
        let text = format!(
            "{}---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}\n  minReplicas: 2\n  maxReplicas: 5\n",
            workload("Deployment", "")
        );
        assert!(lines_of(&text, "single-replica").is_empty());
    }
}
