//! RBAC: `kubectl auth can-i VERB RESOURCE[/NAME] [-n NS] --as SUBJECT`, evaluated over the
//! applied Roles, ClusterRoles, RoleBindings and ClusterRoleBindings.
//!
//! Semantics (`plugin/pkg/auth/authorizer/rbac/rbac.go` `RBACAuthorizer.Authorize`,
//! `pkg/registry/rbac/validation/rule.go` `VisitRulesFor`, `appliesTo`,
//! `pkg/apis/rbac/v1/evaluation_helpers.go` `VerbMatches`, `APIGroupMatches`,
//! `ResourceMatches`, `ResourceNameMatches`):
//! - ClusterRoleBindings grant their ClusterRole everywhere; a RoleBinding grants its Role
//!   or ClusterRole only inside the binding's namespace.
//! - A rule matches when its verbs contain the verb or `*`, its apiGroups the group or `*`,
//!   its resources the resource (`pods/log` for a subresource; `*`, or `*/log`), and its
//!   resourceNames are empty or contain the requested name (a request without a name, such
//!   as `list`, never matches a rule with resourceNames).
//! - A ServiceAccount subject `system:serviceaccount:NS:NAME` also belongs to the groups
//!   `system:serviceaccounts`, `system:serviceaccounts:NS` and `system:authenticated`; a
//!   subject of kind ServiceAccount without a namespace means the binding's namespace.
//! - Allowed reasons read like the authorizer's: `RBAC: allowed by RoleBinding
//!   "NAME/NS" of Role "ROLE" to ServiceAccount "SA/NS"`.
//! - The bootstrap `cluster-admin` ClusterRole and its binding to `system:masters` exist
//!   in every cluster; other bootstrap roles (view, edit, admin) are not modelled.

use super::engine::Sim;
use crate::yaml::Node;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyRule {
    pub verbs: Vec<String>,
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    pub name: String,
    /// `None` for a ClusterRole.
    pub namespace: Option<String>,
    pub rules: Vec<PolicyRule>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    pub name: String,
    /// `None` for a ClusterRoleBinding.
    pub namespace: Option<String>,
    pub role_kind: String,
    pub role_name: String,
    pub subjects: Vec<Subject>,
}

fn strings(node: Option<&Node>) -> Vec<String> {
    node.and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter_map(|n| n.as_scalar().map(|s| s.value.clone()))
        .collect()
}

#[must_use]
pub fn parse_role(namespace: Option<&str>, name: &str, root: &Node) -> Role {
    Role {
        name: name.to_owned(),
        namespace: namespace.map(str::to_owned),
        rules: root
            .get("rules")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
            .iter()
            .map(|r| PolicyRule {
                verbs: strings(r.get("verbs")),
                api_groups: strings(r.get("apiGroups")),
                resources: strings(r.get("resources")),
                resource_names: strings(r.get("resourceNames")),
            })
            .collect(),
    }
}

#[must_use]
pub fn parse_binding(namespace: Option<&str>, name: &str, root: &Node) -> Option<Binding> {
    let role = root.get("roleRef")?;
    Some(Binding {
        name: name.to_owned(),
        namespace: namespace.map(str::to_owned),
        role_kind: role.get("kind").and_then(Node::as_str)?.to_owned(),
        role_name: role.get("name").and_then(Node::as_str)?.to_owned(),
        subjects: root
            .get("subjects")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
            .iter()
            .filter_map(|s| {
                Some(Subject {
                    kind: s.get("kind").and_then(Node::as_str)?.to_owned(),
                    name: s.get("name").and_then(Node::as_str)?.to_owned(),
                    namespace: s
                        .get("namespace")
                        .and_then(Node::as_str)
                        .filter(|n| !n.is_empty())
                        .map(str::to_owned),
                })
            })
            .collect(),
    })
}

/// The API group of a resource as kubectl's discovery would resolve it (`deployments` →
/// `apps`); an explicit `resource.group` is kept.
fn split_group(resource: &str) -> (String, String) {
    if let Some((r, g)) = resource.split_once('.') {
        return (r.to_owned(), g.to_owned());
    }
    let (plural, group) = match resource {
        "deploy" | "deployment" | "deployments" => ("deployments", "apps"),
        "rs" | "replicaset" | "replicasets" => ("replicasets", "apps"),
        "sts" | "statefulset" | "statefulsets" => ("statefulsets", "apps"),
        "ds" | "daemonset" | "daemonsets" => ("daemonsets", "apps"),
        "job" | "jobs" => ("jobs", "batch"),
        "cj" | "cronjob" | "cronjobs" => ("cronjobs", "batch"),
        "hpa" | "horizontalpodautoscaler" | "horizontalpodautoscalers" => {
            ("horizontalpodautoscalers", "autoscaling")
        }
        "ing" | "ingress" | "ingresses" => ("ingresses", "networking.k8s.io"),
        "netpol" | "networkpolicy" | "networkpolicies" => ("networkpolicies", "networking.k8s.io"),
        "role" | "roles" => ("roles", "rbac.authorization.k8s.io"),
        "rolebinding" | "rolebindings" => ("rolebindings", "rbac.authorization.k8s.io"),
        "clusterrole" | "clusterroles" => ("clusterroles", "rbac.authorization.k8s.io"),
        "clusterrolebinding" | "clusterrolebindings" => {
            ("clusterrolebindings", "rbac.authorization.k8s.io")
        }
        "pdb" | "poddisruptionbudget" | "poddisruptionbudgets" => {
            ("poddisruptionbudgets", "policy")
        }
        "po" | "pod" | "pods" => ("pods", ""),
        "svc" | "service" | "services" => ("services", ""),
        "cm" | "configmap" | "configmaps" => ("configmaps", ""),
        "secret" | "secrets" => ("secrets", ""),
        "sa" | "serviceaccount" | "serviceaccounts" => ("serviceaccounts", ""),
        "ns" | "namespace" | "namespaces" => ("namespaces", ""),
        "no" | "node" | "nodes" => ("nodes", ""),
        "ev" | "event" | "events" => ("events", ""),
        "pvc" | "persistentvolumeclaim" | "persistentvolumeclaims" => {
            ("persistentvolumeclaims", "")
        }
        "quota" | "resourcequota" | "resourcequotas" => ("resourcequotas", ""),
        other => (other, ""),
    };
    (plural.to_owned(), group.to_owned())
}

/// A subject as `kubectl --as` names it: the user name, and the groups it belongs to.
fn identity(who: &str) -> (String, Vec<String>) {
    let mut groups = vec!["system:authenticated".to_owned()];
    if let Some(rest) = who.strip_prefix("system:serviceaccount:")
        && let Some((ns, _)) = rest.split_once(':')
    {
        groups.push("system:serviceaccounts".into());
        groups.push(format!("system:serviceaccounts:{ns}"));
    }
    (who.to_owned(), groups)
}

fn applies_to(subject: &Subject, user: &str, groups: &[String], binding_ns: &str) -> bool {
    match subject.kind.as_str() {
        "User" => subject.name == user,
        "Group" => groups.contains(&subject.name),
        "ServiceAccount" => {
            let ns = subject.namespace.as_deref().unwrap_or(binding_ns);
            user == format!("system:serviceaccount:{ns}:{}", subject.name)
        }
        _ => false,
    }
}

fn describe(subject: &Subject, binding_ns: &str) -> String {
    match subject.kind.as_str() {
        "ServiceAccount" => format!(
            "ServiceAccount \"{}/{}\"",
            subject.name,
            subject.namespace.as_deref().unwrap_or(binding_ns)
        ),
        kind => format!("{kind} \"{}\"", subject.name),
    }
}

fn has(list: &[String], item: &str) -> bool {
    list.iter().any(|v| v == "*" || v == item)
}

fn rule_allows(
    rule: &PolicyRule,
    verb: &str,
    group: &str,
    resource: &str,
    sub: Option<&str>,
    name: Option<&str>,
) -> bool {
    let combined = match sub {
        Some(s) => format!("{resource}/{s}"),
        None => resource.to_owned(),
    };
    let resource_ok = rule.resources.iter().any(|r| {
        r == "*" || *r == combined || sub.is_some_and(|s| r.strip_prefix("*/") == Some(s))
    });
    has(&rule.verbs, verb)
        && has(&rule.api_groups, group)
        && resource_ok
        && (rule.resource_names.is_empty()
            || name.is_some_and(|n| rule.resource_names.iter().any(|r| r == n)))
}

/// The answer of `kubectl auth can-i`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CanI {
    pub allowed: bool,
    pub reason: String,
}

impl Sim {
    /// `kubectl auth can-i VERB RESOURCE[/NAME] -n NAMESPACE --as WHO`. `who` is a user name
    /// or `system:serviceaccount:NS:NAME` (a bare `NS/NAME` or `serviceaccount/NAME` is
    /// read as a ServiceAccount too); `resource` may carry a group (`deployments.apps`), a
    /// name (`pods/web`) and a subresource after a colon (`pods:log`). An empty namespace
    /// asks about cluster-scoped access.
    #[must_use]
    pub fn can_i(&self, who: &str, verb: &str, resource: &str, namespace: &str) -> CanI {
        self.can_i_as(who, &[], verb, resource, namespace)
    }

    /// [`Sim::can_i`] with extra groups, as `kubectl auth can-i --as-group`.
    #[must_use]
    pub fn can_i_as(
        &self,
        who: &str,
        extra_groups: &[&str],
        verb: &str,
        resource: &str,
        namespace: &str,
    ) -> CanI {
        let who = if let Some(sa) = who.strip_prefix("serviceaccount/") {
            format!("system:serviceaccount:{namespace}:{sa}")
        } else if !who.starts_with("system:") && who.contains('/') {
            let (ns, name) = who.split_once('/').unwrap_or(("default", who));
            format!("system:serviceaccount:{ns}:{name}")
        } else {
            who.to_owned()
        };
        let (user, mut groups) = identity(&who);
        groups.extend(extra_groups.iter().map(|g| (*g).to_owned()));
        if user == "kubernetes-admin" {
            groups.push("system:masters".into());
        }
        let (resource, sub) = match resource.split_once(':') {
            Some((r, s)) => (r, Some(s)),
            None => (resource, None),
        };
        let (resource, name) = match resource.split_once('/') {
            Some((r, n)) => (r, Some(n)),
            None => (resource, None),
        };
        let (resource, group) = split_group(resource);
        // The bootstrap policy: cluster-admin bound to system:masters.
        if groups.iter().any(|g| g == "system:masters") {
            return CanI {
                allowed: true,
                reason: "RBAC: allowed by ClusterRoleBinding \"cluster-admin\" of ClusterRole \"cluster-admin\" to Group \"system:masters\"".into(),
            };
        }
        let cluster_admin = Role {
            name: "cluster-admin".into(),
            namespace: None,
            rules: vec![PolicyRule {
                verbs: vec!["*".into()],
                api_groups: vec!["*".into()],
                resources: vec!["*".into()],
                resource_names: Vec::new(),
            }],
        };
        let role_of = |b: &super::rbac::Binding| -> Option<&Role> {
            if b.role_kind == "ClusterRole" {
                self.objects
                    .roles
                    .get(&(String::new(), b.role_name.clone()))
                    .or((b.role_name == "cluster-admin").then_some(&cluster_admin))
            } else {
                let ns = b.namespace.clone()?;
                self.objects.roles.get(&(ns, b.role_name.clone()))
            }
        };
        // ClusterRoleBindings first, then RoleBindings of the namespace (`VisitRulesFor`).
        let bindings =
            self.objects
                .bindings
                .values()
                .filter(|b| b.namespace.is_none())
                .chain(self.objects.bindings.values().filter(|b| {
                    !namespace.is_empty() && b.namespace.as_deref() == Some(namespace)
                }));
        for b in bindings {
            let binding_ns = b.namespace.as_deref().unwrap_or("");
            let Some(subject) = b
                .subjects
                .iter()
                .find(|s| applies_to(s, &user, &groups, binding_ns))
            else {
                continue;
            };
            let Some(role) = role_of(b) else {
                continue;
            };
            if role
                .rules
                .iter()
                .any(|r| rule_allows(r, verb, &group, &resource, sub, name))
            {
                let kind = if b.namespace.is_some() {
                    "RoleBinding"
                } else {
                    "ClusterRoleBinding"
                };
                let bname = match &b.namespace {
                    Some(ns) => format!("{}/{ns}", b.name),
                    None => b.name.clone(),
                };
                return CanI {
                    allowed: true,
                    reason: format!(
                        "RBAC: allowed by {kind} \"{bname}\" of {} \"{}\" to {}",
                        b.role_kind,
                        b.role_name,
                        describe(subject, binding_ns)
                    ),
                };
            }
        }
        let what = match sub {
            None => resource.clone(),
            Some(s) => format!("{resource}/{s}"),
        };
        let scope = if namespace.is_empty() {
            "at the cluster scope".to_owned()
        } else {
            format!("in the namespace \"{namespace}\"")
        };
        // The API server's Forbidden wording (`forbiddenMessage` in
        // `apiserver/pkg/endpoints/handlers/responsewriters/errors.go`).
        CanI {
            allowed: false,
            reason: format!(
                "User \"{user}\" cannot {verb} resource \"{what}\" in API group \"{group}\" {scope}{}",
                name.map(|n| format!(" (resource name \"{n}\"; no RBAC rule matched)"))
                    .unwrap_or_else(|| ": no RBAC rule matched".to_owned())
            ),
        }
    }
}
