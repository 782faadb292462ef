//! ## What it does
//! Checks `env` and `envFrom` as the API server does (`pkg/apis/core/validation/validation.go`
//! `ValidateEnv`, `validateEnvVarValueFrom`, `validateEnvFrom`, with the relaxed name rule
//! that is GA since 1.34: `IsRelaxedEnvVarName`): names non-empty printable ASCII without
//! `=`; `valueFrom` with exactly one source and never beside a non-empty `value`;
//! `configMapKeyRef`/`secretKeyRef` keys valid config keys; each `envFrom` entry with exactly
//! one of `configMapRef`/`secretRef` and a valid `prefix`.
//!
//! ## Why
//! A variable gets its value from one place. With `value` and `valueFrom` both written, or
//! two sources under `valueFrom`, which one wins would be a guess, so the API server refuses.
//!
//! ## Example
//! ```yaml
//! env:
//!   - name: DB_PASSWORD
//!     value: ""
//!     valueFrom:
//!       secretKeyRef: {name: db, key: password}
//!       configMapKeyRef: {name: db, key: password}
//! ```
//! ## Fix
//! Keep exactly one source under `valueFrom`, and drop `value`.

use super::api;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::Object;
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "env-vars",
    severity: Severity::Error,
    source: Source::Api,
    title: "Environment variable name or source invalid",
    why: "An environment variable takes its value from exactly one place: `value`, or one \
          source under `valueFrom` (`fieldRef`, `resourceFieldRef`, `configMapKeyRef`, \
          `secretKeyRef`). Names must be printable ASCII without `=`, and config keys letters, \
          digits, `-`, `_` and `.`.",
    fix: "Keep one source per variable: either `value` or a single `valueFrom` entry.",
    docs: "https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

const VALUE_FROM: [&str; 4] = [
    "fieldRef",
    "resourceFieldRef",
    "configMapKeyRef",
    "secretKeyRef",
];
const RELAXED_MSG: &str = "a valid environment variable name must consist only of printable ASCII characters other than '='";
const CONFIG_KEY_MSG: &str = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

fn relaxed_name_ok(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b'=')
}

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (p, c) in api::containers(ctx) {
        for (i, ev) in api::items(c.node, "env").iter().enumerate() {
            let path = format!("{}.env[{i}]", c.path);
            if let Some(n) = ev.get("name")
                && let Some(name) = n.as_str()
            {
                if name.is_empty() {
                    out.push(api::error(
                        ctx,
                        &RULE,
                        p.object,
                        n.range,
                        &format!("{path}.name"),
                        &api::required(""),
                    ));
                } else if !relaxed_name_ok(name) {
                    let body = api::invalid(&api::q(name), RELAXED_MSG);
                    out.push(api::error(
                        ctx,
                        &RULE,
                        p.object,
                        n.range,
                        &format!("{path}.name"),
                        &body,
                    ));
                }
            }
            if let Some(from) = ev.entry("valueFrom").filter(|e| !e.value.is_null()) {
                value_from(ctx, p.object, ev, from, &format!("{path}.valueFrom"), out);
            }
        }
        for (i, ef) in api::items(c.node, "envFrom").iter().enumerate() {
            let path = format!("{}.envFrom[{i}]", c.path);
            if let Some(n) = ef.get("prefix")
                && let Some(prefix) = n.as_str()
                && !prefix.is_empty()
                && !relaxed_name_ok(prefix)
            {
                let body = api::invalid(&api::q(prefix), RELAXED_MSG);
                out.push(api::error(
                    ctx,
                    &RULE,
                    p.object,
                    n.range,
                    &format!("{path}.prefix"),
                    &body,
                ));
            }
            let sources: Vec<_> = ["configMapRef", "secretRef"]
                .into_iter()
                .filter_map(|s| ef.entry(s).filter(|e| !e.value.is_null()).map(|e| (s, e)))
                .collect();
            match sources.as_slice() {
                [] if ef.as_mapping().is_some() => {
                    let body =
                        api::invalid("\"\"", "must specify one of: `configMapRef` or `secretRef`");
                    out.push(api::error(ctx, &RULE, p.object, ef.range, &path, &body));
                }
                [_, (_, e), ..] => {
                    let body = api::invalid(
                        "\"\"",
                        "may not have more than one field specified at a time",
                    );
                    out.push(api::error(ctx, &RULE, p.object, e.key.range, &path, &body));
                }
                _ => {}
            }
        }
    }
}

/// `validateEnvVarValueFrom`: the value printed is `""` upstream.
fn value_from(
    ctx: &Context<'_>,
    object: &Object,
    ev: &Node,
    entry: &crate::yaml::Entry,
    path: &str,
    out: &mut Vec<Diagnostic>,
) {
    let from = &entry.value;
    let sources: Vec<_> = VALUE_FROM
        .iter()
        .filter_map(|s| from.get(s).filter(|v| !v.is_null()).map(|v| (*s, v)))
        .collect();
    let has_value = ev
        .get("value")
        .filter(|v| !v.is_null())
        .and_then(Node::as_scalar)
        .is_some_and(|s| !s.value.is_empty());
    let detail = if sources.is_empty() {
        Some(
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        )
    } else if has_value {
        Some("may not be specified when `value` is not empty")
    } else if sources.len() > 1 {
        Some("may not have more than one field specified at a time")
    } else {
        None
    };
    if let Some(detail) = detail {
        let body = api::invalid("\"\"", detail);
        out.push(api::error(ctx, &RULE, object, entry.key.range, path, &body));
    }
    for (s, node) in sources {
        if !matches!(s, "configMapKeyRef" | "secretKeyRef") {
            continue;
        }
        if let Some(k) = node.get("key")
            && let Some(key) = k.as_str()
        {
            let field = format!("{path}.{s}.key");
            if key.is_empty() {
                out.push(api::error(
                    ctx,
                    &RULE,
                    object,
                    k.range,
                    &field,
                    &api::required(""),
                ));
            } else if key.len() > 253
                || !key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            {
                let body = api::invalid(&api::q(key), CONFIG_KEY_MSG);
                out.push(api::error(ctx, &RULE, object, k.range, &field, &body));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    fn pod(env: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n{env}"
        )
    }

    #[test]
    fn good_value_and_secret_ref() {
        let text = pod(
            "      env:\n        - name: LOG_LEVEL\n          value: info\n        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef: {name: db, key: password}\n        - name: my.dotted-name\n          value: x\n",
        );
        assert!(lines_of(&text, "env-vars").is_empty());
    }

    #[test]
    fn bad_value_and_value_from() {
        let text = pod(
            "      env:\n        - name: DB_PASSWORD\n          value: hunter2\n          valueFrom:\n            secretKeyRef: {name: db, key: password}\n",
        );
        assert_eq!(lines_of(&text, "env-vars"), vec![12]);
    }

    #[test]
    fn bad_name_with_equals_and_empty_value_from() {
        let text = pod(
            "      env:\n        - name: A=B\n          value: x\n        - name: C\n          valueFrom: {}\n",
        );
        assert_eq!(lines_of(&text, "env-vars"), vec![10, 13]);
    }
}
