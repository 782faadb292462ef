//! ## What it does
//! Flags a field the schema marks required that is missing or null: a container without
//! `name`, a Deployment without `selector` or `template`, a Service port without `port`, an
//! Ingress path without `pathType`, a RoleBinding's `roleRef` without `name`.
//!
//! ## Why
//! The API server's validation refuses the object with `Required value` at the field's path
//! (`spec.template.spec.containers[0].name: Required value`).
//!
//! ## Example
//! ```yaml
//! containers:
//!   - image: nginx:1.27
//! ```
//! ## Fix
//! Add the field (`- name: web`).

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;
use crate::schema::{self, Problem};

pub static RULE: Rule = Rule {
    code: "required-field",
    severity: Severity::Error,
    source: Source::Schema,
    title: "Required field missing",
    why: "The Kubernetes API marks some fields as required; the API server refuses an object \
          without them (`Required value`).",
    fix: "Add the missing field (`kubeplay explain KIND.path` marks required fields).",
    docs: "https://kubernetes.io/docs/concepts/overview/working-with-objects/#required-fields",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    schema::each(
        ctx,
        |object, f| {
            let Problem::Required { field } = &f.problem else {
                return;
            };
            out.push(
                ctx.diag(
                    &RULE,
                    object,
                    f.range,
                    format!("{}: Required value: add `{field}`", f.path),
                )
                .field(f.path.clone())
                .apiserver(schema::invalid(object, &f.path, "Required value")),
            );
        },
        |p| matches!(p, Problem::Required { .. }),
    );
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    #[test]
    fn bad_container_without_name() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - image: nginx:1.27\n";
        assert_eq!(lines_of(text, "required-field"), vec![7]);
        let d = diagnostics_of(text);
        let d = d.iter().find(|d| d.code == "required-field").unwrap();
        assert_eq!(d.field.as_deref(), Some("spec.containers[0].name"));
        assert_eq!(
            d.apiserver.as_deref(),
            Some("The Pod \"web\" is invalid: spec.containers[0].name: Required value")
        );
    }

    #[test]
    fn bad_deployment_without_selector() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx\n";
        assert_eq!(lines_of(text, "required-field"), vec![5]);
    }

    #[test]
    fn good_complete_pod() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n";
        assert!(lines_of(text, "required-field").is_empty());
    }
}
