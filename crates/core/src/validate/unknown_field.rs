//! ## What it does
//! Flags a key that the kind's schema does not have at that place, with the API server's
//! strict-decoding wording, a close spelling ("did you mean `imagePullPolicy`?") or, when
//! the field exists elsewhere in the kind, where it belongs (`ports` under `metadata` belongs
//! in `spec.ports`; `containers` directly under a Deployment's `spec` belongs in
//! `spec.template.spec.containers`).
//!
//! ## Why
//! Since Kubernetes 1.27 `kubectl apply` asks the API server for strict field validation:
//! an unknown field refuses the whole object (`strict decoding error: unknown field ...`).
//! With `--validate=false` or an older client the field is silently dropped, which is worse:
//! the typo (`imagePullPolcy`) or the misplaced block just has no effect.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: web
//!     image: nginx:1.27
//!     imagePullPolcy: Always
//! ```
//! ## Fix
//! Spell the field as the schema does (`imagePullPolicy`), or move it to where it belongs;
//! `kubeplay explain deployment.spec.template.spec` lists the fields of each place.

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::rule::Rule;
use crate::schema::{self, Problem};

pub static RULE: Rule = Rule {
    code: "unknown-field",
    severity: Severity::Error,
    source: Source::Schema,
    title: "Field not in the schema of this kind",
    why: "kubectl apply uses strict field validation by default (Kubernetes 1.27+): the API \
          server refuses an object with a field its schema does not have. Without strict \
          validation the field would be silently dropped, so a typo or a block at the wrong \
          indentation simply does nothing.",
    fix: "Fix the spelling or move the field to where it belongs (`kubeplay explain KIND.path` \
          lists the fields of each place).",
    docs: "https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    schema::each(
        ctx,
        |object, f| {
            let Problem::UnknownField {
                name,
                suggestion,
                belongs,
            } = &f.problem
            else {
                return;
            };
            let strict = format!("strict decoding error: unknown field \"{}\"", f.path);
            let mut message = format!("unknown field \"{}\"", f.path);
            if let Some(s) = suggestion {
                message.push_str(&format!("; did you mean `{s}`?"));
            } else if let Some(b) = belongs {
                message.push_str(&format!("; `{name}` belongs in `{b}`"));
            } else if f.path == "spec" {
                let kind = object.kind.as_deref().unwrap_or_default();
                message.push_str(&format!(
                    "; `{kind}` has no `spec`: its fields go at the top level, beside `metadata`"
                ));
            } else if let Some(other) = other_version(object, &f.path) {
                message.push_str(&format!(
                    "; `{name}` is a field of {other}: change apiVersion or use this version's fields"
                ));
            }
            let mut d = ctx
                .diag(&RULE, object, f.range, message)
                .field(f.path.clone())
                .apiserver(schema::decode_error_of(object, &strict));
            if let Some(s) = suggestion {
                d = d.edit(Edit {
                    start: f.range.start,
                    end: f.range.end,
                    insert: (*s).to_owned(),
                    title: format!("Rename to {s}"),
                });
            }
            out.push(d);
        },
        |p| matches!(p, Problem::UnknownField { .. }),
    );
}

/// Another served version of the kind that has the field (`autoscaling/v2` for `metrics`).
fn other_version(object: &crate::model::Object, path: &str) -> Option<&'static str> {
    let (api_version, kind) = (object.api_version.as_deref()?, object.kind.as_deref()?);
    schema::ROOTS
        .iter()
        .filter(|r| r.kind == kind && r.api_version != api_version)
        .find(|r| schema::has_path(r.api_version, kind, path))
        .map(|r| r.api_version)
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          imagePullPolcy: Always
";

    #[test]
    fn bad_typo_with_suggestion_and_apiserver_line() {
        assert_eq!(lines_of(DEPLOYMENT, "unknown-field"), vec![17]);
        let d = diagnostics_of(DEPLOYMENT);
        let d = d.iter().find(|d| d.code == "unknown-field").unwrap();
        assert_eq!(
            d.field.as_deref(),
            Some("spec.template.spec.containers[0].imagePullPolcy")
        );
        assert!(
            d.message.contains("did you mean `imagePullPolicy`?"),
            "{}",
            d.message
        );
        assert_eq!(
            d.apiserver.as_deref(),
            Some(
                "Error from server (BadRequest): error when creating \"STDIN\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.template.spec.containers[0].imagePullPolcy\""
            )
        );
        assert_eq!(d.edit.as_ref().unwrap().insert, "imagePullPolicy");
    }

    #[test]
    fn bad_field_at_the_wrong_place() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  ports:\n    - port: 80\nspec:\n  selector:\n    app: web\n";
        let d = diagnostics_of(text);
        let d = d.iter().find(|d| d.code == "unknown-field").unwrap();
        assert_eq!(d.span.start.line, 5);
        assert!(
            d.message.contains("belongs in `spec.ports`"),
            "{}",
            d.message
        );
        let text = DEPLOYMENT.replace("  selector:\n", "  containers: []\n  selector:\n");
        let d = diagnostics_of(&text);
        let d = d.iter().find(|d| d.code == "unknown-field").unwrap();
        assert!(
            d.message
                .contains("belongs in `spec.template.spec.containers`"),
            "{}",
            d.message
        );
    }

    #[test]
    fn bad_spec_in_a_kind_without_one() {
        let text =
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nspec:\n  data:\n    a: b\n";
        let d = diagnostics_of(text);
        let d = d.iter().find(|d| d.code == "unknown-field").unwrap();
        assert_eq!(d.span.start.line, 5);
        assert!(
            d.message.contains("`ConfigMap` has no `spec`"),
            "{}",
            d.message
        );
    }

    #[test]
    fn bad_field_of_another_version() {
        let text = "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\nspec:\n  scaleTargetRef:\n    kind: Deployment\n    name: web\n  maxReplicas: 3\n  metrics:\n  - type: Resource\n";
        let d = diagnostics_of(text);
        let d = d.iter().find(|d| d.code == "unknown-field").unwrap();
        assert_eq!(d.span.start.line, 10);
        assert!(
            d.message.contains("a field of autoscaling/v2"),
            "{}",
            d.message
        );
    }

    #[test]
    fn good_known_fields_and_custom_kinds() {
        let good = DEPLOYMENT.replace("imagePullPolcy", "imagePullPolicy");
        assert!(lines_of(&good, "unknown-field").is_empty());
        let crd = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  anything: 1\n";
        assert!(lines_of(crd, "unknown-field").is_empty());
    }
}
