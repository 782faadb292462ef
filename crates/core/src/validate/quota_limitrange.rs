//! ## What it does
//! Checks ResourceQuota and LimitRange amounts as the API server does
//! (`pkg/apis/core/validation/validation.go` `ValidateResourceQuotaSpec` with
//! `ValidateResourceQuantityValue`, and `ValidateLimitRange`): quota amounts not negative and
//! whole numbers for object counts (`pods`, `count/...`); in each LimitRange item
//! `min ≤ defaultRequest ≤ default ≤ max`, `maxLimitRequestRatio` at least 1, and no
//! `default`/`defaultRequest` for `type: Pod`.
//!
//! ## Why
//! A LimitRange fills in defaults and enforces bounds on every new container; a default
//! outside its own min and max would make every pod that relies on it invalid.
//!
//! ## Example
//! ```yaml
//! limits:
//!   - type: Container
//!     default: {memory: 1Gi}
//!     max: {memory: 512Mi}
//! ```
//! ## Fix
//! Keep `default` (the default limit) between `min` and `max`.

use super::api;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::{Object, Quantity};
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "quota-limitrange",
    severity: Severity::Error,
    source: Source::Api,
    title: "ResourceQuota or LimitRange amounts inconsistent",
    why: "Quota amounts cap what a namespace may use and cannot be negative; object counts are \
          whole numbers. A LimitRange's `defaultRequest` and `default` are applied to \
          containers that set nothing, so they must lie between its `min` and `max`, with the \
          default request no greater than the default limit.",
    fix: "Order each resource as `min ≤ defaultRequest ≤ default ≤ max`; write counts like \
          `pods: \"10\"`.",
    docs: "https://kubernetes.io/docs/concepts/policy/limit-range/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn is_integer_resource(name: &str) -> bool {
    matches!(
        name,
        "pods"
            | "services"
            | "replicationcontrollers"
            | "resourcequotas"
            | "secrets"
            | "configmaps"
            | "persistentvolumeclaims"
            | "services.nodeports"
            | "services.loadbalancers"
    ) || name.starts_with("count/")
}

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in api::objects(ctx) {
        match kind {
            "ResourceQuota" => {
                let Some(hard) = root.at("spec.hard").and_then(Node::as_mapping) else {
                    continue;
                };
                for e in hard {
                    let Some(name) = e.key.as_scalar().map(|s| s.value.as_str()) else {
                        continue;
                    };
                    let Some(q) = api::quantity(&e.value) else {
                        continue;
                    };
                    let field = format!("spec.hard[{name}]");
                    if q < Quantity::from_units(0) {
                        let body = api::invalid(
                            &api::q(&api::canonical(q)),
                            "must be greater than or equal to 0",
                        );
                        out.push(api::error(ctx, &RULE, object, e.value.range, &field, &body));
                    }
                    if is_integer_resource(name) && q.nanos() % 1_000_000_000 != 0 {
                        let body = api::invalid(&api::q(&api::canonical(q)), "must be an integer");
                        out.push(api::error(ctx, &RULE, object, e.value.range, &field, &body));
                    }
                }
            }
            "LimitRange" => {
                for (i, item) in api::items(root.get("spec").unwrap_or(root), "limits")
                    .iter()
                    .enumerate()
                {
                    limit_item(ctx, object, item, &format!("spec.limits[{i}]"), out);
                }
            }
            _ => {}
        }
    }
}

fn limit_item(
    ctx: &Context<'_>,
    object: &Object,
    item: &Node,
    path: &str,
    out: &mut Vec<Diagnostic>,
) {
    let ty = item.get("type").and_then(Node::as_str).unwrap_or("");
    let section = |k: &str| item.get(k).and_then(Node::as_mapping).unwrap_or_default();
    if ty == "Pod" {
        for k in ["default", "defaultRequest"] {
            if let Some(e) = item.entry(k) {
                let body = api::forbidden("may not be specified when `type` is 'Pod'");
                out.push(api::error(
                    ctx,
                    &RULE,
                    object,
                    e.key.range,
                    &format!("{path}.{k}"),
                    &body,
                ));
            }
        }
    }
    let get = |sec: &str, name: &str| -> Option<(&Node, Quantity)> {
        let n = item.get(sec)?.get(name)?;
        Some((n, api::quantity(n)?))
    };
    let mut names: Vec<&str> = Vec::new();
    for sec in [
        "max",
        "min",
        "default",
        "defaultRequest",
        "maxLimitRequestRatio",
    ] {
        for e in section(sec) {
            if let Some(s) = e.key.as_scalar()
                && !names.contains(&s.value.as_str())
            {
                names.push(&s.value);
            }
        }
    }
    for name in names {
        let min = get("min", name);
        let max = get("max", name);
        let def = get("default", name);
        let req = get("defaultRequest", name);
        let mut push = |node: &Node, sec: &str, value: Quantity, detail: String| {
            let body = api::invalid(&api::q(&api::canonical(value)), &detail);
            out.push(api::error(
                ctx,
                &RULE,
                object,
                node.range,
                &format!("{path}.{sec}[{name}]"),
                &body,
            ));
        };
        if let (Some((n, lo)), Some((_, hi))) = (min, max)
            && lo > hi
        {
            push(
                n,
                "min",
                lo,
                format!(
                    "min value {} is greater than max value {}",
                    api::canonical(lo),
                    api::canonical(hi)
                ),
            );
        }
        if let (Some((n, r)), Some((_, lo))) = (req, min)
            && lo > r
        {
            push(
                n,
                "defaultRequest",
                r,
                format!(
                    "min value {} is greater than default request value {}",
                    api::canonical(lo),
                    api::canonical(r)
                ),
            );
        }
        if let (Some((n, r)), Some((_, hi))) = (req, max)
            && r > hi
        {
            push(
                n,
                "defaultRequest",
                r,
                format!(
                    "default request value {} is greater than max value {}",
                    api::canonical(r),
                    api::canonical(hi)
                ),
            );
        }
        if let (Some((n, r)), Some((_, d))) = (req, def)
            && r > d
        {
            push(
                n,
                "defaultRequest",
                r,
                format!(
                    "default request value {} is greater than default limit value {}",
                    api::canonical(r),
                    api::canonical(d)
                ),
            );
        }
        // Upstream reports these two at `default` with the min or max as the value.
        if let (Some((n, d)), Some((_, lo))) = (def, min)
            && lo > d
        {
            push(
                n,
                "default",
                lo,
                format!(
                    "min value {} is greater than default value {}",
                    api::canonical(lo),
                    api::canonical(d)
                ),
            );
        }
        if let (Some((n, d)), Some((_, hi))) = (def, max)
            && d > hi
        {
            push(
                n,
                "default",
                hi,
                format!(
                    "default value {} is greater than max value {}",
                    api::canonical(d),
                    api::canonical(hi)
                ),
            );
        }
        if let Some((n, ratio)) = get("maxLimitRequestRatio", name)
            && ratio < Quantity::from_units(1)
        {
            push(
                n,
                "maxLimitRequestRatio",
                ratio,
                format!("ratio {} is less than 1", api::canonical(ratio)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const LR: &str = "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: mem-limit-range\nspec:\n  limits:\n  - default:\n      memory: 512Mi\n    defaultRequest:\n      memory: 256Mi\n    max:\n      memory: 1Gi\n    type: Container\n";

    #[test]
    fn good_docs_example() {
        assert!(lines_of(LR, "quota-limitrange").is_empty());
    }

    #[test]
    fn bad_default_above_max() {
        let text = LR
            .replace("memory: 1Gi", "memory: 256Mi")
            .replace("memory: 256Mi\n    max", "memory: 128Mi\n    max");
        assert_eq!(lines_of(&text, "quota-limitrange"), vec![8]);
    }
}
