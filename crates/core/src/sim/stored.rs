//! The API server's copy of each applied object: the manifest as kubectl sent it, when the
//! object was created, and its `metadata.generation` (1 on create, one more for each change
//! of its spec, as the registry strategies count: `PrepareForUpdate` in
//! `pkg/registry/apps/deployment/strategy.go` bumps it when the spec differs). Snapshots
//! share it until an apply or a kubectl step changes it; `kubectl get -o yaml` prints from it.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::app::Millis;
use super::engine::Sim;
use crate::value::Value;
use crate::yaml::Node;

/// One stored object.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredObject {
    /// The manifest as applied last (the whole document).
    pub source: Rc<Value>,
    /// When it was created (milliseconds of simulated time).
    pub created: Millis,
    pub generation: i64,
}

/// Objects by (kind, namespace, name).
pub type Stored = BTreeMap<(String, String, String), StoredObject>;

fn key(kind: &str, namespace: &str, name: &str) -> (String, String, String) {
    (kind.to_owned(), namespace.to_owned(), name.to_owned())
}

impl Sim {
    /// Records an applied document: created now if new, one generation more if its spec
    /// (or a ConfigMap's or Secret's data) changed.
    pub(crate) fn store_applied(&mut self, kind: &str, namespace: &str, name: &str, root: &Node) {
        let source = Value::from_node(root);
        let k = key(kind, namespace, name);
        let now = self.now;
        let stored = Rc::make_mut(&mut self.stored);
        match stored.get_mut(&k) {
            Some(old) => {
                if *old.source == source {
                    return;
                }
                if old.source.get("spec") != source.get("spec") {
                    old.generation += 1;
                }
                old.source = Rc::new(source);
            }
            None => {
                stored.insert(
                    k,
                    StoredObject {
                        source: Rc::new(source),
                        created: now,
                        generation: 1,
                    },
                );
            }
        }
        self.changed = true;
    }

    /// A change to a stored object's spec by a kubectl step or a controller (`scale`, `set
    /// image`, `rollout restart`, the HPA): one generation more; `edit` rewrites the source.
    pub(crate) fn update_stored(
        &mut self,
        kind: &str,
        namespace: &str,
        name: &str,
        edit: impl FnOnce(&mut Value),
    ) {
        let k = key(kind, namespace, name);
        if !self.stored.contains_key(&k) {
            return;
        }
        let stored = Rc::make_mut(&mut self.stored);
        if let Some(old) = stored.get_mut(&k) {
            let mut source = (*old.source).clone();
            edit(&mut source);
            if source.get("spec") != old.source.get("spec") {
                old.generation += 1;
            }
            old.source = Rc::new(source);
            self.changed = true;
        }
    }
}
