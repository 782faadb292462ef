//! Small helpers shared by the resource, image and probe advice: reading quantities as the
//! API server decodes them, where to anchor a container's diagnostic, and the annotations of
//! a pod template.

use std::collections::HashSet;

use crate::check::Context;
use crate::facts::selected_by_service;
use crate::model::{Container, Object, Quantity};
use crate::text::TextRange;
use crate::yaml::{Node, NodeKind, Resolved};

/// The text of a quantity as the API server receives it (`128Mi`, `500`, `0.5`), or `None`
/// when the node is not a scalar that decodes to a quantity.
#[must_use]
pub fn quantity_text(node: &Node) -> Option<String> {
    match node.resolve()? {
        Resolved::Str(s) => Some(s.to_owned()),
        Resolved::Int(i) => Some(i.to_string()),
        Resolved::Float(f) if f.is_finite() => Some(f.to_string()),
        _ => None,
    }
}

/// The quantity under `resources.<side>.<resource>` of a container, with its value node.
#[must_use]
pub fn resource<'a>(c: &Container<'a>, side: &str, res: &str) -> Option<(&'a Node, Quantity)> {
    let node = c.node.get("resources")?.get(side)?.get(res)?;
    let q = Quantity::parse(&quantity_text(node)?).ok()?;
    Some((node, q))
}

/// Whether `resources.<side>` of a container has a `<res>` key (even an unreadable one).
#[must_use]
pub fn has_resource_key(c: &Container<'_>, side: &str, res: &str) -> bool {
    c.node
        .get("resources")
        .and_then(|r| r.get(side))
        .and_then(|m| m.get(res))
        .is_some()
}

/// Where a diagnostic about a whole container sits: its `name: x` entry, else the item.
#[must_use]
pub fn container_anchor(c: &Container<'_>) -> TextRange {
    c.node
        .entry("name")
        .map_or(c.node.range, |e| e.key.range.cover(e.value.range))
}

/// The container's name for messages.
#[must_use]
pub fn name_of<'a>(c: &Container<'a>) -> &'a str {
    c.name.unwrap_or("?")
}

/// An init container with `restartPolicy: Always` is a sidecar: it runs beside the app.
#[must_use]
pub fn is_sidecar(c: &Container<'_>) -> bool {
    c.init && c.node.get("restartPolicy").and_then(Node::as_str) == Some("Always")
}

/// The byte range of `needle` inside the source text of `node` (a scalar written plainly or
/// in quotes), so an edit can replace part of a value and keep its quoting.
#[must_use]
pub fn range_in(text: &str, node: &Node, needle: &str) -> Option<TextRange> {
    let source = text.get(node.range.start..node.range.end)?;
    let at = source.find(needle)?;
    let start = node.range.start + at;
    Some(TextRange::new(start, start + needle.len()))
}

/// Whose resources a quantity belongs to.
#[derive(Clone, Copy)]
enum SiteOwner<'a> {
    Pod,
    Container {
        path: crate::model::ContainerPath<'a>,
        name: &'a str,
        init: bool,
    },
}

/// One `requests`/`limits` quantity of a pod spec. Field path and owner are formatted only
/// when a diagnostic needs them (this runs on every keystroke).
pub struct QuantitySite<'a> {
    pub node: &'a Node,
    /// The raw text as the API server receives it.
    pub text: String,
    /// `requests` or `limits`.
    pub side: &'static str,
    owner: SiteOwner<'a>,
    spec_path: &'a str,
    res: &'static str,
}

impl QuantitySite<'_> {
    /// `spec.containers[0].resources.limits.memory`.
    #[must_use]
    pub fn field(&self) -> String {
        match self.owner {
            SiteOwner::Pod => format!("{}.resources.{}.{}", self.spec_path, self.side, self.res),
            SiteOwner::Container { path, .. } => {
                format!("{path}.resources.{}.{}", self.side, self.res)
            }
        }
    }

    /// `container "web"`, `init container "init"` or `the pod`, for messages.
    #[must_use]
    pub fn owner(&self) -> String {
        match self.owner {
            SiteOwner::Pod => "the pod".to_owned(),
            SiteOwner::Container { name, init, .. } => {
                format!(
                    "{} \"{name}\"",
                    if init { "init container" } else { "container" }
                )
            }
        }
    }

    /// Whether two sites belong to the same container (or both to the pod).
    #[must_use]
    pub fn same_owner(&self, other: &Self) -> bool {
        match (self.owner, other.owner) {
            (SiteOwner::Pod, SiteOwner::Pod) => true,
            (SiteOwner::Container { path: a, .. }, SiteOwner::Container { path: b, .. }) => a == b,
            _ => false,
        }
    }
}

/// Every `resources.{requests,limits}.<res>` value of a pod spec, containers and pod level.
#[must_use]
pub fn quantity_sites<'a>(
    spec: &'a Node,
    spec_path: &'a str,
    res: &'static str,
) -> Vec<QuantitySite<'a>> {
    let mut owners: Vec<(&'a Node, SiteOwner<'a>)> = Vec::new();
    if let Some(r) = spec.get("resources") {
        owners.push((r, SiteOwner::Pod));
    }
    for c in crate::model::containers(spec, spec_path) {
        if let Some(r) = c.node.get("resources") {
            owners.push((
                r,
                SiteOwner::Container {
                    path: c.path,
                    name: name_of(&c),
                    init: c.init,
                },
            ));
        }
    }
    let mut out = Vec::new();
    for (resources, owner) in owners {
        for side in ["requests", "limits"] {
            let Some(node) = resources.get(side).and_then(|m| m.get(res)) else {
                continue;
            };
            let Some(text) = quantity_text(node) else {
                continue;
            };
            out.push(QuantitySite {
                node,
                text,
                side,
                owner,
                spec_path,
                res,
            });
        }
    }
    out
}

/// The parts of an image reference: `registry.example.com:5000/team/api:1.2@sha256:...`.
#[derive(Debug, PartialEq, Eq)]
pub struct ImageRef<'a> {
    /// Everything before the tag and digest (`registry.example.com:5000/team/api`).
    pub name: &'a str,
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

/// Splits an image reference; the tag is after the last `:` that follows the last `/` (a
/// registry port is not a tag).
#[must_use]
pub fn image_ref(image: &str) -> ImageRef<'_> {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    match rest[slash..].rfind(':') {
        Some(i) => ImageRef {
            name: &rest[..slash + i],
            tag: Some(&rest[slash + i + 1..]),
            digest,
        },
        None => ImageRef {
            name: rest,
            tag: None,
            digest,
        },
    }
}

/// Every container (init, sidecar and regular) with its `image` value node and text.
pub fn images<'a>(
    spec: &'a Node,
    spec_path: &'a str,
) -> impl Iterator<Item = (Container<'a>, &'a Node, &'a str)> {
    crate::model::containers(spec, spec_path)
        .into_iter()
        .filter_map(|c| {
            let node = c.node.get("image")?;
            let image = node.as_str()?;
            Some((c, node, image))
        })
}

/// The metadata of the pods a pod spec belongs to (`spec.template.spec` →
/// `spec.template.metadata`; a Pod's `spec` → `metadata`).
#[must_use]
pub fn pod_metadata<'a>(root: &'a Node, spec_path: &str) -> Option<&'a Node> {
    match spec_path.strip_suffix("spec") {
        Some("") => root.get("metadata"),
        Some(prefix) => root.at(&format!("{prefix}metadata")),
        None => None,
    }
}

/// Kinds whose pods run a long-lived service (not Jobs, CronJobs or bare Pods).
#[must_use]
pub fn is_long_running_workload(kind: &str) -> bool {
    matches!(
        kind,
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "ReplicationController"
    )
}

/// A seconds value of a `sim.kubeplay.dev/` annotation: `90`, `90s`, `2m`, `1.5`.
#[must_use]
pub fn seconds_of(text: &str) -> Option<f64> {
    let t = text.trim();
    let (num, scale) = if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60.0)
    } else if let Some(n) = t.strip_suffix('h') {
        (n, 3600.0)
    } else {
        (t, 1.0)
    };
    let v: f64 = num.parse().ok()?;
    (v.is_finite() && v >= 0.0).then_some(v * scale)
}

/// Whether two nodes hold the same YAML data (positions ignored; mapping order ignored).
#[must_use]
pub fn same_value(a: &Node, b: &Node) -> bool {
    match (&a.kind, &b.kind) {
        (NodeKind::Scalar(_), NodeKind::Scalar(_)) => a.resolve() == b.resolve(),
        (NodeKind::Sequence(x), NodeKind::Sequence(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q))
        }
        (NodeKind::Mapping(x), NodeKind::Mapping(y)) => {
            x.len() == y.len()
                && x.iter().all(|e| {
                    e.key
                        .as_scalar()
                        .and_then(|k| b.get(&k.value))
                        .is_some_and(|v| same_value(&e.value, v))
                })
        }
        _ => false,
    }
}

/// `namespace` and `Kind/name` of every object whose pods some Service in the files selects.
#[must_use]
pub fn selected_by_any_service(ctx: &Context<'_>) -> HashSet<(String, String)> {
    let mut out = HashSet::new();
    for (object, root, kind) in ctx.objects_with_root() {
        if kind != "Service" {
            continue;
        }
        let ns = object.namespace.clone().unwrap_or_default();
        for target in selected_by_service(ctx, object, root).unwrap_or_default() {
            out.insert((ns.clone(), target));
        }
    }
    out
}

fn declares_ports(container: &Node) -> bool {
    container
        .get("ports")
        .and_then(Node::as_sequence)
        .is_some_and(|p| !p.is_empty())
}

/// Whether a container takes traffic: it declares ports; or a Service selects its pods and
/// no container of the pod declares any (so the Service's target cannot be attributed, and
/// every container is assumed to serve). A port-less sidecar beside a container with ports
/// is not counted.
#[must_use]
pub fn serves_traffic(
    c: &Container<'_>,
    spec: &Node,
    object: &Object,
    kind: &str,
    selected: &HashSet<(String, String)>,
) -> bool {
    if declares_ports(c.node) {
        return true;
    }
    let any_ports = spec
        .get("containers")
        .and_then(Node::as_sequence)
        .is_some_and(|cs| cs.iter().any(declares_ports));
    !any_ports
        && selected.contains(&(
            object.namespace.clone().unwrap_or_default(),
            format!("{kind}/{}", object.name_or_empty()),
        ))
}

/// The start time the app declares with `sim.kubeplay.dev/start-seconds` on the pod
/// template, in seconds; `None` when absent or unreadable (then nothing is guessed).
#[must_use]
pub fn declared_start_seconds(root: &Node, spec_path: &str) -> Option<f64> {
    let value = pod_metadata(root, spec_path)?
        .get("annotations")?
        .get("sim.kubeplay.dev/start-seconds")?;
    match value.resolve()? {
        Resolved::Str(s) => seconds_of(s),
        Resolved::Int(i) => seconds_of(&i.to_string()),
        Resolved::Float(f) => seconds_of(&f.to_string()),
        _ => None,
    }
}

/// A probe whose budget, `initialDelaySeconds + failureThreshold × periodSeconds` (defaults
/// applied), is shorter than the start time the app declares (`declared_start_seconds`).
/// The kubelet kills after about initialDelay + (failureThreshold − 1) × period; the extra
/// period in the budget leaves room for probe timing jitter.
pub struct ShortProbe<'a> {
    pub object: &'a Object,
    /// The probe's key (`livenessProbe:`), where the diagnostic goes.
    pub key: TextRange,
    /// Field path of the probe.
    pub field: String,
    pub container: &'a str,
    pub start: f64,
    pub budget: i64,
    pub initial_delay_seconds: i64,
    pub failure_threshold: i64,
    pub period_seconds: i64,
}

impl ShortProbe<'_> {
    /// `initialDelaySeconds 0 + failureThreshold 3 × periodSeconds 10`, for messages.
    #[must_use]
    pub fn arithmetic(&self) -> String {
        format!(
            "initialDelaySeconds {} + failureThreshold {} × periodSeconds {}",
            self.initial_delay_seconds, self.failure_threshold, self.period_seconds
        )
    }
}

/// Every `probe` (`livenessProbe`, `startupProbe`) of a container for which `skip` is false
/// that gives up before the app's declared start time.
pub fn probes_giving_up_before_start<'a>(
    ctx: &'a Context<'a>,
    probe: &str,
    skip: impl Fn(&Container<'a>) -> bool,
) -> Vec<ShortProbe<'a>> {
    let mut out = Vec::new();
    for p in ctx.pod_specs() {
        let Some(start) = declared_start_seconds(p.root, p.path) else {
            continue;
        };
        let facts = crate::facts::probes_of(p.spec, p.path);
        for c in crate::model::containers(p.spec, p.path) {
            if skip(&c) {
                continue;
            }
            let Some(entry) = c.node.entry(probe) else {
                continue;
            };
            let field = format!("{}.{probe}", c.path);
            let Some(f) = facts.iter().find(|f| f.field == field) else {
                continue;
            };
            let budget = f
                .initial_delay_seconds
                .saturating_add(f.failure_threshold.saturating_mul(f.period_seconds));
            #[allow(clippy::cast_precision_loss)]
            if (budget as f64) >= start {
                continue;
            }
            out.push(ShortProbe {
                object: p.object,
                key: entry.key.range,
                field,
                container: name_of(&c),
                start,
                budget,
                initial_delay_seconds: f.initial_delay_seconds,
                failure_threshold: f.failure_threshold,
                period_seconds: f.period_seconds,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::seconds_of;

    #[test]
    fn reads_annotation_seconds() {
        assert_eq!(seconds_of("90"), Some(90.0));
        assert_eq!(seconds_of("90s"), Some(90.0));
        assert_eq!(seconds_of("2m"), Some(120.0));
        assert_eq!(seconds_of("soon"), None);
        assert_eq!(seconds_of("-1"), None);
    }
}

#[cfg(test)]
mod image_tests {
    use super::{ImageRef, image_ref};

    #[test]
    fn splits_references() {
        assert_eq!(
            image_ref("registry.example.com:5000/team/api:1.2@sha256:ab"),
            ImageRef {
                name: "registry.example.com:5000/team/api",
                tag: Some("1.2"),
                digest: Some("sha256:ab")
            }
        );
        assert_eq!(image_ref("registry.example.com:5000/team/api").tag, None);
        assert_eq!(image_ref("nginx").name, "nginx");
        assert_eq!(image_ref("nginx@sha256:ab").tag, None);
    }
}
