//! ## What it does
//! Checks a pod's `volumes` and its containers' `volumeMounts` as the API server does
//! (`pkg/apis/core/validation/validation.go` `ValidateVolumes`, `validateVolumeSource`,
//! `ValidateVolumeMounts`, `validateLocalDescendingPath`): volume names DNS-1123 labels and
//! unique; exactly one volume type per volume; every mount naming a volume of the pod;
//! `mountPath` unique within a container; `subPath` relative without `..`, and not together
//! with `subPathExpr`.
//!
//! ## Why
//! A mount refers to a pod volume by name; a name that matches nothing, or a volume with two
//! sources, leaves the kubelet nothing definite to mount. Two mounts at one path would hide
//! each other.
//!
//! ## Example
//! ```yaml
//! volumeMounts:
//!   - name: config
//!     mountPath: /etc/app
//! volumes:
//!   - name: app-config
//!     configMap: {name: app-config}
//! ```
//! ## Fix
//! Use the same name in the mount and in `volumes` (`name: app-config`).

use super::{api, names};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "volume-mounts",
    severity: Severity::Error,
    source: Source::Api,
    title: "Volume or volume mount invalid",
    why: "Containers mount the pod's volumes by name. Each volume needs a unique DNS-1123 name \
          and exactly one source (configMap, secret, emptyDir, persistentVolumeClaim, ...); \
          each mount must name one of them and use its own path.",
    fix: "Make every `volumeMounts[].name` match a `volumes[].name` of the same pod, give each \
          volume one source, and mount each at a different path.",
    docs: "https://kubernetes.io/docs/concepts/storage/volumes/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

/// The volume sources of `VolumeSource`, in `validateVolumeSource`'s order.
const SOURCES: &[&str] = &[
    "hostPath",
    "emptyDir",
    "gitRepo",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "flocker",
    "persistentVolumeClaim",
    "rbd",
    "quobyte",
    "cinder",
    "cephfs",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
];

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in api::pod_specs(ctx) {
        let volumes = api::items(p.spec, "volumes");
        let mut seen: Vec<&str> = Vec::with_capacity(volumes.len());
        for (i, v) in volumes.iter().enumerate() {
            let path = format!("{}.volumes[{i}]", p.path);
            if let Some(n) = v.get("name")
                && let Some(name) = n.as_str()
                && !name.is_empty()
            {
                for msg in names::dns1123_label(name) {
                    let body = api::invalid(&api::q(name), &msg);
                    out.push(api::error(
                        ctx,
                        &RULE,
                        p.object,
                        n.range,
                        &format!("{path}.name"),
                        &body,
                    ));
                }
                if seen.contains(&name) {
                    let body = api::duplicate(&api::q(name));
                    out.push(api::error(
                        ctx,
                        &RULE,
                        p.object,
                        n.range,
                        &format!("{path}.name"),
                        &body,
                    ));
                } else {
                    seen.push(name);
                }
            }
            if v.as_mapping().is_none() {
                continue;
            }
            let mut count = 0;
            for s in SOURCES {
                let Some(e) = v.entry(s).filter(|e| !e.value.is_null()) else {
                    continue;
                };
                count += 1;
                if count > 1 {
                    let body = api::forbidden("may not specify more than 1 volume type");
                    out.push(
                        api::error(
                            ctx,
                            &RULE,
                            p.object,
                            e.key.range,
                            &format!("{path}.{s}"),
                            &body,
                        )
                        .help("Split it into two volumes with their own names, one source each."),
                    );
                }
            }
            if count == 0 {
                let body = api::required("must specify a volume type");
                out.push(
                    api::error(ctx, &RULE, p.object, v.range, &path, &body).help(
                        "Add a source, e.g. `emptyDir: {}`, `configMap: {name: ...}`, `secret: {secretName: ...}` or `persistentVolumeClaim: {claimName: ...}`.",
                    ),
                );
            }
        }
        for c in crate::model::containers(p.spec, p.path) {
            let mut paths: Vec<&str> = Vec::new();
            for (i, m) in api::items(c.node, "volumeMounts").iter().enumerate() {
                let path = format!("{}.volumeMounts[{i}]", c.path);
                if let Some(n) = m.get("name")
                    && let Some(name) = n.as_str()
                    && !name.is_empty()
                    && !seen.contains(&name)
                {
                    let body = api::not_found(&api::q(name));
                    let help = if seen.is_empty() {
                        format!(
                            "The pod has no `volumes`: add one named `{name}` under the pod spec's `volumes` (beside `containers`)."
                        )
                    } else {
                        format!(
                            "Use one of the pod's volumes ({}), or add a volume named `{name}`.",
                            seen.iter()
                                .map(|s| format!("`{s}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    out.push(
                        api::error(
                            ctx,
                            &RULE,
                            p.object,
                            n.range,
                            &format!("{path}.name"),
                            &body,
                        )
                        .help(help),
                    );
                }
                if let Some(n) = m.get("mountPath")
                    && let Some(mp) = n.as_str()
                {
                    if paths.contains(&mp) {
                        let body = api::invalid(&api::q(mp), "must be unique");
                        out.push(api::error(
                            ctx,
                            &RULE,
                            p.object,
                            n.range,
                            &format!("{path}.mountPath"),
                            &body,
                        ));
                    } else {
                        paths.push(mp);
                    }
                }
                let sub = m
                    .get("subPath")
                    .and_then(Node::as_str)
                    .filter(|s| !s.is_empty());
                if let Some(sp) = sub
                    && let Some(n) = m.get("subPath")
                {
                    let field = format!("{path}.subPath");
                    if sp.starts_with('/') {
                        let body = api::invalid(&api::q(sp), "must be a relative path");
                        out.push(api::error(ctx, &RULE, p.object, n.range, &field, &body));
                    }
                    if sp.split(['/', '\\']).any(|part| part == "..") {
                        let body = api::invalid(&api::q(sp), "must not contain '..'");
                        out.push(api::error(ctx, &RULE, p.object, n.range, &field, &body));
                    }
                    if let Some(e) = m
                        .get("subPathExpr")
                        .and_then(Node::as_str)
                        .filter(|s| !s.is_empty())
                        && let Some(en) = m.get("subPathExpr")
                    {
                        let body = api::invalid(
                            &api::q(e),
                            "subPathExpr and subPath are mutually exclusive",
                        );
                        out.push(api::error(
                            ctx,
                            &RULE,
                            p.object,
                            en.range,
                            &format!("{path}.subPathExpr"),
                            &body,
                        ));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      volumeMounts:\n        - name: config\n          mountPath: /etc/nginx/conf.d\n        - name: cache\n          mountPath: /var/cache/nginx\n  volumes:\n    - name: config\n      configMap:\n        name: web-config\n    - name: cache\n      emptyDir: {}\n";

    #[test]
    fn good_mounts() {
        assert!(lines_of(POD, "volume-mounts").is_empty());
    }

    #[test]
    fn bad_mount_of_missing_volume_and_same_path() {
        let text = POD.replace(
            "- name: cache\n          mountPath: /var/cache/nginx",
            "- name: cahce\n          mountPath: /etc/nginx/conf.d",
        );
        assert_eq!(lines_of(&text, "volume-mounts"), vec![12, 13]);
    }

    #[test]
    fn bad_two_sources_and_none() {
        let text = POD.replace(
            "      emptyDir: {}\n",
            "      emptyDir: {}\n      hostPath: {path: /tmp}\n    - name: empty\n",
        );
        assert_eq!(lines_of(&text, "volume-mounts"), vec![19, 21]);
    }
}
