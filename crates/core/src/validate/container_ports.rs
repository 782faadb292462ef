//! ## What it does
//! Checks each container's `ports`: `containerPort` set and within 1–65535, `hostPort` in
//! range when set, port names valid IANA service names (at most 15 characters, lowercase
//! letters, digits and single inner `-`, at least one letter) and unique within the
//! container (`pkg/apis/core/validation/validation.go` `validateContainerPorts`,
//! apimachinery `IsValidPortName`, `IsValidPortNum`).
//!
//! ## Why
//! Named ports are looked up by Services (`targetPort: http`) and probes, so they must be
//! unambiguous and follow the service-name syntax; port numbers outside 1–65535 do not exist.
//!
//! ## Example
//! ```yaml
//! ports:
//!   - name: http_web
//!     containerPort: 80
//! ```
//! ## Fix
//! `name: http-web` (lowercase, `-`, at most 15 characters).

use super::api;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "container-ports",
    severity: Severity::Error,
    source: Source::Api,
    title: "Container port number or name invalid",
    why: "Ports are numbers from 1 to 65535. A port's name is what Services and probes refer \
          to (`targetPort: http`), so it must be a valid IANA service name (at most 15 \
          lowercase letters, digits and inner single dashes, with at least one letter) and \
          unique in the container.",
    fix: "Use a port number between 1 and 65535 and a short lowercase name such as `http`, \
          `metrics` or `grpc-api`.",
    docs: "https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (p, c) in api::containers(ctx) {
        let mut names: Vec<&str> = Vec::new();
        for (i, port) in api::items(c.node, "ports").iter().enumerate() {
            if let Some(n) = port.get("name")
                && let Some(name) = n.as_str()
                && !name.is_empty()
            {
                let field = format!("{}.ports[{i}].name", c.path);
                let errs = api::port_name_errors(name);
                for msg in &errs {
                    let body = api::invalid(&api::q(name), msg);
                    out.push(api::error(ctx, &RULE, p.object, n.range, &field, &body));
                }
                if errs.is_empty() {
                    if names.contains(&name) {
                        let body = api::duplicate(&api::q(name));
                        out.push(api::error(ctx, &RULE, p.object, n.range, &field, &body));
                    } else {
                        names.push(name);
                    }
                }
            }
            if let Some((n, v)) = api::int_at(port, "containerPort") {
                let field = format!("{}.ports[{i}].containerPort", c.path);
                if v == 0 {
                    out.push(api::error(
                        ctx,
                        &RULE,
                        p.object,
                        n.range,
                        &field,
                        &api::required(""),
                    ));
                } else if !(1..=65535).contains(&v) {
                    let body = api::invalid(&v.to_string(), api::PORT_RANGE);
                    out.push(api::error(ctx, &RULE, p.object, n.range, &field, &body));
                }
            }
            if let Some((n, v)) = api::int_at(port, "hostPort")
                && v != 0
                && !(1..=65535).contains(&v)
            {
                let field = format!("{}.ports[{i}].hostPort", c.path);
                let body = api::invalid(&v.to_string(), api::PORT_RANGE);
                out.push(api::error(ctx, &RULE, p.object, n.range, &field, &body));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      ports:\n        - name: http\n          containerPort: 80\n        - name: metrics\n          containerPort: 9090\n";

    #[test]
    fn good_named_ports() {
        assert!(lines_of(POD, "container-ports").is_empty());
    }

    #[test]
    fn bad_names_and_numbers() {
        let text = POD
            .replace("name: metrics", "name: http")
            .replace("containerPort: 80\n", "containerPort: 70000\n");
        assert_eq!(lines_of(&text, "container-ports"), vec![11, 12]);
        let text = POD.replace("name: http", "name: HTTP_web");
        assert_eq!(lines_of(&text, "container-ports"), vec![10]);
    }
}
