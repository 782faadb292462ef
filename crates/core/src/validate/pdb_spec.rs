//! ## What it does
//! Checks a PodDisruptionBudget as the API server does (`pkg/apis/policy/validation`
//! `ValidatePodDisruptionBudgetSpec`): at most one of `minAvailable` and `maxUnavailable`,
//! each a non-negative number or a percentage (`N%`) of at most 100%.
//!
//! ## Why
//! A budget says how many pods must stay up during voluntary disruptions (drains), either as
//! a minimum to keep or a maximum to lose; both at once could contradict each other.
//!
//! ## Example
//! ```yaml
//! spec:
//!   minAvailable: 2
//!   maxUnavailable: 1
//! ```
//! ## Fix
//! Keep one: `maxUnavailable: 1` follows the workload when it scales.

use super::api;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;
use crate::yaml::Resolved;

pub static RULE: Rule = Rule {
    code: "pdb-spec",
    severity: Severity::Error,
    source: Source::Api,
    title: "PodDisruptionBudget sets both bounds, or an invalid one",
    why: "A PodDisruptionBudget limits voluntary evictions either by the pods that must stay \
          available (`minAvailable`) or by the pods that may be down (`maxUnavailable`), never \
          both. Each is a number of pods or a percentage up to 100%.",
    fix: "Keep only one of `minAvailable` and `maxUnavailable`, as a number (`1`) or a \
          percentage (`50%`).",
    docs: "https://kubernetes.io/docs/tasks/run-application/configure-pdb/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

const PERCENT_MSG: &str = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in api::objects(ctx) {
        if kind != "PodDisruptionBudget" {
            continue;
        }
        let Some(spec) = root.get("spec").filter(|s| s.as_mapping().is_some()) else {
            continue;
        };
        let min = spec.get("minAvailable").filter(|n| !n.is_null());
        let max = spec.get("maxUnavailable").filter(|n| !n.is_null());
        if let (Some(min), Some(max)) = (min, max) {
            // The value is the internal spec struct, whose fields have no JSON tags.
            let selector = spec
                .get("selector")
                .map_or_else(|| "null".to_owned(), api::render);
            let policy = spec
                .get("unhealthyPodEvictionPolicy")
                .map_or_else(|| "null".to_owned(), api::render);
            let value = format!(
                "{{\"MinAvailable\":{},\"Selector\":{selector},\"MaxUnavailable\":{},\"UnhealthyPodEvictionPolicy\":{policy}}}",
                api::render(min),
                api::render(max)
            );
            let body = api::invalid(&value, "minAvailable and maxUnavailable cannot be both set");
            out.push(
                api::error(ctx, &RULE, object, max.range, "spec", &body)
                    .help("Keep one: `minAvailable` (pods that must stay up) or `maxUnavailable` (pods that may be down during a drain)."),
            );
        }
        for (name, node) in [("minAvailable", min), ("maxUnavailable", max)] {
            let Some(n) = node else {
                continue;
            };
            let field = format!("spec.{name}");
            match n.resolve() {
                Some(Resolved::Int(v)) if v < 0 => {
                    let body = api::invalid(&v.to_string(), "must be greater than or equal to 0");
                    out.push(api::error(ctx, &RULE, object, n.range, &field, &body));
                }
                Some(Resolved::Str(s)) => {
                    let digits = s
                        .strip_suffix('%')
                        .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
                    match digits {
                        None => {
                            let body = api::invalid(&api::q(s), PERCENT_MSG);
                            out.push(api::error(ctx, &RULE, object, n.range, &field, &body));
                        }
                        Some(d) if d.parse::<u64>().map_or(true, |v| v > 100) => {
                            let body = api::invalid(&api::q(s), "must not be greater than 100%");
                            out.push(api::error(ctx, &RULE, object, n.range, &field, &body));
                        }
                        Some(_) => {}
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const PDB: &str = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: zk-pdb\nspec:\n  minAvailable: 2\n  selector:\n    matchLabels:\n      app: zookeeper\n";

    #[test]
    fn good_min_available() {
        assert!(lines_of(PDB, "pdb-spec").is_empty());
    }

    #[test]
    fn bad_both_and_over_100() {
        let text = PDB.replace(
            "  minAvailable: 2\n",
            "  minAvailable: 2\n  maxUnavailable: 150%\n",
        );
        assert_eq!(lines_of(&text, "pdb-spec"), vec![7, 7]);
    }
}
