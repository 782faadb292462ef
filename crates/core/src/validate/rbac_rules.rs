//! ## What it does
//! Checks Roles, ClusterRoles and their bindings as the API server does
//! (`pkg/apis/rbac/validation/validation.go` `ValidatePolicyRule`, `ValidateRoleBinding`,
//! `ValidateClusterRoleBinding`, `ValidateRoleBindingSubject`): each rule has verbs, and
//! either `apiGroups` plus `resources` or only `nonResourceURLs` (never in a namespaced
//! Role); `roleRef.apiGroup` is `rbac.authorization.k8s.io` and `roleRef.kind` `Role` or
//! `ClusterRole` (only `ClusterRole` in a ClusterRoleBinding); subjects are `User`, `Group`
//! or `ServiceAccount`, and a ServiceAccount in a ClusterRoleBinding names its namespace.
//!
//! ## Why
//! The authorizer matches a request's API group, resource and verb against each rule: a rule
//! without an API group (`""` is the core group of pods, services, ...) can never match.
//!
//! ## Example
//! ```yaml
//! rules:
//!   - resources: ["pods"]
//!     verbs: ["get", "list"]
//! ```
//! ## Fix
//! Add the group: `apiGroups: [""]` for core resources, `["apps"]` for Deployments.

use super::api;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "rbac-rules",
    severity: Severity::Error,
    source: Source::Api,
    title: "RBAC rule, roleRef or subject invalid",
    why: "An RBAC rule grants verbs on resources of API groups (or on non-resource URLs for \
          ClusterRoles). Without verbs, or without the API group of its resources, it could \
          never match a request. A binding must point at a Role or ClusterRole in \
          `rbac.authorization.k8s.io` and name subjects of a known kind.",
    fix: "Give every rule `apiGroups` (`\"\"` for core), `resources` and `verbs`; bind with \
          `roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ...}`.",
    docs: "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

const GROUP: &str = "rbac.authorization.k8s.io";

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in api::objects(ctx) {
        let e = |range, f: String, body: String| api::error(ctx, &RULE, object, range, &f, &body);
        match kind {
            "Role" | "ClusterRole" => {
                let namespaced = kind == "Role";
                for (i, rule) in api::items(root, "rules").iter().enumerate() {
                    if rule.as_mapping().is_none() {
                        continue;
                    }
                    let path = format!("rules[{i}]");
                    let list = |k: &str| {
                        rule.get(k)
                            .and_then(Node::as_sequence)
                            .map_or(0, <[_]>::len)
                    };
                    if let Some(v) = rule.get("verbs")
                        && list("verbs") == 0
                        && !v.is_null()
                    {
                        out.push(e(
                            v.range,
                            format!("{path}.verbs"),
                            api::required("verbs must contain at least one value"),
                        ));
                    }
                    if list("nonResourceURLs") > 0 {
                        let n = rule.get("nonResourceURLs").map_or(rule.range, |n| n.range);
                        let value = rule
                            .get("nonResourceURLs")
                            .map_or_else(String::new, api::render);
                        if namespaced {
                            out.push(e(
                                n,
                                format!("{path}.nonResourceURLs"),
                                api::invalid(
                                    &value,
                                    "namespaced rules cannot apply to non-resource URLs",
                                ),
                            ));
                        }
                        if list("apiGroups") + list("resources") + list("resourceNames") > 0 {
                            out.push(e(n, format!("{path}.nonResourceURLs"), api::invalid(&value, "rules cannot apply to both regular resources and non-resource URLs")));
                        }
                        continue;
                    }
                    if list("apiGroups") == 0 {
                        let range = rule.get("apiGroups").unwrap_or(rule).range;
                        out.push(
                            e(range, format!("{path}.apiGroups"), api::required("resource rules must supply at least one api group")).help(
                                "Add `apiGroups: [\"\"]` for core resources (pods, services, configmaps, secrets), `[\"apps\"]` for deployments, `[\"batch\"]` for jobs.",
                            ),
                        );
                    }
                    if list("resources") == 0 {
                        let range = rule.get("resources").unwrap_or(rule).range;
                        out.push(e(
                            range,
                            format!("{path}.resources"),
                            api::required("resource rules must supply at least one resource"),
                        ));
                    }
                }
            }
            "RoleBinding" | "ClusterRoleBinding" => {
                let cluster = kind == "ClusterRoleBinding";
                if let Some(rr) = root.get("roleRef") {
                    if let Some(n) = rr.get("apiGroup")
                        && let Some(g) = n.as_str()
                        && g != GROUP
                    {
                        out.push(e(
                            n.range,
                            "roleRef.apiGroup".into(),
                            api::unsupported(&api::q(g), &[GROUP]),
                        ));
                    }
                    if let Some(n) = rr.get("kind")
                        && let Some(k) = n.as_str()
                    {
                        let allowed: &[&str] = if cluster {
                            &["ClusterRole"]
                        } else {
                            &["Role", "ClusterRole"]
                        };
                        if !allowed.contains(&k) {
                            let d = e(
                                n.range,
                                "roleRef.kind".into(),
                                api::unsupported(&api::q(k), allowed),
                            );
                            out.push(if cluster && k == "Role" {
                                d.help("A ClusterRoleBinding can only grant a ClusterRole; to grant a Role, use a RoleBinding in its namespace.")
                            } else {
                                d
                            });
                        }
                    }
                }
                for (i, s) in api::items(root, "subjects").iter().enumerate() {
                    let path = format!("subjects[{i}]");
                    let sk = s.get("kind").and_then(Node::as_str);
                    let group = s
                        .get("apiGroup")
                        .and_then(Node::as_str)
                        .filter(|g| !g.is_empty());
                    match sk {
                        Some("ServiceAccount") => {
                            if let Some(g) = group
                                && let Some(n) = s.get("apiGroup")
                            {
                                out.push(e(
                                    n.range,
                                    format!("{path}.apiGroup"),
                                    api::unsupported(&api::q(g), &[""]),
                                ));
                            }
                            if cluster
                                && s.get("namespace")
                                    .and_then(Node::as_str)
                                    .is_none_or(str::is_empty)
                            {
                                out.push(
                                    e(s.range, format!("{path}.namespace"), api::required("")).help(
                                        "A ClusterRoleBinding is not namespaced, so a ServiceAccount subject must say which namespace it lives in.",
                                    ),
                                );
                            }
                        }
                        Some("User" | "Group") => {
                            if let Some(g) = group
                                && g != GROUP
                                && let Some(n) = s.get("apiGroup")
                            {
                                out.push(e(
                                    n.range,
                                    format!("{path}.apiGroup"),
                                    api::unsupported(&api::q(g), &[GROUP]),
                                ));
                            }
                        }
                        Some(other) => {
                            if let Some(n) = s.get("kind") {
                                out.push(e(
                                    n.range,
                                    format!("{path}.kind"),
                                    api::unsupported(
                                        &api::q(other),
                                        &["ServiceAccount", "User", "Group"],
                                    ),
                                ));
                            }
                        }
                        None => {}
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn good_pod_reader() {
        let text = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  namespace: default\n  name: pod-reader\nrules:\n- apiGroups: [\"\"]\n  resources: [\"pods\"]\n  verbs: [\"get\", \"watch\", \"list\"]\n";
        assert!(lines_of(text, "rbac-rules").is_empty());
        let bad = text.replace("- apiGroups: [\"\"]\n  resources", "- resources");
        assert_eq!(lines_of(&bad, "rbac-rules"), vec![7]);
    }

    #[test]
    fn bad_cluster_binding_service_account_without_namespace() {
        let text = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: read-secrets-global\nsubjects:\n- kind: ServiceAccount\n  name: ci\nroleRef:\n  kind: Role\n  name: secret-reader\n  apiGroup: rbac.authorization.k8s.io\n";
        assert_eq!(lines_of(text, "rbac-rules"), vec![6, 9]);
    }
}
