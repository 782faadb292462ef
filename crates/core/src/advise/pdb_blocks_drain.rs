//! ## What it does
//! Flags a PodDisruptionBudget that never allows an eviction: `maxUnavailable: 0` (or `"0%"`),
//! or a `minAvailable` at least as large as the replicas of the workloads it selects.
//!
//! ## Why
//! The disruption controller computes how many pods may be evicted now
//! (`disruptionsAllowed = healthy − desiredHealthy`, with a percentage `minAvailable` rounded
//! up). When that is always 0, every eviction is refused with HTTP 429 and `kubectl drain`
//! retries forever ("Cannot evict pod as it would violate the pod's disruption budget"): node
//! upgrades hang until someone deletes the PDB by hand.
//!
//! ## Example
//! ```yaml
//! spec:
//!   minAvailable: 3      # the Deployment has replicas: 3
//! ```
//! ## Fix
//! ```yaml
//! spec:
//!   maxUnavailable: 1
//! ```

use crate::advise::links::{HpaMins, is_scalable, ns};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::facts::pod_labels;
use crate::model::{IntOrPercent, Selector};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "pdb-blocks-drain",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "PodDisruptionBudget that never allows an eviction",
    why: "A PodDisruptionBudget lets an eviction through only while more pods are healthy than \
          it requires. With maxUnavailable 0, or minAvailable equal to (or above) the number of \
          replicas, that is never the case: every eviction is refused, so `kubectl drain` and \
          node upgrades wait forever, repeating \"Cannot evict pod as it would violate the pod's \
          disruption budget\", until someone deletes the PDB.",
    fix: "Allow at least one pod to go: `maxUnavailable: 1`, or a minAvailable below the replica \
          count (and raise replicas if you need that many pods during maintenance).",
    docs: "https://kubernetes.io/docs/tasks/run-application/configure-pdb/#think-about-how-your-application-reacts-to-disruptions",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let hpas = HpaMins::of(ctx);
    for (pdb, root, kind) in ctx.objects_with_root() {
        if kind != "PodDisruptionBudget" {
            continue;
        }
        let name = pdb.name_or_empty();
        if let Some(entry) = root.get("spec").and_then(|s| s.entry("maxUnavailable")) {
            let zero = matches!(
                IntOrPercent::from_node(&entry.value),
                Some(IntOrPercent::Int(0) | IntOrPercent::Percent(0))
            );
            if zero {
                let v = &entry.value;
                out.push(
                    ctx.diag(
                        &RULE,
                        pdb,
                        v.range,
                        format!("PodDisruptionBudget \"{name}\" allows 0 unavailable pods: no pod it selects can ever be evicted, so kubectl drain waits forever"),
                    )
                    .field("spec.maxUnavailable")
                    .edit(Edit {
                        start: v.range.start,
                        end: v.range.end,
                        insert: "1".into(),
                        title: "Allow one pod to be evicted at a time".into(),
                    }),
                );
            }
            continue;
        }
        let Some(entry) = root.get("spec").and_then(|s| s.entry("minAvailable")) else {
            continue;
        };
        let Some(min) = IntOrPercent::from_node(&entry.value) else {
            continue;
        };
        let Some(sel) = root.at("spec.selector").filter(|s| !s.is_null()) else {
            continue;
        };
        let sel = Selector::from_label_selector(sel);
        let mut expected = 0i64;
        let mut names = Vec::new();
        let mut unknown = false;
        for (o, r, k) in ctx.objects_with_root() {
            if ns(o) != ns(pdb) {
                continue;
            }
            let Some(labels) = pod_labels(k, r) else {
                continue;
            };
            if !sel.matches(&labels) {
                continue;
            }
            let n = if is_scalable(k) {
                hpas.low_replicas(o, r, k)
            } else if k == "Pod" {
                1
            } else {
                // DaemonSet (one per node), Job, CronJob: the count is not in the files.
                unknown = true;
                continue;
            };
            expected = expected.saturating_add(n);
            names.push(format!("{k}/{}", o.name_or_empty()));
        }
        if unknown || expected <= 0 {
            continue;
        }
        // The disruption controller rounds a percentage minAvailable up.
        let required = min.scaled(expected, true);
        if required < expected {
            continue;
        }
        let written = entry.value.as_scalar().map_or("", |s| s.value.as_str());
        let range = entry.key.range.cover(entry.value.range);
        out.push(
            ctx.diag(
                &RULE,
                pdb,
                entry.value.range,
                format!(
                    "PodDisruptionBudget \"{name}\" requires minAvailable {written} ({required} pods) but {} run{} only {expected}: no pod can ever be evicted, so kubectl drain waits forever",
                    names.join(", "),
                    if names.len() == 1 { "s" } else { "" },
                ),
            )
            .field("spec.minAvailable")
            .edit(Edit {
                start: range.start,
                end: range.end,
                insert: "maxUnavailable: 1".into(),
                title: "Allow one pod to be evicted at a time".into(),
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n---\n";

    fn pdb(rule: &str) -> String {
        format!(
            "{DEPLOYMENT}apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n{rule}  selector:\n    matchLabels:\n      app: web\n"
        )
    }

    #[test]
    fn bad_min_available_equals_replicas() {
        let text = pdb("  minAvailable: 3\n");
        assert_eq!(lines_of(&text, "pdb-blocks-drain"), vec![22]);
        let d = diagnostics_of(&text)
            .into_iter()
            .find(|d| d.code == "pdb-blocks-drain")
            .unwrap();
        assert!(
            d.message.contains("Deployment/web runs only 3"),
            "{}",
            d.message
        );
        let e = d.edit.unwrap();
        assert_eq!(&text[e.start..e.end], "minAvailable: 3");
        assert_eq!(e.insert, "maxUnavailable: 1");
    }

    #[test]
    fn bad_hundred_percent_and_zero_unavailable() {
        assert_eq!(
            lines_of(&pdb("  minAvailable: 100%\n"), "pdb-blocks-drain"),
            vec![22]
        );
        assert_eq!(
            lines_of(&pdb("  maxUnavailable: 0\n"), "pdb-blocks-drain"),
            vec![22]
        );
        assert_eq!(
            lines_of(&pdb("  maxUnavailable: \"0%\"\n"), "pdb-blocks-drain"),
            vec![22]
        );
    }

    #[test]
    fn good_budgets_that_leave_room() {
        for rule in [
            "  minAvailable: 2\n",
            "  minAvailable: 50%\n",
            "  maxUnavailable: 1\n",
        ] {
            assert!(
                lines_of(&pdb(rule), "pdb-blocks-drain").is_empty(),
                "{rule}"
            );
        }
    }
}
