//! ## What it does
//! Flags Linux capabilities added to a container that amount to host control
//! (`ALL`, `SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE`, `SYS_MODULE`, ...).
//!
//! ## Why
//! These capabilities let a process mount filesystems, load kernel modules, trace other
//! processes or reconfigure networking: close to running privileged.
//!
//! ## Fix
//! Drop them; if one is truly needed, keep only that one and `drop: [ALL]` the rest.

use super::security_context;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "dangerous-capabilities",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Container adds a capability that gives control over the node",
    why: "Capabilities such as SYS_ADMIN (mount, namespaces), SYS_MODULE (kernel modules), \
          SYS_PTRACE (read other processes' memory) or NET_ADMIN (rewrite networking) let a \
          compromised container break out or disturb its neighbours; ALL is the same as \
          privileged. Pod Security `baseline` refuses them.",
    fix: "Remove the capability from `securityContext.capabilities.add`; keep `drop: [ALL]` and \
          add back only a narrow one such as NET_BIND_SERVICE if the app needs it.",
    docs: "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container",
};

pub static CHECK: Check = Check { rule: &RULE, run };

const DANGEROUS: &[&str] = &[
    "ALL",
    "SYS_ADMIN",
    "NET_ADMIN",
    "SYS_PTRACE",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_BOOT",
    "SYS_TIME",
    "DAC_READ_SEARCH",
    "BPF",
    "PERFMON",
    "NET_RAW",
];

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        for c in crate::model::containers(p.spec, p.path) {
            let Some(add) = security_context::container(&c, "capabilities")
                .and_then(|n| n.get("add"))
                .and_then(Node::as_sequence)
            else {
                continue;
            };
            for (i, cap) in add.iter().enumerate() {
                let Some(name) = cap.as_str() else { continue };
                let bare = name.trim_start_matches("CAP_").to_ascii_uppercase();
                if DANGEROUS.contains(&bare.as_str()) {
                    out.push(
                        ctx.diag(
                            &RULE,
                            p.object,
                            cap.range,
                            format!(
                                "container \"{}\" adds capability {name}",
                                c.name.unwrap_or("?")
                            ),
                        )
                        .field(format!("{}.securityContext.capabilities.add[{i}]", c.path)),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_sys_admin() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: vpn\nspec:\n  containers:\n    - name: vpn\n      image: example/vpn:3.1\n      securityContext:\n        capabilities:\n          add: [NET_BIND_SERVICE, SYS_ADMIN]\n";
        assert_eq!(lines_of(text, "dangerous-capabilities"), vec![11]);
    }

    #[test]
    fn good_narrow_capability() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      securityContext:\n        capabilities:\n          drop: [ALL]\n          add: [NET_BIND_SERVICE]\n";
        assert!(lines_of(text, "dangerous-capabilities").is_empty());
    }
}
