//! `kubectl explain` from the schema: `explain("deploy.spec.strategy")`.

use std::fmt;

use super::{ROOTS, Root, Ty, Type, docs, ty};

/// One field of the explained type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainedField {
    pub name: &'static str,
    /// Readable type (`[]Container`, `integer`, `map[string]string`).
    pub ty: String,
    pub required: bool,
    pub values: &'static [&'static str],
    pub doc: &'static str,
}

/// What `explain` found: the resource, the field and, when it is an object, its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub api_version: &'static str,
    pub kind: &'static str,
    /// The field path below the kind (empty for the kind itself).
    pub path: String,
    /// Readable type of the field (or the kind).
    pub ty: String,
    /// The field's own description (or the kind's).
    pub doc: &'static str,
    /// The description of the field's object type, when it has one.
    pub type_doc: Option<&'static str>,
    pub values: &'static [&'static str],
    pub fields: Vec<ExplainedField>,
}

/// kubectl's short names (`kubectl api-resources`).
const SHORT: &[(&str, &str)] = &[
    ("po", "Pod"),
    ("svc", "Service"),
    ("cm", "ConfigMap"),
    ("ns", "Namespace"),
    ("pv", "PersistentVolume"),
    ("pvc", "PersistentVolumeClaim"),
    ("sa", "ServiceAccount"),
    ("ep", "Endpoints"),
    ("limits", "LimitRange"),
    ("quota", "ResourceQuota"),
    ("rc", "ReplicationController"),
    ("deploy", "Deployment"),
    ("rs", "ReplicaSet"),
    ("sts", "StatefulSet"),
    ("ds", "DaemonSet"),
    ("cj", "CronJob"),
    ("hpa", "HorizontalPodAutoscaler"),
    ("ing", "Ingress"),
    ("netpol", "NetworkPolicy"),
    ("pdb", "PodDisruptionBudget"),
    ("sc", "StorageClass"),
    ("pc", "PriorityClass"),
];

/// The covered kind a resource name means: kind, plural or short name, any case; the first
/// root wins, so `hpa` is `autoscaling/v2` as kubectl prefers.
fn resource(name: &str) -> Option<&'static Root> {
    let lower = name.to_ascii_lowercase();
    let kind = SHORT
        .iter()
        .find(|(s, _)| *s == lower)
        .map(|(_, k)| (*k).to_owned());
    ROOTS.iter().find(|r| {
        let k = r.kind.to_ascii_lowercase();
        kind.as_deref() == Some(r.kind) || k == lower || plural(&k) == lower
    })
}

fn plural(kind: &str) -> String {
    if kind.ends_with('s') {
        format!("{kind}es")
    } else if let Some(stem) = kind.strip_suffix('y') {
        format!("{stem}ies")
    } else {
        format!("{kind}s")
    }
}

/// The index of the object type inside a field type (through arrays and maps).
fn object_of(t: &Ty) -> Option<usize> {
    match t {
        Ty::Object(i) => Some(*i),
        Ty::Array(inner) | Ty::Map(inner) => object_of(inner),
        _ => None,
    }
}

fn type_doc(index: usize) -> &'static str {
    docs(index).map_or("", |d| d.doc)
}

fn field_doc(index: usize, field: usize) -> &'static str {
    docs(index)
        .and_then(|d| d.fields.get(field))
        .copied()
        .unwrap_or_default()
}

fn fields_of(index: usize, t: &'static Type) -> Vec<ExplainedField> {
    t.fields
        .iter()
        .enumerate()
        .map(|(i, f)| ExplainedField {
            name: f.name,
            ty: f.ty.display(),
            required: f.required,
            values: f.values,
            doc: field_doc(index, i),
        })
        .collect()
}

/// Field documentation for `RESOURCE[.field.path]`, like `kubectl explain`.
///
/// # Errors
/// kubectl's message when the resource or a field does not exist.
pub fn explain(query: &str) -> Result<Explained, String> {
    let mut parts = query.split('.');
    let name = parts.next().unwrap_or_default();
    let root = resource(name)
        .ok_or_else(|| format!("the server doesn't have a resource type \"{name}\""))?;
    let root_type = ty(root.ty).ok_or_else(|| "schema table is inconsistent".to_owned())?;
    let mut current = (root.ty, root_type);
    let mut explained = Explained {
        api_version: root.api_version,
        kind: root.kind,
        path: String::new(),
        ty: root.kind.to_owned(),
        doc: type_doc(root.ty),
        type_doc: None,
        values: &[],
        fields: fields_of(root.ty, root_type),
    };
    let mut leaf = false;
    for part in parts {
        if part.is_empty() {
            continue;
        }
        let (index, t) = current;
        let position = t
            .fields
            .iter()
            .position(|f| f.name == part)
            .filter(|_| !leaf)
            .ok_or_else(|| format!("field \"{part}\" does not exist"))?;
        let field = &t.fields[position];
        if !explained.path.is_empty() {
            explained.path.push('.');
        }
        explained.path.push_str(part);
        explained.ty = field.ty.display();
        explained.doc = field_doc(index, position);
        explained.values = field.values;
        match object_of(&field.ty).and_then(|i| Some((i, ty(i)?))) {
            Some((i, t)) => {
                current = (i, t);
                explained.type_doc = Some(type_doc(i));
                explained.fields = fields_of(i, t);
            }
            None => {
                leaf = true;
                explained.type_doc = None;
                explained.fields = Vec::new();
            }
        }
    }
    Ok(explained)
}

fn wrap(f: &mut fmt::Formatter<'_>, text: &str, indent: &str) -> fmt::Result {
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + word.len() + 1 > 76 {
            writeln!(f, "{indent}{line}")?;
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        writeln!(f, "{indent}{line}")?;
    }
    Ok(())
}

impl fmt::Display for Explained {
    /// The layout of `kubectl explain` (1.27+).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (group, version) = self
            .api_version
            .split_once('/')
            .unwrap_or(("", self.api_version));
        if !group.is_empty() {
            writeln!(f, "GROUP:      {group}")?;
        }
        writeln!(f, "KIND:       {}", self.kind)?;
        writeln!(f, "VERSION:    {version}")?;
        writeln!(f)?;
        if let Some(last) = self
            .path
            .rsplit('.')
            .next()
            .filter(|_| !self.path.is_empty())
        {
            writeln!(f, "FIELD: {last} <{}>", self.ty)?;
            if !self.values.is_empty() {
                writeln!(f, "ENUM:")?;
                for v in self.values {
                    writeln!(f, "    {v}")?;
                }
            }
            writeln!(f)?;
        }
        writeln!(f, "DESCRIPTION:")?;
        wrap(f, self.doc, "    ")?;
        if let Some(doc) = self.type_doc.filter(|d| *d != self.doc) {
            wrap(f, doc, "    ")?;
        }
        if !self.fields.is_empty() {
            writeln!(f)?;
            writeln!(f, "FIELDS:")?;
            for field in &self.fields {
                let required = if field.required { " -required-" } else { "" };
                writeln!(f, "  {}\t<{}>{required}", field.name, field.ty)?;
                if !field.values.is_empty() {
                    writeln!(f, "  enum: {}", field.values.join(", "))?;
                }
                wrap(f, field.doc, "    ")?;
                writeln!(f)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_deployment_strategy() {
        let e = explain("deployment.spec.strategy").unwrap();
        assert_eq!(e.kind, "Deployment");
        assert_eq!(e.ty, "DeploymentStrategy");
        let names: Vec<_> = e.fields.iter().map(|f| f.name).collect();
        assert_eq!(names, ["rollingUpdate", "type"]);
        let text = e.to_string();
        assert!(text.contains("GROUP:      apps"), "{text}");
        assert!(
            text.contains("FIELD: strategy <DeploymentStrategy>"),
            "{text}"
        );
    }

    #[test]
    fn short_plural_and_case_insensitive_names() {
        assert_eq!(explain("deploy").unwrap().kind, "Deployment");
        assert_eq!(explain("SVC").unwrap().kind, "Service");
        assert_eq!(explain("pods").unwrap().kind, "Pod");
        assert_eq!(explain("ingresses").unwrap().kind, "Ingress");
        assert_eq!(explain("networkpolicies").unwrap().kind, "NetworkPolicy");
        let hpa = explain("hpa").unwrap();
        assert_eq!(hpa.api_version, "autoscaling/v2");
    }

    #[test]
    fn goes_through_arrays_and_reports_missing_fields() {
        let e = explain("po.spec.containers.imagePullPolicy").unwrap();
        assert_eq!(e.ty, "string");
        assert_eq!(e.values, ["Always", "IfNotPresent", "Never"]);
        assert_eq!(
            explain("deploy.spec.strategi").unwrap_err(),
            "field \"strategi\" does not exist"
        );
        assert!(explain("nosuch").is_err());
        assert!(explain("po.spec.hostname.x").is_err());
    }
}
