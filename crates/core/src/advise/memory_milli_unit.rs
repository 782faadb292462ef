//! ## What it does
//! Flags a memory quantity written with the `m` (milli) suffix, such as `memory: 128m`.
//!
//! ## Why
//! In Kubernetes quantities `m` means thousandths, so `128m` of memory is 0.128 bytes, not
//! 128 megabytes. A limit that small kills the container as soon as it starts; a request that
//! small reserves nothing, so the scheduler overpacks the node. (`M` is megabytes and `Mi`
//! mebibytes; both are fine.)
//!
//! ## Example
//! ```yaml
//! limits: {memory: 128m}
//! ```
//! ## Fix
//! ```yaml
//! limits: {memory: 128Mi}
//! ```

use super::container_util::{QuantitySite, quantity_sites, range_in};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::model::Quantity;
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "memory-milli-unit",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Memory in millibytes: `m` is milli, not mega",
    why: "Kubernetes reads the `m` suffix as one thousandth, so `memory: 128m` is 0.128 bytes. \
          As a limit the container is OOM-killed the moment it starts and restarts forever \
          (CrashLoopBackOff); as a request the scheduler reserves nothing for it, so it lands \
          on nodes with no room and is among the first evicted under memory pressure.",
    fix: "Write mebibytes with `Mi` (`memory: 128Mi`) or gibibytes with `Gi`. `M` (megabytes, \
          10^6) also works; only the lower-case `m` is wrong here.",
    docs: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#meaning-of-memory",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        for site in quantity_sites(p.spec, p.path, "memory") {
            if let Some(d) = check_site(ctx, p.object, &site) {
                out.push(d);
            }
        }
    }
}

fn check_site(
    ctx: &Context<'_>,
    object: &crate::model::Object,
    s: &QuantitySite<'_>,
) -> Option<Diagnostic> {
    let number = s.text.strip_suffix('m')?;
    let q = Quantity::parse(&s.text).ok()?;
    if q.nanos() <= 0 {
        return None;
    }
    let fixed = format!("{number}Mi");
    let mut d = ctx
        .diag(
            &RULE,
            object,
            s.node.range,
            format!(
                "{}: memory {} `{}` is {} bytes (m means milli); write `{fixed}`",
                s.owner(),
                if s.side == "limits" {
                    "limit"
                } else {
                    "request"
                },
                s.text,
                q.as_f64()
            ),
        )
        .field(s.field());
    if let Some(range) = range_in(ctx.text, s.node, &s.text) {
        d = d.edit(Edit {
            start: range.start,
            end: range.end,
            insert: fixed.clone(),
            title: format!("Change to {fixed}"),
        });
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    #[test]
    fn bad_128m_limit_with_edit() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      resources:\n        requests:\n          memory: \"64m\"\n        limits:\n          memory: 128m\n";
        assert_eq!(lines_of(text, "memory-milli-unit"), vec![11, 13]);
        let ds = diagnostics_of(text);
        let d: Vec<_> = ds
            .iter()
            .filter(|d| d.code == "memory-milli-unit")
            .collect();
        assert_eq!(
            d[1].message,
            "container \"web\": memory limit `128m` is 0.128 bytes (m means milli); write `128Mi`"
        );
        let e = d[0].edit.as_ref().unwrap();
        assert_eq!((&text[e.start..e.end], e.insert.as_str()), ("64m", "64Mi"));
        assert_eq!(
            d[1].field.as_deref(),
            Some("spec.containers[0].resources.limits.memory")
        );
    }

    #[test]
    fn good_m_and_mi_and_cpu_millis() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      resources:\n        requests: {cpu: 250m, memory: 128M}\n        limits: {cpu: 500m, memory: 128Mi}\n";
        assert!(lines_of(text, "memory-milli-unit").is_empty());
    }
}
