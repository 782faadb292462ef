//! ## What it does
//! Checks an Ingress as the API server does (`pkg/apis/networking/validation/validation.go`
//! `ValidateIngressSpec`, `validateIngressRules`, `validateHTTPIngressPath`,
//! `validateIngressBackend`, `validateIngressTLS`): rules or a default backend present;
//! hosts DNS names (not IPs, no scheme or port; a wildcard only as a leading `*.`); every
//! `http` with paths; `Prefix` and `Exact` paths absolute, without `//`, `/./`, `/../`;
//! each backend exactly one of `service` and `resource`, a service port by name or by
//! number (not both, not neither); TLS hosts valid DNS names.
//!
//! ## Why
//! The Ingress controller matches the request's Host header and path against these rules, so
//! a host written as a URL (`https://shop.example.com`) or a path without its leading `/` can
//! never match; a backend must say which Service port to forward to.
//!
//! ## Example
//! ```yaml
//! rules:
//!   - host: https://shop.example.com
//!     http:
//!       paths:
//!         - path: api
//!           pathType: Prefix
//! ```
//! ## Fix
//! `host: shop.example.com`, `path: /api`.

use super::{api, names};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::Object;
use crate::rule::Rule;
use crate::yaml::{Node, Resolved};

pub static RULE: Rule = Rule {
    code: "ingress-rules",
    severity: Severity::Error,
    source: Source::Api,
    title: "Ingress host, path or backend invalid",
    why: "An Ingress controller matches each request's host and path against the rules and \
          forwards it to a Service port. Hosts must be plain DNS names (no scheme, port or IP; \
          a wildcard only as `*.`), Prefix and Exact paths must start with `/`, and every \
          backend must name one Service and one of its ports.",
    fix: "Write hosts as `shop.example.com`, paths as `/api`, and backends as \
          `service: {name: web, port: {number: 80}}` (or `port: {name: http}`).",
    docs: "https://kubernetes.io/docs/concepts/services-networking/ingress/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

const WILDCARD_MSG: &str = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in api::objects(ctx) {
        if kind != "Ingress" {
            continue;
        }
        let Some(spec) = root.get("spec").filter(|s| s.as_mapping().is_some()) else {
            continue;
        };
        let rules = api::items(spec, "rules");
        let default = spec.get("defaultBackend").filter(|n| !n.is_null());
        if rules.is_empty() && default.is_none() {
            let body = api::invalid(
                "null",
                "either `defaultBackend` or `rules` must be specified",
            );
            out.push(api::error(ctx, &RULE, object, spec.range, "spec", &body));
        }
        if let Some(b) = default {
            backend(ctx, object, b, "spec.defaultBackend", out);
        }
        for (i, rule) in rules.iter().enumerate() {
            let path = format!("spec.rules[{i}]");
            if let Some(h) = rule.get("host")
                && let Some(host) = h.as_str()
                && !host.is_empty()
            {
                host_errors(ctx, object, h, host, &format!("{path}.host"), true, out);
            }
            let Some(http) = rule.get("http").filter(|n| !n.is_null()) else {
                continue;
            };
            let paths = api::items(http, "paths");
            if paths.is_empty() {
                let range = http.range;
                out.push(api::error(
                    ctx,
                    &RULE,
                    object,
                    range,
                    &format!("{path}.http.paths"),
                    &api::required(""),
                ));
            }
            for (j, p) in paths.iter().enumerate() {
                let pp = format!("{path}.http.paths[{j}]");
                http_path(ctx, object, p, &pp, out);
                if let Some(b) = p.get("backend").filter(|n| !n.is_null()) {
                    backend(ctx, object, b, &format!("{pp}.backend"), out);
                }
            }
        }
        for (i, tls) in api::items(spec, "tls").iter().enumerate() {
            for (j, h) in api::items(tls, "hosts").iter().enumerate() {
                if let Some(host) = h.as_str() {
                    host_errors(
                        ctx,
                        object,
                        h,
                        host,
                        &format!("spec.tls[{i}].hosts[{j}]"),
                        false,
                        out,
                    );
                }
            }
        }
    }
}

fn host_errors(
    ctx: &Context<'_>,
    object: &Object,
    node: &Node,
    host: &str,
    field: &str,
    rule_host: bool,
    out: &mut Vec<Diagnostic>,
) {
    let mut msgs: Vec<String> = Vec::new();
    if rule_host && host.parse::<std::net::IpAddr>().is_ok() {
        msgs.push("must be a DNS name, not an IP address".to_owned());
    }
    if host.contains('*') {
        let rest = host.strip_prefix("*.");
        if host.len() > 253 {
            msgs.push("must be no more than 253 characters".to_owned());
        }
        if rest.is_none_or(|r| !names::dns1123_subdomain(r).is_empty()) {
            msgs.push(WILDCARD_MSG.to_owned());
        }
    } else {
        msgs.extend(names::dns1123_subdomain(host));
    }
    let help = if host.contains("://") {
        "Write only the host name, without the scheme: `shop.example.com` (TLS is configured under `spec.tls`)."
    } else if host.contains(':') {
        "Write the host without a port: the Ingress controller listens on 80 and 443."
    } else {
        "Write a lowercase DNS name such as `shop.example.com`, or `*.example.com` for a wildcard."
    };
    for msg in msgs {
        out.push(
            api::error(
                ctx,
                &RULE,
                object,
                node.range,
                field,
                &api::invalid(&api::q(host), &msg),
            )
            .help(help),
        );
    }
}

/// `validateHTTPIngressPath` (the pathType itself is the schema's).
fn http_path(ctx: &Context<'_>, object: &Object, p: &Node, field: &str, out: &mut Vec<Diagnostic>) {
    let path = p.get("path").and_then(Node::as_str).unwrap_or("");
    let range = p.get("path").map_or(p.range, |n| n.range);
    let f = format!("{field}.path");
    let mut push = |detail: String| {
        out.push(api::error(ctx, &RULE, object, range, &f, &api::invalid(&api::q(path), &detail)).help(
            "Start the path with `/` (`/api`), with single slashes and no `.` or `..` segments.",
        ));
    };
    match p.get("pathType").and_then(Node::as_str) {
        Some("Exact" | "Prefix") => {
            if !path.starts_with('/') {
                push("must be an absolute path".to_owned());
            }
            if !path.is_empty() {
                for seq in ["//", "/./", "/../", "%2f", "%2F"] {
                    if path.contains(seq) {
                        push(format!("must not contain '{seq}'"));
                    }
                }
                for suffix in ["/..", "/."] {
                    if path.ends_with(suffix) {
                        push(format!("cannot end with '{suffix}'"));
                    }
                }
            }
        }
        Some("ImplementationSpecific") if !path.is_empty() && !path.starts_with('/') => {
            push("must be an absolute path".to_owned());
        }
        _ => {}
    }
}

/// `validateIngressBackend`.
fn backend(ctx: &Context<'_>, object: &Object, b: &Node, field: &str, out: &mut Vec<Diagnostic>) {
    let service = b.get("service").filter(|n| !n.is_null());
    let resource = b.get("resource").filter(|n| !n.is_null());
    let e = |range, f: &str, body: &str| api::error(ctx, &RULE, object, range, f, body);
    match (service, resource) {
        (Some(_), Some(r)) => {
            out.push(e(
                r.range,
                field,
                &api::invalid("\"\"", "cannot set both resource and service backends"),
            ));
        }
        (None, None) => {
            out.push(
                e(
                    b.range,
                    field,
                    &api::invalid("\"\"", "resource or service backend is required"),
                )
                .help("Add `service: {name: web, port: {number: 80}}`."),
            );
        }
        (Some(s), None) => {
            if let Some(n) = s.get("name")
                && let Some(name) = n.as_str()
                && !name.is_empty()
            {
                for msg in names::dns1035_label(name) {
                    out.push(e(
                        n.range,
                        &format!("{field}.service.name"),
                        &api::invalid(&api::q(name), &msg),
                    ));
                }
            }
            let port = s.get("port").filter(|n| !n.is_null());
            let pname = port
                .and_then(|p| p.get("name"))
                .and_then(Node::as_str)
                .filter(|s| !s.is_empty());
            let pnum = port
                .and_then(|p| p.get("number"))
                .and_then(|n| match n.resolve() {
                    Some(Resolved::Int(v)) if v != 0 => Some((n, v)),
                    _ => None,
                });
            match (pname, pnum) {
                (Some(_), Some(_)) => {
                    out.push(e(
                        port.map_or(s.range, |p| p.range),
                        field,
                        &api::invalid("\"\"", "cannot set both port name & port number"),
                    ));
                }
                (Some(name), None) => {
                    let range = port
                        .and_then(|p| p.get("name"))
                        .map_or(s.range, |n| n.range);
                    for msg in api::port_name_errors(name) {
                        out.push(e(
                            range,
                            &format!("{field}.service.port.name"),
                            &api::invalid(&api::q(name), msg),
                        ));
                    }
                }
                (None, Some((n, v))) => {
                    if !(1..=65535).contains(&v) {
                        out.push(e(
                            n.range,
                            &format!("{field}.service.port.number"),
                            &api::invalid(&v.to_string(), api::PORT_RANGE),
                        ));
                    }
                }
                (None, None) => {
                    out.push(e(port.unwrap_or(s).range, field, &api::required("port name or number is required")).help(
                        "Say which Service port to forward to: `port: {number: 80}` or `port: {name: http}`.",
                    ));
                }
            }
        }
        (None, Some(_)) => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const ING: &str = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\nspec:\n  rules:\n    - host: shop.example.com\n      http:\n        paths:\n          - path: /api\n            pathType: Prefix\n            backend:\n              service:\n                name: api\n                port:\n                  number: 80\n";

    #[test]
    fn good_prefix_path() {
        assert!(lines_of(ING, "ingress-rules").is_empty());
    }

    #[test]
    fn bad_scheme_in_host_and_relative_path() {
        let text = ING
            .replace("host: shop", "host: https://shop")
            .replace("path: /api", "path: api");
        assert_eq!(lines_of(&text, "ingress-rules"), vec![7, 10]);
    }

    #[test]
    fn bad_backend_without_port() {
        let text = ING.replace("                port:\n                  number: 80\n", "");
        assert_eq!(lines_of(&text, "ingress-rules"), vec![14]);
    }
}
