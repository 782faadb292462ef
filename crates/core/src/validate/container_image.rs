//! ## What it does
//! Reports a container without an `image` (`pkg/apis/core/validation/validation.go`
//! `validateContainerCommon`: `Required value`, for pods and pod templates alike), and, on a
//! Pod, an image name with leading or trailing spaces (`validateContainersOnlyForPod`).
//!
//! ## Why
//! The image is the program the container runs: without one the kubelet has nothing to pull.
//! The OpenAPI schema marks `image` optional (templates may be filled in later by tools), so
//! only the API server's validation refuses it.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: web
//!     ports: [{containerPort: 80}]
//! ```
//! ## Fix
//! Add `image: nginx:1.27` (a registry path and a tag or digest).

use super::api;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "container-image",
    severity: Severity::Error,
    source: Source::Api,
    title: "Container without an image",
    why: "Every container runs an image; the API server refuses a container (in a Pod or a \
          pod template) whose `image` is missing or empty, and a Pod's image name with spaces \
          around it.",
    fix: "Add `image:` with the image to run, such as `nginx:1.27` or \
          `registry.example.com/team/app:1.4.2`.",
    docs: "https://kubernetes.io/docs/concepts/containers/images/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (p, c) in api::containers(ctx) {
        match c.node.get("image").filter(|n| !n.is_null()) {
            None => {
                let range = c.node.get("name").unwrap_or(c.node).range;
                let field = format!("{}.image", c.path);
                out.push(api::error(
                    ctx,
                    &RULE,
                    p.object,
                    range,
                    &field,
                    &api::required(""),
                ));
            }
            Some(n) => {
                let Some(image) = n.as_str() else {
                    continue;
                };
                let field = || format!("{}.image", c.path);
                if image.is_empty() {
                    out.push(api::error(
                        ctx,
                        &RULE,
                        p.object,
                        n.range,
                        &field(),
                        &api::required(""),
                    ));
                } else if p.kind == "Pod" && image.trim() != image {
                    let body = api::invalid(
                        &api::q(image),
                        "must not have leading or trailing whitespace",
                    );
                    out.push(
                        api::error(ctx, &RULE, p.object, n.range, &field(), &body)
                            .help(format!("Remove the spaces: `image: {}`.", image.trim())),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    #[test]
    fn bad_missing_and_spaced_image_good_plain() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: \" nginx:1.27\"\n    - name: side\n    - name: ok\n      image: busybox:1.36\n";
        assert_eq!(lines_of(text, "container-image"), vec![8, 9]);
        let d = diagnostics_of(text);
        let d = d
            .iter()
            .find(|d| d.code == "container-image" && d.span.start.line == 9)
            .unwrap();
        assert_eq!(
            d.apiserver.as_deref(),
            Some("The Pod \"web\" is invalid: spec.containers[1].image: Required value")
        );
    }
}
