//! ## What it does
//! Flags a value whose JSON type is not the field's: a string where an integer is expected
//! (`replicas: "3"`), a number where a string is expected (an env `value: 8080`, a label
//! `version: 1.0`, a ConfigMap `data` entry `port: 8080`), a YAML 1.1 boolean (`yes`, `on`)
//! in a string field, a scalar where a list or an object is expected. Int-or-string fields
//! (`targetPort`, `maxSurge`) accept both.
//!
//! ## Why
//! The API server decodes the object into its Go types and refuses it with encoding/json's
//! error: `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of
//! type int32`. kubectl converts YAML to JSON with YAML 1.1 rules, so unquoted `8080`, `1.0`,
//! `yes` and `off` are numbers and booleans, not strings.
//!
//! ## Example
//! ```yaml
//! env:
//!   - name: PORT
//!     value: 8080
//! ```
//! ## Fix
//! Quote values meant as strings (`value: "8080"`), unquote numbers (`replicas: 3`), and write
//! lists as lists (`- item`).

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;
use crate::schema::{self, Problem};

pub static RULE: Rule = Rule {
    code: "wrong-type",
    severity: Severity::Error,
    source: Source::Schema,
    title: "Value of the wrong type for this field",
    why: "The API server decodes every field into a typed Go struct and refuses the object \
          when a value has the wrong JSON type. YAML decides types from how a value is \
          written: `8080`, `1.0` and `yes` are a number, a number and a boolean unless quoted.",
    fix: "Quote strings that look like numbers or booleans, write numbers unquoted, and use \
          `- item` lists and `key: value` objects where the field expects them.",
    docs: "https://kubernetes.io/docs/concepts/overview/working-with-objects/#describing-a-kubernetes-object",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    schema::each(
        ctx,
        |object, f| {
            let Problem::WrongType {
                found,
                expected,
                detail,
            } = &f.problem
            else {
                return;
            };
            let found = found.split(' ').next().unwrap_or(found);
            let found = if found == "bool" { "boolean" } else { found };
            let mut d = ctx
                .diag(
                    &RULE,
                    object,
                    f.range,
                    format!("{}: expected {expected}, found {found}", f.path),
                )
                .field(f.path.clone())
                .apiserver(schema::decode_error_of(object, detail));
            if expected == "string" && matches!(found, "number" | "boolean") {
                d = d.help(
                    "Quote the value so YAML keeps it a string: `\"8080\"`, `\"1.0\"`, `\"yes\"`.",
                );
            }
            out.push(d);
        },
        |p| matches!(p, Problem::WrongType { .. }),
    );
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const GOOD: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    version: \"1.0\"
spec:
  replicas: 3
  strategy:
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
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
          env:
            - name: PORT
              value: \"8080\"
";

    #[test]
    fn good_types_and_int_or_string() {
        assert!(lines_of(GOOD, "wrong-type").is_empty());
    }

    #[test]
    fn bad_string_replicas_with_go_wording() {
        let text = GOOD.replace("replicas: 3", "replicas: \"3\"");
        assert_eq!(lines_of(&text, "wrong-type"), vec![8]);
        let d = diagnostics_of(&text);
        let d = d.iter().find(|d| d.code == "wrong-type").unwrap();
        assert_eq!(d.field.as_deref(), Some("spec.replicas"));
        assert!(
            d.apiserver.as_deref().unwrap().ends_with(
                "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"
            ),
            "{:?}",
            d.apiserver
        );
    }

    #[test]
    fn bad_unquoted_numbers_in_string_fields() {
        let text = GOOD
            .replace("value: \"8080\"", "value: 8080")
            .replace("version: \"1.0\"", "version: 1.0");
        assert_eq!(lines_of(&text, "wrong-type"), vec![6, 26]);
        let d = diagnostics_of(&text);
        let env = d.iter().filter(|d| d.code == "wrong-type").nth(1).unwrap();
        assert!(env.apiserver.as_deref().unwrap().ends_with(
            "json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string"
        ), "{:?}", env.apiserver);
    }

    #[test]
    fn bad_scalar_where_a_list_is_expected() {
        let text = GOOD.replace("      containers:\n        - name: web\n          image: nginx:1.27\n          env:\n            - name: PORT\n              value: \"8080\"\n", "      containers: nginx\n");
        assert_eq!(lines_of(&text, "wrong-type"), vec![21]);
    }
}
