//! ## What it does
//! Decodes every value of a Secret's `data` (and ConfigMap `binaryData`) as the API server
//! does (standard base64 with padding; line breaks ignored) and reports the byte it stops at.
//!
//! ## Why
//! `data` holds base64, not the secret itself. Plain text such as `password123` is refused:
//! `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 8`.
//!
//! ## Example
//! ```yaml
//! kind: Secret
//! data:
//!   password: password123
//! ```
//! ## Fix
//! Put plain text under `stringData` (the API server encodes it), or encode it yourself:
//! `echo -n 'password123' | base64`.

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;
use crate::schema::{self, Problem};

pub static RULE: Rule = Rule {
    code: "secret-base64",
    severity: Severity::Error,
    source: Source::Schema,
    title: "Secret data is not base64",
    why: "The values under a Secret's `data` are base64-encoded bytes. The API server decodes \
          them and refuses the Secret when a value is not valid base64, which is what happens \
          when plain text is written there.",
    fix: "Move plain-text values to `stringData`, or base64-encode them \
          (`echo -n 'value' | base64`).",
    docs: "https://kubernetes.io/docs/concepts/configuration/secret/#restriction-names-data",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    schema::each(
        ctx,
        |object, f| {
            let Problem::Base64 { offset, .. } = &f.problem else {
                return;
            };
            let detail = format!("illegal base64 data at input byte {offset}");
            out.push(
                ctx.diag(&RULE, object, f.range, format!("{}: {detail}", f.path))
                    .field(f.path.clone())
                    .apiserver(schema::decode_error_of(object, &detail)),
            );
        },
        |p| matches!(p, Problem::Base64 { .. }),
    );
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    #[test]
    fn bad_plain_text_in_data() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  user: YWRtaW4=\n  password: password123\n";
        assert_eq!(lines_of(text, "secret-base64"), vec![7]);
        let d = diagnostics_of(text);
        let d = d.iter().find(|d| d.code == "secret-base64").unwrap();
        assert_eq!(d.field.as_deref(), Some("data[password]"));
        assert_eq!(
            d.apiserver.as_deref(),
            Some(
                "Error from server (BadRequest): error when creating \"STDIN\": Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 8"
            )
        );
    }

    #[test]
    fn good_base64_and_string_data() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  user: YWRtaW4=\n  cert: |\n    LS0tLS1CRUdJTiBD\n    RVJUSUZJQ0FURS0t\nstringData:\n  password: password123\n";
        assert!(lines_of(text, "secret-base64").is_empty());
    }
}
