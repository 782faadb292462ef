//! ## What it does
//! Flags a YAML document whose top level is a list or a plain value instead of a mapping.
//!
//! ## Why
//! kubectl decodes every document into an object; a list or a string at the top is refused
//! (`cannot unmarshal array into Go value of type map[string]interface {}`).
//!
//! ## Example
//! ```yaml
//! - apiVersion: v1
//!   kind: ConfigMap
//! ```
//! ## Fix
//! Remove the leading `- `: each object is a mapping, and objects are separated by `---`.

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "not-an-object",
    severity: Severity::Error,
    source: Source::Kubectl,
    title: "A document is not an object",
    why: "kubectl decodes every YAML document into one Kubernetes object (a mapping with \
          apiVersion, kind and metadata); a list or a plain value at the top level is refused.",
    fix: "Make the document a mapping. To put several objects in one file, separate them with \
          `---` lines instead of making a list.",
    docs: "https://kubernetes.io/docs/concepts/overview/working-with-objects/#describing-a-kubernetes-object",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for doc in ctx.documents {
        let Some(root) = &doc.root else { continue };
        if root.as_mapping().is_some() || root.is_null() {
            continue;
        }
        let ty = root.type_name();
        out.push(
            Diagnostic::new(&RULE, ctx.span(root.range), format!("the document is {} {ty}, not an object", article(ty)))
                .apiserver(format!(
                    "error: error parsing STDIN: json: cannot unmarshal {ty} into Go value of type map[string]interface {{}}"
                )),
        );
    }
}

fn article(ty: &str) -> &'static str {
    if ty.starts_with(['a', 'o']) {
        "an"
    } else {
        "a"
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{codes_of, lines_of};

    #[test]
    fn bad_a_list_of_objects() {
        let text = "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n";
        assert_eq!(lines_of(text, "not-an-object"), vec![1]);
    }

    #[test]
    fn bad_a_plain_string() {
        assert_eq!(lines_of("---\nhello\n", "not-an-object"), vec![2]);
    }

    #[test]
    fn good_objects_and_empty_documents() {
        let text = "---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";
        assert!(!codes_of(text).contains(&"not-an-object"));
    }
}
