//! Shared reading helpers for the rollout, availability and cross-object checks: namespaces,
//! replica counts, HPA targets and the ConfigMap/Secret references of a pod spec. Nothing here
//! reports; each check decides what to say.

use std::collections::HashMap;

use crate::check::Context;
use crate::diagnostic::{Diagnostic, Edit};
use crate::model::{Object, containers};
use crate::rule::Rule;
use crate::suggest::edit_distance;
use crate::text::TextRange;
use crate::yaml::Node;

/// An object's namespace, `""` when unset (unset namespaces are treated as one namespace).
#[must_use]
pub fn ns(object: &Object) -> &str {
    object.namespace.as_deref().unwrap_or("")
}

/// Kinds whose `spec.replicas` counts pods (defaulted to 1 when absent).
#[must_use]
pub fn is_scalable(kind: &str) -> bool {
    matches!(
        kind,
        "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController"
    )
}

/// `spec.replicas` as written: `None` when absent or null (the API server defaults it to 1).
#[must_use]
pub fn written_replicas(root: &Node) -> Option<(i64, &Node)> {
    let node = root.at("spec.replicas").filter(|n| !n.is_null())?;
    Some((node.as_i64()?, node))
}

/// One HPA and the object its `scaleTargetRef` names (if that object is in the files).
pub struct HpaTarget<'a> {
    pub hpa: &'a Object,
    pub root: &'a Node,
    pub target_kind: &'a str,
    pub target_name: &'a str,
    /// The `scaleTargetRef.name` node.
    pub name_node: &'a Node,
    pub target: Option<(&'a Object, &'a Node)>,
}

/// Every object by (namespace, kind, name), the first one winning as in `Context::find`.
#[must_use]
pub fn object_index<'a>(
    ctx: &Context<'a>,
) -> HashMap<(&'a str, &'a str, &'a str), (&'a Object, &'a Node)> {
    let mut index = HashMap::new();
    for (o, r, k) in ctx.objects_with_root() {
        if let Some(name) = o.name.as_deref() {
            index.entry((ns(o), k, name)).or_insert((o, r));
        }
    }
    index
}

/// Every HorizontalPodAutoscaler with a readable `scaleTargetRef`, and its target if present.
#[must_use]
pub fn hpa_targets<'a>(ctx: &Context<'a>) -> Vec<HpaTarget<'a>> {
    let hpas: Vec<_> = ctx
        .objects_with_root()
        .filter(|(_, _, k)| *k == "HorizontalPodAutoscaler")
        .collect();
    if hpas.is_empty() {
        return Vec::new();
    }
    let index = object_index(ctx);
    hpas.into_iter()
        .filter_map(|(hpa, root, _)| {
            let r = root.at("spec.scaleTargetRef")?;
            let target_kind = r.get("kind").and_then(Node::as_str)?;
            let name_node = r.get("name")?;
            let target_name = name_node.as_str()?;
            Some(HpaTarget {
                hpa,
                root,
                target_kind,
                target_name,
                name_node,
                target: index.get(&(ns(hpa), target_kind, target_name)).copied(),
            })
        })
        .collect()
}

/// The `minReplicas` (default 1) of the HPA scaling each (namespace, kind, name).
pub struct HpaMins<'a>(HashMap<(&'a str, &'a str, &'a str), i64>);

impl<'a> HpaMins<'a> {
    #[must_use]
    pub fn of(ctx: &Context<'a>) -> Self {
        let mut map = HashMap::new();
        for (hpa, root, kind) in ctx.objects_with_root() {
            if kind != "HorizontalPodAutoscaler" {
                continue;
            }
            let r = root.at("spec.scaleTargetRef");
            let (Some(k), Some(n)) = (
                r.and_then(|r| r.get("kind")).and_then(Node::as_str),
                r.and_then(|r| r.get("name")).and_then(Node::as_str),
            ) else {
                continue;
            };
            let min = root
                .at("spec.minReplicas")
                .and_then(Node::as_i64)
                .unwrap_or(1);
            map.entry((ns(hpa), k, n)).or_insert(min);
        }
        Self(map)
    }

    /// The minReplicas of the HPA scaling `object`, if one does.
    #[must_use]
    pub fn get(&self, object: &Object, kind: &str) -> Option<i64> {
        self.0
            .get(&(ns(object), kind, object.name.as_deref()?))
            .copied()
    }

    /// The replicas a workload runs at its lowest: `spec.replicas` (default 1), or the HPA's
    /// `minReplicas` when an HPA scales it and `spec.replicas` is not written.
    #[must_use]
    pub fn low_replicas(&self, object: &Object, root: &Node, kind: &str) -> i64 {
        if let Some((n, _)) = written_replicas(root) {
            return n;
        }
        self.get(object, kind).unwrap_or(1)
    }
}

/// Which store a reference points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    ConfigMap,
    Secret,
}

impl Store {
    #[must_use]
    pub const fn kind(self) -> &'static str {
        match self {
            Self::ConfigMap => "ConfigMap",
            Self::Secret => "Secret",
        }
    }
}

/// How a pod consumes the object: the failure differs (env blocks the container start,
/// a volume blocks the mount).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Env,
    EnvFrom,
    Volume,
}

/// One reference from a pod spec to a ConfigMap or Secret.
pub struct ConfigRef<'a> {
    pub store: Store,
    pub via: Via,
    /// The node holding the referenced name.
    pub name_node: &'a Node,
    pub name: &'a str,
    /// Field path of the name (`spec.template.spec.containers[0].env[1].valueFrom.configMapKeyRef.name`).
    pub field: String,
    pub optional: bool,
    /// The keys read (`configMapKeyRef.key`, volume `items[].key`), with their nodes and paths.
    pub keys: Vec<(&'a str, &'a Node, String)>,
    /// The container (env, envFrom) or volume name.
    pub user: &'a str,
}

fn optional(node: &Node) -> bool {
    node.get("optional").and_then(Node::as_bool) == Some(true)
}

fn push_ref<'a>(
    out: &mut Vec<ConfigRef<'a>>,
    store: Store,
    via: Via,
    holder: &'a Node,
    name_key: &str,
    path: String,
    user: &'a str,
) {
    let Some(name_node) = holder.get(name_key) else {
        return;
    };
    let Some(name) = name_node.as_str().filter(|n| !n.is_empty()) else {
        return;
    };
    let mut keys = Vec::new();
    if via == Via::Env {
        if let Some(k) = holder.get("key")
            && let Some(ks) = k.as_str()
        {
            keys.push((ks, k, format!("{path}.key")));
        }
    } else if let Some(items) = holder.get("items").and_then(Node::as_sequence) {
        for (i, item) in items.iter().enumerate() {
            if let Some(k) = item.get("key")
                && let Some(ks) = k.as_str()
            {
                keys.push((ks, k, format!("{path}.items[{i}].key")));
            }
        }
    }
    out.push(ConfigRef {
        store,
        via,
        name_node,
        name,
        field: format!("{path}.{name_key}"),
        optional: optional(holder),
        keys,
        user,
    });
}

/// Every ConfigMap and Secret reference of a pod spec: env `valueFrom`, `envFrom` (of all
/// containers, init containers included) and `configMap`/`secret`/`projected` volumes.
#[must_use]
pub fn config_refs<'a>(spec: &'a Node, spec_path: &'a str) -> Vec<ConfigRef<'a>> {
    let mut out = Vec::new();
    for c in containers(spec, spec_path) {
        let user = c.name.unwrap_or("?");
        for (i, env) in c
            .node
            .get("env")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            for (key, store) in [
                ("configMapKeyRef", Store::ConfigMap),
                ("secretKeyRef", Store::Secret),
            ] {
                if let Some(r) = env.at("valueFrom").and_then(|v| v.get(key)) {
                    let path = format!("{}.env[{i}].valueFrom.{key}", c.path);
                    push_ref(&mut out, store, Via::Env, r, "name", path, user);
                }
            }
        }
        for (i, from) in c
            .node
            .get("envFrom")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            for (key, store) in [
                ("configMapRef", Store::ConfigMap),
                ("secretRef", Store::Secret),
            ] {
                if let Some(r) = from.get(key) {
                    let path = format!("{}.envFrom[{i}].{key}", c.path);
                    push_ref(&mut out, store, Via::EnvFrom, r, "name", path, user);
                }
            }
        }
    }
    for (i, vol) in spec
        .get("volumes")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let user = vol.get("name").and_then(Node::as_str).unwrap_or("?");
        let base = format!("{spec_path}.volumes[{i}]");
        if let Some(r) = vol.get("configMap") {
            push_ref(
                &mut out,
                Store::ConfigMap,
                Via::Volume,
                r,
                "name",
                format!("{base}.configMap"),
                user,
            );
        }
        if let Some(r) = vol.get("secret") {
            push_ref(
                &mut out,
                Store::Secret,
                Via::Volume,
                r,
                "secretName",
                format!("{base}.secret"),
                user,
            );
        }
        for (j, src) in vol
            .at("projected.sources")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            for (key, store) in [("configMap", Store::ConfigMap), ("secret", Store::Secret)] {
                if let Some(r) = src.get(key) {
                    let path = format!("{base}.projected.sources[{j}].{key}");
                    push_ref(&mut out, store, Via::Volume, r, "name", path, user);
                }
            }
        }
    }
    out
}

/// The range of a whole `key: value` line, including its line break, when the entry stands
/// alone on its line(s) in block style; `None` otherwise (a flow mapping, a comment after it).
#[must_use]
pub fn whole_line(ctx: &Context<'_>, key: &Node, value: &Node) -> Option<TextRange> {
    let text = ctx.text;
    let line_start = text[..key.range.start].rfind('\n').map_or(0, |i| i + 1);
    if !text[line_start..key.range.start].chars().all(|c| c == ' ') {
        return None;
    }
    let rest = &text[value.range.end..];
    let eol = rest
        .find('\n')
        .map_or(text.len(), |i| value.range.end + i + 1);
    if !text[value.range.end..eol].trim().is_empty() {
        return None;
    }
    Some(TextRange::new(line_start, eol))
}

/// The column (in bytes) at which a block mapping's key starts: the indentation for new keys.
#[must_use]
pub fn key_indent(ctx: &Context<'_>, key: &Node) -> usize {
    let line_start = ctx.text[..key.range.start].rfind('\n').map_or(0, |i| i + 1);
    key.range.start - line_start
}

/// Names of the objects of `kind` in the files, per namespace.
#[must_use]
pub fn names_of<'a>(ctx: &Context<'a>, kind: &str) -> HashMap<(&'a str, &'a str), &'a Node> {
    ctx.objects_with_root()
        .filter(|(_, _, k)| *k == kind)
        .filter_map(|(o, r, _)| Some(((ns(o), o.name.as_deref()?), r)))
        .collect()
}

/// The closest name (edit distance ≤ 2) among `candidates`, for "did you mean".
#[must_use]
pub fn near_miss<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .filter_map(|c| {
            let d = edit_distance(c, wanted);
            (d <= 2 && d > 0).then_some((d, c))
        })
        .min()
        .map(|(_, c)| c)
}

/// Shared body of `missing-configmap` and `missing-secret`: references to a `store` object
/// absent from the files, unless marked optional.
pub fn report_missing_store(
    ctx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
    rule: &'static Rule,
    store: Store,
) {
    let kind = store.kind();
    let known = names_of(ctx, kind);
    let lower = kind.to_ascii_lowercase();
    for p in ctx.pod_specs() {
        let namespace = ns(p.object);
        for r in config_refs(p.spec, p.path) {
            if r.store != store || r.optional || known.contains_key(&(namespace, r.name)) {
                continue;
            }
            // Published into every namespace by the root CA publisher (kube-controller-manager);
            // service account token volumes exported from a cluster refer to it.
            if r.name == "kube-root-ca.crt" && store == Store::ConfigMap {
                continue;
            }
            let outcome = match r.via {
                Via::Env | Via::EnvFrom => format!(
                    "container \"{}\" reads {kind} \"{}\", which is not in these files: unless the cluster has it, the container stays in CreateContainerConfigError ({lower} \"{}\" not found)",
                    r.user, r.name, r.name
                ),
                Via::Volume => format!(
                    "volume \"{}\" mounts {kind} \"{}\", which is not in these files: unless the cluster has it, the pod stays in ContainerCreating (FailedMount: {lower} \"{}\" not found)",
                    r.user, r.name, r.name
                ),
            };
            let near = near_miss(
                r.name,
                known
                    .keys()
                    .filter(|(n, _)| *n == namespace)
                    .map(|(_, name)| *name),
            );
            let mut d = ctx.diag(
                rule,
                p.object,
                r.name_node.range,
                match near {
                    Some(n) => format!("{outcome}; did you mean \"{n}\"?"),
                    None => outcome,
                },
            );
            d = d.field(r.field);
            if let Some(n) = near {
                d = d.edit(Edit {
                    start: r.name_node.range.start,
                    end: r.name_node.range.end,
                    insert: n.to_owned(),
                    title: format!("Use {kind} \"{n}\""),
                });
            }
            out.push(d);
        }
    }
}

/// Every object that carries pods (`facts::pod_labels`), indexed by its pod labels, so that
/// each Service's selector is matched against the few objects sharing one of its labels
/// instead of every object: the same answer as `facts::selected_by_service`, in linear time.
pub struct PodOwners<'a> {
    items: Vec<PodOwner<'a>>,
    by_label: HashMap<(&'a str, &'a str, &'a str), Vec<usize>>,
}

/// One object whose pods Services may select.
pub struct PodOwner<'a> {
    pub object: &'a Object,
    pub root: &'a Node,
    pub kind: &'a str,
    pub labels: Vec<(&'a str, &'a str)>,
}

impl<'a> PodOwners<'a> {
    #[must_use]
    pub fn of(ctx: &Context<'a>) -> Self {
        let mut items = Vec::new();
        let mut by_label: HashMap<(&'a str, &'a str, &'a str), Vec<usize>> = HashMap::new();
        for (object, root, kind) in ctx.objects_with_root() {
            let Some(labels) = crate::facts::pod_labels(kind, root) else {
                continue;
            };
            for (k, v) in &labels {
                by_label
                    .entry((ns(object), k, v))
                    .or_default()
                    .push(items.len());
            }
            items.push(PodOwner {
                object,
                root,
                kind,
                labels,
            });
        }
        Self { items, by_label }
    }

    /// The objects a Service selects, in document order; `None` for a Service without a
    /// selector (as `facts::selected_by_service`).
    #[must_use]
    pub fn selected_by(&self, service: &Object, root: &Node) -> Option<Vec<&PodOwner<'a>>> {
        let map = root.at("spec.selector")?.string_map();
        let (k, v) = *map.first()?;
        let selector = crate::model::Selector::from_map(root.at("spec.selector")?);
        Some(
            self.by_label
                .get(&(ns(service), k, v))
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .filter_map(|&i| self.items.get(i))
                .filter(|o| selector.matches(&o.labels))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::PodOwners;
    use crate::check::Context;
    use crate::facts::selected_by_service;
    use crate::text::LineIndex;
    use crate::yaml::{Limits, parse};

    #[test]
    fn pod_owners_agree_with_the_selects_fact() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template:\n    metadata:\n      labels: {app: web, tier: front}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\n  labels: {app: web}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: c\n  namespace: other\n  labels: {app: web}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s1}\nspec:\n  selector: {app: web}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s2}\nspec:\n  selector: {tier: front, app: web}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s3}\nspec:\n  selector: {app: api}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s4}\nspec: {ports: [{port: 80}]}\n";
        let index = LineIndex::new(text);
        let stream = parse(text, &Limits::default());
        let objects = crate::model::objects_of(text, &index, &stream.documents);
        let ctx = Context {
            text,
            index: &index,
            documents: &stream.documents,
            objects: &objects,
            schema: crate::schema::Findings::default(),
        };
        let owners = PodOwners::of(&ctx);
        let mut services = 0;
        for (o, r, k) in ctx.objects_with_root() {
            if k != "Service" {
                continue;
            }
            services += 1;
            let fact = selected_by_service(&ctx, o, r);
            let ours = owners.selected_by(o, r).map(|v| {
                v.iter()
                    .map(|p| format!("{}/{}", p.kind, p.object.name_or_empty()))
                    .collect::<Vec<_>>()
            });
            assert_eq!(ours, fact, "{:?}", o.name);
        }
        assert_eq!(services, 4);
    }
}
