//! ## What it does
//! Flags a container image with no tag or with the `:latest` tag.
//!
//! ## Why
//! `latest` is not a version: two nodes can run different code under the same manifest,
//! a rollback cannot go back to "the previous latest", and the default pull policy turns
//! to `Always`, so every start waits for the registry.
//!
//! ## Example
//! ```yaml
//! image: nginx
//! ```
//! ## Fix
//! Pin a version (`nginx:1.27.3`) or a digest (`nginx@sha256:...`).

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::model::{containers, pod_spec};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "image-latest-tag",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Image without a pinned tag",
    why: "An image without a tag means `:latest`, which changes whenever someone pushes. \
          Nodes may run different code from the same manifest, `kubectl rollout undo` cannot \
          bring the old code back, and the pull policy defaults to Always, so every container \
          start waits on the registry.",
    fix: "Use an explicit version tag such as `nginx:1.27.3`, or pin a digest \
          (`nginx@sha256:...`).",
    docs: "https://kubernetes.io/docs/concepts/containers/images/#image-names",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in ctx.objects_with_root() {
        let Some((spec, path)) = pod_spec(kind, root) else {
            continue;
        };
        for c in containers(spec, path) {
            let Some(image_node) = c.node.get("image") else {
                continue;
            };
            let Some(image) = image_node.as_str() else {
                continue;
            };
            let Some(problem) = tag_problem(image) else {
                continue;
            };
            let name = c.name.unwrap_or("?");
            let mut d = ctx
                .diag(
                    &RULE,
                    object,
                    image_node.range,
                    format!("container \"{name}\": image \"{image}\" {problem}"),
                )
                .field(format!("{}.image", c.path));
            if let Some(pinned) = pin(image)
                && image_node
                    .as_scalar()
                    .is_some_and(|s| s.style == crate::yaml::ScalarStyle::Plain)
            {
                d = d.edit(Edit {
                    start: image_node.range.start,
                    end: image_node.range.end,
                    title: format!("Pin {pinned} (check it is the version you want)"),
                    insert: pinned,
                });
            }
            out.push(d);
        }
    }
}

/// A version line of well-known official images to offer as a starting pin; the learner is
/// told to check it. Unknown images get no quick fix: only their owners know the versions.
const PINS: &[(&str, &str)] = &[
    ("nginx", "1.27"),
    ("redis", "7.4"),
    ("postgres", "17"),
    ("mysql", "8.4"),
    ("busybox", "1.36"),
    ("alpine", "3.20"),
    ("python", "3.13"),
    ("node", "22"),
    ("httpd", "2.4"),
    ("memcached", "1.6"),
];

/// `nginx` / `nginx:latest` → `nginx:1.27` for the images in [`PINS`].
fn pin(image: &str) -> Option<String> {
    let repo = image.strip_suffix(":latest").unwrap_or(image);
    let bare = repo
        .strip_prefix("docker.io/library/")
        .or_else(|| repo.strip_prefix("library/"))
        .unwrap_or(repo);
    PINS.iter()
        .find(|(name, _)| *name == bare)
        .map(|(_, tag)| format!("{repo}:{tag}"))
}

/// Why the image reference is unpinned, if it is.
fn tag_problem(image: &str) -> Option<&'static str> {
    if image.is_empty() || image.contains('@') {
        return None;
    }
    // The tag is after the last ':' that comes after the last '/' (a registry port is not a tag).
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.rsplit_once(':') {
        None => Some("has no tag, so it means :latest"),
        Some((_, "latest")) => Some("uses the :latest tag"),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::tag_problem;
    use crate::testing::lines_of;

    #[test]
    fn recognises_tags() {
        assert!(tag_problem("nginx").is_some());
        assert!(tag_problem("nginx:latest").is_some());
        assert!(tag_problem("registry.example.com:5000/team/api").is_some());
        assert!(tag_problem("registry.example.com:5000/team/api:1.2.0").is_none());
        assert!(tag_problem("nginx@sha256:0123abcd").is_none());
    }

    #[test]
    fn bad_untagged_image_in_a_deployment() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx\n";
        assert_eq!(lines_of(text, "image-latest-tag"), vec![10]);
    }

    #[test]
    fn the_quick_fix_pins_a_known_image() {
        assert_eq!(super::pin("nginx").as_deref(), Some("nginx:1.27"));
        assert_eq!(super::pin("redis:latest").as_deref(), Some("redis:7.4"));
        assert_eq!(super::pin("registry.example.com/team/api"), None);
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx\n";
        let d = crate::testing::diagnostics_of(text);
        let edit = d
            .iter()
            .find(|d| d.code == "image-latest-tag")
            .and_then(|d| d.edit.clone())
            .unwrap();
        let mut fixed = text.to_owned();
        fixed.replace_range(edit.start..edit.end, &edit.insert);
        assert!(fixed.ends_with("image: nginx:1.27\n"), "{fixed}");
        assert!(lines_of(&fixed, "image-latest-tag").is_empty());
    }

    #[test]
    fn good_pinned_image_in_a_pod() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27.3\n";
        assert!(lines_of(text, "image-latest-tag").is_empty());
    }
}
