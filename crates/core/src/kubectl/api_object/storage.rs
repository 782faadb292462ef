//! PersistentVolumeClaims (v1): from a StatefulSet's `volumeClaimTemplates` or applied on
//! their own, with what the API server defaults (`volumeMode: Filesystem`) and what the
//! PV controller writes when it binds one to a dynamically provisioned volume: `volumeName`
//! `pvc-<claim uid>` (the provisioner's naming, `pkg/controller/volume/persistentvolume`),
//! the capacity and access modes in `status`, and the phase.

use super::{Ctx, meta, object};
use crate::sim::timeline::ClaimView;
use crate::value::{Value, map};

pub(super) fn claims(ctx: &Ctx<'_>) -> Vec<Value> {
    ctx.snap
        .persistent_volume_claims
        .iter()
        .filter(|c| ctx.wants(&c.name))
        .map(|c| claim(ctx, c))
        .collect()
}

/// The provisioned volume's name for a Bound claim (`pvc-<uid>`), empty while Pending.
#[must_use]
pub(in crate::kubectl) fn volume_name(c: &ClaimView, created: f64) -> String {
    if c.phase == "Bound" {
        format!(
            "pvc-{}",
            meta::uid("PersistentVolumeClaim", &c.namespace, &c.name, created)
        )
    } else {
        String::new()
    }
}

/// kubectl's short access modes (`GetAccessModesAsString`: RWO, ROX, RWX, RWOP, in that
/// order, comma-separated).
#[must_use]
pub(in crate::kubectl) fn access_modes_short(modes: &[String]) -> String {
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(long, _)| modes.iter().any(|m| m == long))
    .map(|(_, short)| *short)
    .collect::<Vec<_>>()
    .join(",")
}

fn claim(ctx: &Ctx<'_>, c: &ClaimView) -> Value {
    let created = ctx.first_seen(&c.name);
    let version = ctx.version(|snap| snap.persistent_volume_claims.iter().any(|x| x == c));
    let mut m = meta::metadata(
        "PersistentVolumeClaim",
        &c.namespace,
        &c.name,
        created,
        version,
    );
    let stored = ctx.snap.stored.get(&(
        "PersistentVolumeClaim".to_owned(),
        c.namespace.clone(),
        c.name.clone(),
    ));
    if let Some(st) = stored {
        meta::applied(&mut m, &st.source, &c.namespace);
    }
    let modes: Vec<Value> = c.access_modes.iter().map(|a| a.as_str().into()).collect();
    let mut spec = map([
        ("accessModes", modes.clone().into()),
        (
            "resources",
            map([("requests", map([("storage", c.storage.as_str().into())]))]),
        ),
        ("volumeMode", "Filesystem".into()),
    ]);
    if !c.storage_class.is_empty() {
        spec.set("storageClassName", c.storage_class.as_str());
    }
    let volume = volume_name(c, created);
    let mut status = map([("phase", c.phase.into())]);
    if !volume.is_empty() {
        spec.set("volumeName", volume.as_str());
        status.set("accessModes", modes);
        status.set("capacity", map([("storage", c.storage.as_str().into())]));
    }
    let mut obj = object("v1", "PersistentVolumeClaim", m);
    obj.set("spec", spec);
    obj.set("status", status);
    obj
}
