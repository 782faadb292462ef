//! ## What it does
//! Notes a workload or Service without any `metadata.labels`.
//!
//! ## Why
//! Labels are how people and tools find things: `kubectl get all -l app=web`, dashboards,
//! cost reports and NetworkPolicies all select by label. The recommended set is
//! `app.kubernetes.io/name`, `app.kubernetes.io/instance`, `app.kubernetes.io/version`, ...
//!
//! ## Fix
//! Add at least `app.kubernetes.io/name: <app>` to the object's labels.

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "labels-missing",
    severity: Severity::Info,
    source: Source::Advice,
    title: "Workload or Service without labels",
    why: "Without labels on the object itself, `kubectl get deploy,svc -l app.kubernetes.io/name=web` \
          cannot find it, and dashboards, cost reports and policies that group by label leave it \
          out. (The pod template's labels are separate: they are for the pods.)",
    fix: "Add `labels:` under `metadata:` with at least `app.kubernetes.io/name: <app>`.",
    docs: "https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

const KINDS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "Service",
    "CronJob",
    "Job",
];

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in ctx.objects_with_root() {
        if !KINDS.contains(&kind) {
            continue;
        }
        let Some(meta) = root.entry("metadata") else {
            continue;
        };
        if meta
            .value
            .get("labels")
            .is_some_and(|l| !l.string_map().is_empty())
        {
            continue;
        }
        let mut d = ctx
            .diag(
                &RULE,
                object,
                meta.key.range,
                format!("{kind} \"{}\" has no labels", object.name_or_empty()),
            )
            .field("metadata.labels");
        // Safe edit: insert a labels block right after `name:` when metadata is a block mapping.
        if let (Some(name), None) = (meta.value.entry("name"), meta.value.get("labels")) {
            let line = ctx.span(name.key.range).start;
            let indent = " ".repeat(line.byte_column.saturating_sub(1) as usize);
            let app = object.name_or_empty();
            if !app.is_empty() && ctx.text[..name.key.range.start].ends_with(&indent) {
                let at = name.value.range.end;
                d = d.edit(Edit {
                    start: at,
                    end: at,
                    insert: format!("\n{indent}labels:\n{indent}  app.kubernetes.io/name: {app}"),
                    title: format!("Add label app.kubernetes.io/name: {app}"),
                });
            }
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    #[test]
    fn bad_unlabelled_deployment() {
        let text =
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n";
        assert_eq!(lines_of(text, "labels-missing"), vec![3]);
        let d = diagnostics_of(text);
        let edit = d
            .iter()
            .find(|d| d.code == "labels-missing")
            .and_then(|d| d.edit.clone())
            .unwrap();
        let mut fixed = text.to_owned();
        fixed.replace_range(edit.start..edit.end, &edit.insert);
        assert!(
            fixed.contains("  name: web\n  labels:\n    app.kubernetes.io/name: web\nspec:"),
            "{fixed}"
        );
        assert!(lines_of(&fixed, "labels-missing").is_empty());
    }

    #[test]
    fn good_labelled() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  ports: [{port: 80}]\n";
        assert!(lines_of(text, "labels-missing").is_empty());
    }
}
