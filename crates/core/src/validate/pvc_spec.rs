//! ## What it does
//! Checks a PersistentVolumeClaim as `pkg/apis/core/validation/validation.go`
//! `ValidatePersistentVolumeClaimSpec` does (a StatefulSet's `volumeClaimTemplates` are not
//! validated when the StatefulSet is created, only when its controller creates the claims,
//! so they are left out of this error): at
//! least one access mode, each one of `ReadOnlyMany`, `ReadWriteMany`, `ReadWriteOnce`,
//! `ReadWriteOncePod`; a `resources.requests.storage` above zero.
//!
//! ## Why
//! The claim is matched to a volume by access mode and size; without them there is nothing
//! to match (`spec.resources[storage]: Required value`).
//!
//! ## Example
//! ```yaml
//! spec:
//!   accessModes: [ReadWriteOnce]
//! ```
//! ## Fix
//! Add `resources: {requests: {storage: 1Gi}}`.

use super::api;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::{Object, Quantity};
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "pvc-spec",
    severity: Severity::Error,
    source: Source::Api,
    title: "Claim without access modes or storage size",
    why: "A PersistentVolumeClaim asks for storage of a size and an access mode; the API \
          server refuses a claim without a mode, with an unknown mode, or without a positive \
          `resources.requests.storage`.",
    fix: "Set `accessModes: [ReadWriteOnce]` and `resources: {requests: {storage: 1Gi}}`.",
    docs: "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#persistentvolumeclaims",
};

pub static CHECK: Check = Check { rule: &RULE, run };

const MODES: [&str; 4] = [
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOnce",
    "ReadWriteOncePod",
];

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in api::objects(ctx) {
        if kind == "PersistentVolumeClaim"
            && let Some(spec) = root.get("spec").filter(|s| s.as_mapping().is_some())
        {
            claim(ctx, object, spec, "spec", out);
        }
    }
}

fn claim(ctx: &Context<'_>, object: &Object, spec: &Node, path: &str, out: &mut Vec<Diagnostic>) {
    let modes = api::items(spec, "accessModes");
    if modes.is_empty() {
        let range = spec.get("accessModes").unwrap_or(spec).range;
        out.push(
            api::error(ctx, &RULE, object, range, &format!("{path}.accessModes"), &api::required("at least 1 access mode is required"))
                .help("Add `accessModes: [ReadWriteOnce]` (one node mounts it read-write), or `ReadWriteMany` if the storage supports it."),
        );
    }
    for m in modes {
        if let Some(mode) = m.as_str()
            && !MODES.contains(&mode)
        {
            out.push(api::error(
                ctx,
                &RULE,
                object,
                m.range,
                &format!("{path}.accessModes"),
                &api::unsupported(&api::q(mode), &MODES),
            ));
        }
    }
    let storage_path = format!("{path}.resources[storage]");
    match spec.at("resources.requests.storage") {
        None => {
            let range = spec.get("resources").unwrap_or(spec).range;
            out.push(
                api::error(ctx, &RULE, object, range, &storage_path, &api::required(""))
                    .help("Ask for a size: `resources: {requests: {storage: 1Gi}}`."),
            );
        }
        Some(n) => {
            if let Some(q) = api::quantity(n)
                && q <= Quantity::from_units(0)
            {
                let body = api::invalid(&api::q(&api::canonical(q)), "must be greater than zero");
                out.push(api::error(
                    ctx,
                    &RULE,
                    object,
                    n.range,
                    &storage_path,
                    &body,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const PVC: &str = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes:\n    - ReadWriteOnce\n  resources:\n    requests:\n      storage: 8Gi\n";

    #[test]
    fn good_claim() {
        assert!(lines_of(PVC, "pvc-spec").is_empty());
    }

    #[test]
    fn bad_zero_storage() {
        let text = PVC.replace("8Gi", "0");
        assert_eq!(lines_of(&text, "pvc-spec"), vec![10]);
    }
}
