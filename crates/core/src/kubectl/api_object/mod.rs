//! `kubectl get -o yaml|json`: each simulated object as the API server would store it at the
//! current time — the learner's manifest, the defaults and admission changes the API server
//! made on create, the metadata it keeps (uid, creation time, resourceVersion, generation,
//! owner references) and the status the controllers and the kubelet wrote.
//!
//! `resourceVersion` counts the simulator's recorded cluster states: an object's is the
//! number of the first recorded state in which it looked as it does now (like etcd's
//! revision of its last write, it only grows when the object changes).

mod admission;
mod apps;
mod autoscaling;
mod cluster;
mod config;
mod defaults;
mod meta;
mod pod;
mod service;
mod storage;

pub(super) use storage::{access_modes_short, volume_name};

use std::collections::BTreeMap;

use super::parse::Resource;
use super::render::View;
use crate::sim::timeline::Snapshot;
use crate::value::{Value, map};

/// What building an object needs: the run, the current snapshot and its position, and when
/// each object first appeared.
pub(super) struct Ctx<'a> {
    pub view: &'a View<'a>,
    pub snap: &'a Snapshot,
    pub index: usize,
    pub seen: &'a BTreeMap<&'a str, f64>,
    /// The one object asked for, if any: the others are not built.
    pub name: Option<&'a str>,
}

impl Ctx<'_> {
    /// Whether the object named `name` is asked for.
    fn wants(&self, name: &str) -> bool {
        self.name.is_none_or(|n| n == name)
    }

    /// When an object named `name` first appeared (0 if never seen).
    fn first_seen(&self, name: &str) -> f64 {
        self.seen.get(name).copied().unwrap_or(0.0)
    }

    /// The resourceVersion of an object that looks the same (`same`) in the current
    /// snapshot and the ones before it back to some point: the number of the earliest.
    fn version(&self, mut same: impl FnMut(&Snapshot) -> bool) -> usize {
        let snapshots = &self.view.timeline.timeline;
        let mut i = self.index;
        while i > 0 && snapshots.get(i - 1).is_some_and(&mut same) {
            i -= 1;
        }
        i + 1
    }

    /// When a condition last changed: the start of the run of snapshots, ending now, in
    /// which `holds` is true.
    fn since(&self, mut holds: impl FnMut(&Snapshot) -> bool) -> f64 {
        let snapshots = &self.view.timeline.timeline;
        let mut i = self.index;
        while i > 0 && snapshots.get(i - 1).is_some_and(&mut holds) {
            i -= 1;
        }
        snapshots.get(i).map_or(0.0, |s| s.t)
    }
}

/// The object named `name` of `resource`, or all of them as a `kind: List`.
///
/// # Errors
/// kubectl's message when the named object does not exist.
pub(super) fn get(
    resource: Resource,
    name: Option<&str>,
    snap: &Snapshot,
    view: &View<'_>,
    seen: &BTreeMap<&str, f64>,
) -> Result<Value, String> {
    let index = view
        .timeline
        .timeline
        .partition_point(|s| s.t <= view.t)
        .saturating_sub(1);
    let ctx = Ctx {
        view,
        snap,
        index,
        seen,
        name,
    };
    let mut items = match resource {
        Resource::Pods => pod::pods(&ctx),
        Resource::Deployments => apps::deployments(&ctx),
        Resource::ReplicaSets => apps::replica_sets(&ctx),
        Resource::Services => service::services(&ctx),
        Resource::Endpoints => service::endpoints(&ctx),
        Resource::Hpa => autoscaling::hpas(&ctx),
        Resource::Events => cluster::events(&ctx),
        Resource::Nodes => cluster::nodes(&ctx),
        Resource::Secrets => config::stored_kind(&ctx, "Secret"),
        Resource::ConfigMaps => config::stored_kind(&ctx, "ConfigMap"),
        Resource::PersistentVolumeClaims => storage::claims(&ctx),
    };
    match name {
        Some(name) => {
            let i = items
                .iter()
                .position(|o| o.at("metadata.name").and_then(Value::as_str) == Some(name))
                .ok_or_else(|| super::render::not_found(resource, name))?;
            Ok(items.swap_remove(i))
        }
        None => Ok(map([
            ("apiVersion", "v1".into()),
            ("items", items.into()),
            ("kind", "List".into()),
            ("metadata", map([("resourceVersion", "".into())])),
        ])),
    }
}

/// `apiVersion`, `kind`, `metadata`: the start of every object.
fn object(api_version: &str, kind: &str, metadata: Value) -> Value {
    map([
        ("apiVersion", api_version.into()),
        ("kind", kind.into()),
        ("metadata", metadata),
    ])
}

#[cfg(test)]
mod tests;
