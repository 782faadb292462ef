//! ## What it does
//! Checks a Deployment's `spec.strategy` and a DaemonSet's `spec.updateStrategy` as the API
//! server does (`pkg/apis/apps/validation`: `ValidateDeploymentStrategy`,
//! `ValidateRollingUpdateDeployment`, `ValidateRollingUpdateDaemonSet`,
//! `ValidatePositiveIntOrPercent`, `IsNotMoreThan100Percent`), and that a Deployment's
//! `progressDeadlineSeconds` (defaulted to 600) is greater than `minReadySeconds`.
//!
//! ## Why
//! `maxSurge: 0` with `maxUnavailable: 0` leaves the rollout no room to move; percentages must
//! be written `25%` (a quoted `"1"` is neither a number nor a percent); `maxUnavailable` above
//! 100% is meaningless; `rollingUpdate` settings under `type: Recreate` would be ignored. The
//! API server refuses all of these. A Deployment whose pods must stay ready longer than its
//! progress deadline could never be seen progressing.
//!
//! ## Example
//! ```yaml
//! strategy:
//!   rollingUpdate:
//!     maxSurge: 0
//!     maxUnavailable: 0
//! ```
//! ## Fix
//! Allow at least one: `maxSurge: 1` (an extra pod during the rollout) or `maxUnavailable: 1`.

use super::api;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::Object;
use crate::rule::Rule;
use crate::yaml::{Node, Resolved};

pub static RULE: Rule = Rule {
    code: "rolling-update-fenceposts",
    severity: Severity::Error,
    source: Source::Api,
    title: "Invalid rolling-update bounds or progress deadline",
    why: "A rolling update replaces pods within two bounds: `maxSurge` extra pods above the \
          desired count and `maxUnavailable` pods below it. If both are 0 the rollout can \
          never start, so the API server refuses it; each must be a non-negative number or a \
          percentage like `25%`, and `maxUnavailable` at most 100%.",
    fix: "Write each bound as a number or `N%`, and let at least one be above 0 \
          (`maxSurge: 1, maxUnavailable: 0` keeps full capacity during the rollout).",
    docs: "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment",
};

pub static CHECK: Check = Check { rule: &RULE, run };

const PERCENT_MSG: &str = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in api::objects(ctx) {
        let Some(spec) = root.get("spec") else {
            continue;
        };
        match kind {
            "Deployment" => {
                deployment_strategy(ctx, object, spec, out);
                progress_deadline(ctx, object, spec, out);
            }
            "DaemonSet" => daemonset_strategy(ctx, object, spec, out),
            _ => {}
        }
    }
}

/// The value `getIntOrPercentValue` reads: a percent's number, an int, or a string's `Atoi`.
fn value_of(node: &Node) -> i64 {
    match node.resolve() {
        Some(Resolved::Int(i)) => i,
        Some(Resolved::Str(s)) => s
            .strip_suffix('%')
            .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            .or(Some(s))
            .and_then(|d| d.parse().ok())
            .unwrap_or(0),
        _ => 0,
    }
}

fn is_percent(s: &str) -> bool {
    s.strip_suffix('%')
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// `ValidatePositiveIntOrPercent` and, when asked, `IsNotMoreThan100Percent`.
fn int_or_percent(
    ctx: &Context<'_>,
    object: &Object,
    node: &Node,
    path: &str,
    at_most_100: bool,
    out: &mut Vec<Diagnostic>,
) {
    match node.resolve() {
        Some(Resolved::Str(s)) if !is_percent(s) => {
            let body = api::invalid(&api::q(s), PERCENT_MSG);
            out.push(
                api::error(ctx, &RULE, object, node.range, path, &body)
                    .help("Write a number without quotes (`1`) or a percentage (`25%`)."),
            );
        }
        Some(Resolved::Str(s)) if at_most_100 && value_of(node) > 100 => {
            let body = api::invalid(&api::q(s), "must not be greater than 100%");
            out.push(api::error(ctx, &RULE, object, node.range, path, &body));
        }
        Some(Resolved::Int(i)) if i < 0 => {
            let body = api::invalid(&i.to_string(), "must be greater than or equal to 0");
            out.push(api::error(ctx, &RULE, object, node.range, path, &body));
        }
        _ => {}
    }
}

fn deployment_strategy(ctx: &Context<'_>, object: &Object, spec: &Node, out: &mut Vec<Diagnostic>) {
    let Some(strategy) = spec.get("strategy") else {
        return;
    };
    let Some(rolling) = strategy.entry("rollingUpdate") else {
        return;
    };
    match strategy.get("type").and_then(Node::as_str) {
        Some("Recreate") => {
            if !rolling.value.is_null() {
                let body =
                    api::forbidden("may not be specified when strategy `type` is 'Recreate'");
                out.push(
                    api::error(ctx, &RULE, object, rolling.key.range, "spec.strategy.rollingUpdate", &body)
                        .help("Remove `rollingUpdate`, or use `type: RollingUpdate`: Recreate stops every old pod before starting new ones and has no bounds to set."),
                );
            }
            return;
        }
        None | Some("RollingUpdate") => {}
        Some(_) => return,
    }
    let ru = &rolling.value;
    let surge = ru.get("maxSurge").filter(|n| !n.is_null());
    let unavailable = ru.get("maxUnavailable").filter(|n| !n.is_null());
    if let Some(n) = unavailable {
        int_or_percent(
            ctx,
            object,
            n,
            "spec.strategy.rollingUpdate.maxUnavailable",
            false,
            out,
        );
    }
    if let Some(n) = surge {
        int_or_percent(
            ctx,
            object,
            n,
            "spec.strategy.rollingUpdate.maxSurge",
            false,
            out,
        );
    }
    // Both default to 25% when absent, so only two explicit zeros collide.
    if let (Some(s), Some(u)) = (surge, unavailable)
        && value_of(s) == 0
        && value_of(u) == 0
    {
        let body = api::invalid(&api::render(u), "may not be 0 when `maxSurge` is 0");
        out.push(api::error(
            ctx,
            &RULE,
            object,
            u.range,
            "spec.strategy.rollingUpdate.maxUnavailable",
            &body,
        ));
    }
    if let Some(n) = unavailable
        && matches!(n.resolve(), Some(Resolved::Str(s)) if is_percent(s))
        && value_of(n) > 100
    {
        let body = api::invalid(&api::render(n), "must not be greater than 100%");
        out.push(api::error(
            ctx,
            &RULE,
            object,
            n.range,
            "spec.strategy.rollingUpdate.maxUnavailable",
            &body,
        ));
    }
}

fn daemonset_strategy(ctx: &Context<'_>, object: &Object, spec: &Node, out: &mut Vec<Diagnostic>) {
    let Some(strategy) = spec.get("updateStrategy") else {
        return;
    };
    if matches!(
        strategy.get("type").and_then(Node::as_str),
        Some("OnDelete")
    ) {
        return;
    }
    let Some(ru) = strategy
        .get("rollingUpdate")
        .filter(|n| n.as_mapping().is_some())
    else {
        return;
    };
    let surge = ru.get("maxSurge").filter(|n| !n.is_null());
    let unavailable = ru.get("maxUnavailable").filter(|n| !n.is_null());
    let base = "spec.updateStrategy.rollingUpdate";
    if let Some(n) = unavailable {
        int_or_percent(ctx, object, n, &format!("{base}.maxUnavailable"), true, out);
    }
    if let Some(n) = surge {
        int_or_percent(ctx, object, n, &format!("{base}.maxSurge"), true, out);
    }
    // Defaults: maxUnavailable 1, maxSurge 0 (`ValidateRollingUpdateDaemonSet`: exactly one
    // of them non-zero).
    let has_unavailable = unavailable.map_or(1, value_of) != 0;
    let has_surge = surge.map_or(0, value_of) != 0;
    if has_unavailable && has_surge {
        if let Some(s) = surge {
            let body = api::invalid(
                &api::render(s),
                "may not be set when maxUnavailable is non-zero",
            );
            out.push(
                api::error(ctx, &RULE, object, s.range, &format!("{base}.maxSurge"), &body)
                    .help("A DaemonSet surges or tolerates unavailable pods, not both: set `maxUnavailable: 0` to surge."),
            );
        }
    } else if !has_unavailable && !has_surge {
        let range = unavailable.unwrap_or(ru).range;
        let body = api::required("cannot be 0 when maxSurge is 0");
        out.push(api::error(
            ctx,
            &RULE,
            object,
            range,
            &format!("{base}.maxUnavailable"),
            &body,
        ));
    }
}

/// `ValidateDeploymentSpec`: `progressDeadlineSeconds` (defaulted to 600 in apps/v1) must be
/// greater than `minReadySeconds`.
fn progress_deadline(ctx: &Context<'_>, object: &Object, spec: &Node, out: &mut Vec<Diagnostic>) {
    let min_ready = api::int_at(spec, "minReadySeconds");
    let deadline = api::int_at(spec, "progressDeadlineSeconds");
    let min = min_ready.map_or(0, |(_, v)| v);
    let (value, range) = match (deadline, min_ready) {
        (Some((n, v)), _) => (v, n.range),
        (None, Some((n, _))) => (600, n.range),
        (None, None) => return,
    };
    if value <= min {
        let body = api::invalid(&value.to_string(), "must be greater than minReadySeconds");
        let help = if deadline.is_none() {
            "`progressDeadlineSeconds` defaults to 600: set it above `minReadySeconds`, or lower `minReadySeconds`."
        } else {
            "Set `progressDeadlineSeconds` above `minReadySeconds`."
        };
        out.push(
            api::error(
                ctx,
                &RULE,
                object,
                range,
                "spec.progressDeadlineSeconds",
                &body,
            )
            .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    fn deploy(strategy: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n{strategy}  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n"
        )
    }

    #[test]
    fn good_surge_only() {
        let text =
            deploy("  strategy:\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n");
        assert!(lines_of(&text, "rolling-update-fenceposts").is_empty());
    }

    #[test]
    fn bad_both_zero() {
        let text = deploy(
            "  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: \"0%\"\n",
        );
        assert_eq!(lines_of(&text, "rolling-update-fenceposts"), vec![9]);
        let d = diagnostics_of(&text);
        let d = d
            .iter()
            .find(|d| d.code == "rolling-update-fenceposts")
            .unwrap();
        assert_eq!(
            d.apiserver.as_deref(),
            Some(
                "The Deployment \"web\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": may not be 0 when `maxSurge` is 0"
            )
        );
    }

    #[test]
    fn bad_quoted_number_and_over_100() {
        let text = deploy(
            "  strategy:\n    rollingUpdate:\n      maxSurge: \"1\"\n      maxUnavailable: 150%\n",
        );
        assert_eq!(lines_of(&text, "rolling-update-fenceposts"), vec![8, 9]);
    }

    #[test]
    fn bad_recreate_with_rolling_update() {
        let text =
            deploy("  strategy:\n    type: Recreate\n    rollingUpdate:\n      maxSurge: 1\n");
        assert_eq!(lines_of(&text, "rolling-update-fenceposts"), vec![8]);
    }

    #[test]
    fn bad_min_ready_reaches_default_deadline() {
        let text = deploy("  minReadySeconds: 600\n");
        assert_eq!(lines_of(&text, "rolling-update-fenceposts"), vec![6]);
        let text = deploy("  minReadySeconds: 30\n  progressDeadlineSeconds: 60\n");
        assert!(lines_of(&text, "rolling-update-fenceposts").is_empty());
    }
}
