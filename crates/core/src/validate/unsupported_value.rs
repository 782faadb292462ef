//! ## What it does
//! Flags a value outside the fixed set the API server accepts for the field:
//! `imagePullPolicy`, `restartPolicy`, `dnsPolicy`, Service `type` and `sessionAffinity`,
//! port `protocol`, Ingress `pathType`, Deployment and DaemonSet strategy `type`, CronJob
//! `concurrencyPolicy`, toleration `operator` and `effect`, NetworkPolicy `policyTypes`. The
//! values are read from the OpenAPI descriptions by the schema generator.
//!
//! ## Why
//! The API server refuses other values, case included: `Unsupported value: "always":
//! supported values: "Always", "IfNotPresent", "Never"`.
//!
//! ## Example
//! ```yaml
//! imagePullPolicy: Sometimes
//! ```
//! ## Fix
//! Use one of the supported values, spelled exactly (`IfNotPresent`).

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::rule::Rule;
use crate::schema::{self, Problem};

pub static RULE: Rule = Rule {
    code: "unsupported-value",
    severity: Severity::Error,
    source: Source::Schema,
    title: "Value not among the field's supported values",
    why: "Some fields take one of a fixed set of values, spelled exactly (they are \
          case-sensitive). The API server refuses anything else with `Unsupported value`.",
    fix: "Use one of the supported values listed in the message.",
    docs: "https://kubernetes.io/docs/reference/kubernetes-api/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    schema::each(
        ctx,
        |object, f| {
            let Problem::Unsupported { value, supported } = &f.problem else {
                return;
            };
            let list = supported
                .iter()
                .map(|v| format!("\"{v}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let detail = format!("Unsupported value: \"{value}\": supported values: {list}");
            let mut d = ctx
                .diag(&RULE, object, f.range, format!("{}: {detail}", f.path))
                .field(f.path.clone())
                .apiserver(schema::invalid(object, &f.path, &detail));
            if let Some(fixed) = supported.iter().find(|v| v.eq_ignore_ascii_case(value)) {
                d = d.edit(Edit {
                    start: f.range.start,
                    end: f.range.end,
                    insert: (*fixed).to_owned(),
                    title: format!("Change to {fixed}"),
                });
            }
            out.push(d);
        },
        |p| matches!(p, Problem::Unsupported { .. }),
    );
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  restartPolicy: Always\n  containers:\n    - name: web\n      image: nginx:1.27\n      imagePullPolicy: IfNotPresent\n      ports:\n        - containerPort: 80\n          protocol: TCP\n";

    #[test]
    fn good_supported_values() {
        assert!(lines_of(POD, "unsupported-value").is_empty());
    }

    #[test]
    fn bad_pull_policy_with_apiserver_wording() {
        let text = POD.replace("IfNotPresent", "Sometimes");
        assert_eq!(lines_of(&text, "unsupported-value"), vec![10]);
        let d = diagnostics_of(&text);
        let d = d.iter().find(|d| d.code == "unsupported-value").unwrap();
        assert_eq!(
            d.apiserver.as_deref(),
            Some(
                "The Pod \"web\" is invalid: spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\""
            )
        );
    }

    #[test]
    fn bad_case_gets_an_edit() {
        let text = POD.replace("protocol: TCP", "protocol: tcp");
        let d = diagnostics_of(&text);
        let d = d.iter().find(|d| d.code == "unsupported-value").unwrap();
        assert_eq!(d.span.start.line, 13);
        assert_eq!(d.edit.as_ref().unwrap().insert, "TCP");
    }
}
