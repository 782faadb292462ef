//! ## What it does
//! Flags `imagePullPolicy: Never`.
//!
//! ## Why
//! With `Never` the kubelet never pulls: the container starts only on nodes where the image is
//! already present. Everywhere else it fails with `ErrImageNeverPull` and never recovers.
//! That suits a local kind or minikube cluster with a preloaded image, not a real cluster.
//!
//! ## Example
//! ```yaml
//! imagePullPolicy: Never
//! ```
//! ## Fix
//! `imagePullPolicy: IfNotPresent` (or remove the line for the default).

use super::container_util::name_of;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::model::containers;
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "image-pull-policy-never",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "imagePullPolicy: Never works only where the image is preloaded",
    why: "With `Never` the kubelet never pulls the image. The pod starts only on a node that \
          already has it (a kind or minikube cluster where you loaded it by hand); on any other \
          node the container waits in `ErrImageNeverPull` forever, and a rescheduled pod or a \
          new node breaks a workload that used to run.",
    fix: "Push the image to a registry the cluster can reach and use `imagePullPolicy: \
          IfNotPresent` (or leave the field out to get the default).",
    docs: "https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        for c in containers(p.spec, p.path) {
            let Some(node) = c.node.get("imagePullPolicy") else {
                continue;
            };
            if node.as_str() != Some("Never") {
                continue;
            }
            out.push(
                ctx.diag(
                    &RULE,
                    p.object,
                    node.range,
                    format!(
                        "container \"{}\" never pulls its image: it starts only on nodes that already have {}",
                        name_of(&c),
                        c.node.get("image").and_then(Node::as_str).unwrap_or("the image")
                    ),
                )
                .field(format!("{}.imagePullPolicy", c.path))
                .edit(Edit {
                    start: node.range.start,
                    end: node.range.end,
                    insert: "IfNotPresent".to_owned(),
                    title: "Change to IfNotPresent".to_owned(),
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    #[test]
    fn bad_never() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: my-app:dev\n      imagePullPolicy: Never\n";
        assert_eq!(lines_of(text, "image-pull-policy-never"), vec![9]);
        let d = diagnostics_of(text);
        let e = d
            .iter()
            .find(|d| d.code == "image-pull-policy-never")
            .and_then(|d| d.edit.clone())
            .unwrap();
        assert_eq!(
            (&text[e.start..e.end], e.insert.as_str()),
            ("Never", "IfNotPresent")
        );
    }

    #[test]
    fn good_if_not_present() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      imagePullPolicy: IfNotPresent\n";
        assert!(lines_of(text, "image-pull-policy-never").is_empty());
    }
}
