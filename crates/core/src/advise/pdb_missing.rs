//! ## What it does
//! Points out a Deployment or StatefulSet running more than one replica that no
//! PodDisruptionBudget in the files protects.
//!
//! ## Why
//! `kubectl drain` (node upgrades, autoscaler scale-downs) evicts pods through the Eviction
//! API, which only holds back when a PodDisruptionBudget says so. Without one, draining the
//! node that hosts several of the replicas evicts them together, and the replicas you added
//! for availability go down at the same moment.
//!
//! ## Example
//! A Deployment with `replicas: 3` and no PDB selecting `app: web`.
//!
//! ## Fix
//! ```yaml
//! apiVersion: policy/v1
//! kind: PodDisruptionBudget
//! metadata:
//!   name: web
//! spec:
//!   maxUnavailable: 1
//!   selector:
//!     matchLabels: {app: web}
//! ```

use crate::advise::links::{HpaMins, ns, written_replicas};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::facts::pod_labels;
use crate::model::Selector;
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "pdb-missing",
    severity: Severity::Info,
    source: Source::Advice,
    title: "Several replicas but no PodDisruptionBudget",
    why: "Node drains (upgrades, cluster autoscaler scale-downs, `kubectl drain`) evict pods \
          through the Eviction API, which only slows down when a PodDisruptionBudget covers the \
          pods. Without one, every replica on the drained node is evicted at once, and if the \
          scheduler placed several replicas there, the Service can lose most or all of its \
          endpoints until the replacements are ready.",
    fix: "Add a PodDisruptionBudget (policy/v1) with `maxUnavailable: 1` and the workload's pod \
          labels in `selector.matchLabels`.",
    docs: "https://kubernetes.io/docs/tasks/run-application/configure-pdb/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let hpas = HpaMins::of(ctx);
    let pdbs: Vec<(&str, Selector)> = ctx
        .objects_with_root()
        .filter(|(_, _, k)| *k == "PodDisruptionBudget")
        .filter_map(|(o, r, _)| {
            // policy/v1: a null selector selects nothing, an empty one every pod of the namespace.
            let sel = r.at("spec.selector").filter(|s| !s.is_null())?;
            Some((ns(o), Selector::from_label_selector(sel)))
        })
        .collect();
    for (object, root, kind) in ctx.objects_with_root() {
        if !matches!(kind, "Deployment" | "StatefulSet") {
            continue;
        }
        let replicas = hpas.low_replicas(object, root, kind);
        if replicas <= 1 {
            continue;
        }
        let Some(labels) = pod_labels(kind, root) else {
            continue;
        };
        if labels.is_empty() {
            continue;
        }
        let covered = pdbs
            .iter()
            .any(|(pns, sel)| *pns == ns(object) && sel.matches(&labels));
        if covered {
            continue;
        }
        let range = written_replicas(root).map_or_else(
            || root.entry("spec").map_or(object.range, |e| e.key.range),
            |(_, n)| n.range,
        );
        out.push(
            ctx.diag(
                &RULE,
                object,
                range,
                format!(
                    "{kind} \"{}\" runs {replicas} replicas but no PodDisruptionBudget selects its pods: a node drain may evict them all at once",
                    object.name_or_empty()
                ),
            )
            .field("spec.replicas"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web, tier: front}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n";

    #[test]
    fn bad_no_pdb() {
        assert_eq!(lines_of(DEPLOYMENT, "pdb-missing"), vec![6]);
        let other = format!(
            "{DEPLOYMENT}---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: api\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels: {{app: api}}\n"
        );
        assert_eq!(lines_of(&other, "pdb-missing"), vec![6]);
    }

    #[test]
    fn good_pdb_selects_the_pods() {
        let text = format!(
            "{DEPLOYMENT}---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels: {{app: web}}\n"
        );
        assert!(lines_of(&text, "pdb-missing").is_empty());
        let single = DEPLOYMENT.replace("replicas: 3", "replicas: 1");
        assert!(lines_of(&single, "pdb-missing").is_empty());
    }
}
