//! ## What it does
//! Flags two documents that define the same object (same kind, namespace and name).
//!
//! ## Why
//! `kubectl apply` applies both in order, so the second silently replaces the first; the
//! first document's settings never survive.
//!
//! ## Fix
//! Delete one of the two, or give them different names.

use std::collections::HashMap;

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "duplicate-object",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "The same object is defined twice",
    why: "kubectl apply sends both documents in order; the later one overwrites the earlier, so \
          whatever the first one says is lost without a word.",
    fix: "Keep one definition, or rename one of the objects if you meant two.",
    docs: "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<(&str, &str, &str, &str), u32> = HashMap::new();
    for object in ctx.objects {
        let (Some(kind), Some(name)) = (object.kind.as_deref(), object.name.as_deref()) else {
            continue;
        };
        let group = object
            .api_version
            .as_deref()
            .and_then(|v| v.rsplit_once('/').map(|(g, _)| g))
            .unwrap_or("");
        let ns = object.namespace.as_deref().unwrap_or("");
        let key = (group, kind, ns, name);
        match seen.get(&key) {
            Some(first_line) => {
                let range = ctx
                    .root(object)
                    .and_then(|r| r.get("metadata"))
                    .and_then(|m| m.get("name"))
                    .map_or(object.range, |n| n.range);
                out.push(ctx.diag(
                    &RULE,
                    object,
                    range,
                    format!("{kind} \"{name}\" is already defined on line {first_line}; this one replaces it"),
                ));
            }
            None => {
                seen.insert(key, object.span.start.line);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n";

    #[test]
    fn bad_same_configmap_twice() {
        let text = format!("{CM}---\n{CM}");
        assert_eq!(lines_of(&text, "duplicate-object"), vec![9]);
    }

    #[test]
    fn good_same_name_different_kinds_or_namespaces() {
        let text = format!(
            "{CM}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: staging\n"
        );
        assert!(lines_of(&text, "duplicate-object").is_empty());
    }
}
