//! The admission plugins that change every pod on create, in a default cluster:
//! `ServiceAccount` (`plugin/pkg/admission/serviceaccount/admission.go`: `serviceAccountName:
//! default`, and a projected `kube-api-access-XXXXX` volume mounted read-only at
//! `/var/run/secrets/kubernetes.io/serviceaccount` in every container, unless
//! `automountServiceAccountToken: false`), `Priority` (`priority` from the PriorityClass,
//! 0 without one or a global default; `preemptionPolicy: PreemptLowerPriority`) and
//! `DefaultTolerationSeconds`
//! (`plugin/pkg/admission/defaulttolerationseconds`: tolerate `not-ready` and `unreachable`
//! `NoExecute` taints for 300 s).

use crate::value::{Value, map};

/// Where the token volume is mounted (`DefaultAPITokenMountPath`).
pub const TOKEN_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The token volume's name for a pod: `kube-api-access-` and five characters of the API
/// server's name generator (deterministic here).
#[must_use]
pub fn token_volume_name(pod_uid: &str) -> String {
    const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut h = crate::sim::spec::fnv32(pod_uid.as_bytes());
    let suffix: String = (0..5)
        .map(|_| {
            let c = ALPHANUMS[(h % 27) as usize] as char;
            h /= 27;
            c
        })
        .collect();
    format!("kube-api-access-{suffix}")
}

/// Whether the token is mounted (the pod's `automountServiceAccountToken`; the
/// ServiceAccount's own setting is not modelled).
#[must_use]
pub fn mounts_token(spec: &Value) -> bool {
    spec.get("automountServiceAccountToken") != Some(&Value::Bool(false))
}

/// Applies the three plugins to a pod's spec; `priority` is what the simulator's admission
/// resolved (`Sim::pod_priority`).
pub fn admit_pod(spec: &mut Value, pod_uid: &str, priority: i64) {
    let account = spec
        .get("serviceAccountName")
        .and_then(Value::as_str)
        .or_else(|| spec.get("serviceAccount").and_then(Value::as_str))
        .filter(|s| !s.is_empty())
        .unwrap_or("default")
        .to_owned();
    spec.set("serviceAccountName", account.as_str());
    // The deprecated field mirrors it (`Convert_core_PodSpec_To_v1_PodSpec`).
    spec.set("serviceAccount", account.as_str());
    if mounts_token(spec) {
        mount_token(spec, &token_volume_name(pod_uid));
    }
    spec.set("priority", priority);
    spec.set_default("preemptionPolicy", "PreemptLowerPriority");
    default_tolerations(spec);
}

fn mount_token(spec: &mut Value, volume: &str) {
    let mount = map([
        ("mountPath", TOKEN_MOUNT_PATH.into()),
        ("name", volume.into()),
        ("readOnly", true.into()),
    ]);
    let mut needed = false;
    for list in ["initContainers", "containers"] {
        for c in spec.seq_mut(list) {
            let has = c
                .get("volumeMounts")
                .and_then(Value::as_seq)
                .unwrap_or_default()
                .iter()
                .any(|m| m.get("mountPath").and_then(Value::as_str) == Some(TOKEN_MOUNT_PATH));
            if !has {
                c.push("volumeMounts", mount.clone());
                needed = true;
            }
        }
    }
    if needed {
        spec.push("volumes", token_volume(volume));
    }
}

/// `TokenVolumeSource()`: a bound token (3607 s: the 1-hour token plus the warn-only
/// 7 seconds), the cluster's CA bundle and the pod's namespace.
fn token_volume(name: &str) -> Value {
    let field_ref = map([
        ("apiVersion", "v1".into()),
        ("fieldPath", "metadata.namespace".into()),
    ]);
    map([
        ("name", name.into()),
        (
            "projected",
            map([
                ("defaultMode", 420.into()),
                (
                    "sources",
                    vec![
                        map([(
                            "serviceAccountToken",
                            map([("expirationSeconds", 3607.into()), ("path", "token".into())]),
                        )]),
                        map([(
                            "configMap",
                            map([
                                (
                                    "items",
                                    vec![map([
                                        ("key", "ca.crt".into()),
                                        ("path", "ca.crt".into()),
                                    ])]
                                    .into(),
                                ),
                                ("name", "kube-root-ca.crt".into()),
                            ]),
                        )]),
                        map([(
                            "downwardAPI",
                            map([(
                                "items",
                                vec![map([("fieldRef", field_ref), ("path", "namespace".into())])]
                                    .into(),
                            )]),
                        )]),
                    ]
                    .into(),
                ),
            ]),
        ),
    ])
}

/// `DefaultTolerationSeconds`: unless the pod already tolerates them, `not-ready` and
/// `unreachable` `NoExecute` taints are tolerated for 300 s (then the pod is evicted from a
/// failed node).
fn default_tolerations(spec: &mut Value) {
    let existing: Vec<Value> = spec
        .get("tolerations")
        .and_then(Value::as_seq)
        .unwrap_or_default()
        .to_vec();
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        let tolerated = existing.iter().any(|t| {
            let effect = t.get("effect").and_then(Value::as_str).unwrap_or("");
            let k = t.get("key").and_then(Value::as_str).unwrap_or("");
            let exists = t.get("operator").and_then(Value::as_str) == Some("Exists");
            (effect.is_empty() || effect == "NoExecute") && (k == key || (k.is_empty() && exists))
        });
        if !tolerated {
            spec.push(
                "tolerations",
                map([
                    ("effect", "NoExecute".into()),
                    ("key", key.into()),
                    ("operator", "Exists".into()),
                    ("tolerationSeconds", 300.into()),
                ]),
            );
        }
    }
}
