//! ## What it does
//! Notes an image pinned by tag but not by digest (`nginx:1.27.3` rather than
//! `nginx:1.27.3@sha256:...`). Images without a tag or with `:latest` are left to
//! `image-latest-tag`.
//!
//! ## Why
//! A tag is a movable name: whoever controls the repository can push different content under
//! the same tag, and nodes that pull at different times may then run different code. A
//! digest names the exact bytes. Many teams accept tags; this is information only.
//!
//! ## Example
//! ```yaml
//! image: nginx:1.27.3
//! ```
//! ## Fix
//! ```yaml
//! image: nginx:1.27.3@sha256:<digest from the registry>
//! ```

use super::container_util::{image_ref, images, name_of};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "image-digest-not-pinned",
    severity: Severity::Info,
    source: Source::Advice,
    title: "Image pinned by tag, not by digest",
    why: "A tag is a name that can be moved: if someone pushes new content under the same tag, \
          nodes that pull afterwards run different code from nodes that pulled before, from the \
          very same manifest. A digest (`@sha256:...`) identifies the exact image, so every \
          node runs the same bytes. Tags are fine for many teams; pin digests where you need \
          reproducible, tamper-proof deployments.",
    fix: "Append the digest the registry reports, keeping the tag for readability: \
          `nginx:1.27.3@sha256:<digest>` (`docker buildx imagetools inspect nginx:1.27.3` \
          prints it).",
    docs: "https://kubernetes.io/docs/concepts/containers/images/#image-names",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        for (c, node, image) in images(p.spec, p.path) {
            let r = image_ref(image);
            let Some(tag) = r.tag else { continue };
            // A misspelt name is image-name-typo's: pinning it would not help.
            if r.digest.is_some()
                || tag == "latest"
                || tag.is_empty()
                || super::image_name_typo::meant(r.name).is_some()
            {
                continue;
            }
            out.push(
                ctx.diag(
                    &RULE,
                    p.object,
                    node.range,
                    format!(
                        "container \"{}\": image \"{image}\" is pinned by its tag only; the tag could be moved to other content",
                        name_of(&c)
                    ),
                )
                .field(format!("{}.image", c.path)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_tag_only() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27.3\n";
        assert_eq!(lines_of(text, "image-digest-not-pinned"), vec![8]);
    }

    #[test]
    fn good_digest_or_left_to_latest_check() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: a\n      image: nginx:1.27.3@sha256:0123abcd\n    - name: b\n      image: nginx\n    - name: c\n      image: nginx:latest\n    - name: d\n      image: registry.example.com:5000/api@sha256:0123abcd\n";
        assert!(lines_of(text, "image-digest-not-pinned").is_empty());
    }
}
