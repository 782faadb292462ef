//! ## What it does
//! Flags a container with no CPU or memory request.
//!
//! ## Why
//! The scheduler places pods by their requests. Without them a pod can land on a node that
//! is already full; with no requests and no limits at all the pod is `BestEffort`, the first
//! to be evicted when the node runs short of memory; and an HPA on CPU utilisation cannot
//! compute anything for it.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: api
//!     image: example/api:1.0
//! ```
//! ## Fix
//! ```yaml
//!     resources:
//!       requests: {cpu: 100m, memory: 128Mi}
//! ```

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::model::{containers, pod_spec};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "missing-requests",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Container without CPU or memory requests",
    why: "The scheduler places pods by their requests, so a container without them can be \
          packed onto a node that has no room for it. A pod with no requests and no limits is \
          BestEffort: the first to be evicted under memory pressure. An HPA on CPU utilisation \
          cannot scale a workload whose containers request no CPU.",
    fix: "Set `resources.requests` for cpu and memory to what the container normally uses, \
          for example `cpu: 100m` and `memory: 128Mi`.",
    docs: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

/// Starting values a small web service can live with; the learner tunes them from what
/// `kubectl top pods` shows.
const STARTER: [(&str, &str); 2] = [("cpu", "100m"), ("memory", "128Mi")];

/// Inserts a `resources.requests` block after the container's last field, at its indentation
/// (only for block-style containers, where the indentation is known).
fn add_resources(ctx: &Context<'_>, container: &crate::yaml::Node) -> Option<Edit> {
    let entries = container.as_mapping()?;
    let first = entries.first()?;
    let last = entries.last()?;
    if ctx.text.as_bytes().get(container.range.start) == Some(&b'{') {
        return None;
    }
    let column = ctx
        .span(first.key.range)
        .start
        .byte_column
        .saturating_sub(1) as usize;
    let indent = " ".repeat(column);
    // Block values (a nested mapping or list) end on their own last line; scalars end the line.
    let at = last.value.range.end.max(last.key.range.end);
    let mut insert = format!("\n{indent}resources:\n{indent}  requests:");
    for (k, v) in STARTER {
        insert.push_str(&format!("\n{indent}    {k}: {v}"));
    }
    Some(Edit {
        start: at,
        end: at,
        insert,
        title: "Add requests: cpu 100m, memory 128Mi".into(),
    })
}

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in ctx.objects_with_root() {
        let Some((spec, path)) = pod_spec(kind, root) else {
            continue;
        };
        for c in containers(spec, path) {
            if c.init {
                continue;
            }
            let resources = c.node.get("resources");
            // Limits without requests default the requests to the limits (SetDefaults_Pod).
            let has = |res: &str| {
                ["requests", "limits"].iter().any(|k| {
                    resources
                        .and_then(|r| r.get(k))
                        .and_then(|m| m.get(res))
                        .is_some()
                })
            };
            let missing: Vec<&str> = ["cpu", "memory"].into_iter().filter(|r| !has(r)).collect();
            if missing.is_empty() {
                continue;
            }
            let name = c.name.unwrap_or("?");
            let anchor = c.node.entry("resources").map_or_else(
                || {
                    c.node
                        .entry("name")
                        .map_or(c.node.range, |e| e.key.range.cover(e.value.range))
                },
                |e| e.key.range,
            );
            let mut d = ctx
                .diag(
                    &RULE,
                    object,
                    anchor,
                    format!(
                        "container \"{name}\" has no {} request",
                        missing.join(" or ")
                    ),
                )
                .field(format!("{}.resources.requests", c.path));
            if resources.is_none()
                && let Some(edit) = add_resources(ctx, c.node)
            {
                d = d.edit(edit);
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_no_resources() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n";
        assert_eq!(lines_of(text, "missing-requests"), vec![7]);
    }

    #[test]
    fn the_quick_fix_adds_requests_at_the_containers_indentation() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          ports:\n            - containerPort: 80\n";
        let d = crate::testing::diagnostics_of(text);
        let edit = d
            .iter()
            .find(|d| d.code == "missing-requests")
            .and_then(|d| d.edit.clone())
            .unwrap();
        let mut fixed = text.to_owned();
        fixed.replace_range(edit.start..edit.end, &edit.insert);
        assert!(
            fixed.ends_with("            - containerPort: 80\n          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi\n"),
            "{fixed}"
        );
        assert!(lines_of(&fixed, "missing-requests").is_empty());
        assert!(!crate::testing::codes_of(&fixed).contains(&"yaml-syntax"));
    }

    #[test]
    fn bad_only_cpu() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      resources:\n        requests:\n          cpu: 100m\n";
        assert_eq!(lines_of(text, "missing-requests"), vec![9]);
    }

    #[test]
    fn good_requests_or_limits() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: a\n      image: nginx:1.27\n      resources:\n        requests: {cpu: 100m, memory: 64Mi}\n    - name: b\n      image: nginx:1.27\n      resources:\n        limits: {cpu: 100m, memory: 64Mi}\n";
        assert!(lines_of(text, "missing-requests").is_empty());
    }
}
