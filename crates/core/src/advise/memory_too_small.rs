//! ## What it does
//! Flags a memory request or limit below 1Mi, such as `memory: 512` (512 bytes) or
//! `memory: 64k` (64 kilobytes).
//!
//! ## Why
//! A number without a suffix is bytes. No process runs in a few kilobytes: with such a limit
//! the container is OOM-killed as soon as it starts (or cannot be created at all); with such
//! a request the scheduler reserves nothing for it.
//!
//! ## Example
//! ```yaml
//! limits: {memory: 512}
//! ```
//! ## Fix
//! ```yaml
//! limits: {memory: 512Mi}
//! ```

use super::container_util::{quantity_sites, range_in};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::model::Quantity;
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "memory-too-small",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Memory below 1Mi: a number without a unit is bytes",
    why: "Memory quantities without a suffix are bytes, and `k`/`Ki` are kilobytes, so \
          `memory: 512` is half a kilobyte. As a limit, the container is OOM-killed as soon as \
          it starts (or the runtime refuses to create it) and restarts forever \
          (CrashLoopBackOff). As a request, the scheduler reserves nothing for it, and under \
          memory pressure it is among the first pods evicted because it uses more than it asked \
          for.",
    fix: "Add the unit you meant: `memory: 512Mi` (mebibytes) or `memory: 1Gi`.",
    docs: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#meaning-of-memory",
};

pub static CHECK: Check = Check { rule: &RULE, run };

/// 1 MiB: nothing real runs in less.
const ONE_MI: i128 = 1 << 20;

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        for s in quantity_sites(p.spec, p.path, "memory") {
            // `128m` is memory-milli-unit's case.
            if s.text.ends_with('m') {
                continue;
            }
            let Ok(q) = Quantity::parse(&s.text) else {
                continue;
            };
            if q.nanos() <= 0 || q.units() >= ONE_MI {
                continue;
            }
            let number_end = s
                .text
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(s.text.len());
            let (number, suffix) = s.text.split_at(number_end);
            let what = if s.side == "limits" {
                "limit"
            } else {
                "request"
            };
            let mut d = ctx
                .diag(
                    &RULE,
                    p.object,
                    s.node.range,
                    format!(
                        "{}: memory {what} `{}` is only {} bytes",
                        s.owner(),
                        s.text,
                        q.units()
                    ),
                )
                .field(s.field());
            if !number.is_empty()
                && matches!(suffix, "" | "k" | "Ki")
                && let Some(range) = range_in(ctx.text, s.node, &s.text)
            {
                let fixed = format!("{number}Mi");
                d = d.edit(Edit {
                    start: range.start,
                    end: range.end,
                    insert: fixed.clone(),
                    title: format!("Change to {fixed}"),
                });
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    #[test]
    fn bad_bytes_and_kilobytes() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: example/api:1.0\n          resources:\n            requests:\n              memory: 64k\n            limits:\n              memory: 512\n";
        assert_eq!(lines_of(text, "memory-too-small"), vec![17, 19]);
        let ds = diagnostics_of(text);
        let d: Vec<_> = ds.iter().filter(|d| d.code == "memory-too-small").collect();
        assert_eq!(
            d[1].message,
            "container \"api\": memory limit `512` is only 512 bytes"
        );
        assert_eq!(d[1].edit.as_ref().map(|e| e.insert.as_str()), Some("512Mi"));
        assert_eq!(d[0].edit.as_ref().map(|e| e.insert.as_str()), Some("64Mi"));
    }

    #[test]
    fn good_real_sizes_zero_and_milli() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      resources:\n        requests: {memory: 1Mi}\n        limits: {memory: \"1073741824\"}\n    - name: b\n      image: nginx:1.27\n      resources:\n        requests: {memory: 0}\n        limits: {memory: 128m}\n";
        assert!(lines_of(text, "memory-too-small").is_empty());
    }
}
