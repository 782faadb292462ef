//! Object metadata the API server writes: deterministic uids, timestamps on the simulator's
//! wall clock (`t=0` is `sim::job::EPOCH_UNIX`, 2026-01-01T00:00:00Z, the same clock
//! CronJobs fire on), owner references, and `kubectl apply`'s last-applied annotation.

use crate::value::{Value, map};

/// The annotation `kubectl apply` (client-side) keeps the applied manifest in.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// A stable UUID-shaped uid for an object (the same object, the same uid, on every run).
#[must_use]
pub fn uid(kind: &str, namespace: &str, name: &str, created: f64) -> String {
    let seed = format!("{kind}/{namespace}/{name}/{created}");
    let a = fnv64(seed.as_bytes(), 0xcbf2_9ce4_8422_2325);
    let b = fnv64(seed.as_bytes(), 0x8422_2325_cbf2_9ce4);
    let hex = format!("{a:016x}{b:016x}");
    // Shaped as a version-4 UUID, as the API server generates them.
    format!(
        "{}-{}-4{}-{}{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        ["8", "9", "a", "b"][usize::from(hex.as_bytes()[16] % 4)],
        &hex[17..20],
        &hex[20..32]
    )
}

fn fnv64(bytes: &[u8], seed: u64) -> u64 {
    let mut h = seed;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A hex digest of `seed`, for container IDs and image digests (64 characters).
#[must_use]
pub fn digest(seed: &str) -> String {
    (0..4u64)
        .map(|i| format!("{:016x}", fnv64(seed.as_bytes(), 0xcbf2_9ce4_8422_2325 ^ i)))
        .collect()
}

/// RFC 3339 (seconds) of a simulated time in seconds.
#[must_use]
pub fn time(t: f64) -> Value {
    #[allow(clippy::cast_possible_truncation)]
    Value::Str(crate::sim::job::rfc3339((t * 1000.0).floor() as i64))
}

/// `metadata` with what every stored object has.
#[must_use]
pub fn metadata(kind: &str, namespace: &str, name: &str, created: f64, version: usize) -> Value {
    map([
        ("creationTimestamp", time(created)),
        ("name", name.into()),
        ("namespace", namespace.into()),
        ("resourceVersion", version.to_string().into()),
        ("uid", uid(kind, namespace, name, created).into()),
    ])
}

/// A controller's reference from an object it owns (`metav1.NewControllerRef`).
#[must_use]
pub fn controller_ref(api_version: &str, kind: &str, name: &str, uid: &str) -> Value {
    vec![map([
        ("apiVersion", api_version.into()),
        ("blockOwnerDeletion", true.into()),
        ("controller", true.into()),
        ("kind", kind.into()),
        ("name", name.into()),
        ("uid", uid.into()),
    ])]
    .into()
}

/// Copies `labels` and `annotations` from the applied manifest's metadata, and adds the
/// annotation `kubectl apply` writes: the manifest as sent, in compact JSON with sorted keys,
/// with its namespace and an `annotations` map (empty when it had none).
pub fn applied(meta: &mut Value, source: &Value, namespace: &str) {
    user_metadata(meta, source.get("metadata"));
    let mut sent = source.clone();
    let m = sent.map_mut("metadata");
    m.set_default("namespace", namespace);
    m.map_mut("annotations").remove(LAST_APPLIED);
    meta.map_mut("annotations").set(
        LAST_APPLIED,
        super::super::json_out::to_json_compact(&sent) + "\n",
    );
}

/// The learner's `labels` and `annotations`.
pub fn user_metadata(meta: &mut Value, source_meta: Option<&Value>) {
    for key in ["labels", "annotations"] {
        if let Some(v) = source_meta
            .and_then(|m| m.get(key))
            .filter(|v| !v.is_zero())
        {
            meta.set(key, v.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_are_stable_and_uuid_shaped() {
        let a = uid("Pod", "default", "web-1", 3.0);
        assert_eq!(a, uid("Pod", "default", "web-1", 3.0));
        assert_ne!(a, uid("Pod", "default", "web-2", 3.0));
        let parts: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12], "{a}");
        assert_eq!(a.as_bytes()[14], b'4');
    }

    #[test]
    fn times_on_the_cronjob_clock() {
        assert_eq!(time(0.0), Value::Str("2026-01-01T00:00:00Z".into()));
        assert_eq!(time(61.9), Value::Str("2026-01-01T00:01:01Z".into()));
    }
}
