//! Generates `crates/core/src/schema/generated.rs`: the field schema of the built-in kinds
//! kubeplay validates, derived from the Kubernetes OpenAPI definitions that `k8s-openapi`
//! (feature `v1_36`) exposes through `schemars`. Nothing in the output is typed by hand: the
//! only hand-written inputs are which kinds to cover and which fields the API server checks
//! as enums (their values are read from the field descriptions, since `k8s-openapi` keeps no
//! `enum` keyword and strips the "Possible enum values" lists).
//!
//! Run `cargo run -p kubeplay-schema-gen` (or `UPDATE_SCHEMA=1 cargo test -p
//! kubeplay-schema-gen`) to rewrite the table; the test fails while the checked-in file differs.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;

use k8s_openapi::api;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Map, Value};

/// Where the generated table lives, relative to this crate.
pub const OUTPUT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../core/src/schema/generated.rs"
);

/// Longest short description kept per field or type (characters).
const DESCRIPTION_CAP: usize = 200;

struct Root {
    api_version: &'static str,
    kind: &'static str,
    schema: fn(&mut SchemaGenerator) -> schemars::Schema,
}

fn root<T: JsonSchema>(api_version: &'static str, kind: &'static str) -> Root {
    Root {
        api_version,
        kind,
        schema: |g| g.subschema_for::<T>(),
    }
}

fn roots() -> Vec<Root> {
    vec![
        root::<api::core::v1::Pod>("v1", "Pod"),
        root::<api::core::v1::Service>("v1", "Service"),
        root::<api::core::v1::ConfigMap>("v1", "ConfigMap"),
        root::<api::core::v1::Secret>("v1", "Secret"),
        root::<api::core::v1::Namespace>("v1", "Namespace"),
        root::<api::core::v1::PersistentVolume>("v1", "PersistentVolume"),
        root::<api::core::v1::PersistentVolumeClaim>("v1", "PersistentVolumeClaim"),
        root::<api::core::v1::ServiceAccount>("v1", "ServiceAccount"),
        root::<api::core::v1::Endpoints>("v1", "Endpoints"),
        root::<api::core::v1::LimitRange>("v1", "LimitRange"),
        root::<api::core::v1::ResourceQuota>("v1", "ResourceQuota"),
        root::<api::core::v1::ReplicationController>("v1", "ReplicationController"),
        root::<api::core::v1::PodTemplate>("v1", "PodTemplate"),
        root::<api::apps::v1::Deployment>("apps/v1", "Deployment"),
        root::<api::apps::v1::ReplicaSet>("apps/v1", "ReplicaSet"),
        root::<api::apps::v1::StatefulSet>("apps/v1", "StatefulSet"),
        root::<api::apps::v1::DaemonSet>("apps/v1", "DaemonSet"),
        root::<api::batch::v1::Job>("batch/v1", "Job"),
        root::<api::batch::v1::CronJob>("batch/v1", "CronJob"),
        root::<api::autoscaling::v2::HorizontalPodAutoscaler>(
            "autoscaling/v2",
            "HorizontalPodAutoscaler",
        ),
        root::<api::autoscaling::v1::HorizontalPodAutoscaler>(
            "autoscaling/v1",
            "HorizontalPodAutoscaler",
        ),
        root::<api::networking::v1::Ingress>("networking.k8s.io/v1", "Ingress"),
        root::<api::networking::v1::IngressClass>("networking.k8s.io/v1", "IngressClass"),
        root::<api::networking::v1::NetworkPolicy>("networking.k8s.io/v1", "NetworkPolicy"),
        root::<api::policy::v1::PodDisruptionBudget>("policy/v1", "PodDisruptionBudget"),
        root::<api::rbac::v1::Role>("rbac.authorization.k8s.io/v1", "Role"),
        root::<api::rbac::v1::RoleBinding>("rbac.authorization.k8s.io/v1", "RoleBinding"),
        root::<api::rbac::v1::ClusterRole>("rbac.authorization.k8s.io/v1", "ClusterRole"),
        root::<api::rbac::v1::ClusterRoleBinding>(
            "rbac.authorization.k8s.io/v1",
            "ClusterRoleBinding",
        ),
        root::<api::storage::v1::StorageClass>("storage.k8s.io/v1", "StorageClass"),
        root::<api::discovery::v1::EndpointSlice>("discovery.k8s.io/v1", "EndpointSlice"),
        root::<api::scheduling::v1::PriorityClass>("scheduling.k8s.io/v1", "PriorityClass"),
    ]
}

/// How an enum's values are written in a field description.
#[derive(Clone, Copy)]
enum Pattern {
    /// Capitalised words after the phrase, up to the end of the sentence.
    After(&'static str),
    /// Every double-quoted word after the phrase, to the end of the description.
    Quoted(&'static str),
    /// Bullets written `* Value:`.
    Bullets,
}

/// Fields the API server validates against a fixed set (`field.NotSupported`, "Unsupported
/// value"), as (Go type, JSON field, how the description lists the values).
const ENUMS: &[(&str, &str, Pattern)] = &[
    ("Container", "imagePullPolicy", Pattern::After("One of ")),
    ("PodSpec", "restartPolicy", Pattern::After("One of ")),
    ("PodSpec", "dnsPolicy", Pattern::After("Valid values are ")),
    ("ServiceSpec", "type", Pattern::After("Valid options are ")),
    ("ServiceSpec", "sessionAffinity", Pattern::After("Must be ")),
    ("ContainerPort", "protocol", Pattern::After("Must be ")),
    ("ServicePort", "protocol", Pattern::After("Supports ")),
    ("EndpointPort", "protocol", Pattern::After("Must be ")),
    (
        "NetworkPolicyPort",
        "protocol",
        Pattern::After("protocol ("),
    ),
    ("HTTPIngressPath", "pathType", Pattern::Bullets),
    ("DeploymentStrategy", "type", Pattern::After("Can be ")),
    ("DaemonSetUpdateStrategy", "type", Pattern::After("Can be ")),
    (
        "CronJobSpec",
        "concurrencyPolicy",
        Pattern::Quoted("Valid values are"),
    ),
    (
        "Toleration",
        "effect",
        Pattern::After("allowed values are "),
    ),
    (
        "Toleration",
        "operator",
        Pattern::After("Valid operators are "),
    ),
    (
        "NetworkPolicySpec",
        "policyTypes",
        Pattern::After("Valid options are "),
    ),
];

fn extract_enum(description: &str, pattern: Pattern) -> Vec<String> {
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
            .map(str::to_owned)
            .collect()
    };
    let mut values: Vec<String> = match pattern {
        Pattern::After(phrase) => {
            let Some(at) = description.find(phrase) else {
                return Vec::new();
            };
            let rest = &description[at + phrase.len()..];
            let end = rest.find(['.', ')']).unwrap_or(rest.len());
            words(&rest[..end])
        }
        Pattern::Quoted(phrase) => {
            let Some(at) = description.find(phrase) else {
                return Vec::new();
            };
            description[at..]
                .split('"')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect()
        }
        Pattern::Bullets => description
            .split("* ")
            .skip(1)
            .filter_map(|b| b.split_once(':').map(|(w, _)| w.trim().to_owned()))
            .collect(),
    };
    let mut seen = BTreeSet::new();
    values.retain(|v| seen.insert(v.clone()));
    values.sort();
    values
}

/// The short description kept for hover and explain: the first sentence, capped.
fn short(description: &str) -> String {
    let text = description.split_whitespace().collect::<Vec<_>>().join(" ");
    let end = text
        .match_indices(". ")
        .map(|(i, _)| i + 1)
        .next()
        .unwrap_or(text.len());
    let first = &text[..end];
    if first.chars().count() <= DESCRIPTION_CAP {
        return first.to_owned();
    }
    let cut: String = first.chars().take(DESCRIPTION_CAP - 1).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}

/// The Go name of a definition (`io.k8s.api.apps.v1.DeploymentSpec` → `DeploymentSpec`)
/// and its package-qualified name (`v1.DeploymentSpec`) as Go's reflect prints it.
fn go_names(definition: &str) -> (String, String) {
    let mut parts = definition.rsplit('.');
    let name = parts.next().unwrap_or(definition).to_owned();
    let package = parts.next().unwrap_or("");
    (name.clone(), format!("{package}.{name}"))
}

#[derive(Default)]
struct Table {
    /// Definition name → index, in discovery order.
    index: BTreeMap<String, usize>,
    order: Vec<String>,
}

fn ref_name(schema: &Map<String, Value>) -> Option<String> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('/').next())
        .map(str::to_owned)
}

/// The Rust expression of a field's type in the generated table.
fn ty_expr(
    schema: &Map<String, Value>,
    defs: &Map<String, Value>,
    table: &mut Table,
    queue: &mut VecDeque<String>,
) -> String {
    if let Some(name) = ref_name(schema) {
        return match name.as_str() {
            "io.k8s.apimachinery.pkg.api.resource.Quantity" => "Ty::Quantity".into(),
            "io.k8s.apimachinery.pkg.util.intstr.IntOrString" => "Ty::IntOrString".into(),
            "io.k8s.apimachinery.pkg.runtime.RawExtension"
            | "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON" => "Ty::Raw".into(),
            _ => {
                let def = defs.get(&name).and_then(Value::as_object);
                match def {
                    Some(d) if d.get("properties").is_some() => {
                        let idx = *table.index.entry(name.clone()).or_insert_with(|| {
                            table.order.push(name.clone());
                            queue.push_back(name.clone());
                            table.order.len() - 1
                        });
                        format!("Ty::Object({idx})")
                    }
                    Some(d) => ty_expr(d, defs, table, queue),
                    None => "Ty::Raw".into(),
                }
            }
        };
    }
    if schema.get("x-kubernetes-int-or-string").is_some() {
        return "Ty::IntOrString".into();
    }
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    match schema.get("type").and_then(Value::as_str) {
        Some("string") if format == "byte" => "Ty::Bytes".into(),
        Some("string") => "Ty::String".into(),
        Some("integer") if format == "int64" => "Ty::Int64".into(),
        Some("integer") => "Ty::Int32".into(),
        Some("number") => "Ty::Number".into(),
        Some("boolean") => "Ty::Boolean".into(),
        Some("array") => {
            let items = schema.get("items").and_then(Value::as_object);
            match items {
                Some(i) => format!("Ty::Array(&{})", ty_expr(i, defs, table, queue)),
                None => "Ty::Raw".into(),
            }
        }
        Some("object") => match schema
            .get("additionalProperties")
            .and_then(Value::as_object)
        {
            Some(v) => format!("Ty::Map(&{})", ty_expr(v, defs, table, queue)),
            None => "Ty::Raw".into(),
        },
        _ => "Ty::Raw".into(),
    }
}

fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// The generated Rust source.
#[must_use]
pub fn generate() -> String {
    let mut generator = SchemaGenerator::default();
    let roots = roots();
    let root_names: Vec<String> = roots
        .iter()
        .map(|r| {
            let s = (r.schema)(&mut generator);
            s.as_object()
                .and_then(ref_name)
                .unwrap_or_else(|| panic!("{} is not a reference", r.kind))
        })
        .collect();
    let defs = generator.definitions().clone();

    let mut table = Table::default();
    let mut queue = VecDeque::new();
    for name in &root_names {
        if !table.index.contains_key(name) {
            table.index.insert(name.clone(), table.order.len());
            table.order.push(name.clone());
            queue.push_back(name.clone());
        }
    }
    let mut bodies: BTreeMap<String, String> = BTreeMap::new();
    // Descriptions live in a parallel table that only `explain` reads, so a build that only
    // validates (the editor's analyze) leaves them out of the wasm.
    let mut docs: BTreeMap<String, String> = BTreeMap::new();
    let mut enums_found = BTreeSet::new();
    while let Some(name) = queue.pop_front() {
        let def = defs
            .get(&name)
            .and_then(Value::as_object)
            .unwrap_or_else(|| panic!("no definition {name}"));
        let (go, go_qualified) = go_names(&name);
        let is_root = root_names.contains(&name);
        let required: BTreeSet<&str> = def
            .get("required")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut fields = String::new();
        let mut field_docs = String::new();
        let props = def.get("properties").and_then(Value::as_object);
        for (field, schema) in props.into_iter().flatten() {
            let Some(schema) = schema.as_object() else {
                continue;
            };
            let description = schema
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("");
            // Learners never write status; keep it as an opaque object to save space.
            let ty = if is_root && field == "status" {
                "Ty::Raw".to_owned()
            } else {
                ty_expr(schema, &defs, &mut table, &mut queue)
            };
            // A missing `metadata` or `spec` gets its own, more precise, API messages (a name,
            // the spec's own required fields); k8s-openapi marks references whose name "is
            // allowed to be empty for backwards compatibility" as required, the API server
            // does not.
            let req = required.contains(field.as_str())
                && !(is_root && matches!(field.as_str(), "metadata" | "spec"))
                && !description.contains("allowed to be empty");
            let values = ENUMS
                .iter()
                .find(|(t, f, _)| *t == go && f == field)
                .map(|(_, _, p)| {
                    enums_found.insert((go.clone(), field.clone()));
                    let v = extract_enum(description, *p);
                    assert!(
                        v.len() >= 2,
                        "enum {go}.{field}: found {v:?} in {description:?}"
                    );
                    v
                })
                .unwrap_or_default();
            let values = values.iter().map(|v| lit(v)).collect::<Vec<_>>().join(", ");
            writeln!(
                fields,
                "    Field {{ name: {}, ty: {ty}, required: {req}, values: &[{values}] }},",
                lit(field),
            )
            .ok();
            writeln!(field_docs, "    {},", lit(&short(description))).ok();
        }
        let description = def.get("description").and_then(Value::as_str).unwrap_or("");
        bodies.insert(
            name.clone(),
            format!(
                "Type {{ name: {}, go: {}, fields: &[\n{fields}] }},\n",
                lit(&go),
                lit(&go_qualified),
            ),
        );
        docs.insert(
            name.clone(),
            format!(
                "TypeDocs {{ doc: {}, fields: &[\n{field_docs}] }},\n",
                lit(&short(description)),
            ),
        );
    }
    for (t, f, _) in ENUMS {
        assert!(
            enums_found.contains(&((*t).to_owned(), (*f).to_owned())),
            "enum field {t}.{f} not found in any covered type"
        );
    }

    let mut out = String::new();
    out.push_str(
        "// @generated by `cargo run -p kubeplay-schema-gen` from k8s-openapi 0.28 (Kubernetes 1.36).\n\
         // Do not edit: `UPDATE_SCHEMA=1 cargo test -p kubeplay-schema-gen` rewrites it.\n\n\
         use super::{Field, Root, Ty, Type, TypeDocs};\n\n",
    );
    out.push_str("/// Every object type reachable from the roots, by index.\n#[rustfmt::skip]\npub static TYPES: &[Type] = &[\n");
    for (i, name) in table.order.iter().enumerate() {
        writeln!(out, "// {i}: {name}").ok();
        out.push_str(&bodies[name]);
    }
    out.push_str("];\n\n/// The short descriptions of `TYPES` (same order) and of their fields (same order).\n#[rustfmt::skip]\npub static DOCS: &[TypeDocs] = &[\n");
    for (i, name) in table.order.iter().enumerate() {
        writeln!(out, "// {i}: {name}").ok();
        out.push_str(&docs[name]);
    }
    out.push_str("];\n\n/// The kinds covered: (apiVersion, kind) → index into `TYPES`.\n#[rustfmt::skip]\npub static ROOTS: &[Root] = &[\n");
    for (r, name) in roots.iter().zip(&root_names) {
        writeln!(
            out,
            "    Root {{ api_version: {}, kind: {}, ty: {} }},",
            lit(r.api_version),
            lit(r.kind),
            table.index[name]
        )
        .ok();
    }
    out.push_str("];\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_in_table_is_current() {
        let fresh = generate();
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(OUTPUT, &fresh).expect("write generated.rs");
            return;
        }
        let current = std::fs::read_to_string(OUTPUT).unwrap_or_default();
        assert!(
            current == fresh,
            "crates/core/src/schema/generated.rs is stale: run `UPDATE_SCHEMA=1 cargo test -p kubeplay-schema-gen`"
        );
    }

    #[test]
    fn enums_come_from_descriptions() {
        assert_eq!(
            extract_enum(
                "Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always",
                Pattern::After("One of ")
            ),
            ["Always", "IfNotPresent", "Never"]
        );
    }

    #[test]
    fn short_descriptions_take_the_first_sentence() {
        assert_eq!(short("Number of pods. Defaults to 1."), "Number of pods.");
    }
}
