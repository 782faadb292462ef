//! Shared logic of the identity checks (apiVersion and kind): present, non-empty strings.

use crate::check::Context;
use crate::diagnostic::Diagnostic;
use crate::rule::Rule;
use crate::text::TextRange;

#[derive(Clone, Copy)]
pub enum Field {
    ApiVersion,
    Kind,
}

impl Field {
    const fn key(self) -> &'static str {
        match self {
            Self::ApiVersion => "apiVersion",
            Self::Kind => "kind",
        }
    }
}

/// Reports `field` when it is absent, empty or not a string, with kubectl's wording.
pub fn check_type_field(
    ctx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
    rule: &'static Rule,
    field: Field,
) {
    let key = field.key();
    for object in ctx.objects {
        let Some(root) = ctx.root(object) else {
            continue;
        };
        let (range, message, apiserver) = match root.get(key) {
            None => {
                let first = root
                    .as_mapping()
                    .and_then(|m| m.first())
                    .map_or(root.range, |e| e.key.range);
                (
                    TextRange::new(first.start, first.end),
                    format!("{key} not set"),
                    format!(
                        "error: error validating \"STDIN\": error validating data: {key} not set; if you choose to ignore these errors, turn validation off with --validate=false"
                    ),
                )
            }
            Some(value) => match value.as_str() {
                Some("") => (
                    value
                        .range
                        .cover(root.entry(key).map_or(value.range, |e| e.key.range)),
                    format!("{key} is empty"),
                    format!(
                        "error: error validating \"STDIN\": error validating data: {key} not set; if you choose to ignore these errors, turn validation off with --validate=false"
                    ),
                ),
                Some(_) => continue,
                None => (
                    value.range,
                    format!("{key} must be a string, not {}", value.type_name()),
                    format!(
                        "error: unable to decode \"STDIN\": json: cannot unmarshal {} into Go struct field TypeMeta.{key} of type string",
                        value.type_name()
                    ),
                ),
            },
        };
        out.push(
            ctx.diag(rule, object, range, message)
                .field(key)
                .apiserver(apiserver),
        );
    }
}
