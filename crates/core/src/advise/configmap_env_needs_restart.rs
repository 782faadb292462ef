//! ## What it does
//! Notes a container that reads a ConfigMap through environment variables (`envFrom` or
//! `configMapKeyRef`).
//!
//! ## Why
//! Environment variables are fixed when the container starts. Editing the ConfigMap later
//! changes nothing in running pods until they restart; files from a ConfigMap volume, by
//! contrast, are refreshed by the kubelet (except when mounted with `subPath`).
//!
//! ## Fix
//! After changing the ConfigMap run `kubectl rollout restart deployment/NAME`, or mount it as
//! a volume if the app can reload files, or put a hash of its content in a template
//! annotation so every change rolls the pods.

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "configmap-env-needs-restart",
    severity: Severity::Info,
    source: Source::Advice,
    title: "ConfigMap read as environment variables: changes need a restart",
    why: "Environment variables are copied into the container when it starts. If you edit the \
          ConfigMap later, running pods keep the old values until they are restarted; only \
          ConfigMaps mounted as volumes (without subPath) are refreshed in place by the kubelet.",
    fix: "After editing the ConfigMap, run `kubectl rollout restart deployment/<name>`; or mount \
          it as a volume if the app re-reads its files; or add a checksum of the ConfigMap as a \
          pod template annotation so each change triggers a rollout.",
    docs: "https://kubernetes.io/docs/concepts/configuration/configmap/#mounted-configmaps-are-updated-automatically",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (p, c) in ctx.app_containers() {
        let mut first: Option<(&Node, String, String)> = None;
        if let Some(list) = c.node.get("envFrom").and_then(Node::as_sequence) {
            for (i, item) in list.iter().enumerate() {
                if let Some(name) = item.at("configMapRef.name").and_then(Node::as_str) {
                    first.get_or_insert((
                        item,
                        format!("{}.envFrom[{i}]", c.path),
                        name.to_owned(),
                    ));
                }
            }
        }
        if let Some(list) = c.node.get("env").and_then(Node::as_sequence) {
            for (i, item) in list.iter().enumerate() {
                if let Some(name) = item
                    .at("valueFrom.configMapKeyRef.name")
                    .and_then(Node::as_str)
                {
                    first.get_or_insert((item, format!("{}.env[{i}]", c.path), name.to_owned()));
                }
            }
        }
        let Some((node, field, cm)) = first else {
            continue;
        };
        out.push(
            ctx.diag(
                &RULE,
                p.object,
                node.range,
                format!(
                    "container \"{}\" reads ConfigMap \"{cm}\" as environment variables; edits reach it only after a restart",
                    c.name.unwrap_or("?")
                ),
            )
            .field(field),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const HEAD: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: example/web:2.0.1\n";

    #[test]
    fn bad_env_from_configmap() {
        let text = format!(
            "{HEAD}          envFrom:\n            - configMapRef:\n                name: web-config\n"
        );
        assert_eq!(lines_of(&text, "configmap-env-needs-restart"), vec![16]);
    }

    #[test]
    fn good_mounted_as_volume() {
        let text = format!(
            "{HEAD}          volumeMounts:\n            - {{name: config, mountPath: /etc/web}}\n      volumes:\n        - name: config\n          configMap: {{name: web-config}}\n"
        );
        assert!(lines_of(&text, "configmap-env-needs-restart").is_empty());
    }
}
