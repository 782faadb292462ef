//! ## What it does
//! Flags `revisionHistoryLimit: 0` on a Deployment, StatefulSet or DaemonSet.
//!
//! ## Why
//! The controller keeps old ReplicaSets (or ControllerRevisions) as the history that
//! `kubectl rollout undo` returns to. With a limit of 0 they are deleted as soon as a
//! rollout finishes, so a bad release cannot be rolled back: `rollout undo` reports
//! that no rollout history was found.
//!
//! ## Example
//! ```yaml
//! revisionHistoryLimit: 0
//! ```
//! ## Fix
//! ```yaml
//! revisionHistoryLimit: 10
//! ```

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "revision-history-zero",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "revisionHistoryLimit 0 leaves nothing to roll back to",
    why: "Old ReplicaSets (ControllerRevisions for StatefulSets and DaemonSets) are the history \
          that `kubectl rollout undo` goes back to. With revisionHistoryLimit 0 the controller \
          deletes them as soon as a rollout completes, so when a new version misbehaves there is \
          no previous revision to return to and you must re-apply the old manifest by hand.",
    fix: "Remove the field (the default keeps 10 revisions) or set `revisionHistoryLimit: 10`.",
    docs: "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#revision-history-limit",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in ctx.objects_with_root() {
        if !matches!(kind, "Deployment" | "StatefulSet" | "DaemonSet") {
            continue;
        }
        let Some(node) = root.at("spec.revisionHistoryLimit") else {
            continue;
        };
        if node.as_i64() != Some(0) {
            continue;
        }
        out.push(
            ctx.diag(
                &RULE,
                object,
                node.range,
                format!(
                    "{kind} \"{}\" keeps no old revisions: `kubectl rollout undo` has nothing to go back to",
                    object.name_or_empty()
                ),
            )
            .field("spec.revisionHistoryLimit")
            .edit(Edit {
                start: node.range.start,
                end: node.range.end,
                insert: "10".into(),
                title: "Keep 10 revisions (the default)".into(),
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    fn deployment(extra: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n{extra}  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n"
        )
    }

    #[test]
    fn bad_zero() {
        let text = deployment("  revisionHistoryLimit: 0\n");
        assert_eq!(lines_of(&text, "revision-history-zero"), vec![7]);
        let d = diagnostics_of(&text)
            .into_iter()
            .find(|d| d.code == "revision-history-zero")
            .unwrap();
        let edit = d.edit.unwrap();
        assert_eq!(edit.insert, "10");
        assert_eq!(&text[edit.start..edit.end], "0");
    }

    #[test]
    fn good_default_or_some_history() {
        assert!(lines_of(&deployment(""), "revision-history-zero").is_empty());
        let text = deployment("  revisionHistoryLimit: 3\n");
        assert!(lines_of(&text, "revision-history-zero").is_empty());
    }
}
