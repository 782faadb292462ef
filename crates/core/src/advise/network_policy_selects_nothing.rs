//! ## What it does
//! Flags a NetworkPolicy whose (non-empty) `podSelector` matches no Pod or pod template in its
//! namespace in these files.
//!
//! ## Why
//! A NetworkPolicy applies only to the pods its podSelector picks, in its own namespace. If it
//! picks none, the traffic rules it spells out protect nothing: the pods you meant stay open
//! to (or cut off from) whatever other policies allow. An empty selector `{}` is different: it
//! deliberately selects every pod of the namespace.
//!
//! ## Example
//! ```yaml
//! podSelector:
//!   matchLabels: {app: databse}
//! ```
//! ## Fix
//! Use labels the pod template really has (`app: database`).

use crate::advise::links::ns;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::facts::pod_labels;
use crate::model::Selector;
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "network-policy-selects-nothing",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "NetworkPolicy podSelector matches no pods",
    why: "A NetworkPolicy governs only the pods its podSelector matches in its own namespace. \
          When no pod template has those labels, the policy isolates nothing: the pods you meant \
          to protect keep accepting traffic from everywhere (or stay blocked by other policies), \
          and nothing warns you. Only an empty selector `{}` means \"every pod\".",
    fix: "Make `spec.podSelector.matchLabels` equal to labels from the target pods' \
          `spec.template.metadata.labels`, in the same namespace.",
    docs: "https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (policy, root, kind) in ctx.objects_with_root() {
        if kind != "NetworkPolicy" {
            continue;
        }
        let Some(entry) = root.get("spec").and_then(|s| s.entry("podSelector")) else {
            continue;
        };
        let selector = Selector::from_label_selector(&entry.value);
        if selector.is_empty() {
            continue;
        }
        let matched = ctx.objects_with_root().any(|(o, r, k)| {
            ns(o) == ns(policy) && pod_labels(k, r).is_some_and(|l| selector.matches(&l))
        });
        if matched {
            continue;
        }
        out.push(
            ctx.diag(
                &RULE,
                policy,
                entry.key.range,
                format!(
                    "NetworkPolicy \"{}\" selects no pod in these files: its rules apply to nothing",
                    policy.name_or_empty()
                ),
            )
            .field("spec.podSelector"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const DB: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  replicas: 1\n  selector:\n    matchLabels: {app: database}\n  template:\n    metadata:\n      labels: {app: database}\n    spec:\n      containers:\n        - name: db\n          image: postgres:17\n---\n";

    fn policy(selector: &str) -> String {
        format!(
            "{DB}apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db-ingress\nspec:\n  podSelector:\n{selector}  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels: {{app: api}}\n"
        )
    }

    #[test]
    fn bad_typo() {
        let text = policy("    matchLabels:\n      app: databse\n");
        assert_eq!(lines_of(&text, "network-policy-selects-nothing"), vec![23]);
    }

    #[test]
    fn good_match_or_empty() {
        assert!(
            lines_of(
                &policy("    matchLabels:\n      app: database\n"),
                "network-policy-selects-nothing"
            )
            .is_empty()
        );
        assert!(lines_of(&policy("    {}\n"), "network-policy-selects-nothing").is_empty());
    }
}
