//! ## What it does
//! Flags a HorizontalPodAutoscaler whose `scaleTargetRef` names an object that is not in these
//! files (same kind, name and namespace).
//!
//! ## Why
//! If the target does not exist in the cluster either, the HPA cannot read its scale
//! subresource: `kubectl describe hpa` shows `AbleToScale False FailedGetScale` and the
//! workload is never scaled. A typo in the name is the usual cause.
//!
//! ## Example
//! ```yaml
//! scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: wbe}
//! ```
//! ## Fix
//! Use the workload's exact kind and `metadata.name`, in the HPA's namespace.

use crate::advise::links::ns;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::rule::Rule;
use crate::suggest::edit_distance;

pub static RULE: Rule = Rule {
    code: "hpa-target-missing",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "HPA target is not in these files",
    why: "A HorizontalPodAutoscaler scales only the object its scaleTargetRef names, in its own \
          namespace. If no such object exists in the cluster, the HPA reports `FailedGetScale` \
          (AbleToScale False) and nothing is ever scaled. The object might exist in the cluster \
          already; if it should be among these files, the name or kind is probably mistyped.",
    fix: "Set `scaleTargetRef.kind` and `scaleTargetRef.name` to the workload's kind and exact \
          `metadata.name`, and put the HPA in the workload's namespace.",
    docs: "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for h in crate::advise::links::hpa_targets(ctx) {
        if h.target.is_some() {
            continue;
        }
        let near = ctx
            .objects_with_root()
            .filter(|(o, _, k)| *k == h.target_kind && ns(o) == ns(h.hpa))
            .filter_map(|(o, _, _)| {
                let name = o.name.as_deref()?;
                let d = edit_distance(name, h.target_name);
                (d <= 2).then_some((d, name))
            })
            .min();
        let mut message = format!(
            "HPA \"{}\" scales {} \"{}\", which is not in these files",
            h.hpa.name_or_empty(),
            h.target_kind,
            h.target_name
        );
        if let Some((_, name)) = near {
            message.push_str(&format!("; did you mean \"{name}\"?"));
        }
        let mut d = ctx
            .diag(&RULE, h.hpa, h.name_node.range, message)
            .field("spec.scaleTargetRef.name");
        if let Some((_, name)) = near {
            d = d.edit(Edit {
                start: h.name_node.range.start,
                end: h.name_node.range.end,
                insert: name.to_owned(),
                title: format!("Scale {} \"{name}\"", h.target_kind),
            });
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n---\n";

    fn hpa(target: &str) -> String {
        format!(
            "{DEPLOYMENT}apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: {target}\n  minReplicas: 2\n  maxReplicas: 5\n"
        )
    }

    #[test]
    fn bad_typo_with_suggestion() {
        let text = hpa("wbe");
        assert_eq!(lines_of(&text, "hpa-target-missing"), vec![24]);
        let d = diagnostics_of(&text)
            .into_iter()
            .find(|d| d.code == "hpa-target-missing")
            .unwrap();
        assert!(d.message.contains("did you mean \"web\""), "{}", d.message);
        assert_eq!(d.edit.unwrap().insert, "web");
        assert!(lines_of(&hpa("checkout"), "hpa-target-missing") == vec![24]);
    }

    #[test]
    fn good_target_present() {
        assert!(lines_of(&hpa("web"), "hpa-target-missing").is_empty());
    }
}
