//! ## What it does
//! Flags an object without `metadata.name` (or with a name that is not a string).
//!
//! ## Why
//! `kubectl apply` looks the object up by name to compute what changed; with no name it
//! stops with `resource name may not be empty`. `generateName` works only with
//! `kubectl create`, never with apply.
//!
//! ## Example
//! ```yaml
//! apiVersion: v1
//! kind: ConfigMap
//! metadata:
//!   labels: {app: web}
//! ```
//! ## Fix
//! Add `metadata.name`.

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "missing-name",
    severity: Severity::Error,
    source: Source::Kubectl,
    title: "metadata.name is missing or not a string",
    why: "kubectl apply identifies every object by kind, namespace and name; an object without \
          a name cannot be applied (generateName only works with kubectl create).",
    fix: "Add `name:` under `metadata:`, a lowercase name such as `web` or `web-config`.",
    docs: "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for object in ctx.objects {
        let Some(root) = ctx.root(object) else {
            continue;
        };
        let meta_entry = root.entry("metadata");
        let name = meta_entry.and_then(|m| m.value.get("name"));
        let kind = object.kind.as_deref().unwrap_or("");
        let (range, message, apiserver) = match name {
            Some(n) if n.as_str().is_some_and(|s| !s.is_empty()) => continue,
            Some(n) if n.as_str().is_some() || n.is_null() => (
                meta_entry.map_or(n.range, |m| {
                    m.value.get("name").map_or(m.key.range, |v| v.range)
                }),
                "metadata.name is empty".to_owned(),
                "error: resource name may not be empty".to_owned(),
            ),
            Some(n) => (
                n.range,
                format!("metadata.name must be a string, not {}", n.type_name()),
                format!(
                    "error: unable to decode \"STDIN\": json: cannot unmarshal {} into Go struct field ObjectMeta.metadata.name of type string",
                    n.type_name()
                ),
            ),
            None => {
                let generate = meta_entry
                    .and_then(|m| m.value.get("generateName"))
                    .is_some();
                let range = meta_entry.map_or_else(
                    || root.entry("kind").map_or(root.range, |e| e.key.range),
                    |m| m.key.range,
                );
                let mut message = format!(
                    "{} has no metadata.name",
                    if kind.is_empty() { "the object" } else { kind }
                );
                if generate {
                    message.push_str("; generateName works with kubectl create, not kubectl apply");
                }
                (
                    range,
                    message,
                    "error: resource name may not be empty".to_owned(),
                )
            }
        };
        out.push(
            ctx.diag(&RULE, object, range, message)
                .field("metadata.name")
                .apiserver(apiserver),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_no_name() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    app: web\n";
        assert_eq!(lines_of(text, "missing-name"), vec![3]);
    }

    #[test]
    fn bad_no_metadata() {
        let text = "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n";
        assert_eq!(lines_of(text, "missing-name"), vec![2]);
    }

    #[test]
    fn bad_generate_name() {
        let text = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n";
        assert_eq!(lines_of(text, "missing-name"), vec![3]);
    }

    #[test]
    fn good() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n";
        assert!(lines_of(text, "missing-name").is_empty());
    }
}
