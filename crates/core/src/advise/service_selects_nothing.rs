//! ## What it does
//! Flags a Service whose selector matches no Pod or pod template in its namespace in these
//! files, and suggests the label it probably meant when one is a near miss (edit distance
//! ≤ 2 on the key or the value).
//!
//! ## Why
//! The endpoints controller adds only pods whose labels contain every key and value of the
//! selector. With no match the Service has 0 endpoints: connections are refused (or the
//! Ingress answers 503) although every pod is running and ready.
//!
//! ## Example
//! ```yaml
//! selector:
//!   app: wbe        # the pods are labelled app: web
//! ```
//! ## Fix
//! ```yaml
//! selector:
//!   app: web
//! ```

use crate::advise::links::{PodOwners, ns};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::facts::pod_labels;
use crate::rule::Rule;
use crate::suggest::edit_distance;
use crate::yaml::Entry;

pub static RULE: Rule = Rule {
    code: "service-selects-nothing",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Service selector matches no pods",
    why: "A Service sends traffic to the pods whose labels include every key and value of its \
          selector, in its own namespace. When no pod template matches, the Service has no \
          endpoints: clients get \"connection refused\" and an Ingress in front answers 503, \
          even though the pods themselves are running and ready. The cause is usually a typo \
          or a label that differs between the selector and the pod template.",
    fix: "Make `spec.selector` equal to labels that the pod template has under \
          `spec.template.metadata.labels` (not the Deployment's own metadata.labels).",
    docs: "https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

/// A near miss: the selector entry to change and the label that would match.
struct Suggestion<'a> {
    entry: &'a Entry,
    key: &'a str,
    value: &'a str,
}

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let owners = PodOwners::of(ctx);
    for (service, root, kind) in ctx.objects_with_root() {
        if kind != "Service" {
            continue;
        }
        if root.at("spec.type").and_then(|t| t.as_str()) == Some("ExternalName") {
            continue;
        }
        let Some(selected) = owners.selected_by(service, root) else {
            continue;
        };
        if !selected.is_empty() {
            continue;
        }
        let Some(sel_entry) = root.get("spec").and_then(|s| s.entry("selector")) else {
            continue;
        };
        let entries: Vec<&Entry> = sel_entry
            .value
            .as_mapping()
            .unwrap_or_default()
            .iter()
            .collect();
        // The pod template closest to the selector: every entry equal or a near miss.
        let mut best: Option<(usize, Vec<Suggestion<'_>>, String)> = None;
        for (o, r, k) in ctx.objects_with_root() {
            if ns(o) != ns(service) {
                continue;
            }
            let Some(labels) = pod_labels(k, r) else {
                continue;
            };
            let mut cost = 0;
            let mut fixes = Vec::new();
            let mut ok = true;
            for e in &entries {
                let (Some(sk), Some(sv)) = (e.key.as_scalar(), e.value.as_scalar()) else {
                    ok = false;
                    break;
                };
                let (sk, sv) = (sk.value.as_str(), sv.value.as_str());
                if labels.iter().any(|(lk, lv)| *lk == sk && *lv == sv) {
                    continue;
                }
                let near = labels
                    .iter()
                    .filter_map(|(lk, lv)| {
                        let d = edit_distance(lk, sk) + edit_distance(lv, sv);
                        let close = (*lk == sk && edit_distance(lv, sv) <= 2)
                            || (*lv == sv && edit_distance(lk, sk) <= 2);
                        close.then_some((d, *lk, *lv))
                    })
                    .min();
                match near {
                    Some((d, lk, lv)) => {
                        cost += d;
                        fixes.push(Suggestion {
                            entry: e,
                            key: lk,
                            value: lv,
                        });
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok && !fixes.is_empty() && best.as_ref().is_none_or(|(c, _, _)| cost < *c) {
                best = Some((cost, fixes, format!("{k}/{}", o.name_or_empty())));
            }
        }
        let selector_text = entries
            .iter()
            .filter_map(|e| {
                Some(format!(
                    "{}: {}",
                    e.key.as_scalar()?.value,
                    e.value.as_scalar()?.value
                ))
            })
            .collect::<Vec<_>>()
            .join(", ");
        let name = service.name_or_empty();
        let d = match best {
            Some((_, fixes, target)) => {
                let meant = fixes
                    .iter()
                    .map(|f| format!("{}: {}", f.key, f.value))
                    .collect::<Vec<_>>()
                    .join(", ");
                let first = &fixes[0];
                let mut d = ctx
                    .diag(
                        &RULE,
                        service,
                        first.entry.key.range.cover(first.entry.value.range),
                        format!(
                            "Service \"{name}\" selects {{{selector_text}}}, which no pod in these files has, so it gets 0 endpoints; did you mean {meant} (the labels of {target})?"
                        ),
                    )
                    .field(format!(
                        "spec.selector.{}",
                        first.entry.key.as_scalar().map_or("", |s| s.value.as_str())
                    ));
                if fixes.len() == 1 {
                    d = d.edit(Edit {
                        start: first.entry.key.range.start,
                        end: first.entry.value.range.end,
                        insert: format!("{}: {}", first.key, first.value),
                        title: format!("Select {}: {}", first.key, first.value),
                    });
                }
                d
            }
            None => ctx
                .diag(
                    &RULE,
                    service,
                    sel_entry.key.range,
                    format!(
                        "Service \"{name}\" selects {{{selector_text}}}, but no pod or pod template in these files has those labels: it gets 0 endpoints"
                    ),
                )
                .field("spec.selector"),
        };
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels:\n        app: web\n        tier: frontend\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n---\n";

    fn service(selector: &str) -> String {
        format!(
            "{DEPLOYMENT}apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n{selector}  ports:\n    - port: 80\n"
        )
    }

    #[test]
    fn bad_typo_with_edit() {
        let text = service("    app: wbe\n    tier: frontend\n");
        assert_eq!(lines_of(&text, "service-selects-nothing"), vec![25]);
        let d = diagnostics_of(&text)
            .into_iter()
            .find(|d| d.code == "service-selects-nothing")
            .unwrap();
        assert!(d.message.contains("did you mean app: web"), "{}", d.message);
        let e = d.edit.unwrap();
        assert_eq!(&text[e.start..e.end], "app: wbe");
        assert_eq!(e.insert, "app: web");
    }

    #[test]
    fn bad_unrelated_labels() {
        let text = service("    app: checkout\n");
        assert_eq!(lines_of(&text, "service-selects-nothing"), vec![24]);
    }

    #[test]
    fn good_matching_or_no_selector() {
        assert!(lines_of(&service("    app: web\n"), "service-selects-nothing").is_empty());
        let manual = "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n    - port: 5432\n";
        assert!(lines_of(manual, "service-selects-nothing").is_empty());
    }
}
