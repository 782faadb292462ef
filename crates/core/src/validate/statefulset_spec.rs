//! ## What it does
//! Checks what `pkg/apis/apps/validation` `ValidateStatefulSetSpec` checks beyond selectors
//! and replica counts: `rollingUpdate` only with the `RollingUpdate` strategy, a
//! non-negative `partition`, `maxUnavailable` at least 1 (a number or a percentage up to
//! 100%), a non-negative `ordinals.start`, and no `activeDeadlineSeconds` in the template.
//! `serviceName` is not checked: `ValidateStatefulSetSpec` does not require it (the
//! OpenAPI schema may); the pod template itself is not validated by the API server beyond
//! labels and annotations (see `api::pod_specs`).
//!
//! ## Why
//! `OnDelete` replaces pods only when you delete them, so rolling-update settings would be
//! ignored; a StatefulSet's pods run for good, so a deadline that kills them makes no sense.
//!
//! ## Example
//! ```yaml
//! updateStrategy:
//!   type: OnDelete
//!   rollingUpdate: {partition: 2}
//! ```
//! ## Fix
//! Remove `rollingUpdate`, or use `type: RollingUpdate`.

use super::api;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;
use crate::yaml::{Node, Resolved};

pub static RULE: Rule = Rule {
    code: "statefulset-spec",
    severity: Severity::Error,
    source: Source::Api,
    title: "StatefulSet update strategy or template settings invalid",
    why: "A StatefulSet updates its pods one ordinal at a time (RollingUpdate, optionally from \
          a partition) or only when you delete them (OnDelete). Rolling-update settings under \
          OnDelete, negative partitions and pod deadlines are refused.",
    fix: "Use `updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 0}}` or plain \
          `type: OnDelete`; remove `activeDeadlineSeconds` from the template.",
    docs: "https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#update-strategies",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in api::objects(ctx) {
        if kind != "StatefulSet" {
            continue;
        }
        let Some(spec) = root.get("spec") else {
            continue;
        };
        let e = |range, f: &str, body: String| api::error(ctx, &RULE, object, range, f, &body);
        if let Some(us) = spec.get("updateStrategy")
            && let Some(ru) = us.entry("rollingUpdate").filter(|e| !e.value.is_null())
        {
            match us.get("type").and_then(Node::as_str) {
                Some("OnDelete") => {
                    // The value is the internal `RollingUpdateStatefulSetStrategy`, without JSON tags.
                    let field = |k: &str| {
                        ru.value
                            .get(k)
                            .filter(|n| !n.is_null())
                            .map_or_else(|| "null".to_owned(), api::render)
                    };
                    let value = format!(
                        "{{\"Partition\":{},\"MaxUnavailable\":{}}}",
                        ru.value
                            .get("partition")
                            .map_or_else(|| "0".to_owned(), api::render),
                        field("maxUnavailable")
                    );
                    let body =
                        api::invalid(&value, "only allowed for updateStrategy 'RollingUpdate'");
                    out.push(e(ru.key.range, "spec.updateStrategy.rollingUpdate", body));
                }
                None | Some("RollingUpdate") => {
                    if let Some((n, v)) = api::int_at(&ru.value, "partition")
                        && v < 0
                    {
                        out.push(e(
                            n.range,
                            "spec.updateStrategy.rollingUpdate.partition",
                            api::invalid(&v.to_string(), "must be greater than or equal to 0"),
                        ));
                    }
                    if let Some(n) = ru.value.get("maxUnavailable").filter(|n| !n.is_null()) {
                        let f = "spec.updateStrategy.rollingUpdate.maxUnavailable";
                        match n.resolve() {
                            Some(Resolved::Int(v)) if v < 1 => {
                                out.push(e(
                                    n.range,
                                    f,
                                    api::invalid(&v.to_string(), "must be greater than 0"),
                                ));
                            }
                            Some(Resolved::Str(s)) => {
                                let pct = s.strip_suffix('%').filter(|d| {
                                    !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())
                                });
                                match pct.map(|d| d.parse::<u64>().unwrap_or(u64::MAX)) {
                                    None => out.push(e(n.range, f, api::invalid(&api::q(s), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"))),
                                    Some(0) => out.push(e(n.range, f, api::invalid(&api::q(s), "must be greater than 0"))),
                                    Some(p) if p > 100 => out.push(e(n.range, f, api::invalid(&api::q(s), "must not be greater than 100%"))),
                                    Some(_) => {}
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Some(_) => {}
            }
        }
        if let Some((n, v)) = spec.get("ordinals").and_then(|o| api::int_at(o, "start"))
            && v < 0
        {
            out.push(e(
                n.range,
                "spec.ordinals.start",
                api::invalid(&v.to_string(), "must be greater than or equal to 0"),
            ));
        }
        if let Some(ad) = spec
            .at("template.spec")
            .and_then(|s| s.entry("activeDeadlineSeconds"))
        {
            out.push(
                e(
                    ad.key.range,
                    "spec.template.spec.activeDeadlineSeconds",
                    api::forbidden("activeDeadlineSeconds in StatefulSet is not Supported"),
                )
                .help(
                    "Remove `activeDeadlineSeconds`: StatefulSet pods are meant to keep running.",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const STS: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      partition: 1\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n";

    #[test]
    fn good_partition() {
        assert!(lines_of(STS, "statefulset-spec").is_empty());
    }

    #[test]
    fn bad_on_delete_with_rolling_update() {
        let text = STS.replace("type: RollingUpdate", "type: OnDelete");
        assert_eq!(lines_of(&text, "statefulset-spec"), vec![10]);
    }
}
