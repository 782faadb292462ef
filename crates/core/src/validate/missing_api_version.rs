//! ## What it does
//! Flags an object without `apiVersion`, with an empty one, or with one that is not a string.
//!
//! ## Why
//! The API version says which API group serves the kind; kubectl refuses the document
//! before anything reaches the cluster (`error validating data: apiVersion not set`).
//!
//! ## Example
//! ```yaml
//! kind: Deployment
//! metadata:
//!   name: web
//! ```
//! ## Fix
//! Add the version that serves the kind: `apiVersion: apps/v1` for a Deployment.

use super::identity::{self, Field};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "missing-api-version",
    severity: Severity::Error,
    source: Source::Kubectl,
    title: "apiVersion is missing, empty or not a string",
    why: "Every object names the API version that serves its kind. Without it kubectl cannot \
          tell which API to send the object to and refuses the whole file.",
    fix: "Add `apiVersion:` at the top of the object, for example `apps/v1` for a Deployment \
          or `v1` for a Service, ConfigMap or Pod.",
    docs: "https://kubernetes.io/docs/concepts/overview/working-with-objects/#required-fields",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    identity::check_type_field(ctx, out, &RULE, Field::ApiVersion);
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_missing() {
        let text = "kind: Deployment\nmetadata:\n  name: web\n";
        assert_eq!(lines_of(text, "missing-api-version"), vec![1]);
    }

    #[test]
    fn bad_not_a_string() {
        let text = "apiVersion: 1\nkind: ConfigMap\nmetadata:\n  name: web\n";
        assert_eq!(lines_of(text, "missing-api-version"), vec![1]);
    }

    #[test]
    fn good() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n";
        assert!(lines_of(text, "missing-api-version").is_empty());
    }
}
