//! ## What it does
//! Checks a NetworkPolicy as the API server does (`pkg/apis/networking/validation`
//! `ValidateNetworkPolicySpec`, `ValidateNetworkPolicyPort`, `ValidateNetworkPolicyPeer`,
//! `ValidateIPBlock`): ports in range or valid names, `endPort` only after a numeric `port`
//! and not below it; each peer at least one selector or an `ipBlock`, and an `ipBlock` alone;
//! CIDRs valid, every `except` a strict subset of its `cidr`; at most two `policyTypes`.
//!
//! ## Why
//! Each `from`/`to` entry is one peer: pods by label, namespaces by label, or an IP range.
//! An IP range cannot also be narrowed by pod labels (pods outside the cluster have none),
//! and excluding addresses outside the range would exclude nothing.
//!
//! ## Example
//! ```yaml
//! ingress:
//!   - from:
//!       - ipBlock: {cidr: 172.17.0.0/16}
//!         podSelector: {matchLabels: {role: frontend}}
//! ```
//! ## Fix
//! Split it into two list items: `- ipBlock: ...` and `- podSelector: ...`.

use std::net::IpAddr;

use super::api;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::Object;
use crate::rule::Rule;
use crate::yaml::{Node, Resolved};

pub static RULE: Rule = Rule {
    code: "network-policy-spec",
    severity: Severity::Error,
    source: Source::Api,
    title: "NetworkPolicy port, peer or CIDR invalid",
    why: "A NetworkPolicy rule lists peers (pods, namespaces or an IP block) and ports. Each \
          peer item is one kind of peer; an `ipBlock` cannot be combined with selectors in \
          the same item, its `except` ranges must lie inside its `cidr`, and port ranges need \
          a numeric start no greater than their end.",
    fix: "Put each peer in its own list item, write CIDRs like `10.0.0.0/16` with `except` \
          inside them, and use `port` ≤ `endPort` with numeric ports.",
    docs: "https://kubernetes.io/docs/concepts/services-networking/network-policies/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in api::objects(ctx) {
        if kind != "NetworkPolicy" {
            continue;
        }
        let Some(spec) = root.get("spec") else {
            continue;
        };
        for (dir, peers) in [("ingress", "from"), ("egress", "to")] {
            for (i, rule) in api::items(spec, dir).iter().enumerate() {
                let path = format!("spec.{dir}[{i}]");
                for (j, port) in api::items(rule, "ports").iter().enumerate() {
                    port_errors(ctx, object, port, &format!("{path}.ports[{j}]"), out);
                }
                for (j, peer) in api::items(rule, peers).iter().enumerate() {
                    peer_errors(ctx, object, peer, &format!("{path}.{peers}[{j}]"), out);
                }
            }
        }
        let types = api::items(spec, "policyTypes");
        if types.len() > 2
            && let Some(n) = spec.get("policyTypes")
        {
            let body = api::invalid(&api::render(n), "may not specify more than two policyTypes");
            out.push(api::error(
                ctx,
                &RULE,
                object,
                n.range,
                "spec.policyTypes",
                &body,
            ));
        }
    }
}

fn port_errors(
    ctx: &Context<'_>,
    object: &Object,
    p: &Node,
    path: &str,
    out: &mut Vec<Diagnostic>,
) {
    let end = api::int_at(p, "endPort");
    let e = |range, f: String, body: String| api::error(ctx, &RULE, object, range, &f, &body);
    match p
        .get("port")
        .filter(|n| !n.is_null())
        .map(|n| (n, n.resolve()))
    {
        Some((n, Some(Resolved::Int(v)))) => {
            if !(1..=65535).contains(&v) {
                out.push(e(
                    n.range,
                    format!("{path}.port"),
                    api::invalid(&v.to_string(), api::PORT_RANGE),
                ));
            }
            if let Some((en, ev)) = end {
                // Upstream prints the `port` value here.
                if ev < v {
                    out.push(e(
                        en.range,
                        format!("{path}.endPort"),
                        api::invalid(&v.to_string(), "must be greater than or equal to `port`"),
                    ));
                }
                if !(1..=65535).contains(&ev) {
                    out.push(e(
                        en.range,
                        format!("{path}.endPort"),
                        api::invalid(&ev.to_string(), api::PORT_RANGE),
                    ));
                }
            }
        }
        Some((n, Some(Resolved::Str(s)))) => {
            if let Some((en, ev)) = end {
                out.push(
                    e(
                        en.range,
                        format!("{path}.endPort"),
                        api::invalid(
                            &ev.to_string(),
                            "may not be specified when `port` is non-numeric",
                        ),
                    )
                    .help("A port range needs numbers: `port: 8000` with `endPort: 8080`."),
                );
            }
            for msg in api::port_name_errors(s) {
                out.push(e(
                    n.range,
                    format!("{path}.port"),
                    api::invalid(&api::q(s), msg),
                ));
            }
        }
        Some(_) => {}
        None => {
            if let Some((en, ev)) = end {
                out.push(e(
                    en.range,
                    format!("{path}.endPort"),
                    api::invalid(
                        &ev.to_string(),
                        "may not be specified when `port` is not specified",
                    ),
                ));
            }
        }
    }
}

fn peer_errors(
    ctx: &Context<'_>,
    object: &Object,
    peer: &Node,
    path: &str,
    out: &mut Vec<Diagnostic>,
) {
    let present = |k: &str| peer.get(k).is_some_and(|n| !n.is_null());
    let ip_block = peer.get("ipBlock").filter(|n| !n.is_null());
    let count = usize::from(present("podSelector"))
        + usize::from(present("namespaceSelector"))
        + usize::from(ip_block.is_some());
    if count == 0 {
        out.push(
            api::error(ctx, &RULE, object, peer.range, path, &api::required("must specify a peer"))
                .help("Give the peer a `podSelector`, a `namespaceSelector` (both together mean pods in those namespaces) or an `ipBlock`."),
        );
    } else if count > 1 && ip_block.is_some() {
        out.push(
            api::error(ctx, &RULE, object, peer.range, path, &api::forbidden("may not specify both ipBlock and another peer"))
                .help("Split the item: `- ipBlock: ...` and `- podSelector: ...` as two entries of the list (they are ORed)."),
        );
    }
    let Some(block) = ip_block else {
        return;
    };
    let bpath = format!("{path}.ipBlock");
    let Some(cn) = block.get("cidr") else {
        return;
    };
    let Some(cidr_text) = cn.as_str() else {
        return;
    };
    if cidr_text.is_empty() {
        out.push(api::error(
            ctx,
            &RULE,
            object,
            cn.range,
            &format!("{bpath}.cidr"),
            &api::required(""),
        ));
        return;
    }
    let Some(cidr) = parse_cidr(cidr_text) else {
        out.push(api::error(
            ctx,
            &RULE,
            object,
            cn.range,
            &format!("{bpath}.cidr"),
            &api::invalid(&api::q(cidr_text), CIDR_MSG),
        ));
        return;
    };
    for (i, x) in api::items(block, "except").iter().enumerate() {
        let Some(text) = x.as_str() else {
            continue;
        };
        let f = format!("{bpath}.except[{i}]");
        match parse_cidr(text) {
            None => out.push(api::error(
                ctx,
                &RULE,
                object,
                x.range,
                &f,
                &api::invalid(&api::q(text), CIDR_MSG),
            )),
            Some(ex) => {
                if !(contains(cidr, ex.0) && cidr.1 < ex.1) {
                    out.push(
                        api::error(ctx, &RULE, object, x.range, &f, &api::invalid(&api::q(text), "must be a strict subset of `cidr`"))
                            .help(format!("`except` removes addresses from `cidr` ({cidr_text}): use a smaller range inside it.")),
                    );
                }
            }
        }
    }
}

const CIDR_MSG: &str = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

fn parse_cidr(s: &str) -> Option<(IpAddr, u8)> {
    let (ip, len) = s.split_once('/')?;
    let ip: IpAddr = ip.parse().ok()?;
    let len: u8 = len.parse().ok().filter(|_| !len.starts_with('+'))?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    (len <= max).then_some((ip, len))
}

fn contains(net: (IpAddr, u8), ip: IpAddr) -> bool {
    match (net.0, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) => {
            let mask = if net.1 == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(net.1))
            };
            u32::from(n) & mask == u32::from(i) & mask
        }
        (IpAddr::V6(n), IpAddr::V6(i)) => {
            let mask = if net.1 == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(net.1))
            };
            u128::from(n) & mask == u128::from(i) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const NP: &str = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db\nspec:\n  podSelector:\n    matchLabels:\n      role: db\n  ingress:\n    - from:\n        - ipBlock:\n            cidr: 172.17.0.0/16\n            except:\n              - 172.17.1.0/24\n      ports:\n        - protocol: TCP\n          port: 32000\n          endPort: 32768\n";

    #[test]
    fn good_docs_example() {
        assert!(lines_of(NP, "network-policy-spec").is_empty());
    }

    #[test]
    fn bad_except_outside_and_end_below_port() {
        let text = NP
            .replace("172.17.1.0/24", "10.0.0.0/24")
            .replace("endPort: 32768", "endPort: 31000");
        assert_eq!(lines_of(&text, "network-policy-spec"), vec![14, 18]);
    }
}
