//! ## What it does
//! Flags a CPU request or limit of 64 cores or more written as a bare number, such as
//! `cpu: 500`: almost always millicores were meant.
//!
//! ## Why
//! A CPU quantity without a suffix counts whole cores. `cpu: 500` asks for 500 CPUs; no node
//! has that, so the scheduler leaves the pod Pending (`Insufficient cpu`). As a limit with a
//! smaller request, it is simply no limit at all.
//!
//! ## Example
//! ```yaml
//! requests: {cpu: 500}
//! ```
//! ## Fix
//! ```yaml
//! requests: {cpu: 500m}
//! ```

use super::container_util::{quantity_sites, range_in};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::model::Quantity;
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "cpu-too-large",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "CPU of 64 cores or more: millicores were probably meant",
    why: "A CPU quantity without a suffix is whole cores, so `cpu: 500` is five hundred CPUs. \
          The scheduler finds no node with that much free CPU and the pod stays Pending with \
          an event such as `0/3 nodes are available: 3 Insufficient cpu`. A limit that large (with a smaller \
          request) does not limit anything.",
    fix: "Add the `m` suffix for millicores: `cpu: 500m` is half a core. `cpu: 1` or `cpu: \
          \"2\"` are whole cores.",
    docs: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#meaning-of-cpu",
};

pub static CHECK: Check = Check { rule: &RULE, run };

const MANY_CORES: i128 = 64;

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        let sites = quantity_sites(p.spec, p.path, "cpu");
        for s in &sites {
            if s.text.is_empty() || !s.text.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let Ok(q) = Quantity::parse(&s.text) else {
                continue;
            };
            if q.units() < MANY_CORES {
                continue;
            }
            // A limit whose request key is absent also becomes the request (SetDefaults_Pod).
            let request_too = s.side == "requests"
                || !sites
                    .iter()
                    .any(|o| o.side == "requests" && o.same_owner(s));
            let consequence = if request_too {
                "no node has that many, so the pod stays Pending"
            } else {
                "a limit that large limits nothing"
            };
            let what = if s.side == "limits" {
                "limit"
            } else {
                "request"
            };
            let fixed = format!("{}m", s.text);
            let mut d = ctx
                .diag(
                    &RULE,
                    p.object,
                    s.node.range,
                    format!(
                        "{}: cpu {what} `{}` is {} cores; {consequence}. Did you mean `{fixed}`?",
                        s.owner(),
                        s.text,
                        q.units()
                    ),
                )
                .field(s.field());
            if let Some(range) = range_in(ctx.text, s.node, &s.text) {
                d = d.edit(Edit {
                    start: range.start,
                    end: range.end,
                    insert: fixed.clone(),
                    title: format!("Change to {fixed} (millicores)"),
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
    fn bad_500_cores() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      resources:\n        requests:\n          cpu: 500\n        limits:\n          cpu: \"1000\"\n";
        assert_eq!(lines_of(text, "cpu-too-large"), vec![11, 13]);
        let ds = diagnostics_of(text);
        let d: Vec<_> = ds.iter().filter(|d| d.code == "cpu-too-large").collect();
        assert_eq!(
            d[0].message,
            "container \"web\": cpu request `500` is 500 cores; no node has that many, so the pod stays Pending. Did you mean `500m`?"
        );
        assert!(d[1].message.contains("limits nothing"));
        let e = d[1].edit.as_ref().unwrap();
        assert_eq!(
            (&text[e.start..e.end], e.insert.as_str()),
            ("1000", "1000m")
        );
    }

    #[test]
    fn good_cores_and_millicores() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      resources:\n        requests: {cpu: 2}\n        limits: {cpu: 64000m}\n";
        assert!(lines_of(text, "cpu-too-large").is_empty());
    }
}
