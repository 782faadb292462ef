//! ## What it does
//! Flags an object without `kind`, with an empty one, or with one that is not a string.
//!
//! ## Why
//! kubectl refuses a document that does not say what it is (`error validating data: kind not set`).
//!
//! ## Example
//! ```yaml
//! apiVersion: v1
//! metadata:
//!   name: settings
//! ```
//! ## Fix
//! Add `kind:` (`ConfigMap`, `Deployment`, `Service`, ...).

use super::identity::{self, Field};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "missing-kind",
    severity: Severity::Error,
    source: Source::Kubectl,
    title: "kind is missing, empty or not a string",
    why: "The kind tells the API server what the object is. kubectl refuses a document without \
          it and applies nothing from the file.",
    fix: "Add `kind:` with the object's type, spelled as Kubernetes spells it (`Deployment`, \
          `ConfigMap`), at the top of the object.",
    docs: "https://kubernetes.io/docs/concepts/overview/working-with-objects/#required-fields",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    identity::check_type_field(ctx, out, &RULE, Field::Kind);
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_missing() {
        let text = "apiVersion: v1\nmetadata:\n  name: settings\n";
        assert_eq!(lines_of(text, "missing-kind"), vec![1]);
    }

    #[test]
    fn bad_empty() {
        let text = "apiVersion: v1\nkind: \"\"\nmetadata:\n  name: settings\n";
        assert_eq!(lines_of(text, "missing-kind"), vec![2]);
    }

    #[test]
    fn good() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n";
        assert!(lines_of(text, "missing-kind").is_empty());
    }
}
