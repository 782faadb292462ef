//! ## What it does
//! Flags a Secret key present in both `data` and `stringData`.
//!
//! ## Why
//! The API server merges `stringData` into `data` on write, and `stringData` wins: the base64
//! value in `data` is silently discarded.
//!
//! ## Fix
//! Keep the key in one of the two.

use std::collections::HashMap;

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "secret-data-and-string-data",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "A Secret key is set in both data and stringData",
    why: "When a Secret is written, the API server copies every `stringData` entry into `data`, \
          overwriting what was there. The value you wrote under `data` never reaches the \
          cluster, which is confusing when the two differ.",
    fix: "Remove the key from one of the two maps; use `stringData` for plain text and `data` \
          for base64.",
    docs: "https://kubernetes.io/docs/concepts/configuration/secret/#restriction-names-data",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in ctx.objects_with_root() {
        if kind != "Secret" {
            continue;
        }
        let (Some(data), Some(string_data)) = (
            root.get("data").and_then(|d| d.as_mapping()),
            root.get("stringData").and_then(|d| d.as_mapping()),
        ) else {
            continue;
        };
        let in_data: HashMap<&str, u32> = data
            .iter()
            .filter_map(|e| {
                Some((
                    e.key.as_scalar()?.value.as_str(),
                    ctx.span(e.key.range).start.line,
                ))
            })
            .collect();
        for e in string_data {
            let Some(key) = e.key.as_scalar() else {
                continue;
            };
            if let Some(line) = in_data.get(key.value.as_str()) {
                out.push(
                    ctx.diag(
                        &RULE,
                        object,
                        e.key.range,
                        format!(
                            "\"{}\" is also in data (line {line}); this stringData value wins",
                            key.value
                        ),
                    )
                    .field(format!("stringData.{}", key.value)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_same_key_twice() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: aHVudGVyMg==\nstringData:\n  password: correct-horse\n";
        assert_eq!(lines_of(text, "secret-data-and-string-data"), vec![8]);
    }

    #[test]
    fn good_different_keys() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  user: YXBw\nstringData:\n  password: correct-horse\n";
        assert!(lines_of(text, "secret-data-and-string-data").is_empty());
    }
}
