//! ## What it does
//! Parses every quantity field (container `resources` requests and limits, ResourceQuota
//! `hard`, LimitRange limits, PersistentVolumeClaim `storage`, PersistentVolume `capacity`,
//! `emptyDir.sizeLimit`) with the API server's quantity parser and reports its message.
//!
//! ## Why
//! `cpu: 1 core`, `memory: 512mb` and `memory: 1GB` look reasonable but are not quantities:
//! the API server cannot decode the object (`quantities must match the regular expression
//! ...`, `unable to parse quantity's suffix`). Suffixes are case-sensitive: `Mi`, `Gi`,
//! `M`, `G`, `m` (milli).
//!
//! ## Example
//! ```yaml
//! resources:
//!   requests:
//!     memory: 512mb
//! ```
//! ## Fix
//! `memory: 512Mi` (binary) or `512M` (decimal); `cpu: "1"` or `cpu: 500m`.

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::model::Quantity;
use crate::rule::Rule;
use crate::schema::{self, Problem};

pub static RULE: Rule = Rule {
    code: "invalid-quantity",
    severity: Severity::Error,
    source: Source::Schema,
    title: "Not a Kubernetes quantity",
    why: "Resource amounts are quantities: a number with an optional case-sensitive suffix \
          (`500m`, `2`, `128Mi`, `1Gi`, `1G`). Anything else, including spaces, `mb`, `GB` or \
          `core`, makes the API server refuse the object.",
    fix: "Write CPU as cores or millicores (`1`, `500m`) and memory with `Mi`/`Gi` \
          (`512Mi`, `1Gi`).",
    docs: "https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

/// A likely intended quantity for common slips (`512mb` → `512Mi`, `1 core` → `1`).
fn fix_of(value: &str) -> Option<String> {
    let v = value.trim();
    let digits_end = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(v.len());
    let (number, unit) = v.split_at(digits_end);
    if number.is_empty() {
        return None;
    }
    let unit = unit.trim().to_ascii_lowercase();
    let suffix = match unit.as_str() {
        "mb" | "mib" | "mi" | "m b" => "Mi",
        "gb" | "gib" | "gi" | "g" => "Gi",
        "kb" | "kib" | "ki" | "k" => "Ki",
        "core" | "cores" | "cpu" | "cpus" => "",
        "millicores" | "millicore" | "mcpu" => "m",
        _ => return None,
    };
    let fixed = format!("{number}{suffix}");
    Quantity::parse(&fixed).ok().map(|_| fixed)
}

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    schema::each(
        ctx,
        |object, f| {
            let Problem::Quantity { value, error } = &f.problem else {
                return;
            };
            let mut d = ctx
                .diag(
                    &RULE,
                    object,
                    f.range,
                    format!(
                        "{}: \"{value}\" is not a quantity: {}",
                        f.path,
                        error.message()
                    ),
                )
                .field(f.path.clone())
                .apiserver(schema::decode_error_of(object, error.message()));
            if let Some(fixed) = fix_of(value) {
                d = d.edit(Edit {
                    start: f.range.start,
                    end: f.range.end,
                    insert: fixed.clone(),
                    title: format!("Change to {fixed}"),
                });
            }
            out.push(d);
        },
        |p| matches!(p, Problem::Quantity { .. }),
    );
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      resources:\n        requests:\n          cpu: 250m\n          memory: 64Mi\n        limits:\n          cpu: 1\n          memory: 0.5Gi\n";

    #[test]
    fn good_quantities() {
        assert!(lines_of(POD, "invalid-quantity").is_empty());
    }

    #[test]
    fn bad_core_and_mb() {
        let text = POD
            .replace("cpu: 1\n", "cpu: 1 core\n")
            .replace("memory: 64Mi", "memory: 512mb");
        assert_eq!(lines_of(&text, "invalid-quantity"), vec![12, 14]);
        let d = diagnostics_of(&text);
        let d: Vec<_> = d.iter().filter(|d| d.code == "invalid-quantity").collect();
        assert_eq!(
            d[0].field.as_deref(),
            Some("spec.containers[0].resources.requests[memory]")
        );
        assert_eq!(d[0].edit.as_ref().unwrap().insert, "512Mi");
        assert_eq!(d[1].edit.as_ref().unwrap().insert, "1");
        assert!(
            d[1].apiserver
                .as_deref()
                .unwrap()
                .contains("Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression"),
            "{:?}",
            d[1].apiserver
        );
    }

    #[test]
    fn bad_resource_quota_hard() {
        let text = "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: q\nspec:\n  hard:\n    requests.memory: 10 GB\n";
        assert_eq!(lines_of(text, "invalid-quantity"), vec![7]);
    }
}
