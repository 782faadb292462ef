//! ## What it does
//! Flags a `configMapKeyRef` / `secretKeyRef` key, or a volume `items[].key`, that the
//! referenced ConfigMap (`data`, `binaryData`) or Secret (`data`, `stringData`) in these files
//! does not have, unless the reference is `optional: true`.
//!
//! ## Why
//! The object exists, so the mistake is easy to miss: the kubelet finds the ConfigMap but not
//! the key, and the container stays in `CreateContainerConfigError`
//! (`couldn't find key LOG_LEVL in ConfigMap default/web-config`), or the volume mount fails.
//!
//! ## Example
//! ```yaml
//! configMapKeyRef: {name: web-config, key: LOG_LEVL}
//! ```
//! ## Fix
//! Use a key the object defines (`LOG_LEVEL`), or add the key to the object.

use crate::advise::links::{Store, Via, config_refs, names_of, near_miss, ns};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "missing-config-key",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Key not found in the referenced ConfigMap or Secret",
    why: "The referenced ConfigMap or Secret exists but has no such key. For an env var the \
          kubelet refuses to start the container, which stays in CreateContainerConfigError \
          (\"couldn't find key ... in ConfigMap\"); for a volume item the mount fails and the \
          pod stays in ContainerCreating. Keys are case-sensitive.",
    fix: "Use one of the keys under the object's `data` (or `binaryData` / `stringData`), add \
          the key to the object, or set `optional: true` if the value may be absent.",
    docs: "https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#define-container-environment-variables-using-configmap-data",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn keys_of(store: Store, root: &Node) -> Vec<&str> {
    let fields: &[&str] = match store {
        Store::ConfigMap => &["data", "binaryData"],
        Store::Secret => &["data", "stringData"],
    };
    fields
        .iter()
        .filter_map(|f| root.get(f)?.as_mapping())
        .flatten()
        .filter_map(|e| e.key.as_scalar().map(|s| s.value.as_str()))
        .collect()
}

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let config_maps = names_of(ctx, "ConfigMap");
    let secrets = names_of(ctx, "Secret");
    for p in ctx.pod_specs() {
        let namespace = ns(p.object);
        for r in config_refs(p.spec, p.path) {
            if r.optional || r.keys.is_empty() {
                continue;
            }
            let known = match r.store {
                Store::ConfigMap => &config_maps,
                Store::Secret => &secrets,
            };
            let Some(root) = known.get(&(namespace, r.name)) else {
                continue;
            };
            let have = keys_of(r.store, root);
            let kind = r.store.kind();
            for (key, node, field) in &r.keys {
                if have.contains(key) {
                    continue;
                }
                let near = near_miss(key, have.iter().copied());
                let who = match r.via {
                    Via::Volume => format!("volume \"{}\"", r.user),
                    _ => format!("container \"{}\"", r.user),
                };
                let mut message = format!(
                    "{who} reads key \"{key}\" of {kind} \"{}\", which has no such key",
                    r.name
                );
                if have.is_empty() {
                    message.push_str(" (it has no keys)");
                } else if let Some(n) = near {
                    message.push_str(&format!("; did you mean \"{n}\"?"));
                } else {
                    message.push_str(&format!(" (it has {})", have.join(", ")));
                }
                let mut d = ctx
                    .diag(&RULE, p.object, node.range, message)
                    .field(field.clone());
                if let Some(n) = near {
                    d = d.edit(Edit {
                        start: node.range.start,
                        end: node.range.end,
                        insert: n.to_owned(),
                        title: format!("Use key \"{n}\""),
                    });
                }
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const OBJECTS: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  LOG_LEVEL: info\n  nginx.conf: |\n    server {}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: s3cr3t\n---\n";

    fn pod(body: &str) -> String {
        format!(
            "{OBJECTS}apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n{body}"
        )
    }

    #[test]
    fn bad_typo_and_volume_item() {
        let text = pod(
            "      env:\n        - name: LOG_LEVEL\n          valueFrom:\n            configMapKeyRef: {name: web-config, key: LOG_LEVL}\n        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef: {name: db, key: pass}\n  volumes:\n    - name: conf\n      configMap:\n        name: web-config\n        items:\n          - {key: default.conf, path: default.conf}\n",
        );
        assert_eq!(lines_of(&text, "missing-config-key"), vec![28, 31, 37]);
        let d = diagnostics_of(&text)
            .into_iter()
            .find(|d| d.code == "missing-config-key")
            .unwrap();
        assert!(
            d.message.contains("did you mean \"LOG_LEVEL\""),
            "{}",
            d.message
        );
        assert_eq!(d.edit.unwrap().insert, "LOG_LEVEL");
    }

    #[test]
    fn good_keys_present_or_optional() {
        let text = pod(
            "      env:\n        - name: LOG_LEVEL\n          valueFrom:\n            configMapKeyRef: {name: web-config, key: LOG_LEVEL}\n        - name: DEBUG\n          valueFrom:\n            configMapKeyRef: {name: web-config, key: DEBUG, optional: true}\n        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef: {name: db, key: password}\n  volumes:\n    - name: conf\n      configMap:\n        name: web-config\n        items:\n          - {key: nginx.conf, path: nginx.conf}\n",
        );
        assert!(lines_of(&text, "missing-config-key").is_empty());
    }
}
