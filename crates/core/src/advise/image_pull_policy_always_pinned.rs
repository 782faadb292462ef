//! ## What it does
//! Notes `imagePullPolicy: Always` on an image pinned by digest.
//!
//! ## Why
//! The default policy is `Always` for `:latest` or untagged images and `IfNotPresent`
//! otherwise. A digest can never point at other content, so `Always` only adds a round trip
//! to the registry on every container start (and a failed start when the registry is down).
//! It does re-check pull credentials on every start, which some clusters want (kube-score and
//! Polaris recommend `Always` for that reason), so this is information only.
//!
//! ## Example
//! ```yaml
//! image: nginx@sha256:...
//! imagePullPolicy: Always
//! ```
//! ## Fix
//! `imagePullPolicy: IfNotPresent`.

use super::container_util::{image_ref, name_of};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::model::containers;
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "image-pull-policy-always-pinned",
    severity: Severity::Info,
    source: Source::Advice,
    title: "imagePullPolicy: Always on a digest-pinned image",
    why: "Without the field, Kubernetes uses `Always` for images tagged `:latest` or untagged \
          and `IfNotPresent` for everything else. A digest always names the same bytes, so with \
          `Always` every container start (each restart, each new pod) still asks the registry, \
          adding latency and failing starts while the registry is unreachable. The one benefit \
          is that the kubelet re-checks the pod's pull credentials each time, which matters on \
          shared nodes with private images; keep `Always` if you rely on that.",
    fix: "Use `imagePullPolicy: IfNotPresent`, or remove the line: for an image pinned by \
          digest the default is IfNotPresent.",
    docs: "https://kubernetes.io/docs/concepts/containers/images/#imagepullpolicy-defaulting",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        for c in containers(p.spec, p.path) {
            let Some(node) = c.node.get("imagePullPolicy") else {
                continue;
            };
            if node.as_str() != Some("Always") {
                continue;
            }
            let Some(image) = c.node.get("image").and_then(Node::as_str) else {
                continue;
            };
            if image_ref(image).digest.is_none() {
                continue;
            }
            out.push(
                ctx.diag(
                    &RULE,
                    p.object,
                    node.range,
                    format!(
                        "container \"{}\": the image is pinned by digest, so Always only adds a registry round trip to every start",
                        name_of(&c)
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
    use crate::testing::lines_of;

    #[test]
    fn bad_always_with_digest() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27.3@sha256:0123abcd\n      imagePullPolicy: Always\n";
        assert_eq!(lines_of(text, "image-pull-policy-always-pinned"), vec![9]);
    }

    #[test]
    fn good_always_with_a_tag_or_default() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: a\n      image: nginx:1.27.3\n      imagePullPolicy: Always\n    - name: b\n      image: nginx@sha256:0123abcd\n";
        assert!(lines_of(text, "image-pull-policy-always-pinned").is_empty());
    }
}
