//! The field schema of the built-in kinds, and structural validation against it.
//!
//! Owns: the table generated from the Kubernetes 1.36 OpenAPI by `crates/schema-gen`
//! (`generated.rs`, never edited by hand), the lookup of a kind's root type by apiVersion and
//! kind, the walker that compares one object's positioned YAML tree with that schema the way
//! the API server's strict decoder does (unknown fields, JSON types, int-or-string,
//! quantities, base64 `[]byte`, required fields and enum values), and `explain`, the
//! `kubectl explain`-style field documentation. The checks in `validate/` report the
//! walker's findings; the walk runs once per object per analysis (see [`Findings`]).

mod cursor;
mod explain;
// Without the `docs` feature its DOCS table is unused (and left out of the build).
#[cfg_attr(not(feature = "docs"), allow(dead_code))]
mod generated;
mod walk;

pub use cursor::{Completion, FieldInfo, at_offset, completions, covered};
pub use explain::{Explained, ExplainedField, explain};
pub use walk::{Finding, Problem, findings_of};

use std::cell::OnceCell;

use crate::check::Context;

/// A field's type as the OpenAPI describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// An object type: index into [`TYPES`].
    Object(usize),
    String,
    Int32,
    Int64,
    Number,
    Boolean,
    /// A base64-encoded `[]byte` (Secret `data`).
    Bytes,
    /// `intstr.IntOrString`: an integer or a string.
    IntOrString,
    /// `resource.Quantity`: a string (or number) such as `100m` or `1Gi`.
    Quantity,
    /// Any JSON (raw extensions, status).
    Raw,
    Array(&'static Ty),
    Map(&'static Ty),
}

/// One field of an object type.
#[derive(Debug)]
pub struct Field {
    /// The JSON name.
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    /// Values the API server accepts, when it checks the field against a fixed set.
    pub values: &'static [&'static str],
}

/// An object type (a Go struct of the API).
#[derive(Debug)]
pub struct Type {
    /// The Go name (`DeploymentSpec`), as decoding errors print it.
    pub name: &'static str,
    /// The package-qualified Go name (`v1.DeploymentSpec`).
    pub go: &'static str,
    pub fields: &'static [Field],
}

/// The descriptions of one type: the first sentence of each OpenAPI description, kept apart
/// from [`Type`] so that validation alone does not carry them (see [`docs`]).
#[derive(Debug)]
pub struct TypeDocs {
    pub doc: &'static str,
    /// One per field of the type, in the same order.
    pub fields: &'static [&'static str],
}

impl Type {
    #[must_use]
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        // The generator writes fields sorted by name.
        self.fields
            .binary_search_by(|f| f.name.cmp(name))
            .ok()
            .and_then(|i| self.fields.get(i))
    }
}

/// A kind covered by the schema.
#[derive(Debug)]
pub struct Root {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub ty: usize,
}

pub use generated::{ROOTS, TYPES};

/// The descriptions of the type at `index` (for `explain` and editor hovers). None for every
/// type when the crate is built without its `docs` feature.
#[must_use]
pub fn docs(index: usize) -> Option<&'static TypeDocs> {
    #[cfg(feature = "docs")]
    return generated::DOCS.get(index);
    #[cfg(not(feature = "docs"))]
    {
        let _ = index;
        None
    }
}

/// The type at `index` (the generated table's indices are always in range).
#[must_use]
pub fn ty(index: usize) -> Option<&'static Type> {
    TYPES.get(index)
}

/// The root type of a kind, if the schema covers it.
#[must_use]
pub fn root_type(api_version: &str, kind: &str) -> Option<&'static Type> {
    ROOTS
        .iter()
        .find(|r| r.api_version == api_version && r.kind == kind)
        .and_then(|r| ty(r.ty))
}

impl Ty {
    /// The Go type as `reflect.Type.String()` prints it in decoding errors. Named Go types
    /// (`v1.PullPolicy`, `v1.ResourceList`) are not in the OpenAPI: their underlying type is
    /// printed instead.
    #[must_use]
    pub fn go(&self) -> String {
        match self {
            Self::Object(i) => ty(*i).map_or("struct", |t| t.go).to_owned(),
            Self::String => "string".into(),
            Self::Int32 => "int32".into(),
            Self::Int64 => "int64".into(),
            Self::Number => "float64".into(),
            Self::Boolean => "bool".into(),
            Self::Bytes => "[]uint8".into(),
            Self::IntOrString => "intstr.IntOrString".into(),
            Self::Quantity => "resource.Quantity".into(),
            Self::Raw => "runtime.RawExtension".into(),
            Self::Array(t) => format!("[]{}", t.go()),
            Self::Map(t) => format!("map[string]{}", t.go()),
        }
    }

    /// A readable name for learners and `explain` (`[]Container`, `map[string]string`).
    #[must_use]
    pub fn display(&self) -> String {
        match self {
            Self::Object(i) => ty(*i).map_or("Object", |t| t.name).to_owned(),
            Self::String => "string".into(),
            Self::Int32 | Self::Int64 => "integer".into(),
            Self::Number => "number".into(),
            Self::Boolean => "boolean".into(),
            Self::Bytes => "string (base64)".into(),
            Self::IntOrString => "IntOrString".into(),
            Self::Quantity => "Quantity".into(),
            Self::Raw => "Object".into(),
            Self::Array(t) => format!("[]{}", t.display()),
            Self::Map(t) => format!("map[string]{}", t.display()),
        }
    }
}

/// The schema findings of every object of an analysis, computed once on first use so the
/// six schema checks share one walk.
#[derive(Default)]
pub struct Findings {
    cell: OnceCell<Vec<Finding>>,
}

impl Findings {
    /// Every finding of every object in `ctx`, in document order.
    pub fn get<'c>(&'c self, ctx: &Context<'_>) -> &'c [Finding] {
        self.cell.get_or_init(|| {
            let mut out = Vec::new();
            for (index, object) in ctx.objects.iter().enumerate() {
                let (Some(root), Some(kind), Some(api_version)) = (
                    ctx.root(object),
                    object.kind.as_deref(),
                    object.api_version.as_deref(),
                ) else {
                    continue;
                };
                findings_of(api_version, kind, root, index, &mut out);
            }
            out
        })
    }
}

/// The common ending of a decoding error: `Deployment in version "v1" cannot be handled as a
/// Deployment: ...` as `kubectl apply` prints it for the object.
#[must_use]
pub fn decode_error(api_version: &str, kind: &str, detail: &str) -> String {
    let version = api_version.rsplit('/').next().unwrap_or(api_version);
    format!(
        "Error from server (BadRequest): error when creating \"STDIN\": {kind} in version \"{version}\" cannot be handled as a {kind}: {detail}"
    )
}

/// Whether the kind in `api_version` has a field at `path` (dotted, list indices and map keys
/// ignored): tells `autoscaling/v1` from `autoscaling/v2` fields.
#[must_use]
pub fn has_path(api_version: &str, kind: &str, path: &str) -> bool {
    let Some(mut t) = root_type(api_version, kind) else {
        return false;
    };
    let mut parts = path
        .split('.')
        .map(|p| p.split('[').next().unwrap_or(p))
        .peekable();
    while let Some(part) = parts.next() {
        let Some(field) = t.field(part) else {
            return false;
        };
        if parts.peek().is_none() {
            return true;
        }
        let mut inner = field.ty;
        while let Ty::Array(i) | Ty::Map(i) = inner {
            inner = *i;
        }
        match inner {
            Ty::Object(i) => match ty(i) {
                Some(next) => t = next,
                None => return false,
            },
            _ => return false,
        }
    }
    false
}

/// The validation line `kubectl apply` prints: `The Deployment "web" is invalid: path: detail`.
#[must_use]
pub fn invalid(object: &crate::model::Object, path: &str, detail: &str) -> String {
    format!(
        "The {} \"{}\" is invalid: {path}: {detail}",
        object.kind.as_deref().unwrap_or_default(),
        object.name_or_empty()
    )
}

/// [`decode_error`] for an object.
#[must_use]
pub fn decode_error_of(object: &crate::model::Object, detail: &str) -> String {
    decode_error(
        object.api_version.as_deref().unwrap_or_default(),
        object.kind.as_deref().unwrap_or_default(),
        detail,
    )
}

/// Runs `report` for each schema finding matched by `select`, with its object.
pub fn each<'c>(
    ctx: &'c Context<'_>,
    mut report: impl FnMut(&'c crate::model::Object, &'c Finding),
    select: impl Fn(&Problem) -> bool,
) {
    for f in ctx.schema.get(ctx) {
        if select(&f.problem)
            && let Some(object) = ctx.objects.get(f.object)
        {
            report(object, f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_covered_kind_is_served() {
        for r in ROOTS {
            assert!(
                crate::model::KINDS
                    .iter()
                    .any(|k| k.api_version == r.api_version && k.kind == r.kind),
                "{} {}",
                r.api_version,
                r.kind
            );
            assert!(ty(r.ty).is_some());
        }
    }

    #[test]
    fn type_indices_are_in_range() {
        fn check(t: &Ty) {
            match t {
                Ty::Object(i) => assert!(*i < TYPES.len()),
                Ty::Array(t) | Ty::Map(t) => check(t),
                _ => {}
            }
        }
        for t in TYPES {
            for f in t.fields {
                check(&f.ty);
            }
        }
    }

    #[test]
    fn docs_parallel_types() {
        assert_eq!(generated::DOCS.len(), TYPES.len());
        for (i, t) in TYPES.iter().enumerate() {
            assert_eq!(docs(i).unwrap().fields.len(), t.fields.len(), "{}", t.name);
        }
    }

    #[test]
    fn fields_are_sorted_for_binary_search() {
        for t in TYPES {
            assert!(
                t.fields.windows(2).all(|w| w[0].name < w[1].name),
                "{}",
                t.name
            );
        }
    }

    #[test]
    fn deployment_fields() {
        let d = root_type("apps/v1", "Deployment").unwrap();
        let spec = d.field("spec").unwrap();
        assert_eq!(spec.ty.go(), "v1.DeploymentSpec");
        let Ty::Object(i) = spec.ty else { panic!() };
        let replicas = ty(i).unwrap().field("replicas").unwrap();
        assert_eq!(replicas.ty, Ty::Int32);
    }
}
