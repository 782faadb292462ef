//! ## What it does
//! Notes a namespaced object without `metadata.namespace` in files where other objects do
//! set one.
//!
//! ## Why
//! An object without a namespace goes to kubectl's current namespace (usually `default`),
//! not to the namespace its neighbours name: a Service then selects no pods, a Deployment
//! cannot find its ConfigMap.
//!
//! ## Fix
//! Set the same `metadata.namespace` on every object, or on none and use `kubectl -n`.

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::{KindLookup, lookup_kind};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "namespace-missing",
    severity: Severity::Info,
    source: Source::Advice,
    title: "Object without a namespace among objects that have one",
    why: "An object without `metadata.namespace` is created in kubectl's current namespace \
          (usually `default`), while its neighbours go where they say. Objects only find each \
          other inside one namespace, so a Service there selects no pods and a Deployment \
          cannot read its ConfigMap.",
    fix: "Add the same `namespace:` the other objects use, or remove it from all of them and \
          choose the namespace with `kubectl apply -n`.",
    docs: "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn namespaced(api_version: Option<&str>, kind: &str) -> bool {
    api_version
        .is_some_and(|v| matches!(lookup_kind(v, kind), KindLookup::Known(k) if k.namespaced))
}

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let named: Vec<&str> = ctx
        .objects
        .iter()
        .filter_map(|o| o.namespace.as_deref())
        .filter(|n| !n.is_empty())
        .collect();
    let Some(first) = named.first() else { return };
    let all_same = named.iter().all(|n| n == first);
    for (object, root, kind) in ctx.objects_with_root() {
        if object.namespace.is_some() || !namespaced(object.api_version.as_deref(), kind) {
            continue;
        }
        let range = root.entry("metadata").map_or(object.range, |m| m.key.range);
        let hint = if all_same {
            format!("; the other objects are in \"{first}\"")
        } else {
            String::new()
        };
        out.push(
            ctx.diag(
                &RULE,
                object,
                range,
                format!(
                    "{kind} \"{}\" has no namespace and goes to the current one{hint}",
                    object.name_or_empty()
                ),
            )
            .field("metadata.namespace"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_one_object_forgot_the_namespace() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: shop\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\nspec:\n  ports: [{port: 80}]\n";
        assert_eq!(lines_of(text, "namespace-missing"), vec![9]);
    }

    #[test]
    fn good_none_set_or_cluster_scoped() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n";
        assert!(lines_of(text, "namespace-missing").is_empty());
        let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: shop\n";
        assert!(lines_of(text, "namespace-missing").is_empty());
    }
}
